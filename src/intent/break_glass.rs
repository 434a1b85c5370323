//! `eksrole_break_glass`: emergency access to an EKS cluster, safe by default
//! (AWS Well-Architected SEC03-BP03, `docs/design/aws-facts.md` "Audit and
//! break-glass"). Input: cluster, name,
//! the explicit IAM users or roles who may break glass, MFA age, an optional
//! window, session length, source identity, organisation, access level and
//! scope; output: the IAM role, its access entry and policy association, the
//! `aws sts assume-role` command (one that works for IAM users and one for
//! roles, which role chaining limits to an hour) and an EventBridge pattern
//! for alerting. `enabled = false` closes the glass: the blueprint keeps the
//! role and marks the access entry as one that must not exist.
//!
//! Trust policy: one statement for the IAM roles and one for the IAM users
//! among the principals, each `Principal {"AWS": [sorted ARNs]}`, actions
//! `sts:AssumeRole` and `sts:SetSourceIdentity` (always: the caller may set a
//! source identity, and STS requires the permission to pass one on), and the
//! conditions
//! - `Bool {"aws:MultiFactorAuthPresent": "true"}` (always),
//! - `NumericLessThan {"aws:MultiFactorAuthAge": "<seconds>"}` (always),
//! - `DateGreaterThan` / `DateLessThan {"aws:CurrentTime": …}` for the
//!   window, in UTC `YYYY-MM-DDTHH:MM:SSZ` (so access ends by itself, no apply),
//! - `Null {"sts:SourceIdentity": "false"}` when a source identity is
//!   required: the `Null` operator with `"false"` is the IAM way to say "this
//!   key must be present in the request", and `sts:SourceIdentity` is present
//!   exactly when the caller sets one (or its session already carries one,
//!   which then persists). It matches any value, so it does not read as a
//!   pattern match the way `StringLike "*"` does, which also works (roles);
//! - `StringLike {"sts:SourceIdentity": "${aws:username}"}` for users (the
//!   pattern of the IAM User Guide, "Monitor and control actions taken with
//!   assumed roles"): a user can only name itself; `StringLikeIfExists` when
//!   no source identity is required, so one given is still the user's own;
//! - `StringEquals {"aws:PrincipalOrgID": …}` when set.
//!
//! Warnings (shown, never blocking): no `not_after` (access never ends by
//! itself), a window open for more than 24 hours, `cluster_admin` on the whole
//! cluster (the default, so reviews see it), an MFA age or a session longer
//! than the recommended hour, and IAM Identity Center principals (no MFA flag).
//!
//! A window that has ended is an error only when the plan sets it (a new
//! access, or `not_after` changed); one that ended while the access existed
//! is a warning ([`window_end_problem`]), so plan and destroy keep working.
//!
//! Pure: no I/O and no clock; the caller passes the current time to
//! [`validate`] (the window is checked against it once, with the
//! configuration) and [`window_end_problem`], and the other facts ([`Env`])
//! to [`blueprint`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::access_entry::{
    access_entry, access_policy_arn, level_policy_name, validate_access_namespaces, AccessLevel,
};
use super::cluster_access::{
    self, access_role, check_access_env, check_cluster_and_name, AccessImportId, AccessInput,
    AccessKind, ClusterAccessBlueprint, MfaRequirement,
};
use super::names::{parse_role_arn, parse_user_arn};
use super::policy_json::canonical_json_value;
use super::principals::{
    cross_account_org_warning, identity_center_mfa_warnings, validate_principal_arns,
    validate_principal_org_id,
};
use super::role::{role_input, RoleSettings, MAX_MAX_SESSION_DURATION};
use super::trust_policy_rules::{finish_trust_checks, TrustRuleOptions};
use super::{Env, IntentError, Validated, STS_SERVICE};

/// Sid of the trust statement for IAM roles.
pub const TRUST_SID: &str = "BreakGlass";
/// Sid of the trust statement for IAM users.
pub const USERS_TRUST_SID: &str = "BreakGlassUsers";
/// The source identity an IAM user must set: its own user name (the IAM
/// policy variable, resolved by IAM when it evaluates the request).
pub const USER_SOURCE_IDENTITY: &str = "${aws:username}";
/// Default maximum MFA age: 15 minutes.
pub const DEFAULT_MFA_MAX_AGE_SECONDS: i64 = 900;
/// Smallest accepted maximum MFA age.
pub const MIN_MFA_MAX_AGE_SECONDS: i64 = 60;
/// Largest accepted maximum MFA age (the longest STS session).
pub const MAX_MFA_MAX_AGE_SECONDS: i64 = 43_200;
/// Above this MFA age or session length (SEC03-BP03 recommends one hour) a warning is shown.
pub const RECOMMENDED_MAX_SECONDS: i64 = 3600;
/// A window open longer than this draws a warning.
pub const LONG_WINDOW_SECONDS: i64 = 86_400;
/// The role session name in the assume command is `<name prefix>-$(whoami)`;
/// STS allows 64 characters, so the name part is cut to this many.
pub const SESSION_NAME_PREFIX_MAX: usize = 32;

/// The resource's configuration, after the caller filled provider-level values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BreakGlassInput {
    pub cluster_name: String,
    pub name: String,
    /// IAM users or roles; `:root` is refused.
    pub principal_arns: BTreeSet<String>,
    /// Default [`DEFAULT_MFA_MAX_AGE_SECONDS`]; 60-43200.
    pub mfa_max_age_seconds: Option<i64>,
    /// RFC 3339.
    pub not_before: Option<String>,
    /// RFC 3339.
    pub not_after: Option<String>,
    /// Default 3600; 3600-43200.
    pub max_session_duration: Option<i64>,
    /// Default true.
    pub require_source_identity: Option<bool>,
    pub principal_org_id: Option<String>,
    /// Default [`AccessLevel::ClusterAdmin`].
    pub access_level: Option<AccessLevel>,
    /// `Some`: namespace scope; `None`: cluster scope.
    pub namespaces: Option<BTreeSet<String>>,
    pub role_name: Option<String>,
    pub role_path: Option<String>,
    pub permissions_boundary: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// Default true. False closes the glass: the access entry (and its
    /// policy associations) removed, the role kept with its trust.
    pub enabled: Option<bool>,
}

/// This module's kind of access.
const KIND: AccessKind = AccessKind::BreakGlass;

role_input!(
    BreakGlassInput,
    |input| KIND.owner(&input.cluster_name, &input.name),
    |_| None
);

impl BreakGlassInput {
    /// An input with every optional attribute unset and the default quota.
    pub fn new(
        cluster_name: impl Into<String>,
        name: impl Into<String>,
        principal_arns: BTreeSet<String>,
    ) -> Self {
        BreakGlassInput {
            cluster_name: cluster_name.into(),
            name: name.into(),
            principal_arns,
            ..BreakGlassInput::default()
        }
    }

    /// The `id` attribute: `cluster/name`.
    pub fn import_id(&self) -> String {
        cluster_access::import_id(&self.cluster_name, &self.name)
    }

    /// `mfa_max_age_seconds` or [`DEFAULT_MFA_MAX_AGE_SECONDS`].
    pub fn effective_mfa_max_age_seconds(&self) -> i64 {
        self.mfa_max_age_seconds
            .unwrap_or(DEFAULT_MFA_MAX_AGE_SECONDS)
    }

    /// `require_source_identity` or true.
    pub fn effective_require_source_identity(&self) -> bool {
        self.require_source_identity.unwrap_or(true)
    }

    /// `enabled` or true.
    pub fn effective_enabled(&self) -> bool {
        self.enabled.unwrap_or(true)
    }

    /// `access_level` or [`AccessLevel::ClusterAdmin`].
    pub fn effective_access_level(&self) -> AccessLevel {
        self.access_level.unwrap_or(AccessLevel::ClusterAdmin)
    }
}

impl AccessInput for BreakGlassInput {
    fn settings(&self) -> RoleSettings<'_> {
        self.role_settings()
    }

    fn principals(&self) -> &BTreeSet<String> {
        &self.principal_arns
    }

    /// The break-glass trust policy always requires MFA.
    fn mfa_requirement(&self) -> MfaRequirement {
        MfaRequirement::Always
    }

    /// `enabled = false`: the glass is closed.
    fn closed(&self) -> bool {
        !self.effective_enabled()
    }

    fn intent_name(&self) -> &str {
        &self.name
    }

    /// The one policy of the effective access level, on `access_level`.
    fn requested_access_policies(&self, partition: &str) -> Vec<(String, &'static str)> {
        let level = self.effective_access_level();
        vec![(
            access_policy_arn(partition, level_policy_name(level)),
            "access_level",
        )]
    }

    fn parse_import_id(id: &str) -> Result<AccessImportId, String> {
        cluster_access::parse_import_id(id, KIND)
    }

    fn import_role_name(id: &AccessImportId) -> String {
        id.effective_role_name()
    }
}

/// Everything the intent must create, plus what it tells the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassBlueprint {
    pub access: ClusterAccessBlueprint,
    /// `aws sts assume-role …` with `<PLACEHOLDERS>` for MFA and source identity.
    pub assume_role_command: String,
    /// EventBridge pattern (canonical minified JSON) matching this role's `AssumeRole` events.
    pub alert_event_pattern: String,
    /// What the facts showed that does not stop the intent (principals in
    /// other accounts without an organization check).
    pub warnings: Vec<IntentError>,
}

/// A window bound, normalised for `aws:CurrentTime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowBound {
    pub epoch_seconds: i64,
    /// UTC `YYYY-MM-DDTHH:MM:SSZ`.
    pub iso: String,
}

/// Parses an RFC 3339 time and normalises it to whole seconds in UTC.
/// Fractions of a second are dropped for an end (`round_up` false) and
/// rounded up for a start (`round_up` true), so the window never grows.
pub fn parse_window_bound(s: &str, round_up: bool) -> Result<WindowBound, String> {
    let parsed = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
        format!("{s:?} is not an RFC 3339 time like \"2030-01-31T18:00:00Z\" or \"2030-01-31T19:00:00+01:00\": {e}")
    })?;
    let utc = parsed.to_offset(UtcOffset::UTC);
    let whole = utc.replace_nanosecond(0).map_err(|e| e.to_string())?;
    let normalised = if round_up && whole != utc {
        whole
            .checked_add(Duration::SECOND)
            .ok_or_else(|| format!("{s:?} is out of range"))?
    } else {
        whole
    };
    let iso = normalised
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .map_err(|e| format!("{s:?} cannot be written as a UTC time: {e}"))?;
    Ok(WindowBound {
        epoch_seconds: normalised.unix_timestamp(),
        iso,
    })
}

/// The break-glass trust policy (canonical minified JSON): one statement for
/// the roles among `principal_arns` ([`TRUST_SID`]) and one for the IAM
/// users ([`USERS_TRUST_SID`]), each only when it has principals. A user's
/// source identity must be its own IAM user name (`${aws:username}`, which a
/// role session does not carry, hence the second statement): required when
/// `require_source_identity`, and when given otherwise.
pub fn trust_policy(
    principal_arns: &BTreeSet<String>,
    mfa_max_age_seconds: i64,
    not_before: Option<&str>,
    not_after: Option<&str>,
    require_source_identity: bool,
    principal_org_id: Option<&str>,
) -> String {
    let mut common = Map::new();
    common.insert("Bool".into(), json!({"aws:MultiFactorAuthPresent": "true"}));
    common.insert(
        "NumericLessThan".into(),
        json!({"aws:MultiFactorAuthAge": mfa_max_age_seconds.to_string()}),
    );
    if let Some(start) = not_before {
        common.insert("DateGreaterThan".into(), json!({"aws:CurrentTime": start}));
    }
    if let Some(end) = not_after {
        common.insert("DateLessThan".into(), json!({"aws:CurrentTime": end}));
    }
    if let Some(org) = principal_org_id {
        common.insert("StringEquals".into(), json!({"aws:PrincipalOrgID": org}));
    }
    let (users, roles): (BTreeSet<&String>, BTreeSet<&String>) = principal_arns
        .iter()
        .partition(|arn| parse_user_arn(arn).is_ok());
    let statement = |sid: &str, principals: &BTreeSet<&String>, condition: Map<String, Value>| {
        json!({
            "Sid": sid,
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            "Condition": Value::Object(condition),
        })
    };
    let mut statements = Vec::new();
    if !roles.is_empty() {
        let mut condition = common.clone();
        if require_source_identity {
            condition.insert("Null".into(), json!({"sts:SourceIdentity": "false"}));
        }
        statements.push(statement(TRUST_SID, &roles, condition));
    }
    if !users.is_empty() {
        let mut condition = common;
        let operator = if require_source_identity {
            "StringLike"
        } else {
            "StringLikeIfExists"
        };
        condition.insert(
            operator.into(),
            json!({"sts:SourceIdentity": USER_SOURCE_IDENTITY}),
        );
        statements.push(statement(USERS_TRUST_SID, &users, condition));
    }
    canonical_json_value(&json!({"Version": "2012-10-17", "Statement": statements}))
}

/// The longest session STS gives a role session assuming another role
/// (role chaining): asking for more fails (`docs/design/aws-facts.md`, "IAM
/// roles").
pub const ROLE_CHAINING_MAX_SECONDS: i64 = 3600;

/// The command to break glass, with placeholders in angle brackets, for the
/// kinds of principal listed (`principals`, read by their ARNs):
/// - an IAM user proves MFA in the call itself (`--serial-number`,
///   `--token-code`) and may ask for `max_session_duration`;
/// - a role (a session assuming another role: role chaining) brings MFA from
///   its own session, so it passes no MFA device, and STS refuses more than
///   [`ROLE_CHAINING_MAX_SECONDS`].
///
/// Users and roles together: one command for each, each under a `#` line
/// naming whom it is for.
pub fn assume_role_command<'a>(
    role_arn: &str,
    name: &str,
    max_session_duration: i64,
    principals: impl IntoIterator<Item = &'a str>,
) -> String {
    let prefix: String = name.chars().take(SESSION_NAME_PREFIX_MAX).collect();
    let base =
        format!("aws sts assume-role --role-arn {role_arn} --role-session-name {prefix}-$(whoami)");
    let user = format!(
        "{base} --serial-number <MFA_DEVICE_ARN> --token-code <MFA_CODE> --source-identity <YOUR_NAME> --duration-seconds {max_session_duration}"
    );
    let role = format!(
        "{base} --source-identity <YOUR_NAME> --duration-seconds {}",
        max_session_duration.min(ROLE_CHAINING_MAX_SECONDS)
    );
    let (mut roles, mut others) = (false, false);
    for arn in principals {
        match parse_role_arn(arn) {
            Ok(_) => roles = true,
            Err(_) => others = true,
        }
    }
    match (roles, others) {
        (true, false) => role,
        (true, true) => format!(
            "# IAM users (MFA device in the call):\n{user}\n# IAM roles (role chaining: MFA from the role session, at most {ROLE_CHAINING_MAX_SECONDS} seconds):\n{role}"
        ),
        (false, _) => user,
    }
}

/// The EventBridge pattern matching CloudTrail `AssumeRole` events for
/// `role_arn` (canonical minified JSON, keys sorted).
pub fn alert_event_pattern(role_arn: &str) -> String {
    canonical_json_value(&json!({
        "source": ["aws.sts"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            "eventSource": [STS_SERVICE],
            "eventName": ["AssumeRole"],
            "requestParameters": {"roleArn": [role_arn]},
        },
    }))
}

/// Static checks of every attribute (the window against
/// `now_epoch_seconds`); all problems are reported, each with its attribute
/// path. Needs no account: what depends on it is checked by [`blueprint`].
pub fn validate(
    input: BreakGlassInput,
    now_epoch_seconds: i64,
) -> Result<Validated<BreakGlassInput>, Vec<IntentError>> {
    let mut problems = Vec::new();
    check_cluster_and_name(KIND, &input.cluster_name, &input.name, &mut problems);
    input.role_settings().validate(&mut problems);
    problems.extend(validate_principal_arns(
        "principal_arns",
        &input.principal_arns,
        false,
    ));
    problems.extend(identity_center_mfa_warnings(
        "principal_arns",
        &input.principal_arns,
    ));
    check_durations(&input, &mut problems);
    check_window(&input, now_epoch_seconds, &mut problems);
    if let Some(org) = &input.principal_org_id {
        problems.extend(validate_principal_org_id("principal_org_id", org));
    }
    match &input.namespaces {
        Some(namespaces) => problems.extend(validate_access_namespaces("namespaces", namespaces)),
        None if input.effective_access_level() == AccessLevel::ClusterAdmin => {
            problems.push(IntentError::warning(
                &["access_level"],
                "Cluster admin on the whole cluster",
                format!(
                    "Breaking glass grants {} on every namespace of cluster {:?} (the default, and the usual choice for emergencies). Shown so reviews see it; set access_level or namespaces to grant less.",
                    level_policy_name(AccessLevel::ClusterAdmin),
                    input.cluster_name
                ),
            ));
        }
        None => {}
    }
    Validated::check(input, problems)
}

fn check_durations(input: &BreakGlassInput, problems: &mut Vec<IntentError>) {
    if let Some(age) = input.mfa_max_age_seconds {
        if !(MIN_MFA_MAX_AGE_SECONDS..=MAX_MFA_MAX_AGE_SECONDS).contains(&age) {
            problems.push(IntentError::error(
                &["mfa_max_age_seconds"],
                "Invalid MFA age",
                format!("{age} seconds is outside {MIN_MFA_MAX_AGE_SECONDS}-{MAX_MFA_MAX_AGE_SECONDS}. Set a value in that range, or remove the attribute to use {DEFAULT_MFA_MAX_AGE_SECONDS} (15 minutes)."),
            ));
        } else if age > RECOMMENDED_MAX_SECONDS {
            problems.push(IntentError::warning(
                &["mfa_max_age_seconds"],
                "Old MFA accepted",
                format!("{age} seconds lets a session authenticated with MFA more than an hour ago break glass; SEC03-BP03 recommends 900-3600 seconds."),
            ));
        }
    }
    if let Some(seconds) = input.max_session_duration {
        // Out-of-range values are reported by the role settings.
        if seconds > RECOMMENDED_MAX_SECONDS && seconds <= MAX_MAX_SESSION_DURATION {
            problems.push(IntentError::warning(
                &["max_session_duration"],
                "Long break-glass sessions",
                format!("Sessions of up to {seconds} seconds outlive the emergency and the window (a window's end does not end live sessions); SEC03-BP03 recommends {RECOMMENDED_MAX_SECONDS}."),
            ));
        }
    }
}

/// Checks the window against the clock. A window that has ended is not
/// checked here but by [`window_end_problem`] at plan, which knows whether
/// the plan sets `not_after` or keeps the one in state.
fn check_window(input: &BreakGlassInput, now: i64, problems: &mut Vec<IntentError>) {
    let mut parse = |attribute: &str, value: Option<&String>, round_up: bool| {
        value.and_then(|s| match parse_window_bound(s, round_up) {
            Ok(bound) => Some(bound),
            Err(e) => {
                problems.push(IntentError::error(
                    &[attribute],
                    "Invalid time",
                    format!("{e}. Write the time in RFC 3339, e.g. \"2030-01-31T18:00:00Z\"."),
                ));
                None
            }
        })
    };
    let not_before = parse("not_before", input.not_before.as_ref(), true);
    let not_after = parse("not_after", input.not_after.as_ref(), false);
    match (&not_before, &not_after) {
        (Some(start), Some(end)) if start.epoch_seconds >= end.epoch_seconds => {
            problems.push(IntentError::error(
                &["not_before"],
                "Empty window",
                format!(
                    "not_before ({}) is not before not_after ({}). Swap them or fix one.",
                    start.iso, end.iso
                ),
            ));
        }
        (_, Some(end)) if end.epoch_seconds > now => {
            let opens = not_before
                .as_ref()
                .map_or(now, |s| s.epoch_seconds.max(now));
            let open = end.epoch_seconds.saturating_sub(opens);
            if open > LONG_WINDOW_SECONDS {
                problems.push(IntentError::warning(
                    &["not_after"],
                    "Long window",
                    format!("The window stays open for {} hours (until {}). Break-glass windows are usually hours, not days; shorten it unless this is planned.", open / 3600, end.iso),
                ));
            }
        }
        _ => {}
    }
    if input.not_after.is_none() {
        problems.push(IntentError::warning(
            &["not_after"],
            "No end to the window",
            "Without not_after the principals can break glass (with MFA) at any time until the resource is removed; access never expires by itself. Set not_after for a time-boxed emergency.",
        ));
    }
}

/// The rule for a window that has ended (`not_after` at or before `now`), at
/// plan. `prior_not_after` is `None` for a new access (create or replace)
/// and the `not_after` in state otherwise. Setting an end in the past is an
/// error: nobody could break glass. An end that passed while the access
/// existed is only a warning, so that plan, refresh and destroy keep working:
/// the trust policy's `DateLessThan` condition already refuses every
/// `AssumeRole`, and the user removes the resource or moves the window.
pub fn window_end_problem(
    input: &BreakGlassInput,
    prior_not_after: Option<Option<&str>>,
    now: i64,
) -> Option<IntentError> {
    let end = parse_window_bound(input.not_after.as_deref()?, false).ok()?;
    if end.epoch_seconds > now {
        return None;
    }
    let epoch = |s: &str| parse_window_bound(s, false).ok().map(|b| b.epoch_seconds);
    let kept =
        prior_not_after.is_some_and(|prior| prior.and_then(epoch) == Some(end.epoch_seconds));
    Some(if kept {
        IntentError::warning(
            &["not_after"],
            "Break-glass window has ended",
            format!("The window ended at {}: the trust policy now refuses every AssumeRole, so nobody can break glass with this role. Remove the resource to delete the role, or move not_after later to open a new window.", end.iso),
        )
    } else {
        IntentError::error(
            &["not_after"],
            "Window already ended",
            format!("not_after ({}) is not in the future, so nobody could break glass. Move it later, or remove it for a role that stays available.", end.iso),
        )
    })
}

/// The trust policy of a validated input (its window bounds parse).
fn trust_policy_for(input: &BreakGlassInput) -> String {
    let bound = |value: &Option<String>, round_up| {
        value
            .as_deref()
            .and_then(|s| parse_window_bound(s, round_up).ok())
    };
    let not_before = bound(&input.not_before, true);
    let not_after = bound(&input.not_after, false);
    trust_policy(
        &input.principal_arns,
        input.effective_mfa_max_age_seconds(),
        not_before.as_ref().map(|b| b.iso.as_str()),
        not_after.as_ref().map(|b| b.iso.as_str()),
        input.effective_require_source_identity(),
        input.principal_org_id.as_deref(),
    )
}

/// Builds the role, access entry, command and alert pattern from a
/// validated input and the facts in `env`. Checks only what depends on those
/// facts; on any error returns every problem found.
pub fn blueprint(
    input: &Validated<BreakGlassInput>,
    env: &Env,
) -> Result<BreakGlassBlueprint, Vec<IntentError>> {
    let mut problems = Vec::new();
    let settings = input.role_settings();
    check_access_env(&settings, &input.principal_arns, env, &mut problems);
    let trust = trust_policy_for(input);
    finish_trust_checks(
        problems,
        &trust,
        env,
        (
            &["principal_arns"],
            "List fewer principals, or principals with shorter paths.",
        ),
        TrustRuleOptions::default(),
        None,
    )?;
    let role = access_role(&settings, env, trust);
    let policy = access_policy_arn(
        &env.account.partition,
        level_policy_name(input.effective_access_level()),
    );
    let entry = access_entry(
        &input.cluster_name,
        &role.arn,
        &BTreeSet::new(),
        None,
        &BTreeSet::from([policy]),
        input.namespaces.as_ref(),
        role.tags.clone(),
    );
    let assume_role_command = assume_role_command(
        &role.arn,
        &input.name,
        role.max_session_duration,
        input.principal_arns.iter().map(String::as_str),
    );
    let alert_event_pattern = alert_event_pattern(&role.arn);
    let warnings = cross_account_org_warning(
        "principal_arns",
        &input.principal_arns,
        &env.account,
        input.principal_org_id.as_deref(),
    )
    .into_iter()
    .collect();
    Ok(BreakGlassBlueprint {
        access: ClusterAccessBlueprint {
            role,
            access_entry: entry,
            closed: input.closed(),
        },
        assume_role_command,
        alert_event_pattern,
        warnings,
    })
}

#[cfg(test)]
mod tests;
