//! The causes and fixes: ranked causes on the left; on the right the selected one in full
//! (why connfix thinks so, how to confirm, how to fix, code in six languages, what not to do).

use super::text::{ellipsis, wrap};
use super::theme::Theme;
use super::{pane_block, scrolled_lines};
use crate::diagnose::engine::RankedCause;
use crate::knowledge::causes::{Confidence, LANGUAGES, Severity};
use crate::tui::app::{App, LANGUAGE_LABELS, Pane, Session};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, list: Rect, detail: Rect, app: &App, s: &Session) {
    let t = Theme { color: app.color };
    let focused = app.focus == Pane::Causes;

    let block = pane_block(&t, " Causes ", focused);
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let rows = list_lines(app, s, inner.width as usize);
    let offset = list_offset(s.cause_sel, inner.height as usize);
    frame.render_widget(Paragraph::new(rows).scroll((offset as u16, 0)), inner);

    let title = match s.report.causes.get(s.cause_sel) {
        Some(c) if s.report.provisional => format!(" {} (provisional) ", c.id),
        Some(c) => format!(" {} ", c.id),
        _ => " Fix ".to_string(),
    };
    let block = pane_block(&t, &title, focused);
    let inner = block.inner(detail);
    frame.render_widget(block, detail);
    let lines = detail_lines(app, s, inner.width as usize);
    scrolled_lines(frame, detail, inner, lines, s.detail_scroll);
}

/// The first cause shown, so that the selected one is in a list of `rows` rows.
pub fn list_offset(sel: usize, rows: usize) -> usize {
    (sel + 1).saturating_sub(rows.max(1))
}

fn list_lines(app: &App, s: &Session, width: usize) -> Vec<Line<'static>> {
    let t = Theme { color: app.color };
    let waiting = s.slots.len() - s.done_count();
    let waiting_line = || {
        Line::styled(
            format!(
                "waiting for {waiting} probe{}…",
                if waiting == 1 { "" } else { "s" }
            ),
            t.dim(),
        )
    };
    if s.report.causes.is_empty() && !s.all_done() {
        return vec![waiting_line()];
    }
    let mut rows: Vec<Line<'static>> = s
        .report
        .causes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (mark, style) = mark(&t, app, &c.id);
            let conf = c.confidence.as_str();
            // Ids are short and stable; the title heads the details beside.
            let name = ellipsis(&c.id, width.saturating_sub(conf.len() + 5));
            let pad = width.saturating_sub(2 + name.chars().count() + conf.len() + 1);
            let mut line = Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(name),
                Span::raw(" ".repeat(pad)),
                Span::styled(format!(" {conf}"), confidence_style(&t, c.confidence)),
            ]);
            if i == s.cause_sel {
                line = line.style(t.selected());
            }
            line
        })
        .collect();
    if s.report.provisional {
        rows.push(waiting_line());
    }
    rows
}

/// The mark and style of a cause by its severity: ✓ fine, ▲ a warning, ✗ a problem.
pub fn mark(t: &Theme, app: &App, id: &str) -> (&'static str, Style) {
    match app.kb.cause(id).map(|k| k.severity) {
        Some(Severity::Ok) => ("✓", t.ok()),
        Some(Severity::Warning) => ("▲", t.warn()),
        _ => ("✗", t.bad()),
    }
}

fn confidence_style(t: &Theme, c: Confidence) -> Style {
    match c {
        Confidence::Certain => t.bold(),
        Confidence::Likely => t.plain(),
        Confidence::Possible => t.dim(),
    }
}

const CODE_HEADING: &str = "Code  (←/→ language · C copy)";

/// The line where the code snippets start, so switching language brings them into view.
pub fn code_line(app: &App, s: &Session, width: usize) -> Option<usize> {
    detail_lines(app, s, width)
        .iter()
        .position(|l| l.spans.first().is_some_and(|sp| sp.content == CODE_HEADING))
}

/// Every line of the detail view of the selected cause.
pub fn detail_lines(app: &App, s: &Session, width: usize) -> Vec<Line<'static>> {
    let t = Theme { color: app.color };
    let mut out = Vec::new();
    let para = |out: &mut Vec<Line<'static>>, text: &str, style: Style| {
        out.extend(with_code_spans(wrap(text, width), style, t.code()));
    };
    if s.report.causes.is_empty() && !s.all_done() {
        para(
            &mut out,
            "The causes and their fixes appear as soon as what the probes found points at one.",
            t.dim(),
        );
        return out;
    }
    if s.report.provisional {
        let waiting = s.slots.len() - s.done_count();
        para(
            &mut out,
            &format!("Provisional: {waiting} probe(s) still running may change this."),
            t.warn(),
        );
    }
    let Some(rc) = s.report.causes.get(s.cause_sel) else {
        para(&mut out, "No cause matched.", t.dim());
        return out;
    };
    let (mark, style) = mark(&t, app, &rc.id);
    para(
        &mut out,
        &format!("{mark} {} ({})", rc.title, rc.confidence.as_str()),
        style.patch(t.bold()),
    );
    if !rc.action.is_empty() {
        para(&mut out, &format!("→ {}", rc.action), t.bold());
    }
    para(&mut out, &rc.summary, t.plain());
    if !rc.evidence.is_empty() {
        heading(&mut out, &t, "Why connfix thinks so");
        for e in &rc.evidence {
            para(&mut out, &format!("• {e}"), t.plain());
        }
    }
    heading(&mut out, &t, "How to fix it");
    for (i, f) in rc.fixes.iter().enumerate() {
        para(&mut out, &format!("{}. {f}", i + 1), t.plain());
    }
    if !rc.commands.is_empty() {
        heading(&mut out, &t, "Commands for this machine  (c copies them)");
        for c in &rc.commands {
            para(&mut out, &format!("# {}", c.purpose), t.dim());
            for l in wrap(&c.command, width.saturating_sub(2)) {
                out.push(Line::styled(format!("  {l}"), t.code()));
            }
        }
    }
    snippets(&mut out, &t, rc, s.lang, width);
    heading(&mut out, &t, "How to confirm it by hand");
    markdown(&mut out, &t, &rc.confirm, width);
    heading(&mut out, &t, "What is happening");
    markdown(&mut out, &t, &rc.what, width);
    heading(&mut out, &t, "Don't");
    markdown(&mut out, &t, &rc.dont, width);
    out
}

/// Shows `inline code` in the code style without its backticks; a span may run across the
/// wrapped lines of one paragraph.
fn with_code_spans(lines: Vec<String>, plain: Style, code: Style) -> Vec<Line<'static>> {
    let mut in_code = false;
    lines
        .into_iter()
        .map(|l| {
            let mut spans = Vec::new();
            for (i, part) in l.split('`').enumerate() {
                if i > 0 {
                    in_code = !in_code;
                }
                if !part.is_empty() {
                    spans.push(Span::styled(
                        part.to_string(),
                        if in_code { code } else { plain },
                    ));
                }
            }
            Line::from(spans)
        })
        .collect()
}

fn heading(out: &mut Vec<Line<'static>>, t: &Theme, text: &str) {
    out.push(Line::raw(""));
    out.push(Line::styled(text.to_string(), t.accent().patch(t.bold())));
}

fn snippets(
    out: &mut Vec<Line<'static>>,
    t: &Theme,
    cause: &RankedCause,
    lang: usize,
    width: usize,
) {
    heading(out, t, CODE_HEADING);
    let mut tabs = Vec::new();
    for (i, label) in LANGUAGE_LABELS.iter().enumerate() {
        let has = cause.snippets.iter().any(|s| s.lang == LANGUAGES[i]);
        let style = if i == lang {
            t.selected().patch(t.bold())
        } else if has {
            t.plain()
        } else {
            t.dim()
        };
        tabs.push(Span::styled(format!(" {label} "), style));
        tabs.push(Span::raw(" "));
    }
    out.push(Line::from(tabs));
    match cause.snippets.iter().find(|s| s.lang == LANGUAGES[lang]) {
        Some(sn) => {
            for l in wrap(&sn.caption, width) {
                out.push(Line::styled(l, t.dim()));
            }
            for l in sn.code.lines() {
                out.push(Line::styled(
                    format!(
                        "  {}",
                        ellipsis(&l.replace('\t', "    "), width.saturating_sub(2))
                    ),
                    t.code(),
                ));
            }
        }
        None => out.push(Line::styled(
            format!("no {} snippet for this cause", LANGUAGE_LABELS[lang]),
            t.dim(),
        )),
    }
}

/// The knowledge files' Markdown, simply: fenced blocks as code, the rest wrapped.
fn markdown(out: &mut Vec<Line<'static>>, t: &Theme, text: &str, width: usize) {
    let mut in_code = false;
    for line in text.trim().lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(Line::styled(
                format!(
                    "  {}",
                    ellipsis(&line.replace('\t', "    "), width.saturating_sub(2))
                ),
                t.code(),
            ));
        } else {
            out.extend(with_code_spans(wrap(line, width), t.plain(), t.code()));
        }
    }
}
