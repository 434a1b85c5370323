//! `scripts/release` for the tests that use its artifacts: one run per test
//! process (the script's `cargo build --release` is a no-op when
//! `target/release` is current), signing with a throwaway GPG key when gpg is
//! installed; and the hashes the CLIs record for a provider package.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use base64::Engine as _;

use super::repo_root;

pub const NAME: &str = "terraform-provider-eksrole";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What one run of `scripts/release` left behind.
pub struct Release {
    pub dist: tempfile::TempDir,
    /// The throwaway GnuPG home and the signing key's fingerprint; `None`
    /// when gpg is not installed (the signature checks are then skipped).
    pub signing: Option<Signing>,
}

pub struct Signing {
    pub home: tempfile::TempDir,
    pub fingerprint: String,
    /// The public key, exported in binary form, for `gpgv --keyring`.
    pub public_key: PathBuf,
}

impl Release {
    pub fn path(&self, suffix: &str) -> PathBuf {
        self.dist.path().join(format!("{NAME}_{VERSION}_{suffix}"))
    }

    pub fn zip(&self) -> PathBuf {
        self.path("linux_amd64.zip")
    }

    pub fn sums(&self) -> PathBuf {
        self.path("SHA256SUMS")
    }
}

pub fn output(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

pub fn checked(command: &mut Command) -> Output {
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

pub fn gpg_installed() -> bool {
    Command::new("gpg")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

pub fn gpg(home: &Path) -> Command {
    let mut command = Command::new("gpg");
    command.env("GNUPGHOME", home).arg("--batch");
    command
}

/// A passphrase-less RSA signing key in a fresh GnuPG home (registries take
/// RSA or DSA keys), and its public half exported for verification.
pub fn throwaway_key() -> Signing {
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

pub fn release_command(dist: &Path, gnupg_home: Option<&Path>) -> Command {
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

pub fn release() -> &'static Release {
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

pub fn sha256_hex(path: &Path) -> String {
    let out = checked(Command::new("sha256sum").arg(path));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("sha256sum output")
        .to_owned()
}

pub fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// The `h1:` hash both CLIs record for a package: Go's module "dirhash" —
/// SHA-256 over the lines `<sha256 hex>  <file name>\n` of its files, sorted
/// by name — here of the one file the zip holds.
pub fn h1_of_binary(binary: &Path, name: &str) -> String {
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
pub fn zip_entries(bytes: &[u8]) -> Vec<(String, u32)> {
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

/// The binary `scripts/release` packed (cargo's target directory may be moved
/// with `CARGO_TARGET_DIR`).
pub fn built_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| repo_root().join("target"), |dir| repo_root().join(dir));
    target.join("release").join(NAME)
}
