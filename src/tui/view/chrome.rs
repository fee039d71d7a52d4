//! The chrome around the panes: the header, the banner, the message row, the tab strip, the
//! footer of keys and the too-small message. Each draws from plain values.

use super::key_pair;
use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use super::text::{ellipsis, wrap};
use super::theme::Theme;
use crate::tui::keys::Hint;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The keys every footer ends with, whatever the width.
pub const ALWAYS: [Hint; 2] = [
    Hint {
        label: "?",
        footer: "help",
        help: "",
    },
    Hint {
        label: "q",
        footer: "quit",
        help: "",
    },
];

/// " connfix  TARGET ……… STATE": the target keeps its room, the state is on the right.
pub fn header(frame: &mut Frame, area: Rect, t: Theme, target: &str, state: Vec<Span<'static>>) {
    let name = " connfix ";
    let state_width: usize = state.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(name.len() + state_width + 3);
    let mut spans = vec![
        Span::styled(name, t.key().patch(t.selected())),
        Span::raw(" "),
        Span::styled(ellipsis(target, room), t.bold()),
    ];
    let used: usize = spans.iter().map(|s| s.width()).sum();
    spans.push(Span::raw(" ".repeat(
        (area.width as usize).saturating_sub(used + state_width + 1),
    )));
    spans.extend(state);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn banner(frame: &mut Frame, area: Rect, t: Theme, text: Option<&str>) {
    if let (Some(b), false) = (text, area.is_empty()) {
        let lines: Vec<Line> = (wrap(b, area.width as usize).into_iter())
            .take(area.height as usize)
            .map(|l| Line::styled(l, t.dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// Rows a message takes at this width: wrapped in full, at most `max`.
pub fn message_rows(text: Option<&str>, width: u16, max: u16) -> u16 {
    text.map_or(0, |m| {
        (wrap(m, width.saturating_sub(1) as usize).len() as u16).min(max)
    })
}

/// The latest message (or why the session is not saved), wrapped above the footer.
pub fn message(frame: &mut Frame, area: Rect, t: Theme, text: Option<&str>) {
    let Some(m) = text else { return };
    if area.is_empty() {
        return;
    }
    let mut rows = wrap(m, area.width.saturating_sub(1) as usize);
    let max = area.height as usize;
    if rows.len() > max {
        rows.truncate(max);
        if let Some(last) = rows.last_mut() {
            *last = ellipsis(&format!("{last} …"), area.width.saturating_sub(1) as usize);
        }
    }
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), t.warn()))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The tab strip of the tabbed layout.
pub fn tabs(frame: &mut Frame, area: Rect, t: Theme, titles: &[&str], selected: usize) {
    if area.is_empty() {
        return;
    }
    let mut spans = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        // Brackets mark the tab shown, with or without colour.
        let (text, style) = if i == selected {
            (format!("[{title}]"), t.key())
        } else {
            (format!(" {title} "), t.dim())
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab ⇆", t.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// While a box that takes typing (or the help) is open, q belongs to it: Ctrl-C quits.
const IN_A_BOX: [Hint; 1] = [Hint {
    label: "Ctrl-C",
    footer: "quit",
    help: "",
}];

/// The keys that apply now, most useful first, ending with `? help` and `q quit` on the
/// screens (`Ctrl-C quit` in a box). What does not fit is dropped from `keys`; the help
/// lists everything.
pub fn footer(frame: &mut Frame, area: Rect, t: Theme, keys: &[Hint], in_a_box: bool) {
    let always: &[Hint] = if in_a_box { &IN_A_BOX } else { &ALWAYS };
    let width = area.width as usize;
    let fixed: usize = always.iter().map(pair_width).sum();
    let mut used = fixed;
    let mut shown = Vec::new();
    for h in keys
        .iter()
        .filter(|h| !h.footer.is_empty() && !h.label.is_empty())
    {
        let w = pair_width(h);
        if used + w > width {
            continue;
        }
        used += w;
        shown.push(*h);
    }
    let mut spans = Vec::new();
    for h in shown.iter().chain(always.iter()) {
        spans.extend(key_pair(h.label, h.footer, t));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn pair_width(h: &Hint) -> usize {
    use unicode_width::UnicodeWidthStr;
    h.label.width() + h.footer.width() + 3
}

pub fn too_small(frame: &mut Frame, area: Rect, t: Theme) {
    let text = format!(
        "connfix needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.\nEnlarge the window, or press q to quit.",
        area.width, area.height
    );
    let h = 6.min(area.height);
    let r = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(h) / 2,
        area.width,
        h,
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(t.warn())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}
