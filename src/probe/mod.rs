//! Live probes. Each probe is one file, owns its result, and reports it as one event over a
//! channel; the runner bounds each in time and cancels them all with one token. The latest
//! run wins: a consumer keys reports by probe id and replaces older ones.

pub mod container;
pub mod dns;
pub mod environment;
pub mod firewall;
pub mod http;
pub mod icmp;
pub mod listeners;
pub mod process;
pub mod proxy;
pub mod reach;
pub mod service;
mod sockdiag;
pub mod tcp;
pub mod unix;
pub mod vantage;

use crate::target::Target;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeId {
    Dns,
    Tcp,
    Listeners,
    Firewall,
    Proxy,
    Environment,
    Http,
    Unix,
    Service,
    Container,
}

impl ProbeId {
    pub const ALL: [ProbeId; 10] = [
        ProbeId::Dns,
        ProbeId::Tcp,
        ProbeId::Listeners,
        ProbeId::Firewall,
        ProbeId::Proxy,
        ProbeId::Environment,
        ProbeId::Http,
        ProbeId::Unix,
        ProbeId::Service,
        ProbeId::Container,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProbeId::Dns => "dns",
            ProbeId::Tcp => "tcp",
            ProbeId::Listeners => "listeners",
            ProbeId::Firewall => "firewall",
            ProbeId::Proxy => "proxy",
            ProbeId::Environment => "environment",
            ProbeId::Http => "http",
            ProbeId::Unix => "unix",
            ProbeId::Service => "service",
            ProbeId::Container => "container",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Problem,
    Skipped,
    Error,
}

/// What a probe observed. Serialized as the probe's `data` object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProbeData {
    Dns(dns::DnsData),
    Tcp(tcp::TcpData),
    Listeners(listeners::ListenerData),
    Firewall(firewall::FirewallData),
    Proxy(proxy::ProxyData),
    Environment(environment::EnvData),
    Http(http::HttpData),
    Unix(unix::UnixData),
    Service(service::ServiceData),
    Container(container::ContainerData),
    None,
}

impl ProbeData {
    /// Reads back a saved probe's `data`. The JSON form is untagged, so the probe id says
    /// which shape to expect.
    pub fn from_json(id: ProbeId, v: serde_json::Value) -> Result<ProbeData, serde_json::Error> {
        use serde_json::from_value;
        if v.is_null() {
            return Ok(ProbeData::None);
        }
        Ok(match id {
            ProbeId::Dns => ProbeData::Dns(from_value(v)?),
            ProbeId::Tcp => ProbeData::Tcp(from_value(v)?),
            ProbeId::Listeners => ProbeData::Listeners(from_value(v)?),
            ProbeId::Firewall => ProbeData::Firewall(from_value(v)?),
            ProbeId::Proxy => ProbeData::Proxy(from_value(v)?),
            ProbeId::Environment => ProbeData::Environment(from_value(v)?),
            ProbeId::Http => ProbeData::Http(from_value(v)?),
            ProbeId::Unix => ProbeData::Unix(from_value(v)?),
            ProbeId::Service => ProbeData::Service(from_value(v)?),
            ProbeId::Container => ProbeData::Container(from_value(v)?),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeReport {
    pub id: ProbeId,
    pub status: Status,
    pub summary: String,
    pub elapsed_ms: f64,
    pub data: ProbeData,
}

impl ProbeReport {
    fn skipped(id: ProbeId, why: impl Into<String>) -> ProbeReport {
        ProbeReport {
            id,
            status: Status::Skipped,
            summary: why.into(),
            elapsed_ms: 0.0,
            data: ProbeData::None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum ProbeEvent {
    Started(ProbeId),
    Finished(Box<ProbeReport>),
}

fn finished(r: ProbeReport) -> ProbeEvent {
    ProbeEvent::Finished(Box::new(r))
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Upper bound for each network wait (connect, DNS query, HTTP response).
    pub timeout: Duration,
    /// `--dns-server`: query this server directly instead of the system's.
    pub dns_server: Option<SocketAddr>,
    /// `--from`: where the client runs, when not in this host's own network.
    pub vantage: Option<Arc<vantage::Vantage>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(5),
            dns_server: None,
            vantage: None,
        }
    }
}

/// The words after `field` in /proc/self/status (e.g. `Uid:` gives the real, effective,
/// saved and filesystem uids); None when /proc cannot tell.
pub(crate) fn self_status(field: &str) -> Option<Vec<String>> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix(field))?;
    Some(line.split_whitespace().map(String::from).collect())
}

/// Effective uid 0, read from /proc so no unsafe call is needed.
pub(crate) fn is_root() -> bool {
    self_status("Uid:").is_some_and(|ids| ids.get(1).is_some_and(|id| id == "0"))
}

/// Milliseconds since `start`, with sub-millisecond precision (loopback answers in µs).
pub fn ms_since(start: Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

/// The probes that run for `target`, in display order.
pub fn planned(target: &Target) -> Vec<ProbeId> {
    let unix = target.is_unix();
    ProbeId::ALL
        .into_iter()
        .filter(|id| match id {
            ProbeId::Unix => unix,
            ProbeId::Environment => true,
            ProbeId::Http => !unix && target.is_http(),
            _ => !unix,
        })
        .collect()
}

/// What re-running `id` runs again: a chain stage takes the later stages with it, since
/// their answers were built on the earlier one's.
pub fn rerun_set(target: &Target, id: ProbeId) -> Vec<ProbeId> {
    let ids = match id {
        ProbeId::Dns => vec![ProbeId::Dns, ProbeId::Tcp, ProbeId::Http, ProbeId::Service],
        ProbeId::Tcp => vec![ProbeId::Tcp, ProbeId::Http, ProbeId::Service],
        other => vec![other],
    };
    let planned = planned(target);
    ids.into_iter().filter(|p| planned.contains(p)).collect()
}

/// Starts every probe that applies to `target`. Independent probes run concurrently; the
/// chain DNS → TCP → HTTP runs in order because each needs the previous one's answer.
/// Events arrive on the returned channel; it closes when all probes are done or cancelled.
pub fn spawn(
    target: Arc<Target>,
    settings: Settings,
    cancel: CancellationToken,
) -> mpsc::Receiver<ProbeEvent> {
    inside(settings.vantage.clone(), move |tx| {
        let s = Arc::new(settings);
        // TCP, HTTP and the service probe are started by the stage before them.
        for id in planned(&target) {
            if !matches!(id, ProbeId::Tcp | ProbeId::Http | ProbeId::Service) {
                start(&tx, &cancel, &target, &s, id, &[]);
            }
        }
    })
}

/// Runs `begin` (which starts probes on the current runtime, sending on the channel it is
/// given) here, or, with a vantage point, on a dedicated thread inside that network
/// namespace with its own current-thread runtime, forwarding every event. That thread
/// ends when the last probe has reported.
fn inside(
    vantage: Option<Arc<vantage::Vantage>>,
    begin: impl FnOnce(mpsc::Sender<ProbeEvent>) + Send + 'static,
) -> mpsc::Receiver<ProbeEvent> {
    let (tx, rx) = mpsc::channel(64);
    let Some(v) = vantage else {
        begin(tx);
        return rx;
    };
    std::thread::spawn(move || {
        if let Err(e) = vantage::enter(&v.netns) {
            crate::log::line(&format!("cannot enter {}: {e}", v.netns.display()));
            return;
        }
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            let (inner_tx, mut inner_rx) = mpsc::channel(64);
            begin(inner_tx);
            while let Some(ev) = inner_rx.recv().await {
                if tx.send(ev).await.is_err() {
                    break;
                }
            }
        });
    });
    rx
}

/// Runs `id` again (with the stages after it, see [`rerun_set`]); `prior` holds the latest
/// reports, from which a later chain stage takes the addresses found before it.
pub fn spawn_rerun(
    target: Arc<Target>,
    settings: Settings,
    id: ProbeId,
    prior: &[ProbeReport],
    cancel: CancellationToken,
) -> mpsc::Receiver<ProbeEvent> {
    let prior = prior.to_vec();
    inside(settings.vantage.clone(), move |tx| {
        start(&tx, &cancel, &target, &Arc::new(settings), id, &prior);
    })
}

/// Starts probe `id`; a chain stage continues through the stages after it.
fn start(
    tx: &mpsc::Sender<ProbeEvent>,
    cancel: &CancellationToken,
    target: &Arc<Target>,
    s: &Arc<Settings>,
    id: ProbeId,
    prior: &[ProbeReport],
) {
    let t = s.timeout;
    let port = target.port.unwrap_or(0);
    let prior_of = |want| prior.iter().find(|r| r.id == want);
    let chain = |start| spawn_chain(tx, cancel, target.clone(), s.clone(), start);
    match id {
        ProbeId::Dns => chain(ChainStart::Dns),
        ProbeId::Tcp => chain(ChainStart::Tcp(match target.ip() {
            Some(ip) => vec![ip],
            None => prior_of(ProbeId::Dns).map(resolved).unwrap_or_default(),
        })),
        ProbeId::Http => chain(ChainStart::Http(
            prior_of(ProbeId::Tcp).and_then(first_connected),
        )),
        ProbeId::Service => chain(ChainStart::Service(
            prior_of(ProbeId::Tcp).and_then(first_connected),
        )),
        ProbeId::Unix => {
            // A path as the client at the vantage point sees it, inside its root.
            let path = target.unix_path.clone().unwrap_or_default();
            let path = match &s.vantage {
                Some(v) => v.file(&path.to_string_lossy()),
                None => path,
            };
            spawn_probe(tx, cancel, id, t, async move { unix::run(&path, t).await });
        }
        ProbeId::Listeners => spawn_probe(tx, cancel, id, t, listeners::run()),
        ProbeId::Firewall => spawn_probe(
            tx,
            cancel,
            id,
            t,
            async move { firewall::run(port, t).await },
        ),
        ProbeId::Proxy => {
            let tgt = target.clone();
            let v = s.vantage.clone();
            spawn_probe(
                tx,
                cancel,
                id,
                t,
                async move { proxy::run(&tgt, t, v).await },
            );
        }
        ProbeId::Environment => {
            let v = s.vantage.clone();
            spawn_probe(tx, cancel, id, t, environment::run(v));
        }
        ProbeId::Container => {
            let tgt = target.clone();
            // Whether the target is this host is decided later, from the facts: the probe
            // looks for a publishing container whatever the target's host.
            let client = s
                .vantage
                .as_ref()
                .and_then(|v| v.container().map(String::from));
            spawn_probe(tx, cancel, id, t, async move {
                container::run(&tgt, client, true, t).await
            });
        }
    }
}

/// Runs all probes and collects their reports (for `connfix check`).
pub async fn run_all(target: Arc<Target>, settings: Settings) -> Vec<ProbeReport> {
    let mut rx = spawn(target, settings, CancellationToken::new());
    let mut reports = Vec::new();
    while let Some(ev) = rx.recv().await {
        if let ProbeEvent::Finished(r) = ev {
            reports.push(*r);
        }
    }
    reports.sort_by_key(|r| r.id);
    reports
}

/// A probe's whole run, bounded: it gets `limit` plus a grace period for its own cleanup,
/// after which it is reported as an error rather than waited on. It runs as its own task,
/// so a probe that panics (a bug) is reported as an error instead of never finishing, and
/// cancelling drops it at once (its child processes are killed on drop).
async fn bounded<F>(
    id: ProbeId,
    limit: Duration,
    cancel: &CancellationToken,
    fut: F,
) -> Option<ProbeReport>
where
    F: Future<Output = ProbeReport> + Send + 'static,
{
    let start = Instant::now();
    let grace = limit + Duration::from_millis(500);
    let error = |summary: String| ProbeReport {
        id,
        status: Status::Error,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::None,
    };
    let mut task = tokio::spawn(fut);
    let outcome = tokio::select! {
        _ = cancel.cancelled() => None,
        r = tokio::time::timeout(grace, &mut task) => Some(r),
    };
    match outcome {
        None => {
            task.abort();
            None
        }
        Some(Ok(Ok(report))) => Some(report),
        Some(Ok(Err(e))) => Some(error(if e.is_panic() {
            "failed with an internal error (a bug in connfix; the log or stderr has the details)"
                .into()
        } else {
            "was stopped before it finished".into()
        })),
        Some(Err(_)) => {
            task.abort();
            Some(error(format!(
                "did not finish within {:.1} s",
                grace.as_secs_f64()
            )))
        }
    }
}

fn spawn_probe<F>(
    tx: &mpsc::Sender<ProbeEvent>,
    cancel: &CancellationToken,
    id: ProbeId,
    limit: Duration,
    fut: F,
) where
    F: Future<Output = ProbeReport> + Send + 'static,
{
    let (tx, cancel) = (tx.clone(), cancel.clone());
    tokio::spawn(async move {
        let _ = tx.send(ProbeEvent::Started(id)).await;
        if let Some(r) = bounded(id, limit, &cancel, fut).await {
            let _ = tx.send(finished(r)).await;
        }
    });
}

/// Where the DNS → TCP → HTTP chain starts, carrying what the skipped stages found.
/// A probe's run, boxed so the stages after the connect can share one runner.
type ProbeFuture = std::pin::Pin<Box<dyn Future<Output = ProbeReport> + Send>>;

enum ChainStart {
    Dns,
    Tcp(Vec<IpAddr>),
    Http(Option<SocketAddr>),
    Service(Option<SocketAddr>),
}

/// DNS, then TCP to what it found, then HTTP/TLS over the address that connected.
fn spawn_chain(
    tx: &mpsc::Sender<ProbeEvent>,
    cancel: &CancellationToken,
    target: Arc<Target>,
    s: Arc<Settings>,
    start: ChainStart,
) {
    let (tx, cancel) = (tx.clone(), cancel.clone());
    tokio::spawn(async move {
        let host = target.host.clone().unwrap_or_default();
        let port = target.port.unwrap_or(0);
        let send = |ev| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(ev).await;
            }
        };

        // A re-run of one of the last two stages runs only that one.
        let (http_too, service_too) = match start {
            ChainStart::Http(_) => (true, false),
            ChainStart::Service(_) => (false, true),
            ChainStart::Dns | ChainStart::Tcp(_) => (true, true),
        };
        let connected = match start {
            ChainStart::Http(connected) | ChainStart::Service(connected) => connected,
            ChainStart::Dns | ChainStart::Tcp(_) => {
                let addrs = match start {
                    ChainStart::Tcp(addrs) => addrs,
                    _ => match target.ip() {
                        // DNS: an IP literal needs none.
                        Some(ip) => {
                            send(finished(ProbeReport::skipped(
                                ProbeId::Dns,
                                "skipped: the target is an IP address",
                            )))
                            .await;
                            vec![ip]
                        }
                        None => {
                            send(ProbeEvent::Started(ProbeId::Dns)).await;
                            let (h, settings) = (host.clone(), s.clone());
                            let fut = async move { dns::run(&h, &settings).await };
                            let Some(r) = bounded(ProbeId::Dns, s.timeout, &cancel, fut).await
                            else {
                                return;
                            };
                            let addrs = resolved(&r);
                            send(finished(r)).await;
                            addrs
                        }
                    },
                };

                // TCP to every address.
                if addrs.is_empty() {
                    send(finished(ProbeReport::skipped(
                        ProbeId::Tcp,
                        "skipped: the name did not resolve to any address",
                    )))
                    .await;
                    None
                } else {
                    send(ProbeEvent::Started(ProbeId::Tcp)).await;
                    let targets: Vec<SocketAddr> =
                        addrs.iter().map(|ip| SocketAddr::new(*ip, port)).collect();
                    let t = s.timeout;
                    let fut = async move { tcp::run(&targets, t).await };
                    let Some(r) = bounded(ProbeId::Tcp, s.timeout, &cancel, fut).await else {
                        return;
                    };
                    let first_ok = first_connected(&r);
                    send(finished(r)).await;
                    first_ok
                }
            }
        };

        // HTTP/TLS for web schemes, and what answers on the port, side by side over an
        // address that accepted.
        // One stage after the connect: run `probe` over the address that accepted, or
        // report it skipped with `why` when none did.
        let stage =
            |id: ProbeId,
             wanted: bool,
             why: &'static str,
             run: fn(Arc<Target>, SocketAddr, Duration) -> ProbeFuture| {
                let (send, cancel, target, s) = (&send, &cancel, target.clone(), s.clone());
                async move {
                    if !wanted {
                        return;
                    }
                    match connected {
                        Some(addr) => {
                            send(ProbeEvent::Started(id)).await;
                            let fut = run(target, addr, s.timeout);
                            if let Some(r) = bounded(id, s.timeout, cancel, fut).await {
                                send(finished(r)).await;
                            }
                        }
                        None => send(finished(ProbeReport::skipped(id, why))).await,
                    }
                }
            };
        let http = stage(
            ProbeId::Http,
            http_too && target.is_http(),
            "skipped: no TCP connection to speak HTTP over",
            |t, addr, timeout| Box::pin(async move { http::run(&t, addr, timeout).await }),
        );
        let service = stage(
            ProbeId::Service,
            service_too,
            "skipped: no TCP connection to talk to the service over",
            |t, addr, timeout| Box::pin(async move { service::run(&t, addr, timeout).await }),
        );
        tokio::join!(http, service);
    });
}

/// The addresses a DNS report resolved to, in the order clients try them.
fn resolved(r: &ProbeReport) -> Vec<IpAddr> {
    match &r.data {
        ProbeData::Dns(d) => d.system.addresses.clone(),
        _ => Vec::new(),
    }
}

fn first_connected(r: &ProbeReport) -> Option<SocketAddr> {
    match &r.data {
        ProbeData::Tcp(d) => d.first_connected(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::services::Services;
    use crate::target::{ParseOptions, parse};

    fn target(text: &str) -> Target {
        parse(text, ParseOptions::default(), &Services::bundled(), &|_| {
            None
        })
        .unwrap()
    }

    #[test]
    fn plans_only_the_probes_that_apply() {
        use ProbeId::*;
        let web = target("http://localhost:8080/");
        assert_eq!(
            planned(&web),
            [
                Dns,
                Tcp,
                Listeners,
                Firewall,
                Proxy,
                Environment,
                Http,
                Service,
                Container
            ]
        );
        assert_eq!(planned(&target("db:5432")).len(), 8);
        assert_eq!(planned(&target("unix:/run/x.sock")), [Environment, Unix]);
    }

    #[tokio::test]
    async fn a_probe_that_panics_is_reported_as_an_error() {
        let token = CancellationToken::new();
        let r = bounded(ProbeId::Dns, Duration::from_secs(5), &token, async {
            panic!("a deliberate bug in a probe")
        })
        .await
        .expect("a report, not silence");
        assert_eq!(r.status, Status::Error);
        assert!(r.summary.contains("internal error"), "{}", r.summary);
    }

    #[tokio::test]
    async fn cancelling_stops_a_hanging_probe_at_once() {
        let token = CancellationToken::new();
        token.cancel();
        let r = bounded(ProbeId::Tcp, Duration::from_secs(600), &token, async {
            std::future::pending::<ProbeReport>().await
        })
        .await;
        assert!(r.is_none());
    }

    #[test]
    fn a_rerun_takes_the_later_chain_stages_along() {
        use ProbeId::*;
        let web = target("http://localhost:8080/");
        assert_eq!(rerun_set(&web, Dns), [Dns, Tcp, Http, Service]);
        assert_eq!(rerun_set(&web, Tcp), [Tcp, Http, Service]);
        assert_eq!(rerun_set(&target("db:5432"), Dns), [Dns, Tcp, Service]);
        assert_eq!(rerun_set(&target("db:5432"), Firewall), [Firewall]);
        // A probe that does not apply to the target is not run at all.
        assert!(rerun_set(&target("db:5432"), Unix).is_empty());
    }
}
