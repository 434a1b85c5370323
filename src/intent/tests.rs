//! Tests of what every intent shares: problems and the account check.

use super::*;

#[test]
fn error_display_names_the_path() {
    let e = IntentError::error(&["inline_policies", "s3"], "Bad", "Fix it.");
    assert_eq!(e.to_string(), "inline_policies.s3: Bad: Fix it.");
    assert!(!e.warning);
    let w = IntentError::warning(&[], "Hmm", "Maybe.");
    assert_eq!(w.to_string(), "(resource): Hmm: Maybe.");
    assert!(w.warning);
    assert!(!has_errors(std::slice::from_ref(&w)));
    assert!(has_errors(&[w, e]));
}

#[test]
fn account_checks() {
    let ok = Account {
        account_id: "123456789012".into(),
        partition: "aws".into(),
        region: "eu-west-1".into(),
    };
    assert!(check_account(&ok).is_empty());
    let bad = Account {
        account_id: "1234".into(),
        partition: "AWS".into(),
        region: "eu-west-1".into(),
    };
    let problems = check_account(&bad);
    assert_eq!(problems.len(), 2);
    assert!(problems.iter().all(|p| p.path.is_empty() && !p.warning));
}
