//! `eksrole_team_access`: people or a CI pipeline reaching an EKS cluster.
//! Input: cluster, team name, who may assume the role (IAM principal ARNs, or
//! a CI OIDC provider with exact subjects), MFA, external ID, organisation,
//! access level or explicit access policies, scope, Kubernetes groups and
//! username; output: the IAM role (trust policy, `eks:DescribeCluster` on the
//! cluster, tags) and the EKS access entry with its policy associations.
//!
//! Trust policy choices (`docs/design/aws-facts.md` "Limits and formats",
//! `docs/design/trust-policy-rules.md`):
//! - principals: one statement, `Principal {"AWS": [sorted ARNs]}`, actions
//!   `sts:AssumeRole` and `sts:SetSourceIdentity` (a source identity sticks to
//!   a session: a principal whose own session carries one can chain into the
//!   role only when its trust policy allows `sts:SetSourceIdentity`), no
//!   `sts:TagSession` (AWS asks for it only from a caller or IdP passing
//!   session tags, which nothing here does);
//!   MFA as `Bool {"aws:MultiFactorAuthPresent": "true"}` (default on for
//!   principals), `StringEquals` on `sts:ExternalId` and `aws:PrincipalOrgID`;
//! - CI OIDC: `Principal {"Federated": provider}`,
//!   `sts:AssumeRoleWithWebIdentity`, `StringEquals` on `<host>:aud` and
//!   `<host>:sub` (sorted array); with wildcard subjects (only by the
//!   `allow_subject_wildcards` opt-in) the `sub` condition moves to
//!   `StringLike` and `aud` stays exact.
//!
//! The external ID is a secret: no problem this module reports quotes it.
//! Pure: no I/O; the caller resolves the facts ([`Env`]: the account, the
//! default tags and the trust policy quota).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::access_entry::{
    access_entry, access_policy_arn, check_access_policy_partitions, level_policy_name,
    username_attribution_warning, validate_access_namespaces, validate_access_policy_arns,
    validate_kubernetes_groups, validate_username, AccessLevel,
};
use super::ci_subjects::{admits_github_pull_requests, shared_issuer};
use super::cluster_access::{
    self, access_role, check_access_env, check_cluster_and_name, AccessImportId, AccessInput,
    AccessKind, ClusterAccessBlueprint, MfaRequirement,
};
use super::names::{parse_oidc_provider_arn, validate_external_id};
use super::policy_json::canonical_json_value;
use super::principals::{
    identity_center_mfa_warnings, validate_principal_arns, validate_principal_org_id,
};
use super::role::{role_input, RoleSettings};
use super::trust_policy_rules::{finish_trust_checks, TrustRuleOptions};
use super::{internal, Env, IntentError, Validated};

/// Sid of the trust statement for IAM principals.
pub const PRINCIPALS_SID: &str = "TeamAccess";
/// Sid of the trust statement for a CI OIDC provider.
pub const CI_OIDC_SID: &str = "TeamCiOidc";
/// The CI token audience AWS's own actions use (GitHub `configure-aws-credentials`).
pub const DEFAULT_CI_AUDIENCE: &str = super::STS_SERVICE;

/// A CI system assuming the role with its OIDC token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiOidc {
    /// `arn:<p>:iam::<acct>:oidc-provider/<host>`
    pub provider_arn: String,
    pub audience: String,
    /// Token `sub` values, exact unless `allow_subject_wildcards`.
    pub subjects: BTreeSet<String>,
    pub allow_subject_wildcards: bool,
}

/// The resource's configuration, after the caller filled provider-level values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamAccessInput {
    pub cluster_name: String,
    pub name: String,
    /// IAM role or user ARNs; exactly one of this and `ci_oidc` (or
    /// `sso_permission_sets`, with `create_role = false`).
    pub principal_arns: BTreeSet<String>,
    /// IAM Identity Center permission-set names, resolved at plan to their
    /// roles in this account ([`direct`]); only with `create_role = false`.
    pub sso_permission_sets: BTreeSet<String>,
    /// `create_role`: `None` (the default) and `Some(true)` create the role;
    /// `Some(false)` gives each principal its own access entry ([`direct`]).
    pub create_role: Option<bool>,
    pub ci_oidc: Option<CiOidc>,
    /// Default: true for `principal_arns`; `Some(true)` with `ci_oidc` is an error.
    pub require_mfa: Option<bool>,
    /// A secret: never quoted in a problem.
    pub external_id: Option<String>,
    pub principal_org_id: Option<String>,
    /// One of `access_level` and `access_policy_arns`; neither only with `kubernetes_groups`.
    pub access_level: Option<AccessLevel>,
    pub access_policy_arns: BTreeSet<String>,
    /// `Some`: namespace scope; `None`: cluster scope.
    pub namespaces: Option<BTreeSet<String>>,
    pub kubernetes_groups: BTreeSet<String>,
    pub kubernetes_username: Option<String>,
    pub max_session_duration: Option<i64>,
    pub role_name: Option<String>,
    pub role_path: Option<String>,
    pub permissions_boundary: Option<String>,
    pub description: Option<String>,
    pub tags: BTreeMap<String, String>,
}

/// This module's kind of access.
const KIND: AccessKind = AccessKind::TeamAccess;

role_input!(
    TeamAccessInput,
    |input| KIND.owner(&input.cluster_name, &input.name),
    |input| input.description.as_deref()
);

impl TeamAccessInput {
    /// An input with nobody allowed, no access and every optional attribute unset.
    pub fn new(cluster_name: impl Into<String>, name: impl Into<String>) -> Self {
        TeamAccessInput {
            cluster_name: cluster_name.into(),
            name: name.into(),
            ..TeamAccessInput::default()
        }
    }

    /// The `id` attribute, `cluster/name`.
    pub fn import_id(&self) -> String {
        cluster_access::import_id(&self.cluster_name, &self.name)
    }

    /// `require_mfa`, or true for principals and false for CI OIDC (and
    /// without a role, which has no trust policy to hold the condition).
    pub fn effective_require_mfa(&self) -> bool {
        self.require_mfa
            .unwrap_or(self.ci_oidc.is_none() && self.creates_role())
    }

    /// `create_role`, `true` unless set to `false`.
    pub fn creates_role(&self) -> bool {
        self.create_role != Some(false)
    }

    /// The access policy ARNs to associate: the level's policy, or the explicit ARNs.
    pub fn policy_arns(&self, partition: &str) -> BTreeSet<String> {
        match self.access_level {
            Some(level) => BTreeSet::from([access_policy_arn(partition, level_policy_name(level))]),
            None => self.access_policy_arns.clone(),
        }
    }

    fn has_access_policies(&self) -> bool {
        self.access_level.is_some() || !self.access_policy_arns.is_empty()
    }
}

impl AccessInput for TeamAccessInput {
    fn settings(&self) -> RoleSettings<'_> {
        self.role_settings()
    }

    fn principals(&self) -> &BTreeSet<String> {
        &self.principal_arns
    }

    fn mfa_requirement(&self) -> MfaRequirement {
        match self.require_mfa {
            Some(true) => MfaRequirement::Explicit,
            None if self.effective_require_mfa() => MfaRequirement::Default,
            _ => MfaRequirement::Off,
        }
    }

    fn intent_name(&self) -> &str {
        &self.name
    }

    /// The level's policy (on `access_level`) and the explicit ARNs (on
    /// `access_policy_arns`): validation lets only one of them be set.
    fn requested_access_policies(&self, partition: &str) -> Vec<(String, &'static str)> {
        let level = self.access_level.map(|l| {
            (
                access_policy_arn(partition, level_policy_name(l)),
                "access_level",
            )
        });
        let explicit = self
            .access_policy_arns
            .iter()
            .map(|arn| (arn.clone(), "access_policy_arns"));
        level.into_iter().chain(explicit).collect()
    }

    fn parse_import_id(id: &str) -> Result<AccessImportId, String> {
        cluster_access::parse_import_id(id, KIND)
    }

    fn import_role_name(id: &AccessImportId) -> String {
        id.effective_role_name()
    }
}

/// True when a subject holds a `StringLike` wildcard (`*` or `?`).
pub fn subject_has_wildcard(subject: &str) -> bool {
    subject.contains(['*', '?'])
}

/// The trust policy for IAM principals (canonical minified JSON).
pub fn principals_trust_policy(
    principal_arns: &BTreeSet<String>,
    require_mfa: bool,
    external_id: Option<&str>,
    principal_org_id: Option<&str>,
) -> String {
    let mut condition = Map::new();
    if require_mfa {
        condition.insert("Bool".into(), json!({"aws:MultiFactorAuthPresent": "true"}));
    }
    let mut equals = Map::new();
    if let Some(id) = external_id {
        equals.insert("sts:ExternalId".into(), json!(id));
    }
    if let Some(org) = principal_org_id {
        equals.insert("aws:PrincipalOrgID".into(), json!(org));
    }
    if !equals.is_empty() {
        condition.insert("StringEquals".into(), Value::Object(equals));
    }
    let mut statement = json!({
        "Sid": PRINCIPALS_SID,
        "Effect": "Allow",
        "Principal": {"AWS": principal_arns},
        "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
    });
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    canonical_json_value(&json!({"Version": "2012-10-17", "Statement": [statement]}))
}

/// The trust policy for a CI OIDC provider (canonical minified JSON).
/// `issuer_host_path` is the part of the provider ARN after `oidc-provider/`.
/// Subjects with wildcards put the `sub` condition under `StringLike`.
pub fn ci_oidc_trust_policy(ci: &CiOidc, issuer_host_path: &str) -> String {
    let aud_key = format!("{issuer_host_path}:aud");
    let sub_key = format!("{issuer_host_path}:sub");
    let condition = if ci.subjects.iter().any(|s| subject_has_wildcard(s)) {
        json!({
            "StringEquals": {aud_key: ci.audience},
            "StringLike": {sub_key: ci.subjects},
        })
    } else {
        json!({"StringEquals": {aud_key: ci.audience, sub_key: ci.subjects}})
    };
    canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": CI_OIDC_SID,
            "Effect": "Allow",
            "Principal": {"Federated": ci.provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition,
        }],
    }))
}

/// Static checks of every attribute; all problems are reported, each with
/// its attribute path. Needs no account: what depends on it is checked by
/// [`blueprint`]. Never quotes the external ID.
pub fn validate(input: TeamAccessInput) -> Result<Validated<TeamAccessInput>, Vec<IntentError>> {
    let mut problems = Vec::new();
    check_cluster_and_name(KIND, &input.cluster_name, &input.name, &mut problems);
    input.role_settings().validate(&mut problems);
    check_who(&input, &mut problems);
    direct::check_role_choice(&input, &mut problems);
    check_access(&input, &mut problems);
    Validated::check(input, problems)
}

fn check_who(input: &TeamAccessInput, problems: &mut Vec<IntentError>) {
    match (&input.ci_oidc, input.principal_arns.is_empty()) {
        (Some(_), false) => problems.push(IntentError::error(
            &["principal_arns"],
            "Conflicting principals",
            "principal_arns and ci_oidc are both set; a team access is either for people (IAM principals) or for one CI system. Remove one of them, or declare two team accesses.",
        )),
        (None, true) if input.sso_permission_sets.is_empty() => problems.push(IntentError::error(
            &["principal_arns"],
            "No principals",
            "Nobody could reach the cluster. List the IAM roles or users in principal_arns, name IAM Identity Center permission sets in sso_permission_sets (with create_role = false), or add a ci_oidc block for a CI pipeline.",
        )),
        _ => {}
    }
    if !input.principal_arns.is_empty() {
        problems.extend(validate_principal_arns(
            "principal_arns",
            &input.principal_arns,
            false,
        ));
        if input.ci_oidc.is_none() && input.effective_require_mfa() {
            problems.extend(identity_center_mfa_warnings(
                "principal_arns",
                &input.principal_arns,
            ));
        }
    }
    if let Some(ci) = &input.ci_oidc {
        check_ci_oidc(ci, problems);
        if input.require_mfa == Some(true) {
            problems.push(IntentError::error(
                &["require_mfa"],
                "MFA not available for CI",
                "A CI system's OIDC token carries no MFA; a role requiring MFA would refuse it. Remove require_mfa (or set it to false); the exact ci_oidc subjects are what limits who gets in.",
            ));
        }
        if input.external_id.is_some() {
            problems.push(IntentError::error(
                &["external_id"],
                "External ID not available for CI",
                "sts:ExternalId applies only to sts:AssumeRole; a CI system assumes the role with its OIDC token (sts:AssumeRoleWithWebIdentity). Remove external_id.",
            ));
        }
        if input.principal_org_id.is_some() {
            problems.push(IntentError::error(
                &["principal_org_id"],
                "Organization ID not available for CI",
                "aws:PrincipalOrgID is set only for AWS principals; a CI system's OIDC token has none, so the role could never be assumed. Remove principal_org_id.",
            ));
        }
    }
    if let Some(id) = &input.external_id {
        if validate_external_id(id).is_err() {
            problems.push(IntentError::error(
                &["external_id"],
                "Invalid external ID",
                "The external ID must be 2-1224 characters of letters, digits and _ + = , . @ : / - (its value is not shown here: it is a secret). Choose another one and share it with the assuming party.",
            ));
        }
    }
    if let Some(org) = &input.principal_org_id {
        problems.extend(validate_principal_org_id("principal_org_id", org));
    }
}

fn check_ci_oidc(ci: &CiOidc, problems: &mut Vec<IntentError>) {
    let issuer = match parse_oidc_provider_arn(&ci.provider_arn) {
        Ok(provider) => Some(provider.issuer_host_path),
        Err(e) => {
            problems.push(IntentError::error(
                &["ci_oidc", "provider_arn"],
                "Invalid OIDC provider ARN",
                format!("{e}. Use the ARN of the IAM OIDC provider registered for the CI system, e.g. arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com."),
            ));
            None
        }
    };
    let audience = &ci.audience;
    if audience.trim().is_empty() {
        problems.push(IntentError::error(
            &["ci_oidc", "audience"],
            "Empty audience",
            format!("The audience must match the CI token's `aud` claim exactly. Remove the attribute to use {DEFAULT_CI_AUDIENCE:?}."),
        ));
    } else if subject_has_wildcard(audience)
        || audience.contains("${")
        || audience.chars().any(char::is_whitespace)
    {
        problems.push(IntentError::error(
            &["ci_oidc", "audience"],
            "Invalid audience",
            format!("{audience:?} holds a wildcard, a policy variable or whitespace; the audience is matched exactly. Use the token's exact `aud`, usually {DEFAULT_CI_AUDIENCE:?}."),
        ));
    }
    if ci.subjects.is_empty() {
        problems.push(IntentError::error(
            &["ci_oidc", "subjects"],
            "No subjects",
            "Without subjects any token of the CI system would be trusted. List the exact token subjects, e.g. \"repo:my-org/my-app:ref:refs/heads/main\".",
        ));
    }
    for subject in &ci.subjects {
        match check_subject(subject, ci.allow_subject_wildcards, issuer.as_deref()) {
            Err((summary, detail)) => problems.push(IntentError::error(
                &["ci_oidc", "subjects"],
                summary,
                detail,
            )),
            Ok(())
                if issuer
                    .as_deref()
                    .is_some_and(|i| admits_github_pull_requests(i, subject)) =>
            {
                problems.push(IntentError::warning(
                    &["ci_oidc", "subjects"],
                    "Subject admits pull request workflows",
                    format!("{subject:?} matches the token of a GitHub workflow run for a pull request (subject \"repo:OWNER/REPO:pull_request\"): anyone who can open a pull request from a branch of the repository can run a workflow with this role, before any review. Prefer a branch or environment subject, e.g. \"repo:my-org/my-app:ref:refs/heads/main\" or \"repo:my-org/my-app:environment:production\"."),
                ));
            }
            Ok(()) => {}
        }
    }
}

fn check_subject(
    subject: &str,
    allow_wildcards: bool,
    issuer: Option<&str>,
) -> Result<(), (&'static str, String)> {
    if subject.trim().is_empty() {
        return Err((
            "Empty subject",
            "A subject is empty. Remove it or write the token's exact `sub`.".to_owned(),
        ));
    }
    if subject.contains("${") {
        return Err((
            "Policy variable in subject",
            format!("{subject:?} holds \"${{\", which IAM reads as a policy variable. Write the subject literally."),
        ));
    }
    if !subject_has_wildcard(subject) {
        return Ok(());
    }
    if !allow_wildcards {
        return Err((
            "Wildcard subject",
            format!("{subject:?} holds '*' or '?', which would admit every token whose subject matches the pattern. List the exact subjects, or set allow_subject_wildcards = true in ci_oidc to match with StringLike on purpose."),
        ));
    }
    if !subject.chars().any(|c| c.is_alphanumeric()) {
        return Err((
            "Subject matches everything",
            format!("{subject:?} matches any token the CI system issues. Pin at least the organisation and repository, e.g. \"repo:my-org/my-app:*\"."),
        ));
    }
    match issuer.and_then(shared_issuer) {
        Some(shared) if !shared.pins_tenant(subject) => Err((
            "Subject admits other tenants",
            format!(
                "{subject:?} has a wildcard before the end of the {tenant}, so tokens of other {tenant}s on {service} (one issuer signs them all) could match. Write the {tenant} literally, e.g. {example:?}.",
                tenant = shared.tenant,
                service = shared.service,
                example = shared.example,
            ),
        )),
        _ => Ok(()),
    }
}

fn check_access(input: &TeamAccessInput, problems: &mut Vec<IntentError>) {
    match (input.access_level, input.access_policy_arns.is_empty()) {
        (Some(_), false) => problems.push(IntentError::error(
            &["access_level"],
            "Conflicting access",
            "access_level and access_policy_arns are both set. Use access_level for one of the standard levels, or access_policy_arns for explicit EKS access policies, not both.",
        )),
        (None, true) if input.kubernetes_groups.is_empty() => problems.push(IntentError::error(
            &["access_level"],
            "No access",
            "The team would reach the cluster with no permissions. Choose an access_level (\"view\", \"admin_view\", \"edit\", \"admin\" or \"cluster_admin\"), list access_policy_arns, or name kubernetes_groups bound by your own RBAC.",
        )),
        _ => {}
    }
    problems.extend(validate_access_policy_arns(
        "access_policy_arns",
        &input.access_policy_arns,
    ));
    if let Some(namespaces) = &input.namespaces {
        problems.extend(validate_access_namespaces("namespaces", namespaces));
        if !input.has_access_policies() {
            problems.push(IntentError::error(
                &["namespaces"],
                "Namespaces without access policies",
                "namespaces scopes the access policies, and none is set; Kubernetes groups are scoped by your own RBAC bindings. Set access_level or access_policy_arns, or remove namespaces.",
            ));
        }
    }
    problems.extend(validate_kubernetes_groups(
        "kubernetes_groups",
        &input.kubernetes_groups,
    ));
    if let Some(username) = &input.kubernetes_username {
        problems.extend(validate_username("kubernetes_username", username));
        problems.extend(username_attribution_warning(
            "kubernetes_username",
            username,
        ));
    }
}

/// The trust policy as far as the input alone decides it (no account needed);
/// `None` when the input does not say who may assume the role.
fn trust_policy_from_input(input: &TeamAccessInput) -> Option<String> {
    match &input.ci_oidc {
        Some(_) if !input.principal_arns.is_empty() => None,
        Some(ci) => parse_oidc_provider_arn(&ci.provider_arn)
            .ok()
            .map(|provider| ci_oidc_trust_policy(ci, &provider.issuer_host_path)),
        None if input.principal_arns.is_empty() => None,
        None => Some(principals_trust_policy(
            &input.principal_arns,
            input.effective_require_mfa(),
            input.external_id.as_deref(),
            input.principal_org_id.as_deref(),
        )),
    }
}

/// The checks of the facts: the default tags, and what needs the account
/// (skipped when the account itself is unusable: comparing with it would
/// only add noise).
fn check_env(input: &TeamAccessInput, env: &Env, problems: &mut Vec<IntentError>) {
    let account = &env.account;
    let settings = input.role_settings();
    if !check_access_env(&settings, &input.principal_arns, env, problems) {
        return;
    }
    if let Some(ci) = &input.ci_oidc {
        if let Ok(provider) = parse_oidc_provider_arn(&ci.provider_arn) {
            if provider.account_id != account.account_id || provider.partition != account.partition
            {
                problems.push(IntentError::error(
                    &["ci_oidc", "provider_arn"],
                    "OIDC provider in another account",
                    format!(
                        "The OIDC provider is in {}:{} but the role is created in {}:{}; a role can only trust an OIDC provider registered in its own account. Register the CI system's issuer in account {} and use that provider's ARN.",
                        provider.partition, provider.account_id, account.partition, account.account_id, account.account_id
                    ),
                ));
            }
        }
    }
    problems.extend(check_access_policy_partitions(
        "access_policy_arns",
        &input.access_policy_arns,
        account,
    ));
}

/// Where a too large trust policy is shown (the list that makes it grow),
/// and how to shrink it.
fn size_path_and_fix(input: &TeamAccessInput) -> (&'static [&'static str], &'static str) {
    match input.ci_oidc {
        Some(_) => (&["ci_oidc", "subjects"], "List fewer subjects."),
        None => (
            &["principal_arns"],
            "List fewer principals, or principals with shorter paths.",
        ),
    }
}

/// Builds the role and access entry from a validated input and the facts in
/// `env`. Checks only what depends on those facts; on any error returns
/// every problem found.
pub fn blueprint(
    input: &Validated<TeamAccessInput>,
    env: &Env,
) -> Result<ClusterAccessBlueprint, Vec<IntentError>> {
    let mut problems = Vec::new();
    check_env(input, env, &mut problems);
    let Some(trust_policy) = trust_policy_from_input(input) else {
        return Err(vec![internal("no trust policy for a validated input")]);
    };
    let options = TrustRuleOptions {
        allow_string_like_oidc: input
            .ci_oidc
            .as_ref()
            .is_some_and(|ci| ci.allow_subject_wildcards),
        ..TrustRuleOptions::default()
    };
    finish_trust_checks(
        problems,
        &trust_policy,
        env,
        size_path_and_fix(input),
        options,
        input.external_id.as_deref(),
    )?;
    let settings = input.role_settings();
    let role = access_role(&settings, env, trust_policy);
    let entry = access_entry(
        &input.cluster_name,
        &role.arn,
        &input.kubernetes_groups,
        input.kubernetes_username.as_deref(),
        &input.policy_arns(&env.account.partition),
        input.namespaces.as_ref(),
        role.tags.clone(),
    );
    Ok(ClusterAccessBlueprint {
        role,
        access_entry: entry,
        closed: false,
    })
}

/// The `aws eks update-kubeconfig` command for a blueprint.
pub fn kubeconfig_command(bp: &ClusterAccessBlueprint, region: &str) -> String {
    cluster_access::kubeconfig_command(&bp.access_entry.cluster_name, region, &bp.role.arn)
}

pub mod direct;

#[cfg(test)]
mod tests;
