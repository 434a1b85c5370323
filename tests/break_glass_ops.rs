//! Acceptance tests of break-glass operations under both CLIs against the
//! testbed: the `assume_role_command` a role principal can run (role
//! chaining: no MFA device, at most an hour), and closing the glass with
//! `enabled = false` (the access entry and its associations deleted, the
//! role and its trust kept) and opening it again.

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

const CLUSTER_ADMIN: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

fn cluster(tag: &str, cli: Cli) -> String {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: false,
    });
    name
}

fn config(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name = \"{cluster}\"\n  name         = \"oncall\"\n  \
         not_after    = \"2099-01-01T00:00:00Z\"\n{body}}}\n\n\
         output \"role_arn\" {{ value = eksrole_break_glass.glass.role_arn }}\n\
         output \"role_name\" {{ value = eksrole_break_glass.glass.role_name }}\n\
         output \"command\" {{ value = eksrole_break_glass.glass.assume_role_command }}\n"
    )
}

fn out(ws: &Workspace, name: &str) -> String {
    ws.outputs()[name]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn role_principal_with_long_sessions(cli: Cli) {
    let cluster = cluster("glass-chain", cli);
    let responder = fixtures::create_role(&fixtures::unique(
        &format!("responder-{cli:?}").to_lowercase(),
    ));
    let ws = Workspace::new(
        cli,
        &config(
            &cluster,
            &format!("  principal_arns       = [\"{responder}\"]\n  max_session_duration = 7200\n"),
        ),
    );
    ws.init();
    ws.apply();
    let command = out(&ws, "command");
    assert!(
        command.ends_with("--duration-seconds 3600"),
        "role chaining allows an hour at most: {command}"
    );
    assert!(
        !command.contains("--serial-number") && !command.contains("--token-code"),
        "a role session brings its own MFA: {command}"
    );
    assert!(command.contains(&out(&ws, "role_arn")) && command.contains("--source-identity"));
    assert_eq!(fixtures::max_session_duration(&out(&ws, "role_name")), 7200);
    ws.assert_no_changes("plan must be empty after apply");
    ws.destroy();
}

fn closing_and_opening_the_glass(cli: Cli) {
    let cluster = cluster("glass-close", cli);
    let alice = fixtures::create_user(&fixtures::unique(&format!("closer-{cli:?}").to_lowercase()));
    let body = |enabled: &str| format!("  principal_arns = [\"{alice}\"]\n{enabled}");
    let ws = Workspace::new(cli, &config(&cluster, &body("")));
    ws.init();
    ws.apply();
    let role = out(&ws, "role_name");
    let role_arn = out(&ws, "role_arn");
    let trust = fixtures::trust_policy(&role);
    let admin = vec![(CLUSTER_ADMIN.to_owned(), "cluster".to_owned(), vec![])];
    assert!(fixtures::access_entry(&cluster, &role_arn).is_some());
    assert_eq!(fixtures::associated_policies(&cluster, &role_arn), admin);

    // Closing: in place; the entry and its association go, the role and its trust stay.
    ws.write(&config(&cluster, &body("  enabled        = false\n")));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    ws.apply();
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), None);
    assert!(fixtures::role_exists(&role), "the role is the audit trail");
    assert_eq!(fixtures::trust_policy(&role), trust);
    ws.assert_no_changes("a closed glass plans empty");

    // Opening again restores the entry and its association.
    ws.write(&config(&cluster, &body("  enabled        = true\n")));
    ws.apply();
    assert!(fixtures::access_entry(&cluster, &role_arn).is_some());
    assert_eq!(fixtures::associated_policies(&cluster, &role_arn), admin);
    ws.assert_no_changes("an open glass plans empty");
    ws.destroy();
    assert!(!fixtures::role_exists(&role));
}

both_clis!(
    role_principal_with_long_sessions,
    closing_and_opening_the_glass
);
