//! IAM calls, one file per noun: roles with their managed and inline
//! policies (`role.rs`), the account-wide role listings plan-time reads share
//! (`listing.rs`), managed policies (`policy.rs`), OIDC providers
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
mod listing;
mod oidc_provider;
mod policy;
mod principal;
mod role;

pub use account::trust_policy_size_quota;
pub use listing::{list_roles, listed_role, role_details, ListedRole, RoleDetails};
pub use oidc_provider::{get_oidc_provider, list_oidc_provider_arns, ObservedOidcProvider};
pub use policy::policy_exists;
pub use principal::{get_principal, principal_age, ObservedPrincipal, PrincipalAge};
pub use role::{
    attach_role_policy, create_role, delete_role_fully, delete_role_knowing,
    delete_role_permissions_boundary, delete_role_policy, detach_role_policy, get_role,
    get_role_policy, list_attached_role_policies, list_instance_profiles_for_role,
    list_role_policy_names, list_roles_under_path, put_role_permissions_boundary, put_role_policy,
    remove_role_from_instance_profile, tag_role, untag_role, update_assume_role_policy,
    update_role, NewRole, ObservedRole,
};

use super::response::INVALID_RESPONSE;
use super::AwsError;

/// A policy document from IAM as JSON text. IAM percent-encodes documents
/// (they start with `%7B`); text that already starts with `{` is returned
/// unchanged (both rules live in [`crate::arn::decode_policy_document`]).
/// Malformed escapes are an invalid response from `operation`.
pub fn decode_policy_document(operation: &'static str, text: &str) -> Result<String, AwsError> {
    crate::arn::decode_policy_document(text).ok_or_else(|| {
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

    /// The decoding rules are tested with `crate::arn`; here, that a
    /// malformed document is an invalid response from the operation read.
    #[test]
    fn a_malformed_policy_document_is_an_invalid_response() {
        let err = decode_policy_document("iam:GetRolePolicy", "%7B%2").unwrap_err();
        assert_eq!(err.code, INVALID_RESPONSE);
        assert_eq!(err.operation, "iam:GetRolePolicy");
        assert_eq!(
            decode_policy_document("iam:GetRole", "%7B%7D").as_deref(),
            Ok("{}")
        );
    }
}
