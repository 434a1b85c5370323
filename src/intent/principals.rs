//! Who may assume an access role: the IAM role and user ARNs a trust policy
//! names (no wildcards, no STS session ARNs, the account root only by
//! choice), the organisation ID of `aws:PrincipalOrgID`, IAM Identity Center
//! roles that cannot pass an MFA check, and the checks that need the account
//! (same partition, not the role itself).
//!
//! Pure: no I/O.

use std::collections::BTreeSet;

use crate::arn::Arn;

use super::names::{self, parse_role_arn, parse_user_arn};
use super::{Account, IntentError};

/// The path IAM Identity Center gives the roles it creates; their sessions carry no MFA flag.
pub const IDENTITY_CENTER_ROLE_PATH_PREFIX: &str = "/aws-reserved/sso.amazonaws.com/";

/// Who may assume a role: a non-empty set of IAM role or user ARNs (paths
/// allowed); the account root `arn:<p>:iam::<acct>:root` only when
/// `allow_root`; no wildcards; no STS session ARNs. Paths are `[attribute]`
/// for the set, `[attribute, arn]` for an element.
pub fn validate_principal_arns(
    attribute: &str,
    arns: &BTreeSet<String>,
    allow_root: bool,
) -> Vec<IntentError> {
    if arns.is_empty() {
        return vec![IntentError::error(
            &[attribute],
            "No principals",
            format!("{attribute} is empty: nobody could assume the role. List the IAM roles or users that may, e.g. arn:aws:iam::123456789012:role/platform-oncall."),
        )];
    }
    arns.iter()
        .filter_map(|arn| {
            check_principal_arn(arn, allow_root)
                .err()
                .map(|(summary, detail)| {
                    IntentError::error(&[attribute, arn.as_str()], summary, detail)
                })
        })
        .collect()
}

fn check_principal_arn(arn: &str, allow_root: bool) -> Result<(), (&'static str, String)> {
    if arn.contains(['*', '?']) {
        return Err((
            "Wildcard principal",
            format!("{arn:?} holds a wildcard; a trust policy principal must name one role or user. List each principal."),
        ));
    }
    if let Some(parsed) = Arn::parse(arn) {
        if parsed.service == "sts" {
            return Err((
                "Session ARN as principal",
                format!("{arn:?} is an STS session ARN, which changes with every session; trust the role itself: arn:{}:iam::{}:role/ROLE_NAME (with its path, if it has one).", parsed.partition, parsed.account),
            ));
        }
        if parsed.service == "iam" && parsed.region.is_empty() && parsed.resource == "root" {
            if !allow_root {
                return Err((
                    "Account root as principal",
                    format!("{arn:?} trusts every role and user of account {} that its administrators allow. Name the roles or users instead.", parsed.account),
                ));
            }
            names::validate_partition(parsed.partition)
                .and_then(|()| names::validate_account_id(parsed.account))
                .map_err(|e| ("Invalid principal ARN", format!("{arn:?}: {e}.")))?;
            return Ok(());
        }
    }
    if parse_role_arn(arn).is_ok() || parse_user_arn(arn).is_ok() {
        return Ok(());
    }
    let why = parse_role_arn(arn)
        .err()
        .filter(|_| arn.contains(":role/"))
        .or_else(|| parse_user_arn(arn).err().filter(|_| arn.contains(":user/")))
        .unwrap_or_else(|| format!("{arn:?} is not an IAM role or user ARN"));
    Err((
        "Invalid principal ARN",
        format!("{why}. Use arn:aws:iam::123456789012:role/NAME or arn:aws:iam::123456789012:user/NAME (paths allowed)."),
    ))
}

/// Warnings for IAM Identity Center roles among principals of an MFA-gated
/// role: their sessions carry no MFA flag (`docs/design/aws-facts.md` "Limits
/// and formats"), so IAM refuses them.
pub fn identity_center_mfa_warnings(attribute: &str, arns: &BTreeSet<String>) -> Vec<IntentError> {
    arns.iter()
        .filter(|arn| {
            parse_role_arn(arn).is_ok_and(|r| r.path.starts_with(IDENTITY_CENTER_ROLE_PATH_PREFIX))
        })
        .map(|arn| {
            IntentError::warning(
                &[attribute, arn.as_str()],
                "Principal cannot pass the MFA check",
                format!("{arn:?} is an IAM Identity Center role; its sessions carry no aws:MultiFactorAuthPresent flag, so a trust policy requiring MFA refuses it even when the person signed in with MFA. Use IAM users with MFA devices, or a role assumed with MFA."),
            )
        })
        .collect()
}

/// An AWS Organizations ID for `aws:PrincipalOrgID`: `o-` + 10-32 lowercase letters or digits.
pub fn validate_principal_org_id(attribute: &str, org_id: &str) -> Vec<IntentError> {
    let ok = org_id.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if ok {
        Vec::new()
    } else {
        vec![IntentError::error(
            &[attribute],
            "Invalid organization ID",
            format!("{org_id:?} is not an AWS Organizations ID: expected o- and 10-32 lowercase letters or digits, e.g. o-a1b2c3d4e5. `aws organizations describe-organization` shows it."),
        )]
    }
}

/// The warning for principals in other accounts than `account` when no
/// `aws:PrincipalOrgID` condition (`principal_org_id`) pins them to the
/// organisation: the role then trusts a name in an account whose owner this
/// configuration does not control (the role or user could be deleted and
/// created again by someone else). Path `[attribute]`.
pub fn cross_account_org_warning(
    attribute: &str,
    arns: &BTreeSet<String>,
    account: &Account,
    principal_org_id: Option<&str>,
) -> Option<IntentError> {
    if principal_org_id.is_some() {
        return None;
    }
    let others: BTreeSet<&str> = arns
        .iter()
        .filter_map(|arn| Arn::parse(arn))
        .map(|a| a.account)
        .filter(|a| !a.is_empty() && *a != account.account_id)
        .collect();
    (!others.is_empty()).then(|| {
        let list = others.into_iter().collect::<Vec<_>>().join(", ");
        IntentError::warning(
            &[attribute],
            "Principals in other accounts without an organization check",
            format!("Principals in account(s) {list} may assume the role, and nothing ties those accounts to your organization. Set principal_org_id to your AWS Organizations ID so that only principals of your organization get in."),
        )
    })
}

/// The checks of principals that need the account: same partition as the
/// role (trust cannot cross partitions), and not the role itself (IAM refuses
/// a trust policy naming a role that does not exist yet). Paths `[attribute, arn]`.
pub fn check_principals_against_account(
    attribute: &str,
    arns: &BTreeSet<String>,
    account: &Account,
    role_name: &str,
) -> Vec<IntentError> {
    let mut problems = Vec::new();
    for arn in arns {
        let Some(parsed) = Arn::parse(arn) else {
            continue;
        };
        if parsed.partition != account.partition {
            problems.push(IntentError::error(
                &[attribute, arn.as_str()],
                "Principal in another partition",
                format!(
                    "{arn:?} is in partition {:?} but the role is created in {:?}; trust cannot cross partitions.",
                    parsed.partition, account.partition
                ),
            ));
            continue;
        }
        let own = parse_role_arn(arn).is_ok_and(|r| {
            r.account_id == account.account_id && r.name.eq_ignore_ascii_case(role_name)
        });
        if own {
            problems.push(IntentError::error(
                &[attribute, arn.as_str()],
                "Principal is this role",
                format!("{arn:?} names the role this resource creates; a role cannot trust itself. Remove it."),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests;
