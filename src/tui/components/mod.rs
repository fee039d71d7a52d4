//! The TUI's screens, panes and overlays. Each component owns its state, turns the keys its
//! table binds into changes or into an action for the app, renders itself and lists its keys
//! for the footer and the help. Components import the models they draw (the diagnosis, the
//! journal's notes) and the widgets in `view`, never the app.

pub mod causes;
pub mod checklist;
pub mod evidence;
pub mod help;
pub mod input;
pub mod paste;
pub mod picker;
pub mod prompt;
pub mod search;
pub mod summary;
pub mod tree;

use crate::knowledge::Knowledge;
use crate::tui::view::theme::Theme;
use std::time::Instant;

/// What every component's render needs besides its own state and its model.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub theme: Theme,
    /// Moves the spinners.
    pub tick: u64,
    pub now: Instant,
    pub kb: &'a Knowledge,
}

/// What a key did in a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<A> {
    /// Not this component's key: the app offers it to the next one.
    Ignored,
    /// Handled inside the component.
    Consumed,
    /// Handled, and the app must act (answer a question, start a diagnosis, …).
    Action(A),
}

/// Which pane of the diagnosis has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Tree,
    Evidence,
    Causes,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Tree, Pane::Evidence, Pane::Causes];

    pub fn next(self) -> Pane {
        match self {
            Pane::Tree => Pane::Evidence,
            Pane::Evidence => Pane::Causes,
            Pane::Causes => Pane::Tree,
        }
    }
    pub fn prev(self) -> Pane {
        self.next().next()
    }
    pub fn title(self) -> &'static str {
        match self {
            Pane::Tree => "Decision tree",
            Pane::Evidence => "Evidence",
            Pane::Causes => "Causes & fix",
        }
    }
}

/// Lines built for one state of what a pane shows, kept until that state changes: a
/// redraw for a spinner or a key elsewhere does not wrap every text again.
#[derive(Debug, Default)]
pub struct Cached<K: PartialEq> {
    key: Option<K>,
    lines: Vec<ratatui::text::Line<'static>>,
}

impl<K: PartialEq> Cached<K> {
    pub fn get(
        &mut self,
        key: K,
        build: impl FnOnce() -> Vec<ratatui::text::Line<'static>>,
    ) -> &[ratatui::text::Line<'static>] {
        if self.key.as_ref() != Some(&key) {
            self.lines = build();
            self.key = Some(key);
        }
        &self.lines
    }
}

/// Lines a page key moves, whatever the pane's height: the same step on every size of
/// terminal, so a person keeps their place.
pub const PAGE: usize = 10;

/// How far a scrollable view can scroll, learnt when it was last drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scrolled {
    pub offset: usize,
    /// The largest useful offset at the last draw.
    pub max: usize,
    /// Rows shown at the last draw (a page).
    pub page: usize,
}

impl Scrolled {
    pub fn apply(&mut self, s: crate::tui::keys::Scroll) {
        // Before the first draw the end is unknown: the draw clamps it.
        let drawn = self.page > 0;
        let v = s.apply(self.offset, PAGE);
        self.offset = if drawn { v.min(self.max) } else { v };
    }
    /// Called by the render with what fits now.
    pub fn fit(&mut self, lines: usize, rows: usize) {
        self.max = lines.saturating_sub(rows);
        self.page = rows;
        self.offset = self.offset.min(self.max);
    }
    pub fn wheel(&mut self, down: bool) {
        self.offset = if down {
            (self.offset + 3).min(self.max)
        } else {
            self.offset.saturating_sub(3)
        };
    }
}
