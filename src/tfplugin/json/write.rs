//! Encoding values as cty's JSON: null for null, numbers as their shortest
//! exact decimal text, object attributes in name order, set elements in the
//! order of their encodings, dynamic values as `{"value": ..., "type": ...}`.
//! Unknown values have no JSON form and are an error.

use super::super::codec::{Encoding, Failure};
use super::super::value::{is_json_number, NumberForm};
use super::super::{Number, Type};

/// The JSON [`Encoding`]: the walk over value and type is shared with msgpack.
pub(super) struct Json;

impl Encoding for Json {
    fn null(out: &mut Vec<u8>) {
        out.extend_from_slice(b"null");
    }

    fn unknown(_: &mut Vec<u8>) -> Result<(), Failure> {
        Err(Failure::new("unknown values cannot be written as JSON"))
    }

    fn bool(out: &mut Vec<u8>, value: bool) {
        out.extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn number(out: &mut Vec<u8>, number: &Number) -> Result<(), Failure> {
        write_number(out, number)
    }

    fn string(out: &mut Vec<u8>, text: &str) -> Result<(), Failure> {
        write_string(out, text);
        Ok(())
    }

    /// `{"value":...,"type":...}`, value first as cty writes it.
    fn dynamic(
        out: &mut Vec<u8>,
        actual: &Type,
        write_value: impl FnOnce(&mut Vec<u8>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        out.extend_from_slice(br#"{"value":"#);
        write_value(out)?;
        out.extend_from_slice(br#","type":"#);
        out.extend_from_slice(&actual.to_json_bytes());
        out.push(b'}');
        Ok(())
    }

    fn array_start(out: &mut Vec<u8>, _: usize) -> Result<(), Failure> {
        out.push(b'[');
        Ok(())
    }

    fn map_start(out: &mut Vec<u8>, _: usize) -> Result<(), Failure> {
        out.push(b'{');
        Ok(())
    }

    fn separator(out: &mut Vec<u8>, index: usize) {
        if index > 0 {
            out.push(b',');
        }
    }

    fn key(out: &mut Vec<u8>, key: &str) -> Result<(), Failure> {
        write_string(out, key);
        out.push(b':');
        Ok(())
    }

    fn array_end(out: &mut Vec<u8>) {
        out.push(b']');
    }

    fn map_end(out: &mut Vec<u8>) {
        out.push(b'}');
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
