//! `connfix watch` end to end: the real binary in tmux, watching loopback listeners the test
//! opens and closes. Asserts on what a person sees: rows going down and up, the transitions
//! log, pause, the guided diagnosis opened with Enter and left with q, and a clean exit.
//! Every wait is on an event (a screen text, a connection, a request), never on a sleep.

mod support;
#[allow(dead_code)]
#[path = "support/tmux.rs"]
mod tmux;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;
use support::cli::{closed_port, loopback_listener, read_request};
use tmux::{Options, Tmux};

/// How long a change may take to show: a check every 200 ms, a debug build, a busy machine.
const SEEN: Duration = Duration::from_secs(15);
/// tmux sets this flag when the program in the window rings the bell.
const BELL: &str = "#{window_bell_flag}";

fn watch(args: &[&str]) -> Tmux {
    let mut all = vec!["watch", "--interval", "200ms"];
    all.extend_from_slice(args);
    Tmux::start(
        &Options {
            width: 100,
            height: 30,
            ..Options::default()
        },
        &all,
    )
}

#[test]
fn watch_shows_a_target_coming_up_and_going_down() {
    if !tmux::available() {
        return;
    }
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let steady = loopback_listener();
    let steady_target = steady.local_addr().unwrap().to_string();
    let tui = watch(&[&target, &steady_target]);
    tui.wait_for_all(&["▼ down", "▲ up", "first check: down", "refused"], SEEN);
    // The first answers are no change: no bell yet.
    assert_eq!(tui.display(BELL), "0");

    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    tui.wait_for("down → up", SEEN);
    assert_eq!(tui.display(BELL), "1", "no bell when the target came up");
    drop(listener);
    let screen = tui.wait_for("up → down", SEEN);
    assert!(screen.contains("ECONNREFUSED"), "{screen}");

    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(SEEN), 0);
}

#[test]
fn enter_opens_the_diagnosis_and_q_comes_back() {
    if !tmux::available() {
        return;
    }
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let tui = watch(&[&target]);
    tui.wait_for("▼ down", SEEN);
    tui.keys(&["Enter"]);
    let screen = tui.wait_for_all(&["Opened from connfix watch", "Decision tree"], SEEN);
    assert!(screen.contains(&target), "{screen}");
    // The verdict of the diagnosis, as `connfix check` would give it.
    tui.wait_for("Nothing is listening", Duration::from_secs(30));
    tui.keys(&["q"]);
    let back = tui.wait_for_all(&["connfix watch", "Transitions"], SEEN);
    assert!(back.contains("▼ down"), "{back}");
    // Keys reach the watch screen again, not a leftover reader.
    tui.keys(&["b"]);
    tui.wait_for("bell off", SEEN);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(SEEN), 0);
    assert_eq!(tui.display("#{alternate_on} #{mouse_any_flag}"), "0 0");
}

#[test]
fn no_bell_keeps_quiet() {
    if !tmux::available() {
        return;
    }
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let tui = watch(&[&target, "--no-bell"]);
    let screen = tui.wait_for("▼ down", SEEN);
    assert!(screen.contains("bell off"), "{screen}");
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    tui.wait_for("down → up", SEEN);
    drop(listener);
    tui.wait_for("up → down", SEEN);
    assert_eq!(tui.display(BELL), "0", "the bell rang with --no-bell");
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(SEEN), 0);
}

#[test]
fn a_closed_terminal_ends_watch() {
    if !tmux::available() {
        return;
    }
    let port = closed_port();
    let target = format!("127.0.0.1:{port}");
    let tui = watch(&[&target]);
    tui.wait_for("▼ down", SEEN);
    let pid = tui.pid();
    // The pane goes away: connfix gets SIGHUP and its input reaches end of file.
    drop(tui);
    let deadline = std::time::Instant::now() + SEEN;
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // A zombie has exited; only its parent has not collected it yet.
        if state.split(' ').nth(2) == Some("Z") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "connfix watch (pid {pid}) still runs after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGTERM ends watch the way it ends the diagnosis: the terminal restored and 128+15, from
/// its own handler (the log says so), not from being killed outright.
#[test]
fn sigterm_ends_watch_with_128_plus_15() {
    if !tmux::available() {
        return;
    }
    let port = closed_port();
    let tui = watch(&[&format!("127.0.0.1:{port}")]);
    tui.wait_for("▼ down", SEEN);
    let pid = tui.pid();
    // SAFETY: signalling the connfix this test started.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGTERM) }, 0);
    assert_eq!(tui.wait_exit(SEEN), 128 + 15, "{}", tui.screen());
    let log = tui.log();
    assert!(
        log.contains("watch closed"),
        "not closed by its own handler:\n{log}"
    );
}

/// An HTTP server whose answers the test gives by hand: each request that arrives is handed
/// over (its connection held open, unanswered) on `requests`; `accepted` counts every
/// connection, including the bare connects a check makes before its request.
struct HandServer {
    addr: std::net::SocketAddr,
    requests: mpsc::Receiver<TcpStream>,
    accepted: Arc<AtomicUsize>,
}

fn hand_server() -> HandServer {
    let listener = loopback_listener();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let (tx, requests) = mpsc::channel();
    let count = accepted.clone();
    // Ends when the test's receiver is gone and the next connection finds no one to take it.
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let tx = tx.clone();
            std::thread::spawn(move || {
                // A check first connects and closes at once (the TCP part), then sends its
                // request on a second connection.
                if read_request(&mut conn) {
                    let _ = conn.set_read_timeout(None);
                    let _ = tx.send(conn);
                }
            });
        }
    });
    HandServer {
        addr,
        requests,
        accepted,
    }
}

impl HandServer {
    /// The next request connfix sends (bounded wait).
    #[track_caller]
    fn next_request(&self, tui: &Tmux) -> TcpStream {
        self.requests.recv_timeout(SEEN).unwrap_or_else(|_| {
            panic!(
                "no request from connfix within {SEEN:?}; screen:\n{}",
                tui.screen()
            )
        })
    }
}

fn answer_200(mut conn: TcpStream) {
    let _ =
        conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
}

/// True once the peer has closed `conn` (bounded wait): the client is done with it.
fn closed_by_peer(conn: &mut TcpStream, within: Duration) -> bool {
    let _ = conn.set_read_timeout(Some(within));
    let mut buf = [0u8; 512];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// The whole seconds of the row's "since … (Ns)" or "for Ns".
fn held_seconds(screen: &str) -> Option<u64> {
    let line = screen.lines().find(|l| l.contains(" ok · "))?;
    let start = line
        .find(" (")
        .map(|i| i + 2)
        .or(line.find("for ").map(|i| i + 4))?;
    let digits: String = line[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let unit = line[start + digits.len()..].chars().next();
    (unit == Some('s')).then(|| digits.parse().ok())?
}

#[test]
fn pausing_drops_the_check_under_way_and_runs_none_until_resumed() {
    if !tmux::available() {
        return;
    }
    let server = hand_server();
    let url = format!("http://{}/", server.addr);
    // A long per-check limit: a check held by the server is still under way when paused.
    let tui = watch(&[&url, "--timeout", "60s"]);
    answer_200(server.next_request(&tui));
    tui.wait_for_all(&["▲ up", "1 ok · 0 failed"], SEEN);

    // The next check is under way (its request has arrived, unanswered) when space is
    // pressed; the server answers it just after.
    let mut held = server.next_request(&tui);
    tui.keys(&["Space"]);
    let paused = tui.wait_for("PAUSED", SEEN);
    let _ =
        held.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
    assert!(
        closed_by_peer(&mut held, SEEN),
        "connfix still holds the connection of the check under way when paused"
    );
    let accepted = server.accepted.load(Ordering::SeqCst);
    let since = held_seconds(&paused).unwrap_or_else(|| panic!("no duration:\n{paused}"));
    // While paused the row's duration goes on counting: two more whole seconds on it mean at
    // least one second has passed, five intervals, with the answer long taken in.
    let later = tui.wait_until("the duration to count on while paused", SEEN, |s| {
        held_seconds(s).is_some_and(|n| n >= since + 2)
    });
    assert!(
        later.contains("PAUSED") && later.contains("1 ok · 0 failed"),
        "the check under way when paused was counted, or another ran:\n{later}"
    );
    assert_eq!(
        server.accepted.load(Ordering::SeqCst),
        accepted,
        "connfix connected while paused:\n{later}"
    );
    assert!(
        server.requests.try_recv().is_err(),
        "connfix sent a request while paused:\n{later}"
    );

    // Resumed, the checks go on, and only they are counted.
    tui.keys(&["Space"]);
    tui.wait_for("checking again", SEEN);
    answer_200(server.next_request(&tui));
    let screen = tui.wait_for("2 ok · 0 failed", SEEN);
    assert!(!screen.contains("PAUSED"), "{screen}");
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(SEEN), 0);
}
