//! `eksrole_break_glass`: the pure blueprint in `intent::break_glass` served
//! by the plumbing shared with team access ([`AccessIntent`]); here only what
//! is this intent's own: the window checked against the clock (an ended
//! window is an error only when the plan sets it), the defaults
//! of its own attributes, and the command and alert pattern beside the role
//! and entry.

mod state;
#[cfg(test)]
mod tests;

use crate::apply::cluster_access::Observed;
use crate::intent::break_glass::{
    self, alert_event_pattern, assume_role_command, BreakGlassBlueprint, BreakGlassInput,
};
use crate::intent::cluster_access::{AccessKind, ClusterAccessBlueprint};
use crate::intent::{IntentError, Validated};
use crate::tfplugin::model::Attr;
use crate::tfplugin::{Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{AccessIntent, BlueprintFn, Outputs, Planning};
use super::model::BreakGlassModel;
use super::values::set_attr;
use super::IntentSpec;

pub struct BreakGlassResource;

/// The intent's checks, with the window checked against the current time.
fn validate(input: BreakGlassInput) -> Result<Validated<BreakGlassInput>, Vec<IntentError>> {
    break_glass::validate(input, state::now())
}

impl AccessIntent for BreakGlassResource {
    type Input = BreakGlassInput;
    /// The role and access entry, the assume-role command and the alert pattern.
    type Blueprint = BreakGlassBlueprint;
    const TYPE_NAME: &'static str = "eksrole_break_glass";
    const KIND: AccessKind = AccessKind::BreakGlass;
    const SPEC: IntentSpec<BreakGlassInput> = IntentSpec {
        schema: BreakGlassModel::schema,
        parse: state::input,
        validate,
    };
    const BLUEPRINT: BlueprintFn<BreakGlassInput, BreakGlassBlueprint> = break_glass::blueprint;
    const IMPORTED_INPUTS: fn(&mut Value, &Observed) = state::imported_inputs;

    fn access(bp: &BreakGlassBlueprint) -> &ClusterAccessBlueprint {
        &bp.access
    }

    fn blueprint_warnings(bp: &BreakGlassBlueprint) -> &[IntentError] {
        &bp.warnings
    }

    /// A window that has ended: an error when this plan sets `not_after`,
    /// a warning when it is the one in state.
    fn plan_problems(input: &BreakGlassInput, prior: &Value, creating: bool) -> Vec<IntentError> {
        let prior_not_after = (!creating).then(|| prior.attr("not_after").as_str());
        break_glass::window_end_problem(input, prior_not_after, state::now())
            .into_iter()
            .collect()
    }

    fn planned(plan: &Planning<'_>, input: &BreakGlassInput) -> Result<Value, Diagnostics> {
        let level = input.effective_access_level();
        let m = BreakGlassModel {
            mfa_max_age_seconds: Attr::Known(input.effective_mfa_max_age_seconds()),
            require_source_identity: Attr::Known(input.effective_require_source_identity()),
            enabled: Attr::Known(input.effective_enabled()),
            access_level: Attr::Known(level.as_str().to_owned()),
            ..BreakGlassModel::from_value(plan.proposed)?
        };
        Ok(m.to_value())
    }

    fn outputs(bp: Option<&BreakGlassBlueprint>, _region: &str) -> Outputs {
        vec![
            (
                "assume_role_command",
                bp.map(|bp| bp.assume_role_command.as_str().into()),
            ),
            (
                "alert_event_pattern",
                bp.map(|bp| bp.alert_event_pattern.as_str().into()),
            ),
        ]
    }

    /// The command and pattern name the role as it exists.
    fn refresh(state: &mut Value, current: &Value, observed: &Observed, _provider: &Configured) {
        let role = &observed.role;
        let name = current.attr("name").as_str().unwrap_or_default();
        let principals = current.attr("principal_arns").string_elements();
        let command = assume_role_command(&role.arn, name, role.max_session_duration, principals);
        set_attr(state, "assume_role_command", command.into());
        let pattern = alert_event_pattern(&role.arn);
        set_attr(state, "alert_event_pattern", pattern.into());
    }
}
