//! `eksrole_team_access` under the testbed's IAM propagation mode, under both
//! CLIs: EKS reports a just-created role as an invalid principal for ten
//! seconds (and IAM refuses a trust policy naming a just-created principal);
//! apply rides it out with its bounded retries, and destroy leaves no orphan.
//!
//! Faults are global to a testbed, so this binary has its own and runs its
//! tests one at a time.

mod support;

use std::sync::Mutex;

use serde_json::json;
use support::fixtures::{self, ClusterSpec};
use support::inventory::Inventory;
use support::{Cli, Workspace};

static SERIAL: Mutex<()> = Mutex::new(());

fn propagation_delay_on_create_access_entry_is_retried(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let cluster = fixtures::unique(&format!("slow-entry-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: cluster.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: false,
    });
    fixtures::clear_faults();
    fixtures::add_fault(json!({"iam_propagation_seconds": 10}));
    let developer = fixtures::create_role(&fixtures::unique(
        &format!("fresh-dev-{cli:?}").to_lowercase(),
    ));
    let config = format!(
        "PROVIDER\nresource \"eksrole_team_access\" \"team\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"devs\"\n  \
         principal_arns = [\"{developer}\"]\n  access_level   = \"view\"\n}}\n\noutput \"role_arn\" {{ value = eksrole_team_access.team.role_arn }}\n"
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let before = Inventory::take();
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let calls = std::process::Command::new("curl")
        .args([
            "-s",
            &format!("{}/_eksrole/faults", support::testbed().endpoint),
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    fixtures::clear_faults();
    assert!(
        run.ok,
        "apply must ride out IAM propagation:\n{}\nfaults: {calls}",
        run.text()
    );
    let role_arn = ws.outputs()["role_arn"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        fixtures::access_entry(&cluster, &role_arn).is_some(),
        "the access entry exists after the retries"
    );
    ws.assert_no_changes("plan must be empty after a retried apply");
    ws.destroy();
    before.assert_no_orphans("propagation delay on CreateAccessEntry");
}

both_clis!(propagation_delay_on_create_access_entry_is_retried);
