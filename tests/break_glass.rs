//! Acceptance tests of `eksrole_break_glass` under both CLIs against the
//! testbed: create with a window, plan empty, window moved in place, drift
//! repaired, import, destroy; an AssumeRole through LocalStack's STS inside
//! the window; and the configurations that must fail at plan.

mod support;

use serde_json::json;
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
        "PROVIDER\nresource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name = \"{cluster}\"\n  name         = \"oncall\"\n{body}}}\n\n\
         output \"role_arn\" {{ value = eksrole_break_glass.glass.role_arn }}\n\
         output \"role_name\" {{ value = eksrole_break_glass.glass.role_name }}\n\
         output \"command\" {{ value = eksrole_break_glass.glass.assume_role_command }}\n\
         output \"pattern\" {{ value = eksrole_break_glass.glass.alert_event_pattern }}\n"
    )
}

fn out(ws: &Workspace, name: &str) -> String {
    ws.outputs()[name]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn window(not_after: &str) -> String {
    format!("  not_before     = \"2026-01-01T00:00:00Z\"\n  not_after      = \"{not_after}\"\n")
}

fn break_glass_lifecycle(cli: Cli) {
    let cluster = cluster("glass", cli);
    let user = fixtures::unique(&format!("oncall-{cli:?}").to_lowercase());
    let alice = fixtures::create_user(&user);
    let principals = format!("  principal_arns = [\"{alice}\"]\n");
    let ws = Workspace::new(
        cli,
        &config(
            &cluster,
            &format!("{principals}{}", window("2099-01-01T00:00:00Z")),
        ),
    );
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    for warning in [
        "Warning: Cluster admin on the whole cluster",
        "Warning: Long window",
    ] {
        assert!(
            plan.text().contains(warning),
            "reviews must see {warning:?}:\n{}",
            plan.text()
        );
    }
    ws.apply();
    let role = out(&ws, "role_name");
    let role_arn = out(&ws, "role_arn");
    let trust = |not_after: &str| {
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "BreakGlassUsers", "Effect": "Allow",
            "Principal": {"AWS": [alice]},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            "Condition": {
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
                "DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
                "DateLessThan": {"aws:CurrentTime": not_after},
                "NumericLessThan": {"aws:MultiFactorAuthAge": "900"},
                "StringLike": {"sts:SourceIdentity": "${aws:username}"}
            }
        }]})
    };
    assert_eq!(fixtures::trust_policy(&role), trust("2099-01-01T00:00:00Z"));
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(CLUSTER_ADMIN.to_owned(), "cluster".to_owned(), vec![])]
    );
    assert!(
        out(&ws, "command").contains("--serial-number") && out(&ws, "command").contains(&role_arn)
    );
    let pattern: serde_json::Value =
        serde_json::from_str(&out(&ws, "pattern")).expect("pattern JSON");
    assert_eq!(
        pattern["detail"]["requestParameters"]["roleArn"],
        json!([role_arn])
    );
    assert_eq!(pattern["detail"]["eventName"], json!(["AssumeRole"]));
    ws.assert_no_changes("plan must be empty after apply");

    // Inside the window, a listed principal can assume the role with MFA and a source identity.
    let keys = fixtures::create_access_key(&user);
    let assumed = fixtures::assume_role_as(
        &keys,
        &role_arn,
        &format!("arn:aws:iam::000000000000:mfa/{user}"),
        // An IAM user's source identity is its own user name.
        &user,
    );
    assert!(
        assumed.as_deref().is_ok_and(|arn| arn.contains(&role)),
        "AssumeRole inside the window: {assumed:?}"
    );

    // Moving the window is an in-place trust update.
    ws.write(&config(
        &cluster,
        &format!("{principals}{}", window("2098-06-30T12:00:00Z")),
    ));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change"),
        "window change must be in place:\n{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(fixtures::trust_policy(&role), trust("2098-06-30T12:00:00Z"));
    ws.assert_no_changes("plan must be empty after the window change");

    // Drift: someone drops the MFA condition.
    fixtures::put_trust_policy(
        &role,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{alice}"}},"Action":"sts:AssumeRole"}}]}}"#
        ),
    );
    assert!(ws.plan_has_changes(), "trust drift must show in plan");
    ws.apply();
    assert_eq!(fixtures::trust_policy(&role), trust("2098-06-30T12:00:00Z"));

    ws.ok(&["state", "rm", "-no-color", "eksrole_break_glass.glass"]);
    ws.ok(&[
        "import",
        "-no-color",
        "-input=false",
        "eksrole_break_glass.glass",
        &format!("{cluster}/oncall"),
    ]);
    ws.assert_import_clean();

    ws.destroy();
    assert!(!fixtures::role_exists(&role));
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), None);
}

fn fails_at_plan(cli: Cli, cluster: &str, body: &str, summary: &str, source_line: &str) {
    support::assert_plan_fails(cli, &config(cluster, body), summary, source_line);
}

fn bad_configs_fail_at_plan(cli: Cli) {
    let cluster = cluster("glass-bad", cli);
    let bob = fixtures::create_user(&fixtures::unique(&format!("bob-{cli:?}").to_lowercase()));
    fails_at_plan(
        cli,
        &cluster,
        &format!("  principal_arns = [\"{bob}\"]\n  not_before = \"2019-01-01T00:00:00Z\"\n  not_after = \"2020-01-01T00:00:00Z\"\n"),
        "ended",
        "not_after = \"2020-01-01T00:00:00Z\"",
    );
    fails_at_plan(
        cli,
        &cluster,
        "  principal_arns = [\"arn:aws:iam::000000000000:root\"]\n",
        "root",
        "principal_arns = [\"arn:aws:iam::000000000000:root\"]",
    );
    let ghost = "arn:aws:iam::000000000000:user/nobody-here";
    fails_at_plan(
        cli,
        &cluster,
        &format!("  principal_arns = [\"{ghost}\"]\n"),
        "Principal not found",
        &format!("principal_arns = [\"{ghost}\"]"),
    );
    assert!(
        !fixtures::role_exists(&format!("eks-breakglass-{cluster}-oncall")),
        "nothing may be created"
    );

    // A principal in another account without principal_org_id: the plan
    // goes on, with a warning on principal_arns.
    let partner = "arn:aws:iam::210987654321:role/partner-oncall";
    let ws = Workspace::new(
        cli,
        &config(
            &cluster,
            &format!(
                "  principal_arns = [\"{bob}\", \"{partner}\"]\n{}",
                window("2099-01-01T00:00:00Z")
            ),
        ),
    );
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.text()
            .contains("Warning: Principals in other accounts without an organization check"),
        "{}",
        plan.text()
    );
}

both_clis!(break_glass_lifecycle, bad_configs_fail_at_plan);
