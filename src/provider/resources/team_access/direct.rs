//! `eksrole_team_access` without a role (`create_role = false`): each
//! principal of `principal_arns` and each role IAM Identity Center made for
//! a permission set of `sso_permission_sets` gets its own access entry. Plan
//! resolves the permission sets and shows the entries in `access_entry_arns`
//! (principal ARN → entry ARN): a permission set re-provisioned under a new
//! role shows as its entry moving to the new principal. Apply, destroy and
//! refresh touch only the entries the state holds (`apply::cluster_access`
//! `apply_direct`, `delete_direct`, `observe_direct`).
//!
//! Import: `cluster/name/<principal ARN>[,<principal ARN>…]`; the imported
//! state holds each principal with an empty entry ARN, which refresh fills
//! with the principal's STANDARD entry.

use std::collections::BTreeMap;

use crate::apply::cluster_access::{
    apply_direct, delete_direct, observe_direct, DirectEntries, ObservedDirectEntry,
};
use crate::intent::cluster_access::import_id;
use crate::intent::team_access::direct::{
    direct_blueprint, is_identity_center_role_arn, kubeconfig_command, parse_direct_import_id,
    permission_set_of_role, resolve_permission_sets, DirectBlueprint,
};
use crate::intent::team_access::TeamAccessInput;
use crate::intent::Validated;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};
use crate::validate::cluster_access::direct_live_checks;

use super::super::super::context::Configured;
use super::super::cluster_access::{imported, settled_or_failed};
use super::super::model::TeamAccessModel;
use super::super::values::{
    map_value, optional_map, optional_set, set_attr, string_map, user_tags,
};
use super::super::{
    apply_inputs, begin_plan, env, failed, finish_plan, step_diagnostic, validated, Applied,
    Planned,
};
use super::state::imported_access;
use super::{AccessIntent, RoleTeamAccess};

/// The attributes that belong to the role: null without one.
const ROLE_ATTRIBUTES: [&str; 9] = [
    "require_mfa",
    "max_session_duration",
    "role_name",
    "role_path",
    "role_arn",
    "role_id",
    "access_entry_arn",
    "trust_policy",
    "ci_oidc",
];

/// The entries the prior state holds (principal → entry ARN).
fn held(prior: &Value) -> DirectEntries {
    string_map(prior, "access_entry_arns")
}

/// Plans a team access without a role: the static checks, then (live
/// checks on) the permission sets resolved, the principals' existing
/// entries judged, and the entries' blueprint.
pub async fn plan(
    provider: &Configured,
    prior: &Value,
    prior_private: &[u8],
    proposed: &Value,
    config: &Value,
) -> Planned {
    let spec = RoleTeamAccess::SPEC;
    let start = match begin_plan(&spec, provider, (prior, prior_private), proposed, config).await {
        Ok(start) => start,
        Err(stopped) => {
            // Static errors: the live problems of the refused input too, so
            // one plan reports every problem (see `Stopped`).
            let mut planned = stopped.planned;
            if let Some(u) = stopped.unchecked {
                let found = direct_live_checks(
                    &provider.lookups,
                    &provider.clients,
                    &u.input,
                    &u.account,
                    &held(prior),
                )
                .await;
                let problems = u.relevant(found.problems);
                planned.diagnostics.extend(spec.diagnostics(&problems));
            }
            return planned;
        }
    };
    let prior_entries = if start.replacing {
        DirectEntries::new()
    } else {
        held(prior)
    };
    let mut diags = start.diags;
    let mut bp = None;
    if let Some(account) = start.account.clone() {
        let live = direct_live_checks(
            &provider.lookups,
            &provider.clients,
            &start.input,
            &account,
            &prior_entries,
        )
        .await;
        diags.extend(spec.diagnostics(&live.problems));
        let env = env(provider, account, None);
        match direct_blueprint(&start.input, &env, &live.permission_set_roles) {
            Ok(built) => bp = Some(built),
            Err(problems) => diags.extend(spec.diagnostics(&problems)),
        }
        if diags.has_errors() {
            return Planned {
                diagnostics: diags,
                ..Default::default()
            };
        }
    }
    let keeps_prior = !prior.is_null() && !start.replacing;
    let state = planned_state(
        proposed,
        &start.input,
        bp.as_ref(),
        &prior_entries,
        provider.clients.region(),
        keeps_prior.then_some(prior),
    );
    finish_plan(state, start.requires_replace, start.private, diags)
}

/// The planned state: the role's attributes null, the entries' ARNs kept
/// for principals the state already holds and unknown for new ones.
pub(super) fn planned_state(
    proposed: &Value,
    input: &TeamAccessInput,
    bp: Option<&DirectBlueprint>,
    prior_entries: &DirectEntries,
    region: &str,
    kept: Option<&Value>,
) -> Result<Value, Diagnostics> {
    let mut state = TeamAccessModel::from_value(proposed)?.to_value();
    for attribute in ROLE_ATTRIBUTES {
        set_attr(&mut state, attribute, Value::Null);
    }
    set_attr(&mut state, "create_role", false.into());
    if input.kubernetes_username.is_none() {
        // Each principal's entry gets the username EKS chooses for it.
        set_attr(&mut state, "kubernetes_username", Value::Null);
    }
    set_attr(
        &mut state,
        "id",
        import_id(&input.cluster_name, &input.name).into(),
    );
    set_attr(
        &mut state,
        "kubeconfig_command",
        kubeconfig_command(&input.cluster_name, region).into(),
    );
    let kept_or_unknown = |name: &str| {
        kept.map(|p| p.attr(name).clone())
            .filter(|v| !v.is_null())
            .unwrap_or(Value::Unknown)
    };
    match bp {
        Some(bp) => {
            let entries = bp
                .entries
                .iter()
                .map(|e| {
                    let arn = prior_entries
                        .get(&e.principal_arn)
                        .map_or(Value::Unknown, |arn| Value::from(arn.as_str()));
                    (e.principal_arn.clone(), arn)
                })
                .collect();
            set_attr(&mut state, "access_entry_arns", Value::Map(entries));
            set_attr(&mut state, "tags_all", map_value(&bp.tags));
            set_attr(
                &mut state,
                "access_policy_associations",
                map_value(&shown_associations(bp)),
            );
        }
        None => {
            for name in [
                "access_entry_arns",
                "tags_all",
                "access_policy_associations",
            ] {
                set_attr(&mut state, name, kept_or_unknown(name));
            }
        }
    }
    Ok(state)
}

/// The associations every entry gets, as `access_policy_associations` shows them.
fn shown_associations(bp: &DirectBlueprint) -> BTreeMap<String, String> {
    bp.entries
        .first()
        .map(|e| {
            e.policy_associations
                .iter()
                .map(|a| (a.policy_arn.clone(), a.scope.shown()))
                .collect()
        })
        .unwrap_or_default()
}

/// The blueprint at apply: the permission sets resolved again (the plan's
/// look-ups are another process's).
async fn apply_blueprint(
    provider: &Configured,
    prior: &Value,
    planned: &Value,
) -> Result<(Validated<TeamAccessInput>, DirectBlueprint), Applied> {
    let spec = RoleTeamAccess::SPEC;
    let (input, account) = apply_inputs(provider, prior, planned, &spec).await?;
    let input = validated(&spec, prior, input)?;
    let roles = if input.sso_permission_sets.is_empty() {
        BTreeMap::new()
    } else {
        let found = provider
            .lookups
            .identity_center_roles(&provider.clients)
            .await
            .map_err(|e| {
                failed(
                    prior,
                    Diagnostic::error("Could not list the IAM Identity Center roles", e.detail())
                        .into(),
                )
            })?;
        resolve_permission_sets(&input.sso_permission_sets, &found)
            .map_err(|problems| failed(prior, spec.diagnostics(&problems)))?
    };
    let env = env(provider, account, None);
    let bp = direct_blueprint(&input, &env, &roles)
        .map_err(|problems| failed(prior, spec.diagnostics(&problems)))?;
    Ok((input, bp))
}

/// Creates, updates and deletes the entries; the state keeps every entry
/// that exists and is this state's, also after a failure.
pub async fn apply(provider: &Configured, prior: &Value, planned: &Value) -> Applied {
    let (input, bp) = match apply_blueprint(provider, prior, planned).await {
        Ok(built) => built,
        Err(applied) => return applied,
    };
    let outcome = apply_direct(
        &provider.apply_ctx(),
        &bp,
        &input.owner(),
        &input.principal_arns,
        &held(prior),
    )
    .await;
    let mut state = planned.clone();
    set_attr(
        &mut state,
        "access_entry_arns",
        map_value(&outcome.observed),
    );
    for (name, value) in [
        ("tags_all", map_value(&bp.tags)),
        (
            "access_policy_associations",
            map_value(&shown_associations(&bp)),
        ),
    ] {
        if state.attr(name).is_unknown() {
            set_attr(&mut state, name, value);
        }
    }
    let left_nothing = outcome.observed.is_empty() && prior.is_null();
    settled_or_failed(&state, outcome.error, left_nothing)
}

/// Deletes the entries the state holds that are still its own.
pub async fn delete(provider: &Configured, prior: &Value) -> Diagnostics {
    let cluster = prior.attr("cluster_name").as_str().unwrap_or_default();
    match delete_direct(&provider.apply_ctx(), cluster, &held(prior)).await {
        Ok(()) => Diagnostics::default(),
        Err(e) => step_diagnostic(e).into(),
    }
}

/// Refreshes from the entries that still exist and are the state's; gone
/// when none is. Drift on any entry shows (the attribute takes the first
/// entry that differs from the state).
pub async fn read(provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
    let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
    let observed = observe_direct(&provider.apply_ctx(), cluster, &held(current))
        .await
        .map_err(|e| Diagnostics::from(step_diagnostic(e)))?;
    let Some(first) = observed.values().next() else {
        return Ok(Value::Null);
    };
    let mut state = current.clone();
    let imported = held(current).values().any(String::is_empty);
    if imported {
        imported_inputs(&mut state, &observed, first, provider);
    }
    let entries: DirectEntries = observed
        .iter()
        .map(|(p, o)| (p.clone(), o.entry.access_entry_arn.clone()))
        .collect();
    set_attr(&mut state, "access_entry_arns", map_value(&entries));
    let shown = |o: &ObservedDirectEntry| -> BTreeMap<String, String> {
        o.associations
            .iter()
            .map(|(arn, scope)| (arn.clone(), scope.shown()))
            .collect()
    };
    let in_state = string_map(current, "access_policy_associations");
    let associations = observed
        .values()
        .map(shown)
        .find(|a| *a != in_state)
        .unwrap_or(in_state);
    set_attr(
        &mut state,
        "access_policy_associations",
        map_value(&associations),
    );
    let groups_in_state = state.attr("kubernetes_groups").string_elements().len();
    let groups = observed
        .values()
        .map(|o| &o.entry.kubernetes_groups)
        .find(|g| {
            g.len() != groups_in_state
                || g.iter().any(|x| {
                    !state
                        .attr("kubernetes_groups")
                        .string_elements()
                        .contains(&x.as_str())
                })
        })
        .unwrap_or(&first.entry.kubernetes_groups)
        .clone();
    let groups = optional_set(current.attr("kubernetes_groups"), &groups);
    set_attr(&mut state, "kubernetes_groups", groups);
    if let Some(username) = current.attr("kubernetes_username").as_str() {
        let differing = observed
            .values()
            .filter_map(|o| o.entry.username.as_deref())
            .find(|u| *u != username);
        if let Some(u) = differing {
            set_attr(&mut state, "kubernetes_username", u.into());
        }
    }
    set_attr(
        &mut state,
        "kubeconfig_command",
        kubeconfig_command(cluster, provider.clients.region()).into(),
    );
    Ok(state)
}

/// An imported state's inputs, from its entries: the principals (an
/// Identity Center role as its permission set), the access and the tags.
fn imported_inputs(
    state: &mut Value,
    observed: &BTreeMap<String, ObservedDirectEntry>,
    first: &ObservedDirectEntry,
    provider: &Configured,
) {
    let mut principals = std::collections::BTreeSet::new();
    let mut sets = std::collections::BTreeSet::new();
    for principal in observed.keys() {
        let set = principal
            .rsplit('/')
            .next()
            .and_then(permission_set_of_role)
            .filter(|_| is_identity_center_role_arn(principal));
        match set {
            Some(name) => sets.insert(name.to_owned()),
            None => principals.insert(principal.clone()),
        };
    }
    set_attr(
        state,
        "principal_arns",
        optional_set(&Value::Null, &principals),
    );
    set_attr(
        state,
        "sso_permission_sets",
        optional_set(&Value::Null, &sets),
    );
    imported_access(state, &first.associations);
    let tags = user_tags(&first.entry.tags, state, &provider.settings.default_tags);
    set_attr(state, "tags", tags);
    set_attr(
        state,
        "tags_all",
        optional_map(&Value::Null, &first.entry.tags),
    );
}

/// The state an import ID `cluster/name/<principal ARN>[,…]` names, for
/// refresh to complete.
pub fn import(id: &str) -> Result<Value, Diagnostics> {
    let id = parse_direct_import_id(id)
        .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
    let block = TeamAccessModel::schema().block;
    let mut state = imported(&block, &id.cluster_name, &id.name, "");
    set_attr(&mut state, "role_name", Value::Null);
    set_attr(&mut state, "create_role", false.into());
    let entries: DirectEntries = id
        .principal_arns
        .iter()
        .map(|p| (p.clone(), String::new()))
        .collect();
    set_attr(&mut state, "access_entry_arns", map_value(&entries));
    Ok(state)
}
