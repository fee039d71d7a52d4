//! From what the probes observed to named facts. Pure: the same reports always give the
//! same facts, so every cause can be unit-tested with hand-made observations.

use crate::knowledge::services::Services;
use crate::probe::container::{ContainerData, ContainerInfo};
use crate::probe::dns::{DirectOutcome, DnsData, GaiKind};
use crate::probe::firewall::{Action, Direction, FirewallData, FirewallRule};
use crate::probe::http::{HttpData, TlsOutcome};
use crate::probe::listeners::{Listener, ListenerData};
use crate::probe::proxy::ProxyData;
use crate::probe::service::tls::CertProblem;
use crate::probe::service::{Outcome as Said, Protocol, ServiceData};
use crate::probe::tcp::{AfterConnect, Outcome, TcpData};
use crate::probe::unix::{UnixData, UnixOutcome};
use crate::probe::{ProbeData, ProbeReport};
use crate::target::Target;
use crate::vocabulary::template::Values;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Values from (name, value) pairs.
fn vals<const N: usize>(pairs: [(&str, String); N]) -> Values {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// A named fact with the evidence behind it, in words a person can check, and the values
/// it observed (placeholder name → value) that fixes and commands are written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub name: String,
    pub detail: String,
    /// The probe that established it, `target` for facts about the input, `person` for answers.
    pub source: String,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub values: Values,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactSet(pub Vec<Fact>);

impl FactSet {
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|f| f.name == name)
    }

    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.0.iter().find(|f| f.name == name)
    }

    pub fn add(&mut self, name: &str, source: &str, detail: impl Into<String>) {
        self.add_with(name, source, detail, Values::new());
    }

    /// Adds a fact with the values it observed. The first fact of a name wins.
    pub fn add_with(
        &mut self,
        name: &str,
        source: &str,
        detail: impl Into<String>,
        values: Values,
    ) {
        debug_assert!(
            crate::vocabulary::facts::is_known(name),
            "fact '{name}' is not in the vocabulary"
        );
        debug_assert!(
            values
                .keys()
                .all(|k| crate::vocabulary::values::is_known(k)),
            "a value of '{name}' is not in the vocabulary: {values:?}"
        );
        if !self.has(name) {
            self.0.push(Fact {
                name: name.to_string(),
                detail: detail.into(),
                source: source.to_string(),
                values,
            });
        }
    }

    /// Every value the facts observed; where two facts bind the same name, the earlier
    /// one wins (facts are added from the most to the least specific).
    pub fn values(&self) -> Values {
        let mut out = Values::new();
        for f in &self.0 {
            for (k, v) in &f.values {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        out
    }

    pub fn from_source<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Fact> + 'a {
        self.0.iter().filter(move |f| f.source == source)
    }
}

/// Inputs beyond the probe reports.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `--public`: the target must be reachable from the internet.
    pub public: bool,
    /// The person's answers: (ask key, yes?).
    pub answers: Vec<(String, bool)>,
}

pub fn derive(
    target: &Target,
    reports: &[ProbeReport],
    ctx: &Context,
    services: &Services,
) -> FactSet {
    let mut f = FactSet::default();
    let data = |id| reports.iter().find(|r| r.id == id).map(|r| &r.data);
    use crate::probe::ProbeId as P;

    target_facts(&mut f, target, ctx, services);
    let dns = match data(P::Dns) {
        Some(ProbeData::Dns(d)) => Some(d),
        _ => None,
    };
    if let Some(d) = dns {
        dns_facts(&mut f, d);
    }
    // The addresses a client would try.
    // IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are what they map to.
    let addrs: Vec<IpAddr> = match (target.ip(), dns) {
        (Some(ip), _) => vec![ip],
        (None, Some(d)) => d.system.addresses.clone(),
        _ => Vec::new(),
    }
    .into_iter()
    .map(|ip| ip.to_canonical())
    .collect();
    if let Some(lo) = addrs.iter().find(|ip| ip.is_loopback()) {
        f.add(
            "target.loopback",
            "target",
            format!("{lo} is a loopback address: this machine itself"),
        );
    }
    if addrs.iter().any(|ip| is_private(*ip)) {
        let which: Vec<String> = addrs
            .iter()
            .filter(|ip| is_private(**ip))
            .map(|ip| format!("{ip} ({})", address_kind(*ip)))
            .collect();
        // The internet only matters with --public; otherwise it is just what the address is.
        let detail = match target.ip() {
            Some(_) if ctx.public => {
                format!("{} is not reachable from the internet", which.join(", "))
            }
            Some(_) => format!("{} is not a public address", which.join(", ")),
            None => format!(
                "{} resolves to {}",
                target.host.as_deref().unwrap_or(""),
                which.join(", ")
            ),
        };
        f.add("dns.private_address", "dns", detail);
    }
    if let Some(ProbeData::Tcp(t)) = data(P::Tcp) {
        tcp_facts(&mut f, t);
    }
    if let Some(ProbeData::Listeners(l)) = data(P::Listeners) {
        listener_facts(&mut f, l, &addrs, target, services);
    }
    if let (Some(ProbeData::Firewall(fw)), Some(port)) = (data(P::Firewall), target.port) {
        // Traffic to this host passes the input chains; to another host, only output.
        let local = f.has("target.own_address") || f.has("target.loopback");
        firewall_facts(&mut f, fw, port, local);
    }
    if let Some(ProbeData::Container(c)) = data(P::Container) {
        let local = f.has("target.own_address") || f.has("target.loopback");
        container_facts(&mut f, c, target, local);
    }
    if let Some(ProbeData::Proxy(p)) = data(P::Proxy) {
        proxy_facts(&mut f, p);
    }
    if let Some(ProbeData::Environment(e)) = data(P::Environment) {
        if e.container {
            f.add_with(
                "env.container",
                "environment",
                e.evidence
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "inside a container".into()),
                vals([("env.runtime", e.runtime.clone().unwrap_or_default())]),
            );
        }
        if e.wsl {
            f.add("env.wsl", "environment", "running inside WSL");
        }
        if e.kubernetes {
            f.add(
                "env.kubernetes",
                "environment",
                "running inside a Kubernetes pod",
            );
        }
    }
    if let Some(ProbeData::Http(h)) = data(P::Http) {
        http_facts(&mut f, h);
    }
    if let Some(ProbeData::Unix(u)) = data(P::Unix) {
        unix_facts(&mut f, u);
    }
    if let Some(ProbeData::Service(d)) = data(P::Service) {
        service_facts(&mut f, d);
    }
    for (key, yes) in &ctx.answers {
        let name = format!("answer.{key}.{}", if *yes { "yes" } else { "no" });
        f.add(
            &name,
            "person",
            format!("you answered {}", if *yes { "yes" } else { "no" }),
        );
    }
    f
}

/// The values the target itself gives: known before any probe runs, so checklists and
/// every answer can use them.
pub fn target_values(t: &Target, services: &Services) -> Values {
    let service = t
        .scheme
        .as_deref()
        .and_then(|s| services.by_scheme(s))
        .or_else(|| t.port.and_then(|p| services.by_port(p)))
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let path = t
        .unix_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    vals([
        ("target.input", t.input.clone()),
        ("target.host", t.host.clone().unwrap_or_default()),
        (
            "target.port",
            t.port.map(|p| p.to_string()).unwrap_or_default(),
        ),
        (
            "target.address",
            if t.is_unix() {
                String::new()
            } else {
                t.host_port()
            },
        ),
        ("target.scheme", t.scheme.clone().unwrap_or_default()),
        ("target.url", t.redacted.clone()),
        ("target.service", service),
        (
            "target.ip",
            t.ip().map(|ip| ip.to_string()).unwrap_or_default(),
        ),
        ("unix.path", path.clone()),
        ("target.path", path),
    ])
}

fn target_facts(f: &mut FactSet, t: &Target, ctx: &Context, services: &Services) {
    let values = target_values(t, services);
    if t.is_unix() {
        f.add_with(
            "target.unix",
            "target",
            format!("{} is a unix socket path", t.host_port()),
            values,
        );
        return;
    }
    if t.ip().is_some() {
        f.add_with(
            "target.ip_literal",
            "target",
            format!("{} is an IP address", t.host.as_deref().unwrap_or("")),
            values,
        );
    } else {
        f.add_with(
            "target.hostname",
            "target",
            format!("{} is a name to resolve", t.host.as_deref().unwrap_or("")),
            values,
        );
    }
    if ctx.public {
        f.add(
            "target.public_required",
            "target",
            "--public: it must be reachable from the internet",
        );
    }
    if let Some(s) = t.scheme.as_deref() {
        if services.is_tls_scheme(s) {
            f.add(
                "target.tls_scheme",
                "target",
                format!("{s}:// means TLS from the first byte"),
            );
        }
        if t.is_http() {
            f.add(
                "target.http_scheme",
                "target",
                format!("{s}:// is spoken over HTTP"),
            );
        }
    }
}

fn dns_facts(f: &mut FactSet, d: &DnsData) {
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

fn tcp_facts(f: &mut FactSet, t: &TcpData) {
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

/// The setting that chooses a server's listen address, and that setting with every
/// address (empty when connfix does not know the server).
fn bind_setting(process: &str, cmdline: &str, port: &str) -> (String, String) {
    match crate::probe::process::server_kind(process) {
        Some(k) => (k.bind_setting.to_string(), k.bind_all.replace("PORT", port)),
        None => match crate::probe::process::dev_server_flag(process, cmdline) {
            Some((flag, all)) => (flag.to_string(), all.replace("PORT", port)),
            None => (String::new(), String::new()),
        },
    }
}

/// The values a listener observed: where it listens, who owns it, how it is configured.
pub fn listener_values(l: &Listener) -> Values {
    let process = l.process.clone().unwrap_or_default();
    let cmdline = l.cmdline.clone().unwrap_or_default();
    let port = l.address.port().to_string();
    let (setting, all) = bind_setting(&process, &cmdline, &port);
    vals([
        ("listener.address", l.address.to_string()),
        ("listener.ip", l.address.ip().to_string()),
        ("listener.port", port),
        ("listener.process", process),
        (
            "listener.pid",
            l.pid.map(|p| p.to_string()).unwrap_or_default(),
        ),
        (
            "listener.owner",
            if l.pid.is_some() {
                l.owner()
            } else {
                String::new()
            },
        ),
        ("listener.user", l.user.clone().unwrap_or_default()),
        ("listener.cmdline", cmdline),
        ("listener.unit", l.unit.clone().unwrap_or_default()),
        ("listener.config", l.config.clone().unwrap_or_default()),
        ("listener.hba_file", l.hba.clone().unwrap_or_default()),
        ("listener.bind_setting", setting),
        ("listener.bind_all", all),
    ])
}

/// The ICMP message behind an "unreachable": a far firewall that rejects, or no machine.
fn icmp_facts(f: &mut FactSet, a: &crate::probe::tcp::Attempt, mut v: Values) {
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

/// Does a listener accept connections to `to`? Wildcards cover their family; an IPv6
/// wildcard also takes IPv4 unless it is IPv6-only (Linux's default is dual-stack, and
/// /proc cannot tell, so unknown counts as dual-stack).
fn covers(l: &Listener, to: IpAddr) -> bool {
    match (l.address.ip(), to) {
        (IpAddr::V4(b), IpAddr::V4(_)) if b.is_unspecified() => true,
        (IpAddr::V6(b), IpAddr::V6(_)) if b.is_unspecified() => true,
        (IpAddr::V6(b), IpAddr::V4(_)) if b.is_unspecified() => l.v6only != Some(true),
        (bound, _) => bound == to,
    }
}

fn listener_facts(
    f: &mut FactSet,
    l: &ListenerData,
    addrs: &[IpAddr],
    target: &Target,
    services: &Services,
) {
    if let Some(e) = &l.error {
        f.add("listener.unavailable", "listeners", e.clone());
        return;
    }
    let own: Vec<IpAddr> = addrs
        .iter()
        .copied()
        .filter(|ip| ip.is_loopback() || ip.is_unspecified() || l.own_addresses.contains(ip))
        .collect();
    if own.is_empty() {
        if !addrs.is_empty() {
            f.add(
                "target.remote",
                "listeners",
                format!("{} is not an address of this host", addrs[0]),
            );
        }
        return;
    }
    f.add(
        "target.own_address",
        "listeners",
        format!("{} is an address of this host", own[0]),
    );
    if let Some(note) = &l.owner_note {
        f.add("listener.owner_unknown", "listeners", note.clone());
    }
    let Some(port) = target.port else { return };
    let show = |s: &Listener| format!("{} ({})", s.address, s.owner());
    let on_port: Vec<&Listener> = l
        .sockets
        .iter()
        .filter(|s| s.address.port() == port)
        .collect();
    let exact: Vec<&Listener> = on_port
        .iter()
        .copied()
        .filter(|s| own.iter().any(|ip| covers(s, *ip)))
        .collect();
    if let Some(s) = exact.first() {
        f.add_with(
            "listener.exact",
            "listeners",
            format!("{} listens there", show(s)),
            listener_values(s),
        );
        // The kernel drops SYNs once the queue holds more than the backlog. Without the
        // backlog (read from /proc), waiting connections plus a timeout say the same.
        let full = exact.iter().find(|s| match s.backlog {
            Some(max) => s.queued > max,
            None => s.queued > 0 && f.has("tcp.timeout"),
        });
        if let Some(full) = full {
            let max = full
                .backlog
                .map(|m| format!(", and it holds {}", m + 1))
                .unwrap_or_default();
            f.add_with(
                "listener.backlog_full",
                "listeners",
                format!(
                    "{} has {} connection(s) waiting to be accepted{max}: its accept queue is full",
                    show(full),
                    full.queued
                ),
                listener_values(full),
            );
        }
    } else if on_port.is_empty() {
        f.add(
            "listener.none",
            "listeners",
            format!("nothing on this host listens on port {port}"),
        );
    } else {
        let same_family: Vec<&&Listener> = on_port
            .iter()
            .filter(|s| own.iter().any(|ip| ip.is_ipv4() == s.address.is_ipv4()))
            .collect();
        let other_family: Vec<&&Listener> = on_port
            .iter()
            .filter(|s| !own.iter().any(|ip| ip.is_ipv4() == s.address.is_ipv4()))
            .collect();
        if !same_family.is_empty() {
            let list: Vec<String> = same_family.iter().map(|s| show(s)).collect();
            f.add_with(
                "listener.other_address",
                "listeners",
                format!(
                    "port {port} is listened on at {} only, not at {}",
                    list.join(", "),
                    own[0]
                ),
                listener_values(same_family[0]),
            );
        }
        if !other_family.is_empty() {
            let list: Vec<String> = other_family.iter().map(|s| show(s)).collect();
            let fam = if own[0].is_ipv4() { "IPv6" } else { "IPv4" };
            f.add_with(
                "listener.other_family",
                "listeners",
                format!(
                    "port {port} is listened on over {fam} only: {}",
                    list.join(", ")
                ),
                listener_values(other_family[0]),
            );
        }
    }
    if exact.is_empty() {
        nearby_facts(f, l, &own, port, target, services);
    }
    if on_port.is_empty() {
        service_process_facts(f, l, &own, port, target, services);
    }
}

/// The target's own service seen elsewhere on this host: its server listening on another
/// port (the client has the wrong port), or running without listening at all (it is still
/// starting, or failed to bind).
fn service_process_facts(
    f: &mut FactSet,
    l: &ListenerData,
    own: &[IpAddr],
    port: u16,
    target: &Target,
    services: &Services,
) {
    let Some(svc) = services.of_target(target.scheme.as_deref(), Some(port)) else {
        return;
    };
    let ours = |name: &Option<String>| name.as_ref().is_some_and(|n| svc.processes.contains(n));
    let reachable =
        |s: &&Listener| own.iter().any(|ip| covers(s, *ip)) || s.address.ip().is_loopback();
    let elsewhere: Vec<&Listener> = (l.sockets.iter())
        .filter(reachable)
        .filter(|s| s.address.port() != port && ours(&s.process))
        .collect();
    if let Some(first) = elsewhere.first() {
        let list: Vec<String> = (elsewhere.iter().take(5))
            .map(|s| format!("{} ({})", s.address, s.owner()))
            .collect();
        f.add_with(
            "listener.service_process",
            "listeners",
            format!("{} listens, but on {}", svc.name, list.join(", ")),
            listener_values(first),
        );
    }
    // Only when no process of the service listens anywhere: an nginx worker or a
    // PostgreSQL backend holds no socket of its own, but its master does.
    let any_listens = l.sockets.iter().any(|s| ours(&s.process));
    let waiting = (l.servers.iter())
        .filter(|_| !any_listens)
        .find(|r| svc.processes.contains(&r.name));
    // A server of the service that listens on a unix socket and on no TCP port at all
    // (PostgreSQL with listen_addresses = '', MariaDB with skip-networking).
    let unix_only = (l.unix.iter())
        .filter(|_| !any_listens)
        .find(|u| svc.processes.contains(&u.process));
    if let Some(u) = unix_only {
        let (setting, all) = bind_setting(&u.process, "", &port.to_string());
        f.add_with(
            "listener.unix_only",
            "listeners",
            format!(
                "{} (pid {}) listens on the unix socket {} and on no TCP port",
                u.process, u.pid, u.path
            ),
            vals([
                ("listener.unix_path", u.path.clone()),
                ("process.name", u.process.clone()),
                ("process.pid", u.pid.to_string()),
                ("listener.config", u.config.clone().unwrap_or_default()),
                ("listener.bind_setting", setting),
                ("listener.bind_all", all),
            ]),
        );
    }
    if let Some(r) = waiting {
        let age = humantime::format_duration(std::time::Duration::from_secs(r.age_s)).to_string();
        f.add_with(
            "process.service_running",
            "listeners",
            format!(
                "{} (pid {}) has run for {age} but listens on no port yet",
                r.name, r.pid
            ),
            vals([
                ("process.name", r.name.clone()),
                ("process.pid", r.pid.to_string()),
                ("process.age", age),
            ]),
        );
    }
}

/// Listeners a person may have meant: the service's usual port, or within a few ports.
/// The usual port comes first, so its listener is the one fixes name when both exist.
fn nearby_facts(
    f: &mut FactSet,
    l: &ListenerData,
    own: &[IpAddr],
    port: u16,
    target: &Target,
    services: &Services,
) {
    const NEAR: u16 = 10;
    let reachable =
        |s: &&Listener| own.iter().any(|ip| covers(s, *ip)) || s.address.ip().is_loopback();
    // Only the scheme's own default port: its "also" ports are too common to point anywhere.
    let service = target.scheme.as_deref().and_then(|s| services.by_scheme(s));
    let usual: Vec<u16> = service
        .map(|svc| svc.port)
        .filter(|p| *p != port)
        .into_iter()
        .collect();
    let hits: Vec<&Listener> = l
        .sockets
        .iter()
        .filter(reachable)
        .filter(|s| usual.contains(&s.address.port()))
        .take(5)
        .collect();
    if let Some(first) = hits.first() {
        let list: Vec<String> = hits
            .iter()
            .map(|s| format!("{} ({})", s.address, s.owner()))
            .collect();
        let name = service.map(|s| s.name.clone()).unwrap_or_default();
        f.add_with(
            "listener.service_port",
            "listeners",
            format!("{name}'s usual port is listened on: {}", list.join(", ")),
            listener_values(first),
        );
    }
    let mut near: Vec<&Listener> = l
        .sockets
        .iter()
        .filter(reachable)
        .filter(|s| s.address.port() != port && s.address.port().abs_diff(port) <= NEAR)
        .collect();
    // The closest port first; on a tie, the one above (servers move up to a free port).
    near.sort_by_key(|s| (s.address.port().abs_diff(port), s.address.port() < port));
    near.truncate(5);
    if let Some(first) = near.first() {
        let list: Vec<String> = near
            .iter()
            .map(|s| format!("{} ({})", s.address, s.owner()))
            .collect();
        f.add_with(
            "listener.nearby_port",
            "listeners",
            format!("nearby: {}", list.join(", ")),
            listener_values(first),
        );
    }
}

/// The values of a firewall rule that blocks `port`: where it is, and the commands that
/// list it, remove it, or accept the port ahead of it. ufw and firewalld get their own
/// commands when their chains or tables hold the rule, since a raw edit under them is
/// undone at their next reload.
pub fn rule_values(r: &FirewallRule, port: u16) -> Values {
    let manager = if r.chain.starts_with("ufw-") || r.chain.starts_with("ufw6-") {
        "ufw"
    } else if r.table == "firewalld" {
        "firewalld"
    } else {
        ""
    };
    let nft = r.tool == "nft";
    let verb = match r.action {
        Action::Reject => "rejects",
        Action::Drop => "drops",
    };
    let position = if nft {
        r.handle
            .map(|h| format!(" (handle {h})"))
            .unwrap_or_default()
    } else {
        r.number.map(|n| format!(" {n}")).unwrap_or_default()
    };
    let place = if nft {
        format!("{} {}/{}", r.family, r.table, r.chain)
    } else {
        format!("{}/{}", r.table, r.chain)
    };
    let where_ = if r.default_policy {
        format!("the DROP policy of {} chain {place}", r.tool)
    } else {
        format!("{} rule{position} in {place}", r.tool)
    };
    // A rule matching only the source port hits the server's replies.
    let port_match = if !r.dports.is_empty() || r.sports.is_empty() {
        "dport"
    } else {
        "sport"
    };
    let list = match manager {
        "ufw" => "ufw status numbered".to_string(),
        "firewalld" => "firewall-cmd --list-all".to_string(),
        _ if nft => format!("nft -a list chain {} {} {}", r.family, r.table, r.chain),
        _ => format!(
            "{} -t {} -L {} -n -v --line-numbers",
            r.tool, r.table, r.chain
        ),
    };
    let delete = match (manager, r.default_policy) {
        ("", false) if nft => r
            .handle
            .map(|h| {
                format!(
                    "nft delete rule {} {} {} handle {h}",
                    r.family, r.table, r.chain
                )
            })
            .unwrap_or_default(),
        ("", false) => r
            .number
            .map(|n| format!("{} -t {} -D {} {n}", r.tool, r.table, r.chain))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let allow = match manager {
        "ufw" => format!("ufw allow {port}/tcp"),
        "firewalld" => format!("firewall-cmd --add-port={port}/tcp"),
        _ if nft => {
            let at = r
                .handle
                .filter(|_| !r.default_policy)
                .map(|h| format!(" position {h}"))
                .unwrap_or_default();
            format!(
                "nft insert rule {} {} {}{at} tcp {port_match} {port} accept",
                r.family, r.table, r.chain
            )
        }
        _ => {
            let at = r.number.filter(|_| !r.default_policy).unwrap_or(1);
            format!(
                "{} -t {} -I {} {at} -p tcp --{port_match} {port} -j ACCEPT",
                r.tool, r.table, r.chain
            )
        }
    };
    vals([
        ("rule.tool", r.tool.clone()),
        ("rule.table", r.table.clone()),
        ("rule.chain", r.chain.clone()),
        (
            "rule.number",
            r.number.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (
            "rule.handle",
            r.handle.map(|h| h.to_string()).unwrap_or_default(),
        ),
        ("rule.text", r.text.clone()),
        ("rule.where", where_),
        ("rule.verb", verb.to_string()),
        ("rule.manager", manager.to_string()),
        ("rule.list_command", list),
        ("rule.delete_command", delete),
        ("rule.allow_command", allow),
    ])
}

fn firewall_facts(f: &mut FactSet, fw: &FirewallData, port: u16, local: bool) {
    if !fw.readable {
        let why = fw
            .unreadable_reason
            .clone()
            .unwrap_or_else(|| "the firewall rules could not be read".into());
        f.add("firewall.unreadable", "firewall", why);
        return;
    }
    let relevant = |d: Direction| match d {
        Direction::Output | Direction::Other => true,
        Direction::Input => local,
        Direction::Forward => false,
    };
    for r in fw
        .affecting(port)
        .into_iter()
        .filter(|r| relevant(r.direction))
    {
        let values = rule_values(r, port);
        let text = format!("{}: {}", values["rule.where"], r.text);
        if r.default_policy {
            f.add_with(
                "firewall.default_drop",
                "firewall",
                format!("chain {} drops what no rule accepts ({})", r.chain, r.tool),
                values,
            );
        } else if r.names_port(port) {
            match r.action {
                Action::Reject => f.add_with("firewall.reject_rule", "firewall", text, values),
                Action::Drop => f.add_with("firewall.drop_rule", "firewall", text, values),
            }
        } else {
            // A rule for every port usually closes a chain after its ACCEPT rules, which
            // connfix does not evaluate: weaker evidence than a rule naming the port.
            f.add_with(
                "firewall.default_drop",
                "firewall",
                format!("a catch-all rule blocks what earlier rules do not accept: {text}"),
                values,
            );
        }
    }
}

fn proxy_facts(f: &mut FactSet, p: &ProxyData) {
    if let Some(u) = &p.applies {
        let values = vals([
            ("proxy.variable", u.variable.clone()),
            ("proxy.url", u.url.clone()),
            ("proxy.address", u.address.clone()),
            (
                "proxy.error",
                if u.reachable {
                    String::new()
                } else {
                    u.detail.clone()
                },
            ),
        ]);
        f.add_with(
            "proxy.applies",
            "proxy",
            format!("{} = {} applies to this target", u.variable, u.url),
            values.clone(),
        );
        if !u.reachable {
            f.add_with(
                "proxy.unreachable",
                "proxy",
                format!("the proxy {} cannot be reached: {}", u.address, u.detail),
                values,
            );
        }
    }
    if let Some(entry) = &p.bypassed_by {
        f.add(
            "proxy.bypassed",
            "proxy",
            format!("NO_PROXY entry '{entry}' exempts this target"),
        );
    }
}

fn http_facts(f: &mut FactSet, h: &HttpData) {
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

/// The values of a container, seen from the target's port.
pub fn container_values(c: &ContainerInfo, port: u16) -> Values {
    let binding = c.published(port);
    vals([
        ("container.name", c.name.clone()),
        ("container.id", c.id.clone()),
        ("container.image", c.image.clone()),
        ("container.state", c.state.clone()),
        (
            "container.exit_code",
            c.exit_code.map(|e| e.to_string()).unwrap_or_default(),
        ),
        ("container.restarts", c.restarts.to_string()),
        ("container.health", c.health.clone().unwrap_or_default()),
        (
            "container.health_log",
            c.health_log.clone().unwrap_or_default(),
        ),
        (
            "container.port",
            binding
                .map(|b| b.container_port.to_string())
                .unwrap_or_else(|| {
                    // Seen from inside, a container serves the port on itself.
                    if c.listening.iter().any(|a| a.port() == port) {
                        port.to_string()
                    } else {
                        String::new()
                    }
                }),
        ),
        (
            "container.host_port",
            binding.map(|b| b.host_port.to_string()).unwrap_or_default(),
        ),
        (
            "container.listen",
            crate::probe::container::join_addrs(&c.listening),
        ),
        ("container.networks", c.network_names().join(", ")),
        (
            "container.address",
            c.networks
                .first()
                .map(|(_, a)| a.clone())
                .unwrap_or_default(),
        ),
        (
            "container.compose_project",
            c.compose_project.clone().unwrap_or_default(),
        ),
        (
            "container.compose_service",
            c.compose_service.clone().unwrap_or_default(),
        ),
    ])
}

/// The containers behind the target: the one publishing its port here, the one its name
/// means, and the one the client runs in.
fn container_facts(f: &mut FactSet, d: &ContainerData, target: &Target, local: bool) {
    use crate::probe::container::{listens, only_loopback};
    let port = target.port.unwrap_or(0);
    let client_values = |v: &mut Values| {
        if let Some(c) = &d.client {
            v.insert("container.client".into(), c.name.clone());
            v.insert(
                "container.client_networks".into(),
                c.network_names().join(", "),
            );
        }
    };
    if let Some(c) = d.publishing.as_ref().filter(|_| local) {
        let mut v = container_values(c, port);
        client_values(&mut v);
        let inside = c.published(port).map(|b| b.container_port).unwrap_or(port);
        f.add_with(
            "container.publishes_port",
            "container",
            format!(
                "container {} publishes port {port} to its port {inside}",
                c.name
            ),
            v.clone(),
        );
        if !c.running() {
            let code = c
                .exit_code
                .map(|e| format!(", exit code {e}"))
                .unwrap_or_default();
            let oom = if c.oom_killed {
                ", killed for lack of memory"
            } else {
                ""
            };
            f.add_with(
                "container.not_running",
                "container",
                format!(
                    "container {} is {}{code}{oom}, restarted {} times",
                    c.name, c.state, c.restarts
                ),
                v.clone(),
            );
        } else if c.pid.is_some() && !listens(&c.listening, inside) {
            f.add_with(
                "container.port_not_listening",
                "container",
                format!(
                    "nothing listens on port {inside} inside container {}; inside it listen: {}",
                    c.name,
                    crate::probe::container::join_addrs(&c.listening)
                ),
                v.clone(),
            );
        } else if only_loopback(&c.listening, inside) {
            f.add_with(
                "container.bound_to_loopback",
                "container",
                format!(
                    "inside container {}, port {inside} is listened on at the container's own loopback only ({})",
                    c.name,
                    crate::probe::container::join_addrs(&c.listening)
                ),
                v.clone(),
            );
        }
        if matches!(c.health.as_deref(), Some("unhealthy" | "starting")) {
            f.add_with(
                "container.unhealthy",
                "container",
                format!(
                    "container {} is {}{}",
                    c.name,
                    c.health.as_deref().unwrap_or(""),
                    c.health_log
                        .as_deref()
                        .map(|l| format!(": {l}"))
                        .unwrap_or_default()
                ),
                v,
            );
        }
    }
    if let Some(c) = d.named.as_ref().filter(|_| d.client.is_none()) {
        // Docker's DNS answers container and service names only inside its networks: from
        // the host (or any other place) the name does not resolve.
        let unresolved =
            f.has("dns.nxdomain") || f.has("dns.no_records") || f.has("dns.temporary_failure");
        if unresolved {
            let mut v = container_values(c, port);
            if let Some(b) = c.ports.iter().find(|b| b.container_port == port) {
                v.insert("container.host_port".into(), b.host_port.to_string());
                v.insert("container.port".into(), b.container_port.to_string());
            }
            f.add_with(
                "container.name_from_host",
                "container",
                format!(
                    "{} is the name of container {} ({}), which only Docker's DNS inside its networks ({}) answers",
                    target.host.as_deref().unwrap_or(""),
                    c.name,
                    c.state,
                    c.network_names().join(", ")
                ),
                v,
            );
        }
    }
    if let Some(c) = &d.named {
        let mut v = container_values(c, port);
        client_values(&mut v);
        if !c.running() {
            f.add_with(
                "container.not_running",
                "container",
                format!("container {} is {}", c.name, c.state),
                v.clone(),
            );
        }
        if let Some(client) = &d.client {
            let theirs = c.network_names();
            let shared = client.network_names().iter().any(|n| theirs.contains(n));
            if !shared && c.running() {
                f.add_with(
                    "container.network_mismatch",
                    "container",
                    format!(
                        "{} is on {} and {} on {}: no network in common",
                        client.name,
                        client.network_names().join(", "),
                        c.name,
                        theirs.join(", ")
                    ),
                    v,
                );
            }
        }
    }
    if let (Some(other), true) = (d.serving.first(), f.has("target.loopback")) {
        let mut v = container_values(other, port);
        client_values(&mut v);
        f.add_with(
            "container.target_elsewhere",
            "container",
            format!(
                "port {port} is served by container {}, not by the client's own container",
                other.name
            ),
            v,
        );
    }
}

/// What answered past the handshake: the service's own words, and its certificate.
fn service_facts(f: &mut FactSet, d: &ServiceData) {
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

/// A fact set that gives every fact added through it the same values.
struct Bound<'a> {
    f: &'a mut FactSet,
    values: Values,
}

impl Bound<'_> {
    fn add(&mut self, name: &str, source: &str, detail: impl Into<String>) {
        self.f.add_with(name, source, detail, self.values.clone());
    }
}

fn unix_facts(f: &mut FactSet, u: &UnixData) {
    let p = u.path.display();
    let values = vals([
        ("unix.path", p.to_string()),
        (
            "unix.dir",
            u.existing_parent
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
        ),
        ("unix.mode", u.mode.clone().unwrap_or_default()),
        ("unix.owner", u.owner_names.clone().unwrap_or_default()),
        ("client.user", u.client_user.clone().unwrap_or_default()),
    ]);
    let mut f = Bound { f, values };
    let f = &mut f;
    match u.outcome {
        UnixOutcome::Connected => f.add(
            "unix.connected",
            "unix",
            format!("{p} accepted the connection"),
        ),
        UnixOutcome::Missing => {
            let parent = u
                .existing_parent
                .as_ref()
                .map(|d| format!(" (the nearest existing directory is {})", d.display()))
                .unwrap_or_default();
            f.add(
                "unix.missing",
                "unix",
                format!("{p} does not exist{parent}"),
            )
        }
        UnixOutcome::Stale => f.add(
            "unix.stale",
            "unix",
            format!("{p} exists but nothing listens on it"),
        ),
        UnixOutcome::Permission => f.add("unix.permission", "unix", format!("{p}: {}", u.detail)),
        UnixOutcome::NotSocket => f.add("unix.not_socket", "unix", format!("{p} is not a socket")),
        UnixOutcome::Timeout | UnixOutcome::Other => {}
    }
}

/// Addresses that the internet cannot reach.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (s & 0xfe00) == 0xfc00
                || (s & 0xffc0) == 0xfe80
        }
    }
}

fn address_kind(ip: IpAddr) -> &'static str {
    match ip {
        IpAddr::V4(v4) if v4.is_loopback() => "loopback",
        IpAddr::V6(v6) if v6.is_loopback() => "loopback",
        IpAddr::V4(v4) if v4.is_link_local() => "link-local",
        IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80 => "link-local",
        IpAddr::V4(v4) if v4.octets()[0] == 100 => "carrier-grade NAT",
        _ => "private",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::firewall::{Action, Direction, FirewallRule};

    #[test]
    #[should_panic(expected = "not in the vocabulary")]
    fn an_unknown_fact_name_is_a_bug() {
        FactSet::default().add("tcp.refussed", "tcp", "typo");
    }

    #[test]
    #[should_panic(expected = "not in the vocabulary")]
    fn an_unknown_value_name_is_a_bug() {
        FactSet::default().add_with("tcp.refused", "tcp", "x", vals([("tcp.prot", "1".into())]));
    }

    #[test]
    fn the_first_fact_binding_a_value_wins() {
        let mut f = FactSet::default();
        f.add_with(
            "listener.exact",
            "listeners",
            "a",
            vals([("listener.port", "1".into())]),
        );
        f.add_with(
            "listener.nearby_port",
            "listeners",
            "b",
            vals([("listener.port", "2".into())]),
        );
        assert_eq!(f.values()["listener.port"], "1");
    }

    fn rule(
        tool: &str,
        chain: &str,
        table: &str,
        number: Option<u32>,
        handle: Option<u64>,
    ) -> FirewallRule {
        FirewallRule {
            tool: tool.into(),
            family: "inet".into(),
            table: table.into(),
            chain: chain.into(),
            direction: Direction::Input,
            action: Action::Drop,
            text: String::new(),
            protocol: Some("tcp".into()),
            dports: vec![(8080, 8080)],
            sports: Vec::new(),
            default_policy: false,
            reject_with: None,
            number,
            handle,
        }
    }

    #[test]
    fn rule_commands_per_tool_and_manager() {
        let v = rule_values(&rule("iptables", "INPUT", "filter", Some(3), None), 8080);
        assert_eq!(v["rule.where"], "iptables rule 3 in filter/INPUT");
        assert_eq!(v["rule.delete_command"], "iptables -t filter -D INPUT 3");
        assert_eq!(
            v["rule.allow_command"],
            "iptables -t filter -I INPUT 3 -p tcp --dport 8080 -j ACCEPT"
        );
        let v = rule_values(&rule("nft", "input", "filter", None, Some(7)), 8080);
        assert_eq!(
            v["rule.delete_command"],
            "nft delete rule inet filter input handle 7"
        );
        assert_eq!(
            v["rule.allow_command"],
            "nft insert rule inet filter input position 7 tcp dport 8080 accept"
        );
        // A raw edit under ufw or firewalld is undone by them: their own commands instead.
        let v = rule_values(
            &rule("iptables", "ufw-user-input", "filter", Some(2), None),
            8080,
        );
        assert_eq!(v["rule.allow_command"], "ufw allow 8080/tcp");
        assert!(!v.contains_key("rule.delete_command"));
        let v = rule_values(
            &rule("nft", "filter_IN_public", "firewalld", None, Some(9)),
            8080,
        );
        assert_eq!(v["rule.allow_command"], "firewall-cmd --add-port=8080/tcp");
    }
}
