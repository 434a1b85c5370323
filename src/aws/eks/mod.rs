//! EKS calls, one file per noun: clusters (`cluster.rs`) and add-ons
//! (`addon.rs`), read only; access entries with their access-policy
//! associations (`access_entry.rs`); Pod Identity associations
//! (`pod_identity.rs`). This file holds what they share (tags,
//! client request tokens) and re-exports every call, so callers write
//! `aws::eks::describe_access_entry` and never name the files.
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

mod access_entry;
mod addon;
mod cluster;
mod pod_identity;

pub use access_entry::{
    associate_access_policy, create_access_entry, delete_access_entry, describe_access_entry,
    disassociate_access_policy, list_access_policy_arns, list_associated_access_policies,
    update_access_entry, AccessScope, ObservedAccessEntry, ObservedPolicyAssociation,
};
pub use addon::addon_present;
pub use cluster::{describe_cluster, AuthenticationMode, ObservedCluster};
pub use pod_identity::{
    create_pod_identity_association, delete_pod_identity_association,
    describe_pod_identity_association, find_pod_identity_association,
    update_pod_identity_association, ObservedPodIdentityAssociation,
};

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

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
