//! The `eksrole_break_glass` model: every attribute (the names are the
//! contract) declared once with its type, description and flags; the typed
//! struct, the schema and the value conversions follow from it.

use std::collections::{BTreeMap, BTreeSet};

use crate::tfplugin::model::model;
use crate::tfplugin::schema::Schema;

model! {
    /// Emergency access to a cluster: what `eksrole_break_glass` holds in
    /// config, plan and state.
    pub struct BreakGlassModel {
        description: "Emergency access to an EKS cluster, safe by default: a dedicated role that only the listed \
                      principals may assume, always with recent MFA, optionally only inside a time window \
                      (enforced by IAM, so access ends by itself), with a source identity for CloudTrail \
                      attribution, and an EventBridge pattern to alert on every use.",
        attributes: {
            cluster_name: String = required("EKS cluster name (authentication mode `API` or `API_AND_CONFIG_MAP`). Changing it replaces the access.").force_new(),
            name: String = required("Name of this break-glass access, used in the default role name and tags. Changing it replaces the access.").force_new(),
            principal_arns: BTreeSet<String> = required("IAM users or roles allowed to break glass. Account roots (`:root`) are refused."),
            mfa_max_age_seconds: i64 = optional_computed("Maximum age of the MFA authentication, 60-43200 seconds (default 900)."),
            not_before: String = optional("Start of the window (RFC 3339). Before it the role cannot be assumed."),
            not_after: String = optional("End of the window (RFC 3339). After it the role cannot be assumed, with no apply needed."),
            max_session_duration: i64 = optional_computed("Maximum session duration in seconds (default 3600)."),
            require_source_identity: bool = optional_computed("Require a source identity (`sts:SourceIdentity`) so every use is attributable in CloudTrail (default `true`)."),
            principal_org_id: String = optional("AWS Organizations ID the principals must belong to."),
            access_level: String = optional_computed("`view`, `admin_view`, `edit`, `admin` or `cluster_admin` (default)."),
            namespaces: BTreeSet<String> = optional("Namespaces the access applies to. Absent: the whole cluster."),
            role_name: String = optional_computed("IAM role name. Default: derived from cluster and name. Changing it replaces the access.").force_new(),
            role_path: String = optional_computed("IAM role path, `/` by default. Changing it replaces the access.").force_new(),
            permissions_boundary: String = optional("ARN of the managed policy used as the role's permissions boundary."),
            tags: BTreeMap<String, String> = optional("Tags for the role and the access entry."),
            enabled: bool = optional_computed("Whether the glass is open (default `true`). `false` closes it at once: the access entry and its access policy associations are deleted, the role stays with its trust policy (the audit trail); `true` creates them again."),
            tags_all: BTreeMap<String, String> = computed("All tags on the role, including `eksrole:intent = break-glass`."),
            id: String = computed("`cluster/name`."),
            role_arn: String = computed("ARN of the role (known at plan)."),
            role_id: String = computed("Unique ID of the role."),
            access_entry_arn: String = computed("ARN of the EKS access entry."),
            trust_policy: String = computed("The role's trust policy (minified JSON)."),
            access_policy_associations: BTreeMap<String, String> = computed("The access policies associated with the entry: policy ARN → `cluster` or `namespace:<ns>,<ns>`."),
            assume_role_command: String = computed("The `aws sts assume-role` command to break glass, with placeholders: for IAM users with `--serial-number`, `--token-code` and `--source-identity`, asking for `max_session_duration`; for roles (role chaining) with `--source-identity` only, asking for at most 3600 seconds; one command for each kind when both are listed."),
            alert_event_pattern: String = computed("EventBridge event pattern (JSON) matching CloudTrail `AssumeRole` events for this role: use it in an `aws_cloudwatch_event_rule` to alert on every use."),
        },
    }
}

impl BreakGlassModel {
    /// The resource schema, version 0.
    pub fn schema() -> Schema {
        Schema {
            version: 0,
            block: Self::block(),
        }
    }
}
