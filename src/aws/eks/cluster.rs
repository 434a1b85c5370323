//! EKS clusters, read only: `DescribeCluster` reduced to what plan-time
//! checks and the intents need (ARN, OIDC issuer, authentication mode,
//! status), and `ListClusters` (the names a "not found" compares with).
//! The provider never creates or changes a cluster.

use aws_sdk_eks::operation::describe_cluster::DescribeClusterError;
use aws_sdk_eks::types::AuthenticationMode as SdkAuthenticationMode;

use crate::aws::response::{missing, non_empty, required, SdkAnswer};
use crate::aws::{AwsClients, AwsError};

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

/// `DescribeCluster`, or `None` when there is no such cluster.
pub async fn describe_cluster(
    c: &AwsClients,
    name: &str,
) -> Result<Option<ObservedCluster>, AwsError> {
    const OP: &str = "eks:DescribeCluster";
    let Some(out) = c
        .eks
        .describe_cluster()
        .name(name)
        .send()
        .await
        .found(OP, DescribeClusterError::is_resource_not_found_exception)?
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

/// `ListClusters`, every page: the names of the region's clusters.
pub async fn list_clusters(c: &AwsClients) -> Result<Vec<String>, AwsError> {
    const OP: &str = "eks:ListClusters";
    let pages = c
        .eks
        .list_clusters()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .or_error(OP)?;
    Ok(pages.iter().flat_map(|p| p.clusters()).cloned().collect())
}

fn authentication_mode(mode: Option<&SdkAuthenticationMode>) -> AuthenticationMode {
    match mode {
        Some(SdkAuthenticationMode::Api) => AuthenticationMode::Api,
        Some(SdkAuthenticationMode::ApiAndConfigMap) => AuthenticationMode::ApiAndConfigMap,
        Some(SdkAuthenticationMode::ConfigMap) | None => AuthenticationMode::ConfigMap,
        Some(other) => AuthenticationMode::Other(other.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
