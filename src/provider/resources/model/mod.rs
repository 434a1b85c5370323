//! The models of the intent resources: for each, one declaration of its
//! attributes (name, type, description, required/optional/computed,
//! force-new, sensitive) that gives the typed struct, the schema and the
//! value conversions (see `tfplugin::model`). Attribute names are the
//! contract with configurations and states.

mod break_glass;
mod team_access;
mod workload_identity;

pub use break_glass::BreakGlassModel;
pub use team_access::{CiOidcModel, TeamAccessModel};
pub use workload_identity::WorkloadIdentityModel;
