use super::*;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_typo_gets_the_closest_name() {
    let existing = names(&["platform-prod", "platform-staging"]);
    let hint = hint("platform-prd", Some(&existing), "eu-west-1");
    assert!(hint.starts_with("Did you mean `platform-prod`?"), "{hint}");
}

#[test]
fn without_a_close_name_the_few_clusters_are_named() {
    let existing = names(&["b", "a", "c", "d", "e", "f", "g"]);
    assert_eq!(
        hint("production", Some(&existing), "eu-west-1"),
        "The clusters in eu-west-1 are `a`, `b`, `c`, `d`, `e` and 2 more. Check `cluster_name` and the provider's region."
    );
    assert_eq!(
        hint("production", Some(&[]), "eu-west-1"),
        "eu-west-1 has no EKS clusters at all: check the provider's region."
    );
    assert_eq!(
        hint("production", None, "eu-west-1"),
        "Check `cluster_name` and the provider's region."
    );
}
