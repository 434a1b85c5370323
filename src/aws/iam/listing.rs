//! Account-wide role listings, for plan-time reads that would otherwise ask
//! about every role one call at a time:
//!
//! - `ListRoles`: every role with its ID, path, trust policy, description and
//!   maximum session duration. IAM's listing calls return a subset of a
//!   role's attributes: never its tags nor its permissions boundary.
//! - `GetAccountAuthorizationDetails` filtered to roles: every role with its
//!   trust policy, tags, permissions boundary, attached managed policies and
//!   inline policies (with their documents), but no description and no
//!   maximum session duration.
//!
//! Together they hold everything `GetRole`, `ListAttachedRolePolicies`,
//! `ListRolePolicies` and `GetRolePolicy` say of a role. Both ask for pages of
//! 1,000 roles, the largest `MaxItems` either accepts (IAM may return fewer
//! and says so with a marker; every page is read).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::{EntityType, RoleDetail};

use super::decode_policy_document;
use super::role::observed_role;
use super::ObservedRole;
use crate::aws::response::{non_empty, required, SdkAnswer};
use crate::aws::{AwsClients, AwsError};

const LIST_ROLES: &str = "iam:ListRoles";
const ACCOUNT_DETAILS: &str = "iam:GetAccountAuthorizationDetails";

/// The largest page both listings accept.
const PAGE_SIZE: i32 = 1000;

/// What `GetAccountAuthorizationDetails` says of one role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleDetails {
    pub name: String,
    pub role_id: String,
    /// The trust policy, URL-decoded JSON text.
    pub trust_policy: String,
    pub permissions_boundary: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub attached_policy_arns: BTreeSet<String>,
    /// Inline policy name → document (URL-decoded JSON text).
    pub inline_policies: BTreeMap<String, String>,
}

/// A role as the two listings together show it: what `GetRole`,
/// `ListAttachedRolePolicies`, `ListRolePolicies` and `GetRolePolicy` say of
/// it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedRole {
    pub role: ObservedRole,
    pub attached_policy_arns: BTreeSet<String>,
    /// Inline policy name → document (URL-decoded JSON text).
    pub inline_policies: BTreeMap<String, String>,
}

/// One role from both listings: `listed` (from [`list_roles`]) completed
/// with `details`. `None` unless both show the same role the same way (name,
/// unique ID and trust policy): a role recreated or changed between the two
/// calls is read again, one call at a time, by the caller.
pub fn listed_role(listed: &ObservedRole, details: &RoleDetails) -> Option<ListedRole> {
    let same = listed.name == details.name
        && listed.role_id == details.role_id
        && listed.trust_policy == details.trust_policy;
    same.then(|| ListedRole {
        role: ObservedRole {
            permissions_boundary: details.permissions_boundary.clone(),
            tags: details.tags.clone(),
            ..listed.clone()
        },
        attached_policy_arns: details.attached_policy_arns.clone(),
        inline_policies: details.inline_policies.clone(),
    })
}

/// `ListRoles`, every page: every role of the account. The roles' `tags`
/// are empty and `permissions_boundary` is `None` whatever the role holds:
/// the listing never returns them.
pub async fn list_roles(c: &AwsClients) -> Result<Vec<ObservedRole>, AwsError> {
    let pages = c
        .iam
        .list_roles()
        .into_paginator()
        .page_size(PAGE_SIZE)
        .send()
        .try_collect()
        .await
        .or_error(LIST_ROLES)?;
    pages
        .iter()
        .flat_map(|page| page.roles())
        .map(|role| {
            let mut listed = observed_role(LIST_ROLES, Some(role), None)?;
            // Whatever a listing holds here is not IAM's documented answer.
            listed.tags.clear();
            listed.permissions_boundary = None;
            Ok(listed)
        })
        .collect()
}

/// `GetAccountAuthorizationDetails` with `Filter = [Role]`, every page: the
/// details of every role of the account.
pub async fn role_details(c: &AwsClients) -> Result<Vec<RoleDetails>, AwsError> {
    let pages = c
        .iam
        .get_account_authorization_details()
        .filter(EntityType::Role)
        .into_paginator()
        .page_size(PAGE_SIZE)
        .send()
        .try_collect()
        .await
        .or_error(ACCOUNT_DETAILS)?;
    pages
        .iter()
        .flat_map(|page| page.role_detail_list())
        .map(role_details_of)
        .collect()
}

/// Ours for one `RoleDetailList` item.
fn role_details_of(role: &RoleDetail) -> Result<RoleDetails, AwsError> {
    const OP: &str = ACCOUNT_DETAILS;
    let trust = required(
        OP,
        "RoleDetailList[].AssumeRolePolicyDocument",
        role.assume_role_policy_document(),
    )?;
    let attached = role
        .attached_managed_policies()
        .iter()
        .map(|p| required(OP, "AttachedManagedPolicies[].PolicyArn", p.policy_arn()))
        .collect::<Result<_, _>>()?;
    let inline = role
        .role_policy_list()
        .iter()
        .map(|p| {
            let name = required(OP, "RolePolicyList[].PolicyName", p.policy_name())?;
            let document = required(OP, "RolePolicyList[].PolicyDocument", p.policy_document())?;
            Ok((name, decode_policy_document(OP, &document)?))
        })
        .collect::<Result<_, AwsError>>()?;
    Ok(RoleDetails {
        name: required(OP, "RoleDetailList[].RoleName", role.role_name())?,
        role_id: required(OP, "RoleDetailList[].RoleId", role.role_id())?,
        trust_policy: decode_policy_document(OP, &trust)?,
        permissions_boundary: non_empty(
            role.permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn()),
        ),
        tags: role
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
        attached_policy_arns: attached,
        inline_policies: inline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_iam::types::{AttachedPermissionsBoundary, AttachedPolicy, PolicyDetail, Tag};

    #[test]
    fn role_details_decode_documents_and_keep_every_part() {
        let role = RoleDetail::builder()
            .role_name("app")
            .role_id("AROA1")
            .assume_role_policy_document("%7B%22a%22%3A1%7D")
            .attached_managed_policies(
                AttachedPolicy::builder()
                    .policy_arn("arn:aws:iam::aws:policy/P")
                    .build(),
            )
            .role_policy_list(
                PolicyDetail::builder()
                    .policy_name("inline")
                    .policy_document("%7B%7D")
                    .build(),
            )
            .permissions_boundary(
                AttachedPermissionsBoundary::builder()
                    .permissions_boundary_arn("arn:aws:iam::1:policy/b")
                    .build(),
            )
            .tags(Tag::builder().key("k").value("v").build().unwrap())
            .build();
        let details = role_details_of(&role).unwrap();
        assert_eq!(details.trust_policy, r#"{"a":1}"#);
        assert_eq!(
            details.attached_policy_arns,
            BTreeSet::from(["arn:aws:iam::aws:policy/P".to_owned()])
        );
        assert_eq!(details.inline_policies["inline"], "{}");
        assert_eq!(
            details.permissions_boundary.as_deref(),
            Some("arn:aws:iam::1:policy/b")
        );
        assert_eq!(details.tags["k"], "v");

        let bare = RoleDetail::builder()
            .role_name("bare")
            .role_id("AROA2")
            .assume_role_policy_document("{}")
            .build();
        let bare = role_details_of(&bare).unwrap();
        assert!(bare.tags.is_empty() && bare.inline_policies.is_empty());
        assert_eq!(bare.permissions_boundary, None);

        let nameless = RoleDetail::builder().role_id("AROA3").build();
        assert!(role_details_of(&nameless).is_err());
    }

    fn listed(name: &str, role_id: &str, trust: &str) -> ObservedRole {
        ObservedRole {
            name: name.into(),
            path: "/team/".into(),
            arn: format!("arn:aws:iam::1:role/team/{name}"),
            role_id: role_id.into(),
            description: Some("d".into()),
            trust_policy: trust.into(),
            max_session_duration: 7200,
            permissions_boundary: None,
            tags: BTreeMap::new(),
            create_date_epoch: Some(1),
        }
    }

    fn details(name: &str, role_id: &str, trust: &str) -> RoleDetails {
        RoleDetails {
            name: name.into(),
            role_id: role_id.into(),
            trust_policy: trust.into(),
            permissions_boundary: Some("arn:aws:iam::1:policy/b".into()),
            tags: BTreeMap::from([("k".into(), "v".into())]),
            attached_policy_arns: BTreeSet::from(["arn:aws:iam::aws:policy/P".into()]),
            inline_policies: BTreeMap::from([("i".into(), "{}".into())]),
        }
    }

    #[test]
    fn a_listed_role_takes_each_field_from_the_listing_that_has_it() {
        let role = listed_role(
            &listed("app", "AROA1", "{}"),
            &details("app", "AROA1", "{}"),
        )
        .unwrap();
        // ListRoles: description, session duration, path, ARN, creation date.
        assert_eq!(role.role.description.as_deref(), Some("d"));
        assert_eq!(role.role.max_session_duration, 7200);
        assert_eq!(role.role.path, "/team/");
        assert_eq!(role.role.create_date_epoch, Some(1));
        // GetAccountAuthorizationDetails: tags, boundary, policies.
        assert_eq!(role.role.tags["k"], "v");
        assert_eq!(
            role.role.permissions_boundary.as_deref(),
            Some("arn:aws:iam::1:policy/b")
        );
        assert_eq!(role.attached_policy_arns.len(), 1);
        assert_eq!(role.inline_policies["i"], "{}");
    }

    #[test]
    fn listings_that_disagree_are_not_joined() {
        let one = listed("app", "AROA1", "{}");
        assert_eq!(
            listed_role(&one, &details("app", "AROA2", "{}")),
            None,
            "recreated"
        );
        assert_eq!(
            listed_role(&one, &details("app", "AROA1", "{\"x\":1}")),
            None,
            "trust changed"
        );
        assert_eq!(listed_role(&one, &details("other", "AROA1", "{}")), None);
    }
}
