//! Proxy settings: which of HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY (either case)
//! apply to the target the way common clients read them, and whether that proxy answers.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use crate::target::{Target, redact_loose};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProxyData {
    /// Every proxy variable that is set, values redacted.
    pub variables: Vec<(String, String)>,
    pub applies: Option<ProxyUse>,
    /// The NO_PROXY entry that exempts the target, if one does.
    pub bypassed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProxyUse {
    pub variable: String,
    pub url: String,
    pub address: String,
    pub reachable: bool,
    pub detail: String,
}

/// A snapshot of the proxy variables, so the logic can be tested without the real environment.
pub type Env = Vec<(String, String)>;

const NAMES: [&str; 8] = [
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
];

pub fn read_env() -> Env {
    NAMES
        .iter()
        .filter_map(|n| {
            std::env::var(n)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (n.to_string(), v))
        })
        .collect()
}

pub async fn run(
    target: &Target,
    timeout: Duration,
    vantage: Option<std::sync::Arc<super::vantage::Vantage>>,
) -> ProbeReport {
    let start = Instant::now();
    // A client elsewhere has its own environment: read the vantage process's.
    let env = match vantage.as_ref().and_then(|v| v.environ()) {
        Some(all) => all
            .into_iter()
            .filter(|(k, v)| NAMES.contains(&k.as_str()) && !v.trim().is_empty())
            .collect(),
        None => read_env(),
    };
    let mut data = decide(target, &env);
    if let Some(u) = data.applies.as_mut() {
        let raw = env
            .iter()
            .find(|(k, _)| *k == u.variable)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let (reachable, detail) = tokio::time::timeout(timeout, reach(&raw, timeout))
            .await
            .unwrap_or_else(|_| {
                (
                    false,
                    format!(
                        "no answer from the proxy within {:.1} s",
                        timeout.as_secs_f64()
                    ),
                )
            });
        u.reachable = reachable;
        u.detail = detail;
    }
    let (status, summary) = summarize(&data);
    ProbeReport {
        id: ProbeId::Proxy,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Proxy(data),
    }
}

pub fn summarize(d: &ProxyData) -> (Status, String) {
    match (&d.applies, &d.bypassed_by) {
        (Some(u), _) if !u.reachable => (
            Status::Problem,
            format!(
                "{} = {} applies, and the proxy is unreachable: {}",
                u.variable, u.url, u.detail
            ),
        ),
        (Some(u), _) => (
            Status::Ok,
            format!(
                "{} = {} applies; the proxy answers ({})",
                u.variable, u.url, u.detail
            ),
        ),
        (None, Some(entry)) => (
            Status::Ok,
            format!("a proxy is set, but NO_PROXY entry '{entry}' exempts this target"),
        ),
        (None, None) => match &d.note {
            Some(n) => (Status::Ok, n.clone()),
            None => (Status::Ok, "no proxy variables are set".into()),
        },
    }
}

/// Which proxy variable a typical client uses for this target (lower case first, as curl
/// and most libraries do), honouring NO_PROXY.
pub fn decide(target: &Target, env: &Env) -> ProxyData {
    let get = |name: &str| {
        env.iter()
            .find(|(k, _)| k == name)
            .or_else(|| env.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(k, v)| (k.clone(), v.clone()))
    };
    let mut data = ProxyData {
        variables: env
            .iter()
            .map(|(k, v)| (k.clone(), redact_loose(v)))
            .collect(),
        ..Default::default()
    };
    if env.is_empty() {
        return data;
    }
    if !target.is_http() {
        data.note = Some(format!(
            "proxy variables are set, but {} clients connect directly; they are not used",
            target.scheme.as_deref().unwrap_or("plain TCP")
        ));
        return data;
    }
    let tls = matches!(target.scheme.as_deref(), Some("https" | "wss"));
    let chosen = if tls {
        get("https_proxy")
    } else {
        get("http_proxy")
    }
    .or_else(|| get("all_proxy"));
    let Some((variable, value)) = chosen else {
        data.note = Some("proxy variables are set, but none for this scheme".into());
        return data;
    };
    let host = target.host.as_deref().unwrap_or_default();
    if let Some((_, no_proxy)) = get("no_proxy")
        && let Some(entry) = no_proxy_match(&no_proxy, host, target.port.unwrap_or(0))
    {
        data.bypassed_by = Some(entry);
        return data;
    }
    data.applies = Some(ProxyUse {
        variable,
        url: redact_loose(&value),
        address: proxy_address(&value)
            .map(|(h, p)| format!("{h}:{p}"))
            .unwrap_or_default(),
        reachable: false,
        detail: String::new(),
    });
    data
}

/// The NO_PROXY entry that matches `host`: `*`, exact names, domain suffixes (`.example.com`
/// or `example.com` both cover subdomains), IP addresses, CIDR blocks and `host:port`.
pub fn no_proxy_match(no_proxy: &str, host: &str, port: u16) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host_ip: Option<IpAddr> = host.parse().ok();
    for raw in no_proxy.split(',') {
        let entry = raw.trim().to_ascii_lowercase();
        if entry.is_empty() {
            continue;
        }
        if entry == "*" {
            return Some(raw.trim().to_string());
        }
        let (name, entry_port) = match entry.rsplit_once(':') {
            Some((n, p)) if !n.contains(':') && p.parse::<u16>().is_ok() => {
                (n.to_string(), p.parse::<u16>().ok())
            }
            _ => (entry.trim_matches(['[', ']']).to_string(), None),
        };
        if entry_port.is_some_and(|p| p != port) {
            continue;
        }
        let hit = if let (Some(ip), Some((net, bits))) = (host_ip, name.split_once('/')) {
            net.parse::<IpAddr>()
                .ok()
                .zip(bits.parse::<u8>().ok())
                .is_some_and(|(n, b)| in_cidr(ip, n, b))
        } else {
            let suffix = name.trim_start_matches('.').trim_start_matches("*.");
            host == suffix || host.ends_with(&format!(".{suffix}"))
        };
        if hit {
            return Some(raw.trim().to_string());
        }
    }
    None
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// host and port of a proxy URL (`http://user:pw@proxy:3128`, `proxy:3128`, `socks5://h`).
fn proxy_address(value: &str) -> Option<(String, u16)> {
    let (scheme, rest) = value.split_once("://").unwrap_or(("http", value));
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => 443,
        s if s.starts_with("socks") => 1080,
        _ => 80,
    };
    if let Some(rest) = hostport.strip_prefix('[') {
        let (h, after) = rest.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .unwrap_or(default);
        return Some((h.to_string(), port));
    }
    match hostport.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), p.parse().ok()?)),
        None => Some((hostport.to_string(), default)),
    }
}

async fn reach(value: &str, timeout: Duration) -> (bool, String) {
    let Some((host, port)) = proxy_address(value) else {
        return (
            false,
            "the proxy setting is not a URL connfix can read".into(),
        );
    };
    let start = Instant::now();
    let addrs: Vec<SocketAddr> =
        match tokio::time::timeout(timeout, tokio::net::lookup_host((host.as_str(), port))).await {
            Ok(Ok(a)) => a.collect(),
            Ok(Err(e)) => {
                return (
                    false,
                    format!("the proxy's name {host} does not resolve: {e}"),
                );
            }
            Err(_) => {
                return (
                    false,
                    format!("resolving the proxy's name {host} timed out"),
                );
            }
        };
    let mut last = String::from("no address");
    for addr in addrs.into_iter().take(4) {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                return (
                    true,
                    format!("{addr} accepted in {:.1} ms", ms_since(start)),
                );
            }
            Ok(Err(e)) => {
                last = format!(
                    "{addr} {}",
                    super::tcp::describe(super::tcp::classify(&e), &e)
                )
            }
            Err(_) => last = format!("{addr}: no answer within {:.1} s", timeout.as_secs_f64()),
        }
    }
    (false, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::services::Services;
    use crate::target::{ParseOptions, parse};

    fn t(s: &str) -> Target {
        parse(s, ParseOptions::default(), &Services::bundled(), &|_| None).unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn picks_the_variable_for_the_scheme() {
        let e = env(&[
            ("HTTPS_PROXY", "http://u:secret@proxy:3128"),
            ("http_proxy", "http://p2:80"),
        ]);
        let d = decide(&t("https://api.example.com"), &e);
        let u = d.applies.unwrap();
        assert_eq!(u.variable, "HTTPS_PROXY");
        assert_eq!(u.address, "proxy:3128");
        assert!(!u.url.contains("secret"));
        assert_eq!(
            decide(&t("http://x:80"), &e).applies.unwrap().variable,
            "http_proxy"
        );
        assert!(decide(&t("postgres://db"), &e).applies.is_none());
    }

    #[test]
    fn no_proxy_forms() {
        assert_eq!(
            no_proxy_match("localhost,.corp.example", "api.corp.example", 443).as_deref(),
            Some(".corp.example")
        );
        assert!(no_proxy_match("example.com", "notexample.com", 80).is_none());
        assert!(no_proxy_match("10.0.0.0/8", "10.2.3.4", 80).is_some());
        assert!(no_proxy_match("db:5432", "db", 80).is_none());
        assert!(no_proxy_match("*", "anything", 1).is_some());
        assert!(no_proxy_match("::1", "::1", 1).is_some());
    }
}
