//! What planning a managed resource derives from its schema alone: which
//! changes replace the object, whether every input is known yet, and the
//! planned state while some input is still unknown. Resources declare
//! `force_new`, optional and computed once, on their attributes; nothing here
//! keeps a list of names.

use std::collections::BTreeMap;

use super::schema::{Block, Nesting};
use super::{AttributePath, Value};

/// The force-new attributes whose planned change replaces the object. A
/// create (`prior` null) replaces nothing; an unknown or null proposed value
/// is not a change yet (the CLI asks again once it is known).
pub fn requires_replace(block: &Block, prior: &Value, proposed: &Value) -> Vec<AttributePath> {
    if prior.is_null() {
        return vec![];
    }
    block
        .force_new_names()
        .into_iter()
        .filter(|name| {
            let (before, after) = (prior.attr(name), proposed.attr(name));
            !after.is_unknown() && !after.is_null() && before != after
        })
        .map(AttributePath::root)
        .collect()
}

/// True when every input (required and optional attributes, nested blocks)
/// of `value` is wholly known, so the intent can be read from it.
pub fn inputs_known(block: &Block, value: &Value) -> bool {
    block
        .input_names()
        .iter()
        .all(|name| value.attr(name).is_wholly_known())
}

/// True when every input a configuration set is known in a planned value, as
/// it must be at apply. An optional+computed attribute may still be unknown
/// there: the plan left it for apply to decide (e.g. a name the remote
/// system chooses), so it reads as unset.
pub fn planned_inputs_known(block: &Block, planned: &Value) -> bool {
    let attributes = block
        .attributes
        .iter()
        .filter(|a| a.is_input() && !a.computed)
        .all(|a| planned.attr(a.name).is_wholly_known());
    attributes
        && block.blocks.iter().all(|nb| {
            let value = planned.attr(nb.type_name);
            match (nb.nesting, value) {
                (Nesting::Single, Value::Object(_)) => planned_inputs_known(&nb.block, value),
                _ => value.is_wholly_known(),
            }
        })
}

/// The planned state while some input is unknown: the proposed values, every
/// computed-only attribute unknown, and every optional+computed attribute
/// unknown where the proposal leaves it null (a configured value, or one kept
/// from the prior state, is planned as it is). Nested blocks alike.
pub fn planned_unknown(block: &Block, proposed: &Value) -> Value {
    let Value::Object(attrs) = proposed else {
        return proposed.clone();
    };
    let mut planned: BTreeMap<String, Value> = attrs.clone();
    for a in &block.attributes {
        let null = proposed.attr(a.name).is_null();
        if a.is_computed_only() || (a.is_optional_computed() && null) {
            planned.insert(a.name.to_owned(), Value::Unknown);
        }
    }
    for nb in &block.blocks {
        let Some(value) = attrs.get(nb.type_name) else {
            continue;
        };
        let nested = match (nb.nesting, value) {
            (Nesting::Single, Value::Object(_)) => planned_unknown(&nb.block, value),
            (Nesting::List, Value::List(items)) => Value::List(
                items
                    .iter()
                    .map(|v| planned_unknown(&nb.block, v))
                    .collect(),
            ),
            (Nesting::Set, Value::Set(items)) => Value::Set(
                items
                    .iter()
                    .map(|v| planned_unknown(&nb.block, v))
                    .collect(),
            ),
            _ => continue,
        };
        planned.insert(nb.type_name.to_owned(), nested);
    }
    Value::Object(planned)
}

#[cfg(test)]
mod tests;
