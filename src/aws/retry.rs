//! Narrow, time-bounded retries for IAM/EKS eventual consistency and for
//! throttling that outlasted the SDK's own attempts.
//!
//! Only the (error code, message) pairs in [`RETRYABLE`] are retried, with
//! exponential backoff inside a total time bound (2 minutes by default, as in
//! the AWS provider's `propagationTimeout`). Every other error — including
//! `ServerException` and validation errors — returns at once: the SDK's
//! standard retry already handles transient 5xx and transport failures.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures_util::FutureExt;
use tokio::time::Instant;

use super::response::SdkAnswer;
use super::AwsError;

/// How long and how often [`retry_eventual_consistency`] retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total time after which the last error is returned.
    pub timeout: Duration,
    /// Wait before the second attempt; doubled after each retry.
    pub initial_delay: Duration,
    /// Upper bound of a single wait.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            timeout: Duration::from_secs(120),
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// One retryable condition: the error code and, when set, a substring the
/// message must contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryableError {
    pub code: &'static str,
    pub message_contains: Option<&'static str>,
}

const fn when(code: &'static str, message_contains: &'static str) -> RetryableError {
    RetryableError {
        code,
        message_contains: Some(message_contains),
    }
}

const fn any(code: &'static str) -> RetryableError {
    RetryableError {
        code,
        message_contains: None,
    }
}

/// Every error this module retries. Nothing else is retried.
pub const RETRYABLE: &[RetryableError] = &[
    // IAM: a trust policy names a principal created moments ago.
    when("MalformedPolicyDocument", "Invalid principal in policy"),
    // EKS CreateAccessEntry: "The specified principalArn is invalid: invalid principal."
    when("InvalidParameterException", "principalArn is invalid"),
    // EKS CreatePodIdentityAssociation: the just-created role is not visible yet.
    when(
        "InvalidParameterException",
        "Role provided in the request does not exist",
    ),
    // IAM: another request is changing the same entity.
    any("ConcurrentModification"),
    // Throttling that outlasted the SDK's standard attempts.
    any("Throttling"),
    any("ThrottlingException"),
    any("TooManyRequestsException"),
    any("RequestLimitExceeded"),
];

/// Whether `err` is one of the [`RETRYABLE`] conditions.
pub fn is_retryable(err: &AwsError) -> bool {
    RETRYABLE.iter().any(|r| {
        err.is_code(r.code)
            && r.message_contains
                .is_none_or(|needle| err.message.contains(needle))
    })
}

/// The wait before retry number `retry` (1-based): `initial_delay * 2^(retry-1)`,
/// capped at `max_delay`.
pub fn backoff_delay(policy: &RetryPolicy, retry: u32) -> Duration {
    let factor = 1u32 << retry.saturating_sub(1).min(20);
    policy
        .initial_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
}

/// Runs `attempt` until it succeeds, fails with an error that is not
/// [`is_retryable`], or `policy.timeout` has passed; then returns the last
/// result. The final wait is shortened so the total stays within the bound.
pub async fn retry_eventual_consistency<T, F, Fut>(
    operation: &'static str,
    policy: &RetryPolicy,
    mut attempt: F,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let started = Instant::now();
    let mut retry = 0u32;
    loop {
        let err = match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        if !is_retryable(&err) {
            return Err(err);
        }
        let remaining = policy.timeout.saturating_sub(started.elapsed());
        if remaining.is_zero() {
            tracing::debug!(
                operation,
                code = %err.code,
                attempts = retry + 1,
                "giving up: retry time bound reached"
            );
            return Err(err);
        }
        retry += 1;
        let delay = backoff_delay(policy, retry).min(remaining);
        tracing::debug!(
            operation,
            code = %err.code,
            attempt = retry,
            delay_ms = delay.as_millis() as u64,
            "retrying after an eventual-consistency or throttling error"
        );
        tokio::time::sleep(delay).await;
    }
}

/// [`retry_eventual_consistency`] for one SDK request: `send` builds the
/// request afresh and sends it, once per attempt (a sent request is consumed).
pub(in crate::aws) async fn send_with_retry<T, E, R, Fut>(
    operation: &'static str,
    policy: &RetryPolicy,
    send: impl Fn() -> Fut,
) -> Result<T, AwsError>
where
    Fut: Future<Output = Result<T, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + 'static,
{
    retry_eventual_consistency(operation, policy, || {
        send().map(|answer| answer.or_error(operation))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn err(code: &str, message: &str) -> AwsError {
        AwsError::new("test:Op", code, message)
    }

    fn tiny() -> RetryPolicy {
        RetryPolicy {
            timeout: Duration::from_millis(200),
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
        }
    }

    #[test]
    fn classifier_accepts_only_the_named_pairs() {
        assert!(is_retryable(&err(
            "MalformedPolicyDocument",
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::1:role/x\""
        )));
        assert!(!is_retryable(&err(
            "MalformedPolicyDocument",
            "Syntax errors in policy."
        )));
        assert!(is_retryable(&err(
            "InvalidParameterException",
            "The specified principalArn is invalid: invalid principal."
        )));
        assert!(is_retryable(&err(
            "InvalidParameterException",
            "Role provided in the request does not exist"
        )));
        assert!(!is_retryable(&err(
            "InvalidParameterException",
            "The specified policyArn is invalid"
        )));
        assert!(is_retryable(&err("ConcurrentModification", "anything")));
        for code in [
            "Throttling",
            "ThrottlingException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
        ] {
            assert!(is_retryable(&err(code, "Rate exceeded")), "{code}");
        }
        for code in [
            "ServerException",
            "ServiceUnavailable",
            "ServiceFailure",
            "NoSuchEntity",
            "ResourceNotFoundException",
            "ResourceInUseException",
            "InvalidRequestException",
            "Transport",
            "Timeout",
        ] {
            assert!(!is_retryable(&err(code, "Rate exceeded")), "{code}");
        }
        // The message substring is part of the match; the code must match exactly.
        assert!(!is_retryable(&err(
            "invalidparameterexception",
            "The specified principalArn is invalid: invalid principal."
        )));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::default();
        let ms: Vec<u128> = (1..=6).map(|n| backoff_delay(&p, n).as_millis()).collect();
        assert_eq!(ms, vec![500, 1000, 2000, 4000, 5000, 5000]);
        assert_eq!(backoff_delay(&p, 1000), Duration::from_secs(5));
        assert_eq!(p.timeout, Duration::from_secs(120));
    }

    #[tokio::test]
    async fn retries_listed_errors_until_success() {
        let calls = AtomicU32::new(0);
        let result = retry_eventual_consistency("test:Op", &tiny(), || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 3 {
                    Err(err(
                        "InvalidParameterException",
                        "The specified principalArn is invalid: invalid principal.",
                    ))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(result, Ok(3));
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn sdk_requests_are_retried_on_the_listed_errors_only() {
        use aws_sdk_iam::operation::get_role::GetRoleError;
        use aws_smithy_types::error::ErrorMetadata;
        fn service_error(code: &str, message: &str) -> SdkError<GetRoleError, ()> {
            let meta = ErrorMetadata::builder().code(code).message(message).build();
            SdkError::service_error(GetRoleError::generic(meta), ())
        }
        let calls = AtomicU32::new(0);
        let result = send_with_retry("test:Op", &tiny(), || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                match n {
                    0 => Err(service_error("Throttling", "Rate exceeded")),
                    _ => Ok(n),
                }
            }
        })
        .await;
        assert_eq!(result, Ok(1));
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let calls = AtomicU32::new(0);
        let result = send_with_retry("test:Op", &tiny(), || {
            calls.fetch_add(1, Ordering::SeqCst);
            async {
                Err::<u32, _>(service_error(
                    "MalformedPolicyDocument",
                    "Syntax errors in policy.",
                ))
            }
        })
        .await;
        let err = result.unwrap_err();
        assert_eq!(
            (err.operation, err.code.as_str()),
            ("test:Op", "MalformedPolicyDocument")
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn other_errors_return_at_once() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = retry_eventual_consistency("test:Op", &tiny(), || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(err("ServerException", "boom")) }
        })
        .await;
        assert_eq!(result, Err(err("ServerException", "boom")));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn gives_up_after_the_time_bound_with_the_last_error() {
        let calls = AtomicU32::new(0);
        let policy = RetryPolicy {
            timeout: Duration::from_millis(60),
            initial_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(10),
        };
        let started = std::time::Instant::now();
        let result: Result<(), _> = retry_eventual_consistency("test:Op", &policy, || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move { Err(err("Throttling", &format!("Rate exceeded #{n}"))) }
        })
        .await;
        let elapsed = started.elapsed();
        let n = calls.load(Ordering::SeqCst);
        assert!(n >= 3, "only {n} attempts");
        assert_eq!(
            result,
            Err(err("Throttling", &format!("Rate exceeded #{}", n - 1)))
        );
        assert!(elapsed >= Duration::from_millis(60), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }
}
