//! `eksrole_team_access`: people or a CI pipeline reaching an EKS cluster.
//! Input: cluster, team name, who may assume the role (IAM principal ARNs, or
//! a CI OIDC provider with exact subjects), MFA, external ID, organisation,
//! access level or explicit access policies, scope, Kubernetes groups and
//! username; output: the IAM role (trust policy, `eks:DescribeCluster` on the
//! cluster, tags) and the EKS access entry with its policy associations.
//!
//! Trust policy choices (SECURITY.md §1, §3):
//! - principals: one statement, `Principal {"AWS": [sorted ARNs]}`, action
//!   `sts:AssumeRole` only (no `sts:TagSession` or `sts:SetSourceIdentity`:
//!   nothing here needs session tags, and the least privilege is the default);
//!   MFA as `Bool {"aws:MultiFactorAuthPresent": "true"}` (default on for
//!   principals), `StringEquals` on `sts:ExternalId` and `aws:PrincipalOrgID`;
//! - CI OIDC: `Principal {"Federated": provider}`,
//!   `sts:AssumeRoleWithWebIdentity`, `StringEquals` on `<host>:aud` and
//!   `<host>:sub` (sorted array); with wildcard subjects (only by the
//!   `allow_subject_wildcards` opt-in) the `sub` condition moves to
//!   `StringLike` and `aud` stays exact.
//!
//! The external ID is a secret: no problem this module reports quotes it.
//! Pure: no I/O; the caller resolves the account and the trust policy quota.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::access_entry::{
    access_entry, access_policy_arn, check_access_policy_partitions, level_policy_name,
    validate_access_namespaces, validate_access_policy_arns, validate_kubernetes_groups,
    validate_username, AccessLevel,
};
use super::cluster_access::{
    self, access_role, check_cluster_and_name, check_trust_policy_size, AccessImportId,
    ClusterAccessBlueprint,
};
use super::names::{parse_oidc_provider_arn, validate_external_id};
use super::policy_json::canonical_json_value;
use super::principals::{
    check_principals_against_account, identity_center_mfa_warnings, validate_principal_arns,
    validate_principal_org_id,
};
use super::role::{self, RoleSettings};
use super::tags::Owner;
use super::trust_policy_rules::{check_trust_policy, TrustRuleOptions, DEFAULT_TRUST_POLICY_QUOTA};
use super::{check_account, has_errors, internal, Account, IntentError};

/// Sid of the trust statement for IAM principals.
pub const PRINCIPALS_SID: &str = "TeamAccess";
/// Sid of the trust statement for a CI OIDC provider.
pub const CI_OIDC_SID: &str = "TeamCiOidc";
/// The CI token audience AWS's own actions use (GitHub `configure-aws-credentials`).
pub const DEFAULT_CI_AUDIENCE: &str = super::STS_SERVICE;
/// OIDC issuers shared by many organisations: a wildcard subject must pin the
/// organisation (the part before the first `/`).
pub const MULTI_TENANT_CI_ISSUERS: [&str; 2] =
    ["token.actions.githubusercontent.com", "gitlab.com"];

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAccessInput {
    pub cluster_name: String,
    pub name: String,
    /// IAM role or user ARNs; exactly one of this and `ci_oidc`.
    pub principal_arns: BTreeSet<String>,
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
    pub default_tags: BTreeMap<String, String>,
    pub trust_policy_size_quota: usize,
}

impl TeamAccessInput {
    /// An input with nobody allowed, no access and every optional attribute unset.
    pub fn new(cluster_name: impl Into<String>, name: impl Into<String>) -> Self {
        TeamAccessInput {
            cluster_name: cluster_name.into(),
            name: name.into(),
            principal_arns: BTreeSet::new(),
            ci_oidc: None,
            require_mfa: None,
            external_id: None,
            principal_org_id: None,
            access_level: None,
            access_policy_arns: BTreeSet::new(),
            namespaces: None,
            kubernetes_groups: BTreeSet::new(),
            kubernetes_username: None,
            max_session_duration: None,
            role_name: None,
            role_path: None,
            permissions_boundary: None,
            description: None,
            tags: BTreeMap::new(),
            default_tags: BTreeMap::new(),
            trust_policy_size_quota: DEFAULT_TRUST_POLICY_QUOTA,
        }
    }

    /// The intent instance its objects belong to.
    pub fn owner(&self) -> Owner<'_> {
        Owner::TeamAccess {
            cluster: &self.cluster_name,
            name: &self.name,
        }
    }

    /// The `id` attribute: `cluster/name`.
    pub fn import_id(&self) -> String {
        cluster_access::import_id(&self.cluster_name, &self.name)
    }

    /// `role_name` or the default role name.
    pub fn effective_role_name(&self) -> String {
        self.role_settings().effective_role_name()
    }

    /// `role_path` or `/`.
    pub fn effective_role_path(&self) -> String {
        self.role_settings().effective_role_path()
    }

    /// The role attributes.
    pub fn role_settings(&self) -> RoleSettings<'_> {
        RoleSettings {
            owner: self.owner(),
            role_name: self.role_name.as_deref(),
            role_path: self.role_path.as_deref(),
            description: self.description.as_deref(),
            permissions_boundary: self.permissions_boundary.as_deref(),
            max_session_duration: self.max_session_duration,
            tags: &self.tags,
            default_tags: &self.default_tags,
        }
    }

    /// `max_session_duration` or 3600.
    pub fn effective_max_session_duration(&self) -> i64 {
        self.role_settings().effective_max_session_duration()
    }

    /// `require_mfa`, or true for principals and false for CI OIDC.
    pub fn effective_require_mfa(&self) -> bool {
        self.require_mfa.unwrap_or(self.ci_oidc.is_none())
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

/// Parses the import ID: `cluster/name`, or `cluster/name/role_name` when
/// the role has a custom name.
pub fn parse_import_id(id: &str) -> Result<AccessImportId, String> {
    cluster_access::parse_import_id(id, "team access", "prod/developers")
}

/// The role an import ID names: its custom role name, or the default one.
pub fn import_role_name(id: &AccessImportId) -> String {
    id.role_name.clone().unwrap_or_else(|| {
        role::default_role_name(&Owner::TeamAccess {
            cluster: &id.cluster_name,
            name: &id.name,
        })
    })
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
        "Action": "sts:AssumeRole",
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
pub fn validate(input: &TeamAccessInput) -> Vec<IntentError> {
    let mut problems = Vec::new();
    check_cluster_and_name(&input.cluster_name, &input.name, &mut problems);
    input.role_settings().validate(&mut problems);
    check_who(input, &mut problems);
    check_access(input, &mut problems);
    if let Some(trust) = trust_policy_from_input(input) {
        problems.extend(check_trust_policy_size(
            &trust,
            input.trust_policy_size_quota,
            "List fewer principals or subjects, or use shorter role paths.",
        ));
    }
    problems
}

fn check_who(input: &TeamAccessInput, problems: &mut Vec<IntentError>) {
    match (&input.ci_oidc, input.principal_arns.is_empty()) {
        (Some(_), false) => problems.push(IntentError::error(
            &["principal_arns"],
            "Conflicting principals",
            "principal_arns and ci_oidc are both set; a team access is either for people (IAM principals) or for one CI system. Remove one of them, or declare two team accesses.",
        )),
        (None, true) => problems.push(IntentError::error(
            &["principal_arns"],
            "No principals",
            "Nobody could assume the role. List the IAM roles or users in principal_arns, or add a ci_oidc block for a CI pipeline.",
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
        if let Err((summary, detail)) =
            check_subject(subject, ci.allow_subject_wildcards, issuer.as_deref())
        {
            problems.push(IntentError::error(
                &["ci_oidc", "subjects"],
                summary,
                detail,
            ));
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
    let first_wildcard = subject.find(['*', '?']).unwrap_or(subject.len());
    let multi_tenant = issuer.is_some_and(|i| MULTI_TENANT_CI_ISSUERS.contains(&i));
    if multi_tenant && !subject[..first_wildcard].contains('/') {
        return Err((
            "Subject admits other organisations",
            format!("{subject:?} has a wildcard before the first '/', so workflows of other organisations on the same CI service would match. Write the organisation (group) and repository literally, e.g. \"repo:my-org/my-app:*\"."),
        ));
    }
    Ok(())
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
            "The team would reach the cluster with no permissions. Choose an access_level (\"view\", \"edit\", \"admin\" or \"cluster_admin\"), list access_policy_arns, or name kubernetes_groups bound by your own RBAC.",
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

/// The checks that need the account.
/// Skipped when the account itself is unusable: comparing with it would only add noise.
fn check_against_account(
    input: &TeamAccessInput,
    account: &Account,
    problems: &mut Vec<IntentError>,
) {
    let account_problems = check_account(account);
    if !account_problems.is_empty() {
        problems.extend(account_problems);
        return;
    }
    let settings = input.role_settings();
    settings.check_against_account(account, problems);
    problems.extend(check_principals_against_account(
        "principal_arns",
        &input.principal_arns,
        account,
        &settings.effective_role_name(),
    ));
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

/// Builds the role and access entry. Runs [`validate`] and the
/// account-dependent checks first; on any error returns every problem found
/// (warnings included). Warnings alone do not stop it: the caller shows them
/// from [`validate`].
pub fn blueprint(
    input: &TeamAccessInput,
    account: &Account,
) -> Result<ClusterAccessBlueprint, Vec<IntentError>> {
    let mut problems = validate(input);
    check_against_account(input, account, &mut problems);
    if has_errors(&problems) {
        return Err(problems);
    }
    let Some(trust_policy) = trust_policy_from_input(input) else {
        return Err(vec![internal("no trust policy for a validated input")]);
    };
    let options = TrustRuleOptions {
        allow_root_principal: false,
        allow_string_like_oidc: input
            .ci_oidc
            .as_ref()
            .is_some_and(|ci| ci.allow_subject_wildcards),
        size_quota: input.trust_policy_size_quota,
    };
    let violations = check_trust_policy(&trust_policy, &options);
    if !violations.is_empty() {
        let reason = format!(
            "the generated trust policy breaks the safety rules: {}",
            violations.join("; ")
        );
        return Err(vec![internal(&redact(
            &reason,
            input.external_id.as_deref(),
        ))]);
    }
    let settings = input.role_settings();
    let role = access_role(&settings, account, trust_policy);
    let entry = access_entry(
        &input.cluster_name,
        &role.arn,
        &input.kubernetes_groups,
        input.kubernetes_username.as_deref(),
        &input.policy_arns(&account.partition),
        input.namespaces.as_ref(),
        role.tags.clone(),
    );
    Ok(ClusterAccessBlueprint {
        role,
        access_entry: entry,
    })
}

/// `text` with every occurrence of `secret` replaced by `(sensitive)`.
fn redact(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "(sensitive)"),
        _ => text.to_owned(),
    }
}

/// The `aws eks update-kubeconfig` command for a blueprint.
pub fn kubeconfig_command(bp: &ClusterAccessBlueprint, region: &str) -> String {
    cluster_access::kubeconfig_command(&bp.access_entry.cluster_name, region, &bp.role.arn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::access_entry::AccessScope;
    use crate::intent::cluster_access::DESCRIBE_CLUSTER_POLICY_NAME;
    use crate::intent::golden;
    use crate::intent::policy_json::{
        canonical_json, policies_equivalent, validate_policy_shape, PolicyKind,
    };
    use crate::intent::test_support::*;

    const ALICE: &str = "arn:aws:iam::123456789012:user/people/alice";
    const ONCALL: &str = "arn:aws:iam::123456789012:role/platform-oncall";
    const GITHUB: &str =
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const GITLAB: &str = "arn:aws:iam::123456789012:oidc-provider/gitlab.com";
    const SECRET: &str = "Xt3rnal-S3cret-7f9c";

    fn account() -> Account {
        account_in("aws")
    }

    fn people() -> TeamAccessInput {
        TeamAccessInput {
            principal_arns: set(&[ONCALL, ALICE]),
            access_level: Some(AccessLevel::View),
            ..TeamAccessInput::new("prod", "payments")
        }
    }

    fn ci(provider: &str, subjects: &[&str], wildcards: bool) -> TeamAccessInput {
        TeamAccessInput {
            ci_oidc: Some(CiOidc {
                provider_arn: provider.into(),
                audience: DEFAULT_CI_AUDIENCE.into(),
                subjects: set(subjects),
                allow_subject_wildcards: wildcards,
            }),
            access_level: Some(AccessLevel::Edit),
            ..TeamAccessInput::new("prod", "deployer")
        }
    }

    fn github() -> TeamAccessInput {
        ci(GITHUB, &["repo:my-org/app:ref:refs/heads/main"], false)
    }

    #[track_caller]
    fn assert_problems(input: &TeamAccessInput, want: &[(&[&str], &str, bool)]) {
        let problems = validate(input);
        let want: Vec<_> = want.iter().map(|(p, s, w)| expect(p, s, *w)).collect();
        assert_eq!(problems_of(&problems), want, "{problems:#?}");
        assert!(problems.iter().all(|p| !p.detail.is_empty()));
    }

    #[track_caller]
    fn assert_blueprint_error(
        input: &TeamAccessInput,
        account: &Account,
        path: &[&str],
        summary: &str,
    ) {
        let problems = blueprint(input, account).unwrap_err();
        assert_eq!(
            problems_of(&problems),
            vec![expect(path, summary, false)],
            "{problems:#?}"
        );
    }

    #[test]
    fn minimal_inputs_are_valid() {
        assert_eq!(validate(&people()), vec![]);
        assert_eq!(validate(&github()), vec![]);
    }

    #[test]
    fn people_blueprint_is_exact() {
        let bp = blueprint(&people(), &account()).unwrap();
        assert_eq!(bp.role.name, "eks-team-prod-payments");
        assert_eq!(
            bp.role.arn,
            "arn:aws:iam::123456789012:role/eks-team-prod-payments"
        );
        assert_eq!(
            bp.role.trust_policy,
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"TeamAccess","Effect":"Allow","Principal":{{"AWS":["{ONCALL}","{ALICE}"]}},"Action":"sts:AssumeRole","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}]}}"#
            )
        );
        assert_eq!(bp.role.max_session_duration, 3600);
        assert_eq!(
            bp.role.inline_policies[DESCRIBE_CLUSTER_POLICY_NAME],
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"DescribeCluster","Effect":"Allow","Action":"eks:DescribeCluster","Resource":"arn:aws:eks:eu-west-1:123456789012:cluster/prod"}]}"#
        );
        assert_eq!(bp.role.inline_policies.len(), 1);
        assert_eq!(bp.role.tags["eksrole:intent"], "team-access");
        assert_eq!(bp.role.tags["eksrole:name"], "payments");
        let entry = &bp.access_entry;
        assert_eq!(entry.cluster_name, "prod");
        assert_eq!(entry.principal_arn, bp.role.arn);
        assert_eq!(entry.username, None);
        assert!(entry.kubernetes_groups.is_empty());
        assert_eq!(entry.tags, bp.role.tags);
        assert_eq!(entry.policy_associations.len(), 1);
        assert_eq!(
            entry.policy_associations[0].policy_arn,
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
        );
        assert_eq!(entry.policy_associations[0].scope, AccessScope::Cluster);
        assert_eq!(
            kubeconfig_command(&bp, "eu-west-1"),
            "aws eks update-kubeconfig --name prod --region eu-west-1 --role-arn arn:aws:iam::123456789012:role/eks-team-prod-payments"
        );
    }

    #[test]
    fn trust_conditions() {
        let no_mfa = TeamAccessInput {
            require_mfa: Some(false),
            ..people()
        };
        let bp = blueprint(&no_mfa, &account()).unwrap();
        assert!(
            !bp.role.trust_policy.contains("Condition"),
            "{}",
            bp.role.trust_policy
        );
        let all = TeamAccessInput {
            external_id: Some(SECRET.into()),
            principal_org_id: Some("o-a1b2c3d4e5".into()),
            ..people()
        };
        let bp = blueprint(&all, &account()).unwrap();
        assert!(bp.role.trust_policy.ends_with(&format!(
            r#""Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}},"StringEquals":{{"aws:PrincipalOrgID":"o-a1b2c3d4e5","sts:ExternalId":"{SECRET}"}}}}}}]}}"#
        )), "{}", bp.role.trust_policy);
        let single = TeamAccessInput {
            principal_arns: set(&[ONCALL]),
            ..people()
        };
        let bp = blueprint(&single, &account()).unwrap();
        assert!(bp
            .role
            .trust_policy
            .contains(&format!(r#""Principal":{{"AWS":["{ONCALL}"]}}"#)));
    }

    #[test]
    fn ci_trust_is_exact() {
        let input = ci(
            GITHUB,
            &[
                "repo:my-org/app:ref:refs/heads/main",
                "repo:my-org/app:environment:prod",
            ],
            false,
        );
        let bp = blueprint(&input, &account()).unwrap();
        assert_eq!(
            bp.role.trust_policy,
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"TeamCiOidc","Effect":"Allow","Principal":{{"Federated":"{GITHUB}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":["repo:my-org/app:environment:prod","repo:my-org/app:ref:refs/heads/main"]}}}}}}]}}"#
            )
        );
        assert_eq!(bp.role.name, "eks-team-prod-deployer");
        // Opting in without any wildcard keeps StringEquals.
        let opt_in = ci(GITHUB, &["repo:my-org/app:ref:refs/heads/main"], true);
        let exact = blueprint(&opt_in, &account()).unwrap();
        assert!(!exact.role.trust_policy.contains("StringLike"));
    }

    #[test]
    fn wildcard_subjects() {
        let subjects = ["repo:my-org/app:*", "repo:my-org/lib:ref:refs/heads/main"];
        assert_problems(
            &ci(GITHUB, &subjects, false),
            &[(&["ci_oidc", "subjects"], "Wildcard subject", false)],
        );
        let bp = blueprint(&ci(GITHUB, &subjects, true), &account()).unwrap();
        assert!(bp.role.trust_policy.contains(
            r#""Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":["repo:my-org/app:*","repo:my-org/lib:ref:refs/heads/main"]}}"#
        ), "{}", bp.role.trust_policy);
        assert_problems(
            &ci(GITHUB, &["repo:my-org/ap?"], false),
            &[(&["ci_oidc", "subjects"], "Wildcard subject", false)],
        );
        for everything in ["*", "*:*", "?"] {
            assert_problems(
                &ci(GITHUB, &[everything], true),
                &[(
                    &["ci_oidc", "subjects"],
                    "Subject matches everything",
                    false,
                )],
            );
        }
        for other_orgs in [
            "repo:*",
            "repo:my-org*/app:*",
            "repo:*/app:ref:refs/heads/main",
        ] {
            assert_problems(
                &ci(GITHUB, &[other_orgs], true),
                &[(
                    &["ci_oidc", "subjects"],
                    "Subject admits other organisations",
                    false,
                )],
            );
        }
        assert_problems(
            &ci(GITLAB, &["project_path:*"], true),
            &[(
                &["ci_oidc", "subjects"],
                "Subject admits other organisations",
                false,
            )],
        );
        // A single-tenant issuer: no organisation rule.
        let own = "arn:aws:iam::123456789012:oidc-provider/gitlab.example.com";
        assert_eq!(validate(&ci(own, &["project_path:*"], true)), vec![]);
    }

    #[test]
    fn ci_errors() {
        assert_problems(
            &ci(
                "arn:aws:iam::123456789012:saml-provider/x",
                &["repo:o/a:*"],
                true,
            ),
            &[(
                &["ci_oidc", "provider_arn"],
                "Invalid OIDC provider ARN",
                false,
            )],
        );
        assert_problems(
            &ci(GITHUB, &[], false),
            &[(&["ci_oidc", "subjects"], "No subjects", false)],
        );
        assert_problems(
            &ci(GITHUB, &[" ", "repo:o/${aws:username}"], false),
            &[
                (&["ci_oidc", "subjects"], "Empty subject", false),
                (
                    &["ci_oidc", "subjects"],
                    "Policy variable in subject",
                    false,
                ),
            ],
        );
        for (audience, summary) in [
            ("", "Empty audience"),
            ("sts.*", "Invalid audience"),
            ("a b", "Invalid audience"),
            ("${x}", "Invalid audience"),
        ] {
            let mut input = github();
            if let Some(c) = input.ci_oidc.as_mut() {
                c.audience = audience.into();
            }
            assert_problems(&input, &[(&["ci_oidc", "audience"], summary, false)]);
        }
        let both = TeamAccessInput {
            principal_arns: set(&[ONCALL]),
            ..github()
        };
        assert_problems(
            &both,
            &[(&["principal_arns"], "Conflicting principals", false)],
        );
        let with_mfa = TeamAccessInput {
            require_mfa: Some(true),
            ..github()
        };
        assert_problems(
            &with_mfa,
            &[(&["require_mfa"], "MFA not available for CI", false)],
        );
        let without_mfa = TeamAccessInput {
            require_mfa: Some(false),
            ..github()
        };
        assert_eq!(validate(&without_mfa), vec![]);
        let external = TeamAccessInput {
            external_id: Some(SECRET.into()),
            ..github()
        };
        assert_problems(
            &external,
            &[(&["external_id"], "External ID not available for CI", false)],
        );
        let org = TeamAccessInput {
            principal_org_id: Some("o-a1b2c3d4e5".into()),
            ..github()
        };
        assert_problems(
            &org,
            &[(
                &["principal_org_id"],
                "Organization ID not available for CI",
                false,
            )],
        );
        assert_blueprint_error(
            &ci(
                "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com",
                &["repo:o/a:ref:refs/heads/main"],
                false,
            ),
            &account(),
            &["ci_oidc", "provider_arn"],
            "OIDC provider in another account",
        );
        assert_blueprint_error(
            &ci(
                "arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
                &["repo:o/a:ref:refs/heads/main"],
                false,
            ),
            &account(),
            &["ci_oidc", "provider_arn"],
            "OIDC provider in another account",
        );
    }

    #[test]
    fn principal_errors() {
        let nobody = TeamAccessInput {
            principal_arns: BTreeSet::new(),
            ..people()
        };
        assert_problems(&nobody, &[(&["principal_arns"], "No principals", false)]);
        let root = TeamAccessInput {
            principal_arns: set(&["arn:aws:iam::123456789012:root"]),
            ..people()
        };
        assert_problems(
            &root,
            &[(
                &["principal_arns", "arn:aws:iam::123456789012:root"],
                "Account root as principal",
                false,
            )],
        );
        let session = TeamAccessInput {
            principal_arns: set(&["arn:aws:sts::123456789012:assumed-role/x/alice"]),
            ..people()
        };
        assert_problems(
            &session,
            &[(
                &[
                    "principal_arns",
                    "arn:aws:sts::123456789012:assumed-role/x/alice",
                ],
                "Session ARN as principal",
                false,
            )],
        );
        let itself = TeamAccessInput {
            principal_arns: set(&["arn:aws:iam::123456789012:role/eks-team-prod-payments"]),
            ..people()
        };
        assert_blueprint_error(
            &itself,
            &account(),
            &[
                "principal_arns",
                "arn:aws:iam::123456789012:role/eks-team-prod-payments",
            ],
            "Principal is this role",
        );
        let other_partition = TeamAccessInput {
            principal_arns: set(&["arn:aws-cn:iam::123456789012:role/x"]),
            ..people()
        };
        assert_blueprint_error(
            &other_partition,
            &account(),
            &["principal_arns", "arn:aws-cn:iam::123456789012:role/x"],
            "Principal in another partition",
        );
    }

    #[test]
    fn identity_center_principals_warn_only_with_mfa() {
        let sso = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";
        let input = TeamAccessInput {
            principal_arns: set(&[sso]),
            ..people()
        };
        assert_problems(
            &input,
            &[(
                &["principal_arns", sso],
                "Principal cannot pass the MFA check",
                true,
            )],
        );
        assert!(
            blueprint(&input, &account()).is_ok(),
            "warnings do not stop the blueprint"
        );
        let no_mfa = TeamAccessInput {
            require_mfa: Some(false),
            ..input
        };
        assert_eq!(validate(&no_mfa), vec![]);
    }

    #[test]
    fn external_id_and_org_errors() {
        for bad in ["x", "has space", "semi;colon", &"e".repeat(1225)] {
            let input = TeamAccessInput {
                external_id: Some(bad.into()),
                ..people()
            };
            assert_problems(&input, &[(&["external_id"], "Invalid external ID", false)]);
            let text = validate(&input)[0].to_string();
            // Neither the value nor the offending character is quoted.
            assert!(bad.len() < 5 || !text.contains(bad), "{text}");
            assert!(!text.contains(';') && !text.contains("space"), "{text}");
        }
        for ok in ["ab", "a:b/c=d,e.f@g+h_i-j", &"e".repeat(1224)] {
            let input = TeamAccessInput {
                external_id: Some(ok.into()),
                ..people()
            };
            assert_eq!(validate(&input), vec![], "{ok}");
        }
        let org = TeamAccessInput {
            principal_org_id: Some("o-x".into()),
            ..people()
        };
        assert_problems(
            &org,
            &[(&["principal_org_id"], "Invalid organization ID", false)],
        );
    }

    #[test]
    fn access_errors() {
        let both = TeamAccessInput {
            access_policy_arns: set(&[
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
            ]),
            ..people()
        };
        assert_problems(&both, &[(&["access_level"], "Conflicting access", false)]);
        let none = TeamAccessInput {
            access_level: None,
            ..people()
        };
        assert_problems(&none, &[(&["access_level"], "No access", false)]);
        let groups_only = TeamAccessInput {
            kubernetes_groups: set(&["payments-devs"]),
            ..none.clone()
        };
        assert_eq!(validate(&groups_only), vec![]);
        let bp = blueprint(&groups_only, &account()).unwrap();
        assert!(bp.access_entry.policy_associations.is_empty());
        assert_eq!(bp.access_entry.kubernetes_groups, set(&["payments-devs"]));
        let scoped_groups = TeamAccessInput {
            namespaces: Some(set(&["payments"])),
            ..groups_only
        };
        assert_problems(
            &scoped_groups,
            &[(&["namespaces"], "Namespaces without access policies", false)],
        );
        let bad_arn = TeamAccessInput {
            access_level: None,
            access_policy_arns: set(&["AmazonEKSViewPolicy"]),
            ..people()
        };
        assert_problems(
            &bad_arn,
            &[(
                &["access_policy_arns", "AmazonEKSViewPolicy"],
                "Invalid access policy ARN",
                false,
            )],
        );
        let cn_arn = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        let other_partition = TeamAccessInput {
            access_level: None,
            access_policy_arns: set(&[cn_arn]),
            ..people()
        };
        assert_blueprint_error(
            &other_partition,
            &account(),
            &["access_policy_arns", cn_arn],
            "Access policy in another partition",
        );
        let empty_ns = TeamAccessInput {
            namespaces: Some(BTreeSet::new()),
            ..people()
        };
        assert_problems(&empty_ns, &[(&["namespaces"], "No namespaces", false)]);
        let bad_ns = TeamAccessInput {
            namespaces: Some(set(&["Payments"])),
            ..people()
        };
        assert_problems(
            &bad_ns,
            &[(&["namespaces", "Payments"], "Invalid namespace", false)],
        );
        let groups = TeamAccessInput {
            kubernetes_groups: set(&["system:masters"]),
            ..people()
        };
        assert_problems(
            &groups,
            &[(
                &["kubernetes_groups", "system:masters"],
                "Reserved Kubernetes group",
                false,
            )],
        );
        let username = TeamAccessInput {
            kubernetes_username: Some("aws:{{SessionName}}".into()),
            ..people()
        };
        assert_problems(
            &username,
            &[(
                &["kubernetes_username"],
                "Reserved Kubernetes username",
                false,
            )],
        );
        let misplaced = TeamAccessInput {
            kubernetes_username: Some("team-{{SessionName}}".into()),
            ..people()
        };
        assert_problems(
            &misplaced,
            &[(&["kubernetes_username"], "Misplaced {{SessionName}}", false)],
        );
    }

    #[test]
    fn scope_and_explicit_policies_reach_the_entry() {
        let input = TeamAccessInput {
            access_level: None,
            access_policy_arns: set(&[
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
            ]),
            namespaces: Some(set(&["payments", "payments-*"])),
            kubernetes_groups: set(&["payments-devs"]),
            kubernetes_username: Some("payments:{{SessionName}}".into()),
            ..people()
        };
        let bp = blueprint(&input, &account()).unwrap();
        let arns: Vec<&str> = bp
            .access_entry
            .policy_associations
            .iter()
            .map(|a| a.policy_arn.as_str())
            .collect();
        assert_eq!(
            arns,
            [
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy"
            ]
        );
        assert!(bp
            .access_entry
            .policy_associations
            .iter()
            .all(|a| a.scope == AccessScope::Namespaces(set(&["payments", "payments-*"]))));
        assert_eq!(
            bp.access_entry.username.as_deref(),
            Some("payments:{{SessionName}}")
        );
    }

    #[test]
    fn role_settings_reach_the_role() {
        let input = TeamAccessInput {
            role_name: Some("payments-team".into()),
            role_path: Some("/teams/".into()),
            description: Some("Payments engineers".into()),
            permissions_boundary: Some("arn:aws:iam::123456789012:policy/team-boundary".into()),
            max_session_duration: Some(14_400),
            tags: map(&[("team", "payments")]),
            default_tags: map(&[("env", "prod")]),
            ..people()
        };
        let bp = blueprint(&input, &account()).unwrap();
        assert_eq!(
            bp.role.arn,
            "arn:aws:iam::123456789012:role/teams/payments-team"
        );
        assert_eq!(bp.access_entry.principal_arn, bp.role.arn);
        assert_eq!(bp.role.description.as_deref(), Some("Payments engineers"));
        assert_eq!(bp.role.max_session_duration, 14_400);
        assert_eq!(
            bp.role.permissions_boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/team-boundary")
        );
        assert_eq!(bp.role.tags.len(), 6);
        assert_eq!(bp.access_entry.tags, bp.role.tags);
        let bad_boundary = TeamAccessInput {
            permissions_boundary: Some("arn:aws:iam::210987654321:policy/b".into()),
            ..people()
        };
        assert_blueprint_error(
            &bad_boundary,
            &account(),
            &["permissions_boundary"],
            "Policy in another account",
        );
        let bad_account = Account {
            account_id: "x".into(),
            ..account()
        };
        assert_blueprint_error(&people(), &bad_account, &[], "Invalid AWS account");
    }

    #[test]
    fn trust_policy_size_against_quota() {
        let input = TeamAccessInput {
            trust_policy_size_quota: 100,
            ..people()
        };
        let problems = validate(&input);
        assert_eq!(
            problems_of(&problems),
            vec![expect(&[], "Trust policy too large", false)]
        );
        let size = crate::intent::policy_json::non_whitespace_len(
            &blueprint(&people(), &account()).unwrap().role.trust_policy,
        );
        assert!(
            problems[0].detail.contains(&format!(" {size} characters")),
            "{}",
            problems[0].detail
        );
        assert!(problems[0].detail.contains("quota is 100"));
        let exact = TeamAccessInput {
            trust_policy_size_quota: size,
            ..people()
        };
        assert!(blueprint(&exact, &account()).is_ok());
        // Many principals overflow the default quota.
        let many: BTreeSet<String> = (0..60)
            .map(|i| format!("arn:aws:iam::123456789012:role/engineer-{i:03}"))
            .collect();
        let crowded = TeamAccessInput {
            principal_arns: many,
            ..people()
        };
        assert_blueprint_error(&crowded, &account(), &[], "Trust policy too large");
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let input = TeamAccessInput {
            cluster_name: String::new(),
            name: "a b".into(),
            principal_arns: set(&["*"]),
            ci_oidc: Some(CiOidc {
                provider_arn: "x".into(),
                audience: String::new(),
                subjects: set(&["repo:*"]),
                allow_subject_wildcards: false,
            }),
            require_mfa: Some(true),
            external_id: Some("bad secret".into()),
            principal_org_id: Some("org".into()),
            access_level: Some(AccessLevel::Admin),
            access_policy_arns: set(&["p"]),
            namespaces: Some(set(&["N"])),
            kubernetes_groups: set(&["system:x"]),
            kubernetes_username: Some("iam:x".into()),
            max_session_duration: Some(1),
            role_name: Some("a/b".into()),
            role_path: Some("p".into()),
            permissions_boundary: Some("b".into()),
            description: Some("🚨".into()),
            tags: map(&[("aws:k", "v")]),
            default_tags: BTreeMap::new(),
            trust_policy_size_quota: 2048,
        };
        let problems = validate(&input);
        let paths: BTreeSet<Vec<String>> = problems.iter().map(|p| p.path.clone()).collect();
        let want: BTreeSet<Vec<String>> = [
            vec!["cluster_name"],
            vec!["name"],
            vec!["role_name"],
            vec!["role_path"],
            vec!["description"],
            vec!["max_session_duration"],
            vec!["permissions_boundary"],
            vec!["tags", "aws:k"],
            vec!["principal_arns"],
            vec!["principal_arns", "*"],
            vec!["ci_oidc", "provider_arn"],
            vec!["ci_oidc", "audience"],
            vec!["ci_oidc", "subjects"],
            vec!["require_mfa"],
            vec!["external_id"],
            vec!["principal_org_id"],
            vec!["access_level"],
            vec!["access_policy_arns", "p"],
            vec!["namespaces", "N"],
            vec!["kubernetes_groups", "system:x"],
            vec!["kubernetes_username"],
        ]
        .into_iter()
        .map(|p| p.into_iter().map(str::to_owned).collect())
        .collect();
        assert_eq!(paths, want);
        assert!(problems
            .iter()
            .all(|p| !p.to_string().contains("bad secret")));
        // The account checks skip what is already invalid: nothing is reported twice.
        assert_eq!(
            blueprint(&input, &account()).unwrap_err().len(),
            problems.len()
        );
    }

    /// Every way a problem can be reported, with a distinctive external ID:
    /// the secret appears in no summary, detail or display text.
    #[test]
    fn external_id_never_appears_in_problems() {
        let with_secret = |input: TeamAccessInput| TeamAccessInput {
            external_id: Some(SECRET.into()),
            ..input
        };
        let inputs = [
            with_secret(github()),
            with_secret(TeamAccessInput {
                trust_policy_size_quota: 10,
                ..people()
            }),
            with_secret(TeamAccessInput {
                principal_arns: set(&[
                    "arn:aws:iam::123456789012:role/eks-team-prod-payments",
                    "*",
                ]),
                principal_org_id: Some("bad".into()),
                ..people()
            }),
            with_secret(TeamAccessInput {
                access_level: None,
                ..people()
            }),
            TeamAccessInput {
                external_id: Some(format!("{SECRET} ;")),
                ..people()
            },
        ];
        for input in inputs {
            let mut problems = validate(&input);
            if let Err(more) = blueprint(&input, &account()) {
                problems.extend(more);
            }
            assert!(!problems.is_empty());
            for p in &problems {
                assert!(!p.to_string().contains(SECRET), "{p}");
            }
        }
        assert_eq!(
            redact(&format!("x {SECRET} y"), Some(SECRET)),
            "x (sensitive) y"
        );
        assert_eq!(redact("x", None), "x");
    }

    // ---- golden files -------------------------------------------------------------------

    struct Case {
        file: &'static str,
        partition: &'static str,
        input: TeamAccessInput,
    }

    fn cases() -> Vec<Case> {
        let cn_people = TeamAccessInput {
            principal_arns: set(&[
                "arn:aws-cn:iam::123456789012:role/platform-oncall",
                "arn:aws-cn:iam::123456789012:user/people/alice",
            ]),
            access_level: Some(AccessLevel::Admin),
            ..TeamAccessInput::new("prod-cn", "platform")
        };
        vec![
            Case {
                file: "people-mfa-view-cluster.json",
                partition: "aws",
                input: people(),
            },
            Case {
                file: "people-no-mfa.json",
                partition: "aws",
                input: TeamAccessInput {
                    require_mfa: Some(false),
                    principal_arns: set(&["arn:aws:iam::123456789012:role/batch-runner"]),
                    ..people()
                },
            },
            Case {
                file: "people-mfa-external-id-org-namespaces.json",
                partition: "aws",
                input: TeamAccessInput {
                    principal_arns: set(&["arn:aws:iam::210987654321:role/partner/support"]),
                    external_id: Some("partner-7f9c2d".into()),
                    principal_org_id: Some("o-a1b2c3d4e5".into()),
                    access_level: Some(AccessLevel::Edit),
                    namespaces: Some(set(&["payments", "payments-*"])),
                    ..people()
                },
            },
            Case {
                file: "people-explicit-policies-groups-custom-role.json",
                partition: "aws",
                input: TeamAccessInput {
                    access_level: None,
                    access_policy_arns: set(&[
                        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
                        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSSecretReaderPolicy",
                    ]),
                    kubernetes_groups: set(&["payments-devs"]),
                    kubernetes_username: Some("payments:{{SessionName}}".into()),
                    role_name: Some("payments-team".into()),
                    role_path: Some("/teams/".into()),
                    description: Some("Payments engineers".into()),
                    permissions_boundary: Some(
                        "arn:aws:iam::123456789012:policy/team-boundary".into(),
                    ),
                    max_session_duration: Some(14_400),
                    tags: map(&[("team", "payments")]),
                    default_tags: map(&[("env", "prod")]),
                    ..people()
                },
            },
            Case {
                file: "people-groups-only.json",
                partition: "aws",
                input: TeamAccessInput {
                    access_level: None,
                    kubernetes_groups: set(&["payments-devs", "payments-oncall"]),
                    ..people()
                },
            },
            Case {
                file: "ci-github-exact-subjects.json",
                partition: "aws",
                input: TeamAccessInput {
                    namespaces: Some(set(&["payments"])),
                    ..ci(
                        GITHUB,
                        &[
                            "repo:my-org/payments:environment:prod",
                            "repo:my-org/payments:ref:refs/heads/main",
                        ],
                        false,
                    )
                },
            },
            Case {
                file: "ci-github-wildcard-subjects.json",
                partition: "aws",
                input: ci(
                    GITHUB,
                    &[
                        "repo:my-org/payments:*",
                        "repo:my-org/ledger:ref:refs/heads/main",
                    ],
                    true,
                ),
            },
            Case {
                file: "ci-gitlab-exact-subjects.json",
                partition: "aws",
                input: TeamAccessInput {
                    ci_oidc: Some(CiOidc {
                        provider_arn: GITLAB.into(),
                        audience: "https://gitlab.com".into(),
                        subjects: set(&["project_path:my-group/payments:ref_type:branch:ref:main"]),
                        allow_subject_wildcards: false,
                    }),
                    ..ci(GITLAB, &[], false)
                },
            },
            Case {
                file: "people-mfa-admin-aws-cn.json",
                partition: "aws-cn",
                input: cn_people,
            },
        ]
    }

    #[test]
    fn golden_blueprints() {
        let mut files = BTreeSet::new();
        for case in cases() {
            let name = case.file;
            let account = account_in(case.partition);
            assert_eq!(validate(&case.input), vec![], "{name}");
            let bp = blueprint(&case.input, &account).unwrap_or_else(|e| panic!("{name}: {e:#?}"));

            // Every generated trust policy passes the SECURITY.md §3 rules; StringLike
            // only where the case opted in.
            let wildcards = case
                .input
                .ci_oidc
                .as_ref()
                .is_some_and(|c| c.allow_subject_wildcards);
            let strict = check_trust_policy(&bp.role.trust_policy, &TrustRuleOptions::default());
            if wildcards && bp.role.trust_policy.contains("StringLike") {
                assert!(
                    !strict.is_empty(),
                    "{name}: the strict rules must notice StringLike"
                );
                let opted = TrustRuleOptions {
                    allow_string_like_oidc: true,
                    ..TrustRuleOptions::default()
                };
                assert_eq!(
                    check_trust_policy(&bp.role.trust_policy, &opted),
                    Vec::<String>::new(),
                    "{name}"
                );
            } else {
                assert_eq!(strict, Vec::<String>::new(), "{name}");
            }
            for (policy, doc) in &bp.role.inline_policies {
                assert_eq!(
                    validate_policy_shape(&parsed(doc), PolicyKind::Identity),
                    Vec::<String>::new(),
                    "{name} {policy}"
                );
            }
            assert!(bp
                .role
                .arn
                .starts_with(&format!("arn:{}:iam::{ACCOUNT_ID}:role/", case.partition)));
            for association in &bp.access_entry.policy_associations {
                assert!(association.policy_arn.starts_with(&format!(
                    "arn:{}:eks::aws:cluster-access-policy/",
                    case.partition
                )));
            }

            let mut doc = render_access(&bp);
            doc["kubeconfig_command"] = kubeconfig_command(&bp, &account.region).into();
            let rendered = pretty(&doc);
            golden::check(&format!("team_access/{name}"), &rendered);

            // The golden file read back equals the blueprint exactly after minifying.
            let golden_doc: Value = serde_json::from_str(&rendered).unwrap();
            let golden_trust = golden_doc["trust_policy"].to_string();
            assert!(
                policies_equivalent(&golden_trust, &bp.role.trust_policy),
                "{name}"
            );
            assert_eq!(
                canonical_json(&golden_trust).unwrap(),
                bp.role.trust_policy,
                "{name}"
            );
            files.insert(name.to_owned());
        }
        assert_eq!(files.len(), 9);
        golden::check_no_stale("team_access", &files);
    }
}
