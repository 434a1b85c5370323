//! `eksrole_break_glass`: the resource plumbing around the pure blueprint in
//! `intent::break_glass`; role, access entry and association go through the
//! plumbing shared with team access in `cluster_access`.

mod state;
#[cfg(test)]
mod tests;

use crate::intent::access_entry::{access_policy_arn, level_policy_name};
use crate::intent::break_glass as intent;
use crate::intent::{Account, IntentError, Validated};
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{self as access, AccessChecks};
use super::model::BreakGlassModel;
use super::{Applied, IntentSpec, PlanStart, Planned, Resource};

const TYPE_NAME: &str = "eksrole_break_glass";
const SPEC: IntentSpec<intent::BreakGlassInput> = IntentSpec {
    schema: BreakGlassModel::schema,
    parse: state::input,
    validate,
};

pub struct BreakGlassResource;

#[tonic::async_trait]
impl Resource for BreakGlassResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        BreakGlassModel::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        SPEC.validate_config(config)
    }

    async fn plan(
        &self,
        provider: &Configured,
        prior: &Value,
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        let mut start = match super::begin_plan(&SPEC, provider, prior, proposed, config).await {
            Ok(start) => start,
            Err(planned) => return planned,
        };
        let blueprint =
            match access::checked_blueprint(provider, &mut start, &SPEC, intent::blueprint, checks)
                .await
            {
                Ok(bp) => bp,
                Err(planned) => return planned,
            };
        let PlanStart {
            input,
            requires_replace,
            replacing,
            diags,
            ..
        } = start;
        let state = state::planned(proposed, prior, &input, blueprint.as_ref(), replacing);
        super::finish_plan(state, requires_replace, diags)
    }

    async fn apply(
        &self,
        provider: &Configured,
        prior: &Value,
        planned: &Value,
        _private: &[u8],
    ) -> Applied {
        let (input, account) = match super::apply_inputs(provider, prior, planned, &SPEC).await {
            Ok(v) => v,
            Err(applied) => return applied,
        };
        let input = match super::validated(&SPEC, prior, input) {
            Ok(input) => input,
            Err(applied) => return applied,
        };
        let quota = provider.lookups.trust_policy_quota(&provider.clients).await;
        let bp = match intent::blueprint(&input, &super::env(provider, account, quota.ok())) {
            Ok(bp) => bp,
            Err(problems) => return super::failed(prior, SPEC.diagnostics(&problems)),
        };
        let applied = access::apply(provider, &bp.access, prior, planned).await;
        super::settled(applied, |state| state::settle(state, &bp))
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        access::delete(provider, prior).await
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        state::refresh(provider, current).await
    }

    async fn import(&self, _provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        let id = intent::parse_import_id(id)
            .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
        let role_name = intent::import_role_name(&id);
        Ok(state::imported(&id.cluster_name, &id.name, &role_name))
    }
}

/// The intent's checks, with the window checked against the current time.
fn validate(
    input: intent::BreakGlassInput,
) -> Result<Validated<intent::BreakGlassInput>, Vec<IntentError>> {
    intent::validate(input, state::now())
}

/// What the shared live checks look at.
fn checks<'a>(
    input: &'a intent::BreakGlassInput,
    account: &Account,
    creating: bool,
) -> AccessChecks<'a> {
    let level = input.effective_access_level();
    AccessChecks {
        type_name: TYPE_NAME,
        cluster_name: &input.cluster_name,
        name: &input.name,
        principal_arns: &input.principal_arns,
        access_policy_arns: vec![(
            access_policy_arn(&account.partition, level_policy_name(level)),
            "access_level",
        )],
        permissions_boundary: input.permissions_boundary.as_deref(),
        role_name: input.effective_role_name(),
        role_arn: input.role_settings().role_arn(account),
        owner: input.owner(),
        creating,
    }
}
