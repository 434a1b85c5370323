//! What `eksrole_team_access` and `eksrole_break_glass` share beyond the
//! access entry ([`super::access_entry`]), the principals
//! ([`super::principals`]) and the role settings ([`super::role`]): the
//! blueprint of a role plus its access entry, the access intent's name and
//! import ID, the role's minimal identity policy to reach the cluster
//! (`eks:DescribeCluster` on exactly that cluster), the kubeconfig command,
//! and the trust-policy size check.
//!
//! Pure: no I/O. The intents ([`super::team_access`], [`super::break_glass`])
//! build their own trust policies and call these helpers for the rest.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::access_entry::AccessEntryBlueprint;
use super::names;
use super::policy_json::canonical_json_value;
use super::role::RoleSettings;
use super::{Account, Env, IntentError, RoleBlueprint};

/// The inline policy every access role carries: `eks:DescribeCluster` on its
/// cluster, so `aws eks update-kubeconfig` works. The name is reserved.
pub const DESCRIBE_CLUSTER_POLICY_NAME: &str = "eksrole-describe-cluster";
/// Sid of the statement in [`DESCRIBE_CLUSTER_POLICY_NAME`].
pub const DESCRIBE_CLUSTER_SID: &str = "DescribeCluster";
/// The intent name (`name`) is at most this many characters.
pub const INTENT_NAME_MAX: usize = 64;
/// The role and the access entry of a team or break-glass access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterAccessBlueprint {
    pub role: RoleBlueprint,
    pub access_entry: AccessEntryBlueprint,
}

/// What the code serving both access intents (their live checks, their
/// resource plumbing) reads of either input.
pub trait AccessInput {
    /// The role attributes: owner (cluster and name), role name and path,
    /// permissions boundary, ….
    fn settings(&self) -> RoleSettings<'_>;
    /// The IAM principals allowed to assume the role (none for a CI pipeline).
    fn principals(&self) -> &BTreeSet<String>;
    /// The intent's `name`.
    fn intent_name(&self) -> &str;
    /// The EKS access policy ARNs the input asks for in `partition`, each with
    /// the attribute it comes from (where a problem with it is shown).
    fn requested_access_policies(&self, partition: &str) -> Vec<(String, &'static str)>;
    /// Parses the import ID: `cluster/name`, or `cluster/name/role_name`
    /// when the role has a custom name.
    fn parse_import_id(id: &str) -> Result<AccessImportId, String>;
    /// The role an import ID names: its custom role name, or the default one.
    fn import_role_name(id: &AccessImportId) -> String;
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
pub fn access_role(settings: &RoleSettings<'_>, env: &Env, trust_policy: String) -> RoleBlueprint {
    let cluster = settings.owner.cluster();
    settings.role(
        env,
        trust_policy,
        BTreeSet::new(),
        BTreeMap::from([(
            DESCRIBE_CLUSTER_POLICY_NAME.to_owned(),
            describe_cluster_policy(&cluster_arn(&env.account, cluster)),
        )]),
    )
}

#[cfg(test)]
mod tests;
