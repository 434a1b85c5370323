//! Acceptance tests of `eksrole_workload_identity` under both CLIs against the
//! testbed: Pod Identity and IRSA lifecycles (create, empty plan, in-place
//! update, drift repair, import, forced replacement, destroy), the two-role
//! pattern, and the configurations that must fail at plan creating nothing.

mod support;

use serde_json::json;
use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

const S3_READ: &str = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const EC2_READ: &str = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess";

fn cluster(tag: &str, cli: Cli, oidc: bool, agent: bool) -> (String, String) {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    let issuer = fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: oidc,
        pod_identity_agent: agent,
    });
    (name, issuer)
}

fn config(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name = \"{cluster}\"\n{body}}}\n\n\
         output \"role_name\" {{ value = eksrole_workload_identity.app.role_name }}\n\
         output \"role_arn\" {{ value = eksrole_workload_identity.app.role_arn }}\n\
         output \"annotations\" {{ value = eksrole_workload_identity.app.service_account_annotations }}\n"
    )
}

fn output(ws: &Workspace, name: &str) -> serde_json::Value {
    ws.outputs()[name]["value"].clone()
}

fn pod_identity_lifecycle(cli: Cli) {
    let (cluster, _) = cluster("pi", cli, false, true);
    let body = format!("  namespace       = \"payments\"\n  service_account = \"api\"\n  policy_arns     = [\"{S3_READ}\"]\n");
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    ws.apply();
    let role = output(&ws, "role_name")
        .as_str()
        .expect("role name")
        .to_owned();
    let role_arn = output(&ws, "role_arn")
        .as_str()
        .expect("role arn")
        .to_owned();
    assert_eq!(role_arn, format!("arn:aws:iam::000000000000:role/{role}"));
    assert_eq!(
        fixtures::trust_policy(&role),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "EksPodIdentity",
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {
                "aws:SourceAccount": "000000000000",
                "aws:RequestTag/eks-cluster-arn": format!("arn:aws:eks:us-east-1:000000000000:cluster/{cluster}"),
                "aws:RequestTag/kubernetes-namespace": "payments",
                "aws:RequestTag/kubernetes-service-account": "api"
            }}
        }]})
    );
    assert_eq!(fixtures::attached_policies(&role), vec![S3_READ.to_owned()]);
    assert_eq!(
        fixtures::associations(&cluster),
        vec![("payments".into(), "api".into(), role_arn.clone(), None)]
    );
    assert_eq!(output(&ws, "annotations"), json!({}));
    ws.assert_no_changes("plan must be empty after apply");

    // In-place update: a second policy and a longer session.
    let body2 = format!(
        "  namespace       = \"payments\"\n  service_account = \"api\"\n  policy_arns     = [\"{S3_READ}\", \"{EC2_READ}\"]\n  max_session_duration = 7200\n"
    );
    ws.write(&config(&cluster, &body2));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change"),
        "update must be in place:\n{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(
        fixtures::attached_policies(&role),
        vec![EC2_READ.to_owned(), S3_READ.to_owned()]
    );
    assert_eq!(fixtures::max_session_duration(&role), 7200);
    ws.assert_no_changes("plan must be empty");

    // Drift: an over-broad trust policy and a detached policy, repaired by apply.
    fixtures::put_trust_policy(
        &role,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#,
    );
    fixtures::detach_policy(&role, EC2_READ);
    assert!(ws.plan_has_changes(), "drift must show in plan");
    ws.apply();
    assert_eq!(
        fixtures::attached_policies(&role),
        vec![EC2_READ.to_owned(), S3_READ.to_owned()]
    );
    assert_eq!(
        fixtures::trust_policy(&role)["Statement"][0]["Condition"]["StringEquals"]
            ["kubernetes-namespace"],
        serde_json::Value::Null
    );
    assert_eq!(
        fixtures::trust_policy(&role)["Statement"][0]["Condition"]["StringEquals"]
            ["aws:RequestTag/kubernetes-namespace"],
        "payments"
    );
    ws.assert_no_changes("plan must be empty");

    // Import: forget the resource, adopt it again by ID, and see no diff.
    ws.ok(&["state", "rm", "-no-color", "eksrole_workload_identity.app"]);
    ws.ok(&[
        "import",
        "-no-color",
        "-input=false",
        "eksrole_workload_identity.app",
        &format!("{cluster}/payments/api"),
    ]);
    ws.assert_import_clean();

    // Forced replacement: another namespace.
    let body3 = body2.replace("payments", "billing");
    ws.write(&config(&cluster, &body3));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("forces replacement"),
        "namespace change must replace:\n{}",
        plan.stdout
    );
    ws.apply();
    let new_role = output(&ws, "role_name").as_str().expect("role").to_owned();
    let new_arn = output(&ws, "role_arn").as_str().expect("arn").to_owned();
    assert!(
        !fixtures::role_exists(&role) || role == new_role,
        "the old role must be gone"
    );
    assert_eq!(
        fixtures::associations(&cluster),
        vec![("billing".into(), "api".into(), new_arn, None)]
    );

    ws.destroy();
    assert!(
        !fixtures::role_exists(&new_role),
        "destroy must delete the role"
    );
    assert!(
        fixtures::associations(&cluster).is_empty(),
        "destroy must delete the association"
    );
}

fn irsa_body(namespace: &str, extra: &str) -> String {
    format!(
        "  namespace       = \"{namespace}\"\n  service_account = \"writer\"\n  mechanism       = \"irsa\"\n  \
         inline_policies = {{\n    s3 = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = \"s3:PutObject\", Resource = \"arn:aws:s3:::uploads/*\" }}] }})\n  }}\n{extra}"
    )
}

fn irsa_lifecycle(cli: Cli) {
    let (cluster, issuer) = cluster("irsa", cli, true, false);
    let host = issuer.trim_start_matches("https://").to_owned();
    let role = format!("{cluster}-writer");
    let named = format!("  role_name       = \"{role}\"\n");
    let ws = Workspace::new(cli, &config(&cluster, &irsa_body("uploads", &named)));
    ws.init();
    ws.apply();
    let role_arn = format!("arn:aws:iam::000000000000:role/{role}");
    assert_eq!(output(&ws, "role_arn"), json!(role_arn));
    assert_eq!(
        output(&ws, "annotations"),
        json!({"eks.amazonaws.com/role-arn": role_arn})
    );
    assert_eq!(
        fixtures::trust_policy(&role),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "EksIrsa",
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::000000000000:oidc-provider/{host}")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                format!("{host}:aud"): "sts.amazonaws.com",
                format!("{host}:sub"): "system:serviceaccount:uploads:writer"
            }}
        }]})
    );
    assert_eq!(
        fixtures::inline_policy(&role, "s3"),
        Some(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::uploads/*"}]})
        )
    );
    assert!(
        fixtures::associations(&cluster).is_empty(),
        "IRSA creates no association"
    );
    ws.assert_no_changes("plan must be empty after apply");

    // In-place update: a managed policy and a longer session.
    let updated =
        format!("{named}  policy_arns     = [\"{S3_READ}\"]\n  max_session_duration = 14400\n");
    ws.write(&config(&cluster, &irsa_body("uploads", &updated)));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change"),
        "update must be in place:\n{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(fixtures::attached_policies(&role), vec![S3_READ.to_owned()]);
    assert_eq!(fixtures::max_session_duration(&role), 14400);
    ws.assert_no_changes("plan must be empty after update");

    // Drift: the sub condition removed and the policy detached out of band.
    fixtures::put_trust_policy(
        &role,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::000000000000:oidc-provider/{host}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}]}}"#
        ),
    );
    fixtures::detach_policy(&role, S3_READ);
    assert!(ws.plan_has_changes(), "drift must show in plan");
    ws.apply();
    assert_eq!(
        fixtures::trust_policy(&role)["Statement"][0]["Condition"]["StringEquals"]
            [format!("{host}:sub")],
        "system:serviceaccount:uploads:writer"
    );
    assert_eq!(fixtures::attached_policies(&role), vec![S3_READ.to_owned()]);
    ws.assert_no_changes("plan must be empty after drift repair");

    ws.ok(&["state", "rm", "-no-color", "eksrole_workload_identity.app"]);
    // IRSA has no association to find the role by: import names the role too.
    ws.ok(&[
        "import",
        "-no-color",
        "-input=false",
        "eksrole_workload_identity.app",
        &format!("{cluster}/uploads/writer/{role}"),
    ]);
    ws.assert_import_clean();

    // Forced replacement: another namespace (default role name this time).
    let moved = format!("  policy_arns     = [\"{S3_READ}\"]\n  max_session_duration = 14400\n");
    ws.write(&config(&cluster, &irsa_body("ingest", &moved)));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("forces replacement"),
        "namespace change must replace:\n{}",
        plan.stdout
    );
    ws.apply();
    assert!(!fixtures::role_exists(&role), "the old role must be gone");
    let new_role = output(&ws, "role_name").as_str().expect("role").to_owned();
    assert_eq!(
        fixtures::trust_policy(&new_role)["Statement"][0]["Condition"]["StringEquals"]
            [format!("{host}:sub")],
        "system:serviceaccount:ingest:writer"
    );
    ws.assert_no_changes("plan must be empty after replacement");

    ws.destroy();
    assert!(
        !fixtures::role_exists(&new_role),
        "destroy must delete the role"
    );
}

fn two_role_pattern(cli: Cli) {
    let (cluster, _) = cluster("tworole", cli, true, true);
    let target =
        fixtures::create_role(&fixtures::unique(&format!("target-{cli:?}").to_lowercase()));
    let body = format!(
        "  for_each        = toset([\"pod_identity\", \"irsa\"])\n  mechanism       = each.key\n  namespace       = \"jobs\"\n  service_account = replace(each.key, \"_\", \"-\")\n  target_role_arn = \"{target}\"\n"
    );
    let cfg = format!(
        "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name = \"{cluster}\"\n{body}}}\n\n\
         output \"roles\" {{ value = {{ for k, v in eksrole_workload_identity.app : k => v.role_name }} }}\n"
    );
    let ws = Workspace::new(cli, &cfg);
    ws.init();
    ws.apply();
    let roles = ws.outputs()["roles"]["value"].clone();
    let pod_role = roles["pod_identity"].as_str().expect("pod identity role");
    let assocs = fixtures::associations(&cluster);
    assert_eq!(assocs.len(), 1, "{assocs:?}");
    assert_eq!(
        assocs[0].3.as_deref(),
        Some(target.as_str()),
        "Pod Identity chains to the target natively"
    );
    assert!(pod_role.len() <= 64);
    let irsa_role = roles["irsa"].as_str().expect("IRSA role");
    assert_eq!(
        fixtures::inline_policy(irsa_role, "eksrole-assume-target").map(|p| (
            p["Statement"][0]["Action"].clone(),
            p["Statement"][0]["Resource"].clone()
        )),
        Some((json!("sts:AssumeRole"), json!(target))),
        "IRSA: the pod role may assume exactly the target"
    );
    let pod_target_policy = fixtures::inline_policy(pod_role, "eksrole-assume-target")
        .expect("pod role may assume the target");
    assert_eq!(pod_target_policy["Statement"][0]["Resource"], json!(target));
    ws.assert_no_changes("plan must be empty after apply");
    ws.destroy();
    assert!(fixtures::associations(&cluster).is_empty());
}

/// A config that must fail at plan, naming `attribute`, with nothing created.
fn fails_at_plan(cli: Cli, cluster: &str, body: &str, summary: &str, source_line: &str) {
    support::assert_plan_fails(cli, &config(cluster, body), summary, source_line);
}

fn bad_configs_fail_at_plan(cli: Cli) {
    let (with_oidc, _) = cluster("bad", cli, false, true);
    let missing = fixtures::unique("no-such-cluster");
    fails_at_plan(
        cli,
        &missing,
        "  namespace = \"a\"\n  service_account = \"b\"\n",
        "EKS cluster not found",
        &format!("cluster_name = \"{missing}\""),
    );
    assert!(!fixtures::role_exists(&format!("eks-{missing}-a-b")));
    fails_at_plan(
        cli,
        &with_oidc,
        "  namespace = \"a\"\n  service_account = \"b\"\n  mechanism = \"irsa\"\n",
        "OIDC issuer is not registered",
        "mechanism = \"irsa\"",
    );
    fails_at_plan(
        cli,
        &with_oidc,
        "  namespace = \"Dev_NS\"\n  service_account = \"b\"\n",
        "namespace",
        "namespace = \"Dev_NS\"",
    );
    fails_at_plan(
        cli,
        &with_oidc,
        "  namespace = \"a\"\n  service_account = \"b\"\n  max_session_duration = 50000\n",
        "session",
        "max_session_duration = 50000",
    );
}

/// With live checks off, plan makes no look-up: a missing cluster is not
/// caught, the plan says so in a warning, and the role ARN waits for apply.
fn live_checks_off_plans_offline_with_a_warning(cli: Cli) {
    let missing = fixtures::unique("offline-cluster");
    let config = format!(
        "{}\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name = \"{missing}\"\n  namespace = \"a\"\n  service_account = \"b\"\n}}\n",
        support::provider_block("  plan_time_checks = false\n")
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    let text = plan.text();
    assert!(text.contains("Live plan-time checks are off"), "{text}");
    assert!(
        plan.flat_text()
            .contains("At apply, the static checks run again"),
        "the warning says what apply still checks: {text}"
    );
    assert_eq!(
        text.matches("Live plan-time checks are off").count(),
        1,
        "once per resource: {text}"
    );
    assert!(
        text.contains("role_arn") && text.contains("(known after apply)"),
        "{text}"
    );
    assert!(
        !text.contains("EKS cluster not found"),
        "no look-up may run: {text}"
    );
}

/// An input known only at apply (here computed from another resource):
/// plan can check nothing for that resource and says so once, on the
/// attribute, with what apply still checks; the other resource is checked.
fn unknown_input_defers_the_checks_with_a_warning(cli: Cli) {
    let (cluster, _) = cluster("deferred", cli, false, true);
    let body = "  namespace = \"a\"\n  service_account = \"b\"\n";
    let config = format!(
        "{}\nresource \"eksrole_workload_identity\" \"later\" {{\n  cluster_name = \"{cluster}\"\n  \
         namespace = \"b-${{length(eksrole_workload_identity.app.role_id)}}\"\n  service_account = \"c\"\n}}\n",
        config(&cluster, body)
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    let text = plan.flat_text();
    assert_eq!(
        text.matches("Plan-time checks deferred to apply").count(),
        1,
        "one warning, for the resource with the unknown input: {text}"
    );
    assert!(
        text.contains("`namespace` is known only at apply"),
        "{text}"
    );
    assert!(
        text.contains("namespace = \"b-${length("),
        "on `namespace`: {text}"
    );
    assert!(
        text.contains("At apply, the static checks run again"),
        "{text}"
    );
}

both_clis!(
    unknown_input_defers_the_checks_with_a_warning,
    pod_identity_lifecycle,
    irsa_lifecycle,
    two_role_pattern,
    bad_configs_fail_at_plan,
    live_checks_off_plans_offline_with_a_warning
);
