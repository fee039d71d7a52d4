//! HTTP and TLS for web targets: the status and time to first byte, and whether the two ends
//! agree on TLS. A mismatch is confirmed by trying the other protocol on the same address:
//! if https fails and plain HTTP answers there, the port is plain; if http fails and a TLS
//! handshake succeeds, the port speaks TLS.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use crate::target::Target;
use serde::{Deserialize, Serialize};
use std::error::Error as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HttpData {
    /// The URL requested (redacted), sent to `address`.
    pub url: String,
    pub address: SocketAddr,
    pub status: Option<u16>,
    pub ttfb_ms: Option<f64>,
    pub server: Option<String>,
    pub tls: Option<TlsOutcome>,
    pub error: Option<String>,
    /// The connection was reset while waiting for the response.
    pub reset: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsOutcome {
    Ok,
    /// https was asked for and the port answered in plain HTTP.
    PlainPort,
    /// http was asked for and the port completed a TLS handshake.
    TlsPort,
    /// The handshake worked only when the certificate was not checked.
    CertificateRejected(String),
    HandshakeFailed(String),
}

/// The most response headers accepted (hyper also caps their total size); a body is never read.
const MAX_HEADERS: usize = 100;

pub async fn run(target: &Target, addr: SocketAddr, timeout: Duration) -> ProbeReport {
    let start = Instant::now();
    let tls = wants_tls(target);
    let host = target.host.clone().unwrap_or_default();
    let path = target.path.clone().unwrap_or_else(|| "/".into());
    let url_for = |secure: bool| request_url(target, secure);
    let mut data = HttpData {
        url: format!(
            "{}://{}{}",
            if tls { "https" } else { "http" },
            target.host_port(),
            path
        ),
        address: addr,
        status: None,
        ttfb_ms: None,
        server: None,
        tls: None,
        error: None,
        reset: false,
    };
    // One deadline for all requests, so the fallbacks cannot stretch the probe.
    let deadline = Instant::now() + timeout;
    let left = || {
        deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(50))
    };
    match request(&url_for(tls), &host, addr, left(), false).await {
        Ok((status, server, ttfb)) => {
            data.ttfb_ms = Some(ttfb);
            data.status = Some(status);
            data.server = server;
            data.tls = tls.then_some(TlsOutcome::Ok);
            // nginx, Apache and Go answer plain HTTP on a TLS port with a plain 400.
            if !tls
                && status == 400
                && request(&url_for(true), &host, addr, left(), true)
                    .await
                    .is_ok()
            {
                data.tls = Some(TlsOutcome::TlsPort);
            }
        }
        Err(e) => {
            data.reset = is_reset(&e);
            data.error = Some(chain(&e));
            // A timeout or a reset says nothing about TLS: trying the other protocol would
            // only wait again.
            let says_nothing_about_tls = e.is_timeout() || data.reset;
            if says_nothing_about_tls {
                // Keep the error as it is.
            } else if tls && is_certificate_error(&e) {
                if let Ok((status, _, _)) = request(&url_for(true), &host, addr, left(), true).await
                {
                    data.status = Some(status);
                }
                data.tls = Some(TlsOutcome::CertificateRejected(chain(&e)));
            } else if tls {
                data.tls = Some(
                    if request(&url_for(false), &host, addr, left(), false)
                        .await
                        .is_ok()
                    {
                        TlsOutcome::PlainPort
                    } else {
                        TlsOutcome::HandshakeFailed(chain(&e))
                    },
                );
            } else if request(&url_for(true), &host, addr, left(), true)
                .await
                .is_ok()
            {
                data.tls = Some(TlsOutcome::TlsPort);
            }
        }
    }
    let (status, summary) = summarize(&data);
    ProbeReport {
        id: ProbeId::Http,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Http(data),
    }
}

/// https and wss speak TLS from the first byte.
pub(crate) fn wants_tls(target: &Target) -> bool {
    matches!(target.scheme.as_deref(), Some("https" | "wss"))
}

/// The URL to request for `target`, over TLS or not, at the target's port.
pub(crate) fn request_url(target: &Target, secure: bool) -> String {
    let host = target.host.as_deref().unwrap_or_default();
    let port = target
        .port
        .unwrap_or(if wants_tls(target) { 443 } else { 80 });
    let h = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let path = target.path.as_deref().unwrap_or("/");
    format!(
        "{}://{h}:{port}{}",
        if secure { "https" } else { "http" },
        request_path(path)
    )
}

/// The path to request. Tokens are never kept, so where the shown path has `***` the
/// request goes to the part before it rather than to a path that does not exist.
fn request_path(shown: &str) -> String {
    match shown.find("***") {
        Some(i) => shown[..i]
            .rsplit_once('/')
            .map_or("/".into(), |(p, _)| format!("{p}/")),
        None => shown.to_string(),
    }
}

pub fn summarize(d: &HttpData) -> (Status, String) {
    match (&d.tls, d.status) {
        (Some(TlsOutcome::PlainPort), _) => (
            Status::Problem,
            format!(
                "TLS handshake to {} answered in plain HTTP: the port does not speak TLS",
                d.address
            ),
        ),
        (Some(TlsOutcome::TlsPort), _) => (
            Status::Problem,
            format!(
                "plain HTTP to {} failed, but a TLS handshake there works: the port speaks TLS",
                d.address
            ),
        ),
        (Some(TlsOutcome::CertificateRejected(e)), _) => (
            Status::Problem,
            format!("TLS works only without checking the certificate: {e}"),
        ),
        (Some(TlsOutcome::HandshakeFailed(e)), _) => {
            (Status::Problem, format!("TLS handshake failed: {e}"))
        }
        (_, Some(code)) => {
            let ttfb = d
                .ttfb_ms
                .map(|t| format!(" in {t:.1} ms"))
                .unwrap_or_default();
            let server = d
                .server
                .as_deref()
                .map(|s| format!(" from {s}"))
                .unwrap_or_default();
            let status = if code >= 500 {
                Status::Problem
            } else {
                Status::Ok
            };
            (status, format!("HTTP {code}{server}{ttfb}"))
        }
        (_, None) => (
            Status::Problem,
            format!(
                "no HTTP response: {}",
                d.error.as_deref().unwrap_or("unknown error")
            ),
        ),
    }
}

pub(crate) async fn request(
    url: &str,
    host: &str,
    addr: SocketAddr,
    timeout: Duration,
    insecure: bool,
) -> Result<(u16, Option<String>, f64), reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("connfix/", env!("CARGO_PKG_VERSION")))
        .tls_danger_accept_invalid_certs(insecure)
        .http1_max_headers(MAX_HEADERS);
    if host.parse::<std::net::IpAddr>().is_err() {
        builder = builder.resolve(host, addr);
    }
    let client = builder.build()?;
    // Timed from the send: building the client (TLS set-up) is connfix's cost, not the server's.
    let t0 = Instant::now();
    let resp = client.get(url).send().await?;
    let ttfb = ms_since(t0);
    let server = resp
        .headers()
        .get(reqwest::header::SERVER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(80).collect());
    Ok((resp.status().as_u16(), server, ttfb))
}

/// Certificate problems (unknown issuer, expired, wrong name) as opposed to protocol ones.
pub(crate) fn is_certificate_error(e: &reqwest::Error) -> bool {
    let text = chain(e).to_ascii_lowercase();
    text.contains("certificate")
        || text.contains("unknownissuer")
        || text.contains("notvalidforname")
}

pub(crate) fn is_reset(e: &reqwest::Error) -> bool {
    let mut src = e.source();
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionReset
        {
            return true;
        }
        // When the peer resets before hyper has sent the request (a busy machine lets the
        // RST arrive first), hyper cancels the request as "connection was not ready" and
        // the io error is gone: the same fault seen a moment earlier.
        if s.to_string().contains("connection was not ready") {
            return true;
        }
        src = s.source();
    }
    false
}

/// The error with its causes, which is where reqwest keeps the useful part.
pub(crate) fn chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    let text = parts.join(": ");
    text.chars().take(300).collect()
}
