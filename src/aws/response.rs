//! Small helpers shared by the IAM and EKS calls for reading SDK results:
//! a typed not-found becomes `None` (or success, for deletes), a missing
//! field becomes an `InvalidResponse` error naming the call, and a paginated
//! listing becomes its items. [`SdkAnswer`] offers the same as methods on
//! the SDK's `Result`, which is how the calls use them. No SDK type leaves
//! `src/aws/` through these.

use std::fmt;
use std::future::Future;

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
    R: fmt::Debug + 'static,
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
    R: fmt::Debug + 'static,
{
    found(operation, result, is_not_found).map(|_| ())
}

/// The method form of [`found`] and [`done_if_not_found`], for the SDK's
/// `Result`, so that every call reads top-down: build the request, send it,
/// then say what its answer means (`.done(OP)`, `.found(OP, is_not_found)`,
/// …) with no temporary in between.
pub(in crate::aws) trait SdkAnswer<T, E> {
    /// The output, or the error converted for `operation`.
    fn or_error(self, operation: &'static str) -> Result<T, AwsError>;

    /// Success with the output dropped, or the error converted for `operation`.
    fn done(self, operation: &'static str) -> Result<(), AwsError>;

    /// [`found`]: `Ok(None)` when `is_not_found` holds for the service error.
    fn found(
        self,
        operation: &'static str,
        is_not_found: fn(&E) -> bool,
    ) -> Result<Option<T>, AwsError>;

    /// [`done_if_not_found`]: a not-found counts as done.
    fn done_if_not_found(
        self,
        operation: &'static str,
        is_not_found: fn(&E) -> bool,
    ) -> Result<(), AwsError>;
}

impl<T, E, R> SdkAnswer<T, E> for Result<T, SdkError<E, R>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + 'static,
{
    fn or_error(self, operation: &'static str) -> Result<T, AwsError> {
        self.map_err(|err| AwsError::from_sdk(operation, err))
    }

    fn done(self, operation: &'static str) -> Result<(), AwsError> {
        self.or_error(operation).map(drop)
    }

    fn found(
        self,
        operation: &'static str,
        is_not_found: fn(&E) -> bool,
    ) -> Result<Option<T>, AwsError> {
        found(operation, self, is_not_found)
    }

    fn done_if_not_found(
        self,
        operation: &'static str,
        is_not_found: fn(&E) -> bool,
    ) -> Result<(), AwsError> {
        done_if_not_found(operation, self, is_not_found)
    }
}

/// Every item of a paginated listing, each read by `read`, or `None` when
/// `is_not_found` holds for the error. `pages` is the SDK paginator's
/// `send().try_collect()`, which asks for page after page until one comes
/// without a marker (IAM) or next token (EKS); `items` picks a page's items.
pub(in crate::aws) async fn list_items<P, I, T, C, E, R>(
    operation: &'static str,
    pages: impl Future<Output = Result<Vec<P>, SdkError<E, R>>>,
    is_not_found: fn(&E) -> bool,
    items: impl Fn(&P) -> &[I],
    read: impl FnMut(&I) -> Result<T, AwsError>,
) -> Result<Option<C>, AwsError>
where
    C: FromIterator<T>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + 'static,
{
    let Some(pages) = pages.await.found(operation, is_not_found)? else {
        return Ok(None);
    };
    pages
        .iter()
        .flat_map(items)
        .map(read)
        .collect::<Result<C, _>>()
        .map(Some)
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
    use aws_sdk_iam::operation::get_role::GetRoleError;
    use aws_sdk_iam::types::error::NoSuchEntityException;
    use aws_smithy_types::error::ErrorMetadata;

    type Answer<T> = Result<T, SdkError<GetRoleError, ()>>;

    fn no_such_entity() -> SdkError<GetRoleError, ()> {
        let gone = NoSuchEntityException::builder().message("gone").build();
        SdkError::service_error(GetRoleError::NoSuchEntityException(gone), ())
    }

    fn failure(code: &str) -> SdkError<GetRoleError, ()> {
        let meta = ErrorMetadata::builder().code(code).message("boom").build();
        SdkError::service_error(GetRoleError::generic(meta), ())
    }

    #[test]
    fn answers_decide_not_found_only_by_the_given_rule() {
        let is_gone = GetRoleError::is_no_such_entity_exception;
        let failed = Answer::<u8>::Err;
        assert_eq!(Answer::Ok(7).found("iam:GetRole", is_gone), Ok(Some(7)));
        assert_eq!(
            failed(no_such_entity()).found("iam:GetRole", is_gone),
            Ok(None)
        );
        assert_eq!(
            failed(no_such_entity()).done_if_not_found("iam:GetRole", is_gone),
            Ok(())
        );
        // Without a not-found rule, not-found is an error like any other.
        let err = failed(no_such_entity()).done("iam:GetRole").unwrap_err();
        assert_eq!(err.operation, "iam:GetRole");
        let err = Answer::<u8>::Err(failure("ServiceFailure"))
            .found("iam:GetRole", is_gone)
            .unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.message.as_str()),
            ("ServiceFailure", "boom")
        );
        assert_eq!(Answer::Ok(7).or_error("iam:GetRole"), Ok(7));
    }

    #[tokio::test]
    async fn listings_read_every_item_of_every_page() {
        let pages = vec![vec!["a", "b"], vec![], vec!["c"]];
        let read = |item: &&str| Ok(item.to_uppercase());
        let items: Option<Vec<String>> = list_items(
            "iam:ListRolePolicies",
            async { Answer::Ok(pages) },
            GetRoleError::is_no_such_entity_exception,
            |page| page.as_slice(),
            read,
        )
        .await
        .unwrap();
        assert_eq!(items, Some(vec!["A".into(), "B".into(), "C".into()]));

        let gone: Option<Vec<String>> = list_items(
            "iam:ListRolePolicies",
            async { Answer::<Vec<Vec<&str>>>::Err(no_such_entity()) },
            GetRoleError::is_no_such_entity_exception,
            |page| page.as_slice(),
            read,
        )
        .await
        .unwrap();
        assert_eq!(gone, None);

        let bad_item: Result<Option<Vec<String>>, _> = list_items(
            "iam:ListRolePolicies",
            async { Answer::Ok(vec![vec!["a", ""]]) },
            GetRoleError::is_no_such_entity_exception,
            |page| page.as_slice(),
            |item| required("iam:ListRolePolicies", "PolicyName", Some(item)),
        )
        .await;
        assert_eq!(bad_item.unwrap_err().code, INVALID_RESPONSE);
    }

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
