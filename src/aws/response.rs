//! Small helpers shared by the IAM and EKS calls for reading SDK results:
//! a typed not-found becomes `None` (or success, for deletes), a missing
//! field becomes an `InvalidResponse` error naming the call. No SDK type
//! leaves `src/aws/` through these.

use std::fmt;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::AwsError;

/// The error code used when a response lacks a field the call needs.
pub const INVALID_RESPONSE: &str = "InvalidResponse";

/// `Ok(Some(output))`, `Ok(None)` when `is_not_found` holds for the service
/// error, otherwise the error converted for `operation`.
pub fn found<T, E, R>(
    operation: &'static str,
    result: Result<T, SdkError<E, R>>,
    is_not_found: fn(&E) -> bool,
) -> Result<Option<T>, AwsError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
{
    match result {
        Ok(output) => Ok(Some(output)),
        Err(err) if err.as_service_error().is_some_and(is_not_found) => Ok(None),
        Err(err) => Err(AwsError::from_sdk(operation, err)),
    }
}

/// Like [`found`], for calls whose success output is not needed (deletes,
/// detaches): a not-found counts as done.
pub fn done_if_not_found<T, E, R>(
    operation: &'static str,
    result: Result<T, SdkError<E, R>>,
    is_not_found: fn(&E) -> bool,
) -> Result<(), AwsError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
{
    found(operation, result, is_not_found).map(|_| ())
}

/// The error for a response without `field`.
pub fn missing(operation: &'static str, field: &str) -> AwsError {
    AwsError::new(
        operation,
        INVALID_RESPONSE,
        format!("the response has no {field}"),
    )
}

/// `value`, or the [`missing`] error when it is absent or empty (the SDK
/// fills absent required fields with an empty string).
pub fn required(
    operation: &'static str,
    field: &str,
    value: Option<&str>,
) -> Result<String, AwsError> {
    match value {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(missing(operation, field)),
    }
}

/// An optional text field, with the empty string read as absent.
pub fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_rejects_absent_and_empty() {
        assert_eq!(required("iam:GetRole", "Arn", Some("a")), Ok("a".into()));
        let err = required("iam:GetRole", "Arn", Some("")).unwrap_err();
        assert_eq!(err.code, INVALID_RESPONSE);
        assert_eq!(err.operation, "iam:GetRole");
        assert!(err.message.contains("Arn"));
        assert!(required("iam:GetRole", "Arn", None).is_err());
        assert_eq!(non_empty(Some("")), None);
        assert_eq!(non_empty(Some("x")), Some("x".into()));
    }
}
