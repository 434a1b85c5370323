//! Account-wide IAM facts: the trust-policy size quota, which bounds how
//! many principals and conditions a role's trust policy can hold.

use aws_sdk_iam::types::SummaryKeyType;

use crate::aws::response::SdkAnswer;
use crate::aws::{AwsClients, AwsError};

/// `GetAccountSummary`: the account's trust-policy size quota
/// (`AssumeRolePolicySizeQuota`, characters without whitespace), if reported.
pub async fn trust_policy_size_quota(c: &AwsClients) -> Result<Option<usize>, AwsError> {
    const OP: &str = "iam:GetAccountSummary";
    let out = c.iam.get_account_summary().send().await.or_error(OP)?;
    Ok(out
        .summary_map()
        .and_then(|map| map.get(&SummaryKeyType::AssumeRolePolicySizeQuota))
        .and_then(|&quota| usize::try_from(quota).ok()))
}
