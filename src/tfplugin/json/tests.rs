//! Tests of the JSON codec: cty/json's conversions, exact numbers, strict
//! parsing, canonical output, and the lenient decoder for state upgrades.

use super::{decode, decode_lenient, encode};
use crate::tfplugin::{Number, Type, Value};

fn obj(attrs: &[(&str, Type)]) -> Type {
    Type::object(attrs.iter().cloned())
}

fn dec(text: &str, ty: &Type) -> Value {
    match decode(text.as_bytes(), ty) {
        Ok(v) => v,
        Err(e) => panic!("decode {text} as {ty:?}: {e}"),
    }
}

fn dec_err(text: &str, ty: &Type) -> String {
    match decode(text.as_bytes(), ty) {
        Ok(v) => panic!("decode {text} as {ty:?} should fail, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn enc(value: &Value, ty: &Type) -> String {
    match encode(value, ty) {
        Ok(b) => String::from_utf8(b).unwrap_or_default(),
        Err(e) => panic!("encode {value:?} as {ty:?}: {e}"),
    }
}

fn num(n: Number) -> Value {
    Value::Number(n)
}

#[test]
fn primitives() {
    assert_eq!(dec("null", &Type::String), Value::Null);
    assert_eq!(dec(" true ", &Type::Bool), Value::Bool(true));
    assert_eq!(dec("\"false\"", &Type::Bool), Value::Bool(false));
    assert_eq!(dec("\"hi\"", &Type::String), Value::from("hi"));
    // cty/json converts numbers and bools to strings where a string is wanted.
    assert_eq!(dec("12", &Type::String), Value::from("12"));
    assert_eq!(dec("true", &Type::String), Value::from("true"));
    assert_eq!(enc(&Value::Null, &Type::Number), "null");
    assert_eq!(enc(&Value::Bool(true), &Type::Bool), "true");
    assert!(dec_err("[]", &Type::Bool).contains("expected a bool, found an array"));
}

#[test]
fn numbers_stay_exact() {
    assert_eq!(dec("42", &Type::Number), Value::from(42));
    assert_eq!(dec("-0", &Type::Number), Value::from(0));
    assert_eq!(dec("\"42\"", &Type::Number), Value::from(42));
    assert_eq!(dec("1.5", &Type::Number), num(Number::Float(1.5)));
    assert_eq!(
        dec("18446744073709551615", &Type::Number),
        num(Number::Uint(u64::MAX))
    );
    let big = "123456789012345678901234567890";
    assert_eq!(dec(big, &Type::Number), num(Number::Decimal(big.into())));
    assert_eq!(enc(&dec(big, &Type::Number), &Type::Number), big);
    assert_eq!(
        dec("0.1", &Type::Number),
        num(Number::Decimal("0.1".into()))
    );
    assert_eq!(enc(&num(Number::Float(0.1)), &Type::Number), "0.1");
    assert_eq!(
        enc(&num(Number::Float(1e21)), &Type::Number),
        "1000000000000000000000"
    );
    assert_eq!(enc(&num(Number::Float(2.0)), &Type::Number), "2");
    assert_eq!(
        enc(&num(Number::Decimal("+.5".into())), &Type::Number),
        "0.5"
    );
    assert!(encode(&num(Number::Float(f64::INFINITY)), &Type::Number).is_err());
    assert!(encode(&num(Number::Decimal("x".into())), &Type::Number).is_err());
    for bad in ["01", "1.", ".5", "+1", "1e", "--1", "0x1"] {
        assert!(decode(bad.as_bytes(), &Type::Number).is_err(), "{bad}");
    }
    assert!(dec_err("\"abc\"", &Type::Number).contains("expected a number"));
}

#[test]
fn strings_and_escapes() {
    let text = r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#;
    assert_eq!(
        dec(text, &Type::String),
        Value::from("a\"b\\c/d\u{8}\u{c}\n\r\té😀")
    );
    let tricky = "quote\" back\\ nl\n ctl\u{1} é 😀";
    let encoded = enc(&Value::from(tricky), &Type::String);
    assert_eq!(encoded, "\"quote\\\" back\\\\ nl\\n ctl\\u0001 é 😀\"");
    assert_eq!(dec(&encoded, &Type::String), Value::from(tricky));
    for bad in [
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\x""#,
        "\"a\nb\"",
        r#""\u12""#,
        "\"abc",
    ] {
        assert!(decode(bad.as_bytes(), &Type::String).is_err(), "{bad}");
    }
    assert!(decode(b"\"\xff\"", &Type::String)
        .unwrap_err()
        .to_string()
        .contains("UTF-8"));
}

#[test]
fn collections() {
    let list_ty = Type::list(Type::Number);
    assert_eq!(
        dec("[1, 2]", &list_ty),
        Value::List(vec![Value::from(1), Value::from(2)])
    );
    assert_eq!(
        enc(&Value::List(vec![Value::from(1), Value::Null]), &list_ty),
        "[1,null]"
    );
    let map_ty = Type::map(Type::String);
    let map = Value::Map(
        [
            ("b".to_owned(), Value::from("2")),
            ("a".to_owned(), Value::from("1")),
        ]
        .into(),
    );
    assert_eq!(enc(&map, &map_ty), r#"{"a":"1","b":"2"}"#);
    assert_eq!(dec(r#"{"b":"2","a":"1"}"#, &map_ty), map);
    let tuple_ty = Type::Tuple(vec![Type::String, Type::Bool]);
    let tuple = Value::Tuple(vec![Value::from("x"), Value::Bool(false)]);
    assert_eq!(dec(&enc(&tuple, &tuple_ty), &tuple_ty), tuple);
    assert!(dec_err("[\"x\"]", &tuple_ty).contains("tuple of 2 elements"));
    let set_ty = Type::set(Type::String);
    assert_eq!(
        enc(
            &Value::Set(vec!["b".into(), "a".into(), "b".into()]),
            &set_ty
        ),
        r#"["a","b"]"#
    );
    assert_eq!(enc(&Value::Set(vec![]), &set_ty), "[]");
    assert!(dec_err(r#"{"a":1,"a":2}"#, &Type::map(Type::Number)).contains("duplicate key"));
}

#[test]
fn objects_fill_missing_attributes_and_refuse_extra_ones() {
    let ty = obj(&[("a", Type::String), ("nested", obj(&[("b", Type::Number)]))]);
    assert_eq!(
        dec(r#"{"a":"x"}"#, &ty),
        Value::object([("a", Value::from("x")), ("nested", Value::Null)])
    );
    assert_eq!(
        dec(r#"{"nested":{}}"#, &ty),
        Value::object([
            ("a", Value::Null),
            ("nested", Value::object([("b", Value::Null)]))
        ])
    );
    let err = dec_err(r#"{"a":"x","nested":{"b":1,"gone":true}}"#, &ty);
    assert_eq!(
        err,
        "json: at .nested: unexpected attribute \"gone\": not in the type"
    );
    // The lenient decoder drops them, at any depth.
    let lenient = decode_lenient(br#"{"a":"x","old":1,"nested":{"b":1,"gone":true}}"#, &ty);
    assert_eq!(
        lenient.ok(),
        Some(Value::object([
            ("a", Value::from("x")),
            ("nested", Value::object([("b", Value::from(1))]))
        ]))
    );
    assert_eq!(
        enc(&Value::object([("a", Value::from("x"))]), &ty),
        r#"{"a":"x","nested":null}"#
    );
    assert!(encode(&Value::object([("zz", Value::Null)]), &ty).is_err());
}

#[test]
fn dynamic_values_carry_their_type() {
    let value = Value::Dynamic {
        ty: Type::list(Type::String),
        value: Box::new(Value::List(vec!["a".into()])),
    };
    let text = enc(&value, &Type::Dynamic);
    assert_eq!(text, r#"{"value":["a"],"type":["list","string"]}"#);
    assert_eq!(dec(&text, &Type::Dynamic), value);
    assert_eq!(
        dec(r#"{"type":"string","value":"x"}"#, &Type::Dynamic),
        Value::Dynamic {
            ty: Type::String,
            value: Box::new(Value::from("x"))
        }
    );
    assert_eq!(
        enc(&Value::from(true), &Type::Dynamic),
        r#"{"value":true,"type":"bool"}"#
    );
    assert_eq!(dec("null", &Type::Dynamic), Value::Null);
    assert!(dec_err(r#"{"value":1}"#, &Type::Dynamic).contains("needs both"));
    assert!(
        dec_err(r#"{"value":1,"type":"number","x":2}"#, &Type::Dynamic).contains("unexpected key")
    );
    assert!(dec_err(r#"{"value":1,"type":"nope"}"#, &Type::Dynamic).contains("nope"));
}

#[test]
fn unknowns_have_no_json_form() {
    let ty = obj(&[("list", Type::list(Type::String))]);
    let value = Value::object([("list", Value::List(vec![Value::from("a"), Value::Unknown]))]);
    assert_eq!(
        encode(&value, &ty).unwrap_err().to_string(),
        "json: at .list[1]: unknown values cannot be written as JSON"
    );
}

#[test]
fn errors_name_the_path() {
    let ty = obj(&[("a", obj(&[("b", Type::list(Type::Number))]))]);
    assert_eq!(
        dec_err(r#"{"a":{"b":[1,2,true]}}"#, &ty),
        "json: at .a.b[2]: expected a number, found a bool"
    );
    assert_eq!(
        dec_err(r#"{"k":[]}"#, &Type::map(Type::String)),
        "json: at [\"k\"]: expected a string, found an array"
    );
}

#[test]
fn depth_is_limited() {
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    assert!(dec_err(&deep, &Type::Dynamic).contains("deeper than 256"));
    let deep = "[".repeat(100_000);
    assert!(dec_err(&deep, &Type::Dynamic).contains("deeper than 256"));
}

#[test]
fn malformed_and_truncated_input_is_an_error() {
    let ty = obj(&[
        ("a", Type::String),
        ("n", Type::list(Type::Number)),
        ("d", Type::Dynamic),
    ]);
    let text = r#" {"a": "x\u00e9y", "n": [1, -2.5e3, 0.25], "d": {"value": {"k": null}, "type": ["map", "bool"]}} "#;
    let full = dec(text, &ty);
    assert_eq!(dec(&enc(&full, &ty), &ty), full);
    for len in 0..text.trim_end().len() {
        if let Some(prefix) = text.get(..len) {
            assert!(decode(prefix.as_bytes(), &ty).is_err(), "prefix {prefix:?}");
        }
    }
    for bad in [
        "",
        "nul",
        "[1,]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "[1] x",
        "{1:2}",
        "tru",
    ] {
        assert!(decode(bad.as_bytes(), &Type::Dynamic).is_err(), "{bad}");
        assert!(
            decode(bad.as_bytes(), &Type::map(Type::Number)).is_err(),
            "{bad}"
        );
    }
}
