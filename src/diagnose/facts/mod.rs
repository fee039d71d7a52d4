//! From what the probes observed to named facts. Pure: the same reports always give the
//! same facts, so every cause can be unit-tested with hand-made observations.

mod container;
mod dns;
mod firewall;
mod http;
mod listeners;
mod proxy;
mod service;
mod set;
#[cfg(test)]
mod table;
mod target;
mod tcp;
mod unix;

pub use container::container_values;
pub use firewall::rule_values;
pub use listeners::listener_values;
pub use set::{Context, Fact, FactSet};
pub use target::target_values;

use container::container_facts;
use dns::dns_facts;
use firewall::firewall_facts;
use http::http_facts;
use listeners::listener_facts;
use proxy::proxy_facts;
use service::service_facts;
use set::vals;
use target::target_facts;
use tcp::tcp_facts;
use unix::unix_facts;

use crate::knowledge::services::Services;
use crate::probe::{ProbeData, ProbeReport};
use crate::target::Target;
use std::net::IpAddr;

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
