//! Tests of principal ARNs, organisation IDs and the principal checks that
//! need the account.

use super::*;
use crate::intent::test_support::*;

#[test]
fn principal_arns() {
    let ok = set(&[
        "arn:aws:iam::123456789012:role/oncall",
        "arn:aws:iam::123456789012:role/team/ops/oncall",
        "arn:aws:iam::210987654321:user/people/alice",
    ]);
    assert!(validate_principal_arns("principal_arns", &ok, false).is_empty());
    assert_eq!(
        problems_of(&validate_principal_arns(
            "principal_arns",
            &BTreeSet::new(),
            false
        )),
        vec![expect(&["principal_arns"], "No principals", false)]
    );
    let root = set(&["arn:aws:iam::123456789012:root"]);
    assert_eq!(
        problems_of(&validate_principal_arns("principal_arns", &root, false)),
        vec![expect(
            &["principal_arns", "arn:aws:iam::123456789012:root"],
            "Account root as principal",
            false
        )]
    );
    assert!(validate_principal_arns("principal_arns", &root, true).is_empty());
    assert_eq!(
        validate_principal_arns("principal_arns", &set(&["arn:aws:iam::1234:root"]), true)[0]
            .summary,
        "Invalid principal ARN"
    );
    let cases = [
        ("*", "Wildcard principal"),
        ("arn:aws:iam::123456789012:role/*", "Wildcard principal"),
        (
            "arn:aws:iam::123456789012:role/on?all",
            "Wildcard principal",
        ),
        (
            "arn:aws:sts::123456789012:assumed-role/oncall/alice",
            "Session ARN as principal",
        ),
        (
            "arn:aws:sts::123456789012:federated-user/alice",
            "Session ARN as principal",
        ),
        (
            "arn:aws:iam::123456789012:group/admins",
            "Invalid principal ARN",
        ),
        (
            "arn:aws:iam::123456789012:role/bad name",
            "Invalid principal ARN",
        ),
        ("arn:aws:iam::12345:user/alice", "Invalid principal ARN"),
        ("123456789012", "Invalid principal ARN"),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.example.com",
            "Invalid principal ARN",
        ),
    ];
    for (arn, summary) in cases {
        let problems = validate_principal_arns("principal_arns", &set(&[arn]), true);
        assert_eq!(
            problems_of(&problems),
            vec![expect(&["principal_arns", arn], summary, false)],
            "{arn}"
        );
    }
}

#[test]
fn principals_against_account() {
    let account = account_in("aws");
    let arns = set(&[
        "arn:aws:iam::123456789012:role/ops/EKS-TEAM-prod-x",
        "arn:aws-cn:iam::123456789012:role/ops",
        "arn:aws:iam::210987654321:role/eks-team-prod-x",
        "arn:aws:iam::123456789012:user/eks-team-prod-x",
    ]);
    assert_eq!(
        problems_of(&check_principals_against_account(
            "principal_arns",
            &arns,
            &account,
            "eks-team-prod-x"
        )),
        vec![
            expect(
                &["principal_arns", "arn:aws-cn:iam::123456789012:role/ops"],
                "Principal in another partition",
                false
            ),
            expect(
                &[
                    "principal_arns",
                    "arn:aws:iam::123456789012:role/ops/EKS-TEAM-prod-x"
                ],
                "Principal is this role",
                false
            ),
        ]
    );
}

#[test]
fn identity_center_roles_warn() {
    let arns = set(&[
        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
        "arn:aws:iam::123456789012:role/oncall",
    ]);
    let warnings = identity_center_mfa_warnings("principal_arns", &arns);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].warning);
    assert_eq!(warnings[0].path[1], *arns.iter().next().unwrap());
}

#[test]
fn org_ids() {
    assert!(validate_principal_org_id("principal_org_id", "o-a1b2c3d4e5").is_empty());
    assert!(
        validate_principal_org_id("principal_org_id", &format!("o-{}", "a".repeat(32))).is_empty()
    );
    for bad in [
        "",
        "o-",
        "o-short",
        "a1b2c3d4e5",
        "o-A1B2C3D4E5",
        &format!("o-{}", "a".repeat(33)),
        "r-a1b2c3d4e5",
    ] {
        assert_eq!(
            problems_of(&validate_principal_org_id("principal_org_id", bad)),
            vec![expect(
                &["principal_org_id"],
                "Invalid organization ID",
                false
            )],
            "{bad}"
        );
    }
}

#[test]
fn principals_differing_only_in_case_are_one_principal() {
    let arns = set(&[
        "arn:aws:iam::123456789012:user/oncall/alice",
        "arn:aws:iam::123456789012:user/oncall/Alice",
        "arn:aws:iam::123456789012:role/alice",
        "arn:aws:iam::210987654321:user/ALICE",
        "arn:aws:iam::123456789012:role/Ops",
        "arn:aws:iam::123456789012:role/ops",
    ]);
    let problems = validate_principal_arns("principal_arns", &arns, false);
    assert_eq!(
        problems_of(&problems),
        vec![
            expect(
                &["principal_arns", "arn:aws:iam::123456789012:role/ops"],
                "Principals differ only in case",
                false
            ),
            expect(
                &[
                    "principal_arns",
                    "arn:aws:iam::123456789012:user/oncall/alice"
                ],
                "Principals differ only in case",
                false
            ),
        ]
    );
    assert!(
        problems[0].detail.contains("role/Ops")
            && problems[0].detail.contains("get-role --role-name ops"),
        "{}",
        problems[0].detail
    );
    // A role and a user of one name, or one name in two accounts, are distinct.
    let distinct = set(&[
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:iam::123456789012:role/alice",
        "arn:aws:iam::210987654321:user/Alice",
    ]);
    assert!(validate_principal_arns("principal_arns", &distinct, false).is_empty());
}
