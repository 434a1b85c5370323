//! The `eksrole_workload_identity` model: every attribute (the names are the
//! contract) declared once with its type, description and flags; the typed
//! struct, the schema and the value conversions follow from it.

use std::collections::{BTreeMap, BTreeSet};

use crate::tfplugin::model::model;
use crate::tfplugin::schema::Schema;

model! {
    /// A pod's AWS identity: what `eksrole_workload_identity` holds in
    /// config, plan and state.
    pub struct WorkloadIdentityModel {
        description: "A pod's AWS identity: an IAM role whose trust policy admits exactly one Kubernetes \
                      service account, through EKS Pod Identity (default) or IRSA, with its permissions and, \
                      for Pod Identity, the association.",
        attributes: {
            cluster_name: String = required("EKS cluster name. Changing it replaces the identity.").force_new(),
            namespace: String = required("Kubernetes namespace of the service account. Changing it replaces the identity.").force_new(),
            service_account: String = required("Kubernetes service account name. Changing it replaces the identity.").force_new(),
            mechanism: String = optional_computed("`pod_identity` (default) or `irsa`."),
            role_name: String = optional_computed("IAM role name. Default: derived from cluster, namespace and service account (at most 64 characters). Changing it replaces the identity.").force_new(),
            role_path: String = optional_computed("IAM role path, `/` by default. Changing it replaces the identity.").force_new(),
            description: String = optional("IAM role description."),
            policy_arns: BTreeSet<String> = optional("Managed policy ARNs to attach to the role."),
            inline_policies: BTreeMap<String, String> = optional("Inline policies: name → policy JSON (e.g. from `jsonencode` or `aws_iam_policy_document`)."),
            permissions_boundary: String = optional("ARN of the managed policy used as the role's permissions boundary."),
            max_session_duration: i64 = optional_computed("Maximum session duration in seconds, 3600-43200 (default 3600)."),
            oidc_provider_arn: String = optional_computed("IRSA: the IAM OIDC provider of the cluster. Default: derived from the cluster's issuer."),
            audience: String = optional_computed("IRSA: the token audience the trust policy requires (default `sts.amazonaws.com`)."),
            target_role_arn: String = optional("Two-role pattern: a second (e.g. cross-account) role the pod ends up in. Pod Identity chains to it natively; IRSA gets an inline policy allowing `sts:AssumeRole` on it."),
            disable_session_tags: bool = optional_computed("Pod Identity: turn off the session tags EKS adds (`disableSessionTags`). Default `false`. With `true` the role's trust can check only the account, not the cluster, namespace and service account (see Trust policy)."),
            session_policy: String = optional("Pod Identity: a session policy (policy JSON, at most 2048 characters minified) that narrows the role's permissions for this service account. Requires `disable_session_tags = true`."),
            tags: BTreeMap<String, String> = optional("Tags for the IAM role (and the Pod Identity association)."),
            tags_all: BTreeMap<String, String> = computed("All tags on the role: `tags`, the provider's `default_tags`, and the ownership tags."),
            id: String = computed("`cluster/namespace/service_account`."),
            role_arn: String = computed("ARN of the role (known at plan)."),
            role_id: String = computed("Unique ID of the role."),
            trust_policy: String = computed("The role's trust policy (minified JSON)."),
            association_id: String = computed("Pod Identity association ID."),
            association_arn: String = computed("Pod Identity association ARN."),
            external_id: String = computed("Pod Identity with `target_role_arn`: the association's external ID, which EKS passes as `sts:ExternalId` when it assumes the target role with session tags disabled. Known after the association is created."),
            target_role_trust_policy: String = computed("Pod Identity with `target_role_arn`: the trust policy the target role (possibly in another account) must have for this role (minified JSON). With `disable_session_tags` it names the external ID, so it is known once the association exists."),
            service_account_annotations: BTreeMap<String, String> = computed("IRSA: annotations to put on the Kubernetes service account (`eks.amazonaws.com/role-arn`). Empty for Pod Identity."),
        },
    }
}

impl WorkloadIdentityModel {
    /// The resource schema, version 0.
    pub fn schema() -> Schema {
        Schema {
            version: 0,
            block: Self::block(),
        }
    }
}
