//! Running every signature over the prepared text, and reading the target out of each match.

use super::Stats;
use super::text::Prepared;
use crate::knowledge::Knowledge;
use crate::knowledge::literals::{Literals, Need, fold};
use crate::knowledge::services::Services;
use crate::knowledge::signatures::{ErrnoInfo, Kind, Platform, Signature};
use regex::Captures;
use std::collections::VecDeque;
use std::net::IpAddr;

/// All signatures together keep at most this many matches, and one signature at most
/// `MAX_PER_SIGNATURE` (a log repeating one line cannot crowd out the rest). Both keep the
/// *last* matches: the error at the end of a paste matters most.
const MAX_HITS: usize = 20_000;
const MAX_PER_SIGNATURE: usize = 1_000;

/// An address read out of one match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addr {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub scheme: Option<String>,
    pub unix_path: Option<String>,
    /// It came from a whole URL (which names the host the program was asked for).
    pub from_url: bool,
    /// The port is not written beside the host: the signature's default, or the one a
    /// scheme named elsewhere in the match implies (urllib3's `HTTPSConnection` class).
    /// A port written for the same host elsewhere in the text is better.
    pub port_implied: bool,
}

impl Addr {
    pub fn has_place(&self) -> bool {
        self.host.is_some() || self.unix_path.is_some()
    }

    /// The host is a name, not an IP literal.
    pub fn is_name(&self) -> bool {
        self.host
            .as_deref()
            .is_some_and(|h| h.parse::<IpAddr>().is_err())
    }
}

/// One signature matching at one place.
#[derive(Debug, Clone)]
pub struct Hit<'k> {
    pub sig: &'k Signature,
    pub start: usize,
    /// Where the match ends in the prepared text.
    pub end: usize,
    /// 0-based line of the prepared text.
    pub line: usize,
    pub kind: Option<Kind>,
    pub errno: Option<Errno<'k>>,
    pub addr: Addr,
    /// What a server that refused this client named of it, by placeholder
    /// (`client.address`, `service.user`, `service.database`; see `FILLS`).
    pub fills: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, Copy)]
pub struct Errno<'k> {
    pub info: &'k ErrnoInfo,
    pub platform: Option<Platform>,
    pub code: Option<i64>,
}

/// Lines around a required word that a pattern is also run on, before and after: most
/// patterns allow line breaks between their words (`\s+`), and a message a terminal or a
/// logger broke over a few lines should match as it did when the whole text was read.
const WINDOW: usize = 4;
/// The same for patterns that can run on over whole lines (a stack trace between an
/// exception and its cause).
const WIDE_WINDOW: usize = 64;

pub fn scan<'k>(prep: &Prepared, kb: &'k Knowledge) -> (Vec<Hit<'k>>, Stats) {
    scan_with(prep, kb, true, false)
}

/// Runs only the last-resort signatures: for a paste in which no other one found an error.
pub fn scan_last_resort<'k>(prep: &Prepared, kb: &'k Knowledge) -> (Vec<Hit<'k>>, Stats) {
    scan_with(prep, kb, true, true)
}

/// `filtered`: run each pattern only where its required words are (see
/// `knowledge::literals`), or, for comparison in tests, over the whole text. A slice starts
/// at a line's start and ends before a newline, so `^` and `$` read as line anchors there;
/// the bundled patterns use them only in that sense (`(?:^|\s)econnrefused`), and the test
/// `filtering_changes_no_hit` holds the two ways to the same hits.
fn scan_with<'k>(
    prep: &Prepared,
    kb: &'k Knowledge,
    filtered: bool,
    last_resort: bool,
) -> (Vec<Hit<'k>>, Stats) {
    let mut stats = Stats::default();
    let mut hits = Vec::new();
    let errors = &kb.errors;
    let literals = errors.literals(last_resort);
    let word_lines = word_lines(prep, literals, &mut stats);
    let lines = prep.line_starts.len();
    for (i, sig) in errors.signatures.iter().enumerate() {
        if sig.last_resort != last_resort {
            continue;
        }
        let need = &literals.needs[i];
        let window = if literals.spans_lines[i] {
            WIDE_WINDOW
        } else {
            WINDOW
        };
        let plan = if filtered {
            where_to_run(need, &word_lines, lines, window)
        } else {
            Run::Everywhere
        };
        let spans = match plan {
            Run::Nowhere => continue,
            Run::Everywhere => vec![(0, prep.text.len())],
            Run::Lines(l) => line_spans(prep, &l, window),
        };
        let Some(re) = errors.regex(i) else { continue };
        // Only the spans are kept while scanning; the last ones become hits.
        let mut last = VecDeque::new();
        for (from, to) in spans {
            stats.scanned += to - from;
            for caps in re.captures_iter(&prep.text[from..to]) {
                if last.len() == MAX_PER_SIGNATURE {
                    last.pop_front();
                    stats.capped = true;
                }
                last.push_back((from, caps));
            }
        }
        // A pattern naming no place says only an errno, and an errno that is not a network
        // failure by itself (ENOENT, EACCES) then says nothing: `[Errno 2]` is as often a
        // missing config file as a missing socket.
        let names_place = (re.capture_names().flatten()).any(|n| {
            let base = n.trim_end_matches(|c: char| c.is_ascii_digit());
            matches!(base, "url" | "addr" | "host" | "port" | "path")
        });
        for (from, caps) in last {
            let whole = caps.get(0).expect("group 0 always matches");
            stats.work += whole.len();
            let errno = group(&caps, "errno")
                .or(sig.errno.as_deref())
                .and_then(|written| {
                    let (info, platform) = errors.errno(written, sig.kind)?;
                    Some(Errno {
                        info,
                        platform,
                        code: written.trim().parse().ok(),
                    })
                });
            let errno_kind =
                (errno.map(|e| e.info.kind)).filter(|k| names_place || k.is_specific());
            let start = from + whole.start();
            let line = prep.line_at(start);
            if is_handler_source(prep.line(line)) {
                continue;
            }
            hits.push(Hit {
                sig,
                start,
                end: from + whole.end(),
                line,
                kind: sig.kind.or(errno_kind),
                errno,
                addr: address(&caps, sig, &kb.services),
                fills: (crate::knowledge::signatures::FILLS.iter())
                    .filter_map(|&(g, key)| Some((key, group(&caps, g)?.to_string())))
                    .collect(),
            });
        }
    }
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.sig.rank)));
    if hits.len() > MAX_HITS {
        hits.drain(..hits.len() - MAX_HITS);
        stats.capped = true;
    }
    stats.matches = hits.len();
    (hits, stats)
}

/// A traceback's source line that catches or re-raises errors (`except (NewConnectionError,
/// socket.gaierror) as e:`, IPython's `--> 281  raise SSLError(endpoint_url=request.url)`):
/// it names what the code is ready for, not what happened; the exception's own line below
/// says that. A `raise` with a message in quotes is kept, as the message may be all there is.
fn is_handler_source(line: &str) -> bool {
    let t = line
        .trim_start()
        .trim_start_matches(['-', '>'])
        .trim_start();
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start();
    let except = t
        .strip_prefix("except")
        .is_some_and(|rest| rest.starts_with([' ', '(']) && rest.trim_end().ends_with(':'));
    let raise = t.strip_prefix("raise ").is_some_and(|rest| {
        rest.contains('(') && rest.trim_end().ends_with(')') && !rest.contains(['"', '\''])
    });
    except || raise
}

/// For each required word, the lines (0-based, ascending) it occurs on, found in one pass
/// over the folded text.
fn word_lines(prep: &Prepared, literals: &Literals, stats: &mut Stats) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); literals.words.len()];
    let Some(finder) = &literals.finder else {
        return out;
    };
    let folded = fold(&prep.text);
    stats.scanned += folded.len();
    // Folding keeps every line break, so the folded text has the same lines; only their
    // offsets move when a character's lower case is longer or shorter.
    let own_starts;
    let starts = if folded.len() == prep.text.len() {
        &prep.line_starts
    } else {
        own_starts = std::iter::once(0)
            .chain(folded.match_indices('\n').map(|(i, _)| i + 1))
            .take(prep.line_starts.len())
            .collect::<Vec<_>>();
        &own_starts
    };
    for m in finder.find_overlapping_iter(&folded) {
        let line = starts
            .partition_point(|&s| s <= m.start())
            .saturating_sub(1);
        let lines = &mut out[m.pattern().as_usize()];
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    out
}

enum Run {
    /// The words the pattern needs are not in the text.
    Nowhere,
    Everywhere,
    /// Around these lines (ascending).
    Lines(Vec<usize>),
}

fn where_to_run(need: &Need, word_lines: &[Vec<usize>], lines: usize, window: usize) -> Run {
    match cost(need, word_lines) {
        0 => Run::Nowhere,
        // Windows over much of the text would cost more than one pass over it.
        n if n.saturating_mul(2 * window + 1) > lines => Run::Everywhere,
        _ => Run::Lines(lines_of(need, word_lines)),
    }
}

/// How many lines a filter by `need` lets through (at most): all the lines of an
/// alternative's branches, the fewest of a sequence's parts.
fn cost(need: &Need, word_lines: &[Vec<usize>]) -> usize {
    match need {
        Need::Nothing => usize::MAX,
        Need::Word(w) => word_lines[*w].len(),
        Need::AnyOf(any) => any
            .iter()
            .map(|n| cost(n, word_lines))
            .fold(0, usize::saturating_add),
        Need::AllOf(all) => all.iter().map(|n| cost(n, word_lines)).min().unwrap_or(0),
    }
}

fn lines_of(need: &Need, word_lines: &[Vec<usize>]) -> Vec<usize> {
    match need {
        Need::Nothing => Vec::new(),
        Need::Word(w) => word_lines[*w].clone(),
        Need::AnyOf(any) => {
            let mut all: Vec<usize> = any.iter().flat_map(|n| lines_of(n, word_lines)).collect();
            all.sort_unstable();
            all.dedup();
            all
        }
        Need::AllOf(all) => all
            .iter()
            .min_by_key(|n| cost(n, word_lines))
            .map(|n| lines_of(n, word_lines))
            .unwrap_or_default(),
    }
}

/// Byte spans of the text `window` lines around each line, merged where they meet. A span
/// starts at a line's start and ends before a line's newline, so that line anchors and word
/// boundaries at its edges read as they do in the whole text.
fn line_spans(prep: &Prepared, lines: &[usize], window: usize) -> Vec<(usize, usize)> {
    let last = prep.line_starts.len().saturating_sub(1);
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for &l in lines {
        let (a, b) = (l.saturating_sub(window), (l + window).min(last));
        match merged.last_mut() {
            Some((_, end)) if a <= *end + 1 => *end = (*end).max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
        .into_iter()
        .map(|(a, b)| {
            let end = prep
                .line_starts
                .get(b + 1)
                .map_or(prep.text.len(), |&s| s - 1);
            (prep.line_starts[a], end)
        })
        .collect()
}

/// A named group, or its spelling in another branch of the pattern (`host2`, `port3`):
/// a regex may not use one name twice.
fn group<'h>(caps: &Captures<'h>, name: &str) -> Option<&'h str> {
    caps.name(name)
        .or_else(|| (2..=3).find_map(|n| caps.name(&format!("{name}{n}"))))
        .map(|m| m.as_str())
}

/// Reads the named groups of one match into an address.
fn address(caps: &Captures, sig: &Signature, services: &Services) -> Addr {
    let get = |name| group(caps, name);
    let mut a = get("url")
        .map(|u| parse_url(u, services))
        .unwrap_or_default();
    if let Some(raw) = get("addr") {
        match split_addr(raw) {
            Some((host, port)) => {
                a.host = a.host.or(Some(host));
                a.port = a.port.or(port);
            }
            // A host the reporter replaced (`consul_ip:8200`) still leaves its port; anything
            // else that is no address (`node:dns:122:26`) leaves nothing.
            None => {
                let replaced = raw.trim().rsplit_once(':').filter(|(h, _)| {
                    is_placeholder(h.trim_matches(|c| matches!(c, '\'' | '"' | '(' | '[')))
                });
                a.port = a.port.or(replaced.and_then(|(_, p)| parse_port(p)));
            }
        }
    }
    if let Some(h) = get("host").and_then(|h| clean_host(h).or_else(|| looked_up(h, caps, sig))) {
        a.host = Some(h);
    }
    if let Some(p) = get("port").and_then(parse_port) {
        a.port = Some(p);
    }
    if let Some(p) = get("path").and_then(clean_path) {
        a.unix_path = Some(p);
    }
    if a.unix_path.is_some() {
        a.host = None;
        a.port = None;
    }
    // A scheme the text itself gives beside a host (a URL printed field by field) implies
    // that scheme's port, as it does in a URL.
    if a.port.is_none()
        && a.host.is_some()
        && let Some(scheme) = get("scheme")
    {
        a.port = scheme_port(&normal_scheme(scheme), services);
        a.port_implied = a.port.is_some();
    }
    if a.port.is_none() && a.host.is_some() {
        a.port = sig.port;
        a.port_implied = a.port.is_some();
    }
    if a.scheme.is_none() {
        // A socket keeps only the client's own scheme (libpq → postgres), not http://.
        a.scheme = if a.unix_path.is_some() {
            sig.scheme.clone()
        } else {
            get("scheme")
                .map(normal_scheme)
                .or_else(|| sig.scheme.clone())
        };
    }
    a
}

/// Lowercase, with the spellings people use for the same thing made one.
fn normal_scheme(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    let s = s.strip_prefix("jdbc:").unwrap_or(&s);
    match s {
        "postgresql" => "postgres".into(),
        "mongodb+srv" => "mongodb".into(),
        "mariadb" => "mysql".into(),
        other => other.to_string(),
    }
}

/// Default ports of schemes the services file does not list (it lists what `connfix check`
/// can probe; a pasted URL may use any scheme).
const MORE_SCHEME_PORTS: &[(&str, u16)] = &[
    ("pop3", 110),
    ("pop3s", 995),
    ("ftps", 990),
    ("tftp", 69),
    ("git", 9418),
    ("rtsp", 554),
    ("rtsps", 322),
    // WCF's TCP binding.
    ("net.tcp", 808),
    ("rtmp", 1935),
    ("rtmps", 443),
    ("socks", 1080),
    ("socks4", 1080),
    ("socks4a", 1080),
    ("socks5", 1080),
    ("socks5h", 1080),
    ("nntp", 119),
    ("rsync", 873),
    ("svn", 3690),
    ("svn+ssh", 22),
    ("git+https", 443),
    ("git+http", 80),
    ("git+ssh", 22),
    ("vnc", 5900),
    ("rdp", 3389),
    ("smb", 445),
    ("cifs", 445),
    ("nfs", 2049),
    ("stomp", 61613),
    ("stomp+ssl", 61614),
    ("bolt", 7687),
    ("neo4j", 7687),
    ("neo4j+s", 7687),
    ("pulsar", 6650),
    ("pulsar+ssl", 6651),
    ("couchdb", 5984),
    ("zookeeper", 2181),
    ("zk", 2181),
    ("clickhouse", 9000),
    ("xmpp", 5222),
    ("irc", 6667),
    ("ircs", 6697),
    ("sip", 5060),
    ("sips", 5061),
    ("coap", 5683),
    ("coaps", 5684),
    ("dns", 53),
    ("ntp", 123),
    ("snmp", 161),
    ("sentinel", 26379),
    ("redis+sentinel", 26379),
    ("memcache", 11211),
    ("oracle", 1521),
    ("db2", 50000),
    ("sybase", 5000),
    ("firebird", 3050),
    ("firebirdsql", 3050),
    ("derby", 1527),
    ("hive2", 10000),
    ("cockroachdb", 26257),
    ("influxdb", 8086),
    ("etcd", 2379),
    ("consul", 8500),
    ("elasticsearch", 9200),
    ("gopher", 70),
    ("gemini", 1965),
];

/// The port a scheme implies when a URL gives none.
pub fn scheme_port(scheme: &str, services: &Services) -> Option<u16> {
    services.by_scheme(scheme).map(|s| s.port).or_else(|| {
        let s = scheme.to_ascii_lowercase();
        (MORE_SCHEME_PORTS.iter())
            .find(|(name, _)| *name == s)
            .map(|(_, p)| *p)
    })
}

/// Splits a URL into what a check needs. A URL without a port takes its scheme's default.
pub fn parse_url(url: &str, services: &Services) -> Addr {
    let url = url.trim();
    // A URL a stack trace cut short (PHP writes `'https://api.lea...'`): when the cut falls
    // in the host, the name is unknown; the scheme still gives the port.
    let cut = url
        .trim_end_matches([',', ';', ')', '"', '\''])
        .ends_with("...");
    let url = url.trim_end_matches(['.', ',', ';', ')', '"', '\'', ':']);
    let Some((scheme, rest)) = url.split_once(':') else {
        return Addr::default();
    };
    let scheme = normal_scheme(scheme);
    let (scheme, rest) = if scheme == "jdbc" {
        match rest.split_once(':') {
            Some((s, r)) => (normal_scheme(s), r),
            None => return Addr::default(),
        }
    } else {
        (scheme, rest)
    };
    if scheme == "unix" {
        let path = rest.trim_start_matches('/');
        return Addr {
            unix_path: clean_path(&format!("/{path}")),
            from_url: true,
            ..Addr::default()
        };
    }
    let Some(rest) = rest.strip_prefix("//") else {
        return Addr::default();
    };
    // gRPC's target names (`dns:///api.lan:443`, `xds:///wallet.lan`) have an empty
    // authority: the name follows the third slash, and only a written port is the port.
    if matches!(scheme.as_str(), "dns" | "xds" | "passthrough")
        && let Some(name) = rest.strip_prefix('/')
    {
        let name = name.split(['/', '?', '#']).next().unwrap_or("");
        return split_addr(name).map_or_else(Addr::default, |(host, port)| Addr {
            host: Some(host),
            port,
            scheme: None,
            unix_path: None,
            from_url: true,
            port_implied: false,
        });
    }
    // nginx writes a unix upstream as http://unix:/run/app.sock:/path.
    if let Some(path) = rest.strip_prefix("unix:") {
        let path = path.split(':').next().unwrap_or("");
        return Addr {
            unix_path: clean_path(path),
            scheme: Some(scheme),
            from_url: true,
            ..Addr::default()
        };
    }
    let authority = authority(rest);
    if cut && authority.len() == rest.len() {
        return Addr {
            port: scheme_port(&scheme, services),
            from_url: true,
            ..Addr::default()
        };
    }
    if scheme.ends_with("+unix") {
        let decoded = authority.replace("%2F", "/").replace("%2f", "/");
        return Addr {
            unix_path: clean_path(&decoded),
            from_url: true,
            ..Addr::default()
        };
    }
    // The password, if any, is dropped here and never reaches a finding.
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // Several hosts (postgres://a:5432,b:5432/db): the first one.
    let hostport = hostport.split(',').next().unwrap_or("");
    let Some((host, port)) = split_addr(hostport) else {
        // A stand-in for the host (`http://xxx.com`, `ssh://myhost`) still leaves the
        // port the URL gives or its scheme implies.
        // A port written as a word (`http://x.x.x.x:port`) is unknown, not the default.
        let (name, written, worded) = match hostport.rsplit_once(':') {
            Some((h, p)) if parse_port(p).is_some() => (h, parse_port(p), false),
            Some((h, p)) if p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '<') => {
                (h, None, true)
            }
            _ => (hostport, None, false),
        };
        if !is_placeholder(name) {
            return Addr::default();
        }
        return Addr {
            port: written.or_else(|| (!worded).then(|| scheme_port(&scheme, services)).flatten()),
            from_url: true,
            ..Addr::default()
        };
    };
    // A written port 0 (`http://localhost:0/`) is unset, not the scheme's default.
    let port = port.or_else(|| {
        (!hostport.ends_with(":0"))
            .then(|| scheme_port(&scheme, services))
            .flatten()
    });
    // tcp:// and udp:// say only the transport; they are not services with a scheme.
    let scheme = (!matches!(scheme.as_str(), "tcp" | "udp" | "tcp4" | "tcp6")).then_some(scheme);
    Addr {
        host: Some(host),
        port,
        scheme,
        unix_path: None,
        from_url: true,
        port_implied: false,
    }
}

/// The address family .NET's DnsEndPoint writes before its host (`Unspecified/db:27017`).
pub const ADDRESS_FAMILIES: [&str; 3] = ["Unspecified", "InterNetwork", "InterNetworkV6"];

/// The part of a URL after `scheme://` that names the place: up to the path, the query
/// or the fragment; `;` ends it too (`jdbc:sqlserver://db:1433;databaseName=app`).
pub fn authority(rest: &str) -> &str {
    rest.split(['/', '?', '#', ';']).next().unwrap_or("")
}

/// `host:port`, `[v6]:port`, `v6:port` (as Node prints `::1:3000`), `name/ip:port` (as Java
/// prints a resolved address: the name is the target) or a bare host.
pub fn split_addr(s: &str) -> Option<(String, Option<u16>)> {
    let s = s
        .trim()
        .trim_matches(|c| matches!(c, '\'' | '"' | '(' | ')' | ','));
    let s = match s.split_once('/') {
        Some((family, rest)) if ADDRESS_FAMILIES.contains(&family) => return split_addr(rest),
        Some((name, _)) if !name.is_empty() && !name.contains(':') => {
            let port = s.rsplit_once(':').and_then(|(_, p)| parse_port(p));
            return clean_host(name).map(|h| (h, port));
        }
        _ => s.trim_start_matches('/'),
    };
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = after.strip_prefix(':').and_then(parse_port);
        return clean_host(host).map(|h| (h, port));
    }
    // A bare IPv6 literal of eight groups has no room for a port (`2001:db8:0:0:0:0:0:25de`).
    if !s.contains("::") && s.parse::<std::net::Ipv6Addr>().is_ok() {
        return clean_host(s).map(|h| (h, None));
    }
    if let Some((host, port)) = s.rsplit_once(':')
        && let Some(host) = clean_host(host)
    {
        // Port 0 (`www.lan:0`, a setting left unset) is no port to check, but the host
        // is still the one asked for.
        if port == "0" {
            return Some((host, None));
        }
        if let Some(port) = parse_port(port) {
            return Some((host, Some(port)));
        }
    }
    clean_host(s).map(|h| (h, None))
}

/// A host name or IP literal as written, without quotes or brackets; None when it is not one.
pub fn clean_host(h: &str) -> Option<String> {
    // A log that escaped its dots for a regex (`192\\.168\\.3\\.181`).
    let unescaped = h.replace("\\.", ".");
    // Labels blotted out with dots (`.....com`) leave no name.
    if unescaped.trim_start().starts_with("..") {
        return None;
    }
    let h = unescaped.trim().trim_matches(|c| {
        matches!(
            c,
            '\'' | '"' | '[' | ']' | '(' | ')' | ',' | '.' | '`' | ';'
        )
    });
    // An empty label (`10.0.0.5...failed`: telnet's dots run into the next word) is no name.
    if h.is_empty() || h.len() > 253 || h.contains("..") {
        return None;
    }
    if h.contains(':') {
        // An IPv6 literal, with a zone id (fe80::1%eth0) of name characters only.
        let (bare, zone) = h.split_once('%').unwrap_or((h, "x"));
        let zone_ok = !zone.is_empty()
            && (zone.chars()).all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        let v6 = bare
            .parse::<std::net::Ipv6Addr>()
            .ok()
            .filter(|_| zone_ok)?;
        // An IPv4 address in IPv6 clothes (`::ffff:10.0.0.5`, as a dual-stack socket
        // prints it) is the IPv4 address.
        if let Some(v4) = v6.to_ipv4_mapped()
            && bare.contains('.')
        {
            return Some(v4.to_string());
        }
        return Some(h.to_string());
    }
    // An IPv4 address with a zero-padded part (`127.0.0.02`), which the C resolver takes;
    // a part of only zeros (`000.000.1.000`) is a reporter's mask.
    let padded = dotted_quad(h).is_some_and(|parts| {
        parts.iter().all(|p| {
            p.parse::<u16>().is_ok_and(|n| n <= 255)
                && !(p.len() > 1 && p.bytes().all(|b| b == b'0'))
        })
    });
    if padded || h.parse::<IpAddr>().is_ok() {
        return Some(h.to_string());
    }
    if is_placeholder(h) {
        return None;
    }
    let name_chars = h
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    // All digits and dots but not an address: a version or a counter, not a host.
    let numeric = h.chars().all(|c| c.is_ascii_digit() || c == '.');
    let letters = h.chars().any(|c| c.is_ascii_alphabetic());
    // A UUID (Gradle's daemon id where others print a host) names no place.
    let uuid = h.len() == 36
        && h.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && h.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    (name_chars && !numeric && letters && !uuid && !h.starts_with(['-', '.']))
        .then(|| h.to_string())
}

/// Text in a host's place that names no host: a redacted address (`xx.xx.xx.xx`,
/// `1X.X.X.X`), or a word a message puts where others put the address.
pub fn is_placeholder(h: &str) -> bool {
    const WORDS: &[&str] = &[
        "address",
        "addr",
        "ip",
        "host",
        "hostname",
        "server",
        "remote",
        "endpoint",
        // MailKit's advice: "When connecting to an SMTP service, port 587 is …".
        "service",
        "unable",
        "at",
        "the",
        // "connect to port 80 on that address": a pronoun where a host goes.
        "that",
        "this",
        "which",
        "to",
        "from",
        "for",
        "on",
        "in",
        "by",
        "no",
        "none",
        "null",
        "nil",
        "unknown",
        "undefined",
        "refused",
        "failed",
        "error",
        "errors",
        "closed",
        "timeout",
        // kubectl's `Unable to connect to the server: EOF`: the peer hung up.
        "eof",
        // docker-py's stand-in host for the engine's Unix socket.
        "localunixsocket",
        // A system call after the error (`Cannot assign requested address: getsockopt`).
        "getsockopt",
        "setsockopt",
        "sendto",
        "recvfrom",
        "url",
        "uri",
        "redacted",
        "localhost.localdomain.invalid",
    ];
    let lower = h.to_ascii_lowercase();
    // `mail.domain.tld`: no name ends in `.tld`; it stands for the reporter's own.
    let stand_in = lower.contains('.') && lower.ends_with(".tld");
    // What is left of a name masked with stars (`is-*********.xyz` read as `is-`): no name
    // ends in a hyphen.
    let masked = lower.ends_with('-');
    // A name with one label cut out (`dynamodb.<snip>.amazonaws.com`).
    let cut_label = lower.split('.').count() > 1
        && lower
            .split('.')
            .any(|l| l.len() > 2 && l.starts_with('<') && l.ends_with('>'));
    WORDS.contains(&lower.as_str())
        || stand_in
        || masked
        || cut_label
        || is_redacted(h)
        || is_error_name(h)
}

/// The name a resolver was asked for, when it is a word that elsewhere stands in for a
/// host (`Could not resolve host: server`, `lookup MyServer on …`, Node's `getaddrinfo
/// ENOTFOUND undefined` for a setting left unset): the program really
/// looked that name up, so it is the name as written, not a reporter's stand-in.
/// One in parentheses is a value left unknown (Hadoop's `local host is: (unknown)`).
fn looked_up(raw: &str, caps: &Captures, sig: &Signature) -> Option<String> {
    let h = raw.trim_matches(|c| matches!(c, '\'' | '"' | '`'));
    if caps[0].contains(&format!("({h})")) {
        return None;
    }
    let lower = h.to_ascii_lowercase();
    let word = [
        "server",
        "host",
        "unknown",
        "remote",
        "endpoint",
        "undefined",
        "null",
    ]
    .contains(&lower.as_str())
        || ["my", "your"]
            .iter()
            .any(|who| (lower.strip_prefix(who)).is_some_and(|rest| ADDRESS_WORDS.contains(&rest)));
    (sig.kind == Some(Kind::Dns) && word).then(|| h.to_string())
}

/// A name's last label could end a real host name: any two-letter country code, the common
/// generic ones, and the suffixes private networks use. Only asked where a dotted word may
/// as well be code or a logger's name (`[homeassistant.components.mqtt.client]`,
/// `Socket.gethostname`), never to refuse a name written where a host goes.
pub fn known_tld(label: &str) -> bool {
    const TLDS: &[&str] = &[
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "mil",
        "int",
        "info",
        "biz",
        "io",
        "dev",
        "app",
        "cloud",
        "ai",
        "xyz",
        "site",
        "online",
        "tech",
        "pro",
        "name",
        "mobi",
        "asia",
        "tv",
        "me",
        "arpa",
        "lan",
        "local",
        "localdomain",
        "internal",
        "intranet",
        "home",
        "corp",
        "private",
        "svc",
        "cluster",
        "test",
        "example",
        "invalid",
        "localhost",
        "onion",
        "consul",
        "docker",
        "vpn",
        "priv",
        "office",
        "network",
        "systems",
        "services",
        "digital",
        "host",
        "space",
        "store",
        "shop",
        "live",
        "run",
        "page",
        "link",
        "top",
    ];
    let lower = label.to_ascii_lowercase();
    (lower.len() == 2 && lower.bytes().all(|b| b.is_ascii_alphabetic()))
        || TLDS.contains(&lower.as_str())
}

/// An exception or error type's name where a host goes (`Could not connect to remote
/// host [HttpConnectionError]`, Zig's `unable to connect to server: TlsInitializationFailed`).
fn is_error_name(h: &str) -> bool {
    !h.contains('.')
        && h.starts_with(|c: char| c.is_ascii_uppercase())
        && [
            "Error",
            "Exception",
            "Failure",
            "Failed",
            // Zig's error set (`NetworkUnreachable`, `ConnectionRefused`, `ConnectionTimedOut`).
            "Unreachable",
            "Refused",
            "TimedOut",
            "ResetByPeer",
        ]
        .iter()
        .any(|e| h.len() > e.len() && h.ends_with(e))
}

/// An address the reporter blotted out or typed a stand-in for: `xx.xx.xx.xx`, `1X.X.X.X`,
/// `consul_ip`, `ecxxxxxx.eu-north-1.compute.amazonaws.com`.
pub fn is_redacted(h: &str) -> bool {
    let lower = h.to_ascii_lowercase();
    // An environment variable's name (`OPENVPN_IPSERVER`): a setting's name, not its value.
    let variable = h.contains('_')
        && h.bytes().any(|b| b.is_ascii_uppercase())
        && h.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    // A template's or a shell's variable (`$site`, `${HOST}`, `{{host}}`, `%SERVER%`,
    // `<ReportServerName>`): the value was never shown.
    let template = h.starts_with('$')
        || [('{', '}'), ('%', '%'), ('<', '>')]
            .iter()
            .any(|&(a, b)| h.len() > 2 && h.starts_with(a) && h.ends_with(b));
    // An address no machine can have (`521.115.111.111`): the reporter changed it.
    let impossible = dotted_quad(h).is_some_and(|parts| {
        parts
            .iter()
            .any(|p| p.parse::<u16>().is_ok_and(|n| n > 255))
    });
    // A name whose first labels were blotted out with dots (`https://.....com/x`).
    let dotted = h.starts_with("..")
        && h.trim_start_matches('.')
            .contains(|c: char| c.is_ascii_alphabetic());
    variable
        || template
        || impossible
        || dotted
        || invented_name(&lower)
        || (lower.contains('x')
            && lower
                .chars()
                .all(|c| matches!(c, 'x' | '.' | '*' | '0'..='9')))
        || lower.chars().all(|c| matches!(c, '.' | '*'))
        // A name with a label, or a part of one, blotted out
        // (`ecxxxxxx.eu-north-1.compute.amazonaws.com`, `cloud.xxx.io`, `harbor.XX.com`,
        // `ec2-XX-XXX-XXX-XXX.compute-1.amazonaws.com`).
        || lower.split('.').any(|l| {
            // A label saying it was changed (`ec1.sanitized.host.lan`).
            ["sanitized", "redacted", "masked", "censored"].contains(&l)
                || l.contains("xxxx")
                || l.contains("***")
                || l.split('-').any(|p| p.len() >= 2 && p.bytes().all(|b| b == b'x'))
        })
}

/// Words that name an address rather than being one (`my-server`, `cfg.host`).
pub const ADDRESS_WORDS: &[&str] = &[
    "ip", "host", "hostname", "server", "domain", "addr", "address",
];

/// Words a reporter puts before an address word to make a stand-in (`my-server`,
/// `your_host`, `some.address.com`).
const OWNERS: &[&str] = &["my", "your", "some"];

/// Four dot-separated groups of one to three digits (`10.0.0.5`, `127.0.0.02`,
/// `521.115.111.111`): an IPv4 address as written, whether or not it is a valid one.
fn dotted_quad(h: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = h.split('.').collect();
    (parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())))
    .then_some(parts)
}

/// A name a reporter typed in place of theirs: `consul_ip`, `db_host`, `MYIP`, `your-server`,
/// and letters standing for an address's parts (`a.b.c.d`, `aa.bbb.ccc.d`). Compose
/// service names keep their underscores (`postgres_image`); only these endings mark one.
fn invented_name(lower: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "_ip",
        "_host",
        "_hostname",
        "_addr",
        "_address",
        "_adress",
        "_adresse",
        "_url",
        "_uri",
        // A setting's name for a port, handed where a host goes (`cf.get('mqtt_port', …)`).
        "_port",
    ];
    // Any label of a dotted name that ends in no real suffix (`my-host.mydomain`), as well
    // as the whole of one. Under a real suffix (`myserver.com`, `mail.mydomain.com`) it is
    // a valid name and read as written (see `is_placeholder`).
    let real_suffix = lower.contains('.') && known_tld(lower.rsplit('.').next().unwrap_or(""));
    let owned = |label: &str| {
        // `some-url`, `SOME_HOST`: a name written to stand for any.
        OWNERS.iter().any(|who| {
            label.strip_prefix(who).is_some_and(|rest| {
                let rest = rest.trim_start_matches(['-', '_']);
                if *who == "some" && matches!(rest, "url" | "uri") {
                    return true;
                }
                // `my_server_name`, `your-db-host`: the words of an address after the owner,
                // also run together (`myserverIP`).
                address_words(rest)
                    || (rest.contains(['-', '_'])
                        && rest.split(['-', '_']).any(|w| ADDRESS_WORDS.contains(&w)))
            })
        })
    };
    let mine = if real_suffix {
        owned(lower)
    } else {
        lower.split('.').any(owned)
    };
    let labels: Vec<&str> = lower.split('.').collect();
    // `some.address.com`, `your.server.net`: an owner, then only an address word, under a
    // suffix; no one names a real machine so.
    let owner_first = labels.len() >= 3 && OWNERS.contains(&labels[0]) && address_words(labels[1]);
    let letters = labels.len() >= 3
        && labels.iter().all(|l| {
            let mut chars = l.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() && chars.all(|d| d == c))
        });
    mine || owner_first
        || letters
        || ENDINGS
            .iter()
            .any(|e| lower.len() > e.len() && lower.ends_with(e))
}

/// Only words of an address, run together (`server`, `serverip`, `hostname`).
fn address_words(rest: &str) -> bool {
    ADDRESS_WORDS.iter().any(|w| {
        rest.strip_prefix(w)
            .is_some_and(|more| more.is_empty() || address_words(more))
    })
}

pub fn parse_port(p: &str) -> Option<u16> {
    let p = p.trim();
    // A port written with a thousands separator (DB2's `on port 50,000`).
    let grouped = p.len() >= 5 && p.as_bytes()[p.len() - 4] == b',';
    let joined = grouped.then(|| p.replacen(',', "", 1));
    let p = joined.as_deref().unwrap_or(p);
    if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse::<u16>().ok().filter(|&n| n > 0)
}

fn clean_path(p: &str) -> Option<String> {
    let p = p
        .trim()
        .trim_matches(|c| matches!(c, '\'' | '"' | '(' | ')' | ',' | '`'))
        .trim_end_matches(['.', ':', ';']);
    // A URL glued on is not part of a path (and may carry a password).
    (p.starts_with('/') && p.len() > 1 && !p.contains(char::is_whitespace) && !p.contains("://"))
        .then(|| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::text;

    fn svc() -> Services {
        Services::bundled()
    }

    #[test]
    fn a_bare_eight_group_ipv6_literal_keeps_its_last_group() {
        assert_eq!(
            split_addr("2a03:2880:f10a:83:face:b00c:0:25de"),
            Some(("2a03:2880:f10a:83:face:b00c:0:25de".into(), None))
        );
        assert_eq!(
            split_addr("[2001:db8::1]:8443"),
            Some(("2001:db8::1".into(), Some(8443)))
        );
    }

    #[test]
    fn addresses_in_the_shapes_programs_print() {
        let s = |x: &str| split_addr(x);
        assert_eq!(s("127.0.0.1:5432"), Some(("127.0.0.1".into(), Some(5432))));
        assert_eq!(s("::1:3000"), Some(("::1".into(), Some(3000))));
        assert_eq!(s("[::1]:3000"), Some(("::1".into(), Some(3000))));
        assert_eq!(s("fe80::1"), Some(("fe80::1".into(), None)));
        assert_eq!(
            s("localhost/127.0.0.1:9092"),
            Some(("localhost".into(), Some(9092)))
        );
        assert_eq!(s("/127.0.0.1:9092"), Some(("127.0.0.1".into(), Some(9092))));
        assert_eq!(s("'db.internal'"), Some(("db.internal".into(), None)));
        assert_eq!(s("db:99999"), None);
        assert_eq!(s("1.2.3"), None);
        assert_eq!(s("<unknown>"), None);
        assert_eq!(s("fe80::1%eth0"), Some(("fe80::1%eth0".into(), None)));
        assert_eq!(clean_host("::1%x:postgres://app:hunter2@db"), None);
        // IPv4-mapped IPv6 is the IPv4 address; zones stay.
        assert_eq!(
            s("::ffff:192.168.7.20:6379"),
            Some(("192.168.7.20".into(), Some(6379)))
        );
        assert_eq!(clean_host("[::ffff:10.1.1.1]").as_deref(), Some("10.1.1.1"));
        assert_eq!(clean_host("fe80::2%en0").as_deref(), Some("fe80::2%en0"));
    }

    #[test]
    fn urls_give_host_port_and_scheme_but_never_the_password() {
        let a = parse_url("postgres://app:s3cret@db:5432/app", &svc());
        assert_eq!((a.host.as_deref(), a.port), (Some("db"), Some(5432)));
        assert_eq!(a.scheme.as_deref(), Some("postgres"));
        let a = parse_url("https://api.example.com/v1", &svc());
        assert_eq!(a.port, Some(443));
        let a = parse_url("jdbc:postgresql://localhost/app", &svc());
        assert_eq!(
            (a.scheme.as_deref(), a.port),
            (Some("postgres"), Some(5432))
        );
        let a = parse_url("unix:///var/run/docker.sock", &svc());
        assert_eq!(a.unix_path.as_deref(), Some("/var/run/docker.sock"));
        let a = parse_url("http+unix://%2Fvar%2Frun%2Fdocker.sock/v1.24/info", &svc());
        assert_eq!(a.unix_path.as_deref(), Some("/var/run/docker.sock"));
        let a = parse_url("http://[::1]:8080/", &svc());
        assert_eq!((a.host.as_deref(), a.port), (Some("::1"), Some(8080)));
        // gRPC target names: the name after the third slash, no scheme's port.
        let a = parse_url("xds:///stats.wallet.lan", &svc());
        assert_eq!(
            (a.host.as_deref(), a.port),
            (Some("stats.wallet.lan"), None)
        );
        let a = parse_url("dns:///api.lan:8443", &svc());
        assert_eq!((a.host.as_deref(), a.port), (Some("api.lan"), Some(8443)));
    }

    #[test]
    fn blotted_out_hosts_name_nothing_but_keep_their_port() {
        for h in [
            "cloud.xxx.io",
            "harbor.XX.com",
            "xxx.com",
            "myhost",
            "my-host.mydomain",
            "ip_adresse",
            "is-",
            "NetworkUnreachable",
        ] {
            assert!(is_placeholder(h), "{h} is a stand-in");
        }
        // A stand-in that is a valid name is read as written: a template value left in a
        // user's own configuration is exactly what the answer should show them.
        for h in [
            "example.com",
            "api.example.com",
            "mail.mydomain.com",
            "myserver.com",
            "api.yourls.org",
            "xbox.com",
            "mx.lan",
        ] {
            assert!(!is_placeholder(h), "{h} is a name");
        }
        let a = parse_url("http://xxx.com/v1", &svc());
        assert_eq!((a.host, a.port), (None, Some(80)));
        let a = parse_url("ssh://myhost", &svc());
        assert_eq!((a.host, a.port), (None, Some(22)));
        let a = parse_url("https://cloud.xxx.io:8443/", &svc());
        assert_eq!((a.host, a.port), (None, Some(8443)));
        // A variable where the host goes is a stand-in too: its value was never shown, but
        // the scheme still gives the port.
        let a = parse_url("http://$HOST/", &svc());
        assert_eq!((a.host, a.port), (None, Some(80)));
        let a = parse_url("https://<ReportServer>/rs", &svc());
        assert_eq!((a.host, a.port), (None, Some(443)));
        // Percent-encoding is no variable: nginx's `http://%2Fvar%2Frun%2Fapp.sock/` is none.
        assert_eq!(
            parse_url("http://%2Fvar%2Frun%2Fdocker.sock/v1", &svc()).port,
            None
        );
    }

    #[test]
    fn a_name_with_an_empty_label_is_no_host() {
        assert_eq!(clean_host("10.0.0.5...failed"), None);
        assert_eq!(clean_host("db..lan"), None);
        assert_eq!(clean_host("db.lan."), Some("db.lan".into()));
    }

    #[test]
    fn error_type_names_are_no_hosts() {
        assert_eq!(clean_host("[HttpConnectionError]"), None);
        assert_eq!(clean_host("SocketException"), None);
        assert_eq!(clean_host("ErrorLog"), Some("ErrorLog".into()));
        assert_eq!(clean_host("Error.lan"), Some("Error.lan".into()));
    }

    #[test]
    fn every_scheme_brings_its_default_port() {
        let port = |u: &str| parse_url(u, &svc()).port;
        for (url, want) in [
            ("amqp://mq.lan/vhost", 5672),
            ("amqps://mq.lan", 5671),
            ("nats://bus.lan", 4222),
            ("mqtt://sensors.lan", 1883),
            ("mqtts://sensors.lan", 8883),
            ("kafka://stream.lan", 9092),
            ("redis://cache.lan/0", 6379),
            ("rediss://cache.lan", 6380),
            ("mongodb+srv://cluster0.lan/app", 27017),
            ("postgresql://pg.lan/app", 5432),
            ("mysql://my.lan/app", 3306),
            ("ldap://dir.lan", 389),
            ("ldaps://dir.lan", 636),
            ("ws://sock.lan/feed", 80),
            ("wss://sock.lan/feed", 443),
            ("ftp://files.lan", 21),
            ("ssh://git.lan/repo", 22),
            ("smtp://mail.lan", 25),
            ("imap://mail.lan", 143),
            ("sqlserver://sql.lan", 1433),
            ("socks5h://proxy.lan", 1080),
            ("rtsp://cam.lan/stream1", 554),
            ("stomp://mq.lan", 61613),
            ("pop3://mail.lan", 110),
        ] {
            assert_eq!(port(url), Some(want), "{url}");
        }
        let a = parse_url("jdbc:sqlserver://sql.lan:14330;databaseName=shop", &svc());
        assert_eq!((a.host.as_deref(), a.port), (Some("sql.lan"), Some(14330)));
    }

    /// The prefilter only skips work: over every real message of the corpus and every capture
    /// of a real client, alone and all of them run together into one long paste with routine lines between (so windows meet
    /// and merge), the hits are the ones a pass of every pattern over the whole text finds.
    #[test]
    fn filtering_changes_no_hit() {
        let kb = Knowledge::bundled();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/real");
        let mut texts = Vec::new();
        for set in ["working", "sealed", "sealed2"] {
            let lines = std::fs::read_to_string(format!("{dir}/{set}.jsonl")).unwrap();
            for l in lines.lines() {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                texts.push(v["text"].as_str().unwrap().to_string());
            }
        }
        let captured = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/captured");
        for f in std::fs::read_dir(captured).unwrap() {
            texts.push(std::fs::read_to_string(f.unwrap().path()).unwrap());
        }
        assert!(texts.len() > 800);
        let mut long = String::new();
        for (i, t) in texts.iter().enumerate() {
            long.push_str(t);
            for j in 0..i % 7 {
                long.push_str(&format!("\nINFO connection {j} returned to the pool\n"));
            }
        }
        texts.push(long);
        let seen = |hits: Vec<Hit>| -> Vec<(usize, String, Addr)> {
            (hits.into_iter())
                .map(|h| (h.start, h.sig.id.clone(), h.addr))
                .collect()
        };
        for t in &texts {
            let prep = text::prepare(t);
            for last_resort in [false, true] {
                let (fast, fast_stats) = scan_with(&prep, &kb, true, last_resort);
                let (all, all_stats) = scan_with(&prep, &kb, false, last_resort);
                assert_eq!(seen(fast), seen(all), "{}", &t[..t.len().min(200)]);
                assert!(fast_stats.scanned <= all_stats.scanned + prep.text.len());
            }
        }
    }
}
