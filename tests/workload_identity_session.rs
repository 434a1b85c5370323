//! Acceptance tests of `eksrole_workload_identity` under both CLIs against
//! the testbed, for the association's session settings and its target role:
//! a session policy needs `disable_session_tags` (plan error, nothing
//! created); with session tags disabled the trust checks the account only,
//! the association carries both settings, drift in them shows and is
//! repaired; a target role's `external_id` and `target_role_trust_policy`;
//! a same-account target role that does not trust the pod role draws a
//! warning; an add-on's association is named in the plan and left alone.

mod support;

use serde_json::json;
use support::fixtures::{self, aws, ClusterSpec};
use support::{Cli, Workspace};

const ACCOUNT: &str = "000000000000";
const SESSION_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::ledger/tenant-a/*"}]}"#;
const OTHER_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::ledger/tenant-b/*"}]}"#;

fn cluster(tag: &str, cli: Cli) -> String {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    name
}

fn config(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  \
         namespace       = \"ledger\"\n  service_account = \"api\"\n{body}}}\n\n\
         output \"role_arn\" {{ value = eksrole_workload_identity.app.role_arn }}\n\
         output \"association_id\" {{ value = eksrole_workload_identity.app.association_id }}\n\
         output \"external_id\" {{ value = eksrole_workload_identity.app.external_id }}\n\
         output \"target_trust\" {{ value = eksrole_workload_identity.app.target_role_trust_policy }}\n"
    )
}

/// `session_policy = jsonencode(...)` of a JSON document.
fn session_policy(doc: &str) -> String {
    format!("  session_policy = jsonencode({doc})\n")
}

fn output(ws: &Workspace, name: &str) -> serde_json::Value {
    ws.outputs()[name]["value"].clone()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The association as EKS describes it: (disableSessionTags, policy, externalId).
fn association(cluster: &str, id: &str) -> (bool, Option<serde_json::Value>, Option<String>) {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .eks
            .describe_pod_identity_association()
            .cluster_name(cluster)
            .association_id(id)
            .send()
            .await
            .expect("describe association");
        let x = out.association().expect("association");
        (
            x.disable_session_tags().unwrap_or(false),
            x.policy()
                .map(|p| serde_json::from_str(p).expect("policy JSON")),
            x.external_id().map(str::to_owned),
        )
    })
}

fn parsed(doc: &str) -> serde_json::Value {
    serde_json::from_str(doc).expect("JSON")
}

/// A session policy with session tags on fails at plan, on `session_policy`.
fn session_policy_without_disabled_tags(cli: Cli) {
    let cluster = cluster("sp-tags", cli);
    support::assert_plan_fails(
        cli,
        &config(&cluster, &session_policy(SESSION_POLICY)),
        "Session policy needs session tags disabled",
        "session_policy = jsonencode",
    );
    assert_eq!(fixtures::associations(&cluster), vec![], "nothing created");
    assert!(!fixtures::role_exists(&format!("eks-{cluster}-ledger-api")));
}

/// Session tags disabled with a session policy: the trust checks the
/// account only, the association carries both, nothing drifts; a changed
/// policy and drift in the association's settings are updated in place;
/// back to session tags, the trust pins the service account again.
fn session_policy_with_disabled_tags(cli: Cli) {
    let cluster = cluster("sp-on", cli);
    let body = format!(
        "  disable_session_tags = true\n{}",
        session_policy(SESSION_POLICY)
    );
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    ws.apply();
    let role = format!("eks-{cluster}-ledger-api");
    assert_eq!(
        fixtures::trust_policy(&role),
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "EksPodIdentity",
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
        }]})
    );
    let id = output(&ws, "association_id")
        .as_str()
        .expect("association id")
        .to_owned();
    assert_eq!(
        association(&cluster, &id),
        (true, Some(parsed(SESSION_POLICY)), None)
    );
    assert_eq!(output(&ws, "external_id"), serde_json::Value::Null);
    ws.assert_no_changes("no perpetual diff with session tags disabled");

    // Another session policy: the same association, updated in place.
    let body = format!(
        "  disable_session_tags = true\n{}",
        session_policy(OTHER_POLICY)
    );
    ws.write(&config(&cluster, &body));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    ws.apply();
    assert_eq!(
        association(&cluster, &id),
        (true, Some(parsed(OTHER_POLICY)), None)
    );
    ws.assert_no_changes("plan must be empty after the policy change");

    // Drift: the policy removed and session tags turned on out of band.
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .update_pod_identity_association()
            .cluster_name(&cluster)
            .association_id(&id)
            .policy("")
            .disable_session_tags(false)
            .send()
            .await
            .expect("update association");
    });
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("disable_session_tags") && plan.stdout.contains("1 to change"),
        "drift must show as an in-place change:\n{}",
        plan.stdout
    );
    ws.apply();
    assert_eq!(
        association(&cluster, &id),
        (true, Some(parsed(OTHER_POLICY)), None),
        "apply restores the settings on the same association"
    );
    ws.assert_no_changes("plan must be empty after the repair");

    // Back to session tags: no policy, the trust pins the service account.
    ws.write(&config(&cluster, ""));
    ws.apply();
    assert_eq!(association(&cluster, &id), (false, None, None));
    assert_eq!(
        fixtures::trust_policy(&role)["Statement"][0]["Condition"]["StringEquals"]
            ["aws:RequestTag/kubernetes-service-account"],
        "api"
    );
    ws.assert_no_changes("plan must be empty with session tags back on");
    ws.destroy();
    assert_eq!(fixtures::associations(&cluster), vec![]);
}

/// A cross-account target role: the external ID is known after apply, and
/// `target_role_trust_policy` is the trust the target role must have.
fn cross_account_target_outputs(cli: Cli) {
    let cluster = cluster("target-x", cli);
    let target = "arn:aws:iam::111122223333:role/data-reader";
    let body = format!("  target_role_arn      = \"{target}\"\n  disable_session_tags = true\n");
    let ws = Workspace::new(cli, &config(&cluster, &body));
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        flat(&plan.stdout).contains("external_id = (known after apply)"),
        "{}",
        plan.stdout
    );
    ws.apply();
    let external_id = format!("us-east-1/{ACCOUNT}/{cluster}/ledger/api");
    assert_eq!(output(&ws, "external_id"), json!(external_id));
    let role_arn = output(&ws, "role_arn").as_str().expect("arn").to_owned();
    let principal = json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")});
    assert_eq!(
        parsed(output(&ws, "target_trust").as_str().expect("trust")),
        json!({"Version": "2012-10-17", "Statement": [
            {
                "Sid": "EksPodIdentityChain",
                "Effect": "Allow",
                "Principal": principal,
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": role_arn},
                    "StringEquals": {"sts:ExternalId": external_id}
                }
            },
            {
                "Sid": "EksPodIdentityChainTags",
                "Effect": "Allow",
                "Principal": principal,
                "Action": "sts:TagSession",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": role_arn}}
            }
        ]})
    );
    ws.assert_no_changes("plan must be empty with a target role");

    // With session tags on, the trust pins the tags, known at plan.
    ws.write(&config(
        &cluster,
        &format!("  target_role_arn = \"{target}\"\n"),
    ));
    ws.apply();
    let trust = parsed(output(&ws, "target_trust").as_str().expect("trust"));
    assert_eq!(
        trust["Statement"][0]["Action"],
        json!(["sts:AssumeRole", "sts:TagSession"])
    );
    assert_eq!(
        trust["Statement"][0]["Condition"]["StringEquals"],
        json!({
            "aws:RequestTag/eks-cluster-arn": format!("arn:aws:eks:us-east-1:{ACCOUNT}:cluster/{cluster}"),
            "aws:RequestTag/kubernetes-namespace": "ledger",
            "aws:RequestTag/kubernetes-service-account": "api"
        })
    );
    ws.assert_no_changes("plan must be empty");
    ws.destroy();
}

/// A target role in this account whose trust does not admit the pod role:
/// a warning on `target_role_arn`; gone once it has the trust the resource
/// says it needs.
fn same_account_target_without_trust(cli: Cli) {
    let cluster = cluster("target-same", cli);
    let name = fixtures::unique(&format!("reader-{cli:?}").to_lowercase());
    let target = fixtures::create_role(&name);
    fixtures::put_trust_policy(
        &name,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    );
    let ws = Workspace::new(
        cli,
        &config(&cluster, &format!("  target_role_arn = \"{target}\"\n")),
    );
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]).text();
    for expected in [
        "Warning: Target role does not trust this role",
        "target_role_arn = ",
        "target_role_trust_policy",
    ] {
        assert!(
            flat(&plan).contains(expected),
            "expected {expected:?}:\n{plan}"
        );
    }
    ws.apply();
    let trust = output(&ws, "target_trust")
        .as_str()
        .expect("trust")
        .to_owned();
    fixtures::put_trust_policy(&name, &trust);
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]).text();
    assert!(!plan.contains("does not trust"), "{plan}");
    ws.destroy();
}

/// An association an EKS add-on owns for the service account: the plan
/// fails on `service_account` naming the add-on, and nothing changes.
fn addon_owned_association(cli: Cli) {
    let cluster = cluster("sp-addon", cli);
    let addon_role =
        fixtures::create_role(&fixtures::unique(&format!("csi-{cli:?}").to_lowercase()));
    let a = aws();
    a.rt.block_on(async {
        let association = aws_sdk_eks::types::AddonPodIdentityAssociations::builder()
            .service_account("api")
            .role_arn(&addon_role)
            .build()
            .expect("association");
        a.eks
            .create_addon()
            .cluster_name(&cluster)
            .addon_name("aws-ebs-csi-driver")
            .pod_identity_associations(association)
            .send()
            .await
            .expect("create add-on");
    });
    // The add-on's association is in kube-system; this intent's is too.
    let before = fixtures::associations(&cluster);
    assert_eq!(before.len(), 1);
    let (namespace, _, _, _) = &before[0];
    let body = "  disable_session_tags = true\n";
    let resource = config(&cluster, body).replace(
        "namespace       = \"ledger\"",
        &format!("namespace       = \"{namespace}\""),
    );
    let ws = Workspace::new(cli, &resource);
    ws.init();
    let run = ws.run(&["plan", "-input=false", "-no-color"]);
    let text = flat(&run.text());
    assert!(!run.ok, "plan must fail:\n{text}");
    for expected in [
        "Pod Identity association already exists",
        "service_account = \"api\"",
        "the EKS add-on \"aws-ebs-csi-driver\" owns it",
        "--addon-name aws-ebs-csi-driver",
    ] {
        assert!(text.contains(expected), "expected {expected:?}:\n{text}");
    }
    assert_eq!(fixtures::associations(&cluster), before, "untouched");
}

both_clis!(
    session_policy_without_disabled_tags,
    session_policy_with_disabled_tags,
    cross_account_target_outputs,
    same_account_target_without_trust,
    addon_owned_association
);
