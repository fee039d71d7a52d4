//! `/` search over the evidence and every cause's details: typing edits the query, Enter
//! keeps it and jumps to the first match, n and N move between matches, Esc drops it.
//! Matches are highlighted where they are drawn.

use super::Outcome;
use super::prompt::Field;
use crate::tui::keys::{Binding, Key};
use crate::tui::view::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Where a match is: a line of the evidence, or a line of one cause's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Evidence(usize),
    Cause(usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Next,
    Prev,
}

/// The keys that move between matches once a search is kept.
pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Char('n')],
        label: "n",
        footer: "next match",
        help: "the next match of the search",
        action: Act::Next,
    },
    Binding {
        keys: &[Key::Char('N')],
        label: "N",
        footer: "",
        help: "the previous match",
        action: Act::Prev,
    },
];

/// What the app must do for a search key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// The query changed: find its matches again.
    Find,
    /// Show match number `i`.
    Show(usize),
    /// Search dropped.
    Clear,
}

#[derive(Debug, Default)]
pub struct Search {
    pub field: Field,
    /// Typing the query (the bar has the keys).
    pub editing: bool,
    pub hits: Vec<Hit>,
    pub current: usize,
}

impl Search {
    pub fn open() -> Search {
        Search {
            editing: true,
            ..Search::default()
        }
    }

    /// The query to highlight: only a kept or typed, non-empty one.
    pub fn query(&self) -> Option<&str> {
        let q = self.field.input.trim();
        (!q.is_empty()).then_some(q)
    }

    /// Keys while typing the query.
    pub fn on_edit_key(&mut self, key: &KeyEvent) -> Outcome<Request> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => Outcome::Action(Request::Clear),
            KeyCode::Enter => {
                self.editing = false;
                if self.query().is_none() {
                    return Outcome::Action(Request::Clear);
                }
                self.current = 0;
                Outcome::Action(Request::Show(0))
            }
            code if self.field.edit(code, ctrl) => Outcome::Action(Request::Find),
            _ => Outcome::Consumed,
        }
    }

    /// n and N once the query is kept.
    pub fn step(&mut self, act: Act) -> Option<usize> {
        if self.hits.is_empty() {
            return None;
        }
        let n = self.hits.len();
        self.current = match act {
            Act::Next => (self.current + 1) % n,
            Act::Prev => (self.current + n - 1) % n,
        };
        Some(self.current)
    }

    /// "2/7" or "no match", for the bar and the footer.
    pub fn status(&self) -> String {
        match self.hits.len() {
            0 => "no match".into(),
            n => format!("match {}/{n}", self.current + 1),
        }
    }

    /// The bar above the footer while typing.
    pub fn render(&self, frame: &mut Frame, area: Rect, t: Theme) {
        if area.is_empty() {
            return;
        }
        let status = if self.query().is_some() {
            format!("  {} · Enter keeps it · Esc drops it", self.status())
        } else {
            "  searches the evidence and the causes · Esc drops it".into()
        };
        let line = Line::from(vec![
            Span::styled("/", t.key()),
            Span::raw(self.field.input.clone()),
            Span::styled("▏", t.accent()),
            Span::styled(status, t.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// The lines of `lines` whose text contains `query`, ignoring case.
pub fn matching(lines: &[Line], query: &str) -> Vec<usize> {
    let q = query.to_lowercase();
    (lines.iter().enumerate())
        .filter(|(_, l)| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            text.to_lowercase().contains(&q)
        })
        .map(|(i, _)| i)
        .collect()
}
