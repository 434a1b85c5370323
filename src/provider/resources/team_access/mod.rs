//! `eksrole_team_access`: with a role (`create_role`, the default), the pure
//! blueprint in `intent::team_access` served by the plumbing shared with
//! break-glass ([`AccessIntent`], [`RoleTeamAccess`]); here only the
//! attributes that are this intent's own: MFA and CI OIDC defaults, the
//! Kubernetes username EKS may choose, groups, description, the kubeconfig
//! command and `access_entry_arns`. Without a role (`create_role = false`)
//! each principal has its own entry: [`direct`]. [`TeamAccessResource`]
//! picks one of the two by `create_role` (changing it replaces the access).

mod direct;
mod state;
#[cfg(test)]
mod tests;

use crate::apply::cluster_access::Observed;
use crate::intent::cluster_access::{kubeconfig_command, AccessKind, ClusterAccessBlueprint};
use crate::intent::team_access::{self, TeamAccessInput};
use crate::intent::trust_read::redact_external_id;
use crate::tfplugin::model::Attr;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{AccessIntent, BlueprintFn, Outputs, Planning};
use super::model::{CiOidcModel, TeamAccessModel};
use super::values::{map_value, optional_set, set_attr};
use super::{Applied, IntentSpec, Planned, Resource};

/// The resource Terraform sees: with a role or without one, by `create_role`.
pub struct TeamAccessResource;

/// The team access with a role (the shared access-intent plumbing).
pub struct RoleTeamAccess;

/// Whether a config, plan or state value is a team access without a role.
fn is_direct(v: &Value) -> bool {
    v.attr("create_role").as_bool() == Some(false)
}

/// `create_role` of a team access with a role: `true` unless configured
/// (an unknown configured value stays unknown).
fn role_created(state: &mut Value, config: Option<&Value>) {
    let configured = config.is_some_and(|c| !c.attr("create_role").is_null());
    if matches!(state, Value::Object(_)) && !configured {
        set_attr(state, "create_role", true.into());
    }
}

/// The role's entry as `access_entry_arns` shows it: role ARN → entry ARN
/// once both are known (unknown while either is; empty without an entry).
fn role_entry_arns(state: &mut Value) {
    if !matches!(state, Value::Object(_)) {
        return;
    }
    let value = match (state.attr("role_arn"), state.attr("access_entry_arn")) {
        (Value::String(role), Value::String(entry)) => Value::Map(
            [(role.clone(), Value::from(entry.as_str()))]
                .into_iter()
                .collect(),
        ),
        (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
        _ => map_value(&Default::default()),
    };
    set_attr(state, "access_entry_arns", value);
}

#[tonic::async_trait]
impl Resource for TeamAccessResource {
    fn type_name(&self) -> &'static str {
        RoleTeamAccess::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        TeamAccessModel::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        RoleTeamAccess::SPEC.validate_config(config)
    }

    async fn plan(
        &self,
        provider: &Configured,
        prior: &Value,
        prior_private: &[u8],
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        if is_direct(config) {
            return direct::plan(provider, prior, prior_private, proposed, config).await;
        }
        let mut planned = RoleTeamAccess
            .plan(provider, prior, prior_private, proposed, config)
            .await;
        role_created(&mut planned.state, Some(config));
        role_entry_arns(&mut planned.state);
        planned
    }

    async fn apply(
        &self,
        provider: &Configured,
        prior: &Value,
        planned: &Value,
        private: &[u8],
    ) -> Applied {
        if is_direct(planned) {
            return direct::apply(provider, prior, planned).await;
        }
        let mut applied = RoleTeamAccess
            .apply(provider, prior, planned, private)
            .await;
        role_entry_arns(&mut applied.state);
        applied
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        if is_direct(prior) {
            return direct::delete(provider, prior).await;
        }
        RoleTeamAccess.delete(provider, prior).await
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        if is_direct(current) {
            return direct::read(provider, current).await;
        }
        let mut state = RoleTeamAccess.read(provider, current).await?;
        if state.attr("create_role").is_null() {
            role_created(&mut state, None);
        }
        role_entry_arns(&mut state);
        Ok(state)
    }

    async fn import(&self, provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        if team_access::direct::is_direct_import_id(id) {
            return direct::import(id);
        }
        RoleTeamAccess.import(provider, id).await
    }
}

impl AccessIntent for RoleTeamAccess {
    type Input = TeamAccessInput;
    /// Nothing beyond the role and access entry: the kubeconfig command
    /// follows from them.
    type Blueprint = ClusterAccessBlueprint;
    const TYPE_NAME: &'static str = "eksrole_team_access";
    const KIND: AccessKind = AccessKind::TeamAccess;
    const SPEC: IntentSpec<TeamAccessInput> = IntentSpec {
        schema: TeamAccessModel::schema,
        parse: state::input,
        validate: team_access::validate,
    };
    const BLUEPRINT: BlueprintFn<TeamAccessInput, ClusterAccessBlueprint> = team_access::blueprint;
    const IMPORTED_INPUTS: fn(&mut Value, &Observed) = state::imported_inputs;

    fn access(bp: &ClusterAccessBlueprint) -> &ClusterAccessBlueprint {
        bp
    }

    /// An unchanged username is EKS's (or already applied): only a change is
    /// the user's to apply.
    fn at_apply(mut input: TeamAccessInput, prior: &Value, planned: &Value) -> TeamAccessInput {
        if planned.attr("kubernetes_username") == prior.attr("kubernetes_username") {
            input.kubernetes_username = None;
        }
        input
    }

    /// The external ID is a secret: state shows `(sensitive)` in its place.
    fn shown_trust(trust: &str, state: &Value) -> String {
        redact_external_id(trust, state.attr("external_id").as_str())
    }

    fn planned(plan: &Planning<'_>, input: &TeamAccessInput) -> Result<Value, Diagnostics> {
        let mut m = TeamAccessModel::from_value(plan.proposed)?;
        let config = TeamAccessModel::from_value(plan.config)?;
        m.require_mfa = Attr::Known(input.effective_require_mfa());
        if let (Some(ci), Attr::Known(block)) = (&input.ci_oidc, &config.ci_oidc) {
            m.ci_oidc = Attr::Known(CiOidcModel {
                audience: Attr::Known(ci.audience.clone()),
                allow_subject_wildcards: Attr::Known(ci.allow_subject_wildcards),
                ..block.clone()
            });
        }
        // Unset, the username is EKS's choice: known once the entry exists.
        if config.kubernetes_username.is_null() {
            let kept = plan.kept(TeamAccessModel::from_value)?;
            m.kubernetes_username = kept.kubernetes_username.or_unknown();
        }
        Ok(m.to_value())
    }

    fn outputs(bp: Option<&ClusterAccessBlueprint>, region: &str) -> Outputs {
        let command = bp.map(|bp| team_access::kubeconfig_command(bp, region));
        vec![("kubeconfig_command", command.map(Value::from))]
    }

    fn refresh(state: &mut Value, current: &Value, observed: &Observed, provider: &Configured) {
        let role = &observed.role;
        let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
        let description = role.description.clone().filter(|d| !d.is_empty());
        set_attr(state, "description", Value::opt_string(description));
        let command = kubeconfig_command(cluster, provider.clients.region(), &role.arn);
        set_attr(state, "kubeconfig_command", command.into());
        if let Some(entry) = &observed.entry {
            let groups = optional_set(current.attr("kubernetes_groups"), &entry.kubernetes_groups);
            set_attr(state, "kubernetes_groups", groups);
            let username = Value::opt_string(entry.username.clone());
            set_attr(state, "kubernetes_username", username);
        }
    }
}
