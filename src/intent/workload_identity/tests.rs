//! Tests of the workload identity intent: every rule and error path with its
//! exact attribute path, the golden blueprints, and property tests of the
//! default role name.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::intent::golden;
use crate::intent::policy_json::{canonical_json, non_whitespace_len};
use crate::intent::test_support::*;
use crate::intent::trust_policy_rules::check_trust_policy;

const OIDC: &str =
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_HOST: &str = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::payments/*"}]}"#;

impl TestIntent for WorkloadIdentityInput {
    type Blueprint = WorkloadIdentityBlueprint;

    const VALIDATE: ValidateFn<Self> = validate;
    const BLUEPRINT: BlueprintFn<Self, WorkloadIdentityBlueprint> =
        |input, env| blueprint(input, env, None);
}

fn pod() -> WorkloadIdentityInput {
    WorkloadIdentityInput::new("prod", "payments", "api")
}

fn irsa() -> WorkloadIdentityInput {
    WorkloadIdentityInput {
        mechanism: Mechanism::Irsa,
        oidc_provider_arn: Some(OIDC.into()),
        ..pod()
    }
}

/// An environment in [`account`] with these default tags and trust quota.
fn env_with(default_tags: &[(&str, &str)], trust_policy_quota: usize) -> Env {
    Env {
        account: account(),
        default_tags: map(default_tags),
        trust_policy_quota,
    }
}

#[test]
fn minimal_inputs_are_valid() {
    assert_eq!(problems(&pod()), vec![]);
    assert_eq!(problems(&irsa()), vec![]);
}

#[test]
fn mechanism_strings() {
    assert_eq!(Mechanism::parse("pod_identity"), Ok(Mechanism::PodIdentity));
    assert_eq!(Mechanism::parse("irsa"), Ok(Mechanism::Irsa));
    assert!(Mechanism::parse("IRSA").is_err());
    for m in [Mechanism::PodIdentity, Mechanism::Irsa] {
        assert_eq!(Mechanism::parse(m.as_str()), Ok(m));
    }
    assert_eq!(Mechanism::default(), Mechanism::PodIdentity);
}

#[test]
fn pod_identity_blueprint_is_exact() {
    let bp = build(&pod(), &account()).unwrap();
    assert_eq!(bp.role.name, "eks-prod-payments-api");
    assert_eq!(bp.role.path, "/");
    assert_eq!(
        bp.role.arn,
        "arn:aws:iam::123456789012:role/eks-prod-payments-api"
    );
    assert_eq!(
        bp.role.trust_policy,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"EksPodIdentity","Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"aws:RequestTag/eks-cluster-arn":"arn:aws:eks:eu-west-1:123456789012:cluster/prod","aws:RequestTag/kubernetes-namespace":"payments","aws:RequestTag/kubernetes-service-account":"api","aws:SourceAccount":"123456789012"}}}]}"#
    );
    assert_eq!(bp.role.max_session_duration, 3600);
    assert_eq!(bp.role.description, None);
    assert!(bp.role.inline_policies.is_empty());
    assert!(bp.role.managed_policy_arns.is_empty());
    assert_eq!(
        bp.role.tags,
        map(&[
            ("eksrole:cluster", "prod"),
            ("eksrole:intent", "workload-identity"),
            ("eksrole:managed-by", "terraform-provider-eksrole"),
            ("eksrole:namespace", "payments"),
            ("eksrole:service-account", "api"),
        ])
    );
    let association = bp.association.unwrap();
    assert_eq!(
        association,
        PodIdentityAssociationBlueprint {
            cluster_name: "prod".into(),
            namespace: "payments".into(),
            service_account: "api".into(),
            role_arn: bp.role.arn.clone(),
            target_role_arn: None,
            disable_session_tags: false,
            session_policy: None,
            tags: bp.role.tags.clone(),
        }
    );
    assert!(bp.service_account_annotations.is_empty());
}

#[test]
fn irsa_blueprint_is_exact() {
    let bp = build(&irsa(), &account()).unwrap();
    assert_eq!(
        bp.role.trust_policy,
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"EksIrsa","Effect":"Allow","Principal":{{"Federated":"{OIDC}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{OIDC_HOST}:aud":"sts.amazonaws.com","{OIDC_HOST}:sub":"system:serviceaccount:payments:api"}}}}}}]}}"#
        )
    );
    assert_eq!(bp.association, None);
    assert_eq!(
        bp.service_account_annotations,
        map(&[(
            "eks.amazonaws.com/role-arn",
            "arn:aws:iam::123456789012:role/eks-prod-payments-api"
        )])
    );
    let custom = WorkloadIdentityInput {
        audience: Some("my-audience".into()),
        ..irsa()
    };
    let bp = build(&custom, &account()).unwrap();
    assert!(bp.role.trust_policy.contains(r#":aud":"my-audience""#));
}

#[test]
fn every_attribute_reaches_the_blueprint() {
    let input = WorkloadIdentityInput {
        role_name: Some("payments-api".into()),
        role_path: Some("/workloads/".into()),
        description: Some("Payments API".into()),
        policy_arns: BTreeSet::from(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".to_owned()]),
        inline_policies: map(&[("s3", "{ \"Statement\": [{\"Resource\": \"*\", \"Action\": \"s3:ListAllMyBuckets\", \"Effect\": \"Allow\"}], \"Version\": \"2012-10-17\" }")]),
        permissions_boundary: Some("arn:aws:iam::123456789012:policy/boundary".into()),
        max_session_duration: Some(7200),
        tags: map(&[("team", "payments")]),
        ..pod()
    };
    let env = env_with(&[("env", "prod"), ("Team", "platform")], 2048);
    let bp = build_in(&input, &env).unwrap();
    assert_eq!(bp.role.name, "payments-api");
    assert_eq!(bp.role.path, "/workloads/");
    assert_eq!(
        bp.role.arn,
        "arn:aws:iam::123456789012:role/workloads/payments-api"
    );
    assert_eq!(bp.role.description.as_deref(), Some("Payments API"));
    assert_eq!(bp.role.max_session_duration, 7200);
    assert_eq!(
        bp.role.permissions_boundary.as_deref(),
        Some("arn:aws:iam::123456789012:policy/boundary")
    );
    assert_eq!(bp.role.managed_policy_arns, input.policy_arns);
    assert_eq!(
        bp.role.inline_policies["s3"],
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#
    );
    assert_eq!(bp.role.tags["team"], "payments");
    assert_eq!(bp.role.tags["env"], "prod");
    assert!(
        !bp.role.tags.contains_key("Team"),
        "user tag wins over a default differing in case"
    );
    assert_eq!(bp.role.tags.len(), 7);
    assert_eq!(bp.association.unwrap().role_arn, bp.role.arn);
}

#[test]
fn target_role_pod_identity() {
    let target = "arn:aws:iam::210987654321:role/data-reader";
    let input = WorkloadIdentityInput {
        target_role_arn: Some(target.into()),
        ..pod()
    };
    let bp = build(&input, &account()).unwrap();
    assert_eq!(
        bp.association.unwrap().target_role_arn.as_deref(),
        Some(target)
    );
    assert_eq!(
        bp.role.inline_policies[ASSUME_TARGET_POLICY_NAME],
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AssumeTargetRole","Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"{target}"}}]}}"#
        )
    );
}

#[test]
fn target_role_irsa() {
    let target = "arn:aws:iam::123456789012:role/other";
    let input = WorkloadIdentityInput {
        target_role_arn: Some(target.into()),
        ..irsa()
    };
    let bp = build(&input, &account()).unwrap();
    assert_eq!(
        bp.role.inline_policies[ASSUME_TARGET_POLICY_NAME],
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"AssumeTargetRole","Effect":"Allow","Action":"sts:AssumeRole","Resource":"{target}"}}]}}"#
        )
    );
    assert_eq!(bp.association, None);
}

#[test]
fn target_role_errors() {
    for (target, summary) in [
        (
            "arn:aws:iam::123456789012:role/eks-prod-payments-api",
            "Target role is this role",
        ),
        // Same name, other path, other case: still this role (names are unique per account ignoring case).
        (
            "arn:aws:iam::123456789012:role/x/EKS-prod-payments-api",
            "Target role is this role",
        ),
        (
            "arn:aws-cn:iam::210987654321:role/x",
            "Target role in another partition",
        ),
    ] {
        let input = WorkloadIdentityInput {
            target_role_arn: Some(target.into()),
            ..pod()
        };
        assert_eq!(
            problems(&input),
            vec![],
            "needs the account to tell: {target}"
        );
        assert_blueprint_error(&input, &account(), &["target_role_arn"], summary);
    }
    let custom = WorkloadIdentityInput {
        role_name: Some("me".into()),
        role_path: Some("/p/".into()),
        target_role_arn: Some("arn:aws:iam::123456789012:role/p/me".into()),
        ..irsa()
    };
    assert_blueprint_error(
        &custom,
        &account(),
        &["target_role_arn"],
        "Target role is this role",
    );
    // The same name in another account is a different role.
    let cross = WorkloadIdentityInput {
        target_role_arn: Some("arn:aws:iam::210987654321:role/eks-prod-payments-api".into()),
        ..pod()
    };
    assert!(build(&cross, &account()).is_ok());
    let bad = WorkloadIdentityInput {
        target_role_arn: Some("arn:aws:iam::210987654321:user/x".into()),
        ..pod()
    };
    assert_problems(
        &bad,
        &[(&["target_role_arn"], "Invalid target role ARN", false)],
    );
}

#[test]
fn reserved_inline_policy_name() {
    assert_edits(
        &pod(),
        &[
            (
                |i| {
                    i.inline_policies = map(&[(ASSUME_TARGET_POLICY_NAME, S3_READ)]);
                    i.target_role_arn = Some("arn:aws:iam::210987654321:role/x".into());
                },
                &[(
                    &["inline_policies", ASSUME_TARGET_POLICY_NAME],
                    "Reserved inline policy name",
                    false,
                )],
            ),
            // Reserved even without a target, so adding one later cannot break the plan.
            (
                |i| i.inline_policies = map(&[("EKSROLE-assume-target", S3_READ)]),
                &[(
                    &["inline_policies", "EKSROLE-assume-target"],
                    "Reserved inline policy name",
                    false,
                )],
            ),
        ],
    );
}

#[test]
fn name_errors() {
    assert_edits(
        &pod(),
        &[
            (
                |i| i.cluster_name = "-bad".into(),
                &[(&["cluster_name"], "Invalid cluster name", false)],
            ),
            (
                |i| i.namespace = "Payments".into(),
                &[(&["namespace"], "Invalid namespace", false)],
            ),
            (
                |i| i.service_account = "api_v1".into(),
                &[(&["service_account"], "Invalid service account name", false)],
            ),
            (
                |i| i.role_name = Some("x".repeat(65)),
                &[(&["role_name"], "Invalid role name", false)],
            ),
        ],
    );
    for path in ["workloads", "/workloads", "/a b/", ""] {
        let input = WorkloadIdentityInput {
            role_path: Some(path.into()),
            ..pod()
        };
        assert_problems(&input, &[(&["role_path"], "Invalid role path", false)]);
    }
}

#[test]
fn description_rules() {
    assert_edits(
        &pod(),
        &[
            (
                |i| i.description = Some(format!("{}é\n", "d".repeat(998))),
                &[],
            ),
            (
                |i| i.description = Some("d".repeat(1001)),
                &[(&["description"], "Description too long", false)],
            ),
            (
                |i| i.description = Some("rocket 🚀".into()),
                &[(&["description"], "Invalid character in description", false)],
            ),
        ],
    );
}

#[test]
fn max_session_duration_range() {
    for (seconds, want) in [
        (3600, &[][..]),
        (7200, &[]),
        (43_200, &[]),
        (0, INVALID_DURATION),
        (900, INVALID_DURATION),
        (3599, INVALID_DURATION),
        (43_201, INVALID_DURATION),
        (-1, INVALID_DURATION),
    ] {
        let input = WorkloadIdentityInput {
            max_session_duration: Some(seconds),
            ..pod()
        };
        assert_problems(&input, want);
    }
}

const INVALID_DURATION: &[Want] = &[(
    &["max_session_duration"],
    "Invalid maximum session duration",
    false,
)];

#[test]
fn policy_arn_rules() {
    let bad = "arn:aws:iam::aws:role/NotAPolicy";
    let input = WorkloadIdentityInput {
        policy_arns: BTreeSet::from([
            bad.to_owned(),
            "arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned(),
        ]),
        ..pod()
    };
    assert_problems(
        &input,
        &[(&["policy_arns", bad], "Invalid managed policy ARN", false)],
    );
    let eleven: BTreeSet<String> = (0..11)
        .map(|i| format!("arn:aws:iam::aws:policy/P{i}"))
        .collect();
    let input = WorkloadIdentityInput {
        policy_arns: eleven,
        ..pod()
    };
    assert_problems(
        &input,
        &[(
            &["policy_arns"],
            "More managed policies than IAM allows by default",
            true,
        )],
    );
    assert!(problems(&input)[0].detail.contains("quota"));
    // A warning does not stop the blueprint.
    assert_eq!(
        build(&input, &account())
            .unwrap()
            .role
            .managed_policy_arns
            .len(),
        11
    );
    let boundary = WorkloadIdentityInput {
        permissions_boundary: Some("boundary".into()),
        ..pod()
    };
    assert_problems(
        &boundary,
        &[(
            &["permissions_boundary"],
            "Invalid permissions boundary",
            false,
        )],
    );
}

#[test]
fn policies_must_be_in_the_roles_account_and_partition() {
    let foreign = "arn:aws:iam::210987654321:policy/theirs";
    let input = WorkloadIdentityInput {
        policy_arns: BTreeSet::from([foreign.to_owned()]),
        ..pod()
    };
    assert_blueprint_error(
        &input,
        &account(),
        &["policy_arns", foreign],
        "Policy in another account",
    );
    let input = WorkloadIdentityInput {
        permissions_boundary: Some("arn:aws:iam::aws:policy/PowerUserAccess".into()),
        ..pod()
    };
    assert_blueprint_error(
        &input,
        &account_in("aws-cn"),
        &["permissions_boundary"],
        "Policy in another partition",
    );
}

#[test]
fn inline_policy_rules() {
    let input = WorkloadIdentityInput {
        inline_policies: map(&[
            ("s3", "{not json"),
            ("bad name", S3_READ),
            (
                "trusty",
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}"#,
            ),
            ("fine", S3_READ),
        ]),
        ..pod()
    };
    let found = problems_of(&problems(&input));
    let at = |k: &str, s: &str| {
        (
            vec!["inline_policies".to_owned(), k.to_owned()],
            s.to_owned(),
            false,
        )
    };
    assert_eq!(
        found,
        vec![
            at("bad name", "Invalid inline policy name"),
            at("s3", "Invalid policy document"),
            at("trusty", "Invalid policy document"),
        ]
    );
    let details = problems(&input);
    assert!(
        details[1].detail.contains("not valid JSON"),
        "{}",
        details[1].detail
    );
    assert!(
        details[2].detail.contains("Principal is not allowed"),
        "{}",
        details[2].detail
    );
    assert!(
        details[2]
            .detail
            .contains("Resource (or NotResource) is missing"),
        "{}",
        details[2].detail
    );
}

fn policy_of_size(target: usize) -> String {
    // {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:x","Resource":"arn:aws:s3:::<pad>"}}
    let base = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:x","Resource":"arn:aws:s3:::"}}"#.len();
    format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "s3:x", "Resource": "arn:aws:s3:::{}"}}}}"#,
        "b".repeat(target - base)
    )
}

#[test]
fn inline_policy_total_size() {
    assert_eq!(non_whitespace_len(&policy_of_size(5000)), 5000);
    let fits = WorkloadIdentityInput {
        inline_policies: map(&[("a", &policy_of_size(5120)), ("b", &policy_of_size(5120))]),
        ..pod()
    };
    assert_eq!(
        problems(&fits),
        vec![],
        "exactly 10240, whitespace not counted"
    );
    let over = WorkloadIdentityInput {
        inline_policies: map(&[("a", &policy_of_size(5120)), ("b", &policy_of_size(5121))]),
        ..pod()
    };
    assert_problems(
        &over,
        &[(&["inline_policies"], "Inline policies too large", false)],
    );
    // The generated assume-target policy counts too.
    let with_target = WorkloadIdentityInput {
        target_role_arn: Some("arn:aws:iam::210987654321:role/x".into()),
        ..fits
    };
    assert_problems(
        &with_target,
        &[(&["inline_policies"], "Inline policies too large", false)],
    );
}

#[test]
fn tag_rules() {
    let input = WorkloadIdentityInput {
        tags: map(&[("eksrole:x", "1"), ("aws:y", "2"), ("ok", "bad*value")]),
        ..pod()
    };
    let found = problems_of(&problems(&input));
    let at = |k: &str, s: &str| (vec!["tags".to_owned(), k.to_owned()], s.to_owned(), false);
    assert_eq!(
        found,
        vec![
            at("aws:y", "Invalid tag key"),
            at("eksrole:x", "Reserved tag key"),
            at("ok", "Invalid tag value"),
        ]
    );
    // The provider's default tags are checked with the facts, by the blueprint.
    assert_env_error(
        &pod(),
        &env_with(&[("eksrole:owner", "me")], 2048),
        &["default_tags", "eksrole:owner"],
        "Reserved tag key",
    );
}

#[test]
fn tag_count_includes_defaults_and_ownership() {
    let user: BTreeMap<String, String> =
        (0..40).map(|i| (format!("u{i}"), "v".to_owned())).collect();
    let defaults: BTreeMap<String, String> =
        (0..5).map(|i| (format!("d{i}"), "v".to_owned())).collect();
    let env = |defaults: &BTreeMap<String, String>| Env {
        default_tags: defaults.clone(),
        ..Env::new(account())
    };
    let fits = WorkloadIdentityInput {
        tags: user.clone(),
        ..pod()
    };
    assert_eq!(problems(&fits), vec![]);
    let bp = build_in(&fits, &env(&defaults)).unwrap();
    assert_eq!(bp.role.tags.len(), 50, "40 + 5 + 5 ownership = 50");
    let mut more = defaults;
    more.insert("d5".into(), "v".into());
    assert_env_error(&fits, &env(&more), &["tags"], "Too many tags");
    // Without the default tags, the user's tags alone are counted at validation.
    let too_many = WorkloadIdentityInput {
        tags: (0..46).map(|i| (format!("u{i}"), "v".to_owned())).collect(),
        ..pod()
    };
    assert_problems(&too_many, &[(&["tags"], "Too many tags", false)]);
    // A user tag overriding a default (ignoring case) is counted once.
    let mut user = user;
    user.insert("D5".into(), "override".into());
    user.remove("u0");
    let overlap = WorkloadIdentityInput {
        tags: user,
        ..pod()
    };
    assert!(build_in(&overlap, &env(&more)).is_ok());
}

#[test]
fn irsa_attribute_rules() {
    let input = WorkloadIdentityInput {
        oidc_provider_arn: Some("arn:aws:iam::123456789012:oidc-provider/".into()),
        ..irsa()
    };
    assert_problems(
        &input,
        &[(&["oidc_provider_arn"], "Invalid OIDC provider ARN", false)],
    );
    for (audience, summary) in [
        ("", "Empty audience"),
        ("  ", "Empty audience"),
        ("sts.*", "Invalid audience"),
        ("a b", "Invalid audience"),
    ] {
        let input = WorkloadIdentityInput {
            audience: Some(audience.into()),
            ..irsa()
        };
        assert_problems(&input, &[(&["audience"], summary, false)]);
    }
    // Pod Identity ignores IRSA attributes, with a warning each.
    let input = WorkloadIdentityInput {
        oidc_provider_arn: Some(OIDC.into()),
        audience: Some("x".into()),
        ..pod()
    };
    assert_problems(
        &input,
        &[
            (&["oidc_provider_arn"], "Attribute ignored", true),
            (&["audience"], "Attribute ignored", true),
        ],
    );
    assert!(build(&input, &account()).is_ok());
}

#[test]
fn irsa_needs_the_oidc_provider_of_this_account() {
    let missing = WorkloadIdentityInput {
        oidc_provider_arn: None,
        ..irsa()
    };
    assert_eq!(problems(&missing), vec![], "static checks cannot know yet");
    assert_blueprint_error(
        &missing,
        &account(),
        &["oidc_provider_arn"],
        "OIDC provider not found",
    );
    let problems = build(&missing, &account()).unwrap_err();
    assert!(problems[0]
        .detail
        .contains("set oidc_provider_arn explicitly"));
    let other = WorkloadIdentityInput {
        oidc_provider_arn: Some(OIDC.replace(ACCOUNT_ID, "210987654321")),
        ..irsa()
    };
    assert_blueprint_error(
        &other,
        &account(),
        &["oidc_provider_arn"],
        "OIDC provider in another account",
    );
    assert_blueprint_error(
        &irsa(),
        &account_in("aws-cn"),
        &["oidc_provider_arn"],
        "OIDC provider in another account",
    );
    // The caller looked the provider up: the blueprint trusts it and says so.
    let v = validate(missing).unwrap();
    let bp = blueprint(&v, &Env::new(account()), Some(OIDC)).unwrap();
    assert_eq!(bp.oidc_provider_arn.as_deref(), Some(OIDC));
    assert!(bp.role.trust_policy.contains(OIDC));
    // A configured provider wins over a looked-up one.
    let v = validate(irsa()).unwrap();
    let other = OIDC.replace("EXAMPLE", "OTHER");
    let bp = blueprint(&v, &Env::new(account()), Some(&other)).unwrap();
    assert_eq!(bp.oidc_provider_arn.as_deref(), Some(OIDC));
    // Pod Identity trusts no OIDC provider.
    let v = validate(pod()).unwrap();
    let bp = blueprint(&v, &Env::new(account()), Some(OIDC)).unwrap();
    assert_eq!(bp.oidc_provider_arn, None);
}

#[test]
fn trust_policy_size_quota() {
    let size = non_whitespace_len(&build(&pod(), &account()).unwrap().role.trust_policy);
    assert_trust_policy_too_large(&pod(), 300, size, &[]);
    assert!(build_in(&pod(), &env_with_quota(size)).is_ok());
    let irsa_size = non_whitespace_len(&build(&irsa(), &account()).unwrap().role.trust_policy);
    assert_trust_policy_too_large(&irsa(), 100, irsa_size, &[]);
    // A looked-up OIDC provider counts the same as a configured one.
    let looked_up = WorkloadIdentityInput {
        oidc_provider_arn: None,
        ..irsa()
    };
    let v = validate(looked_up).unwrap();
    let problems = blueprint(&v, &env_with(&[], 100), Some(OIDC)).unwrap_err();
    assert_eq!(
        problems_of(&problems),
        vec![expect(&[], "Trust policy too large", false)]
    );
    // The longest legal names still fit the default quota.
    let longest = WorkloadIdentityInput::new(
        "c".repeat(100),
        "n".repeat(63),
        vec!["s".repeat(63); 4].join(".")[..253].to_owned(),
    );
    assert!(build(&longest, &account()).is_ok());
    assert!(build(
        &WorkloadIdentityInput {
            mechanism: Mechanism::Irsa,
            oidc_provider_arn: Some(OIDC.into()),
            ..longest
        },
        &account()
    )
    .is_ok());
}

#[test]
fn all_problems_are_reported_at_once() {
    let input = WorkloadIdentityInput {
        cluster_name: String::new(),
        namespace: "-".into(),
        service_account: String::new(),
        mechanism: Mechanism::Irsa,
        role_name: Some(String::new()),
        role_path: Some("x".into()),
        description: Some("d".repeat(1001)),
        policy_arns: BTreeSet::from(["x".to_owned()]),
        inline_policies: map(&[("p", "[]")]),
        permissions_boundary: Some("y".into()),
        max_session_duration: Some(1),
        oidc_provider_arn: Some("z".into()),
        audience: Some(String::new()),
        target_role_arn: Some("w".into()),
        disable_session_tags: false,
        session_policy: None,
        tags: map(&[("aws:k", "v")]),
    };
    let paths: BTreeSet<Vec<String>> = problems(&input).into_iter().map(|p| p.path).collect();
    let want: BTreeSet<Vec<String>> = [
        vec!["cluster_name"],
        vec!["namespace"],
        vec!["service_account"],
        vec!["role_name"],
        vec!["role_path"],
        vec!["description"],
        vec!["policy_arns", "x"],
        vec!["inline_policies", "p"],
        vec!["permissions_boundary"],
        vec!["max_session_duration"],
        vec!["oidc_provider_arn"],
        vec!["audience"],
        vec!["target_role_arn"],
        vec!["tags", "aws:k"],
    ]
    .into_iter()
    .map(|p| p.into_iter().map(str::to_owned).collect())
    .collect();
    assert_eq!(paths, want);
    let from_blueprint = build(&input, &account()).unwrap_err();
    assert_eq!(from_blueprint.len(), problems(&input).len());
}

#[test]
fn bad_account_is_reported() {
    let bad = Account {
        account_id: "x".into(),
        partition: "aws".into(),
        region: "eu-west-1".into(),
    };
    assert_blueprint_error(&pod(), &bad, &[], "Invalid AWS account");
}

#[test]
fn default_role_names() {
    assert_eq!(
        default_role_name("prod", "payments", "api"),
        "eks-prod-payments-api"
    );
    let long = default_role_name(
        "production-eu-west-1",
        "payments-backend",
        "ledger-reconciliation-worker",
    );
    assert_eq!(long.len(), 64);
    assert!(
        long.starts_with("eks-production-eu-west-1-payments-backend-ledger-recon"),
        "{long}"
    );
    assert_eq!(
        long,
        default_role_name(
            "production-eu-west-1",
            "payments-backend",
            "ledger-reconciliation-worker"
        )
    );
    assert_ne!(
        long,
        default_role_name(
            "production-eu-west-1",
            "payments-backend",
            "ledger-reconciliation-worker2"
        )
    );
    // Exactly 64 characters is not truncated.
    let exact = default_role_name(&"c".repeat(50), "n", &"s".repeat(7));
    assert_eq!(exact, format!("eks-{}-n-{}", "c".repeat(50), "s".repeat(7)));
}

fn arb_label() -> impl Strategy<Value = String> {
    "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
}

proptest! {
    #[test]
    fn default_role_name_is_always_valid(
        cluster in "[A-Za-z0-9][A-Za-z0-9_-]{0,99}",
        namespace in arb_label(),
        sa in prop::collection::vec(arb_label(), 1..4).prop_map(|l| l.join(".")),
    ) {
        let name = default_role_name(&cluster, &namespace, &sa);
        prop_assert!(name.len() <= 64);
        prop_assert!(names::validate_role_name(&name).is_ok(), "{}", name);
        prop_assert_eq!(&name, &default_role_name(&cluster, &namespace, &sa));
        let input = WorkloadIdentityInput::new(cluster, namespace, sa);
        let bp = build(&input, &account());
        prop_assert!(bp.is_ok(), "{:?}", bp);
    }

    #[test]
    fn import_ids_round_trip(
        cluster in "[A-Za-z0-9][A-Za-z0-9_-]{0,20}",
        namespace in arb_label(),
        sa in arb_label(),
    ) {
        let id = import_id(&cluster, &namespace, &sa);
        let parsed = parse_import_id(&id).unwrap();
        prop_assert_eq!(&parsed.role_name, &None);
        prop_assert_eq!(parsed.effective_role_name(), default_role_name(&cluster, &namespace, &sa));
        prop_assert_eq!((parsed.cluster_name, parsed.namespace, parsed.service_account), (cluster, namespace, sa));
    }
}

#[test]
fn import_id_errors() {
    assert_eq!(import_id("prod", "payments", "api"), "prod/payments/api");
    let custom = parse_import_id("prod/payments/api/custom-role").unwrap();
    assert_eq!(custom.role_name.as_deref(), Some("custom-role"));
    assert_eq!(custom.effective_role_name(), "custom-role");
    for bad in [
        "",
        "prod",
        "prod/payments",
        "prod/payments/api/",
        "prod/payments/api/bad role",
        "prod/payments/api/x/y",
        "prod//api",
        "prod/Payments/api",
        "-x/a/b",
    ] {
        assert!(parse_import_id(bad).is_err(), "{bad}");
    }
}

#[test]
fn oidc_provider_arn_from_issuer() {
    assert_eq!(
        oidc_provider_arn_for_issuer(
            "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            &account()
        ),
        Ok(OIDC.to_owned())
    );
    assert_eq!(
        oidc_provider_arn_for_issuer("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC", &account_in("aws-cn")),
        Ok("arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC".to_owned())
    );
    for bad in [
        "http://oidc.eks.eu-west-1.amazonaws.com/id/X",
        "oidc.eks.eu-west-1.amazonaws.com/id/X",
        "https://",
        "https://host/id/X/",
        "https://ho st/x",
    ] {
        assert!(
            oidc_provider_arn_for_issuer(bad, &account()).is_err(),
            "{bad}"
        );
    }
    let bad_account = Account {
        account_id: "1".into(),
        ..account()
    };
    assert!(oidc_provider_arn_for_issuer("https://oidc.example.com", &bad_account).is_err());
}

// ---- golden files -------------------------------------------------------------------------

struct Case {
    mechanism: Mechanism,
    target: bool,
    custom_name: bool,
    partition: &'static str,
    /// Pod Identity with session tags disabled and a session policy.
    no_session_tags: bool,
}

/// The external ID the golden cases without session tags give EKS's
/// association (the form the EKS user guide shows).
const GOLDEN_EXTERNAL_ID: &str = "eu-west-1/123456789012/prod/payments/ledger-api";

impl Case {
    fn file_name(&self) -> String {
        format!(
            "{}{}-{}-{}-{}.json",
            self.mechanism.as_str().replace('_', "-"),
            if self.no_session_tags {
                "-no-session-tags"
            } else {
                ""
            },
            if self.target { "target" } else { "no-target" },
            if self.custom_name {
                "custom-name"
            } else {
                "default-name"
            },
            self.partition
        )
    }

    fn input(&self) -> WorkloadIdentityInput {
        let p = self.partition;
        let (region, host_suffix) = if p == "aws-cn" {
            ("cn-north-1", ".cn")
        } else {
            ("eu-west-1", "")
        };
        let mut input = WorkloadIdentityInput {
            mechanism: self.mechanism,
            policy_arns: BTreeSet::from([format!(
                "arn:{p}:iam::aws:policy/AmazonS3ReadOnlyAccess"
            )]),
            inline_policies: map(&[(
                "s3-write",
                &format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:{p}:s3:::payments-ledger/*"}}]}}"#
                ),
            )]),
            tags: map(&[("team", "payments")]),
            ..WorkloadIdentityInput::new("prod", "payments", "ledger-api")
        };
        if self.mechanism == Mechanism::Irsa {
            input.oidc_provider_arn = Some(format!(
                "arn:{p}:iam::{ACCOUNT_ID}:oidc-provider/oidc.eks.{region}.amazonaws.com{host_suffix}/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
            ));
        }
        if self.target {
            input.target_role_arn = Some(format!("arn:{p}:iam::210987654321:role/data-reader"));
        }
        if self.no_session_tags {
            input.disable_session_tags = true;
            input.session_policy = Some(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:{p}:s3:::payments-ledger/tenant-a/*"}}]}}"#
            ));
        }
        if self.custom_name {
            input.role_name = Some("payments-ledger-api".into());
            input.role_path = Some("/workloads/payments/".into());
            input.description = Some("Ledger API pods".into());
            input.max_session_duration = Some(7200);
            input.permissions_boundary = Some(format!(
                "arn:{p}:iam::{ACCOUNT_ID}:policy/workload-boundary"
            ));
        }
        input
    }
}

fn all_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for mechanism in [Mechanism::PodIdentity, Mechanism::Irsa] {
        for target in [false, true] {
            for custom_name in [false, true] {
                for partition in ["aws", "aws-cn"] {
                    cases.push(Case {
                        mechanism,
                        target,
                        custom_name,
                        partition,
                        no_session_tags: false,
                    });
                }
            }
        }
    }
    for target in [false, true] {
        for partition in ["aws", "aws-cn"] {
            cases.push(Case {
                mechanism: Mechanism::PodIdentity,
                target,
                custom_name: false,
                partition,
                no_session_tags: true,
            });
        }
    }
    cases
}

/// The golden rendering of a blueprint: pretty-printed, policies as JSON objects.
/// Session settings and the target role's trust appear only in the cases
/// without session tags (the others' files predate them).
fn render(bp: &WorkloadIdentityBlueprint) -> String {
    let association = bp.association.as_ref().map(|a| {
        let mut rendered = json!({
            "cluster_name": a.cluster_name,
            "namespace": a.namespace,
            "service_account": a.service_account,
            "role_arn": a.role_arn,
            "target_role_arn": a.target_role_arn,
            "tags": a.tags,
        });
        if a.disable_session_tags {
            rendered["disable_session_tags"] = json!(true);
            rendered["session_policy"] = json!(a.session_policy.as_deref().map(parsed));
        }
        rendered
    });
    let mut doc = render_role(&bp.role);
    doc["association"] = json!(association);
    if bp
        .association
        .as_ref()
        .is_some_and(|a| a.disable_session_tags)
    {
        doc["target_role_trust_policy"] = json!(bp
            .target_role_trust_policy(Some(GOLDEN_EXTERNAL_ID))
            .as_deref()
            .map(parsed));
    }
    doc["service_account_annotations"] = json!(bp.service_account_annotations);
    pretty(&doc)
}

#[test]
fn golden_blueprints() {
    let mut files = BTreeSet::new();
    for case in all_cases() {
        let name = case.file_name();
        let bp = build_in(&case.input(), &env_in(case.partition, &[("env", "prod")]))
            .unwrap_or_else(|e| panic!("{name}: {e:#?}"));

        // Every generated trust policy passes the rules of docs/design/trust-policy-rules.md.
        assert_eq!(
            check_trust_policy(&bp.role.trust_policy, &TrustRuleOptions::default()),
            Vec::<String>::new(),
            "{name}"
        );

        let rendered = render(&bp);
        golden::check(&format!("workload_identity/{name}"), &rendered);
        // The golden file read back: semantically equal AND exactly equal after
        // minifying; every inline policy a valid identity policy.
        check_golden_role(&name, &bp.role, case.partition, &rendered);

        // Shape expectations per option.
        assert_eq!(
            bp.association.is_some(),
            case.mechanism == Mechanism::PodIdentity,
            "{name}"
        );
        assert_eq!(
            bp.role
                .inline_policies
                .contains_key(ASSUME_TARGET_POLICY_NAME),
            case.target,
            "{name}"
        );
        files.insert(name);
    }
    assert_eq!(files.len(), 20);
    golden::check_no_stale("workload_identity", &files);
}

/// The Pod Identity trust names the cluster by ARN (region and account
/// included), so a cluster of the same name elsewhere does not match.
#[test]
fn pod_identity_trust_pins_the_cluster_arn() {
    let doc = pod_identity_trust_policy(
        "123456789012",
        "arn:aws:eks:eu-west-1:123456789012:cluster/prod",
        "payments",
        "api",
    );
    assert!(doc.contains(
        r#""aws:RequestTag/eks-cluster-arn":"arn:aws:eks:eu-west-1:123456789012:cluster/prod""#
    ));
    assert!(!doc.contains("eks-cluster-name"), "{doc}");
}

/// The names that become ownership tags satisfy IAM's tag value rules.
#[test]
fn ownership_tag_values_are_checked() {
    use crate::intent::tags::Owner;
    let bad = Owner::WorkloadIdentity {
        cluster: "prod",
        namespace: "payments",
        service_account: "api,x",
    };
    let problems = bad.tag_value_problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, ["service_account"]);
    let good = Owner::WorkloadIdentity {
        cluster: "prod",
        namespace: "payments",
        service_account: "api.v2",
    };
    assert!(good.tag_value_problems().is_empty());
}

// ---- session tags, session policy, target role trust ----------------------------------------

fn no_tags(policy: Option<&str>) -> WorkloadIdentityInput {
    WorkloadIdentityInput {
        disable_session_tags: true,
        session_policy: policy.map(str::to_owned),
        ..pod()
    }
}

#[test]
fn session_policy_needs_session_tags_disabled() {
    let with_tags = WorkloadIdentityInput {
        session_policy: Some(S3_READ.into()),
        ..pod()
    };
    assert_eq!(
        problems_of(&problems(&with_tags)),
        vec![(
            vec!["session_policy".to_owned()],
            "Session policy needs session tags disabled".to_owned(),
            false
        )]
    );
    assert_eq!(problems(&no_tags(Some(S3_READ))), vec![]);
    assert_eq!(problems(&no_tags(None)), vec![]);
}

#[test]
fn session_policy_is_checked_like_an_inline_policy() {
    let summaries = |input: &WorkloadIdentityInput| -> Vec<String> {
        problems(input).into_iter().map(|p| p.summary).collect()
    };
    assert_eq!(
        summaries(&no_tags(Some("{not json"))),
        ["Invalid session policy"]
    );
    let with_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
    assert_eq!(
        summaries(&no_tags(Some(with_principal))),
        ["Invalid session policy"]
    );
    // 2048 characters as sent (minified) is the limit; whitespace does not count.
    let padded = |n: usize| {
        let resource = format!("arn:aws:s3:::{}", "b".repeat(n));
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}]})
    };
    let base = canonical_json_value(&padded(0)).len();
    let at_limit = serde_json::to_string_pretty(&padded(SESSION_POLICY_MAX_CHARS - base)).unwrap();
    assert_eq!(problems(&no_tags(Some(&at_limit))), vec![]);
    let over = canonical_json_value(&padded(SESSION_POLICY_MAX_CHARS - base + 1));
    assert_eq!(
        summaries(&no_tags(Some(&over))),
        ["Session policy too large"]
    );
}

#[test]
fn session_settings_are_pod_identity_only() {
    let input = WorkloadIdentityInput {
        disable_session_tags: true,
        session_policy: Some(S3_READ.into()),
        ..irsa()
    };
    let paths: Vec<Vec<String>> = problems(&input).into_iter().map(|p| p.path).collect();
    assert_eq!(
        paths,
        [
            vec!["disable_session_tags".to_owned()],
            vec!["session_policy".to_owned()]
        ]
    );
}

/// Without session tags the trust cannot name the cluster, namespace or
/// service account: the service principal and the account are what is left.
#[test]
fn trust_without_session_tags_checks_the_account_only() {
    let bp = build(&no_tags(Some(S3_READ)), &account()).unwrap();
    assert_eq!(
        parsed(&bp.role.trust_policy),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": POD_IDENTITY_SID,
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}},
        }]})
    );
    assert!(!bp.role.trust_policy.contains("RequestTag"));
    assert_eq!(
        check_trust_policy(&bp.role.trust_policy, &TrustRuleOptions::default()),
        Vec::<String>::new()
    );
    let a = bp.association.unwrap();
    assert!(a.disable_session_tags);
    assert_eq!(
        a.session_policy.as_deref(),
        Some(canonical_json(S3_READ).unwrap().as_str())
    );
}

#[test]
fn target_trust_with_session_tags_pins_the_service_account() {
    let input = WorkloadIdentityInput {
        target_role_arn: Some("arn:aws:iam::210987654321:role/data-reader".into()),
        ..pod()
    };
    let bp = build(&input, &account()).unwrap();
    let role_arn = bp.role.arn.clone();
    // Known without the external ID: the tags say who is calling.
    let trust = bp.target_role_trust_policy(None).unwrap();
    assert_eq!(
        parsed(&trust),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": TARGET_TRUST_SID,
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT_ID}:root")},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": role_arn},
                "StringEquals": {
                    "aws:RequestTag/eks-cluster-arn": bp.cluster_arn,
                    "aws:RequestTag/kubernetes-namespace": "payments",
                    "aws:RequestTag/kubernetes-service-account": "api",
                },
            },
        }]})
    );
    assert!(trust_admits_role(&trust, &role_arn));
    // Without a target role, or for IRSA, there is none.
    assert_eq!(
        build(&pod(), &account())
            .unwrap()
            .target_role_trust_policy(None),
        None
    );
}

#[test]
fn target_trust_without_session_tags_needs_the_external_id() {
    let input = WorkloadIdentityInput {
        target_role_arn: Some("arn:aws:iam::210987654321:role/data-reader".into()),
        ..no_tags(None)
    };
    let bp = build(&input, &account()).unwrap();
    assert_eq!(
        bp.target_role_trust_policy(None),
        None,
        "unknown until EKS assigns it"
    );
    let trust = bp.target_role_trust_policy(Some("ext-1")).unwrap();
    let doc = parsed(&trust);
    assert_eq!(doc["Statement"][0]["Action"], "sts:AssumeRole");
    assert_eq!(
        doc["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
        "ext-1"
    );
    assert_eq!(doc["Statement"][1]["Action"], "sts:TagSession");
    assert_eq!(
        doc["Statement"][1]["Condition"]["ArnEquals"]["aws:PrincipalArn"],
        bp.role.arn.as_str()
    );
}

#[test]
fn trust_admits_role_reads_principals_and_actions() {
    let role = "arn:aws:iam::123456789012:role/eks-prod-payments-api";
    let doc = |principal: serde_json::Value, action: &str, effect: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Principal": principal, "Action": action}]}).to_string()
    };
    for (principal, action) in [
        (json!({"AWS": role}), "sts:AssumeRole"),
        (
            json!({"AWS": ["arn:aws:iam::123456789012:root"]}),
            "sts:AssumeRole",
        ),
        (json!({"AWS": "123456789012"}), "sts:*"),
        (json!("*"), "*"),
    ] {
        assert!(
            trust_admits_role(&doc(principal.clone(), action, "Allow"), role),
            "{principal} {action}"
        );
    }
    for (principal, action, effect) in [
        (
            json!({"AWS": "arn:aws:iam::999999999999:root"}),
            "sts:AssumeRole",
            "Allow",
        ),
        (
            json!({"Service": "pods.eks.amazonaws.com"}),
            "sts:AssumeRole",
            "Allow",
        ),
        (json!({"AWS": role}), "sts:TagSession", "Allow"),
        (json!({"AWS": role}), "sts:AssumeRole", "Deny"),
    ] {
        assert!(
            !trust_admits_role(&doc(principal.clone(), action, effect), role),
            "{principal} {action} {effect}"
        );
    }
    assert!(!trust_admits_role("not json", role));
}
