//! Self-test of tests/support/daemons.rs: each real daemon (PostgreSQL, Redis, MariaDB, nginx,
//! sshd) starts in a fresh network namespace, answers its own client there, and leaves no
//! process and no files behind when dropped, also when the test panics. Two linked namespaces
//! show the refusals other hosts get: Redis's protected mode and MariaDB's error 1130.
//! Without root they say why they skip; under CI=true a missing requirement fails.

mod support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use support::Netns;
use support::daemons::{
    Mariadb, Nginx, Postgres, Redis, Sshd, daemons_available, descendants, is_running, pg_program,
    tcp_connect,
};

fn available(names: &[&str]) -> bool {
    support::require(
        support::can_netns(),
        "daemon test",
        "needs root, iproute2 and permission to create network namespaces",
    ) && daemons_available(names)
}

/// Runs a client inside `ns` whatever its exit status: (success, stdout + stderr).
fn client(ns: &Netns, args: &[&str]) -> (bool, String) {
    let (program, rest) = args.split_first().expect("a command");
    let out = ns
        .command(program)
        .args(rest)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {args:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// What a dropped daemon must not leave behind: its process, what it forked, its directory.
struct Leftovers {
    pid: u32,
    forked: Vec<(u32, u64)>,
    dir: PathBuf,
}

impl Leftovers {
    fn of(pid: u32, dir: &Path) -> Leftovers {
        Leftovers {
            pid,
            forked: descendants(pid),
            dir: dir.to_owned(),
        }
    }

    /// Drops `daemon` (printing how long that took), then asserts that nothing is left.
    fn stop<T>(&self, daemon: T) {
        let start = std::time::Instant::now();
        drop(daemon);
        eprintln!("{} stopped in {:?}", self.dir.display(), start.elapsed());
        self.assert_gone();
    }

    fn assert_gone(&self) {
        assert!(!is_running(self.pid), "daemon {} still runs", self.pid);
        let alive: Vec<u32> = self
            .forked
            .iter()
            .map(|(pid, _)| *pid)
            .filter(|pid| is_running(*pid))
            .collect();
        assert!(
            alive.is_empty(),
            "children of {} still run: {alive:?}",
            self.pid
        );
        assert!(!self.dir.exists(), "{} not removed", self.dir.display());
    }
}

fn temp_dir_of(path: &Path) -> &Path {
    path.ancestors()
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cfx-"))
        })
        .expect("a daemon's directory is named cfx-*")
}

#[test]
fn postgres_answers_pg_isready_and_psql() {
    if !available(&["postgres"]) {
        return;
    }
    let ns = Netns::new();
    let pg = Postgres::start(
        Some(&ns),
        "127.0.0.1",
        5432,
        "local all all trust\nhost all all 127.0.0.1/32 trust\n",
    );
    eprintln!("postgres ready in {:?}", pg.started_in());
    assert!(pg.data_dir().join("PG_VERSION").is_file());
    assert_eq!(
        std::fs::read_to_string(pg.hba_file()).unwrap(),
        "local all all trust\nhost all all 127.0.0.1/32 trust\n"
    );

    let isready = pg_program("pg_isready").expect("pg_isready");
    let out = ns.run(&[isready.to_str().unwrap(), "-h", "127.0.0.1", "-p", "5432"]);
    assert!(out.contains("accepting connections"), "{out}");

    let psql = pg_program("psql").expect("psql");
    let psql = psql.to_str().unwrap();
    let tcp = ns.run(&[
        psql,
        "-X",
        "-h",
        "127.0.0.1",
        "-p",
        "5432",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-Atc",
        "select 1",
    ]);
    assert_eq!(tcp, "1\n");
    let socket_dir = pg.socket_dir().to_str().unwrap().to_owned();
    let hba = ns.run(&[
        psql,
        "-X",
        "-h",
        &socket_dir,
        "-p",
        "5432",
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-Atc",
        "show hba_file",
    ]);
    assert_eq!(hba.trim(), pg.hba_file().to_str().unwrap());

    let leftovers = Leftovers::of(pg.pid(), temp_dir_of(&pg.data_dir()));
    assert!(!leftovers.forked.is_empty(), "postgres forks its helpers");
    leftovers.stop(pg);
}

#[test]
fn redis_answers_ping_on_loopback() {
    if !available(&["redis"]) {
        return;
    }
    let ns = Netns::new();
    let redis = Redis::start(Some(&ns), "127.0.0.1", 6379, true);
    eprintln!("redis ready in {:?}", redis.started_in());
    let pong = ns.run(&["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"]);
    assert_eq!(pong, "PONG\n");
    let sock = redis.socket();
    let pong = ns.run(&["redis-cli", "-s", sock.to_str().unwrap(), "ping"]);
    assert_eq!(pong, "PONG\n");

    let leftovers = Leftovers::of(redis.pid(), temp_dir_of(&redis.config_file()));
    leftovers.stop(redis);
}

#[test]
fn redis_on_the_host_loopback() {
    if !daemons_available(&["redis"]) {
        return;
    }
    let (port, redis) = support::on_a_free_port(|port| Redis::start(None, "127.0.0.1", port, true));
    assert_eq!(redis.addr(), Some(SocketAddr::from(([127, 0, 0, 1], port))));
    let out = std::process::Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "ping"])
        .output()
        .expect("redis-cli");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "PONG\n");
    let leftovers = Leftovers::of(redis.pid(), temp_dir_of(&redis.config_file()));
    leftovers.stop(redis);
    assert!(
        !support::wait_listening(
            SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_millis(100)
        ),
        "nothing listens after drop"
    );
}

#[test]
fn mariadb_answers_over_its_socket_and_loopback() {
    if !available(&["mariadb"]) {
        return;
    }
    let ns = Netns::new();
    let db = Mariadb::start(Some(&ns), "127.0.0.1", 3306);
    eprintln!("mariadb ready in {:?}", db.started_in());
    let sock = db.socket();
    let one = ns.run(&[
        "mariadb",
        "--no-defaults",
        "-S",
        sock.to_str().unwrap(),
        "-u",
        "root",
        "-N",
        "-B",
        "-e",
        "select 1",
    ]);
    assert_eq!(one, "1\n");
    let version = ns.run(&[
        "mariadb",
        "--no-defaults",
        "-h",
        "127.0.0.1",
        "-P",
        "3306",
        "-u",
        "root",
        "-N",
        "-B",
        "-e",
        "select version()",
    ]);
    assert!(version.contains("MariaDB"), "{version}");

    let leftovers = Leftovers::of(db.pid(), temp_dir_of(&db.data_dir()));
    leftovers.stop(db);
}

#[test]
fn nginx_answers_ok() {
    if !available(&["nginx"])
        || !support::require(support::have("curl"), "nginx test", "needs curl")
    {
        return;
    }
    let ns = Netns::new();
    let nginx = Nginx::start(Some(&ns), "127.0.0.1:8080");
    eprintln!("nginx ready in {:?}", nginx.started_in());
    let body = ns.run(&[
        "curl",
        "-sS",
        "--noproxy",
        "*",
        "--max-time",
        "5",
        "http://127.0.0.1:8080/",
    ]);
    assert_eq!(body, "ok\n");

    let leftovers = Leftovers::of(nginx.pid(), temp_dir_of(&nginx.config_file()));
    assert!(!leftovers.forked.is_empty(), "nginx runs a worker");
    leftovers.stop(nginx);
}

#[test]
fn sshd_sends_its_banner() {
    if !available(&["sshd"]) {
        return;
    }
    let ns = Netns::new();
    let sshd = Sshd::start(Some(&ns), 2222);
    eprintln!("sshd ready in {:?}", sshd.started_in());
    let stream = tcp_connect(Some(&ns), sshd.addr(), Duration::from_secs(2)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut banner = String::new();
    BufReader::new(&stream)
        .read_line(&mut banner)
        .expect("banner");
    assert!(banner.starts_with("SSH-2.0-OpenSSH"), "{banner:?}");
    drop(stream);

    let leftovers = Leftovers::of(sshd.pid(), temp_dir_of(&sshd.host_key()));
    leftovers.stop(sshd);
}

/// A client namespace (10.231.60.1 or .61.1) and a server namespace (.2) on one link.
fn two_hosts(subnet: u8) -> (Netns, Netns) {
    let client = Netns::new();
    let server = Netns::new();
    client.link(
        &server,
        &format!("10.231.{subnet}.1/24"),
        &format!("10.231.{subnet}.2/24"),
    );
    (client, server)
}

#[test]
fn redis_protected_mode_denies_another_host() {
    if !available(&["redis"]) {
        return;
    }
    let (client_ns, server_ns) = two_hosts(60);
    let protected = Redis::start(Some(&server_ns), "0.0.0.0", 6379, true);
    let open = Redis::start(Some(&server_ns), "0.0.0.0", 6380, false);

    let (_, denied) = client(
        &client_ns,
        &["redis-cli", "-h", "10.231.60.2", "-p", "6379", "ping"],
    );
    assert!(denied.contains("DENIED"), "{denied}");
    // The same server answers on loopback, and without protected mode also the other host.
    assert_eq!(
        server_ns.run(&["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"]),
        "PONG\n"
    );
    let (ok, pong) = client(
        &client_ns,
        &["redis-cli", "-h", "10.231.60.2", "-p", "6380", "ping"],
    );
    assert!(ok && pong == "PONG\n", "{pong}");
    drop((protected, open));
}

#[test]
fn mariadb_refuses_another_host_with_1130() {
    if !available(&["mariadb"]) {
        return;
    }
    let (client_ns, server_ns) = two_hosts(61);
    let db = Mariadb::start(Some(&server_ns), "0.0.0.0", 3306);
    let connect = |tls: &[&str]| {
        let mut args = vec!["mariadb", "--no-defaults", "--connect-timeout=5"];
        args.extend_from_slice(tls);
        args.extend_from_slice(&[
            "-h",
            "10.231.61.2",
            "-P",
            "3306",
            "-u",
            "root",
            "-e",
            "select 1",
        ]);
        client(&client_ns, &args)
    };
    // Without TLS the client shows the server's error as it is.
    let (ok, out) = connect(&["--skip-ssl"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("ERROR 1130 (HY000): Host '10.231.61.1' is not allowed to connect"),
        "{out}"
    );
    // Debian 12's client (10.11) asks for TLS by default and, since the refusal comes before
    // the TLS handshake, wraps it: "ERROR 2002 (HY000): Received error packet before completion
    // of TLS handshake. The authenticity of the following error cannot be verified: 1130 - ...".
    let (ok, out) = connect(&[]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("1130 - Host '10.231.61.1' is not allowed"),
        "{out}"
    );
    drop(db);
}

#[test]
fn a_panicking_test_still_stops_its_daemon() {
    if !available(&["nginx"]) {
        return;
    }
    let ns = Netns::new();
    let seen: Mutex<Option<Leftovers>> = Mutex::new(None);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let nginx = Nginx::start(Some(&ns), "127.0.0.1:8081");
        *seen.lock().unwrap() = Some(Leftovers::of(
            nginx.pid(),
            temp_dir_of(&nginx.config_file()),
        ));
        panic!("on purpose, with nginx running");
    }));
    assert!(result.is_err());
    let leftovers = seen.into_inner().unwrap().expect("nginx started");
    assert!(!leftovers.forked.is_empty(), "nginx runs a worker");
    leftovers.assert_gone();
}

#[test]
fn a_daemon_that_cannot_start_panics_with_its_log() {
    if !available(&["redis"]) {
        return;
    }
    let ns = Netns::new(); // only lo: 10.231.62.1 is not an address here
    let result = catch_unwind(|| Redis::start(Some(&ns), "10.231.62.1", 6379, true));
    let message = match result {
        Ok(_) => panic!("redis started on an address the namespace does not have"),
        Err(panic) => panic.downcast_ref::<String>().cloned().unwrap_or_default(),
    };
    assert!(message.contains("redis-server"), "{message}");
    assert!(message.contains("exited"), "{message}");
    assert!(
        message.contains("Cannot assign requested address"),
        "{message}"
    );
}
