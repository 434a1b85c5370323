//! Test helpers shared by the intents' tests: accounts, sets and maps,
//! problem summaries, and the golden rendering of an access blueprint.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::access_entry::AccessScope;
use super::cluster_access::ClusterAccessBlueprint;
use super::{Account, Env, IntentError};

pub const ACCOUNT_ID: &str = "123456789012";

pub fn account_in(partition: &str) -> Account {
    Account {
        account_id: ACCOUNT_ID.into(),
        partition: partition.into(),
        region: if partition == "aws-cn" {
            "cn-north-1"
        } else {
            "eu-west-1"
        }
        .into(),
    }
}

/// An environment in `partition` with these default tags and IAM's default trust quota.
pub fn env_in(partition: &str, default_tags: &[(&str, &str)]) -> Env {
    Env {
        default_tags: map(default_tags),
        ..Env::new(account_in(partition))
    }
}

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The (path, summary, warning) of every problem.
pub fn problems_of(problems: &[IntentError]) -> Vec<(Vec<String>, String, bool)> {
    problems
        .iter()
        .map(|p| (p.path.clone(), p.summary.clone(), p.warning))
        .collect()
}

pub fn expect(path: &[&str], summary: &str, warning: bool) -> (Vec<String>, String, bool) {
    (
        path.iter().map(|s| (*s).to_owned()).collect(),
        summary.to_owned(),
        warning,
    )
}

pub fn parsed(minified: &str) -> Value {
    serde_json::from_str(minified).unwrap()
}

fn scope_value(scope: &AccessScope) -> Value {
    match scope {
        AccessScope::Cluster => json!("cluster"),
        AccessScope::Namespaces(ns) => json!({ "namespaces": ns }),
    }
}

/// The golden rendering of a role and access entry, policies as JSON objects.
pub fn render_access(bp: &ClusterAccessBlueprint) -> Value {
    let inline: serde_json::Map<String, Value> = bp
        .role
        .inline_policies
        .iter()
        .map(|(name, doc)| (name.clone(), parsed(doc)))
        .collect();
    let entry = &bp.access_entry;
    json!({
        "role": {
            "name": bp.role.name,
            "path": bp.role.path,
            "arn": bp.role.arn,
            "description": bp.role.description,
            "max_session_duration": bp.role.max_session_duration,
            "permissions_boundary": bp.role.permissions_boundary,
            "managed_policy_arns": bp.role.managed_policy_arns,
            "tags": bp.role.tags,
        },
        "trust_policy": parsed(&bp.role.trust_policy),
        "inline_policies": inline,
        "access_entry": {
            "cluster_name": entry.cluster_name,
            "principal_arn": entry.principal_arn,
            "kubernetes_groups": entry.kubernetes_groups,
            "username": entry.username,
            "policy_associations": entry.policy_associations.iter().map(|a| json!({
                "policy_arn": a.policy_arn,
                "scope": scope_value(&a.scope),
            })).collect::<Vec<_>>(),
            "tags": entry.tags,
        },
    })
}

pub fn pretty(doc: &Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(doc).unwrap())
}
