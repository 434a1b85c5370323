//! `eksrole_team_access`: the pure blueprint in `intent::team_access` served
//! by the plumbing shared with break-glass ([`AccessIntent`]); here only the
//! attributes that are this intent's own: MFA and CI OIDC defaults, the
//! Kubernetes username EKS may choose, groups, description, and the
//! kubeconfig command.

mod state;
#[cfg(test)]
mod tests;

use crate::apply::cluster_access::Observed;
use crate::intent::cluster_access::{kubeconfig_command, AccessKind, ClusterAccessBlueprint};
use crate::intent::team_access::{self, TeamAccessInput};
use crate::intent::trust_read::redact_external_id;
use crate::tfplugin::model::Attr;
use crate::tfplugin::{Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{AccessIntent, BlueprintFn, Outputs, Planning};
use super::model::{CiOidcModel, TeamAccessModel};
use super::values::{optional_set, set_attr};
use super::IntentSpec;

pub struct TeamAccessResource;

impl AccessIntent for TeamAccessResource {
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
