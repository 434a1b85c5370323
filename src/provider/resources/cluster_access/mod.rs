//! What `eksrole_team_access` and `eksrole_break_glass` share: both are an
//! IAM role plus an EKS access entry with access-policy associations, so one
//! [`Resource`] implementation serves both, generic over [`AccessIntent`]
//! (what differs: the input, the blueprint and the intent's own attributes).
//! Each method is model in → `validate`/`intent`/`apply` → model and
//! diagnostics out; `state` sets the attributes both share.

mod state;

use crate::apply::cluster_access::{self as access, AccessApplied, AccessKeys, Observed};
use crate::apply::{Claim, Completion};
use crate::intent::cluster_access::{AccessInput, AccessKind, ClusterAccessBlueprint};
use crate::intent::tags::Owner;
use crate::intent::{Env, IntentError, Validated};
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};
use crate::validate::cluster_access::live_checks;

use super::super::context::Configured;
use super::values::{set_attr, unknowns_to_null};
use super::{step_diagnostic, Applied, IntentSpec, PlanStart, Planned, Resource};
use state::{plan_common, refresh_common, settle_common};

pub use state::{access_level, imported, Outputs, Planning};

/// An intent's blueprint over a validated input and the facts.
pub type BlueprintFn<I, B> = fn(&Validated<I>, &Env) -> Result<B, Vec<IntentError>>;

/// What one access intent adds to the shared plumbing.
pub trait AccessIntent: Send + Sync + 'static {
    type Input: AccessInput + Clone + Send + Sync + 'static;
    /// The role and access entry, plus whatever else the intent tells the user.
    type Blueprint: Send + Sync;
    const TYPE_NAME: &'static str;
    /// Which access intent: its owner (ownership tags, default role name).
    const KIND: AccessKind;
    const SPEC: IntentSpec<Self::Input>;
    const BLUEPRINT: BlueprintFn<Self::Input, Self::Blueprint>;
    /// An imported state (no trust policy yet): its inputs from what exists.
    const IMPORTED_INPUTS: fn(&mut Value, &Observed);

    /// The role and access entry of a blueprint.
    fn access(bp: &Self::Blueprint) -> &ClusterAccessBlueprint;

    /// The warnings a blueprint found in the facts (by default none).
    fn blueprint_warnings(_bp: &Self::Blueprint) -> &[IntentError] {
        &[]
    }

    /// The planned input as apply builds from it (by default unchanged).
    fn at_apply(input: Self::Input, _prior: &Value, _planned: &Value) -> Self::Input {
        input
    }

    /// A trust policy as `trust_policy` shows it in a state whose other
    /// values are `state` (by default unchanged).
    fn shown_trust(trust: &str, _state: &Value) -> String {
        trust.to_owned()
    }

    /// The intent's own plan rules that compare with the prior state
    /// (`creating`: a new object is planned); by default none. Not run in
    /// the plan a CLI makes before a destroy.
    fn plan_problems(_input: &Self::Input, _prior: &Value, _creating: bool) -> Vec<IntentError> {
        Vec::new()
    }

    /// The planned values of the intent's own attributes its input decides
    /// (the intent's defaults); the shared ones and the outputs are planned after.
    fn planned(plan: &Planning<'_>, input: &Self::Input) -> Result<Value, Diagnostics>;

    /// The intent's own attributes the blueprint decides (`bp` is `None`
    /// with live checks off).
    fn outputs(bp: Option<&Self::Blueprint>, region: &str) -> Outputs;

    /// The intent's own attributes refreshed from what exists.
    fn refresh(state: &mut Value, current: &Value, observed: &Observed, provider: &Configured);
}

#[tonic::async_trait]
impl<T: AccessIntent> Resource for T {
    fn type_name(&self) -> &'static str {
        T::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        (T::SPEC.schema)()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        T::SPEC.validate_config(config)
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
        let mut start =
            match super::begin_plan(&T::SPEC, provider, prior_pair, proposed, config).await {
                Ok(start) => start,
                Err(stopped) => return live_checked_anyway::<T>(provider, stopped).await,
            };
        if !start.leaving {
            let problems = T::plan_problems(&start.input, prior, start.creating);
            start.diags.extend(T::SPEC.diagnostics(&problems));
            if start.diags.has_errors() {
                return Planned {
                    diagnostics: start.diags,
                    ..Default::default()
                };
            }
        }
        let blueprint = match checked_blueprint::<T>(provider, &mut start).await {
            Ok(bp) => bp,
            Err(planned) => return planned,
        };
        let planning = Planning {
            proposed,
            prior,
            config,
            region: provider.clients.region(),
            replacing: start.replacing,
        };
        let state = planned_state::<T>(&planning, &start.input, blueprint.as_ref());
        super::finish_plan(state, start.requires_replace, start.private, start.diags)
    }

    async fn apply(
        &self,
        provider: &Configured,
        prior: &Value,
        planned: &Value,
        _private: &[u8],
    ) -> Applied {
        let (input, account) = match super::apply_inputs(provider, prior, planned, &T::SPEC).await {
            Ok(v) => v,
            Err(applied) => return applied,
        };
        let input = T::at_apply(input, prior, planned);
        let input = match super::validated(&T::SPEC, prior, input) {
            Ok(input) => input,
            Err(applied) => return applied,
        };
        let quota = provider.lookups.trust_policy_quota(&provider.clients).await;
        let env = super::env(provider, account, quota.ok());
        let bp = match T::BLUEPRINT(&input, &env) {
            Ok(bp) => bp,
            Err(problems) => return super::failed(prior, T::SPEC.diagnostics(&problems)),
        };
        let settings = input.settings();
        let claim = claim(settings.owner, prior);
        let applied = apply_access(provider, T::access(&bp), &claim, prior, planned).await;
        super::settled(applied, |state| {
            let access = T::access(&bp);
            let trust = T::shown_trust(&access.role.trust_policy, state);
            let outputs = T::outputs(Some(&bp), &env.account.region);
            Ok(settle_common(state, access, trust, outputs))
        })
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        let keys = AccessKeys {
            cluster: prior.attr("cluster_name").as_str().unwrap_or_default(),
            role_arn: prior.attr("role_arn").as_str(),
            role_name: prior.attr("role_name").as_str(),
        };
        let name = prior.attr("name").as_str().unwrap_or_default();
        let claim = claim(T::KIND.owner(keys.cluster, name), prior);
        match access::delete(&provider.apply_ctx(), keys, &claim).await {
            Ok(()) => Diagnostics::default(),
            Err(e) => step_diagnostic(e).into(),
        }
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        let Some(role_name) = current.attr("role_name").as_str() else {
            return Ok(current.clone());
        };
        let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
        let name = current.attr("name").as_str().unwrap_or_default();
        let claim = claim(T::KIND.owner(cluster, name), current);
        let listed = provider
            .lookups
            .listed_role(&provider.clients, role_name)
            .await
            .map(|listed| listed.role);
        match access::observe(&provider.apply_ctx(), cluster, role_name, &claim, listed).await {
            Ok(Some(observed)) => Ok(refreshed::<T>(current, &observed, provider)),
            Ok(None) => Ok(Value::Null),
            Err(e) => Err(step_diagnostic(e).into()),
        }
    }

    async fn import(&self, _provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        import_state::<T>(id)
    }
}

/// The planned state: the intent's own attributes, then the shared ones.
pub fn planned_state<T: AccessIntent>(
    plan: &Planning<'_>,
    input: &T::Input,
    bp: Option<&T::Blueprint>,
) -> Result<Value, Diagnostics> {
    let mut state = T::planned(plan, input)?;
    let access = bp.map(|bp| {
        let bp = T::access(bp);
        (bp, T::shown_trust(&bp.role.trust_policy, plan.proposed))
    });
    let outputs = T::outputs(bp, plan.region);
    plan_common(&mut state, plan, input, access, outputs);
    Ok(state)
}

/// The state an import ID names, for Read to complete.
pub fn import_state<T: AccessIntent>(id: &str) -> Result<Value, Diagnostics> {
    let id = T::Input::parse_import_id(id)
        .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
    let role_name = T::Input::import_role_name(&id);
    let block = (T::SPEC.schema)().block;
    Ok(imported(&block, &id.cluster_name, &id.name, &role_name))
}

/// What this resource may change: the objects of the intent `owner`, and
/// those its prior state holds. The access entry completes the intent: a
/// create finding it (with a role tagged as this intent's) is refused.
fn claim<'a>(owner: Owner<'a>, prior: &'a Value) -> Claim<'a> {
    Claim {
        owner,
        role_id: prior.attr("role_id").as_str(),
        association_id: None,
        access_entry_arn: prior.attr("access_entry_arn").as_str(),
        creating: prior.is_null(),
        completion: Completion::AccessEntry,
    }
}

/// A plan the static checks stopped, with the problems the live checks
/// find in the refused input added (see [`super::Stopped`]).
async fn live_checked_anyway<T: AccessIntent>(
    provider: &Configured,
    stopped: super::Stopped<T::Input>,
) -> Planned {
    let mut planned = stopped.planned;
    if let Some(u) = stopped.unchecked {
        let found = live_checks(
            &provider.lookups,
            &provider.clients,
            &u.input,
            &u.account,
            u.creating,
            u.replaces.as_ref(),
        )
        .await;
        let problems = u.relevant(found.problems);
        planned.diagnostics.extend(T::SPEC.diagnostics(&problems));
    }
    planned
}

/// The plan step both intents share: with live checks on, run them against
/// the role the input names, then build the blueprint once with the facts
/// they found (the account's trust policy quota). Both report their problems
/// together. `Ok(None)` with live checks off; `Err` is the failed plan.
async fn checked_blueprint<T: AccessIntent>(
    provider: &Configured,
    start: &mut PlanStart<T::Input>,
) -> Result<Option<T::Blueprint>, Planned> {
    let Some(account) = start.account.clone() else {
        return Ok(None);
    };
    let live = live_checks(
        &provider.lookups,
        &provider.clients,
        &*start.input,
        &account,
        start.creating,
        start.replaces.as_ref(),
    )
    .await;
    start.diags.extend(T::SPEC.diagnostics(&live.problems));
    let built = T::BLUEPRINT(
        &start.input,
        &super::env(provider, account, live.trust_policy_quota),
    );
    match &built {
        Ok(bp) => start
            .diags
            .extend(T::SPEC.diagnostics(T::blueprint_warnings(bp))),
        Err(problems) => start.diags.extend(T::SPEC.diagnostics(problems)),
    }
    match built {
        Ok(bp) if !start.diags.has_errors() => Ok(Some(bp)),
        _ => Err(Planned {
            diagnostics: std::mem::take(&mut start.diags),
            ..Default::default()
        }),
    }
}

/// Applies the role and access entry and turns what happened into state: on
/// failure the state keeps what exists so that destroy removes it (nothing
/// at all when a create left no role behind).
async fn apply_access(
    provider: &Configured,
    bp: &ClusterAccessBlueprint,
    claim: &Claim<'_>,
    prior: &Value,
    planned: &Value,
) -> Applied {
    let outcome = access::apply(&provider.apply_ctx(), bp, claim).await;
    let AccessApplied {
        role,
        role_exists,
        entry,
    } = outcome.observed;
    let mut state = planned.clone();
    if let Some(role) = role {
        set_attr(&mut state, "role_id", role.role_id.into());
        set_attr(&mut state, "role_arn", role.arn.into());
    }
    if let Some(entry) = entry {
        set_attr(
            &mut state,
            "access_entry_arn",
            entry.access_entry_arn.into(),
        );
        if state.attr("kubernetes_username").is_unknown() {
            set_attr(
                &mut state,
                "kubernetes_username",
                Value::opt_string(entry.username),
            );
        }
    }
    settled_or_failed(&state, outcome.error, !role_exists && prior.is_null())
}

/// What an apply leaves: `state` (its unknowns nulled) with the failure, if
/// any; nothing at all when a failed create left nothing (`left_nothing`).
pub fn settled_or_failed(
    state: &Value,
    error: Option<crate::apply::StepError>,
    left_nothing: bool,
) -> Applied {
    let mut diagnostics = Diagnostics::default();
    if let Some(e) = error {
        diagnostics.push(step_diagnostic(e));
        if left_nothing {
            return Applied {
                state: Value::Null,
                diagnostics,
                ..Default::default()
            };
        }
    }
    Applied {
        state: unknowns_to_null(state),
        diagnostics,
        ..Default::default()
    }
}

/// The state refreshed from the role and entry that exist; an imported
/// state (no trust policy yet) first gets its inputs from them.
fn refreshed<T: AccessIntent>(
    current: &Value,
    observed: &Observed,
    provider: &Configured,
) -> Value {
    let mut state = current.clone();
    if current.attr("trust_policy").is_null() {
        (T::IMPORTED_INPUTS)(&mut state, observed);
    }
    let trust = T::shown_trust(&observed.role.trust_policy, &state);
    refresh_common(&mut state, current, observed, &trust, provider);
    T::refresh(&mut state, current, observed, provider);
    state
}
