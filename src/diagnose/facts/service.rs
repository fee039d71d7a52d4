//! Facts from the service probe: what answered past the handshake, and its certificate.

use super::set::{Bound, FactSet, vals};
use crate::probe::service::tls::CertProblem;
use crate::probe::service::{Outcome as Said, Protocol, ServiceData};

/// What answered past the handshake: the service's own words, and its certificate.
pub(super) fn service_facts(f: &mut FactSet, d: &ServiceData) {
    let a = &d.answer;
    let answered = a
        .product
        .clone()
        .or_else(|| a.protocol.map(|p| p.name().to_string()))
        .unwrap_or_default();
    let mut values = vals([
        (
            "service.expected",
            d.expected.map(|p| p.name().to_string()).unwrap_or_default(),
        ),
        ("service.answered", answered.clone()),
        ("service.message", a.message.clone().unwrap_or_default()),
        ("service.code", a.code.clone().unwrap_or_default()),
        ("service.user", d.user.clone().unwrap_or_default()),
        ("service.database", d.database.clone().unwrap_or_default()),
        (
            "client.address",
            d.local
                .map(|l| l.ip().to_canonical().to_string())
                .unwrap_or_default(),
        ),
    ]);
    if let Some(c) = &d.tls {
        values.extend(vals([
            ("tls.subject", c.subject.clone()),
            ("tls.names", c.names.join(", ")),
            ("tls.issuer", c.issuer.clone()),
            ("tls.not_before", c.not_before.clone()),
            ("tls.not_after", c.not_after.clone()),
            ("tls.version", c.version.clone().unwrap_or_default()),
            ("tls.error", c.detail.clone().unwrap_or_default()),
        ]));
    }
    let mut f = Bound { f, values };
    let f = &mut f;
    let at = d.address;
    let said = a
        .message
        .as_deref()
        .map(|m| format!(": \"{m}\""))
        .unwrap_or_default();
    if let Some(p) = a.protocol.filter(|p| *p != Protocol::Tls) {
        f.add(
            "service.identified",
            "service",
            format!("{answered} answered on {at}"),
        );
        match d.expected {
            Some(e) if e == p => f.add(
                "service.expected",
                "service",
                format!("{answered} is what the target expects"),
            ),
            Some(e) if e != Protocol::Tls => f.add(
                "service.other_protocol",
                "service",
                format!("{answered} answered on {at}, not {}", e.name()),
            ),
            _ => {}
        }
    }
    match a.outcome {
        Said::Rejected => f.add(
            "service.rejected",
            "service",
            format!("{answered} accepted the connection, then refused it{said}"),
        ),
        Said::Starting => f.add(
            "service.starting",
            "service",
            format!("{answered} is starting up{said}"),
        ),
        Said::AuthRequired => f.add(
            "service.auth_required",
            "service",
            format!("{answered} answered and asks for credentials"),
        ),
        Said::Silent if d.expected.is_some_and(|e| e != Protocol::Http) => f.add(
            "service.silent",
            "service",
            format!("{at} accepted but answered neither a greeting wait nor a request"),
        ),
        _ => {}
    }
    if d.expected == Some(Protocol::Tls) && a.outcome == Said::Silent {
        f.add(
            "tls.no_handshake",
            "service",
            format!("{at} accepted the connection but never answered a TLS handshake: it does not speak TLS"),
        );
    }
    if let Some(c) = &d.tls {
        let name = match c.problem {
            Some(CertProblem::Expired | CertProblem::NotYetValid) => "tls.certificate_expired",
            Some(CertProblem::NameMismatch) => "tls.certificate_name_mismatch",
            Some(CertProblem::Untrusted) => "tls.certificate_untrusted",
            Some(CertProblem::Other) | None => return,
        };
        let problem = c.problem.map(|p| p.to_string()).unwrap_or_default();
        f.add(
            name,
            "service",
            format!(
                "the certificate of {at} ({}, issued by {}, valid {} to {}): {problem}",
                c.subject, c.issuer, c.not_before, c.not_after
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::{Value, json};

    /// The service probe's record: what was expected, what answered, and how.
    fn said(expected: &str, protocol: Option<&str>, outcome: &str, tls: Value) -> Value {
        json!({
            "address": "127.0.0.1:5432", "local": "127.0.0.1:40000", "expected": expected,
            "steps": [], "tls": tls,
            "answer": {
                "protocol": protocol, "product": null, "outcome": outcome,
                "message": "no pg_hba.conf entry", "code": "28000"
            }
        })
    }

    fn certificate(problem: &str) -> Value {
        json!({
            "subject": "CN=db.test", "names": ["db.test"], "issuer": "CN=test CA",
            "not_before": "2025-01-01", "not_after": "2026-01-01", "version": "TLSv1.3",
            "problem": problem, "detail": problem
        })
    }

    #[test]
    fn facts_per_answer() {
        let row = |case, data, has, lacks| Row {
            case,
            target: "postgres://app@127.0.0.1:5432/shop",
            probe: ProbeId::Service,
            data,
            has,
            lacks,
        };
        let pg = Some("postgres");
        check(&[
            row(
                "the expected server refuses this client",
                said("postgres", pg, "rejected", Value::Null),
                &["service.identified", "service.expected", "service.rejected"],
                &["service.other_protocol"],
            ),
            row(
                "still starting",
                said("postgres", pg, "starting", Value::Null),
                &["service.starting"],
                &["service.rejected"],
            ),
            row(
                "asks for credentials",
                said("postgres", pg, "auth_required", Value::Null),
                &["service.auth_required"],
                &[],
            ),
            row(
                "another server answers",
                said("postgres", Some("ssh"), "ready", Value::Null),
                &["service.other_protocol"],
                &["service.expected"],
            ),
            row(
                "silence where a greeting was due",
                said("postgres", None, "silent", Value::Null),
                &["service.silent"],
                &["service.identified"],
            ),
            row(
                "no answer to a TLS handshake",
                said("tls", None, "silent", Value::Null),
                &["tls.no_handshake"],
                &[],
            ),
            row(
                "an expired certificate",
                said("tls", Some("tls"), "ready", certificate("expired")),
                &["tls.certificate_expired"],
                &["service.identified"],
            ),
            row(
                "a certificate for another name",
                said("tls", Some("tls"), "ready", certificate("name_mismatch")),
                &["tls.certificate_name_mismatch"],
                &[],
            ),
            row(
                "an unknown issuer",
                said("tls", Some("tls"), "ready", certificate("untrusted")),
                &["tls.certificate_untrusted"],
                &[],
            ),
        ]);
    }
}
