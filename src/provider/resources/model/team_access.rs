//! The `eksrole_team_access` model: every attribute (the names are the
//! contract) declared once with its type, description and flags; the typed
//! struct, the schema and the value conversions follow from it.

use std::collections::{BTreeMap, BTreeSet};

use crate::tfplugin::model::model;
use crate::tfplugin::schema::Schema;

model! {
    /// People or a CI pipeline reaching a cluster: what
    /// `eksrole_team_access` holds in config, plan and state.
    pub struct TeamAccessModel {
        description: "People or a CI pipeline reaching an EKS cluster: an IAM role they may assume (with MFA, \
                      external ID, organisation or CI OIDC conditions), the permission to describe the cluster, \
                      an EKS access entry, and its access-policy associations.",
        attributes: {
            cluster_name: String = required("EKS cluster name (authentication mode `API` or `API_AND_CONFIG_MAP`). Changing it replaces the access.").force_new(),
            name: String = required("Team name, used in the default role name and tags. Changing it replaces the access.").force_new(),
            principal_arns: BTreeSet<String> = optional("IAM role or user ARNs allowed to assume the role (with `create_role = false`: each given its own access entry). Conflicts with `ci_oidc`."),
            sso_permission_sets: BTreeSet<String> = optional("IAM Identity Center permission-set names, each resolved at plan to this account's `AWSReservedSSO_<name>_<suffix>` role, which gets its own access entry. Needs `create_role = false`."),
            create_role: bool = optional_computed("Create an IAM role the principals assume (default `true`). `false`: no role; each principal gets its own access entry with the access policies and scope, and the role's settings are refused. Changing it replaces the access.").force_new(),
            require_mfa: bool = optional_computed("Require MFA (`Bool aws:MultiFactorAuthPresent \"true\"`). Default `true` for `principal_arns`; not available with `ci_oidc`."),
            external_id: String = optional("External ID the assuming party must pass (`sts:ExternalId`).").sensitive(),
            principal_org_id: String = optional("AWS Organizations ID the principals must belong to (`aws:PrincipalOrgID`)."),
            access_level: String = optional("`view`, `admin_view`, `edit`, `admin` or `cluster_admin` (AmazonEKSViewPolicy, AmazonEKSAdminViewPolicy, AmazonEKSEditPolicy, AmazonEKSAdminPolicy, AmazonEKSClusterAdminPolicy). Conflicts with `access_policy_arns`."),
            access_policy_arns: BTreeSet<String> = optional("Explicit EKS access policy ARNs, e.g. `arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`."),
            namespaces: BTreeSet<String> = optional("Namespaces the access policies apply to (a trailing `*` matches a prefix). Absent: the whole cluster."),
            kubernetes_groups: BTreeSet<String> = optional("Kubernetes groups for RBAC bindings of your own (`system:` groups are refused)."),
            kubernetes_username: String = optional_computed("Kubernetes username. Default: chosen by EKS."),
            max_session_duration: i64 = optional_computed("Maximum session duration in seconds, 3600-43200 (default 3600)."),
            role_name: String = optional_computed("IAM role name. Default: derived from cluster and team name. Changing it replaces the access.").force_new(),
            role_path: String = optional_computed("IAM role path, `/` by default. Changing it replaces the access.").force_new(),
            permissions_boundary: String = optional("ARN of the managed policy used as the role's permissions boundary."),
            description: String = optional("IAM role description."),
            tags: BTreeMap<String, String> = optional("Tags for the role and the access entry."),
            tags_all: BTreeMap<String, String> = computed("All tags on the role: `tags`, the provider's `default_tags`, and the ownership tags."),
            id: String = computed("`cluster/name`."),
            role_arn: String = computed("ARN of the role (known at plan)."),
            role_id: String = computed("Unique ID of the role."),
            access_entry_arn: String = computed("ARN of the EKS access entry (of the role; null with `create_role = false`)."),
            access_entry_arns: BTreeMap<String, String> = computed("Every access entry of this access: principal ARN (the role's, or with `create_role = false` each principal's) → access entry ARN."),
            trust_policy: String = computed("The role's trust policy (minified JSON; an external ID is shown as `(sensitive)`)."),
            access_policy_associations: BTreeMap<String, String> = computed("The access policies associated with the entry: policy ARN → `cluster` or `namespace:<ns>,<ns>`."),
            kubeconfig_command: String = computed("`aws eks update-kubeconfig --name … --region … --role-arn …`."),
        },
        blocks: { ci_oidc: CiOidcModel },
    }
}

model! {
    /// The `ci_oidc` block of `eksrole_team_access`.
    pub struct CiOidcModel {
        description: "A CI pipeline (GitHub Actions, GitLab, …) assuming the role with its OIDC token, no stored keys. Conflicts with `principal_arns`.",
        attributes: {
            provider_arn: String = required("ARN of the IAM OIDC provider of the CI system, e.g. `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`."),
            audience: String = optional_computed("Token audience (default `sts.amazonaws.com`)."),
            subjects: BTreeSet<String> = required("Exact token subjects allowed, e.g. `repo:org/app:ref:refs/heads/main`."),
            allow_subject_wildcards: bool = optional_computed("Allow `*` and `?` in `subjects` (matched with `StringLike`). Default `false`."),
        },
    }
}

impl TeamAccessModel {
    /// The resource schema, version 0.
    pub fn schema() -> Schema {
        Schema {
            version: 0,
            block: Self::block(),
        }
    }
}
