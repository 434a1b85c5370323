//! A configured provider: its settings, AWS clients, and the caller identity
//! fetched once and shared by every RPC of this process.

use tokio_util::sync::CancellationToken;

use crate::apply::Ctx;

use crate::aws::{AwsClients, AwsError};
use crate::tfplugin::Diagnostic;
use crate::validate::live::{CallerIdentity, Lookups};

use super::config::{check_account, ProviderSettings};

pub struct Configured {
    pub settings: ProviderSettings,
    pub clients: AwsClients,
    /// Plan-time look-ups shared by every RPC of this process.
    pub lookups: Lookups,
    stop: CancellationToken,
}

impl Configured {
    pub fn new(settings: ProviderSettings, clients: AwsClients, stop: CancellationToken) -> Self {
        Configured {
            settings,
            clients,
            lookups: Lookups::default(),
            stop,
        }
    }

    /// The caller identity, from one GetCallerIdentity per provider process,
    /// checked against the allowed/forbidden account lists.
    pub async fn identity(&self) -> Result<CallerIdentity, Diagnostic> {
        let identity = self
            .cancellable(
                "sts:GetCallerIdentity",
                self.lookups.caller_identity(&self.clients),
            )
            .await
            .map_err(|e| aws_diagnostic("Could not determine the AWS account", &e))?;
        match check_account(&self.settings, &identity.account_id) {
            Some(d) => Err(d),
            None => Ok(identity),
        }
    }

    /// What apply needs: the clients, Stop, and the retry policy.
    pub fn apply_ctx(&self) -> Ctx<'_> {
        Ctx::new(&self.clients, &self.stop)
    }

    /// Runs an AWS call that the Stop RPC can cancel.
    pub async fn cancellable<T>(
        &self,
        operation: &'static str,
        call: impl std::future::Future<Output = Result<T, AwsError>>,
    ) -> Result<T, AwsError> {
        self.apply_ctx().cancellable(operation, call).await
    }
}

/// An AWS failure as a diagnostic whose detail says what to check. Errors of
/// the provider's set-up (no credentials, an unknown profile) keep their own
/// summary whatever call met them.
pub fn aws_diagnostic(summary: &str, err: &AwsError) -> Diagnostic {
    Diagnostic::error(err.summary().unwrap_or(summary), err.detail())
}
