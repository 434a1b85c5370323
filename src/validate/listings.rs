//! The listings every intent of a plan shares instead of asking about its
//! own objects one call at a time: the account's roles (`ListRoles`, and for
//! a refresh `GetAccountAuthorizationDetails`), and per cluster its Pod
//! Identity associations and access entries. [`super::live::Lookups`] loads
//! each at most once per provider process; this file holds their shapes, how
//! a listing is searched, and when the account's role listings are worth
//! loading at all ([`ListingGate`]).
//!
//! A listing's outcome is kept whatever it is ([`Listed`]): denied (the
//! credentials may not make it) or unavailable (throttled past the SDK's
//! retries, an answer that could not be read) is remembered like a listing,
//! so a failure costs one attempt per process, not one per resource. Callers
//! then make the per-object call for each look-up, as before the listings
//! existed: those are direct calls, so nothing stale is kept.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::aws::eks::PodIdentityAssociationSummary;
use crate::aws::iam::{ObservedRole, RoleDetails};
use crate::aws::AwsError;

/// A shared listing, or why there is none for this process.
#[derive(Debug)]
pub enum Listed<T> {
    Listed(Arc<T>),
    /// The credentials may not make the listing (`AccessDenied`).
    Denied,
    /// The listing failed otherwise; its failure is in the debug log.
    Unavailable,
}

impl<T> Clone for Listed<T> {
    fn clone(&self) -> Self {
        match self {
            Listed::Listed(t) => Listed::Listed(Arc::clone(t)),
            Listed::Denied => Listed::Denied,
            Listed::Unavailable => Listed::Unavailable,
        }
    }
}

impl<T> Listed<T> {
    /// A listing's outcome, every one of them an answer to keep: a failure
    /// asked again by each resource would repeat the whole scan (one caller
    /// at a time) before failing again, and the per-object calls answer
    /// without it.
    pub fn of(answer: Result<T, AwsError>) -> Listed<T> {
        match answer {
            Ok(t) => Listed::Listed(Arc::new(t)),
            Err(e) if e.is_access_denied() => Listed::Denied,
            Err(e) => {
                // The code only, like the call log: AWS's message is not logged.
                tracing::debug!(
                    operation = e.operation,
                    code = %e.code,
                    "listing unavailable for this run; looking up each object on its own"
                );
                Listed::Unavailable
            }
        }
    }

    /// The listing, or `None` when there is none (denied or unavailable).
    pub fn get(&self) -> Option<&T> {
        match self {
            Listed::Listed(t) => Some(t),
            Listed::Denied | Listed::Unavailable => None,
        }
    }
}

/// How many look-ups of one kind a process makes with the per-object call
/// before it loads the account's role listings for the rest. A role's own
/// look-up is one `GetRole` (a name check) or about three calls (a refresh:
/// `GetRole`, `ListAttachedRolePolicies`, `ListRolePolicies`), while the
/// listings cost a page per 1,000 roles of the whole account, and
/// `GetAccountAuthorizationDetails` pages carry every inline policy document
/// of every role. So a workspace of a handful of intents never lists, and
/// one of hundreds pays this many direct look-ups on top of the listings.
pub const DIRECT_LOOKUPS: usize = 4;

/// Whether the `nth` look-up of a kind (counting from 0) uses the account's
/// listing: from the one after the first [`DIRECT_LOOKUPS`] on.
pub fn lists_at(nth: usize) -> bool {
    nth >= DIRECT_LOOKUPS
}

/// Counts one kind of role look-up in a process and decides, per look-up,
/// between the per-object call and the shared listing ([`lists_at`]).
/// Concurrent callers each get their own position, so exactly
/// [`DIRECT_LOOKUPS`] of them go direct.
#[derive(Debug, Default)]
pub struct ListingGate {
    asked: AtomicUsize,
}

impl ListingGate {
    /// Counts this look-up; `true` when it should use the listing.
    pub fn use_listing(&self) -> bool {
        lists_at(self.asked.fetch_add(1, Ordering::Relaxed))
    }
}

/// The account's roles from `ListRoles`, found by name the way IAM finds
/// them: role names are unique in an account whatever their case.
#[derive(Debug, Default)]
pub struct RoleIndex {
    by_name: HashMap<String, ObservedRole>,
}

impl RoleIndex {
    pub fn new(roles: Vec<ObservedRole>) -> Self {
        RoleIndex {
            by_name: roles
                .into_iter()
                .map(|r| (r.name.to_lowercase(), r))
                .collect(),
        }
    }

    /// The role that holds `name` (in any case). Its tags and permissions
    /// boundary are not known: the listing does not return them.
    pub fn get(&self, name: &str) -> Option<&ObservedRole> {
        self.by_name.get(&name.to_lowercase())
    }
}

/// The account's roles from `GetAccountAuthorizationDetails`, by exact name.
#[derive(Debug, Default)]
pub struct RoleDetailIndex {
    by_name: HashMap<String, RoleDetails>,
}

impl RoleDetailIndex {
    pub fn new(roles: Vec<RoleDetails>) -> Self {
        RoleDetailIndex {
            by_name: roles.into_iter().map(|r| (r.name.clone(), r)).collect(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&RoleDetails> {
        self.by_name.get(name)
    }
}

/// The ID of the association of `namespace`/`service_account` in a cluster's
/// listing (EKS allows one per service account), and the add-on that owns it.
pub fn association_of<'a>(
    listed: &'a [PodIdentityAssociationSummary],
    namespace: &str,
    service_account: &str,
) -> Option<&'a PodIdentityAssociationSummary> {
    listed
        .iter()
        .find(|a| a.namespace == namespace && a.service_account == service_account)
}

/// Whether a cluster's access entries (their principal ARNs) hold one for
/// `principal_arn`.
pub fn has_entry(listed: &BTreeSet<String>, principal_arn: &str) -> bool {
    listed.contains(principal_arn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn role(name: &str) -> ObservedRole {
        ObservedRole {
            name: name.into(),
            path: "/".into(),
            arn: format!("arn:aws:iam::1:role/{name}"),
            role_id: format!("AROA{name}"),
            description: None,
            trust_policy: "{}".into(),
            max_session_duration: 3600,
            permissions_boundary: None,
            tags: BTreeMap::new(),
            create_date_epoch: None,
        }
    }

    #[test]
    fn roles_are_found_whatever_the_case_of_the_name() {
        let index = RoleIndex::new(vec![role("App-Role"), role("other")]);
        assert_eq!(
            index.get("app-role").map(|r| r.name.as_str()),
            Some("App-Role")
        );
        assert_eq!(
            index.get("APP-ROLE").map(|r| r.name.as_str()),
            Some("App-Role")
        );
        assert!(index.get("missing").is_none());
    }

    #[test]
    fn every_listing_outcome_is_an_answer() {
        let denied = AwsError::new("iam:ListRoles", "AccessDenied", "no");
        assert!(matches!(Listed::<u8>::of(Err(denied)), Listed::Denied));
        let eks_denied = AwsError::new("eks:ListAccessEntries", "AccessDeniedException", "no");
        assert!(matches!(Listed::<u8>::of(Err(eks_denied)), Listed::Denied));
        let throttled = AwsError::new("iam:ListRoles", "Throttling", "slow down");
        assert!(matches!(
            Listed::<u8>::of(Err(throttled)),
            Listed::Unavailable
        ));
        let unreadable =
            AwsError::new("iam:GetAccountAuthorizationDetails", "InvalidResponse", "x");
        assert!(matches!(
            Listed::<u8>::of(Err(unreadable)),
            Listed::Unavailable
        ));
        assert!(matches!(Listed::of(Ok(3)), Listed::Listed(ref n) if **n == 3));
    }

    #[test]
    fn only_a_listing_can_be_searched() {
        assert_eq!(Listed::of(Ok(3)).get(), Some(&3));
        assert_eq!(Listed::<u8>::Denied.get(), None);
        assert_eq!(Listed::<u8>::Unavailable.get(), None);
        assert_eq!(Listed::<u8>::Unavailable.clone().get(), None);
    }

    #[test]
    fn the_first_look_ups_go_direct_and_the_rest_use_the_listing() {
        assert!((0..DIRECT_LOOKUPS).all(|n| !lists_at(n)));
        assert!(lists_at(DIRECT_LOOKUPS));
        assert!(lists_at(DIRECT_LOOKUPS + 500));
        let gate = ListingGate::default();
        let decisions: Vec<bool> = (0..DIRECT_LOOKUPS + 3)
            .map(|_| gate.use_listing())
            .collect();
        assert_eq!(decisions.iter().filter(|l| !**l).count(), DIRECT_LOOKUPS);
        assert!(decisions[DIRECT_LOOKUPS..].iter().all(|l| *l));
    }

    #[test]
    fn concurrent_look_ups_share_the_direct_ones_exactly() {
        let gate = ListingGate::default();
        let direct = std::thread::scope(|s| {
            let workers: Vec<_> = (0..8)
                .map(|_| s.spawn(|| (0..25).filter(|_| !gate.use_listing()).count()))
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_default())
                .sum::<usize>()
        });
        assert_eq!(direct, DIRECT_LOOKUPS);
    }

    #[test]
    fn a_cluster_listing_finds_the_service_accounts_association() {
        let summary = |ns: &str, sa: &str, id: &str| PodIdentityAssociationSummary {
            association_id: id.into(),
            namespace: ns.into(),
            service_account: sa.into(),
            owner_arn: None,
        };
        let listed = vec![summary("a", "api", "1"), summary("b", "api", "2")];
        assert_eq!(
            association_of(&listed, "b", "api").map(|a| a.association_id.as_str()),
            Some("2")
        );
        assert!(association_of(&listed, "b", "web").is_none());
        let entries = BTreeSet::from(["arn:aws:iam::1:role/x".to_owned()]);
        assert!(has_entry(&entries, "arn:aws:iam::1:role/x"));
        assert!(!has_entry(&entries, "arn:aws:iam::1:role/y"));
    }
}
