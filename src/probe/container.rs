//! Containers behind the target, through the Docker (or Podman) Engine API on its unix
//! socket: the container that publishes the target port on this host (docker-proxy holds
//! the port while the app may not listen at all), the container a name means, and the one
//! the client runs in. For each: state, exit code, restarts, health, OOM kill, networks,
//! compose labels, and what listens inside it, read from its own network namespace
//! (`/proc/PID/net/tcp`). Without a reachable socket the probe says so and is skipped.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use crate::target::Target;
use bollard::Docker;
use bollard::query_parameters::{InspectContainerOptions, ListContainersOptions};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// At most this many stopped containers are inspected for their port bindings.
const MAX_INSPECTED: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerInfo {
    pub name: String,
    pub id: String,
    pub image: String,
    /// running, exited, restarting, created, paused, dead.
    pub state: String,
    pub exit_code: Option<i64>,
    pub restarts: i64,
    pub oom_killed: bool,
    /// healthy, unhealthy, starting (when it has a health check).
    pub health: Option<String>,
    pub health_log: Option<String>,
    pub pid: Option<i32>,
    pub ports: Vec<PortBinding>,
    /// Network name and the container's address on it.
    pub networks: Vec<(String, String)>,
    pub compose_project: Option<String>,
    pub compose_service: Option<String>,
    /// TCP listeners inside the container's network namespace.
    pub listening: Vec<SocketAddr>,
}

impl ContainerInfo {
    pub fn running(&self) -> bool {
        self.state == "running"
    }

    /// The container-side port published on host port `port`.
    pub fn published(&self, port: u16) -> Option<&PortBinding> {
        self.ports.iter().find(|p| p.host_port == port)
    }

    pub fn network_names(&self) -> Vec<&str> {
        self.networks.iter().map(|(n, _)| n.as_str()).collect()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContainerData {
    /// The engine's socket, when one answered.
    pub engine: Option<String>,
    /// Why no engine could be asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// The container that publishes the target port on this host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publishing: Option<Box<ContainerInfo>>,
    /// The container whose name (or compose service) is the target's host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named: Option<Box<ContainerInfo>>,
    /// The container the client runs in (with `--from container:NAME`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<Box<ContainerInfo>>,
    /// Other running containers that listen on the target port inside themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serving: Vec<ContainerInfo>,
}

/// Why the container engine could not tell what was asked.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("DOCKER_HOST is {0}; connfix reads containers through a local unix socket only")]
    RemoteHost(String),
    #[error(
        "no Docker or Podman socket (DOCKER_HOST is unset; none of /var/run/docker.sock, /run/podman/podman.sock, $XDG_RUNTIME_DIR/podman/podman.sock exists); start the engine, or set DOCKER_HOST=unix:///PATH"
    )]
    NoSocket,
    #[error("cannot use {socket}: {source}")]
    Unusable {
        socket: String,
        source: bollard::errors::Error,
    },
    #[error(
        "the container engine at {socket} did not answer within {secs:.1} s; is it running? (systemctl status docker)"
    )]
    Silent { socket: String, secs: f64 },
    #[error("no permission to use {0}: run connfix as root or as a member of the docker group")]
    Denied(String),
    #[error("cannot talk to the container engine at {socket}: {source}; is it running?")]
    Refused {
        socket: String,
        source: bollard::errors::Error,
    },
    #[error("no container named {0}")]
    NoContainer(String),
    #[error(transparent)]
    Api(#[from] bollard::errors::Error),
}

/// The engine's socket: DOCKER_HOST (unix://), Docker's default, then Podman's.
pub fn engine_socket() -> Result<String, EngineError> {
    if let Ok(host) = std::env::var("DOCKER_HOST") {
        return match host.strip_prefix("unix://") {
            Some(path) => Ok(path.to_string()),
            None => Err(EngineError::RemoteHost(host)),
        };
    }
    let mut candidates = vec![
        "/var/run/docker.sock".to_string(),
        "/run/podman/podman.sock".to_string(),
    ];
    if let Ok(dir) = std::env::var("XDG_RUNTIME_DIR") {
        candidates.push(format!("{dir}/podman/podman.sock"));
    }
    candidates
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .ok_or(EngineError::NoSocket)
}

/// Connects and agrees on an API version the engine speaks.
pub async fn connect(within: Duration) -> Result<(Docker, String), EngineError> {
    let socket = engine_socket()?;
    let docker = Docker::connect_with_unix(
        &socket,
        within.as_secs().max(1),
        bollard::API_DEFAULT_VERSION,
    )
    .map_err(|source| EngineError::Unusable {
        socket: socket.clone(),
        source,
    })?;
    let docker = tokio::time::timeout(within, docker.negotiate_version())
        .await
        .map_err(|_| EngineError::Silent {
            socket: socket.clone(),
            secs: within.as_secs_f64(),
        })?
        .map_err(|e| match e {
            bollard::errors::Error::IOError { err }
                if err.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                EngineError::Denied(socket.clone())
            }
            source => EngineError::Refused {
                socket: socket.clone(),
                source,
            },
        })?;
    Ok((docker, socket))
}

/// Everything about one container, by name or id.
pub async fn inspect(docker: &Docker, name: &str) -> Result<ContainerInfo, EngineError> {
    let c = docker
        .inspect_container(name, None::<InspectContainerOptions>)
        .await
        .map_err(|e| match e {
            bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            } => EngineError::NoContainer(name.to_string()),
            other => EngineError::Api(other),
        })?;
    let state = c.state.clone().unwrap_or_default();
    let health = state.health.clone();
    let labels = c
        .config
        .as_ref()
        .and_then(|x| x.labels.clone())
        .unwrap_or_default();
    let pid = state.pid.filter(|p| *p > 0).map(|p| p as i32);
    let mut ports = Vec::new();
    let bindings = c
        .host_config
        .as_ref()
        .and_then(|h| h.port_bindings.clone())
        .unwrap_or_default();
    for (spec, list) in bindings {
        let Some(container_port) = spec.split('/').next().and_then(|p| p.parse().ok()) else {
            continue;
        };
        if !spec.ends_with("/tcp") {
            continue;
        }
        for b in list.unwrap_or_default() {
            if let Some(host_port) = b.host_port.as_deref().and_then(|p| p.parse().ok()) {
                ports.push(PortBinding {
                    host_ip: b.host_ip.unwrap_or_default(),
                    host_port,
                    container_port,
                });
            }
        }
    }
    ports.sort_by_key(|p| (p.host_port, p.container_port));
    let mut networks: Vec<(String, String)> = c
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|(n, e)| (n, e.ip_address.unwrap_or_default()))
        .collect();
    networks.sort();
    Ok(ContainerInfo {
        name: c
            .name
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string(),
        id: c.id.unwrap_or_default().chars().take(12).collect(),
        image: c
            .config
            .as_ref()
            .and_then(|x| x.image.clone())
            .unwrap_or_default(),
        state: state.status.map(|s| s.to_string()).unwrap_or_default(),
        exit_code: state.exit_code,
        restarts: c.restart_count.unwrap_or(0),
        oom_killed: state.oom_killed.unwrap_or(false),
        health: health
            .as_ref()
            .and_then(|h| h.status.map(|s| s.to_string()))
            .filter(|s| !s.is_empty() && s != "none"),
        health_log: health
            .and_then(|h| h.log)
            .and_then(|l| l.last().and_then(|r| r.output.clone()))
            .map(|o| super::service::printable_line(o.trim().as_bytes())),
        pid,
        ports,
        networks,
        compose_project: labels.get("com.docker.compose.project").cloned(),
        compose_service: labels.get("com.docker.compose.service").cloned(),
        listening: pid.map(listening_inside).unwrap_or_default(),
    })
}

/// The running containers, by name with their image, for choosing a vantage point.
pub async fn list_running(within: Duration) -> Result<Vec<(String, String)>, EngineError> {
    let (docker, socket) = connect(within).await?;
    let all = tokio::time::timeout(
        within,
        docker.list_containers(None::<ListContainersOptions>),
    )
    .await
    .map_err(|_| EngineError::Silent {
        socket,
        secs: within.as_secs_f64(),
    })??;
    let mut out: Vec<(String, String)> = all
        .into_iter()
        .filter_map(|c| {
            let name = c.names?.first()?.trim_start_matches('/').to_string();
            Some((name, c.image.unwrap_or_default()))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// TCP listeners in the network namespace of `pid`: /proc/PID/net shows the namespace of
/// that process, so no setns is needed to read it.
pub fn listening_inside(pid: i32) -> Vec<SocketAddr> {
    let Ok(p) = procfs::process::Process::new(pid) else {
        return Vec::new();
    };
    let mut out: Vec<SocketAddr> = p
        .tcp()
        .into_iter()
        .chain(p.tcp6())
        .flatten()
        .filter(|e| e.state == procfs::net::TcpState::Listen)
        .map(|e| e.local_address)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The probe: which containers are behind the target, seen from the engine.
pub async fn run(
    target: &Target,
    client: Option<String>,
    local: bool,
    timeout: Duration,
) -> ProbeReport {
    let start = Instant::now();
    let mut data = ContainerData::default();
    let (status, summary) = match connect(timeout).await {
        Err(why) => {
            let why = why.to_string();
            data.unavailable = Some(why.clone());
            (Status::Skipped, format!("skipped: {why}"))
        }
        Ok((docker, socket)) => {
            data.engine = Some(socket);
            match observe(&docker, target, client.as_deref(), local, &mut data).await {
                Ok(()) => summarize(&data, target.port.unwrap_or(0)),
                Err(e) => (Status::Error, format!("the container engine failed: {e}")),
            }
        }
    };
    ProbeReport {
        id: ProbeId::Container,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Container(data),
    }
}

async fn observe(
    docker: &Docker,
    target: &Target,
    client: Option<&str>,
    local: bool,
    d: &mut ContainerData,
) -> Result<(), EngineError> {
    let port = target.port.unwrap_or(0);
    let all = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            ..Default::default()
        }))
        .await?;
    if let Some(c) = client {
        d.client = Some(Box::new(inspect(docker, c).await?));
    }
    let host = target.host.clone().unwrap_or_default();
    let mut inspected = 0;
    for summary in &all {
        let Some(id) = summary.id.as_deref() else {
            continue;
        };
        let names: Vec<String> = (summary.names.clone().unwrap_or_default().iter())
            .map(|n| n.trim_start_matches('/').to_string())
            .collect();
        let running = summary.state.map(|s| s.to_string()) == Some("running".to_string());
        let labels = summary.labels.clone().unwrap_or_default();
        let service = labels.get("com.docker.compose.service").cloned();
        let is_named = !host.is_empty()
            && (names.contains(&host) || service.as_deref() == Some(host.as_str()));
        // Running containers list their published ports; stopped ones only in inspect.
        let publishes_here = (summary.ports.iter().flatten()).any(|p| {
            p.public_port == Some(port) && p.typ.map(|t| t.to_string()) != Some("udp".into())
        });
        let worth =
            is_named || (local && (publishes_here || (!running && inspected < MAX_INSPECTED)));
        if !(worth || running && client.is_some()) {
            continue;
        }
        if !running {
            inspected += 1;
        }
        let info = inspect(docker, id).await?;
        if is_named && d.named.is_none() {
            d.named = Some(Box::new(info.clone()));
        }
        if local && d.publishing.is_none() && info.published(port).is_some() {
            // A running one wins over an old stopped one with the same binding.
            d.publishing = Some(Box::new(info.clone()));
        } else if local && info.running() && info.published(port).is_some() {
            d.publishing = Some(Box::new(info.clone()));
        }
        if client.is_some()
            && info.running()
            && Some(info.name.as_str()) != client
            && info.listening.iter().any(|a| a.port() == port)
        {
            d.serving.push(info);
        }
    }
    Ok(())
}

pub fn summarize(d: &ContainerData, port: u16) -> (Status, String) {
    if let Some(c) = &d.publishing {
        let inside = c
            .published(port)
            .map(|b| b.container_port)
            .unwrap_or_default();
        if !c.running() {
            return (
                Status::Problem,
                format!(
                    "container {} publishes port {port} but is {}",
                    c.name, c.state
                ),
            );
        }
        return (
            Status::Ok,
            format!(
                "container {} publishes port {port} to its port {inside}; inside it listen: {}",
                c.name,
                join_addrs(&c.listening)
            ),
        );
    }
    if let Some(c) = &d.named {
        return (
            Status::Ok,
            format!("the target names container {} ({})", c.name, c.state),
        );
    }
    (Status::Ok, format!("no container publishes port {port}"))
}

pub fn join_addrs(a: &[SocketAddr]) -> String {
    if a.is_empty() {
        return "nothing".into();
    }
    a.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether every listener on `port` inside is bound to the container's own loopback.
pub fn only_loopback(listening: &[SocketAddr], port: u16) -> bool {
    let on: Vec<&SocketAddr> = listening.iter().filter(|a| a.port() == port).collect();
    !on.is_empty() && on.iter().all(|a| a.ip().is_loopback())
}

/// Whether anything listens on `port`, on any address.
pub fn listens(listening: &[SocketAddr], port: u16) -> bool {
    listening
        .iter()
        .any(|a| a.port() == port && !matches!(a.ip(), IpAddr::V4(v) if v.is_broadcast()))
}
