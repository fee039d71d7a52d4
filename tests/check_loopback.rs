//! `connfix check` against real faults built on loopback: each test makes the fault for real
//! and asserts the verdict a user would see in the JSON, and the exit code.

mod support;

use std::net::{SocketAddr, TcpListener};
use support::cli::*;

#[test]
fn nothing_listening_is_certain() {
    let port = closed_port();
    let (code, v) = check(&[&format!("127.0.0.1:{port}")]);
    assert_verdict(&v, "nothing-listening", "certain");
    assert_eq!(code, 1);
    assert!(has_fact(&v, "tcp.refused") && has_fact(&v, "listener.none"));
    let tcp = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "tcp")
        .unwrap();
    assert_eq!(tcp["status"], "problem");
    assert_eq!(tcp["data"]["attempts"][0]["errno"], 111);
}

#[test]
fn listener_on_a_nearby_port_is_wrong_port() {
    // The service is on P+1; the client asks for P.
    let (service, client_port) = (0..ATTEMPTS)
        .find_map(|_| {
            let l = loopback_listener();
            let p = l.local_addr().unwrap().port();
            TcpListener::bind(("127.0.0.1", p - 1))
                .is_ok()
                .then_some((l, p - 1))
        })
        .unwrap_or_else(|| panic!("no free port below a listener in {ATTEMPTS} attempts"));
    let (code, v) = check(&[&format!("127.0.0.1:{client_port}")]);
    assert_verdict(&v, "wrong-port", "likely");
    assert_eq!(code, 1);
    let evidence = v["causes"][0]["evidence"].to_string();
    assert!(
        evidence.contains(&service.local_addr().unwrap().to_string()),
        "{evidence}"
    );
    // The owning process (this test) is named.
    assert!(
        evidence.contains(&format!("pid {}", std::process::id())),
        "{evidence}"
    );
}

#[test]
fn listener_on_127_0_0_1_only_while_target_is_another_own_address() {
    let l = loopback_listener();
    let port = l.local_addr().unwrap().port();
    // 127.0.0.2 is this host too (all of 127/8 is loopback), but nothing is bound there.
    let (code, v) = check(&[&format!("127.0.0.2:{port}")]);
    assert_verdict(&v, "bind-address-mismatch", "certain");
    assert_eq!(code, 1);
}

/// How often a test tries again for a port with the right neighbours before it fails.
const ATTEMPTS: usize = 50;

/// False (after saying why; a failure under CI=true) when ::1 cannot be bound.
fn have_v6_loopback() -> bool {
    support::require(
        TcpListener::bind("[::1]:0").is_ok(),
        "IPv6 loopback test",
        "::1 is not configured on lo",
    )
}

#[test]
fn listener_on_ipv6_only_while_target_is_ipv4() {
    if !have_v6_loopback() {
        return;
    }
    // A port held on ::1 that nothing holds on 127.0.0.1; a port someone else has on IPv4
    // proves nothing, so another one is tried.
    let (l, port) = (0..ATTEMPTS)
        .find_map(|_| {
            let l = TcpListener::bind("[::1]:0").expect("bind [::1]:0");
            let port = l.local_addr().unwrap().port();
            TcpListener::bind(("127.0.0.1", port))
                .is_ok()
                .then_some((l, port))
        })
        .unwrap_or_else(|| {
            panic!("every port bound on ::1 was taken on 127.0.0.1 ({ATTEMPTS} attempts)")
        });
    let (_, v) = check(&[&format!("127.0.0.1:{port}")]);
    assert_verdict(&v, "ipv6-ipv4-mismatch", "certain");
    assert!(v["causes"][0]["evidence"].to_string().contains("[::1]"));
    drop(l);
}

#[test]
fn listener_on_ipv4_only_while_target_is_ipv6() {
    if !have_v6_loopback() {
        return;
    }
    let l = loopback_listener();
    let port = l.local_addr().unwrap().port();
    let (code, v) = check(&[&format!("[::1]:{port}")]);
    assert_verdict(&v, "ipv6-ipv4-mismatch", "certain");
    assert_eq!(code, 1);
}

#[test]
fn healthy_http_server_exits_zero() {
    let server = serve(loopback_listener(), http_200);
    let (code, v) = check(&[&format!("http://{}/health", server.addr)]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    let http = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "http")
        .unwrap();
    assert_eq!(http["data"]["status"], 200);
    assert_eq!(http["data"]["server"], "connfix-test");
}

#[test]
fn http_503_is_an_http_error() {
    let server = serve(loopback_listener(), http_503);
    let (code, v) = check(&[&format!("http://{}/", server.addr)]);
    assert_verdict(&v, "http-error", "certain");
    assert_eq!(code, 1);
}

#[test]
fn https_to_a_plain_http_port_is_a_tls_mismatch() {
    let server = serve(loopback_listener(), http_200);
    let (code, v) = check(&[&format!("https://{}/", server.addr)]);
    assert_verdict(&v, "tls-mismatch", "certain");
    assert!(has_fact(&v, "tls.plain_port"));
    assert_eq!(code, 1);
}

#[test]
fn a_server_that_accepts_and_resets() {
    let server = serve(loopback_listener(), reset_at_once);
    let (code, v) = check(&[&server.addr.to_string()]);
    assert_verdict(&v, "connection-reset", "certain");
    assert_eq!(code, 1);
}

#[test]
fn a_dead_proxy_in_https_proxy() {
    let server = serve(loopback_listener(), http_200);
    let proxy_port = closed_port();
    let mut c = connfix();
    c.env(
        "HTTPS_PROXY",
        format!("http://user:s3cret@127.0.0.1:{proxy_port}"),
    );
    c.args(["check", &format!("https://{}/", server.addr), "--json"]);
    let (code, v) = json_of(c);
    assert_verdict(&v, "proxy-unreachable", "certain");
    assert_eq!(code, 1);
    assert!(
        !v.to_string().contains("s3cret"),
        "the proxy password leaked"
    );
}

#[test]
fn no_proxy_exempts_the_target() {
    let server = serve(loopback_listener(), http_200);
    let mut c = connfix();
    c.env("HTTP_PROXY", format!("http://127.0.0.1:{}", closed_port()));
    c.env("NO_PROXY", "localhost,127.0.0.1");
    c.args(["check", &format!("http://{}/", server.addr), "--json"]);
    let (code, v) = json_of(c);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    assert!(has_fact(&v, "proxy.bypassed"));
}

#[test]
fn missing_and_stale_unix_sockets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sock");
    let (code, v) = check(&[&format!("unix:{}", path.display())]);
    assert_verdict(&v, "unix-socket-missing", "certain");
    assert_eq!(code, 1);

    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let (code, v) = check(&[path.to_str().unwrap()]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    drop(listener); // the file stays behind: a stale socket
    let (_, v) = check(&[path.to_str().unwrap()]);
    assert_verdict(&v, "unix-socket-stale", "certain");
}

#[test]
fn public_target_on_a_private_address() {
    let server = serve(loopback_listener(), http_200);
    let (code, v) = check(&[&format!("http://{}/hook", server.addr), "--public"]);
    assert_verdict(&v, "private-address-for-public-service", "certain");
    assert_eq!(code, 1);
}

#[test]
fn answers_change_the_path_and_the_verdict() {
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let (_, before) = check(&[&target]);
    let keys: Vec<&str> = before["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["key"].as_str())
        .collect();
    assert!(keys.contains(&"intermittent"), "{keys:?}");
    let (_, after) = check(&[
        &target,
        "--answer",
        "intermittent=yes",
        "--answer",
        "recent_change=yes",
    ]);
    assert_verdict(&after, "startup-race", "likely");
    let step = after["path"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["node"] == "intermittent")
        .unwrap();
    assert_eq!(step["by"], "person");
    assert_eq!(step["answer"], "yes");
    assert!(!after["questions"].to_string().contains("intermittent"));
}

#[test]
fn in_a_container_localhost_is_the_container() {
    let port = closed_port();
    let mut c = connfix();
    // podman and systemd-nspawn announce themselves with this variable.
    c.env("container", "podman");
    c.args(["check", &format!("localhost:{port}"), "--json"]);
    let (_, v) = json_of(c);
    assert_verdict(&v, "container-localhost", "likely");
}

#[test]
fn a_full_accept_queue() {
    // Backlog 0 holds one connection; nothing ever accepts, so the next SYN is dropped.
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
        .unwrap();
    sock.listen(0).unwrap();
    let addr = sock.local_addr().unwrap().as_socket().unwrap();
    let _held: Vec<_> = (0..2)
        .filter_map(|_| {
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(300)).ok()
        })
        .collect();
    let (code, v) = check(&[&addr.to_string(), "--timeout", "1s"]);
    assert_verdict(&v, "listen-backlog-full", "certain");
    assert_eq!(code, 1);
}

#[test]
fn text_output_is_a_readable_summary() {
    let port = closed_port();
    let out = run(&["check", &format!("127.0.0.1:{port}")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("✗ tcp"), "{text}");
    assert!(text.contains("Verdict: Nothing is listening"), "{text}");
    assert!(text.contains("Fix"), "{text}");
    assert!(!text.contains("\x1b["), "NO_COLOR must disable colour");
}

#[test]
fn an_ipv6_only_wildcard_listener_takes_no_ipv4() {
    // nginx's `listen [::]:PORT;` sets IPV6_V6ONLY: the port is open, but not over IPv4.
    let sock = socket2::Socket::new(socket2::Domain::IPV6, socket2::Type::STREAM, None).unwrap();
    sock.set_only_v6(true).unwrap();
    let bound = sock
        .bind(&"[::]:0".parse::<SocketAddr>().unwrap().into())
        .is_ok();
    if !support::require(bound, "IPv6 wildcard test", "IPv6 is not available") {
        return;
    }
    sock.listen(8).unwrap();
    let port = sock.local_addr().unwrap().as_socket().unwrap().port();
    let (code, v) = check(&[&format!("127.0.0.1:{port}")]);
    assert_verdict(&v, "ipv6-ipv4-mismatch", "certain");
    assert_eq!(code, 1);
}
