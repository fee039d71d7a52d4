//! Explaining pasted error text: which kind of failure it shows, which program printed it,
//! and which target it was trying to reach. Pure: text and knowledge in, findings out.
//!
//! The steps: the paste is cleaned (`text`), every signature of the knowledge files is
//! matched against it (`scan`), the matches are grouped into errors (`group`), and each
//! group is resolved into a finding: the most specific match names the kind and the
//! ecosystem, the best-placed address names the target.

mod group;
mod locate;
mod scan;
pub mod text;

use crate::knowledge::Knowledge;
pub use crate::knowledge::signatures::{Kind, Platform};
use serde::Serialize;

/// Pastes longer than this are cut to their last part (errors at the end matter most).
pub const MAX_INPUT: usize = 4 << 20;
/// At most this many findings are reported; a paste with more says how many it left out.
pub const MAX_FINDINGS: usize = 50;

/// Where the failing connection was going, as far as the text says. IPv6 hosts carry no
/// brackets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct TargetGuess {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub scheme: Option<String>,
    pub unix_path: Option<String>,
    /// Some of it was read from the lines around the error rather than by a signature:
    /// a weaker reading, which a signature's reading of the same paste beats.
    #[serde(skip)]
    pub located: bool,
}

impl TargetGuess {
    pub fn is_empty(&self) -> bool {
        self.host.is_none() && self.unix_path.is_none()
    }

    /// The host when it is written as an address (`10.0.0.5`, `[::1]`): never looked up.
    pub fn ip(&self) -> Option<std::net::IpAddr> {
        self.host.as_deref()?.trim_matches(['[', ']']).parse().ok()
    }

    /// The host is this machine itself (`127.0.0.1`, `[::1]`, `localhost`).
    pub fn is_loopback(&self) -> bool {
        self.ip().is_some_and(|ip| ip.is_loopback())
            || self
                .host
                .as_deref()
                .is_some_and(|h| h.eq_ignore_ascii_case("localhost"))
    }

    /// The target as a view shows it: written out, or the port alone when the text names
    /// no host (`[XXX.XXX.X.XX]:10050`), or that the text names neither.
    pub fn shown(&self) -> String {
        match (self.is_empty(), self.port) {
            (false, _) => self.display(),
            (true, Some(p)) => format!("port {p} (the host is not named)"),
            (true, None) => "not named in the text".to_string(),
        }
    }

    /// How a person would write it: `db:5432`, `[::1]:3000`, `https://api:443`, `/run/x.sock`.
    pub fn display(&self) -> String {
        if let Some(p) = &self.unix_path {
            return p.clone();
        }
        let Some(host) = &self.host else {
            return String::new();
        };
        let host = bracket(host);
        match (&self.scheme, self.port) {
            (Some(s), Some(p)) => format!("{s}://{host}:{p}"),
            (Some(s), None) => format!("{s}://{host}"),
            (None, Some(p)) => format!("{host}:{p}"),
            (None, None) => host,
        }
    }

    /// The `connfix check` argument for this target, when it names enough to run one: a
    /// unix socket, a scheme (which has a default port), or a host with a port.
    pub fn check_arg(&self) -> Option<String> {
        if let Some(p) = &self.unix_path {
            return Some(format!("unix:{p}"));
        }
        let runnable = self.host.is_some() && (self.scheme.is_some() || self.port.is_some());
        runnable.then(|| self.display())
    }
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// A line of the paste that a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 1-based line in the paste.
    pub line: usize,
    /// The line, shortened around the match, with secrets redacted.
    pub text: String,
    /// The signature that matched there.
    pub signature: String,
}

/// One error found in the paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    /// The kind's heading, e.g. "Connection refused".
    pub title: String,
    pub ecosystem: Option<String>,
    /// The symbolic errno, e.g. ECONNREFUSED, when the text shows one.
    pub errno: Option<String>,
    /// The number as written, when the errno was written as one.
    pub errno_code: Option<i64>,
    /// The system the number belongs to, when the number tells.
    pub platform: Option<Platform>,
    pub target: TargetGuess,
    /// The text blames a proxy on the way.
    pub via_proxy: bool,
    /// Cause ids from the knowledge files, most likely first.
    pub knowledge: Vec<String>,
    /// One sentence: who failed to reach what, how, and what that means.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    /// First and last line of the paste this error spans.
    pub lines: [usize; 2],
    /// The command that diagnoses the target live, when the text names enough of it.
    pub check: Option<String>,
    /// The rank of the signature the kind was read from: 0 for the general words any
    /// program may use ("timed out"), more for a named program's own wording.
    #[serde(skip)]
    pub rank: i32,
    /// What a server that refused this client named of it, by the placeholder it fills
    /// (MySQL's `Host '10.0.0.9' is not allowed` gives `client.address`; PostgreSQL's
    /// `no pg_hba.conf entry for host "10.0.0.9", user "app", database "shop"` also the
    /// user and the database): the fixes name them where they speak of them.
    #[serde(skip)]
    pub fills: Vec<(&'static str, String)>,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Linux => "Linux",
            Platform::Macos => "macOS",
            Platform::Windows => "Windows",
        }
    }
}

impl Finding {
    /// One line naming the error: "Connection refused · Node.js · ECONNREFUSED · [::1]:3000".
    pub fn headline(&self, kb: &Knowledge) -> String {
        let mut parts = vec![self.title.clone()];
        if let Some(e) = self.ecosystem.as_deref() {
            parts.push(kb.errors.ecosystem_title(e).unwrap_or(e).to_string());
        }
        if let Some(e) = &self.errno {
            parts.push(e.clone());
        }
        if !self.target.is_empty() {
            parts.push(self.target.display());
        }
        parts.join(" · ")
    }

    /// What `connfix check` should diagnose: the target the text names, or the host with
    /// `port` (from --port) when the text gives none. Otherwise why not, in a sentence that
    /// says what to do instead.
    pub fn check_target(&self, port: Option<u16>) -> Result<String, NoTarget> {
        if let Some(arg) = self.target.check_arg() {
            return Ok(arg);
        }
        match (&self.target.host, port) {
            (Some(_), Some(p)) => Ok(TargetGuess {
                port: Some(p),
                ..self.target.clone()
            }
            .display()),
            (Some(h), None) => Err(NoTarget::NoPort { host: bracket(h) }),
            (None, _) => Err(NoTarget::Nothing),
        }
    }
}

/// Why an explained error gives no target to check; says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoTarget {
    #[error(
        "the text names {host} but no port; give the port your program used (connfix check {host}:PORT, or --port PORT)"
    )]
    NoPort { host: String },
    #[error(
        "the text does not say what it tried to reach; run connfix check with the address your program used"
    )]
    Nothing,
}

/// Counters for the whole paste.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Bytes explained (after any cut).
    pub bytes: usize,
    pub lines: usize,
    /// Signature matches found (capped).
    pub matches: usize,
    /// Bytes the patterns were run over, summed over all patterns.
    pub scanned: usize,
    /// Steps taken after matching (lines prepared, matched bytes read, comparisons made while
    /// grouping): what the linearity test watches, with `scanned`.
    pub work: usize,
    /// How many readings of the text were made: 2 when lines looked cut at a terminal's
    /// width and were also read joined.
    pub passes: usize,
    /// True when the match cap was reached and later matches were ignored.
    pub capped: bool,
    /// Findings left out beyond `MAX_FINDINGS`.
    pub left_out: usize,
}

/// Everything found in a paste: the last error first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub findings: Vec<Finding>,
    pub stats: Stats,
}

impl Explanation {
    pub fn main(&self) -> Option<&Finding> {
        self.findings.first()
    }
}

/// Above this size a single cut line is not looked for: one line in a long log matters
/// little, and a second reading of it would double the time (DESIGN: 200 ms for 1 MB).
const ONE_CUT_MAX_BYTES: usize = 256 * 1024;

/// Explains `text` with the knowledge's signatures.
pub fn explain(text: &str, kb: &Knowledge) -> Explanation {
    let plain = text::prepare(text);
    let plain_lines = plain.origin.last().copied().unwrap_or(0);
    let mut ex = explain_prepared(&plain, kb);
    // A terminal may have cut long lines at its width. Joining them again is a guess that
    // can also glue two records together. What a reading says: a target placed firmly,
    // then how many of host and port. A cut word (`loc` / `alhost`) is what the plain
    // reading gets wrong, and joined it reads whole.
    let says = |e: &Explanation| {
        e.main().map(|f| {
            let t = &f.target;
            (
                u8::from(!t.is_empty() && !t.located),
                u8::from(t.host.is_some() || t.unix_path.is_some()) + u8::from(t.port.is_some()),
            )
        })
    };
    // The joined reading is kept when it says more, or when it mends what the cut broke:
    // a host read from half a name (`rvice.com` of `mlsservice.com`), a port from its
    // first digits (`494` of 49443). A tie keeps the plain reading, since a join may
    // also glue two records together.
    let better = |plain: &Explanation, joined: &Explanation| {
        let mends = match (plain.main(), joined.main()) {
            (Some(a), Some(b)) => {
                let (a, b) = (&a.target, &b.target);
                let host = matches!((&a.host, &b.host), (Some(x), Some(y)) if x != y && y.contains(x.as_str()));
                let port = matches!((a.port, b.port), (Some(x), Some(y)) if x != y && y.to_string().starts_with(&x.to_string()));
                host || port
            }
            _ => false,
        };
        joined.main().is_some()
            && (says(joined) > says(plain) || (mends && says(joined) >= says(plain)))
    };
    let joined = text::prepare_unwrapped(text).or_else(|| {
        (text.len() <= ONE_CUT_MAX_BYTES)
            .then(|| text::prepare_one_cut(text))
            .flatten()
    });
    if let Some(joined) = joined {
        let other = explain_prepared(&joined, kb);
        let scanned = ex.stats.scanned + other.stats.scanned;
        let work = ex.stats.work + other.stats.work;
        if better(&ex, &other) {
            ex = other;
        }
        ex.stats.scanned = scanned;
        ex.stats.work = work;
        ex.stats.passes = 2;
    }
    ex.stats.bytes = text.len();
    // Counted as the parser counts them (a lone CR ends a line too), so evidence line
    // numbers and this count agree; a line break at the very end ends the last line rather
    // than starting an empty one (`wc -l` counts "x\n" as one line, and so do we).
    let ends_with_break = text.ends_with('\n') || text.ends_with('\r');
    ex.stats.lines = plain_lines.saturating_sub(usize::from(ends_with_break && plain_lines > 1));
    ex
}

fn explain_prepared(prepared: &text::Prepared, kb: &Knowledge) -> Explanation {
    let (hits, mut stats) = scan::scan(prepared, kb);
    stats.passes = 1;
    stats.work += prepared.line_starts.len();
    let mut findings = group::findings(hits, prepared, kb, &mut stats.work);
    if findings.is_empty() {
        // No wording a known program uses: the loose words of the last-resort entries, on
        // lines that report a failure and are no routine record.
        let (mut hits, more) = scan::scan_last_resort(prepared, kb);
        // "Refused" and "unreachable" say a connection failed by themselves. A word for
        // timed out or closed needs a word about the network on its line ("error: issue
        // closed" is no connection failure), and a word for a lookup, a certificate or a
        // connection needs a failure word too.
        hits.retain(|h| {
            let line = prepared.line(h.line);
            // A bare "Timeout" or "Timed out" line (nmrpflash, a Modbus client) speaks of
            // the address or the transfer on the line just before it.
            let bare = h.kind == Some(Kind::Timeout)
                && ["timeout", "timed out", "time out"].contains(
                    &line
                        .trim()
                        .trim_end_matches(['.', '!'])
                        .to_ascii_lowercase()
                        .as_str(),
                );
            let before = || {
                let l = prepared.line(h.line - 1);
                locate::names_network(l) || locate::names_ip(l)
            };
            // A message wrapped after its first words ("error sending\nrequest for url")
            // names the network in the words it matched.
            let matched = prepared.text.get(h.start..h.end).unwrap_or("");
            let network = || {
                locate::names_network(line)
                    || (matched.contains('\n') && locate::names_network(matched))
                    || (bare && h.line > 0 && before())
            };
            let speaks = match h.kind {
                Some(Kind::Refused | Kind::Unreachable) => true,
                Some(Kind::Timeout | Kind::Reset) => network(),
                _ => network() && locate::reports_failure(line),
            };
            speaks && !text::is_routine(line) && !text::is_stack_frame(line)
        });
        stats.scanned += more.scanned;
        stats.work += more.work;
        stats.matches += more.matches;
        stats.capped |= more.capped;
        findings = group::findings(hits, prepared, kb, &mut stats.work);
    }
    if findings.len() > MAX_FINDINGS {
        stats.left_out = findings.len() - MAX_FINDINGS;
        findings.truncate(MAX_FINDINGS);
    }
    Explanation { findings, stats }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn main_of(text: &str) -> Option<Finding> {
        explain(text, &Knowledge::bundled()).main().cloned()
    }

    /// Each text's main finding has this kind, host and port.
    fn assert_reads(cases: &[(&str, Kind, Option<&str>, Option<u16>)]) {
        for (t, kind, host, port) in cases {
            let f = main_of(t).unwrap_or_else(|| panic!("no finding: {t}"));
            assert_eq!(
                (f.kind, f.target.host.as_deref(), f.target.port),
                (*kind, *host, *port),
                "{t}"
            );
        }
    }

    #[test]
    fn a_single_line_a_terminal_cut_is_read_whole() {
        let target = |text: &str| {
            let f = main_of(text).expect("a finding");
            (f.target.host, f.target.port)
        };
        // Cut inside the host, inside the port, and inside `localhost`.
        let line = "GuzzleHttp\\Exception\\ConnectException: cURL error 7: Failed to connect to mlsservice.com port 6103: Connection refused";
        for at in [70, 74, 99] {
            let (a, b) = line.split_at(at);
            assert_eq!(
                target(&format!("{a}\n{b}")),
                (Some("mlsservice.com".into()), Some(6103)),
                "cut at {at}"
            );
        }
        let line = "[01/06/2021, 20:10:58] [FRITZ!Box] Error: connect ENETUNREACH 192.168.178.1:49443 - Local (0.0.0.0:0)";
        let (a, b) = line.split_at(79);
        assert_eq!(
            target(&format!("{a}\n{b}")),
            (Some("192.168.178.1".into()), Some(49443))
        );
        // Two lines that only happen to meet at words stay two lines.
        let f = main_of("Error: connect ECONNREFUSED 127.0.0.1:5432 while the application was starting up now\nretrying in 5 seconds").unwrap();
        assert_eq!(
            (f.target.host.as_deref(), f.target.port),
            (Some("127.0.0.1"), Some(5432))
        );
    }

    #[test]
    fn everyday_errnos_alone_are_not_connection_errors() {
        assert!(main_of("OSError: [Errno 2] No such file or directory: '/etc/app.conf'").is_none());
        assert!(main_of("InterruptedError: [Errno 4] Interrupted system call").is_none());
        // Failures that are not the network's.
        assert!(main_of("ERROR: permission denied for table users on server db1").is_none());
        assert!(main_of("error: file not found on remote").is_none());
        assert!(main_of("Error: network config invalid: missing key 'mtu'").is_none());
        assert!(main_of("Error: issue closed by its author").is_none());
        assert!(main_of("PermissionError: [Errno 13] Permission denied: '/var/log/x'").is_none());
        // The same numbers where a connection says so still count.
        let f = main_of("connect() to unix:/run/app.sock failed (2: No such file or directory) while connecting to upstream").unwrap();
        assert_eq!(f.target.unix_path.as_deref(), Some("/run/app.sock"));
        let f = main_of("socket.gaierror: [Errno 8] nodename nor servname provided, or not known")
            .unwrap();
        assert_eq!(f.kind, Kind::Dns);
    }

    #[test]
    fn a_request_that_worked_is_not_the_target_of_the_error_after_it() {
        let f = main_of("INFO GET https://api.example.com/health took 12ms\nERROR java.net.ConnectException: Connection refused\n").unwrap();
        assert_eq!(f.kind, Kind::Refused);
        assert!(f.target.is_empty(), "{:?}", f.target);
    }

    #[test]
    fn the_name_a_certificate_was_not_valid_for_is_the_target() {
        let f = main_of("tls: failed to verify certificate: x509: certificate is valid for ingress.local, not app.lan").unwrap();
        assert_eq!(
            (f.kind, f.target.host.as_deref()),
            (Kind::Tls, Some("app.lan"))
        );
        let f = main_of("ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'db.lan'. (_ssl.c:1006)").unwrap();
        assert_eq!(
            (f.kind, f.target.host.as_deref()),
            (Kind::Tls, Some("db.lan"))
        );
    }

    #[test]
    fn a_less_specific_summary_on_the_next_line_is_the_same_error() {
        let t = "TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)\nTLS Error: TLS handshake failed\nUDP link remote: [AF_INET]10.8.0.1:1194";
        let f = main_of(t).unwrap();
        assert_eq!(f.kind, Kind::Timeout);
    }

    #[test]
    fn a_host_the_reporter_replaced_leaves_its_port() {
        for (t, port) in [
            (
                "Get http://consul_ip:8200/v1/secret: dial tcp consul_ip:8200: getsockopt: connection refused",
                8200,
            ),
            (
                "kex_exchange_identification: Connection closed by remote host Connection closed by aa.bbb.ccc.d port 22",
                22,
            ),
        ] {
            let f = main_of(t).unwrap();
            assert_eq!(
                (f.target.host.as_deref(), f.target.port),
                (None, Some(port)),
                "{t}"
            );
        }
    }

    #[test]
    fn telnet_names_its_target_on_the_line_before() {
        let f = main_of(
            "Trying 10.0.0.5...\ntelnet: Unable to connect to remote host: Connection timed out",
        )
        .unwrap();
        assert_eq!(
            (f.kind, f.target.host.as_deref()),
            (Kind::Timeout, Some("10.0.0.5"))
        );
    }

    #[test]
    fn ssh_through_a_proxy_command_names_no_place() {
        let f = main_of("kex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535").unwrap();
        assert_eq!(f.kind, Kind::Reset);
        assert!(
            f.target.is_empty() && f.target.port.is_none(),
            "{:?}",
            f.target
        );
        let f = main_of("ssh_exchange_identification: Connection closed by remote host").unwrap();
        assert_eq!(f.kind, Kind::Reset);
        let f = main_of("Unable to negotiate with UNKNOWN port 65535: no matching host key type found. Their offer: ssh-rsa").unwrap();
        assert_eq!((f.kind, f.target.port), (Kind::Other, None));
    }

    #[test]
    fn loose_words_speak_only_when_no_known_wording_does() {
        let kind_host = |t: &str| {
            main_of(t).map(|f| {
                (
                    f.kind,
                    f.target.host,
                    f.target.port,
                    f.evidence[0].signature.clone(),
                )
            })
        };
        // Glued, misspelt or unknown wordings, from programs no file knows.
        let (k, h, _, sig) =
            kind_host("E31: connection timedout (took too long) - http://cache.lan/a.gif").unwrap();
        assert_eq!(
            (k, h.as_deref(), sig.as_str()),
            (Kind::Timeout, Some("cache.lan"), "loose-timeout")
        );
        let (k, ..) = kind_host("[control.go:231] read tcp 10.0.0.2:38558->10.9.9.9:8024: read: connection resset by peer.").unwrap();
        assert_eq!(k, Kind::Reset);
        let (k, h, p, _) = kind_host("$ nats -s localhost:4222 stream ls\nnats: error: could not list Streams: nats connection is not set, use SetConnection()").unwrap();
        assert_eq!(
            (k, h.as_deref(), p),
            (Kind::Other, Some("localhost"), Some(4222))
        );
        let f = main_of(
            "neo4j.exceptions.ServiceUnavailable: Connection terminated while receiving data",
        )
        .unwrap();
        assert_eq!(f.kind, Kind::Reset);
        assert!(f.summary.contains("loose reading"), "{}", f.summary);
        // A known wording in the same paste decides, and the loose words add nothing.
        let (k, _, _, sig) =
            kind_host("connect ECONNREFUSED 127.0.0.1:5432\nretrying, connection timedout")
                .unwrap();
        assert_eq!(k, Kind::Refused);
        assert!(!sig.starts_with("loose-"), "{sig}");
        // Words about a lookup or TLS need a failure beside them, and routine records
        // say nothing.
        assert!(main_of("using DNS server 10.0.0.2 for lookups").is_none());
        assert!(main_of("TLS 1.3 session resumed with api.lan").is_none());
        assert!(main_of("INFO connection closed by client after 30s").is_none());
        assert!(main_of("InterruptedError: [Errno 4] Interrupted system call").is_none());
    }

    #[test]
    fn dart_names_the_local_port_after_a_connection_that_started() {
        // Refused after the connect began: the port printed is the local end's
        // (dart-lang/sdk#12693), and the URL asked for gives the target's.
        let f = main_of("final ws = IOWebSocketChannel.connect(\"ws://localhost:3300\")\nSocketException: OS Error: Connection refused, errno = 111, address = localhost, port = 42166").unwrap();
        assert_eq!(
            (f.target.host.as_deref(), f.target.port),
            (Some("localhost"), Some(3300))
        );
        let f = main_of("SocketException: Connection refused (OS Error: Connection refused, errno = 111), address = 10.0.2.2, port = 50730").unwrap();
        assert_eq!(
            (f.target.host.as_deref(), f.target.port),
            (Some("10.0.2.2"), None)
        );
        // A connect that failed at once names the target's port.
        let f = main_of("SocketException: Connection failed (OS Error: No route to host, errno = 65), address = 10.0.0.9, port = 22").unwrap();
        assert_eq!((f.kind, f.target.port), (Kind::Unreachable, Some(22)));
    }

    #[test]
    fn settings_tools_and_bare_ports_name_the_target() {
        // PHP settings above the error.
        let f = main_of("$mail->Host = \"smtp.mail.lan\";\n$mail->Port = 465;\nSMTP ERROR: Failed to connect to server: Network is unreachable (101)").unwrap();
        assert_eq!(
            (f.target.host.as_deref(), f.target.port),
            (Some("smtp.mail.lan"), Some(465))
        );
        // nslookup's server, when the resolver itself did not answer.
        let f = main_of("C:\\>nslookup www.shop.lan 127.0.0.1\nDNS request timed out.\n    timeout was 2 seconds.").unwrap();
        assert_eq!(
            (f.target.host.as_deref(), f.target.port),
            (Some("127.0.0.1"), Some(53))
        );
        // A port with its host left out.
        let f = main_of("Faraday::ConnectionFailed: connection refused: :9200").unwrap();
        assert_eq!(
            (f.kind, f.target.host.as_deref(), f.target.port),
            (Kind::Refused, None, Some(9200))
        );
    }

    #[test]
    fn tools_and_consoles_of_round_nine_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A tool whose host is a plain argument; a port range is no one port.
            (
                "$ iperf3 -c 10.9.0.3 -p 5201\niperf3: error - unable to connect to server: Connection refused",
                Kind::Refused,
                Some("10.9.0.3"),
                Some(5201),
            ),
            (
                "> iperf3 -c perf.lan -p 5201-5203\niperf3: error - unable to connect to server: Connection refused",
                Kind::Refused,
                Some("perf.lan"),
                None,
            ),
            (
                "# nmap -p 4567 10.9.0.4\nNote: Host seems down. If it is really up, but blocking our ping probes, try -Pn",
                // No reply names no cause (round 21): the kind stays open, the summary
                // says what to try.
                Kind::Other,
                Some("10.9.0.4"),
                Some(4567),
            ),
            // Gecko's codes, and the URL Playwright was navigating to.
            (
                "Page.goto: NS_ERROR_NET_RESET\nCall log:\n  - navigating to \"https://app.lan/new\", waiting until \"load\"",
                Kind::Reset,
                Some("app.lan"),
                Some(443),
            ),
            // A host under a country domain that is also a source file's extension.
            (
                "连接到 pve.lab.cc:8080 时发生错误。\n错误代码：SSL_ERROR_RX_RECORD_TOO_LONG",
                Kind::Tls,
                Some("pve.lab.cc"),
                Some(8080),
            ),
            // A package source, and curl's verbose "Connected to" before a TLS failure.
            (
                "Unable to load the service index for source https://feed.lan/v3/index.json.\n  The underlying connection was closed: An unexpected error occurred on a send.",
                Kind::Reset,
                Some("feed.lan"),
                Some(443),
            ),
            (
                "* Connected to pay.lan (10.9.0.5) port 443 (#0)\n* error:14094410:SSL routines:SSL3_READ_BYTES:sslv3 alert handshake failure",
                Kind::Tls,
                Some("pay.lan"),
                Some(443),
            ),
            // Zabbix's bracketed address, and a host the reporter cut down to `[.21]`.
            (
                "active check configuration update from [zbx-proxy:10051] started to fail (cannot resolve [zbx-proxy])",
                Kind::Dns,
                Some("zbx-proxy"),
                Some(10051),
            ),
            (
                "Unable to connect to [.21]:10051 [cannot connect to [[.21]:10051]: [113] No route to host]",
                Kind::Unreachable,
                None,
                Some(10051),
            ),
            // Oracle's EZConnect string on the sqlplus command line.
            (
                "PS D:\\> sqlplus system/[redacted]@//db.lan:1521/orcl\nERROR:\nORA-12541: TNS:no listener",
                Kind::Refused,
                Some("db.lan"),
                Some(1521),
            ),
            // A localized .NET lookup failure, and c-ares refusing a query.
            (
                "System.Net.WebException: No se puede resolver el nombre remoto: 'cdn.lan'",
                Kind::Dns,
                Some("cdn.lan"),
                None,
            ),
            (
                "Error: queryA EREFUSED smtp.mail.lan\n  code: 'EDNS'",
                Kind::Dns,
                Some("smtp.mail.lan"),
                None,
            ),
            // git quoting libcurl's receive failure is a reset, not a handshake.
            (
                "error: RPC failed; curl 56 GnuTLS recv error (-110): The TLS connection was non-properly terminated.",
                Kind::Reset,
                None,
                None,
            ),
            // A tunnel's `--to`, and a Go literal handed to the client.
            (
                "./bore local 5173 --to tunnel.lan\nError: timed out waiting for initial message",
                Kind::Timeout,
                Some("tunnel.lan"),
                None,
            ),
            (
                "_, err := sarama.NewConsumer([]string{\"10.9.0.6:9092\"}, nil)\npanic: kafka: client has run out of available brokers to talk to (Is your cluster reachable?)",
                Kind::Other,
                Some("10.9.0.6"),
                Some(9092),
            ),
            // Announced attempts at a routine level, and a chain told down to its root.
            (
                "INFO - Starting new HTTPS connection (5): s3.store.lan\nConnectionError: ('Connection aborted.', error(111, 'Connection refused'))",
                Kind::Refused,
                Some("s3.store.lan"),
                Some(443),
            ),
            (
                "INFO: [ManagedChannelImpl@2b80d80f] Created with target rpc.lan:50051\nWARNING: RPC failed: Status{code=UNAVAILABLE, description=Terminated fail fast stream.}",
                Kind::Other,
                Some("rpc.lan"),
                Some(50051),
            ),
            (
                "warning: spurious network error (1 tries remaining): [28] Timeout was reached\nerror: failed to get `syn` as a dependency of package `x`\n\nCaused by:\n  failed to query replaced source registry `crates-io`\n\nCaused by:\n  download of 3/s/syn failed\n\nCaused by:\n  failed to download from https://index.crates.lan/3/s/syn",
                Kind::Timeout,
                Some("index.crates.lan"),
                Some(443),
            ),
        ];
        assert_reads(cases);
        // pytest's `E` column does not glue the next record onto the URL.
        let t = "E       playwright._impl._api_types.Error: net::ERR_CONNECTION_TIMED_OUT at https://web.lan\nE       =========================== logs ===========================";
        assert_eq!(main_of(t).unwrap().target.host.as_deref(), Some("web.lan"));
    }

    #[test]
    fn consoles_and_pages_of_round_ten_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Symfony's boxed exception, cut inside the port.
            (
                "In CurlDownloader.php line 373:\n                                                        \n  curl error 7 while downloading https://repo.lan/pp2/  \n  packages.json: Failed to connect to repo.lan port 44  \n  3: Connection refused",
                Kind::Refused,
                Some("repo.lan"),
                Some(443),
            ),
            // GnuTLS: the same words are a reset after the handshake and TLS during it.
            (
                "Read error at byte 3 (The TLS connection was non-properly terminated.).Retrying.",
                Kind::Reset,
                None,
                None,
            ),
            (
                "fatal: unable to access 'https://git.lan/x.git/': gnutls_handshake() failed: The TLS connection was non-properly terminated.",
                Kind::Tls,
                Some("git.lan"),
                Some(443),
            ),
            // Firefox's certificate page names host and port; Chrome's proxy codes.
            (
                "git.lan:8443 uses an invalid security certificate.\n\n(Error code: sec_error_unknown_issuer)",
                Kind::Tls,
                Some("git.lan"),
                Some(8443),
            ),
            (
                "selenium.common.exceptions.WebDriverException: Message: unknown error: net::ERR_PROXY_CONNECTION_FAILED",
                Kind::Other,
                None,
                None,
            ),
            // The host in ssh's "host key for [h]:p has changed", in ping's and Gradle's
            // lookup failures, and in RabbitMQ's epmd diagnostics.
            (
                "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nECDSA host key for [git.lan]:2222 has changed and you have requested strict checking.\nHost key verification failed.",
                Kind::Other,
                Some("git.lan"),
                Some(2222),
            ),
            (
                "$ ping centos6\nping: centos6: Name or service not known",
                Kind::Dns,
                Some("centos6"),
                None,
            ),
            (
                "ERROR: Unknown host 'maven.lan: nodename nor servname provided, or not known'. You may need to adjust the proxy settings in Gradle.",
                Kind::Dns,
                Some("maven.lan"),
                None,
            ),
            (
                "rabbit@mq1:\n  * unable to connect to epmd (port 4369) on mq1: timeout (timed out)",
                Kind::Timeout,
                Some("mq1"),
                Some(4369),
            ),
            // The driver's inner timeout beats its outer "failed to connect".
            (
                "MongoNetworkError: failed to connect to server [db.lan:27017] on first connect [MongoNetworkError: connection 0 to db.lan:27017 timed out]",
                Kind::Timeout,
                Some("db.lan"),
                Some(27017),
            ),
            // A server announcing where it listens is not what failed; a blotted-out name
            // is no name.
            (
                "server started at http://0.0.0.0:7300\n[ioredis] Unhandled error event: Error: connect ETIMEDOUT",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "dial tcp: lookup ec2-XX-XXX-XXX-XXX.compute-1.amazonaws.com on 10.9.0.53:53: no such host",
                Kind::Dns,
                None,
                None,
            ),
            // A sentence that ends in a URL is not cut by the next line's first word.
            (
                "Got socket error trying to find package x at https://pub.lan.\npub get failed (server unavailable) -- attempting retry 1 in 1 second...",
                Kind::Other,
                Some("pub.lan"),
                Some(443),
            ),
            // Localized: wget's quoted name, a port in Windows' diagnosis, a French refusal
            // through the wrong code page, .NET's underlying connection in German.
            (
                "wget: 无法解析主机地址 “raw.lan”",
                Kind::Dns,
                Some("raw.lan"),
                None,
            ),
            (
                "检测到远程计算机不接受端口 8087 上的连接，这可能是由于防火墙或安全策略设置",
                Kind::Other,
                None,
                Some(8087),
            ),
            (
                "Could not connect to 'xmpp.lan' on port 5223: IO::Socket::INET: connect: Connexion refusÃ©",
                Kind::Refused,
                Some("xmpp.lan"),
                Some(5223),
            ),
            (
                "Invoke-RestMethod : Die zugrunde liegende Verbindung wurde geschlossen: Unerwarteter Fehler beim Senden.",
                Kind::Reset,
                None,
                None,
            ),
            // nslookup's answer names the server it asked; a proxy the client names.
            (
                "$ nslookup nothere.lan\nServer:\t\t10.9.0.53\nAddress:\t10.9.0.53#53\n\n** server can't find nothere.lan: NXDOMAIN",
                Kind::Dns,
                Some("10.9.0.53"),
                Some(53),
            ),
            (
                "connect 10.9.0.7 fail:Error connecting to HTTP proxy 127.0.0.1:8580: [Errno 10061] cost:1013",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(8580),
            ),
            // telnet's default port, and the port of the command when the failing line
            // names only the address the name resolved to.
            (
                "Router#telnet 10.9.0.8\nTrying 10.9.0.8 ... % Connection timed out; remote host not responding",
                Kind::Timeout,
                Some("10.9.0.8"),
                Some(23),
            ),
            (
                "gregk@Router:~$ telnet una.lan 80\ntelnet: can't connect to remote host (10.9.0.9): Connection refused",
                Kind::Refused,
                Some("10.9.0.9"),
                Some(80),
            ),
            // A prompt's command is not glued to the output under it; a Java class and
            // line in a log prefix, cut by the terminal, is no address.
            (
                "[root@mon ~]# /usr/local/nagios/libexec/check_ntp_peer -H 10.9.0.10\nCRITICAL - Socket timeout[root@mon ~]#",
                Kind::Timeout,
                Some("10.9.0.10"),
                None,
            ),
            (
                "2021-06-07 18:44:26.055 [lettuce-nioEventLoop-4-5] INFO  io.let\ntuce.core.protocol.CommandHandler:217 - null Unexpected exception during\nrequest: java.io.IOException: 远程主机强迫关闭了一个现有的连接。",
                Kind::Reset,
                None,
                None,
            ),
            // An environment variable's name where the host goes.
            (
                "Thu Aug 08 19:36:50 2019 UDPv4 link remote: [AF_INET]OPENVPN_IPSERVER:1194\nThu Aug 08 19:37:51 2019 TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)",
                Kind::Timeout,
                None,
                Some(1194),
            ),
            // Kinds: a resolver timeout is a lookup failure; the TLS words of embedded
            // stacks; Oracle's lost contact.
            (
                "Error in curl::curl_fetch_memory(url, handle = handle) : Timeout was reached: Resolving timed out after 10000 milliseconds",
                Kind::Dns,
                None,
                None,
            ),
            (
                "E (349004) esp-tls: mbedtls_ssl_handshake returned -0x2700\nE (349015) esp-tls: Failed to open new connection",
                Kind::Tls,
                None,
                None,
            ),
            (
                "level=error msg=\"conpool.Get() occurs error:Env.OpenSrv Env.ociError ORA-12547: TNS:lost contact\"",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Error: unable to connect to a repository at URL 'svn://svn.lan/trunk'\nsvn: E730060: Can't connect to host 'svn.lan': Connection timed out",
                Kind::Timeout,
                Some("svn.lan"),
                Some(3690),
            ),
            // A port with a thousands separator; a broker address librdkafka quotes; a
            // urllib3 pool for an absolute URL is the proxy.
            (
                "java.net.ConnectException: Error opening socket to server db.lan/10.9.0.4 on port 50,000 with message: Connection refused",
                Kind::Refused,
                Some("db.lan"),
                Some(50000),
            ),
            (
                "%3|1618498121.702|FAIL|rdkafka#consumer-1| [thrd:kafka:9092/bootstrap]: kafka:9092/bootstrap: Failed to resolve 'kafka:9092': Try again (after 5004ms in state CONNECT)",
                Kind::Dns,
                Some("kafka"),
                Some(9092),
            ),
            (
                "HTTPConnectionPool(host='10.9.0.7', port=80): Max retries exceeded with url: http://site.lan/x (Caused by ProxyError('Cannot connect to proxy.', NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [WinError 10060]')))",
                Kind::Timeout,
                Some("10.9.0.7"),
                Some(80),
            ),
            (
                "ERROR:  do_connect: Connection to 10.9.0.5 failed (Error NT_STATUS_IO_TIMEOUT)",
                Kind::Timeout,
                Some("10.9.0.5"),
                None,
            ),
            (
                "This site can’t provide a secure connectionweb.lan uses an unsupported protocol.\nERR_SSL_VERSION_OR_CIPHER_MISMATCH",
                Kind::Tls,
                Some("web.lan"),
                None,
            ),
            // nc -v's host, address and port; git+https's port; SQLAlchemy's help link is
            // no target.
            (
                "db.lan [10.9.0.4] 5432 (postgresql) : Connection refused",
                Kind::Refused,
                Some("db.lan"),
                Some(5432),
            ),
            (
                "$ zig fetch --save=args git+https://code.lan/x/args#master\nerror: unable to resolve host: TemporaryNameServerFailure",
                Kind::Dns,
                Some("code.lan"),
                Some(443),
            ),
            (
                "(MySQLdb._exceptions.OperationalError) (2026, 'SSL connection error: error:1425F102:SSL routines:ssl_choose_client_version:unsupported protocol')\n(Background on this error at: http://sqlalche.me/e/13/e3q8)",
                Kind::Tls,
                None,
                None,
            ),
            // A Zabbix item read that timed out, and WinRM's lookup failure.
            (
                "Get value from agent failed: ZBX_TCP_READ() timed out",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Connecting to remote server node1 failed with the following error message : The WinRM client cannot process the request because the server name cannot be resolved.",
                Kind::Dns,
                Some("node1"),
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_eleven_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // The name and service handed to getaddrinfo; a phrase in quotes is no name.
            (
                "Failed getaddrinfo build-box.lan , 58472 : -2 : Name or service not known",
                Kind::Dns,
                Some("build-box.lan"),
                Some(58472),
            ),
            (
                "rsync: getaddrinfo: \"my host here\" 23456: nodename nor servname provided, or not known",
                Kind::Dns,
                None,
                Some(23456),
            ),
            // A lookup that failed "for" a quoted name; busybox's "bad address".
            (
                "cabal: openTCPConnection: host lookup failure for \"hackage.lan\"",
                Kind::Dns,
                Some("hackage.lan"),
                None,
            ),
            (
                "$ busybox wget https://git.lan/x.tar.xz\nwget: bad address 'git.lan'",
                Kind::Dns,
                Some("git.lan"),
                Some(443),
            ),
            // A file retrieved from an address is where the connection went.
            (
                "error: failed retrieving file 'core.db' from 10.4.2.38 : Operation timed out after 0 milliseconds with 0 out of 0 bytes received",
                Kind::Timeout,
                Some("10.4.2.38"),
                None,
            ),
            // bash's /dev/tcp socket.
            (
                "./redi.sh: line 170: /dev/tcp/10.44.1.11/6301: A remote host refused an attempted connect operation.",
                Kind::Refused,
                Some("10.44.1.11"),
                Some(6301),
            ),
            // What curl sends is not where it connects.
            (
                "$ curl -X POST -d '{\"url\":\"https://img.lan/a.jpg\"}' localhost:8081\ncurl: (52) Empty reply from server",
                Kind::Reset,
                Some("localhost"),
                Some(8081),
            ),
            // wget's read error takes its kind from the reason in brackets.
            (
                "HTTP request sent, awaiting response... Read error (Connection timed out) in headers.",
                Kind::Timeout,
                None,
                None,
            ),
            // Firefox's reset code outranks its "Secure Connection Failed" title, in German too.
            (
                "Fehler: Gesicherte Verbindung fehlgeschlagen\n\nBeim Verbinden mit mail.corp.lan trat ein Fehler auf. PR_CONNECT_RESET_ERROR",
                Kind::Reset,
                Some("mail.corp.lan"),
                None,
            ),
            // Chrome's unsupported-protocol page in Chinese.
            (
                "此网站无法提供安全连接\n\nwww.shop.lan 使用了不受支持的协议。\nERR_SSL_VERSION_OR_CIPHER_MISMATCH",
                Kind::Tls,
                Some("www.shop.lan"),
                None,
            ),
            // A call named like a client is still a call: its argument was asked for.
            (
                "Modbus Error: [Connection] Failed to connect[ModbusTcpClient(10.9.0.50:502)]",
                Kind::Other,
                Some("10.9.0.50"),
                Some(502),
            ),
            // mitmproxy's ProxyError reports its own upstream, in escaped quotes.
            (
                "ProxyError(NetLibError('Error connecting to \"www.shop.lan\": [Errno -5] No address associated with hostname',),)",
                Kind::Dns,
                Some("www.shop.lan"),
                None,
            ),
            // A host handed to a call with the port by keyword.
            (
                "    async with asyncssh.connect('10.9.1.2', username=\"root\", port=22) as conn:\nasyncssh.misc.ConnectionLost: Connection lost",
                Kind::Reset,
                Some("10.9.1.2"),
                Some(22),
            ),
            // A connect report ending in host and port; "telnet server" is no telnet command.
            (
                "[INFO] arthas-client connect 127.0.0.1 3658\nConnect to telnet server error: 127.0.0.1 3658\njava.net.ConnectException: 拒绝连接",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(3658),
            ),
            // Haskell's quoted host and its port.
            (
                "TlsExceptionHostPort (HandshakeFailed Error_EOF) \"chrome.shop.lan\" 443",
                Kind::Tls,
                Some("chrome.shop.lan"),
                Some(443),
            ),
            // DB2's communication error: where, and the errno's kind.
            (
                "SQL30081N  A communication error has been detected. Communication protocol being used: \"TCP/IP\".  Location where the error was detected: \"10.60.63.234\".  Communication function detecting the error: \"recv\".  Protocol specific error code(s): \"104\", \"*\", \"0\".  SQLSTATE=08001.",
                Kind::Reset,
                Some("10.60.63.234"),
                None,
            ),
            // A UUID in a host's place is no host; the address it tried is.
            (
                "org.gradle.internal.remote.internal.ConnectException: Could not connect to server [46b08111-3f5f-4229-8a64-983d8a282b0b port:44425, addresses:[/127.0.0.1]]. Tried addresses: [/127.0.0.1].",
                Kind::Other,
                Some("127.0.0.1"),
                Some(44425),
            ),
            // Firebird's message with dots a log escaped.
            (
                "GDS Exception. 335544721. Unable to complete network request to host \"10\\.9\\.3\\.181\"\\. Reason: x",
                Kind::Other,
                Some("10.9.3.181"),
                None,
            ),
            // SNMP's silent peer; a name that did not resolve in a small system's shell.
            (
                "$ snmpwalk -v2c -c public snmp.lan system\nTimeout: No Response from snmp.lan",
                Kind::Timeout,
                Some("snmp.lan"),
                None,
            ),
            (
                "2024-02-07 16:01:34,117 # can't resolve iot.azure.lan",
                Kind::Dns,
                Some("iot.azure.lan"),
                None,
            ),
            // A later line naming the host gives its port.
            (
                "ssh: Could not resolve hostname git.corp.lan: Name or service not known\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\nfatal: clone of 'ssh://git@git.corp.lan:10022/a/b.git' into submodule path '/p' failed",
                Kind::Dns,
                Some("git.corp.lan"),
                Some(10022),
            ),
            // Kinds: serf's hang-up, EADDRNOTAVAIL in other words, Dutch "no such host".
            (
                "svn: E120108: Error running context: The server unexpectedly closed the connection.",
                Kind::Reset,
                None,
                None,
            ),
            (
                "SocketException: Write failed (OS Error: Can't assign requested address, errno = 49)",
                Kind::Other,
                None,
                None,
            ),
            (
                "System.Net.Sockets.SocketException (0x80004005): Host is onbekend",
                Kind::Dns,
                None,
                None,
            ),
            // WCF's binding gets its own default port.
            (
                "There was no endpoint listening at net.tcp://svc.lan/Echo that could accept the message.",
                Kind::Other,
                Some("svc.lan"),
                Some(808),
            ),
            (
                "[proxy_http:error] AH01102: error reading status line from remote server 10.9.0.5:80, referer: x",
                Kind::Other,
                Some("10.9.0.5"),
                Some(80),
            ),
            // ssh's handshake in Go is no TLS handshake.
            (
                "ssh: handshake failed: ssh: unexpected message type 3 (expected one of [6])",
                Kind::Other,
                None,
                None,
            ),
            (
                "Fetch failed (1/5): https://npm.shop.lan/matchdep [Error: SELF_SIGNED_CERT_IN_CHAIN]",
                Kind::Tls,
                Some("npm.shop.lan"),
                Some(443),
            ),
            (
                "tls: server selected unsupported protocol version 300",
                Kind::Tls,
                None,
                None,
            ),
            // nginx: its own virtual host after `client:` is not the upstream.
            (
                "[error] 4235#4235: *40966 peer closed connection in SSL handshake while SSL handshaking to upstream, client: 10.95.1.2, server: shop.lan, request: \"GET /x HTTP/1.1\", upstream: \"https://10.9.0.7:8443/x\"",
                Kind::Reset,
                Some("10.9.0.7"),
                Some(8443),
            ),
            (
                "Unable to locate remote host www.shop.lan.",
                Kind::Dns,
                Some("www.shop.lan"),
                None,
            ),
            (
                "找不到 www.shop.lan 的服务器 DNS 地址",
                Kind::Dns,
                Some("www.shop.lan"),
                None,
            ),
            (
                "{failed_connect,[{to_address,{\"repo.shop.lan\",443}},{inet,[inet],enetunreach}]}",
                Kind::Unreachable,
                Some("repo.shop.lan"),
                Some(443),
            ),
            (
                "Error: rpc error: code = Unavailable desc = connection closed",
                Kind::Reset,
                None,
                None,
            ),
            (
                "服务器curl: (7) 连接失败 api.shop.lan:443; 连接拒绝",
                Kind::Refused,
                Some("api.shop.lan"),
                Some(443),
            ),
            // cargo's `Running` line is the attempt; `quiche-client` is a program, not a
            // client's address.
            (
                "Running `target/debug/quiche-client https://quic.shop.lan:8443/`\nthread main panicked at recv() failed: Os { code: 111, kind: ConnectionRefused, message: \"Connection refused\" }",
                Kind::Refused,
                Some("quic.shop.lan"),
                Some(8443),
            ),
            // curl connects to its proxy.
            (
                "when I try \"curl -x http://localhost:8118 http://ip.shop.lan/\" for testing,\ncurl: (56) Recv failure: Connection reset by peer",
                Kind::Reset,
                Some("localhost"),
                Some(8118),
            ),
            // A quoted address then the address with its port: not port 10.
            (
                "NOTE: connecting to '10.0.0.156': 10.0.0.156:24800\nERROR: tls error occurred (generic failure)",
                Kind::Tls,
                Some("10.0.0.156"),
                Some(24800),
            ),
            // A program's banner names its home page, not the target.
            (
                "# ncat -v 10.9.100.1 32764\nNcat: Version 6.40 ( http://nmap.org/ncat )\nNcat: Connection refused.",
                Kind::Refused,
                Some("10.9.100.1"),
                Some(32764),
            ),
            // A server announcing itself before the error gives no port.
            (
                "server listening on port 3000\nError: getaddrinfo ENOTFOUND db.shop.lan",
                Kind::Dns,
                Some("db.shop.lan"),
                None,
            ),
            // A URL cut after a hyphen of its name.
            (
                "Real URL http://www2.shop-\nbaby.lan/member/m5.asp\nResult Error: (-2, 'Name or service not known')",
                Kind::Dns,
                Some("www2.shop-baby.lan"),
                Some(80),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_twelve_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A client built for an address connects to it; a stand-in host keeps its port.
            (
                "client = Client('xx.xxx.xx.xx',port=8123,database='default')\nsocket.timeout: timed out",
                Kind::Timeout,
                None,
                Some(8123),
            ),
            (
                "client = Client('ch.lan',port=8123)\nsocket.timeout: timed out",
                Kind::Timeout,
                Some("ch.lan"),
                Some(8123),
            ),
            // A port written as a word is unknown, not the scheme's default.
            (
                "error=\"Get http://xxx.xxx.xxx.xxx:port  dial tcp xxx.xxx.xxx.xxx:port i/o timeout",
                Kind::Timeout,
                None,
                None,
            ),
            // Ansible's "on PORT 22 TO host"; Icinga's quoted port after the host.
            (
                "<sorrel.lan> ESTABLISH CONNECTION FOR USER: root on PORT 22 TO sorrel.lan\nfatal: [sorrel.lan] => {'msg': 'FAILED: [Errno 8] nodename nor servname provided, or not known'}",
                Kind::Dns,
                Some("sorrel.lan"),
                Some(22),
            ),
            (
                "information/ApiListener: Reconnecting to endpoint 'n1' via host '10.0.3.1' and port '5665'\ncritical/TcpSocket: Invalid socket: Connection timed out",
                Kind::Timeout,
                Some("10.0.3.1"),
                Some(5665),
            ),
            // An Erlang option list; Elixir's single-quoted to_address under a TLS alert.
            (
                "mysql:start_link([{host, \"db.lan\"},{user, \"app\"}]).\n{{badmatch,{error,econnrefused}},",
                Kind::Refused,
                Some("db.lan"),
                None,
            ),
            (
                "{:failed_connect, [{:to_address, {'repo.hex.pm', 443}}, {:inet, [:inet], {:tls_alert, 'unrecognised name'}}]}",
                Kind::Tls,
                Some("repo.hex.pm"),
                Some(443),
            ),
            // Schemes, banners and tools.
            (
                "Creating download request for gemini://capsule.lan/favicon.txt\ntwisted.internet.error.ConnectionRefusedError: Connection was refused by other side: 111: Connection refused.",
                Kind::Refused,
                Some("capsule.lan"),
                Some(1965),
            ),
            (
                "Licensed to The Apache Software Foundation, http://www.apache.org/\n\nBenchmarking 127.0.0.1 (be patient)\napr_socket_recv: Connection reset by peer (104)",
                Kind::Reset,
                Some("127.0.0.1"),
                None,
            ),
            (
                "Starting Nmap 7.60 ( https://nmap.org ) at 2018-02-06 15:27 EST\nFailed to resolve \"REDACTED\".\nNmap done: 0 IP addresses (0 hosts up) scanned in 20.38 seconds",
                Kind::Dns,
                None,
                None,
            ),
            (
                "it responded with **Host 0c0b3a59.7f000001.rbndr.lan not found: 3(NXDOMAIN)**",
                Kind::Dns,
                Some("0c0b3a59.7f000001.rbndr.lan"),
                None,
            ),
            (
                "Host repo.lan not found. url=https://repo.lan/maven2/org/x/x-1.0.pom",
                Kind::Dns,
                Some("repo.lan"),
                Some(443),
            ),
            (
                "Unable to download data from http://gems.lan - no such name (http://api.gems.lan/specs.4.8.gz)",
                Kind::Dns,
                Some("api.gems.lan"),
                Some(80),
            ),
            (
                "wget: kann die Host-Adresse »mirror.lan« nicht auflösen",
                Kind::Dns,
                Some("mirror.lan"),
                None,
            ),
            // Kinds: the Python Cassandra driver's reasons, c-ares, check_nrpe, CFNetwork.
            (
                "Connection error: ('Unable to connect to any servers', {'10.0.0.1': OperationTimedOut('errors=Timed out creating connection, last_host=None',)})",
                Kind::Timeout,
                Some("10.0.0.1"),
                None,
            ),
            (
                "nothere.lan: Timeout while contacting DNS servers",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "CHECK_NRPE STATE CRITICAL: Socket timeout after 10 seconds.",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Task <B60E>.<1> HTTP load failed (error code: -1004 [1:61])",
                Kind::Refused,
                None,
                None,
            ),
            (
                "Error: Handshake failed. The TLS connection was non-properly terminated.",
                Kind::Tls,
                None,
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn addresses_glued_resolved_and_traced_are_read() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // An IP glued after `@` or `#`; Java's `name/ip:port` for a one-word name.
            (
                "[E111]Fail to connect SocketId=2@10.0.8.2:8501: Connection refused",
                Kind::Refused,
                Some("10.0.8.2"),
                Some(8501),
            ),
            (
                "kafka:9092/bootstrap: Connect to ipv4#172.19.0.10:9092 failed: Connection refused",
                Kind::Refused,
                Some("172.19.0.10"),
                Some(9092),
            ),
            (
                "RemotingTimeoutException: wait response on the channel <nameserver/127.0.0.1:9876> timeout, 4998(ms)",
                Kind::Timeout,
                Some("nameserver"),
                Some(9876),
            ),
            // .NET's DnsEndPoint and the MongoDB driver's selection timeout and its cause.
            (
                "A timeout occured after 30000ms selecting a server. Servers : [{ EndPoint: \"Unspecified/mongo1:27017\", State: \"Disconnected\", HeartbeatException: \"MongoConnectionException: ---> ExtendedSocketException (00000001, 11): Resource temporarily unavailable at System.Net.Dns.InternalGetHostByName(String hostName)",
                Kind::Dns,
                Some("mongo1"),
                Some(27017),
            ),
            (
                "A timeout occured after 30000ms selecting a server. Servers : [{ EndPoint: \"127.0.0.1:27017\", State: \"Disconnected\", Type: \"Unknown\" }] }.",
                Kind::Timeout,
                Some("127.0.0.1"),
                Some(27017),
            ),
            // strace's socket address; Python's connect with the host in a variable.
            (
                "connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(8080),
            ),
            (
                "    ssl_sock.connect((ip, 443))\nssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1123)",
                Kind::Tls,
                None,
                Some(443),
            ),
            // The peer a connection was made to before its TLS failure.
            (
                "08:49:09 TCP connection established with [AF_INET]10.0.4.7:1194\n08:49:09 TLS_ERROR: BIO read tls_read_plaintext error: error:14090086:SSL routines:SSL3_GET_SERVER_CERTIFICATE:certificate verify failed",
                Kind::Tls,
                Some("10.0.4.7"),
                Some(1194),
            ),
            // The IPv4 attempt leads when the IPv6 one failed only for want of IPv6 here.
            (
                "Connecting to mirror.lan (mirror.lan)|10.0.0.20|:80... failed: Connection refused.\nConnecting to mirror.lan (mirror.lan)|2001:db8::b|:80... failed: Cannot assign requested address.\nRetrying.",
                Kind::Refused,
                Some("mirror.lan"),
                Some(80),
            ),
            (
                "psycopg2.OperationalError: connection to server at \"localhost\" (127.0.0.1), port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\nconnection to server at \"localhost\" (::1), port 5432 failed: Cannot assign requested address",
                Kind::Refused,
                Some("localhost"),
                Some(5432),
            ),
            // Shells without /dev/tcp, mosh, libssh2, StackExchange.Redis, WebSockets.
            (
                "zsh: no such file or directory: /dev/tcp/10.0.0.8/1337",
                Kind::Other,
                Some("10.0.0.8"),
                Some(1337),
            ),
            (
                "Connection to 10.0.0.21 closed.\n/usr/local/bin/mosh: Did not find mosh server startup message.",
                Kind::Other,
                Some("10.0.0.21"),
                None,
            ),
            (
                "StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s). SocketClosed on PING.",
                Kind::Reset,
                None,
                None,
            ),
            (
                "WebSocket connection to 'ws://localhost:1590/hmr' failed: Connection closed before receiving a handshake response",
                Kind::Reset,
                Some("localhost"),
                Some(1590),
            ),
            (
                "OSError: Multiple exceptions: [Errno 111] Connect call failed ('127.0.0.1', 3306), [Errno 99] Cannot assign requested address",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(3306),
            ),
            (
                "Connecting to 10.0.0.5:9000.\nCode: 102. DB::NetException: Unexpected packet from server 10.0.0.5:9000 (expected Hello or Exception, got Unknown packet)",
                Kind::Other,
                Some("10.0.0.5"),
                Some(9000),
            ),
            // Chrome's pages in German (glued to the heading), Japanese, Chinese, English.
            (
                "Die Website ist nicht erreichbar192.168.200.28:8080 hat die Verbindung abgelehnt.\nERR_CONNECTION_REFUSED",
                Kind::Refused,
                Some("192.168.200.28"),
                Some(8080),
            ),
            (
                "このサイトにアクセスできません shop.lan からの応答時間が長すぎます。\nERR_CONNECTION_TIMED_OUT",
                Kind::Timeout,
                Some("shop.lan"),
                None,
            ),
            (
                "无法访问此网站\nr.shop.lan 意外终止了连接。",
                Kind::Reset,
                Some("r.shop.lan"),
                None,
            ),
            (
                "This website is unreachable\nThe shop.lan server refused the connection.\nError code: ERR_CONNECTION_REFUSED",
                Kind::Refused,
                Some("shop.lan"),
                None,
            ),
            // A Python dict's quoted keys; a contraction is no host; a referer is no target.
            (
                "mqtt': {'host': '192.168.29.60', 'port': 1883, 'topic': 'x'}}\nERROR:root:[Errno 111] Connection refused",
                Kind::Refused,
                Some("192.168.29.60"),
                Some(1883),
            ),
            (
                "| default | No | | ldap_bind(): Unable to bind to server: Can't contact LDAP server. Error Code: [-1] |",
                Kind::Other,
                None,
                None,
            ),
            // A level word cut at the 48th character or inside a URL's path is no level.
            (
                "$ lein repl :connect http://localhost:5000/debugging/repl\nConnectException Connection refused",
                Kind::Refused,
                Some("localhost"),
                Some(5000),
            ),
            // Haskell's tls handshake failure; Emacs' GnuTLS.
            (
                "responseTimeout = ResponseTimeoutDefault } (InternalException (HandshakeFailed (Error_Protocol (\"certificate rejected\",True,CertificateUnknown))))",
                Kind::Tls,
                None,
                None,
            ),
            (
                "gnutls.c: 0 fatal error: The TLS connection was non-properly terminated.",
                Kind::Tls,
                None,
                None,
            ),
            // A host the reporter hid still leaves ssh's port.
            (
                "kex_exchange_identification: Connection closed by remote host\nConnection closed by <ip> port 22",
                Kind::Reset,
                None,
                Some(22),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_thirteen_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // ping's target is in its header; a router's reply names only the router.
            (
                "PING db.lan (10.0.0.5): 56 data bytes\nRequest timeout for icmp_seq 0\n36 bytes from gw.lan (10.0.0.1): Destination Net Unreachable",
                Kind::Unreachable,
                Some("db.lan"),
                None,
            ),
            // git's own transport: the host on its own line, then each address tried.
            (
                "fatal: unable to connect to git.shop.lan:\ngit.shop.lan: Name or service not known",
                Kind::Dns,
                Some("git.shop.lan"),
                None,
            ),
            (
                "$ git clone git://git.shop.lan/tools.git\nfatal: unable to connect to git.shop.lan:\ngit.shop.lan[0: 10.0.0.7]: errno=Connection refused\ngit.shop.lan[1: fd00::7]: errno=Network is unreachable",
                Kind::Refused,
                Some("git.shop.lan"),
                Some(9418),
            ),
            // httpc's failed_connect with an errno that is no kind of its own.
            (
                "{:failed_connect, [{:to_address, {'repo.lan', 443}}, {:inet, [:inet], :eprototype}]}",
                Kind::Other,
                Some("repo.lan"),
                Some(443),
            ),
            // The JDK on Windows: the system's words first, the name in brackets.
            (
                "java.net.UnknownHostException: 不知道这样的主机。 (repo.lan)",
                Kind::Dns,
                Some("repo.lan"),
                None,
            ),
            (
                "Ping 请求找不到主机 db.lan。请检查该名称，然后重试。",
                Kind::Dns,
                Some("db.lan"),
                None,
            ),
            // Ruby's `:host =>` settings under the error; an attempt logged at INFO.
            (
                "OpenSSL Error[0]: error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca\n\nMy params:\ndata = {\n      :host => \"mq.lan\",\n      :port => 8883,\n}",
                Kind::Tls,
                Some("mq.lan"),
                Some(8883),
            ),
            (
                "[INFO] [DEMO] [demo.c:446] Establishing a TLS session to mq.lan:8883.\n[ERROR] [Transport] [openssl_posix.c:586] SSL_connect failed to perform TLS handshake.",
                Kind::Tls,
                Some("mq.lan"),
                Some(8883),
            ),
            // A quoted port flag; a Go lookup of a name with a port glued to it.
            (
                "check_http.pl --hostname=web.lan --proto='https' --port='8443'\nCRITICAL: 500 Can't connect to web.lan (connect: Interrupted system call)",
                Kind::Other,
                Some("web.lan"),
                Some(8443),
            ),
            (
                "E! [agent] Failed to connect to [outputs.syslog], retrying in 15s, error was \"dial tcp4: lookup logs.lan:9999 on 127.0.0.53:53: no such host\"",
                Kind::Dns,
                Some("logs.lan"),
                Some(9999),
            ),
            // busybox's nslookup writes the server's port after a colon.
            (
                "Server:         10.96.0.10\nAddress:        10.96.0.10:53\n\n** server can't find svc.lan: NXDOMAIN\n\n*** Can't find svc.lan: No answer",
                Kind::Dns,
                Some("10.96.0.10"),
                Some(53),
            ),
            // The port flag of the command that ran, when its host is hidden.
            (
                "root@box:~# iperf3 -c **.2.xxx.181 -p 5100 --udp\niperf3: error - unable to send control message: Bad file descriptor",
                Kind::Other,
                None,
                Some(5100),
            ),
            // An address pair in brackets, unquoted.
            (
                "DEBUG: socket_connect() failed(chat.lan,2243).Reason: connection refused",
                Kind::Refused,
                Some("chat.lan"),
                Some(2243),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn programs_of_round_thirteen_name_their_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Db2's SQL30081N: the socket call that failed gives the kind.
            (
                "SQL30081N  A communication error has been \ndetected. Communication protocol being used: \"TCP/IP\".  Location where the error was detected: \"10.0.0.44\".  \nCommunication function detecting the error: \"recv\".  Protocol specific error \ncode(s): \"*\", \"*\", \"0\".  SQLSTATE=08001",
                Kind::Reset,
                Some("10.0.0.44"),
                None,
            ),
            (
                "Fatal NI connect error 12170.\n  Tns error struct:\n    ns main err code: 12535\nTNS-12535: TNS: Operation timeout",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Connection: Connection error: The remote host closed the connection",
                Kind::Reset,
                None,
                None,
            ),
            (
                "ERROR: cannot verify shop.lan's certificate, issued by 'CN=Shop CA':\n  Unable to locally verify the issuer's authority.",
                Kind::Tls,
                Some("shop.lan"),
                None,
            ),
            (
                "Connecting to 10.0.0.9:443\nRedirected to /release/x.ipk on cdn.lan\nSSL error: SSL - Bad input parameters to function\nConnection error: Connection failed",
                Kind::Tls,
                Some("cdn.lan"),
                Some(443),
            ),
            (
                "Error: Failed retrieving file 'core.db' from localhost:15678 : Empty response from server",
                Kind::Reset,
                Some("localhost"),
                Some(15678),
            ),
            (
                "[https://cdn.shop.lan/license.txt](许可证页面)显示已重置连接",
                Kind::Reset,
                Some("cdn.shop.lan"),
                Some(443),
            ),
            ("端口 22：连接超时", Kind::Timeout, None, Some(22)),
            (
                "Loading: *\nARP Retry count exceeded; starting again",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "ERROR: failed to connect to wolfSSL, return value = -188",
                Kind::Tls,
                None,
                None,
            ),
            // busybox's older nslookup: the server it asked, on port 53.
            (
                "# nslookup web\nServer:    10.0.0.53\nAddress 1: 10.0.0.53 kube-dns.lan\n\nnslookup: can't resolve 'web'",
                Kind::Dns,
                Some("10.0.0.53"),
                Some(53),
            ),
            (
                "level=info msg=\"Error scraping target\" err=\"error getting target 10.0.0.240: context canceled\"",
                Kind::Other,
                Some("10.0.0.240"),
                None,
            ),
            // libmongoc's bracket says what failed, whatever the exception's name.
            (
                "MongoDB\\Driver\\Exception\\ConnectionTimeoutException (13053)\nNo suitable servers found (`serverSelectionTryOnce` set): [TLS handshake failed: error:1408F10B:SSL routines:ssl3_get_record:wrong version number calling ismaster on 'db.lan:27017']",
                Kind::Tls,
                Some("db.lan"),
                Some(27017),
            ),
            // A lookup cancelled because the dial before it timed out.
            (
                "failed to dial to (ws://ws.lan:60021/):  > dial tcp 10.0.0.6:60021: i/o timeout > dial tcp: lookup ws.lan: operation was canceled",
                Kind::Timeout,
                Some("10.0.0.6"),
                Some(60021),
            ),
            (
                "rsync -av /data/x user@10.0.0.74:/backup/x\nrsync: writefd_unbuffered failed to write 4 bytes to socket [sender]: Broken pipe (32)",
                Kind::Reset,
                Some("10.0.0.74"),
                None,
            ),
            (
                "Start syncing project to deploy@web.shop.lan:~/site\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]",
                Kind::Reset,
                Some("web.shop.lan"),
                None,
            ),
            // proxychains names the proxy that did not answer or refused.
            (
                "[proxychains] Strict chain  ...  127.0.0.1:9050  ...  timeout\nfatal: unable to access 'https://git.lan/x.git/': Couldn't connect to server",
                Kind::Timeout,
                Some("127.0.0.1"),
                Some(9050),
            ),
            (
                "[proxychains] Strict chain  ...  127.0.0.1:9050  ...  127.0.0.1:9050 <--denied",
                Kind::Other,
                Some("127.0.0.1"),
                Some(9050),
            ),
            // No answer names no cause: three labels of four read it as `other` (round 23).
            (
                "mosh: Nothing received from UDP port 60001",
                Kind::Other,
                None,
                Some(60001),
            ),
            (
                "OpamSolution.Fetch_fail(\"http://dl.lan/x.tar.gz (Curl failed: \\\"/usr/bin/curl -L -o x.part -- http://dl.lan/x.tar.gz\\\" exited with code 6)\")",
                Kind::Dns,
                Some("dl.lan"),
                Some(80),
            ),
            (
                "Failed to fetch record for phoenix from registry (using cache instead)\n:timeout",
                Kind::Timeout,
                None,
                None,
            ),
            // The local end of a DNS query is no port of the target.
            (
                "dial tcp: lookup proxy.lan on xxx.xxx.xx.x:xx: read udp xxx.xxx.xx.xxx:39967->xxx.xx.xx.xx.:xx: i/o timeout",
                Kind::Dns,
                Some("proxy.lan"),
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_fourteen_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A one-word name the words call a host, ended by a colon.
            (
                "sudo: unable to resolve host node2: Resource temporarily unavailable",
                Kind::Dns,
                Some("node2"),
                None,
            ),
            (
                "cannot resolve remote server hostname proxy.lan: No such host is known",
                Kind::Dns,
                Some("proxy.lan"),
                None,
            ),
            // A shrunk Android build's stack frame is no host; a call's result is no host.
            (
                "Caused by java.net.NoRouteToHostException: No route to host\n       at a.b.c(SourceFile:223)",
                Kind::Unreachable,
                None,
                None,
            ),
            (
                "    server = smtplib.SMTP(smtp_server, 25)\nsocket.gaierror: [Errno 11004] getaddrinfo failed",
                Kind::Dns,
                None,
                None,
            ),
            // When no DNS server answered, the server is the target, not the name asked.
            (
                "C:\\>nslookup db.lan\nサーバー:  dns.lan\nAddress:  10.0.0.53\n\nDNS request timed out.\n    timeout was 2 seconds.",
                Kind::Timeout,
                Some("10.0.0.53"),
                Some(53),
            ),
            (
                "nslookup db.lan >> connection timed out; no servers could be reached",
                Kind::Timeout,
                None,
                Some(53),
            ),
            // The command line names its port by flag; `/ip(port N)`; `<local IP>:port`.
            (
                "sshfs -p 1234 user@10.0.0.31:/storage ~/mnt/\n       read: Connection reset by peer",
                Kind::Reset,
                Some("10.0.0.31"),
                Some(1234),
            ),
            (
                "java.net.SocketTimeoutException: failed to connect to /10.0.0.7(port 19000) after 10000ms",
                Kind::Timeout,
                Some("10.0.0.7"),
                Some(19000),
            ),
            (
                "Unable to connect to the server: dial tcp <local IP>:16443: connect: no route to host",
                Kind::Unreachable,
                None,
                Some(16443),
            ),
            // An interactive client's prompt, and a login glued to the address it names.
            (
                "SQL> connect sys/[redacted]@10.0.0.68:10622/orcl\nERROR:\nORA-12543: TNS:destination host unreachable",
                Kind::Unreachable,
                Some("10.0.0.68"),
                Some(10622),
            ),
            // PowerShell's fetchers put http:// before a bare name.
            (
                "PS C:\\> iwr -useb get.shop.lan | iex\niwr : Unable to connect to the remote server",
                Kind::Other,
                Some("get.shop.lan"),
                Some(80),
            ),
            // A name given with the port of an address the error hid; a quoted address
            // handed to a call; the name handed to getaddrinfo.
            (
                "  - Failed to connect to broker kafka:9092: dial tcp 10.0.x.x:9092: i/o timeout",
                Kind::Timeout,
                Some("kafka"),
                Some(9092),
            ),
            (
                ":call sockconnect('tcp', '127.0.0.1:10043')\nconnection failed: connection refused",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(10043),
            ),
            (
                "getaddrinfo(whois.shop.lan): Temporary failure in name resolution",
                Kind::Dns,
                Some("whois.shop.lan"),
                None,
            ),
            // A URL whose host is a variable still gives its scheme's port.
            (
                "Get \"https://$site\": remote error: tls: handshake failure",
                Kind::Tls,
                None,
                Some(443),
            ),
            (
                "VERBOSE: Establishing proxy connection to http://<ReportServerName>/rs.asmx...\nException calling \"ListChildren\" with \"2\" argument(s): \"Unable to connect to the remote server\"",
                Kind::Other,
                None,
                Some(80),
            ),
            // curl run inside a container from an image named curl.
            (
                "➜  ~ sudo nerdctl run --rm -it curlimages/curl curl web.shop.lan\ncurl: (6) Could not resolve host: web.shop.lan",
                Kind::Dns,
                Some("web.shop.lan"),
                Some(80),
            ),
            // Squid's access log: the origin it could not fetch.
            (
                "1497854565.761      3 10.0.0.51 TCP_MISS/503 4277 GET https://10.0.0.46/sse - HIER_DIRECT/10.0.0.46 text/html",
                Kind::Other,
                Some("10.0.0.46"),
                Some(443),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_fifteen_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // An unbracketed IPv6 address is whole: its first group is no name with a port.
            (
                "opensock: could not connect to  fd8d:6500:24fc:f300::1 Connection refused",
                Kind::Refused,
                Some("fd8d:6500:24fc:f300::1"),
                None,
            ),
            // `host:127.0.0.1`: a field name before the address, whose first octet is no port.
            (
                "Socket fail to connect to host:127.0.0.1, port:3306. Operation timed out (Connection timed out)",
                Kind::Timeout,
                Some("127.0.0.1"),
                Some(3306),
            ),
            // A sentence saying ssh was used: ssh's port.
            (
                "I can't SSH to 10.0.0.2 using Putty. I get a 'Software caused connection abort' message.",
                Kind::Reset,
                Some("10.0.0.2"),
                Some(22),
            ),
            // mbedTLS's sample client writes `tcp/host/port`.
            (
                "  . Connecting to tcp/broker.lan/8883...\nConnection refused",
                Kind::Refused,
                Some("broker.lan"),
                Some(8883),
            ),
            // A Windows share names its server, and no port.
            (
                "##[error]Failed to connect to the path \\\\files.lan with the user corp\\ci for copying.\n##[error]System error 53 has occurred.",
                Kind::Other,
                Some("files.lan"),
                None,
            ),
            // An NFS export handed to mount, in the command shown under the error.
            (
                "mount.nfs: Connection timed out\n\nThe following SSH command responded with a non-zero exit status.\n\nset -e\nmkdir -p /var/www\nmount -o vers=3,udp 10.0.0.5:/srv/www /var/www",
                Kind::Timeout,
                Some("10.0.0.5"),
                None,
            ),
            // A MAC address is no host and port.
            (
                "Received configuration request from cc:40:d0:8b:0c:6a.\nTimeout while waiting for TFTP_UL_REQ.",
                Kind::Timeout,
                None,
                None,
            ),
            // An address no machine can have was changed by the reporter: its port stays.
            (
                "Dial Error: dial tcp 521.115.111.111:7171: connect: connection refused",
                Kind::Refused,
                None,
                Some(7171),
            ),
            // A name blotted out with dots is none; its scheme's port stays.
            (
                "WebViewActivity: [onReceivedError] url=https://.....com/view/x, errorCode=-6, description=net::ERR_CONNECTION_RESET",
                Kind::Reset,
                None,
                Some(443),
            ),
            // A label saying the name was changed.
            (
                "Host key for ec1.sanitized.host.lan has changed and you have requested strict checking.\nHost key verification failed.",
                Kind::Other,
                None,
                None,
            ),
            // Safari's and Chrome's (Chinese) sentences name the host.
            (
                "Safari can't find the server for shop.lan",
                Kind::Dns,
                Some("shop.lan"),
                None,
            ),
            (
                "web.shop.lan 的响应时间过长。\nERR_CONNECTION_TIMED_OUT",
                Kind::Timeout,
                Some("web.shop.lan"),
                None,
            ),
            // A quoted name being resolved.
            (
                "Error: Error resolving \"dl.shop.lan\": Temporary failure in name resolution",
                Kind::Dns,
                Some("dl.shop.lan"),
                None,
            ),
            // A bare `Timed out` speaks of the address on the line before it.
            (
                "Exception in run Demand 10.0.0.7\nTimed out",
                Kind::Timeout,
                Some("10.0.0.7"),
                None,
            ),
            // `oras://` is HTTPS to a registry.
            (
                "FATAL: While pulling oras://registry.lan/lab/img:v2: connection refused",
                Kind::Refused,
                Some("registry.lan"),
                Some(443),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn programs_of_round_fifteen_name_their_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Android's connect timeout, passed on without its exception's name.
            (
                "root_cause: failed to connect to ip (port 3000) from ip (port 49838) after 10000ms",
                Kind::Timeout,
                None,
                Some(3000),
            ),
            // curl's exit code in a program's own words.
            (
                "Failed to connect to controller during registration: curl exit code 6",
                Kind::Dns,
                None,
                None,
            ),
            (
                "ftpdump: cURL reported error 28 (see the libcurl error list).",
                Kind::Timeout,
                None,
                None,
            ),
            // GnuTLS's handshake without the call's parentheses.
            (
                "cockpit-tls: gnutls_handshake failed: The TLS connection was non-properly terminated.",
                Kind::Tls,
                None,
                None,
            ),
            // libuv's Windows errno, under a library's own code.
            (
                "address: \"10.0.0.5\"\ncode: \"ESOCKET\"\ncommand: \"CONN\"\nerrno: -4039\nport: 587\nsyscall: \"connect\"",
                Kind::Timeout,
                Some("10.0.0.5"),
                Some(587),
            ),
            // Old MSYS ssh.
            (
                "ssh:connect to host git.lan port 22:Bad file number\nfatal:Could not read from remote repository.",
                Kind::Other,
                Some("git.lan"),
                Some(22),
            ),
            // monit's protocol test.
            (
                "monit[1892]: 'lighttpd' failed protocol test [DEFAULT] at [localhost]:9292 [TCP/IP] -- No child processes",
                Kind::Other,
                Some("localhost"),
                Some(9292),
            ),
            // getaddrinfo's EAI_SERVICE and an NFS RPC failure say nothing of the peer.
            (
                "getaddrinfo(whois.lan): Servname not supported for ai_socktype",
                Kind::Other,
                Some("whois.lan"),
                None,
            ),
            (
                "mount.nfs: mount to NFS server 'nfs.lan:/export' failed: RPC Error: Unable to receive",
                Kind::Other,
                Some("nfs.lan"),
                None,
            ),
            // Network.framework's log keeps a Darwin errno (60, ETIMEDOUT).
            (
                "Connection 1: failed to connect 1:60, reason -1",
                Kind::Timeout,
                None,
                None,
            ),
            // IBM MQ's reason codes, Eureka's own words.
            (
                "MQ call failed in CONNX: MQCC = MQCC_FAILED [2] MQRC = MQRC_HOST_NOT_AVAILABLE [2538]",
                Kind::Other,
                None,
                None,
            ),
            (
                "AMQ9204: Connection to host 'mq.lan(1414)' rejected. [1=JmqiException[CC=2;RC=2538;AMQ9205: The host name supplied is not valid. [3=mq.lan:1414,4=TCP]]]",
                Kind::Dns,
                Some("mq.lan"),
                Some(1414),
            ),
            (
                "com.netflix.discovery.shared.transport.TransportException: Cannot execute request on any known server",
                Kind::Other,
                None,
                None,
            ),
            // A timeout while connecting decides over a plain `can't connect`.
            (
                "Can't connect to ESPHome API for pump (10.0.0.20): Timeout while connecting to ('10.0.0.20', 6053)",
                Kind::Timeout,
                Some("10.0.0.20"),
                Some(6053),
            ),
            // JSSE's `Connection reset` under an SSL exception is a reset.
            (
                "WARNING: Download from https://mirror.lan/x.zip failed: class javax.net.ssl.SSLProtocolException Connection reset",
                Kind::Reset,
                Some("mirror.lan"),
                Some(443),
            ),
            // `Host x not found`.
            (
                "Fehlermeldung im Web-Browser: Host x.x.x.x not found",
                Kind::Dns,
                None,
                None,
            ),
            // React Native's fetch, curl's codes written by other programs, WinSock's
            // lookup codes, libssh2's banner, PowerShellGet, ipmitool and Go's own close.
            (
                "Possible Unhandled Promise Rejection (id: 0): TypeError: Network Request failed",
                Kind::Other,
                None,
                None,
            ),
            (
                "Error: Login token - failure (curl error code: 28)",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "(6) could not resolve : dl.lan (could not contact DNS servers)",
                Kind::Dns,
                Some("dl.lan"),
                None,
            ),
            (
                "`GetAddrInfoW`が`WSANO_RECOVERY`を返すため、名前解決できな模様。",
                Kind::Dns,
                None,
                None,
            ),
            (
                "libssh2_session_handshake failed (-43): Failed getting banner",
                Kind::Other,
                None,
                None,
            ),
            (
                "WARNING: Unable to resolve package source 'https://gallery.lan/api/v2'.",
                Kind::Other,
                Some("gallery.lan"),
                Some(443),
            ),
            (
                "$ ipmitool -I lanplus -H bmc.lan -p 9001 -U admin chassis power status\nError: Unable to establish IPMI v2 / RMCP+ session",
                Kind::Other,
                Some("bmc.lan"),
                Some(9001),
            ),
            (
                "ERROR: write tcp 127.0.0.1:59778->127.0.0.1:8186: use of closed network connection",
                Kind::Other,
                Some("127.0.0.1"),
                Some(8186),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_sixteen_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // ssh could not open a forwarded channel: the forward's destination failed.
            (
                "$ ssh me@10.0.0.2 -p 5055 -L 8080:localhost:5000\nchannel 3: open failed: connect failed: Connection refused",
                Kind::Refused,
                Some("localhost"),
                Some(5000),
            ),
            // A listening netcat names its own port, not a target.
            (
                "I ran `nc -vlp 80` to listen, but it returns\n`nc: getnameinfo: Temporary failure in name resolution`",
                Kind::Dns,
                None,
                None,
            ),
            // Go's chain names two requests: the failure happened in the inner one.
            (
                "couldn't connect: Post https://api.lan/x: oauth2: cannot fetch token: Post https://auth.lan/token: dial tcp: i/o timeout",
                Kind::Timeout,
                Some("auth.lan"),
                Some(443),
            ),
            // Two attempts side by side: the first failed first.
            (
                "ping https: Get \"https://reg.lan/v2/\": context deadline exceeded ping http: Get \"http://reg.lan/v2/\": context deadline exceeded",
                Kind::Timeout,
                Some("reg.lan"),
                Some(443),
            ),
            // rsyslog's pointer to its page for the error is no target.
            (
                "gnutls returned error on handshake: An unexpected TLS packet was received. [v8.2310.0 try https://www.rsyslog.com/e/2083 ]",
                Kind::Tls,
                None,
                None,
            ),
            // A logger's name and PHP's manual link in brackets are no hosts.
            (
                "[pika.connection] ERROR: Connection closed while authenticating indicating a probable authentication error",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Warning: fsockopen() [function.fsockopen]: unable to connect to :0 (Failed to parse address \"\") in /x.php on line 371",
                Kind::Other,
                None,
                None,
            ),
            // Port 0 is unset, but the host is still the one asked for.
            (
                "akka.stream.StreamTcpException: Tcp command [Connect(www.shop.lan:0,None,List(),Some(10 seconds),true)] failed",
                Kind::Other,
                Some("www.shop.lan"),
                None,
            ),
            // A host blotted out with stars still leaves its port.
            (
                "{ [Error: connect EACCES ***.**.**.***:25]\n  code: 'EACCES',\n  port: 25 }",
                Kind::Other,
                None,
                Some(25),
            ),
            // urllib3's connection class gives the scheme.
            (
                "after connection broken by 'ConnectTimeoutError(<pip._vendor.urllib3.connection.VerifiedHTTPSConnection object at 0x7f2>, 'Connection to pypi.lan timed out. (connect timeout=15)')': /simple/x/",
                Kind::Timeout,
                Some("pypi.lan"),
                Some(443),
            ),
            // "connect to X: Reason" names X; a repository's short form is no host.
            (
                "repository: 'github://ObjectProfile/Roassal3';\nproduces the error: `LGit_GIT_ERROR: Failed to connect to github.com: Interrupted system call`",
                Kind::Other,
                Some("github.com"),
                None,
            ),
            // WeeChat writes host/port.
            (
                " -- irc: connecting to server irc.chat.lan/6697 (TLS)...\n -- gnutls: the hostname in the certificate does NOT match \"irc.chat.lan\"\n -- irc: TLS handshake failed",
                Kind::Tls,
                Some("irc.chat.lan"),
                Some(6697),
            ),
            // busybox wget's name with a bracketed IPv6 address and its port.
            (
                "Connecting to deb.mirror.lan ([2001:db8:1:c::15]:80)\nwget: can't connect to remote host: Network is unreachable",
                Kind::Unreachable,
                Some("deb.mirror.lan"),
                Some(80),
            ),
            // A format string's URL names no place.
            (
                "    self.ws.connect(\"ws://{}:{}\".format(self.host, self.port))\nConnectionRefusedError: [Errno 111] Connection refused",
                Kind::Refused,
                None,
                None,
            ),
            // A login with a port.
            (
                "\"exceptionMessage\": \"Connect failed: guest@mq.lan:5672/orders\",",
                Kind::Other,
                Some("mq.lan"),
                Some(5672),
            ),
            // Node's lookup error without a name: the next line's first word is none.
            (
                "npm ERR! network getaddrinfo ENOTFOUND\nnpm ERR! network This is most likely not a problem with npm itself",
                Kind::Dns,
                None,
                None,
            ),
            // A shell trace's quoted quotes.
            (
                "+ output='ERROR: HTTPSConnectionPool(host='\\''oauth.lan'\\'', port=443): Max retries exceeded with url: /token (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve '\\''oauth.lan'\\'' ([Errno -3] Try again)\"))",
                Kind::Dns,
                Some("oauth.lan"),
                Some(443),
            ),
            // Julia's DNSError names the host first.
            (
                "DNSError: db.lan, unknown node or service (EAI_NONAME)",
                Kind::Dns,
                Some("db.lan"),
                None,
            ),
            // Zig's error name is no host.
            (
                "error: unable to connect to server: TlsInitializationFailed",
                Kind::Tls,
                None,
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn programs_of_round_sixteen_name_their_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // The errno MySQL's client adds to a lost connection decides.
            (
                "Lost connection to MySQL server at 'waiting for initial communication packet', system error: 110",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Lost connection to MySQL server at 'reading initial communication packet', system error: 111(2013)",
                Kind::Refused,
                None,
                None,
            ),
            // mosh's own lookup failure, before ssh's closed connection.
            (
                "$ mosh me@nohost.lan\n/usr/local/bin/mosh: Could not resolve hostname nohost.lan\nssh_exchange_identification: Connection closed by remote host\n/usr/local/bin/mosh: Did not find remote IP address (is SSH ProxyCommand disabled?).",
                Kind::Dns,
                Some("nohost.lan"),
                None,
            ),
            // A Go dial that failed in the system's own language.
            (
                "dial tcp 10.0.0.9:0: connectex: Die angeforderte Adresse ist in diesem Kontext ungültig.",
                Kind::Other,
                Some("10.0.0.9"),
                None,
            ),
            (
                "v2 ping attempt failed with error: Get https://reg.lan:5000/v2/: dial tcp: no suitable address found",
                Kind::Other,
                Some("reg.lan"),
                Some(5000),
            ),
            (
                "Failed to connect to NATS server due to error - EOF",
                Kind::Reset,
                None,
                None,
            ),
            (
                "No connection is available to service this operation: GET k; SocketClosed on cache.lan:6380/Interactive, origin: ProcessReadBytes",
                Kind::Reset,
                Some("cache.lan"),
                Some(6380),
            ),
            (
                "upload failed: a.json to s3://bucket/a.json ('Connection aborted.', OSError(64, 'Host is down'))",
                Kind::Unreachable,
                None,
                None,
            ),
            (
                "common.c:611:getpeername:107:Transport endpoint is not connected",
                Kind::Other,
                None,
                None,
            ),
            (
                "TLS server: In state wait_cert at ssl_handshake.erl:2074 generated SERVER ALERT: Fatal - Unknown CA",
                Kind::Tls,
                None,
                None,
            ),
            (
                "00410000:error:10080002:BIO routines:BIO_lookup_ex:system lib:crypto\\bio\\bio_addr.c:738:The specified class was not found.\nconnect:errno=10109",
                Kind::Dns,
                None,
                None,
            ),
            ("Session operation has timed out", Kind::Timeout, None, None),
            (
                "ServiceUnavailable: Failed to establish connection in 30000ms",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "login to server failed: dial tcp XX.XX.XX.XX connection failed because connected host has failed to respond",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Connection to remote host was lost.",
                Kind::Reset,
                None,
                None,
            ),
            (
                "A connect request was made on an already connected socket. at C:/perl/lib/LWP/Protocol/http.pm line 49.",
                Kind::Other,
                None,
                None,
            ),
            (
                "Error: unexpected server response (400)",
                Kind::Other,
                None,
                None,
            ),
            (
                "ERROR: The certificate is not trusted.\n\nFailed to connect: Certificate error",
                Kind::Tls,
                None,
                None,
            ),
            (
                "Caused by: java.security.cert.CertificateException: Chain validation failed",
                Kind::Tls,
                None,
                None,
            ),
            (
                "Fehler beim Abholen von http://www.news.lan/feed.rss: Failure when receiving data from the peer",
                Kind::Reset,
                Some("www.news.lan"),
                Some(80),
            ),
            (
                "netmiko.ssh_exception.NetmikoTimeoutException: TCP connection to device failed.",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "GitError(Code:ERROR, Class:OS, failed to send request: Le délai imparti à l’opération est dépassé",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "No se pudo descargar el feed RSS: 'https://feeds.lan/?page=rss', razón: No se encontró el nombre del host remoto",
                Kind::Dns,
                Some("feeds.lan"),
                Some(443),
            ),
            (
                "Ошибка при установлении защищённого соединения",
                Kind::Tls,
                None,
                None,
            ),
            (
                "org.firebirdsql.jdbc.FBSQLException: GDS Exception. 335544721. Unable to complete network request to host \"\".",
                Kind::Other,
                None,
                None,
            ),
            ("Error: xhr poll error", Kind::Other, None, None),
            (
                "wget Read error at byte  ((null)). Retrying.",
                Kind::Other,
                None,
                None,
            ),
            (
                "连接服务器失败是为什么啊，错误代码602",
                Kind::Other,
                None,
                None,
            ),
            (
                "parent 1000 http proxy.lan 8000 login password\nHost Not Found or connection failed",
                Kind::Other,
                None,
                None,
            ),
            (
                "$ ab -c 100 -n 1000 http://localhost:3000/\nTest aborted after 10 failures\n\napr_socket_connect(): Invalid argument (22)",
                Kind::Other,
                Some("localhost"),
                Some(3000),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_seventeen_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A proxy that failed without its name leaves the place the program loaded.
            (
                "electron: Failed to load URL: https://shop.lan/ with error: ERR_TUNNEL_CONNECTION_FAILED",
                Kind::Other,
                Some("shop.lan"),
                Some(443),
            ),
            (
                "Error: ERRO_NO_SUPPORTED_PROXIES (-336) loading 'https://app.lan/x/#/home?job=1'",
                Kind::Other,
                Some("app.lan"),
                Some(443),
            ),
            // The hidden DNS server's port 53 is not the name's.
            (
                "Error: lookup web.docker.lan on xxx.xxx.xx.x:53: no such host",
                Kind::Dns,
                Some("web.docker.lan"),
                None,
            ),
            // A status page to check is advice; a plain "try" names the place.
            (
                "Error: registry service is unreachable, check https://status.lan/ for status updates",
                Kind::Other,
                None,
                None,
            ),
            (
                "When I try http://localhost:3000 I get ERR_CONNECTION_REFUSED",
                Kind::Refused,
                Some("localhost"),
                Some(3000),
            ),
            // JSON's escapes, an SQL instance in quotes.
            (
                "System.InvalidOperationException: Failed to connect to SQL instance \\u0027sqlwin1\\u0027. (SQLCOMMON0019)",
                Kind::Other,
                Some("sqlwin1"),
                None,
            ),
            // A host the reporter replaced by words in brackets keeps its port.
            (
                "Connection timed out during banner exchange\nConnection to [IP address] port 22 timed out",
                Kind::Timeout,
                None,
                Some(22),
            ),
            (
                "ValueError: Requesting acme.lan/directory: Connection refused",
                Kind::Refused,
                Some("acme.lan"),
                None,
            ),
            (
                "TLS error from 'mx.lan': Handshake failed: received fatal alert: HandshakeFailure",
                Kind::Tls,
                Some("mx.lan"),
                None,
            ),
            // A client address in an API server's request log is who asked.
            (
                "{\"level\":\"error\",\"msg\":\"SendMail: tls: first record does not look like a TLS handshake\",\"ip_addr\":\"10.71.1.104\"}",
                Kind::Tls,
                None,
                None,
            ),
            // A word in an Erlang list is no host.
            (
                "[info] ['TLS', 32, 'client', 58, 'hello', 32,'received SERVER ALERT: Fatal - Handshake Failure', 10]",
                Kind::Tls,
                None,
                None,
            ),
            // mosquitto's broker log gives the listener's port, not the client's address.
            (
                "New connection from 10.0.0.14:57707 on port 8883.\nOpenSSL Error[0]: error:0A00010B:SSL routines::wrong version number",
                Kind::Tls,
                None,
                Some(8883),
            ),
            // Java's name/address with the address hidden keeps the name.
            (
                "NoHostAvailableException: All host(s) tried for query failed (tried: /x.x.x.x:9042 (BusyPoolException: [/x.x.x.x:9042] Pool is busy), cass.lan/x.x.x.x:9042 (BusyPoolException: [cass.lan/x.x.x.x:9042] Pool is busy))",
                Kind::Other,
                Some("cass.lan"),
                Some(9042),
            ),
            (
                "$ sudo docker login -p [redacted] -u me registry.lan\nx509: certificate signed by unknown authority",
                Kind::Tls,
                Some("registry.lan"),
                None,
            ),
            // ssh2's handshake timeout with the host in its options: ssh's port.
            (
                "Error: Timed out while waiting for handshake\n\nvar opts = {\n  host: '10.0.2.59',\n  username: 'pi'\n}",
                Kind::Timeout,
                Some("10.0.2.59"),
                Some(22),
            ),
            // The forward's IPv6 destination; nc's listening port is no target.
            (
                "$ ssh -L127.0.0.1:8080:[fd00::5]:5432 jump.lan\nchannel 2: open failed: connect failed: Connection refused",
                Kind::Refused,
                Some("fd00::5"),
                Some(5432),
            ),
            (
                "$ nc -l 127.0.0.1 4444\nError: connection refused",
                Kind::Refused,
                None,
                None,
            ),
            // scp's remote path may start with digits.
            (
                "$ scp f me@box.lan:2024/notes.txt .\nssh: connect to host box.lan port 22: Connection refused",
                Kind::Refused,
                Some("box.lan"),
                Some(22),
            ),
        ];
        assert_reads(cases);
        // The proxy that failed is what to check, not the place behind it.
        let f = main_of(cases[0].0).expect("a finding");
        assert!(f.via_proxy);
        assert_eq!(f.check.as_deref(), Some("connfix check env:HTTPS_PROXY"));
    }

    #[test]
    fn programs_of_round_seventeen_name_their_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            (
                "ERROR: <urlopen error timed out>",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Could not retrieve configuration: <urlopen error [Errno 4] Non-recoverable failure in name resolution>",
                Kind::Dns,
                None,
                None,
            ),
            (
                "    raise Timeout()\nsnmp.manager.Timeout",
                Kind::Timeout,
                None,
                None,
            ),
            // A stack frame's parameter named timeout says nothing.
            (
                "System.Net.Sockets.SocketException: Unknown error -1\n   at Npgsql.NpgsqlConnector.Connect(NpgsqlTimeout timeout)",
                Kind::Other,
                None,
                None,
            ),
            (
                "Last error: connection(db.lan:27017[-121]) connection is closed",
                Kind::Reset,
                Some("db.lan"),
                Some(27017),
            ),
            (
                "java.net.ConnectException: connection denied",
                Kind::Refused,
                None,
                None,
            ),
            (
                "error sending request for url (): error trying to connect: connection closed via error",
                Kind::Reset,
                None,
                None,
            ),
            (
                "error sending request for url (): error trying to connect: record overflow",
                Kind::Tls,
                None,
                None,
            ),
            // An option's name is no failure.
            (
                "rsync -e ssh -o ConnectTimeout=10 me@box:/x .\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]",
                Kind::Reset,
                None,
                None,
            ),
            (
                "  [2000]  rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: EOF\"",
                Kind::Reset,
                None,
                None,
            ),
            (
                "dial tcp: lookup tcp/443/sub: getaddrinfow: The specified class was not found.",
                Kind::Dns,
                None,
                None,
            ),
            (
                "targets are down with \"CONTEXT DEADLINE EXCEEDED\".",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Connection error!Timeout (control socket)",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "- Response code: Non HTTP response code: javax.net.ssl.SSLException\n- Response message: Non HTTP response message: Connection reset",
                Kind::Reset,
                None,
                None,
            ),
            // mosh's own reason decides over ssh's closed connection after it.
            (
                "/usr/bin/mosh: Could not connect to 10.0.0.5: IO::Socket::INET: connect: No route to host\nssh_exchange_identification: Connection closed by remote host",
                Kind::Unreachable,
                Some("10.0.0.5"),
                None,
            ),
            (
                "/opt/homebrew/bin/mosh: could not get canonical name for my_server_name: nodename nor servname provided, or not known\nkex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535",
                Kind::Dns,
                None,
                None,
            ),
            ("{ Error: GatewayPathUnavailable", Kind::Other, None, None),
            // lftp's certificate refusals; the fingerprint after them is no IPv6 address.
            (
                "cd: Fatal error: Certificate verification: unable to get local issuer certificate (7E:DC:37:6D:CF:D4:5E:6D:DF............)",
                Kind::Tls,
                None,
                None,
            ),
            (
                "mirror: Errore fatale: Certificate verification: Not trusted",
                Kind::Tls,
                None,
                None,
            ),
            // A pronoun where a host goes names none; the address before it does.
            (
                "www.cpan.lan is on `2001:db8:2:4::2`. Trying to connect to port 80 on that address gives me\nUnable to connect to remote host: Permission denied",
                Kind::Other,
                Some("2001:db8:2:4::2"),
                Some(80),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn tools_of_round_eighteen_name_their_target() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // An IPv6 address whose middle was starred out hides the host, not the port.
            (
                "connect ENETUNREACH 2001:470:c:***::2:7073",
                Kind::Unreachable,
                None,
                Some(7073),
            ),
            // A URL a stack trace cut short inside the host names no host.
            (
                "Requests_Exception: cURL error 28: Operation timed out after 10000 milliseconds\n#1 Requests.php(379): Requests_Transport_cURL->request('https://api.lea...', Array)",
                Kind::Timeout,
                None,
                Some(443),
            ),
            // MySQL's refusal names the client, not the server.
            (
                "ERROR 1130 (HY000): Host '10.0.0.9' is not allowed to connect to this MySQL server",
                Kind::Other,
                None,
                None,
            ),
            (
                "Transport Error : Couldn't resolve hostname for \"contacts.chat.lan\"",
                Kind::Dns,
                Some("contacts.chat.lan"),
                None,
            ),
            // The URL opened before the error gives the name at the error its port.
            (
                "[DEBUG]: Sync open url 'https://files.lan/LICENSE.txt'\n[ERROR]: Connect to 'files.lan', error message 'certificate verify failed'",
                Kind::Tls,
                Some("files.lan"),
                Some(443),
            ),
            // A line that introduces the next as the place brings it near.
            (
                "{ [Error: self signed certificate in certificate chain] code: 'SELF_SIGNED_CERT_IN_CHAIN' }\n```\n\nThe URL in question:\n**https://visa.lan/esta/**",
                Kind::Tls,
                Some("visa.lan"),
                Some(443),
            ),
            // An XML namespace and a Markdown link behind prose are no places.
            (
                "Test-WSMan : <f:WSManFault xmlns:f=\"http://schemas.lan/wbem/wsman/1/wsmanfault\" Code=\"2150858770\"><f:Message>The client cannot connect to the destination specified in the request.",
                Kind::Other,
                None,
                None,
            ),
            (
                "in [this example repo I prepared](https://code.lan/me/req-issue) the request fails with a `ConnectionTimeout` error",
                Kind::Timeout,
                None,
                None,
            ),
            // A bracketed word where the address goes hid it; the port stays.
            (
                "2017/10/12 14:07:45 dail remote [IP]:7448 fail:dial tcp [IP]:7448: getsockopt: connection timed out",
                Kind::Timeout,
                None,
                Some(7448),
            ),
            // A User-Agent's product version is no address; Ruby's frames are no ports.
            (
                "D/Retrofit: User-Agent: App/1.1.0.3(beta) Dalvik/1.6.0\nD/Retrofit: ---- ERROR http://x.x.x.x/products/search\njava.net.SocketTimeoutException",
                Kind::Timeout,
                None,
                Some(80),
            ),
            (
                "<internal:prelude>:76:in `__read_nonblock': Connection reset by peer (Errno::ECONNRESET)",
                Kind::Reset,
                None,
                None,
            ),
            // What a step failed for, the name a resolver could not resolve, a URL that is
            // the subject of its error even with /docs/ in its path, and the URL downloaded.
            (
                "[ERROR:cert_verify_proc_nss.cc(979)] CERT_PKIXVerifyCert for shop.lan failed err=-8179\n[ERROR:ssl_client_socket_impl.cc(962)] handshake failed; returned -1",
                Kind::Tls,
                Some("shop.lan"),
                None,
            ),
            (
                "Error: net::ERR_CERT_AUTHORITY_INVALID\n[ERROR:cert_verify_proc_nss.cc(980)] CERT_PKIXVerifyCert for shop.lan failed err=-8179",
                Kind::Tls,
                Some("shop.lan"),
                None,
            ),
            (
                "Exception: [NameResolver.cc:60] errorCode=19 Failed to resolve the hostname tracker.lan, cause: Temporary failure in name resolution",
                Kind::Dns,
                Some("tracker.lan"),
                None,
            ),
            (
                "[error] https://repo.lan/x/0.8.2/docs/x-javadoc.jar: download error: Caught java.net.SocketException (Connection reset) while downloading https://repo.lan/x/0.8.2/docs/x-javadoc.jar",
                Kind::Reset,
                Some("repo.lan"),
                Some(443),
            ),
            (
                "[info] downloading http://repo.lan/maven2/scalaz-core.jar ...\n[warn]  [FAILED     ] org.scalaz#scalaz-core;7.0.2!scalaz-core.jar(bundle): Connection reset (63697ms)",
                Kind::Reset,
                Some("repo.lan"),
                Some(80),
            ),
            // Android's cleartext refusal names the host it would not send to.
            (
                "java.net.UnknownServiceException: CLEARTEXT communication to cdn.lan not permitted by network security policy",
                Kind::Other,
                Some("cdn.lan"),
                None,
            ),
            // A transport glued before a name (netdata), a Chrome code's page (Puppeteer),
            // PostgreSQL's question with spaces in "TCP / IP", HTTPie's command line.
            (
                "netdata ERROR : STREAM_SENDER[kong-1] : STREAM kong-1 [send to tcp:parent:19999]: error during read (-1). Restarting connection (errno 104, Connection reset by peer)",
                Kind::Reset,
                Some("parent"),
                Some(19999),
            ),
            (
                "pyppeteer.errors.PageError: net::ERR_TUNNEL_CONNECTION_FAILED at https://shop.lan/ip",
                Kind::Other,
                Some("shop.lan"),
                Some(443),
            ),
            (
                "#PG::Error could not connect to server: Connection refused\n    Is the server running on host \"localhost\" ( 127.0.0.1 ) and accepting\n    TCP / IP connections on port 5432 ?",
                Kind::Refused,
                Some("localhost"),
                Some(5432),
            ),
            (
                "$ http non.existent.lan\nhttp: error: gaierror: [Errno -2] Name or service not known",
                Kind::Dns,
                Some("non.existent.lan"),
                Some(80),
            ),
            // nginx's Host header and ping's -p are no target and no port.
            (
                "[error] 4733#0: *1 peer closed connection in SSL handshake, client: 10.0.0.8, server: localhost, request: \"POST /x HTTP/1.1\", host: \"10.0.0.31\"",
                Kind::Reset,
                None,
                None,
            ),
            (
                "nagios@srv:~$ /usr/lib/nagios/plugins/check_ping -H update.lan -w 5000,100% -c 5000,100% -p 1\nCRITICAL - Network Unreachable (update.lan)",
                Kind::Unreachable,
                Some("update.lan"),
                None,
            ),
            (
                "lxd init error: Unable to talk to LXD: Get http://unix.socket/1.0: read unix @->/var/lib/lxd/unix.socket: read: connection reset by peer",
                Kind::Reset,
                None,
                None,
            ),
            // proxychains 3.1's chain: the destination timed out through it.
            (
                "|S-chain|-<>-127.0.0.1:9050-<><>-10.0.0.5:80-<--timeout\ncurl: (7) Couldn't connect to server",
                Kind::Timeout,
                Some("10.0.0.5"),
                Some(80),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn programs_of_round_eighteen_name_their_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            (
                "Error connecting to AWS services, kCFURLErrorCannotFindHost = -1003",
                Kind::Dns,
                None,
                None,
            ),
            (
                "I sometimes get a FailedConnectionException running a series of requests",
                Kind::Other,
                None,
                None,
            ),
            (
                "Cannot establish ssl session with ilo.lan SSLV3_ALERT_HANDSHAKE_FAILURE",
                Kind::Tls,
                None,
                None,
            ),
            (
                "Error: Handshake failed: no matching host key format",
                Kind::Other,
                None,
                None,
            ),
            (
                "Can't connect to db: <ec=14, category=couchbase.common, message=unambiguous_timeout>",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Got a message \"connection failed to establish within 5000 milliseconds\" when I ran Mount",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Timeout detected. (control connection)\nConnection failed.",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "libssh2_session_handshake(..) method is failing with return value -5",
                Kind::Other,
                None,
                None,
            ),
            (
                "** (MatchError) no match of right hand side value: {:error, {:closed, \"\"}}",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Error: \"Serveur est introuvable: connexion impossible\"",
                Kind::Other,
                None,
                None,
            ),
            (
                "info There appears to be trouble with your network connection. Retrying...",
                Kind::Other,
                None,
                None,
            ),
            (
                "net::ERR_BAD_SSL_CLIENT_AUTH_CERT at https://XXXXXXXXXXXX.net",
                Kind::Tls,
                None,
                Some(443),
            ),
            (
                "System.Net.Sockets.SocketException: The requested name is valid, but no data of the requested type was found",
                Kind::Dns,
                None,
                None,
            ),
            (
                "Could not connect to localhost:5555 (timed out)",
                Kind::Timeout,
                Some("localhost"),
                Some(5555),
            ),
            (
                "Oct 29 16:28:40.932 - [DEBUG] 2404:6800:400b:d::13 fail:timeout('timed out',)",
                Kind::Timeout,
                Some("2404:6800:400b:d::13"),
                None,
            ),
            (
                "Failure when receiving data from the peer: Received HTTP code 407 from proxy after CONNECT",
                Kind::Other,
                None,
                None,
            ),
            (
                "haproxy[30088]: [WARNING] 049/161822 (30088) : Server plex-http/plex is DOWN, reason: Layer7 wrong status",
                Kind::Other,
                None,
                None,
            ),
            (
                "Exception in monitor thread while connecting to server 127.0.0.1:27017\ncom.mongodb.MongoSocketReadException: Prematurely reached end of stream",
                Kind::Reset,
                Some("127.0.0.1"),
                Some(27017),
            ),
        ];
        assert_reads(cases);
    }

    /// Round nineteen: forms and words from sealed38–39 (their first score is blind).
    #[test]
    fn forms_of_round_nineteen_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Erlang writes an address and port as terms.
            (
                "=INFO REPORT==== 21-Aug-2018::13:50:03 ===\nFailed to connect to {{172,18,0,2},17012}",
                Kind::Other,
                Some("172.18.0.2"),
                Some(17012),
            ),
            // The address Go could not split is the program's mistake; the URL is the place.
            (
                "Failed to download: Get https://mods.lan/files/1/download: dial tcp: address 2606:4700::6813:9284:443: too many colons in address",
                Kind::Other,
                Some("mods.lan"),
                Some(443),
            ),
            // A Winsock number after "error code is".
            (
                "Network Error: Socket connecting error, error code is 10065.",
                Kind::Unreachable,
                None,
                None,
            ),
            // proxychains' last hop failed to reach the address before the mark.
            (
                "[proxychains] Dynamic chain  ...  127.0.0.1:9050  ...  10.0.0.80:80 <--socket error or timeout!",
                Kind::Other,
                Some("10.0.0.80"),
                Some(80),
            ),
            (
                "DEBUG: Retrying <GET http://shop.lan> (failed 1 times): User timeout caused connection failure.",
                Kind::Timeout,
                Some("shop.lan"),
                Some(80),
            ),
            (
                "FailedConnectionException2 \"hackage.lan\" 443 True getAddrInfo: does not exist (error 11003)",
                Kind::Dns,
                Some("hackage.lan"),
                Some(443),
            ),
            (
                "error: RPC failed; curl 16 Error in the HTTP2 framing layer\nfatal: the remote end hung up unexpectedly",
                Kind::Other,
                None,
                None,
            ),
            (
                "Unable to make a secure connection to the server. This may be a problem with the server.",
                Kind::Tls,
                None,
                None,
            ),
            // tls since round 22: the handshake is what failed, as two labels of three read it.
            (
                "10.0.0.46:443 doesn't seem to be a TLS/SSL enabled server",
                Kind::Tls,
                Some("10.0.0.46"),
                Some(443),
            ),
            (
                "iex(22)> HTTPoison.get(\"https://api.lan\")\n{:error, %HTTPoison.Error{id: nil, reason: :checkout_failure}}",
                Kind::Other,
                Some("api.lan"),
                Some(443),
            ),
            (
                "Error: Cannot connect\n    at Socket.socket.setTimeout (/app/node_modules/telnet-client/lib/index.js:81:25)\n    at Socket._onTimeout (net.js:422:8)",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "  File \"/usr/lib/python3.7/ssl.py\", line 1139, in do_handshake\n    self._sslobj.do_handshake()\nOSError: [Errno 0] Error",
                Kind::Tls,
                None,
                None,
            ),
            (
                "RedownloadInvalidResponse Request {\n  host                 = \"raw.lan\"\n  port                 = 443\n  secure               = True",
                Kind::Other,
                Some("raw.lan"),
                Some(443),
            ),
            (
                "2017-04-26 21:40:34 ERROR net.schmizz.concurrent.Promise:175 - woke to: net.schmizz.sshj.connection.ConnectionException: Connection reset",
                Kind::Reset,
                None,
                None,
            ),
            (
                "2002:1:1:: error while sending ping: Network is unreachable",
                Kind::Unreachable,
                Some("2002:1:1::"),
                None,
            ),
            (
                "java.net.SocketTimeoutException: failed to connect to <mydomain>/10.0.0.55 (port 80) after 1000ms",
                Kind::Timeout,
                Some("10.0.0.55"),
                Some(80),
            ),
            (
                "Uncaught exception 'Swift_TransportException' with message 'Connection could not be established with host smtp.lan [Connection refused #111]'",
                Kind::Refused,
                Some("smtp.lan"),
                None,
            ),
            (
                "ERR Failed to create new quic connection error=\"failed to dial to edge with quic: timeout: no recent network activity\" ip=10.0.0.27",
                Kind::Timeout,
                Some("10.0.0.27"),
                None,
            ),
            (
                "irm : Запрос был прерван: Не удалось создать защищенный канал SSL/TLS.\n+ irm https://raw.lan/x.ps1",
                Kind::Tls,
                Some("raw.lan"),
                Some(443),
            ),
            (
                "由于连接方在一段时间后正确答复或者连接的主机没有响应，连接尝试失败。",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "error \"The remote host forced an existing connection to close\"",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Grpc.Core.RpcException: 'Status(StatusCode=Unavailable, Detail=\"Name resolution failure\")'",
                Kind::Dns,
                None,
                None,
            ),
            (
                "Error: Invalid provider registry host\nThe host \"registry.lan\" given in provider source address \"registry.lan/hashicorp/aws\" does not offer a Terraform provider registry.",
                Kind::Other,
                Some("registry.lan"),
                None,
            ),
            (
                "Fetch keys client error: Cannot connect to host deco.lan:80 ssl:default [Try again]",
                Kind::Dns,
                Some("deco.lan"),
                Some(80),
            ),
            (
                "FailedToOpenSocket: Was there a typo in the url or port?\n path: \"https://db.lan:3306/psdb.v1alpha1.Database/Execute\"",
                Kind::Other,
                Some("db.lan"),
                Some(3306),
            ),
            (
                "the return value is: err = -188, ASN no signer error to confirm failure.",
                Kind::Tls,
                None,
                None,
            ),
            // The JDK names EADDRNOTAVAIL NoRouteToHostException; its words say which.
            (
                "Caused by: java.net.NoRouteToHostException: Cannot assign requested address",
                Kind::Other,
                None,
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // kubectl's "server: EOF" is the peer hanging up; cluster-info named the server.
            (
                "Kubernetes control plane is running at https://localhost:6443\nUnable to connect to the server: EOF",
                Kind::Reset,
                Some("localhost"),
                Some(6443),
            ),
            // A logger's module path in brackets is no host.
            (
                "2026-05-19 22:31:05 ERROR (MainThread) [homeassistant.components.mqtt.client] Failed to connect to MQTT server due to exception: [Errno 113] Host is unreachable",
                Kind::Unreachable,
                None,
                None,
            ),
            // A class's member handed to a call is code.
            (
                "-e:1:in `getaddrinfo': getaddrinfo: nodename nor servname provided, or not known (SocketError) from Addrinfo.getaddrinfo( Socket.gethostname, 0)",
                Kind::Dns,
                None,
                None,
            ),
            // A logged string's escaped line end closes the name.
            (
                "'Error: getaddrinfo EAI_AGAIN login.chat.lan\\n' +",
                Kind::Dns,
                Some("login.chat.lan"),
                None,
            ),
            // Elixir's error term names the host; no name ends in `.tld`, but its port stays.
            (
                "** (MatchError) no match of right hand side value: [{:error, 'ping.lan', :nxdomain}]",
                Kind::Dns,
                Some("ping.lan"),
                None,
            ),
            (
                "openssl s_client -showcerts -connect mail.domain.tld:465\nerror:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure",
                Kind::Tls,
                None,
                Some(465),
            ),
            (
                "fatal: [app54545]: UNREACHABLE! => {\"changed\": false, \"msg\": \"Failed to connect to the host via ssh: Connection timed out during banner exchange\\r\\n\", \"unreachable\": true}",
                Kind::Timeout,
                Some("app54545"),
                None,
            ),
            (
                "Redis::CannotConnectError (Timed out connecting to Redis on 10.0.0.7:6379):",
                Kind::Timeout,
                Some("10.0.0.7"),
                Some(6379),
            ),
            (
                "Predis\\Connection\\ConnectionException: No connection can be made because the target machine has actively rejected them. [tcp://10.0.0.7:6379]",
                Kind::Refused,
                Some("10.0.0.7"),
                Some(6379),
            ),
            (
                "Neo4jError: Could not perform discovery. No routing servers available. Known routing table: RoutingTable[database=default database, routers=[], readers=[], writers=[]]",
                Kind::Other,
                None,
                None,
            ),
            (
                "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. (Exception from HRESULT: 0x800B0109)",
                Kind::Tls,
                None,
                None,
            ),
            (
                "Security error while connecting to database Failed to establish secure connection to '[SSL:UNKNOWN_PROTOCOL(_ssl.c:600)",
                Kind::Tls,
                None,
                None,
            ),
            (
                "TLS :client: In state :wait_cert_cr at ssl_handshake.erl:1895 generated CLIENT ALERT: Fatal - Unknown CA",
                Kind::Tls,
                None,
                None,
            ),
            (
                "When Chrome tried to connect to www.shop.lan this time, the website sent back unusual and incorrect credentials.",
                Kind::Tls,
                Some("www.shop.lan"),
                None,
            ),
            (
                "System.Net.WebException: Невозможно разрешить удаленное имя: 'cdn.files.lan'",
                Kind::Dns,
                Some("cdn.files.lan"),
                None,
            ),
            (
                "System.Net.Http.HttpRequestException: An error occurred while sending the request.\nL'autorità del certificato non è valida o errata",
                Kind::Tls,
                None,
                None,
            ),
            // Dart names the target's port when there was no route; its local one on a refusal.
            (
                "SocketException: Network is unreachable (OS Error: Network is unreachable, errno = 101), address = api.lan, port = 42354",
                Kind::Unreachable,
                Some("api.lan"),
                Some(42354),
            ),
            (
                "SocketException: OS Error: Connection refused, errno = 111, address = api.lan, port = 42354",
                Kind::Refused,
                Some("api.lan"),
                None,
            ),
            // Hadoop names both ends; the destination is the target.
            (
                "java.net.UnknownHostException: Invalid host name: local host is: (unknown); destination host is: \"nn01\":8032;",
                Kind::Dns,
                Some("nn01"),
                Some(8032),
            ),
            // A source file and its line, and a directory named localhost, are no place.
            (
                "Wrapped java.net.SocketException: Network is unreachable (/home/u/narwhal/lib/http-engine.js#5)",
                Kind::Unreachable,
                None,
                None,
            ),
            (
                "PHP Warning:  socket_connect(): unable to connect [111]: Connection refused in /var/www/localhost/htdocs/app/manager.php on line 105",
                Kind::Refused,
                None,
                None,
            ),
            (
                "$ curl https://sh.tools.lan -sSf | sh\ncurl: (35) Recv failure: Connection reset by peer",
                Kind::Reset,
                Some("sh.tools.lan"),
                Some(443),
            ),
            (
                "$ iperf3 -c 10.0.0.43 -p 5202\niperf3: error - control socket has closed unexpectedly",
                Kind::Reset,
                Some("10.0.0.43"),
                Some(5202),
            ),
            (
                "Host '10.0.0.111' is not allowed to connect to this MySQL server",
                Kind::Other,
                None,
                None,
            ),
            (
                "netapp plugin: na_server_invoke_elem for volume \"v1\" on host filer.lan failed with error 5: Can't connect to host (err=5).",
                Kind::Other,
                Some("filer.lan"),
                None,
            ),
            ("CRITICAL - Plugin timed out", Kind::Timeout, None, None),
            (
                "[2018-05-30 15:21:58] XX.XXX.XX.XXX:XXX timed out",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "SocketException: Connection failed (OS Error: Network is unreachable, errno = 101), address = {MY_LOCAL_IP_ADDRESS}, port = 5000",
                Kind::Unreachable,
                None,
                Some(5000),
            ),
            (
                "DEBUG: 500 Can't connect to <* not public *>:8006 (SSL connect attempt failed error:14090086:SSL routines:SSL3_GET_SERVER_CERTIFICATE:certificate verify failed)",
                Kind::Tls,
                None,
                Some(8006),
            ),
            (
                "getaddrinfo() for host msg.chat.lan failed (11001)",
                Kind::Dns,
                Some("msg.chat.lan"),
                None,
            ),
            (
                " cannot connect to endpoint : opc.tcp://py:4334/UA/SampleServer\n failure  { [Error: getaddrinfo EIO] code: 'EIO', errno: 'EIO', syscall: 'getaddrinfo' }",
                Kind::Dns,
                Some("py"),
                Some(4334),
            ),
            (
                "const ipfs = ipfsAPI('ipfs.files.lan',\"8080\", {protocol: 'http'})\nError: connect ETIMEDOUT",
                Kind::Timeout,
                Some("ipfs.files.lan"),
                Some(8080),
            ),
            (
                "Problems while connecting to IRC server: [Errno 111] Connection refused\nDisconnected IRC client (my_bot@irc.chat.lan:6667)",
                Kind::Refused,
                Some("irc.chat.lan"),
                Some(6667),
            ),
            (
                "java.net.BindException: Cannot assign requested address: getsockopt",
                Kind::Other,
                None,
                None,
            ),
            (
                ":cause \"Broken pipe (Write failed)\", :at [java.util.concurrent.FutureTask report \"FutureTask.java\" 122]",
                Kind::Reset,
                None,
                None,
            ),
            (
                "io.grpc.StatusRuntimeException: UNAVAILABLE: End of stream or IOException",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Connection failed with: timeout('timed out',).",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "This site can’t be reachedCheck if there is a typo in shop.example.np.\nDNS_PROBE_FINISHED_NXDOMAIN",
                Kind::Dns,
                Some("shop.example.np"),
                None,
            ),
            (
                "<title>503 - Forwarding failure (Privoxy@localhost)</title>",
                Kind::Other,
                None,
                None,
            ),
            (
                "apf(29397): {resnet} download of http://cdn.files.lan/downloads/reserved.networks failed",
                Kind::Other,
                Some("cdn.files.lan"),
                Some(80),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_one_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // The resolver really looked these words up: they are the names as written.
            (
                "Get http://MyServer:4151/stats: dial tcp: lookup MyServer on 10.0.0.53:53: no such host",
                Kind::Dns,
                Some("MyServer"),
                Some(4151),
            ),
            (
                "curl_easy_perform failed with status 6: Could not resolve host: server (http://server:8123/api)",
                Kind::Dns,
                Some("server"),
                Some(8123),
            ),
            // Hadoop's unknown local host is no name.
            (
                "java.net.UnknownHostException: Invalid host name: local host is: (unknown); destination host is: \"nn01\":8032;",
                Kind::Dns,
                Some("nn01"),
                Some(8032),
            ),
            // A version field is no address; a loguru location's line is no port.
            (
                "[WARNING]: The network connection to localhost has been interrupted.\nfatal: [srv02]: FAILED! => {\"module_version\": \"5.7.0.0\", \"msg\": \"WinRM cannot complete the operation.\"}",
                Kind::Other,
                Some("localhost"),
                None,
            ),
            (
                "ERROR    | __main__:<module>:79 - Error adding device with IP: 10.0.0.30\nERROR    | __main__:<module>:80 - [Errno 111] Connection refused",
                Kind::Refused,
                Some("10.0.0.30"),
                None,
            ),
            // PowerShell's error id says the kind; the command's -ComputerName the host.
            (
                "PS C:\\> New-PSSession -ComputerName 10.0.0.9\nNew-PSSession : [10.0.0.9] Connecting to remote server 10.0.0.9 failed with the following error message :\nWinRM cannot complete the operation.\nAt line:1 char:7\n+ New-PSSession -ComputerName 10.0.0.9\n    + FullyQualifiedErrorId : WinRMOperationTimeout,PSSessionOpenFailed",
                Kind::Timeout,
                Some("10.0.0.9"),
                None,
            ),
            // A cut ssh line keeps its port.
            (
                "port 22: Connection timed out\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]",
                Kind::Timeout,
                None,
                Some(22),
            ),
            // The class without its package, quoted in a sentence.
            (
                "Now I get an exception: \"UnknownHostException: data.mirror.lan\". Where should I look?",
                Kind::Dns,
                Some("data.mirror.lan"),
                None,
            ),
            // A program's name before `on port` is no host.
            (
                "[firefox/remote.js][debug] Connecting to Firefox on port 6005\n[cmd/run.js][debug] Retrying Firefox (1); connection error: Error: connect ECONNREFUSED",
                Kind::Refused,
                None,
                Some(6005),
            ),
            // rabbitmqctl names the node's host and the port epmd gave for it.
            (
                "Error: unable to connect to nodes [rabbit@mq2]: nodedown\n\nrabbit@mq2:\n  * connected to epmd (port 4369) on mq2\n  * epmd reports node 'rabbit' running on port 25672\n  * TCP connection succeeded but Erlang distribution failed",
                Kind::Other,
                Some("mq2"),
                Some(25672),
            ),
            // An HTTP client's call handed a bare host.
            (
                "`HTTPotion.get! \"shop.lan\"`\n`** (HTTPotion.HTTPError) ehostunreach`",
                Kind::Unreachable,
                Some("shop.lan"),
                None,
            ),
            // A script run by its interpreter with a host and a port; Node's altname words.
            (
                "node client.js api.lan 8043\n\nevents.js:72\n        throw er; // Unhandled 'error' event\nError: Hostname/IP doesn't match certificate's altnames",
                Kind::Tls,
                Some("api.lan"),
                Some(8043),
            ),
            // An exploit script's remote `-r` takes an address only.
            (
                "root@box:~# python3 redis-master.py -r 10.0.0.31 -p 6379 -f exp.so\nConnectionRefusedError: [Errno 111] Connection refused",
                Kind::Refused,
                Some("10.0.0.31"),
                Some(6379),
            ),
            // Kinds: a reset inside cargo's TLS code, GnuTLS's record length, asyncio's short
            // read, Trilead's failed negotiation, a rejected WebSocket upgrade.
            (
                "warning: spurious network error (2 tries remaining): [35] SSL connect error (OpenSSL SSL_connect: Connection reset by peer in connection to crates.lan:443 )",
                Kind::Reset,
                Some("crates.lan"),
                Some(443),
            ),
            (
                "gnutls_record_recv: A TLS packet with unexpected length was received.; assuming EOF",
                Kind::Tls,
                None,
                None,
            ),
            (
                "thermo.lan: Error while reading incoming messages: Error while receiving data: 0 bytes read on a total of 1 expected bytes",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Key exchange was not finished, connection is closed.\nCannot negotiate, proposals do not match.",
                Kind::Other,
                None,
                None,
            ),
            (
                "server rejected WebSocket connection: HTTP 502",
                Kind::Other,
                None,
                None,
            ),
            (
                "Non HTTP response code: org.apache.http.conn.HttpHostConnectException",
                Kind::Other,
                None,
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_two_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // httpc's failed_connect with an errno that is no refusal: IPv6 is off.
            (
                "** (Mix) httpc request failed with: {:failed_connect, [{:to_address, {'hex.lan', 443}}, {:inet, [:inet], :eprotonosupport}]}",
                Kind::Other,
                Some("hex.lan"),
                Some(443),
            ),
            (
                "fetch: http://pkg.lan/All/x.txz: No address record",
                Kind::Dns,
                Some("pkg.lan"),
                Some(80),
            ),
            (
                "CRITICAL: Unable to connect to SMTP: timeout at /usr/lib/plugins/smtp.pm line 12",
                Kind::Timeout,
                None,
                None,
            ),
            // netdata's streaming destination and its default port.
            (
                "STREAM child01: skipping destination 'parent.lan' (default port: 19999) due to last error (code: -6, timeout while expecting first response), will retry it in 20 seconds",
                Kind::Timeout,
                Some("parent.lan"),
                Some(19999),
            ),
            (
                "ldap3.core.exceptions.LDAPSocketOpenError: invalid server address",
                Kind::Other,
                None,
                None,
            ),
            (
                "Marionette TRACE 0 <- [1,3,{\"error\":\"insecure certificate\",\"message\":\"\"},null]",
                Kind::Tls,
                None,
                None,
            ),
            (
                "mysqli_real_connect(): (HY000/2002): No such file or directory",
                Kind::Other,
                None,
                None,
            ),
            (
                "gocql: no connections were made when creating the session",
                Kind::Other,
                None,
                None,
            ),
            // A port in another language's words, with no host.
            (
                "Il deploy non riesce: curl errore 7 durante il download della porta 443: Connessione rifiutata",
                Kind::Refused,
                None,
                Some(443),
            ),
            // A reporter's stand-in for an address keeps its port.
            (
                "Attempting to establish TCP connection with [AF_INET]MY_IP:636 [nonblock]\nConnection reset, restarting [0]",
                Kind::Reset,
                None,
                Some(636),
            ),
            // sshd's record of a connection that came in: the client's port is no target;
            // the server's own address and port are.
            (
                "sshd[2218]: Connection from x.x.x.83 port 34876\nsshd[2218]: error: kex_exchange_identification: Connection closed by remote host",
                Kind::Reset,
                None,
                None,
            ),
            (
                "5952 Connection from 10.0.0.9 port 53430 on 10.0.0.5 port 22\n5952 error: kex_exchange_identification: write: Connection reset",
                Kind::Reset,
                Some("10.0.0.5"),
                Some(22),
            ),
            // A log record's own machine is not the place it failed to reach.
            (
                "{\"pid\":8744,\"hostname\":\"web-7\",\"name\":\"broker\",\"level\":40,\"msg\":\"read ECONNRESET\",\"code\":\"ECONNRESET\",\"syscall\":\"read\"}",
                Kind::Reset,
                None,
                None,
            ),
            // Ansible's task result on the control machine names where the task ran.
            (
                "The error was: urllib3.exceptions.ProtocolError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))\nfailed: [localhost] (item=consumer) => changed=false",
                Kind::Reset,
                None,
                None,
            ),
            // The last word of a sentence after nmap is no argument.
            (
                "Failed to resolve \"***********\".\nWARNING: No targets were specified, so 0 hosts scanned.\nError: Failed to execute nmap portscan.",
                Kind::Dns,
                None,
                None,
            ),
            // The error inside urllib3's wrapper decides the kind.
            (
                "Retrying after connection broken by 'ProtocolError('Connection aborted.', error(99, 'Cannot assign requested address'))': /simple/x/",
                Kind::Other,
                None,
                None,
            ),
            (
                "NoHostAvailableError: All host(s) tried for query failed. First host tried, 10.0.0.28:9042: OperationTimedOutError: The host 10.0.0.28:9042 did not reply before timeout 12000 ms.",
                Kind::Timeout,
                Some("10.0.0.28"),
                Some(9042),
            ),
            (
                "[Error] The operation has timed out. -   at Npgsql.NpgsqlTimeout.Check ()",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "excep : Connection lost (32109) - java.io.EOFException",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Fehler beim Verbinden - Verbindungszeit überschritten.",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "ConfigurationException: Unknown server: jenkins.lan",
                Kind::Dns,
                Some("jenkins.lan"),
                None,
            ),
            (
                "p2p.connection-pool: Swap to 10.0.0.54:9732 failed: Error:\n  Unclassified error: Lwt_utils.Timeout. Was the error registered?",
                Kind::Timeout,
                Some("10.0.0.54"),
                Some(9732),
            ),
            (
                "Error: Connection failed (RTE:[89001] Cannot resolve host name",
                Kind::Dns,
                None,
                None,
            ),
            (
                "twisted.internet.error.DNSLookupError: DNS lookup failed: address 'pool.lan' not found: [Errno -2] Name does not resolve.",
                Kind::Dns,
                Some("pool.lan"),
                None,
            ),
            (
                "level=error msg=\"Notify for 12 alerts failed: dial tcp: missing port in address smtp.lan\"",
                Kind::Other,
                Some("smtp.lan"),
                None,
            ),
            (
                "Caused by:\n  other side closed\n    at TLSSocket.onSocketEnd (node:internal/deps/undici/undici:7998:26)",
                Kind::Reset,
                None,
                None,
            ),
            (
                "[root@k8s-master01 pki]# kubectl get cs\nUnable to connect to the server: EOF",
                Kind::Reset,
                None,
                None,
            ),
            // A client that takes its port first.
            (
                "new Redis(6379, '10.0.0.7');\n```\nConnection fails:\n```\nError: connect ETIMEDOUT\n    at Socket.<anonymous> (node_modules/ioredis/built/redis/index.js:283:31)",
                Kind::Timeout,
                Some("10.0.0.7"),
                Some(6379),
            ),
            (
                "Error: 26 - Timeout - (unix/sock.c:58): Timeout",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "Caused by: java.io.IOException: inputstream is closed\n\tat com.jcraft.jsch.ChannelSftp.fill(ChannelSftp.java:2872)",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Login/Server Issue: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connect refused: no further information:",
                Kind::Refused,
                None,
                None,
            ),
            (
                "it gave me an error \"io.netty.channel.abstractchannel$annotatedconnectexception\" how can i fix it?",
                Kind::Other,
                None,
                None,
            ),
            (
                "ダウンロード中 https://dl.lan/pub/x.msi\nコマンドの実行中に予期しないエラーが発生しました:\nInternetOpenUrl() failed.\n0x80072f08 : unknown error",
                Kind::Other,
                Some("dl.lan"),
                Some(443),
            ),
            (
                "Error: Curl - Failure receiving data from server - 'https://cdn.lan/update/pack.tar'",
                Kind::Other,
                Some("cdn.lan"),
                Some(443),
            ),
            (
                "** (exit) exited in: GenServer.call(Hex.Registry.Server, {:versions, \"hexpm\", \"phoenix\"}, 60000)\n    ** (EXIT) time out",
                Kind::Timeout,
                None,
                None,
            ),
            // curl's resolved name, not the address it then tried, is what was asked for.
            (
                "* Host ip.lan:80 was resolved.\n* IPv4: 10.0.0.5\n*   Trying 10.0.0.5:80...\n* connect to 10.0.0.5 port 80 from 10.0.0.9 port 5334 failed: Connection timed out",
                Kind::Timeout,
                Some("ip.lan"),
                Some(80),
            ),
            // A picture attached to a report is kept somewhere; that is not the place.
            (
                "`localhost` 에서 서버를 실행시켰을때 다음과 같은 에러가 떴다.\n\n![ERR_CONNECTION_REFUSED](https://cdn.lan/attachments/1/2.png)",
                Kind::Refused,
                None,
                None,
            ),
            ("连接后Safari不能连接到服务器", Kind::Other, None, None),
            (
                "websocket._exceptions.WebSocketBadStatusException: Handshake status 502 Bad Gateway",
                Kind::Other,
                None,
                None,
            ),
            (
                "FetchError: request to https://pay.lan/graphql failed, reason: \n    at ClientRequest.<anonymous> (node_modules/node-fetch/lib/index.js:1491:11)",
                Kind::Other,
                Some("pay.lan"),
                Some(443),
            ),
            // A traceback's handler source names what the code catches, not what happened.
            (
                "    282         except (NewConnectionError, socket.gaierror) as e:\n--> 283             raise EndpointConnectionError(endpoint_url=request.url, error=e)\n\nEndpointConnectionError: Could not connect to the endpoint URL: \"https://api.lan/\"",
                Kind::Other,
                Some("api.lan"),
                Some(443),
            ),
        ];
        assert_reads(cases);
    }

    /// Round 23's forms (sealed58–61): each was read wrong, or not at all, by the build
    /// before it.
    #[test]
    fn forms_of_round_twenty_three_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A quoted name `on port N` after "response from" is where the request went.
            (
                "MPD error: problems getting a response from \"localhost\" on port 6600 : Connection refused",
                Kind::Refused,
                Some("localhost"),
                Some(6600),
            ),
            (
                "error: no response from \"db.lan\" on port 6600 : Connection refused",
                Kind::Refused,
                Some("db.lan"),
                Some(6600),
            ),
            // Headers requested from a URL; a request sent from an address is the local end.
            (
                "Error: Could not request headers from https://dl.lan/x.tar.gz: Error: socket hang up",
                Kind::Reset,
                Some("dl.lan"),
                Some(443),
            ),
            (
                "TypeError: error sending request from 127.0.0.1:50472 for http://localhost:4444/ (127.0.0.1:4444): client error (SendRequest): connection error: Connection reset by peer (os error 54)",
                Kind::Reset,
                Some("localhost"),
                Some(4444),
            ),
            // A name ending in `.info` is no log level: the command above still names it.
            (
                "$ curl https://spacedock.info\ncurl: (35) SSL connect error",
                Kind::Tls,
                Some("spacedock.info"),
                Some(443),
            ),
            // traceroute's header names the target; its hops are routers on the way.
            (
                "traceroute to db.lan (2402:f000:1:408::1), 30 hops max, 80 byte packets\n 1  10.0.0.1 (10.0.0.1)  0.4 ms\n 2  2408:8001:b011::ffff:2010 (2408:8001:b011::ffff:2010)  6.703 ms !N",
                Kind::Unreachable,
                Some("db.lan"),
                None,
            ),
            // nmap: a filtered port and a host it gave up on.
            (
                "nmap -p 443 gw.lan\nPORT    STATE    SERVICE\n443/tcp filtered https",
                Kind::Other,
                Some("gw.lan"),
                Some(443),
            ),
            (
                "Warning: 10.10.1.1 giving up on port because retransmission cap hit (0).",
                Kind::Other,
                Some("10.10.1.1"),
                None,
            ),
            // A name masked with stars and a Zig error name are no hosts.
            (
                "com.jcraft.jsch.JSchException: java.net.UnknownHostException: is-*********.xyz",
                Kind::Dns,
                None,
                None,
            ),
            (
                "anyzig: downloading 'https://ziglang.org/download/0.13.0/zig.tar.xz'...\nerror: unable to connect to server: NetworkUnreachable",
                Kind::Unreachable,
                Some("ziglang.org"),
                Some(443),
            ),
            // A connection announced at INFO (`Opening TCP socket with X`) is the one reset.
            (
                "[2025-04-18 21:46:54] info:     zh:zstack:znp: Opening TCP socket with 10.0.0.205:6638\n[2025-04-18 21:46:55] error:    z2m: Error: read ECONNRESET",
                Kind::Reset,
                Some("10.0.0.205"),
                Some(6638),
            ),
            // The next line opens a field of its own: the name above stays whole.
            (
                "Error Message :cURL error 6: Could not resolve host: www.googleapis.com\nError Code : 0",
                Kind::Dns,
                Some("www.googleapis.com"),
                None,
            ),
            // The inner exception printed first is the cause of the wrapper after it.
            (
                "IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host..\nSystem.Net.Sockets.Socket+AwaitableSocketAsyncEventArgs.ThrowException(SocketError error)\n\nHttpRequestException: The SSL connection could not be established, see inner exception.",
                Kind::Reset,
                None,
                None,
            ),
            (
                "javax.net.ssl.SSLException: Read error: ssl=0x9b94e000: I/O error during system call, Connection reset by peer",
                Kind::Reset,
                None,
                None,
            ),
            (
                "error: RPC failed; curl 56 GnuTLS recv error (-24): Decryption has failed.\nfatal: The remote end hung up unexpectedly\nfatal: early EOF",
                Kind::Tls,
                None,
                None,
            ),
            // Timeouts in a program's own words.
            (
                "Failed to connect to 10.0.0.5\\SQLEXPRESS in 30000ms",
                Kind::Timeout,
                Some("10.0.0.5"),
                None,
            ),
            (
                "2017-09-14T17:02:31.807+0800 W NETWORK  [thread1] Failed to connect to 10.0.0.5:27017 after 5000ms milliseconds, giving up.",
                Kind::Timeout,
                Some("10.0.0.5"),
                Some(27017),
            ),
            (
                "│ document: Get \"https://registry.lan/.well-known/terraform.json\":\n│ net/http: request canceled while waiting for connection (Client.Timeout",
                Kind::Timeout,
                Some("registry.lan"),
                Some(443),
            ),
            (
                "11:55:35 libera  -- | irc: connecting to server irc.lan/6667...\n11:56:35 libera =!= | irc: timeout",
                Kind::Timeout,
                Some("irc.lan"),
                Some(6667),
            ),
            (
                "ReqlTimeoutError: Could not connect to operation [ip: port].",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "active check configuration update from [zbx.lan:10051] started to fail (ZAB_TCP_READ) time out()",
                Kind::Timeout,
                Some("zbx.lan"),
                Some(10051),
            ),
            // Refusals told by a Winsock number closing the line.
            (
                "AdbProcessImpl::out:cannot connect to 10.0.0.178:5555: Unable to connect due to a refusal from the target computer。 (10061)",
                Kind::Refused,
                Some("10.0.0.178"),
                Some(5555),
            ),
            // Failures that say no more than that, or a service's own refusal.
            (
                "about:neterror?e=connectionFailure&u=http%3A//localhost%3A4567/&c=UTF-8",
                Kind::Other,
                Some("localhost"),
                Some(4567),
            ),
            (
                "mosh: Nothing received from server on UDP port 60003",
                Kind::Other,
                None,
                Some(60003),
            ),
            (
                "Error: (SSH) Channel open failure: open failed",
                Kind::Other,
                None,
                None,
            ),
            // The port the server would not listen on is the one the forward needs.
            (
                "autossh[14431]: Error: remote port forwarding failed for listen port 2222",
                Kind::Other,
                None,
                Some(2222),
            ),
            (
                "dial tcp: unknown port tcp/9000newbu",
                Kind::Other,
                None,
                None,
            ),
            ("PortNotOpenError: Port Not Open", Kind::Other, None, None),
            (
                "FailedConnectionException2 \"mipt.lan\" 80 False getAddrInfo: does not exist (error 10093)",
                Kind::Other,
                Some("mipt.lan"),
                Some(80),
            ),
            (
                "Zabbix agent item \"zimbra.status\" on host \"mail.lan\" failed: first network error, wait for 15 seconds",
                Kind::Other,
                Some("mail.lan"),
                None,
            ),
            (
                "http://dnode2:80/metrics | DOWN | instance=\"dnode2:80\" | 229ms ago | server returned HTTP status 503 Service Unavailable",
                Kind::Other,
                Some("dnode2"),
                Some(80),
            ),
            (
                "RqlRuntimeError: Server dropped connection with message: \"ERROR: Received an unsupported protocol version. This port is for RethinkDB queries.",
                Kind::Other,
                None,
                None,
            ),
            (
                "! This VM is having trouble accessing https://registry.lan/",
                Kind::Other,
                Some("registry.lan"),
                Some(443),
            ),
            (
                "! VM may be unable to resolve external DNS records\n! VM is unable to access k8s.lan, you may need to configure a proxy",
                Kind::Dns,
                Some("k8s.lan"),
                None,
            ),
            // Lookups: netcat's and aiohttp's own words.
            (
                "nc: getaddrinfo for host \"db\" port 5432: Name or service not know",
                Kind::Dns,
                Some("db"),
                Some(5432),
            ),
            (
                "[DEBUG] Timeout: http://tv.lan:2001 => ClientConnectorError(ConnectionKey(host='tv.lan', port=2001, is_ssl=False), OSError('Misformatted domain name'))",
                Kind::Dns,
                Some("tv.lan"),
                Some(2001),
            ),
            // TLS: a page's title in any case, PHP's crypto, hkp's own port.
            (
                "When trying to open https://www.q.lan it gives the error message \"secure connection failed.\"",
                Kind::Tls,
                Some("www.q.lan"),
                Some(443),
            ),
            (
                "PHP Warning:  stream_socket_client(): Failed to enable crypto in /srv/Epp.php on line 18\nPHP Warning:  stream_socket_client(): unable to connect to ssl://epp.lan:700 (Unknown error)",
                Kind::Tls,
                Some("epp.lan"),
                Some(700),
            ),
            (
                "$ gpg --keyserver hkp://keys.lan --recv-keys 409B6B1796C27546\ngpg: keyserver receive failed: No route to host",
                Kind::Unreachable,
                Some("keys.lan"),
                Some(11371),
            ),
            (
                "com.twitter.finagle.ChannelClosedException: ChannelException at remote address: localhost/127.0.0.1:8083",
                Kind::Reset,
                Some("localhost"),
                Some(8083),
            ),
            (
                "net.schmizz.sshj.transport.TransportException: Broken transport; encountered EOF",
                Kind::Reset,
                None,
                None,
            ),
            (
                "I get an error: \"Network Request Failed\".\nUrl address: http://192.x.x.x:8000/api/data.",
                Kind::Other,
                None,
                Some(8000),
            ),
            // sealed62–63: sarama without its prefix, a Redis socket failure, JSch's host
            // key (no lookup failed: the server answered), x509 without its colon.
            (
                "client has run out of available brokers to talk to",
                Kind::Other,
                None,
                None,
            ),
            (
                "Exception: StackExchange.Redis.RedisConnectionException - SocketFailure on GET",
                Kind::Other,
                None,
                None,
            ),
            (
                "Error: com.jcraft.jsch.JSchException: UnknownHostKey: sftp.lan. RSA key fingerprint is 5e:41",
                Kind::Other,
                Some("sftp.lan"),
                None,
            ),
            (
                "xrayr x509 certificate signed by unknown authority",
                Kind::Tls,
                None,
                None,
            ),
            // A numbered line that is no traceroute hop keeps its place; a server's log of
            // a peer that came in (`exception from ::ffff:…`) names no target.
            (
                "12 api.lan:443 read ECONNRESET after 30 ms",
                Kind::Reset,
                Some("api.lan"),
                Some(443),
            ),
            (
                "ERROR    tcprelay.py:1519 [Errno 104] Connection reset by peer\nERROR    tcprelay.py:1520 exception from ::ffff:66.42.xx.xx:54806",
                Kind::Reset,
                None,
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_four_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Knot's and Unbound's `ADDR@PORT`; a user at an address is no port.
            (
                "$ kdig +tls @10.2.0.53 shop.lan\n;; ERROR: failed to query server 10.2.0.53@853(TCP)\n;; WARNING: TLS, handshake failed (Error in the push function.)",
                Kind::Tls,
                Some("10.2.0.53"),
                Some(853),
            ),
            // telnet's options may take values; `192.` is no port.
            (
                "$ telnet -l admin 10.4.4.4 2323\nTrying 10.4.4.4...\nConnected to 10.4.4.4.\nConnection closed by foreign host.",
                Kind::Reset,
                Some("10.4.4.4"),
                Some(2323),
            ),
            (
                "nc -w 3 -v db.lan 5433\nnc: connect to db.lan port 5433 (tcp) failed: Connection refused",
                Kind::Refused,
                Some("db.lan"),
                Some(5433),
            ),
            // A blank line ends curl's message: the next paragraph is no host.
            (
                "curl: (6) Could not resolve host:\n\nSaving failed, try again later",
                Kind::Dns,
                None,
                None,
            ),
            // Firefox's older DNS page.
            (
                "Server Not Found\nFirefox can’t connect to the server at shop.example.lan",
                Kind::Dns,
                Some("shop.example.lan"),
                None,
            ),
            // SslStream's EOF is the peer hanging up: a reset, as reporters read it.
            (
                "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.IO.IOException: Received an unexpected EOF or 0 bytes from the transport stream.",
                Kind::Reset,
                None,
                None,
            ),
            // Firefox's certificate page seen through Selenium; its `System info` is this
            // machine.
            (
                "org.openqa.selenium.WebDriverException: Reached error page: about:certerror?e=nssBadCert&u=https%3A//\nSystem info: host: 'BUILD07', ip: '10.9.9.9', os.name: 'Linux'",
                Kind::Tls,
                None,
                None,
            ),
            // A proxy that wants credentials turned the client away; nothing refused a socket.
            (
                "org.apache.hc.client5.http.ClientProtocolException: CONNECT refused by proxy: HTTP/1.1 407 Proxy Authentication Required",
                Kind::Other,
                None,
                None,
            ),
            // Programs' own words.
            (
                "Statement failed, SQLCODE = -923\nconnection rejected by remote interface",
                Kind::Other,
                None,
                None,
            ),
            (
                "$ hg clone https://hg.lan/repo\nrequesting all changes\nabort: stream ended unexpectedly (got 12 bytes, expected 80)",
                Kind::Reset,
                Some("hg.lan"),
                Some(443),
            ),
            (
                "ERROR Failed to subscribe: TonicStatus(Status { code: Unknown, message: \"Service was not ready: transport error\", source: None })",
                Kind::Other,
                None,
                None,
            ),
            // A name after `failed for:` and `verification error for`.
            (
                "connection failed for: web3.lan (Errno::ETIMEDOUT: Operation timed out - connect(2))",
                Kind::Timeout,
                Some("web3.lan"),
                None,
            ),
            (
                "502 Bad Gateway\nCertificate verification error for updates.lan:",
                Kind::Tls,
                Some("updates.lan"),
                None,
            ),
            // Curly quotes from a blog's copy of urllib3's message.
            (
                "HTTPSConnectionPool(host=’pkg.lan’, port=8443): Max retries exceeded with url: /x (Caused by NewConnectionError(‘: Failed to establish a new connection: [Errno 111] Connection refused’))",
                Kind::Refused,
                Some("pkg.lan"),
                Some(8443),
            ),
            // Java's `name/[v6]:port`.
            (
                "Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: no further information: localhost/[0:0:0:0:0:0:0:1]:9090",
                Kind::Refused,
                Some("localhost"),
                Some(9090),
            ),
            // WebKitGTK's pages, opam's download, nmap's glued port and its debug output.
            (
                "Connection is not secure\nThe signing certificate authority is not known\nThis does not look like the real https://forum.lan/.",
                Kind::Tls,
                Some("forum.lan"),
                Some(443),
            ),
            (
                "[ERROR] http://dl.lan/findlib-1.4.tar.gz is not available",
                Kind::Other,
                Some("dl.lan"),
                Some(80),
            ),
            (
                "% sudo nmap -n -Pn -p8080 10.6.6.7\nNmap done: 1 IP address (0 hosts up) scanned in 1.46 seconds",
                Kind::Other,
                Some("10.6.6.7"),
                Some(8080),
            ),
            (
                "ultrascan_host_probe_update called for machine 10.6.6.8 state HOST_DOWN",
                Kind::Other,
                Some("10.6.6.8"),
                None,
            ),
            (
                "c : fatal: server died with error code 255",
                Kind::Other,
                None,
                None,
            ),
            ("handshake failed: ssh: short read", Kind::Other, None, None),
            (
                "INFO: Connecting to 10.7.0.4 on port 22, with timeout 10000.\nINFO: Failed to connect via ssh: The kexTimeout (10000 ms) expired.",
                Kind::Timeout,
                Some("10.7.0.4"),
                Some(22),
            ),
            (
                "LOG3[0]: s_connect: connect 127.0.0.1:8873: Connection refused (111)\nLOG5[0]: Connection reset: 0 byte(s) sent to SSL, 0 byte(s) sent to socket",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(8873),
            ),
            (
                "ERROR:  While executing gem ... (Gem::RemoteFetcher::FetchError) too many connection resets (https://gems.lan/specs.4.8.gz)",
                Kind::Reset,
                Some("gems.lan"),
                Some(443),
            ),
            (
                "System.Net.WebException: The operation has timed-out.\n   at System.Net.HttpWebRequest.GetResponse()",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "winerror 10054：远程主机强迫关闭了一个现有的链接",
                Kind::Reset,
                None,
                None,
            ),
            (
                "2021/01/02 10:00:00 [error] 12#12: *7 connect() failed (111: Connection ref$",
                Kind::Refused,
                None,
                None,
            ),
            (
                r#"output="{\"msg\":\"timeout: failed to connect service \\\":50051\\\" within 5s\"}""#,
                Kind::Timeout,
                None,
                Some(50051),
            ),
            // Elixir's charlist sigil around httpc's host.
            (
                "** (Mix) httpc request failed with: {:failed_connect, [{:to_address, {~c\"repo.lan\", 443}}, {:inet, [:inet], {:tls_alert, {:unexpected_message, ~c\"TLS client: In state hello at ssl_gen_statem.erl:781 generated CLIENT ALERT: Fatal - Unexpected Message\"}}}]}",
                Kind::Tls,
                Some("repo.lan"),
                Some(443),
            ),
            // nodemailer's established connection before its greeting timeout.
            (
                "[2024-01-01 10:00:00] INFO  [abc] Connection established to 10.5.5.5:2525\n[2024-01-01 10:00:30] ERROR [abc] Greeting never received\nError: Greeting never received\n  code: 'ETIMEDOUT',",
                Kind::Timeout,
                Some("10.5.5.5"),
                Some(2525),
            ),
            // Stand-ins and words where a host goes.
            (
                "transport: Error while dialing dial tcp yourserverIP:50051: i/o timeout",
                Kind::Timeout,
                None,
                Some(50051),
            ),
            (
                "MailKit.Security.SslHandshakeException: An error occurred while attempting to establish an SSL or TLS connection.\nWhen connecting to an SMTP service, port 587 is typically reserved for plain-text connections. If you intended to connect to SMTP on the SSL port, try connecting to port 465 instead.",
                Kind::Tls,
                None,
                Some(587),
            ),
            (
                "CLIENT -> SERVER: QUIT\nConnection failed. Error #8: fwrite(): send of 6 bytes failed with errno=32 Broken pipe",
                Kind::Reset,
                None,
                None,
            ),
            // A command line with its host and port (java, a prompt with a path).
            (
                "$JAVA_HOME/bin/java SSLPoke vault.lan 8443\nsun.security.validator.ValidatorException: PKIX path building failed",
                Kind::Tls,
                Some("vault.lan"),
                Some(8443),
            ),
            (
                "root@box:~/src/app# ping 10.8.8.8\nPING 10.8.8.8 (10.8.8.8): 56 data bytes\nping: sendto: Network is unreachable",
                Kind::Unreachable,
                Some("10.8.8.8"),
                None,
            ),
            // nmap's report names what it probed, not `scan`.
            (
                "Nmap scan report for 10.6.6.6 [host down, received no-response]\nNote: Host seems down. If it is really up, but blocking our ping probes, try -Pn",
                Kind::Other,
                Some("10.6.6.6"),
                None,
            ),
            // A bracketed address before a failure (Deployer's remote output, marked `<`).
            (
                "[10.3.3.3] < ssh multiplexing initialization\n[10.3.3.3] < Host key verification failed.",
                Kind::Other,
                Some("10.3.3.3"),
                None,
            ),
            (
                "[-] RemoteOperations failed: [Errno Connection error (fileserver:445)] [Errno 11001] getaddrinfo failed",
                Kind::Dns,
                Some("fileserver"),
                Some(445),
            ),
            (
                "Could not install Gradle distribution from 'https://dist.lan/gradle-8-bin.zip'. Connection refused",
                Kind::Refused,
                Some("dist.lan"),
                Some(443),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn programs_of_round_fourteen_name_their_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            (
                "ping: sendto: No route to host\nRequest timeout for icmp_seq 8\nping: sendto: No route to host",
                Kind::Unreachable,
                None,
                None,
            ),
            (
                "unable to create session: unable to discover protocol version: gocql: no response to connection startup within timeout",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "tls: oversized record received with length 20480",
                Kind::Tls,
                None,
                None,
            ),
            (
                "Could not transfer artifact org.clojure:clojure:pom:1.+ from/to clojars\n(https://repo.shop.lan/repo/): peer not authenticated",
                Kind::Tls,
                Some("repo.shop.lan"),
                Some(443),
            ),
            (
                "download-from-binary-cache.pl: could not download ‘https://cache.shop.lan/x.narinfo’ (Curl error 22)",
                Kind::Other,
                Some("cache.shop.lan"),
                Some(443),
            ),
            (
                "{ code: Session(-5), msg: \"Unable to exchange encryption keys\" }",
                Kind::Other,
                None,
                None,
            ),
            (
                "ERROR: epmd error for host mq-01.shop.lan: address (cannot connect to host/port)",
                Kind::Other,
                Some("mq-01.shop.lan"),
                None,
            ),
            (
                "ERROR: epmd error for host rabbit-0.shop.lan: timeout (timed out)",
                Kind::Timeout,
                Some("rabbit-0.shop.lan"),
                None,
            ),
            (
                "NOTICE[4265]: chan_sip.c:16042 sip_reg_timeout:    -- Registration for '1010@sip.shop.lan' timed out, trying again (Attempt #14)",
                Kind::Timeout,
                Some("sip.shop.lan"),
                None,
            ),
            (
                "Der Remoteserver hat einen Fehler zurückgegeben: (504)\nGatewaytimeout.",
                Kind::Timeout,
                None,
                None,
            ),
            (
                "未能完成该操作。（NSURLErrorDomain错误-1004。）",
                Kind::Other,
                None,
                None,
            ),
            (
                "*** Exception: error unexpected packet: pHandshake [ServerHelloDone]",
                Kind::Tls,
                None,
                None,
            ),
            (
                "Invoke-ChiaRPCCommand : The underlying connection will be shut: For the secure SSL/TLS-Channel a position of trust can not be established..",
                Kind::Tls,
                None,
                None,
            ),
            (
                "cd: Fatal error: max-retries exceeded",
                Kind::Other,
                None,
                None,
            ),
            (
                "Err(reqwest::Error { kind: Request, url: \"https://www.shop.lan/\", source: hyper_util::client::legacy::Error(Connect, Custom { kind: Other, error: Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) } }) })",
                Kind::Tls,
                Some("www.shop.lan"),
                Some(443),
            ),
            (
                "2017-07-01 01:15:30.959821+0200 app[52471:1988294] TCP Conn 0x60800016ad40 Failed : error 0:61 [61]",
                Kind::Refused,
                None,
                None,
            ),
            (
                "(28) Failed to connect to raw.shop.lan port 443 after 32018 ms: Couldn't connect to server",
                Kind::Timeout,
                Some("raw.shop.lan"),
                Some(443),
            ),
            (
                "Error: While connecting - Unable to complete network request to host \"10.0.0.33\".\nThe specified name was not found in the hosts file or Domain Name Services.",
                Kind::Dns,
                Some("10.0.0.33"),
                None,
            ),
            (
                "Could not transfer artifact org.clojure:clojure:pom:1.+ from/to central (http://repo1.maven.lan/maven2): repo1.maven.lan",
                Kind::Dns,
                Some("repo1.maven.lan"),
                Some(80),
            ),
            (
                "IOError(EOFError() during request(https://get.shop.lan/signup.html))",
                Kind::Reset,
                Some("get.shop.lan"),
                Some(443),
            ),
            (
                "Error: apr_pollset_poll: The timeout specified has expired (70007)",
                Kind::Timeout,
                None,
                None,
            ),
            ("\"Ошибка соединения\"", Kind::Other, None, None),
            (
                "Termination requested (reason {{badmatch,{error,ehostdown}},[]})",
                Kind::Unreachable,
                None,
                None,
            ),
            (
                "error: unable to upgrade connection: error dialing backend: dial tcp 127.0.0.1:25241: connect: connection refusedssh",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(25241),
            ),
            (
                "dial tcp 127.0.0.1:16443: connect: connection refused - error from a previous attempt: read tcp 127.0.0.1:36362->127.0.0.1:16443: read: connection reset by peer",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(16443),
            ),
            (
                "===> Uncaught error: {case_clause,\n  {error,\n   {failed_connect,\n    [{to_address,{\"hex.shop.lan\",443}},\n     {inet,\n      [inet],\n      {options,\n       {socket_options,[{mode,binary}]}}}]}}}",
                Kind::Other,
                Some("hex.shop.lan"),
                Some(443),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_five_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Clients that name the URL but not why it failed: a loose reading, `other`;
            // a message wrapped after its first words still speaks of the network.
            (
                "Sending POST to http://localhost:41002/run\nRequest failed: error sending request for url (http://localhost:41002/run)",
                Kind::Other,
                Some("localhost"),
                Some(41002),
            ),
            (
                "error: could not pick a version of shop_core: error sending\nrequest for url (https://pkgs.shop.lan/packages/shop_core)",
                Kind::Other,
                Some("pkgs.shop.lan"),
                Some(443),
            ),
            (
                "! This VM is having trouble accessing https://images.shop.lan\n* To pull new external images, you may need to configure a proxy",
                Kind::Other,
                Some("images.shop.lan"),
                Some(443),
            ),
            (
                "Warning: Failed searching manifest: Failed fetching manifest for http://rocks.shop.lan/repo",
                Kind::Other,
                Some("rocks.shop.lan"),
                Some(80),
            ),
            // Known programs' words with no reason.
            (
                "[DBNETLIB]SQL Server does not exist or access denied.\n[DBNETLIB]ConnectionOpen (Connect()).",
                Kind::Other,
                None,
                None,
            ),
            (
                "2024-03-01 10:00:01,100 INFO  [main] ipc.RpcClient: Retrying connect to server: nn1.lan/10.1.1.7:8020 after sleeping 100ms. Already tried 0 time(s).",
                Kind::Other,
                Some("nn1.lan"),
                Some(8020),
            ),
            (
                "$ bin/shop ping\nNode 'shop@10.8.0.3' not responding to pings.",
                Kind::Other,
                Some("10.8.0.3"),
                None,
            ),
            (
                "1932:20240815:182910.826 Zabbix agent item [vm.memory.size] on host [nas.lan] failed: first network error, wait for 15 seconds",
                Kind::Other,
                Some("nas.lan"),
                None,
            ),
            // Java's empty trust store; Windows' 10053 in Chinese.
            (
                "Caused by: java.security.InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty",
                Kind::Tls,
                None,
                None,
            ),
            (
                "java.io.IOException: 你的主机中的软件中止了一个已建立的连接。\n\tat sun.nio.ch.SocketDispatcher.read0(Native Method)",
                Kind::Reset,
                None,
                None,
            ),
            // Dart's `port =` after a refusal is the client's own port.
            (
                "SocketException: OS Error: Connection refused, errno = 111, address = api.shop.lan, port = 51234",
                Kind::Refused,
                Some("api.shop.lan"),
                None,
            ),
            // Playwright's snapshot of a browser's error page.
            (
                "- heading \"This site can’t be reached\" [level=1]\n- paragraph:\n  - strong: cms.shop.lan\n  - text: took too long to respond.",
                Kind::Timeout,
                Some("cms.shop.lan"),
                None,
            ),
            // curl's verbose TLS progress is no failure; the reason before it is.
            (
                "error: downloading 'https://mirror.shop.lan/a.tgz' failed\n  status_code: 28\n  status_string: \"Timeout was reached\"\n  Connected to mirror.shop.lan (10.9.9.9) port 443 (#0)\n  [CONN-0-0][CF-SSL] TLSv1.3 (OUT), TLS handshake, Client hello (1):",
                Kind::Timeout,
                Some("mirror.shop.lan"),
                Some(443),
            ),
            // R's curl puts the host in brackets after the reason.
            (
                "! Timeout was reached [cran.shop.lan]:\nConnection timed out after 10001 milliseconds",
                Kind::Timeout,
                Some("cran.shop.lan"),
                None,
            ),
            // A host and a port given to a program, with more arguments after them, after a
            // `[user@box dir]#` prompt.
            (
                "[root@app1 tutorial]# java -cp .:send.jar Send 10.20.0.7 5672 user secret\nException in thread \"main\" java.net.NoRouteToHostException: No route to host (Host unreachable)",
                Kind::Unreachable,
                Some("10.20.0.7"),
                Some(5672),
            ),
            // PowerShell remoting: the computer's name, and a refusal in its own words.
            (
                "The operation on computer \"SRV07\" failed: WinRM cannot complete the operation. Verify that the specified computer name is valid",
                Kind::Other,
                Some("SRV07"),
                None,
            ),
            (
                "Connecting to remote server failed with following error messages :\nThe connection to the specified remote host was refused. Verify that the\nWS-Management service is running on the remote host",
                Kind::Refused,
                None,
                None,
            ),
            // wget in Russian; s_client's silent close; timeouts in Polish and German; a
            // closed connection in Russian.
            (
                "ОШИБКА: невозможно проверить сертификат files.shop.lan, запрошенный `/CN=Shop CA':\nНевозможно установить соединение SSL.",
                Kind::Tls,
                Some("files.shop.lan"),
                None,
            ),
            (
                "$ openssl s_client -connect 10.30.0.8:443\nCONNECTED(00000003)\nwrite:errno=0\n---\nno peer certificate available\n---",
                Kind::Tls,
                Some("10.30.0.8"),
                Some(443),
            ),
            (
                "Connecting to 10.40.0.9:16401: from 0.0.0.0:58354:\nOperacja została zwrócona, ponieważ przekroczono limit czasu.",
                Kind::Timeout,
                Some("10.40.0.9"),
                Some(16401),
            ),
            (
                "GET http://patch.shop.lan:8080/list.txt.gz\n01/28-16:59:27 Das Zeitlimit für den Vorgang wurde erreicht.",
                Kind::Timeout,
                Some("patch.shop.lan"),
                Some(8080),
            ),
            (
                "16.01.2015 23:41:34 - Лог - Потеря соединения, отчет =Соединение с сервером закрыто.",
                Kind::Reset,
                None,
                None,
            ),
            // Older curl names the host and port it is about to connect to.
            (
                "* About to connect() to mirrors.shop.lan port 443 (#0)\n* connect() timed out!\ncurl: (28) connect() timed out!",
                Kind::Timeout,
                Some("mirrors.shop.lan"),
                Some(443),
            ),
            // IBM MQ's partner on a line of its own; OpenSSH's keepalive.
            (
                "+CSQX202E !MQ21 CSQXRCTL Connection or remote listener unavailable, 808\nchannel TO.LQ1\nconnection 10.60.0.4\nTRPTYPE=TCP RC=00000468 (ECONNREFUSED) reason=00000000",
                Kind::Refused,
                Some("10.60.0.4"),
                Some(1414),
            ),
            (
                "sending incremental file list\nTimeout, server files.shop.lan not responding.\nrsync: connection unexpectedly closed (1193 bytes received so far) [sender]",
                Kind::Timeout,
                Some("files.shop.lan"),
                None,
            ),
            // A name with a label cut out still leaves its port.
            (
                "ClientConnectorError: Cannot connect to host db.<snip>.shop.lan:443 ssl:default [None]",
                Kind::Other,
                None,
                Some(443),
            ),
            // A server's record of the client that came in is no target.
            (
                "{\"error\":\"rpc error: code = Unavailable desc = Connect Failed\",\"grpc.code\":\"Unavailable\",\"peer.address\":\"10.70.0.3:57552\"}",
                Kind::Other,
                None,
                None,
            ),
            // A stack that lost its indentation is still no failure of its own.
            (
                "Internal Error: Error when performing the request to https://registry.shop.lan/pnpm\nat ClientRequest.emit (node:events:519:28)\nat TLSSocket.socketErrorListener (node:_http_client:495:9)",
                Kind::Other,
                Some("registry.shop.lan"),
                Some(443),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_six_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A port written for the host beats the one its connection class implies.
            (
                "Error while fetching server API version: HTTPSConnectionPool(host='10.8.0.4', port=2376): \n    Max retries exceeded with url: /version (Caused by \n    ConnectTimeoutError(<urllib3.connection.VerifiedHTTPSConnection object at 0x7f>, \n    'Connection to 10.8.0.4 timed out. (connect timeout=60)'))",
                Kind::Timeout,
                Some("10.8.0.4"),
                Some(2376),
            ),
            // Every address curl tries is the name's it was about to connect to.
            (
                "* About to connect() to repo.shop.lan port 443 (#0)\n* Trying 10.0.0.1... Timeout\n* Trying 10.0.0.2... Timeout\n* connect() timed out!\ncurl: (28) connect() timed out!",
                Kind::Timeout,
                Some("repo.shop.lan"),
                Some(443),
            ),
            // JSSE's handshake the server ended, and Gradle's TLS-version advice.
            (
                "> Could not GET 'https://repo.shop.lan/m2/x.pom'.\n   > Remote host closed connection during handshake",
                Kind::Tls,
                Some("repo.shop.lan"),
                Some(443),
            ),
            (
                "> Could not GET 'https://plugins.shop.lan/m2/x.pom'.\n   > The server may not support the client's requested TLS protocol versions: (TLSv1.2, TLSv1.3).",
                Kind::Tls,
                Some("plugins.shop.lan"),
                Some(443),
            ),
            // SslStream's closed handshake in Chinese.
            (
                "System.Net.WebException: 基础连接已经关闭: 发送时发生错误。 内部异常 1: IOException: 由于远程方已关闭传输流,身份验证失败。",
                Kind::Tls,
                None,
                None,
            ),
            // libgit2's lookup, even of a name an ssh alias left a suffix on.
            (
                "push error: git error:failed to resolve address for git.shop.lan-work: Name or service not known; class=Net (12)",
                Kind::Dns,
                Some("git.shop.lan-work"),
                None,
            ),
            // Older apt's lookup in single quotes.
            (
                "E: Failed to fetch http://deb.shop.lan/debian/dists/x/InRelease\nE: Could not resolve 'deb.shop.lan'",
                Kind::Dns,
                Some("deb.shop.lan"),
                Some(80),
            ),
            // BIND's older nslookup names the server that did not answer.
            (
                "> www\nServer: ns1.shop.lan Address: 10.0.0.53\n*** ns1.shop.lan can't find www: No response from server",
                Kind::Timeout,
                Some("ns1.shop.lan"),
                Some(53),
            ),
            // Let's Encrypt could not fetch the challenge, and says no more.
            (
                "Type: connection\nDetail: Fetching Error getting validation data",
                Kind::Other,
                None,
                None,
            ),
            // A port with a thousands separator after "to port"; a connect call's bare
            // argument; but not a stack frame's source file.
            (
                "Connecting to port 58,749\nERROR: Connection terminated\njava.net.SocketException: Connection reset",
                Kind::Reset,
                None,
                Some(58749),
            ),
            (
                "12:00:01 Attempt to connect(patch.game.lan).\n12:00:40 connect failed: Connection timed out",
                Kind::Timeout,
                Some("patch.game.lan"),
                None,
            ),
            (
                "java.nio.channels.UnresolvedAddressException\n   at sun.nio.ch.Net.checkAddress(Net.java:107)\n   at io.ktor.network.sockets.TcpSocketBuilder.connect(TcpSocketBuilder.kt:37)",
                Kind::Dns,
                None,
                None,
            ),
            // ASP.NET's exception in brackets is the error, not a log record's prefix; a
            // line that starts with a wide character is read as well.
            (
                "[SocketException (0x271d): An attempt was made to access a socket in a way forbidden by its access permissions x.x.x.x:80]\n   System.Net.Sockets.Socket.DoConnect(EndPoint endPointSnapshot) +208",
                Kind::Other,
                None,
                Some(80),
            ),
            (
                "【错误】[SocketException] connect ECONNREFUSED 127.0.0.1:7890",
                Kind::Refused,
                Some("127.0.0.1"),
                Some(7890),
            ),
            // Cypress names the URL it checked on the next line.
            (
                "Cypress could not verify that this server is running:\n\n  > http://localhost:5174\n\nWe are verifying this server because it has been configured as your baseUrl.",
                Kind::Other,
                Some("localhost"),
                Some(5174),
            ),
            // netcat with no name for the address; Windows telnet's own port.
            (
                "(UNKNOWN) [10.0.0.9] 53 (domain) : Connection timed out",
                Kind::Timeout,
                Some("10.0.0.9"),
                Some(53),
            ),
            (
                "Microsoft Telnet> o 10.0.0.9:1500\nConnecting To 10.0.0.9:1500...Could not open connection to the host, on port 23: Connect failed",
                Kind::Other,
                Some("10.0.0.9"),
                Some(23),
            ),
            // A forwarded channel's refusal is the cause of ssh's closing words after it.
            (
                "channel 0: open failed: connect failed: Connection refused\nstdio forwarding failed\nkex_exchange_identification: Connection closed by remote host",
                Kind::Refused,
                None,
                None,
            ),
            // Let's Encrypt's timeout, named in its detail.
            (
                "  Domain: www.shop.lan\n  Type:   connection\n  Detail: 10.0.0.5: Fetching http://www.shop.lan/.well-known/acme-challenge/x: Timeout during connect (likely firewall problem)\n\nHint: The Certificate Authority failed to verify the temporary nginx configuration changes made by Certbot.",
                Kind::Timeout,
                Some("www.shop.lan"),
                Some(80),
            ),
            // The MySQL client's errno after a blog turned its quotes curly.
            (
                "$ mysql -hdb01 -P3309\nERROR 2013 (HY000): Lost connection to MySQL server at ‘reading initial communication packet‘, system error: 110",
                Kind::Timeout,
                Some("db01"),
                Some(3309),
            ),
            // rabbitmqctl's diagnostics: epmd could not look the node's host up.
            (
                "Error: unable to perform an operation on node 'rabbit@mq2'. Please see diagnostics information and suggestions below.\n* TCP connection succeeded but Erlang distribution failed\n* epmd error for host mq2: nxdomain (non-existing domain)",
                Kind::Dns,
                Some("mq2"),
                None,
            ),
            // A development server's proxy: the backend is after "to".
            (
                "Proxy error: Could not proxy request /api/items from localhost:3000 to http://localhost:5001.\nSee https://nodejs.org/api/errors.html#errors_common_system_errors for more information (ECONNREFUSED).",
                Kind::Refused,
                Some("localhost"),
                Some(5001),
            ),
            // pip fetched from a URL six words after what it was obtaining.
            (
                "Obtaining dependency information for shoplib from https://pkgs.shop.lan/packages/x.whl.metadata\nWARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)'))': /packages/x.whl.metadata",
                Kind::Tls,
                Some("pkgs.shop.lan"),
                Some(443),
            ),
            // Ruby's client built for a host.
            (
                "c = Net::HTTP.new(\"www.shop.lan\")\nresponse = c.request_get(\"/\")\n../net/http.rb:904:in `initialize': execution expired (Net::OpenTimeout)",
                Kind::Timeout,
                Some("www.shop.lan"),
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_seven_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // A failed command quoted after the error names what it was fetching.
            (
                "error: RPC failed; curl 56 LibreSSL SSL_read: SSL_ERROR_SYSCALL, errno 60\nfatal: The remote end hung up unexpectedly\nfatal: early EOF\nfatal: index-pack failed\nError: Failure while executing; `git clone https://git.shop.lan/tap/core /opt/tap --depth=1` exited with 128.",
                Kind::Reset,
                Some("git.shop.lan"),
                Some(443),
            ),
            // Python's outer traceback, after `The above exception was the direct cause`,
            // names the URL its frame was fetching.
            (
                "Traceback (most recent call last):\n  File \"/srv/app/net.py\", line 9, in get\n    for res in _socket.getaddrinfo(host, port, family, type, proto, flags):\nsocket.gaierror: [Errno -2] Name or service not known\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/srv/app/bot.py\", line 40, in fetch\n    f\"https://feeds.shop.lan/latest?tag={tag}\"",
                Kind::Dns,
                Some("feeds.shop.lan"),
                Some(443),
            ),
            // ERROR_NETNAME_DELETED in Russian decides over a frame's `…Timeout` argument.
            (
                "ERR System.Data.SqlClient.SqlException (0x80131904): Подключение к серверу успешно установлено, но затем произошла ошибка в процессе подтверждения, предшествующего входу. (provider: TCP Provider, error: 0 - Указанное сетевое имя более недоступно.)\nERR в System.Data.ProviderBase.DbConnectionPool.TryGetConnection(DbConnection owningObject, UInt32 waitForMultipleObjectsTimeout)",
                Kind::Reset,
                None,
                None,
            ),
            // CFNetwork's TIC log carries a Darwin errno: 54 is a reset, 61 a refusal.
            (
                "TIC TCP Conn Failed [3:0x600001b2c0c0]: 1:54 Err(54)",
                Kind::Reset,
                None,
                None,
            ),
            (
                "TIC TCP Conn Failed [7:0x600001b2c0c0]: 1:61 Err(61)",
                Kind::Refused,
                None,
                None,
            ),
            // JGit names the URL whose service it could not open.
            (
                "org.eclipse.jgit.api.errors.TransportException: https://git.shop.lan/lab/pipe.git: cannot open git-upload-pack\n    at org.eclipse.jgit.api.LsRemoteCommand.execute(LsRemoteCommand.java:222)",
                Kind::Other,
                Some("git.shop.lan"),
                Some(443),
            ),
            // Cacti's SNMP timeout names the device.
            (
                "2024-01-04 21:05:06 - CMDPHP WARNING: SNMP Error:'Timeout (1000 ms)', Device:'10.20.0.22', OID:'.1.3.6.1.2.1.1.2.0'",
                Kind::Timeout,
                Some("10.20.0.22"),
                None,
            ),
            // A name standing for any URL is no target.
            (
                "RuntimeError: Failed to open TCP connection to SOME-URL:443 (failed to get urandom)",
                Kind::Other,
                None,
                Some(443),
            ),
            // A fetch that failed with nothing more said.
            (
                "Error fetching http://localhost:5051/monitor/statistics",
                Kind::Other,
                Some("localhost"),
                Some(5051),
            ),
            // gnutls-cli's own last words decide over the termination before them.
            (
                "*** Fatal error: The TLS connection was non-properly terminated.\n*** handshake has failed: The TLS connection was non-properly terminated.",
                Kind::Tls,
                None,
                None,
            ),
            // Schannel's alert decides over WinINet's code for "could not connect".
            (
                "HttpSendRequestFailed with error 12029.\nA fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 70.",
                Kind::Tls,
                None,
                None,
            ),
            // ftp's `open host port`.
            (
                "$ ftp\nftp> open 10.20.0.9 2121\nConnected to 10.20.0.9.\nConnection closed by remote host.",
                Kind::Reset,
                Some("10.20.0.9"),
                Some(2121),
            ),
            // HttpClient's response that ended early, and SignalR's own handshake.
            (
                "Status(StatusCode=\"Internal\", Detail=\"Error starting gRPC call. HttpRequestException: An error occurred while sending the request. IOException: The response ended prematurely.\")",
                Kind::Reset,
                None,
                None,
            ),
            (
                "Exception: The underlying connection was closed before the hub handshake could complete.",
                Kind::Reset,
                None,
                None,
            ),
            // A security manager's refusal is no lookup, whatever the operation's name.
            (
                "com.jcraft.jsch.JSchException: java.security.AccessControlException: access denied (java.net.SocketPermission sftp.shop.lan resolve)",
                Kind::Other,
                None,
                None,
            ),
            // libcurl's code name written bare, after the URL.
            (
                "W/Unity(29158): Failed to request: https://cdn.shop.lan/, reason: COULDNT_RESOLVE_HOST",
                Kind::Dns,
                Some("cdn.shop.lan"),
                Some(443),
            ),
            // opam's curl status, the URL in the Fetch_fail below it.
            (
                "#32 258.6 [ERROR] Failed to get sources of ocamlfind.1.9.6: curl error code 504\n#32 258.6\n#32 258.6 #=== ERROR while fetching sources for ocamlfind.1.9.6 ===#\n#32 258.6 OpamSolution.Fetch_fail(\"http://dl.shop.lan/ocamlfind-1.9.6.tar.gz\"",
                Kind::Other,
                Some("dl.shop.lan"),
                Some(80),
            ),
            // A collector's record that is only the URL it goes to next.
            (
                "2016-09-23 13:56:00,011 INFO  c.c.d.collector.CollectorTask - http://10.20.5.17:8080\n2016-09-23 13:56:20,265 ERROR c.c.d.collector.FeatureCollectorTask - Failed to collect jira information\njava.lang.RuntimeException: java.net.SocketTimeoutException",
                Kind::Timeout,
                Some("10.20.5.17"),
                Some(8080),
            ),
            // svn over https when the TLS exchange failed.
            (
                "svn: E120171: Unable to connect to a repository at URL 'https://svn.shop.lan:8443/repo/trunk'\nsvn: E120171: Error running context: An error occurred during SSL communication",
                Kind::Tls,
                Some("svn.shop.lan"),
                Some(8443),
            ),
            // TeamSpeak's German attempt names the server its failure is about.
            (
                "<11:13:44> Versuche zum Server auf ts.shop.de zu verbinden\n<11:13:50> Verbindung zum Server fehlgeschlagen",
                Kind::Other,
                Some("ts.shop.de"),
                None,
            ),
            // An attempt told at the end of its line, with an ellipsis.
            (
                "Trying to connect to relay.shop.lan...\nconnect failed: Connection refused",
                Kind::Refused,
                Some("relay.shop.lan"),
                None,
            ),
            // Python's older certificate name check.
            (
                "getmailrc: operation error ((\"hostname '10.20.0.48' doesn't match 'mail.shop.lan'\",))",
                Kind::Tls,
                Some("10.20.0.48"),
                None,
            ),
            // FileZilla's SFTP session names its user, host and port.
            (
                "Status: Connecting to files.shop.lan...\nResponse: fzSftp started\nCommand: open \"deploy@files.shop.lan\" 2222\nError: Network error: Connection refused\nError: Could not connect to server",
                Kind::Refused,
                Some("files.shop.lan"),
                Some(2222),
            ),
            // git's own transport on one line: the name, not the address it tried.
            (
                "$ repo sync -j1 fatal: unable to connect to git.shop.lan: git.shop.lan[0: 10.20.114.4]: errno=Connection timed out",
                Kind::Timeout,
                Some("git.shop.lan"),
                None,
            ),
            // curl -v when the certificate names another host.
            (
                "* Server certificate:\n*  subject: CN=*.shop.lan\n*  subjectAltName does not match get.shop.io\n* SSL: no alternative certificate subject name matches target host name 'get.shop.io'",
                Kind::Tls,
                Some("get.shop.io"),
                None,
            ),
            // macOS's EAI_NONAME, as a program rewords it.
            (
                "error resolving cdn.shop.lan nodename nor servname not provided or known",
                Kind::Dns,
                Some("cdn.shop.lan"),
                None,
            ),
            // The old mongo shell's name, then the address and port it tried.
            (
                "Wed May 5 22:18:58 JS Error: Error: couldn't connect: couldn't connect to server db.shop.lan 10.20.0.12:27017 (anon):950",
                Kind::Other,
                Some("db.shop.lan"),
                Some(27017),
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn forms_of_round_twenty_eight_name_their_target_and_kind() {
        let cases: &[(&str, Kind, Option<&str>, Option<u16>)] = &[
            // Node prints the error's own fields after its last frame; axios's `baseURL` is
            // where a relative `url` went.
            (
                "Error: socket hang up\n    at connResetException (node:internal/errors:718:14)\n    at TLSSocket.socketOnEnd (node:_http_client:514:23)\n    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {\n  code: 'ECONNRESET',\n  config: {\n    url: 'v1/orders',\n    method: 'post',\n    data: '{}',\n    headers: {\n      Accept: 'application/json, text/plain, */*',\n      'Content-Type': 'application/json',\n      'User-Agent': 'axios/1.6.0'\n    },\n    baseURL: 'https://api.shop.lan/',",
                Kind::Reset,
                Some("api.shop.lan"),
                Some(443),
            ),
            // varnishlog opens the backend by address and port before its fetch fails.
            (
                "-   BackendOpen    21 boot.web1 10.20.0.31 8080 10.20.0.2 51844\n-   Timestamp      Bereq: 1452600181.683071 0.000096 0.000096\n-   FetchError     http first read error: EOF\n-   BackendClose   21 boot.web1",
                Kind::Reset,
                Some("10.20.0.31"),
                Some(8080),
            ),
            // A link to a tool's troubleshooting documentation is advice, not the target.
            (
                "Please see the Shop troubleshooting documentation at http://help.shop.lan/issues. Thanks!\n/usr/lib/ruby/net/http.rb:917:in `connect': SSL_connect returned=1 errno=0 state=error: certificate verify failed (OpenSSL::SSL::SSLError)",
                Kind::Tls,
                None,
                None,
            ),
            // A browser console's line starts with the asset and its line, not a host.
            (
                "banner.png:1 Failed to load resource: net::ERR_CONNECTION_RESET",
                Kind::Reset,
                None,
                None,
            ),
            // `some.address.com` stands in for the reporter's own host.
            (
                "./check_http -H some.address.com --ssl=1\nCRITICAL - Cannot make SSL connection.\nerror:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure",
                Kind::Tls,
                None,
                None,
            ),
            // SqlClient's TLS layer reports the peer closing the connection: a reset.
            (
                "A connection was successfully established with the server, but then an error occurred during the login process. (provider: SSL Provider, error: 0 - An existing connection was forcibly closed by the remote host.)",
                Kind::Reset,
                None,
                None,
            ),
            // ...and alone, or with a certificate it did not trust, a TLS failure.
            (
                "(provider: SSL Provider, error: 0 - The certificate chain was issued by an authority that is not trusted.)",
                Kind::Tls,
                None,
                None,
            ),
            // Windows' error 233 after the pre-login handshake: the server let go.
            (
                "A connection was successfully established with the server, but then an error occurred during the pre-login handshake. (provider: Shared Memory Provider, error: 0 - No process is on the other end of the pipe.) (Microsoft SQL Server, Error: 233)",
                Kind::Reset,
                None,
                None,
            ),
            // paramiko with no IPv6 address to try: "on  or 10.0.0.5".
            (
                "NoValidConnectionsError: [Errno None] Unable to connect to port 22 on or 10.20.0.40",
                Kind::Other,
                Some("10.20.0.40"),
                Some(22),
            ),
            // DnsClient.NET names the DNS server the query went to.
            (
                "Query 311 => shop.lan IN A on 10.20.0.53:53 failed with an error.",
                Kind::Other,
                Some("10.20.0.53"),
                Some(53),
            ),
            // WCF's "no endpoint listening" in Chinese.
            (
                "没有终结点在侦听可以接受消息的 http://10.20.0.7:8888/Orders 这通常是由于不正确的地址或者 SOAP 操作导致的。",
                Kind::Other,
                Some("10.20.0.7"),
                Some(8888),
            ),
            // erl_call's node is `name@host`.
            (
                "erl_call: failed to connect to node app01@build7",
                Kind::Other,
                Some("build7"),
                None,
            ),
            // ntpdate's debug output drops a server that sent nothing back: not a reset.
            // The address the name resolved to, with its port, is the one it names.
            (
                "# ntpdate -d time.shop.lan\nLooking for host time.shop.lan and service ntp\ntransmit(10.20.0.123)\n10.20.0.123: Server dropped: no data\nserver 10.20.0.123, port 123",
                Kind::Other,
                Some("10.20.0.123"),
                Some(123),
            ),
            // Tcl's `socket host port` at its prompt.
            (
                "% socket 10.20.0.9 2343\ncouldn't open socket: connection refused",
                Kind::Refused,
                Some("10.20.0.9"),
                Some(2343),
            ),
            // net/http's own source in a Ruby trace names Net::OpenTimeout whatever failed.
            (
                "Errno::ECONNREFUSED: Failed to open TCP connection to 10.20.0.15:443 (Connection refused - connect(2) for \"10.20.0.15\" port 443)\n  net/http.rb:949:in `rescue in block in connect'\n  net/http.rb:945:in `connect'\n    s = Timeout.timeout(@open_timeout, Net::OpenTimeout) {",
                Kind::Refused,
                Some("10.20.0.15"),
                Some(443),
            ),
            // telnet's command gives its port to the address it then tries.
            (
                "$ telnet db.shop.lan 22\nTrying 10.20.0.5...\ntelnet: connect to address 10.20.0.5: Operation timed out",
                Kind::Timeout,
                Some("10.20.0.5"),
                Some(22),
            ),
            // FileZilla's `protocol_version=8` is a setting, not a TLS alert.
            (
                "Response: fzSftp started, protocol_version=8\nCommand: open \"me@sftp.shop.lan\" 22\nError: Network error: Software caused connection abort\nError: Could not connect to server",
                Kind::Reset,
                Some("sftp.shop.lan"),
                Some(22),
            ),
            // MySQL's Winsock code with its words in quotes.
            (
                "ERROR 2003 (HY000): Can't connect to MySQL server on 'db.shop.lan' (10060 \"Unknown error\")",
                Kind::Timeout,
                Some("db.shop.lan"),
                None,
            ),
            // Erlang's httpc: the server closed the socket.
            (
                "** (Mix) httpc request failed with: :socket_closed_remotely\nCould not install Hex because Mix could not download metadata at https://hex.shop.lan/installs/hex.csv.signed.",
                Kind::Reset,
                Some("hex.shop.lan"),
                Some(443),
            ),
            // `net use`'s system error 53.
            (
                "System Error 53 has occured.\nThe network path was not found.",
                Kind::Other,
                None,
                None,
            ),
            // Expo Go could not load the app from the development server.
            (
                "There was a problem loading the requested app. It looks like you may be using a LAN URL.",
                Kind::Other,
                None,
                None,
            ),
            // openssl s_client's `-host` and `-port`.
            (
                "$ openssl s_client -host tls.shop.lan -port 8443\nverify error:num=20:unable to get local issuer certificate",
                Kind::Tls,
                Some("tls.shop.lan"),
                Some(8443),
            ),
            // A Ruby settings file below the error: `host "x"` and `port "4567"`.
            (
                "An HTTP error occurred. Check your settings. Connection refused - connect(2)\n/home/me/.sensu/settings.rb\nhost \"api.shop.lan\"\nport \"4567\"",
                Kind::Refused,
                Some("api.shop.lan"),
                Some(4567),
            ),
            // Erlang's report header is a date, not an address; the TLS alert decides.
            (
                "=ERROR REPORT==== 9-Sep-2015::15:41:47 ===\nSSL: certify: ssl_handshake.erl:1389:Fatal error: bad certificate\n** exception error: no match of right hand side value {error,{tls_alert,\"bad certificate\"}}",
                Kind::Tls,
                None,
                None,
            ),
            // Old Node's EADDRINFO is a failed lookup.
            (
                "Error: getaddrinfo EADDRINFO\n    at errnoException (dns.js:37:11)",
                Kind::Dns,
                None,
                None,
            ),
            // gRPC's server preface never came: the connection was closed.
            (
                "temporal operator namespace list --address 10.20.0.3:7233\nmsg=\"failed reaching server: last connection error: connection error: desc = \\\"error reading server preface: EOF\\\"\"",
                Kind::Reset,
                Some("10.20.0.3"),
                Some(7233),
            ),
            // libgit2's certificate error under cargo's chain.
            (
                "    Updating git repository `https://git.shop.lan/lib/x.git`\nUnable to update https://git.shop.lan/lib/x.git#75cff194\n\nCaused by:\n  [16] The SSL certificate is invalid",
                Kind::Tls,
                Some("git.shop.lan"),
                Some(443),
            ),
            // A zero-padded IPv4 part is still the address as written...
            (
                "nodetool: Failed to connect to '127.0.0.02:8081' - ConnectException: 'Connection refused (Connection refused)'.",
                Kind::Refused,
                Some("127.0.0.02"),
                Some(8081),
            ),
            // ...and a server's log of its client names no place it went: dovecot's
            // `rip=`, Apache's `(server name:443)` after `[client …]`.
            (
                "dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=10.20.0.8, lip=10.20.0.2, TLS handshaking: SSL_accept() failed: error:14094418:SSL routines:SSL3_READ_BYTES:tlsv1 alert unknown ca",
                Kind::Tls,
                None,
                None,
            ),
            (
                "[Tue Aug 26 10:48:22 2014] [info] [client 10.20.0.8] SSL library error 1 in handshake (server www.shop.lan:443)\n[Tue Aug 26 10:48:22 2014] [info] SSL Library Error: 336151576 error:14094418:SSL routines:SSL3_READ_BYTES:tlsv1 alert unknown ca",
                Kind::Tls,
                None,
                None,
            ),
        ];
        assert_reads(cases);
    }

    #[test]
    fn a_final_line_break_ends_the_last_line() {
        let lines = |t: &str| explain(t, &Knowledge::bundled()).stats.lines;
        assert_eq!(lines("all good"), 1);
        assert_eq!(lines("all good\n"), 1);
        assert_eq!(lines("a\r\nb\r\n"), 2);
        assert_eq!(lines("a\n\n"), 2);
        assert_eq!(lines("a\rb"), 2);
    }

    #[test]
    fn summaries_start_with_a_capital() {
        let f = main_of("psql: error: connection to server at \"db\" (10.0.0.5), port 5432 failed: Connection refused").unwrap();
        assert!(
            f.summary
                .starts_with("The PostgreSQL client was refused by db:5432"),
            "{}",
            f.summary
        );
    }
}
