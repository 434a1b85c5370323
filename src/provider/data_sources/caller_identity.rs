//! `eksrole_caller_identity`: the account, ARN, user ID and partition of the
//! provider's credentials, from the provider's cached GetCallerIdentity.

use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::{Diagnostics, Type, Value};

use super::super::context::Configured;
use super::DataSource;

pub struct CallerIdentityDataSource;

#[tonic::async_trait]
impl DataSource for CallerIdentityDataSource {
    fn type_name(&self) -> &'static str {
        "eksrole_caller_identity"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                description: "The AWS identity the provider runs as (STS GetCallerIdentity, called once per provider).",
                attributes: vec![
                    Attribute::computed("id", Type::String, "The account ID."),
                    Attribute::computed("account_id", Type::String, "The 12-digit AWS account ID."),
                    Attribute::computed("arn", Type::String, "ARN of the calling identity."),
                    Attribute::computed("user_id", Type::String, "Unique ID of the calling identity."),
                    Attribute::computed("partition", Type::String, "AWS partition, e.g. `aws`, `aws-cn`, `aws-us-gov`."),
                ],
                blocks: vec![],
            },
        }
    }

    async fn read(&self, provider: &Configured, _config: &Value) -> Result<Value, Diagnostics> {
        let identity = provider.identity().await.map_err(Diagnostics::from)?;
        Ok(Value::object([
            ("id", identity.account_id.clone().into()),
            ("account_id", identity.account_id.clone().into()),
            ("arn", identity.arn.clone().into()),
            ("user_id", identity.user_id.clone().into()),
            ("partition", identity.partition.clone().into()),
        ]))
    }
}
