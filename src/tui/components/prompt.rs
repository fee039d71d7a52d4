//! The target input of a bare `connfix`: the box, the forms it takes, recent targets; and
//! the one-line editing every input box shares.

use super::Outcome;
use crate::tui::keys::{Binding, Key, hints};
use crate::tui::view::key_spans;
use crate::tui::view::layout::centered;
use crate::tui::view::text::{ellipsis, wrap};
use crate::tui::view::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

/// How many recent targets are kept, and how many the prompt shows.
pub const HISTORY_LEN: usize = 20;
pub const HISTORY_SHOWN: usize = 8;
/// Longer input than this is not a target (the parser refuses far less); typing stops here.
const MAX_INPUT: usize = 4096;

/// One line of text being typed, with a cursor.
#[derive(Debug, Default, Clone)]
pub struct Field {
    pub input: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

impl Field {
    /// The line-editing keys shared by every input box; false when `code` is not one.
    pub fn edit(&mut self, code: KeyCode, ctrl: bool) -> bool {
        let len = self.input.chars().count();
        match code {
            KeyCode::Char('u') if ctrl => {
                self.input.clear();
                self.cursor = 0;
            }
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.remove(self.cursor);
            }
            KeyCode::Delete if self.cursor < len => self.remove(self.cursor),
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            _ => return false,
        }
        true
    }

    /// Types `text` (control characters dropped).
    pub fn type_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(c);
        }
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.input
            .char_indices()
            .nth(char_idx)
            .map(|(b, _)| b)
            .unwrap_or(self.input.len())
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() || self.input.len() >= MAX_INPUT {
            return;
        }
        let b = self.byte_at(self.cursor);
        self.input.insert(b, c);
        self.cursor += 1;
    }

    fn remove(&mut self, char_idx: usize) {
        let b = self.byte_at(char_idx);
        if b < self.input.len() {
            self.input.remove(b);
        }
    }

    pub fn set(&mut self, text: &str) {
        self.input = text.to_string();
        self.cursor = self.input.chars().count();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Submit,
    Clear,
    Older,
    Newer,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        label: "Enter",
        footer: "diagnose",
        help: "diagnose the target typed",
        action: Act::Submit,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Up)],
        label: "↑",
        footer: "",
        help: "an older recent target",
        action: Act::Older,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down)],
        label: "↓",
        footer: "",
        help: "a newer recent target",
        action: Act::Newer,
    },
    Binding {
        keys: &[Key::Ctrl('u'), Key::Code(KeyCode::Esc)],
        label: "Ctrl-U Esc",
        footer: "clear",
        help: "clear the input",
        action: Act::Clear,
    },
];

/// The prompt screen's state.
#[derive(Debug, Default)]
pub struct Prompt {
    pub field: Field,
    /// Which recent target the input shows, when browsing them.
    pub history_sel: Option<usize>,
    pub error: Option<String>,
}

impl Prompt {
    /// Handles a key; `Action(text)` asks the app to diagnose `text`.
    pub fn on_key(&mut self, key: &KeyEvent, history: &[String]) -> Outcome<String> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        self.error = None;
        match crate::tui::keys::lookup(KEYS, key) {
            Some(Act::Submit) => return Outcome::Action(self.field.input.trim().to_string()),
            Some(Act::Clear) => {
                self.field = Field::default();
                self.history_sel = None;
                return Outcome::Consumed;
            }
            Some(act @ (Act::Older | Act::Newer)) if !history.is_empty() => {
                let last = history.len().min(HISTORY_SHOWN) - 1;
                let sel = match (self.history_sel, act) {
                    (None, Act::Older) => Some(0),
                    (None, _) => None,
                    (Some(i), Act::Older) => Some((i + 1).min(last)),
                    (Some(0), _) => None,
                    (Some(i), _) => Some(i - 1),
                };
                self.history_sel = sel;
                self.field
                    .set(sel.map(|i| history[i].as_str()).unwrap_or(""));
                return Outcome::Consumed;
            }
            _ => {}
        }
        if self.field.edit(key.code, ctrl) {
            self.history_sel = None;
            return Outcome::Consumed;
        }
        Outcome::Ignored
    }
}

const FORMS: &[(&str, &str)] = &[
    (
        "host:port",
        "db.internal:5432   localhost:3000   [::1]:8080",
    ),
    (
        "URL",
        "https://api.example.com/health   postgres://app@db/app",
    ),
    ("unix socket", "unix:/run/app.sock   /var/run/docker.sock"),
    ("environment", "env:DATABASE_URL   $REDIS_URL"),
    (
        "error text",
        "paste what your program printed; connfix finds the target",
    ),
];

pub fn render(frame: &mut Frame, area: Rect, t: Theme, p: &Prompt, history: &[String]) {
    let shown = history.len().min(HISTORY_SHOWN);
    let h = (12 + FORMS.len() + shown + p.error.as_ref().map_or(0, |_| 2)) as u16;
    let r = centered(area, 90, h);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(t.accent())
        .title(" connfix · what cannot be reached? ")
        .title_style(t.key());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let w = inner.width as usize;

    let mut lines = vec![
        Line::raw("Type the target your program fails to reach, then Enter."),
        Line::raw(""),
    ];
    // The input line scrolls sideways to keep the cursor in view.
    let room = w.saturating_sub(3).max(1);
    let f = &p.field;
    let start = f.cursor.saturating_sub(room);
    let input: String = f.input.chars().skip(start).take(room).collect();
    lines.push(Line::from(vec![
        Span::styled("> ", t.key()),
        Span::styled(input, t.bold()),
    ]));
    // An error is read in full.
    let error = p
        .error
        .as_deref()
        .map(|e| wrap(e, w))
        .unwrap_or_else(|| vec![String::new()]);
    lines.extend(error.into_iter().map(|l| Line::styled(l, t.bad())));
    lines.push(Line::styled("Forms it accepts:", t.accent()));
    for (what, ex) in FORMS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {what:<13}"), t.dim()),
            Span::raw(ellipsis(ex, w.saturating_sub(15))),
        ]));
    }
    lines.push(Line::raw(""));
    if shown == 0 {
        lines.push(Line::styled("No recent targets yet.", t.dim()));
    } else {
        lines.push(Line::styled("Recent targets (↑ ↓ to pick):", t.accent()));
        for (i, h) in history.iter().take(shown).enumerate() {
            let style = if p.history_sel == Some(i) {
                t.selected()
            } else {
                t.plain()
            };
            lines.push(Line::styled(
                format!("  {}", ellipsis(h, w.saturating_sub(2))),
                style,
            ));
        }
    }
    lines.push(Line::raw(""));
    let mut keys = hints(KEYS, |a| a != Act::Older && a != Act::Newer);
    keys.push(crate::tui::keys::Hint {
        label: "Ctrl-C",
        footer: "quit",
        help: "",
    });
    lines.push(Line::from(key_spans(&keys, t)));
    frame.render_widget(Paragraph::new(lines), inner);
    // The cursor sits after the typed character it follows.
    let before: String = f.input.chars().skip(start).take(f.cursor - start).collect();
    let x = 2 + unicode_width::UnicodeWidthStr::width(before.as_str());
    if x < inner.width as usize {
        frame.set_cursor_position(Position::new(inner.x + x as u16, inner.y + 2));
    }
}
