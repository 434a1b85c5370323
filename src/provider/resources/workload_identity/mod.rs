//! `eksrole_workload_identity`: the resource plumbing around the pure
//! blueprint in `intent::workload_identity`: config → input, the live checks
//! of `validate::workload_identity`, the planned state, and apply, delete,
//! refresh and import through `apply::workload_identity`.

mod state;

use std::collections::BTreeSet;

use crate::apply::role::StatePolicies;
use crate::apply::workload_identity::{self as steps, ServiceAccount};
use crate::apply::{Claim, Completion};
use crate::intent::tags::Owner;
use crate::intent::workload_identity::{
    self as intent, Mechanism, WorkloadIdentityBlueprint, WorkloadIdentityInput,
};
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};
use crate::validate::workload_identity as checks;

use super::super::context::Configured;
use super::model::WorkloadIdentityModel;
use super::{failed, step_diagnostic, Applied, IntentSpec, PlanStart, Planned, Resource};

const SPEC: IntentSpec<WorkloadIdentityInput> = IntentSpec {
    schema: WorkloadIdentityModel::schema,
    parse: state::input,
    validate: intent::validate,
};

pub struct WorkloadIdentityResource;

#[tonic::async_trait]
impl Resource for WorkloadIdentityResource {
    fn type_name(&self) -> &'static str {
        "eksrole_workload_identity"
    }

    fn schema(&self) -> Schema {
        WorkloadIdentityModel::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        SPEC.validate_config(config)
    }

    async fn plan(
        &self,
        provider: &Configured,
        prior: &Value,
        prior_private: &[u8],
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        let prior_pair = (prior, prior_private);
        let mut start = match super::begin_plan(&SPEC, provider, prior_pair, proposed, config).await
        {
            Ok(start) => start,
            Err(stopped) => return live_checked_anyway(provider, stopped).await,
        };
        let blueprint = match checked_blueprint(provider, &mut start).await {
            Ok(bp) => bp,
            Err(planned) => return planned,
        };
        let PlanStart {
            input,
            requires_replace,
            replacing,
            private,
            diags,
            ..
        } = start;
        let state = state::planned(
            proposed,
            prior,
            config,
            &input,
            blueprint.as_ref(),
            replacing,
        );
        super::finish_plan(state, requires_replace, private, diags)
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
        let (lookups, c) = (&provider.lookups, &provider.clients);
        let facts = match checks::apply_facts(lookups, c, &input, &account).await {
            Ok(facts) => facts,
            Err(problem) => return failed(prior, SPEC.diagnostics(&[problem])),
        };
        let env = super::env(provider, account, facts.trust_policy_quota);
        let bp = match intent::blueprint(&input, &env, facts.oidc_provider_arn.as_deref()) {
            Ok(bp) => bp,
            Err(problems) => return failed(prior, SPEC.diagnostics(&problems)),
        };
        let sa = service_account(&input);
        // Pod Identity: the association completes the intent. IRSA has no
        // such object, so a role tagged as this intent's is always adopted.
        let claim = Claim {
            completion: match bp.association {
                Some(_) => Completion::PodIdentityAssociation,
                None => Completion::None,
            },
            ..claim(sa, prior)
        };
        let outcome = steps::apply(&provider.apply_ctx(), &bp, sa, &claim).await;
        let applied = state::applied(prior, planned, outcome);
        super::settled(applied, |state| state::settle(state, &bp))
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        let sa = state::service_account(prior);
        // What the state says the role holds: deleted without listing.
        let policies = StatePolicies {
            managed: strings(prior.attr("policy_arns").string_elements()),
            inline: strings(prior.attr("inline_policies").string_entries().into_keys()),
        };
        let deleted = steps::delete(
            &provider.apply_ctx(),
            sa,
            &claim(sa, prior),
            prior.attr("mechanism").as_str() == Some(Mechanism::Irsa.as_str()),
            prior.attr("role_name").as_str(),
            &policies,
        )
        .await;
        match deleted {
            Ok(()) => Diagnostics::default(),
            Err(e) => step_diagnostic(e).into(),
        }
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        let Some(role_name) = current.attr("role_name").as_str() else {
            return Ok(current.clone());
        };
        let mechanism = current.attr("mechanism").as_str();
        let sa = state::service_account(current);
        let listed = provider
            .lookups
            .listed_role(&provider.clients, role_name)
            .await;
        let observed = steps::observe(
            &provider.apply_ctx(),
            sa,
            role_name,
            mechanism.map(|m| Mechanism::parse(m).unwrap_or_default()),
            &claim(sa, current),
            listed,
        )
        .await
        .map_err(step_diagnostic)?;
        match observed {
            Some(observed) => Ok(state::refreshed(
                current,
                &observed,
                &provider.settings.default_tags,
            )),
            None => Ok(Value::Null),
        }
    }

    async fn import(&self, provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        let id = intent::parse_import_id(id)
            .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
        let sa = ServiceAccount {
            cluster: &id.cluster_name,
            namespace: &id.namespace,
            name: &id.service_account,
        };
        let found = steps::look_up_import(&provider.apply_ctx(), sa, id.role_name.as_deref())
            .await
            .map_err(step_diagnostic)?;
        state::imported(sa, found)
    }
}

/// A plan the static checks stopped, with the problems the live checks
/// find in the refused input added (see [`super::Stopped`]).
async fn live_checked_anyway(
    provider: &Configured,
    stopped: super::Stopped<WorkloadIdentityInput>,
) -> Planned {
    let mut planned = stopped.planned;
    if let Some(u) = stopped.unchecked {
        let (lookups, c) = (&provider.lookups, &provider.clients);
        let replaces = u.replaces.as_ref();
        let found =
            checks::live_checks(lookups, c, &u.input, &u.account, u.creating, replaces).await;
        let problems = u.relevant(found.problems);
        planned.diagnostics.extend(SPEC.diagnostics(&problems));
    }
    planned
}

/// With live checks on, the live checks, then the blueprint built on the
/// facts they found; `Ok(None)` with live checks off; `Err` is the failed
/// plan (the live checks' errors stop it before the blueprint is built).
async fn checked_blueprint(
    provider: &Configured,
    start: &mut PlanStart<WorkloadIdentityInput>,
) -> Result<Option<WorkloadIdentityBlueprint>, Planned> {
    let Some(account) = start.account.clone() else {
        return Ok(None);
    };
    let (lookups, c) = (&provider.lookups, &provider.clients);
    let found = checks::live_checks(
        lookups,
        c,
        &start.input,
        &account,
        start.creating,
        start.replaces.as_ref(),
    )
    .await;
    start.diags.extend(SPEC.diagnostics(&found.problems));
    if !start.diags.has_errors() {
        let env = super::env(provider, account, found.facts.trust_policy_quota);
        let oidc_provider_arn = found.facts.oidc_provider_arn.as_deref();
        match intent::blueprint(&start.input, &env, oidc_provider_arn) {
            Ok(bp) => return Ok(Some(bp)),
            Err(problems) => start.diags.extend(SPEC.diagnostics(&problems)),
        }
    }
    Err(Planned {
        diagnostics: std::mem::take(&mut start.diags),
        ..Default::default()
    })
}

/// The service account an input is for.
fn service_account(input: &WorkloadIdentityInput) -> ServiceAccount<'_> {
    ServiceAccount {
        cluster: &input.cluster_name,
        namespace: &input.namespace,
        name: &input.service_account,
    }
}

/// What this resource may change: the objects of the intent for `sa`, and
/// those its prior state holds.
fn claim<'a>(sa: ServiceAccount<'a>, prior: &'a Value) -> Claim<'a> {
    Claim {
        owner: Owner::WorkloadIdentity {
            cluster: sa.cluster,
            namespace: sa.namespace,
            service_account: sa.name,
        },
        role_id: prior.attr("role_id").as_str(),
        association_id: prior.attr("association_id").as_str(),
        access_entry_arn: None,
        creating: prior.is_null(),
        completion: Completion::None,
    }
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    items.into_iter().map(str::to_owned).collect()
}
