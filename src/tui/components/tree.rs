//! The decision tree pane: the questions in order with their live state. The selected one
//! opens to show its question in full and its evidence, or why the person is asked and how
//! to answer. Questions that do not apply are hidden until `h` shows them.

use super::{Ctx, Outcome};
use crate::diagnose::engine::{Answer, AnsweredBy};
use crate::diagnose::live::{LiveNode, NodeState};
use crate::tui::diagnosis::{Diagnosis, PersonAnswer};
use crate::tui::keys::{Binding, Hint, Key, hints, lookup};
use crate::tui::view::text::{ellipsis, wrap};
use crate::tui::view::{pane_block, spinner};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: start answering the selected question.
    Answer,
    Yes,
    TakeBack,
    ToggleNa,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑ k",
        footer: "",
        help: "select the question above (or click one)",
        action: Act::Up,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓ j",
        footer: "select",
        help: "select the question below",
        action: Act::Down,
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageUp)],
        label: "PgUp",
        footer: "",
        help: "ten questions up",
        action: Act::PageUp,
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageDown), Key::Char(' ')],
        label: "PgDn Space",
        footer: "",
        help: "ten questions down",
        action: Act::PageDown,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Char('g')],
        label: "g Home",
        footer: "",
        help: "the first question",
        action: Act::Top,
    },
    Binding {
        keys: &[Key::Code(KeyCode::End), Key::Char('G')],
        label: "G End",
        footer: "",
        help: "the last question",
        action: Act::Bottom,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        label: "Enter",
        footer: "answer",
        help: "answer the selected question (or change your answer): then y yes, n no, s skip if you cannot tell",
        action: Act::Answer,
    },
    Binding {
        keys: &[Key::Char('y')],
        label: "y",
        footer: "",
        help: "answer yes at once",
        action: Act::Yes,
    },
    Binding {
        keys: &[
            Key::Char('u'),
            Key::Code(KeyCode::Backspace),
            Key::Code(KeyCode::Delete),
        ],
        label: "u Backspace",
        footer: "take back",
        help: "take your answer back",
        action: Act::TakeBack,
    },
    Binding {
        keys: &[Key::Char('h')],
        label: "h",
        footer: "show n/a",
        help: "show or hide the questions that do not apply to this target (hidden at first; the choice is kept with the session)",
        action: Act::ToggleNa,
    },
];

/// The keys while a question is being answered (after Enter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Yes,
    No,
    Skip,
    TakeBack,
    Cancel,
}

pub const ANSWER_KEYS: &[Binding<Reply>] = &[
    Binding {
        keys: &[Key::Char('y')],
        label: "y",
        footer: "yes",
        help: "yes",
        action: Reply::Yes,
    },
    Binding {
        keys: &[Key::Char('n')],
        label: "n",
        footer: "no",
        help: "no",
        action: Reply::No,
    },
    Binding {
        keys: &[Key::Char('s')],
        label: "s",
        footer: "skip",
        help: "skip: you cannot tell; the question is set aside",
        action: Reply::Skip,
    },
    Binding {
        keys: &[
            Key::Char('u'),
            Key::Code(KeyCode::Backspace),
            Key::Code(KeyCode::Delete),
        ],
        label: "u",
        footer: "take back",
        help: "take your answer back",
        action: Reply::TakeBack,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        label: "Esc",
        footer: "cancel",
        help: "leave the question as it was",
        action: Reply::Cancel,
    },
];

/// What the app must do for a tree key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Answer the selected question (None: take the answer back).
    Answer(Option<PersonAnswer>),
    /// `h` changed whether n/a rows show: the session keeps the choice.
    ShowNa(bool),
}

#[derive(Debug, Default)]
pub struct TreePane {
    /// Index in the diagnosis's live tree.
    pub sel: usize,
    /// The person moved the selection; stop moving it for them.
    pub touched: bool,
    /// Show the questions that do not apply (hidden by default).
    pub show_na: bool,
    /// Enter was pressed on a question: the next y / n / s answers it.
    pub answering: bool,
    /// Where the pane was drawn and the first line shown, for mouse clicks.
    drawn: Rect,
    offset: usize,
}

impl TreePane {
    /// The nodes the pane lists, with their index in the live tree.
    pub fn visible(&self, d: &Diagnosis) -> Vec<usize> {
        (0..d.live.len())
            .filter(|&i| self.show_na || d.live[i].state != NodeState::Skipped)
            .collect()
    }

    pub fn selected<'a>(&self, d: &'a Diagnosis) -> Option<&'a LiveNode> {
        d.live.get(self.sel)
    }

    /// True when the selected row is a question for the person (Enter answers it).
    pub fn question_selected(&self, d: &Diagnosis) -> bool {
        self.selected(d).is_some_and(asks_person)
    }

    /// Keeps the selection in line with a new report: until the person moves, on the first
    /// open question, else at the path's end (so the path above it is in view).
    pub fn follow(&mut self, d: &Diagnosis) {
        if !self.touched
            && let Some(i) = d.first_open_question().or_else(|| d.path_end())
        {
            self.sel = i;
        }
        let visible = self.visible(d);
        if !visible.contains(&self.sel) {
            // The nearest visible row above, else the first.
            self.sel = (visible.iter().rev().find(|&&i| i < self.sel))
                .or(visible.first())
                .copied()
                .unwrap_or(0);
        }
    }

    /// Moves to the next open question, if any, after an answer.
    pub fn after_answer(&mut self, d: &Diagnosis) {
        self.touched = true;
        if let Some(i) = d.first_open_question() {
            self.sel = i;
        }
        self.follow(d);
    }

    pub fn hints(&self, d: &Diagnosis) -> Vec<Hint> {
        if self.answering {
            return hints(ANSWER_KEYS, |_| true);
        }
        let node = self.selected(d);
        let person = node.is_some_and(asks_person);
        let answered = node.is_some_and(|n| {
            matches!(&n.state, NodeState::Answered(st) if st.by == AnsweredBy::Person)
                || matches!(&n.state, NodeState::Asking(q) if d.answer_of(&q.key).is_some())
        });
        hints(KEYS, |a| match a {
            Act::Answer | Act::Yes => person,
            Act::TakeBack => answered,
            _ => true,
        })
    }

    pub fn on_key(&mut self, key: &KeyEvent, d: &Diagnosis) -> Outcome<Request> {
        if self.answering {
            self.answering = false;
            return match lookup(ANSWER_KEYS, key) {
                Some(Reply::Yes) => Outcome::Action(Request::Answer(Some(PersonAnswer::Yes))),
                Some(Reply::No) => Outcome::Action(Request::Answer(Some(PersonAnswer::No))),
                Some(Reply::Skip) => Outcome::Action(Request::Answer(Some(PersonAnswer::Skip))),
                Some(Reply::TakeBack) => Outcome::Action(Request::Answer(None)),
                Some(Reply::Cancel) => Outcome::Consumed,
                // Anything else leaves answering and does what it does.
                None => self.on_key(key, d),
            };
        }
        let Some(act) = lookup(KEYS, key) else {
            return Outcome::Ignored;
        };
        let visible = self.visible(d);
        let pos = visible.iter().position(|&i| i == self.sel).unwrap_or(0);
        let last = visible.len().saturating_sub(1);
        let to = match act {
            Act::Up => pos.saturating_sub(1),
            Act::Down => (pos + 1).min(last),
            Act::PageUp => pos.saturating_sub(10),
            Act::PageDown => (pos + 10).min(last),
            Act::Top => 0,
            Act::Bottom => last,
            Act::Answer if self.question_selected(d) => {
                self.answering = true;
                return Outcome::Consumed;
            }
            // Says why this one is not the person's to answer.
            Act::Answer | Act::Yes => {
                return Outcome::Action(Request::Answer(Some(PersonAnswer::Yes)));
            }
            Act::TakeBack => return Outcome::Action(Request::Answer(None)),
            Act::ToggleNa => {
                self.show_na = !self.show_na;
                self.follow(d);
                return Outcome::Action(Request::ShowNa(self.show_na));
            }
        };
        self.sel = visible.get(to).copied().unwrap_or(0);
        self.touched = true;
        Outcome::Consumed
    }

    pub fn contains(&self, at: ratatui::layout::Position) -> bool {
        self.drawn.contains(at)
    }

    /// The wheel moves the selection.
    pub fn wheel(&mut self, d: &Diagnosis, down: bool) {
        let visible = self.visible(d);
        let pos = visible.iter().position(|&i| i == self.sel).unwrap_or(0);
        let p = if down {
            (pos + 1).min(visible.len().saturating_sub(1))
        } else {
            pos.saturating_sub(1)
        };
        self.sel = visible.get(p).copied().unwrap_or(0);
        self.touched = true;
    }

    /// Selects the node drawn at screen row `row`; false when there is none.
    pub fn click(&mut self, d: &Diagnosis, row: u16) -> bool {
        let inner = self.drawn.inner(Margin::new(1, 1));
        if row < inner.y || row >= inner.y + inner.height {
            return false;
        }
        let mut y = (row - inner.y) as usize + self.offset;
        for i in self.visible(d) {
            let h = self
                .node_lines(d, &d.live[i], i == self.sel, inner.width as usize, None)
                .len();
            if y < h {
                self.sel = i;
                self.touched = true;
                return true;
            }
            y -= h;
        }
        false
    }

    pub fn render(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        focused: bool,
        d: &Diagnosis,
        ctx: &Ctx,
    ) {
        self.drawn = area;
        if area.is_empty() {
            return;
        }
        let t = ctx.theme;
        let asked = (d.live.iter())
            .filter(|n| matches!(&n.state, NodeState::Asking(q) if d.answer_of(&q.key).is_none()))
            .count();
        let hidden = d.live.len() - self.visible(d).len();
        let mut title = match asked {
            0 => " Decision tree ".to_string(),
            1 => " Decision tree · 1 question for you ".to_string(),
            n => format!(" Decision tree · {n} questions for you "),
        };
        if hidden > 0 {
            title.push_str(&format!("· {hidden} n/a hidden (h) "));
        }
        let block = pane_block(&t, &title, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        let rows: Vec<(usize, Vec<Line>)> = (self.visible(d).into_iter())
            .map(|i| {
                (
                    i,
                    self.node_lines(d, &d.live[i], i == self.sel, width, Some(ctx)),
                )
            })
            .collect();
        self.offset = offset(&rows, self.sel, inner.height as usize);
        let lines: Vec<Line> = (rows.into_iter())
            .flat_map(|(_, lines)| lines)
            .skip(self.offset)
            .take(inner.height as usize)
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The lines of one node; without a context (for clicks) only their number matters.
    fn node_lines<'a>(
        &self,
        d: &Diagnosis,
        node: &'a LiveNode,
        selected: bool,
        width: usize,
        ctx: Option<&Ctx>,
    ) -> Vec<Line<'a>> {
        let t = ctx
            .map(|c| c.theme)
            .unwrap_or(crate::tui::view::theme::Theme { color: false });
        let spin = ctx.map(|c| spinner(c.tick)).unwrap_or_default();
        let (mark, mark_style, answer, answer_style) = match &node.state {
            NodeState::Pending => ("·".to_string(), t.dim(), "…".to_string(), t.dim()),
            NodeState::Running => (spin.clone(), t.accent(), "checking".into(), t.accent()),
            NodeState::Skipped => ("–".into(), t.dim(), "n/a".into(), t.dim()),
            NodeState::Asking(q) => match d.answer_of(&q.key) {
                Some(_) => ("–".into(), t.person(), "skipped".into(), t.person()),
                None => (
                    "?".into(),
                    t.warn().patch(t.bold()),
                    "you?".into(),
                    t.warn().patch(t.bold()),
                ),
            },
            NodeState::Answered(step) => {
                let word = match step.answer {
                    Answer::Yes => "yes",
                    Answer::No => "no",
                    Answer::Unknown => "unknown",
                };
                match step.by {
                    AnsweredBy::Person => {
                        ("◆".into(), t.person(), format!("you:{word}"), t.person())
                    }
                    AnsweredBy::Probe if step.answer == Answer::Unknown => {
                        ("!".into(), t.warn(), word.into(), t.warn())
                    }
                    AnsweredBy::Probe => ("●".into(), t.accent(), word.into(), t.bold()),
                }
            }
        };
        let question_style = if node.state == NodeState::Skipped {
            t.dim()
        } else {
            t.plain()
        };
        let room = width.saturating_sub(ANSWER_WIDTH + 2);
        let indent = " ".repeat(ANSWER_WIDTH + 2);
        // The selected question is read in full; the others keep to one row.
        let question = if selected {
            wrap(&node.question, room)
        } else {
            vec![ellipsis(&node.question, room)]
        };
        let mut lines = Vec::new();
        for (i, q) in question.into_iter().enumerate() {
            let mut line = if i == 0 {
                Line::from(vec![
                    Span::styled(format!("{mark} "), mark_style),
                    Span::styled(format!("{answer:<ANSWER_WIDTH$}"), answer_style),
                    Span::styled(q, question_style),
                ])
            } else {
                Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(q, question_style),
                ])
            };
            if selected {
                line = line.style(t.selected());
            }
            lines.push(line);
        }
        if selected {
            for (text, kind) in detail(self.answering, d, node, room, &spin) {
                let style = match kind {
                    Detail::Evidence => t.plain(),
                    Detail::Hint => t.key(),
                    Detail::Note => t.dim(),
                };
                lines.push(Line::styled(format!("{indent}{text}"), style));
            }
        } else if let Some(e) = summary_evidence(node) {
            lines.push(Line::styled(
                format!("{indent}{}", ellipsis(e, room)),
                t.dim(),
            ));
        }
        lines
    }
}

fn asks_person(n: &LiveNode) -> bool {
    matches!(n.state, NodeState::Asking(_))
        || matches!(&n.state, NodeState::Answered(step) if step.by == AnsweredBy::Person)
}

/// The first line to show so that the selected node, opened, is in view; it always falls
/// on the start of a node, never in the middle of one. When the tree is longer than the
/// pane, the selected node sits as low as it fits, so the path leading to it shows.
fn offset(rows: &[(usize, Vec<Line>)], sel: usize, height: usize) -> usize {
    let mut starts = Vec::with_capacity(rows.len());
    let mut top = 0;
    let mut need = None;
    for (i, lines) in rows {
        starts.push(top);
        if *i == sel {
            need = Some(((top + lines.len()).saturating_sub(height), top));
        }
        top += lines.len();
    }
    let Some((min, sel_top)) = need else {
        return 0;
    };
    starts
        .into_iter()
        .find(|&st| st >= min)
        .unwrap_or(sel_top)
        .min(sel_top)
}

/// Width of the answer column between the mark and the question.
const ANSWER_WIDTH: usize = 9;

/// The first piece of evidence, shown under an answered node that is not selected.
fn summary_evidence(node: &LiveNode) -> Option<&str> {
    match &node.state {
        NodeState::Answered(step) if step.by == AnsweredBy::Probe => {
            step.evidence.first().map(String::as_str)
        }
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Detail {
    Evidence,
    Hint,
    Note,
}

/// The lines under the selected node, already wrapped to `width`.
fn detail(
    answering: bool,
    d: &Diagnosis,
    node: &LiveNode,
    width: usize,
    spin: &str,
) -> Vec<(String, Detail)> {
    let mut out = Vec::new();
    let mut add = |text: &str, kind| {
        for l in wrap(text, width) {
            out.push((l, kind));
        }
    };
    match &node.state {
        NodeState::Pending => add("waits for a probe that has not started yet", Detail::Note),
        NodeState::Running => {
            let probe = node.probe.map(|p| p.as_str()).unwrap_or("a");
            add(
                &format!("{spin} the {probe} probe is running"),
                Detail::Note,
            )
        }
        NodeState::Skipped => add(
            "does not apply to this target, given what the probes found",
            Detail::Note,
        ),
        NodeState::Asking(q) => {
            if let Some(why) = &q.why {
                add(&format!("Why ask: {why}"), Detail::Note);
            }
            if answering {
                add("y yes · n no · s skip · Esc cancel", Detail::Hint)
            } else if d.answer_of(&q.key).is_some() {
                add("Enter answer · u take back the skip", Detail::Hint)
            } else {
                add("Enter, then y yes · n no · s skip", Detail::Hint)
            }
        }
        NodeState::Answered(step) => {
            for e in &step.evidence {
                add(&format!("• {e}"), Detail::Evidence);
            }
            match step.by {
                AnsweredBy::Person if answering => {
                    add("y yes · n no · s skip · Esc cancel", Detail::Hint)
                }
                AnsweredBy::Person => {
                    add("Enter change your answer · u take it back", Detail::Hint)
                }
                AnsweredBy::Probe => {
                    if step.evidence.is_empty() {
                        add(
                            "no probe result decided this, so it stays unknown",
                            Detail::Note,
                        );
                    }
                    if let Some(p) = &step.probe {
                        add(
                            &format!("answered by the {p} probe · r re-runs it"),
                            Detail::Note,
                        );
                    }
                }
            }
        }
    }
    out
}
