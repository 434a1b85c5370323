//! What `eksrole_team_access` and `eksrole_break_glass` share beyond the
//! access entry ([`super::access_entry`]), the principals
//! ([`super::principals`]) and the role settings ([`super::role`]): the
//! blueprint of a role plus its access entry, the access kind, the access
//! intent's name and import ID, the role's minimal identity policy to reach
//! the cluster (`eks:DescribeCluster` on exactly that cluster), the
//! kubeconfig command, and the checks of the facts both intents make.
//!
//! Pure: no I/O. The intents ([`super::team_access`], [`super::break_glass`])
//! build their own trust policies and call these helpers for the rest.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::access_entry::AccessEntryBlueprint;
use super::names;
use super::policy_json::canonical_json_value;
use super::principals::check_principals_against_account;
use super::role::{self, RoleSettings};
use super::tags::{is_tag_char, Owner, NAME_KEY};
use super::{check_account, Account, Env, IntentError, RoleBlueprint};

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
    /// The entry as it exists while access is open.
    pub access_entry: AccessEntryBlueprint,
    /// Access closed (break-glass `enabled = false`): the role stays, with
    /// its trust, as the audit trail; the access entry, and with it every
    /// access-policy association, must not exist.
    pub closed: bool,
}

/// What the code serving both access intents (their live checks, their
/// resource plumbing) reads of either input.
pub trait AccessInput {
    /// The role attributes: owner (cluster and name), role name and path,
    /// permissions boundary, ….
    fn settings(&self) -> RoleSettings<'_>;
    /// The IAM principals allowed to assume the role (none for a CI pipeline).
    fn principals(&self) -> &BTreeSet<String>;
    /// Whether the trust policy requires MFA of the principals, and who chose it.
    fn mfa_requirement(&self) -> MfaRequirement;
    /// Access closed: the role without its access entry (break-glass
    /// `enabled = false`). Never for team access.
    fn closed(&self) -> bool {
        false
    }
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

/// Whether an access role's trust policy requires MFA
/// (`Bool aws:MultiFactorAuthPresent "true"`), and who decided it: the plan
/// tells a principal that can never carry the MFA flag (a federated role)
/// apart by how firmly the configuration asked for MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaRequirement {
    /// No MFA condition.
    Off,
    /// Required because that is the default (`require_mfa` left out).
    Default,
    /// Required because the configuration says `require_mfa = true`.
    Explicit,
    /// Required by the intent itself, not configurable (break-glass).
    Always,
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

/// Which access intent: what decides its owner (so its default role name and
/// ownership tags) and how its import ID is explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    TeamAccess,
    BreakGlass,
}

impl AccessKind {
    /// The access `cluster`/`name` of this kind.
    pub fn owner<'a>(self, cluster: &'a str, name: &'a str) -> Owner<'a> {
        match self {
            AccessKind::TeamAccess => Owner::TeamAccess { cluster, name },
            AccessKind::BreakGlass => Owner::BreakGlass { cluster, name },
        }
    }

    /// How an import ID error names the resource, and a `cluster/name` it shows.
    fn import_id_words(self) -> (&'static str, &'static str) {
        match self {
            AccessKind::TeamAccess => ("team access", "prod/developers"),
            AccessKind::BreakGlass => ("break-glass", "prod/emergency"),
        }
    }
}

/// A parsed access import ID: `cluster/name`, or `cluster/name/role_name`
/// when the role has a custom name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessImportId {
    pub kind: AccessKind,
    pub cluster_name: String,
    pub name: String,
    pub role_name: Option<String>,
}

impl AccessImportId {
    /// The custom role name, or the default one.
    pub fn effective_role_name(&self) -> String {
        self.role_name.clone().unwrap_or_else(|| {
            role::default_role_name(&self.kind.owner(&self.cluster_name, &self.name))
        })
    }
}

/// The role an import ID names: its custom role name, or the default one.
pub fn import_role_name(id: &AccessImportId) -> String {
    id.effective_role_name()
}

/// Parses `cluster/name` or `cluster/name/role_name` of a `kind` access,
/// checking each part.
pub fn parse_import_id(id: &str, kind: AccessKind) -> Result<AccessImportId, String> {
    let parts: Vec<&str> = id.split('/').collect();
    let (cluster, name, role_name) = match parts.as_slice() {
        [cluster, name] => (*cluster, *name, None),
        [cluster, name, role_name] => (*cluster, *name, Some(*role_name)),
        _ => {
            let (what, example) = kind.import_id_words();
            return Err(format!(
                "{id:?} is not a {what} ID. Use `cluster/name` (e.g. `{example}`), or `cluster/name/role_name` when the role has a custom name"
            ));
        }
    };
    names::validate_cluster_name(cluster)?;
    validate_intent_name(name)?;
    if let Some(role_name) = role_name {
        names::validate_role_name(role_name)?;
    }
    Ok(AccessImportId {
        kind,
        cluster_name: cluster.to_owned(),
        name: name.to_owned(),
        role_name: role_name.map(str::to_owned),
    })
}

/// The name of a team or break-glass access: 1-64 letters, digits and
/// `_+=.@-`, so it fits the role name, its tags, the import ID and STS role
/// session names unchanged: IAM names allow `,` too, but IAM tag values
/// (the name is the `eksrole:name` tag) do not.
pub fn validate_intent_name(s: &str) -> Result<(), String> {
    let n = s.chars().count();
    if n == 0 || n > INTENT_NAME_MAX {
        return Err(format!(
            "{s:?} is not a valid name: it must be 1-{INTENT_NAME_MAX} characters and has {n}"
        ));
    }
    match s
        .chars()
        .find(|c| !names::is_iam_name_char(*c) || !is_tag_char(*c))
    {
        Some(',') => Err(format!(
            "{s:?} is not a valid name: ',' is not allowed, IAM refuses it in tag values (the name is the role's {NAME_KEY:?} tag); use letters, digits and _ + = . @ -"
        )),
        Some(c) => Err(format!(
            "{s:?} is not a valid name: {c:?} is not allowed; use letters, digits and _ + = . @ -"
        )),
        None => Ok(()),
    }
}

/// The static checks of the two attributes that identify a `kind` access
/// (their own rules, then IAM's tag value rules, since both become ownership
/// tags); false when either is invalid (so the caller skips checks built on them).
pub fn check_cluster_and_name(
    kind: AccessKind,
    cluster: &str,
    name: &str,
    problems: &mut Vec<IntentError>,
) -> bool {
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
    if ok {
        let tags = kind.owner(cluster, name).tag_value_problems();
        ok = tags.is_empty();
        problems.extend(tags);
    }
    ok
}

/// The checks of the facts both access intents make: the default tags, then,
/// unless the account itself is unusable (comparing with it would only add
/// noise), the permissions boundary and the principals against the account.
/// False when the account is unusable.
pub fn check_access_env(
    settings: &RoleSettings<'_>,
    principal_arns: &BTreeSet<String>,
    env: &Env,
    problems: &mut Vec<IntentError>,
) -> bool {
    let account = &env.account;
    settings.check_default_tags(&env.default_tags, problems);
    let account_problems = check_account(account);
    if !account_problems.is_empty() {
        problems.extend(account_problems);
        return false;
    }
    settings.check_against_account(account, problems);
    problems.extend(check_principals_against_account(
        "principal_arns",
        principal_arns,
        account,
        &settings.effective_role_name(),
    ));
    true
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
