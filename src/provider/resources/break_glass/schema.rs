//! The `eksrole_break_glass` schema. Attribute names are the contract.

use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::Type;

pub const VERSION: i64 = 0;

/// Attributes whose change replaces the whole break-glass access.
pub const FORCE_NEW: [&str; 4] = ["cluster_name", "name", "role_name", "role_path"];

pub fn schema() -> Schema {
    let s = Type::String;
    Schema {
        version: VERSION,
        block: Block {
            description: "Emergency access to an EKS cluster, safe by default: a dedicated role that only the listed \
                          principals may assume, always with recent MFA, optionally only inside a time window \
                          (enforced by IAM, so access ends by itself), with a source identity for CloudTrail \
                          attribution, and an EventBridge pattern to alert on every use.",
            attributes: vec![
                Attribute::required("cluster_name", s.clone(), "EKS cluster name (authentication mode `API` or `API_AND_CONFIG_MAP`). Changing it replaces the access."),
                Attribute::required("name", s.clone(), "Name of this break-glass access, used in the default role name and tags. Changing it replaces the access."),
                Attribute::required("principal_arns", Type::set(s.clone()), "IAM users or roles allowed to break glass. Account roots (`:root`) are refused."),
                Attribute::optional_computed("mfa_max_age_seconds", Type::Number, "Maximum age of the MFA authentication, 60-43200 seconds (default 900)."),
                Attribute::optional("not_before", s.clone(), "Start of the window (RFC 3339). Before it the role cannot be assumed."),
                Attribute::optional("not_after", s.clone(), "End of the window (RFC 3339). After it the role cannot be assumed, with no apply needed."),
                Attribute::optional_computed("max_session_duration", Type::Number, "Maximum session duration in seconds (default 3600)."),
                Attribute::optional_computed("require_source_identity", Type::Bool, "Require a source identity (`sts:SourceIdentity`) so every use is attributable in CloudTrail (default `true`)."),
                Attribute::optional("principal_org_id", s.clone(), "AWS Organizations ID the principals must belong to."),
                Attribute::optional_computed("access_level", s.clone(), "`view`, `edit`, `admin` or `cluster_admin` (default)."),
                Attribute::optional("namespaces", Type::set(s.clone()), "Namespaces the access applies to. Absent: the whole cluster."),
                Attribute::optional_computed("role_name", s.clone(), "IAM role name. Default: derived from cluster and name. Changing it replaces the access."),
                Attribute::optional_computed("role_path", s.clone(), "IAM role path, `/` by default. Changing it replaces the access."),
                Attribute::optional("permissions_boundary", s.clone(), "ARN of the managed policy used as the role's permissions boundary."),
                Attribute::optional("tags", Type::map(s.clone()), "Tags for the role and the access entry."),
                Attribute::computed("tags_all", Type::map(s.clone()), "All tags on the role, including `eksrole:intent = break-glass`."),
                Attribute::computed("id", s.clone(), "`cluster/name`."),
                Attribute::computed("role_arn", s.clone(), "ARN of the role (known at plan)."),
                Attribute::computed("role_id", s.clone(), "Unique ID of the role."),
                Attribute::computed("access_entry_arn", s.clone(), "ARN of the EKS access entry."),
                Attribute::computed("trust_policy", s.clone(), "The role's trust policy (minified JSON)."),
                Attribute::computed("access_policy_associations", Type::map(s.clone()), "The access policies associated with the entry: policy ARN → `cluster` or `namespace:<ns>,<ns>`."),
                Attribute::computed("assume_role_command", s.clone(), "The `aws sts assume-role` command to break glass, with `--serial-number`, `--token-code` and `--source-identity` placeholders."),
                Attribute::computed("alert_event_pattern", s, "EventBridge event pattern (JSON) matching CloudTrail `AssumeRole` events for this role: use it in an `aws_cloudwatch_event_rule` to alert on every use."),
            ],
            blocks: vec![],
        },
    }
}
