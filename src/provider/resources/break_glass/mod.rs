//! `eksrole_break_glass`: the resource plumbing around the pure blueprint in
//! `intent::break_glass`; role, access entry and association go through the
//! plumbing shared with team access in `cluster_access`.

mod schema;
mod state;

use crate::intent::break_glass as intent;
use crate::intent::cluster_access::{self, level_policy_name, AccessLevel};
use crate::intent::Account;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostic, Diagnostics, Value};

use super::super::context::Configured;
use super::cluster_access::{self as access, AccessChecks};
use super::values::intent_diagnostics;
use super::{Applied, Planned, Resource};

const TYPE_NAME: &str = "eksrole_break_glass";
const SET_ATTRIBUTES: &[&str] = &["principal_arns", "namespaces"];
const INTENT_TAG: &str = "break-glass";

pub struct BreakGlassResource;

#[tonic::async_trait]
impl Resource for BreakGlassResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        match state::input(config, &Default::default()) {
            Ok(Some(input)) => intent_diagnostics(&intent::validate(&input), SET_ATTRIBUTES),
            Ok(None) => Diagnostics::default(),
            Err(d) => d,
        }
    }

    async fn plan(
        &self,
        provider: &Configured,
        prior: &Value,
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        let mut diags = Diagnostics::default();
        let requires_replace = state::requires_replace(prior, proposed);
        let replacing = !requires_replace.is_empty();
        let live = provider.settings.plan_time_checks;
        if !live {
            diags.push(super::checks_off_warning());
        }
        let mut input = match state::input(config, &provider.settings.default_tags) {
            Ok(Some(input)) => input,
            Ok(None) => {
                return Planned {
                    state: state::planned_unknown(proposed),
                    requires_replace,
                    diagnostics: diags,
                    ..Default::default()
                }
            }
            Err(d) => {
                diags.extend(d);
                return Planned {
                    diagnostics: diags,
                    ..Default::default()
                };
            }
        };
        diags.extend(intent_diagnostics(
            &intent::validate(&input),
            SET_ATTRIBUTES,
        ));
        if diags.has_errors() {
            return Planned {
                diagnostics: diags,
                ..Default::default()
            };
        }
        let blueprint = if live {
            let account = match provider.identity().await {
                Ok(id) => Account {
                    account_id: id.account_id.clone(),
                    partition: id.partition.clone(),
                    region: provider.clients.region.clone(),
                },
                Err(d) => {
                    diags.push(d);
                    return Planned {
                        diagnostics: diags,
                        ..Default::default()
                    };
                }
            };
            let bp = match blueprint(&input, &account, &mut diags) {
                Some(bp) => bp,
                None => {
                    return Planned {
                        diagnostics: diags,
                        ..Default::default()
                    }
                }
            };
            let level = input.access_level.unwrap_or(AccessLevel::ClusterAdmin);
            let checks = AccessChecks {
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
                creating: prior.is_null() || replacing,
            };
            let (live_diags, quota) = access::live_checks(provider, &checks, &account).await;
            diags.extend(live_diags);
            if diags.has_errors() {
                return Planned {
                    diagnostics: diags,
                    ..Default::default()
                };
            }
            match quota {
                Some(q) if q != input.trust_policy_size_quota => {
                    input.trust_policy_size_quota = q;
                    let mut again = Diagnostics::default();
                    match blueprint(&input, &account, &mut again) {
                        Some(bp) => Some(bp),
                        None => {
                            diags.extend(again);
                            return Planned {
                                diagnostics: diags,
                                ..Default::default()
                            };
                        }
                    }
                }
                _ => Some(bp),
            }
        } else {
            None
        };
        let state = state::planned(proposed, prior, &input, blueprint.as_ref(), replacing);
        Planned {
            state,
            requires_replace,
            diagnostics: diags,
            private: vec![],
        }
    }

    async fn apply(
        &self,
        provider: &Configured,
        prior: &Value,
        planned: &Value,
        _private: &[u8],
    ) -> Applied {
        let (mut input, account) =
            match super::apply_inputs(provider, prior, planned, state::input).await {
                Ok(v) => v,
                Err(applied) => return applied,
            };
        if let Ok(quota) = provider.lookups.trust_policy_quota(&provider.clients).await {
            input.trust_policy_size_quota = quota;
        }
        let mut diags = Diagnostics::default();
        let Some(bp) = blueprint(&input, &account, &mut diags) else {
            return super::failed(prior, diags);
        };
        let applied = access::apply(provider, &bp.access, prior, planned).await;
        if applied.diagnostics.has_errors() {
            return applied;
        }
        Applied {
            state: state::settle(&applied.state, &bp),
            ..applied
        }
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
            [c, n] if !c.is_empty() && !n.is_empty() => (*c, *n, cluster_access::default_role_name("breakglass", c, n)),
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

/// The blueprint, its warnings added to `diags`; `None` (errors in `diags`) when it cannot be built.
fn blueprint(
    input: &intent::BreakGlassInput,
    account: &Account,
    diags: &mut Diagnostics,
) -> Option<intent::BreakGlassBlueprint> {
    match intent::blueprint(input, account) {
        Ok(bp) => Some(bp),
        Err(problems) => {
            diags.extend(intent_diagnostics(&problems, SET_ATTRIBUTES));
            None
        }
    }
}
