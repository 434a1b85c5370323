//! cty's JSON encoding of values: `DynamicValue.json` and `RawState.json`
//! (hashicorp/go-cty `cty/json`).
//!
//! The [`Type`] drives both directions. Numbers keep their exact decimal text
//! (a JSON number or a string holding one), objects may omit attributes (they
//! decode as null, as state written under an older schema does), and
//! DynamicPseudoType values are `{"value": ..., "type": ...}`. Unknown values
//! have no JSON form.
//!
//! The parser is our own rather than serde_json's, because serde_json rounds
//! big and precise numbers to f64 and cty numbers are exact decimals. Like the
//! msgpack decoder it never panics, refuses nesting deeper than
//! [`MAX_DEPTH`](super::msgpack::MAX_DEPTH) and allocates in proportion to
//! its input only.

use std::collections::BTreeMap;

use super::msgpack::{describe_type, describe_value, Failure, Step, MAX_DEPTH};
use super::value::{is_json_number, NumberForm};
use super::{Number, Type, Value};

/// A value that cannot be decoded from, or encoded to, JSON. The message says
/// where (an attribute path such as `.rules[2].name`) and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("json: {0}")]
pub struct Error(pub String);

/// Decodes JSON bytes as a value of type `ty`. Object attributes missing from
/// the JSON become null; attributes the type does not have are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, Error> {
    decode_with(bytes, ty, ExtraAttributes::Refuse)
}

/// Like [`decode`], but object attributes the type does not have are dropped:
/// for upgrading state written by a schema that had an attribute since removed.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<Value, Error> {
    decode_with(bytes, ty, ExtraAttributes::Ignore)
}

/// Encodes `value` as JSON of type `ty`. Object attributes absent from the
/// value are written as null; keys come out sorted and set elements sorted by
/// their encoding with duplicates dropped. Unknown values are an error.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write_value(&mut out, value, ty, 0).map_err(|f| Error(f.render()))?;
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExtraAttributes {
    Refuse,
    Ignore,
}

fn decode_with(bytes: &[u8], ty: &Type, extra: ExtraAttributes) -> Result<Value, Error> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| Error(format!("input is not valid UTF-8: {e}")))?;
    let mut parser = Parser { text, pos: 0 };
    let node = parser.document().map_err(|f| Error(f.render()))?;
    convert(&node, ty, extra, 0).map_err(|f| Error(f.render()))
}

// ---------------------------------------------------------------------------
// Parsing: JSON text to a tree that keeps number text exact

#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order; duplicate names are refused when parsing.
    Object(Vec<(String, Node)>),
}

impl Node {
    fn describe(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a bool",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    /// The node as serde_json's value, for parsing the type JSON of a dynamic value.
    fn to_serde(&self) -> serde_json::Value {
        match self {
            Node::Null => serde_json::Value::Null,
            Node::Bool(b) => serde_json::Value::Bool(*b),
            Node::Number(text) => serde_json::Value::String(text.clone()),
            Node::String(s) => serde_json::Value::String(s.clone()),
            Node::Array(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_serde).collect())
            }
            Node::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_serde()))
                    .collect(),
            ),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn fail(&self, message: impl std::fmt::Display) -> Failure {
        Failure::new(format!("invalid JSON at offset {}: {message}", self.pos))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, literal: &str) -> Result<(), Failure> {
        if self.text.as_bytes().get(self.pos..self.pos + literal.len()) == Some(literal.as_bytes())
        {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(self.fail(format!("expected {literal}")))
        }
    }

    fn document(&mut self) -> Result<Node, Failure> {
        let node = self.node(0)?;
        self.skip_whitespace();
        if self.pos != self.text.len() {
            return Err(self.fail("unexpected text after the value"));
        }
        Ok(node)
    }

    fn node(&mut self, depth: usize) -> Result<Node, Failure> {
        if depth > MAX_DEPTH {
            return Err(self.fail(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.fail("unexpected end of input")),
            Some(b'n') => self.expect_literal("null").map(|()| Node::Null),
            Some(b't') => self.expect_literal("true").map(|()| Node::Bool(true)),
            Some(b'f') => self.expect_literal("false").map(|()| Node::Bool(false)),
            Some(b'"') => self.string().map(Node::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_whitespace();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Node::Array(items));
                }
                loop {
                    items.push(self.node(depth + 1)?);
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Node::Array(items));
                        }
                        _ => return Err(self.fail("expected , or ]")),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members: Vec<(String, Node)> = Vec::new();
                self.skip_whitespace();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Node::Object(members));
                }
                loop {
                    self.skip_whitespace();
                    if self.peek() != Some(b'"') {
                        return Err(self.fail("expected a string key"));
                    }
                    let key = self.string()?;
                    self.skip_whitespace();
                    if self.peek() != Some(b':') {
                        return Err(self.fail("expected :"));
                    }
                    self.pos += 1;
                    let value = self.node(depth + 1)?;
                    members.push((key, value));
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            // Sorting keeps the duplicate check O(n log n) on hostile input.
                            let mut keys: Vec<&str> =
                                members.iter().map(|(k, _)| k.as_str()).collect();
                            keys.sort_unstable();
                            if let Some(pair) = keys.windows(2).find(|pair| pair[0] == pair[1]) {
                                return Err(self.fail(format!("duplicate key {:?}", pair[0])));
                            }
                            return Ok(Node::Object(members));
                        }
                        _ => return Err(self.fail("expected , or }")),
                    }
                }
            }
            Some(_) => Err(self.fail("expected a JSON value")),
        }
    }

    fn number(&mut self) -> Result<Node, Failure> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if !is_json_number(text) {
            return Err(self.fail(format!("malformed number {text:?}")));
        }
        Ok(Node::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, Failure> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.fail("truncated \\u escape"))?;
        let code =
            u32::from_str_radix(digits, 16).map_err(|_| self.fail("malformed \\u escape"))?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.fail("malformed \\u escape"));
        }
        self.pos += 4;
        Ok(code)
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, Failure> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            // The run stops at an ASCII byte or the end, so it is a char boundary.
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.fail("unterminated string"))?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&high) {
                                if self.text.as_bytes().get(self.pos..self.pos + 2) != Some(b"\\u")
                                {
                                    return Err(self.fail("unpaired surrogate in \\u escape"));
                                }
                                self.pos += 2;
                                let low = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&low) {
                                    return Err(self.fail("unpaired surrogate in \\u escape"));
                                }
                                0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
                            } else {
                                high
                            };
                            let c = char::from_u32(code)
                                .ok_or_else(|| self.fail("unpaired surrogate in \\u escape"))?;
                            out.push(c);
                        }
                        _ => return Err(self.fail("invalid escape")),
                    }
                }
                Some(_) => return Err(self.fail("control character in string")),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Type-directed conversion of the tree

fn expected(what: &str, found: &Node) -> Failure {
    Failure::new(format!("expected {what}, found {}", found.describe()))
}

fn convert(node: &Node, ty: &Type, extra: ExtraAttributes, depth: usize) -> Result<Value, Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::new(format!(
            "values nested deeper than {MAX_DEPTH} levels"
        )));
    }
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
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                values.push(
                    convert(item, element, extra, depth + 1).map_err(|f| f.at(Step::Index(i)))?,
                );
            }
            Ok(if matches!(ty, Type::Set(_)) {
                Value::Set(values)
            } else {
                Value::List(values)
            })
        }
        Type::Tuple(types) => {
            let Node::Array(items) = node else {
                return Err(expected("a tuple", node));
            };
            if items.len() != types.len() {
                return Err(Failure::new(format!(
                    "expected a tuple of {} elements, found {}",
                    types.len(),
                    items.len()
                )));
            }
            let mut values = Vec::with_capacity(items.len());
            for (i, (item, item_type)) in items.iter().zip(types).enumerate() {
                values.push(
                    convert(item, item_type, extra, depth + 1).map_err(|f| f.at(Step::Index(i)))?,
                );
            }
            Ok(Value::Tuple(values))
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
                    return Err(Failure::new(format!(
                        "unexpected attribute {name:?}: not in the type"
                    )));
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

// ---------------------------------------------------------------------------
// Encoding

fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type, depth: usize) -> Result<(), Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::new(format!(
            "values nested deeper than {MAX_DEPTH} levels"
        )));
    }
    match value {
        Value::Unknown => return Err(Failure::new("unknown values cannot be written as JSON")),
        Value::Null => {
            out.extend_from_slice(b"null");
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
        out.extend_from_slice(br#"{"value":"#);
        write_value(out, inner, &actual, depth + 1)?;
        out.extend_from_slice(br#","type":"#);
        out.extend_from_slice(&actual.to_json_bytes());
        out.push(b'}');
        return Ok(());
    }
    match (ty, value) {
        (_, Value::Dynamic { value, .. }) => write_value(out, value, ty, depth + 1),
        (Type::Bool, Value::Bool(b)) => {
            out.extend_from_slice(if *b { b"true" } else { b"false" });
            Ok(())
        }
        (Type::Number, Value::Number(n)) => write_number(out, n),
        (Type::String, Value::String(s)) => {
            write_string(out, s);
            Ok(())
        }
        (Type::List(element), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            out.push(b'[');
            for (i, item) in v.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item, element, depth + 1).map_err(|f| f.at(Step::Index(i)))?;
            }
            out.push(b']');
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
            out.push(b'[');
            out.extend_from_slice(&encoded.join(&b','));
            out.push(b']');
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
            out.push(b'[');
            for (i, (item, item_type)) in v.iter().zip(types).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item, item_type, depth + 1).map_err(|f| f.at(Step::Index(i)))?;
            }
            out.push(b']');
            Ok(())
        }
        (Type::Map(element), Value::Map(m) | Value::Object(m)) => {
            out.push(b'{');
            for (i, (key, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(out, key);
                out.push(b':');
                write_value(out, item, element, depth + 1)
                    .map_err(|f| f.at(Step::Key(key.clone())))?;
            }
            out.push(b'}');
            Ok(())
        }
        (Type::Object(attributes), Value::Object(m) | Value::Map(m)) => {
            if let Some(extra) = m.keys().find(|name| !attributes.contains_key(*name)) {
                return Err(Failure::new(format!(
                    "attribute {extra:?} is not in the object type"
                )));
            }
            out.push(b'{');
            for (i, (name, attribute_type)) in attributes.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(out, name);
                out.push(b':');
                let item = m.get(name).unwrap_or(&Value::Null);
                write_value(out, item, attribute_type, depth + 1)
                    .map_err(|f| f.at(Step::Attr(name.clone())))?;
            }
            out.push(b'}');
            Ok(())
        }
        _ => Err(Failure::new(format!(
            "expected {}, got {}",
            describe_type(ty),
            describe_value(value)
        ))),
    }
}

fn write_number(out: &mut Vec<u8>, number: &Number) -> Result<(), Failure> {
    let text = match number {
        Number::Int(i) => i.to_string(),
        Number::Uint(u) => u.to_string(),
        Number::Float(f) if !f.is_finite() => {
            return Err(Failure::new(format!(
                "{f} cannot be written as a JSON number"
            )));
        }
        // Display prints the shortest round-tripping digits, never an exponent.
        Number::Float(f) => format!("{f}"),
        Number::Decimal(text) => match NumberForm::parse(text) {
            None => return Err(Failure::new(format!("{text:?} is not a decimal number"))),
            Some(NumberForm::Infinite { .. }) => {
                return Err(Failure::new(format!(
                    "{text} cannot be written as a JSON number"
                )));
            }
            Some(NumberForm::Finite(_)) if is_json_number(text) => text.clone(),
            Some(NumberForm::Finite(parts)) => parts.render(),
        },
    };
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

fn write_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if u32::from(c) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes())
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(attrs: &[(&str, Type)]) -> Type {
        Type::object(attrs.iter().cloned())
    }

    fn dec(text: &str, ty: &Type) -> Value {
        match decode(text.as_bytes(), ty) {
            Ok(v) => v,
            Err(e) => panic!("decode {text} as {ty:?}: {e}"),
        }
    }

    fn dec_err(text: &str, ty: &Type) -> String {
        match decode(text.as_bytes(), ty) {
            Ok(v) => panic!("decode {text} as {ty:?} should fail, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn enc(value: &Value, ty: &Type) -> String {
        match encode(value, ty) {
            Ok(b) => String::from_utf8(b).unwrap_or_default(),
            Err(e) => panic!("encode {value:?} as {ty:?}: {e}"),
        }
    }

    fn num(n: Number) -> Value {
        Value::Number(n)
    }

    #[test]
    fn primitives() {
        assert_eq!(dec("null", &Type::String), Value::Null);
        assert_eq!(dec(" true ", &Type::Bool), Value::Bool(true));
        assert_eq!(dec("\"false\"", &Type::Bool), Value::Bool(false));
        assert_eq!(dec("\"hi\"", &Type::String), Value::from("hi"));
        // cty/json converts numbers and bools to strings where a string is wanted.
        assert_eq!(dec("12", &Type::String), Value::from("12"));
        assert_eq!(dec("true", &Type::String), Value::from("true"));
        assert_eq!(enc(&Value::Null, &Type::Number), "null");
        assert_eq!(enc(&Value::Bool(true), &Type::Bool), "true");
        assert!(dec_err("[]", &Type::Bool).contains("expected a bool, found an array"));
    }

    #[test]
    fn numbers_stay_exact() {
        assert_eq!(dec("42", &Type::Number), Value::from(42));
        assert_eq!(dec("-0", &Type::Number), Value::from(0));
        assert_eq!(dec("\"42\"", &Type::Number), Value::from(42));
        assert_eq!(dec("1.5", &Type::Number), num(Number::Float(1.5)));
        assert_eq!(
            dec("18446744073709551615", &Type::Number),
            num(Number::Uint(u64::MAX))
        );
        let big = "123456789012345678901234567890";
        assert_eq!(dec(big, &Type::Number), num(Number::Decimal(big.into())));
        assert_eq!(enc(&dec(big, &Type::Number), &Type::Number), big);
        assert_eq!(
            dec("0.1", &Type::Number),
            num(Number::Decimal("0.1".into()))
        );
        assert_eq!(enc(&num(Number::Float(0.1)), &Type::Number), "0.1");
        assert_eq!(
            enc(&num(Number::Float(1e21)), &Type::Number),
            "1000000000000000000000"
        );
        assert_eq!(enc(&num(Number::Float(2.0)), &Type::Number), "2");
        assert_eq!(
            enc(&num(Number::Decimal("+.5".into())), &Type::Number),
            "0.5"
        );
        assert!(encode(&num(Number::Float(f64::INFINITY)), &Type::Number).is_err());
        assert!(encode(&num(Number::Decimal("x".into())), &Type::Number).is_err());
        for bad in ["01", "1.", ".5", "+1", "1e", "--1", "0x1"] {
            assert!(decode(bad.as_bytes(), &Type::Number).is_err(), "{bad}");
        }
        assert!(dec_err("\"abc\"", &Type::Number).contains("expected a number"));
    }

    #[test]
    fn strings_and_escapes() {
        let text = r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#;
        assert_eq!(
            dec(text, &Type::String),
            Value::from("a\"b\\c/d\u{8}\u{c}\n\r\té😀")
        );
        let tricky = "quote\" back\\ nl\n ctl\u{1} é 😀";
        let encoded = enc(&Value::from(tricky), &Type::String);
        assert_eq!(encoded, "\"quote\\\" back\\\\ nl\\n ctl\\u0001 é 😀\"");
        assert_eq!(dec(&encoded, &Type::String), Value::from(tricky));
        for bad in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\x""#,
            "\"a\nb\"",
            r#""\u12""#,
            "\"abc",
        ] {
            assert!(decode(bad.as_bytes(), &Type::String).is_err(), "{bad}");
        }
        assert!(decode(b"\"\xff\"", &Type::String)
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
    }

    #[test]
    fn collections() {
        let list_ty = Type::list(Type::Number);
        assert_eq!(
            dec("[1, 2]", &list_ty),
            Value::List(vec![Value::from(1), Value::from(2)])
        );
        assert_eq!(
            enc(&Value::List(vec![Value::from(1), Value::Null]), &list_ty),
            "[1,null]"
        );
        let map_ty = Type::map(Type::String);
        let map = Value::Map(
            [
                ("b".to_owned(), Value::from("2")),
                ("a".to_owned(), Value::from("1")),
            ]
            .into(),
        );
        assert_eq!(enc(&map, &map_ty), r#"{"a":"1","b":"2"}"#);
        assert_eq!(dec(r#"{"b":"2","a":"1"}"#, &map_ty), map);
        let tuple_ty = Type::Tuple(vec![Type::String, Type::Bool]);
        let tuple = Value::Tuple(vec![Value::from("x"), Value::Bool(false)]);
        assert_eq!(dec(&enc(&tuple, &tuple_ty), &tuple_ty), tuple);
        assert!(dec_err("[\"x\"]", &tuple_ty).contains("tuple of 2 elements"));
        let set_ty = Type::set(Type::String);
        assert_eq!(
            enc(
                &Value::Set(vec!["b".into(), "a".into(), "b".into()]),
                &set_ty
            ),
            r#"["a","b"]"#
        );
        assert_eq!(enc(&Value::Set(vec![]), &set_ty), "[]");
        assert!(dec_err(r#"{"a":1,"a":2}"#, &Type::map(Type::Number)).contains("duplicate key"));
    }

    #[test]
    fn objects_fill_missing_attributes_and_refuse_extra_ones() {
        let ty = obj(&[("a", Type::String), ("nested", obj(&[("b", Type::Number)]))]);
        assert_eq!(
            dec(r#"{"a":"x"}"#, &ty),
            Value::object([("a", Value::from("x")), ("nested", Value::Null)])
        );
        assert_eq!(
            dec(r#"{"nested":{}}"#, &ty),
            Value::object([
                ("a", Value::Null),
                ("nested", Value::object([("b", Value::Null)]))
            ])
        );
        let err = dec_err(r#"{"a":"x","nested":{"b":1,"gone":true}}"#, &ty);
        assert_eq!(
            err,
            "json: at .nested: unexpected attribute \"gone\": not in the type"
        );
        // The lenient decoder drops them, at any depth.
        let lenient = decode_lenient(br#"{"a":"x","old":1,"nested":{"b":1,"gone":true}}"#, &ty);
        assert_eq!(
            lenient.ok(),
            Some(Value::object([
                ("a", Value::from("x")),
                ("nested", Value::object([("b", Value::from(1))]))
            ]))
        );
        assert_eq!(
            enc(&Value::object([("a", Value::from("x"))]), &ty),
            r#"{"a":"x","nested":null}"#
        );
        assert!(encode(&Value::object([("zz", Value::Null)]), &ty).is_err());
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let value = Value::Dynamic {
            ty: Type::list(Type::String),
            value: Box::new(Value::List(vec!["a".into()])),
        };
        let text = enc(&value, &Type::Dynamic);
        assert_eq!(text, r#"{"value":["a"],"type":["list","string"]}"#);
        assert_eq!(dec(&text, &Type::Dynamic), value);
        assert_eq!(
            dec(r#"{"type":"string","value":"x"}"#, &Type::Dynamic),
            Value::Dynamic {
                ty: Type::String,
                value: Box::new(Value::from("x"))
            }
        );
        assert_eq!(
            enc(&Value::from(true), &Type::Dynamic),
            r#"{"value":true,"type":"bool"}"#
        );
        assert_eq!(dec("null", &Type::Dynamic), Value::Null);
        assert!(dec_err(r#"{"value":1}"#, &Type::Dynamic).contains("needs both"));
        assert!(
            dec_err(r#"{"value":1,"type":"number","x":2}"#, &Type::Dynamic)
                .contains("unexpected key")
        );
        assert!(dec_err(r#"{"value":1,"type":"nope"}"#, &Type::Dynamic).contains("nope"));
    }

    #[test]
    fn unknowns_have_no_json_form() {
        let ty = obj(&[("list", Type::list(Type::String))]);
        let value = Value::object([("list", Value::List(vec![Value::from("a"), Value::Unknown]))]);
        assert_eq!(
            encode(&value, &ty).unwrap_err().to_string(),
            "json: at .list[1]: unknown values cannot be written as JSON"
        );
    }

    #[test]
    fn errors_name_the_path() {
        let ty = obj(&[("a", obj(&[("b", Type::list(Type::Number))]))]);
        assert_eq!(
            dec_err(r#"{"a":{"b":[1,2,true]}}"#, &ty),
            "json: at .a.b[2]: expected a number, found a bool"
        );
        assert_eq!(
            dec_err(r#"{"k":[]}"#, &Type::map(Type::String)),
            "json: at [\"k\"]: expected a string, found an array"
        );
    }

    #[test]
    fn depth_is_limited() {
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        assert!(dec_err(&deep, &Type::Dynamic).contains("deeper than 256"));
        let deep = "[".repeat(100_000);
        assert!(dec_err(&deep, &Type::Dynamic).contains("deeper than 256"));
    }

    #[test]
    fn malformed_and_truncated_input_is_an_error() {
        let ty = obj(&[
            ("a", Type::String),
            ("n", Type::list(Type::Number)),
            ("d", Type::Dynamic),
        ]);
        let text = r#" {"a": "x\u00e9y", "n": [1, -2.5e3, 0.25], "d": {"value": {"k": null}, "type": ["map", "bool"]}} "#;
        let full = dec(text, &ty);
        assert_eq!(dec(&enc(&full, &ty), &ty), full);
        for len in 0..text.trim_end().len() {
            if let Some(prefix) = text.get(..len) {
                assert!(decode(prefix.as_bytes(), &ty).is_err(), "prefix {prefix:?}");
            }
        }
        for bad in [
            "",
            "nul",
            "[1,]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "[1] x",
            "{1:2}",
            "tru",
        ] {
            assert!(decode(bad.as_bytes(), &Type::Dynamic).is_err(), "{bad}");
            assert!(
                decode(bad.as_bytes(), &Type::map(Type::Number)).is_err(),
                "{bad}"
            );
        }
    }
}
