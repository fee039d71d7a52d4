//! Any bytes as a paste: explaining never panics, never finds more than it may report, and
//! never shows a password from a URL in its evidence (nor in a finding's summary, target or
//! next command).
//!
//! The password oracle has no false positives: it only looks at a password written in a URL's
//! userinfo (`scheme://user:password@host`, all in one word; a password-looking string in a
//! path or a query is not one), and only when that password occurs nowhere else in the paste,
//! nor in either reading explain makes of it (cleaned, and with cut lines joined), so any
//! copy in the output can only have come from the URL. It holds no character explain or its
//! redaction writes on its own (`*`, `…`, spaces), so the output cannot spell it by chance.
#![no_main]

use connfix::explain::{self, text};
use connfix::knowledge::Knowledge;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(Knowledge::bundled)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ex = explain::explain(&text, kb());
    assert!(ex.findings.len() <= explain::MAX_FINDINGS);
    for f in &ex.findings {
        assert!(f.lines[0] <= f.lines[1]);
        if let Some(h) = &f.target.host {
            assert!(!h.is_empty() && !h.starts_with('['));
        }
    }

    let readings: Vec<String> = std::iter::once(text::prepare(&text).text)
        .chain(text::prepare_unwrapped(&text).map(|p| p.text))
        .collect();
    for password in url_passwords(&text) {
        let once_only = occurrences(&text, password) == 1
            && readings.iter().all(|r| occurrences(r, password) <= 1);
        if !once_only {
            continue;
        }
        for f in &ex.findings {
            let shown = f
                .evidence
                .iter()
                .map(|e| e.text.as_str())
                .chain([f.summary.as_str()])
                .chain(f.target.host.as_deref())
                .chain(f.target.unix_path.as_deref())
                .chain(f.check.as_deref());
            for s in shown {
                assert!(
                    !s.contains(password),
                    "URL password {password:?} shown: {s:?}\npaste: {text:?}"
                );
            }
        }
    }
});

/// Characters a URL's user or password may hold here: RFC 3986's unreserved characters,
/// percent escapes and sub-delimiters, except `*` (redaction writes `***`).
fn userinfo_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~%!$&'()+,;=".contains(c)
}

/// The passwords of the URLs in `text` written as `scheme://user:password@host`, each the
/// first URL of its word: a scheme of letters, digits, `+`, `-` and `.`; a user and a password of [`userinfo_char`]s (so the
/// password ends at the userinfo's `@`, and no `/`, `?` or `#` came before it: it lies in the
/// authority, never in a path or a query); and a host that starts with a letter, a digit or
/// `[`.
fn url_passwords(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("://") {
        let scheme_ok = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        // The first URL of its word: one inside another URL's path or query is left out.
        let word_start = text[..at].rfind(char::is_whitespace).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        if !scheme_ok || text[word_start..at].contains("://") {
            continue;
        }
        let rest = &text[at + 3..];
        let Some(userinfo_len) = rest.find(|c: char| !(userinfo_char(c) || c == ':')) else {
            continue;
        };
        if !rest[userinfo_len..].starts_with('@') {
            continue;
        }
        let host_ok = rest[userinfo_len + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
        let Some((user, password)) = rest[..userinfo_len].split_once(':') else {
            continue;
        };
        if host_ok && !user.is_empty() && !password.is_empty() && !password.contains(':') {
            found.push(password);
        }
    }
    found
}

/// How many times `needle` occurs in `haystack`, overlapping occurrences included.
fn occurrences(haystack: &str, needle: &str) -> usize {
    (0..haystack.len())
        .filter(|&i| haystack.is_char_boundary(i) && haystack[i..].starts_with(needle))
        .count()
}
