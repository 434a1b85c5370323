//! Test helpers shared by the intents' tests: accounts, sets and maps,
//! problem summaries, one way to drive any intent ([`TestIntent`]) with the
//! assertions built on it, the cases of the rules both access intents share,
//! and the golden rendering and read-back checks of a blueprint.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use serde_json::{json, Value};

use super::access_entry::AccessScope;
use super::cluster_access::ClusterAccessBlueprint;
use super::policy_json::{
    canonical_json, canonical_json_pretty, policies_equivalent, validate_policy_shape, PolicyKind,
};
use super::{Account, Env, IntentError, RoleBlueprint, Validated};

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

/// The account most tests build in: [`ACCOUNT_ID`] in `aws`, `eu-west-1`.
pub fn account() -> Account {
    account_in("aws")
}

/// An environment in `partition` with these default tags and IAM's default trust quota.
pub fn env_in(partition: &str, default_tags: &[(&str, &str)]) -> Env {
    Env {
        default_tags: map(default_tags),
        ..Env::new(account_in(partition))
    }
}

/// An environment in [`account`] with IAM's default trust quota and no default tags.
pub fn env_with_quota(trust_policy_quota: usize) -> Env {
    Env {
        trust_policy_quota,
        ..Env::new(account())
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

/// One expected problem: attribute path, summary, warning.
pub type Want<'a> = (&'a [&'a str], &'a str, bool);

/// An intent's `validate`, as the tests call it.
pub type ValidateFn<I> = fn(I) -> Result<Validated<I>, Vec<IntentError>>;
/// An intent's `blueprint`, as the tests call it.
pub type BlueprintFn<I, B> = fn(&Validated<I>, &Env) -> Result<B, Vec<IntentError>>;

/// How the tests drive an intent: its `validate` (break glass at the tests'
/// clock) and its `blueprint` (a workload identity with no looked-up OIDC
/// provider). The helpers below work for every intent through it.
pub trait TestIntent: Clone + Debug {
    type Blueprint: Debug;

    const VALIDATE: ValidateFn<Self>;
    const BLUEPRINT: BlueprintFn<Self, Self::Blueprint>;
}

/// Every problem `validate` reports, warnings included.
pub fn problems<I: TestIntent>(input: &I) -> Vec<IntentError> {
    super::problems(I::VALIDATE(input.clone()))
}

/// `validate`, then `blueprint` in `env`.
pub fn build_in<I: TestIntent>(input: &I, env: &Env) -> Result<I::Blueprint, Vec<IntentError>> {
    I::BLUEPRINT(&I::VALIDATE(input.clone())?, env)
}

/// [`build_in`] `account`, with no default tags and the default trust quota.
pub fn build<I: TestIntent>(
    input: &I,
    account: &Account,
) -> Result<I::Blueprint, Vec<IntentError>> {
    build_in(input, &Env::new(account.clone()))
}

/// Asserts `validate` reports exactly `want`, each problem with a detail.
#[track_caller]
pub fn assert_problems<I: TestIntent>(input: &I, want: &[Want]) {
    let problems = problems(input);
    let want: Vec<_> = want.iter().map(|(p, s, w)| expect(p, s, *w)).collect();
    assert_eq!(problems_of(&problems), want, "{input:#?}: {problems:#?}");
    assert!(problems.iter().all(|p| !p.detail.is_empty()));
}

/// Asserts, for every case, that `validate` of `input(case)` reports exactly
/// the case's problems.
#[track_caller]
pub fn assert_cases<I: TestIntent, T: Copy>(cases: &[(T, &[Want])], input: impl Fn(T) -> I) {
    for (case, want) in cases {
        assert_problems(&input(*case), want);
    }
}

/// A change to an input and the problems `validate` then reports.
pub type Edit<'a, I> = (fn(&mut I), &'a [Want<'a>]);

/// Asserts, for every `(edit, want)`, that `validate` of `base` changed by
/// `edit` reports exactly `want`.
#[track_caller]
pub fn assert_edits<I: TestIntent>(base: &I, cases: &[Edit<I>]) {
    assert_cases(cases, |edit| {
        let mut input = base.clone();
        edit(&mut input);
        input
    });
}

/// Asserts the blueprint in `env` fails with exactly one problem, an error at `path`.
#[track_caller]
pub fn assert_env_error<I: TestIntent>(input: &I, env: &Env, path: &[&str], summary: &str) {
    let problems = build_in(input, env).unwrap_err();
    assert_eq!(
        problems_of(&problems),
        vec![expect(path, summary, false)],
        "{problems:#?}"
    );
}

/// [`assert_env_error`] in `account`, with no default tags and the default trust quota.
#[track_caller]
pub fn assert_blueprint_error<I: TestIntent>(
    input: &I,
    account: &Account,
    path: &[&str],
    summary: &str,
) {
    assert_env_error(input, &Env::new(account.clone()), path, summary);
}

/// Asserts that with trust quota `quota` the blueprint of `input` fails
/// with only "Trust policy too large" on `path`, whose detail gives the
/// quota and the policy's `size`.
#[track_caller]
pub fn assert_trust_policy_too_large<I: TestIntent>(
    input: &I,
    quota: usize,
    size: usize,
    path: &[&str],
) {
    let problems = build_in(input, &env_with_quota(quota)).unwrap_err();
    assert_eq!(
        problems_of(&problems),
        vec![expect(path, "Trust policy too large", false)]
    );
    let detail = &problems[0].detail;
    assert!(detail.contains(&format!("quota is {quota}")), "{detail}");
    assert!(detail.contains(&format!(" {size} characters")), "{detail}");
}

/// An IAM Identity Center role: its sessions carry no MFA flag.
pub const SSO_ROLE: &str = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";

/// Principal lists both access intents judge alike (team access requiring
/// MFA, its default for principals), and what `validate` reports.
pub const PRINCIPAL_CASES: &[(&[&str], &[Want])] = &[
    (&[], &[(&["principal_arns"], "No principals", false)]),
    (
        &["arn:aws:iam::123456789012:root"],
        &[(
            &["principal_arns", "arn:aws:iam::123456789012:root"],
            "Account root as principal",
            false,
        )],
    ),
    (
        &["arn:aws:iam::123456789012:user/*"],
        &[(
            &["principal_arns", "arn:aws:iam::123456789012:user/*"],
            "Wildcard principal",
            false,
        )],
    ),
    (
        &["arn:aws:sts::123456789012:assumed-role/x/alice"],
        &[(
            &[
                "principal_arns",
                "arn:aws:sts::123456789012:assumed-role/x/alice",
            ],
            "Session ARN as principal",
            false,
        )],
    ),
    (
        &[SSO_ROLE],
        &[(
            &["principal_arns", SSO_ROLE],
            "Principal cannot pass the MFA check",
            true,
        )],
    ),
];

/// The principal rules both access intents share: [`PRINCIPAL_CASES`] at
/// validation, then, against [`account`], the role itself (`own_role_arn`)
/// and a principal in another partition. `with` makes the intent's input
/// with these principals.
#[track_caller]
pub fn assert_principal_rules<I: TestIntent>(own_role_arn: &str, with: impl Fn(&[&str]) -> I) {
    assert_cases(PRINCIPAL_CASES, &with);
    for (arn, summary) in [
        (own_role_arn, "Principal is this role"),
        (
            "arn:aws-cn:iam::123456789012:role/x",
            "Principal in another partition",
        ),
    ] {
        assert_blueprint_error(&with(&[arn]), &account(), &["principal_arns", arn], summary);
    }
}

/// Organisation IDs both access intents refuse.
pub const ORG_ID_CASES: &[(&str, &[Want])] = &[
    (
        "my-org",
        &[(&["principal_org_id"], "Invalid organization ID", false)],
    ),
    (
        "o-x",
        &[(&["principal_org_id"], "Invalid organization ID", false)],
    ),
];

/// Namespace sets both access intents refuse.
pub const NAMESPACE_CASES: &[(&[&str], &[Want])] = &[
    (&[], &[(&["namespaces"], "No namespaces", false)]),
    (
        &["ok", "-bad"],
        &[(&["namespaces", "-bad"], "Invalid namespace", false)],
    ),
    (
        &["Payments"],
        &[(&["namespaces", "Payments"], "Invalid namespace", false)],
    ),
];

/// A golden case of an access intent: its file, the partition and the
/// provider's default tags it is built with, and the input.
pub struct GoldenCase<I> {
    pub file: &'static str,
    pub partition: &'static str,
    pub default_tags: &'static [(&'static str, &'static str)],
    pub input: I,
}

impl<I: TestIntent> GoldenCase<I> {
    /// The environment the case is built in.
    pub fn env(&self) -> Env {
        env_in(self.partition, self.default_tags)
    }

    /// The case's blueprint; a failure names the case.
    #[track_caller]
    pub fn build(&self) -> I::Blueprint {
        build_in(&self.input, &self.env()).unwrap_or_else(|e| panic!("{}: {e:#?}", self.file))
    }
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

/// The golden rendering of a role: `role` (its attributes), `trust_policy`
/// and `inline_policies`, policies as JSON objects. Intents add their keys
/// after these.
pub fn render_role(role: &RoleBlueprint) -> Value {
    let inline: serde_json::Map<String, Value> = role
        .inline_policies
        .iter()
        .map(|(name, doc)| (name.clone(), parsed(doc)))
        .collect();
    json!({
        "role": {
            "name": role.name,
            "path": role.path,
            "arn": role.arn,
            "description": role.description,
            "max_session_duration": role.max_session_duration,
            "permissions_boundary": role.permissions_boundary,
            "managed_policy_arns": role.managed_policy_arns,
            "tags": role.tags,
        },
        "trust_policy": parsed(&role.trust_policy),
        "inline_policies": inline,
    })
}

/// The golden rendering of a role and access entry, policies as JSON objects.
pub fn render_access(bp: &ClusterAccessBlueprint) -> Value {
    let entry = &bp.access_entry;
    let mut doc = render_role(&bp.role);
    doc["access_entry"] = json!({
        "cluster_name": entry.cluster_name,
        "principal_arn": entry.principal_arn,
        "kubernetes_groups": entry.kubernetes_groups,
        "username": entry.username,
        "policy_associations": entry.policy_associations.iter().map(|a| json!({
            "policy_arn": a.policy_arn,
            "scope": scope_value(&a.scope),
        })).collect::<Vec<_>>(),
        "tags": entry.tags,
    });
    doc
}

pub fn pretty(doc: &Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(doc).unwrap())
}

/// The checks of the role of golden case `name` in `partition`, given its
/// `rendered` golden file: the role is in the partition, every inline policy
/// is a valid identity policy, and the trust and inline policies read back
/// from the file equal the role's, semantically and exactly after
/// minifying. Returns the document read back.
#[track_caller]
pub fn check_golden_role(
    name: &str,
    role: &RoleBlueprint,
    partition: &str,
    rendered: &str,
) -> Value {
    assert!(
        role.arn
            .starts_with(&format!("arn:{partition}:iam::{ACCOUNT_ID}:role/")),
        "{name}"
    );
    let golden_doc: Value = serde_json::from_str(rendered).unwrap();
    let golden_trust = golden_doc["trust_policy"].to_string();
    assert!(
        policies_equivalent(&golden_trust, &role.trust_policy),
        "{name}"
    );
    assert_eq!(
        canonical_json(&golden_trust).unwrap(),
        role.trust_policy,
        "{name}"
    );
    let pretty_trust = canonical_json_pretty(&golden_doc["trust_policy"]);
    assert_eq!(
        canonical_json(&pretty_trust).unwrap(),
        role.trust_policy,
        "{name}"
    );
    for (policy_name, doc) in &role.inline_policies {
        assert_eq!(
            validate_policy_shape(&parsed(doc), PolicyKind::Identity),
            Vec::<String>::new(),
            "{name} {policy_name}"
        );
        let golden_policy = golden_doc["inline_policies"][policy_name].to_string();
        assert!(
            policies_equivalent(&golden_policy, doc),
            "{name} {policy_name}"
        );
        assert_eq!(
            &canonical_json(&golden_policy).unwrap(),
            doc,
            "{name} {policy_name}"
        );
    }
    golden_doc
}
