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
            // Valid for the name the tests use: being self-signed is its only fault.
            "-addext",
            "subjectAltName=DNS:localhost",
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
    // Port 0: the kernel picks a free port as s_server binds, and s_server prints it
    // ("ACCEPT 127.0.0.1:PORT") once it listens. No port is picked first and freed again,
    // so nothing else can take it in between.
    let mut child = Command::new(&openssl)
        .args(["s_server", "-www", "-accept", "127.0.0.1:0"])
        .arg("-key")
        .arg(&key)
        .arg("-cert")
        .arg(&cert)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start openssl s_server");
    let stdout = child.stdout.take().expect("s_server's stdout");
    let mut server = TlsServer {
        port: 0,
        child,
        _dir: dir,
    };
    server.port = accept_port(stdout, Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("openssl s_server did not say where it listens: {e}"));
    Some(server)
}

/// The port of s_server's "ACCEPT 127.0.0.1:PORT" line (bounded wait). The rest of its
/// output is read and dropped on a thread, so a full pipe never stalls the server.
fn accept_port(stdout: std::process::ChildStdout, within: Duration) -> Result<u16, String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = std::io::BufReader::new(stdout);
        let mut seen = String::new();
        let mut line = Vec::new();
        while out.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let text = String::from_utf8_lossy(&line).trim_end().to_string();
            line.clear();
            if let Some(port) = text
                .strip_prefix("ACCEPT ")
                .and_then(|a| a.rsplit_once(':'))
                .and_then(|(_, p)| p.parse::<u16>().ok())
                .filter(|p| *p != 0)
            {
                let _ = tx.send(Ok(port));
                // Drained until s_server exits.
                let _ = std::io::copy(&mut out, &mut std::io::sink());
                return;
            }
            seen.push_str(&text);
            seen.push('\n');
        }
        let _ = tx.send(Err(format!("it stopped first; its output:\n{seen}")));
    });
    rx.recv_timeout(within)
        .unwrap_or_else(|_| Err(format!("no ACCEPT line within {within:?}")))
}

#[test]
fn plain_http_to_a_tls_port() {
    let Some(server) = tls_server() else { return };
    let (code, v) = check(&[&format!("http://127.0.0.1:{}/", server.port)]);
    assert_verdict(&v, "tls-mismatch", "certain");
    assert!(has_fact(&v, "tls.on_tls_port"), "{v}");
    assert_eq!(code, 1);
}

#[test]
fn a_self_signed_certificate_is_named_as_such() {
    let Some(server) = tls_server() else { return };
    // The certificate names localhost and is in date: only its issuer, itself, is unknown.
    // curl says "SSL certificate problem: self-signed certificate" here.
    let (code, v) = check(&[&format!("https://localhost:{}/", server.port)]);
    assert_verdict(&v, "tls-certificate-untrusted", "certain");
    assert!(has_fact(&v, "tls.certificate_untrusted"), "{v}");
    let action = v["verdict"]["action"].as_str().unwrap_or_default();
    assert!(
        action.contains("issued by CN=localhost"),
        "the action does not name the issuer (the certificate itself): {action}"
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
    assert_verdict(&v, "unix-socket-permission", "certain");
    assert_eq!(code, 1);
}
