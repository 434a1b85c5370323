//! The look-ups a plan of many intents issues, counted by the test bed
//! (`/_eksrole/calls`), exactly, under both CLIs: 50 workload identities and
//! 5 team accesses over 2 clusters. A fresh plan asks per cluster and per
//! process, never per intent (one `ListRoles` scan for every role name, one
//! `ListPodIdentityAssociations` and one `ListAccessEntries` per cluster); a
//! no-change plan refreshes every role from two account-wide listings
//! (`ListRoles`, `GetAccountAuthorizationDetails`) and describes only the
//! per-resource EKS objects. When `GetAccountAuthorizationDetails` is denied
//! the refresh reads each role as before, and still finds no change.
//!
//! The test bed's counter is shared by every test of this binary, so the
//! tests run one at a time.

mod support;

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::json;
use support::fixtures::{self, ClusterSpec};
use support::interrupt::reset_calls;
use support::{testbed, Cli, Workspace};

const S3_READ: &str = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const VIEW: &str = "view";
const WORKLOADS: usize = 50;
const TEAMS: usize = 5;

/// One test at a time: the call counter and the faults are the test bed's.
static SERIAL: Mutex<()> = Mutex::new(());

/// Every call the test bed received since the last reset, as
/// `service.Operation` → count.
fn calls() -> BTreeMap<String, u64> {
    let url = format!("{}/_eksrole/calls", testbed().endpoint);
    let out = std::process::Command::new("curl")
        .args(["-sf", &url])
        .output()
        .expect("curl");
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).expect("calls JSON");
    let mut counts = BTreeMap::new();
    for (service, operations) in body["calls"].as_object().into_iter().flatten() {
        for (operation, n) in operations.as_object().into_iter().flatten() {
            counts.insert(format!("{service}.{operation}"), n.as_u64().unwrap_or(0));
        }
    }
    counts
}

fn expected(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

/// 50 workload identities (Pod Identity, one managed policy) and 5 team
/// accesses spread round-robin over `clusters`, written with `for_each`.
fn config(clusters: &[String], principal: &str) -> String {
    let workloads: String = (0..WORKLOADS)
        .map(|i| {
            let cluster = &clusters[i % clusters.len()];
            format!(
                "    \"svc-{i:02}\" = {{ cluster = \"{cluster}\", namespace = \"apps-{}\" }}\n",
                i % 10
            )
        })
        .collect();
    let teams: String = (0..TEAMS)
        .map(|j| {
            let cluster = &clusters[j % clusters.len()];
            format!("    \"team-{j}\" = {{ cluster = \"{cluster}\", namespace = \"apps-{j}\" }}\n")
        })
        .collect();
    format!(
        "PROVIDER\nlocals {{\n  workloads = {{\n{workloads}  }}\n  teams = {{\n{teams}  }}\n}}\n\n\
         resource \"eksrole_workload_identity\" \"svc\" {{\n  for_each        = local.workloads\n  \
         cluster_name    = each.value.cluster\n  namespace       = each.value.namespace\n  \
         service_account = each.key\n  policy_arns     = [\"{S3_READ}\"]\n}}\n\n\
         resource \"eksrole_team_access\" \"team\" {{\n  for_each       = local.teams\n  \
         cluster_name   = each.value.cluster\n  name           = each.key\n  \
         principal_arns = [\"{principal}\"]\n  access_level   = \"{VIEW}\"\n  \
         namespaces     = [each.value.namespace]\n}}\n"
    )
}

/// What every plan of this configuration looks up once per process or per
/// cluster, with plan-time checks on: the caller, each cluster and its Pod
/// Identity agent, the managed policy, the trust-policy quota, the EKS access
/// policies and the one principal role.
const PER_PROCESS: &[(&str, u64)] = &[
    ("sts.GetCallerIdentity", 1),
    ("eks.DescribeCluster", 2),
    ("eks.DescribeAddon", 2),
    ("iam.GetPolicy", 1),
    ("iam.GetAccountSummary", 1),
    ("eks.ListAccessPolicies", 1),
    ("iam.GetRole", 1),
];

fn with(extra: &[(&str, u64)]) -> BTreeMap<String, u64> {
    let mut all = expected(PER_PROCESS);
    for (k, v) in extra {
        *all.entry((*k).to_owned()).or_default() += v;
    }
    all
}

fn plans_look_up_per_cluster_not_per_intent(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let clusters: Vec<String> = (0..2)
        .map(|i| {
            let name = fixtures::unique(&format!("lookups-{i}-{cli:?}").to_lowercase());
            fixtures::create_cluster(&ClusterSpec {
                name: name.clone(),
                mode: "API",
                oidc_registered: false,
                pod_identity_agent: true,
            });
            name
        })
        .collect();
    let principal = fixtures::create_role(&fixtures::unique(
        &format!("lookups-dev-{cli:?}").to_lowercase(),
    ));
    let ws = Workspace::new(cli, &config(&clusters, &principal));
    ws.init();
    fixtures::clear_faults();

    // Fresh plan: one role-name scan, one listing per cluster of each kind.
    reset_calls();
    ws.ok(&["plan", "-input=false", "-no-color"]);
    assert_eq!(
        calls(),
        with(&[
            ("iam.ListRoles", 1),
            ("eks.ListPodIdentityAssociations", 2),
            ("eks.ListAccessEntries", 2),
        ]),
        "{cli:?}: the look-ups of a fresh plan of {WORKLOADS} + {TEAMS} intents"
    );

    ws.apply();

    // No-change plan: every role from the two account-wide listings; each
    // association and access entry (with its policies) described once.
    reset_calls();
    ws.assert_no_changes("right after apply");
    let steady = with(&[
        ("iam.ListRoles", 1),
        ("iam.GetAccountAuthorizationDetails", 1),
        ("eks.DescribePodIdentityAssociation", WORKLOADS as u64),
        ("eks.DescribeAccessEntry", TEAMS as u64),
        ("eks.ListAssociatedAccessPolicies", TEAMS as u64),
    ]);
    assert_eq!(calls(), steady, "{cli:?}: the look-ups of a no-change plan");

    // Without permission for GetAccountAuthorizationDetails: asked once, then
    // each role is read on its own, and the plan is still empty.
    fixtures::add_fault(json!({
        "service": "iam", "operation": "GetAccountAuthorizationDetails", "count": -1,
        "error": {"code": "AccessDenied", "message": "not authorized to perform: iam:GetAccountAuthorizationDetails", "status": 403}
    }));
    reset_calls();
    ws.assert_no_changes("with GetAccountAuthorizationDetails denied");
    let roles = (WORKLOADS + TEAMS) as u64;
    let denied = with(&[
        ("iam.ListRoles", 1),
        ("iam.GetAccountAuthorizationDetails", 1),
        ("iam.GetRole", roles),
        ("iam.ListAttachedRolePolicies", WORKLOADS as u64),
        ("iam.ListRolePolicies", WORKLOADS as u64),
        ("eks.DescribePodIdentityAssociation", WORKLOADS as u64),
        ("eks.DescribeAccessEntry", TEAMS as u64),
        ("eks.ListAssociatedAccessPolicies", TEAMS as u64),
    ]);
    assert_eq!(
        calls(),
        denied,
        "{cli:?}: a no-change plan without the listing"
    );
    fixtures::clear_faults();

    ws.destroy();
}

both_clis!(plans_look_up_per_cluster_not_per_intent);
