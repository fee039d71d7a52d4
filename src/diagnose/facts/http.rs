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

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::{Value, json};

    fn http(status: Option<u16>, tls: Value, reset: bool) -> Value {
        json!({
            "url": "https://127.0.0.1:8443/", "address": "127.0.0.1:8443", "status": status,
            "ttfb_ms": 3.0, "server": "nginx", "tls": tls, "error": "connection closed",
            "reset": reset
        })
    }

    #[test]
    fn facts_per_answer() {
        let row = |case, data, has, lacks| Row {
            case,
            target: "https://127.0.0.1:8443/",
            probe: ProbeId::Http,
            data,
            has,
            lacks,
        };
        let ok = || json!("ok");
        check(&[
            row(
                "200",
                http(Some(200), ok(), false),
                &["http.ok", "tls.ok"],
                &["http.server_error"],
            ),
            row(
                "503",
                http(Some(503), ok(), false),
                &["http.server_error"],
                &["http.ok"],
            ),
            row(
                "404",
                http(Some(404), ok(), false),
                &["http.client_error"],
                &["http.ok"],
            ),
            row(
                "https to a plain port",
                http(None, json!("plain_port"), false),
                &["tls.plain_port"],
                &["http.no_response"],
            ),
            row(
                "http to a TLS port",
                http(None, json!("tls_port"), false),
                &["tls.on_tls_port"],
                &[],
            ),
            row(
                "a rejected certificate",
                http(None, json!({"certificate_rejected": "expired"}), false),
                &["tls.handshake_failed"],
                &["tls.ok"],
            ),
            row(
                "reset instead of an answer",
                http(None, Value::Null, true),
                &["tcp.reset"],
                &["http.no_response"],
            ),
            row(
                "no answer at all",
                http(None, Value::Null, false),
                &["http.no_response"],
                &["tcp.reset"],
            ),
        ]);
    }
}
