//! Small helpers to read and build state values, and intent problems as
//! diagnostics, shared by the intent resources.

use std::collections::{BTreeMap, BTreeSet};

use crate::intent::quote::shorten_quoted;
use crate::intent::IntentError;
use crate::tfplugin::model::Attr;
use crate::tfplugin::schema::{Block, Nesting};
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

/// The string entries of map attribute `name` (null or unknown: empty).
pub fn string_map(v: &Value, name: &str) -> BTreeMap<String, String> {
    v.attr(name)
        .string_entries()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

pub fn set_value(items: &BTreeSet<String>) -> Value {
    Value::Set(items.iter().map(|s| Value::from(s.as_str())).collect())
}

pub fn map_value(items: &BTreeMap<String, String>) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}

/// An optional collection as state holds it: null stays null when empty, so a
/// config that leaves it out shows no diff.
pub fn optional_set(prior: &Value, items: &BTreeSet<String>) -> Value {
    if items.is_empty() && prior.is_null() {
        Value::Null
    } else {
        set_value(items)
    }
}

pub fn optional_map(prior: &Value, items: &BTreeMap<String, String>) -> Value {
    if items.is_empty() && prior.is_null() {
        Value::Null
    } else {
        map_value(items)
    }
}

/// Parses an enumerated string attribute with the intent's parser; a value
/// it refuses is a diagnostic on attribute `name`.
pub fn parse_attr<T>(
    value: &Attr<String>,
    name: &str,
    summary: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, Diagnostics> {
    value
        .get()
        .map(|s| {
            parse(s).map_err(|e| {
                Diagnostics::from(
                    Diagnostic::error(summary, shorten_quoted(&format!("{e}.")))
                        .at(AttributePath::root(name)),
                )
            })
        })
        .transpose()
}

/// Sets attribute `name` of an object value.
pub fn set_attr(v: &mut Value, name: &str, value: Value) {
    if let Value::Object(attrs) = v {
        attrs.insert(name.to_owned(), value);
    }
}

/// Every unknown replaced by null: a partial state after a failed apply must be wholly known.
pub fn unknowns_to_null(v: &Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        Value::List(l) => Value::List(l.iter().map(unknowns_to_null).collect()),
        Value::Set(l) => Value::Set(l.iter().map(unknowns_to_null).collect()),
        other => other.clone(),
    }
}

/// Intent problems as diagnostics on their attributes, each path read
/// against the schema: after a nested block comes one of its attributes,
/// after a map attribute the key. After a set (an attribute or a set-nested
/// block) a step names an element, which tfplugin5 paths cannot address, so
/// the diagnostic points at the set and the detail names the element. A
/// long value a detail quotes is cut to a prefix (`intent::quote`).
pub fn intent_diagnostics(problems: &[IntentError], block: &Block) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for p in problems {
        let detail = shorten_quoted(&p.detail);
        let d = if p.warning {
            Diagnostic::warning(p.summary.clone(), detail)
        } else {
            Diagnostic::error(p.summary.clone(), detail)
        };
        diags.push(match path_of(block, &p.path) {
            Some(path) => d.at(path),
            None => d,
        });
    }
    diags
}

/// What the next step of a path names.
enum Next<'a> {
    Attribute(&'a Block),
    Key,
    End,
}

fn path_of(block: &Block, steps: &[String]) -> Option<AttributePath> {
    let (first, rest) = steps.split_first()?;
    let mut path = AttributePath::root(first);
    let mut next = after(block, first);
    for step in rest {
        next = match next {
            Next::End => break,
            Next::Key => {
                path = path.key(step);
                Next::Key
            }
            Next::Attribute(nested) => {
                path = path.attr(step);
                after(nested, step)
            }
        };
    }
    Some(path)
}

/// What follows attribute (or nested block) `name` of `block` in a path.
fn after<'a>(block: &'a Block, name: &str) -> Next<'a> {
    if block.set_names().contains(&name) {
        return Next::End;
    }
    match block.nested_block(name) {
        Some(nb) if nb.nesting == Nesting::Single => Next::Attribute(&nb.block),
        Some(_) => Next::End,
        None => Next::Key,
    }
}

/// The user's `tags` as observed on a role: without the ownership tags and
/// without provider default tags the user did not set themselves.
pub fn user_tags(
    observed: &BTreeMap<String, String>,
    prior: &Value,
    default_tags: &BTreeMap<String, String>,
) -> Value {
    let prior_tags = string_map(prior, "tags");
    let tags: BTreeMap<String, String> = observed
        .iter()
        .filter(|(k, _)| !k.starts_with(crate::intent::tags::OWNERSHIP_PREFIX))
        .filter(|(k, v)| prior_tags.contains_key(*k) || default_tags.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    optional_map(prior.attr("tags"), &tags)
}
