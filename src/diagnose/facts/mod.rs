//! From what the probes observed to named facts. Pure: the same reports always give the
//! same facts, so every cause can be unit-tested with hand-made observations.

mod container;
mod dns;
mod firewall;
mod http;
mod listeners;
mod proxy;
mod service;
mod target;
mod tcp;
mod unix;

pub use container::container_values;
pub use firewall::rule_values;
pub use listeners::listener_values;
pub use target::target_values;

use container::container_facts;
use dns::dns_facts;
use firewall::firewall_facts;
use http::http_facts;
use listeners::listener_facts;
use proxy::proxy_facts;
use service::service_facts;
use target::target_facts;
use tcp::tcp_facts;
use unix::unix_facts;

use crate::knowledge::services::Services;
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
}

/// Table-driven checks shared by the tests of each probe's facts.
#[cfg(test)]
pub(super) mod table {
    use super::{Context, FactSet, derive};
    use crate::knowledge::services::Services;
    use crate::probe::{ProbeData, ProbeId, ProbeReport, Status};
    use crate::target::{ParseOptions, parse};

    /// One case: a target, what one probe observed (as its saved JSON), the facts that must
    /// follow and those that must not.
    pub struct Row {
        pub case: &'static str,
        pub target: &'static str,
        pub probe: ProbeId,
        pub data: serde_json::Value,
        pub has: &'static [&'static str],
        pub lacks: &'static [&'static str],
    }

    /// The facts `derive` gives for `target` and the reports read back from JSON.
    pub fn facts(target: &str, reports: &[(ProbeId, serde_json::Value)], ctx: &Context) -> FactSet {
        let services = Services::bundled();
        let target =
            parse(target, ParseOptions::default(), &services, &|_| None).expect("a valid target");
        let reports: Vec<ProbeReport> = reports
            .iter()
            .map(|(id, data)| ProbeReport {
                id: *id,
                status: Status::Ok,
                summary: String::new(),
                elapsed_ms: 0.0,
                data: ProbeData::from_json(*id, data.clone()).expect("probe data"),
            })
            .collect();
        derive(&target, &reports, ctx, &services)
    }

    pub fn check(rows: &[Row]) {
        for row in rows {
            let got = facts(
                row.target,
                &[(row.probe, row.data.clone())],
                &Context::default(),
            );
            let names: Vec<&str> = got.0.iter().map(|f| f.name.as_str()).collect();
            for want in row.has {
                assert!(names.contains(want), "{}: no {want} in {names:?}", row.case);
            }
            for not in row.lacks {
                assert!(
                    !names.contains(not),
                    "{}: unexpected {not} in {names:?}",
                    row.case
                );
            }
        }
    }
}
