//! What every intent resource derives from its model: exact value round
//! trips, the attribute lists the plan rules read, and diagnostic paths.

use proptest::prelude::*;

use super::model::{BreakGlassModel, CiOidcModel, TeamAccessModel, WorkloadIdentityModel};
use super::*;
use crate::intent::IntentError;
use crate::tfplugin::model::testing::block_value;
use crate::tfplugin::model::Attr;
use crate::tfplugin::schema::Block;

fn block_of(type_name: &str) -> Block {
    all()
        .into_iter()
        .find(|r| r.type_name() == type_name)
        .map(|r| r.schema().block)
        .unwrap()
}

proptest! {
    #[test]
    fn workload_identity_round_trips(v in block_value(&WorkloadIdentityModel::block())) {
        prop_assert_eq!(WorkloadIdentityModel::from_value(&v).unwrap().to_value(), v);
    }

    #[test]
    fn team_access_round_trips(v in block_value(&TeamAccessModel::block())) {
        prop_assert_eq!(TeamAccessModel::from_value(&v).unwrap().to_value(), v);
    }

    #[test]
    fn break_glass_round_trips(v in block_value(&BreakGlassModel::block())) {
        prop_assert_eq!(BreakGlassModel::from_value(&v).unwrap().to_value(), v);
    }

    #[test]
    fn ci_oidc_round_trips(v in block_value(&CiOidcModel::block())) {
        prop_assert_eq!(CiOidcModel::from_value(&v).unwrap().to_value(), v);
    }
}

/// The lists each resource used to keep by hand, now derived from its model.
#[test]
fn attribute_lists_come_from_the_schema() {
    struct Expected {
        type_name: &'static str,
        force_new: &'static [&'static str],
        sets: &'static [&'static str],
        optional_computed: &'static [&'static str],
        computed_only: usize,
        inputs: usize,
    }
    let table = [
        Expected {
            type_name: "eksrole_workload_identity",
            force_new: &[
                "cluster_name",
                "namespace",
                "service_account",
                "role_name",
                "role_path",
            ],
            sets: &["policy_arns"],
            optional_computed: &[
                "mechanism",
                "role_name",
                "role_path",
                "max_session_duration",
                "oidc_provider_arn",
                "audience",
                "disable_session_tags",
            ],
            computed_only: 10,
            inputs: 17,
        },
        Expected {
            type_name: "eksrole_team_access",
            force_new: &[
                "cluster_name",
                "name",
                "create_role",
                "role_name",
                "role_path",
            ],
            sets: &[
                "principal_arns",
                "sso_permission_sets",
                "access_policy_arns",
                "namespaces",
                "kubernetes_groups",
            ],
            optional_computed: &[
                "create_role",
                "require_mfa",
                "kubernetes_username",
                "max_session_duration",
                "role_name",
                "role_path",
            ],
            computed_only: 9,
            // 19 attributes and the `ci_oidc` block.
            inputs: 20,
        },
        Expected {
            type_name: "eksrole_break_glass",
            force_new: &["cluster_name", "name", "role_name", "role_path"],
            sets: &["principal_arns", "namespaces"],
            optional_computed: &[
                "mfa_max_age_seconds",
                "max_session_duration",
                "require_source_identity",
                "access_level",
                "role_name",
                "role_path",
                "enabled",
            ],
            computed_only: 9,
            inputs: 16,
        },
    ];
    for e in table {
        let block = block_of(e.type_name);
        assert_eq!(block.force_new_names(), e.force_new, "{}", e.type_name);
        assert_eq!(block.set_names(), e.sets, "{}", e.type_name);
        assert_eq!(
            block.optional_computed_names(),
            e.optional_computed,
            "{}",
            e.type_name
        );
        assert_eq!(
            block.computed_only_names().len(),
            e.computed_only,
            "{}",
            e.type_name
        );
        assert_eq!(block.input_names().len(), e.inputs, "{}", e.type_name);
        let every = block.value_type_attribute_names().len();
        assert_eq!(every, e.inputs + e.computed_only, "{}", e.type_name);
    }
}

#[test]
fn only_external_id_is_sensitive() {
    for r in all() {
        let block = r.schema().block;
        let sensitive: Vec<&str> = block
            .attributes
            .iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name)
            .collect();
        let expected: &[&str] = if r.type_name() == "eksrole_team_access" {
            &["external_id"]
        } else {
            &[]
        };
        assert_eq!(sensitive, expected, "{}", r.type_name());
    }
}

#[test]
fn problem_paths_follow_the_schema() {
    let block = block_of("eksrole_team_access");
    let path_of = |steps: &[&str]| {
        let diags = values::intent_diagnostics(&[IntentError::error(steps, "s", "d")], &block);
        diags.0.into_iter().next().and_then(|d| d.path)
    };
    assert_eq!(
        path_of(&["principal_arns", "arn:aws:iam::1:role/x"]),
        Some(AttributePath::root("principal_arns")),
        "a set element points at the set"
    );
    assert_eq!(
        path_of(&["tags", "team"]),
        Some(AttributePath::root("tags").key("team")),
        "a map step is the key"
    );
    assert_eq!(
        path_of(&["ci_oidc", "audience"]),
        Some(AttributePath::root("ci_oidc").attr("audience")),
        "a step in a nested block is an attribute"
    );
    assert_eq!(
        path_of(&["ci_oidc", "subjects", "repo:a/b:*"]),
        Some(AttributePath::root("ci_oidc").attr("subjects")),
        "a set in a nested block is its element's address"
    );
    assert_eq!(path_of(&[]), None, "a problem of the whole resource");
}

#[test]
fn a_configured_optional_computed_value_is_planned_as_configured() {
    let block = block_of("eksrole_break_glass");
    let mut proposed = BreakGlassModel {
        cluster_name: Attr::Unknown,
        name: Attr::Known("n".into()),
        access_level: Attr::Known("view".into()),
        ..Default::default()
    };
    let planned =
        BreakGlassModel::from_value(&plan::planned_unknown(&block, &proposed.to_value())).unwrap();
    assert_eq!(planned.access_level, Attr::Known("view".into()));
    assert!(planned.role_name.is_unknown() && planned.role_arn.is_unknown());
    assert!(planned.namespaces.is_null(), "an optional input stays null");

    proposed.access_level = Attr::Null;
    let planned =
        BreakGlassModel::from_value(&plan::planned_unknown(&block, &proposed.to_value())).unwrap();
    assert!(
        planned.access_level.is_unknown(),
        "left unset: the default comes later"
    );
}

/// A configured provider that can make no AWS call: live checks off and
/// every endpoint a closed port.
async fn offline_provider() -> Configured {
    use crate::aws::clients::StaticCredentials;
    use crate::aws::{AwsClients, AwsSettings, Endpoints};
    let endpoint = Some("http://127.0.0.1:9".to_owned());
    let aws = AwsSettings {
        region: Some("us-east-1".into()),
        static_credentials: Some(StaticCredentials {
            access_key: "test".into(),
            secret_key: "test".into(),
            session_token: None,
        }),
        endpoints: Endpoints {
            iam: endpoint.clone(),
            sts: endpoint.clone(),
            eks: endpoint,
        },
        max_attempts: 1,
        ..AwsSettings::default()
    };
    let clients = AwsClients::connect(&aws).await.unwrap();
    let settings = crate::provider::config::ProviderSettings {
        aws,
        plan_time_checks: false,
        ..Default::default()
    };
    Configured::new(settings, clients, Default::default())
}

fn strings(items: &[Value]) -> Value {
    Value::Set(items.to_vec())
}

fn entries(items: &[(&str, Value)]) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

/// Each resource with null elements in its collections, and the paths the
/// errors must be on.
fn configs_with_null_elements() -> Vec<(&'static str, Value, Vec<AttributePath>)> {
    let arn = Value::from("arn:aws:iam::111122223333:role/dev");
    let workload = WorkloadIdentityModel {
        cluster_name: Attr::Known("c".into()),
        namespace: Attr::Known("ns".into()),
        service_account: Attr::Known("sa".into()),
        policy_arns: Attr::Partial(strings(&[
            "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            Value::Null,
        ])),
        tags: Attr::Partial(entries(&[("a", Value::Null)])),
        inline_policies: Attr::Partial(entries(&[("p", Value::Null)])),
        ..Default::default()
    };
    let team = TeamAccessModel {
        cluster_name: Attr::Known("c".into()),
        name: Attr::Known("devs".into()),
        access_level: Attr::Known("view".into()),
        ci_oidc: Attr::Known(CiOidcModel {
            provider_arn: Attr::Known(
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
                    .into(),
            ),
            subjects: Attr::Partial(strings(&[
                "repo:o/r:ref:refs/heads/main".into(),
                Value::Null,
            ])),
            ..Default::default()
        }),
        ..Default::default()
    };
    let glass = BreakGlassModel {
        cluster_name: Attr::Known("c".into()),
        name: Attr::Known("oncall".into()),
        principal_arns: Attr::Partial(strings(&[arn, Value::Null])),
        namespaces: Attr::Partial(strings(&[Value::Null])),
        ..Default::default()
    };
    vec![
        (
            "eksrole_workload_identity",
            workload.to_value(),
            vec![
                AttributePath::root("policy_arns"),
                AttributePath::root("inline_policies").key("p"),
                AttributePath::root("tags").key("a"),
            ],
        ),
        (
            "eksrole_team_access",
            team.to_value(),
            vec![AttributePath::root("ci_oidc").attr("subjects")],
        ),
        (
            "eksrole_break_glass",
            glass.to_value(),
            vec![
                AttributePath::root("principal_arns"),
                AttributePath::root("namespaces"),
            ],
        ),
    ]
}

fn error_paths(diags: &Diagnostics) -> Vec<AttributePath> {
    diags
        .iter()
        .filter(|d| d.summary.starts_with("Null element in `"))
        .filter_map(|d| d.path.clone())
        .collect()
}

#[test]
fn null_elements_are_refused_at_validate_on_their_attributes() {
    for (type_name, config, paths) in configs_with_null_elements() {
        let resource = all()
            .into_iter()
            .find(|r| r.type_name() == type_name)
            .unwrap();
        let diags = resource.validate(&config);
        assert_eq!(error_paths(&diags), paths, "{type_name}: {diags:?}");
        assert!(diags.has_errors());
    }
}

#[tokio::test]
async fn null_elements_are_refused_at_plan_and_nothing_is_planned() {
    let provider = offline_provider().await;
    for (type_name, config, paths) in configs_with_null_elements() {
        let resource = all()
            .into_iter()
            .find(|r| r.type_name() == type_name)
            .unwrap();
        let planned = resource
            .plan(&provider, &Value::Null, &[], &config, &config)
            .await;
        assert_eq!(error_paths(&planned.diagnostics), paths, "{type_name}");
        assert!(planned.state.is_null(), "{type_name}: nothing is planned");
    }
}

#[tokio::test]
async fn unknown_elements_are_not_refused() {
    let provider = offline_provider().await;
    let config = WorkloadIdentityModel {
        cluster_name: Attr::Known("c".into()),
        namespace: Attr::Known("ns".into()),
        service_account: Attr::Known("sa".into()),
        policy_arns: Attr::Partial(strings(&[Value::Unknown])),
        tags: Attr::Partial(entries(&[("a", Value::Unknown)])),
        ..Default::default()
    }
    .to_value();
    let resource = all()
        .into_iter()
        .find(|r| r.type_name() == "eksrole_workload_identity")
        .unwrap();
    assert!(!resource.validate(&config).has_errors());
    let planned = resource
        .plan(&provider, &Value::Null, &[], &config, &config)
        .await;
    assert!(
        !planned.diagnostics.has_errors(),
        "{:?}",
        planned.diagnostics
    );
    assert!(
        planned.state.attr("role_arn").is_unknown(),
        "plan waits for the unknown elements"
    );
}

#[test]
fn the_deferred_checks_warning_sits_on_the_first_unknown_input() {
    let path = |d: &Diagnostic| d.path.as_ref().map(ToString::to_string);
    let one = checks_deferred_warning(&["namespace"]);
    let two = checks_deferred_warning(&["cluster_name", "namespace"]);
    assert_eq!(path(&one).as_deref(), Some("namespace"));
    assert_eq!(path(&two).as_deref(), Some("cluster_name"));
    let expected = [
        (&one, "`namespace` is known only at apply"),
        (&two, "`cluster_name`, `namespace` are known only at apply"),
    ];
    for (warning, phrase) in expected {
        assert!(warning.detail.contains(phrase), "{phrase}: {warning:?}");
        assert!(warning
            .detail
            .contains("At apply, the static checks run again"));
    }
    assert!(checks_off_warning()
        .detail
        .contains("At apply, the static checks run again"));
}
