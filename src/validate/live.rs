//! Plan-time look-ups against IAM and EKS, memoised per provider process so a
//! plan of many intents on one cluster costs one DescribeCluster, one OIDC
//! provider look-up, one add-on look-up and one account-summary read, shared
//! by concurrent RPCs. A cluster that is not found lists the region's
//! clusters once (for a "did you mean"), whatever the number of intents.

use crate::aws::eks::{self, ObservedCluster};
use crate::aws::iam::{self, ObservedOidcProvider, ObservedPrincipal};
use crate::aws::sts;
pub use crate::aws::sts::CallerIdentity;
use crate::aws::{AwsClients, AwsError};

use crate::intent::principals::IDENTITY_CENTER_ROLE_PATH_PREFIX;
use crate::intent::team_access::direct::IdentityCenterRole;
use crate::intent::trust_policy_rules::DEFAULT_TRUST_POLICY_QUOTA;

use super::cache::Memo;

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
}
