//! `connfix watch` with its output piped: one NDJSON object per check per target, read line by
//! line as connfix flushes them, while the test opens and closes real loopback listeners.
//!
//! Every run has --count, and is killed by the test if it outlives a hard limit; the test
//! reacts to the lines it has seen (a sequence), never to how many checks fit in some time.

mod support;

use regex::Regex;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixListener;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use support::cli::*;

/// Past this the test kills connfix and fails: nothing may hang.
const HARD_LIMIT: Duration = Duration::from_secs(90);
/// The longest the test waits for the next line of a watch checking every 200 ms.
const NEXT_LINE: Duration = Duration::from_secs(20);

const KEYS: [&str; 13] = [
    "time",
    "target",
    "seq",
    "up",
    "state",
    "changed",
    "previous",
    "latency_ms",
    "address",
    "addresses",
    "dns_changed",
    "status",
    "error",
];

const KINDS: [&str; 13] = [
    "dns",
    "refused",
    "timeout",
    "reset",
    "host-unreachable",
    "network-unreachable",
    "denied",
    "tls",
    "http-status",
    "unix-missing",
    "unix-stale",
    "unix-permission",
    "other",
];

// ---------------------------------------------------------------------------------------------
// Running connfix watch

/// A child process that is killed and reaped on every path.
struct ChildGuard(Option<Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A running `connfix watch`: its stdout lines arrive on a channel as they are written.
struct Watch {
    guard: ChildGuard,
    started: Instant,
    lines: Receiver<String>,
    stderr: Option<JoinHandle<String>>,
    args: Vec<String>,
    /// Every line received so far, for failure messages.
    seen: Vec<String>,
}

struct Finished {
    code: Option<i32>,
    lines: Vec<String>,
    stderr: String,
}

impl Finished {
    fn json(&self) -> Vec<Value> {
        self.lines.iter().map(|l| parse_line(l)).collect()
    }
}

impl std::fmt::Debug for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "exit {:?}", self.code)?;
        writeln!(f, "stdout:")?;
        for l in &self.lines {
            writeln!(f, "  {l}")?;
        }
        write!(f, "stderr: {:?}", self.stderr)
    }
}

fn watch(args: &[String]) -> Watch {
    watch_with(connfix(), args)
}

/// `connfix watch ARGS` inside a network namespace the test made.
fn watch_in(ns: &support::Netns, args: &[String]) -> Watch {
    let mut cmd = ns.command(BIN);
    isolate(&mut cmd);
    watch_with(cmd, args)
}

fn watch_with(mut cmd: std::process::Command, args: &[String]) -> Watch {
    cmd.arg("watch")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn connfix watch");
    let stdout = child.stdout.take().expect("stdout pipe");
    let mut stderr = child.stderr.take().expect("stderr pipe");
    let guard = ChildGuard(Some(child));
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stderr = thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    Watch {
        guard,
        started,
        lines: rx,
        stderr: Some(stderr),
        args: args.to_vec(),
        seen: Vec::new(),
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

impl Watch {
    /// The next NDJSON line, parsed; fails the test on end of output or after NEXT_LINE.
    #[track_caller]
    fn next(&mut self) -> Value {
        match self.lines.recv_timeout(NEXT_LINE) {
            Ok(line) => {
                self.seen.push(line.clone());
                parse_line(&line)
            }
            Err(RecvTimeoutError::Timeout) => panic!(
                "no line from connfix watch {:?} within {NEXT_LINE:?}; so far:\n{}",
                self.args,
                self.seen.join("\n")
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "connfix watch {:?} ended early; lines:\n{}",
                self.args,
                self.seen.join("\n")
            ),
        }
    }

    /// Reads the remaining lines and the exit code (kills and fails past HARD_LIMIT).
    fn finish(mut self) -> Finished {
        let deadline = self.started + HARD_LIMIT;
        let mut timed_out = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    timed_out = true;
                    break;
                }
            }
        }
        let mut status = None;
        let child = self.guard.0.as_mut().expect("child");
        while !timed_out {
            match child.try_wait().expect("try_wait") {
                Some(s) => {
                    status = Some(s);
                    break;
                }
                None if Instant::now() > deadline => timed_out = true,
                None => thread::sleep(Duration::from_millis(10)),
            }
        }
        if timed_out {
            let _ = child.kill();
            let _ = child.wait();
        }
        let out = Finished {
            code: status.and_then(|s| s.code()),
            lines: std::mem::take(&mut self.seen),
            stderr: self
                .stderr
                .take()
                .expect("stderr reader")
                .join()
                .unwrap_or_default(),
        };
        assert!(
            !timed_out,
            "connfix watch {:?} still running after {HARD_LIMIT:?}; killed.\n{out:?}",
            self.args
        );
        out
    }
}

fn run_watch(args: &[String]) -> Finished {
    watch(args).finish()
}

// ---------------------------------------------------------------------------------------------
// The shape of a line

#[track_caller]
fn parse_line(line: &str) -> Value {
    let v: Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {line:?}"));
    check_shape(&v, line);
    v
}

/// Every key of SPEC.md with the right type, and the keys agreeing with each other.
#[track_caller]
fn check_shape(v: &Value, line: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {line}"));
    for key in KEYS {
        assert!(obj.contains_key(key), "key {key:?} missing: {line}");
    }
    let rfc3339 =
        Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$").unwrap();
    assert!(
        v["time"].as_str().is_some_and(|t| rfc3339.is_match(t)),
        "time is not RFC 3339: {line}"
    );
    assert!(v["target"].is_string(), "{line}");
    assert!(v["seq"].as_u64().is_some_and(|n| n >= 1), "{line}");
    let up = v["up"]
        .as_bool()
        .unwrap_or_else(|| panic!("up not a bool: {line}"));
    assert_eq!(v["state"], if up { "up" } else { "down" }, "{line}");
    assert!(v["changed"].is_boolean(), "{line}");
    assert!(
        v["previous"].is_null() || v["previous"] == "up" || v["previous"] == "down",
        "{line}"
    );
    assert!(
        v["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0),
        "latency_ms is a number: {line}"
    );
    assert!(v["address"].is_null() || v["address"].is_string(), "{line}");
    assert!(
        v["addresses"]
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)),
        "addresses is an array of strings: {line}"
    );
    assert!(v["dns_changed"].is_boolean(), "{line}");
    assert!(
        v["status"].is_null()
            || v["status"]
                .as_u64()
                .is_some_and(|c| (100..600).contains(&c)),
        "{line}"
    );
    if up {
        assert!(v["error"].is_null(), "error is null when up: {line}");
    } else {
        let e = &v["error"];
        assert!(
            e["kind"].as_str().is_some_and(|k| KINDS.contains(&k)),
            "error.kind: {line}"
        );
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error.message: {line}"
        );
        assert!(e["errno"].is_null() || e["errno"].is_i64(), "{line}");
    }
}

/// The states with runs collapsed: down, down, up, up, down -> ["down", "up", "down"].
fn runs(lines: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in lines {
        let state = v["state"].as_str().unwrap_or("?").to_string();
        if out.last() != Some(&state) {
            out.push(state);
        }
    }
    out
}

/// The lines of one target, in order.
fn of_target<'a>(lines: &'a [Value], target: &str) -> Vec<&'a Value> {
    lines.iter().filter(|v| v["target"] == target).collect()
}

/// seq runs 1, 2, ... n; `changed` and `previous` follow from the states; times never go back.
#[track_caller]
fn check_sequence(lines: &[&Value], all: &Finished) {
    let mut prev: Option<&Value> = None;
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["seq"], i as u64 + 1, "seq of line {i}:\n{all:?}");
        match prev {
            None => {
                assert_eq!(v["changed"], false, "first check:\n{all:?}");
                assert!(v["previous"].is_null(), "first check:\n{all:?}");
            }
            Some(p) => {
                assert_eq!(
                    v["previous"],
                    p["state"],
                    "previous of seq {}:\n{all:?}",
                    i + 1
                );
                assert_eq!(
                    v["changed"],
                    v["state"] != p["state"],
                    "changed of seq {}:\n{all:?}",
                    i + 1
                );
                assert!(
                    v["time"].as_str() >= p["time"].as_str(),
                    "time goes back at seq {}:\n{all:?}",
                    i + 1
                );
            }
        }
        prev = Some(v);
    }
}

// ---------------------------------------------------------------------------------------------
// Servers

#[derive(Clone, Copy)]
enum Mode {
    /// Accept and close.
    Tcp,
    /// Read the request and answer with the status for request number n (0-based).
    Http(fn(usize) -> u16),
    /// Read the request, then say nothing until the server is stopped (at most
    /// [`SILENT_AT_MOST`]).
    Silent,
}

/// How long a Silent connection is held at most, should the server never be stopped: a bound
/// against leaking the thread, far above any timeout under test.
const SILENT_AT_MOST: Duration = Duration::from_secs(120);

/// A server on `addr` (bound at once), stopped on Drop, which closes the port.
struct TestServer {
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    handle: Option<JoinHandle<()>>,
}

impl TestServer {
    fn start(addr: SocketAddr, mode: Mode) -> TestServer {
        let listener =
            TcpListener::bind(addr).unwrap_or_else(|e| panic!("test server: bind {addr}: {e}"));
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicUsize::new(0));
        let (flag, counter) = (stop.clone(), requests.clone());
        let handle = thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let (counter, stop) = (counter.clone(), flag.clone());
                        thread::spawn(move || handle_conn(stream, mode, &counter, &stop));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        TestServer {
            stop,
            requests,
            handle: Some(handle),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn handle_conn(mut s: TcpStream, mode: Mode, counter: &AtomicUsize, stop: &AtomicBool) {
    match mode {
        Mode::Tcp => {}
        Mode::Silent => {
            read_request(&mut s);
            let held = Instant::now();
            while !stop.load(Ordering::SeqCst) && held.elapsed() < SILENT_AT_MOST {
                thread::sleep(Duration::from_millis(10));
            }
        }
        Mode::Http(status_of) => {
            if !read_request(&mut s) {
                return;
            }
            let status = status_of(counter.fetch_add(1, Ordering::SeqCst));
            write_response(s, status);
        }
    }
}

fn v4(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn down_then_up_then_down_again() {
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let mut w = watch(&s(&[&target, "--interval", "200ms", "--count", "40"]));
    // Down until the test starts a listener, which it does once it has seen a down line.
    let first = w.next();
    assert_eq!(first["up"], false, "nothing listens yet: {first}");
    let server = TestServer::start(v4(port), Mode::Tcp);
    while w.next()["up"] != true {}
    // Up: close the port again, and let --count run out.
    drop(server);
    let out = w.finish();
    let lines = out.json();

    assert_eq!(lines.len(), 40, "--count 40:\n{out:?}");
    assert_eq!(runs(&lines), ["down", "up", "down"], "{out:?}");
    let refs: Vec<&Value> = lines.iter().collect();
    check_sequence(&refs, &out);
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i]["changed"] == true)
        .collect();
    assert_eq!(
        changed.len(),
        2,
        "changed on the two transitions only:\n{out:?}"
    );
    assert_eq!(lines[changed[0]]["previous"], "down");
    assert_eq!(lines[changed[0]]["state"], "up");
    assert_eq!(lines[changed[1]]["previous"], "up");
    assert_eq!(lines[changed[1]]["state"], "down");
    for v in &lines {
        assert_eq!(v["target"], target.as_str(), "{v}");
        assert_eq!(v["address"], target.as_str(), "{v}");
        assert_eq!(v["addresses"], serde_json::json!(["127.0.0.1"]), "{v}");
        assert_eq!(v["dns_changed"], false, "{v}");
        assert!(v["status"].is_null(), "no HTTP here: {v}");
        if v["up"] == true {
            assert!(v["error"].is_null(), "{v}");
        } else {
            assert_eq!(v["error"]["kind"], "refused", "{v}");
            assert_eq!(v["error"]["errno"], 111, "{v}");
        }
    }
    assert_eq!(out.code, Some(1), "the last check was down:\n{out:?}");
}

#[test]
fn exit_code_follows_the_last_check_not_the_first() {
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let mut w = watch(&s(&[&target, "--interval", "200ms", "--count", "15"]));
    let first = w.next();
    assert_eq!(first["up"], false, "{first}");
    let _server = TestServer::start(v4(port), Mode::Tcp);
    let out = w.finish();
    let lines = out.json();
    assert_eq!(lines.len(), 15, "{out:?}");
    assert_eq!(runs(&lines), ["down", "up"], "{out:?}");
    assert_eq!(out.code, Some(0), "down at first, up at the end:\n{out:?}");
}

#[test]
fn http_503_then_200() {
    let port = closed_port();
    let target = format!("http://127.0.0.1:{port}/health");
    let server = TestServer::start(v4(port), Mode::Http(|n| if n < 3 { 503 } else { 200 }));
    let out = run_watch(&s(&[&target, "--interval", "200ms", "--count", "8"]));
    let lines = out.json();
    assert_eq!(lines.len(), 8, "{out:?}");
    let refs: Vec<&Value> = lines.iter().collect();
    check_sequence(&refs, &out);
    assert_eq!(runs(&lines), ["down", "up"], "{out:?}");
    let downs: Vec<&Value> = lines.iter().filter(|v| v["up"] == false).collect();
    assert!(
        (1..=3).contains(&downs.len()),
        "at most the 3 answers that were 503:\n{out:?}"
    );
    for v in &downs {
        assert_eq!(v["status"], 503, "{v}");
        assert_eq!(v["error"]["kind"], "http-status", "{v}");
        assert_eq!(v["address"], format!("127.0.0.1:{port}"), "{v}");
    }
    for v in lines.iter().filter(|v| v["up"] == true) {
        assert_eq!(v["status"], 200, "{v}");
        assert!(v["error"].is_null(), "{v}");
    }
    assert!(requests_of(&server) >= 4);
    assert_eq!(out.code, Some(0), "{out:?}");
}

fn requests_of(server: &TestServer) -> usize {
    server.requests.load(Ordering::SeqCst)
}

#[test]
fn expect_status_decides_what_up_means() {
    let p503 = closed_port();
    let _s503 = TestServer::start(v4(p503), Mode::Http(|_| 503));
    let p404 = closed_port();
    let _s404 = TestServer::start(v4(p404), Mode::Http(|_| 404));
    let u503 = format!("http://127.0.0.1:{p503}/");
    let u404 = format!("http://127.0.0.1:{p404}/");

    let out = run_watch(&s(&[&u503, "--count", "1", "--expect-status", "503"]));
    let v = &out.json()[0];
    assert_eq!(v["up"], true, "{out:?}");
    assert_eq!(v["status"], 503, "{out:?}");
    assert!(v["error"].is_null(), "{out:?}");
    assert_eq!(out.code, Some(0), "{out:?}");

    // Below 500 is up without --expect-status; not with 2xx.
    let out = run_watch(&s(&[&u404, "--count", "1"]));
    assert_eq!(out.json()[0]["up"], true, "{out:?}");
    assert_eq!(out.json()[0]["status"], 404, "{out:?}");
    let out = run_watch(&s(&[&u404, "--count", "1", "--expect-status", "2xx"]));
    let v = &out.json()[0];
    assert_eq!(v["up"], false, "{out:?}");
    assert_eq!(v["status"], 404, "{out:?}");
    assert_eq!(v["error"]["kind"], "http-status", "{out:?}");
    assert_eq!(out.code, Some(1), "{out:?}");

    // Given with an http target, --expect-status is fine beside a tcp target, which it does
    // not affect.
    let tcp_port = closed_port();
    let _tcp = TestServer::start(v4(tcp_port), Mode::Tcp);
    let tcp = format!("127.0.0.1:{tcp_port}");
    let out = run_watch(&s(&[
        &u404,
        &tcp,
        "--count",
        "1",
        "--expect-status",
        "400-499",
    ]));
    let lines = out.json();
    assert_eq!(lines.len(), 2, "{out:?}");
    assert!(lines.iter().all(|v| v["up"] == true), "{out:?}");
    assert_eq!(out.code, Some(0), "{out:?}");
}

#[test]
fn count_with_several_targets() {
    let (pa, pb, pc) = (closed_port(), closed_port(), closed_port());
    let _a = TestServer::start(v4(pa), Mode::Tcp);
    let _b = TestServer::start(v4(pb), Mode::Http(|_| 200));
    let a = format!("127.0.0.1:{pa}");
    let b = format!("http://127.0.0.1:{pb}/");
    let c = format!("127.0.0.1:{pc}");

    let out = run_watch(&s(&[&a, &b, "--interval", "100ms", "--count", "3"]));
    let lines = out.json();
    assert_eq!(lines.len(), 6, "3 checks of each of 2 targets:\n{out:?}");
    for t in [&a, &b] {
        let mine = of_target(&lines, t);
        assert_eq!(mine.len(), 3, "{t}:\n{out:?}");
        check_sequence(&mine, &out);
        assert!(mine.iter().all(|v| v["up"] == true), "{out:?}");
    }
    assert_eq!(out.code, Some(0), "all up:\n{out:?}");

    let out = run_watch(&s(&[&a, &b, &c, "--interval", "100ms", "--count", "3"]));
    let lines = out.json();
    assert_eq!(lines.len(), 9, "{out:?}");
    for t in [&a, &b, &c] {
        let mine = of_target(&lines, t);
        assert_eq!(mine.len(), 3, "{t}:\n{out:?}");
        check_sequence(&mine, &out);
    }
    assert!(of_target(&lines, &c).iter().all(|v| v["up"] == false));
    assert_eq!(out.code, Some(1), "{c} was down:\n{out:?}");
}

#[test]
fn ipv6_loopback() {
    let listener = TcpListener::bind((Ipv6Addr::LOCALHOST, 0));
    if !support::require(
        listener.is_ok(),
        "IPv6 loopback test",
        "::1 is not configured on lo",
    ) {
        return;
    }
    let listener = listener.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = serve(listener, |_| {});
    let target = format!("[::1]:{port}");
    let out = run_watch(&s(&[
        &target,
        "--count",
        "2",
        "--interval",
        "100ms",
        "--json",
    ]));
    let lines = out.json();
    assert_eq!(lines.len(), 2, "{out:?}");
    for v in &lines {
        assert_eq!(v["up"], true, "{out:?}");
        assert_eq!(v["address"], format!("[::1]:{port}"), "{out:?}");
        assert_eq!(v["addresses"], serde_json::json!(["::1"]), "{out:?}");
    }
    drop(server);
    let out = run_watch(&s(&[&target, "--count", "1"]));
    let v = &out.json()[0];
    assert_eq!(v["error"]["kind"], "refused", "{out:?}");
    assert_eq!(out.code, Some(1));
}

#[test]
fn localhost_is_resolved_and_reported() {
    // localhost comes from /etc/hosts (or the resolver's built-in answer), never from DNS.
    let port = closed_port();
    let _server = TestServer::start(v4(port), Mode::Tcp);
    let out = run_watch(&s(&[&format!("localhost:{port}"), "--count", "1"]));
    let v = &out.json()[0];
    let addresses = v["addresses"].as_array().cloned().unwrap_or_default();
    assert!(addresses.contains(&"127.0.0.1".into()), "{out:?}");
    assert_eq!(
        v["up"], true,
        "a listener on 127.0.0.1 serves localhost:\n{out:?}"
    );
    assert_eq!(v["address"], format!("127.0.0.1:{port}"), "{out:?}");
    assert_eq!(out.code, Some(0));
}

#[test]
fn unix_missing_and_stale() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.sock");
    let stale = dir.path().join("stale.sock");
    let live = dir.path().join("live.sock");
    // A socket file whose listener is gone: the file stays, connect is refused.
    drop(UnixListener::bind(&stale).unwrap());
    let _live = UnixListener::bind(&live).unwrap();
    let targets: Vec<String> = [&missing, &stale, &live]
        .iter()
        .map(|p| format!("unix:{}", p.display()))
        .collect();
    let mut args = targets.clone();
    args.extend(s(&["--count", "1"]));
    let out = run_watch(&args);
    let lines = out.json();
    assert_eq!(lines.len(), 3, "{out:?}");
    let one = |t: &str| of_target(&lines, t)[0].clone();
    assert_eq!(one(&targets[0])["error"]["kind"], "unix-missing", "{out:?}");
    assert_eq!(one(&targets[1])["error"]["kind"], "unix-stale", "{out:?}");
    assert_eq!(one(&targets[2])["up"], true, "{out:?}");
    assert_eq!(out.code, Some(1));
}

#[test]
fn per_check_timeout() {
    let port = closed_port();
    let _server = TestServer::start(v4(port), Mode::Silent);
    let target = format!("http://127.0.0.1:{port}/");
    let out = run_watch(&s(&[&target, "--count", "1", "--timeout", "500ms"]));
    let v = &out.json()[0];
    assert_eq!(v["up"], false, "{out:?}");
    assert_eq!(v["error"]["kind"], "timeout", "{out:?}");
    // It cannot time out before its 500 ms (the timer's granularity aside). The server holds
    // the request until it is stopped, so an ignored --timeout would show the 5 s default:
    // never below 5000, which is the only (functional) upper bound.
    let ms = v["latency_ms"].as_f64().unwrap();
    assert!(ms >= 450.0, "timed out before its 500 ms: {ms}:\n{out:?}");
    assert!(
        ms < 5000.0,
        "the 5 s default, not --timeout 500ms: {ms}:\n{out:?}"
    );
    assert_eq!(out.code, Some(1));
}

#[test]
fn reset_by_the_server() {
    let server = serve(loopback_listener(), reset_at_once);
    let target = format!("http://{}/", server.addr);
    let out = run_watch(&s(&[&target, "--count", "1"]));
    let v = &out.json()[0];
    assert_eq!(v["up"], false, "{out:?}");
    assert_eq!(v["error"]["kind"], "reset", "{out:?}");
    assert_eq!(out.code, Some(1));
}

#[test]
fn passwords_are_redacted() {
    let secret = "hunter2-watch-secret";
    let port = closed_port();
    let target = format!("postgres://app:{secret}@127.0.0.1:{port}/db");
    let out = run_watch(&s(&[&target, "--count", "2", "--interval", "100ms"]));
    assert_eq!(out.json().len(), 2, "{out:?}");
    assert!(
        !out.lines.concat().contains(secret) && !out.stderr.contains(secret),
        "secret leaked:\n{out:?}"
    );
    assert_eq!(
        out.json()[0]["target"],
        format!("postgres://app:***@127.0.0.1:{port}/db")
    );
}

#[test]
fn bad_input_is_exit_2() {
    let port = closed_port();
    let tcp = format!("127.0.0.1:{port}");
    let cases: Vec<Vec<String>> = vec![
        s(&[&tcp, "--interval", "0", "--count", "1"]),
        s(&[&tcp, "--interval", "50ms", "--count", "1"]),
        s(&[&tcp, "--interval", "2h", "--count", "1"]),
        s(&[&tcp, "--interval", "soon", "--count", "1"]),
        s(&[&tcp, "--count", "0"]),
        s(&[&tcp, "--count", "-1"]),
        s(&[&tcp, "--count", "many"]),
        s(&[&tcp, "--count", "1", "--expect-status", "2xx"]),
        s(&[&tcp, "--count", "1", "--timeout", "soon"]),
        s(&["--count", "1"]),
        s(&["127.0.0.1:notaport", "--count", "1"]),
    ];
    // Every case is run, and all that fail are listed together.
    let mut failures = Vec::new();
    for args in cases {
        let out = run_watch(&args);
        let ok = out.code == Some(2)
            && out.lines.is_empty()
            && out.stderr.starts_with("connfix: ")
            && out.stderr.trim_end().lines().count() == 1;
        if !ok {
            failures.push(format!("{args:?}: {out:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "expected exit 2, one stderr line starting 'connfix: ', no NDJSON:\n{}",
        failures.join("\n")
    );
}

#[test]
fn dns_is_resolved_again_on_every_check() {
    // In a namespace of its own, whose resolv.conf names a dnsmasq inside it: no query leaves.
    if !support::require(
        support::can_netns(),
        "DNS watch test",
        "needs root and iproute2",
    ) || !support::require(
        support::have("dnsmasq"),
        "DNS watch test",
        "needs dnsmasq (Debian package dnsmasq-base)",
    ) {
        return;
    }
    let ns = support::Netns::new();
    ns.set_resolv_conf("nameserver 127.0.0.1\n");
    let one = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = one.local_addr().unwrap().port();
    let _two = listen_in_netns(&ns.name, SocketAddr::from(([127, 0, 0, 2], port)));
    let dns = support::Dnsmasq::start(
        Some(&ns),
        "127.0.0.1".parse().unwrap(),
        53,
        &[("app.test", Some("127.0.0.1".parse().unwrap()))],
    );
    let target = format!("app.test:{port}");
    let mut w = watch_in(&ns, &s(&[&target, "--interval", "200ms", "--count", "20"]));
    let first = w.next();
    assert_eq!(
        first["addresses"],
        serde_json::json!(["127.0.0.1"]),
        "{first}"
    );
    assert_eq!(first["up"], true, "{first}");
    // The name moves to 127.0.0.2.
    drop(dns);
    let _dns = support::Dnsmasq::start(
        Some(&ns),
        "127.0.0.1".parse().unwrap(),
        53,
        &[("app.test", Some("127.0.0.2".parse().unwrap()))],
    );
    while w.next()["addresses"] != serde_json::json!(["127.0.0.2"]) {}
    let out = w.finish();
    let lines = out.json();
    assert_eq!(lines.len(), 20, "{out:?}");
    let refs: Vec<&Value> = lines.iter().collect();
    check_sequence(&refs, &out);
    // dns_changed says exactly whether the set differs from the check before (a check made
    // while no server answered may sit between the two sets).
    assert_eq!(lines[0]["dns_changed"], false, "{out:?}");
    for pair in lines.windows(2) {
        let differs = pair[0]["addresses"] != pair[1]["addresses"];
        assert_eq!(
            pair[1]["dns_changed"], differs,
            "seq {}:\n{out:?}",
            pair[1]["seq"]
        );
    }
    let moved = lines
        .iter()
        .find(|v| v["addresses"] == serde_json::json!(["127.0.0.2"]))
        .unwrap();
    assert_eq!(moved["up"], true, "{out:?}");
    assert_eq!(moved["address"], format!("127.0.0.2:{port}"), "{out:?}");
    assert_eq!(
        lines.last().unwrap()["addresses"],
        serde_json::json!(["127.0.0.2"]),
        "{out:?}"
    );
}
