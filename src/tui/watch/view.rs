//! Drawing the `connfix watch` screen from [`WatchApp`] alone.

use super::state::WatchApp;
use crate::tui::view::text::ellipsis;
use crate::tui::view::theme::Theme;
use crate::tui::view::{key_pair, key_spans, pane_block, spinner};
use crate::watch::{Change, Mark, Row, State, compact, held_for, reason};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Below this the rows cannot be drawn usefully.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;
/// Lines each target takes in the list.
const ROW_LINES: u16 = 2;
/// The transitions log keeps at least this many lines of the screen.
const MIN_LOG: u16 = 5;
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

pub fn render(frame: &mut Frame, app: &mut WatchApp) {
    let area = frame.area();
    let t = Theme { color: app.color };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "connfix watch needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this terminal is {}×{}. Enlarge it, or q to quit.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let wanted = app.rows.len() as u16 * ROW_LINES + 2;
    let list_height = wanted
        .min(body.height.saturating_sub(MIN_LOG))
        .max(ROW_LINES + 2);
    let [list, log] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(body);
    render_header(frame, header, app, &t);
    render_rows(frame, list, app, &t);
    render_log(frame, log, app, &t);
    render_footer(frame, footer, app, &t);
    let groups = app.help_groups();
    if let Some(help) = &mut app.help {
        help.render(frame, area, &groups, t);
    }
}

fn render_header(frame: &mut Frame, area: Rect, app: &WatchApp, t: &Theme) {
    let up = app
        .rows
        .iter()
        .filter(|r| r.state == Some(State::Up))
        .count();
    let down = app
        .rows
        .iter()
        .filter(|r| r.state == Some(State::Down))
        .count();
    let n = app.rows.len();
    let mut spans = vec![
        Span::styled(" connfix watch ", t.key()),
        Span::raw(format!("{n} target{} · ", if n == 1 { "" } else { "s" })),
        Span::styled(format!("{up} up"), t.ok()),
        Span::raw(" · "),
        Span::styled(
            format!("{down} down"),
            if down > 0 { t.bad() } else { t.plain() },
        ),
        Span::raw(format!(
            " · a check every {}",
            humantime::format_duration(app.interval)
        )),
    ];
    if let Some(c) = app.count {
        spans.push(Span::raw(format!(", {c} each")));
    }
    let state = if app.all_finished() {
        Span::styled("  finished", t.bold())
    } else if app.paused {
        Span::styled("  ‖ PAUSED", t.warn())
    } else if app.checking.iter().any(|c| *c) {
        Span::styled(format!("  {} checking", spinner(app.tick)), t.dim())
    } else {
        Span::raw("")
    };
    spans.push(state);
    if !app.bell {
        spans.push(Span::styled("  bell off", t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_rows(frame: &mut Frame, area: Rect, app: &WatchApp, t: &Theme) {
    let block = pane_block(t, " Targets ", true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let fit = (inner.height / ROW_LINES).max(1) as usize;
    // Keep the selected row in view.
    let first = app.selected.saturating_sub(fit - 1);
    let width = inner.width as usize;
    // Labels share one column width, so the rows line up.
    let label_width = (app.rows.iter().map(|r| r.label.width()).max())
        .unwrap_or(0)
        .min(width / 3);
    let mut lines = Vec::new();
    for (i, row) in app.rows.iter().enumerate().skip(first).take(fit) {
        lines.push(first_line(app, i, row, (width, label_width), t));
        lines.push(second_line(row, width, t));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Marker, state, target, since when, counts.
fn first_line(
    app: &WatchApp,
    i: usize,
    row: &Row,
    (width, label_width): (usize, usize),
    t: &Theme,
) -> Line<'static> {
    let selected = i == app.selected;
    let mut spans = vec![Span::styled(if selected { "▸ " } else { "  " }, t.key())];
    let (badge, style) = match row.state {
        Some(State::Up) => ("▲ up  ", t.ok()),
        Some(State::Down) => ("▼ down", t.bad()),
        None => ("…     ", t.dim()),
    };
    spans.push(Span::styled(badge, style));
    let label_style = if selected { t.selected() } else { t.bold() };
    spans.push(Span::raw(" "));
    let label = ellipsis(&row.label, label_width);
    let pad = label_width.saturating_sub(label.width());
    spans.push(Span::styled(label, label_style));
    spans.push(Span::raw(" ".repeat(pad)));
    if row.seq == 0 {
        spans.push(Span::styled("  waiting for the first check", t.dim()));
    }
    // The duration is measured from the check's own time to the screen's clock, so every
    // row's "since" plus its duration is the same moment.
    if let (Some(since), Some(held)) = (&row.since, held_for(row, app.now)) {
        let for_how_long = compact(held);
        let counts = format!("  {} ok · {} failed", row.ok, row.failed);
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let long = format!("  since {} ({for_how_long})", clock(since));
        // The clock time when it fits; the duration always.
        let when = if used + long.width() + counts.width() <= width {
            long
        } else {
            format!("  for {for_how_long}")
        };
        spans.push(Span::styled(when, t.dim()));
        spans.push(Span::raw(format!("  {} ok · ", row.ok)));
        spans.push(Span::styled(
            format!("{} failed", row.failed),
            if row.failed > 0 { t.warn() } else { t.plain() },
        ));
    }
    if app.checking.get(i).copied().unwrap_or(false) {
        spans.push(Span::styled(format!(" {}", spinner(app.tick)), t.dim()));
    }
    Line::from(spans)
}

/// Timeline, latency sparkline, and the error that matters.
fn second_line(row: &Row, width: usize, t: &Theme) -> Line<'static> {
    let room = width.saturating_sub(4);
    let timeline_width = (room * 2 / 5).min(crate::watch::HISTORY);
    let spark_width = (room / 4).min(crate::watch::HISTORY);
    let mut spans = vec![Span::raw("    ")];
    spans.extend(timeline(row, timeline_width, t));
    spans.push(Span::raw("  "));
    spans.push(Span::styled(sparkline(row, spark_width), t.accent()));
    let latency = row
        .recent
        .iter()
        .rev()
        .find(|m| m.up)
        .map(|m| format!(" {}", ms(m.latency_ms)))
        .unwrap_or_default();
    spans.push(Span::raw(latency));
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let left = width.saturating_sub(used + 2);
    let (text, style) = match (row.state, &row.last_failure) {
        (Some(State::Down), Some(f)) => (reason(&row.label, f), t.bad()),
        (Some(State::Up), Some(f)) => (format!("last failure: {}", reason(&row.label, f)), t.dim()),
        _ => (String::new(), t.plain()),
    };
    if !text.is_empty() && left > 8 {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(ellipsis(&text, left), style));
    }
    Line::from(spans)
}

/// One cell per check, newest at the right: █ up, × down, · not yet checked.
fn timeline(row: &Row, width: usize, t: &Theme) -> Vec<Span<'static>> {
    let marks: Vec<&Mark> = row.recent.iter().rev().take(width).collect();
    let mut spans = vec![Span::styled("·".repeat(width - marks.len()), t.dim())];
    // Runs of the same state share a span, so a long history is a handful of spans.
    let mut run: Option<(bool, usize)> = None;
    let flush = |run: Option<(bool, usize)>, spans: &mut Vec<Span<'static>>| {
        if let Some((up, n)) = run {
            let (c, style): (&str, Style) = if up { ("█", t.ok()) } else { ("×", t.bad()) };
            spans.push(Span::styled(c.repeat(n), style));
        }
    };
    for m in marks.into_iter().rev() {
        match &mut run {
            Some((up, n)) if *up == m.up => *n += 1,
            _ => {
                flush(run, &mut spans);
                run = Some((m.up, 1));
            }
        }
    }
    flush(run, &mut spans);
    spans
}

/// Latency of each check in the same window, scaled from zero to the window's slowest
/// answer (so loopback jitter of a tenth of a millisecond stays flat); a failed check is a
/// gap.
pub fn sparkline(row: &Row, width: usize) -> String {
    let marks: Vec<&Mark> = row.recent.iter().rev().take(width).collect();
    let ups = marks.iter().filter(|m| m.up).map(|m| m.latency_ms);
    let hi = ups.fold(0.0f64, f64::max);
    let mut out = " ".repeat(width - marks.len());
    for m in marks.into_iter().rev() {
        if !m.up {
            out.push(' ');
            continue;
        }
        let level = if hi < 1e-9 {
            0
        } else {
            ((m.latency_ms / hi) * (LEVELS.len() - 1) as f64).round() as usize
        };
        out.push(LEVELS[level.min(LEVELS.len() - 1)]);
    }
    out
}

fn render_log(frame: &mut Frame, area: Rect, app: &WatchApp, t: &Theme) {
    let block = pane_block(t, " Transitions (newest first, UTC) ", false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.log.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Nothing yet: each target's first answer, and every change after it, is logged here.",
                t.dim(),
            )),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    let lines: Vec<Line> = app
        .log
        .iter()
        .rev()
        .take(inner.height as usize)
        .map(|e| {
            let (what, style) = match e.what {
                Change::First(State::Up) => ("first check: up".to_string(), t.ok()),
                Change::First(State::Down) => ("first check: down".to_string(), t.bad()),
                Change::Went(State::Up) => ("down → up".to_string(), t.ok()),
                Change::Went(State::Down) => ("up → down".to_string(), t.bad()),
                Change::Addresses => ("addresses changed".to_string(), t.warn()),
            };
            let head = format!("{}  {}  ", clock(&e.time), e.target);
            let used = head.width() + what.width() + 2;
            Line::from(vec![
                Span::styled(clock(&e.time), t.dim()),
                Span::raw(format!("  {}  ", e.target)),
                Span::styled(what, style),
                Span::raw("  "),
                Span::raw(ellipsis(&e.detail, width.saturating_sub(used))),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_footer(frame: &mut Frame, area: Rect, app: &WatchApp, t: &Theme) {
    // The keys come from the screen's key table; what does not fit is dropped, `? help`
    // and `q quit` never are (`Ctrl-C quit` while the help, where q closes it, is open).
    // Only a message too long to sit beside them takes the whole line, until the next key.
    let tail: Vec<Span> = if app.help.is_some() {
        key_pair("Ctrl-C", "quit", *t).into()
    } else {
        [key_pair("?", "help", *t), key_pair("q", "quit", *t)].concat()
    };
    let width = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
    let room = (area.width as usize).saturating_sub(width(&tail));
    let mut spans = Vec::new();
    for h in app.hints() {
        let pair = key_spans(&[h], *t);
        if width(&spans) + width(&pair) <= room {
            spans.extend(pair);
        }
    }
    spans.extend(tail);
    if let Some(f) = &app.flash {
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 2);
        // A message is read in full: when it does not fit beside the keys, it takes the
        // line until the next key.
        if f.width() <= room {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(f.clone(), t.accent()));
        } else {
            spans = vec![Span::styled(
                format!(" {}", ellipsis(f, area.width as usize - 1)),
                t.accent(),
            )];
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `HH:MM:SS` of an RFC 3339 time.
fn clock(rfc3339: &str) -> String {
    rfc3339.get(11..19).unwrap_or(rfc3339).to_string()
}

fn ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}
