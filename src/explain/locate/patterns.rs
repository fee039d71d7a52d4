//! The patterns the reader matches each line with, compiled once.

use crate::explain::scan::parse_port;
use crate::knowledge::signatures::compile;
use regex::Regex;
use std::sync::OnceLock;

pub struct Patterns {
    pub url: Regex,
    pub host_port_words: Regex,
    pub hostport: Regex,
    pub kv_host: Regex,
    pub kv_port: Regex,
    pub flag_host: Regex,
    pub flag_port: Regex,
    pub tool_host_port: Regex,
    pub user_at_host: Regex,
    pub registry_host: Regex,
    pub localhost: Regex,
    pub quoted_host: Regex,
    pub ipv4: Regex,
    pub port_word: Regex,
    pub hidden_host_port: Regex,
    pub name_ip_port: Regex,
    pub host_slash_port: Regex,
    pub call_args: Regex,
    pub dns_words: Regex,
    pub glued_flag_host: Regex,
    pub attempt: Regex,
    pub sql: Regex,
    pub failure: Regex,
}

pub fn patterns() -> &'static Patterns {
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

/// A port given by flag on a command line (`-P 3306`, `-p 2222`, `--port=8080`).
pub fn flag_port(line: &str) -> Option<u16> {
    let p = patterns();
    p.flag_port
        .captures(line)
        .and_then(|c| parse_port(c.get(1)?.as_str()))
}
