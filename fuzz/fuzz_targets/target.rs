//! Any text as a target: parsing never panics, and a parsed target never keeps a password:
//! no field of it (input, host, scheme, path, the redacted form) holds the password of a URL.
//!
//! The oracle has no false positives: it reads the password where the parser does, in the
//! authority (after `scheme://`, before the first `/`, `?` or `#`, and before the last `@` of
//! that part), so a `user:pass@` in a path or a query is not taken for one; and it asserts only
//! when the password occurs nowhere else in the input (ignoring case, since the scheme is
//! written in lower case) and holds no character the parser writes itself (`*` of `***`,
//! and the `:`, `@`, `/`, `?`, `#`, `[`, `]` it puts between the parts), so any copy in a
//! field can only be the password itself.
#![no_main]

use connfix::knowledge::services::Services;
use connfix::target::{self, ParseOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn services() -> &'static Services {
    static SERVICES: OnceLock<Services> = OnceLock::new();
    SERVICES.get_or_init(Services::bundled)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(t) = target::parse(text, ParseOptions::default(), services(), &|_| None) else {
        return;
    };
    // A socket path is a path, whatever it looks like.
    if t.unix_path.is_some() {
        return;
    }
    let Some(password) = url_password(text.trim()) else {
        return;
    };
    if occurrences(&text.to_lowercase(), &password.to_lowercase()) != 1 {
        return;
    }
    let fields = [
        Some(t.input.as_str()),
        Some(t.redacted.as_str()),
        t.host.as_deref(),
        t.scheme.as_deref(),
        t.path.as_deref(),
        t.from_env.as_deref(),
    ];
    for field in fields.into_iter().flatten() {
        assert!(
            !field.contains(password),
            "{text:?} kept its password {password:?}: {t:?}"
        );
    }
});

/// The password of `text` read as a URL: the userinfo is the authority (from `://` to the
/// first `/`, `?` or `#`) up to its last `@`, and the password what follows its first `:`.
/// None when there is none, or when it holds a character the parser writes on its own.
fn url_password(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    let written_by_the_parser = |c: char| "*:@/?#[]".contains(c) || c.is_whitespace();
    (!password.is_empty() && !password.contains(written_by_the_parser)).then_some(password)
}

/// How many times `needle` occurs in `haystack`, overlapping occurrences included.
fn occurrences(haystack: &str, needle: &str) -> usize {
    (0..haystack.len())
        .filter(|&i| haystack.is_char_boundary(i) && haystack[i..].starts_with(needle))
        .count()
}
