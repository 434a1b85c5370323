//! EKS access entries (a principal's admission to a cluster, with its
//! Kubernetes groups and username): create, describe, update, delete; and the
//! access policies associated with an entry, each with a scope (the whole
//! cluster or some namespaces), plus the list of access policies that exist.
//! The SDK's scope type stays in this file.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_eks::operation::delete_access_entry::DeleteAccessEntryError;
use aws_sdk_eks::operation::describe_access_entry::DescribeAccessEntryError;
use aws_sdk_eks::operation::disassociate_access_policy::DisassociateAccessPolicyError;
use aws_sdk_eks::operation::list_access_entries::ListAccessEntriesError;
use aws_sdk_eks::operation::list_associated_access_policies::ListAssociatedAccessPoliciesError;
use aws_sdk_eks::types::{
    AccessEntry, AccessScope as SdkAccessScope, AccessScopeType, AssociatedAccessPolicy,
};

use super::{create_with_retry, sorted_tags};
use crate::aws::response::{list_items, missing, non_empty, required, SdkAnswer, INVALID_RESPONSE};
use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};

/// An access entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedAccessEntry {
    pub cluster_name: String,
    pub principal_arn: String,
    pub access_entry_arn: String,
    pub kubernetes_groups: BTreeSet<String>,
    pub username: Option<String>,
    /// `STANDARD`, `EC2_LINUX`, …
    pub entry_type: String,
    pub tags: BTreeMap<String, String>,
    /// When EKS created the entry (seconds since the epoch), if it says.
    pub created_at_epoch: Option<i64>,
}

/// `CreateAccessEntry` of type `STANDARD`, retrying while EKS does not yet
/// see the principal ("The specified principalArn is invalid: invalid
/// principal.") and on throttling. `username: None` lets EKS generate one.
/// `None` when the principal already has an entry.
pub async fn create_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
    kubernetes_groups: &BTreeSet<String>,
    username: Option<&str>,
    tags: &BTreeMap<String, String>,
    policy: &RetryPolicy,
) -> Result<Option<ObservedAccessEntry>, AwsError> {
    const OP: &str = "eks:CreateAccessEntry";
    let groups: Vec<String> = kubernetes_groups.iter().cloned().collect();
    let out = create_with_retry(OP, policy, tags, |token, tags| {
        c.eks
            .create_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal_arn)
            .r#type("STANDARD")
            .set_kubernetes_groups((!groups.is_empty()).then(|| groups.clone()))
            .set_username(username.map(str::to_owned))
            .set_tags(tags)
            .client_request_token(token)
            .send()
    })
    .await?;
    out.map(|out| observed_access_entry(OP, out.access_entry()))
        .transpose()
}

/// `DescribeAccessEntry`, or `None` when the entry does not exist, or its
/// cluster does not (a cluster that is gone took its entries with it).
pub async fn describe_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
) -> Result<Option<ObservedAccessEntry>, AwsError> {
    const OP: &str = "eks:DescribeAccessEntry";
    c.eks
        .describe_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .send()
        .await
        .found(
            OP,
            DescribeAccessEntryError::is_resource_not_found_exception,
        )?
        .map(|out| observed_access_entry(OP, out.access_entry()))
        .transpose()
}

/// `UpdateAccessEntry`: replaces the Kubernetes groups (an empty set clears
/// them) and, when `Some`, the username. `None` keeps the current username.
pub async fn update_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
    kubernetes_groups: &BTreeSet<String>,
    username: Option<&str>,
) -> Result<ObservedAccessEntry, AwsError> {
    const OP: &str = "eks:UpdateAccessEntry";
    let out = c
        .eks
        .update_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .set_kubernetes_groups(Some(kubernetes_groups.iter().cloned().collect()))
        .set_username(username.map(str::to_owned))
        .send()
        .await
        .or_error(OP)?;
    observed_access_entry(OP, out.access_entry())
}

/// `DeleteAccessEntry` (its access-policy associations go with it); done
/// when the entry is gone, or its cluster is (a cluster that is gone took
/// its entries with it).
pub async fn delete_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
) -> Result<(), AwsError> {
    c.eks
        .delete_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .send()
        .await
        .done_if_not_found(
            "eks:DeleteAccessEntry",
            DeleteAccessEntryError::is_resource_not_found_exception,
        )
}

/// Where an access policy applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessScope {
    Cluster,
    Namespaces(BTreeSet<String>),
}

/// An access policy associated with an access entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedPolicyAssociation {
    pub policy_arn: String,
    pub scope: AccessScope,
}

/// `ListAssociatedAccessPolicies`, every page, or `None` when the entry does
/// not exist, or its cluster does not (a cluster that is gone took its
/// entries and their associations with it).
pub async fn list_associated_access_policies(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
) -> Result<Option<Vec<ObservedPolicyAssociation>>, AwsError> {
    const OP: &str = "eks:ListAssociatedAccessPolicies";
    let request = c
        .eks
        .list_associated_access_policies()
        .cluster_name(cluster)
        .principal_arn(principal_arn);
    list_items(
        OP,
        request.into_paginator().send().try_collect(),
        ListAssociatedAccessPoliciesError::is_resource_not_found_exception,
        |page| page.associated_access_policies(),
        |associated| observed_policy_association(OP, associated),
    )
    .await
}

/// `AssociateAccessPolicy`: associates the policy with this scope, replacing
/// the scope when it is already associated.
pub async fn associate_access_policy(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
    policy_arn: &str,
    scope: &AccessScope,
) -> Result<(), AwsError> {
    c.eks
        .associate_access_policy()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .policy_arn(policy_arn)
        .access_scope(scope_to_sdk(scope))
        .send()
        .await
        .done("eks:AssociateAccessPolicy")
}

/// `DisassociateAccessPolicy`; done when the association, entry or cluster is gone.
pub async fn disassociate_access_policy(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
    policy_arn: &str,
) -> Result<(), AwsError> {
    c.eks
        .disassociate_access_policy()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .policy_arn(policy_arn)
        .send()
        .await
        .done_if_not_found(
            "eks:DisassociateAccessPolicy",
            DisassociateAccessPolicyError::is_resource_not_found_exception,
        )
}

/// `ListAccessEntries` of the whole cluster, every page (of 100, the API's
/// largest): the principal ARN of every entry, or `None` when the cluster is
/// gone.
pub async fn list_access_entries(
    c: &AwsClients,
    cluster: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    let request = c.eks.list_access_entries().cluster_name(cluster);
    list_items(
        "eks:ListAccessEntries",
        request.into_paginator().page_size(100).send().try_collect(),
        ListAccessEntriesError::is_resource_not_found_exception,
        |page| page.access_entries(),
        |arn| Ok(arn.clone()),
    )
    .await
}

/// `ListAccessPolicies`, every page: the ARNs of all access policies.
pub async fn list_access_policy_arns(c: &AwsClients) -> Result<BTreeSet<String>, AwsError> {
    const OP: &str = "eks:ListAccessPolicies";
    let pages = c
        .eks
        .list_access_policies()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .or_error(OP)?;
    pages
        .iter()
        .flat_map(|p| p.access_policies())
        .map(|policy| required(OP, "accessPolicies[].arn", policy.arn()))
        .collect()
}

/// Ours for one of `associatedAccessPolicies`.
fn observed_policy_association(
    operation: &'static str,
    associated: &AssociatedAccessPolicy,
) -> Result<ObservedPolicyAssociation, AwsError> {
    let scope = associated
        .access_scope()
        .ok_or_else(|| missing(operation, "associatedAccessPolicies[].accessScope"))?;
    Ok(ObservedPolicyAssociation {
        policy_arn: required(
            operation,
            "associatedAccessPolicies[].policyArn",
            associated.policy_arn(),
        )?,
        scope: scope_from_sdk(operation, scope)?,
    })
}

/// The SDK's access scope for ours.
fn scope_to_sdk(scope: &AccessScope) -> SdkAccessScope {
    match scope {
        AccessScope::Cluster => SdkAccessScope::builder()
            .r#type(AccessScopeType::Cluster)
            .build(),
        AccessScope::Namespaces(namespaces) => SdkAccessScope::builder()
            .r#type(AccessScopeType::Namespace)
            .set_namespaces(Some(namespaces.iter().cloned().collect()))
            .build(),
    }
}

/// Ours for the SDK's access scope; an unknown or missing type is an error.
fn scope_from_sdk(
    operation: &'static str,
    scope: &SdkAccessScope,
) -> Result<AccessScope, AwsError> {
    match scope.r#type() {
        Some(AccessScopeType::Cluster) => Ok(AccessScope::Cluster),
        Some(AccessScopeType::Namespace) => Ok(AccessScope::Namespaces(
            scope.namespaces().iter().cloned().collect(),
        )),
        Some(other) => Err(AwsError::new(
            operation,
            INVALID_RESPONSE,
            format!("unknown access scope type {:?}", other.as_str()),
        )),
        None => Err(missing(operation, "accessScope.type")),
    }
}

/// Ours for a response's `accessEntry` (an error when the response has none).
fn observed_access_entry(
    operation: &'static str,
    e: Option<&AccessEntry>,
) -> Result<ObservedAccessEntry, AwsError> {
    let e = e.ok_or_else(|| missing(operation, "accessEntry"))?;
    Ok(ObservedAccessEntry {
        cluster_name: required(operation, "accessEntry.clusterName", e.cluster_name())?,
        principal_arn: required(operation, "accessEntry.principalArn", e.principal_arn())?,
        access_entry_arn: required(
            operation,
            "accessEntry.accessEntryArn",
            e.access_entry_arn(),
        )?,
        kubernetes_groups: e.kubernetes_groups().iter().cloned().collect(),
        username: non_empty(e.username()),
        entry_type: required(operation, "accessEntry.type", e.r#type())?,
        tags: sorted_tags(e.tags()),
        created_at_epoch: e.created_at().map(|t| t.secs()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_entries_need_their_identifying_fields() {
        let entry = AccessEntry::builder()
            .cluster_name("c")
            .principal_arn("arn:aws:iam::1:role/r")
            .access_entry_arn("arn:aws:eks:us-east-1:1:access-entry/c/role/1/r/x")
            .kubernetes_groups("b")
            .kubernetes_groups("a")
            .username("")
            .r#type("STANDARD")
            .tags("k", "v")
            .build();
        let observed = observed_access_entry("eks:DescribeAccessEntry", Some(&entry)).unwrap();
        assert_eq!(
            observed.kubernetes_groups,
            BTreeSet::from(["a".into(), "b".into()])
        );
        assert_eq!(observed.username, None);
        assert_eq!(observed.tags, BTreeMap::from([("k".into(), "v".into())]));
        let bare = AccessEntry::builder().cluster_name("c").build();
        let err = observed_access_entry("eks:DescribeAccessEntry", Some(&bare)).unwrap_err();
        assert_eq!(err.code, INVALID_RESPONSE);
        assert!(err.message.contains("principalArn"));
    }

    #[test]
    fn scopes_convert_both_ways() {
        let namespaces = AccessScope::Namespaces(BTreeSet::from(["a".into(), "team-*".into()]));
        for scope in [AccessScope::Cluster, namespaces] {
            let sdk = scope_to_sdk(&scope);
            assert_eq!(scope_from_sdk("eks:Test", &sdk).unwrap(), scope);
        }
        let sdk = scope_to_sdk(&AccessScope::Namespaces(BTreeSet::from([
            "b".into(),
            "a".into(),
        ])));
        assert_eq!(sdk.r#type(), Some(&AccessScopeType::Namespace));
        assert_eq!(sdk.namespaces(), ["a", "b"]);
        assert!(scope_to_sdk(&AccessScope::Cluster).namespaces().is_empty());
    }

    #[test]
    fn unknown_or_missing_scope_types_are_errors() {
        let unknown = SdkAccessScope::builder()
            .r#type(AccessScopeType::from("galaxy"))
            .build();
        let err = scope_from_sdk("eks:ListAssociatedAccessPolicies", &unknown).unwrap_err();
        assert_eq!(err.code, INVALID_RESPONSE);
        assert!(err.message.contains("galaxy"));
        let none = SdkAccessScope::builder().build();
        assert!(scope_from_sdk("eks:X", &none).is_err());
    }
}
