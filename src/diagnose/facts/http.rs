//! Facts from the HTTP probe: the status, the TLS handshake, what answered.

use super::set::{Bound, FactSet, vals};
use crate::probe::http::{HttpData, TlsOutcome};

pub(super) fn http_facts(f: &mut FactSet, h: &HttpData) {
    let tls_error = match &h.tls {
        Some(TlsOutcome::CertificateRejected(e) | TlsOutcome::HandshakeFailed(e)) => e.clone(),
        _ => String::new(),
    };
    let values = vals([
        ("http.url", h.url.clone()),
        (
            "http.status",
            h.status.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("http.server", h.server.clone().unwrap_or_default()),
        ("tls.error", tls_error),
    ]);
    let mut f = Bound { f, values };
    let f = &mut f;
    match &h.tls {
        Some(TlsOutcome::Ok) => f.add(
            "tls.ok",
            "http",
            format!("TLS handshake with {} succeeded", h.address),
        ),
        Some(TlsOutcome::PlainPort) => f.add(
            "tls.plain_port",
            "http",
            format!("{} answered a TLS handshake in plain HTTP", h.address),
        ),
        Some(TlsOutcome::TlsPort) => f.add(
            "tls.on_tls_port",
            "http",
            format!(
                "{} wants TLS: plain HTTP failed and a TLS handshake succeeded",
                h.address
            ),
        ),
        Some(TlsOutcome::CertificateRejected(e)) => f.add(
            "tls.handshake_failed",
            "http",
            format!("the certificate was rejected: {e}"),
        ),
        Some(TlsOutcome::HandshakeFailed(e)) => f.add("tls.handshake_failed", "http", e.clone()),
        None => {}
    }
    match h.status {
        Some(code) if code >= 500 => f.add(
            "http.server_error",
            "http",
            format!("{} answered HTTP {code}", h.url),
        ),
        Some(code) if code >= 400 => f.add(
            "http.client_error",
            "http",
            format!("{} answered HTTP {code}", h.url),
        ),
        Some(code) => f.add("http.ok", "http", format!("{} answered HTTP {code}", h.url)),
        None if h.reset => f.add(
            "tcp.reset",
            "http",
            format!("{} reset the connection instead of answering", h.address),
        ),
        None if h.tls.is_none() => f.add(
            "http.no_response",
            "http",
            format!(
                "no HTTP response: {}",
                h.error.as_deref().unwrap_or("unknown error")
            ),
        ),
        None => {}
    }
}
