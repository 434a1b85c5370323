//! Process start and the go-plugin contract: magic cookie, protocol version
//! negotiation, the handshake line, AutoMTLS, the controller and stdio
//! services, logging. PLACEHOLDER: being written.

use std::process::ExitCode;

/// Runs the plugin: checks the environment the CLI sets, listens, prints the
/// handshake line, and serves `make_routes()` plus go-plugin's own services
/// until the CLI shuts us down.
pub fn run(make_routes: fn() -> tonic::service::Routes) -> ExitCode {
    let _ = make_routes;
    ExitCode::FAILURE
}
