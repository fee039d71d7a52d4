//! The forms an address takes in a line: URLs, `host:port` and its bracketed, zoned and
//! `name/ip` forms, "host X port N", flags, fields, call arguments, bare IPs.

use super::command::{curl_proxy, fetch_bare_target};
use super::patterns::{flag_port, patterns, server_flag};
use super::roles::{
    host_of, is_pointer, is_source_file, looks_like_version, placeholder, placeholder_word,
    role_before,
};
use crate::explain::scan::{
    ADDRESS_FAMILIES, ADDRESS_WORDS, authority, is_placeholder, is_redacted, known_tld, parse_port,
    parse_url, split_addr,
};
use crate::knowledge::services::Services;

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

/// netcat's options include `-l` (listen); telnet's `-l` is a login name.
fn nc_listens(c: &regex::Captures) -> bool {
    !c[0].to_ascii_lowercase().contains("telnet")
        && c[1]
            .split_whitespace()
            .any(|f| f.starts_with('-') && !f.starts_with("--") && f.contains('l'))
}

/// The words after a place offer it as another to try (MailKit's `try connecting to port
/// 465 instead`): advice, not the place that failed.
pub fn is_advice(after: &str) -> bool {
    after.trim_start().starts_with("instead")
}

/// The host and port an address-shaped match gives; a stand-in for a host (`IP`, `xx.xx`)
/// is none, while its port still counts.
fn place(raw: &str) -> (Option<String>, Option<u16>) {
    split_addr(raw).map_or((None, None), |(h, p)| {
        (Some(h).filter(|h| !placeholder(h)), p)
    })
}

/// Every address in one line, with a score for its form and its role in the line.
/// Dart's SocketException names the local end's port after the address it connected to
/// when the peer refused or reset (`OS Error: Connection refused, errno = 111, address = db,
/// port = 42166`; dart-lang/sdk#12693): that port is blanked, the same length, so that no reading
/// takes it for the target's. A connect that failed at once ("Connection failed (OS Error:
/// No route to host …), … port = 22") or that found no route or timed out names the
/// target's, and readers of those messages take it so.
pub fn without_local_port(line: &str) -> std::borrow::Cow<'_, str> {
    const FIELD: &str = ", port = ";
    let local_end = || {
        let lower = line.to_ascii_lowercase();
        lower.contains("refused") || lower.contains("reset")
    };
    if !line.contains("OS Error:") || line.contains("Connection failed (OS Error") || !local_end() {
        return line.into();
    }
    let Some(at) = line.find(FIELD) else {
        return line.into();
    };
    let digits = line[at + FIELD.len()..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(line.len() - at - FIELD.len());
    let end = at + FIELD.len() + digits;
    format!("{}{}{}", &line[..at], " ".repeat(end - at), &line[end..]).into()
}

/// The text before an address without a transport glued to it (netdata's `tcp:name:19999`),
/// so that the words before the transport give the address its role.
fn without_transport(before: &str) -> &str {
    before
        .strip_suffix("tcp:")
        .or_else(|| before.strip_suffix("udp:"))
        .unwrap_or(before)
}

/// The text before a match names the end a connection came in from, `words` words back
/// (`Connection from 10.0.0.9 port 34876`: `from` is one word before the address and two
/// before `port`). sshd's log and curl's `from ::1 port 47596` name that end so; it is the
/// client's end, or this end's own, never the target.
pub fn came_in_from(before: &str, words: usize) -> bool {
    (before.split_whitespace().rev().nth(words.saturating_sub(1)))
        .is_some_and(|w| w.eq_ignore_ascii_case("from"))
}

/// A row of traceroute's table: a hop number, then a router's address (or `name (address)`,
/// or `*` where none answered), then times written `6.703 ms`.
fn is_hop(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let numbered = words
        .first()
        .is_some_and(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()));
    let router = words.get(1).is_some_and(|w| {
        *w == "*"
            || w.parse::<std::net::IpAddr>().is_ok()
            || words
                .get(2)
                .is_some_and(|n| n.starts_with('(') && n.ends_with(')'))
    });
    let timed = words
        .windows(2)
        .any(|p| p[1] == "ms" && p[0].parse::<f64>().is_ok());
    let silent = words.len() > 1 && words[1..].iter().all(|w| *w == "*");
    numbered && router && (timed || silent)
}

/// The span shares a character with one already read.
fn overlaps(taken: &[(usize, usize)], span: (usize, usize)) -> bool {
    taken.iter().any(|&(a, b)| span.0 < b && a < span.1)
}

pub fn candidates(line: &str, services: &Services) -> Vec<Candidate> {
    let p = patterns();
    let line = without_local_port(line);
    let decoded = percent_decoded(super::head(&line));
    // OpenVPN writes the family before the address (`link remote: [AF_INET]10.0.0.5:1194`);
    // blanked to the same length, the words before it still give its role.
    let blanked;
    let line = if decoded.contains("[AF_INET") {
        blanked = decoded
            .replace("[AF_INET6]", "          ")
            .replace("[AF_INET]", "         ");
        blanked.as_str()
    } else {
        decoded.as_ref()
    };
    let mut out: Vec<Candidate> = Vec::new();
    // A traceroute hop (` 4  r1.lan (10.0.0.1)  6.703 ms !N`) names a router on the way;
    // the target is in the `traceroute to` line above.
    if is_hop(line) {
        return out;
    }
    // Erlang's report header (`=ERROR REPORT==== 9-Sep-2015::15:41:47 ===`): its date and
    // time are not an IPv6 address and a port.
    if line.trim_start().starts_with('=') && line.contains(" REPORT====") {
        return out;
    }
    // The statement a database error quotes is data: nothing in it is a place.
    let mut taken: Vec<(usize, usize)> = p
        .sql
        .find_iter(line)
        .map(|m| (m.start(), m.end()))
        .collect();
    // ssh names the peer `UNKNOWN port 65535` when it went through a ProxyCommand: the
    // port is a placeholder too.
    if line.contains("curl") {
        taken.extend(p.curl_payload.find_iter(line).map(|m| (m.start(), m.end())));
    }
    // A certificate's fingerprint (`7E:DC:37:6D:…`) is pairs of hex digits, not IPv6.
    if line.matches(':').count() >= 8 {
        taken.extend(p.fingerprint.find_iter(line).map(|m| (m.start(), m.end())));
    }
    // A User-Agent header names products and their versions (`App/1.1.0.3`), never a place.
    if line.contains("gent:")
        && let Some(at) = line.to_ascii_lowercase().find("user-agent:")
    {
        taken.push((at, line.len()));
    }
    // Go names the malformed address it could not split (`address 2606:4700::1:443: too
    // many colons in address`): the program built it wrong, the place is elsewhere.
    if let Some(at) = line.find(": too many colons") {
        let start = line[..at].rfind(' ').map_or(0, |i| i + 1);
        taken.push((start, at));
    }
    // Words one of `not_place`'s forms needs: a cheap test before the pattern.
    const NOT_PLACE_WORDS: &[&str] = &[
        "<",
        "ersion",
        "epmd",
        "SERVER",
        "pg_hba",
        "' is ",
        "info: host",
        "peer.",
        "peer_",
        "remote_",
        "client_",
        "emoteAddress",
        "lientAddress",
    ];
    if NOT_PLACE_WORDS.iter().any(|w| line.contains(w)) {
        taken.extend(p.not_place.find_iter(line).map(|m| (m.start(), m.end())));
    }
    // A picture attached to a report (`![ERR_CONNECTION_REFUSED](https://cdn.lan/1.png)`)
    // shows the error; its address is where the picture is kept.
    if line.contains("![") {
        taken.extend(p.image_link.find_iter(line).map(|m| (m.start(), m.end())));
    }
    if let Some(at) = line.find("UNKNOWN port ") {
        taken.push((at, (at + "UNKNOWN port 65535".len()).min(line.len())));
    }
    let push = |out: &mut Vec<Candidate>,
                taken: &mut Vec<(usize, usize)>,
                span: (usize, usize),
                host: Option<String>,
                port: Option<u16>,
                scheme: Option<String>,
                form: i32,
                asked: bool| {
        if overlaps(taken, span) {
            return;
        }
        if host.is_none() && port.is_none() {
            return;
        }
        // A hidden local end of a socket pair (`read udp x.x.x.x:39967->…`): its port is
        // this machine's.
        if host.is_none() && line[span.1..].starts_with("->") {
            return;
        }
        if is_advice(&line[span.1..]) {
            return;
        }
        // An IPv4-mapped address's prefix (`::ffff:66.42.1.9`) is part of the address: the
        // words before it give its role (`exception from ::ffff:…`, a server's peer).
        let before = &line[..span.0];
        let before = before.strip_suffix("::ffff:").unwrap_or(before);
        // The DNS server behind a hidden address (`lookup db.lan on x.x.x.x:53: no such
        // host`): its port 53 is no port of the name being looked up.
        if host.is_none() && port == Some(53) && before.trim_end().ends_with(" on") {
            return;
        }
        // A URL after "for" is what the failure was for ("Timeout was reached for
        // https://…", "CONNECTION FAILED for url <https://…>"); a bare address after it is
        // more often a source or a purpose.
        let for_url = scheme.is_some()
            && before
                .trim_end_matches([' ', '<', '"', '\''])
                .to_ascii_lowercase()
                .ends_with(" for");
        // So is a name a step failed for (`CERT_PKIXVerifyCert for shop.lan failed`).
        let failed_for =
            line[span.1..].starts_with(" failed") && before.to_ascii_lowercase().ends_with("for ");
        let role = if for_url || failed_for {
            2
        } else {
            role_before(without_transport(before))
        };
        let mut score = form + role;
        // A name that fills the whole first bracket before a failure (`[db.lan] Connection
        // timed out`, Deployer's `[10.0.0.5] < Host key verification failed`) is the host
        // the record is about.
        let about =
            span.0 == 1 && line.find(']') == Some(span.1) && patterns().bracket_host.is_match(line);
        // Otherwise inside a log record's leading `[...]` (its time, thread, logger or
        // origin), but not a Markdown link's (`[https://cdn.lan/x](page)`), nor ASP.NET's
        // exception in brackets (`[SocketException (0x271d): … 10.0.0.5:80]`).
        let exception = line
            .strip_prefix('[')
            .and_then(|rest| rest.split([' ', ':', '(']).next())
            .is_some_and(|w| w.ends_with("Exception"));
        if line.starts_with('[')
            && !about
            && !exception
            && line
                .find(']')
                .is_some_and(|end| span.0 < end && !line[end..].starts_with("]("))
        {
            score -= 6;
        }
        // The DNS server a lookup went to (`lookup db on 127.0.0.11:53`) is not the target.
        if port == Some(53) && line[..span.0].trim_end().ends_with(" on") {
            score -= 10;
        }
        // The resolver dig and nslookup report (`;; SERVER: 127.0.0.53#53(127.0.0.53)`,
        // `Server:  10.0.0.2`) answered; it is not what was asked about.
        let head = line.trim_start().trim_start_matches([';', ' ']);
        if head
            .get(..7)
            .is_some_and(|h| h.eq_ignore_ascii_case("server:"))
        {
            score -= 10;
        }
        // The local end of a socket pair (`10.0.0.1:51640->10.0.0.2:7002`, `local=… remote=…`).
        if line[span.1..].trim_start().starts_with("->")
            || line[span.1..].trim_start().starts_with("<->")
        {
            score -= 10;
        }
        // MySQL's and MariaDB's refusal names the client as the server saw it
        // (`Host '10.0.0.9' is not allowed to connect to this MySQL server`).
        if line[span.1..]
            .trim_start_matches(['\'', '"', '`'])
            .starts_with(" is not allowed to connect")
        {
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
    // The forms whose groups each hold the host (the first that matched is taken).
    let host_only = |out: &mut Vec<Candidate>,
                     taken: &mut Vec<(usize, usize)>,
                     c: &regex::Captures,
                     form: i32,
                     asked: bool| {
        let Some(h) = (1..c.len()).find_map(|i| c.get(i)) else {
            return;
        };
        let span = (h.start(), h.end());
        push(
            out,
            taken,
            span,
            host_of(h.as_str()),
            None,
            None,
            form,
            asked,
        );
    };
    // The forms with a port group and, in either order, a host group (none when only the
    // port is written).
    let port_and_host = |out: &mut Vec<Candidate>,
                         taken: &mut Vec<(usize, usize)>,
                         c: &regex::Captures,
                         host: Option<usize>,
                         port: usize,
                         form: i32,
                         asked: bool| {
        let n = c.get(port).expect("group");
        let h = host.and_then(|i| c.get(i));
        let span = h.map_or((n.start(), n.end()), |h| {
            (h.start().min(n.start()), h.end().max(n.end()))
        });
        let host = h.and_then(|h| host_of(h.as_str()));
        push(
            out,
            taken,
            span,
            host,
            parse_port(n.as_str()),
            None,
            form,
            asked,
        );
    };
    // A host ssh was asked to reach (scheme ssh).
    let ssh_at = |out: &mut Vec<Candidate>,
                  taken: &mut Vec<(usize, usize)>,
                  h: regex::Match,
                  host: Option<String>,
                  port: Option<u16>,
                  form: i32| {
        let span = (h.start(), h.end());
        push(out, taken, span, host, port, Some("ssh".into()), form, true);
    };
    // The forms whose first group is the host and second the port.
    let host_and_port = |out: &mut Vec<Candidate>,
                         taken: &mut Vec<(usize, usize)>,
                         c: &regex::Captures,
                         form: i32,
                         asked: bool| {
        port_and_host(out, taken, c, Some(1), 2, form, asked);
    };
    // curl connects to its proxy, whatever URL it asks for: the proxy comes first.
    if let Some((a, b)) = curl_proxy(line) {
        let value = line[a..b].trim_matches(['"', '\'']);
        let (host, port, scheme) = if value.contains("://") {
            let a = parse_url(value, services);
            (a.host, a.port, a.scheme)
        } else {
            // curl's own default port for a proxy.
            split_addr(value).map_or((None, None, None), |(h, p)| {
                (Some(h), p.or(Some(1080)), None)
            })
        };
        push(&mut out, &mut taken, (a, b), host, port, scheme, 8, true);
    }
    for m in p.url.find_iter(line) {
        let url = m.as_str();
        let lower = url.to_ascii_lowercase();
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
            // A repository's short form (`github://owner/repo`, Pharo's and Metacello's).
            "github://",
            "gitlab://",
            "bitbucket://",
            // A bucket (`s3://backups/x`, `gs://logs`) is a name inside a storage
            // service, not a host.
            "s3://",
            "s3a://",
            "gs://",
        ]
        .iter()
        .any(|s| lower.starts_with(s));
        // A format string's URL (`"ws://{}:{}".format(host, port)`) names no place yet.
        // A template only in the login (`mongodb://${USER}:${PASS}@db.lan`) still names one.
        let template = (url.split_once("://")).is_some_and(|(_, rest)| {
            let authority = authority(rest);
            let place = authority.rsplit_once('@').map_or(authority, |(_, p)| p);
            place.contains('{')
        });
        // An XML namespace (`xmlns:f="http://schemas.microsoft.com/…"`) is a name, never
        // fetched.
        let namespace = line[..m.start()]
            .trim_end_matches(['"', '\''])
            .strip_suffix('=')
            .is_some_and(|b| {
                let attr = b.rsplit(char::is_whitespace).next().unwrap_or(b);
                attr.starts_with("xmlns") || attr.ends_with("schemaLocation")
            });
        if internal || template || namespace {
            taken.push((m.start(), m.end()));
            continue;
        }
        let mut a = parse_url(url, services);
        if a.unix_path.is_some() {
            continue;
        }
        // A port written as a word (https://registry:port/v2/) still leaves the host.
        if a.host.is_none()
            && let Some((head, tail)) = url.split_once("://")
            && let Some((host, word)) = authority(tail).rsplit_once(':')
            && word.chars().all(|c| c.is_ascii_alphabetic())
        {
            a = parse_url(&format!("{head}://{host}/"), services);
            a.port = None;
        }
        // A URL's host is never a file, whatever it ends in (transfer.sh, deno.land).
        let host = a.host.and_then(|h| (!placeholder_word(&h)).then_some(h));
        // A URL whose host is hidden still gives its port.
        let port = a.port;
        // A link to documentation ("see https://…/docs/…") is advice, not the target.
        // A URL followed by its own error (`https://repo.lan/…/docs/x.jar: download error`)
        // is what failed, whatever its path says.
        let subject = line[m.end()..].starts_with(": ")
            || (url.ends_with(':') && line[m.end()..].starts_with(' '));
        let docs = !subject
            && [
            "/docs",
            "/doc/",
            "wiki",
            "/help",
            "/faq",
            "errors.html",
            "/manual",
            // iPXE's page for each error code (`Connection timed out (http://ipxe.org/4c0a6035)`).
            "//ipxe.org/",
        ]
        .iter()
        .any(|d| lower.contains(d))
            // A program's banner (`Ncat: Version 7.60 ( https://nmap.org/ncat )`,
            // `Starting Nmap 7.60 ( https://nmap.org )`, ApacheBench's copyright and
            // licence lines) names its home page.
            // A pointer to help in the sentence before the URL (`Please see the Bundler
            // troubleshooting documentation at http://bit.ly/…`) is advice on any link.
            || pointed_to_help(&line[..m.start()])
            || {
                let l = line.to_ascii_lowercase();
                l.contains("copyright")
                    || l.contains(": version ")
                    || l.contains("licensed to")
                    || (line[..m.start()].ends_with("( ") && line[m.end()..].starts_with(" )"))
            };
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
        // A Markdown link behind words of prose (`in [this example repo I prepared](https://…)`)
        // points the reader somewhere; the failing call is told elsewhere.
        let prose_link = line[..m.start()].strip_suffix("](").is_some_and(|b| {
            b.rsplit_once('[')
                .is_some_and(|(_, text)| text.split_whitespace().count() >= 3)
        });
        if docs || frame || prose_link {
            taken.push((m.start(), m.end()));
            continue;
        }
        // gRPC's resolver URL names a pointer where the host goes
        // (`etcd-endpoints://0xc000350000/127.0.0.1:2379`): the address after it is read
        // by the host:port form below.
        if host.as_deref().is_some_and(is_pointer) {
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
    for c in p.sqlserver.captures_iter(line) {
        let h = c.get(1).expect("group");
        let end = c.get(2).map_or(h.end(), |n| n.end());
        // Without its own marks (a comma port, `tcp:`, an instance, sqlcmd's -S) this is an
        // ordinary `address=` field, read below with a port field beside it.
        let whole = c.get(0).expect("group").as_str();
        if c.get(2).is_none() && !whole.contains(['\\', ':']) && !whole.contains("-S") {
            continue;
        }
        let port = c.get(2).and_then(|n| parse_port(n.as_str()));
        push(
            &mut out,
            &mut taken,
            (h.start(), end),
            host_of(h.as_str()),
            port,
            None,
            5,
            true,
        );
    }
    for c in p.oracle_thin.captures_iter(line) {
        let h = c.get(1).expect("group");
        let port = c.get(2).and_then(|n| parse_port(n.as_str())).or(Some(1521));
        push(
            &mut out,
            &mut taken,
            (h.start(), c.get(0).expect("group").end()),
            host_of(h.as_str()),
            port,
            Some("oracle".into()),
            6,
            true,
        );
    }
    // Cheap tests on the line first: most patterns below start without a fixed word, and
    // the reader must stay fast on long logs.
    let lower = line.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let hash_ports = line.contains('#').then(|| p.hash_port.captures_iter(line));
    for c in hash_ports.into_iter().flatten() {
        // A source file and its line (`lib/http-engine.js#5`) is no server and port.
        if is_source_file(&c[1]) {
            continue;
        }
        host_and_port(&mut out, &mut taken, &c, 6, false);
    }
    let at_ports = line.contains('@').then(|| p.at_port.captures_iter(line));
    for c in at_ports.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, false);
    }
    let dig = has(&["dig", "nslookup"]);
    let dig_servers = (dig && line.contains('@')).then(|| p.dig_server.captures_iter(line));
    let nslookup_servers = dig.then(|| p.nslookup_server.captures_iter(line));
    for c in (dig_servers.into_iter().flatten()).chain(nslookup_servers.into_iter().flatten()) {
        let h = c.get(1).expect("group");
        let (host, port) = place(h.as_str());
        let port = port.or_else(|| flag_port(line)).or(Some(53));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            None,
            5,
            true,
        );
    }
    for c in dig
        .then(|| p.dig_name.captures_iter(line))
        .into_iter()
        .flatten()
    {
        host_only(&mut out, &mut taken, &c, 6, true);
    }
    let pings = has(&["ping", "trac", "mtr"]).then(|| p.ping.captures_iter(line));
    for c in pings.into_iter().flatten() {
        let h = c.get(1).expect("group");
        // One bare word after `ping` is a host only when it could not be prose: a dotted
        // name, an address, localhost, or a name with a digit in it (`centos6`).
        let host = host_of(h.as_str()).filter(|h| {
            h.contains(['.', ':'])
                || h.eq_ignore_ascii_case("localhost")
                || h.bytes().any(|b| b.is_ascii_digit())
        });
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            None,
            None,
            6,
            true,
        );
    }
    let sentence = has(&[
        "server at",
        "host at",
        "’s ",
        "'s ",
        "the page",
        "refused to connect",
        "too long to respond",
        "unexpectedly closed",
        "send any data",
        "invalid response",
        "connection to",
        "connecting to",
        "连接到",
        "verbinden mit",
        "zu verbinden",
        "(be patient)",
        "からの応答時間",
        "意外终止了连接",
        "die verbindung abgelehnt",
        "server refused the connection",
        "find the server for",
        "响应时间过长",
        "connect to ",
        "requesting ",
        "error from ",
        "failure from ",
    ]);
    let sentences = sentence.then(|| p.sentence_host.captures_iter(line));
    for c in sentences.into_iter().flatten() {
        let Some(h) = (1..c.len()).find_map(|i| c.get(i)) else {
            continue;
        };
        // Chrome's page copied without its line break: "…a secure connectionapp.lan sent
        // an invalid response".
        let raw = h.as_str();
        let raw = (raw.strip_prefix("connection"))
            .filter(|rest| rest.contains('.'))
            .unwrap_or(raw);
        // The same with the heading glued to an IP address (German "…nicht
        // erreichbar192.168.0.5:8080 hat die Verbindung abgelehnt").
        let raw = match raw.find(|c: char| c.is_ascii_digit()) {
            Some(i) if i > 0 && raw[..i].bytes().all(|b| b.is_ascii_alphabetic()) => {
                let ip = &raw[i..];
                let bare = ip.split(':').next().unwrap_or(ip);
                if bare.parse::<std::net::Ipv4Addr>().is_ok() {
                    ip
                } else {
                    raw
                }
            }
            _ => raw,
        };
        let (host, port) = place(raw);
        // A lone word ("Firefox can’t…", "This site") is no host; a name has a dot.
        let host = host.filter(|h| h.contains(['.', ':']) || h.eq_ignore_ascii_case("localhost"));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            None,
            6,
            true,
        );
    }
    let steps = (line.contains(" failed") || line.contains("the host"))
        .then(|| p.for_failed.captures_iter(line));
    for c in steps.into_iter().flatten() {
        host_only(&mut out, &mut taken, &c, 5, true);
    }
    for c in p.bracket_host.captures_iter(line) {
        // A logger's name before its level (Python's `[pika.connection] ERROR: …`) and
        // PHP's link to a function's manual page (`[function.fsockopen]: unable to …`).
        // Only an upper-case level marks a logger: `[db.lan] Error: timed out` names a host.
        let name = &c[1];
        let after = line[c.get(1).expect("group").end() + 1..].trim_start_matches([':', ' ']);
        let level = after.starts_with("ERROR");
        // A module path as a logger's name (`[homeassistant.components.mqtt.client]`) ends
        // in no label a host name could end in.
        let module = name.split('.').count() >= 3
            && !known_tld(name.rsplit('.').next().unwrap_or(name))
            && name.parse::<std::net::Ipv4Addr>().is_err();
        if level || module || name.starts_with("function.") {
            continue;
        }
        host_only(&mut out, &mut taken, &c, 5, false);
    }
    let prompt = line
        .contains("'s password:")
        .then(|| p.ssh_password.captures_iter(line));
    for c in prompt.into_iter().flatten() {
        let h = c.get(1).expect("group");
        let host = host_of(h.as_str());
        let port = host.as_ref().map(|_| 22);
        ssh_at(&mut out, &mut taken, h, host, port, 6);
    }
    // A bare `connect(host)`: code's `connect(this.opts)` ends in no real suffix, and a
    // stack frame's `connect(Builder.kt:37)` names a source file.
    let bare_calls = line.contains("onnect(").then(|| {
        p.bare_connect_call.captures_iter(line).filter(|c| {
            let last = c[1].rsplit('.').next().unwrap_or("");
            (last.bytes().all(|b| b.is_ascii_digit()) || known_tld(last))
                && host_of(&c[1]).is_some()
        })
    });
    for c in (p.client_call.captures_iter(line)).chain(bare_calls.into_iter().flatten()) {
        if c.get(2).is_some() {
            host_and_port(&mut out, &mut taken, &c, 6, true);
        } else {
            host_only(&mut out, &mut taken, &c, 6, true);
        }
    }
    let hadoop = line
        .contains("destination host is")
        .then(|| p.hadoop_destination.captures_iter(line));
    for c in hadoop.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    let ansible = line
        .contains("UNREACHABLE!")
        .then(|| p.ansible_host.captures_iter(line));
    for c in ansible.into_iter().flatten() {
        host_only(&mut out, &mut taken, &c, 4, true);
    }
    for c in p.sshd_on.captures_iter(line) {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    for c in p.port_on_host.captures_iter(line) {
        let (n, h) = (c.get(1).expect("group"), c.get(2).expect("group"));
        // sshd's `Connection from x.x.x.83 port 34876 on port 22`: the port of the end that
        // came in, on this server's own port; neither is read here.
        let came_in = came_in_from(&line[..c.get(0).expect("match").start()], 2);
        if came_in || h.as_str().eq_ignore_ascii_case("port") {
            continue;
        }
        let host = split_addr(h.as_str())
            .map(|(h, _)| h)
            .filter(|h| !placeholder(h));
        push(
            &mut out,
            &mut taken,
            (n.start(), h.end()),
            host,
            parse_port(n.as_str()),
            None,
            6,
            // "on PORT 22 TO x" announces the attempt, even on a line before its error.
            true,
        );
    }
    // A command ending in a host and a port ends in a digit.
    let ends_in_digit = line.trim_end().ends_with(|c: char| c.is_ascii_digit());
    // `nc -l` listens: what follows is its own port, not a place it connects to; no
    // reading of the command line may take it.
    let netcat =
        (line.contains("nc") && line.contains(" -")).then(|| p.tool_host_port.captures_iter(line));
    for c in netcat.into_iter().flatten() {
        if nc_listens(&c) {
            let whole = c.get(0).expect("group");
            taken.push((whole.start(), whole.end()));
        }
    }
    // Or in a few more arguments after them, where the host is an address.
    let commands =
        (ends_in_digit || p.ipv4.is_match(line)).then(|| p.command_host_port.captures_iter(line));
    for c in commands.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 5, true);
    }
    let connects =
        (ends_in_digit && has(&["connect"])).then(|| p.connect_host_port.captures_iter(line));
    for c in connects.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 5, true);
    }
    let kwargs = line
        .contains("port")
        .then(|| p.call_port_kwarg.captures_iter(line));
    for c in kwargs.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    for c in p.call_args.captures_iter(line) {
        let Some(h) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        if c.get(2).is_some_and(|h| is_code(h.as_str())) {
            continue;
        }
        // A word in the middle of a list (Erlang's `['TLS', 32, 'hello', 32, …]`) is no
        // host: a single-label name counts only as a call's or a tuple's first argument.
        let listed = c.get(0).is_some_and(|w| w.as_str().starts_with(','));
        if listed && !h.as_str().contains(['.', ':']) && h.as_str() != "localhost" {
            continue;
        }
        let n = c.get(3).expect("group");
        // A port in quotes (`ipfsAPI('ipfs.lan', "8080", …)`) only as a call's second
        // argument after a dotted name: a CSV log's fields (`,"10.0.0.4","58584",`) and a
        // config lookup (`cf.get('mqtt_port', '1883')`) are quoted too.
        let quoted_port = line[..n.start()].ends_with(['"', '\'']);
        let call = c.get(0).is_some_and(|w| w.as_str().starts_with('('));
        if quoted_port && !(call && h.as_str().contains('.')) {
            continue;
        }
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
    for c in p.port_first_call.captures_iter(line) {
        port_and_host(&mut out, &mut taken, &c, Some(2), 1, 6, true);
    }
    for c in p.quoted_host_port.captures_iter(line) {
        // Clojure's frame (`"FutureTask.java" 122`) is a file and a line.
        if is_source_file(&c[1]) {
            continue;
        }
        host_and_port(&mut out, &mut taken, &c, 6, false);
    }
    for c in p.server_name.captures_iter(line) {
        host_and_port(&mut out, &mut taken, &c, 6, false);
    }
    let apple = line
        .contains("[C")
        .then(|| p.apple_endpoint.captures_iter(line));
    for c in apple.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, false);
    }
    let named = has(&[
        "no response from",
        "failed for",
        "error for",
        " from ",
        "on host ",
        "for host ",
    ])
    .then(|| p.named_host.captures_iter(line));
    for c in named.into_iter().flatten() {
        let Some(h) = (1..=4).find_map(|i| c.get(i)) else {
            continue;
        };
        let (host, port) = place(h.as_str());
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            None,
            5,
            true,
        );
    }
    for c in p.host_slash_port.captures_iter(line) {
        host_and_port(&mut out, &mut taken, &c, 5, false);
    }
    if let Some((span, host, port)) = fetch_bare_target(line) {
        push(
            &mut out,
            &mut taken,
            span,
            Some(host),
            Some(port),
            Some("http".into()),
            5,
            true,
        );
    }
    let dev_tcp = line
        .contains("/dev/")
        .then(|| p.dev_tcp.captures_iter(line));
    for c in dev_tcp.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    let getaddrinfo = has(&["getaddrinfo"]).then(|| p.getaddrinfo_args.captures_iter(line));
    for c in getaddrinfo.into_iter().flatten() {
        let h = c.get(1).or_else(|| c.get(2)).expect("group");
        let n = c.get(3).expect("group");
        // A phrase in quotes ("myhostname replaced") is no name.
        let host = host_of(h.as_str()).filter(|h| !h.contains(' ') && !placeholder(h));
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            host,
            parse_port(n.as_str()),
            None,
            6,
            true,
        );
    }
    for c in p.new_connection.captures_iter(line) {
        let h = c.get(2).expect("group");
        let https = c[1].eq_ignore_ascii_case("https");
        let port =
            (c.get(3).and_then(|n| parse_port(n.as_str()))).or(Some(if https { 443 } else { 80 }));
        let end = c.get(0).expect("group").end();
        let scheme = Some(if https { "https" } else { "http" }.to_string());
        push(
            &mut out,
            &mut taken,
            (h.start(), end),
            host_of(h.as_str()),
            port,
            scheme,
            6,
            true,
        );
    }
    for c in p.slash_place.captures_iter(line) {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    let ssh_to = has(&["ssh"]).then(|| p.ssh_to.captures_iter(line));
    for c in ssh_to.into_iter().flatten() {
        let h = c.get(1).expect("group");
        let host = host_of(h.as_str()).filter(|h| !placeholder(h));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            Some(22),
            None,
            5,
            true,
        );
    }
    // A share's server, or an NFS server handed to mount: no port is written.
    if line.contains("\\\\") {
        for c in p.unc_host.captures_iter(line) {
            host_only(&mut out, &mut taken, &c, 5, true);
        }
    }
    if line.contains(":/") {
        for c in p.nfs_export.captures_iter(line) {
            // An Ansible mount's `src` is the export's source, the server. Added directly:
            // `push` would score it as this end by its role word, as `src` is elsewhere.
            if let Some(h) = c.get(2) {
                let span = (h.start(), h.end());
                if line.contains("nfs") && !overlaps(&taken, span) {
                    taken.push(span);
                    out.push(Candidate {
                        host: host_of(h.as_str()),
                        port: None,
                        scheme: None,
                        score: 5,
                        asked: true,
                    });
                }
                continue;
            }
            host_only(&mut out, &mut taken, &c, 5, true);
        }
    }
    for c in p.name_ip_port.captures_iter(line) {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    let wget = line
        .contains("|:")
        .then(|| p.wget_connecting.captures_iter(line));
    for c in wget.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    let varnish = line
        .contains("BackendOpen")
        .then(|| p.backend_open.captures_iter(line));
    for c in varnish.into_iter().flatten() {
        host_and_port(&mut out, &mut taken, &c, 6, true);
    }
    // Before the bare `host:port` form, so that an address given to a flag counts as asked
    // for. `-s` means a server in some tools and a search string in others: it gives way
    // to a host flag on the same line.
    let flags = (p.flag_host.captures_iter(line).map(|c| (c, 5))).chain(
        (server_flag(line).then(|| p.flag_server.captures_iter(line).map(|c| (c, 4))))
            .into_iter()
            .flatten(),
    );
    for (c, form) in flags {
        let h = c.get(1).expect("group");
        let raw = h.as_str();
        let recursive = line[..h.start()].trim_end().ends_with("-r");
        if recursive
            && raw
                .split(':')
                .next()
                .and_then(|a| a.parse::<std::net::Ipv4Addr>().ok())
                .is_none()
        {
            continue;
        }
        let (host, port, scheme) = if raw.contains("://") {
            let a = parse_url(raw, services);
            (a.host, a.port, a.scheme)
        } else {
            // A host the reporter hid (`-connect mail.domain.tld:465`) still leaves its port.
            let hidden_port = || {
                raw.rsplit_once(':')
                    .filter(|(h, _)| !h.contains(':'))
                    .and_then(|(_, p)| parse_port(p))
            };
            match split_addr(raw) {
                Some((h, p)) if !placeholder(&h) => (Some(h), p, None),
                Some((_, p)) => (None, p, None),
                None => (None, hidden_port(), None),
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
            form,
            true,
        );
    }
    for c in p.tool_host_port.captures_iter(line) {
        // A listening nc's span is taken above, so nothing of it is pushed here.
        port_and_host(&mut out, &mut taken, &c, Some(2), 3, 7, true);
    }
    for c in p.tool_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        // No port for ntpdate: NTP is UDP 123, and a TCP check of 123 would mislead. telnet
        // without a port argument goes to its own, 23.
        let telnet = c[0].to_ascii_lowercase().contains("telnet");
        let ftp = c[0].to_ascii_lowercase().contains("ftp ");
        // "telnet server error": a word, not a command's argument.
        let Some(host) = host_of(h.as_str()) else {
            continue;
        };
        // "an FTP site": prose, not the command; ftp's host is a name with a dot or an IP.
        if ftp && !host.contains(['.', ':']) && host != "localhost" {
            continue;
        }
        // "Failed to execute nmap portscan.": a sentence's last word, not an argument.
        if h.as_str().ends_with('.') && !host.contains(['.', ':']) && host != "localhost" {
            continue;
        }
        // nmap's own report (`Nmap scan report for x`, `Nmap done: 1 IP address`).
        if ["scan", "done"].contains(&host.to_ascii_lowercase().as_str()) {
            continue;
        }
        let port = flag_port(line)
            .or(telnet.then_some(23))
            .or(ftp.then_some(21));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            Some(host),
            port,
            None,
            7,
            true,
        );
    }
    for c in p.host_port_words.captures_iter(line) {
        // `Connection from 10.0.0.9 port 34876`: the end that came in, written bare. A name
        // quoted or `on port` (`no response from "db.lan" on port 6600`) is where a
        // request went.
        let words: Vec<&str> = c[0].split_whitespace().collect();
        let on_port = words.windows(2).any(|w| {
            w[0].eq_ignore_ascii_case("on") && w[1].to_ascii_lowercase().starts_with("port")
        });
        let bare = !c[0].contains(['"', '\'', '`']) && !on_port;
        if bare && came_in_from(&line[..c.get(0).expect("match").start()], 1) {
            continue;
        }
        // `Connecting to Firefox on port 6005`: a program's capitalised name before `on
        // port` is what listens there, not the name of a host; the port still stands.
        let h = c.get(1).expect("group").as_str();
        let program = h.len() > 2
            && h.starts_with(|c: char| c.is_ascii_uppercase())
            && h[1..].chars().all(|c| c.is_ascii_lowercase())
            && on_port;
        if program {
            port_and_host(&mut out, &mut taken, &c, None, 2, 6, false);
            continue;
        }
        host_and_port(&mut out, &mut taken, &c, 6, false);
    }
    // Fields before the bare `host:port` form, which would otherwise take the same span
    // and lose what the field's name says (`bootstrap_servers=['10.0.0.5:9092']`).
    for c in p.kv_host.captures_iter(line) {
        let h = c.get(1).expect("group");
        // A response's headers (`"server": "nginx"`) name software, not a place.
        if line[..h.start()].to_ascii_lowercase().contains("headers") {
            continue;
        }
        let (host, own_port) = split_addr(h.as_str())
            .filter(|(h, _)| !placeholder(h))
            .map_or((None, None), |(h, p)| (Some(h), p));
        let after = &line[h.end()..];
        // `server: namenode/172.24.0.6:8020` is the `name/ip:port` form, read below;
        // `server = smtplib.SMTP(host, 25)` assigns what a call returns.
        if after.starts_with(['/', '(']) {
            continue;
        }
        // `Server: Could not open a connection`, `SQL Server : Named Pipes Provider`: a
        // sentence or a product's name, not a host.
        let sentence = host.as_deref().is_some_and(|h| {
            !h.contains(['.', ':'])
                && !h.eq_ignore_ascii_case("localhost")
                && after.starts_with(' ')
                && after[1..].starts_with(char::is_alphabetic)
        });
        if sentence {
            continue;
        }
        let port = own_port.or_else(|| {
            p.kv_port
                .captures(after)
                .and_then(|pc| parse_port(pc.get(1)?.as_str()))
        });
        // A client's setting for where it connects (`bootstrap_servers=[…]`, `endpoint:`)
        // is asked for; `address:` and `host:` are also fields of an earlier error's object.
        let key = c.get(0).expect("match").as_str().to_ascii_lowercase();
        let asked = ["server", "broker", "endpoint"]
            .iter()
            .any(|k| key.contains(k));
        push(
            &mut out,
            &mut taken,
            (h.start(), h.end()),
            host,
            port,
            None,
            4,
            asked,
        );
    }
    for c in p.hostport.captures_iter(line) {
        let (h, n) = (c.get(1).expect("group"), c.get(2).expect("group"));
        let Some(port) = parse_port(n.as_str()) else {
            continue;
        };
        let raw = h.as_str();
        // A MAC address (`cc:40:d0:8b:0c:6a`) is no host and port.
        if is_mac(&line[h.start()..]) {
            continue;
        }
        // A hidden host whose port still stands: the address is this span, with no name.
        let port_only = |out: &mut Vec<Candidate>, taken: &mut Vec<(usize, usize)>| {
            push(
                out,
                taken,
                (h.start(), n.end()),
                None,
                Some(port),
                None,
                3,
                false,
            );
        };
        // The tail of an IPv6 address whose middle groups were starred out
        // (`2001:470:c:***::2:7073`): the host was hidden, the port was not.
        if line[..h.start()].ends_with('*') {
            port_only(&mut out, &mut taken);
            continue;
        }
        // A bare IPv6 literal whose first groups look like `name:port` (`2a03:2880:f10a:…`).
        let v6_end = line[h.start()..]
            .find(|c: char| !(c.is_ascii_hexdigit() || c == ':'))
            .map_or(line.len(), |e| h.start() + e);
        // It may end in `::` itself (`2002:1:1::`).
        let whole = &line[h.start()..v6_end];
        let v6 = if whole.parse::<std::net::Ipv6Addr>().is_ok() {
            whole
        } else {
            whole.trim_end_matches(':')
        };
        if v6_end > n.end() + 1 && v6.parse::<std::net::Ipv6Addr>().is_ok() {
            let span = (h.start(), h.start() + v6.len());
            push(
                &mut out,
                &mut taken,
                span,
                Some(v6.into()),
                None,
                None,
                5,
                false,
            );
            continue;
        }
        // Clock times (10:16:26) and file positions (errors:692:14) look the same.
        let rest = &line[n.end()..];
        if rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // Ruby's frames (`<internal:prelude>:76:in `read_nonblock'`, `protocol.rb:154:in`).
        if rest.starts_with(":in ") {
            continue;
        }
        // A logger's class and line (`ERROR net.schmizz.concurrent.Promise:175 - …`).
        if is_class_path(raw) {
            continue;
        }
        // `name/ip`, where the name is only a word (`to/10.0.0.5:80`): the address.
        let raw = match raw.split_once('/') {
            Some((name, ip)) if placeholder(name) => ip,
            _ => raw,
        };
        // An unbracketed IPv6 address ending in a short group (`2001:db8::10`) is the
        // whole address: its last group is no port.
        let Some((host, split_port)) = split_addr(&format!("{raw}:{port}")) else {
            // An address the reporter blotted out (`[XXX.XXX.X.XX]:10050`) or a program
            // left unset (`undefined:32974`) still gives its port.
            let bracketed = raw.starts_with('[');
            let raw = raw.trim_matches(['[', ']']);
            let unset = ["undefined", "null", "nil", "none"].contains(&raw);
            // A word in brackets where the address goes (`dial tcp [IP]:7448`) hid it.
            let hidden = bracketed && is_placeholder(raw);
            if unset || hidden || is_redacted(raw) {
                port_only(&mut out, &mut taken);
            }
            continue;
        };
        let Some(port) = split_port else {
            if host.contains(':') {
                push(
                    &mut out,
                    &mut taken,
                    (h.start(), n.end()),
                    Some(host),
                    None,
                    None,
                    5,
                    false,
                );
            }
            continue;
        };
        if placeholder(&host) {
            continue;
        }
        // Part of a path or module name (node:events:502, lib/undici:14976).
        let before = &line[..h.start()];
        let ip_literal = host.parse::<std::net::IpAddr>().is_ok();
        // .NET's DnsEndPoint: `Unspecified/db.lan:27017` is an address, not a path.
        let endpoint = (before.strip_suffix('/'))
            .is_some_and(|b| ADDRESS_FAMILIES.iter().any(|f| b.ends_with(f)));
        // An IP address glued after `@` or `#` is still one (brpc's `SocketId=2@10.0.0.5:8501`,
        // librdkafka's `ipv4#10.0.0.5:9092`); a name there is a user's or a path's part.
        // A transport glued before the address (netdata's `[send to tcp:netdata:19999]`).
        let transport = without_transport(before).len() < before.len();
        let in_path = (before.ends_with(':') && !ip_literal && !transport)
            || before.ends_with(['\\', '.'])
            || (before.ends_with(['@', '#']) && !ip_literal)
            || (before.ends_with('/')
                && before[..before.len() - 1].ends_with(|c: char| c.is_alphanumeric())
                && !endpoint);
        if in_path {
            continue;
        }
        // Java's `name/ip:port` names a host that resolved, even a one-word one (`kafka`).
        let resolved = (raw.split_once('/'))
            .is_some_and(|(_, ip)| ip.parse::<std::net::IpAddr>().is_ok())
            || endpoint;
        let single_label = !host.contains(['.', ':']) && host != "localhost" && !resolved;
        // A lone word before a number is more often a label ("attempt:1", "events:502")
        // than a host, unless the text says a connection went to it.
        // Too weak to be the target alone, but it can still give a known host its port.
        // A hyphenated name reads as a machine's (`w6bi-shack-node:5532`, `db-1:5432`).
        let hyphenated = host.contains('-') && !host.starts_with('-');
        // A product's name between the words and the place (`Cannot connect to Moonraker
        // printer:7125`) leaves the words' role to the place.
        let named = || {
            let b = before.trim_end();
            b.rsplit_once(' ').is_some_and(|(head, word)| {
                word.starts_with(|c: char| c.is_ascii_uppercase())
                    && word.chars().all(|c| c.is_ascii_alphanumeric())
                    && role_before(&format!("{head} ")) > 0
            })
        };
        let form = match (
            single_label,
            role_before(without_transport(before)) > 0 || hyphenated || named(),
        ) {
            (false, _) => 5,
            (true, true) if port >= 20 => 3,
            _ => -4,
        };
        // `user@10.0.0.5:1521` (a login and its place, as a command's argument) and a quoted
        // call argument (`sockconnect('tcp', '127.0.0.1:10043')`) were asked for.
        let asked = before.ends_with('@')
            || (before.ends_with(['\'', '"']) && before.contains('(') && ip_literal);
        push(
            &mut out,
            &mut taken,
            (h.start(), n.end()),
            Some(host),
            Some(port),
            None,
            form,
            asked,
        );
    }
    for c in p.glued_flag_host.captures_iter(line) {
        let h = c.get(1).or_else(|| c.get(2)).expect("group");
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
        // ssh's own port unless the command names another; `rsync host::module` talks to
        // an rsync daemon, not over ssh.
        let daemon = line[h.end()..].starts_with("::");
        let port = host
            .as_ref()
            .and(flag_port(line).or((!daemon).then_some(22)));
        ssh_at(&mut out, &mut taken, h, host, port, 4);
    }
    let users = line
        .contains('@')
        .then(|| (p.user_at_ip.captures_iter(line)).chain(p.user_at_name_path.captures_iter(line)));
    for c in users.into_iter().flatten() {
        let h = c.get(1).expect("group");
        // scp's and rsync's remote path may start with digits (`me@h.lan:2024/notes`).
        let copy = line.contains("scp ") || line.contains("rsync ");
        let number = c
            .get(2)
            .filter(|n| !(copy && line[n.end()..].starts_with('/')));
        let end = number.map_or(h.end(), |n| n.end());
        let port = number.and_then(|n| parse_port(n.as_str()));
        push(
            &mut out,
            &mut taken,
            (h.start(), end),
            host_of(h.as_str()),
            port,
            None,
            5,
            true,
        );
    }
    for c in p.registry_host.captures_iter(line) {
        host_only(&mut out, &mut taken, &c, 4, true);
    }
    let strace = line
        .contains("htons(")
        .then(|| p.strace_connect.captures_iter(line));
    for c in strace.into_iter().flatten() {
        port_and_host(&mut out, &mut taken, &c, Some(2), 1, 6, true);
    }
    let tuple_ports = line
        .contains(".connect")
        .then(|| p.connect_tuple_port.captures_iter(line));
    for c in tuple_ports.into_iter().flatten() {
        port_and_host(&mut out, &mut taken, &c, None, 1, 5, true);
    }
    let tuples =
        (line.contains("host") || line.contains("error")).then(|| p.tuple_host.captures_iter(line));
    for c in tuples.into_iter().flatten() {
        host_only(&mut out, &mut taken, &c, 5, true);
    }
    let terms = (line.contains("{{") || line.contains("connect({"))
        .then(|| p.erlang_address.captures_iter(line));
    for c in terms.into_iter().flatten() {
        let whole = c.get(0).expect("match");
        let ip = (1..=4).map(|g| &c[g]).collect::<Vec<_>>().join(".");
        push(
            &mut out,
            &mut taken,
            (whole.start(), whole.end()),
            ip.parse::<std::net::Ipv4Addr>().ok().map(|a| a.to_string()),
            c[5].parse().ok(),
            None,
            5,
            true,
        );
    }
    for c in p.dns_words.captures_iter(line) {
        let Some(h) = (1..=4).find_map(|g| c.get(g)) else {
            continue;
        };
        // `getaddrinfo(self.host, …)` in a traceback's source line names a field.
        if c.get(4).is_some() && is_code(h.as_str()) {
            continue;
        }
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
        let (host, port) = place(h.as_str());
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
    // Cheap words first: the pattern runs only on a line that may hold one (any case).
    let foreign = ["端口", "ポート", "포트", "ort", "uert", "орт"]
        .iter()
        .any(|w| line.contains(w));
    let foreign = foreign.then(|| p.foreign_port.captures_iter(line));
    for c in p
        .hidden_host_port
        .captures_iter(line)
        .chain(foreign.into_iter().flatten())
    {
        let n = c.get(1).expect("group");
        let whole = c.get(0).expect("group");
        // Ruby's frame for its own code (`<internal:prelude>:76:in `read'`) is a line number.
        if line[n.end()..].starts_with(":in ") {
            continue;
        }
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
        // A directory named so (`/var/www/localhost/htdocs`) is a path, not a place.
        if line[..m.start()].ends_with('/') && line[m.end()..].starts_with('/') {
            continue;
        }
        // Ansible's task result on the control machine (`failed: [localhost] (item=x)`):
        // where the task ran, not what it reached; an UNREACHABLE one is read above.
        let before = line[..m.start()].trim_end();
        if line[m.end()..].starts_with(']')
            && ["failed: [", "fatal: [", "ok: [", "changed: ["]
                .iter()
                .any(|w| before.ends_with(w))
        {
            continue;
        }
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
        // Part of a longer dotted number (a version, an OID) or of a short identifier
        // (Apple's connection id `[C7.1.1.1:3]`) is not an address; a word glued before
        // it is (Chrome's `inaccessible127.0.0.1`).
        let before = &line[..m.start()];
        let glued = before.len()
            - before
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
                .len();
        if before.ends_with(|c: char| c == '.' || c.is_ascii_digit())
            || (1..=2).contains(&glued)
            || looks_like_version(line, m.start(), m.end())
        {
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

/// A URL handed over as a parameter (a browser's `about:neterror?…&u=http%3A//db%3A8080/`,
/// a redirect) with its separators decoded, so that the URL forms read it. Only the
/// characters an address is written with; the rest of the line stays as it is.
fn percent_decoded(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains("%3A") && !line.contains("%3a") {
        return line.into();
    }
    let mut out = line.to_string();
    for (code, c) in [("%3A", ":"), ("%2F", "/"), ("%5B", "["), ("%5D", "]")] {
        out = out.replace(code, c).replace(&code.to_ascii_lowercase(), c);
    }
    out.into()
}

/// An unquoted dotted word that is code, not a host: an object's field (`self.host`,
/// `cfg.server`) handed to a call in the traceback's source line.
/// The text starts with a MAC address: six pairs of hex digits joined by colons.
fn is_mac(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 17
        && (0..6).all(|i| b[i * 3].is_ascii_hexdigit() && b[i * 3 + 1].is_ascii_hexdigit())
        && (0..5).all(|i| b[i * 3 + 2] == b':')
        && b.get(17)
            .is_none_or(|c| !c.is_ascii_hexdigit() && *c != b':')
}

/// A Java-style class path: lower-case package names, then a capitalised class name
/// (`net.schmizz.concurrent.Promise`); no host is written that way.
fn is_class_path(word: &str) -> bool {
    let labels: Vec<&str> = word.split('.').collect();
    let Some((class, packages)) = labels.split_last() else {
        return false;
    };
    packages.len() >= 2
        && packages
            .iter()
            .all(|p| p.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        && class.starts_with(|c: char| c.is_ascii_uppercase())
        && class.chars().any(|c| c.is_ascii_lowercase())
}

fn is_code(word: &str) -> bool {
    const OBJECTS: &[&str] = &[
        "self", "this", "cls", "args", "opts", "config", "cfg", "settings", "options",
    ];
    let first = word.split('.').next().unwrap_or(word);
    let last = word.rsplit('.').next().unwrap_or(word);
    // `Socket.gethostname`, `Environment.MachineName`: a class's member, not a name.
    let member = word.contains('.')
        && first.starts_with(|c: char| c.is_ascii_uppercase())
        && !known_tld(last);
    OBJECTS.contains(&first)
        || member
        || ADDRESS_WORDS.contains(&last)
        || ["url", "port", "name"].contains(&last)
}

/// The words before a URL point the reader to help (`documentation at`, `please refer
/// to`, `for more information, see`), not to the place that failed.
fn pointed_to_help(before: &str) -> bool {
    let b = before
        .trim_end()
        .trim_end_matches(['(', '<', '"', '\''])
        .trim_end();
    let b = b.to_ascii_lowercase();
    let b = b.strip_suffix(':').unwrap_or(&b).trim_end();
    [
        "documentation at",
        "documentation",
        "docs at",
        "documented at",
        "guide at",
        "please see",
        "please refer to",
        "please visit",
        "please read",
        "more information at",
        "more information, see",
        "more information see",
        "more info at",
        "more info, see",
        "more details at",
        "details, see",
    ]
    .iter()
    .any(|w| b.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(line: &str) -> Option<(Option<String>, Option<u16>)> {
        let mut c = candidates(line, &Services::bundled());
        c.sort_by_key(|c| std::cmp::Reverse(c.score));
        c.into_iter().next().map(|c| (c.host, c.port))
    }

    fn some(h: &str, p: Option<u16>) -> Option<(Option<String>, Option<u16>)> {
        Some((Some(h.to_string()), p))
    }

    #[test]
    fn reads_server_flags_and_wget_in_any_language() {
        assert_eq!(
            first("check_supervisord.py -s 127.0.0.1 -p 9001"),
            some("127.0.0.1", Some(9001))
        );
        assert_eq!(
            first("xfreerdp /u:me /v:149.202.121.64:50959"),
            some("149.202.121.64", Some(50959))
        );
        // `-s` gives way to a host flag: here it is a search string.
        assert_eq!(
            first("./srdb.cli.php -h 127.0.0.1 -u root -s site.lan -r dev.site.lan"),
            some("127.0.0.1", None)
        );
        assert_eq!(
            first("正在连接 dl.mirror.lan (dl.mirror.lan)|10.0.0.5|:80 ... 已连接。"),
            some("dl.mirror.lan", Some(80))
        );
        // A user before an address on a command line; a mail address in prose is no place.
        assert_eq!(
            first("python3 mssqlclient.py CORP/svc:[redacted]@10.10.10.17 -windows-auth"),
            some("10.10.10.17", None)
        );
        assert_eq!(first("mail me at ops@corp.lan when it is fixed"), None);
        // A command quoted inside a JSON log (Ansible's "cmd"), its source address skipped.
        assert_eq!(
            first(r#""cmd": "ping -n 3 -S 192.168.1.142 192.168.1.1","#),
            some("192.168.1.1", None)
        );
    }

    #[test]
    fn glued_flags_and_glued_addresses() {
        assert_eq!(
            first("$ mysql -hdb01-replica -P3309 --connect-timeout=5"),
            some("db01-replica", Some(3309))
        );
        // `-hl` is two short flags to most tools.
        assert_eq!(first("ls -hl /srv"), None);
        assert_eq!(
            first(
                "nw_socket_handle_socket_event [C7.1.1.1:3] Socket SO_ERROR [61: Connection refused]"
            ),
            None
        );
        assert_eq!(
            first("nw_endpoint_flow_failed_with_error [C7.1.1.1 ::1.54530 in_progress socket-flow"),
            some("::1", Some(54530))
        );
        assert_eq!(
            first("Ce site est inaccessible127.0.0.1 n'autorise pas la connexion."),
            some("127.0.0.1", None)
        );
        assert_eq!(
            first("./wallet_client --stats_server=\"xds:///stats.wallet.lan\" --watch"),
            some("stats.wallet.lan", None)
        );
    }

    #[test]
    fn a_blotted_out_host_still_gives_its_port() {
        assert_eq!(
            first("cannot connect to [[XXX.XXX.X.XX]:10050]: [111] Connection refused."),
            Some((None, Some(10050)))
        );
        assert_eq!(
            first(
                "failed to connect to <domain-name>/<ip> (port 8443) from /<ip-source> (port 50810)"
            ),
            Some((None, Some(8443)))
        );
        // A product's name after `Server :` is no host; a `name/ip:port` after `server:`
        // keeps its port.
        assert_eq!(
            first("Driver 13 for SQL Server : Named Pipes Provider: Could not open a connection"),
            None
        );
        assert_eq!(
            first(
                "WARN ipc.Client: Failed to connect to server: namenode/172.24.0.6:8020: try once"
            ),
            some("namenode", Some(8020))
        );
        assert_eq!(
            first("getaddrinfo ENOTFOUND undefined:32974"),
            Some((None, Some(32974)))
        );
        // A hyphenated one-word name is a machine's; a lone word is more often a label.
        assert_eq!(
            first("netifd: Name does not resolve: `w6bi-shack-node:5532'"),
            some("w6bi-shack-node", Some(5532))
        );
        assert_eq!(first("retry attempt:42 failed"), None);
        // A list given to a client's servers field is where it connects.
        let c = candidates(
            "producer = KafkaProducer(bootstrap_servers=['127.0.0.1:9092'])",
            &Services::bundled(),
        );
        assert!(c.iter().any(|c| c.asked && c.port == Some(9092)));
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
    fn reads_quoted_hosts_server_names_and_encoded_urls() {
        assert_eq!(
            first(r#"connecting to realm <<"ws">> at "localhost":5555 ..."#),
            some("localhost", Some(5555))
        );
        assert_eq!(
            first(r#"Last message in was {connect,"broker.lan",5555,<<"ws">>,msgpack}"#),
            some("broker.lan", Some(5555))
        );
        // A JSON key is not a host.
        let json = candidates(r#"{"port":5432, "retries":3}"#, &Services::bundled());
        assert!(json.iter().all(|c| c.host.is_none()), "{json:?}");
        assert_eq!(
            first(
                "at region=hbase:meta,,1.1588230740, hostname=rs1.lan,16020,1487574090526, seqNum=0"
            ),
            some("rs1.lan", Some(16020))
        );
        assert_eq!(
            first(
                "Reached error page: about:neterror?e=connectionFailure&u=http%3A//localhost%3A56900/_test&c=UTF-8"
            ),
            some("localhost", Some(56900))
        );
    }

    #[test]
    fn a_url_after_for_is_what_failed() {
        assert_eq!(
            first("Curl error (28): Timeout was reached for https://mirror.lan/metalink?repo=f39"),
            some("mirror.lan", Some(443))
        );
        // A bare address after "for" is still a source or a purpose.
        let c = candidates("retrying for 10.0.0.9:5000", &Services::bundled());
        assert!(c.iter().all(|c| c.score < 0), "{c:?}");
    }

    #[test]
    fn openvpn_families_and_apple_connection_ids_are_no_hosts() {
        assert_eq!(
            first("UDP link remote: [AF_INET]10.8.0.1:1194"),
            some("10.8.0.1", Some(1194))
        );
        let c = candidates(
            "nw_socket_handle_socket_event [C1.1.2:2] Socket SO_ERROR [61: Connection refused]",
            &Services::bundled(),
        );
        assert!(c.iter().all(|c| c.host.is_none()), "{c:?}");
    }

    #[test]
    fn a_pointer_in_a_resolver_url_is_no_host() {
        assert_eq!(
            first(r#""target":"etcd-endpoints://0xc000350000/127.0.0.1:2379","error":"x""#),
            some("127.0.0.1", Some(2379))
        );
    }

    #[test]
    fn reads_the_host_a_browser_page_names() {
        assert_eq!(
            first("An error occurred during a connection to shop.lan. PR_END_OF_FILE_ERROR"),
            some("shop.lan", None)
        );
        assert_eq!(
            first("app.files.lan sent an invalid response."),
            some("app.files.lan", None)
        );
        assert_eq!(
            first(
                "This site can’t provide a secure connectionapp.files.lan sent an invalid response."
            ),
            some("app.files.lan", None)
        );
        assert_eq!(
            first("The connection to [fd00::50:1] was interrupted."),
            some("fd00::50:1", None)
        );
        // busybox wget's name (address:port) keeps its port.
        assert_eq!(
            first("Connecting to mirror.lan (10.0.0.7:443)"),
            some("mirror.lan", Some(443))
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
    fn reads_hash_ports_word_orders_and_sql_server_spellings() {
        assert_eq!(
            first(";; communications error to 192.0.2.44#53: timed out"),
            some("192.0.2.44", Some(53))
        );
        assert_eq!(
            first(";; Connection to 2001:db8:5::9#53(2001:db8:5::9) for x.lan failed"),
            some("2001:db8:5::9", Some(53))
        );
        // Knot's kdig puts the port after an at sign; a user at an address is no port.
        assert_eq!(
            first(";; ERROR: failed to query server 1.12.12.12@853(TCP)"),
            some("1.12.12.12", Some(853))
        );
        assert_eq!(
            first("ssh: connect to host 10.1.2.3 port 22: Connection refused; tried root@10.1.2.3"),
            some("10.1.2.3", Some(22))
        );
        assert_eq!(
            first(
                "curl: (7) Failed to connect to 2a03:2880:f10a:83:face:b00c:0:25de: Network is unreachable"
            ),
            some("2a03:2880:f10a:83:face:b00c:0:25de", None)
        );
        // An unbracketed IPv6 address keeps its last group.
        assert_eq!(
            first("curl: (7) Failed to connect to 2001:db8:aa::12: Network is unreachable"),
            some("2001:db8:aa::12", None)
        );
        assert_eq!(
            first("could not reach 198.51.100.7 and port 2222: no route"),
            some("198.51.100.7", Some(2222))
        );
        assert_eq!(
            first("Unable to connect to port 2200 on build-box.lan"),
            some("build-box.lan", Some(2200))
        );
        assert_eq!(
            first("Data Source=tcp:sql.corp.lan,14330;Initial Catalog=shop"),
            some("sql.corp.lan", Some(14330))
        );
        assert_eq!(
            first("> sqlcmd -S tcp:10.4.4.4,1533 -U app"),
            some("10.4.4.4", Some(1533))
        );
        assert_eq!(
            first("url=jdbc:oracle:thin:@//ora.lan:1522/SALES"),
            some("ora.lan", Some(1522))
        );
        assert_eq!(
            first("endpoint: queue.lan:61616"),
            some("queue.lan", Some(61616))
        );
        assert_eq!(
            first("{error, econnrefused} connecting {\"10.8.0.3\", 5672}"),
            some("10.8.0.3", Some(5672))
        );
        assert_eq!(
            first("gen_tcp:connect(192.0.2.9, 4369)"),
            some("192.0.2.9", Some(4369))
        );
        assert_eq!(
            first("java.net.ConnectException: Failed to connect to/192.0.2.80:8088"),
            some("192.0.2.80", Some(8088))
        );
    }

    #[test]
    fn reads_tools_browsers_and_lookups() {
        assert_eq!(first("$ ping -c 4 gw.home.lan"), some("gw.home.lan", None));
        // A name that starts with hex letters is not cut to them (`db.`), and IPv6 still reads.
        assert_eq!(
            first("PING db.lan (10.0.0.5): 56 data bytes"),
            some("db.lan", None)
        );
        assert_eq!(first("ping6 fe80::1%eth0"), some("fe80::1%eth0", None));
        assert_eq!(first("ping -6 [fd00::5]"), some("fd00::5", None));
        assert_eq!(
            first("Pinging 192.0.2.61 with 32 bytes of data:"),
            some("192.0.2.61", None)
        );
        // The router that answered a ping is not what was pinged.
        let c = candidates(
            "Reply from 192.0.2.1: Destination host unreachable.",
            &Services::bundled(),
        );
        assert!(c.iter().all(|c| c.score < 4), "{c:?}");
        assert_eq!(first("$ dig @192.0.2.53 shop.lan"), some("shop.lan", None));
        assert_eq!(first("# dig @192.0.2.53"), some("192.0.2.53", Some(53)));
        assert_eq!(
            first("; <<>> DiG 9.18.1 <<>> +short www.shop.lan"),
            some("www.shop.lan", None)
        );
        assert_eq!(
            first("The server at shop.example.org is taking too long to respond."),
            some("shop.example.org", None)
        );
        assert_eq!(
            first("shop.example.org’s server IP address could not be found."),
            some("shop.example.org", None)
        );
        assert_eq!(
            first(
                "Safari can’t open the page “localhost:5173” because the server stopped responding."
            ),
            some("localhost", Some(5173))
        );
        assert_eq!(
            first("Unable to resolve DNS entry for files.shop.lan"),
            some("files.shop.lan", None)
        );
        assert_eq!(
            first("DNSError: cdn.shop.lan, temporary failure"),
            some("cdn.shop.lan", None)
        );
        assert_eq!(
            first("Timeout was reached: [feeds.shop.lan] Connection timed out after 5000 ms"),
            some("feeds.shop.lan", None)
        );
        assert_eq!(
            first("dev@box:~/app$ node client.js 10.2.2.2 7000"),
            some("10.2.2.2", Some(7000))
        );
        // A URL's host is never a file name, whatever it ends in.
        assert_eq!(
            first("Firefox can’t establish a connection to the server at wss://chat.demo.sh/live."),
            some("chat.demo.sh", Some(443))
        );
    }

    #[test]
    fn versions_resolvers_sentences_and_local_ends_are_not_targets() {
        assert_eq!(first("[modfoo 0.7.2.1-88] request failed"), None);
        assert_eq!(first("agent version 3.1.4.1 failed to start"), None);
        let c = candidates(";; SERVER: 127.0.0.53#53(127.0.0.53)", &Services::bundled());
        assert!(c.iter().all(|c| c.score < 0), "{c:?}");
        assert_eq!(
            first(
                "(provider: TCP Provider, error: 40 - Could not open a connection to SQL Server: Could not open a connection)"
            ),
            None
        );
        assert_eq!(
            first("error forwarding port 5000 to pod abc, uid : exit status 1"),
            Some((None, Some(5000)))
        );
        assert_eq!(
            first("local=10.0.0.4:40112 <-> remote=203.0.113.5:993 reset"),
            some("203.0.113.5", Some(993))
        );
    }
}
