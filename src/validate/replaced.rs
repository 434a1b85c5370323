//! The objects a resource's prior state names, as the live checks of a
//! replacement need them: a role or access entry that *is* the resource's own
//! prior object is never "taken" (a destroy-then-create replacement deletes
//! it before creating the new one), and a replacement created before the old
//! object is destroyed (`create_before_destroy`) cannot reuse the old role's
//! name while that role still exists.
//!
//! Terraform and OpenTofu plan a replacement twice: first with the prior
//! state, then "as a create" with a null prior state and, as the prior
//! private data, the private data the first plan returned. So the first plan
//! stores these identities in its private data ([`PriorObjects::to_private`])
//! and the second reads them back ([`PriorObjects::from_private`]). A tainted
//! resource is planned once, as a create with no private data: there, only
//! the ownership tags tell the resource's own objects apart.

use serde::{Deserialize, Serialize};

use crate::aws::iam;
use crate::aws::AwsClients;

use super::{aws_problem, Problem};

/// The key of the private data this module writes (so other private data can
/// sit beside it later).
const PRIVATE_KEY: &str = "replaces";

/// What the prior state of a resource names (each part when it is known).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorObjects {
    pub role_name: Option<String>,
    pub role_id: Option<String>,
    pub role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_entry_arn: Option<String>,
}

impl PriorObjects {
    /// True when nothing is known (nothing to compare with).
    pub fn is_empty(&self) -> bool {
        self == &PriorObjects::default()
    }

    /// Whether `role` is the prior state's role: the same unique ID (a role
    /// deleted and created again with the same name is another role), or the
    /// same name when the prior state has no ID.
    pub fn is_role(&self, role: &iam::ObservedRole) -> bool {
        match (&self.role_id, &self.role_name) {
            (Some(id), _) => *id == role.role_id,
            (None, Some(name)) => *name == role.name,
            (None, None) => false,
        }
    }

    /// Whether an access entry with this ARN is the prior state's entry.
    pub fn is_access_entry(&self, entry_arn: &str) -> bool {
        self.access_entry_arn.as_deref() == Some(entry_arn)
    }

    /// The private data a plan returns so that the second plan of a
    /// replacement (null prior state) knows what it replaces.
    pub fn to_private(&self) -> Vec<u8> {
        if self.is_empty() {
            return vec![];
        }
        let mut map = serde_json::Map::new();
        if let Ok(v) = serde_json::to_value(self) {
            map.insert(PRIVATE_KEY.to_owned(), v);
        }
        serde_json::to_vec(&map).unwrap_or_default()
    }

    /// The prior objects recorded in private data; `None` when there are
    /// none (or the data is not ours: private data is opaque to the CLI, but
    /// an unreadable one must never fail a plan).
    pub fn from_private(private: &[u8]) -> Option<PriorObjects> {
        if private.is_empty() {
            return None;
        }
        let mut map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(private).ok()?;
        let found: PriorObjects = serde_json::from_value(map.remove(PRIVATE_KEY)?).ok()?;
        (!found.is_empty()).then_some(found)
    }
}

/// At apply of a replacement's create (null prior state) whose plan recorded
/// the objects it replaces: a role named `role_name` that is still the old
/// role means the old object is destroyed only after the new one is created
/// (`create_before_destroy`), and two roles cannot share a name. Refused
/// before anything changes, on `role_name`.
pub async fn create_before_destroy_conflict(
    c: &AwsClients,
    role_name: &str,
    replaced: &PriorObjects,
) -> Option<Problem> {
    if replaced.role_id.is_none() && replaced.role_name.as_deref() != Some(role_name) {
        return None;
    }
    match iam::get_role(c, role_name).await {
        Ok(Some(role)) if replaced.is_role(&role) => Some(Problem::error(
            &["role_name"],
            "Replacement cannot reuse the role name before the old role is destroyed",
            format!(
                "This replacement is created before the object it replaces is destroyed (`create_before_destroy`), and its role name \
                 {role_name:?} is the old role's: IAM role names are unique, so the two cannot coexist. Remove `create_before_destroy` \
                 from this resource's `lifecycle` block (the old role is then deleted first), or change `role_name`. Nothing was changed."
            ),
        )),
        Ok(_) => None,
        Err(e) => Some(aws_problem(&["role_name"], "Could not look up the role name", &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_data_round_trips_and_tolerates_garbage() {
        let prior = PriorObjects {
            role_name: Some("r".into()),
            role_id: Some("AROAEXAMPLE".into()),
            role_arn: Some("arn:aws:iam::111122223333:role/r".into()),
            access_entry_arn: None,
        };
        assert_eq!(PriorObjects::from_private(&prior.to_private()), Some(prior));
        assert_eq!(PriorObjects::from_private(b""), None);
        assert_eq!(PriorObjects::from_private(b"\x00garbage"), None);
        assert_eq!(PriorObjects::from_private(b"{\"other\":1}"), None);
        assert!(PriorObjects::default().to_private().is_empty());
    }
}
