//! The checklist screen: the steps with their states on the left, the selected step on the
//! right (what to do, what good looks like, its automatic check, its notes), a clock since
//! the incident started in the header.

use super::layout::checklist_panes;
use super::text::{ellipsis, wrap};
use super::theme::Theme;
use super::{pane_block, scrolled_lines, spinner};
use crate::checklist::{Outcome, SetBy, StepRun, StepState};
use crate::diagnose::live::Progress;
use crate::tui::app::{App, ChecklistUi};
use crate::tui::journal::clock;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, c: &ChecklistUi) {
    let p = checklist_panes(area, app.banner.is_some());
    header(frame, p.header, app, c);
    super::chrome::banner(frame, p.banner, app);
    list(frame, p.list, app, c);
    detail(frame, p.detail, app, c);
    footer(frame, p.footer, app);
}

fn header(frame: &mut Frame, area: Rect, app: &App, c: &ChecklistUi) {
    let t = Theme { color: app.color };
    let n = c.run.counts();
    let elapsed = (app.journal.as_ref())
        .map(|j| clock(j.elapsed_secs(app.wall)))
        .unwrap_or_default();
    let right = format!(
        "⏱ {elapsed}  {}/{} settled{} ",
        n.settled(),
        n.total,
        if n.failed > 0 {
            format!(", {} failed", n.failed)
        } else {
            String::new()
        }
    );
    let name = " connfix ";
    let room = (area.width as usize).saturating_sub(name.len() + right.chars().count() + 2);
    let title = ellipsis(&c.run.title, room);
    let used = name.len() + 1 + title.chars().count();
    let gap = (area.width as usize).saturating_sub(used + right.chars().count());
    let state_style = if n.failed > 0 { t.bad() } else { t.accent() };
    let line = Line::from(vec![
        Span::styled(name, t.key().patch(t.selected())),
        Span::raw(" "),
        Span::styled(title, t.bold()),
        Span::raw(" ".repeat(gap)),
        Span::styled(right, state_style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The mark and style of a step's state.
fn mark(t: &Theme, state: StepState) -> (&'static str, Style) {
    match state {
        StepState::Pending => ("○", t.plain()),
        StepState::Done => ("✓", t.ok()),
        StepState::Failed => ("✗", t.bad()),
        StepState::Skipped => ("↷", t.dim()),
        StepState::NotApplicable => ("–", t.dim()),
    }
}

/// True while the step's automatic check waits for a probe.
fn checking(app: &App, step: &StepRun) -> bool {
    let Some(s) = &app.session else {
        return false;
    };
    step.automatic()
        && step.auto.is_none()
        && (step.probes().iter())
            .any(|p| matches!(s.progress(*p), Progress::Pending | Progress::Running))
}

fn list(frame: &mut Frame, area: Rect, app: &App, c: &ChecklistUi) {
    let t = Theme { color: app.color };
    let block = pane_block(&t, " Steps ", true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let rows = inner.height as usize;
    // Keep the selection in view.
    let offset = c.sel.saturating_sub(rows.saturating_sub(1));
    let mut lines = Vec::new();
    for (i, step) in c.run.steps.iter().enumerate().skip(offset).take(rows) {
        let (m, style) = if checking(app, step) {
            (spinner(app.tick), t.accent())
        } else {
            let (m, st) = mark(&t, step.state);
            (m.to_string(), st)
        };
        let when = step
            .changed_at
            .as_deref()
            .and_then(|a| a.get(11..16))
            .unwrap_or("");
        let auto = if step.automatic() { "⚙" } else { " " };
        let label = format!("{:>2}. {}", i + 1, step.title);
        let room = w.saturating_sub(4 + 6 + 1);
        let text = format!("{:<room$}", ellipsis(&label, room));
        let row_style = if i == c.sel { t.selected() } else { t.plain() };
        lines.push(Line::from(vec![
            Span::styled(format!("{m} "), style.patch(row_style)),
            Span::styled(text, row_style),
            Span::styled(format!("{auto} "), t.dim().patch(row_style)),
            Span::styled(format!("{when:>5}"), t.dim().patch(row_style)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Every line of the selected step's details at `width` columns.
pub fn detail_lines(app: &App, c: &ChecklistUi, width: usize) -> Vec<Line<'static>> {
    let t = Theme { color: app.color };
    let Some(step) = c.run.steps.get(c.sel) else {
        return Vec::new();
    };
    let mut out: Vec<Line<'static>> = Vec::new();
    let para = |out: &mut Vec<Line<'static>>, text: &str, style: Style| {
        for l in wrap(text, width.saturating_sub(2)) {
            out.push(Line::styled(format!("  {l}"), style));
        }
    };
    for l in wrap(&step.title, width) {
        out.push(Line::styled(l, t.bold()));
    }
    let (m, style) = mark(&t, step.state);
    let mut state = vec![Span::styled(format!("{m} {}", step.state.as_str()), style)];
    if let (Some(by), Some(at)) = (step.by, &step.changed_at) {
        let at = at.get(11..19).unwrap_or(at);
        state.push(Span::styled(format!("  {} at {at}", by.as_str()), t.dim()));
    }
    out.push(Line::from(state));
    out.push(Line::raw(""));
    out.push(Line::styled("What to do", t.accent()));
    para(&mut out, &step.action, t.plain());
    out.push(Line::raw(""));
    out.push(Line::styled("What good looks like", t.accent()));
    para(&mut out, &step.good, t.plain());
    if step.automatic() {
        out.push(Line::raw(""));
        out.push(Line::styled("Automatic check", t.accent()));
        match (&step.auto, &app.session) {
            (_, None) => para(
                &mut out,
                &format!(
                    "needs a target: start with `connfix checklist {} --target TARGET` to have it checked",
                    c.run.id
                ),
                t.dim(),
            ),
            (None, Some(_)) => para(
                &mut out,
                &format!("{} checking…", spinner(app.tick)),
                t.accent(),
            ),
            (Some(a), Some(_)) => {
                let style = match a.outcome {
                    Outcome::Pass => t.ok(),
                    Outcome::Fail => t.bad(),
                    _ => t.dim(),
                };
                para(&mut out, a.outcome.as_str(), style);
                for e in &a.evidence {
                    para(&mut out, &format!("· {e}"), t.plain());
                }
                if step.by == Some(SetBy::Person) && a.outcome != Outcome::Unknown {
                    para(
                        &mut out,
                        "your choice stands over the check; u hands the step back to it",
                        t.dim(),
                    );
                }
            }
        }
    }
    let notes: Vec<_> = (app.journal.iter())
        .flat_map(|j| j.notes.iter())
        .filter(|n| n.about.as_deref() == Some(step.id.as_str()))
        .collect();
    if !notes.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("Notes", t.accent()));
        for n in notes {
            let at = n.at.get(11..19).unwrap_or(&n.at);
            para(&mut out, &format!("{at}  {}", n.text), t.person());
        }
    }
    out
}

fn detail(frame: &mut Frame, area: Rect, app: &App, c: &ChecklistUi) {
    let t = Theme { color: app.color };
    let title = format!(" Step {} of {} ", c.sel + 1, c.run.steps.len());
    let block = pane_block(&t, &title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = detail_lines(app, c, inner.width as usize);
    scrolled_lines(frame, area, inner, lines, c.detail_scroll);
}

fn footer(frame: &mut Frame, area: Rect, app: &App) {
    let mut keys: Vec<(&str, String)> = vec![
        ("↑↓", "step".into()),
        ("d", "done".into()),
        ("f", "failed".into()),
        ("x", "skip".into()),
        ("a", "n/a".into()),
        ("u", "undo".into()),
        ("n", "note".into()),
        ("s", "save".into()),
    ];
    if app.session.is_some() {
        keys.push(("r", "re-check".into()));
        keys.push(("t", "diagnosis".into()));
    }
    keys.push(("?", "help".into()));
    keys.push(("q", "quit".into()));
    super::chrome::key_line(frame, area, app, keys);
}
