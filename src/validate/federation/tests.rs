//! Reading a principal role's trust policy for federation, and the plan's
//! answer for each MFA requirement.

use super::*;

const SAML: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/Okta"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}"#;
const OIDC: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.example.com"},"Action":["sts:AssumeRoleWithWebIdentity"]}}"#;
const IDENTITY_CENTER: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}"#;
const PLAIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
const DENY_FEDERATED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

#[test]
fn federated_trust_policies_are_recognised() {
    assert_eq!(federation(SAML), Some(Federation::Saml));
    assert_eq!(federation(IDENTITY_CENTER), Some(Federation::Saml));
    assert_eq!(federation(OIDC), Some(Federation::WebIdentity));
    assert_eq!(federation(PLAIN), None);
    assert_eq!(federation(DENY_FEDERATED), None, "a Deny admits nobody");
    assert_eq!(federation("not json"), None);
    assert_eq!(federation("{}"), None);
}

#[test]
fn mixed_trust_counts_as_federated() {
    let mixed = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/a"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/Okta"},"Action":"sts:AssumeRoleWithSAML"}]}"#;
    assert_eq!(federation(mixed), Some(Federation::Saml));
}

const ROLE: &str = "arn:aws:iam::123456789012:role/okta-admins";
const SSO_ROLE: &str = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";

fn shape(p: Option<Problem>) -> Option<(Vec<String>, bool)> {
    p.map(|p| (p.path.clone(), p.warning))
}

#[test]
fn the_diagnostic_follows_who_asked_for_mfa() {
    let at = |arn, mfa| shape(mfa_problem(arn, Federation::Saml, mfa, "principal_arns"));
    assert_eq!(at(ROLE, MfaRequirement::Off), None);
    assert_eq!(
        at(ROLE, MfaRequirement::Default),
        Some((vec!["require_mfa".into()], true))
    );
    assert_eq!(
        at(ROLE, MfaRequirement::Explicit),
        Some((vec!["require_mfa".into()], false))
    );
    assert_eq!(
        at(ROLE, MfaRequirement::Always),
        Some((vec!["principal_arns".into(), ROLE.into()], false))
    );
    // Identity Center roles already draw the static warning under the default.
    assert_eq!(at(SSO_ROLE, MfaRequirement::Default), None);
    assert_eq!(
        at(SSO_ROLE, MfaRequirement::Explicit),
        Some((vec!["require_mfa".into()], false))
    );
}

#[test]
fn the_detail_names_the_principal_and_the_fix() {
    let p = mfa_problem(
        ROLE,
        Federation::WebIdentity,
        MfaRequirement::Explicit,
        "principal_arns",
    )
    .expect("an error");
    assert!(p.detail.contains(ROLE), "{}", p.detail);
    assert!(
        p.detail.contains("AssumeRoleWithWebIdentity"),
        "{}",
        p.detail
    );
    assert!(p.detail.contains("require_mfa = false"), "{}", p.detail);
}
