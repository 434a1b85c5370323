//! The state attributes both access intents share (the role's and the access
//! entry's): planned from the blueprint, filled after apply, read back from
//! what exists, and the state an import starts from. Each intent sets its own
//! attributes on its typed model; these are set here once, by name.

use std::collections::BTreeMap;

use crate::apply::cluster_access::Observed;
use crate::intent::access_entry::AccessLevel;
use crate::intent::cluster_access::{import_id, AccessInput, ClusterAccessBlueprint};
use crate::intent::policy_json::{canonical_json, policies_equivalent};
use crate::intent::tags::carried_by_both;
use crate::tfplugin::model::Attr;
use crate::tfplugin::schema::Block;
use crate::tfplugin::{Diagnostics, Value};

use super::super::super::context::Configured;
use super::super::values::{map_value, parse_attr, set_attr, unknowns_to_null, user_tags};

/// The `access_level` attribute as the intent's level; a value it refuses
/// is a diagnostic on the attribute.
pub fn access_level(value: &Attr<String>) -> Result<Option<AccessLevel>, Diagnostics> {
    parse_attr(
        value,
        "access_level",
        "Invalid access level",
        AccessLevel::parse,
    )
}

/// The values a plan starts from.
pub struct Planning<'a> {
    pub proposed: &'a Value,
    pub prior: &'a Value,
    pub config: &'a Value,
    /// The provider's region.
    pub region: &'a str,
    /// The plan replaces the object: nothing of the prior state is kept.
    pub replacing: bool,
}

impl<'a> Planning<'a> {
    /// The plan of a new object configured as `config`.
    #[cfg(test)]
    pub fn create(config: &'a Value, region: &'a str) -> Self {
        Planning {
            proposed: config,
            prior: &Value::Null,
            config,
            region,
            replacing: false,
        }
    }

    /// The object stays (an update): what AWS assigned is kept from the prior state.
    pub fn keeps_prior(&self) -> bool {
        !self.prior.is_null() && !self.replacing
    }

    /// The prior state read as a model when it is kept, else the empty model.
    pub fn kept<M: Default, E>(&self, from_value: fn(&Value) -> Result<M, E>) -> Result<M, E> {
        if self.keeps_prior() {
            from_value(self.prior)
        } else {
            Ok(M::default())
        }
    }

    /// Attribute `name` of the kept prior state, or unknown (a new object,
    /// or a value not yet assigned).
    fn kept_or_unknown(&self, name: &str) -> Value {
        let prior = self.prior.attr(name);
        if self.keeps_prior() && !prior.is_null() {
            prior.clone()
        } else {
            Value::Unknown
        }
    }
}

/// An intent's own attributes the blueprint decides, by name: the value with
/// a blueprint, `None` without one (live checks off).
pub type Outputs = Vec<(&'static str, Option<Value>)>;

/// Plans the attributes every access intent shares: the role settings'
/// defaults and the `id`; with a blueprint (live checks on) the role's name,
/// ARN, tags, trust policy (`trust` as the intent shows it), the
/// associations and the intent's `outputs`; what AWS assigns kept, or
/// unknown for a new object.
pub fn plan_common(
    state: &mut Value,
    plan: &Planning<'_>,
    input: &impl AccessInput,
    bp: Option<(&ClusterAccessBlueprint, String)>,
    outputs: Outputs,
) {
    for (name, value) in outputs {
        let value = value.unwrap_or_else(|| plan.kept_or_unknown(name));
        set_attr(state, name, value);
    }
    let settings = input.settings();
    let id = import_id(settings.owner.cluster(), input.intent_name());
    let session = settings.effective_max_session_duration();
    set_attr(state, "max_session_duration", session.into());
    set_attr(state, "role_path", settings.effective_role_path().into());
    set_attr(state, "id", id.into());
    for assigned in ["role_id", "access_entry_arn"] {
        set_attr(state, assigned, plan.kept_or_unknown(assigned));
    }
    if input.closed() {
        // Closed: no entry, so no entry ARN and no associations.
        set_attr(state, "access_entry_arn", Value::Null);
        set_attr(
            state,
            "access_policy_associations",
            Value::Map(BTreeMap::new()),
        );
    }
    let Some((bp, trust)) = bp else {
        set_attr(state, "role_name", settings.effective_role_name().into());
        for known_with_checks in [
            "role_arn",
            "tags_all",
            "access_policy_associations",
            "trust_policy",
        ] {
            if input.closed() && known_with_checks == "access_policy_associations" {
                continue;
            }
            set_attr(
                state,
                known_with_checks,
                plan.kept_or_unknown(known_with_checks),
            );
        }
        return;
    };
    let trust = if plan.keeps_prior() {
        observed_trust(plan.prior.attr("trust_policy"), &trust)
    } else {
        trust
    };
    set_attr(state, "role_name", bp.role.name.clone().into());
    set_attr(state, "role_arn", bp.role.arn.clone().into());
    set_attr(state, "tags_all", map_value(&bp.role.tags));
    let associations = planned_associations(bp);
    set_attr(
        state,
        "access_policy_associations",
        map_value(&associations),
    );
    set_attr(state, "trust_policy", trust.into());
}

/// The state after a successful apply: what is still unknown of the
/// attributes the blueprint decides filled from it (`trust` as the intent
/// shows it, the intent's `outputs`), every other unknown nulled.
pub fn settle_common(
    state: &Value,
    bp: &ClusterAccessBlueprint,
    trust: String,
    outputs: Outputs,
) -> Value {
    let mut state = state.clone();
    let mut fill = |name: &str, value: Value| {
        if state.attr(name).is_unknown() {
            set_attr(&mut state, name, value);
        }
    };
    for (name, value) in outputs {
        if let Some(value) = value {
            fill(name, value);
        }
    }
    fill("role_name", bp.role.name.clone().into());
    fill("role_arn", bp.role.arn.clone().into());
    fill("tags_all", map_value(&bp.role.tags));
    fill(
        "access_policy_associations",
        map_value(&planned_associations(bp)),
    );
    fill("trust_policy", trust.into());
    unknowns_to_null(&state)
}

/// The blueprint's associations as `access_policy_associations` shows them
/// (none while access is closed).
fn planned_associations(bp: &ClusterAccessBlueprint) -> BTreeMap<String, String> {
    if bp.closed {
        return BTreeMap::new();
    }
    bp.access_entry
        .policy_associations
        .iter()
        .map(|a| (a.policy_arn.clone(), a.scope.shown()))
        .collect()
}

/// The trust policy for state: the prior text while it is equivalent to what
/// exists (no diff from formatting), else the observed one.
fn observed_trust(prior: &Value, observed: &str) -> String {
    match prior.as_str() {
        Some(p) if policies_equivalent(p, observed) => p.to_owned(),
        _ => canonical_json(observed).unwrap_or_else(|_| observed.to_owned()),
    }
}

/// Sets what every access intent reads back from the role and entry: the
/// trust policy (`trust` as the intent shows it), role identity and settings,
/// tags, the entry ARN and the associations.
pub fn refresh_common(
    state: &mut Value,
    current: &Value,
    observed: &Observed,
    trust: &str,
    provider: &Configured,
) {
    let role = &observed.role;
    let name = current.attr("name").as_str().unwrap_or_default();
    let cluster = current.attr("cluster_name").as_str().unwrap_or_default();
    let associations: BTreeMap<String, String> = observed
        .associations
        .iter()
        .map(|(arn, scope)| (arn.clone(), scope.shown()))
        .collect();
    let trust = observed_trust(current.attr("trust_policy"), trust);
    set_attr(state, "trust_policy", trust.into());
    set_attr(state, "id", import_id(cluster, name).into());
    set_attr(state, "role_arn", role.arn.clone().into());
    set_attr(state, "role_id", role.role_id.clone().into());
    set_attr(state, "role_path", role.path.clone().into());
    let session = role.max_session_duration;
    set_attr(state, "max_session_duration", session.into());
    let boundary = Value::opt_string(role.permissions_boundary.clone());
    set_attr(state, "permissions_boundary", boundary);
    let tags = user_tags(&role.tags, current, &provider.settings.default_tags);
    set_attr(state, "tags", tags);
    // The entry is tagged like the role (apply adds what it lacks).
    let entry_tags = observed.entry.as_ref().map(|e| &e.tags);
    let tags_all = carried_by_both(&role.tags, entry_tags);
    set_attr(state, "tags_all", map_value(&tags_all));
    set_attr(
        state,
        "access_policy_associations",
        map_value(&associations),
    );
    let entry_arn = observed.entry.as_ref().map(|e| e.access_entry_arn.clone());
    set_attr(state, "access_entry_arn", Value::opt_string(entry_arn));
}

/// The state an import starts from (Read completes it): every attribute of
/// `block` null but the ones the import ID names.
pub fn imported(block: &Block, cluster: &str, name: &str, role_name: &str) -> Value {
    let mut state = Value::Object(
        block
            .value_type_attribute_names()
            .into_iter()
            .map(|n| (n, Value::Null))
            .collect(),
    );
    set_attr(&mut state, "cluster_name", cluster.into());
    set_attr(&mut state, "name", name.into());
    set_attr(&mut state, "role_name", role_name.into());
    set_attr(&mut state, "id", import_id(cluster, name).into());
    state
}
