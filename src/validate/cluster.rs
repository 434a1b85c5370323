//! The plan-time look-up every intent starts with: the EKS cluster its
//! `cluster_name` names must exist in the provider's account and region.

use crate::aws::eks::ObservedCluster;
use crate::aws::AwsClients;
use crate::intent::Account;

use super::live::Lookups;
use super::{aws_problem, Problem};

/// The cluster `name` names, or the problem on `cluster_name` that says it
/// does not exist (or could not be looked up).
pub async fn existing_cluster(
    lookups: &Lookups,
    c: &AwsClients,
    name: &str,
    account: &Account,
) -> Result<ObservedCluster, Problem> {
    match lookups.cluster(c, name).await {
        Ok(Some(cluster)) => Ok(cluster),
        Ok(None) => Err(Problem::error(
            &["cluster_name"],
            "EKS cluster not found",
            format!(
                "No EKS cluster named {name:?} exists in {} of account {}. Check `cluster_name` and the provider's region. If the cluster was deleted, `terraform destroy` (or removing the resource) still deletes the IAM role made for it: destroy makes no plan-time look-ups.",
                account.region, account.account_id
            ),
        )),
        Err(e) => Err(aws_problem(
            &["cluster_name"],
            "Could not look up the EKS cluster",
            &e,
        )),
    }
}
