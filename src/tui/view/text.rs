//! Word wrapping and truncation by display width, so scrolling knows how many rows a text
//! takes before it is drawn.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps `text` to `width` columns at spaces; words longer than a line are cut. Each input
/// line gives at least one output line (so blank lines survive).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for line in text.lines() {
        let first = out.len();
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let mut cur = String::new();
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let need = if cur.is_empty() {
                indent.width() + word.width()
            } else {
                cur.width() + 1 + word.width()
            };
            if need > width && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if cur.is_empty() {
                cur.push_str(&indent);
            } else {
                cur.push(' ');
            }
            cur.push_str(word);
            while cur.width() > width {
                let mut head = truncate(&cur, width);
                if head.is_empty() {
                    // A character wider than the line still goes somewhere.
                    head = cur.chars().next().map(String::from).unwrap_or_default();
                }
                let rest = cur[head.len()..].to_string();
                out.push(head);
                cur = rest;
            }
        }
        // Blank lines survive; the empty tail left by a cut word does not.
        if !cur.is_empty() || out.len() == first {
            out.push(cur);
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// The longest prefix of `s` that fits in `width` columns.
pub fn truncate(s: &str, width: usize) -> String {
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    s[..end].to_string()
}

/// `s` cut to `width` columns with an ellipsis when it does not fit.
pub fn ellipsis(s: &str, width: usize) -> String {
    if s.width() <= width {
        s.to_string()
    } else if width == 0 {
        String::new()
    } else {
        format!("{}…", truncate(s, width - 1))
    }
}

/// Cuts `text` into rows of `width` columns, keeping every space (tables and code stay
/// aligned); rows after the first start with `indent` spaces.
pub fn hard_wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 2);
    let mut out = Vec::new();
    let mut rest = text.to_string();
    loop {
        let room = if out.is_empty() {
            width
        } else {
            width - indent
        };
        if rest.width() <= room {
            break;
        }
        let head = truncate(&rest, room);
        if head.is_empty() {
            break;
        }
        rest = rest[head.len()..].to_string();
        out.push(head);
    }
    out.push(rest);
    let pad = " ".repeat(indent);
    (out.into_iter().enumerate())
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_wrap_keeps_spaces_and_indents_the_rest() {
        assert_eq!(hard_wrap("a  b", 10, 2), vec!["a  b"]);
        assert_eq!(hard_wrap("abcdef", 4, 2), vec!["abcd", "  ef"]);
        assert_eq!(hard_wrap("abcdefgh", 4, 2), vec!["abcd", "  ef", "  gh"]);
    }

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 5), ["a", "", "b"]);
        assert_eq!(
            wrap("  indented words here", 12),
            ["  indented", "  words here"]
        );
        // A double-width character on a one-column line must not loop forever.
        assert_eq!(wrap("界面", 1), ["界", "面"]);
        assert_eq!(wrap("x", 0), ["x"]);
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(ellipsis("héllo wörld", 6), "héllo…");
        assert_eq!(ellipsis("短い文字列", 5), "短い…");
        assert_eq!(ellipsis("ok", 5), "ok");
    }
}
