//! The causes and fixes: ranked causes on the left; on the right the selected one in full
//! (why connfix thinks so, how to confirm, how to fix, code in six languages, what not to do).

use super::{Cached, Ctx, Scrolled};
use crate::diagnose::engine::RankedCause;
use crate::knowledge::Knowledge;
use crate::knowledge::causes::{Confidence, LANGUAGES, Severity};
use crate::tui::diagnosis::Diagnosis;
use crate::tui::keys::{self, Binding, Hint, Key, Scroll};
use crate::tui::view::text::{ellipsis, hard_wrap, wrap};
use crate::tui::view::theme::Theme;
use crate::tui::view::{highlight, pane_block, scrolled_lines};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Margin, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The language names shown on the snippet tabs, in the order of [`LANGUAGES`].
pub const LANGUAGE_LABELS: [&str; 6] = ["Python", "Node.js", "Go", "Java", "Rust", "Shell"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Up,
    Down,
    PrevLanguage,
    NextLanguage,
    Language(usize),
    Scroll(Scroll),
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑ k",
        footer: "",
        help: "select the cause above (or click one)",
        action: Act::Up,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓ j",
        footer: "cause",
        help: "select the cause below",
        action: Act::Down,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Left), Key::Char('[')],
        label: "← [",
        footer: "",
        help: "previous code language",
        action: Act::PrevLanguage,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Right), Key::Char(']')],
        label: "→ ]",
        footer: "language",
        help: "next code language",
        action: Act::NextLanguage,
    },
    Binding {
        keys: &[Key::Char('1')],
        label: "1-6",
        footer: "",
        help: "code language: 1 Python, 2 Node.js, 3 Go, 4 Java, 5 Rust, 6 Shell",
        action: Act::Language(0),
    },
    Binding {
        keys: &[Key::Char('2')],
        label: "",
        footer: "",
        help: "",
        action: Act::Language(1),
    },
    Binding {
        keys: &[Key::Char('3')],
        label: "",
        footer: "",
        help: "",
        action: Act::Language(2),
    },
    Binding {
        keys: &[Key::Char('4')],
        label: "",
        footer: "",
        help: "",
        action: Act::Language(3),
    },
    Binding {
        keys: &[Key::Char('5')],
        label: "",
        footer: "",
        help: "",
        action: Act::Language(4),
    },
    Binding {
        keys: &[Key::Char('6')],
        label: "",
        footer: "",
        help: "",
        action: Act::Language(5),
    },
    Binding {
        keys: &[Key::Char('K')],
        label: "K",
        footer: "",
        help: "scroll the details up a line (also the mouse wheel)",
        action: Act::Scroll(Scroll::Up),
    },
    Binding {
        keys: &[Key::Char('J')],
        label: "J",
        footer: "scroll",
        help: "scroll the details down a line",
        action: Act::Scroll(Scroll::Down),
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageUp)],
        label: "PgUp",
        footer: "",
        help: "scroll the details up ten lines",
        action: Act::Scroll(Scroll::PageUp),
    },
    Binding {
        keys: &[Key::Code(KeyCode::PageDown), Key::Char(' ')],
        label: "PgDn Space",
        footer: "",
        help: "scroll the details down ten lines",
        action: Act::Scroll(Scroll::PageDown),
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Char('g')],
        label: "g Home",
        footer: "",
        help: "the details' top",
        action: Act::Scroll(Scroll::Top),
    },
    Binding {
        keys: &[Key::Code(KeyCode::End), Key::Char('G')],
        label: "G End",
        footer: "",
        help: "the details' end",
        action: Act::Scroll(Scroll::Bottom),
    },
];

#[derive(Debug, Default)]
pub struct CausesPane {
    pub sel: usize,
    pub lang: usize,
    pub detail: Scrolled,
    list_drawn: Rect,
    detail_drawn: Rect,
    list_offset: usize,
    /// (report generation, cause, language, width, colour, search).
    cache: Cached<(u64, usize, usize, u16, bool, Option<String>)>,
}

impl CausesPane {
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(KEYS, |_| true)
            .into_iter()
            .filter(|h| !h.label.is_empty())
            .collect()
    }

    /// Keeps the selection inside a new report's causes.
    pub fn follow(&mut self, d: &Diagnosis) {
        if self.sel >= d.report.causes.len() {
            self.sel = 0;
            self.detail.offset = 0;
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, d: &Diagnosis, kb: &Knowledge) -> bool {
        let Some(act) = keys::lookup(KEYS, key) else {
            return false;
        };
        // The list shows "waiting" until a cause is found: nothing to select yet.
        let n = d.report.causes.len();
        let langs = LANGUAGES.len();
        let lang = match act {
            Act::PrevLanguage => Some((self.lang + langs - 1) % langs),
            Act::NextLanguage => Some((self.lang + 1) % langs),
            Act::Language(i) => Some(i),
            _ => None,
        };
        if let Some(lang) = lang {
            self.lang = lang;
            // Bring the snippets into view: that is what the person is looking for.
            let width = self.detail_width();
            if let Some(line) = detail_lines(
                d,
                self,
                width,
                kb,
                crate::tui::view::theme::Theme { color: false },
            )
            .iter()
            .position(|l| l.spans.first().is_some_and(|sp| sp.content == CODE_HEADING))
            {
                self.detail.offset = line;
            }
            return true;
        }
        match act {
            Act::Up if self.sel > 0 => {
                self.sel -= 1;
                self.detail.offset = 0;
            }
            Act::Down if self.sel + 1 < n => {
                self.sel += 1;
                self.detail.offset = 0;
            }
            Act::Scroll(s) => self.detail.apply(s),
            _ => {}
        }
        true
    }

    fn detail_width(&self) -> usize {
        match self.detail_drawn.inner(Margin::new(1, 1)).width as usize {
            0 => 80,
            w => w,
        }
    }

    pub fn contains(&self, at: Position) -> bool {
        self.list_drawn.contains(at) || self.detail_drawn.contains(at)
    }

    /// A click in the list selects that cause.
    pub fn click(&mut self, d: &Diagnosis, at: Position) {
        let inner = self.list_drawn.inner(Margin::new(1, 1));
        if !inner.contains(at) {
            return;
        }
        let row = (at.y - inner.y) as usize + self.list_offset;
        if row < d.report.causes.len() {
            self.sel = row;
            self.detail.offset = 0;
        }
    }

    pub fn wheel(&mut self, down: bool) {
        self.detail.wheel(down);
    }

    /// Shows cause `cause` with line `line` of its details in view (a search match).
    pub fn show(&mut self, cause: usize, line: usize) {
        self.sel = cause;
        self.detail.offset = line.saturating_sub(1);
    }

    /// Every cause's detail lines at the width last drawn, for searching.
    pub fn all_details(&self, d: &Diagnosis, kb: &Knowledge) -> Vec<Vec<Line<'static>>> {
        let width = self.detail_width();
        let mut probe = CausesPane {
            lang: self.lang,
            ..CausesPane::default()
        };
        (0..d.report.causes.len())
            .map(|i| {
                probe.sel = i;
                detail_lines(
                    d,
                    &probe,
                    width,
                    kb,
                    crate::tui::view::theme::Theme { color: false },
                )
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        frame: &mut Frame,
        list: Rect,
        detail: Rect,
        focused: bool,
        d: &Diagnosis,
        search: Option<&str>,
        ctx: &Ctx,
    ) {
        self.list_drawn = list;
        self.detail_drawn = detail;
        let t = ctx.theme;
        if !list.is_empty() {
            let block = pane_block(&t, " Causes ", focused);
            let inner = block.inner(list);
            frame.render_widget(block, list);
            let rows = list_lines(d, self.sel, inner.width as usize, ctx);
            self.list_offset = (self.sel + 1).saturating_sub((inner.height as usize).max(1));
            frame.render_widget(
                Paragraph::new(rows).scroll((self.list_offset as u16, 0)),
                inner,
            );
        }
        if detail.is_empty() {
            return;
        }
        let title = match d.report.causes.get(self.sel) {
            Some(c) if d.report.provisional => format!(" {} (provisional) ", c.id),
            Some(c) => format!(" {} ", c.id),
            _ => " Fix ".to_string(),
        };
        let block = pane_block(&t, &title, focused);
        let inner = block.inner(detail);
        frame.render_widget(block, detail);
        let key = (
            d.generation,
            self.sel,
            self.lang,
            inner.width,
            t.color,
            search.map(str::to_string),
        );
        let (sel, lang) = (self.sel, self.lang);
        let lines = self.cache.get(key, || {
            let pane = CausesPane {
                sel,
                lang,
                ..CausesPane::default()
            };
            let mut lines = detail_lines(d, &pane, inner.width as usize, ctx.kb, t);
            if let Some(q) = search {
                highlight(&mut lines, q, t.search());
            }
            lines
        });
        self.detail.fit(lines.len(), inner.height as usize);
        scrolled_lines(frame, detail, inner, lines, self.detail.offset);
    }
}

fn list_lines(d: &Diagnosis, sel: usize, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let waiting = d.slots.len() - d.done_count();
    let waiting_line = || {
        Line::styled(
            format!(
                "waiting for {waiting} probe{}…",
                if waiting == 1 { "" } else { "s" }
            ),
            t.dim(),
        )
    };
    if d.report.causes.is_empty() && !d.all_done() {
        return vec![waiting_line()];
    }
    let mut rows: Vec<Line<'static>> = (d.report.causes.iter().enumerate())
        .map(|(i, c)| {
            let (mark, style) = mark(&t, ctx.kb, &c.id);
            let conf = c.confidence.as_str();
            // Ids are short and stable; the title heads the details beside.
            let name = ellipsis(&c.id, width.saturating_sub(conf.len() + 3));
            let pad = width.saturating_sub(2 + name.chars().count() + conf.len() + 1);
            let mut line = Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(name),
                Span::raw(" ".repeat(pad)),
                Span::styled(format!(" {conf}"), confidence_style(&t, c.confidence)),
            ]);
            if i == sel {
                line = line.style(t.selected());
            }
            line
        })
        .collect();
    if d.report.provisional {
        rows.push(waiting_line());
    }
    rows
}

/// The mark and style of a cause by its severity: ✓ fine, ▲ a warning, ✗ a problem.
pub fn mark(t: &Theme, kb: &Knowledge, id: &str) -> (&'static str, Style) {
    match kb.cause(id).map(|k| k.severity) {
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

const CODE_HEADING: &str = "Code  (←/→ or 1-6 language · C copy)";

/// Every line of the detail view of the selected cause.
pub fn detail_lines(
    s: &Diagnosis,
    pane: &CausesPane,
    width: usize,
    kb: &Knowledge,
    t: Theme,
) -> Vec<Line<'static>> {
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
    let Some(rc) = s.report.causes.get(pane.sel) else {
        para(&mut out, "No cause matched.", t.dim());
        return out;
    };
    // The verdict's title is in the band above; other causes say theirs here. The action
    // is always here in full (the band may have had to cut it).
    if rc.id != s.report.verdict.id {
        let (mark, style) = mark(&t, kb, &rc.id);
        para(
            &mut out,
            &format!("{mark} {} ({})", rc.title, rc.confidence.as_str()),
            style.patch(t.bold()),
        );
    }
    if !rc.action.is_empty() {
        para(&mut out, &format!("→ {}", rc.action), t.bold());
    }
    // The fix comes first: it is what the person acts on.
    heading(&mut out, &t, "How to fix it");
    for (i, f) in rc.fixes.iter().enumerate() {
        para(&mut out, &format!("{}. {f}", i + 1), t.plain());
    }
    if !rc.commands.is_empty() {
        heading(&mut out, &t, "Commands for this machine  (c copies them)");
        for c in &rc.commands {
            para(&mut out, &format!("# {}", c.purpose), t.dim());
            for l in hard_wrap(&format!("  {}", c.command), width, 4) {
                out.push(Line::styled(l, t.code()));
            }
        }
    }
    heading(&mut out, &t, "Why connfix thinks so");
    para(&mut out, &rc.summary, t.plain());
    for e in &rc.evidence {
        para(&mut out, &format!("• {e}"), t.plain());
    }
    snippets(&mut out, &t, rc, pane.lang, width);
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
    if !out.is_empty() {
        out.push(Line::raw(""));
    }
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
            // Code wraps onto indented rows, never cut: what is copied is what is read.
            for l in sn.code.lines() {
                for part in hard_wrap(&format!("  {}", l.replace('\t', "    ")), width, 4) {
                    out.push(Line::styled(part, t.code()));
                }
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
            for part in hard_wrap(&format!("  {}", line.replace('\t', "    ")), width, 4) {
                out.push(Line::styled(part, t.code()));
            }
        } else {
            out.extend(with_code_spans(wrap(line, width), t.plain(), t.code()));
        }
    }
}
