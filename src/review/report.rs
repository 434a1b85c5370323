//! The rows of a cluster's access review, from what was read (pure): who
//! holds an access entry and with which access policies, which eksrole
//! intent manages each entry and association, and which entries are stale
//! (their principal was deleted, or deleted and created again: EKS binds an
//! entry to the principal's unique ID, so such an entry grants nothing).

use crate::aws::eks::{
    AccessScope, ObservedAccessEntry, ObservedPodIdentityAssociation, ObservedPolicyAssociation,
};
use crate::aws::iam::PrincipalAge;
use crate::intent::tags::intent_id;

/// What was read of one access entry.
#[derive(Clone, Debug)]
pub struct EntryFacts {
    pub entry: ObservedAccessEntry,
    pub policies: Vec<ObservedPolicyAssociation>,
    pub principal: PrincipalAge,
}

/// One access policy associated with an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRow {
    pub policy_arn: String,
    /// `cluster` or `namespace`.
    pub scope: &'static str,
    pub namespaces: Vec<String>,
}

/// One access entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    pub principal_arn: String,
    pub entry_type: String,
    pub kubernetes_groups: Vec<String>,
    pub username: String,
    pub access_policies: Vec<PolicyRow>,
    /// `<intent>:<id>` of the eksrole intent whose ownership tags it
    /// carries, or empty.
    pub managed_by: String,
    pub stale: bool,
}

/// One Pod Identity association.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssociationRow {
    pub namespace: String,
    pub service_account: String,
    pub role_arn: String,
    pub target_role_arn: String,
    pub owner_arn: String,
    pub managed_by: String,
}

/// The review of one cluster, in a stable order (by principal ARN; by
/// namespace and service account) so that plans do not show a reordering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterReview {
    pub entries: Vec<EntryRow>,
    pub associations: Vec<AssociationRow>,
}

pub fn review(
    entries: Vec<EntryFacts>,
    associations: Vec<ObservedPodIdentityAssociation>,
) -> ClusterReview {
    let mut entries: Vec<EntryRow> = entries.into_iter().map(entry_row).collect();
    entries.sort_by(|a, b| a.principal_arn.cmp(&b.principal_arn));
    let mut associations: Vec<AssociationRow> =
        associations.into_iter().map(association_row).collect();
    associations.sort_by(|a, b| {
        (&a.namespace, &a.service_account).cmp(&(&b.namespace, &b.service_account))
    });
    ClusterReview {
        entries,
        associations,
    }
}

/// Whether an entry created at `entry_created` no longer grants its
/// principal anything: the principal is gone, or was created after the
/// entry (so it is a new principal with the same name). Unknown dates and
/// principals that were not looked up (another account's, `:root`) are
/// not stale: the review reports only what it can show.
pub fn stale(entry_created: Option<i64>, principal: PrincipalAge) -> bool {
    match (principal, entry_created) {
        (PrincipalAge::Missing, _) => true,
        (PrincipalAge::Created(Some(principal)), Some(entry)) => principal > entry,
        _ => false,
    }
}

fn entry_row(facts: EntryFacts) -> EntryRow {
    let EntryFacts {
        entry,
        policies,
        principal,
    } = facts;
    let mut access_policies: Vec<PolicyRow> = policies.into_iter().map(policy_row).collect();
    access_policies.sort_by(|a, b| a.policy_arn.cmp(&b.policy_arn));
    EntryRow {
        stale: stale(entry.created_at_epoch, principal),
        managed_by: intent_id(&entry.tags).unwrap_or_default(),
        principal_arn: entry.principal_arn,
        entry_type: entry.entry_type,
        kubernetes_groups: entry.kubernetes_groups.into_iter().collect(),
        username: entry.username.unwrap_or_default(),
        access_policies,
    }
}

fn policy_row(p: ObservedPolicyAssociation) -> PolicyRow {
    let (scope, namespaces) = match p.scope {
        AccessScope::Cluster => ("cluster", Vec::new()),
        AccessScope::Namespaces(ns) => ("namespace", ns.into_iter().collect()),
    };
    PolicyRow {
        policy_arn: p.policy_arn,
        scope,
        namespaces,
    }
}

fn association_row(a: ObservedPodIdentityAssociation) -> AssociationRow {
    AssociationRow {
        managed_by: intent_id(&a.tags).unwrap_or_default(),
        namespace: a.namespace,
        service_account: a.service_account,
        role_arn: a.role_arn,
        target_role_arn: a.target_role_arn.unwrap_or_default(),
        owner_arn: a.owner_arn.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests;
