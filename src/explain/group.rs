//! Grouping matches into errors, and resolving each group into a finding.
//!
//! The matches of one line are one unit: a line is one message, whatever order its parts
//! come in. Units are taken in text order, and a unit joins the error before it when its
//! kind and its addresses do not contradict that error's (a traceback names the kind in one
//! line and the target in another). A contradiction starts a new error: another host or
//! port, or another definite kind. So does a shell prompt line once the error has a kind.

use super::scan::{Addr, Hit};
use super::text::Prepared;
use super::{Evidence, Finding, Kind, TargetGuess};
use crate::knowledge::Knowledge;
use crate::target;
use std::cmp::Reverse;
use std::collections::HashSet;
use std::net::IpAddr;

/// Knowledge ids listed per finding, at most.
const MAX_KNOWLEDGE: usize = 6;
/// Distinct places kept per error: beyond this a line naming many addresses adds no more,
/// so grouping stays linear in the number of matches.
const MAX_PLACES: usize = 16;
/// How far (in lines) a summary naming the same place may follow its error.
const SUMMARY_GAP: usize = 2;
/// Evidence lines per finding, at most.
const MAX_EVIDENCE: usize = 3;
/// Evidence lines are cut to about this many characters around the match.
const EVIDENCE_WIDTH: usize = 200;

/// The matches of one line.
struct Unit<'k> {
    hits: Vec<Hit<'k>>,
    line: usize,
    /// The definite kind the line names, from its most specific match, and that rank.
    kind: Option<(Kind, i32)>,
    /// The line is a shell command (`$ curl ...`, `>>> ...`): a new attempt starts here.
    command: bool,
    /// The line names a DNS server's address (`->[::1]:53:`, `10.0.0.2:53: i/o timeout`).
    dns_server: bool,
}

impl<'k> Unit<'k> {
    fn new(h: Hit<'k>, prep: &Prepared) -> Self {
        Unit {
            line: h.line,
            command: is_command(prep.line(h.line)),
            dns_server: names_dns_server(prep.line(h.line)),
            hits: vec![h],
            kind: None,
        }
    }

    fn finish(mut self) -> Self {
        self.kind = self
            .hits
            .iter()
            .filter_map(|h| h.kind.filter(|_| decides(h)).map(|k| (k, h.sig.rank)))
            .max_by_key(|(_, rank)| *rank);
        self
    }

    fn places(&self) -> impl Iterator<Item = &Hit<'k>> {
        self.hits.iter().filter(|h| h.addr.has_place())
    }

    fn has_substance(&self) -> bool {
        self.hits
            .iter()
            .any(|h| h.kind.is_some() || h.addr.has_place() || h.addr.port.is_some())
    }
}

/// The match names a kind that decides: a definite one, or `other` from a signature that
/// says its words mean no more than that (a protocol's refusal worded like the socket's).
fn decides(h: &Hit) -> bool {
    h.kind.is_some_and(|k| k.is_specific() || h.sig.definite)
}

/// A DNS server's address, port 53, written on the line.
fn names_dns_server(line: &str) -> bool {
    line.match_indices(":53").any(|(i, _)| {
        let after = &line[i + 3..];
        !after.starts_with(|c: char| c.is_ascii_digit())
            && line[..i].ends_with(|c: char| c.is_ascii_hexdigit() || c == ']')
    })
}

/// A prompt at the start of a line: `$ `, `# `, `>>> `, `> `, `PS C:\> `.
fn is_command(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("$ ")
        || t.starts_with(">>> ")
        || t.starts_with("> ")
        || t.starts_with("# ")
        || (t.starts_with("PS ") && t.contains("> "))
}

struct Group<'k> {
    hits: Vec<Hit<'k>>,
    /// The definite kind so far and the rank of the match that named it.
    kind: Option<(Kind, i32)>,
    /// The distinct places named so far, by role (destination, proxy).
    places: Vec<(bool, Addr)>,
    /// The last line that named a kind or a place.
    last_line: usize,
}

impl<'k> Group<'k> {
    fn new(u: Unit<'k>) -> Self {
        let mut g = Group {
            hits: Vec::new(),
            kind: None,
            places: Vec::new(),
            last_line: u.line,
        };
        g.add(u);
        g
    }

    fn accepts(&self, u: &Unit) -> bool {
        if u.command && self.kind.is_some() {
            return false;
        }
        // A connection to the proxy this error goes through is part of it too.
        let places_agree = u.places().all(|h| {
            // Addresses of a name already here are that name's, however many it has (curl
            // tries each address of `About to connect() to name` in turn).
            let of_name = !h.addr.is_name()
                && (self.places.iter()).any(|(proxy, a)| {
                    *proxy == h.sig.proxy && a.is_name() && compatible(a, &h.addr)
                });
            let same_role = (self.places.iter())
                .filter(|(proxy, _)| *proxy == h.sig.proxy)
                .filter(|(_, a)| !of_name || a.is_name())
                .all(|(_, a)| compatible(a, &h.addr));
            let to_the_proxy = !h.sig.proxy
                && (self.places.iter()).any(|(proxy, a)| *proxy && compatible(a, &h.addr));
            same_role || to_the_proxy
        });
        let kinds_agree = match (self.kind, u.kind) {
            (Some((a, _)), Some((b, _))) => a == b,
            _ => true,
        };
        // A program's summary right after the error it sums up may name another kind, less
        // specifically (kubectl says "refused" after a failed lookup): same place, or the very
        // next line (OpenVPN's "TLS handshake failed" after its negotiation timed out).
        let summary = match (self.kind, u.kind) {
            (Some((_, mine)), Some((_, theirs))) => {
                theirs < mine
                    && (u.places().next().is_some() || u.line == self.last_line + 1)
                    && u.line <= self.last_line + SUMMARY_GAP
            }
            _ => false,
        };
        // The DNS server a failed lookup went to, named on the next line (`read udp
        // [::1]:55059->[::1]:53: read: connection refused`): the lookup's own cause.
        let dns_server = self.kind.is_some_and(|(k, _)| k == Kind::Dns)
            && u.dns_server
            && u.line <= self.last_line + SUMMARY_GAP;
        dns_server || (places_agree && (kinds_agree || summary))
    }

    fn add(&mut self, u: Unit<'k>) {
        if let Some((k, rank)) = u.kind {
            match self.kind {
                Some((_, mine)) if mine >= rank => {}
                _ => self.kind = Some((k, rank)),
            }
        }
        if u.has_substance() {
            self.last_line = u.line;
        }
        for h in u.hits {
            if h.addr.has_place()
                && self.places.len() < MAX_PLACES
                && !self
                    .places
                    .iter()
                    .any(|(p, a)| *p == h.sig.proxy && same_place(a, &h.addr))
            {
                self.places.push((h.sig.proxy, h.addr.clone()));
            }
            self.hits.push(h);
        }
    }
}

fn same_place(a: &Addr, b: &Addr) -> bool {
    a.unix_path == b.unix_path && a.host == b.host && a.port == b.port
}

/// Two addresses can be the same destination: the same socket path, or hosts that are equal
/// (or a name and an IP it may resolve to) with ports that do not differ.
fn compatible(a: &Addr, b: &Addr) -> bool {
    match (&a.unix_path, &b.unix_path) {
        (Some(x), Some(y)) => return x == y,
        (Some(_), None) | (None, Some(_)) => return false,
        (None, None) => {}
    }
    // A port only implied (a signature's default) may be the one written elsewhere.
    let ports = match (a.port, b.port) {
        (Some(x), Some(y)) => x == y || a.port_implied || b.port_implied,
        _ => true,
    };
    let hosts = match (&a.host, &b.host) {
        (Some(x), Some(y)) => match (x.parse::<IpAddr>(), y.parse::<IpAddr>()) {
            // Two addresses of one dual-stack name (::1 and 127.0.0.1 for localhost).
            (Ok(i), Ok(j)) => i == j || i.is_ipv4() != j.is_ipv4(),
            // A name and an address it may resolve to.
            (Ok(_), Err(_)) | (Err(_), Ok(_)) => true,
            (Err(_), Err(_)) => x.eq_ignore_ascii_case(y),
        },
        _ => true,
    };
    ports && hosts
}

/// Groups the hits and resolves the groups; the last error in the text comes first, and an
/// error repeated later in the paste is reported once, where it was last seen.
/// `work` counts the comparisons made, for the test that grouping stays linear.
pub fn findings(hits: Vec<Hit>, prep: &Prepared, kb: &Knowledge, work: &mut usize) -> Vec<Finding> {
    let mut units: Vec<Unit> = Vec::new();
    for h in hits {
        match units.last_mut() {
            Some(u) if u.line == h.line => u.hits.push(h),
            _ => units.push(Unit::new(h, prep)),
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for u in units.into_iter().map(Unit::finish) {
        // A routine log record (INFO, DEBUG) that names an address but no failure is a
        // request that worked, not the target of the error after it.
        if u.kind.is_none()
            && u.hits.iter().all(|h| h.kind.is_none())
            && super::text::is_routine(prep.line(u.line))
        {
            continue;
        }
        if let Some(g) = groups.last() {
            *work += u.hits.len() * (1 + g.places.len());
        }
        match groups.last_mut() {
            Some(g) if g.accepts(&u) => g.add(u),
            _ => groups.push(Group::new(u)),
        }
    }
    let mut out: Vec<Finding> = Vec::new();
    let mut seen = HashSet::new();
    for (i, g) in groups.iter().enumerate().rev() {
        *work += g.hits.len();
        // The lines after the error before this one are this one's context. A title just
        // above that names no place (`Secure Connection Failed` over Firefox's code) is
        // the same page rather than an earlier error: the lines above it count too.
        let line_span = |g: &Group| {
            let lines = || g.hits.iter().map(|h| h.line);
            (lines().min().unwrap_or(0), lines().max().unwrap_or(0))
        };
        let mut top = i;
        while top > 0
            && groups[top - 1].places.is_empty()
            && line_span(&groups[top]).0 <= line_span(&groups[top - 1]).1 + 2
        {
            top -= 1;
        }
        let floor = top
            .checked_sub(1)
            .and_then(|p| groups[p].hits.iter().map(|h| h.line + 1).max())
            .unwrap_or(0);
        // Only the errors that will be reported get their target completed: a log with
        // thousands of errors must not pay the general reader thousands of times.
        let floor = (groups.len() - i <= 2 * super::MAX_FINDINGS).then_some(floor);
        let Some(f) = resolve(g, prep, kb, floor) else {
            continue;
        };
        let key = (f.kind, f.target.clone(), f.ecosystem.clone(), f.via_proxy);
        if seen.insert(key) {
            out.push(f);
        }
    }
    lead_with_a_place(&mut out);
    lead_with_the_first_family(&mut out);
    lead_with_the_inner_exception(&mut out);
    out
}

/// A client tries a name's IPv4 address and then its IPv6 one (wget, rsync, libpq): when
/// the IPv6 attempt fails only because this machine has no IPv6 route or address ("Network
/// is unreachable", "Cannot assign requested address"), the IPv4 failure just before it,
/// to the same host, is the one that says what is wrong: it leads, and the other stays
/// listed.
fn lead_with_the_first_family(out: &mut [Finding]) {
    let Some(lead) = out.first() else { return };
    let no_v6 = matches!(lead.kind, Kind::Other | Kind::Unreachable)
        && lead.evidence.iter().any(|e| names_an_ipv6_address(&e.text));
    if !no_v6 || lead.target.host.is_none() {
        return;
    }
    promote(out, |lead, f| {
        !matches!(f.kind, Kind::Other | Kind::Unreachable)
            && f.target.host == lead.target.host
            && (f.target.port.is_none()
                || lead.target.port.is_none()
                || f.target.port == lead.target.port)
    });
}

/// A wrapper that points at its inner exception (.NET's `The SSL connection could not be
/// established, see inner exception.`) printed after it, as ASP.NET's error page and some
/// loggers list the chain innermost first: an error of another kind (not `other`) just
/// before is the cause (`Unable to read data from the transport connection: An existing
/// connection was forcibly closed`); it leads, and the wrapper stays listed. One of the
/// same kind adds nothing the wrapper does not already say, so the wrapper stays first.
fn lead_with_the_inner_exception(out: &mut [Finding]) {
    let points_inward = out.first().is_some_and(|lead| {
        (lead.evidence.iter()).any(|e| e.text.to_ascii_lowercase().contains("see inner exception"))
    });
    if points_inward {
        promote(out, |lead, f| f.kind != lead.kind && f.kind != Kind::Other);
    }
}

/// The text holds an IPv6 literal (`2001:db8::b`, `::1`), bracketed or not.
fn names_an_ipv6_address(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == ':' || c == '.'))
        .filter(|w| w.matches(':').count() >= 2)
        .any(|w| {
            w.trim_matches(['.', ':'])
                .parse::<std::net::Ipv6Addr>()
                .is_ok()
                || w == "::1"
        })
}

/// How many lines before the last error an earlier one may be and still be its cause.
const CAUSE_GAP: usize = 6;

/// The last error comes first, but when it names no place and an error just before it
/// does, that one is what the user can act on: it leads, and the last stays listed. It
/// must be the same kind (Gradle's PKIX line repeated at the end of its tree), unless the
/// last names its kind only in general words ("Error: grpc: timed out when dialing" after
/// "dial tcp 127.0.0.1:2379: connect: connection refused"): a program's own report of a
/// different failure ("read ECONNRESET" after a timeout) is a separate error.
fn lead_with_a_place(out: &mut [Finding]) {
    if out.first().is_none_or(|lead| !lead.target.is_empty()) {
        return;
    }
    promote(out, |lead, f| {
        !f.target.is_empty() && (f.kind == lead.kind || lead.rank == 0)
    });
}

/// Moves to the front the first earlier error, at most `CAUSE_GAP` lines before the one
/// leading now, that `pick` chooses; the others keep their order.
fn promote(out: &mut [Finding], pick: impl Fn(&Finding, &Finding) -> bool) {
    let Some(lead) = out.first() else { return };
    let start = lead.lines[0];
    let chosen =
        (out.iter().skip(1)).position(|f| f.lines[1] + CAUSE_GAP >= start && pick(lead, f));
    if let Some(i) = chosen {
        out[..=i + 1].rotate_right(1);
    }
}

fn resolve(g: &Group, prep: &Prepared, kb: &Knowledge, floor: Option<usize>) -> Option<Finding> {
    let errors = &kb.errors;
    // The kind: a definite kind beats `other`, then the most specific signature, then a
    // match that also names the place, then the later match (a "Caused by" chain ends with
    // its root cause).
    // EADDRNOTAVAIL beside another failure on the same line is the IPv6 attempt of a
    // machine without IPv6 (asyncio's "Multiple exceptions: [Errno 111] …, [Errno 99]
    // Cannot assign requested address"): the other failure says what is wrong.
    // An exception class right before the words (`java.net.NoRouteToHostException: Cannot
    // assign requested address`: the JDK's class for EADDRNOTAVAIL too) is their name, not
    // another failure.
    let named_by = |o: &Hit, h: &Hit| {
        o.start < h.start
            && (prep.text.get(o.start..h.start))
                .map(str::trim_end)
                .is_some_and(|between| between.ends_with(':') && !between.contains(' '))
    };
    // A wrapper whose parentheses hold the words (`ProtocolError('Connection aborted.',
    // error(99, 'Cannot assign requested address'))`) is what they happened inside.
    let wraps = |o: &Hit, h: &Hit| {
        o.start < h.start
            && (prep.text.get(o.start..h.start))
                .is_some_and(|between| between.matches('(').count() > between.matches(')').count())
    };
    let no_v6 = |h: &Hit| {
        h.sig.errno.as_deref() == Some("EADDRNOTAVAIL")
            && (g.hits.iter()).any(|o| {
                o.line == h.line
                    && o.kind.is_some()
                    && o.kind != h.kind
                    && !named_by(o, h)
                    && !wraps(o, h)
            })
    };
    let kind_hit = g.hits.iter().filter(|h| h.kind.is_some()).max_by_key(|h| {
        (
            !no_v6(h),
            decides(h),
            h.sig.rank,
            h.addr.has_place(),
            h.start,
        )
    })?;
    let kind = kind_hit.kind?;
    let info = errors.kind(kind);

    let errno = kind_hit.errno.or_else(|| {
        g.hits
            .iter()
            .filter_map(|h| h.errno)
            .find(|e| e.info.kind == kind)
    });
    let eco_hit = g
        .hits
        .iter()
        .filter(|h| h.sig.ecosystem.is_some())
        .max_by_key(|h| (h.sig.rank, Reverse(h.start)));
    let ecosystem = eco_hit.and_then(|h| h.sig.ecosystem.clone());

    // The proxy is the target when the text says the proxy failed and names it.
    let via_proxy = g.hits.iter().any(|h| h.sig.proxy);
    let proxy_named = g.hits.iter().any(|h| h.sig.proxy && h.addr.has_place());
    // The proxy failed but the text does not say which. When the proxy itself refused or
    // timed out, the destination is not what failed and is no target. When only the tunnel
    // failed (`other`), the place the program was loading is still what it tried to reach
    // (`Failed to load URL: https://x/ with error: ERR_TUNNEL_CONNECTION_FAILED`), and the
    // wording says it went through a proxy.
    let role: Vec<&Hit> = (g.hits.iter())
        .filter(|h| h.sig.proxy || !proxy_named)
        .collect();
    let (target, place_hit) = if via_proxy && !proxy_named && kind != Kind::Other {
        (TargetGuess::default(), None)
    } else {
        place_of(&role)
    };
    let mut target = target;
    if let (false, Some(floor)) = (via_proxy, floor) {
        // What no signature placed may still be in the lines around the error.
        let first = g.hits.iter().map(|h| h.line).min().unwrap_or(0);
        let last = g.hits.iter().map(|h| h.line).max().unwrap_or(0);
        super::locate::complete(&mut target, prep, [first, last], floor, &kb.services);
    }
    // A host found around the error speaks the protocol the signature names, on its port
    // (ssh2's "Timed out while waiting for handshake" and `host: '10.0.0.5'` above: 22).
    if target.host.is_some() && target.port.is_none() && target.unix_path.is_none() {
        target.port = g.hits.iter().find_map(|h| h.sig.port);
    }

    let knowledge = knowledge_of(
        g,
        kind_hit,
        kind,
        errno.map(|e| e.info),
        &target,
        via_proxy,
        kb,
    );
    let who = ecosystem
        .as_deref()
        .and_then(|e| errors.ecosystem_title(e))
        .unwrap_or("The program");
    let meaning = [kind_hit]
        .into_iter()
        .chain(g.hits.iter().filter(|h| h.kind.is_none_or(|k| k == kind)))
        .filter_map(|h| h.sig.summary.as_deref())
        .next()
        .or(info.map(|i| i.summary_for(target.is_loopback())))
        .unwrap_or("");
    let place = match (&target, kind) {
        (t, _) if t.unix_path.is_some() => format!("the socket {}", t.display()),
        (t, Kind::Dns) if t.host.is_some() => t.host.clone().unwrap_or_default(),
        (t, _) if !t.is_empty() => {
            let mut bare = t.clone();
            bare.scheme = None;
            bare.display()
        }
        _ => "its target".to_string(),
    };
    let place = if via_proxy && proxy_named {
        format!("the proxy {place}")
    } else if via_proxy {
        format!("{place} (through a proxy)")
    } else {
        place
    };
    // The signature that explains the message may also say what happened better than its
    // kind does ("was turned away by" for a server's own refusal).
    let telling = || {
        [kind_hit]
            .into_iter()
            .chain(g.hits.iter().filter(|h| h.kind.is_none_or(|k| k == kind)))
    };
    let verb = telling()
        .find_map(|h| h.sig.verb.as_deref())
        .unwrap_or(info.map_or("could not connect to", |i| i.verb.as_str()));
    let title = telling().find_map(|h| h.sig.title.clone());
    let errno_note = errno.map_or(String::new(), |e| format!(" ({})", e.info.name));
    let summary = capitalized(&target::redact_text(
        format!("{who} {verb} {place}{errno_note}. {meaning}").trim(),
    ));

    let mut lines: Vec<(usize, &Hit)> = [Some(kind_hit), place_hit, eco_hit]
        .into_iter()
        .flatten()
        .map(|h| (h.line, h))
        .collect();
    lines.sort_by_key(|(l, _)| *l);
    lines.dedup_by_key(|(l, _)| *l);
    let evidence = lines
        .into_iter()
        .take(MAX_EVIDENCE)
        .map(|(l, h)| Evidence {
            line: prep.origin.get(l).copied().unwrap_or(l + 1),
            text: excerpt(prep, h),
            signature: h.sig.id.clone(),
        })
        .collect();
    let origin = |l: usize| prep.origin.get(l).copied().unwrap_or(l + 1);
    let first = g.hits.iter().map(|h| h.line).min().unwrap_or(0);
    let last = g.hits.iter().map(|h| h.line).max().unwrap_or(0);
    Some(Finding {
        kind,
        title: title
            .unwrap_or_else(|| info.map_or_else(|| kind.as_str().to_string(), |i| i.title.clone())),
        ecosystem,
        errno: errno.map(|e| e.info.name.clone()),
        errno_code: errno.and_then(|e| e.code),
        platform: errno.and_then(|e| e.platform),
        check: match target.check_arg() {
            // The proxy the text blames without naming it is the one in the environment;
            // checking the place the program was loading directly would skip that proxy.
            _ if via_proxy && !proxy_named => Some(format!(
                "connfix check env:{}",
                if g.hits
                    .iter()
                    .any(|h| h.addr.scheme.as_deref() == Some("https"))
                {
                    "HTTPS_PROXY"
                } else {
                    "HTTP_PROXY"
                }
            )),
            Some(t) => Some(format!("connfix check {t}")),
            None => None,
        },
        target,
        via_proxy,
        knowledge,
        summary,
        evidence,
        lines: [origin(first), origin(last)],
        rank: kind_hit.sig.rank,
        fills: g.hits.iter().flat_map(|h| h.fills.clone()).collect(),
    })
}

/// The target among the matches of one role (the destination, or the proxy): the
/// connection that failed, or a URL of the request when it can be the same place (a name
/// beside the IP it resolved to, with its scheme; a URL that cannot be, such as a proxy's
/// or a unix socket's, loses). Returns the match it rests on, for the evidence.
fn place_of<'a, 'k>(role: &[&'a Hit<'k>]) -> (TargetGuess, Option<&'a Hit<'k>>) {
    let key = |h: &&Hit| {
        (
            h.addr.unix_path.is_some(),
            h.addr.is_name(),
            h.addr.port.is_some(),
            h.sig.rank,
            Reverse(h.start),
        )
    };
    let places = || role.iter().copied().filter(|h| h.addr.has_place());
    let conn = places().filter(|h| !h.addr.from_url).max_by_key(key);
    // Of two URLs on one line, the one just before the line's first failure is the request
    // it happened in: Go's chain `Post URL: oauth2: cannot fetch token: Post URL2: dial
    // tcp: i/o timeout` failed in URL2, while `Get URL: deadline exceeded … Get URL2:
    // deadline exceeded` failed first in URL.
    // The matches are in the order of the text, so a line's are side by side and only the
    // ones after `i` on its line are read (a log repeating one line stays linear).
    let failed_in = |i: usize| {
        let h = role[i];
        let later = || {
            role[i + 1..]
                .iter()
                .take_while(|k| k.line == h.line)
                .filter(|k| k.start > h.start)
        };
        let failure = later().filter(|k| k.kind.is_some()).map(|k| k.start).min();
        failure
            .is_some_and(|f| !later().any(|o| o.addr.from_url && o.addr.has_place() && o.start < f))
    };
    // Two URLs that both failed first keep the earlier (`first` is the reversed start).
    let url = (role.iter().enumerate())
        .filter(|(_, h)| h.addr.has_place() && h.addr.from_url)
        .max_by_key(|&(i, h)| {
            let (path, name, port, rank, first) = key(h);
            (path, name, port, rank, failed_in(i), first)
        })
        .map(|(_, h)| *h);
    let place_hit = match (conn, url) {
        (Some(c), Some(u)) if compatible(&c.addr, &u.addr) => Some(u),
        (Some(c), _) => Some(c),
        (None, u) => u,
    };
    let mut target = TargetGuess::default();
    let Some(h) = place_hit else {
        // Only a port (an error object's `port:` field) or the client's scheme: better
        // than nothing.
        target.port = role.iter().find_map(|h| h.addr.port);
        target.scheme = (role.iter())
            .filter(|h| h.addr.scheme.is_some())
            .max_by_key(|h| h.sig.rank)
            .and_then(|h| h.addr.scheme.clone());
        return (target, None);
    };
    let a = &h.addr;
    target.host = a.host.clone();
    target.port = a.port;
    target.unix_path = a.unix_path.clone();
    target.scheme = a.scheme.clone();
    if target.unix_path.is_none() && (target.port.is_none() || a.port_implied) {
        // A port printed beside the same host, or beside an IP the name resolved to; one
        // written there beats the default a signature implies.
        let written = (role.iter())
            .filter(|o| o.addr.port.is_some() && o.addr.unix_path.is_none())
            .filter(|o| !a.port_implied || (!o.addr.port_implied && o.addr.host == a.host))
            .find(|o| {
                o.addr.host.is_none() || o.addr.host == a.host || (a.is_name() && !o.addr.is_name())
            })
            .and_then(|o| o.addr.port);
        target.port = written.or(target.port);
    }
    if target.scheme.is_none() {
        target.scheme = (role.iter())
            .filter(|o| o.addr.scheme.is_some() && (!o.addr.has_place() || compatible(&o.addr, a)))
            .max_by_key(|o| o.sig.rank)
            .and_then(|o| o.addr.scheme.clone());
    }
    (target, Some(h))
}

/// Cause ids, most likely first: the deciding signature's own list, else the errno's, then
/// the kind's (its unix-socket list for a socket), a failed proxy leading when there is one.
fn knowledge_of(
    g: &Group,
    kind_hit: &Hit,
    kind: Kind,
    errno: Option<&crate::knowledge::signatures::ErrnoInfo>,
    target: &TargetGuess,
    via_proxy: bool,
    kb: &Knowledge,
) -> Vec<String> {
    let mut ids: Vec<&str> = Vec::new();
    if via_proxy {
        ids.push("proxy-unreachable");
    }
    let own = [kind_hit]
        .into_iter()
        .chain(g.hits.iter().filter(|h| h.kind.is_none_or(|k| k == kind)))
        .find(|h| !h.sig.knowledge.is_empty())
        .map(|h| &h.sig.knowledge);
    if let Some(own) = own {
        ids.extend(own.iter().map(String::as_str));
    }
    if let Some(e) = errno {
        ids.extend(e.knowledge.iter().map(String::as_str));
    }
    // A signature that decides `other` knows what happened (Android refusing cleartext, SSH
    // peers with no algorithm in common): the kind's generic list (nothing listening, a
    // firewall) would contradict it, so only its own causes and its errno's are shown, and
    // none when no cause fits; its summary then says what to change. A definite signature
    // without a summary (HBase's failed-servers list) hides the reason, so the list stays.
    let decided = kind == Kind::Other
        && (g.hits.iter())
            .any(|h| h.sig.definite && h.kind == Some(Kind::Other) && h.sig.summary.is_some());
    if let Some(info) = kb.errors.kind(kind).filter(|_| !decided) {
        let list = if target.unix_path.is_some() && !info.knowledge_unix.is_empty() {
            &info.knowledge_unix
        } else {
            &info.knowledge
        };
        ids.extend(list.iter().map(String::as_str));
    }
    // A target written as an address was never looked up, so no name-lookup cause applies
    // unless the failure is itself a lookup (the address is then the DNS server's).
    if target.ip().is_some() && kind != Kind::Dns {
        ids.retain(|id| !id.starts_with("dns-"));
    }
    // `localhost` comes from the hosts file, not from a DNS server: it always exists. Only
    // which address it gives (dns-mismatch) can be wrong.
    if target.is_loopback() && kind != Kind::Dns {
        ids.retain(|id| !matches!(*id, "dns-no-such-host" | "dns-server-unreachable"));
    }
    // This machine itself is always up and routed to, and no public service: a timeout to
    // 127.0.0.1 is a rule dropping packets or a server not accepting, never a host that is
    // down ("Make sure 127.0.0.1 is running" would be no answer).
    if target.is_loopback() {
        ids.retain(|id| {
            ![
                "host-unreachable",
                "network-unreachable",
                "private-address-for-public-service",
            ]
            .contains(id)
        });
    }
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if kb.cause(id).is_some() && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out.truncate(MAX_KNOWLEDGE);
    out
}

/// The sentence with its first letter in upper case ("the PostgreSQL client …" starts one).
/// A name spelt with a small letter before a capital (gRPC, iOS, macOS) stays as it is.
fn capitalized(s: &str) -> String {
    if s.chars().nth(1).is_some_and(char::is_uppercase) {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// The line of a match, cut to about `EVIDENCE_WIDTH` characters around it, secrets hidden.
/// Only whole words are kept, so a URL is never cut before the password it holds is seen
/// and redacted.
fn excerpt(prep: &Prepared, h: &Hit) -> String {
    let line_start = prep.line_starts.get(h.line).copied().unwrap_or(0);
    let line = prep.line(h.line);
    let from = h.start.saturating_sub(line_start).min(line.len());
    let (mut a, mut b) = if line.len() <= EVIDENCE_WIDTH {
        (0, line.len())
    } else {
        let a = from.saturating_sub(EVIDENCE_WIDTH / 3);
        (a, (a + EVIDENCE_WIDTH).min(line.len()))
    };
    while !line.is_char_boundary(a) {
        a -= 1;
    }
    while !line.is_char_boundary(b) {
        b += 1;
    }
    let mut words: Vec<&str> = line[a..b].split_whitespace().collect();
    let cut_before = a > 0 && !line[..a].ends_with(char::is_whitespace);
    let cut_after = b < line.len() && !line[b..].starts_with(char::is_whitespace);
    if cut_after {
        words.pop();
    }
    if cut_before && !words.is_empty() {
        words.remove(0);
    }
    let mut s = target::redact_text(&words.join(" "));
    if a > 0 {
        s.insert(0, '…');
    }
    if b < line.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::explain::{Kind, explain};
    use crate::knowledge::Knowledge;

    fn kind_of(text: &str) -> Option<Kind> {
        explain(text, &Knowledge::bundled()).main().map(|f| f.kind)
    }

    /// The cause ids the main finding of `text` lists, most likely first.
    fn causes(text: &str) -> Vec<String> {
        explain(text, &Knowledge::bundled())
            .main()
            .map(|f| f.knowledge.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_name_with_a_capital_inside_keeps_its_spelling() {
        assert_eq!(
            super::capitalized("gRPC could not connect"),
            "gRPC could not connect"
        );
        assert_eq!(super::capitalized("the client"), "The client");
    }

    #[test]
    fn localhost_is_never_a_name_missing_from_dns() {
        let c = causes(
            "Request failed: error sending request for url (http://localhost:37475/execute)",
        );
        assert!(!c.is_empty());
        assert!(!c.iter().any(|id| id == "dns-no-such-host"), "{c:?}");
    }

    #[test]
    fn a_definite_other_beats_the_generic_words_it_contains() {
        // MQTT's CONNACK refusal is the broker's answer, not the socket's ECONNREFUSED.
        let t = "Connection error: Connection Refused: not authorised.";
        assert_eq!(kind_of(t), Some(Kind::Other));
        assert_eq!(kind_of("connect: Connection refused"), Some(Kind::Refused));
    }

    #[test]
    fn an_error_just_before_a_last_one_that_names_no_place_leads() {
        let kb = Knowledge::bundled();
        let main = |t: &str| explain(t, &kb).main().cloned().expect("a finding");
        let f = main(
            "grpc: failed to create client transport: dial tcp 127.0.0.1:2379: getsockopt: connection refused\nError:  grpc: timed out when dialing",
        );
        assert_eq!(f.kind, Kind::Refused);
        assert_eq!(f.target.host.as_deref(), Some("127.0.0.1"));
        assert_eq!(f.target.port, Some(2379));
        // Both stay listed.
        let all = explain(
            "dial tcp 127.0.0.1:2379: connect: connection refused\nError: grpc: timed out when dialing",
            &kb,
        );
        assert_eq!(all.findings.len(), 2);
        // An error far above is another story: the last one leads without a place.
        let far = format!(
            "dial tcp 127.0.0.1:2379: connect: connection refused\n{}Error: grpc: timed out when dialing",
            "retrying\n".repeat(10)
        );
        assert_eq!(main(&far).kind, Kind::Timeout);
    }

    #[test]
    fn a_failure_that_names_no_reason_is_other() {
        for t in [
            "Connecting to the license server lic.lan failed; retrying in 30 s",
            "E0412 problem while connecting to the broker",
            "HTTP.POST to 'http://localhost:9680/rpc' - connection error.",
            "cisco(tcl)#socket 127.0.0.1 23\ncouldn`t open socket: invalid argument.",
        ] {
            assert_eq!(kind_of(t), Some(Kind::Other), "{t}");
        }
        // A reason in the same error decides.
        let t =
            "Connecting to db.lan:5432 failed\ndial tcp 10.0.0.5:5432: connect: connection refused";
        assert_eq!(kind_of(t), Some(Kind::Refused));
    }

    #[test]
    fn kinds_read_off_identifiers() {
        assert_eq!(kind_of("error: HttpConnectionClosing"), Some(Kind::Reset));
        assert_eq!(
            kind_of("Bun upgrade failed with error: ConnectionRefused"),
            Some(Kind::Refused)
        );
        assert_eq!(kind_of("SocketError.HostNotFound"), Some(Kind::Dns));
        assert_eq!(kind_of("kind: NetworkUnreachable"), Some(Kind::Unreachable));
        assert_eq!(kind_of("raised SocketTimeoutError"), Some(Kind::Timeout));
        assert_eq!(kind_of("http: proxy error: EOF"), Some(Kind::Reset));
        assert_eq!(
            kind_of("ping: sendto: Host is down"),
            Some(Kind::Unreachable)
        );
        assert_eq!(
            kind_of("HTTPRequest failed: RESULT_CANT_CONNECT"),
            Some(Kind::Other)
        );
        assert_eq!(
            kind_of("KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss"),
            Some(Kind::Reset)
        );
        assert_eq!(
            kind_of(
                "Error: Client network socket disconnected before secure TLS connection was established"
            ),
            Some(Kind::Reset)
        );
        assert_eq!(
            kind_of("reason: unable to verify the first certificate"),
            Some(Kind::Tls)
        );
        assert_eq!(
            kind_of("The request was aborted: Could not create SSL/TLS secure channel."),
            Some(Kind::Tls)
        );
        assert_eq!(kind_of("CRITICAL - Socket timeout"), Some(Kind::Timeout));
        assert_eq!(
            kind_of(
                "npm verb stack Error: aborted\nnpm verb stack     at connResetException (node:internal/errors:691:14)"
            ),
            Some(Kind::Reset)
        );
        assert_eq!(
            kind_of("warning: spurious network error: failed to send request: 操作超时"),
            Some(Kind::Timeout)
        );
    }

    #[test]
    fn an_address_was_never_looked_up() {
        let by_ip = causes("nats: no servers available for connection: 10.0.0.4:4222");
        assert!(
            !by_ip.is_empty() && by_ip.iter().all(|c| !c.starts_with("dns-")),
            "{by_ip:?}"
        );
        let by_name = causes("nats: no servers available for connection: nats.lan:4222");
        assert!(by_name.iter().any(|c| c.starts_with("dns-")), "{by_name:?}");
    }

    /// A signature that decides `other` and says what happened shows its own causes, or
    /// none: never the generic "nothing listening" and "firewall" of an unexplained failure.
    #[test]
    fn a_decided_other_keeps_its_own_causes() {
        let cleartext = causes(
            "java.net.UnknownServiceException: CLEARTEXT communication to cdn.lan not permitted by network security policy",
        );
        assert!(cleartext.is_empty(), "{cleartext:?}");
        let ports = causes("dial tcp 10.0.0.4:4251: connect: cannot assign requested address");
        assert_eq!(
            ports.first().map(String::as_str),
            Some("local-ports-exhausted")
        );
        assert!(!ports.iter().any(|c| c == "nothing-listening"), "{ports:?}");
        let mqtt = causes("Connection error: Connection Refused: not authorised.");
        assert_eq!(mqtt, ["service-rejected"]);
        // HBase's failed-servers list hides why the server failed: the generic list stays.
        let hbase = causes(
            "org.apache.hadoop.hbase.ipc.FailedServerException: This server is in the failed servers list: rs1.lan/10.0.0.4:16020",
        );
        assert!(hbase.iter().any(|c| c == "nothing-listening"), "{hbase:?}");
        // A timeout to this machine itself: no host to bring up, no route to add.
        let local = causes("Error: connect ETIMEDOUT 127.0.0.1:6379");
        assert_eq!(local.first().map(String::as_str), Some("firewall-drop"));
        for gone in ["host-unreachable", "private-address-for-public-service"] {
            assert!(!local.iter().any(|c| c == gone), "{local:?}");
        }
        assert!(
            causes("Error: connect ETIMEDOUT 10.0.0.7:6379")
                .iter()
                .any(|c| c == "host-unreachable")
        );
        // The sentence that explains it speaks of this machine, not of a host that is down.
        let said = |t: &str| {
            explain(t, &Knowledge::bundled())
                .main()
                .map(|f| f.summary.clone())
        };
        let here = said("Error: connect ETIMEDOUT 127.0.0.1:6379").unwrap_or_default();
        assert!(here.contains("this machine"), "{here}");
        assert!(!here.contains("host is down"), "{here}");
        let there = said("Error: connect ETIMEDOUT 10.0.0.7:6379").unwrap_or_default();
        assert!(there.contains("host is down"), "{there}");
        let v6 = said("connect: no route to host [::1]:8080").unwrap_or_default();
        assert!(v6.contains("IPv6 may be switched off"), "{v6}");
        // ssh closed before its key exchange: no TLS cause (and no https:// fix) leads.
        let ssh = causes("kex_exchange_identification: Connection closed by remote host");
        assert_eq!(ssh.first().map(String::as_str), Some("connection-reset"));
        let top: Vec<&str> = ssh.iter().take(3).map(String::as_str).collect();
        assert!(!top.contains(&"tls-mismatch"), "{ssh:?}");
    }

    #[test]
    fn kinds_read_off_codes() {
        let sqlcmd = "Sqlcmd: Error: Microsoft ODBC Driver 18 for SQL Server : TCP Provider: Error code 0x274C.\nSqlcmd: Error: Microsoft ODBC Driver 18 for SQL Server : Client unable to establish connection.";
        assert_eq!(kind_of(sqlcmd), Some(Kind::Timeout));
        let s_client = "CONNECTED(00000003)\nwrite:errno=104\n---\nno peer certificate available\n---\nSSL handshake has read 0 bytes and written 307 bytes";
        assert_eq!(kind_of(s_client), Some(Kind::Reset));
        assert_eq!(
            kind_of("ERROR_WINHTTP_NAME_NOT_RESOLVED while fetching the index"),
            Some(Kind::Dns)
        );
        // A Winsock number after a word that introduces one.
        assert_eq!(
            kind_of(
                "ServiceUnavailable: Failed to establish connection to ('127.0.0.1', 7687) (reason 10061)"
            ),
            Some(Kind::Refused)
        );
        // The name after an errno number decides: lwIP's 113 is not Linux's.
        assert_eq!(
            kind_of("OSError: [Errno 113] ECONNABORTED"),
            Some(Kind::Reset)
        );
        assert_eq!(
            kind_of("Can't connect to local MySQL server through socket '' (111)"),
            Some(Kind::Refused)
        );
        // A TLS alert by its protocol name, inside a wrapper that says only "connect".
        assert_eq!(
            kind_of("java.net.ConnectException: Received fatal alert: handshake_failure"),
            Some(Kind::Tls)
        );
        assert_eq!(
            kind_of(
                "HttpRequestException: hostname nor servname provided, or not known (api.lan:443)"
            ),
            Some(Kind::Dns)
        );
        assert_eq!(
            kind_of("failed with 'HTTP request returned status code 0 ()', trying fallbacks."),
            Some(Kind::Other)
        );
        assert_eq!(
            kind_of(
                "[TUN] [wg0] peer(LW3Y…OqDE) - Handshake did not complete after 5 seconds, retrying (try 2)"
            ),
            Some(Kind::Timeout)
        );
        assert_eq!(
            kind_of("InternetOpenUrl() failed.\n0x80072efd : unknown error"),
            Some(Kind::Other)
        );
        assert_eq!(
            kind_of("connect() failed: err=Connection time-out, traceback=[]"),
            Some(Kind::Timeout)
        );
        assert_eq!(
            kind_of("API Connection failed : Timeouterror()"),
            Some(Kind::Timeout)
        );
    }
}
