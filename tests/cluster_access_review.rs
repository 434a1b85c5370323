//! Acceptance tests of the `eksrole_cluster_access` data source, under both
//! CLIs against the test bed: on a cluster built for the test it reports
//! entries eksrole manages (with the managing intent), an unmanaged
//! cluster-admin entry, a stale entry (its role deleted and created again
//! after the entry), a managed Pod Identity association and an add-on's;
//! the documented access review (`postcondition`) fails the plan while the
//! unmanaged admin and the stale entry exist and passes once they are gone;
//! and a destroy is never blocked by the review (its cluster deleted).

mod support;

use std::time::Duration;

use aws_sdk_eks::types::{AccessScope, AccessScopeType, AddonPodIdentityAssociations};
use serde_json::Value as Json;
use support::fixtures::{self, aws, ClusterSpec};
use support::{Cli, Workspace};

const CLUSTER_ADMIN: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const VIEW: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

/// What the test builds besides the eksrole intents.
struct Bed {
    cluster: String,
    team_principal: String,
    admin: String,
    stale: String,
    stale_role: String,
    addon_role: String,
}

fn entry_by_hand(cluster: &str, principal: &str, admin: bool) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .create_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal)
            .send()
            .await
            .expect("create access entry");
        if admin {
            a.eks
                .associate_access_policy()
                .cluster_name(cluster)
                .principal_arn(principal)
                .policy_arn(CLUSTER_ADMIN)
                .access_scope(
                    AccessScope::builder()
                        .r#type(AccessScopeType::Cluster)
                        .build(),
                )
                .send()
                .await
                .expect("associate cluster admin");
        }
    });
}

fn delete_entry(cluster: &str, principal: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .delete_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal)
            .send()
            .await
            .expect("delete access entry");
    });
}

fn bed(what: &str, cli: Cli) -> Bed {
    let tag = format!("{what}-{cli:?}").to_lowercase();
    let cluster = fixtures::unique(&tag);
    fixtures::create_cluster(&ClusterSpec {
        name: cluster.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    let team_principal = fixtures::create_role(&fixtures::unique(&format!("{tag}-dev")));
    let admin = fixtures::create_role(&fixtures::unique(&format!("{tag}-admin")));
    entry_by_hand(&cluster, &admin, true);
    // EKS binds an entry to the role's unique ID: a role deleted and made
    // again (a second later, IAM dates having second precision) after its
    // entry is a new principal the entry no longer grants anything to.
    let stale_role = fixtures::unique(&format!("{tag}-gone"));
    let stale = fixtures::create_role(&stale_role);
    entry_by_hand(&cluster, &stale, false);
    fixtures::delete_role(&stale_role);
    std::thread::sleep(Duration::from_millis(1100));
    fixtures::create_role(&stale_role);
    let addon_role = fixtures::create_role(&fixtures::unique(&format!("{tag}-csi")));
    let a = aws();
    a.rt.block_on(async {
        let association = AddonPodIdentityAssociations::builder()
            .service_account("ebs-csi-controller-sa")
            .role_arn(&addon_role)
            .build()
            .expect("association");
        a.eks
            .create_addon()
            .cluster_name(&cluster)
            .addon_name("aws-ebs-csi-driver")
            .pod_identity_associations(association)
            .send()
            .await
            .expect("create add-on");
    });
    Bed {
        cluster,
        team_principal,
        admin,
        stale,
        stale_role,
        addon_role,
    }
}

fn config(bed: &Bed) -> String {
    let Bed {
        cluster,
        team_principal,
        ..
    } = bed;
    format!(
        r#"PROVIDER
resource "eksrole_team_access" "devs" {{
  cluster_name   = "{cluster}"
  name           = "devs"
  principal_arns = ["{team_principal}"]
  access_level   = "view"
  namespaces     = ["shop"]
}}

resource "eksrole_workload_identity" "api" {{
  cluster_name    = "{cluster}"
  namespace       = "shop"
  service_account = "api"
  policy_arns     = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
}}

data "eksrole_cluster_access" "review" {{
  cluster_name = "{cluster}"
  depends_on   = [eksrole_team_access.devs, eksrole_workload_identity.api]
}}

output "entries" {{
  value = data.eksrole_cluster_access.review.entries
}}

output "associations" {{
  value = data.eksrole_cluster_access.review.pod_identity_associations
}}

output "team_role" {{
  value = eksrole_team_access.devs.role_arn
}}
"#
    )
}

fn find<'a>(items: &'a Json, key: &str, value: &str) -> &'a Json {
    items
        .as_array()
        .and_then(|items| items.iter().find(|i| i[key] == value))
        .unwrap_or_else(|| panic!("no item with {key} = {value:?} in {items:#}"))
}

fn reports_managed_unmanaged_and_stale(cli: Cli) {
    let bed = bed("review", cli);
    let ws = Workspace::new(cli, &config(&bed));
    ws.init();
    ws.apply();
    let outputs = ws.outputs();
    let entries = &outputs["entries"]["value"];
    let associations = &outputs["associations"]["value"];
    assert_eq!(entries.as_array().map(Vec::len), Some(3), "{entries:#}");

    let team_role_arn = outputs["team_role"]["value"].as_str().expect("team_role");
    let managed = find(entries, "principal_arn", team_role_arn);
    assert_eq!(
        managed["managed_by"],
        format!("team-access:{}/devs", bed.cluster)
    );
    assert_eq!(managed["type"], "STANDARD");
    assert_eq!(managed["stale"], false);
    assert_eq!(managed["access_policies"][0]["policy_arn"], VIEW);
    assert_eq!(managed["access_policies"][0]["scope"], "namespace");
    assert_eq!(
        managed["access_policies"][0]["namespaces"],
        serde_json::json!(["shop"])
    );

    let admin = find(entries, "principal_arn", &bed.admin);
    assert_eq!(admin["managed_by"], "");
    assert_eq!(admin["stale"], false);
    assert_eq!(admin["access_policies"][0]["policy_arn"], CLUSTER_ADMIN);
    assert_eq!(admin["access_policies"][0]["scope"], "cluster");

    let stale = find(entries, "principal_arn", &bed.stale);
    assert_eq!(stale["stale"], true, "{stale:#}");
    assert_eq!(stale["managed_by"], "");

    let api = find(associations, "service_account", "api");
    assert_eq!(
        api["managed_by"],
        format!("workload-identity:{}/shop/api", bed.cluster)
    );
    assert_eq!(api["owner_arn"], "");
    let csi = find(associations, "service_account", "ebs-csi-controller-sa");
    assert_eq!(csi["managed_by"], "");
    assert_eq!(csi["role_arn"], bed.addon_role.as_str());
    assert!(
        csi["owner_arn"]
            .as_str()
            .is_some_and(|o| o.contains(":addon/") && o.contains("aws-ebs-csi-driver")),
        "{csi:#}"
    );

    // Reading is not changing: a plan with the data source is still empty,
    // and the objects eksrole does not manage are untouched by its destroy.
    ws.assert_no_changes("a plan after apply must be empty");
    ws.destroy();
    assert!(fixtures::access_entry(&bed.cluster, &bed.admin).is_some());
    assert!(fixtures::access_entry(&bed.cluster, &bed.stale).is_some());
    assert_eq!(fixtures::associations(&bed.cluster).len(), 1);
    fixtures::delete_role(&bed.stale_role);
}

/// The registry example's review, pointed at the test's cluster. It needs
/// `postcondition` and `endswith` (Terraform >= 1.3, OpenTofu >= 1.6):
/// OpenTofu only, since the Terraform the suite pins (1.0.3) predates them.
fn documented_review_fails_the_plan(cli: Cli) {
    if cli == Cli::Terraform {
        return;
    }
    let bed = bed("ci", cli);
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data-sources/eksrole_cluster_access/data-source.tf"
    ))
    .expect("example");
    let review = example.replace(
        "cluster_name = \"prod\"",
        &format!("cluster_name = \"{}\"", bed.cluster),
    );
    assert_ne!(review, example, "the example's cluster is \"prod\"");
    let ws = Workspace::new(cli, &format!("PROVIDER\n{review}"));
    ws.init();
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    let text = run.text();
    assert!(!run.ok, "the review must fail the plan:\n{text}");
    assert!(
        text.contains("Unmanaged cluster-admin access entries"),
        "{text}"
    );
    assert!(text.contains(&bed.admin), "{text}");
    assert!(text.contains("Stale access entries"), "{text}");
    assert!(text.contains(&bed.stale), "{text}");

    delete_entry(&bed.cluster, &bed.admin);
    delete_entry(&bed.cluster, &bed.stale);
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        run.ok,
        "the review passes once they are gone:\n{}",
        run.text()
    );
    fixtures::delete_role(&bed.stale_role);
}

/// A cluster without access entries, or none at all: an error on
/// `cluster_name` that says why.
fn unreadable_cluster_fails_on_cluster_name(cli: Cli) {
    let configmap = fixtures::unique(&format!("cm-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: configmap.clone(),
        mode: "CONFIG_MAP",
        oidc_registered: false,
        pod_identity_agent: false,
    });
    for (cluster, summary) in [
        (
            configmap.as_str(),
            "The cluster does not use access entries",
        ),
        ("no-such-cluster", "EKS cluster not found"),
    ] {
        support::assert_plan_fails(
            cli,
            &format!(
                "PROVIDER\ndata \"eksrole_cluster_access\" \"c\" {{\n  cluster_name = \"{cluster}\"\n}}\n"
            ),
            summary,
            &format!("cluster_name = \"{cluster}\""),
        );
    }
}

/// The review never keeps anyone from leaving: with its cluster deleted out
/// of band a plan fails on it, but `destroy` of the configuration still
/// succeeds and removes the role. (Terraform 1.0.3 and OpenTofu 1.6.2 do
/// not stop a destroy on this read; the provider also skips the review's
/// reads in a destroy run, for CLIs that would.)
fn destroy_after_cluster_deleted(cli: Cli) {
    let bed = bed("gone", cli);
    let ws = Workspace::new(cli, &config(&bed));
    ws.init();
    ws.apply();
    let role = ws.outputs()["team_role"]["value"]
        .as_str()
        .and_then(|arn| arn.rsplit('/').next())
        .expect("team role")
        .to_owned();
    assert!(fixtures::role_exists(&role));
    fixtures::delete_cluster(&bed.cluster);
    // A plan cannot review a cluster that is gone ...
    let plan = ws.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        !plan.ok && plan.text().contains("EKS cluster not found"),
        "{}",
        plan.text()
    );
    // ... but leaving must work.
    let run = ws.run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    assert!(run.ok, "destroy must succeed:\n{}", run.text());
    assert!(!fixtures::role_exists(&role), "the team's role is deleted");
    fixtures::delete_role(&bed.stale_role);
}

both_clis!(
    destroy_after_cluster_deleted,
    reports_managed_unmanaged_and_stale,
    documented_review_fails_the_plan,
    unreadable_cluster_fails_on_cluster_name
);
