//! What `eksrole_team_access` and `eksrole_break_glass` share: both are an
//! IAM role plus an EKS access entry with access-policy associations. Here:
//! their plan-time look-ups, apply (role → entry → associations), delete in
//! reverse order, and the refreshed view of the role and entry.

use std::collections::{BTreeMap, BTreeSet};

use crate::apply::{access_entry, role};
use crate::aws::eks::{self, AccessScope, ObservedAccessEntry};
use crate::aws::iam::{self, ObservedRole};
use crate::aws::retry::RetryPolicy;
use crate::aws::AwsError;
use crate::intent::access_entry::AccessLevel;
use crate::intent::cluster_access::ClusterAccessBlueprint;
use crate::intent::policy_json::policies_equivalent;
use crate::intent::tags::{owned_by, Owner};
use crate::intent::{Account, Env, IntentError, Validated};
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

use super::super::context::{aws_diagnostic, Configured};
use super::values::{map_value, set_attr, unknowns_to_null, user_tags};
use super::{Applied, IntentSpec, PlanStart, Planned};

/// What the live checks need to know about one access intent.
pub struct AccessChecks<'a> {
    pub type_name: &'static str,
    pub cluster_name: &'a str,
    pub name: &'a str,
    pub principal_arns: &'a BTreeSet<String>,
    /// Access policy ARNs and the attribute they come from.
    pub access_policy_arns: Vec<(String, &'static str)>,
    pub permissions_boundary: Option<&'a str>,
    pub role_name: String,
    pub role_arn: String,
    /// The intent whose ownership tags a role it may adopt carries.
    pub owner: Owner<'a>,
    /// A new object is planned (create or replace): names must be free.
    pub creating: bool,
}

/// The live checks of an access intent; returns the diagnostics and the
/// account's trust policy size quota (when it could be read).
pub async fn live_checks(
    provider: &Configured,
    checks: &AccessChecks<'_>,
    account: &Account,
) -> (Diagnostics, Option<usize>) {
    let mut diags = Diagnostics::default();
    let c = &provider.clients;
    let lookups = &provider.lookups;
    let at = AttributePath::root;

    match lookups.cluster(c, checks.cluster_name).await {
        Ok(Some(cluster)) if cluster.authentication_mode.allows_access_entries() => {}
        Ok(Some(cluster)) => diags.push(
            Diagnostic::error(
                "Cluster does not allow access entries",
                format!(
                    "Cluster {:?} uses the authentication mode {}, which has no access entries. Switch it to API_AND_CONFIG_MAP \
                     (one way): aws eks update-cluster-config --name {} --access-config authenticationMode=API_AND_CONFIG_MAP",
                    checks.cluster_name,
                    cluster.authentication_mode.as_str(),
                    checks.cluster_name
                ),
            )
            .at(at("cluster_name")),
        ),
        Ok(None) => diags.push(
            Diagnostic::error(
                "EKS cluster not found",
                format!(
                    "No EKS cluster named {:?} exists in {} of account {}. Check `cluster_name` and the provider's region.",
                    checks.cluster_name, account.region, account.account_id
                ),
            )
            .at(at("cluster_name")),
        ),
        Err(e) => diags.push(aws_diagnostic("Could not look up the EKS cluster", &e).at(at("cluster_name"))),
    }
    if diags.has_errors() {
        return (diags, None);
    }

    let principals =
        futures_util::future::join_all(checks.principal_arns.iter().map(|arn| async move {
            let same_account =
                crate::arn::Arn::parse(arn).is_some_and(|a| a.account == account.account_id);
            let exists = if same_account {
                lookups.principal_exists(c, arn).await
            } else {
                Ok(None)
            };
            (arn.clone(), same_account, exists)
        }));
    let policies = async {
        if checks.access_policy_arns.is_empty() {
            return Ok(BTreeSet::new());
        }
        lookups.access_policy_arns(c).await
    };
    let boundary = async {
        match checks.permissions_boundary {
            Some(arn) => lookups.policy_exists(c, arn).await.map(Some),
            None => Ok(None),
        }
    };
    let taken = async {
        if !checks.creating {
            return Ok((None, None));
        }
        let role = iam::get_role(c, &checks.role_name).await?;
        let entry = eks::describe_access_entry(c, checks.cluster_name, &checks.role_arn).await?;
        Ok::<_, AwsError>((role, entry))
    };
    let quota = lookups.trust_policy_quota(c);
    let (principals, policies, boundary, taken, quota) =
        tokio::join!(principals, policies, boundary, taken, quota);

    for (arn, same_account, exists) in principals {
        match exists {
            Ok(Some(true)) => {}
            Ok(Some(false)) => diags.push(
                Diagnostic::error(
                    "Principal not found",
                    format!("{arn} does not exist in account {}. Create it first, or remove it from `principal_arns`.", account.account_id),
                )
                .at(at("principal_arns")),
            ),
            Ok(None) if !same_account => diags.push(
                Diagnostic::warning(
                    "Principal in another account not checked",
                    format!("{arn} is in another account, so the provider cannot check that it exists. Make sure it does, or the role will be unusable by it."),
                )
                .at(at("principal_arns")),
            ),
            Ok(None) => {}
            Err(e) => diags.push(aws_diagnostic("Could not look up a principal", &e).at(at("principal_arns")).into_warning()),
        }
    }
    match policies {
        Ok(known) => {
            for (arn, attribute) in &checks.access_policy_arns {
                if !known.contains(arn) {
                    diags.push(
                        Diagnostic::error(
                            "Unknown access policy",
                            format!("EKS has no access policy {arn}. See `aws eks list-access-policies` for the names."),
                        )
                        .at(at(attribute)),
                    );
                }
            }
        }
        Err(e) => {
            diags.push(aws_diagnostic("Could not list the EKS access policies", &e).into_warning())
        }
    }
    match boundary {
        Ok(Some(false)) => diags.push(
            Diagnostic::error(
                "Managed policy not found",
                "The permissions boundary policy does not exist. Check the ARN.",
            )
            .at(at("permissions_boundary")),
        ),
        Ok(_) => {}
        Err(e) => diags.push(
            aws_diagnostic("Could not look up the permissions boundary", &e)
                .at(at("permissions_boundary"))
                .into_warning(),
        ),
    }
    let import_hint = format!(
        "To manage the existing objects with Terraform, import them: terraform import {}.<name> {}",
        checks.type_name,
        crate::intent::cluster_access::import_id(checks.cluster_name, checks.name)
    );
    match taken {
        Ok((role, entry)) => {
            let owned = role
                .as_ref()
                .is_some_and(|r| owned_by(&r.tags, &checks.owner));
            if role.is_some() && !owned {
                diags.push(
                    Diagnostic::error(
                        "Role name already taken",
                        format!("An IAM role named {:?} already exists and was not created by eksrole for this access. Choose another `role_name`, or delete that role.", checks.role_name),
                    )
                    .at(at("role_name")),
                );
            } else if entry.is_some() && role.is_none() {
                diags.push(
                    Diagnostic::warning(
                        "Stale access entry will be replaced",
                        format!(
                            "Cluster {:?} has an access entry for {} left from a deleted role. EKS binds an entry to the role's unique ID, \
                             so it no longer works; apply deletes it and creates it again for the new role.",
                            checks.cluster_name, checks.role_arn
                        ),
                    )
                    .at(at("cluster_name")),
                );
            } else if entry.is_some() {
                diags.push(
                    Diagnostic::error(
                        "Access entry already exists",
                        format!(
                            "Cluster {:?} already has an access entry for {}, not in Terraform state. {import_hint}",
                            checks.cluster_name, checks.role_arn
                        ),
                    )
                    .at(at("cluster_name")),
                );
            } else if owned {
                diags.push(
                    Diagnostic::warning(
                        "Adopting an existing role",
                        format!("The role {:?} exists and carries this intent's ownership tags; apply adopts it. {import_hint}", checks.role_name),
                    )
                    .at(at("role_name")),
                );
            }
        }
        Err(e) => diags.push(
            aws_diagnostic("Could not check whether the role name is free", &e).into_warning(),
        ),
    }
    (diags, quota.ok())
}

/// The plan step team access and break-glass share: with live checks on,
/// run the live checks against the role the input names, then build the
/// blueprint once with the facts they found (the account's trust policy
/// quota). Both report their problems together. `Ok(None)` with live checks
/// off; `Err` is the failed plan.
pub async fn checked_blueprint<I, B>(
    provider: &Configured,
    start: &mut PlanStart<I>,
    spec: &IntentSpec<I>,
    build: fn(&Validated<I>, &Env) -> Result<B, Vec<IntentError>>,
    checks: for<'a> fn(&'a I, &Account, bool) -> AccessChecks<'a>,
) -> Result<Option<B>, Planned> {
    let Some(account) = start.account.clone() else {
        return Ok(None);
    };
    let (live, quota) = live_checks(
        provider,
        &checks(&start.input, &account, start.creating),
        &account,
    )
    .await;
    start.diags.extend(live);
    let built = build(&start.input, &super::env(provider, account, quota));
    if let Err(problems) = &built {
        start.diags.extend(spec.diagnostics(problems));
    }
    match built {
        Ok(bp) if !start.diags.has_errors() => Ok(Some(bp)),
        _ => Err(Planned {
            diagnostics: std::mem::take(&mut start.diags),
            ..Default::default()
        }),
    }
}

/// Creates or updates the role, then the access entry and its associations.
/// On failure the state keeps what exists so that destroy removes it.
pub async fn apply(
    provider: &Configured,
    bp: &ClusterAccessBlueprint,
    prior: &Value,
    planned: &Value,
) -> Applied {
    let c = &provider.clients;
    let retry = RetryPolicy::default();
    let mut state = planned.clone();
    let mut diags = Diagnostics::default();
    let ensured = match provider
        .cancellable("reconcile role", role::ensure_role(c, &bp.role, &retry))
        .await
    {
        Ok(r) => r,
        Err(e) => {
            diags.push(aws_diagnostic(
                "Could not create or update the IAM role",
                &e,
            ));
            let exists = matches!(iam::get_role(c, &bp.role.name).await, Ok(Some(_)));
            let state = if !exists && prior.is_null() {
                Value::Null
            } else {
                unknowns_to_null(&state)
            };
            return Applied {
                state,
                diagnostics: diags,
                ..Default::default()
            };
        }
    };
    set_attr(&mut state, "role_id", ensured.role.role_id.clone().into());
    set_attr(&mut state, "role_arn", ensured.role.arn.clone().into());
    let entry = provider
        .cancellable(
            "reconcile access entry",
            access_entry::ensure_access_entry(c, &bp.access_entry, ensured.created, &retry),
        )
        .await;
    match entry {
        Ok(entry) => {
            set_attr(
                &mut state,
                "access_entry_arn",
                entry.access_entry_arn.into(),
            );
            if state.attr("kubernetes_username").is_unknown() {
                set_attr(
                    &mut state,
                    "kubernetes_username",
                    Value::opt_string(entry.username),
                );
            }
        }
        Err(e) => diags.push(aws_diagnostic(
            "Could not create or update the EKS access entry",
            &e,
        )),
    }
    Applied {
        state: unknowns_to_null(&state),
        diagnostics: diags,
        ..Default::default()
    }
}

/// Deletes the access entry (and with it its associations), then the role.
pub async fn delete(provider: &Configured, prior: &Value) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let c = &provider.clients;
    let cluster = prior.attr("cluster_name").as_str().unwrap_or_default();
    if let Some(role_arn) = prior.attr("role_arn").as_str() {
        let deleted = provider
            .cancellable(
                "delete access entry",
                eks::delete_access_entry(c, cluster, role_arn),
            )
            .await;
        // Gone already (or with its cluster) counts as deleted.
        if let Err(e) = deleted {
            diags.push(aws_diagnostic("Could not delete the EKS access entry", &e));
            return diags;
        }
    }
    if let Some(name) = prior.attr("role_name").as_str() {
        if let Err(e) = provider
            .cancellable("delete role", iam::delete_role_fully(c, name))
            .await
        {
            diags.push(aws_diagnostic("Could not delete the IAM role", &e));
        }
    }
    diags
}

/// The role and access entry as they exist.
pub struct Observed {
    pub role: ObservedRole,
    pub entry: Option<ObservedAccessEntry>,
    /// Policy ARN → scope, for the computed `access_policy_associations`.
    pub associations: BTreeMap<String, String>,
}

/// Reads the role and its access entry; `None` when the role is gone.
pub async fn observe(
    provider: &Configured,
    cluster: &str,
    role_name: &str,
) -> Result<Option<Observed>, Diagnostics> {
    let c = &provider.clients;
    let read_err = |what: &str, e: &AwsError| {
        Diagnostics::from(aws_diagnostic(&format!("Could not read the {what}"), e))
    };
    let Some(role) = iam::get_role(c, role_name)
        .await
        .map_err(|e| read_err("IAM role", &e))?
    else {
        return Ok(None);
    };
    let entry = eks::describe_access_entry(c, cluster, &role.arn);
    let associations = eks::list_associated_access_policies(c, cluster, &role.arn);
    let (entry, associations) = tokio::join!(entry, associations);
    // A cluster that is gone took its entry with it: both read as `None`.
    let entry = entry.map_err(|e| read_err("EKS access entry", &e))?;
    let associations = associations
        .map_err(|e| read_err("access policy associations", &e))?
        .unwrap_or_default();
    Ok(Some(Observed {
        role,
        entry,
        associations: associations
            .into_iter()
            .map(|a| (a.policy_arn, scope_text(&a.scope)))
            .collect(),
    }))
}

/// How `access_policy_associations` shows a scope.
pub fn scope_text(scope: &AccessScope) -> String {
    match scope {
        AccessScope::Cluster => "cluster".to_owned(),
        AccessScope::Namespaces(ns) => format!(
            "namespace:{}",
            ns.iter().cloned().collect::<Vec<_>>().join(",")
        ),
    }
}

/// The blueprint's associations as `access_policy_associations` shows them.
pub fn planned_associations(bp: &ClusterAccessBlueprint) -> BTreeMap<String, String> {
    bp.access_entry
        .policy_associations
        .iter()
        .map(|a| {
            (
                a.policy_arn.clone(),
                scope_text(&access_entry::scope_of(&a.scope)),
            )
        })
        .collect()
}

/// The trust policy for state: the prior text while it is equivalent to what
/// exists (no diff from formatting), else the observed one.
pub fn observed_trust(prior: &Value, observed: &str) -> String {
    match prior.as_str() {
        Some(p) if policies_equivalent(p, observed) => p.to_owned(),
        _ => crate::intent::policy_json::canonical_json(observed)
            .unwrap_or_else(|_| observed.to_owned()),
    }
}

/// Sets what every access intent reads back from the role and entry: the
/// trust policy (`trust` as the intent shows it), role identity and settings,
/// tags, the entry ARN and the associations.
pub fn refresh_common(
    state: &mut Value,
    current: &Value,
    observed: &Observed,
    trust: &str,
    provider: &Configured,
) {
    let role = &observed.role;
    let name = current.attr("name").as_str().unwrap_or_default();
    let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
    set_attr(
        state,
        "trust_policy",
        observed_trust(current.attr("trust_policy"), trust).into(),
    );
    set_attr(
        state,
        "id",
        crate::intent::cluster_access::import_id(cluster, name).into(),
    );
    set_attr(state, "role_arn", role.arn.clone().into());
    set_attr(state, "role_id", role.role_id.clone().into());
    set_attr(state, "role_path", role.path.clone().into());
    set_attr(
        state,
        "max_session_duration",
        role.max_session_duration.into(),
    );
    set_attr(
        state,
        "permissions_boundary",
        Value::opt_string(role.permissions_boundary.clone()),
    );
    set_attr(
        state,
        "tags",
        user_tags(&role.tags, current, &provider.settings.default_tags),
    );
    set_attr(state, "tags_all", map_value(&role.tags));
    set_attr(
        state,
        "access_policy_associations",
        map_value(&observed.associations),
    );
    set_attr(
        state,
        "access_entry_arn",
        Value::opt_string(observed.entry.as_ref().map(|e| e.access_entry_arn.clone())),
    );
}

/// What an existing entry's associations say, for import: the access level
/// when there is exactly one level policy (else the policy ARNs), and the
/// namespaces (null for cluster scope).
pub fn access_of(
    associations: &BTreeMap<String, String>,
) -> (Option<AccessLevel>, BTreeSet<String>, Value) {
    let level = match associations.keys().collect::<Vec<_>>().as_slice() {
        [arn] => AccessLevel::of_policy_arn(arn),
        _ => None,
    };
    let namespaces: BTreeSet<String> = associations
        .values()
        .filter_map(|scope| scope.strip_prefix("namespace:"))
        .flat_map(|list| list.split(',').map(str::to_owned))
        .collect();
    let namespaces = if namespaces.is_empty() {
        Value::Null
    } else {
        Value::Set(namespaces.iter().map(|n| Value::from(n.as_str())).collect())
    };
    (level, associations.keys().cloned().collect(), namespaces)
}
