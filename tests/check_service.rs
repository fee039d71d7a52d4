//! What answers past the TCP handshake, against real servers on loopback: TLS servers with
//! certificates made for the test (expired, for another name, from an unknown issuer), and
//! a server that greets in another protocol than the target expects.

mod support;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::Value;
use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use support::answers::assert_only_observed;
use support::cli::*;

/// A test CA and a leaf certificate for `names`, valid between the two dates.
struct Pki {
    ca_pem: String,
    leaf_der: Vec<u8>,
    leaf_key_der: Vec<u8>,
}

fn pki(names: &[&str], not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "connfix test CA");
    let ca_cert = ca.clone().self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    leaf.distinguished_name.push(DnType::CommonName, names[0]);
    leaf.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
    leaf.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        leaf_der: leaf_cert.der().to_vec(),
        leaf_key_der: leaf_key.serialize_der(),
    }
}

/// A TLS server on loopback that answers every request with 200, on its own thread and
/// runtime; it stops when the test process ends.
fn tls_server(p: &Pki) -> u16 {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(p.leaf_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(p.leaf_key_der.clone())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut buf = [0u8; 2048];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls
                        .write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        )
                        .await;
                    let _ = tls.shutdown().await;
                });
            }
        });
    });
    port
}

/// `connfix check URL --json` trusting the test CA (as SSL_CERT_FILE does for OpenSSL).
fn check_trusting(ca: Option<&Path>, url: &str) -> (i32, Value) {
    let mut c = connfix();
    if let Some(ca) = ca {
        c.env("SSL_CERT_FILE", ca);
    }
    c.args(["check", url, "--json", "--timeout", "3s"]);
    json_of(c)
}

fn ca_file(dir: &Path, p: &Pki) -> std::path::PathBuf {
    let path = dir.join("ca.pem");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(p.ca_pem.as_bytes())
        .unwrap();
    path
}

fn action(v: &Value) -> String {
    v["verdict"]["action"].as_str().unwrap_or("").to_string()
}

#[test]
fn an_expired_certificate_is_named_with_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let p = pki(&["localhost"], (2020, 1, 1), (2021, 1, 1));
    let port = tls_server(&p);
    let ca = ca_file(dir.path(), &p);
    let (code, v) = check_trusting(Some(&ca), &format!("https://localhost:{port}/"));
    assert_eq!(code, 1);
    assert_verdict(&v, "tls-certificate-expired", "certain");
    let a = action(&v);
    assert!(a.contains("2021-01-01"), "{a}");
    assert!(a.contains("localhost"), "{a}");
    assert_only_observed(&v);
}

#[test]
fn a_certificate_for_another_name_names_the_names_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let p = pki(
        &["other.test", "www.other.test"],
        (2024, 1, 1),
        (2099, 1, 1),
    );
    let port = tls_server(&p);
    let ca = ca_file(dir.path(), &p);
    let (code, v) = check_trusting(Some(&ca), &format!("https://localhost:{port}/"));
    assert_eq!(code, 1);
    assert_verdict(&v, "tls-certificate-name-mismatch", "certain");
    let a = action(&v);
    assert!(a.contains("other.test, www.other.test"), "{a}");
    assert!(a.contains("localhost"), "{a}");
    assert_only_observed(&v);
}

#[test]
fn a_certificate_from_an_unknown_issuer_names_the_issuer() {
    let p = pki(&["localhost"], (2024, 1, 1), (2099, 1, 1));
    let port = tls_server(&p);
    // The machine's own trust store knows nothing of the test CA.
    let (code, v) = check_trusting(None, &format!("https://localhost:{port}/"));
    assert_eq!(code, 1);
    assert_verdict(&v, "tls-certificate-untrusted", "certain");
    assert!(action(&v).contains("connfix test CA"), "{}", action(&v));
    assert_only_observed(&v);
}

#[test]
fn a_good_certificate_is_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let p = pki(&["localhost"], (2024, 1, 1), (2099, 1, 1));
    let port = tls_server(&p);
    let ca = ca_file(dir.path(), &p);
    let (code, v) = check_trusting(Some(&ca), &format!("https://localhost:{port}/"));
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    let service = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "service")
        .expect("the service probe ran");
    assert_eq!(service["data"]["tls"]["subject"], "CN=localhost");
}

/// A server that greets like OpenSSH, then waits.
fn greeter(banner: &'static [u8]) -> u16 {
    let l = loopback_listener();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let mut s = s;
            let _ = s.write_all(banner);
            std::thread::spawn(move || {
                let mut buf = [0u8; 256];
                use std::io::Read;
                while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    port
}

#[test]
fn another_protocol_on_the_port_is_wrong_service() {
    let port = greeter(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    let (code, v) = check(&[&format!("postgres://app@127.0.0.1:{port}/app")]);
    assert_eq!(code, 1);
    assert_verdict(&v, "wrong-service", "certain");
    let a = action(&v);
    assert!(a.contains("OpenSSH_9.2p1"), "{a}");
    assert!(a.contains("PostgreSQL"), "{a}");
    assert!(a.contains(&port.to_string()), "{a}");
    assert_only_observed(&v);
}

#[test]
fn https_to_a_plain_service_that_waits_in_silence_is_tls_mismatch() {
    // Accepts, reads, never answers: like a database waiting for its own startup message.
    let l = loopback_listener();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut s = s;
                let mut buf = [0u8; 512];
                use std::io::Read;
                while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    let (code, v) = check(&[&format!("https://127.0.0.1:{port}/"), "--timeout", "2s"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "tls-mismatch", "likely");
    assert!(has_fact(&v, "tls.no_handshake"), "{}", v["facts"]);
    assert_only_observed(&v);
}
