//! Round trips: each intent's builder writes a document, the readers give
//! back the inputs it was built from. Plus the readers on hand-written and
//! URL-encoded documents.

use std::collections::BTreeSet;

use super::*;
use crate::intent::break_glass;
use crate::intent::team_access::{self, CiOidc};
use crate::intent::test_support::set;
use crate::intent::workload_identity::{self, Mechanism};

const OIDC: &str =
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_HOST: &str = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const GITHUB: &str = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const ALICE: &str = "arn:aws:iam::123456789012:user/people/alice";
const ONCALL: &str = "arn:aws:iam::123456789012:role/platform-oncall";
const SECRET: &str = "Xt3rnal-S3cret-7f9c";

#[test]
fn irsa_trust_reads_back_provider_audience_and_subject() {
    for audience in [workload_identity::DEFAULT_AUDIENCE, "my-audience"] {
        let doc =
            workload_identity::irsa_trust_policy(OIDC, OIDC_HOST, "payments", "api", audience);
        assert_eq!(oidc_provider_of_trust(&doc).as_deref(), Some(OIDC));
        assert_eq!(audience_of_trust(&doc).as_deref(), Some(audience));
        let f = facts(&doc);
        assert_eq!(f.federated.as_deref(), Some(OIDC));
        assert_eq!(f.audience.as_deref(), Some(audience));
        assert_eq!(f.subjects, set(&["system:serviceaccount:payments:api"]));
        assert!(!f.subjects_wildcard);
        assert!(f.principal_arns.is_empty());
        assert!(!f.mfa);
    }
}

#[test]
fn pod_identity_trust_has_no_oidc_provider() {
    let doc =
        workload_identity::pod_identity_trust_policy("123456789012", "prod", "payments", "api");
    assert_eq!(oidc_provider_of_trust(&doc), None);
    assert_eq!(audience_of_trust(&doc), None);
    assert_eq!(facts(&doc), TrustFacts::default());
}

#[test]
fn assume_target_policy_reads_back_its_target() {
    let target = "arn:aws:iam::210987654321:role/data-reader";
    for mechanism in [Mechanism::PodIdentity, Mechanism::Irsa] {
        let doc = workload_identity::assume_target_policy(mechanism, target);
        assert_eq!(target_of_assume_policy(&doc).as_deref(), Some(target));
    }
    let two =
        r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":["a","b"]}]}"#;
    assert_eq!(target_of_assume_policy(two), None);
}

#[test]
fn team_principals_trust_reads_back_every_condition() {
    let principals = set(&[ONCALL, ALICE]);
    let doc =
        team_access::principals_trust_policy(&principals, true, Some(SECRET), Some("o-a1b2c3d4e5"));
    let f = facts(&doc);
    assert_eq!(f.principal_arns, principals);
    assert!(f.mfa);
    assert_eq!(f.external_id.as_deref(), Some(SECRET));
    assert_eq!(f.principal_org_id.as_deref(), Some("o-a1b2c3d4e5"));
    assert_eq!(f.federated, None);
    let bare = facts(&team_access::principals_trust_policy(
        &principals,
        false,
        None,
        None,
    ));
    assert_eq!(bare.principal_arns, principals);
    assert!(!bare.mfa);
    assert_eq!((bare.external_id, bare.principal_org_id), (None, None));
}

#[test]
fn external_id_is_redacted_and_drift_still_shows() {
    let doc = team_access::principals_trust_policy(&set(&[ONCALL]), true, Some(SECRET), None);
    let same = redact_external_id(&doc, Some(SECRET));
    assert!(!same.contains(SECRET), "{same}");
    assert!(same.contains(&format!("\"{REDACTED}\"")));
    let other = redact_external_id(&doc, Some("another"));
    assert!(!other.contains(SECRET), "{other}");
    assert!(other.contains(REDACTED_OTHER));
    assert_ne!(
        same, other,
        "a changed external ID must show as a difference"
    );
    let unset = redact_external_id(&doc, None);
    assert!(unset.contains(REDACTED_OTHER), "{unset}");
    // Everything else reads back unchanged.
    let f = facts(&same);
    assert_eq!(f.principal_arns, set(&[ONCALL]));
    assert!(f.mfa);
    assert_eq!(f.external_id.as_deref(), Some(REDACTED));
    // Nothing to redact: the canonical document.
    let plain = team_access::principals_trust_policy(&set(&[ONCALL]), true, None, None);
    assert_eq!(redact_external_id(&plain, Some(SECRET)), plain);
    assert_eq!(redact_external_id("{oops", None), "{oops");
}

#[test]
fn ci_trust_reads_back_provider_audience_and_subjects() {
    for (subjects, wildcard) in [
        (
            set(&[
                "repo:my-org/app:ref:refs/heads/main",
                "repo:my-org/app:environment:prod",
            ]),
            false,
        ),
        (
            set(&["repo:my-org/app:*", "repo:my-org/lib:ref:refs/heads/main"]),
            true,
        ),
    ] {
        let ci = CiOidc {
            provider_arn: GITHUB.into(),
            audience: team_access::DEFAULT_CI_AUDIENCE.into(),
            subjects: subjects.clone(),
            allow_subject_wildcards: wildcard,
        };
        let doc = team_access::ci_oidc_trust_policy(&ci, "token.actions.githubusercontent.com");
        let f = facts(&doc);
        assert_eq!(f.federated.as_deref(), Some(GITHUB));
        assert_eq!(
            f.audience.as_deref(),
            Some(team_access::DEFAULT_CI_AUDIENCE)
        );
        assert_eq!(f.subjects, subjects);
        assert_eq!(f.subjects_wildcard, wildcard);
        assert!(!f.mfa);
        assert_eq!(oidc_provider_of_trust(&doc).as_deref(), Some(GITHUB));
        assert_eq!(
            audience_of_trust(&doc).as_deref(),
            Some(team_access::DEFAULT_CI_AUDIENCE)
        );
    }
}

#[test]
fn break_glass_trust_reads_back_mfa_window_and_source_identity() {
    let principals = set(&[ALICE, ONCALL]);
    let doc = break_glass::trust_policy(
        &principals,
        300,
        Some("2030-01-01T00:00:00Z"),
        Some("2030-01-01T04:00:00Z"),
        true,
        Some("o-a1b2c3d4e5"),
    );
    let f = facts(&doc);
    assert_eq!(f.principal_arns, principals);
    assert!(f.mfa);
    assert_eq!(f.mfa_max_age, Some(300));
    assert_eq!(f.not_before.as_deref(), Some("2030-01-01T00:00:00Z"));
    assert_eq!(f.not_after.as_deref(), Some("2030-01-01T04:00:00Z"));
    assert!(f.source_identity_required);
    assert_eq!(f.principal_org_id.as_deref(), Some("o-a1b2c3d4e5"));
    let open = facts(&break_glass::trust_policy(
        &principals,
        900,
        None,
        None,
        false,
        None,
    ));
    assert_eq!(open.mfa_max_age, Some(900));
    assert_eq!((open.not_before, open.not_after), (None, None));
    assert!(!open.source_identity_required);
    assert_eq!(open.principal_org_id, None);
}

#[test]
fn readers_take_iam_url_encoding_and_skip_deny() {
    let doc = team_access::principals_trust_policy(&set(&[ONCALL]), true, None, None);
    let encoded: String = doc
        .bytes()
        .map(|b| match b {
            b'{' | b'}' | b'"' | b':' | b',' | b'[' | b']' | b'/' => format!("%{b:02X}"),
            other => char::from(other).to_string(),
        })
        .collect();
    assert!(encoded.starts_with("%7B"));
    assert_eq!(facts(&encoded), facts(&doc));
    let deny = doc.replace("\"Allow\"", "\"Deny\"");
    assert_eq!(facts(&deny).principal_arns, BTreeSet::new());
    assert_eq!(facts("not json"), TrustFacts::default());
}
