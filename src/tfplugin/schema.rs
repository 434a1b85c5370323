//! Schemas: blocks, attributes and nested blocks, their proto form, and the
//! object type a block's values have on the wire.

use std::collections::BTreeMap;

use super::{proto, Type};

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub description: &'static str,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    /// A change of this attribute replaces the object (`RequiresReplace`).
    /// Not on the wire: the provider's plan reports it.
    pub force_new: bool,
}

impl Attribute {
    fn new(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            name,
            ty,
            description,
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            force_new: false,
        }
    }

    pub fn required(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            required: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn optional(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            optional: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn computed(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            computed: true,
            ..Self::new(name, ty, description)
        }
    }

    /// Optional in config; the provider fills it when left unset.
    pub fn optional_computed(name: &'static str, ty: Type, description: &'static str) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Self::new(name, ty, description)
        }
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// A change of this attribute replaces the object.
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }

    /// Set in configuration: required or optional (optional+computed included).
    pub fn is_input(&self) -> bool {
        self.required || self.optional
    }

    /// Only the provider sets it.
    pub fn is_computed_only(&self) -> bool {
        self.computed && !self.is_input()
    }

    /// Optional in configuration; the provider fills it when left unset.
    pub fn is_optional_computed(&self) -> bool {
        self.optional && self.computed
    }

    fn to_proto(&self) -> proto::schema::Attribute {
        proto::schema::Attribute {
            name: self.name.to_owned(),
            r#type: self.ty.to_json_bytes(),
            description: self.description.to_owned(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            description_kind: proto::StringKind::Markdown as i32,
            deprecated: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
}

#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub type_name: &'static str,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
}

impl NestedBlock {
    /// An optional single nested block (`name { ... }` at most once). Its
    /// item counts are 0/0: for `Single` nesting the CLIs read 0/0 as
    /// "optional", and a minimum of 1 would make them demand the block.
    pub fn single(type_name: &'static str, block: Block) -> Self {
        NestedBlock {
            type_name,
            block,
            nesting: Nesting::Single,
            min_items: 0,
            max_items: 0,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: &'static str,
}

impl Block {
    /// The object type of this block's values: one attribute per attribute and
    /// nested block, as the CLI encodes them.
    pub fn value_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.to_owned(), a.ty.clone()))
            .collect();
        for nb in &self.blocks {
            let inner = nb.block.value_type();
            let ty = match nb.nesting {
                Nesting::Single => inner,
                Nesting::List => Type::list(inner),
                Nesting::Set => Type::set(inner),
            };
            attrs.insert(nb.type_name.to_owned(), ty);
        }
        Type::Object(attrs)
    }

    /// Names of every attribute and nested block: the keys of this block's values.
    pub fn value_type_attribute_names(&self) -> Vec<String> {
        self.attributes
            .iter()
            .map(|a| a.name.to_owned())
            .chain(self.blocks.iter().map(|b| b.type_name.to_owned()))
            .collect()
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn nested_block(&self, type_name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == type_name)
    }

    /// Attributes whose change replaces the object.
    pub fn force_new_names(&self) -> Vec<&'static str> {
        self.attributes
            .iter()
            .filter(|a| a.force_new)
            .map(|a| a.name)
            .collect()
    }

    /// Set-typed attributes and set-nested blocks: their elements have no
    /// address in a tfplugin5 attribute path.
    pub fn set_names(&self) -> Vec<&'static str> {
        let sets = self
            .attributes
            .iter()
            .filter(|a| matches!(a.ty, Type::Set(_)))
            .map(|a| a.name);
        let set_blocks = self
            .blocks
            .iter()
            .filter(|b| b.nesting == Nesting::Set)
            .map(|b| b.type_name);
        sets.chain(set_blocks).collect()
    }

    /// What configuration sets: required and optional attributes, and every
    /// nested block.
    pub fn input_names(&self) -> Vec<&'static str> {
        let attributes = self
            .attributes
            .iter()
            .filter(|a| a.is_input())
            .map(|a| a.name);
        attributes
            .chain(self.blocks.iter().map(|b| b.type_name))
            .collect()
    }

    /// Attributes only the provider sets.
    pub fn computed_only_names(&self) -> Vec<&'static str> {
        self.attributes
            .iter()
            .filter(|a| a.is_computed_only())
            .map(|a| a.name)
            .collect()
    }

    /// Optional attributes the provider fills when configuration leaves them unset.
    pub fn optional_computed_names(&self) -> Vec<&'static str> {
        self.attributes
            .iter()
            .filter(|a| a.is_optional_computed())
            .map(|a| a.name)
            .collect()
    }

    pub fn to_proto(&self, version: i64) -> proto::schema::Block {
        proto::schema::Block {
            version,
            attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
            block_types: self
                .blocks
                .iter()
                .map(|nb| proto::schema::NestedBlock {
                    type_name: nb.type_name.to_owned(),
                    block: Some(nb.block.to_proto(0)),
                    nesting: match nb.nesting {
                        Nesting::Single => proto::schema::nested_block::NestingMode::Single,
                        Nesting::List => proto::schema::nested_block::NestingMode::List,
                        Nesting::Set => proto::schema::nested_block::NestingMode::Set,
                    } as i32,
                    min_items: nb.min_items,
                    max_items: nb.max_items,
                })
                .collect(),
            description: self.description.to_owned(),
            description_kind: proto::StringKind::Markdown as i32,
            deprecated: false,
        }
    }
}

/// A versioned schema for a provider, resource or data source.
#[derive(Clone, Debug)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn to_proto(&self) -> proto::Schema {
        proto::Schema {
            version: self.version,
            block: Some(self.block.to_proto(self.version)),
        }
    }

    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }
}
