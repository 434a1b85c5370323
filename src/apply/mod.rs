//! Apply: make AWS match a blueprint. Each function looks at what exists,
//! changes only what differs (no call that is not needed), runs independent
//! sub-object changes concurrently, and tolerates objects already gone.

pub mod access_entry;
pub mod cluster_access;
pub mod ownership;
pub mod pod_identity;
pub mod role;
pub mod workload_identity;

use tokio_util::sync::CancellationToken;

use crate::aws::retry::RetryPolicy;
use crate::aws::{AwsClients, AwsError};

pub use ownership::{Claim, Completion, Refusal};

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

    /// Runs an AWS call (or a step of them, whose error may also be a
    /// [`Failure`]) that Stop cancels.
    pub async fn cancellable<T, E: From<AwsError>>(
        &self,
        operation: &'static str,
        call: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        tokio::select! {
            biased;
            () = self.stop.cancelled() => Err(AwsError::cancelled(operation).into()),
            result = call => result,
        }
    }
}

/// A step that failed: what was being done (a diagnostic summary such as
/// "Could not create or update the IAM role") and why.
#[derive(Debug)]
pub struct StepError {
    pub summary: &'static str,
    pub error: Failure,
}

impl StepError {
    /// A step that AWS failed.
    pub fn aws(summary: &'static str, error: AwsError) -> Self {
        StepError {
            summary,
            error: Failure::Aws(error),
        }
    }

    /// A step that stopped: a refusal keeps its own summary, an AWS error
    /// gets `summary` (what was being done).
    pub fn of(summary: &'static str, failure: Failure) -> Self {
        match failure {
            Failure::NotOwned(refusal) => StepError {
                summary: refusal.summary,
                error: Failure::NotOwned(refusal),
            },
            Failure::Aws(error) => StepError::aws(summary, error),
        }
    }
}

/// Why a step stopped: AWS failed it, or apply refused to touch an existing
/// object this resource does not own (nothing was changed; the refusal
/// names the attribute and how to proceed).
#[derive(Debug)]
pub enum Failure {
    Aws(AwsError),
    NotOwned(Refusal),
}

impl Failure {
    /// Another state completed the intent (see [`Refusal::other_state`]):
    /// the state of this apply keeps nothing, not even its role.
    pub fn disowns(&self) -> bool {
        matches!(self, Failure::NotOwned(r) if r.other_state)
    }
}

impl From<AwsError> for Failure {
    fn from(e: AwsError) -> Self {
        Failure::Aws(e)
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Self {
        Failure::NotOwned(r)
    }
}

/// What an apply or delete left: what it observed or created so far (the
/// resource turns it into state, partial after a failure, so that destroy can
/// remove it) and the failure that stopped it, if any.
#[derive(Debug)]
pub struct Outcome<T> {
    pub observed: T,
    pub error: Option<StepError>,
}
