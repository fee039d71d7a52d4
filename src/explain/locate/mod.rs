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

mod command;
mod forms;
mod patterns;
mod roles;

use super::TargetGuess;
use super::scan::parse_port;
use super::text::Prepared;
use crate::knowledge::services::Services;
use forms::without_local_port;
pub use forms::{Candidate, candidates};
use patterns::{flag_port, patterns, server_flag};

/// Lines read before the first line of an error (a command, a "connecting to" line).
const LOOK_BEHIND: usize = 40;
/// Lines read after its last line (an address printed after the message).
const LOOK_AHEAD: usize = 3;
/// Further lines read after it for a command that ran (`-h host`) or an error object's
/// `"port": N` field, which reporters often paste below the message.
const LOOK_AHEAD_FAR: usize = 6;
/// Lines after an error searched for the `Caused by:` parts of its chain.
const CHAIN_REACH: usize = 16;
/// Only this much of each line is read: addresses sit near the start of a message, and
/// a megabyte-long line must not cost a megabyte per error.
const LINE_CAP: usize = 2_000;

/// The first `LINE_CAP` bytes of a line, cut at a character boundary.
fn head(line: &str) -> &str {
    let mut cut = line.len().min(LINE_CAP);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    &line[..cut]
}
/// The destination of a local forward on an ssh command line (`ssh h -L 8080:db:5432`,
/// `-L127.0.0.1:8080:[::1]:5432`).
fn forwarded(line: &str) -> Option<(String, u16)> {
    if !line.contains("ssh")
        || !(super::text::is_prompt(line) || line.trim_start().starts_with("ssh "))
    {
        return None;
    }
    let mut words = line.split_whitespace();
    let spec = loop {
        let w = words.next()?;
        if let Some(glued) = w.strip_prefix("-L") {
            break if glued.is_empty() {
                words.next()?
            } else {
                glued
            };
        }
    };
    // Only the first `-L` is read: one forward is the usual case, and the error names none.
    let (rest, port) = spec.rsplit_once(':')?;
    let host = match rest.strip_suffix(']') {
        Some(r) => r.rsplit_once('[')?.1,
        None => rest.rsplit_once(':').map_or(rest, |(_, h)| h),
    };
    // `-L 8080:/run/app.sock` forwards to a socket; a host is letters, digits, dots.
    (!host.is_empty() && !host.contains('/'))
        .then(|| Some((host.to_string(), parse_port(port)?)))
        .flatten()
}

/// The line reports a failure: a word such as "failed", "error", "cannot" or "timed out".
pub fn reports_failure(line: &str) -> bool {
    patterns().failure.is_match(head(line))
}

/// The line speaks of the network: a connection, socket, host, peer, request, protocol.
pub fn names_network(line: &str) -> bool {
    patterns().network.is_match(head(line))
}

/// The line holds an IPv4 address.
pub fn names_ip(line: &str) -> bool {
    patterns().ipv4.is_match(head(line))
}

/// `host` is the name dig or nslookup was asked about on `line`.
fn asked_of_resolver(line: &str, host: Option<&str>) -> bool {
    host.is_some_and(|h| {
        (patterns().dig_name.captures_iter(line)).any(|c| {
            c.get(1)
                .is_some_and(|m| m.as_str().trim_end_matches('.') == h)
        })
    })
}

/// Lines apart a host field and its port field may be (`host = "db"` … `port = 5432`).
const FIELD_GAP: usize = 8;

/// Hosts and ports given as named fields or constants, each with its line and the prefix
/// of its name (`NEO4J` of `NEO4J_PORT`, empty for a bare `port`). Host fields are read
/// only near a port field: most errors have none, and the reader must stay fast on long
/// logs.
#[derive(Default)]
struct Fields {
    ports: Vec<(usize, String, u16)>,
    /// Lines that may hold a host field (written with `=`, `:` or `#define`).
    maybe: Vec<usize>,
    hosts: Vec<(usize, String, String)>,
}

/// The text holds "port" in any case.
fn says_port(line: &str) -> bool {
    line.as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"port"))
}

impl Fields {
    fn read(&mut self, i: usize, line: &str) {
        if !line.contains(['=', ':', '#']) {
            return;
        }
        self.maybe.push(i);
        if !says_port(line) {
            return;
        }
        for c in patterns().field_port.captures_iter(line) {
            let name = prefix(&c, 1, 3);
            // The local end's port is not the target's.
            let local = [
                "local", "src", "source", "client", "bind", "listen", "proxy",
            ];
            if local.iter().any(|w| name.ends_with(w)) {
                continue;
            }
            if let Some(port) = c
                .get(2)
                .or_else(|| c.get(4))
                .or_else(|| c.get(5))
                .and_then(|m| parse_port(m.as_str()))
            {
                self.ports.push((i, name, port));
            }
        }
    }

    /// Reads the host fields on the lines near a port field, once every line is read.
    fn finish(&mut self, prep: &Prepared) {
        let ports = &self.ports;
        let near = |j: &&usize| ports.iter().any(|(k, _, _)| j.abs_diff(*k) <= FIELD_GAP);
        for &j in self.maybe.iter().filter(near) {
            for c in patterns().field_host.captures_iter(head(prep.line(j))) {
                if let Some(h) = c.get(2).or_else(|| c.get(4)) {
                    let host = h.as_str().trim_matches(['[', ']']).to_string();
                    self.hosts.push((j, prefix(&c, 1, 3), host));
                }
            }
        }
    }

    /// The one host a paste's fields give together with a port (`#define SERVER_ADDRESS
    /// "10.0.0.5"` beside `#define SERVER_PORT 8080`): the connection's settings, quoted
    /// above its error. None when they name several hosts, or none that looks like one.
    fn pair(&self) -> Option<(String, u16)> {
        let mut found: Option<(String, u16)> = None;
        for (_, _, raw) in &self.hosts {
            let Some(host) = roles::host_of(raw) else {
                continue;
            };
            let looks = host.contains(['.', ':']) || host.eq_ignore_ascii_case("localhost");
            let Some(port) = self.port_of(raw).filter(|_| looks) else {
                continue;
            };
            match &found {
                Some((h, _)) if !same_host(h, &host) => return None,
                _ => found = Some((host, port)),
            }
        }
        found
    }

    /// The port a field gives within a few lines of a field naming `host`, with the same
    /// prefix when both have one: the nearest such.
    fn port_of(&self, host: &str) -> Option<u16> {
        let mut best: Option<(usize, u16)> = None;
        for (j, hp, h) in &self.hosts {
            if !same_host(h, host) {
                continue;
            }
            for (k, pp, port) in &self.ports {
                let gap = j.abs_diff(*k);
                let agree = hp.is_empty() || pp.is_empty() || hp == pp;
                if gap <= FIELD_GAP && agree && best.is_none_or(|(g, _)| gap < g) {
                    best = Some((gap, *port));
                }
            }
        }
        best.map(|(_, p)| p)
    }
}

/// The lower-cased prefix of a field's name, from the first of two groups that matched.
fn prefix(c: &regex::Captures, a: usize, b: usize) -> String {
    (c.get(a).or_else(|| c.get(b))).map_or(String::new(), |m| m.as_str().to_ascii_lowercase())
}

/// A candidate must score at least this to be taken as the target.
const MIN_SCORE: i32 = 4;

fn same_host(a: &str, b: &str) -> bool {
    a.trim_matches(['[', ']'])
        .eq_ignore_ascii_case(b.trim_matches(['[', ']']))
}

/// Fills what `target` lacks from the lines around an error (`first..=last`, 0-based lines
/// of the prepared text): the host when no signature named one, the port when only the
/// host is known. Never replaces what a signature read. Lines before `floor` belong to an
/// earlier error and are not read.
/// A line that ends by pointing at the next one for the place: `The URL in question:`,
/// `Server address:`, `the endpoint is:`.
/// The record's message is one URL, after a logger's ` - ` (not a sentence that ends in one:
/// `Parsed proxy configuration: http://…`).
fn only_a_url(line: &str) -> bool {
    let t = line.trim_end();
    let Some((before, last)) = t.rsplit_once(' ') else {
        return false;
    };
    last.contains("://")
        && last.starts_with(|c: char| c.is_ascii_alphabetic())
        && before.ends_with(" -")
}

fn introduces_place(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l.len() <= 60
        && l.ends_with(':')
        && l.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| ["url", "address", "host", "hostname", "endpoint", "server"].contains(&w))
}

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
    // Lines before `floor` belong to the earlier error, except the command that ran (or
    // ping's header) above both: every error under it speaks of its target.
    let from = first.saturating_sub(LOOK_BEHIND).min(first);
    // ssh could not open a forwarded channel: the connection that failed went from the
    // server to the forward's destination (`-L 8080:db:5432`), not to the ssh server.
    if target.host.is_none()
        && (first..=last).any(|i| prep.line(i).contains(": open failed: connect failed"))
        && let Some((host, port)) = (from..first).rev().find_map(|i| forwarded(prep.line(i)))
    {
        target.host = Some(host);
        target.port = Some(port);
        target.located = true;
        return;
    }
    // A `Caused by:` chain after the error (cargo, anyhow, Java) is the same error told
    // down to its root, which often names the URL: its lines count as near ones.
    // Python tells its chain the other way round: the traceback after `The above exception
    // was the direct cause…` is the outer call, whose frames name what it was asked to reach.
    let ahead = (first..=(last + CHAIN_REACH).min(n - 1))
        .filter_map(|i| {
            let l = prep.line(i).trim_start();
            if i > last && l.starts_with("Caused by") {
                Some(i + 2)
            } else if l.starts_with("The above exception was the direct cause")
                || l.starts_with("During handling of the above exception")
            {
                Some(i + CHAIN_REACH)
            } else {
                None
            }
        })
        .max()
        .map_or(last + LOOK_AHEAD, |end| end.max(last + LOOK_AHEAD));
    // Node prints an error's own fields after its last frame (`at … {`, then `code:`, and
    // an HTTP client's `config: { url, baseURL }`): the fields that name a place are still
    // the error's, however long the dump (not a driver's map of every server it knew).
    let dump_end = (first..=(last + CHAIN_REACH).min(n - 1))
        .find(|&i| {
            let l = prep.line(i).trim();
            l.starts_with("at ") && l.ends_with(" {")
        })
        .map(|i| i + 2 * CHAIN_REACH);
    let to = (last + LOOK_AHEAD_FAR)
        .max(ahead)
        .max(dump_end.unwrap_or(0))
        .min(n - 1);
    let p = patterns();
    let mut best: Option<(i32, Candidate)> = None;
    let mut best_line = 0;
    let mut ports: Vec<(i32, u16)> = Vec::new();
    // Host-less ports by line, for the host this reader finds itself: Windows telnet's
    // `Connecting To 10.0.0.5...Could not open connection to the host, on port 23`.
    let mut line_ports: Vec<(usize, i32, u16)> = Vec::new();
    // Every host read with its port, for a host found without one (`localhost refused to
    // connect` after `http://localhost:8097`).
    // A URL's name also gives its port to the address the name resolved to.
    let mut named: Vec<(i32, String, u16, bool)> = Vec::new();
    // Ports the error's own lines and those after it give as a field or a flag (`"port":
    // 80`, `-P 3307`), for a host this reader finds itself.
    let mut field_ports: Vec<(i32, u16)> = Vec::new();
    // When the resolver itself could not be reached, the DNS server a tool named is the
    // target (port 53), not the name it asked about.
    let resolver_down = (first..=last).any(|i| p.resolver_down.is_match(head(prep.line(i))));
    let mut fields = Fields::default();
    // The port flag of the last command that ran above the error, even when its host is
    // hidden (`iperf3 -c x.x.x.x -p 5100`).
    let mut command_port = None;
    for i in from..=to {
        let line = without_local_port(prep.line(i));
        let line = line.as_ref();
        if line.len() < 3 {
            continue;
        }
        let t = line.trim_start();
        let ran =
            super::text::is_prompt(line) || t.starts_with("PING ") || t.starts_with("Pinging ");
        if i < floor && !ran {
            continue;
        }
        fields.read(i, head(line));
        let inside = i >= first && i <= last;
        let far = i > ahead;
        // Far below the error only a command that ran or a `port` field still speaks of it.
        let command = p.flag_host.is_match(line)
            || server_flag(line)
            || p.glued_flag_host.is_match(line)
            || p.call_args.is_match(line)
            || p.nfs_export.is_match(line)
            || p.failed_command.is_match(line);
        // So does a line naming the host already read, which may give its port (git's
        // `fatal: clone of 'ssh://git@h:10022/…' failed` under ssh's lookup error).
        let names_known = far && target.host.as_deref().is_some_and(|h| line.contains(h));
        // A line that introduces the next one as the place (`The URL in question:`,
        // `Server address:`) brings it near, however far below the error.
        let introduced = far && i > 0 && introduces_place(prep.line(i - 1));
        let dumped = dump_end.is_some_and(|end| i <= end) && {
            let t = line.trim_start();
            ["url:", "baseURL:", "host:", "hostname:", "address:"]
                .iter()
                .any(|k| t.starts_with(k))
        };
        if far && !command && !names_known && !introduced && !dumped && !p.kv_port.is_match(line) {
            continue;
        }
        // An attempt announced before the error (`Connecting to X`, `Opening socket
        // connection to server X`) is the one that failed, at whatever level it was logged.
        let attempt = p.attempt.is_match(line);
        // A routine record before the error (INFO GET … took 12ms) is a request that
        // worked, not the one that failed.
        // A record whose whole message is a URL announces the place the next step goes to
        // (a collector's `INFO … - http://10.0.0.5:8080` before its timeout).
        let routine = super::text::is_routine(line)
            && !p.failure.is_match(line)
            && !attempt
            && !only_a_url(line);
        let failing = p.failure.is_match(head(line));
        // A server announcing itself before the error (`server listening on port 3000`)
        // speaks of its own end, not of what failed to connect.
        if i < first && !failing && {
            let l = line.to_ascii_lowercase();
            [
                "listening on",
                "listening at",
                "server started",
                "running on",
                "running at",
            ]
            .iter()
            .any(|w| l.contains(w))
                && !roles::names_api_server(&l)
        } {
            continue;
        }
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
                // Not a target here, but a name's port all the same, for that name found
                // at the error without one (`open url 'https://www.lan/x'` … `Connect to
                // 'www.lan', error message 'certificate verify failed'`).
                if let (None, Some(h), Some(port)) = (&target.host, &c.host, c.port) {
                    named.push((c.score + context - 4, h.clone(), port, false));
                }
                continue;
            }
            // When no DNS server answered, the server is the target, not the name it was
            // asked about (`nslookup db.lan` … `no servers could be reached`).
            if resolver_down && c.port.is_none() && asked_of_resolver(line, c.host.as_deref()) {
                continue;
            }
            let score = c.score + context + 3 * i32::from(resolver_down && c.port == Some(53));
            if let Some(port) = c.port
                && c.host.is_none()
            {
                ports.push((score, port));
                line_ports.push((i, score, port));
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
                    // The URL a request was made to (or the command that ran), when the
                    // failing line names only the address its name resolved to (`GET
                    // http://mirror.lan/` … `Failed to connect to 10.0.0.5`, `telnet una.lan
                    // 80` … `can't connect to remote host (10.0.0.5)`): its port is the port.
                    if let (Some(ch), Some(port)) = (&c.host, c.port)
                        && c.asked
                        && h.parse::<std::net::IpAddr>().is_ok()
                        && ch.parse::<std::net::IpAddr>().is_err()
                    {
                        ports.push((score - 3, port));
                    }
                }
                None => {
                    // The error hid its address but kept the port (`dial tcp 10.x.x.x:9092`):
                    // a name given with that port is the same place (`broker kafka:9092`).
                    let score =
                        score + 3 * i32::from(target.port.is_some() && c.port == target.port);
                    if let (Some(h), Some(port)) = (&c.host, c.port) {
                        // A command that ran (`$ telnet db.lan 22`) names the name whose
                        // address its next lines try, as a URL does.
                        let url = (c.scheme.is_some() || ran) && c.asked;
                        named.push((score, h.clone(), port, url));
                    }
                    if c.host.is_some() && best.as_ref().is_none_or(|(s, _)| score >= *s) {
                        best = Some((score, c));
                        best_line = i;
                    }
                }
            }
        }
        if target.host.is_some() && i >= first && !far {
            if let Some(port) = flag_port(line) {
                ports.push((6, port));
            }
            for cap in p.port_word.captures_iter(head(line)) {
                if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str())) {
                    ports.push((5, port));
                }
            }
        } else if target.host.is_some() && far {
            for cap in p.kv_port.captures_iter(head(line)) {
                if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str())) {
                    ports.push((4, port));
                }
            }
        }
        if target.host.is_none() && i < first && ran {
            // The command that ran names its port with a flag (`iperf3 -c x -p 5100`).
            if let Some(port) = flag_port(line) {
                field_ports.push((4, port));
                command_port = Some(port);
            }
        }
        if target.host.is_none() && i >= first {
            let start = head(line);
            // The error's own `port N`, its host cut off or never written (`port 22:
            // Connection timed out`), unless it names this end (`local port 43594`), the end
            // that came in (`from x.x.x.83 port 34876`) or ssh's stand-in for a peer behind a
            // ProxyCommand (`UNKNOWN port 65535`).
            if inside {
                for cap in p.port_word.captures_iter(start) {
                    let at = cap.get(0).map_or(0, |m| m.start());
                    let word = start[..at].trim_end().rsplit(' ').next().unwrap_or("");
                    let from = forms::came_in_from(&start[..at], 2);
                    let end = cap.get(0).map_or(at, |m| m.end());
                    let advice = forms::is_advice(&start[end..]);
                    let local = [
                        "local",
                        "source",
                        "src",
                        "client",
                        "listen",
                        "listening",
                        "unknown",
                    ];
                    if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str()))
                        && !local.iter().any(|w| word.eq_ignore_ascii_case(w))
                        && !from
                        && !advice
                    {
                        ports.push((MIN_SCORE, port));
                    }
                }
            }
            if let Some(port) = flag_port(start) {
                field_ports.push((6 - i32::from(far), port));
            }
            for cap in p.kv_port.captures_iter(start) {
                if let Some(port) = cap.get(1).and_then(|m| parse_port(m.as_str())) {
                    field_ports.push((5 - i32::from(far), port));
                }
            }
        }
    }
    fields.finish(prep);
    if target.host.is_none()
        && let Some((score, c)) = best
        && score >= MIN_SCORE
    {
        target.located = true;
        target.port = target.port.or(c.port).or_else(|| {
            let h = c.host.as_deref()?;
            let ip = h.parse::<std::net::IpAddr>().is_ok();
            (named.iter())
                .filter(|(_, n, _, url)| {
                    same_host(n, h) || (ip && *url && n.parse::<std::net::IpAddr>().is_err())
                })
                .max_by_key(|(s, n, _, _)| (same_host(n, h), *s))
                .map(|(_, _, p, _)| *p)
        });
        if target.port.is_none() {
            target.port = c.host.as_deref().and_then(|h| fields.port_of(h));
        }
        if target.port.is_none() {
            target.port = (line_ports.iter())
                .filter(|(l, _, _)| *l == best_line)
                .max_by_key(|(_, s, _)| *s)
                .map(|(_, _, p)| *p);
        }
        // The command line above the error that named the host names its port by flag
        // (`sshfs -p 1234 user@10.0.0.5:/data`).
        if target.port.is_none() && best_line < first {
            target.port = flag_port(prep.line(best_line));
        }
        target.host = c.host;
        if target.scheme.is_none() {
            target.scheme = c.scheme;
        }
        if target.port.is_none()
            && let Some((_, port)) = field_ports.iter().max_by_key(|(s, _)| *s)
        {
            target.port = Some(*port);
        }
        if target.port.is_none() && resolver_down {
            target.port = Some(53);
        }
        return;
    }
    // Settings quoted above the paste's only error; after an earlier error, fields are
    // more often that error's own object (Node's `address: '10.0.0.5'`, `port: 443`).
    if target.host.is_none()
        && target.port.is_none()
        && floor == 0
        && let Some((host, port)) = fields.pair()
    {
        target.host = Some(host);
        target.port = Some(port);
        target.located = true;
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
        } else if let Some(port) = command_port {
            target.port = Some(port);
            target.located = true;
        } else if resolver_down {
            target.port = Some(53);
            target.located = true;
        }
        return;
    }
    if let Some(h) = &target.host
        && target.port.is_none()
        && let Some(port) = fields.port_of(h)
    {
        target.port = Some(port);
        target.located = true;
    }
    if target.host.is_some()
        && target.port.is_none()
        && let Some((_, port)) = ports.iter().max_by_key(|(s, _)| *s)
    {
        target.port = Some(*port);
        target.located = true;
    }
    if target.host.is_some() && target.port.is_none() && resolver_down {
        target.port = Some(53);
        target.located = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::text;

    /// A line longer than the cap whose cut would fall inside a character (each emoji is
    /// four bytes; 2,000 is not a multiple of four past the first two bytes).
    #[test]
    fn a_long_line_is_cut_between_characters() {
        let line = format!("ab{}", "😀".repeat(600));
        assert_eq!(head(&line).len(), 1_998);
        let paste = format!("{line} port 5432\nconnect ECONNREFUSED\n{line}:5432 refused\n");
        let ex = crate::explain::explain(&paste, &crate::knowledge::Knowledge::bundled());
        assert!(ex.main().is_some());
    }

    /// The target `complete` finds for an error on `line`, starting from `host` if given.
    fn located(text: &str, line: usize, host: Option<&str>) -> (Option<String>, Option<u16>) {
        let prep = text::prepare(text);
        let mut t = TargetGuess {
            host: host.map(str::to_string),
            ..TargetGuess::default()
        };
        complete(&mut t, &prep, [line, line], 0, &Services::bundled());
        (t.host, t.port)
    }

    #[test]
    fn a_port_without_its_host_joins_the_host_found_on_its_line() {
        // Windows telnet: the address, then the port in words further along the line.
        let text = "Connecting To 10.0.0.5...Could not open connection to the host, on port 2323: Connect failed\n";
        assert_eq!(
            located(text, 0, None),
            (Some("10.0.0.5".into()), Some(2323))
        );
        // A port on another line belongs to something else.
        let text = "listening on port 8080\nConnecting To 10.0.0.5...Could not open connection\n";
        assert_eq!(located(text, 1, None), (Some("10.0.0.5".into()), None));
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

    #[test]
    fn an_address_handed_to_a_call_before_the_error_is_the_target() {
        let text = "with grpc.insecure_channel('rpc.lan:50051') as channel:\n    stub.List(req)\n\nStatusCode.UNAVAILABLE: failed to connect to all addresses\n";
        let prep = text::prepare(text);
        let mut t = TargetGuess::default();
        complete(&mut t, &prep, [3, 3], 0, &Services::bundled());
        assert_eq!((t.host.as_deref(), t.port), (Some("rpc.lan"), Some(50051)));
    }

    #[test]
    fn a_host_found_without_its_port_takes_the_port_named_beside_it() {
        // The same host with its port earlier on the line.
        let prep =
            text::prepare("opening http://localhost:9300 gave: localhost refused to connect.\n");
        let mut t = TargetGuess::default();
        complete(&mut t, &prep, [0, 0], 0, &Services::bundled());
        assert_eq!((t.host.as_deref(), t.port), (Some("localhost"), Some(9300)));
        // The URL asked for, when the failing line names only the address it resolved to.
        let prep = text::prepare(
            "fetching http://pkgs.corp.lan/index failed\ncurl: Failed to connect to 2001:db8:7::4: Network is unreachable\n",
        );
        let mut t = TargetGuess::default();
        complete(&mut t, &prep, [1, 1], 0, &Services::bundled());
        assert_eq!(
            (t.host.as_deref(), t.port),
            (Some("2001:db8:7::4"), Some(80))
        );
    }

    #[test]
    fn a_host_field_takes_the_port_field_beside_it() {
        let run = located;
        // A settings block above the error, the prefix pairing the two.
        let text = "NEO4J_HOST = \"graph.lan\"\nNEO4J_PORT = 8687\nMETRICS_PORT = 9100\n\nOSError: [Errno 113] No route to host\n";
        assert_eq!(
            run(text, 4, Some("graph.lan")),
            (Some("graph.lan".into()), Some(8687))
        );
        // A C struct's fields, several lines apart.
        let text = "cfg = {\n  .host = \"mqtt.lan\",\n  .client_id = ID,\n  .username = U,\n  .port=1883,\n};\nE (828) esp-tls: couldn't get hostname for :mqtt.lan\n";
        assert_eq!(
            run(text, 6, Some("mqtt.lan")),
            (Some("mqtt.lan".into()), Some(1883))
        );
        // Constants naming the host and port when the error names neither.
        let text = "#define SERVER_ADDRESS \"10.0.0.5\"\n#define SERVER_PORT 8080\nerror:0a000410:SSL routines::sslv3 alert handshake failure\n";
        assert_eq!(run(text, 2, None), (Some("10.0.0.5".into()), Some(8080)));
        // The local end's port is not the target's.
        let text = "host: db.lan\nlocal_port: 40000\nERROR could not connect\n";
        assert_eq!(run(text, 2, Some("db.lan")).1, None);
    }

    #[test]
    fn a_dns_server_that_could_not_be_reached_is_the_target_on_port_53() {
        let prep = text::prepare(
            "; <<>> DiG 9.18.1 <<>> shop.lan @192.0.2.53\n;; global options: +cmd\n;; connection timed out; no servers could be reached\n",
        );
        let mut t = TargetGuess::default();
        complete(&mut t, &prep, [2, 2], 0, &Services::bundled());
        assert_eq!((t.host.as_deref(), t.port), (Some("192.0.2.53"), Some(53)));
        let prep = text::prepare("> nslookup shop.lan 192.0.2.9\nDNS request timed out.\n");
        let mut t = TargetGuess {
            host: Some("192.0.2.9".into()),
            ..TargetGuess::default()
        };
        complete(&mut t, &prep, [1, 1], 0, &Services::bundled());
        assert_eq!(t.port, Some(53));
    }
}
