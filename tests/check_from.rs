//! `--from`: diagnosing as seen from another network namespace (an `ip netns`, or a
//! process's), for check, wait and watch, against listeners the tests open inside
//! namespaces they create. The host itself sees nothing there.

mod support;

use serde_json::Value;
use support::Netns;
use support::cli::*;

fn available() -> bool {
    support::require(
        support::can_netns(),
        "--from test",
        "needs root and permission to create network namespaces",
    )
}

/// A namespace whose hosts file names `app.test`, with a listener on 127.0.0.1 there.
fn staged() -> (Netns, std::net::TcpListener, u16) {
    let ns = Netns::new();
    ns.set_hosts("127.0.0.1 localhost\n127.0.0.1 app.test\n");
    // A resolver that never answers: the hosts file must be enough.
    ns.set_resolv_conf("nameserver 127.0.0.77\n");
    let l = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = l.local_addr().unwrap().port();
    (ns, l, port)
}

fn from(ns: &Netns) -> String {
    format!("netns:{}", ns.name)
}

#[test]
fn check_from_a_namespace_sees_its_listener_and_its_hosts_file() {
    if !available() {
        return;
    }
    let (ns, _l, port) = staged();
    let (code, v) = check(&[
        &format!("app.test:{port}"),
        "--from",
        &from(&ns),
        "--timeout",
        "2s",
    ]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    assert_eq!(v["from"]["kind"], "netns");
    assert_eq!(v["from"]["name"], ns.name.as_str());
    assert!(has_fact(&v, "dns.hosts_file"), "{}", v["facts"]);
    // From the host, the same address has nothing behind it.
    let (code, v) = check(&[&format!("127.0.0.1:{port}")]);
    assert_eq!(code, 1);
    assert!(v["from"].is_null());
}

#[test]
fn check_from_a_process_uses_its_namespace() {
    if !available() {
        return;
    }
    let (ns, _l, port) = staged();
    let mut sleeper = ns.command("sleep").arg("30").spawn().unwrap();
    let pid = sleeper.id();
    let (code, v) = check(&[
        &format!("127.0.0.1:{port}"),
        "--from",
        &format!("pid:{pid}"),
    ]);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    assert_eq!(v["from"]["pid"], pid);
}

#[test]
fn wait_and_watch_from_a_namespace() {
    if !available() {
        return;
    }
    let (ns, _l, port) = staged();
    let target = format!("app.test:{port}");
    let out = run(&[
        "wait",
        &target,
        "--from",
        &from(&ns),
        "--timeout",
        "5s",
        "-q",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "watch",
        &target,
        "--from",
        &from(&ns),
        "--count",
        "1",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap_or_default())
            .unwrap();
    assert_eq!(line["up"], true, "{line}");
    assert_eq!(line["address"], format!("127.0.0.1:{port}"));
}

#[test]
fn a_bad_vantage_point_is_one_line_and_exit_2() {
    if !available() {
        return;
    }
    for (from, says) in [
        ("netns:cfx-no-such-ns", "no network namespace of that name"),
        ("pid:999999999", "does not exist"),
        ("vm:x", "give container:NAME, pid:PID or netns:NAME"),
    ] {
        let out = run(&["check", "127.0.0.1:1", "--from", from]);
        assert_eq!(out.status.code(), Some(2), "{from}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(says), "{from}: {err}");
    }
    // No engine socket: the container form says so.
    let out = connfix()
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["check", "127.0.0.1:1", "--from", "container:web"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("container:web"));
}
