//! Every AWS SDK call lives here, and only here: building clients from the
//! provider configuration, one `async fn` per API call, error classification
//! and retries. Not-found is `Ok(None)` (or success, for deletes), never an
//! error, and it is decided here: no caller matches error codes. The SDK
//! clients inside [`AwsClients`] are private to this module; `iam/` and
//! `eks/` hold one file per noun.

pub mod call_log;
pub mod clients;
pub mod eks;
pub mod error;
pub mod iam;
pub mod response;
pub mod retry;
pub mod sts;

pub use clients::{AssumeRoleSettings, AwsClients, AwsSettings, Endpoints};
pub use error::AwsError;
