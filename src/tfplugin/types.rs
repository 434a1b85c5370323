//! cty types, and their JSON form as used in schemas (`"string"`,
//! `["list","string"]`, `["object",{...}]`) and in DynamicPseudoType values.

use std::collections::BTreeMap;

use serde_json::Value as Json;

/// A cty type. `Dynamic` is cty's DynamicPseudoType: the value carries its own type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Number,
    String,
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

/// A type JSON document that is not a cty type.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid cty type JSON: {0}")]
pub struct TypeJsonError(pub String);

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    pub fn object<I, K>(attributes: I) -> Type
    where
        I: IntoIterator<Item = (K, Type)>,
        K: Into<String>,
    {
        Type::Object(attributes.into_iter().map(|(k, t)| (k.into(), t)).collect())
    }

    /// The cty JSON form of this type.
    pub fn to_json(&self) -> Json {
        match self {
            Type::Bool => Json::from("bool"),
            Type::Number => Json::from("number"),
            Type::String => Json::from("string"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(e) => Json::Array(vec![Json::from("list"), e.to_json()]),
            Type::Set(e) => Json::Array(vec![Json::from("set"), e.to_json()]),
            Type::Map(e) => Json::Array(vec![Json::from("map"), e.to_json()]),
            Type::Object(attrs) => {
                let fields = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect::<serde_json::Map<_, _>>();
                Json::Array(vec![Json::from("object"), Json::Object(fields)])
            }
            Type::Tuple(elems) => Json::Array(vec![
                Json::from("tuple"),
                Json::Array(elems.iter().map(Type::to_json).collect()),
            ]),
        }
    }

    /// The type JSON as bytes, as schemas carry it.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    /// Parses the cty JSON form of a type. Object types with optional
    /// attributes (a third array element) are accepted and the optional
    /// markers dropped: on the wire they are plain object types.
    pub fn from_json(json: &Json) -> Result<Type, TypeJsonError> {
        match json {
            Json::String(s) => match s.as_str() {
                "bool" => Ok(Type::Bool),
                "number" => Ok(Type::Number),
                "string" => Ok(Type::String),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(TypeJsonError(format!("unknown primitive type {other:?}"))),
            },
            Json::Array(items) => {
                let kind = items
                    .first()
                    .and_then(Json::as_str)
                    .ok_or_else(|| TypeJsonError("type array must start with a kind".into()))?;
                let arg = items
                    .get(1)
                    .ok_or_else(|| TypeJsonError(format!("{kind} type needs an argument")))?;
                match kind {
                    "list" => Ok(Type::list(Type::from_json(arg)?)),
                    "set" => Ok(Type::set(Type::from_json(arg)?)),
                    "map" => Ok(Type::map(Type::from_json(arg)?)),
                    "object" => {
                        let fields = arg.as_object().ok_or_else(|| {
                            TypeJsonError("object attributes must be a JSON object".into())
                        })?;
                        let mut attrs = BTreeMap::new();
                        for (k, v) in fields {
                            attrs.insert(k.clone(), Type::from_json(v)?);
                        }
                        Ok(Type::Object(attrs))
                    }
                    "tuple" => {
                        let elems = arg.as_array().ok_or_else(|| {
                            TypeJsonError("tuple elements must be a JSON array".into())
                        })?;
                        Ok(Type::Tuple(
                            elems
                                .iter()
                                .map(Type::from_json)
                                .collect::<Result<_, _>>()?,
                        ))
                    }
                    other => Err(TypeJsonError(format!("unknown type kind {other:?}"))),
                }
            }
            other => Err(TypeJsonError(format!("unexpected JSON {other}"))),
        }
    }

    /// Parses type JSON bytes.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, TypeJsonError> {
        let json: Json = serde_json::from_slice(bytes).map_err(|e| TypeJsonError(e.to_string()))?;
        Type::from_json(&json)
    }
}
