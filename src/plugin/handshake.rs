//! The go-plugin handshake, as pure functions of the environment: the magic
//! cookie check, protocol version negotiation, the one stdout line the CLI
//! waits for, and the `TF_REATTACH_PROVIDERS` JSON of `--debug` mode.
//! No I/O here: `plugin::run` reads the environment and prints.

use serde_json::json;

/// The variable and value every Terraform/OpenTofu CLI sets when it starts a
/// provider; its absence means a human ran the binary.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// See [`MAGIC_COOKIE_KEY`].
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's own protocol version: the first field of the handshake line.
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The only plugin protocol we speak: tfplugin5.
pub const PROTOCOL_VERSION: u32 = 5;

/// The provider's source address, for the `--debug` reattach JSON.
pub const PROVIDER_SOURCE: &str = "registry.terraform.io/eksrole/eksrole";

/// What the human who ran the binary by hand sees.
pub const NOT_A_PROGRAM_MESSAGE: &str = "This binary is a plugin for Terraform/OpenTofu (provider registry.terraform.io/eksrole/eksrole); it is not meant to be run directly: use it through `terraform` or `tofu` (or run it with --debug to attach a CLI with TF_REATTACH_PROVIDERS).";

/// Why the handshake cannot go ahead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    /// The magic cookie is missing or wrong.
    #[error("{NOT_A_PROGRAM_MESSAGE}")]
    NotStartedByCli,
    /// The CLI offered protocol versions, none of them 5.
    #[error("this provider speaks plugin protocol 5 only, but the CLI offered PLUGIN_PROTOCOL_VERSIONS={offered:?}; use Terraform >= 0.12 or OpenTofu, which support protocol 5")]
    NoCommonProtocol {
        /// The variable's value, as the CLI set it.
        offered: String,
    },
}

/// Checks the magic cookie's value.
pub fn check_cookie(value: Option<&str>) -> Result<(), HandshakeError> {
    match value {
        Some(v) if v == MAGIC_COOKIE_VALUE => Ok(()),
        _ => Err(HandshakeError::NotStartedByCli),
    }
}

/// Chooses the protocol version from `PLUGIN_PROTOCOL_VERSIONS`, a
/// comma-separated set in any order (`5,6` and `6,5` alike). Absent or empty
/// means the CLI predates negotiation and speaks 5.
pub fn negotiate_protocol(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let Some(offered) = offered.filter(|o| !o.trim().is_empty()) else {
        return Ok(PROTOCOL_VERSION);
    };
    let speaks_ours = offered
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
    if speaks_ours {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::NoCommonProtocol {
            offered: offered.to_string(),
        })
    }
}

/// The handshake line, newline included:
/// `1|5|unix|/tmp/…/plugin.sock|grpc|<cert>`. `server_cert` is the
/// unpadded-base64 DER of the AutoMTLS server certificate, or empty when
/// serving plaintext (Terraform 1.0.3 fails on a cert it did not ask for).
pub fn handshake_line(socket_path: &str, server_cert: &str) -> String {
    format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|unix|{socket_path}|grpc|{server_cert}\n")
}

/// The `TF_REATTACH_PROVIDERS` value that points a CLI at a provider already
/// running under `--debug`.
pub fn reattach_json(pid: u32, socket_path: &str) -> String {
    json!({
        PROVIDER_SOURCE: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "unix", "String": socket_path },
        }
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert_eq!(check_cookie(Some(MAGIC_COOKIE_VALUE)), Ok(()));
        assert_eq!(check_cookie(None), Err(HandshakeError::NotStartedByCli));
        assert_eq!(
            check_cookie(Some("x")),
            Err(HandshakeError::NotStartedByCli)
        );
    }

    #[test]
    fn protocol_five_from_any_order_or_absence() {
        for offered in [
            None,
            Some(""),
            Some("5"),
            Some("5,6"),
            Some("6,5"),
            Some(" 4 , 5 "),
        ] {
            assert_eq!(negotiate_protocol(offered), Ok(5), "{offered:?}");
        }
        for offered in ["6", "4,6", "55", "x"] {
            assert!(negotiate_protocol(Some(offered)).is_err(), "{offered}");
        }
    }

    #[test]
    fn line_and_reattach_formats() {
        assert_eq!(
            handshake_line("/tmp/p/plugin.sock", ""),
            "1|5|unix|/tmp/p/plugin.sock|grpc|\n"
        );
        assert_eq!(handshake_line("/s", "QUJD"), "1|5|unix|/s|grpc|QUJD\n");
        let parsed: serde_json::Value =
            serde_json::from_str(&reattach_json(42, "/tmp/s")).expect("JSON");
        let entry = &parsed[PROVIDER_SOURCE];
        assert_eq!(entry["Protocol"], "grpc");
        assert_eq!(entry["ProtocolVersion"], 5);
        assert_eq!(entry["Pid"], 42);
        assert_eq!(entry["Test"], true);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/s");
    }
}
