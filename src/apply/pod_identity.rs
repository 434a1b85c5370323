//! An EKS Pod Identity association reconciled to its blueprint: found by its
//! ID or by namespace and service account, created when missing, updated in
//! place when its roles, session tags or session policy differ. One found by namespace and service account is
//! changed or deleted only when the [`Claim`] owns it (this intent's tags, or
//! the ID in the prior state); never one an EKS add-on owns. One it owns
//! gets the blueprint's tags it lacks (after an import, the ownership tags).

use crate::aws::eks::{self, AssociationSettings, ObservedPodIdentityAssociation};
use crate::aws::iam::ObservedRole;
use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};
use crate::intent::policy_json::policies_equivalent;
use crate::intent::PodIdentityAssociationBlueprint;

use super::ownership::add_missing_tags;
use super::{Claim, Failure};

/// Creates the association, or brings the existing one in line when `claim`
/// owns it (else refuses on `service_account`, having changed nothing).
/// `role`: the role the role step left, which the association points at.
/// On a create, an association of this intent that completes the role was
/// made by another apply racing this one: refused, and this state keeps
/// nothing ([`Claim::check_race`]); one that EKS reports as created while
/// this apply's create was on its way is looked up and judged the same way.
pub async fn ensure_association(
    c: &AwsClients,
    bp: &PodIdentityAssociationBlueprint,
    claim: &Claim<'_>,
    role: &ObservedRole,
    retry: &RetryPolicy,
) -> Result<ObservedPodIdentityAssociation, Failure> {
    let find = || {
        eks::find_pod_identity_association(
            c,
            &bp.cluster_name,
            &bp.namespace,
            &bp.service_account,
            claim.association_id,
        )
    };
    let wanted = settings(bp);
    let create = || {
        eks::create_pod_identity_association(
            c,
            &bp.cluster_name,
            &bp.namespace,
            &bp.service_account,
            &wanted,
            &bp.tags,
            retry,
        )
    };
    // A create goes straight to CreatePodIdentityAssociation: "in use" is an
    // answer that leads to the same look-up and ownership checks, so the
    // normal path saves a listing of the cluster's associations.
    let found = match claim.creating && claim.association_id.is_none() {
        true => None,
        false => find().await?,
    };
    let existing = match found {
        Some(a) => a,
        None => match create().await? {
            Some(a) => return Ok(a),
            None => find().await?.ok_or_else(|| {
                AwsError::new(
                    "eks:CreatePodIdentityAssociation",
                    "ResourceInUseException",
                    "EKS reported an association for the service account, then none: it was deleted meanwhile. Apply again.",
                )
            })?,
        },
    };
    if !claim.owns_association(&existing) {
        return Err(claim.association_refusal(&existing, &role.name).into());
    }
    claim.check_race(
        role,
        "service_account",
        &existing.association_id,
        existing.created_at_epoch,
    )?;
    // Session tags switched out of band break every pod when the trust
    // policy requires them: the update sets them as the blueprint says.
    let mut a = if in_line(&existing, bp) {
        existing
    } else {
        eks::update_pod_identity_association(
            c,
            &bp.cluster_name,
            &existing.association_id,
            &settings(bp),
        )
        .await?
    };
    // One taken over by import has no ownership tags yet.
    add_missing_tags(c, &a.association_arn, &mut a.tags, &bp.tags).await?;
    Ok(a)
}

/// The association's settings in a blueprint.
fn settings(bp: &PodIdentityAssociationBlueprint) -> AssociationSettings<'_> {
    AssociationSettings {
        role_arn: &bp.role_arn,
        target_role_arn: bp.target_role_arn.as_deref(),
        disable_session_tags: bp.disable_session_tags,
        policy: bp.session_policy.as_deref(),
    }
}

/// Whether an association already has the blueprint's roles and session
/// settings (a session policy compared as a document, not as text).
fn in_line(a: &ObservedPodIdentityAssociation, bp: &PodIdentityAssociationBlueprint) -> bool {
    let policy_same = match (&a.policy, &bp.session_policy) {
        (None, None) => true,
        (Some(have), Some(want)) => policies_equivalent(have, want),
        _ => false,
    };
    a.role_arn == bp.role_arn
        && a.target_role_arn == bp.target_role_arn
        && a.disable_session_tags == bp.disable_session_tags
        && policy_same
}

/// Deletes the association this resource owns for the namespace and service
/// account: the prior state's (`claim.association_id`), else one with this
/// intent's ownership tags. Any other one is left alone; gone already counts
/// as deleted.
pub async fn remove_association(
    c: &AwsClients,
    cluster: &str,
    namespace: &str,
    service_account: &str,
    claim: &Claim<'_>,
) -> Result<(), AwsError> {
    let found = eks::find_pod_identity_association(
        c,
        cluster,
        namespace,
        service_account,
        claim.association_id,
    )
    .await?;
    match found {
        Some(a) if claim.owns_association(&a) => {
            eks::delete_pod_identity_association(c, cluster, &a.association_id).await
        }
        _ => Ok(()),
    }
}
