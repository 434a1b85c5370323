//! Tests of the msgpack codec: every marker form on input, the canonical
//! encoding on output, attribute paths in errors, and hostile input.

use std::collections::BTreeMap;

use super::write::write_str;
use super::{decode, encode};
use crate::tfplugin::{Number, Type, Value};

fn obj(attrs: &[(&str, Type)]) -> Type {
    Type::object(attrs.iter().cloned())
}

fn dec(bytes: &[u8], ty: &Type) -> Value {
    match decode(bytes, ty) {
        Ok(v) => v,
        Err(e) => panic!("decode {bytes:02x?} as {ty:?}: {e}"),
    }
}

fn dec_err(bytes: &[u8], ty: &Type) -> String {
    match decode(bytes, ty) {
        Ok(v) => panic!("decode {bytes:02x?} as {ty:?} should fail, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn enc(value: &Value, ty: &Type) -> Vec<u8> {
    match encode(value, ty) {
        Ok(b) => b,
        Err(e) => panic!("encode {value:?} as {ty:?}: {e}"),
    }
}

fn num(n: Number) -> Value {
    Value::Number(n)
}

#[test]
fn null_is_nil_for_every_type() {
    for ty in [
        Type::Bool,
        Type::Number,
        Type::String,
        Type::Dynamic,
        Type::list(Type::String),
        obj(&[]),
    ] {
        assert_eq!(enc(&Value::Null, &ty), [0xc0]);
        assert_eq!(dec(&[0xc0], &ty), Value::Null);
    }
}

#[test]
fn unknown_is_written_as_fixext1_zero() {
    for ty in [
        Type::String,
        Type::Dynamic,
        Type::list(Type::Number),
        obj(&[("a", Type::Bool)]),
    ] {
        assert_eq!(enc(&Value::Unknown, &ty), [0xd4, 0x00, 0x00]);
    }
}

#[test]
fn every_extension_form_decodes_as_unknown() {
    let forms: Vec<Vec<u8>> = vec![
        vec![0xd4, 0x00, 0x00],
        vec![0xd4, 0x0c, 0x01],
        vec![0xd5, 0x05, 1, 2],
        vec![0xd6, 0x7f, 1, 2, 3, 4],
        vec![0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0],
        [vec![0xd8, 0x01], vec![9; 16]].concat(),
        vec![0xc7, 0x00, 0x0c],
        // OpenTofu's refined unknown: ext type 12 with a msgpack map payload.
        vec![0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3],
        [vec![0xc8, 0x01, 0x00, 0x0c], vec![0xaa; 256]].concat(),
        vec![0xc9, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x80, 0xc0],
    ];
    for form in &forms {
        for ty in [
            Type::String,
            Type::Number,
            Type::Dynamic,
            Type::set(Type::String),
            obj(&[("x", Type::Bool)]),
        ] {
            assert_eq!(dec(form, &ty), Value::Unknown, "{form:02x?} as {ty:?}");
        }
    }
}

#[test]
fn unknowns_nested_anywhere() {
    let ty = obj(&[
        ("list", Type::list(Type::String)),
        ("map", Type::map(Type::Number)),
        ("dyn", Type::Dynamic),
        ("tags", Type::set(Type::String)),
    ]);
    let value = Value::object([
        ("list", Value::List(vec![Value::from("a"), Value::Unknown])),
        ("map", Value::Map([("k".to_owned(), Value::Unknown)].into())),
        ("dyn", Value::Unknown),
        ("tags", Value::Unknown),
    ]);
    let bytes = enc(&value, &ty);
    assert_eq!(dec(&bytes, &ty), value);
    // A refined unknown with a payload inside a list element.
    let refined = [0x92, 0xa1, b'a', 0xc7, 0x02, 0x0c, 0x81, 0x01];
    // (the payload is opaque: its bytes are skipped as a whole)
    assert_eq!(
        dec(&refined, &Type::list(Type::String)),
        Value::List(vec![Value::from("a"), Value::Unknown])
    );
}

#[test]
fn bools() {
    assert_eq!(enc(&Value::Bool(true), &Type::Bool), [0xc3]);
    assert_eq!(enc(&Value::Bool(false), &Type::Bool), [0xc2]);
    assert_eq!(dec(&[0xc3], &Type::Bool), Value::Bool(true));
    assert!(dec_err(&[0x01], &Type::Bool).contains("expected a bool, found an integer"));
}

#[test]
fn every_int_width_decodes() {
    let cases: Vec<(Vec<u8>, Number)> = vec![
        (vec![0x00], Number::Int(0)),
        (vec![0x7f], Number::Int(127)),
        (vec![0xe0], Number::Int(-32)),
        (vec![0xff], Number::Int(-1)),
        (vec![0xcc, 0xff], Number::Int(255)),
        (vec![0xcd, 0xff, 0xff], Number::Int(65535)),
        (
            vec![0xce, 0xff, 0xff, 0xff, 0xff],
            Number::Int(4_294_967_295),
        ),
        (
            vec![0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            Number::Int(i64::MAX),
        ),
        (
            vec![0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            Number::Uint(u64::MAX),
        ),
        (vec![0xd0, 0x80], Number::Int(-128)),
        (vec![0xd1, 0x80, 0x00], Number::Int(-32768)),
        (
            vec![0xd2, 0x80, 0x00, 0x00, 0x00],
            Number::Int(i64::from(i32::MIN)),
        ),
        (vec![0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], Number::Int(i64::MIN)),
        // Non-minimal forms are fine too.
        (vec![0xd3, 0, 0, 0, 0, 0, 0, 0, 5], Number::Int(5)),
    ];
    for (bytes, expected) in cases {
        match dec(&bytes, &Type::Number) {
            Value::Number(n) => {
                assert_eq!(n, expected, "{bytes:02x?}");
                assert_eq!(
                    std::mem::discriminant(&n),
                    std::mem::discriminant(&expected),
                    "{bytes:02x?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn ints_encode_in_their_smallest_form() {
    let cases: Vec<(i64, Vec<u8>)> = vec![
        (0, vec![0x00]),
        (127, vec![0x7f]),
        (128, vec![0xcc, 0x80]),
        (255, vec![0xcc, 0xff]),
        (256, vec![0xcd, 0x01, 0x00]),
        (65536, vec![0xce, 0x00, 0x01, 0x00, 0x00]),
        (1 << 32, vec![0xcf, 0, 0, 0, 1, 0, 0, 0, 0]),
        (-1, vec![0xff]),
        (-32, vec![0xe0]),
        (-33, vec![0xd0, 0xdf]),
        (-129, vec![0xd1, 0xff, 0x7f]),
        (-32769, vec![0xd2, 0xff, 0xff, 0x7f, 0xff]),
        (i64::MIN, vec![0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]),
    ];
    for (i, bytes) in cases {
        assert_eq!(enc(&Value::from(i), &Type::Number), bytes, "{i}");
        assert_eq!(dec(&bytes, &Type::Number), Value::from(i));
    }
    assert_eq!(
        enc(&num(Number::Uint(u64::MAX)), &Type::Number),
        [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
    );
    // Integral floats and decimals are integers on the wire.
    assert_eq!(enc(&num(Number::Float(3.0)), &Type::Number), [0x03]);
    assert_eq!(enc(&num(Number::Float(-0.0)), &Type::Number), [0x00]);
    assert_eq!(
        enc(&num(Number::Decimal("4.000".into())), &Type::Number),
        [0x04]
    );
    assert_eq!(
        enc(&num(Number::Decimal("1e3".into())), &Type::Number),
        [0xcd, 0x03, 0xe8]
    );
}

#[test]
fn floats() {
    let f32_bytes = [0xca, 0x3f, 0xc0, 0x00, 0x00]; // 1.5f32
    assert_eq!(dec(&f32_bytes, &Type::Number), num(Number::Float(1.5)));
    let mut f64_bytes = vec![0xcb];
    f64_bytes.extend_from_slice(&0.1f64.to_be_bytes());
    assert_eq!(dec(&f64_bytes, &Type::Number), num(Number::Float(0.1)));
    assert_eq!(enc(&num(Number::Float(0.1)), &Type::Number), f64_bytes);
    let mut inf = vec![0xcb];
    inf.extend_from_slice(&f64::INFINITY.to_be_bytes());
    assert_eq!(enc(&num(Number::Float(f64::INFINITY)), &Type::Number), inf);
    assert_eq!(dec(&inf, &Type::Number), num(Number::Float(f64::INFINITY)));
    // Integral floats from 2^53 up stay float64: their shortest text is not their exact value.
    let big = 187_755_126_050_311_008.0f64;
    let mut big_bytes = vec![0xcb];
    big_bytes.extend_from_slice(&big.to_be_bytes());
    assert_eq!(enc(&num(Number::Float(big)), &Type::Number), big_bytes);
    let mut nan = vec![0xcb];
    nan.extend_from_slice(&f64::NAN.to_be_bytes());
    assert!(dec_err(&nan, &Type::Number).contains("NaN"));
    assert!(encode(&num(Number::Float(f64::NAN)), &Type::Number).is_err());
}

#[test]
fn numbers_in_strings() {
    let as_str = |s: &str| {
        let mut b = Vec::new();
        write_str(&mut b, s).unwrap();
        b
    };
    assert_eq!(dec(&as_str("42"), &Type::Number), Value::from(42));
    assert_eq!(dec(&as_str("-17"), &Type::Number), Value::from(-17));
    assert_eq!(
        dec(&as_str("18446744073709551615"), &Type::Number),
        num(Number::Uint(u64::MAX))
    );
    assert_eq!(dec(&as_str("0.5"), &Type::Number), num(Number::Float(0.5)));
    let big = "123456789012345678901234567890.5";
    assert_eq!(
        dec(&as_str(big), &Type::Number),
        num(Number::Decimal(big.into()))
    );
    // Re-encoded as cty would: the text, since neither int nor float64 holds it.
    assert_eq!(
        enc(&num(Number::Decimal(big.into())), &Type::Number),
        as_str(big)
    );
    // 0.1 has no exact float64: it stays text, and equals the float64 0.1 as cty says.
    let tenth = dec(&as_str("0.1"), &Type::Number);
    assert_eq!(tenth, num(Number::Decimal("0.1".into())));
    assert_eq!(tenth, num(Number::Float(0.1)));
    assert_eq!(enc(&tenth, &Type::Number), as_str("0.1"));
    // The exact binary value of 0.1f64 is a float64, but its shortest text
    // is "0.1": sending it as a float would change the decimal cty sees.
    let exact_tenth = "0.1000000000000000055511151231257827021181583404541015625";
    assert_eq!(
        dec(&as_str(exact_tenth), &Type::Number),
        num(Number::Decimal(exact_tenth.into()))
    );
    assert_eq!(
        enc(&num(Number::Decimal(exact_tenth.into())), &Type::Number),
        as_str(exact_tenth)
    );
    assert_ne!(
        num(Number::Decimal(exact_tenth.into())),
        num(Number::Float(0.1))
    );
    assert_eq!(
        dec(&as_str("1E400"), &Type::Number),
        num(Number::Decimal("1E400".into()))
    );
    assert_eq!(dec(&as_str("+.5e1"), &Type::Number), num(Number::Int(5)));
    assert_eq!(
        dec(&as_str("-Inf"), &Type::Number),
        num(Number::Float(f64::NEG_INFINITY))
    );
    for bad in [
        "",
        "abc",
        "1.2.3",
        "--1",
        "1e",
        "0x10",
        "1e99999999999",
        " 1",
    ] {
        assert!(
            dec_err(&as_str(bad), &Type::Number).contains("expected a number"),
            "{bad:?}"
        );
    }
    assert!(encode(&num(Number::Decimal("nope".into())), &Type::Number).is_err());
}

#[test]
fn strings_in_every_length_form() {
    let long = "x".repeat(70_000);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![0xa1, b'a'], "a"),
        (vec![0xd9, 0x01, b'a'], "a"),
        (vec![0xda, 0x00, 0x01, b'a'], "a"),
        (vec![0xdb, 0x00, 0x00, 0x00, 0x01, b'a'], "a"),
    ];
    for (bytes, s) in cases {
        assert_eq!(dec(&bytes, &Type::String), Value::from(s));
    }
    for s in [
        "",
        "a",
        &"y".repeat(31),
        &"y".repeat(32),
        &"y".repeat(300),
        &long,
    ] {
        assert_eq!(
            dec(&enc(&Value::from(s), &Type::String), &Type::String),
            Value::from(s)
        );
    }
    assert_eq!(enc(&Value::from("a"), &Type::String), [0xa1, b'a']);
    assert_eq!(
        &enc(&Value::from("y".repeat(32)), &Type::String)[..2],
        [0xd9, 32]
    );
    // Strict: binary is not a string, nor is a number.
    assert!(dec_err(&[0xc4, 0x01, b'a'], &Type::String)
        .contains("expected a string, found binary data"));
    assert!(dec_err(&[0x01], &Type::String).contains("expected a string"));
    assert!(dec_err(&[0xa2, 0xff, 0xfe], &Type::String).contains("UTF-8"));
}

#[test]
fn collections() {
    let list = Value::List(vec![Value::from("a"), Value::Null, Value::from("b")]);
    let bytes = enc(&list, &Type::list(Type::String));
    assert_eq!(bytes, [0x93, 0xa1, b'a', 0xc0, 0xa1, b'b']);
    assert_eq!(dec(&bytes, &Type::list(Type::String)), list);

    let tuple_ty = Type::Tuple(vec![Type::String, Type::Number]);
    let tuple = Value::Tuple(vec![Value::from("a"), Value::from(1)]);
    assert_eq!(dec(&enc(&tuple, &tuple_ty), &tuple_ty), tuple);
    assert!(dec_err(&[0x91, 0xa1, b'a'], &tuple_ty).contains("tuple of 2 elements"));

    let map = Value::Map(
        [
            ("b".to_owned(), Value::from(2)),
            ("a".to_owned(), Value::from(1)),
        ]
        .into(),
    );
    let bytes = enc(&map, &Type::map(Type::Number));
    assert_eq!(bytes, [0x82, 0xa1, b'a', 0x01, 0xa1, b'b', 0x02]);
    assert_eq!(dec(&bytes, &Type::map(Type::Number)), map);
    assert!(dec_err(&[0x81, 0x01, 0x01], &Type::map(Type::Number)).contains("string key"));
    assert!(dec_err(
        &[0x82, 0xa1, b'a', 0x01, 0xa1, b'a', 0x02],
        &Type::map(Type::Number)
    )
    .contains("duplicate"));
    // Empty collections are not null.
    assert_eq!(dec(&[0x90], &Type::list(Type::String)), Value::List(vec![]));
    assert_eq!(
        dec(&[0x80], &Type::map(Type::String)),
        Value::Map(BTreeMap::new())
    );
    assert_eq!(enc(&Value::Set(vec![]), &Type::set(Type::String)), [0x90]);
}

#[test]
fn sets_are_sorted_and_deduplicated() {
    let ty = Type::set(Type::String);
    let a = enc(&Value::Set(vec!["b".into(), "a".into(), "b".into()]), &ty);
    let b = enc(&Value::Set(vec!["a".into(), "b".into()]), &ty);
    assert_eq!(a, b);
    assert_eq!(a, [0x92, 0xa1, b'a', 0xa1, b'b']);
    // Decoding keeps the wire order.
    assert_eq!(
        dec(&[0x92, 0xa1, b'b', 0xa1, b'a'], &ty)
            .as_elements()
            .map(|e| e.to_vec()),
        Some(vec![Value::from("b"), Value::from("a")])
    );
    // Sets of objects compare by value.
    let objects = Type::set(obj(&[("n", Type::Number)]));
    let one = Value::object([("n", Value::from(1))]);
    let one_float = Value::object([("n", num(Number::Float(1.0)))]);
    assert_eq!(
        enc(&Value::Set(vec![one.clone(), one_float]), &objects),
        enc(&Value::Set(vec![one]), &objects)
    );
}

#[test]
fn objects_need_exactly_their_attributes() {
    let ty = obj(&[("a", Type::String), ("b", Type::Number)]);
    // Encoding writes every attribute, sorted, null where absent.
    let bytes = enc(&Value::object([("b", Value::from(1))]), &ty);
    assert_eq!(bytes, [0x82, 0xa1, b'a', 0xc0, 0xa1, b'b', 0x01]);
    assert_eq!(
        dec(&bytes, &ty),
        Value::object([("a", Value::Null), ("b", Value::from(1))])
    );
    // Any key order on input.
    assert_eq!(
        dec(&[0x82, 0xa1, b'b', 0x01, 0xa1, b'a', 0xc0], &ty),
        dec(&bytes, &ty)
    );

    let missing = dec_err(&[0x81, 0xa1, b'a', 0xc0], &ty);
    assert!(missing.contains("missing attribute \"b\""), "{missing}");
    let extra = dec_err(
        &[0x83, 0xa1, b'a', 0xc0, 0xa1, b'b', 0x01, 0xa1, b'c', 0x01],
        &ty,
    );
    assert!(extra.contains("unexpected attribute \"c\""), "{extra}");
    let twice = dec_err(&[0x82, 0xa1, b'a', 0xc0, 0xa1, b'a', 0xc0], &ty);
    assert!(twice.contains("twice"), "{twice}");
    let err = encode(&Value::object([("zzz", Value::Null)]), &ty)
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"zzz\" is not in the object type"), "{err}");
    assert_eq!(
        enc(&Value::object(Vec::<(String, Value)>::new()), &obj(&[])),
        [0x80]
    );
}

#[test]
fn errors_name_the_path() {
    let ty = obj(&[("a", obj(&[("b", Type::list(Type::Number))]))]);
    // {"a": {"b": [1, 2, "x"]}}
    let bytes = [
        0x81, 0xa1, b'a', 0x81, 0xa1, b'b', 0x93, 0x01, 0x02, 0xa1, b'x',
    ];
    let err = dec_err(&bytes, &ty);
    assert_eq!(
        err,
        "msgpack: at .a.b[2]: expected a number, found the string \"x\""
    );
    let map_ty = Type::map(Type::Bool);
    assert_eq!(
        dec_err(&[0x81, 0xa1, b'k', 0x01], &map_ty),
        "msgpack: at [\"k\"]: expected a bool, found an integer"
    );
    let value = Value::object([(
        "a",
        Value::object([("b", Value::List(vec![Value::from("x")]))]),
    )]);
    assert_eq!(
        encode(&value, &ty).unwrap_err().to_string(),
        "msgpack: at .a.b[0]: expected a number, got a string"
    );
}

#[test]
fn dynamic_values_carry_their_type() {
    let value = Value::Dynamic {
        ty: Type::String,
        value: Box::new(Value::from("x")),
    };
    let bytes = enc(&value, &Type::Dynamic);
    let mut expected = vec![0x92, 0xc4, 8];
    expected.extend_from_slice(b"\"string\"");
    expected.extend_from_slice(&[0xa1, b'x']);
    assert_eq!(bytes, expected);
    assert_eq!(dec(&bytes, &Type::Dynamic), value);
    // The type JSON may also arrive as a str.
    let mut as_str = vec![0x92, 0xa8];
    as_str.extend_from_slice(b"\"string\"");
    as_str.extend_from_slice(&[0xa1, b'x']);
    assert_eq!(dec(&as_str, &Type::Dynamic), value);
    // A plain value gets its evident type.
    assert_eq!(enc(&Value::from("x"), &Type::Dynamic), bytes);
    // Typed null and typed unknown keep their type.
    let typed_null = Value::Dynamic {
        ty: Type::list(Type::String),
        value: Box::new(Value::Null),
    };
    assert_eq!(
        dec(&enc(&typed_null, &Type::Dynamic), &Type::Dynamic),
        typed_null
    );
    let typed_unknown = Value::Dynamic {
        ty: Type::Number,
        value: Box::new(Value::Unknown),
    };
    assert_eq!(
        dec(&enc(&typed_unknown, &Type::Dynamic), &Type::Dynamic),
        typed_unknown
    );
    // Nested object type.
    let ty = obj(&[("n", Type::Number), ("tags", Type::set(Type::String))]);
    let nested = Value::Dynamic {
        ty: ty.clone(),
        value: Box::new(Value::object([
            ("n", Value::from(3)),
            ("tags", Value::Set(vec!["t".into()])),
        ])),
    };
    assert_eq!(dec(&enc(&nested, &Type::Dynamic), &Type::Dynamic), nested);
    assert!(dec_err(&[0x91, 0xc0], &Type::Dynamic).contains("dynamic value"));
    assert!(
        dec_err(&[0x92, 0xc4, 0x03, b'b', b'a', b'd', 0xc0], &Type::Dynamic).contains("type JSON")
    );
}

#[test]
fn depth_is_limited() {
    let mut ty = Type::String;
    for _ in 0..300 {
        ty = Type::list(ty);
    }
    let mut bytes = vec![0x91; 300];
    bytes.push(0xa0);
    assert!(dec_err(&bytes, &ty).contains("deeper than 256"));
    // Nested dynamic wrappers count too: ["dynamic", ["dynamic", ...]].
    let mut bytes = Vec::new();
    for _ in 0..400 {
        bytes.extend_from_slice(&[0x92, 0xc4, 9]);
        bytes.extend_from_slice(b"\"dynamic\"");
    }
    bytes.push(0xc0);
    assert!(dec_err(&bytes, &Type::Dynamic).contains("deeper than 256"));
    // 200 levels are fine.
    let mut ty = Type::String;
    for _ in 0..200 {
        ty = Type::list(ty);
    }
    let mut bytes = vec![0x91; 200];
    bytes.push(0xa0);
    assert!(decode(&bytes, &ty).is_ok());
}

#[test]
fn truncated_input_is_an_error_at_every_length() {
    let ty = obj(&[
        ("name", Type::String),
        ("n", Type::Number),
        ("list", Type::list(Type::Number)),
        ("dyn", Type::Dynamic),
    ]);
    let value = Value::object([
        ("name", Value::from("a somewhat longer name here")),
        ("n", num(Number::Float(1.25))),
        (
            "list",
            Value::List(vec![Value::from(1), Value::from(100_000), Value::from(-5)]),
        ),
        (
            "dyn",
            Value::Dynamic {
                ty: Type::Bool,
                value: Box::new(Value::Bool(true)),
            },
        ),
    ]);
    let bytes = enc(&value, &ty);
    assert_eq!(dec(&bytes, &ty), value);
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len], &ty).is_err(), "prefix of {len} bytes");
    }
    assert!(dec_err(&[], &Type::String).contains("unexpected end of input"));
    // Trailing bytes are refused too.
    assert!(dec_err(&[0xc0, 0xc0], &Type::String).contains("unexpected bytes after"));
}

#[test]
fn hostile_lengths_fail_fast() {
    assert!(
        dec_err(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::String))
            .contains("end of input")
    );
    assert!(
        dec_err(&[0xdf, 0xff, 0xff, 0xff, 0xff], &Type::map(Type::String)).contains("end of input")
    );
    assert!(dec_err(&[0xdb, 0xff, 0xff, 0xff, 0xff], &Type::String).contains("end of input"));
    assert!(dec_err(&[0xc9, 0xff, 0xff, 0xff, 0xff, 0x00], &Type::String).contains("end of input"));
    assert!(dec_err(&[0xc1], &Type::String).contains("0xc1"));
}
