//! Managed resources (the intents). Each implements [`Resource`]; the RPC
//! layer handles what is common to all: decoding, destroy plans, null states.

pub mod break_glass;
pub mod cluster_access;
pub mod model;
pub mod team_access;
pub mod values;
pub mod workload_identity;

use crate::intent::trust_policy_rules::DEFAULT_TRUST_POLICY_QUOTA;
use crate::intent::{Account, Env, IntentError, Validated};
use crate::tfplugin::diagnostics::Severity;
use crate::tfplugin::plan;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

use crate::validate::replaced::PriorObjects;

use super::context::{aws_diagnostic, Configured};
use crate::apply::{Failure, StepError};

/// What plan decided.
#[derive(Debug, Default)]
pub struct Planned {
    pub state: Value,
    pub requires_replace: Vec<AttributePath>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// What apply left: the new state (possibly partial, after a failure, so that
/// destroy can remove what was created) and the diagnostics.
#[derive(Debug, Default)]
pub struct Applied {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// A managed resource type.
#[tonic::async_trait]
pub trait Resource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;

    /// Static checks of the configuration (no AWS calls; values may be unknown).
    fn validate(&self, config: &Value) -> Diagnostics;

    /// Plans a create (`prior` null) or an update. Never called for destroy.
    /// `prior_private` is the prior state's private data, or, in the second
    /// plan of a replacement (planned as a create), the first plan's.
    async fn plan(
        &self,
        provider: &Configured,
        prior: &Value,
        prior_private: &[u8],
        proposed: &Value,
        config: &Value,
    ) -> Planned;

    /// Creates (`prior` null) or updates the object to match `planned`.
    async fn apply(
        &self,
        provider: &Configured,
        prior: &Value,
        planned: &Value,
        private: &[u8],
    ) -> Applied;

    /// Deletes everything `prior` owns; objects already gone count as deleted.
    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics;

    /// Refreshes `state` from AWS; `Value::Null` when the object is gone.
    async fn read(&self, provider: &Configured, state: &Value) -> Result<Value, Diagnostics>;

    /// A state holding what `id` names, to be completed by `read`.
    async fn import(&self, provider: &Configured, id: &str) -> Result<Value, Diagnostics>;
}

/// Every resource type the provider serves.
pub fn all() -> Vec<Box<dyn Resource>> {
    vec![
        Box::new(workload_identity::WorkloadIdentityResource),
        Box::new(team_access::TeamAccessResource),
        Box::new(break_glass::BreakGlassResource),
    ]
}

/// What apply checks whatever plan could do: said by both warnings below.
const AT_APPLY: &str = "At apply, the static checks run again on the final values, and the provider makes sure \
     it owns any existing role, Pod Identity association or access entry before changing it; a missing cluster, \
     principal or policy is reported by AWS at the step that needs it (what was created before stays in state).";

/// The warning every intent's plan carries when live checks are off.
pub fn checks_off_warning() -> Diagnostic {
    Diagnostic::warning(
        "Live plan-time checks are off",
        format!(
            "`plan_time_checks = false` in the provider block: only static checks ran. Clusters, principals, \
             policies and names were not looked up. {AT_APPLY}"
        ),
    )
}

/// The warning of a plan that could check nothing because some inputs are
/// unknown until apply (they come from resources not created yet); on the
/// first of them.
pub fn checks_deferred_warning(unknown: &[&str]) -> Diagnostic {
    let names: Vec<String> = unknown.iter().map(|n| format!("`{n}`")).collect();
    let (list, verb) = match names.len() {
        1 => (names.join(""), "is"),
        _ => (names.join(", "), "are"),
    };
    let warning = Diagnostic::warning(
        "Plan-time checks deferred to apply",
        format!(
            "{list} {verb} known only at apply (set from another resource), so this plan could not check the \
             resource: neither its static rules nor the look-ups of the cluster, principals, policies and names \
             ran. {AT_APPLY}"
        ),
    );
    match unknown.first() {
        Some(first) => warning.at(AttributePath::root(first)),
        None => warning,
    }
}

/// The finished plan: the planned state, or the errors that stopped it.
pub fn finish_plan(
    state: Result<Value, Diagnostics>,
    requires_replace: Vec<AttributePath>,
    private: Vec<u8>,
    mut diagnostics: Diagnostics,
) -> Planned {
    match state {
        Ok(state) => Planned {
            state,
            requires_replace,
            diagnostics,
            private,
        },
        Err(d) => {
            diagnostics.extend(d);
            Planned {
                diagnostics,
                ..Default::default()
            }
        }
    }
}

/// An apply completed by `settle` (what is still unknown, filled from the
/// blueprint); an apply that failed is returned as it is.
pub fn settled(
    applied: Applied,
    settle: impl FnOnce(&Value) -> Result<Value, Diagnostics>,
) -> Applied {
    if applied.diagnostics.has_errors() {
        return applied;
    }
    match settle(&applied.state) {
        Ok(state) => Applied { state, ..applied },
        Err(d) => {
            let mut applied = applied;
            applied.diagnostics.extend(d);
            applied.state = values::unknowns_to_null(&applied.state);
            applied
        }
    }
}

/// A failed apply that changed nothing: the prior state stands.
pub fn failed(prior: &Value, diagnostics: Diagnostics) -> Applied {
    Applied {
        state: prior.clone(),
        diagnostics,
        ..Default::default()
    }
}

/// Reads an intent's input from a config or planned value whose inputs are
/// all known.
pub type InputParser<I> = fn(&Value) -> Result<I, Diagnostics>;

/// What the RPC plumbing needs to know of an intent resource. Which
/// attributes force replacement, are sets, inputs or computed, comes from the
/// schema.
pub struct IntentSpec<I: 'static> {
    pub schema: fn() -> Schema,
    pub parse: InputParser<I>,
    /// The intent's `validate`: the static checks, once.
    pub validate: fn(I) -> Result<Validated<I>, Vec<IntentError>>,
}

impl<I> IntentSpec<I> {
    /// The intent input of a configuration; `Ok(None)` while some input is
    /// unknown (plan then shows every computed value unknown).
    pub fn input(&self, config: &Value) -> Result<Option<I>, Diagnostics> {
        if !plan::inputs_known(&(self.schema)().block, config) {
            return Ok(None);
        }
        (self.parse)(config).map(Some)
    }

    /// The intent input of a planned value, at apply; `Ok(None)` if a
    /// configured input is unknown (a bug). An optional+computed value the
    /// plan left unknown reads as unset.
    pub fn planned_input(&self, planned: &Value) -> Result<Option<I>, Diagnostics> {
        if !plan::planned_inputs_known(&(self.schema)().block, planned) {
            return Ok(None);
        }
        (self.parse)(planned).map(Some)
    }

    /// ValidateResourceTypeConfig: null elements (refused whether or not the
    /// rest is known), then the static checks, once the inputs are known.
    /// In a run that plans, the static checks wait for `PlanResourceChange`
    /// ([`cli_run::plans`](super::cli_run::plans)): the CLI validates twice
    /// per plan, and a static error here would stop the plan before the
    /// live checks, which plan reports together with it.
    pub fn validate_config(&self, config: &Value) -> Diagnostics {
        let nulls = plan::null_element_diagnostics(&(self.schema)().block, config);
        if nulls.has_errors() || super::cli_run::plans() {
            return nulls;
        }
        match self.input(config) {
            Ok(Some(input)) => self.diagnostics(&crate::intent::problems((self.validate)(input))),
            Ok(None) => Diagnostics::default(),
            Err(d) => d,
        }
    }

    /// Intent problems as diagnostics on the attributes they name.
    pub fn diagnostics(&self, problems: &[IntentError]) -> Diagnostics {
        values::intent_diagnostics(problems, &(self.schema)().block)
    }
}

/// The start every intent's plan shares.
pub struct PlanStart<I> {
    pub input: Validated<I>,
    pub requires_replace: Vec<AttributePath>,
    /// A new object is planned (create or replace).
    pub creating: bool,
    pub replacing: bool,
    /// This plan is the refresh the CLI runs before a destroy
    /// ([`cli_run`](super::cli_run)): no look-ups, no rule that depends on
    /// facts or the clock may fail it.
    pub leaving: bool,
    /// The account, when live checks are on (off, or leaving: role ARNs stay
    /// unknown).
    pub account: Option<Account>,
    /// The objects of this resource's prior state, when it has one, or when
    /// this is the second plan of a replacement (read from the first plan's
    /// private data): they are this resource's own, never "taken".
    pub replaces: Option<PriorObjects>,
    /// The private data to return (what the second plan of a replacement,
    /// and its apply, need to know of the prior objects).
    pub private: Vec<u8>,
    pub diags: Diagnostics,
}

/// A plan stopped before its blueprint: the plan to return, and, when the
/// static checks failed on attributes the live checks do not build on, what
/// the live checks of the unvalidated input need, so one plan reports every
/// problem (the resource runs them, see [`Unchecked::relevant`]).
pub struct Stopped<I> {
    pub planned: Planned,
    pub unchecked: Option<Unchecked<I>>,
}

/// An input the static checks refused, to be checked live anyway.
pub struct Unchecked<I> {
    pub input: I,
    pub account: Account,
    pub creating: bool,
    pub replaces: Option<PriorObjects>,
    /// The attributes holding a static error.
    broken: Vec<String>,
}

/// Attributes every live check builds on (the cluster, the role's name and
/// ARN): a static error on one of them skips the live checks.
const LIVE_CHECK_KEYS: &[&str] = &[
    "cluster_name",
    "name",
    "namespace",
    "service_account",
    "role_name",
    "role_path",
];

impl<I> Unchecked<I> {
    /// The live problems not on an attribute the static checks already
    /// refused (a look-up of a broken value says nothing new).
    pub fn relevant(&self, problems: Vec<IntentError>) -> Vec<IntentError> {
        problems
            .into_iter()
            .filter(|p| p.path.first().is_none_or(|a| !self.broken.contains(a)))
            .collect()
    }
}

impl<I> From<Planned> for Stopped<I> {
    fn from(planned: Planned) -> Self {
        Stopped {
            planned,
            unchecked: None,
        }
    }
}

/// The account the live checks run in (`Err`: the caller-identity failure).
pub(in crate::provider) async fn live_account(
    provider: &Configured,
) -> Result<Account, Diagnostic> {
    let id = provider.identity().await?;
    Ok(Account {
        account_id: id.account_id.clone(),
        partition: id.partition.clone(),
        region: provider.clients.region().to_owned(),
    })
}

/// What forces replacement, the checks-off warning, the input and its static
/// checks, and the account. `Err` is the plan stopped: all unknowns while
/// inputs are unknown, or the errors found (with what the live checks of
/// the refused input need, see [`Stopped`]). Before a destroy the live
/// checks do not run: the plan is only the CLI's refresh, and a cluster
/// that is gone must not keep anyone from deleting what was made for it.
pub async fn begin_plan<I: Clone>(
    spec: &IntentSpec<I>,
    provider: &Configured,
    (prior, prior_private): (&Value, &[u8]),
    proposed: &Value,
    config: &Value,
) -> Result<PlanStart<I>, Stopped<I>> {
    let mut diags = Diagnostics::default();
    let block = (spec.schema)().block;
    let requires_replace = plan::requires_replace(&block, prior, proposed);
    let replacing = !requires_replace.is_empty();
    let creating = prior.is_null() || replacing;
    let leaving = super::cli_run::destroying();
    let live = provider.settings.plan_time_checks && !leaving;
    if !provider.settings.plan_time_checks && !leaving {
        diags.push(checks_off_warning());
    }
    let errors = |diags: Diagnostics| Planned {
        diagnostics: diags,
        ..Default::default()
    };
    // A null element would be dropped from state and planned again for ever.
    let nulls = plan::null_element_diagnostics(&block, config);
    if nulls.has_errors() {
        diags.extend(nulls);
        return Err(errors(diags).into());
    }
    let input = match spec.input(config) {
        Ok(Some(input)) => input,
        Ok(None) => {
            if live {
                let unknown: Vec<&str> = block
                    .input_names()
                    .into_iter()
                    .filter(|name| !config.attr(name).is_wholly_known())
                    .collect();
                diags.push(checks_deferred_warning(&unknown));
            }
            return Err(Planned {
                state: plan::planned_unknown(&block, proposed),
                requires_replace,
                diagnostics: diags,
                ..Default::default()
            }
            .into());
        }
        Err(d) => {
            diags.extend(d);
            return Err(errors(diags).into());
        }
    };
    let replaces = if prior.is_null() {
        PriorObjects::from_private(prior_private)
    } else {
        Some(prior_objects(prior)).filter(|p| !p.is_empty())
    };
    let unvalidated = live.then(|| input.clone());
    let input = match (spec.validate)(input) {
        Ok(input) => {
            diags.extend(spec.diagnostics(input.warnings()));
            input
        }
        Err(problems) => {
            diags.extend(spec.diagnostics(&problems));
            let broken: Vec<String> = problems
                .iter()
                .filter(|p| !p.warning)
                .filter_map(|p| p.path.first().cloned())
                .collect();
            let depends = broken.iter().any(|a| LIVE_CHECK_KEYS.contains(&a.as_str()));
            let unchecked = match unvalidated.filter(|_| !depends) {
                Some(input) => match live_account(provider).await {
                    Ok(account) => Some(Unchecked {
                        input,
                        account,
                        creating,
                        replaces,
                        broken,
                    }),
                    Err(d) => {
                        diags.push(d);
                        None
                    }
                },
                None => None,
            };
            return Err(Stopped {
                planned: errors(diags),
                unchecked,
            });
        }
    };
    let account = if live {
        match live_account(provider).await {
            Ok(account) => Some(account),
            Err(d) => {
                diags.push(d);
                return Err(errors(diags).into());
            }
        }
    } else {
        None
    };
    // Recorded on every plan with a prior state: whether Terraform replaces
    // the object (`-replace`, or an attribute that forces replacement) is decided
    // after this plan, and the second plan only sees this private data.
    let private = replaces
        .as_ref()
        .map(PriorObjects::to_private)
        .unwrap_or_default();
    Ok(PlanStart {
        input,
        creating,
        requires_replace,
        replacing,
        leaving,
        account,
        replaces,
        private,
        diags,
    })
}

/// Each diagnostic once per plan: Terraform and OpenTofu plan a replacement
/// twice (with the prior state, then as a create whose prior private data
/// is the first plan's, see `validate::replaced`), and show both plans'
/// diagnostics. The second plan's warnings repeat the first's (same
/// configuration, same live checks), so they are dropped; its errors stay.
pub fn once_per_plan(mut planned: Planned, prior: &Value, prior_private: &[u8]) -> Planned {
    let second_of_replacement =
        prior.is_null() && PriorObjects::from_private(prior_private).is_some();
    if second_of_replacement {
        planned
            .diagnostics
            .0
            .retain(|d| d.severity == Severity::Error);
    }
    planned
}

/// The objects a prior state names (each when known).
pub fn prior_objects(prior: &Value) -> PriorObjects {
    let known = |name: &str| prior.attr(name).as_str().map(str::to_owned);
    PriorObjects {
        role_name: known("role_name"),
        role_id: known("role_id"),
        role_arn: known("role_arn"),
        access_entry_arn: known("access_entry_arn"),
        association_id: known("association_id"),
    }
}

/// The facts a blueprint is built on: the account, the provider's default
/// tags and the account's trust policy quota (IAM's default when it could
/// not be read).
pub fn env(provider: &Configured, account: Account, trust_policy_quota: Option<usize>) -> Env {
    Env {
        account,
        default_tags: provider.settings.default_tags.clone(),
        trust_policy_quota: trust_policy_quota.unwrap_or(DEFAULT_TRUST_POLICY_QUOTA),
    }
}

/// The intent input of a planned state, validated, at apply.
pub fn validated<I>(
    spec: &IntentSpec<I>,
    prior: &Value,
    input: I,
) -> Result<Validated<I>, Applied> {
    (spec.validate)(input).map_err(|problems| failed(prior, spec.diagnostics(&problems)))
}

/// The account and the intent input of a planned state, at apply.
pub async fn apply_inputs<I>(
    provider: &Configured,
    prior: &Value,
    planned: &Value,
    spec: &IntentSpec<I>,
) -> Result<(I, Account), Applied> {
    let identity = provider
        .identity()
        .await
        .map_err(|d| failed(prior, d.into()))?;
    let account = Account {
        account_id: identity.account_id.clone(),
        partition: identity.partition.clone(),
        region: provider.clients.region().to_owned(),
    };
    match spec.planned_input(planned) {
        Ok(Some(input)) => Ok((input, account)),
        Ok(None) => Err(failed(
            prior,
            Diagnostic::error("Unknown values at apply", "Some inputs are still unknown at apply. This is a bug in the provider; please report it.")
                .into(),
        )),
        Err(d) => Err(failed(prior, d)),
    }
}

#[cfg(test)]
mod tests;

/// A failed apply step as a diagnostic: an AWS failure says what to check; a
/// refusal to touch an object this resource does not own sits on the
/// attribute that named the object.
pub fn step_diagnostic(e: StepError) -> Diagnostic {
    match e.error {
        Failure::Aws(error) => aws_diagnostic(e.summary, &error),
        Failure::NotOwned(refusal) => Diagnostic::error(refusal.summary, refusal.detail)
            .at(AttributePath::root(refusal.attribute)),
    }
}
