//! The access review of one cluster (the `eksrole_cluster_access` data
//! source): every access entry with its access policies and whether its
//! principal still is the one EKS bound it to, and every Pod Identity
//! association, each with the eksrole intent that manages it. `read` does
//! the AWS reads (direct calls, never the plan-time memo: a review read
//! during an apply must see what that apply created); `report` turns what
//! was read into rows (pure).

pub mod report;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::arn::parse_principal;
use crate::aws::eks;
use crate::aws::iam::{self, PrincipalAge};
use crate::aws::{AwsClients, AwsError};

pub use report::{AssociationRow, ClusterReview, EntryFacts, EntryRow, PolicyRow};

/// How many entries (or associations) are read at once: enough to hide
/// the round trips, few enough to stay far from EKS's and IAM's rate limits.
const CONCURRENT_READS: usize = 8;

/// Reads the review of `cluster`, or `None` when the cluster does not exist
/// (it was deleted while being read). `account`: the provider's account,
/// whose principals' creation dates can be read; other accounts' cannot,
/// so their entries are never reported stale.
pub async fn read_cluster(
    c: &AwsClients,
    account: &str,
    cluster: &str,
) -> Result<Option<ClusterReview>, AwsError> {
    let Some(principals) = eks::list_access_entries(c, cluster).await? else {
        return Ok(None);
    };
    let Some(associations) = eks::list_pod_identity_associations(c, cluster).await? else {
        return Ok(None);
    };
    let entries: Vec<Option<EntryFacts>> = stream::iter(principals)
        .map(|principal| read_entry(c, account, cluster, principal))
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await?;
    let associations: Vec<_> = stream::iter(associations)
        .map(|a| async move {
            eks::describe_pod_identity_association(c, cluster, &a.association_id).await
        })
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await?;
    // Objects deleted between the listing and their read are left out.
    Ok(Some(report::review(
        entries.into_iter().flatten().collect(),
        associations.into_iter().flatten().collect(),
    )))
}

/// One entry with its access policies and its principal's age; `None` when
/// it was deleted since the listing.
async fn read_entry(
    c: &AwsClients,
    account: &str,
    cluster: &str,
    principal: String,
) -> Result<Option<EntryFacts>, AwsError> {
    let (entry, policies, age) = tokio::try_join!(
        eks::describe_access_entry(c, cluster, &principal),
        eks::list_associated_access_policies(c, cluster, &principal),
        principal_age(c, account, &principal),
    )?;
    let (Some(entry), Some(policies)) = (entry, policies) else {
        return Ok(None);
    };
    Ok(Some(EntryFacts {
        entry,
        policies,
        principal: age,
    }))
}

/// The age of a principal of the provider's account; another account's is
/// not looked up.
async fn principal_age(
    c: &AwsClients,
    account: &str,
    principal: &str,
) -> Result<PrincipalAge, AwsError> {
    match parse_principal(principal) {
        Some(p) if p.account == account => iam::principal_age(c, principal).await,
        _ => Ok(PrincipalAge::NotLookedUp),
    }
}
