//! EKS access entries (a principal's admission to a cluster, with its
//! Kubernetes groups and username): create, describe, update, delete. The
//! access policies associated with an entry are in `access_policy.rs`.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_eks::operation::delete_access_entry::DeleteAccessEntryError;
use aws_sdk_eks::operation::describe_access_entry::DescribeAccessEntryError;
use aws_sdk_eks::types::AccessEntry;

use super::{client_request_token, eks_tags, sorted_tags};
use crate::aws::response::{done_if_not_found, found, missing, non_empty, required};
use crate::aws::retry::{retry_eventual_consistency, RetryPolicy};
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
}

/// `CreateAccessEntry` of type `STANDARD`, retrying while EKS does not yet
/// see the principal ("The specified principalArn is invalid: invalid
/// principal.") and on throttling. `username: None` lets EKS generate one.
pub async fn create_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
    kubernetes_groups: &BTreeSet<String>,
    username: Option<&str>,
    tags: &BTreeMap<String, String>,
    policy: &RetryPolicy,
) -> Result<ObservedAccessEntry, AwsError> {
    const OP: &str = "eks:CreateAccessEntry";
    let token = client_request_token();
    let tags = eks_tags(tags);
    let groups: Vec<String> = kubernetes_groups.iter().cloned().collect();
    let out = retry_eventual_consistency(OP, policy, || {
        let request = c
            .eks
            .create_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal_arn)
            .r#type("STANDARD")
            .set_kubernetes_groups((!groups.is_empty()).then(|| groups.clone()))
            .set_username(username.map(str::to_owned))
            .set_tags(tags.clone())
            .client_request_token(&token);
        async move { request.send().await.map_err(|e| AwsError::from_sdk(OP, e)) }
    })
    .await?;
    let entry = out
        .access_entry()
        .ok_or_else(|| missing(OP, "accessEntry"))?;
    observed_access_entry(OP, entry)
}

/// `DescribeAccessEntry`, or `None` when the entry does not exist, or its
/// cluster does not (a cluster that is gone took its entries with it).
pub async fn describe_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
) -> Result<Option<ObservedAccessEntry>, AwsError> {
    const OP: &str = "eks:DescribeAccessEntry";
    let out = c
        .eks
        .describe_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .send()
        .await;
    let Some(out) = found(
        OP,
        out,
        DescribeAccessEntryError::is_resource_not_found_exception,
    )?
    else {
        return Ok(None);
    };
    let entry = out
        .access_entry()
        .ok_or_else(|| missing(OP, "accessEntry"))?;
    observed_access_entry(OP, entry).map(Some)
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
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    let entry = out
        .access_entry()
        .ok_or_else(|| missing(OP, "accessEntry"))?;
    observed_access_entry(OP, entry)
}

/// `DeleteAccessEntry` (its access-policy associations go with it); done
/// when the entry is gone, or its cluster is (a cluster that is gone took
/// its entries with it).
pub async fn delete_access_entry(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
) -> Result<(), AwsError> {
    const OP: &str = "eks:DeleteAccessEntry";
    let out = c
        .eks
        .delete_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .send()
        .await;
    done_if_not_found(
        OP,
        out,
        DeleteAccessEntryError::is_resource_not_found_exception,
    )
}

fn observed_access_entry(
    operation: &'static str,
    e: &AccessEntry,
) -> Result<ObservedAccessEntry, AwsError> {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::response::INVALID_RESPONSE;

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
        let observed = observed_access_entry("eks:DescribeAccessEntry", &entry).unwrap();
        assert_eq!(
            observed.kubernetes_groups,
            BTreeSet::from(["a".into(), "b".into()])
        );
        assert_eq!(observed.username, None);
        assert_eq!(observed.tags, BTreeMap::from([("k".into(), "v".into())]));
        let bare = AccessEntry::builder().cluster_name("c").build();
        let err = observed_access_entry("eks:DescribeAccessEntry", &bare).unwrap_err();
        assert_eq!(err.code, INVALID_RESPONSE);
        assert!(err.message.contains("principalArn"));
    }
}
