//! IAM managed policies: whether one exists (a plan-time check for policy
//! ARNs and permissions boundaries). Attaching them to a role is in
//! `role.rs`.

use aws_sdk_iam::operation::get_policy::GetPolicyError;

use crate::aws::response::found;
use crate::aws::{AwsClients, AwsError};

/// `GetPolicy`: whether the managed policy exists.
pub async fn policy_exists(c: &AwsClients, policy_arn: &str) -> Result<bool, AwsError> {
    const OP: &str = "iam:GetPolicy";
    let out = c.iam.get_policy().policy_arn(policy_arn).send().await;
    Ok(found(OP, out, GetPolicyError::is_no_such_entity_exception)?.is_some())
}
