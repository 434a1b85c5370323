use super::*;
use crate::tfplugin::schema::{Attribute, NestedBlock};
use crate::tfplugin::Type;

fn block() -> Block {
    let s = Type::String;
    Block {
        description: "",
        attributes: vec![
            Attribute::required("cluster", s.clone(), "").force_new(),
            Attribute::optional("description", s.clone(), ""),
            Attribute::optional_computed("path", s.clone(), "").force_new(),
            Attribute::optional_computed("level", s.clone(), ""),
            Attribute::computed("arn", s.clone(), ""),
        ],
        blocks: vec![NestedBlock {
            type_name: "ci",
            nesting: Nesting::Single,
            min_items: 0,
            max_items: 0,
            block: Block {
                description: "",
                attributes: vec![
                    Attribute::required("provider", s.clone(), ""),
                    Attribute::optional_computed("audience", s, ""),
                ],
                blocks: vec![],
            },
        }],
    }
}

#[test]
fn only_force_new_changes_replace() {
    let b = block();
    let prior = Value::object([
        ("cluster", "c".into()),
        ("description", "x".into()),
        ("path", "/".into()),
    ]);
    assert!(requires_replace(&b, &prior, &prior).is_empty());
    let changed = Value::object([
        ("cluster", "d".into()),
        ("description", "y".into()),
        ("path", "/".into()),
    ]);
    assert_eq!(
        requires_replace(&b, &prior, &changed),
        vec![AttributePath::root("cluster")]
    );
    assert!(
        requires_replace(&b, &Value::Null, &changed).is_empty(),
        "a create replaces nothing"
    );
    let pending = Value::object([("cluster", Value::Unknown), ("path", Value::Null)]);
    assert!(
        requires_replace(&b, &prior, &pending).is_empty(),
        "unknown and null are not changes yet"
    );
}

#[test]
fn inputs_known_looks_at_inputs_only() {
    let b = block();
    let known = Value::object([("cluster", "c".into()), ("arn", Value::Unknown)]);
    assert!(inputs_known(&b, &known), "computed values may be unknown");
    let level = Value::object([("cluster", "c".into()), ("level", Value::Unknown)]);
    assert!(!inputs_known(&b, &level));
    let nested = Value::object([
        ("cluster", "c".into()),
        ("ci", Value::object([("provider", Value::Unknown)])),
    ]);
    assert!(!inputs_known(&b, &nested), "nested blocks are inputs");
}

#[test]
fn planned_unknown_follows_the_schema() {
    let b = block();
    let proposed = Value::object([
        ("cluster", Value::Unknown),
        ("description", Value::Null),
        ("path", Value::Null),
        ("level", "view".into()),
        ("arn", Value::Null),
        (
            "ci",
            Value::object([("provider", "p".into()), ("audience", Value::Null)]),
        ),
    ]);
    let expected = Value::object([
        ("cluster", Value::Unknown),
        ("description", Value::Null),
        ("path", Value::Unknown),
        ("level", "view".into()),
        ("arn", Value::Unknown),
        (
            "ci",
            Value::object([("provider", "p".into()), ("audience", Value::Unknown)]),
        ),
    ]);
    assert_eq!(planned_unknown(&b, &proposed), expected);
    let no_block = Value::object([("cluster", "c".into()), ("ci", Value::Null)]);
    assert_eq!(
        planned_unknown(&b, &no_block).attr("ci"),
        &Value::Null,
        "an absent block stays absent"
    );
}

#[test]
fn a_plan_may_leave_optional_computed_values_to_apply() {
    let b = block();
    let planned = Value::object([
        ("cluster", "c".into()),
        ("level", Value::Unknown),
        ("arn", Value::Unknown),
        (
            "ci",
            Value::object([("provider", "p".into()), ("audience", Value::Unknown)]),
        ),
    ]);
    assert!(planned_inputs_known(&b, &planned));
    assert!(
        !inputs_known(&b, &planned),
        "in a configuration, an unknown is an input not known yet"
    );
    let configured_unknown =
        Value::object([("cluster", "c".into()), ("description", Value::Unknown)]);
    assert!(!planned_inputs_known(&b, &configured_unknown));
    let nested_unknown = Value::object([
        ("cluster", "c".into()),
        ("ci", Value::object([("provider", Value::Unknown)])),
    ]);
    assert!(!planned_inputs_known(&b, &nested_unknown));
}

fn collections_block() -> Block {
    let s = Type::String;
    Block {
        description: "",
        attributes: vec![
            Attribute::required("name", s.clone(), ""),
            Attribute::optional("arns", Type::set(s.clone()), ""),
            Attribute::optional("order", Type::list(s.clone()), ""),
            Attribute::optional("tags", Type::map(s.clone()), ""),
            Attribute::optional("nested", Type::map(Type::list(s.clone())), ""),
            Attribute::computed("tags_all", Type::map(s.clone()), ""),
        ],
        blocks: vec![NestedBlock::single(
            "ci",
            Block {
                description: "",
                attributes: vec![Attribute::required("subjects", Type::set(s), "")],
                blocks: vec![],
            },
        )],
    }
}

fn element_paths(found: &[NullElement]) -> Vec<(String, String, bool)> {
    found
        .iter()
        .map(|n| (n.collection.to_string(), n.element.to_string(), n.in_map))
        .collect()
}

#[test]
fn null_elements_are_found_at_any_depth_of_the_inputs() {
    let b = collections_block();
    let config = Value::object([
        ("name", Value::Null),
        ("arns", Value::Set(vec!["a".into(), Value::Null])),
        ("order", Value::List(vec!["a".into(), Value::Null])),
        (
            "tags",
            Value::Map([("a".to_owned(), Value::Null), ("b".to_owned(), "x".into())].into()),
        ),
        (
            "nested",
            Value::Map([("k".to_owned(), Value::List(vec![Value::Null]))].into()),
        ),
        (
            "tags_all",
            Value::Map([("c".to_owned(), Value::Null)].into()),
        ),
        (
            "ci",
            Value::object([("subjects", Value::Set(vec![Value::Null]))]),
        ),
    ]);
    assert_eq!(
        element_paths(&null_elements(&b, &config)),
        [
            ("arns".into(), "arns".into(), false),
            ("order".into(), "order[1]".into(), false),
            ("tags".into(), "tags[\"a\"]".into(), true),
            ("nested[\"k\"]".into(), "nested[\"k\"][0]".into(), false),
            ("ci.subjects".into(), "ci.subjects".into(), false),
        ],
        "a null attribute is not an element, and computed-only attributes are not inputs"
    );
    let diags = null_element_diagnostics(&b, &config);
    assert_eq!(diags.0.len(), 5);
    let first = &diags.0[0];
    assert_eq!(first.summary, "Null element in `arns`");
    assert!(first.detail.contains("compact()"), "{}", first.detail);
    assert_eq!(first.path, Some(AttributePath::root("arns")));
    let map = &diags.0[2];
    assert_eq!(map.path, Some(AttributePath::root("tags").key("a")));
    assert!(map.detail.contains("v != null"), "{}", map.detail);
    assert!(
        map.detail.starts_with("`tags[\"a\"]` is null."),
        "{}",
        map.detail
    );
    assert!(
        first.detail.starts_with("`arns` holds a null element."),
        "{}",
        first.detail
    );
}

#[test]
fn unknown_elements_and_null_collections_are_not_null_elements() {
    let b = collections_block();
    let config = Value::object([
        ("arns", Value::Set(vec!["a".into(), Value::Unknown])),
        ("order", Value::Unknown),
        (
            "tags",
            Value::Map([("a".to_owned(), Value::Unknown)].into()),
        ),
        ("nested", Value::Null),
        ("ci", Value::Null),
    ]);
    assert!(null_elements(&b, &config).is_empty());
    assert!(null_element_diagnostics(&b, &Value::Unknown).is_empty());
}
