//! Logging: a `tracing` subscriber that writes go-hclog JSON lines to stderr,
//! which the Terraform and OpenTofu CLIs parse and show under `TF_LOG` exactly
//! like a Go provider's logs:
//!
//! `{"@level":"debug","@message":"…","@module":"provider.terraform-provider-eksrole","@timestamp":"2026-11-23T09:00:00.000000Z","field":…}`
//!
//! The rest of the crate just uses `tracing::{trace!, debug!, info!, warn!, error!}`
//! with structured fields; every field becomes a JSON key.
//!
//! **Never pass credentials as fields or in messages**: no access keys, secret
//! keys, session tokens, passwords, external IDs, policy documents or whole
//! request/response bodies that carry them. The CLI copies these lines into its
//! own log files (`TF_LOG_PATH`), which users paste into bug reports.
//!
//! Other crates' events are screened, at every level, because their authors
//! decide what they carry: at `trace` the AWS SDK logs whole HTTP requests and
//! responses (a `GetRole` answer holds the trust policy with its external ID, a
//! signed request holds the session token) and resolved credentials. A text
//! field of another crate's event is written only when its name is one of
//! [`FOREIGN_TEXT_FIELDS`] and its text holds none of [`SECRET_MARKERS`];
//! otherwise its value is replaced by [`WITHHELD`]. Numbers and booleans are
//! written as they are.
//!
//! The level comes from `TF_LOG_PROVIDER`, else `TF_LOG` (like
//! terraform-plugin-log). Below `trace`, the chatty dependency crates (AWS SDK,
//! hyper, h2, rustls, tonic, tower) are held to `info` and above, so a
//! `TF_LOG=debug` log shows our own decisions, not every HTTP frame.
//! Nothing here touches stdout: stdout belongs to the handshake line.

use std::fmt::Write as _;
use std::io::Write as _;

use serde_json::{Map, Value};
use time::format_description::FormatItem;
use time::macros::format_description;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

/// The `@module` every line carries; the CLI prefixes provider logs with it.
pub const MODULE: &str = "provider.terraform-provider-eksrole";

/// go-hclog writes microseconds: RFC 3339 with exactly six fractional digits.
const TIMESTAMP_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// Targets (crate names, as prefixes) whose debug and trace events would
/// drown ours; they are let through only at `trace`.
const NOISY_TARGET_PREFIXES: &[&str] = &[
    "aws_",
    "hyper",
    "h2",
    "rustls",
    "tokio_rustls",
    "tonic",
    "tower",
];

/// Targets (as prefixes) of this crate's own events, library and binary: they
/// are written whole, since our code never logs a secret.
const OWN_TARGET_PREFIXES: &[&str] = &["eksrole", "terraform_provider_eksrole"];

/// The text fields of another crate's event that may be written: messages,
/// errors and the identifiers HTTP/2 and the SDK's credential chain log. Any
/// other text field (`request`, `response`, `output_or_error`, `identity`,
/// `creds`, `params`, `canonical_request`, …) may hold a body, a header or a
/// credential and is withheld.
pub const FOREIGN_TEXT_FIELDS: &[&str] = &[
    "message",
    "err",
    "error",
    "context",
    "provider",
    "profile",
    "path",
    "region",
    "scheme_id",
    "request_id",
    "id",
    "stream.id",
    "reason",
    "initiator",
    "frame",
    "state",
    "connection.state",
    "kind",
    "status",
    "code",
    "delay",
    "attempt",
];

/// Text (compared case-insensitively) that betrays an HTTP message, a body or
/// a credential in another crate's message or field: the `Debug` forms of the
/// SDK's bodies and of HTTP requests and responses, the headers that carry a
/// signature or a session token, and the names of secret-bearing values.
pub const SECRET_MARKERS: &[&str] = &[
    "sdkbody",
    "body:",
    "authorization",
    "x-amz-security-token",
    "signature",
    "secret",
    "token",
    "password",
    "policydocument",
    "policy_document",
    "externalid",
    "external_id",
];

/// What a withheld value of another crate's event is replaced with.
pub const WITHHELD: &str = "(withheld: may hold secrets)";

/// The most verbose level to emit, from the CLI's environment variables:
/// `TF_LOG_PROVIDER` wins over `TF_LOG`. Values are case-insensitive
/// `trace`/`debug`/`info`/`warn`/`error`; `json` means trace (Terraform's
/// JSON log mode). Unset, empty or `off` gives `warn`: the CLI discards
/// plugin lines then anyway, and warnings and errors cost nothing. Any other
/// value gives `trace`, which is what the Terraform CLI itself does with an
/// unknown `TF_LOG` value.
pub fn level_from_env(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> Level {
    let chosen = [tf_log_provider, tf_log]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|value| !value.is_empty());
    match chosen.map(str::to_ascii_lowercase).as_deref() {
        None | Some("off") => Level::WARN,
        Some("error") => Level::ERROR,
        Some("warn") => Level::WARN,
        Some("info") => Level::INFO,
        Some("debug") => Level::DEBUG,
        _ => Level::TRACE,
    }
}

/// Installs the hclog JSON subscriber as the process-wide default, with the
/// level from the environment. Cheap (no I/O); a second call is a no-op.
pub fn init() {
    let tf_log_provider = std::env::var("TF_LOG_PROVIDER").ok();
    let tf_log = std::env::var("TF_LOG").ok();
    let level = level_from_env(tf_log_provider.as_deref(), tf_log.as_deref());
    let subscriber = tracing_subscriber::registry().with(HclogLayer::new(level));
    // Fails only if a subscriber is already installed (a test harness, say);
    // keeping the existing one is right then.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// A [`Layer`] that filters by level and target and writes each event as one
/// hclog JSON line on stderr.
#[derive(Debug, Clone)]
pub struct HclogLayer {
    level: Level,
}

impl HclogLayer {
    /// A layer emitting events at `level` and more severe.
    pub fn new(level: Level) -> Self {
        Self { level }
    }

    fn wants(&self, metadata: &Metadata<'_>) -> bool {
        let level = *metadata.level();
        if level > self.level {
            return false;
        }
        // Spans are never written, but must be enabled for events inside them
        // to be seen; they are cheap with the bare registry.
        if metadata.is_span() || self.level == Level::TRACE || level <= Level::INFO {
            return true;
        }
        let target = metadata.target();
        !NOISY_TARGET_PREFIXES
            .iter()
            .any(|prefix| target.starts_with(prefix))
    }
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        self.wants(metadata)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::from_level(self.level))
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = format_line(event.metadata(), |visitor| event.record(visitor));
        // One write per line: stderr is unbuffered, and a single write keeps
        // lines from concurrent tasks whole.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Formats one hclog JSON line (with its trailing newline) for an event whose
/// fields `record` feeds to the visitor. Public for tests.
pub fn format_line(metadata: &Metadata<'_>, record: impl FnOnce(&mut dyn Visit)) -> String {
    let mut visitor = JsonFields {
        foreign: !is_own_target(metadata.target()),
        ..JsonFields::default()
    };
    record(&mut visitor);
    let mut object = Map::new();
    object.insert("@level".into(), Value::from(level_name(*metadata.level())));
    object.insert("@message".into(), Value::from(visitor.message));
    object.insert("@module".into(), Value::from(MODULE));
    object.insert("@timestamp".into(), Value::from(timestamp_now()));
    for (key, value) in visitor.fields {
        // A field may not overwrite the four keys the CLI relies on.
        if !key.starts_with('@') {
            object.insert(key, value);
        }
    }
    let mut line = Value::Object(object).to_string();
    line.push('\n');
    line
}

/// Whether `target` is one of this crate's own.
fn is_own_target(target: &str) -> bool {
    OWN_TARGET_PREFIXES
        .iter()
        .any(|prefix| target.starts_with(prefix))
}

/// Another crate's text field as it may be written: itself when its name is
/// in [`FOREIGN_TEXT_FIELDS`] and it holds no [`SECRET_MARKERS`], else
/// [`WITHHELD`].
pub fn screen_foreign_text(field: &str, text: String) -> String {
    let lower = text.to_ascii_lowercase();
    let safe = FOREIGN_TEXT_FIELDS.contains(&field)
        && !SECRET_MARKERS.iter().any(|marker| lower.contains(marker));
    if safe {
        text
    } else {
        WITHHELD.to_owned()
    }
}

/// The current UTC time as hclog writes it, e.g. `2026-11-23T09:00:00.000000Z`.
pub fn timestamp_now() -> String {
    format_timestamp(time::OffsetDateTime::now_utc())
}

/// Formats `at` (converted to UTC) with exactly six fractional digits.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    // Formatting with a static description into a String cannot fail for
    // years 0..=9999; fall back to the Unix seconds rather than panic.
    utc.format(TIMESTAMP_FORMAT)
        .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// Collects an event's fields: `message` becomes `@message`, the rest keep
/// their names, with numbers and booleans as JSON numbers and booleans. Text
/// of another crate's event (`foreign`) is screened first.
#[derive(Default)]
struct JsonFields {
    foreign: bool,
    message: String,
    fields: Vec<(String, Value)>,
}

impl JsonFields {
    fn put(&mut self, field: &Field, value: Value) {
        let value = match value {
            Value::String(text) if self.foreign => {
                Value::from(screen_foreign_text(field.name(), text))
            }
            other => other,
        };
        if field.name() == "message" {
            match value {
                Value::String(text) => self.message = text,
                other => self.message = other.to_string(),
            }
        } else {
            self.fields.push((field.name().to_string(), value));
        }
    }
}

impl Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        self.put(field, Value::from(text));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::from(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        // The whole source chain: "connect failed: connection refused".
        let mut text = value.to_string();
        let mut source = value.source();
        while let Some(cause) = source {
            let _ = write!(text, ": {cause}");
            source = cause.source();
        }
        self.put(field, Value::from(text));
    }
}

#[cfg(test)]
mod tests;
