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
