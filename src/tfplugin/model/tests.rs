use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::testing::block_value;
use super::Attr;
use crate::tfplugin::schema::Nesting;
use crate::tfplugin::{AttributePath, Type, Value};

model! {
    /// Every kind of field, for the tests.
    struct InnerModel {
        description: "Inner block.",
        attributes: {
            arn: String = required("An ARN."),
            flag: bool = optional_computed("A flag (default `false`)."),
            items: BTreeSet<String> = required("Items."),
        },
    }
}

model! {
    struct OuterModel {
        description: "Outer block.",
        attributes: {
            name: String = required("Name. Changing it replaces the object.").force_new(),
            secret: String = optional("A secret.").sensitive(),
            size: i64 = optional_computed("Size (default 1)."),
            tags: BTreeMap<String, String> = optional("Tags."),
            id: String = computed("The ID."),
        },
        blocks: { inner: InnerModel },
    }
}

fn outer(pairs: &[(&str, Value)]) -> Value {
    let mut attrs: BTreeMap<String, Value> = OuterModel::block()
        .value_type_attribute_names()
        .into_iter()
        .map(|n| (n, Value::Null))
        .collect();
    for (k, v) in pairs {
        attrs.insert((*k).to_owned(), v.clone());
    }
    Value::Object(attrs)
}

#[test]
fn the_declaration_is_the_schema() {
    let block = OuterModel::block();
    assert_eq!(block.description, "Outer block.");
    let names: Vec<&str> = block.attributes.iter().map(|a| a.name).collect();
    assert_eq!(names, ["name", "secret", "size", "tags", "id"]);
    let name = block.attribute("name").unwrap();
    assert!(name.required && name.force_new && !name.sensitive);
    assert_eq!(name.description, "Name. Changing it replaces the object.");
    let secret = block.attribute("secret").unwrap();
    assert!(secret.optional && secret.sensitive && !secret.force_new);
    let size = block.attribute("size").unwrap();
    assert!(size.optional && size.computed && size.ty == Type::Number);
    assert_eq!(block.attribute("tags").unwrap().ty, Type::map(Type::String));
    assert!(block.attribute("id").unwrap().is_computed_only());
    let inner = block.nested_block("inner").unwrap();
    assert_eq!(inner.nesting, Nesting::Single);
    assert_eq!(
        inner.block.attribute("items").unwrap().ty,
        Type::set(Type::String)
    );
    assert_eq!(block.force_new_names(), ["name"]);
    assert_eq!(block.set_names(), Vec::<&str>::new());
    assert_eq!(inner.block.set_names(), ["items"]);
    assert_eq!(
        block.input_names(),
        ["name", "secret", "size", "tags", "inner"]
    );
    assert_eq!(block.computed_only_names(), ["id"]);
    assert_eq!(block.optional_computed_names(), ["size"]);
}

#[test]
fn values_read_into_typed_fields() {
    let v = outer(&[
        ("name", "n".into()),
        ("size", Value::Unknown),
        (
            "tags",
            Value::Map(BTreeMap::from([("a".into(), "b".into())])),
        ),
        (
            "inner",
            Value::object([
                ("arn", "arn:x".into()),
                ("flag", true.into()),
                ("items", Value::Set(vec!["i".into(), Value::Unknown])),
            ]),
        ),
    ]);
    let m = OuterModel::from_value(&v).unwrap();
    assert_eq!(m.name, Attr::Known("n".to_owned()));
    assert_eq!(m.secret, Attr::Null);
    assert!(m.size.is_unknown());
    assert_eq!(
        m.tags.or_default(),
        BTreeMap::from([("a".to_owned(), "b".to_owned())])
    );
    let inner = m.inner.get().unwrap();
    assert_eq!(&InnerModel::from_value(v.attr("inner")).unwrap(), inner);
    assert_eq!(inner.flag.get(), Some(&true));
    assert!(matches!(inner.items, Attr::Partial(_)));
    assert_eq!(inner.items.or_default(), BTreeSet::from(["i".to_owned()]));
    assert_eq!(m.to_value(), v);
}

#[test]
fn models_build_values() {
    let m = OuterModel {
        name: Attr::Known("n".into()),
        size: Attr::Known(3),
        ..Default::default()
    };
    assert_eq!(
        m.to_value(),
        outer(&[("name", "n".into()), ("size", 3i64.into())])
    );
    assert_eq!(
        OuterModel::default().to_value(),
        outer(&[]),
        "every attribute is present, null"
    );
}

#[test]
fn wrong_types_are_diagnostics_on_their_paths() {
    let v = outer(&[
        ("name", 1i64.into()),
        ("size", Value::Number(crate::tfplugin::Number::Float(1.5))),
        (
            "inner",
            Value::object([("arn", "a".into()), ("flag", "yes".into())]),
        ),
    ]);
    let diags = OuterModel::from_value(&v).unwrap_err();
    let found: Vec<(String, String, String)> = diags
        .iter()
        .map(|d| {
            (
                d.path.as_ref().map(ToString::to_string).unwrap_or_default(),
                d.summary.clone(),
                d.detail.clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "name".to_owned(),
                "Invalid name".to_owned(),
                "`name` must be a string.".to_owned()
            ),
            (
                "size".to_owned(),
                "Invalid size".to_owned(),
                "`size` must be a whole number.".to_owned()
            ),
            (
                "inner.flag".to_owned(),
                "Invalid inner.flag".to_owned(),
                "`inner.flag` must be `true` or `false`.".to_owned()
            ),
        ]
    );
    assert_eq!(
        diags.iter().nth(2).unwrap().path,
        Some(AttributePath::root("inner").attr("flag"))
    );
    assert!(OuterModel::from_value(&Value::Null).is_err());
    assert!(OuterModel::from_value(&outer(&[("inner", "x".into())])).is_err());
    assert!(OuterModel::from_value(&outer(&[(
        "tags",
        Value::Map(BTreeMap::from([("a".into(), 1i64.into())]))
    )]))
    .is_err());
}

#[test]
fn debug_redacts_sensitive_values() {
    let m = OuterModel {
        secret: Attr::Known("hunter2".into()),
        ..Default::default()
    };
    let shown = format!("{m:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("secret: \"(sensitive)\""), "{shown}");
}

#[test]
fn attr_helpers() {
    let mut a: Attr<String> = Attr::Unknown;
    a.fill("x".into());
    assert_eq!(a, Attr::Known("x".into()));
    a.fill("y".into());
    assert_eq!(a, Attr::Known("x".into()), "only an unknown is filled");
    assert_eq!(Attr::<String>::Null.or_unknown(), Attr::Unknown);
    assert_eq!(a.or_unknown(), a);
    assert_eq!(Attr::from(Some(1i64)), Attr::Known(1));
    assert_eq!(Attr::<i64>::from(None), Attr::Null);
    assert_eq!(Attr::<i64>::Unknown.value(), None);
}

proptest! {
    #[test]
    fn round_trips(v in block_value(&OuterModel::block())) {
        let m = OuterModel::from_value(&v).unwrap();
        prop_assert_eq!(m.to_value(), v);
    }
}
