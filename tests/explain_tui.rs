//! The paste box: rendering (TestBackend snapshots), what Enter does, and the whole path in
//! the real TUI under tmux: a real program's error pasted with bracketed paste, explained,
//! then diagnosed live against the loopback port it names.

use connfix::knowledge::Knowledge;
use connfix::probe::Settings;
use connfix::tui::app::App;
use connfix::tui::event::{Command, Event};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::Duration;

#[path = "fixtures/tui.rs"]
mod fixtures;
mod support;
#[allow(dead_code)]
#[path = "support/tmux.rs"]
mod tmux;

const NODE_ERROR: &str = "node:net:1555\nError: connect ECONNREFUSED ::1:3000\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '::1',\n  port: 3000\n}\n";

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn screen(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

fn prompt_app() -> App {
    let kb = Arc::new(Knowledge::bundled());
    let mut app = App::new(kb, Settings::default(), (120, 40));
    app.color = false;
    app.ask_for_target();
    app
}

#[test]
fn p_opens_the_box_and_a_paste_is_explained_as_it_arrives() {
    let (mut app, _) = fixtures::app();
    key(&mut app, KeyCode::Char('p'));
    assert!(app.paste.is_some());
    insta::assert_snapshot!("paste_box_empty", screen(&mut app));
    app.update(Event::Paste(NODE_ERROR.into()));
    let s = screen(&mut app);
    assert!(
        s.contains("Connection refused · Node.js · ECONNREFUSED · [::1]:3000"),
        "{s}"
    );
    insta::assert_snapshot!("paste_box_explained", s);
}

#[test]
fn enter_diagnoses_the_pasted_target_and_notes_the_paste() {
    let mut app = prompt_app();
    // A multi-line error pasted at the prompt goes to the box, not the target line.
    app.update(Event::Paste(NODE_ERROR.into()));
    assert!(app.paste.is_some(), "the paste box opened");
    assert!(app.prompt.as_ref().unwrap().field.input.is_empty());
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(cmds.iter().any(|c| matches!(c, Command::StartAll { .. })));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::Remember(t) if t == "[::1]:3000"))
    );
    let s = app.diagnosis.as_ref().expect("a diagnosis started");
    assert_eq!(s.target.host.as_deref(), Some("::1"));
    assert_eq!(s.target.port, Some(3000));
    assert!(app.paste.is_none() && app.prompt.is_none());
    assert!(
        app.banner
            .as_deref()
            .unwrap()
            .starts_with("From your paste: Connection refused")
    );
    let note = &app.journal.as_ref().unwrap().notes[0].text;
    assert!(
        note.starts_with("Pasted error: Connection refused"),
        "{note}"
    );
}

#[test]
fn a_paste_without_a_target_says_what_to_do_and_stays_open() {
    let mut app = prompt_app();
    app.update(Event::Paste(
        "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\nConnectionRefusedError: [Errno 111] Connection refused\n".into(),
    ));
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(cmds.is_empty());
    let pb = app.paste.as_ref().expect("still open");
    assert!(
        pb.error
            .as_deref()
            .unwrap()
            .contains("does not say what it tried to reach")
    );
    assert!(screen(&mut app).contains("does not say what it tried to reach"));
    // Typing more (the address) fixes it.
    for c in "\nHTTPConnectionPool(host='localhost', port=8000)".chars() {
        if c == '\n' {
            app.update(Event::Paste("\n".into()));
        } else {
            key(&mut app, KeyCode::Char(c));
        }
    }
    let cmds = key(&mut app, KeyCode::Enter);
    assert!(cmds.iter().any(|c| matches!(c, Command::StartAll { .. })));
    assert_eq!(
        app.diagnosis.as_ref().unwrap().target.redacted,
        "http://localhost:8000"
    );
}

#[test]
fn line_breaks_pasted_as_cr_are_lines() {
    let (mut app, _) = fixtures::app();
    key(&mut app, KeyCode::Char('p'));
    app.update(Event::Paste(
        "first line\rError: connect ECONNREFUSED ::1:3000\r".into(),
    ));
    assert!(
        screen(&mut app).contains("Pasted 2 lines"),
        "{}",
        screen(&mut app)
    );
}

#[test]
fn a_one_line_target_pasted_at_the_prompt_stays_a_target() {
    let mut app = prompt_app();
    app.update(Event::Paste("db.internal:5432".into()));
    assert!(app.paste.is_none());
    assert_eq!(app.prompt.as_ref().unwrap().field.input, "db.internal:5432");
    // And Esc closes the box without touching the session.
    let (mut app, _) = fixtures::app();
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Esc);
    assert!(app.paste.is_none() && !app.quit);
}

#[test]
fn a_paste_during_a_checklist_does_not_start_a_diagnosis() {
    let kb = Arc::new(Knowledge::bundled());
    let mut app = App::new(kb.clone(), Settings::default(), (120, 40));
    let def = kb.checklist("database-unreachable").unwrap().clone();
    app.start_checklist(&def, None);
    app.update(Event::Paste(NODE_ERROR.into()));
    assert!(app.paste.is_none());
    key(&mut app, KeyCode::Char('p'));
    assert!(app.paste.is_none());
    assert!(app.diagnosis.is_none() && app.checklist.is_some());
}

/// The real TUI: a bracketed paste of the error a real client printed (Python's, against a
/// closed loopback port) opens the box, Enter diagnoses the port it names.
#[test]
fn a_real_error_pasted_in_the_tui_is_explained_then_diagnosed() {
    if !tmux::available() {
        return;
    }
    let port = support::cli::closed_port();
    let error = format!(
        "Traceback (most recent call last):\n  File \"/app/client.py\", line 9, in <module>\n    r = requests.get(URL)\nrequests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port={port}): Max retries exceeded with url: /health (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f2b>: Failed to establish a new connection: [Errno 111] Connection refused'))\n"
    );
    let t = tmux::Tmux::connfix(&[]);
    t.wait_for("what cannot be reached?", Duration::from_secs(10));
    t.paste(&error);
    t.wait_for_all(
        &[
            "Explain a pasted error",
            "Connection refused · Python · ECONNREFUSED",
            &format!("Enter diagnose http://127.0.0.1:{port}"),
        ],
        Duration::from_secs(10),
    );
    t.keys(&["Enter"]);
    t.wait_for_all(
        &[
            "From your paste: Connection refused",
            "Nothing is listening",
        ],
        Duration::from_secs(20),
    );
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(Duration::from_secs(10)), 0);
}
