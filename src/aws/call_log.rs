//! One debug line per AWS call, written by an SDK interceptor that every
//! service client carries (registered once, in `clients.rs`): the service, the
//! operation, its target (the names and ARNs the request acts on), the
//! outcome, the duration and the SDK's retries. Changes (`CreateRole`,
//! `CreatePodIdentityAssociation`, …) and look-ups (`GetRole`,
//! `DescribeCluster`, …) alike, so `TF_LOG=debug` shows what the provider
//! asked AWS and what AWS answered, without the HTTP traffic underneath.
//!
//! Being one interceptor, no call can forget its line, and none can log more
//! than this file allows: the target is read from a short list of identifying
//! parameters ([`TARGET_PARAMETERS`]) and the request path, never from
//! documents, tags, tokens or headers, so a trust policy (which may hold an
//! external ID) or a credential never reaches the log. The outcome is `ok` or
//! the error code and HTTP status, never AWS's error message.

use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

use crate::arn::percent_decode_lossy;

/// The request parameters that name what a call acts on, in the IAM/STS query
/// form and the EKS JSON body: names and ARNs only. Documents
/// (`AssumeRolePolicyDocument`, `PolicyDocument`), tags, descriptions and
/// tokens are never among them.
pub const TARGET_PARAMETERS: &[&str] = &[
    "RoleName",
    "UserName",
    "PolicyName",
    "PolicyArn",
    "PermissionsBoundary",
    "OpenIDConnectProviderArn",
    "InstanceProfileName",
    "namespace",
    "serviceAccount",
    "principalArn",
    "policyArn",
    "roleArn",
    "resourceArn",
];

/// The interceptor; see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::aws) struct CallLog;

/// When the call started (stored in the call's config bag).
#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

/// What the call acts on, read once from the serialized request.
#[derive(Debug, Clone)]
struct Target(String);

impl Storable for Target {
    type Storer = StoreReplace<Self>;
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "eksrole call log"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_after_serialization(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let target = target_of(request.uri(), request.body().bytes().unwrap_or_default());
        cfg.interceptor_state().store_put(Target(target));
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(metadata) = cfg.load::<Metadata>() else {
            return Ok(());
        };
        let service = metadata.service().to_ascii_lowercase();
        let operation = metadata.name();
        let duration_ms = cfg
            .load::<Started>()
            .map_or(0, |started| saturating_ms(started.0.elapsed().as_millis()));
        let retries = cfg
            .load::<RequestAttempts>()
            .map_or(0, |attempts| attempts.attempts().saturating_sub(1));
        let target = cfg.load::<Target>().map_or("", |t| t.0.as_str());
        let outcome = match context.output_or_error() {
            Some(Ok(_)) => "ok".to_owned(),
            Some(Err(err)) if err.is_timeout_error() => "timeout".to_owned(),
            Some(Err(err)) if err.is_connector_error() => "transport error".to_owned(),
            Some(Err(_)) => context
                .response()
                .map_or_else(|| "failed".to_owned(), failure_of),
            None => "not sent".to_owned(),
        };
        tracing::debug!(
            service = service.as_str(),
            operation,
            target,
            outcome = outcome.as_str(),
            duration_ms,
            retries,
            changes = changes_something(operation),
            "AWS call {service}:{operation}: {outcome}"
        );
        Ok(())
    }
}

fn saturating_ms(ms: u128) -> u64 {
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// Whether an operation changes something: every IAM, EKS and STS operation
/// that only reads is named `Get…`, `List…` or `Describe…`.
pub fn changes_something(operation: &str) -> bool {
    !["Get", "List", "Describe"]
        .iter()
        .any(|prefix| operation.starts_with(prefix))
}

/// What a request acts on: its path when it has more than `/` (EKS names the
/// cluster, entry or association there), then each [`TARGET_PARAMETERS`]
/// value of its body, as `Name=value`. The body is an IAM/STS query form
/// (`Action=CreateRole&RoleName=…`) or an EKS JSON object; only the listed
/// parameters are read from it.
pub fn target_of(uri: &str, body: &[u8]) -> String {
    let mut parts = Vec::new();
    let path = request_path(uri);
    if path != "/" && !path.is_empty() {
        parts.push(percent_decode_lossy(path));
    }
    let body = String::from_utf8_lossy(body);
    let body = body.trim_start();
    if body.starts_with('{') {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(body) {
            for name in TARGET_PARAMETERS {
                if let Some(serde_json::Value::String(value)) = fields.get(*name) {
                    parts.push(format!("{name}={value}"));
                }
            }
        }
    } else {
        for pair in body.split('&') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if TARGET_PARAMETERS.contains(&name) {
                parts.push(format!("{name}={}", percent_decode_lossy(value)));
            }
        }
    }
    parts.join(" ")
}

/// The path of a request URI, absolute (`http://host:port/a/b?q`) or not
/// (`/a/b?q`), without its query.
fn request_path(uri: &str) -> &str {
    let after_authority = match uri.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |slash| &rest[slash..]),
        None => uri,
    };
    after_authority
        .split_once('?')
        .map_or(after_authority, |(path, _)| path)
}

/// A failed call's outcome: the error code AWS sent (the `x-amzn-ErrorType`
/// header of EKS, the `<Code>` of an IAM/STS error document) and the HTTP
/// status, e.g. `NoSuchEntity (HTTP 404)`. AWS's error message is left out.
fn failure_of(response: &HttpResponse) -> String {
    let status = response.status().as_u16();
    let code = response
        .headers()
        .get("x-amzn-errortype")
        .map(|value| value.split(':').next().unwrap_or_default().to_owned())
        .or_else(|| xml_error_code(response.body().bytes().unwrap_or_default()))
        .filter(|code| is_error_code(code));
    match code {
        Some(code) => format!("{code} (HTTP {status})"),
        None => format!("HTTP {status}"),
    }
}

/// The text of the first `<Code>` element of an error document.
fn xml_error_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let length = text[start..].find("</Code>")?;
    Some(text[start..start + length].trim().to_owned())
}

/// An error code is a short word (`NoSuchEntity`, `ResourceNotFoundException`,
/// `Sender.Throttling`); anything else is not written.
fn is_error_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 100
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests;
