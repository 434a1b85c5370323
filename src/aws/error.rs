//! AWS errors reduced to what the provider decides on: the operation, the
//! service's error code and message, and whether it was a transport failure.

use std::fmt;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    /// The API operation, e.g. `sts:GetCallerIdentity`.
    pub operation: &'static str,
    /// The service's error code (`NoSuchEntity`), or `Transport` / `Timeout` /
    /// `Cancelled` for failures that never produced a service answer.
    pub code: String,
    pub message: String,
}

impl AwsError {
    pub fn new(
        operation: &'static str,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        AwsError {
            operation,
            code: code.into(),
            message: message.into(),
        }
    }

    /// Converts any SDK error, keeping the service's code and message.
    pub fn from_sdk<E, R>(operation: &'static str, err: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug + 'static,
    {
        if no_credentials(&err) {
            return AwsError::new(operation, "NoCredentials", "no AWS credentials were found");
        }
        match &err {
            SdkError::ServiceError(service) => {
                let inner = service.err();
                AwsError::new(
                    operation,
                    inner.code().unwrap_or("Unknown"),
                    inner
                        .message()
                        .map(str::to_owned)
                        .unwrap_or_else(|| inner.to_string()),
                )
            }
            SdkError::TimeoutError(_) => {
                AwsError::new(operation, "Timeout", "the request timed out")
            }
            SdkError::DispatchFailure(dispatch) => {
                let what = if dispatch.is_timeout() {
                    "Timeout"
                } else {
                    "Transport"
                };
                AwsError::new(operation, what, describe_chain(&err))
            }
            _ => AwsError::new(operation, "Transport", describe_chain(&err)),
        }
    }

    pub fn cancelled(operation: &'static str) -> Self {
        AwsError::new(
            operation,
            "Cancelled",
            "the operation was cancelled because Terraform asked the provider to stop",
        )
    }

    /// What the user can do about this error, when the code says it: rejected
    /// or expired credentials, a missing permission, an unreachable endpoint.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self.code.as_str() {
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
            "NoCredentials" => NO_CREDENTIALS_HINT,
            "ProfileNotFound" => {
                "Set `profile` to one of the profiles found, or create it (`aws configure --profile <name>`, \
                 `aws configure sso`, or `aws login --profile <name>`), or point `shared_config_files` / \
                 `shared_credentials_files` at the files that hold it."
            }
            "ProfileFileError" => {
                "Check the files named in `shared_config_files` / `shared_credentials_files` (or AWS_CONFIG_FILE / \
                 AWS_SHARED_CREDENTIALS_FILE): each must exist and be readable."
            }
            "Cancelled" => "Terraform asked the provider to stop.",
            _ => return None,
        })
    }

    /// A diagnostic summary more precise than the caller's, for errors that
    /// are about the provider's set-up rather than the call that met them.
    pub fn summary(&self) -> Option<&'static str> {
        match self.code.as_str() {
            "NoCredentials" => Some("No AWS credentials found"),
            "ProfileNotFound" => Some("AWS profile not found"),
            "ProfileFileError" => Some("Could not read the shared AWS config files"),
            _ => None,
        }
    }

    /// The provider-block attribute this error is about, when it is one.
    pub fn attribute(&self) -> Option<&'static str> {
        match self.code.as_str() {
            "ProfileNotFound" | "ProfileFileError" => Some("profile"),
            _ => None,
        }
    }

    /// The error and, when there is one, the hint: the detail of a diagnostic.
    pub fn detail(&self) -> String {
        match self.hint() {
            Some(hint) => format!("{self}\n\n{hint}"),
            None => self.to_string(),
        }
    }

    /// Whether the service answered with this error code. Only `aws/` asks:
    /// not-found and retryable conditions are decided here, never by callers.
    pub(in crate::aws) fn is_code(&self, code: &str) -> bool {
        self.code == code
    }

    /// The credentials may not make this call (`AccessDenied`, as IAM and STS
    /// say it; `AccessDeniedException`, as EKS does). Callers that can do the
    /// same work with narrower calls fall back to them.
    pub fn is_access_denied(&self) -> bool {
        matches!(self.code.as_str(), "AccessDenied" | "AccessDeniedException")
    }
}

/// Where the default credential chain looked, in its order, and what to do.
const NO_CREDENTIALS_HINT: &str = "No source of AWS credentials had any. The provider looked, in this order, at: \
static keys in the provider block (`access_key`, `secret_key`); the environment variables AWS_ACCESS_KEY_ID, \
AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; the profile (`profile`, else AWS_PROFILE, else \"default\") in the \
shared config and credentials files (~/.aws/config and ~/.aws/credentials, AWS_CONFIG_FILE / \
AWS_SHARED_CREDENTIALS_FILE, or `shared_config_files` / `shared_credentials_files`), including its SSO \
session, `aws login` session, `credential_process` or `role_arn`; a web identity token \
(AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN); the container credentials endpoint (ECS tasks, EKS Pod \
Identity: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI); and the EC2 instance metadata service (IMDS, \
skipped when AWS_EC2_METADATA_DISABLED=true). Set up one of them (e.g. `aws configure`, \
`aws sso login --profile <name>` or `aws login --profile <name>`, then `profile = \"<name>\"`) and run again.";

/// Whether the SDK failed because no credentials provider had credentials
/// (rather than because a provider failed, or AWS rejected them). The SDK
/// reports this as a dispatch failure, so without this test it would read
/// as an unreachable endpoint.
fn no_credentials(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(err);
    while let Some(e) = source {
        if let Some(CredentialsError::CredentialsNotLoaded(_)) =
            e.downcast_ref::<CredentialsError>()
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// The error and its sources joined, since SDK errors put the useful part
/// (connection refused, DNS failure) several levels down.
fn describe_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: {}: {}",
            self.operation, self.code, self.message
        )
    }
}

impl std::error::Error for AwsError {}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_types::error::ErrorMetadata;

    type Sdk = SdkError<ErrorMetadata, ()>;

    /// How the SDK reports a call that found no credentials: a dispatch
    /// failure whose source is the chain's "not loaded".
    fn without_credentials() -> Sdk {
        let inner = CredentialsError::not_loaded("no providers in chain provided credentials");
        SdkError::dispatch_failure(ConnectorError::other(Box::new(inner), None))
    }

    #[test]
    fn no_credentials_is_not_a_network_error() {
        let err = AwsError::from_sdk("sts:GetCallerIdentity", without_credentials());
        assert_eq!(err.code, "NoCredentials");
        assert_eq!(err.summary(), Some("No AWS credentials found"));
        let detail = err.detail();
        for source in [
            "access_key",
            "AWS_ACCESS_KEY_ID",
            "aws login",
            "SSO",
            "IMDS",
            "web identity",
        ] {
            assert!(detail.contains(source), "{source}: {detail}");
        }
        assert!(!detail.contains("could not be reached"), "{detail}");
    }

    #[test]
    fn a_failing_credentials_provider_is_not_no_credentials() {
        let inner = CredentialsError::provider_error("SSO token expired");
        let sdk: Sdk = SdkError::dispatch_failure(ConnectorError::other(Box::new(inner), None));
        let err = AwsError::from_sdk("sts:GetCallerIdentity", sdk);
        assert_ne!(err.code, "NoCredentials");
        assert_eq!(err.summary(), None);
    }
}
