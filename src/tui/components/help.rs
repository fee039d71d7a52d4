//! The help overlay: every key of the screen it is opened on, grouped by where it applies,
//! built from the same tables dispatch uses. It scrolls when it does not fit.

use super::Scrolled;
use crate::tui::keys::{self, Binding, Group, Key, Scroll};
use crate::tui::view::layout::centered;
use crate::tui::view::text::wrap;
use crate::tui::view::theme::Theme;
use crate::tui::view::{pane_block, scrolled_lines};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

/// Width of the key column.
const KEY_COLUMN: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Close,
    Scroll(Scroll),
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[
            Key::Code(KeyCode::Esc),
            Key::Char('?'),
            Key::Char('q'),
            Key::Code(KeyCode::F(1)),
            Key::Code(KeyCode::Enter),
        ],
        label: "Esc ? q",
        footer: "close",
        help: "close this help",
        action: Act::Close,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑ k",
        footer: "",
        help: "scroll up",
        action: Act::Scroll(Scroll::Up),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓ j",
        footer: "scroll",
        help: "scroll down",
        action: Act::Scroll(Scroll::Down),
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageUp)],
        label: "PgUp",
        footer: "",
        help: "a page up",
        action: Act::Scroll(Scroll::PageUp),
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageDown), Key::Char(' ')],
        label: "PgDn Space",
        footer: "",
        help: "a page down",
        action: Act::Scroll(Scroll::PageDown),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Char('g')],
        label: "g G",
        footer: "",
        help: "top, end",
        action: Act::Scroll(Scroll::Top),
    },
    Binding {
        keys: &[Key::Code(KeyCode::End), Key::Char('G')],
        label: "",
        footer: "",
        help: "",
        action: Act::Scroll(Scroll::Bottom),
    },
];

#[derive(Debug, Default)]
pub struct Help {
    pub scroll: Scrolled,
}

impl Help {
    /// False when the key closes the help.
    pub fn on_key(&mut self, key: &KeyEvent) -> bool {
        match keys::lookup(KEYS, key) {
            Some(Act::Close) => false,
            Some(Act::Scroll(s)) => {
                self.scroll.apply(s);
                true
            }
            // Other keys are ignored while the help is open.
            None => true,
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, groups: &[Group], t: Theme) {
        let w = 100.min(area.width);
        let room = (w as usize).saturating_sub(KEY_COLUMN + 5);
        let mut lines = Vec::new();
        for g in groups {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(g.title, t.accent().patch(t.bold())));
            for h in g.hints.iter().filter(|h| !h.label.is_empty()) {
                // Descriptions wrap beside the key column, so a narrow terminal loses nothing.
                for (i, part) in wrap(h.help, room).into_iter().enumerate() {
                    let key = if i == 0 { h.label } else { "" };
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {key:<KEY_COLUMN$} "), t.key()),
                        Span::raw(part),
                    ]));
                }
            }
        }
        let h = (lines.len() as u16 + 2).min(area.height);
        let r = centered(area, w, h);
        frame.render_widget(Clear, r);
        let more = lines.len() > h.saturating_sub(2) as usize;
        let title = if more {
            " Keys · ↓ j PgDn scroll · Esc closes "
        } else {
            " Keys · Esc closes "
        };
        let block = pane_block(&t, title, true);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        self.scroll.fit(lines.len(), inner.height as usize);
        scrolled_lines(frame, r, inner, &lines, self.scroll.offset);
    }
}
