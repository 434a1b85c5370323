//! The `eksrole_workload_identity` schema. Attribute names are the contract.

use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::Type;

pub const VERSION: i64 = 0;

/// Attributes whose change replaces the whole identity.
pub const FORCE_NEW: [&str; 5] = [
    "cluster_name",
    "namespace",
    "service_account",
    "role_name",
    "role_path",
];

pub fn schema() -> Schema {
    let s = Type::String;
    Schema {
        version: VERSION,
        block: Block {
            description: "A pod's AWS identity: an IAM role whose trust policy admits exactly one Kubernetes \
                          service account, through EKS Pod Identity (default) or IRSA, with its permissions and, \
                          for Pod Identity, the association.",
            attributes: vec![
                Attribute::required("cluster_name", s.clone(), "EKS cluster name. Changing it replaces the identity."),
                Attribute::required("namespace", s.clone(), "Kubernetes namespace of the service account. Changing it replaces the identity."),
                Attribute::required("service_account", s.clone(), "Kubernetes service account name. Changing it replaces the identity."),
                Attribute::optional_computed("mechanism", s.clone(), "`pod_identity` (default) or `irsa`."),
                Attribute::optional_computed("role_name", s.clone(), "IAM role name. Default: derived from cluster, namespace and service account (at most 64 characters). Changing it replaces the identity."),
                Attribute::optional_computed("role_path", s.clone(), "IAM role path, `/` by default. Changing it replaces the identity."),
                Attribute::optional("description", s.clone(), "IAM role description."),
                Attribute::optional("policy_arns", Type::set(s.clone()), "Managed policy ARNs to attach to the role."),
                Attribute::optional("inline_policies", Type::map(s.clone()), "Inline policies: name → policy JSON (e.g. from `jsonencode` or `aws_iam_policy_document`)."),
                Attribute::optional("permissions_boundary", s.clone(), "ARN of the managed policy used as the role's permissions boundary."),
                Attribute::optional_computed("max_session_duration", Type::Number, "Maximum session duration in seconds, 3600-43200 (default 3600)."),
                Attribute::optional_computed("oidc_provider_arn", s.clone(), "IRSA: the IAM OIDC provider of the cluster. Default: derived from the cluster's issuer."),
                Attribute::optional_computed("audience", s.clone(), "IRSA: the token audience the trust policy requires (default `sts.amazonaws.com`)."),
                Attribute::optional("target_role_arn", s.clone(), "Two-role pattern: a second (e.g. cross-account) role the pod ends up in. Pod Identity chains to it natively; IRSA gets an inline policy allowing `sts:AssumeRole` on it."),
                Attribute::optional("tags", Type::map(s.clone()), "Tags for the IAM role (and the Pod Identity association)."),
                Attribute::computed("tags_all", Type::map(s.clone()), "All tags on the role: `tags`, the provider's `default_tags`, and the ownership tags."),
                Attribute::computed("id", s.clone(), "`cluster/namespace/service_account`."),
                Attribute::computed("role_arn", s.clone(), "ARN of the role (known at plan)."),
                Attribute::computed("role_id", s.clone(), "Unique ID of the role."),
                Attribute::computed("trust_policy", s.clone(), "The role's trust policy (minified JSON)."),
                Attribute::computed("association_id", s.clone(), "Pod Identity association ID."),
                Attribute::computed("association_arn", s.clone(), "Pod Identity association ARN."),
                Attribute::computed("service_account_annotations", Type::map(s), "IRSA: annotations to put on the Kubernetes service account (`eks.amazonaws.com/role-arn`). Empty for Pod Identity."),
            ],
            blocks: vec![],
        },
    }
}
