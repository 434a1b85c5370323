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
            ],
            computed_only: 8,
            inputs: 15,
        },
        Expected {
            type_name: "eksrole_team_access",
            force_new: &["cluster_name", "name", "role_name", "role_path"],
            sets: &[
                "principal_arns",
                "access_policy_arns",
                "namespaces",
                "kubernetes_groups",
            ],
            optional_computed: &[
                "require_mfa",
                "kubernetes_username",
                "max_session_duration",
                "role_name",
                "role_path",
            ],
            computed_only: 8,
            // 17 attributes and the `ci_oidc` block.
            inputs: 18,
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
            ],
            computed_only: 9,
            inputs: 15,
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
