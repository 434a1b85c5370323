//! Principal roles entered through federation (a SAML or OIDC identity
//! provider, or IAM Identity Center, which federates through SAML): their
//! sessions never carry `aws:MultiFactorAuthPresent`, because AWS cannot
//! tell whether the identity provider asked for MFA
//! (`docs/design/aws-facts.md`, "Trust policy condition keys"). An access
//! role requiring MFA therefore refuses them; this module reads a principal
//! role's trust policy and says what the plan reports. Pure: no I/O.

use serde_json::Value;

use crate::intent::cluster_access::MfaRequirement;
use crate::intent::principals::IDENTITY_CENTER_ROLE_PATH_PREFIX;

use super::Problem;

/// How a principal role is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Federation {
    /// `sts:AssumeRoleWithSAML` from a SAML provider.
    Saml,
    /// `sts:AssumeRoleWithWebIdentity` from an OIDC provider.
    WebIdentity,
}

impl Federation {
    fn describe(self) -> &'static str {
        match self {
            Federation::Saml => "SAML federation (sts:AssumeRoleWithSAML)",
            Federation::WebIdentity => "OIDC federation (sts:AssumeRoleWithWebIdentity)",
        }
    }
}

/// The federation a role's trust policy allows: an `Allow` statement with a
/// `Federated` principal. A role that also trusts IAM principals counts as
/// federated: the sessions that come through the identity provider still
/// cannot pass. Text that is not a policy reads as not federated (the
/// check is a hint, never a reason to fail on IAM's answer).
pub fn federation(trust_policy: &str) -> Option<Federation> {
    let doc: Value = serde_json::from_str(trust_policy).ok()?;
    let statements = match doc.get("Statement")? {
        Value::Array(list) => list.iter().collect::<Vec<_>>(),
        one => vec![one],
    };
    let mut found = None;
    for statement in statements {
        let allows = statement.get("Effect").and_then(Value::as_str) == Some("Allow");
        let federated = statement
            .get("Principal")
            .and_then(|p| p.get("Federated"))
            .is_some();
        if !(allows && federated) {
            continue;
        }
        let actions = match statement.get("Action") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let saml = actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case("sts:AssumeRoleWithSAML"));
        if saml {
            return Some(Federation::Saml);
        }
        found = Some(Federation::WebIdentity);
    }
    found
}

/// Whether a role ARN names an IAM Identity Center role
/// (`/aws-reserved/sso.amazonaws.com/…/AWSReservedSSO_…`).
fn is_identity_center_role(arn: &str) -> bool {
    crate::arn::parse_principal(arn).is_some_and(|p| {
        p.path.starts_with(IDENTITY_CENTER_ROLE_PATH_PREFIX)
            && p.name.starts_with("AWSReservedSSO_")
    })
}

/// What the plan says about a federated principal `arn` of an access role
/// whose trust policy requires MFA as `mfa` says:
/// - `require_mfa = true` set in the configuration: an error on
///   `require_mfa` (the configuration asks for what cannot happen);
/// - the default: a warning on `require_mfa` (the principal cannot get in
///   until `require_mfa = false`, but a configuration that worked before
///   this check keeps planning);
/// - break-glass (MFA always required): an error on the principal, which
///   could never break glass.
///
/// An Identity Center role under the default gets no second warning here:
/// the static check names it already (`identity_center_mfa_warnings`).
pub fn mfa_problem(
    arn: &str,
    federation: Federation,
    mfa: MfaRequirement,
    principals_attribute: &str,
) -> Option<Problem> {
    let how = federation.describe();
    let why = format!(
        "{arn} is a role entered through {how}. Its sessions never carry aws:MultiFactorAuthPresent: AWS cannot tell whether \
         the identity provider asked for MFA, so a trust policy requiring MFA refuses them, even when the person signed in with MFA."
    );
    match mfa {
        MfaRequirement::Off => None,
        MfaRequirement::Default if is_identity_center_role(arn) => None,
        MfaRequirement::Default => Some(Problem::warning(
            &["require_mfa"],
            "Federated principal cannot pass the MFA check",
            format!("{why} require_mfa defaults to true; enforce MFA in the identity provider and set require_mfa = false, or this principal cannot assume the role."),
        )),
        MfaRequirement::Explicit => Some(Problem::error(
            &["require_mfa"],
            "Federated principal cannot pass the MFA check",
            format!("{why} Enforce MFA in the identity provider and set require_mfa = false, or list IAM users with MFA devices (or roles assumed with MFA) instead."),
        )),
        MfaRequirement::Always => Some(Problem::error(
            &[principals_attribute, arn],
            "Federated principal cannot break glass",
            format!("{why} Break-glass always requires MFA: list IAM users with MFA devices (or roles they assume with MFA) instead."),
        )),
    }
}

#[cfg(test)]
mod tests;
