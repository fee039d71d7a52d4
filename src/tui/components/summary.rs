//! The verdict band under the header: the verdict's title in full, the one thing to do, and
//! the evidence that decided it. It comes first on every size of screen, so a person at
//! 80×24 reads the answer without scrolling.

use super::Ctx;
use super::causes::mark;
use crate::diagnose::engine::RankedCause;
use crate::tui::diagnosis::Diagnosis;
use crate::tui::view::spinner;
use crate::tui::view::text::{ellipsis, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// How many rows each part may take; the rest is in the cause's details.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub title: usize,
    pub action: usize,
    pub why: usize,
}

/// The band's lines at `width` columns within `budget`.
pub fn lines(d: &Diagnosis, width: usize, budget: Budget, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut out = Vec::new();
    if d.report.causes.is_empty() {
        let text = if d.all_done() {
            "No cause matched what the probes found.".to_string()
        } else {
            format!(
                "{} Probing: {} of {} probes done; the verdict appears as soon as the evidence points at a cause.",
                spinner(ctx.tick),
                d.done_count(),
                d.slots.len()
            )
        };
        push(&mut out, &text, "", width, budget.title.max(1), t.dim());
        return out;
    }
    let v = &d.report.verdict;
    let (m, style) = mark(&t, ctx.kb, &v.id);
    let state = if d.report.provisional {
        "provisional".to_string()
    } else {
        v.confidence.as_str().to_string()
    };
    push(
        &mut out,
        &format!("{m} {} ({state})", v.title),
        "  ",
        width,
        budget.title,
        style.patch(t.bold()),
    );
    if !v.action.is_empty() {
        let style = if d.report.provisional {
            t.plain()
        } else {
            t.bold()
        };
        push(
            &mut out,
            &format!("→ {}", v.action),
            "  ",
            width,
            budget.action,
            style,
        );
    }
    if let Some(top) = d.report.causes.first() {
        let why = deciding(top, d.report.causes.get(1));
        // Whole items only: a fact cut in half is worse than the next one shown whole.
        let mut left = budget.why;
        for (i, e) in why.into_iter().enumerate() {
            let text = format!("• {e}");
            let rows = wrap(&text, width.saturating_sub(3)).len();
            if rows > left && i > 0 {
                continue;
            }
            let before = out.len();
            push(&mut out, &text, "  ", width, left, t.dim());
            left -= out.len() - before;
            if left == 0 {
                break;
            }
        }
    }
    out
}

/// The top cause's evidence, what sets it apart from the runner-up first: that is the
/// fact that decided it (the listener on the nearby port, the rule, the bind address).
fn deciding<'a>(top: &'a RankedCause, next: Option<&RankedCause>) -> Vec<&'a str> {
    let shared = |e: &String| next.is_some_and(|n| n.evidence.contains(e));
    let mut out: Vec<&str> = (top.evidence.iter())
        .filter(|e| !shared(e))
        .map(String::as_str)
        .collect();
    out.extend(
        top.evidence
            .iter()
            .filter(|e| shared(e))
            .map(String::as_str),
    );
    out
}

/// Adds `text` wrapped to `width`, at most `rows` rows; continuation rows start with
/// `indent`, and a cut ends in "…".
fn push(
    out: &mut Vec<Line<'static>>,
    text: &str,
    indent: &str,
    width: usize,
    rows: usize,
    style: Style,
) {
    if rows == 0 {
        return;
    }
    let mut wrapped = wrap(text, width.saturating_sub(indent.len() + 1));
    if wrapped.len() > rows {
        wrapped.truncate(rows);
        if let Some(last) = wrapped.last_mut() {
            *last = ellipsis(&format!("{last} …"), width.saturating_sub(indent.len() + 1));
        }
    }
    for (i, l) in wrapped.into_iter().enumerate() {
        let lead = if i == 0 { " " } else { indent };
        out.push(Line::from(vec![
            Span::raw(lead.to_string()),
            Span::styled(l, style),
        ]));
    }
}

pub fn render(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    if !area.is_empty() {
        frame.render_widget(Paragraph::new(lines), area);
    }
}
