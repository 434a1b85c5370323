//! Values of `eksrole_break_glass`: config → intent input, the planned state,
//! and the state refreshed from the role and access entry that exist.

use crate::intent::access_entry::AccessLevel;
use crate::intent::break_glass::{
    BreakGlassBlueprint, BreakGlassInput, DEFAULT_MFA_MAX_AGE_SECONDS,
};
use crate::intent::cluster_access;
use crate::intent::trust_read::facts;
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

use super::super::super::context::Configured;
use super::super::cluster_access::{
    access_of, observe, observed_trust, planned_associations, refresh_common,
};
use super::super::values::{
    map_value, opt_string, optional_set, set_attr, sparse_state, string_map, string_set,
    unknowns_to_null,
};

const INPUTS: [&str; 15] = [
    "cluster_name",
    "name",
    "principal_arns",
    "mfa_max_age_seconds",
    "not_before",
    "not_after",
    "max_session_duration",
    "require_source_identity",
    "principal_org_id",
    "access_level",
    "namespaces",
    "role_name",
    "role_path",
    "permissions_boundary",
    "tags",
];
const COMPUTED: [&str; 10] = [
    "tags_all",
    "id",
    "role_arn",
    "role_id",
    "access_entry_arn",
    "trust_policy",
    "access_policy_associations",
    "assume_role_command",
    "alert_event_pattern",
    "access_level",
];

fn number(v: &Value, name: &str, what: &str, diags: &mut Diagnostics) -> Option<i64> {
    let n = v.attr(name);
    if n.is_null() {
        return None;
    }
    let parsed = n.as_i64();
    if parsed.is_none() {
        diags.push(
            Diagnostic::error(format!("Invalid {name}"), format!("`{name}` is {what}."))
                .at(AttributePath::root(name)),
        );
    }
    parsed
}

/// The intent input; `Ok(None)` while any input is unknown.
pub fn input(v: &Value) -> Result<Option<BreakGlassInput>, Diagnostics> {
    if INPUTS.iter().any(|name| !v.attr(name).is_wholly_known()) {
        return Ok(None);
    }
    let mut diags = Diagnostics::default();
    let access_level = match v.attr("access_level").as_str() {
        None => None,
        Some(s) => match AccessLevel::parse(s) {
            Ok(l) => Some(l),
            Err(e) => {
                diags.push(
                    Diagnostic::error("Invalid access level", format!("{e}."))
                        .at(AttributePath::root("access_level")),
                );
                None
            }
        },
    };
    let mfa_max_age_seconds = number(
        v,
        "mfa_max_age_seconds",
        "a whole number of seconds from 60 to 43200",
        &mut diags,
    );
    let max_session_duration = number(
        v,
        "max_session_duration",
        "a whole number of seconds from 3600 to 43200",
        &mut diags,
    );
    if diags.has_errors() {
        return Err(diags);
    }
    let namespaces = v.attr("namespaces");
    Ok(Some(BreakGlassInput {
        cluster_name: opt_string(v, "cluster_name").unwrap_or_default(),
        name: opt_string(v, "name").unwrap_or_default(),
        principal_arns: string_set(v, "principal_arns"),
        mfa_max_age_seconds,
        not_before: opt_string(v, "not_before"),
        not_after: opt_string(v, "not_after"),
        max_session_duration,
        require_source_identity: v.attr("require_source_identity").as_bool(),
        principal_org_id: opt_string(v, "principal_org_id"),
        access_level,
        namespaces: (!namespaces.is_null()).then(|| string_set(v, "namespaces")),
        role_name: opt_string(v, "role_name"),
        role_path: opt_string(v, "role_path"),
        permissions_boundary: opt_string(v, "permissions_boundary"),
        tags: string_map(v, "tags"),
    }))
}

/// The current time in seconds since the epoch, for the window checks.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub fn planned_unknown(proposed: &Value) -> Value {
    let mut state = proposed.clone();
    for name in COMPUTED {
        if name != "access_level" || proposed.attr(name).is_null() {
            set_attr(&mut state, name, Value::Unknown);
        }
    }
    for name in [
        "mfa_max_age_seconds",
        "max_session_duration",
        "require_source_identity",
        "role_name",
        "role_path",
    ] {
        if proposed.attr(name).is_null() {
            set_attr(&mut state, name, Value::Unknown);
        }
    }
    state
}

pub fn planned(
    proposed: &Value,
    prior: &Value,
    input: &BreakGlassInput,
    bp: Option<&BreakGlassBlueprint>,
    replacing: bool,
) -> Value {
    let mut state = proposed.clone();
    let keep_prior = !prior.is_null() && !replacing;
    let prior_or_unknown = |name: &str| {
        let v = prior.attr(name);
        if keep_prior && !v.is_null() {
            v.clone()
        } else {
            Value::Unknown
        }
    };
    set_attr(
        &mut state,
        "mfa_max_age_seconds",
        input.effective_mfa_max_age_seconds().into(),
    );
    set_attr(
        &mut state,
        "max_session_duration",
        input.effective_max_session_duration().into(),
    );
    set_attr(
        &mut state,
        "require_source_identity",
        input.effective_require_source_identity().into(),
    );
    set_attr(
        &mut state,
        "access_level",
        input.effective_access_level().as_str().into(),
    );
    set_attr(&mut state, "role_path", input.effective_role_path().into());
    set_attr(&mut state, "id", input.import_id().into());
    set_attr(&mut state, "role_id", prior_or_unknown("role_id"));
    set_attr(
        &mut state,
        "access_entry_arn",
        prior_or_unknown("access_entry_arn"),
    );
    match bp {
        Some(bp) => {
            let role = &bp.access.role;
            set_attr(&mut state, "role_name", role.name.clone().into());
            set_attr(&mut state, "role_arn", role.arn.clone().into());
            set_attr(&mut state, "tags_all", map_value(&role.tags));
            set_attr(
                &mut state,
                "access_policy_associations",
                map_value(&planned_associations(&bp.access)),
            );
            let trust = if keep_prior {
                observed_trust(prior.attr("trust_policy"), &role.trust_policy)
            } else {
                role.trust_policy.clone()
            };
            set_attr(&mut state, "trust_policy", trust.into());
            set_attr(
                &mut state,
                "assume_role_command",
                bp.assume_role_command.clone().into(),
            );
            set_attr(
                &mut state,
                "alert_event_pattern",
                bp.alert_event_pattern.clone().into(),
            );
        }
        None => {
            set_attr(&mut state, "role_name", input.effective_role_name().into());
            for attr in [
                "role_arn",
                "tags_all",
                "access_policy_associations",
                "trust_policy",
                "assume_role_command",
                "alert_event_pattern",
            ] {
                set_attr(&mut state, attr, prior_or_unknown(attr));
            }
        }
    }
    state
}

pub fn settle(applied: &Value, bp: &BreakGlassBlueprint) -> Value {
    let mut state = applied.clone();
    let role = &bp.access.role;
    let fill = |state: &mut Value, name: &str, v: Value| {
        if state.attr(name).is_unknown() {
            set_attr(state, name, v);
        }
    };
    fill(&mut state, "role_name", role.name.clone().into());
    fill(&mut state, "role_arn", role.arn.clone().into());
    fill(&mut state, "tags_all", map_value(&role.tags));
    fill(
        &mut state,
        "access_policy_associations",
        map_value(&planned_associations(&bp.access)),
    );
    fill(&mut state, "trust_policy", role.trust_policy.clone().into());
    fill(
        &mut state,
        "assume_role_command",
        bp.assume_role_command.clone().into(),
    );
    fill(
        &mut state,
        "alert_event_pattern",
        bp.alert_event_pattern.clone().into(),
    );
    unknowns_to_null(&state)
}

/// The state refreshed from AWS; null when the role is gone. An imported
/// state (no trust policy yet) gets its inputs from what exists.
pub async fn refresh(provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
    let Some(role_name) = current.attr("role_name").as_str() else {
        return Ok(current.clone());
    };
    let cluster = current
        .attr("cluster_name")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(observed) = observe(provider, &cluster, role_name).await? else {
        return Ok(Value::Null);
    };
    let mut state = current.clone();
    if current.attr("trust_policy").is_null() {
        let f = facts(&observed.role.trust_policy);
        set_attr(
            &mut state,
            "principal_arns",
            optional_set(&Value::Null, &f.principal_arns),
        );
        set_attr(
            &mut state,
            "mfa_max_age_seconds",
            Value::from(f.mfa_max_age.unwrap_or(DEFAULT_MFA_MAX_AGE_SECONDS)),
        );
        set_attr(&mut state, "not_before", Value::opt_string(f.not_before));
        set_attr(&mut state, "not_after", Value::opt_string(f.not_after));
        set_attr(
            &mut state,
            "require_source_identity",
            f.source_identity_required.into(),
        );
        set_attr(
            &mut state,
            "principal_org_id",
            Value::opt_string(f.principal_org_id),
        );
        let (level, _, namespaces) = access_of(&observed.associations);
        set_attr(
            &mut state,
            "access_level",
            level.map_or(Value::Null, |l| l.as_str().into()),
        );
        set_attr(&mut state, "namespaces", namespaces);
    }
    refresh_common(
        &mut state,
        current,
        &observed,
        &observed.role.trust_policy,
        provider,
    );
    let role = &observed.role;
    let name = current.attr("name").as_str().unwrap_or_default();
    let command =
        crate::intent::break_glass::assume_role_command(&role.arn, name, role.max_session_duration);
    set_attr(&mut state, "assume_role_command", command.into());
    set_attr(
        &mut state,
        "alert_event_pattern",
        crate::intent::break_glass::alert_event_pattern(&role.arn).into(),
    );
    Ok(state)
}

/// The state an import starts from; Read completes it.
pub fn imported(cluster: &str, name: &str, role_name: &str) -> Value {
    let id = cluster_access::import_id(cluster, name);
    sparse_state(
        &super::schema::schema(),
        &[
            ("cluster_name", cluster),
            ("name", name),
            ("role_name", role_name),
            ("id", &id),
        ],
    )
}
