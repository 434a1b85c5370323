//! The Terraform side of the wire: generated tfplugin5 messages, cty types and
//! values with their msgpack and JSON encodings, schemas, typed block models
//! (`model`), the plan rules a schema implies (`plan`), attribute paths and
//! diagnostics. Nothing here knows about AWS.

mod codec;
pub mod diagnostics;
pub mod json;
pub mod model;
pub mod msgpack;
pub mod path;
pub mod plan;
pub mod schema;
pub mod types;
pub mod value;

/// Generated from proto/tfplugin5.proto.
#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod proto {
    tonic::include_proto!("tfplugin5");
}

/// Generated from proto/plugin.proto (go-plugin's controller and stdio services).
#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod goplugin {
    tonic::include_proto!("plugin");
}

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use path::AttributePath;
pub use types::Type;
pub use value::{Number, Value};
