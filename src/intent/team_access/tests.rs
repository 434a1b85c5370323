//! Tests of the team access intent: every rule with its exact attribute path,
//! the trust policies, the blueprints and the golden files.

use super::*;
use crate::intent::access_entry::AccessScope;
use crate::intent::cluster_access::DESCRIBE_CLUSTER_POLICY_NAME;
use crate::intent::golden;
use crate::intent::policy_json::non_whitespace_len;
use crate::intent::test_support::*;
use crate::intent::trust_policy_rules::{check_trust_policy, redact};
use crate::intent::Account;

const ALICE: &str = "arn:aws:iam::123456789012:user/people/alice";
const ONCALL: &str = "arn:aws:iam::123456789012:role/platform-oncall";
const GITHUB: &str = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const GITLAB: &str = "arn:aws:iam::123456789012:oidc-provider/gitlab.com";
const SECRET: &str = "Xt3rnal-S3cret-7f9c";

impl TestIntent for TeamAccessInput {
    type Blueprint = ClusterAccessBlueprint;

    const VALIDATE: ValidateFn<Self> = validate;
    const BLUEPRINT: BlueprintFn<Self, ClusterAccessBlueprint> = blueprint;
}

fn people() -> TeamAccessInput {
    TeamAccessInput {
        principal_arns: set(&[ONCALL, ALICE]),
        access_level: Some(AccessLevel::View),
        ..TeamAccessInput::new("prod", "payments")
    }
}

fn ci(provider: &str, subjects: &[&str], wildcards: bool) -> TeamAccessInput {
    TeamAccessInput {
        ci_oidc: Some(CiOidc {
            provider_arn: provider.into(),
            audience: DEFAULT_CI_AUDIENCE.into(),
            subjects: set(subjects),
            allow_subject_wildcards: wildcards,
        }),
        access_level: Some(AccessLevel::Edit),
        ..TeamAccessInput::new("prod", "deployer")
    }
}

fn github() -> TeamAccessInput {
    ci(GITHUB, &["repo:my-org/app:ref:refs/heads/main"], false)
}

#[test]
fn minimal_inputs_are_valid() {
    assert_eq!(problems(&people()), vec![]);
    assert_eq!(problems(&github()), vec![]);
}

#[test]
fn people_blueprint_is_exact() {
    let bp = build(&people(), &account()).unwrap();
    assert_eq!(bp.role.name, "eks-team-prod-payments");
    assert_eq!(
        bp.role.arn,
        "arn:aws:iam::123456789012:role/eks-team-prod-payments"
    );
    assert_eq!(
        bp.role.trust_policy,
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"TeamAccess","Effect":"Allow","Principal":{{"AWS":["{ONCALL}","{ALICE}"]}},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}]}}"#
        )
    );
    assert_eq!(bp.role.max_session_duration, 3600);
    assert_eq!(
        bp.role.inline_policies[DESCRIBE_CLUSTER_POLICY_NAME],
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"DescribeCluster","Effect":"Allow","Action":"eks:DescribeCluster","Resource":"arn:aws:eks:eu-west-1:123456789012:cluster/prod"}]}"#
    );
    assert_eq!(bp.role.inline_policies.len(), 1);
    assert_eq!(bp.role.tags["eksrole:intent"], "team-access");
    assert_eq!(bp.role.tags["eksrole:name"], "payments");
    let entry = &bp.access_entry;
    assert_eq!(entry.cluster_name, "prod");
    assert_eq!(entry.principal_arn, bp.role.arn);
    assert_eq!(entry.username, None);
    assert!(entry.kubernetes_groups.is_empty());
    assert_eq!(entry.tags, bp.role.tags);
    assert_eq!(entry.policy_associations.len(), 1);
    assert_eq!(
        entry.policy_associations[0].policy_arn,
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    );
    assert_eq!(entry.policy_associations[0].scope, AccessScope::Cluster);
    assert_eq!(
        kubeconfig_command(&bp, "eu-west-1"),
        "aws eks update-kubeconfig --name prod --region eu-west-1 --role-arn arn:aws:iam::123456789012:role/eks-team-prod-payments"
    );
}

#[test]
fn trust_conditions() {
    let no_mfa = TeamAccessInput {
        require_mfa: Some(false),
        ..people()
    };
    let bp = build(&no_mfa, &account()).unwrap();
    assert!(
        !bp.role.trust_policy.contains("Condition"),
        "{}",
        bp.role.trust_policy
    );
    let all = TeamAccessInput {
        external_id: Some(SECRET.into()),
        principal_org_id: Some("o-a1b2c3d4e5".into()),
        ..people()
    };
    let bp = build(&all, &account()).unwrap();
    assert!(bp.role.trust_policy.ends_with(&format!(
        r#""Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}},"StringEquals":{{"aws:PrincipalOrgID":"o-a1b2c3d4e5","sts:ExternalId":"{SECRET}"}}}}}}]}}"#
    )), "{}", bp.role.trust_policy);
    let single = TeamAccessInput {
        principal_arns: set(&[ONCALL]),
        ..people()
    };
    let bp = build(&single, &account()).unwrap();
    assert!(bp
        .role
        .trust_policy
        .contains(&format!(r#""Principal":{{"AWS":["{ONCALL}"]}}"#)));
}

#[test]
fn ci_trust_is_exact() {
    let input = ci(
        GITHUB,
        &[
            "repo:my-org/app:ref:refs/heads/main",
            "repo:my-org/app:environment:prod",
        ],
        false,
    );
    let bp = build(&input, &account()).unwrap();
    assert_eq!(
        bp.role.trust_policy,
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"TeamCiOidc","Effect":"Allow","Principal":{{"Federated":"{GITHUB}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":["repo:my-org/app:environment:prod","repo:my-org/app:ref:refs/heads/main"]}}}}}}]}}"#
        )
    );
    assert_eq!(bp.role.name, "eks-team-prod-deployer");
    // Opting in without any wildcard keeps StringEquals.
    let opt_in = ci(GITHUB, &["repo:my-org/app:ref:refs/heads/main"], true);
    let exact = build(&opt_in, &account()).unwrap();
    assert!(!exact.role.trust_policy.contains("StringLike"));
}

#[test]
fn wildcard_subjects() {
    let subjects = ["repo:my-org/app:*", "repo:my-org/lib:ref:refs/heads/main"];
    assert_problems(
        &ci(GITHUB, &subjects, false),
        &[(&["ci_oidc", "subjects"], "Wildcard subject", false)],
    );
    let bp = build(&ci(GITHUB, &subjects, true), &account()).unwrap();
    assert!(bp.role.trust_policy.contains(
        r#""Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":["repo:my-org/app:*","repo:my-org/lib:ref:refs/heads/main"]}}"#
    ), "{}", bp.role.trust_policy);
    assert_problems(
        &ci(GITHUB, &["repo:my-org/ap?"], false),
        &[(&["ci_oidc", "subjects"], "Wildcard subject", false)],
    );
    for everything in ["*", "*:*", "?"] {
        assert_problems(
            &ci(GITHUB, &[everything], true),
            &[(
                &["ci_oidc", "subjects"],
                "Subject matches everything",
                false,
            )],
        );
    }
    for other_orgs in [
        "repo:*",
        "repo:my-org*/app:*",
        "repo:*/app:ref:refs/heads/main",
    ] {
        assert_problems(
            &ci(GITHUB, &[other_orgs], true),
            &[(
                &["ci_oidc", "subjects"],
                "Subject admits other tenants",
                false,
            )],
        );
    }
    assert_problems(
        &ci(GITLAB, &["project_path:*"], true),
        &[(
            &["ci_oidc", "subjects"],
            "Subject admits other tenants",
            false,
        )],
    );
    // A single-tenant issuer: no organisation rule.
    let own = "arn:aws:iam::123456789012:oidc-provider/gitlab.example.com";
    assert_eq!(problems(&ci(own, &["project_path:*"], true)), vec![]);
}

#[test]
fn ci_errors() {
    assert_problems(
        &ci(
            "arn:aws:iam::123456789012:saml-provider/x",
            &["repo:o/a:*"],
            true,
        ),
        &[(
            &["ci_oidc", "provider_arn"],
            "Invalid OIDC provider ARN",
            false,
        )],
    );
    assert_problems(
        &ci(GITHUB, &[], false),
        &[(&["ci_oidc", "subjects"], "No subjects", false)],
    );
    assert_problems(
        &ci(GITHUB, &[" ", "repo:o/${aws:username}"], false),
        &[
            (&["ci_oidc", "subjects"], "Empty subject", false),
            (
                &["ci_oidc", "subjects"],
                "Policy variable in subject",
                false,
            ),
        ],
    );
    for (audience, summary) in [
        ("", "Empty audience"),
        ("sts.*", "Invalid audience"),
        ("a b", "Invalid audience"),
        ("${x}", "Invalid audience"),
    ] {
        let mut input = github();
        if let Some(c) = input.ci_oidc.as_mut() {
            c.audience = audience.into();
        }
        assert_problems(&input, &[(&["ci_oidc", "audience"], summary, false)]);
    }
    assert_edits(
        &github(),
        &[
            (
                |i| i.principal_arns = set(&[ONCALL]),
                &[(&["principal_arns"], "Conflicting principals", false)],
            ),
            (
                |i| i.require_mfa = Some(true),
                &[(&["require_mfa"], "MFA not available for CI", false)],
            ),
            (|i| i.require_mfa = Some(false), &[]),
            (
                |i| i.external_id = Some(SECRET.into()),
                &[(&["external_id"], "External ID not available for CI", false)],
            ),
            (
                |i| i.principal_org_id = Some("o-a1b2c3d4e5".into()),
                &[(
                    &["principal_org_id"],
                    "Organization ID not available for CI",
                    false,
                )],
            ),
        ],
    );
    assert_blueprint_error(
        &ci(
            "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com",
            &["repo:o/a:ref:refs/heads/main"],
            false,
        ),
        &account(),
        &["ci_oidc", "provider_arn"],
        "OIDC provider in another account",
    );
    assert_blueprint_error(
        &ci(
            "arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
            &["repo:o/a:ref:refs/heads/main"],
            false,
        ),
        &account(),
        &["ci_oidc", "provider_arn"],
        "OIDC provider in another account",
    );
}

#[test]
fn principal_errors() {
    assert_principal_rules(
        "arn:aws:iam::123456789012:role/eks-team-prod-payments",
        |arns| TeamAccessInput {
            principal_arns: set(arns),
            ..people()
        },
    );
}

#[test]
fn identity_center_principals_warn_only_with_mfa() {
    let input = TeamAccessInput {
        principal_arns: set(&[SSO_ROLE]),
        ..people()
    };
    assert_problems(
        &input,
        &[(
            &["principal_arns", SSO_ROLE],
            "Principal cannot pass the MFA check",
            true,
        )],
    );
    assert!(
        build(&input, &account()).is_ok(),
        "warnings do not stop the blueprint"
    );
    let no_mfa = TeamAccessInput {
        require_mfa: Some(false),
        ..input
    };
    assert_eq!(problems(&no_mfa), vec![]);
}

#[test]
fn external_id_and_org_errors() {
    for bad in ["x", "has space", "semi;colon", &"e".repeat(1225)] {
        let input = TeamAccessInput {
            external_id: Some(bad.into()),
            ..people()
        };
        assert_problems(&input, &[(&["external_id"], "Invalid external ID", false)]);
        let text = problems(&input)[0].to_string();
        // Neither the value nor the offending character is quoted.
        assert!(bad.len() < 5 || !text.contains(bad), "{text}");
        assert!(!text.contains(';') && !text.contains("space"), "{text}");
    }
    for ok in ["ab", "a:b/c=d,e.f@g+h_i-j", &"e".repeat(1224)] {
        let input = TeamAccessInput {
            external_id: Some(ok.into()),
            ..people()
        };
        assert_eq!(problems(&input), vec![], "{ok}");
    }
    assert_cases(ORG_ID_CASES, |org| TeamAccessInput {
        principal_org_id: Some(org.into()),
        ..people()
    });
}

#[test]
fn access_errors() {
    assert_edits(
        &people(),
        &[
            (
                |i| {
                    i.access_policy_arns =
                        set(&["arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"])
                },
                &[(&["access_level"], "Conflicting access", false)],
            ),
            (
                |i| i.access_level = None,
                &[(&["access_level"], "No access", false)],
            ),
            (
                |i| {
                    i.access_level = None;
                    i.access_policy_arns = set(&["AmazonEKSViewPolicy"]);
                },
                &[(
                    &["access_policy_arns", "AmazonEKSViewPolicy"],
                    "Invalid access policy ARN",
                    false,
                )],
            ),
            (
                |i| i.kubernetes_groups = set(&["system:masters"]),
                &[(
                    &["kubernetes_groups", "system:masters"],
                    "Reserved Kubernetes group",
                    false,
                )],
            ),
            (
                |i| i.kubernetes_username = Some("aws:{{SessionName}}".into()),
                &[(
                    &["kubernetes_username"],
                    "Reserved Kubernetes username",
                    false,
                )],
            ),
            (
                |i| i.kubernetes_username = Some("team-{{SessionName}}".into()),
                &[(&["kubernetes_username"], "Misplaced {{SessionName}}", false)],
            ),
        ],
    );
    assert_cases(NAMESPACE_CASES, |namespaces| TeamAccessInput {
        namespaces: Some(set(namespaces)),
        ..people()
    });
    let groups_only = TeamAccessInput {
        access_level: None,
        kubernetes_groups: set(&["payments-devs"]),
        ..people()
    };
    assert_eq!(problems(&groups_only), vec![]);
    let bp = build(&groups_only, &account()).unwrap();
    assert!(bp.access_entry.policy_associations.is_empty());
    assert_eq!(bp.access_entry.kubernetes_groups, set(&["payments-devs"]));
    let scoped_groups = TeamAccessInput {
        namespaces: Some(set(&["payments"])),
        ..groups_only
    };
    assert_problems(
        &scoped_groups,
        &[(&["namespaces"], "Namespaces without access policies", false)],
    );
    let cn_arn = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    let other_partition = TeamAccessInput {
        access_level: None,
        access_policy_arns: set(&[cn_arn]),
        ..people()
    };
    assert_blueprint_error(
        &other_partition,
        &account(),
        &["access_policy_arns", cn_arn],
        "Access policy in another partition",
    );
}

#[test]
fn scope_and_explicit_policies_reach_the_entry() {
    let input = TeamAccessInput {
        access_level: None,
        access_policy_arns: set(&[
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
        ]),
        namespaces: Some(set(&["payments", "payments-*"])),
        kubernetes_groups: set(&["payments-devs"]),
        kubernetes_username: Some("payments:{{SessionName}}".into()),
        ..people()
    };
    let bp = build(&input, &account()).unwrap();
    let arns: Vec<&str> = bp
        .access_entry
        .policy_associations
        .iter()
        .map(|a| a.policy_arn.as_str())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy"
        ]
    );
    assert!(bp
        .access_entry
        .policy_associations
        .iter()
        .all(|a| a.scope == AccessScope::Namespaces(set(&["payments", "payments-*"]))));
    assert_eq!(
        bp.access_entry.username.as_deref(),
        Some("payments:{{SessionName}}")
    );
}

/// `input` with every role setting set.
fn custom_role(input: TeamAccessInput) -> TeamAccessInput {
    TeamAccessInput {
        role_name: Some("payments-team".into()),
        role_path: Some("/teams/".into()),
        description: Some("Payments engineers".into()),
        permissions_boundary: Some("arn:aws:iam::123456789012:policy/team-boundary".into()),
        max_session_duration: Some(14_400),
        tags: map(&[("team", "payments")]),
        ..input
    }
}

#[test]
fn role_settings_reach_the_role() {
    let input = custom_role(people());
    let env = Env {
        default_tags: map(&[("env", "prod")]),
        ..Env::new(account())
    };
    let bp = build_in(&input, &env).unwrap();
    assert_eq!(
        bp.role.arn,
        "arn:aws:iam::123456789012:role/teams/payments-team"
    );
    assert_eq!(bp.access_entry.principal_arn, bp.role.arn);
    assert_eq!(bp.role.description.as_deref(), Some("Payments engineers"));
    assert_eq!(bp.role.max_session_duration, 14_400);
    assert_eq!(
        bp.role.permissions_boundary.as_deref(),
        Some("arn:aws:iam::123456789012:policy/team-boundary")
    );
    assert_eq!(bp.role.tags.len(), 6);
    assert_eq!(bp.access_entry.tags, bp.role.tags);
    let bad_boundary = TeamAccessInput {
        permissions_boundary: Some("arn:aws:iam::210987654321:policy/b".into()),
        ..people()
    };
    assert_blueprint_error(
        &bad_boundary,
        &account(),
        &["permissions_boundary"],
        "Policy in another account",
    );
    let bad_account = Account {
        account_id: "x".into(),
        ..account()
    };
    assert_blueprint_error(&people(), &bad_account, &[], "Invalid AWS account");
}

#[test]
fn trust_policy_size_against_quota() {
    let size = non_whitespace_len(&build(&people(), &account()).unwrap().role.trust_policy);
    assert_trust_policy_too_large(&people(), 100, size, &["principal_arns"]);
    assert!(build_in(&people(), &env_with_quota(size)).is_ok());
    // Many principals overflow the default quota.
    let many: BTreeSet<String> = (0..60)
        .map(|i| format!("arn:aws:iam::123456789012:role/engineer-{i:03}"))
        .collect();
    let crowded = TeamAccessInput {
        principal_arns: many,
        ..people()
    };
    assert_blueprint_error(
        &crowded,
        &account(),
        &["principal_arns"],
        "Trust policy too large",
    );
    // A pipeline's policy grows with its subjects: shown there.
    let ci_size = non_whitespace_len(&build(&github(), &account()).unwrap().role.trust_policy);
    assert_trust_policy_too_large(&github(), ci_size - 1, ci_size, &["ci_oidc", "subjects"]);
}

#[test]
fn all_problems_are_reported_at_once() {
    let input = TeamAccessInput {
        cluster_name: String::new(),
        name: "a b".into(),
        principal_arns: set(&["*"]),
        sso_permission_sets: set(&[]),
        create_role: None,
        ci_oidc: Some(CiOidc {
            provider_arn: "x".into(),
            audience: String::new(),
            subjects: set(&["repo:*"]),
            allow_subject_wildcards: false,
        }),
        require_mfa: Some(true),
        external_id: Some("bad secret".into()),
        principal_org_id: Some("org".into()),
        access_level: Some(AccessLevel::Admin),
        access_policy_arns: set(&["p"]),
        namespaces: Some(set(&["N"])),
        kubernetes_groups: set(&["system:x"]),
        kubernetes_username: Some("iam:x".into()),
        max_session_duration: Some(1),
        role_name: Some("a/b".into()),
        role_path: Some("p".into()),
        permissions_boundary: Some("b".into()),
        description: Some("🚨".into()),
        tags: map(&[("aws:k", "v")]),
    };
    let problems = problems(&input);
    let paths: BTreeSet<Vec<String>> = problems.iter().map(|p| p.path.clone()).collect();
    let want: BTreeSet<Vec<String>> = [
        vec!["cluster_name"],
        vec!["name"],
        vec!["role_name"],
        vec!["role_path"],
        vec!["description"],
        vec!["max_session_duration"],
        vec!["permissions_boundary"],
        vec!["tags", "aws:k"],
        vec!["principal_arns"],
        vec!["principal_arns", "*"],
        vec!["ci_oidc", "provider_arn"],
        vec!["ci_oidc", "audience"],
        vec!["ci_oidc", "subjects"],
        vec!["require_mfa"],
        vec!["external_id"],
        vec!["principal_org_id"],
        vec!["access_level"],
        vec!["access_policy_arns", "p"],
        vec!["namespaces", "N"],
        vec!["kubernetes_groups", "system:x"],
        vec!["kubernetes_username"],
    ]
    .into_iter()
    .map(|p| p.into_iter().map(str::to_owned).collect())
    .collect();
    assert_eq!(paths, want);
    assert!(problems
        .iter()
        .all(|p| !p.to_string().contains("bad secret")));
    // The account checks skip what is already invalid: nothing is reported twice.
    assert_eq!(build(&input, &account()).unwrap_err().len(), problems.len());
}

/// Every way a problem can be reported, with a distinctive external ID:
/// the secret appears in no summary, detail or display text.
#[test]
fn external_id_never_appears_in_problems() {
    let with_secret = |input: TeamAccessInput| TeamAccessInput {
        external_id: Some(SECRET.into()),
        ..input
    };
    let too_large = build_in(&with_secret(people()), &env_with_quota(10)).unwrap_err();
    assert_eq!(too_large[0].summary, "Trust policy too large");
    for p in &too_large {
        assert!(!p.to_string().contains(SECRET), "{p}");
    }
    let inputs = [
        with_secret(github()),
        with_secret(TeamAccessInput {
            principal_arns: set(&["arn:aws:iam::123456789012:role/eks-team-prod-payments", "*"]),
            principal_org_id: Some("bad".into()),
            ..people()
        }),
        with_secret(TeamAccessInput {
            access_level: None,
            ..people()
        }),
        TeamAccessInput {
            external_id: Some(format!("{SECRET} ;")),
            ..people()
        },
    ];
    for input in inputs {
        let mut problems = problems(&input);
        if let Err(more) = build(&input, &account()) {
            problems.extend(more);
        }
        assert!(!problems.is_empty());
        for p in &problems {
            assert!(!p.to_string().contains(SECRET), "{p}");
        }
    }
    assert_eq!(
        redact(&format!("x {SECRET} y"), Some(SECRET)),
        "x (sensitive) y"
    );
    assert_eq!(redact("x", None), "x");
}

// ---- golden files -------------------------------------------------------------------

type Case = GoldenCase<TeamAccessInput>;

fn cases() -> Vec<Case> {
    let cn_people = TeamAccessInput {
        principal_arns: set(&[
            "arn:aws-cn:iam::123456789012:role/platform-oncall",
            "arn:aws-cn:iam::123456789012:user/people/alice",
        ]),
        access_level: Some(AccessLevel::Admin),
        ..TeamAccessInput::new("prod-cn", "platform")
    };
    vec![
        Case {
            file: "people-mfa-view-cluster.json",
            partition: "aws",
            default_tags: &[],
            input: people(),
        },
        Case {
            file: "people-no-mfa.json",
            partition: "aws",
            default_tags: &[],
            input: TeamAccessInput {
                require_mfa: Some(false),
                principal_arns: set(&["arn:aws:iam::123456789012:role/batch-runner"]),
                ..people()
            },
        },
        Case {
            file: "people-mfa-external-id-org-namespaces.json",
            partition: "aws",
            default_tags: &[],
            input: TeamAccessInput {
                principal_arns: set(&["arn:aws:iam::210987654321:role/partner/support"]),
                external_id: Some("partner-7f9c2d".into()),
                principal_org_id: Some("o-a1b2c3d4e5".into()),
                access_level: Some(AccessLevel::Edit),
                namespaces: Some(set(&["payments", "payments-*"])),
                ..people()
            },
        },
        Case {
            file: "people-explicit-policies-groups-custom-role.json",
            partition: "aws",
            default_tags: &[("env", "prod")],
            input: TeamAccessInput {
                access_level: None,
                access_policy_arns: set(&[
                    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
                    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
                ]),
                kubernetes_groups: set(&["payments-devs"]),
                kubernetes_username: Some("payments:{{SessionName}}".into()),
                ..custom_role(people())
            },
        },
        Case {
            file: "people-groups-only.json",
            partition: "aws",
            default_tags: &[],
            input: TeamAccessInput {
                access_level: None,
                kubernetes_groups: set(&["payments-devs", "payments-oncall"]),
                ..people()
            },
        },
        Case {
            file: "ci-github-exact-subjects.json",
            partition: "aws",
            default_tags: &[],
            input: TeamAccessInput {
                namespaces: Some(set(&["payments"])),
                ..ci(
                    GITHUB,
                    &[
                        "repo:my-org/payments:environment:prod",
                        "repo:my-org/payments:ref:refs/heads/main",
                    ],
                    false,
                )
            },
        },
        Case {
            file: "ci-github-wildcard-subjects.json",
            partition: "aws",
            default_tags: &[],
            input: ci(
                GITHUB,
                &[
                    "repo:my-org/payments:ref:refs/heads/release-*",
                    "repo:my-org/ledger:ref:refs/heads/main",
                ],
                true,
            ),
        },
        Case {
            file: "ci-gitlab-exact-subjects.json",
            partition: "aws",
            default_tags: &[],
            input: TeamAccessInput {
                ci_oidc: Some(CiOidc {
                    provider_arn: GITLAB.into(),
                    audience: "https://gitlab.com".into(),
                    subjects: set(&["project_path:my-group/payments:ref_type:branch:ref:main"]),
                    allow_subject_wildcards: false,
                }),
                ..ci(GITLAB, &[], false)
            },
        },
        Case {
            file: "people-mfa-admin-aws-cn.json",
            partition: "aws-cn",
            default_tags: &[],
            input: cn_people,
        },
    ]
}

#[test]
fn golden_blueprints() {
    let mut files = BTreeSet::new();
    for case in cases() {
        let name = case.file;
        assert_eq!(problems(&case.input), vec![], "{name}");
        let bp = case.build();

        // Every generated trust policy passes the rules of
        // docs/design/trust-policy-rules.md; StringLike
        // only where the case opted in.
        let wildcards = case
            .input
            .ci_oidc
            .as_ref()
            .is_some_and(|c| c.allow_subject_wildcards);
        let strict = check_trust_policy(&bp.role.trust_policy, &TrustRuleOptions::default());
        if wildcards && bp.role.trust_policy.contains("StringLike") {
            assert!(
                !strict.is_empty(),
                "{name}: the strict rules must notice StringLike"
            );
            let opted = TrustRuleOptions {
                allow_string_like_oidc: true,
                ..TrustRuleOptions::default()
            };
            assert_eq!(
                check_trust_policy(&bp.role.trust_policy, &opted),
                Vec::<String>::new(),
                "{name}"
            );
        } else {
            assert_eq!(strict, Vec::<String>::new(), "{name}");
        }
        for association in &bp.access_entry.policy_associations {
            assert!(association.policy_arn.starts_with(&format!(
                "arn:{}:eks::aws:cluster-access-policy/",
                case.partition
            )));
        }

        let mut doc = render_access(&bp);
        doc["kubeconfig_command"] = kubeconfig_command(&bp, &case.env().account.region).into();
        let rendered = pretty(&doc);
        golden::check(&format!("team_access/{name}"), &rendered);
        // The golden file read back equals the blueprint exactly after minifying.
        check_golden_role(name, &bp.role, case.partition, &rendered);
        files.insert(name.to_owned());
    }
    assert_eq!(files.len(), 9);
    golden::check_no_stale("team_access", &files);
}

// ---- trust rules of issue 12 ---------------------------------------------------------

/// Principals may chain into the role with a source identity already set.
#[test]
fn principals_trust_allows_set_source_identity() {
    let doc = principals_trust_policy(&set(&[ONCALL]), false, None, None);
    assert!(
        doc.contains(r#""Action":["sts:AssumeRole","sts:SetSourceIdentity"]"#),
        "{doc}"
    );
    assert!(!doc.contains("sts:TagSession"), "{doc}");
    // CI OIDC stays AssumeRoleWithWebIdentity only.
    let bp = build(&github(), &account()).unwrap();
    assert!(!bp.role.trust_policy.contains("SetSourceIdentity"));
}

#[test]
fn shared_ci_issuers_need_the_tenant() {
    let provider = |host: &str| format!("arn:aws:iam::123456789012:oidc-provider/{host}");
    let refused = [
        ("app.terraform.io", "organization:*"),
        (
            "app.terraform.io",
            "organization:acme*:project:p:workspace:w:run_phase:apply",
        ),
        (
            "agent.buildkite.com",
            "*:pipeline:deploy:ref:refs/heads/main:commit:*:step:*",
        ),
        ("oidc.circleci.com/org/0f1e2d3c", "*/project/p1/user/*"),
        (
            "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
            "*:{step}",
        ),
        ("token.actions.githubusercontent.com", "repo:*"),
        ("gitlab.com", "*/app:*"),
    ];
    for (host, subject) in refused {
        assert_problems(
            &ci(&provider(host), &[subject], true),
            &[(
                &["ci_oidc", "subjects"],
                "Subject admits other tenants",
                false,
            )],
        );
    }
    let accepted = [
        (
            "app.terraform.io",
            "organization:acme:project:*:workspace:*:run_phase:*",
        ),
        ("agent.buildkite.com", "organization:acme:pipeline:deploy:*"),
        ("oidc.circleci.com/org/0f1e2d3c", "org/0f1e2d3c/project/*"),
        (
            "api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc",
            "{0f1e2d3c}:*",
        ),
        ("gitlab.com", "project_path:grp/app:*"),
    ];
    for (host, subject) in accepted {
        assert_eq!(problems(&ci(&provider(host), &[subject], true)), vec![]);
    }
}

#[test]
fn pull_request_subjects_warn() {
    for subject in [
        "repo:my-org/app:pull_request",
        "repo:my-org/app:*",
        "repo:my-org/*",
    ] {
        let wildcards = subject.contains('*');
        assert_problems(
            &ci(GITHUB, &[subject], wildcards),
            &[(
                &["ci_oidc", "subjects"],
                "Subject admits pull request workflows",
                true,
            )],
        );
    }
    for subject in [
        "repo:my-org/app:ref:refs/heads/main",
        "repo:my-org/app:ref:refs/heads/*",
        "repo:my-org/app:environment:prod",
    ] {
        assert_eq!(problems(&ci(GITHUB, &[subject], true)), vec![]);
    }
    // Not GitHub: no pull_request subjects.
    assert_eq!(
        problems(&ci(GITLAB, &["project_path:grp/app:*"], true)),
        vec![]
    );
}

#[test]
fn usernames_without_the_session_name_warn() {
    for username in ["team:{{SessionName}}", "team:{{SessionNameRaw}}"] {
        let input = TeamAccessInput {
            kubernetes_username: Some(username.into()),
            ..people()
        };
        assert_eq!(problems(&input), vec![], "{username}");
    }
    let shared = TeamAccessInput {
        kubernetes_username: Some("payments-team".into()),
        ..people()
    };
    assert_problems(
        &shared,
        &[(
            &["kubernetes_username"],
            "Everyone is one Kubernetes user",
            true,
        )],
    );
}

#[test]
fn names_are_tag_safe() {
    let comma = TeamAccessInput {
        name: "dev,ops".into(),
        ..people()
    };
    assert_problems(&comma, &[(&["name"], "Invalid name", false)]);
}
