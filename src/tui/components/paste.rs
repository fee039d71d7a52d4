//! The paste box (p): the end of what was pasted, and what connfix makes of it as it
//! arrives: the kind, the program, the target, what it means and the likely causes. Enter
//! diagnoses the target.

use super::{Ctx, Outcome};
use crate::explain::Explanation;
use crate::knowledge::Knowledge;
use crate::tui::keys::{Binding, Key, hints, lookup};
use crate::tui::view::key_pair;
use crate::tui::view::layout::centered;
use crate::tui::view::text::{ellipsis, wrap};
use crate::tui::view::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

/// Lines of the paste shown (its end).
const PASTE_LINES: usize = 6;
/// Causes listed.
const CAUSES: usize = 3;

/// The paste box keeps at most this much text (the end of a longer paste).
pub const MAX_PASTE: usize = 1 << 20;

/// The paste box (p): an error pasted or typed, explained as it arrives.
#[derive(Debug, Default)]
pub struct PasteBox {
    pub text: String,
    pub explanation: Explanation,
    /// The text changed since it was last explained (typing is explained on the next tick,
    /// not on every key).
    pub stale: bool,
    /// Why Enter could not diagnose; cleared when the text changes.
    pub error: Option<String>,
    /// Pasted text beyond `MAX_PASTE` was dropped.
    pub cut: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Diagnose,
    NewLine,
    Close,
    Clear,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        label: "Enter",
        footer: "diagnose",
        help: "diagnose the target of the last error in the paste",
        action: Act::Diagnose,
    },
    Binding {
        keys: &[Key::Alt(KeyCode::Enter)],
        label: "Alt-Enter",
        footer: "new line",
        help: "a line break in typed text",
        action: Act::NewLine,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        label: "Esc",
        footer: "close",
        help: "close the paste box",
        action: Act::Close,
    },
    Binding {
        keys: &[Key::Ctrl('u')],
        label: "Ctrl-U",
        footer: "clear",
        help: "clear the text",
        action: Act::Clear,
    },
];

/// What the app must do for a paste-box key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    Diagnose,
    Close,
}

impl PasteBox {
    pub fn add(&mut self, more: &str) {
        // Terminals paste line breaks as CR (tmux does so by default).
        self.text
            .push_str(&more.replace("\r\n", "\n").replace('\r', "\n"));
        if self.text.len() > MAX_PASTE {
            // Keep the end, from a line start: the last error matters most.
            let mut cut = self.text.len() - MAX_PASTE;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            if let Some(nl) = self.text[cut..].find('\n') {
                cut += nl + 1;
            }
            self.text.drain(..cut);
            self.cut = true;
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.stale = true;
        self.error = None;
    }

    /// Explains the text if it changed.
    pub fn refresh(&mut self, kb: &Knowledge) {
        if self.stale {
            self.explanation = crate::explain::explain(&self.text, kb);
            self.stale = false;
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent) -> Outcome<Request> {
        match lookup(KEYS, key) {
            Some(Act::Diagnose) => return Outcome::Action(Request::Diagnose),
            Some(Act::Close) => return Outcome::Action(Request::Close),
            // Typed text needs line breaks too; Enter itself diagnoses.
            Some(Act::NewLine) => self.add("\n"),
            Some(Act::Clear) => *self = PasteBox::default(),
            None => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Char(c) if !ctrl => {
                        let mut buf = [0u8; 4];
                        self.add(c.encode_utf8(&mut buf));
                    }
                    KeyCode::Backspace => {
                        self.text.pop();
                        self.changed();
                    }
                    _ => {}
                }
            }
        }
        Outcome::Consumed
    }
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, pb: &PasteBox) {
    let t = ctx.theme;
    let width = 100.min(area.width.saturating_sub(2));
    let w = width.saturating_sub(2) as usize;
    let mut lines = paste_lines(pb, w, t);
    lines.push(Line::raw(""));
    lines.extend(explanation_lines(ctx.kb, pb, w, t));
    lines.push(Line::raw(""));
    // The box grows with what it shows; the keys stay on its last row.
    let max_rows = area.height.saturating_sub(4) as usize;
    let room = max_rows.saturating_sub(2);
    lines.truncate(room);
    if let Some(e) = &pb.error {
        lines.extend(wrap(e, w).into_iter().map(|l| Line::styled(l, t.warn())));
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

fn explanation_lines<'a>(kb: &Knowledge, pb: &PasteBox, w: usize, t: Theme) -> Vec<Line<'a>> {
    if pb.text.trim().is_empty() {
        return Vec::new();
    }
    let Some(f) = pb.explanation.main() else {
        return vec![Line::styled(
            "No connection error recognised yet. Paste all of it: the last lines usually say the most.",
            t.warn(),
        )];
    };
    let mut out = vec![Line::from(vec![
        Span::styled("✗ ", t.bad()),
        Span::styled(f.headline(kb), t.bold()),
    ])];
    let label = |s: &str| Span::styled(format!("{s:<8}"), t.dim());
    let target = f.target.shown();
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
        .map_or(String::new(), |a| format!("diagnose {a}"));
    // Enter's word names the target; the rest come from the table as they are.
    let mut spans = Vec::new();
    for h in hints(KEYS, |_| true) {
        let what = if h.label == "Enter" && !target.is_empty() {
            target.as_str()
        } else {
            h.footer
        };
        spans.extend(key_pair(h.label, what, t));
    }
    Line::from(spans)
}
