//! `eksrole_break_glass`: the resource plumbing around the pure blueprint in
//! `intent::break_glass`; role, access entry and association go through the
//! plumbing shared with team access in `cluster_access`.

mod state;
#[cfg(test)]
mod tests;

use crate::intent::break_glass as intent;
use crate::intent::cluster_access::{self, level_policy_name, AccessLevel};
use crate::intent::Account;
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
    validate: intent::validate,
};
const INTENT_TAG: &str = "break-glass";

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
        let blueprint = match access::checked_blueprint(
            provider,
            &mut start,
            &SPEC,
            intent::blueprint,
            checks,
            trust_quota,
        )
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
        let (mut input, account) = match super::apply_inputs(provider, prior, planned, &SPEC).await
        {
            Ok(v) => v,
            Err(applied) => return applied,
        };
        if let Ok(quota) = provider.lookups.trust_policy_quota(&provider.clients).await {
            input.trust_policy_size_quota = quota;
        }
        let bp = match intent::blueprint(&input, &account) {
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
        let parts: Vec<&str> = id.split('/').collect();
        let (cluster, name, role_name) = match parts.as_slice() {
            [c, n] if !c.is_empty() && !n.is_empty() => (*c, *n, cluster_access::default_role_name(intent::ROLE_KIND, c, n)),
            [c, n, r] if !c.is_empty() && !n.is_empty() && !r.is_empty() => (*c, *n, (*r).to_owned()),
            _ => {
                return Err(Diagnostic::error(
                    "Invalid import ID",
                    format!(
                        "{id:?} is not a break-glass ID. Use `cluster/name` (e.g. `prod/emergency`), or `cluster/name/role_name` \
                         when the role has a custom name."
                    ),
                )
                .into())
            }
        };
        Ok(state::imported(cluster, name, &role_name))
    }
}

fn trust_quota(input: &mut intent::BreakGlassInput) -> &mut usize {
    &mut input.trust_policy_size_quota
}

/// What the shared live checks look at.
fn checks<'a>(
    input: &'a intent::BreakGlassInput,
    bp: &'a intent::BreakGlassBlueprint,
    account: &Account,
    creating: bool,
) -> AccessChecks<'a> {
    let level = input.access_level.unwrap_or(AccessLevel::ClusterAdmin);
    AccessChecks {
        type_name: TYPE_NAME,
        cluster_name: &input.cluster_name,
        name: &input.name,
        principal_arns: &input.principal_arns,
        access_policy_arns: vec![(
            cluster_access::access_policy_arn(&account.partition, level_policy_name(level)),
            "access_level",
        )],
        permissions_boundary: input.permissions_boundary.as_deref(),
        role_name: &bp.access.role.name,
        role_arn: &bp.access.role.arn,
        intent_tag: INTENT_TAG,
        creating,
    }
}
