//! IAM tags: key and value rules (`docs/design/aws-facts.md` "Limits and
//! formats"), and the merge every intent
//! applies to its roles: provider default tags, then the resource's own tags
//! (they win), then the ownership tags (they always win). IAM tag keys are
//! unique ignoring case, so the merge compares keys case-insensitively.

use std::collections::BTreeMap;

use super::IntentError;

/// Tags per IAM role.
pub const MAX_TAGS_PER_ROLE: usize = 50;
/// The prefix of the tags this provider sets to mark what it owns; users may not set them.
pub const OWNERSHIP_PREFIX: &str = "eksrole:";
/// Value of the `eksrole:managed-by` tag.
pub const MANAGED_BY: &str = "terraform-provider-eksrole";

/// Ownership tag: who manages the object (always [`MANAGED_BY`]).
pub const MANAGED_BY_KEY: &str = "eksrole:managed-by";
/// Ownership tag: which kind of intent (`workload-identity`, `team-access`, `break-glass`).
pub const INTENT_KEY: &str = "eksrole:intent";
/// Ownership tag: the EKS cluster of the intent.
pub const CLUSTER_KEY: &str = "eksrole:cluster";
/// Ownership tag of a workload identity: the Kubernetes namespace.
pub const NAMESPACE_KEY: &str = "eksrole:namespace";
/// Ownership tag of a workload identity: the Kubernetes service account.
pub const SERVICE_ACCOUNT_KEY: &str = "eksrole:service-account";
/// Ownership tag of a team or break-glass access: its `name`.
pub const NAME_KEY: &str = "eksrole:name";

/// `eksrole:intent` of a workload identity.
pub const INTENT_WORKLOAD_IDENTITY: &str = "workload-identity";
/// `eksrole:intent` of a team access.
pub const INTENT_TEAM_ACCESS: &str = "team-access";
/// `eksrole:intent` of a break-glass access.
pub const INTENT_BREAK_GLASS: &str = "break-glass";

/// The one intent instance an object belongs to, as its ownership tags record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    WorkloadIdentity {
        cluster: &'a str,
        namespace: &'a str,
        service_account: &'a str,
    },
    TeamAccess {
        cluster: &'a str,
        name: &'a str,
    },
    BreakGlass {
        cluster: &'a str,
        name: &'a str,
    },
}

impl<'a> Owner<'a> {
    /// The `eksrole:intent` value.
    pub fn intent(&self) -> &'static str {
        match self {
            Owner::WorkloadIdentity { .. } => INTENT_WORKLOAD_IDENTITY,
            Owner::TeamAccess { .. } => INTENT_TEAM_ACCESS,
            Owner::BreakGlass { .. } => INTENT_BREAK_GLASS,
        }
    }

    /// The EKS cluster the intent is about.
    pub fn cluster(&self) -> &'a str {
        match *self {
            Owner::WorkloadIdentity { cluster, .. }
            | Owner::TeamAccess { cluster, .. }
            | Owner::BreakGlass { cluster, .. } => cluster,
        }
    }

    fn tag_pairs(&self) -> Vec<(&'static str, &'a str)> {
        let mut pairs = vec![
            (MANAGED_BY_KEY, MANAGED_BY),
            (INTENT_KEY, self.intent()),
            (CLUSTER_KEY, self.cluster()),
        ];
        match *self {
            Owner::WorkloadIdentity {
                namespace,
                service_account,
                ..
            } => {
                pairs.push((NAMESPACE_KEY, namespace));
                pairs.push((SERVICE_ACCOUNT_KEY, service_account));
            }
            Owner::TeamAccess { name, .. } | Owner::BreakGlass { name, .. } => {
                pairs.push((NAME_KEY, name));
            }
        }
        pairs
    }

    /// The attribute each ownership tag's value comes from.
    fn attribute_of(key: &str) -> &'static str {
        match key {
            CLUSTER_KEY => "cluster_name",
            NAMESPACE_KEY => "namespace",
            SERVICE_ACCOUNT_KEY => "service_account",
            _ => "name",
        }
    }

    /// The ownership tag values IAM or EKS would refuse (IAM's tag value
    /// rules, [`validate_tag_value`]), each an error on the attribute the
    /// value comes from: found at plan, not at `CreateRole`.
    pub fn tag_value_problems(&self) -> Vec<IntentError> {
        self.tag_pairs()
            .into_iter()
            .filter_map(|(key, value)| {
                validate_tag_value(value).err().map(|e| {
                    IntentError::error(
                        &[Self::attribute_of(key)],
                        "Value not allowed in a tag",
                        format!("{e}. The value becomes the {key:?} tag of the role (and of the EKS access entry or association); change it."),
                    )
                })
            })
            .collect()
    }

    /// The ownership tags the provider sets on everything it creates for this intent.
    pub fn ownership_tags(&self) -> BTreeMap<String, String> {
        self.tag_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

/// True when `tags` carry the ownership tags of exactly `owner`: an object the
/// provider created for this intent (and may adopt), not another one's.
pub fn owned_by(tags: &BTreeMap<String, String>, owner: &Owner<'_>) -> bool {
    owner
        .tag_pairs()
        .into_iter()
        .all(|(k, v)| tags.get(k).map(String::as_str) == Some(v))
}

/// The intent an object's ownership tags name, as `<intent>:<id>` (the id
/// is the resource's import ID: `cluster/namespace/service_account`, or
/// `cluster/name`), or `None` when the tags are not eksrole's ownership tags.
pub fn intent_id(tags: &BTreeMap<String, String>) -> Option<String> {
    let tag = |key: &str| tags.get(key).map(String::as_str).filter(|v| !v.is_empty());
    if tag(MANAGED_BY_KEY) != Some(MANAGED_BY) {
        return None;
    }
    let intent = tag(INTENT_KEY)?;
    let cluster = tag(CLUSTER_KEY)?;
    let id = match intent {
        INTENT_WORKLOAD_IDENTITY => {
            format!(
                "{cluster}/{}/{}",
                tag(NAMESPACE_KEY)?,
                tag(SERVICE_ACCOUNT_KEY)?
            )
        }
        INTENT_TEAM_ACCESS | INTENT_BREAK_GLASS => format!("{cluster}/{}", tag(NAME_KEY)?),
        _ => return None,
    };
    Some(format!("{intent}:{id}"))
}

/// The tags of `wanted` that `observed` lacks or holds with another value:
/// what a tag call must send. Tags `wanted` does not name are not in it
/// (nothing here removes a tag).
pub fn differing(
    observed: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    wanted
        .iter()
        .filter(|(k, v)| observed.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The role's tags that `other` (the role's Pod Identity association or
/// access entry, which apply tags alike) carries too, with the same value;
/// all of them when there is no such object. Refresh shows these as
/// `tags_all`, so an association or entry lacking a tag (one taken over by
/// import has no ownership tags) is a diff the next apply resolves.
pub fn carried_by_both(
    role: &BTreeMap<String, String>,
    other: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    match other {
        None => role.clone(),
        Some(other) => role
            .iter()
            .filter(|(k, v)| other.get(*k) == Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// A tag key: 1-128 characters of letters, digits, spaces and `_.:/=+-@`,
/// not starting with the reserved `aws:`.
pub fn validate_tag_key(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if !(1..=128).contains(&n) {
        return Err(format!("tag keys are 1-128 characters; {s:?} has {n}"));
    }
    if s.to_ascii_lowercase().starts_with("aws:") {
        return Err(format!(
            "tag key {s:?} uses the prefix \"aws:\", which AWS reserves"
        ));
    }
    match s.chars().find(|c| !is_tag_char(*c)) {
        Some(c) => Err(format!(
            "{c:?} is not allowed in a tag key; use letters, digits, spaces and _ . : / = + - @"
        )),
        None => Ok(()),
    }
}

/// A tag value: 0-256 characters of letters, digits, spaces and `_.:/=+-@`.
pub fn validate_tag_value(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n > 256 {
        return Err(format!(
            "tag values are at most 256 characters; this one has {n}"
        ));
    }
    match s.chars().find(|c| !is_tag_char(*c)) {
        Some(c) => Err(format!(
            "{c:?} is not allowed in a tag value; use letters, digits, spaces and _ . : / = + - @"
        )),
        None => Ok(()),
    }
}

/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`: letters, separators (not tabs or newlines), numbers.
pub fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

/// Checks one map of tags given by the user (`attribute` is `tags` or
/// `default_tags`): every key and value, the reserved ownership prefix, and keys
/// that differ only in case. Paths are `[attribute, key]`.
pub fn validate_user_tags(attribute: &str, tags: &BTreeMap<String, String>) -> Vec<IntentError> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (key, value) in tags {
        let path = [attribute, key.as_str()];
        if let Err(e) = validate_tag_key(key) {
            problems.push(IntentError::error(
                &path,
                "Invalid tag key",
                format!("{e}. Rename the tag."),
            ));
        } else if key.to_lowercase().starts_with(OWNERSHIP_PREFIX) {
            problems.push(IntentError::error(
                &path,
                "Reserved tag key",
                format!(
                    "Tag keys starting with {OWNERSHIP_PREFIX:?} are set by the provider to record what it owns. Remove {key:?} or rename it."
                ),
            ));
        }
        if let Err(e) = validate_tag_value(value) {
            problems.push(IntentError::error(
                &path,
                "Invalid tag value",
                format!("{e}. Change the value of {key:?}."),
            ));
        }
        if let Some(other) = seen.insert(key.to_lowercase(), key) {
            problems.push(IntentError::error(
                &path,
                "Duplicate tag key",
                format!(
                    "IAM tag keys are unique ignoring case: {other:?} and {key:?} are the same key. Keep one of them."
                ),
            ));
        }
    }
    problems
}

/// Merges default tags, user tags (they replace a default with the same key,
/// ignoring case) and ownership tags (they replace anything). Expects inputs
/// already checked by [`validate_user_tags`].
pub fn merge_tags(
    default_tags: &BTreeMap<String, String>,
    user_tags: &BTreeMap<String, String>,
    ownership_tags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut merged: BTreeMap<String, String> = BTreeMap::new();
    for layer in [default_tags, user_tags, ownership_tags] {
        for (key, value) in layer {
            let folded = key.to_lowercase();
            merged.retain(|k, _| k.to_lowercase() != folded);
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// The error for a role that would carry more than [`MAX_TAGS_PER_ROLE`] tags.
pub fn check_tag_count(
    merged: &BTreeMap<String, String>,
    ownership_count: usize,
) -> Option<IntentError> {
    (merged.len() > MAX_TAGS_PER_ROLE).then(|| {
        IntentError::error(
            &["tags"],
            "Too many tags",
            format!(
                "The role would carry {} tags (your tags and the provider's default tags, plus {ownership_count} ownership tags the provider adds); IAM allows {MAX_TAGS_PER_ROLE} per role. Remove at least {}.",
                merged.len(),
                merged.len() - MAX_TAGS_PER_ROLE
            ),
        )
    })
}

#[cfg(test)]
mod tests;
