//! The `connfix watch` screen drawn into ratatui's TestBackend from fixed check results, and
//! compared with insta snapshots (`cargo insta review` after an intended change).
//!
//! Every screen is drawn at a fixed clock (the checks' times are fixed too), so a snapshot
//! never depends on how fast the test ran, and every screen is checked for times that
//! contradict each other: each row's "since HH:MM:SS (duration)" must add up to the same
//! moment, the screen's clock, and no transition may lie after it.

use connfix::probe::reach::{FailKind, Failure, Sample};
use connfix::tui::watch::state::WatchApp;
use connfix::tui::watch::view::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn at(i: usize) -> String {
    format!("2026-11-21T10:{:02}:{:02}.000Z", i / 60, i % 60)
}

fn up(i: usize, latency_ms: f64, status: Option<u16>) -> Sample {
    Sample {
        time: at(i),
        up: true,
        latency_ms,
        address: Some("127.0.0.1:8080".into()),
        addresses: vec!["127.0.0.1".parse().unwrap()],
        status,
        error: None,
    }
}

fn down(i: usize, kind: FailKind, message: &str, status: Option<u16>) -> Sample {
    Sample {
        time: at(i),
        up: false,
        latency_ms: 0.3,
        address: Some("127.0.0.1:8080".into()),
        addresses: vec!["127.0.0.1".parse().unwrap()],
        status,
        error: Some(Failure {
            kind,
            message: message.into(),
            errno: (kind == FailKind::Refused).then_some(111),
        }),
    }
}

/// Three targets: one that flapped and is up, an HTTP one answering 503, one not yet checked.
fn flapping() -> WatchApp {
    let labels = vec![
        "127.0.0.1:8080".to_string(),
        "https://api.example.test/health".to_string(),
        "unix:/run/app.sock".to_string(),
    ];
    let mut app = WatchApp::new(labels, Duration::from_secs(1), None, true);
    app.color = false;
    let refused = "127.0.0.1:8080 refused (ECONNREFUSED, errno 111)";
    for i in 0..30 {
        let s = if (10..16).contains(&i) {
            down(i, FailKind::Refused, refused, None)
        } else {
            up(i, 0.2 + (i % 5) as f64 * 0.4, None)
        };
        app.checked(0, s);
        let h = if i < 20 {
            up(i, 40.0 + (i % 7) as f64 * 9.0, Some(200))
        } else {
            let m = "HTTP 503 Service Unavailable (expected below 500)";
            down(i, FailKind::HttpStatus, m, Some(503))
        };
        app.checked(1, h);
    }
    app.started(2);
    settle(&mut app);
    app
}

/// The screen's clock in these tests: 125.5 s after the flapping fixture's last change
/// (10:00:20), so that row reads "2m 05s" and the one that changed at 10:00:16 "2m 09s".
const NOW: &str = "2026-11-21T10:02:25.500Z";

fn clock_at(rfc3339: &str) -> SystemTime {
    humantime::parse_rfc3339(rfc3339).unwrap()
}

/// The fixed clock, whatever the checks' times are.
fn settle(app: &mut WatchApp) {
    app.now = clock_at(NOW);
}

/// Draws the screen, and fails when it shows contradictory times.
#[track_caller]
fn screen(app: &mut WatchApp, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(f, app)).unwrap();
    let s = terminal.backend().to_string();
    let wrong = contradictions(&s, app.now);
    assert!(wrong.is_empty(), "{}\n{s}", wrong.join("\n"));
    s
}

/// Seconds since midnight of `HH:MM:SS`.
fn seconds_of_day(hms: &str) -> Option<u64> {
    let mut parts = hms.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    (hms.len() == 8 && h < 24 && m < 60 && s < 61).then_some(h * 3600 + m * 60 + s)
}

/// A duration as `connfix watch` writes it ("45s", "2m 05s", "3h 07m"), in seconds, with the
/// resolution it is written in.
fn compact_seconds(d: &str) -> Option<(u64, u64)> {
    let num = |t: &str, unit: char| t.strip_suffix(unit)?.parse::<u64>().ok();
    match d.split(' ').collect::<Vec<_>>().as_slice() {
        [s] => Some((num(s, 's')?, 1)),
        [m, s] if m.ends_with('m') => Some((num(m, 'm')? * 60 + num(s, 's')?, 1)),
        [h, m] => Some((num(h, 'h')? * 3600 + num(m, 'm')? * 60, 60)),
        _ => None,
    }
}

/// Every time on `screen` that does not agree with the screen's clock `now`: a row whose
/// "since T (D)" does not add up to `now` (T is cut to the second and D rounded down, so
/// T + D is `now` or up to a second before, or a minute for hours), and a transition logged
/// after `now`. Empty when all agree.
fn contradictions(screen: &str, now: SystemTime) -> Vec<String> {
    let now_s = now.duration_since(UNIX_EPOCH).unwrap().as_secs() % 86_400;
    let mut wrong = Vec::new();
    for line in screen.lines() {
        let mut rest = line;
        while let Some(at) = rest.find("since ") {
            rest = &rest[at + "since ".len()..];
            let Some(since) = rest.get(..8).and_then(seconds_of_day) else {
                continue;
            };
            let Some(dur) = rest
                .get(8..)
                .and_then(|r| r.strip_prefix(" ("))
                .and_then(|r| r.split_once(')'))
                .and_then(|(d, _)| compact_seconds(d))
            else {
                wrong.push(format!("no duration after \"since\" in {line:?}"));
                continue;
            };
            let implied = since + dur.0;
            if implied > now_s || implied + dur.1 < now_s {
                wrong.push(format!(
                    "{:?} adds up to {}, but the screen's clock is {}",
                    &rest[..rest.find(')').map_or(rest.len(), |i| i + 1)],
                    hms(implied),
                    hms(now_s)
                ));
            }
        }
        // The transitions log: "│HH:MM:SS  target  what  detail".
        if let Some(t) = line
            .trim_matches('"')
            .strip_prefix('│')
            .and_then(|l| l.get(..8))
            .and_then(seconds_of_day)
            && t > now_s
        {
            wrong.push(format!(
                "a transition at {} after the clock ({}): {line}",
                hms(t),
                hms(now_s)
            ));
        }
    }
    wrong
}

fn hms(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn key(app: &mut WatchApp, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn watch_rows_timeline_and_log() {
    let mut app = flapping();
    let s = screen(&mut app, 100, 26);
    // Each row counts from its own change, at one clock (10:02:25).
    assert!(s.contains("since 10:00:16 (2m 09s)"), "{s}");
    assert!(s.contains("since 10:00:20 (2m 05s)"), "{s}");
    // The flapping target's timeline shows its six failed checks among the good ones.
    assert!(s.contains("██████××××××██████"), "{s}");
    assert!(s.contains("up → down") && s.contains("down → up"), "{s}");
    assert!(s.contains("HTTP 503 Service Unavailable"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn watch_paused_with_the_bell_off_at_80_columns() {
    let mut app = flapping();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Char('+'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("PAUSED") && s.contains("bell off"), "{s}");
    assert!(s.contains("every 2s"), "{s}");
    insta::assert_snapshot!(s);
}

/// The help lists the watch screen's keys from the same table dispatch reads; the footer
/// keeps `? help` and `q quit` at 80 columns; Esc closes the help and never quits.
#[test]
fn watch_help_at_80_columns_and_esc_closes_it() {
    let mut app = flapping();
    let s = screen(&mut app, 80, 24);
    let footer = s.lines().last().unwrap_or_default();
    assert!(
        footer.contains("? help") && footer.contains("q quit"),
        "{footer}"
    );
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 80, 24);
    for line in [
        "Space p",
        "pause the checks",
        "Enter",
        "guided diagnosis",
        "q Ctrl-C",
    ] {
        assert!(s.contains(line), "{line} missing:\n{s}");
    }
    assert!(
        s.lines().last().unwrap_or_default().contains("Ctrl-C quit"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    key(&mut app, KeyCode::Esc);
    assert!(app.help.is_none() && !app.quit);
    key(&mut app, KeyCode::Esc);
    assert!(!app.quit, "Esc on the watch screen quit");
}

#[test]
fn watch_keeps_the_selected_row_in_view() {
    let labels: Vec<String> = (0..20).map(|i| format!("127.0.0.1:{}", 9000 + i)).collect();
    let mut app = WatchApp::new(labels, Duration::from_secs(1), Some(5), false);
    app.color = false;
    for i in 0..20 {
        app.checked(i, up(i, 1.0, None));
    }
    settle(&mut app);
    for _ in 0..19 {
        key(&mut app, KeyCode::Down);
    }
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("▸ ▲ up   127.0.0.1:9019"), "{s}");
    assert!(
        !s.contains("127.0.0.1:9000 "),
        "the first rows scrolled away:\n{s}"
    );
}

#[test]
fn watch_says_when_the_terminal_is_too_small() {
    let mut app = flapping();
    let s = screen(&mut app, 50, 10);
    assert!(s.contains("needs at least 60×12"), "{s}");
}

#[test]
fn durations_come_from_the_checks_not_from_when_they_were_taken_in() {
    // Two targets taken in at the same instant, whose checks saw their changes 7 s apart.
    let labels = vec!["127.0.0.1:8080".to_string(), "127.0.0.1:8081".to_string()];
    let mut app = WatchApp::new(labels, Duration::from_secs(1), None, true);
    app.color = false;
    let refused = "127.0.0.1:8080 refused (ECONNREFUSED, errno 111)";
    app.checked(0, up(0, 0.4, None));
    app.checked(0, down(3, FailKind::Refused, refused, None));
    app.checked(1, up(10, 0.4, None));
    app.now = clock_at("2026-11-21T10:00:40.200Z");
    let s = screen(&mut app, 100, 14);
    assert!(s.contains("since 10:00:03 (37s)"), "{s}");
    assert!(s.contains("since 10:00:10 (30s)"), "{s}");
    // An hour later, in another format, the rows still agree.
    app.now = clock_at("2026-11-21T11:05:10.000Z");
    let s = screen(&mut app, 100, 14);
    assert!(s.contains("since 10:00:03 (1h 05m)"), "{s}");
    // When the row is too narrow for the clock time, the duration alone still counts from
    // the check.
    let s = screen(&mut app, 60, 14);
    assert!(s.contains("for 1h 05m"), "{s}");
}

#[test]
fn a_screen_with_contradictory_times_is_caught() {
    // What an earlier build drew: both rows "2m 05s", though they changed 4 s apart.
    let old = concat!(
        "┃▸ ▲ up   127.0.0.1:8080   since 10:00:16 (2m 05s)  24 ok · 6 failed┃\n",
        "┃  ▼ down https://api.example.test/health  since 10:00:20 (2m 05s)  20 ok · 10 failed┃\n",
    );
    let wrong = contradictions(old, clock_at("2026-11-21T10:02:25.500Z"));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert!(wrong[0].contains("10:02:21"), "{wrong:?}");
    // The same rows drawn against one clock agree.
    let right = old.replace("10:00:16 (2m 05s)", "10:00:16 (2m 09s)");
    assert!(contradictions(&right, clock_at("2026-11-21T10:02:25.500Z")).is_empty());
    // A transition later than the screen's clock.
    let log = "│10:05:00  127.0.0.1:8080  down → up  answered\n";
    assert_eq!(contradictions(log, clock_at(NOW)).len(), 1);
    assert!(contradictions(log, clock_at("2026-11-21T10:05:00Z")).is_empty());
}

#[test]
fn pausing_drops_the_check_under_way() {
    let mut app = flapping();
    let before = screen(&mut app, 100, 26);
    // The unix socket row's check was under way; its answer arrives after the pause.
    key(&mut app, KeyCode::Char(' '));
    app.checked(2, up(40, 0.3, None));
    let after = screen(&mut app, 100, 26);
    assert!(after.contains("PAUSED"), "{after}");
    assert!(
        after.contains("waiting for the first check"),
        "a check under way when paused was counted:\n{after}"
    );
    let counts = |s: &str| -> Vec<String> {
        s.lines()
            .filter_map(|l| {
                l.find(" ok · ")
                    .map(|i| l[i.saturating_sub(4)..].to_string())
            })
            .collect()
    };
    assert_eq!(counts(&before), counts(&after));
}
