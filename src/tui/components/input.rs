//! The one-line input box over the screen: a note (m), or another directory to save into
//! after the data directory failed.

use super::Outcome;
use super::prompt::Field;
use crate::tui::keys::{Binding, Key, hints, lookup};
use crate::tui::view::key_spans;
use crate::tui::view::layout::centered;
use crate::tui::view::text::wrap;
use crate::tui::view::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

/// What a one-line input box is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// A timestamped note about the session (m).
    Note,
    /// Another directory to save into, after the data directory failed.
    SaveDir,
}

/// A one-line input box over the screen.
#[derive(Debug)]
pub struct LineInput {
    pub purpose: InputPurpose,
    pub field: Field,
    /// Shown above the box (e.g. why the save failed).
    pub context: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Submit,
    Cancel,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        label: "Enter",
        footer: "done",
        help: "add the note, or save in the directory typed",
        action: Act::Submit,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        label: "Esc",
        footer: "cancel",
        help: "close the box without using it",
        action: Act::Cancel,
    },
];

impl LineInput {
    pub fn new(purpose: InputPurpose) -> LineInput {
        LineInput {
            purpose,
            field: Field::default(),
            context: None,
        }
    }

    /// `Action(true)`: submit; `Action(false)`: cancel.
    pub fn on_key(&mut self, key: &KeyEvent) -> Outcome<bool> {
        match lookup(KEYS, key) {
            Some(Act::Submit) => Outcome::Action(true),
            Some(Act::Cancel) => Outcome::Action(false),
            None => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                self.field.edit(key.code, ctrl);
                Outcome::Consumed
            }
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, t: Theme, input: &LineInput) {
    let w = 90.min(area.width);
    let room = (w as usize).saturating_sub(4);
    let (title, hint) = match input.purpose {
        InputPurpose::Note => (
            " Add a note ",
            "It is stamped with the time and the selected step or question.",
        ),
        InputPurpose::SaveDir => (
            " Save somewhere else ",
            "Directory for the session and its reports (it is created if needed):",
        ),
    };
    let mut lines: Vec<Line> = Vec::new();
    if let Some(c) = &input.context {
        lines.extend(wrap(c, room).into_iter().map(|l| Line::styled(l, t.warn())));
    }
    lines.extend(wrap(hint, room).into_iter().map(Line::raw));
    let field_row = lines.len();
    let field = &input.field;
    let visible = room.saturating_sub(2).max(1);
    let start = field.cursor.saturating_sub(visible);
    let shown: String = field.input.chars().skip(start).take(visible).collect();
    lines.push(Line::from(vec![
        Span::styled("> ", t.key()),
        Span::styled(shown, t.bold()),
    ]));
    let mut keys = hints(KEYS, |_| true);
    if input.purpose == InputPurpose::SaveDir {
        keys[0].footer = "save there";
    }
    keys.push(crate::tui::keys::Hint {
        label: "Ctrl-U",
        footer: "clear",
        help: "",
    });
    lines.push(Line::from(key_spans(&keys, t)));
    let r = centered(area, w, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(t.accent())
        .title(title)
        .title_style(t.key());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines), inner);
    let before: String = (field.input.chars().skip(start))
        .take(field.cursor - start)
        .collect();
    let x = 2 + unicode_width::UnicodeWidthStr::width(before.as_str());
    if x < inner.width as usize {
        frame.set_cursor_position(Position::new(
            inner.x + x as u16,
            inner.y + field_row as u16,
        ));
    }
}
