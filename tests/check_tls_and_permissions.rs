//! Faults that need an outside program: a real TLS server (openssl s_server) and a user
//! without permission (setpriv, as root).

mod support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::cli::*;

/// A TLS server with a throwaway self-signed certificate; killed on drop.
struct TlsServer {
    port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tls_server() -> Option<TlsServer> {
    let openssl = support::find_program("openssl");
    if !support::require(
        openssl.is_some(),
        "TLS test",
        "needs openssl (Debian package openssl)",
    ) {
        return None;
    }
    let openssl = openssl?;
    let dir = tempfile::tempdir().ok()?;
    let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
    let made = Command::new(&openssl)
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl req");
    assert!(made.success(), "openssl could not make a certificate");
    let port = support::free_port();
    let child = Command::new(&openssl)
        .args([
            "s_server",
            "-quiet",
            "-www",
            "-accept",
            &format!("127.0.0.1:{port}"),
        ])
        .arg("-key")
        .arg(&key)
        .arg("-cert")
        .arg(&cert)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start openssl s_server");
    let server = TlsServer {
        port,
        child,
        _dir: dir,
    };
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    assert!(
        support::wait_listening(addr, Duration::from_secs(5)),
        "s_server did not start"
    );
    Some(server)
}

#[test]
fn plain_http_to_a_tls_port() {
    let Some(server) = tls_server() else { return };
    let (code, v) = check(&[&format!("http://127.0.0.1:{}/", server.port)]);
    assert_verdict(&v, "tls-mismatch");
    assert!(has_fact(&v, "tls.on_tls_port"), "{v}");
    assert_eq!(code, 1);
}

#[test]
fn a_self_signed_certificate_is_named_as_such() {
    let Some(server) = tls_server() else { return };
    let (code, v) = check(&[&format!("https://127.0.0.1:{}/", server.port)]);
    assert!(has_fact(&v, "tls.handshake_failed"), "{v}");
    assert!(
        v["causes"][0]["evidence"]
            .to_string()
            .contains("certificate"),
        "{v}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_socket_the_user_may_not_open() {
    let ok = support::is_root() && support::have("setpriv");
    if !support::require(
        ok,
        "unix permission test",
        "needs root and setpriv (util-linux) to act as another user",
    ) {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("daemon.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut c = Command::new("setpriv");
    c.args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        BIN,
        "check",
        path.to_str().unwrap(),
        "--json",
    ]);
    isolate(&mut c);
    let (code, v) = json_of(c);
    assert_verdict(&v, "unix-socket-permission");
    assert_eq!(code, 1);
}
