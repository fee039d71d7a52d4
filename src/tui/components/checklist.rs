//! The checklist screen: the steps with their states on the left, the selected step on the
//! right (what to do, what good looks like, its automatic check, its notes), a clock since
//! the incident started in the header.

use super::{Ctx, Outcome as KeyOutcome, Scrolled};
use crate::checklist::{ChecklistRun, Outcome, SetBy, StepRun, StepState};
use crate::diagnose::live::Progress;
use crate::session::Note;
use crate::tui::diagnosis::Diagnosis;
use crate::tui::keys::{self, Binding, Hint, Key, Scroll};
use crate::tui::view::text::{ellipsis, wrap};
use crate::tui::view::theme::Theme;
use crate::tui::view::{pane_block, scrolled_lines, spinner};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Margin, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Up,
    Down,
    Top,
    Bottom,
    Set(StepState),
    Undo,
    Scroll(Scroll),
    Recheck,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑ k",
        footer: "",
        help: "select the step above (or click one)",
        action: Act::Up,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓ j",
        footer: "step",
        help: "select the step below",
        action: Act::Down,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Char('g')],
        label: "g G",
        footer: "",
        help: "the first step, the last step",
        action: Act::Top,
    },
    Binding {
        keys: &[Key::Code(KeyCode::End), Key::Char('G')],
        label: "",
        footer: "",
        help: "",
        action: Act::Bottom,
    },
    Binding {
        keys: &[Key::Char('d'), Key::Code(KeyCode::Enter)],
        label: "d Enter",
        footer: "done",
        help: "mark the step done",
        action: Act::Set(StepState::Done),
    },
    Binding {
        keys: &[Key::Char('f')],
        label: "f",
        footer: "failed",
        help: "mark it failed",
        action: Act::Set(StepState::Failed),
    },
    Binding {
        keys: &[Key::Char('x')],
        label: "x",
        footer: "skip",
        help: "skip it",
        action: Act::Set(StepState::Skipped),
    },
    Binding {
        keys: &[Key::Char('a')],
        label: "a",
        footer: "n/a",
        help: "not applicable here",
        action: Act::Set(StepState::NotApplicable),
    },
    Binding {
        keys: &[Key::Char('u'), Key::Code(KeyCode::Backspace)],
        label: "u",
        footer: "undo",
        help: "undo: back to pending, or to the automatic check",
        action: Act::Undo,
    },
    Binding {
        keys: &[Key::Char('K'), Key::Code(KeyCode::PageUp)],
        label: "K PgUp",
        footer: "",
        help: "scroll the step's details up",
        action: Act::Scroll(Scroll::PageUp),
    },
    Binding {
        keys: &[Key::Char('J'), Key::Code(KeyCode::PageDown), Key::Char(' ')],
        label: "J PgDn Space",
        footer: "",
        help: "scroll the step's details down",
        action: Act::Scroll(Scroll::PageDown),
    },
    Binding {
        keys: &[Key::Char('r'), Key::Char('R')],
        label: "r R",
        footer: "re-check",
        help: "run the automatic checks again (with a target)",
        action: Act::Recheck,
    },
];

/// What the app must do for a checklist key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// A step changed: the message to show and the line to log.
    Changed { flash: String, log: Option<String> },
    /// Run the automatic checks again.
    Recheck,
}

/// An incident checklist being stepped through.
#[derive(Debug)]
pub struct ChecklistUi {
    pub run: ChecklistRun,
    pub sel: usize,
    pub detail: Scrolled,
    list_drawn: Rect,
    detail_drawn: Rect,
}

impl ChecklistUi {
    pub fn new(run: ChecklistRun, sel: usize) -> ChecklistUi {
        ChecklistUi {
            run,
            sel,
            detail: Scrolled::default(),
            list_drawn: Rect::default(),
            detail_drawn: Rect::default(),
        }
    }

    pub fn hints(&self, with_target: bool) -> Vec<Hint> {
        keys::hints(KEYS, |a| a != Act::Recheck || with_target)
    }

    pub fn on_key(&mut self, key: &KeyEvent, now: &str) -> KeyOutcome<Request> {
        let Some(act) = keys::lookup(KEYS, key) else {
            return KeyOutcome::Ignored;
        };
        let last = self.run.steps.len().saturating_sub(1);
        let moved = match act {
            Act::Up => Some(self.sel.saturating_sub(1)),
            Act::Down => Some((self.sel + 1).min(last)),
            Act::Top => Some(0),
            Act::Bottom => Some(last),
            _ => None,
        };
        if let Some(i) = moved {
            self.select(i);
            return KeyOutcome::Consumed;
        }
        let sel = self.sel;
        match act {
            Act::Set(state) => {
                if !self.run.set(sel, state, now) {
                    return KeyOutcome::Consumed;
                }
                let title = self.run.steps[sel].title.clone();
                if let Some(next) = self.run.next_pending(sel) {
                    self.select(next);
                }
                let n = self.run.counts();
                let flash = if n.pending == 0 {
                    format!(
                        "every step is settled ({} done, {} failed); s saves the report",
                        n.done, n.failed
                    )
                } else {
                    format!("\"{title}\": {}", state.as_str())
                };
                KeyOutcome::Action(Request::Changed {
                    flash,
                    log: Some(format!("step {title}: {}", state.as_str())),
                })
            }
            Act::Undo if self.run.reset(sel, now) => {
                let flash = if self.run.steps[sel].auto.is_some() {
                    "handed back to the automatic check".into()
                } else {
                    "back to pending".into()
                };
                KeyOutcome::Action(Request::Changed { flash, log: None })
            }
            Act::Scroll(s) => {
                self.detail.apply(s);
                KeyOutcome::Consumed
            }
            Act::Recheck => KeyOutcome::Action(Request::Recheck),
            _ => KeyOutcome::Consumed,
        }
    }

    fn select(&mut self, i: usize) {
        if i != self.sel {
            self.detail.offset = 0;
        }
        self.sel = i;
    }

    pub fn click(&mut self, at: Position) {
        let inner = self.list_drawn.inner(Margin::new(1, 1));
        if !inner.contains(at) {
            return;
        }
        let rows = inner.height as usize;
        let offset = self.sel.saturating_sub(rows.saturating_sub(1));
        let row = (at.y - inner.y) as usize + offset;
        if row < self.run.steps.len() {
            self.select(row);
        }
    }

    pub fn wheel(&mut self, at: Position, down: bool) {
        if self.detail_drawn.contains(at) {
            self.detail.wheel(down);
        }
    }

    /// The header's title and state: the clock since the incident started, the counts.
    pub fn header(&self, frame: &mut Frame, area: Rect, elapsed: &str, t: Theme) {
        let n = self.run.counts();
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
        let title = ellipsis(&self.run.title, room);
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

    pub fn render(
        &mut self,
        frame: &mut Frame,
        (list, detail): (Rect, Rect),
        d: Option<&Diagnosis>,
        notes: &[Note],
        ctx: &Ctx,
    ) {
        self.list_drawn = list;
        self.detail_drawn = detail;
        self.list(frame, list, d, ctx);
        let t = ctx.theme;
        let title = format!(" Step {} of {} ", self.sel + 1, self.run.steps.len());
        let block = pane_block(&t, &title, false);
        let inner = block.inner(detail);
        frame.render_widget(block, detail);
        let lines = detail_lines(self, d, notes, inner.width as usize, ctx);
        self.detail.fit(lines.len(), inner.height as usize);
        scrolled_lines(frame, detail, inner, &lines, self.detail.offset);
    }
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
fn checking(d: Option<&Diagnosis>, step: &StepRun) -> bool {
    let Some(s) = d else {
        return false;
    };
    step.automatic()
        && step.auto.is_none()
        && (step.probes().iter())
            .any(|p| matches!(s.progress(*p), Progress::Pending | Progress::Running))
}

impl ChecklistUi {
    fn list(&self, frame: &mut Frame, area: Rect, d: Option<&Diagnosis>, ctx: &Ctx) {
        let c = self;
        let t = ctx.theme;
        let block = pane_block(&t, " Steps ", true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let rows = inner.height as usize;
        // Keep the selection in view.
        let offset = c.sel.saturating_sub(rows.saturating_sub(1));
        let mut lines = Vec::new();
        for (i, step) in c.run.steps.iter().enumerate().skip(offset).take(rows) {
            let (m, style) = if checking(d, step) {
                (spinner(ctx.tick), t.accent())
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
}

/// Every line of the selected step's details at `width` columns.
fn detail_lines(
    c: &ChecklistUi,
    d: Option<&Diagnosis>,
    notes: &[Note],
    width: usize,
    ctx: &Ctx,
) -> Vec<Line<'static>> {
    let t = ctx.theme;
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
        match (&step.auto, d) {
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
                &format!("{} checking…", spinner(ctx.tick)),
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
    let notes: Vec<_> = (notes.iter())
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
