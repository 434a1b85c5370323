//! DynamicValue in and out: values arrive as msgpack (or JSON from older
//! paths) and always leave as msgpack. Failures become diagnostics.

use crate::tfplugin::proto::DynamicValue;
use crate::tfplugin::{json, msgpack, Diagnostic, Type, Value};

/// Decodes a DynamicValue; an absent or empty one is null.
pub fn decode(dv: Option<&DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let result = if !dv.msgpack.is_empty() {
        msgpack::decode(&dv.msgpack, ty).map_err(|e| e.to_string())
    } else if !dv.json.is_empty() {
        json::decode(&dv.json, ty).map_err(|e| e.to_string())
    } else {
        return Ok(Value::Null);
    };
    result.map_err(|e| {
        Diagnostic::error(
            format!("Could not decode the {what}"),
            format!("The value Terraform sent does not match the provider's schema ({e}). This is a bug in the provider or a CLI/provider version mismatch; please report it."),
        )
    })
}

/// Encodes a value as msgpack.
pub fn encode(value: &Value, ty: &Type, what: &str) -> Result<DynamicValue, Diagnostic> {
    msgpack::encode(value, ty).map(|bytes| DynamicValue { msgpack: bytes, json: vec![] }).map_err(|e| {
        Diagnostic::error(
            format!("Could not encode the {what}"),
            format!("The provider built a value that does not match its own schema ({e}). This is a bug in the provider; please report it."),
        )
    })
}
