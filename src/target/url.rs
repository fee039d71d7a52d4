//! `scheme://[user[:password]@]host[:port][/path]` targets.

use super::address::{parse_port, split_host_port, validate_host};
use super::model::{ParseOptions, Target, TargetError, err};
use super::redact::{password_has_delimiter, redact_path_and_query, redact_shown, redact_userinfo};
use crate::knowledge::services::Services;

/// `scheme://[user[:password]@]host[:port][/path][?query][#fragment]`.
pub(super) fn parse_url(
    text: &str,
    opts: ParseOptions,
    services: &Services,
) -> Result<Target, TargetError> {
    let (scheme_raw, rest) = text.split_once("://").unwrap_or((text, ""));
    let scheme = scheme_raw.to_ascii_lowercase();
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return err(format!(
            "'{scheme_raw}' is not a URL scheme; write e.g. https://api.example.com or postgres://db:5432/app"
        ));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if password_has_delimiter(rest, end) {
        return err(format!(
            "the password in this {scheme}:// URL contains '#', '?' or '/', which end the host part; percent-encode them (%23, %3F, %2F), e.g. {scheme}://user:p%23ss@host"
        ));
    }
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if hostport.contains(',') {
        return err(format!(
            "'{}' names several hosts; connfix checks one at a time, e.g. {scheme}://{}",
            redact_shown(text),
            hostport.split(',').next().unwrap_or("host")
        ));
    }
    let (host, port_text) = split_host_port(hostport)?;
    if host.is_empty() {
        return err(format!(
            "no host in '{}'; write e.g. {scheme}://db.example.com",
            redact_shown(text)
        ));
    }
    validate_host(host, hostport)?;
    let service = services.by_scheme(&scheme);
    let (port, default_port) = match port_text {
        Some(p) => (parse_port(p, hostport)?, false),
        None => match (opts.port, service) {
            (Some(p), _) => (p, false),
            (None, Some(s)) => (s.port, true),
            (None, None) => {
                return err(format!(
                    "unknown scheme '{scheme}' and no port: add the port, e.g. {scheme}://{host}:1234"
                ));
            }
        },
    };
    let user = userinfo.map(redact_userinfo);
    let path = redact_path_and_query(tail);
    let host_text = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let port_part = if default_port {
        String::new()
    } else {
        format!(":{port}")
    };
    let user_part = user.map(|u| format!("{u}@")).unwrap_or_default();
    let redacted = format!("{scheme}://{user_part}{host_text}{port_part}{path}");
    Ok(Target {
        input: redacted.clone(),
        host: Some(host.to_string()),
        port: Some(port),
        scheme: Some(scheme),
        unix_path: None,
        redacted,
        from_env: None,
        path: (!tail.is_empty()).then_some(path),
        default_port,
    })
}
