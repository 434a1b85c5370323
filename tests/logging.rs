//! The provider's logs under both CLIs, as a user reads them through
//! `TF_LOG` and `TF_LOG_PATH`: at `trace`, no secret (a team access's
//! external ID, the provider block's secret key) anywhere in the log, though
//! the AWS SDK logs whole requests and responses there; at `debug`, one line
//! per AWS call naming the operation, and no HTTP/2 frames.

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{provider_block, Cli, Workspace};

const EXTERNAL_ID: &str = "ext-Id-7Q2v9-logtest";
const SECRET_KEY: &str = "Sk-logtest-9f3Kq2Lr-wJalrXUtnFEMI";
const S3_READ: &str = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

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

/// Runs `args` with `TF_LOG=level` and `TF_LOG_PATH=log`, asserting success.
fn logged(ws: &Workspace, level: &str, log: &std::path::Path, args: &[&str]) {
    let path = log.to_string_lossy().into_owned();
    let run = ws.run_with_env(args, &[("TF_LOG", level), ("TF_LOG_PATH", &path)]);
    assert!(run.ok, "{:?} {args:?} failed:\n{}", ws.cli, run.text());
}

fn apply_args() -> [&'static str; 4] {
    ["apply", "-auto-approve", "-input=false", "-no-color"]
}

fn trace_log_holds_no_external_id_and_no_secret_key(cli: Cli) {
    let cluster = cluster("logs-trace", cli, false);
    let developer = fixtures::create_role(&fixtures::unique(
        &format!("log-dev-{cli:?}").to_lowercase(),
    ));
    let provider = provider_block("").replace(
        "secret_key = \"test\"",
        &format!("secret_key = \"{SECRET_KEY}\""),
    );
    assert!(provider.contains(SECRET_KEY), "{provider}");
    let config = format!(
        "{provider}\nresource \"eksrole_team_access\" \"team\" {{\n  cluster_name   = \"{cluster}\"\n  \
         name           = \"log-devs\"\n  principal_arns = [\"{developer}\"]\n  external_id    = \"{EXTERNAL_ID}\"\n  \
         access_level   = \"view\"\n  namespaces     = [\"dev\"]\n}}\n\n\
         output \"role_name\" {{ value = eksrole_team_access.team.role_name }}\n"
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let log = ws.dir.path().join("trace.log");
    // Apply creates the role with the trust policy (CreateRole's request
    // body); the plan after it reads it back (GetRole's response body).
    logged(&ws, "trace", &log, &apply_args());
    logged(&ws, "trace", &log, &["plan", "-input=false", "-no-color"]);
    let text = std::fs::read_to_string(&log).expect("the trace log");

    // The log is the real thing: the provider's trace lines, the SDK's
    // request and response lines (screened) and the calls themselves.
    assert!(text.lines().count() > 500, "a short trace log:\n{text}");
    for expected in [
        "provider.terraform-provider-eksrole",
        "transmitting request",
        "received response from service",
        "(withheld: may hold secrets)",
        "AWS call iam:CreateRole: ok",
        "AWS call iam:GetRole: ok",
    ] {
        assert!(
            text.contains(expected),
            "{cli:?}: the trace log lacks {expected:?}"
        );
    }
    for (secret, what) in [(EXTERNAL_ID, "external ID"), (SECRET_KEY, "secret key")] {
        let leaks: Vec<&str> = text.lines().filter(|l| l.contains(secret)).collect();
        assert!(
            leaks.is_empty(),
            "{cli:?}: the {what} is in the trace log:\n{}",
            leaks.join("\n")
        );
    }
    // The role really carries the external ID: it was there to be leaked.
    let role_name = ws.outputs()["role_name"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let role = fixtures::trust_policy(&role_name);
    assert!(role.to_string().contains(EXTERNAL_ID), "{role}");
    ws.destroy();
}

fn debug_log_names_each_change_and_no_frames(cli: Cli) {
    let cluster = cluster("logs-debug", cli, true);
    let config = format!(
        "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  \
         namespace       = \"payments\"\n  service_account = \"api\"\n  policy_arns     = [\"{S3_READ}\"]\n}}\n"
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let log = ws.dir.path().join("debug.log");
    logged(&ws, "debug", &log, &apply_args());
    let text = std::fs::read_to_string(&log).expect("the debug log");
    let provider_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("provider.terraform-provider-eksrole"))
        .collect();
    for operation in [
        "iam:CreateRole",
        "iam:AttachRolePolicy",
        "eks:CreatePodIdentityAssociation",
        // A plan-time look-up.
        "eks:DescribeCluster",
    ] {
        let line = provider_lines
            .iter()
            .find(|l| l.contains(&format!("AWS call {operation}: ok")))
            .unwrap_or_else(|| {
                panic!(
                    "{cli:?}: no debug line for {operation}:\n{}",
                    provider_lines.join("\n")
                )
            });
        assert!(line.contains("[DEBUG]"), "{line}");
        for field in ["service=", "target=", "duration_ms=", "retries="] {
            assert!(line.contains(field), "{field} missing: {line}");
        }
    }
    let frames: Vec<&str> = provider_lines
        .iter()
        .copied()
        .filter(|l| {
            l.contains("frame=") || l.contains("[TRACE]") || l.contains("withheld: may hold")
        })
        .collect();
    assert!(
        frames.is_empty(),
        "{cli:?}: transport noise at debug:\n{}",
        frames.join("\n")
    );
    ws.destroy();
}

both_clis!(
    trace_log_holds_no_external_id_and_no_secret_key,
    debug_log_names_each_change_and_no_frames,
);
