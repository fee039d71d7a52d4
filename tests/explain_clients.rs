//! `connfix explain` on what real client programs print when a connection fails.
//!
//! Each scenario builds one fault for real (a closed port, a missing name, a dead DNS server, a
//! server that resets, a TLS client talking to plain HTTP, a dropped SYN, no route, a missing
//! unix socket), runs every client installed here against it (python3, curl, wget, node, psql,
//! java, go, kubectl, docker), captures what the client printed (stdout and stderr in one
//! stream, as a terminal shows it) and asks `connfix explain - --json` about the capture.
//!
//! With `CONNFIX_UPDATE_CORPUS=1` every live capture is written to
//! `tests/corpus/captured/<client>-<scenario>.txt`: the checked-in copies record what one
//! machine printed, and are asserted on as well (so a machine lacking a client, or having other
//! versions, still checks them).
//!
//! The table in [`Scenario::cases`] says, for each client, the one `kind` explain must report
//! (the scenario's; `other` only where the client's text names no kind, each such row saying
//! why), the cause it must rank first (the scenario's own unless the text points elsewhere,
//! and then the scenario's must still be near the top), and what part of the target the
//! client's own output names (explain cannot know what the client never printed, so it must
//! say null there).
//!
//! Safety: every fault that needs a port or a name lives in a network namespace made here
//! (fixed ports, so captures are stable, and a private loopback), whose resolv.conf points at a
//! loopback address inside it; nothing leaves it. The unix-socket scenario runs on the host
//! with a path under /nonexistent. Every client gets its own short timeouts and is killed after
//! [`CLIENT_LIMIT`].
//!
//! Needs root for the namespaces (as tests/check_netns.rs does); without it, or without a
//! client, the live part skips with a message, and under CI=true a missing requirement fails
//! with its reason: .ci/run installs every client from Debian (kubectl is Debian's
//! kubernetes-client, docker its docker.io).
//!
//! The Go and Java programs are compiled once and kept under the target directory by a hash
//! of their source and compiler ([`cached_build`]), so a run with them built costs no
//! compile, and a build is never cut short by a time limit.

mod support;

use serde_json::Value;
use std::fmt::{self, Display, Write as _};
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use support::cli::{self, Server};
use support::{Dnsmasq, Netns};

/// A client still running after this is killed (and the pair reported).
const CLIENT_LIMIT: Duration = Duration::from_secs(15);
/// Connect timeout given to every client (by its own flag), except in the timeout scenario.
const CONNECT_SECS: u64 = 5;
/// Connect timeout in the timeout scenario.
const SHORT_CONNECT_SECS: u64 = 1;
/// Whole-request limit given to clients that have one.
const TOTAL_SECS: u64 = 10;

/// Ports used inside the namespaces (each scenario has its own namespace, so fixed ports are
/// free there, and the captures stay the same from run to run).
const REFUSED_PORT: u16 = 8081;
const REFUSED6_PORT: u16 = 8082;
const NX_PORT: u16 = 8083;
const DEAD_DNS_PORT: u16 = 8084;
const RESET_PORT: u16 = 8085;
const TLS_PORT: u16 = 8443;
const TIMEOUT_PORT: u16 = 8086;
const UNREACHABLE_PORT: u16 = 8087;

/// Answered NXDOMAIN by the scenario's dnsmasq.
const NX_NAME: &str = "nothere.connfix.test";
/// Looked up while the namespace's resolver has nothing on port 53.
const DEAD_DNS_NAME: &str = "api.connfix.test";
/// Behind an `unreachable` route inside the namespace (which has no other interface than lo).
const UNREACHABLE_NET: &str = "10.231.9.0/24";
const UNREACHABLE_HOST: &str = "10.231.9.9";
/// A socket path whose directory does not exist.
const NO_SOCKET_DIR: &str = "/nonexistent/connfix";
const NO_SOCKET: &str = "/nonexistent/connfix/nothere.sock";
/// What psql makes of `-h NO_SOCKET_DIR` with the default port.
const PSQL_NO_SOCKET: &str = "/nonexistent/connfix/.s.PGSQL.5432";
/// The namespaces' resolver: dnsmasq where the scenario starts one, otherwise nothing.
const NS_RESOLV_CONF: &str = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    RefusedV4,
    RefusedV6,
    NxDomain,
    DeadDns,
    Reset,
    TlsMismatch,
    Timeout,
    Unreachable,
    NoSocket,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Client {
    PySocket,
    PyUrllib,
    PyRequests,
    Curl,
    Wget,
    NodeNet,
    NodeFetch,
    Psql,
    JavaSocket,
    JavaHttp,
    GoDial,
    GoHttp,
    Kubectl,
    Docker,
}

/// What part of the target the client's output names, and so what explain must report.
#[derive(Clone, Copy, Debug)]
enum Shows {
    /// Host and port.
    HostPort,
    /// The host (a name or an IP literal), no port.
    Host,
    /// Neither: host and port must be null.
    Nothing,
    /// The scenario's unix socket path (host and port null).
    Path,
    /// psql's socket: the path, which ends in the port number (so the port is not checked).
    PsqlSocket,
    /// This host and port, not the scenario's (host and port of a URL next to a socket).
    Named(&'static str, u16),
}

// The kinds, as `connfix explain --json` spells them.
const REFUSED: &str = "refused";
const DNS: &str = "dns";
const RESET: &str = "reset";
const TLS: &str = "tls";
const TIMEOUT: &str = "timeout";
const UNREACHABLE: &str = "unreachable";
/// "The text does not say which": only for rows whose client's text names no kind (each says
/// why), never as a second choice next to the scenario's kind.
const OTHER: &str = "other";

/// How far down the ranking a cause the text cannot put first must still be.
const LISTED_WITHIN: usize = 3;

/// One client in one scenario: what `connfix explain` must say about its capture.
#[derive(Clone, Copy, Debug)]
struct Case {
    client: Client,
    /// The one kind explain must report.
    kind: &'static str,
    shows: Shows,
    /// The cause explain must rank first: the scenario's own ([`Scenario::cause`]) unless the
    /// row says otherwise.
    first: &'static str,
    /// Where the client's text cannot tell the scenario's cause from a likelier one, the
    /// scenario's cause must still be among the first [`LISTED_WITHIN`].
    listed: Option<&'static str>,
    /// What explain must say instead about the shorter text an older version of the client
    /// prints, told apart by a marker only the newer text has.
    terse: Option<Terse>,
}

/// Debian 12's kubectl (1.20, the one .ci/run installs) prints one summary line where later
/// versions first log each failed request ("couldn't get current server API group list: Get
/// …: dial tcp …"); the checked-in captures come from a later one. Each text is judged by
/// what it says.
#[derive(Clone, Copy, Debug)]
struct Terse {
    /// Present in the newer, longer text only.
    marker: &'static str,
    kind: &'static str,
    first: &'static str,
    shows: Shows,
    /// When the short text names no program.
    ecosystem: Option<&'static str>,
}

/// In every capture of a kubectl newer than 1.20, and in none of 1.20's.
const KUBECTL_LOGS_REQUESTS: &str = "couldn't get current server API group list";

impl Case {
    /// The text points at another cause first (the row says why).
    fn first(mut self, cause: &'static str) -> Case {
        self.first = cause;
        self
    }

    fn listed(mut self, cause: &'static str) -> Case {
        self.listed = Some(cause);
        self
    }

    /// kubectl 1.20's one line: kind, first cause and what it names.
    fn kubectl_1_20(mut self, kind: &'static str, first: &'static str, shows: Shows) -> Case {
        self.terse = Some(Terse {
            marker: KUBECTL_LOGS_REQUESTS,
            kind,
            first,
            shows,
            ecosystem: None,
        });
        self
    }

    /// The short text names no program: only the runtime's words.
    fn terse_ecosystem(mut self, ecosystem: &'static str) -> Case {
        if let Some(t) = &mut self.terse {
            t.ecosystem = Some(ecosystem);
        }
        self
    }
}

impl Scenario {
    const ALL: [Scenario; 9] = [
        Scenario::RefusedV4,
        Scenario::RefusedV6,
        Scenario::NxDomain,
        Scenario::DeadDns,
        Scenario::Reset,
        Scenario::TlsMismatch,
        Scenario::Timeout,
        Scenario::Unreachable,
        Scenario::NoSocket,
    ];

    fn name(self) -> &'static str {
        match self {
            Scenario::RefusedV4 => "refused-v4",
            Scenario::RefusedV6 => "refused-v6",
            Scenario::NxDomain => "nxdomain",
            Scenario::DeadDns => "dead-dns",
            Scenario::Reset => "reset",
            Scenario::TlsMismatch => "tls-mismatch",
            Scenario::Timeout => "timeout",
            Scenario::Unreachable => "unreachable",
            Scenario::NoSocket => "no-socket",
        }
    }

    /// The cause this scenario builds, as `connfix check` would name it: what explain must
    /// rank first when the client's text tells.
    fn cause(self) -> &'static str {
        match self {
            Scenario::RefusedV4 | Scenario::RefusedV6 => "nothing-listening",
            Scenario::NxDomain => "dns-no-such-host",
            Scenario::DeadDns => "dns-server-unreachable",
            Scenario::Reset => "connection-reset",
            Scenario::TlsMismatch => "tls-mismatch",
            // A DROP rule.
            Scenario::Timeout => "firewall-drop",
            // An `unreachable` route: EHOSTUNREACH.
            Scenario::Unreachable => "host-unreachable",
            Scenario::NoSocket => "unix-socket-missing",
        }
    }

    /// What the clients are pointed at.
    fn aim(self) -> Aim {
        let tcp = |host, port, https| Aim {
            host,
            port,
            https,
            unix_path: None,
        };
        match self {
            Scenario::RefusedV4 => tcp("127.0.0.1", REFUSED_PORT, false),
            Scenario::RefusedV6 => tcp("::1", REFUSED6_PORT, false),
            Scenario::NxDomain => tcp(NX_NAME, NX_PORT, false),
            Scenario::DeadDns => tcp(DEAD_DNS_NAME, DEAD_DNS_PORT, false),
            Scenario::Reset => tcp("127.0.0.1", RESET_PORT, false),
            Scenario::TlsMismatch => tcp("127.0.0.1", TLS_PORT, true),
            Scenario::Timeout => tcp("127.0.0.1", TIMEOUT_PORT, false),
            Scenario::Unreachable => tcp(UNREACHABLE_HOST, UNREACHABLE_PORT, false),
            Scenario::NoSocket => Aim {
                host: "",
                port: 0,
                https: false,
                unix_path: Some(NO_SOCKET),
            },
        }
    }

    fn connect_secs(self) -> u64 {
        if self == Scenario::Timeout {
            SHORT_CONNECT_SECS
        } else {
            CONNECT_SECS
        }
    }

    /// Which clients run in this scenario, the kind and first cause explain must give for
    /// each, and what each one's output names. Pairs left out: python's plain socket, node's
    /// net and java's Socket in the TLS scenario (they speak no TLS); urllib, requests, wget,
    /// fetch, HttpClient, go's http.Get and kubectl for the unix socket (no unix-socket URL to
    /// give them); node's net.connect in the timeout scenario (it has no connect timeout: it
    /// would wait for the kernel's ~2 minutes); docker for TLS (its --tls needs certificate
    /// files) and timeouts (no connect-timeout flag).
    fn cases(self) -> Vec<Case> {
        use Client::*;
        use Shows::*;
        let case = |client, kind, shows| Case {
            client,
            kind,
            shows,
            first: self.cause(),
            listed: None,
            terse: None,
        };
        match self {
            Scenario::RefusedV4 | Scenario::RefusedV6 => vec![
                case(PySocket, REFUSED, Nothing),
                case(PyUrllib, REFUSED, Nothing),
                case(PyRequests, REFUSED, HostPort),
                // curl 7.88 and later print "Couldn't connect to server" (exit 7) for a refused
                // connection and for no route alike: the text names no kind.
                case(Curl, OTHER, HostPort),
                case(Wget, REFUSED, HostPort),
                case(NodeNet, REFUSED, HostPort),
                case(NodeFetch, REFUSED, HostPort),
                case(Psql, REFUSED, HostPort),
                case(JavaSocket, REFUSED, Nothing),
                // HttpClient's refused connect: a bare java.net.ConnectException caused by
                // ClosedChannelException (its retry found the channel closed).
                case(JavaHttp, REFUSED, Nothing),
                case(GoDial, REFUSED, HostPort),
                case(GoHttp, REFUSED, HostPort),
                case(Kubectl, REFUSED, HostPort),
                // "Cannot connect to the Docker daemon at tcp://HOST:PORT": over TCP the CLI
                // says that only for a refused (or timed-out) connection. A socket's causes
                // must not lead here.
                case(Docker, REFUSED, HostPort),
            ],
            Scenario::NxDomain => vec![
                case(PySocket, DNS, Nothing),
                case(PyUrllib, DNS, Nothing),
                case(PyRequests, DNS, HostPort),
                case(Curl, DNS, Host),
                case(Wget, DNS, HostPort),
                case(NodeNet, DNS, Host),
                case(NodeFetch, DNS, Host),
                case(Psql, DNS, Host),
                case(JavaSocket, DNS, Host),
                // Only "UnresolvedAddressException" under a bare ConnectException.
                case(JavaHttp, DNS, Nothing),
                case(GoDial, DNS, Host),
                case(GoHttp, DNS, HostPort),
                // 1.20: "Unable to connect to the server: dial tcp: lookup NAME on …: no such
                // host", without the URL.
                case(Kubectl, DNS, HostPort).kubectl_1_20(DNS, "dns-no-such-host", Host),
                case(Docker, DNS, HostPort),
            ],
            Scenario::DeadDns => vec![
                // EAI_AGAIN, "Temporary failure in name resolution": the server did not answer.
                case(PySocket, DNS, Nothing),
                case(PyUrllib, DNS, Nothing),
                case(PyRequests, DNS, HostPort),
                // "Could not resolve host" for a missing name and a dead server alike: the
                // likelier one leads, the dead server must follow closely.
                case(Curl, DNS, Host)
                    .first("dns-no-such-host")
                    .listed("dns-server-unreachable"),
                case(Wget, DNS, HostPort),
                case(NodeNet, DNS, Host),
                case(NodeFetch, DNS, Host),
                case(Psql, DNS, Host),
                // UnknownHostException, and UnresolvedAddressException: as curl.
                case(JavaSocket, DNS, Host)
                    .first("dns-no-such-host")
                    .listed("dns-server-unreachable"),
                case(JavaHttp, DNS, Nothing)
                    .first("dns-no-such-host")
                    .listed("dns-server-unreachable"),
                // Go's resolver gets ICMP port unreachable from 127.0.0.1:53: "lookup NAME on
                // 127.0.0.1:53: read udp ...: connection refused" is a DNS failure, and
                // 127.0.0.1:53 is the resolver, not the target.
                case(GoDial, DNS, Host),
                case(GoHttp, DNS, HostPort),
                // Its last line says "The connection to the server NAME:PORT was refused"; the
                // lines above it show the failed lookup. 1.20 prints only that last line, and
                // a refused connection is all it says.
                case(Kubectl, DNS, HostPort).kubectl_1_20(REFUSED, "nothing-listening", HostPort),
                // docker takes the resolver's "connection refused" for the daemon's and prints
                // only "Cannot connect to the Docker daemon at tcp://NAME:PORT": nothing in the
                // text says DNS, and it is what docker prints for a refused connection.
                case(Docker, REFUSED, HostPort).first("nothing-listening"),
            ],
            Scenario::Reset => vec![
                case(PySocket, RESET, Nothing),
                case(PyUrllib, RESET, Nothing),
                case(PyRequests, RESET, Nothing),
                case(Curl, RESET, Nothing),
                case(Wget, RESET, HostPort),
                case(NodeNet, RESET, Nothing),
                case(NodeFetch, RESET, Nothing),
                // "server closed the connection unexpectedly": libpq's words for a reset.
                case(Psql, RESET, HostPort),
                case(JavaSocket, RESET, Nothing),
                case(JavaHttp, RESET, Nothing),
                case(GoDial, RESET, HostPort),
                case(GoHttp, RESET, HostPort),
                // 1.20 retries the reset connection until its deadline and prints only Go's
                // "error: context deadline exceeded": a timeout, in words that name no program.
                case(Kubectl, RESET, HostPort)
                    .kubectl_1_20(TIMEOUT, "firewall-drop", Nothing)
                    .terse_ecosystem("go"),
                case(Docker, RESET, HostPort),
            ],
            Scenario::TlsMismatch => vec![
                case(PyUrllib, TLS, Nothing),
                case(PyRequests, TLS, HostPort),
                case(Curl, TLS, Nothing),
                case(Wget, TLS, HostPort),
                case(NodeFetch, TLS, Nothing),
                // "received invalid response to SSL negotiation: H": the H of "HTTP/1.1", so
                // the port belongs to another program, which is what leads.
                case(Psql, TLS, HostPort)
                    .first("wrong-port")
                    .listed("tls-mismatch"),
                case(JavaHttp, TLS, Nothing),
                case(GoHttp, TLS, HostPort),
                // 1.20: "Unable to connect to the server: http: server gave HTTP response to
                // HTTPS client", without the URL.
                case(Kubectl, TLS, HostPort).kubectl_1_20(TLS, "tls-mismatch", Nothing),
            ],
            Scenario::Timeout => vec![
                case(PySocket, TIMEOUT, Nothing),
                case(PyUrllib, TIMEOUT, Nothing),
                case(PyRequests, TIMEOUT, HostPort),
                case(Curl, TIMEOUT, HostPort),
                case(Wget, TIMEOUT, HostPort),
                case(NodeFetch, TIMEOUT, HostPort),
                case(Psql, TIMEOUT, HostPort),
                case(JavaSocket, TIMEOUT, Nothing),
                case(JavaHttp, TIMEOUT, Nothing),
                case(GoDial, TIMEOUT, HostPort),
                case(GoHttp, TIMEOUT, HostPort),
                // 1.20: "Unable to connect to the server: net/http: request canceled while
                // waiting for connection (Client.Timeout exceeded …)", without the URL.
                case(Kubectl, TIMEOUT, HostPort).kubectl_1_20(TIMEOUT, "firewall-drop", Nothing),
            ],
            Scenario::Unreachable => vec![
                case(PySocket, UNREACHABLE, Nothing),
                case(PyUrllib, UNREACHABLE, Nothing),
                case(PyRequests, UNREACHABLE, HostPort),
                // The same "Couldn't connect to server" as for a refused port: the likelier
                // cause leads, and no route to the host must follow closely.
                case(Curl, OTHER, HostPort)
                    .first("nothing-listening")
                    .listed("host-unreachable"),
                case(Wget, UNREACHABLE, HostPort),
                case(NodeNet, UNREACHABLE, HostPort),
                case(NodeFetch, UNREACHABLE, HostPort),
                case(Psql, UNREACHABLE, HostPort),
                case(JavaSocket, UNREACHABLE, Nothing),
                case(JavaHttp, UNREACHABLE, Nothing),
                case(GoDial, UNREACHABLE, HostPort),
                case(GoHttp, UNREACHABLE, HostPort),
                case(Kubectl, UNREACHABLE, HostPort),
                case(Docker, UNREACHABLE, HostPort),
            ],
            // A missing socket file (ENOENT) is none of explain's kinds ("refused" is a socket
            // that exists with nobody behind it): its kind is `other`, and the verdict users
            // see is the cause, which must be the missing socket.
            Scenario::NoSocket => vec![
                case(PySocket, OTHER, Nothing),
                // curl names the URL's host and port ("Failed to connect to localhost port
                // 80"), never the socket: its text is that of a TCP connection.
                case(Curl, OTHER, Named("localhost", 80)).first("nothing-listening"),
                case(NodeNet, OTHER, Path),
                case(Psql, OTHER, PsqlSocket),
                case(JavaSocket, OTHER, Nothing),
                case(GoDial, OTHER, Path),
                case(Docker, OTHER, Path),
            ],
        }
    }
}

impl Client {
    /// The file-name prefix of its captures.
    fn name(self) -> &'static str {
        match self {
            Client::PySocket => "python-socket",
            Client::PyUrllib => "python-urllib",
            Client::PyRequests => "python-requests",
            Client::Curl => "curl",
            Client::Wget => "wget",
            Client::NodeNet => "node-net",
            Client::NodeFetch => "node-fetch",
            Client::Psql => "psql",
            Client::JavaSocket => "java-socket",
            Client::JavaHttp => "java-http",
            Client::GoDial => "go-dial",
            Client::GoHttp => "go-http",
            Client::Kubectl => "kubectl",
            Client::Docker => "docker",
        }
    }

    fn ecosystem(self) -> &'static str {
        match self {
            Client::PySocket | Client::PyUrllib | Client::PyRequests => "python",
            Client::Curl => "curl",
            Client::Wget => "wget",
            Client::NodeNet | Client::NodeFetch => "node",
            Client::Psql => "postgres",
            Client::JavaSocket | Client::JavaHttp => "java",
            Client::GoDial | Client::GoHttp => "go",
            Client::Kubectl => "kubectl",
            Client::Docker => "docker",
        }
    }

    /// The programs it needs, and the Debian packages that bring them.
    fn needs(self) -> (&'static [&'static str], &'static str) {
        match self {
            Client::PySocket | Client::PyUrllib | Client::PyRequests => (&["python3"], "python3"),
            Client::Curl => (&["curl"], "curl"),
            Client::Wget => (&["wget"], "wget"),
            Client::NodeNet | Client::NodeFetch => (&["node"], "nodejs"),
            Client::Psql => (&["psql"], "postgresql-client"),
            Client::JavaSocket | Client::JavaHttp => (&["java", "javac"], "default-jdk-headless"),
            Client::GoDial | Client::GoHttp => (&["go"], "golang-go"),
            Client::Kubectl => (&["kubectl"], "kubernetes-client"),
            Client::Docker => (&["docker"], "docker.io"),
        }
    }
}

/// Where a scenario's clients are pointed.
#[derive(Clone, Copy, Debug)]
struct Aim {
    host: &'static str,
    port: u16,
    https: bool,
    unix_path: Option<&'static str>,
}

impl Aim {
    /// host:port as it goes in a URL (IPv6 in brackets).
    fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/", self.authority())
    }

    fn unix(&self) -> &'static str {
        self.unix_path.expect("a unix-socket scenario")
    }
}

// ------------------------------------------------------------------------------------------
// The tests: one per scenario
// ------------------------------------------------------------------------------------------

#[test]
fn closed_port_on_127_0_0_1() {
    check_scenario(Scenario::RefusedV4);
}

#[test]
fn closed_port_on_ipv6_loopback() {
    check_scenario(Scenario::RefusedV6);
}

#[test]
fn a_name_that_does_not_exist() {
    check_scenario(Scenario::NxDomain);
}

#[test]
fn a_dead_dns_server() {
    check_scenario(Scenario::DeadDns);
}

#[test]
fn a_server_that_resets_at_once() {
    check_scenario(Scenario::Reset);
}

#[test]
fn https_to_a_plain_http_server() {
    check_scenario(Scenario::TlsMismatch);
}

#[test]
fn a_connect_timeout() {
    check_scenario(Scenario::Timeout);
}

#[test]
fn no_route_to_the_host() {
    check_scenario(Scenario::Unreachable);
}

#[test]
fn a_unix_socket_that_does_not_exist() {
    check_scenario(Scenario::NoSocket);
}

/// Every checked-in capture belongs to a (client, scenario) pair of the table, so a renamed or
/// dropped pair does not leave a file nobody checks.
#[test]
fn every_checked_in_capture_is_in_the_table() {
    let entries =
        fs::read_dir(corpus_dir()).unwrap_or_else(|e| panic!("{}: {e}", corpus_dir().display()));
    let known: Vec<String> = Scenario::ALL
        .iter()
        .flat_map(|&sc| {
            sc.cases()
                .into_iter()
                .map(move |c| capture_name(c.client, sc))
        })
        .collect();
    let strays: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".txt") && !known.contains(name))
        .collect();
    assert!(
        strays.is_empty(),
        "captures with no row in the table: {strays:?}"
    );
}

// ------------------------------------------------------------------------------------------
// Running a scenario
// ------------------------------------------------------------------------------------------

/// One capture judged: which pair, where it came from, and what was wrong (empty when right).
struct Verdict {
    client: Client,
    source: String,
    capture: String,
    problems: Vec<String>,
    explain_said: String,
}

fn check_scenario(sc: Scenario) {
    let cases = sc.cases();
    let update = std::env::var("CONNFIX_UPDATE_CORPUS").is_ok_and(|v| v == "1");

    // Requirements are settled here, on the test's thread: under CI=true a missing one panics.
    let world_ok = scenario_available(sc);
    let live: Vec<bool> = cases
        .iter()
        .map(|c| world_ok && client_available(c.client, sc))
        .collect();
    let world = live.iter().any(|&l| l).then(|| World::new(sc));
    let tools = if live.iter().any(|&l| l) {
        Some(tools())
    } else {
        None
    };

    let started = Instant::now();
    let verdicts: Vec<Verdict> = thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .zip(&live)
            .map(|(&case, &is_live)| {
                let world = world.as_ref();
                scope.spawn(move || {
                    let mut out = Vec::new();
                    let stored = fs::read_to_string(capture_path(case.client, sc)).ok();
                    if is_live {
                        let world = world.expect("a world for live captures");
                        let tools = tools.expect("tools for live captures");
                        let verdict = check_live(sc, case, world, tools, update);
                        let fresh = verdict.capture.clone();
                        out.push(verdict);
                        // The checked-in copy counts too when it is not the same text: another
                        // version of the client wrote it.
                        if let Some(stored) =
                            stored.filter(|s| !update && shape(s) != shape(&fresh))
                        {
                            out.push(judge(sc, case, "checked-in capture".into(), stored, vec![]));
                        }
                    } else if let Some(stored) = stored {
                        out.push(judge(sc, case, "checked-in capture".into(), stored, vec![]));
                    } else {
                        eprintln!(
                            "{}: no live client and no checked-in capture",
                            capture_name(case.client, sc)
                        );
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a client thread panicked"))
            .collect()
    });
    drop(world);

    let failed: Vec<&Verdict> = verdicts.iter().filter(|v| !v.problems.is_empty()).collect();
    eprintln!(
        "{}: {} captures judged, {} wrong, in {:.1} s",
        sc.name(),
        verdicts.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        return;
    }
    let mut report = format!(
        "{} of {} captures in scenario {} are not explained as expected:\n",
        failed.len(),
        verdicts.len(),
        sc.name()
    );
    for v in failed {
        let case = cases.iter().find(|c| c.client == v.client).expect("a case");
        let _ = write!(
            report,
            "\n=== {} × {} ({})\nexpected:     {}\nproblems:     {}\nexplain said: {}\ncaptured text:\n{}",
            v.client.name(),
            sc.name(),
            v.source,
            Expected::of(sc, *case, &v.capture),
            v.problems.join("; "),
            v.explain_said,
            indent(&v.capture),
        );
    }
    panic!("{report}");
}

/// Runs the client, checks that it really failed, stores the capture when asked, and judges it.
fn check_live(sc: Scenario, case: Case, world: &World, tools: &Tools, update: bool) -> Verdict {
    let cmd = client_command(case.client, sc, world, tools);
    let shown = format!("{cmd:?}");
    let ran = run_bounded(cmd, None, true);
    let mut problems = Vec::new();
    if ran.timed_out {
        problems.push(format!(
            "the client was still running after {CLIENT_LIMIT:?}: killed"
        ));
    } else if ran.code == Some(0) {
        problems.push("the client succeeded (exit 0): the fault was not there".into());
    }
    if ran.out.trim().is_empty() {
        problems.push("the client printed nothing".into());
    }
    if update && problems.is_empty() {
        let path = capture_path(case.client, sc);
        fs::create_dir_all(corpus_dir()).expect("create tests/corpus/captured");
        fs::write(&path, &ran.out).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    let source = format!(
        "live, exit {}, {:.1} s: {shown}",
        ran.code.map_or("by signal".into(), |c| c.to_string()),
        ran.elapsed.as_secs_f64()
    );
    judge(sc, case, source, ran.out, problems)
}

/// Asks `connfix explain - --json` about a capture and compares with the table.
fn judge(
    sc: Scenario,
    case: Case,
    source: String,
    capture: String,
    mut problems: Vec<String>,
) -> Verdict {
    let mut cmd = cli::connfix();
    cmd.args(["explain", "-", "--json"]);
    let ran = run_bounded(cmd, Some(capture.clone().into_bytes()), false);
    let explain_said = match serde_json::from_str::<Value>(&ran.out) {
        Ok(v) => {
            problems.extend(Expected::of(sc, case, &capture).differences(&v, ran.code));
            brief_json(&v, ran.code)
        }
        Err(e) => {
            problems.push(format!("no JSON from explain ({e})"));
            format!(
                "exit {:?}{}\n  stdout: {}\n  stderr: {}",
                ran.code,
                if ran.timed_out { " (killed)" } else { "" },
                ran.out.trim(),
                ran.err.trim()
            )
        }
    };
    let name = capture_name(case.client, sc);
    eprintln!(
        "{name} ({}): {}",
        source.split(':').next().unwrap_or(""),
        if problems.is_empty() { "ok" } else { "WRONG" }
    );
    Verdict {
        client: case.client,
        source,
        capture,
        problems,
        explain_said,
    }
}

/// One field's expected value.
#[derive(Clone, Copy, Debug)]
enum Want<T> {
    Is(T),
    Null,
    Any,
}

impl<T: Display> Display for Want<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Want::Is(v) => write!(f, "{v}"),
            Want::Null => f.write_str("null"),
            Want::Any => f.write_str("(any)"),
        }
    }
}

struct Expected {
    kind: &'static str,
    first: &'static str,
    listed: Option<&'static str>,
    ecosystem: &'static str,
    host: Want<&'static str>,
    port: Want<u16>,
    unix_path: Want<&'static str>,
}

impl Expected {
    /// What explain must say about `capture`, a text of `case`'s client in `sc`.
    fn of(sc: Scenario, case: Case, capture: &str) -> Expected {
        let aim = sc.aim();
        let mut ecosystem = case.client.ecosystem();
        let mut case = case;
        if let Some(t) = case.terse.filter(|t| !capture.contains(t.marker)) {
            case.kind = t.kind;
            case.first = t.first;
            case.shows = t.shows;
            case.listed = None;
            ecosystem = t.ecosystem.unwrap_or(ecosystem);
        }
        let (host, port, unix_path) = match case.shows {
            Shows::HostPort => (Want::Is(aim.host), Want::Is(aim.port), Want::Null),
            Shows::Host => (Want::Is(aim.host), Want::Null, Want::Null),
            Shows::Nothing => (Want::Null, Want::Null, Want::Null),
            Shows::Path => (Want::Null, Want::Null, Want::Is(aim.unix())),
            Shows::PsqlSocket => (Want::Null, Want::Any, Want::Is(PSQL_NO_SOCKET)),
            Shows::Named(host, port) => (Want::Is(host), Want::Is(port), Want::Null),
        };
        Expected {
            kind: case.kind,
            first: case.first,
            listed: case.listed,
            ecosystem,
            host,
            port,
            unix_path,
        }
    }

    fn differences(&self, v: &Value, code: Option<i32>) -> Vec<String> {
        let mut wrong = Vec::new();
        if code != Some(0) {
            wrong.push(format!(
                "exit {code:?}, not 0 (an error was there to recognise)"
            ));
        }
        if v["kind"].as_str() != Some(self.kind) {
            wrong.push(format!("kind {}", v["kind"]));
        }
        let causes: Vec<&str> = v["knowledge"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if causes.first() != Some(&self.first) {
            wrong.push(format!("first cause {:?}", causes.first()));
        }
        if let Some(listed) = self.listed
            && !causes.iter().take(LISTED_WITHIN).any(|c| *c == listed)
        {
            wrong.push(format!(
                "{listed} not among the first {LISTED_WITHIN} causes"
            ));
        }
        if v["ecosystem"].as_str() != Some(self.ecosystem) {
            wrong.push(format!("ecosystem {}", v["ecosystem"]));
        }
        let target = &v["target"];
        if !matches_str(self.host, &target["host"]) {
            wrong.push(format!("host {}", target["host"]));
        }
        let port_ok = match self.port {
            Want::Is(p) => target["port"].as_u64() == Some(u64::from(p)),
            Want::Null => target["port"].is_null(),
            Want::Any => true,
        };
        if !port_ok {
            wrong.push(format!("port {}", target["port"]));
        }
        if !matches_str(self.unix_path, &target["unix_path"]) {
            wrong.push(format!("unix_path {}", target["unix_path"]));
        }
        wrong
    }
}

impl Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit 0, kind {}, first cause {}{}, ecosystem {}, host {}, port {}, unix_path {}",
            self.kind,
            self.first,
            self.listed
                .map(|c| format!(" ({c} among the first {LISTED_WITHIN})"))
                .unwrap_or_default(),
            self.ecosystem,
            self.host,
            self.port,
            self.unix_path
        )
    }
}

fn matches_str(want: Want<&str>, got: &Value) -> bool {
    match want {
        Want::Is(s) => got.as_str() == Some(s),
        Want::Null => got.is_null(),
        Want::Any => true,
    }
}

/// The fields the table is about, on one line, then the summary.
fn brief_json(v: &Value, code: Option<i32>) -> String {
    let t = &v["target"];
    format!(
        "exit {code:?}, kind {}, ecosystem {}, errno {}, host {}, port {}, scheme {}, unix_path {}, \
         knowledge {}\n  summary: {}",
        v["kind"],
        v["ecosystem"],
        v["errno"],
        t["host"],
        t["port"],
        t["scheme"],
        t["unix_path"],
        v["knowledge"],
        v["summary"]
    )
}

/// The text with every run of hex digits that holds a decimal digit made "#": two captures of
/// one fault by one client version then differ in nothing (times, pids, the client's own port,
/// object addresses are all such runs).
fn shape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().any(|c| c.is_ascii_digit()) {
            out.push('#');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  | {l}\n")).collect()
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/captured")
}

fn capture_name(client: Client, sc: Scenario) -> String {
    format!("{}-{}.txt", client.name(), sc.name())
}

fn capture_path(client: Client, sc: Scenario) -> PathBuf {
    corpus_dir().join(capture_name(client, sc))
}

// ------------------------------------------------------------------------------------------
// Requirements
// ------------------------------------------------------------------------------------------

fn scenario_available(sc: Scenario) -> bool {
    let what = format!("live captures for scenario {}", sc.name());
    if sc == Scenario::NoSocket {
        return true;
    }
    if !support::require(support::can_netns(), &what, "needs root and iproute2") {
        return false;
    }
    match sc {
        Scenario::NxDomain => support::require(
            support::find_program("dnsmasq").is_some(),
            &what,
            "needs dnsmasq (Debian package dnsmasq-base)",
        ),
        Scenario::Timeout => support::require(
            support::have("iptables"),
            &what,
            "needs iptables (Debian package iptables)",
        ),
        _ => true,
    }
}

/// Every client is required: without it the live part skips with a message, and under
/// CI=true (where .ci/run installs them all from Debian) that is a failure naming the package.
fn client_available(client: Client, sc: Scenario) -> bool {
    let what = format!("live capture {}", capture_name(client, sc));
    let (programs, package) = client.needs();
    let ok = programs.iter().all(|p| support::have(p));
    let why = format!(
        "needs {} (Debian package {package})",
        programs.join(" and ")
    );
    if !support::require(ok, &what, &why) {
        return false;
    }
    if client == Client::PyRequests {
        return support::require(
            python_has_requests(),
            &what,
            "python3 cannot import requests (Debian package python3-requests, or pip install requests)",
        );
    }
    true
}

fn python_has_requests() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| {
        let mut cmd = Command::new(program_path("python3"));
        cmd.args(["-c", "import requests"]);
        let ran = run_bounded(cmd, None, true);
        ran.code == Some(0)
    })
}

fn program_path(name: &str) -> PathBuf {
    support::find_program(name).unwrap_or_else(|| PathBuf::from(name))
}

// ------------------------------------------------------------------------------------------
// The fault: a namespace, servers, a resolver
// ------------------------------------------------------------------------------------------

/// Everything a scenario set up; removed on drop (servers before the namespace).
struct World {
    _server: Option<Server>,
    _dns: Option<Dnsmasq>,
    ns: Option<Netns>,
    /// HOME, KUBECONFIG and DOCKER_CONFIG for kubectl and docker, so nothing of the machine's
    /// user leaks in and nothing is left in it.
    home: tempfile::TempDir,
}

impl World {
    fn new(sc: Scenario) -> World {
        let home = tempfile::Builder::new()
            .prefix("cfx-clients-home-")
            .tempdir()
            .expect("a temporary HOME");
        fs::write(home.path().join("kubeconfig"), "").expect("an empty kubeconfig");
        fs::create_dir_all(home.path().join("docker")).expect("a docker config dir");
        let mut world = World {
            _server: None,
            _dns: None,
            ns: None,
            home,
        };
        if sc == Scenario::NoSocket {
            assert!(
                !Path::new(NO_SOCKET_DIR).exists(),
                "{NO_SOCKET_DIR} exists on this machine; the scenario needs it absent"
            );
            return world;
        }
        let ns = Netns::new();
        // Every namespace resolves through loopback inside it: never the machine's resolver.
        ns.set_resolv_conf(NS_RESOLV_CONF);
        let aim = sc.aim();
        let local = |port| SocketAddr::from(([127, 0, 0, 1], port));
        match sc {
            Scenario::RefusedV4 | Scenario::RefusedV6 | Scenario::DeadDns => {}
            Scenario::NxDomain => {
                world._dns = Some(Dnsmasq::start(
                    Some(&ns),
                    "127.0.0.1".parse().expect("an address"),
                    53,
                    &[(NX_NAME, None)],
                ));
            }
            Scenario::Reset => {
                let listener = cli::listen_in_netns(&ns.name, local(aim.port));
                world._server = Some(cli::serve(listener, reset_after_request));
            }
            Scenario::TlsMismatch => {
                let listener = cli::listen_in_netns(&ns.name, local(aim.port));
                world._server = Some(cli::serve(listener, plain_http_bad_request));
            }
            Scenario::Timeout => {
                let port = aim.port.to_string();
                ns.run(&[
                    "iptables", "-A", "INPUT", "-p", "tcp", "--dport", &port, "-j", "DROP",
                ]);
            }
            Scenario::Unreachable => {
                ns.run(&["ip", "route", "add", "unreachable", UNREACHABLE_NET]);
            }
            Scenario::NoSocket => unreachable!(),
        }
        world.ns = Some(ns);
        world
    }

    /// A command for `program`, inside the namespace when there is one.
    fn command(&self, program: &str) -> Command {
        let path = program_path(program);
        match &self.ns {
            Some(ns) => ns.command(&path.to_string_lossy()),
            None => Command::new(path),
        }
    }
}

/// Resets (RST, by SO_LINGER 0) as soon as the client's first bytes arrive, as a proxy or a
/// firewall that kills connections does. Resetting before the request (`cli::reset_at_once`)
/// races with the client's first write, and the clients then print a different error from
/// run to run (curl: "getpeername() failed with errno 107", Node: "connect ECONNRESET").
fn reset_after_request(mut s: TcpStream) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(3)));
    let mut first = [0u8; 1];
    let _ = s.read(&mut first);
    // Unread bytes are still queued, so the close is a reset in any case.
    cli::reset_at_once(s);
}

/// What a plain HTTP server (nginx, Python's http.server) does with a TLS ClientHello: it is
/// not HTTP, so it answers "400 Bad Request" at once and closes. The rest of the request is
/// read before closing, so the close is a FIN and not a reset.
fn plain_http_bad_request(mut s: TcpStream) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = [0u8; 4096];
    let _ = s.read(&mut buf);
    let body = "<html><body><h1>400 Bad Request</h1></body></html>\n";
    let _ = write!(
        s,
        "HTTP/1.1 400 Bad Request\r\nServer: connfix-test\r\nContent-Type: text/html\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = s.shutdown(std::net::Shutdown::Write);
    let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
    while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
}

// ------------------------------------------------------------------------------------------
// The clients
// ------------------------------------------------------------------------------------------

/// The command line for one client in one scenario, with a clean environment.
fn client_command(client: Client, sc: Scenario, world: &World, tools: &Tools) -> Command {
    let aim = sc.aim();
    let secs = sc.connect_secs();
    let secs_s = secs.to_string();
    let port = aim.port.to_string();
    let url = aim.url();
    let mut cmd = match client {
        Client::PySocket | Client::PyUrllib | Client::PyRequests => {
            let mut c = world.command("python3");
            c.arg(&tools.python);
            match (client, aim.unix_path) {
                (Client::PySocket, Some(path)) => c.args(["unix", path]),
                (Client::PySocket, None) => c.args(["socket", aim.host, &port, &secs_s]),
                (Client::PyUrllib, _) => c.args(["urllib", &url, &secs_s]),
                _ => c.args(["requests", &url, &secs_s]),
            };
            c
        }
        Client::Curl => {
            let mut c = world.command("curl");
            // -q first: no ~/.curlrc. -sS: no progress meter, but the error.
            c.args(["-q", "-sS", "-o", "/dev/null", "--connect-timeout", &secs_s]);
            c.args(["--max-time", &TOTAL_SECS.to_string()]);
            match aim.unix_path {
                Some(path) => c.args(["--unix-socket", path, "http://localhost/"]),
                None => c.arg(&url),
            };
            c
        }
        Client::Wget => {
            let mut c = world.command("wget");
            c.args(["--no-config", "--tries=1", "-O", "/dev/null"]);
            c.arg(format!("--timeout={secs}")).arg(&url);
            c
        }
        Client::NodeNet | Client::NodeFetch => {
            let mut c = world.command("node");
            c.arg(&tools.node);
            match (client, aim.unix_path) {
                (Client::NodeNet, Some(path)) => c.args(["unix", path]),
                (Client::NodeNet, None) => c.args(["net", aim.host, &port]),
                _ => c.args(["fetch", &url]),
            };
            c
        }
        Client::Psql => {
            let mut c = world.command("psql");
            // -X: no ~/.psqlrc; -w: never prompt for a password.
            c.args(["-X", "-w"]);
            match aim.unix_path {
                Some(_) => c.args(["-h", NO_SOCKET_DIR]),
                None => c.args(["-h", aim.host, "-p", &port]),
            };
            c.args(["-c", "select 1"]);
            c.env("PGCONNECT_TIMEOUT", secs.max(2).to_string());
            if aim.https {
                c.env("PGSSLMODE", "require");
            }
            c
        }
        Client::JavaSocket | Client::JavaHttp => {
            let mut c = world.command("java");
            c.args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp"]);
            c.arg(tools.java.as_ref().expect("Probe.class was built"));
            c.arg("Probe");
            match (client, aim.unix_path) {
                (Client::JavaSocket, Some(path)) => c.args(["unix", path]),
                (Client::JavaSocket, None) => {
                    // 0: `new Socket(host, port)`; the timeout scenario needs connect(addr, ms).
                    let ms = if sc == Scenario::Timeout {
                        secs * 1000
                    } else {
                        0
                    };
                    c.args(["socket", aim.host, &port, &ms.to_string()])
                }
                _ => c.args(["http", &url, &(secs * 1000).to_string()]),
            };
            c
        }
        Client::GoDial | Client::GoHttp => {
            let mut c = world.command(
                &tools
                    .go
                    .as_ref()
                    .expect("the Go probe was built")
                    .to_string_lossy(),
            );
            match (client, aim.unix_path) {
                (Client::GoDial, Some(path)) => c.args(["unix", path]),
                (Client::GoDial, None) => c.args(["dial", aim.host, &port, &secs_s]),
                _ => c.args(["http", &url, &secs_s]),
            };
            c
        }
        Client::Kubectl => {
            let mut c = world.command("kubectl");
            c.arg(format!("--server=https://{}", aim.authority()));
            // Without credentials kubectl asks for a user name on the terminal instead.
            c.arg("--token=connfix-test");
            // Short in every scenario: kubectl retries a reset connection until the timeout,
            // five times over.
            c.arg(format!("--request-timeout={SHORT_CONNECT_SECS}s"));
            c.args(["get", "pods"]);
            c.env("KUBECONFIG", world.home.path().join("kubeconfig"));
            // kubectl keeps a discovery cache under HOME.
            c.env("HOME", world.home.path());
            c
        }
        Client::Docker => {
            let mut c = world.command("docker");
            c.arg("version");
            let host = match aim.unix_path {
                Some(path) => format!("unix://{path}"),
                None => format!("tcp://{}", aim.authority()),
            };
            c.env("DOCKER_HOST", host);
            c.env("DOCKER_CONFIG", world.home.path().join("docker"));
            c.env("HOME", world.home.path());
            c
        }
    };
    clean_env(&mut cmd);
    cmd.current_dir(&tools.dir);
    cmd
}

/// No proxies, no per-user settings of any client, English messages.
fn clean_env(cmd: &mut Command) {
    cli::isolate(cmd);
    const PREFIXES: [&str; 6] = ["PG", "DOCKER_", "KUBE", "NODE_", "CURL_", "GO"];
    const NAMES: [&str; 8] = [
        "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS",
        "WGETRC",
        "PYTHONWARNINGS",
        "PYTHONSTARTUP",
        "REQUESTS_CA_BUNDLE",
        "SSL_CERT_FILE",
    ];
    let set_here: Vec<String> = cmd
        .get_envs()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| k.to_string_lossy().into_owned())
        .collect();
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        let drop = NAMES.contains(&key.as_str())
            || PREFIXES.iter().any(|p| key.starts_with(p))
            || key.starts_with("LC_");
        if drop && !set_here.contains(&key) {
            cmd.env_remove(&key);
        }
    }
    cmd.env("LANG", "C");
    cmd.env("LC_ALL", "C");
}

/// The client programs: the scripts written once per test process, the Go and Java programs
/// built once per source and compiler.
struct Tools {
    dir: PathBuf,
    python: PathBuf,
    node: PathBuf,
    go: Option<PathBuf>,
    java: Option<PathBuf>,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(build_tools)
}

/// Writes the scripts into target/tmp/explain_clients/run-<pid> (removed by the next run once
/// this process is gone, since statics are never dropped); the compiled programs come from
/// the cache beside it.
fn build_tools() -> Tools {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("explain_clients");
    remove_stale_runs(&base);
    let dir = base.join(format!("run-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create the clients' run directory");
    let python = dir.join("probe.py");
    fs::write(&python, PYTHON_PROBE).expect("write probe.py");
    let node = dir.join("probe.js");
    fs::write(&node, NODE_PROBE).expect("write probe.js");
    let go = support::have("go").then(|| {
        let key = format!("{GO_PROBE}\0{GO_MOD}\0{}", tool_version("go", &["version"]));
        cached_build(&base, "goprobe", &key, build_go).join("goprobe-bin")
    });
    let java = (support::have("javac") && support::have("java")).then(|| {
        let key = format!("{JAVA_PROBE}\0{}", tool_version("javac", &["-version"]));
        cached_build(&base, "javaprobe", &key, build_java).join("classes")
    });
    Tools {
        dir,
        python,
        node,
        go,
        java,
    }
}

/// Removes what killed runs left: `run-<pid>` directories and unfinished builds
/// (`<name>-<hash>.tmp-<pid>`) of processes that are gone.
fn remove_stale_runs(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("run-")
            .or_else(|| name.split_once(".tmp-").map(|(_, pid)| pid));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// What `program ARGS` prints about itself (javac writes its version on stderr): part of the
/// cache key, so another compiler builds again.
fn tool_version(program: &str, args: &[&str]) -> String {
    let out = Command::new(program_path(program))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} {args:?}: {e}"));
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// 64-bit FNV-1a: a hash that stays the same from one toolchain to the next (std's
/// `DefaultHasher` promises no such thing), for naming cache entries.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The directory `<base>/<name>-<hash of key>` that `build` filled: built on the first run
/// with this source and compiler, reused by every later one. `build` works in a directory of
/// its own and it is renamed into place when done, so a build killed half-way is never
/// taken for a finished one; older entries of `name` are removed then.
fn cached_build(base: &Path, name: &str, key: &str, build: fn(&Path)) -> PathBuf {
    let entry = format!("{name}-{:016x}", fnv1a(key.as_bytes()));
    let done = base.join(&entry);
    if done.is_dir() {
        return done;
    }
    let work = base.join(format!("{entry}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).unwrap_or_else(|e| panic!("create {}: {e}", work.display()));
    build(&work);
    if fs::rename(&work, &done).is_err() {
        // Another test process finished the same build first: its copy is as good.
        let _ = fs::remove_dir_all(&work);
        assert!(done.is_dir(), "cannot move {} into place", work.display());
    }
    let prefix = format!("{name}-");
    for old in fs::read_dir(base).into_iter().flatten().flatten() {
        let old_name = old.file_name().to_string_lossy().into_owned();
        if old_name.starts_with(&prefix) && old_name != entry && !old_name.contains(".tmp-") {
            let _ = fs::remove_dir_all(old.path());
        }
    }
    done
}

const GO_MOD: &str = "module probe\n\ngo 1.19\n";

/// Compiles the Go program into `dir/goprobe-bin`. The compiler's cache lives beside the
/// entries, so a changed program rebuilds only itself.
fn build_go(dir: &Path) {
    let src = dir.join("goprobe");
    fs::create_dir_all(&src).expect("create goprobe/");
    fs::write(src.join("main.go"), GO_PROBE).expect("write main.go");
    fs::write(src.join("go.mod"), GO_MOD).expect("write go.mod");
    let shared = dir.parent().expect("a cache directory");
    let mut cmd = Command::new(program_path("go"));
    cmd.arg("build")
        .arg("-o")
        .arg(dir.join("goprobe-bin"))
        .arg(".")
        .current_dir(&src);
    cmd.env("GOCACHE", shared.join("gocache"))
        .env("GOPATH", shared.join("gopath"))
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("CGO_ENABLED", "0");
    run_build(cmd, "go build");
}

/// Compiles Probe.java into `dir/classes`.
fn build_java(dir: &Path) {
    let src = dir.join("Probe.java");
    fs::write(&src, JAVA_PROBE).expect("write Probe.java");
    let mut cmd = Command::new(program_path("javac"));
    cmd.arg("-d").arg(dir.join("classes")).arg(&src);
    cmd.env_remove("JAVA_TOOL_OPTIONS");
    run_build(cmd, "javac");
}

/// Runs a compiler to the end (no time limit: a cold build takes what it takes) and fails the
/// test with its output when it fails.
fn run_build(mut cmd: Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A process's exit code (None when killed by a signal), its output, and whether it was killed
/// for running past [`CLIENT_LIMIT`].
struct Ran {
    code: Option<i32>,
    out: String,
    err: String,
    timed_out: bool,
    elapsed: Duration,
}

/// Runs `cmd` for at most [`CLIENT_LIMIT`]. `merged`: stdout and stderr go through one pipe,
/// in the order written, as a terminal would show them (then `err` is empty).
fn run_bounded(mut cmd: Command, stdin: Option<Vec<u8>>, merged: bool) -> Ran {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let (out_r, out_w) = std::io::pipe().expect("a pipe");
    let err_r = if merged {
        cmd.stdout(out_w.try_clone().expect("dup a pipe"))
            .stderr(out_w);
        None
    } else {
        let (err_r, err_w) = std::io::pipe().expect("a pipe");
        cmd.stdout(out_w).stderr(err_w);
        Some(err_r)
    };
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // The Command holds the pipes' write ends: close them, or the reads never end.
    drop(cmd);
    if let (Some(data), Some(mut input)) = (stdin, child.stdin.take()) {
        thread::spawn(move || {
            let _ = input.write_all(&data);
        });
    }
    let out_rx = read_all(out_r);
    let err_rx = err_r.map(read_all);
    let deadline = started + CLIENT_LIMIT;
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait().expect("wait for a child") {
            break (Some(status), false);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            break (child.wait().ok(), true);
        }
        thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    // A grandchild could keep the pipe open: do not wait for it long.
    let grace = Duration::from_secs(2);
    let out = out_rx.recv_timeout(grace).unwrap_or_default();
    let err = err_rx
        .map(|rx| rx.recv_timeout(grace).unwrap_or_default())
        .unwrap_or_default();
    Ran {
        code: status.and_then(|s| s.code()),
        out,
        err,
        timed_out,
        elapsed,
    }
}

fn read_all(mut pipe: std::io::PipeReader) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

// ------------------------------------------------------------------------------------------
// The programs the clients run: small, and written the way a person would write them, so
// that what they print is what a person would paste.
// ------------------------------------------------------------------------------------------

const PYTHON_PROBE: &str = r#"# One connection made the way a short script would; the error is left to escape, so
# Python prints its usual traceback.
import sys

mode, *args = sys.argv[1:]
if mode == "socket":
    import socket

    host, port, timeout = args[0], int(args[1]), float(args[2])
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
    print(sock.recv(1024))
elif mode == "unix":
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.connect(args[0])
elif mode == "urllib":
    import urllib.request

    with urllib.request.urlopen(args[0], timeout=float(args[1])) as response:
        print(response.status)
elif mode == "requests":
    import requests

    print(requests.get(args[0], timeout=float(args[1])).status_code)
else:
    sys.exit(f"unknown mode {mode}")
"#;

const NODE_PROBE: &str = r#"// One connection made the way a short script would; the error is not handled, so Node
// prints it the way it prints any uncaught error.
const net = require("net");

const [mode, ...args] = process.argv.slice(2);
if (mode === "net") {
  const socket = net.connect({ host: args[0], port: Number(args[1]) });
  socket.on("connect", () => socket.write("GET / HTTP/1.0\r\n\r\n"));
  socket.on("data", (data) => process.stdout.write(data));
} else if (mode === "unix") {
  net.connect(args[0]);
} else if (mode === "fetch") {
  fetch(args[0]).then((res) => console.log(res.status));
} else {
  throw new Error(`unknown mode ${mode}`);
}
"#;

const GO_PROBE: &str = r#"// One connection made the way a short program would; the error is reported with
// log.Fatal, as most Go programs do.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

func seconds(arg string) time.Duration {
	n, err := strconv.Atoi(arg)
	if err != nil {
		log.Fatal(err)
	}
	return time.Duration(n) * time.Second
}

func main() {
	switch os.Args[1] {
	case "dial":
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(os.Args[2], os.Args[3]), seconds(os.Args[4]))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprint(conn, "GET / HTTP/1.0\r\n\r\n")
		buf := make([]byte, 1024)
		n, err := conn.Read(buf)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s", buf[:n])
	case "unix":
		conn, err := net.Dial("unix", os.Args[2])
		if err != nil {
			log.Fatal(err)
		}
		conn.Close()
	case "http":
		client := &http.Client{Timeout: seconds(os.Args[3])}
		resp, err := client.Get(os.Args[2])
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(resp.Status)
	default:
		log.Fatalf("unknown mode %s", os.Args[1])
	}
}
"#;

const JAVA_PROBE: &str = r#"// One connection made the way a short program would; the exception is left to escape
// main, so the JVM prints its stack trace.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.time.Duration;

public class Probe {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "socket" -> socket(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "unix" -> SocketChannel.open(UnixDomainSocketAddress.of(args[1])).close();
            case "http" -> http(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** timeoutMs 0: the plain constructor, as most code does. */
    static void socket(String host, int port, int timeoutMs) throws IOException {
        Socket socket;
        if (timeoutMs == 0) {
            socket = new Socket(host, port);
        } else {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
        }
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
        System.out.println(socket.getInputStream().read());
    }

    static void http(String url, int timeoutMs) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(timeoutMs))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode());
    }
}
"#;
