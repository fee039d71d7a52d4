//! Facts from the TCP connect probe, and the ICMP message behind an "unreachable".

use super::set::{FactSet, vals};
use crate::probe::tcp::{AfterConnect, Outcome, TcpData};
use crate::vocabulary::template::Values;

pub(super) fn tcp_facts(f: &mut FactSet, t: &TcpData) {
    let ok: Vec<_> = t
        .attempts
        .iter()
        .filter(|a| a.outcome == Outcome::Connected)
        .collect();
    let failed: Vec<_> = t
        .attempts
        .iter()
        .filter(|a| a.outcome != Outcome::Connected)
        .collect();
    let attempt_values = |a: &crate::probe::tcp::Attempt| {
        vals([
            ("target.ip", a.address.ip().to_canonical().to_string()),
            ("tcp.address", a.address.to_string()),
            (
                "tcp.error",
                if a.outcome == Outcome::Connected {
                    String::new()
                } else {
                    a.message.clone()
                },
            ),
        ])
    };
    if let Some(a) = ok.first() {
        f.add_with(
            "tcp.connected",
            "tcp",
            format!(
                "{} accepted the connection in {:.1} ms",
                a.address, a.elapsed_ms
            ),
            attempt_values(a),
        );
    }
    if ok.is_empty() && !failed.is_empty() {
        f.add_with(
            "tcp.all_failed",
            "tcp",
            format!("all {} address(es) failed", failed.len()),
            attempt_values(failed[0]),
        );
    }
    if !ok.is_empty() && !failed.is_empty() {
        f.add(
            "tcp.partial",
            "tcp",
            format!(
                "{} accepted but {} {}",
                ok[0].address, failed[0].address, failed[0].message
            ),
        );
    }
    for a in &failed {
        let name = match a.outcome {
            Outcome::Refused => "tcp.refused",
            Outcome::Timeout => "tcp.timeout",
            Outcome::HostUnreachable => "tcp.host_unreachable",
            Outcome::NetUnreachable => "tcp.net_unreachable",
            Outcome::Denied => "tcp.denied",
            Outcome::AddrUnavailable => "tcp.addr_unavailable",
            Outcome::Reset => "tcp.reset",
            Outcome::Connected | Outcome::Other => continue,
        };
        let mut v = attempt_values(a);
        let detail = if a.outcome == Outcome::Timeout {
            let secs = format!("{:.0}", (a.elapsed_ms / 1000.0).round());
            v.insert("tcp.timeout_s".into(), secs);
            format!(
                "{} did not answer within {:.1} s",
                a.address,
                a.elapsed_ms / 1000.0
            )
        } else {
            format!("{}: {} after {:.1} ms", a.address, a.message, a.elapsed_ms)
        };
        f.add_with(name, "tcp", detail, v.clone());
        icmp_facts(f, a, v);
    }
    for a in &ok {
        match a.after_connect {
            Some(AfterConnect::Reset) => f.add_with(
                "tcp.reset",
                "tcp",
                format!("{} accepted, then reset the connection at once", a.address),
                attempt_values(a),
            ),
            Some(AfterConnect::Closed) => f.add(
                "tcp.closed_after_accept",
                "tcp",
                format!(
                    "{} accepted, then closed the connection without a word",
                    a.address
                ),
            ),
            _ => {}
        }
    }
}

/// The ICMP message behind an "unreachable": a far firewall that rejects, or no machine.
pub(super) fn icmp_facts(f: &mut FactSet, a: &crate::probe::tcp::Attempt, mut v: Values) {
    use crate::probe::icmp::Finding;
    let Some(finding) = &a.icmp else { return };
    let from = match finding {
        Finding::Prohibited { from, .. } | Finding::HostAnswered { from } => Some(*from),
        Finding::HostDown { from } => *from,
        Finding::Unknown => return,
    };
    v.insert("tcp.icmp".into(), finding.words());
    if let Some(from) = from {
        v.insert("tcp.icmp_from".into(), from.to_string());
    }
    let by = from.map(|f| format!(" from {f}")).unwrap_or_default();
    match finding {
        Finding::Prohibited { .. } => f.add_with(
            "tcp.host_prohibited",
            "tcp",
            format!(
                "{} is up: a firewall there rejects ({}{by})",
                a.address.ip(),
                finding.words()
            ),
            v,
        ),
        Finding::HostAnswered { .. } => f.add_with(
            "tcp.host_prohibited",
            "tcp",
            format!(
                "{} is up (it answers other traffic{by}), so the unreachable for this port comes from a rule rejecting TCP",
                a.address.ip()
            ),
            v,
        ),
        Finding::HostDown { .. } => f.add_with(
            "tcp.host_down",
            "tcp",
            match from {
                Some(_) => format!("{}: ICMP host unreachable{by}", a.address.ip()),
                None => format!(
                    "no machine answers at {} (no neighbour reply on the local link)",
                    a.address.ip()
                ),
            },
            v,
        ),
        Finding::Unknown => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::Context;
    use crate::diagnose::facts::table::{Row, check, facts};
    use crate::probe::ProbeId;
    use serde_json::json;

    fn attempt(address: &str, outcome: &str, after: Option<&str>) -> serde_json::Value {
        json!({
            "address": address, "outcome": outcome, "errno": null, "message": outcome,
            "elapsed_ms": 1.5, "after_connect": after
        })
    }

    fn row(
        case: &'static str,
        attempts: Vec<serde_json::Value>,
        has: &'static [&'static str],
        lacks: &'static [&'static str],
    ) -> Row {
        Row {
            case,
            target: "127.0.0.1:5432",
            probe: ProbeId::Tcp,
            data: json!({ "attempts": attempts }),
            has,
            lacks,
        }
    }

    #[test]
    fn a_failed_attempt_names_its_outcome() {
        let outcomes = [
            ("refused", "tcp.refused"),
            ("timeout", "tcp.timeout"),
            ("host_unreachable", "tcp.host_unreachable"),
            ("net_unreachable", "tcp.net_unreachable"),
            ("denied", "tcp.denied"),
            ("reset", "tcp.reset"),
        ];
        for (outcome, fact) in outcomes {
            let data = json!({ "attempts": [attempt("127.0.0.1:5432", outcome, None)] });
            let got = facts(
                "127.0.0.1:5432",
                &[(ProbeId::Tcp, data)],
                &Context::default(),
            );
            for name in [fact, "tcp.all_failed"] {
                assert!(got.has(name), "{outcome}: no {name} in {:?}", got.0);
            }
            assert!(!got.has("tcp.connected"), "{outcome}");
        }
    }

    #[test]
    fn facts_per_outcome() {
        let a = "127.0.0.1:5432";
        let b = "[::1]:5432";
        check(&[
            row(
                "connected",
                vec![attempt(a, "connected", Some("waiting"))],
                &["tcp.connected"],
                &["tcp.all_failed", "tcp.partial"],
            ),
            row(
                "an unknown error names nothing",
                vec![attempt(a, "other", None)],
                &["tcp.all_failed"],
                &["tcp.refused", "tcp.timeout"],
            ),
            row(
                "one of two addresses",
                vec![attempt(b, "refused", None), attempt(a, "connected", None)],
                &["tcp.partial", "tcp.connected", "tcp.refused"],
                &["tcp.all_failed"],
            ),
            row(
                "accepted then reset",
                vec![attempt(a, "connected", Some("reset"))],
                &["tcp.connected", "tcp.reset"],
                &[],
            ),
            row(
                "accepted then closed",
                vec![attempt(a, "connected", Some("closed"))],
                &["tcp.closed_after_accept"],
                &["tcp.reset"],
            ),
        ]);
    }
}
