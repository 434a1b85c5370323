//! An EKS access entry and its access-policy associations reconciled to their
//! blueprint. EKS binds an entry to the role's unique ID, so an entry that
//! outlived its role (the role was recreated) is deleted and created again.
//! An existing entry is changed or deleted only when the [`Claim`] owns it
//! (this intent's tags, or the ARN in the prior state); otherwise the step
//! is refused before any change. One it owns gets the blueprint's tags it
//! lacks (after an import, the ownership tags).

use futures_util::future::try_join_all;

use crate::aws::eks::{self, AccessScope, ObservedAccessEntry};
use crate::aws::iam::ObservedRole;
use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};
use crate::intent::access_entry::{self, AccessEntryBlueprint};

use super::ownership::add_missing_tags;
use super::{Claim, Failure};

/// The intent's scope in the AWS layer's terms.
pub fn scope_of(scope: &access_entry::AccessScope) -> AccessScope {
    match scope {
        access_entry::AccessScope::Cluster => AccessScope::Cluster,
        access_entry::AccessScope::Namespaces(ns) => AccessScope::Namespaces(ns.clone()),
    }
}

/// An AWS-layer scope in the intent's terms (what refresh reads back).
pub fn intent_scope(scope: &AccessScope) -> access_entry::AccessScope {
    match scope {
        AccessScope::Cluster => access_entry::AccessScope::Cluster,
        AccessScope::Namespaces(ns) => access_entry::AccessScope::Namespaces(ns.clone()),
    }
}

/// Access closed: deletes the entry for the blueprint's principal (its
/// access-policy associations go with it) when `claim` owns it; refuses on
/// `role_name`, having changed nothing, when another owns it. None counts
/// as done.
pub async fn remove_access_entry(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    claim: &Claim<'_>,
    role_name: &str,
) -> Result<(), Failure> {
    match eks::describe_access_entry(c, &bp.cluster_name, &bp.principal_arn).await? {
        None => Ok(()),
        Some(e) if !claim.owns_entry(&e) => Err(claim.entry_refusal(&e, role_name).into()),
        Some(_) => Ok(eks::delete_access_entry(c, &bp.cluster_name, &bp.principal_arn).await?),
    }
}

/// Creates the entry, or brings the one that exists in line when `claim`
/// owns it (else refuses on `role_name`). `role`: the role the role step
/// left (the entry's principal); `role_recreated`: that step created it. An
/// entry older than the role, or outliving a role this apply recreated, is
/// bound to an earlier role's unique ID: it is deleted and created again.
/// On a create, an entry of this intent that completes the role was made by
/// another apply racing this one: refused, and this state keeps nothing
/// ([`Claim::check_race`]).
pub async fn ensure_access_entry(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    role: &ObservedRole,
    role_recreated: bool,
    claim: &Claim<'_>,
    retry: &RetryPolicy,
) -> Result<ObservedAccessEntry, Failure> {
    let try_create = || create_entry(c, bp, retry);
    // A create goes straight to CreateAccessEntry: "in use" leads to the
    // look-up below and its ownership and staleness checks, so the normal
    // path saves a DescribeAccessEntry (and, the entry being new, the
    // listing of its policy associations).
    if claim.creating && claim.access_entry_arn.is_none() {
        if let Some(entry) = try_create().await? {
            sync_policy_associations(c, bp, Vec::new()).await?;
            return Ok(entry);
        }
    }
    let create = || async {
        match try_create().await? {
            Some(e) => Ok(e),
            // Created by another apply since this one looked.
            None => match eks::describe_access_entry(c, &bp.cluster_name, &bp.principal_arn).await? {
                Some(e) if !claim.owns_entry(&e) => Err(claim.entry_refusal(&e, &role.name).into()),
                Some(e) => Err(claim
                    .complete_refusal(role, "role_name", &e.access_entry_arn)
                    .into()),
                None => Err(Failure::Aws(AwsError::new(
                    "eks:CreateAccessEntry",
                    "ResourceInUseException",
                    "EKS reported an access entry for the role, then none: it was deleted meanwhile. Apply again.",
                ))),
            },
        }
    };
    let entry = match eks::describe_access_entry(c, &bp.cluster_name, &bp.principal_arn).await? {
        None => create().await?,
        Some(e) if !claim.owns_entry(&e) => return Err(claim.entry_refusal(&e, &role.name).into()),
        Some(e) if role_recreated || !Claim::completes(role, e.created_at_epoch) => {
            claim.check_race(role, "role_name", &e.access_entry_arn, e.created_at_epoch)?;
            eks::delete_access_entry(c, &bp.cluster_name, &bp.principal_arn).await?;
            create().await?
        }
        Some(e) => {
            claim.check_race(role, "role_name", &e.access_entry_arn, e.created_at_epoch)?;
            bring_in_line(c, bp, e).await?
        }
    };
    let observed = associated_policies(c, bp).await?;
    sync_policy_associations(c, bp, observed).await?;
    Ok(entry)
}

/// An entry this intent owns brought in line with its blueprint: groups and
/// username (only when they differ), then the tags it lacks (one taken over
/// by import has no ownership tags yet).
async fn bring_in_line(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    e: ObservedAccessEntry,
) -> Result<ObservedAccessEntry, AwsError> {
    let mut e = if e.kubernetes_groups != bp.kubernetes_groups
        || bp
            .username
            .as_ref()
            .is_some_and(|u| e.username.as_ref() != Some(u))
    {
        eks::update_access_entry(
            c,
            &bp.cluster_name,
            &bp.principal_arn,
            &bp.kubernetes_groups,
            bp.username.as_deref(),
        )
        .await?
    } else {
        e
    };
    add_missing_tags(c, &e.access_entry_arn, &mut e.tags, &bp.tags).await?;
    Ok(e)
}

/// Associates what is missing or scoped differently (associating again changes
/// the scope) and disassociates what the blueprint does not hold; `observed`:
/// the entry's associations now.
async fn sync_policy_associations(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    observed: Vec<eks::ObservedPolicyAssociation>,
) -> Result<(), AwsError> {
    let associate = bp
        .policy_associations
        .iter()
        .filter(|want| {
            let scope = scope_of(&want.scope);
            !observed
                .iter()
                .any(|o| o.policy_arn == want.policy_arn && o.scope == scope)
        })
        .map(|want| {
            let scope = scope_of(&want.scope);
            async move {
                eks::associate_access_policy(
                    c,
                    &bp.cluster_name,
                    &bp.principal_arn,
                    &want.policy_arn,
                    &scope,
                )
                .await
            }
        });
    try_join_all(associate).await?;
    let stale = observed
        .iter()
        .filter(|o| {
            !bp.policy_associations
                .iter()
                .any(|w| w.policy_arn == o.policy_arn)
        })
        .map(|o| {
            eks::disassociate_access_policy(c, &bp.cluster_name, &bp.principal_arn, &o.policy_arn)
        });
    try_join_all(stale).await?;
    Ok(())
}

/// The entry of a principal that is not this intent's role (a team access
/// without a role), once the caller decided this state owns it: created when
/// `existing` is `None`, else brought in line (groups, username, the tags it
/// lacks); then its access-policy associations. An entry created by someone
/// else between the caller's look-up and the create is not taken: the step
/// fails and the next plan reports it.
pub async fn ensure_principal_entry(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    existing: Option<ObservedAccessEntry>,
    retry: &RetryPolicy,
) -> Result<ObservedAccessEntry, Failure> {
    let (entry, observed) = match existing {
        // A new entry has no associations to list.
        None => (
            created_by_this_apply(create_entry(c, bp, retry).await?, bp)?,
            Vec::new(),
        ),
        Some(e) => {
            let e = bring_in_line(c, bp, e).await?;
            (e, associated_policies(c, bp).await?)
        }
    };
    sync_policy_associations(c, bp, observed).await?;
    Ok(entry)
}

/// `CreateAccessEntry` of the blueprint's entry; `None` when EKS says the
/// principal already has one.
async fn create_entry(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    retry: &RetryPolicy,
) -> Result<Option<ObservedAccessEntry>, AwsError> {
    eks::create_access_entry(
        c,
        &bp.cluster_name,
        &bp.principal_arn,
        &bp.kubernetes_groups,
        bp.username.as_deref(),
        &bp.tags,
        retry,
    )
    .await
}

/// The entry this apply's create made; an entry that someone else created
/// between the caller's look-up and the create is not taken.
fn created_by_this_apply(
    created: Option<ObservedAccessEntry>,
    bp: &AccessEntryBlueprint,
) -> Result<ObservedAccessEntry, Failure> {
    created.ok_or_else(|| {
        Failure::Aws(AwsError::new(
            "eks:CreateAccessEntry",
            "ResourceInUseException",
            format!(
                "{} got an access entry from someone else while this apply ran; it was left alone. Plan again to see whose it is.",
                bp.principal_arn
            ),
        ))
    })
}

/// The entry's access-policy associations now (none when it is gone).
async fn associated_policies(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
) -> Result<Vec<eks::ObservedPolicyAssociation>, AwsError> {
    let found =
        eks::list_associated_access_policies(c, &bp.cluster_name, &bp.principal_arn).await?;
    Ok(found.unwrap_or_default())
}
