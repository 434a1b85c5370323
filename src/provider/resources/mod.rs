//! Managed resources (the intents). Each implements [`Resource`]; the RPC
//! layer handles what is common to all: decoding, destroy plans, null states.

pub mod values;
pub mod workload_identity;

use crate::tfplugin::schema::Schema;
use crate::tfplugin::{AttributePath, Diagnostics, Value};

use super::context::Configured;

/// What plan decided.
#[derive(Debug, Default)]
pub struct Planned {
    pub state: Value,
    pub requires_replace: Vec<AttributePath>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// What apply left: the new state (possibly partial, after a failure, so that
/// destroy can remove what was created) and the diagnostics.
#[derive(Debug, Default)]
pub struct Applied {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// A managed resource type.
#[tonic::async_trait]
pub trait Resource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;

    /// Static checks of the configuration (no AWS calls; values may be unknown).
    fn validate(&self, config: &Value) -> Diagnostics;

    /// Plans a create (`prior` null) or an update. Never called for destroy.
    async fn plan(
        &self,
        provider: &Configured,
        prior: &Value,
        proposed: &Value,
        config: &Value,
    ) -> Planned;

    /// Creates (`prior` null) or updates the object to match `planned`.
    async fn apply(
        &self,
        provider: &Configured,
        prior: &Value,
        planned: &Value,
        private: &[u8],
    ) -> Applied;

    /// Deletes everything `prior` owns; objects already gone count as deleted.
    async fn delete(&self, provider: &Configured, prior: &Value) -> Diagnostics;

    /// Refreshes `state` from AWS; `Value::Null` when the object is gone.
    async fn read(&self, provider: &Configured, state: &Value) -> Result<Value, Diagnostics>;

    /// A state holding what `id` names, to be completed by `read`.
    async fn import(&self, provider: &Configured, id: &str) -> Result<Value, Diagnostics>;
}

/// Every resource type the provider serves.
pub fn all() -> Vec<Box<dyn Resource>> {
    vec![Box::new(workload_identity::WorkloadIdentityResource)]
}
