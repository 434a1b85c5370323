//! `scripts/bench-scale` end to end at a tiny size (4 workload identities and
//! one team access over 2 clusters, tofu, this build's provider): its last
//! line is the JSON object `scripts/perf-report` and docs/performance.md rely
//! on, with every field, calls counted, and destroy leaving nothing behind.
//! No timing is asserted: the numbers are measured by hand and committed, and
//! docs/performance.md must be what `scripts/perf-report` makes of them.

use std::path::Path;
use std::process::Command;

const FIELDS: &[&str] = &[
    "intents",
    "clusters",
    "team_accesses",
    "plan_fresh_calls",
    "plan_fresh_seconds",
    "apply_calls",
    "apply_seconds",
    "plan_steady_calls",
    "plan_steady_seconds",
    "destroy_calls",
    "destroy_seconds",
    "peak_rss_mb",
    "plan_steady_has_changes",
    "left_after_destroy",
    "calls_by_operation",
];

#[test]
fn json_last_line_has_every_field_and_destroy_leaves_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .args([
            "scripts/bench-scale",
            "--intents",
            "4",
            "--clusters",
            "2",
            "--cli",
            "tofu",
        ])
        .arg("--provider")
        .arg(env!("CARGO_BIN_EXE_terraform-provider-eksrole"))
        .current_dir(root)
        .env_remove("TF_LOG")
        .output()
        .expect("run scripts/bench-scale");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bench-scale failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("last line is not JSON ({e}): {last}"));
    for field in FIELDS {
        assert!(json.get(field).is_some(), "no {field:?} in {json}");
    }
    assert_eq!(json["intents"], 4);
    assert_eq!(json["clusters"], 2);
    assert_eq!(json["team_accesses"], 1);
    assert!(json["plan_fresh_calls"].as_u64() > Some(0), "{json}");
    assert!(json["apply_calls"].as_u64() > Some(0), "{json}");
    assert!(json["peak_rss_mb"].as_f64() > Some(0.0), "{json}");
    // What the apply must have created: a role and an association per intent.
    let apply = &json["calls_by_operation"]["apply"];
    assert_eq!(apply["iam.CreateRole"], 5, "{apply}");
    assert_eq!(apply["eks.CreatePodIdentityAssociation"], 4, "{apply}");
    assert_eq!(json["plan_steady_has_changes"], false, "{json}");
    assert_eq!(
        json["left_after_destroy"],
        serde_json::json!({"roles": 0, "associations": 0, "access_entries": 0})
    );
    // The human table comes first.
    assert!(stdout.contains("AWS calls"), "{stdout}");
}

/// docs/performance.md's generated part and docs/performance.svg are what
/// `scripts/perf-report` makes of the committed results.
#[test]
fn performance_page_is_generated_from_the_committed_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join("scripts/perf-report"))
        .arg("--check")
        .current_dir(root)
        .output()
        .expect("run scripts/perf-report --check");
    assert!(
        out.status.success(),
        "run scripts/perf-report: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
