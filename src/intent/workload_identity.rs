//! `eksrole_workload_identity`: a pod's AWS identity. Input: cluster,
//! namespace, service account, mechanism (EKS Pod Identity or IRSA) and the
//! role's permissions; output: the IAM role exactly as it must exist (trust
//! policy admitting exactly that service account, policies, tags), plus the
//! Pod Identity association or, for IRSA, the service-account annotation.
//!
//! [`validate`] is the static check (every problem, each on its attribute);
//! [`blueprint`] takes the validated input and the facts ([`Env`]), checks
//! what depends on them and builds the objects. Pure: no I/O; the caller
//! resolves the account (STS), the trust quota and, for IRSA without
//! `oidc_provider_arn`, the cluster's OIDC provider ARN
//! ([`oidc_provider_arn_for_issuer`]). The rules live in `checks`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::cluster_access::cluster_arn;
use super::names::{self, parse_oidc_provider_arn};
use super::policy_json::{canonical_json_value, parse_policy};
use super::role::{self, role_input};
use super::tags::Owner;
use super::trust_policy_rules::{finish_trust_checks, TrustRuleOptions};
use super::{
    has_errors, internal, Account, Env, IntentError, PodIdentityAssociationBlueprint,
    RoleBlueprint, Validated,
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
/// Sid of the (first) statement of [`target_role_trust_policy`].
pub const TARGET_TRUST_SID: &str = "EksPodIdentityChain";
/// Sid of the `sts:TagSession` statement of [`target_role_trust_policy`]
/// without session tags.
pub const TARGET_TAG_SESSION_SID: &str = "EksPodIdentityChainTags";
/// The longest session policy EKS accepts, in characters (as STS for
/// `AssumeRole`'s `Policy`; docs/design/aws-facts.md).
pub const SESSION_POLICY_MAX_CHARS: usize = 2048;

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// IRSA: the OIDC provider set in the configuration; without it the
    /// caller looks up the cluster's and passes it to [`blueprint`].
    pub oidc_provider_arn: Option<String>,
    /// IRSA; default [`DEFAULT_AUDIENCE`].
    pub audience: Option<String>,
    pub target_role_arn: Option<String>,
    /// Pod Identity: the association's `disableSessionTags`. The trust then
    /// cannot pin the cluster, namespace and service account (see
    /// [`pod_identity_trust_policy_without_session_tags`]).
    pub disable_session_tags: bool,
    /// Pod Identity: the association's session policy (`policy`), which AWS
    /// accepts only with session tags disabled.
    pub session_policy: Option<String>,
    pub tags: BTreeMap<String, String>,
}

role_input!(
    WorkloadIdentityInput,
    |input| Owner::WorkloadIdentity {
        cluster: &input.cluster_name,
        namespace: &input.namespace,
        service_account: &input.service_account,
    },
    |input| input.description.as_deref()
);

impl WorkloadIdentityInput {
    /// An input with every optional attribute unset.
    pub fn new(
        cluster_name: impl Into<String>,
        namespace: impl Into<String>,
        service_account: impl Into<String>,
    ) -> Self {
        WorkloadIdentityInput {
            cluster_name: cluster_name.into(),
            namespace: namespace.into(),
            service_account: service_account.into(),
            ..WorkloadIdentityInput::default()
        }
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
    /// IRSA: the OIDC provider the role trusts (configured or looked up).
    pub oidc_provider_arn: Option<String>,
    /// The cluster's ARN (the target role's trust names it).
    pub cluster_arn: String,
}

impl WorkloadIdentityBlueprint {
    /// Pod Identity with a target role: the trust policy the target role
    /// needs ([`target_role_trust_policy`]), given the association's
    /// external ID once EKS has assigned one. `None` for IRSA, without a
    /// target role, and while the shape needs an external ID not known yet.
    pub fn target_role_trust_policy(&self, external_id: Option<&str>) -> Option<String> {
        let a = self.association.as_ref()?;
        a.target_role_arn.as_ref()?;
        target_role_trust_policy(&TargetTrustFor {
            pod_role_arn: &a.role_arn,
            cluster_arn: &self.cluster_arn,
            namespace: &a.namespace,
            service_account: &a.service_account,
            disable_session_tags: a.disable_session_tags,
            external_id,
        })
    }
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

/// The Pod Identity trust policy (canonical minified JSON). The cluster is
/// pinned by its ARN (`eks-cluster-arn` session tag), not its name: a cluster
/// of the same name in another region of the account has another ARN.
pub fn pod_identity_trust_policy(
    account_id: &str,
    cluster_arn: &str,
    namespace: &str,
    service_account: &str,
) -> String {
    pod_identity_trust(json!({
        "aws:SourceAccount": account_id,
        "aws:RequestTag/eks-cluster-arn": cluster_arn,
        "aws:RequestTag/kubernetes-namespace": namespace,
        "aws:RequestTag/kubernetes-service-account": service_account,
    }))
}

/// The Pod Identity trust policy of an association with session tags
/// disabled (canonical minified JSON). EKS then sends no `aws:RequestTag/*`
/// keys, so the cluster, namespace and service account cannot be checked;
/// what is left is the service principal and the account the request comes
/// from (`aws:SourceAccount`). `aws:SourceArn` is not used: it broke real
/// Pod Identity clients (docs/design/aws-facts.md, "EKS Pod Identity").
pub fn pod_identity_trust_policy_without_session_tags(account_id: &str) -> String {
    pod_identity_trust(json!({"aws:SourceAccount": account_id}))
}

/// The one Pod Identity trust statement, with these `StringEquals` conditions.
fn pod_identity_trust(string_equals: serde_json::Value) -> String {
    canonical_json_value(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": POD_IDENTITY_SID,
            "Effect": "Allow",
            "Principal": {"Service": POD_IDENTITY_SERVICE_PRINCIPAL},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": string_equals},
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

mod checks;
mod target_trust;

pub use target_trust::{target_role_trust_policy, trust_admits_role, TargetTrustFor};

use checks::{
    check_env, check_mechanism_attributes, check_names, check_permissions, check_session,
};

/// Static checks of every attribute; all problems are reported, each with the
/// attribute path, a summary and a detail that says how to fix it. Needs no
/// facts: what depends on them is checked by [`blueprint`].
pub fn validate(
    input: WorkloadIdentityInput,
) -> Result<Validated<WorkloadIdentityInput>, Vec<IntentError>> {
    let mut problems = Vec::new();
    check_names(&input, &mut problems);
    input.role_settings().validate(&mut problems);
    check_permissions(&input, &mut problems);
    check_mechanism_attributes(&input, &mut problems);
    check_session(&input, &mut problems);
    Validated::check(input, problems)
}

/// The trust policy: Pod Identity's for the cluster in `account`, or IRSA's
/// for `provider_arn` (`None` when it does not parse).
fn trust_policy(
    input: &WorkloadIdentityInput,
    account: &Account,
    provider_arn: Option<&str>,
) -> Option<String> {
    match input.mechanism {
        Mechanism::PodIdentity if input.disable_session_tags => Some(
            pod_identity_trust_policy_without_session_tags(&account.account_id),
        ),
        Mechanism::PodIdentity => Some(pod_identity_trust_policy(
            &account.account_id,
            &cluster_arn(account, &input.cluster_name),
            &input.namespace,
            &input.service_account,
        )),
        Mechanism::Irsa => {
            let arn = provider_arn?;
            let provider = parse_oidc_provider_arn(arn).ok()?;
            Some(irsa_trust_policy(
                arn,
                &provider.issuer_host_path,
                &input.namespace,
                &input.service_account,
                &input.effective_audience(),
            ))
        }
    }
}

/// Builds the objects the intent must create from a validated input and the
/// facts in `env`; `oidc_provider_arn` is the cluster's OIDC provider the
/// caller looked up (used for IRSA when the input sets none). Checks only
/// what depends on those facts; on any error returns every problem found.
pub fn blueprint(
    input: &Validated<WorkloadIdentityInput>,
    env: &Env,
    oidc_provider_arn: Option<&str>,
) -> Result<WorkloadIdentityBlueprint, Vec<IntentError>> {
    let account = &env.account;
    let provider_arn = match input.mechanism {
        Mechanism::Irsa => input.oidc_provider_arn.as_deref().or(oidc_provider_arn),
        Mechanism::PodIdentity => None,
    };
    let mut problems = Vec::new();
    check_env(input, env, provider_arn, &mut problems);
    let Some(trust_policy) = trust_policy(input, account, provider_arn) else {
        return Err(if has_errors(&problems) {
            problems
        } else {
            vec![internal("no trust policy for a checked input")]
        });
    };
    finish_trust_checks(
        problems,
        &trust_policy,
        env,
        (
            &[],
            "Shorten the cluster, namespace or service account names.",
        ),
        TrustRuleOptions::default(),
        None,
    )?;

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
        env,
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
                disable_session_tags: input.disable_session_tags,
                session_policy: match &input.session_policy {
                    Some(doc) => Some(canonical_json_value(
                        &parse_policy(doc).map_err(|e| vec![internal(&e)])?,
                    )),
                    None => None,
                },
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
        oidc_provider_arn: provider_arn.map(str::to_owned),
        cluster_arn: cluster_arn(account, &input.cluster_name),
    })
}

#[cfg(test)]
mod tests;
