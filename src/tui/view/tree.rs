//! The decision tree pane: every question in order with its live state; the selected one
//! opens to show its evidence, or why the person is asked and how to answer.

use super::text::{ellipsis, wrap};
use super::theme::Theme;
use super::{pane_block, spinner};
use crate::diagnose::engine::{Answer, AnsweredBy};
use crate::diagnose::live::{LiveNode, NodeState};
use crate::tui::app::{App, Pane, Session};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, s: &Session) {
    let t = Theme { color: app.color };
    let asked = s
        .live
        .iter()
        .filter(|n| matches!(&n.state, NodeState::Asking(q) if s.answer_of(&q.key).is_none()))
        .count();
    let title = match asked {
        0 => " Decision tree ".to_string(),
        1 => " Decision tree · 1 question for you ".to_string(),
        n => format!(" Decision tree · {n} questions for you "),
    };
    let block = pane_block(&t, &title, app.focus == Pane::Tree);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = rows(app, s, inner.width as usize);
    let offset = offset(&rows, s.tree_sel, inner.height as usize);
    let lines: Vec<Line> = rows
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .skip(offset)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The node shown at screen row `row` of the pane at `area`, for mouse clicks.
pub fn node_at(s: &Session, area: Rect, row: u16, answering: bool) -> Option<usize> {
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    if row < inner.y || row >= inner.y + inner.height {
        return None;
    }
    // Clicks need only the row heights, which do not depend on colour or the clock.
    let heights: Vec<(usize, usize)> = s
        .visible_nodes()
        .into_iter()
        .map(|i| (i, row_height(s, i, inner.width as usize, answering)))
        .collect();
    let offset = offset_of(&heights, s.tree_sel, inner.height as usize);
    let mut y = (row - inner.y) as usize + offset;
    for (i, h) in heights {
        if y < h {
            return Some(i);
        }
        y -= h;
    }
    None
}

type Rows<'a> = Vec<(usize, Vec<Line<'a>>)>;

fn rows<'a>(app: &App, s: &'a Session, width: usize) -> Rows<'a> {
    s.visible_nodes()
        .into_iter()
        .map(|i| (i, node_lines(app, s, &s.live[i], i == s.tree_sel, width)))
        .collect()
}

fn row_height(s: &Session, i: usize, width: usize, answering: bool) -> usize {
    if i == s.tree_sel {
        1 + detail(answering, s, &s.live[i], width, "").len()
    } else {
        1 + usize::from(summary_evidence(&s.live[i]).is_some())
    }
}

fn offset(rows: &Rows, sel: usize, height: usize) -> usize {
    let heights: Vec<(usize, usize)> = rows.iter().map(|(i, l)| (*i, l.len())).collect();
    offset_of(&heights, sel, height)
}

/// The first line to show so that the selected node, opened, is in view; it always falls
/// on the start of a node, never in the middle of one.
fn offset_of(heights: &[(usize, usize)], sel: usize, height: usize) -> usize {
    let mut starts = Vec::with_capacity(heights.len());
    let mut top = 0;
    let mut need = None;
    for (i, h) in heights {
        starts.push(top);
        if *i == sel {
            need = Some(((top + h).saturating_sub(height), top));
        }
        top += h;
    }
    let Some((min, sel_top)) = need else {
        return 0;
    };
    starts
        .into_iter()
        .find(|&st| st >= min)
        .unwrap_or(sel_top)
        .min(sel_top)
}

/// Width of the answer column between the mark and the question.
const ANSWER_WIDTH: usize = 9;

/// The first piece of evidence, shown under an answered node that is not selected.
fn summary_evidence(node: &LiveNode) -> Option<&str> {
    match &node.state {
        NodeState::Answered(step) if step.by == AnsweredBy::Probe => {
            step.evidence.first().map(String::as_str)
        }
        _ => None,
    }
}

fn node_lines<'a>(
    app: &App,
    s: &Session,
    node: &'a LiveNode,
    selected: bool,
    width: usize,
) -> Vec<Line<'a>> {
    let t = Theme { color: app.color };
    let (mark, mark_style, answer, answer_style) = match &node.state {
        NodeState::Pending => ("·".to_string(), t.dim(), "…".to_string(), t.dim()),
        NodeState::Running => (spinner(app.tick), t.accent(), "checking".into(), t.accent()),
        NodeState::Skipped => ("–".into(), t.dim(), "n/a".into(), t.dim()),
        NodeState::Asking(q) => match s.answer_of(&q.key) {
            Some(_) => ("–".into(), t.person(), "skipped".into(), t.person()),
            None => (
                "?".into(),
                t.warn().patch(t.bold()),
                "you?".into(),
                t.warn().patch(t.bold()),
            ),
        },
        NodeState::Answered(step) => {
            let word = match step.answer {
                Answer::Yes => "yes",
                Answer::No => "no",
                Answer::Unknown => "unknown",
            };
            match step.by {
                AnsweredBy::Person => ("◆".into(), t.person(), format!("you:{word}"), t.person()),
                AnsweredBy::Probe if step.answer == Answer::Unknown => {
                    ("!".into(), t.warn(), word.into(), t.warn())
                }
                AnsweredBy::Probe => ("●".into(), t.accent(), word.into(), t.bold()),
            }
        }
    };
    let question_style = if node.state == NodeState::Skipped {
        t.dim()
    } else {
        t.plain()
    };
    let question = ellipsis(&node.question, width.saturating_sub(ANSWER_WIDTH + 2));
    let mut line = Line::from(vec![
        Span::styled(format!("{mark} "), mark_style),
        Span::styled(format!("{answer:<w$}", w = ANSWER_WIDTH), answer_style),
        Span::styled(question, question_style),
    ]);
    if selected {
        line = line.style(t.selected());
    }
    let mut lines = vec![line];
    if selected {
        lines.extend(
            detail(app.answering, s, node, width, &spinner(app.tick))
                .into_iter()
                .map(|(text, kind)| {
                    let style = match kind {
                        Detail::Evidence => t.plain(),
                        Detail::Hint => t.key(),
                        Detail::Note => t.dim(),
                    };
                    Line::styled(text, style)
                }),
        );
    } else if let Some(e) = summary_evidence(node) {
        let indent = " ".repeat(ANSWER_WIDTH + 2);
        lines.push(Line::styled(
            format!(
                "{indent}{}",
                ellipsis(e, width.saturating_sub(ANSWER_WIDTH + 2))
            ),
            t.dim(),
        ));
    }
    lines
}

#[derive(Clone, Copy)]
enum Detail {
    Evidence,
    Hint,
    Note,
}

/// The lines under the selected node, already wrapped.
fn detail(
    answering: bool,
    s: &Session,
    node: &LiveNode,
    width: usize,
    spin: &str,
) -> Vec<(String, Detail)> {
    let mut out = Vec::new();
    let mut add = |text: &str, kind| {
        let indent = " ".repeat(ANSWER_WIDTH + 2);
        for l in wrap(text, width.saturating_sub(ANSWER_WIDTH + 2)) {
            out.push((format!("{indent}{l}"), kind));
        }
    };
    match &node.state {
        NodeState::Pending => add("waits for a probe that has not started yet", Detail::Note),
        NodeState::Running => {
            let probe = node.probe.map(|p| p.as_str()).unwrap_or("a");
            add(
                &format!("{spin} the {probe} probe is running"),
                Detail::Note,
            )
        }
        NodeState::Skipped => add(
            "does not apply to this target, given what the probes found",
            Detail::Note,
        ),
        NodeState::Asking(q) => {
            if let Some(why) = &q.why {
                add(&format!("Why ask: {why}"), Detail::Note);
            }
            if answering {
                add("y yes · n no · s skip · Esc cancel", Detail::Hint)
            } else if s.answer_of(&q.key).is_some() {
                add("Enter answer · u take back the skip", Detail::Hint)
            } else {
                add("Enter, then y yes · n no · s skip", Detail::Hint)
            }
        }
        NodeState::Answered(step) => {
            for e in &step.evidence {
                add(&format!("• {e}"), Detail::Evidence);
            }
            match step.by {
                AnsweredBy::Person if answering => {
                    add("y yes · n no · s skip · Esc cancel", Detail::Hint)
                }
                AnsweredBy::Person => {
                    add("Enter change your answer · u take it back", Detail::Hint)
                }
                AnsweredBy::Probe => {
                    if step.evidence.is_empty() {
                        add(
                            "no probe result decided this, so it stays unknown",
                            Detail::Note,
                        );
                    }
                    if let Some(p) = &step.probe {
                        add(
                            &format!("answered by the {p} probe · r re-runs it"),
                            Detail::Note,
                        );
                    }
                }
            }
        }
    }
    out
}
