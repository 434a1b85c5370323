//! Test-only strategies: arbitrary values of a schema block's type, with
//! nulls, unknowns and partly known collections, for round-trip tests of
//! models declared anywhere in the crate.

use proptest::prelude::*;

use crate::tfplugin::schema::{Block, Nesting};
use crate::tfplugin::{Type, Value};

/// Any object value of `block`'s type.
pub fn block_value(block: &Block) -> BoxedStrategy<Value> {
    let mut names = Vec::new();
    let mut strategies = Vec::new();
    for a in &block.attributes {
        names.push(a.name.to_owned());
        strategies.push(attribute_value(&a.ty));
    }
    for nb in &block.blocks {
        assert_eq!(nb.nesting, Nesting::Single, "models nest single blocks");
        names.push(nb.type_name.to_owned());
        strategies.push(
            prop_oneof![
                Just(Value::Null),
                Just(Value::Unknown),
                block_value(&nb.block)
            ]
            .boxed(),
        );
    }
    strategies
        .prop_map(move |values| Value::Object(names.iter().cloned().zip(values).collect()))
        .boxed()
}

fn string() -> BoxedStrategy<Value> {
    "[a-z:/*]{0,6}".prop_map(Value::from).boxed()
}

/// An element of a collection: mostly known, sometimes unknown or null.
fn element() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => string(),
        2 => Just(Value::Unknown),
        1 => Just(Value::Null),
    ]
    .boxed()
}

/// Any value of a primitive, set-of-string or map-of-string type, null and
/// unknown included.
pub fn attribute_value(ty: &Type) -> BoxedStrategy<Value> {
    let known = match ty {
        Type::String => string(),
        Type::Number => any::<i64>().prop_map(Value::from).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Set(e) if **e == Type::String => prop_oneof![
            prop::collection::btree_set("[a-z]{1,4}", 0..4)
                .prop_map(|s| Value::Set(s.into_iter().map(Value::from).collect())),
            (prop::collection::btree_set("[a-z]{1,4}", 0..3), 1..3usize).prop_map(
                |(s, unknowns)| {
                    let mut items: Vec<Value> = s.into_iter().map(Value::from).collect();
                    items.extend(std::iter::repeat_n(Value::Unknown, unknowns));
                    Value::Set(items)
                }
            ),
        ]
        .boxed(),
        Type::Map(e) if **e == Type::String => {
            prop::collection::btree_map("[a-z]{1,4}", element(), 0..4)
                .prop_map(Value::Map)
                .boxed()
        }
        other => panic!("no strategy for {other:?}"),
    };
    prop_oneof![
        1 => Just(Value::Null),
        1 => Just(Value::Unknown),
        4 => known,
    ]
    .boxed()
}
