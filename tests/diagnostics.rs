//! Acceptance tests of what a plan tells the operator, under both CLIs
//! against the testbed: a cluster-name typo gets the right name suggested;
//! a static and a live problem are reported by the same plan; each warning
//! appears once in a plan of one resource; the import command a plan prints
//! for a custom role name is exact, and works; a long rejected value is
//! quoted as a prefix, and a too large trust policy sits on `principal_arns`.

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

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

fn team_access(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_team_access\" \"team\" {{\n  cluster_name = \"{cluster}\"\n  name         = \"devs\"\n{body}}}\n"
    )
}

/// What the CLI printed, with the diagnostics' frame (`│`) and line wrapping
/// undone, so a wrapped sentence or command reads as one line.
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn plan(ws: &Workspace) -> support::Run {
    ws.run(&["plan", "-input=false", "-no-color"])
}

fn cluster_name_typo_suggests_the_cluster(cli: Cli) {
    let cluster = cluster("typo", cli);
    let typo = cluster.replacen("typo", "tpyo", 1);
    let user = fixtures::create_user(&fixtures::unique(&format!("typo-{cli:?}").to_lowercase()));
    let ws = Workspace::new(
        cli,
        &team_access(&typo, &format!("  principal_arns = [\"{user}\"]\n")),
    );
    ws.init();
    let run = plan(&ws);
    let text = flat(&run.text());
    assert!(!run.ok, "plan must fail:\n{text}");
    assert!(text.contains("EKS cluster not found"), "{text}");
    assert!(
        text.contains(&format!("Did you mean `{cluster}`?")),
        "the typo must get the cluster's name:\n{}",
        run.text()
    );
    assert!(text.contains("cluster_name = "), "on cluster_name:\n{text}");
}

fn static_and_live_problems_in_one_plan(cli: Cli) {
    let cluster = cluster("both", cli);
    let name = fixtures::unique(&format!("alice-{cli:?}").to_lowercase());
    let alice = fixtures::create_user_at(&name, "/oncall/");
    let wrong_path = alice.replace("/oncall/", "/");
    // Static: the session duration is out of range. Live: the principal
    // exists only under another path.
    let ws = Workspace::new(
        cli,
        &team_access(
            &cluster,
            &format!("  principal_arns = [\"{wrong_path}\"]\n  max_session_duration = 60\n"),
        ),
    );
    ws.init();
    let run = plan(&ws);
    let text = flat(&run.text());
    assert!(!run.ok, "plan must fail:\n{text}");
    assert!(
        text.contains("max_session_duration"),
        "the static problem:\n{}",
        run.text()
    );
    assert!(
        text.contains("Principal not found") && text.contains(&format!("Did you mean `{alice}`?")),
        "the live problem, in the same plan, with the ARN that exists:\n{}",
        run.text()
    );
}

/// Every `Warning: <summary>` line of a CLI run, with how often it appears.
fn warnings(text: &str) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for line in text.lines() {
        let line = line.trim_start_matches(['│', '╷', ' ']);
        if let Some(summary) = line.strip_prefix("Warning: ") {
            *counts.entry(summary.trim().to_owned()).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

fn assert_each_warning_once(run: &support::Run, expected: &[&str], what: &str) {
    let found = warnings(&run.text());
    for summary in expected {
        assert!(
            found.iter().any(|(s, _)| s == summary),
            "{what}: expected the warning {summary:?}:\n{}",
            run.text()
        );
    }
    for (summary, n) in &found {
        assert_eq!(
            *n,
            1,
            "{what}: {summary:?} shown {n} times:\n{}",
            run.text()
        );
    }
}

fn every_warning_once_in_a_plan_of_one_resource(cli: Cli) {
    let cluster = cluster("once", cli);
    let user = fixtures::create_user(&fixtures::unique(&format!("once-{cli:?}").to_lowercase()));
    let ws = Workspace::new(
        cli,
        &format!(
            "PROVIDER\nresource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"oncall\"\n  \
             principal_arns = [\"{user}\"]\n  not_before     = \"2026-01-01T00:00:00Z\"\n  not_after      = \"2099-01-01T00:00:00Z\"\n}}\n"
        ),
    );
    ws.init();
    let expected = ["Cluster admin on the whole cluster", "Long window"];
    let run = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert_each_warning_once(&run, &expected, "plan of a create");
    let run = ws.apply();
    assert_each_warning_once(&run, &expected, "apply");
    let run = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert_each_warning_once(&run, &expected, "no-op plan");
    ws.destroy();
}

fn import_command_for_a_custom_role_name_works(cli: Cli) {
    let cluster = cluster("import", cli);
    let user = fixtures::create_user(&fixtures::unique(&format!("import-{cli:?}").to_lowercase()));
    let role = fixtures::unique(&format!("custom-{cli:?}").to_lowercase());
    let ws = Workspace::new(
        cli,
        &team_access(
            &cluster,
            &format!("  principal_arns = [\"{user}\"]\n  access_level   = \"view\"\n  role_name      = \"{role}\"\n"),
        ),
    );
    ws.init();
    ws.apply();
    ws.ok(&["state", "rm", "-no-color", "eksrole_team_access.team"]);
    // The access exists, with no state: the plan says how to import it.
    let run = ws.ok(&["plan", "-input=false", "-no-color"]);
    let text = flat(&run.text());
    let prefix = "terraform import eksrole_team_access.<name> ";
    let id = text
        .split(prefix)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|id| id.trim_end_matches(['.', ',']).to_owned())
        .unwrap_or_else(|| panic!("no import command in the plan:\n{}", run.text()));
    assert_eq!(id, format!("{cluster}/devs/{role}"), "{text}");
    ws.ok(&[
        "import",
        "-input=false",
        "-no-color",
        "eksrole_team_access.team",
        &id,
    ]);
    ws.assert_import_clean();
    ws.destroy();
}

fn diagnostics_fit_on_a_screen_and_sit_on_their_attribute(cli: Cli) {
    let cluster = cluster("fit", cli);
    let long = "r".repeat(10_000);
    let ws = Workspace::new(
        cli,
        &team_access(
            &cluster,
            &format!(
                "  principal_arns = [\"arn:aws:iam::000000000000:user/Alice\", \"arn:aws:iam::000000000000:user/alice\"]\n  \
                 access_level   = \"view\"\n  role_name      = \"{long}\"\n"
            ),
        ),
    );
    ws.init();
    let run = plan(&ws);
    let text = run.text();
    assert!(!run.ok, "plan must fail:\n{text}");
    // The CLI quotes the configuration's line itself; the detail must not.
    let details: String = text
        .lines()
        .filter(|l| !l.contains("role_name      ="))
        .collect();
    assert!(
        !details.contains(&"r".repeat(200)) && flat(&text).contains("(10000 characters)"),
        "a long value is quoted as a prefix and its length:\n{}",
        &text[..text.len().min(4000)]
    );
    assert!(text.contains("Principals differ only in case"), "{text}");

    // Too many principals for the quota: on principal_arns.
    let many: Vec<String> = (0..60)
        .map(|i| format!("\"arn:aws:iam::111111111111:role/engineer-{i:03}\""))
        .collect();
    ws.write(&team_access(
        &cluster,
        &format!(
            "  principal_arns = [{}]\n  access_level   = \"view\"\n",
            many.join(", ")
        ),
    ));
    let run = plan(&ws);
    let text = run.text();
    assert!(!run.ok, "plan must fail:\n{text}");
    let error = text
        .split("Error: Trust policy too large")
        .nth(1)
        .unwrap_or_else(|| panic!("no size error:\n{text}"));
    assert!(
        error
            .lines()
            .take(6)
            .any(|l| l.contains("principal_arns = [")),
        "on principal_arns:\n{error}"
    );
}

both_clis!(
    diagnostics_fit_on_a_screen_and_sit_on_their_attribute,
    cluster_name_typo_suggests_the_cluster,
    static_and_live_problems_in_one_plan,
    every_warning_once_in_a_plan_of_one_resource,
    import_command_for_a_custom_role_name_works,
);
