//! Typed models of schema blocks. One [`model!`] declaration per resource
//! expands a field list into the struct, its schema block, and the exact
//! conversions `from_value` / `to_value`, so the name, type, description and
//! flags of an attribute are written once.
//!
//! A field is an [`Attr`]: null, unknown (plan sees unknowns), known, or a
//! known collection whose elements are not all known (kept as given, so the
//! conversions round-trip). A value of the wrong type is a diagnostic on its
//! attribute path, never a panic.

use std::collections::{BTreeMap, BTreeSet};

use super::{AttributePath, Diagnostic, Diagnostics, Type, Value};

/// One attribute's value as a model holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Attr<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
    /// A known set or map holding unknown or null elements, as the CLI sends
    /// it: kept verbatim so it converts back unchanged. A configuration's
    /// null elements never get this far: validate and plan refuse them
    /// (`plan::null_elements`), so in a config only unknowns make it partial.
    Partial(Value),
}

impl<T> From<Option<T>> for Attr<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Attr::Null, Attr::Known)
    }
}

impl<T> Attr<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }

    /// The value when wholly known.
    pub fn get(&self) -> Option<&T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }

    /// Sets the value if it is unknown: what apply fills in.
    pub fn fill(&mut self, value: T) {
        if self.is_unknown() {
            *self = Attr::Known(value);
        }
    }
}

impl<T: Clone> Attr<T> {
    /// This value, or unknown while it is null: a prior value kept for the plan.
    pub fn or_unknown(&self) -> Attr<T> {
        match self {
            Attr::Null => Attr::Unknown,
            other => other.clone(),
        }
    }
}

impl<T: AttrValue + Clone> Attr<T> {
    /// The value as far as it is known: a partial collection gives its known
    /// elements; null and unknown give `None`.
    pub fn value(&self) -> Option<T> {
        match self {
            Attr::Known(v) => Some(v.clone()),
            Attr::Partial(v) => T::known_part(v),
            Attr::Null | Attr::Unknown => None,
        }
    }

    /// [`Attr::value`], or the empty value.
    pub fn or_default(&self) -> T
    where
        T: Default,
    {
        self.value().unwrap_or_default()
    }

    /// Reads the value at `at`; a value of another type is a diagnostic there.
    pub fn from_value(v: &Value, at: &AttributePath) -> Result<Self, Diagnostics> {
        match v {
            Value::Null => Ok(Attr::Null),
            Value::Unknown => Ok(Attr::Unknown),
            known => T::decode(known, at),
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Attr::Null => Value::Null,
            Attr::Unknown => Value::Unknown,
            Attr::Known(v) => v.encode(),
            Attr::Partial(v) => v.clone(),
        }
    }
}

/// A Rust type an attribute's value can have, and its cty type.
pub trait AttrValue: Sized {
    /// The cty type of the attribute.
    fn cty_type() -> Type;

    /// Reads a value that is neither null nor unknown.
    fn decode(v: &Value, at: &AttributePath) -> Result<Attr<Self>, Diagnostics>;

    fn encode(&self) -> Value;

    /// The known part of a partial value (collections only).
    fn known_part(_partial: &Value) -> Option<Self> {
        None
    }
}

/// The diagnostic for a value of the wrong type at `at`.
pub fn mismatch(at: &AttributePath, expected: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Invalid {at}"),
        format!("`{at}` must be {expected}."),
    )
    .at(at.clone())
    .into()
}

impl AttrValue for String {
    fn cty_type() -> Type {
        Type::String
    }

    fn decode(v: &Value, at: &AttributePath) -> Result<Attr<Self>, Diagnostics> {
        v.as_str()
            .map(|s| Attr::Known(s.to_owned()))
            .ok_or_else(|| mismatch(at, "a string"))
    }

    fn encode(&self) -> Value {
        Value::String(self.clone())
    }
}

impl AttrValue for i64 {
    fn cty_type() -> Type {
        Type::Number
    }

    fn decode(v: &Value, at: &AttributePath) -> Result<Attr<Self>, Diagnostics> {
        v.as_i64()
            .map(Attr::Known)
            .ok_or_else(|| mismatch(at, "a whole number"))
    }

    fn encode(&self) -> Value {
        Value::from(*self)
    }
}

impl AttrValue for bool {
    fn cty_type() -> Type {
        Type::Bool
    }

    fn decode(v: &Value, at: &AttributePath) -> Result<Attr<Self>, Diagnostics> {
        v.as_bool()
            .map(Attr::Known)
            .ok_or_else(|| mismatch(at, "`true` or `false`"))
    }

    fn encode(&self) -> Value {
        Value::Bool(*self)
    }
}

/// A string element that is null or unknown: the collection is partial.
fn incomplete(v: &Value) -> bool {
    v.is_null() || v.is_unknown()
}

impl AttrValue for BTreeSet<String> {
    fn cty_type() -> Type {
        Type::set(Type::String)
    }

    fn decode(v: &Value, at: &AttributePath) -> Result<Attr<Self>, Diagnostics> {
        let Value::Set(items) = v else {
            return Err(mismatch(at, "a set of strings"));
        };
        if items.iter().any(incomplete) {
            return if items.iter().all(|i| incomplete(i) || i.as_str().is_some()) {
                Ok(Attr::Partial(v.clone()))
            } else {
                Err(mismatch(at, "a set of strings"))
            };
        }
        items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .map(Attr::Known)
            .ok_or_else(|| mismatch(at, "a set of strings"))
    }

    fn encode(&self) -> Value {
        Value::Set(self.iter().map(|s| Value::from(s.as_str())).collect())
    }

    fn known_part(partial: &Value) -> Option<Self> {
        Some(
            partial
                .string_elements()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        )
    }
}

impl AttrValue for BTreeMap<String, String> {
    fn cty_type() -> Type {
        Type::map(Type::String)
    }

    fn decode(v: &Value, at: &AttributePath) -> Result<Attr<Self>, Diagnostics> {
        let Value::Map(entries) = v else {
            return Err(mismatch(at, "a map of strings"));
        };
        if entries.values().any(incomplete) {
            return if entries
                .values()
                .all(|i| incomplete(i) || i.as_str().is_some())
            {
                Ok(Attr::Partial(v.clone()))
            } else {
                Err(mismatch(at, "a map of strings"))
            };
        }
        entries
            .iter()
            .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
            .collect::<Option<_>>()
            .map(Attr::Known)
            .ok_or_else(|| mismatch(at, "a map of strings"))
    }

    fn encode(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect(),
        )
    }

    fn known_part(partial: &Value) -> Option<Self> {
        Some(
            partial
                .string_entries()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }
}

/// The path of attribute `name` inside the block at `parent` (the top level
/// when `None`).
pub fn child_path(parent: Option<&AttributePath>, name: &str) -> AttributePath {
    parent.map_or_else(|| AttributePath::root(name), |p| p.attr(name))
}

/// Declares a block's model: the struct, `block()` (its schema), and the
/// conversions `from_value` / `to_value`. Each attribute is written once:
///
/// ```ignore
/// model! {
///     /// Rust docs of the struct.
///     pub struct ExampleModel {
///         description: "Markdown description of the block.",
///         attributes: {
///             name: String = required("Name. Changing it replaces the object.").force_new(),
///             secret: String = optional("A secret.").sensitive(),
///             size: i64 = optional_computed("Size (default 1)."),
///             id: String = computed("The ID."),
///         },
///         blocks: { nested: NestedModel },
///     }
/// }
/// ```
///
/// The kind (`required`, `optional`, `optional_computed`, `computed`) and the
/// flags (`.force_new()`, `.sensitive()`) are the [`Attribute`] builder
/// calls; the cty type follows from the Rust type ([`AttrValue`]). Nested
/// blocks are single (`nesting = Single`), each another model. `Debug`
/// redacts sensitive values.
///
/// [`Attribute`]: crate::tfplugin::schema::Attribute
macro_rules! model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            description: $description:expr,
            attributes: {
                $(
                    $field:ident : $ty:ty = $kind:ident ( $doc:expr ) $( . $flag:ident () )*
                ),* $(,)?
            }
            $(, blocks: { $( $bfield:ident : $bty:ty ),* $(,)? } )?
            $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        $vis struct $name {
            $( pub $field: $crate::tfplugin::model::Attr<$ty>, )*
            $($( pub $bfield: $crate::tfplugin::model::Attr<$bty>, )*)?
        }

        impl $name {
            /// The schema block: attributes in declaration order, then nested blocks.
            pub fn block() -> $crate::tfplugin::schema::Block {
                $crate::tfplugin::schema::Block {
                    description: $description,
                    attributes: vec![
                        $(
                            $crate::tfplugin::schema::Attribute::$kind(
                                stringify!($field),
                                <$ty as $crate::tfplugin::model::AttrValue>::cty_type(),
                                $doc,
                            ) $( . $flag () )*,
                        )*
                    ],
                    blocks: vec![
                        $($(
                            $crate::tfplugin::schema::NestedBlock::single(
                                stringify!($bfield),
                                <$bty>::block(),
                            ),
                        )*)?
                    ],
                }
            }

            /// Reads an object value of this block; every attribute of the
            /// wrong type is reported on its path.
            // A nested block's model may be read only through its parent's.
            #[allow(dead_code)]
            pub fn from_value(
                v: &$crate::tfplugin::Value,
            ) -> Result<Self, $crate::tfplugin::Diagnostics> {
                Self::from_object(v, None)
            }

            /// [`Self::from_value`] for the block at `parent`.
            pub fn from_object(
                v: &$crate::tfplugin::Value,
                parent: Option<&$crate::tfplugin::AttributePath>,
            ) -> Result<Self, $crate::tfplugin::Diagnostics> {
                use $crate::tfplugin::model::{child_path, mismatch, Attr};
                if !matches!(v, $crate::tfplugin::Value::Object(_)) {
                    return Err(match parent {
                        Some(at) => mismatch(at, "a block"),
                        None => $crate::tfplugin::Diagnostic::error(
                            "Invalid object",
                            "The provider received a value that is not an object for a resource. \
                             This is a bug in the provider; please report it.",
                        )
                        .into(),
                    });
                }
                let mut diags = $crate::tfplugin::Diagnostics::default();
                let model = $name {
                    $(
                        $field: Attr::from_value(
                            v.attr(stringify!($field)),
                            &child_path(parent, stringify!($field)),
                        )
                        .unwrap_or_else(|d| {
                            diags.extend(d);
                            Attr::Null
                        }),
                    )*
                    $($(
                        $bfield: Attr::from_value(
                            v.attr(stringify!($bfield)),
                            &child_path(parent, stringify!($bfield)),
                        )
                        .unwrap_or_else(|d| {
                            diags.extend(d);
                            Attr::Null
                        }),
                    )*)?
                };
                if diags.is_empty() {
                    Ok(model)
                } else {
                    Err(diags)
                }
            }

            /// The object value: every attribute and nested block.
            pub fn to_value(&self) -> $crate::tfplugin::Value {
                $crate::tfplugin::Value::Object(
                    [
                        $( (stringify!($field), self.$field.to_value()), )*
                        $($( (stringify!($bfield), self.$bfield.to_value()), )*)?
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                )
            }
        }

        impl $crate::tfplugin::model::AttrValue for $name {
            fn cty_type() -> $crate::tfplugin::Type {
                Self::block().value_type()
            }

            fn decode(
                v: &$crate::tfplugin::Value,
                at: &$crate::tfplugin::AttributePath,
            ) -> Result<$crate::tfplugin::model::Attr<Self>, $crate::tfplugin::Diagnostics> {
                Self::from_object(v, Some(at)).map($crate::tfplugin::model::Attr::Known)
            }

            fn encode(&self) -> $crate::tfplugin::Value {
                self.to_value()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let block = Self::block();
                let sensitive =
                    |name: &str| block.attribute(name).is_some_and(|a| a.sensitive);
                let mut d = f.debug_struct(stringify!($name));
                $(
                    if sensitive(stringify!($field)) && !self.$field.is_null() {
                        d.field(stringify!($field), &"(sensitive)");
                    } else {
                        d.field(stringify!($field), &self.$field);
                    }
                )*
                $($( d.field(stringify!($bfield), &self.$bfield); )*)?
                d.finish()
            }
        }
    };
}

pub(crate) use model;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
