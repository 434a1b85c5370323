//! IAM calls: roles (trust policy, settings, boundary, managed and inline
//! policies, tags, full delete), managed policies, OIDC providers, principal
//! look-ups and the account's trust-policy size quota.
//!
//! One `async fn` per API call (or a small composite such as
//! [`delete_role_fully`]). Not-found is `Ok(None)` (or success, for deletes);
//! results are plain structs. Policy documents come back URL-decoded.
//!
//! API semantics that matter to callers:
//! - `UpdateRole` resets `MaxSessionDuration` to 3600 when it is omitted, so
//!   [`update_role`] always sends it; it sends `Description = ""` to clear the
//!   description (IAM then omits it, read back as `None`).
//! - Policy documents (`AssumeRolePolicyDocument`, `GetRolePolicy`) are
//!   percent-encoded per RFC 3986: `+` is a literal plus, not a space.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::operation::delete_role::DeleteRoleError;
use aws_sdk_iam::operation::delete_role_permissions_boundary::DeleteRolePermissionsBoundaryError;
use aws_sdk_iam::operation::delete_role_policy::DeleteRolePolicyError;
use aws_sdk_iam::operation::detach_role_policy::DetachRolePolicyError;
use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIDConnectProviderError;
use aws_sdk_iam::operation::get_policy::GetPolicyError;
use aws_sdk_iam::operation::get_role::GetRoleError;
use aws_sdk_iam::operation::get_role_policy::GetRolePolicyError;
use aws_sdk_iam::operation::get_user::GetUserError;
use aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesError;
use aws_sdk_iam::operation::list_instance_profiles_for_role::ListInstanceProfilesForRoleError;
use aws_sdk_iam::operation::list_role_policies::ListRolePoliciesError;
use aws_sdk_iam::operation::remove_role_from_instance_profile::RemoveRoleFromInstanceProfileError;
use aws_sdk_iam::types::{Role, SummaryKeyType, Tag};

use super::response::{done_if_not_found, found, missing, non_empty, required, INVALID_RESPONSE};
use super::retry::{retry_eventual_consistency, RetryPolicy};
use super::{AwsClients, AwsError};

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

/// An IAM OIDC identity provider. `url` is as IAM stores it: without `https://`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedOidcProvider {
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
}

/// The kind of IAM principal an ARN names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    Role,
    User,
}

/// The parts of an IAM role or user ARN
/// (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IamPrincipalArn {
    pub partition: String,
    pub account_id: String,
    pub kind: PrincipalKind,
    /// `/` or `/a/b/`.
    pub path: String,
    pub name: String,
}

/// Splits an IAM role or user ARN; `None` for anything else (`:root`,
/// STS session ARNs, other services, malformed text).
pub fn parse_principal_arn(arn: &str) -> Option<IamPrincipalArn> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" || service != "iam" || !region.is_empty() || partition.is_empty() {
        return None;
    }
    if account_id.is_empty() || !account_id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (kind, rest) = match resource.split_once('/')? {
        ("role", rest) => (PrincipalKind::Role, rest),
        ("user", rest) => (PrincipalKind::User, rest),
        _ => return None,
    };
    let (path, name) = match rest.rsplit_once('/') {
        Some((inner, name)) => (format!("/{inner}/"), name),
        None => ("/".to_owned(), rest),
    };
    if name.is_empty() || path.contains("//") {
        return None;
    }
    Some(IamPrincipalArn {
        partition: partition.to_owned(),
        account_id: account_id.to_owned(),
        kind,
        path,
        name: name.to_owned(),
    })
}

/// Decodes RFC 3986 percent-encoding. `+` stays `+`. `None` when an escape is
/// malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex_value(*bytes.get(i + 1)?)?;
            let low = hex_value(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A policy document from IAM as JSON text. IAM percent-encodes documents
/// (they start with `%7B`); text that already starts with `{` is returned
/// unchanged, since decoding it could alter a literal `%` inside.
pub fn decode_policy_document(operation: &'static str, text: &str) -> Result<String, AwsError> {
    if text.trim_start().starts_with('{') {
        return Ok(text.to_owned());
    }
    percent_decode(text).ok_or_else(|| {
        AwsError::new(
            operation,
            INVALID_RESPONSE,
            "the policy document is not valid percent-encoded UTF-8",
        )
    })
}

const GET_ROLE: &str = "iam:GetRole";
const CREATE_ROLE: &str = "iam:CreateRole";

/// `GetRole`: the role, or `None` when it does not exist.
pub async fn get_role(c: &AwsClients, name: &str) -> Result<Option<ObservedRole>, AwsError> {
    let out = c.iam.get_role().role_name(name).send().await;
    let Some(out) = found(GET_ROLE, out, GetRoleError::is_no_such_entity_exception)? else {
        return Ok(None);
    };
    let role = out.role().ok_or_else(|| missing(GET_ROLE, "Role"))?;
    observed_role(GET_ROLE, role, None).map(Some)
}

/// `CreateRole`, retrying while IAM does not yet see a principal the trust
/// policy names ("Invalid principal in policy") and on throttling. Fields the
/// response leaves out are taken from the request.
pub async fn create_role(
    c: &AwsClients,
    role: &NewRole<'_>,
    policy: &RetryPolicy,
) -> Result<ObservedRole, AwsError> {
    let tags = iam_tags(CREATE_ROLE, role.tags)?;
    let max_session = session_duration(CREATE_ROLE, role.max_session_duration)?;
    let out = retry_eventual_consistency(CREATE_ROLE, policy, || {
        let request = c
            .iam
            .create_role()
            .role_name(role.name)
            .path(role.path)
            .assume_role_policy_document(role.trust_policy)
            .max_session_duration(max_session)
            .set_description(role.description.map(str::to_owned))
            .set_permissions_boundary(role.permissions_boundary.map(str::to_owned))
            .set_tags((!tags.is_empty()).then(|| tags.clone()));
        async move {
            request
                .send()
                .await
                .map_err(|e| AwsError::from_sdk(CREATE_ROLE, e))
        }
    })
    .await?;
    let created = out.role().ok_or_else(|| missing(CREATE_ROLE, "Role"))?;
    observed_role(CREATE_ROLE, created, Some(role))
}

/// `UpdateAssumeRolePolicy`, retrying "Invalid principal in policy" and throttling.
pub async fn update_assume_role_policy(
    c: &AwsClients,
    name: &str,
    document: &str,
    policy: &RetryPolicy,
) -> Result<(), AwsError> {
    const OP: &str = "iam:UpdateAssumeRolePolicy";
    retry_eventual_consistency(OP, policy, || {
        let request = c
            .iam
            .update_assume_role_policy()
            .role_name(name)
            .policy_document(document);
        async move { request.send().await.map_err(|e| AwsError::from_sdk(OP, e)) }
    })
    .await
    .map(|_| ())
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
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
}

/// `PutRolePermissionsBoundary`.
pub async fn put_role_permissions_boundary(
    c: &AwsClients,
    name: &str,
    boundary_arn: &str,
) -> Result<(), AwsError> {
    const OP: &str = "iam:PutRolePermissionsBoundary";
    c.iam
        .put_role_permissions_boundary()
        .role_name(name)
        .permissions_boundary(boundary_arn)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
}

/// `DeleteRolePermissionsBoundary`; done when the role or boundary is gone.
pub async fn delete_role_permissions_boundary(c: &AwsClients, name: &str) -> Result<(), AwsError> {
    const OP: &str = "iam:DeleteRolePermissionsBoundary";
    let out = c
        .iam
        .delete_role_permissions_boundary()
        .role_name(name)
        .send()
        .await;
    done_if_not_found(
        OP,
        out,
        DeleteRolePermissionsBoundaryError::is_no_such_entity_exception,
    )
}

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
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
}

/// `UntagRole`: removes these tag keys. No call for an empty set.
pub async fn untag_role(
    c: &AwsClients,
    name: &str,
    keys: &BTreeSet<String>,
) -> Result<(), AwsError> {
    const OP: &str = "iam:UntagRole";
    if keys.is_empty() {
        return Ok(());
    }
    c.iam
        .untag_role()
        .role_name(name)
        .set_tag_keys(Some(keys.iter().cloned().collect()))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(())
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
    const OP: &str = "iam:DeleteRole";
    let out = c.iam.delete_role().role_name(name).send().await;
    done_if_not_found(OP, out, DeleteRoleError::is_no_such_entity_exception)
}

/// `ListInstanceProfilesForRole`, every page: the profile names, or `None`
/// when the role does not exist.
pub async fn list_instance_profiles_for_role(
    c: &AwsClients,
    name: &str,
) -> Result<Option<BTreeSet<String>>, AwsError> {
    const OP: &str = "iam:ListInstanceProfilesForRole";
    let pages = c
        .iam
        .list_instance_profiles_for_role()
        .role_name(name)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = found(
        OP,
        pages,
        ListInstanceProfilesForRoleError::is_no_such_entity_exception,
    )?
    else {
        return Ok(None);
    };
    let mut names = BTreeSet::new();
    for page in &pages {
        for profile in page.instance_profiles() {
            names.insert(required(
                OP,
                "InstanceProfileName",
                Some(profile.instance_profile_name()),
            )?);
        }
    }
    Ok(Some(names))
}

/// `RemoveRoleFromInstanceProfile`; done when the role or profile is gone.
pub async fn remove_role_from_instance_profile(
    c: &AwsClients,
    profile_name: &str,
    role_name: &str,
) -> Result<(), AwsError> {
    const OP: &str = "iam:RemoveRoleFromInstanceProfile";
    let out = c
        .iam
        .remove_role_from_instance_profile()
        .instance_profile_name(profile_name)
        .role_name(role_name)
        .send()
        .await;
    done_if_not_found(
        OP,
        out,
        RemoveRoleFromInstanceProfileError::is_no_such_entity_exception,
    )
}

/// `GetPolicy`: whether the managed policy exists.
pub async fn policy_exists(c: &AwsClients, policy_arn: &str) -> Result<bool, AwsError> {
    const OP: &str = "iam:GetPolicy";
    let out = c.iam.get_policy().policy_arn(policy_arn).send().await;
    Ok(found(OP, out, GetPolicyError::is_no_such_entity_exception)?.is_some())
}

/// `GetOpenIDConnectProvider`, or `None` when no provider has this ARN.
pub async fn get_oidc_provider(
    c: &AwsClients,
    arn: &str,
) -> Result<Option<ObservedOidcProvider>, AwsError> {
    const OP: &str = "iam:GetOpenIDConnectProvider";
    let out = c
        .iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(arn)
        .send()
        .await;
    let Some(out) = found(
        OP,
        out,
        GetOpenIDConnectProviderError::is_no_such_entity_exception,
    )?
    else {
        return Ok(None);
    };
    Ok(Some(ObservedOidcProvider {
        url: required(OP, "Url", out.url())?,
        client_ids: out.client_id_list().to_vec(),
        thumbprints: out.thumbprint_list().to_vec(),
    }))
}

/// `ListOpenIDConnectProviders` (not paginated by IAM): every provider ARN.
pub async fn list_oidc_provider_arns(c: &AwsClients) -> Result<Vec<String>, AwsError> {
    const OP: &str = "iam:ListOpenIDConnectProviders";
    let out = c
        .iam
        .list_open_id_connect_providers()
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    out.open_id_connect_provider_list()
        .iter()
        .map(|entry| required(OP, "Arn", entry.arn()))
        .collect()
}

/// Whether the IAM role or user an ARN names exists, with the same path and
/// account: `GetRole` / `GetUser` by name. `None` when the ARN is not a role
/// or user ARN, or names another account than the one IAM answered for
/// (only the caller's own account can be looked up; callers should ask only
/// about ARNs in the provider's account). Names compare case-insensitively,
/// as IAM treats them; paths compare exactly.
pub async fn principal_exists(c: &AwsClients, arn: &str) -> Result<Option<bool>, AwsError> {
    let Some(wanted) = parse_principal_arn(arn) else {
        return Ok(None);
    };
    let observed_arn = match wanted.kind {
        PrincipalKind::Role => {
            let out = c.iam.get_role().role_name(&wanted.name).send().await;
            match found(GET_ROLE, out, GetRoleError::is_no_such_entity_exception)? {
                None => return Ok(Some(false)),
                Some(out) => {
                    let role = out.role().ok_or_else(|| missing(GET_ROLE, "Role"))?;
                    required(GET_ROLE, "Arn", Some(role.arn()))?
                }
            }
        }
        PrincipalKind::User => {
            const OP: &str = "iam:GetUser";
            let out = c.iam.get_user().user_name(&wanted.name).send().await;
            match found(OP, out, GetUserError::is_no_such_entity_exception)? {
                None => return Ok(Some(false)),
                Some(out) => {
                    let user = out.user().ok_or_else(|| missing(OP, "User"))?;
                    required(OP, "Arn", Some(user.arn()))?
                }
            }
        }
    };
    let Some(observed) = parse_principal_arn(&observed_arn) else {
        return Err(AwsError::new(
            "iam:GetRole/GetUser",
            INVALID_RESPONSE,
            format!("the response's Arn {observed_arn:?} is not a role or user ARN"),
        ));
    };
    if observed.account_id != wanted.account_id || observed.partition != wanted.partition {
        return Ok(None);
    }
    Ok(Some(
        observed.path == wanted.path && observed.name.eq_ignore_ascii_case(&wanted.name),
    ))
}

/// `GetAccountSummary`: the account's trust-policy size quota
/// (`AssumeRolePolicySizeQuota`, characters without whitespace), if reported.
pub async fn trust_policy_size_quota(c: &AwsClients) -> Result<Option<usize>, AwsError> {
    const OP: &str = "iam:GetAccountSummary";
    let out = c
        .iam
        .get_account_summary()
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    Ok(out
        .summary_map()
        .and_then(|map| map.get(&SummaryKeyType::AssumeRolePolicySizeQuota))
        .and_then(|&quota| usize::try_from(quota).ok()))
}

/// Builds an [`ObservedRole`] from a response's `Role`; for `CreateRole`,
/// fields the response omits are taken from the request.
fn observed_role(
    operation: &'static str,
    role: &Role,
    request: Option<&NewRole<'_>>,
) -> Result<ObservedRole, AwsError> {
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

    #[test]
    fn percent_decoding_follows_rfc_3986() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D").as_deref(),
            Some(r#"{"Version":"2012-10-17"}"#)
        );
        // '+' is a literal plus in IAM's encoding, and a space is %20.
        assert_eq!(percent_decode("a+b%20c%2Bd").as_deref(), Some("a+b c+d"));
        assert_eq!(percent_decode("%e2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode(""), Some(String::new()));
        for bad in ["%", "%7", "%zz", "%+1", "%-1", "%C3"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn policy_documents_are_decoded_unless_already_json() {
        assert_eq!(
            decode_policy_document("iam:GetRole", "%7B%22a%22%3A%22100%25%22%7D").unwrap(),
            r#"{"a":"100%"}"#
        );
        assert_eq!(
            decode_policy_document("iam:GetRole", r#" {"a":"100%25"}"#).unwrap(),
            r#" {"a":"100%25"}"#
        );
        let err = decode_policy_document("iam:GetRolePolicy", "%7B%2").unwrap_err();
        assert_eq!(err.code, INVALID_RESPONSE);
        assert_eq!(err.operation, "iam:GetRolePolicy");
    }

    #[test]
    fn principal_arns_split_into_kind_path_and_name() {
        assert_eq!(
            parse_principal_arn("arn:aws:iam::123456789012:role/app"),
            Some(IamPrincipalArn {
                partition: "aws".into(),
                account_id: "123456789012".into(),
                kind: PrincipalKind::Role,
                path: "/".into(),
                name: "app".into(),
            })
        );
        let nested = parse_principal_arn("arn:aws-cn:iam::1:user/teams/ops/alice").unwrap();
        assert_eq!(nested.kind, PrincipalKind::User);
        assert_eq!(nested.path, "/teams/ops/");
        assert_eq!(nested.name, "alice");
        assert_eq!(nested.partition, "aws-cn");
        for not_principal in [
            "arn:aws:iam::123456789012:root",
            "arn:aws:sts::123456789012:assumed-role/app/session",
            "arn:aws:iam::123456789012:policy/p",
            "arn:aws:iam::123456789012:group/g",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role/a//b",
            "arn:aws:iam:us-east-1:123456789012:role/app",
            "arn:aws:iam:::role/app",
            "role/app",
            "",
        ] {
            assert_eq!(parse_principal_arn(not_principal), None, "{not_principal}");
        }
    }

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
        let observed = observed_role(CREATE_ROLE, &role, Some(&request)).unwrap();
        assert_eq!(observed.trust_policy, "{}");
        assert_eq!(observed.max_session_duration, 7200);
        assert_eq!(observed.description.as_deref(), Some("d"));
        assert_eq!(
            observed.permissions_boundary.as_deref(),
            Some("arn:aws:iam::1:policy/b")
        );
        assert_eq!(observed.tags, tags);
        assert_eq!(observed.create_date_epoch, Some(1_700_000_000));

        let bare = observed_role(GET_ROLE, &role, None).unwrap();
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
        let err = observed_role(GET_ROLE, &no_arn, None).unwrap_err();
        assert_eq!(
            (err.operation, err.code.as_str()),
            (GET_ROLE, INVALID_RESPONSE)
        );
    }
}
