//! Applies interrupted the ways operations interrupt them, under both CLIs:
//! the network cut mid-apply (a TCP proxy between provider and AWS that the
//! test kills), the provider SIGKILLed mid-apply, Ctrl-C (SIGINT to the
//! CLI's process group), and two workspaces applying the same intents at
//! once. After each: every role that exists is in state or is adopted by
//! the next apply, that apply converges with no manual step, and destroy
//! leaves no orphan (an inventory of roles, access entries and Pod Identity
//! associations taken before the test equals the one after).
//!
//! The testbed's latency faults hold the apply at a known point (policy
//! attachment, the access entry look-up) long enough to interrupt it there.
//! Faults and the inventory are global to a testbed, so this binary has its
//! own and runs its tests one at a time.

mod support;

use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;
use support::fixtures::{self, ClusterSpec};
use support::interrupt::{calls_received, reset_calls, wait_until, Background, TcpProxy};
use support::inventory::Inventory;
use support::{provider_block_for, Cli, Workspace};

static SERIAL: Mutex<()> = Mutex::new(());

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const WAIT: Duration = Duration::from_secs(120);

/// A cluster with two Pod Identity workload identities and a team access.
struct Bed {
    cluster: String,
    roles: [String; 3],
    config: String,
}

fn bed(tag: &str, cli: Cli) -> Bed {
    let cluster = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: cluster.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    let developer = fixtures::create_role(&format!("{cluster}-developer"));
    let roles = [
        format!("{cluster}-api"),
        format!("{cluster}-worker"),
        format!("{cluster}-devs"),
    ];
    let mut config = String::new();
    for (name, role) in ["api", "worker"].iter().zip(&roles) {
        config.push_str(&format!(
            "resource \"eksrole_workload_identity\" \"{name}\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"shop\"\n  \
             service_account = \"{name}\"\n  role_name       = \"{role}\"\n  policy_arns     = [\"{READ_ONLY}\"]\n}}\n\n"
        ));
    }
    config.push_str(&format!(
        "resource \"eksrole_team_access\" \"devs\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"devs\"\n  \
         role_name      = \"{}\"\n  principal_arns = [\"{developer}\"]\n  access_level   = \"view\"\n}}\n",
        roles[2]
    ));
    Bed {
        cluster,
        roles,
        config,
    }
}

/// Holds the apply where it is interrupted: after each role is created, at
/// its next call (attaching its policy; writing the team role's inline policy).
fn slow_down_after_create_role() {
    fixtures::clear_faults();
    for (service, operation) in [("iam", "AttachRolePolicy"), ("iam", "PutRolePolicy")] {
        fixtures::add_fault(
            json!({"service": service, "operation": operation, "count": -1, "latency_ms": 4000}),
        );
    }
}

fn all_roles_exist(bed: &Bed) -> bool {
    bed.roles.iter().all(|r| fixtures::role_exists(r))
}

fn state_list(ws: &Workspace) -> String {
    ws.run(&["state", "list", "-no-color"]).stdout
}

/// The ending every test shares: the next apply converges with no manual
/// step, a plan after it is empty, destroy removes everything, and nothing
/// is left that was not there before.
fn converges_and_leaves_nothing(ws: &Workspace, bed: &Bed, before: &Inventory, what: &str) {
    fixtures::clear_faults();
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(
        run.ok,
        "{what}: the next apply must converge:\n{}",
        run.text()
    );
    ws.assert_no_changes(&format!("{what}: plan after the converging apply"));
    let role_arn = |r: &str| format!("arn:aws:iam::000000000000:role/{r}");
    assert_eq!(
        fixtures::associations(&bed.cluster)
            .into_iter()
            .map(|(_, sa, role, _)| (sa, role))
            .collect::<Vec<_>>(),
        vec![
            ("api".to_owned(), role_arn(&bed.roles[0])),
            ("worker".to_owned(), role_arn(&bed.roles[1]))
        ],
        "{what}: one association per service account, to its role"
    );
    assert!(fixtures::access_entry(&bed.cluster, &role_arn(&bed.roles[2])).is_some());
    ws.destroy();
    for role in &bed.roles {
        assert!(
            !fixtures::role_exists(role),
            "{what}: {role} left by destroy"
        );
    }
    before.assert_no_orphans(what);
}

/// The network goes while every `CreateRole` is on its way: no answer comes
/// back, and the read that would confirm the role fails too. State keeps
/// each resource (tainted) rather than orphan a role IAM may have created.
fn connection_cut_mid_apply(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let bed = bed("cut", cli);
    let proxy = TcpProxy::start();
    let through_proxy = format!(
        "{}\n{}",
        provider_block_for(&proxy.endpoint(), ""),
        bed.config
    );
    let ws = Workspace::new(cli, &through_proxy);
    ws.init();
    let before = Inventory::take();
    ws.ok(&["plan", "-out=tfplan", "-input=false", "-no-color"]);
    fixtures::clear_faults();
    fixtures::add_fault(
        json!({"service": "iam", "operation": "CreateRole", "count": -1, "latency_ms": 3000}),
    );
    reset_calls();
    let apply = Background::start(&ws, &["apply", "-input=false", "-no-color", "tfplan"]);
    wait_until(WAIT, "every CreateRole to be on its way", || {
        calls_received("iam", "CreateRole") >= 3
    });
    proxy.cut();
    let run = apply.wait(WAIT);
    assert!(
        !run.ok,
        "apply must fail when the network is gone:\n{}",
        run.text()
    );
    let listed = state_list(&ws);
    for address in [
        "eksrole_workload_identity.api",
        "eksrole_workload_identity.worker",
        "eksrole_team_access.devs",
    ] {
        assert!(
            listed.contains(address),
            "{address}: its role may exist, so state must keep it:\n{listed}\napply:\n{}",
            run.text()
        );
    }
    ws.write(&format!("PROVIDER\n{}", bed.config));
    converges_and_leaves_nothing(&ws, &bed, &before, "connection cut");
}

fn provider_killed_mid_apply(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let bed = bed("kill", cli);
    let ws = Workspace::new(cli, &format!("PROVIDER\n{}", bed.config));
    ws.init();
    let before = Inventory::take();
    ws.ok(&["plan", "-out=tfplan", "-input=false", "-no-color"]);
    slow_down_after_create_role();
    let apply = Background::start(&ws, &["apply", "-input=false", "-no-color", "tfplan"]);
    wait_until(WAIT, "every role to be created", || all_roles_exist(&bed));
    std::thread::sleep(Duration::from_millis(500));
    assert!(apply.kill_providers() >= 1, "no provider process to kill");
    let run = apply.wait(WAIT);
    assert!(
        !run.ok,
        "apply must fail when its provider dies:\n{}",
        run.text()
    );
    // The roles carry this intent's ownership tags: the next apply adopts them.
    converges_and_leaves_nothing(&ws, &bed, &before, "provider killed");
}

fn ctrl_c_mid_apply(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let bed = bed("intr", cli);
    let ws = Workspace::new(cli, &format!("PROVIDER\n{}", bed.config));
    ws.init();
    let before = Inventory::take();
    ws.ok(&["plan", "-out=tfplan", "-input=false", "-no-color"]);
    slow_down_after_create_role();
    let apply = Background::start(&ws, &["apply", "-input=false", "-no-color", "tfplan"]);
    wait_until(WAIT, "every role to be created", || all_roles_exist(&bed));
    std::thread::sleep(Duration::from_millis(500));
    apply.interrupt_group();
    let run = apply.wait(WAIT);
    assert!(!run.ok, "an interrupted apply fails:\n{}", run.text());
    let listed = state_list(&ws);
    for address in [
        "eksrole_workload_identity.api",
        "eksrole_workload_identity.worker",
        "eksrole_team_access.devs",
    ] {
        assert!(
            listed.contains(address),
            "{address}: Stop came after its role was created, so state must keep it:\n{listed}\napply:\n{}",
            run.text()
        );
    }
    converges_and_leaves_nothing(&ws, &bed, &before, "Ctrl-C");
}

/// Two states apply the same intents at the same moment: for each intent
/// exactly one ends up holding it, the other's apply fails with the import
/// command, destroying the other state leaves the holder's objects alone,
/// and destroying the holder leaves nothing.
fn two_workspaces_racing(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let bed = bed("race", cli);
    let config = format!("PROVIDER\n{}", bed.config);
    let (first, second) = (Workspace::new(cli, &config), Workspace::new(cli, &config));
    first.init();
    second.init();
    let before = Inventory::take();
    first.ok(&["plan", "-out=tfplan", "-input=false", "-no-color"]);
    second.ok(&["plan", "-out=tfplan", "-input=false", "-no-color"]);
    // Both hold their CreateRole requests at once, so both are mid-create together.
    fixtures::clear_faults();
    fixtures::add_fault(
        json!({"service": "iam", "operation": "CreateRole", "count": -1, "latency_ms": 1500}),
    );
    let runs = [
        Background::start(&first, &["apply", "-input=false", "-no-color", "tfplan"]),
        Background::start(&second, &["apply", "-input=false", "-no-color", "tfplan"]),
    ]
    .map(|b| b.wait(WAIT));
    fixtures::clear_faults();
    let lists = [state_list(&first), state_list(&second)];
    let mut holders = Vec::new();
    for address in [
        "eksrole_workload_identity.api",
        "eksrole_workload_identity.worker",
        "eksrole_team_access.devs",
    ] {
        let held: Vec<usize> = (0..2).filter(|&i| lists[i].contains(address)).collect();
        assert_eq!(
            held.len(),
            1,
            "{address}: exactly one state may hold it; states:\n{lists:#?}\nfirst:\n{}\nsecond:\n{}",
            runs[0].text(),
            runs[1].text()
        );
        let loser = 1 - held[0];
        assert!(
            runs[loser]
                .text()
                .contains("Already managed by another Terraform state"),
            "{address}: the other apply must say why it stopped:\n{}",
            runs[loser].text()
        );
        holders.push(held[0]);
    }
    // Destroying one state never deletes the objects the other holds.
    ws_destroy_keeps_the_other(&first, &bed, &holders, 1);
    ws_destroy_keeps_the_other(&second, &bed, &holders, 2);
    before.assert_no_orphans("two workspaces racing");
}

/// Destroys `ws` (the `step`th destroyed), then checks that the roles of the
/// intents a state not yet destroyed holds still exist, and the others are
/// gone.
fn ws_destroy_keeps_the_other(ws: &Workspace, bed: &Bed, holders: &[usize], step: usize) {
    ws.destroy();
    for (role, &holder) in bed.roles.iter().zip(holders) {
        let still_held = holder >= step;
        assert_eq!(
            fixtures::role_exists(role),
            still_held,
            "{role}: after {step} destroy(s), held by state {holder}"
        );
    }
}

both_clis!(
    connection_cut_mid_apply,
    provider_killed_mid_apply,
    ctrl_c_mid_apply,
    two_workspaces_racing,
);
