//! Attribute paths: where in a configuration a value or a problem sits, so the
//! CLI can underline the exact line.

use std::fmt;

use super::proto;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Attribute(String),
    Key(String),
    Index(i64),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttributePath {
    pub steps: Vec<Step>,
}

impl AttributePath {
    /// The path to a top-level attribute.
    pub fn root(name: &str) -> Self {
        AttributePath {
            steps: vec![Step::Attribute(name.to_owned())],
        }
    }

    /// This path extended by an attribute name.
    pub fn attr(&self, name: &str) -> Self {
        self.with(Step::Attribute(name.to_owned()))
    }

    /// This path extended by a map key or set element.
    pub fn key(&self, key: &str) -> Self {
        self.with(Step::Key(key.to_owned()))
    }

    /// This path extended by a list index.
    pub fn index(&self, index: usize) -> Self {
        self.with(Step::Index(i64::try_from(index).unwrap_or(i64::MAX)))
    }

    fn with(&self, step: Step) -> Self {
        let mut steps = self.steps.clone();
        steps.push(step);
        AttributePath { steps }
    }

    pub fn to_proto(&self) -> proto::AttributePath {
        use proto::attribute_path::step::Selector;
        proto::AttributePath {
            steps: self
                .steps
                .iter()
                .map(|s| proto::attribute_path::Step {
                    selector: Some(match s {
                        Step::Attribute(n) => Selector::AttributeName(n.clone()),
                        Step::Key(k) => Selector::ElementKeyString(k.clone()),
                        Step::Index(i) => Selector::ElementKeyInt(*i),
                    }),
                })
                .collect(),
        }
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Attribute(n) if i == 0 => write!(f, "{n}")?,
                Step::Attribute(n) => write!(f, ".{n}")?,
                Step::Key(k) => write!(f, "[{k:?}]")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}
