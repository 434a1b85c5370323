//! Acceptance tests of ownership at apply, under both CLIs against the
//! testbed: apply never changes or deletes an existing object that does not
//! carry the intent's ownership tags and is not in the resource's state —
//! with plan-time checks off, and when the object appears between
//! `plan -out` and `apply` — and an IRSA intent leaves an add-on's Pod
//! Identity association alone. `terraform import` is the one way to take an
//! object over: the next apply adds the ownership tags (to roles, Pod
//! Identity associations and access entries).

mod support;

use std::collections::BTreeMap;

use aws_sdk_eks::types::AddonPodIdentityAssociations;
use support::fixtures::{self, aws, ClusterSpec};
use support::{Cli, Workspace};

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn cluster(tag: &str, cli: Cli, oidc: bool, agent: bool) -> String {
    let name = fixtures::unique(&format!("{tag}-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: name.clone(),
        mode: "API",
        oidc_registered: oidc,
        pod_identity_agent: agent,
    });
    name
}

/// A workspace whose provider has plan-time checks off.
fn checks_off(cli: Cli, resources: &str) -> Workspace {
    let config = format!(
        "{}\n{resources}",
        support::provider_block("  plan_time_checks = false\n")
    );
    Workspace::new(cli, &config)
}

/// A role someone else made: a plain trust policy and AdministratorAccess.
fn foreign_admin_role(name: &str) -> String {
    let arn = fixtures::create_role(name);
    let a = aws();
    a.rt.block_on(async {
        a.iam
            .attach_role_policy()
            .role_name(name)
            .policy_arn(ADMIN)
            .send()
            .await
            .expect("attach AdministratorAccess");
    });
    arn
}

fn role_tags(name: &str) -> BTreeMap<String, String> {
    let a = aws();
    a.rt.block_on(async {
        let out = a
            .iam
            .list_role_tags()
            .role_name(name)
            .send()
            .await
            .expect("list role tags");
        out.tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect()
    })
}

/// Asserts that the foreign role is exactly as it was made.
fn assert_untouched(name: &str, trust_before: &serde_json::Value) {
    assert!(fixtures::role_exists(name), "the role {name} was deleted");
    assert_eq!(
        &fixtures::trust_policy(name),
        trust_before,
        "the trust policy of {name} was changed"
    );
    assert_eq!(
        fixtures::attached_policies(name),
        vec![ADMIN.to_owned()],
        "the policies of {name} were changed"
    );
    assert!(
        role_tags(name).keys().all(|k| !k.starts_with("eksrole:")),
        "{name} was tagged"
    );
}

/// The CLI's output with every run of whitespace one space (the CLIs wrap
/// diagnostic details).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the CLI says a diagnostic on `mechanism` is: "on main.tf line N".
fn mechanism_line(ws: &Workspace) -> String {
    let main = std::fs::read_to_string(ws.dir.path().join("main.tf")).expect("main.tf");
    let line = main
        .lines()
        .position(|l| l.trim_start().starts_with("mechanism"))
        .expect("a mechanism line");
    format!("on main.tf line {}", line + 1)
}

fn assert_state_empty(ws: &Workspace) {
    let state = ws.run(&["state", "list", "-no-color"]);
    assert!(
        !state.ok || state.stdout.trim().is_empty(),
        "the foreign object may not enter the state:\n{}",
        state.stdout
    );
}

/// Plan-time checks off, `role_name` naming a role eksrole did not create:
/// apply fails on `role_name` with the exact import ID and changes nothing;
/// destroy then leaves the role alone.
fn unowned_role_with_checks_off(cli: Cli) {
    let cluster = cluster("own-off", cli, false, true);
    let role = fixtures::unique(&format!("foreign-admin-{cli:?}").to_lowercase());
    foreign_admin_role(&role);
    let trust = fixtures::trust_policy(&role);
    let ws = checks_off(
        cli,
        &format!(
            "resource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"payments\"\n  service_account = \"api\"\n  role_name       = \"{role}\"\n}}\n"
        ),
    );
    ws.init();
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let text = run.text();
    assert!(!run.ok, "apply must fail:\n{text}");
    assert!(text.contains("Role name already taken"), "{text}");
    assert!(text.contains("role_name       ="), "on role_name:\n{text}");
    assert!(
        flat(&text).contains(&format!(
            "terraform import eksrole_workload_identity.<name> {cluster}/payments/api/{role}"
        )),
        "the exact import ID:\n{text}"
    );
    assert!(!text.contains("delete the"), "{text}");
    assert_untouched(&role, &trust);
    assert_state_empty(&ws);
    ws.destroy();
    assert_untouched(&role, &trust);
}

/// The role appears between `plan -out` and `apply` (plan-time checks off,
/// so nothing but apply can notice; with them on, Terraform's re-plan at
/// apply runs the plan-time check too): apply refuses it on `role_name` and
/// changes nothing.
fn role_created_between_plan_and_apply(cli: Cli) {
    let cluster = cluster("own-race", cli, false, false);
    let developer = fixtures::create_role(&fixtures::unique(
        &format!("own-dev-{cli:?}").to_lowercase(),
    ));
    let role = fixtures::unique(&format!("late-admin-{cli:?}").to_lowercase());
    let ws = checks_off(
        cli,
        &format!(
            "resource \"eksrole_team_access\" \"team\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"developers\"\n  principal_arns = [\"{developer}\"]\n  access_level   = \"view\"\n  role_name      = \"{role}\"\n}}\n"
        ),
    );
    ws.init();
    ws.ok(&["plan", "-input=false", "-no-color", "-out=tfplan"]);
    foreign_admin_role(&role);
    let trust = fixtures::trust_policy(&role);
    let run = ws.run(&["apply", "-input=false", "-no-color", "tfplan"]);
    let text = run.text();
    assert!(!run.ok, "apply must fail:\n{text}");
    assert!(text.contains("Role name already taken"), "{text}");
    assert!(text.contains("role_name      ="), "on role_name:\n{text}");
    assert!(
        flat(&text).contains(&format!(
            "terraform import eksrole_team_access.<name> {cluster}/developers/{role}"
        )),
        "the exact import ID:\n{text}"
    );
    assert_untouched(&role, &trust);
    let arn = format!("arn:aws:iam::000000000000:role/{role}");
    assert!(
        fixtures::access_entry(&cluster, &arn).is_none(),
        "no access entry may be created for the foreign role"
    );
    assert_state_empty(&ws);
}

fn create_association(cluster: &str, namespace: &str, sa: &str, role_arn: &str) {
    let a = aws();
    a.rt.block_on(async {
        a.eks
            .create_pod_identity_association()
            .cluster_name(cluster)
            .namespace(namespace)
            .service_account(sa)
            .role_arn(role_arn)
            .send()
            .await
            .expect("create association");
    });
}

/// An association for the same service account that eksrole did not create:
/// apply does not repoint it, fails on `service_account`, and destroy
/// removes the role it created but leaves the association.
fn unowned_association_is_not_repointed(cli: Cli) {
    let cluster = cluster("own-assoc", cli, false, true);
    let other = fixtures::create_role(&fixtures::unique(
        &format!("other-app-{cli:?}").to_lowercase(),
    ));
    create_association(&cluster, "payments", "api", &other);
    let ws = checks_off(
        cli,
        &format!(
            "resource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"payments\"\n  service_account = \"api\"\n}}\n"
        ),
    );
    ws.init();
    let run = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let text = run.text();
    assert!(!run.ok, "apply must fail:\n{text}");
    assert!(
        text.contains("Pod Identity association already exists"),
        "{text}"
    );
    assert!(
        text.contains("service_account = \"api\""),
        "on service_account:\n{text}"
    );
    assert!(
        flat(&text).contains(&format!(
            "terraform import eksrole_workload_identity.<name> {cluster}/payments/api"
        )),
        "the exact import ID:\n{text}"
    );
    let still = vec![("payments".to_owned(), "api".to_owned(), other.clone(), None)];
    assert_eq!(fixtures::associations(&cluster), still, "not repointed");
    ws.destroy();
    assert_eq!(fixtures::associations(&cluster), still, "not deleted");
    let created = format!("eks-{cluster}-payments-api");
    assert!(
        !fixtures::role_exists(&created),
        "destroy removes the role the failed apply created"
    );
}

/// An EKS add-on's association (`ownerArn`) for the service account of an
/// IRSA intent: the plan warns on `mechanism`, and neither apply nor destroy
/// deletes it.
fn addon_association_beside_irsa(cli: Cli) {
    let cluster = cluster("own-addon", cli, true, false);
    let addon_role = fixtures::create_role(&fixtures::unique(
        &format!("ebs-csi-{cli:?}").to_lowercase(),
    ));
    let a = aws();
    a.rt.block_on(async {
        let association = AddonPodIdentityAssociations::builder()
            .service_account("ebs-csi-controller-sa")
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
    let before = fixtures::associations(&cluster);
    assert_eq!(before.len(), 1);
    let resource = format!(
        "resource \"eksrole_workload_identity\" \"csi\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"kube-system\"\n  service_account = \"ebs-csi-controller-sa\"\n  mechanism       = \"irsa\"\n}}\n"
    );
    // The plan says, on `mechanism`, which association stays and why it matters.
    let checked = Workspace::new(cli, &format!("PROVIDER\n{resource}"));
    checked.init();
    let plan = checked.ok(&["plan", "-input=false", "-no-color"]).text();
    for expected in [
        "Pod Identity association left in place",
        &mechanism_line(&checked),
        "aws-ebs-csi-driver",
        "two identities",
    ] {
        assert!(
            flat(&plan).contains(expected),
            "expected {expected:?}:\n{plan}"
        );
    }
    let ws = checks_off(cli, &resource);
    ws.init();
    ws.apply();
    assert_eq!(
        fixtures::associations(&cluster),
        before,
        "apply must not delete the add-on's association"
    );
    ws.destroy();
    assert_eq!(
        fixtures::associations(&cluster),
        before,
        "destroy must not delete the add-on's association"
    );
}

/// An association for the service account that someone else created, beside
/// an IRSA intent (plan-time checks on): the plan warns on `mechanism`, apply
/// succeeds and leaves it, destroy leaves it.
fn unowned_association_beside_irsa(cli: Cli) {
    let cluster = cluster("own-irsa", cli, true, true);
    let other = fixtures::create_role(&fixtures::unique(
        &format!("other-irsa-{cli:?}").to_lowercase(),
    ));
    create_association(&cluster, "payments", "api", &other);
    let still = fixtures::associations(&cluster);
    let ws = Workspace::new(
        cli,
        &format!(
            "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"payments\"\n  service_account = \"api\"\n  mechanism       = \"irsa\"\n}}\n"
        ),
    );
    ws.init();
    let plan = ws.ok(&["plan", "-input=false", "-no-color"]).text();
    for expected in [
        "Pod Identity association left in place",
        &mechanism_line(&ws),
        &other,
    ] {
        assert!(
            flat(&plan).contains(expected),
            "expected {expected:?}:\n{plan}"
        );
    }
    ws.apply();
    assert_eq!(fixtures::associations(&cluster), still, "apply leaves it");
    ws.destroy();
    assert_eq!(fixtures::associations(&cluster), still, "destroy leaves it");
}

/// A role eksrole made, whose ownership tags someone removed, taken over by
/// `terraform import` (the explicit way): the next apply succeeds and adds
/// the tags back.
fn import_of_an_untagged_role_then_apply_adds_the_tags(cli: Cli) {
    let cluster = cluster("own-import", cli, false, true);
    let resource = format!(
        "resource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"payments\"\n  service_account = \"api\"\n}}\n"
    );
    let ws = Workspace::new(cli, &format!("PROVIDER\n{resource}"));
    ws.init();
    ws.apply();
    let role = format!("eks-{cluster}-payments-api");
    let owned: Vec<String> = role_tags(&role)
        .into_keys()
        .filter(|k| k.starts_with("eksrole:"))
        .collect();
    assert!(!owned.is_empty());
    ws.ok(&["state", "rm", "-no-color", "eksrole_workload_identity.app"]);
    let a = aws();
    a.rt.block_on(async {
        a.iam
            .untag_role()
            .role_name(&role)
            .set_tag_keys(Some(owned.clone()))
            .send()
            .await
            .expect("untag role");
    });
    ws.ok(&[
        "import",
        "-input=false",
        "-no-color",
        "eksrole_workload_identity.app",
        &format!("{cluster}/payments/api"),
    ]);
    ws.apply();
    let tags = role_tags(&role);
    assert!(
        owned.iter().all(|k| tags.contains_key(k)),
        "the apply after an import adds the ownership tags: {tags:?}"
    );
    ws.assert_no_changes("the plan after that apply is empty");
    ws.destroy();
    assert!(!fixtures::role_exists(&role));
}

/// The ownership tags (`eksrole:` keys) of a tag map.
fn ownership_keys(tags: &BTreeMap<String, String>) -> Vec<String> {
    tags.keys()
        .filter(|k| k.starts_with("eksrole:"))
        .cloned()
        .collect()
}

/// A Pod Identity association and an access entry without ownership tags
/// (as if made out of band; here: eksrole's, with the tags removed and the
/// resources dropped from state), taken over by `terraform import`: the next
/// apply adds the ownership tags to them too, leaving their other tags, and
/// the plan after that is empty.
fn import_of_an_untagged_association_and_entry_then_apply_adds_the_tags(cli: Cli) {
    let cluster = cluster("own-import-eks", cli, false, true);
    let developer = fixtures::create_role(&fixtures::unique(
        &format!("imp-dev-{cli:?}").to_lowercase(),
    ));
    let team_role = fixtures::unique(&format!("imp-team-{cli:?}").to_lowercase());
    let resources = format!(
        "resource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  namespace       = \"payments\"\n  service_account = \"api\"\n}}\n\
         resource \"eksrole_team_access\" \"team\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"developers\"\n  principal_arns = [\"{developer}\"]\n  access_level   = \"view\"\n  role_name      = \"{team_role}\"\n}}\n"
    );
    let ws = Workspace::new(cli, &format!("PROVIDER\n{resources}"));
    ws.init();
    ws.apply();
    let association = fixtures::association_arn(&cluster, "payments", "api");
    let team_role_arn = format!("arn:aws:iam::000000000000:role/{team_role}");
    let (_, _, _, entry) = fixtures::access_entry(&cluster, &team_role_arn).expect("access entry");
    let wanted_association = ownership_keys(&fixtures::eks_tags(&association));
    let wanted_entry = ownership_keys(&fixtures::eks_tags(&entry));
    assert!(!wanted_association.is_empty() && !wanted_entry.is_empty());
    ws.ok(&["state", "rm", "-no-color", "eksrole_workload_identity.app"]);
    ws.ok(&["state", "rm", "-no-color", "eksrole_team_access.team"]);
    fixtures::untag_eks(&association, &wanted_association);
    fixtures::untag_eks(&entry, &wanted_entry);
    let a = aws();
    a.rt.block_on(async {
        for arn in [&association, &entry] {
            a.eks
                .tag_resource()
                .resource_arn(arn.as_str())
                .tags("team", "payments")
                .send()
                .await
                .expect("tag out of band");
        }
    });
    assert!(ownership_keys(&fixtures::eks_tags(&association)).is_empty());
    assert!(ownership_keys(&fixtures::eks_tags(&entry)).is_empty());
    ws.ok(&[
        "import",
        "-input=false",
        "-no-color",
        "eksrole_workload_identity.app",
        &format!("{cluster}/payments/api"),
    ]);
    ws.ok(&[
        "import",
        "-input=false",
        "-no-color",
        "eksrole_team_access.team",
        &format!("{cluster}/developers/{team_role}"),
    ]);
    ws.apply();
    for (arn, wanted) in [(&association, &wanted_association), (&entry, &wanted_entry)] {
        let tags = fixtures::eks_tags(arn);
        assert_eq!(
            &ownership_keys(&tags),
            wanted,
            "the apply after an import adds the ownership tags to {arn}: {tags:?}"
        );
        assert_eq!(
            tags.get("team").map(String::as_str),
            Some("payments"),
            "other tags stay on {arn}: {tags:?}"
        );
    }
    ws.assert_no_changes("the plan after that apply is empty");
    ws.destroy();
    assert!(fixtures::associations(&cluster).is_empty());
    assert!(fixtures::access_entry(&cluster, &team_role_arn).is_none());
}

/// The state's role was deleted out of band and someone created another
/// role with that name: refresh does not take it for the state's, and
/// destroy leaves it (and its trust policy and policies) alone. (Checks off:
/// a destroy that runs plan-time checks is another matter.)
fn destroy_leaves_a_role_that_reused_the_name(cli: Cli) {
    let cluster = cluster("own-reuse", cli, false, false);
    let developer = fixtures::create_role(&fixtures::unique(
        &format!("reuse-dev-{cli:?}").to_lowercase(),
    ));
    let role = fixtures::unique(&format!("reused-{cli:?}").to_lowercase());
    let ws = checks_off(
        cli,
        &format!(
            "resource \"eksrole_team_access\" \"team\" {{\n  cluster_name   = \"{cluster}\"\n  name           = \"developers\"\n  principal_arns = [\"{developer}\"]\n  access_level   = \"view\"\n  role_name      = \"{role}\"\n}}\n"
        ),
    );
    ws.init();
    ws.apply();
    fixtures::delete_role(&role);
    foreign_admin_role(&role);
    let trust = fixtures::trust_policy(&role);
    ws.destroy();
    assert_untouched(&role, &trust);
}

both_clis!(
    destroy_leaves_a_role_that_reused_the_name,
    unowned_role_with_checks_off,
    role_created_between_plan_and_apply,
    unowned_association_is_not_repointed,
    addon_association_beside_irsa,
    unowned_association_beside_irsa,
    import_of_an_untagged_role_then_apply_adds_the_tags,
    import_of_an_untagged_association_and_entry_then_apply_adds_the_tags
);
