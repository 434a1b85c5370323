//! Reading the documents the intents write back: what a trust policy says
//! (principals, OIDC provider, audience and subjects, MFA, external ID,
//! organisation, window, source identity) for import and refresh, the view of
//! a trust policy with its external ID redacted (so the secret never lands in
//! a plain attribute), and the target role of the generated "assume the
//! target" policy.
//!
//! These readers sit beside the builders in [`super::workload_identity`],
//! [`super::team_access`] and [`super::break_glass`]; the round-trip tests
//! build a document with a builder and read the inputs back. Pure: documents
//! in (plain or URL-encoded as IAM returns them), values out.

use std::collections::BTreeSet;

use serde_json::Value;

use super::policy_json::{
    canonical_json_value, decode_iam_policy_document, single_string, statements, statements_mut,
    string_values,
};

const EXTERNAL_ID_KEY: &str = "sts:ExternalId";
/// Replaces an external ID equal to the configured one.
pub const REDACTED: &str = "(sensitive)";
/// Replaces an external ID that differs from the configured one.
pub const REDACTED_OTHER: &str = "(sensitive, differs from external_id)";

fn parse(doc: &str) -> Option<Value> {
    serde_json::from_str(&decode_iam_policy_document(doc)).ok()
}

/// The trust policy with every `sts:ExternalId` value replaced by a marker:
/// [`REDACTED`] when it equals `external_id`, [`REDACTED_OTHER`] when not, so
/// a changed ID still shows as drift without being revealed. A document that
/// does not parse is returned unchanged.
pub fn redact_external_id(doc: &str, external_id: Option<&str>) -> String {
    let Some(mut json) = parse(doc) else {
        return doc.to_owned();
    };
    let marker = |v: &Value| -> Value {
        let same = external_id.is_some() && single_string(v) == external_id;
        Value::from(if same { REDACTED } else { REDACTED_OTHER })
    };
    for statement in statements_mut(&mut json) {
        let Some(conditions) = statement
            .get_mut("Condition")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for block in conditions.values_mut() {
            if let Some(v) = block
                .as_object_mut()
                .and_then(|keys| keys.get_mut(EXTERNAL_ID_KEY))
            {
                *v = marker(v);
            }
        }
    }
    canonical_json_value(&json)
}

/// What a trust policy's `Allow` statements say, as far as import needs it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TrustFacts {
    /// `AWS` principals.
    pub principal_arns: BTreeSet<String>,
    /// The (last) `Federated` principal: an OIDC provider ARN.
    pub federated: Option<String>,
    /// `StringEquals` on `<issuer>:aud`.
    pub audience: Option<String>,
    /// `<issuer>:sub` under `StringEquals` or `StringLike`.
    pub subjects: BTreeSet<String>,
    /// The subjects are matched with `StringLike`.
    pub subjects_wildcard: bool,
    /// `Bool aws:MultiFactorAuthPresent` is `"true"`.
    pub mfa: bool,
    /// `NumericLessThan aws:MultiFactorAuthAge`.
    pub mfa_max_age: Option<i64>,
    /// `StringEquals sts:ExternalId`: a secret.
    pub external_id: Option<String>,
    pub principal_org_id: Option<String>,
    /// `DateGreaterThan aws:CurrentTime`.
    pub not_before: Option<String>,
    /// `DateLessThan aws:CurrentTime`.
    pub not_after: Option<String>,
    /// A condition on `sts:SourceIdentity` that needs one (not `…IfExists`).
    pub source_identity_required: bool,
}

/// Reads a trust policy; a document that does not parse says nothing.
/// Where a condition holds several values, the first in sorted order is taken.
pub fn facts(doc: &str) -> TrustFacts {
    let mut f = TrustFacts::default();
    let Some(json) = parse(doc) else { return f };
    for statement in statements(&json) {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let principal = statement.get("Principal");
        if let Some(aws) = principal.and_then(|p| p.get("AWS")) {
            f.principal_arns
                .extend(string_values(aws).into_iter().map(str::to_owned));
        }
        if let Some(federated) = principal
            .and_then(|p| p.get("Federated"))
            .and_then(Value::as_str)
        {
            f.federated = Some(federated.to_owned());
        }
        let Some(conditions) = statement.get("Condition").and_then(Value::as_object) else {
            continue;
        };
        for (op, block) in conditions {
            let Some(block) = block.as_object() else {
                continue;
            };
            for (key, value) in block {
                let values: BTreeSet<String> = string_values(value)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let one = values.first().cloned();
                match (op.as_str(), key.as_str()) {
                    ("Bool", "aws:MultiFactorAuthPresent") => {
                        f.mfa = one.as_deref() == Some("true")
                    }
                    ("NumericLessThan", "aws:MultiFactorAuthAge") => {
                        f.mfa_max_age = one.and_then(|s| s.parse().ok())
                    }
                    ("StringEquals", EXTERNAL_ID_KEY) => f.external_id = one,
                    ("StringEquals", "aws:PrincipalOrgID") => f.principal_org_id = one,
                    ("DateGreaterThan", "aws:CurrentTime") => f.not_before = one,
                    ("DateLessThan", "aws:CurrentTime") => f.not_after = one,
                    // `…IfExists` admits a request without one.
                    (op, "sts:SourceIdentity") if !op.ends_with("IfExists") => {
                        f.source_identity_required = true
                    }
                    ("StringEquals", k) if k.ends_with(":aud") => f.audience = one,
                    ("StringEquals", k) if k.ends_with(":sub") => f.subjects = values,
                    ("StringLike", k) if k.ends_with(":sub") => {
                        f.subjects = values;
                        f.subjects_wildcard = true;
                    }
                    _ => {}
                }
            }
        }
    }
    f
}

/// The `Federated` principal of the first statement naming one: the OIDC
/// provider an IRSA (or CI) trust policy trusts.
pub fn oidc_provider_of_trust(doc: &str) -> Option<String> {
    let json = parse(doc)?;
    statements(&json).into_iter().find_map(|s| {
        s.get("Principal")?
            .get("Federated")?
            .as_str()
            .map(str::to_owned)
    })
}

/// The one `<issuer>:aud` value an IRSA trust policy requires under `StringEquals`.
pub fn audience_of_trust(doc: &str) -> Option<String> {
    let json = parse(doc)?;
    statements(&json).into_iter().find_map(|s| {
        let equals = s.get("Condition")?.get("StringEquals")?.as_object()?;
        equals
            .iter()
            .find(|(k, _)| k.ends_with(":aud"))
            .and_then(|(_, v)| single_string(v))
            .map(str::to_owned)
    })
}

/// The one role a generated "assume the target" policy allows
/// (see [`super::workload_identity::assume_target_policy`]).
pub fn target_of_assume_policy(doc: &str) -> Option<String> {
    let json = parse(doc)?;
    statements(&json)
        .into_iter()
        .find_map(|s| single_string(s.get("Resource")?).map(str::to_owned))
}

#[cfg(test)]
mod tests;
