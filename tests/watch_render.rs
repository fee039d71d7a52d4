//! The `connfix watch` screen drawn into ratatui's TestBackend from fixed check results, and
//! compared with insta snapshots (`cargo insta review` after an intended change).

use connfix::probe::reach::{FailKind, Failure, Sample};
use connfix::tui::view::watch::render;
use connfix::tui::watch::state::WatchApp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

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

/// A fixed "now": 125.5 s after the latest state change, so "for 2m 05s" does not depend on
/// how fast the test ran.
fn settle(app: &mut WatchApp) {
    let latest = app.rows.iter().filter_map(|r| r.since_at).max();
    if let Some(t) = latest {
        app.now = t + Duration::from_millis(125_500);
    }
}

fn screen(app: &WatchApp, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(f, app)).unwrap();
    terminal.backend().to_string()
}

fn key(app: &mut WatchApp, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn watch_rows_timeline_and_log() {
    let app = flapping();
    let s = screen(&app, 100, 26);
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
    let s = screen(&app, 80, 24);
    assert!(s.contains("PAUSED") && s.contains("bell off"), "{s}");
    assert!(s.contains("every 2s"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn watch_keeps_the_selected_row_in_view() {
    let labels: Vec<String> = (0..20).map(|i| format!("127.0.0.1:{}", 9000 + i)).collect();
    let mut app = WatchApp::new(labels, Duration::from_secs(1), Some(5), false);
    app.color = false;
    for i in 0..20 {
        app.checked(i, up(i, 1.0, None));
    }
    for _ in 0..19 {
        key(&mut app, KeyCode::Down);
    }
    let s = screen(&app, 80, 24);
    assert!(s.contains("▸ ▲ up   127.0.0.1:9019"), "{s}");
    assert!(
        !s.contains("127.0.0.1:9000 "),
        "the first rows scrolled away:\n{s}"
    );
}

#[test]
fn watch_says_when_the_terminal_is_too_small() {
    let app = flapping();
    let s = screen(&app, 50, 10);
    assert!(s.contains("needs at least 60×12"), "{s}");
}
