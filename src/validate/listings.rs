//! The listings every intent of a plan shares instead of asking about its
//! own objects one call at a time: the account's roles (`ListRoles`, and for
//! a refresh `GetAccountAuthorizationDetails`), and per cluster its Pod
//! Identity associations and access entries. [`super::live::Lookups`] loads
//! each once per provider process; this file holds their shapes and how a
//! listing is searched.
//!
//! A listing the credentials may not make is [`Listed::Denied`], an answer
//! like any other (kept, so the next intent does not ask again): callers then
//! make the narrower per-object call the permission they have allows, as
//! before the listings existed.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::aws::eks::PodIdentityAssociationSummary;
use crate::aws::iam::{ObservedRole, RoleDetails};
use crate::aws::AwsError;

/// A shared listing, or that the credentials may not make it.
#[derive(Debug)]
pub enum Listed<T> {
    Listed(Arc<T>),
    Denied,
}

impl<T> Clone for Listed<T> {
    fn clone(&self) -> Self {
        match self {
            Listed::Listed(t) => Listed::Listed(Arc::clone(t)),
            Listed::Denied => Listed::Denied,
        }
    }
}

impl<T> Listed<T> {
    /// A listing's answer: denied is an answer, every other failure is not
    /// (and is not remembered: the next caller tries again).
    pub fn of(answer: Result<T, AwsError>) -> Result<Listed<T>, AwsError> {
        match answer {
            Ok(t) => Ok(Listed::Listed(Arc::new(t))),
            Err(e) if e.is_access_denied() => Ok(Listed::Denied),
            Err(e) => Err(e),
        }
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
    fn a_denied_listing_is_an_answer_and_other_failures_are_not() {
        let denied = AwsError::new("iam:ListRoles", "AccessDenied", "no");
        assert!(matches!(Listed::<u8>::of(Err(denied)), Ok(Listed::Denied)));
        let eks_denied = AwsError::new("eks:ListAccessEntries", "AccessDeniedException", "no");
        assert!(matches!(
            Listed::<u8>::of(Err(eks_denied)),
            Ok(Listed::Denied)
        ));
        let throttled = AwsError::new("iam:ListRoles", "Throttling", "slow down");
        assert!(Listed::<u8>::of(Err(throttled)).is_err());
        assert!(matches!(Listed::of(Ok(3)), Ok(Listed::Listed(n)) if *n == 3));
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
