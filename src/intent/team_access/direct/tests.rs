//! Tests of a team access without a role: the role-only settings refused,
//! permission-set names and their resolution, the entries' blueprint and
//! the import ID.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::intent::access_entry::AccessLevel;
use crate::intent::team_access::{validate, CiOidc};
use crate::intent::test_support::*;

const DEV_ROLE: &str =
    "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef";
const DEV_ROLE_IN_REGION: &str = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef";

fn direct(sets: &[&str]) -> TeamAccessInput {
    TeamAccessInput {
        create_role: Some(false),
        sso_permission_sets: sets.iter().map(|s| (*s).to_owned()).collect(),
        access_level: Some(AccessLevel::View),
        namespaces: Some(BTreeSet::from(["dev".to_owned()])),
        ..TeamAccessInput::new("prod", "developers")
    }
}

fn role(name: &str, arn: &str) -> IdentityCenterRole {
    IdentityCenterRole {
        name: name.to_owned(),
        arn: arn.to_owned(),
    }
}

fn error_paths(input: TeamAccessInput) -> Vec<Vec<String>> {
    match validate(input) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .into_iter()
            .filter(|p| !p.warning)
            .map(|p| p.path)
            .collect(),
    }
}

#[test]
fn permission_sets_alone_are_enough_without_a_role() {
    assert!(validate(direct(&["Dev"])).is_ok());
    let mut both = direct(&["Dev"]);
    both.principal_arns = BTreeSet::from(["arn:aws:iam::123456789012:role/ops".to_owned()]);
    assert!(validate(both).is_ok());
}

#[test]
fn role_only_settings_are_errors_on_their_attribute_without_a_role() {
    let mut input = direct(&["Dev"]);
    input.require_mfa = Some(true);
    input.external_id = Some("secret-id-1".into());
    input.principal_org_id = Some("o-abcdefghij".into());
    input.max_session_duration = Some(7200);
    input.role_name = Some("devs".into());
    input.role_path = Some("/teams/".into());
    input.permissions_boundary = Some("arn:aws:iam::123456789012:policy/b".into());
    input.description = Some("d".into());
    input.ci_oidc = Some(CiOidc {
        provider_arn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
            .into(),
        audience: "sts.amazonaws.com".into(),
        subjects: BTreeSet::from(["repo:a/b:ref:refs/heads/main".to_owned()]),
        allow_subject_wildcards: false,
    });
    let paths = error_paths(input);
    for attribute in [
        "require_mfa",
        "external_id",
        "principal_org_id",
        "ci_oidc",
        "max_session_duration",
        "role_name",
        "role_path",
        "permissions_boundary",
        "description",
    ] {
        assert!(
            paths.iter().any(|p| p == &vec![attribute.to_owned()]),
            "{attribute}: {paths:?}"
        );
    }
    // The same settings are fine with a role; require_mfa = false says nothing.
    let mut off = direct(&["Dev"]);
    off.require_mfa = Some(false);
    assert_eq!(error_paths(off), vec![vec!["require_mfa".to_owned()]]);
}

#[test]
fn permission_sets_need_create_role_false() {
    let mut input = direct(&["Dev"]);
    input.create_role = None;
    assert_eq!(
        error_paths(input),
        vec![vec!["sso_permission_sets".to_owned()]]
    );
}

#[test]
fn no_mfa_default_without_a_role() {
    let input = direct(&[]);
    assert!(!input.effective_require_mfa());
    assert!(TeamAccessInput::new("c", "n").effective_require_mfa());
}

#[test]
fn permission_set_names() {
    for ok in ["Dev", "Read_Only", "a", "x+=,.@-", &"a".repeat(32)] {
        assert!(validate_permission_set_name(ok).is_ok(), "{ok}");
    }
    for bad in ["", "has space", "slash/no", &"a".repeat(33)] {
        assert!(validate_permission_set_name(bad).is_err(), "{bad}");
    }
    let paths = error_paths(direct(&["bad name"]));
    assert_eq!(
        paths,
        vec![vec![
            "sso_permission_sets".to_owned(),
            "bad name".to_owned()
        ]]
    );
}

#[test]
fn roles_name_their_permission_set() {
    assert_eq!(
        permission_set_of_role("AWSReservedSSO_Dev_0123456789abcdef"),
        Some("Dev")
    );
    assert_eq!(
        permission_set_of_role("AWSReservedSSO_Read_Only_abc123"),
        Some("Read_Only")
    );
    for not in [
        "AWSReservedSSO_Dev",
        "AWSReservedSSO__abc",
        "Dev_abc",
        "AWSReservedSSO_Dev_",
    ] {
        assert_eq!(permission_set_of_role(not), None, "{not}");
    }
    assert!(is_identity_center_role_arn(DEV_ROLE));
    assert!(is_identity_center_role_arn(DEV_ROLE_IN_REGION));
    assert!(!is_identity_center_role_arn(
        "arn:aws:iam::123456789012:role/dev"
    ));
}

#[test]
fn permission_sets_resolve_to_exactly_one_role() {
    let roles = [
        role("AWSReservedSSO_Dev_0123456789abcdef", DEV_ROLE_IN_REGION),
        role(
            "AWSReservedSSO_Admin_fedcba9876543210",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_fedcba9876543210",
        ),
        role(
            "AWSReservedSSO_Dev_Ops_1111111111111111",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_Ops_1111111111111111",
        ),
    ];
    let names = BTreeSet::from(["Dev".to_owned()]);
    assert_eq!(
        resolve_permission_sets(&names, &roles),
        Ok(BTreeMap::from([(
            "Dev".to_owned(),
            DEV_ROLE_IN_REGION.to_owned()
        )]))
    );
    // Unknown: the error lists what was found.
    let missing = resolve_permission_sets(&BTreeSet::from(["Ops".to_owned()]), &roles).unwrap_err();
    assert_eq!(missing[0].path, vec!["sso_permission_sets", "Ops"]);
    assert_eq!(missing[0].summary, "Permission set not found");
    for found in ["\"Admin\"", "\"Dev\"", "\"Dev_Ops\""] {
        assert!(missing[0].detail.contains(found), "{}", missing[0].detail);
    }
    let none = resolve_permission_sets(&names, &[]).unwrap_err();
    assert!(
        none[0].detail.contains("no Identity Center roles"),
        "{}",
        none[0].detail
    );
    // Two roles for one permission set: both named.
    let twice = [
        role("AWSReservedSSO_Dev_0123456789abcdef", DEV_ROLE),
        role("AWSReservedSSO_Dev_aaaaaaaaaaaaaaaa", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_aaaaaaaaaaaaaaaa"),
    ];
    let several = resolve_permission_sets(&names, &twice).unwrap_err();
    assert_eq!(several[0].summary, "Permission set matches several roles");
    assert!(several[0].detail.contains("aaaaaaaaaaaaaaaa") && several[0].detail.contains(DEV_ROLE));
}

#[test]
fn one_entry_per_principal_with_the_full_arn() {
    let mut input = direct(&["Dev"]);
    input.principal_arns = BTreeSet::from(["arn:aws:iam::123456789012:user/alice".to_owned()]);
    input.tags = BTreeMap::from([("team".to_owned(), "dev".to_owned())]);
    let input = validate(input).unwrap();
    let roles = BTreeMap::from([("Dev".to_owned(), DEV_ROLE_IN_REGION.to_owned())]);
    let bp = direct_blueprint(&input, &env_in("aws", &[]), &roles).unwrap();
    let principals: Vec<&str> = bp
        .entries
        .iter()
        .map(|e| e.principal_arn.as_str())
        .collect();
    assert_eq!(
        principals,
        ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef", "arn:aws:iam::123456789012:user/alice"]
    );
    for entry in &bp.entries {
        assert_eq!(entry.policy_associations.len(), 1);
        assert!(entry.policy_associations[0]
            .policy_arn
            .ends_with("/AmazonEKSViewPolicy"));
        assert_eq!(entry.tags.get("team").map(String::as_str), Some("dev"));
        assert_eq!(
            entry.tags.get("eksrole:name").map(String::as_str),
            Some("developers")
        );
        assert_eq!(entry.tags, bp.tags);
    }
}

#[test]
fn direct_import_ids() {
    let id = format!("prod/developers/{DEV_ROLE},arn:aws:iam::123456789012:role/a,b");
    assert!(is_direct_import_id(&id));
    assert!(!is_direct_import_id("prod/developers"));
    assert!(!is_direct_import_id("prod/developers/custom-role"));
    let parsed = parse_direct_import_id(&id).unwrap();
    assert_eq!(parsed.cluster_name, "prod");
    assert_eq!(parsed.name, "developers");
    assert_eq!(
        parsed.principal_arns,
        BTreeSet::from([
            DEV_ROLE.to_owned(),
            "arn:aws:iam::123456789012:role/a,b".to_owned()
        ])
    );
    assert_eq!(
        direct_import_id("prod", "developers", &parsed.principal_arns),
        id.replace(
            &format!("{DEV_ROLE},arn:aws:iam::123456789012:role/a,b"),
            &format!("arn:aws:iam::123456789012:role/a,b,{DEV_ROLE}")
        )
    );
    assert!(parse_direct_import_id("prod/developers/arn:aws:s3:::bucket").is_err());
    assert!(parse_direct_import_id("Bad Cluster/developers/arn:aws:iam::1:role/a").is_err());
}

#[test]
fn a_permission_set_whose_role_changed_is_a_warning() {
    let old = DEV_ROLE.to_owned();
    let new = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_fedcba9876543210";
    let resolved = BTreeMap::from([("Dev".to_owned(), new.to_owned())]);
    let held = [
        old.clone(),
        "arn:aws:iam::123456789012:user/alice".to_owned(),
    ];
    let warnings = moved_permission_sets(&held, &resolved);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].warning);
    assert_eq!(warnings[0].path, vec!["sso_permission_sets", "Dev"]);
    assert!(warnings[0].detail.contains(&old) && warnings[0].detail.contains(new));
    // Unchanged, or another permission set's role: nothing.
    assert!(moved_permission_sets(&[new.to_owned()], &resolved).is_empty());
    let other = BTreeMap::from([("Ops".to_owned(), new.replace("_Dev_", "_Ops_"))]);
    assert!(moved_permission_sets(&held, &other).is_empty());
}
