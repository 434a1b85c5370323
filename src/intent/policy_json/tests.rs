//! Tests of policy parsing, shape checks, canonical JSON, sizes, decoding and
//! semantic equivalence (with property tests).

use super::*;
use proptest::prelude::*;

const S3_READ: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    }]
}"#;

fn shape(s: &str, kind: PolicyKind) -> Vec<String> {
    validate_policy_shape(&parse_policy(s).unwrap(), kind)
}

#[test]
fn parse_rejects_non_objects() {
    assert!(parse_policy("not json")
        .unwrap_err()
        .contains("not valid JSON"));
    assert!(parse_policy("[]").is_err());
    assert!(parse_policy("\"x\"").is_err());
    assert!(parse_policy(S3_READ).is_ok());
}

#[test]
fn identity_shape_accepts_good_documents() {
    assert_eq!(shape(S3_READ, PolicyKind::Identity), Vec::<String>::new());
    let single = r#"{"Version":"2008-10-17","Id":"x","Statement":{"Sid":"A1","Effect":"Deny","NotAction":"iam:*","NotResource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":[10,"20"]}}}}"#;
    assert_eq!(shape(single, PolicyKind::Identity), Vec::<String>::new());
}

#[test]
fn identity_shape_reports_every_problem() {
    let bad = r#"{"Version":"2020-01-01","Extra":1,"Statement":[
        {"Sid":"has space","Effect":"allow","Action":[],"Resource":"bucket","Principal":"*"},
        {"Effect":"Allow","Action":"s3","NotAction":"s3:x"},
        "nope",
        {"Effect":"Allow","Action":"s3:x","Resource":"*","Condition":{"StringEquals":{"k":[]}},"Foo":1}
    ]}"#;
    let problems = shape(bad, PolicyKind::Identity);
    let expect = [
        "\"Extra\" is not a policy element",
        "Version: \"2020-01-01\"",
        "Statement[0].Sid",
        "Statement[0].Effect",
        "Statement[0].Action: the list is empty",
        "Statement[0].Resource: \"bucket\" is not an ARN",
        "Statement[0]: Principal is not allowed in an identity policy",
        "Statement[1]: use either Action or NotAction",
        "Statement[1].Action: \"s3\" is not an action",
        "Statement[1]: Resource (or NotResource) is missing",
        "Statement[2]: a statement must be a JSON object",
        "Statement[3].Condition.StringEquals.k",
        "Statement[3]: \"Foo\" is not a statement element",
    ];
    for e in expect {
        assert!(
            problems.iter().any(|p| p.contains(e)),
            "missing {e:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expect.len(), "{problems:#?}");
}

#[test]
fn missing_pieces() {
    let p = shape(r#"{"Statement":[]}"#, PolicyKind::Identity);
    assert!(p.iter().any(|s| s.starts_with("Version is missing")));
    assert!(p.iter().any(|s| s.starts_with("Statement is empty")));
    let p = shape(r#"{"Version":"2012-10-17"}"#, PolicyKind::Identity);
    assert_eq!(p, vec!["Statement is missing; add at least one statement"]);
    let p = shape(
        r#"{"Version":"2012-10-17","Statement":3}"#,
        PolicyKind::Identity,
    );
    assert_eq!(p.len(), 1);
}

#[test]
fn trust_shape() {
    let ok = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#;
    assert_eq!(shape(ok, PolicyKind::Trust), Vec::<String>::new());
    let bad = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"sts:AssumeRole","Resource":"*"},{"Effect":"Allow","Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":[],"Action":"sts:AssumeRole"}]}"#;
    let p = shape(bad, PolicyKind::Trust);
    for e in [
        "Statement[0].Principal: \"Robot\" is not a principal type",
        "Statement[0]: Resource is not allowed in a trust policy",
        "Statement[1]: Principal (or NotPrincipal) is missing",
        "Statement[2].Principal: must be",
    ] {
        assert!(p.iter().any(|s| s.contains(e)), "missing {e:?} in {p:#?}");
    }
}

#[test]
fn canonical_order_and_minified() {
    let messy = r#"{ "Statement": [ { "Resource": "*", "Condition": {"StringEquals": {"b": "1", "a": "2"}}, "Action": "s3:GetObject", "Effect": "Allow", "Sid": "X" } ], "Version": "2012-10-17" }"#;
    assert_eq!(
        canonical_json(messy).unwrap(),
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"X","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"a":"2","b":"1"}}}]}"#
    );
    // Idempotent, and a statement object stays an object.
    let once = canonical_json(
        r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"},"Version":"2012-10-17"}"#,
    )
    .unwrap();
    assert_eq!(
        once,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#
    );
    assert_eq!(canonical_json(&once).unwrap(), once);
    let pretty = canonical_json_pretty(&parse_policy(&once).unwrap());
    assert!(pretty.contains("\n  \"Statement\""));
    assert_eq!(canonical_json(&pretty).unwrap(), once);
}

#[test]
fn sizes_ignore_whitespace() {
    assert_eq!(non_whitespace_len("{ \"a\" :\n\t\"b c\" }"), 10);
    assert_eq!(non_whitespace_len(""), 0);
    assert_eq!(non_whitespace_len("ü"), 1);
}

#[test]
fn decodes_iam_url_encoding() {
    let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
    assert_eq!(
        decode_iam_policy_document(encoded),
        r#"{"Version":"2012-10-17","Statement":[]}"#
    );
    assert_eq!(
        decode_iam_policy_document("%7B%22a%22%3A%22%C3%BC+%25%22%7D"),
        "{\"a\":\"ü+%\"}"
    );
    // Already decoded: untouched, even with a literal percent sign.
    assert_eq!(
        decode_iam_policy_document("{\"a\":\"100%41\"}"),
        "{\"a\":\"100%41\"}"
    );
    // Broken escapes are kept.
    assert_eq!(decode_iam_policy_document("%7Bx%zz%4"), "{x%zz%4");
    assert_eq!(decode_iam_policy_document("%"), "%");
    assert_eq!(decode_iam_policy_document("%FF"), "\u{fffd}");
}

#[test]
fn jsonencode_style_sorts_every_key() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#;
    assert_eq!(
        jsonencode_style(doc).as_deref(),
        Some(
            r#"{"Statement":[{"Action":"s3:PutObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}"#
        )
    );
    assert_eq!(
        jsonencode_style("%7B%22b%22%3A1%2C%22a%22%3A2%7D").as_deref(),
        Some(r#"{"a":2,"b":1}"#)
    );
    assert_eq!(jsonencode_style("{oops"), None);
}

#[test]
fn statement_helpers() {
    let mut doc: Value =
        serde_json::from_str(r#"{"Statement":[{"Sid":"A"},"x",{"Sid":"B"}]}"#).unwrap();
    assert_eq!(statements(&doc).len(), 2);
    for st in statements_mut(&mut doc) {
        st.insert("Effect".into(), Value::from("Allow"));
    }
    assert!(statements(&doc).iter().all(|st| st["Effect"] == "Allow"));
    let single: Value = serde_json::from_str(r#"{"Statement":{"Sid":"A"}}"#).unwrap();
    assert_eq!(statements(&single).len(), 1);
    assert_eq!(single_string(&Value::from("a")), Some("a"));
    assert_eq!(single_string(&serde_json::json!(["a"])), Some("a"));
    assert_eq!(single_string(&serde_json::json!(["a", "b"])), None);
    assert_eq!(single_string(&serde_json::json!(1)), None);
}

#[test]
fn equivalence_rules() {
    let a = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","arn:aws:iam::123456789012:role/x"]},"Action":["sts:AssumeRole"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":true},"StringEquals":{"k":["b","a"]}}},
        {"Effect":"Allow","Action":["s3:B","s3:A","s3:A"],"Resource":"*"}
    ]}"#;
    let b = r#"{"Statement":[
        {"Resource":["*"],"Action":["s3:A","s3:B"],"Effect":"Allow"},
        {"Condition":{"StringEquals":{"k":["a","b"]},"Bool":{"aws:MultiFactorAuthPresent":"true"}},"Action":"sts:AssumeRole","Principal":{"AWS":["arn:aws:iam::123456789012:role/x","123456789012"]},"Effect":"Allow"}
    ],"Version":"2012-10-17"}"#;
    assert!(policies_equivalent(a, b));
    let single =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:A","Resource":"*"}}"#;
    let array = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:A"],"Resource":["*"]}]}"#;
    assert!(policies_equivalent(single, array));
    let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AA%22%2C%22Resource%22%3A%22*%22%7D%7D";
    assert!(policies_equivalent(encoded, array));
    // Real differences are differences.
    for other in [
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:A","Resource":"*"}}"#,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:B","Resource":"*"}}"#,
        r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:A","Resource":"*"}}"#,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:A","s3:B"],"Resource":"*"}}"#,
        r#"{"Version":"2012-10-17","Statement":{"Sid":"X","Effect":"Allow","Action":"s3:A","Resource":"*"}}"#,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:A","NotResource":"*"}}"#,
    ] {
        assert!(!policies_equivalent(single, other), "{other}");
    }
    // Condition keys differ; a root ARN in another account differs.
    assert!(!policies_equivalent(
        r#"{"Statement":{"Condition":{"StringEquals":{"k":"a"}}}}"#,
        r#"{"Statement":{"Condition":{"StringLike":{"k":"a"}}}}"#
    ));
    assert!(!policies_equivalent(
        r#"{"Statement":{"Principal":{"AWS":"arn:aws:iam::123456789012:root"}}}"#,
        r#"{"Statement":{"Principal":{"AWS":"210987654321"}}}"#
    ));
    // Unparseable: only identical text is equivalent.
    assert!(policies_equivalent("{oops", "{oops"));
    assert!(!policies_equivalent("{oops", "{oops "));
}

fn arb_statement() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["Allow", "Deny"]),
        prop::collection::vec("[a-z]{1,4}:[A-Za-z]{1,6}", 1..4),
        prop::collection::vec("arn:aws:s3:::[a-z]{1,6}", 1..3),
        prop::collection::vec("[a-z]{1,5}", 1..3),
    )
        .prop_map(|(effect, actions, resources, cond)| {
            serde_json::json!({
                "Effect": effect,
                "Action": actions,
                "Resource": resources,
                "Condition": {"StringEquals": {"aws:RequestTag/x": cond}}
            })
        })
}

fn shuffled(doc: &Value, seed: u64) -> Value {
    // A deterministic permutation: reverse arrays for odd seeds, rotate otherwise,
    // and unwrap one-element arrays to bare strings.
    fn go(v: &Value, seed: u64) -> Value {
        match v {
            Value::Array(a) if a.len() == 1 && a[0].is_string() && seed % 3 == 0 => a[0].clone(),
            Value::Array(a) => {
                let mut items: Vec<Value> = a.iter().map(|x| go(x, seed)).collect();
                if seed % 2 == 1 {
                    items.reverse();
                } else if !items.is_empty() {
                    let n = items.len();
                    items.rotate_left((seed as usize) % n);
                }
                Value::Array(items)
            }
            Value::Object(m) => {
                let mut entries: Vec<(String, Value)> =
                    m.iter().map(|(k, x)| (k.clone(), go(x, seed))).collect();
                entries.reverse();
                Value::Object(entries.into_iter().collect())
            }
            other => other.clone(),
        }
    }
    go(doc, seed)
}

proptest! {
    #[test]
    fn equivalence_is_reflexive_and_order_insensitive(
        stmts in prop::collection::vec(arb_statement(), 1..4),
        seed in 0u64..1000,
    ) {
        let doc = serde_json::json!({"Version": "2012-10-17", "Statement": stmts});
        let text = doc.to_string();
        prop_assert!(policies_equivalent(&text, &text));
        let pretty = serde_json::to_string_pretty(&doc).unwrap();
        prop_assert!(policies_equivalent(&text, &pretty));
        let other = shuffled(&doc, seed).to_string();
        prop_assert!(policies_equivalent(&text, &other), "{} vs {}", text, other);
        prop_assert!(policies_equivalent(&other, &text));
        let canonical = canonical_json_value(&doc);
        prop_assert!(policies_equivalent(&text, &canonical));
        prop_assert_eq!(canonical_json(&canonical).unwrap(), canonical);
    }
}
