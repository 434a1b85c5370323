//! Fuzzes `tfplugin::msgpack::decode`: arbitrary bytes must decode or fail
//! cleanly (no panic, no stack overflow, no runaway allocation), and anything
//! accepted must re-encode to a canonical form that decodes again.
#![no_main]

use eksrole::tfplugin::msgpack;
use libfuzzer_sys::fuzz_target;

mod types;

fuzz_target!(|data: &[u8]| {
    let Some((selector, bytes)) = data.split_first() else {
        return;
    };
    let ty = types::pick(*selector);
    let Ok(value) = msgpack::decode(bytes, &ty) else {
        return;
    };
    let encoded = msgpack::encode(&value, &ty).expect("a decoded value encodes");
    let again = msgpack::decode(&encoded, &ty).expect("an encoded value decodes");
    let encoded_again = msgpack::encode(&again, &ty).expect("a decoded value encodes");
    assert_eq!(encoded, encoded_again, "encoding is canonical");
});
