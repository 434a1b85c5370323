//! STS calls: who the provider's credentials belong to.

use super::response::{missing, SdkAnswer};
use super::{AwsClients, AwsError};

/// The result of `sts:GetCallerIdentity`, with the partition taken from the ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
    pub partition: String,
}

const OP: &str = "sts:GetCallerIdentity";

pub async fn get_caller_identity(clients: &AwsClients) -> Result<CallerIdentity, AwsError> {
    let out = clients
        .sts
        .get_caller_identity()
        .send()
        .await
        .or_error(OP)?;
    let arn = out.arn().ok_or_else(|| missing(OP, "Arn"))?.to_owned();
    let partition = crate::arn::partition_of(&arn)
        .ok_or_else(|| missing(OP, "valid Arn"))?
        .to_owned();
    Ok(CallerIdentity {
        account_id: out
            .account()
            .ok_or_else(|| missing(OP, "Account"))?
            .to_owned(),
        user_id: out
            .user_id()
            .ok_or_else(|| missing(OP, "UserId"))?
            .to_owned(),
        arn,
        partition,
    })
}
