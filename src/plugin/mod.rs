//! Process start and the go-plugin contract
//! (docs/design/plugin-protocol.md §1-3, 7-8): magic cookie, protocol
//! negotiation, the handshake line, AutoMTLS, the controller/stdio/health
//! services, the hclog JSON logger, the panic hook.
//! The only module that touches sockets and TLS.
//!
//! Files: `handshake` (pure checks and line formats), `tls` (AutoMTLS),
//! `controller` (go-plugin services, shutdown latch, message limits),
//! `serve` (socket, accept loop, tonic server, signals), `log` (hclog JSON),
//! `panic` (crash report).
//!
//! Start-up is kept small on purpose: the CLI starts the provider 3-4 times
//! per plan, so nothing here touches the network or builds AWS clients; the
//! only real work before the handshake line is one P-256 key and cert.

pub mod controller;
pub mod handshake;
pub mod log;
pub mod panic;
pub mod serve;
pub mod tls;

use std::process::ExitCode;

pub use controller::{ShutdownSignal, MAX_MESSAGE_SIZE};

/// Worker threads of the runtime: RPCs and the provider's AWS calls are
/// I/O-bound, so two workers serve the CLI's parallelism (10 by default)
/// concurrently without paying for a thread per core at every start.
const WORKER_THREADS: usize = 2;

/// Runs the plugin: reads the flags and the environment the CLI sets,
/// listens, prints the handshake line, and serves `make_routes()` plus
/// go-plugin's own services until the CLI shuts us down.
///
/// Flags: `--version` prints the version; `--debug` serves plaintext without
/// the magic cookie and prints `TF_REATTACH_PROVIDERS` (see
/// docs/design/plugin-protocol.md §7).
pub fn run(make_routes: fn() -> tonic::service::Routes) -> ExitCode {
    let mut debug = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--version" | "-version" => {
                println!("terraform-provider-eksrole {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            "--debug" | "-debug" => debug = true,
            "--help" | "-help" | "-h" => {
                println!("{}\n\n{USAGE}", handshake::NOT_A_PROGRAM_MESSAGE);
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("terraform-provider-eksrole: unknown argument {other:?}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }

    panic::install();
    log::init();

    let mode = if debug {
        serve::Mode::Debug
    } else {
        match plugin_mode() {
            Ok(mode) => mode,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        }
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("terraform-provider-eksrole: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(serve::serve(make_routes(), mode));
    // Do not wait on blocking tasks (file reads by the AWS SDK, say): the CLI
    // is waiting for us to exit.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "plugin server stopped");
            eprintln!("terraform-provider-eksrole: {error}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "Usage: terraform-provider-eksrole [--debug | --version]\n  --debug    serve without a CLI and print TF_REATTACH_PROVIDERS to attach one\n  --version  print the version";

/// The checks a CLI-started process makes before listening: cookie, protocol
/// version, and AutoMTLS set-up when `PLUGIN_CLIENT_CERT` is present. The
/// error is the one line to print on stderr.
fn plugin_mode() -> Result<serve::Mode, String> {
    let cookie = std::env::var(handshake::MAGIC_COOKIE_KEY).ok();
    handshake::check_cookie(cookie.as_deref()).map_err(|e| e.to_string())?;
    let offered = std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok();
    handshake::negotiate_protocol(offered.as_deref())
        .map_err(|e| format!("terraform-provider-eksrole: {e}"))?;
    let tls = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => {
            Some(tls::auto_mtls(&pem).map_err(|e| format!("terraform-provider-eksrole: {e}"))?)
        }
        _ => None,
    };
    Ok(serve::Mode::Plugin { tls })
}
