//! The orchestration `eksrole_team_access` and `eksrole_break_glass` share:
//! apply (the role, then its access entry and the entry's access-policy
//! associations, or the entry's removal while access is closed), delete in
//! reverse order (the entry, which takes its
//! associations with it, then the role), and the read refresh needs.
//!
//! The role goes first because EKS binds an entry to the role's unique ID: a
//! role created by this apply means any entry for its ARN is stale and is
//! created again. After a failure, [`Outcome::observed`] holds what exists, so
//! the resource can keep it in state and destroy can remove it.

use std::collections::BTreeMap;

use crate::aws::eks::{self, ObservedAccessEntry};
use crate::aws::iam::{self, ObservedRole};
use crate::intent::access_entry::AccessScope;
use crate::intent::cluster_access::ClusterAccessBlueprint;

use super::role::RoleAtDelete;
use super::{access_entry, role, Claim, Ctx, Outcome, StepError};

/// What an apply left.
#[derive(Debug, Default)]
pub struct AccessApplied {
    /// The role as it is after apply; after a failure, the role state keeps
    /// (`None` when there is none, or it is another state's).
    pub role: Option<ObservedRole>,
    /// Whether state keeps the role: always with `role`; after a failed role
    /// step also when a `CreateRole` got no answer and no read could confirm
    /// it (in doubt, kept).
    pub role_exists: bool,
    /// The access entry as it is after apply; `None` when its step failed or
    /// was not reached, or access is closed (the entry was removed).
    pub entry: Option<ObservedAccessEntry>,
}

/// Creates or updates the role, then the access entry and its associations;
/// existing ones only when `claim` owns them.
pub async fn apply(
    ctx: &Ctx<'_>,
    bp: &ClusterAccessBlueprint,
    claim: &Claim<'_>,
) -> Outcome<AccessApplied> {
    let ensured = match role::role_step(ctx, &bp.role, claim).await {
        Ok(ensured) => ensured,
        Err(failed) => {
            return Outcome {
                observed: AccessApplied {
                    role: failed.role,
                    role_exists: failed.role_exists,
                    entry: None,
                },
                error: Some(failed.error),
            }
        }
    };
    let entry = if bp.closed {
        // Closed: the role stays; the entry (with its associations) goes.
        ctx.cancellable(
            "close access",
            access_entry::remove_access_entry(ctx.clients, &bp.access_entry, claim, &bp.role.name),
        )
        .await
        .map(|()| None)
    } else {
        ctx.cancellable(
            "reconcile access entry",
            access_entry::ensure_access_entry(
                ctx.clients,
                &bp.access_entry,
                &ensured.role,
                ensured.created,
                claim,
                &ctx.retry,
            ),
        )
        .await
        .map(Some)
    };
    match entry {
        Ok(entry) => Outcome {
            observed: AccessApplied {
                role: Some(ensured.role),
                role_exists: true,
                entry,
            },
            error: None,
        },
        Err(failure) => {
            // Another state completed the intent: the role is its, too.
            let keep = !failure.disowns();
            Outcome {
                observed: AccessApplied {
                    role: keep.then_some(ensured.role),
                    role_exists: keep,
                    entry: None,
                },
                error: Some(StepError::of(
                    "Could not create or update the EKS access entry",
                    failure,
                )),
            }
        }
    }
}

/// What the prior state names: the cluster, and the role's ARN (the entry's
/// principal) and name when they are known.
#[derive(Debug, Clone, Copy)]
pub struct AccessKeys<'a> {
    pub cluster: &'a str,
    pub role_arn: Option<&'a str>,
    pub role_name: Option<&'a str>,
}

/// Deletes the access entry (and with it its associations), then the role.
/// Objects already gone (the entry with its cluster too) count as deleted;
/// the role is left alone when the entry could not be deleted. When the
/// state's role name now names a role that is neither the state's nor tagged
/// as this intent's, destroy leaves that role and its entry alone.
pub async fn delete(
    ctx: &Ctx<'_>,
    keys: AccessKeys<'_>,
    claim: &Claim<'_>,
) -> Result<(), StepError> {
    let role = match keys.role_name {
        Some(name) => role::role_at_delete(ctx, name, claim).await?,
        None => RoleAtDelete::Gone,
    };
    if role == RoleAtDelete::NotOwned {
        return Ok(());
    }
    if let Some(role_arn) = keys.role_arn {
        ctx.cancellable(
            "delete access entry",
            eks::delete_access_entry(ctx.clients, keys.cluster, role_arn),
        )
        .await
        .map_err(|error| StepError::aws("Could not delete the EKS access entry", error))?;
    }
    match keys.role_name {
        Some(name) if role == RoleAtDelete::Owned => role::delete_role(ctx, name).await,
        _ => Ok(()),
    }
}

/// The role and access entry as they exist.
#[derive(Debug)]
pub struct Observed {
    pub role: ObservedRole,
    pub entry: Option<ObservedAccessEntry>,
    /// Policy ARN → scope of the entry's associations (empty without entry).
    pub associations: BTreeMap<String, AccessScope>,
}

/// Reads the role and its access entry; `None` when the role is gone, or
/// when its name now names another role (not the state's `role_id`, not
/// tagged as this intent's): that one is not this resource's, and the next
/// apply refuses it. `listed`: the role as the plan's shared account
/// listings show it; without it, `GetRole`.
pub async fn observe(
    ctx: &Ctx<'_>,
    cluster: &str,
    role_name: &str,
    claim: &Claim<'_>,
    listed: Option<ObservedRole>,
) -> Result<Option<Observed>, StepError> {
    let c = ctx.clients;
    let role = match listed {
        Some(role) => Some(role),
        None => iam::get_role(c, role_name)
            .await
            .map_err(|error| StepError::aws("Could not read the IAM role", error))?,
    };
    let Some(role) = role.filter(|role| claim.role_id.is_none() || claim.owns_role(role)) else {
        return Ok(None);
    };
    let entry = eks::describe_access_entry(c, cluster, &role.arn);
    let associations = eks::list_associated_access_policies(c, cluster, &role.arn);
    let (entry, associations) = tokio::join!(entry, associations);
    // A cluster that is gone took its entry with it: both read as `None`.
    let entry =
        entry.map_err(|error| StepError::aws("Could not read the EKS access entry", error))?;
    let associations = associations
        .map_err(|error| StepError::aws("Could not read the access policy associations", error))?
        .unwrap_or_default();
    Ok(Some(Observed {
        role,
        entry,
        associations: associations
            .into_iter()
            .map(|a| (a.policy_arn, access_entry::intent_scope(&a.scope)))
            .collect(),
    }))
}
