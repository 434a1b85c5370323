//! `eksrole_break_glass` values: model → intent input, and the plan without
//! live checks.

use std::collections::BTreeSet;

use super::super::cluster_access::{planned_state, Planning};
use super::super::model::BreakGlassModel;
use super::state;
use super::BreakGlassResource;
use crate::intent::break_glass::BreakGlassInput;
use crate::tfplugin::model::Attr;
use crate::tfplugin::AttributePath;

fn config() -> BreakGlassModel {
    BreakGlassModel {
        cluster_name: Attr::Known("prod".into()),
        name: Attr::Known("oncall".into()),
        principal_arns: Attr::Known(BTreeSet::from([
            "arn:aws:iam::123456789012:user/alice".to_owned()
        ])),
        ..Default::default()
    }
}

#[test]
fn config_becomes_the_intent_input() {
    let input = state::input(&config().to_value()).unwrap();
    let expected = BreakGlassInput::new(
        "prod",
        "oncall",
        BTreeSet::from(["arn:aws:iam::123456789012:user/alice".to_owned()]),
    );
    assert_eq!(input, expected);
    let bad = BreakGlassModel {
        access_level: Attr::Known("root".into()),
        ..config()
    };
    let diags = state::input(&bad.to_value()).unwrap_err();
    let d = diags.iter().next().unwrap();
    assert_eq!(
        (d.summary.as_str(), d.path.clone()),
        (
            "Invalid access level",
            Some(AttributePath::root("access_level"))
        )
    );
}

#[test]
fn plan_without_live_checks_fills_the_intent_defaults() {
    let v = config().to_value();
    let input = state::input(&v).unwrap();
    let p = planned_state::<BreakGlassResource>(&Planning::create(&v, "eu-west-1"), &input, None);
    let p = p.unwrap();
    let p = BreakGlassModel::from_value(&p).unwrap();
    assert_eq!(p.mfa_max_age_seconds, Attr::Known(900));
    assert_eq!(p.max_session_duration, Attr::Known(3600));
    assert_eq!(p.require_source_identity, Attr::Known(true));
    assert_eq!(p.access_level, Attr::Known("cluster_admin".into()));
    assert_eq!(
        p.role_name,
        Attr::Known("eks-breakglass-prod-oncall".into())
    );
    assert_eq!(p.id, Attr::Known("prod/oncall".into()));
    assert!(p.role_arn.is_unknown() && p.assume_role_command.is_unknown());
}
