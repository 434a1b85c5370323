//! Plan-time look-ups against IAM and EKS, memoised per provider process so a
//! plan of many intents on one cluster costs one DescribeCluster, one OIDC
//! provider look-up, one add-on look-up and one account-summary read, shared
//! by concurrent RPCs. A cluster that is not found lists the region's
//! clusters once (for a "did you mean"), whatever the number of intents.
//!
//! The questions every intent asks about its own objects are answered from
//! listings shared the same way (`listings.rs`): whether a role name is
//! taken (one `ListRoles` scan), what a refresh reads of a role (that scan
//! with `GetAccountAuthorizationDetails`), and a cluster's Pod Identity
//! associations and access entries (one listing per cluster). Only an
//! object that exists is then described, one call each. The account's role
//! listings are loaded only once a process has made more than a few role
//! look-ups of a kind (`ListingGate`): the first go direct, so a small
//! workspace never scans the account. A listing that is denied or fails is
//! remembered as such, and each look-up then makes its per-object call (the
//! one it made before the listings existed). These answers are a
//! snapshot taken during this process's plan: apply never relies on them
//! (it looks again before every create, and "already exists" leads to the
//! ownership rules), and a refresh never concludes from them that a role is
//! gone (it asks IAM directly).

use std::collections::BTreeSet;

use crate::aws::eks::{
    self, ObservedAccessEntry, ObservedCluster, ObservedPodIdentityAssociation,
    PodIdentityAssociationSummary,
};
use crate::aws::iam::{self, ListedRole, ObservedOidcProvider, ObservedPrincipal, ObservedRole};
use crate::aws::sts;
pub use crate::aws::sts::CallerIdentity;
use crate::aws::{AwsClients, AwsError};

use crate::intent::principals::IDENTITY_CENTER_ROLE_PATH_PREFIX;
use crate::intent::team_access::direct::IdentityCenterRole;
use crate::intent::trust_policy_rules::DEFAULT_TRUST_POLICY_QUOTA;

use super::cache::Memo;
use super::listings::{association_of, has_entry, Listed, ListingGate, RoleDetailIndex, RoleIndex};

/// A cluster's listing is keyed by region and cluster name: it is never
/// reused for another cluster, nor for one of the same name elsewhere.
type ClusterKey = (String, String);

#[derive(Default)]
pub struct Lookups {
    identity: Memo<(), CallerIdentity>,
    clusters: Memo<String, Option<ObservedCluster>>,
    cluster_names: Memo<(), Vec<String>>,
    oidc_providers: Memo<String, Option<ObservedOidcProvider>>,
    addons: Memo<(String, String), Option<String>>,
    policies: Memo<String, bool>,
    trust_quota: Memo<(), usize>,
    access_policies: Memo<(), std::collections::BTreeSet<String>>,
    principals: Memo<String, ObservedPrincipal>,
    roles: Memo<(), Listed<RoleIndex>>,
    role_details: Memo<(), Listed<RoleDetailIndex>>,
    /// Name checks (`existing_role`) and refresh reads (`listed_role`),
    /// counted apart: each kind lists only past its own first few.
    name_checks: ListingGate,
    refresh_reads: ListingGate,
    associations: Memo<ClusterKey, Listed<Vec<PodIdentityAssociationSummary>>>,
    access_entries: Memo<ClusterKey, Listed<BTreeSet<String>>>,
    identity_center_roles: Memo<(), Vec<IdentityCenterRole>>,
}

impl Lookups {
    /// Who the provider's credentials belong to: one GetCallerIdentity per
    /// process (a failure is not stored, so the next RPC asks again).
    pub async fn caller_identity(&self, c: &AwsClients) -> Result<CallerIdentity, AwsError> {
        self.identity
            .get_or_try_load(&(), || sts::get_caller_identity(c))
            .await
    }

    pub async fn cluster(
        &self,
        c: &AwsClients,
        name: &str,
    ) -> Result<Option<ObservedCluster>, AwsError> {
        self.clusters
            .get_or_try_load(&name.to_owned(), || eks::describe_cluster(c, name))
            .await
    }

    /// The names of the region's clusters (ListClusters), once per process.
    pub async fn cluster_names(&self, c: &AwsClients) -> Result<Vec<String>, AwsError> {
        self.cluster_names
            .get_or_try_load(&(), || eks::list_clusters(c))
            .await
    }

    pub async fn oidc_provider(
        &self,
        c: &AwsClients,
        arn: &str,
    ) -> Result<Option<ObservedOidcProvider>, AwsError> {
        self.oidc_providers
            .get_or_try_load(&arn.to_owned(), || iam::get_oidc_provider(c, arn))
            .await
    }

    /// The status of an add-on, `None` when it is not installed.
    pub async fn addon(
        &self,
        c: &AwsClients,
        cluster: &str,
        addon: &str,
    ) -> Result<Option<String>, AwsError> {
        let key = (cluster.to_owned(), addon.to_owned());
        self.addons
            .get_or_try_load(&key, || eks::addon_present(c, cluster, addon))
            .await
    }

    pub async fn policy_exists(&self, c: &AwsClients, arn: &str) -> Result<bool, AwsError> {
        self.policies
            .get_or_try_load(&arn.to_owned(), || iam::policy_exists(c, arn))
            .await
    }

    /// The EKS access policies that exist (ListAccessPolicies), once per process.
    pub async fn access_policy_arns(
        &self,
        c: &AwsClients,
    ) -> Result<std::collections::BTreeSet<String>, AwsError> {
        self.access_policies
            .get_or_try_load(&(), || eks::list_access_policy_arns(c))
            .await
    }

    /// A same-account IAM role (with its trust policy) or user, or that it
    /// is missing; `NotLookedUp` when the ARN is not one that can be looked
    /// up here.
    pub async fn principal(
        &self,
        c: &AwsClients,
        arn: &str,
    ) -> Result<ObservedPrincipal, AwsError> {
        self.principals
            .get_or_try_load(&arn.to_owned(), || iam::get_principal(c, arn))
            .await
    }

    /// The roles IAM Identity Center made in this account (ListRoles under
    /// its reserved path, any region segment), once per process.
    pub async fn identity_center_roles(
        &self,
        c: &AwsClients,
    ) -> Result<Vec<IdentityCenterRole>, AwsError> {
        self.identity_center_roles
            .get_or_try_load(&(), || async {
                let roles = iam::list_roles_under_path(c, IDENTITY_CENTER_ROLE_PATH_PREFIX).await?;
                Ok(roles
                    .into_iter()
                    .map(|(name, arn)| IdentityCenterRole { name, arn })
                    .collect())
            })
            .await
    }

    /// The account's trust policy size quota (AssumeRolePolicySizeQuota).
    pub async fn trust_policy_quota(&self, c: &AwsClients) -> Result<usize, AwsError> {
        self.trust_quota
            .get_or_try_load(&(), || async {
                Ok(iam::trust_policy_size_quota(c)
                    .await?
                    .unwrap_or(DEFAULT_TRUST_POLICY_QUOTA))
            })
            .await
    }

    /// The role that holds `name`, as `GetRole` reads it (its tags decide
    /// whose it is), or `None` when the name is free. The process's first
    /// few name checks, and every one when `ListRoles` is denied or failed,
    /// are a `GetRole`; the others search the shared `ListRoles` scan, with
    /// a `GetRole` only for a name that is taken.
    pub async fn existing_role(
        &self,
        c: &AwsClients,
        name: &str,
    ) -> Result<Option<ObservedRole>, AwsError> {
        if !self.name_checks.use_listing() {
            return iam::get_role(c, name).await;
        }
        match self.role_index(c).await.get() {
            Some(index) => match index.get(name) {
                Some(listed) => iam::get_role(c, &listed.name).await,
                None => Ok(None),
            },
            None => iam::get_role(c, name).await,
        }
    }

    /// What a refresh reads of role `name`, from the shared listings
    /// (`ListRoles` and `GetAccountAuthorizationDetails`), or `None` when
    /// they cannot say: one of the process's first few refresh reads (those
    /// never list), the role is not in them (gone, or created since), a
    /// listing is denied or failed, or the two disagree. The caller then
    /// reads the role directly, so "gone" is always IAM's own answer.
    pub async fn listed_role(&self, c: &AwsClients, name: &str) -> Option<ListedRole> {
        if !self.refresh_reads.use_listing() {
            return None;
        }
        let details = self.role_details.get_or_load(&(), || async {
            Listed::of(iam::role_details(c).await.map(RoleDetailIndex::new))
        });
        let (roles, details) = tokio::join!(self.role_index(c), details);
        let (roles, details) = (roles.get()?, details.get()?);
        let listed = roles.get(name)?;
        iam::listed_role(listed, details.get(&listed.name)?)
    }

    /// The account's roles (`ListRoles`), or why there are none, once per
    /// process.
    async fn role_index(&self, c: &AwsClients) -> Listed<RoleIndex> {
        self.roles
            .get_or_load(&(), || async {
                Listed::of(iam::list_roles(c).await.map(RoleIndex::new))
            })
            .await
    }

    /// The Pod Identity association of a service account, described: from
    /// the cluster's shared listing, with a describe only when there is one.
    /// When that listing is denied or failed, the listing filtered to the
    /// service account (the per-object call).
    pub async fn pod_identity_association(
        &self,
        c: &AwsClients,
        cluster: &str,
        namespace: &str,
        service_account: &str,
    ) -> Result<Option<ObservedPodIdentityAssociation>, AwsError> {
        let key = (c.region().to_owned(), cluster.to_owned());
        let listed = self
            .associations
            .get_or_load(&key, || async {
                let listed = eks::list_pod_identity_associations(c, cluster).await;
                Listed::of(listed.map(Option::unwrap_or_default))
            })
            .await;
        match listed.get() {
            Some(all) => match association_of(all, namespace, service_account) {
                Some(a) => {
                    eks::describe_pod_identity_association(c, cluster, &a.association_id).await
                }
                None => Ok(None),
            },
            None => {
                eks::find_pod_identity_association(c, cluster, namespace, service_account, None)
                    .await
            }
        }
    }

    /// The access entry of `principal_arn` on a cluster, described: from the
    /// cluster's shared listing, with a describe only when there is one (and
    /// always when that listing is denied or failed).
    pub async fn access_entry(
        &self,
        c: &AwsClients,
        cluster: &str,
        principal_arn: &str,
    ) -> Result<Option<ObservedAccessEntry>, AwsError> {
        let key = (c.region().to_owned(), cluster.to_owned());
        let listed = self
            .access_entries
            .get_or_load(&key, || async {
                let listed = eks::list_access_entries(c, cluster).await;
                Listed::of(listed.map(Option::unwrap_or_default))
            })
            .await;
        match listed.get() {
            Some(all) if !has_entry(all, principal_arn) => Ok(None),
            _ => eks::describe_access_entry(c, cluster, principal_arn).await,
        }
    }
}
