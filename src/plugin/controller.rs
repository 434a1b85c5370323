//! go-plugin's own gRPC services, served beside the provider: the controller
//! (`plugin.GRPCController/Shutdown`, which the CLI calls when it is done with
//! us), the stdio stream (`plugin.GRPCStdio/StreamStdio`) and
//! `grpc.health.v1.Health`, plus the [`ShutdownSignal`] that ties the
//! controller, the OS signals and the server together.
//!
//! Message limits: tonic's default 4 MiB decode limit is far below what the
//! CLIs send (schemas and states can be large), so every service here raises
//! both limits to [`MAX_MESSAGE_SIZE`]. The limits live on each generated
//! `*Server`, not on the transport: the provider's
//! `tfplugin5::provider_server::ProviderServer` must set them too, e.g.
//! `ProviderServer::new(p).max_decoding_message_size(plugin::MAX_MESSAGE_SIZE)
//! .max_encoding_message_size(plugin::MAX_MESSAGE_SIZE)`.

use std::pin::Pin;

use futures_util::{Stream, StreamExt as _};
use tokio::sync::watch;
use tonic::{Request, Response, Status};

use crate::tfplugin::goplugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::tfplugin::goplugin::grpc_stdio_server::{GrpcStdio, GrpcStdioServer};
use crate::tfplugin::goplugin::{Empty, StdioData};

/// The largest gRPC message we accept or send: 256 MiB, as terraform-plugin-go
/// allows.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// The name under which the health service reports us SERVING (go-plugin's).
pub const HEALTH_SERVICE_NAME: &str = "plugin";

/// A one-way latch: once triggered (Shutdown RPC, SIGTERM, Ctrl-C in debug
/// mode), every waiter wakes, now and later.
#[derive(Debug, Clone)]
pub struct ShutdownSignal {
    sender: std::sync::Arc<watch::Sender<bool>>,
}

impl Default for ShutdownSignal {
    fn default() -> Self {
        Self::new()
    }
}

impl ShutdownSignal {
    /// A signal not yet triggered.
    pub fn new() -> Self {
        let (sender, _) = watch::channel(false);
        Self {
            sender: std::sync::Arc::new(sender),
        }
    }

    /// Triggers the shutdown; idempotent.
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    /// Whether the shutdown was triggered.
    pub fn is_triggered(&self) -> bool {
        *self.sender.borrow()
    }

    /// Completes once the shutdown is triggered (at once if it already was).
    pub fn triggered(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut receiver = self.sender.subscribe();
        async move {
            // Err means the sender is gone, which only happens at exit.
            let _ = receiver.wait_for(|triggered| *triggered).await;
        }
    }
}

/// `plugin.GRPCController`: Shutdown answers, then triggers the process exit.
#[derive(Debug, Clone)]
pub struct Controller {
    shutdown: ShutdownSignal,
    /// In `--debug` mode the process outlives CLI runs, so Shutdown is
    /// answered but ignored; Ctrl-C ends it there.
    ignore_shutdown: bool,
}

impl Controller {
    /// A controller triggering `shutdown`, unless `ignore_shutdown`.
    pub fn new(shutdown: ShutdownSignal, ignore_shutdown: bool) -> Self {
        Self {
            shutdown,
            ignore_shutdown,
        }
    }

    /// The controller as a gRPC service with raised message limits.
    pub fn into_service(self) -> GrpcControllerServer<Self> {
        GrpcControllerServer::new(self)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE)
    }
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        if self.ignore_shutdown {
            tracing::info!("Shutdown RPC ignored in --debug mode; press Ctrl-C to stop");
        } else {
            tracing::debug!("Shutdown RPC received; exiting");
            // The server stops accepting and drains: this response is still
            // sent; `serve` caps the drain so the process exits promptly.
            self.shutdown.trigger();
        }
        Ok(Response::new(Empty {}))
    }
}

/// `plugin.GRPCStdio`: we never redirect our stdout/stderr (logs go to stderr
/// directly, which the CLI reads), so the stream sends nothing. It stays
/// open until shutdown, then ends, so that a graceful drain can finish.
#[derive(Debug, Clone)]
pub struct Stdio {
    shutdown: ShutdownSignal,
}

impl Stdio {
    /// A stdio service whose streams end at `shutdown`.
    pub fn new(shutdown: ShutdownSignal) -> Self {
        Self { shutdown }
    }

    /// The stdio service as a gRPC service with raised message limits.
    pub fn into_service(self) -> GrpcStdioServer<Self> {
        GrpcStdioServer::new(self)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE)
    }
}

/// The stream type of [`Stdio`]'s one RPC.
pub type StdioStream = Pin<Box<dyn Stream<Item = Result<StdioData, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = StdioStream;

    async fn stream_stdio(
        &self,
        _request: Request<Empty>,
    ) -> Result<Response<StdioStream>, Status> {
        let ended = self.shutdown.triggered();
        let stream = futures_util::stream::once(ended).filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}

/// `grpc.health.v1.Health`, reporting [`HEALTH_SERVICE_NAME`] as SERVING.
pub async fn health_service(
) -> tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health> {
    let (reporter, service) = tonic_health::server::health_reporter();
    reporter
        .set_service_status(HEALTH_SERVICE_NAME, tonic_health::ServingStatus::Serving)
        .await;
    service
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shutdown_signal_latches() {
        let signal = ShutdownSignal::new();
        assert!(!signal.is_triggered());
        let waiter = tokio::spawn(signal.triggered());
        signal.trigger();
        signal.trigger();
        assert!(signal.is_triggered());
        assert!(waiter.await.is_ok());
        // A waiter created after the trigger completes at once.
        signal.triggered().await;
    }

    #[tokio::test]
    async fn controller_triggers_unless_debug() {
        let signal = ShutdownSignal::new();
        let debug = Controller::new(signal.clone(), true);
        assert!(debug.shutdown(Request::new(Empty {})).await.is_ok());
        assert!(!signal.is_triggered());
        let normal = Controller::new(signal.clone(), false);
        assert!(normal.shutdown(Request::new(Empty {})).await.is_ok());
        assert!(signal.is_triggered());
    }

    #[tokio::test]
    async fn stdio_stream_ends_at_shutdown() {
        let signal = ShutdownSignal::new();
        let stdio = Stdio::new(signal.clone());
        let mut stream = stdio
            .stream_stdio(Request::new(Empty {}))
            .await
            .map(Response::into_inner)
            .map_err(|status| status.to_string())
            .expect("stream");
        let pending =
            tokio::time::timeout(std::time::Duration::from_millis(20), stream.next()).await;
        assert!(pending.is_err(), "the stream sends nothing before shutdown");
        signal.trigger();
        assert!(stream.next().await.is_none());
    }
}
