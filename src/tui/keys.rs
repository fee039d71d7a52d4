//! One key table per component: each binding names its keys, what the footer calls it, what
//! the help says and the action it stands for. Dispatch, footer and help all read the same
//! table, so a key is written once and the three cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character typed without Ctrl or Alt (Shift is part of the character).
    Char(char),
    /// A named key without Ctrl or Alt.
    Code(KeyCode),
    /// Ctrl and a letter.
    Ctrl(char),
    /// Alt and a named key.
    Alt(KeyCode),
}

impl Key {
    pub fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        match self {
            Key::Char(c) => !ctrl && !alt && ev.code == KeyCode::Char(c),
            // Shift-Tab arrives as BackTab with SHIFT set: only Ctrl and Alt change a key.
            Key::Code(code) => !ctrl && !alt && ev.code == code,
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Alt(code) => alt && ev.code == code,
        }
    }
}

/// A key binding: `keys` trigger `action`.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A: Copy> {
    pub keys: &'static [Key],
    /// The keys as the help and the footer write them, e.g. "↑↓ j k".
    pub label: &'static str,
    /// The footer's word for it; empty keeps it out of the footer (the help lists it).
    pub footer: &'static str,
    pub help: &'static str,
    pub action: A,
}

impl<A: Copy> Binding<A> {
    pub fn hint(&self) -> Hint {
        Hint {
            label: self.label,
            footer: self.footer,
            help: self.help,
        }
    }
}

/// A binding without its action: what the footer and the help show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub label: &'static str,
    pub footer: &'static str,
    pub help: &'static str,
}

/// The action bound to `ev` in `table`, if any.
pub fn lookup<A: Copy>(table: &[Binding<A>], ev: &KeyEvent) -> Option<A> {
    table
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The action bound to `ev` among the bindings of `table` that `keep` allows (two toggles
/// may share a key, each applying in its own state).
pub fn lookup_if<A: Copy>(
    table: &[Binding<A>],
    ev: &KeyEvent,
    keep: impl Fn(A) -> bool,
) -> Option<A> {
    table
        .iter()
        .filter(|b| keep(b.action))
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The hints of the bindings in `table` that `keep` allows.
pub fn hints<A: Copy>(table: &[Binding<A>], keep: impl Fn(A) -> bool) -> Vec<Hint> {
    table
        .iter()
        .filter(|b| keep(b.action))
        .map(Binding::hint)
        .collect()
}

/// A group of hints under a heading, as the help shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub title: &'static str,
    pub hints: Vec<Hint>,
}

pub fn group<A: Copy>(title: &'static str, table: &[Binding<A>]) -> Group {
    Group {
        title,
        hints: hints(table, |_| true),
    }
}

/// The vertical scrolling keys every scrollable view shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

impl Scroll {
    /// `v` moved by this key; the view clamps the end to the content.
    pub fn apply(self, v: usize, page: usize) -> usize {
        match self {
            Scroll::Up => v.saturating_sub(1),
            Scroll::Down => v.saturating_add(1),
            Scroll::PageUp => v.saturating_sub(page),
            Scroll::PageDown => v.saturating_add(page),
            Scroll::Top => 0,
            Scroll::Bottom => usize::MAX / 2,
        }
    }
}

/// The scrolling keys, for views that scroll text.
pub const SCROLL: &[Binding<Scroll>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑ k",
        footer: "",
        help: "scroll up a line (also the mouse wheel)",
        action: Scroll::Up,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓ j",
        footer: "scroll",
        help: "scroll down a line",
        action: Scroll::Down,
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageUp)],
        label: "PgUp",
        footer: "",
        help: "scroll up a page",
        action: Scroll::PageUp,
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageDown), Key::Char(' ')],
        label: "PgDn Space",
        footer: "",
        help: "scroll down a page",
        action: Scroll::PageDown,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Char('g')],
        label: "g Home",
        footer: "",
        help: "to the top",
        action: Scroll::Top,
    },
    Binding {
        keys: &[Key::Code(KeyCode::End), Key::Char('G')],
        label: "G End",
        footer: "",
        help: "to the end",
        action: Scroll::Bottom,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn ctrl_and_alt_make_another_key() {
        assert!(Key::Char('c').matches(&ev(KeyCode::Char('c'), KeyModifiers::NONE)));
        assert!(!Key::Char('c').matches(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(Key::Ctrl('c').matches(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(Key::Char('C').matches(&ev(KeyCode::Char('C'), KeyModifiers::SHIFT)));
        assert!(Key::Code(KeyCode::BackTab).matches(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert!(Key::Alt(KeyCode::Enter).matches(&ev(KeyCode::Enter, KeyModifiers::ALT)));
        assert!(!Key::Code(KeyCode::Enter).matches(&ev(KeyCode::Enter, KeyModifiers::ALT)));
    }

    #[test]
    fn scroll_keys_are_found_in_their_table() {
        let k = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(SCROLL, &k), Some(Scroll::Bottom));
        assert_eq!(Scroll::PageUp.apply(3, 10), 0);
    }
}
