//! EKS calls, one file per noun: clusters (`cluster.rs`) and add-ons
//! (`addon.rs`), read only; access entries with their access-policy
//! associations (`access_entry.rs`); Pod Identity associations
//! (`pod_identity.rs`). This file holds what they share (tags, the retried
//! create with its client request token) and re-exports every call, so
//! callers write `aws::eks::describe_access_entry` and never name the files.
//!
//! One `async fn` per API call (or a small composite such as
//! [`find_pod_identity_association`]). Results are plain structs.
//!
//! Not-found is decided here and nowhere else. EKS answers
//! `ResourceNotFoundException` both when the object asked about is missing
//! and when its cluster is; a cluster that is gone took its access entries,
//! access-policy associations and Pod Identity associations with it. So
//! every describe, list and find below answers `Ok(None)` in either case,
//! and every delete or disassociate succeeds. Callers that must tell "no
//! cluster" apart (plan-time checks) ask [`describe_cluster`]. A cluster
//! whose authentication mode does not allow access entries answers
//! `InvalidRequestException`, which stays an error.
//!
//! API semantics that matter to callers:
//! - `UpdatePodIdentityAssociation` removes the target role when
//!   `targetRoleArn` is the empty string; omitting it keeps the current one.
//!   [`update_pod_identity_association`] always sends it (`None` → `""`),
//!   and `policy` the same way (the API reference does not say how a
//!   session policy is removed; the empty string is what the test bed
//!   implements, as for `targetRoleArn`), and `disableSessionTags`.
//! - `UpdateAccessEntry` replaces `kubernetesGroups` with the list sent (an
//!   empty list clears them) and leaves them alone when omitted;
//!   [`update_access_entry`] always sends the list. An omitted `username`
//!   keeps the current one: there is no way back to EKS's generated default
//!   short of recreating the entry.
//! - `AssociateAccessPolicy` on an already-associated policy replaces its scope.
//! - `TagResource` adds tags and overwrites the values of keys already
//!   present; the object's other tags stay ([`tag_resource`]).
//! - Creates carry one client request token across eventual-consistency
//!   retries, so a create that succeeded but whose answer was lost is not
//!   duplicated.

mod access_entry;
mod addon;
mod cluster;
mod pod_identity;

pub use access_entry::{
    associate_access_policy, create_access_entry, delete_access_entry, describe_access_entry,
    disassociate_access_policy, list_access_entries, list_access_policy_arns,
    list_associated_access_policies, update_access_entry, AccessScope, ObservedAccessEntry,
    ObservedPolicyAssociation,
};
pub use addon::addon_present;
pub use cluster::{describe_cluster, list_clusters, AuthenticationMode, ObservedCluster};
pub use pod_identity::{
    create_pod_identity_association, delete_pod_identity_association,
    describe_pod_identity_association, find_pod_identity_association,
    list_pod_identity_associations, update_pod_identity_association, AssociationSettings,
    ObservedPodIdentityAssociation, PodIdentityAssociationSummary,
};

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::response::SdkAnswer;
use super::retry::{send_with_retry, RetryPolicy};
use super::{AwsClients, AwsError};

/// A create retried per `policy` while EKS does not yet see what it names
/// (and on throttling; see `retry.rs`). `send` gets the request's client
/// request token, one for every attempt, and its tags in EKS's form (`None`
/// for none, so the request omits them). `None` when the object exists
/// (`ResourceInUseException`): another apply created it since the caller
/// looked; the caller looks again and decides whose it is.
async fn create_with_retry<T, E, R, Fut>(
    operation: &'static str,
    policy: &RetryPolicy,
    tags: &BTreeMap<String, String>,
    send: impl Fn(&str, Option<HashMap<String, String>>) -> Fut,
) -> Result<Option<T>, AwsError>
where
    Fut: Future<Output = Result<T, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + 'static,
{
    let token = client_request_token();
    let tags = eks_tags(tags);
    match send_with_retry(operation, policy, || send(&token, tags.clone())).await {
        Ok(out) => Ok(Some(out)),
        Err(e) if e.is_code("ResourceInUseException") => Ok(None),
        Err(e) => Err(e),
    }
}

/// `TagResource` on an EKS object (an access entry, a Pod Identity
/// association) by ARN: adds these tags or overwrites their values, leaving
/// the object's other tags alone. No call for an empty map.
pub async fn tag_resource(
    c: &AwsClients,
    arn: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), AwsError> {
    if tags.is_empty() {
        return Ok(());
    }
    c.eks
        .tag_resource()
        .resource_arn(arn)
        .set_tags(eks_tags(tags))
        .send()
        .await
        .done("eks:TagResource")
}

/// Tags as EKS returns them (an unordered map, absent when there are none),
/// sorted so that state and plans are deterministic.
fn sorted_tags(tags: Option<&HashMap<String, String>>) -> BTreeMap<String, String> {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Tags for a create request; `None` for none, so the request omits them.
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
    fn request_tokens_are_unique() {
        let a = client_request_token();
        let b = client_request_token();
        assert_ne!(a, b);
        assert!(a.len() <= 64, "{a}");
    }
}
