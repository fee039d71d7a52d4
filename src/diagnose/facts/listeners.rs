//! Facts from the listeners probe: what listens here, on which address, and near which port.

use super::set::{FactSet, vals};
use crate::knowledge::services::Services;
use crate::probe::listeners::{Listener, ListenerData};
use crate::target::Target;
use crate::vocabulary::template::Values;
use std::net::IpAddr;

/// The setting that chooses a server's listen address, and that setting with every
/// address (empty when connfix does not know the server).
pub(super) fn bind_setting(process: &str, cmdline: &str, port: &str) -> (String, String) {
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

/// Does a listener accept connections to `to`? Wildcards cover their family; an IPv6
/// wildcard also takes IPv4 unless it is IPv6-only (Linux's default is dual-stack, and
/// /proc cannot tell, so unknown counts as dual-stack).
pub(super) fn covers(l: &Listener, to: IpAddr) -> bool {
    match (l.address.ip(), to) {
        (IpAddr::V4(b), IpAddr::V4(_)) if b.is_unspecified() => true,
        (IpAddr::V6(b), IpAddr::V6(_)) if b.is_unspecified() => true,
        (IpAddr::V6(b), IpAddr::V4(_)) if b.is_unspecified() => l.v6only != Some(true),
        (bound, _) => bound == to,
    }
}

pub(super) fn listener_facts(
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
pub(super) fn service_process_facts(
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
pub(super) fn nearby_facts(
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

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::json;

    fn listener(address: &str) -> serde_json::Value {
        json!({
            "address": address, "pid": 42, "process": "postgres",
            "cmdline": "postgres -D /var/lib/postgresql", "uid": 0, "queued": 0,
            "backlog": 128, "v6only": null
        })
    }

    fn listeners(sockets: Vec<serde_json::Value>) -> serde_json::Value {
        json!({
            "sockets": sockets, "own_addresses": ["127.0.0.1", "::1", "10.0.0.5"],
            "owners_visible": true
        })
    }

    #[test]
    fn facts_per_listening_socket() {
        let row = |case, target, sockets, has, lacks| Row {
            case,
            target,
            probe: ProbeId::Listeners,
            data: listeners(sockets),
            has,
            lacks,
        };
        check(&[
            row(
                "listening where asked",
                "127.0.0.1:5432",
                vec![listener("127.0.0.1:5432")],
                &["target.own_address", "listener.exact"],
                &["listener.none"],
            ),
            row(
                "listening on every address",
                "10.0.0.5:5432",
                vec![listener("0.0.0.0:5432")],
                &["listener.exact"],
                &["listener.other_address"],
            ),
            row(
                "nothing on the port",
                "127.0.0.1:5432",
                vec![listener("127.0.0.1:22")],
                &["listener.none"],
                &["listener.exact"],
            ),
            row(
                "on loopback only, asked on another address",
                "10.0.0.5:5432",
                vec![listener("127.0.0.1:5432")],
                &["listener.other_address"],
                &["listener.exact"],
            ),
            row(
                "on IPv6 only, asked on IPv4",
                "127.0.0.1:5432",
                vec![listener("[::1]:5432")],
                &["listener.other_family"],
                &["listener.exact"],
            ),
            row(
                "another host",
                "192.0.2.7:5432",
                vec![listener("127.0.0.1:5432")],
                &["target.remote"],
                &["target.own_address", "listener.none"],
            ),
        ]);
        check(&[Row {
            case: "the sockets could not be read",
            target: "127.0.0.1:5432",
            probe: ProbeId::Listeners,
            data: json!({
                "sockets": [], "own_addresses": [], "owners_visible": false,
                "error": "cannot read /proc/net/tcp"
            }),
            has: &["listener.unavailable"],
            lacks: &["listener.none"],
        }]);
    }
}
