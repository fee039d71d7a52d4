//! The HTML report of a session: one self-contained file, readable on screen and on paper.
//!
//! It writes the same document tree as the Markdown report (see `markdown.rs`), so both
//! carry the same content in the same order. No scripts, no external files: the style sheet
//! is inline and uses the system's fonts.

use super::SessionRecord;
use super::doc::{Block, Doc, Line, Section, Span, plain};
use super::sections::document;
use std::fmt::Write;

pub fn render(rec: &SessionRecord) -> String {
    crate::sanitize::visible(&write_doc(&document(rec))).into_owned()
}

/// Makes text safe inside HTML elements and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; }
body {
  margin: 0 auto; max-width: 60rem; padding: 1.5rem 1rem 3rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; background: #ffffff;
}
h1 { font-size: 1.5rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
code { background: #eff1f3; padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: .75rem 1rem; overflow-x: auto; }
pre code { background: none; padding: 0; }
figure { margin: .75rem 0; }
figcaption { margin-bottom: .35rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid #e1e4e8; }
th { background: #f6f8fa; }
td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
li { margin: .2rem 0; }
li > ul { margin: .15rem 0 .4rem; padding-left: 1.4rem; }
ul.summary { list-style: none; margin: 0; padding: .75rem 1rem; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; }
section.part { margin: 1rem 0; padding: .6rem .9rem; border: 1px solid #d0d7de; border-radius: 6px; }
section.part ul { margin: 0; padding-left: 1.2rem; }
.good { color: #116329; font-weight: 600; }
.bad { color: #b3261e; font-weight: 600; }
.warn { color: #8a5300; font-weight: 600; }
.muted { color: #59636e; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  *, *::before, *::after { background: none !important; color: #000000 !important; box-shadow: none !important; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  pre, th, td, ul.summary, section.part, h2 { border-color: #888888 !important; }
  h2, h3, figcaption { break-after: avoid; page-break-after: avoid; }
  li, tr, figure, pre, section.part { break-inside: avoid; page-break-inside: avoid; }
}
"#;

fn write_doc(doc: &Doc) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&plain(&doc.title)));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", line(&doc.title));
    for b in &doc.summary {
        block(b, &mut out, Some("summary"));
    }
    out.push_str("</header>\n<main>\n");
    for s in &doc.sections {
        section(s, 2, &mut out);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn section(s: &Section, level: usize, out: &mut String) {
    let class = if level > 2 { " class=\"part\"" } else { "" };
    let _ = writeln!(out, "<section id=\"{}\"{class}>", escape(&s.anchor));
    let _ = writeln!(out, "<h{level}>{}</h{level}>", line(&s.title));
    for b in &s.blocks {
        block(b, out, None);
    }
    for p in &s.parts {
        section(p, level + 1, out);
    }
    out.push_str("</section>\n");
}

fn block(b: &Block, out: &mut String, class: Option<&str>) {
    let class = class
        .map(|c| format!(" class=\"{}\"", escape(c)))
        .unwrap_or_default();
    match b {
        Block::Para(l) => {
            let _ = writeln!(out, "<p{class}>{}</p>", line(l));
        }
        Block::List { ordered, items } => {
            let tag = if *ordered { "ol" } else { "ul" };
            let _ = writeln!(out, "<{tag}{class}>");
            for it in items {
                out.push_str("<li>");
                out.push_str(&line(&it.line));
                if !it.sub.is_empty() {
                    out.push_str("\n<ul>\n");
                    for sub in &it.sub {
                        let _ = writeln!(out, "<li>{}</li>", line(sub));
                    }
                    out.push_str("</ul>\n");
                }
                out.push_str("</li>\n");
            }
            let _ = writeln!(out, "</{tag}>");
        }
        Block::Table { head, rows } => {
            let _ = writeln!(out, "<table{class}>\n<thead>\n<tr>");
            for h in head {
                let _ = writeln!(out, "<th scope=\"col\">{}</th>", escape(h));
            }
            out.push_str("</tr>\n</thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    let _ = write!(out, "<td>{}</td>", line(cell));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        Block::Code {
            caption,
            lang,
            code,
        } => {
            out.push_str("<figure>\n");
            if !caption.is_empty() {
                let _ = writeln!(out, "<figcaption>{}</figcaption>", line(caption));
            }
            let body: Vec<&str> = code.lines().map(str::trim_end).collect();
            let _ = writeln!(
                out,
                "<pre><code class=\"language-{}\">{}</code></pre>\n</figure>",
                escape(lang),
                escape(&body.join("\n"))
            );
        }
    }
}

fn line(l: &Line) -> String {
    l.iter()
        .map(|s| match s {
            Span::Text(t) => escape(t),
            Span::Code(t) => format!("<code>{}</code>", escape(t)),
            Span::Strong(t) => format!("<strong>{}</strong>", escape(t)),
            Span::Mark(tone, t) => format!("<span class=\"{}\">{}</span>", tone.class(), escape(t)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
