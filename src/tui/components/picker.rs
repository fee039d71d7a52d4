//! Choosing where to look from in the TUI: this host, or one of the running containers the
//! engine lists. A small component: it owns its list and selection, handles its keys and
//! draws itself; the app only opens it and acts on the choice.

use crate::tui::keys::{Binding, Key, hints, lookup};
use crate::tui::view::layout::centered;
use crate::tui::view::theme::Theme;
use crate::tui::view::{key_spans, pane_block};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VantagePicker {
    /// (container name, image); the first row is always "this host".
    pub containers: Vec<(String, String)>,
    pub sel: usize,
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// Still choosing.
    Open,
    Cancel,
    /// None: this host; Some: that container.
    Choose(Option<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Up,
    Down,
    Choose,
    Cancel,
}

const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑",
        footer: "",
        help: "the row above",
        action: Act::Up,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓",
        footer: "choose",
        help: "the row below",
        action: Act::Down,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        label: "Enter",
        footer: "look from there",
        help: "diagnose again from the chosen place",
        action: Act::Choose,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc), Key::Char('q')],
        label: "Esc",
        footer: "cancel",
        help: "keep looking from where connfix looks now",
        action: Act::Cancel,
    },
];

impl VantagePicker {
    pub fn new(containers: Vec<(String, String)>) -> VantagePicker {
        VantagePicker { containers, sel: 0 }
    }

    fn rows(&self) -> usize {
        self.containers.len() + 1
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Picked {
        match lookup(KEYS, &key) {
            Some(Act::Cancel) => Picked::Cancel,
            Some(Act::Up) => {
                self.sel = self.sel.saturating_sub(1);
                Picked::Open
            }
            Some(Act::Down) => {
                self.sel = (self.sel + 1).min(self.rows() - 1);
                Picked::Open
            }
            Some(Act::Choose) => Picked::Choose(match self.sel {
                0 => None,
                i => self.containers.get(i - 1).map(|(n, _)| n.clone()),
            }),
            None => Picked::Open,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, color: bool) {
        let t = Theme { color };
        let mut lines = vec![
            Line::styled("Diagnose as seen from:", t.dim()),
            Line::from(key_spans(&hints(KEYS, |_| true), t)),
        ];
        let this_host = std::iter::once(("this host".to_string(), String::new()));
        let rows = this_host.chain(self.containers.iter().cloned());
        for (i, (name, image)) in rows.enumerate() {
            let label = if i == 0 {
                name
            } else {
                format!("container {name}")
            };
            let mut line = Line::from(vec![
                Span::raw(format!("  {label}")),
                Span::styled(
                    if image.is_empty() {
                        String::new()
                    } else {
                        format!("  [{image}]")
                    },
                    t.dim(),
                ),
            ]);
            if i == self.sel {
                line = line.style(t.selected());
            }
            lines.push(line);
        }
        let h = (lines.len() as u16 + 2).min(area.height);
        let r = centered(area, 70, h);
        frame.render_widget(Clear, r);
        let block = pane_block(&t, " Look from ", true);
        let visible = (h as usize).saturating_sub(2);
        let offset = (self.sel + 3).saturating_sub(visible) as u16;
        frame.render_widget(Paragraph::new(lines).block(block).scroll((offset, 0)), r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn choosing() {
        let mut p = VantagePicker::new(vec![
            ("api".into(), "img".into()),
            ("db".into(), "pg".into()),
        ]);
        assert_eq!(p.on_key(key(KeyCode::Enter)), Picked::Choose(None));
        p.on_key(key(KeyCode::Down));
        p.on_key(key(KeyCode::Down));
        p.on_key(key(KeyCode::Down));
        assert_eq!(
            p.on_key(key(KeyCode::Enter)),
            Picked::Choose(Some("db".into()))
        );
        assert_eq!(p.on_key(key(KeyCode::Esc)), Picked::Cancel);
    }
}
