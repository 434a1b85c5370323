//! Reliability of `eksrole_workload_identity` under the testbed's fault
//! injection, under both CLIs: IAM propagation delay and throttling are
//! retried to success; a failure that never clears fails the apply, leaving
//! a state from which `destroy` removes everything created (an inventory of
//! roles, entries and associations before and after finds no orphan).
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

fn setup(tag: &str, cli: Cli) -> (String, Workspace) {
    let cluster = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: cluster.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    let config = format!(
        "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"jobs\"\n  service_account = \"worker\"\n  role_name       = \"{cluster}-worker\"\n}}\n"
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    (cluster, ws)
}

fn propagation_delay_and_throttling_are_retried(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let (cluster, ws) = setup("slow", cli);
    let before = Inventory::take();
    fixtures::clear_faults();
    fixtures::add_fault(json!({"iam_propagation_seconds": 10}));
    fixtures::add_fault(
        json!({"service": "iam", "operation": "CreateRole", "count": 2, "error": {"code": "Throttling"}}),
    );
    fixtures::add_fault(
        json!({"service": "eks", "operation": "CreatePodIdentityAssociation", "count": 2, "error": {"code": "ThrottlingException"}}),
    );
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    fixtures::clear_faults();
    assert!(
        run.ok,
        "apply must ride out propagation delay and throttling:\n{}",
        run.text()
    );
    let role_arn = format!("arn:aws:iam::000000000000:role/{cluster}-worker");
    assert_eq!(
        fixtures::associations(&cluster),
        vec![("jobs".into(), "worker".into(), role_arn, None)]
    );
    ws.assert_no_changes("plan must be empty after a retried apply");
    ws.destroy();
    assert!(!fixtures::role_exists(&format!("{cluster}-worker")));
    before.assert_no_orphans("propagation delay and throttling");
}

fn failure_that_never_clears_leaves_a_destroyable_state(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let (cluster, ws) = setup("broken", cli);
    let before = Inventory::take();
    fixtures::clear_faults();
    fixtures::add_fault(
        json!({"service": "eks", "operation": "CreatePodIdentityAssociation", "count": -1, "error": {"code": "ServerException"}}),
    );
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(
        !run.ok,
        "apply must fail while EKS keeps failing:\n{}",
        run.text()
    );
    assert!(
        run.text().contains("Pod Identity association"),
        "the error must say what failed:\n{}",
        run.text()
    );
    let role = format!("{cluster}-worker");
    assert!(
        fixtures::role_exists(&role),
        "the role was created before the failure"
    );
    let listed = ws.ok(&["state", "list", "-no-color"]);
    assert!(
        listed.stdout.contains("eksrole_workload_identity.app"),
        "the partial object must be in state:\n{}",
        listed.stdout
    );
    ws.destroy();
    fixtures::clear_faults();
    assert!(
        !fixtures::role_exists(&role),
        "destroy must remove the role created before the failure"
    );
    assert!(fixtures::associations(&cluster).is_empty());
    before.assert_no_orphans("a failure that never clears");
}

both_clis!(
    propagation_delay_and_throttling_are_retried,
    failure_that_never_clears_leaves_a_destroyable_state
);
