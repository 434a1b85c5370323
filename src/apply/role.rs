//! An IAM role reconciled to its [`RoleBlueprint`]: created when missing, else
//! its trust policy, settings, boundary, tags, managed and inline policies
//! brought in line. Policy documents are compared semantically. An existing
//! role is changed only when the [`Claim`] owns it; otherwise the step is
//! refused before any change.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::future::try_join_all;

use crate::aws::iam::{self, NewRole, ObservedRole};
use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};
use crate::intent::policy_json::policies_equivalent;
use crate::intent::tags::differing;
use crate::intent::RoleBlueprint;

use super::{Claim, Ctx, Failure, StepError};

/// The role as it now is, and whether this call created it (objects bound to
/// the role's unique ID, such as access entries, must then be recreated).
#[derive(Debug)]
pub struct EnsuredRole {
    pub role: ObservedRole,
    pub created: bool,
}

/// How far a role step got, kept outside the step's future so that a step
/// that failed or was cancelled still says whether it left a role: that
/// decides whether state keeps one.
#[derive(Debug, Default)]
enum Progress {
    /// No call that could create the role was sent.
    #[default]
    NothingSent,
    /// `CreateRole` was sent and no answer came back (yet).
    CreateSent,
    /// The step holds this role: it created or adopted it.
    Holds(Box<ObservedRole>),
}

type ProgressSlot = std::sync::Mutex<Progress>;

fn record(progress: &ProgressSlot, now: Progress) {
    // A poisoned lock only means a panic elsewhere; the value is still ours.
    *progress.lock().unwrap_or_else(|p| p.into_inner()) = now;
}

/// Creates the role, or updates the one that exists when `claim` owns it
/// (else refuses on `role_name`, having changed nothing). When this apply
/// creates the resource, a role owned by its tags only is adopted only if
/// its intent is not complete ([`Claim::check_adoption`]). A role that
/// appears between the look-up and `CreateRole` (another apply's, or this
/// request's own when the SDK retried after a lost answer) goes through
/// the same ownership checks.
async fn ensure_role(
    c: &AwsClients,
    bp: &RoleBlueprint,
    claim: &Claim<'_>,
    retry: &RetryPolicy,
    progress: &ProgressSlot,
) -> Result<EnsuredRole, Failure> {
    // A create goes straight to `CreateRole`: "name taken" is an answer that
    // leads to the same look-up, so the normal path saves a `GetRole`.
    let mut found = match claim.creating {
        true => None,
        false => iam::get_role(c, &bp.name).await?,
    };
    let mut created = false;
    if found.is_none() {
        record(progress, Progress::CreateSent);
        let new = NewRole {
            name: &bp.name,
            path: &bp.path,
            description: bp.description.as_deref(),
            trust_policy: &bp.trust_policy,
            max_session_duration: bp.max_session_duration,
            permissions_boundary: bp.permissions_boundary.as_deref(),
            tags: &bp.tags,
        };
        found = match iam::create_role(c, &new, retry).await? {
            Some(role) => {
                created = true;
                Some(role)
            }
            None => iam::get_role(c, &bp.name).await?,
        };
    }
    let role = match found {
        None => {
            return Err(AwsError::new(
                "iam:CreateRole",
                "EntityAlreadyExists",
                "IAM reported the role name as taken, then the role as missing: it was deleted meanwhile. Apply again.",
            )
            .into())
        }
        Some(role) if created => role,
        Some(role) if !claim.owns_role(&role) => return Err(claim.role_refusal(&role).into()),
        Some(role) => {
            claim.check_adoption(c, &role).await?;
            role
        }
    };
    record(progress, Progress::Holds(Box::new(role.clone())));
    if !created {
        update_settings(c, bp, &role, retry).await?;
    }
    let managed = sync_managed_policies(c, bp, created);
    let inline = sync_inline_policies(c, bp, created);
    tokio::try_join!(managed, inline)?;
    Ok(EnsuredRole { role, created })
}

/// The role step every intent's apply starts with (everything else points
/// at the role), which Stop cancels. When it fails, [`RoleStepFailed`] says
/// which role state must keep so that destroy removes it: the one it
/// created or adopted (as `CreateRole` answered, with no read needed, since
/// after a dropped connection a read fails too); after a `CreateRole` that
/// got no answer, the one a read finds, and when that read fails as well,
/// in doubt, the role's name (kept, tainted, rather than orphan a role). A
/// role the claim does not own is refused and never kept: it is not this
/// resource's.
pub async fn role_step(
    ctx: &Ctx<'_>,
    bp: &RoleBlueprint,
    claim: &Claim<'_>,
) -> Result<EnsuredRole, RoleStepFailed> {
    let progress = ProgressSlot::default();
    let ensured = ctx
        .cancellable(
            "reconcile role",
            ensure_role(ctx.clients, bp, claim, &ctx.retry, &progress),
        )
        .await;
    let error = match ensured {
        Ok(ensured) => return Ok(ensured),
        Err(failure) => failure,
    };
    let progress = progress.into_inner().unwrap_or_else(|p| p.into_inner());
    let (role, role_exists) = match (&error, progress) {
        (Failure::NotOwned(_), _) | (_, Progress::NothingSent) => (None, false),
        (_, Progress::Holds(role)) => (Some(*role), true),
        (_, Progress::CreateSent) => match iam::get_role(ctx.clients, &bp.name).await {
            Ok(Some(role)) if claim.owns_role(&role) => (Some(role), true),
            Ok(_) => (None, false),
            Err(_) => (None, true),
        },
    };
    Err(RoleStepFailed {
        role,
        role_exists,
        error: StepError::of("Could not create or update the IAM role", error),
    })
}

/// A failed [`role_step`].
#[derive(Debug)]
pub struct RoleStepFailed {
    pub error: StepError,
    /// The role the step created or adopted, as last seen.
    pub role: Option<ObservedRole>,
    /// State keeps the role: `role` is set, or a role may exist (created,
    /// with no answer and no read to confirm it).
    pub role_exists: bool,
}

/// What destroy finds under the state's role name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleAtDelete {
    /// No role has that name (deleted already).
    Gone,
    /// The state's role, or one with this intent's ownership tags.
    Owned,
    /// Someone else's role with that name (the state's was deleted and the
    /// name reused): destroy leaves it, and what points at it, alone.
    NotOwned,
}

/// Looks up the role destroy is about to delete (one `GetRole`).
pub async fn role_at_delete(
    ctx: &Ctx<'_>,
    name: &str,
    claim: &Claim<'_>,
) -> Result<RoleAtDelete, StepError> {
    let found = ctx
        .cancellable("look up role", iam::get_role(ctx.clients, name))
        .await
        .map_err(|error| StepError::aws("Could not read the IAM role", error))?;
    Ok(match found {
        None => RoleAtDelete::Gone,
        Some(role) if claim.owns_role(&role) => RoleAtDelete::Owned,
        Some(_) => RoleAtDelete::NotOwned,
    })
}

/// Deletes the role with its policies (the last step of every intent's
/// delete, after [`role_at_delete`] said it is this resource's); gone
/// already counts as deleted.
pub async fn delete_role(ctx: &Ctx<'_>, name: &str) -> Result<(), StepError> {
    ctx.cancellable("delete role", iam::delete_role_fully(ctx.clients, name))
        .await
        .map_err(|error| StepError::aws("Could not delete the IAM role", error))
}

/// The policies a resource's state says its role holds.
#[derive(Debug, Default)]
pub struct StatePolicies {
    /// Managed policy ARNs.
    pub managed: BTreeSet<String>,
    /// Inline policy names.
    pub inline: BTreeSet<String>,
}

/// [`delete_role`] for a role whose policies the state records: removes
/// those, and lists the role's attachments only when IAM says something
/// else is still attached (one added out of band).
pub async fn delete_role_knowing(
    ctx: &Ctx<'_>,
    name: &str,
    known: &StatePolicies,
) -> Result<(), StepError> {
    let delete = iam::delete_role_knowing(ctx.clients, name, &known.managed, &known.inline);
    ctx.cancellable("delete role", delete)
        .await
        .map_err(|error| StepError::aws("Could not delete the IAM role", error))
}

async fn update_settings(
    c: &AwsClients,
    bp: &RoleBlueprint,
    role: &ObservedRole,
    retry: &RetryPolicy,
) -> Result<(), AwsError> {
    let trust = async {
        if !policies_equivalent(&role.trust_policy, &bp.trust_policy) {
            iam::update_assume_role_policy(c, &bp.name, &bp.trust_policy, retry).await?;
        }
        Ok(())
    };
    let settings = async {
        if role.description != bp.description
            || role.max_session_duration != bp.max_session_duration
        {
            iam::update_role(
                c,
                &bp.name,
                bp.description.as_deref(),
                bp.max_session_duration,
            )
            .await?;
        }
        Ok(())
    };
    let boundary = async {
        match (&role.permissions_boundary, &bp.permissions_boundary) {
            (observed, Some(wanted)) if observed.as_ref() != Some(wanted) => {
                iam::put_role_permissions_boundary(c, &bp.name, wanted).await
            }
            (Some(_), None) => iam::delete_role_permissions_boundary(c, &bp.name).await,
            _ => Ok(()),
        }
    };
    let tags = sync_tags(c, &bp.name, &role.tags, &bp.tags);
    tokio::try_join!(trust, settings, boundary, tags)?;
    Ok(())
}

async fn sync_tags(
    c: &AwsClients,
    name: &str,
    observed: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> Result<(), AwsError> {
    let stale: BTreeSet<String> = observed
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .cloned()
        .collect();
    let changed = differing(observed, wanted);
    if !stale.is_empty() {
        iam::untag_role(c, name, &stale).await?;
    }
    if !changed.is_empty() {
        iam::tag_role(c, name, &changed).await?;
    }
    Ok(())
}

async fn sync_managed_policies(
    c: &AwsClients,
    bp: &RoleBlueprint,
    created: bool,
) -> Result<(), AwsError> {
    let attached = if created {
        BTreeSet::new()
    } else {
        iam::list_attached_role_policies(c, &bp.name)
            .await?
            .unwrap_or_default()
    };
    let attach = bp
        .managed_policy_arns
        .difference(&attached)
        .map(|arn| iam::attach_role_policy(c, &bp.name, arn));
    try_join_all(attach).await?;
    let detach = attached
        .difference(&bp.managed_policy_arns)
        .map(|arn| iam::detach_role_policy(c, &bp.name, arn));
    try_join_all(detach).await?;
    Ok(())
}

async fn sync_inline_policies(
    c: &AwsClients,
    bp: &RoleBlueprint,
    created: bool,
) -> Result<(), AwsError> {
    let existing = if created {
        BTreeSet::new()
    } else {
        iam::list_role_policy_names(c, &bp.name)
            .await?
            .unwrap_or_default()
    };
    let puts = bp.inline_policies.iter().map(|(name, doc)| {
        let present = existing.contains(name);
        async move {
            if present {
                if let Some(current) = iam::get_role_policy(c, &bp.name, name).await? {
                    if policies_equivalent(&current, doc) {
                        return Ok(());
                    }
                }
            }
            iam::put_role_policy(c, &bp.name, name, doc).await
        }
    });
    try_join_all(puts).await?;
    let deletes = existing
        .iter()
        .filter(|name| !bp.inline_policies.contains_key(*name))
        .map(|name| iam::delete_role_policy(c, &bp.name, name));
    try_join_all(deletes).await?;
    Ok(())
}
