//! Real daemons from Debian's packages (PostgreSQL, Redis, MariaDB, nginx, OpenSSH), started
//! by the test as plain processes inside network namespaces, each staging a fault that a
//! TCP-level check calls healthy or misnames. The verdict, its confidence and the action
//! with this machine's values are what is checked. Everything is stopped on drop.

mod support;

use serde_json::Value;
use support::Netns;
use support::answers::assert_only_observed;
use support::cli::*;
use support::daemons::{Mariadb, Nginx, Postgres, Redis, Sshd, daemons_available};

fn available(names: &[&str]) -> bool {
    support::require(
        support::can_netns(),
        "real daemon test",
        "needs root, iproute2 and permission to create network namespaces",
    ) && daemons_available(names)
}

/// `connfix check ARGS --json` inside `ns`.
fn check_in(ns: &Netns, args: &[&str]) -> (i32, Value) {
    let mut c = ns.command(BIN);
    isolate(&mut c);
    c.arg("check")
        .args(args)
        .args(["--json", "--timeout", "3s"]);
    json_of(c)
}

/// A client namespace (10.231.9.1) and a server namespace (10.231.9.2) on one link.
fn two_hosts() -> (Netns, Netns) {
    let client = Netns::new();
    let server = Netns::new();
    client.link(&server, "10.231.9.1/24", "10.231.9.2/24");
    (client, server)
}

fn action(v: &Value) -> String {
    v["verdict"]["action"].as_str().unwrap_or("").to_string()
}

fn certain(v: &Value, id: &str) {
    assert_verdict(v, id, "certain");
}

#[test]
fn redis_in_protected_mode_refuses_another_host() {
    if !available(&["redis"]) {
        return;
    }
    let (client, server) = two_hosts();
    let _redis = Redis::start(Some(&server), "0.0.0.0", 6379, true);
    let (code, v) = check_in(&client, &["redis://10.231.9.2:6379"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    certain(&v, "service-rejected");
    let a = action(&v);
    assert!(a.contains("protected mode"), "{a}");
    assert!(a.contains("10.231.9.1"), "the client's address: {a}");
    assert_only_observed(&v);
}

#[test]
fn postgres_without_a_pg_hba_line_for_the_client() {
    if !available(&["postgres"]) {
        return;
    }
    let (client, server) = two_hosts();
    // Only the local socket is allowed.
    let pg = Postgres::start(Some(&server), "*", 5432, "local all all trust\n");
    let (code, v) = check_in(&client, &["postgres://app@10.231.9.2:5432/shop"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    certain(&v, "service-rejected");
    let service = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "service")
        .unwrap();
    assert_eq!(service["data"]["answer"]["code"], "28000");
    let a = action(&v);
    assert!(a.contains("no pg_hba.conf entry"), "{a}");
    assert!(a.contains("10.231.9.1"), "{a}");
    // Seen from the server's host, connfix also finds the file to edit.
    let (_, local) = check_in(&server, &["postgres://app@10.231.9.2:5432/shop"]);
    certain(&local, "service-rejected");
    let hba = pg.hba_file().display().to_string();
    assert!(action(&local).contains(&hba), "{}", action(&local));
    assert!(
        action(&local).contains("host shop app 10.231.9.2"),
        "{}",
        action(&local)
    );
    assert_only_observed(&v);
}

#[test]
fn mariadb_refuses_a_host_it_has_no_account_for() {
    if !available(&["mariadb"]) {
        return;
    }
    let (client, server) = two_hosts();
    let _db = Mariadb::start(Some(&server), "0.0.0.0", 3306);
    let (code, v) = check_in(&client, &["mysql://app@10.231.9.2:3306/shop"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    certain(&v, "service-rejected");
    let a = action(&v);
    assert!(a.contains("is not allowed to connect"), "{a}");
    assert!(a.contains("MariaDB"), "{a}");
    assert_only_observed(&v);
}

#[test]
fn nginx_on_another_port_than_the_url_is_wrong_port() {
    if !available(&["nginx"]) {
        return;
    }
    let ns = Netns::new();
    let nginx = Nginx::start(Some(&ns), "127.0.0.1:8080");
    let (code, v) = check_in(&ns, &["http://127.0.0.1/"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "wrong-port", "likely");
    let a = action(&v);
    assert!(a.contains(&format!("nginx (pid {})", nginx.pid())), "{a}");
    assert!(a.contains("127.0.0.1:8080"), "{a}");
    assert!(a.contains("port 80"), "{a}");
    assert!(
        !cause_ids(&v)
            .iter()
            .any(|c| c == "nothing-listening" && v["verdict"]["id"] == "nothing-listening")
    );
    assert_only_observed(&v);
}

#[test]
fn sshd_on_a_custom_port_is_wrong_port_for_ssh() {
    if !available(&["sshd"]) {
        return;
    }
    let ns = Netns::new();
    let sshd = Sshd::start(Some(&ns), 2222);
    let (code, v) = check_in(&ns, &["ssh://127.0.0.1"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "wrong-port", "likely");
    let a = action(&v);
    assert!(a.contains(&format!("sshd (pid {})", sshd.pid())), "{a}");
    assert!(a.contains(":2222"), "{a}");
    assert_only_observed(&v);
}

#[test]
fn ssh_answering_where_postgres_is_expected_is_wrong_service() {
    if !available(&["sshd"]) {
        return;
    }
    let ns = Netns::new();
    let _sshd = Sshd::start(Some(&ns), 5432);
    let (code, v) = check_in(&ns, &["postgres://app@127.0.0.1:5432/app"]);
    assert_eq!(code, 1);
    certain(&v, "wrong-service");
    let a = action(&v);
    assert!(a.contains("OpenSSH"), "{a}");
    assert!(a.contains("PostgreSQL"), "{a}");
    assert_only_observed(&v);
}

#[test]
fn a_healthy_postgres_is_reachable_and_named() {
    if !available(&["postgres"]) {
        return;
    }
    let ns = Netns::new();
    let _pg = Postgres::start(
        Some(&ns),
        "127.0.0.1",
        5432,
        "host all all 127.0.0.1/32 scram-sha-256\n",
    );
    let (code, v) = check_in(&ns, &["postgres://app@127.0.0.1:5432/app"]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    assert!(has_fact(&v, "service.auth_required"), "{}", v["facts"]);
    assert!(has_fact(&v, "service.expected"));
}

#[test]
fn redis_listening_on_a_unix_socket_only_says_so() {
    if !available(&["redis"]) {
        return;
    }
    let ns = Netns::new();
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("redis.sock");
    // A real redis-server with TCP turned off (port 0) and only a unix socket.
    let mut child = ns
        .command("redis-server")
        .args(["--port", "0", "--save", "", "--appendonly", "no"])
        .arg("--unixsocket")
        .arg(&sock)
        .arg("--dir")
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start redis-server");
    // Ready once a connect succeeds: the socket file exists from bind(), before listen(), and
    // connects to it are refused until then. Unix sockets are not namespaced by netns, so the
    // test connects from here. Bounded (a hang guard, not a speed requirement); stops early if
    // redis-server exits.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let ready = loop {
        if std::os::unix::net::UnixStream::connect(&sock).is_ok() {
            break true;
        }
        if std::time::Instant::now() > deadline || !matches!(child.try_wait(), Ok(None)) {
            break false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let result = std::panic::catch_unwind(|| {
        assert!(ready, "redis-server is not accepting on {}", sock.display());
        let (code, v) = check_in(&ns, &["redis://127.0.0.1:6379"]);
        assert_eq!(code, 1);
        certain(&v, "unix-socket-only");
        let a = action(&v);
        assert!(
            a.contains(&format!("redis-server (pid {})", child.id())),
            "{a}"
        );
        assert!(a.contains(&sock.display().to_string()), "{a}");
        assert!(a.contains("port 6379"), "{a}");
        assert_only_observed(&v);
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// A server in another network namespace (another container, another `ip netns`) listens
/// there, not here: from this namespace it is neither listening nor "still starting".
/// (CI once named a parallel test's mariadbd as the server that had not bound yet.)
#[test]
fn a_server_in_another_namespace_is_not_a_startup_race_here() {
    if !available(&["redis"]) {
        return;
    }
    let elsewhere = Netns::new();
    let redis = Redis::start(Some(&elsewhere), "127.0.0.1", 6379, false);
    let here = Netns::new();
    let (code, v) = check_in(&here, &["redis://127.0.0.1:6379"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    certain(&v, "nothing-listening");
    let pid = format!("pid {}", redis.pid());
    assert!(
        !v.to_string().contains(&pid),
        "{pid} named: {}",
        v["causes"]
    );
    // Only the generic "maybe it was still starting" remains, never one naming a process.
    let race = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "startup-race");
    assert!(
        race.is_none_or(|c| c["confidence"] == "possible"),
        "{race:?}"
    );
    assert_only_observed(&v);
}

#[test]
fn mariadb_running_but_not_yet_listening_is_a_startup_race() {
    if !available(&["mariadb"]) {
        return;
    }
    let ns = Netns::new();
    let db = Mariadb::start_paused(Some(&ns), "127.0.0.1", 3306);
    let (code, v) = check_in(&ns, &["mysql://app@127.0.0.1:3306/shop"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "startup-race", "likely");
    let a = action(&v);
    assert!(
        a.starts_with(&format!("mariadbd (pid {})", db.pid())),
        "{a}"
    );
    assert!(a.contains("port 3306"), "{a}");
    // Not "nothing listening, certain": the server is there, just not ready.
    let nothing = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "nothing-listening");
    assert!(
        nothing.is_none_or(|c| c["confidence"] != "certain"),
        "{nothing:?}"
    );
    assert_only_observed(&v);
}

#[test]
fn postgres_still_recovering_is_service_starting() {
    if !available(&["postgres"]) {
        return;
    }
    let ns = Netns::new();
    let _pg = Postgres::start_recovering(Some(&ns), "127.0.0.1", 5432);
    let (code, v) = check_in(&ns, &["postgres://app@127.0.0.1:5432/app"]);
    assert_eq!(code, 1);
    certain(&v, "service-starting");
    let service = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "service")
        .unwrap();
    assert_eq!(service["data"]["answer"]["code"], "57P03");
    let a = action(&v);
    assert!(a.contains("127.0.0.1:5432"), "{a}");
    assert_only_observed(&v);
}
