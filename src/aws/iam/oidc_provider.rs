//! IAM OIDC identity providers (what IRSA trust policies federate with):
//! reading one by ARN and listing every provider's ARN.

use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIDConnectProviderError;

use crate::aws::response::{required, SdkAnswer};
use crate::aws::{AwsClients, AwsError};

/// An IAM OIDC identity provider. `url` is as IAM stores it: without `https://`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedOidcProvider {
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
}

/// `GetOpenIDConnectProvider`, or `None` when no provider has this ARN.
pub async fn get_oidc_provider(
    c: &AwsClients,
    arn: &str,
) -> Result<Option<ObservedOidcProvider>, AwsError> {
    const OP: &str = "iam:GetOpenIDConnectProvider";
    let Some(out) = c
        .iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(arn)
        .send()
        .await
        .found(
            OP,
            GetOpenIDConnectProviderError::is_no_such_entity_exception,
        )?
    else {
        return Ok(None);
    };
    Ok(Some(ObservedOidcProvider {
        url: required(OP, "Url", out.url())?,
        client_ids: out.client_id_list().to_vec(),
        thumbprints: out.thumbprint_list().to_vec(),
    }))
}

/// `ListOpenIDConnectProviders` (not paginated by IAM): every provider ARN.
pub async fn list_oidc_provider_arns(c: &AwsClients) -> Result<Vec<String>, AwsError> {
    const OP: &str = "iam:ListOpenIDConnectProviders";
    let out = c
        .iam
        .list_open_id_connect_providers()
        .send()
        .await
        .or_error(OP)?;
    out.open_id_connect_provider_list()
        .iter()
        .map(|entry| required(OP, "Arn", entry.arn()))
        .collect()
}
