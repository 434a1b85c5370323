//! cty's msgpack encoding of values: what `DynamicValue.msgpack` carries
//! between the CLI and the provider (hashicorp/go-cty `cty/msgpack`).
//!
//! The [`Type`] drives both directions. Null is nil; unknown is any msgpack
//! extension on input and exactly `d4 00 00` on output; numbers arrive as any
//! int, float or decimal string; objects carry every attribute of their type;
//! DynamicPseudoType values are `[type JSON, value]`.
//!
//! Decoding treats its input as hostile: it never panics, refuses nesting
//! deeper than [`MAX_DEPTH`], and never reserves more memory than the input
//! could fill. The reader and writer are our own (the format is small), so
//! there is no msgpack dependency. Errors name the attribute path where
//! decoding or encoding failed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::value::{is_json_number, NumberForm};
use super::{Number, Type, Value};

/// Values nested deeper than this (collections, objects, dynamic wrappers)
/// are refused, so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// A value that cannot be decoded from, or encoded to, msgpack. The message
/// says where (an attribute path such as `.rules[2].name`) and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("msgpack: {0}")]
pub struct Error(pub String);

/// Decodes the msgpack bytes of a value of type `ty`. Every byte of the input
/// must belong to the value.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, Error> {
    let mut reader = Reader {
        input: bytes,
        pos: 0,
    };
    let value = reader.value(ty, 0).map_err(|f| Error(f.render()))?;
    if reader.pos != bytes.len() {
        let extra = bytes.len() - reader.pos;
        return Err(Error(format!("{extra} unexpected bytes after the value")));
    }
    Ok(value)
}

/// Encodes `value` as a value of type `ty`. Object attributes absent from the
/// value are written as null; map keys and object attributes come out sorted
/// and set elements sorted by their encoding with duplicates dropped, so equal
/// values always encode to the same bytes.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write_value(&mut out, value, ty, 0).map_err(|f| Error(f.render()))?;
    Ok(out)
}

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

// ---------------------------------------------------------------------------
// Decoding

/// What a msgpack marker (plus its length or scalar payload) announced.
#[derive(Debug, Clone, Copy)]
enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(usize),
    Bin(usize),
    Array(usize),
    Map(usize),
    /// An extension, already skipped: an unknown value.
    Ext,
}

impl Head {
    fn describe(self) -> &'static str {
        match self {
            Head::Nil => "nil",
            Head::Bool(_) => "a bool",
            Head::Int(_) | Head::Uint(_) => "an integer",
            Head::Float(_) => "a float",
            Head::Str(_) => "a string",
            Head::Bin(_) => "binary data",
            Head::Array(_) => "an array",
            Head::Map(_) => "a map",
            Head::Ext => "an extension",
        }
    }
}

fn expected(what: &str, found: Head) -> Failure {
    Failure::new(format!("expected {what}, found {}", found.describe()))
}

struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Failure> {
        if n > self.remaining() {
            return Err(Failure::new(format!(
                "unexpected end of input: {n} bytes needed at offset {}, {} left",
                self.pos,
                self.remaining()
            )));
        }
        let bytes = &self.input[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Failure> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, Failure> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, Failure> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, Failure> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn len32(&mut self) -> Result<usize, Failure> {
        usize::try_from(self.u32()?).map_err(|_| Failure::new("length does not fit in memory"))
    }

    /// Reads a marker and whatever fixed-size payload it has; skips extensions.
    fn head(&mut self) -> Result<Head, Failure> {
        let offset = self.pos;
        let marker = self.u8()?;
        Ok(match marker {
            0x00..=0x7f => Head::Int(i64::from(marker)),
            0x80..=0x8f => Head::Map(usize::from(marker & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(marker & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(marker & 0x1f)),
            0xc0 => Head::Nil,
            0xc1 => {
                return Err(Failure::new(format!(
                    "invalid msgpack marker 0xc1 at offset {offset}"
                )))
            }
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => Head::Bin(usize::from(self.u8()?)),
            0xc5 => Head::Bin(usize::from(self.u16()?)),
            0xc6 => Head::Bin(self.len32()?),
            0xc7..=0xc9 => {
                let len = match marker {
                    0xc7 => usize::from(self.u8()?),
                    0xc8 => usize::from(self.u16()?),
                    _ => self.len32()?,
                };
                self.take(1 + len)?; // type code, then payload
                Head::Ext
            }
            0xca => Head::Float(f64::from(f32::from_be_bytes(self.array()?))),
            0xcb => Head::Float(f64::from_be_bytes(self.array()?)),
            0xcc => Head::Int(i64::from(self.u8()?)),
            0xcd => Head::Int(i64::from(self.u16()?)),
            0xce => Head::Int(i64::from(self.u32()?)),
            0xcf => {
                let u = u64::from_be_bytes(self.array()?);
                i64::try_from(u).map_or(Head::Uint(u), Head::Int)
            }
            0xd0 => Head::Int(i64::from(i8::from_be_bytes(self.array()?))),
            0xd1 => Head::Int(i64::from(i16::from_be_bytes(self.array()?))),
            0xd2 => Head::Int(i64::from(i32::from_be_bytes(self.array()?))),
            0xd3 => Head::Int(i64::from_be_bytes(self.array()?)),
            0xd4..=0xd8 => {
                let len = 1usize << (marker - 0xd4);
                self.take(1 + len)?;
                Head::Ext
            }
            0xd9 => Head::Str(usize::from(self.u8()?)),
            0xda => Head::Str(usize::from(self.u16()?)),
            0xdb => Head::Str(self.len32()?),
            0xdc => Head::Array(usize::from(self.u16()?)),
            0xdd => Head::Array(self.len32()?),
            0xde => Head::Map(usize::from(self.u16()?)),
            0xdf => Head::Map(self.len32()?),
            0xe0..=0xff => Head::Int(i64::from(marker as i8)),
        })
    }

    fn text(&mut self, len: usize) -> Result<&'a str, Failure> {
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map_err(|e| Failure::new(format!("string is not valid UTF-8: {e}")))
    }

    /// Checks that `count` items of at least `min_size` bytes each can still
    /// follow, so a hostile length cannot drive a long loop or allocation.
    fn check_count(&self, count: usize, min_size: usize, what: &str) -> Result<(), Failure> {
        if count.saturating_mul(min_size) > self.remaining() {
            return Err(Failure::new(format!(
                "unexpected end of input: {what} of {count} entries but only {} bytes left",
                self.remaining()
            )));
        }
        Ok(())
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, Failure> {
        if depth > MAX_DEPTH {
            return Err(Failure::new(format!(
                "values nested deeper than {MAX_DEPTH} levels"
            )));
        }
        let head = self.head()?;
        match head {
            Head::Ext => return Ok(Value::Unknown),
            Head::Nil => return Ok(Value::Null),
            _ => {}
        }
        match ty {
            Type::Bool => match head {
                Head::Bool(b) => Ok(Value::Bool(b)),
                other => Err(expected("a bool", other)),
            },
            Type::Number => self.number(head).map(Value::Number),
            Type::String => match head {
                Head::Str(len) => Ok(Value::String(self.text(len)?.to_owned())),
                other => Err(expected("a string", other)),
            },
            Type::List(element) | Type::Set(element) => {
                let Head::Array(count) = head else {
                    return Err(expected(describe_type(ty), head));
                };
                let elements = self.elements(count, |_| Some(&**element), depth)?;
                Ok(if matches!(ty, Type::Set(_)) {
                    Value::Set(elements)
                } else {
                    Value::List(elements)
                })
            }
            Type::Tuple(types) => {
                let Head::Array(count) = head else {
                    return Err(expected("a tuple", head));
                };
                if count != types.len() {
                    return Err(Failure::new(format!(
                        "expected a tuple of {} elements, found {count}",
                        types.len()
                    )));
                }
                Ok(Value::Tuple(self.elements(
                    count,
                    |i| types.get(i),
                    depth,
                )?))
            }
            Type::Map(element) => {
                let Head::Map(count) = head else {
                    return Err(expected("a map", head));
                };
                self.check_count(count, 2, "a map")?;
                let mut entries = BTreeMap::new();
                for _ in 0..count {
                    let key = self.key()?;
                    let value = self
                        .value(element, depth + 1)
                        .map_err(|f| f.at(Step::Key(key.clone())))?;
                    if entries.insert(key.clone(), value).is_some() {
                        return Err(Failure::new(format!("duplicate map key {key:?}")));
                    }
                }
                Ok(Value::Map(entries))
            }
            Type::Object(attributes) => {
                let Head::Map(count) = head else {
                    return Err(expected("an object", head));
                };
                self.check_count(count, 2, "an object")?;
                let mut values = BTreeMap::new();
                for _ in 0..count {
                    let key = self.key()?;
                    let Some(attribute_type) = attributes.get(&key) else {
                        return Err(Failure::new(format!(
                            "unexpected attribute {key:?}: not in the type"
                        )));
                    };
                    if values.contains_key(&key) {
                        return Err(Failure::new(format!("attribute {key:?} appears twice")));
                    }
                    let value = self
                        .value(attribute_type, depth + 1)
                        .map_err(|f| f.at(Step::Attr(key.clone())))?;
                    values.insert(key, value);
                }
                if let Some(missing) = attributes.keys().find(|name| !values.contains_key(*name)) {
                    return Err(Failure::new(format!(
                        "missing attribute {missing:?}: every attribute must be present (null if unset)"
                    )));
                }
                Ok(Value::Object(values))
            }
            Type::Dynamic => {
                let Head::Array(2) = head else {
                    return Err(expected("a dynamic value ([type JSON, value])", head));
                };
                let type_json = match self.head()? {
                    Head::Bin(len) | Head::Str(len) => self.take(len)?,
                    other => return Err(expected("type JSON bytes in a dynamic value", other)),
                };
                let actual =
                    Type::from_json_bytes(type_json).map_err(|e| Failure::new(e.to_string()))?;
                let value = self.value(&actual, depth + 1)?;
                Ok(Value::Dynamic {
                    ty: actual,
                    value: Box::new(value),
                })
            }
        }
    }

    fn elements<'t>(
        &mut self,
        count: usize,
        element_type: impl Fn(usize) -> Option<&'t Type>,
        depth: usize,
    ) -> Result<Vec<Value>, Failure> {
        self.check_count(count, 1, "an array")?;
        let mut elements = Vec::with_capacity(count);
        for i in 0..count {
            let ty = element_type(i).ok_or_else(|| Failure::new("tuple longer than its type"))?;
            elements.push(
                self.value(ty, depth + 1)
                    .map_err(|f| f.at(Step::Index(i)))?,
            );
        }
        Ok(elements)
    }

    fn key(&mut self) -> Result<String, Failure> {
        match self.head()? {
            Head::Str(len) => Ok(self.text(len)?.to_owned()),
            other => Err(expected("a string key", other)),
        }
    }

    fn number(&mut self, head: Head) -> Result<Number, Failure> {
        match head {
            Head::Int(i) => Ok(Number::Int(i)),
            Head::Uint(u) => Ok(Number::Uint(u)),
            Head::Float(f) if f.is_nan() => Err(Failure::new("expected a number, found NaN")),
            Head::Float(f) => Ok(Number::Float(f)),
            Head::Str(len) => {
                let text = self.text(len)?;
                Number::from_decimal_text(text).ok_or_else(|| {
                    let shown: String = text.chars().take(40).collect();
                    Failure::new(format!("expected a number, found the string {shown:?}"))
                })
            }
            other => Err(expected("a number", other)),
        }
    }
}

// ---------------------------------------------------------------------------
// Encoding

fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type, depth: usize) -> Result<(), Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::new(format!(
            "values nested deeper than {MAX_DEPTH} levels"
        )));
    }
    match value {
        Value::Unknown => {
            out.extend_from_slice(&[0xd4, 0x00, 0x00]);
            return Ok(());
        }
        Value::Null => {
            out.push(0xc0);
            return Ok(());
        }
        _ => {}
    }
    if *ty == Type::Dynamic {
        let (actual, inner) = match value {
            Value::Dynamic { ty, value } => (ty.clone(), &**value),
            other => (
                other.infer_type().ok_or_else(|| {
                    Failure::new(
                        "cannot tell the type of a dynamic value: wrap it in Value::Dynamic",
                    )
                })?,
                other,
            ),
        };
        out.push(0x92);
        write_bin(out, &actual.to_json_bytes())?;
        return write_value(out, inner, &actual, depth + 1);
    }
    let mismatch = || {
        Failure::new(format!(
            "expected {}, got {}",
            describe_type(ty),
            describe_value(value)
        ))
    };
    match (ty, value) {
        (_, Value::Dynamic { value, .. }) => write_value(out, value, ty, depth + 1),
        (Type::Bool, Value::Bool(b)) => {
            out.push(if *b { 0xc3 } else { 0xc2 });
            Ok(())
        }
        (Type::Number, Value::Number(n)) => write_number(out, n),
        (Type::String, Value::String(s)) => write_str(out, s),
        (Type::List(element), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            write_array_len(out, v.len())?;
            for (i, item) in v.iter().enumerate() {
                write_value(out, item, element, depth + 1).map_err(|f| f.at(Step::Index(i)))?;
            }
            Ok(())
        }
        (Type::Set(element), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            let mut encoded = Vec::with_capacity(v.len());
            for (i, item) in v.iter().enumerate() {
                let mut buf = Vec::new();
                write_value(&mut buf, item, element, depth + 1)
                    .map_err(|f| f.at(Step::Index(i)))?;
                encoded.push(buf);
            }
            encoded.sort();
            encoded.dedup();
            write_array_len(out, encoded.len())?;
            encoded
                .iter()
                .for_each(|bytes| out.extend_from_slice(bytes));
            Ok(())
        }
        (Type::Tuple(types), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            if v.len() != types.len() {
                return Err(Failure::new(format!(
                    "expected a tuple of {} elements, got {}",
                    types.len(),
                    v.len()
                )));
            }
            write_array_len(out, v.len())?;
            for (i, (item, item_type)) in v.iter().zip(types).enumerate() {
                write_value(out, item, item_type, depth + 1).map_err(|f| f.at(Step::Index(i)))?;
            }
            Ok(())
        }
        (Type::Map(element), Value::Map(m) | Value::Object(m)) => {
            write_map_len(out, m.len())?;
            for (key, item) in m {
                write_str(out, key)?;
                write_value(out, item, element, depth + 1)
                    .map_err(|f| f.at(Step::Key(key.clone())))?;
            }
            Ok(())
        }
        (Type::Object(attributes), Value::Object(m) | Value::Map(m)) => {
            if let Some(extra) = m.keys().find(|name| !attributes.contains_key(*name)) {
                return Err(Failure::new(format!(
                    "attribute {extra:?} is not in the object type"
                )));
            }
            write_map_len(out, attributes.len())?;
            for (name, attribute_type) in attributes {
                write_str(out, name)?;
                let item = m.get(name).unwrap_or(&Value::Null);
                write_value(out, item, attribute_type, depth + 1)
                    .map_err(|f| f.at(Step::Attr(name.clone())))?;
            }
            Ok(())
        }
        _ => Err(mismatch()),
    }
}

fn write_number(out: &mut Vec<u8>, number: &Number) -> Result<(), Failure> {
    match number {
        Number::Int(i) => write_int(out, *i),
        Number::Uint(u) => write_uint(out, *u),
        Number::Float(f) if f.is_nan() => return Err(Failure::new("NaN is not a cty number")),
        Number::Float(f) => {
            // Below 2^53 an integral float's shortest text is its exact value,
            // so it can travel as an int. Above, the float64 itself must go:
            // cty compares a float by its shortest text (1.87755126050311e17),
            // which its exact integer (187755126050311008) would not match.
            if f.fract() == 0.0 && f.abs() < MAX_SAFE_INTEGER_F64 {
                write_int(out, *f as i64);
            } else {
                write_f64(out, *f);
            }
        }
        Number::Decimal(text) => match NumberForm::parse(text) {
            None => return Err(Failure::new(format!("{text:?} is not a decimal number"))),
            Some(NumberForm::Infinite { negative }) => {
                write_f64(
                    out,
                    if negative {
                        f64::NEG_INFINITY
                    } else {
                        f64::INFINITY
                    },
                );
            }
            Some(NumberForm::Finite(parts)) => {
                // As cty does: an int if exact, else a float64 if exact, else the text.
                match parts.to_integer() {
                    Some(Number::Int(i)) => write_int(out, i),
                    Some(Number::Uint(u)) => write_uint(out, u),
                    _ => match parts.exact_f64() {
                        Some(f) => write_f64(out, f),
                        None if is_json_number(text) => write_str(out, text)?,
                        None => write_str(out, &parts.render())?,
                    },
                }
            }
        },
    }
    Ok(())
}

/// 2^53: every integer below it is a float64 whose shortest text is exact.
const MAX_SAFE_INTEGER_F64: f64 = 9_007_199_254_740_992.0;

fn write_int(out: &mut Vec<u8>, i: i64) {
    if let Ok(u) = u64::try_from(i) {
        return write_uint(out, u);
    }
    if i >= -32 {
        out.push(i as u8);
    } else if let Ok(v) = i8::try_from(i) {
        out.push(0xd0);
        out.extend_from_slice(&v.to_be_bytes());
    } else if let Ok(v) = i16::try_from(i) {
        out.push(0xd1);
        out.extend_from_slice(&v.to_be_bytes());
    } else if let Ok(v) = i32::try_from(i) {
        out.push(0xd2);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

fn write_uint(out: &mut Vec<u8>, u: u64) {
    if u <= 0x7f {
        out.push(u as u8);
    } else if let Ok(v) = u8::try_from(u) {
        out.extend_from_slice(&[0xcc, v]);
    } else if let Ok(v) = u16::try_from(u) {
        out.push(0xcd);
        out.extend_from_slice(&v.to_be_bytes());
    } else if let Ok(v) = u32::try_from(u) {
        out.push(0xce);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        out.push(0xcf);
        out.extend_from_slice(&u.to_be_bytes());
    }
}

fn write_f64(out: &mut Vec<u8>, f: f64) {
    out.push(0xcb);
    out.extend_from_slice(&f.to_be_bytes());
}

fn too_long(len: usize) -> Failure {
    Failure::new(format!(
        "{len} items or bytes are more than msgpack can hold"
    ))
}

fn write_str(out: &mut Vec<u8>, s: &str) -> Result<(), Failure> {
    let len = s.len();
    if len <= 31 {
        out.push(0xa0 | len as u8);
    } else if let Ok(v) = u8::try_from(len) {
        out.extend_from_slice(&[0xd9, v]);
    } else if let Ok(v) = u16::try_from(len) {
        out.push(0xda);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        let v = u32::try_from(len).map_err(|_| too_long(len))?;
        out.push(0xdb);
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

fn write_bin(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), Failure> {
    let len = bytes.len();
    if let Ok(v) = u8::try_from(len) {
        out.extend_from_slice(&[0xc4, v]);
    } else if let Ok(v) = u16::try_from(len) {
        out.push(0xc5);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        let v = u32::try_from(len).map_err(|_| too_long(len))?;
        out.push(0xc6);
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(bytes);
    Ok(())
}

fn write_array_len(out: &mut Vec<u8>, len: usize) -> Result<(), Failure> {
    if len <= 15 {
        out.push(0x90 | len as u8);
    } else if let Ok(v) = u16::try_from(len) {
        out.push(0xdc);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        let v = u32::try_from(len).map_err(|_| too_long(len))?;
        out.push(0xdd);
        out.extend_from_slice(&v.to_be_bytes());
    }
    Ok(())
}

fn write_map_len(out: &mut Vec<u8>, len: usize) -> Result<(), Failure> {
    if len <= 15 {
        out.push(0x80 | len as u8);
    } else if let Ok(v) = u16::try_from(len) {
        out.push(0xde);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        let v = u32::try_from(len).map_err(|_| too_long(len))?;
        out.push(0xdf);
        out.extend_from_slice(&v.to_be_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(attrs: &[(&str, Type)]) -> Type {
        Type::object(attrs.iter().cloned())
    }

    fn dec(bytes: &[u8], ty: &Type) -> Value {
        match decode(bytes, ty) {
            Ok(v) => v,
            Err(e) => panic!("decode {bytes:02x?} as {ty:?}: {e}"),
        }
    }

    fn dec_err(bytes: &[u8], ty: &Type) -> String {
        match decode(bytes, ty) {
            Ok(v) => panic!("decode {bytes:02x?} as {ty:?} should fail, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn enc(value: &Value, ty: &Type) -> Vec<u8> {
        match encode(value, ty) {
            Ok(b) => b,
            Err(e) => panic!("encode {value:?} as {ty:?}: {e}"),
        }
    }

    fn num(n: Number) -> Value {
        Value::Number(n)
    }

    #[test]
    fn null_is_nil_for_every_type() {
        for ty in [
            Type::Bool,
            Type::Number,
            Type::String,
            Type::Dynamic,
            Type::list(Type::String),
            obj(&[]),
        ] {
            assert_eq!(enc(&Value::Null, &ty), [0xc0]);
            assert_eq!(dec(&[0xc0], &ty), Value::Null);
        }
    }

    #[test]
    fn unknown_is_written_as_fixext1_zero() {
        for ty in [
            Type::String,
            Type::Dynamic,
            Type::list(Type::Number),
            obj(&[("a", Type::Bool)]),
        ] {
            assert_eq!(enc(&Value::Unknown, &ty), [0xd4, 0x00, 0x00]);
        }
    }

    #[test]
    fn every_extension_form_decodes_as_unknown() {
        let forms: Vec<Vec<u8>> = vec![
            vec![0xd4, 0x00, 0x00],
            vec![0xd4, 0x0c, 0x01],
            vec![0xd5, 0x05, 1, 2],
            vec![0xd6, 0x7f, 1, 2, 3, 4],
            vec![0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0],
            [vec![0xd8, 0x01], vec![9; 16]].concat(),
            vec![0xc7, 0x00, 0x0c],
            // OpenTofu's refined unknown: ext type 12 with a msgpack map payload.
            vec![0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3],
            [vec![0xc8, 0x01, 0x00, 0x0c], vec![0xaa; 256]].concat(),
            vec![0xc9, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x80, 0xc0],
        ];
        for form in &forms {
            for ty in [
                Type::String,
                Type::Number,
                Type::Dynamic,
                Type::set(Type::String),
                obj(&[("x", Type::Bool)]),
            ] {
                assert_eq!(dec(form, &ty), Value::Unknown, "{form:02x?} as {ty:?}");
            }
        }
    }

    #[test]
    fn unknowns_nested_anywhere() {
        let ty = obj(&[
            ("list", Type::list(Type::String)),
            ("map", Type::map(Type::Number)),
            ("dyn", Type::Dynamic),
            ("tags", Type::set(Type::String)),
        ]);
        let value = Value::object([
            ("list", Value::List(vec![Value::from("a"), Value::Unknown])),
            ("map", Value::Map([("k".to_owned(), Value::Unknown)].into())),
            ("dyn", Value::Unknown),
            ("tags", Value::Unknown),
        ]);
        let bytes = enc(&value, &ty);
        assert_eq!(dec(&bytes, &ty), value);
        // A refined unknown with a payload inside a list element.
        let refined = [0x92, 0xa1, b'a', 0xc7, 0x02, 0x0c, 0x81, 0x01];
        // (the payload is opaque: its bytes are skipped as a whole)
        assert_eq!(
            dec(&refined, &Type::list(Type::String)),
            Value::List(vec![Value::from("a"), Value::Unknown])
        );
    }

    #[test]
    fn bools() {
        assert_eq!(enc(&Value::Bool(true), &Type::Bool), [0xc3]);
        assert_eq!(enc(&Value::Bool(false), &Type::Bool), [0xc2]);
        assert_eq!(dec(&[0xc3], &Type::Bool), Value::Bool(true));
        assert!(dec_err(&[0x01], &Type::Bool).contains("expected a bool, found an integer"));
    }

    #[test]
    fn every_int_width_decodes() {
        let cases: Vec<(Vec<u8>, Number)> = vec![
            (vec![0x00], Number::Int(0)),
            (vec![0x7f], Number::Int(127)),
            (vec![0xe0], Number::Int(-32)),
            (vec![0xff], Number::Int(-1)),
            (vec![0xcc, 0xff], Number::Int(255)),
            (vec![0xcd, 0xff, 0xff], Number::Int(65535)),
            (
                vec![0xce, 0xff, 0xff, 0xff, 0xff],
                Number::Int(4_294_967_295),
            ),
            (
                vec![0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                Number::Int(i64::MAX),
            ),
            (
                vec![0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                Number::Uint(u64::MAX),
            ),
            (vec![0xd0, 0x80], Number::Int(-128)),
            (vec![0xd1, 0x80, 0x00], Number::Int(-32768)),
            (
                vec![0xd2, 0x80, 0x00, 0x00, 0x00],
                Number::Int(i64::from(i32::MIN)),
            ),
            (vec![0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], Number::Int(i64::MIN)),
            // Non-minimal forms are fine too.
            (vec![0xd3, 0, 0, 0, 0, 0, 0, 0, 5], Number::Int(5)),
        ];
        for (bytes, expected) in cases {
            match dec(&bytes, &Type::Number) {
                Value::Number(n) => {
                    assert_eq!(n, expected, "{bytes:02x?}");
                    assert_eq!(
                        std::mem::discriminant(&n),
                        std::mem::discriminant(&expected),
                        "{bytes:02x?}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn ints_encode_in_their_smallest_form() {
        let cases: Vec<(i64, Vec<u8>)> = vec![
            (0, vec![0x00]),
            (127, vec![0x7f]),
            (128, vec![0xcc, 0x80]),
            (255, vec![0xcc, 0xff]),
            (256, vec![0xcd, 0x01, 0x00]),
            (65536, vec![0xce, 0x00, 0x01, 0x00, 0x00]),
            (1 << 32, vec![0xcf, 0, 0, 0, 1, 0, 0, 0, 0]),
            (-1, vec![0xff]),
            (-32, vec![0xe0]),
            (-33, vec![0xd0, 0xdf]),
            (-129, vec![0xd1, 0xff, 0x7f]),
            (-32769, vec![0xd2, 0xff, 0xff, 0x7f, 0xff]),
            (i64::MIN, vec![0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]),
        ];
        for (i, bytes) in cases {
            assert_eq!(enc(&Value::from(i), &Type::Number), bytes, "{i}");
            assert_eq!(dec(&bytes, &Type::Number), Value::from(i));
        }
        assert_eq!(
            enc(&num(Number::Uint(u64::MAX)), &Type::Number),
            [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        // Integral floats and decimals are integers on the wire.
        assert_eq!(enc(&num(Number::Float(3.0)), &Type::Number), [0x03]);
        assert_eq!(enc(&num(Number::Float(-0.0)), &Type::Number), [0x00]);
        assert_eq!(
            enc(&num(Number::Decimal("4.000".into())), &Type::Number),
            [0x04]
        );
        assert_eq!(
            enc(&num(Number::Decimal("1e3".into())), &Type::Number),
            [0xcd, 0x03, 0xe8]
        );
    }

    #[test]
    fn floats() {
        let f32_bytes = [0xca, 0x3f, 0xc0, 0x00, 0x00]; // 1.5f32
        assert_eq!(dec(&f32_bytes, &Type::Number), num(Number::Float(1.5)));
        let mut f64_bytes = vec![0xcb];
        f64_bytes.extend_from_slice(&0.1f64.to_be_bytes());
        assert_eq!(dec(&f64_bytes, &Type::Number), num(Number::Float(0.1)));
        assert_eq!(enc(&num(Number::Float(0.1)), &Type::Number), f64_bytes);
        let mut inf = vec![0xcb];
        inf.extend_from_slice(&f64::INFINITY.to_be_bytes());
        assert_eq!(enc(&num(Number::Float(f64::INFINITY)), &Type::Number), inf);
        assert_eq!(dec(&inf, &Type::Number), num(Number::Float(f64::INFINITY)));
        // Integral floats from 2^53 up stay float64: their shortest text is not their exact value.
        let big = 187_755_126_050_311_008.0f64;
        let mut big_bytes = vec![0xcb];
        big_bytes.extend_from_slice(&big.to_be_bytes());
        assert_eq!(enc(&num(Number::Float(big)), &Type::Number), big_bytes);
        let mut nan = vec![0xcb];
        nan.extend_from_slice(&f64::NAN.to_be_bytes());
        assert!(dec_err(&nan, &Type::Number).contains("NaN"));
        assert!(encode(&num(Number::Float(f64::NAN)), &Type::Number).is_err());
    }

    #[test]
    fn numbers_in_strings() {
        let as_str = |s: &str| {
            let mut b = Vec::new();
            write_str(&mut b, s).unwrap();
            b
        };
        assert_eq!(dec(&as_str("42"), &Type::Number), Value::from(42));
        assert_eq!(dec(&as_str("-17"), &Type::Number), Value::from(-17));
        assert_eq!(
            dec(&as_str("18446744073709551615"), &Type::Number),
            num(Number::Uint(u64::MAX))
        );
        assert_eq!(dec(&as_str("0.5"), &Type::Number), num(Number::Float(0.5)));
        let big = "123456789012345678901234567890.5";
        assert_eq!(
            dec(&as_str(big), &Type::Number),
            num(Number::Decimal(big.into()))
        );
        // Re-encoded as cty would: the text, since neither int nor float64 holds it.
        assert_eq!(
            enc(&num(Number::Decimal(big.into())), &Type::Number),
            as_str(big)
        );
        // 0.1 has no exact float64: it stays text, and equals the float64 0.1 as cty says.
        let tenth = dec(&as_str("0.1"), &Type::Number);
        assert_eq!(tenth, num(Number::Decimal("0.1".into())));
        assert_eq!(tenth, num(Number::Float(0.1)));
        assert_eq!(enc(&tenth, &Type::Number), as_str("0.1"));
        // The exact binary value of 0.1f64 is a float64, but its shortest text
        // is "0.1": sending it as a float would change the decimal cty sees.
        let exact_tenth = "0.1000000000000000055511151231257827021181583404541015625";
        assert_eq!(
            dec(&as_str(exact_tenth), &Type::Number),
            num(Number::Decimal(exact_tenth.into()))
        );
        assert_eq!(
            enc(&num(Number::Decimal(exact_tenth.into())), &Type::Number),
            as_str(exact_tenth)
        );
        assert_ne!(
            num(Number::Decimal(exact_tenth.into())),
            num(Number::Float(0.1))
        );
        assert_eq!(
            dec(&as_str("1E400"), &Type::Number),
            num(Number::Decimal("1E400".into()))
        );
        assert_eq!(dec(&as_str("+.5e1"), &Type::Number), num(Number::Int(5)));
        assert_eq!(
            dec(&as_str("-Inf"), &Type::Number),
            num(Number::Float(f64::NEG_INFINITY))
        );
        for bad in [
            "",
            "abc",
            "1.2.3",
            "--1",
            "1e",
            "0x10",
            "1e99999999999",
            " 1",
        ] {
            assert!(
                dec_err(&as_str(bad), &Type::Number).contains("expected a number"),
                "{bad:?}"
            );
        }
        assert!(encode(&num(Number::Decimal("nope".into())), &Type::Number).is_err());
    }

    #[test]
    fn strings_in_every_length_form() {
        let long = "x".repeat(70_000);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (vec![0xa1, b'a'], "a"),
            (vec![0xd9, 0x01, b'a'], "a"),
            (vec![0xda, 0x00, 0x01, b'a'], "a"),
            (vec![0xdb, 0x00, 0x00, 0x00, 0x01, b'a'], "a"),
        ];
        for (bytes, s) in cases {
            assert_eq!(dec(&bytes, &Type::String), Value::from(s));
        }
        for s in [
            "",
            "a",
            &"y".repeat(31),
            &"y".repeat(32),
            &"y".repeat(300),
            &long,
        ] {
            assert_eq!(
                dec(&enc(&Value::from(s), &Type::String), &Type::String),
                Value::from(s)
            );
        }
        assert_eq!(enc(&Value::from("a"), &Type::String), [0xa1, b'a']);
        assert_eq!(
            &enc(&Value::from("y".repeat(32)), &Type::String)[..2],
            [0xd9, 32]
        );
        // Strict: binary is not a string, nor is a number.
        assert!(dec_err(&[0xc4, 0x01, b'a'], &Type::String)
            .contains("expected a string, found binary data"));
        assert!(dec_err(&[0x01], &Type::String).contains("expected a string"));
        assert!(dec_err(&[0xa2, 0xff, 0xfe], &Type::String).contains("UTF-8"));
    }

    #[test]
    fn collections() {
        let list = Value::List(vec![Value::from("a"), Value::Null, Value::from("b")]);
        let bytes = enc(&list, &Type::list(Type::String));
        assert_eq!(bytes, [0x93, 0xa1, b'a', 0xc0, 0xa1, b'b']);
        assert_eq!(dec(&bytes, &Type::list(Type::String)), list);

        let tuple_ty = Type::Tuple(vec![Type::String, Type::Number]);
        let tuple = Value::Tuple(vec![Value::from("a"), Value::from(1)]);
        assert_eq!(dec(&enc(&tuple, &tuple_ty), &tuple_ty), tuple);
        assert!(dec_err(&[0x91, 0xa1, b'a'], &tuple_ty).contains("tuple of 2 elements"));

        let map = Value::Map(
            [
                ("b".to_owned(), Value::from(2)),
                ("a".to_owned(), Value::from(1)),
            ]
            .into(),
        );
        let bytes = enc(&map, &Type::map(Type::Number));
        assert_eq!(bytes, [0x82, 0xa1, b'a', 0x01, 0xa1, b'b', 0x02]);
        assert_eq!(dec(&bytes, &Type::map(Type::Number)), map);
        assert!(dec_err(&[0x81, 0x01, 0x01], &Type::map(Type::Number)).contains("string key"));
        assert!(dec_err(
            &[0x82, 0xa1, b'a', 0x01, 0xa1, b'a', 0x02],
            &Type::map(Type::Number)
        )
        .contains("duplicate"));
        // Empty collections are not null.
        assert_eq!(dec(&[0x90], &Type::list(Type::String)), Value::List(vec![]));
        assert_eq!(
            dec(&[0x80], &Type::map(Type::String)),
            Value::Map(BTreeMap::new())
        );
        assert_eq!(enc(&Value::Set(vec![]), &Type::set(Type::String)), [0x90]);
    }

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let ty = Type::set(Type::String);
        let a = enc(&Value::Set(vec!["b".into(), "a".into(), "b".into()]), &ty);
        let b = enc(&Value::Set(vec!["a".into(), "b".into()]), &ty);
        assert_eq!(a, b);
        assert_eq!(a, [0x92, 0xa1, b'a', 0xa1, b'b']);
        // Decoding keeps the wire order.
        assert_eq!(
            dec(&[0x92, 0xa1, b'b', 0xa1, b'a'], &ty)
                .as_elements()
                .map(|e| e.to_vec()),
            Some(vec![Value::from("b"), Value::from("a")])
        );
        // Sets of objects compare by value.
        let objects = Type::set(obj(&[("n", Type::Number)]));
        let one = Value::object([("n", Value::from(1))]);
        let one_float = Value::object([("n", num(Number::Float(1.0)))]);
        assert_eq!(
            enc(&Value::Set(vec![one.clone(), one_float]), &objects),
            enc(&Value::Set(vec![one]), &objects)
        );
    }

    #[test]
    fn objects_need_exactly_their_attributes() {
        let ty = obj(&[("a", Type::String), ("b", Type::Number)]);
        // Encoding writes every attribute, sorted, null where absent.
        let bytes = enc(&Value::object([("b", Value::from(1))]), &ty);
        assert_eq!(bytes, [0x82, 0xa1, b'a', 0xc0, 0xa1, b'b', 0x01]);
        assert_eq!(
            dec(&bytes, &ty),
            Value::object([("a", Value::Null), ("b", Value::from(1))])
        );
        // Any key order on input.
        assert_eq!(
            dec(&[0x82, 0xa1, b'b', 0x01, 0xa1, b'a', 0xc0], &ty),
            dec(&bytes, &ty)
        );

        let missing = dec_err(&[0x81, 0xa1, b'a', 0xc0], &ty);
        assert!(missing.contains("missing attribute \"b\""), "{missing}");
        let extra = dec_err(
            &[0x83, 0xa1, b'a', 0xc0, 0xa1, b'b', 0x01, 0xa1, b'c', 0x01],
            &ty,
        );
        assert!(extra.contains("unexpected attribute \"c\""), "{extra}");
        let twice = dec_err(&[0x82, 0xa1, b'a', 0xc0, 0xa1, b'a', 0xc0], &ty);
        assert!(twice.contains("twice"), "{twice}");
        let err = encode(&Value::object([("zzz", Value::Null)]), &ty)
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"zzz\" is not in the object type"), "{err}");
        assert_eq!(
            enc(&Value::object(Vec::<(String, Value)>::new()), &obj(&[])),
            [0x80]
        );
    }

    #[test]
    fn errors_name_the_path() {
        let ty = obj(&[("a", obj(&[("b", Type::list(Type::Number))]))]);
        // {"a": {"b": [1, 2, "x"]}}
        let bytes = [
            0x81, 0xa1, b'a', 0x81, 0xa1, b'b', 0x93, 0x01, 0x02, 0xa1, b'x',
        ];
        let err = dec_err(&bytes, &ty);
        assert_eq!(
            err,
            "msgpack: at .a.b[2]: expected a number, found the string \"x\""
        );
        let map_ty = Type::map(Type::Bool);
        assert_eq!(
            dec_err(&[0x81, 0xa1, b'k', 0x01], &map_ty),
            "msgpack: at [\"k\"]: expected a bool, found an integer"
        );
        let value = Value::object([(
            "a",
            Value::object([("b", Value::List(vec![Value::from("x")]))]),
        )]);
        assert_eq!(
            encode(&value, &ty).unwrap_err().to_string(),
            "msgpack: at .a.b[0]: expected a number, got a string"
        );
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let value = Value::Dynamic {
            ty: Type::String,
            value: Box::new(Value::from("x")),
        };
        let bytes = enc(&value, &Type::Dynamic);
        let mut expected = vec![0x92, 0xc4, 8];
        expected.extend_from_slice(b"\"string\"");
        expected.extend_from_slice(&[0xa1, b'x']);
        assert_eq!(bytes, expected);
        assert_eq!(dec(&bytes, &Type::Dynamic), value);
        // The type JSON may also arrive as a str.
        let mut as_str = vec![0x92, 0xa8];
        as_str.extend_from_slice(b"\"string\"");
        as_str.extend_from_slice(&[0xa1, b'x']);
        assert_eq!(dec(&as_str, &Type::Dynamic), value);
        // A plain value gets its evident type.
        assert_eq!(enc(&Value::from("x"), &Type::Dynamic), bytes);
        // Typed null and typed unknown keep their type.
        let typed_null = Value::Dynamic {
            ty: Type::list(Type::String),
            value: Box::new(Value::Null),
        };
        assert_eq!(
            dec(&enc(&typed_null, &Type::Dynamic), &Type::Dynamic),
            typed_null
        );
        let typed_unknown = Value::Dynamic {
            ty: Type::Number,
            value: Box::new(Value::Unknown),
        };
        assert_eq!(
            dec(&enc(&typed_unknown, &Type::Dynamic), &Type::Dynamic),
            typed_unknown
        );
        // Nested object type.
        let ty = obj(&[("n", Type::Number), ("tags", Type::set(Type::String))]);
        let nested = Value::Dynamic {
            ty: ty.clone(),
            value: Box::new(Value::object([
                ("n", Value::from(3)),
                ("tags", Value::Set(vec!["t".into()])),
            ])),
        };
        assert_eq!(dec(&enc(&nested, &Type::Dynamic), &Type::Dynamic), nested);
        assert!(dec_err(&[0x91, 0xc0], &Type::Dynamic).contains("dynamic value"));
        assert!(
            dec_err(&[0x92, 0xc4, 0x03, b'b', b'a', b'd', 0xc0], &Type::Dynamic)
                .contains("type JSON")
        );
    }

    #[test]
    fn depth_is_limited() {
        let mut ty = Type::String;
        for _ in 0..300 {
            ty = Type::list(ty);
        }
        let mut bytes = vec![0x91; 300];
        bytes.push(0xa0);
        assert!(dec_err(&bytes, &ty).contains("deeper than 256"));
        // Nested dynamic wrappers count too: ["dynamic", ["dynamic", ...]].
        let mut bytes = Vec::new();
        for _ in 0..400 {
            bytes.extend_from_slice(&[0x92, 0xc4, 9]);
            bytes.extend_from_slice(b"\"dynamic\"");
        }
        bytes.push(0xc0);
        assert!(dec_err(&bytes, &Type::Dynamic).contains("deeper than 256"));
        // 200 levels are fine.
        let mut ty = Type::String;
        for _ in 0..200 {
            ty = Type::list(ty);
        }
        let mut bytes = vec![0x91; 200];
        bytes.push(0xa0);
        assert!(decode(&bytes, &ty).is_ok());
    }

    #[test]
    fn truncated_input_is_an_error_at_every_length() {
        let ty = obj(&[
            ("name", Type::String),
            ("n", Type::Number),
            ("list", Type::list(Type::Number)),
            ("dyn", Type::Dynamic),
        ]);
        let value = Value::object([
            ("name", Value::from("a somewhat longer name here")),
            ("n", num(Number::Float(1.25))),
            (
                "list",
                Value::List(vec![Value::from(1), Value::from(100_000), Value::from(-5)]),
            ),
            (
                "dyn",
                Value::Dynamic {
                    ty: Type::Bool,
                    value: Box::new(Value::Bool(true)),
                },
            ),
        ]);
        let bytes = enc(&value, &ty);
        assert_eq!(dec(&bytes, &ty), value);
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len], &ty).is_err(), "prefix of {len} bytes");
        }
        assert!(dec_err(&[], &Type::String).contains("unexpected end of input"));
        // Trailing bytes are refused too.
        assert!(dec_err(&[0xc0, 0xc0], &Type::String).contains("unexpected bytes after"));
    }

    #[test]
    fn hostile_lengths_fail_fast() {
        assert!(
            dec_err(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::String))
                .contains("end of input")
        );
        assert!(
            dec_err(&[0xdf, 0xff, 0xff, 0xff, 0xff], &Type::map(Type::String))
                .contains("end of input")
        );
        assert!(dec_err(&[0xdb, 0xff, 0xff, 0xff, 0xff], &Type::String).contains("end of input"));
        assert!(
            dec_err(&[0xc9, 0xff, 0xff, 0xff, 0xff, 0x00], &Type::String).contains("end of input")
        );
        assert!(dec_err(&[0xc1], &Type::String).contains("0xc1"));
    }
}
