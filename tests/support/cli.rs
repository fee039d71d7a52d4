//! Running the real connfix binary, and the small servers the tests point it at.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_connfix");

/// A connfix command with a clean, predictable environment: no proxy variables from the
/// machine, no colour, and a private config directory so user knowledge files don't leak in.
pub fn connfix() -> Command {
    let mut c = Command::new(BIN);
    isolate(&mut c);
    c
}

pub fn isolate(c: &mut Command) {
    for v in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
        "no_proxy",
        "NO_PROXY",
        "container",
    ] {
        c.env_remove(v);
    }
    c.env("NO_COLOR", "1");
    c.env(
        "XDG_CONFIG_HOME",
        std::env::temp_dir().join("connfix-test-no-config"),
    );
}

/// Runs a prepared command and parses its JSON; panics with stderr if it is not JSON.
pub fn json_of(mut cmd: Command) -> (i32, Value) {
    let out = cmd.output().expect("run connfix");
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {code}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

/// `connfix check ARGS... --json` on the host.
pub fn check(args: &[&str]) -> (i32, Value) {
    let mut c = connfix();
    c.arg("check").args(args).arg("--json");
    json_of(c)
}

pub fn run(args: &[&str]) -> Output {
    connfix().args(args).output().expect("run connfix")
}

pub fn verdict(v: &Value) -> &str {
    v["verdict"]["id"].as_str().unwrap_or("")
}

pub fn cause_ids(v: &Value) -> Vec<String> {
    v["causes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub fn has_fact(v: &Value, name: &str) -> bool {
    v["facts"]
        .as_array()
        .is_some_and(|a| a.iter().any(|f| f["name"] == name))
}

/// Asserts the verdict and its confidence, printing the whole report when either is wrong.
#[track_caller]
pub fn assert_verdict(v: &Value, id: &str, confidence: &str) {
    let got = (
        verdict(v),
        v["verdict"]["confidence"].as_str().unwrap_or(""),
    );
    assert_eq!(
        got,
        (id, confidence),
        "wrong verdict; report:\n{}",
        serde_json::to_string_pretty(v).unwrap_or_default()
    );
}

/// A server thread that stops when dropped (bounded: it polls a stop flag).
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Serves each accepted connection with `handle` until dropped.
pub fn serve(listener: TcpListener, handle: fn(TcpStream)) -> Server {
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = thread::spawn(move || {
        while !flag.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((s, _)) => {
                    let _ = s.set_nonblocking(false);
                    thread::spawn(move || handle(s));
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    Server {
        addr,
        stop,
        handle: Some(handle),
    }
}

/// Reads up to the end of the request head (bounded); true when a request arrived.
pub fn read_request(s: &mut TcpStream) -> bool {
    let _ = s.set_read_timeout(Some(Duration::from_secs(3)));
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if seen.windows(4).any(|w| w == b"\r\n\r\n") || seen.len() > 64 * 1024 {
            break;
        }
    }
    !seen.is_empty()
}

fn respond(mut s: TcpStream, status: &str) {
    read_request(&mut s);
    let body = "test server\n";
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\nServer: connfix-test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Answers with `status`, its usual reason phrase and a short body, then closes.
pub fn write_response(mut s: TcpStream, status: u16) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Whatever",
    };
    let body = "test server\n";
    let _ = write!(
        s,
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

pub fn http_200(s: TcpStream) {
    respond(s, "200 OK")
}

pub fn http_503(s: TcpStream) {
    respond(s, "503 Service Unavailable")
}

/// Accepts, then resets at once (SO_LINGER 0 makes close send RST).
pub fn reset_at_once(s: TcpStream) {
    let sock = socket2::SockRef::from(&s);
    let _ = sock.set_linger(Some(Duration::ZERO));
    drop(s);
}

pub fn loopback_listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind loopback")
}

/// A port nothing listens on, nor within 10 ports of it (connfix reports a listener that
/// near as "wrong port"). It is taken below the kernel's ephemeral range (32768 and up on
/// Linux), where the listeners other tests open on port 0 cannot land beside it later.
pub fn closed_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    // Each call starts further on, so parallel tests do not pick the same block.
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let seed = (std::process::id() % 400) as u16 * 21;
    for _ in 0..400 {
        let step = NEXT.fetch_add(1, Ordering::Relaxed) % 400;
        let port = 20_010 + (seed + step * 21) % 8_400;
        let free = (port - 10..=port + 10).all(|p| TcpListener::bind(("127.0.0.1", p)).is_ok());
        if free {
            return port;
        }
    }
    panic!("no free block of 21 loopback ports between 20000 and 28420");
}

/// Runs `f` on a helper thread that has joined the network namespace, and returns what it
/// made: a socket keeps the namespace it was made in.
fn in_netns<T: Send + 'static>(ns_name: &str, f: impl FnOnce(&str) -> T + Send + 'static) -> T {
    let path = format!("/var/run/netns/{ns_name}");
    thread::spawn(move || {
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("open {path}: {e}"));
        // SAFETY: setns on this thread only, with a valid namespace fd.
        let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
        assert_eq!(
            rc,
            0,
            "setns into {path}: {}",
            std::io::Error::last_os_error()
        );
        f(&path)
    })
    .join()
    .expect("network namespace thread")
}

/// Binds a listener inside a network namespace.
pub fn listen_in_netns(ns_name: &str, addr: SocketAddr) -> TcpListener {
    in_netns(ns_name, move |path| {
        TcpListener::bind(addr).unwrap_or_else(|e| panic!("bind {addr} in {path}: {e}"))
    })
}

/// Opens up to `count` connections to `addr` from inside the namespace and keeps them open;
/// stops at the first failure, so the caller sees how many the namespace allowed.
pub fn connect_in_netns(ns_name: &str, addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    in_netns(ns_name, move |_| {
        (0..count)
            .map_while(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok())
            .collect()
    })
}
