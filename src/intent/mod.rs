//! The pure core of every intent: configuration in, a blueprint of the AWS
//! objects that must exist out, plus the static checks and the policy-JSON
//! helpers they share.
//!
//! Each intent has the same shape: `validate(input)` checks the configuration
//! once and returns a [`Validated`] input (with its warnings) or every problem;
//! `blueprint(&validated, &env)` builds the objects from it and an [`Env`] of
//! facts that are not configuration (the account, the provider's default
//! tags, the account's trust-policy quota), checking only what depends on
//! those facts. Nothing writes facts into an input.
//!
//! Invariant: nothing here does I/O, nothing is async, and no AWS SDK or
//! tfplugin type appears. Callers (the provider's RPC handlers, the plan-time
//! validator, the apply engine) turn [`IntentError`]s into diagnostics and the
//! blueprints into API calls.
//!
//! - [`names`]: Kubernetes, EKS and IAM names and ARNs, STS values, deterministic default names.
//! - [`tags`]: IAM tag rules, the merge of user, default and ownership tags, and
//!   [`tags::Owner`], the intent an object belongs to.
//! - [`role`]: the role settings every intent takes, their checks and defaults, the role
//!   blueprint, and `role_input!`, which gives each input its role accessors.
//! - [`policy_json`]: parse, shape-check, canonicalise, size and compare policy documents.
//! - [`trust_policy_rules`]: the rules every generated trust policy meets
//!   (`docs/design/trust-policy-rules.md`), checked with its size before any blueprint is built.
//! - [`trust_read`]: reading generated trust policies back (import, refresh, redaction).
//! - [`ci_subjects`]: the CI OIDC issuers shared by many tenants, the tenant a
//!   wildcard subject must name, and GitHub `pull_request` subjects.
//! - [`workload_identity`]: `eksrole_workload_identity` (Pod Identity or IRSA).
//! - [`access_entry`]: access levels, scope, Kubernetes groups and usernames, the access entry.
//! - [`principals`]: the IAM principals an access role trusts.
//! - [`cluster_access`]: what team and break-glass access share besides those: the
//!   access kind, the role plus entry blueprint, names and import IDs, the
//!   describe-cluster policy, the checks of the facts.
//! - [`team_access`]: `eksrole_team_access` (people or a CI pipeline reaching a cluster).
//! - [`break_glass`]: `eksrole_break_glass` (emergency access, MFA, window, source identity).

use std::collections::{BTreeMap, BTreeSet};

pub mod access_entry;
pub mod break_glass;
pub mod ci_subjects;
pub mod cluster_access;
pub mod names;
pub mod policy_json;
pub mod principals;
pub mod quote;
pub mod role;
pub mod tags;
pub mod team_access;
pub mod trust_policy_rules;
pub mod trust_read;
pub mod workload_identity;

#[cfg(test)]
mod golden;
#[cfg(test)]
pub(crate) mod test_support;

/// The name of the STS service. It is the token audience IRSA and CI OIDC
/// providers use by default (the audience a web identity token is minted for
/// when it is meant for `sts:AssumeRoleWithWebIdentity`), and CloudTrail's
/// `eventSource` of STS calls.
pub const STS_SERVICE: &str = "sts.amazonaws.com";

/// Where the objects go: the account/partition from STS, the provider's region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub account_id: String,
    pub partition: String,
    pub region: String,
}

/// The facts a blueprint is built on besides the configuration. Intent-specific
/// facts (the OIDC provider an IRSA role trusts when the cluster's issuer was
/// looked up) are arguments of that intent's `blueprint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    /// Where the objects go.
    pub account: Account,
    /// The provider's `default_tags`: under the resource's own tags.
    pub default_tags: BTreeMap<String, String>,
    /// The account's "Role trust policy length" quota, whitespace not counted.
    pub trust_policy_quota: usize,
}

impl Env {
    /// `account` with no default tags and IAM's default trust-policy quota.
    pub fn new(account: Account) -> Env {
        Env {
            account,
            default_tags: BTreeMap::new(),
            trust_policy_quota: trust_policy_rules::DEFAULT_TRUST_POLICY_QUOTA,
        }
    }
}

/// An input its intent's `validate` accepted, with the warnings it found.
/// Only `validate` makes one, so a blueprint never checks the configuration again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated<I> {
    input: I,
    warnings: Vec<IntentError>,
}

impl<I> Validated<I> {
    /// `Ok` when `problems` (all of them, from one validation) holds no error.
    fn check(input: I, problems: Vec<IntentError>) -> Result<Validated<I>, Vec<IntentError>> {
        if has_errors(&problems) {
            Err(problems)
        } else {
            Ok(Validated {
                input,
                warnings: problems,
            })
        }
    }

    pub fn input(&self) -> &I {
        &self.input
    }

    /// Problems that do not stop the intent; the caller shows them.
    pub fn warnings(&self) -> &[IntentError] {
        &self.warnings
    }

    pub fn into_input(self) -> I {
        self.input
    }
}

impl<I> std::ops::Deref for Validated<I> {
    type Target = I;

    fn deref(&self) -> &I {
        &self.input
    }
}

/// Every problem a validation reports, warnings included.
pub fn problems<I>(validated: Result<Validated<I>, Vec<IntentError>>) -> Vec<IntentError> {
    match validated {
        Ok(v) => v.warnings,
        Err(problems) => problems,
    }
}

/// A problem with one input attribute. `path` is the attribute path as steps,
/// e.g. `["inline_policies", "s3"]` (attribute then map key), `["policy_arns",
/// "<arn>"]` (attribute then set element value) or `["namespace"]`. An empty
/// path means the resource as a whole (for example a generated trust policy
/// that would exceed the account's quota).
///
/// `summary` is a short headline; `detail` says what is wrong and how to fix it.
/// `warning` problems are reported but never stop a blueprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {summary}: {detail}", display_path(.path))]
pub struct IntentError {
    pub path: Vec<String>,
    pub summary: String,
    pub detail: String,
    pub warning: bool,
}

impl IntentError {
    /// An error on the attribute at `path`.
    pub fn error(path: &[&str], summary: impl Into<String>, detail: impl Into<String>) -> Self {
        IntentError {
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            summary: summary.into(),
            detail: detail.into(),
            warning: false,
        }
    }

    /// A warning on the attribute at `path`: shown, but the plan goes on.
    pub fn warning(path: &[&str], summary: impl Into<String>, detail: impl Into<String>) -> Self {
        IntentError {
            warning: true,
            ..IntentError::error(path, summary, detail)
        }
    }
}

fn display_path(path: &[String]) -> String {
    if path.is_empty() {
        "(resource)".to_owned()
    } else {
        path.join(".")
    }
}

/// True when at least one problem is an error (not a warning).
pub fn has_errors(problems: &[IntentError]) -> bool {
    problems.iter().any(|p| !p.warning)
}

/// An IAM role exactly as it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleBlueprint {
    pub name: String,
    pub path: String,
    /// `arn:<partition>:iam::<account>:role<path><name>`
    pub arn: String,
    pub description: Option<String>,
    /// Minified canonical JSON (deterministic key order), see [`policy_json::canonical_json`].
    pub trust_policy: String,
    pub max_session_duration: i64,
    pub permissions_boundary: Option<String>,
    pub managed_policy_arns: BTreeSet<String>,
    /// Inline policy name -> minified canonical JSON.
    pub inline_policies: BTreeMap<String, String>,
    /// User tags + default tags + ownership tags.
    pub tags: BTreeMap<String, String>,
}

/// An EKS Pod Identity association exactly as it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodIdentityAssociationBlueprint {
    pub cluster_name: String,
    pub namespace: String,
    pub service_account: String,
    pub role_arn: String,
    pub target_role_arn: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Session settings: `disableSessionTags`, and the session policy
    /// (`policy`) as canonical minified JSON.
    pub disable_session_tags: bool,
    pub session_policy: Option<String>,
}

/// An error that means the intent built something it should not have.
pub(crate) fn internal(reason: &str) -> IntentError {
    IntentError::error(
        &[],
        "Internal error",
        format!("{reason}. This is a bug in terraform-provider-eksrole; please report it with the resource's configuration."),
    )
}

/// Checks the account the caller resolved through STS; problems have an empty path.
pub(crate) fn check_account(account: &Account) -> Vec<IntentError> {
    let mut problems = Vec::new();
    if let Err(e) = names::validate_account_id(&account.account_id) {
        problems.push(IntentError::error(
            &[],
            "Invalid AWS account",
            format!("The caller identity's account is not usable: {e}. Check the provider's credentials."),
        ));
    }
    if let Err(e) = names::validate_partition(&account.partition) {
        problems.push(IntentError::error(
            &[],
            "Invalid AWS partition",
            format!("The caller identity's partition is not usable: {e}. Check the provider's credentials."),
        ));
    }
    problems
}

#[cfg(test)]
mod tests;
