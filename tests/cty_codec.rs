//! Property tests of the cty value codecs (`tfplugin::msgpack`, `tfplugin::json`):
//! random types of bounded depth, random values conforming to them (nulls and,
//! for msgpack, unknowns anywhere), round trips, canonical re-encoding, and
//! decoding of random or mangled bytes, which must fail cleanly, never panic.

use std::collections::BTreeMap;

use eksrole::tfplugin::{json, msgpack, Number, Type, Value};
use proptest::prelude::*;

fn leaf_type() -> impl Strategy<Value = Type> {
    prop_oneof![
        3 => Just(Type::Bool),
        3 => Just(Type::Number),
        3 => Just(Type::String),
        1 => Just(Type::Dynamic),
    ]
}

fn attribute_name() -> impl Strategy<Value = String> {
    "[a-z_]{1,6}"
}

/// Types up to `depth` levels of collections, objects and tuples.
fn arb_type(depth: u32) -> impl Strategy<Value = Type> {
    leaf_type().prop_recursive(depth, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map(attribute_name(), inner.clone(), 0..4)
                .prop_map(Type::Object),
            prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
}

fn arb_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::Int),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Number::Uint),
        (-200i64..200).prop_map(Number::Int),
        prop::num::f64::NORMAL.prop_map(Number::Float),
        prop::num::f64::SUBNORMAL.prop_map(Number::Float),
        prop::num::f64::ZERO.prop_map(Number::Float),
        (-1e6f64..1e6).prop_map(Number::Float),
        // Too precise for a float64 (20+ significant digits): kept as text.
        ("-?[1-9][0-9]{0,30}\\.[0-9]{18,30}[1-9]").prop_map(Number::Decimal),
        ("[1-9][0-9]{25,40}").prop_map(Number::Decimal),
        ("[1-9]\\.[0-9]{20}[1-9]e-?[1-9][0-9]{2,4}").prop_map(Number::Decimal),
    ]
}

/// A known, non-null value of `ty`, whose parts may be null (and unknown when
/// `unknowns` is set).
fn known_value(ty: &Type, unknowns: bool) -> BoxedStrategy<Value> {
    match ty {
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::List(element) => prop::collection::vec(arb_value(element, unknowns), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(element) => prop::collection::vec(arb_value(element, unknowns), 0..4)
            .prop_map(Value::Set)
            .boxed(),
        Type::Map(element) => {
            prop::collection::btree_map("[a-z]{0,3}", arb_value(element, unknowns), 0..4)
                .prop_map(Value::Map)
                .boxed()
        }
        Type::Object(attributes) => {
            let parts: Vec<_> = attributes
                .iter()
                .map(|(name, attribute_type)| {
                    (Just(name.clone()), arb_value(attribute_type, unknowns))
                })
                .collect();
            parts
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
                .boxed()
        }
        Type::Tuple(types) => {
            let parts: Vec<_> = types.iter().map(|t| arb_value(t, unknowns)).collect();
            parts.prop_map(Value::Tuple).boxed()
        }
        Type::Dynamic => arb_type(2)
            .prop_flat_map(move |actual| {
                arb_value(&actual, unknowns).prop_map(move |value| Value::Dynamic {
                    ty: actual.clone(),
                    value: Box::new(value),
                })
            })
            .boxed(),
    }
}

fn arb_value(ty: &Type, unknowns: bool) -> BoxedStrategy<Value> {
    let known = known_value(ty, unknowns);
    if unknowns {
        prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 6 => known].boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 6 => known].boxed()
    }
}

fn typed_value(unknowns: bool) -> impl Strategy<Value = (Type, Value)> {
    arb_type(4).prop_flat_map(move |ty| {
        let value = arb_value(&ty, unknowns);
        (Just(ty), value)
    })
}

/// What a value looks like after a round trip: sets lose duplicate elements
/// (inner sets first, so sets of sets compare right).
fn without_set_duplicates(value: &Value) -> Value {
    fn dedup(values: &[Value]) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        for v in values.iter().map(without_set_duplicates) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
    let map = |m: &BTreeMap<String, Value>| {
        m.iter()
            .map(|(k, v)| (k.clone(), without_set_duplicates(v)))
            .collect()
    };
    match value {
        Value::Set(v) => Value::Set(dedup(v)),
        Value::List(v) => Value::List(v.iter().map(without_set_duplicates).collect()),
        Value::Tuple(v) => Value::Tuple(v.iter().map(without_set_duplicates).collect()),
        Value::Map(m) => Value::Map(map(m)),
        Value::Object(m) => Value::Object(map(m)),
        Value::Dynamic { ty, value } => Value::Dynamic {
            ty: ty.clone(),
            value: Box::new(without_set_duplicates(value)),
        },
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn msgpack_round_trips((ty, value) in typed_value(true)) {
        let bytes = msgpack::encode(&value, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let decoded = msgpack::decode(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&decoded, &without_set_duplicates(&value));
        // The encoding is canonical: the decoded value encodes to the same bytes.
        let again = msgpack::encode(&decoded, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, bytes);
    }

    #[test]
    fn json_round_trips((ty, value) in typed_value(false)) {
        let bytes = json::encode(&value, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let decoded = json::decode(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&decoded, &without_set_duplicates(&value));
        let again = json::encode(&decoded, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&again, &bytes);
        // And the same value survives msgpack after JSON (state upgrade path).
        let packed = msgpack::encode(&decoded, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let unpacked = msgpack::decode(&packed, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(unpacked, decoded);
    }

    #[test]
    fn json_refuses_values_with_unknowns((ty, value) in typed_value(true)) {
        let result = json::encode(&value, &ty);
        if value.is_wholly_known() {
            prop_assert!(result.is_ok());
        } else {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn msgpack_decoding_random_bytes_never_panics(ty in arb_type(4), bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = msgpack::decode(&bytes, &ty);
    }

    #[test]
    fn json_decoding_random_bytes_never_panics(ty in arb_type(4), bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = json::decode(&bytes, &ty);
        let _ = json::decode_lenient(&bytes, &ty);
    }

    #[test]
    fn decoding_mangled_encodings_never_panics(
        (ty, value) in typed_value(true),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        if let Ok(mut bytes) = msgpack::encode(&value, &ty) {
            if !bytes.is_empty() {
                for (at, byte) in &edits {
                    let i = at.index(bytes.len());
                    bytes[i] = *byte;
                }
                let _ = msgpack::decode(&bytes, &ty);
                let _ = msgpack::decode(&bytes[..cut.index(bytes.len())], &ty);
            }
        }
        if let Ok(mut bytes) = json::encode(&value, &ty) {
            if !bytes.is_empty() {
                for (at, byte) in &edits {
                    let i = at.index(bytes.len());
                    bytes[i] = *byte;
                }
                let _ = json::decode(&bytes, &ty);
                let _ = json::decode(&bytes[..cut.index(bytes.len())], &ty);
            }
        }
    }
}

#[test]
fn huge_nesting_fails_cleanly() {
    // Deeper than any stack could take by recursion, against every type.
    let deep_msgpack = vec![0x91u8; 1_000_000];
    let deep_json = "[".repeat(1_000_000);
    let mut deep_type = Type::String;
    for _ in 0..50 {
        deep_type = Type::list(deep_type);
    }
    for ty in [Type::Dynamic, Type::list(Type::Dynamic), deep_type] {
        assert!(msgpack::decode(&deep_msgpack, &ty).is_err());
        assert!(json::decode(deep_json.as_bytes(), &ty).is_err());
    }
}
