//! Facts from the DNS probe: what the system resolver and the servers said.

use super::set::{FactSet, vals};
use crate::probe::dns::{DirectOutcome, DnsData, GaiKind};

pub(super) fn dns_facts(f: &mut FactSet, d: &DnsData) {
    let sys = &d.system;
    let join = crate::probe::dns::join_ips;
    let servers = d
        .direct
        .as_ref()
        .map(|x| x.servers.join(", "))
        .unwrap_or_default();
    let direct_addrs = d
        .direct
        .as_ref()
        .filter(|x| !x.addresses.is_empty())
        .map(|x| join(&x.addresses))
        .unwrap_or_default();
    let dns_values = || {
        vals([
            ("dns.name", d.name.clone()),
            ("dns.addresses", join(&sys.addresses)),
            ("dns.hosts_addresses", join(&d.hosts_file)),
            (
                "dns.hosts_file",
                if d.hosts_file.is_empty() {
                    String::new()
                } else {
                    "/etc/hosts".to_string()
                },
            ),
            ("dns.server", servers.clone()),
            ("dns.server_addresses", direct_addrs.clone()),
            (
                "dns.error",
                sys.error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .unwrap_or_default(),
            ),
            (
                "target.ip",
                sys.addresses
                    .first()
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
            ),
        ])
    };
    if !sys.addresses.is_empty() {
        f.add_with(
            "dns.resolved",
            "dns",
            format!(
                "the system resolver gives {} → {}",
                d.name,
                crate::probe::dns::join_ips(&sys.addresses)
            ),
            dns_values(),
        );
        let v4 = sys.addresses.iter().any(|a| a.is_ipv4());
        let v6 = sys.addresses.iter().any(|a| a.is_ipv6());
        if v4 && v6 {
            f.add(
                "dns.both_families",
                "dns",
                format!("{} has IPv4 and IPv6 addresses", d.name),
            );
        }
        if sys.addresses.first().is_some_and(|a| a.is_ipv6()) {
            f.add(
                "dns.ipv6_first",
                "dns",
                format!(
                    "{} is listed first, so clients try IPv6 first",
                    sys.addresses[0]
                ),
            );
        }
    }
    if !d.hosts_file.is_empty() {
        f.add_with(
            "dns.hosts_file",
            "dns",
            format!(
                "/etc/hosts maps {} to {}",
                d.name,
                crate::probe::dns::join_ips(&d.hosts_file)
            ),
            dns_values(),
        );
    }
    // When DNS itself answers, the system's "no such name" comes from elsewhere (nsswitch,
    // mDNS, search domains): a mismatch, not a missing name.
    let direct_answered = d
        .direct
        .as_ref()
        .is_some_and(|x| x.outcome == DirectOutcome::Answer);
    if let Some(e) = &sys.error {
        let detail = format!("{}: {}", d.name, e.message);
        let v = dns_values();
        match e.kind {
            GaiKind::NoName if !direct_answered => f.add_with("dns.nxdomain", "dns", detail, v),
            GaiKind::NoData if !direct_answered => f.add_with("dns.no_records", "dns", detail, v),
            GaiKind::Again => f.add_with("dns.temporary_failure", "dns", detail, v),
            GaiKind::Fail => f.add_with("dns.server_unreachable", "dns", detail, v),
            GaiKind::NoName | GaiKind::NoData | GaiKind::Other => {}
        }
    }
    if let Some(direct) = &d.direct {
        let servers = direct.servers.join(", ");
        match direct.outcome {
            DirectOutcome::Timeout | DirectOutcome::Unreachable | DirectOutcome::ServerError => {
                f.add_with(
                    "dns.server_unreachable",
                    "dns",
                    format!("DNS server {servers}: {}", direct.detail),
                    dns_values(),
                );
            }
            DirectOutcome::NxDomain if sys.addresses.is_empty() => {
                f.add_with(
                    "dns.nxdomain",
                    "dns",
                    format!(
                        "DNS server {servers} says {} does not exist (NXDOMAIN)",
                        d.name
                    ),
                    dns_values(),
                );
            }
            DirectOutcome::NoRecords if sys.addresses.is_empty() => {
                f.add_with(
                    "dns.no_records",
                    "dns",
                    format!(
                        "DNS server {servers} knows {} but has no address for it",
                        d.name
                    ),
                    dns_values(),
                );
            }
            _ => {}
        }
        // Disagreement counts when both sides said something definite and nothing overlaps
        // (round-robin and geo DNS hand out different subsets on purpose), or when only DNS
        // knows the name.
        let definitive = matches!(
            direct.outcome,
            DirectOutcome::Answer | DirectOutcome::NxDomain | DirectOutcome::NoRecords
        );
        let (a, b) = (&sys.addresses, &direct.addresses);
        let via = if d.hosts_file.is_empty() {
            "the system resolver (a cache or another source)"
        } else {
            "/etc/hosts"
        };
        if definitive && !a.is_empty() && !a.iter().any(|ip| b.contains(ip)) {
            let dns_says = if b.is_empty() {
                "nothing".to_string()
            } else {
                crate::probe::dns::join_ips(b)
            };
            f.add_with(
                "dns.mismatch",
                "dns",
                format!(
                    "{via} gives {}, DNS server {servers} gives {dns_says}",
                    crate::probe::dns::join_ips(a)
                ),
                dns_values(),
            );
        } else if a.is_empty() && direct_answered {
            f.add_with(
                "dns.mismatch",
                "dns",
                format!(
                    "the system resolver finds nothing, but DNS server {servers} answers {}: the system does not ask DNS for this name (nsswitch, mDNS or search domains)",
                    crate::probe::dns::join_ips(b)
                ),
                dns_values(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::{Value, json};

    /// What the system resolver said: its addresses, or a getaddrinfo error kind.
    fn system(addresses: &[&str], error: Option<&str>) -> Value {
        let error = error.map(|kind| json!({"code": -2, "kind": kind, "message": kind}));
        json!({"addresses": addresses, "error": error, "elapsed_ms": 1.0})
    }

    /// What a direct query to the DNS server said, if one was made.
    fn direct(outcome: &str, addresses: &[&str]) -> Option<Value> {
        Some(json!({
            "servers": ["192.0.2.53"], "outcome": outcome, "addresses": addresses,
            "detail": outcome, "elapsed_ms": 2.0
        }))
    }

    fn dns(system: Value, hosts_file: &[&str], direct: Option<Value>) -> Value {
        json!({"name": "db.test", "system": system, "hosts_file": hosts_file, "direct": direct})
    }

    #[test]
    fn facts_per_answer() {
        let row = |case, data, has, lacks| Row {
            case,
            target: "db.test:5432",
            probe: ProbeId::Dns,
            data,
            has,
            lacks,
        };
        let both = ["::1", "127.0.0.1"];
        check(&[
            row(
                "resolved by both, in agreement",
                dns(
                    system(&["192.0.2.7"], None),
                    &[],
                    direct("answer", &["192.0.2.7"]),
                ),
                &["dns.resolved"],
                &["dns.mismatch", "dns.nxdomain", "dns.both_families"],
            ),
            row(
                "both families, IPv6 first",
                dns(system(&both, None), &[], None),
                &["dns.resolved", "dns.both_families", "dns.ipv6_first"],
                &[],
            ),
            row(
                "no such name",
                dns(system(&[], Some("no_name")), &[], direct("nx_domain", &[])),
                &["dns.nxdomain"],
                &["dns.resolved", "dns.mismatch"],
            ),
            row(
                "a name without addresses",
                dns(system(&[], Some("no_data")), &[], None),
                &["dns.no_records"],
                &["dns.nxdomain"],
            ),
            row(
                "the resolver could not ask",
                dns(system(&[], Some("again")), &[], direct("timeout", &[])),
                &["dns.temporary_failure", "dns.server_unreachable"],
                &["dns.nxdomain"],
            ),
            row(
                "the hosts file disagrees with DNS",
                dns(
                    system(&["10.0.0.9"], None),
                    &["10.0.0.9"],
                    direct("answer", &["192.0.2.7"]),
                ),
                &["dns.hosts_file", "dns.mismatch"],
                &[],
            ),
            row(
                "only DNS knows the name",
                dns(
                    system(&[], Some("no_name")),
                    &[],
                    direct("answer", &["192.0.2.7"]),
                ),
                &["dns.mismatch"],
                &["dns.nxdomain"],
            ),
        ]);
    }
}
