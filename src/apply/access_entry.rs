//! An EKS access entry and its access-policy associations reconciled to their
//! blueprint. EKS binds an entry to the role's unique ID, so an entry that
//! outlived its role (the role was recreated) is deleted and created again.
//! An existing entry is changed or deleted only when the [`Claim`] owns it
//! (this intent's tags, or the ARN in the prior state); otherwise the step
//! is refused before any change. One it owns gets the blueprint's tags it
//! lacks (after an import, the ownership tags).

use futures_util::future::try_join_all;

use crate::aws::eks::{self, AccessScope, ObservedAccessEntry};
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
/// owns it (else refuses on `role_name`). `role_name`: the blueprint role's
/// name, for the import hint.
pub async fn ensure_access_entry(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
    role_recreated: bool,
    claim: &Claim<'_>,
    role_name: &str,
    retry: &RetryPolicy,
) -> Result<ObservedAccessEntry, Failure> {
    let create = || {
        eks::create_access_entry(
            c,
            &bp.cluster_name,
            &bp.principal_arn,
            &bp.kubernetes_groups,
            bp.username.as_deref(),
            &bp.tags,
            retry,
        )
    };
    let entry = match eks::describe_access_entry(c, &bp.cluster_name, &bp.principal_arn).await? {
        None => create().await?,
        Some(e) if !claim.owns_entry(&e) => return Err(claim.entry_refusal(&e, role_name).into()),
        Some(_) if role_recreated => {
            eks::delete_access_entry(c, &bp.cluster_name, &bp.principal_arn).await?;
            create().await?
        }
        Some(e) => {
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
            // One taken over by import has no ownership tags yet.
            add_missing_tags(c, &e.access_entry_arn, &mut e.tags, &bp.tags).await?;
            e
        }
    };
    sync_policy_associations(c, bp).await?;
    Ok(entry)
}

/// Associates what is missing or scoped differently (associating again changes
/// the scope) and disassociates what the blueprint does not hold.
async fn sync_policy_associations(
    c: &AwsClients,
    bp: &AccessEntryBlueprint,
) -> Result<(), AwsError> {
    let observed = eks::list_associated_access_policies(c, &bp.cluster_name, &bp.principal_arn)
        .await?
        .unwrap_or_default();
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
