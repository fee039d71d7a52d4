//! The paste box (p): the end of what was pasted, and what connfix makes of it as it
//! arrives: the kind, the program, the target, what it means and the likely causes. Enter
//! diagnoses the target.

use super::layout::centered;
use super::text::{ellipsis, wrap};
use super::theme::Theme;
use crate::tui::app::{App, PasteBox};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

/// Lines of the paste shown (its end).
const PASTE_LINES: usize = 6;
/// Causes listed.
const CAUSES: usize = 3;

pub fn render(frame: &mut Frame, area: Rect, app: &App, pb: &PasteBox) {
    let t = Theme { color: app.color };
    let width = 100.min(area.width.saturating_sub(2));
    let w = width.saturating_sub(2) as usize;
    let mut lines = paste_lines(pb, w, t);
    lines.push(Line::raw(""));
    lines.extend(explanation_lines(app, pb, w, t));
    lines.push(Line::raw(""));
    // The box grows with what it shows; the keys stay on its last row.
    let max_rows = area.height.saturating_sub(4) as usize;
    let room = max_rows.saturating_sub(2);
    lines.truncate(room);
    if let Some(e) = &pb.error {
        lines.push(Line::styled(ellipsis(e, w), t.warn()));
    }
    lines.push(keys(pb, t));
    let r = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(t.accent())
        .title(" Explain a pasted error ")
        .title_style(t.key());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn paste_lines<'a>(pb: &PasteBox, w: usize, t: Theme) -> Vec<Line<'a>> {
    if pb.text.trim().is_empty() {
        return vec![
            Line::raw("Paste what your program printed: one line, a traceback or a log excerpt."),
            Line::styled(
                "Your terminal's paste works here (Ctrl-Shift-V, Cmd-V, right click); so does typing.",
                t.dim(),
            ),
        ];
    }
    let all: Vec<&str> = pb.text.lines().collect();
    let mut out = vec![Line::styled(
        format!(
            "Pasted {} line{}, {} bytes{}:",
            all.len(),
            if all.len() == 1 { "" } else { "s" },
            pb.text.len(),
            if pb.cut { " (its end only)" } else { "" }
        ),
        t.accent(),
    )];
    let skip = all.len().saturating_sub(PASTE_LINES);
    if skip > 0 {
        out.push(Line::styled(format!("  … {skip} lines above"), t.dim()));
    }
    for l in &all[skip..] {
        let shown = crate::target::redact_text(&l.replace('\t', "    "));
        let shown = crate::sanitize::visible(&shown).into_owned();
        out.push(Line::styled(
            format!("  {}", ellipsis(&shown, w.saturating_sub(2))),
            t.dim(),
        ));
    }
    out
}

fn explanation_lines<'a>(app: &App, pb: &PasteBox, w: usize, t: Theme) -> Vec<Line<'a>> {
    if pb.text.trim().is_empty() {
        return Vec::new();
    }
    let Some(f) = pb.explanation.main() else {
        return vec![Line::styled(
            "No connection error recognised yet. Paste all of it: the last lines usually say the most.",
            t.warn(),
        )];
    };
    let kb = &app.kb;
    let mut out = vec![Line::from(vec![
        Span::styled("✗ ", t.bad()),
        Span::styled(f.headline(kb), t.bold()),
    ])];
    let label = |s: &str| Span::styled(format!("{s:<8}"), t.dim());
    let target = if f.target.is_empty() {
        "not named in the text".to_string()
    } else {
        f.target.display()
    };
    out.push(Line::from(vec![label("target"), Span::raw(target)]));
    for (i, l) in wrap(&f.summary, w.saturating_sub(8))
        .into_iter()
        .enumerate()
    {
        out.push(Line::from(vec![
            label(if i == 0 { "means" } else { "" }),
            Span::raw(l),
        ]));
    }
    if let Some(e) = f.evidence.first() {
        out.push(Line::from(vec![
            label("seen"),
            Span::styled(
                ellipsis(
                    &crate::sanitize::visible(&format!("line {}: {}", e.line, e.text)),
                    w.saturating_sub(8),
                ),
                t.dim(),
            ),
        ]));
    }
    let causes: Vec<_> = f.knowledge.iter().filter_map(|id| kb.cause(id)).collect();
    if !causes.is_empty() {
        out.push(Line::styled("Likely causes:", t.accent()));
        for (i, c) in causes.iter().take(CAUSES).enumerate() {
            out.push(Line::raw(ellipsis(&format!("  {}. {}", i + 1, c.title), w)));
        }
    }
    let others = pb.explanation.findings.len() - 1;
    if others > 0 {
        out.push(Line::styled(
            format!(
                "{others} earlier error{} in the paste; Enter diagnoses the last one.",
                if others == 1 { "" } else { "s" }
            ),
            t.dim(),
        ));
    }
    out
}

fn keys<'a>(pb: &PasteBox, t: Theme) -> Line<'a> {
    let target = pb
        .explanation
        .main()
        .and_then(|f| f.target.check_arg())
        .map_or(String::new(), |a| format!(" {a}"));
    Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(format!(" diagnose{target}  ")),
        Span::styled("Alt-Enter", t.key()),
        Span::raw(" new line  "),
        Span::styled("Esc", t.key()),
        Span::raw(" close  "),
        Span::styled("Ctrl-U", t.key()),
        Span::raw(" clear"),
    ])
}
