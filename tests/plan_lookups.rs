//! The look-ups a plan of many intents issues, counted by the test bed
//! (`/_eksrole/calls`), exactly, under both CLIs: 50 workload identities and
//! 5 team accesses over 2 clusters. A fresh plan asks per cluster and per
//! process, never per intent (one `ListRoles` scan for every role name past
//! the first four, which are a `GetRole` each; one
//! `ListPodIdentityAssociations` and one `ListAccessEntries` per cluster); a
//! no-change plan refreshes the first four roles one call at a time and every
//! other from two account-wide listings (`ListRoles`,
//! `GetAccountAuthorizationDetails`), and describes only the per-resource EKS
//! objects. When `GetAccountAuthorizationDetails` is denied, or fails on
//! every attempt, it is asked once in the run, the refresh reads each role as
//! before, and still finds no change.
//!
//! A small workspace never lists the account's roles; a `ListRoles` that
//! fails (not denied) is tried once per plan, and every name check then asks
//! `GetRole`, so a taken name is still an error.
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
/// The role look-ups of each kind (name checks, refresh reads) a process
/// makes one call at a time before it lists the account's roles
/// (`validate::listings::DIRECT_LOOKUPS`).
const DIRECT: u64 = 4;

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

/// What every plan of these configurations looks up once per process or per
/// cluster, with plan-time checks on: the caller, each cluster and its Pod
/// Identity agent, the managed policy, the trust-policy quota, the EKS access
/// policies and the one principal role.
fn per_process(clusters: u64) -> Vec<(&'static str, u64)> {
    vec![
        ("sts.GetCallerIdentity", 1),
        ("eks.DescribeCluster", clusters),
        ("eks.DescribeAddon", clusters),
        ("iam.GetPolicy", 1),
        ("iam.GetAccountSummary", 1),
        ("eks.ListAccessPolicies", 1),
        ("iam.GetRole", 1),
    ]
}

/// [`per_process`] for `clusters` clusters, plus `extra`.
fn with_on(clusters: u64, extra: &[(&str, u64)]) -> BTreeMap<String, u64> {
    let mut all = expected(&per_process(clusters));
    for (k, v) in extra {
        *all.entry((*k).to_owned()).or_default() += v;
    }
    all
}

fn with(extra: &[(&str, u64)]) -> BTreeMap<String, u64> {
    with_on(2, extra)
}

/// The calls since the last reset, less the policy listings of the roles
/// refreshed one call at a time, returned apart: which of the first
/// [`DIRECT`] refreshed roles are workload identities (`GetRole`,
/// `ListAttachedRolePolicies`, `ListRolePolicies`) rather than team accesses
/// (`GetRole`) depends on the order the CLI refreshes them in.
fn calls_less_direct_policy_reads() -> (BTreeMap<String, u64>, u64) {
    let mut got = calls();
    let attached = got.remove("iam.ListAttachedRolePolicies").unwrap_or(0);
    let inline = got.remove("iam.ListRolePolicies").unwrap_or(0);
    assert_eq!(
        attached, inline,
        "each role read on its own lists both kinds"
    );
    assert!(
        attached <= DIRECT,
        "at most {DIRECT} roles read on their own"
    );
    (got, attached)
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

    // Fresh plan: the first four role names checked with GetRole, the rest
    // from one role-name scan; one listing per cluster of each kind.
    reset_calls();
    ws.ok(&["plan", "-input=false", "-no-color"]);
    assert_eq!(
        calls(),
        with(&[
            ("iam.GetRole", DIRECT),
            ("iam.ListRoles", 1),
            ("eks.ListPodIdentityAssociations", 2),
            ("eks.ListAccessEntries", 2),
        ]),
        "{cli:?}: the look-ups of a fresh plan of {WORKLOADS} + {TEAMS} intents"
    );

    ws.apply();

    // No-change plan: the first four roles read on their own, every other
    // from the two account-wide listings; each association and access entry
    // (with its policies) described once.
    reset_calls();
    ws.assert_no_changes("right after apply");
    let steady = with(&[
        ("iam.GetRole", DIRECT),
        ("iam.ListRoles", 1),
        ("iam.GetAccountAuthorizationDetails", 1),
        ("eks.DescribePodIdentityAssociation", WORKLOADS as u64),
        ("eks.DescribeAccessEntry", TEAMS as u64),
        ("eks.ListAssociatedAccessPolicies", TEAMS as u64),
    ]);
    let (got, _) = calls_less_direct_policy_reads();
    assert_eq!(got, steady, "{cli:?}: the look-ups of a no-change plan");

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

    // GetAccountAuthorizationDetails failing on every attempt (a server
    // error, not a denial): the listing is tried once in the run (six
    // attempts: `max_retries` defaults to 5), not once per resource; each role is then read on its
    // own, and the plan is still empty.
    fixtures::add_fault(json!({
        "service": "iam", "operation": "GetAccountAuthorizationDetails", "count": -1,
        "error": {"code": "ServiceFailure", "status": 500}
    }));
    reset_calls();
    ws.assert_no_changes("with GetAccountAuthorizationDetails failing");
    let mut failing = denied.clone();
    failing.insert("iam.GetAccountAuthorizationDetails".into(), 6);
    assert_eq!(
        calls(),
        failing,
        "{cli:?}: a no-change plan with the listing failing"
    );
    fixtures::clear_faults();

    ws.destroy();
}

/// `workloads` workload identities and `teams` team accesses on `cluster`;
/// `role_name(i)` names the role of the `i`-th intent (workloads first), or
/// leaves the default name.
fn small_config(
    cluster: &str,
    principal: &str,
    workloads: usize,
    teams: usize,
    role_name: impl Fn(usize) -> Option<String>,
    provider_extra: &str,
) -> String {
    let named = |i: usize| {
        role_name(i)
            .map(|n| format!("  role_name       = \"{n}\"\n"))
            .unwrap_or_default()
    };
    let mut text = support::provider_block(provider_extra);
    for i in 0..workloads {
        text += &format!(
            "\nresource \"eksrole_workload_identity\" \"w{i}\" {{\n  cluster_name    = \"{cluster}\"\n  \
             namespace       = \"apps\"\n  service_account = \"svc-{i}\"\n  policy_arns     = [\"{S3_READ}\"]\n{}}}\n",
            named(i)
        );
    }
    for j in 0..teams {
        text += &format!(
            "\nresource \"eksrole_team_access\" \"t{j}\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"team-{j}\"\n  \
             principal_arns = [\"{principal}\"]\n  access_level   = \"{VIEW}\"\n  namespaces     = [\"apps\"]\n{}}}\n",
            named(workloads + j)
        );
    }
    text
}

fn one_cluster(cli: Cli, tag: &str) -> (String, String) {
    let cluster = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: cluster.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    let principal = fixtures::create_role(&fixtures::unique(
        &format!("{tag}-dev-{cli:?}").to_lowercase(),
    ));
    (cluster, principal)
}

/// A workspace of one workload identity and one team access: its plans
/// never list the account's roles (each role is one `GetRole` to check its
/// name, and read on its own to refresh it).
fn small_workspaces_never_list_the_accounts_roles(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let (cluster, principal) = one_cluster(cli, "small");
    let ws = Workspace::new(cli, &small_config(&cluster, &principal, 1, 1, |_| None, ""));
    ws.init();
    fixtures::clear_faults();

    reset_calls();
    ws.ok(&["plan", "-input=false", "-no-color"]);
    assert_eq!(
        calls(),
        with_on(
            1,
            &[
                ("iam.GetRole", 2),
                ("eks.ListPodIdentityAssociations", 1),
                ("eks.ListAccessEntries", 1),
            ]
        ),
        "{cli:?}: a fresh plan of two intents"
    );

    ws.apply();
    reset_calls();
    ws.assert_no_changes("right after apply");
    assert_eq!(
        calls(),
        with_on(
            1,
            &[
                ("iam.GetRole", 2),
                ("iam.ListAttachedRolePolicies", 1),
                ("iam.ListRolePolicies", 1),
                ("eks.DescribePodIdentityAssociation", 1),
                ("eks.DescribeAccessEntry", 1),
                ("eks.ListAssociatedAccessPolicies", 1),
            ]
        ),
        "{cli:?}: a no-change plan of two intents"
    );
    ws.destroy();
}

/// `ListRoles` failing with a server error, not a denial, on every attempt:
/// the plan lists once (the provider's two attempts), then checks every
/// remaining name with `GetRole`, so each name someone else's role holds is
/// still an error, not a warning that the check could not be made.
fn a_failed_role_listing_falls_back_to_get_role_once(cli: Cli) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    const INTENTS: usize = 8;
    const TEAMS_HERE: usize = 2;
    let (cluster, principal) = one_cluster(cli, "nolist");
    let taken: Vec<String> = (0..INTENTS)
        .map(|i| fixtures::unique(&format!("nolist-taken-{i}-{cli:?}").to_lowercase()))
        .collect();
    for name in &taken {
        fixtures::create_role(name);
    }
    let config = small_config(
        &cluster,
        &principal,
        INTENTS - TEAMS_HERE,
        TEAMS_HERE,
        |i| Some(taken[i].clone()),
        "  max_retries = 1\n",
    );
    let ws = Workspace::new(cli, &config);
    ws.init();
    fixtures::clear_faults();
    fixtures::add_fault(json!({
        "service": "iam", "operation": "ListRoles", "count": -1,
        "error": {"code": "ServiceFailure", "status": 500}
    }));

    reset_calls();
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    let counts = calls();
    fixtures::clear_faults();
    let text = run.flat_text();
    assert!(!run.ok, "{cli:?}: the plan must fail:\n{text}");
    assert_eq!(
        text.matches("Error: Role name already taken").count(),
        INTENTS,
        "{cli:?}: every taken name is an error:\n{text}"
    );
    assert!(
        !text.contains("Could not look up the role name")
            && !text.contains("Could not check whether the role name is free"),
        "{cli:?}: no name check degrades to a warning:\n{text}"
    );
    let count = |op: &str| counts.get(op).copied().unwrap_or(0);
    assert_eq!(
        count("iam.ListRoles"),
        2,
        "{cli:?}: one listing (max_retries = 1: two attempts), not one per intent: {counts:?}"
    );
    assert_eq!(
        count("iam.GetRole"),
        INTENTS as u64 + 1,
        "{cli:?}: a GetRole per name and one for the principal: {counts:?}"
    );
    assert_eq!(count("iam.GetAccountAuthorizationDetails"), 0);
}

both_clis!(
    plans_look_up_per_cluster_not_per_intent,
    small_workspaces_never_list_the_accounts_roles,
    a_failed_role_listing_falls_back_to_get_role_once
);
