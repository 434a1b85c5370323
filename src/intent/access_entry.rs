//! The EKS access entry of a team or break-glass access: the access levels
//! and the EKS access policies they stand for, the access scope (cluster or
//! namespaces), the EKS rules on Kubernetes groups, usernames and scope
//! namespaces (`docs/design/aws-facts.md` "Limits and formats", EKS), access policy ARNs, and the
//! [`AccessEntryBlueprint`] built from them.
//!
//! Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet};

use crate::arn::Arn;

use super::names;
use super::{Account, IntentError};

/// Usernames that EKS refuses on an access entry start with one of these.
pub const RESERVED_USERNAME_PREFIXES: [&str; 5] = ["system:", "eks:", "aws:", "amazon:", "iam:"];
/// Kubernetes groups that EKS refuses on an access entry start with this.
pub const RESERVED_GROUP_PREFIX: &str = "system:";
/// The username template EKS fills with the role session name.
pub const SESSION_NAME_TEMPLATE: &str = "{{SessionName}}";
/// The same without turning `@` into `-`.
pub const SESSION_NAME_RAW_TEMPLATE: &str = "{{SessionNameRaw}}";

/// Where an access policy applies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessScope {
    /// The whole cluster.
    Cluster,
    /// Only these namespaces (each a DNS-1123 label, optionally ending in `*`).
    Namespaces(BTreeSet<String>),
}

impl AccessScope {
    /// How `access_policy_associations` shows the scope: `cluster`, or
    /// `namespace:` and the namespaces joined by commas.
    pub fn shown(&self) -> String {
        match self {
            AccessScope::Cluster => "cluster".to_owned(),
            AccessScope::Namespaces(ns) => {
                format!(
                    "namespace:{}",
                    ns.iter().cloned().collect::<Vec<_>>().join(",")
                )
            }
        }
    }
}

/// What an existing entry's associations (policy ARN → scope) say about the
/// intent that made them, for import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessOfEntry {
    /// The access level, when there is exactly one policy and it is a level's.
    pub level: Option<AccessLevel>,
    pub policy_arns: BTreeSet<String>,
    /// Every namespace any association is scoped to; empty for cluster scope.
    pub namespaces: BTreeSet<String>,
}

/// Reads [`AccessOfEntry`] from an entry's associations.
pub fn access_of(associations: &BTreeMap<String, AccessScope>) -> AccessOfEntry {
    let level = match associations.keys().collect::<Vec<_>>().as_slice() {
        [arn] => AccessLevel::of_policy_arn(arn),
        _ => None,
    };
    let namespaces = associations
        .values()
        .flat_map(|scope| match scope {
            AccessScope::Cluster => BTreeSet::new(),
            AccessScope::Namespaces(ns) => ns.clone(),
        })
        .collect();
    AccessOfEntry {
        level,
        policy_arns: associations.keys().cloned().collect(),
        namespaces,
    }
}

/// One access-policy association of an access entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyAssociationBlueprint {
    /// `arn:<p>:eks::aws:cluster-access-policy/<Name>`
    pub policy_arn: String,
    pub scope: AccessScope,
}

/// An EKS access entry (type `STANDARD`) exactly as it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntryBlueprint {
    pub cluster_name: String,
    /// The role's ARN (with its path).
    pub principal_arn: String,
    pub kubernetes_groups: BTreeSet<String>,
    /// `None`: EKS chooses (`arn:…:sts::<acct>:assumed-role/<role>/{{SessionName}}`).
    pub username: Option<String>,
    /// Sorted by `policy_arn`, one per policy.
    pub policy_associations: Vec<PolicyAssociationBlueprint>,
    pub tags: BTreeMap<String, String>,
}

/// The access levels the intents offer, each one EKS access policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    View,
    /// Read access to every resource, Secrets included (AmazonEKSAdminViewPolicy).
    AdminView,
    Edit,
    Admin,
    ClusterAdmin,
}

impl AccessLevel {
    /// Every level, least privilege first.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::View,
        AccessLevel::AdminView,
        AccessLevel::Edit,
        AccessLevel::Admin,
        AccessLevel::ClusterAdmin,
    ];

    /// The attribute value: `view`, `admin_view`, `edit`, `admin` or `cluster_admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::View => "view",
            AccessLevel::AdminView => "admin_view",
            AccessLevel::Edit => "edit",
            AccessLevel::Admin => "admin",
            AccessLevel::ClusterAdmin => "cluster_admin",
        }
    }

    /// The level whose EKS access policy `arn` is (in any partition), if any.
    pub fn of_policy_arn(arn: &str) -> Option<AccessLevel> {
        let (_, name) = parse_access_policy_arn(arn).ok()?;
        AccessLevel::ALL
            .into_iter()
            .find(|level| level_policy_name(*level) == name)
    }

    /// Parses the attribute value.
    pub fn parse(s: &str) -> Result<AccessLevel, String> {
        AccessLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not an access level; use \"view\", \"admin_view\", \"edit\", \"admin\" or \"cluster_admin\""
                )
            })
    }
}

/// The EKS access policy of a level.
pub fn level_policy_name(level: AccessLevel) -> &'static str {
    match level {
        AccessLevel::View => "AmazonEKSViewPolicy",
        AccessLevel::AdminView => "AmazonEKSAdminViewPolicy",
        AccessLevel::Edit => "AmazonEKSEditPolicy",
        AccessLevel::Admin => "AmazonEKSAdminPolicy",
        AccessLevel::ClusterAdmin => "AmazonEKSClusterAdminPolicy",
    }
}

/// `arn:<partition>:eks::aws:cluster-access-policy/<name>`.
pub fn access_policy_arn(partition: &str, name: &str) -> String {
    format!("arn:{partition}:eks::aws:cluster-access-policy/{name}")
}

/// Kubernetes groups of an access entry: non-empty, no control characters,
/// not `system:`-prefixed (EKS refuses those). Paths are `[attribute, group]`.
pub fn validate_kubernetes_groups(attribute: &str, groups: &BTreeSet<String>) -> Vec<IntentError> {
    let mut problems = Vec::new();
    for group in groups {
        let path = [attribute, group.as_str()];
        if group.trim().is_empty() {
            problems.push(IntentError::error(
                &path,
                "Invalid Kubernetes group",
                "A Kubernetes group name is empty. Remove it or name the group your RBAC bindings use.",
            ));
        } else if group.chars().any(char::is_control) {
            problems.push(IntentError::error(
                &path,
                "Invalid Kubernetes group",
                format!("{group:?} holds a control character. Use the group name your RBAC bindings use."),
            ));
        } else if group.starts_with(RESERVED_GROUP_PREFIX) {
            problems.push(IntentError::error(
                &path,
                "Reserved Kubernetes group",
                format!(
                    "EKS refuses groups starting with {RESERVED_GROUP_PREFIX:?} on access entries ({group:?}). Use an access_level or access policy for built-in permissions, or a group of your own bound with RBAC."
                ),
            ));
        }
    }
    problems
}

/// A Kubernetes username of an access entry (`docs/design/aws-facts.md`
/// "Limits and formats", EKS): non-empty,
/// not starting with `system:`, `eks:`, `aws:`, `amazon:` or `iam:`, and every
/// `{{SessionName}}` right after a colon. Path `[attribute]`.
pub fn validate_username(attribute: &str, username: &str) -> Vec<IntentError> {
    let path = [attribute];
    if username.trim().is_empty() {
        return vec![IntentError::error(
            &path,
            "Invalid Kubernetes username",
            "The username is empty. Remove the attribute to let EKS choose one, or set a name like \"team:{{SessionName}}\".",
        )];
    }
    let mut problems = Vec::new();
    if let Some(prefix) = RESERVED_USERNAME_PREFIXES
        .iter()
        .find(|p| username.starts_with(*p))
    {
        problems.push(IntentError::error(
            &path,
            "Reserved Kubernetes username",
            format!(
                "EKS refuses usernames starting with {prefix:?} ({username:?}). Use a prefix of your own, like \"team:{{{{SessionName}}}}\"."
            ),
        ));
    }
    if username.chars().any(char::is_control) {
        problems.push(IntentError::error(
            &path,
            "Invalid Kubernetes username",
            format!("{username:?} holds a control character. Remove it."),
        ));
    }
    let misplaced = username
        .match_indices(SESSION_NAME_TEMPLATE)
        .any(|(i, _)| !username[..i].ends_with(':'));
    if misplaced {
        problems.push(IntentError::error(
            &path,
            "Misplaced {{SessionName}}",
            format!(
                "EKS requires {SESSION_NAME_TEMPLATE} to follow a colon ({username:?}). Write it like \"team:{SESSION_NAME_TEMPLATE}\"."
            ),
        ));
    }
    problems
}

/// A warning when `username` names no role session ([`SESSION_NAME_TEMPLATE`]
/// or [`SESSION_NAME_RAW_TEMPLATE`]): every person assuming the role is then
/// the same Kubernetes user, so the Kubernetes audit log cannot tell them
/// apart. Path `[attribute]`.
pub fn username_attribution_warning(attribute: &str, username: &str) -> Option<IntentError> {
    let attributed =
        username.contains(SESSION_NAME_TEMPLATE) || username.contains(SESSION_NAME_RAW_TEMPLATE);
    (!attributed).then(|| {
        IntentError::warning(
            &[attribute],
            "Everyone is one Kubernetes user",
            format!(
                "{username:?} has no {SESSION_NAME_TEMPLATE} (or {SESSION_NAME_RAW_TEMPLATE}), so every session of the role reaches Kubernetes as the same user and the cluster's audit log cannot tell who did what. Add the session name, e.g. \"team:{SESSION_NAME_TEMPLATE}\", or remove the attribute to let EKS choose a name that has it."
            ),
        )
    })
}

/// Scope namespaces: a non-empty set of DNS-1123 labels, each optionally
/// ending in one `*` after a non-empty prefix (`dev-*`). Paths are
/// `[attribute]` for the set, `[attribute, namespace]` for an element.
pub fn validate_access_namespaces(
    attribute: &str,
    namespaces: &BTreeSet<String>,
) -> Vec<IntentError> {
    if namespaces.is_empty() {
        return vec![IntentError::error(
            &[attribute],
            "No namespaces",
            format!("{attribute} is empty, which would scope the access to nothing. List the namespaces, or remove the attribute to grant the access on the whole cluster."),
        )];
    }
    namespaces
        .iter()
        .filter_map(|ns| {
            validate_scope_namespace(ns).err().map(|e| {
                IntentError::error(
                    &[attribute, ns.as_str()],
                    "Invalid namespace",
                    format!("{e}. Use a Kubernetes namespace name, or a prefix ending in '*' like \"dev-*\"."),
                )
            })
        })
        .collect()
}

/// One scope namespace: a DNS-1123 label, or a label prefix followed by `*`.
pub fn validate_scope_namespace(s: &str) -> Result<(), String> {
    let Some(prefix) = s.strip_suffix('*') else {
        return names::validate_namespace(s);
    };
    let fail = |e: &str| format!("{s:?} is not a valid namespace pattern: {e}");
    if s.len() > 63 {
        return Err(fail(&format!(
            "it has {} characters; the limit is 63",
            s.len()
        )));
    }
    if prefix.is_empty() {
        return Err(fail("a '*' needs a prefix before it, like \"dev-*\""));
    }
    if let Some(c) = prefix
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(fail(&format!(
            "{c:?} is not allowed; use lowercase letters, digits, '-' and one trailing '*'"
        )));
    }
    if prefix.starts_with('-') {
        return Err(fail("it must start with a lowercase letter or digit"));
    }
    Ok(())
}

/// An EKS access policy ARN: `arn:<p>:eks::aws:cluster-access-policy/<Name>`;
/// returns the name.
pub fn parse_access_policy_arn(s: &str) -> Result<(String, String), String> {
    let expected = "expected arn:aws:eks::aws:cluster-access-policy/NAME, e.g. arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    let arn = Arn::parse(s)
        .ok_or_else(|| format!("{s:?} is not an EKS access policy ARN: {expected}"))?;
    let name = arn
        .resource
        .strip_prefix("cluster-access-policy/")
        .filter(|_| arn.service == "eks" && arn.region.is_empty() && arn.account == "aws");
    let Some(name) = name else {
        return Err(format!("{s:?} is not an EKS access policy ARN: {expected}"));
    };
    names::validate_partition(arn.partition).map_err(|e| format!("{s:?}: {e}"))?;
    let n = name.chars().count();
    if n == 0 || n > 128 || name.chars().any(|c| !names::is_iam_name_char(c)) {
        return Err(format!(
            "{s:?} is not an EKS access policy ARN: the policy name must be 1-128 letters, digits and _ + = , . @ -"
        ));
    }
    Ok((arn.partition.to_owned(), name.to_owned()))
}

/// Each ARN is an EKS access policy ARN. Paths are `[attribute, arn]`.
pub fn validate_access_policy_arns(attribute: &str, arns: &BTreeSet<String>) -> Vec<IntentError> {
    arns.iter()
        .filter_map(|arn| {
            parse_access_policy_arn(arn).err().map(|e| {
                IntentError::error(
                    &[attribute, arn.as_str()],
                    "Invalid access policy ARN",
                    format!("{e}. `aws eks list-access-policies` lists them."),
                )
            })
        })
        .collect()
}

/// Access policy ARNs must be in the role's partition. Paths `[attribute, arn]`.
pub fn check_access_policy_partitions(
    attribute: &str,
    arns: &BTreeSet<String>,
    account: &Account,
) -> Vec<IntentError> {
    arns.iter()
        .filter_map(|arn| {
            let (partition, name) = parse_access_policy_arn(arn).ok()?;
            (partition != account.partition).then(|| {
                IntentError::error(
                    &[attribute, arn.as_str()],
                    "Access policy in another partition",
                    format!(
                        "{arn:?} is in partition {partition:?} but the cluster is in {:?}. Use {}.",
                        account.partition,
                        access_policy_arn(&account.partition, &name)
                    ),
                )
            })
        })
        .collect()
}

/// The access entry for `role_arn`: one association per policy ARN (sorted),
/// all with the same scope (`namespaces` or the whole cluster).
pub fn access_entry(
    cluster_name: &str,
    role_arn: &str,
    kubernetes_groups: &BTreeSet<String>,
    username: Option<&str>,
    policy_arns: &BTreeSet<String>,
    namespaces: Option<&BTreeSet<String>>,
    tags: BTreeMap<String, String>,
) -> AccessEntryBlueprint {
    let scope = namespaces.map_or(AccessScope::Cluster, |ns| {
        AccessScope::Namespaces(ns.clone())
    });
    AccessEntryBlueprint {
        cluster_name: cluster_name.to_owned(),
        principal_arn: role_arn.to_owned(),
        kubernetes_groups: kubernetes_groups.clone(),
        username: username.map(str::to_owned),
        policy_associations: policy_arns
            .iter()
            .map(|arn| PolicyAssociationBlueprint {
                policy_arn: arn.clone(),
                scope: scope.clone(),
            })
            .collect(),
        tags,
    }
}

#[cfg(test)]
mod tests;
