//! `scripts/release` end to end: the artifact set it writes (the zip holding
//! exactly the binary, SHA256SUMS, the manifest, a binary detached signature
//! made with a throwaway GPG key), then both CLIs installing that zip from a
//! *packed* filesystem mirror (recording its hashes in `.terraform.lock.hcl`,
//! refusing it when the lock file names another zip, applying with it against
//! the testbed) and from a network mirror on a local HTTPS server (refusing it
//! when the mirror lists another hash).
//!
//! The release build runs once per test process (`support::release`).

mod support;

use std::io::{self, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use support::fixtures::{self, ClusterSpec};
use support::release::{
    built_binary, checked, gpg_installed, h1_of_binary, output, release, release_command,
    sha256_hex, zip_entries, Release, NAME, VERSION,
};
use support::{Cli, Run, Workspace, PROVIDER_SOURCE};

#[test]
fn artifacts() {
    let rel = release();
    let binary = format!("{NAME}_v{VERSION}");

    // The zip holds exactly the binary, executable, and it is the release build.
    let zip = std::fs::read(rel.zip()).expect("read the zip");
    let entries = zip_entries(&zip);
    assert_eq!(
        entries.len(),
        1,
        "the zip holds only the binary: {entries:?}"
    );
    assert_eq!(entries[0].0, binary);
    assert_eq!(entries[0].1 & 0o777, 0o755, "the binary is executable");
    let unpacked = tempfile::tempdir().expect("temp dir");
    checked(
        Command::new("unzip")
            .arg("-q")
            .arg(rel.zip())
            .arg("-d")
            .arg(unpacked.path()),
    );
    assert_eq!(
        sha256_hex(&unpacked.path().join(&binary)),
        sha256_hex(&built_binary()),
        "the zip holds target/release/{NAME}"
    );

    // The manifest declares plugin protocol 5.
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(rel.path("manifest.json")).expect("read the manifest"),
    )
    .expect("manifest is JSON");
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["5.0"]}})
    );

    // SHA256SUMS lists the zip and the manifest, with their real hashes.
    let sums = std::fs::read_to_string(rel.sums()).expect("read SHA256SUMS");
    let listed: Vec<(&str, &str)> = sums
        .lines()
        .map(|line| line.split_once("  ").expect("`<hash>  <name>` line"))
        .collect();
    let zip_name = format!("{NAME}_{VERSION}_linux_amd64.zip");
    let manifest_name = format!("{NAME}_{VERSION}_manifest.json");
    assert_eq!(
        listed.iter().map(|(_, name)| *name).collect::<Vec<_>>(),
        vec![zip_name.as_str(), manifest_name.as_str()]
    );
    for (hash, name) in listed {
        assert_eq!(
            hash,
            sha256_hex(&rel.dist.path().join(name)),
            "hash of {name}"
        );
    }

    // The signature is binary, detached, and verifies with the public key
    // alone; a SHA256SUMS changed by one byte does not.
    let sig_path = rel.path("SHA256SUMS.sig");
    let Some(signing) = &rel.signing else {
        assert!(!sig_path.exists(), "no key, no signature");
        eprintln!("SKIPPED the signature checks: gpg is not installed");
        return;
    };
    let sig = std::fs::read(&sig_path).expect("read SHA256SUMS.sig");
    assert!(
        sig.first().is_some_and(|b| b & 0x80 != 0),
        "the signature is a binary OpenPGP packet, not ASCII armour"
    );
    let gpgv = |data: &Path| {
        output(
            Command::new("gpgv")
                .env("GNUPGHOME", signing.home.path())
                .arg("--keyring")
                .arg(&signing.public_key)
                .arg(&sig_path)
                .arg(data),
        )
    };
    let good = gpgv(&rel.sums());
    assert!(
        good.status.success(),
        "gpgv must accept the signature:\n{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let tampered = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(tampered.path(), format!("{sums}\n")).expect("write tampered copy");
    assert!(
        !gpgv(tampered.path()).status.success(),
        "a changed SHA256SUMS must not verify"
    );
}

/// A key the keyring does not hold fails in a second, before the build, and
/// writes nothing.
#[test]
fn unknown_signing_key_fails_before_building() {
    if !gpg_installed() {
        eprintln!("SKIPPED: gpg is not installed");
        return;
    }
    let home = tempfile::tempdir().expect("GnuPG home");
    let dist = tempfile::tempdir().expect("dist dir");
    let out = output(
        release_command(dist.path(), Some(home.path()))
            .args(["--gpg-key", "nobody@example.invalid"]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "must fail:\n{stderr}");
    assert!(
        stderr.contains("no secret key 'nobody@example.invalid'"),
        "names the key:\n{stderr}"
    );
    assert!(
        !stderr.contains("Compiling"),
        "fails before building:\n{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(dist.path()).expect("list dist").count(),
        0,
        "writes nothing"
    );
}

/// A provider mirror holding the released zip, and a CLI config that installs
/// the provider from it only.
struct Mirror {
    dir: tempfile::TempDir,
    /// Extra environment for the CLI (the network mirror's CA certificate).
    env: Vec<(&'static str, PathBuf)>,
}

impl Mirror {
    /// A *packed* filesystem mirror: the zip right under the provider address.
    fn packed(rel: &Release) -> Mirror {
        let dir = tempfile::tempdir().expect("mirror dir");
        let root = dir.path().join("mirror");
        copy_zip_into(rel, &root);
        let config = format!(
            "filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_SOURCE}\"]\n  }}",
            root.display()
        );
        write_cli_config(dir.path(), &config);
        Mirror {
            dir,
            env: Vec::new(),
        }
    }

    /// A network mirror on a local HTTPS server, laid out as
    /// docs/guides/installing.md says, listing `hash` for the zip.
    fn network(rel: &Release, hash: &str) -> Mirror {
        let dir = tempfile::tempdir().expect("mirror dir");
        let root = dir.path().join("www");
        let provider_dir = copy_zip_into(rel, &root);
        std::fs::write(
            provider_dir.join("index.json"),
            format!("{{\"versions\": {{\"{VERSION}\": {{}}}}}}"),
        )
        .expect("write index.json");
        std::fs::write(
            provider_dir.join(format!("{VERSION}.json")),
            serde_json::json!({"archives": {"linux_amd64": {
                "url": format!("{NAME}_{VERSION}_linux_amd64.zip"),
                "hashes": [hash],
            }}})
            .to_string(),
        )
        .expect("write the version's JSON");
        let (port, cert_pem) = serve_https(root);
        let cert = dir.path().join("mirror-ca.pem");
        std::fs::write(&cert, cert_pem).expect("write the certificate");
        let config = format!(
            "network_mirror {{\n    url     = \"https://localhost:{port}/\"\n    include = [\"{PROVIDER_SOURCE}\"]\n  }}"
        );
        write_cli_config(dir.path(), &config);
        // Go (both CLIs) reads its trusted CAs from SSL_CERT_FILE.
        Mirror {
            dir,
            env: vec![("SSL_CERT_FILE", cert)],
        }
    }

    /// Runs the CLI in `ws` with this mirror's config instead of the harness's.
    fn run(&self, ws: &Workspace, args: &[&str]) -> Run {
        let mut command = ws.command(args);
        command.env("TF_CLI_CONFIG_FILE", self.dir.path().join("cli.tfrc"));
        for (key, value) in &self.env {
            command.env(key, value);
        }
        Run::from(output(&mut command))
    }

    fn ok(&self, ws: &Workspace, args: &[&str]) -> Run {
        let run = self.run(ws, args);
        assert!(run.ok, "{:?} {args:?} failed:\n{}", ws.cli, run.text());
        run
    }

    /// A clean `init`, after writing `lock` as the lock file (or none).
    fn init(&self, ws: &Workspace, lock: Option<&str>) -> Run {
        let _ = std::fs::remove_dir_all(ws.dir.path().join(".terraform"));
        let lock_path = ws.dir.path().join(".terraform.lock.hcl");
        match lock {
            Some(text) => std::fs::write(&lock_path, text).expect("write lock file"),
            None => {
                let _ = std::fs::remove_file(&lock_path);
            }
        }
        self.run(ws, &["init", "-input=false", "-no-color"])
    }
}

/// Copies the release zip to `<root>/<provider address>/` and returns that directory.
fn copy_zip_into(rel: &Release, root: &Path) -> PathBuf {
    let provider_dir = root.join(PROVIDER_SOURCE);
    std::fs::create_dir_all(&provider_dir).expect("mirror layout");
    std::fs::copy(
        rel.zip(),
        provider_dir.join(format!("{NAME}_{VERSION}_linux_amd64.zip")),
    )
    .expect("copy the zip into the mirror");
    provider_dir
}

fn write_cli_config(dir: &Path, installation_method: &str) {
    std::fs::write(
        dir.join("cli.tfrc"),
        format!("provider_installation {{\n  {installation_method}\n}}\n"),
    )
    .expect("write CLI config");
}

/// A static HTTPS file server for `root` on 127.0.0.1 (the CLIs take network
/// mirrors only at https: URLs), with a fresh self-signed certificate for
/// `localhost`; returns its port and the certificate in PEM.
fn serve_https(root: PathBuf) -> (u16, String) {
    let key = rcgen::KeyPair::generate().expect("key pair");
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned()]).expect("certificate params");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key).expect("self-signed certificate");
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("TLS server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the mirror");
    let port = listener.local_addr().expect("mirror address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (config, root) = (config.clone(), root.clone());
            std::thread::spawn(move || serve_one(stream, config, &root));
        }
    });
    (port, cert.pem())
}

/// Answers one GET with the file under `root`, or 404, then closes.
fn serve_one(stream: TcpStream, config: Arc<rustls::ServerConfig>, root: &Path) -> io::Result<()> {
    let conn = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") {
        if tls.read(&mut byte)? == 0 {
            return Ok(());
        }
        request.push(byte[0]);
    }
    let request = String::from_utf8_lossy(&request);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = root.join(path.trim_start_matches('/'));
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", Vec::new()),
    };
    let content_type = if path.ends_with(".json") {
        "application/json"
    } else {
        "application/zip"
    };
    write!(
        tls,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    tls.write_all(&body)?;
    tls.conn.send_close_notify();
    tls.flush()
}

/// The hashes recorded for the provider in a workspace's lock file.
fn locked_hashes(ws: &Workspace) -> Vec<String> {
    let text = std::fs::read_to_string(ws.dir.path().join(".terraform.lock.hcl"))
        .expect("read .terraform.lock.hcl");
    assert!(
        text.contains(&format!("provider \"{PROVIDER_SOURCE}\"")),
        "{text}"
    );
    assert!(text.contains(&format!("version = \"{VERSION}\"")), "{text}");
    text.lines()
        .map(|line| line.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|line| line.starts_with("h1:") || line.starts_with("zh:"))
        .map(str::to_owned)
        .collect()
}

fn lock_file(hash: &str) -> String {
    format!("provider \"{PROVIDER_SOURCE}\" {{\n  version = \"{VERSION}\"\n  hashes = [\n    \"{hash}\",\n  ]\n}}\n")
}

fn installs_from_packed_mirror_and_applies(cli: Cli) {
    let rel = release();
    let mirror = Mirror::packed(rel);
    let binary = format!("{NAME}_v{VERSION}");
    let h1 = h1_of_binary(&built_binary(), &binary);
    let zh = format!("zh:{}", sha256_hex(&rel.zip()));

    let cluster = fixtures::unique(&format!("release-{cli:?}").to_lowercase());
    fixtures::create_cluster(&ClusterSpec {
        name: cluster.clone(),
        mode: "API",
        oidc_registered: false,
        pod_identity_agent: true,
    });
    let ws = Workspace::new(
        cli,
        &format!(
            "PROVIDER\nresource \"eksrole_workload_identity\" \"app\" {{\n  cluster_name    = \"{cluster}\"\n  \
             namespace       = \"release\"\n  service_account = \"app\"\n}}\n\n\
             output \"role_name\" {{ value = eksrole_workload_identity.app.role_name }}\n"
        ),
    );

    // A first init unpacks the zip and records the h1: hash of its contents
    // (a filesystem mirror has no signed SHA256SUMS, so no zh: hash yet).
    let run = mirror.init(&ws, None);
    assert!(run.ok, "{cli:?} init failed:\n{}", run.text());
    assert_eq!(locked_hashes(&ws), vec![h1.clone()]);
    let installed = installed_binary(&ws);
    assert_eq!(
        sha256_hex(&installed),
        sha256_hex(&built_binary()),
        "the installed plugin is the released binary"
    );

    // A lock file naming another zip (as pinned from another release's
    // SHA256SUMS) makes init refuse the package.
    let run = mirror.init(&ws, Some(&lock_file(&format!("zh:{}", "0".repeat(64)))));
    assert!(
        !run.ok,
        "a zh: hash of another zip must be refused:\n{}",
        run.text()
    );
    assert!(
        one_line(&run.text()).contains("doesn't match any of the checksums"),
        "{cli:?} names the checksum mismatch:\n{}",
        run.text()
    );

    // Pinned with the zip's line of SHA256SUMS, init accepts the package and
    // records both hashes.
    let run = mirror.init(&ws, Some(&lock_file(&zh)));
    assert!(
        run.ok,
        "{cli:?} init pinned by SHA256SUMS failed:\n{}",
        run.text()
    );
    let mut hashes = locked_hashes(&ws);
    hashes.sort();
    assert_eq!(hashes, vec![h1, zh]);

    // And the installed release applies against the testbed.
    mirror.ok(
        &ws,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let outputs = mirror.ok(&ws, &["output", "-json", "-no-color"]);
    let outputs: serde_json::Value = serde_json::from_str(&outputs.stdout).expect("outputs JSON");
    let role = outputs["role_name"]["value"].as_str().expect("role name");
    assert!(fixtures::role_exists(role), "{cli:?} created role {role}");
    assert_eq!(
        fixtures::associations(&cluster).len(),
        1,
        "one Pod Identity association"
    );
    let plan = mirror.run(
        &ws,
        &["plan", "-input=false", "-no-color", "-detailed-exitcode"],
    );
    assert_eq!(
        plan.code,
        Some(0),
        "empty plan after apply:\n{}",
        plan.text()
    );
    mirror.ok(
        &ws,
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(
        !fixtures::role_exists(role),
        "{cli:?} destroyed role {role}"
    );
}

/// The zip's hash as `SHA256SUMS` lists it, as a `zh:` lock-file hash.
fn zh_from_sums(rel: &Release) -> String {
    let zip_name = format!("{NAME}_{VERSION}_linux_amd64.zip");
    let sums = std::fs::read_to_string(rel.sums()).expect("read SHA256SUMS");
    let hash = sums
        .lines()
        .find_map(|line| line.strip_suffix(zip_name.as_str()))
        .expect("SHA256SUMS lists the zip")
        .trim();
    format!("zh:{hash}")
}

fn installs_from_network_mirror(cli: Cli) {
    let rel = release();
    let binary = format!("{NAME}_v{VERSION}");
    let h1 = h1_of_binary(&built_binary(), &binary);
    let zh = zh_from_sums(rel);
    // No PROVIDER block: installing needs no testbed.
    let ws = Workspace::new(
        cli,
        &format!(
            "terraform {{\n  required_providers {{\n    eksrole = {{ source = \"{PROVIDER_SOURCE}\" }}\n  }}\n}}\n"
        ),
    );

    // The mirror lists the zip's SHA256SUMS hash: init checks the download
    // against it, installs the released binary, and records its h1: hash
    // (both CLIs keep zh: hashes only from a registry's signed SHA256SUMS).
    let mirror = Mirror::network(rel, &zh);
    let run = mirror.init(&ws, None);
    assert!(
        run.ok,
        "{cli:?} init from the network mirror failed:\n{}",
        run.text()
    );
    assert_eq!(locked_hashes(&ws), vec![h1]);
    let installed = installed_binary(&ws);
    assert_eq!(sha256_hex(&installed), sha256_hex(&built_binary()));

    // A mirror listing another hash for the zip is refused.
    let wrong = Mirror::network(rel, &format!("zh:{}", "0".repeat(64)));
    let run = wrong.init(&ws, None);
    assert!(
        !run.ok,
        "{cli:?} must refuse a zip the mirror's hashes do not match:\n{}",
        run.text()
    );
    assert!(
        one_line(&run.text()).contains("doesn't match the expected checksum"),
        "{cli:?} names the checksum mismatch:\n{}",
        run.text()
    );
}

/// Where `init` unpacked the provider in a workspace.
fn installed_binary(ws: &Workspace) -> PathBuf {
    ws.dir
        .path()
        .join(".terraform/providers")
        .join(PROVIDER_SOURCE)
        .join(VERSION)
        .join("linux_amd64")
        .join(format!("{NAME}_v{VERSION}"))
}

/// The CLIs wrap their messages at 78 columns.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

both_clis!(
    installs_from_packed_mirror_and_applies,
    installs_from_network_mirror
);
