//! Acceptance tests, under both CLIs against the testbed, of principal
//! roles entered through SAML federation: their sessions never carry
//! `aws:MultiFactorAuthPresent`, so the plan says so on `require_mfa` (a
//! warning for the default, an error for `require_mfa = true`, nothing for
//! `false`) and refuses them as break-glass principals (MFA always required).

mod support;

use support::fixtures::{self, ClusterSpec};
use support::{Cli, Workspace};

const SUMMARY: &str = "Federated principal cannot pass the MFA check";

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

fn team(cluster: &str, principal: &str, mfa: &str) -> String {
    format!(
        "PROVIDER\nresource \"eksrole_team_access\" \"team\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"okta-admins\"\n  \
         principal_arns = [\"{principal}\"]\n  access_level   = \"view\"\n{mfa}}}\n"
    )
}

fn saml_principal_role(cli: Cli) {
    let cluster = cluster("saml", cli);
    let tag = format!("{cli:?}").to_lowercase();
    let role = fixtures::create_saml_role(
        &fixtures::unique(&format!("okta-{tag}")),
        &fixtures::unique(&format!("okta-admins-{tag}")),
    );

    // The default: a warning on require_mfa that says what to do.
    let ws = Workspace::new(cli, &team(&cluster, &role, ""));
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    let text = plan.text();
    assert!(
        text.contains(&format!("Warning: {SUMMARY}")) && text.contains("require_mfa = false"),
        "the default must warn:\n{text}"
    );

    // Asked for explicitly: an error on the line that asks.
    support::assert_plan_fails(
        cli,
        &team(&cluster, &role, "  require_mfa    = true\n"),
        &format!("Error: {SUMMARY}"),
        "require_mfa    = true",
    );

    // MFA left to the identity provider: no diagnostic, and the role is created.
    ws.write(&team(&cluster, &role, "  require_mfa    = false\n"));
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]);
    assert!(
        !plan.text().contains(SUMMARY),
        "require_mfa = false is what the warning asks for:\n{}",
        plan.text()
    );
    ws.apply();
    ws.destroy();

    // Break-glass always requires MFA: such a principal could never break glass.
    support::assert_plan_fails(
        cli,
        &format!(
            "PROVIDER\nresource \"eksrole_break_glass\" \"glass\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"oncall\"\n  \
             principal_arns = [\"{role}\"]\n  not_after      = \"2099-01-01T00:00:00Z\"\n}}\n"
        ),
        "Error: Federated principal cannot break glass",
        &format!("principal_arns = [\"{role}\"]"),
    );
}

both_clis!(saml_principal_role);
