//! Values of `eksrole_team_access`: config → intent input, the planned state,
//! and the state refreshed from the role and access entry that exist.

use crate::apply::cluster_access::Observed;
use crate::intent::access_entry::{access_of, AccessLevel};
use crate::intent::cluster_access::{self, ClusterAccessBlueprint};
use crate::intent::team_access::{CiOidc, TeamAccessInput, DEFAULT_CI_AUDIENCE};
use crate::intent::trust_read::{facts, redact_external_id};
use crate::tfplugin::model::Attr;
use crate::tfplugin::{Diagnostics, Value};

use super::super::super::context::Configured;
use super::super::cluster_access::{
    observed_trust, planned_associations, refresh_common, Planning,
};
use super::super::model::{CiOidcModel, TeamAccessModel};
use super::super::values::{optional_set, parse_attr, set_attr, unknowns_to_null};

/// The intent input from a config (or planned) value whose inputs are known.
pub fn input(v: &Value) -> Result<TeamAccessInput, Diagnostics> {
    let m = TeamAccessModel::from_value(v)?;
    let access_level = parse_attr(
        &m.access_level,
        "access_level",
        "Invalid access level",
        AccessLevel::parse,
    )?;
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

/// The planned state: config values, the intent's defaults, and everything
/// the blueprint knows; what AWS assigns stays as it was, or unknown for a
/// new object.
pub fn planned(
    plan: &Planning<'_>,
    input: &TeamAccessInput,
    bp: Option<&ClusterAccessBlueprint>,
) -> Result<Value, Diagnostics> {
    let mut m = TeamAccessModel::from_value(plan.proposed)?;
    let config = TeamAccessModel::from_value(plan.config)?;
    let keep_prior = !plan.prior.is_null() && !plan.replacing;
    let kept = if keep_prior {
        TeamAccessModel::from_value(plan.prior)?
    } else {
        TeamAccessModel::default()
    };
    m.require_mfa = Attr::Known(input.effective_require_mfa());
    if let (Some(ci), Attr::Known(block)) = (&input.ci_oidc, &config.ci_oidc) {
        m.ci_oidc = Attr::Known(CiOidcModel {
            audience: Attr::Known(ci.audience.clone()),
            allow_subject_wildcards: Attr::Known(ci.allow_subject_wildcards),
            ..block.clone()
        });
    }
    m.max_session_duration = Attr::Known(input.effective_max_session_duration());
    m.role_path = Attr::Known(input.effective_role_path());
    m.id = Attr::Known(input.import_id());
    if config.kubernetes_username.is_null() {
        m.kubernetes_username = kept.kubernetes_username.or_unknown();
    }
    m.role_id = kept.role_id.or_unknown();
    m.access_entry_arn = kept.access_entry_arn.or_unknown();
    match bp {
        Some(bp) => {
            m.role_name = Attr::Known(bp.role.name.clone());
            m.role_arn = Attr::Known(bp.role.arn.clone());
            m.tags_all = Attr::Known(bp.role.tags.clone());
            m.access_policy_associations = Attr::Known(planned_associations(bp));
            let trust = redact_external_id(&bp.role.trust_policy, input.external_id.as_deref());
            m.trust_policy = Attr::Known(if keep_prior {
                observed_trust(&kept.trust_policy.to_value(), &trust)
            } else {
                trust
            });
            m.kubeconfig_command = Attr::Known(cluster_access::kubeconfig_command(
                &input.cluster_name,
                plan.region,
                &bp.role.arn,
            ));
        }
        None => {
            m.role_name = Attr::Known(input.effective_role_name());
            m.role_arn = kept.role_arn.or_unknown();
            m.tags_all = kept.tags_all.or_unknown();
            m.access_policy_associations = kept.access_policy_associations.or_unknown();
            m.trust_policy = kept.trust_policy.or_unknown();
            m.kubeconfig_command = kept.kubeconfig_command.or_unknown();
        }
    }
    Ok(m.to_value())
}

/// The state after apply: planned values, whatever is still unknown filled
/// from the blueprint.
pub fn settle(
    applied: &Value,
    bp: &ClusterAccessBlueprint,
    input: &TeamAccessInput,
    region: &str,
) -> Result<Value, Diagnostics> {
    let mut m = TeamAccessModel::from_value(applied)?;
    m.role_name.fill(bp.role.name.clone());
    m.role_arn.fill(bp.role.arn.clone());
    m.tags_all.fill(bp.role.tags.clone());
    m.access_policy_associations.fill(planned_associations(bp));
    m.trust_policy.fill(redact_external_id(
        &bp.role.trust_policy,
        input.external_id.as_deref(),
    ));
    m.kubeconfig_command
        .fill(cluster_access::kubeconfig_command(
            &input.cluster_name,
            region,
            &bp.role.arn,
        ));
    Ok(unknowns_to_null(&m.to_value()))
}

/// The state refreshed from the role and entry that exist. An imported
/// state (no trust policy yet) gets its inputs from them.
pub fn refresh(current: &Value, observed: &Observed, provider: &Configured) -> Value {
    let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
    let role = &observed.role;
    let mut state = current.clone();
    if current.attr("trust_policy").is_null() {
        imported_inputs(&mut state, observed);
    }
    let external_id = state.attr("external_id").as_str().map(str::to_owned);
    let trust = redact_external_id(&role.trust_policy, external_id.as_deref());
    refresh_common(&mut state, current, observed, &trust, provider);
    set_attr(
        &mut state,
        "description",
        Value::opt_string(role.description.clone().filter(|d| !d.is_empty())),
    );
    set_attr(
        &mut state,
        "kubeconfig_command",
        cluster_access::kubeconfig_command(cluster, provider.clients.region(), &role.arn).into(),
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
    state
}

/// The inputs of an imported access, read from the role's trust policy and
/// the entry's associations.
fn imported_inputs(state: &mut Value, observed: &Observed) {
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
    let access = access_of(&observed.associations);
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
