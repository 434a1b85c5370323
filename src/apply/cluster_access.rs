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

use std::collections::{BTreeMap, BTreeSet};

use crate::aws::eks::{self, ObservedAccessEntry};
use crate::aws::iam::{self, ObservedRole};
use crate::intent::access_entry::{AccessEntryBlueprint, AccessScope};
use crate::intent::cluster_access::ClusterAccessBlueprint;
use crate::intent::tags::{owned_by, Owner};
use crate::intent::team_access::direct::{DirectBlueprint, STANDARD};

use super::role::RoleAtDelete;
use super::{access_entry, role, Claim, Ctx, Failure, Outcome, Refusal, StepError};

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

/// A team access without a role (`create_role = false`) as it exists:
/// principal → entry ARN of every entry this state holds. After a failure
/// it still names what exists, so the state keeps it and destroy removes it.
pub type DirectEntries = BTreeMap<String, String>;

/// One principal's entry as refresh reads it, with its associations
/// (policy ARN → scope).
#[derive(Debug)]
pub struct ObservedDirectEntry {
    pub entry: ObservedAccessEntry,
    pub associations: BTreeMap<String, AccessScope>,
}

/// Applies a team access without a role: first deletes the entries of the
/// prior state (`prior`: principal → entry ARN) whose principal is no longer
/// wanted (a permission set re-provisioned under a new role moves its entry
/// that way), then creates or updates one entry per principal of `bp`.
/// An existing entry is changed only when it is the one the prior state
/// holds; one of another type than STANDARD, one carrying this intent's
/// ownership tags but not in this state (another state's), and one made by
/// someone else are refused, each on `principal_arns` (or
/// `sso_permission_sets` for a principal not listed there) and untouched.
pub async fn apply_direct(
    ctx: &Ctx<'_>,
    bp: &DirectBlueprint,
    owner: &Owner<'_>,
    listed: &BTreeSet<String>,
    prior: &DirectEntries,
) -> Outcome<DirectEntries> {
    let c = ctx.clients;
    let wanted = bp.principals();
    let cluster = owner.cluster();
    let mut held = prior.clone();
    for (principal, arn) in prior.iter().filter(|(p, _)| !wanted.contains(*p)) {
        let removed = ctx
            .cancellable(
                "delete access entry",
                remove_direct_entry(c, cluster, principal, arn),
            )
            .await;
        match removed {
            Ok(()) => {
                held.remove(principal);
            }
            Err(error) => {
                return Outcome {
                    observed: held,
                    error: Some(StepError::aws(
                        "Could not delete the EKS access entry",
                        error,
                    )),
                }
            }
        }
    }
    let steps = bp.entries.iter().map(|entry| async move {
        let attribute = if listed.contains(&entry.principal_arn) {
            "principal_arns"
        } else {
            "sso_permission_sets"
        };
        let step = ensure_direct_entry(
            ctx,
            entry,
            owner,
            prior.get(&entry.principal_arn),
            attribute,
        );
        (
            entry.principal_arn.clone(),
            ctx.cancellable("reconcile access entry", step).await,
        )
    });
    let mut error = None;
    for (principal, result) in futures_util::future::join_all(steps).await {
        match result {
            Ok(entry) => {
                held.insert(principal, entry.access_entry_arn);
            }
            Err(failure) => {
                // A refused entry is not this state's, whatever it held before.
                if matches!(failure, Failure::NotOwned(_)) {
                    held.remove(&principal);
                }
                error.get_or_insert(StepError::of(
                    "Could not create or update the EKS access entry",
                    failure,
                ));
            }
        }
    }
    Outcome {
        observed: held,
        error,
    }
}

/// One principal's entry, judged by ownership before any change.
async fn ensure_direct_entry(
    ctx: &Ctx<'_>,
    bp: &AccessEntryBlueprint,
    owner: &Owner<'_>,
    prior_arn: Option<&String>,
    attribute: &'static str,
) -> Result<ObservedAccessEntry, Failure> {
    let c = ctx.clients;
    match eks::describe_access_entry(c, &bp.cluster_name, &bp.principal_arn).await? {
        None => access_entry::ensure_principal_entry(c, bp, None, &ctx.retry).await,
        Some(e) if e.entry_type != STANDARD => Err(direct_refusal(
            attribute,
            "Principal has an access entry of another type",
            format!(
                "{} has an access entry of type {} on cluster {:?} ({}), made for nodes or another AWS feature; only a STANDARD entry holds access policies. \
                 Apply changed nothing on it. Use another principal.",
                e.principal_arn, e.entry_type, e.cluster_name, e.access_entry_arn
            ),
            false,
        )
        .into()),
        Some(e) if prior_arn == Some(&e.access_entry_arn) => {
            access_entry::ensure_principal_entry(c, bp, Some(e), &ctx.retry).await
        }
        Some(e) if owned_by(&e.tags, owner) => Err(direct_refusal(
            attribute,
            "Already managed by another Terraform state",
            format!(
                "{} has an access entry on cluster {:?} ({}) carrying this intent's ownership tags, but this resource's state does not hold it: \
                 another Terraform state manages this intent (or an apply of this one stopped before saving it). Apply changed nothing on it. \
                 Manage an intent from one state only; to move the entry into this state, remove it from the other one and import it here.",
                e.principal_arn, e.cluster_name, e.access_entry_arn
            ),
            true,
        )
        .into()),
        Some(e) => Err(direct_refusal(
            attribute,
            "Access entry already exists",
            format!(
                "{} already has an access entry on cluster {:?} ({}); it is not in this resource's state and does not carry its ownership tags. \
                 Apply changed nothing on it. To manage it with this resource, import it explicitly; otherwise remove the principal here.",
                e.principal_arn, e.cluster_name, e.access_entry_arn
            ),
            false,
        )
        .into()),
    }
}

/// A refusal of a principal's entry.
fn direct_refusal(
    attribute: &'static str,
    summary: &'static str,
    detail: String,
    other_state: bool,
) -> Refusal {
    Refusal {
        attribute,
        summary,
        detail,
        other_state,
    }
}

/// Deletes `principal`'s entry when it is still the one this state holds
/// (`arn`, a STANDARD entry); one that is gone counts as deleted, one
/// replaced by someone else's is left alone.
async fn remove_direct_entry(
    c: &crate::aws::AwsClients,
    cluster: &str,
    principal: &str,
    arn: &str,
) -> Result<(), crate::aws::AwsError> {
    match eks::describe_access_entry(c, cluster, principal).await? {
        Some(e) if e.access_entry_arn == arn && e.entry_type == STANDARD => {
            eks::delete_access_entry(c, cluster, principal).await
        }
        _ => Ok(()),
    }
}

/// Deletes every entry of a team access without a role that is still the
/// state's (see [`apply_direct`]); entries already gone count as deleted.
pub async fn delete_direct(
    ctx: &Ctx<'_>,
    cluster: &str,
    entries: &DirectEntries,
) -> Result<(), StepError> {
    let deletes = entries
        .iter()
        .map(|(principal, arn)| remove_direct_entry(ctx.clients, cluster, principal, arn));
    ctx.cancellable(
        "delete access entries",
        futures_util::future::try_join_all(deletes),
    )
    .await
    .map(|_| ())
    .map_err(|error| StepError::aws("Could not delete the EKS access entry", error))
}

/// Reads the entries of a team access without a role that are still the
/// state's (an entry ARN of `""` is an import's: the principal's STANDARD
/// entry, whatever its ARN), each with its associations.
pub async fn observe_direct(
    ctx: &Ctx<'_>,
    cluster: &str,
    entries: &DirectEntries,
) -> Result<BTreeMap<String, ObservedDirectEntry>, StepError> {
    let c = ctx.clients;
    let reads = entries.iter().map(|(principal, arn)| async move {
        let entry = eks::describe_access_entry(c, cluster, principal)
            .await
            .map_err(|error| StepError::aws("Could not read the EKS access entry", error))?;
        let Some(entry) = entry
            .filter(|e| e.entry_type == STANDARD && (arn.is_empty() || e.access_entry_arn == *arn))
        else {
            return Ok(None);
        };
        let associations = eks::list_associated_access_policies(c, cluster, principal)
            .await
            .map_err(|error| {
                StepError::aws("Could not read the access policy associations", error)
            })?
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.policy_arn, access_entry::intent_scope(&a.scope)))
            .collect();
        Ok::<_, StepError>(Some((
            principal.clone(),
            ObservedDirectEntry {
                entry,
                associations,
            },
        )))
    });
    let read = futures_util::future::try_join_all(reads).await?;
    Ok(read.into_iter().flatten().collect())
}
