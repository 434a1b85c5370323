//! The rules that every trust policy eksrole generates must satisfy
//! (`docs/design/trust-policy-rules.md`; no off-the-shelf linter covers
//! them), and the size check against the account's quota. Intents run these on their own
//! output: a violation is a bug in the intent or an unsafe opt-in, never
//! something to ship.
//!
//! Rules (on `Allow` statements; `Deny` statements only narrow access):
//! - the document has a trust-policy shape and no `Resource`/`NotResource`;
//! - no `NotPrincipal`, no wildcard principal, no `:root` (or bare account)
//!   principal unless [`TrustRuleOptions::allow_root_principal`];
//! - every OIDC `Federated` principal has `<issuer>:sub` and `<issuer>:aud`
//!   under `StringEquals` (`StringLike` only with
//!   [`TrustRuleOptions::allow_string_like_oidc`]);
//! - every `Service` principal is scoped by `aws:SourceAccount`,
//!   `aws:SourceArn`, `aws:SourceOrgID` or an `aws:RequestTag/…` condition
//!   under a positive, non-`IfExists` operator;
//! - `aws:MultiFactorAuthPresent` appears only as `Bool` = `"true"`;
//! - the minified size is within the account's quota.

use serde_json::{Map, Value};

use super::policy_json::{
    non_whitespace_len, parse_policy, statements, string_values, validate_policy_shape, PolicyKind,
};
use super::{has_errors, internal, Env, IntentError};

/// IAM's default "Role trust policy length" quota (raisable; read it live
/// when possible, and use this when the account summary does not say).
pub const DEFAULT_TRUST_POLICY_QUOTA: usize = 2048;

/// Opt-ins and limits for [`check_trust_policy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustRuleOptions {
    /// Allow `arn:…:root` / bare account principals (an explicit user choice).
    pub allow_root_principal: bool,
    /// Allow `StringLike` for OIDC `sub`/`aud` (an explicit user choice).
    pub allow_string_like_oidc: bool,
    /// The account's trust policy size quota, whitespace not counted.
    pub size_quota: usize,
}

impl Default for TrustRuleOptions {
    fn default() -> Self {
        TrustRuleOptions {
            allow_root_principal: false,
            allow_string_like_oidc: false,
            size_quota: DEFAULT_TRUST_POLICY_QUOTA,
        }
    }
}

/// The error for a trust policy larger than the account's quota, on `path`:
/// the attribute whose list makes the policy grow (`principal_arns`,
/// `ci_oidc.subjects`), or the resource (`[]`) when no list does.
pub fn check_trust_policy_size(
    trust_policy: &str,
    quota: usize,
    path: &[&str],
    fix: &str,
) -> Option<IntentError> {
    let size = non_whitespace_len(trust_policy);
    (size > quota).then(|| {
        IntentError::error(
            path,
            "Trust policy too large",
            format!(
                "The generated trust policy is {size} characters (whitespace not counted) and the account's \"Role trust policy length\" quota is {quota}. {fix} Or raise the quota (L-C07B4B0D) through Service Quotas."
            ),
        )
    })
}

/// The last checks before an intent builds its objects around
/// `trust_policy`: its size against the quota in `env` joins `problems` (what
/// the checks of the facts found; `size_path` is where a too large policy is
/// shown and `fix` says how to shrink it), and
/// any error stops the build with all of them. Then the policy must pass the
/// rules with `options`' opt-ins: failing them is a bug, reported as an
/// internal error in which `secret`, if any, is redacted.
pub(crate) fn finish_trust_checks(
    mut problems: Vec<IntentError>,
    trust_policy: &str,
    env: &Env,
    (size_path, fix): (&[&str], &str),
    options: TrustRuleOptions,
    secret: Option<&str>,
) -> Result<(), Vec<IntentError>> {
    problems.extend(check_trust_policy_size(
        trust_policy,
        env.trust_policy_quota,
        size_path,
        fix,
    ));
    if has_errors(&problems) {
        return Err(problems);
    }
    let options = TrustRuleOptions {
        size_quota: env.trust_policy_quota,
        ..options
    };
    let violations = check_trust_policy(trust_policy, &options);
    if violations.is_empty() {
        return Ok(());
    }
    let reason = format!(
        "the generated trust policy breaks the safety rules: {}",
        violations.join("; ")
    );
    Err(vec![internal(&redact(&reason, secret))])
}

/// `text` with every occurrence of `secret` replaced by `(sensitive)`.
pub(crate) fn redact(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "(sensitive)"),
        _ => text.to_owned(),
    }
}

/// Checks a trust policy document; returns every violation as a sentence.
pub fn check_trust_policy(trust_policy_json: &str, options: &TrustRuleOptions) -> Vec<String> {
    let doc = match parse_policy(trust_policy_json) {
        Ok(doc) => doc,
        Err(e) => return vec![e],
    };
    let mut violations = validate_policy_shape(&doc, PolicyKind::Trust);
    for (i, stmt) in statements(&doc).into_iter().enumerate() {
        check_statement(&format!("statement {i}"), stmt, options, &mut violations);
    }
    let size = non_whitespace_len(trust_policy_json);
    if size > options.size_quota {
        violations.push(format!(
            "the trust policy is {size} characters (whitespace not counted); the account's quota is {}",
            options.size_quota
        ));
    }
    violations
}

fn check_statement(
    at: &str,
    stmt: &Map<String, Value>,
    options: &TrustRuleOptions,
    out: &mut Vec<String>,
) {
    // `Resource` is reported by the shape check (one message per problem).
    if stmt.get("Effect").and_then(Value::as_str) != Some("Allow") {
        return;
    }
    if stmt.contains_key("NotPrincipal") {
        out.push(format!(
            "{at}: NotPrincipal with Allow admits everyone not listed"
        ));
    }
    let condition = stmt.get("Condition").and_then(Value::as_object);
    let principal = stmt.get("Principal");
    if principal.and_then(Value::as_str) == Some("*") {
        out.push(format!("{at}: the principal is the wildcard \"*\""));
    }
    let types = principal.and_then(Value::as_object);
    for (ptype, values) in types.into_iter().flatten() {
        for value in string_values(values) {
            if value.contains('*') {
                out.push(format!(
                    "{at}: the {ptype} principal {value:?} is a wildcard"
                ));
                continue;
            }
            match ptype.as_str() {
                "AWS" if is_root_principal(value) && !options.allow_root_principal => out.push(format!(
                    "{at}: the principal {value:?} trusts a whole account; name the role or user instead"
                )),
                "Federated" if !value.contains(":saml-provider/") => {
                    check_oidc(at, value, condition, options, out)
                }
                "Service" if !service_scoped(condition) => out.push(format!(
                    "{at}: the service principal {value:?} is not scoped by aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:RequestTag/… conditions"
                )),
                _ => {}
            }
        }
    }
    for (op, keys) in condition.into_iter().flatten() {
        let Some(keys) = keys.as_object() else {
            continue;
        };
        for (key, value) in keys {
            if !key.eq_ignore_ascii_case("aws:MultiFactorAuthPresent") {
                continue;
            }
            let single = match value {
                Value::Array(a) if a.len() == 1 => Some(&a[0]),
                Value::Array(_) => None,
                other => Some(other),
            };
            let is_true = matches!(single, Some(Value::Bool(true)))
                || single.and_then(Value::as_str) == Some("true");
            if op != "Bool" || !is_true {
                out.push(format!(
                    "{at}: MFA must be required as \"Bool\": {{\"aws:MultiFactorAuthPresent\": \"true\"}}, not {op} {value}"
                ));
            }
        }
    }
}

/// `arn:<p>:iam::<acct>:root` or a bare 12-digit account ID.
fn is_root_principal(value: &str) -> bool {
    value.ends_with(":root") || (value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()))
}

fn check_oidc(
    at: &str,
    provider: &str,
    condition: Option<&Map<String, Value>>,
    options: &TrustRuleOptions,
    out: &mut Vec<String>,
) {
    let issuer = provider
        .split_once(":oidc-provider/")
        .map_or(provider, |(_, host_path)| host_path);
    for claim in ["sub", "aud"] {
        let key = format!("{issuer}:{claim}");
        let under = |op: &str| {
            condition
                .and_then(|c| c.get(op))
                .and_then(Value::as_object)
                .and_then(|k| k.get(&key))
                .is_some_and(|v| !string_values(v).is_empty())
        };
        if under("StringEquals") {
            continue;
        }
        if under("StringLike") {
            if !options.allow_string_like_oidc {
                out.push(format!(
                    "{at}: {key} is matched with StringLike; use StringEquals with exact values"
                ));
            }
            continue;
        }
        out.push(format!(
            "{at}: the OIDC principal {provider:?} has no StringEquals condition on {key}"
        ));
    }
}

const SCOPING_OPERATORS: [&str; 4] = ["StringEquals", "StringLike", "ArnEquals", "ArnLike"];

fn service_scoped(condition: Option<&Map<String, Value>>) -> bool {
    condition.into_iter().flatten().any(|(op, keys)| {
        SCOPING_OPERATORS.contains(&op.as_str())
            && keys.as_object().is_some_and(|keys| {
                keys.keys().any(|k| {
                    let k = k.to_ascii_lowercase();
                    k == "aws:sourceaccount"
                        || k == "aws:sourcearn"
                        || k == "aws:sourceorgid"
                        || k.starts_with("aws:requesttag/")
                })
            })
    })
}

#[cfg(test)]
mod tests;
