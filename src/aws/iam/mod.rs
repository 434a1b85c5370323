//! IAM calls, one file per noun: roles with their managed and inline
//! policies (`role.rs`), managed policies (`policy.rs`), OIDC providers
//! (`oidc_provider.rs`), principal look-ups (`principal.rs`) and the
//! account's trust-policy size quota (`account.rs`). This file holds what
//! they share, reading policy documents back, and re-exports every call, so
//! callers write `aws::iam::get_role` and never name the files.
//!
//! One `async fn` per API call (or a small composite such as
//! [`delete_role_fully`]). IAM answers `NoSuchEntity` for a missing role,
//! policy, user or provider; each call turns it into `Ok(None)` (or success,
//! for deletes), so no caller outside `aws/` matches error codes. Results are
//! plain structs. Policy documents come back URL-decoded.
//!
//! API semantics that matter to callers:
//! - `UpdateRole` resets `MaxSessionDuration` to 3600 when it is omitted, so
//!   [`update_role`] always sends it; it sends `Description = ""` to clear the
//!   description (IAM then omits it, read back as `None`).
//! - Policy documents (`AssumeRolePolicyDocument`, `GetRolePolicy`) are
//!   percent-encoded per RFC 3986: `+` is a literal plus, not a space.

mod account;
mod oidc_provider;
mod policy;
mod principal;
mod role;

pub use account::trust_policy_size_quota;
pub use oidc_provider::{get_oidc_provider, list_oidc_provider_arns, ObservedOidcProvider};
pub use policy::policy_exists;
pub use principal::{parse_principal_arn, principal_exists, IamPrincipalArn, PrincipalKind};
pub use role::{
    attach_role_policy, create_role, delete_role_fully, delete_role_permissions_boundary,
    delete_role_policy, detach_role_policy, get_role, get_role_policy, list_attached_role_policies,
    list_instance_profiles_for_role, list_role_policy_names, put_role_permissions_boundary,
    put_role_policy, remove_role_from_instance_profile, tag_role, untag_role,
    update_assume_role_policy, update_role, NewRole, ObservedRole,
};

use super::response::INVALID_RESPONSE;
use super::AwsError;

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
}
