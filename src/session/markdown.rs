//! The Markdown report of a session, in the order a ticket reader needs it: the summary
//! (target, verdict, the action to take), the fix and its commands, then the causes,
//! evidence, decision path, open questions, notes, checklist and timeline.
//!
//! The report is first put together as a small document tree ([`Doc`], built in
//! `sections.rs`); this file writes that tree as Markdown and `html.rs` writes the same tree
//! as HTML, so the two formats always carry the same content in the same order.

use super::SessionRecord;
use super::doc::*;
use super::sections::document;

pub fn render(rec: &SessionRecord) -> String {
    // Notes, pastes and probe text come from outside: nothing in them may act on the
    // terminal or the viewer the report is pasted into.
    crate::sanitize::visible(&write(&document(rec))).into_owned()
}

fn write(doc: &Doc) -> String {
    let mut blocks = vec![format!("# {}", md_line(&doc.title, false))];
    blocks.extend(doc.summary.iter().map(md_block));
    for s in &doc.sections {
        md_section(s, 2, &mut blocks);
    }
    let text = blocks.join("\n\n");
    let mut out: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

fn md_section(s: &Section, level: usize, out: &mut Vec<String>) {
    out.push(format!(
        "{} {}",
        "#".repeat(level),
        md_line(&s.title, false)
    ));
    out.extend(s.blocks.iter().map(md_block));
    for p in &s.parts {
        md_section(p, level + 1, out);
    }
}

fn md_block(b: &Block) -> String {
    match b {
        Block::Para(line) => md_line(line, false),
        Block::List { ordered, items } => {
            let mut out = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{}. ", i + 1)
                } else {
                    "- ".to_string()
                };
                out.push(format!("{marker}{}", md_line(&it.line, false)));
                let indent = " ".repeat(marker.len());
                for sub in &it.sub {
                    out.push(format!("{indent}- {}", md_line(sub, false)));
                }
            }
            out.join("\n")
        }
        Block::Table { head, rows } => {
            let mut out = vec![
                format!("| {} |", head.join(" | ")),
                format!("|{}", " --- |".repeat(head.len())),
            ];
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| md_line(c, true)).collect();
                out.push(format!("| {} |", cells.join(" | ")));
            }
            out.join("\n")
        }
        Block::Code {
            caption,
            lang,
            code,
        } => {
            let longest = longest_run(code, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            let body: Vec<&str> = code.lines().map(str::trim_end).collect();
            let block = format!("{fence}{lang}\n{}\n{fence}", body.join("\n"));
            if caption.is_empty() {
                block
            } else {
                format!("{}\n\n{block}", md_line(caption, false))
            }
        }
    }
}

fn md_line(line: &Line, in_table: bool) -> String {
    line.iter().map(|s| md_span(s, in_table)).collect()
}

fn md_span(s: &Span, in_table: bool) -> String {
    match s {
        Span::Text(t) | Span::Mark(_, t) => md_text(t, in_table),
        Span::Strong(t) if t.trim().is_empty() => md_text(t, in_table),
        Span::Strong(t) => format!("**{}**", md_text(t, in_table)),
        Span::Code(t) => {
            let t = one_line(t);
            let t = if in_table { t.replace('|', "\\|") } else { t };
            let fence = "`".repeat(longest_run(&t, '`') + 1);
            if t.starts_with('`') || t.ends_with('`') || t.is_empty() {
                format!("{fence} {t} {fence}")
            } else {
                format!("{fence}{t}{fence}")
            }
        }
    }
}

/// Newlines folded into spaces: every piece of record text sits on one Markdown line.
fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plain text made safe for Markdown without making it hard to read as plain text: a `<`
/// that could open an HTML tag gets a backslash (CommonMark's escape), and so does `|`
/// inside a table cell. Other characters are left as typed.
fn md_text(s: &str, in_table: bool) -> String {
    let s = one_line_keep_edges(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            '|' if in_table => out.push_str("\\|"),
            _ => out.push(c),
        }
    }
    out
}

/// Like [`one_line`], but keeps a leading or trailing space (spans are joined as written).
fn one_line_keep_edges(s: &str) -> String {
    if !s.contains(['\n', '\r']) {
        return s.to_string();
    }
    let lead = if s.starts_with(' ') { " " } else { "" };
    let trail = if s.ends_with(' ') { " " } else { "" };
    format!("{lead}{}{trail}", one_line(s))
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut n = 0;
    for x in s.chars() {
        if x == c {
            n += 1;
            best = best.max(n);
        } else {
            n = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_is_escaped_only_where_it_matters() {
        assert_eq!(md_text("<script> x < 5 | y", false), "\\<script> x < 5 | y");
        assert_eq!(md_text("a | b", true), "a \\| b");
        assert_eq!(md_span(&code("a|b"), true), "`a\\|b`");
        assert_eq!(md_span(&code("x `y` z"), false), "``x `y` z``");
    }
}
