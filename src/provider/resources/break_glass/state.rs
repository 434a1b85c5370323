//! Values of `eksrole_break_glass` read into the intent: config → intent
//! input, and an imported access's inputs from the role and entry that
//! exist; and the clock the window is checked against.

use crate::apply::cluster_access::Observed;
use crate::intent::access_entry::access_of;
use crate::intent::break_glass::{BreakGlassInput, DEFAULT_MFA_MAX_AGE_SECONDS};
use crate::intent::trust_read::facts;
use crate::tfplugin::{Diagnostics, Value};

use super::super::cluster_access::access_level;
use super::super::model::BreakGlassModel;
use super::super::values::{optional_set, set_attr};

/// The intent input from a config (or planned) value whose inputs are known.
pub fn input(v: &Value) -> Result<BreakGlassInput, Diagnostics> {
    let m = BreakGlassModel::from_value(v)?;
    let access_level = access_level(&m.access_level)?;
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
        enabled: m.enabled.value(),
    })
}

/// The current time in seconds since the epoch, for the window checks.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The inputs of an imported break-glass access, read from the role's trust
/// policy and the entry's association.
pub fn imported_inputs(state: &mut Value, observed: &Observed) {
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
    // A closed glass has its role and no entry.
    set_attr(state, "enabled", observed.entry.is_some().into());
    let access = access_of(&observed.associations);
    let level = access.level.map_or(Value::Null, |l| l.as_str().into());
    set_attr(state, "access_level", level);
    set_attr(
        state,
        "namespaces",
        optional_set(&Value::Null, &access.namespaces),
    );
}
