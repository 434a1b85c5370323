//! Acceptance tests of the provider core under the real `terraform` and `tofu`
//! CLIs against LocalStack: the whole CLI → plugin → AWS SDK → LocalStack path
//! through `eksrole_caller_identity`, the schema as the CLIs see it, and
//! provider-block diagnostics that point at the wrong attribute: the region
//! (with the closest known one, and `skip_region_validation`), an unknown
//! profile, and no credentials at all.

mod support;

use support::{provider_block, Cli, Run, Workspace};

const CALLER_IDENTITY: &str = r#"PROVIDER
data "eksrole_caller_identity" "me" {}

output "account_id" { value = data.eksrole_caller_identity.me.account_id }
output "partition"  { value = data.eksrole_caller_identity.me.partition }
output "arn"        { value = data.eksrole_caller_identity.me.arn }
"#;

fn caller_identity_full_lifecycle(cli: Cli) {
    let ws = Workspace::new(cli, CALLER_IDENTITY);
    ws.init();
    ws.ok(&["validate", "-no-color"]);
    ws.ok(&["plan", "-input=false", "-no-color"]);
    ws.apply();
    let out = ws.outputs();
    assert_eq!(out["account_id"]["value"], "000000000000", "{out}");
    assert_eq!(out["partition"]["value"], "aws", "{out}");
    let arn = out["arn"]["value"].as_str().unwrap_or_default();
    assert!(
        arn.starts_with("arn:aws:") && arn.contains("000000000000"),
        "{arn}"
    );
    assert!(
        !ws.plan_has_changes(),
        "a data source alone must plan no changes after apply"
    );
    ws.destroy();
    let state = ws.ok(&["state", "list", "-no-color"]);
    assert_eq!(state.stdout.trim(), "", "destroy must leave an empty state");
}

fn schema_shows_provider_and_data_source(cli: Cli) {
    let ws = Workspace::new(cli, CALLER_IDENTITY);
    ws.init();
    let run = ws.ok(&["providers", "schema", "-json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("schema JSON");
    let schemas = &json["provider_schemas"][support::PROVIDER_SOURCE];
    let provider = &schemas["provider"]["block"];
    for attr in [
        "region",
        "profile",
        "access_key",
        "allowed_account_ids",
        "plan_time_checks",
    ] {
        assert!(
            provider["attributes"][attr].is_object(),
            "provider attribute {attr} missing: {provider}"
        );
    }
    assert_eq!(provider["attributes"]["secret_key"]["sensitive"], true);
    for block in ["assume_role", "endpoints", "default_tags"] {
        assert!(
            provider["block_types"][block].is_object(),
            "provider block {block} missing"
        );
    }
    let ds = &schemas["data_source_schemas"]["eksrole_caller_identity"]["block"]["attributes"];
    for attr in ["account_id", "arn", "user_id", "partition"] {
        assert_eq!(
            ds[attr]["computed"], true,
            "data source attribute {attr}: {ds}"
        );
    }
}

/// Runs `validate` or `plan` on a config that must fail, and checks the CLI
/// points at the attribute by quoting its source line.
fn fails_at(cli: Cli, config: &str, command: &str, summary: &str, source_line: &str) {
    let ws = Workspace::new(cli, config);
    ws.init();
    let run = if command == "plan" {
        ws.run(&[command, "-input=false", "-no-color"])
    } else {
        ws.run(&[command, "-no-color"])
    };
    assert!(!run.ok, "{command} must fail:\n{}", run.text());
    let text = run.text();
    assert!(text.contains(summary), "expected {summary:?} in:\n{text}");
    assert!(
        text.contains(source_line),
        "expected the diagnostic to point at {source_line:?}:\n{text}"
    );
}

fn unknown_provider_attribute_is_rejected(cli: Cli) {
    let config = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        provider_block("  bogus_setting = 1\n")
    );
    fails_at(
        cli,
        &config,
        "validate",
        "Unsupported argument",
        "bogus_setting = 1",
    );
}

fn bad_region_is_rejected(cli: Cli) {
    let config = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        provider_block("")
    )
    .replace(
        "region     = \"us-east-1\"",
        "region     = \"moon-base-1x\"",
    );
    fails_at(
        cli,
        &config,
        "plan",
        "Invalid region",
        "region     = \"moon-base-1x\"",
    );
}

fn assume_role_without_role_arn_is_rejected(cli: Cli) {
    let config = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        provider_block("  assume_role {\n    session_name = \"ci\"\n  }\n")
    );
    fails_at(
        cli,
        &config,
        "validate",
        "Missing required argument",
        "assume_role {",
    );
}

fn account_not_in_allowed_list_is_rejected(cli: Cli) {
    let config = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        provider_block("  allowed_account_ids = [\"111111111111\"]\n")
    );
    fails_at(
        cli,
        &config,
        "plan",
        "AWS account not allowed",
        "allowed_account_ids = [\"111111111111\"]",
    );
}

fn forbidden_account_is_rejected(cli: Cli) {
    let config = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        provider_block("  forbidden_account_ids = [\"000000000000\"]\n")
    );
    fails_at(
        cli,
        &config,
        "plan",
        "AWS account forbidden",
        "forbidden_account_ids = [\"000000000000\"]",
    );
}

/// The testbed's provider block without its static keys, plus `extra`.
fn block_without_keys(extra: &str) -> String {
    provider_block(extra)
        .replace("  access_key = \"test\"\n", "")
        .replace("  secret_key = \"test\"\n", "")
}

/// Runs `args` with no AWS credentials anywhere the default chain looks
/// except where `env` puts them, and `home` as the home directory (so
/// `~/.aws` is whatever the test wrote there).
fn run_isolated(
    ws: &Workspace,
    args: &[&str],
    home: &std::path::Path,
    env: &[(&str, &str)],
) -> Run {
    let mut command = ws.command(args);
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ] {
        command.env_remove(var);
    }
    command
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied());
    Run::from(command.output().expect("run the CLI"))
}

/// No credentials anywhere: the error says so, lists where the provider
/// looked, and is not mistaken for a network failure.
fn no_credentials_names_the_sources_tried(cli: Cli) {
    let config = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        block_without_keys("")
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    let home = tempfile::tempdir().expect("empty home");
    let run = run_isolated(
        &ws,
        &["plan", "-input=false", "-no-color"],
        home.path(),
        &[],
    );
    let text = run.flat_text();
    assert!(!run.ok, "plan must fail:\n{text}");
    assert!(text.contains("No AWS credentials found"), "{text}");
    for source in [
        "access_key",
        "AWS_ACCESS_KEY_ID",
        "shared config and credentials files",
        "SSO",
        "aws login",
        "web identity",
        "container credentials",
        "IMDS",
    ] {
        assert!(
            text.contains(source),
            "the sources tried must include {source:?}:\n{text}"
        );
    }
    assert!(
        !text.contains("could not be reached"),
        "not a network error:\n{text}"
    );
    assert!(
        text.contains("provider \"eksrole\""),
        "on the provider block:\n{text}"
    );
}

/// A `profile` that is not in the shared files fails on `profile`, even
/// when other credentials (here the environment's) would work; one that is
/// there is used.
fn unknown_profile_fails_on_profile(cli: Cli) {
    let home = tempfile::tempdir().expect("home");
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).expect(".aws");
    std::fs::write(aws.join("config"), "[profile dev]\nregion = us-east-1\n").expect("config");
    std::fs::write(
        aws.join("credentials"),
        "[dev]\naws_access_key_id = test\naws_secret_access_key = test\n",
    )
    .expect("credentials");
    let env_keys = [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ];

    let config = |profile: &str| {
        format!(
            "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
            block_without_keys(&format!("  profile = \"{profile}\"\n"))
        )
    };
    let ws = Workspace::new(cli, &config("platform"));
    ws.init();
    let run = run_isolated(
        &ws,
        &["plan", "-input=false", "-no-color"],
        home.path(),
        &env_keys,
    );
    let text = run.flat_text();
    assert!(!run.ok, "plan must fail:\n{text}");
    assert!(text.contains("AWS profile not found"), "{text}");
    assert!(
        text.contains("profile = \"platform\""),
        "on `profile`:\n{text}"
    );
    assert!(text.contains("profiles found: dev"), "{text}");

    ws.write(&config("dev"));
    let run = run_isolated(
        &ws,
        &["plan", "-input=false", "-no-color"],
        home.path(),
        &[],
    );
    assert!(run.ok, "an existing profile is used:\n{}", run.text());
}

/// A region typo fails on `region` naming the closest region; a well-formed
/// region this provider does not know passes with `skip_region_validation`.
fn region_typo_suggests_and_skip_region_validation_admits(cli: Cli) {
    let typo = format!(
        "{}\ndata \"eksrole_caller_identity\" \"me\" {{}}\n",
        provider_block("")
    )
    .replace("region     = \"us-east-1\"", "region     = \"eu-westt-1\"");
    fails_at(
        cli,
        &typo,
        "plan",
        "Invalid region",
        "region     = \"eu-westt-1\"",
    );
    let ws = Workspace::new(cli, &typo);
    ws.init();
    let text = ws.run(&["plan", "-input=false", "-no-color"]).flat_text();
    assert!(text.contains("Did you mean \"eu-west-1\"?"), "{text}");
    assert!(text.contains("skip_region_validation"), "{text}");

    // Live checks off: the plan makes no AWS call, so the testbed's own idea
    // of regions plays no part; the region got through configuration.
    let unknown = format!(
        "{}\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name = \"c\"\n  namespace = \"a\"\n  service_account = \"b\"\n}}\n",
        provider_block("  skip_region_validation = true\n  plan_time_checks = false\n")
    )
    .replace("region     = \"us-east-1\"", "region     = \"eu-west-9\"");
    let ws = Workspace::new(cli, &unknown);
    ws.init();
    ws.ok(&["plan", "-input=false", "-no-color"]);
    ws.write(&unknown.replace("  skip_region_validation = true\n", ""));
    let text = ws.run(&["plan", "-input=false", "-no-color"]).flat_text();
    assert!(
        text.contains("not a known region of the aws partition"),
        "{text}"
    );
}

both_clis!(
    caller_identity_full_lifecycle,
    no_credentials_names_the_sources_tried,
    unknown_profile_fails_on_profile,
    region_typo_suggests_and_skip_region_validation_admits,
    schema_shows_provider_and_data_source,
    unknown_provider_attribute_is_rejected,
    bad_region_is_rejected,
    assume_role_without_role_arn_is_rejected,
    account_not_in_allowed_list_is_rejected,
    forbidden_account_is_rejected,
);
