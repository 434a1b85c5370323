//! What apply may change or delete. An existing object is this resource's when
//! its ownership tags name exactly this intent, or when it is the very object
//! the prior state holds (same role ID, association ID or entry ARN: that is
//! how `terraform import` hands an object over; the next apply then adds the
//! tags). Anything else is refused on the attribute that chose its name,
//! before any call that would change it, whatever `plan_time_checks` says:
//! the check has to run at apply because the object may appear between plan
//! and apply, and because plan-time checks can be off.
//!
//! Tags alone cannot tell two owners apart: a second Terraform state with the
//! same intent finds objects tagged as its own. So when an apply *creates*
//! the resource (no prior state) and finds a role tagged as this intent's,
//! it adopts it only when the intent is not complete: the object its apply
//! creates last (the Pod Identity association, the access entry) does not
//! exist. A role without it is what an apply that crashed left; a role with
//! it belongs to a finished apply, of another state (or of the old object of
//! a `create_before_destroy` replacement, which is destroyed after this
//! create). That look-up runs only when the role already exists, so the
//! normal create pays no extra call.
//!
//! An association or entry taken over by import (its ID in the prior state)
//! lacks the ownership tags; [`add_missing_tags`] gives it the blueprint's,
//! so the next apply finds it by its tags too.

use crate::aws::eks::{self, ObservedAccessEntry, ObservedPodIdentityAssociation};
use crate::aws::iam::ObservedRole;
use std::collections::BTreeMap;

use crate::aws::{AwsClients, AwsError};
use crate::intent::tags::{differing, owned_by, Owner};

use super::Failure;

/// The object an intent's apply creates last, whose existence marks the
/// intent complete (see the module comment).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Completion {
    /// No such object (IRSA: the role is all there is), so a role tagged as
    /// this intent's is always adopted.
    #[default]
    None,
    /// The Pod Identity association of the service account.
    PodIdentityAssociation,
    /// The access entry of the role's ARN.
    AccessEntry,
}

/// The intent instance an apply works for, and what its prior state holds.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    pub owner: Owner<'a>,
    /// The prior state's `role_id`.
    pub role_id: Option<&'a str>,
    /// The prior state's `association_id` (workload identity).
    pub association_id: Option<&'a str>,
    /// The prior state's `access_entry_arn` (team access, break-glass).
    pub access_entry_arn: Option<&'a str>,
    /// This apply creates the resource (it has no prior state): a role
    /// tagged as this intent's is adopted only while `completion` is absent.
    pub creating: bool,
    /// What marks this intent complete.
    pub completion: Completion,
}

/// Tags an EKS object this intent owns (`arn`, whose tags are `observed`)
/// with the `wanted` tags it lacks or holds with another value, and records
/// them in `observed`. Its other tags stay. No call when none differ, so a
/// steady-state apply makes none.
pub async fn add_missing_tags(
    c: &AwsClients,
    arn: &str,
    observed: &mut BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> Result<(), AwsError> {
    let missing = differing(observed, wanted);
    if missing.is_empty() {
        return Ok(());
    }
    eks::tag_resource(c, arn, &missing).await?;
    observed.extend(missing);
    Ok(())
}

/// An existing object apply refused to touch: the attribute the diagnostic
/// belongs to, its summary, and a detail that says how to proceed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub attribute: &'static str,
    pub summary: &'static str,
    pub detail: String,
    /// Another state completed this intent: its role is that state's too,
    /// even when this apply created or adopted it, so this resource's state
    /// keeps nothing (its destroy would delete the other state's objects).
    pub other_state: bool,
}

impl Claim<'_> {
    /// Whether apply may change (and destroy delete) this role.
    pub fn owns_role(&self, role: &ObservedRole) -> bool {
        self.role_id == Some(role.role_id.as_str()) || owned_by(&role.tags, &self.owner)
    }

    /// Whether apply may change or delete this association. One an EKS add-on
    /// owns (`ownerArn`) never is: only the add-on may change it.
    pub fn owns_association(&self, a: &ObservedPodIdentityAssociation) -> bool {
        a.owner_arn.is_none()
            && (self.association_id == Some(a.association_id.as_str())
                || owned_by(&a.tags, &self.owner))
    }

    /// Whether apply may change or delete this access entry.
    pub fn owns_entry(&self, e: &ObservedAccessEntry) -> bool {
        self.access_entry_arn == Some(e.access_entry_arn.as_str()) || owned_by(&e.tags, &self.owner)
    }

    /// Whether an existing completing object of this intent (`created_at`:
    /// when EKS created it) completes `role`: it does unless it is older
    /// than the role. An older one was made for an earlier role of the same
    /// name (deleted out of band; an access entry is bound to that role's
    /// unique ID), so it is stale and apply takes it over. Timestamps are
    /// whole seconds: one made in the role's second counts as completing.
    pub fn completes(role: &ObservedRole, created_at: Option<i64>) -> bool {
        match (role.create_date_epoch, created_at) {
            (Some(role), Some(object)) => object >= role,
            _ => true,
        }
    }

    /// At the completion step of an apply that creates this resource: the
    /// refusal when the intent's completing object (`completing`, its ID or
    /// ARN, created at `created_at`) already completes `role`. This apply
    /// did not create it (it creates it only in this step), so another apply
    /// did, racing this one since the role step looked: that state holds the
    /// intent, and this one keeps nothing.
    pub fn check_race(
        &self,
        role: &ObservedRole,
        attribute: &'static str,
        completing: &str,
        created_at: Option<i64>,
    ) -> Result<(), Refusal> {
        if self.creating && Self::completes(role, created_at) {
            return Err(self.complete_refusal(role, attribute, completing));
        }
        Ok(())
    }

    /// Before an apply that creates this resource adopts `role` (which
    /// [`owns_role`](Self::owns_role) by its tags only): the refusal when the
    /// intent is complete (its completing object exists, so another state, or
    /// the old object of a `create_before_destroy` replacement, holds it), or
    /// when that object exists and is not this intent's at all. A completing
    /// object older than the role is stale ([`completes`](Self::completes))
    /// and does not count. One look-up, made only on this path.
    pub async fn check_adoption(&self, c: &AwsClients, role: &ObservedRole) -> Result<(), Failure> {
        if !self.creating || self.role_id == Some(role.role_id.as_str()) {
            return Ok(());
        }
        match (self.completion, self.owner) {
            (
                Completion::PodIdentityAssociation,
                Owner::WorkloadIdentity {
                    cluster,
                    namespace,
                    service_account,
                },
            ) => {
                let found = eks::find_pod_identity_association(
                    c,
                    cluster,
                    namespace,
                    service_account,
                    None,
                )
                .await?;
                match found {
                    Some(a) if !self.owns_association(&a) => {
                        Err(self.association_refusal(&a, &role.name).into())
                    }
                    Some(a) if Self::completes(role, a.created_at_epoch) => Err(self
                        .complete_refusal(role, "service_account", &a.association_id)
                        .into()),
                    _ => Ok(()),
                }
            }
            (Completion::AccessEntry, owner) => {
                match eks::describe_access_entry(c, owner.cluster(), &role.arn).await? {
                    Some(e) if !self.owns_entry(&e) => {
                        Err(self.entry_refusal(&e, &role.name).into())
                    }
                    Some(e) if Self::completes(role, e.created_at_epoch) => Err(self
                        .complete_refusal(role, "role_name", &e.access_entry_arn)
                        .into()),
                    _ => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// The refusal for an intent another state completed: its role and
    /// `completing` object (an association ID, an entry ARN) carry this
    /// intent's tags and this resource has no state.
    pub fn complete_refusal(
        &self,
        role: &ObservedRole,
        attribute: &'static str,
        completing: &str,
    ) -> Refusal {
        let object = match self.completion {
            Completion::PodIdentityAssociation => "Pod Identity association",
            _ => "access entry",
        };
        Refusal {
            attribute,
            summary: "Already managed by another Terraform state",
            detail: format!(
                "The IAM role {:?} ({}) and its {object} ({completing}) exist and carry this intent's ownership tags ({}), but this resource has no state: \
                 a finished apply of another Terraform state (another workspace or configuration) created them. Apply changed nothing. \
                 Manage an intent from one state only: to move it into this state, remove it from the other one (`terraform state rm`) and import it here: {}. \
                 If this apply replaces the resource with `create_before_destroy` in its `lifecycle` block, those are the old object's, which is destroyed \
                 after this create: change `role_name`, or remove `create_before_destroy`. \
                 (A role with this intent's tags and no {object} is what an apply that stopped half-way left; apply adopts that one.)",
                role.name,
                role.arn,
                self.tags_text(),
                self.import_command(&role.name),
            ),
            other_state: true,
        }
    }

    /// The exact `terraform import` command for `role_name`: the ID carries
    /// the role name when it is not the intent's default one.
    pub fn import_command(&self, role_name: &str) -> String {
        crate::intent::role::import_command(&self.owner, role_name)
    }

    /// The ownership tags, as a detail names them.
    fn tags_text(&self) -> String {
        self.owner
            .ownership_tags()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The refusal for a role with the blueprint's name that is not ours.
    pub fn role_refusal(&self, role: &ObservedRole) -> Refusal {
        Refusal {
            attribute: "role_name",
            summary: "Role name already taken",
            detail: format!(
                "An IAM role named {:?} ({}) already exists, is not the role in this resource's state and does not carry this resource's ownership tags ({}). \
                 Apply changed nothing. To manage that role with this resource (apply then replaces its trust policy, settings, tags and policies with the configured ones), \
                 import it explicitly: {}. Otherwise choose another `role_name`.",
                role.name,
                role.arn,
                self.tags_text(),
                self.import_command(&role.name),
            ),
            other_state: false,
        }
    }

    /// The refusal for an association of the service account that is not ours.
    pub fn association_refusal(
        &self,
        a: &ObservedPodIdentityAssociation,
        role_name: &str,
    ) -> Refusal {
        let how = match &a.owner_arn {
            Some(owner) => format!(
                "It is owned by {owner} (an EKS add-on manages it, and only the add-on may change it): remove it from the add-on's configuration, or use another service account."
            ),
            None => format!(
                "To manage that association with this resource (apply then points it at this resource's role), import it explicitly: {}. Otherwise use another service account.",
                self.import_command(role_name)
            ),
        };
        Refusal {
            attribute: "service_account",
            summary: "Pod Identity association already exists",
            detail: format!(
                "Cluster {:?} already has a Pod Identity association ({}) for service account {}/{} pointing at {}; it is not the one in this resource's state \
                 and does not carry this resource's ownership tags ({}). Apply changed nothing. {how}",
                a.cluster_name,
                a.association_id,
                a.namespace,
                a.service_account,
                a.role_arn,
                self.tags_text(),
            ),
            other_state: false,
        }
    }

    /// The refusal for an access entry of the role's ARN that is not ours.
    pub fn entry_refusal(&self, e: &ObservedAccessEntry, role_name: &str) -> Refusal {
        Refusal {
            attribute: "role_name",
            summary: "Access entry already exists",
            detail: format!(
                "Cluster {:?} already has an access entry ({}, type {}) for {}; it is not the one in this resource's state and does not carry this resource's ownership tags ({}). \
                 Apply changed nothing on it. To manage that entry with this resource, import it explicitly: {}. Otherwise choose another `role_name`.",
                e.cluster_name,
                e.access_entry_arn,
                e.entry_type,
                e.principal_arn,
                self.tags_text(),
                self.import_command(role_name),
            ),
            other_state: false,
        }
    }
}

#[cfg(test)]
mod tests;
