//! AutoMTLS: the CLI gives us its client certificate in `PLUGIN_CLIENT_CERT`;
//! we make a fresh self-signed server certificate, announce it in the
//! handshake line, and accept only TLS connections from that exact client
//! certificate.
//!
//! Why a hand-written client-cert verifier: the CLIs' client certificate is a
//! self-signed ECDSA P-521/SHA-512 `CA:TRUE` cert. Every check a WebPKI
//! verifier would do is beside the point (there is no chain; the cert *is*
//! the trust); what matters is (a) a cert is required, (b) its DER is
//! byte-equal to the one we were given, and (c) the handshake signature is
//! checked with algorithms that include P-521 — with the `ring` provider the
//! server omits `ecdsa_secp521r1_sha512` from its CertificateRequest, the Go
//! client then silently sends no cert, and an "optional" verifier lets anyone
//! in. We use the aws-lc-rs provider, whose verification algorithms include
//! P-521, and make the cert mandatory.

use std::sync::Arc;

use base64::Engine as _;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

/// Why AutoMTLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// `PLUGIN_CLIENT_CERT` holds no PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not hold a PEM certificate: {0}")]
    BadClientCert(String),
    /// rcgen could not make the server key or certificate.
    #[error("cannot generate the server certificate: {0}")]
    CertGeneration(#[from] rcgen::Error),
    /// rustls rejected the configuration.
    #[error("cannot configure TLS: {0}")]
    Config(#[from] rustls::Error),
}

/// A ready TLS server set-up: the rustls config to accept with, and the cert
/// field of the handshake line.
#[derive(Debug, Clone)]
pub struct AutoMtls {
    /// Server config requiring exactly the CLI's client certificate.
    pub server_config: Arc<rustls::ServerConfig>,
    /// Base64 (standard alphabet, no padding: Go's `RawStdEncoding`) of the
    /// server certificate's DER, for the handshake line.
    pub server_cert_field: String,
}

/// Builds the AutoMTLS server from the CLI's PEM client certificate: parses
/// it, generates a P-256 server key and a self-signed certificate for
/// `localhost` (fresh per process: nothing is written to disk), and builds a
/// TLS 1.2/1.3 server config with ALPN `h2` that requires that client cert.
pub fn auto_mtls(client_cert_pem: &str) -> Result<AutoMtls, TlsError> {
    let client_cert = CertificateDer::from_pem_slice(client_cert_pem.as_bytes())
        .map_err(|e| TlsError::BadClientCert(e.to_string()))?;
    let (server_cert, server_key) = generate_server_cert()?;
    let server_cert_field = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&server_cert);

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = ExactClientCert::new(client_cert, &provider);
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(vec![server_cert], server_key)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(AutoMtls {
        server_config: Arc::new(config),
        server_cert_field,
    })
}

/// A self-signed P-256 server certificate with SAN `DNS:localhost` (the name
/// go-plugin's client verifies) and its PKCS#8 key. Not a CA: the CLI trusts
/// this very certificate, and WebPKI-style verifiers refuse a CA cert as an
/// end entity.
fn generate_server_cert() -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), TlsError> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.distinguished_name.push(
        rcgen::DnType::OrganizationName,
        "terraform-provider-eksrole",
    );
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyAgreement,
    ];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key)?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key_der))
}

/// Accepts exactly one client certificate, byte for byte, and checks the
/// handshake signatures with the provider's algorithms (P-521 included).
#[derive(Debug)]
pub struct ExactClientCert {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ExactClientCert {
    /// A verifier for `expected`, verifying signatures with `provider`'s
    /// algorithms.
    pub fn new(expected: CertificateDer<'static>, provider: &CryptoProvider) -> Self {
        Self {
            expected,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for ExactClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // An empty list tells the client to send whatever cert it has; the
        // CLI has exactly one.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p521_ca_pem() -> String {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("keygen");
        let mut params =
            rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).expect("sign").pem()
    }

    #[test]
    fn verifier_offers_p521_and_requires_the_exact_cert() {
        let pem = p521_ca_pem();
        let expected = CertificateDer::from_pem_slice(pem.as_bytes()).expect("pem");
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let verifier = ExactClientCert::new(expected.clone(), &provider);
        assert!(verifier.client_auth_mandatory());
        assert!(verifier
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
        assert!(verifier
            .verify_client_cert(&expected, &[], UnixTime::now())
            .is_ok());
        let other = CertificateDer::from_pem_slice(p521_ca_pem().as_bytes()).expect("pem");
        assert!(verifier
            .verify_client_cert(&other, &[], UnixTime::now())
            .is_err());
    }

    #[test]
    fn auto_mtls_prints_unpadded_base64_and_rejects_garbage() {
        let mtls = auto_mtls(&p521_ca_pem()).expect("config");
        assert!(!mtls.server_cert_field.is_empty());
        assert!(!mtls.server_cert_field.contains('='));
        assert_eq!(mtls.server_config.alpn_protocols, vec![b"h2".to_vec()]);
        assert!(matches!(
            auto_mtls("not a cert"),
            Err(TlsError::BadClientCert(_))
        ));
    }
}
