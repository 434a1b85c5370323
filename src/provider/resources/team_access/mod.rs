//! `eksrole_team_access`: the resource plumbing around the pure blueprint in
//! `intent::team_access`; role, access entry and associations go through the
//! plumbing shared with break-glass in `cluster_access`.

mod state;
#[cfg(test)]
mod tests;

use crate::intent::cluster_access::{self, level_policy_name, ClusterAccessBlueprint};
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
const INTENT_TAG: &str = "team-access";

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
        if let Ok(quota) = provider.lookups.trust_policy_quota(&provider.clients).await {
            input.trust_policy_size_quota = quota;
        }
        // An unchanged username is EKS's (or already applied): only a change is the user's to apply.
        if planned.attr("kubernetes_username") == prior.attr("kubernetes_username") {
            input.kubernetes_username = None;
        }
        let bp = match intent::blueprint(&input, &account) {
            Ok(bp) => bp,
            Err(problems) => return super::failed(prior, SPEC.diagnostics(&problems)),
        };
        let applied = access::apply(provider, &bp, prior, planned).await;
        super::settled(applied, |state| {
            state::settle(state, &bp, &input, &account.region)
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
        let parts: Vec<&str> = id.split('/').collect();
        let (cluster, name, role_name) = match parts.as_slice() {
            [c, n] if !c.is_empty() && !n.is_empty() => (*c, *n, cluster_access::default_role_name(intent::ROLE_KIND, c, n)),
            [c, n, r] if !c.is_empty() && !n.is_empty() && !r.is_empty() => (*c, *n, (*r).to_owned()),
            _ => {
                return Err(Diagnostic::error(
                    "Invalid import ID",
                    format!(
                        "{id:?} is not a team access ID. Use `cluster/name` (e.g. `prod/developers`), or `cluster/name/role_name` \
                         when the role has a custom name."
                    ),
                )
                .into())
            }
        };
        Ok(state::imported(cluster, name, &role_name))
    }
}

fn trust_quota(input: &mut intent::TeamAccessInput) -> &mut usize {
    &mut input.trust_policy_size_quota
}

/// What the shared live checks look at.
fn checks<'a>(
    input: &'a intent::TeamAccessInput,
    bp: &'a ClusterAccessBlueprint,
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
        role_name: &bp.role.name,
        role_arn: &bp.role.arn,
        intent_tag: INTENT_TAG,
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
                cluster_access::access_policy_arn(partition, level_policy_name(l)),
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
