//! Tests of the trust-policy rules on good and bad documents.

use super::*;

fn check(doc: &str) -> Vec<String> {
    check_trust_policy(doc, &TrustRuleOptions::default())
}

const POD_IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#;
const IRSA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:a:b","oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com"}}}]}"#;

fn with_statement(stmt: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{stmt}]}}"#)
}

#[test]
fn good_policies_pass() {
    assert_eq!(check(POD_IDENTITY), Vec::<String>::new());
    assert_eq!(check(IRSA), Vec::<String>::new());
    let mfa = with_statement(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/admin"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
    );
    assert_eq!(check(&mfa), Vec::<String>::new());
    // Deny statements only narrow access: wildcards there are fine.
    let deny = with_statement(
        r#"{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#,
    );
    assert_eq!(check(&deny), Vec::<String>::new());
}

#[test]
fn wildcards_and_root() {
    let v = check(&with_statement(
        r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#,
    ));
    assert!(v.iter().any(|s| s.contains("wildcard")), "{v:?}");
    let v = check(&with_statement(
        r#"{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"sts:AssumeRole"}"#,
    ));
    assert!(v.iter().any(|s| s.contains("is a wildcard")), "{v:?}");
    let root = with_statement(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}"#,
    );
    assert!(check(&root).iter().any(|s| s.contains("whole account")));
    let bare = with_statement(
        r#"{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}"#,
    );
    assert!(check(&bare).iter().any(|s| s.contains("whole account")));
    let allowed = TrustRuleOptions {
        allow_root_principal: true,
        ..TrustRuleOptions::default()
    };
    assert_eq!(check_trust_policy(&root, &allowed), Vec::<String>::new());
    let not_principal = with_statement(
        r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:role/x"},"Action":"sts:AssumeRole"}"#,
    );
    assert!(check(&not_principal)
        .iter()
        .any(|s| s.contains("NotPrincipal")));
}

#[test]
fn oidc_needs_sub_and_aud_under_string_equals() {
    let no_aud = IRSA.replace(
        r#","oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud":"sts.amazonaws.com""#,
        "",
    );
    let v = check(&no_aud);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("ABC:aud"));
    let like = IRSA.replace("StringEquals", "StringLike");
    let v = check(&like);
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(v.iter().all(|s| s.contains("StringLike")));
    let opt_in = TrustRuleOptions {
        allow_string_like_oidc: true,
        ..TrustRuleOptions::default()
    };
    assert_eq!(check_trust_policy(&like, &opt_in), Vec::<String>::new());
    let none = with_statement(
        r#"{"Effect":"Allow","Principal":{"Federated":"token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}"#,
    );
    assert_eq!(check(&none).len(), 2);
    let saml = with_statement(
        r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML"}"#,
    );
    assert_eq!(check(&saml), Vec::<String>::new());
}

#[test]
fn service_principals_must_be_scoped() {
    let bare = with_statement(
        r#"{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
    );
    assert!(check(&bare).iter().any(|s| s.contains("not scoped")));
    let if_exists = POD_IDENTITY.replace("StringEquals", "StringEqualsIfExists");
    assert!(check(&if_exists).iter().any(|s| s.contains("not scoped")));
    let tags = POD_IDENTITY.replace("aws:SourceAccount", "aws:RequestTag/kubernetes-namespace");
    assert_eq!(check(&tags), Vec::<String>::new());
}

#[test]
fn mfa_only_as_bool_true() {
    for cond in [
        r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}"#,
        r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#,
        r#"{"Null":{"aws:MultiFactorAuthPresent":"false"}}"#,
        r#"{"Bool":{"aws:MultiFactorAuthPresent":["true","false"]}}"#,
    ] {
        let doc = with_statement(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:role/a"}},"Action":"sts:AssumeRole","Condition":{cond}}}"#
        ));
        let v = check(&doc);
        assert_eq!(v.len(), 1, "{cond}: {v:?}");
        assert!(v[0].contains("MFA"));
    }
    let boolean = with_statement(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/a"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}"#,
    );
    assert_eq!(check(&boolean), Vec::<String>::new());
}

#[test]
fn resource_shape_and_size() {
    let with_resource = POD_IDENTITY.replace(r#""Action""#, r#""Resource":"*","Action""#);
    assert!(check(&with_resource)
        .iter()
        .any(|s| s.contains("Resource is not allowed")));
    let small = TrustRuleOptions {
        size_quota: 100,
        ..TrustRuleOptions::default()
    };
    let v = check_trust_policy(POD_IDENTITY, &small);
    assert_eq!(v.len(), 1);
    assert!(v[0].contains("quota is 100"));
    let exact = TrustRuleOptions {
        size_quota: non_whitespace_len(POD_IDENTITY),
        ..TrustRuleOptions::default()
    };
    assert!(check_trust_policy(POD_IDENTITY, &exact).is_empty());
    assert!(!check("not json").is_empty());
}

#[test]
fn trust_size() {
    assert_eq!(check_trust_policy_size("{ \"a\" }", 5, &[], "Fix."), None);
    let e = check_trust_policy_size("{ \"ab\" }", 5, &["principal_arns"], "Fix.").unwrap();
    assert_eq!(e.path, ["principal_arns"]);
    assert!(
        e.detail.contains(" 6 characters") && e.detail.contains("quota is 5"),
        "{}",
        e.detail
    );
}
