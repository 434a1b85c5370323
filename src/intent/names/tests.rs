//! Tests of the name, ARN and STS value rules and the default-name helpers.

use super::*;

#[test]
fn namespaces() {
    for ok in ["a", "default", "kube-system", "a1", &"a".repeat(63)] {
        assert_eq!(validate_namespace(ok), Ok(()), "{ok}");
    }
    for bad in ["", "-a", "a-", "A", "a.b", "a_b", &"a".repeat(64), "ü"] {
        assert!(validate_namespace(bad).is_err(), "{bad}");
    }
}

#[test]
fn service_accounts() {
    for ok in [
        "a",
        "my-sa",
        "a.b.c",
        "x1.y-2",
        &format!("{}.{}", "a".repeat(63), "b".repeat(63)),
    ] {
        assert_eq!(validate_service_account(ok), Ok(()), "{ok}");
    }
    let long = vec!["a".repeat(63); 4].join("."); // 255
    for bad in ["", ".a", "a.", "a..b", "A", "a_b", &"a".repeat(64), &long] {
        assert!(validate_service_account(bad).is_err(), "{bad}");
    }
    assert!(validate_service_account(&long[..253]).is_ok());
}

#[test]
fn cluster_names() {
    for ok in ["a", "prod", "Prod_1-x", "1abc", &"a".repeat(100)] {
        assert_eq!(validate_cluster_name(ok), Ok(()), "{ok}");
    }
    for bad in ["", "-a", "_a", "a.b", "a b", &"a".repeat(101), "é"] {
        assert!(validate_cluster_name(bad).is_err(), "{bad}");
    }
}

#[test]
fn role_names_paths_and_policy_names() {
    assert!(validate_role_name("a").is_ok());
    assert!(validate_role_name("ok+=,.@_-").is_ok());
    assert!(validate_role_name(&"a".repeat(64)).is_ok());
    assert!(validate_role_name(&"a".repeat(65)).is_err());
    assert!(validate_role_name("").is_err());
    assert!(validate_role_name("a/b").is_err());
    assert!(validate_role_name("a b").is_err());
    assert!(validate_policy_name(&"p".repeat(128)).is_ok());
    assert!(validate_policy_name(&"p".repeat(129)).is_err());
    for ok in ["/", "/a/", "/team/ci/", "/a!~/"] {
        assert_eq!(validate_iam_path(ok), Ok(()), "{ok}");
    }
    let long = format!("/{}/", "a".repeat(511));
    for bad in ["", "a", "/a", "a/", "/a b/", "/é/", long.as_str()] {
        assert!(validate_iam_path(bad).is_err(), "{bad}");
    }
}

#[test]
fn accounts_and_partitions() {
    assert!(validate_account_id("000000000000").is_ok());
    assert!(validate_account_id("12345678901").is_err());
    assert!(validate_account_id("12345678901a").is_err());
    for ok in ["aws", "aws-cn", "aws-us-gov", "aws-iso-b"] {
        assert!(validate_partition(ok).is_ok(), "{ok}");
    }
    for bad in ["", "AWS", "aws-", "azure", "aws--cn"] {
        assert!(validate_partition(bad).is_err(), "{bad}");
    }
}

#[test]
fn session_names_and_external_ids() {
    assert!(validate_session_name("terraform").is_ok());
    assert!(validate_session_name("t").is_err());
    assert!(validate_session_name("a/b").is_err());
    assert!(validate_external_id("abc:/def").is_ok());
    assert!(validate_external_id("x").is_err());
    assert!(validate_external_id(&"x".repeat(1225)).is_err());
    let err = validate_external_id("secret value!").unwrap_err();
    assert!(!err.contains("secret value"), "never echo a secret: {err}");
    assert!(validate_external_id("ü-not-ascii").is_err());
}

#[test]
fn fnv_is_the_reference_fnv1a() {
    // Reference vectors for 32-bit FNV-1a.
    assert_eq!(fnv1a_32(b""), 0x811c_9dc5);
    assert_eq!(fnv1a_32(b"a"), 0xe40c_292c);
    assert_eq!(fnv1a_32(b"foobar"), 0xbf9c_f968);
}

#[test]
fn bounded_names() {
    assert_eq!(bounded_name("short", &["short"], 64), "short");
    let long = "x".repeat(80);
    let name = bounded_name(&long, &[&long], 64);
    assert_eq!(name.len(), 64);
    assert!(name.starts_with(&"x".repeat(55)));
    assert_eq!(name, bounded_name(&long, &[&long], 64), "deterministic");
    assert_ne!(
        bounded_name(&long, &["a-b", "c"], 64),
        bounded_name(&long, &["a", "b-c"], 64)
    );
    // Trailing separators before the hash are trimmed.
    let dashed = format!("{}-{}", "y".repeat(54), "z".repeat(30));
    let name = bounded_name(&dashed, &[&dashed], 64);
    assert!(!name.contains("--"), "{name}");
    assert!(name.len() <= 64);
    assert_eq!(bounded_name("a b/c", &[], 64), "a-b-c");
}

#[test]
fn role_arns_round_trip() {
    let arn = role_arn("aws", "123456789012", "/", "app");
    assert_eq!(arn, "arn:aws:iam::123456789012:role/app");
    let parsed = parse_role_arn(&arn).unwrap();
    assert_eq!(parsed.path, "/");
    assert_eq!(parsed.name, "app");
    let arn = role_arn("aws-cn", "123456789012", "/team/ci/", "deployer");
    assert_eq!(arn, "arn:aws-cn:iam::123456789012:role/team/ci/deployer");
    let parsed = parse_role_arn(&arn).unwrap();
    assert_eq!(parsed.partition, "aws-cn");
    assert_eq!(parsed.path, "/team/ci/");
    assert_eq!(parsed.name, "deployer");
    for bad in [
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:iam::1234:role/x",
        "arn:aws:sts::123456789012:assumed-role/x/y",
        "arn:aws:iam::123456789012:role/bad name",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:rolex",
        "arn:aws:iam:us-east-1:123456789012:role/x",
        "role/x",
    ] {
        assert!(parse_role_arn(bad).is_err(), "{bad}");
    }
}

#[test]
fn user_arns() {
    let u = parse_user_arn("arn:aws:iam::123456789012:user/people/alice").unwrap();
    assert_eq!((u.path.as_str(), u.name.as_str()), ("/people/", "alice"));
    assert!(parse_user_arn("arn:aws:iam::123456789012:role/alice").is_err());
}

#[test]
fn managed_policy_arns() {
    let p = parse_managed_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
    assert_eq!(p.owner, PolicyOwner::Aws);
    assert_eq!((p.path.as_str(), p.name.as_str()), ("/", "ReadOnlyAccess"));
    let p =
        parse_managed_policy_arn("arn:aws-cn:iam::123456789012:policy/service-role/team/Custom")
            .unwrap();
    assert_eq!(p.owner, PolicyOwner::Account("123456789012".into()));
    assert_eq!(p.path, "/service-role/team/");
    assert_eq!(p.name, "Custom");
    for bad in [
        "arn:aws:iam::aws:role/ReadOnlyAccess",
        "arn:aws:iam::amazon:policy/X",
        "arn:aws:s3:::bucket",
        "arn:aws:iam::aws:policy/",
        "ReadOnlyAccess",
    ] {
        assert!(parse_managed_policy_arn(bad).is_err(), "{bad}");
    }
}

#[test]
fn oidc_provider_arns() {
    let p = parse_oidc_provider_arn(
        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123",
    )
    .unwrap();
    assert_eq!(
        p.issuer_host_path,
        "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123"
    );
    assert_eq!(p.account_id, "123456789012");
    assert!(parse_oidc_provider_arn(
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    )
    .is_ok());
    for bad in [
        "arn:aws:iam::123456789012:oidc-provider/",
        "arn:aws:iam::123456789012:oidc-provider/https://x.example.com",
        "arn:aws:iam::123456789012:oidc-provider/x.example.com/",
        "arn:aws:iam::123456789012:saml-provider/x",
        "arn:aws:iam::aws:oidc-provider/x.example.com",
    ] {
        assert!(parse_oidc_provider_arn(bad).is_err(), "{bad}");
    }
}
