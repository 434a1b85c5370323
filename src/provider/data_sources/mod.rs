//! Data sources: each declares its schema and reads its state.

pub mod caller_identity;
pub mod cluster_access;

use crate::tfplugin::schema::Schema;
use crate::tfplugin::{Diagnostics, Value};

use super::context::Configured;

/// A data source: a schema, optional static checks, and a read.
#[tonic::async_trait]
pub trait DataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Static checks of the configuration (no AWS calls).
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Reads the data; `Err` carries the diagnostics that explain why not.
    async fn read(&self, provider: &Configured, config: &Value) -> Result<Value, Diagnostics>;
}

/// Every data source the provider serves.
pub fn all() -> Vec<Box<dyn DataSource>> {
    vec![
        Box::new(caller_identity::CallerIdentityDataSource),
        Box::new(cluster_access::ClusterAccessDataSource),
    ]
}
