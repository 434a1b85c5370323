//! `eksrole_cluster_access`: who can reach one EKS cluster and how — every
//! access entry (type, groups, username, access policies, the eksrole intent
//! that manages it, whether it is stale) and every Pod Identity association
//! (roles, owning add-on, managing intent). The reads live in
//! `crate::review`; this file holds the schema and the value it fills.

use crate::intent::names::validate_cluster_name;
use crate::review::{self, AssociationRow, ClusterReview, EntryRow, PolicyRow};
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics, Type, Value};
use crate::validate::cluster::existing_cluster;

use super::super::cli_run;
use super::super::context::{aws_diagnostic, Configured};
use super::super::resources::live_account;
use super::DataSource;

pub struct ClusterAccessDataSource;

fn policy_type() -> Type {
    Type::object([
        ("policy_arn", Type::String),
        ("scope", Type::String),
        ("namespaces", Type::list(Type::String)),
    ])
}

fn entry_type() -> Type {
    Type::object([
        ("principal_arn", Type::String),
        ("type", Type::String),
        ("kubernetes_groups", Type::list(Type::String)),
        ("username", Type::String),
        ("access_policies", Type::list(policy_type())),
        ("managed_by", Type::String),
        ("stale", Type::Bool),
    ])
}

fn association_type() -> Type {
    Type::object([
        ("namespace", Type::String),
        ("service_account", Type::String),
        ("role_arn", Type::String),
        ("target_role_arn", Type::String),
        ("owner_arn", Type::String),
        ("managed_by", Type::String),
    ])
}

fn on_cluster_name(d: Diagnostic) -> Diagnostics {
    let mut diags = Diagnostics::default();
    diags.push(d.at(AttributePath::root("cluster_name")));
    diags
}

#[tonic::async_trait]
impl DataSource for ClusterAccessDataSource {
    fn type_name(&self) -> &'static str {
        "eksrole_cluster_access"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "Who can reach an EKS cluster and how: every access entry with its access policies, the eksrole intent that manages it and whether it is stale, and every Pod Identity association. Read fresh on every plan (not from the plan-time look-up cache).",
                attributes: vec![
                    Attribute::required("cluster_name", Type::String, "EKS cluster name (in the provider's region)."),
                    Attribute::computed("id", Type::String, "The cluster name."),
                    Attribute::computed(
                        "entries",
                        Type::list(entry_type()),
                        "One object per access entry, ordered by `principal_arn`: `principal_arn`; `type` (`STANDARD`, `EC2_LINUX`, `FARGATE_LINUX`, ...); `kubernetes_groups`; `username` (the Kubernetes username EKS maps the principal to); `access_policies`, a list of `{policy_arn, scope, namespaces}` with `scope` `cluster` or `namespace`; `managed_by`, the eksrole intent whose ownership tags the entry carries (`team-access:<cluster>/<name>`, `break-glass:<cluster>/<name>`) or empty; `stale`, true when the entry's principal (a role or user of the provider's account) was deleted, or deleted and created again after the entry, so EKS no longer grants it anything.",
                    ),
                    Attribute::computed(
                        "pod_identity_associations",
                        Type::list(association_type()),
                        "One object per Pod Identity association, ordered by namespace and service account: `namespace`, `service_account`, `role_arn`, `target_role_arn` (empty without one), `owner_arn` (the EKS add-on that owns it, or empty), `managed_by` (`workload-identity:<cluster>/<namespace>/<service_account>` or empty).",
                    ),
                ],
                blocks: vec![],
            },
        }
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        match config.attr("cluster_name") {
            Value::String(name) => match validate_cluster_name(name) {
                Ok(()) => Diagnostics::default(),
                Err(e) => on_cluster_name(Diagnostic::error("Invalid cluster_name", e)),
            },
            _ => Diagnostics::default(),
        }
    }

    async fn read(&self, provider: &Configured, config: &Value) -> Result<Value, Diagnostics> {
        let Value::String(name) = config.attr("cluster_name") else {
            return Err(on_cluster_name(Diagnostic::error(
                "cluster_name is required",
                "Set `cluster_name` to the EKS cluster to review.",
            )));
        };
        // The plan a destroy runs first reads data sources too; a review
        // must not keep anyone from leaving (the cluster may be gone, a
        // postcondition may fail on a stale entry): it reads nothing then.
        if cli_run::destroying() {
            return Ok(review_value(name, &ClusterReview::default()));
        }
        let account = live_account(provider).await.map_err(Diagnostics::from)?;
        let cluster = existing_cluster(&provider.lookups, &provider.clients, name, &account)
            .await
            .map_err(|p| on_cluster_name(Diagnostic::error(p.summary, p.detail)))?;
        if !cluster.authentication_mode.allows_access_entries() {
            return Err(on_cluster_name(Diagnostic::error(
                "The cluster does not use access entries",
                format!("Cluster {name:?} has authentication mode {}: its access lives in the aws-auth ConfigMap, which this data source cannot read. Switch the cluster to API_AND_CONFIG_MAP or API to review it here.", cluster.authentication_mode.as_str()),
            )));
        }
        let read = review::read_cluster(&provider.clients, &account.account_id, name);
        let review = provider
            .cancellable("review cluster access", read)
            .await
            .map_err(|e| {
                on_cluster_name(aws_diagnostic("Could not read the cluster's access", &e))
            })?
            .ok_or_else(|| {
                on_cluster_name(Diagnostic::error(
                    "EKS cluster not found",
                    format!("Cluster {name:?} was deleted while its access was being read."),
                ))
            })?;
        Ok(review_value(name, &review))
    }
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn policy_value(p: &PolicyRow) -> Value {
    Value::object([
        ("policy_arn", Value::from(p.policy_arn.as_str())),
        ("scope", Value::from(p.scope)),
        ("namespaces", strings(&p.namespaces)),
    ])
}

fn entry_value(e: &EntryRow) -> Value {
    Value::object([
        ("principal_arn", Value::from(e.principal_arn.as_str())),
        ("type", Value::from(e.entry_type.as_str())),
        ("kubernetes_groups", strings(&e.kubernetes_groups)),
        ("username", Value::from(e.username.as_str())),
        (
            "access_policies",
            Value::List(e.access_policies.iter().map(policy_value).collect()),
        ),
        ("managed_by", Value::from(e.managed_by.as_str())),
        ("stale", Value::from(e.stale)),
    ])
}

fn association_value(a: &AssociationRow) -> Value {
    Value::object([
        ("namespace", Value::from(a.namespace.as_str())),
        ("service_account", Value::from(a.service_account.as_str())),
        ("role_arn", Value::from(a.role_arn.as_str())),
        ("target_role_arn", Value::from(a.target_role_arn.as_str())),
        ("owner_arn", Value::from(a.owner_arn.as_str())),
        ("managed_by", Value::from(a.managed_by.as_str())),
    ])
}

fn review_value(cluster: &str, review: &ClusterReview) -> Value {
    Value::object([
        ("cluster_name", Value::from(cluster)),
        ("id", Value::from(cluster)),
        (
            "entries",
            Value::List(review.entries.iter().map(entry_value).collect()),
        ),
        (
            "pod_identity_associations",
            Value::List(review.associations.iter().map(association_value).collect()),
        ),
    ])
}
