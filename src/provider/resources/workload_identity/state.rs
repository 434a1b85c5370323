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
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

use super::super::super::context::{aws_diagnostic, Configured};
use super::super::values::{
    map_value, opt_string, optional_map, optional_set, set_attr, sparse_state, string_map,
    string_set, unknowns_to_null, user_tags,
};

const INPUTS: [&str; 15] = [
    "cluster_name",
    "namespace",
    "service_account",
    "mechanism",
    "role_name",
    "role_path",
    "description",
    "policy_arns",
    "inline_policies",
    "permissions_boundary",
    "max_session_duration",
    "oidc_provider_arn",
    "audience",
    "target_role_arn",
    "tags",
];
const COMPUTED: [&str; 8] = [
    "tags_all",
    "id",
    "role_arn",
    "role_id",
    "trust_policy",
    "association_id",
    "association_arn",
    "service_account_annotations",
];
/// Inline policies the blueprint generates (the two-role pattern) carry this
/// prefix; they are the provider's, not the user's `inline_policies`.
const GENERATED_POLICY_PREFIX: &str = "eksrole-";

/// The intent input from a config (or planned) value; `Ok(None)` while any
/// input is unknown.
pub fn input(v: &Value) -> Result<Option<WorkloadIdentityInput>, Diagnostics> {
    if INPUTS.iter().any(|name| !v.attr(name).is_wholly_known()) {
        return Ok(None);
    }
    let mut diags = Diagnostics::default();
    let mechanism = match v.attr("mechanism").as_str().map(Mechanism::parse) {
        None => Mechanism::default(),
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            diags.push(
                Diagnostic::error("Invalid mechanism", format!("{e}."))
                    .at(AttributePath::root("mechanism")),
            );
            Mechanism::default()
        }
    };
    let duration = v.attr("max_session_duration");
    let max_session_duration = match (duration.is_null(), duration.as_i64()) {
        (true, _) => None,
        (false, Some(n)) => Some(n),
        (false, None) => {
            diags.push(
                Diagnostic::error(
                    "Invalid max_session_duration",
                    "`max_session_duration` is a whole number of seconds from 3600 to 43200.",
                )
                .at(AttributePath::root("max_session_duration")),
            );
            None
        }
    };
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Some(WorkloadIdentityInput {
        cluster_name: opt_string(v, "cluster_name").unwrap_or_default(),
        namespace: opt_string(v, "namespace").unwrap_or_default(),
        service_account: opt_string(v, "service_account").unwrap_or_default(),
        mechanism,
        role_name: opt_string(v, "role_name"),
        role_path: opt_string(v, "role_path"),
        description: opt_string(v, "description"),
        policy_arns: string_set(v, "policy_arns"),
        inline_policies: string_map(v, "inline_policies"),
        permissions_boundary: opt_string(v, "permissions_boundary"),
        max_session_duration,
        oidc_provider_arn: opt_string(v, "oidc_provider_arn"),
        audience: opt_string(v, "audience"),
        target_role_arn: opt_string(v, "target_role_arn"),
        tags: string_map(v, "tags"),
    }))
}

/// The plan while some input is unknown: config values as given, everything
/// computed known only after apply.
pub fn planned_unknown(proposed: &Value) -> Value {
    let mut state = proposed.clone();
    for name in COMPUTED {
        set_attr(&mut state, name, Value::Unknown);
    }
    for name in [
        "mechanism",
        "role_name",
        "role_path",
        "max_session_duration",
        "oidc_provider_arn",
        "audience",
    ] {
        if proposed.attr(name).is_null() {
            set_attr(&mut state, name, Value::Unknown);
        }
    }
    state
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
    let irsa = input.mechanism == Mechanism::Irsa;
    set_attr(&mut state, "mechanism", input.mechanism.as_str().into());
    set_attr(&mut state, "role_path", input.effective_role_path().into());
    set_attr(
        &mut state,
        "max_session_duration",
        input.effective_max_session_duration().into(),
    );
    set_attr(&mut state, "id", input.import_id().into());
    set_attr(&mut state, "role_id", prior_or_unknown("role_id"));
    if irsa {
        set_attr(&mut state, "audience", input.effective_audience().into());
        let provider_arn = match bp {
            Some(bp) => bp.oidc_provider_arn.clone(),
            None => input.oidc_provider_arn.clone(),
        };
        set_attr(
            &mut state,
            "oidc_provider_arn",
            provider_arn.map_or(Value::Unknown, Value::from),
        );
        set_attr(&mut state, "association_id", Value::Null);
        set_attr(&mut state, "association_arn", Value::Null);
    } else {
        set_attr(&mut state, "audience", config.attr("audience").clone());
        set_attr(
            &mut state,
            "oidc_provider_arn",
            config.attr("oidc_provider_arn").clone(),
        );
        set_attr(
            &mut state,
            "association_id",
            prior_or_unknown("association_id"),
        );
        set_attr(
            &mut state,
            "association_arn",
            prior_or_unknown("association_arn"),
        );
    }
    match bp {
        Some(bp) => {
            set_attr(&mut state, "role_name", bp.role.name.clone().into());
            set_attr(&mut state, "role_arn", bp.role.arn.clone().into());
            set_attr(&mut state, "tags_all", map_value(&bp.role.tags));
            set_attr(
                &mut state,
                "service_account_annotations",
                map_value(&bp.service_account_annotations),
            );
            let prior_trust = prior.attr("trust_policy").as_str();
            let trust = match prior_trust {
                Some(t) if keep_prior && policies_equivalent(t, &bp.role.trust_policy) => {
                    t.to_owned()
                }
                _ => bp.role.trust_policy.clone(),
            };
            set_attr(&mut state, "trust_policy", trust.into());
        }
        None => {
            set_attr(&mut state, "role_name", input.effective_role_name().into());
            for attr in [
                "role_arn",
                "tags_all",
                "service_account_annotations",
                "trust_policy",
            ] {
                set_attr(&mut state, attr, prior_or_unknown(attr));
            }
        }
    }
    state
}

/// The state after a successful apply: the planned values, with whatever was
/// still unknown filled from the blueprint.
pub fn settle(applied: &Value, bp: &WorkloadIdentityBlueprint) -> Value {
    let mut state = applied.clone();
    let fill = |state: &mut Value, name: &str, v: Value| {
        if state.attr(name).is_unknown() {
            set_attr(state, name, v);
        }
    };
    fill(&mut state, "role_name", bp.role.name.clone().into());
    fill(&mut state, "role_arn", bp.role.arn.clone().into());
    fill(
        &mut state,
        "trust_policy",
        bp.role.trust_policy.clone().into(),
    );
    fill(&mut state, "tags_all", map_value(&bp.role.tags));
    fill(
        &mut state,
        "service_account_annotations",
        map_value(&bp.service_account_annotations),
    );
    if let Some(arn) = &bp.oidc_provider_arn {
        fill(&mut state, "oidc_provider_arn", arn.clone().into());
    }
    unknowns_to_null(&state)
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
    let id = intent::import_id(cluster, namespace, service_account);
    let mut known = vec![
        ("cluster_name", cluster),
        ("namespace", namespace),
        ("service_account", service_account),
        ("role_name", role_name.as_str()),
        ("id", id.as_str()),
    ];
    if association.is_some() {
        known.push(("mechanism", Mechanism::PodIdentity.as_str()));
    }
    Ok(sparse_state(&super::schema::schema(), &known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_new_only_on_identity_changes() {
        let requires_replace = |p: &Value, n: &Value| {
            super::super::super::values::requires_replace(&super::super::schema::FORCE_NEW, p, n)
        };
        let prior = Value::object([
            ("cluster_name", "c".into()),
            ("namespace", "a".into()),
            ("description", "x".into()),
        ]);
        let same = prior.clone();
        assert!(requires_replace(&prior, &same).is_empty());
        let moved = Value::object([
            ("cluster_name", "c".into()),
            ("namespace", "b".into()),
            ("description", "y".into()),
        ]);
        assert_eq!(
            requires_replace(&prior, &moved),
            vec![AttributePath::root("namespace")]
        );
        assert!(requires_replace(&Value::Null, &moved).is_empty());
    }
}
