//! Acceptance tests of replacement under both CLIs against the testbed:
//! `apply -replace=…` and `taint` of team access and break-glass, a forced
//! replacement that keeps a pinned `role_name` (team access `name`, workload
//! identity `namespace`), and the same with `create_before_destroy`, which
//! must stop with an error on `role_name` and change nothing. Each ends with
//! a destroy that leaves no role, access entry or association behind.

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

fn cluster(tag: &str, cli: Cli, agent: bool) -> String {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: agent,
    });
    name
}

/// A configuration of one `resource_type` named `res`, with its role name
/// and ARN as outputs.
fn config(resource_type: &str, body: &str, lifecycle: &str) -> String {
    format!(
        "PROVIDER\nresource \"{resource_type}\" \"res\" {{\n{body}{lifecycle}}}\n\n\
         output \"role_name\" {{ value = {resource_type}.res.role_name }}\n\
         output \"role_arn\" {{ value = {resource_type}.res.role_arn }}\n\
         output \"role_id\" {{ value = {resource_type}.res.role_id }}\n"
    )
}

const CREATE_BEFORE_DESTROY: &str = "  lifecycle {\n    create_before_destroy = true\n  }\n";

fn out(ws: &Workspace, name: &str) -> String {
    ws.outputs()[name]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Principal ARNs of the access entries on `cluster`.
fn access_entries(cluster: &str) -> Vec<String> {
    let a = fixtures::aws();
    a.rt.block_on(async {
        let list = a
            .eks
            .list_access_entries()
            .cluster_name(cluster)
            .send()
            .await
            .expect("list access entries");
        list.access_entries().to_vec()
    })
}

fn apply_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["apply", "-auto-approve", "-input=false", "-no-color"];
    args.extend_from_slice(extra);
    args
}

/// Asserts that an apply replaced the resource (one destroyed, one added).
fn assert_replaced(run: &support::Run, what: &str) {
    assert!(
        run.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{what} must replace the resource:\n{}",
        run.text()
    );
}

/// The role and the access entry for it exist, and the role is a new one.
fn assert_access_recreated(cluster: &str, ws: &Workspace, old_role_id: &str) -> String {
    let role = out(ws, "role_name");
    let role_arn = out(ws, "role_arn");
    let role_id = out(ws, "role_id");
    assert!(fixtures::role_exists(&role), "role {role} must exist");
    assert_ne!(
        role_id, old_role_id,
        "the role must have been created again"
    );
    assert!(
        fixtures::access_entry(cluster, &role_arn).is_some(),
        "the access entry for {role_arn} must exist"
    );
    assert_eq!(access_entries(cluster), vec![role_arn]);
    role_id
}

/// `apply -replace` and `taint` + apply of an access resource, then destroy.
fn replace_and_taint_access(cli: Cli, resource_type: &str, tag: &str, body: &str) {
    let cluster = cluster(tag, cli, false);
    let body = format!("  cluster_name   = \"{cluster}\"\n{body}");
    let ws = Workspace::new(cli, &config(resource_type, &body, ""));
    ws.init();
    ws.apply();
    let role = out(&ws, "role_name");
    let mut role_id = out(&ws, "role_id");
    let address = format!("{resource_type}.res");

    let replace = format!("-replace={address}");
    let run = ws.ok(&apply_args(&[&replace]));
    assert_replaced(&run, "apply -replace");
    role_id = assert_access_recreated(&cluster, &ws, &role_id);
    ws.assert_no_changes("plan must be empty after -replace");

    ws.ok(&["taint", "-no-color", &address]);
    let run = ws.ok(&apply_args(&[]));
    assert_replaced(&run, "apply after taint");
    assert_access_recreated(&cluster, &ws, &role_id);
    ws.assert_no_changes("plan must be empty after a tainted resource was replaced");

    ws.destroy();
    assert!(!fixtures::role_exists(&role), "destroy must delete {role}");
    assert!(
        access_entries(&cluster).is_empty(),
        "destroy must leave no access entry"
    );
}

fn team_access_replace_and_taint(cli: Cli) {
    let principal =
        fixtures::create_role(&fixtures::unique(&format!("rt-dev-{cli:?}").to_lowercase()));
    replace_and_taint_access(
        cli,
        "eksrole_team_access",
        "rt-team",
        &format!(
            "  name           = \"developers\"\n  principal_arns = [\"{principal}\"]\n  access_level   = \"view\"\n"
        ),
    );
}

fn break_glass_replace_and_taint(cli: Cli) {
    let user = fixtures::create_user(&fixtures::unique(
        &format!("rt-oncall-{cli:?}").to_lowercase(),
    ));
    replace_and_taint_access(
        cli,
        "eksrole_break_glass",
        "rt-glass",
        &format!(
            "  name           = \"oncall\"\n  principal_arns = [\"{user}\"]\n  not_before     = \"2026-01-01T00:00:00Z\"\n  not_after      = \"2099-01-01T00:00:00Z\"\n"
        ),
    );
}

/// A team access whose `name` changes while `role_name` stays: replaced
/// (the old role deleted, then created again under the same name); with
/// `create_before_destroy`, stopped with an error on `role_name`.
fn team_access_rename_with_pinned_role_name(cli: Cli) {
    let cluster = cluster("rt-pin", cli, false);
    let principal = fixtures::create_role(&fixtures::unique(
        &format!("rt-pin-dev-{cli:?}").to_lowercase(),
    ));
    let role = fixtures::unique(&format!("pinned-team-{cli:?}").to_lowercase());
    let body = |name: &str| {
        format!(
            "  cluster_name   = \"{cluster}\"\n  name           = \"{name}\"\n  role_name      = \"{role}\"\n  principal_arns = [\"{principal}\"]\n  access_level   = \"view\"\n"
        )
    };
    let ws = Workspace::new(cli, &config("eksrole_team_access", &body("developers"), ""));
    ws.init();
    ws.apply();
    let role_id = out(&ws, "role_id");

    ws.write(&config("eksrole_team_access", &body("engineers"), ""));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.text().contains("Replacement keeps the role name"),
        "the plan must say that the role is deleted and created again:\n{}",
        plan.text()
    );
    let run = ws.apply();
    assert_replaced(&run, "changing `name`");
    assert_eq!(out(&ws, "role_name"), role);
    let role_id = assert_access_recreated(&cluster, &ws, &role_id);
    ws.assert_no_changes("plan must be empty after the replacement");

    // create_before_destroy cannot keep the name: Terraform plans the new
    // object again at apply while the old role exists, and that plan stops
    // with an error on role_name before anything changes in AWS.
    let cbd = |name: &str, role_name: &str| {
        config(
            "eksrole_team_access",
            &body(name).replace(&role, role_name),
            CREATE_BEFORE_DESTROY,
        )
    };
    ws.write(&cbd("platform", &role));
    let run = ws.run(&apply_args(&[]));
    let text = run.text();
    assert!(
        !run.ok,
        "create_before_destroy with the same role name must fail:\n{text}"
    );
    for expected in [
        "Role name already taken",
        "create_before_destroy",
        "role_name",
    ] {
        assert!(text.contains(expected), "expected {expected:?}:\n{text}");
    }
    assert!(fixtures::role_exists(&role), "the old role stays");
    assert_eq!(access_entries(&cluster).len(), 1, "the old entry stays");
    // What the error says to do: a new role name. The new role is created,
    // then the old object destroyed.
    let renamed = format!("{role}-2");
    ws.write(&cbd("platform", &renamed));
    ws.apply();
    assert_eq!(out(&ws, "role_name"), renamed);
    assert!(!fixtures::role_exists(&role), "the old role is destroyed");
    assert_access_recreated(&cluster, &ws, &role_id);
    ws.assert_no_changes("plan must be empty after the create_before_destroy replacement");
    let role = renamed;

    ws.destroy();
    assert!(!fixtures::role_exists(&role), "destroy must delete {role}");
    assert!(access_entries(&cluster).is_empty());
}

/// A workload identity whose `namespace` changes while `role_name` stays.
fn workload_identity_namespace_change_with_pinned_role_name(cli: Cli) {
    let cluster = cluster("rt-wi", cli, true);
    let role = fixtures::unique(&format!("pinned-app-{cli:?}").to_lowercase());
    let body = |namespace: &str| {
        format!(
            "  cluster_name    = \"{cluster}\"\n  namespace       = \"{namespace}\"\n  service_account = \"api\"\n  role_name       = \"{role}\"\n"
        )
    };
    let ws = Workspace::new(
        cli,
        &config("eksrole_workload_identity", &body("payments"), ""),
    );
    ws.init();
    ws.apply();
    let role_id = out(&ws, "role_id");
    let role_arn = out(&ws, "role_arn");

    ws.write(&config("eksrole_workload_identity", &body("billing"), ""));
    let run = ws.apply();
    assert_replaced(&run, "changing `namespace`");
    assert_eq!(out(&ws, "role_name"), role);
    assert_ne!(out(&ws, "role_id"), role_id, "the role is created again");
    assert_eq!(
        fixtures::associations(&cluster),
        vec![("billing".to_owned(), "api".to_owned(), role_arn, None)]
    );
    ws.assert_no_changes("plan must be empty after the replacement");

    ws.destroy();
    assert!(!fixtures::role_exists(&role), "destroy must delete {role}");
    assert!(fixtures::associations(&cluster).is_empty());
}

both_clis!(
    team_access_replace_and_taint,
    break_glass_replace_and_taint,
    team_access_rename_with_pinned_role_name,
    workload_identity_namespace_change_with_pinned_role_name,
);
