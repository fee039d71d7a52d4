//! DNS: what the system resolver answers (getaddrinfo, in the order clients see), what the
//! hosts file says, and what a DNS server says when asked directly (hickory-resolver).
//! Comparing them separates "the name does not exist" from "the DNS server is down" from
//! "the hosts file or a cache disagrees with DNS".

use super::{ProbeData, ProbeId, ProbeReport, Settings, Status, ms_since};
use hickory_resolver::Resolver;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData, RecordType};
use serde::{Deserialize, Serialize};
use std::ffi::{CStr, CString};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DnsData {
    pub name: String,
    pub system: SystemAnswer,
    /// Addresses the hosts file gives for the name (empty when it does not list it).
    pub hosts_file: Vec<IpAddr>,
    pub direct: Option<DirectAnswer>,
    /// Why no direct query was made, when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_skipped: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemAnswer {
    /// In getaddrinfo's order, duplicates removed: the order clients try them in.
    pub addresses: Vec<IpAddr>,
    pub error: Option<GaiError>,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GaiError {
    pub code: i32,
    pub kind: GaiKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GaiKind {
    /// EAI_NONAME: the name is not known.
    NoName,
    /// EAI_NODATA: the name exists but has no address.
    NoData,
    /// EAI_AGAIN: temporary failure, usually no answer from the DNS server.
    Again,
    /// EAI_FAIL: a permanent failure from the server.
    Fail,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DirectAnswer {
    pub servers: Vec<String>,
    pub outcome: DirectOutcome,
    pub addresses: Vec<IpAddr>,
    pub detail: String,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectOutcome {
    Answer,
    NxDomain,
    NoRecords,
    /// The server answered with an error code (SERVFAIL, REFUSED...).
    ServerError,
    /// No answer: connection refused, unreachable or no server configured.
    Unreachable,
    Timeout,
}

/// How long the direct DNS query may take beyond a system lookup that already found the
/// name (a round trip to a near resolver is milliseconds; a dead one never answers).
const DIRECT_GRACE: Duration = Duration::from_millis(1000);

pub async fn run(name: &str, settings: &Settings) -> ProbeReport {
    if let Some(v) = settings.vantage.clone() {
        return run_from(name, settings, &v).await;
    }
    let start = Instant::now();
    let owned = name.to_string();
    let system = tokio::task::spawn_blocking(move || system_lookup(&owned));
    let hosts = tokio::fs::read_to_string("/etc/hosts");
    let local = is_local_name(name);
    // The direct query runs beside the system lookup, on its own task, so that a DNS
    // server that never answers cannot hold back a name the hosts file already answered.
    let direct_task = (!local).then(|| {
        let (n, st) = (name.to_string(), settings.clone());
        tokio::spawn(async move { direct_lookup(&n, &st).await })
    });
    // The system lookup runs on a blocking thread; bound it so a dead resolver cannot hold us.
    let system = async {
        match tokio::time::timeout(settings.timeout, system).await {
            Ok(Ok(answer)) => answer,
            _ => SystemAnswer {
                addresses: Vec::new(),
                error: Some(GaiError {
                    code: libc::EAI_AGAIN,
                    kind: GaiKind::Again,
                    message: format!("no answer within {:.1} s", settings.timeout.as_secs_f64()),
                }),
                elapsed_ms: ms_since(start),
            },
        }
    };
    let (system, hosts) = tokio::join!(system, hosts);
    let mut direct_skipped = local
        .then(|| "names like localhost are answered locally, never by a DNS server".to_string());
    let direct = match direct_task {
        None => None,
        // The system found addresses: the comparison gets a short grace, not the timeout.
        Some(task) if !system.addresses.is_empty() => {
            match tokio::time::timeout(DIRECT_GRACE, task).await {
                Ok(Ok(answer)) => Some(answer),
                _ => {
                    direct_skipped = Some(format!(
                        "the DNS server gave no answer within {:.1} s of the system resolver's; not compared",
                        DIRECT_GRACE.as_secs_f64()
                    ));
                    None
                }
            }
        }
        Some(task) => task.await.ok(),
    };
    let data = DnsData {
        name: name.to_string(),
        hosts_file: hosts.map(|t| hosts_lookup(&t, name)).unwrap_or_default(),
        system,
        direct,
        direct_skipped,
    };
    report(data, start)
}

/// The lookup as a client at the vantage point makes it: its own hosts file first, then
/// the DNS servers of its own resolv.conf (Docker's embedded 127.0.0.11 included), asked
/// from inside its network. glibc's getaddrinfo here would read this host's files.
async fn run_from(name: &str, settings: &Settings, v: &super::vantage::Vantage) -> ProbeReport {
    let start = Instant::now();
    let hosts_path = v.file("/etc/hosts");
    let hosts_text = tokio::fs::read_to_string(&hosts_path)
        .await
        .unwrap_or_default();
    let hosts_file = hosts_lookup(&hosts_text, name);
    let mut direct_skipped = None;
    let direct = if is_local_name(name) && !hosts_file.is_empty() {
        None
    } else if !hosts_file.is_empty() {
        // The hosts file answered: the comparison gets the same short grace as on the host.
        match tokio::time::timeout(DIRECT_GRACE, direct_lookup(name, settings)).await {
            Ok(answer) => Some(answer),
            Err(_) => {
                direct_skipped = Some(format!(
                    "the DNS server gave no answer within {:.1} s of the hosts file's; not compared",
                    DIRECT_GRACE.as_secs_f64()
                ));
                None
            }
        }
    } else {
        Some(direct_lookup(name, settings).await)
    };
    let (addresses, error) = match (&hosts_file, &direct) {
        (h, _) if !h.is_empty() => (h.clone(), None),
        (_, Some(d)) if d.outcome == DirectOutcome::Answer => (d.addresses.clone(), None),
        (_, Some(d)) => {
            let (code, kind) = match d.outcome {
                DirectOutcome::NxDomain => (libc::EAI_NONAME, GaiKind::NoName),
                DirectOutcome::NoRecords => (libc::EAI_NODATA, GaiKind::NoData),
                DirectOutcome::ServerError => (libc::EAI_FAIL, GaiKind::Fail),
                _ => (libc::EAI_AGAIN, GaiKind::Again),
            };
            (
                Vec::new(),
                Some(GaiError {
                    code,
                    kind,
                    message: format!("{} (as seen from {})", d.detail, v.label),
                }),
            )
        }
        (_, None) => (Vec::new(), None),
    };
    let data = DnsData {
        name: name.to_string(),
        system: SystemAnswer {
            addresses,
            error,
            elapsed_ms: ms_since(start),
        },
        hosts_file,
        direct,
        direct_skipped,
    };
    report(data, start)
}

/// A name that found no address from a vantage point.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {detail} (as seen from {from})")]
pub struct LookupError {
    name: String,
    detail: String,
    from: String,
}

/// Why the DNS servers to ask could not be known.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the DNS configuration {}: {source}", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("could not read the DNS configuration ({}): {reason}", path.display())]
    Unparsable {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("no DNS server is configured in {}", .0.display())]
    NoServer(std::path::PathBuf),
}

/// A name looked up as a client at `v` would: its hosts file, then its DNS servers.
pub async fn lookup_from(
    name: &str,
    v: &std::sync::Arc<super::vantage::Vantage>,
    timeout: Duration,
) -> Result<Vec<IpAddr>, LookupError> {
    let hosts = tokio::fs::read_to_string(v.file("/etc/hosts"))
        .await
        .unwrap_or_default();
    let found = hosts_lookup(&hosts, name);
    if !found.is_empty() {
        return Ok(found);
    }
    let settings = Settings {
        timeout,
        dns_server: None,
        vantage: Some(v.clone()),
    };
    let answer = direct_lookup(name, &settings).await;
    match answer.outcome {
        DirectOutcome::Answer => Ok(answer.addresses),
        _ => Err(LookupError {
            name: name.to_string(),
            detail: answer.detail,
            from: v.label.clone(),
        }),
    }
}

fn report(data: DnsData, start: Instant) -> ProbeReport {
    let (status, summary) = summarize(&data);
    ProbeReport {
        id: ProbeId::Dns,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Dns(data),
    }
}

fn is_local_name(name: &str) -> bool {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    n == "localhost" || n.ends_with(".localhost")
}

pub fn summarize(d: &DnsData) -> (Status, String) {
    let direct = d.direct.as_ref().map(|a| match a.outcome {
        DirectOutcome::Answer => format!("; DNS says {}", join_ips(&a.addresses)),
        _ => format!("; DNS: {}", a.detail),
    });
    let direct = direct.unwrap_or_default();
    match &d.system.error {
        None => (
            Status::Ok,
            format!("{} → {}{}", d.name, join_ips(&d.system.addresses), direct),
        ),
        Some(e) => (
            Status::Problem,
            format!("{}: {}{}", d.name, e.message, direct),
        ),
    }
}

pub fn join_ips(ips: &[IpAddr]) -> String {
    if ips.is_empty() {
        return "no addresses".into();
    }
    ips.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// getaddrinfo with the hints most clients use (any family, stream sockets, no flags), so
/// the answer and its order are what a program on this machine gets.
fn system_lookup(name: &str) -> SystemAnswer {
    let start = Instant::now();
    let result = getaddrinfo(name);
    let (addresses, error) = match result {
        Ok(a) => (a, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    SystemAnswer {
        addresses,
        error,
        elapsed_ms: ms_since(start),
    }
}

/// The system's answer for `name`, as a program on this machine would get it.
pub fn getaddrinfo(name: &str) -> Result<Vec<IpAddr>, GaiError> {
    let c_name = CString::new(name).map_err(|_| GaiError {
        code: libc::EAI_NONAME,
        kind: GaiKind::NoName,
        message: "the name contains a NUL byte".into(),
    })?;
    // SAFETY: an all-zero addrinfo is the documented way to start hints.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = libc::AF_UNSPEC;
    hints.ai_socktype = libc::SOCK_STREAM;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid C string, valid hints, and res is an out-pointer freed below.
    let rc = unsafe { libc::getaddrinfo(c_name.as_ptr(), std::ptr::null(), &hints, &mut res) };
    if rc != 0 {
        return Err(gai_error(rc));
    }
    let mut out = Vec::new();
    let mut cur = res;
    while !cur.is_null() {
        // SAFETY: cur walks the list getaddrinfo returned, which stays valid until freed.
        let ai = unsafe { &*cur };
        if let Some(ip) = sockaddr_ip(ai)
            && !out.contains(&ip)
        {
            out.push(ip);
        }
        cur = ai.ai_next;
    }
    // SAFETY: res came from a successful getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

fn sockaddr_ip(ai: &libc::addrinfo) -> Option<IpAddr> {
    if ai.ai_addr.is_null() {
        return None;
    }
    match ai.ai_family {
        libc::AF_INET => {
            // SAFETY: the family says this is a sockaddr_in.
            let sa = unsafe { &*(ai.ai_addr as *const libc::sockaddr_in) };
            Some(IpAddr::from(u32::from_be(sa.sin_addr.s_addr).to_be_bytes()))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says this is a sockaddr_in6.
            let sa = unsafe { &*(ai.ai_addr as *const libc::sockaddr_in6) };
            Some(IpAddr::from(sa.sin6_addr.s6_addr))
        }
        _ => None,
    }
}

fn gai_error(rc: i32) -> GaiError {
    // SAFETY: gai_strerror returns a static string for any code.
    let text = unsafe { CStr::from_ptr(libc::gai_strerror(rc)) }
        .to_string_lossy()
        .into_owned();
    let kind = match rc {
        libc::EAI_NONAME => GaiKind::NoName,
        libc::EAI_NODATA => GaiKind::NoData,
        libc::EAI_AGAIN => GaiKind::Again,
        libc::EAI_FAIL => GaiKind::Fail,
        _ => GaiKind::Other,
    };
    let message = match kind {
        GaiKind::NoName => format!("no such host ({text})"),
        GaiKind::NoData => format!("the name has no address ({text})"),
        GaiKind::Again => format!("temporary failure: the DNS server did not answer ({text})"),
        _ => text,
    };
    GaiError {
        code: rc,
        kind,
        message,
    }
}

/// The addresses a hosts file gives for `name` (case-insensitive, trailing dot ignored).
pub fn hosts_lookup(text: &str, name: &str) -> Vec<IpAddr> {
    let want = name.trim_end_matches('.').to_ascii_lowercase();
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let Some(ip) = fields.next().and_then(|f| f.parse::<IpAddr>().ok()) else {
            continue;
        };
        if fields.any(|f| f.trim_end_matches('.').eq_ignore_ascii_case(&want)) && !out.contains(&ip)
        {
            out.push(ip);
        }
    }
    out
}

/// Asks the DNS server directly for A and AAAA, without the hosts file or any cache.
async fn direct_lookup(name: &str, settings: &Settings) -> DirectAnswer {
    let start = Instant::now();
    let resolv = settings.vantage.as_ref().map_or_else(
        || std::path::PathBuf::from("/etc/resolv.conf"),
        |v| v.file("/etc/resolv.conf"),
    );
    let (config, servers) = match resolver_config(settings.dns_server, &resolv) {
        Ok(c) => c,
        Err(e) => {
            return DirectAnswer {
                servers: Vec::new(),
                outcome: DirectOutcome::Unreachable,
                addresses: Vec::new(),
                detail: e.to_string(),
                elapsed_ms: ms_since(start),
            };
        }
    };
    let mut opts = ResolverOpts::default();
    opts.timeout = settings.timeout;
    opts.attempts = 0;
    opts.cache_size = 0;
    opts.use_hosts_file = ResolveHosts::Never;
    let resolver = match Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        .with_options(opts)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return DirectAnswer {
                servers,
                outcome: DirectOutcome::Unreachable,
                addresses: Vec::new(),
                detail: format!("could not set up a DNS client: {e}"),
                elapsed_ms: ms_since(start),
            };
        }
    };
    let bound = settings.timeout + Duration::from_millis(200);
    let query = |rt| {
        let r = &resolver;
        async move {
            match tokio::time::timeout(bound, r.lookup(name, rt)).await {
                Ok(Ok(lookup)) => Ok(lookup
                    .answers()
                    .iter()
                    .filter_map(|rec| match &rec.data {
                        RData::A(a) => Some(IpAddr::V4(a.0)),
                        RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                        _ => None,
                    })
                    .collect::<Vec<_>>()),
                Ok(Err(e)) => Err(classify(&e)),
                Err(_) => Err((DirectOutcome::Timeout, "no answer in time".to_string())),
            }
        }
    };
    let (a, aaaa) = tokio::join!(query(RecordType::A), query(RecordType::AAAA));
    let (outcome, addresses, detail) = combine(a, aaaa);
    DirectAnswer {
        servers,
        outcome,
        addresses,
        detail,
        elapsed_ms: ms_since(start),
    }
}

type QueryResult = Result<Vec<IpAddr>, (DirectOutcome, String)>;

/// Merges the A and AAAA results into one verdict about the name.
fn combine(a: QueryResult, aaaa: QueryResult) -> (DirectOutcome, Vec<IpAddr>, String) {
    let mut addrs = Vec::new();
    for ips in [&a, &aaaa].into_iter().flatten() {
        addrs.extend(ips.iter().copied());
    }
    if !addrs.is_empty() {
        let detail = format!("answered {}", join_ips(&addrs));
        return (DirectOutcome::Answer, addrs, detail);
    }
    let errs: Vec<&(DirectOutcome, String)> = [&a, &aaaa]
        .into_iter()
        .filter_map(|r| r.as_ref().err())
        .collect();
    let pick = |o: DirectOutcome| errs.iter().find(|(x, _)| *x == o).map(|(_, d)| d.clone());
    for o in [
        DirectOutcome::NxDomain,
        DirectOutcome::Timeout,
        DirectOutcome::Unreachable,
        DirectOutcome::ServerError,
    ] {
        if let Some(d) = pick(o) {
            return (o, Vec::new(), d);
        }
    }
    (
        DirectOutcome::NoRecords,
        Vec::new(),
        "the name exists but has no A or AAAA record".into(),
    )
}

fn classify(e: &NetError) -> (DirectOutcome, String) {
    match e {
        NetError::Dns(DnsError::NoRecordsFound(nr))
            if nr.response_code == ResponseCode::NXDomain =>
        {
            (
                DirectOutcome::NxDomain,
                "NXDOMAIN: the name does not exist".into(),
            )
        }
        NetError::Dns(DnsError::NoRecordsFound(_)) => {
            (DirectOutcome::NoRecords, "no records of this type".into())
        }
        NetError::Dns(DnsError::ResponseCode(code)) => (
            DirectOutcome::ServerError,
            format!("the server answered {code}"),
        ),
        NetError::Timeout => (
            DirectOutcome::Timeout,
            "no answer from the DNS server in time".into(),
        ),
        other => (
            DirectOutcome::Unreachable,
            format!("could not reach the DNS server: {other}"),
        ),
    }
}

/// The servers to ask: `--dns-server`, else those of the system configuration.
fn resolver_config(
    server: Option<SocketAddr>,
    resolv: &std::path::Path,
) -> Result<(ResolverConfig, Vec<String>), ConfigError> {
    if let Some(addr) = server {
        let mut udp = ConnectionConfig::udp();
        udp.port = addr.port();
        let mut tcp = ConnectionConfig::tcp();
        tcp.port = addr.port();
        let ns = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
        return Ok((
            ResolverConfig::from_name_servers(vec![ns]),
            vec![addr.to_string()],
        ));
    }
    let text = std::fs::read(resolv).map_err(|source| ConfigError::Unreadable {
        path: resolv.to_path_buf(),
        source,
    })?;
    let (config, _) = hickory_resolver::system_conf::parse_resolv_conf(text).map_err(|e| {
        ConfigError::Unparsable {
            path: resolv.to_path_buf(),
            reason: e.to_string(),
        }
    })?;
    if config.name_servers().is_empty() {
        return Err(ConfigError::NoServer(resolv.to_path_buf()));
    }
    let mut servers: Vec<String> = Vec::new();
    for ns in config.name_servers() {
        let s = ns.ip.to_string();
        if !servers.contains(&s) {
            servers.push(s);
        }
    }
    Ok((config, servers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_file_lookup() {
        let text = "127.0.0.1 localhost\n# 10.0.0.1 db\n::1 localhost ip6-localhost\n10.1.2.3 DB.local db # comment\n";
        assert_eq!(
            hosts_lookup(text, "db"),
            vec!["10.1.2.3".parse::<IpAddr>().unwrap()]
        );
        assert_eq!(hosts_lookup(text, "localhost.").len(), 2);
        assert!(hosts_lookup(text, "nope").is_empty());
    }

    #[test]
    fn combine_prefers_answers_then_nxdomain() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let nx = || Err((DirectOutcome::NxDomain, "nx".to_string()));
        assert_eq!(combine(Ok(vec![ip]), nx()).0, DirectOutcome::Answer);
        assert_eq!(combine(nx(), Ok(vec![])).0, DirectOutcome::NxDomain);
        assert_eq!(combine(Ok(vec![]), Ok(vec![])).0, DirectOutcome::NoRecords);
        let to = || Err((DirectOutcome::Timeout, "t".to_string()));
        assert_eq!(combine(to(), to()).0, DirectOutcome::Timeout);
    }

    #[test]
    fn getaddrinfo_answers_numeric_and_localhost() {
        assert_eq!(
            getaddrinfo("127.0.0.1").unwrap(),
            vec!["127.0.0.1".parse::<IpAddr>().unwrap()]
        );
        assert!(!getaddrinfo("localhost").unwrap().is_empty());
        assert_eq!(getaddrinfo("bad\0name").unwrap_err().kind, GaiKind::NoName);
    }
}
