//! Values of `eksrole_team_access`: config → intent input, the planned state,
//! and the state refreshed from the role and access entry that exist.

use crate::intent::access_entry::AccessLevel;
use crate::intent::cluster_access::{self, ClusterAccessBlueprint};
use crate::intent::team_access::{CiOidc, TeamAccessInput, DEFAULT_CI_AUDIENCE};
use crate::intent::trust_read::{facts, redact_external_id};
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

use super::super::super::context::Configured;
use super::super::cluster_access::{
    access_of, observe, observed_trust, planned_associations, refresh_common,
};
use super::super::values::{
    map_value, opt_string, optional_set, set_attr, sparse_state, string_map, string_set,
    unknowns_to_null,
};

const INPUTS: [&str; 17] = [
    "cluster_name",
    "name",
    "principal_arns",
    "ci_oidc",
    "require_mfa",
    "external_id",
    "principal_org_id",
    "access_level",
    "access_policy_arns",
    "namespaces",
    "kubernetes_groups",
    "max_session_duration",
    "role_name",
    "role_path",
    "permissions_boundary",
    "description",
    "tags",
];
const COMPUTED: [&str; 8] = [
    "tags_all",
    "id",
    "role_arn",
    "role_id",
    "access_entry_arn",
    "trust_policy",
    "access_policy_associations",
    "kubeconfig_command",
];

/// The intent input; `Ok(None)` while any input is unknown.
pub fn input(v: &Value) -> Result<Option<TeamAccessInput>, Diagnostics> {
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
    let duration = v.attr("max_session_duration");
    let max_session_duration = if duration.is_null() {
        None
    } else if let Some(n) = duration.as_i64() {
        Some(n)
    } else {
        diags.push(
            Diagnostic::error(
                "Invalid max_session_duration",
                "`max_session_duration` is a whole number of seconds from 3600 to 43200.",
            )
            .at(AttributePath::root("max_session_duration")),
        );
        None
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let ci = v.attr("ci_oidc");
    let ci_oidc = (!ci.is_null()).then(|| CiOidc {
        provider_arn: opt_string(ci, "provider_arn").unwrap_or_default(),
        audience: opt_string(ci, "audience").unwrap_or_else(|| DEFAULT_CI_AUDIENCE.to_owned()),
        subjects: string_set(ci, "subjects"),
        allow_subject_wildcards: ci
            .attr("allow_subject_wildcards")
            .as_bool()
            .unwrap_or(false),
    });
    let namespaces = v.attr("namespaces");
    Ok(Some(TeamAccessInput {
        cluster_name: opt_string(v, "cluster_name").unwrap_or_default(),
        name: opt_string(v, "name").unwrap_or_default(),
        principal_arns: string_set(v, "principal_arns"),
        ci_oidc,
        require_mfa: v.attr("require_mfa").as_bool(),
        external_id: opt_string(v, "external_id"),
        principal_org_id: opt_string(v, "principal_org_id"),
        access_level,
        access_policy_arns: string_set(v, "access_policy_arns"),
        namespaces: (!namespaces.is_null()).then(|| string_set(v, "namespaces")),
        kubernetes_groups: string_set(v, "kubernetes_groups"),
        kubernetes_username: opt_string(v, "kubernetes_username"),
        max_session_duration,
        role_name: opt_string(v, "role_name"),
        role_path: opt_string(v, "role_path"),
        permissions_boundary: opt_string(v, "permissions_boundary"),
        description: opt_string(v, "description"),
        tags: string_map(v, "tags"),
    }))
}

/// The plan while some input is unknown.
pub fn planned_unknown(proposed: &Value) -> Value {
    let mut state = proposed.clone();
    for name in COMPUTED {
        set_attr(&mut state, name, Value::Unknown);
    }
    for name in [
        "require_mfa",
        "kubernetes_username",
        "max_session_duration",
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
    config: &Value,
    input: &TeamAccessInput,
    bp: Option<&ClusterAccessBlueprint>,
    region: &str,
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
        "require_mfa",
        input.effective_require_mfa().into(),
    );
    if let Some(ci) = &input.ci_oidc {
        let mut block = config.attr("ci_oidc").clone();
        set_attr(&mut block, "audience", ci.audience.clone().into());
        set_attr(
            &mut block,
            "allow_subject_wildcards",
            ci.allow_subject_wildcards.into(),
        );
        set_attr(&mut state, "ci_oidc", block);
    }
    set_attr(
        &mut state,
        "max_session_duration",
        input.effective_max_session_duration().into(),
    );
    set_attr(&mut state, "role_path", input.effective_role_path().into());
    set_attr(&mut state, "id", input.import_id().into());
    if config.attr("kubernetes_username").is_null() {
        set_attr(
            &mut state,
            "kubernetes_username",
            prior_or_unknown("kubernetes_username"),
        );
    }
    set_attr(&mut state, "role_id", prior_or_unknown("role_id"));
    set_attr(
        &mut state,
        "access_entry_arn",
        prior_or_unknown("access_entry_arn"),
    );
    match bp {
        Some(bp) => {
            set_attr(&mut state, "role_name", bp.role.name.clone().into());
            set_attr(&mut state, "role_arn", bp.role.arn.clone().into());
            set_attr(&mut state, "tags_all", map_value(&bp.role.tags));
            set_attr(
                &mut state,
                "access_policy_associations",
                map_value(&planned_associations(bp)),
            );
            let trust = redact_external_id(&bp.role.trust_policy, input.external_id.as_deref());
            let trust = if keep_prior {
                observed_trust(prior.attr("trust_policy"), &trust)
            } else {
                trust
            };
            set_attr(&mut state, "trust_policy", trust.into());
            set_attr(
                &mut state,
                "kubeconfig_command",
                cluster_access::kubeconfig_command(&input.cluster_name, region, &bp.role.arn)
                    .into(),
            );
        }
        None => {
            set_attr(&mut state, "role_name", input.effective_role_name().into());
            for attr in [
                "role_arn",
                "tags_all",
                "access_policy_associations",
                "trust_policy",
                "kubeconfig_command",
            ] {
                set_attr(&mut state, attr, prior_or_unknown(attr));
            }
        }
    }
    state
}

/// The state after apply: planned values, whatever is still unknown filled
/// from the blueprint.
pub fn settle(
    applied: &Value,
    bp: &ClusterAccessBlueprint,
    input: &TeamAccessInput,
    region: &str,
) -> Value {
    let mut state = applied.clone();
    let fill = |state: &mut Value, name: &str, v: Value| {
        if state.attr(name).is_unknown() {
            set_attr(state, name, v);
        }
    };
    fill(&mut state, "role_name", bp.role.name.clone().into());
    fill(&mut state, "role_arn", bp.role.arn.clone().into());
    fill(&mut state, "tags_all", map_value(&bp.role.tags));
    fill(
        &mut state,
        "access_policy_associations",
        map_value(&planned_associations(bp)),
    );
    fill(
        &mut state,
        "trust_policy",
        redact_external_id(&bp.role.trust_policy, input.external_id.as_deref()).into(),
    );
    fill(
        &mut state,
        "kubeconfig_command",
        cluster_access::kubeconfig_command(&input.cluster_name, region, &bp.role.arn).into(),
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
    let importing = current.attr("trust_policy").is_null();
    let role = &observed.role;
    let mut state = current.clone();
    let f = facts(&role.trust_policy);
    if importing {
        if let Some(provider_arn) = &f.federated {
            let subjects = Value::Set(f.subjects.iter().map(|s| Value::from(s.as_str())).collect());
            set_attr(
                &mut state,
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
                &mut state,
                "principal_arns",
                optional_set(&Value::Null, &f.principal_arns),
            );
        }
        set_attr(&mut state, "require_mfa", f.mfa.into());
        set_attr(
            &mut state,
            "external_id",
            Value::opt_string(f.external_id.clone()),
        );
        set_attr(
            &mut state,
            "principal_org_id",
            Value::opt_string(f.principal_org_id.clone()),
        );
        let (level, arns, namespaces) = access_of(&observed.associations);
        match level {
            Some(l) => set_attr(&mut state, "access_level", l.as_str().into()),
            None => set_attr(
                &mut state,
                "access_policy_arns",
                optional_set(&Value::Null, &arns),
            ),
        }
        set_attr(&mut state, "namespaces", namespaces);
    }
    let external_id = state.attr("external_id").as_str().map(str::to_owned);
    let trust = redact_external_id(&role.trust_policy, external_id.as_deref());
    refresh_common(&mut state, current, &observed, &trust, provider);
    set_attr(
        &mut state,
        "description",
        Value::opt_string(role.description.clone().filter(|d| !d.is_empty())),
    );
    set_attr(
        &mut state,
        "kubeconfig_command",
        cluster_access::kubeconfig_command(&cluster, provider.clients.region(), &role.arn).into(),
    );
    if let Some(entry) = &observed.entry {
        set_attr(
            &mut state,
            "kubernetes_groups",
            optional_set(current.attr("kubernetes_groups"), &entry.kubernetes_groups),
        );
        set_attr(
            &mut state,
            "kubernetes_username",
            Value::opt_string(entry.username.clone()),
        );
    }
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
