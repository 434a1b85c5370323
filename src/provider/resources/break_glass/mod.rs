//! `eksrole_break_glass`: the pure blueprint in `intent::break_glass` served
//! by the plumbing shared with team access ([`AccessIntent`]); here only what
//! is this intent's own: the window checked against the clock, and the
//! command and alert pattern beside the role and entry.

mod state;
#[cfg(test)]
mod tests;

use crate::apply::cluster_access::Observed;
use crate::intent::break_glass::{self as intent, BreakGlassBlueprint, BreakGlassInput};
use crate::intent::cluster_access::{AccessImportId, ClusterAccessBlueprint};
use crate::intent::{Env, IntentError, Validated};
use crate::tfplugin::{Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{AccessIntent, Planning};
use super::model::BreakGlassModel;
use super::IntentSpec;

pub struct BreakGlassResource;

/// The intent's checks, with the window checked against the current time.
fn validate(input: BreakGlassInput) -> Result<Validated<BreakGlassInput>, Vec<IntentError>> {
    intent::validate(input, state::now())
}

impl AccessIntent for BreakGlassResource {
    type Input = BreakGlassInput;
    type Blueprint = BreakGlassBlueprint;
    const TYPE_NAME: &'static str = "eksrole_break_glass";
    const SPEC: IntentSpec<BreakGlassInput> = IntentSpec {
        schema: BreakGlassModel::schema,
        parse: state::input,
        validate,
    };

    fn blueprint(
        input: &Validated<BreakGlassInput>,
        env: &Env,
    ) -> Result<BreakGlassBlueprint, Vec<IntentError>> {
        intent::blueprint(input, env)
    }

    fn access(bp: &BreakGlassBlueprint) -> &ClusterAccessBlueprint {
        &bp.access
    }

    fn planned(
        plan: &Planning<'_>,
        input: &BreakGlassInput,
        bp: Option<&BreakGlassBlueprint>,
    ) -> Result<Value, Diagnostics> {
        state::planned(plan, input, bp)
    }

    /// Everything the blueprint knows is independent of the input and region.
    fn settle(
        applied: &Value,
        bp: &BreakGlassBlueprint,
        _input: &BreakGlassInput,
        _region: &str,
    ) -> Result<Value, Diagnostics> {
        state::settle(applied, bp)
    }

    fn refresh(current: &Value, observed: &Observed, provider: &Configured) -> Value {
        state::refresh(current, observed, provider)
    }

    fn parse_import_id(id: &str) -> Result<AccessImportId, String> {
        intent::parse_import_id(id)
    }

    fn import_role_name(id: &AccessImportId) -> String {
        intent::import_role_name(id)
    }
}
