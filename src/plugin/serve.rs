//! The serving half of the process: a fresh unix socket in a private temp
//! directory, the handshake line (or the `--debug` reattach JSON), the accept
//! loop (TLS handshakes off the accept path, so a bad client cannot stall
//! others or kill the server), the tonic server, OS signals, and removal of
//! the socket on every way out (return, SIGTERM, Shutdown RPC, panic).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::controller::{self, Controller, ShutdownSignal, Stdio};
use super::handshake;
use super::tls::AutoMtls;

/// Test-only: when this variable is set, a task panics right after the
/// handshake line, so tests can check that a panic in a tokio task still
/// prints `panic: …` and ends the process. Never set by any CLI.
pub const TEST_PANIC_ENV: &str = "EKSROLE_TEST_PANIC_IN_TASK";

/// After a shutdown is triggered, how long in-flight responses (the Shutdown
/// RPC's own, at least) may take to drain before we exit anyway; the CLI
/// SIGKILLs after about 2 s.
const DRAIN_LIMIT: Duration = Duration::from_millis(500);

/// How long a client may take to finish its TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How the process was started.
#[derive(Debug)]
pub enum Mode {
    /// Started by a CLI: print the handshake line; TLS if AutoMTLS is set up.
    Plugin {
        /// Present when the CLI sent `PLUGIN_CLIENT_CERT`.
        tls: Option<AutoMtls>,
    },
    /// `--debug`: plaintext, print `TF_REATTACH_PROVIDERS`, run until Ctrl-C.
    Debug,
}

/// Why serving failed.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The socket's directory or the socket itself could not be created.
    #[error("cannot listen on a unix socket in {dir}: {source}")]
    Listen {
        /// The directory we tried.
        dir: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The handshake line could not be written (the CLI went away).
    #[error("cannot write the handshake line to stdout: {0}")]
    Stdout(std::io::Error),
    /// Installing a signal handler failed.
    #[error("cannot install a signal handler: {0}")]
    Signal(std::io::Error),
    /// The gRPC server failed.
    #[error("gRPC server failed: {0}")]
    Server(#[from] tonic::transport::Error),
}

/// Listens, announces, and serves `routes` plus go-plugin's services until a
/// shutdown (Shutdown RPC, SIGTERM; Ctrl-C in debug mode). The socket and its
/// directory are removed before this returns.
pub async fn serve(routes: tonic::service::Routes, mode: Mode) -> Result<(), ServeError> {
    let mut socket = PluginSocket::bind()?;
    let shutdown = ShutdownSignal::new();
    let debug = matches!(mode, Mode::Debug);

    let routes = routes
        .add_service(Controller::new(shutdown.clone(), debug).into_service())
        .add_service(Stdio::new(shutdown.clone()).into_service())
        .add_service(controller::health_service().await);

    watch_signals(shutdown.clone(), debug)?;

    let socket_path = socket.path.to_string_lossy().into_owned();
    let tls = match mode {
        Mode::Plugin { tls } => {
            let cert_field = tls
                .as_ref()
                .map(|t| t.server_cert_field.as_str())
                .unwrap_or("");
            print_stdout(&handshake::handshake_line(&socket_path, cert_field))?;
            tls
        }
        Mode::Debug => {
            let reattach = handshake::reattach_json(std::process::id(), &socket_path);
            print_stdout(&format!("{reattach}\n"))?;
            eprintln!(
                "Provider started in debug mode. To attach Terraform or OpenTofu, run in another shell:\n\n\texport TF_REATTACH_PROVIDERS='{reattach}'\n\nthen run terraform/tofu there. Press Ctrl-C here to stop the provider."
            );
            None
        }
    };
    tracing::debug!(socket = %socket_path, tls = tls.is_some(), "plugin serving");

    if std::env::var_os(TEST_PANIC_ENV).is_some() {
        tokio::spawn(async { panic!("test panic requested by {TEST_PANIC_ENV}") });
    }

    let incoming = accept_loop(socket.take_listener(), tls, shutdown.clone());
    let server = tonic::transport::Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(incoming, shutdown.triggered());
    let drain_capped = async {
        shutdown.triggered().await;
        tokio::time::sleep(DRAIN_LIMIT).await;
        tracing::debug!("connections still open after the drain limit; exiting anyway");
    };
    let result = tokio::select! {
        result = server => result.map_err(ServeError::from),
        () = drain_capped => Ok(()),
    };
    drop(socket);
    result
}

fn print_stdout(text: &str) -> Result<(), ServeError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(ServeError::Stdout)
}

/// SIGTERM ends the process cleanly. SIGINT is ignored when started by a CLI:
/// a Ctrl-C in the user's terminal reaches us too, and the CLI answers it
/// with the Stop RPC and a Shutdown, in that order. In debug mode Ctrl-C is
/// how the user stops us.
fn watch_signals(shutdown: ShutdownSignal, debug: bool) -> Result<(), ServeError> {
    let mut sigterm = signal(SignalKind::terminate()).map_err(ServeError::Signal)?;
    let mut sigint = signal(SignalKind::interrupt()).map_err(ServeError::Signal)?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(()) = sigterm.recv() => {
                    tracing::debug!("SIGTERM received; exiting");
                    shutdown.trigger();
                }
                Some(()) = sigint.recv() => {
                    if debug {
                        shutdown.trigger();
                    } else {
                        tracing::debug!("SIGINT ignored: the CLI sends Stop and Shutdown");
                    }
                }
                else => break,
            }
        }
    });
    Ok(())
}

/// Accepts connections until shutdown and hands them to tonic through a
/// channel. With TLS, each handshake runs in its own task with a time limit;
/// a failed one is logged at debug and forgotten.
fn accept_loop(
    listener: UnixListener,
    tls: Option<AutoMtls>,
    shutdown: ShutdownSignal,
) -> ReceiverStream<std::io::Result<Conn>> {
    let (sender, receiver) = mpsc::channel(16);
    let acceptor = tls.map(|t| tokio_rustls::TlsAcceptor::from(t.server_config));
    tokio::spawn(async move {
        let stopped = shutdown.triggered();
        tokio::pin!(stopped);
        loop {
            let stream = tokio::select! {
                () = &mut stopped => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        // EMFILE and the like: back off a little, keep serving.
                        tracing::warn!(%error, "accept on the plugin socket failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            match &acceptor {
                None => {
                    if sender.send(Ok(Conn::Plain(stream))).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    let sender = sender.clone();
                    tokio::spawn(async move {
                        match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream))
                            .await
                        {
                            Ok(Ok(tls_stream)) => {
                                let _ = sender.send(Ok(Conn::Tls(Box::new(tls_stream)))).await;
                            }
                            Ok(Err(error)) => {
                                tracing::debug!(%error, "TLS handshake refused or failed");
                            }
                            Err(_) => tracing::debug!("TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(receiver)
}

/// An accepted connection, plaintext or TLS; one type so both feed one
/// server.
#[derive(Debug)]
pub enum Conn {
    /// Plaintext (no `PLUGIN_CLIENT_CERT`, or `--debug`).
    Plain(UnixStream),
    /// AutoMTLS, client cert already verified.
    Tls(Box<tokio_rustls::server::TlsStream<UnixStream>>),
}

impl tonic::transport::server::Connected for Conn {
    // Handlers have no use for peer details: the socket is private and the
    // client cert is fixed.
    type ConnectInfo = ();

    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Conn::Plain(s) => s.is_write_vectored(),
            Conn::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The socket's paths, kept process-wide so the panic hook can remove them.
static SOCKET_PATHS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();

/// Removes the plugin socket and its directory if they were created;
/// idempotent, never fails (it runs on the way out, from the panic hook too).
pub fn remove_socket_files() {
    if let Some((dir, path)) = SOCKET_PATHS.get() {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_dir(dir);
    }
}

/// The listening socket: `<dir>/eksrole-plugin-<pid>-<n>/plugin.sock`, where
/// `<dir>` is `PLUGIN_UNIX_SOCKET_DIR` (as go-plugin honours) or the temp dir
/// (`TMPDIR`, else `/tmp`). The private 0700 directory keeps other local
/// users off the socket, which matters when serving plaintext.
#[derive(Debug)]
struct PluginSocket {
    path: PathBuf,
    listener: Option<UnixListener>,
}

impl PluginSocket {
    fn bind() -> Result<Self, ServeError> {
        let base = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let listen_error = |source| ServeError::Listen {
            dir: base.clone(),
            source,
        };
        let dir = create_private_dir(&base).map_err(listen_error)?;
        let path = dir.join("plugin.sock");
        let _ = SOCKET_PATHS.set((dir.clone(), path.clone()));
        let listener = UnixListener::bind(&path).map_err(|source| {
            let _ = std::fs::remove_dir(&dir);
            listen_error(source)
        })?;
        Ok(Self {
            path,
            listener: Some(listener),
        })
    }

    fn take_listener(&mut self) -> UnixListener {
        match self.listener.take() {
            Some(listener) => listener,
            // `serve` takes it exactly once, right after `bind`.
            None => unreachable!("the plugin socket's listener was taken twice"),
        }
    }
}

impl Drop for PluginSocket {
    fn drop(&mut self) {
        self.listener = None;
        remove_socket_files();
    }
}

/// Creates a fresh 0700 directory under `base`, named from the pid and the
/// clock (no randomness needed: the pid is unique among live processes and
/// an existing name is simply skipped).
fn create_private_dir(base: &Path) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt as _;
    let pid = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last_error = None;
    for attempt in 0..16u32 {
        let dir = base.join(format!(
            "eksrole-plugin-{pid}-{:x}",
            nanos.wrapping_add(attempt)
        ));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                last_error = Some(error)
            }
            Err(error) => return Err(error),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free directory name")))
}
