//! A TLS handshake that records the server's certificate and why it would fail
//! verification (expired, another name, an unknown issuer) instead of stopping at the
//! failure: the handshake is completed with a verifier that remembers the real verdict,
//! then closed before any data is sent.

use super::{Answer, Outcome, Protocol};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertProblem {
    Expired,
    NotYetValid,
    NameMismatch,
    Untrusted,
    Other,
}

impl fmt::Display for CertProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertProblem::Expired => "it has expired",
            CertProblem::NotYetValid => "it is not valid yet",
            CertProblem::NameMismatch => "it is not valid for this name",
            CertProblem::Untrusted => "its issuer is not trusted here",
            CertProblem::Other => "it failed verification",
        })
    }
}

/// The server's certificate as a person checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertInfo {
    pub subject: String,
    /// Subject alternative names (DNS names and IP addresses).
    pub names: Vec<String>,
    pub issuer: String,
    /// RFC 3339, UTC.
    pub not_before: String,
    pub not_after: String,
    /// "TLS 1.3".
    pub version: Option<String>,
    pub problem: Option<CertProblem>,
    /// The verifier's own words for the problem.
    pub detail: Option<String>,
}

/// The end-entity certificate (DER) and the real verifier's verdict on it.
type Seen = (Vec<u8>, Result<(), rustls::Error>);

/// Reads what the verifier was asked and what it said.
#[derive(Debug)]
struct Recording {
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
    seen: Mutex<Option<Seen>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = match &self.inner {
            Some(v) => v
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
                .map(|_| ()),
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        };
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((end_entity.to_vec(), verdict));
        }
        // The handshake goes on so the certificate can be shown; no data is ever sent.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The machine's trusted roots (honouring SSL_CERT_FILE and SSL_CERT_DIR, as OpenSSL does).
fn verifier(provider: &Arc<rustls::crypto::CryptoProvider>) -> Option<Arc<WebPkiServerVerifier>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .ok()
}

pub async fn inspect(addr: SocketAddr, host: &str, within: Duration) -> (Option<CertInfo>, Answer) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let recording = Arc::new(Recording {
        inner: verifier(&provider),
        provider: provider.clone(),
        seen: Mutex::new(None),
    });
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b
            .dangerous()
            .with_custom_certificate_verifier(recording.clone())
            .with_no_client_auth(),
        Err(e) => return (None, failed(format!("TLS set-up failed: {e}"))),
    };
    let name = match ServerName::try_from(host.trim_matches(['[', ']']).to_string()) {
        Ok(n) => n,
        Err(_) => {
            return (
                None,
                failed(format!("'{host}' is not a name TLS can check")),
            );
        }
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let handshake = async {
        let tcp = tokio::net::TcpStream::connect(addr).await?;
        connector.connect(name, tcp).await
    };
    let stream = match tokio::time::timeout(within, handshake).await {
        Err(_) => {
            return (
                None,
                Answer {
                    message: Some("no TLS handshake answer in time".into()),
                    ..Answer::unknown(Outcome::Silent)
                },
            );
        }
        Ok(Err(e)) => return (None, failed(e.to_string())),
        Ok(Ok(s)) => s,
    };
    let version = stream.get_ref().1.protocol_version().map(|v| match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".to_string(),
        rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".to_string(),
        other => format!("{other:?}"),
    });
    drop(stream);
    let seen = recording.seen.lock().ok().and_then(|mut s| s.take());
    let Some((der, verdict)) = seen else {
        return (None, failed("the server sent no certificate".into()));
    };
    let mut info = describe(&der).unwrap_or_else(|| CertInfo {
        subject: "(a certificate connfix could not read)".into(),
        names: Vec::new(),
        issuer: String::new(),
        not_before: String::new(),
        not_after: String::new(),
        version: None,
        problem: None,
        detail: None,
    });
    info.version = version.clone();
    if let Err(e) = verdict {
        let mut problem = problem_of(&e);
        // A self-signed certificate (often a CA certificate served as the server's own)
        // fails for reasons webpki names in many ways; for a person it is one thing: no
        // authority they trust vouches for it.
        if problem == CertProblem::Other && !info.subject.is_empty() && info.subject == info.issuer
        {
            problem = CertProblem::Untrusted;
        }
        info.problem = Some(problem);
        info.detail = Some(e.to_string());
    }
    let answer = Answer {
        product: version,
        ..Answer::of(Protocol::Tls, Outcome::Ready)
    };
    (Some(info), answer)
}

fn failed(message: String) -> Answer {
    Answer {
        message: Some(message),
        ..Answer::unknown(Outcome::Unrecognized)
    }
}

fn problem_of(e: &rustls::Error) -> CertProblem {
    use CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Expired | C::ExpiredContext { .. } => CertProblem::Expired,
            C::NotValidYet | C::NotValidYetContext { .. } => CertProblem::NotYetValid,
            C::NotValidForName | C::NotValidForNameContext { .. } => CertProblem::NameMismatch,
            C::UnknownIssuer => CertProblem::Untrusted,
            _ => CertProblem::Other,
        },
        _ => CertProblem::Other,
    }
}

/// Subject, names, issuer and validity of a DER certificate.
pub fn describe(der: &[u8]) -> Option<CertInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                x509_parser::extensions::GeneralName::DNSName(d) => names.push(d.to_string()),
                x509_parser::extensions::GeneralName::IPAddress(b) => {
                    let ip = match b.len() {
                        4 => <[u8; 4]>::try_from(*b).ok().map(std::net::IpAddr::from),
                        16 => <[u8; 16]>::try_from(*b).ok().map(std::net::IpAddr::from),
                        _ => None,
                    };
                    names.extend(ip.map(|ip| ip.to_string()));
                }
                _ => {}
            }
        }
    }
    let when = |t: &x509_parser::time::ASN1Time| {
        let secs = t.timestamp();
        let at = if secs >= 0 {
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
        } else {
            SystemTime::UNIX_EPOCH
        };
        humantime::format_rfc3339_seconds(at).to_string()
    };
    Some(CertInfo {
        subject: cert.subject().to_string(),
        names,
        issuer: cert.issuer().to_string(),
        not_before: when(&cert.validity().not_before),
        not_after: when(&cert.validity().not_after),
        version: None,
        problem: None,
        detail: None,
    })
}
