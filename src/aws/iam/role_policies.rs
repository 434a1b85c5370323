//! A role's permissions: the managed policies attached to it and its inline
//! policies (listed, read URL-decoded, put, detached and deleted). Every
//! read answers `None` when the role is gone; every removal counts a missing
//! role or policy as done.

use std::collections::BTreeSet;

use aws_sdk_iam::operation::delete_role_policy::DeleteRolePolicyError;
use aws_sdk_iam::operation::detach_role_policy::DetachRolePolicyError;
use aws_sdk_iam::operation::get_role_policy::GetRolePolicyError;
use aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesError;
use aws_sdk_iam::operation::list_role_policies::ListRolePoliciesError;

use super::decode_policy_document;
use crate::aws::response::{done_if_not_found, found, required};
use crate::aws::{AwsClients, AwsError};

/// `ListAttachedRolePolicies`, every page: the managed policy ARNs, or
/// `None` when the role does not exist.
pub async fn list_attached_role_policies(
    c: &AwsClients,
    name: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    const OP: &str = "iam:ListAttachedRolePolicies";
    let pages = c
        .iam
        .list_attached_role_policies()
        .role_name(name)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = found(
        OP,
        pages,
        ListAttachedRolePoliciesError::is_no_such_entity_exception,
    )?
    else {
        return Ok(None);
    };
    let mut arns = BTreeSet::new();
    for page in &pages {
        for attached in page.attached_policies() {
            arns.insert(required(OP, "PolicyArn", attached.policy_arn())?);
        }
    }
    Ok(Some(arns))
}

/// `AttachRolePolicy`.
pub async fn attach_role_policy(
    c: &AwsClients,
    role: &str,
    policy_arn: &str,
) -> Result<(), AwsError> {
    const OP: &str = "iam:AttachRolePolicy";
    c.iam
        .attach_role_policy()
        .role_name(role)
        .policy_arn(policy_arn)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
}

/// `DetachRolePolicy`; done when the role, policy or attachment is gone.
pub async fn detach_role_policy(
    c: &AwsClients,
    role: &str,
    policy_arn: &str,
) -> Result<(), AwsError> {
    const OP: &str = "iam:DetachRolePolicy";
    let out = c
        .iam
        .detach_role_policy()
        .role_name(role)
        .policy_arn(policy_arn)
        .send()
        .await;
    done_if_not_found(OP, out, DetachRolePolicyError::is_no_such_entity_exception)
}

/// `ListRolePolicies`, every page: the inline policy names, or `None` when
/// the role does not exist.
pub async fn list_role_policy_names(
    c: &AwsClients,
    name: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    const OP: &str = "iam:ListRolePolicies";
    let pages = c
        .iam
        .list_role_policies()
        .role_name(name)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = found(
        OP,
        pages,
        ListRolePoliciesError::is_no_such_entity_exception,
    )?
    else {
        return Ok(None);
    };
    Ok(Some(
        pages
            .iter()
            .flat_map(|page| page.policy_names().iter().cloned())
            .collect(),
    ))
}

/// `GetRolePolicy`: the inline policy document (URL-decoded JSON), or `None`
/// when the role or the policy does not exist.
pub async fn get_role_policy(
    c: &AwsClients,
    role: &str,
    policy_name: &str,
) -> Result<Option<String>, AwsError> {
    const OP: &str = "iam:GetRolePolicy";
    let out = c
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(policy_name)
        .send()
        .await;
    let Some(out) = found(OP, out, GetRolePolicyError::is_no_such_entity_exception)? else {
        return Ok(None);
    };
    let document = required(OP, "PolicyDocument", Some(out.policy_document()))?;
    decode_policy_document(OP, &document).map(Some)
}

/// `PutRolePolicy`: creates or replaces an inline policy.
pub async fn put_role_policy(
    c: &AwsClients,
    role: &str,
    policy_name: &str,
    document: &str,
) -> Result<(), AwsError> {
    const OP: &str = "iam:PutRolePolicy";
    c.iam
        .put_role_policy()
        .role_name(role)
        .policy_name(policy_name)
        .policy_document(document)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
}

/// `DeleteRolePolicy`; done when the role or the policy is gone.
pub async fn delete_role_policy(
    c: &AwsClients,
    role: &str,
    policy_name: &str,
) -> Result<(), AwsError> {
    const OP: &str = "iam:DeleteRolePolicy";
    let out = c
        .iam
        .delete_role_policy()
        .role_name(role)
        .policy_name(policy_name)
        .send()
        .await;
    done_if_not_found(OP, out, DeleteRolePolicyError::is_no_such_entity_exception)
}
