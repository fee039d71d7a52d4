//! TCP connect to every resolved address, concurrently, classifying how each attempt ends.
//! After a successful connect it listens briefly: a server that resets or closes at once
//! fails clients in a way a bare port check would call healthy.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use serde::{Deserialize, Serialize};
use socket2::{Domain, Protocol, Socket, Type};
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// How long to wait for the server to do something after accepting. Servers that expect the
/// client to speak first stay silent, which is healthy; this only needs to catch an
/// immediate reset or close.
const AFTER_CONNECT_WAIT: Duration = Duration::from_millis(250);

/// The longest look at the ICMP behind an "unreachable" (IPv6 rejects take about 1 s).
const ICMP_LOOK: Duration = Duration::from_millis(1500);

/// At most this many addresses are tried (a name can resolve to dozens).
const MAX_ADDRESSES: usize = 16;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TcpData {
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub address: SocketAddr,
    pub outcome: Outcome,
    /// The OS error number, when the attempt failed with one.
    pub errno: Option<i32>,
    pub message: String,
    pub elapsed_ms: f64,
    /// What happened right after a successful connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_connect: Option<AfterConnect>,
    /// For "unreachable" and "denied": which ICMP message was behind it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icmp: Option<super::icmp::Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Connected,
    Refused,
    Timeout,
    HostUnreachable,
    NetUnreachable,
    Denied,
    AddrUnavailable,
    Reset,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterConnect {
    /// The server waited for us to speak, as most do.
    Waiting,
    /// It sent something first (a banner); the first bytes, printable only.
    Banner(String),
    Reset,
    Closed,
}

impl TcpData {
    pub fn first_connected(&self) -> Option<SocketAddr> {
        self.attempts
            .iter()
            .find(|a| a.outcome == Outcome::Connected)
            .map(|a| a.address)
    }
}

pub async fn run(addrs: &[SocketAddr], timeout: Duration) -> ProbeReport {
    let start = Instant::now();
    let attempts = futures_join(
        addrs
            .iter()
            .take(MAX_ADDRESSES)
            .map(|a| attempt(*a, timeout)),
    )
    .await;
    let data = TcpData { attempts };
    let (status, summary) = summarize(&data, timeout);
    ProbeReport {
        id: ProbeId::Tcp,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Tcp(data),
    }
}

/// Runs futures concurrently and returns their outputs in order.
async fn futures_join<F: std::future::Future<Output = Attempt> + Send + 'static>(
    futs: impl Iterator<Item = F>,
) -> Vec<Attempt> {
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        if let Ok(a) = h.await {
            out.push(a);
        }
    }
    out
}

pub fn summarize(d: &TcpData, timeout: Duration) -> (Status, String) {
    let parts: Vec<String> = d
        .attempts
        .iter()
        .map(|a| match a.outcome {
            Outcome::Connected => {
                let extra = match &a.after_connect {
                    Some(AfterConnect::Reset) => ", then reset",
                    Some(AfterConnect::Closed) => ", then closed",
                    _ => "",
                };
                format!("{} connected in {:.1} ms{extra}", a.address, a.elapsed_ms)
            }
            Outcome::Timeout => format!(
                "{} no answer within {:.1} s",
                a.address,
                timeout.as_secs_f64()
            ),
            _ => format!("{} {} in {:.1} ms", a.address, a.message, a.elapsed_ms),
        })
        .collect();
    let healthy = d.attempts.iter().all(|a| {
        a.outcome == Outcome::Connected
            && !matches!(
                a.after_connect,
                Some(AfterConnect::Reset | AfterConnect::Closed)
            )
    });
    let status = if healthy && !d.attempts.is_empty() {
        Status::Ok
    } else {
        Status::Problem
    };
    (status, parts.join("; "))
}

async fn attempt(addr: SocketAddr, timeout: Duration) -> Attempt {
    let start = Instant::now();
    let result = tokio::time::timeout(timeout, connect(addr)).await;
    let elapsed_ms = ms_since(start);
    match result {
        Err(_) => Attempt {
            address: addr,
            outcome: Outcome::Timeout,
            errno: None,
            message: "no answer (timed out)".into(),
            elapsed_ms,
            after_connect: None,
            icmp: None,
        },
        Ok(Err(e)) => {
            let outcome = classify(&e);
            // connect() says "unreachable" for a host that is down and for a firewall that
            // rejects with host-prohibited alike; the ICMP message tells them apart.
            let icmp = match outcome {
                Outcome::HostUnreachable | Outcome::Denied => {
                    let look = ICMP_LOOK.min(timeout.saturating_sub(start.elapsed()));
                    tokio::task::spawn_blocking(move || super::icmp::probe(addr, look))
                        .await
                        .ok()
                }
                _ => None,
            };
            Attempt {
                address: addr,
                outcome,
                errno: e.raw_os_error(),
                message: describe(outcome, &e),
                elapsed_ms,
                after_connect: None,
                icmp,
            }
        }
        Ok(Ok(stream)) => Attempt {
            address: addr,
            outcome: Outcome::Connected,
            errno: None,
            message: "connected".into(),
            elapsed_ms,
            after_connect: Some(after_connect(stream).await),
            icmp: None,
        },
    }
}

/// A non-blocking connect through socket2, completed by tokio: the socket is ours from the
/// first syscall, so its options are the plain defaults a client program would have.
pub(crate) async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(e) => return Err(e),
    }
    let stream = TcpStream::from_std(std::net::TcpStream::from(socket))?;
    stream.writable().await?;
    if let Some(e) = stream.take_error()? {
        return Err(e);
    }
    Ok(stream)
}

async fn after_connect(mut stream: TcpStream) -> AfterConnect {
    let mut buf = [0u8; 64];
    match tokio::time::timeout(AFTER_CONNECT_WAIT, stream.read(&mut buf)).await {
        Err(_) => AfterConnect::Waiting,
        Ok(Ok(0)) => AfterConnect::Closed,
        Ok(Ok(n)) => AfterConnect::Banner(printable(&buf[..n])),
        Ok(Err(e)) if e.kind() == io::ErrorKind::ConnectionReset => AfterConnect::Reset,
        Ok(Err(_)) => AfterConnect::Closed,
    }
}

fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect::<String>()
        .trim_end_matches('.')
        .to_string()
}

pub fn classify(e: &io::Error) -> Outcome {
    match e.raw_os_error() {
        Some(libc::ECONNREFUSED) => Outcome::Refused,
        Some(libc::ETIMEDOUT) => Outcome::Timeout,
        Some(libc::EHOSTUNREACH | libc::EHOSTDOWN) => Outcome::HostUnreachable,
        Some(libc::ENETUNREACH | libc::ENETDOWN) => Outcome::NetUnreachable,
        Some(libc::EACCES | libc::EPERM) => Outcome::Denied,
        Some(libc::EADDRNOTAVAIL) => Outcome::AddrUnavailable,
        Some(libc::ECONNRESET | libc::ECONNABORTED) => Outcome::Reset,
        _ => Outcome::Other,
    }
}

pub fn describe(outcome: Outcome, e: &io::Error) -> String {
    let errno = e
        .raw_os_error()
        .map(|n| format!(" ({}, errno {n})", errno_name(n)))
        .unwrap_or_default();
    let what = match outcome {
        Outcome::Refused => "refused",
        Outcome::Timeout => "timed out",
        Outcome::HostUnreachable => "host unreachable",
        Outcome::NetUnreachable => "network unreachable",
        Outcome::Denied => "forbidden by a local rule",
        Outcome::AddrUnavailable => "address not available",
        Outcome::Reset => "reset during the handshake",
        Outcome::Connected => "connected",
        Outcome::Other => return format!("failed: {e}"),
    };
    format!("{what}{errno}")
}

pub fn errno_name(n: i32) -> &'static str {
    match n {
        libc::ECONNREFUSED => "ECONNREFUSED",
        libc::ETIMEDOUT => "ETIMEDOUT",
        libc::EHOSTUNREACH => "EHOSTUNREACH",
        libc::EHOSTDOWN => "EHOSTDOWN",
        libc::ENETUNREACH => "ENETUNREACH",
        libc::ENETDOWN => "ENETDOWN",
        libc::EACCES => "EACCES",
        libc::EPERM => "EPERM",
        libc::EADDRNOTAVAIL => "EADDRNOTAVAIL",
        libc::ECONNRESET => "ECONNRESET",
        libc::ECONNABORTED => "ECONNABORTED",
        libc::ENOENT => "ENOENT",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refused_and_connected_on_loopback() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let ok = attempt(open, Duration::from_secs(2)).await;
        assert_eq!(ok.outcome, Outcome::Connected);
        assert_eq!(ok.after_connect, Some(AfterConnect::Waiting));
        let no = attempt(closed, Duration::from_secs(2)).await;
        assert_eq!(no.outcome, Outcome::Refused);
        assert_eq!(no.errno, Some(libc::ECONNREFUSED));
        assert!(no.message.contains("ECONNREFUSED"), "{}", no.message);
    }

    #[test]
    fn printable_banner() {
        assert_eq!(printable(b"SSH-2.0-OpenSSH_9.2\r\n"), "SSH-2.0-OpenSSH_9.2");
    }
}
