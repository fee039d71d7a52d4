//! `connfix watch` end to end: the real binary in tmux, watching loopback listeners the test
//! opens and closes. Asserts on what a person sees: rows going down and up, the transitions
//! log, pause, the guided diagnosis opened with Enter and left with q, and a clean exit.

mod support;
#[allow(dead_code)]
#[path = "support/tmux.rs"]
mod tmux;

use std::net::TcpListener;
use std::time::Duration;
use support::cli::{closed_port, loopback_listener};
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

    // Paused, no check runs: the counts stand still.
    tui.keys(&["Space"]);
    let paused = tui.wait_for("PAUSED", SEEN);
    std::thread::sleep(Duration::from_millis(800));
    let later = tui.screen();
    let counts = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(" ok · "))
            .map(|l| l.split("  ").filter(|p| p.contains(" ok · ")).collect())
            .collect()
    };
    assert_eq!(
        counts(&paused),
        counts(&later),
        "checks ran while paused:\n{later}"
    );
    tui.keys(&["Space"]);
    tui.wait_gone("PAUSED", SEEN);

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
