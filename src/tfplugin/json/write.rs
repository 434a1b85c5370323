//! Encoding values as cty's JSON: null for null, numbers as their shortest
//! exact decimal text, object attributes in name order, set elements in the
//! order of their encodings, dynamic values as `{"value": ..., "type": ...}`.
//! Unknown values have no JSON form and are an error.

use super::super::codec::{
    check_depth, check_no_extra_attributes, check_tuple_len, dynamic_parts, mismatch,
    sorted_set_encodings, Failure, Step,
};
use super::super::value::{is_json_number, NumberForm};
use super::super::{Number, Type, Value};

pub(super) fn write_value(
    out: &mut Vec<u8>,
    value: &Value,
    ty: &Type,
    depth: usize,
) -> Result<(), Failure> {
    check_depth(depth)?;
    match value {
        Value::Unknown => return Err(Failure::new("unknown values cannot be written as JSON")),
        Value::Null => {
            out.extend_from_slice(b"null");
            return Ok(());
        }
        _ => {}
    }
    if *ty == Type::Dynamic {
        let (actual, inner) = dynamic_parts(value)?;
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
            let encoded =
                sorted_set_encodings(v, |buf, item| write_value(buf, item, element, depth + 1))?;
            out.push(b'[');
            out.extend_from_slice(&encoded.join(&b','));
            out.push(b']');
            Ok(())
        }
        (Type::Tuple(types), Value::List(v) | Value::Set(v) | Value::Tuple(v)) => {
            check_tuple_len(types, v.len(), "got")?;
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
            check_no_extra_attributes(attributes, m)?;
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
        _ => Err(mismatch(ty, value)),
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
