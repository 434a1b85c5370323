//! Tests of what the access intents share: cluster ARN, describe-cluster
//! policy, kubeconfig command, import IDs, intent names, trust size.

use proptest::prelude::*;

use super::*;
use crate::intent::policy_json::{validate_policy_shape, PolicyKind};
use crate::intent::test_support::*;

#[test]
fn cluster_arn_policy_and_commands() {
    let account = account_in("aws");
    let arn = cluster_arn(&account, "prod");
    assert_eq!(arn, "arn:aws:eks:eu-west-1:123456789012:cluster/prod");
    assert_eq!(
        cluster_arn(&account_in("aws-cn"), "prod"),
        "arn:aws-cn:eks:cn-north-1:123456789012:cluster/prod"
    );
    let policy = describe_cluster_policy(&arn);
    assert_eq!(
        policy,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"DescribeCluster","Effect":"Allow","Action":"eks:DescribeCluster","Resource":"arn:aws:eks:eu-west-1:123456789012:cluster/prod"}]}"#
    );
    assert!(validate_policy_shape(&parsed(&policy), PolicyKind::Identity).is_empty());
    assert_eq!(
        kubeconfig_command("prod", "eu-west-1", "arn:aws:iam::123456789012:role/x"),
        "aws eks update-kubeconfig --name prod --region eu-west-1 --role-arn arn:aws:iam::123456789012:role/x"
    );
}

#[test]
fn import_ids() {
    assert_eq!(import_id("prod", "payments"), "prod/payments");
    let parse = |id| parse_import_id(id, AccessKind::TeamAccess);
    assert_eq!(
        parse("prod/payments"),
        Ok(AccessImportId {
            kind: AccessKind::TeamAccess,
            cluster_name: "prod".to_owned(),
            name: "payments".to_owned(),
            role_name: None,
        })
    );
    assert_eq!(
        parse("prod/payments/custom-role").map(|id| id.role_name),
        Ok(Some("custom-role".to_owned()))
    );
    for bad in [
        "",
        "prod",
        "prod/",
        "/payments",
        "prod/a/",
        "prod/a/b/c",
        "prod/a b",
        "prod/a/b c",
        "-x/a",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    assert!(parse("prod").unwrap_err().contains("not a team access ID"));
    let break_glass = parse_import_id("prod", AccessKind::BreakGlass).unwrap_err();
    assert!(
        break_glass.contains("not a break-glass ID"),
        "{break_glass}"
    );
    assert!(break_glass.contains("`prod/emergency`"), "{break_glass}");
}

#[test]
fn import_role_names() {
    let role_name = |id, kind| parse_import_id(id, kind).map(|id| import_role_name(&id));
    assert_eq!(
        role_name("prod/payments", AccessKind::TeamAccess),
        Ok("eks-team-prod-payments".to_owned())
    );
    assert_eq!(
        role_name("prod/oncall", AccessKind::BreakGlass),
        Ok("eks-breakglass-prod-oncall".to_owned())
    );
    for kind in [AccessKind::TeamAccess, AccessKind::BreakGlass] {
        assert_eq!(
            role_name("prod/payments/custom", kind),
            Ok("custom".to_owned())
        );
    }
}

proptest! {
    #[test]
    fn import_ids_round_trip(
        cluster in "[A-Za-z0-9][A-Za-z0-9_-]{0,99}",
        name in "[A-Za-z0-9_+=.@-]{1,64}",
    ) {
        let parsed = parse_import_id(&import_id(&cluster, &name), AccessKind::BreakGlass);
        prop_assert_eq!(parsed, Ok(AccessImportId { kind: AccessKind::BreakGlass, cluster_name: cluster, name, role_name: None }));
    }
}

#[test]
fn intent_names() {
    for ok in ["a", "payments", "Team_1.x@y+z=w-v", &"n".repeat(64)] {
        assert_eq!(validate_intent_name(ok), Ok(()), "{ok}");
    }
    for bad in ["", "a/b", "a b", "é", "a,b", &"n".repeat(65)] {
        assert!(validate_intent_name(bad).is_err(), "{bad}");
    }
    // IAM names allow ',', IAM tag values do not: the name is a tag.
    let comma = validate_intent_name("dev,ops").unwrap_err();
    assert!(comma.contains("','") && comma.contains("tag"), "{comma}");
}
