//! Acceptance tests of `eksrole_workload_identity` under both CLIs against
//! the testbed, for what protects the trust a pod relies on: an IRSA role
//! with an explicit `oidc_provider_arn` of another cluster fails at plan, and
//! a Pod Identity association whose session tags were turned off out of
//! band shows in plan and is restored by apply.

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

fn cluster(tag: &str, cli: Cli, oidc: bool, agent: bool) -> (String, String) {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    let issuer = fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: oidc,
        pod_identity_agent: agent,
    });
    (name, issuer)
}

fn config(cluster: &str, body: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name = \"{cluster}\"\n{body}}}\n\n\
         output \"role_name\" {{ value = eksrole_workload_identity.app.role_name }}\n\
         output \"association_id\" {{ value = eksrole_workload_identity.app.association_id }}\n"
    )
}

fn provider_arn(issuer: &str) -> String {
    format!(
        "arn:aws:iam::000000000000:oidc-provider/{}",
        issuer.trim_start_matches("https://")
    )
}

fn irsa_with(provider: &str) -> String {
    format!(
        "  namespace         = \"uploads\"\n  service_account   = \"writer\"\n  mechanism         = \"irsa\"\n  \
         oidc_provider_arn = \"{provider}\"\n"
    )
}

fn irsa_with_another_clusters_provider(cli: Cli) {
    let (_, other_issuer) = cluster("irsa-other", cli, true, false);
    let (cluster, issuer) = cluster("irsa-own", cli, true, false);
    let other = provider_arn(&other_issuer);
    support::assert_plan_fails(
        cli,
        &config(&cluster, &irsa_with(&other)),
        "OIDC provider is not the cluster's",
        &format!("oidc_provider_arn = \"{other}\""),
    );
    // The cluster's own provider, written out, plans as before.
    let ws = Workspace::new(cli, &config(&cluster, &irsa_with(&provider_arn(&issuer))));
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        !plan.text().contains("is not the cluster's"),
        "{}",
        plan.text()
    );
}

fn session_tags_turned_off_out_of_band(cli: Cli) {
    let (cluster, _) = cluster("tags-off", cli, false, true);
    let ws = Workspace::new(
        cli,
        &config(
            &cluster,
            "  namespace       = \"payments\"\n  service_account = \"api\"\n",
        ),
    );
    ws.init();
    ws.apply();
    let id = ws.outputs()["association_id"]["value"]
        .as_str()
        .expect("association id")
        .to_owned();
    assert!(!fixtures::disable_session_tags(&cluster, &id));

    // Someone turns session tags off: the trust policy's aws:RequestTag
    // conditions now refuse every pod.
    fixtures::set_disable_session_tags(&cluster, &id, true);
    assert!(
        ws.plan_has_changes(),
        "disableSessionTags = true must show in plan"
    );
    ws.apply();
    assert!(
        !fixtures::disable_session_tags(&cluster, &id),
        "apply turns session tags back on, on the same association"
    );
    ws.assert_no_changes("plan must be empty once session tags are on again");
    ws.destroy();
}

both_clis!(
    irsa_with_another_clusters_provider,
    session_tags_turned_off_out_of_band
);
