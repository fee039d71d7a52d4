//! The one-line input box over the screen: a note (n), or another directory to save into
//! after the data directory failed.

use super::layout::centered;
use super::text::wrap;
use super::theme::Theme;
use crate::tui::app::{App, InputPurpose, LineInput};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, app: &App, input: &LineInput) {
    let t = Theme { color: app.color };
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
    lines.push(Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(match input.purpose {
            InputPurpose::Note => " add  ",
            InputPurpose::SaveDir => " save there  ",
        }),
        Span::styled("Esc", t.key()),
        Span::raw(" cancel  "),
        Span::styled("Ctrl-U", t.key()),
        Span::raw(" clear"),
    ]));
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
