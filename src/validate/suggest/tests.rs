use super::*;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn edit_distance_counts_insertions_deletions_and_substitutions() {
    assert_eq!(edit_distance("", ""), 0);
    assert_eq!(edit_distance("abc", ""), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("platform-prod", "platform-prod"), 0);
    assert_eq!(edit_distance("platfrom-prod", "platform-prod"), 2);
    assert_eq!(edit_distance("platform-prd", "platform-prod"), 1);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("é-x", "e-x"), 1);
}

#[test]
fn a_close_name_is_suggested_and_a_far_one_is_not() {
    let clusters = names(&["platform-staging", "platform-prod", "data"]);
    assert_eq!(closest("platform-prd", &clusters), Some("platform-prod"));
    assert_eq!(closest("platfrom-prod", &clusters), Some("platform-prod"));
    assert_eq!(closest("Platform-Prod", &clusters), Some("platform-prod"));
    // A one-character typo of a short name is still close.
    assert_eq!(closest("dta", &clusters), Some("data"));
    // Another name, not a typo.
    assert_eq!(closest("analytics", &clusters), None);
    assert_eq!(closest("prod", &clusters), None);
    assert_eq!(closest("anything", &[]), None);
}

#[test]
fn ties_go_to_the_first_name_in_sorted_order() {
    let clusters = names(&["prod-b", "prod-a"]);
    assert_eq!(closest("prod-c", &clusters), Some("prod-a"));
}
