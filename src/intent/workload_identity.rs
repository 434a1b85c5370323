//! `eksrole_workload_identity`: a pod's AWS identity. Input: cluster,
//! namespace, service account, mechanism (EKS Pod Identity or IRSA) and the
//! role's permissions; output: the IAM role exactly as it must exist (trust
//! policy admitting exactly that service account, policies, tags), plus the
//! Pod Identity association or, for IRSA, the service-account annotation.
//!
//! [`validate`] is the static check (every problem, each on its attribute);
//! [`blueprint`] adds the checks that need the account and builds the objects.
//! Pure: no I/O; the caller resolves the account (STS) and, for IRSA, the
//! cluster's OIDC provider ARN ([`oidc_provider_arn_for_issuer`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::names::{
    self, parse_managed_policy_arn, parse_oidc_provider_arn, parse_role_arn, PolicyOwner,
};
use super::policy_json::{
    canonical_json_value, non_whitespace_len, parse_policy, validate_policy_shape, PolicyKind,
    INLINE_POLICIES_PER_ROLE_SIZE,
};
use super::role::{self, RoleSettings};
use super::tags::Owner;
use super::trust_policy_rules::{check_trust_policy, TrustRuleOptions};
use super::{
    check_account, has_errors, internal, Account, IntentError, PodIdentityAssociationBlueprint,
    RoleBlueprint,
};

/// The token audience IRSA uses unless told otherwise (the EKS Pod Identity
/// webhook's default, in every partition).
pub const DEFAULT_AUDIENCE: &str = super::STS_SERVICE;
/// Managed policies per role by default (raisable: AttachedPoliciesPerRoleQuota).
pub const DEFAULT_MANAGED_POLICIES_PER_ROLE: usize = 10;
/// The inline policy the provider adds to let the role assume `target_role_arn`.
/// The name is reserved whether or not a target is set.
pub const ASSUME_TARGET_POLICY_NAME: &str = "eksrole-assume-target";
/// The service principal of EKS Pod Identity.
pub const POD_IDENTITY_SERVICE_PRINCIPAL: &str = "pods.eks.amazonaws.com";
/// The annotation IRSA reads from the service account.
pub const ROLE_ARN_ANNOTATION: &str = "eks.amazonaws.com/role-arn";
/// Sid of the generated Pod Identity trust statement.
pub const POD_IDENTITY_SID: &str = "EksPodIdentity";
/// Sid of the generated IRSA trust statement.
pub const IRSA_SID: &str = "EksIrsa";
/// Sid of the statement in [`ASSUME_TARGET_POLICY_NAME`].
pub const ASSUME_TARGET_SID: &str = "AssumeTargetRole";

/// How pods get the role's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mechanism {
    /// EKS Pod Identity: an association; the Pod Identity agent hands out credentials.
    #[default]
    PodIdentity,
    /// IAM roles for service accounts: the cluster's OIDC provider and a
    /// service-account annotation.
    Irsa,
}

impl Mechanism {
    /// The attribute value: `pod_identity` or `irsa`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mechanism::PodIdentity => "pod_identity",
            Mechanism::Irsa => "irsa",
        }
    }

    /// Parses the attribute value.
    pub fn parse(s: &str) -> Result<Mechanism, String> {
        match s {
            "pod_identity" => Ok(Mechanism::PodIdentity),
            "irsa" => Ok(Mechanism::Irsa),
            _ => Err(format!(
                "{s:?} is not a mechanism; use \"pod_identity\" (EKS Pod Identity) or \"irsa\" (IAM roles for service accounts)"
            )),
        }
    }
}

/// The resource's configuration, after the caller filled provider-level values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadIdentityInput {
    pub cluster_name: String,
    pub namespace: String,
    pub service_account: String,
    pub mechanism: Mechanism,
    pub role_name: Option<String>,
    pub role_path: Option<String>,
    pub description: Option<String>,
    pub policy_arns: BTreeSet<String>,
    pub inline_policies: BTreeMap<String, String>,
    pub permissions_boundary: Option<String>,
    pub max_session_duration: Option<i64>,
    /// IRSA: explicit, or derived by the caller from the cluster issuer.
    pub oidc_provider_arn: Option<String>,
    /// IRSA; default [`DEFAULT_AUDIENCE`].
    pub audience: Option<String>,
    pub target_role_arn: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub default_tags: BTreeMap<String, String>,
    /// Default [`super::trust_policy_rules::DEFAULT_TRUST_POLICY_QUOTA`]
    /// (the caller may read the live quota).
    pub trust_policy_size_quota: usize,
}

impl WorkloadIdentityInput {
    /// An input with every optional attribute unset and the default quota.
    pub fn new(
        cluster_name: impl Into<String>,
        namespace: impl Into<String>,
        service_account: impl Into<String>,
    ) -> Self {
        WorkloadIdentityInput {
            cluster_name: cluster_name.into(),
            namespace: namespace.into(),
            service_account: service_account.into(),
            mechanism: Mechanism::default(),
            role_name: None,
            role_path: None,
            description: None,
            policy_arns: BTreeSet::new(),
            inline_policies: BTreeMap::new(),
            permissions_boundary: None,
            max_session_duration: None,
            oidc_provider_arn: None,
            audience: None,
            target_role_arn: None,
            tags: BTreeMap::new(),
            default_tags: BTreeMap::new(),
            trust_policy_size_quota: super::trust_policy_rules::DEFAULT_TRUST_POLICY_QUOTA,
        }
    }

    /// The intent instance its objects belong to.
    pub fn owner(&self) -> Owner<'_> {
        Owner::WorkloadIdentity {
            cluster: &self.cluster_name,
            namespace: &self.namespace,
            service_account: &self.service_account,
        }
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

    /// The role name: `role_name` or [`default_role_name`].
    pub fn effective_role_name(&self) -> String {
        self.role_settings().effective_role_name()
    }

    /// The role path: `role_path` or `/`.
    pub fn effective_role_path(&self) -> String {
        self.role_settings().effective_role_path()
    }

    /// `max_session_duration` or 3600.
    pub fn effective_max_session_duration(&self) -> i64 {
        self.role_settings().effective_max_session_duration()
    }

    /// The `id` attribute: `cluster/namespace/service_account`.
    pub fn import_id(&self) -> String {
        import_id(&self.cluster_name, &self.namespace, &self.service_account)
    }

    /// The IRSA audience: `audience` or [`DEFAULT_AUDIENCE`].
    pub fn effective_audience(&self) -> String {
        self.audience
            .clone()
            .unwrap_or_else(|| DEFAULT_AUDIENCE.to_owned())
    }
}

/// Everything the intent must create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadIdentityBlueprint {
    pub role: RoleBlueprint,
    /// Pod Identity only.
    pub association: Option<PodIdentityAssociationBlueprint>,
    /// IRSA: `{"eks.amazonaws.com/role-arn": role arn}`; Pod Identity: empty.
    pub service_account_annotations: BTreeMap<String, String>,
}

/// The deterministic default role name: `eks-<cluster>-<namespace>-<sa>`, or,
/// when that exceeds 64 characters, its first 55 characters + `-` + 8 hex
/// digits of the FNV-1a hash of the full (cluster, namespace, sa) tuple.
pub fn default_role_name(cluster: &str, namespace: &str, service_account: &str) -> String {
    role::default_role_name(&Owner::WorkloadIdentity {
        cluster,
        namespace,
        service_account,
    })
}

/// The import ID, and the `id` attribute: `cluster/namespace/service_account`.
pub fn import_id(cluster: &str, namespace: &str, service_account: &str) -> String {
    format!("{cluster}/{namespace}/{service_account}")
}

/// A parsed import ID: `cluster/namespace/service_account`, or
/// `cluster/namespace/service_account/role_name` for an IRSA role with a
/// custom name (a Pod Identity role is found through its association).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadImportId {
    pub cluster_name: String,
    pub namespace: String,
    pub service_account: String,
    pub role_name: Option<String>,
}

impl WorkloadImportId {
    /// The custom role name, or the default one.
    pub fn effective_role_name(&self) -> String {
        self.role_name.clone().unwrap_or_else(|| {
            default_role_name(&self.cluster_name, &self.namespace, &self.service_account)
        })
    }
}

/// Parses an import ID (see [`WorkloadImportId`]), checking each part.
pub fn parse_import_id(id: &str) -> Result<WorkloadImportId, String> {
    let parts: Vec<&str> = id.split('/').collect();
    let (cluster, namespace, service_account, role_name) = match parts.as_slice() {
        [c, n, s] => (*c, *n, *s, None),
        [c, n, s, r] => (*c, *n, *s, Some(*r)),
        _ => {
            return Err(format!(
                "{id:?} is not a workload identity ID. Use `cluster/namespace/service_account` (the role is found through the Pod Identity association, or has the default name), or `cluster/namespace/service_account/role_name` for an IRSA role with a custom name"
            ))
        }
    };
    names::validate_cluster_name(cluster)?;
    names::validate_namespace(namespace)?;
    names::validate_service_account(service_account)?;
    if let Some(role_name) = role_name {
        names::validate_role_name(role_name)?;
    }
    Ok(WorkloadImportId {
        cluster_name: cluster.to_owned(),
        namespace: namespace.to_owned(),
        service_account: service_account.to_owned(),
        role_name: role_name.map(str::to_owned),
    })
}

/// The IAM OIDC provider ARN for a cluster's issuer URL:
/// `https://oidc.eks.<r>.amazonaws.com/id/<ID>` ->
/// `arn:<p>:iam::<acct>:oidc-provider/oidc.eks.<r>.amazonaws.com/id/<ID>`.
pub fn oidc_provider_arn_for_issuer(issuer_url: &str, account: &Account) -> Result<String, String> {
    let Some(host_path) = issuer_url.strip_prefix("https://") else {
        return Err(format!(
            "{issuer_url:?} is not an OIDC issuer URL; expected https://oidc.eks.REGION.amazonaws.com/id/ID"
        ));
    };
    names::validate_issuer_host_path(host_path)
        .map_err(|e| format!("{issuer_url:?} is not an OIDC issuer URL: {e}"))?;
    names::validate_partition(&account.partition)?;
    names::validate_account_id(&account.account_id)?;
    Ok(format!(
        "arn:{}:iam::{}:oidc-provider/{host_path}",
        account.partition, account.account_id
    ))
}

/// The Pod Identity trust policy (canonical minified JSON).
pub fn pod_identity_trust_policy(
    account_id: &str,
    cluster: &str,
    namespace: &str,
    service_account: &str,
) -> String {
    canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": POD_IDENTITY_SID,
            "Effect": "Allow",
            "Principal": {"Service": POD_IDENTITY_SERVICE_PRINCIPAL},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {
                "aws:SourceAccount": account_id,
                "aws:RequestTag/eks-cluster-name": cluster,
                "aws:RequestTag/kubernetes-namespace": namespace,
                "aws:RequestTag/kubernetes-service-account": service_account,
            }},
        }],
    }))
}

/// The IRSA trust policy (canonical minified JSON). `issuer_host_path` is the
/// part of the OIDC provider ARN after `oidc-provider/`.
pub fn irsa_trust_policy(
    oidc_provider_arn: &str,
    issuer_host_path: &str,
    namespace: &str,
    service_account: &str,
    audience: &str,
) -> String {
    canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": IRSA_SID,
            "Effect": "Allow",
            "Principal": {"Federated": oidc_provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                format!("{issuer_host_path}:sub"): format!("system:serviceaccount:{namespace}:{service_account}"),
                format!("{issuer_host_path}:aud"): audience,
            }},
        }],
    }))
}

/// The inline policy that lets the role assume `target_role_arn` (canonical
/// minified JSON). Pod Identity chains with `sts:AssumeRole` + `sts:TagSession`
/// (EKS passes the session tags on); IRSA needs only `sts:AssumeRole`.
pub fn assume_target_policy(mechanism: Mechanism, target_role_arn: &str) -> String {
    let actions = match mechanism {
        Mechanism::PodIdentity => json!(["sts:AssumeRole", "sts:TagSession"]),
        Mechanism::Irsa => json!("sts:AssumeRole"),
    };
    canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": ASSUME_TARGET_SID,
            "Effect": "Allow",
            "Action": actions,
            "Resource": target_role_arn,
        }],
    }))
}

/// Static checks of every attribute; all problems are reported, each with the
/// attribute path, a summary and a detail that says how to fix it. Needs no
/// account: what depends on it is checked by [`blueprint`].
pub fn validate(input: &WorkloadIdentityInput) -> Vec<IntentError> {
    let mut problems = Vec::new();
    let names_ok = check_names(input, &mut problems);
    input.role_settings().validate(&mut problems);
    check_permissions(input, &mut problems);
    check_mechanism_attributes(input, &mut problems);
    if names_ok {
        check_trust_policy_size(input, &mut problems);
    }
    problems
}

fn check_names(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) -> bool {
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
    let mut ok = true;
    for (attribute, result, summary, fix) in checks {
        if let Err(e) = result {
            ok = false;
            problems.push(IntentError::error(
                &[attribute],
                summary,
                format!("{e}. {fix}"),
            ));
        }
    }
    ok
}

fn check_permissions(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) {
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
        match parse_policy(document) {
            Err(e) => problems.push(IntentError::error(
                &path,
                "Invalid policy document",
                format!("{e}. Write the document with jsonencode({{...}}) or the aws_iam_policy_document data source."),
            )),
            Ok(doc) => {
                let shape = validate_policy_shape(&doc, PolicyKind::Identity);
                if !shape.is_empty() {
                    problems.push(IntentError::error(
                        &path,
                        "Invalid policy document",
                        format!("The document is not a valid IAM identity policy: {}.", shape.join("; ")),
                    ));
                }
                total_size += non_whitespace_len(&canonical_json_value(&doc));
            }
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

fn check_mechanism_attributes(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) {
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

/// Checks the trust policy's size before the account is known: the account ID
/// is always 12 digits, and the IRSA provider ARN comes from the input.
fn check_trust_policy_size(input: &WorkloadIdentityInput, problems: &mut Vec<IntentError>) {
    let trust = match input.mechanism {
        Mechanism::PodIdentity => Some(pod_identity_trust_policy(
            "000000000000",
            &input.cluster_name,
            &input.namespace,
            &input.service_account,
        )),
        Mechanism::Irsa => input
            .oidc_provider_arn
            .as_deref()
            .and_then(|arn| parse_oidc_provider_arn(arn).ok().map(|p| (arn, p)))
            .map(|(arn, provider)| {
                irsa_trust_policy(
                    arn,
                    &provider.issuer_host_path,
                    &input.namespace,
                    &input.service_account,
                    &input.effective_audience(),
                )
            }),
    };
    let Some(trust) = trust else { return };
    let size = non_whitespace_len(&trust);
    if size > input.trust_policy_size_quota {
        problems.push(IntentError::error(
            &[],
            "Trust policy too large",
            format!(
                "The generated trust policy is {size} characters (whitespace not counted) and the account's \"Role trust policy length\" quota is {}. Shorten the cluster, namespace or service account names, or raise the quota (L-C07B4B0D) through Service Quotas.",
                input.trust_policy_size_quota
            ),
        ));
    }
}

/// The checks that need the account (and, for IRSA, the resolved OIDC provider).
fn check_against_account(
    input: &WorkloadIdentityInput,
    account: &Account,
    problems: &mut Vec<IntentError>,
) {
    problems.extend(check_account(account));
    if input.mechanism == Mechanism::Irsa {
        match input.oidc_provider_arn.as_deref().map(parse_oidc_provider_arn) {
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
            Some(_) => {}
        }
    }
    for arn in &input.policy_arns {
        let path = ["policy_arns", arn.as_str()];
        let Ok(policy) = parse_managed_policy_arn(arn) else {
            continue;
        };
        if policy.partition != account.partition {
            problems.push(IntentError::error(
                &path,
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
                    &path,
                    "Policy in another account",
                    format!(
                        "{arn:?} belongs to account {owner}; IAM attaches only AWS managed policies or customer managed policies of the role's own account ({}). Create the policy in this account.",
                        account.account_id
                    ),
                ));
            }
        }
    }
    input
        .role_settings()
        .check_against_account(account, problems);
    if let Some(target) = &input.target_role_arn {
        if let Ok(parsed) = parse_role_arn(target) {
            let own_arn = names::role_arn(
                &account.partition,
                &account.account_id,
                &input.effective_role_path(),
                &input.effective_role_name(),
            );
            let same_role = parsed.account_id == account.account_id
                && parsed
                    .name
                    .eq_ignore_ascii_case(&input.effective_role_name());
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

/// Builds the objects the intent must create. Runs [`validate`] and the
/// account-dependent checks first; on any error returns every problem found
/// (warnings included). Warnings alone do not stop it: the caller shows them
/// from [`validate`].
pub fn blueprint(
    input: &WorkloadIdentityInput,
    account: &Account,
) -> Result<WorkloadIdentityBlueprint, Vec<IntentError>> {
    let mut problems = validate(input);
    check_against_account(input, account, &mut problems);
    if has_errors(&problems) {
        return Err(problems);
    }

    let trust_policy = match input.mechanism {
        Mechanism::PodIdentity => pod_identity_trust_policy(
            &account.account_id,
            &input.cluster_name,
            &input.namespace,
            &input.service_account,
        ),
        Mechanism::Irsa => {
            // Checked above: present and well-formed.
            let provider_arn = input.oidc_provider_arn.as_deref().unwrap_or_default();
            let provider = parse_oidc_provider_arn(provider_arn).map_err(|e| vec![internal(&e)])?;
            irsa_trust_policy(
                provider_arn,
                &provider.issuer_host_path,
                &input.namespace,
                &input.service_account,
                &input.effective_audience(),
            )
        }
    };
    let violations = check_trust_policy(
        &trust_policy,
        &TrustRuleOptions {
            size_quota: input.trust_policy_size_quota,
            ..TrustRuleOptions::default()
        },
    );
    if !violations.is_empty() {
        return Err(vec![internal(&format!(
            "the generated trust policy breaks the safety rules: {}",
            violations.join("; ")
        ))]);
    }

    let mut inline_policies = BTreeMap::new();
    for (policy_name, document) in &input.inline_policies {
        let doc = parse_policy(document).map_err(|e| vec![internal(&e)])?;
        inline_policies.insert(policy_name.clone(), canonical_json_value(&doc));
    }
    if let Some(target) = &input.target_role_arn {
        inline_policies.insert(
            ASSUME_TARGET_POLICY_NAME.to_owned(),
            assume_target_policy(input.mechanism, target),
        );
    }

    let role = input.role_settings().role(
        account,
        trust_policy,
        input.policy_arns.clone(),
        inline_policies,
    );
    let arn = role.arn.clone();
    let tags = role.tags.clone();
    let (association, service_account_annotations) = match input.mechanism {
        Mechanism::PodIdentity => (
            Some(PodIdentityAssociationBlueprint {
                cluster_name: input.cluster_name.clone(),
                namespace: input.namespace.clone(),
                service_account: input.service_account.clone(),
                role_arn: arn,
                target_role_arn: input.target_role_arn.clone(),
                tags,
            }),
            BTreeMap::new(),
        ),
        Mechanism::Irsa => (
            None,
            BTreeMap::from([(ROLE_ARN_ANNOTATION.to_owned(), arn)]),
        ),
    };
    Ok(WorkloadIdentityBlueprint {
        role,
        association,
        service_account_annotations,
    })
}

#[cfg(test)]
mod tests;
