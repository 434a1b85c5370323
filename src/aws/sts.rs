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
    let partition = partition_of_arn(&arn)
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

/// The partition field of an ARN (`arn:PARTITION:service:...`).
pub fn partition_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(3, ':');
    match (parts.next(), parts.next()) {
        (Some("arn"), Some(p)) if !p.is_empty() => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::partition_of_arn;

    #[test]
    fn partition_comes_from_the_arn() {
        assert_eq!(
            partition_of_arn("arn:aws:sts::000000000000:user/x"),
            Some("aws")
        );
        assert_eq!(partition_of_arn("arn:aws-cn:iam::1:root"), Some("aws-cn"));
        assert_eq!(partition_of_arn("arn::iam::1:root"), None);
        assert_eq!(partition_of_arn("nope"), None);
    }
}
