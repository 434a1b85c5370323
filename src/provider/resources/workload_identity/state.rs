//! Values of `eksrole_workload_identity`: config → intent input, the planned
//! state, and the state refreshed from what exists in AWS.

use std::collections::BTreeMap;

use crate::aws::{eks, iam};
use crate::intent::policy_json::{canonical_json, jsonencode_style, policies_equivalent};
use crate::intent::trust_read::{
    audience_of_trust, oidc_provider_of_trust, target_of_assume_policy,
};
use crate::intent::workload_identity::{
    self as intent, Mechanism, WorkloadIdentityBlueprint, WorkloadIdentityInput,
};
use crate::tfplugin::model::Attr;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};

use super::super::super::context::{aws_diagnostic, Configured};
use super::super::model::WorkloadIdentityModel;
use super::super::values::{
    map_value, optional_map, optional_set, parse_attr, set_attr, string_map, unknowns_to_null,
    user_tags,
};

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
        }
        None => {
            m.role_name = Attr::Known(input.effective_role_name());
            m.role_arn = kept.role_arn.or_unknown();
            m.tags_all = kept.tags_all.or_unknown();
            m.service_account_annotations = kept.service_account_annotations.or_unknown();
            m.trust_policy = kept.trust_policy.or_unknown();
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
    Ok(unknowns_to_null(&m.to_value()))
}

/// The state refreshed from AWS; null when the role is gone.
pub async fn refresh(provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
    let c = &provider.clients;
    let Some(role_name) = current.attr("role_name").as_str() else {
        return Ok(current.clone());
    };
    let cluster = current
        .attr("cluster_name")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let namespace = current
        .attr("namespace")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let service_account = current
        .attr("service_account")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let read_err = |what: &str, e: &crate::aws::AwsError| {
        Diagnostics::from(aws_diagnostic(&format!("Could not read the {what}"), e))
    };

    let Some(role) = iam::get_role(c, role_name)
        .await
        .map_err(|e| read_err("IAM role", &e))?
    else {
        return Ok(Value::Null);
    };
    let attached = iam::list_attached_role_policies(c, role_name);
    let inline_names = iam::list_role_policy_names(c, role_name);
    let (attached, inline_names) = tokio::join!(attached, inline_names);
    let attached = attached
        .map_err(|e| read_err("attached policies", &e))?
        .unwrap_or_default();
    let inline_names = inline_names
        .map_err(|e| read_err("inline policies", &e))?
        .unwrap_or_default();
    let docs = futures_util::future::try_join_all(inline_names.iter().map(|name| async move {
        Ok::<_, crate::aws::AwsError>((
            name.clone(),
            iam::get_role_policy(c, role_name, name).await?,
        ))
    }))
    .await
    .map_err(|e| read_err("inline policies", &e))?;

    let mut state = current.clone();
    let trust_is_irsa = oidc_provider_of_trust(&role.trust_policy).is_some();
    let mechanism = match current.attr("mechanism").as_str() {
        Some(m) => m.to_owned(),
        None if trust_is_irsa => Mechanism::Irsa.as_str().to_owned(),
        None => Mechanism::PodIdentity.as_str().to_owned(),
    };
    set_attr(&mut state, "mechanism", mechanism.clone().into());
    set_attr(
        &mut state,
        "id",
        intent::import_id(&cluster, &namespace, &service_account).into(),
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
        optional_set(current.attr("policy_arns"), &attached),
    );
    let trust = match current.attr("trust_policy").as_str() {
        Some(t) if policies_equivalent(t, &role.trust_policy) => t.to_owned(),
        _ => canonical_json(&role.trust_policy).unwrap_or_else(|_| role.trust_policy.clone()),
    };
    set_attr(&mut state, "trust_policy", trust.into());

    let prior_inline = string_map(current, "inline_policies");
    let mut inline = BTreeMap::new();
    let mut generated_target = None;
    for (name, doc) in docs {
        let Some(doc) = doc else { continue };
        if name.starts_with(GENERATED_POLICY_PREFIX) {
            generated_target = generated_target.or_else(|| target_of_assume_policy(&doc));
            continue;
        }
        let value = match prior_inline.get(&name) {
            Some(p) if policies_equivalent(p, &doc) => p.clone(),
            _ => jsonencode_style(&doc).unwrap_or(doc),
        };
        inline.insert(name, value);
    }
    set_attr(
        &mut state,
        "inline_policies",
        optional_map(current.attr("inline_policies"), &inline),
    );

    set_attr(
        &mut state,
        "tags",
        user_tags(&role.tags, current, &provider.settings.default_tags),
    );
    set_attr(&mut state, "tags_all", map_value(&role.tags));

    if mechanism == Mechanism::Irsa.as_str() {
        if let Some((arn, audience)) = oidc_provider_of_trust(&role.trust_policy)
            .map(|arn| (arn, audience_of_trust(&role.trust_policy)))
        {
            set_attr(&mut state, "oidc_provider_arn", arn.into());
            if let Some(aud) = audience {
                set_attr(&mut state, "audience", aud.into());
            }
        }
        set_attr(
            &mut state,
            "target_role_arn",
            Value::opt_string(generated_target),
        );
        set_attr(&mut state, "association_id", Value::Null);
        set_attr(&mut state, "association_arn", Value::Null);
        let annotations =
            BTreeMap::from([(intent::ROLE_ARN_ANNOTATION.to_owned(), role.arn.clone())]);
        set_attr(
            &mut state,
            "service_account_annotations",
            map_value(&annotations),
        );
    } else {
        let known_id = current.attr("association_id").as_str();
        let found =
            eks::find_pod_identity_association(c, &cluster, &namespace, &service_account, known_id)
                .await
                .map_err(|e| read_err("Pod Identity association", &e))?;
        match found {
            // An association that points at another role is drift: plan re-associates it.
            Some(a) if a.role_arn == role.arn => {
                set_attr(&mut state, "association_id", a.association_id.into());
                set_attr(&mut state, "association_arn", a.association_arn.into());
                set_attr(
                    &mut state,
                    "target_role_arn",
                    Value::opt_string(a.target_role_arn),
                );
            }
            _ => {
                set_attr(&mut state, "association_id", Value::Null);
                set_attr(&mut state, "association_arn", Value::Null);
            }
        }
        set_attr(
            &mut state,
            "service_account_annotations",
            Value::Map(BTreeMap::new()),
        );
    }
    Ok(state)
}

/// The state an import starts from; Read completes it.
pub async fn imported(
    provider: &Configured,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    role_name: Option<&str>,
) -> Result<Value, Diagnostics> {
    let c = &provider.clients;
    let association =
        eks::find_pod_identity_association(c, cluster, namespace, service_account, None)
            .await
            .map_err(|e| {
                Diagnostics::from(aws_diagnostic(
                    "Could not look up the Pod Identity association",
                    &e,
                ))
            })?;
    let role_name = match (role_name, &association) {
        (Some(name), _) => name.to_owned(),
        (None, Some(a)) => a.role_arn.rsplit('/').next().unwrap_or_default().to_owned(),
        (None, None) => intent::default_role_name(cluster, namespace, service_account),
    };
    let exists = iam::get_role(c, &role_name)
        .await
        .map_err(|e| Diagnostics::from(aws_diagnostic("Could not look up the IAM role", &e)))?;
    if exists.is_none() {
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
        mechanism: association
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
