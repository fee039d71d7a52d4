//! Finding the target where no signature put it: a general reader of addresses.
//!
//! Signatures know where their own message puts the address. Many messages put it
//! elsewhere, or not at all: on the command line that failed, in a URL given to the
//! program, in a log line before the error, after the message on a line of its own, in an
//! error object's `host`/`port` fields. This module reads every address-like thing in
//! the lines around an error (URLs with their scheme's default port, `host:port` in its
//! bracketed, zoned and `name/ip` forms, "host X port N" phrasing, `-h/-p/--host/--port`
//! flags, `host = X, port = N` fields, bare IPs, quoted host names), gives each a score
//! for its role in the text, and fills in what the finding lacks.
//!
//! The role is what matters, not the form: the side a connection came *from*, a log
//! line's own origin, the DNS server a lookup was sent to and the local end of a socket
//! pair are never the target, and a place named on the line that failed, or after "to",
//! beats one named further away.

use super::TargetGuess;
use super::scan::{clean_host, parse_port, parse_url, split_addr};
use super::text::Prepared;
use crate::knowledge::services::Services;
use crate::knowledge::signatures::compile;
use regex::Regex;
use std::sync::OnceLock;

/// Lines read before the first line of an error (a command, a "connecting to" line).
const LOOK_BEHIND: usize = 40;
/// Lines read after its last line (an address printed after the message).
const LOOK_AHEAD: usize = 3;
/// Further lines read after it for a command that ran (`-h host`) or an error object's
/// `"port": N` field, which reporters often paste below the message.
const LOOK_AHEAD_FAR: usize = 6;
/// Only this much of each line is read: addresses sit near the start of a message, and
/// a megabyte-long line must not cost a megabyte per error.
const LINE_CAP: usize = 2_000;
/// A candidate must score at least this to be taken as the target.
const MIN_SCORE: i32 = 4;

/// One address read from the text, with how much its place says it is the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub scheme: Option<String>,
    pub score: i32,
    /// Its form or its words say a connection was asked for there (a URL, a command's
    /// argument, "connecting to X"), so it counts even on a line before the error.
    pub asked: bool,
}

struct Patterns {
    url: Regex,
    host_port_words: Regex,
    hostport: Regex,
    kv_host: Regex,
    kv_port: Regex,
    flag_host: Regex,
    flag_port: Regex,
    tool_host_port: Regex,
    user_at_host: Regex,
    registry_host: Regex,
    localhost: Regex,
    quoted_host: Regex,
    ipv4: Regex,
    port_word: Regex,
    hidden_host_port: Regex,
    name_ip_port: Regex,
    host_slash_port: Regex,
    call_args: Regex,
    dns_words: Regex,
    glued_flag_host: Regex,
    attempt: Regex,
    sql: Regex,
    failure: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // Compiled as signatures are, with ASCII word boundaries, so that an address glued
        // to text in another script ("访问http://…") is still found.
        let re = |s: &str| compile(s).expect("built-in pattern compiles");
        Patterns {
            url: re(r#"(?i)\b[a-z][a-z0-9+.\-]{1,15}://[^\s"'<>`|\\]+"#),
            // "host X port N", "X port N", "X (port N)", "server X on port N", "X, port N".
            host_port_words: re(
                r#"(?i)(?:\bhost(?:name)?\s+|\bto\s+|\bserver\s+|\bat\s+|^|[\s(\[])["'`]?(\[[0-9a-f:.%\w]+\]|[A-Za-z0-9][\w.\-]*(?:/[0-9a-f.:]+)?|[0-9a-f:]+:[0-9a-f:.]+(?:%[\w.\-]+)?)["'`]?\)?,?\s*(?:on\s+)?\(?port\s*[:=]?\s*(\d{1,5})\b"#,
            ),
            hostport: re(
                r#"(\[[0-9A-Fa-f:.%\w]+\]|[A-Za-z0-9_][\w.\-]*(?:/[0-9A-Fa-f.:]+)?|::[0-9A-Fa-f:.]*|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}):(\d{1,5})(?:[^\d.]|\.(?:[\s"'”’)\]]|$)|$)"#,
            ),
            kv_host: re(
                r#"(?i)(?:^|[\s{(,;"'])"?(?:host(?:name)?|address|server|remote_?addr)"?\s*[:=]\s*(?:Some\(\s*\w+\(\s*)?["'`]?(\[[0-9a-f:.%\w]+\]|[\w.\-:%]+)"#,
            ),
            kv_port: re(r#"(?i)(?:^|[\s{(,;"'])"?port"?\s*[:=]\s*(?:Some\(\s*)?(\d{1,5})\b"#),
            flag_host: re(
                r#"(?:^|\s)(?:-h|-H|--host|--hostname|--server|-connect|--url|--endpoint-url)(?:\s+|=)["']?([^\s"']+)"#,
            ),
            flag_port: re(r"(?:^|\s)(?:-P\s*|-p\s+|--port(?:\s+|=))(\d{1,5})\b"),
            // telnet/nc/ncat host port, ping host.
            tool_host_port: re(
                r"(?i)(?:^|[\s`$>])(?:telnet|nc|ncat|netcat)\s+(?:-[\w]+\s+)*([\w.\-:\[\]%]+)\s+(\d{1,5})\b",
            ),
            // ssh user@host, git@host:repo (ssh underneath).
            user_at_host: re(
                r"(?i)(?:\b(?:ssh|scp|sftp|rsync)\s+(?:-\S+\s+(?:\d+\s+)?)*(?:[\w.\-]+@)?|\bgit@)([A-Za-z0-9][\w.\-]*)",
            ),
            registry_host: re(
                r"(?i)\b(?:docker|podman|helm)\s+(?:login|pull|push)\s+(?:-\S+\s+)*([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)",
            ),
            localhost: re(r"(?i)\blocalhost\b"),
            quoted_host: re(
                r#"(?i)\b(?:host(?:\s+name)?|hostname|server|resolve(?:\s+host)?|lookup|connect\s+to|connexion\s+à|connection\s+to)\s*[:]?\s*["'“‘`]([^"'”’`\s]+)["'”’`]"#,
            ),
            // No boundary in front: an address glued to a word ("inaccessible127.0.0.1").
            ipv4: re(r"(?:\d{1,3}\.){3}\d{1,3}\b"),
            port_word: re(r#"(?i)\bport"?\s*[:=]?\s*(\d{1,5})\b"#),
            // A host hidden by the reporter (<ip>, x.x.x.x, IP) or left out (`tcp :22`):
            // the port is still the target's.
            hidden_host_port: re(
                r"(?i)(?:<[^<>\s]{1,20}>|\b[x*]+(?:\.[x*\d]+)*|\bIP|\btcp\s*|\bto\s*):(\d{1,5})\b",
            ),
            // `name (ip:port)`: busybox wget and others print the name with the address.
            name_ip_port: re(
                r"\b([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+\((?:\d{1,3}\.){3}\d{1,3}:(\d{1,5})\)",
            ),
            // `127.0.0.1/7912`: old OkHttp and others print the port after a slash.
            host_slash_port: re(
                r"(?:^|[\s(\[])/?((?:\d{1,3}\.){3}\d{1,3}|localhost)/(\d{2,5})(?:[\s,;)\]]|$)",
            ),
            // `connect(("10.0.0.1", 554))`, `tcpConnectToHost(alloc, "localhost", 8080)`,
            // `HTTP::Client.new("127.0.0.1", 12345)`: a host and a port handed to a call.
            call_args: re(
                r#"[(,]\s*\(?\s*["']([A-Za-z0-9][\w.\-]*|\[?[0-9A-Fa-f:]+\]?)["']\s*,\s*(\d{1,5})\s*\)"#,
            ),
            // The name a lookup was for, written without quotes: `cannot resolve github.com`,
            // `Resolving mirror.example.org... failed`, `lookup db.internal on 10.0.0.2:53`.
            dns_words: re(
                r"(?i)\b(?:cannot\s+resolve|could\s+not\s+resolve(?:\s+host(?:name)?)?|couldn't\s+resolve(?:\s+host)?|unable\s+to\s+resolve(?:\s+host)?|resolving|lookup|unknown\s+host)\s*:?\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)",
            ),
            // `mysql -h10.0.0.5`: a short host flag glued to its value.
            glued_flag_host: re(r"(?:^|\s)-h((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z][\w\-]*(?:\.[\w\-]+)+|localhost)\b"),
            // A record announcing an attempt: the place it names is the one that failed.
            attempt: re(
                r"(?i)\b(?:connecting|trying\s+to\s+connect|try\s+to\s+connect|attempting\s+(?:to\s+connect|connection)|opening\s+(?:socket\s+)?connection|dialing|establishing\s+(?:a\s+)?connection)\b",
            ),
            // The statement a database error quotes: its values are data, not addresses.
            sql: re(r"(?i)\(SQL:\s.*?\)(?:\s|$)"),
            failure: re(
                r"(?i)refus|timed?\s*out|timeout|unreachable|no\s+route|reset|fail|error|err!|cannot|can't|unable|could\s+not|couldn't|not\s+known|resolve|exception|abort|denied|unavailable|拒|失败|超时|无法|отказ|ошибк|abgelehnt|fehl|refus|échec|rechaz|error",
            ),
        }
    })
}

/// Words that fill a host's place in messages without being one.
fn placeholder(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "address",
        "addr",
        "ip",
        "host",
        "hostname",
        "server",
        "unable",
        "at",
        "no",
        "to",
        "from",
        "port",
        "line",
        "char",
        "col",
        "column",
        "error",
        "err",
        "warn",
        "warning",
        "info",
        "debug",
        "trace",
        "time",
        "pid",
        "code",
        "errno",
        "step",
        "id",
        "version",
        "null",
        "none",
        "nil",
        "undefined",
        "unknown",
        "localhost.localdomain.invalid",
        "tcp",
        "udp",
        "http",
        "https",
        "file",
        "thread",
        "main",
        "caused",
        "by",
        "in",
        "on",
        "the",
        "and",
        "or",
        "for",
        "is",
        "was",
        "with",
        "attempt",
        "retry",
        "try",
        "node",
        "message",
        "msg",
        "reason",
        "status",
        "details",
        "desc",
        "type",
        "name",
        "value",
        "true",
        "false",
        "level",
        "ts",
        "caller",
        "err",
        "target",
        "url",
        "uri",
        "path",
        "query",
        "data",
        "es",
        "fr",
        "de",
        "en",
        "cn",
        "iex",
        "irb",
        "pry",
        "ghci",
        "julia",
        "scala",
        "user",
        "root",
        "self",
        "this",
        "socket",
        "connect",
        "connection",
        "client",
        "stderr",
        "stdout",
        "refused",
        "failed",
        "closed",
        "open",
        "timeout",
        "timed",
        "reset",
        "errors",
        "web",
        "remote",
        "endpoint",
        "internal",
        "node",
        "dns",
        "net",
        "os",
        "get",
        "post",
        "put",
        "dial",
        "head",
        "delete",
        "patch",
        "options",
    ];
    // Redacted or invented addresses (xxx.xxx.xxx.xxx, x.x.x.x, <ip>) name nothing.
    WORDS.contains(&h.as_str())
        || super::scan::is_placeholder(&h)
        // A timestamp (2023-04-01T12:33) read as host and port.
        || (h.len() > 5 && h.as_bytes()[..4].iter().all(u8::is_ascii_digit) && h.as_bytes()[4] == b'-')
        || h.ends_with(".java")
        || is_source_file(&h)
}

/// `Foo.java:12`, `app.py:3`: a file and line, not a host and port.
fn is_source_file(h: &str) -> bool {
    const EXT: &[&str] = &[
        "java", "kt", "scala", "py", "rb", "go", "rs", "js", "mjs", "cjs", "ts", "tsx", "jsx", "c",
        "cc", "cpp", "h", "hpp", "cs", "php", "ex", "exs", "erl", "hrl", "dart", "swift", "lua",
        "pl", "pm", "jl", "hs", "cr", "nim", "zig", "ml", "clj", "groovy", "m", "mm", "sh", "ps1",
        "vue", "svelte", "json", "yaml", "yml", "toml", "xml", "html", "log", "txt", "conf", "cfg",
        "ini", "jar", "class", "dll", "exe", "so", "lock", "md",
    ];
    h.rsplit_once('.')
        .is_some_and(|(_, ext)| EXT.contains(&ext) && !h.starts_with("www."))
}

/// A host as the extractor takes it: cleaned, not a placeholder, not a bare number.
fn host_of(raw: &str) -> Option<String> {
    let raw = raw.trim_matches(|c| matches!(c, '`' | '“' | '”' | '‘' | '’'));
    // `name/ip` (Java's resolved address): the name is what the program was asked for.
    let raw = match raw.split_once('/') {
        Some((name, _)) if !name.is_empty() => name,
        Some((_, ip)) => ip,
        None => raw,
    };
    let h = clean_host(raw)?;
    (!placeholder(&h)).then_some(h)
}

/// What the text just before a candidate says about its role: negative when it is the
/// source of a connection, a log line's own origin or a resolver, positive after "to".
fn role_before(before: &str) -> i32 {
    let b = before.to_ascii_lowercase();
    let tail: String = b
        .chars()
        .rev()
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = tail.trim_end_matches(['[', '(', '"', '\'', '/', ' ', '`', '<', ':']);
    const AWAY: &[&str] = &[
        "see",
        "see:",
        "here:",
        "details:",
        "visit",
        "docs:",
        "help:",
        "more:",
        "call from",
        "from",
        "for",
        "client:",
        "client",
        "local",
        "laddr",
        "source",
        "src",
        "listening on",
        "listen on",
        "bound to",
        "bind",
        "peer address",
        "self",
        "by",
    ];
    const TOWARD: &[&str] = &[
        "to",
        "connect",
        "connecting to",
        "server:",
        "server",
        "upstream:",
        "upstream",
        "host",
        "target",
        "remote",
        "endpoint",
        "dial tcp",
        "dial",
        "->",
        "at",
        "url:",
        "url",
        "tried:",
        "contact points",
        "connectstring",
        "connection string",
    ];
    if AWAY.iter().any(|w| tail.ends_with(w)) {
        // "fetch certificate from X", "download from X", "pull from X": the place fetched
        // from is where the connection went.
        const FETCH: &[&str] = &[
            "fetch", "download", "pull", "retrieve", "receive", "get", "load", "read", "clone",
        ];
        let fetched = tail.ends_with("from")
            && b.split_whitespace()
                .rev()
                .take(5)
                .any(|w| FETCH.iter().any(|f| w.starts_with(f)));
        if !fetched {
            return -8;
        }
        return 2;
    }
    if TOWARD.iter().any(|w| tail.ends_with(w)) {
        return 2;
    }
    0
}

/// Every address in one line, with a score for its form and its role in the line.
pub fn candidates(line: &str, services: &Services) -> Vec<Candidate> {
    let p = patterns();
    let mut cut = line.len().min(LINE_CAP);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let line = &line[..cut];
    let mut out: Vec<Candidate> = Vec::new();
    // The statement a database error quotes is data: nothing in it is a place.
    let mut taken: Vec<(usize, usize)> = p
        .sql
        .find_iter(line)
        .map(|m| (m.start(), m.end()))
        .collect();
    let push = |out: &mut Vec<Candidate>,
                taken: &mut Vec<(usize, usize)>,
                span: (usize, usize),
                host: Option<String>,
                port: Option<u16>,
                scheme: Option<String>,
                form: i32,
                asked: bool| {
        if taken.iter().any(|&(a, b)| span.0 < b && a < span.1) {
            return;
        }
        if host.is_none() && port.is_none() {
            return;
        }
        let role = role_before(&line[..span.0]);
        let mut score = form + role;
        // Inside a log record's leading `[...]` (its time, thread, logger or origin).
        if line.starts_with('[') && line.find(']').is_some_and(|end| span.0 < end) {
            score -= 6;
        }
        // The DNS server a lookup went to (`lookup db on 127.0.0.11:53`) is not the target.
        if port == Some(53) && line[..span.0].trim_end().ends_with(" on") {
            score -= 10;
        }
        // The local end of a socket pair (`10.0.0.1:51640->10.0.0.2:7002`).
        if line[span.1..].starts_with("->") {
            score -= 10;
        }
        taken.push(span);
        out.push(Candidate {
            host,
            port,
            scheme,
            score,
            asked: asked || role > 0,
        });
    };
    for m in p.url.find_iter(line) {
        let url = m.as_str();
        // "http:///var/run/docker.sock" and the like have no host to take.
        // A browser's own pages and scripts (chrome-error://, javascript:) are not places.
        let internal = [
            "chrome-error://",
            "chrome://",
            "about:",
            "javascript:",
            "data:",
            "blob:",
            "edge://",
        ]
        .iter()
        .any(|s| url.to_ascii_lowercase().starts_with(s));
        if internal {
            taken.push((m.start(), m.end()));
            continue;
        }
        let mut a = parse_url(url, services);
        if a.unix_path.is_some() {
            continue;
        }
        if a.host.is_none() {
            // A port written as a word (https://registry:port/v2/) still leaves the host.
            if let Some((head, tail)) = url.split_once("://") {
                let authority = tail.split(['/', '?', '#']).next().unwrap_or("");
                if let Some((host, word)) = authority.rsplit_once(':')
                    && word.chars().all(|c| c.is_ascii_alphabetic())
                {
                    a = parse_url(&format!("{head}://{host}/"), services);
                    a.port = None;
                }
            }
        }
        let host = a.host.and_then(|h| (!placeholder(&h)).then_some(h));
        // A URL whose host is hidden still gives its port.
        let port = a.port;
        // A link to documentation ("see https://…/docs/…") is advice, not the target.
        let lower = url.to_ascii_lowercase();
        let docs = [
            "/docs",
            "/doc/",
            "wiki",
            "/help",
            "/faq",
            "errors.html",
            "/manual",
        ]
        .iter()
        .any(|d| lower.contains(d));
        // A script's own location in a stack trace (`File "https://app/x.js", line 20`,
        // `at f (http://host:8081/bundle.js:10046:8)`) is where code ran, not a place.
        let rest = &line[m.end()..];
        let frame = rest.starts_with("\", line ") || rest.starts_with("', line ") || {
            let u = url.trim_end_matches([')', ',', ';', '.', ']']);
            u.matches(':').count() >= 3
                && u.rsplit(':')
                    .take(2)
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if docs || frame {
            taken.push((m.start(), m.end()));
            continue;
        }
        push(
            &mut out,
            &mut taken,
            (m.start(), m.end()),
            host,
            port,
            a.scheme,
            5,
            true,
        );
    }
    for c in p.call_args.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            host_of(h.as_str().trim_matches(['[', ']'])),
            parse_port(n.as_str()),
            None,
            6,
            true,
        );
    }
    for c in p.host_slash_port.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            host_of(h.as_str()),
            parse_port(n.as_str()),
            None,
            5,
            false,
        );
    }
    for c in p.name_ip_port.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            host_of(h.as_str()),
            parse_port(n.as_str()),
            None,
            6,
            true,
        );
    }
    for c in p.tool_host_port.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            host_of(h.as_str()),
            parse_port(n.as_str()),
            None,
            7,
            true,
        );
    }
    for c in p.host_port_words.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            host_of(h.as_str()),
            parse_port(n.as_str()),
            None,
            6,
            false,
        );
    }
    for c in p.hostport.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        let Some(port) = parse_port(n.as_str()) else {
            continue;
        };
        let raw = h.as_str();
        // Clock times (10:16:26) and file positions (errors:692:14) look the same.
        let rest = &line[n.end()..];
        if rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let Some((host, _)) = split_addr(&format!("{raw}:{port}")) else {
            continue;
        };
        if placeholder(&host) {
            continue;
        }
        // Part of a path or module name (node:events:502, lib/undici:14976).
        let before = &line[..h.start()];
        let ip_literal = host.parse::<std::net::IpAddr>().is_ok();
        let in_path = (before.ends_with(':') && !ip_literal)
            || before.ends_with(['\\', '.', '@', '#'])
            || (before.ends_with('/')
                && before[..before.len() - 1].ends_with(|c: char| c.is_alphanumeric()));
        if in_path {
            continue;
        }
        let single_label = !host.contains(['.', ':']) && host != "localhost";
        // A lone word before a number is more often a label ("attempt:1", "events:502")
        // than a host, unless the text says a connection went to it.
        // Too weak to be the target alone, but it can still give a known host its port.
        let form = match (single_label, role_before(&line[..h.start()]) > 0) {
            (false, _) => 5,
            (true, true) if port >= 20 => 3,
            _ => -4,
        };
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            Some(host),
            Some(port),
            None,
            form,
            false,
        );
    }
    for c in p.kv_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        // A response's headers (`"server": "nginx"`) name software, not a place.
        if line[..h.start()].to_ascii_lowercase().contains("headers") {
            continue;
        }
        let host = host_of(h.as_str());
        let port = p
            .kv_port
            .captures(&line[h.end()..])
            .and_then(|pc| parse_port(pc.get(1)?.as_str()));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            None,
            4,
            false,
        );
    }
    for c in p.flag_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        let raw = h.as_str();
        let (host, port, scheme) = if raw.contains("://") {
            let a = parse_url(raw, services);
            (a.host, a.port, a.scheme)
        } else {
            match split_addr(raw) {
                Some((h, p)) if !placeholder(&h) => (Some(h), p, None),
                _ => (None, None, None),
            }
        };
        let port = port.or_else(|| flag_port(line));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            scheme,
            5,
            true,
        );
    }
    for c in p.glued_flag_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host_of(h.as_str()),
            flag_port(line),
            None,
            5,
            true,
        );
    }
    for c in p.user_at_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        let host = host_of(h.as_str()).filter(|h| h.contains('.') || h == "localhost");
        // ssh's own port unless the command names another.
        let port = host.as_ref().and(flag_port(line).or(Some(22)));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            Some("ssh".into()),
            4,
            true,
        );
    }
    for c in p.registry_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host_of(h.as_str()),
            None,
            None,
            4,
            true,
        );
    }
    for c in p.dns_words.captures_iter(line) {
        let h = c.get(1).expect("group");
        let host = host_of(h.as_str().trim_end_matches('.'));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            None,
            None,
            5,
            false,
        );
    }
    for c in p.quoted_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        let (host, port) = split_addr(h.as_str()).map_or((None, None), |(h, p)| (Some(h), p));
        let host = host.filter(|h| !placeholder(h));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            None,
            5,
            false,
        );
    }
    for c in p.hidden_host_port.captures_iter(line) {
        let n = c.get(1).expect("group");
        let whole = c.get(0).expect("group");
        push(
            &mut out,
            &mut taken,
            (whole.start(), n.end()),
            None,
            parse_port(n.as_str()),
            None,
            4,
            false,
        );
    }
    for m in p.localhost.find_iter(line) {
        push(
            &mut out,
            &mut taken,
            (m.start(), m.end()),
            Some("localhost".into()),
            None,
            None,
            1,
            false,
        );
    }
    for m in p.ipv4.find_iter(line) {
        // Part of a longer dotted number (a version, an OID) is not an address.
        if line[..m.start()].ends_with(|c: char| c == '.' || c.is_ascii_digit()) {
            continue;
        }
        let host = host_of(m.as_str());
        push(
            &mut out,
            &mut taken,
            (m.start(), m.end()),
            host,
            None,
            None,
            2,
            false,
        );
    }
    out
}

/// A port given by flag on a command line (`-P 3306`, `-p 2222`, `--port=8080`).
fn flag_port(line: &str) -> Option<u16> {
    let p = patterns();
    p.flag_port
        .captures(line)
        .and_then(|c| parse_port(c.get(1)?.as_str()))
}

fn same_host(a: &str, b: &str) -> bool {
    a.trim_matches(['[', ']'])
        .eq_ignore_ascii_case(b.trim_matches(['[', ']']))
}

/// Fills what `target` lacks from the lines around an error (`first..=last`, 0-based lines
/// of the prepared text): the host when no signature named one, the port when only the
/// host is known. Never replaces what a signature read. Lines before `floor` belong to an
/// earlier error and are not read.
pub fn complete(
    target: &mut TargetGuess,
    prep: &Prepared,
    [first, last]: [usize; 2],
    floor: usize,
    services: &Services,
) {
    if target.unix_path.is_some() || (target.host.is_some() && target.port.is_some()) {
        return;
    }
    let n = prep.line_starts.len();
    if n == 0 {
        return;
    }
    let last = last.min(n - 1);
    let from = first.saturating_sub(LOOK_BEHIND).max(floor).min(first);
    let to = (last + LOOK_AHEAD_FAR).min(n - 1);
    let p = patterns();
    let mut best: Option<(i32, Candidate)> = None;
    let mut ports: Vec<(i32, u16)> = Vec::new();
    // Ports the error's own lines and those after it give as a field or a flag (`"port":
    // 80`, `-P 3307`), for a host this reader finds itself.
    let mut field_ports: Vec<(i32, u16)> = Vec::new();
    for i in from..=to {
        let line = prep.line(i);
        if line.len() < 3 {
            continue;
        }
        let inside = i >= first && i <= last;
        let far = i > last + LOOK_AHEAD;
        // Far below the error only a command that ran or a `port` field still speaks of it.
        let command = p.flag_host.is_match(line)
            || p.glued_flag_host.is_match(line)
            || p.call_args.is_match(line);
        if far && !command && !p.kv_port.is_match(line) {
            continue;
        }
        // An attempt announced before the error (`Connecting to X`, `Opening socket
        // connection to server X`) is the one that failed, at whatever level it was logged.
        let attempt = p.attempt.is_match(line);
        // A routine record before the error (INFO GET … took 12ms) is a request that
        // worked, not the one that failed.
        let routine = super::text::is_routine(line) && !p.failure.is_match(line) && !attempt;
        let failing = p.failure.is_match(&line[..line.len().min(LINE_CAP)]);
        // The error's own lines first, then the lines just before it; a command line
        // (the thing that was run) counts wherever it is.
        let near = if inside {
            4
        } else if i > last {
            1
        } else {
            2 - ((first - i) as i32 / 8)
        };
        let context = near + i32::from(failing) * 2;
        for c in candidates(line, services) {
            // The host a signature already read, named again with its port anywhere near
            // (`Downloading 'http://a'` in a DEBUG record before `UnknownHostException: a`).
            let known = matches!((&target.host, &c.host), (Some(h), Some(ch)) if same_host(ch, h));
            // Before the error, only a place the text says was asked for: an address that
            // is merely mentioned there belongs to whatever that line was about.
            // A failure reported on the line just before (`[db:5432] connection failed!`)
            // is this error's own first words.
            let reported = failing && i < first && first - i <= 2;
            if i < first && (!(c.asked || attempt || reported) || routine) && !known {
                continue;
            }
            let score = c.score + context;
            if let Some(port) = c.port
                && c.host.is_none()
            {
                ports.push((score, port));
                continue;
            }
            match &target.host {
                Some(h) => {
                    // The port the text gives beside the host a signature already read.
                    if let (Some(ch), Some(port)) = (&c.host, c.port)
                        && same_host(ch, h)
                    {
                        ports.push((score + 5, port));
                    }
                }
                None => {
                    if c.host.is_some() && best.as_ref().is_none_or(|(s, _)| score >= *s) {
                        best = Some((score, c));
                    }
                }
            }
        }
        if target.host.is_some() && i >= first && !far {
            if let Some(port) = flag_port(line) {
                ports.push((6, port));
            }
            for cap in p.port_word.captures_iter(&line[..line.len().min(LINE_CAP)]) {
                if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str())) {
                    ports.push((5, port));
                }
            }
        } else if target.host.is_some() && far {
            for cap in p.kv_port.captures_iter(&line[..line.len().min(LINE_CAP)]) {
                if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str())) {
                    ports.push((4, port));
                }
            }
        }
        if target.host.is_none() && i >= first {
            let head = &line[..line.len().min(LINE_CAP)];
            if let Some(port) = flag_port(head) {
                field_ports.push((6 - i32::from(far), port));
            }
            for cap in p.kv_port.captures_iter(head) {
                if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str())) {
                    field_ports.push((5 - i32::from(far), port));
                }
            }
        }
    }
    if target.host.is_none()
        && let Some((score, c)) = best
        && score >= MIN_SCORE
    {
        target.located = true;
        target.host = c.host;
        target.port = target.port.or(c.port);
        if target.scheme.is_none() {
            target.scheme = c.scheme;
        }
        if target.port.is_none()
            && let Some((_, port)) = field_ports.iter().max_by_key(|(s, _)| *s)
        {
            target.port = Some(*port);
        }
        return;
    }
    if target.host.is_none() && target.port.is_none() {
        // No host anywhere, but the port the failing line names is still worth giving.
        if let Some((_, port)) = ports
            .iter()
            .filter(|(s, _)| *s >= MIN_SCORE)
            .max_by_key(|(s, _)| *s)
        {
            target.port = Some(*port);
            target.located = true;
        }
        return;
    }
    if target.host.is_some()
        && target.port.is_none()
        && let Some((_, port)) = ports.iter().max_by_key(|(s, _)| *s)
    {
        target.port = Some(*port);
        target.located = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::text;

    fn first(line: &str) -> Option<(Option<String>, Option<u16>)> {
        let mut c = candidates(line, &Services::bundled());
        c.sort_by_key(|c| std::cmp::Reverse(c.score));
        c.into_iter().next().map(|c| (c.host, c.port))
    }

    fn some(h: &str, p: Option<u16>) -> Option<(Option<String>, Option<u16>)> {
        Some((Some(h.to_string()), p))
    }

    #[test]
    fn reads_the_forms_addresses_take() {
        assert_eq!(
            first("ssh: connect to host 10.1.2.3 port 2222: x"),
            some("10.1.2.3", Some(2222))
        );
        assert_eq!(
            first("Failed to connect to [::1]:5432"),
            some("::1", Some(5432))
        );
        assert_eq!(
            first("connect to fe80::1%eth0 port 22"),
            some("fe80::1%eth0", Some(22))
        );
        assert_eq!(
            first("GET https://user:pw@api.example.com/v1"),
            some("api.example.com", Some(443))
        );
        assert_eq!(
            first("$ mysql -h db.internal -P 3307 -u root"),
            some("db.internal", Some(3307))
        );
        assert_eq!(
            first("telnet 127.0.0.1 8990"),
            some("127.0.0.1", Some(8990))
        );
        assert_eq!(
            first("address = localhost, port = 50730"),
            some("localhost", Some(50730))
        );
        assert_eq!(
            first("Connection to node -1 (kafka/172.18.0.2:29092) could not be established"),
            some("kafka", Some(29092))
        );
        assert_eq!(
            first("openssl s_client -connect www.example.org:443"),
            some("www.example.org", Some(443))
        );
    }

    #[test]
    fn a_source_a_resolver_or_a_file_is_not_the_target() {
        assert_eq!(
            first("Call From box/10.0.0.9 to nn.example:8020 failed"),
            some("nn.example", Some(8020))
        );
        let c = candidates(
            "dial tcp: lookup db on 127.0.0.11:53: no such host",
            &Services::bundled(),
        );
        assert!(c.iter().all(|c| c.port != Some(53) || c.score < 0), "{c:?}");
        assert_eq!(first("at Foo.connect(Foo.java:290)"), None);
        assert_eq!(
            first("read tcp 10.0.0.1:51640->10.0.0.2:7002: reset"),
            some("10.0.0.2", Some(7002))
        );
        // A redacted host names nothing, but the port is still the port.
        assert_eq!(
            first("ssh: connect to host xxx.xxx.xxx.xxx port 22"),
            Some((None, Some(22)))
        );
    }

    #[test]
    fn reads_call_arguments_glued_flags_lookup_names_and_slashed_ports() {
        assert_eq!(
            first(r#"tcpConnectToHost(alloc, "localhost", 8080); //failure"#),
            some("localhost", Some(8080))
        );
        assert_eq!(
            first(r#"_sock.connect(("127.0.0.1", 554))"#),
            some("127.0.0.1", Some(554))
        );
        assert_eq!(
            first("mysql -uroot -h10.1.2.3 -P8066"),
            some("10.1.2.3", Some(8066))
        );
        assert_eq!(
            first("ping: cannot resolve github.com: Unknown host"),
            some("github.com", None)
        );
        assert_eq!(
            first("java.net.ConnectException: Failed to connect to 127.0.0.1/7912"),
            some("127.0.0.1", Some(7912))
        );
        assert_eq!(
            first("git clone git@gitlab.com:group/repo.git"),
            some("gitlab.com", Some(22))
        );
    }

    #[test]
    fn stack_frames_headers_sql_and_browser_pages_name_no_place() {
        assert_eq!(
            first(r#"  File "https://app.example.com/index-rV0k7TzD.js", line 202, in f"#),
            None
        );
        assert_eq!(
            first("at xhr.onload (http://localhost:8081/index.bundle?platform=android:10046:8)"),
            None
        );
        assert_eq!(
            first("[Checking the proxy and the firewall](chrome-error://chromewebdata/#buttons)"),
            None
        );
        assert_eq!(
            first(
                "SQLSTATE[HY000] [2002] Connection refused (SQL: select * from `ips` where `id` = 127.0.0.1 limit 1)"
            ),
            None
        );
        assert_eq!(
            first(r#"metadata: {headers: {"server": "edge-proxy", "date": "Thu"}}"#),
            None
        );
        // Fetching from a place goes to it; a call from a place comes from it.
        assert_eq!(
            first("ERROR: Failed to fetch certificate from 172.26.1.10:789"),
            some("172.26.1.10", Some(789))
        );
    }

    #[test]
    fn fills_a_missing_host_from_the_command_that_failed() {
        let prep =
            text::prepare("$ curl -v http://10.9.8.7:8080/health\nERROR: connection refused\n");
        let mut t = TargetGuess::default();
        complete(&mut t, &prep, [1, 1], 0, &Services::bundled());
        assert_eq!((t.host.as_deref(), t.port), (Some("10.9.8.7"), Some(8080)));
        // A host the signature read keeps its value; only its port is added.
        let prep = text::prepare(
            "$ mysql -h db -P 3307\nERROR 2003 (HY000): Can't connect to MySQL server on 'db' (111)\n",
        );
        let mut t = TargetGuess {
            host: Some("db".into()),
            ..TargetGuess::default()
        };
        complete(&mut t, &prep, [1, 1], 0, &Services::bundled());
        assert_eq!((t.host.as_deref(), t.port), (Some("db"), Some(3307)));
    }
}
