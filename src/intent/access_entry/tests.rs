//! Tests of access levels, scope, Kubernetes groups and usernames, access
//! policy ARNs and the access entry blueprint.

use std::collections::BTreeSet;

use super::*;
use crate::intent::test_support::*;

#[test]
fn access_levels() {
    for level in AccessLevel::ALL {
        assert_eq!(AccessLevel::parse(level.as_str()), Ok(level));
    }
    assert_eq!(
        AccessLevel::parse("cluster_admin"),
        Ok(AccessLevel::ClusterAdmin)
    );
    for bad in ["", "View", "cluster-admin", "clusteradmin", "read"] {
        assert!(AccessLevel::parse(bad).is_err(), "{bad}");
    }
    let names: Vec<&str> = AccessLevel::ALL
        .into_iter()
        .map(level_policy_name)
        .collect();
    assert_eq!(
        names,
        [
            "AmazonEKSViewPolicy",
            "AmazonEKSAdminViewPolicy",
            "AmazonEKSEditPolicy",
            "AmazonEKSAdminPolicy",
            "AmazonEKSClusterAdminPolicy"
        ]
    );
    assert_eq!(
        access_policy_arn("aws-cn", "AmazonEKSViewPolicy"),
        "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    );
    for level in AccessLevel::ALL {
        let arn = access_policy_arn("aws", level_policy_name(level));
        assert!(parse_access_policy_arn(&arn).is_ok(), "{arn}");
        assert_eq!(AccessLevel::of_policy_arn(&arn), Some(level));
        let cn = access_policy_arn("aws-cn", level_policy_name(level));
        assert_eq!(AccessLevel::of_policy_arn(&cn), Some(level));
    }
    assert_eq!(AccessLevel::parse("admin_view"), Ok(AccessLevel::AdminView));
    for other in [
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
        "AmazonEKSViewPolicy",
        "arn:aws:iam::aws:policy/AmazonEKSViewPolicy",
    ] {
        assert_eq!(AccessLevel::of_policy_arn(other), None, "{other}");
    }
}

#[test]
fn kubernetes_groups() {
    assert!(
        validate_kubernetes_groups("kubernetes_groups", &set(&["devs", "team:ops", "a b"]))
            .is_empty()
    );
    let problems = validate_kubernetes_groups(
        "kubernetes_groups",
        &set(&["system:masters", "", "ok", "tab\tx", "System:x"]),
    );
    assert_eq!(
        problems_of(&problems),
        vec![
            expect(
                &["kubernetes_groups", ""],
                "Invalid Kubernetes group",
                false
            ),
            expect(
                &["kubernetes_groups", "system:masters"],
                "Reserved Kubernetes group",
                false
            ),
            expect(
                &["kubernetes_groups", "tab\tx"],
                "Invalid Kubernetes group",
                false
            ),
        ]
    );
}

#[test]
fn usernames() {
    for ok in [
        "alice",
        "team:{{SessionName}}",
        "a:{{SessionName}}:b:{{SessionName}}",
        "arn:aws:sts::123456789012:assumed-role/x:{{SessionName}}",
        "system",
        "SYSTEM:x",
    ] {
        assert_eq!(validate_username("kubernetes_username", ok), vec![], "{ok}");
    }
    for prefix in RESERVED_USERNAME_PREFIXES {
        let problems = validate_username("kubernetes_username", &format!("{prefix}x"));
        assert_eq!(
            problems_of(&problems),
            vec![expect(
                &["kubernetes_username"],
                "Reserved Kubernetes username",
                false
            )]
        );
    }
    // EKS's own default for roles (…/ROLE/{{SessionName}}) cannot be given explicitly.
    for bad in [
        "{{SessionName}}",
        "team-{{SessionName}}",
        "a:{{SessionName}}-{{SessionName}}",
        "arn:aws:sts::123456789012:assumed-role/x/{{SessionName}}",
    ] {
        let problems = validate_username("kubernetes_username", bad);
        assert_eq!(
            problems_of(&problems),
            vec![expect(
                &["kubernetes_username"],
                "Misplaced {{SessionName}}",
                false
            )],
            "{bad}"
        );
    }
    assert_eq!(
        problems_of(&validate_username("kubernetes_username", " ")),
        vec![expect(
            &["kubernetes_username"],
            "Invalid Kubernetes username",
            false
        )]
    );
    assert_eq!(
        validate_username("kubernetes_username", "eks:{{SessionName}}").len(),
        1
    );
    assert_eq!(
        validate_username("kubernetes_username", "eks:x-{{SessionName}}").len(),
        2
    );
}

#[test]
fn scope_namespaces() {
    for ok in [
        "default",
        "dev-*",
        "a*",
        "team1-*",
        &format!("{}*", "a".repeat(62)),
    ] {
        assert_eq!(validate_scope_namespace(ok), Ok(()), "{ok}");
    }
    for bad in [
        "",
        "*",
        "-*",
        "Dev-*",
        "a**",
        "*a",
        "a*b",
        "a.b*",
        &format!("{}*", "a".repeat(63)),
        "A",
    ] {
        assert!(validate_scope_namespace(bad).is_err(), "{bad}");
    }
    assert!(validate_access_namespaces("namespaces", &set(&["dev-*", "prod"])).is_empty());
    assert_eq!(
        problems_of(&validate_access_namespaces("namespaces", &BTreeSet::new())),
        vec![expect(&["namespaces"], "No namespaces", false)]
    );
    assert_eq!(
        problems_of(&validate_access_namespaces(
            "namespaces",
            &set(&["ok", "Bad", "*"])
        )),
        vec![
            expect(&["namespaces", "*"], "Invalid namespace", false),
            expect(&["namespaces", "Bad"], "Invalid namespace", false),
        ]
    );
}

#[test]
fn access_policy_arns() {
    let ok = set(&[
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
        "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
        "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    ]);
    assert!(validate_access_policy_arns("access_policy_arns", &ok).is_empty());
    let bad = [
        "AmazonEKSViewPolicy",
        "arn:aws:eks::aws:cluster-access-policy/",
        "arn:aws:eks:eu-west-1:aws:cluster-access-policy/AmazonEKSViewPolicy",
        "arn:aws:eks::123456789012:cluster-access-policy/AmazonEKSViewPolicy",
        "arn:aws:iam::aws:policy/AmazonEKSViewPolicy",
        "arn:aws:eks::aws:access-policy/AmazonEKSViewPolicy",
        "arn:AWS:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        "arn:aws:eks::aws:cluster-access-policy/Amazon EKS",
    ];
    let problems = validate_access_policy_arns("access_policy_arns", &set(&bad));
    assert_eq!(problems.len(), bad.len(), "{problems:#?}");
    for p in &problems {
        assert_eq!(p.path[0], "access_policy_arns");
        assert_eq!(p.path.len(), 2);
        assert_eq!(p.summary, "Invalid access policy ARN");
    }
    let partition = check_access_policy_partitions("access_policy_arns", &ok, &account_in("aws"));
    assert_eq!(
        problems_of(&partition),
        vec![
            expect(
                &[
                    "access_policy_arns",
                    "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy"
                ],
                "Access policy in another partition",
                false
            ),
            expect(
                &[
                    "access_policy_arns",
                    "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
                ],
                "Access policy in another partition",
                false
            ),
        ]
    );
    assert!(partition[0]
        .detail
        .contains("arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy"));
}

#[test]
fn access_entries() {
    let tags = map(&[("a", "b")]);
    let arns = set(&[
        "arn:aws:eks::aws:cluster-access-policy/B",
        "arn:aws:eks::aws:cluster-access-policy/A",
    ]);
    let entry = access_entry(
        "prod",
        "arn:aws:iam::123456789012:role/r",
        &set(&["devs"]),
        Some("u"),
        &arns,
        None,
        tags.clone(),
    );
    assert_eq!(entry.policy_associations.len(), 2);
    assert!(entry.policy_associations[0].policy_arn.ends_with("/A"));
    assert!(entry
        .policy_associations
        .iter()
        .all(|a| a.scope == AccessScope::Cluster));
    assert_eq!(entry.username.as_deref(), Some("u"));
    let ns = set(&["dev-*"]);
    let entry = access_entry(
        "prod",
        "arn:aws:iam::123456789012:role/r",
        &BTreeSet::new(),
        None,
        &arns,
        Some(&ns),
        tags,
    );
    assert!(entry
        .policy_associations
        .iter()
        .all(|a| a.scope == AccessScope::Namespaces(ns.clone())));
}

#[test]
fn scopes_as_state_shows_them() {
    assert_eq!(AccessScope::Cluster.shown(), "cluster");
    assert_eq!(
        AccessScope::Namespaces(set(&["b", "a-*"])).shown(),
        "namespace:a-*,b"
    );
}

#[test]
fn an_entry_read_back_into_its_access() {
    let view = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    let custom = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";
    let one = std::collections::BTreeMap::from([(
        view.to_owned(),
        AccessScope::Namespaces(set(&["app", "web"])),
    )]);
    let access = access_of(&one);
    assert_eq!(access.level, Some(AccessLevel::View));
    assert_eq!(access.policy_arns, set(&[view]));
    assert_eq!(access.namespaces, set(&["app", "web"]));

    let two = std::collections::BTreeMap::from([
        (view.to_owned(), AccessScope::Cluster),
        (custom.to_owned(), AccessScope::Cluster),
    ]);
    let access = access_of(&two);
    assert_eq!(access.level, None, "two policies are no single level");
    assert_eq!(access.policy_arns, set(&[custom, view]));
    assert!(access.namespaces.is_empty());
}
