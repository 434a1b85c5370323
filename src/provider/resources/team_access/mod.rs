//! `eksrole_team_access`: the pure blueprint in `intent::team_access` served
//! by the plumbing shared with break-glass ([`AccessIntent`]); here only what
//! is this intent's own.

mod state;
#[cfg(test)]
mod tests;

use crate::apply::cluster_access::Observed;
use crate::intent::cluster_access::{AccessImportId, ClusterAccessBlueprint};
use crate::intent::team_access as intent;
use crate::intent::{Env, IntentError, Validated};
use crate::tfplugin::{Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{AccessIntent, Planning};
use super::model::TeamAccessModel;
use super::IntentSpec;

pub struct TeamAccessResource;

impl AccessIntent for TeamAccessResource {
    type Input = intent::TeamAccessInput;
    type Blueprint = ClusterAccessBlueprint;
    const TYPE_NAME: &'static str = "eksrole_team_access";
    const SPEC: IntentSpec<intent::TeamAccessInput> = IntentSpec {
        schema: TeamAccessModel::schema,
        parse: state::input,
        validate: intent::validate,
    };

    fn blueprint(
        input: &Validated<intent::TeamAccessInput>,
        env: &Env,
    ) -> Result<ClusterAccessBlueprint, Vec<IntentError>> {
        intent::blueprint(input, env)
    }

    fn access(bp: &ClusterAccessBlueprint) -> &ClusterAccessBlueprint {
        bp
    }

    /// An unchanged username is EKS's (or already applied): only a change is
    /// the user's to apply.
    fn at_apply(
        mut input: intent::TeamAccessInput,
        prior: &Value,
        planned: &Value,
    ) -> intent::TeamAccessInput {
        if planned.attr("kubernetes_username") == prior.attr("kubernetes_username") {
            input.kubernetes_username = None;
        }
        input
    }

    fn planned(
        plan: &Planning<'_>,
        input: &intent::TeamAccessInput,
        bp: Option<&ClusterAccessBlueprint>,
    ) -> Result<Value, Diagnostics> {
        state::planned(plan, input, bp)
    }

    fn settle(
        applied: &Value,
        bp: &ClusterAccessBlueprint,
        input: &intent::TeamAccessInput,
        region: &str,
    ) -> Result<Value, Diagnostics> {
        state::settle(applied, bp, input, region)
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
