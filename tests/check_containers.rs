//! Container faults against a real Docker engine (Debian's docker.io), started by the test in
//! a network namespace of its own with a busybox image made locally. Each fault is staged the
//! way people meet it and checked as a user sees it: the verdict, its confidence, and an
//! action that names the container, its ports and what listens inside. One daemon serves
//! every scenario, in one test, so it is started once and always removed.

mod support;

use serde_json::Value;
use support::answers::assert_only_observed;
use support::cli::*;
use support::docker::{Dockerd, IMAGE};

/// `connfix check ARGS --json` inside the daemon's namespace, talking to its engine.
fn check_at(d: &Dockerd, args: &[&str]) -> (i32, Value) {
    let mut c = d.ns.command(BIN);
    isolate(&mut c);
    c.env("DOCKER_HOST", d.host());
    c.arg("check")
        .args(args)
        .args(["--json", "--timeout", "3s"]);
    json_of(c)
}

fn action(v: &Value) -> String {
    v["verdict"]["action"].as_str().unwrap_or("").to_string()
}

#[test]
fn container_faults_against_a_real_engine() {
    if !support::docker::available() {
        return;
    }
    let d = Dockerd::start();

    // A port published to a container port where nothing listens: docker-proxy accepts
    // and drops the connection, which a port check calls healthy.
    d.run(&[
        "run",
        "-d",
        "--name",
        "idle",
        "-p",
        "127.0.0.1:18081:8080",
        IMAGE,
        "sleep",
        "3600",
    ]);
    let (code, v) = check_at(&d, &["127.0.0.1:18081"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    assert_verdict(&v, "container-port-not-listening", "certain");
    let a = action(&v);
    assert!(
        a.contains("idle") && a.contains("18081") && a.contains("8080"),
        "{a}"
    );
    assert_only_observed(&v);

    // The app inside bound to the container's own loopback.
    d.run(&[
        "run",
        "-d",
        "--name",
        "lo",
        "-p",
        "127.0.0.1:18082:8080",
        IMAGE,
        "httpd",
        "-f",
        "-p",
        "127.0.0.1:8080",
        "-h",
        "/www",
    ]);
    d.wait_listening("lo", 8080);
    let (code, v) = check_at(&d, &["http://127.0.0.1:18082/"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    assert_verdict(&v, "container-bound-to-loopback", "certain");
    let a = action(&v);
    assert!(a.contains("lo") && a.contains("127.0.0.1:8080"), "{a}");
    assert_only_observed(&v);

    // The serving container exited.
    d.run(&[
        "run",
        "-d",
        "--name",
        "gone",
        "-p",
        "127.0.0.1:18083:8080",
        IMAGE,
        "sh",
        "-c",
        "exit 3",
    ]);
    d.wait_state("gone", "exited");
    let (code, v) = check_at(&d, &["127.0.0.1:18083"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    assert_verdict(&v, "container-not-running", "certain");
    let a = action(&v);
    assert!(
        a.contains("gone") && a.contains("exited") && a.contains("exit code 3"),
        "{a}"
    );
    assert_only_observed(&v);

    // A healthy published web server is reachable, and named.
    d.run(&[
        "run",
        "-d",
        "--name",
        "web",
        "-p",
        "127.0.0.1:18084:8080",
        IMAGE,
        "httpd",
        "-f",
        "-p",
        "8080",
        "-h",
        "/www",
    ]);
    d.wait_listening("web", 8080);
    let (code, v) = check_at(&d, &["http://127.0.0.1:18084/"]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    let container = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "container")
        .unwrap();
    assert_eq!(container["data"]["publishing"]["name"], "web");

    // From inside another container, localhost is that container: the port is served by
    // "web", which connfix names.
    d.run(&["run", "-d", "--name", "client", IMAGE, "sleep", "3600"]);
    let (code, v) = check_at(&d, &["localhost:8080", "--from", "container:client"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    assert_verdict(&v, "container-localhost", "certain");
    assert_eq!(v["from"]["name"], "client");
    let a = action(&v);
    assert!(a.contains("web") && a.contains("8080"), "{a}");

    // Two user networks: a name in one does not resolve in the other.
    d.run(&["network", "create", "front"]);
    d.run(&["network", "create", "back"]);
    d.run(&[
        "run",
        "-d",
        "--name",
        "api",
        "--network",
        "back",
        IMAGE,
        "httpd",
        "-f",
        "-p",
        "8080",
        "-h",
        "/www",
    ]);
    d.run(&[
        "run",
        "-d",
        "--name",
        "ui",
        "--network",
        "front",
        IMAGE,
        "sleep",
        "3600",
    ]);
    let (code, v) = check_at(&d, &["http://api:8080/", "--from", "container:ui"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    assert_verdict(&v, "container-network-mismatch", "certain");
    let a = action(&v);
    assert!(
        a.contains("ui") && a.contains("api") && a.contains("front") && a.contains("back"),
        "{a}"
    );

    // ... and sharing a network fixes it: the name resolves through Docker's DNS, from
    // inside the client's namespace.
    d.run(&["network", "connect", "back", "ui"]);
    let (code, v) = check_at(&d, &["http://api:8080/", "--from", "container:ui"]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);

    // From the host, a container's name does not resolve at all: connfix says whose name it
    // is and which published port reaches it.
    d.run(&[
        "run",
        "-d",
        "--name",
        "shop",
        "--network",
        "back",
        "-p",
        "127.0.0.1:18095:8080",
        IMAGE,
        "httpd",
        "-f",
        "-p",
        "8080",
        "-h",
        "/www",
    ]);
    let (code, v) = check_at(&d, &["http://shop:8080/"]);
    assert_eq!(code, 1, "{}", v["verdict"]);
    assert_verdict(&v, "container-name-from-host", "certain");
    let a = action(&v);
    assert!(a.contains("127.0.0.1:18095") && a.contains("back"), "{a}");

    // An unknown container is a one-line usage error.
    let mut c = d.ns.command(BIN);
    isolate(&mut c);
    c.env("DOCKER_HOST", d.host());
    let out = c
        .args(["check", "localhost:1", "--from", "container:nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no container named nope"), "{err}");
}

#[test]
fn a_container_whose_health_check_fails_is_a_startup_race() {
    if !support::docker::available() {
        return;
    }
    let d = Dockerd::start();
    // It listens, but its health check keeps failing: it is not ready for clients.
    d.run(&[
        "run",
        "-d",
        "--name",
        "slow",
        "-p",
        "127.0.0.1:18090:8080",
        "--health-cmd",
        "cat /tmp/ready",
        "--health-interval",
        "1s",
        "--health-retries",
        "1",
        IMAGE,
        "httpd",
        "-f",
        "-p",
        "8080",
        "-h",
        "/www",
    ]);
    d.wait_listening("slow", 8080);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while d.run(&["inspect", "--format", "{{.State.Health.Status}}", "slow"]) != "unhealthy" {
        assert!(
            std::time::Instant::now() < deadline,
            "the health check never failed"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (_, v) = check_at(&d, &["http://127.0.0.1:18090/"]);
    assert!(has_fact(&v, "container.unhealthy"), "{}", v["facts"]);
    let startup = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "startup-race");
    let startup = startup.unwrap_or_else(|| panic!("no startup-race: {}", v["causes"]));
    assert_eq!(startup["confidence"], "likely", "{startup}");
    // The port answers, but the engine says the container is not ready: that leads.
    assert_verdict(&v, "startup-race", "likely");
    let a = startup["action"].as_str().unwrap();
    assert!(a.contains("slow") && a.contains("unhealthy"), "{a}");
}
