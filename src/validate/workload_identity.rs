//! The live checks of `eksrole_workload_identity`: the cluster, the managed
//! policies and the permissions boundary, what the mechanism needs (the Pod
//! Identity Agent add-on, or for IRSA the IAM OIDC provider and its
//! audience, and that an explicit `oidc_provider_arn` is the cluster's own),
//! that a new role's name is free, and that the service account's Pod
//! Identity association is not another owner's (`association.rs`), and
//! that a `target_role_arn` in this account trusts the role. Also the
//! apply-time
//! look-up of the OIDC provider an IRSA role trusts when the configuration
//! leaves it out.

use crate::aws::eks::ObservedCluster;
use crate::aws::iam::ObservedPrincipal;
use crate::aws::AwsClients;
use crate::intent::names::parse_role_arn;
use crate::intent::role::import_command;
use crate::intent::tags::owned_by;
use crate::intent::workload_identity::{
    oidc_provider_arn_for_issuer, trust_admits_role, Mechanism, WorkloadIdentityInput,
};
use crate::intent::Account;

use super::association::{irsa_association_check, pod_identity_association_check};
use super::cluster::existing_cluster;
use super::live::Lookups;
use super::replaced::{role_taken_detail, same_name_replacement, PriorObjects};
use super::{aws_problem, Problem};

/// The EKS add-on that hands Pod Identity credentials to pods.
const POD_IDENTITY_AGENT: &str = "eks-pod-identity-agent";

/// What the live checks of a plan found: the problems, each on its
/// attribute, and the facts the blueprint is built on.
#[derive(Debug, Default)]
pub struct LiveChecked {
    pub problems: Vec<Problem>,
    pub facts: Facts,
}

/// Facts about the account and cluster that the blueprint needs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The account's trust policy quota, when it could be read.
    pub trust_policy_quota: Option<usize>,
    /// IRSA without `oidc_provider_arn`: the OIDC provider of the cluster's issuer.
    pub oidc_provider_arn: Option<String>,
}

/// The live checks of a plan. `creating`: a new object is planned (create
/// or replace), so the role name must be free, already this intent's, or
/// the role of `replaces` (the objects this resource's prior state names).
pub async fn live_checks(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    account: &Account,
    creating: bool,
    replaces: Option<&PriorObjects>,
) -> LiveChecked {
    let cluster = match existing_cluster(lookups, c, &input.cluster_name, account).await {
        Ok(cluster) => cluster,
        Err(problem) => {
            return LiveChecked {
                problems: vec![problem],
                facts: Facts::default(),
            }
        }
    };
    // What the mechanism needs on the cluster and in IAM.
    let mechanism = async {
        match input.mechanism {
            Mechanism::PodIdentity => {
                let association = async {
                    match creating {
                        true => pod_identity_association_check(lookups, c, input, replaces).await,
                        false => vec![],
                    }
                };
                let (mut problems, association) =
                    tokio::join!(pod_identity_agent_check(lookups, c, input), association);
                problems.extend(association);
                problems
            }
            Mechanism::Irsa => {
                let (mut problems, association) = tokio::join!(
                    irsa_checks(lookups, c, input, &cluster, account),
                    irsa_association_check(lookups, c, input, replaces),
                );
                problems.extend(association);
                problems
            }
        }
    };
    let (mut problems, quota, mechanism, role, target) = tokio::join!(
        policy_checks(lookups, c, input),
        lookups.trust_policy_quota(c),
        mechanism,
        role_name_check(lookups, c, input, creating, replaces),
        target_role_check(lookups, c, input, account),
    );
    problems.extend(mechanism);
    problems.extend(role);
    problems.extend(target);
    let oidc_provider_arn = match (input.mechanism, &input.oidc_provider_arn) {
        (Mechanism::Irsa, None) => cluster
            .oidc_issuer
            .as_deref()
            .and_then(|i| oidc_provider_arn_for_issuer(i, account).ok()),
        _ => None,
    };
    LiveChecked {
        problems,
        facts: Facts {
            trust_policy_quota: quota.ok(),
            oidc_provider_arn,
        },
    }
}

/// The facts an apply builds the blueprint on: for IRSA without
/// `oidc_provider_arn`, the OIDC provider of the cluster's issuer (a failed
/// look-up stops the apply); the trust policy quota when it can be read.
pub async fn apply_facts(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    account: &Account,
) -> Result<Facts, Problem> {
    let oidc_provider_arn = match (input.mechanism, &input.oidc_provider_arn) {
        (Mechanism::Irsa, None) => {
            resolve_oidc_provider_arn(lookups, c, &input.cluster_name, account).await?
        }
        _ => None,
    };
    Ok(Facts {
        trust_policy_quota: lookups.trust_policy_quota(c).await.ok(),
        oidc_provider_arn,
    })
}

/// At apply, for IRSA without `oidc_provider_arn`: the OIDC provider ARN of
/// the cluster's issuer (`None` when the cluster reports no issuer).
pub async fn resolve_oidc_provider_arn(
    lookups: &Lookups,
    c: &AwsClients,
    cluster: &str,
    account: &Account,
) -> Result<Option<String>, Problem> {
    let found = lookups
        .cluster(c, cluster)
        .await
        .map_err(|e| aws_problem(&["cluster_name"], "Could not look up the EKS cluster", &e))?;
    let Some(issuer) = found.and_then(|c| c.oidc_issuer) else {
        return Ok(None);
    };
    oidc_provider_arn_for_issuer(&issuer, account)
        .map(Some)
        .map_err(|e| Problem::error(&["cluster_name"], "Unexpected cluster issuer", e))
}

/// Every managed policy and the permissions boundary must exist.
async fn policy_checks(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
) -> Vec<Problem> {
    let found = futures_util::future::join_all(
        input
            .policy_arns
            .iter()
            .chain(input.permissions_boundary.iter())
            .map(|arn| async move { (arn, lookups.policy_exists(c, arn).await) }),
    )
    .await;
    let mut problems = Vec::new();
    for (arn, exists) in found {
        let path = if Some(arn) == input.permissions_boundary.as_ref() {
            "permissions_boundary"
        } else {
            "policy_arns"
        };
        match exists {
            Ok(true) => {}
            Ok(false) => problems.push(Problem::error(
                &[path],
                "Managed policy not found",
                format!("The managed policy {arn} does not exist. Check the ARN (and its account and path)."),
            )),
            Err(e) => problems.push(warning(aws_problem(&[path], "Could not look up a managed policy", &e))),
        }
    }
    problems
}

/// Pod Identity: without the agent add-on pods get no credentials (a warning:
/// the add-on may be installed later).
async fn pod_identity_agent_check(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
) -> Vec<Problem> {
    match lookups.addon(c, &input.cluster_name, POD_IDENTITY_AGENT).await {
        Ok(Some(_)) => vec![],
        Ok(None) => vec![Problem::warning(
            &["mechanism"],
            "EKS Pod Identity Agent not installed",
            format!(
                "Cluster {:?} has no `{POD_IDENTITY_AGENT}` add-on, so pods will not receive these credentials. \
                 Install the add-on (aws eks create-addon --cluster-name {} --addon-name {POD_IDENTITY_AGENT}), \
                 or use `mechanism = \"irsa\"`.",
                input.cluster_name, input.cluster_name
            ),
        )],
        Err(e) => vec![warning(aws_problem(
            &["mechanism"],
            "Could not look up the cluster's add-ons",
            &e,
        ))],
    }
}

/// IRSA: the OIDC provider (configured, or the cluster issuer's) must be
/// registered in IAM and list the audience.
async fn irsa_checks(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    cluster: &ObservedCluster,
    account: &Account,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let (arn, path) = match &input.oidc_provider_arn {
        Some(arn) => {
            if let Some(problem) = issuer_mismatch(arn, cluster, account, &input.cluster_name) {
                return vec![problem];
            }
            (arn.clone(), "oidc_provider_arn")
        }
        None => match cluster
            .oidc_issuer
            .as_deref()
            .map(|i| oidc_provider_arn_for_issuer(i, account))
        {
            Some(Ok(arn)) => (arn, "mechanism"),
            Some(Err(e)) => {
                return vec![Problem::error(&["cluster_name"], "Unexpected cluster issuer", e)]
            }
            None => {
                return vec![Problem::error(
                    &["mechanism"],
                    "Cluster has no OIDC issuer",
                    format!("Cluster {:?} reports no OIDC issuer, which IRSA needs. Use `mechanism = \"pod_identity\"`, or set `oidc_provider_arn`.", input.cluster_name),
                )]
            }
        },
    };
    match lookups.oidc_provider(c, &arn).await {
        Ok(Some(p)) => {
            let audience = input.effective_audience();
            if !p.client_ids.contains(&audience) {
                problems.push(Problem::error(
                    &["audience"],
                    "Audience not registered",
                    format!(
                        "The OIDC provider {arn} does not list {audience:?} as a client ID (audience), so tokens would be refused. \
                         Add it to the provider's client IDs (aws iam add-client-id-to-open-id-connect-provider), or change `audience`."
                    ),
                ));
            }
        }
        Ok(None) => problems.push(Problem::error(
            &[path],
            "Cluster's OIDC issuer is not registered in IAM",
            format!(
                "IRSA needs the IAM OIDC provider {arn}, which does not exist in account {}. Register the cluster's issuer \
                 (eksctl utils associate-iam-oidc-provider --cluster {} --approve, or an aws_iam_openid_connect_provider resource), \
                 or use `mechanism = \"pod_identity\"`.",
                account.account_id, input.cluster_name
            ),
        )),
        Err(e) => problems.push(aws_problem(&[path], "Could not look up the IAM OIDC provider", &e)),
    }
    problems
}

/// An explicit `oidc_provider_arn` must be the IAM OIDC provider of the
/// cluster's own issuer: the trust policy admits every token that provider
/// signs, so another cluster's provider (or a self-hosted issuer's) would let
/// that cluster's service accounts in and this cluster's pods not. `None`
/// when it matches, or when the cluster reports no issuer to compare with.
fn issuer_mismatch(
    arn: &str,
    cluster: &ObservedCluster,
    account: &Account,
    cluster_name: &str,
) -> Option<Problem> {
    let issuer = cluster.oidc_issuer.as_deref()?;
    let expected = oidc_provider_arn_for_issuer(issuer, account).ok()?;
    // IAM keeps the issuer without its scheme; a trailing `/` is the same issuer.
    let same = arn.trim_end_matches('/') == expected.trim_end_matches('/');
    (!same).then(|| {
        Problem::error(
            &["oidc_provider_arn"],
            "OIDC provider is not the cluster's",
            format!(
                "{arn} is not the IAM OIDC provider of cluster {cluster_name:?}, whose issuer is {issuer}; the role would trust the tokens \
                 of another issuer (another cluster's service accounts), and this cluster's pods could not assume it. Remove \
                 `oidc_provider_arn` to use the cluster's provider, or set it to {expected}."
            ),
        )
    })
}

/// A new role's name must be free, or name a role this intent created, or
/// this resource's own prior role (a replacement deletes it first).
async fn role_name_check(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    creating: bool,
    replaces: Option<&PriorObjects>,
) -> Vec<Problem> {
    if !creating {
        return vec![];
    }
    let name = input.effective_role_name();
    match lookups.existing_role(c, &name).await {
        Ok(Some(existing)) if replaces.is_some_and(|r| r.is_role(&existing)) => {
            vec![same_name_replacement(&name)]
        }
        Ok(Some(existing)) if !owned_by(&existing.tags, &input.owner()) => vec![Problem::error(
            &["role_name"],
            "Role name already taken",
            role_taken_detail(
                &name,
                &existing,
                "this service account",
                &import_command(&input.owner(), &name),
            ),
        )],
        Ok(_) => vec![],
        Err(e) => vec![warning(aws_problem(
            &["role_name"],
            "Could not look up the role name",
            &e,
        ))],
    }
}

/// A target role in this account whose trust policy cannot admit the role
/// this resource creates: pods would get no credentials (EKS, or the IRSA
/// pod's SDK, chains into it with the first role). A warning: the target's
/// owner may fix its trust after this apply; `target_role_trust_policy`
/// says what it needs. A role in another account cannot be read here.
async fn target_role_check(
    lookups: &Lookups,
    c: &AwsClients,
    input: &WorkloadIdentityInput,
    account: &Account,
) -> Vec<Problem> {
    let Some(target) = &input.target_role_arn else {
        return vec![];
    };
    match parse_role_arn(target) {
        Ok(t) if t.account_id == account.account_id && t.partition == account.partition => {}
        _ => return vec![],
    }
    let pod_role = input.role_settings().role_arn(account);
    let found = match lookups.principal(c, target).await {
        Ok(found) => found,
        Err(e) => {
            return vec![warning(aws_problem(
                &["target_role_arn"],
                "Could not look up the target role",
                &e,
            ))]
        }
    };
    match found {
        ObservedPrincipal::Role { trust_policy } if !trust_admits_role(&trust_policy, &pod_role) => {
            vec![Problem::warning(
                &["target_role_arn"],
                "Target role does not trust this role",
                format!(
                    "The trust policy of {target} has no statement allowing sts:AssumeRole to {pod_role} (or its account), so pods of {}/{} \
                     would get no credentials for it. Give the target role the trust policy in this resource's `target_role_trust_policy` \
                     attribute (or a statement naming {pod_role}).",
                    input.namespace, input.service_account
                ),
            )]
        }
        ObservedPrincipal::Missing | ObservedPrincipal::OtherPath(_) => vec![Problem::warning(
            &["target_role_arn"],
            "Target role not found",
            format!(
                "There is no role {target} in account {}; pods would get no credentials until it exists. Create it with the trust policy in \
                 `target_role_trust_policy`, or correct the ARN.",
                account.account_id
            ),
        )],
        _ => vec![],
    }
}

/// A failed look-up that does not stop the plan.
fn warning(problem: Problem) -> Problem {
    Problem {
        warning: true,
        ..problem
    }
}

#[cfg(test)]
mod tests;
