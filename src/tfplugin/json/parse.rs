//! Parsing JSON text into a [`Node`] tree that keeps each number's exact text,
//! the step before the type-directed conversion in `read`. The input is
//! untrusted: nesting is limited, duplicate object keys are refused, and every
//! error says the byte offset where it happened.

use super::super::codec::{Failure, MAX_DEPTH};
use super::super::value::is_json_number;

/// Parses `text`, which must hold exactly one JSON value (whitespace around it
/// allowed).
pub(super) fn parse(text: &str) -> Result<Node, Failure> {
    Parser { text, pos: 0 }.document()
}

/// A JSON value as parsed, before its type is known.
#[derive(Debug)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order; duplicate names are refused when parsing.
    Object(Vec<(String, Node)>),
}

impl Node {
    pub(super) fn describe(&self) -> &'static str {
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
    pub(super) fn to_serde(&self) -> serde_json::Value {
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
