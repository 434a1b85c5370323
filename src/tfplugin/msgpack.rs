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
//!
//! The decoder lives in `read`, the encoder in `write`; what they share
//! with the JSON codec (paths in errors, the depth limit) in `codec`.

mod read;
mod write;

use super::codec::encode_value;
use super::{Type, Value};
use write::Msgpack;

pub use super::codec::MAX_DEPTH;

/// A value that cannot be decoded from, or encoded to, msgpack. The message
/// says where (an attribute path such as `.rules[2].name`) and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("msgpack: {0}")]
pub struct Error(pub String);

/// Decodes the msgpack bytes of a value of type `ty`. Every byte of the input
/// must belong to the value.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, Error> {
    read::decode(bytes, ty).map_err(|f| Error(f.render()))
}

/// Encodes `value` as a value of type `ty`. Object attributes absent from the
/// value are written as null; map keys and object attributes come out sorted
/// and set elements sorted by their encoding with duplicates dropped, so equal
/// values always encode to the same bytes.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    encode_value::<Msgpack>(&mut out, value, ty, 0).map_err(|f| Error(f.render()))?;
    Ok(out)
}

#[cfg(test)]
mod tests;
