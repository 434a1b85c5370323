//! A configured provider: its settings, AWS clients, and the caller identity
//! fetched once and shared by every RPC of this process.

use tokio::sync::OnceCell;
use tokio_util::sync::CancellationToken;

use crate::aws::sts::{self, CallerIdentity};
use crate::aws::{AwsClients, AwsError};
use crate::tfplugin::Diagnostic;
use crate::validate::live::Lookups;

use super::config::{check_account, ProviderSettings};

pub struct Configured {
    pub settings: ProviderSettings,
    pub clients: AwsClients,
    /// Plan-time look-ups shared by every RPC of this process.
    pub lookups: Lookups,
    identity: OnceCell<CallerIdentity>,
    stop: CancellationToken,
}

impl Configured {
    pub fn new(settings: ProviderSettings, clients: AwsClients, stop: CancellationToken) -> Self {
        Configured {
            settings,
            clients,
            lookups: Lookups::default(),
            identity: OnceCell::new(),
            stop,
        }
    }

    /// The caller identity, from one GetCallerIdentity per provider process,
    /// checked against the allowed/forbidden account lists.
    pub async fn identity(&self) -> Result<&CallerIdentity, Diagnostic> {
        let identity = self
            .identity
            .get_or_try_init(|| {
                self.cancellable(
                    "sts:GetCallerIdentity",
                    sts::get_caller_identity(&self.clients),
                )
            })
            .await
            .map_err(|e| aws_diagnostic("Could not determine the AWS account", &e))?;
        match check_account(&self.settings, &identity.account_id) {
            Some(d) => Err(d),
            None => Ok(identity),
        }
    }

    /// Runs an AWS call that the Stop RPC can cancel.
    pub async fn cancellable<T>(
        &self,
        operation: &'static str,
        call: impl std::future::Future<Output = Result<T, AwsError>>,
    ) -> Result<T, AwsError> {
        tokio::select! {
            biased;
            () = self.stop.cancelled() => Err(AwsError::cancelled(operation)),
            result = call => result,
        }
    }
}

/// An AWS failure as a diagnostic whose detail says what to check.
pub fn aws_diagnostic(summary: &str, err: &AwsError) -> Diagnostic {
    let hint = match err.code.as_str() {
        "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch" | "IncompleteSignature" => {
            "The credentials were rejected. Check `access_key`/`secret_key`, `profile`, or the AWS_* environment variables."
        }
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
            "The session credentials have expired. Refresh them (e.g. `aws sso login`) and run again."
        }
        "AccessDenied" | "AccessDeniedException" => {
            "The credentials are not allowed to make this call. Grant the permission, or use other credentials."
        }
        "Transport" | "Timeout" => {
            "The AWS endpoint could not be reached. Check the network, the `region`, and any `endpoints` overrides."
        }
        "MissingRegion" => "Set `region` in the provider block, or the AWS_REGION environment variable.",
        "Cancelled" => "Terraform asked the provider to stop.",
        _ => "",
    };
    let detail = if hint.is_empty() {
        err.to_string()
    } else {
        format!("{err}\n\n{hint}")
    };
    Diagnostic::error(summary, detail)
}
