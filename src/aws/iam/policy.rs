//! IAM managed policies: whether one exists (a plan-time check for policy
//! ARNs and permissions boundaries). Attaching them to a role is in
//! `role.rs`.

use aws_sdk_iam::operation::get_policy::GetPolicyError;

use crate::aws::response::SdkAnswer;
use crate::aws::{AwsClients, AwsError};

/// `GetPolicy`: whether the managed policy exists.
pub async fn policy_exists(c: &AwsClients, policy_arn: &str) -> Result<bool, AwsError> {
    let out = c.iam.get_policy().policy_arn(policy_arn).send().await;
    let policy = out.found("iam:GetPolicy", GetPolicyError::is_no_such_entity_exception)?;
    Ok(policy.is_some())
}
