//! IAM principals named by ARN (roles and users that may assume a role or
//! hold an access entry): whether the principal exists in the provider's
//! account, and a role's trust policy (whether it is entered through
//! federation). The ARN is split by `crate::arn`.

use aws_sdk_iam::operation::get_role::GetRoleError;
use aws_sdk_iam::operation::get_user::GetUserError;

use super::decode_policy_document;
use super::role::GET_ROLE;
use crate::arn::{parse_principal, Principal, PrincipalKind};
use crate::aws::response::{missing, required, SdkAnswer, INVALID_RESPONSE};
use crate::aws::{AwsClients, AwsError};

/// A role or user ARN, split; `None` for anything `GetRole`/`GetUser`
/// cannot look up (`:root`, STS session ARNs, other resources, malformed text).
fn role_or_user(arn: &str) -> Option<Principal<'_>> {
    parse_principal(arn).filter(Principal::is_role_or_user)
}

/// What `GetRole` / `GetUser` found for a principal ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObservedPrincipal {
    /// The ARN is not a role or user ARN, or names another account than the
    /// one IAM answered for: nothing was looked up.
    NotLookedUp,
    /// No such role or user (with this path) in the account.
    Missing,
    /// The role exists; its trust policy, URL-decoded JSON text (what says
    /// whether it is entered through SAML or OIDC federation).
    Role { trust_policy: String },
    /// The user exists.
    User,
    /// The name exists under another path (IAM names are unique in an
    /// account whatever the path): the ARN that exists.
    OtherPath(String),
}

/// The IAM role or user an ARN names, with the same path and account:
/// `GetRole` / `GetUser` by name. Only the caller's own account can be
/// looked up; callers should ask only about ARNs in the provider's account.
/// Names compare case-insensitively, as IAM treats them; paths compare
/// exactly.
pub async fn get_principal(c: &AwsClients, arn: &str) -> Result<ObservedPrincipal, AwsError> {
    let Some(wanted) = parse_principal(arn) else {
        return Ok(ObservedPrincipal::NotLookedUp);
    };
    let (observed_arn, found) = match wanted.kind {
        PrincipalKind::Role => {
            let out = c.iam.get_role().role_name(wanted.name).send().await;
            match out.found(GET_ROLE, GetRoleError::is_no_such_entity_exception)? {
                None => return Ok(ObservedPrincipal::Missing),
                Some(out) => {
                    let role = out.role().ok_or_else(|| missing(GET_ROLE, "Role"))?;
                    // Only read for a hint: an absent document reads as
                    // one that trusts no identity provider.
                    let trust = role.assume_role_policy_document().unwrap_or_default();
                    (
                        required(GET_ROLE, "Arn", Some(role.arn()))?,
                        ObservedPrincipal::Role {
                            trust_policy: decode_policy_document(GET_ROLE, trust)?,
                        },
                    )
                }
            }
        }
        PrincipalKind::User => {
            const OP: &str = "iam:GetUser";
            let out = c.iam.get_user().user_name(wanted.name).send().await;
            match out.found(OP, GetUserError::is_no_such_entity_exception)? {
                None => return Ok(ObservedPrincipal::Missing),
                Some(out) => {
                    let user = out.user().ok_or_else(|| missing(OP, "User"))?;
                    (
                        required(OP, "Arn", Some(user.arn()))?,
                        ObservedPrincipal::User,
                    )
                }
            }
        }
        // The account, or a session of a role: nothing GetRole/GetUser finds.
        PrincipalKind::Root | PrincipalKind::AssumedRole | PrincipalKind::FederatedUser => {
            return Ok(ObservedPrincipal::NotLookedUp)
        }
    };
    let Some(observed) = role_or_user(&observed_arn) else {
        return Err(AwsError::new(
            "iam:GetRole/GetUser",
            INVALID_RESPONSE,
            format!("the response's Arn {observed_arn:?} is not a role or user ARN"),
        ));
    };
    if observed.account != wanted.account || observed.partition != wanted.partition {
        return Ok(ObservedPrincipal::NotLookedUp);
    }
    match observed.path == wanted.path {
        true if observed.name.eq_ignore_ascii_case(wanted.name) => Ok(found),
        true => Ok(ObservedPrincipal::Missing),
        false => Ok(ObservedPrincipal::OtherPath(observed_arn)),
    }
}

/// When the role or user an ARN names was created, as far as IAM of the
/// provider's account can say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalAge {
    /// Not a role or user ARN: nothing was looked up.
    NotLookedUp,
    /// No role or user of that name exists.
    Missing,
    /// It exists; created at (seconds since the epoch), when IAM says.
    Created(Option<i64>),
}

/// `GetRole` / `GetUser` by the ARN's name: when the principal was created.
/// IAM names are unique in an account whatever the path, and EKS matches an
/// entry's principal by name too, so the path is not compared. Callers ask
/// only about ARNs of the provider's account.
pub async fn principal_age(c: &AwsClients, arn: &str) -> Result<PrincipalAge, AwsError> {
    let Some(wanted) = role_or_user(arn) else {
        return Ok(PrincipalAge::NotLookedUp);
    };
    let created = match wanted.kind {
        PrincipalKind::Role => match super::role::get_role(c, wanted.name).await? {
            None => return Ok(PrincipalAge::Missing),
            Some(role) => role.create_date_epoch,
        },
        _ => {
            const OP: &str = "iam:GetUser";
            let out = c.iam.get_user().user_name(wanted.name).send().await;
            match out.found(OP, GetUserError::is_no_such_entity_exception)? {
                None => return Ok(PrincipalAge::Missing),
                Some(out) => {
                    let user = out.user().ok_or_else(|| missing(OP, "User"))?;
                    // The SDK fills an absent required timestamp with the epoch.
                    Some(user.create_date().secs()).filter(|secs| *secs != 0)
                }
            }
        }
    };
    Ok(PrincipalAge::Created(created))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only roles and users are looked up; the splitting itself is tested
    /// with `crate::arn`.
    #[test]
    fn only_role_and_user_arns_are_looked_up() {
        let role = role_or_user("arn:aws:iam::123456789012:role/teams/app").unwrap();
        assert_eq!(
            (role.kind, role.path, role.name),
            (PrincipalKind::Role, "/teams/", "app")
        );
        let user = role_or_user("arn:aws-cn:iam::1:user/alice").unwrap();
        assert_eq!((user.kind, user.account), (PrincipalKind::User, "1"));
        for not_looked_up in [
            "arn:aws:iam::123456789012:root",
            "arn:aws:sts::123456789012:assumed-role/app/session",
            "arn:aws:sts::123456789012:federated-user/bob",
            "arn:aws:iam::123456789012:policy/p",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role//app",
            "arn:aws:iam::12345678901x:role/app",
        ] {
            assert_eq!(role_or_user(not_looked_up), None, "{not_looked_up}");
        }
    }
}
