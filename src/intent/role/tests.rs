//! Tests of the role settings all intents share: defaults, the checks with
//! their exact paths, the account checks and the role they build.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::intent::test_support::{account_in, expect, map, problems_of};

const TEAM: Owner<'static> = Owner::TeamAccess {
    cluster: "prod",
    name: "payments",
};

fn settings(tags: &BTreeMap<String, String>) -> RoleSettings<'_> {
    RoleSettings {
        owner: TEAM,
        role_name: None,
        role_path: None,
        description: None,
        permissions_boundary: None,
        max_session_duration: None,
        tags,
    }
}

#[test]
fn default_role_names() {
    fn team(cluster: &str, name: &str) -> String {
        default_role_name(&Owner::TeamAccess { cluster, name })
    }
    fn glass(cluster: &str, name: &str) -> String {
        default_role_name(&Owner::BreakGlass { cluster, name })
    }
    assert_eq!(team("prod", "payments"), "eks-team-prod-payments");
    assert_eq!(glass("prod", "oncall"), "eks-breakglass-prod-oncall");
    let long = glass(&"c".repeat(60), "oncall");
    assert_eq!(long.len(), 64);
    assert!(long.starts_with("eks-breakglass-ccc"), "{long}");
    assert_ne!(long, team(&"c".repeat(60), "oncall"));
    assert_ne!(long, glass(&"c".repeat(60), "oncall2"));
    let workload = default_role_name(&Owner::WorkloadIdentity {
        cluster: "prod",
        namespace: "payments",
        service_account: "api",
    });
    assert_eq!(workload, "eks-prod-payments-api");
}

proptest! {
    #[test]
    fn default_access_role_name_is_always_valid(
        break_glass in any::<bool>(),
        cluster in "[A-Za-z0-9][A-Za-z0-9_-]{0,99}",
        name in "[A-Za-z0-9_+=,.@-]{1,64}",
    ) {
        let owner = if break_glass {
            Owner::BreakGlass { cluster: &cluster, name: &name }
        } else {
            Owner::TeamAccess { cluster: &cluster, name: &name }
        };
        let role = default_role_name(&owner);
        prop_assert!(role.len() <= 64);
        prop_assert!(names::validate_role_name(&role).is_ok(), "{}", role);
        prop_assert_eq!(&role, &default_role_name(&owner));
    }
}

#[test]
fn effective_defaults() {
    let none = BTreeMap::new();
    let s = settings(&none);
    assert_eq!(s.effective_role_name(), "eks-team-prod-payments");
    assert_eq!(s.effective_role_path(), "/");
    assert_eq!(s.effective_max_session_duration(), 3600);
    let custom = RoleSettings {
        role_name: Some("custom"),
        role_path: Some("/team/"),
        max_session_duration: Some(7200),
        ..s
    };
    assert_eq!(custom.effective_role_name(), "custom");
    assert_eq!(custom.effective_role_path(), "/team/");
    assert_eq!(custom.effective_max_session_duration(), 7200);
    assert_eq!(
        custom.role_arn(&account_in("aws-cn")),
        "arn:aws-cn:iam::123456789012:role/team/custom"
    );
}

#[test]
fn descriptions() {
    assert!(validate_description("description", "Platform on-call\n\tä").is_empty());
    assert_eq!(
        validate_description("description", &"d".repeat(1001))[0].summary,
        "Description too long"
    );
    assert_eq!(
        validate_description("description", "emoji 🚨")[0].summary,
        "Invalid character in description"
    );
}

#[test]
fn role_settings_build_the_role() {
    let tags = map(&[("team", "payments")]);
    let defaults = map(&[("env", "prod"), ("Team", "platform")]);
    let s = RoleSettings {
        description: Some("Payments team"),
        permissions_boundary: Some("arn:aws:iam::123456789012:policy/boundary"),
        ..settings(&tags)
    };
    let env = Env {
        default_tags: defaults,
        ..Env::new(account_in("aws"))
    };
    let mut problems = Vec::new();
    s.validate(&mut problems);
    s.check_default_tags(&env.default_tags, &mut problems);
    s.check_against_account(&env.account, &mut problems);
    assert_eq!(problems, vec![]);
    let managed = BTreeSet::from(["arn:aws:iam::aws:policy/ReadOnlyAccess".to_owned()]);
    let inline = map(&[("p", "{}")]);
    let role = s.role(&env, "{}".into(), managed.clone(), inline.clone());
    assert_eq!(role.name, "eks-team-prod-payments");
    assert_eq!(role.path, "/");
    assert_eq!(
        role.arn,
        "arn:aws:iam::123456789012:role/eks-team-prod-payments"
    );
    assert_eq!(role.description.as_deref(), Some("Payments team"));
    assert_eq!(role.trust_policy, "{}");
    assert_eq!(role.max_session_duration, 3600);
    assert_eq!(
        role.permissions_boundary.as_deref(),
        Some("arn:aws:iam::123456789012:policy/boundary")
    );
    assert_eq!(
        role.tags,
        map(&[
            ("eksrole:cluster", "prod"),
            ("eksrole:intent", "team-access"),
            ("eksrole:managed-by", "terraform-provider-eksrole"),
            ("eksrole:name", "payments"),
            ("env", "prod"),
            ("team", "payments"),
        ])
    );
    assert_eq!(role.managed_policy_arns, managed);
    assert_eq!(role.inline_policies, inline);
}

#[test]
fn role_settings_errors() {
    let tags = map(&[("eksrole:name", "x")]);
    let s = RoleSettings {
        role_name: Some(""),
        role_path: Some("x"),
        description: Some("🚨"),
        permissions_boundary: Some("boundary"),
        max_session_duration: Some(3599),
        ..settings(&tags)
    };
    let mut problems = Vec::new();
    s.validate(&mut problems);
    let paths: Vec<Vec<String>> = problems.iter().map(|p| p.path.clone()).collect();
    let want: Vec<Vec<String>> = [
        vec!["role_name"],
        vec!["role_path"],
        vec!["description"],
        vec!["max_session_duration"],
        vec!["permissions_boundary"],
        vec!["tags", "eksrole:name"],
    ]
    .into_iter()
    .map(|p| p.into_iter().map(str::to_owned).collect())
    .collect();
    assert_eq!(paths, want);
    assert!(
        problems[0].detail.contains("(eks-team-CLUSTER-NAME)"),
        "{}",
        problems[0].detail
    );
    let many: BTreeMap<String, String> =
        (0..47).map(|i| (format!("k{i}"), String::new())).collect();
    let mut problems = Vec::new();
    settings(&many).validate(&mut problems);
    assert_eq!(
        problems_of(&problems),
        vec![expect(&["tags"], "Too many tags", false)]
    );
    let fits: BTreeMap<String, String> =
        (0..46).map(|i| (format!("k{i}"), String::new())).collect();
    let mut problems = Vec::new();
    settings(&fits).validate(&mut problems);
    assert_eq!(problems, vec![]);
}

#[test]
fn default_tags_are_checked_with_the_facts() {
    let fits: BTreeMap<String, String> =
        (0..45).map(|i| (format!("k{i}"), String::new())).collect();
    let s = settings(&fits);
    let mut problems = Vec::new();
    s.check_default_tags(&map(&[("env", "prod")]), &mut problems);
    assert_eq!(problems, vec![], "45 + 1 + 4 ownership = 50");
    s.check_default_tags(&map(&[("env", "prod"), ("cost", "x")]), &mut problems);
    assert_eq!(
        problems_of(&problems),
        vec![expect(&["tags"], "Too many tags", false)]
    );
    let mut problems = Vec::new();
    s.check_default_tags(&map(&[("EKSROLE:owner", "me")]), &mut problems);
    assert_eq!(
        problems_of(&problems),
        vec![expect(
            &["default_tags", "EKSROLE:owner"],
            "Reserved tag key",
            false
        )]
    );
    // A user tag replacing a default (ignoring case) is counted once.
    let mut problems = Vec::new();
    s.check_default_tags(&map(&[("K0", "default"), ("env", "prod")]), &mut problems);
    assert_eq!(problems, vec![]);
}

#[test]
fn hints_name_the_intents_defaults() {
    let none = BTreeMap::new();
    let workload = RoleSettings {
        owner: Owner::WorkloadIdentity {
            cluster: "prod",
            namespace: "payments",
            service_account: "api",
        },
        role_name: Some("bad name"),
        role_path: Some("bad"),
        ..settings(&none)
    };
    let mut problems = Vec::new();
    workload.validate(&mut problems);
    assert!(problems[0]
        .detail
        .contains("(eks-CLUSTER-NAMESPACE-SERVICEACCOUNT)"));
    assert!(problems[1].detail.contains("\"/workloads/payments/\""));
    let glass = RoleSettings {
        owner: Owner::BreakGlass {
            cluster: "prod",
            name: "oncall",
        },
        ..workload
    };
    let mut problems = Vec::new();
    glass.validate(&mut problems);
    assert!(problems[0].detail.contains("(eks-breakglass-CLUSTER-NAME)"));
    assert!(problems[1].detail.contains("\"/access/\""));
}

#[test]
fn boundary_against_account() {
    let tags = BTreeMap::new();
    for (boundary, summary) in [
        (
            "arn:aws-cn:iam::aws:policy/Boundary",
            "Policy in another partition",
        ),
        (
            "arn:aws:iam::210987654321:policy/Boundary",
            "Policy in another account",
        ),
    ] {
        let s = RoleSettings {
            permissions_boundary: Some(boundary),
            ..settings(&tags)
        };
        let mut problems = Vec::new();
        s.check_against_account(&account_in("aws"), &mut problems);
        assert_eq!(
            problems_of(&problems),
            vec![expect(&["permissions_boundary"], summary, false)]
        );
    }
    let s = RoleSettings {
        permissions_boundary: Some("arn:aws:iam::123456789012:policy/Boundary"),
        ..settings(&tags)
    };
    let mut problems = Vec::new();
    s.check_against_account(&account_in("aws"), &mut problems);
    assert_eq!(problems, vec![]);
}
