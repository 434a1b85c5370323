//! Apply: make AWS match a blueprint. Each function looks at what exists,
//! changes only what differs (no call that is not needed), runs independent
//! sub-object changes concurrently, and tolerates objects already gone.

pub mod access_entry;
pub mod pod_identity;
pub mod role;
pub mod workload_identity;

use tokio_util::sync::CancellationToken;

use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};

/// What every apply, delete and refresh runs with: the AWS clients, the
/// provider's Stop signal (Terraform's Ctrl-C), and the retry policy for
/// IAM's eventual consistency.
#[derive(Clone)]
pub struct Ctx<'a> {
    pub clients: &'a AwsClients,
    pub stop: &'a CancellationToken,
    pub retry: RetryPolicy,
}

impl<'a> Ctx<'a> {
    pub fn new(clients: &'a AwsClients, stop: &'a CancellationToken) -> Self {
        Ctx {
            clients,
            stop,
            retry: RetryPolicy::default(),
        }
    }

    /// Runs an AWS call that Stop cancels.
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

/// A step that failed: what was being done (a diagnostic summary such as
/// "Could not create or update the IAM role") and the AWS error.
#[derive(Debug)]
pub struct StepError {
    pub summary: &'static str,
    pub error: AwsError,
}

/// What an apply or delete left: what it observed or created so far (the
/// resource turns it into state, partial after a failure, so that destroy can
/// remove it) and the failure that stopped it, if any.
#[derive(Debug)]
pub struct Outcome<T> {
    pub observed: T,
    pub error: Option<StepError>,
}
