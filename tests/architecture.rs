//! Architecture invariants, checked by reading the source files as text (in
//! the style of rust-analyzer's "tidy" tests): each rule of the code map in
//! ARCHITECTURE.md that a grep can decide is a test here, and a failure names
//! the file, the line and the rule.
//!
//! The rules:
//! - only `src/aws/` names the AWS SDK crates;
//! - `src/intent/` (and `src/arn.rs`) does no I/O and no async;
//! - `src/tfplugin/` knows nothing of AWS or of the intents;
//! - only `src/plugin/` touches sockets and TLS;
//! - `src/provider/` reaches AWS only through `src/validate/` and
//!   `src/apply/` (it may name the AWS edge's types, never call it);
//! - only `src/aws/` matches AWS not-found error codes (it decides not-found
//!   once; everything above sees `Option`);
//! - no code file under `src/` has more than [`MAX_CODE_LINES`] lines before
//!   its first `#[cfg(test)]` (tests go in sibling files);
//! - no file in the repository cites the team's private design notes, which
//!   are not part of it (the facts live in `docs/design/`).
//!
//! How the text is read: comments are blanked before the code rules are
//! checked, so prose may name anything; the module-path rules also ignore
//! string literals, the not-found rule does not (the codes are strings). The
//! no-I/O rule for `src/intent/` skips test code (`#[cfg(test)]` items and
//! test-only module files), because golden-file tests read files. The
//! scanner's own helpers are tested at the end of this file.

use std::fs;
use std::path::{Path, PathBuf};

/// Lines of code allowed before a file's first `#[cfg(test)]`.
const MAX_CODE_LINES: usize = 700;

// ---------------------------------------------------------------------------
// Reading the repository

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Directories never scanned: build output, VCS data, installed tools, caches.
const SKIPPED_DIRS: &[&str] = &[
    "target",
    ".git",
    ".tools",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".venv",
    "venv",
];

/// Every file under `dir` (relative to the repository), sorted, as
/// `/`-separated relative paths.
fn files_under(dir: &str) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_str()) {
                    walk(root, &path, out);
                }
            } else if kind.is_file() {
                if let Ok(rel) = path.strip_prefix(root) {
                    let rel: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    out.push(rel.join("/"));
                }
            }
        }
    }
    let root = repo_root();
    let start = if dir == "." {
        root.clone()
    } else {
        root.join(dir)
    };
    let mut out = Vec::new();
    walk(&root, &start, &mut out);
    out.sort();
    out
}

fn rust_files_under(dir: &str) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.ends_with(".rs"))
        .collect()
}

/// A file's text, or `None` when it is not UTF-8 (binary fixtures, corpora).
fn read_text(rel: &str) -> Option<String> {
    fs::read(repo_root().join(rel))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
}

fn read_source(rel: &str) -> String {
    read_text(rel).unwrap_or_else(|| panic!("{rel}: not readable as UTF-8"))
}

// ---------------------------------------------------------------------------
// Lexing just enough Rust

/// One source line in two views: `code` has comments blanked (string
/// literals kept); `bare` also blanks the contents of string and char
/// literals, so only identifiers, paths and punctuation remain.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    code: String,
    bare: String,
}

/// Splits Rust source into lines with comments (line, block, nested block,
/// doc) blanked, and a second view with literal contents blanked too.
/// Columns are kept (blanked characters become spaces), so positions agree
/// with the original text.
fn lex_lines(src: &str) -> Vec<Line> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Code,
        LineComment,
        BlockComment(u32),
        Str,
        RawStr(usize),
    }
    let chars: Vec<char> = src.chars().collect();
    let mut lines = Vec::new();
    let (mut code, mut bare) = (String::new(), String::new());
    let mut state = State::Code;
    let mut i = 0;
    // Pushes `c` to both views, or a space where a view hides it.
    let push = |code: &mut String, bare: &mut String, c: char, in_code: bool, in_bare: bool| {
        code.push(if in_code { c } else { ' ' });
        bare.push(if in_bare { c } else { ' ' });
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            if state == State::LineComment {
                state = State::Code;
            }
            lines.push(Line {
                code: std::mem::take(&mut code),
                bare: std::mem::take(&mut bare),
            });
            i += 1;
            continue;
        }
        match state {
            State::Code => {
                let prev_ident = i > 0 && is_ident_char(chars[i - 1]);
                if c == '/' && next == Some('/') {
                    state = State::LineComment;
                    push(&mut code, &mut bare, c, false, false);
                } else if c == '/' && next == Some('*') {
                    state = State::BlockComment(1);
                    push(&mut code, &mut bare, c, false, false);
                    push(&mut code, &mut bare, '*', false, false);
                    i += 1;
                } else if c == '"' {
                    state = State::Str;
                    push(&mut code, &mut bare, c, true, true);
                } else if c == 'r' && !prev_ident && matches!(next, Some('"') | Some('#')) {
                    // A raw string `r"…"` / `r#"…"#` (also after a `b`).
                    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                    if chars.get(i + 1 + hashes) == Some(&'"') {
                        for k in 0..=hashes + 1 {
                            push(&mut code, &mut bare, chars[i + k], true, true);
                        }
                        i += hashes + 2;
                        state = State::RawStr(hashes);
                        continue;
                    }
                    push(&mut code, &mut bare, c, true, true);
                } else if c == '\'' {
                    // A char literal (`'x'`, `'\n'`, `'\u{1F600}'`) or a lifetime (`'a`).
                    let end = if next == Some('\\') {
                        chars[i + 2..]
                            .iter()
                            .position(|&e| e == '\'')
                            .map(|p| i + 2 + p)
                    } else if chars.get(i + 2) == Some(&'\'') {
                        Some(i + 2)
                    } else {
                        None
                    };
                    match end {
                        Some(end) => {
                            push(&mut code, &mut bare, c, true, true);
                            for &inner in &chars[i + 1..end] {
                                push(&mut code, &mut bare, inner, true, false);
                            }
                            push(&mut code, &mut bare, '\'', true, true);
                            i = end;
                        }
                        None => push(&mut code, &mut bare, c, true, true),
                    }
                } else {
                    push(&mut code, &mut bare, c, true, true);
                }
            }
            State::LineComment => push(&mut code, &mut bare, c, false, false),
            State::BlockComment(depth) => {
                if c == '*' && next == Some('/') {
                    state = if depth == 1 {
                        State::Code
                    } else {
                        State::BlockComment(depth - 1)
                    };
                    push(&mut code, &mut bare, c, false, false);
                    push(&mut code, &mut bare, '/', false, false);
                    i += 1;
                } else if c == '/' && next == Some('*') {
                    state = State::BlockComment(depth + 1);
                    push(&mut code, &mut bare, c, false, false);
                    push(&mut code, &mut bare, '*', false, false);
                    i += 1;
                } else {
                    push(&mut code, &mut bare, c, false, false);
                }
            }
            State::Str => {
                if c == '\\' && next.is_some_and(|n| n != '\n') {
                    push(&mut code, &mut bare, c, true, false);
                    push(&mut code, &mut bare, chars[i + 1], true, false);
                    i += 1;
                } else if c == '"' {
                    state = State::Code;
                    push(&mut code, &mut bare, c, true, true);
                } else {
                    push(&mut code, &mut bare, c, true, false);
                }
            }
            State::RawStr(hashes) => {
                let closes = c == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes;
                if closes {
                    for k in 0..=hashes {
                        push(&mut code, &mut bare, chars[i + k], true, true);
                    }
                    i += hashes;
                    state = State::Code;
                } else {
                    push(&mut code, &mut bare, c, true, false);
                }
            }
        }
        i += 1;
    }
    if !code.is_empty() {
        lines.push(Line { code, bare });
    }
    lines
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `needle` occurs in `hay` starting at an identifier boundary, and,
/// when `whole_word`, ending at one.
fn contains_token(hay: &str, needle: &str, whole_word: bool) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before_ok = !needle.starts_with(is_ident_char)
            || !hay[..at].chars().next_back().is_some_and(is_ident_char);
        let after_ok = !whole_word
            || !needle.ends_with(is_ident_char)
            || !hay[at + needle.len()..]
                .chars()
                .next()
                .is_some_and(is_ident_char);
        before_ok && after_ok
    })
}

/// Identifiers of a line, in order.
fn identifiers(text: &str) -> Vec<&str> {
    text.split(|c: char| !is_ident_char(c))
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
        .collect()
}

/// Identifiers used as module path segments: those next to a `::`, and every
/// identifier inside a `use` statement (whose groups `{a, b}` hide the `::`).
/// `in_use` carries an unfinished `use` statement over to the next line.
fn path_segments<'a>(bare: &'a str, in_use: &mut bool) -> Vec<&'a str> {
    let mut out = Vec::new();
    let words = identifiers(bare);
    if starts_use(&words) {
        *in_use = true;
    }
    if *in_use {
        out.extend(
            words
                .iter()
                .copied()
                .filter(|w| !matches!(*w, "use" | "pub" | "crate" | "as" | "self" | "super")),
        );
        if bare.contains(';') {
            *in_use = false;
        }
        return out;
    }
    let bytes = bare.as_bytes();
    let mut start = None;
    for (i, c) in bare
        .char_indices()
        .chain(std::iter::once((bare.len(), ' ')))
    {
        if is_ident_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let word = &bare[s..i];
            let before = bare[..s].trim_end().ends_with("::");
            let after = bytes.get(i..i + 2) == Some(b"::");
            if (before || after) && !word.starts_with(|c: char| c.is_ascii_digit()) {
                out.push(word);
            }
        }
    }
    out
}

/// Whether a line's words start a `use` item: `use`, `pub use`,
/// `pub(crate) use`, `pub(super) use`, `pub(in …) use`.
fn starts_use(words: &[&str]) -> bool {
    let at = words.iter().position(|w| *w == "use");
    at.is_some_and(|at| {
        at < 4
            && words[..at]
                .iter()
                .all(|w| matches!(*w, "pub" | "crate" | "super" | "self" | "in"))
    })
}

/// For each line, whether it is test code: inside an item marked
/// `#[cfg(test)]` (the attribute line, the item, its braces). Also returns the
/// names of test-only module files it declares (`#[cfg(test)] mod tests;`).
fn test_code_lines(lines: &[Line]) -> (Vec<bool>, Vec<String>) {
    let mut is_test = vec![false; lines.len()];
    let mut test_mods = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].bare.trim() != "#[cfg(test)]" {
            i += 1;
            continue;
        }
        // Mark the attribute, further attributes, and the item up to its end:
        // the `;` or the brace that closes what it opened.
        let mut depth: i64 = 0;
        let mut opened = false;
        let mut j = i;
        while j < lines.len() {
            is_test[j] = true;
            let bare = lines[j].bare.trim();
            if j > i && !bare.starts_with("#[") {
                let words = identifiers(bare);
                if let Some(pos) = words.iter().position(|w| *w == "mod") {
                    if bare.ends_with(';') {
                        if let Some(name) = words.get(pos + 1) {
                            test_mods.push((*name).to_owned());
                        }
                    }
                }
                for c in bare.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                if (opened && depth <= 0) || (!opened && bare.ends_with(';')) {
                    break;
                }
            }
            j += 1;
        }
        i = j + 1;
    }
    (is_test, test_mods)
}

/// The files of the test-only modules a file declares: `mod x;` in
/// `dir/mod.rs` or `dir/lib.rs` is `dir/x.rs` or `dir/x/mod.rs`; in
/// `dir/y.rs` it is `dir/y/x.rs` or `dir/y/x/mod.rs`.
fn module_files(declaring: &str, module: &str) -> [String; 2] {
    let (dir, file) = declaring.rsplit_once('/').unwrap_or(("", declaring));
    let base = match file {
        "mod.rs" | "lib.rs" | "main.rs" => dir.to_owned(),
        other => format!("{dir}/{}", other.trim_end_matches(".rs")),
    };
    [
        format!("{base}/{module}.rs"),
        format!("{base}/{module}/mod.rs"),
    ]
}

/// Lines before the first `#[cfg(test)]` line (all lines when there is none).
fn lines_before_cfg_test(src: &str) -> usize {
    src.lines()
        .position(|l| l.trim_start().starts_with("#[cfg(test)]"))
        .unwrap_or_else(|| src.lines().count())
}

/// Generated files say so in their first lines.
fn is_generated(src: &str) -> bool {
    src.lines()
        .take(5)
        .any(|l| l.contains("@generated") || l.contains("DO NOT EDIT"))
}

// ---------------------------------------------------------------------------
// Checking

/// A source file read for the code rules.
struct Source {
    path: String,
    lines: Vec<Line>,
    /// Per line: test code (see [`test_code_lines`]); every line of a
    /// test-only module file.
    test: Vec<bool>,
    /// A module file compiled only for tests (`#[cfg(test)] mod tests;`).
    test_only: bool,
}

fn sources_under(dir: &str) -> Vec<Source> {
    let mut sources: Vec<Source> = rust_files_under(dir)
        .into_iter()
        .map(|path| {
            let lines = lex_lines(&read_source(&path));
            let (test, _) = test_code_lines(&lines);
            Source {
                path,
                lines,
                test,
                test_only: false,
            }
        })
        .collect();
    // Files declared as `#[cfg(test)] mod x;` are test code throughout.
    let mut test_only = Vec::new();
    for source in &sources {
        let (_, mods) = test_code_lines(&source.lines);
        for m in mods {
            test_only.extend(module_files(&source.path, &m));
        }
    }
    for source in &mut sources {
        if test_only.contains(&source.path) {
            source.test.iter_mut().for_each(|t| *t = true);
            source.test_only = true;
        }
    }
    sources
}

/// The sources `keep` selects; a rule that finds no file to check fails, so
/// a moved directory cannot make it pass vacuously.
fn select<'a>(sources: &'a [Source], what: &str, keep: impl Fn(&str) -> bool) -> Vec<&'a Source> {
    let selected: Vec<&Source> = sources.iter().filter(|s| keep(&s.path)).collect();
    assert!(!selected.is_empty(), "no Rust files found for {what}");
    selected
}

fn in_dir(path: &str, dir: &str) -> bool {
    path.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

/// Fails with one line per violation.
fn report(rule: &str, violations: Vec<String>) {
    assert!(
        violations.is_empty(),
        "\nrule: {rule}\n{}\n",
        violations.join("\n")
    );
}

/// Tokens (with whole-word flag) searched in `bare` lines of `sources`.
fn token_violations<'a>(
    sources: impl IntoIterator<Item = &'a Source>,
    tokens: &[(&str, bool)],
    skip_test_code: bool,
    view: fn(&Line) -> &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for source in sources {
        for (n, line) in source.lines.iter().enumerate() {
            if skip_test_code && source.test[n] {
                continue;
            }
            for (token, whole) in tokens {
                if contains_token(view(line), token, *whole) {
                    out.push(format!("{}:{}: `{token}`", source.path, n + 1));
                }
            }
        }
    }
    out
}

fn bare_view(line: &Line) -> &str {
    &line.bare
}

fn code_view(line: &Line) -> &str {
    &line.code
}

#[test]
fn only_src_aws_names_the_aws_sdk() {
    let sources = sources_under("src");
    let outside = select(&sources, "src/ outside src/aws/", |p| !in_dir(p, "src/aws"));
    let tokens = [
        ("aws_sdk_", false),
        ("aws_config", true),
        ("aws_smithy", false),
        ("aws_credential_types", true),
        ("aws_types", true),
        ("aws_runtime", false),
    ];
    report(
        "only src/aws/ names the AWS SDK crates (aws_sdk_*, aws_config, aws_smithy*, aws_credential_types, aws_types, aws_runtime*); elsewhere use the types src/aws/ exports",
        token_violations(outside, &tokens, false, bare_view),
    );
}

#[test]
fn intent_is_pure() {
    let sources = sources_under("src");
    let pure = select(&sources, "src/intent/", |p| {
        in_dir(p, "src/intent") || p == "src/arn.rs"
    });
    let tokens = [
        ("async", true),
        (".await", true),
        ("tokio", true),
        ("std::fs", true),
        ("std::net", true),
        ("reqwest", true),
    ];
    let mut violations = Vec::new();
    for source in pure {
        violations.extend(token_violations([source], &tokens, true, bare_view));
        // `use std::{fs, …}` hides the `std::fs` path.
        let (mut in_use, mut in_std_use) = (false, false);
        for (n, line) in source.lines.iter().enumerate() {
            let words = identifiers(&line.bare);
            if starts_use(&words) {
                in_std_use = words
                    .iter()
                    .find(|w| !matches!(**w, "use" | "pub" | "crate" | "super" | "self" | "in"))
                    == Some(&"std");
            }
            let segments = path_segments(&line.bare, &mut in_use);
            let std_use = in_std_use;
            if !in_use {
                in_std_use = false;
            }
            if source.test[n] || !std_use {
                continue;
            }
            for io in ["fs", "net"] {
                if segments.contains(&io)
                    && !contains_token(&line.bare, &format!("std::{io}"), true)
                {
                    violations.push(format!("{}:{}: `std::{{{io}}}`", source.path, n + 1));
                }
            }
        }
    }
    report(
        "src/intent/ (and src/arn.rs) is pure: no async, .await, tokio, std::fs, std::net or reqwest outside test code",
        violations,
    );
}

#[test]
fn tfplugin_knows_nothing_of_aws() {
    let sources = sources_under("src");
    // Crate modules that carry AWS or intent knowledge, and AWS service names.
    let forbidden = [
        "aws", "intent", "apply", "validate", "provider", "iam", "eks", "sts",
    ];
    let mut violations = Vec::new();
    for source in select(&sources, "src/tfplugin/", |p| in_dir(p, "src/tfplugin")) {
        let mut in_use = false;
        for (n, line) in source.lines.iter().enumerate() {
            for segment in path_segments(&line.bare, &mut in_use) {
                if forbidden.contains(&segment) || segment.starts_with("aws_") {
                    violations.push(format!(
                        "{}:{}: module path names `{segment}`",
                        source.path,
                        n + 1
                    ));
                }
            }
        }
    }
    report(
        "src/tfplugin/ names no AWS crate and no module that knows AWS (crate::aws, intent, apply, validate, provider; iam/eks/sts paths)",
        violations,
    );
}

#[test]
fn only_src_plugin_touches_sockets_and_tls() {
    let sources = sources_under("src");
    let outside = select(&sources, "src/ outside src/plugin/", |p| {
        !in_dir(p, "src/plugin")
    });
    let tokens = [
        ("TcpListener", true),
        ("UnixListener", true),
        ("TcpStream", true),
        ("UnixStream", true),
        ("rustls", true),
        ("tokio_rustls", true),
        ("rcgen", true),
    ];
    report(
        "only src/plugin/ touches sockets and TLS (TcpListener, UnixListener, TcpStream, UnixStream, rustls, tokio_rustls, rcgen)",
        token_violations(outside, &tokens, false, bare_view),
    );
}

#[test]
fn only_src_aws_decides_not_found() {
    let sources = sources_under("src");
    let outside = select(&sources, "src/ outside src/aws/", |p| !in_dir(p, "src/aws"));
    let tokens = [("ResourceNotFoundException", true), ("NoSuchEntity", false)];
    report(
        "only src/aws/ matches not-found error codes (ResourceNotFoundException, NoSuchEntity*); elsewhere use the Option that src/aws/ returns",
        token_violations(outside, &tokens, false, code_view),
    );
}

#[test]
fn code_files_stay_short_before_their_tests() {
    let sources = sources_under("src");
    let mut violations = Vec::new();
    // Test-only module files (the sibling `tests.rs`) are where tests go.
    for source in select(&sources, "src/", |_| true) {
        let path = &source.path;
        if source.test_only || in_dir(path, "src/intent/golden") {
            continue;
        }
        let src = read_source(path);
        if is_generated(&src) {
            continue;
        }
        let n = lines_before_cfg_test(&src);
        if n > MAX_CODE_LINES {
            violations.push(format!(
                "{path}:{}: {n} lines before the first #[cfg(test)]",
                MAX_CODE_LINES + 1
            ));
        }
    }
    report(
        &format!("no code file under src/ has more than {MAX_CODE_LINES} lines before its first #[cfg(test)]: split it, and move tests to a sibling tests.rs"),
        violations,
    );
}

/// The file names of the team's private notes, built at run time so that
/// this file does not itself name them.
fn private_note_names() -> Vec<String> {
    let mut names: Vec<String> = ["SECURITY", "DESIGN", "PROTOCOL", "STYLE", "ENVIRONMENT"]
        .iter()
        .map(|n| format!("{n}.md"))
        .collect();
    names.push(format!("../{}", "shared"));
    names
}

#[test]
fn nothing_cites_notes_outside_the_repository() {
    let names = private_note_names();
    let mut violations = Vec::new();
    for path in files_under(".") {
        let Some(text) = read_text(&path) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            for name in &names {
                if line.contains(name.as_str()) {
                    violations.push(format!("{path}:{}: names `{name}`", n + 1));
                }
            }
        }
    }
    report(
        "no file cites the team's private notes, which are not in the repository; cite docs/design/ (aws-facts.md, trust-policy-rules.md, plugin-protocol.md, README.md) instead",
        violations,
    );
}

// ---------------------------------------------------------------------------
// Self-tests of the scanner, so the rules above fail for the right reason.

fn bare_lines(src: &str) -> Vec<String> {
    lex_lines(src)
        .into_iter()
        .map(|l| l.bare.trim_end().to_owned())
        .collect()
}

#[test]
fn lexer_blanks_comments_and_literals() {
    let src = "use a::b; // aws_sdk_iam\n/* tokio\n still */ let s = \"ResourceNotFoundException\";\nlet c = '\"'; let r = r#\"x \" y\"#; fn f<'a>() {}\n/// doc: async\n";
    let lines = lex_lines(src);
    assert_eq!(lines.len(), 5);
    assert!(!lines[0].code.contains("aws_sdk_iam"));
    assert!(!lines[1].code.contains("tokio"));
    assert!(lines[2].code.contains("ResourceNotFoundException"));
    assert!(!lines[2].bare.contains("ResourceNotFoundException"));
    assert!(lines[2].bare.contains("let s"));
    // The char literal '"' does not open a string: the raw string and the
    // lifetime after it are still seen as code.
    assert!(lines[3].bare.contains("let r"));
    assert!(!lines[3].bare.contains("x \" y"));
    assert!(lines[3].bare.contains("fn f<'a>()"));
    assert_eq!(lines[4].bare.trim(), "");
    // Columns are kept.
    assert_eq!(lines[0].code.len(), "use a::b; // aws_sdk_iam".len());
    // Nested block comments end where they should.
    assert_eq!(bare_lines("/* a /* b */ c */ d")[0].trim(), "d");
    // An escaped quote does not end a string.
    assert!(bare_lines("\"a\\\"b\" + tokio")[0].contains("tokio"));
    assert!(!bare_lines("\"a\\\"b tokio\"")[0].contains("tokio"));
}

#[test]
fn tokens_match_at_identifier_boundaries() {
    assert!(contains_token(
        "use aws_sdk_iam::Client;",
        "aws_sdk_",
        false
    ));
    assert!(!contains_token("my_aws_sdk_thing", "aws_sdk_", false));
    assert!(contains_token("x.await;", ".await", true));
    assert!(!contains_token("x.awaited", ".await", true));
    assert!(contains_token("async fn f()", "async", true));
    assert!(!contains_token("asynchronous", "async", true));
    assert!(contains_token("std::fs::read", "std::fs", true));
    assert!(!contains_token("std::fsx", "std::fs", true));
    assert!(contains_token(
        "e == \"NoSuchEntityException\"",
        "NoSuchEntity",
        false
    ));
}

#[test]
fn path_segments_see_through_use_groups() {
    let mut in_use = false;
    let segs = path_segments("use crate::{intent::names, tfplugin::Value};", &mut in_use);
    assert!(segs.contains(&"intent") && segs.contains(&"Value"));
    assert!(!in_use);
    let segs = path_segments("use crate::{", &mut in_use);
    assert!(in_use && segs.is_empty());
    let segs = path_segments("    aws::iam,", &mut in_use);
    assert_eq!(segs, ["aws", "iam"]);
    path_segments("};", &mut in_use);
    assert!(!in_use);
    // Outside `use`: only identifiers next to `::` are path segments.
    let segs = path_segments("let eks = crate::aws::eks::find(iam);", &mut in_use);
    assert_eq!(segs, ["crate", "aws", "eks", "find"]);
}

#[test]
fn cfg_test_items_and_modules_are_test_code() {
    let src = "\
fn production() {}
#[cfg(test)]
mod golden;
fn more_production() {
    let x = 1;
}
#[cfg(test)]
mod tests {
    fn inner() { let s = \"}\"; }
}
fn after() {}
";
    let lines = lex_lines(src);
    let (test, mods) = test_code_lines(&lines);
    let flags: Vec<bool> = test.iter().take(11).copied().collect();
    assert_eq!(
        flags,
        [false, true, true, false, false, false, true, true, true, true, false]
    );
    assert_eq!(mods, ["golden"]);
    assert_eq!(
        module_files("src/intent/mod.rs", "golden"),
        ["src/intent/golden.rs", "src/intent/golden/mod.rs"]
    );
    assert_eq!(
        module_files("src/intent/workload_identity.rs", "tests"),
        [
            "src/intent/workload_identity/tests.rs",
            "src/intent/workload_identity/tests/mod.rs"
        ]
    );
}

#[test]
fn counts_lines_before_the_first_cfg_test() {
    assert_eq!(
        lines_before_cfg_test("a\nb\n#[cfg(test)]\nmod tests {}\n"),
        2
    );
    assert_eq!(lines_before_cfg_test("a\nb\nc\n"), 3);
    assert_eq!(lines_before_cfg_test("    #[cfg(test)]\n"), 0);
    assert_eq!(lines_before_cfg_test(""), 0);
    assert!(is_generated("// @generated by build.rs\nfn x() {}\n"));
    assert!(!is_generated("//! Hand-written.\n"));
}

#[test]
fn private_note_names_are_complete() {
    let names = private_note_names();
    assert_eq!(names.len(), 6);
    assert!(names
        .iter()
        .all(|n| n.ends_with(".md") || n.ends_with("shared")));
}

#[test]
fn provider_reaches_aws_only_through_validate_and_apply() {
    let sources = sources_under("src");
    let provider = select(&sources, "src/provider/", |p| in_dir(p, "src/provider"));
    // The provider layer may name the AWS edge's types (clients, settings,
    // errors); the calls (iam, eks, sts, retries, response reading) go through
    // validate/ and apply/.
    let services = ["iam", "eks", "sts", "retry", "response"];
    let mut violations = Vec::new();
    for source in provider {
        for (n, line) in source.lines.iter().enumerate() {
            let bare = bare_view(line);
            let named = services.iter().find(|s| {
                contains_token(bare, &format!("aws::{s}"), true)
                    || (bare.contains("aws::{") && contains_token(bare, s, true))
            });
            if let Some(s) = named {
                violations.push(format!("{}:{}: `aws::{s}`", source.path, n + 1));
            }
        }
    }
    report(
        "src/provider/ reaches AWS only through validate/ and apply/ (no crate::aws::{iam, eks, sts, retry, response})",
        violations,
    );
}
