//! Small helpers to read configuration values and build states, shared by
//! the intent resources.

use std::collections::{BTreeMap, BTreeSet};

use crate::intent::IntentError;
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

/// The attributes among `force_new` whose planned change replaces the object.
pub fn requires_replace(force_new: &[&str], prior: &Value, proposed: &Value) -> Vec<AttributePath> {
    if prior.is_null() {
        return vec![];
    }
    force_new
        .iter()
        .filter(|name| {
            let (before, after) = (prior.attr(name), proposed.attr(name));
            !after.is_unknown() && !after.is_null() && before != after
        })
        .map(|name| AttributePath::root(name))
        .collect()
}

/// A state holding only `known` attributes (the rest null), for import.
pub fn sparse_state(schema: &crate::tfplugin::schema::Schema, known: &[(&str, &str)]) -> Value {
    let mut attrs: BTreeMap<String, Value> = schema
        .block
        .value_type_attribute_names()
        .into_iter()
        .map(|a| (a, Value::Null))
        .collect();
    for (k, v) in known {
        attrs.insert((*k).to_owned(), Value::from(*v));
    }
    Value::Object(attrs)
}

pub fn opt_string(v: &Value, name: &str) -> Option<String> {
    v.attr(name).as_str().map(str::to_owned)
}

pub fn string_set(v: &Value, name: &str) -> BTreeSet<String> {
    v.attr(name)
        .string_elements()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

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

/// Intent problems as diagnostics on their attributes. A step after a map
/// attribute is the key. After a set attribute (listed in `set_attributes`)
/// it names an element, which tfplugin5 paths cannot address, so the
/// diagnostic points at the attribute and the detail names the element.
pub fn intent_diagnostics(problems: &[IntentError], set_attributes: &[&str]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for p in problems {
        let d = if p.warning {
            Diagnostic::warning(p.summary.clone(), p.detail.clone())
        } else {
            Diagnostic::error(p.summary.clone(), p.detail.clone())
        };
        let steps = match p.path.first() {
            Some(first) if set_attributes.contains(&first.as_str()) => &p.path[..1],
            _ => &p.path[..],
        };
        diags.push(match path_of(steps) {
            Some(path) => d.at(path),
            None => d,
        });
    }
    diags
}

fn path_of(steps: &[String]) -> Option<AttributePath> {
    let (first, rest) = steps.split_first()?;
    let mut path = AttributePath::root(first);
    for key in rest {
        path = path.key(key);
    }
    Some(path)
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
