//! What planning a managed resource derives from its schema alone: which
//! changes replace the object, whether every input is known yet, the planned
//! state while some input is still unknown, and the null elements a
//! configuration may not hold. Resources declare `force_new`, optional and
//! computed once, on their attributes; nothing here keeps a list of names.

use std::collections::BTreeMap;

use super::schema::{Block, Nesting};
use super::{AttributePath, Diagnostic, Diagnostics, Type, Value};

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

/// A null element inside an input collection of a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NullElement {
    /// The set, list or map holding it.
    pub collection: AttributePath,
    /// The element: a list index or map key below `collection`; a set's
    /// elements have no address, so for a set it is `collection` itself.
    pub element: AttributePath,
    /// The collection is a map (filtering it takes a `for` expression, not
    /// `compact()`).
    pub in_map: bool,
}

/// Every null element in the input collections (sets, lists and maps, at any
/// depth, nested blocks included) of a configuration. A null element cannot
/// be stored: the state drops it, so the next plan would add it again, for
/// ever. Unknown elements are not null: plan waits for them.
pub fn null_elements(block: &Block, config: &Value) -> Vec<NullElement> {
    let mut found = Vec::new();
    block_null_elements(block, config, None, &mut found);
    found
}

/// One error per null element, on the element where it has an address.
pub fn null_element_diagnostics(block: &Block, config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for null in null_elements(block, config) {
        let remedy = if null.in_map {
            "remove the entry, or filter nulls out with a `for` expression such as \
             `{ for k, v in var.x : k => v if v != null }`"
        } else {
            "remove it, or filter nulls out with `compact()`"
        };
        // A set's element has no address of its own: name the set.
        let what = if null.element == null.collection {
            format!("`{}` holds a null element", null.collection)
        } else {
            format!("`{}` is null", null.element)
        };
        diags.push(
            Diagnostic::error(
                format!("Null element in `{}`", null.collection),
                format!(
                    "{what}. A null element cannot be stored in state, so every later plan would show it \
                     as a change again: {remedy}."
                ),
            )
            .at(null.element),
        );
    }
    diags
}

fn block_null_elements(
    block: &Block,
    value: &Value,
    parent: Option<&AttributePath>,
    found: &mut Vec<NullElement>,
) {
    let path = |name: &str| parent.map_or_else(|| AttributePath::root(name), |p| p.attr(name));
    for a in block.attributes.iter().filter(|a| a.is_input()) {
        value_null_elements(&a.ty, value.attr(a.name), &path(a.name), found);
    }
    for nb in &block.blocks {
        let at = path(nb.type_name);
        match (nb.nesting, value.attr(nb.type_name)) {
            (Nesting::Single, v @ Value::Object(_)) => {
                block_null_elements(&nb.block, v, Some(&at), found)
            }
            (Nesting::List, Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    block_null_elements(&nb.block, item, Some(&at.index(i)), found);
                }
            }
            // A set's elements have no address: problems point at the block.
            (Nesting::Set, Value::Set(items)) => {
                for item in items {
                    let mut inner = Vec::new();
                    block_null_elements(&nb.block, item, None, &mut inner);
                    found.extend(inner.into_iter().map(|n| NullElement {
                        collection: at.clone(),
                        element: at.clone(),
                        ..n
                    }));
                }
            }
            _ => {}
        }
    }
}

/// The null elements of `value` (of type `ty`, at `at`) and of the
/// collections inside it. Null attributes of an object are not elements.
fn value_null_elements(ty: &Type, value: &Value, at: &AttributePath, found: &mut Vec<NullElement>) {
    let mut element = |el_ty: &Type, item: &Value, item_at: AttributePath, in_map: bool| {
        if item.is_null() {
            found.push(NullElement {
                collection: at.clone(),
                element: item_at,
                in_map,
            });
        } else {
            value_null_elements(el_ty, item, &item_at, found);
        }
    };
    match (ty, value) {
        (Type::List(el), Value::List(items)) => {
            for (i, item) in items.iter().enumerate() {
                element(el, item, at.index(i), false);
            }
        }
        (Type::Set(el), Value::Set(items)) => {
            for item in items {
                element(el, item, at.clone(), false);
            }
        }
        (Type::Map(el), Value::Map(entries)) => {
            for (k, item) in entries {
                element(el, item, at.key(k), true);
            }
        }
        (Type::Object(attrs), Value::Object(values)) => {
            for (name, attr_ty) in attrs {
                if let Some(v) = values.get(name) {
                    value_null_elements(attr_ty, v, &at.attr(name), found);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
