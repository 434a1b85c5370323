//! The plugin process as the CLIs see it: the built binary is started with the
//! environment Terraform/OpenTofu set, its handshake line is read, and it is
//! spoken to over its unix socket with a tonic client — plaintext, and with
//! AutoMTLS using a P-521 client certificate like the CLIs'.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use base64::Engine as _;
use eksrole::tfplugin::goplugin::grpc_controller_client::GrpcControllerClient;
use eksrole::tfplugin::goplugin::grpc_stdio_client::GrpcStdioClient;
use eksrole::tfplugin::goplugin::Empty;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint, Uri};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

const BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-eksrole");
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const STARTUP_LIMIT: Duration = Duration::from_secs(20);
/// The CLI SIGKILLs a provider that has not exited 2 s after Shutdown.
const EXIT_LIMIT: Duration = Duration::from_secs(2);

// ---------------------------------------------------------------- helpers

/// A started plugin process; killed on drop so a failing test leaks nothing.
struct Plugin {
    child: Child,
    first_line: String,
    stderr: Option<std::thread::JoinHandle<String>>,
    _tmp: tempfile::TempDir,
}

impl Plugin {
    /// Starts the binary with a clean plugin environment (no inherited
    /// cookie, certs or log levels), `TMPDIR` set to a fresh directory, plus
    /// `env`, and waits for its first stdout line.
    fn start(args: &[&str], env: &[(&str, &str)]) -> Plugin {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_remove("TF_PLUGIN_MAGIC_COOKIE")
            .env_remove("PLUGIN_CLIENT_CERT")
            .env_remove("PLUGIN_PROTOCOL_VERSIONS")
            .env_remove("PLUGIN_UNIX_SOCKET_DIR")
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .env("TMPDIR", tmp.path())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn the provider");
        let stdout = child.stdout.take().expect("stdout piped");
        let stderr = child.stderr.take().expect("stderr piped");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut text);
            text
        });
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = sender.send(line);
            // Keep draining so the child never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let first_line = receiver.recv_timeout(STARTUP_LIMIT).unwrap_or_default();
        Plugin {
            child,
            first_line,
            stderr: Some(stderr),
            _tmp: tmp,
        }
    }

    fn start_plugin(env: &[(&str, &str)]) -> Plugin {
        let mut full = vec![
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ];
        full.extend_from_slice(env);
        let plugin = Plugin::start(&[], &full);
        assert!(
            plugin.first_line.starts_with("1|5|unix|"),
            "handshake line: {:?}",
            plugin.first_line
        );
        plugin
    }

    fn tmpdir(&self) -> &Path {
        self._tmp.path()
    }

    /// The handshake line's fields, newline removed.
    fn fields(&self) -> Vec<String> {
        self.first_line
            .trim_end_matches('\n')
            .split('|')
            .map(str::to_string)
            .collect()
    }

    fn socket(&self) -> PathBuf {
        PathBuf::from(&self.fields()[3])
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `limit` for the process to exit.
    fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Everything written to stderr; call after the process exited.
    fn stderr(&mut self) -> String {
        self.stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default()
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success());
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary to completion with `env` (cookie etc. removed first).
fn run_to_end(args: &[&str], env: &[(&str, &str)]) -> (ExitStatus, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("PLUGIN_PROTOCOL_VERSIONS")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run the provider");
    (
        output.status,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn plain_channel(socket: PathBuf) -> Result<Channel, String> {
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let socket = socket.clone();
            async move { Ok::<_, std::io::Error>(TokioIo::new(UnixStream::connect(socket).await?)) }
        }))
        .await
        .map_err(|e| format!("connect: {e:?}"))
}

async fn tls_channel(
    socket: PathBuf,
    config: Arc<rustls::ClientConfig>,
) -> Result<Channel, String> {
    let connector = tokio_rustls::TlsConnector::from(config);
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let socket = socket.clone();
            let connector = connector.clone();
            async move {
                let stream = UnixStream::connect(socket).await?;
                let tls = connector
                    .connect(
                        ServerName::try_from("localhost").map_err(std::io::Error::other)?,
                        stream,
                    )
                    .await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
        .map_err(|e| format!("connect: {e:?}"))
}

async fn health(channel: Channel) -> Result<i32, String> {
    let response = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: "plugin".to_string(),
        })
        .await
        .map_err(|status| format!("health check: {status:?}"))?;
    Ok(response.into_inner().status)
}

async fn shutdown(channel: Channel) -> Result<(), String> {
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .map(|_| ())
        .map_err(|status| format!("shutdown: {status:?}"))
}

/// A self-signed ECDSA P-521/SHA-512 `CA:TRUE` certificate like the one
/// go-plugin's AutoMTLS client makes, with its key.
fn p521_client_cert() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 keygen");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "HashiCorp");
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).expect("self-sign");
    let key_der = PrivateKeyDer::try_from(key.serialize_der()).expect("key DER");
    (cert.pem(), cert.der().clone(), key_der)
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// A client config trusting exactly `server_cert`, speaking only `version`,
/// presenting `client` if given.
fn client_config(
    server_cert: &CertificateDer<'static>,
    client: Option<(CertificateDer<'static>, PrivateKeyDer<'static>)>,
    version: &'static rustls::SupportedProtocolVersion,
) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(server_cert.clone()).expect("server cert as root");
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[version])
        .expect("versions")
        .with_root_certificates(roots);
    let mut config = match client {
        Some((cert, key)) => builder
            .with_client_auth_cert(vec![cert], key)
            .expect("client cert"),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Arc::new(config)
}

fn server_cert_from(plugin: &Plugin) -> CertificateDer<'static> {
    let field = &plugin.fields()[5];
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(field)
        .expect("cert field is unpadded standard base64");
    CertificateDer::from(der)
}

fn serving() -> i32 {
    ServingStatus::Serving as i32
}

// ---------------------------------------------------------------- tests

#[test]
fn without_cookie_explains_and_exits_1() {
    let (status, stdout, stderr) = run_to_end(&[], &[]);
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "", "nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.contains("is a plugin for Terraform/OpenTofu"),
        "{stderr}"
    );
    assert!(stderr.contains("not meant to be run directly"), "{stderr}");

    let (status, stdout, _) = run_to_end(&[], &[("TF_PLUGIN_MAGIC_COOKIE", "wrong")]);
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
}

#[test]
fn version_flag_prints_version() {
    let (status, stdout, _) = run_to_end(&["--version"], &[]);
    assert!(status.success());
    assert_eq!(
        stdout.trim(),
        format!("terraform-provider-eksrole {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn protocol_6_only_is_refused_clearly() {
    let (status, stdout, stderr) = run_to_end(
        &[],
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "6"),
        ],
    );
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert!(stderr.contains("protocol 5"), "{stderr}");
    assert!(stderr.contains("\"6\""), "{stderr}");
}

#[test]
fn protocol_set_in_any_order_chooses_5() {
    for offered in ["6,5", "5,6", "5"] {
        let mut plugin = Plugin::start_plugin(&[("PLUGIN_PROTOCOL_VERSIONS", offered)]);
        assert_eq!(plugin.fields()[1], "5", "{offered}");
        plugin.signal("TERM");
        assert!(plugin.wait_exit(EXIT_LIMIT).is_some());
    }
    // Absent: protocol 5.
    let plugin = Plugin::start(&[], &[("TF_PLUGIN_MAGIC_COOKIE", COOKIE)]);
    assert!(
        plugin.first_line.starts_with("1|5|unix|"),
        "{:?}",
        plugin.first_line
    );
}

#[tokio::test]
async fn plaintext_health_then_shutdown_exits_and_removes_socket() {
    let mut plugin = Plugin::start_plugin(&[]);
    let fields = plugin.fields();
    assert_eq!(fields.len(), 6, "{:?}", plugin.first_line);
    assert_eq!(&fields[..3], ["1", "5", "unix"]);
    assert_eq!(fields[4], "grpc");
    assert_eq!(fields[5], "", "plaintext: empty cert field");
    assert!(plugin.first_line.ends_with("|grpc|\n"));
    let socket = plugin.socket();
    assert!(
        socket.starts_with(plugin.tmpdir()),
        "honours TMPDIR: {socket:?}"
    );
    assert!(socket.exists());

    let channel = plain_channel(socket.clone()).await.expect("connect");
    assert_eq!(health(channel.clone()).await, Ok(serving()));

    // A StreamStdio stream left open (as the CLI does) must not hold up exit.
    let mut stdio = GrpcStdioClient::new(channel.clone())
        .stream_stdio(Empty {})
        .await
        .expect("stdio stream")
        .into_inner();
    let nothing = tokio::time::timeout(Duration::from_millis(50), stdio.message()).await;
    assert!(nothing.is_err(), "stdio sends nothing");

    let asked = Instant::now();
    assert_eq!(shutdown(channel).await, Ok(()));
    let status = plugin
        .wait_exit(EXIT_LIMIT)
        .expect("exits within 2 s of Shutdown");
    assert!(status.success(), "{status:?}");
    assert!(asked.elapsed() < EXIT_LIMIT);
    assert!(!socket.exists(), "socket removed");
    assert!(
        socket.parent().is_some_and(|dir| !dir.exists()),
        "socket dir removed"
    );
}

#[tokio::test]
async fn concurrent_rpcs_are_served() {
    let mut plugin = Plugin::start_plugin(&[]);
    let channel = plain_channel(plugin.socket()).await.expect("connect");
    let calls: Vec<_> = (0..20)
        .map(|_| tokio::spawn(health(channel.clone())))
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("task"), Ok(serving()));
    }
    assert_eq!(shutdown(channel).await, Ok(()));
    assert!(plugin.wait_exit(EXIT_LIMIT).is_some());
}

#[test]
fn plugin_unix_socket_dir_is_honoured() {
    let dir = tempfile::tempdir().expect("dir");
    let dir_str = dir.path().to_str().expect("utf-8 path").to_string();
    let mut plugin = Plugin::start_plugin(&[("PLUGIN_UNIX_SOCKET_DIR", &dir_str)]);
    let socket = plugin.socket();
    assert!(socket.starts_with(dir.path()), "{socket:?}");
    plugin.signal("TERM");
    assert!(plugin.wait_exit(EXIT_LIMIT).is_some());
    assert!(!socket.exists());
}

#[tokio::test]
async fn sigint_is_ignored_and_sigterm_exits_removing_socket() {
    let mut plugin = Plugin::start_plugin(&[]);
    let socket = plugin.socket();
    plugin.signal("INT");
    // Still serving after Ctrl-C: the CLI handles it with Stop + Shutdown.
    let channel = plain_channel(socket.clone()).await.expect("connect");
    assert_eq!(health(channel).await, Ok(serving()));
    assert!(
        plugin.child.try_wait().ok().flatten().is_none(),
        "still running"
    );

    plugin.signal("TERM");
    let status = plugin.wait_exit(EXIT_LIMIT).expect("exits on SIGTERM");
    assert!(status.success(), "{status:?}");
    assert!(!socket.exists(), "socket removed");
}

#[test]
fn panic_in_a_task_prints_panic_line_and_exits_nonzero() {
    let mut plugin = Plugin::start_plugin(&[("EKSROLE_TEST_PANIC_IN_TASK", "1")]);
    let socket = plugin.socket();
    let status = plugin
        .wait_exit(Duration::from_secs(5))
        .expect("the panic ends the process");
    assert!(!status.success());
    assert_eq!(status.code(), Some(2));
    let stderr = plugin.stderr();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("panic: "))
        .unwrap_or_else(|| panic!("no `panic: ` line in {stderr:?}"));
    assert!(line.contains("test panic requested"), "{line}");
    assert!(line.contains("serve.rs"), "location: {line}");
    assert!(!socket.exists(), "socket removed by the panic hook");
}

#[tokio::test]
async fn debug_mode_prints_reattach_json_and_stops_on_ctrl_c() {
    // No cookie: --debug is run by a human.
    let mut plugin = Plugin::start(&["--debug"], &[]);
    let reattach: serde_json::Value = serde_json::from_str(plugin.first_line.trim())
        .unwrap_or_else(|e| panic!("{e}: {:?}", plugin.first_line));
    let entry = &reattach["registry.terraform.io/eksrole/eksrole"];
    assert_eq!(entry["Protocol"], "grpc");
    assert_eq!(entry["ProtocolVersion"], 5);
    assert_eq!(entry["Pid"], plugin.pid());
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Addr"]["Network"], "unix");
    let socket = PathBuf::from(entry["Addr"]["String"].as_str().expect("socket path"));

    let channel = plain_channel(socket.clone()).await.expect("connect");
    assert_eq!(health(channel.clone()).await, Ok(serving()));
    // Shutdown from a CLI run does not end a debug session.
    assert_eq!(shutdown(channel.clone()).await, Ok(()));
    assert_eq!(health(channel).await, Ok(serving()));

    plugin.signal("INT");
    let status = plugin
        .wait_exit(EXIT_LIMIT)
        .expect("Ctrl-C stops debug mode");
    assert!(status.success());
    assert!(!socket.exists());
    assert!(plugin.stderr().contains("TF_REATTACH_PROVIDERS"));
}

#[tokio::test]
async fn auto_mtls_accepts_only_the_cli_cert() {
    let (client_pem, client_cert, client_key) = p521_client_cert();
    let mut plugin =
        Plugin::start_plugin(&[("PLUGIN_CLIENT_CERT", &client_pem), ("TF_LOG", "debug")]);
    let field = plugin.fields()[5].clone();
    assert!(
        !field.is_empty() && !field.contains('='),
        "unpadded base64: {field}"
    );
    let server_cert = server_cert_from(&plugin);

    // The printed cert is X.509 with SAN localhost (and nothing else).
    let roots = {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(server_cert.clone()).expect("parses as X.509");
        Arc::new(roots)
    };
    let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider())
        .build()
        .expect("verifier");
    use rustls::client::danger::ServerCertVerifier as _;
    let localhost = ServerName::try_from("localhost").expect("name");
    let other = ServerName::try_from("example.com").expect("name");
    assert!(verifier
        .verify_server_cert(&server_cert, &[], &localhost, &[], UnixTime::now())
        .is_ok());
    assert!(verifier
        .verify_server_cert(&server_cert, &[], &other, &[], UnixTime::now())
        .is_err());

    let socket = plugin.socket();
    for version in [&rustls::version::TLS13, &rustls::version::TLS12] {
        // (a) the CLI's own P-521 cert: served.
        let config = client_config(
            &server_cert,
            Some((client_cert.clone(), client_key.clone_key())),
            version,
        );
        let channel = tls_channel(socket.clone(), config)
            .await
            .expect("TLS connect");
        assert_eq!(health(channel).await, Ok(serving()), "{version:?}");

        // (b) another P-521 cert: refused.
        let (_, other_cert, other_key) = p521_client_cert();
        let config = client_config(&server_cert, Some((other_cert, other_key)), version);
        let refused = match tls_channel(socket.clone(), config).await {
            Ok(channel) => health(channel).await,
            Err(error) => Err(error),
        };
        assert!(
            refused.is_err(),
            "another cert must be refused ({version:?}): {refused:?}"
        );

        // (c) no cert: refused.
        let config = client_config(&server_cert, None, version);
        let refused = match tls_channel(socket.clone(), config).await {
            Ok(channel) => health(channel).await,
            Err(error) => Err(error),
        };
        assert!(
            refused.is_err(),
            "no cert must be refused ({version:?}): {refused:?}"
        );
    }

    // Plaintext is refused too, and failed handshakes did not kill the server.
    let plain = match plain_channel(socket.clone()).await {
        Ok(channel) => health(channel).await,
        Err(error) => Err(error),
    };
    assert!(plain.is_err(), "plaintext on a TLS server: {plain:?}");
    let config = client_config(
        &server_cert,
        Some((client_cert, client_key)),
        &rustls::version::TLS13,
    );
    let channel = tls_channel(socket.clone(), config)
        .await
        .expect("TLS connect after refusals");
    assert_eq!(health(channel.clone()).await, Ok(serving()));
    assert_eq!(shutdown(channel).await, Ok(()));
    let status = plugin
        .wait_exit(EXIT_LIMIT)
        .expect("exits within 2 s of Shutdown");
    assert!(status.success());
    assert!(!socket.exists());
    // Each refusal was for the right reason (debug log of the failed handshake).
    let stderr = plugin.stderr();
    // At least one refusal per attempt (a client may retry a refused handshake).
    assert!(
        stderr.matches("invalid peer certificate").count() >= 2,
        "{stderr}"
    );
    // At least one refusal per attempt (a client may retry a refused handshake).
    assert!(
        stderr.matches("peer sent no certificates").count() >= 2,
        "{stderr}"
    );
}

#[test]
fn bad_client_cert_is_a_clear_error() {
    let (status, stdout, stderr) = run_to_end(
        &[],
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
            ("PLUGIN_CLIENT_CERT", "not a PEM"),
        ],
    );
    assert_eq!(status.code(), Some(1));
    assert_eq!(stdout, "");
    assert!(stderr.contains("PLUGIN_CLIENT_CERT"), "{stderr}");
}

#[test]
fn logs_are_hclog_json_on_stderr() {
    let mut plugin = Plugin::start_plugin(&[("TF_LOG", "DEBUG")]);
    plugin.signal("TERM");
    assert!(plugin.wait_exit(EXIT_LIMIT).is_some());
    let stderr = plugin.stderr();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert!(!lines.is_empty(), "debug lines expected");
    for line in &lines {
        assert_eq!(line["@module"], "provider.terraform-provider-eksrole");
        assert!(line["@message"].is_string());
        let level = line["@level"].as_str().expect("level");
        assert!(
            ["debug", "info", "warn", "error"].contains(&level),
            "{level}"
        );
        let timestamp = line["@timestamp"].as_str().expect("timestamp");
        let fraction = timestamp.rsplit('.').next().expect("fraction");
        assert_eq!(fraction.len(), "000000Z".len(), "{timestamp}");
    }

    // Without TF_LOG, nothing below warn.
    let mut quiet = Plugin::start_plugin(&[]);
    quiet.signal("TERM");
    assert!(quiet.wait_exit(EXIT_LIMIT).is_some());
    assert_eq!(quiet.stderr(), "");
}
