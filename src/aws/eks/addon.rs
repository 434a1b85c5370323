//! EKS add-ons, read only: whether one is installed, for the plan-time check
//! that Pod Identity's agent runs on the cluster.

use aws_sdk_eks::operation::describe_addon::DescribeAddonError;

use crate::aws::response::{missing, required, SdkAnswer};
use crate::aws::{AwsClients, AwsError};

/// `DescribeAddon`: the add-on's status (`ACTIVE`, `CREATING`, `DEGRADED`, …),
/// or `None` when the add-on (or the cluster) does not exist.
pub async fn addon_present(
    c: &AwsClients,
    cluster: &str,
    addon_name: &str,
) -> Result<Option<String>, AwsError> {
    const OP: &str = "eks:DescribeAddon";
    let Some(out) = c
        .eks
        .describe_addon()
        .cluster_name(cluster)
        .addon_name(addon_name)
        .send()
        .await
        .found(OP, DescribeAddonError::is_resource_not_found_exception)?
    else {
        return Ok(None);
    };
    let addon = out.addon().ok_or_else(|| missing(OP, "addon"))?;
    required(OP, "addon.status", addon.status().map(|s| s.as_str())).map(Some)
}
