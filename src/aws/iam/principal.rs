//! IAM principals named by ARN (roles and users that may assume a role or
//! hold an access entry): splitting such an ARN, and whether the principal
//! exists in the provider's account.

use aws_sdk_iam::operation::get_role::GetRoleError;
use aws_sdk_iam::operation::get_user::GetUserError;

use super::role::GET_ROLE;
use crate::aws::response::{missing, required, SdkAnswer, INVALID_RESPONSE};
use crate::aws::{AwsClients, AwsError};

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
            match out.found(GET_ROLE, GetRoleError::is_no_such_entity_exception)? {
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
            match out.found(OP, GetUserError::is_no_such_entity_exception)? {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
