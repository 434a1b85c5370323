//! The pure parts of the workload identity live checks.

use super::*;

fn cluster(issuer: Option<&str>) -> ObservedCluster {
    ObservedCluster {
        name: "prod".into(),
        arn: "arn:aws:eks:eu-west-1:123456789012:cluster/prod".into(),
        oidc_issuer: issuer.map(str::to_owned),
        authentication_mode: crate::aws::eks::AuthenticationMode::Api,
        status: "ACTIVE".into(),
    }
}

fn account() -> Account {
    Account {
        partition: "aws".into(),
        account_id: "123456789012".into(),
        region: "eu-west-1".into(),
    }
}

const ISSUER: &str = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
const OWN: &str =
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";

#[test]
fn an_explicit_provider_must_be_the_clusters() {
    let check = |arn: &str, issuer: Option<&str>| {
        let observed = cluster(issuer);
        issuer_mismatch(arn, &observed, &account(), "prod")
    };
    assert_eq!(check(OWN, Some(ISSUER)), None);
    assert_eq!(check(&format!("{OWN}/"), Some(ISSUER)), None);
    let other = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000";
    let problem = check(other, Some(ISSUER)).expect("another cluster's provider");
    assert_eq!(problem.path, vec!["oidc_provider_arn".to_owned()]);
    assert!(!problem.warning);
    assert!(problem.detail.contains(OWN), "{}", problem.detail);
    let elsewhere = "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789";
    assert!(
        check(elsewhere, Some(ISSUER)).is_some(),
        "another account's provider"
    );
    // Nothing to compare with: the existing checks decide.
    assert_eq!(check(other, None), None);
}
