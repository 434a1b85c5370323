//! The objects a resource's prior state names, as the live checks of a
//! replacement need them: a role or access entry that *is* the resource's own
//! prior object is never "taken" (a destroy-then-create replacement deletes
//! it before creating the new one). A replacement created before the old
//! object is destroyed (`create_before_destroy`) cannot reuse the old role's
//! name: Terraform plans its create again at apply, with no prior state and
//! no private data, while the old role still exists, and that plan reports
//! the name as taken (naming the eksrole intent that owns it).
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
use crate::intent::tags::{
    CLUSTER_KEY, INTENT_KEY, MANAGED_BY, MANAGED_BY_KEY, NAMESPACE_KEY, NAME_KEY,
    SERVICE_ACCOUNT_KEY,
};

use super::Problem;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
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

/// The detail of "Role name already taken" for the role `existing` named
/// `name`: when its ownership tags name another eksrole intent, which one,
/// and the one way this resource can meet it (a `create_before_destroy`
/// replacement: the old role still exists when the new one is planned at
/// apply, after Terraform has set the old object aside, so the way on is a
/// new `role_name`); otherwise how to proceed. `this_intent` words the owner
/// ("this service account", "this access"); `import` is the exact command
/// that would import the role (`intent::role::import_command`).
pub fn role_taken_detail(
    name: &str,
    existing: &iam::ObservedRole,
    this_intent: &str,
    import: &str,
) -> String {
    match owner_description(&existing.tags) {
        Some(owner) => format!(
            "An IAM role named {name:?} already exists and belongs to another eksrole intent ({owner}), not to {this_intent}. \
             If this apply replaces that resource with `create_before_destroy` in its `lifecycle` block, the new role cannot be \
             created while the old one exists (IAM role names are unique): set a new `role_name` and apply again (the old object \
             is destroyed once the new one exists). Otherwise choose another `role_name`."
        ),
        None => format!(
            "An IAM role named {name:?} already exists and was not created by eksrole for {this_intent}. \
             Choose another `role_name`, or, if that role is meant to be managed here, import it explicitly: {import}."
        ),
    }
}

/// The warning of a replacement whose new role keeps the old role's name
/// (a pinned `role_name`): it works because the old role is deleted first.
pub fn same_name_replacement(name: &str) -> Problem {
    Problem::warning(
        &["role_name"],
        "Replacement keeps the role name",
        format!(
            "The role {name:?} is this resource's own: the replacement deletes it, then creates it again (with a new unique ID, so \
             sessions and access entries of the old role end). With `create_before_destroy` the new role cannot be created while \
             the old one exists, and apply stops with an error on `role_name`: remove `create_before_destroy` before applying, or \
             change `role_name`."
        ),
    )
}

/// Which eksrole intent the ownership tags name, in words (`None` when the
/// tags are not eksrole's).
fn owner_description(tags: &std::collections::BTreeMap<String, String>) -> Option<String> {
    if tags.get(MANAGED_BY_KEY).map(String::as_str) != Some(MANAGED_BY) {
        return None;
    }
    let tag = |k: &str| tags.get(k).map_or("?", String::as_str);
    let key = match tags.get(NAME_KEY) {
        Some(name) => format!("name {name:?}"),
        None => format!(
            "service account {}/{}",
            tag(NAMESPACE_KEY),
            tag(SERVICE_ACCOUNT_KEY)
        ),
    };
    Some(format!(
        "{} on cluster {:?}, {key}",
        tag(INTENT_KEY),
        tag(CLUSTER_KEY)
    ))
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
            association_id: Some("a-0123456789abcdef0".into()),
        };
        assert_eq!(PriorObjects::from_private(&prior.to_private()), Some(prior));
        assert_eq!(PriorObjects::from_private(b""), None);
        assert_eq!(PriorObjects::from_private(b"\x00garbage"), None);
        assert_eq!(PriorObjects::from_private(b"{\"other\":1}"), None);
        assert!(PriorObjects::default().to_private().is_empty());
    }
}
