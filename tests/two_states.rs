//! Acceptance tests of "never two owners", under both CLIs against the
//! testbed: two workspaces (two states) with the same intent, one after the
//! other. The second apply finds the first's objects complete (the role and
//! its Pod Identity association or access entry, tagged as this intent's)
//! and fails with the exact import command, changing nothing; the first
//! workspace's objects stay as they were, and its destroy removes them all.
//! A role alone (what an apply that stopped half-way leaves) is adopted. A
//! `create_before_destroy` replacement that keeps the names is refused the
//! same way, before any change.

mod support;

use support::fixtures::{self, aws, ClusterSpec};
use support::{Cli, Workspace};

const REFUSED: &str = "Already managed by another Terraform state";

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

/// One resource `res` of `resource_type`, with its role's name, ARN and ID
/// as outputs.
fn config(resource_type: &str, body: &str, lifecycle: &str) -> String {
    format!(
        "PROVIDER\nresource \"{resource_type}\" \"res\" {{\n{body}{lifecycle}}}\n\n\
         output \"role_name\" {{ value = {resource_type}.res.role_name }}\n\
         output \"role_arn\" {{ value = {resource_type}.res.role_arn }}\n\
         output \"role_id\" {{ value = {resource_type}.res.role_id }}\n"
    )
}

fn out(ws: &Workspace, name: &str) -> String {
    ws.outputs()[name]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The CLI's output with every run of whitespace one space (the CLIs wrap
/// diagnostic details).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn role_id_of(name: &str) -> String {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .get_role()
            .role_name(name)
            .send()
            .await
            .expect("get role");
        out.role()
            .map(|r| r.role_id().to_owned())
            .unwrap_or_default()
    })
}

/// Principal ARNs of the access entries on `cluster`.
fn access_entries(cluster: &str) -> Vec<String> {
    let a = aws();
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

fn delete_access_entry(cluster: &str, principal_arn: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .delete_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal_arn)
            .send()
            .await
            .expect("delete access entry");
    });
}

fn delete_associations(cluster: &str) {
    let a = aws();
    a.rt.block_on(async {
        let list = a
            .eks
            .list_pod_identity_associations()
            .cluster_name(cluster)
            .send()
            .await
            .expect("list associations");
        for s in list.associations() {
            a.eks
                .delete_pod_identity_association()
                .cluster_name(cluster)
                .association_id(s.association_id().unwrap_or_default())
                .send()
                .await
                .expect("delete association");
        }
    });
}

/// Applies `config` in a second workspace: it must fail with the refusal
/// and `import`, and leave that workspace's state empty.
fn assert_second_refused(cli: Cli, config: &str, import: &str) -> Workspace {
    let second = Workspace::new(cli, config);
    second.init();
    let run = second.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let text = flat(&run.text());
    assert!(!run.ok, "the second state's apply must fail:\n{text}");
    for expected in [REFUSED, import, "adopts"] {
        assert!(text.contains(expected), "expected {expected:?}:\n{text}");
    }
    let state = second.run(&["state", "list", "-no-color"]);
    assert!(
        !state.ok || state.stdout.trim().is_empty(),
        "the second state must stay empty:\n{}",
        state.stdout
    );
    second
}

/// Workload identity with Pod Identity: the second state is refused on
/// `service_account`; the first keeps its role and association. A role
/// whose association is gone (a crashed apply's leftover) is adopted.
fn workload_identity_second_state(cli: Cli) {
    let cluster = cluster("two-wi", cli, true);
    let body = format!(
        "  cluster_name    = \"{cluster}\"\n  namespace       = \"payments\"\n  service_account = \"api\"\n"
    );
    let cfg = config("eksrole_workload_identity", &body, "");
    let first = Workspace::new(cli, &cfg);
    first.init();
    first.apply();
    let role = out(&first, "role_name");
    let role_id = out(&first, "role_id");
    let associations = fixtures::associations(&cluster);
    assert_eq!(associations.len(), 1);

    let second = assert_second_refused(
        cli,
        &cfg,
        &format!("terraform import eksrole_workload_identity.<name> {cluster}/payments/api"),
    );
    assert_eq!(role_id_of(&role), role_id, "the first state's role stays");
    assert_eq!(
        fixtures::associations(&cluster),
        associations,
        "the first state's association stays"
    );
    first.assert_no_changes("the first state must be untouched");

    // A leftover: the role without its association is adopted.
    first.ok(&["state", "rm", "-no-color", "eksrole_workload_identity.res"]);
    delete_associations(&cluster);
    second.apply();
    assert_eq!(
        out(&second, "role_id"),
        role_id,
        "the leftover role is adopted"
    );
    assert_eq!(fixtures::associations(&cluster).len(), 1);
    second.assert_no_changes("plan must be empty after adopting the leftover");
    second.destroy();
    assert!(!fixtures::role_exists(&role), "destroy must delete {role}");
    assert!(fixtures::associations(&cluster).is_empty());
}

/// Team access: the second state is refused on `role_name`; the first keeps
/// its role and entry, and a `create_before_destroy` replacement that keeps
/// the names is refused before any change. A role whose entry is gone is
/// adopted.
fn team_access_second_state(cli: Cli) {
    let cluster = cluster("two-ta", cli, false);
    let principal = fixtures::create_role(&fixtures::unique(
        &format!("two-ta-dev-{cli:?}").to_lowercase(),
    ));
    let body = format!(
        "  cluster_name   = \"{cluster}\"\n  name           = \"devs\"\n  principal_arns = [\"{principal}\"]\n  access_level   = \"view\"\n"
    );
    let cfg = config("eksrole_team_access", &body, "");
    let first = Workspace::new(cli, &cfg);
    first.init();
    first.apply();
    let role = out(&first, "role_name");
    let role_id = out(&first, "role_id");
    let role_arn = out(&first, "role_arn");
    let entry = fixtures::access_entry(&cluster, &role_arn);
    assert!(entry.is_some());

    let second = assert_second_refused(
        cli,
        &cfg,
        &format!("terraform import eksrole_team_access.<name> {cluster}/devs"),
    );
    assert_eq!(role_id_of(&role), role_id, "the first state's role stays");
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), entry);
    first.assert_no_changes("the first state must be untouched");

    // create_before_destroy + -replace keeps the names: the new object would
    // take over the old one's role and entry, which the deposed destroy then
    // deletes. Refused before anything changes.
    first.write(&config(
        "eksrole_team_access",
        &body,
        "  lifecycle {\n    create_before_destroy = true\n  }\n",
    ));
    let run = first.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-replace=eksrole_team_access.res",
    ]);
    let text = flat(&run.text());
    assert!(
        !run.ok,
        "create_before_destroy keeping the names must fail:\n{text}"
    );
    assert!(text.contains(REFUSED), "{text}");
    assert_eq!(role_id_of(&role), role_id, "the role stays");
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), entry);
    first.write(&cfg);

    // A leftover: the role without its entry is adopted by the second state.
    first.ok(&["state", "rm", "-no-color", "eksrole_team_access.res"]);
    delete_access_entry(&cluster, &role_arn);
    second.apply();
    assert_eq!(
        out(&second, "role_id"),
        role_id,
        "the leftover role is adopted"
    );
    assert_eq!(access_entries(&cluster), vec![role_arn.clone()]);
    second.assert_no_changes("plan must be empty after adopting the leftover");
    second.destroy();
    assert!(!fixtures::role_exists(&role), "destroy must delete {role}");
    assert!(access_entries(&cluster).is_empty());
}

/// The first workspace's destroy removes everything, and the second
/// (refused, so with an empty state) has nothing to remove.
fn first_state_destroy_leaves_nothing(cli: Cli) {
    let cluster = cluster("two-destroy", cli, true);
    let body = format!(
        "  cluster_name    = \"{cluster}\"\n  namespace       = \"orders\"\n  service_account = \"worker\"\n"
    );
    let cfg = config("eksrole_workload_identity", &body, "");
    let first = Workspace::new(cli, &cfg);
    first.init();
    first.apply();
    let role = out(&first, "role_name");
    let second = assert_second_refused(
        cli,
        &cfg,
        &format!("terraform import eksrole_workload_identity.<name> {cluster}/orders/worker"),
    );
    second.destroy();
    assert!(
        fixtures::role_exists(&role),
        "the second destroy deletes nothing"
    );
    assert_eq!(fixtures::associations(&cluster).len(), 1);
    first.destroy();
    assert!(!fixtures::role_exists(&role), "destroy must delete {role}");
    assert!(fixtures::associations(&cluster).is_empty());
}

both_clis!(
    workload_identity_second_state,
    team_access_second_state,
    first_state_destroy_leaves_nothing,
);
