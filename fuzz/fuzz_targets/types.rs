//! The cty types the fuzz targets decode against: the first input byte picks
//! one, so the fuzzer explores schema-shaped objects, every collection kind
//! and DynamicPseudoType.

use eksrole::tfplugin::Type;

pub fn pick(selector: u8) -> Type {
    let schema_like = Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("count", Type::Number),
        ("enabled", Type::Bool),
        ("tags", Type::map(Type::String)),
        ("policies", Type::set(Type::String)),
        (
            "rule",
            Type::list(Type::object([
                ("effect", Type::String),
                ("actions", Type::list(Type::String)),
            ])),
        ),
        ("extra", Type::Dynamic),
    ]);
    let types = [
        schema_like,
        Type::Dynamic,
        Type::Number,
        Type::String,
        Type::list(Type::Dynamic),
        Type::set(Type::object([
            ("n", Type::Number),
            ("s", Type::set(Type::String)),
        ])),
        Type::map(Type::list(Type::Number)),
        Type::Tuple(vec![Type::Bool, Type::Number, Type::Dynamic]),
        Type::list(Type::list(Type::list(Type::list(Type::String)))),
    ];
    types[usize::from(selector) % types.len()].clone()
}
