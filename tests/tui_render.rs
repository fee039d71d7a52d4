//! Rendering tests: the TUI drawn into ratatui's TestBackend at 120×40 in each state, and
//! compared with insta snapshots (`cargo insta review` after an intended change).
//!
//! The probe results are fixed (see `fixtures/tui.rs`) so the screens do not depend on this
//! machine's sockets.

use connfix::knowledge::Knowledge;
use connfix::probe::{ProbeEvent, ProbeId, Settings};
use connfix::tui::app::App;
use connfix::tui::event::{Command, Event};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

#[path = "fixtures/tui.rs"]
mod fixtures;
use fixtures::*;

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn pending_before_any_probe_reports() {
    let (mut app, _) = app();
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn running_while_probes_report() {
    let (mut app, run) = app();
    feed(
        &mut app,
        run,
        vec![
            ProbeEvent::Started(ProbeId::Dns),
            dns(),
            ProbeEvent::Started(ProbeId::Tcp),
            ProbeEvent::Started(ProbeId::Listeners),
            listeners(),
        ],
    );
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn verdict_with_a_question_asked() {
    let mut app = finished();
    let s = screen(&mut app, 120, 40);
    // The password never reaches the screen.
    assert!(!s.contains("hunter2"));
    insta::assert_snapshot!(s);
}

#[test]
fn answered_question_shows_who_answered() {
    let mut app = finished();
    key(&mut app, KeyCode::Char('y'));
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn causes_pane_with_the_go_snippet() {
    let mut app = finished();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    // Switching language scrolls the snippet into view.
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("net.DialTimeout"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn evidence_pane_focused_and_scrolled() {
    let mut app = finished();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn help_lists_every_key() {
    let mut app = finished();
    key(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn too_small_terminal_says_so() {
    let mut app = finished();
    insta::assert_snapshot!(screen(&mut app, 60, 20));
}

#[test]
fn prompt_with_recent_targets_and_an_error() {
    let kb = Arc::new(Knowledge::bundled());
    let mut app = App::new(kb, Settings::default(), (120, 40));
    app.color = false;
    app.history = vec!["localhost:5432".into(), "env:DATABASE_URL".into()];
    app.ask_for_target();
    for c in "db.internal".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn at_80x24_the_verdict_action_and_deciding_fact_show_first_and_panes_are_tabs() {
    let mut app = finished();
    let s = screen(&mut app, 80, 24);
    // Without scrolling: the verdict in full, the action, the listener that decided it.
    for want in [
        "Something listens on a nearby port, not the one you asked for (likely)",
        "→ postgres (pid 4242) listens on 127.0.0.1:5433, not on port 5432",
        "PostgreSQL listens, but on 127.0.0.1:5433",
        "[Decision tree]",
        "? help  q quit",
    ] {
        assert!(s.contains(want), "{want} missing at 80×24:\n{s}");
    }
    insta::assert_snapshot!("tree_tab_80x24", s);
    key(&mut app, KeyCode::Tab);
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("[Evidence]") && s.contains("Listening sockets"),
        "{s}"
    );
    key(&mut app, KeyCode::Tab);
    let s = screen(&mut app, 80, 24);
    // The cause list has the width to show ids whole.
    assert!(
        s.contains("nothing-listening") && s.contains("How to fix it"),
        "{s}"
    );
    insta::assert_snapshot!("causes_tab_80x24", s);
}

// State changes behind the screens: the latest run wins, answers can be taken back, the
// prompt never remembers a password, signals leave with the conventional code.

#[test]
fn a_rerun_drops_the_older_runs_results() {
    let (mut app, first) = app();
    feed(&mut app, first, vec![dns()]);
    // The first node asks the DNS probe: `r` re-runs it, and TCP after it.
    let cmds = key(&mut app, KeyCode::Char('r'));
    let second = cmds
        .iter()
        .find_map(|c| match c {
            Command::Rerun { run, probe } if *probe == ProbeId::Dns => Some(*run),
            _ => None,
        })
        .expect("r on the DNS question re-runs DNS");
    assert!(second > first);
    // A TCP result from the first run arrives late: it is not shown as current.
    feed(&mut app, first, vec![tcp()]);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("· DNS  waiting to start"), "{s}");
    assert!(s.contains("· TCP connect  waiting to start"), "{s}");
    feed(&mut app, second, vec![dns(), tcp()]);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("✓ DNS"), "{s}");
    assert!(s.contains("✗ TCP connect"), "{s}");
}

#[test]
fn rerun_all_restarts_every_probe_and_keeps_answers() {
    let mut app = finished();
    key(&mut app, KeyCode::Char('y'));
    let cmds = key(&mut app, KeyCode::Char('R'));
    assert!(cmds.iter().any(|c| matches!(c, Command::StartAll { .. })));
    let s = app.diagnosis.as_ref().unwrap();
    assert!(!s.all_done());
    assert_eq!(s.done_count(), 0);
    assert_eq!(s.answers.len(), 1, "answers survive a re-run");
}

#[test]
fn an_answer_can_be_changed_and_taken_back() {
    let mut app = finished();
    let causes = |app: &App| -> Vec<(String, &'static str)> {
        let s = app.diagnosis.as_ref().unwrap();
        s.report
            .causes
            .iter()
            .map(|c| (c.id.clone(), c.confidence.as_str()))
            .collect()
    };
    let before = causes(&app);
    assert!(before.contains(&("startup-race".into(), "possible")));
    key(&mut app, KeyCode::Char('y'));
    assert!(causes(&app).contains(&("startup-race".into(), "likely")));
    // Back up to the answered question and take the answer back.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(causes(&app), before);
    assert!(app.diagnosis.as_ref().unwrap().answers.is_empty());
}

#[test]
fn a_probe_question_cannot_be_answered_by_the_person() {
    let mut app = finished();
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('y'));
    assert!(app.diagnosis.as_ref().unwrap().answers.is_empty());
    assert!(app.flash.as_deref().unwrap_or("").contains("probe"));
    // Away from the person's questions, m is for notes.
    key(&mut app, KeyCode::Char('m'));
    assert!(
        app.input.is_some(),
        "m opens the note box on a probe's question"
    );
    assert!(app.diagnosis.as_ref().unwrap().answers.is_empty());
}

#[test]
fn the_prompt_remembers_targets_without_their_password() {
    let kb = Arc::new(Knowledge::bundled());
    let mut app = App::new(kb, Settings::default(), (120, 40));
    app.ask_for_target();
    app.update(Event::Paste(
        "postgres://app:s3cret@localhost:5432/app\nsecond line".into(),
    ));
    let cmds = key(&mut app, KeyCode::Enter);
    let remembered = cmds
        .iter()
        .find_map(|c| match c {
            Command::Remember(t) => Some(t.clone()),
            _ => None,
        })
        .expect("a good target is remembered");
    assert_eq!(remembered, "postgres://app:***@localhost:5432/app");
    assert!(app.diagnosis.is_some());
}

#[test]
fn signals_quit_with_the_conventional_exit_code() {
    let mut app = finished();
    let cmds = app.update(Event::Signal(15));
    assert!(cmds.contains(&Command::Quit));
    assert!(app.quit);
    assert_eq!(app.exit_code, 143);
}

#[test]
fn mouse_clicks_focus_panes_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = finished();
    let mouse = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Clicks land where the last frame drew things: find the rows on the screen.
    let s = screen(&mut app, 120, 40);
    let row_of = |text: &str| s.lines().position(|l| l.contains(text)).unwrap() as u16;
    let evidence = row_of("Evidence") + 2;
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 90, evidence));
    assert_eq!(app.focus, connfix::tui::components::Pane::Evidence);
    app.update(mouse(MouseEventKind::ScrollDown, 90, evidence));
    assert_eq!(app.evidence.scroll.offset, 3);
    // A click on the second cause selects it.
    app.update(mouse(
        MouseEventKind::Down(MouseButton::Left),
        5,
        row_of("nothing-listening"),
    ));
    assert_eq!(app.focus, connfix::tui::components::Pane::Causes);
    assert_eq!(app.causes.sel, 1);
}

#[test]
fn taking_back_an_unanswered_question_says_so() {
    let mut app = finished();
    let cmds = key(&mut app, KeyCode::Char('u'));
    assert!(cmds.is_empty(), "nothing to log or do: {cmds:?}");
    assert!(app.flash.as_deref().unwrap_or("").contains("not answered"));
}

#[test]
fn at_the_minimum_size_the_header_keeps_the_target_and_help_wraps() {
    let mut app = finished();
    let s = screen(&mut app, 80, 24);
    let header = s.lines().next().unwrap_or_default();
    assert!(header.contains("postgres://app:***@localhost"), "{header}");
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 80, 24);
    // The longest descriptions wrap instead of being cut at the edge.
    assert!(s.contains("(OSC 52, works over SSH); a cause"), "{s}");
    // It scrolls: the end of the help comes into view with G, and Esc closes it only.
    assert!(!s.contains("After a search"), "{s}");
    key(&mut app, KeyCode::Char('G'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("the previous match"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(app.help.is_none() && !app.quit);
    key(&mut app, KeyCode::Esc);
    assert!(!app.quit, "Esc never quits the main screen");
}

#[test]
fn a_rerun_of_tcp_while_dns_runs_starts_at_dns() {
    let (mut app, run) = app();
    feed(&mut app, run, vec![ProbeEvent::Started(ProbeId::Dns)]);
    // Select "Does a TCP connection succeed?" and re-run it.
    let tcp_node = app
        .diagnosis
        .as_ref()
        .unwrap()
        .live
        .iter()
        .position(|n| n.id == "connects")
        .unwrap();
    for _ in 0..tcp_node {
        key(&mut app, KeyCode::Down);
    }
    let cmds = key(&mut app, KeyCode::Char('r'));
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Command::Rerun {
                probe: ProbeId::Dns,
                ..
            }
        )),
        "{cmds:?}"
    );
}

#[test]
fn v_picks_a_container_to_look_from_and_diagnoses_again() {
    use connfix::probe::vantage::Vantage;
    let mut app = finished();
    let cmds = key(&mut app, KeyCode::Char('v'));
    assert_eq!(cmds, vec![Command::ListContainers]);
    app.update(Event::Containers(Ok(vec![
        ("api".into(), "shop/api:1".into()),
        ("db".into(), "postgres:15".into()),
    ])));
    let s = screen(&mut app, 120, 40);
    assert!(
        s.contains("Look from") && s.contains("container api") && s.contains("this host"),
        "{s}"
    );
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    assert_eq!(cmds, vec![Command::LookFrom("api".into())]);
    assert!(app.picker.is_none());
    let v = Vantage {
        kind: "container".into(),
        name: "api".into(),
        pid: Some(4242),
        label: "container api (pid 4242)".into(),
        netns: "/proc/4242/ns/net".into(),
        root: "/proc/4242/root".into(),
        etc_overlay: None,
    };
    let cmds = app.update(Event::Vantage(Ok(v)));
    assert!(
        cmds.iter().any(|c| matches!(c, Command::StartAll { .. })),
        "{cmds:?}"
    );
    assert_eq!(
        app.settings.vantage.as_ref().map(|v| v.name.as_str()),
        Some("api")
    );
    let s = screen(&mut app, 120, 40);
    assert!(
        s.lines().next().unwrap().contains("from container api"),
        "{s}"
    );
    // Back to this host.
    key(&mut app, KeyCode::Char('v'));
    app.update(Event::Containers(Ok(vec![("api".into(), String::new())])));
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(
        cmds.iter().any(|c| matches!(c, Command::StartAll { .. })),
        "{cmds:?}"
    );
    assert!(app.settings.vantage.is_none());
    // No engine: said plainly, nothing opens.
    key(&mut app, KeyCode::Char('v'));
    app.update(Event::Containers(Err(
        connfix::probe::container::EngineError::NoSocket,
    )));
    assert!(app.picker.is_none());
    assert!(
        app.flash
            .as_deref()
            .unwrap_or("")
            .contains("no Docker or Podman socket")
    );
}
