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

#[test]
fn validated_keeps_warnings_and_refuses_errors() {
    let warning = IntentError::warning(&["a"], "Hmm", "Maybe.");
    let error = IntentError::error(&["b"], "Bad", "Fix it.");
    let ok = Validated::check(1, vec![warning.clone()]).unwrap();
    assert_eq!(*ok.input(), 1);
    assert_eq!(*ok, 1, "derefs to the input");
    assert_eq!(ok.warnings(), std::slice::from_ref(&warning));
    assert_eq!(problems(Ok(ok.clone())), vec![warning.clone()]);
    assert_eq!(ok.into_input(), 1);
    let refused = Validated::check(1, vec![warning.clone(), error.clone()]);
    assert_eq!(refused.clone().unwrap_err(), vec![warning.clone(), error]);
    assert_eq!(problems(refused).len(), 2);
}

#[test]
fn env_defaults() {
    let account = Account {
        account_id: "123456789012".into(),
        partition: "aws".into(),
        region: "eu-west-1".into(),
    };
    let env = Env::new(account.clone());
    assert_eq!(env.account, account);
    assert!(env.default_tags.is_empty());
    assert_eq!(env.trust_policy_quota, 2048);
}
