//! Decoding msgpack: a [`Reader`] over untrusted bytes reads each marker
//! (with its length or scalar payload) as a [`Head`], then the expected
//! [`Type`] says what the head may be. Extensions are unknown values, nil is
//! null, and every length is checked against the bytes left before anything
//! is reserved.

use std::collections::BTreeMap;

use super::super::codec::{
    check_depth, check_tuple_len, describe_type, list_or_set, unexpected_attribute, Failure, Step,
};
use super::super::{Number, Type, Value};

/// Decodes the value of type `ty` that must fill all of `bytes`.
pub(super) fn decode(bytes: &[u8], ty: &Type) -> Result<Value, Failure> {
    let mut reader = Reader {
        input: bytes,
        pos: 0,
    };
    let value = reader.value(ty, 0)?;
    if reader.pos != bytes.len() {
        let extra = bytes.len() - reader.pos;
        return Err(Failure::new(format!(
            "{extra} unexpected bytes after the value"
        )));
    }
    Ok(value)
}

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
        check_depth(depth)?;
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
                Ok(list_or_set(ty, elements))
            }
            Type::Tuple(types) => {
                let Head::Array(count) = head else {
                    return Err(expected("a tuple", head));
                };
                check_tuple_len(types, count, "found")?;
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
                        return Err(unexpected_attribute(&key));
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
