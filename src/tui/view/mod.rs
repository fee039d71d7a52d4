//! Drawing: one pure function per pane, from the app's state alone.

pub mod causes;
pub mod checklist;
pub mod evidence;
pub mod layout;
pub mod text;
pub mod theme;
pub mod tree;
pub mod watch;

mod chrome;
mod input;
mod paste;
mod prompt;

use crate::tui::app::{App, Screen, Session};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{
    Block, BorderType, Borders, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};
use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(tick: u64) -> String {
    SPINNER[(tick % SPINNER.len() as u64) as usize].to_string()
}

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small(area) {
        chrome::too_small(frame, area, app);
        return;
    }
    if let Some(p) = &app.prompt {
        prompt::render(frame, area, app, p);
        if let Some(pb) = &app.paste {
            paste::render(frame, area, app, pb);
        }
        return;
    }
    if let (Screen::Checklist, Some(c)) = (app.screen, &app.checklist) {
        checklist::render(frame, area, app, c);
    } else if let Some(s) = &app.session {
        diagnosis(frame, area, app, s);
    }
    if app.help {
        chrome::help(frame, area, app);
    }
    if let Some(p) = &app.picker {
        p.render(frame, area, app.color);
    }
    if let Some(pb) = &app.paste {
        paste::render(frame, area, app, pb);
    }
    if let Some(input) = &app.input {
        input::render(frame, area, app, input);
    }
}

fn diagnosis(frame: &mut Frame, area: Rect, app: &App, s: &Session) {
    let panes = layout::panes(area, app.banner.is_some(), app.action_rows());
    chrome::header(frame, panes.header, app, s);
    chrome::action(frame, panes.action, app, s);
    chrome::banner(frame, panes.banner, app);
    tree::render(frame, panes.tree, app, s);
    evidence::render(frame, panes.evidence, app, s);
    causes::render(frame, panes.causes, panes.detail, app, s);
    chrome::footer(frame, panes.footer, app, s);
}

/// How far each scrollable pane can scroll at the current size: (evidence, cause detail,
/// checklist step detail).
pub fn scroll_limits(app: &App) -> (usize, usize, usize) {
    let inner = |r: ratatui::layout::Rect| {
        (
            r.width.saturating_sub(2) as usize,
            r.height.saturating_sub(2) as usize,
        )
    };
    let step = app.checklist.as_ref().map_or(0, |c| {
        let p = layout::checklist_panes(app.area(), app.banner.is_some());
        let (w, h) = inner(p.detail);
        checklist::detail_lines(app, c, w).len().saturating_sub(h)
    });
    let Some(s) = &app.session else {
        return (0, 0, step);
    };
    let p = layout::panes(app.area(), app.banner.is_some(), app.action_rows());
    let (ew, eh) = inner(p.evidence);
    let (dw, dh) = inner(p.detail);
    (
        evidence::lines(app, s, ew).len().saturating_sub(eh),
        causes::detail_lines(app, s, dw).len().saturating_sub(dh),
        step,
    )
}

/// Draws `lines` from `scroll` (kept inside the content) into `inner`, with a scrollbar on
/// the border of `area` when they do not all fit.
pub(crate) fn scrolled_lines(
    frame: &mut Frame,
    area: Rect,
    inner: Rect,
    lines: Vec<Line<'static>>,
    scroll: usize,
) {
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = scroll.min(max);
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
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

pub(crate) fn pane_block<'a>(t: &Theme, title: &'a str, focused: bool) -> Block<'a> {
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
