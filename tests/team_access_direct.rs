//! Acceptance tests of `eksrole_team_access` without a role (`create_role =
//! false`) and of `access_level = "admin_view"`, under both CLIs against the
//! testbed: an IAM Identity Center permission set reaching a namespace
//! through its own access entry (no role created), the permission set
//! re-provisioned under a new role suffix (plan shows the entry moving,
//! apply follows, the old entry is gone), import, and the configurations
//! that must fail at plan: an unknown permission set (the error lists what
//! was found), a role-only setting without a role, and a principal whose
//! access entry is of another type than STANDARD (left untouched).

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

const VIEW: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
const ADMIN_VIEW: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy";
const SSO_PATH: &str = "/aws-reserved/sso.amazonaws.com/";

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

/// A permission-set name of this test process and CLI (roles are account-wide).
fn permission_set(tag: &str, cli: Cli) -> String {
    format!("{tag}{}{cli:?}", std::process::id())
}

/// The role IAM Identity Center makes for a permission set: `path` under
/// the reserved path (with or without a region segment).
fn create_identity_center_role(name: &str, path: &str) -> String {
    let a = fixtures::aws();
    a.rt.block_on(async {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::000000000000:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"]}]}"#;
        let out = a
            .iam
            .create_role()
            .role_name(name)
            .path(path)
            .assume_role_policy_document(trust)
            .send()
            .await
            .expect("create Identity Center role");
        out.role().map(|r| r.arn().to_owned()).expect("role arn")
    })
}

/// A node's access entry (type EC2_LINUX) for `role_arn`, as EKS makes for
/// a managed node group.
fn create_node_entry(cluster: &str, role_arn: &str) {
    let a = fixtures::aws();
    a.rt.block_on(async {
        a.eks
            .create_access_entry()
            .cluster_name(cluster)
            .principal_arn(role_arn)
            .r#type("EC2_LINUX")
            .send()
            .await
            .expect("create node entry");
    });
}

fn config(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_team_access\" \"team\" {{\n  cluster_name = \"{cluster}\"\n{body}}}\n\n\
         output \"entries\" {{ value = eksrole_team_access.team.access_entry_arns }}\n\
         output \"role_arn\" {{ value = eksrole_team_access.team.role_arn }}\n\
         output \"kubeconfig\" {{ value = eksrole_team_access.team.kubeconfig_command }}\n"
    )
}

fn entries(ws: &Workspace) -> Vec<(String, String)> {
    let outputs = ws.outputs();
    let map = outputs["entries"]["value"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    map.into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

fn identity_center_developers_reach_their_namespace(cli: Cli) {
    let cluster = cluster("sso", cli);
    let set = permission_set("Dev", cli);
    let old_name = format!("AWSReservedSSO_{set}_abc123");
    let old_role = create_identity_center_role(&old_name, SSO_PATH);
    let body = format!(
        "  name                = \"developers\"\n  create_role         = false\n  sso_permission_sets = [\"{set}\"]\n  access_level        = \"view\"\n  namespaces          = [\"dev\"]\n"
    );
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    ws.apply();
    // The entry is the permission set's role's, full path included; no role.
    let entry = fixtures::access_entry(&cluster, &old_role).expect("access entry");
    assert_eq!(entry.0, "STANDARD");
    assert_eq!(entries(&ws), vec![(old_role.clone(), entry.3.clone())]);
    assert_eq!(
        fixtures::associated_policies(&cluster, &old_role),
        vec![(
            VIEW.to_owned(),
            "namespace".to_owned(),
            vec!["dev".to_owned()]
        )]
    );
    assert!(!fixtures::role_exists(&format!(
        "eks-team-{cluster}-developers"
    )));
    assert_eq!(ws.outputs()["role_arn"]["value"], serde_json::Value::Null);
    assert_eq!(
        ws.outputs()["kubeconfig"]["value"],
        format!("aws eks update-kubeconfig --name {cluster} --region us-east-1")
    );
    ws.assert_no_changes("plan must be empty after apply");

    // Re-provisioned: Identity Center deleted the role and made a new one
    // with another suffix (here under a region segment).
    fixtures::delete_role(&old_name);
    let new_role = create_identity_center_role(
        &format!("AWSReservedSSO_{set}_def456"),
        &format!("{SSO_PATH}eu-west-1/"),
    );
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change") && plan.stdout.contains(&new_role),
        "plan must show the entry moving to the new role:\n{}",
        plan.stdout
    );
    assert!(
        plan.flat_text().contains("Permission set re-provisioned"),
        "plan must say why:\n{}",
        plan.flat_text()
    );
    ws.apply();
    assert_eq!(
        fixtures::access_entry(&cluster, &old_role),
        None,
        "old entry gone"
    );
    let entry = fixtures::access_entry(&cluster, &new_role).expect("new entry");
    assert_eq!(entries(&ws), vec![(new_role.clone(), entry.3.clone())]);
    assert_eq!(
        fixtures::associated_policies(&cluster, &new_role),
        vec![(
            VIEW.to_owned(),
            "namespace".to_owned(),
            vec!["dev".to_owned()]
        )]
    );
    ws.assert_no_changes("plan must be empty after following the new role");

    // Lost state: the entry carries this intent's tags; import takes it back.
    ws.ok(&["state", "rm", "-no-color", "eksrole_team_access.team"]);
    ws.ok(&[
        "import",
        "-no-color",
        "-input=false",
        "eksrole_team_access.team",
        &format!("{cluster}/developers/{new_role}"),
    ]);
    ws.assert_import_clean();

    ws.destroy();
    assert_eq!(
        fixtures::access_entry(&cluster, &new_role),
        None,
        "destroy deletes the entry"
    );
}

fn admin_view_is_associated(cli: Cli) {
    let cluster = cluster("adminview", cli);
    let auditor = fixtures::create_user(&fixtures::unique(
        &format!("auditor-{cli:?}").to_lowercase(),
    ));
    let body = format!(
        "  name           = \"auditors\"\n  principal_arns = [\"{auditor}\"]\n  access_level   = \"admin_view\"\n"
    );
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    ws.apply();
    let role_arn = ws.outputs()["role_arn"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let entry = fixtures::access_entry(&cluster, &role_arn).expect("access entry");
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(ADMIN_VIEW.to_owned(), "cluster".to_owned(), vec![])]
    );
    assert_eq!(entries(&ws), vec![(role_arn.clone(), entry.3)]);
    ws.assert_no_changes("plan must be empty after apply");
    ws.destroy();
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), None);
}

fn bad_direct_configs_fail_at_plan(cli: Cli) {
    let cluster = cluster("directchecks", cli);
    // Unknown permission set: the error names the permission sets found.
    let existing = permission_set("Ops", cli);
    create_identity_center_role(&format!("AWSReservedSSO_{existing}_0a1b2c"), SSO_PATH);
    let missing = permission_set("Nope", cli);
    let body = format!(
        "  name = \"devs\"\n  create_role = false\n  sso_permission_sets = [\"{missing}\"]\n  access_level = \"view\"\n"
    );
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    let text = run.flat_text();
    assert!(!run.ok, "{text}");
    assert!(text.contains("Permission set not found"), "{text}");
    assert!(
        text.contains(&format!("sso_permission_sets = [\"{missing}\"]")),
        "{text}"
    );
    assert!(
        text.contains(&format!("\"{existing}\"")),
        "the error lists what was found: {text}"
    );

    // A role-only setting without a role: an error on it, reported with the
    // live problems of the same plan (the unknown permission set).
    let user = fixtures::create_user(&fixtures::unique(&format!("direct-{cli:?}").to_lowercase()));
    support::assert_plan_fails(
        cli,
        &config(
            &cluster,
            &format!("  name = \"devs\"\n  create_role = false\n  principal_arns = [\"{user}\"]\n  access_level = \"view\"\n  external_id = \"team-2026\"\n"),
        ),
        "Setting of a role that is not created",
        "external_id = \"team-2026\"",
    );
    ws.write(&config(
        &cluster,
        &format!("  name = \"devs\"\n  create_role = false\n  sso_permission_sets = [\"{missing}\"]\n  access_level = \"view\"\n  max_session_duration = 7200\n"),
    ));
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    let text = run.flat_text();
    assert!(!run.ok, "{text}");
    assert!(
        text.contains("Setting of a role that is not created")
            && text.contains("max_session_duration = 7200"),
        "{text}"
    );
    assert!(
        text.contains("Permission set not found"),
        "static and live problems in one plan: {text}"
    );

    // A node role's entry: refused at plan, never modified.
    let node = fixtures::create_role(&fixtures::unique(&format!("node-{cli:?}").to_lowercase()));
    create_node_entry(&cluster, &node);
    let before = fixtures::access_entry(&cluster, &node);
    support::assert_plan_fails(
        cli,
        &config(
            &cluster,
            &format!("  name = \"nodes\"\n  create_role = false\n  principal_arns = [\"{node}\"]\n  access_level = \"view\"\n"),
        ),
        "Principal has an access entry of another type",
        &format!("principal_arns = [\"{node}\"]"),
    );
    assert_eq!(
        fixtures::access_entry(&cluster, &node),
        before,
        "entry untouched"
    );
    assert_eq!(before.map(|e| e.0), Some("EC2_LINUX".to_owned()));
    assert!(fixtures::associated_policies(&cluster, &node).is_empty());
}

/// An access entry someone made by hand (STANDARD, no tags).
fn create_foreign_entry(cluster: &str, principal: &str) {
    let a = fixtures::aws();
    a.rt.block_on(async {
        a.eks
            .create_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal)
            .send()
            .await
            .expect("create foreign entry");
    });
}

/// A workspace whose provider has plan-time checks off: apply alone decides.
fn checks_off(cli: Cli, cluster: &str, body: &str) -> Workspace {
    let config = config(cluster, body).replace(
        "PROVIDER",
        &support::provider_block("  plan_time_checks = false\n"),
    );
    Workspace::new(cli, &config)
}

fn direct_entries_are_taken_only_when_ours(cli: Cli) {
    let cluster = cluster("directown", cli);
    let tag = |t: &str| fixtures::unique(&format!("{t}-{cli:?}").to_lowercase());
    let alice = fixtures::create_user(&tag("alice"));
    let carol = fixtures::create_user(&tag("carol"));
    let node = fixtures::create_role(&tag("nodes"));
    create_foreign_entry(&cluster, &alice);
    create_node_entry(&cluster, &node);
    let alice_before = fixtures::access_entry(&cluster, &alice);
    let node_before = fixtures::access_entry(&cluster, &node);

    // Checks off: apply refuses the entries that are not its own, creates
    // the free one and keeps it in state.
    let body = format!(
        "  name = \"mixed\"\n  create_role = false\n  principal_arns = [\"{alice}\", \"{carol}\", \"{node}\"]\n  access_level = \"view\"\n"
    );
    let ws = checks_off(cli, &cluster, &body);
    ws.init();
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let text = run.flat_text();
    assert!(!run.ok, "{text}");
    assert!(
        text.contains("Access entry already exists")
            || text.contains("Principal has an access entry of another type"),
        "{text}"
    );
    assert_eq!(
        fixtures::access_entry(&cluster, &alice),
        alice_before,
        "foreign entry untouched"
    );
    assert!(fixtures::associated_policies(&cluster, &alice).is_empty());
    assert_eq!(
        fixtures::access_entry(&cluster, &node),
        node_before,
        "node entry untouched"
    );
    let carol_entry = fixtures::access_entry(&cluster, &carol).expect("carol's entry");
    let state = ws.ok(&["state", "show", "-no-color", "eksrole_team_access.team"]);
    assert!(
        state.stdout.contains(&carol_entry.3),
        "partial state keeps carol's entry:\n{}",
        state.stdout
    );
    ws.destroy();
    assert_eq!(
        fixtures::access_entry(&cluster, &carol),
        None,
        "destroy deletes ours"
    );
    assert_eq!(
        fixtures::access_entry(&cluster, &alice),
        alice_before,
        "and only ours"
    );
    assert_eq!(
        fixtures::access_entry(&cluster, &node),
        node_before,
        "and only ours"
    );

    // A second state with the same intent: plan warns, apply refuses, the
    // first state's entry stays.
    let dave = fixtures::create_user(&tag("dave"));
    let body = format!(
        "  name = \"shared\"\n  create_role = false\n  principal_arns = [\"{dave}\"]\n  access_level = \"view\"\n"
    );
    let first = Workspace::new(cli, &config(&cluster, &body));
    first.init();
    first.apply();
    let dave_entry = fixtures::access_entry(&cluster, &dave).expect("dave's entry");
    let second = Workspace::new(cli, &config(&cluster, &body));
    second.init();
    let plan = second.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.ok
            && plan
                .flat_text()
                .contains("This access entry already exists"),
        "{}",
        plan.flat_text()
    );
    let run = second.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(
        !run.ok
            && run
                .flat_text()
                .contains("Already managed by another Terraform state"),
        "{}",
        run.flat_text()
    );
    assert_eq!(
        fixtures::access_entry(&cluster, &dave),
        Some(dave_entry.clone())
    );
    second.destroy();
    assert_eq!(
        fixtures::access_entry(&cluster, &dave),
        Some(dave_entry),
        "the other state's entry stays"
    );
    first.assert_no_changes("the first state is unaffected");
    first.destroy();
    assert_eq!(fixtures::access_entry(&cluster, &dave), None);
}

fn switching_create_role_replaces_the_access(cli: Cli) {
    let cluster = cluster("switch", cli);
    let erin = fixtures::create_user(&fixtures::unique(&format!("erin-{cli:?}").to_lowercase()));
    let body = |direct: &str| {
        format!("  name = \"switch\"\n{direct}  principal_arns = [\"{erin}\"]\n  require_mfa = false\n  access_level = \"view\"\n")
    };
    let ws = Workspace::new(cli, &config(&cluster, &body("")));
    ws.init();
    ws.apply();
    let role_arn = ws.outputs()["role_arn"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(fixtures::access_entry(&cluster, &role_arn).is_some());
    let direct = body("  create_role = false\n").replace("  require_mfa = false\n", "");
    ws.write(&config(&cluster, &direct));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply();
    let role_name = role_arn.rsplit('/').next().unwrap_or_default().to_owned();
    assert!(!fixtures::role_exists(&role_name), "the role goes");
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), None);
    let entry = fixtures::access_entry(&cluster, &erin).expect("erin's own entry");
    assert_eq!(entries(&ws), vec![(erin.clone(), entry.3)]);
    // Drift on the entry shows and is repaired.
    fixtures::disassociate(&cluster, &erin, VIEW);
    assert!(ws.plan_has_changes(), "drift must show in plan");
    ws.apply();
    assert_eq!(
        fixtures::associated_policies(&cluster, &erin),
        vec![(VIEW.to_owned(), "cluster".to_owned(), vec![])]
    );
    ws.assert_no_changes("plan must be empty after drift repair");
    ws.destroy();
    assert_eq!(fixtures::access_entry(&cluster, &erin), None);
}

both_clis!(
    identity_center_developers_reach_their_namespace,
    admin_view_is_associated,
    bad_direct_configs_fail_at_plan,
    direct_entries_are_taken_only_when_ours,
    switching_create_role_replaces_the_access
);
