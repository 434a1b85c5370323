//! The rules of a workload identity: the static checks of its attributes
//! (names, permissions, the mechanism's attributes) and the checks of the
//! facts its blueprint is built on (account, OIDC provider, default tags).
//! Each problem is reported on its attribute with a detail saying how to fix it.

use super::super::names::{
    self, parse_managed_policy_arn, parse_oidc_provider_arn, parse_role_arn,
};
use super::super::policy_json::{
    canonical_json_value, non_whitespace_len, parse_policy, validate_policy_shape, PolicyKind,
    INLINE_POLICIES_PER_ROLE_SIZE,
};
use super::super::role::check_policy_against_account;
use super::super::{check_account, Env, IntentError};
use super::{
    assume_target_policy, Mechanism, WorkloadIdentityInput, ASSUME_TARGET_POLICY_NAME,
    DEFAULT_AUDIENCE, DEFAULT_MANAGED_POLICIES_PER_ROLE, SESSION_POLICY_MAX_CHARS,
};

pub(super) fn check_names(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) {
    let checks = [
        (
            "cluster_name",
            names::validate_cluster_name(&input.cluster_name),
            "Invalid cluster name",
            "Use the EKS cluster's name as `aws eks list-clusters` shows it.",
        ),
        (
            "namespace",
            names::validate_namespace(&input.namespace),
            "Invalid namespace",
            "Use the Kubernetes namespace the workload's pods run in.",
        ),
        (
            "service_account",
            names::validate_service_account(&input.service_account),
            "Invalid service account name",
            "Use the name of the Kubernetes service account the pods run as.",
        ),
    ];
    let mut names_ok = true;
    for (attribute, result, summary, fix) in checks {
        if let Err(e) = result {
            names_ok = false;
            problems.push(IntentError::error(
                &[attribute],
                summary,
                format!("{e}. {fix}"),
            ));
        }
    }
    // The three names become ownership tags: IAM's tag value rules too.
    if names_ok {
        problems.extend(input.role_settings().owner.tag_value_problems());
    }
}

pub(super) fn check_permissions(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) {
    for arn in &input.policy_arns {
        if let Err(e) = parse_managed_policy_arn(arn) {
            problems.push(IntentError::error(
                &["policy_arns", arn],
                "Invalid managed policy ARN",
                format!("{e}. Use the ARN of an AWS or customer managed policy."),
            ));
        }
    }
    if input.policy_arns.len() > DEFAULT_MANAGED_POLICIES_PER_ROLE {
        problems.push(IntentError::warning(
            &["policy_arns"],
            "More managed policies than IAM allows by default",
            format!(
                "{} managed policies are listed; IAM attaches at most {DEFAULT_MANAGED_POLICIES_PER_ROLE} per role unless the account's quota (\"Managed policies per role\", AttachedPoliciesPerRoleQuota) was raised. Raise the quota through Service Quotas, or merge policies.",
                input.policy_arns.len()
            ),
        ));
    }
    let mut total_size = 0;
    for (name, document) in &input.inline_policies {
        let path = ["inline_policies", name.as_str()];
        if let Err(e) = names::validate_policy_name(name) {
            problems.push(IntentError::error(
                &path,
                "Invalid inline policy name",
                format!("{e}. Rename the policy."),
            ));
        }
        if name.eq_ignore_ascii_case(ASSUME_TARGET_POLICY_NAME) {
            problems.push(IntentError::error(
                &path,
                "Reserved inline policy name",
                format!(
                    "The provider uses the inline policy {ASSUME_TARGET_POLICY_NAME:?} to let the role assume target_role_arn. Rename this policy."
                ),
            ));
        }
        if let Some(doc) = identity_policy(&path, document, "Invalid policy document", problems) {
            total_size += non_whitespace_len(&canonical_json_value(&doc));
        }
    }
    if let Some(target) = input
        .target_role_arn
        .as_deref()
        .filter(|t| parse_role_arn(t).is_ok())
    {
        total_size += non_whitespace_len(&assume_target_policy(input.mechanism, target));
    }
    if total_size > INLINE_POLICIES_PER_ROLE_SIZE {
        problems.push(IntentError::error(
            &["inline_policies"],
            "Inline policies too large",
            format!(
                "The role's inline policies total {total_size} characters (whitespace not counted, including the provider's {ASSUME_TARGET_POLICY_NAME:?} when target_role_arn is set); IAM allows {INLINE_POLICIES_PER_ROLE_SIZE} per role. Move statements into customer managed policies and list them in policy_arns."
            ),
        ));
    }
    if let Some(target) = &input.target_role_arn {
        if let Err(e) = parse_role_arn(target) {
            problems.push(IntentError::error(
                &["target_role_arn"],
                "Invalid target role ARN",
                format!("{e}. Use the ARN of the role the workload should end up with, e.g. arn:aws:iam::210987654321:role/data-reader."),
            ));
        }
    }
}

pub(super) fn check_mechanism_attributes(
    input: &WorkloadIdentityInput,
    problems: &mut Vec<IntentError>,
) {
    match input.mechanism {
        Mechanism::Irsa => {
            if let Some(arn) = &input.oidc_provider_arn {
                if let Err(e) = parse_oidc_provider_arn(arn) {
                    problems.push(IntentError::error(
                        &["oidc_provider_arn"],
                        "Invalid OIDC provider ARN",
                        format!("{e}. Use the ARN of the IAM OIDC provider registered for the cluster's issuer, or remove the attribute to look it up from the cluster."),
                    ));
                }
            }
            if let Some(audience) = &input.audience {
                if audience.trim().is_empty() {
                    problems.push(IntentError::error(
                        &["audience"],
                        "Empty audience",
                        format!("The audience must match the service account token's `aud` claim. Remove the attribute to use {DEFAULT_AUDIENCE:?}."),
                    ));
                } else if audience.contains('*') || audience.chars().any(char::is_whitespace) {
                    problems.push(IntentError::error(
                        &["audience"],
                        "Invalid audience",
                        format!("{audience:?} holds a wildcard or whitespace; the audience is matched exactly. Use the token's exact `aud`, usually {DEFAULT_AUDIENCE:?}."),
                    ));
                }
            }
        }
        Mechanism::PodIdentity => {
            for (attribute, set) in [
                ("oidc_provider_arn", input.oidc_provider_arn.is_some()),
                ("audience", input.audience.is_some()),
            ] {
                if set {
                    problems.push(IntentError::warning(
                        &[attribute],
                        "Attribute ignored",
                        format!("{attribute} applies only to mechanism = \"irsa\"; EKS Pod Identity does not use it. Remove it, or set mechanism = \"irsa\"."),
                    ));
                }
            }
        }
    }
}

/// A policy document that must parse and be an IAM identity policy: the
/// parsed document, or `None` with the problem (`summary`) on `path`. The
/// document still counts towards size limits when only its shape is wrong.
fn identity_policy(
    path: &[&str],
    document: &str,
    summary: &str,
    problems: &mut Vec<IntentError>,
) -> Option<serde_json::Value> {
    let doc = match parse_policy(document) {
        Ok(doc) => doc,
        Err(e) => {
            problems.push(IntentError::error(
                path,
                summary,
                format!("{e}. Write the document with jsonencode({{...}}) or the aws_iam_policy_document data source."),
            ));
            return None;
        }
    };
    let shape = validate_policy_shape(&doc, PolicyKind::Identity);
    if !shape.is_empty() {
        problems.push(IntentError::error(
            path,
            summary,
            format!(
                "The document is not a valid IAM identity policy: {}.",
                shape.join("; ")
            ),
        ));
    }
    Some(doc)
}

/// Pod Identity's session settings: `session_policy` is a valid identity
/// policy of at most [`SESSION_POLICY_MAX_CHARS`] characters (as sent:
/// canonical, minified) and needs `disable_session_tags = true` (AWS refuses
/// a session policy with session tags on); IRSA has neither.
pub(super) fn check_session(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) {
    if input.mechanism == Mechanism::Irsa {
        for (attribute, set) in [
            ("disable_session_tags", input.disable_session_tags),
            ("session_policy", input.session_policy.is_some()),
        ] {
            if set {
                problems.push(IntentError::error(
                    &[attribute],
                    "Attribute applies only to Pod Identity",
                    format!("{attribute} configures the EKS Pod Identity association; IRSA has none. Remove it, or use mechanism = \"pod_identity\"."),
                ));
            }
        }
        return;
    }
    let Some(document) = &input.session_policy else {
        return;
    };
    let path = ["session_policy"];
    if let Some(doc) = identity_policy(&path, document, "Invalid session policy", problems) {
        let size = canonical_json_value(&doc).chars().count();
        if size > SESSION_POLICY_MAX_CHARS {
            problems.push(IntentError::error(
                &path,
                "Session policy too large",
                format!("The session policy is {size} characters as sent (minified); EKS accepts at most {SESSION_POLICY_MAX_CHARS}. Move permissions into the role's policies and keep the session policy to what narrows them."),
            ));
        }
    }
    if !input.disable_session_tags {
        problems.push(IntentError::error(
            &path,
            "Session policy needs session tags disabled",
            "EKS accepts a session policy on a Pod Identity association only with session tags disabled. Set disable_session_tags = true \
             (the role's trust then checks the account only, not the cluster, namespace and service account), or remove session_policy.",
        ));
    }
}

/// The checks of the facts: the account, the OIDC provider of IRSA
/// (`provider_arn`, configured or looked up) and the default tags.
pub(super) fn check_env(
    input: &WorkloadIdentityInput,
    env: &Env,
    provider_arn: Option<&str>,
    problems: &mut Vec<IntentError>,
) {
    let account = &env.account;
    problems.extend(check_account(account));
    if input.mechanism == Mechanism::Irsa {
        match provider_arn.map(parse_oidc_provider_arn) {
            None => problems.push(IntentError::error(
                &["oidc_provider_arn"],
                "OIDC provider not found",
                format!(
                    "IRSA needs the IAM OIDC provider of cluster {:?}'s issuer, and it could not be found. Register the cluster's OIDC issuer with IAM (e.g. `eksctl utils associate-iam-oidc-provider --cluster {} --approve`), or set oidc_provider_arn explicitly.",
                    input.cluster_name, input.cluster_name
                ),
            )),
            Some(Ok(provider)) if provider.account_id != account.account_id || provider.partition != account.partition => {
                problems.push(IntentError::error(
                    &["oidc_provider_arn"],
                    "OIDC provider in another account",
                    format!(
                        "The OIDC provider is in {}:{} but the role is created in {}:{}; a role can only trust an OIDC provider registered in its own account. Register the cluster's issuer in account {} and use that provider's ARN.",
                        provider.partition, provider.account_id, account.partition, account.account_id, account.account_id
                    ),
                ));
            }
            Some(Err(e)) => problems.push(IntentError::error(
                &["oidc_provider_arn"],
                "Invalid OIDC provider ARN",
                format!("{e}. The cluster's issuer does not give a usable OIDC provider ARN; set oidc_provider_arn explicitly."),
            )),
            Some(Ok(_)) => {}
        }
    }
    for arn in &input.policy_arns {
        check_policy_against_account(
            &["policy_arns", arn],
            arn,
            account,
            "IAM attaches only AWS managed policies or customer managed policies",
            " Create the policy in this account.",
            problems,
        );
    }
    let settings = input.role_settings();
    settings.check_default_tags(&env.default_tags, problems);
    settings.check_against_account(account, problems);
    if let Some(target) = &input.target_role_arn {
        if let Ok(parsed) = parse_role_arn(target) {
            let own_arn = settings.role_arn(account);
            let same_role = parsed.account_id == account.account_id
                && parsed
                    .name
                    .eq_ignore_ascii_case(&settings.effective_role_name());
            if same_role || target.eq_ignore_ascii_case(&own_arn) {
                problems.push(IntentError::error(
                    &["target_role_arn"],
                    "Target role is this role",
                    format!("target_role_arn {target:?} names the role this resource creates; a role cannot be its own target. Use a different role, or remove target_role_arn."),
                ));
            }
            if parsed.partition != account.partition {
                problems.push(IntentError::error(
                    &["target_role_arn"],
                    "Target role in another partition",
                    format!(
                        "{target:?} is in partition {:?} but the workload's role is in {:?}; roles cannot be assumed across partitions.",
                        parsed.partition, account.partition
                    ),
                ));
            }
        }
    }
}
