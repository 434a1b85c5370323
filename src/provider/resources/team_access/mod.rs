//! `eksrole_team_access`: the resource plumbing around the pure blueprint in
//! `intent::team_access`; role, access entry and associations go through the
//! plumbing shared with break-glass in `cluster_access`.

mod state;
#[cfg(test)]
mod tests;

use crate::intent::access_entry::{access_policy_arn, level_policy_name};
use crate::intent::team_access as intent;
use crate::intent::Account;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{self as access, AccessChecks};
use super::model::TeamAccessModel;
use super::{Applied, IntentSpec, PlanStart, Planned, Resource};

const TYPE_NAME: &str = "eksrole_team_access";
const SPEC: IntentSpec<intent::TeamAccessInput> = IntentSpec {
    schema: TeamAccessModel::schema,
    parse: state::input,
    validate: intent::validate,
};

pub struct TeamAccessResource;

#[tonic::async_trait]
impl Resource for TeamAccessResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        TeamAccessModel::schema()
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
        let state = state::planned(
            proposed,
            prior,
            config,
            &input,
            blueprint.as_ref(),
            provider.clients.region(),
            replacing,
        );
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
        // An unchanged username is EKS's (or already applied): only a change is the user's to apply.
        if planned.attr("kubernetes_username") == prior.attr("kubernetes_username") {
            input.kubernetes_username = None;
        }
        let input = match super::validated(&SPEC, prior, input) {
            Ok(input) => input,
            Err(applied) => return applied,
        };
        let quota = provider.lookups.trust_policy_quota(&provider.clients).await;
        let env = super::env(provider, account, quota.ok());
        let bp = match intent::blueprint(&input, &env) {
            Ok(bp) => bp,
            Err(problems) => return super::failed(prior, SPEC.diagnostics(&problems)),
        };
        let applied = access::apply(provider, &bp, prior, planned).await;
        super::settled(applied, |state| {
            state::settle(state, &bp, &input, &env.account.region)
        })
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        access::delete(provider, prior).await
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        state::refresh(provider, current).await
    }

    async fn import(&self, provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        let _ = provider;
        let id = intent::parse_import_id(id)
            .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
        let role_name = intent::import_role_name(&id);
        Ok(state::imported(&id.cluster_name, &id.name, &role_name))
    }
}

/// What the shared live checks look at.
fn checks<'a>(
    input: &'a intent::TeamAccessInput,
    account: &Account,
    creating: bool,
) -> AccessChecks<'a> {
    AccessChecks {
        type_name: TYPE_NAME,
        cluster_name: &input.cluster_name,
        name: &input.name,
        principal_arns: &input.principal_arns,
        access_policy_arns: access_policy_arns(input, &account.partition),
        permissions_boundary: input.permissions_boundary.as_deref(),
        role_name: input.effective_role_name(),
        role_arn: input.role_settings().role_arn(account),
        owner: input.owner(),
        creating,
    }
}

/// The access policy ARNs the input asks for, with the attribute each comes from.
fn access_policy_arns(
    input: &intent::TeamAccessInput,
    partition: &str,
) -> Vec<(String, &'static str)> {
    let mut arns: Vec<(String, &'static str)> = input
        .access_level
        .map(|l| {
            (
                access_policy_arn(partition, level_policy_name(l)),
                "access_level",
            )
        })
        .into_iter()
        .collect();
    arns.extend(
        input
            .access_policy_arns
            .iter()
            .map(|a| (a.clone(), "access_policy_arns")),
    );
    arns
}
