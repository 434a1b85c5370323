//! Acceptance tests of `eksrole_team_access` under both CLIs against the
//! testbed: the three seed scenarios (a developer team with read-only access
//! to two namespaces and an external ID, a GitHub Actions pipeline through
//! OIDC, platform admins with MFA), scope change in place, drift repair,
//! import, destroy, and the configurations that must fail at plan.

mod support;

use serde_json::json;
use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

const VIEW: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
const EDIT: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
const CLUSTER_ADMIN: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

fn cluster(tag: &str, cli: Cli, mode: &'static str) -> String {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode,
        oidc_registered: false,
        pod_identity_agent: false,
    });
    name
}

fn config(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_team_access\" \"team\" {{\n  cluster_name = \"{cluster}\"\n{body}}}\n\n\
         output \"role_arn\" {{ value = eksrole_team_access.team.role_arn }}\n\
         output \"role_name\" {{ value = eksrole_team_access.team.role_name }}\n\
         output \"trust_policy\" {{ value = eksrole_team_access.team.trust_policy }}\n\
         output \"kubeconfig\" {{ value = eksrole_team_access.team.kubeconfig_command }}\n"
    )
}

fn out(ws: &Workspace, name: &str) -> String {
    ws.outputs()[name]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn describe_cluster_policy(cluster: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "DescribeCluster", "Effect": "Allow", "Action": "eks:DescribeCluster",
        "Resource": format!("arn:aws:eks:us-east-1:000000000000:cluster/{cluster}")
    }]})
}

fn developers_read_namespaces_with_external_id(cli: Cli) {
    let cluster = cluster("devs", cli, "API");
    let developer = fixtures::create_role(&fixtures::unique(
        &format!("developer-{cli:?}").to_lowercase(),
    ));
    let body = |scope: &str| {
        format!(
            "  name             = \"developers\"\n  principal_arns   = [\"{developer}\"]\n  external_id      = \"dev-team-2026\"\n  access_level     = \"view\"\n{scope}"
        )
    };
    let ws = Workspace::new(
        cli,
        &config(
            &cluster,
            &body("  namespaces       = [\"dev\", \"staging\"]\n"),
        ),
    );
    ws.init();
    ws.apply();
    let role = out(&ws, "role_name");
    let role_arn = out(&ws, "role_arn");
    assert_eq!(role_arn, format!("arn:aws:iam::000000000000:role/{role}"));
    assert_eq!(
        fixtures::trust_policy(&role),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "TeamAccess", "Effect": "Allow",
            "Principal": {"AWS": [developer]},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "StringEquals": {"sts:ExternalId": "dev-team-2026"}}
        }]})
    );
    assert!(
        !out(&ws, "trust_policy").contains("dev-team-2026"),
        "the external ID must not appear in the trust_policy attribute"
    );
    assert_eq!(
        fixtures::inline_policy(&role, "eksrole-describe-cluster"),
        Some(describe_cluster_policy(&cluster))
    );
    let entry = fixtures::access_entry(&cluster, &role_arn).expect("access entry");
    assert_eq!((entry.0.as_str(), entry.1.len()), ("STANDARD", 0));
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(
            VIEW.to_owned(),
            "namespace".to_owned(),
            vec!["dev".to_owned(), "staging".to_owned()]
        )]
    );
    assert_eq!(
        out(&ws, "kubeconfig"),
        format!(
            "aws eks update-kubeconfig --name {cluster} --region us-east-1 --role-arn {role_arn}"
        )
    );
    ws.assert_no_changes("plan must be empty after apply");

    // Scope change namespace → cluster, in place.
    ws.write(&config(&cluster, &body("")));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change"),
        "scope change must be in place:\n{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(VIEW.to_owned(), "cluster".to_owned(), vec![])]
    );
    ws.assert_no_changes("plan must be empty after the scope change");

    // Drift: groups added and the policy disassociated out of band.
    fixtures::set_entry_groups(&cluster, &role_arn, &["rogue"]);
    fixtures::disassociate(&cluster, &role_arn, VIEW);
    assert!(ws.plan_has_changes(), "drift must show in plan");
    ws.apply();
    assert_eq!(
        fixtures::access_entry(&cluster, &role_arn).map(|e| e.1),
        Some(vec![])
    );
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(VIEW.to_owned(), "cluster".to_owned(), vec![])]
    );
    ws.assert_no_changes("plan must be empty after drift repair");

    ws.ok(&["state", "rm", "-no-color", "eksrole_team_access.team"]);
    // Lost state: the role and entry carry this intent's ownership tags, so
    // they are not "taken" (a tainted resource looks the same at plan); plan
    // warns that apply refuses them unless this is a taint, and says how to
    // import.
    let plan = ws.run(&["plan", "-input=false", "-no-color"]);
    let text = plan.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        plan.ok && text.contains("This access already exists"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "terraform import eksrole_team_access.<name> {cluster}/developers"
        )),
        "{text}"
    );
    ws.ok(&[
        "import",
        "-no-color",
        "-input=false",
        "eksrole_team_access.team",
        &format!("{cluster}/developers"),
    ]);
    ws.assert_import_clean();

    ws.destroy();
    assert!(
        !fixtures::role_exists(&role),
        "destroy must delete the role"
    );
    assert_eq!(
        fixtures::access_entry(&cluster, &role_arn),
        None,
        "destroy must delete the access entry"
    );
}

fn github_actions_pipeline(cli: Cli) {
    let cluster = cluster("ci", cli, "API_AND_CONFIG_MAP");
    let provider = fixtures::create_oidc_provider("https://token.actions.githubusercontent.com");
    let body = format!(
        "  name         = \"deployer\"\n  access_level = \"edit\"\n  namespaces   = [\"apps\"]\n  \
         ci_oidc {{\n    provider_arn = \"{provider}\"\n    subjects     = [\"repo:acme/app:ref:refs/heads/main\"]\n  }}\n"
    );
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    ws.apply();
    let role = out(&ws, "role_name");
    let role_arn = out(&ws, "role_arn");
    assert_eq!(
        fixtures::trust_policy(&role),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "TeamCiOidc", "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": ["repo:acme/app:ref:refs/heads/main"]
            }}
        }]})
    );
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(
            EDIT.to_owned(),
            "namespace".to_owned(),
            vec!["apps".to_owned()]
        )]
    );
    ws.assert_no_changes("plan must be empty after apply");
    ws.destroy();
    assert!(!fixtures::role_exists(&role));
    assert_eq!(fixtures::access_entry(&cluster, &role_arn), None);
}

fn platform_admins_with_mfa(cli: Cli) {
    let cluster = cluster("platform", cli, "API");
    let alice = fixtures::create_user(&fixtures::unique(&format!("alice-{cli:?}").to_lowercase()));
    let body = format!(
        "  name              = \"platform\"\n  principal_arns    = [\"{alice}\"]\n  access_level      = \"cluster_admin\"\n  kubernetes_groups = [\"platform-admins\"]\n  max_session_duration = 7200\n"
    );
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    ws.apply();
    let role = out(&ws, "role_name");
    let role_arn = out(&ws, "role_arn");
    assert_eq!(
        fixtures::trust_policy(&role),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "TeamAccess", "Effect": "Allow",
            "Principal": {"AWS": [alice]},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        }]})
    );
    assert_eq!(fixtures::max_session_duration(&role), 7200);
    assert_eq!(
        fixtures::access_entry(&cluster, &role_arn).map(|e| e.1),
        Some(vec!["platform-admins".to_owned()])
    );
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(CLUSTER_ADMIN.to_owned(), "cluster".to_owned(), vec![])]
    );
    ws.assert_no_changes("plan must be empty after apply");

    // The role deleted out of band: apply recreates it and, since EKS binds an
    // entry to the role's unique ID, recreates the entry too.
    let old_entry = fixtures::access_entry(&cluster, &role_arn).map(|e| e.3);
    fixtures::delete_role(&role);
    assert!(
        ws.plan_has_changes(),
        "a deleted role must be planned again"
    );
    let applied = ws.apply();
    assert!(applied.stdout.contains("1 added"), "{}", applied.stdout);
    assert!(fixtures::role_exists(&role));
    assert_eq!(
        fixtures::access_entry(&cluster, &role_arn).map(|e| e.1),
        Some(vec!["platform-admins".to_owned()])
    );
    assert_eq!(
        fixtures::associated_policies(&cluster, &role_arn),
        vec![(CLUSTER_ADMIN.to_owned(), "cluster".to_owned(), vec![])]
    );
    assert_ne!(
        fixtures::access_entry(&cluster, &role_arn).map(|e| e.3),
        old_entry,
        "the entry must be a new one"
    );
    ws.assert_no_changes("plan must be empty after the role is recreated");
    ws.destroy();
    assert!(!fixtures::role_exists(&role));
}

fn fails_at_plan(cli: Cli, cluster: &str, body: &str, summary: &str, source_line: &str) {
    support::assert_plan_fails(cli, &config(cluster, body), summary, source_line);
}

fn bad_configs_fail_at_plan(cli: Cli) {
    let legacy = cluster("legacy", cli, "CONFIG_MAP");
    let good = cluster("checks", cli, "API");
    let dev = fixtures::create_role(&fixtures::unique(
        &format!("checker-{cli:?}").to_lowercase(),
    ));
    fails_at_plan(
        cli,
        &legacy,
        &format!("  name = \"devs\"\n  principal_arns = [\"{dev}\"]\n  access_level = \"view\"\n"),
        "Cluster does not allow access entries",
        &format!("cluster_name = \"{legacy}\""),
    );
    let ghost = "arn:aws:iam::000000000000:role/no-such-role-anywhere";
    fails_at_plan(
        cli,
        &good,
        &format!(
            "  name = \"devs\"\n  principal_arns = [\"{ghost}\"]\n  access_level = \"view\"\n"
        ),
        "Principal not found",
        &format!("principal_arns = [\"{ghost}\"]"),
    );
    fails_at_plan(
        cli,
        &good,
        &format!("  name = \"devs\"\n  principal_arns = [\"{dev}\"]\n  access_level = \"view\"\n  namespaces = [\"Dev_NS\"]\n"),
        "amespace",
        "namespaces = [\"Dev_NS\"]",
    );
    // A subject admitting every organization of HCP Terraform's shared issuer.
    let tfc = "arn:aws:iam::000000000000:oidc-provider/app.terraform.io";
    fails_at_plan(
        cli,
        &good,
        &format!(
            "  name = \"devs\"\n  access_level = \"view\"\n  ci_oidc {{\n    provider_arn = \"{tfc}\"\n    audience     = \"aws.workload.identity\"\n    allow_subject_wildcards = true\n    subjects     = [\"organization:*\"]\n  }}\n"
        ),
        "Subject admits other tenants",
        "subjects     = [\"organization:*\"]",
    );
    // A comma: IAM names allow it, IAM tag values (the name is a tag) do not.
    fails_at_plan(
        cli,
        &good,
        &format!(
            "  name = \"dev,ops\"\n  principal_arns = [\"{dev}\"]\n  access_level = \"view\"\n"
        ),
        "Invalid name",
        "name = \"dev,ops\"",
    );
    assert!(
        !fixtures::role_exists(&format!("eks-team-{good}-devs")),
        "nothing may be created"
    );
    assert!(
        !fixtures::role_exists(&format!("eks-team-{good}-dev,ops")),
        "nothing may be created"
    );
}

both_clis!(
    developers_read_namespaces_with_external_id,
    github_actions_pipeline,
    platform_admins_with_mfa,
    bad_configs_fail_at_plan
);
