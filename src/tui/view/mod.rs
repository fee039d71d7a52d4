//! Widgets and drawing helpers shared by the components: text wrapping, the theme, the
//! layout, the chrome around the panes. Nothing here knows the app or its components.

pub mod chrome;
pub mod layout;
pub mod text;
pub mod theme;

use crate::tui::keys::Hint;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};
use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(tick: u64) -> String {
    SPINNER[(tick % SPINNER.len() as u64) as usize].to_string()
}

/// Draws `lines` from `scroll` into `inner`, with a scrollbar on the border of `area` when
/// they do not all fit. The caller keeps `scroll` inside the content.
pub fn scrolled_lines(
    frame: &mut Frame,
    area: Rect,
    inner: Rect,
    lines: &[Line<'static>],
    scroll: usize,
) {
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = scroll.min(max);
    // Only the rows in view are copied.
    let visible: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
    if max > 0 {
        let mut state = ScrollbarState::new(max + 1).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            area,
            &mut state,
        );
    }
}

pub fn pane_block<'a>(t: &Theme, title: &'a str, focused: bool) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(t.border(focused))
        .title(title)
        .title_style(if focused { t.key() } else { t.bold() })
}

/// A key and what it does, as footers and boxes show them: " q quit ".
pub fn key_pair(label: &str, what: &str, t: Theme) -> [Span<'static>; 2] {
    [
        Span::styled(format!(" {label}"), t.key()),
        Span::raw(format!(" {what} ")),
    ]
}

/// The hints that have a footer word, as key pairs.
pub fn key_spans(hints: &[Hint], t: Theme) -> Vec<Span<'static>> {
    (hints.iter())
        .filter(|h| !h.footer.is_empty() && !h.label.is_empty())
        .flat_map(|h| key_pair(h.label, h.footer, t))
        .collect()
}

/// Restyles every occurrence of `query` (ignoring case) in `lines` with `style`. A match
/// that spans two styled pieces of a line is left as it is.
pub fn highlight(lines: &mut [Line<'static>], query: &str, style: Style) {
    let q = query.to_lowercase();
    if q.is_empty() {
        return;
    }
    for line in lines.iter_mut() {
        let spans = std::mem::take(&mut line.spans);
        for span in spans {
            let text = span.content.to_string();
            let lower = text.to_lowercase();
            // Lowercasing can change byte lengths (rare letters): leave such text alone.
            if lower.len() != text.len() || !lower.contains(&q) {
                line.spans.push(span);
                continue;
            }
            let mut at = 0;
            for (i, _) in lower.match_indices(&q) {
                if i > at {
                    line.spans
                        .push(Span::styled(text[at..i].to_string(), span.style));
                }
                let end = i + q.len();
                line.spans.push(Span::styled(
                    text[i..end].to_string(),
                    span.style.patch(style),
                ));
                at = end;
            }
            if at < text.len() {
                line.spans
                    .push(Span::styled(text[at..].to_string(), span.style));
            }
        }
    }
}
