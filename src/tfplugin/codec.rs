//! What the msgpack and JSON codecs share: failures that carry the attribute
//! path they happened at, short descriptions of values and types for their
//! messages, the nesting limit, and the one type-directed walk both encoders
//! use ([`encode_value`] over an [`Encoding`]): which value may stand for which
//! type, the actual type of a dynamic value, the canonical order of set
//! elements, tuple lengths, object attributes. Keeping them here means the two
//! encodings cannot drift apart on what a value of a type may be; each format
//! only says how the parts are written.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Number, Type, Value};

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
fn describe_value(value: &Value) -> &'static str {
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
fn mismatch(ty: &Type, value: &Value) -> Failure {
    Failure::new(format!(
        "expected {}, got {}",
        describe_type(ty),
        describe_value(value)
    ))
}

/// The actual type and inner value of a value written where the type is
/// DynamicPseudoType: a [`Value::Dynamic`] says its type, any other value must
/// have an evident one.
fn dynamic_parts(value: &Value) -> Result<(Type, &Value), Failure> {
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
fn sorted_set_encodings(
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
fn check_no_extra_attributes(
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

/// A list or a set of decoded elements, as `ty` (a list or set type) says.
pub(crate) fn list_or_set(ty: &Type, elements: Vec<Value>) -> Value {
    if matches!(ty, Type::Set(_)) {
        Value::Set(elements)
    } else {
        Value::List(elements)
    }
}

// ---------------------------------------------------------------------------
// Encoding: one walk over value and type, the bytes written by a format

/// How one format writes each part of a value. [`encode_value`] decides,
/// from the type, which parts a value has and in which order.
pub(crate) trait Encoding {
    fn null(out: &mut Vec<u8>);
    /// An unknown value, or the error of a format that has none.
    fn unknown(out: &mut Vec<u8>) -> Result<(), Failure>;
    fn bool(out: &mut Vec<u8>, value: bool);
    fn number(out: &mut Vec<u8>, number: &Number) -> Result<(), Failure>;
    fn string(out: &mut Vec<u8>, text: &str) -> Result<(), Failure>;
    /// A value of DynamicPseudoType: its `actual` type, and the value itself
    /// as `write_value` writes it.
    fn dynamic(
        out: &mut Vec<u8>,
        actual: &Type,
        write_value: impl FnOnce(&mut Vec<u8>) -> Result<(), Failure>,
    ) -> Result<(), Failure>;
    /// Starts a list, set or tuple of `len` elements.
    fn array_start(out: &mut Vec<u8>, len: usize) -> Result<(), Failure>;
    /// Starts a map or object of `len` entries.
    fn map_start(out: &mut Vec<u8>, len: usize) -> Result<(), Failure>;
    /// Comes before the element or entry numbered `index`.
    fn separator(out: &mut Vec<u8>, index: usize);
    /// The key of a map entry or an object attribute, before its value.
    fn key(out: &mut Vec<u8>, key: &str) -> Result<(), Failure>;
    fn array_end(out: &mut Vec<u8>);
    fn map_end(out: &mut Vec<u8>);
}

/// Writes `value` as a value of type `ty` in format `E`. Object attributes
/// absent from the value are written as null, map keys and attributes in
/// name order, set elements in the order of their encodings with duplicates
/// dropped; a failure names the path to the part that could not be written.
pub(crate) fn encode_value<E: Encoding>(
    out: &mut Vec<u8>,
    value: &Value,
    ty: &Type,
    depth: usize,
) -> Result<(), Failure> {
    check_depth(depth)?;
    match value {
        Value::Unknown => return E::unknown(out),
        Value::Null => {
            E::null(out);
            return Ok(());
        }
        _ => {}
    }
    if *ty == Type::Dynamic {
        let (actual, inner) = dynamic_parts(value)?;
        return E::dynamic(out, &actual, |out| {
            encode_value::<E>(out, inner, &actual, depth + 1)
        });
    }
    match (ty, value) {
        (_, Value::Dynamic { value, .. }) => encode_value::<E>(out, value, ty, depth + 1),
        (Type::Bool, Value::Bool(b)) => {
            E::bool(out, *b);
            Ok(())
        }
        (Type::Number, Value::Number(n)) => E::number(out, n),
        (Type::String, Value::String(s)) => E::string(out, s),
        (Type::List(element), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            encode_array::<E>(out, v, std::iter::repeat(&**element), depth)
        }
        (Type::Set(element), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            let encoded = sorted_set_encodings(v, |buf, item| {
                encode_value::<E>(buf, item, element, depth + 1)
            })?;
            E::array_start(out, encoded.len())?;
            for (i, bytes) in encoded.iter().enumerate() {
                E::separator(out, i);
                out.extend_from_slice(bytes);
            }
            E::array_end(out);
            Ok(())
        }
        (Type::Tuple(types), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            check_tuple_len(types, v.len(), "got")?;
            encode_array::<E>(out, v, types.iter(), depth)
        }
        (Type::Map(element), Value::Map(m) | Value::Object(m)) => {
            let entries = m.iter().map(|(key, item)| (key, item, &**element));
            encode_map::<E>(out, m.len(), entries, Step::Key, depth)
        }
        (Type::Object(attributes), Value::Object(m) | Value::Map(m)) => {
            check_no_extra_attributes(attributes, m)?;
            let entries = attributes
                .iter()
                .map(|(name, ty)| (name, m.get(name).unwrap_or(&Value::Null), ty));
            encode_map::<E>(out, attributes.len(), entries, Step::Attr, depth)
        }
        _ => Err(mismatch(ty, value)),
    }
}

/// Writes the elements of a list or tuple, each as the next of `types`
/// (lengths were checked to match), naming the index of the one that fails.
fn encode_array<'t, E: Encoding>(
    out: &mut Vec<u8>,
    elements: &[Value],
    types: impl Iterator<Item = &'t Type>,
    depth: usize,
) -> Result<(), Failure> {
    E::array_start(out, elements.len())?;
    for (i, (item, ty)) in elements.iter().zip(types).enumerate() {
        E::separator(out, i);
        encode_value::<E>(out, item, ty, depth + 1).map_err(|f| f.at(Step::Index(i)))?;
    }
    E::array_end(out);
    Ok(())
}

/// Writes `len` entries of a map or object, each key then its value as its
/// type, naming the entry that fails with `step` (a map key or an attribute).
fn encode_map<'a, E: Encoding>(
    out: &mut Vec<u8>,
    len: usize,
    entries: impl Iterator<Item = (&'a String, &'a Value, &'a Type)>,
    step: fn(String) -> Step,
    depth: usize,
) -> Result<(), Failure> {
    E::map_start(out, len)?;
    for (i, (key, item, ty)) in entries.enumerate() {
        E::separator(out, i);
        E::key(out, key)?;
        encode_value::<E>(out, item, ty, depth + 1).map_err(|f| f.at(step(key.clone())))?;
    }
    E::map_end(out);
    Ok(())
}
