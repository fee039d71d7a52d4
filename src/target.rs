//! Parsing and redaction of targets: what the person wants to connect to.
//!
//! Everything here is pure: the environment is passed in as a lookup function so that
//! `env:NAME` targets can be tested without touching the process environment.

use crate::knowledge::services::Services;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

/// The longest target accepted. Real URLs with long tokens fit easily; anything longer is
/// almost certainly a paste of the wrong thing.
pub const MAX_TARGET_LEN: usize = 2048;

/// What the person asked connfix to reach. Secrets never live in any field: they are
/// replaced by `***` while parsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The input as given (an `env:` reference stays a reference), with secrets redacted.
    pub input: String,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub scheme: Option<String>,
    pub unix_path: Option<PathBuf>,
    /// The target written out in full with secrets redacted, e.g. `postgres://app:***@db:5432/app`.
    pub redacted: String,
    /// Where the target came from when it was read from the environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_env: Option<String>,
    /// The URL path (for HTTP targets), redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// True when the port was not written but taken from the scheme's default.
    pub default_port: bool,
}

impl Target {
    /// The host as an IP address, when it is written as one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.as_deref().and_then(|h| h.parse().ok())
    }

    /// `host:port` for display, with brackets around IPv6 addresses.
    pub fn host_port(&self) -> String {
        match (&self.host, self.port) {
            (Some(h), Some(p)) if h.contains(':') => format!("[{h}]:{p}"),
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.clone(),
            _ => self
                .unix_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        }
    }

    pub fn is_unix(&self) -> bool {
        self.unix_path.is_some()
    }

    pub fn is_http(&self) -> bool {
        matches!(
            self.scheme.as_deref(),
            Some("http" | "https" | "ws" | "wss")
        )
    }
}

/// A target that could not be parsed: the message names what was wrong and shows a correct
/// example, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError(pub String);

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TargetError {}

fn err<T>(msg: impl Into<String>) -> Result<T, TargetError> {
    Err(TargetError(msg.into()))
}

/// Options that come from flags rather than from the target text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// `--port`, used when the target itself has none.
    pub port: Option<u16>,
}

/// Parses a target. `env` looks up environment variables (for `env:NAME` and `$NAME`).
pub fn parse(
    raw: &str,
    opts: ParseOptions,
    services: &Services,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, TargetError> {
    let text = raw.trim();
    check_shape(text, "target")?;
    if let Some(name) = env_reference(text) {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return err(format!(
                "'{text}' is not a valid environment variable reference; write env:NAME, e.g. env:DATABASE_URL"
            ));
        }
        let Some(value) = env(name) else {
            return err(format!(
                "environment variable {name} is not set; export it (e.g. export {name}=postgres://db:5432/app) or pass the target itself"
            ));
        };
        let value = value.trim();
        if value.is_empty() {
            return err(format!(
                "environment variable {name} is empty; set it to a target such as db.example.com:5432"
            ));
        }
        check_shape(value, &format!("the value of {name}"))?;
        // The value may hold a password: describe what is wrong, never repeat it.
        let mut target = parse_direct(value, opts, services).map_err(|_| {
            TargetError(format!(
                "environment variable {name} does not hold a target connfix understands; it should look like postgres://user:pass@db:5432/app or db:5432 (its value is not shown: it may hold a password)"
            ))
        })?;
        target.input = format!("env:{name}");
        target.from_env = Some(name.to_string());
        return Ok(target);
    }
    parse_direct(text, opts, services).map_err(|e| TargetError(mask_secrets(&e.0, text)))
}

/// Replaces anything in `msg` that could be the password of `input` with `***`: the whole
/// password anywhere, and fragments of it (cut at `#`, `?` or `/`) inside the quoted parts,
/// which are where messages repeat the input. Quoted parts also lose secrets of a query or
/// fragment (`'5432?password=x'`). The message's own words stay intact.
fn mask_secrets(msg: &str, input: &str) -> String {
    let password = input.rfind('@').and_then(|at| {
        let start = input.find("://").map_or(0, |i| i + 3);
        let userinfo = &input[start.min(at)..at];
        userinfo
            .split_once(':')
            .map(|(_, p)| p)
            .filter(|p| !p.is_empty())
    });
    let pieces: Vec<&str> = password
        .map(|p| p.split(['#', '?', '/']).filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let msg = match password {
        Some(p) => msg.replace(p, "***"),
        None => msg.to_string(),
    };
    msg.split('\'')
        .enumerate()
        .map(|(i, part)| {
            // Odd parts lie between quotes.
            if i % 2 == 1 {
                let part = pieces
                    .iter()
                    .fold(part.to_string(), |acc, piece| acc.replace(piece, "***"));
                redact_shown(&part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("'")
}

/// `env:NAME`, `$NAME` or `${NAME}` → `NAME`.
fn env_reference(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix("env:") {
        return Some(rest);
    }
    let rest = text.strip_prefix('$')?;
    Some(
        rest.strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
            .unwrap_or(rest),
    )
}

/// Rejects empty, oversized and control-character input before any real parsing.
fn check_shape(text: &str, what: &str) -> Result<(), TargetError> {
    if text.is_empty() {
        return err(format!(
            "{what} is empty; give a host and port such as db.example.com:5432 or a URL such as https://api.example.com"
        ));
    }
    if text.len() > MAX_TARGET_LEN {
        return err(format!(
            "{what} is {} bytes long, more than the {MAX_TARGET_LEN} a target may have; give just the address, e.g. api.example.com:443",
            text.len()
        ));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return err(format!(
            "{what} contains a control character ({:?}); give one target on one line, e.g. db:5432",
            c
        ));
    }
    Ok(())
}

fn parse_direct(
    text: &str,
    opts: ParseOptions,
    services: &Services,
) -> Result<Target, TargetError> {
    if let Some(path) = text
        .strip_prefix("unix://")
        .or_else(|| text.strip_prefix("unix:"))
    {
        return unix_target(text, path);
    }
    if text.starts_with('/') || text.starts_with("./") || text.starts_with("../") {
        return unix_target(text, text);
    }
    if text.contains(char::is_whitespace) {
        return err(format!(
            "'{}' contains a space; a target has none: percent-encode it in a URL (%20) or give host:port, e.g. db:5432",
            redact_shown(text)
        ));
    }
    if text.contains("://") {
        return parse_url(text, opts, services);
    }
    parse_host_port(text, opts)
}

fn unix_target(input: &str, path: &str) -> Result<Target, TargetError> {
    if path.is_empty() {
        return err(
            "the unix socket path is empty; write unix:/path/to/socket, e.g. unix:/var/run/docker.sock",
        );
    }
    // A path-like target can still carry a URL (`/postgres://app:pw@db/x`, a slip of the
    // keyboard) or `user:pass@` in a segment: no field keeps them, not even the path.
    // `path` is what follows `unix:` or `unix://` in `input`, or all of it.
    let prefix = input.strip_suffix(path).unwrap_or("");
    let path = redact_path_like(path);
    Ok(Target {
        input: format!("{prefix}{path}"),
        host: None,
        port: None,
        scheme: Some("unix".into()),
        unix_path: Some(PathBuf::from(&path)),
        redacted: format!("unix:{path}"),
        from_env: None,
        path: None,
        default_port: false,
    })
}

/// `host:port`, `[v6]:port`, or a bare host/IP with `--port`.
fn parse_host_port(text: &str, opts: ParseOptions) -> Result<Target, TargetError> {
    let (host, port_text) = split_host_port(text)?;
    validate_host(host, text)?;
    let port = match port_text {
        Some(p) => parse_port(p, text)?,
        None => match opts.port {
            Some(p) => p,
            None => {
                let example = if host.contains(':') {
                    format!("[{host}]:443")
                } else {
                    format!("{host}:443")
                };
                return err(format!(
                    "no port in '{text}': add one, as in {example}, or pass --port 443"
                ));
            }
        },
    };
    let host = host.to_string();
    let redacted = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    Ok(Target {
        input: text.to_string(),
        host: Some(host),
        port: Some(port),
        scheme: None,
        unix_path: None,
        redacted,
        from_env: None,
        path: None,
        default_port: false,
    })
}

/// Splits `host[:port]`, understanding brackets and bare IPv6 addresses.
fn split_host_port(text: &str) -> Result<(&str, Option<&str>), TargetError> {
    if let Some(rest) = text.strip_prefix('[') {
        let Some((host, after)) = rest.split_once(']') else {
            return err(format!(
                "'{text}' opens a [ but never closes it; write an IPv6 target as [::1]:8080"
            ));
        };
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(p) => Ok((host, Some(p))),
                None => err(format!(
                    "unexpected '{after}' after ']' in '{text}'; write an IPv6 target as [::1]:8080"
                )),
            },
        };
    }
    match text.matches(':').count() {
        0 => Ok((text, None)),
        1 => {
            let (h, p) = text.split_once(':').unwrap_or((text, ""));
            Ok((h, Some(p)))
        }
        // Several colons without brackets: a bare IPv6 address, which cannot carry a port.
        _ if text.parse::<IpAddr>().is_ok() => Ok((text, None)),
        _ => err(format!(
            "'{text}' is neither host:port nor an IPv6 address; put IPv6 addresses in brackets, e.g. [::1]:8080"
        )),
    }
}

fn parse_port(text: &str, whole: &str) -> Result<u16, TargetError> {
    if text.is_empty() {
        return err(format!(
            "'{whole}' ends in ':' with no port after it; add one, e.g. {}5432",
            whole
        ));
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return err(format!(
            "'{text}' in '{whole}' is not a port number; a port is 1-65535, e.g. db:5432"
        ));
    }
    match text.parse::<u32>() {
        Ok(0) => err(format!(
            "port 0 in '{whole}' cannot be connected to; use a port from 1 to 65535, e.g. db:5432"
        )),
        Ok(p) if p <= 65535 => Ok(p as u16),
        _ => err(format!(
            "port {text} in '{whole}' is out of range; ports go from 1 to 65535, e.g. db:5432"
        )),
    }
}

/// Accepts IP literals and DNS-ish names (letters, digits, '-', '_', '.').
fn validate_host(host: &str, whole: &str) -> Result<(), TargetError> {
    if host.is_empty() {
        return err(format!(
            "no host in '{whole}'; name one, e.g. localhost:8080 or db.example.com:5432"
        ));
    }
    if host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    if host.contains(':') {
        return err(format!(
            "'{host}' is not a valid IPv6 address; check it, e.g. [::1]:8080"
        ));
    }
    let bad = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    if let Some(c) = bad {
        return err(format!(
            "host '{host}' contains '{c}', which no host name can; use letters, digits, '-' and '.', e.g. db.example.com"
        ));
    }
    if host.len() > 253 || host.split('.').any(|l| l.len() > 63) {
        return err(format!(
            "host '{}...' is longer than DNS allows (253 characters, 63 per label)",
            &host[..host.len().min(40)]
        ));
    }
    if host.starts_with('.') || host.contains("..") {
        return err(format!(
            "host '{host}' has an empty label; write it as db.example.com"
        ));
    }
    Ok(())
}

/// `scheme://[user[:password]@]host[:port][/path][?query][#fragment]`.
fn parse_url(text: &str, opts: ParseOptions, services: &Services) -> Result<Target, TargetError> {
    let (scheme_raw, rest) = text.split_once("://").unwrap_or((text, ""));
    let scheme = scheme_raw.to_ascii_lowercase();
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return err(format!(
            "'{scheme_raw}' is not a URL scheme; write e.g. https://api.example.com or postgres://db:5432/app"
        ));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if password_has_delimiter(rest, end) {
        return err(format!(
            "the password in this {scheme}:// URL contains '#', '?' or '/', which end the host part; percent-encode them (%23, %3F, %2F), e.g. {scheme}://user:p%23ss@host"
        ));
    }
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if hostport.contains(',') {
        return err(format!(
            "'{}' names several hosts; connfix checks one at a time, e.g. {scheme}://{}",
            redact_shown(text),
            hostport.split(',').next().unwrap_or("host")
        ));
    }
    let (host, port_text) = split_host_port(hostport)?;
    if host.is_empty() {
        return err(format!(
            "no host in '{}'; write e.g. {scheme}://db.example.com",
            redact_shown(text)
        ));
    }
    validate_host(host, hostport)?;
    let service = services.by_scheme(&scheme);
    let (port, default_port) = match port_text {
        Some(p) => (parse_port(p, hostport)?, false),
        None => match (opts.port, service) {
            (Some(p), _) => (p, false),
            (None, Some(s)) => (s.port, true),
            (None, None) => {
                return err(format!(
                    "unknown scheme '{scheme}' and no port: add the port, e.g. {scheme}://{host}:1234"
                ));
            }
        },
    };
    let user = userinfo.map(redact_userinfo);
    let path = redact_path_and_query(tail);
    let host_text = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let port_part = if default_port {
        String::new()
    } else {
        format!(":{port}")
    };
    let user_part = user.map(|u| format!("{u}@")).unwrap_or_default();
    let redacted = format!("{scheme}://{user_part}{host_text}{port_part}{path}");
    Ok(Target {
        input: redacted.clone(),
        host: Some(host.to_string()),
        port: Some(port),
        scheme: Some(scheme),
        unix_path: None,
        redacted,
        from_env: None,
        path: (!tail.is_empty()).then_some(path),
        default_port,
    })
}

/// `user:pa#ss@host`: an `@` after the authority seems to end, not right after a `/` (as
/// in `https://host/@user`), with `user:` before the delimiter.
fn password_has_delimiter(rest: &str, end: usize) -> bool {
    let Some(at) = rest[end..].find('@').map(|i| end + i) else {
        return false;
    };
    let between = &rest[end..at];
    rest[..end].contains(':') && !rest[..at].ends_with('/') && between.matches('/').count() <= 1
}

/// `user:password` → `user:***`; a lone token (`TOKEN@host`) → `***`.
fn redact_userinfo(userinfo: &str) -> String {
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None if looks_secret(userinfo) => "***".to_string(),
        None => userinfo.to_string(),
    }
}

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
fn redact_segments(path: &str) -> String {
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
fn redact_query(query: &str) -> String {
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
fn redact_fragment(fragment: &str) -> String {
    if let Some((route, query)) = fragment.split_once('?') {
        return format!("{}?{}", redact_segments(route), redact_query(query));
    }
    if fragment.contains('=') {
        return redact_query(fragment);
    }
    redact_segments(fragment)
}

/// Passwords of URLs inside a value (`https://u:pw@h/x`, `u:pw@h`), segment by segment.
fn redact_nested_userinfo(text: &str) -> String {
    text.split('/')
        .map(redact_segment_userinfo)
        .collect::<Vec<_>>()
        .join("/")
}

/// One segment without `/`: `user:pass@host` → `user:***@host`, `TOKEN@host` → `***@host`.
/// A segment with no `@` (or an `@` first, as in `/@someone`) is left as it is.
fn redact_segment_userinfo(seg: &str) -> String {
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
fn redact_shown(text: &str) -> String {
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
fn looks_secret(s: &str) -> bool {
    let mixed = |t: &str| {
        t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(|c| c.is_ascii_alphabetic())
    };
    s.len() >= 24
        && mixed(s)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
        // A dotted name (urllib3.exceptions.NewConnectionError) is code, not a token; a
        // dotted token (a JWT) has long random parts.
        && (!s.contains('.') || s.split('.').any(|part| part.len() >= 16 && mixed(part)))
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
        let redacted = if hide_next && !scheme {
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

/// A word as a key: without dashes, `$`, quotes, brackets and a trailing `:` or `=`, in
/// lower case (`'password':` → `password`).
fn secret_word_form(word: &str) -> String {
    word.trim_start_matches(['-', '$', '\'', '"', '{', '(', '[', ','])
        .trim_end_matches([',', '\'', '"'])
        .trim_end_matches([':', '='])
        .trim_end_matches(['\'', '"'])
        .to_ascii_lowercase()
}

/// `password:hunter2` or `Authorization:Bearer` written as one word: the value after a
/// secret key is hidden (a scheme word hides the word after it instead).
fn redact_glued(word: &str, hide_next: &mut bool) -> Option<String> {
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
fn redact_cut_url(word: &str) -> Option<String> {
    let (scheme, rest) = word.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') || authority.starts_with('[') {
        return None;
    }
    let (user, after) = authority.split_once(':')?;
    let port_like = !after.is_empty() && after.bytes().all(|b| b.is_ascii_digit());
    (!user.is_empty() && !after.is_empty() && !port_like).then(|| format!("{scheme}://{user}:***"))
}

/// Words after which the next word is a secret (`password: x`, `--token x`, `Bearer x`).
const SECRET_WORDS: &[&str] = &[
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
    if let Some((k, v)) = word.split_once('=')
        && !v.is_empty()
        && is_secret_key(k.trim_start_matches(['-', '$']))
    {
        return Some(format!("{k}=***"));
    }
    looks_secret(word.trim_matches(|c: char| !c.is_ascii_alphanumeric())).then(|| "***".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Services {
        Services::bundled()
    }

    #[test]
    fn secrets_in_pasted_text_are_hidden_in_their_common_shapes() {
        let r = redact_text;
        assert_eq!(
            r("args {'host': 'db', 'password': 'hunter2'}"),
            "args {'host': 'db', 'password': ***"
        );
        assert_eq!(r("password:hunter2 here"), "password:*** here");
        assert_eq!(
            r("Authorization:Bearer abc.def"),
            "Authorization:Bearer ***"
        );
        assert_eq!(
            r("$ mysql -uroot -phunter2 -h db"),
            "$ mysql -uroot -p*** -h db"
        );
        assert_eq!(
            r("$ redis-cli -a hunter2 -h cache"),
            "$ redis-cli -a *** -h cache"
        );
        assert_eq!(
            r("DATABASE_URL=postgres://app:hun"),
            "DATABASE_URL=postgres://app:***"
        );
        assert_eq!(r("url postgres://app:hun"), "url postgres://app:***");
        assert_eq!(
            r("see http://localhost:8080/x"),
            "see http://localhost:8080/x"
        );
        assert_eq!(
            r("urllib3.exceptions.NewConnectionError: x"),
            "urllib3.exceptions.NewConnectionError: x"
        );
    }

    fn p(s: &str) -> Result<Target, TargetError> {
        parse(s, ParseOptions::default(), &services(), &|_| None)
    }

    #[test]
    fn notes_lose_their_secrets() {
        let note = "tried postgres://app:hunter2@db:5432/app with PGPASSWORD=hunter2 and Authorization: Bearer abc.def then token 9f8e7d6c5b4a39281706f5e4d3c2b1a0";
        let r = redact_text(note);
        assert!(!r.contains("hunter2"), "{r}");
        assert!(!r.contains("abc.def"), "{r}");
        assert!(!r.contains("9f8e7d6c5b4a"), "{r}");
        assert!(r.contains("postgres://app:***@db:5432/app"), "{r}");
        assert!(r.contains("PGPASSWORD=***"), "{r}");
        assert_eq!(
            redact_text("restarted the pod at 10:02"),
            "restarted the pod at 10:02"
        );
    }

    #[test]
    fn host_port_forms() {
        let t = p("db.example.com:5432").unwrap();
        assert_eq!(t.host.as_deref(), Some("db.example.com"));
        assert_eq!(t.port, Some(5432));
        let t = p("[::1]:8080").unwrap();
        assert_eq!(t.host.as_deref(), Some("::1"));
        assert_eq!(t.redacted, "[::1]:8080");
        let t = p("127.0.0.1:1").unwrap();
        assert_eq!(t.ip(), Some("127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn bare_host_needs_port() {
        let e = p("db").unwrap_err().0;
        assert!(e.contains("no port") && e.contains("--port"), "{e}");
        let t = parse("::1", ParseOptions { port: Some(22) }, &services(), &|_| {
            None
        })
        .unwrap();
        assert_eq!((t.host.as_deref(), t.port), (Some("::1"), Some(22)));
    }

    #[test]
    fn urls_take_default_ports_and_hide_passwords() {
        let t = p("postgres://app:hunter2@db:5432/app").unwrap();
        assert_eq!(t.port, Some(5432));
        assert_eq!(t.redacted, "postgres://app:***@db:5432/app");
        assert!(!format!("{t:?}").contains("hunter2"));
        let t = p("https://example.com/hook").unwrap();
        assert_eq!((t.port, t.default_port), (Some(443), true));
        let t = p("redis://:s3cret@cache").unwrap();
        assert_eq!(t.port, Some(6379));
        assert!(!t.redacted.contains("s3cret"));
        let t = p("HTTP://[::1]:3000/x").unwrap();
        assert_eq!(t.scheme.as_deref(), Some("http"));
        assert_eq!(t.host.as_deref(), Some("::1"));
    }

    #[test]
    fn tokens_in_paths_and_queries_are_redacted() {
        let t = p(
            "https://hooks.example.com/services/T0123/B0456/abcdEFGH1234ijklMNOP5678?token=xyz&x=1",
        )
        .unwrap();
        assert!(!t.redacted.contains("abcdEFGH1234"), "{}", t.redacted);
        assert!(!t.redacted.contains("xyz"), "{}", t.redacted);
        assert!(t.redacted.contains("x=1"));
    }

    #[test]
    fn unix_forms() {
        let t = p("unix:/run/app.sock").unwrap();
        assert_eq!(t.unix_path, Some(PathBuf::from("/run/app.sock")));
        let t = p("/var/run/docker.sock").unwrap();
        assert!(t.is_unix());
        let t = p("unix:///var/run/docker.sock").unwrap();
        assert_eq!(t.unix_path, Some(PathBuf::from("/var/run/docker.sock")));
    }

    #[test]
    fn env_references() {
        let env = |n: &str| (n == "DATABASE_URL").then(|| "postgres://u:pw@db/app".to_string());
        let t = parse(
            "env:DATABASE_URL",
            ParseOptions::default(),
            &services(),
            &env,
        )
        .unwrap();
        assert_eq!(t.input, "env:DATABASE_URL");
        assert_eq!(t.port, Some(5432));
        assert!(!t.redacted.contains("pw@"));
        let t = parse(
            "${DATABASE_URL}",
            ParseOptions::default(),
            &services(),
            &env,
        )
        .unwrap();
        assert_eq!(t.from_env.as_deref(), Some("DATABASE_URL"));
        let e = parse("$NOPE", ParseOptions::default(), &services(), &env).unwrap_err();
        assert!(e.0.contains("NOPE is not set"), "{e}");
    }

    #[test]
    fn bad_input_gets_one_line_errors() {
        for (input, needle) in [
            ("db:0", "port 0"),
            ("db:70000", "out of range"),
            ("db:http", "not a port number"),
            (":5432", "no host"),
            ("foo://host", "unknown scheme 'foo'"),
            ("http://exa mple.com", "space"),
            ("", "empty"),
            ("http://", "no host"),
            ("ex!ample:80", "contains '!'"),
            ("[::1:80", "never closes"),
            ("a:b:c", "neither host:port"),
            ("mongodb://h1:1,h2:2/db", "several hosts"),
            ("db:5432\nrm -rf", "control character"),
        ] {
            let e = p(input).unwrap_err().0;
            assert!(e.contains(needle), "{input:?} -> {e}");
            assert!(!e.contains('\n'), "{input:?} -> multi-line error");
        }
        let long = "a".repeat(10_000);
        assert!(p(&long).unwrap_err().0.contains("10000 bytes"));
    }

    #[test]
    fn errors_never_echo_passwords() {
        let e = p("postgres://u:hunter2@db :5432").unwrap_err().0;
        assert!(!e.contains("hunter2"), "{e}");
    }

    /// Random and mutated inputs never panic, and every error is a single line.
    #[test]
    fn random_input_never_panics() {
        let seeds = [
            "postgres://u:p@[::1]:5432/db?sslmode=require",
            "env:X",
            "unix:/a",
            "h:1",
            "https://x/y#z",
        ];
        let alphabet: Vec<char> = ":/@[]?#%$={}.,- \t\u{0}\u{7f}é漢0123456789abcxyzHTTPS"
            .chars()
            .collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let env = |n: &str| (n == "X").then(|| "redis://cache".to_string());
        let services = services();
        for round in 0..20_000 {
            let mut text: Vec<char> = seeds[round % seeds.len()].chars().collect();
            for _ in 0..(next() % 6) {
                let pos = (next() as usize) % (text.len() + 1);
                match next() % 3 {
                    0 => text.insert(pos, alphabet[(next() as usize) % alphabet.len()]),
                    1 if pos < text.len() => {
                        text.remove(pos);
                    }
                    _ => text.truncate(pos),
                }
            }
            let input: String = text.into_iter().collect();
            if let Err(e) = parse(&input, ParseOptions::default(), &services, &env) {
                assert!(!e.0.contains('\n'), "{input:?} -> {e}");
            }
        }
    }

    #[test]
    fn awkward_passwords_never_echo() {
        for input in [
            "postgres://app:pa#ss@db/app",
            "postgres://app:1234#x@db/app",
            "postgres://u:pa/ss@db",
            "redis://:se?cret@cache:6379",
        ] {
            match p(input) {
                Err(e) => {
                    for secret in ["pa#ss", "1234#x", "pa/ss", "se?cret"] {
                        assert!(!e.0.contains(secret), "{input} -> {e}");
                    }
                }
                Ok(t) => panic!("{input} parsed as {:?}", t.host),
            }
        }
        let hint = p("postgres://app:pa#ss@db/app").unwrap_err().0;
        assert!(
            hint.contains("the password in this postgres:// URL") && hint.contains("p%23ss@host"),
            "{hint}"
        );
        assert_eq!(
            p("https://mastodon.example/@someone")
                .unwrap()
                .host
                .as_deref(),
            Some("mastodon.example")
        );
        let env = |_: &str| Some("user:hunter2@tcp(db:3306)/app".to_string());
        let e = parse("env:DSN", ParseOptions::default(), &services(), &env)
            .unwrap_err()
            .0;
        assert!(!e.contains("hunter2") && e.contains("DSN"), "{e}");
        assert!(!p("app:s3cret@db").unwrap_err().0.contains("s3cret"));
    }

    /// Secrets where redaction used not to look: a path-like target holding a URL, a URL
    /// fragment, and userinfo nested in a path, query or fragment. No field keeps them.
    #[test]
    fn secrets_in_odd_places_are_redacted() {
        let fields =
            |t: &Target| format!("{} {} {:?} {:?}", t.input, t.redacted, t.unix_path, t.path);
        for (input, shown) in [
            (
                "/postgres://app:hunter2@db:5432/x",
                "unix:/postgres://app:***@db:5432/x",
            ),
            (
                "unix:/tmp/redis://:hunter2@cache",
                "unix:/tmp/redis://:***@cache",
            ),
            (
                "unix:///srv/x?u=http://a:hunter2@b/c",
                "unix:/srv/x?u=http://a:***@b/c",
            ),
            ("./sock/app:hunter2@host", "unix:./sock/app:***@host"),
            (
                "/postgres://app:hun/ter2@db/x",
                "unix:/postgres://app:***@db/x",
            ),
            (
                "https://example.com/cb#access_token=hunter2&expires_in=3600",
                "https://example.com/cb#access_token=***&expires_in=3600",
            ),
            (
                "https://app.example.com/#/login?token=hunter2&next=%2F",
                "https://app.example.com/#/login?token=***&next=%2F",
            ),
            (
                "http://127.0.0.1:9/x?next=http://a:hunter2@b/c",
                "http://127.0.0.1:9/x?next=http://a:***@b/c",
            ),
            (
                "http://127.0.0.1:9/x/http://a:hunter2@b/c",
                "http://127.0.0.1:9/x/http://a:***@b/c",
            ),
            (
                "http://127.0.0.1:9/x#http://a:hunter2@b/c",
                "http://127.0.0.1:9/x#http://a:***@b/c",
            ),
        ] {
            let t = p(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(t.redacted, shown, "{input}");
            for secret in ["hunter2", "hun", "ter2"] {
                assert!(!fields(&t).contains(secret), "{input} -> {}", fields(&t));
            }
            assert!(!format!("{t:?}").contains("hunter2"), "{input}");
        }
        // What is not a secret stays: socket paths named after long ids, anchors, handles,
        // and the path of a unix socket as given.
        let id = "/run/containerd/s/3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182";
        assert_eq!(p(id).unwrap().unix_path, Some(PathBuf::from(id)));
        let t = p("unix:/run/app.sock").unwrap();
        assert_eq!(
            (t.input.as_str(), t.redacted.as_str()),
            ("unix:/run/app.sock", "unix:/run/app.sock")
        );
        assert_eq!(
            p("https://docs.example/page#section-2").unwrap().redacted,
            "https://docs.example/page#section-2"
        );
        assert_eq!(
            p("https://social.example/@someone").unwrap().redacted,
            "https://social.example/@someone"
        );
        assert_eq!(
            p("https://x.example/?mail=me@example.com")
                .unwrap()
                .redacted,
            "https://x.example/?mail=me@example.com"
        );
        // Messages quoting a target that did not parse hide them too.
        let e = p("https://exa mple.com/cb#access_token=hunter2")
            .unwrap_err()
            .0;
        assert!(
            !e.contains("hunter2") && e.contains("access_token=***"),
            "{e}"
        );
        for input in [
            "db:5432?password=hunter2",
            "db:5432#access_token=hunter2",
            "db:x/u:hunter2@h",
        ] {
            let e = p(input).unwrap_err().0;
            assert!(!e.contains("hunter2"), "{input} -> {e}");
        }
    }

    #[test]
    fn loose_redaction() {
        assert_eq!(
            redact_loose("http://u:p@ss@proxy:3128"),
            "http://u:***@proxy:3128"
        );
        assert_eq!(redact_loose("user:pass@proxy:3128"), "user:***@proxy:3128");
        assert_eq!(redact_loose("http://proxy:3128"), "http://proxy:3128");
    }
}
