//! Header, banner, footer, the help overlay and the too-small message.

use super::layout::{MIN_HEIGHT, MIN_WIDTH, centered};
use super::spinner;
use super::text::{ellipsis, wrap};
use super::theme::Theme;
use crate::diagnose::live::NodeState;
use crate::tui::app::{App, Pane, Screen, Session};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// Columns the header always keeps for the target.
const TARGET_ROOM: usize = 30;
/// Width of the key column in the help.
const HELP_KEYS: usize = 26;

pub fn header(frame: &mut Frame, area: Rect, app: &App, s: &Session) {
    let t = Theme { color: app.color };
    let probing = Span::styled(
        format!(
            "{} probing {}/{}",
            spinner(app.tick),
            s.done_count(),
            s.slots.len()
        ),
        t.accent(),
    );
    let state: Vec<Span> = if !s.all_done() && s.report.causes.is_empty() {
        vec![probing]
    } else if !s.all_done() {
        let v = &s.report.verdict;
        let (mark, style) = super::causes::mark(&t, app, &v.id);
        vec![
            Span::styled(format!("{mark} {}", v.title), style.patch(t.bold())),
            Span::styled(" (provisional) ", t.dim()),
            probing,
        ]
    } else {
        let v = &s.report.verdict;
        let (mark, style) = super::causes::mark(&t, app, &v.id);
        vec![
            Span::styled(format!("{mark} {}", v.title), style.patch(t.bold())),
            Span::styled(format!(" ({})", v.confidence.as_str()), t.dim()),
        ]
    };
    // The target keeps at least TARGET_ROOM columns; a long verdict gives way.
    let name = " connfix ";
    // With --from, the header says where the client is looked at from.
    let shown = match &app.settings.vantage {
        Some(v) => format!("{} from {}", s.target.redacted, v.label),
        None => s.target.redacted.clone(),
    };
    let target_room = shown.chars().count().min(TARGET_ROOM);
    let state_room = (area.width as usize).saturating_sub(name.len() + target_room + 3);
    let mut state = state;
    let mut used_by_state = 0;
    for span in &mut state {
        let fits = ellipsis(&span.content, state_room.saturating_sub(used_by_state));
        used_by_state += fits.chars().count();
        span.content = fits.into();
    }
    let state_width: usize = state.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(name.len() + state_width + 3);
    let mut spans = vec![
        Span::styled(name, t.key().patch(t.selected())),
        Span::raw(" "),
        Span::styled(ellipsis(&shown, room), t.bold()),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    spans.push(Span::raw(" ".repeat(
        (area.width as usize).saturating_sub(used + state_width + 1),
    )));
    spans.extend(state);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The one thing to do now, under the header: `→` and the verdict's action, wrapped.
pub fn action(frame: &mut Frame, area: Rect, app: &App, s: &Session) {
    if area.height == 0 {
        return;
    }
    let t = Theme { color: app.color };
    let width = (area.width as usize).saturating_sub(3);
    let mut lines = wrap(&s.report.verdict.action, width);
    let rows = area.height as usize;
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            *last = ellipsis(&format!("{last} …"), width);
        }
    }
    let style = if s.report.provisional {
        t.plain()
    } else {
        t.bold()
    };
    let text: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 { " → " } else { "   " };
            Line::from(vec![Span::styled(lead, t.accent()), Span::styled(l, style)])
        })
        .collect();
    frame.render_widget(Paragraph::new(text), area);
}

pub fn banner(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(b) = &app.banner {
        let t = Theme { color: app.color };
        let text = ellipsis(b, area.width as usize);
        frame.render_widget(Paragraph::new(Line::styled(text, t.dim())), area);
    }
}

pub fn footer(frame: &mut Frame, area: Rect, app: &App, s: &Session) {
    let mut keys: Vec<(&str, String)> = vec![("Tab", "pane".into())];
    match app.focus {
        Pane::Tree => {
            keys.push(("↑↓", "select".into()));
            if let Some(n) = s.selected_node() {
                match (&n.state, n.probe) {
                    _ if app.answering => {
                        keys.push(("y/n/s", "yes/no/skip".into()));
                        keys.push(("Esc", "cancel".into()));
                    }
                    (NodeState::Asking(_), _) => keys.push(("Enter", "answer".into())),
                    (NodeState::Answered(st), _)
                        if st.by == crate::diagnose::engine::AnsweredBy::Person =>
                    {
                        keys.push(("Enter", "change".into()));
                        keys.push(("u", "take back".into()));
                    }
                    (_, Some(p)) => keys.push(("r", format!("re-run {}", p.as_str()))),
                    _ => {}
                }
            }
        }
        Pane::Evidence => keys.push(("↑↓ PgUp/PgDn", "scroll".into())),
        Pane::Causes => {
            keys.push(("↑↓", "cause".into()));
            keys.push(("←→", "language".into()));
            keys.push(("c", "copy commands".into()));
            keys.push(("C", "copy code".into()));
            keys.push(("PgUp/PgDn", "scroll".into()));
        }
    }
    keys.push(("R", "re-run all".into()));
    keys.push(("n", "note".into()));
    keys.push(("s", "save".into()));
    if app.checklist.is_none() {
        keys.push(("p", "paste error".into()));
    }
    if app.checklist.is_some() {
        keys.push(("t", "checklist".into()));
    }
    keys.push(("?", "help".into()));
    keys.push(("q", "quit".into()));
    key_line(frame, area, app, keys);
}

/// The footer: keys that apply now, then the latest message (or, until saving works again,
/// why the session is not being saved).
pub(super) fn key_line(frame: &mut Frame, area: Rect, app: &App, keys: Vec<(&str, String)>) {
    let t = Theme { color: app.color };
    let mut spans = Vec::new();
    for (k, what) in keys {
        spans.push(Span::styled(format!(" {k}"), t.key()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    // Until saving works again, that is the message: nothing else matters as much.
    let unsaved = (app.journal.as_ref())
        .and_then(|j| j.save_error.as_ref())
        .map(|e| match app.quit_armed {
            true => "⚠ the session is not saved: q again quits and keeps a copy in the temp directory; s saves it elsewhere".to_string(),
            false => format!("⚠ not saved: {e}. s saves elsewhere"),
        });
    if let Some(f) = unsaved.as_ref().or(app.flash.as_ref()) {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 2);
        // A message is read in full: when it does not fit beside the keys, it takes the
        // line (the keys come back with the next key press).
        if unicode_width::UnicodeWidthStr::width(f.as_str()) <= room {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(f.clone(), t.warn()));
        } else {
            spans = vec![Span::styled(
                format!(" {}", ellipsis(f, (area.width as usize).saturating_sub(1))),
                t.warn(),
            )];
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Every key, grouped by where it applies.
pub const HELP: &[(&str, &[(&str, &str)])] = &[
    (
        "Everywhere",
        &[
            ("Tab  Shift-Tab", "next / previous pane (or click a pane)"),
            (
                "r",
                "re-run the probe of the selected question (and the steps after it)",
            ),
            ("R", "re-run every probe"),
            ("n", "add a timestamped note to the session"),
            (
                "v",
                "look from elsewhere: pick a running container (or this host) and diagnose again as seen from it (needs root and a Docker or Podman socket)",
            ),
            (
                "p",
                "paste an error message: connfix explains it and Enter diagnoses its target (pasting anywhere opens it too)",
            ),
            (
                "s",
                "save the session's report (Markdown and HTML); the session itself is autosaved",
            ),
            (
                "c",
                "copy the selected cause's commands for this machine to the clipboard (OSC 52, works over SSH); a cause without commands copies its code",
            ),
            ("C", "copy the shown code snippet to the clipboard"),
            ("?  F1", "this help; Esc, q or ? closes it"),
            (
                "q  Esc  Ctrl-C  Ctrl-Q",
                "quit (probes are stopped, the terminal restored)",
            ),
        ],
    ),
    (
        "Decision tree",
        &[
            (
                "↑ ↓  k j  g G  PgUp PgDn",
                "select a question (or click it)",
            ),
            (
                "Enter  Space",
                "answer the selected question (or change your answer): then y yes, n no, s skip if you cannot tell",
            ),
            ("y", "answer yes at once"),
            ("u  Backspace  Delete", "take your answer back"),
            ("h", "hide / show the questions that do not apply"),
        ],
    ),
    (
        "Checklist",
        &[
            ("↑ ↓  k j", "select a step"),
            ("d  Enter", "mark the step done"),
            ("f", "mark it failed"),
            ("x", "skip it"),
            ("a", "not applicable here"),
            ("u", "undo: back to pending, or to the automatic check"),
            ("r  R", "run the automatic checks again"),
            (
                "t",
                "switch between the checklist and the target's diagnosis",
            ),
        ],
    ),
    (
        "Evidence",
        &[(
            "↑ ↓  k j  PgUp PgDn  Space",
            "scroll (also the mouse wheel; g G or Home End: ends)",
        )],
    ),
    (
        "Causes & fixes",
        &[
            ("↑ ↓  k j", "select a cause (or click it)"),
            (
                "← →  [ ]  h l  1-6",
                "code language: Python, Node.js, Go, Java, Rust, Shell",
            ),
            (
                "PgUp PgDn  J K  Space",
                "scroll the details (also the mouse wheel)",
            ),
        ],
    ),
];

pub fn help(frame: &mut Frame, area: Rect, app: &App) {
    let t = Theme { color: app.color };
    let w = 100.min(area.width);
    let mut lines = Vec::new();
    let checklist = app.screen == Screen::Checklist;
    // Each screen lists its own keys.
    let shown = HELP
        .iter()
        .filter(|(g, _)| *g == "Everywhere" || (*g == "Checklist") == checklist);
    for (group, keys) in shown {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(*group, t.accent().patch(t.bold())));
        for (k, what) in *keys {
            // Descriptions wrap beside the key column, so a narrow terminal loses nothing.
            let room = (w as usize).saturating_sub(HELP_KEYS + 5);
            for (i, part) in wrap(what, room).into_iter().enumerate() {
                let key = if i == 0 { *k } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {key:<HELP_KEYS$} "), t.key()),
                    Span::raw(part),
                ]));
            }
        }
    }
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = super::pane_block(&t, " Keys · Esc closes ", true);
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

pub fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let t = Theme { color: app.color };
    let text = format!(
        "connfix needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.\nEnlarge the window, or press q to quit.",
        area.width, area.height
    );
    let h = 6.min(area.height);
    let r = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(h) / 2,
        area.width,
        h,
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(t.warn())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}
