//! Values of `eksrole_workload_identity`: config → intent input, the planned
//! state, and the state refreshed from what exists in AWS.

use std::collections::BTreeMap;

use crate::apply::workload_identity::{Imported, Observed, Reconciled, ServiceAccount};
use crate::apply::Outcome;
use crate::intent::policy_json::{canonical_json, jsonencode_style, policies_equivalent};
use crate::intent::tags::carried_by_both;
use crate::intent::trust_read::{
    audience_of_trust, oidc_provider_of_trust, target_of_assume_policy,
};
use crate::intent::workload_identity::{
    self as intent, Mechanism, TargetTrustFor, WorkloadIdentityBlueprint, WorkloadIdentityInput,
};
use crate::tfplugin::model::Attr;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};

use super::super::model::WorkloadIdentityModel;
use super::super::values::{
    map_value, optional_map, optional_set, parse_attr, set_attr, string_map, unknowns_to_null,
    user_tags,
};
use super::super::Applied;
use super::step_diagnostic;

/// Inline policies the blueprint generates (the two-role pattern) carry this
/// prefix; they are the provider's, not the user's `inline_policies`.
const GENERATED_POLICY_PREFIX: &str = "eksrole-";

/// The intent input from a config (or planned) value whose inputs are known.
pub fn input(v: &Value) -> Result<WorkloadIdentityInput, Diagnostics> {
    let m = WorkloadIdentityModel::from_value(v)?;
    let mechanism = parse_attr(
        &m.mechanism,
        "mechanism",
        "Invalid mechanism",
        Mechanism::parse,
    )?;
    Ok(WorkloadIdentityInput {
        cluster_name: m.cluster_name.or_default(),
        namespace: m.namespace.or_default(),
        service_account: m.service_account.or_default(),
        mechanism: mechanism.unwrap_or_default(),
        role_name: m.role_name.value(),
        role_path: m.role_path.value(),
        description: m.description.value(),
        policy_arns: m.policy_arns.or_default(),
        inline_policies: m.inline_policies.or_default(),
        permissions_boundary: m.permissions_boundary.value(),
        max_session_duration: m.max_session_duration.value(),
        oidc_provider_arn: m.oidc_provider_arn.value(),
        audience: m.audience.value(),
        target_role_arn: m.target_role_arn.value(),
        disable_session_tags: m.disable_session_tags.value().unwrap_or(false),
        session_policy: m.session_policy.value(),
        tags: m.tags.or_default(),
    })
}

/// The planned state: config values, defaults, and everything the blueprint
/// knows (role ARN and name, trust policy, tags); IDs AWS assigns stay as
/// they were, or unknown for new objects.
pub fn planned(
    proposed: &Value,
    prior: &Value,
    config: &Value,
    input: &WorkloadIdentityInput,
    bp: Option<&WorkloadIdentityBlueprint>,
    replacing: bool,
) -> Result<Value, Diagnostics> {
    let mut m = WorkloadIdentityModel::from_value(proposed)?;
    let config = WorkloadIdentityModel::from_value(config)?;
    // What AWS assigned stays while the object does; a new object gets new values.
    let kept = if prior.is_null() || replacing {
        WorkloadIdentityModel::default()
    } else {
        WorkloadIdentityModel::from_value(prior)?
    };
    m.mechanism = Attr::Known(input.mechanism.as_str().to_owned());
    m.role_path = Attr::Known(input.effective_role_path());
    m.max_session_duration = Attr::Known(input.effective_max_session_duration());
    m.id = Attr::Known(input.import_id());
    m.role_id = kept.role_id.or_unknown();
    m.disable_session_tags = Attr::Known(input.disable_session_tags);
    // EKS assigns the external ID with the target role: kept while the
    // target role stays, unknown for a new one.
    let has_target = input.mechanism == Mechanism::PodIdentity && input.target_role_arn.is_some();
    let same_target = kept.target_role_arn.get() == input.target_role_arn.as_ref();
    m.external_id = match (has_target, same_target) {
        (false, _) => Attr::Null,
        (true, true) => kept.external_id.or_unknown(),
        (true, false) => Attr::Unknown,
    };
    if input.mechanism == Mechanism::Irsa {
        m.audience = Attr::Known(input.effective_audience());
        // Explicit, or derived from the cluster's issuer by the live checks.
        let provider_arn = match bp {
            Some(bp) => bp.oidc_provider_arn.clone(),
            None => input.oidc_provider_arn.clone(),
        };
        m.oidc_provider_arn = provider_arn.map_or(Attr::Unknown, Attr::Known);
        m.association_id = Attr::Null;
        m.association_arn = Attr::Null;
    } else {
        m.audience = config.audience;
        m.oidc_provider_arn = config.oidc_provider_arn;
        m.association_id = kept.association_id.or_unknown();
        m.association_arn = kept.association_arn.or_unknown();
    }
    match bp {
        Some(bp) => {
            m.role_name = Attr::Known(bp.role.name.clone());
            m.role_arn = Attr::Known(bp.role.arn.clone());
            m.tags_all = Attr::Known(bp.role.tags.clone());
            m.service_account_annotations = Attr::Known(bp.service_account_annotations.clone());
            let trust = match kept.trust_policy.get() {
                Some(t) if policies_equivalent(t, &bp.role.trust_policy) => t.clone(),
                _ => bp.role.trust_policy.clone(),
            };
            m.trust_policy = Attr::Known(trust);
            m.target_role_trust_policy = match (has_target, m.external_id.get()) {
                (false, _) => Attr::Null,
                (true, id) => bp
                    .target_role_trust_policy(id.map(String::as_str))
                    .map_or(Attr::Unknown, Attr::Known),
            };
        }
        None => {
            m.role_name = Attr::Known(input.effective_role_name());
            m.role_arn = kept.role_arn.or_unknown();
            m.tags_all = kept.tags_all.or_unknown();
            m.service_account_annotations = kept.service_account_annotations.or_unknown();
            m.trust_policy = kept.trust_policy.or_unknown();
            let unchanged =
                same_target && kept.disable_session_tags.get() == Some(&input.disable_session_tags);
            m.target_role_trust_policy = match (has_target, unchanged) {
                (false, _) => Attr::Null,
                (true, true) => kept.target_role_trust_policy.or_unknown(),
                (true, false) => Attr::Unknown,
            };
        }
    }
    Ok(m.to_value())
}

/// The state after a successful apply: the planned values, with whatever was
/// still unknown filled from the blueprint.
pub fn settle(applied: &Value, bp: &WorkloadIdentityBlueprint) -> Result<Value, Diagnostics> {
    let mut m = WorkloadIdentityModel::from_value(applied)?;
    m.role_name.fill(bp.role.name.clone());
    m.role_arn.fill(bp.role.arn.clone());
    m.trust_policy.fill(bp.role.trust_policy.clone());
    m.tags_all.fill(bp.role.tags.clone());
    m.service_account_annotations
        .fill(bp.service_account_annotations.clone());
    if let Some(arn) = &bp.oidc_provider_arn {
        m.oidc_provider_arn.fill(arn.clone());
    }
    if let Some(trust) = bp.target_role_trust_policy(m.external_id.get().map(String::as_str)) {
        m.target_role_trust_policy.fill(trust);
    }
    Ok(unknowns_to_null(&m.to_value()))
}

/// The state after an apply: the planned values with what AWS assigned, or
/// after a failure the partial state that lets destroy remove what exists
/// (null when nothing does and nothing did before).
pub fn applied(prior: &Value, planned: &Value, outcome: Outcome<Reconciled>) -> Applied {
    let mut diagnostics = Diagnostics::default();
    if let Some(e) = outcome.error {
        diagnostics.push(step_diagnostic(e));
    }
    let observed = outcome.observed;
    let mut state = planned.clone();
    match &observed.role {
        Some(role) => {
            set_attr(&mut state, "role_id", role.role_id.clone().into());
            set_attr(&mut state, "role_arn", role.arn.clone().into());
        }
        None if !observed.role_exists && prior.is_null() => state = Value::Null,
        None => {}
    }
    if diagnostics.has_errors() {
        return Applied {
            state: unknowns_to_null(&state),
            diagnostics,
            ..Default::default()
        };
    }
    let association = observed.association;
    set_attr(
        &mut state,
        "association_id",
        Value::opt_string(association.as_ref().map(|a| a.association_id.clone())),
    );
    set_attr(
        &mut state,
        "external_id",
        Value::opt_string(association.as_ref().and_then(|a| a.external_id.clone())),
    );
    set_attr(
        &mut state,
        "association_arn",
        Value::opt_string(association.map(|a| a.association_arn)),
    );
    Applied {
        state,
        diagnostics,
        ..Default::default()
    }
}

/// The service account a state is for.
pub fn service_account(v: &Value) -> ServiceAccount<'_> {
    let attr = |name| v.attr(name).as_str().unwrap_or_default();
    ServiceAccount {
        cluster: attr("cluster_name"),
        namespace: attr("namespace"),
        name: attr("service_account"),
    }
}

/// The state refreshed from what exists in AWS.
pub fn refreshed(
    current: &Value,
    observed: &Observed,
    default_tags: &BTreeMap<String, String>,
) -> Value {
    let role = &observed.role;
    let sa = service_account(current);
    let mut state = current.clone();
    set_attr(&mut state, "mechanism", observed.mechanism.as_str().into());
    set_attr(
        &mut state,
        "id",
        intent::import_id(sa.cluster, sa.namespace, sa.name).into(),
    );
    set_attr(&mut state, "role_arn", role.arn.clone().into());
    set_attr(&mut state, "role_id", role.role_id.clone().into());
    set_attr(&mut state, "role_path", role.path.clone().into());
    set_attr(
        &mut state,
        "max_session_duration",
        role.max_session_duration.into(),
    );
    set_attr(
        &mut state,
        "description",
        Value::opt_string(role.description.clone().filter(|d| !d.is_empty())),
    );
    set_attr(
        &mut state,
        "permissions_boundary",
        Value::opt_string(role.permissions_boundary.clone()),
    );
    set_attr(
        &mut state,
        "policy_arns",
        optional_set(current.attr("policy_arns"), &observed.attached_policy_arns),
    );
    let trust = match current.attr("trust_policy").as_str() {
        Some(t) if policies_equivalent(t, &role.trust_policy) => t.to_owned(),
        _ => canonical_json(&role.trust_policy).unwrap_or_else(|_| role.trust_policy.clone()),
    };
    set_attr(&mut state, "trust_policy", trust.into());
    let (inline, generated_target) = inline_policies(current, &observed.inline_policies);
    set_attr(
        &mut state,
        "inline_policies",
        optional_map(current.attr("inline_policies"), &inline),
    );
    set_attr(
        &mut state,
        "tags",
        user_tags(&role.tags, current, default_tags),
    );
    // The association in state is tagged like the role (apply adds what it lacks).
    let association_tags = match (&observed.mechanism, &observed.association) {
        (Mechanism::PodIdentity, Some(a)) if a.role_arn == role.arn && a.owner_arn.is_none() => {
            Some(&a.tags)
        }
        _ => None,
    };
    let tags_all = carried_by_both(&role.tags, association_tags);
    set_attr(&mut state, "tags_all", map_value(&tags_all));
    match observed.mechanism {
        Mechanism::Irsa => refreshed_irsa(&mut state, observed, generated_target),
        Mechanism::PodIdentity => refreshed_pod_identity(&mut state, observed),
    }
    state
}

/// The user's inline policies (the prior text while equivalent, so
/// formatting shows no diff), and the target role of the generated
/// "assume the target" policy, if any.
fn inline_policies(
    current: &Value,
    docs: &[(String, Option<String>)],
) -> (BTreeMap<String, String>, Option<String>) {
    let prior_inline = string_map(current, "inline_policies");
    let mut inline = BTreeMap::new();
    let mut generated_target = None;
    for (name, doc) in docs {
        let Some(doc) = doc else { continue };
        if name.starts_with(GENERATED_POLICY_PREFIX) {
            generated_target = generated_target.or_else(|| target_of_assume_policy(doc));
            continue;
        }
        let value = match prior_inline.get(name) {
            Some(p) if policies_equivalent(p, doc) => p.clone(),
            _ => jsonencode_style(doc).unwrap_or_else(|| doc.clone()),
        };
        inline.insert(name.clone(), value);
    }
    (inline, generated_target)
}

/// IRSA: the OIDC provider and audience the trust policy names, the target
/// role from the generated policy, no association, and the annotation.
fn refreshed_irsa(state: &mut Value, observed: &Observed, generated_target: Option<String>) {
    let role = &observed.role;
    if let Some(arn) = oidc_provider_of_trust(&role.trust_policy) {
        set_attr(state, "oidc_provider_arn", arn.into());
        if let Some(aud) = audience_of_trust(&role.trust_policy) {
            set_attr(state, "audience", aud.into());
        }
    }
    set_attr(
        state,
        "target_role_arn",
        Value::opt_string(generated_target),
    );
    set_attr(state, "association_id", Value::Null);
    set_attr(state, "association_arn", Value::Null);
    // No association: none of its settings (what the plan says for IRSA).
    set_attr(state, "disable_session_tags", false.into());
    for name in ["session_policy", "external_id", "target_role_trust_policy"] {
        set_attr(state, name, Value::Null);
    }
    let annotations = BTreeMap::from([(intent::ROLE_ARN_ANNOTATION.to_owned(), role.arn.clone())]);
    set_attr(
        state,
        "service_account_annotations",
        map_value(&annotations),
    );
}

/// Pod Identity: the association while it points at this role (one that
/// points at another role is drift: plan re-associates it), its session
/// settings and target role as EKS has them, no annotation.
fn refreshed_pod_identity(state: &mut Value, observed: &Observed) {
    match &observed.association {
        Some(a) if a.role_arn == observed.role.arn => {
            set_attr(state, "association_id", a.association_id.clone().into());
            set_attr(state, "association_arn", a.association_arn.clone().into());
            set_attr(
                state,
                "target_role_arn",
                Value::opt_string(a.target_role_arn.clone()),
            );
            set_attr(state, "disable_session_tags", a.disable_session_tags.into());
            let policy = a
                .policy
                .as_ref()
                .map(|doc| match state.attr("session_policy").as_str() {
                    Some(p) if policies_equivalent(p, doc) => p.to_owned(),
                    _ => jsonencode_style(doc).unwrap_or_else(|| doc.clone()),
                });
            set_attr(state, "session_policy", Value::opt_string(policy));
            let external_id = a.target_role_arn.as_ref().and(a.external_id.clone());
            set_attr(state, "external_id", Value::opt_string(external_id.clone()));
            let trust = target_trust_of(observed, external_id.as_deref());
            set_attr(state, "target_role_trust_policy", Value::opt_string(trust));
        }
        _ => {
            set_attr(state, "association_id", Value::Null);
            set_attr(state, "association_arn", Value::Null);
        }
    }
    set_attr(
        state,
        "service_account_annotations",
        Value::Map(BTreeMap::new()),
    );
}

/// The target role's trust for the association as it exists (the cluster's
/// ARN is the association's with its last two parts replaced).
fn target_trust_of(observed: &Observed, external_id: Option<&str>) -> Option<String> {
    let a = observed.association.as_ref()?;
    a.target_role_arn.as_ref()?;
    let (prefix, _) = a.association_arn.split_once(":podidentityassociation/")?;
    let cluster_arn = format!("{prefix}:cluster/{}", a.cluster_name);
    intent::target_role_trust_policy(&TargetTrustFor {
        pod_role_arn: &observed.role.arn,
        cluster_arn: &cluster_arn,
        namespace: &a.namespace,
        service_account: &a.service_account,
        disable_session_tags: a.disable_session_tags,
        external_id,
    })
}

/// The state an import starts from (Read completes it), or why there is
/// nothing to import.
pub fn imported(sa: ServiceAccount<'_>, found: Imported) -> Result<Value, Diagnostics> {
    let ServiceAccount {
        cluster,
        namespace,
        name: service_account,
    } = sa;
    let role_name = found.role_name;
    if !found.role_exists {
        return Err(Diagnostic::error(
            "Nothing to import",
            format!(
                "No Pod Identity association exists for {namespace}/{service_account} on cluster {cluster:?}, and no IAM role named {role_name:?} \
                 (the default name) exists. Check the ID `cluster/namespace/service_account`."
            ),
        )
        .into());
    }
    let state = WorkloadIdentityModel {
        cluster_name: Attr::Known(cluster.to_owned()),
        namespace: Attr::Known(namespace.to_owned()),
        service_account: Attr::Known(service_account.to_owned()),
        role_name: Attr::Known(role_name),
        id: Attr::Known(intent::import_id(cluster, namespace, service_account)),
        // An association says Pod Identity; without one Read decides from the trust policy.
        mechanism: found
            .association
            .map(|_| Mechanism::PodIdentity.as_str().to_owned())
            .into(),
        ..Default::default()
    };
    Ok(state.to_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> WorkloadIdentityModel {
        WorkloadIdentityModel {
            cluster_name: Attr::Known("c".into()),
            namespace: Attr::Known("n".into()),
            service_account: Attr::Known("s".into()),
            ..Default::default()
        }
    }

    #[test]
    fn config_becomes_the_intent_input() {
        let input = input(&config().to_value()).unwrap();
        assert_eq!(input, WorkloadIdentityInput::new("c", "n", "s"));
        let kiam = WorkloadIdentityModel {
            mechanism: Attr::Known("kiam".into()),
            ..config()
        };
        let diags = super::input(&kiam.to_value()).unwrap_err();
        let d = diags.iter().next().unwrap();
        assert_eq!(d.summary, "Invalid mechanism");
        assert_eq!(
            d.path,
            Some(crate::tfplugin::AttributePath::root("mechanism"))
        );
    }

    #[test]
    fn irsa_plan_without_live_checks() {
        let v = WorkloadIdentityModel {
            mechanism: Attr::Known("irsa".into()),
            ..config()
        }
        .to_value();
        let input = input(&v).unwrap();
        let p = planned(&v, &Value::Null, &v, &input, None, false).unwrap();
        let p = WorkloadIdentityModel::from_value(&p).unwrap();
        assert_eq!(p.audience, Attr::Known(intent::DEFAULT_AUDIENCE.into()));
        assert!(
            p.oidc_provider_arn.is_unknown(),
            "derived from the cluster at apply"
        );
        assert!(p.association_id.is_null() && p.association_arn.is_null());
        assert_eq!(p.role_path, Attr::Known("/".into()));
        assert_eq!(p.max_session_duration, Attr::Known(3600));
        assert_eq!(p.id, Attr::Known("c/n/s".into()));
        assert_eq!(
            p.role_name,
            Attr::Known(intent::default_role_name("c", "n", "s"))
        );
        assert!(p.role_arn.is_unknown() && p.trust_policy.is_unknown());
    }
}
