//! The plan-time look-up every intent starts with: the EKS cluster its
//! `cluster_name` names must exist in the provider's account and region.
//! When it does not, the region's clusters are listed (once per process)
//! and the closest name is suggested, or the few that exist are named.

use crate::aws::eks::ObservedCluster;
use crate::aws::AwsClients;
use crate::intent::Account;

use super::live::Lookups;
use super::suggest::closest;
use super::{aws_problem, Problem};

/// At most this many cluster names are listed when none is close.
const LISTED_CLUSTERS: usize = 5;

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
        Ok(None) => {
            // Listing is only a hint: a failure to list leaves it out.
            let existing = lookups.cluster_names(c).await.ok();
            Err(Problem::error(
                &["cluster_name"],
                "EKS cluster not found",
                format!(
                    "No EKS cluster named {name:?} exists in {} of account {}. {} If the cluster was deleted, `terraform destroy` (or removing the resource) still deletes the IAM role made for it: destroy makes no plan-time look-ups.",
                    account.region,
                    account.account_id,
                    hint(name, existing.as_deref(), &account.region),
                ),
            ))
        }
        Err(e) => Err(aws_problem(
            &["cluster_name"],
            "Could not look up the EKS cluster",
            &e,
        )),
    }
}

/// What the "not found" detail says of the clusters that do exist in
/// `region`: the closest name ("did you mean"), or the few names there are,
/// or that there are none (`existing` is `None` when they could not be listed).
pub fn hint(name: &str, existing: Option<&[String]>, region: &str) -> String {
    let generic = "Check `cluster_name` and the provider's region.";
    let Some(existing) = existing else {
        return generic.to_owned();
    };
    if let Some(close) = closest(name, existing) {
        return format!("Did you mean `{close}`? (`cluster_name` has a typo, or the provider's region is another one.)");
    }
    if existing.is_empty() {
        return format!("{region} has no EKS clusters at all: check the provider's region.");
    }
    let mut sorted: Vec<&str> = existing.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let listed: Vec<String> = sorted
        .iter()
        .take(LISTED_CLUSTERS)
        .map(|n| format!("`{n}`"))
        .collect();
    let more = match sorted.len().saturating_sub(LISTED_CLUSTERS) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!(
        "The clusters in {region} are {}{more}. {generic}",
        listed.join(", ")
    )
}

#[cfg(test)]
mod tests;
