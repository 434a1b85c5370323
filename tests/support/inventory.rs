//! The orphan check every failure-injection test ends with: an inventory of
//! the AWS objects eksrole creates (IAM roles, and on every cluster its
//! access entries and Pod Identity associations), taken before the test
//! injects a fault and compared after its final `destroy`. Anything new
//! then is an object a failure orphaned.
//!
//! The inventory is global to the testbed, so the tests that use it run one
//! at a time within their binary (each binary has its own testbed).
#![allow(dead_code)]

use std::collections::BTreeSet;

use super::fixtures::aws;

/// What exists: role names, `cluster/principal ARN` of access entries,
/// `cluster/association ID` of Pod Identity associations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    pub roles: BTreeSet<String>,
    pub access_entries: BTreeSet<String>,
    pub associations: BTreeSet<String>,
}

impl Inventory {
    /// Lists everything now (all pages).
    pub fn take() -> Inventory {
        let a = aws();
        a.rt.block_on(async {
            let mut roles = BTreeSet::new();
            let mut pages = a.iam.list_roles().into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.expect("list roles");
                roles.extend(page.roles().iter().map(|r| r.role_name().to_owned()));
            }
            let mut clusters = Vec::new();
            let mut pages = a.eks.list_clusters().into_paginator().send();
            while let Some(page) = pages.next().await {
                clusters.extend(page.expect("list clusters").clusters().to_vec());
            }
            let mut access_entries = BTreeSet::new();
            let mut associations = BTreeSet::new();
            for cluster in clusters {
                let mut pages = a
                    .eks
                    .list_access_entries()
                    .cluster_name(&cluster)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    let page = page.expect("list access entries");
                    access_entries.extend(
                        page.access_entries()
                            .iter()
                            .map(|p| format!("{cluster}/{p}")),
                    );
                }
                let mut pages = a
                    .eks
                    .list_pod_identity_associations()
                    .cluster_name(&cluster)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    let page = page.expect("list associations");
                    associations.extend(
                        page.associations().iter().map(|s| {
                            format!("{cluster}/{}", s.association_id().unwrap_or_default())
                        }),
                    );
                }
            }
            Inventory {
                roles,
                access_entries,
                associations,
            }
        })
    }

    /// What exists now and did not when `self` was taken.
    pub fn new_since(&self) -> Inventory {
        let now = Inventory::take();
        Inventory {
            roles: now.roles.difference(&self.roles).cloned().collect(),
            access_entries: now
                .access_entries
                .difference(&self.access_entries)
                .cloned()
                .collect(),
            associations: now
                .associations
                .difference(&self.associations)
                .cloned()
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.access_entries.is_empty() && self.associations.is_empty()
    }

    /// Fails the test when anything exists now that did not when `self` was
    /// taken (call it after the test's final `destroy`).
    pub fn assert_no_orphans(&self, test: &str) {
        let orphans = self.new_since();
        assert!(
            orphans.is_empty(),
            "{test}: objects left behind (orphans): {orphans:#?}"
        );
    }
}
