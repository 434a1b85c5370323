//! The IAM role every intent builds: the role attributes all three intents
//! take (name, path, description, maximum session duration, permissions
//! boundary, tags), their checks (one set of rules, `docs/design/aws-facts.md`
//! "Limits and formats"), their
//! effective defaults, the role's ARN, and the [`RoleBlueprint`] built from
//! them plus what each intent adds (trust policy, managed and inline policies).
//!
//! Pure: no I/O. Which intent the role belongs to is a [`tags::Owner`]: it
//! decides the default role name and the ownership tags.

use std::collections::{BTreeMap, BTreeSet};

use super::names::{self, parse_managed_policy_arn, PolicyOwner};
use super::tags::{self, merge_tags, validate_user_tags, Owner};
use super::{Account, Env, IntentError, RoleBlueprint};

/// The role path when `role_path` is not set.
pub const DEFAULT_ROLE_PATH: &str = "/";
/// IAM's default and minimum MaxSessionDuration.
pub const DEFAULT_MAX_SESSION_DURATION: i64 = 3600;
/// IAM's maximum MaxSessionDuration.
pub const MAX_MAX_SESSION_DURATION: i64 = 43_200;
/// IAM role descriptions are at most this many characters.
pub const DESCRIPTION_MAX: usize = 1000;

/// The deterministic default role name of an intent. A workload identity's is
/// `eks-<cluster>-<namespace>-<sa>`; a team access's `eks-team-<cluster>-<name>`;
/// a break-glass access's `eks-breakglass-<cluster>-<name>`. When that exceeds
/// 64 characters: its first 55 characters + `-` + 8 hex digits of the FNV-1a
/// hash of the full tuple (the kind included for the access intents).
pub fn default_role_name(owner: &Owner<'_>) -> String {
    let (full, parts) = match *owner {
        Owner::WorkloadIdentity {
            cluster,
            namespace,
            service_account,
        } => (
            format!("eks-{cluster}-{namespace}-{service_account}"),
            vec![cluster, namespace, service_account],
        ),
        Owner::TeamAccess { cluster, name } | Owner::BreakGlass { cluster, name } => {
            let kind = access_kind(owner);
            (
                format!("eks-{kind}-{cluster}-{name}"),
                vec![kind, cluster, name],
            )
        }
    };
    names::bounded_name(&full, &parts, names::ROLE_NAME_MAX)
}

/// The exact `terraform import` command that hands the objects of the
/// intent `owner`, whose role is named `role_name`, to a resource (`<name>`
/// stands for its name in the configuration): the intent's import ID, plus
/// `/role_name` when that is not the intent's default role name (the import
/// finds the role by that name). The one spelling of every import hint.
pub fn import_command(owner: &Owner<'_>, role_name: &str) -> String {
    let (resource_type, id) = match *owner {
        Owner::WorkloadIdentity {
            cluster,
            namespace,
            service_account,
        } => (
            "eksrole_workload_identity",
            super::workload_identity::import_id(cluster, namespace, service_account),
        ),
        Owner::TeamAccess { cluster, name } => (
            "eksrole_team_access",
            super::cluster_access::import_id(cluster, name),
        ),
        Owner::BreakGlass { cluster, name } => (
            "eksrole_break_glass",
            super::cluster_access::import_id(cluster, name),
        ),
    };
    let id = match role_name == default_role_name(owner) {
        true => id,
        false => format!("{id}/{role_name}"),
    };
    format!("terraform import {resource_type}.<name> {id}")
}

/// The `kind` part of an access intent's default role name.
fn access_kind(owner: &Owner<'_>) -> &'static str {
    match owner {
        Owner::BreakGlass { .. } => "breakglass",
        _ => "team",
    }
}

/// How an error message spells the default role name.
fn default_name_pattern(owner: &Owner<'_>) -> String {
    match owner {
        Owner::WorkloadIdentity { .. } => "eks-CLUSTER-NAMESPACE-SERVICEACCOUNT".to_owned(),
        _ => format!("eks-{}-CLUSTER-NAME", access_kind(owner)),
    }
}

/// A role path an error message suggests.
fn example_path(owner: &Owner<'_>) -> &'static str {
    match owner {
        Owner::WorkloadIdentity { .. } => "/workloads/payments/",
        _ => "/access/",
    }
}

/// Writes the role API of an intent input once for all three intents: its
/// `owner`, its [`RoleSettings`] and their effective values, as inherent
/// methods. The input keeps the role attributes as fields named like the
/// attributes (`role_name`, `role_path`, `permissions_boundary`,
/// `max_session_duration`, `tags`), because the inputs mirror the resources'
/// attributes. The two closures give the owner and the description (break
/// glass has none).
///
/// `role_input!(Input, |input| owner, |input| description)`.
macro_rules! role_input {
    ($input:ty, |$this:ident| $owner:expr, |$that:pat_param| $description:expr) => {
        impl $input {
            /// The intent instance its objects belong to.
            pub fn owner(&self) -> $crate::intent::tags::Owner<'_> {
                let $this = self;
                $owner
            }

            /// The role attributes.
            pub fn role_settings(&self) -> $crate::intent::role::RoleSettings<'_> {
                let $that = self;
                $crate::intent::role::RoleSettings {
                    owner: self.owner(),
                    role_name: self.role_name.as_deref(),
                    role_path: self.role_path.as_deref(),
                    description: $description,
                    permissions_boundary: self.permissions_boundary.as_deref(),
                    max_session_duration: self.max_session_duration,
                    tags: &self.tags,
                }
            }

            /// `role_name` or the intent's default role name.
            pub fn effective_role_name(&self) -> String {
                self.role_settings().effective_role_name()
            }

            /// `role_path` or `/`.
            pub fn effective_role_path(&self) -> String {
                self.role_settings().effective_role_path()
            }

            /// `max_session_duration` or 3600.
            pub fn effective_max_session_duration(&self) -> i64 {
                self.role_settings().effective_max_session_duration()
            }
        }
    };
}
pub(crate) use role_input;

/// The role attributes every intent takes, and how they become a role.
#[derive(Debug, Clone, Copy)]
pub struct RoleSettings<'a> {
    /// The intent the role belongs to.
    pub owner: Owner<'a>,
    pub role_name: Option<&'a str>,
    pub role_path: Option<&'a str>,
    pub description: Option<&'a str>,
    pub permissions_boundary: Option<&'a str>,
    pub max_session_duration: Option<i64>,
    pub tags: &'a BTreeMap<String, String>,
}

impl RoleSettings<'_> {
    /// `role_name` or [`default_role_name`].
    pub fn effective_role_name(&self) -> String {
        self.role_name
            .map_or_else(|| default_role_name(&self.owner), str::to_owned)
    }

    /// `role_path` or [`DEFAULT_ROLE_PATH`].
    pub fn effective_role_path(&self) -> String {
        self.role_path.unwrap_or(DEFAULT_ROLE_PATH).to_owned()
    }

    /// `max_session_duration` or [`DEFAULT_MAX_SESSION_DURATION`].
    pub fn effective_max_session_duration(&self) -> i64 {
        self.max_session_duration
            .unwrap_or(DEFAULT_MAX_SESSION_DURATION)
    }

    /// The role's ARN in `account`.
    pub fn role_arn(&self, account: &Account) -> String {
        names::role_arn(
            &account.partition,
            &account.account_id,
            &self.effective_role_path(),
            &self.effective_role_name(),
        )
    }

    /// `default_tags`, the user's tags and the ownership tags, merged.
    pub fn merged_tags(&self, default_tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        merge_tags(default_tags, self.tags, &self.owner.ownership_tags())
    }

    /// Static checks of every setting, each problem on its attribute. The tag
    /// count here leaves out the provider's default tags, which
    /// [`RoleSettings::check_default_tags`] adds.
    pub fn validate(&self, problems: &mut Vec<IntentError>) {
        if let Some(role_name) = self.role_name {
            if let Err(e) = names::validate_role_name(role_name) {
                problems.push(IntentError::error(
                    &["role_name"],
                    "Invalid role name",
                    format!(
                        "{e}. Choose another name, or remove role_name to use the default ({}).",
                        default_name_pattern(&self.owner)
                    ),
                ));
            }
        }
        if let Some(path) = self.role_path {
            if let Err(e) = names::validate_iam_path(path) {
                problems.push(IntentError::error(
                    &["role_path"],
                    "Invalid role path",
                    format!(
                        "{e}. Use \"/\" or a path like {:?}.",
                        example_path(&self.owner)
                    ),
                ));
            }
        }
        if let Some(description) = self.description {
            problems.extend(validate_description("description", description));
        }
        if let Some(seconds) = self.max_session_duration {
            if !(DEFAULT_MAX_SESSION_DURATION..=MAX_MAX_SESSION_DURATION).contains(&seconds) {
                problems.push(IntentError::error(
                    &["max_session_duration"],
                    "Invalid maximum session duration",
                    format!(
                        "{seconds} seconds is outside IAM's range of {DEFAULT_MAX_SESSION_DURATION}-{MAX_MAX_SESSION_DURATION} seconds (1-12 hours). Set a value in that range or remove the attribute to use {DEFAULT_MAX_SESSION_DURATION}."
                    ),
                ));
            }
        }
        if let Some(arn) = self.permissions_boundary {
            if let Err(e) = parse_managed_policy_arn(arn) {
                problems.push(IntentError::error(
                    &["permissions_boundary"],
                    "Invalid permissions boundary",
                    format!("{e}. A permissions boundary is the ARN of a managed policy."),
                ));
            }
        }
        problems.extend(validate_user_tags("tags", self.tags));
        let ownership_count = self.owner.ownership_tags().len();
        problems.extend(tags::check_tag_count(
            &self.merged_tags(&BTreeMap::new()),
            ownership_count,
        ));
    }

    /// The checks of the provider's default tags: each tag's rules (paths
    /// `["default_tags", key]`), and the count of everything the role carries.
    pub fn check_default_tags(
        &self,
        default_tags: &BTreeMap<String, String>,
        problems: &mut Vec<IntentError>,
    ) {
        problems.extend(validate_user_tags("default_tags", default_tags));
        let ownership_count = self.owner.ownership_tags().len();
        problems.extend(tags::check_tag_count(
            &self.merged_tags(default_tags),
            ownership_count,
        ));
    }

    /// The checks that need the account: the boundary's partition and owner.
    pub fn check_against_account(&self, account: &Account, problems: &mut Vec<IntentError>) {
        if let Some(arn) = self.permissions_boundary {
            check_policy_against_account(
                &["permissions_boundary"],
                arn,
                account,
                "a permissions boundary must be an AWS managed policy or a customer managed policy",
                "",
                problems,
            );
        }
    }

    /// The role in `env`: these settings, `trust_policy` and the policies the
    /// intent attaches. Expects validated settings.
    pub fn role(
        &self,
        env: &Env,
        trust_policy: String,
        managed_policy_arns: BTreeSet<String>,
        inline_policies: BTreeMap<String, String>,
    ) -> RoleBlueprint {
        RoleBlueprint {
            name: self.effective_role_name(),
            path: self.effective_role_path(),
            arn: self.role_arn(&env.account),
            description: self.description.map(str::to_owned),
            trust_policy,
            max_session_duration: self.effective_max_session_duration(),
            permissions_boundary: self.permissions_boundary.map(str::to_owned),
            managed_policy_arns,
            inline_policies,
            tags: self.merged_tags(&env.default_tags),
        }
    }
}

/// The checks of a managed policy a role in `account` uses (at `path`):
/// the policy must be in the role's partition and, when customer managed, in
/// its account. `rule` and `fix` say what the role may use and how to fix it.
/// An ARN that does not parse is left to the static checks.
pub(crate) fn check_policy_against_account(
    path: &[&str],
    arn: &str,
    account: &Account,
    rule: &str,
    fix: &str,
    problems: &mut Vec<IntentError>,
) {
    let Ok(policy) = parse_managed_policy_arn(arn) else {
        return;
    };
    if policy.partition != account.partition {
        problems.push(IntentError::error(
            path,
            "Policy in another partition",
            format!(
                "{arn:?} is in partition {:?} but the role is created in {:?}. Use arn:{}:iam::….",
                policy.partition, account.partition, account.partition
            ),
        ));
    }
    if let PolicyOwner::Account(owner) = &policy.owner {
        if *owner != account.account_id {
            problems.push(IntentError::error(
                path,
                "Policy in another account",
                format!(
                    "{arn:?} belongs to account {owner}; {rule} of the role's own account ({}).{fix}",
                    account.account_id
                ),
            ));
        }
    }
}

/// An IAM role description: at most [`DESCRIPTION_MAX`] characters of IAM's
/// `roleDescriptionType` (`[\t\n\r\u0020-\u007E\u00A1-\u00FF]`). Path `[attribute]`.
pub fn validate_description(attribute: &str, description: &str) -> Vec<IntentError> {
    let mut problems = Vec::new();
    let n = description.chars().count();
    if n > DESCRIPTION_MAX {
        problems.push(IntentError::error(
            &[attribute],
            "Description too long",
            format!(
                "IAM role descriptions are at most {DESCRIPTION_MAX} characters; this one has {n}. Shorten it."
            ),
        ));
    }
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}');
    if let Some(c) = description.chars().find(|c| !allowed(*c)) {
        problems.push(IntentError::error(
            &[attribute],
            "Invalid character in description",
            format!("{c:?} is not allowed in an IAM role description, which takes printable Latin-1 characters, tabs and newlines. Remove it."),
        ));
    }
    problems
}

#[cfg(test)]
mod tests;
