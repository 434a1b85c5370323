//! Tests of the break-glass intent: the window, MFA and session rules with
//! their exact attribute paths, the trust policy, the blueprints and the golden files.

use super::*;
use crate::intent::access_entry::AccessScope;
use crate::intent::cluster_access::DESCRIBE_CLUSTER_POLICY_NAME;
use crate::intent::golden;
use crate::intent::policy_json::non_whitespace_len;
use crate::intent::test_support::*;
use crate::intent::trust_policy_rules::check_trust_policy;
use crate::intent::{has_errors, Account};

/// 2030-01-01T00:00:00Z
const NOW: i64 = 1_893_456_000;
const ALICE: &str = "arn:aws:iam::123456789012:user/people/alice";
const BOB: &str = "arn:aws:iam::123456789012:user/people/bob";

impl TestIntent for BreakGlassInput {
    type Blueprint = BreakGlassBlueprint;

    const VALIDATE: ValidateFn<Self> = |input| validate(input, NOW);
    const BLUEPRINT: BlueprintFn<Self, BreakGlassBlueprint> = blueprint;
}

fn base() -> BreakGlassInput {
    BreakGlassInput::new("prod", "oncall", set(&[BOB, ALICE]))
}

/// A valid input without warnings: a 4-hour window, view access.
fn quiet() -> BreakGlassInput {
    BreakGlassInput {
        not_before: Some("2030-01-01T00:00:00Z".into()),
        not_after: Some("2030-01-01T04:00:00Z".into()),
        access_level: Some(AccessLevel::View),
        ..base()
    }
}

#[test]
fn defaults_warn_but_build() {
    assert_problems(
        &base(),
        &[
            (&["not_after"], "No end to the window", true),
            (
                &["access_level"],
                "Cluster admin on the whole cluster",
                true,
            ),
        ],
    );
    assert_eq!(problems(&quiet()), vec![]);
}

#[test]
fn default_blueprint_is_exact() {
    let bp = build(&base(), &account()).unwrap();
    let role = &bp.access.role;
    assert_eq!(role.name, "eks-breakglass-prod-oncall");
    assert_eq!(
        role.arn,
        "arn:aws:iam::123456789012:role/eks-breakglass-prod-oncall"
    );
    assert_eq!(role.max_session_duration, 3600);
    assert_eq!(
        role.trust_policy,
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"BreakGlassUsers","Effect":"Allow","Principal":{{"AWS":["{ALICE}","{BOB}"]}},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}},"NumericLessThan":{{"aws:MultiFactorAuthAge":"900"}},"StringLike":{{"sts:SourceIdentity":"${{aws:username}}"}}}}}}]}}"#
        )
    );
    assert_eq!(role.tags["eksrole:intent"], "break-glass");
    assert_eq!(role.tags["eksrole:name"], "oncall");
    assert_eq!(role.tags["eksrole:cluster"], "prod");
    assert!(role
        .inline_policies
        .contains_key(DESCRIBE_CLUSTER_POLICY_NAME));
    let entry = &bp.access.access_entry;
    assert_eq!(entry.principal_arn, role.arn);
    assert!(entry.kubernetes_groups.is_empty());
    assert_eq!(entry.username, None);
    assert_eq!(entry.policy_associations.len(), 1);
    assert_eq!(
        entry.policy_associations[0].policy_arn,
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    );
    assert_eq!(entry.policy_associations[0].scope, AccessScope::Cluster);
    assert_eq!(
        bp.assume_role_command,
        "aws sts assume-role --role-arn arn:aws:iam::123456789012:role/eks-breakglass-prod-oncall --role-session-name oncall-$(whoami) --serial-number <MFA_DEVICE_ARN> --token-code <MFA_CODE> --source-identity <YOUR_NAME> --duration-seconds 3600"
    );
    assert_eq!(
        bp.alert_event_pattern,
        r#"{"detail":{"eventName":["AssumeRole"],"eventSource":["sts.amazonaws.com"],"requestParameters":{"roleArn":["arn:aws:iam::123456789012:role/eks-breakglass-prod-oncall"]}},"detail-type":["AWS API Call via CloudTrail"],"source":["aws.sts"]}"#
    );
}

#[test]
fn window_and_options_in_trust() {
    let input = BreakGlassInput {
        not_before: Some("2030-01-01T01:30:00+01:00".into()),
        not_after: Some("2030-01-01T05:00:00.5Z".into()),
        require_source_identity: Some(false),
        principal_org_id: Some("o-a1b2c3d4e5".into()),
        mfa_max_age_seconds: Some(300),
        ..quiet()
    };
    let bp = build(&input, &account()).unwrap();
    let trust = &bp.access.role.trust_policy;
    assert!(trust.contains(r#""Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:30:00Z"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T05:00:00Z"},"NumericLessThan":{"aws:MultiFactorAuthAge":"300"},"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"StringLikeIfExists":{"sts:SourceIdentity":"${aws:username}"}}"#), "{trust}");
    assert!(
        !trust.contains(r#""Null""#),
        "no source identity required: {trust}"
    );
    assert!(
        trust.contains(r#""Action":["sts:AssumeRole","sts:SetSourceIdentity"]"#),
        "SetSourceIdentity stays allowed"
    );
}

/// Roles and users get a statement each: a role session carries no
/// `aws:username`, so only users' source identity is bound to their name.
#[test]
fn roles_and_users_get_their_own_statement() {
    const ONCALL: &str = "arn:aws:iam::123456789012:role/platform-oncall";
    let doc = trust_policy(&set(&[ALICE, ONCALL]), 900, None, None, true, None);
    assert_eq!(
        doc,
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"BreakGlass","Effect":"Allow","Principal":{{"AWS":["{ONCALL}"]}},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}},"Null":{{"sts:SourceIdentity":"false"}},"NumericLessThan":{{"aws:MultiFactorAuthAge":"900"}}}}}},{{"Sid":"BreakGlassUsers","Effect":"Allow","Principal":{{"AWS":["{ALICE}"]}},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}},"NumericLessThan":{{"aws:MultiFactorAuthAge":"900"}},"StringLike":{{"sts:SourceIdentity":"${{aws:username}}"}}}}}}]}}"#
        )
    );
    let roles_only = trust_policy(&set(&[ONCALL]), 900, None, None, true, None);
    assert!(!roles_only.contains(USERS_TRUST_SID), "{roles_only}");
    assert!(check_trust_policy(&doc, &Default::default()).is_empty());
}

/// Cross-account principals without `principal_org_id` warn on
/// `principal_arns`; with it, or all in the account, nothing.
#[test]
fn cross_account_principals_without_org_warn() {
    const OTHER: &str = "arn:aws:iam::210987654321:role/partner-oncall";
    let input = BreakGlassInput {
        principal_arns: set(&[ALICE, OTHER]),
        ..quiet()
    };
    let bp = build(&input, &account()).unwrap();
    assert_eq!(bp.warnings.len(), 1, "{:?}", bp.warnings);
    let w = &bp.warnings[0];
    assert!(w.warning);
    assert_eq!(w.path, ["principal_arns"]);
    assert!(w.detail.contains("210987654321"), "{}", w.detail);
    let with_org = BreakGlassInput {
        principal_org_id: Some("o-a1b2c3d4e5".into()),
        ..input
    };
    assert!(build(&with_org, &account()).unwrap().warnings.is_empty());
    assert!(build(&quiet(), &account()).unwrap().warnings.is_empty());
}

/// A comma in `name` is refused on `name`: IAM refuses it in tag values.
#[test]
fn comma_in_name_is_refused() {
    let input = BreakGlassInput {
        name: "on,call".into(),
        ..quiet()
    };
    assert_problems(&input, &[(&["name"], "Invalid name", false)]);
}

#[test]
fn window_bounds_normalise() {
    let b = parse_window_bound("2030-01-31T19:00:00+01:00", false).unwrap();
    assert_eq!(b.iso, "2030-01-31T18:00:00Z");
    assert_eq!(b.epoch_seconds, 1_896_112_800);
    assert_eq!(
        parse_window_bound("2030-01-31T18:00:00.999Z", false)
            .unwrap()
            .iso,
        "2030-01-31T18:00:00Z"
    );
    assert_eq!(
        parse_window_bound("2030-01-31T18:00:00.001Z", true)
            .unwrap()
            .iso,
        "2030-01-31T18:00:01Z"
    );
    assert_eq!(
        parse_window_bound("2030-01-31T18:00:00Z", true)
            .unwrap()
            .iso,
        "2030-01-31T18:00:00Z"
    );
    assert_eq!(
        parse_window_bound("2030-12-31T23:59:59.5-00:30", true)
            .unwrap()
            .iso,
        "2031-01-01T00:30:00Z"
    );
    // RFC 3339 lets applications use a space for "T"; the output always has "T".
    assert_eq!(
        parse_window_bound("2030-01-31 18:00:00Z", false)
            .unwrap()
            .iso,
        "2030-01-31T18:00:00Z"
    );
    for bad in [
        "",
        "2030-01-31",
        "2030-01-31T18:00:00",
        "2030-01-31T18:00Z",
        "31/01/2030",
        "2030-02-30T00:00:00Z",
        "tomorrow",
    ] {
        assert!(parse_window_bound(bad, false).is_err(), "{bad}");
    }
}

#[test]
fn window_errors_and_warnings() {
    let window = |(not_before, not_after): (Option<&str>, Option<&str>)| BreakGlassInput {
        not_before: not_before.map(str::to_owned),
        not_after: not_after.map(str::to_owned),
        ..quiet()
    };
    let ended = (None, Some("2030-01-01T00:00:00Z"));
    let open_start = (Some("2030-01-01T00:00:00Z"), None);
    assert_cases(
        &[
            (
                (Some("soon"), Some("later")),
                &[
                    (&["not_before"], "Invalid time", false),
                    (&["not_after"], "Invalid time", false),
                ],
            ),
            // Whether an ended window is an error depends on the prior state: see below.
            (ended, &[]),
            (
                (Some("2030-01-01T05:00:00Z"), Some("2030-01-01T04:00:00Z")),
                &[(&["not_before"], "Empty window", false)],
            ),
            (
                (Some("2030-01-01T04:00:00Z"), Some("2030-01-01T04:00:00Z")),
                &[(&["not_before"], "Empty window", false)],
            ),
            // Exactly a day, then a second more.
            ((None, Some("2030-01-02T00:00:00Z")), &[]),
            (
                (None, Some("2030-01-02T00:00:01Z")),
                &[(&["not_after"], "Long window", true)],
            ),
            // Counted from the later of now and not_before.
            (
                (Some("2030-01-05T00:00:00Z"), Some("2030-01-05T12:00:00Z")),
                &[],
            ),
            (
                (Some("2029-01-01T00:00:00Z"), Some("2030-01-01T12:00:00Z")),
                &[],
            ),
            (
                open_start,
                &[(&["not_after"], "No end to the window", true)],
            ),
        ],
        window,
    );
    assert!(build(&window(open_start), &account()).is_ok());
    assert!(build(&window(ended), &account()).is_ok());
}

#[test]
fn an_ended_window_is_an_error_only_when_the_plan_sets_it() {
    let input = |not_after: &str| BreakGlassInput {
        not_after: Some(not_after.to_owned()),
        ..quiet()
    };
    let ended = input("2030-01-01T00:00:00Z");
    let problem = |input: &BreakGlassInput, prior: Option<Option<&str>>| {
        window_end_problem(input, prior, NOW).map(|p| (p.summary, p.warning))
    };
    let error = Some(("Window already ended".to_owned(), false));
    let warning = Some(("Break-glass window has ended".to_owned(), true));
    // A new access, or a not_after moved (to another past time, or from none).
    assert_eq!(problem(&ended, None), error);
    assert_eq!(problem(&ended, Some(Some("2029-06-01T00:00:00Z"))), error);
    assert_eq!(problem(&ended, Some(None)), error);
    // The end in state passed: a warning, also when written differently.
    assert_eq!(problem(&ended, Some(Some("2030-01-01T00:00:00Z"))), warning);
    assert_eq!(
        problem(
            &input("2030-01-01T01:00:00+01:00"),
            Some(Some("2030-01-01T00:00:00Z"))
        ),
        warning
    );
    // Open windows, no end, and ends that do not parse (validate reports those).
    assert_eq!(problem(&input("2030-01-03T00:00:00Z"), None), None);
    assert_eq!(problem(&quiet(), None), None);
    assert_eq!(problem(&input("tomorrow"), None), None);
}

#[test]
fn duration_rules() {
    /// An attribute, how to set it, and values with no problem (`None`), a
    /// warning (`Some(true)`) or an error.
    type Rule = (
        &'static str,
        fn(&mut BreakGlassInput, i64),
        &'static [(i64, Option<bool>)],
    );
    let rules: [Rule; 2] = [
        (
            "mfa_max_age_seconds",
            |input, seconds| input.mfa_max_age_seconds = Some(seconds),
            &[
                (59, Some(false)),
                (60, None),
                (3600, None),
                (3601, Some(true)),
                (43_200, Some(true)),
                (43_201, Some(false)),
            ],
        ),
        (
            "max_session_duration",
            |input, seconds| input.max_session_duration = Some(seconds),
            &[
                (3599, Some(false)),
                (3600, None),
                (3601, Some(true)),
                (43_200, Some(true)),
                (43_201, Some(false)),
            ],
        ),
    ];
    for (attribute, edit, cases) in rules {
        for &(seconds, want) in cases {
            let mut input = quiet();
            edit(&mut input, seconds);
            let problems = problems(&input);
            match want {
                None => assert_eq!(problems, vec![], "{attribute} {seconds}"),
                Some(warning) => {
                    assert_eq!(problems.len(), 1, "{seconds}: {problems:#?}");
                    assert_eq!(problems[0].path, vec![attribute]);
                    assert_eq!(problems[0].warning, warning, "{attribute} {seconds}");
                }
            }
        }
    }
    let long = BreakGlassInput {
        max_session_duration: Some(7200),
        ..quiet()
    };
    let bp = build(&long, &account()).unwrap();
    assert_eq!(bp.access.role.max_session_duration, 7200);
    assert!(bp.assume_role_command.ends_with("--duration-seconds 7200"));
}

#[test]
fn principal_rules() {
    assert_principal_rules(
        "arn:aws:iam::123456789012:role/eks-breakglass-prod-oncall",
        |arns| BreakGlassInput {
            principal_arns: set(arns),
            ..quiet()
        },
    );
    assert_cases(ORG_ID_CASES, |org| BreakGlassInput {
        principal_org_id: Some(org.into()),
        ..quiet()
    });
    let cross_account = BreakGlassInput {
        principal_arns: set(&["arn:aws:iam::210987654321:role/security-oncall"]),
        principal_org_id: Some("o-a1b2c3d4e5".into()),
        ..quiet()
    };
    assert!(build(&cross_account, &account()).is_ok());
}

#[test]
fn access_rules() {
    let scoped_admin = BreakGlassInput {
        access_level: None,
        namespaces: Some(set(&["payments"])),
        ..quiet()
    };
    assert_eq!(
        problems(&scoped_admin),
        vec![],
        "cluster admin on namespaces: no warning"
    );
    let bp = build(&scoped_admin, &account()).unwrap();
    assert_eq!(
        bp.access.access_entry.policy_associations[0].scope,
        AccessScope::Namespaces(set(&["payments"]))
    );
    let admin = BreakGlassInput {
        access_level: Some(AccessLevel::Admin),
        ..quiet()
    };
    let bp = build(&admin, &account()).unwrap();
    assert_eq!(
        bp.access.access_entry.policy_associations[0].policy_arn,
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"
    );
    let explicit_cluster_admin = BreakGlassInput {
        access_level: Some(AccessLevel::ClusterAdmin),
        ..quiet()
    };
    assert_problems(
        &explicit_cluster_admin,
        &[(
            &["access_level"],
            "Cluster admin on the whole cluster",
            true,
        )],
    );
    assert_cases(NAMESPACE_CASES, |namespaces| BreakGlassInput {
        namespaces: Some(set(namespaces)),
        ..quiet()
    });
}

#[test]
fn role_settings_and_account() {
    let input = BreakGlassInput {
        role_name: Some("break-glass".into()),
        role_path: Some("/emergency/".into()),
        permissions_boundary: Some("arn:aws:iam::aws:policy/AdministratorAccess".into()),
        tags: map(&[("owner", "security")]),
        ..quiet()
    };
    let bp = build(&input, &account()).unwrap();
    assert_eq!(
        bp.access.role.arn,
        "arn:aws:iam::123456789012:role/emergency/break-glass"
    );
    assert!(bp
        .alert_event_pattern
        .contains("arn:aws:iam::123456789012:role/emergency/break-glass"));
    assert!(bp
        .assume_role_command
        .contains("--role-arn arn:aws:iam::123456789012:role/emergency/break-glass "));
    assert_eq!(bp.access.role.description, None);
    assert_eq!(bp.access.access_entry.tags, bp.access.role.tags);
    let bad = BreakGlassInput {
        cluster_name: "bad name".into(),
        role_path: Some("x".into()),
        ..quiet()
    };
    assert_problems(
        &bad,
        &[
            (&["cluster_name"], "Invalid cluster name", false),
            (&["role_path"], "Invalid role path", false),
        ],
    );
    let wrong_partition = BreakGlassInput {
        permissions_boundary: Some("arn:aws-cn:iam::aws:policy/AdministratorAccess".into()),
        ..quiet()
    };
    assert_blueprint_error(
        &wrong_partition,
        &account(),
        &["permissions_boundary"],
        "Policy in another partition",
    );
    let bad_account = Account {
        partition: "AWS".into(),
        ..account()
    };
    let problems = build(&quiet(), &bad_account).unwrap_err();
    assert_eq!(
        problems_of(&problems),
        vec![expect(&[], "Invalid AWS partition", false)]
    );
}

#[test]
fn long_names_fit_the_session_name() {
    let name = "n".repeat(64);
    let input = BreakGlassInput {
        name: name.clone(),
        ..quiet()
    };
    let bp = build(&input, &account()).unwrap();
    assert!(bp.access.role.name.len() <= 64);
    assert!(bp.assume_role_command.contains(&format!(
        "--role-session-name {}-$(whoami) ",
        "n".repeat(32)
    )));
}

#[test]
fn trust_policy_size_against_quota() {
    let bp = build(&quiet(), &account()).unwrap();
    let size = non_whitespace_len(&bp.access.role.trust_policy);
    assert_trust_policy_too_large(&quiet(), 200, size, &["principal_arns"]);
}

// ---- golden files -------------------------------------------------------------------

type Case = GoldenCase<BreakGlassInput>;

fn cases() -> Vec<Case> {
    vec![
        Case {
            file: "defaults-no-window.json",
            partition: "aws",
            default_tags: &[],
            input: base(),
        },
        Case {
            file: "window-source-identity.json",
            partition: "aws",
            default_tags: &[],
            input: BreakGlassInput {
                not_before: Some("2030-01-01T01:00:00+01:00".into()),
                not_after: Some("2030-01-01T06:00:00Z".into()),
                ..base()
            },
        },
        Case {
            file: "window-end-only-no-source-identity.json",
            partition: "aws",
            default_tags: &[],
            input: BreakGlassInput {
                not_after: Some("2030-01-01T08:00:00Z".into()),
                require_source_identity: Some(false),
                ..base()
            },
        },
        Case {
            file: "org-namespaces-admin-custom-role.json",
            partition: "aws",
            default_tags: &[("env", "prod")],
            input: BreakGlassInput {
                principal_arns: set(&[
                    "arn:aws:iam::210987654321:role/security/incident-responder",
                ]),
                principal_org_id: Some("o-a1b2c3d4e5".into()),
                access_level: Some(AccessLevel::Admin),
                namespaces: Some(set(&["payments", "payments-*"])),
                mfa_max_age_seconds: Some(300),
                role_name: Some("payments-break-glass".into()),
                role_path: Some("/emergency/".into()),
                permissions_boundary: Some(
                    "arn:aws:iam::123456789012:policy/break-glass-boundary".into(),
                ),
                tags: map(&[("owner", "security")]),
                ..base()
            },
        },
        Case {
            file: "window-aws-cn.json",
            partition: "aws-cn",
            default_tags: &[],
            input: BreakGlassInput {
                principal_arns: set(&["arn:aws-cn:iam::123456789012:user/people/alice"]),
                not_before: Some("2030-01-01T00:00:00Z".into()),
                not_after: Some("2030-01-01T04:00:00Z".into()),
                ..BreakGlassInput::new("prod-cn", "oncall", BTreeSet::new())
            },
        },
    ]
}

#[test]
fn golden_blueprints() {
    let mut files = BTreeSet::new();
    for case in cases() {
        let name = case.file;
        assert!(!has_errors(&problems(&case.input)), "{name}");
        let bp = case.build();
        let role = &bp.access.role;

        // Every generated trust policy passes the rules of
        // docs/design/trust-policy-rules.md, strictly.
        assert_eq!(
            check_trust_policy(&role.trust_policy, &TrustRuleOptions::default()),
            Vec::<String>::new(),
            "{name}"
        );
        assert!(
            role.trust_policy
                .contains(r#""Bool":{"aws:MultiFactorAuthPresent":"true"}"#),
            "{name}"
        );
        assert_eq!(
            crate::intent::trust_read::facts(&role.trust_policy).source_identity_required,
            case.input.effective_require_source_identity(),
            "{name}"
        );

        let mut doc = render_access(&bp.access);
        doc["assume_role_command"] = bp.assume_role_command.clone().into();
        doc["alert_event_pattern"] = parsed(&bp.alert_event_pattern);
        doc["warnings"] = problems(&case.input)
            .iter()
            .filter(|p| p.warning)
            .map(|p| format!("{}: {}", p.path.join("."), p.summary))
            .collect::<Vec<_>>()
            .into();
        let rendered = pretty(&doc);
        golden::check(&format!("break_glass/{name}"), &rendered);

        let golden_doc = check_golden_role(name, role, case.partition, &rendered);
        assert_eq!(
            canonical_json_value(&golden_doc["alert_event_pattern"]),
            bp.alert_event_pattern,
            "{name}"
        );
        files.insert(name.to_owned());
    }
    assert_eq!(files.len(), 5);
    golden::check_no_stale("break_glass", &files);
}

#[test]
fn the_command_fits_each_kind_of_principal() {
    let role_arn = "arn:aws:iam::123456789012:role/eks-breakglass-prod-oncall";
    let user = "arn:aws:iam::123456789012:user/oncall/alice";
    let responder = "arn:aws:iam::123456789012:role/security/responder";
    let users = assume_role_command(role_arn, "oncall", 7200, [user]);
    assert!(users.contains("--serial-number <MFA_DEVICE_ARN> --token-code <MFA_CODE>"));
    assert!(users.ends_with("--duration-seconds 7200"), "{users}");
    // Role chaining: no MFA device of its own, and at most an hour.
    let roles = assume_role_command(role_arn, "oncall", 7200, [responder]);
    assert!(!roles.contains("--serial-number") && !roles.contains("--token-code"));
    assert!(roles.contains("--source-identity <YOUR_NAME>"));
    assert!(roles.ends_with("--duration-seconds 3600"), "{roles}");
    assert!(assume_role_command(role_arn, "oncall", 3600, [responder])
        .ends_with("--duration-seconds 3600"));
    // Both kinds: a command for each, labelled.
    let both = assume_role_command(role_arn, "oncall", 7200, [user, responder]);
    let lines: Vec<&str> = both.lines().collect();
    assert_eq!(lines.len(), 4, "{both}");
    assert!(lines[0].starts_with("# IAM users") && lines[1] == users);
    assert!(lines[2].starts_with("# IAM roles") && lines[3] == roles);
}

#[test]
fn closing_the_glass_keeps_the_role_and_its_trust() {
    let open = build(&quiet(), &account()).unwrap();
    assert!(!open.access.closed);
    let closed = build(
        &BreakGlassInput {
            enabled: Some(false),
            ..quiet()
        },
        &account(),
    )
    .unwrap();
    assert!(closed.access.closed);
    // The role, its trust and the entry it would have are unchanged: only
    // whether the entry exists differs.
    assert_eq!(closed.access.role, open.access.role);
    assert_eq!(closed.access.access_entry, open.access.access_entry);
    assert!(!quiet().closed() && quiet().effective_enabled());
}
