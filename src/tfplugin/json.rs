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
//!
//! Parsing lives in `parse`, the type-directed conversion of the parsed tree
//! in `read`, the encoder in `write`; what they share with the msgpack codec
//! (paths in errors, the depth limit) in `codec`.

mod parse;
mod read;
mod write;

use read::ExtraAttributes;
use write::Json;

use super::codec::encode_value;
use super::{Type, Value};

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
    encode_value::<Json>(&mut out, value, ty, 0).map_err(|f| Error(f.render()))?;
    Ok(out)
}

fn decode_with(bytes: &[u8], ty: &Type, extra: ExtraAttributes) -> Result<Value, Error> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| Error(format!("input is not valid UTF-8: {e}")))?;
    let node = parse::parse(text).map_err(|f| Error(f.render()))?;
    read::convert(&node, ty, extra, 0).map_err(|f| Error(f.render()))
}

#[cfg(test)]
mod tests;
