//! Values of `eksrole_break_glass`: config → intent input, the planned state,
//! and the state refreshed from the role and access entry that exist.

use crate::apply::cluster_access::Observed;
use crate::intent::access_entry::{access_of, AccessLevel};
use crate::intent::break_glass::{
    alert_event_pattern, assume_role_command, BreakGlassBlueprint, BreakGlassInput,
    DEFAULT_MFA_MAX_AGE_SECONDS,
};
use crate::intent::trust_read::facts;
use crate::tfplugin::model::Attr;
use crate::tfplugin::{Diagnostics, Value};

use super::super::super::context::Configured;
use super::super::cluster_access::{
    observed_trust, planned_associations, refresh_common, Planning,
};
use super::super::model::BreakGlassModel;
use super::super::values::{optional_set, parse_attr, set_attr, unknowns_to_null};

/// The intent input from a config (or planned) value whose inputs are known.
pub fn input(v: &Value) -> Result<BreakGlassInput, Diagnostics> {
    let m = BreakGlassModel::from_value(v)?;
    let access_level = parse_attr(
        &m.access_level,
        "access_level",
        "Invalid access level",
        AccessLevel::parse,
    )?;
    Ok(BreakGlassInput {
        cluster_name: m.cluster_name.or_default(),
        name: m.name.or_default(),
        principal_arns: m.principal_arns.or_default(),
        mfa_max_age_seconds: m.mfa_max_age_seconds.value(),
        not_before: m.not_before.value(),
        not_after: m.not_after.value(),
        max_session_duration: m.max_session_duration.value(),
        require_source_identity: m.require_source_identity.value(),
        principal_org_id: m.principal_org_id.value(),
        access_level,
        namespaces: m.namespaces.value(),
        role_name: m.role_name.value(),
        role_path: m.role_path.value(),
        permissions_boundary: m.permissions_boundary.value(),
        tags: m.tags.or_default(),
    })
}

/// The current time in seconds since the epoch, for the window checks.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The planned state: config values, the intent's defaults, and everything
/// the blueprint knows; what AWS assigns stays as it was, or unknown for a
/// new object.
pub fn planned(
    plan: &Planning<'_>,
    input: &BreakGlassInput,
    bp: Option<&BreakGlassBlueprint>,
) -> Result<Value, Diagnostics> {
    let mut m = BreakGlassModel::from_value(plan.proposed)?;
    let keep_prior = !plan.prior.is_null() && !plan.replacing;
    let kept = if keep_prior {
        BreakGlassModel::from_value(plan.prior)?
    } else {
        BreakGlassModel::default()
    };
    m.mfa_max_age_seconds = Attr::Known(input.effective_mfa_max_age_seconds());
    m.max_session_duration = Attr::Known(input.effective_max_session_duration());
    m.require_source_identity = Attr::Known(input.effective_require_source_identity());
    m.access_level = Attr::Known(input.effective_access_level().as_str().to_owned());
    m.role_path = Attr::Known(input.effective_role_path());
    m.id = Attr::Known(input.import_id());
    m.role_id = kept.role_id.or_unknown();
    m.access_entry_arn = kept.access_entry_arn.or_unknown();
    match bp {
        Some(bp) => {
            let role = &bp.access.role;
            m.role_name = Attr::Known(role.name.clone());
            m.role_arn = Attr::Known(role.arn.clone());
            m.tags_all = Attr::Known(role.tags.clone());
            m.access_policy_associations = Attr::Known(planned_associations(&bp.access));
            m.trust_policy = Attr::Known(if keep_prior {
                observed_trust(&kept.trust_policy.to_value(), &role.trust_policy)
            } else {
                role.trust_policy.clone()
            });
            m.assume_role_command = Attr::Known(bp.assume_role_command.clone());
            m.alert_event_pattern = Attr::Known(bp.alert_event_pattern.clone());
        }
        None => {
            m.role_name = Attr::Known(input.effective_role_name());
            m.role_arn = kept.role_arn.or_unknown();
            m.tags_all = kept.tags_all.or_unknown();
            m.access_policy_associations = kept.access_policy_associations.or_unknown();
            m.trust_policy = kept.trust_policy.or_unknown();
            m.assume_role_command = kept.assume_role_command.or_unknown();
            m.alert_event_pattern = kept.alert_event_pattern.or_unknown();
        }
    }
    Ok(m.to_value())
}

/// The state after apply: planned values, whatever is still unknown filled
/// from the blueprint.
pub fn settle(applied: &Value, bp: &BreakGlassBlueprint) -> Result<Value, Diagnostics> {
    let mut m = BreakGlassModel::from_value(applied)?;
    let role = &bp.access.role;
    m.role_name.fill(role.name.clone());
    m.role_arn.fill(role.arn.clone());
    m.tags_all.fill(role.tags.clone());
    m.access_policy_associations
        .fill(planned_associations(&bp.access));
    m.trust_policy.fill(role.trust_policy.clone());
    m.assume_role_command.fill(bp.assume_role_command.clone());
    m.alert_event_pattern.fill(bp.alert_event_pattern.clone());
    Ok(unknowns_to_null(&m.to_value()))
}

/// The state refreshed from the role and entry that exist. An imported
/// state (no trust policy yet) gets its inputs from them.
pub fn refresh(current: &Value, observed: &Observed, provider: &Configured) -> Value {
    let role = &observed.role;
    let mut state = current.clone();
    if current.attr("trust_policy").is_null() {
        imported_inputs(&mut state, observed);
    }
    refresh_common(&mut state, current, observed, &role.trust_policy, provider);
    let name = current.attr("name").as_str().unwrap_or_default();
    let command = assume_role_command(&role.arn, name, role.max_session_duration);
    set_attr(&mut state, "assume_role_command", command.into());
    set_attr(
        &mut state,
        "alert_event_pattern",
        alert_event_pattern(&role.arn).into(),
    );
    state
}

/// The inputs of an imported break-glass access, read from the role's trust
/// policy and the entry's association.
fn imported_inputs(state: &mut Value, observed: &Observed) {
    let f = facts(&observed.role.trust_policy);
    set_attr(
        state,
        "principal_arns",
        optional_set(&Value::Null, &f.principal_arns),
    );
    let mfa_max_age = f.mfa_max_age.unwrap_or(DEFAULT_MFA_MAX_AGE_SECONDS);
    set_attr(state, "mfa_max_age_seconds", Value::from(mfa_max_age));
    set_attr(state, "not_before", Value::opt_string(f.not_before));
    set_attr(state, "not_after", Value::opt_string(f.not_after));
    set_attr(
        state,
        "require_source_identity",
        f.source_identity_required.into(),
    );
    set_attr(
        state,
        "principal_org_id",
        Value::opt_string(f.principal_org_id),
    );
    let access = access_of(&observed.associations);
    let level = access.level.map_or(Value::Null, |l| l.as_str().into());
    set_attr(state, "access_level", level);
    set_attr(
        state,
        "namespaces",
        optional_set(&Value::Null, &access.namespaces),
    );
}
