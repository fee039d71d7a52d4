//! One quick up/down check, for `connfix watch` and `connfix wait`: resolve the name afresh,
//! connect as a client would (addresses in the resolver's order, the first that answers
//! wins), and for http(s) read the response status. Unlike the diagnosis probes it asks
//! only "is it up now, and if not, which error would a client get".

use super::{dns, http, ms_since, tcp};
use crate::target::Target;
use crate::watch::expect::StatusSet;
use serde::Serialize;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// When the check started (RFC 3339).
    pub time: String,
    pub up: bool,
    /// How long the check took: the connect, or the HTTP response; or until it failed.
    pub latency_ms: f64,
    /// The address connected to, or the last one tried (a socket path for unix targets).
    pub address: Option<String>,
    /// The addresses the name resolved to this time.
    pub addresses: Vec<IpAddr>,
    pub status: Option<u16>,
    pub error: Option<Failure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub kind: FailKind,
    pub message: String,
    pub errno: Option<i32>,
}

/// How a check failed, in the words people search for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailKind {
    Dns,
    Refused,
    Timeout,
    Reset,
    HostUnreachable,
    NetworkUnreachable,
    Denied,
    Tls,
    HttpStatus,
    UnixMissing,
    UnixStale,
    UnixPermission,
    Other,
}

impl FailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailKind::Dns => "dns",
            FailKind::Refused => "refused",
            FailKind::Timeout => "timeout",
            FailKind::Reset => "reset",
            FailKind::HostUnreachable => "host-unreachable",
            FailKind::NetworkUnreachable => "network-unreachable",
            FailKind::Denied => "denied",
            FailKind::Tls => "tls",
            FailKind::HttpStatus => "http-status",
            FailKind::UnixMissing => "unix-missing",
            FailKind::UnixStale => "unix-stale",
            FailKind::UnixPermission => "unix-permission",
            FailKind::Other => "other",
        }
    }
}

impl Failure {
    fn new(kind: FailKind, message: impl Into<String>, errno: Option<i32>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            errno,
        }
    }
}

/// Checks `target` once, within `timeout` in all.
pub async fn check(target: &Target, timeout: Duration, expect: &StatusSet) -> Sample {
    let time = crate::check::now();
    let start = Instant::now();
    let mut sample = Sample {
        time,
        up: false,
        latency_ms: 0.0,
        address: None,
        addresses: Vec::new(),
        status: None,
        error: None,
    };
    let result = match &target.unix_path {
        Some(path) => {
            sample.address = Some(path.display().to_string());
            unix(path, timeout).await
        }
        None => network(target, timeout, expect, &mut sample).await,
    };
    sample.latency_ms = ms_since(start);
    match result {
        Ok(latency) => {
            sample.up = true;
            sample.latency_ms = latency.unwrap_or(sample.latency_ms);
        }
        Err(f) => sample.error = Some(f),
    }
    sample
}

/// Ok with the latency to report (None: the whole check's time), or the failure.
type Outcome = Result<Option<f64>, Failure>;

async fn network(
    target: &Target,
    timeout: Duration,
    expect: &StatusSet,
    sample: &mut Sample,
) -> Outcome {
    let deadline = Instant::now() + timeout;
    let left = || deadline.saturating_duration_since(Instant::now());
    let host = target.host.clone().unwrap_or_default();
    let port = target.port.unwrap_or(0);
    sample.addresses = match target.ip() {
        Some(ip) => vec![ip],
        None => resolve(&host, timeout).await?,
    };
    let mut first_failure: Option<(SocketAddr, Failure)> = None;
    let mut connected = None;
    let mut tried = 0;
    for ip in sample.addresses.iter().take(16) {
        tried += 1;
        let addr = SocketAddr::new(*ip, port);
        let t0 = Instant::now();
        let outcome = tokio::time::timeout(left(), tcp::connect(addr)).await;
        match outcome {
            Ok(Ok(_stream)) => {
                connected = Some((addr, ms_since(t0)));
                break;
            }
            Ok(Err(e)) => {
                first_failure.get_or_insert((addr, connect_failure(addr, &e)));
            }
            Err(_) => {
                let f = Failure::new(
                    FailKind::Timeout,
                    format!("{addr}: no answer within {:.1} s", timeout.as_secs_f64()),
                    None,
                );
                first_failure.get_or_insert((addr, f));
                break;
            }
        }
        if left().is_zero() {
            break;
        }
    }
    let Some((addr, connect_ms)) = connected else {
        let (addr, mut failure) = first_failure
            .ok_or_else(|| Failure::new(FailKind::Dns, format!("{host} has no addresses"), None))?;
        sample.address = Some(addr.to_string());
        // Only those actually tried: a timeout uses up the time the others would have had.
        let others = tried - 1;
        if others > 0 {
            failure.message.push_str(&format!(
                " (and {others} other address{} failed)",
                if others == 1 { "" } else { "es" }
            ));
        }
        return Err(failure);
    };
    sample.address = Some(addr.to_string());
    if !target.is_http() {
        return Ok(Some(connect_ms));
    }
    let url = http::request_url(target, http::wants_tls(target));
    match http::request(
        &url,
        &host,
        addr,
        left().max(Duration::from_millis(50)),
        false,
    )
    .await
    {
        Ok((status, _, ttfb)) => {
            sample.status = Some(status);
            if expect.accepts(status) {
                Ok(Some(ttfb))
            } else {
                Err(Failure::new(
                    FailKind::HttpStatus,
                    format!("HTTP {status} {}(expected {expect})", reason(status)),
                    None,
                ))
            }
        }
        Err(e) => Err(http_failure(&e)),
    }
}

async fn resolve(host: &str, timeout: Duration) -> Result<Vec<IpAddr>, Failure> {
    // Inside a vantage point, the client's own hosts file and DNS servers decide.
    if let Some(v) = super::vantage::current() {
        return match tokio::time::timeout(timeout, dns::lookup_from(host, &v, timeout)).await {
            Ok(Ok(ips)) if !ips.is_empty() => Ok(ips),
            Ok(Ok(_)) => Err(Failure::new(
                FailKind::Dns,
                format!("{host} has no addresses"),
                None,
            )),
            Ok(Err(e)) => Err(Failure::new(FailKind::Dns, e.to_string(), None)),
            Err(_) => Err(Failure::new(
                FailKind::Dns,
                format!("{host}: no answer within {:.1} s", timeout.as_secs_f64()),
                None,
            )),
        };
    }
    let name = host.to_string();
    let lookup = tokio::task::spawn_blocking(move || dns::getaddrinfo(&name));
    match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(Ok(ips))) if !ips.is_empty() => Ok(ips),
        Ok(Ok(Ok(_))) => Err(Failure::new(
            FailKind::Dns,
            format!("{host} has no addresses"),
            None,
        )),
        Ok(Ok(Err(e))) => Err(Failure::new(
            FailKind::Dns,
            format!("{host}: {}", e.message),
            None,
        )),
        Ok(Err(_)) => Err(Failure::new(
            FailKind::Other,
            "the name lookup stopped unexpectedly",
            None,
        )),
        Err(_) => Err(Failure::new(
            FailKind::Dns,
            format!(
                "{host}: no answer from the resolver within {:.1} s",
                timeout.as_secs_f64()
            ),
            None,
        )),
    }
}

fn connect_failure(addr: SocketAddr, e: &io::Error) -> Failure {
    let outcome = tcp::classify(e);
    let kind = match outcome {
        tcp::Outcome::Refused => FailKind::Refused,
        tcp::Outcome::Timeout => FailKind::Timeout,
        tcp::Outcome::Reset => FailKind::Reset,
        tcp::Outcome::HostUnreachable => FailKind::HostUnreachable,
        tcp::Outcome::NetUnreachable => FailKind::NetworkUnreachable,
        tcp::Outcome::Denied => FailKind::Denied,
        tcp::Outcome::AddrUnavailable | tcp::Outcome::Other | tcp::Outcome::Connected => {
            FailKind::Other
        }
    };
    Failure::new(
        kind,
        format!("{addr} {}", tcp::describe(outcome, e)),
        e.raw_os_error(),
    )
}

fn http_failure(e: &reqwest::Error) -> Failure {
    let text = http::chain(e);
    let lower = text.to_ascii_lowercase();
    let kind = if e.is_timeout() {
        FailKind::Timeout
    } else if http::is_reset(e) {
        FailKind::Reset
    } else if http::is_certificate_error(e)
        || ["tls", "handshake", "invalidcontenttype", "corrupt message"]
            .iter()
            .any(|w| lower.contains(w))
    {
        FailKind::Tls
    } else {
        FailKind::Other
    };
    Failure::new(kind, text, None)
}

/// The status line's usual words, for the common codes a health check meets.
fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!("{r} "))
        .unwrap_or_default()
}

async fn unix(path: &Path, timeout: Duration) -> Outcome {
    let t0 = Instant::now();
    match tokio::time::timeout(timeout, tokio::net::UnixStream::connect(path)).await {
        Ok(Ok(_)) => Ok(Some(ms_since(t0))),
        Ok(Err(e)) => {
            let errno = e.raw_os_error();
            let kind = match errno {
                Some(libc::ENOENT) => FailKind::UnixMissing,
                Some(libc::ECONNREFUSED) => FailKind::UnixStale,
                Some(libc::EACCES | libc::EPERM) => FailKind::UnixPermission,
                _ => FailKind::Other,
            };
            let what = match kind {
                FailKind::UnixMissing => "no such socket file".to_string(),
                FailKind::UnixStale => "the socket file is there but nothing listens on it".into(),
                FailKind::UnixPermission => "permission denied".into(),
                _ => e.to_string(),
            };
            let code = errno
                .map(|n| format!(" ({}, errno {n})", tcp::errno_name(n)))
                .unwrap_or_default();
            Err(Failure::new(
                kind,
                format!("{}: {what}{code}", path.display()),
                errno,
            ))
        }
        Err(_) => Err(Failure::new(
            FailKind::Timeout,
            format!(
                "{}: no answer within {:.1} s",
                path.display(),
                timeout.as_secs_f64()
            ),
            None,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::services::Services;
    use crate::target::{ParseOptions, parse};

    fn target(text: &str) -> Target {
        parse(text, ParseOptions::default(), &Services::default(), &|_| {
            None
        })
        .unwrap()
    }

    #[tokio::test]
    async fn up_and_refused_on_loopback() {
        let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = open.local_addr().unwrap();
        let s = check(
            &target(&addr.to_string()),
            Duration::from_secs(2),
            &StatusSet::default(),
        )
        .await;
        assert!(s.up && s.error.is_none(), "{s:?}");
        assert_eq!(s.address.as_deref(), Some(addr.to_string().as_str()));
        drop(open);
        // A port held by a socket that is bound but not listening: refused, and no test
        // running alongside can take the port meanwhile (a dropped listener's port can be
        // handed to the next bind).
        let held =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        held.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .unwrap();
        let closed = held.local_addr().unwrap().as_socket().unwrap();
        let s = check(
            &target(&closed.to_string()),
            Duration::from_secs(2),
            &StatusSet::default(),
        )
        .await;
        drop(held);
        let f = s.error.unwrap();
        assert_eq!(
            (f.kind, f.errno),
            (FailKind::Refused, Some(libc::ECONNREFUSED))
        );
        assert!(f.message.contains("ECONNREFUSED"), "{}", f.message);
    }

    #[tokio::test]
    async fn unix_socket_states() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        let t = target(&format!("unix:{}", path.display()));
        let expect = StatusSet::default();
        let s = check(&t, Duration::from_secs(1), &expect).await;
        assert_eq!(s.error.unwrap().kind, FailKind::UnixMissing);
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(check(&t, Duration::from_secs(1), &expect).await.up);
        drop(listener);
        let s = check(&t, Duration::from_secs(1), &expect).await;
        assert_eq!(s.error.unwrap().kind, FailKind::UnixStale);
    }
}
