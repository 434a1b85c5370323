//! Reading generated trust policies back: which principals, OIDC provider,
//! subjects and conditions they hold (for import and refresh), and the state
//! view of a trust policy with its external ID redacted, so the secret never
//! lands in a plain attribute.

use std::collections::BTreeSet;

use serde_json::Value as Json;

const EXTERNAL_ID_KEY: &str = "sts:ExternalId";
const REDACTED: &str = "(sensitive)";
const REDACTED_OTHER: &str = "(sensitive, differs from external_id)";

fn parse(doc: &str) -> Option<Json> {
    serde_json::from_str(&crate::intent::policy_json::decode_iam_policy_document(doc)).ok()
}

fn statements(doc: &Json) -> Vec<&Json> {
    match &doc["Statement"] {
        Json::Array(items) => items.iter().collect(),
        obj @ Json::Object(_) => vec![obj],
        _ => vec![],
    }
}

fn strings(v: &Json) -> BTreeSet<String> {
    match v {
        Json::String(s) => BTreeSet::from([s.clone()]),
        Json::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// The trust policy with every `sts:ExternalId` value replaced by a marker:
/// `(sensitive)` when it equals `external_id`, another marker when not, so a
/// changed ID still shows as drift without being revealed.
pub fn redact_external_id(doc: &str, external_id: Option<&str>) -> String {
    let Some(mut json) = parse(doc) else {
        return doc.to_owned();
    };
    let marker = |v: &Json| -> Json {
        let same = match v {
            Json::String(s) => Some(s.as_str()) == external_id,
            Json::Array(a) => a.len() == 1 && a[0].as_str() == external_id,
            _ => false,
        };
        Json::from(if same { REDACTED } else { REDACTED_OTHER })
    };
    if let Some(list) = json.get_mut("Statement") {
        let items: Vec<&mut Json> = match list {
            Json::Array(a) => a.iter_mut().collect(),
            obj @ Json::Object(_) => vec![obj],
            _ => vec![],
        };
        for st in items {
            if let Some(conditions) = st.get_mut("Condition").and_then(Json::as_object_mut) {
                for block in conditions.values_mut() {
                    if let Some(obj) = block.as_object_mut() {
                        if let Some(v) = obj.get_mut(EXTERNAL_ID_KEY) {
                            *v = marker(v);
                        }
                    }
                }
            }
        }
    }
    crate::intent::policy_json::canonical_json_value(&json)
}

/// What a generated trust policy says, as far as import needs it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TrustFacts {
    pub principal_arns: BTreeSet<String>,
    pub federated: Option<String>,
    pub audience: Option<String>,
    pub subjects: BTreeSet<String>,
    pub subjects_wildcard: bool,
    pub mfa: bool,
    pub mfa_max_age: Option<i64>,
    pub external_id: Option<String>,
    pub principal_org_id: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub source_identity_required: bool,
}

pub fn facts(doc: &str) -> TrustFacts {
    let mut f = TrustFacts::default();
    let Some(json) = parse(doc) else { return f };
    for st in statements(&json) {
        if st["Effect"] != "Allow" {
            continue;
        }
        f.principal_arns.extend(strings(&st["Principal"]["AWS"]));
        if let Some(fed) = st["Principal"]["Federated"].as_str() {
            f.federated = Some(fed.to_owned());
        }
        let Some(conditions) = st["Condition"].as_object() else {
            continue;
        };
        for (op, block) in conditions {
            let Some(block) = block.as_object() else {
                continue;
            };
            for (key, value) in block {
                let one = strings(value).into_iter().next();
                match (op.as_str(), key.as_str()) {
                    ("Bool", "aws:MultiFactorAuthPresent") => {
                        f.mfa = one.as_deref() == Some("true")
                    }
                    ("NumericLessThan", "aws:MultiFactorAuthAge") => {
                        f.mfa_max_age = one.and_then(|s| s.parse().ok())
                    }
                    ("StringEquals", "sts:ExternalId") => f.external_id = one,
                    ("StringEquals", "aws:PrincipalOrgID") => f.principal_org_id = one,
                    ("DateGreaterThan", "aws:CurrentTime") => f.not_before = one,
                    ("DateLessThan", "aws:CurrentTime") => f.not_after = one,
                    (_, "sts:SourceIdentity") => f.source_identity_required = true,
                    ("StringEquals", k) if k.ends_with(":aud") => f.audience = one,
                    ("StringEquals", k) if k.ends_with(":sub") => f.subjects = strings(value),
                    ("StringLike", k) if k.ends_with(":sub") => {
                        f.subjects = strings(value);
                        f.subjects_wildcard = true;
                    }
                    _ => {}
                }
            }
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:role/a","arn:aws:iam::1:user/b"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"sts:ExternalId":"s3cr3t","aws:PrincipalOrgID":"o-abc"}}}]}"#;

    #[test]
    fn external_id_is_redacted_and_drift_still_shows() {
        let same = redact_external_id(TEAM, Some("s3cr3t"));
        assert!(!same.contains("s3cr3t"));
        assert!(same.contains("\"(sensitive)\""));
        let other = redact_external_id(TEAM, Some("another"));
        assert!(!other.contains("s3cr3t"));
        assert_ne!(
            same, other,
            "a changed external ID must show as a difference"
        );
    }

    #[test]
    fn facts_of_a_team_trust() {
        let f = facts(TEAM);
        assert_eq!(f.principal_arns.len(), 2);
        assert!(f.mfa);
        assert_eq!(f.external_id.as_deref(), Some("s3cr3t"));
        assert_eq!(f.principal_org_id.as_deref(), Some("o-abc"));
    }

    #[test]
    fn facts_of_a_ci_trust() {
        let doc = r#"{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":["repo:o/a:*"]}}}]}"#;
        let f = facts(doc);
        assert_eq!(
            f.federated.as_deref(),
            Some("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com")
        );
        assert_eq!(f.audience.as_deref(), Some("sts.amazonaws.com"));
        assert!(f.subjects_wildcard);
        assert_eq!(f.subjects, BTreeSet::from(["repo:o/a:*".to_owned()]));
    }
}
