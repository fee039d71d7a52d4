//! Targets without a scheme: `host:port`, `[v6]:port`, a bare host with `--port`, unix sockets.

use super::model::{ParseOptions, Target, TargetError, err};
use super::redact::redact_path_like;
use std::net::IpAddr;
use std::path::PathBuf;

pub(super) fn unix_target(input: &str, path: &str) -> Result<Target, TargetError> {
    if path.is_empty() {
        return err(
            "the unix socket path is empty; write unix:/path/to/socket, e.g. unix:/var/run/docker.sock",
        );
    }
    // A path-like target can still carry a URL (`/postgres://app:pw@db/x`, a slip of the
    // keyboard) or `user:pass@` in a segment: no field keeps them, not even the path.
    // `path` is what follows `unix:` or `unix://` in `input`, or all of it.
    let prefix = input.strip_suffix(path).unwrap_or("");
    let path = redact_path_like(path);
    Ok(Target {
        input: format!("{prefix}{path}"),
        host: None,
        port: None,
        scheme: Some("unix".into()),
        unix_path: Some(PathBuf::from(&path)),
        redacted: format!("unix:{path}"),
        from_env: None,
        path: None,
        default_port: false,
    })
}

/// `host:port`, `[v6]:port`, or a bare host/IP with `--port`.
pub(super) fn parse_host_port(text: &str, opts: ParseOptions) -> Result<Target, TargetError> {
    let (host, port_text) = split_host_port(text)?;
    validate_host(host, text)?;
    let port = match port_text {
        Some(p) => parse_port(p, text)?,
        None => match opts.port {
            Some(p) => p,
            None => {
                let example = if host.contains(':') {
                    format!("[{host}]:443")
                } else {
                    format!("{host}:443")
                };
                return err(format!(
                    "no port in '{text}': add one, as in {example}, or pass --port 443"
                ));
            }
        },
    };
    let host = host.to_string();
    let redacted = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    Ok(Target {
        input: text.to_string(),
        host: Some(host),
        port: Some(port),
        scheme: None,
        unix_path: None,
        redacted,
        from_env: None,
        path: None,
        default_port: false,
    })
}

/// Splits `host[:port]`, understanding brackets and bare IPv6 addresses.
pub(super) fn split_host_port(text: &str) -> Result<(&str, Option<&str>), TargetError> {
    if let Some(rest) = text.strip_prefix('[') {
        let Some((host, after)) = rest.split_once(']') else {
            return err(format!(
                "'{text}' opens a [ but never closes it; write an IPv6 target as [::1]:8080"
            ));
        };
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(p) => Ok((host, Some(p))),
                None => err(format!(
                    "unexpected '{after}' after ']' in '{text}'; write an IPv6 target as [::1]:8080"
                )),
            },
        };
    }
    match text.matches(':').count() {
        0 => Ok((text, None)),
        1 => {
            let (h, p) = text.split_once(':').unwrap_or((text, ""));
            Ok((h, Some(p)))
        }
        // Several colons without brackets: a bare IPv6 address, which cannot carry a port.
        _ if text.parse::<IpAddr>().is_ok() => Ok((text, None)),
        _ => err(format!(
            "'{text}' is neither host:port nor an IPv6 address; put IPv6 addresses in brackets, e.g. [::1]:8080"
        )),
    }
}

pub(super) fn parse_port(text: &str, whole: &str) -> Result<u16, TargetError> {
    if text.is_empty() {
        return err(format!(
            "'{whole}' ends in ':' with no port after it; add one, e.g. {}5432",
            whole
        ));
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return err(format!(
            "'{text}' in '{whole}' is not a port number; a port is 1-65535, e.g. db:5432"
        ));
    }
    match text.parse::<u32>() {
        Ok(0) => err(format!(
            "port 0 in '{whole}' cannot be connected to; use a port from 1 to 65535, e.g. db:5432"
        )),
        Ok(p) if p <= 65535 => Ok(p as u16),
        _ => err(format!(
            "port {text} in '{whole}' is out of range; ports go from 1 to 65535, e.g. db:5432"
        )),
    }
}

/// Accepts IP literals and DNS-ish names (letters, digits, '-', '_', '.').
pub(super) fn validate_host(host: &str, whole: &str) -> Result<(), TargetError> {
    if host.is_empty() {
        return err(format!(
            "no host in '{whole}'; name one, e.g. localhost:8080 or db.example.com:5432"
        ));
    }
    if host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    if host.contains(':') {
        return err(format!(
            "'{host}' is not a valid IPv6 address; check it, e.g. [::1]:8080"
        ));
    }
    let bad = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    if let Some(c) = bad {
        return err(format!(
            "host '{host}' contains '{c}', which no host name can; use letters, digits, '-' and '.', e.g. db.example.com"
        ));
    }
    if host.len() > 253 || host.split('.').any(|l| l.len() > 63) {
        return err(format!(
            "host '{}...' is longer than DNS allows (253 characters, 63 per label)",
            &host[..host.len().min(40)]
        ));
    }
    if host.starts_with('.') || host.contains("..") {
        return err(format!(
            "host '{host}' has an empty label; write it as db.example.com"
        ));
    }
    Ok(())
}
