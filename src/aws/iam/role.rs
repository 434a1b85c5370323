//! IAM roles: reading, creating and updating a role (trust policy,
//! description, session duration, permissions boundary, tags), its managed
//! and inline policies, and deleting it with everything that blocks
//! `DeleteRole` (policies, instance profiles). Every read answers `None`
//! when the role is gone; every removal counts a missing role or policy as
//! done.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::operation::delete_role::DeleteRoleError;
use aws_sdk_iam::operation::delete_role_permissions_boundary::DeleteRolePermissionsBoundaryError;
use aws_sdk_iam::operation::delete_role_policy::DeleteRolePolicyError;
use aws_sdk_iam::operation::detach_role_policy::DetachRolePolicyError;
use aws_sdk_iam::operation::get_role::GetRoleError;
use aws_sdk_iam::operation::get_role_policy::GetRolePolicyError;
use aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesError;
use aws_sdk_iam::operation::list_instance_profiles_for_role::ListInstanceProfilesForRoleError;
use aws_sdk_iam::operation::list_role_policies::ListRolePoliciesError;
use aws_sdk_iam::operation::remove_role_from_instance_profile::RemoveRoleFromInstanceProfileError;
use aws_sdk_iam::types::{Role, Tag};

use futures_util::future::try_join_all;

use super::decode_policy_document;
use crate::aws::response::{list_items, missing, non_empty, required, SdkAnswer};
use crate::aws::retry::{send_with_retry, RetryPolicy};
use crate::aws::{AwsClients, AwsError};

/// A role as IAM reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedRole {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub role_id: String,
    pub description: Option<String>,
    /// The trust policy, URL-decoded JSON text, as IAM stores it.
    pub trust_policy: String,
    pub max_session_duration: i64,
    pub permissions_boundary: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub create_date_epoch: Option<i64>,
}

/// What [`create_role`] creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewRole<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub description: Option<&'a str>,
    pub trust_policy: &'a str,
    pub max_session_duration: i64,
    pub permissions_boundary: Option<&'a str>,
    pub tags: &'a BTreeMap<String, String>,
}

/// Shared with `principal.rs`, which calls `GetRole` for the ARN alone.
pub(super) const GET_ROLE: &str = "iam:GetRole";
const CREATE_ROLE: &str = "iam:CreateRole";

/// `GetRole`: the role, or `None` when it does not exist.
pub async fn get_role(c: &AwsClients, name: &str) -> Result<Option<ObservedRole>, AwsError> {
    let out = c.iam.get_role().role_name(name).send().await;
    out.found(GET_ROLE, GetRoleError::is_no_such_entity_exception)?
        .map(|out| observed_role(GET_ROLE, out.role(), None))
        .transpose()
}

/// `CreateRole`, retrying while IAM does not yet see a principal the trust
/// policy names ("Invalid principal in policy") and on throttling. Fields the
/// response leaves out are taken from the request. `None` when a role with
/// that name exists (`EntityAlreadyExists`): another apply created it since
/// the caller looked, or this request's first attempt did and its answer was
/// lost (the SDK then retried); the caller looks again.
pub async fn create_role(
    c: &AwsClients,
    role: &NewRole<'_>,
    policy: &RetryPolicy,
) -> Result<Option<ObservedRole>, AwsError> {
    let tags = iam_tags(CREATE_ROLE, role.tags)?;
    let max_session = session_duration(CREATE_ROLE, role.max_session_duration)?;
    let out = send_with_retry(CREATE_ROLE, policy, || {
        c.iam
            .create_role()
            .role_name(role.name)
            .path(role.path)
            .assume_role_policy_document(role.trust_policy)
            .max_session_duration(max_session)
            .set_description(role.description.map(str::to_owned))
            .set_permissions_boundary(role.permissions_boundary.map(str::to_owned))
            .set_tags((!tags.is_empty()).then(|| tags.clone()))
            .send()
    })
    .await;
    match out {
        Ok(out) => observed_role(CREATE_ROLE, out.role(), Some(role)).map(Some),
        Err(e) if e.is_code("EntityAlreadyExists") => Ok(None),
        Err(e) => Err(e),
    }
}

/// `UpdateAssumeRolePolicy`, retrying "Invalid principal in policy" and throttling.
pub async fn update_assume_role_policy(
    c: &AwsClients,
    name: &str,
    document: &str,
    policy: &RetryPolicy,
) -> Result<(), AwsError> {
    send_with_retry("iam:UpdateAssumeRolePolicy", policy, || {
        c.iam
            .update_assume_role_policy()
            .role_name(name)
            .policy_document(document)
            .send()
    })
    .await
    .map(drop)
}

/// `UpdateRole`: sets the description and the maximum session duration.
/// Both are always sent: IAM resets an omitted `MaxSessionDuration` to 3600,
/// and `description: None` is sent as `""`, which clears it.
pub async fn update_role(
    c: &AwsClients,
    name: &str,
    description: Option<&str>,
    max_session_duration: i64,
) -> Result<(), AwsError> {
    const OP: &str = "iam:UpdateRole";
    c.iam
        .update_role()
        .role_name(name)
        .description(description.unwrap_or(""))
        .max_session_duration(session_duration(OP, max_session_duration)?)
        .send()
        .await
        .done(OP)
}

/// `PutRolePermissionsBoundary`.
pub async fn put_role_permissions_boundary(
    c: &AwsClients,
    name: &str,
    boundary_arn: &str,
) -> Result<(), AwsError> {
    c.iam
        .put_role_permissions_boundary()
        .role_name(name)
        .permissions_boundary(boundary_arn)
        .send()
        .await
        .done("iam:PutRolePermissionsBoundary")
}

/// `DeleteRolePermissionsBoundary`; done when the role or boundary is gone.
pub async fn delete_role_permissions_boundary(c: &AwsClients, name: &str) -> Result<(), AwsError> {
    c.iam
        .delete_role_permissions_boundary()
        .role_name(name)
        .send()
        .await
        .done_if_not_found(
            "iam:DeleteRolePermissionsBoundary",
            DeleteRolePermissionsBoundaryError::is_no_such_entity_exception,
        )
}

/// `TagRole`: adds or overwrites these tags. No call for an empty map.
pub async fn tag_role(
    c: &AwsClients,
    name: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), AwsError> {
    const OP: &str = "iam:TagRole";
    if tags.is_empty() {
        return Ok(());
    }
    c.iam
        .tag_role()
        .role_name(name)
        .set_tags(Some(iam_tags(OP, tags)?))
        .send()
        .await
        .done(OP)
}

/// `UntagRole`: removes these tag keys. No call for an empty set.
pub async fn untag_role(
    c: &AwsClients,
    name: &str,
    keys: &BTreeSet<String>,
) -> Result<(), AwsError> {
    if keys.is_empty() {
        return Ok(());
    }
    c.iam
        .untag_role()
        .role_name(name)
        .set_tag_keys(Some(keys.iter().cloned().collect()))
        .send()
        .await
        .done("iam:UntagRole")
}

/// `ListAttachedRolePolicies`, every page: the managed policy ARNs, or
/// `None` when the role does not exist.
pub async fn list_attached_role_policies(
    c: &AwsClients,
    name: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    const OP: &str = "iam:ListAttachedRolePolicies";
    let request = c.iam.list_attached_role_policies().role_name(name);
    list_items(
        OP,
        request.into_paginator().send().try_collect(),
        ListAttachedRolePoliciesError::is_no_such_entity_exception,
        |page| page.attached_policies(),
        |attached| required(OP, "PolicyArn", attached.policy_arn()),
    )
    .await
}

/// `AttachRolePolicy`.
pub async fn attach_role_policy(
    c: &AwsClients,
    role: &str,
    policy_arn: &str,
) -> Result<(), AwsError> {
    c.iam
        .attach_role_policy()
        .role_name(role)
        .policy_arn(policy_arn)
        .send()
        .await
        .done("iam:AttachRolePolicy")
}

/// `DetachRolePolicy`; done when the role, policy or attachment is gone.
pub async fn detach_role_policy(
    c: &AwsClients,
    role: &str,
    policy_arn: &str,
) -> Result<(), AwsError> {
    c.iam
        .detach_role_policy()
        .role_name(role)
        .policy_arn(policy_arn)
        .send()
        .await
        .done_if_not_found(
            "iam:DetachRolePolicy",
            DetachRolePolicyError::is_no_such_entity_exception,
        )
}

/// `ListRolePolicies`, every page: the inline policy names, or `None` when
/// the role does not exist.
pub async fn list_role_policy_names(
    c: &AwsClients,
    name: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    let request = c.iam.list_role_policies().role_name(name);
    list_items(
        "iam:ListRolePolicies",
        request.into_paginator().send().try_collect(),
        ListRolePoliciesError::is_no_such_entity_exception,
        |page| page.policy_names(),
        |policy_name| Ok(policy_name.clone()),
    )
    .await
}

/// `ListRoles` with a path prefix, every page: each role's name and ARN
/// (path included) whose path starts with `path_prefix`.
pub async fn list_roles_under_path(
    c: &AwsClients,
    path_prefix: &str,
) -> Result<Vec<(String, String)>, AwsError> {
    const OP: &str = "iam:ListRoles";
    let pages = c
        .iam
        .list_roles()
        .path_prefix(path_prefix)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .or_error(OP)?;
    Ok(pages
        .iter()
        .flat_map(|page| page.roles())
        .map(|role| (role.role_name().to_owned(), role.arn().to_owned()))
        .collect())
}

/// `GetRolePolicy`: the inline policy document (URL-decoded JSON), or `None`
/// when the role or the policy does not exist.
pub async fn get_role_policy(
    c: &AwsClients,
    role: &str,
    policy_name: &str,
) -> Result<Option<String>, AwsError> {
    const OP: &str = "iam:GetRolePolicy";
    let Some(out) = c
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(policy_name)
        .send()
        .await
        .found(OP, GetRolePolicyError::is_no_such_entity_exception)?
    else {
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
    c.iam
        .put_role_policy()
        .role_name(role)
        .policy_name(policy_name)
        .policy_document(document)
        .send()
        .await
        .done("iam:PutRolePolicy")
}

/// `DeleteRolePolicy`; done when the role or the policy is gone.
pub async fn delete_role_policy(
    c: &AwsClients,
    role: &str,
    policy_name: &str,
) -> Result<(), AwsError> {
    c.iam
        .delete_role_policy()
        .role_name(role)
        .policy_name(policy_name)
        .send()
        .await
        .done_if_not_found(
            "iam:DeleteRolePolicy",
            DeleteRolePolicyError::is_no_such_entity_exception,
        )
}

/// Deletes a role and everything that blocks `DeleteRole`: detaches every
/// managed policy, deletes every inline policy, removes the role from its
/// instance profiles. Each step treats not-found as done; a role that is
/// already gone is success.
pub async fn delete_role_fully(c: &AwsClients, name: &str) -> Result<(), AwsError> {
    let Some(attached) = list_attached_role_policies(c, name).await? else {
        return Ok(());
    };
    for policy_arn in &attached {
        detach_role_policy(c, name, policy_arn).await?;
    }
    let Some(inline) = list_role_policy_names(c, name).await? else {
        return Ok(());
    };
    for policy_name in &inline {
        delete_role_policy(c, name, policy_name).await?;
    }
    let Some(profiles) = list_instance_profiles_for_role(c, name).await? else {
        return Ok(());
    };
    for profile in &profiles {
        remove_role_from_instance_profile(c, profile, name).await?;
    }
    let out = c.iam.delete_role().role_name(name).send().await;
    out.done_if_not_found(
        "iam:DeleteRole",
        DeleteRoleError::is_no_such_entity_exception,
    )
}

/// Deletes a role whose policies the caller knows (from its state): detaches
/// `managed`, deletes `inline`, then `DeleteRole`, which IAM refuses
/// (`DeleteConflict`) while anything is still attached; then, and only then,
/// everything is listed and removed ([`delete_role_fully`]). The usual
/// destroy so costs no listing. Gone already is success.
pub async fn delete_role_knowing(
    c: &AwsClients,
    name: &str,
    managed: &BTreeSet<String>,
    inline: &BTreeSet<String>,
) -> Result<(), AwsError> {
    const OP: &str = "iam:DeleteRole";
    let detach = managed.iter().map(|arn| detach_role_policy(c, name, arn));
    let delete = inline
        .iter()
        .map(|policy| delete_role_policy(c, name, policy));
    tokio::try_join!(try_join_all(detach), try_join_all(delete))?;
    let out = c.iam.delete_role().role_name(name).send().await;
    let conflict = out
        .as_ref()
        .err()
        .and_then(|e| e.as_service_error())
        .is_some_and(DeleteRoleError::is_delete_conflict_exception);
    if conflict {
        return delete_role_fully(c, name).await;
    }
    out.done_if_not_found(OP, DeleteRoleError::is_no_such_entity_exception)
}

/// `ListInstanceProfilesForRole`, every page: the profile names, or `None`
/// when the role does not exist.
pub async fn list_instance_profiles_for_role(
    c: &AwsClients,
    name: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    const OP: &str = "iam:ListInstanceProfilesForRole";
    let request = c.iam.list_instance_profiles_for_role().role_name(name);
    list_items(
        OP,
        request.into_paginator().send().try_collect(),
        ListInstanceProfilesForRoleError::is_no_such_entity_exception,
        |page| page.instance_profiles(),
        |profile| {
            let name = profile.instance_profile_name();
            required(OP, "InstanceProfileName", Some(name))
        },
    )
    .await
}

/// `RemoveRoleFromInstanceProfile`; done when the role or profile is gone.
pub async fn remove_role_from_instance_profile(
    c: &AwsClients,
    profile_name: &str,
    role_name: &str,
) -> Result<(), AwsError> {
    c.iam
        .remove_role_from_instance_profile()
        .instance_profile_name(profile_name)
        .role_name(role_name)
        .send()
        .await
        .done_if_not_found(
            "iam:RemoveRoleFromInstanceProfile",
            RemoveRoleFromInstanceProfileError::is_no_such_entity_exception,
        )
}

/// Builds an [`ObservedRole`] from a response's `Role` (an error when the
/// response has none); for `CreateRole`, fields the response omits are taken
/// from the request.
pub(super) fn observed_role(
    operation: &'static str,
    role: Option<&Role>,
    request: Option<&NewRole<'_>>,
) -> Result<ObservedRole, AwsError> {
    let role = role.ok_or_else(|| missing(operation, "Role"))?;
    let document = required(
        operation,
        "AssumeRolePolicyDocument",
        role.assume_role_policy_document()
            .or(request.map(|r| r.trust_policy)),
    )?;
    let tags: BTreeMap<String, String> = if role.tags().is_empty() {
        request.map(|r| r.tags.clone()).unwrap_or_default()
    } else {
        role.tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    };
    let create_date = role.create_date().secs();
    Ok(ObservedRole {
        name: required(operation, "RoleName", Some(role.role_name()))?,
        path: required(operation, "Path", Some(role.path()))?,
        arn: required(operation, "Arn", Some(role.arn()))?,
        role_id: required(operation, "RoleId", Some(role.role_id()))?,
        description: non_empty(role.description())
            .or_else(|| request.and_then(|r| non_empty(r.description))),
        trust_policy: decode_policy_document(operation, &document)?,
        // IAM's default applies to roles whose record lacks the field.
        max_session_duration: role
            .max_session_duration()
            .map(i64::from)
            .or(request.map(|r| r.max_session_duration))
            .unwrap_or(3600),
        permissions_boundary: non_empty(
            role.permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn()),
        )
        .or_else(|| request.and_then(|r| non_empty(r.permissions_boundary))),
        tags,
        // The SDK fills an absent required timestamp with the epoch.
        create_date_epoch: (create_date != 0).then_some(create_date),
    })
}

fn iam_tags(
    operation: &'static str,
    tags: &BTreeMap<String, String>,
) -> Result<Vec<Tag>, AwsError> {
    tags.iter()
        .map(|(key, value)| {
            Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(|e| AwsError::new(operation, "InvalidInput", e.to_string()))
        })
        .collect()
}

fn session_duration(operation: &'static str, seconds: i64) -> Result<i32, AwsError> {
    i32::try_from(seconds).map_err(|_| {
        AwsError::new(
            operation,
            "InvalidInput",
            format!("max session duration {seconds} is out of range"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::response::INVALID_RESPONSE;

    #[test]
    fn observed_role_falls_back_to_the_request() {
        let tags = BTreeMap::from([("owner".to_owned(), "eksrole".to_owned())]);
        let request = NewRole {
            name: "app",
            path: "/",
            description: Some("d"),
            trust_policy: "{}",
            max_session_duration: 7200,
            permissions_boundary: Some("arn:aws:iam::1:policy/b"),
            tags: &tags,
        };
        let role = Role::builder()
            .role_name("app")
            .path("/")
            .arn("arn:aws:iam::1:role/app")
            .role_id("AROA1")
            .create_date(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .assume_role_policy_document("%7B%7D")
            .build()
            .unwrap();
        let observed = observed_role(CREATE_ROLE, Some(&role), Some(&request)).unwrap();
        assert_eq!(observed.trust_policy, "{}");
        assert_eq!(observed.max_session_duration, 7200);
        assert_eq!(observed.description.as_deref(), Some("d"));
        assert_eq!(
            observed.permissions_boundary.as_deref(),
            Some("arn:aws:iam::1:policy/b")
        );
        assert_eq!(observed.tags, tags);
        assert_eq!(observed.create_date_epoch, Some(1_700_000_000));

        let bare = observed_role(GET_ROLE, Some(&role), None).unwrap();
        assert_eq!(bare.max_session_duration, 3600);
        assert_eq!(bare.description, None);
        assert!(bare.tags.is_empty());

        let no_arn = Role::builder()
            .role_name("app")
            .path("/")
            .arn("")
            .role_id("AROA1")
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .assume_role_policy_document("%7B%7D")
            .build()
            .unwrap();
        let err = observed_role(GET_ROLE, Some(&no_arn), None).unwrap_err();
        assert_eq!(
            (err.operation, err.code.as_str()),
            (GET_ROLE, INVALID_RESPONSE)
        );
    }
}
