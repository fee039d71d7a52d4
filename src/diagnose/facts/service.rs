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
