//! The document tree a report is built as, shared by the Markdown and the HTML writers,
//! and the inline Markdown (`code`, **bold**) that knowledge text uses.

/// How a status word is coloured in HTML (Markdown shows the word alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Bad,
    Warn,
    Muted,
}

impl Tone {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Warn => "warn",
            Tone::Muted => "muted",
        }
    }
}

/// A run of inline text. All text is kept raw here; each writer escapes it for its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Span {
    Text(String),
    Code(String),
    Strong(String),
    Mark(Tone, String),
}

pub(crate) type Line = Vec<Span>;

/// A list item: one line, and optionally bullets nested under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub line: Line,
    pub sub: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Para(Line),
    List {
        ordered: bool,
        items: Vec<Item>,
    },
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<Line>>,
    },
    Code {
        caption: Line,
        lang: String,
        code: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// A stable anchor for HTML (`timeline`, `step-<id>`).
    pub anchor: String,
    pub title: Line,
    pub blocks: Vec<Block>,
    /// Subsections one heading level down (the steps of a checklist).
    pub parts: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    pub title: Line,
    pub summary: Vec<Block>,
    pub sections: Vec<Section>,
}

/// The words of a line without any formatting (for the HTML `<title>`).
pub(crate) fn plain(line: &Line) -> String {
    line.iter()
        .map(|s| match s {
            Span::Text(t) | Span::Code(t) | Span::Strong(t) | Span::Mark(_, t) => t.as_str(),
        })
        .collect()
}

pub(super) fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

pub(super) fn code(s: impl Into<String>) -> Span {
    Span::Code(s.into())
}

pub(super) fn strong(s: impl Into<String>) -> Span {
    Span::Strong(s.into())
}

pub(super) fn item(line: Line) -> Item {
    Item {
        line,
        sub: Vec::new(),
    }
}

/// A summary entry: a bold label, then the rest.
pub(super) fn labelled(label: &str, mut rest: Line) -> Item {
    rest.insert(0, strong(format!("{label}:")));
    rest.insert(1, text(" "));
    item(rest)
}

/// Reads the little Markdown that knowledge files use inline (`code` and **bold**) into
/// spans, so the HTML shows it formatted rather than as backticks and asterisks.
pub(crate) fn parse_inline(s: &str) -> Line {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut rest = s;
    let flush = |pending: &mut String, out: &mut Line| {
        if !pending.is_empty() {
            out.push(Span::Text(std::mem::take(pending)));
        }
    };
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let n = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..n];
            let after = &rest[n..];
            if let Some(end) = find_run(after, fence) {
                flush(&mut pending, &mut out);
                let inner = &after[..end];
                let inner = match inner.strip_prefix(' ').and_then(|x| x.strip_suffix(' ')) {
                    Some(x) if !x.trim().is_empty() => x,
                    _ => inner,
                };
                out.push(Span::Code(inner.to_string()));
                rest = &after[end + n..];
            } else {
                pending.push_str(fence);
                rest = after;
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**").filter(|&e| e > 0)
        {
            flush(&mut pending, &mut out);
            out.push(Span::Strong(after[..end].to_string()));
            rest = &after[end + 2..];
            continue;
        }
        pending.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut pending, &mut out);
    out
}

/// Where a run of exactly `fence` backticks starts in `s`.
pub(super) fn find_run(s: &str, fence: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let n = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if n == fence.len() {
                return Some(i);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_reads_code_and_bold() {
        assert_eq!(
            parse_inline("run `ss -ltnp` and **check** `a``b`"),
            vec![
                text("run "),
                code("ss -ltnp"),
                text(" and "),
                strong("check"),
                text(" "),
                code("a``b"),
            ]
        );
        assert_eq!(parse_inline("a ` lone"), vec![text("a ` lone")]);
    }
}
