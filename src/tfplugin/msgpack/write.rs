//! Encoding msgpack the way cty does: nil for null, `d4 00 00` for unknown,
//! the smallest marker that holds each number, string and length, object
//! attributes in name order and set elements in the order of their encodings,
//! so equal values always encode to the same bytes.

use super::super::codec::{Encoding, Failure};
use super::super::value::{is_json_number, NumberForm};
use super::super::{Number, Type};

/// The msgpack [`Encoding`]: the walk over value and type is shared with JSON.
pub(super) struct Msgpack;

impl Encoding for Msgpack {
    fn null(out: &mut Vec<u8>) {
        out.push(0xc0);
    }

    fn unknown(out: &mut Vec<u8>) -> Result<(), Failure> {
        // cty writes every unknown as this zero-length extension.
        out.extend_from_slice(&[0xd4, 0x00, 0x00]);
        Ok(())
    }

    fn bool(out: &mut Vec<u8>, value: bool) {
        out.push(if value { 0xc3 } else { 0xc2 });
    }

    fn number(out: &mut Vec<u8>, number: &Number) -> Result<(), Failure> {
        write_number(out, number)
    }

    fn string(out: &mut Vec<u8>, text: &str) -> Result<(), Failure> {
        write_str(out, text)
    }

    /// `[type JSON as bin, value]`.
    fn dynamic(
        out: &mut Vec<u8>,
        actual: &Type,
        write_value: impl FnOnce(&mut Vec<u8>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        out.push(0x92);
        write_bin(out, &actual.to_json_bytes())?;
        write_value(out)
    }

    fn array_start(out: &mut Vec<u8>, len: usize) -> Result<(), Failure> {
        write_len(out, &ARRAY, len)
    }

    fn map_start(out: &mut Vec<u8>, len: usize) -> Result<(), Failure> {
        write_len(out, &MAP, len)
    }

    /// Lengths come first in msgpack, so nothing goes between items or after.
    fn separator(_: &mut Vec<u8>, _: usize) {}

    fn key(out: &mut Vec<u8>, key: &str) -> Result<(), Failure> {
        write_str(out, key)
    }

    fn array_end(_: &mut Vec<u8>) {}

    fn map_end(_: &mut Vec<u8>) {}
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

/// The markers of one msgpack family that carries a length (str, bin,
/// array, map): a fixed form holding short lengths in the marker itself, and
/// the forms followed by an 8-, 16- or 32-bit big-endian length. Not every
/// family has the fixed or the 8-bit form.
struct LengthMarkers {
    /// The fixed form's base marker and the longest length it holds.
    fixed: Option<(u8, usize)>,
    len8: Option<u8>,
    len16: u8,
    len32: u8,
}

const STR: LengthMarkers = LengthMarkers {
    fixed: Some((0xa0, 31)),
    len8: Some(0xd9),
    len16: 0xda,
    len32: 0xdb,
};

const BIN: LengthMarkers = LengthMarkers {
    fixed: None,
    len8: Some(0xc4),
    len16: 0xc5,
    len32: 0xc6,
};

const ARRAY: LengthMarkers = LengthMarkers {
    fixed: Some((0x90, 15)),
    len8: None,
    len16: 0xdc,
    len32: 0xdd,
};

const MAP: LengthMarkers = LengthMarkers {
    fixed: Some((0x80, 15)),
    len8: None,
    len16: 0xde,
    len32: 0xdf,
};

/// Writes the smallest header of `family` that holds `len`.
fn write_len(out: &mut Vec<u8>, family: &LengthMarkers, len: usize) -> Result<(), Failure> {
    if let Some((base, longest)) = family.fixed {
        if len <= longest {
            out.push(base | len as u8);
            return Ok(());
        }
    }
    if let (Some(marker), Ok(v)) = (family.len8, u8::try_from(len)) {
        out.extend_from_slice(&[marker, v]);
    } else if let Ok(v) = u16::try_from(len) {
        out.push(family.len16);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        let v = u32::try_from(len).map_err(|_| {
            Failure::new(format!(
                "{len} items or bytes are more than msgpack can hold"
            ))
        })?;
        out.push(family.len32);
        out.extend_from_slice(&v.to_be_bytes());
    }
    Ok(())
}

pub(super) fn write_str(out: &mut Vec<u8>, s: &str) -> Result<(), Failure> {
    write_len(out, &STR, s.len())?;
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

fn write_bin(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), Failure> {
    write_len(out, &BIN, bytes.len())?;
    out.extend_from_slice(bytes);
    Ok(())
}
