//! EKS Pod Identity associations (a service account's link to an IAM role):
//! create, describe, update, delete, and the one finder that apply, refresh
//! and import share: by known ID, else by namespace and service account.

use std::collections::BTreeMap;

use aws_sdk_eks::operation::delete_pod_identity_association::DeletePodIdentityAssociationError;
use aws_sdk_eks::operation::describe_pod_identity_association::DescribePodIdentityAssociationError;
use aws_sdk_eks::operation::list_pod_identity_associations::ListPodIdentityAssociationsError;
use aws_sdk_eks::types::PodIdentityAssociation;

use super::{create_with_retry, sorted_tags};
use crate::aws::response::{list_items, missing, non_empty, required, SdkAnswer};
use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};

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
    /// `disableSessionTags`: EKS then sets no session tags (a trust policy
    /// that requires `aws:RequestTag/...` refuses every pod). Absent reads as
    /// false (the API's default).
    pub disable_session_tags: bool,
    /// `externalId`: with a target role, the value EKS passes as
    /// `sts:ExternalId` when it assumes it.
    pub external_id: Option<String>,
    /// `policy`: the session policy, as EKS returns it.
    pub policy: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// The EKS add-on that owns the association (`ownerArn`): only the add-on
    /// may change or delete it.
    pub owner_arn: Option<String>,
    /// When EKS created the association (seconds since the epoch), if it says.
    pub created_at_epoch: Option<i64>,
}

/// What an association is set to: its roles and session settings (the
/// fields `CreatePodIdentityAssociation` and `UpdatePodIdentityAssociation`
/// share).
#[derive(Clone, Copy, Debug)]
pub struct AssociationSettings<'a> {
    pub role_arn: &'a str,
    pub target_role_arn: Option<&'a str>,
    pub disable_session_tags: bool,
    /// The session policy (`policy`).
    pub policy: Option<&'a str>,
}

/// `CreatePodIdentityAssociation`, retrying while EKS does not yet see a
/// just-created role ("Role provided in the request does not exist") and on
/// throttling. `None` when the service account already has an association.
pub async fn create_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    settings: &AssociationSettings<'_>,
    tags: &BTreeMap<String, String>,
    policy: &RetryPolicy,
) -> Result<Option<ObservedPodIdentityAssociation>, AwsError> {
    const OP: &str = "eks:CreatePodIdentityAssociation";
    let out = create_with_retry(OP, policy, tags, |token, tags| {
        c.eks
            .create_pod_identity_association()
            .cluster_name(cluster)
            .namespace(namespace)
            .service_account(service_account)
            .role_arn(settings.role_arn)
            .set_target_role_arn(settings.target_role_arn.map(str::to_owned))
            // Sent only when set, so a create looks as before to an EKS
            // that predates the fields.
            .set_disable_session_tags(settings.disable_session_tags.then_some(true))
            .set_policy(settings.policy.map(str::to_owned))
            .set_tags(tags)
            .client_request_token(token)
            .send()
    })
    .await?;
    out.map(|out| observed_association(OP, out.association()))
        .transpose()
}

/// `DescribePodIdentityAssociation`, or `None` when the association does not
/// exist, or its cluster does not (a cluster that is gone took its
/// associations with it).
pub async fn describe_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    association_id: &str,
) -> Result<Option<ObservedPodIdentityAssociation>, AwsError> {
    const OP: &str = "eks:DescribePodIdentityAssociation";
    c.eks
        .describe_pod_identity_association()
        .cluster_name(cluster)
        .association_id(association_id)
        .send()
        .await
        .found(
            OP,
            DescribePodIdentityAssociationError::is_resource_not_found_exception,
        )?
        .map(|out| observed_association(OP, out.association()))
        .transpose()
}

/// The association for a namespace and service account, as apply (to adopt
/// one left behind), refresh and import look for it: by `known_id` when the
/// state holds one; when it does not, or that association is gone,
/// `ListPodIdentityAssociations` filtered by namespace and service account
/// (every page), then `DescribePodIdentityAssociation`. `None` when there is
/// none, or the cluster is gone.
pub async fn find_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    known_id: Option<&str>,
) -> Result<Option<ObservedPodIdentityAssociation>, AwsError> {
    if let Some(id) = known_id {
        if let Some(found) = describe_pod_identity_association(c, cluster, id).await? {
            return Ok(Some(found));
        }
    }
    let Some(id) = association_id_for(c, cluster, namespace, service_account).await? else {
        return Ok(None);
    };
    describe_pod_identity_association(c, cluster, &id).await
}

/// `ListPodIdentityAssociations` filtered by namespace and service account,
/// every page: the ID of the one match, or `None` (also when the cluster is
/// gone).
async fn association_id_for(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
) -> Result<Option<String>, AwsError> {
    let listed = list_associations(c, cluster, Some((namespace, service_account))).await?;
    Ok(listed
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.namespace == namespace && s.service_account == service_account)
        .map(|s| s.association_id))
}

/// What `ListPodIdentityAssociations` says of an association: no role, no
/// tags (a describe has them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodIdentityAssociationSummary {
    pub association_id: String,
    pub namespace: String,
    pub service_account: String,
    /// The EKS add-on that owns the association, if one does.
    pub owner_arn: Option<String>,
}

/// `ListPodIdentityAssociations` of the whole cluster, every page (of 100,
/// the API's largest): every association's summary, or `None` when the
/// cluster is gone.
pub async fn list_pod_identity_associations(
    c: &AwsClients,
    cluster: &str,
) -> Result<Option<Vec<PodIdentityAssociationSummary>>, AwsError> {
    list_associations(c, cluster, None).await
}

/// `ListPodIdentityAssociations`, every page, filtered by namespace and
/// service account when `only` names them.
async fn list_associations(
    c: &AwsClients,
    cluster: &str,
    only: Option<(&str, &str)>,
) -> Result<Option<Vec<PodIdentityAssociationSummary>>, AwsError> {
    const OP: &str = "eks:ListPodIdentityAssociations";
    let request = c
        .eks
        .list_pod_identity_associations()
        .cluster_name(cluster)
        .set_namespace(only.map(|(ns, _)| ns.to_owned()))
        .set_service_account(only.map(|(_, sa)| sa.to_owned()));
    list_items(
        OP,
        request.into_paginator().page_size(100).send().try_collect(),
        ListPodIdentityAssociationsError::is_resource_not_found_exception,
        |page| page.associations(),
        |s| {
            Ok(PodIdentityAssociationSummary {
                association_id: required(OP, "associations[].associationId", s.association_id())?,
                namespace: required(OP, "associations[].namespace", s.namespace())?,
                service_account: required(
                    OP,
                    "associations[].serviceAccount",
                    s.service_account(),
                )?,
                owner_arn: non_empty(s.owner_arn()),
            })
        },
    )
    .await
}

/// `UpdatePodIdentityAssociation`: sets the role, the target role, session
/// tags and the session policy. `target_role_arn: None` is sent as `""`,
/// which removes a target role; `policy: None` likewise removes a session
/// policy.
pub async fn update_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    association_id: &str,
    settings: &AssociationSettings<'_>,
) -> Result<ObservedPodIdentityAssociation, AwsError> {
    const OP: &str = "eks:UpdatePodIdentityAssociation";
    let out = c
        .eks
        .update_pod_identity_association()
        .cluster_name(cluster)
        .association_id(association_id)
        .role_arn(settings.role_arn)
        .target_role_arn(settings.target_role_arn.unwrap_or(""))
        .disable_session_tags(settings.disable_session_tags)
        .policy(settings.policy.unwrap_or(""))
        .send()
        .await
        .or_error(OP)?;
    observed_association(OP, out.association())
}

/// `DeletePodIdentityAssociation`; done when the association is gone, or its
/// cluster is (a cluster that is gone took its associations with it).
pub async fn delete_pod_identity_association(
    c: &AwsClients,
    cluster: &str,
    association_id: &str,
) -> Result<(), AwsError> {
    c.eks
        .delete_pod_identity_association()
        .cluster_name(cluster)
        .association_id(association_id)
        .send()
        .await
        .done_if_not_found(
            "eks:DeletePodIdentityAssociation",
            DeletePodIdentityAssociationError::is_resource_not_found_exception,
        )
}

/// Ours for a response's `association` (an error when the response has none).
fn observed_association(
    operation: &'static str,
    a: Option<&PodIdentityAssociation>,
) -> Result<ObservedPodIdentityAssociation, AwsError> {
    let a = a.ok_or_else(|| missing(operation, "association"))?;
    Ok(ObservedPodIdentityAssociation {
        association_id: required(operation, "association.associationId", a.association_id())?,
        association_arn: required(operation, "association.associationArn", a.association_arn())?,
        cluster_name: required(operation, "association.clusterName", a.cluster_name())?,
        namespace: required(operation, "association.namespace", a.namespace())?,
        service_account: required(operation, "association.serviceAccount", a.service_account())?,
        role_arn: required(operation, "association.roleArn", a.role_arn())?,
        target_role_arn: non_empty(a.target_role_arn()),
        disable_session_tags: a.disable_session_tags().unwrap_or(false),
        external_id: non_empty(a.external_id()),
        policy: non_empty(a.policy()),
        tags: sorted_tags(a.tags()),
        owner_arn: non_empty(a.owner_arn()),
        created_at_epoch: a.created_at().map(|t| t.secs()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let observed =
            observed_association("eks:DescribePodIdentityAssociation", Some(&a)).unwrap();
        assert_eq!(observed.target_role_arn, None);
        assert!(!observed.disable_session_tags, "absent means false");
        assert!(observed.tags.is_empty());
        assert_eq!(observed.owner_arn, None);
    }
}
