//! Tests of the review rows: staleness, the managing intent, the order.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::intent::tags::Owner;

fn entry(
    principal: &str,
    created: Option<i64>,
    tags: BTreeMap<String, String>,
) -> ObservedAccessEntry {
    ObservedAccessEntry {
        cluster_name: "prod".into(),
        principal_arn: principal.into(),
        access_entry_arn: format!(
            "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/{principal}"
        ),
        kubernetes_groups: BTreeSet::from(["b".to_owned(), "a".to_owned()]),
        username: None,
        entry_type: "STANDARD".into(),
        tags,
        created_at_epoch: created,
    }
}

#[test]
fn an_entry_is_stale_when_its_principal_is_gone_or_newer() {
    assert!(stale(Some(100), PrincipalAge::Missing));
    assert!(stale(None, PrincipalAge::Missing));
    assert!(stale(Some(100), PrincipalAge::Created(Some(101))));
    // Same second: IAM dates have second precision and the entry can only
    // be made once its principal exists.
    assert!(!stale(Some(100), PrincipalAge::Created(Some(100))));
    assert!(!stale(Some(100), PrincipalAge::Created(Some(50))));
    assert!(!stale(None, PrincipalAge::Created(Some(101))));
    assert!(!stale(Some(100), PrincipalAge::Created(None)));
    assert!(!stale(Some(100), PrincipalAge::NotLookedUp));
}

#[test]
fn rows_name_the_managing_intent_and_sort_stably() {
    let owner = Owner::TeamAccess {
        cluster: "prod",
        name: "devs",
    };
    let managed = EntryFacts {
        entry: entry(
            "arn:aws:iam::111122223333:role/b",
            Some(10),
            owner.ownership_tags(),
        ),
        policies: vec![
            ObservedPolicyAssociation {
                policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy".into(),
                scope: AccessScope::Namespaces(BTreeSet::from([
                    "web".to_owned(),
                    "api".to_owned(),
                ])),
            },
            ObservedPolicyAssociation {
                policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"
                    .into(),
                scope: AccessScope::Cluster,
            },
        ],
        principal: PrincipalAge::Created(Some(5)),
    };
    let unmanaged = EntryFacts {
        entry: entry(
            "arn:aws:iam::111122223333:role/a",
            Some(10),
            BTreeMap::new(),
        ),
        policies: vec![],
        principal: PrincipalAge::Created(Some(20)),
    };
    let association = ObservedPodIdentityAssociation {
        association_id: "a-1".into(),
        association_arn: "arn:aws:eks:eu-west-1:111122223333:podidentityassociation/prod/a-1"
            .into(),
        cluster_name: "prod".into(),
        namespace: "shop".into(),
        service_account: "api".into(),
        role_arn: "arn:aws:iam::111122223333:role/api".into(),
        target_role_arn: None,
        disable_session_tags: false,
        policy: None,
        external_id: None,
        tags: BTreeMap::new(),
        owner_arn: Some("arn:aws:eks:eu-west-1:111122223333:addon/prod/vpc-cni/x".into()),
        created_at_epoch: None,
    };
    let review = review(vec![managed, unmanaged], vec![association]);
    let principals: Vec<&str> = review
        .entries
        .iter()
        .map(|e| e.principal_arn.as_str())
        .collect();
    assert_eq!(
        principals,
        [
            "arn:aws:iam::111122223333:role/a",
            "arn:aws:iam::111122223333:role/b"
        ]
    );
    let (a, b) = (&review.entries[0], &review.entries[1]);
    assert_eq!((a.managed_by.as_str(), a.stale), ("", true));
    assert_eq!(
        (b.managed_by.as_str(), b.stale),
        ("team-access:prod/devs", false)
    );
    assert_eq!(b.kubernetes_groups, ["a", "b"]);
    assert_eq!(
        b.access_policies,
        [
            PolicyRow {
                policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"
                    .into(),
                scope: "cluster",
                namespaces: vec![],
            },
            PolicyRow {
                policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy".into(),
                scope: "namespace",
                namespaces: vec!["api".into(), "web".into()],
            },
        ]
    );
    let assoc = &review.associations[0];
    assert_eq!(
        assoc.owner_arn,
        "arn:aws:eks:eu-west-1:111122223333:addon/prod/vpc-cni/x"
    );
    assert_eq!(
        (assoc.target_role_arn.as_str(), assoc.managed_by.as_str()),
        ("", "")
    );
}
