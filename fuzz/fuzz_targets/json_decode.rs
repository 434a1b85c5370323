//! Fuzzes `tfplugin::json::decode` (and the lenient variant): arbitrary bytes
//! must decode or fail cleanly, and anything accepted must re-encode to a
//! canonical form that decodes again, in JSON and in msgpack.
#![no_main]

use eksrole::tfplugin::{json, msgpack};
use libfuzzer_sys::fuzz_target;

mod types;

fuzz_target!(|data: &[u8]| {
    let Some((selector, bytes)) = data.split_first() else {
        return;
    };
    let ty = types::pick(*selector);
    let _ = json::decode_lenient(bytes, &ty);
    let Ok(value) = json::decode(bytes, &ty) else {
        return;
    };
    let encoded = json::encode(&value, &ty).expect("a decoded value encodes");
    let again = json::decode(&encoded, &ty).expect("an encoded value decodes");
    let encoded_again = json::encode(&again, &ty).expect("a decoded value encodes");
    assert_eq!(encoded, encoded_again, "encoding is canonical");
    let packed = msgpack::encode(&again, &ty).expect("a JSON value encodes as msgpack");
    msgpack::decode(&packed, &ty).expect("and decodes again");
});
