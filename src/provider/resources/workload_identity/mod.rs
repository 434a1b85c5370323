//! `eksrole_workload_identity`: the resource plumbing around the pure
//! blueprint in `intent::workload_identity`: config → input, plan-time
//! look-ups, planned state, apply through `apply::`, refresh and import.

mod state;

use crate::apply::{pod_identity, role};
use crate::aws::iam;
use crate::aws::retry::RetryPolicy;
use crate::intent::tags::owned_by;
use crate::intent::workload_identity::{self as intent, Mechanism, WorkloadIdentityInput};
use crate::intent::Account;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Value};

use super::super::context::{aws_diagnostic, Configured};
use super::model::WorkloadIdentityModel;
use super::values::{set_attr, unknowns_to_null};
use super::{failed, Applied, IntentSpec, PlanStart, Planned, Resource};

const SPEC: IntentSpec<WorkloadIdentityInput> = IntentSpec {
    schema: WorkloadIdentityModel::schema,
    parse: state::input,
    validate: intent::validate,
};
const POD_IDENTITY_AGENT: &str = "eks-pod-identity-agent";

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
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        let start = match super::begin_plan(&SPEC, provider, prior, proposed, config).await {
            Ok(start) => start,
            Err(planned) => return planned,
        };
        let PlanStart {
            input,
            requires_replace,
            creating,
            replacing,
            account,
            mut diags,
        } = start;
        let errors = |diags: Diagnostics| Planned {
            diagnostics: diags,
            ..Default::default()
        };
        let blueprint = match &account {
            Some(account) => {
                let found = live_checks(provider, &input, account, creating).await;
                diags.extend(found.diagnostics);
                if diags.has_errors() {
                    return errors(diags);
                }
                let env = super::env(provider, account.clone(), found.trust_policy_quota);
                match intent::blueprint(&input, &env, found.oidc_provider_arn.as_deref()) {
                    Ok(bp) => Some(bp),
                    Err(problems) => {
                        diags.extend(SPEC.diagnostics(&problems));
                        return errors(diags);
                    }
                }
            }
            None => None,
        };
        let state = state::planned(
            proposed,
            prior,
            config,
            &input,
            blueprint.as_ref(),
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
        let mut diags = Diagnostics::default();
        let (input, account) = match super::apply_inputs(provider, prior, planned, &SPEC).await {
            Ok(v) => v,
            Err(applied) => return applied,
        };
        let input = match super::validated(&SPEC, prior, input) {
            Ok(input) => input,
            Err(applied) => return applied,
        };
        let mut looked_up = None;
        if input.mechanism == Mechanism::Irsa && input.oidc_provider_arn.is_none() {
            match resolve_oidc_provider_arn(provider, &input.cluster_name, &account).await {
                Ok(arn) => looked_up = arn,
                Err(d) => return failed(prior, d.into()),
            }
        }
        let quota = provider.lookups.trust_policy_quota(&provider.clients).await;
        let env = super::env(provider, account, quota.ok());
        let bp = match intent::blueprint(&input, &env, looked_up.as_deref()) {
            Ok(bp) => bp,
            Err(problems) => return failed(prior, SPEC.diagnostics(&problems)),
        };
        let retry = RetryPolicy::default();
        let c = &provider.clients;
        let mut new_state = planned.clone();

        // 1. The role (and its policies): everything else points at it.
        let observed_role = match provider
            .cancellable("reconcile role", role::ensure_role(c, &bp.role, &retry))
            .await
        {
            Ok(r) => r.role,
            Err(e) => {
                // The role may exist now (created, then a policy failed): keep it in state so destroy removes it.
                diags.push(aws_diagnostic(
                    "Could not create or update the IAM role",
                    &e,
                ));
                let created = matches!(iam::get_role(c, &bp.role.name).await, Ok(Some(_)));
                if !created && prior.is_null() {
                    return Applied {
                        state: Value::Null,
                        diagnostics: diags,
                        ..Default::default()
                    };
                }
                return Applied {
                    state: unknowns_to_null(&new_state),
                    diagnostics: diags,
                    ..Default::default()
                };
            }
        };
        set_attr(
            &mut new_state,
            "role_id",
            observed_role.role_id.clone().into(),
        );
        set_attr(&mut new_state, "role_arn", observed_role.arn.clone().into());

        // 2. The association (Pod Identity), or its removal (IRSA).
        let known_id = prior.attr("association_id").as_str().map(str::to_owned);
        match &bp.association {
            Some(assoc) => match provider
                .cancellable(
                    "reconcile association",
                    pod_identity::ensure_association(c, assoc, known_id.as_deref(), &retry),
                )
                .await
            {
                Ok(a) => {
                    set_attr(&mut new_state, "association_id", a.association_id.into());
                    set_attr(&mut new_state, "association_arn", a.association_arn.into());
                }
                Err(e) => {
                    diags.push(aws_diagnostic(
                        "Could not create or update the Pod Identity association",
                        &e,
                    ));
                    return Applied {
                        state: unknowns_to_null(&new_state),
                        diagnostics: diags,
                        ..Default::default()
                    };
                }
            },
            None => {
                if let Err(e) = pod_identity::remove_association(
                    c,
                    &input.cluster_name,
                    &input.namespace,
                    &input.service_account,
                    known_id.as_deref(),
                )
                .await
                {
                    diags.push(aws_diagnostic(
                        "Could not delete the Pod Identity association",
                        &e,
                    ));
                    return Applied {
                        state: unknowns_to_null(&new_state),
                        diagnostics: diags,
                        ..Default::default()
                    };
                }
                set_attr(&mut new_state, "association_id", Value::Null);
                set_attr(&mut new_state, "association_arn", Value::Null);
            }
        }
        let applied = Applied {
            state: new_state,
            diagnostics: diags,
            ..Default::default()
        };
        super::settled(applied, |state| state::settle(state, &bp))
    }

    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let c = &provider.clients;
        let cluster = prior.attr("cluster_name").as_str().unwrap_or_default();
        let namespace = prior.attr("namespace").as_str().unwrap_or_default();
        let service_account = prior.attr("service_account").as_str().unwrap_or_default();
        let known_id = prior.attr("association_id").as_str();
        if known_id.is_some() || prior.attr("mechanism").as_str() != Some(Mechanism::Irsa.as_str())
        {
            let removed = provider
                .cancellable(
                    "delete association",
                    pod_identity::remove_association(
                        c,
                        cluster,
                        namespace,
                        service_account,
                        known_id,
                    ),
                )
                .await;
            // Gone already (or with its cluster) counts as removed.
            if let Err(e) = removed {
                diags.push(aws_diagnostic(
                    "Could not delete the Pod Identity association",
                    &e,
                ));
                return diags;
            }
        }
        if let Some(name) = prior.attr("role_name").as_str() {
            if let Err(e) = provider
                .cancellable("delete role", iam::delete_role_fully(c, name))
                .await
            {
                diags.push(aws_diagnostic("Could not delete the IAM role", &e));
            }
        }
        diags
    }

    async fn read(&self, provider: &Configured, current: &Value) -> Result<Value, Diagnostics> {
        state::refresh(provider, current).await
    }

    async fn import(&self, provider: &Configured, id: &str) -> Result<Value, Diagnostics> {
        let id = intent::parse_import_id(id)
            .map_err(|e| Diagnostic::error("Invalid import ID", format!("{e}.")))?;
        state::imported(
            provider,
            &id.cluster_name,
            &id.namespace,
            &id.service_account,
            id.role_name.as_deref(),
        )
        .await
    }
}

/// The cluster's OIDC provider ARN, derived from its issuer.
async fn resolve_oidc_provider_arn(
    provider: &Configured,
    cluster: &str,
    account: &Account,
) -> Result<Option<String>, Diagnostic> {
    let found = provider
        .lookups
        .cluster(&provider.clients, cluster)
        .await
        .map_err(|e| {
            aws_diagnostic("Could not look up the EKS cluster", &e)
                .at(AttributePath::root("cluster_name"))
        })?;
    let Some(issuer) = found.and_then(|c| c.oidc_issuer) else {
        return Ok(None);
    };
    intent::oidc_provider_arn_for_issuer(&issuer, account)
        .map(Some)
        .map_err(|e| {
            Diagnostic::error("Unexpected cluster issuer", e)
                .at(AttributePath::root("cluster_name"))
        })
}

/// What the live look-ups of a plan found.
struct LiveFacts {
    /// Every problem, each on its attribute.
    diagnostics: Diagnostics,
    /// The account's trust policy quota, when it could be read.
    trust_policy_quota: Option<usize>,
    /// IRSA without `oidc_provider_arn`: the OIDC provider of the cluster's issuer.
    oidc_provider_arn: Option<String>,
}

/// The live look-ups of a plan.
async fn live_checks(
    provider: &Configured,
    input: &WorkloadIdentityInput,
    account: &Account,
    creating: bool,
) -> LiveFacts {
    let mut diags = Diagnostics::default();
    let c = &provider.clients;
    let lookups = &provider.lookups;
    let at = AttributePath::root;
    let failed = |diagnostics| LiveFacts {
        diagnostics,
        trust_policy_quota: None,
        oidc_provider_arn: None,
    };

    let cluster = match lookups.cluster(c, &input.cluster_name).await {
        Ok(Some(cluster)) => cluster,
        Ok(None) => {
            diags.push(
                Diagnostic::error(
                    "EKS cluster not found",
                    format!(
                        "No EKS cluster named {:?} exists in {} of account {}. Check `cluster_name` and the provider's region.",
                        input.cluster_name, account.region, account.account_id
                    ),
                )
                .at(at("cluster_name")),
            );
            return failed(diags);
        }
        Err(e) => {
            diags.push(
                aws_diagnostic("Could not look up the EKS cluster", &e).at(at("cluster_name")),
            );
            return failed(diags);
        }
    };

    let policy_checks = futures_util::future::join_all(
        input
            .policy_arns
            .iter()
            .chain(input.permissions_boundary.iter())
            .map(|arn| async move { (arn.clone(), lookups.policy_exists(c, arn).await) }),
    );
    let quota = lookups.trust_policy_quota(c);
    let mechanism_checks = async {
        let mut d = Diagnostics::default();
        match input.mechanism {
            Mechanism::PodIdentity => match lookups.addon(c, &input.cluster_name, POD_IDENTITY_AGENT).await {
                Ok(Some(_)) => {}
                Ok(None) => d.push(
                    Diagnostic::warning(
                        "EKS Pod Identity Agent not installed",
                        format!(
                            "Cluster {:?} has no `{POD_IDENTITY_AGENT}` add-on, so pods will not receive these credentials. \
                             Install the add-on (aws eks create-addon --cluster-name {} --addon-name {POD_IDENTITY_AGENT}), \
                             or use `mechanism = \"irsa\"`.",
                            input.cluster_name, input.cluster_name
                        ),
                    )
                    .at(at("mechanism")),
                ),
                Err(e) => d.push(aws_diagnostic("Could not look up the cluster's add-ons", &e).at(at("mechanism")).into_warning()),
            },
            Mechanism::Irsa => {
                let (arn, path) = match &input.oidc_provider_arn {
                    Some(arn) => (Some(arn.clone()), "oidc_provider_arn"),
                    None => match cluster.oidc_issuer.as_deref().map(|i| intent::oidc_provider_arn_for_issuer(i, account)) {
                        Some(Ok(arn)) => (Some(arn), "mechanism"),
                        Some(Err(e)) => {
                            d.push(Diagnostic::error("Unexpected cluster issuer", e).at(at("cluster_name")));
                            (None, "mechanism")
                        }
                        None => {
                            d.push(
                                Diagnostic::error(
                                    "Cluster has no OIDC issuer",
                                    format!("Cluster {:?} reports no OIDC issuer, which IRSA needs. Use `mechanism = \"pod_identity\"`, or set `oidc_provider_arn`.", input.cluster_name),
                                )
                                .at(at("mechanism")),
                            );
                            (None, "mechanism")
                        }
                    },
                };
                if let Some(arn) = arn {
                    match lookups.oidc_provider(c, &arn).await {
                        Ok(Some(p)) => {
                            let audience = input.effective_audience();
                            if !p.client_ids.contains(&audience) {
                                d.push(
                                    Diagnostic::error(
                                        "Audience not registered",
                                        format!(
                                            "The OIDC provider {arn} does not list {audience:?} as a client ID (audience), so tokens would be refused. \
                                             Add it to the provider's client IDs (aws iam add-client-id-to-open-id-connect-provider), or change `audience`."
                                        ),
                                    )
                                    .at(at("audience")),
                                );
                            }
                        }
                        Ok(None) => d.push(
                            Diagnostic::error(
                                "Cluster's OIDC issuer is not registered in IAM",
                                format!(
                                    "IRSA needs the IAM OIDC provider {arn}, which does not exist in account {}. Register the cluster's issuer \
                                     (eksctl utils associate-iam-oidc-provider --cluster {} --approve, or an aws_iam_openid_connect_provider resource), \
                                     or use `mechanism = \"pod_identity\"`.",
                                    account.account_id, input.cluster_name
                                ),
                            )
                            .at(at(path)),
                        ),
                        Err(e) => d.push(aws_diagnostic("Could not look up the IAM OIDC provider", &e).at(at(path))),
                    }
                }
            }
        }
        d
    };
    let role_check = async {
        if !creating {
            return Diagnostics::default();
        }
        let name = input.effective_role_name();
        match iam::get_role(c, &name).await {
            Ok(Some(existing)) if !owned_by(&existing.tags, &input.owner()) => Diagnostic::error(
                "Role name already taken",
                format!(
                    "An IAM role named {name:?} already exists and was not created by eksrole for this service account. \
                     Choose another `role_name`, or delete the existing role."
                ),
            )
            .at(at("role_name"))
            .into(),
            Ok(_) => Diagnostics::default(),
            Err(e) => aws_diagnostic("Could not look up the role name", &e).at(at("role_name")).into_warning().into(),
        }
    };
    let (policies, quota, mech, role_diags) =
        tokio::join!(policy_checks, quota, mechanism_checks, role_check);
    for (arn, exists) in policies {
        let path = if Some(&arn) == input.permissions_boundary.as_ref() {
            "permissions_boundary"
        } else {
            "policy_arns"
        };
        match exists {
            Ok(true) => {}
            Ok(false) => diags.push(
                Diagnostic::error("Managed policy not found", format!("The managed policy {arn} does not exist. Check the ARN (and its account and path)."))
                    .at(at(path)),
            ),
            Err(e) => diags.push(aws_diagnostic("Could not look up a managed policy", &e).at(at(path)).into_warning()),
        }
    }
    diags.extend(mech);
    diags.extend(role_diags);
    let oidc_provider_arn = match (input.mechanism, &input.oidc_provider_arn) {
        (Mechanism::Irsa, None) => cluster
            .oidc_issuer
            .as_deref()
            .and_then(|i| intent::oidc_provider_arn_for_issuer(i, account).ok()),
        _ => None,
    };
    LiveFacts {
        diagnostics: diags,
        trust_policy_quota: quota.ok(),
        oidc_provider_arn,
    }
}
