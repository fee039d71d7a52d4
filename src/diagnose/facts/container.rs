//! Facts from the container probe: the container, its ports and networks.

use super::set::{FactSet, vals};
use crate::probe::container::{ContainerData, ContainerInfo};
use crate::target::Target;
use crate::vocabulary::template::Values;

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
pub(super) fn container_facts(f: &mut FactSet, d: &ContainerData, target: &Target, local: bool) {
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

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::{Value, json};

    /// A container publishing host port 8080 to its port 80, in `state`, listening on `inside`.
    fn web(state: &str, health: Option<&str>, inside: &[&str]) -> Value {
        json!({
            "name": "web", "id": "0123456789ab", "image": "nginx", "state": state,
            "exit_code": if state == "running" { None } else { Some(1) }, "restarts": 0,
            "oom_killed": false, "health": health, "health_log": null,
            "pid": if state == "running" { Some(4242) } else { None },
            "ports": [{"host_ip": "0.0.0.0", "host_port": 8080, "container_port": 80}],
            "networks": [["bridge", "172.17.0.2"]], "compose_project": null,
            "compose_service": null, "listening": inside
        })
    }

    fn engine(publishing: Value) -> Value {
        json!({"engine": "/var/run/docker.sock", "publishing": publishing})
    }

    #[test]
    fn facts_per_container_state() {
        let row = |case, container, has, lacks| Row {
            case,
            target: "127.0.0.1:8080",
            probe: ProbeId::Container,
            data: engine(container),
            has,
            lacks,
        };
        check(&[
            row(
                "running and listening on every address",
                web("running", None, &["0.0.0.0:80"]),
                &["container.publishes_port"],
                &["container.not_running", "container.port_not_listening"],
            ),
            row(
                "stopped",
                web("exited", None, &[]),
                &["container.publishes_port", "container.not_running"],
                &["container.port_not_listening"],
            ),
            row(
                "running, nothing on the port inside",
                web("running", None, &["0.0.0.0:81"]),
                &["container.port_not_listening"],
                &["container.bound_to_loopback"],
            ),
            row(
                "listening on the container's loopback only",
                web("running", None, &["127.0.0.1:80"]),
                &["container.bound_to_loopback"],
                &["container.port_not_listening"],
            ),
            row(
                "unhealthy",
                web("running", Some("unhealthy"), &["0.0.0.0:80"]),
                &["container.unhealthy"],
                &[],
            ),
        ]);
    }
}
