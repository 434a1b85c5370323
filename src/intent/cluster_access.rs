//! What `eksrole_team_access` and `eksrole_break_glass` share: both are an IAM
//! role that some principals may assume, the minimal identity policy to reach
//! the cluster (`eks:DescribeCluster` on exactly that cluster), and an EKS
//! access entry for the role with its access-policy associations and scope.
//!
//! Here: the blueprint types of the access entry, access levels and policy
//! ARNs, the EKS rules on Kubernetes groups, usernames and scope namespaces
//! (SECURITY.md §1 EKS), principal ARNs, the role settings both intents take
//! (name, path, boundary, session length, tags) and the pieces of the role they
//! build the same way (ownership tags, the describe-cluster policy, names).
//!
//! Pure: no I/O. The intents ([`super::team_access`], [`super::break_glass`])
//! build their own trust policies and call these helpers for the rest.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::arn::Arn;

use super::names::{self, parse_role_arn, parse_user_arn};
use super::policy_json::{canonical_json_value, non_whitespace_len};
use super::role::RoleSettings;
use super::{Account, IntentError, RoleBlueprint};

/// The inline policy every access role carries: `eks:DescribeCluster` on its
/// cluster, so `aws eks update-kubeconfig` works. The name is reserved.
pub const DESCRIBE_CLUSTER_POLICY_NAME: &str = "eksrole-describe-cluster";
/// Sid of the statement in [`DESCRIBE_CLUSTER_POLICY_NAME`].
pub const DESCRIBE_CLUSTER_SID: &str = "DescribeCluster";
/// The intent name (`name`) is at most this many characters.
pub const INTENT_NAME_MAX: usize = 64;
/// Usernames that EKS refuses on an access entry start with one of these.
pub const RESERVED_USERNAME_PREFIXES: [&str; 5] = ["system:", "eks:", "aws:", "amazon:", "iam:"];
/// Kubernetes groups that EKS refuses on an access entry start with this.
pub const RESERVED_GROUP_PREFIX: &str = "system:";
/// The username template EKS fills with the role session name.
pub const SESSION_NAME_TEMPLATE: &str = "{{SessionName}}";
/// The path IAM Identity Center gives the roles it creates; their sessions carry no MFA flag.
pub const IDENTITY_CENTER_ROLE_PATH_PREFIX: &str = "/aws-reserved/sso.amazonaws.com/";

/// Where an access policy applies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessScope {
    /// The whole cluster.
    Cluster,
    /// Only these namespaces (each a DNS-1123 label, optionally ending in `*`).
    Namespaces(BTreeSet<String>),
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

/// The role and the access entry of a team or break-glass access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterAccessBlueprint {
    pub role: RoleBlueprint,
    pub access_entry: AccessEntryBlueprint,
}

/// The access levels the intents offer, each one EKS access policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    View,
    Edit,
    Admin,
    ClusterAdmin,
}

impl AccessLevel {
    /// Every level, least privilege first.
    pub const ALL: [AccessLevel; 4] = [
        AccessLevel::View,
        AccessLevel::Edit,
        AccessLevel::Admin,
        AccessLevel::ClusterAdmin,
    ];

    /// The attribute value: `view`, `edit`, `admin` or `cluster_admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::View => "view",
            AccessLevel::Edit => "edit",
            AccessLevel::Admin => "admin",
            AccessLevel::ClusterAdmin => "cluster_admin",
        }
    }

    /// Parses the attribute value.
    pub fn parse(s: &str) -> Result<AccessLevel, String> {
        AccessLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not an access level; use \"view\", \"edit\", \"admin\" or \"cluster_admin\""
                )
            })
    }
}

/// The EKS access policy of a level.
pub fn level_policy_name(level: AccessLevel) -> &'static str {
    match level {
        AccessLevel::View => "AmazonEKSViewPolicy",
        AccessLevel::Edit => "AmazonEKSEditPolicy",
        AccessLevel::Admin => "AmazonEKSAdminPolicy",
        AccessLevel::ClusterAdmin => "AmazonEKSClusterAdminPolicy",
    }
}

/// `arn:<partition>:eks::aws:cluster-access-policy/<name>`.
pub fn access_policy_arn(partition: &str, name: &str) -> String {
    format!("arn:{partition}:eks::aws:cluster-access-policy/{name}")
}

/// The cluster's ARN: `arn:<p>:eks:<region>:<acct>:cluster/<name>`.
pub fn cluster_arn(account: &Account, cluster: &str) -> String {
    format!(
        "arn:{}:eks:{}:{}:cluster/{cluster}",
        account.partition, account.region, account.account_id
    )
}

/// The identity policy allowing `eks:DescribeCluster` on exactly `cluster_arn`
/// (canonical minified JSON).
pub fn describe_cluster_policy(cluster_arn: &str) -> String {
    canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": DESCRIBE_CLUSTER_SID,
            "Effect": "Allow",
            "Action": "eks:DescribeCluster",
            "Resource": cluster_arn,
        }],
    }))
}

/// `aws eks update-kubeconfig --name <cluster> --region <region> --role-arn <arn>`.
pub fn kubeconfig_command(cluster: &str, region: &str, role_arn: &str) -> String {
    format!("aws eks update-kubeconfig --name {cluster} --region {region} --role-arn {role_arn}")
}

/// The import ID of a team or break-glass access, and its `id` attribute: `cluster/name`.
pub fn import_id(cluster: &str, name: &str) -> String {
    format!("{cluster}/{name}")
}

/// A parsed access import ID: `cluster/name`, or `cluster/name/role_name`
/// when the role has a custom name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessImportId {
    pub cluster_name: String,
    pub name: String,
    pub role_name: Option<String>,
}

/// Parses `cluster/name` or `cluster/name/role_name`, checking each part.
/// `what` names the resource in the message (`team access`), `example` is a
/// `cluster/name` to show.
pub fn parse_import_id(id: &str, what: &str, example: &str) -> Result<AccessImportId, String> {
    let parts: Vec<&str> = id.split('/').collect();
    let (cluster, name, role_name) = match parts.as_slice() {
        [cluster, name] => (*cluster, *name, None),
        [cluster, name, role_name] => (*cluster, *name, Some(*role_name)),
        _ => {
            return Err(format!(
                "{id:?} is not a {what} ID. Use `cluster/name` (e.g. `{example}`), or `cluster/name/role_name` when the role has a custom name"
            ))
        }
    };
    names::validate_cluster_name(cluster)?;
    validate_intent_name(name)?;
    if let Some(role_name) = role_name {
        names::validate_role_name(role_name)?;
    }
    Ok(AccessImportId {
        cluster_name: cluster.to_owned(),
        name: name.to_owned(),
        role_name: role_name.map(str::to_owned),
    })
}

/// The name of a team or break-glass access: 1-64 letters, digits and
/// `_+=,.@-`, so it fits the role name, its tags, the import ID and STS role
/// session names unchanged.
pub fn validate_intent_name(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n == 0 || n > INTENT_NAME_MAX {
        return Err(format!(
            "{s:?} is not a valid name: it must be 1-{INTENT_NAME_MAX} characters and has {n}"
        ));
    }
    match s.chars().find(|c| !names::is_iam_name_char(*c)) {
        Some(c) => Err(format!(
            "{s:?} is not a valid name: {c:?} is not allowed; use letters, digits and _ + = , . @ -"
        )),
        None => Ok(()),
    }
}

/// The static checks of the two attributes that identify an access intent;
/// false when either is invalid (so the caller skips checks built on them).
pub fn check_cluster_and_name(cluster: &str, name: &str, problems: &mut Vec<IntentError>) -> bool {
    let mut ok = true;
    if let Err(e) = names::validate_cluster_name(cluster) {
        ok = false;
        problems.push(IntentError::error(
            &["cluster_name"],
            "Invalid cluster name",
            format!("{e}. Use the EKS cluster's name as `aws eks list-clusters` shows it."),
        ));
    }
    if let Err(e) = validate_intent_name(name) {
        ok = false;
        problems.push(IntentError::error(
            &["name"],
            "Invalid name",
            format!("{e}. The name appears in the role name, its tags and role session names."),
        ));
    }
    ok
}

/// The access role: `settings` with `trust_policy` and the describe-cluster
/// inline policy. Expects validated settings.
pub fn access_role(
    settings: &RoleSettings<'_>,
    account: &Account,
    trust_policy: String,
) -> RoleBlueprint {
    let cluster = settings.owner.cluster();
    settings.role(
        account,
        trust_policy,
        BTreeSet::new(),
        BTreeMap::from([(
            DESCRIBE_CLUSTER_POLICY_NAME.to_owned(),
            describe_cluster_policy(&cluster_arn(account, cluster)),
        )]),
    )
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

/// A Kubernetes username of an access entry (SECURITY.md §1 EKS): non-empty,
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

/// Who may assume a role: a non-empty set of IAM role or user ARNs (paths
/// allowed); the account root `arn:<p>:iam::<acct>:root` only when
/// `allow_root`; no wildcards; no STS session ARNs. Paths are `[attribute]`
/// for the set, `[attribute, arn]` for an element.
pub fn validate_principal_arns(
    attribute: &str,
    arns: &BTreeSet<String>,
    allow_root: bool,
) -> Vec<IntentError> {
    if arns.is_empty() {
        return vec![IntentError::error(
            &[attribute],
            "No principals",
            format!("{attribute} is empty: nobody could assume the role. List the IAM roles or users that may, e.g. arn:aws:iam::123456789012:role/platform-oncall."),
        )];
    }
    arns.iter()
        .filter_map(|arn| {
            check_principal_arn(arn, allow_root)
                .err()
                .map(|(summary, detail)| {
                    IntentError::error(&[attribute, arn.as_str()], summary, detail)
                })
        })
        .collect()
}

fn check_principal_arn(arn: &str, allow_root: bool) -> Result<(), (&'static str, String)> {
    if arn.contains(['*', '?']) {
        return Err((
            "Wildcard principal",
            format!("{arn:?} holds a wildcard; a trust policy principal must name one role or user. List each principal."),
        ));
    }
    if let Some(parsed) = Arn::parse(arn) {
        if parsed.service == "sts" {
            return Err((
                "Session ARN as principal",
                format!("{arn:?} is an STS session ARN, which changes with every session; trust the role itself: arn:{}:iam::{}:role/ROLE_NAME (with its path, if it has one).", parsed.partition, parsed.account),
            ));
        }
        if parsed.service == "iam" && parsed.region.is_empty() && parsed.resource == "root" {
            if !allow_root {
                return Err((
                    "Account root as principal",
                    format!("{arn:?} trusts every role and user of account {} that its administrators allow. Name the roles or users instead.", parsed.account),
                ));
            }
            names::validate_partition(parsed.partition)
                .and_then(|()| names::validate_account_id(parsed.account))
                .map_err(|e| ("Invalid principal ARN", format!("{arn:?}: {e}.")))?;
            return Ok(());
        }
    }
    if parse_role_arn(arn).is_ok() || parse_user_arn(arn).is_ok() {
        return Ok(());
    }
    let why = parse_role_arn(arn)
        .err()
        .filter(|_| arn.contains(":role/"))
        .or_else(|| parse_user_arn(arn).err().filter(|_| arn.contains(":user/")))
        .unwrap_or_else(|| format!("{arn:?} is not an IAM role or user ARN"));
    Err((
        "Invalid principal ARN",
        format!("{why}. Use arn:aws:iam::123456789012:role/NAME or arn:aws:iam::123456789012:user/NAME (paths allowed)."),
    ))
}

/// Warnings for IAM Identity Center roles among principals of an MFA-gated
/// role: their sessions carry no MFA flag (SECURITY.md §1), so IAM refuses them.
pub fn identity_center_mfa_warnings(attribute: &str, arns: &BTreeSet<String>) -> Vec<IntentError> {
    arns.iter()
        .filter(|arn| {
            parse_role_arn(arn).is_ok_and(|r| r.path.starts_with(IDENTITY_CENTER_ROLE_PATH_PREFIX))
        })
        .map(|arn| {
            IntentError::warning(
                &[attribute, arn.as_str()],
                "Principal cannot pass the MFA check",
                format!("{arn:?} is an IAM Identity Center role; its sessions carry no aws:MultiFactorAuthPresent flag, so a trust policy requiring MFA refuses it even when the person signed in with MFA. Use IAM users with MFA devices, or a role assumed with MFA."),
            )
        })
        .collect()
}

/// An AWS Organizations ID for `aws:PrincipalOrgID`: `o-` + 10-32 lowercase letters or digits.
pub fn validate_principal_org_id(attribute: &str, org_id: &str) -> Vec<IntentError> {
    let ok = org_id.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if ok {
        Vec::new()
    } else {
        vec![IntentError::error(
            &[attribute],
            "Invalid organization ID",
            format!("{org_id:?} is not an AWS Organizations ID: expected o- and 10-32 lowercase letters or digits, e.g. o-a1b2c3d4e5. `aws organizations describe-organization` shows it."),
        )]
    }
}

/// The checks of principals that need the account: same partition as the
/// role (trust cannot cross partitions), and not the role itself (IAM refuses
/// a trust policy naming a role that does not exist yet). Paths `[attribute, arn]`.
pub fn check_principals_against_account(
    attribute: &str,
    arns: &BTreeSet<String>,
    account: &Account,
    role_name: &str,
) -> Vec<IntentError> {
    let mut problems = Vec::new();
    for arn in arns {
        let Some(parsed) = Arn::parse(arn) else {
            continue;
        };
        if parsed.partition != account.partition {
            problems.push(IntentError::error(
                &[attribute, arn.as_str()],
                "Principal in another partition",
                format!(
                    "{arn:?} is in partition {:?} but the role is created in {:?}; trust cannot cross partitions.",
                    parsed.partition, account.partition
                ),
            ));
            continue;
        }
        let own = parse_role_arn(arn).is_ok_and(|r| {
            r.account_id == account.account_id && r.name.eq_ignore_ascii_case(role_name)
        });
        if own {
            problems.push(IntentError::error(
                &[attribute, arn.as_str()],
                "Principal is this role",
                format!("{arn:?} names the role this resource creates; a role cannot trust itself. Remove it."),
            ));
        }
    }
    problems
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

/// The error for a trust policy larger than the account's quota (path `[]`).
pub fn check_trust_policy_size(trust_policy: &str, quota: usize, fix: &str) -> Option<IntentError> {
    let size = non_whitespace_len(trust_policy);
    (size > quota).then(|| {
        IntentError::error(
            &[],
            "Trust policy too large",
            format!(
                "The generated trust policy is {size} characters (whitespace not counted) and the account's \"Role trust policy length\" quota is {quota}. {fix} Or raise the quota (L-C07B4B0D) through Service Quotas."
            ),
        )
    })
}

/// An error that means the intent built something it should not have.
pub(crate) fn internal(reason: &str) -> IntentError {
    IntentError::error(
        &[],
        "Internal error",
        format!("{reason}. This is a bug in terraform-provider-eksrole; please report it with the resource's configuration."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::policy_json::{validate_policy_shape, PolicyKind};
    use crate::intent::test_support::*;
    use proptest::prelude::*;

    #[test]
    fn access_levels() {
        for level in AccessLevel::ALL {
            assert_eq!(AccessLevel::parse(level.as_str()), Ok(level));
        }
        assert_eq!(
            AccessLevel::parse("cluster_admin"),
            Ok(AccessLevel::ClusterAdmin)
        );
        for bad in ["", "View", "cluster-admin", "clusteradmin", "read"] {
            assert!(AccessLevel::parse(bad).is_err(), "{bad}");
        }
        let names: Vec<&str> = AccessLevel::ALL
            .into_iter()
            .map(level_policy_name)
            .collect();
        assert_eq!(
            names,
            [
                "AmazonEKSViewPolicy",
                "AmazonEKSEditPolicy",
                "AmazonEKSAdminPolicy",
                "AmazonEKSClusterAdminPolicy"
            ]
        );
        assert_eq!(
            access_policy_arn("aws-cn", "AmazonEKSViewPolicy"),
            "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
        );
        for level in AccessLevel::ALL {
            let arn = access_policy_arn("aws", level_policy_name(level));
            assert!(parse_access_policy_arn(&arn).is_ok(), "{arn}");
        }
    }

    #[test]
    fn cluster_arn_policy_and_commands() {
        let account = account_in("aws");
        let arn = cluster_arn(&account, "prod");
        assert_eq!(arn, "arn:aws:eks:eu-west-1:123456789012:cluster/prod");
        assert_eq!(
            cluster_arn(&account_in("aws-cn"), "prod"),
            "arn:aws-cn:eks:cn-north-1:123456789012:cluster/prod"
        );
        let policy = describe_cluster_policy(&arn);
        assert_eq!(
            policy,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"DescribeCluster","Effect":"Allow","Action":"eks:DescribeCluster","Resource":"arn:aws:eks:eu-west-1:123456789012:cluster/prod"}]}"#
        );
        assert!(validate_policy_shape(&parsed(&policy), PolicyKind::Identity).is_empty());
        assert_eq!(
            kubeconfig_command("prod", "eu-west-1", "arn:aws:iam::123456789012:role/x"),
            "aws eks update-kubeconfig --name prod --region eu-west-1 --role-arn arn:aws:iam::123456789012:role/x"
        );
    }

    #[test]
    fn import_ids() {
        assert_eq!(import_id("prod", "payments"), "prod/payments");
        let parse = |id| parse_import_id(id, "team access", "prod/developers");
        assert_eq!(
            parse("prod/payments"),
            Ok(AccessImportId {
                cluster_name: "prod".to_owned(),
                name: "payments".to_owned(),
                role_name: None,
            })
        );
        assert_eq!(
            parse("prod/payments/custom-role").map(|id| id.role_name),
            Ok(Some("custom-role".to_owned()))
        );
        for bad in [
            "",
            "prod",
            "prod/",
            "/payments",
            "prod/a/",
            "prod/a/b/c",
            "prod/a b",
            "prod/a/b c",
            "-x/a",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("prod").unwrap_err().contains("not a team access ID"));
    }

    proptest! {
        #[test]
        fn import_ids_round_trip(
            cluster in "[A-Za-z0-9][A-Za-z0-9_-]{0,99}",
            name in "[A-Za-z0-9_+=,.@-]{1,64}",
        ) {
            let parsed = parse_import_id(&import_id(&cluster, &name), "team access", "prod/a");
            prop_assert_eq!(parsed, Ok(AccessImportId { cluster_name: cluster, name, role_name: None }));
        }
    }

    #[test]
    fn intent_names() {
        for ok in ["a", "payments", "Team_1.x@y+z=w,v-u", &"n".repeat(64)] {
            assert_eq!(validate_intent_name(ok), Ok(()), "{ok}");
        }
        for bad in ["", "a/b", "a b", "é", &"n".repeat(65)] {
            assert!(validate_intent_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kubernetes_groups() {
        assert!(validate_kubernetes_groups(
            "kubernetes_groups",
            &set(&["devs", "team:ops", "a b"])
        )
        .is_empty());
        let problems = validate_kubernetes_groups(
            "kubernetes_groups",
            &set(&["system:masters", "", "ok", "tab\tx", "System:x"]),
        );
        assert_eq!(
            problems_of(&problems),
            vec![
                expect(
                    &["kubernetes_groups", ""],
                    "Invalid Kubernetes group",
                    false
                ),
                expect(
                    &["kubernetes_groups", "system:masters"],
                    "Reserved Kubernetes group",
                    false
                ),
                expect(
                    &["kubernetes_groups", "tab\tx"],
                    "Invalid Kubernetes group",
                    false
                ),
            ]
        );
    }

    #[test]
    fn usernames() {
        for ok in [
            "alice",
            "team:{{SessionName}}",
            "a:{{SessionName}}:b:{{SessionName}}",
            "arn:aws:sts::123456789012:assumed-role/x:{{SessionName}}",
            "system",
            "SYSTEM:x",
        ] {
            assert_eq!(validate_username("kubernetes_username", ok), vec![], "{ok}");
        }
        for prefix in RESERVED_USERNAME_PREFIXES {
            let problems = validate_username("kubernetes_username", &format!("{prefix}x"));
            assert_eq!(
                problems_of(&problems),
                vec![expect(
                    &["kubernetes_username"],
                    "Reserved Kubernetes username",
                    false
                )]
            );
        }
        // EKS's own default for roles (…/ROLE/{{SessionName}}) cannot be given explicitly.
        for bad in [
            "{{SessionName}}",
            "team-{{SessionName}}",
            "a:{{SessionName}}-{{SessionName}}",
            "arn:aws:sts::123456789012:assumed-role/x/{{SessionName}}",
        ] {
            let problems = validate_username("kubernetes_username", bad);
            assert_eq!(
                problems_of(&problems),
                vec![expect(
                    &["kubernetes_username"],
                    "Misplaced {{SessionName}}",
                    false
                )],
                "{bad}"
            );
        }
        assert_eq!(
            problems_of(&validate_username("kubernetes_username", " ")),
            vec![expect(
                &["kubernetes_username"],
                "Invalid Kubernetes username",
                false
            )]
        );
        assert_eq!(
            validate_username("kubernetes_username", "eks:{{SessionName}}").len(),
            1
        );
        assert_eq!(
            validate_username("kubernetes_username", "eks:x-{{SessionName}}").len(),
            2
        );
    }

    #[test]
    fn scope_namespaces() {
        for ok in [
            "default",
            "dev-*",
            "a*",
            "team1-*",
            &format!("{}*", "a".repeat(62)),
        ] {
            assert_eq!(validate_scope_namespace(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "*",
            "-*",
            "Dev-*",
            "a**",
            "*a",
            "a*b",
            "a.b*",
            &format!("{}*", "a".repeat(63)),
            "A",
        ] {
            assert!(validate_scope_namespace(bad).is_err(), "{bad}");
        }
        assert!(validate_access_namespaces("namespaces", &set(&["dev-*", "prod"])).is_empty());
        assert_eq!(
            problems_of(&validate_access_namespaces("namespaces", &BTreeSet::new())),
            vec![expect(&["namespaces"], "No namespaces", false)]
        );
        assert_eq!(
            problems_of(&validate_access_namespaces(
                "namespaces",
                &set(&["ok", "Bad", "*"])
            )),
            vec![
                expect(&["namespaces", "*"], "Invalid namespace", false),
                expect(&["namespaces", "Bad"], "Invalid namespace", false),
            ]
        );
    }

    #[test]
    fn access_policy_arns() {
        let ok = set(&[
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
            "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
            "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        ]);
        assert!(validate_access_policy_arns("access_policy_arns", &ok).is_empty());
        let bad = [
            "AmazonEKSViewPolicy",
            "arn:aws:eks::aws:cluster-access-policy/",
            "arn:aws:eks:eu-west-1:aws:cluster-access-policy/AmazonEKSViewPolicy",
            "arn:aws:eks::123456789012:cluster-access-policy/AmazonEKSViewPolicy",
            "arn:aws:iam::aws:policy/AmazonEKSViewPolicy",
            "arn:aws:eks::aws:access-policy/AmazonEKSViewPolicy",
            "arn:AWS:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            "arn:aws:eks::aws:cluster-access-policy/Amazon EKS",
        ];
        let problems = validate_access_policy_arns("access_policy_arns", &set(&bad));
        assert_eq!(problems.len(), bad.len(), "{problems:#?}");
        for p in &problems {
            assert_eq!(p.path[0], "access_policy_arns");
            assert_eq!(p.path.len(), 2);
            assert_eq!(p.summary, "Invalid access policy ARN");
        }
        let partition =
            check_access_policy_partitions("access_policy_arns", &ok, &account_in("aws"));
        assert_eq!(
            problems_of(&partition),
            vec![
                expect(
                    &[
                        "access_policy_arns",
                        "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy"
                    ],
                    "Access policy in another partition",
                    false
                ),
                expect(
                    &[
                        "access_policy_arns",
                        "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
                    ],
                    "Access policy in another partition",
                    false
                ),
            ]
        );
        assert!(partition[0]
            .detail
            .contains("arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy"));
    }

    #[test]
    fn principal_arns() {
        let ok = set(&[
            "arn:aws:iam::123456789012:role/oncall",
            "arn:aws:iam::123456789012:role/team/ops/oncall",
            "arn:aws:iam::210987654321:user/people/alice",
        ]);
        assert!(validate_principal_arns("principal_arns", &ok, false).is_empty());
        assert_eq!(
            problems_of(&validate_principal_arns(
                "principal_arns",
                &BTreeSet::new(),
                false
            )),
            vec![expect(&["principal_arns"], "No principals", false)]
        );
        let root = set(&["arn:aws:iam::123456789012:root"]);
        assert_eq!(
            problems_of(&validate_principal_arns("principal_arns", &root, false)),
            vec![expect(
                &["principal_arns", "arn:aws:iam::123456789012:root"],
                "Account root as principal",
                false
            )]
        );
        assert!(validate_principal_arns("principal_arns", &root, true).is_empty());
        assert_eq!(
            validate_principal_arns("principal_arns", &set(&["arn:aws:iam::1234:root"]), true)[0]
                .summary,
            "Invalid principal ARN"
        );
        let cases = [
            ("*", "Wildcard principal"),
            ("arn:aws:iam::123456789012:role/*", "Wildcard principal"),
            (
                "arn:aws:iam::123456789012:role/on?all",
                "Wildcard principal",
            ),
            (
                "arn:aws:sts::123456789012:assumed-role/oncall/alice",
                "Session ARN as principal",
            ),
            (
                "arn:aws:sts::123456789012:federated-user/alice",
                "Session ARN as principal",
            ),
            (
                "arn:aws:iam::123456789012:group/admins",
                "Invalid principal ARN",
            ),
            (
                "arn:aws:iam::123456789012:role/bad name",
                "Invalid principal ARN",
            ),
            ("arn:aws:iam::12345:user/alice", "Invalid principal ARN"),
            ("123456789012", "Invalid principal ARN"),
            (
                "arn:aws:iam::123456789012:oidc-provider/x.example.com",
                "Invalid principal ARN",
            ),
        ];
        for (arn, summary) in cases {
            let problems = validate_principal_arns("principal_arns", &set(&[arn]), true);
            assert_eq!(
                problems_of(&problems),
                vec![expect(&["principal_arns", arn], summary, false)],
                "{arn}"
            );
        }
    }

    #[test]
    fn principals_against_account() {
        let account = account_in("aws");
        let arns = set(&[
            "arn:aws:iam::123456789012:role/ops/EKS-TEAM-prod-x",
            "arn:aws-cn:iam::123456789012:role/ops",
            "arn:aws:iam::210987654321:role/eks-team-prod-x",
            "arn:aws:iam::123456789012:user/eks-team-prod-x",
        ]);
        assert_eq!(
            problems_of(&check_principals_against_account(
                "principal_arns",
                &arns,
                &account,
                "eks-team-prod-x"
            )),
            vec![
                expect(
                    &["principal_arns", "arn:aws-cn:iam::123456789012:role/ops"],
                    "Principal in another partition",
                    false
                ),
                expect(
                    &[
                        "principal_arns",
                        "arn:aws:iam::123456789012:role/ops/EKS-TEAM-prod-x"
                    ],
                    "Principal is this role",
                    false
                ),
            ]
        );
    }

    #[test]
    fn identity_center_roles_warn() {
        let arns = set(&[
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
            "arn:aws:iam::123456789012:role/oncall",
        ]);
        let warnings = identity_center_mfa_warnings("principal_arns", &arns);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].warning);
        assert_eq!(warnings[0].path[1], *arns.iter().next().unwrap());
    }

    #[test]
    fn org_ids() {
        assert!(validate_principal_org_id("principal_org_id", "o-a1b2c3d4e5").is_empty());
        assert!(
            validate_principal_org_id("principal_org_id", &format!("o-{}", "a".repeat(32)))
                .is_empty()
        );
        for bad in [
            "",
            "o-",
            "o-short",
            "a1b2c3d4e5",
            "o-A1B2C3D4E5",
            &format!("o-{}", "a".repeat(33)),
            "r-a1b2c3d4e5",
        ] {
            assert_eq!(
                problems_of(&validate_principal_org_id("principal_org_id", bad)),
                vec![expect(
                    &["principal_org_id"],
                    "Invalid organization ID",
                    false
                )],
                "{bad}"
            );
        }
    }

    #[test]
    fn access_entries() {
        let tags = map(&[("a", "b")]);
        let arns = set(&[
            "arn:aws:eks::aws:cluster-access-policy/B",
            "arn:aws:eks::aws:cluster-access-policy/A",
        ]);
        let entry = access_entry(
            "prod",
            "arn:aws:iam::123456789012:role/r",
            &set(&["devs"]),
            Some("u"),
            &arns,
            None,
            tags.clone(),
        );
        assert_eq!(entry.policy_associations.len(), 2);
        assert!(entry.policy_associations[0].policy_arn.ends_with("/A"));
        assert!(entry
            .policy_associations
            .iter()
            .all(|a| a.scope == AccessScope::Cluster));
        assert_eq!(entry.username.as_deref(), Some("u"));
        let ns = set(&["dev-*"]);
        let entry = access_entry(
            "prod",
            "arn:aws:iam::123456789012:role/r",
            &BTreeSet::new(),
            None,
            &arns,
            Some(&ns),
            tags,
        );
        assert!(entry
            .policy_associations
            .iter()
            .all(|a| a.scope == AccessScope::Namespaces(ns.clone())));
    }

    #[test]
    fn trust_size() {
        assert_eq!(check_trust_policy_size("{ \"a\" }", 5, "Fix."), None);
        let e = check_trust_policy_size("{ \"ab\" }", 5, "Fix.").unwrap();
        assert!(e.path.is_empty());
        assert!(
            e.detail.contains(" 6 characters") && e.detail.contains("quota is 5"),
            "{}",
            e.detail
        );
    }
}
