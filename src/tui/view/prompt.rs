//! The target input of a bare `connfix`: the box, the forms it takes, recent targets.

use super::layout::centered;
use super::text::ellipsis;
use super::theme::Theme;
use crate::tui::app::{App, HISTORY_SHOWN, Prompt};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

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

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &Prompt) {
    let t = Theme { color: app.color };
    let shown = app.history.len().min(HISTORY_SHOWN);
    let h = (12 + FORMS.len() + shown) as u16;
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
    let start = p.cursor.saturating_sub(room);
    let input: String = p.input.chars().skip(start).take(room).collect();
    lines.push(Line::from(vec![
        Span::styled("> ", t.key()),
        Span::styled(input, t.bold()),
    ]));
    lines.push(match &p.error {
        Some(e) => Line::styled(ellipsis(e, w), t.bad()),
        None => Line::raw(""),
    });
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
        for (i, h) in app.history.iter().take(shown).enumerate() {
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
    lines.push(Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(" diagnose  "),
        Span::styled("Ctrl-U", t.key()),
        Span::raw(" clear  "),
        Span::styled("Esc", t.key()),
        Span::raw(" quit"),
    ]));
    frame.render_widget(Paragraph::new(lines), inner);
    // The cursor sits after the typed character it follows.
    let before: String = p.input.chars().skip(start).take(p.cursor - start).collect();
    let x = 2 + unicode_width::UnicodeWidthStr::width(before.as_str());
    if x < inner.width as usize {
        frame.set_cursor_position(Position::new(inner.x + x as u16, inner.y + 2));
    }
}
