//! The `eksrole_team_access` schema. Attribute names are the contract.

use crate::tfplugin::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use crate::tfplugin::Type;

pub const VERSION: i64 = 0;

/// Attributes whose change replaces the whole team access.
pub const FORCE_NEW: [&str; 4] = ["cluster_name", "name", "role_name", "role_path"];

pub fn schema() -> Schema {
    let s = Type::String;
    Schema {
        version: VERSION,
        block: Block {
            description: "People or a CI pipeline reaching an EKS cluster: an IAM role they may assume (with MFA, \
                          external ID, organisation or CI OIDC conditions), the permission to describe the cluster, \
                          an EKS access entry, and its access-policy associations.",
            attributes: vec![
                Attribute::required("cluster_name", s.clone(), "EKS cluster name (authentication mode `API` or `API_AND_CONFIG_MAP`). Changing it replaces the access."),
                Attribute::required("name", s.clone(), "Team name, used in the default role name and tags. Changing it replaces the access."),
                Attribute::optional("principal_arns", Type::set(s.clone()), "IAM role or user ARNs allowed to assume the role. Conflicts with `ci_oidc`."),
                Attribute::optional_computed("require_mfa", Type::Bool, "Require MFA (`Bool aws:MultiFactorAuthPresent \"true\"`). Default `true` for `principal_arns`; not available with `ci_oidc`."),
                Attribute::optional("external_id", s.clone(), "External ID the assuming party must pass (`sts:ExternalId`).").sensitive(),
                Attribute::optional("principal_org_id", s.clone(), "AWS Organizations ID the principals must belong to (`aws:PrincipalOrgID`)."),
                Attribute::optional("access_level", s.clone(), "`view`, `edit`, `admin` or `cluster_admin` (AmazonEKSViewPolicy, AmazonEKSEditPolicy, AmazonEKSAdminPolicy, AmazonEKSClusterAdminPolicy). Conflicts with `access_policy_arns`."),
                Attribute::optional("access_policy_arns", Type::set(s.clone()), "Explicit EKS access policy ARNs, e.g. `arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`."),
                Attribute::optional("namespaces", Type::set(s.clone()), "Namespaces the access policies apply to (a trailing `*` matches a prefix). Absent: the whole cluster."),
                Attribute::optional("kubernetes_groups", Type::set(s.clone()), "Kubernetes groups for RBAC bindings of your own (`system:` groups are refused)."),
                Attribute::optional_computed("kubernetes_username", s.clone(), "Kubernetes username. Default: chosen by EKS."),
                Attribute::optional_computed("max_session_duration", Type::Number, "Maximum session duration in seconds, 3600-43200 (default 3600)."),
                Attribute::optional_computed("role_name", s.clone(), "IAM role name. Default: derived from cluster and team name. Changing it replaces the access."),
                Attribute::optional_computed("role_path", s.clone(), "IAM role path, `/` by default. Changing it replaces the access."),
                Attribute::optional("permissions_boundary", s.clone(), "ARN of the managed policy used as the role's permissions boundary."),
                Attribute::optional("description", s.clone(), "IAM role description."),
                Attribute::optional("tags", Type::map(s.clone()), "Tags for the role and the access entry."),
                Attribute::computed("tags_all", Type::map(s.clone()), "All tags on the role: `tags`, the provider's `default_tags`, and the ownership tags."),
                Attribute::computed("id", s.clone(), "`cluster/name`."),
                Attribute::computed("role_arn", s.clone(), "ARN of the role (known at plan)."),
                Attribute::computed("role_id", s.clone(), "Unique ID of the role."),
                Attribute::computed("access_entry_arn", s.clone(), "ARN of the EKS access entry."),
                Attribute::computed("trust_policy", s.clone(), "The role's trust policy (minified JSON; an external ID is shown as `(sensitive)`)."),
                Attribute::computed("access_policy_associations", Type::map(s.clone()), "The access policies associated with the entry: policy ARN → `cluster` or `namespace:<ns>,<ns>`."),
                Attribute::computed("kubeconfig_command", s, "`aws eks update-kubeconfig --name … --region … --role-arn …`."),
            ],
            blocks: vec![NestedBlock {
                type_name: "ci_oidc",
                nesting: Nesting::Single,
                min_items: 0,
                max_items: 0,
                block: Block {
                    description: "A CI pipeline (GitHub Actions, GitLab, …) assuming the role with its OIDC token, no stored keys. Conflicts with `principal_arns`.",
                    attributes: vec![
                        Attribute::required("provider_arn", Type::String, "ARN of the IAM OIDC provider of the CI system, e.g. `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`."),
                        Attribute::optional_computed("audience", Type::String, "Token audience (default `sts.amazonaws.com`)."),
                        Attribute::required("subjects", Type::set(Type::String), "Exact token subjects allowed, e.g. `repo:org/app:ref:refs/heads/main`."),
                        Attribute::optional_computed("allow_subject_wildcards", Type::Bool, "Allow `*` and `?` in `subjects` (matched with `StringLike`). Default `false`."),
                    ],
                    blocks: vec![],
                },
            }],
        },
    }
}
