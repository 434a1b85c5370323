//! Tests of the tag rules, the tag merge and the ownership tags.

use super::*;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn keys_and_values() {
    assert!(validate_tag_key("team").is_ok());
    assert!(validate_tag_key("cost center:ü/x=y+z-@_.").is_ok());
    assert!(validate_tag_key("aws:owner").is_err());
    assert!(validate_tag_key("AWS:owner").is_err());
    assert!(validate_tag_key("").is_err());
    assert!(validate_tag_key(&"k".repeat(129)).is_err());
    assert!(validate_tag_key("bad*key").is_err());
    assert!(validate_tag_key("tab\tkey").is_err());
    assert!(validate_tag_value("").is_ok());
    assert!(validate_tag_value(&"v".repeat(256)).is_ok());
    assert!(validate_tag_value(&"v".repeat(257)).is_err());
    assert!(validate_tag_value("a,b").is_err());
}

#[test]
fn user_tag_problems_have_exact_paths() {
    let tags = map(&[
        ("eksrole:x", "1"),
        ("ok", "bad*"),
        ("Team", "a"),
        ("team", "b"),
        ("aws:y", ""),
    ]);
    let problems = validate_user_tags("tags", &tags);
    let paths: Vec<(Vec<String>, String)> = problems
        .iter()
        .map(|p| (p.path.clone(), p.summary.clone()))
        .collect();
    let want = |k: &str, s: &str| (vec!["tags".to_owned(), k.to_owned()], s.to_owned());
    assert!(
        paths.contains(&want("eksrole:x", "Reserved tag key")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&want("ok", "Invalid tag value")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&want("team", "Duplicate tag key")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&want("aws:y", "Invalid tag key")),
        "{paths:?}"
    );
    assert_eq!(problems.len(), 4);
    let upper = validate_user_tags("default_tags", &map(&[("EKSROLE:Owner", "me")]));
    assert_eq!(upper[0].path, vec!["default_tags", "EKSROLE:Owner"]);
}

#[test]
fn merge_precedence_ignores_case() {
    let defaults = map(&[("Team", "platform"), ("env", "prod")]);
    let user = map(&[("team", "payments"), ("app", "api")]);
    let owner = map(&[("eksrole:managed-by", MANAGED_BY)]);
    let merged = merge_tags(&defaults, &user, &owner);
    assert_eq!(
        merged,
        map(&[
            ("app", "api"),
            ("eksrole:managed-by", MANAGED_BY),
            ("env", "prod"),
            ("team", "payments")
        ])
    );
}

#[test]
fn ownership_tags_and_owned_by() {
    let wi = Owner::WorkloadIdentity {
        cluster: "prod",
        namespace: "payments",
        service_account: "api",
    };
    let tags = wi.ownership_tags();
    assert_eq!(
        tags,
        map(&[
            ("eksrole:cluster", "prod"),
            ("eksrole:intent", "workload-identity"),
            ("eksrole:managed-by", MANAGED_BY),
            ("eksrole:namespace", "payments"),
            ("eksrole:service-account", "api"),
        ])
    );
    let mut with_user_tags = tags.clone();
    with_user_tags.insert("team".into(), "payments".into());
    assert!(owned_by(&with_user_tags, &wi));
    let other_sa = Owner::WorkloadIdentity {
        cluster: "prod",
        namespace: "payments",
        service_account: "worker",
    };
    assert!(!owned_by(&tags, &other_sa));
    let team = Owner::TeamAccess {
        cluster: "prod",
        name: "payments",
    };
    let glass = Owner::BreakGlass {
        cluster: "prod",
        name: "payments",
    };
    assert_eq!(team.ownership_tags()["eksrole:intent"], "team-access");
    assert_eq!(team.ownership_tags()["eksrole:name"], "payments");
    assert_eq!(team.ownership_tags().len(), 4);
    assert!(owned_by(&team.ownership_tags(), &team));
    assert!(
        !owned_by(&team.ownership_tags(), &glass),
        "same name, other intent"
    );
    assert!(!owned_by(&BTreeMap::new(), &team));
    let mut foreign = team.ownership_tags();
    foreign.insert(MANAGED_BY_KEY.into(), "someone-else".into());
    assert!(!owned_by(&foreign, &team));
}

#[test]
fn tag_count() {
    let many: BTreeMap<String, String> =
        (0..51).map(|i| (format!("k{i}"), String::new())).collect();
    let e = check_tag_count(&many, 5).unwrap();
    assert_eq!(e.path, vec!["tags"]);
    assert!(e.detail.contains("51"));
    let fifty: BTreeMap<String, String> =
        (0..50).map(|i| (format!("k{i}"), String::new())).collect();
    assert!(check_tag_count(&fifty, 5).is_none());
}

#[test]
fn differing_names_only_missing_or_changed_tags() {
    let observed = map(&[("a", "1"), ("b", "old"), ("other", "x")]);
    let wanted = map(&[("a", "1"), ("b", "new"), ("c", "3")]);
    assert_eq!(
        differing(&observed, &wanted),
        map(&[("b", "new"), ("c", "3")])
    );
    assert!(differing(&wanted, &wanted).is_empty());
}

#[test]
fn carried_by_both_keeps_the_tags_the_other_object_has_too() {
    let role = map(&[("a", "1"), ("b", "2"), ("c", "3")]);
    assert_eq!(carried_by_both(&role, None), role);
    let other = map(&[("a", "1"), ("b", "changed"), ("x", "9")]);
    assert_eq!(carried_by_both(&role, Some(&other)), map(&[("a", "1")]));
}

#[test]
fn intent_id_reads_the_ownership_tags_back() {
    let wi = Owner::WorkloadIdentity {
        cluster: "prod",
        namespace: "shop",
        service_account: "api",
    };
    assert_eq!(
        intent_id(&wi.ownership_tags()).as_deref(),
        Some("workload-identity:prod/shop/api")
    );
    let team = Owner::TeamAccess {
        cluster: "prod",
        name: "devs",
    };
    let mut tags = team.ownership_tags();
    tags.insert("team".into(), "x".into());
    assert_eq!(intent_id(&tags).as_deref(), Some("team-access:prod/devs"));
    let glass = Owner::BreakGlass {
        cluster: "prod",
        name: "oncall",
    };
    assert_eq!(
        intent_id(&glass.ownership_tags()).as_deref(),
        Some("break-glass:prod/oncall")
    );
    // Another tool's tags, a missing key or an unknown intent name nothing.
    assert_eq!(intent_id(&map(&[("owner", "x")])), None);
    let mut partial = team.ownership_tags();
    partial.remove(NAME_KEY);
    assert_eq!(intent_id(&partial), None);
    let mut other = team.ownership_tags();
    other.insert(MANAGED_BY_KEY.into(), "someone-else".into());
    assert_eq!(intent_id(&other), None);
    let mut unknown = team.ownership_tags();
    unknown.insert(INTENT_KEY.into(), "future-intent".into());
    assert_eq!(intent_id(&unknown), None);
}
