//! Values of `eksrole_team_access` read into the intent: config → intent
//! input, and an imported access's inputs from the role and entry that exist.

use crate::apply::cluster_access::Observed;
use std::collections::BTreeMap;

use crate::intent::access_entry::{access_of, AccessScope};
use crate::intent::team_access::{CiOidc, TeamAccessInput, DEFAULT_CI_AUDIENCE};
use crate::intent::trust_read::facts;
use crate::tfplugin::{Diagnostics, Value};

use super::super::cluster_access::access_level;
use super::super::model::TeamAccessModel;
use super::super::values::{optional_set, set_attr};

/// The intent input from a config (or planned) value whose inputs are known.
pub fn input(v: &Value) -> Result<TeamAccessInput, Diagnostics> {
    let m = TeamAccessModel::from_value(v)?;
    let access_level = access_level(&m.access_level)?;
    let ci_oidc = m.ci_oidc.get().map(|ci| CiOidc {
        provider_arn: ci.provider_arn.or_default(),
        audience: ci
            .audience
            .value()
            .unwrap_or_else(|| DEFAULT_CI_AUDIENCE.to_owned()),
        subjects: ci.subjects.or_default(),
        allow_subject_wildcards: ci.allow_subject_wildcards.value().unwrap_or(false),
    });
    Ok(TeamAccessInput {
        cluster_name: m.cluster_name.or_default(),
        name: m.name.or_default(),
        principal_arns: m.principal_arns.or_default(),
        sso_permission_sets: m.sso_permission_sets.or_default(),
        create_role: m.create_role.value(),
        ci_oidc,
        require_mfa: m.require_mfa.value(),
        external_id: m.external_id.value(),
        principal_org_id: m.principal_org_id.value(),
        access_level,
        access_policy_arns: m.access_policy_arns.or_default(),
        namespaces: m.namespaces.value(),
        kubernetes_groups: m.kubernetes_groups.or_default(),
        kubernetes_username: m.kubernetes_username.value(),
        max_session_duration: m.max_session_duration.value(),
        role_name: m.role_name.value(),
        role_path: m.role_path.value(),
        permissions_boundary: m.permissions_boundary.value(),
        description: m.description.value(),
        tags: m.tags.or_default(),
    })
}

/// The inputs of an imported access, read from the role's trust policy and
/// the entry's associations.
pub fn imported_inputs(state: &mut Value, observed: &Observed) {
    let f = facts(&observed.role.trust_policy);
    if let Some(provider_arn) = &f.federated {
        let subjects = Value::Set(f.subjects.iter().map(|s| Value::from(s.as_str())).collect());
        set_attr(
            state,
            "ci_oidc",
            Value::object([
                ("provider_arn", Value::from(provider_arn.as_str())),
                ("audience", Value::opt_string(f.audience.clone())),
                ("subjects", subjects),
                ("allow_subject_wildcards", f.subjects_wildcard.into()),
            ]),
        );
    } else {
        set_attr(
            state,
            "principal_arns",
            optional_set(&Value::Null, &f.principal_arns),
        );
    }
    set_attr(state, "require_mfa", f.mfa.into());
    set_attr(
        state,
        "external_id",
        Value::opt_string(f.external_id.clone()),
    );
    set_attr(
        state,
        "principal_org_id",
        Value::opt_string(f.principal_org_id.clone()),
    );
    imported_access(state, &observed.associations);
}

/// An imported access's level (or explicit policies) and scope, read from
/// its entry's associations (policy ARN → scope).
pub fn imported_access(state: &mut Value, associations: &BTreeMap<String, AccessScope>) {
    let access = access_of(associations);
    match access.level {
        Some(l) => set_attr(state, "access_level", l.as_str().into()),
        None => set_attr(
            state,
            "access_policy_arns",
            optional_set(&Value::Null, &access.policy_arns),
        ),
    }
    set_attr(
        state,
        "namespaces",
        optional_set(&Value::Null, &access.namespaces),
    );
}
