//! Text from outside (the network, the process table, pastes, notes, knowledge files,
//! session files) never reaches a terminal, a report or a JSON reader with characters that
//! act instead of showing: C0 controls but newline and tab, DEL, C1 controls (U+0080 to
//! U+009F, which some terminals obey like ESC), bidirectional overrides and isolates (they
//! reorder what a person reads) and zero-width characters (they hide text). They are shown
//! as `\u{1b}` instead.

use std::borrow::Cow;

/// Whether `c` would act on a terminal or a reader rather than show.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
    ) || c == '\r'
}

/// `s` with every hidden character written visibly as `\u{..}`; newlines and tabs stay.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every hidden character written as `U+001B`: for text that is itself parsed
/// afterwards (TOML, Markdown), where a backslash would start an escape.
pub fn visible_plain(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if is_hidden(c) {
                    format!("U+{:04X}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// JSON text with the hidden characters serde_json leaves raw (DEL, C1, bidi, zero-width)
/// written as `\uXXXX` escapes, which every JSON reader turns back into the same string.
/// They can only occur inside strings, so replacing them anywhere is safe.
pub fn json(text: String) -> String {
    if !text.chars().any(|c| is_hidden(c) && c as u32 >= 0x7f) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) && c as u32 >= 0x7f {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Hidden characters in `text`: (1-based line, 1-based column, the character), at most
/// `MAX_FOUND` of them (a file full of them needs one look, not a list of thousands). A
/// CR that ends a line (CRLF) does not count. Linear in the text.
pub fn find_hidden(text: &str) -> Vec<(usize, usize, char)> {
    const MAX_FOUND: usize = 20;
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let body = line.strip_suffix('\r').unwrap_or(line);
        for (j, c) in body.chars().enumerate() {
            if is_hidden(c) {
                out.push((i + 1, j + 1, c));
                if out.len() == MAX_FOUND {
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acting_characters_become_visible() {
        assert_eq!(visible("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(visible("\u{1b}]52;c;eA==\u{7}"), "\\u{1b}]52;c;eA==\\u{7}");
        assert_eq!(visible("a\u{9b}2J"), "a\\u{9b}2J");
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(visible("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(visible("café ü 日本"), "café ü 日本");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let v = serde_json::json!({"s": "x\u{9b}y\u{202e}z\u{1b}"});
        let text = json(serde_json::to_string(&v).unwrap());
        assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}') && !text.contains('\u{1b}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn found_with_lines_and_columns() {
        assert_eq!(find_hidden("ok\nx\u{1b}y\r\n"), vec![(2, 2, '\u{1b}')]);
    }
}
