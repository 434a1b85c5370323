//! An EKS Pod Identity association reconciled to its blueprint: found by its
//! ID or by namespace and service account (adopting one left behind), created
//! when missing, updated in place when its roles differ.

use crate::aws::eks::{self, ObservedPodIdentityAssociation};
use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};
use crate::intent::PodIdentityAssociationBlueprint;

pub async fn ensure_association(
    c: &AwsClients,
    bp: &PodIdentityAssociationBlueprint,
    known_id: Option<&str>,
    retry: &RetryPolicy,
) -> Result<ObservedPodIdentityAssociation, AwsError> {
    let existing = eks::find_pod_identity_association(
        c,
        &bp.cluster_name,
        &bp.namespace,
        &bp.service_account,
        known_id,
    )
    .await?;
    match existing {
        None => {
            eks::create_pod_identity_association(
                c,
                &bp.cluster_name,
                &bp.namespace,
                &bp.service_account,
                &bp.role_arn,
                bp.target_role_arn.as_deref(),
                &bp.tags,
                retry,
            )
            .await
        }
        Some(a) if a.role_arn == bp.role_arn && a.target_role_arn == bp.target_role_arn => Ok(a),
        Some(a) => {
            eks::update_pod_identity_association(
                c,
                &bp.cluster_name,
                &a.association_id,
                &bp.role_arn,
                bp.target_role_arn.as_deref(),
            )
            .await
        }
    }
}

/// Deletes the association by ID, or the one for the namespace and service
/// account when the ID is not known; gone already counts as deleted.
pub async fn remove_association(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    known_id: Option<&str>,
) -> Result<(), AwsError> {
    let id = match known_id {
        Some(id) => Some(id.to_owned()),
        None => eks::find_pod_identity_association(c, cluster, namespace, service_account, None)
            .await?
            .map(|a| a.association_id),
    };
    match id {
        Some(id) => eks::delete_pod_identity_association(c, cluster, &id).await,
        None => Ok(()),
    }
}
