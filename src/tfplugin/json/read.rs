//! Converting a parsed JSON [`Node`] into a [`Value`] of the expected
//! [`Type`], as cty/json does: strings may hold numbers and bools, numbers
//! and bools may stand where a string is wanted, object attributes missing
//! from the JSON are null, and a dynamic value is `{"value": ..., "type": ...}`.

use std::collections::BTreeMap;

use super::super::codec::{
    check_depth, check_tuple_len, describe_type, list_or_set, unexpected_attribute, Failure, Step,
};
use super::super::{Number, Type, Value};
use super::parse::Node;

/// What to do with object attributes the type does not have.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ExtraAttributes {
    Refuse,
    Ignore,
}

fn expected(what: &str, found: &Node) -> Failure {
    Failure::new(format!("expected {what}, found {}", found.describe()))
}

pub(super) fn convert(
    node: &Node,
    ty: &Type,
    extra: ExtraAttributes,
    depth: usize,
) -> Result<Value, Failure> {
    check_depth(depth)?;
    if let Node::Null = node {
        return Ok(Value::Null);
    }
    match ty {
        Type::Bool => match node {
            Node::Bool(b) => Ok(Value::Bool(*b)),
            Node::String(s) if s == "true" => Ok(Value::Bool(true)),
            Node::String(s) if s == "false" => Ok(Value::Bool(false)),
            other => Err(expected("a bool", other)),
        },
        Type::Number => match node {
            Node::Number(text) | Node::String(text) => Number::from_decimal_text(text)
                .map(Value::Number)
                .ok_or_else(|| {
                    let shown: String = text.chars().take(40).collect();
                    Failure::new(format!("expected a number, found {shown:?}"))
                }),
            other => Err(expected("a number", other)),
        },
        Type::String => match node {
            Node::String(s) | Node::Number(s) => Ok(Value::String(s.clone())),
            Node::Bool(b) => Ok(Value::String(b.to_string())),
            other => Err(expected("a string", other)),
        },
        Type::List(element) | Type::Set(element) => {
            let Node::Array(items) = node else {
                return Err(expected(describe_type(ty), node));
            };
            let values = convert_items(items, std::iter::repeat(&**element), extra, depth)?;
            Ok(list_or_set(ty, values))
        }
        Type::Tuple(types) => {
            let Node::Array(items) = node else {
                return Err(expected("a tuple", node));
            };
            check_tuple_len(types, items.len(), "found")?;
            Ok(Value::Tuple(convert_items(
                items,
                types.iter(),
                extra,
                depth,
            )?))
        }
        Type::Map(element) => {
            let Node::Object(members) = node else {
                return Err(expected("a map", node));
            };
            let mut entries = BTreeMap::new();
            for (key, item) in members {
                let value = convert(item, element, extra, depth + 1)
                    .map_err(|f| f.at(Step::Key(key.clone())))?;
                entries.insert(key.clone(), value);
            }
            Ok(Value::Map(entries))
        }
        Type::Object(attributes) => {
            let Node::Object(members) = node else {
                return Err(expected("an object", node));
            };
            let mut values = BTreeMap::new();
            for (name, item) in members {
                let Some(attribute_type) = attributes.get(name) else {
                    if extra == ExtraAttributes::Ignore {
                        continue;
                    }
                    return Err(unexpected_attribute(name));
                };
                let value = convert(item, attribute_type, extra, depth + 1)
                    .map_err(|f| f.at(Step::Attr(name.clone())))?;
                values.insert(name.clone(), value);
            }
            for name in attributes.keys() {
                values.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(values))
        }
        Type::Dynamic => {
            let Node::Object(members) = node else {
                return Err(expected(
                    r#"a dynamic value ({"value": ..., "type": ...})"#,
                    node,
                ));
            };
            let mut type_node = None;
            let mut value_node = None;
            for (name, item) in members {
                match name.as_str() {
                    "type" => type_node = Some(item),
                    "value" => value_node = Some(item),
                    other => {
                        return Err(Failure::new(format!(
                        "unexpected key {other:?} in a dynamic value: only \"value\" and \"type\""
                    )))
                    }
                }
            }
            let (Some(type_node), Some(value_node)) = (type_node, value_node) else {
                return Err(Failure::new(
                    r#"a dynamic value needs both "value" and "type""#,
                ));
            };
            let actual =
                Type::from_json(&type_node.to_serde()).map_err(|e| Failure::new(e.to_string()))?;
            let value = convert(value_node, &actual, extra, depth + 1)?;
            Ok(Value::Dynamic {
                ty: actual,
                value: Box::new(value),
            })
        }
    }
}

/// Converts the items of an array (one level below `depth`), each as the next
/// of `types`, naming the index of the one that fails. A list or set repeats
/// its element type; a tuple's types were checked to match the items one to one.
fn convert_items<'t>(
    items: &[Node],
    types: impl Iterator<Item = &'t Type>,
    extra: ExtraAttributes,
    depth: usize,
) -> Result<Vec<Value>, Failure> {
    items
        .iter()
        .zip(types)
        .enumerate()
        .map(|(i, (item, ty))| {
            convert(item, ty, extra, depth + 1).map_err(|f| f.at(Step::Index(i)))
        })
        .collect()
}
