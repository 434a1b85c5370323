//! `eksrole_team_access` without a role (`create_role = false`): each
//! principal, the `principal_arns` and the roles IAM Identity Center made
//! for the `sso_permission_sets`, gets its own EKS access entry with the
//! access policies and scope. Here: the static rules of that choice (the
//! role's settings are refused, permission sets need it), the permission-set
//! names and their resolution to roles (`AWSReservedSSO_<name>_<suffix>`
//! under `/aws-reserved/sso.amazonaws.com/`, with or without a region
//! segment: `docs/design/aws-facts.md` "IAM Identity Center"), the entries'
//! blueprint, and the import ID `cluster/name/<principal ARN>[,<principal ARN>…]`.
//!
//! Principals keep their full ARN, path included: access entries take a
//! role ARN with its path (the aws-auth ConfigMap needed it stripped).
//!
//! Pure: no I/O. The roles IAM holds under the Identity Center path are a
//! fact the caller looks up ([`IdentityCenterRole`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::arn::Arn;

use super::super::access_entry::{
    access_entry, check_access_policy_partitions, AccessEntryBlueprint,
};
use super::super::cluster_access::{self, validate_intent_name};
use super::super::names;
use super::super::principals::{
    check_principals_against_account, IDENTITY_CENTER_ROLE_PATH_PREFIX,
};
use super::super::{check_account, Env, IntentError, Validated};
use super::TeamAccessInput;

/// Every role IAM Identity Center makes for a permission set is named
/// `AWSReservedSSO_<permission set>_<unique suffix>`.
pub const IDENTITY_CENTER_ROLE_PREFIX: &str = "AWSReservedSSO_";
/// The one access entry type that holds access policies and that this
/// resource creates; entries of the other types (nodes, Fargate, hybrid and
/// HyperPod nodes, EKS Auto Mode) are never modified.
pub const STANDARD: &str = "STANDARD";
/// A permission-set name has at most this many characters (`[\w+=,.@-]+`).
pub const PERMISSION_SET_NAME_MAX: usize = 32;

/// The attributes that only shape the role, with what each one does there:
/// without a role they would do nothing, so they are refused.
const ROLE_ONLY: [(&str, &str); 9] = [
    ("require_mfa", "an MFA condition in the role's trust policy"),
    (
        "external_id",
        "an external ID condition in the role's trust policy",
    ),
    (
        "principal_org_id",
        "an organisation condition in the role's trust policy",
    ),
    ("ci_oidc", "a CI system's OIDC trust in the role"),
    ("max_session_duration", "the role's session length"),
    ("role_name", "the role's name"),
    ("role_path", "the role's path"),
    ("permissions_boundary", "the role's permissions boundary"),
    ("description", "the role's description"),
];

/// An IAM role under [`IDENTITY_CENTER_ROLE_PATH_PREFIX`] (what `ListRoles`
/// with that path prefix returns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityCenterRole {
    pub name: String,
    /// The full ARN, path included.
    pub arn: String,
}

/// The access entries of a team access without a role, one per principal
/// (sorted by principal ARN), all with the same groups, username, access
/// policies, scope and tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectBlueprint {
    pub entries: Vec<AccessEntryBlueprint>,
    /// The entries' tags: the user's, the provider's default tags and the
    /// ownership tags.
    pub tags: BTreeMap<String, String>,
}

impl DirectBlueprint {
    /// The principal ARNs that get an entry.
    pub fn principals(&self) -> BTreeSet<String> {
        self.entries
            .iter()
            .map(|e| e.principal_arn.clone())
            .collect()
    }
}

/// Whether `attribute` is set in `input` (for the role-only rule).
fn is_set(input: &TeamAccessInput, attribute: &str) -> bool {
    match attribute {
        "require_mfa" => input.require_mfa.is_some(),
        "external_id" => input.external_id.is_some(),
        "principal_org_id" => input.principal_org_id.is_some(),
        "ci_oidc" => input.ci_oidc.is_some(),
        "max_session_duration" => input.max_session_duration.is_some(),
        "role_name" => input.role_name.is_some(),
        "role_path" => input.role_path.is_some(),
        "permissions_boundary" => input.permissions_boundary.is_some(),
        "description" => input.description.is_some(),
        _ => false,
    }
}

/// The static rules of `create_role` and `sso_permission_sets`: without a
/// role, each role-only attribute set is an error on that attribute; the
/// permission sets need `create_role = false` and valid names.
pub fn check_role_choice(input: &TeamAccessInput, problems: &mut Vec<IntentError>) {
    if !input.creates_role() {
        for (attribute, what) in ROLE_ONLY {
            if is_set(input, attribute) {
                problems.push(IntentError::error(
                    &[attribute],
                    "Setting of a role that is not created",
                    format!(
                        "{attribute} sets {what}, but create_role = false creates no role: each principal reaches the cluster with its own access entry. \
                         Remove {attribute}, or remove create_role = false to have the principals assume a role."
                    ),
                ));
            }
        }
    } else if !input.sso_permission_sets.is_empty() {
        problems.push(IntentError::error(
            &["sso_permission_sets"],
            "Permission sets need create_role = false",
            "IAM Identity Center users already work in a role (the permission set's); a second role for them to assume is an extra hop, \
             its trust would have to follow every re-provisioning of the permission set, and Identity Center sessions never carry the MFA \
             flag the role's trust requires by default. Set create_role = false: each permission set's role then gets its own access entry.",
        ));
    }
    for name in &input.sso_permission_sets {
        if let Err(e) = validate_permission_set_name(name) {
            problems.push(IntentError::error(
                &["sso_permission_sets", name.as_str()],
                "Invalid permission set name",
                format!("{e}. Use the permission set's name as IAM Identity Center shows it, e.g. \"Developers\"."),
            ));
        }
    }
}

/// An IAM Identity Center permission-set name: 1-32 letters, digits and
/// `_+=,.@-`.
pub fn validate_permission_set_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n == 0 || n > PERMISSION_SET_NAME_MAX {
        return Err(format!(
            "{name:?} is not a permission set name: it must be 1-{PERMISSION_SET_NAME_MAX} characters and has {n}"
        ));
    }
    match name.chars().find(|c| !names::is_iam_name_char(*c)) {
        Some(c) => Err(format!(
            "{name:?} is not a permission set name: {c:?} is not allowed; permission set names use letters, digits and _ + = , . @ -"
        )),
        None => Ok(()),
    }
}

/// The permission set whose role `role_name` is, if it is one:
/// `AWSReservedSSO_<name>_<suffix>`, the suffix being letters and digits.
/// The name may itself hold `_`, so the suffix is what follows the last one.
pub fn permission_set_of_role(role_name: &str) -> Option<&str> {
    let rest = role_name.strip_prefix(IDENTITY_CENTER_ROLE_PREFIX)?;
    let (name, suffix) = rest.rsplit_once('_')?;
    let suffix_ok = !suffix.is_empty() && suffix.chars().all(|c| c.is_ascii_alphanumeric());
    (suffix_ok && !name.is_empty()).then_some(name)
}

/// Whether `arn` is a role IAM Identity Center made (under its reserved
/// path, with or without a region segment).
pub fn is_identity_center_role_arn(arn: &str) -> bool {
    Arn::parse(arn).is_some_and(|a| {
        a.resource
            .strip_prefix("role")
            .is_some_and(|path| path.starts_with(IDENTITY_CENTER_ROLE_PATH_PREFIX))
    })
}

/// Resolves each permission set to the one role of `roles` made for it.
/// Zero or several matches: an error on `sso_permission_sets` listing the
/// permission sets (and roles) found. Names compare exactly: IAM Identity
/// Center keeps the permission set's spelling in the role name.
pub fn resolve_permission_sets(
    names: &BTreeSet<String>,
    roles: &[IdentityCenterRole],
) -> Result<BTreeMap<String, String>, Vec<IntentError>> {
    let mut resolved = BTreeMap::new();
    let mut problems = Vec::new();
    for name in names {
        let matches: Vec<&IdentityCenterRole> = roles
            .iter()
            .filter(|r| permission_set_of_role(&r.name) == Some(name.as_str()))
            .collect();
        match matches.as_slice() {
            [one] => {
                resolved.insert(name.clone(), one.arn.clone());
            }
            [] => problems.push(IntentError::error(
                &["sso_permission_sets", name.as_str()],
                "Permission set not found",
                format!(
                    "This account has no IAM Identity Center role for permission set {name:?} (a role AWSReservedSSO_{name}_<suffix> under {IDENTITY_CENTER_ROLE_PATH_PREFIX}); {}. \
                     IAM Identity Center creates the role when the permission set is assigned to this account: assign it, or correct the name.",
                    found_text(roles)
                ),
            )),
            several => problems.push(IntentError::error(
                &["sso_permission_sets", name.as_str()],
                "Permission set matches several roles",
                format!(
                    "Permission set {name:?} matches {} roles: {}. IAM Identity Center keeps one role per permission set in an account; \
                     delete the stale ones (or list the one to use in principal_arns instead).",
                    several.len(),
                    several.iter().map(|r| r.arn.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(problems)
    }
}

/// Warnings for permission sets whose role changed since the prior state
/// (`held`: its principals): IAM Identity Center re-provisioned the
/// permission set, so its entry moves to the new role (the old one is
/// deleted, the new one created), on `sso_permission_sets`.
pub fn moved_permission_sets<'a>(
    held: impl IntoIterator<Item = &'a String>,
    resolved: &BTreeMap<String, String>,
) -> Vec<IntentError> {
    let held: Vec<&String> = held.into_iter().collect();
    let mut warnings = Vec::new();
    for (name, role) in resolved {
        let old = held.iter().find(|p| {
            **p != role
                && is_identity_center_role_arn(p)
                && p.rsplit('/').next().and_then(permission_set_of_role) == Some(name.as_str())
        });
        if let Some(old) = old {
            warnings.push(IntentError::warning(
                &["sso_permission_sets", name.as_str()],
                "Permission set re-provisioned",
                format!(
                    "The role of permission set {name:?} is now {role} (it was {old}): IAM Identity Center created it again with a new suffix. \
                     Apply moves the access entry to the new role: it deletes the old role's entry and creates one for the new role."
                ),
            ));
        }
    }
    warnings
}

/// "the permission sets found are …" for the not-found error.
fn found_text(roles: &[IdentityCenterRole]) -> String {
    let found: BTreeSet<&str> = roles
        .iter()
        .filter_map(|r| permission_set_of_role(&r.name))
        .collect();
    if found.is_empty() {
        "it has no Identity Center roles at all".to_owned()
    } else {
        let listed: Vec<String> = found.iter().map(|n| format!("{n:?}")).collect();
        format!(
            "the permission sets with a role here are {}",
            listed.join(", ")
        )
    }
}

/// Every principal that gets an entry: `principal_arns` and the resolved
/// permission-set roles.
pub fn direct_principals(
    input: &TeamAccessInput,
    permission_set_roles: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    input
        .principal_arns
        .iter()
        .chain(permission_set_roles.values())
        .cloned()
        .collect()
}

/// The entries of a validated input without a role, for the principals
/// `principal_arns` lists and the roles the permission sets resolved to.
/// Checks only what depends on the facts (default tags, the account, the
/// partitions of principals and access policies).
pub fn direct_blueprint(
    input: &Validated<TeamAccessInput>,
    env: &Env,
    permission_set_roles: &BTreeMap<String, String>,
) -> Result<DirectBlueprint, Vec<IntentError>> {
    let mut problems = Vec::new();
    let settings = input.role_settings();
    settings.check_default_tags(&env.default_tags, &mut problems);
    let account_problems = check_account(&env.account);
    if account_problems.is_empty() {
        problems.extend(check_principals_against_account(
            "principal_arns",
            &input.principal_arns,
            &env.account,
            "",
        ));
        problems.extend(check_access_policy_partitions(
            "access_policy_arns",
            &input.access_policy_arns,
            &env.account,
        ));
    } else {
        problems.extend(account_problems);
    }
    if problems.iter().any(|p| !p.warning) {
        return Err(problems);
    }
    let tags = settings.merged_tags(&env.default_tags);
    let policies = input.policy_arns(&env.account.partition);
    let entries = direct_principals(input, permission_set_roles)
        .iter()
        .map(|principal| {
            access_entry(
                &input.cluster_name,
                principal,
                &input.kubernetes_groups,
                input.kubernetes_username.as_deref(),
                &policies,
                input.namespaces.as_ref(),
                tags.clone(),
            )
        })
        .collect();
    Ok(DirectBlueprint { entries, tags })
}

/// A parsed import ID of a team access without a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectImportId {
    pub cluster_name: String,
    pub name: String,
    pub principal_arns: BTreeSet<String>,
}

/// Whether an import ID names principals (`cluster/name/arn:…`), i.e. a team
/// access without a role; `cluster/name[/role_name]` names one with a role.
pub fn is_direct_import_id(id: &str) -> bool {
    id.splitn(3, '/')
        .nth(2)
        .is_some_and(|rest| rest.starts_with("arn:"))
}

/// Parses `cluster/name/<principal ARN>[,<principal ARN>…]`. ARNs are split
/// where `,arn:` starts the next one (an IAM name may hold a comma).
pub fn parse_direct_import_id(id: &str) -> Result<DirectImportId, String> {
    let usage = "Use `cluster/name/<principal ARN>[,<principal ARN>…]` for a team access with create_role = false, e.g. `prod/developers/arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef`";
    let mut parts = id.splitn(3, '/');
    let (Some(cluster), Some(name), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("{id:?} is not a team access ID. {usage}"));
    };
    names::validate_cluster_name(cluster)?;
    validate_intent_name(name)?;
    let mut principal_arns = BTreeSet::new();
    for (i, piece) in rest.split(",arn:").enumerate() {
        let arn = if i == 0 {
            piece.to_owned()
        } else {
            format!("arn:{piece}")
        };
        if Arn::parse(&arn).is_none_or(|a| a.service != "iam") {
            return Err(format!("{arn:?} is not an IAM principal ARN. {usage}"));
        }
        principal_arns.insert(arn);
    }
    Ok(DirectImportId {
        cluster_name: cluster.to_owned(),
        name: name.to_owned(),
        principal_arns,
    })
}

/// The import ID of a team access without a role: its `id` and the
/// principals of its entries.
pub fn direct_import_id(cluster: &str, name: &str, principals: &BTreeSet<String>) -> String {
    let arns: Vec<&str> = principals.iter().map(String::as_str).collect();
    format!(
        "{}/{}",
        cluster_access::import_id(cluster, name),
        arns.join(",")
    )
}

/// The `terraform import` command for a team access without a role.
pub fn direct_import_command(cluster: &str, name: &str, principals: &BTreeSet<String>) -> String {
    format!(
        "terraform import eksrole_team_access.<name> '{}'",
        direct_import_id(cluster, name, principals)
    )
}

/// `aws eks update-kubeconfig --name <cluster> --region <region>`: the
/// principals use their own credentials, no role to assume.
pub fn kubeconfig_command(cluster: &str, region: &str) -> String {
    format!("aws eks update-kubeconfig --name {cluster} --region {region}")
}

#[cfg(test)]
mod tests;
