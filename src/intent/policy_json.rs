//! IAM policy documents as JSON: parse, check the basic shape, serialise in one
//! canonical minified form (deterministic key order), measure the size the way
//! IAM does (whitespace not counted), decode the URL-encoded documents IAM
//! returns, and compare two documents semantically so a refresh never shows a
//! perpetual diff for a document IAM rewrote (reordered, de-arrayed, re-spaced).
//!
//! Pure: works on `&str` and `serde_json::Value`, no I/O.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The policy language versions IAM accepts.
pub const POLICY_VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

/// Total size of the inline policies of one role (characters, whitespace not counted).
pub const INLINE_POLICIES_PER_ROLE_SIZE: usize = 10_240;

/// Which kind of document a shape check expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// An identity policy (inline or managed): statements need `Resource` or
    /// `NotResource` and may not name a `Principal`.
    Identity,
    /// A role trust policy: statements need `Principal` and may not name a `Resource`.
    Trust,
}

/// Parses a policy document: valid JSON whose top level is an object.
pub fn parse_policy(s: &str) -> Result<Value, String> {
    let doc: Value =
        serde_json::from_str(s).map_err(|e| format!("the document is not valid JSON: {e}"))?;
    if doc.is_object() {
        Ok(doc)
    } else {
        Err("the document must be a JSON object with \"Version\" and \"Statement\"".to_owned())
    }
}

/// Checks the basic shape of a policy document and returns every problem found,
/// each a sentence naming where it is (`Statement[1].Effect: ...`).
pub fn validate_policy_shape(doc: &Value, kind: PolicyKind) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(top) = doc.as_object() else {
        return vec![
            "the document must be a JSON object with \"Version\" and \"Statement\"".into(),
        ];
    };
    for key in top.keys() {
        if !["Version", "Id", "Statement"].contains(&key.as_str()) {
            problems.push(format!(
                "{key:?} is not a policy element; the top level holds only \"Version\", \"Id\" and \"Statement\""
            ));
        }
    }
    match top.get("Version") {
        Some(Value::String(v)) if POLICY_VERSIONS.contains(&v.as_str()) => {}
        Some(other) => problems.push(format!(
            "Version: {other} is not a policy language version; use \"2012-10-17\""
        )),
        None => problems.push(
            "Version is missing; add \"Version\": \"2012-10-17\" (without it IAM uses the 2008 language, which has no policy variables)"
                .into(),
        ),
    }
    if let Some(id) = top.get("Id") {
        if !id.is_string() {
            problems.push("Id must be a string".into());
        }
    }
    match top.get("Statement") {
        None => problems.push("Statement is missing; add at least one statement".into()),
        Some(Value::Object(stmt)) => check_statement("Statement", stmt, kind, &mut problems),
        Some(Value::Array(stmts)) if stmts.is_empty() => {
            problems.push("Statement is empty; add at least one statement".into())
        }
        Some(Value::Array(stmts)) => {
            for (i, stmt) in stmts.iter().enumerate() {
                let at = format!("Statement[{i}]");
                match stmt.as_object() {
                    Some(stmt) => check_statement(&at, stmt, kind, &mut problems),
                    None => problems.push(format!("{at}: a statement must be a JSON object")),
                }
            }
        }
        Some(_) => problems.push("Statement must be an object or an array of objects".into()),
    }
    problems
}

const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

fn check_statement(
    at: &str,
    stmt: &Map<String, Value>,
    kind: PolicyKind,
    problems: &mut Vec<String>,
) {
    for key in stmt.keys() {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            problems.push(format!("{at}: {key:?} is not a statement element"));
        }
    }
    if let Some(sid) = stmt.get("Sid") {
        match sid.as_str() {
            Some(s) if s.chars().all(|c| c.is_ascii_alphanumeric()) => {}
            _ => problems.push(format!("{at}.Sid: use only letters and digits")),
        }
    }
    match stmt.get("Effect").and_then(Value::as_str) {
        Some("Allow" | "Deny") => {}
        _ => problems.push(format!("{at}.Effect: must be \"Allow\" or \"Deny\"")),
    }
    exactly_one(at, stmt, "Action", "NotAction", problems);
    for key in ["Action", "NotAction"] {
        if let Some(v) = stmt.get(key) {
            check_strings(
                &format!("{at}.{key}"),
                v,
                problems,
                |s| {
                    s == "*"
                        || s.split_once(':')
                            .is_some_and(|(svc, act)| !svc.is_empty() && !act.is_empty())
                },
                "an action like \"s3:GetObject\" or \"*\"",
            );
        }
    }
    for key in ["Resource", "NotResource"] {
        if let Some(v) = stmt.get(key) {
            check_strings(
                &format!("{at}.{key}"),
                v,
                problems,
                |s| s == "*" || s.starts_with("arn:"),
                "an ARN or \"*\"",
            );
        }
    }
    match kind {
        PolicyKind::Identity => {
            exactly_one(at, stmt, "Resource", "NotResource", problems);
            for key in ["Principal", "NotPrincipal"] {
                if stmt.contains_key(key) {
                    problems.push(format!(
                        "{at}: {key} is not allowed in an identity policy; the policy applies to the role it is attached to"
                    ));
                }
            }
        }
        PolicyKind::Trust => {
            exactly_one(at, stmt, "Principal", "NotPrincipal", problems);
            for key in ["Resource", "NotResource"] {
                if stmt.contains_key(key) {
                    problems.push(format!("{at}: {key} is not allowed in a trust policy"));
                }
            }
        }
    }
    for key in ["Principal", "NotPrincipal"] {
        match stmt.get(key) {
            None => {}
            Some(Value::String(s)) if s == "*" => {}
            Some(Value::Object(m)) if !m.is_empty() => {
                for (ptype, pv) in m {
                    if !["AWS", "Federated", "Service", "CanonicalUser"].contains(&ptype.as_str()) {
                        problems.push(format!(
                            "{at}.{key}: {ptype:?} is not a principal type; use \"AWS\", \"Federated\", \"Service\" or \"CanonicalUser\""
                        ));
                    }
                    check_strings(
                        &format!("{at}.{key}.{ptype}"),
                        pv,
                        problems,
                        |s| !s.is_empty(),
                        "a principal",
                    );
                }
            }
            Some(_) => problems.push(format!(
                "{at}.{key}: must be \"*\" or an object like {{\"AWS\": \"arn:…\"}}"
            )),
        }
    }
    if let Some(cond) = stmt.get("Condition") {
        match cond.as_object() {
            Some(ops) => {
                for (op, keys) in ops {
                    let Some(keys) = keys.as_object().filter(|k| !k.is_empty()) else {
                        problems.push(format!(
                            "{at}.Condition.{op}: must be an object of condition keys to values"
                        ));
                        continue;
                    };
                    for (ckey, cval) in keys {
                        let ok = match cval {
                            Value::Array(a) => !a.is_empty() && a.iter().all(is_condition_scalar),
                            other => is_condition_scalar(other),
                        };
                        if !ok {
                            problems.push(format!(
                                "{at}.Condition.{op}.{ckey}: values must be strings, numbers or booleans, or a non-empty array of them"
                            ));
                        }
                    }
                }
            }
            None => problems.push(format!(
                "{at}.Condition: must be an object of operators, like {{\"StringEquals\": {{…}}}}"
            )),
        }
    }
}

fn is_condition_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Bool(_) | Value::Number(_))
}

fn exactly_one(at: &str, stmt: &Map<String, Value>, a: &str, b: &str, problems: &mut Vec<String>) {
    match (stmt.contains_key(a), stmt.contains_key(b)) {
        (true, true) => problems.push(format!("{at}: use either {a} or {b}, not both")),
        (false, false) => problems.push(format!("{at}: {a} (or {b}) is missing")),
        _ => {}
    }
}

fn check_strings(
    at: &str,
    v: &Value,
    problems: &mut Vec<String>,
    ok: impl Fn(&str) -> bool,
    what: &str,
) {
    let items: Vec<&Value> = match v {
        Value::Array(a) if a.is_empty() => {
            problems.push(format!("{at}: the list is empty"));
            return;
        }
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for item in items {
        match item.as_str() {
            Some(s) if ok(s) => {}
            Some(s) => problems.push(format!("{at}: {s:?} is not {what}")),
            None => problems.push(format!("{at}: expected a string or an array of strings")),
        }
    }
}

/// The statements of a document, whether `Statement` is one object or an array.
pub fn statements(doc: &Value) -> Vec<&Map<String, Value>> {
    match doc.get("Statement") {
        Some(Value::Object(m)) => vec![m],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// The statements of a document, mutable, whether `Statement` is one object or an array.
pub fn statements_mut(doc: &mut Value) -> Vec<&mut Map<String, Value>> {
    match doc.get_mut("Statement") {
        Some(Value::Object(m)) => vec![m],
        Some(Value::Array(a)) => a.iter_mut().filter_map(Value::as_object_mut).collect(),
        _ => Vec::new(),
    }
}

/// The one string of a value that is a string or a one-element array of a string.
pub fn single_string(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Array(a) if a.len() == 1 => a[0].as_str(),
        _ => None,
    }
}

/// The strings of a value that may be one string or an array (other items skipped).
pub fn string_values(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

const DOCUMENT_ORDER: [&str; 3] = ["Version", "Id", "Statement"];

#[derive(Clone, Copy)]
enum Level {
    Document,
    Statement,
    Other,
}

/// The canonical minified form: the top level ordered `Version`, `Id`,
/// `Statement`; statement elements ordered `Sid`, `Effect`, `Principal`,
/// `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource`,
/// `Condition`; every other object's keys sorted; array order kept (it is the
/// author's); no whitespace outside strings.
pub fn canonical_json_value(doc: &Value) -> String {
    canonical_value(doc, Level::Document).to_string()
}

/// [`canonical_json_value`] with two-space indentation, for golden files and docs.
pub fn canonical_json_pretty(doc: &Value) -> String {
    let canonical = canonical_value(doc, Level::Document);
    serde_json::to_string_pretty(&canonical).unwrap_or_else(|_| canonical.to_string())
}

/// Parses a document (URL-encoded as IAM returns it, or plain) and returns
/// its canonical minified form ([`canonical_json_value`]).
pub fn canonical_json(s: &str) -> Result<String, String> {
    parse_policy(&decode_iam_policy_document(s)).map(|doc| canonical_json_value(&doc))
}

fn canonical_value(v: &Value, level: Level) -> Value {
    match v {
        Value::Object(m) => {
            let order: &[&str] = match level {
                Level::Document => &DOCUMENT_ORDER,
                Level::Statement => &STATEMENT_KEYS,
                Level::Other => &[],
            };
            let child = |key: &str| match (level, key) {
                (Level::Document, "Statement") => Level::Statement,
                _ => Level::Other,
            };
            let mut out = Map::new();
            for key in order {
                if let Some(x) = m.get(*key) {
                    out.insert((*key).to_owned(), canonical_value(x, child(key)));
                }
            }
            let mut rest: Vec<(&String, &Value)> = m
                .iter()
                .filter(|(k, _)| !order.contains(&k.as_str()))
                .collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            for (key, x) in rest {
                out.insert(key.clone(), canonical_value(x, child(key)));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| canonical_value(x, level)).collect()),
        other => other.clone(),
    }
}

/// The size IAM counts against its quotas: characters, whitespace not counted
/// (IAM ignores whitespace everywhere, including inside strings).
pub fn non_whitespace_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Decodes a policy document as IAM returns it (URL-encoded per RFC 3986).
/// A document that already starts with `{` is returned as is (so a literal `%`
/// in a decoded document is never mangled); invalid escapes are kept literally.
pub fn decode_iam_policy_document(s: &str) -> String {
    crate::arn::decode_policy_document_lossy(s)
}

/// A policy as Terraform's `jsonencode` writes it (minified, every object's
/// keys sorted, arrays in order), so a policy read back from IAM matches a
/// configuration that builds it with `jsonencode`. `None` when it is not JSON.
pub fn jsonencode_style(doc: &str) -> Option<String> {
    let parsed: Value = serde_json::from_str(&decode_iam_policy_document(doc)).ok()?;
    Some(sorted(&parsed).to_string())
}

/// True when two documents mean the same to IAM, as far as a refresh can tell:
/// key order and whitespace ignored; `Statement` as one object equals a
/// one-element array; statement order ignored; for `Action`, `NotAction`,
/// `Resource`, `NotResource`, each principal type and each condition key, a
/// single value equals a one-element array and order and duplicates are
/// ignored; condition booleans and numbers equal their string forms; an empty
/// `Sid` equals none; an `AWS` principal `arn:<p>:iam::<acct>:root` equals the
/// bare account ID (IAM rewrites one into the other). Either side may be
/// URL-encoded. Documents that do not parse are equivalent only if identical.
pub fn policies_equivalent(a: &str, b: &str) -> bool {
    let a = decode_iam_policy_document(a);
    let b = decode_iam_policy_document(b);
    match (
        serde_json::from_str::<Value>(&a),
        serde_json::from_str::<Value>(&b),
    ) {
        (Ok(x), Ok(y)) => normalize_document(&x) == normalize_document(&y),
        _ => a == b,
    }
}

/// The normal form behind [`policies_equivalent`], as a string.
fn normalize_document(doc: &Value) -> String {
    let Some(top) = doc.as_object() else {
        return sorted(doc).to_string();
    };
    let mut out = BTreeMap::new();
    for (key, value) in top {
        let normal = match (key.as_str(), value) {
            ("Statement", Value::Object(_)) => statement_set(std::slice::from_ref(value)),
            ("Statement", Value::Array(stmts)) => statement_set(stmts),
            _ => sorted(value),
        };
        out.insert(key.clone(), normal);
    }
    Value::Object(out.into_iter().collect()).to_string()
}

fn statement_set(stmts: &[Value]) -> Value {
    let mut normal: Vec<String> = stmts
        .iter()
        .map(|s| normalize_statement(s).to_string())
        .collect();
    normal.sort();
    normal.dedup();
    Value::Array(normal.into_iter().map(Value::String).collect())
}

fn normalize_statement(stmt: &Value) -> Value {
    let Some(m) = stmt.as_object() else {
        return sorted(stmt);
    };
    let mut out = BTreeMap::new();
    for (key, value) in m {
        let normal = match key.as_str() {
            "Sid" if value.as_str() == Some("") => continue,
            "Action" | "NotAction" | "Resource" | "NotResource" => string_set(value, |s| s),
            "Principal" | "NotPrincipal" => match value {
                Value::Object(types) => Value::Object(
                    types
                        .iter()
                        .map(|(ptype, pv)| {
                            let set = if ptype == "AWS" {
                                string_set(pv, account_of_root_arn)
                            } else {
                                string_set(pv, |s| s)
                            };
                            (ptype.clone(), set)
                        })
                        .collect::<BTreeMap<_, _>>()
                        .into_iter()
                        .collect(),
                ),
                other => sorted(other),
            },
            "Condition" => match value {
                Value::Object(ops) => Value::Object(
                    ops.iter()
                        .map(|(op, keys)| {
                            let keys = match keys {
                                Value::Object(k) => Value::Object(
                                    k.iter()
                                        .map(|(ck, cv)| (ck.clone(), string_set(cv, |s| s)))
                                        .collect::<BTreeMap<_, _>>()
                                        .into_iter()
                                        .collect(),
                                ),
                                other => sorted(other),
                            };
                            (op.clone(), keys)
                        })
                        .collect::<BTreeMap<_, _>>()
                        .into_iter()
                        .collect(),
                ),
                other => sorted(other),
            },
            _ => sorted(value),
        };
        out.insert(key.clone(), normal);
    }
    Value::Object(out.into_iter().collect())
}

/// One value or an array of them, as a sorted, de-duplicated array of strings
/// (non-string scalars in their string form, anything else as its JSON text).
fn string_set(v: &Value, map: impl Fn(String) -> String) -> Value {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let mut strings: Vec<String> = items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => map(s.clone()),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            other => sorted(other).to_string(),
        })
        .collect();
    strings.sort();
    strings.dedup();
    Value::Array(strings.into_iter().map(Value::String).collect())
}

/// `arn:<p>:iam::<12 digits>:root` -> the account ID; anything else unchanged.
fn account_of_root_arn(s: String) -> String {
    let fields: Vec<&str> = s.split(':').collect();
    match fields.as_slice() {
        ["arn", _, "iam", "", account, "root"]
            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (*account).to_owned()
        }
        _ => s,
    }
}

/// Every object's keys sorted, recursively; arrays keep their order.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), sorted(x)))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;
