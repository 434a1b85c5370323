//! The plan-time look-ups of `eksrole_team_access` and `eksrole_break_glass`
//! (both an IAM role plus an EKS access entry): the cluster exists and
//! allows access entries, the principals and the permissions boundary exist
//! (and a federated principal role meets an MFA requirement it cannot pass),
//! EKS knows the access policies, the role name and the entry are free (or
//! the role is this intent's to adopt), and the account's trust policy quota.
//! Problems carry the attribute path they belong to; nothing here knows
//! Terraform's types.

use std::collections::{BTreeMap, BTreeSet};

use crate::arn::Arn;
use crate::aws::eks::ObservedAccessEntry;
use crate::aws::iam::{ObservedPrincipal, ObservedRole};
use crate::aws::{eks, AwsClients, AwsError};
use crate::intent::cluster_access::{AccessInput, MfaRequirement};
use crate::intent::role::import_command;
use crate::intent::tags::{owned_by, Owner};
use crate::intent::team_access::direct::{
    direct_import_command, direct_principals, moved_permission_sets, resolve_permission_sets,
    STANDARD,
};
use crate::intent::team_access::TeamAccessInput;
use crate::intent::Account;

use super::cluster::existing_cluster;
use super::federation::{federation, mfa_problem};
use super::live::Lookups;
use super::replaced::{role_taken_detail, same_name_replacement, PriorObjects};
use super::{aws_problem, Problem};

/// What the live checks found: the problems, and the facts the blueprint is
/// built on.
#[derive(Debug, Default)]
pub struct LiveChecked {
    pub problems: Vec<Problem>,
    /// The account's trust policy size quota, when it could be read (and the
    /// cluster check passed: the other look-ups run only then).
    pub trust_policy_quota: Option<usize>,
}

/// A failed look-up that may not matter: a warning on `path`.
fn aws_warning(path: &[&str], summary: &str, err: &AwsError) -> Problem {
    Problem {
        warning: true,
        ..aws_problem(path, summary, err)
    }
}

/// The live checks of an access intent. `creating`: a new object is planned (create or
/// replace), so the role name and the access entry must be free, this
/// intent's (its ownership tags), or the objects of `replaces` (what this
/// resource's prior state names: a replacement deletes them first).
pub async fn live_checks(
    lookups: &Lookups,
    c: &AwsClients,
    input: &impl AccessInput,
    account: &Account,
    creating: bool,
    replaces: Option<&PriorObjects>,
) -> LiveChecked {
    let settings = input.settings();
    let cluster_name = settings.owner.cluster();
    if let Some(problem) = cluster_problem(lookups, c, cluster_name, account).await {
        return LiveChecked {
            problems: vec![problem],
            trust_policy_quota: None,
        };
    }

    let policies = input.requested_access_policies(&account.partition);
    let role_name = settings.effective_role_name();
    let role_arn = settings.role_arn(account);
    let principals = principal_problems(
        lookups,
        c,
        input.principals(),
        account,
        input.mfa_requirement(),
    );
    let known_policies = known_access_policies(lookups, c, &policies);
    let boundary = async {
        match settings.permissions_boundary {
            Some(arn) => lookups.policy_exists(c, arn).await.map(Some),
            None => Ok(None),
        }
    };
    let taken = async {
        if !creating {
            return Ok((None, None));
        }
        let (role, entry) = tokio::join!(
            lookups.existing_role(c, &role_name),
            lookups.access_entry(c, cluster_name, &role_arn),
        );
        Ok::<_, AwsError>((role?, entry?))
    };
    let quota = lookups.trust_policy_quota(c);
    let (principals, known_policies, boundary, taken, quota) =
        tokio::join!(principals, known_policies, boundary, taken, quota);

    let mut problems = principals;
    problems.extend(policy_problems(&policies, known_policies));
    match boundary {
        Ok(Some(false)) => problems.push(Problem::error(
            &["permissions_boundary"],
            "Managed policy not found",
            "The permissions boundary policy does not exist. Check the ARN.",
        )),
        Ok(_) => {}
        Err(e) => problems.push(aws_warning(
            &["permissions_boundary"],
            "Could not look up the permissions boundary",
            &e,
        )),
    }
    let import_hint = format!(
        "To manage the existing objects with Terraform, import them: {}",
        import_command(&settings.owner, &role_name)
    );
    match taken {
        Ok((role, entry)) => problems.extend(taken_problems(
            role.as_ref(),
            entry.as_ref(),
            &settings.owner,
            replaces,
            Names {
                cluster: cluster_name,
                role_name: &role_name,
                role_arn: &role_arn,
                import_hint: &import_hint,
            },
        )),
        Err(e) => problems.push(aws_warning(
            &[],
            "Could not check whether the role name is free",
            &e,
        )),
    }
    LiveChecked {
        problems,
        trust_policy_quota: quota.ok(),
    }
}

/// What the live checks of a team access without a role found: the
/// problems, and the role each permission set resolved to.
#[derive(Debug, Default)]
pub struct DirectChecked {
    pub problems: Vec<Problem>,
    /// Permission set → its role's ARN (path included).
    pub permission_set_roles: BTreeMap<String, String>,
}

/// The live checks of a team access without a role (`create_role =
/// false`): the cluster allows access entries, the permission sets resolve
/// to exactly one role each, the principals exist, EKS knows the access
/// policies, and every principal's existing entry is this state's
/// (`prior_entries`: principal → entry ARN of the prior state). An entry of
/// another type than STANDARD (a node's, Fargate's, …) is an error: it is
/// never modified. One not in the state is an error when it lacks this
/// intent's ownership tags, a warning when it has them (another state's, or
/// the old object of a replacement; apply refuses the former).
pub async fn direct_live_checks(
    lookups: &Lookups,
    c: &AwsClients,
    input: &TeamAccessInput,
    account: &Account,
    prior_entries: &BTreeMap<String, String>,
) -> DirectChecked {
    let cluster = input.cluster_name.as_str();
    if let Some(problem) = cluster_problem(lookups, c, cluster, account).await {
        return DirectChecked {
            problems: vec![problem],
            ..DirectChecked::default()
        };
    }
    let resolved = async {
        if input.sso_permission_sets.is_empty() {
            return Ok(Ok(BTreeMap::new()));
        }
        let roles = lookups.identity_center_roles(c).await?;
        Ok::<_, AwsError>(resolve_permission_sets(&input.sso_permission_sets, &roles))
    };
    let policies = input.requested_access_policies(&account.partition);
    let principals = principal_problems(
        lookups,
        c,
        &input.principal_arns,
        account,
        MfaRequirement::Off,
    );
    let known_policies = known_access_policies(lookups, c, &policies);
    let (resolved, mut problems, known_policies) =
        tokio::join!(resolved, principals, known_policies);
    problems.extend(policy_problems(&policies, known_policies));
    let permission_set_roles = match resolved {
        Ok(Ok(roles)) => {
            problems.extend(moved_permission_sets(prior_entries.keys(), &roles));
            roles
        }
        Ok(Err(unresolved)) => {
            problems.extend(unresolved);
            BTreeMap::new()
        }
        Err(e) => {
            problems.push(aws_problem(
                &["sso_permission_sets"],
                "Could not list the IAM Identity Center roles",
                &e,
            ));
            BTreeMap::new()
        }
    };
    let wanted = direct_principals(input, &permission_set_roles);
    let owner = input.owner();
    let import = direct_import_command(cluster, &input.name, &wanted);
    let existing = futures_util::future::join_all(
        wanted
            .iter()
            .map(|arn| async move { (arn, eks::describe_access_entry(c, cluster, arn).await) }),
    )
    .await;
    for (arn, entry) in existing {
        let attribute = if input.principal_arns.contains(arn) {
            "principal_arns"
        } else {
            "sso_permission_sets"
        };
        match entry {
            Ok(Some(e)) => problems.extend(existing_entry_problem(
                &e,
                attribute,
                &owner,
                prior_entries.get(arn),
                &import,
            )),
            Ok(None) => {}
            Err(e) => problems.push(aws_warning(
                &[attribute],
                "Could not check whether the principal has an access entry",
                &e,
            )),
        }
    }
    DirectChecked {
        problems,
        permission_set_roles,
    }
}

/// What an existing entry of a principal means for a team access without a
/// role: nothing when it is the state's own (`prior`: the state's ARN for
/// the principal).
fn existing_entry_problem(
    e: &ObservedAccessEntry,
    attribute: &str,
    owner: &Owner<'_>,
    prior: Option<&String>,
    import: &str,
) -> Option<Problem> {
    if e.entry_type != STANDARD {
        return Some(Problem::error(
            &[attribute],
            "Principal has an access entry of another type",
            format!(
                "{} already has an access entry of type {} on cluster {:?} ({}): EKS made or keeps it for nodes or another AWS feature, \
                 and only a STANDARD entry can hold access policies. This resource never modifies it. Use another principal.",
                e.principal_arn, e.entry_type, e.cluster_name, e.access_entry_arn
            ),
        ));
    }
    if prior == Some(&e.access_entry_arn) {
        return None;
    }
    if owned_by(&e.tags, owner) {
        return Some(Problem::warning(
            &[attribute],
            "This access entry already exists",
            format!(
                "{} already has an access entry on cluster {:?} ({}) carrying this intent's ownership tags, but it is not in this resource's state. \
                 If this resource is being replaced, apply deletes it first and creates it again. Otherwise another Terraform state manages it, \
                 and apply stops with \"Already managed by another Terraform state\" and changes nothing. To move it into this state: {import}",
                e.principal_arn, e.cluster_name, e.access_entry_arn
            ),
        ));
    }
    Some(Problem::error(
        &[attribute],
        "Access entry already exists",
        format!(
            "{} already has an access entry on cluster {:?} ({}), not in Terraform state and not made by this provider for this access. \
             A principal has one entry per cluster. To manage that entry with this resource (apply then replaces its groups, username and \
             access policies with the configured ones), import it: {import}. Otherwise remove the principal here.",
            e.principal_arn, e.cluster_name, e.access_entry_arn
        ),
    ))
}

/// The cluster every access intent needs: it exists and its authentication
/// mode allows access entries; else the problem on `cluster_name`.
async fn cluster_problem(
    lookups: &Lookups,
    c: &AwsClients,
    cluster_name: &str,
    account: &Account,
) -> Option<Problem> {
    match existing_cluster(lookups, c, cluster_name, account).await {
        Ok(cluster) if cluster.authentication_mode.allows_access_entries() => None,
        Ok(cluster) => Some(Problem::error(
            &["cluster_name"],
            "Cluster does not allow access entries",
            format!(
                "Cluster {cluster_name:?} uses the authentication mode {}, which has no access entries. Switch it to API_AND_CONFIG_MAP \
                 (one way): aws eks update-cluster-config --name {cluster_name} --access-config authenticationMode=API_AND_CONFIG_MAP",
                cluster.authentication_mode.as_str(),
            ),
        )),
        Err(problem) => Some(problem),
    }
}

/// The access policies EKS knows (none looked up when none is requested).
async fn known_access_policies(
    lookups: &Lookups,
    c: &AwsClients,
    policies: &[(String, &'static str)],
) -> Result<BTreeSet<String>, AwsError> {
    if policies.is_empty() {
        return Ok(BTreeSet::new());
    }
    lookups.access_policy_arns(c).await
}

/// Each requested access policy (ARN, attribute) EKS does not list
/// (ListAccessPolicies, so a policy AWS adds works without a release).
fn policy_problems(
    policies: &[(String, &'static str)],
    known: Result<BTreeSet<String>, AwsError>,
) -> Vec<Problem> {
    match known {
        Ok(known) => policies
            .iter()
            .filter(|(arn, _)| !known.contains(arn))
            .map(|(arn, attribute)| {
                Problem::error(
                    &[*attribute],
                    "Unknown access policy",
                    format!("EKS has no access policy {arn}. See `aws eks list-access-policies` for the names."),
                )
            })
            .collect(),
        Err(e) => vec![aws_warning(
            &[],
            "Could not list the EKS access policies",
            &e,
        )],
    }
}

/// The principals of `principal_arns` looked up in this account: missing
/// (or under another path) is an error; a federated role that cannot meet
/// `mfa` is reported; one in another account is a warning (not checkable).
async fn principal_problems(
    lookups: &Lookups,
    c: &AwsClients,
    principal_arns: &BTreeSet<String>,
    account: &Account,
    mfa: MfaRequirement,
) -> Vec<Problem> {
    let principals = futures_util::future::join_all(principal_arns.iter().map(|arn| async move {
        let same_account = Arn::parse(arn).is_some_and(|a| a.account == account.account_id);
        let exists = if same_account {
            lookups.principal(c, arn).await
        } else {
            Ok(ObservedPrincipal::NotLookedUp)
        };
        (arn, same_account, exists)
    }))
    .await;
    let mut problems = Vec::new();
    for (arn, same_account, exists) in principals {
        match exists {
            Ok(ObservedPrincipal::Role { trust_policy }) => problems.extend(
                federation(&trust_policy)
                    .and_then(|f| mfa_problem(arn, f, mfa, "principal_arns")),
            ),
            Ok(ObservedPrincipal::User) => {}
            Ok(ObservedPrincipal::OtherPath(existing)) => problems.push(Problem::error(
                &["principal_arns"],
                "Principal not found",
                format!(
                    "{arn} does not exist in account {}, but {existing} does: the same name under another path. Did you mean `{existing}`? \
                     (An ARN's path must match exactly; IAM names are unique in an account whatever the path.)",
                    account.account_id
                ),
            )),
            Ok(ObservedPrincipal::Missing) => problems.push(Problem::error(
                &["principal_arns"],
                "Principal not found",
                format!(
                    "{arn} does not exist in account {}. Create it first, or remove it from `principal_arns`.",
                    account.account_id
                ),
            )),
            Ok(ObservedPrincipal::NotLookedUp) if !same_account => problems.push(Problem::warning(
                &["principal_arns"],
                "Principal in another account not checked",
                format!("{arn} is in another account, so the provider cannot check that it exists. Make sure it does, or the role will be unusable by it."),
            )),
            Ok(ObservedPrincipal::NotLookedUp) => {}
            Err(e) => problems.push(aws_warning(
                &["principal_arns"],
                "Could not look up a principal",
                &e,
            )),
        }
    }
    problems
}

/// The names the "taken" problems quote.
struct Names<'a> {
    cluster: &'a str,
    role_name: &'a str,
    role_arn: &'a str,
    import_hint: &'a str,
}

/// What a planned create finds under its names. A role or entry that is the
/// prior state's own (`replaces`: a replacement, which deletes it before
/// creating the new one) or carries this intent's ownership tags is never
/// "taken"; an entry for this intent's role is this intent's too (EKS binds
/// it to that role).
fn taken_problems(
    role: Option<&ObservedRole>,
    entry: Option<&ObservedAccessEntry>,
    owner: &Owner<'_>,
    replaces: Option<&PriorObjects>,
    n: Names<'_>,
) -> Vec<Problem> {
    let Names {
        cluster,
        role_name,
        role_arn,
        import_hint,
    } = n;
    let own_role = role.is_some_and(|r| replaces.is_some_and(|p| p.is_role(r)));
    let owned_role = role.is_some_and(|r| owned_by(&r.tags, owner));
    let own_entry = entry.is_some_and(|e| {
        own_role || replaces.is_some_and(|p| p.is_access_entry(&e.access_entry_arn))
    });
    let owned_entry = entry.is_some_and(|e| owned_role || owned_by(&e.tags, owner));
    match (role, entry) {
        // A node's (or another AWS feature's) entry is never this access's.
        (_, Some(e)) if e.entry_type != STANDARD => vec![Problem::error(
            &["role_name"],
            "Principal has an access entry of another type",
            format!(
                "Cluster {cluster:?} has an access entry of type {} for {role_arn} ({}): EKS made or keeps it for nodes or another AWS feature, \
                 and this resource never modifies it. Choose another `role_name`.",
                e.entry_type, e.access_entry_arn
            ),
        )],
        (Some(existing), _) if !own_role && !owned_role => vec![Problem::error(
            &["role_name"],
            "Role name already taken",
            role_taken_detail(role_name, existing, "this access", &import_command(owner, role_name)),
        )],
        (None, Some(_)) => vec![Problem::warning(
            &["cluster_name"],
            "Stale access entry will be replaced",
            format!(
                "Cluster {cluster:?} has an access entry for {role_arn} left from a deleted role. EKS binds an entry to the role's unique ID, \
                 so it no longer works; apply deletes it and creates it again for the new role."
            ),
        )],
        (Some(_), Some(_)) if !own_entry && !owned_entry => vec![Problem::error(
            &["cluster_name"],
            "Access entry already exists",
            format!("Cluster {cluster:?} already has an access entry for {role_arn}, not in Terraform state. {import_hint}"),
        )],
        // The prior state's own objects: the replacement deletes them first.
        (Some(_), _) if own_role => vec![same_name_replacement(role_name)],
        // Role and entry carry this intent's tags but this resource has no
        // state: a tainted resource (destroyed first), or the finished
        // objects of another state, which apply refuses (apply/ownership.rs).
        (Some(_), Some(_)) => vec![Problem::warning(
            &["role_name"],
            "This access already exists",
            format!(
                "The role {role_name:?} and its access entry on cluster {cluster:?} exist and carry this intent's ownership tags, but this \
                 resource has no state. If this resource is tainted (or replaced without `create_before_destroy`), apply deletes them first \
                 and creates them again. Otherwise another Terraform state manages this intent, and apply stops with \
                 \"Already managed by another Terraform state\" and changes nothing: manage an intent from one state only. {import_hint}"
            ),
        )],
        // A role without its entry: what an apply that stopped half-way left.
        (Some(_), None) => vec![Problem::warning(
            &["role_name"],
            "Adopting an existing role",
            format!(
                "The role {role_name:?} exists and carries this intent's ownership tags, but has no access entry on cluster {cluster:?}: \
                 an apply that stopped half-way left it. Apply adopts it (brings it in line with the configuration) and creates the \
                 access entry."
            ),
        )],
        (None, None) => vec![],
    }
}
