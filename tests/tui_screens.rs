//! The common faults on the TUI's first screen, at 80×24 and at 120×40: the verdict, its
//! action and the deciding fact are on screen without scrolling, and every screen is kept as
//! an insta snapshot. The probe results are fixed (built on `fixtures/tui.rs`), so the
//! screens do not depend on this machine.

use connfix::knowledge::Knowledge;
use connfix::probe::dns::{DirectAnswer, DirectOutcome, DnsData, GaiError, GaiKind, SystemAnswer};
use connfix::probe::firewall::{Action, Direction, FirewallData, FirewallRule};
use connfix::probe::listeners::{Listener, ListenerData};
use connfix::probe::tcp::{Attempt, Outcome, TcpData};
use connfix::probe::{self, ProbeData, ProbeEvent, ProbeId, Settings, Status};
use connfix::target::{self, ParseOptions};
use connfix::tui::app::App;
use connfix::tui::event::Event;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::Duration;

#[path = "fixtures/tui.rs"]
mod fixtures;
use fixtures::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.size = (w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// A finished diagnosis of `target` from `reports`.
fn diagnosed(target_text: &str, reports: Vec<ProbeEvent>) -> App {
    let kb = Arc::new(Knowledge::bundled());
    let mut app = App::new(kb.clone(), Settings::default(), (120, 40));
    app.color = false;
    let t = target::parse(target_text, ParseOptions::default(), &kb.services, &|_| {
        None
    })
    .unwrap();
    let run = run_of(&app.start(t));
    feed(&mut app, run, reports);
    app
}

fn listener(addr: &str, pid: i32, process: &str) -> Listener {
    Listener {
        address: addr.parse().unwrap(),
        pid: Some(pid),
        process: Some(process.into()),
        cmdline: Some(process.into()),
        uid: 113,
        queued: 0,
        backlog: Some(244),
        v6only: Some(false),
        user: Some("postgres".into()),
        unit: None,
        config: None,
        hba: None,
    }
}

fn listeners_of(sockets: Vec<Listener>, own: &[&str]) -> ProbeEvent {
    let d = ListenerData {
        sockets,
        own_addresses: own.iter().map(|a| a.parse().unwrap()).collect(),
        owners_visible: true,
        owner_note: None,
        error: None,
        servers: Vec::new(),
        unix: Vec::new(),
    };
    let s = probe::listeners::summarize(&d);
    report(ProbeId::Listeners, ProbeData::Listeners(d), s)
}

fn tcp_to(addr: &str, outcome: Outcome, errno: Option<i32>, message: &str) -> ProbeEvent {
    let d = TcpData {
        attempts: vec![Attempt {
            address: addr.parse().unwrap(),
            outcome,
            errno,
            message: message.into(),
            elapsed_ms: 0.2,
            after_connect: None,
            icmp: None,
        }],
    };
    let s = probe::tcp::summarize(&d, Duration::from_secs(5));
    report(ProbeId::Tcp, ProbeData::Tcp(d), s)
}

fn dns_of(name: &str, addrs: &[&str]) -> ProbeEvent {
    let addresses = addrs.iter().map(|a| a.parse().unwrap()).collect::<Vec<_>>();
    let d = DnsData {
        name: name.into(),
        system: SystemAnswer {
            addresses: addresses.clone(),
            error: None,
            elapsed_ms: 0.4,
        },
        hosts_file: addresses,
        direct: None,
        direct_skipped: Some("the hosts file answers this name".into()),
    };
    let s = probe::dns::summarize(&d);
    report(ProbeId::Dns, ProbeData::Dns(d), s)
}

fn skipped(id: ProbeId, why: &str) -> ProbeEvent {
    report(
        id,
        ProbeData::None,
        (Status::Skipped, format!("skipped: {why}")),
    )
}

/// Nothing on this host listens on 5432 (and nothing near it).
fn nothing_listening() -> App {
    diagnosed(
        TARGET,
        vec![
            dns(),
            tcp(),
            listeners_of(
                vec![
                    listener("0.0.0.0:22", 611, "sshd"),
                    listener("127.0.0.53:53", 388, "systemd-resolve"),
                ],
                &["127.0.0.1", "::1"],
            ),
            firewall(),
            proxy(),
            environment(),
            service(),
            container(),
        ],
    )
}

/// PostgreSQL listens on 127.0.0.1 only; the client uses this host's other address.
fn loopback_bind() -> App {
    diagnosed(
        "postgres://app@db.internal:5432/app",
        vec![
            dns_of("db.internal", &["10.20.0.5"]),
            tcp_to(
                "10.20.0.5:5432",
                Outcome::Refused,
                Some(111),
                "Connection refused",
            ),
            listeners_of(
                vec![
                    listener("127.0.0.1:5432", 4242, "postgres"),
                    listener("0.0.0.0:22", 611, "sshd"),
                ],
                &["127.0.0.1", "10.20.0.5", "::1"],
            ),
            firewall(),
            proxy(),
            environment(),
            service(),
            container(),
        ],
    )
}

/// A DROP rule for 5432 while PostgreSQL listens on every address: the connect times out.
fn firewall_drop() -> App {
    let rule = FirewallRule {
        tool: "iptables".into(),
        family: "ip".into(),
        table: "filter".into(),
        chain: "INPUT".into(),
        direction: Direction::Input,
        action: Action::Drop,
        text: "-A INPUT -p tcp -m tcp --dport 5432 -j DROP".into(),
        protocol: Some("tcp".into()),
        dports: vec![(5432, 5432)],
        sports: Vec::new(),
        default_policy: false,
        reject_with: None,
        number: Some(3),
        handle: None,
    };
    let fw = FirewallData {
        readable: true,
        sources: vec!["iptables-save".into()],
        unreadable_reason: None,
        rules: vec![rule],
        total_rules: 5,
    };
    let s = probe::firewall::summarize(&fw, 5432);
    diagnosed(
        "postgres://app@db.internal:5432/app",
        vec![
            dns_of("db.internal", &["10.20.0.5"]),
            tcp_to(
                "10.20.0.5:5432",
                Outcome::Timeout,
                None,
                "timed out after 5 s",
            ),
            listeners_of(
                vec![
                    listener("0.0.0.0:5432", 4242, "postgres"),
                    listener("0.0.0.0:22", 611, "sshd"),
                ],
                &["127.0.0.1", "10.20.0.5", "::1"],
            ),
            report(ProbeId::Firewall, ProbeData::Firewall(fw), s),
            proxy(),
            environment(),
            skipped(
                ProbeId::Service,
                "no TCP connection to talk to the service over",
            ),
            container(),
        ],
    )
}

/// The name is not known to the resolver nor to the DNS server.
fn dns_no_such_host() -> App {
    let d = DnsData {
        name: "db.intenral".into(),
        system: SystemAnswer {
            addresses: Vec::new(),
            error: Some(GaiError {
                code: -2,
                kind: GaiKind::NoName,
                message: "Name or service not known".into(),
            }),
            elapsed_ms: 3.1,
        },
        hosts_file: Vec::new(),
        direct: Some(DirectAnswer {
            servers: vec!["127.0.0.53:53".into()],
            outcome: DirectOutcome::NxDomain,
            addresses: Vec::new(),
            detail: "NXDOMAIN".into(),
            elapsed_ms: 2.0,
        }),
        direct_skipped: None,
    };
    let s = probe::dns::summarize(&d);
    diagnosed(
        "postgres://app@db.intenral:5432/app",
        vec![
            report(ProbeId::Dns, ProbeData::Dns(d), s),
            skipped(ProbeId::Tcp, "the name did not resolve"),
            listeners(),
            firewall(),
            proxy(),
            environment(),
            service(),
            container(),
        ],
    )
}

/// Each fault: its verdict, and the texts that must be on the first screen at 80×24.
type Case = (
    &'static str,
    fn() -> App,
    &'static str,
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        "wrong_port",
        finished,
        "wrong-port",
        &[
            "listens on 127.0.0.1:5433, not on port 5432",
            "postgres (pid 4242)",
        ],
    ),
    (
        "nothing_listening",
        nothing_listening,
        "nothing-listening",
        &["5432", "nothing on this host listens on port 5432"],
    ),
    (
        "loopback_bind",
        loopback_bind,
        "bind-address-mismatch",
        &["127.0.0.1:5432", "10.20.0.5"],
    ),
    (
        "firewall_drop",
        firewall_drop,
        "firewall-drop",
        &["--dport 5432 -j DROP"],
    ),
    (
        "dns_no_such_host",
        dns_no_such_host,
        "dns-no-such-host",
        &["db.intenral"],
    ),
];

#[test]
fn the_first_screen_shows_verdict_action_and_deciding_fact_at_both_sizes() {
    for (name, make, verdict, facts) in CASES {
        let mut app = make();
        let d = app.diagnosis.as_ref().unwrap();
        assert_eq!(d.report.verdict.id, *verdict, "{name}: wrong verdict");
        let title = d.report.verdict.title.clone();
        let action = d.report.verdict.action.clone();
        assert!(!action.is_empty(), "{name}: no action");
        for (w, h) in SIZES {
            let s = screen(&mut app, w, h);
            let flat: String = s
                .lines()
                .map(|l| l.trim_matches('"').trim())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(flat.contains(&title), "{name} {w}×{h}: title cut:\n{s}");
            // The action's first words, and every deciding value, without scrolling.
            let start: String = action.chars().take(40).collect();
            assert!(flat.contains(&start), "{name} {w}×{h}: no action:\n{s}");
            for f in *facts {
                assert!(
                    flat.contains(f),
                    "{name} {w}×{h}: {f:?} not on screen:\n{s}"
                );
            }
            let footer = s.lines().last().unwrap_or_default();
            assert!(footer.contains("? help  q quit"), "{name} {w}×{h}:\n{s}");
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), s);
        }
    }
}

#[test]
fn every_tab_and_overlay_at_80x24() {
    let mut app = finished();
    for (tab, want) in [(1, "Listening sockets"), (2, "How to fix it")] {
        key(&mut app, KeyCode::Tab);
        let s = screen(&mut app, 80, 24);
        assert!(s.contains(want), "tab {tab}:\n{s}");
        insta::assert_snapshot!(format!("tab_{tab}_80x24"), s);
    }
    // Search: the bar while typing, then the match in its pane and n to the next.
    key(&mut app, KeyCode::Char('/'));
    for c in "5433".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("/5433") && s.contains("Enter keeps it"), "{s}");
    insta::assert_snapshot!("search_typing_80x24", s);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("match 1/"), "{s}");
    insta::assert_snapshot!("search_kept_80x24", s);
    // The help, scrolled to its end.
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::End);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("After a search"), "{s}");
    insta::assert_snapshot!("help_end_80x24", s);
}

#[test]
fn search_moves_between_matches_with_n_and_shift_n_and_esc_drops_it() {
    let mut app = finished();
    screen(&mut app, 120, 40);
    key(&mut app, KeyCode::Char('/'));
    for c in "listens".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let hits = app.search.as_ref().unwrap().hits.len();
    assert!(hits >= 2, "expected several matches, got {hits}");
    assert_eq!(app.search.as_ref().unwrap().current, 0);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.search.as_ref().unwrap().current, 1);
    key(&mut app, KeyCode::Char('N'));
    key(&mut app, KeyCode::Char('N'));
    assert_eq!(
        app.search.as_ref().unwrap().current,
        hits - 1,
        "N wraps round"
    );
    // The match is drawn highlighted in the pane it is in.
    let s = screen(&mut app, 120, 40);
    assert!(
        app.flash
            .as_deref()
            .unwrap_or("")
            .contains(&format!("match {hits}/{hits}")),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(
        app.search.is_none() && !app.quit,
        "Esc drops the search and does not quit"
    );
    key(&mut app, KeyCode::Char('n'));
    assert!(app.flash.as_deref().unwrap_or("").contains("no search yet"));
}

#[test]
fn n_a_rows_are_hidden_until_h_and_the_choice_is_kept_with_the_session() {
    let mut app = finished();
    let s = screen(&mut app, 120, 40);
    assert!(
        !s.contains("n/a   "),
        "an n/a row is shown by default:\n{s}"
    );
    assert!(s.contains("n/a hidden"), "{s}");
    key(&mut app, KeyCode::Char('h'));
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("– n/a"), "h shows the n/a rows:\n{s}");
    let rec = app.record().unwrap();
    assert!(rec.view.show_na, "the choice is saved with the session");
    // A resumed session shows them too.
    let kb = Arc::new(Knowledge::bundled());
    let mut resumed = App::new(kb, Settings::default(), (120, 40));
    resumed.color = false;
    resumed.resume(&rec, std::env::temp_dir().join("connfix-test-resume.json"));
    let s = screen(&mut resumed, 120, 40);
    assert!(s.contains("– n/a"), "resume forgot the choice:\n{s}");
}

#[test]
fn long_code_and_commands_wrap_instead_of_being_cut() {
    let mut app = finished();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('4'));
    let s = screen(&mut app, 80, 24);
    let detail: Vec<&str> = s.lines().filter(|l| l.contains('┃')).collect();
    assert!(
        detail.iter().all(|l| !l.contains("…┃")),
        "a line of the details ends cut:\n{s}"
    );
}
