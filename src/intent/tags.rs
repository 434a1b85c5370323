//! IAM tags: key and value rules (SECURITY.md §1), and the merge every intent
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
fn is_tag_char(c: char) -> bool {
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
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn keys_and_values() {
        assert!(validate_tag_key("team").is_ok());
        assert!(validate_tag_key("cost center:ü/x=y+z-@_.").is_ok());
        assert!(validate_tag_key("aws:owner").is_err());
        assert!(validate_tag_key("AWS:owner").is_err());
        assert!(validate_tag_key("").is_err());
        assert!(validate_tag_key(&"k".repeat(129)).is_err());
        assert!(validate_tag_key("bad*key").is_err());
        assert!(validate_tag_key("tab\tkey").is_err());
        assert!(validate_tag_value("").is_ok());
        assert!(validate_tag_value(&"v".repeat(256)).is_ok());
        assert!(validate_tag_value(&"v".repeat(257)).is_err());
        assert!(validate_tag_value("a,b").is_err());
    }

    #[test]
    fn user_tag_problems_have_exact_paths() {
        let tags = map(&[
            ("eksrole:x", "1"),
            ("ok", "bad*"),
            ("Team", "a"),
            ("team", "b"),
            ("aws:y", ""),
        ]);
        let problems = validate_user_tags("tags", &tags);
        let paths: Vec<(Vec<String>, String)> = problems
            .iter()
            .map(|p| (p.path.clone(), p.summary.clone()))
            .collect();
        let want = |k: &str, s: &str| (vec!["tags".to_owned(), k.to_owned()], s.to_owned());
        assert!(
            paths.contains(&want("eksrole:x", "Reserved tag key")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&want("ok", "Invalid tag value")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&want("team", "Duplicate tag key")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&want("aws:y", "Invalid tag key")),
            "{paths:?}"
        );
        assert_eq!(problems.len(), 4);
        let upper = validate_user_tags("default_tags", &map(&[("EKSROLE:Owner", "me")]));
        assert_eq!(upper[0].path, vec!["default_tags", "EKSROLE:Owner"]);
    }

    #[test]
    fn merge_precedence_ignores_case() {
        let defaults = map(&[("Team", "platform"), ("env", "prod")]);
        let user = map(&[("team", "payments"), ("app", "api")]);
        let owner = map(&[("eksrole:managed-by", MANAGED_BY)]);
        let merged = merge_tags(&defaults, &user, &owner);
        assert_eq!(
            merged,
            map(&[
                ("app", "api"),
                ("eksrole:managed-by", MANAGED_BY),
                ("env", "prod"),
                ("team", "payments")
            ])
        );
    }

    #[test]
    fn ownership_tags_and_owned_by() {
        let wi = Owner::WorkloadIdentity {
            cluster: "prod",
            namespace: "payments",
            service_account: "api",
        };
        let tags = wi.ownership_tags();
        assert_eq!(
            tags,
            map(&[
                ("eksrole:cluster", "prod"),
                ("eksrole:intent", "workload-identity"),
                ("eksrole:managed-by", MANAGED_BY),
                ("eksrole:namespace", "payments"),
                ("eksrole:service-account", "api"),
            ])
        );
        let mut with_user_tags = tags.clone();
        with_user_tags.insert("team".into(), "payments".into());
        assert!(owned_by(&with_user_tags, &wi));
        let other_sa = Owner::WorkloadIdentity {
            cluster: "prod",
            namespace: "payments",
            service_account: "worker",
        };
        assert!(!owned_by(&tags, &other_sa));
        let team = Owner::TeamAccess {
            cluster: "prod",
            name: "payments",
        };
        let glass = Owner::BreakGlass {
            cluster: "prod",
            name: "payments",
        };
        assert_eq!(team.ownership_tags()["eksrole:intent"], "team-access");
        assert_eq!(team.ownership_tags()["eksrole:name"], "payments");
        assert_eq!(team.ownership_tags().len(), 4);
        assert!(owned_by(&team.ownership_tags(), &team));
        assert!(
            !owned_by(&team.ownership_tags(), &glass),
            "same name, other intent"
        );
        assert!(!owned_by(&BTreeMap::new(), &team));
        let mut foreign = team.ownership_tags();
        foreign.insert(MANAGED_BY_KEY.into(), "someone-else".into());
        assert!(!owned_by(&foreign, &team));
    }

    #[test]
    fn tag_count() {
        let many: BTreeMap<String, String> =
            (0..51).map(|i| (format!("k{i}"), String::new())).collect();
        let e = check_tag_count(&many, 5).unwrap();
        assert_eq!(e.path, vec!["tags"]);
        assert!(e.detail.contains("51"));
        let fifty: BTreeMap<String, String> =
            (0..50).map(|i| (format!("k{i}"), String::new())).collect();
        assert!(check_tag_count(&fifty, 5).is_none());
    }
}
