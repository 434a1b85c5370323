//! Acceptance tests of the provider core under the real `terraform` and `tofu`
//! CLIs against LocalStack: the whole CLI → plugin → AWS SDK → LocalStack path
//! through `eksrole_caller_identity`, the schema as the CLIs see it, and
//! provider-block diagnostics that point at the wrong attribute.

mod support;

use support::{provider_block, Cli, Workspace};

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

both_clis!(
    caller_identity_full_lifecycle,
    schema_shows_provider_and_data_source,
    unknown_provider_attribute_is_rejected,
    bad_region_is_rejected,
    assume_role_without_role_arn_is_rejected,
    account_not_in_allowed_list_is_rejected,
    forbidden_account_is_rejected,
);
