//! What `eksrole_team_access` and `eksrole_break_glass` share: both are an
//! IAM role plus an EKS access entry with access-policy associations, so one
//! [`Resource`] implementation serves both, generic over [`AccessIntent`]
//! (what differs: the input, the blueprint and how they map to state). Each
//! method is model in → `validate`/`intent`/`apply` → model and diagnostics
//! out; the values both read back from the role and entry are set here too.

use std::collections::BTreeMap;

use crate::apply::cluster_access::{self as access, AccessApplied, AccessKeys, Observed};
use crate::apply::StepError;
use crate::intent::cluster_access::{
    import_id, AccessImportId, AccessInput, ClusterAccessBlueprint,
};
use crate::intent::policy_json::{canonical_json, policies_equivalent};
use crate::intent::{Env, IntentError, Validated};
use crate::tfplugin::schema::{Block, Schema};
use crate::tfplugin::{Diagnostic, Diagnostics, Value};
use crate::validate::cluster_access::live_checks;

use super::super::context::{aws_diagnostic, Configured};
use super::values::{map_value, set_attr, unknowns_to_null, user_tags};
use super::{Applied, IntentSpec, PlanStart, Planned, Resource};

/// What one access intent adds to the shared plumbing.
pub trait AccessIntent: Send + Sync + 'static {
    type Input: AccessInput + Send + Sync + 'static;
    /// The role and access entry, plus whatever else the intent tells the user.
    type Blueprint: Send + Sync;
    const TYPE_NAME: &'static str;
    const SPEC: IntentSpec<Self::Input>;

    /// The intent's blueprint over a validated input and the facts.
    fn blueprint(
        input: &Validated<Self::Input>,
        env: &Env,
    ) -> Result<Self::Blueprint, Vec<IntentError>>;

    /// The role and access entry of a blueprint.
    fn access(bp: &Self::Blueprint) -> &ClusterAccessBlueprint;

    /// The planned input as apply builds from it (by default unchanged).
    fn at_apply(input: Self::Input, _prior: &Value, _planned: &Value) -> Self::Input {
        input
    }

    /// The planned state (`bp` is `None` with live checks off).
    fn planned(
        plan: &Planning<'_>,
        input: &Self::Input,
        bp: Option<&Self::Blueprint>,
    ) -> Result<Value, Diagnostics>;

    /// The state after a successful apply: what is still unknown, filled from
    /// the blueprint.
    fn settle(
        applied: &Value,
        bp: &Self::Blueprint,
        input: &Self::Input,
        region: &str,
    ) -> Result<Value, Diagnostics>;

    /// The state refreshed from the role and entry that exist. An imported
    /// state (no trust policy yet) gets its inputs from them.
    fn refresh(current: &Value, observed: &Observed, provider: &Configured) -> Value;

    fn parse_import_id(id: &str) -> Result<AccessImportId, String>;

    /// The role an import ID names.
    fn import_role_name(id: &AccessImportId) -> String;
}

/// The values a plan starts from.
pub struct Planning<'a> {
    pub proposed: &'a Value,
    pub prior: &'a Value,
    pub config: &'a Value,
    /// The provider's region.
    pub region: &'a str,
    /// The plan replaces the object: nothing of the prior state is kept.
    pub replacing: bool,
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
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        let mut start = match super::begin_plan(&T::SPEC, provider, prior, proposed, config).await {
            Ok(start) => start,
            Err(planned) => return planned,
        };
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
        let state = T::planned(&planning, &start.input, blueprint.as_ref());
        super::finish_plan(state, start.requires_replace, start.diags)
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
        let bp = match T::blueprint(&input, &env) {
            Ok(bp) => bp,
            Err(problems) => return super::failed(prior, T::SPEC.diagnostics(&problems)),
        };
        let applied = apply_access(provider, T::access(&bp), prior, planned).await;
        super::settled(applied, |state| {
            T::settle(state, &bp, &input, &env.account.region)
        })
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        let keys = AccessKeys {
            cluster: prior.attr("cluster_name").as_str().unwrap_or_default(),
            role_arn: prior.attr("role_arn").as_str(),
            role_name: prior.attr("role_name").as_str(),
        };
        match access::delete(&provider.apply_ctx(), keys).await {
            Ok(()) => Diagnostics::default(),
            Err(e) => step_diagnostic(&e).into(),
        }
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        let Some(role_name) = current.attr("role_name").as_str() else {
            return Ok(current.clone());
        };
        let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
        match access::observe(&provider.apply_ctx(), cluster, role_name).await {
            Ok(Some(observed)) => Ok(T::refresh(current, &observed, provider)),
            Ok(None) => Ok(Value::Null),
            Err(e) => Err(step_diagnostic(&e).into()),
        }
    }

    async fn import(&self, _provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        let id = T::parse_import_id(id)
            .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
        let role_name = T::import_role_name(&id);
        let block = (T::SPEC.schema)().block;
        Ok(imported(&block, &id.cluster_name, &id.name, &role_name))
    }
}

/// A failed step as the diagnostic that says what to check.
fn step_diagnostic(e: &StepError) -> Diagnostic {
    aws_diagnostic(e.summary, &e.error)
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
        T::TYPE_NAME,
        &*start.input,
        &account,
        start.creating,
    )
    .await;
    start.diags.extend(T::SPEC.diagnostics(&live.problems));
    let built = T::blueprint(
        &start.input,
        &super::env(provider, account, live.trust_policy_quota),
    );
    if let Err(problems) = &built {
        start.diags.extend(T::SPEC.diagnostics(problems));
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
    prior: &Value,
    planned: &Value,
) -> Applied {
    let outcome = access::apply(&provider.apply_ctx(), bp).await;
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
    let mut diagnostics = Diagnostics::default();
    if let Some(e) = outcome.error {
        diagnostics.push(step_diagnostic(&e));
        if !role_exists && prior.is_null() {
            return Applied {
                state: Value::Null,
                diagnostics,
                ..Default::default()
            };
        }
    }
    Applied {
        state: unknowns_to_null(&state),
        diagnostics,
        ..Default::default()
    }
}

/// The state an import starts from (Read completes it): every attribute of
/// `block` null but the ones the import ID names.
pub fn imported(block: &Block, cluster: &str, name: &str, role_name: &str) -> Value {
    let mut state = Value::Object(
        block
            .value_type_attribute_names()
            .into_iter()
            .map(|n| (n, Value::Null))
            .collect(),
    );
    set_attr(&mut state, "cluster_name", cluster.into());
    set_attr(&mut state, "name", name.into());
    set_attr(&mut state, "role_name", role_name.into());
    set_attr(&mut state, "id", import_id(cluster, name).into());
    state
}

/// The blueprint's associations as `access_policy_associations` shows them.
pub fn planned_associations(bp: &ClusterAccessBlueprint) -> BTreeMap<String, String> {
    bp.access_entry
        .policy_associations
        .iter()
        .map(|a| (a.policy_arn.clone(), a.scope.shown()))
        .collect()
}

/// The trust policy for state: the prior text while it is equivalent to what
/// exists (no diff from formatting), else the observed one.
pub fn observed_trust(prior: &Value, observed: &str) -> String {
    match prior.as_str() {
        Some(p) if policies_equivalent(p, observed) => p.to_owned(),
        _ => canonical_json(observed).unwrap_or_else(|_| observed.to_owned()),
    }
}

/// Sets what every access intent reads back from the role and entry: the
/// trust policy (`trust` as the intent shows it), role identity and settings,
/// tags, the entry ARN and the associations.
pub fn refresh_common(
    state: &mut Value,
    current: &Value,
    observed: &Observed,
    trust: &str,
    provider: &Configured,
) {
    let role = &observed.role;
    let name = current.attr("name").as_str().unwrap_or_default();
    let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
    let associations: BTreeMap<String, String> = observed
        .associations
        .iter()
        .map(|(arn, scope)| (arn.clone(), scope.shown()))
        .collect();
    let trust = observed_trust(current.attr("trust_policy"), trust);
    set_attr(state, "trust_policy", trust.into());
    set_attr(state, "id", import_id(cluster, name).into());
    set_attr(state, "role_arn", role.arn.clone().into());
    set_attr(state, "role_id", role.role_id.clone().into());
    set_attr(state, "role_path", role.path.clone().into());
    set_attr(
        state,
        "max_session_duration",
        role.max_session_duration.into(),
    );
    set_attr(
        state,
        "permissions_boundary",
        Value::opt_string(role.permissions_boundary.clone()),
    );
    let tags = user_tags(&role.tags, current, &provider.settings.default_tags);
    set_attr(state, "tags", tags);
    set_attr(state, "tags_all", map_value(&role.tags));
    set_attr(
        state,
        "access_policy_associations",
        map_value(&associations),
    );
    set_attr(
        state,
        "access_entry_arn",
        Value::opt_string(observed.entry.as_ref().map(|e| e.access_entry_arn.clone())),
    );
}
