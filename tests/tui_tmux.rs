//! The TUI end to end: the real binary runs in tmux, and each test asserts what a person would
//! see — the screen text, the exit code, and the terminal modes tmux tracks for the pane
//! (alternate screen, mouse reporting). Targets are on loopback or inside a namespace the test
//! creates. Without tmux the tests say why they skip; under CI=true a missing tool fails.

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};
use support::cli::{closed_port, loopback_listener, serve};
use support::{Netns, find_program};
use tmux::{Options, Tmux};

/// A verdict needs every probe; generous for a debug build on a busy two-core machine.
const VERDICT: Duration = Duration::from_secs(20);
/// How long a screen change after a key may take.
const REACT: Duration = Duration::from_secs(10);
/// Quitting must take far less than the probes' 60 s timeout, whatever they wait for.
const QUIT_WITHIN: Duration = Duration::from_secs(10);
/// The header word while probes run.
const PROBING: &str = "probing";
/// Shown only once every probe has answered (the detail of the selected cause).
const FIX: &str = "How to fix it";
/// The question about intermittent failures, as the tree shows it.
const INTERMITTENT: &str = "Does the failure come and go";
/// Width of the list of causes at the left of the bottom half (layout::CAUSE_LIST_WIDTH).
const CAUSE_LIST_WIDTH: usize = 34;
/// A line of the wrong-port Python snippet (assets/knowledge/causes/wrong-port.md).
/// The pane's terminal modes connfix changes and must restore: alternate screen, mouse
/// reporting (any motion, SGR encoding) and the cursor's visibility.
const MODES: &str = "#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag} #{cursor_flag}";
/// [`MODES`] while the panes are shown, and after connfix has exited.
const MODES_IN_TUI: &str = "1 1 1 0";
const MODES_RESTORED: &str = "0 0 0 1";

/// `connfix demo` at its verdict; returns the session and the verdict screen.
fn demo(opts: &Options) -> (Tmux, String) {
    let tui = Tmux::start(opts, &["demo"]);
    let screen = tui.wait_for(FIX, VERDICT);
    (tui, screen)
}

/// The port of the demo's service, from the banner "… listens on 127.0.0.1:NNNN, …".
fn demo_service_port(screen: &str) -> u16 {
    let (_, rest) = screen
        .split_once("listens on 127.0.0.1:")
        .unwrap_or_else(|| panic!("no demo banner on the screen:\n{screen}"));
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|e| panic!("no port in the demo banner ({e}):\n{screen}"))
}

/// The confidence the Causes list shows for cause `id` ("possible", "likely", "certain").
fn confidence(screen: &str, id: &str) -> Option<String> {
    screen.lines().find_map(|line| {
        let list: String = line.chars().take(CAUSE_LIST_WIDTH).collect();
        let words: Vec<&str> = list
            .split(|c: char| c.is_whitespace() || "│┃✗✓▲".contains(c))
            .filter(|w| !w.is_empty())
            .collect();
        match words.as_slice() {
            [name, conf] if *name == id => Some((*conf).to_string()),
            _ => None,
        }
    })
}

/// The tree row (first line) holding `question`.
fn row<'a>(screen: &'a str, question: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(question))
}

/// The braille spinner in front of the header's "probing N/M".
fn spinner(screen: &str) -> Option<char> {
    let header = screen.lines().next()?;
    let before = &header[..header.find(PROBING)?];
    before
        .trim_end()
        .chars()
        .last()
        .filter(|c| ('\u{2800}'..='\u{28ff}').contains(c))
}

/// Asserts the pane is back on the normal screen with mouse reporting off.
#[track_caller]
fn assert_terminal_restored(tui: &Tmux) {
    let modes = tui.display(MODES);
    assert_eq!(
        modes,
        MODES_RESTORED,
        "alternate screen, mouse reporting or hidden cursor ({MODES}) left after exit; \
         screen:\n{}",
        tui.screen()
    );
}

#[test]
fn a_panic_restores_the_terminal() {
    if !tmux::available() {
        return;
    }
    // Debug builds panic on purpose after the first frame when this is set.
    let opts = Options {
        prefix: ["env", "RUST_BACKTRACE=0", "CONNFIX_TEST_PANIC=1"]
            .map(String::from)
            .to_vec(),
        ..Options::default()
    };
    let tui = Tmux::start(&opts, &[&format!("127.0.0.1:{}", closed_port())]);
    assert_eq!(tui.wait_exit(QUIT_WITHIN), 101, "{}", tui.screen());
    assert_terminal_restored(&tui);
    let screen = tui.screen();
    assert!(
        screen.contains("panicking on purpose"),
        "the panic message should be readable on the restored screen:\n{screen}"
    );
}

/// A loopback server that accepts connections and never answers: each is held open, reading,
/// until connfix closes it or a minute and a half has passed. Stops accepting when dropped.
fn silent_server() -> support::cli::Server {
    serve(loopback_listener(), hold_silently)
}

fn hold_silently(mut s: TcpStream) {
    use std::io::{ErrorKind, Read};
    const HOLD: Duration = Duration::from_secs(90);
    let until = Instant::now() + HOLD;
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 4096];
    while Instant::now() < until {
        match s.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return,
        }
    }
}

#[test]
fn demo_reaches_its_verdict_and_stops_its_service_on_quit() {
    if !tmux::available() {
        return;
    }
    let (tui, screen) = demo(&Options::default());
    assert!(screen.contains("Demo:"), "no banner:\n{screen}");
    assert_eq!(
        confidence(&screen, "wrong-port").as_deref(),
        Some("likely"),
        "wrong-port not in the causes:\n{screen}"
    );
    assert!(
        screen
            .lines()
            .nth(1)
            .is_some_and(|h| h.contains("✗ Something listens on a nearby port")),
        "the verdict is not first under the header:\n{screen}"
    );
    let port = demo_service_port(&screen);
    let service = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    assert!(
        TcpStream::connect_timeout(&service, Duration::from_secs(2)).is_ok(),
        "the demo service on {service} does not accept connections while the demo runs"
    );

    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(QUIT_WITHIN), 0, "{}", tui.screen());
    // Back on the normal screen: how to reopen the session.
    let after = tui.screen();
    assert!(
        after.contains("saved; `connfix resume ") && after.contains("reopens it"),
        "no session id or resume hint after quitting:\n{after}"
    );
    assert!(
        TcpStream::connect_timeout(&service, Duration::from_secs(2)).is_err(),
        "the demo service on {service} still accepts connections after quitting"
    );
}

#[test]
fn answering_a_question_changes_the_causes_and_u_takes_it_back() {
    if !tmux::available() {
        return;
    }
    let (tui, _) = demo(&Options::default());
    // The row and the causes are drawn apart, so a screen is waited for until both agree.
    let shows = |answer: &'static str, startup_race: &'static str| {
        move |s: &str| {
            row(s, INTERMITTENT).is_some_and(|r| r.contains(answer))
                && confidence(s, "startup-race").as_deref() == Some(startup_race)
        }
    };
    // Once every probe answered, the selection is on the first open question.
    tui.wait_until(
        "the intermittent question open, startup-race possible",
        VERDICT,
        shows("? you?", "possible"),
    );

    tui.keys(&["y"]);
    tui.wait_until(
        "the answer yes in the tree and startup-race likely",
        REACT,
        shows("◆ you:yes", "likely"),
    );

    // The selection moved on to the next open question; go back up to the answered one.
    tui.keys(&["Up", "u"]);
    tui.wait_until(
        "the answer taken back and startup-race possible again",
        REACT,
        shows("? you?", "possible"),
    );
}

#[test]
fn help_lists_every_group_and_esc_closes_it() {
    if !tmux::available() {
        return;
    }
    let (tui, _) = demo(&Options::default());
    tui.keys(&["?"]);
    // The groups' names at the overlay's left border; the help scrolls to show the rest.
    tui.wait_for_all(&["Esc closes", "┃Everywhere", "┃Decision tree"], REACT);
    tui.keys(&["G"]);
    tui.wait_for_all(&["┃Evidence", "┃Causes & fix", "┃After a search"], REACT);
    tui.keys(&["g"]);
    tui.wait_for("┃Everywhere", REACT);

    tui.keys(&["Escape"]);
    // Esc closes the help and leaves connfix running.
    tui.wait_until("the help closed, the panes shown", REACT, |s| {
        !s.contains("Esc closes")
            && s.contains(FIX)
            && s.contains("╭ Evidence")
            && tmux::exit_code(s).is_none()
    });
}

#[test]
fn q_restores_the_terminal_and_exits_0() {
    if !tmux::available() {
        return;
    }
    let port = closed_port();
    let tui = Tmux::connfix(&[&format!("127.0.0.1:{port}")]);
    tui.wait_for(FIX, VERDICT);
    assert_eq!(
        tui.display(MODES),
        MODES_IN_TUI,
        "the TUI should run on the alternate screen with mouse reporting on, cursor hidden"
    );

    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(QUIT_WITHIN), 0, "{}", tui.screen());
    assert_terminal_restored(&tui);
    let screen = tui.screen();
    assert!(
        !screen.contains("Decision tree"),
        "the TUI is still on the screen after it exited:\n{screen}"
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    if !tmux::available() {
        return;
    }
    let (tui, _) = demo(&Options::default());
    let pid = tui.pid();
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -TERM {pid} failed");

    assert_eq!(tui.wait_exit(QUIT_WITHIN), 128 + 15, "{}", tui.screen());
    assert_terminal_restored(&tui);
    // The exit code alone would look the same if the signal had killed it outright.
    let log = tui.log();
    assert!(
        log.contains("quitting on signal 15") && log.contains("TUI closed"),
        "connfix did not handle SIGTERM itself; its log:\n{log}"
    );
}

/// The TUI stays alive while a probe hangs (the screen shows `hanging` meanwhile), Tab moves
/// the focus, and q quits at once.
fn hanging_probes_do_not_hold_the_ui(tui: &Tmux, hanging: &str) {
    let first = tui.wait_until(&format!("{hanging:?} while probing"), VERDICT, |s| {
        s.contains(PROBING) && s.contains(hanging)
    });
    let spin = spinner(&first).unwrap_or_else(|| panic!("no spinner in the header:\n{first}"));
    // The spinner turns every 100 ms; allow a slow machine several seconds to show it.
    let turned = tui.wait_until("the spinner to turn", REACT, |s| {
        spinner(s).is_some_and(|c| c != spin)
    });
    assert!(turned.contains("╭ Evidence"), "{turned}");

    tui.keys(&["Tab"]);
    tui.wait_for("┏ Evidence", REACT);

    let before = tui.screen();
    assert!(
        before.contains(PROBING) && before.contains(hanging),
        "the probe should still hang when q is pressed:\n{before}"
    );
    let asked = Instant::now();
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(QUIT_WITHIN), 0, "{}", tui.screen());
    eprintln!("quit {:?} after q while a probe hung", asked.elapsed());
    assert_terminal_restored(tui);
}

#[test]
fn a_server_that_never_answers_does_not_hold_the_ui() {
    if !tmux::available() {
        return;
    }
    let server = silent_server();
    let url = format!("http://{}/", server.addr);
    let tui = Tmux::connfix(&[&url, "--timeout", "60s"]);
    // TCP connects, then HTTP waits for an answer (its row is below the Evidence pane's fold).
    hanging_probes_do_not_hold_the_ui(&tui, "waiting for 1 probe…");
    drop(tui);
    drop(server);
}

#[test]
fn a_dns_server_that_never_answers_does_not_hold_the_ui() {
    if !tmux::available()
        || !support::require(
            support::can_netns(),
            "network namespace test",
            "needs root, iproute2 and permission to create namespaces",
        )
        || !support::require(
            support::have("iptables"),
            "firewall test",
            "needs iptables (Debian package iptables)",
        )
    {
        return;
    }
    let ns = Netns::new();
    // The only resolver is loopback in the namespace, where every query is dropped unanswered.
    ns.set_resolv_conf("nameserver 127.0.0.1\n");
    for proto in ["udp", "tcp"] {
        ns.run(&[
            "iptables", "-A", "INPUT", "-p", proto, "--dport", "53", "-j", "DROP",
        ]);
    }
    let ip = find_program("ip").expect("checked by can_netns");
    let opts = Options {
        prefix: vec![
            ip.to_string_lossy().into_owned(),
            "netns".into(),
            "exec".into(),
            ns.name.clone(),
        ],
        ..Options::default()
    };
    let tui = Tmux::start(&opts, &["http://never.test:80/", "--timeout", "60s"]);
    hanging_probes_do_not_hold_the_ui(&tui, "DNS  running…");
    // The tmux server (and anything left in the namespace) goes before the namespace.
    drop(tui);
    drop(ns);
}

#[test]
fn c_copies_the_commands_for_this_machine_with_osc_52() {
    if !tmux::available() {
        return;
    }
    let opts = Options {
        clipboard: true,
        ..Options::default()
    };
    let (tui, _) = demo(&opts);
    tui.keys(&["Tab", "Tab"]);
    tui.wait_for("┏ Causes", REACT);
    tui.keys(&["c"]);
    let screen = tui.wait_for("copied", REACT);
    assert!(
        screen.contains("command(s) for wrong-port"),
        "the message row does not say what was copied:\n{screen}"
    );

    // The OSC 52 sequence may reach tmux just after the frame with the message.
    let deadline = Instant::now() + REACT;
    let buffer = loop {
        let buffer = tui.tmux(&["list-buffers", "-F", "#{buffer_name}"]);
        if !buffer.trim().is_empty() {
            break tui.tmux(&["show-buffer"]);
        }
        assert!(
            Instant::now() < deadline,
            "no tmux paste buffer after c; screen:\n{}",
            tui.screen()
        );
        sleep(Duration::from_millis(50));
    };
    // The demo's server port, as the action on screen names it.
    let action = screen
        .lines()
        .find(|l| l.contains("→ ") && l.contains("listens on 127.0.0.1:"))
        .unwrap_or_else(|| panic!("no action line:\n{screen}"));
    let port: String = action
        .split("listens on 127.0.0.1:")
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert!(!port.is_empty(), "{action}");
    assert!(
        buffer
            .lines()
            .any(|l| l.trim() == format!("sudo ss -ltnp 'sport = :{port}'")),
        "the clipboard does not hold the commands with the server's port {port}:\n{buffer}"
    );
    assert!(buffer.lines().any(|l| l.starts_with("# ")), "{buffer}");

    // C copies the code snippet of the shown language instead.
    tui.keys(&["C"]);
    let screen = tui.wait_for("snippet", REACT);
    assert!(screen.contains("copied the Python snippet"), "{screen}");
}

#[test]
fn the_prompt_explains_a_bad_target_and_diagnoses_a_good_one() {
    if !tmux::available() {
        return;
    }
    let tui = Tmux::connfix(&[]);
    tui.wait_for("what cannot be reached?", REACT);

    tui.type_text("nonsense");
    tui.wait_for("> nonsense", REACT);
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("no port", REACT);
    let lines: Vec<&str> = screen.lines().collect();
    let input = lines
        .iter()
        .position(|l| l.contains("> nonsense"))
        .unwrap_or_else(|| panic!("the input line is gone:\n{screen}"));
    let error = lines.get(input + 1).copied().unwrap_or_default();
    assert!(
        error.contains("no port in 'nonsense'"),
        "the error should be the one line under the input:\n{screen}"
    );

    tui.keys(&["C-u"]);
    tui.wait_gone("nonsense", REACT);
    let port = closed_port();
    tui.type_text(&format!("127.0.0.1:{port}"));
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(FIX, VERDICT);
    let top: Vec<&str> = screen.lines().take(2).collect();
    assert!(
        top[0].contains(&format!("127.0.0.1:{port}")) && top[1].contains("Nothing is listening"),
        "the header should show the target, the band under it the verdict:\n{screen}"
    );
}

#[test]
fn a_small_terminal_is_told_to_grow_and_the_panes_follow_a_resize() {
    if !tmux::available() {
        return;
    }
    let opts = Options {
        width: 70,
        height: 20,
        ..Options::default()
    };
    let port = closed_port();
    let tui = Tmux::start(&opts, &[&format!("127.0.0.1:{port}")]);
    let screen = tui.wait_for("at least 80×24", REACT);
    assert!(screen.contains("70×20"), "{screen}");
    assert!(!screen.contains("Decision tree"), "{screen}");

    tui.resize(120, 40);
    // The footer is the last row drawn: with it, the whole frame is there.
    tui.wait_until("the panes at 120×40", REACT, |s| {
        ["Decision tree", "Evidence", "Causes", "q quit"]
            .iter()
            .all(|t| s.contains(t))
            && !s.contains("at least 80×24")
    });
}
