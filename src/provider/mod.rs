//! The provider: its configuration, data sources, and the tfplugin5 RPC
//! handlers. Handlers are thin: decode, call the core, encode; every failure
//! goes back as a diagnostic, never as a gRPC error.

pub mod cli_run;
pub mod config;
pub mod context;
pub mod data_sources;
pub mod resources;
mod server;
mod wire;

pub use server::ProviderService;

/// Message size limit in both directions: schemas and states can be large,
/// and the CLIs accept far more than tonic's 4 MiB default.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// The gRPC routes of the tfplugin5 Provider service.
pub fn routes() -> tonic::service::Routes {
    let service =
        crate::tfplugin::proto::provider_server::ProviderServer::new(ProviderService::new())
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES);
    tonic::service::Routes::new(service)
}
