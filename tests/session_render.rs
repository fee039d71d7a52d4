//! The session parts of the TUI drawn into ratatui's TestBackend: the note box and notes, the
//! checklist screen, the answer keys, and what a failed save shows. Probe results are the
//! fixed ones of `fixtures/tui.rs`; clock readings are pinned so the screens are stable.

use connfix::checklist::StepState;
use connfix::knowledge::Knowledge;
use connfix::probe::Settings;
use connfix::target::{self, ParseOptions};
use connfix::tui::app::App;
use connfix::tui::components::input::InputPurpose;
use connfix::tui::event::{Command, Event};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::Duration;

#[path = "fixtures/tui.rs"]
mod fixtures;
use fixtures::*;

fn key(app: &mut App, code: KeyCode) -> Vec<Command> {
    app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

const T0: &str = "2026-11-21T09:58:00.000Z";

/// Pins every clock reading the screens show.
fn pin_times(app: &mut App) {
    if let Some(j) = &mut app.journal {
        j.started_at = T0.into();
        j.started = humantime::parse_rfc3339(T0).unwrap();
        for (i, n) in j.notes.iter_mut().enumerate() {
            n.at = format!("2026-11-21T10:0{i}:00.000Z");
        }
        app.wall = j.started + Duration::from_secs(754);
    }
    if let Some(c) = &mut app.checklist {
        for s in &mut c.run.steps {
            if s.changed_at.is_some() {
                s.changed_at = Some("2026-11-21T10:04:30.000Z".into());
            }
        }
    }
}

#[test]
fn a_note_is_typed_in_a_box_and_shown_first_in_the_evidence() {
    let mut app = finished();
    key(&mut app, KeyCode::Char('m'));
    typed(
        &mut app,
        "db team says 5433 is the new cluster, token=abc123",
    );
    pin_times(&mut app);
    insta::assert_snapshot!("note_box", screen(&mut app, 120, 40));
    key(&mut app, KeyCode::Enter);
    pin_times(&mut app);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("✎ Your notes"), "{s}");
    assert!(
        s.contains("10:00:00  db team says 5433 is the new cluster, token=***"),
        "{s}"
    );
    assert!(!s.contains("abc123"));
    let j = app.journal.as_ref().unwrap();
    assert!(j.unsaved, "a note marks the session for saving");
    assert_eq!(
        j.notes[0].about.as_deref(),
        Some("intermittent"),
        "about the selected question"
    );
    assert!(app.flash.as_deref().unwrap().starts_with("note 1 added"));
}

#[test]
fn enter_opens_the_answer_keys_so_n_is_no_only_while_answering() {
    let mut app = finished();
    // The selection rests on an open question; m there is a note, n is not "no".
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(
        app.input.as_ref().map(|i| i.purpose),
        Some(InputPurpose::Note)
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.flash.as_deref(), Some("note discarded"));
    assert_eq!(key(&mut app, KeyCode::Char('s')), [Command::SaveReport]);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("y yes · n no · s skip · Esc cancel"), "{s}");
    let footer = s.lines().last().unwrap_or_default();
    assert!(footer.contains("y yes  n no  s skip"), "{footer}");
    key(&mut app, KeyCode::Char('n'));
    let session = app.diagnosis.as_ref().unwrap();
    assert_eq!(session.answers.len(), 1, "n answered no");
    let j = app.journal.as_ref().unwrap();
    assert_eq!(j.answers.len(), 1);
    assert_eq!(j.answers[0].said, connfix::session::Said::No);
    assert!(app.input.is_none());
}

#[test]
fn a_failed_save_says_so_and_asks_for_another_directory() {
    let mut app = finished();
    app.journal.as_mut().unwrap().save_error = Some(
        "cannot write /data/connfix/sessions/x.json: Read-only file system (os error 30)".into(),
    );
    let s = screen(&mut app, 120, 40);
    // The warning has its own row above the footer, which keeps help and quit.
    let rows: Vec<&str> = s.lines().collect();
    assert!(
        rows[38].contains("⚠ not saved: cannot write /data/connfix/sessions/x.json"),
        "{s}"
    );
    assert!(rows[39].contains("? help  q quit"), "{s}");
    app.report_saved(
        Err(
            "cannot write /data/connfix/sessions/x.json: Read-only file system (os error 30)"
                .into(),
        ),
        std::path::Path::new("/home/me/incident"),
    );
    insta::assert_snapshot!("save_elsewhere", screen(&mut app, 120, 40));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "tmp");
    assert_eq!(key(&mut app, KeyCode::Enter), [Command::SaveReport]);
    let j = app.journal.as_ref().unwrap();
    assert_eq!(
        j.alt_dir.as_deref(),
        Some(std::path::Path::new("/home/me/incident/tmp"))
    );
}

/// `connfix checklist database-unreachable --target ...` with the fixed probe results.
fn checklist() -> App {
    let kb = Arc::new(Knowledge::bundled());
    let mut app = App::new(kb.clone(), Settings::default(), (120, 40));
    app.color = false;
    let def = kb
        .checklist("database-unreachable")
        .expect("bundled")
        .clone();
    let t = target::parse(TARGET, ParseOptions::default(), &kb.services, &|_| None).unwrap();
    let run = run_of(&app.start_checklist(&def, Some(t)));
    feed(&mut app, run, all_reports());
    app
}

#[test]
fn the_checklist_screen_shows_states_checks_and_the_clock() {
    let mut app = checklist();
    let states: Vec<StepState> = app
        .checklist
        .as_ref()
        .unwrap()
        .run
        .steps
        .iter()
        .map(|s| s.state)
        .collect();
    // The fixture: the name resolves, the port refuses, nothing listens on it.
    let by_id = |app: &App, id: &str| {
        let c = app.checklist.as_ref().unwrap();
        c.run.steps.iter().find(|s| s.id == id).unwrap().state
    };
    assert_eq!(by_id(&app, "dns-resolves"), StepState::Done, "{states:?}");
    assert_eq!(by_id(&app, "tcp-connect"), StepState::Failed);
    assert_eq!(by_id(&app, "listen-address"), StepState::Failed);
    // The person settles the first step and notes something on the next.
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('m'));
    typed(&mut app, "DATABASE_URL still points at port 5432");
    key(&mut app, KeyCode::Enter);
    pin_times(&mut app);
    insta::assert_snapshot!("checklist_screen", screen(&mut app, 120, 40));
    // t shows the target's diagnosis, and back.
    key(&mut app, KeyCode::Char('t'));
    assert!(screen(&mut app, 120, 40).contains("Decision tree"));
    key(&mut app, KeyCode::Char('t'));
    assert!(screen(&mut app, 120, 40).contains(" Steps "));
    // u on a checked step the person overrode hands it back to the check.
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    let sel = app.checklist.as_ref().unwrap().sel;
    let id = app.checklist.as_ref().unwrap().run.steps[sel].id.clone();
    assert_eq!(id, "tcp-connect");
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(by_id(&app, "tcp-connect"), StepState::Skipped);
    let sel_now = app.checklist.as_ref().unwrap().sel;
    app.checklist.as_mut().unwrap().sel = sel;
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(by_id(&app, "tcp-connect"), StepState::Failed);
    assert_ne!(
        sel_now, sel,
        "settling a step moves on to the next pending one"
    );
}

#[test]
fn the_checklist_help_lists_its_keys_only() {
    let mut app = checklist();
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 120, 40);
    assert!(
        s.contains("mark the step done") && s.contains("Everywhere"),
        "{s}"
    );
    assert!(!s.contains("Causes & fixes"), "{s}");
}
