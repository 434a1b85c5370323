//! The panic hook: Go-style `panic: <message>` on stderr, then exit.
//!
//! The CLIs recognise a crashed plugin by a stderr line starting `panic: `
//! and a non-zero exit. Tokio catches panics inside tasks and would keep the
//! process alive in a half-working state, so the hook itself exits the
//! process (status 2, as Go does), after removing the plugin socket.

use std::backtrace::{Backtrace, BacktraceStatus};
use std::io::Write as _;
use std::panic::PanicHookInfo;

/// Installs the hook for the whole process.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let report = report(info, &Backtrace::capture());
        // One write: keep the report contiguous amid concurrent log lines.
        let _ = std::io::stderr().lock().write_all(report.as_bytes());
        super::serve::remove_socket_files();
        std::process::exit(2);
    }));
}

/// The text printed for a panic: `panic: <message>` and the location on the
/// first line, then the thread, then the backtrace when one was captured
/// (`RUST_BACKTRACE=1`).
pub fn report(info: &PanicHookInfo<'_>, backtrace: &Backtrace) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string panic payload)");
    let location = info
        .location()
        .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    let thread = std::thread::current();
    let thread_name = thread.name().unwrap_or("unnamed");
    let mut text = format!("panic: {message}{location}\n\nthread '{thread_name}' panicked; the provider crashed (this is a bug: please report it with this output)\n");
    if backtrace.status() == BacktraceStatus::Captured {
        text.push_str(&format!("\nbacktrace:\n{backtrace}\n"));
    }
    text
}
