//! `eksrole_team_access` values: model → intent input, and the plan without
//! live checks.

use std::collections::{BTreeMap, BTreeSet};

use super::super::cluster_access::{import_state, planned_state, Planning};
use super::super::model::{CiOidcModel, TeamAccessModel};
use super::state;
use super::RoleTeamAccess;
use crate::intent::access_entry::AccessLevel;
use crate::intent::team_access::{CiOidc, TeamAccessInput, DEFAULT_CI_AUDIENCE};
use crate::tfplugin::model::Attr;
use crate::tfplugin::{AttributePath, Number, Value};

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn config() -> TeamAccessModel {
    TeamAccessModel {
        cluster_name: Attr::Known("prod".into()),
        name: Attr::Known("devs".into()),
        principal_arns: Attr::Known(set(&["arn:aws:iam::123456789012:role/dev"])),
        external_id: Attr::Known("s3cret".into()),
        access_level: Attr::Known("view".into()),
        namespaces: Attr::Known(set(&["app"])),
        tags: Attr::Known(BTreeMap::from([("team".into(), "devs".into())])),
        ..Default::default()
    }
}

/// A CI pipeline's access, audience and wildcards left to their defaults.
fn ci_config() -> TeamAccessModel {
    TeamAccessModel {
        principal_arns: Attr::Null,
        ci_oidc: Attr::Known(CiOidcModel {
            provider_arn: Attr::Known("arn:aws:iam::1:oidc-provider/gitlab.com".into()),
            subjects: Attr::Known(set(&["project_path:a/b:ref_type:branch:ref:main"])),
            ..Default::default()
        }),
        ..config()
    }
}

#[test]
fn config_becomes_the_intent_input() {
    let input = state::input(&config().to_value()).unwrap();
    let mut expected = TeamAccessInput::new("prod", "devs");
    expected.principal_arns = set(&["arn:aws:iam::123456789012:role/dev"]);
    expected.external_id = Some("s3cret".into());
    expected.access_level = Some(AccessLevel::View);
    expected.namespaces = Some(set(&["app"]));
    expected.tags = BTreeMap::from([("team".into(), "devs".into())]);
    assert_eq!(input, expected);
}

#[test]
fn ci_oidc_gets_the_intent_defaults() {
    let m = ci_config();
    let input = state::input(&m.to_value()).unwrap();
    assert_eq!(
        input.ci_oidc,
        Some(CiOidc {
            provider_arn: "arn:aws:iam::1:oidc-provider/gitlab.com".into(),
            audience: DEFAULT_CI_AUDIENCE.into(),
            subjects: set(&["project_path:a/b:ref_type:branch:ref:main"]),
            allow_subject_wildcards: false,
        })
    );
}

#[test]
fn bad_values_are_diagnostics_on_their_attributes() {
    let m = TeamAccessModel {
        access_level: Attr::Known("root".into()),
        ..config()
    };
    let diags = state::input(&m.to_value()).unwrap_err();
    let d = diags.iter().next().unwrap();
    assert_eq!(d.summary, "Invalid access level");
    assert_eq!(d.path, Some(AttributePath::root("access_level")));

    let mut v = config().to_value();
    if let Value::Object(attrs) = &mut v {
        attrs.insert(
            "max_session_duration".into(),
            Value::Number(Number::Float(3600.5)),
        );
    }
    let diags = state::input(&v).unwrap_err();
    let d = diags.iter().next().unwrap();
    assert_eq!(d.path, Some(AttributePath::root("max_session_duration")));
    assert_eq!(d.detail, "`max_session_duration` must be a whole number.");
}

#[test]
fn plan_without_live_checks_fills_the_intent_defaults() {
    let m = ci_config();
    let v = m.to_value();
    let input = state::input(&v).unwrap();
    let plan = Planning::create(&v, "eu-west-1");
    let planned = planned_state::<RoleTeamAccess>(&plan, &input, None).unwrap();
    let p = TeamAccessModel::from_value(&planned).unwrap();
    assert_eq!(p.require_mfa, Attr::Known(false), "no MFA for CI tokens");
    assert_eq!(p.role_path, Attr::Known("/".into()));
    assert_eq!(p.max_session_duration, Attr::Known(3600));
    assert_eq!(p.role_name, Attr::Known("eks-team-prod-devs".into()));
    assert_eq!(p.id, Attr::Known("prod/devs".into()));
    let ci = p.ci_oidc.get().unwrap();
    assert_eq!(ci.audience, Attr::Known(DEFAULT_CI_AUDIENCE.into()));
    assert_eq!(ci.allow_subject_wildcards, Attr::Known(false));
    for unknown in [
        &p.role_arn,
        &p.role_id,
        &p.trust_policy,
        &p.kubeconfig_command,
    ] {
        assert!(unknown.is_unknown());
    }
    assert!(p.kubernetes_username.is_unknown(), "EKS chooses it");
    assert_eq!(p.external_id, Attr::Known("s3cret".into()));
}

#[test]
fn import_starts_from_the_id() {
    let v = import_state::<RoleTeamAccess>("prod/devs/custom").unwrap();
    let m = TeamAccessModel::from_value(&v).unwrap();
    assert_eq!(m.id, Attr::Known("prod/devs".into()));
    assert_eq!(m.role_name, Attr::Known("custom".into()));
    assert!(m.trust_policy.is_null() && m.ci_oidc.is_null());
}

#[test]
fn access_entry_arns_of_a_role_follow_its_entry() {
    let mut state = TeamAccessModel {
        role_arn: Attr::Known("arn:aws:iam::1:role/r".into()),
        access_entry_arn: Attr::Known("arn:aws:eks:eu-west-1:1:access-entry/c/role/1/r/x".into()),
        ..config()
    }
    .to_value();
    super::role_entry_arns(&mut state);
    let m = TeamAccessModel::from_value(&state).unwrap();
    assert_eq!(
        m.access_entry_arns,
        Attr::Known(BTreeMap::from([(
            "arn:aws:iam::1:role/r".to_owned(),
            "arn:aws:eks:eu-west-1:1:access-entry/c/role/1/r/x".to_owned()
        )]))
    );
    super::set_attr(&mut state, "access_entry_arn", Value::Unknown);
    super::role_entry_arns(&mut state);
    assert!(state.attr("access_entry_arns").is_unknown());
    super::set_attr(&mut state, "access_entry_arn", Value::Null);
    super::role_entry_arns(&mut state);
    assert_eq!(
        state.attr("access_entry_arns"),
        &Value::Map(BTreeMap::new())
    );
    // Unconfigured create_role is planned true; an unknown configured one stays.
    let mut planned = config().to_value();
    super::role_created(&mut planned, Some(&config().to_value()));
    assert_eq!(planned.attr("create_role"), &Value::Bool(true));
    let unknown = TeamAccessModel {
        create_role: Attr::Unknown,
        ..config()
    }
    .to_value();
    let mut planned = unknown.clone();
    super::role_created(&mut planned, Some(&unknown));
    assert!(planned.attr("create_role").is_unknown());
}

#[test]
fn direct_import_holds_the_principals_to_read() {
    let v = super::direct::import(
        "prod/devs/arn:aws:iam::123456789012:user/a,arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef",
    )
    .unwrap();
    let m = TeamAccessModel::from_value(&v).unwrap();
    assert_eq!(m.create_role, Attr::Known(false));
    assert_eq!(m.id, Attr::Known("prod/devs".into()));
    assert!(m.role_name.is_null());
    let entries = m.access_entry_arns.value().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.values().all(String::is_empty), "refresh fills them");
    assert!(super::direct::import("prod/devs/arn:aws:s3:::b").is_err());
}

#[test]
fn direct_plan_without_live_checks_has_no_role() {
    let m = TeamAccessModel {
        create_role: Attr::Known(false),
        external_id: Attr::Null,
        ..config()
    };
    let v = m.to_value();
    let input = state::input(&v).unwrap();
    let planned =
        super::direct::planned_state(&v, &input, None, &BTreeMap::new(), "eu-west-1", None)
            .unwrap();
    let p = TeamAccessModel::from_value(&planned).unwrap();
    assert_eq!(p.create_role, Attr::Known(false));
    for null in [&p.role_name, &p.role_path, &p.role_arn, &p.trust_policy] {
        assert!(null.is_null());
    }
    assert!(p.require_mfa.is_null() && p.max_session_duration.is_null());
    assert_eq!(
        p.kubeconfig_command,
        Attr::Known("aws eks update-kubeconfig --name prod --region eu-west-1".into())
    );
    assert!(
        p.access_entry_arns.is_unknown(),
        "entries are created at apply"
    );
}
