//! EKS access policies: the ones that exist (`ListAccessPolicies`), and
//! their associations with an access entry, each with a scope (the whole
//! cluster or some namespaces). The SDK's scope type stays in this file.

use std::collections::BTreeSet;

use aws_sdk_eks::operation::disassociate_access_policy::DisassociateAccessPolicyError;
use aws_sdk_eks::operation::list_associated_access_policies::ListAssociatedAccessPoliciesError;
use aws_sdk_eks::types::{AccessScope as SdkAccessScope, AccessScopeType};

use crate::aws::response::{done_if_not_found, found, missing, required, INVALID_RESPONSE};
use crate::aws::{AwsClients, AwsError};

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
}
