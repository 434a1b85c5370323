//! Tests of the hclog logger: level selection from the environment, the
//! timestamp format, which targets need trace, one event as one JSON line, and
//! the screening of other crates' text for bodies and credentials.

use super::*;

#[test]
fn level_prefers_tf_log_provider_and_defaults_to_warn() {
    assert_eq!(level_from_env(None, None), Level::WARN);
    assert_eq!(level_from_env(Some(""), Some("  ")), Level::WARN);
    assert_eq!(level_from_env(None, Some("OFF")), Level::WARN);
    assert_eq!(level_from_env(Some("debug"), Some("trace")), Level::DEBUG);
    assert_eq!(level_from_env(None, Some("INFO")), Level::INFO);
    assert_eq!(level_from_env(None, Some("Error")), Level::ERROR);
    assert_eq!(level_from_env(None, Some("warn")), Level::WARN);
    assert_eq!(level_from_env(None, Some("JSON")), Level::TRACE);
    assert_eq!(level_from_env(None, Some("trace")), Level::TRACE);
    assert_eq!(level_from_env(None, Some("1")), Level::TRACE);
    assert_eq!(level_from_env(Some(""), Some("debug")), Level::DEBUG);
}

#[test]
fn timestamp_has_six_fractional_digits_in_utc() {
    let at = time::macros::datetime!(2026-11-23 10:00:00.5 +01:00);
    assert_eq!(format_timestamp(at), "2026-11-23T09:00:00.500000Z");
    let now = timestamp_now();
    assert_eq!(now.len(), "2026-11-23T09:00:00.000000Z".len(), "{now}");
    assert!(now.ends_with('Z'));
}

#[test]
fn noisy_targets_need_trace() {
    let debug = HclogLayer::new(Level::DEBUG);
    let trace = HclogLayer::new(Level::TRACE);
    let hyper_debug = debug_event_from("hyper_util::client");
    let ours_debug = debug_event_from("eksrole::provider");
    assert!(!debug.wants(&hyper_debug));
    assert!(trace.wants(&hyper_debug));
    assert!(debug.wants(&ours_debug));
    assert!(!HclogLayer::new(Level::INFO).wants(&ours_debug));
}

/// The metadata of a debug event emitted from `target`.
fn debug_event_from(target: &'static str) -> Metadata<'static> {
    tracing::Metadata::new(
        "event",
        target,
        Level::DEBUG,
        None,
        None,
        None,
        tracing::field::FieldSet::new(&[], tracing::callsite::Identifier(&CALLSITE)),
        tracing::metadata::Kind::EVENT,
    )
}

struct TestCallsite;
static CALLSITE: TestCallsite = TestCallsite;
impl tracing::callsite::Callsite for TestCallsite {
    fn set_interest(&self, _: tracing::subscriber::Interest) {}
    fn metadata(&self) -> &Metadata<'_> {
        unimplemented!("only the identifier is used")
    }
}

#[test]
fn event_becomes_one_hclog_json_line() {
    let line = capture_line();
    assert!(line.ends_with('\n'));
    let parsed: Value = serde_json::from_str(line.trim_end()).expect("valid JSON");
    assert_eq!(parsed["@level"], "info");
    assert_eq!(parsed["@message"], "configured");
    assert_eq!(parsed["@module"], MODULE);
    assert_eq!(parsed["region"], "eu-west-1");
    assert_eq!(parsed["attempts"], 3);
    assert_eq!(parsed["live_checks"], true);
    assert!(parsed["@timestamp"].as_str().is_some_and(|t| t.len() == 27));
}

/// Runs a real `info!` through a scoped subscriber that captures the line.
fn capture_line() -> String {
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<String>>>);
    impl<S: Subscriber> Layer<S> for Capture {
        fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
            let line = format_line(event.metadata(), |visitor| event.record(visitor));
            if let Ok(mut lines) = self.0.lock() {
                lines.push(line);
            }
        }
    }

    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    tracing::subscriber::with_default(subscriber, || {
        tracing::info!(
            region = "eu-west-1",
            attempts = 3,
            live_checks = true,
            "configured"
        );
    });
    let lines = capture.0.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(lines.len(), 1);
    lines.into_iter().next().unwrap_or_default()
}

#[test]
fn other_crates_text_is_written_only_when_named_safe_and_free_of_markers() {
    let screen = |field: &str, text: &str| screen_foreign_text(field, text.to_owned());
    assert_eq!(
        screen("message", "beginning attempt #1"),
        "beginning attempt #1"
    );
    assert_eq!(screen("error", "dispatch failure"), "dispatch failure");
    for (field, text) in [
        ("response", "Response { status: 200 }"),
        ("request", "anything at all"),
        ("identity", "Identity { data: Credentials { .. } }"),
        (
            "message",
            "received Response { body: SdkBody { inner: Once(..) } }",
        ),
        (
            "message",
            "headers: {\"authorization\": \"AWS4-HMAC-SHA256 ...\"}",
        ),
        (
            "error",
            "AssumeRolePolicyDocument=%7B...sts%3AExternalId...",
        ),
        ("message", "x-amz-security-token:IQoJb3JpZ2lu"),
    ] {
        assert_eq!(screen(field, text), WITHHELD, "{field}: {text}");
    }
}

#[test]
fn only_other_crates_events_are_screened() {
    let line = |target: &'static str| {
        let metadata = debug_event_from(target);
        format_line(&metadata, |visitor| {
            let fields = tracing::field::FieldSet::new(
                &["message", "response", "attempts"],
                tracing::callsite::Identifier(&CALLSITE),
            );
            let mut names = fields.iter();
            let (message, response, attempts) = (
                names.next().unwrap(),
                names.next().unwrap(),
                names.next().unwrap(),
            );
            visitor.record_str(&message, "got it");
            visitor.record_str(&response, "Response { body: SdkBody }");
            visitor.record_u64(&attempts, 2);
        })
    };
    let foreign: Value = serde_json::from_str(&line("aws_smithy_runtime::client")).unwrap();
    assert_eq!(foreign["@message"], "got it");
    assert_eq!(foreign["response"], WITHHELD);
    assert_eq!(foreign["attempts"], 2);
    let own: Value = serde_json::from_str(&line("eksrole::aws::call_log")).unwrap();
    assert_eq!(own["response"], "Response { body: SdkBody }");
}
