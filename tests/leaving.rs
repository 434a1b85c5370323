//! Acceptance tests of leaving, under both CLIs against the testbed: plan-time
//! checks guard creating and changing, never `destroy` (nor the refresh plan
//! the CLIs run before it). A cluster deleted out of band, a break-glass
//! window that has ended, and an apply that failed on a cluster name unknown
//! at plan each leave a state that `destroy` removes with no flags.

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Run, Workspace};

const S3_READ: &str = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

fn cluster(tag: &str, cli: Cli) -> String {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    name
}

/// The CLI ran the provider to the end: whatever it answered, it did not crash.
fn assert_no_crash(run: &Run, what: &str) {
    let text = run.text();
    for crash in ["panic", "crash", "Plugin did not respond", "plugin exited"] {
        assert!(
            !text.contains(crash),
            "{what} must not crash the provider:\n{text}"
        );
    }
}

fn out(ws: &Workspace, name: &str) -> String {
    ws.outputs()[name]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// All three intents applied, then the cluster deleted out of band: plan does
/// not crash and `destroy` removes the roles (the entries and the association
/// went with the cluster).
fn destroy_after_cluster_deleted(cli: Cli) {
    let cluster = cluster("gone", cli);
    let user = fixtures::create_user(&fixtures::unique(&format!("gone-{cli:?}").to_lowercase()));
    let config = format!(
        "PROVIDER\n\
         resource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name = \"{cluster}\"\n  namespace = \"payments\"\n  service_account = \"api\"\n  policy_arns = [\"{S3_READ}\"]\n}}\n\
         resource \"eksrole_team_access\" \"team\" {{\n  cluster_name = \"{cluster}\"\n  name = \"devs\"\n  principal_arns = [\"{user}\"]\n  access_level = \"view\"\n}}\n\
         resource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name = \"{cluster}\"\n  name = \"oncall\"\n  principal_arns = [\"{user}\"]\n  not_after = \"2099-01-01T00:00:00Z\"\n}}\n\
         output \"roles\" {{ value = join(\",\", [eksrole_workload_identity.app.role_name, eksrole_team_access.team.role_name, eksrole_break_glass.glass.role_name]) }}\n"
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    ws.apply();
    let roles: Vec<String> = out(&ws, "roles").split(',').map(str::to_owned).collect();
    assert_eq!(roles.len(), 3);
    assert!(roles.iter().all(|r| fixtures::role_exists(r)));

    fixtures::delete_cluster(&cluster);

    // An update cannot converge on a cluster that is gone; plan may say so, but never crashes.
    for args in [
        &["plan", "-input=false", "-no-color"][..],
        &["plan", "-input=false", "-no-color", "-refresh=false"],
    ] {
        let plan = ws.run(args);
        assert_no_crash(&plan, "plan after the cluster was deleted");
        assert!(
            plan.ok || plan.text().contains("EKS cluster not found"),
            "{args:?} may only fail on the missing cluster:\n{}",
            plan.text()
        );
    }

    ws.destroy();
    for role in &roles {
        assert!(!fixtures::role_exists(role), "destroy must delete {role}");
    }
    let state = ws.ok(&["state", "list", "-no-color"]);
    assert!(state.stdout.trim().is_empty(), "state: {}", state.stdout);
}

fn break_glass_config(cluster: &str, user: &str, not_after: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name = \"{cluster}\"\n  name = \"oncall\"\n  principal_arns = [\"{user}\"]\n  access_level = \"view\"\n  not_after = \"{not_after}\"\n}}\n\
         output \"role_name\" {{ value = eksrole_break_glass.glass.role_name }}\n"
    )
}

/// A window that ends a minute after apply: once it has passed, plan warns
/// (no error, no diff), `plan -refresh=false` and `destroy` succeed; moving
/// `not_after` to another past time is an error on `not_after`.
fn window_ended(cli: Cli) {
    let cluster = cluster("ended", cli);
    let user = fixtures::create_user(&fixtures::unique(&format!("ended-{cli:?}").to_lowercase()));
    let end = fixtures::rfc3339_in(60);
    let ws = Workspace::new(cli, &break_glass_config(&cluster, &user, &end));
    ws.init();
    ws.apply();
    let role = out(&ws, "role_name");
    assert!(fixtures::role_exists(&role));

    let end_epoch =
        time::OffsetDateTime::parse(&end, &time::format_description::well_known::Rfc3339)
            .expect("window end")
            .unix_timestamp();
    let wait = end_epoch + 2 - time::OffsetDateTime::now_utc().unix_timestamp();
    if wait > 0 {
        std::thread::sleep(std::time::Duration::from_secs(wait.unsigned_abs()));
    }

    let plan = ws.run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
    assert_eq!(
        plan.code,
        Some(0),
        "plan after the window ended: no error, no diff:\n{}",
        plan.text()
    );
    assert!(
        plan.text()
            .contains("Warning: Break-glass window has ended"),
        "plan must warn that the window ended:\n{}",
        plan.text()
    );
    let plan = ws.run(&["plan", "-input=false", "-no-color", "-refresh=false"]);
    assert!(plan.ok, "plan -refresh=false:\n{}", plan.text());

    // Moving the window to another past time is a change the user makes: an error.
    let earlier = fixtures::rfc3339_in(-3600);
    ws.write(&break_glass_config(&cluster, &user, &earlier));
    let plan = ws.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        !plan.ok,
        "a new not_after in the past must fail:\n{}",
        plan.text()
    );
    assert!(
        plan.text().contains("Window already ended")
            && plan.text().contains(&format!("not_after = \"{earlier}\"")),
        "the error names not_after:\n{}",
        plan.text()
    );

    // Back to the window in state: destroy removes the role.
    ws.write(&break_glass_config(&cluster, &user, &end));
    ws.destroy();
    assert!(!fixtures::role_exists(&role));
}

/// An apply that fails on a cluster name unknown at plan (it resolves, at
/// apply, to a cluster that does not exist) leaves a state that `destroy`
/// removes with no flags.
fn destroy_after_failed_apply_on_unknown_cluster(cli: Cli) {
    let cluster = cluster("unknown", cli);
    let user = fixtures::create_user(&fixtures::unique(
        &format!("unknown-{cli:?}").to_lowercase(),
    ));
    let ghost = fixtures::unique(&format!("ghost-{cli:?}").to_lowercase());
    let config = format!(
        "PROVIDER\n\
         resource \"eksrole_team_access\" \"first\" {{\n  cluster_name = \"{cluster}\"\n  name = \"first\"\n  principal_arns = [\"{user}\"]\n  access_level = \"view\"\n}}\n\
         resource \"eksrole_team_access\" \"second\" {{\n  cluster_name = \"{ghost}${{substr(eksrole_team_access.first.role_id, 0, 0)}}\"\n  name = \"second\"\n  principal_arns = [\"{user}\"]\n  access_level = \"view\"\n}}\n\
         output \"role_name\" {{ value = eksrole_team_access.first.role_name }}\n"
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let apply = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(
        !apply.ok,
        "apply must fail on the missing cluster:\n{}",
        apply.text()
    );
    assert!(
        apply.text().contains("EKS cluster not found"),
        "{}",
        apply.text()
    );
    let first = format!("eks-team-{cluster}-first");
    assert!(fixtures::role_exists(&first));

    ws.destroy();
    assert!(
        !fixtures::role_exists(&first),
        "destroy must delete {first}"
    );
    assert!(!fixtures::role_exists(&format!("eks-team-{ghost}-second")));
    let state = ws.ok(&["state", "list", "-no-color"]);
    assert!(state.stdout.trim().is_empty(), "state: {}", state.stdout);
}

both_clis!(
    destroy_after_cluster_deleted,
    window_ended,
    destroy_after_failed_apply_on_unknown_cluster
);
