//! EKS calls: clusters and add-ons (read only), Pod Identity associations,
//! access entries and their access-policy associations.
//!
//! One `async fn` per API call (or a small composite such as
//! [`find_pod_identity_association`]). `ResourceNotFoundException` is
//! `Ok(None)` (or success, for deletes); results are plain structs.
//!
//! API semantics that matter to callers:
//! - `UpdatePodIdentityAssociation` removes the target role when
//!   `targetRoleArn` is the empty string; omitting it keeps the current one.
//!   [`update_pod_identity_association`] always sends it (`None` → `""`).
//! - `UpdateAccessEntry` replaces `kubernetesGroups` with the list sent (an
//!   empty list clears them) and leaves them alone when omitted;
//!   [`update_access_entry`] always sends the list. An omitted `username`
//!   keeps the current one: there is no way back to EKS's generated default
//!   short of recreating the entry.
//! - `AssociateAccessPolicy` on an already-associated policy replaces its scope.
//! - Creates carry one client request token across eventual-consistency
//!   retries, so a create that succeeded but whose answer was lost is not
//!   duplicated.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_eks::operation::delete_access_entry::DeleteAccessEntryError;
use aws_sdk_eks::operation::delete_pod_identity_association::DeletePodIdentityAssociationError;
use aws_sdk_eks::operation::describe_access_entry::DescribeAccessEntryError;
use aws_sdk_eks::operation::describe_addon::DescribeAddonError;
use aws_sdk_eks::operation::describe_cluster::DescribeClusterError;
use aws_sdk_eks::operation::describe_pod_identity_association::DescribePodIdentityAssociationError;
use aws_sdk_eks::operation::disassociate_access_policy::DisassociateAccessPolicyError;
use aws_sdk_eks::operation::list_associated_access_policies::ListAssociatedAccessPoliciesError;
use aws_sdk_eks::operation::list_pod_identity_associations::ListPodIdentityAssociationsError;
use aws_sdk_eks::types::{
    AccessEntry, AccessScope as SdkAccessScope, AccessScopeType,
    AuthenticationMode as SdkAuthenticationMode, PodIdentityAssociation,
};

use super::response::{done_if_not_found, found, missing, non_empty, required, INVALID_RESPONSE};
use super::retry::{retry_eventual_consistency, RetryPolicy};
use super::{AwsClients, AwsError};

/// A cluster's `accessConfig.authenticationMode`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AuthenticationMode {
    Api,
    ApiAndConfigMap,
    ConfigMap,
    Other(String),
}

impl AuthenticationMode {
    /// Whether the mode allows access entries (`API` or `API_AND_CONFIG_MAP`).
    pub fn allows_access_entries(&self) -> bool {
        matches!(
            self,
            AuthenticationMode::Api | AuthenticationMode::ApiAndConfigMap
        )
    }

    /// The API's spelling: `API`, `API_AND_CONFIG_MAP`, `CONFIG_MAP`, or the
    /// unrecognised value.
    pub fn as_str(&self) -> &str {
        match self {
            AuthenticationMode::Api => "API",
            AuthenticationMode::ApiAndConfigMap => "API_AND_CONFIG_MAP",
            AuthenticationMode::ConfigMap => "CONFIG_MAP",
            AuthenticationMode::Other(other) => other,
        }
    }
}

/// A cluster as `DescribeCluster` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedCluster {
    pub name: String,
    pub arn: String,
    /// `identity.oidc.issuer`, with its `https://` scheme, when the cluster has one.
    pub oidc_issuer: Option<String>,
    /// `CONFIG_MAP` when the response has no `accessConfig` (clusters older
    /// than access entries).
    pub authentication_mode: AuthenticationMode,
    /// `CREATING`, `ACTIVE`, `DELETING`, `FAILED`, `UPDATING`, `PENDING`.
    pub status: String,
}

/// A Pod Identity association.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedPodIdentityAssociation {
    pub association_id: String,
    pub association_arn: String,
    pub cluster_name: String,
    pub namespace: String,
    pub service_account: String,
    pub role_arn: String,
    pub target_role_arn: Option<String>,
    pub tags: BTreeMap<String, String>,
}

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

/// `DescribeCluster`, or `None` when there is no such cluster.
pub async fn describe_cluster(
    c: &AwsClients,
    name: &str,
) -> Result<Option<ObservedCluster>, AwsError> {
    const OP: &str = "eks:DescribeCluster";
    let out = c.eks.describe_cluster().name(name).send().await;
    let Some(out) = found(
        OP,
        out,
        DescribeClusterError::is_resource_not_found_exception,
    )?
    else {
        return Ok(None);
    };
    let cluster = out.cluster().ok_or_else(|| missing(OP, "cluster"))?;
    Ok(Some(ObservedCluster {
        name: required(OP, "cluster.name", cluster.name())?,
        arn: required(OP, "cluster.arn", cluster.arn())?,
        oidc_issuer: non_empty(
            cluster
                .identity()
                .and_then(|i| i.oidc())
                .and_then(|o| o.issuer()),
        ),
        authentication_mode: authentication_mode(
            cluster
                .access_config()
                .and_then(|a| a.authentication_mode()),
        ),
        status: required(OP, "cluster.status", cluster.status().map(|s| s.as_str()))?,
    }))
}

/// `DescribeAddon`: the add-on's status (`ACTIVE`, `CREATING`, `DEGRADED`, …),
/// or `None` when the add-on (or the cluster) does not exist.
pub async fn addon_present(
    c: &AwsClients,
    cluster: &str,
    addon_name: &str,
) -> Result<Option<String>, AwsError> {
    const OP: &str = "eks:DescribeAddon";
    let out = c
        .eks
        .describe_addon()
        .cluster_name(cluster)
        .addon_name(addon_name)
        .send()
        .await;
    let Some(out) = found(OP, out, DescribeAddonError::is_resource_not_found_exception)? else {
        return Ok(None);
    };
    let addon = out.addon().ok_or_else(|| missing(OP, "addon"))?;
    required(OP, "addon.status", addon.status().map(|s| s.as_str())).map(Some)
}

/// `CreatePodIdentityAssociation`, retrying while EKS does not yet see a
/// just-created role ("Role provided in the request does not exist") and on
/// throttling.
#[allow(clippy::too_many_arguments)]
pub async fn create_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    role_arn: &str,
    target_role_arn: Option<&str>,
    tags: &BTreeMap<String, String>,
    policy: &RetryPolicy,
) -> Result<ObservedPodIdentityAssociation, AwsError> {
    const OP: &str = "eks:CreatePodIdentityAssociation";
    let token = client_request_token();
    let tags = eks_tags(tags);
    let out = retry_eventual_consistency(OP, policy, || {
        let request = c
            .eks
            .create_pod_identity_association()
            .cluster_name(cluster)
            .namespace(namespace)
            .service_account(service_account)
            .role_arn(role_arn)
            .set_target_role_arn(target_role_arn.map(str::to_owned))
            .set_tags(tags.clone())
            .client_request_token(&token);
        async move { request.send().await.map_err(|e| AwsError::from_sdk(OP, e)) }
    })
    .await?;
    let association = out
        .association()
        .ok_or_else(|| missing(OP, "association"))?;
    observed_association(OP, association)
}

/// `DescribePodIdentityAssociation`, or `None` when the association (or the
/// cluster) does not exist.
pub async fn describe_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    association_id: &str,
) -> Result<Option<ObservedPodIdentityAssociation>, AwsError> {
    const OP: &str = "eks:DescribePodIdentityAssociation";
    let out = c
        .eks
        .describe_pod_identity_association()
        .cluster_name(cluster)
        .association_id(association_id)
        .send()
        .await;
    let Some(out) = found(
        OP,
        out,
        DescribePodIdentityAssociationError::is_resource_not_found_exception,
    )?
    else {
        return Ok(None);
    };
    let association = out
        .association()
        .ok_or_else(|| missing(OP, "association"))?;
    observed_association(OP, association).map(Some)
}

/// The association for a namespace and service account:
/// `ListPodIdentityAssociations` filtered by both (every page), then
/// `DescribePodIdentityAssociation`. `None` when there is none (or no cluster).
pub async fn find_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
) -> Result<Option<ObservedPodIdentityAssociation>, AwsError> {
    const OP: &str = "eks:ListPodIdentityAssociations";
    let pages = c
        .eks
        .list_pod_identity_associations()
        .cluster_name(cluster)
        .namespace(namespace)
        .service_account(service_account)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = found(
        OP,
        pages,
        ListPodIdentityAssociationsError::is_resource_not_found_exception,
    )?
    else {
        return Ok(None);
    };
    let summary = pages
        .iter()
        .flat_map(|page| page.associations())
        .find(|s| s.namespace() == Some(namespace) && s.service_account() == Some(service_account));
    let Some(summary) = summary else {
        return Ok(None);
    };
    let association_id = required(OP, "associations[].associationId", summary.association_id())?;
    describe_pod_identity_association(c, cluster, &association_id).await
}

/// `UpdatePodIdentityAssociation`: sets the role and the target role.
/// `target_role_arn: None` is sent as `""`, which removes a target role.
pub async fn update_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    association_id: &str,
    role_arn: &str,
    target_role_arn: Option<&str>,
) -> Result<ObservedPodIdentityAssociation, AwsError> {
    const OP: &str = "eks:UpdatePodIdentityAssociation";
    let out = c
        .eks
        .update_pod_identity_association()
        .cluster_name(cluster)
        .association_id(association_id)
        .role_arn(role_arn)
        .target_role_arn(target_role_arn.unwrap_or(""))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    let association = out
        .association()
        .ok_or_else(|| missing(OP, "association"))?;
    observed_association(OP, association)
}

/// `DeletePodIdentityAssociation`; done when it (or the cluster) is gone.
pub async fn delete_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    association_id: &str,
) -> Result<(), AwsError> {
    const OP: &str = "eks:DeletePodIdentityAssociation";
    let out = c
        .eks
        .delete_pod_identity_association()
        .cluster_name(cluster)
        .association_id(association_id)
        .send()
        .await;
    done_if_not_found(
        OP,
        out,
        DeletePodIdentityAssociationError::is_resource_not_found_exception,
    )
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

/// `DescribeAccessEntry`, or `None` when the entry (or the cluster) does not exist.
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

/// `DeleteAccessEntry`; done when the entry (or the cluster) is gone.
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

/// `ListAssociatedAccessPolicies`, every page, or `None` when the entry (or
/// the cluster) does not exist.
pub async fn list_associated_access_policies(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
) -> Result<Option<Vec<ObservedPolicyAssociation>>, AwsError> {
    const OP: &str = "eks:ListAssociatedAccessPolicies";
    let pages = c
        .eks
        .list_associated_access_policies()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = found(
        OP,
        pages,
        ListAssociatedAccessPoliciesError::is_resource_not_found_exception,
    )?
    else {
        return Ok(None);
    };
    let mut associations = Vec::new();
    for associated in pages.iter().flat_map(|p| p.associated_access_policies()) {
        let scope = associated
            .access_scope()
            .ok_or_else(|| missing(OP, "associatedAccessPolicies[].accessScope"))?;
        associations.push(ObservedPolicyAssociation {
            policy_arn: required(
                OP,
                "associatedAccessPolicies[].policyArn",
                associated.policy_arn(),
            )?,
            scope: scope_from_sdk(OP, scope)?,
        });
    }
    Ok(Some(associations))
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
    const OP: &str = "eks:AssociateAccessPolicy";
    c.eks
        .associate_access_policy()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .policy_arn(policy_arn)
        .access_scope(scope_to_sdk(scope))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
}

/// `DisassociateAccessPolicy`; done when the association, entry or cluster is gone.
pub async fn disassociate_access_policy(
    c: &AwsClients,
    cluster: &str,
    principal_arn: &str,
    policy_arn: &str,
) -> Result<(), AwsError> {
    const OP: &str = "eks:DisassociateAccessPolicy";
    let out = c
        .eks
        .disassociate_access_policy()
        .cluster_name(cluster)
        .principal_arn(principal_arn)
        .policy_arn(policy_arn)
        .send()
        .await;
    done_if_not_found(
        OP,
        out,
        DisassociateAccessPolicyError::is_resource_not_found_exception,
    )
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
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    pages
        .iter()
        .flat_map(|p| p.access_policies())
        .map(|policy| required(OP, "accessPolicies[].arn", policy.arn()))
        .collect()
}

/// The SDK's access scope for ours.
pub fn scope_to_sdk(scope: &AccessScope) -> SdkAccessScope {
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
pub fn scope_from_sdk(
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

fn authentication_mode(mode: Option<&SdkAuthenticationMode>) -> AuthenticationMode {
    match mode {
        Some(SdkAuthenticationMode::Api) => AuthenticationMode::Api,
        Some(SdkAuthenticationMode::ApiAndConfigMap) => AuthenticationMode::ApiAndConfigMap,
        Some(SdkAuthenticationMode::ConfigMap) | None => AuthenticationMode::ConfigMap,
        Some(other) => AuthenticationMode::Other(other.as_str().to_owned()),
    }
}

fn observed_association(
    operation: &'static str,
    a: &PodIdentityAssociation,
) -> Result<ObservedPodIdentityAssociation, AwsError> {
    Ok(ObservedPodIdentityAssociation {
        association_id: required(operation, "association.associationId", a.association_id())?,
        association_arn: required(operation, "association.associationArn", a.association_arn())?,
        cluster_name: required(operation, "association.clusterName", a.cluster_name())?,
        namespace: required(operation, "association.namespace", a.namespace())?,
        service_account: required(operation, "association.serviceAccount", a.service_account())?,
        role_arn: required(operation, "association.roleArn", a.role_arn())?,
        target_role_arn: non_empty(a.target_role_arn()),
        tags: sorted_tags(a.tags()),
    })
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

fn sorted_tags(tags: Option<&HashMap<String, String>>) -> BTreeMap<String, String> {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn eks_tags(tags: &BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    (!tags.is_empty()).then(|| tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// A token unique to one logical create, reused across its retries.
fn client_request_token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("eksrole-{:x}-{nanos:x}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn authentication_modes_map_and_default_to_config_map() {
        assert_eq!(
            authentication_mode(Some(&SdkAuthenticationMode::Api)),
            AuthenticationMode::Api
        );
        assert_eq!(
            authentication_mode(Some(&SdkAuthenticationMode::ApiAndConfigMap)),
            AuthenticationMode::ApiAndConfigMap
        );
        assert_eq!(authentication_mode(None), AuthenticationMode::ConfigMap);
        let other = authentication_mode(Some(&SdkAuthenticationMode::from("NEW_MODE")));
        assert_eq!(other, AuthenticationMode::Other("NEW_MODE".into()));
        assert_eq!(other.as_str(), "NEW_MODE");
        assert!(!other.allows_access_entries());
        assert!(AuthenticationMode::Api.allows_access_entries());
        assert!(AuthenticationMode::ApiAndConfigMap.allows_access_entries());
        assert!(!AuthenticationMode::ConfigMap.allows_access_entries());
    }

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

    #[test]
    fn association_target_role_empty_means_none() {
        let a = PodIdentityAssociation::builder()
            .association_id("a-1")
            .association_arn("arn:aws:eks:us-east-1:1:podidentityassociation/c/a-1")
            .cluster_name("c")
            .namespace("ns")
            .service_account("sa")
            .role_arn("arn:aws:iam::1:role/r")
            .target_role_arn("")
            .build();
        let observed = observed_association("eks:DescribePodIdentityAssociation", &a).unwrap();
        assert_eq!(observed.target_role_arn, None);
        assert!(observed.tags.is_empty());
    }

    #[test]
    fn request_tokens_are_unique() {
        let a = client_request_token();
        let b = client_request_token();
        assert_ne!(a, b);
        assert!(a.len() <= 64, "{a}");
    }
}
