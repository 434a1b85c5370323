//! Tests of shortening long quoted values in messages.

use super::*;

#[test]
fn short_quoted_values_and_plain_text_stay_whole() {
    let text = "\"payments-api\" is not valid: use \"/\" or \"/a/\"; Bool \"true\".";
    assert_eq!(shorten_quoted(text), text);
    let arn = format!(
        "{:?} is not a role ARN",
        format!("arn:aws:iam::123456789012:role/{}", "a".repeat(60))
    );
    assert_eq!(shorten_quoted(&arn), arn);
    assert_eq!(shorten_quoted("an \"unclosed quote"), "an \"unclosed quote");
    assert_eq!(shorten_quoted(""), "");
}

#[test]
fn a_long_value_is_cut_to_a_prefix_and_its_length() {
    let value = "x".repeat(10_000);
    let text =
        format!("{value:?} is not a valid IAM role name: it must be 1-64 characters and has 10000");
    let short = shorten_quoted(&text);
    assert_eq!(
        short,
        format!(
            "\"{}…\" (10000 characters) is not a valid IAM role name: it must be 1-64 characters and has 10000",
            "x".repeat(QUOTED_PREFIX)
        )
    );
    // Two long values, each cut; the text between them stays.
    let two = format!("{value:?} and {value:?}");
    assert_eq!(
        shorten_quoted(&two).matches("(10000 characters)").count(),
        2
    );
    assert!(shorten_quoted(&two).contains("characters) and \""));
}

#[test]
fn escapes_count_as_one_character_and_are_never_cut() {
    // 63 letters, then escapes across the cut.
    let value = format!("{}\"\n\u{1}{}", "a".repeat(63), "b".repeat(100));
    let short = shorten_quoted(&format!("{value:?}"));
    assert!(
        short.starts_with(&format!("\"{}\\\"…\"", "a".repeat(63))),
        "{short}"
    );
    assert!(
        short.ends_with(&format!("({} characters)", value.chars().count())),
        "{short}"
    );
}
