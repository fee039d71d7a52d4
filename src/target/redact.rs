//! Hiding passwords and tokens in targets, paths, command lines and pasted text.

/// Query parameters named like credentials lose their values; path segments that look like
/// generated tokens (webhook URLs carry them) are replaced too, and so are passwords of URLs
/// nested anywhere (`/x?next=https://u:pw@host`) and secrets in the fragment
/// (`#access_token=…`, where OAuth's implicit flow puts them).
pub fn redact_path_and_query(tail: &str) -> String {
    let (before_fragment, fragment) = match tail.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (tail, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = redact_segments(path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(&redact_query(q));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&redact_fragment(f));
    }
    out
}

/// Path segments: a generated token becomes `***`, `user:pass@` in a segment loses the
/// password.
pub(super) fn redact_segments(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if looks_secret(seg) {
                "***".to_string()
            } else {
                redact_segment_userinfo(seg)
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `a=1&token=x&next=https://u:pw@h`: values of secret-named keys, token-like values and
/// keys, and nested URL passwords are hidden.
pub(super) fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if is_secret_key(k) || looks_secret(v) => format!("{k}=***"),
            Some((k, v)) => {
                let k = if looks_secret(k) { "***" } else { k };
                format!("{k}={}", redact_nested_userinfo(v))
            }
            None if looks_secret(pair) => "***".to_string(),
            None => redact_nested_userinfo(pair),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A fragment is a route (`#/app/x?token=…`), a parameter list (`#access_token=…&x=1`) or
/// a plain anchor (`#section-2`).
pub(super) fn redact_fragment(fragment: &str) -> String {
    if let Some((route, query)) = fragment.split_once('?') {
        return format!("{}?{}", redact_segments(route), redact_query(query));
    }
    if fragment.contains('=') {
        return redact_query(fragment);
    }
    redact_segments(fragment)
}

/// Passwords of URLs inside a value (`https://u:pw@h/x`, `u:pw@h`), segment by segment.
pub(super) fn redact_nested_userinfo(text: &str) -> String {
    text.split('/')
        .map(redact_segment_userinfo)
        .collect::<Vec<_>>()
        .join("/")
}

/// One segment without `/`: `user:pass@host` → `user:***@host`, `TOKEN@host` → `***@host`.
/// A segment with no `@` (or an `@` first, as in `/@someone`) is left as it is.
pub(super) fn redact_segment_userinfo(seg: &str) -> String {
    let Some(at) = seg.rfind('@').filter(|&at| at > 0) else {
        return seg.to_string();
    };
    let userinfo = &seg[..at];
    let hidden = redact_userinfo(userinfo);
    if hidden == userinfo {
        seg.to_string()
    } else {
        format!("{hidden}{}", &seg[at..])
    }
}

/// A unix socket path as shown and kept: a URL inside it (`/postgres://app:pw@db/x?token=…`)
/// is redacted as a URL from its `://` on, and `user:pass@` in any segment loses the
/// password. Token-like segments and `?`, `#`, `=` of a plain path stay: sockets are often
/// named after long ids (`/run/containerd/s/3f2a…`), and those are file name characters.
pub fn redact_path_like(path: &str) -> String {
    let Some(i) = path.find("://") else {
        return redact_nested_userinfo(path);
    };
    let (before, rest) = (&path[..i + 3], &path[i + 3..]);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // A password with `/`, `?` or `#` in it runs past where the host part seems to end.
    let at = if password_has_delimiter(rest, end) {
        rest[end..].find('@').map(|a| end + a)
    } else {
        rest[..end].rfind('@')
    };
    let (userinfo, after) = match at {
        Some(at) => (
            format!("{}@", redact_userinfo(&rest[..at])),
            &rest[at + 1..],
        ),
        None => (String::new(), rest),
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    format!(
        "{}{userinfo}{}{}",
        redact_nested_userinfo(before),
        &after[..end],
        redact_path_and_query(&after[end..])
    )
}

/// Text of a target that did not parse, as an error message may quote it: the password of
/// its URL, and secrets in its path, query and fragment, are hidden.
pub(super) fn redact_shown(text: &str) -> String {
    let loose = redact_loose(text);
    let start = loose.find("://").map_or(0, |i| i + 3);
    match loose[start..].find(['/', '?', '#']) {
        Some(i) => format!(
            "{}{}",
            &loose[..start + i],
            redact_path_and_query(&loose[start + i..])
        ),
        None => loose,
    }
}

/// Names of query parameters and environment variables that carry credentials.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "token",
        "key",
        "apikey",
        "api_key",
        "auth",
        "sig",
        "signature",
        "credential",
        "session",
    ]
    .iter()
    .any(|s| k.contains(s))
}

/// A long mix of letters and digits is almost certainly a generated token, not a word.
pub(super) fn looks_secret(s: &str) -> bool {
    let mixed = |t: &str| {
        t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(|c| c.is_ascii_alphabetic())
    };
    // A class's name with a number at its end (`FailedConnectionException2`) is code.
    let named = {
        let letters = s.trim_end_matches(|c: char| c.is_ascii_digit());
        s.len() - letters.len() <= 2 && letters.chars().all(|c| c.is_ascii_alphabetic())
    };
    s.len() >= 24
        && !named
        && !snake_case(s)
        && mixed(s)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
        // A dotted name (urllib3.exceptions.NewConnectionError) is code, not a token; a
        // dotted token (a JWT) has long random parts.
        && (!s.contains('.') || s.split('.').any(|part| part.len() >= 16 && mixed(part)))
}

/// A function's or a constant's name in snake case (`libssh2_session_handshake`): three or
/// more short parts, each a word with at most two digits at its end.
fn snake_case(s: &str) -> bool {
    let parts: Vec<&str> = s.split('_').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            let letters = p.trim_end_matches(|c: char| c.is_ascii_digit());
            !letters.is_empty()
                && p.len() <= 16
                && p.len() - letters.len() <= 2
                && letters.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// A value no secret is written as: an empty or null one (`proxy_auth=None`), or a small
/// number under a name that is no password (`_kCFStreamErrorCodeKey=61`).
fn harmless_value(key: &str, value: &str) -> bool {
    let v = value.trim_end_matches([',', ';', ')', '}', ']', '"', '\'']);
    let k = key.to_ascii_lowercase();
    let password = ["pass", "pwd", "pin", "secret", "token"]
        .iter()
        .any(|w| k.contains(w));
    v.is_empty()
        || ["none", "null", "nil", "true", "false", "undefined"]
            .contains(&v.to_ascii_lowercase().as_str())
        || (!password
            && v.len() <= 6
            && v.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit()))
}

/// Best-effort redaction of text that did not parse (proxy settings, command lines), so
/// no message echoes a password: `scheme://user:pass@host`, `user:pass@host`, and
/// passwords that themselves contain `@` or `/`.
pub fn redact_loose(text: &str) -> String {
    let Some(at) = text.rfind('@') else {
        return text.to_string();
    };
    let start = text.find("://").map_or(0, |i| i + 3);
    if start > at {
        return text.to_string();
    }
    format!(
        "{}{}{}",
        &text[..start],
        redact_userinfo(&text[start..at]),
        &text[at..]
    )
}

/// Redacts free text a person typed (a note): URLs with credentials or secret query
/// parameters, `NAME=value` pairs whose name says secret, the word after `password:`,
/// `--token`, `Bearer` or `Basic`, and long generated tokens, word by word.
pub fn redact_text(text: &str) -> String {
    // Tools whose password flag is glued to its value or has a short name of its own.
    let mysql = text.contains("mysql");
    let redis_cli = text.contains("redis-cli");
    let mut out = Vec::new();
    let mut hide_next = false;
    for word in text.split(' ') {
        if word.is_empty() {
            out.push(String::new());
            continue;
        }
        let bare = secret_word_form(word);
        let scheme = matches!(bare.as_str(), "bearer" | "basic");
        // Prose after a secret's name (`no password is set`, `a password (requirepass …`)
        // holds no secret: a short common word or a bracket is kept.
        let prose = hide_next && is_prose_word(word);
        if prose {
            hide_next = false;
        }
        let redacted = if hide_next && !scheme && !prose {
            hide_next = false;
            "***".to_string()
        } else if let Some(r) = redact_token(word) {
            r
        } else if let Some(r) = redact_glued(word, &mut hide_next) {
            r
        } else if mysql && word.len() > 2 && word.starts_with("-p") {
            "-p***".to_string()
        } else {
            word.to_string()
        };
        if SECRET_WORDS.contains(&bare.as_str())
            || scheme
            || (redis_cli && word == "-a")
            || word == "--pass"
        {
            hide_next = true;
        }
        out.push(redacted);
    }
    out.join(" ")
}

/// Words of a sentence that follow a secret's name in prose, never a secret themselves.
fn is_prose_word(word: &str) -> bool {
    const PROSE: &[&str] = &[
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "for",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "of",
        "on",
        "at",
        "by",
        "with",
        "from",
        "not",
        "no",
        "set",
        "required",
        "missing",
        "expired",
        "incorrect",
        "invalid",
        "wrong",
        "must",
        "may",
        "can",
        "will",
        "has",
        "have",
        "that",
        "this",
        "it",
        "if",
        "when",
        "which",
        "as",
        "but",
        "authentication",
    ];
    word.starts_with('(')
        || PROSE.contains(
            &word
                .trim_end_matches([',', '.', ':', ';'])
                .to_ascii_lowercase()
                .as_str(),
        )
}

/// A word as a key: without dashes, `$`, quotes, brackets and a trailing `:` or `=`, in
/// lower case (`'password':` → `password`).
pub(super) fn secret_word_form(word: &str) -> String {
    word.trim_start_matches(['-', '$', '\'', '"', '{', '(', '[', ','])
        .trim_end_matches([',', '\'', '"'])
        .trim_end_matches([':', '='])
        .trim_end_matches(['\'', '"'])
        .to_ascii_lowercase()
}

/// `password:hunter2` or `Authorization:Bearer` written as one word: the value after a
/// secret key is hidden (a scheme word hides the word after it instead).
pub(super) fn redact_glued(word: &str, hide_next: &mut bool) -> Option<String> {
    let at = word.find([':', '='])?;
    let (key, value) = (&word[..at], &word[at + 1..]);
    if value.is_empty() || !SECRET_WORDS.contains(&secret_word_form(key).as_str()) {
        return None;
    }
    if matches!(value.to_ascii_lowercase().as_str(), "bearer" | "basic") {
        *hide_next = true;
        return None;
    }
    Some(format!("{}***", &word[..=at]))
}

/// A URL cut before its `@` (a paste broken across lines): `postgres://app:hun` may end in
/// part of a password, so everything after `user:` goes. A port (`host:8080`) stays.
pub(super) fn redact_cut_url(word: &str) -> Option<String> {
    let (scheme, rest) = word.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') || authority.starts_with('[') {
        return None;
    }
    let (user, after) = authority.split_once(':')?;
    // A sentence or a bracket may end right after the port (`tcp://127.0.0.1:2375.`,
    // `[tcp://127.0.0.1:6379]`, Go's `Get http://localhost:8080: EOF`).
    let port = after.trim_end_matches(['.', ',', ';', ':', ')', ']', '"', '\'']);
    let port_like = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    (!user.is_empty() && !after.is_empty() && !port_like).then(|| format!("{scheme}://{user}:***"))
}

/// Words after which the next word is a secret (`password: x`, `--token x`, `Bearer x`).
pub(super) const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api-key",
    "api_key",
    "authorization",
    "bearer",
    "basic",
];

/// One word or argument with its secret hidden, or None when it holds none: a URL keeps
/// its host but loses the password and secret query values; `NAME=value` loses the value
/// when NAME says secret; a long generated token becomes `***`.
pub fn redact_token(word: &str) -> Option<String> {
    if let Some(r) = redact_cut_url(word) {
        return Some(r);
    }
    if word.contains("://") || (word.contains('@') && word.contains(':')) {
        let w = redact_loose(word);
        let w = match w.split_once('?') {
            Some((base, query)) => format!("{base}{}", redact_path_and_query(&format!("?{query}"))),
            None => w,
        };
        return (w != word).then_some(w);
    }
    // The name is the last one in the word (`ConnectionKey(host=` names `host`).
    if let Some((k, v)) = word.split_once('=')
        && let Some(name) = k.rsplit(['(', '{', '[', ',']).next()
        && !harmless_value(name, v)
        && is_secret_key(name.trim_start_matches(['-', '$']))
    {
        return Some(format!("{k}=***"));
    }
    looks_secret(word.trim_matches(|c: char| !c.is_ascii_alphanumeric())).then(|| "***".to_string())
}

/// `user:pa#ss@host`: an `@` after the authority seems to end, not right after a `/` (as
/// in `https://host/@user`), with `user:` before the delimiter.
pub(super) fn password_has_delimiter(rest: &str, end: usize) -> bool {
    let Some(at) = rest[end..].find('@').map(|i| end + i) else {
        return false;
    };
    let between = &rest[end..at];
    rest[..end].contains(':') && !rest[..at].ends_with('/') && between.matches('/').count() <= 1
}

/// `user:password` → `user:***`; a lone token (`TOKEN@host`) → `***`.
pub(super) fn redact_userinfo(userinfo: &str) -> String {
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None if looks_secret(userinfo) => "***".to_string(),
        None => userinfo.to_string(),
    }
}
