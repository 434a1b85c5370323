//! Tests of ARN splitting, principal ARNs and percent-decoding.

use super::*;

#[test]
fn arns_split_into_six_fields() {
    assert_eq!(
        Arn::parse("arn:aws:iam::123456789012:role/app"),
        Some(Arn {
            partition: "aws",
            service: "iam",
            region: "",
            account: "123456789012",
            resource: "role/app",
        })
    );
    let lambda = Arn::parse("arn:aws-cn:lambda:cn-north-1:123456789012:function:f:live").unwrap();
    assert_eq!(lambda.region, "cn-north-1");
    assert_eq!(lambda.resource, "function:f:live");
    let bucket = Arn::parse("arn:aws:s3:::bucket").unwrap();
    assert_eq!((bucket.account, bucket.resource), ("", "bucket"));
    for bad in [
        "",
        "arn",
        "role/x",
        "arn:aws:iam::123456789012",
        "arn::iam::1:root",
        "arn:aws::::x",
        "arn:aws:iam::123456789012:",
        "ARN:aws:iam::123456789012:root",
    ] {
        assert_eq!(Arn::parse(bad), None, "{bad}");
    }
}

#[test]
fn partition_comes_from_the_arn() {
    assert_eq!(
        partition_of("arn:aws:sts::000000000000:user/x"),
        Some("aws")
    );
    assert_eq!(partition_of("arn:aws-cn:iam::1:root"), Some("aws-cn"));
    assert_eq!(partition_of("arn::iam::1:root"), None);
    assert_eq!(partition_of("nope"), None);
}

#[test]
fn role_and_user_arns_split_into_kind_path_and_name() {
    assert_eq!(
        parse_principal("arn:aws:iam::123456789012:role/app"),
        Some(Principal {
            partition: "aws",
            account: "123456789012",
            kind: PrincipalKind::Role,
            path: "/",
            name: "app",
            session: None,
        })
    );
    let nested = parse_principal("arn:aws-cn:iam::1:user/teams/ops/alice").unwrap();
    assert_eq!(nested.kind, PrincipalKind::User);
    assert_eq!(nested.path, "/teams/ops/");
    assert_eq!(nested.name, "alice");
    assert_eq!(nested.partition, "aws-cn");
    assert!(nested.is_role_or_user());
    for not_principal in [
        "arn:aws:iam::123456789012:policy/p",
        "arn:aws:iam::123456789012:group/g",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:rolex",
        "arn:aws:iam::123456789012:role/a//b",
        "arn:aws:iam:us-east-1:123456789012:role/app",
        "arn:aws:iam:::role/app",
        "arn:aws:s3:::bucket",
        "role/app",
        "",
    ] {
        assert_eq!(parse_principal(not_principal), None, "{not_principal}");
    }
}

#[test]
fn root_and_session_principals() {
    let root = parse_principal("arn:aws:iam::123456789012:root").unwrap();
    assert_eq!(root.kind, PrincipalKind::Root);
    assert_eq!(root.account, "123456789012");
    assert!(!root.is_role_or_user());
    let session =
        parse_principal("arn:aws:sts::123456789012:assumed-role/app/alice@example.com").unwrap();
    assert_eq!(session.kind, PrincipalKind::AssumedRole);
    assert_eq!(session.name, "app");
    assert_eq!(session.session, Some("alice@example.com"));
    let federated = parse_principal("arn:aws:sts::123456789012:federated-user/bob").unwrap();
    assert_eq!(federated.kind, PrincipalKind::FederatedUser);
    assert_eq!(federated.name, "bob");
    for bad in [
        "arn:aws:sts::123456789012:assumed-role/app",
        "arn:aws:sts::123456789012:assumed-role//s",
        "arn:aws:sts::123456789012:federated-user/",
        "arn:aws:sts::123456789012:user/x",
    ] {
        assert_eq!(parse_principal(bad), None, "{bad}");
    }
}

#[test]
fn strict_percent_decoding_follows_rfc_3986() {
    assert_eq!(
        percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D").as_deref(),
        Some(r#"{"Version":"2012-10-17"}"#)
    );
    // '+' is a literal plus in IAM's encoding, and a space is %20.
    assert_eq!(percent_decode("a+b%20c%2Bd").as_deref(), Some("a+b c+d"));
    assert_eq!(percent_decode("%e2%82%AC").as_deref(), Some("€"));
    assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
    assert_eq!(percent_decode(""), Some(String::new()));
    for bad in ["%", "%7", "%zz", "%+1", "%-1", "%C3"] {
        assert_eq!(percent_decode(bad), None, "{bad}");
    }
}

#[test]
fn lossy_percent_decoding_keeps_what_it_cannot_decode() {
    assert_eq!(
        percent_decode_lossy("%7B%22a%22%3A%22%C3%BC+%25%22%7D"),
        "{\"a\":\"ü+%\"}"
    );
    assert_eq!(percent_decode_lossy("%7Bx%zz%4"), "{x%zz%4");
    assert_eq!(percent_decode_lossy("%"), "%");
    assert_eq!(percent_decode_lossy("%FF"), "\u{fffd}");
}

#[test]
fn policy_documents_are_decoded_unless_already_json() {
    assert_eq!(
        decode_policy_document("%7B%22a%22%3A%22100%25%22%7D").as_deref(),
        Some(r#"{"a":"100%"}"#)
    );
    assert_eq!(
        decode_policy_document(r#" {"a":"100%25"}"#).as_deref(),
        Some(r#" {"a":"100%25"}"#)
    );
    assert_eq!(decode_policy_document("%7B%2"), None);
    assert_eq!(decode_policy_document_lossy("%7B%2"), "{%2");
    assert_eq!(
        decode_policy_document_lossy("{\"a\":\"100%41\"}"),
        "{\"a\":\"100%41\"}"
    );
}
