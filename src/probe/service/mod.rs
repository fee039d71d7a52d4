//! What answers on the port, past the TCP handshake: a short, read-only exchange chosen by
//! the target's scheme (or the port's usual service) and by what the server sends first.
//! It never sends credentials: a PostgreSQL startup names a user and a database only, a
//! Redis PING needs none, MySQL and SSH speak first, and a TLS handshake is closed before
//! any data. Each exchange is bounded by the timeout.
//!
//! The parsers (`postgres`, `redis`, `mysql`, `banner`) are pure, so their tests need no
//! server; this file does the I/O.

pub mod banner;
pub mod mysql;
pub mod postgres;
pub mod redis;
pub mod tls;

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use crate::target::Target;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long to wait for the greeting of a server that speaks first (SSH, SMTP, FTP,
/// MySQL): they greet at once, but a remote sshd may look the client up in DNS first.
const GREETING: Duration = Duration::from_secs(2);
/// How long to listen before speaking when the expected protocol waits for the client
/// (or none is expected): long enough for a banner on a near server, short enough to add
/// nothing a person notices.
const GLANCE: Duration = Duration::from_millis(50);
/// The longest wait for the reply to what connfix said: a server of the expected protocol
/// answers within a round trip, and one that does not answer at all is itself the finding.
const REPLY: Duration = Duration::from_millis(1500);
/// The most bytes read from any answer: enough for a greeting or an error message.
const MAX_ANSWER: usize = 4096;

/// The protocols connfix can recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Postgres,
    Redis,
    Mysql,
    Ssh,
    Smtp,
    Ftp,
    Amqp,
    Http,
    Tls,
}

impl Protocol {
    /// The name a person knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Postgres => "PostgreSQL",
            Protocol::Redis => "Redis",
            Protocol::Mysql => "MySQL/MariaDB",
            Protocol::Ssh => "SSH",
            Protocol::Smtp => "SMTP",
            Protocol::Ftp => "FTP",
            Protocol::Amqp => "AMQP",
            Protocol::Http => "HTTP",
            Protocol::Tls => "TLS",
        }
    }
}

/// What the service said about this client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It would serve this client (or asks nothing more than the protocol's next step).
    Ready,
    /// It answers and asks for credentials: the network path works.
    AuthRequired,
    /// It refused this client in its own words.
    Rejected,
    /// It is starting up or loading.
    Starting,
    /// It accepted and said nothing, and answered no request.
    Silent,
    /// It closed the connection without a word.
    Closed,
    /// It answered something connfix does not recognise.
    Unrecognized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub protocol: Option<Protocol>,
    /// What answered, as precisely as the server said: "OpenSSH_9.2p1 Debian-2",
    /// "MariaDB 10.11.6", "PostgreSQL".
    pub product: Option<String>,
    pub outcome: Outcome,
    /// The server's own message (printable, cut to a line).
    pub message: Option<String>,
    /// Its error code: SQLSTATE, MySQL error number.
    pub code: Option<String>,
}

impl Answer {
    fn of(protocol: Protocol, outcome: Outcome) -> Answer {
        Answer {
            protocol: Some(protocol),
            product: None,
            outcome,
            message: None,
            code: None,
        }
    }

    fn unknown(outcome: Outcome) -> Answer {
        Answer {
            protocol: None,
            product: None,
            outcome,
            message: None,
            code: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceData {
    pub address: SocketAddr,
    /// The address the server saw this client come from.
    pub local: Option<SocketAddr>,
    /// The protocol the target's scheme or port expects.
    pub expected: Option<Protocol>,
    /// The user and database named in a PostgreSQL startup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The exchanges made, in order ("waited for a greeting", "PostgreSQL startup").
    pub steps: Vec<String>,
    pub answer: Answer,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<tls::CertInfo>,
}

/// The protocol a target expects: its scheme's, else its port's usual one.
pub fn expected(target: &Target) -> Option<Protocol> {
    let by_scheme = target.scheme.as_deref().and_then(|s| {
        Some(match s {
            "postgres" | "postgresql" => Protocol::Postgres,
            "redis" => Protocol::Redis,
            "mysql" | "mariadb" => Protocol::Mysql,
            "ssh" | "sftp" => Protocol::Ssh,
            "smtp" => Protocol::Smtp,
            "ftp" => Protocol::Ftp,
            "amqp" => Protocol::Amqp,
            "http" | "ws" => Protocol::Http,
            "https" | "wss" | "rediss" | "amqps" | "smtps" | "ldaps" => Protocol::Tls,
            _ => return None,
        })
    });
    by_scheme.or_else(|| {
        Some(match target.port? {
            5432 => Protocol::Postgres,
            6379 => Protocol::Redis,
            3306 => Protocol::Mysql,
            22 => Protocol::Ssh,
            25 | 587 => Protocol::Smtp,
            21 => Protocol::Ftp,
            5672 => Protocol::Amqp,
            443 | 8443 => Protocol::Tls,
            _ => return None,
        })
    })
}

pub async fn run(target: &Target, addr: SocketAddr, timeout: Duration) -> ProbeReport {
    let start = Instant::now();
    let expected = expected(target);
    let mut data = ServiceData {
        address: addr,
        local: None,
        expected,
        user: None,
        database: None,
        steps: Vec::new(),
        answer: Answer::unknown(Outcome::Silent),
        tls: None,
    };
    let deadline = start + timeout;
    if let Err(e) = exchange(target, &mut data, deadline).await {
        data.steps.push(format!("stopped: {e}"));
    }
    let (status, summary) = summarize(&data);
    ProbeReport {
        id: ProbeId::Service,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Service(data),
    }
}

fn left(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

async fn connect(addr: SocketAddr, deadline: Instant) -> std::io::Result<TcpStream> {
    match tokio::time::timeout(left(deadline), TcpStream::connect(addr)).await {
        Ok(r) => r,
        Err(_) => Err(std::io::ErrorKind::TimedOut.into()),
    }
}

/// Reads what arrives until `within` passes, the peer closes, or MAX_ANSWER bytes came.
/// Returns the bytes and whether the peer closed (or reset).
async fn read_some(s: &mut TcpStream, within: Duration) -> (Vec<u8>, bool) {
    let mut buf = Vec::new();
    let until = Instant::now() + within;
    let mut chunk = [0u8; 1024];
    while buf.len() < MAX_ANSWER {
        match tokio::time::timeout(left(until), s.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (buf, true),
            Ok(Ok(n)) => {
                buf.extend_from_slice(&chunk[..n]);
                // A greeting or an error is complete once a message has arrived; wait a
                // moment only for the rest of one.
                if complete(&buf) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    (buf, false)
}

/// Whether `buf` holds at least one whole message of a protocol we read.
fn complete(buf: &[u8]) -> bool {
    buf.ends_with(b"\n")
        || mysql::packet_len(buf).is_some_and(|n| buf.len() >= n)
        || postgres::message_len(buf).is_some_and(|n| buf.len() >= n)
}

async fn exchange(target: &Target, d: &mut ServiceData, deadline: Instant) -> std::io::Result<()> {
    let expected = d.expected;
    if expected == Some(Protocol::Tls) {
        d.steps.push("TLS handshake, certificate recorded".into());
        let host = target.host.clone().unwrap_or_default();
        let (info, answer) = tls::inspect(d.address, &host, left(deadline)).await;
        d.tls = info;
        d.answer = answer;
        return Ok(());
    }
    // First, listen: SSH, SMTP, FTP and MySQL speak first (and Redis in protected mode
    // says DENIED at once). A protocol where the client speaks first is spoken to at once:
    // whatever the server says unasked still arrives, ahead of its reply.
    let mut s = connect(d.address, deadline).await?;
    d.local = s.local_addr().ok();
    let speaks_first = matches!(
        expected,
        Some(Protocol::Ssh | Protocol::Smtp | Protocol::Ftp | Protocol::Mysql)
    );
    let asks = matches!(
        expected,
        Some(Protocol::Postgres | Protocol::Redis | Protocol::Amqp)
    );
    if !asks {
        let wait = if speaks_first { GREETING } else { GLANCE };
        d.steps.push("waited for a greeting".into());
        let (first, closed) = read_some(&mut s, wait.min(left(deadline))).await;
        if !first.is_empty() {
            d.answer = identify_greeting(&first);
            return Ok(());
        }
        if closed {
            d.answer = Answer::unknown(Outcome::Closed);
            return Ok(());
        }
        if speaks_first {
            d.answer = Answer {
                message: Some(format!(
                    "no greeting within {:.1} s, where {} greets at once",
                    wait.as_secs_f64(),
                    expected.map_or("the service", |p| p.name())
                )),
                ..Answer::unknown(Outcome::Silent)
            };
            d.steps.push("nothing came".into());
            return Ok(());
        }
    }
    // Then speak the expected protocol's first words.
    match expected {
        Some(Protocol::Postgres) => {
            let user = target_user(target).unwrap_or_else(|| "connfix".into());
            let database = target_database(target).unwrap_or_else(|| user.clone());
            d.steps.push(format!(
                "PostgreSQL startup as user {user}, database {database} (no password)"
            ));
            s.write_all(&postgres::startup(&user, &database)).await?;
            let (reply, closed) = read_some(&mut s, REPLY.min(left(deadline))).await;
            d.user = Some(user);
            d.database = Some(database);
            d.answer = match postgres::parse_reply(&reply) {
                Some(a) => a,
                None => other_reply(&reply, closed),
            };
        }
        Some(Protocol::Redis) => {
            d.steps.push("Redis PING".into());
            s.write_all(b"PING\r\n").await?;
            let (reply, closed) = read_some(&mut s, REPLY.min(left(deadline))).await;
            d.answer = redis::parse_reply(&reply).unwrap_or_else(|| other_reply(&reply, closed));
        }
        Some(Protocol::Amqp) => {
            d.steps.push("AMQP 0-9-1 protocol header".into());
            s.write_all(b"AMQP\x00\x00\x09\x01").await?;
            let (reply, closed) = read_some(&mut s, REPLY.min(left(deadline))).await;
            d.answer = if reply.first() == Some(&1) || reply.starts_with(b"AMQP") {
                Answer::of(Protocol::Amqp, Outcome::Ready)
            } else {
                other_reply(&reply, closed)
            };
        }
        // HTTP is asked by the HTTP probe; a server that speaks first would have by now.
        _ => {}
    }
    Ok(())
}

/// Identifies what a server said before it was asked anything.
pub fn identify_greeting(bytes: &[u8]) -> Answer {
    if let Some(a) = redis::parse_reply(bytes) {
        return a;
    }
    if let Some(a) = mysql::parse_greeting(bytes) {
        return a;
    }
    banner::parse(bytes).unwrap_or_else(|| Answer {
        message: Some(printable_line(bytes)),
        ..Answer::unknown(Outcome::Unrecognized)
    })
}

/// A reply that is not the expected protocol's: maybe another protocol's error (an HTTP
/// server answers a PostgreSQL startup with 400).
fn other_reply(reply: &[u8], closed: bool) -> Answer {
    if reply.is_empty() {
        return Answer::unknown(if closed {
            Outcome::Closed
        } else {
            Outcome::Silent
        });
    }
    if reply.starts_with(b"HTTP/") {
        let line = printable_line(reply);
        return Answer {
            product: Some(line.clone()),
            message: Some(line),
            ..Answer::of(Protocol::Http, Outcome::Unrecognized)
        };
    }
    identify_greeting(reply)
}

fn target_user(t: &Target) -> Option<String> {
    // The redacted form keeps the user name (only the password is hidden).
    let rest = t.redacted.split_once("://")?.1;
    let (userinfo, _) = rest.split_once('@')?;
    let user = userinfo.split(':').next()?;
    (!user.is_empty()).then(|| user.to_string())
}

fn target_database(t: &Target) -> Option<String> {
    let path = t.path.as_deref()?.trim_start_matches('/');
    let db = path.split(['?', '/']).next()?;
    (!db.is_empty() && !db.contains('*')).then(|| db.to_string())
}

/// The first line of `bytes`, printable, at most 300 characters.
pub fn printable_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().next().unwrap_or("").trim();
    let clean: String = line
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(300)
        .collect();
    clean
}

pub fn summarize(d: &ServiceData) -> (Status, String) {
    let a = &d.answer;
    let what = match (&a.product, a.protocol) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => p.name().to_string(),
        (None, None) => "the service".to_string(),
    };
    let msg = a
        .message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    if let Some(cert) = &d.tls
        && let Some(problem) = &cert.problem
    {
        return (
            Status::Problem,
            format!("TLS certificate of {}: {problem}", cert.subject),
        );
    }
    let wrong = match (d.expected, a.protocol) {
        (Some(e), Some(p)) if e != p && e != Protocol::Tls => Some(e),
        _ => None,
    };
    if let Some(e) = wrong {
        return (
            Status::Problem,
            format!("{what} answered, not {}", e.name()),
        );
    }
    match a.outcome {
        Outcome::Ready => (Status::Ok, format!("{what} answered")),
        Outcome::AuthRequired => (
            Status::Ok,
            format!("{what} answered and asks for credentials"),
        ),
        Outcome::Rejected => (Status::Problem, format!("{what} refused this client{msg}")),
        Outcome::Starting => (Status::Problem, format!("{what} is starting{msg}")),
        Outcome::Silent => (
            Status::Ok,
            "accepted; said nothing before being asked".into(),
        ),
        Outcome::Closed => (
            Status::Problem,
            "accepted, then closed without a word".into(),
        ),
        Outcome::Unrecognized => (Status::Ok, format!("answered something else{msg}")),
    }
}
