//! Null elements in a configuration's sets and maps, under both CLIs against
//! the testbed: a null would be dropped from state and planned again on every
//! run, so each is an error on its attribute at plan, and an `apply` of such a
//! configuration creates nothing (no state, no role, no association).

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

const S3_READ: &str = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

/// One resource block with a null element, and what the error must say.
struct Case {
    tag: &'static str,
    resource: String,
    summary: &'static str,
    source_line: String,
}

fn cluster(cli: Cli) -> String {
    let name = fixtures::unique(&format!("nulls-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    name
}

fn workload(cluster: &str, role: &str, line: &str) -> String {
    format!(
        "resource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  \
         namespace       = \"payments\"\n  service_account = \"api\"\n  role_name       = \"{role}\"\n  {line}\n}}\n"
    )
}

fn cases(cli: Cli, cluster: &str) -> Vec<(Case, String)> {
    let role = |tag: &str| fixtures::unique(&format!("nulls-{tag}-{cli:?}").to_lowercase());
    let dev = fixtures::create_role(&role("dev"));
    let ci = fixtures::create_oidc_provider("https://token.actions.githubusercontent.com");
    let mut out = Vec::new();
    let mut add = |tag: &'static str, summary: &'static str, line: String, resource: String| {
        let name = role(tag);
        let resource = resource.replace("ROLE", &name);
        out.push((
            Case {
                tag,
                resource,
                summary,
                source_line: line,
            },
            name,
        ));
    };
    for (tag, summary, line) in [
        (
            "policies",
            "Null element in `policy_arns`",
            format!("policy_arns = [\"{S3_READ}\", null]"),
        ),
        (
            "tags",
            "Null element in `tags`",
            "tags = { a = null }".to_owned(),
        ),
        (
            "inline",
            "Null element in `inline_policies`",
            "inline_policies = { p = null }".to_owned(),
        ),
    ] {
        add(tag, summary, line.clone(), workload(cluster, "ROLE", &line));
    }
    let line = format!("principal_arns = [\"{dev}\", null]");
    add(
        "team",
        "Null element in `principal_arns`",
        line.clone(),
        format!(
            "resource \"eksrole_team_access\" \"team\" {{\n  cluster_name = \"{cluster}\"\n  name         = \"devs\"\n  \
             role_name    = \"ROLE\"\n  access_level = \"view\"\n  {line}\n}}\n"
        ),
    );
    let line = "subjects     = [\"repo:acme/app:ref:refs/heads/main\", null]".to_owned();
    add(
        "ci",
        "Null element in `ci_oidc.subjects`",
        line.clone(),
        format!(
            "resource \"eksrole_team_access\" \"ci\" {{\n  cluster_name = \"{cluster}\"\n  name         = \"deployer\"\n  \
             role_name    = \"ROLE\"\n  access_level = \"view\"\n  ci_oidc {{\n    provider_arn = \"{ci}\"\n    {line}\n  }}\n}}\n"
        ),
    );
    let line = format!("principal_arns = [\"{dev}\", null]");
    add(
        "glass",
        "Null element in `principal_arns`",
        line.clone(),
        format!(
            "resource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name = \"{cluster}\"\n  name         = \"oncall\"\n  \
             role_name    = \"ROLE\"\n  not_before   = \"2026-01-01T00:00:00Z\"\n  not_after    = \"2099-01-01T00:00:00Z\"\n  \
             {line}\n}}\n"
        ),
    );
    out
}

fn null_elements_are_refused_and_create_nothing(cli: Cli) {
    let cluster = cluster(cli);
    for (case, role) in cases(cli, &cluster) {
        let ws = Workspace::new(cli, &format!("PROVIDER\n{}", case.resource));
        ws.init();
        let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let text = run.text();
        assert!(!run.ok, "{}: apply must fail:\n{text}", case.tag);
        assert!(
            text.contains(case.summary),
            "{}: expected {:?}:\n{text}",
            case.tag,
            case.summary
        );
        assert!(
            text.contains(&case.source_line),
            "{}: expected the diagnostic on {:?}:\n{text}",
            case.tag,
            case.source_line
        );
        let state = ws.run(&["state", "list", "-no-color"]);
        assert!(
            !state.ok || state.stdout.trim().is_empty(),
            "{}: nothing may be in state:\n{}",
            case.tag,
            state.stdout
        );
        assert!(
            !fixtures::role_exists(&role),
            "{}: no role may be created",
            case.tag
        );
    }
    assert!(
        fixtures::associations(&cluster).is_empty(),
        "no Pod Identity association may be created"
    );
}

both_clis!(null_elements_are_refused_and_create_nothing);
