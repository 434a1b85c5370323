//! `scripts/release` end to end: the artifact set it writes (the zip holding
//! exactly the binary, SHA256SUMS, the manifest, a binary detached signature
//! made with a throwaway GPG key), then both CLIs installing that zip from a
//! *packed* filesystem mirror, recording its hashes in `.terraform.lock.hcl`,
//! refusing it when the lock file names another zip, and applying with it
//! against the testbed.
//!
//! The release build runs once per test process (the script's `cargo build
//! --release` is a no-op when `target/release` is current).

mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use base64::Engine as _;
use support::fixtures::{self, ClusterSpec};
use support::{repo_root, Cli, Run, Workspace, PROVIDER_SOURCE};

const NAME: &str = "terraform-provider-eksrole";
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What one run of `scripts/release` left behind.
struct Release {
    dist: tempfile::TempDir,
    /// The throwaway GnuPG home and the signing key's fingerprint; `None`
    /// when gpg is not installed (the signature checks are then skipped).
    signing: Option<Signing>,
}

struct Signing {
    home: tempfile::TempDir,
    fingerprint: String,
    /// The public key, exported in binary form, for `gpgv --keyring`.
    public_key: PathBuf,
}

impl Release {
    fn path(&self, suffix: &str) -> PathBuf {
        self.dist.path().join(format!("{NAME}_{VERSION}_{suffix}"))
    }

    fn zip(&self) -> PathBuf {
        self.path("linux_amd64.zip")
    }

    fn sums(&self) -> PathBuf {
        self.path("SHA256SUMS")
    }
}

fn output(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

fn checked(command: &mut Command) -> Output {
    let out = output(command);
    assert!(
        out.status.success(),
        "{command:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn gpg_installed() -> bool {
    Command::new("gpg")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn gpg(home: &Path) -> Command {
    let mut command = Command::new("gpg");
    command.env("GNUPGHOME", home).arg("--batch");
    command
}

/// A passphrase-less RSA signing key in a fresh GnuPG home (registries take
/// RSA or DSA keys), and its public half exported for verification.
fn throwaway_key() -> Signing {
    let home = tempfile::tempdir().expect("GnuPG home");
    // gpg warns about (and some versions refuse) a home others can read.
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700))
        .expect("chmod GnuPG home");
    checked(gpg(home.path()).args([
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-generate-key",
        "eksrole release test <release-test@example.invalid>",
        "rsa2048",
        "sign",
        "never",
    ]));
    let listing = checked(gpg(home.path()).args(["--with-colons", "--list-secret-keys"]));
    let fingerprint = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("fpr:"))
        .and_then(|rest| rest.split(':').nth(8))
        .expect("fingerprint of the new key")
        .to_owned();
    let public_key = home.path().join("release-public.gpg");
    checked(gpg(home.path()).args([
        "--output",
        public_key.to_str().expect("utf-8 path"),
        "--export",
        &fingerprint,
    ]));
    Signing {
        home,
        fingerprint,
        public_key,
    }
}

fn release_command(dist: &Path, gnupg_home: Option<&Path>) -> Command {
    let mut command = Command::new("bash");
    command
        .arg("scripts/release")
        .arg("--dist")
        .arg(dist)
        .current_dir(repo_root())
        .env_remove("EKSROLE_GPG_KEY");
    if let Some(home) = gnupg_home {
        command.env("GNUPGHOME", home);
    }
    command
}

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let dist = tempfile::tempdir().expect("dist dir");
        let signing = if gpg_installed() {
            Some(throwaway_key())
        } else {
            eprintln!("gpg is not installed: releasing unsigned and skipping the signature checks");
            None
        };
        let mut command = release_command(dist.path(), signing.as_ref().map(|s| s.home.path()));
        if let Some(signing) = &signing {
            command.args(["--gpg-key", &signing.fingerprint]);
        }
        checked(&mut command);
        if let Some(signing) = &signing {
            // The agent gpg started for signing is not needed any more.
            let _ = Command::new("gpgconf")
                .env("GNUPGHOME", signing.home.path())
                .args(["--kill", "gpg-agent"])
                .output();
        }
        Release { dist, signing }
    })
}

fn sha256_hex(path: &Path) -> String {
    let out = checked(Command::new("sha256sum").arg(path));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("sha256sum output")
        .to_owned()
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// The `h1:` hash both CLIs record for a package: Go's module "dirhash" —
/// SHA-256 over the lines `<sha256 hex>  <file name>\n` of its files, sorted
/// by name — here of the one file the zip holds.
fn h1_of_binary(binary: &Path, name: &str) -> String {
    let summary = format!("{}  {name}\n", sha256_hex(binary));
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), summary).expect("write summary");
    let digest = hex_bytes(&sha256_hex(file.path()));
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The entries of a zip archive as (name, unix mode), from its central
/// directory (read by hand: no zip crate for one test).
fn zip_entries(bytes: &[u8]) -> Vec<(String, u32)> {
    let eocd = bytes
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("end of central directory record");
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let count = u16_at(eocd + 10);
    let mut at = u32_at(eocd + 16) as usize;
    let mut entries = Vec::new();
    for _ in 0..count {
        assert_eq!(
            &bytes[at..at + 4],
            b"PK\x01\x02",
            "central directory header"
        );
        let (name_len, extra_len, comment_len) =
            (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let name = String::from_utf8_lossy(&bytes[at + 46..at + 46 + name_len]).into_owned();
        entries.push((name, u32_at(at + 38) >> 16));
        at += 46 + name_len + extra_len + comment_len;
    }
    entries
}

fn built_binary() -> PathBuf {
    repo_root().join("target/release").join(NAME)
}

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

/// A packed filesystem mirror holding the released zip, and a CLI config that
/// installs the provider from it only.
struct PackedMirror {
    dir: tempfile::TempDir,
}

impl PackedMirror {
    fn new(rel: &Release) -> PackedMirror {
        let dir = tempfile::tempdir().expect("mirror dir");
        let provider_dir = dir.path().join("mirror").join(PROVIDER_SOURCE);
        std::fs::create_dir_all(&provider_dir).expect("mirror layout");
        std::fs::copy(
            rel.zip(),
            provider_dir.join(format!("{NAME}_{VERSION}_linux_amd64.zip")),
        )
        .expect("copy the zip into the mirror");
        std::fs::write(
            dir.path().join("cli.tfrc"),
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_SOURCE}\"]\n  }}\n}}\n",
                dir.path().join("mirror").display()
            ),
        )
        .expect("write CLI config");
        PackedMirror { dir }
    }

    /// Runs the CLI in `ws` with this mirror's config instead of the harness's.
    fn run(&self, ws: &Workspace, args: &[&str]) -> Run {
        let out = output(
            ws.command(args)
                .env("TF_CLI_CONFIG_FILE", self.dir.path().join("cli.tfrc")),
        );
        Run::from(out)
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
    let mirror = PackedMirror::new(rel);
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
    let installed = ws
        .dir
        .path()
        .join(".terraform/providers")
        .join(PROVIDER_SOURCE)
        .join(VERSION)
        .join("linux_amd64")
        .join(&binary);
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
        // The CLIs wrap their messages at 78 columns.
        run.text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("doesn't match any of the checksums"),
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

both_clis!(installs_from_packed_mirror_and_applies);
