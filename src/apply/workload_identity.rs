//! `eksrole_workload_identity` against AWS: apply (the role, then the Pod
//! Identity association, or the association's removal for IRSA), delete
//! (the association, then the role), the reads a refresh needs, and the
//! look-up an import starts from. Everything here returns plain data; the
//! resource turns it into state and diagnostics.

use std::collections::BTreeSet;

use crate::aws::eks::{self, ObservedPodIdentityAssociation};
use crate::aws::iam::{self, ListedRole, ObservedRole};
use crate::aws::AwsError;
use crate::intent::trust_read::oidc_provider_of_trust;
use crate::intent::workload_identity::{default_role_name, Mechanism, WorkloadIdentityBlueprint};

use super::pod_identity::{ensure_association, remove_association};
use super::role::{delete_role_knowing, role_at_delete, role_step, RoleAtDelete, StatePolicies};
use super::{Claim, Ctx, Failure, Outcome, StepError};

/// The Kubernetes service account an intent is for, on its cluster: the
/// key of its Pod Identity association.
#[derive(Debug, Clone, Copy)]
pub struct ServiceAccount<'a> {
    pub cluster: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
}

/// What an apply left.
#[derive(Debug, Default)]
pub struct Reconciled {
    /// The role as its step left it; after a failure, the role state keeps
    /// (`None` when there is none, or it is another state's).
    pub role: Option<ObservedRole>,
    /// Whether state keeps the role: always with `role`; after a failed role
    /// step also when a `CreateRole` got no answer and no read could confirm
    /// it (in doubt, kept).
    pub role_exists: bool,
    /// The association the second step reconciled; `None` for IRSA (it was
    /// removed) and when the step did not succeed.
    pub association: Option<ObservedPodIdentityAssociation>,
}

/// Makes AWS match the blueprint: the role (and its policies) first, since
/// everything else points at it; then the association (Pod Identity), or the
/// removal of one this resource owns (IRSA: one left from Pod Identity; one
/// it does not own, such as an add-on's, is left alone). `claim`: the
/// intent and the IDs its prior state holds.
pub async fn apply(
    ctx: &Ctx<'_>,
    bp: &WorkloadIdentityBlueprint,
    sa: ServiceAccount<'_>,
    claim: &Claim<'_>,
) -> Outcome<Reconciled> {
    let role = match role_step(ctx, &bp.role, claim).await {
        Ok(ensured) => ensured.role,
        Err(failed) => {
            return Outcome {
                observed: Reconciled {
                    role: failed.role,
                    role_exists: failed.role_exists,
                    association: None,
                },
                error: Some(failed.error),
            }
        }
    };
    let association = match &bp.association {
        Some(assoc) => ctx
            .cancellable(
                "reconcile association",
                ensure_association(ctx.clients, assoc, claim, &role, &ctx.retry),
            )
            .await
            .map(Some),
        None => remove_association(ctx.clients, sa.cluster, sa.namespace, sa.name, claim)
            .await
            .map(|()| None)
            .map_err(Failure::Aws),
    };
    match association {
        Ok(association) => Outcome {
            observed: Reconciled {
                role: Some(role),
                role_exists: true,
                association,
            },
            error: None,
        },
        Err(failure) => {
            // Another state completed the intent: the role is its, too.
            let keep = !failure.disowns();
            let summary = if bp.association.is_some() {
                "Could not create or update the Pod Identity association"
            } else {
                "Could not delete the Pod Identity association"
            };
            Outcome {
                observed: Reconciled {
                    role: keep.then_some(role),
                    role_exists: keep,
                    association: None,
                },
                error: Some(StepError::of(summary, failure)),
            }
        }
    }
}

/// Deletes the association this resource owns, then the role; objects
/// already gone (or gone with their cluster) count as deleted. An IRSA state
/// names an association only when one was left from Pod Identity
/// (`association_id`), so none is looked for otherwise; an association the
/// claim does not own (another intent's, an add-on's) is never deleted, nor
/// is a role with the state's name that is not the state's and not tagged
/// as this intent's. `policies`: what the state says the role holds.
pub async fn delete(
    ctx: &Ctx<'_>,
    sa: ServiceAccount<'_>,
    claim: &Claim<'_>,
    irsa: bool,
    role_name: Option<&str>,
    policies: &StatePolicies,
) -> Result<(), StepError> {
    if claim.association_id.is_some() || !irsa {
        ctx.cancellable(
            "delete association",
            remove_association(ctx.clients, sa.cluster, sa.namespace, sa.name, claim),
        )
        .await
        .map_err(step("Could not delete the Pod Identity association"))?;
    }
    match role_name {
        Some(name) if role_at_delete(ctx, name, claim).await? == RoleAtDelete::Owned => {
            delete_role_knowing(ctx, name, policies).await
        }
        _ => Ok(()),
    }
}

/// The role, its policies and association as they exist.
#[derive(Debug)]
pub struct Observed {
    pub role: ObservedRole,
    /// The state's mechanism; without one (an import that found no
    /// association), IRSA when the trust policy trusts an OIDC provider.
    pub mechanism: Mechanism,
    pub attached_policy_arns: BTreeSet<String>,
    /// Inline policy name → document (`None`: deleted between list and get).
    pub inline_policies: Vec<(String, Option<String>)>,
    /// Pod Identity: the service account's association, whichever role it
    /// points at (`None` for IRSA, and when there is none).
    pub association: Option<ObservedPodIdentityAssociation>,
}

/// Reads what a refresh needs; `None` when the role is gone, or when its
/// name now names another role (not the state's `role_id`, not tagged as
/// this intent's): that one is not this resource's, and the next apply
/// refuses it. `listed`: the role as the plan's shared account listings show
/// it (`validate::live::Lookups::listed_role`); without it the role and its
/// policies are read one call at a time.
pub async fn observe(
    ctx: &Ctx<'_>,
    sa: ServiceAccount<'_>,
    role_name: &str,
    mechanism: Option<Mechanism>,
    claim: &Claim<'_>,
    listed: Option<ListedRole>,
) -> Result<Option<Observed>, StepError> {
    let c = ctx.clients;
    let read = match listed {
        Some(listed) => Some(RoleRead {
            role: listed.role,
            attached: listed.attached_policy_arns,
            inline: listed
                .inline_policies
                .into_iter()
                .map(|(name, document)| (name, Some(document)))
                .collect(),
        }),
        None => read_role(ctx, role_name, claim).await?,
    };
    let Some(RoleRead {
        role,
        attached,
        inline,
    }) = read.filter(|r| claim.role_id.is_none() || claim.owns_role(&r.role))
    else {
        return Ok(None);
    };
    let mechanism = mechanism.unwrap_or(if oidc_provider_of_trust(&role.trust_policy).is_some() {
        Mechanism::Irsa
    } else {
        Mechanism::PodIdentity
    });
    let association = match mechanism {
        Mechanism::Irsa => None,
        Mechanism::PodIdentity => eks::find_pod_identity_association(
            c,
            sa.cluster,
            sa.namespace,
            sa.name,
            claim.association_id,
        )
        .await
        .map_err(step("Could not read the Pod Identity association"))?,
    };
    Ok(Some(Observed {
        role,
        mechanism,
        attached_policy_arns: attached,
        inline_policies: inline,
        association,
    }))
}

/// A role with its managed and inline policies.
struct RoleRead {
    role: ObservedRole,
    attached: BTreeSet<String>,
    inline: Vec<(String, Option<String>)>,
}

/// The role and its policies, one call at a time: `GetRole`, then (for a
/// role `claim` may refresh) its attached and inline policies.
async fn read_role(
    ctx: &Ctx<'_>,
    role_name: &str,
    claim: &Claim<'_>,
) -> Result<Option<RoleRead>, StepError> {
    let c = ctx.clients;
    let Some(role) = iam::get_role(c, role_name)
        .await
        .map_err(step("Could not read the IAM role"))?
        .filter(|role| claim.role_id.is_none() || claim.owns_role(role))
    else {
        return Ok(None);
    };
    let attached = iam::list_attached_role_policies(c, role_name);
    let inline_names = iam::list_role_policy_names(c, role_name);
    let (attached, inline_names) = tokio::join!(attached, inline_names);
    let attached = attached
        .map_err(step("Could not read the attached policies"))?
        .unwrap_or_default();
    let inline_names = inline_names
        .map_err(step("Could not read the inline policies"))?
        .unwrap_or_default();
    let inline = futures_util::future::try_join_all(inline_names.iter().map(|name| async move {
        Ok::<_, AwsError>((
            name.clone(),
            iam::get_role_policy(c, role_name, name).await?,
        ))
    }))
    .await
    .map_err(step("Could not read the inline policies"))?;
    Ok(Some(RoleRead {
        role,
        attached,
        inline,
    }))
}

/// What an import ID names in AWS.
#[derive(Debug)]
pub struct Imported {
    /// The service account's Pod Identity association, if any.
    pub association: Option<ObservedPodIdentityAssociation>,
    /// The ID's role name, else the association's role, else the default name.
    pub role_name: String,
    pub role_exists: bool,
}

/// The look-up an import starts from: the association, and the role the ID
/// (or the association, or the default name) names.
pub async fn look_up_import(
    ctx: &Ctx<'_>,
    sa: ServiceAccount<'_>,
    role_name: Option<&str>,
) -> Result<Imported, StepError> {
    let c = ctx.clients;
    let association =
        eks::find_pod_identity_association(c, sa.cluster, sa.namespace, sa.name, None)
            .await
            .map_err(step("Could not look up the Pod Identity association"))?;
    let role_name = match (role_name, &association) {
        (Some(name), _) => name.to_owned(),
        (None, Some(a)) => a.role_arn.rsplit('/').next().unwrap_or_default().to_owned(),
        (None, None) => default_role_name(sa.cluster, sa.namespace, sa.name),
    };
    let role = iam::get_role(c, &role_name)
        .await
        .map_err(step("Could not look up the IAM role"))?;
    Ok(Imported {
        association,
        role_name,
        role_exists: role.is_some(),
    })
}

/// An AWS failure as the step it stopped.
fn step(summary: &'static str) -> impl FnOnce(AwsError) -> StepError {
    move |error| StepError::aws(summary, error)
}
