//! What the msgpack and JSON codecs share: failures that carry the attribute
//! path they happened at, short descriptions of values and types for their
//! messages, the nesting limit, and the type-directed rules both encoders
//! follow (the actual type of a dynamic value, the canonical order of set
//! elements, tuple lengths, object attributes). Keeping them here means the
//! two encodings cannot drift apart on what a value of a type may be.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Type, Value};

/// Values nested deeper than this (collections, objects, dynamic wrappers)
/// are refused, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// One step of the path to a failure, innermost first while unwinding.
#[derive(Debug)]
pub(crate) enum Step {
    Attr(String),
    Index(usize),
    Key(String),
}

/// A failure on its way out of the recursion; each level adds its step.
#[derive(Debug)]
pub(crate) struct Failure {
    steps: Vec<Step>,
    message: String,
}

impl Failure {
    pub(crate) fn new(message: impl Into<String>) -> Failure {
        Failure {
            steps: Vec::new(),
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, step: Step) -> Failure {
        self.steps.push(step);
        self
    }

    /// `at .a.b[2]: message`, or just the message at the top level.
    pub(crate) fn render(&self) -> String {
        if self.steps.is_empty() {
            return self.message.clone();
        }
        let mut path = String::new();
        for step in self.steps.iter().rev() {
            // Writing to a String cannot fail.
            let _ = match step {
                Step::Attr(name) => write!(path, ".{name}"),
                Step::Index(i) => write!(path, "[{i}]"),
                Step::Key(key) => write!(path, "[{key:?}]"),
            };
        }
        format!("at {path}: {}", self.message)
    }
}

/// Refuses a value nested deeper than [`MAX_DEPTH`]; every recursive step of
/// the decoders and encoders calls it with its own depth.
pub(crate) fn check_depth(depth: usize) -> Result<(), Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::new(format!(
            "values nested deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(())
}

/// A short description of a value's variant, for encode errors.
pub(crate) fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown => "an unknown value",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Set(_) => "a set",
        Value::Map(_) => "a map",
        Value::Object(_) => "an object",
        Value::Tuple(_) => "a tuple",
        Value::Dynamic { .. } => "a dynamic value",
    }
}

/// A short description of a type, for errors.
pub(crate) fn describe_type(ty: &Type) -> &'static str {
    match ty {
        Type::Bool => "a bool",
        Type::Number => "a number",
        Type::String => "a string",
        Type::Dynamic => "a dynamic value",
        Type::List(_) => "a list",
        Type::Set(_) => "a set",
        Type::Map(_) => "a map",
        Type::Object(_) => "an object",
        Type::Tuple(_) => "a tuple",
    }
}

/// The encode error for a value that is not of the type it is written as.
pub(crate) fn mismatch(ty: &Type, value: &Value) -> Failure {
    Failure::new(format!(
        "expected {}, got {}",
        describe_type(ty),
        describe_value(value)
    ))
}

/// The actual type and inner value of a value written where the type is
/// DynamicPseudoType: a [`Value::Dynamic`] says its type, any other value must
/// have an evident one.
pub(crate) fn dynamic_parts(value: &Value) -> Result<(Type, &Value), Failure> {
    match value {
        Value::Dynamic { ty, value } => Ok((ty.clone(), &**value)),
        other => {
            let ty = other.infer_type().ok_or_else(|| {
                Failure::new("cannot tell the type of a dynamic value: wrap it in Value::Dynamic")
            })?;
            Ok((ty, other))
        }
    }
}

/// The encodings of a set's elements, sorted with duplicates dropped, so equal
/// sets always encode to the same bytes. `encode` writes one element.
pub(crate) fn sorted_set_encodings(
    elements: &[Value],
    mut encode: impl FnMut(&mut Vec<u8>, &Value) -> Result<(), Failure>,
) -> Result<Vec<Vec<u8>>, Failure> {
    let mut encoded = Vec::with_capacity(elements.len());
    for (i, item) in elements.iter().enumerate() {
        let mut buf = Vec::new();
        encode(&mut buf, item).map_err(|f| f.at(Step::Index(i)))?;
        encoded.push(buf);
    }
    encoded.sort();
    encoded.dedup();
    Ok(encoded)
}

/// A tuple has exactly as many elements as its type; `verb` is "found" when
/// decoding and "got" when encoding.
pub(crate) fn check_tuple_len(types: &[Type], len: usize, verb: &str) -> Result<(), Failure> {
    if len != types.len() {
        return Err(Failure::new(format!(
            "expected a tuple of {} elements, {verb} {len}",
            types.len()
        )));
    }
    Ok(())
}

/// Before encoding an object: every attribute the value has must be in the
/// type (the ones it lacks are written as null).
pub(crate) fn check_no_extra_attributes(
    attributes: &BTreeMap<String, Type>,
    values: &BTreeMap<String, Value>,
) -> Result<(), Failure> {
    if let Some(extra) = values.keys().find(|name| !attributes.contains_key(*name)) {
        return Err(Failure::new(format!(
            "attribute {extra:?} is not in the object type"
        )));
    }
    Ok(())
}

/// Decoding an object whose input names an attribute the type does not have.
pub(crate) fn unexpected_attribute(name: &str) -> Failure {
    Failure::new(format!("unexpected attribute {name:?}: not in the type"))
}
