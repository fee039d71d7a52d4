//! `connfix wait`: the exit codes, progress lines and timeout reason a user sees, against real
//! listeners on loopback that appear late, answer 503 for a while, or never come.
//!
//! Every run has an explicit --timeout and is killed by the test if it outlives a hard limit;
//! every server thread and child process is stopped on Drop, also when an assertion fails.
//! A late server's port is bound (refusing) from the start and listens only once connfix has
//! printed that the target is down, so "down, then up" holds by construction, not by sleeps.
//! Timing bounds are functional only: "not before its --timeout", "well before the 120 s
//! timeout"; speed is measured by bench/wait.sh.

mod support;

use socket2::{Domain, Protocol, Socket, Type};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use support::cli::*;

/// A correct `wait` returns well before its timeout ([`LONG_TIMEOUT`]) once the target is up.
const WELL_BEFORE_TIMEOUT: Duration = Duration::from_secs(30);
/// The --timeout of runs that must end because the target came up: far above
/// [`WELL_BEFORE_TIMEOUT`] and [`HARD_LIMIT`], so that bound cannot be reached by a slow
/// machine, only by a `wait` that ignores a target being up.
const LONG_TIMEOUT: &str = "120s";
/// Past this the test kills connfix and fails: nothing may hang.
const HARD_LIMIT: Duration = Duration::from_secs(90);
/// A bound against hanging for runs that end by themselves at once or after a short
/// --timeout: not a speed requirement.
const HANG: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Running connfix

/// A child process that is killed and reaped on every path.
struct ChildGuard(Option<Child>);

impl ChildGuard {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("child present")
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A running `connfix`, its output collected by threads.
struct Running {
    guard: ChildGuard,
    pid: u32,
    started: Instant,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
    /// Each stderr line as it is printed, for [`Running::await_line`].
    stderr_lines: mpsc::Receiver<String>,
    args: Vec<String>,
}

#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    pid: u32,
}

impl Outcome {
    fn lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

fn reader(mut r: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        buf
    })
}

/// Like [`reader`], and sends each line on `lines` as soon as it is complete.
fn line_reader(r: impl Read + Send + 'static, lines: mpsc::Sender<String>) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut r = BufReader::new(r);
        let mut all = Vec::new();
        loop {
            let mut line = Vec::new();
            match r.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    all.extend_from_slice(&line);
                    // Nobody listening any more is fine: the whole text is returned too.
                    let _ = lines.send(String::from_utf8_lossy(&line).into_owned());
                }
            }
        }
        all
    })
}

/// Spawns `connfix ARGS` (clean env, see `connfix()`), feeding `stdin` if given.
fn spawn_with(args: &[String], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Running {
    let mut cmd: Command = connfix();
    cmd.args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let started = Instant::now();
    let child = cmd.spawn().expect("spawn connfix");
    let mut guard = ChildGuard(Some(child));
    let pid = guard.child().id();
    if let Some(data) = stdin {
        let mut pipe = guard.child().stdin.take().expect("stdin pipe");
        let data = data.to_vec();
        // A reader that never reads must not block the test: the write happens on a thread.
        thread::spawn(move || {
            let _ = pipe.write_all(&data);
        });
    }
    let (tx, stderr_lines) = mpsc::channel();
    let stdout = reader(guard.child().stdout.take().expect("stdout pipe"));
    let stderr = line_reader(guard.child().stderr.take().expect("stderr pipe"), tx);
    Running {
        guard,
        pid,
        started,
        stdout: Some(stdout),
        stderr: Some(stderr),
        stderr_lines,
        args: args.to_vec(),
    }
}

fn spawn(args: &[String]) -> Running {
    spawn_with(args, None, &[])
}

impl Running {
    /// Blocks until connfix has printed a stderr line containing every needle: the event a
    /// late server waits for before it listens (e.g. "is down" for its target, which proves
    /// connfix tried and was refused). Bounded by HARD_LIMIT since the spawn; on failure
    /// the panic names the lines seen, and the guard kills connfix.
    #[track_caller]
    fn await_line(&self, needles: &[&str]) -> String {
        let mut seen = Vec::new();
        loop {
            let left = HARD_LIMIT.saturating_sub(self.started.elapsed());
            match self.stderr_lines.recv_timeout(left) {
                Ok(line) if needles.iter().all(|n| line.contains(n)) => return line,
                Ok(line) => seen.push(line),
                Err(e) => panic!(
                    "connfix {:?} printed no stderr line with all of {needles:?} ({e}); \
                     lines so far: {seen:#?}",
                    self.args
                ),
            }
        }
    }

    /// Waits for the exit (killing connfix and failing past `limit` since the spawn).
    fn finish(mut self, limit: Duration) -> Outcome {
        let status = loop {
            match self.guard.child().try_wait().expect("try_wait") {
                Some(status) => break Some(status),
                None if self.started.elapsed() > limit => break None,
                None => thread::sleep(Duration::from_millis(10)),
            }
        };
        let elapsed = self.started.elapsed();
        if status.is_none() {
            let _ = self.guard.child().kill();
            let _ = self.guard.child().wait();
        }
        let text = |h: Option<JoinHandle<Vec<u8>>>| {
            String::from_utf8_lossy(&h.expect("reader").join().unwrap_or_default()).into_owned()
        };
        let out = Outcome {
            code: status.and_then(|s| s.code()),
            stdout: text(self.stdout.take()),
            stderr: text(self.stderr.take()),
            elapsed,
            pid: self.pid,
        };
        assert!(
            status.is_some(),
            "connfix {:?} still running after {limit:?}; killed.\n{out:#?}",
            self.args
        );
        out
    }
}

/// Runs to the end (bounded by HARD_LIMIT).
fn run_wait(args: &[String]) -> Outcome {
    spawn(args).finish(HARD_LIMIT)
}

/// Runs a case that ends by itself at once or after a short --timeout (bounded by HANG).
fn run_short(args: &[String]) -> Outcome {
    spawn(args).finish(HANG)
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Servers

#[derive(Clone, Copy)]
enum Mode {
    /// Accept and close: a TCP target is up. Counts connections.
    Tcp,
    /// Read the request, answer with the status for request number n (0-based). Counts
    /// requests that actually arrived (a bare connect does not use up a status).
    Http(fn(usize) -> u16),
}

/// A TCP server whose port the test owns from the start: [`LateServer::bound`] binds a
/// socket without listening, so connects to it are refused (Linux answers a SYN to a port
/// with no listener with a reset) and no other test can take the port. [`LateServer::listen`]
/// starts serving when the test has seen the event it waits for. Stops (closing the port)
/// on Drop; the accept loop polls a stop flag.
struct LateServer {
    addr: SocketAddr,
    mode: Mode,
    /// Bound, not yet listening; taken by `listen`.
    socket: Option<Socket>,
    stop: Arc<AtomicBool>,
    count: Arc<AtomicUsize>,
    handle: Option<JoinHandle<()>>,
}

impl LateServer {
    /// Binds a free port on `ip`; connects to it are refused until [`LateServer::listen`].
    fn bound(ip: IpAddr, mode: Mode) -> LateServer {
        let addr = SocketAddr::new(ip, 0);
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
            .expect("a TCP socket");
        socket
            .bind(&addr.into())
            .unwrap_or_else(|e| panic!("bind {addr}: {e}"));
        let addr = socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .expect("the bound address");
        LateServer {
            addr,
            mode,
            socket: Some(socket),
            stop: Arc::new(AtomicBool::new(false)),
            count: Arc::new(AtomicUsize::new(0)),
            handle: None,
        }
    }

    /// A server on 127.0.0.1 that listens at once.
    fn now(mode: Mode) -> LateServer {
        let mut server = LateServer::bound(Ipv4Addr::LOCALHOST.into(), mode);
        server.listen();
        server
    }

    /// "127.0.0.1:PORT" or "[::1]:PORT", as a TCP target.
    fn target(&self) -> String {
        self.addr.to_string()
    }

    /// Starts listening: from the return on, connects succeed (they wait in the backlog
    /// until the serving thread accepts them).
    fn listen(&mut self) {
        let socket = self.socket.take().expect("listen is called once");
        socket.listen(128).expect("listen");
        let listener = TcpListener::from(socket);
        listener.set_nonblocking(true).expect("nonblocking");
        let (flag, counter, mode) = (self.stop.clone(), self.count.clone(), self.mode);
        self.handle = Some(thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let counter = counter.clone();
                        thread::spawn(move || handle_conn(stream, mode, &counter));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        }));
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// True once `n` connections (Tcp) or requests (Http) were served. Polls for a while:
    /// connfix may have connected and exited before this server's thread called accept().
    fn served_at_least(&self, n: usize) -> bool {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.count() < n {
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(10));
        }
        true
    }
}

impl Drop for LateServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn handle_conn(mut s: TcpStream, mode: Mode, counter: &AtomicUsize) {
    match mode {
        Mode::Tcp => {
            counter.fetch_add(1, Ordering::SeqCst);
        }
        Mode::Http(status_of) => {
            if !read_request(&mut s) {
                return;
            }
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let status = status_of(n);
            write_response(s, status);
        }
    }
}

/// A port on 127.0.0.1 that refuses connections for as long as the holder lives.
fn closed() -> (LateServer, String) {
    let server = LateServer::bound(Ipv4Addr::LOCALHOST.into(), Mode::Tcp);
    let target = server.target();
    (server, target)
}

/// Index of the first stderr line containing every needle.
fn line_index(out: &Outcome, needles: &[&str]) -> Option<usize> {
    out.lines()
        .iter()
        .position(|l| needles.iter().all(|n| l.contains(n)))
}

#[track_caller]
fn must_have_line(out: &Outcome, needles: &[&str]) -> usize {
    line_index(out, needles)
        .unwrap_or_else(|| panic!("no stderr line with all of {needles:?}:\n{out:#?}"))
}

/// The one stderr line saying the wait timed out.
#[track_caller]
fn timeout_line(out: &Outcome) -> String {
    let lines: Vec<&str> = out
        .lines()
        .into_iter()
        .filter(|l| l.contains("timed out"))
        .collect();
    assert_eq!(lines.len(), 1, "one 'timed out' line expected:\n{out:#?}");
    lines[0].to_string()
}

// ---------------------------------------------------------------------------------------------
// Up late, then done
//
// The late server listens only after connfix has printed that its target is down: that it
// tried before the target was up holds by construction, not by timing.

#[test]
fn late_listener_then_cmd_exit_code_is_passed_on() {
    let mut server = LateServer::bound(Ipv4Addr::LOCALHOST.into(), Mode::Tcp);
    let target = server.target();
    let running = spawn(&s(&[
        "wait",
        &target,
        "--timeout",
        LONG_TIMEOUT,
        "--",
        "sh",
        "-c",
        "exit 7",
    ]));
    running.await_line(&[&target, "is down", "refused"]);
    server.listen();
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(7), "CMD's exit code:\n{out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT, "{out:#?}");
    assert!(
        server.served_at_least(1),
        "wait never connected to the server"
    );
    let down = must_have_line(&out, &[&target, "is down", "refused"]);
    let up = must_have_line(&out, &[&target, "is up"]);
    assert!(down < up, "down, then up:\n{}", out.stderr);
}

#[test]
fn late_listener_without_cmd_exits_0() {
    let mut server = LateServer::bound(Ipv4Addr::LOCALHOST.into(), Mode::Tcp);
    let target = server.target();
    let running = spawn(&s(&["wait", &target, "--timeout", LONG_TIMEOUT]));
    running.await_line(&[&target, "is down", "refused"]);
    server.listen();
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT, "{out:#?}");
    assert!(server.served_at_least(1), "wait never connected");
    assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", out.stdout);
    let start = must_have_line(&out, &["waiting for", &target]);
    let up = must_have_line(&out, &[&target, "is up"]);
    assert!(start < up, "{}", out.stderr);
}

#[test]
fn timeout_0_waits_for_ever() {
    let mut server = LateServer::bound(Ipv4Addr::LOCALHOST.into(), Mode::Tcp);
    let target = server.target();
    let running = spawn(&s(&["wait", &target, "--timeout", "0"]));
    running.await_line(&["waiting for", &target, "no timeout"]);
    // Down first: a "0" taken as zero seconds would have ended with 124 instead.
    running.await_line(&[&target, "is down", "refused"]);
    server.listen();
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(server.served_at_least(1), "wait never connected");
    assert!(!out.stderr.contains("timed out"), "{out:#?}");
}

#[test]
fn ipv6_loopback_late_listener() {
    let have_v6 = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok();
    if !support::require(have_v6, "IPv6 loopback test", "::1 is not configured on lo") {
        return;
    }
    let mut server = LateServer::bound(Ipv6Addr::LOCALHOST.into(), Mode::Tcp);
    let target = server.target();
    assert!(target.starts_with("[::1]:"), "{target}");
    let running = spawn(&s(&["wait", &target, "--timeout", LONG_TIMEOUT]));
    running.await_line(&[&target, "is down", "refused"]);
    server.listen();
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT, "{out:#?}");
    assert!(server.served_at_least(1), "wait never connected");
    must_have_line(&out, &["[::1]", "is up"]);
}

#[test]
fn unix_socket_that_appears_later() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sock");
    let target = format!("unix:{}", path.display());
    let running = spawn(&s(&["wait", &target, "--timeout", LONG_TIMEOUT]));
    // The socket is created only once connfix has said the path is not there (yet).
    let down = running.await_line(&[&path.display().to_string(), "is down"]);
    assert!(!path.exists(), "{down}");
    let listener = UnixListener::bind(&path).expect("bind unix socket");
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT, "{out:#?}");
    // connfix has exited: its connection waits in the backlog, and nothing else connects.
    listener.set_nonblocking(true).unwrap();
    assert!(
        listener.accept().is_ok(),
        "wait never connected to the unix socket"
    );
    let down = must_have_line(&out, &["is down"]);
    let up = must_have_line(&out, &["is up"]);
    assert!(down < up, "down, then up:\n{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Never up

#[test]
fn never_listening_times_out_with_124_and_the_reason() {
    let (_closed, target) = closed();
    let out = run_short(&s(&[
        "wait",
        &target,
        "--timeout",
        "1s",
        "--",
        "sh",
        "-c",
        "exit 7",
    ]));
    assert_eq!(out.code, Some(124), "{out:#?}");
    assert!(
        out.elapsed >= Duration::from_secs(1),
        "timed out before its 1s: {out:#?}"
    );
    let line = timeout_line(&out);
    assert!(line.starts_with("connfix wait: "), "{line}");
    assert!(line.contains(&target) && line.contains("refused"), "{line}");
    assert!(out.stdout.is_empty(), "CMD must not run: {:?}", out.stdout);
}

#[test]
fn durations_in_other_forms() {
    let (_closed, target) = closed();
    for (timeout, at_least) in [("500ms", 500), ("1.5", 1500)] {
        let out = run_short(&s(&["wait", &target, "--timeout", timeout]));
        assert_eq!(out.code, Some(124), "--timeout {timeout}: {out:#?}");
        assert!(
            out.elapsed >= Duration::from_millis(at_least),
            "--timeout {timeout}: {out:#?}"
        );
        timeout_line(&out);
    }
}

#[test]
fn the_error_is_printed_when_it_changes_not_on_every_attempt() {
    // About 20 attempts in 2 s at --max-interval 100ms; the error stays "refused".
    let (_closed, target) = closed();
    let out = run_short(&s(&[
        "wait",
        &target,
        "--timeout",
        "2s",
        "--max-interval",
        "100ms",
    ]));
    assert_eq!(out.code, Some(124), "{out:#?}");
    let downs = out.lines().iter().filter(|l| l.contains("is down")).count();
    assert_eq!(
        downs, 1,
        "one 'is down' line for an unchanging error:\n{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Several targets

#[test]
fn several_targets_one_late() {
    let early = LateServer::now(Mode::Tcp);
    let mut late = LateServer::bound(Ipv4Addr::LOCALHOST.into(), Mode::Tcp);
    let (a, b) = (early.target(), late.target());
    let running = spawn(&s(&["wait", &a, &b, "--timeout", LONG_TIMEOUT]));
    // b listens only once connfix has found it down (and, in the same run, a up or not).
    running.await_line(&[&b, "is down", "refused"]);
    late.listen();
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT, "{out:#?}");
    assert!(early.served_at_least(1) && late.served_at_least(1));
    let start = must_have_line(&out, &["waiting for", &a, &b]);
    let a_up = must_have_line(&out, &[&a, "is up"]);
    let b_down = must_have_line(&out, &[&b, "is down", "refused"]);
    let b_up = must_have_line(&out, &[&b, "is up"]);
    assert!(
        start < a_up && a_up < b_up && b_down < b_up,
        "order:\n{}",
        out.stderr
    );
    assert!(
        line_index(&out, &[&a, "is down"]).is_none(),
        "{a} was never down:\n{}",
        out.stderr
    );
}

#[test]
fn several_targets_timeout_names_only_those_still_down() {
    let up = LateServer::now(Mode::Tcp);
    let (_down, b) = closed();
    let a = up.target();
    let out = run_short(&s(&["wait", &a, &b, "--timeout", "1s"]));
    assert_eq!(out.code, Some(124), "{out:#?}");
    let line = timeout_line(&out);
    let (_, still_down) = line
        .split_once("still down")
        .unwrap_or_else(|| panic!("no 'still down' in {line:?}"));
    assert!(still_down.contains(&b), "{line}");
    assert!(!still_down.contains(&a), "{a} was up: {line}");
}

// ---------------------------------------------------------------------------------------------
// HTTP

#[test]
fn http_refused_then_503_then_200() {
    // Once listening, the first three requests get 503.
    let mut server = LateServer::bound(
        Ipv4Addr::LOCALHOST.into(),
        Mode::Http(|n| if n < 3 { 503 } else { 200 }),
    );
    let target = format!("http://{}/health", server.addr);
    let running = spawn(&s(&[
        "wait",
        &target,
        "--timeout",
        LONG_TIMEOUT,
        "--max-interval",
        "300ms",
    ]));
    running.await_line(&["is down", "refused"]);
    server.listen();
    let out = running.finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT, "{out:#?}");
    assert!(
        server.served_at_least(4),
        "up only after a 200 (requests served: {})",
        server.count()
    );
    let refused = must_have_line(&out, &["is down", "refused"]);
    let status = must_have_line(&out, &["is down", "503"]);
    let up = must_have_line(&out, &["is up"]);
    assert!(refused < status && status < up, "order:\n{}", out.stderr);
}

#[test]
fn http_always_503_times_out_with_503_in_the_reason() {
    let server = serve(loopback_listener(), http_503);
    let target = format!("http://{}/", server.addr);
    let out = run_wait(&s(&["wait", &target, "--timeout", "1s"]));
    assert_eq!(out.code, Some(124), "{out:#?}");
    let line = timeout_line(&out);
    assert!(line.contains("503"), "{line}");
    assert!(line.contains(&server.addr.to_string()), "{line}");
}

#[test]
fn expect_status_decides_what_up_means() {
    let s503 = serve(loopback_listener(), http_503);
    let u503 = format!("http://{}/", s503.addr);
    let out = run_wait(&s(&[
        "wait",
        &u503,
        "--timeout",
        LONG_TIMEOUT,
        "--expect-status",
        "503",
    ]));
    assert_eq!(out.code, Some(0), "503 expected: {out:#?}");
    assert!(out.elapsed < WELL_BEFORE_TIMEOUT);
    let out = run_wait(&s(&[
        "wait",
        &u503,
        "--timeout",
        LONG_TIMEOUT,
        "--expect-status",
        "5xx",
    ]));
    assert_eq!(out.code, Some(0), "5xx expected: {out:#?}");

    let s404 = LateServer::now(Mode::Http(|_| 404));
    let u404 = format!("http://{}/missing", s404.addr);
    // Without --expect-status anything below 500 is up.
    let out = run_wait(&s(&["wait", &u404, "--timeout", LONG_TIMEOUT]));
    assert_eq!(out.code, Some(0), "404 is below 500: {out:#?}");
    let out = run_wait(&s(&[
        "wait",
        &u404,
        "--timeout",
        "1s",
        "--expect-status",
        "200-299,301",
    ]));
    assert_eq!(out.code, Some(124), "404 not expected: {out:#?}");
    assert!(timeout_line(&out).contains("404"), "{out:#?}");
}

#[test]
fn env_target_and_passwords_stay_hidden() {
    let secret = "hunter2-wait-secret";
    let mut server = LateServer::bound(Ipv4Addr::LOCALHOST.into(), Mode::Http(|_| 200));
    let port = server.addr.port();
    let url = format!("http://app:{secret}@127.0.0.1:{port}/");
    let out = spawn_with(
        &s(&["wait", "env:CONNFIX_TEST_WAIT_URL", "--timeout", "1s"]),
        None,
        &[("CONNFIX_TEST_WAIT_URL", &url)],
    )
    .finish(HARD_LIMIT);
    assert_eq!(out.code, Some(124), "{out:#?}");
    assert!(
        !out.stderr.contains(secret),
        "secret leaked:\n{}",
        out.stderr
    );
    assert!(timeout_line(&out).contains(&port.to_string()), "{out:#?}");

    server.listen();
    let out = spawn_with(
        &s(&[
            "wait",
            "env:CONNFIX_TEST_WAIT_URL",
            "--timeout",
            LONG_TIMEOUT,
        ]),
        None,
        &[("CONNFIX_TEST_WAIT_URL", &url)],
    )
    .finish(HARD_LIMIT);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(
        !out.stderr.contains(secret),
        "secret leaked:\n{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// CMD

fn up_target() -> (LateServer, String) {
    let server = LateServer::now(Mode::Tcp);
    let target = server.target();
    (server, target)
}

#[test]
fn cmd_args_arrive_literally_without_a_shell() {
    let (_server, target) = up_target();
    let out = run_wait(&s(&[
        "wait",
        &target,
        "--timeout",
        LONG_TIMEOUT,
        "--",
        "printf",
        "%s|",
        "a b",
        "$HOME",
        "*",
        "",
    ]));
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(out.stdout, "a b|$HOME|*||");
}

#[test]
fn cmd_replaces_connfix() {
    // exec, not a child: CMD has connfix's pid, so signals sent to it reach CMD.
    let (_server, target) = up_target();
    let out = run_wait(&s(&[
        "wait",
        &target,
        "--timeout",
        LONG_TIMEOUT,
        "-q",
        "--",
        "sh",
        "-c",
        "echo $$",
    ]));
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(out.stdout.trim(), out.pid.to_string(), "{out:#?}");
}

#[test]
fn cmd_stdin_stdout_and_stderr_pass_through() {
    let (_server, target) = up_target();
    let out = spawn_with(
        &s(&[
            "wait",
            &target,
            "--timeout",
            LONG_TIMEOUT,
            "--quiet",
            "--",
            "sh",
            "-c",
            "cat; echo to-stderr >&2; exit 3",
        ]),
        Some(b"hello from stdin\nline two\n"),
        &[],
    )
    .finish(HARD_LIMIT);
    assert_eq!(out.code, Some(3), "{out:#?}");
    assert_eq!(out.stdout, "hello from stdin\nline two\n");
    assert_eq!(out.stderr, "to-stderr\n");
}

#[test]
fn cmd_not_found_is_127_and_not_executable_is_126() {
    let (_server, target) = up_target();
    let missing = "connfix-test-no-such-command-7f3a";
    let out = run_wait(&s(&[
        "wait",
        &target,
        "--timeout",
        LONG_TIMEOUT,
        "-q",
        "--",
        missing,
        "x",
    ]));
    assert_eq!(out.code, Some(127), "{out:#?}");
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "one line: {out:#?}"
    );
    assert!(out.stderr.contains(missing), "{out:#?}");
    assert!(!out.stderr.contains("panicked"));

    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\necho ran\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o644)).unwrap();
    let path = script.to_string_lossy().into_owned();
    let out = run_wait(&s(&[
        "wait",
        &target,
        "--timeout",
        LONG_TIMEOUT,
        "-q",
        "--",
        &path,
    ]));
    assert_eq!(out.code, Some(126), "{out:#?}");
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "one line: {out:#?}"
    );
    assert!(out.stderr.contains(&path), "{out:#?}");
    assert!(out.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// --quiet

#[test]
fn quiet_success_is_silent() {
    // Down first (so there would be progress to print): the first request gets 503. With
    // --quiet there is no "is down" line to wait for, so the status does the ordering.
    let server = LateServer::now(Mode::Http(|n| if n == 0 { 503 } else { 200 }));
    let target = format!("http://{}/", server.addr);
    let out = run_wait(&s(&["wait", &target, "--timeout", LONG_TIMEOUT, "--quiet"]));
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(
        server.served_at_least(2),
        "down (503) first, then up (requests served: {})",
        server.count()
    );
    assert_eq!(out.stderr, "", "--quiet prints nothing on success");
    assert_eq!(out.stdout, "");
}

#[test]
fn quiet_timeout_still_says_why() {
    let (_closed, target) = closed();
    let out = run_short(&s(&["wait", &target, "--timeout", "1s", "-q"]));
    assert_eq!(out.code, Some(124), "{out:#?}");
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "only the reason: {out:#?}"
    );
    let line = timeout_line(&out);
    assert!(line.contains(&target) && line.contains("refused"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn bad_input_is_exit_2_with_one_line() {
    let (closed, tcp) = closed();
    let http = format!("http://{}/", closed.addr);
    assert_all_bad_input(vec![
        s(&["wait", &tcp, "--timeout", "soon"]),
        s(&["wait", &tcp, "--timeout", "5s", "--max-interval", "0"]),
        s(&["wait", &tcp, "--timeout", "5s", "--max-interval", "often"]),
        s(&["wait", &http, "--timeout", "5s", "--expect-status", "abc"]),
        s(&["wait", &http, "--timeout", "5s", "--expect-status", "2xx,"]),
        s(&["wait", "127.0.0.1:notaport", "--timeout", "5s"]),
        s(&["wait", "127.0.0.1:70000", "--timeout", "5s"]),
        s(&["wait", &tcp, "foo://127.0.0.1", "--timeout", "5s"]),
        s(&["wait", "env:CONNFIX_TEST_SURELY_UNSET", "--timeout", "5s"]),
    ]);
}

#[test]
fn no_target_is_exit_2_with_one_line() {
    assert_all_bad_input(vec![
        s(&["wait", "--timeout", "5s"]),
        s(&["wait", "--timeout", "5s", "--", "true"]),
    ]);
}

/// Each case: exit 2, one stderr line starting `connfix: `, nothing on stdout. A case that
/// waited instead would end with 124 (or be killed at HANG), not 2.
#[track_caller]
fn assert_all_bad_input(cases: Vec<Vec<String>>) {
    // Every case is run, and all that fail are listed together.
    let mut failures = Vec::new();
    for args in cases {
        let out = spawn(&args).finish(HANG);
        let ok = out.code == Some(2)
            && out.stderr.starts_with("connfix: ")
            && out.stderr.trim_end().lines().count() == 1
            && out.stdout.is_empty();
        if !ok {
            failures.push(format!(
                "{args:?}: exit {:?}, stderr {:?}, stdout {:?}",
                out.code, out.stderr, out.stdout
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "expected exit 2 and one stderr line starting 'connfix: ', nothing on stdout:\n{}",
        failures.join("\n")
    );
}
