//! Parsing and redaction of targets: what the person wants to connect to.
//!
//! Everything here is pure: the environment is passed in as a lookup function so that
//! `env:NAME` targets can be tested without touching the process environment.

mod address;
mod model;
mod redact;
#[cfg(test)]
mod tests;
mod url;

pub use model::{MAX_TARGET_LEN, ParseOptions, Target, TargetError};
pub use redact::{
    is_secret_key, redact_loose, redact_path_and_query, redact_path_like, redact_text, redact_token,
};

use address::{parse_host_port, unix_target};
use model::err;
use redact::redact_shown;
use url::parse_url;

use crate::knowledge::services::Services;

/// Parses a target. `env` looks up environment variables (for `env:NAME` and `$NAME`).
pub fn parse(
    raw: &str,
    opts: ParseOptions,
    services: &Services,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, TargetError> {
    let text = raw.trim();
    check_shape(text, "target")?;
    if let Some(name) = env_reference(text) {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return err(format!(
                "'{text}' is not a valid environment variable reference; write env:NAME, e.g. env:DATABASE_URL"
            ));
        }
        let Some(value) = env(name) else {
            return err(format!(
                "environment variable {name} is not set; export it (e.g. export {name}=postgres://db:5432/app) or pass the target itself"
            ));
        };
        let value = value.trim();
        if value.is_empty() {
            return err(format!(
                "environment variable {name} is empty; set it to a target such as db.example.com:5432"
            ));
        }
        check_shape(value, &format!("the value of {name}"))?;
        // The value may hold a password: describe what is wrong, never repeat it.
        let mut target = parse_direct(value, opts, services).map_err(|_| {
            TargetError(format!(
                "environment variable {name} does not hold a target connfix understands; it should look like postgres://user:pass@db:5432/app or db:5432 (its value is not shown: it may hold a password)"
            ))
        })?;
        target.input = format!("env:{name}");
        target.from_env = Some(name.to_string());
        return Ok(target);
    }
    parse_direct(text, opts, services).map_err(|e| TargetError(mask_secrets(&e.0, text)))
}

/// Replaces anything in `msg` that could be the password of `input` with `***`: the whole
/// password anywhere, and fragments of it (cut at `#`, `?` or `/`) inside the quoted parts,
/// which are where messages repeat the input. Quoted parts also lose secrets of a query or
/// fragment (`'5432?password=x'`). The message's own words stay intact.
fn mask_secrets(msg: &str, input: &str) -> String {
    let password = input.rfind('@').and_then(|at| {
        let start = input.find("://").map_or(0, |i| i + 3);
        let userinfo = &input[start.min(at)..at];
        userinfo
            .split_once(':')
            .map(|(_, p)| p)
            .filter(|p| !p.is_empty())
    });
    let pieces: Vec<&str> = password
        .map(|p| p.split(['#', '?', '/']).filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let msg = match password {
        Some(p) => msg.replace(p, "***"),
        None => msg.to_string(),
    };
    msg.split('\'')
        .enumerate()
        .map(|(i, part)| {
            // Odd parts lie between quotes.
            if i % 2 == 1 {
                let part = pieces
                    .iter()
                    .fold(part.to_string(), |acc, piece| acc.replace(piece, "***"));
                redact_shown(&part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("'")
}

/// `env:NAME`, `$NAME` or `${NAME}` → `NAME`.
fn env_reference(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix("env:") {
        return Some(rest);
    }
    let rest = text.strip_prefix('$')?;
    Some(
        rest.strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
            .unwrap_or(rest),
    )
}

/// Rejects empty, oversized and control-character input before any real parsing.
fn check_shape(text: &str, what: &str) -> Result<(), TargetError> {
    if text.is_empty() {
        return err(format!(
            "{what} is empty; give a host and port such as db.example.com:5432 or a URL such as https://api.example.com"
        ));
    }
    if text.len() > MAX_TARGET_LEN {
        return err(format!(
            "{what} is {} bytes long, more than the {MAX_TARGET_LEN} a target may have; give just the address, e.g. api.example.com:443",
            text.len()
        ));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return err(format!(
            "{what} contains a control character ({:?}); give one target on one line, e.g. db:5432",
            c
        ));
    }
    Ok(())
}

fn parse_direct(
    text: &str,
    opts: ParseOptions,
    services: &Services,
) -> Result<Target, TargetError> {
    if let Some(path) = text
        .strip_prefix("unix://")
        .or_else(|| text.strip_prefix("unix:"))
    {
        return unix_target(text, path);
    }
    if text.starts_with('/') || text.starts_with("./") || text.starts_with("../") {
        return unix_target(text, text);
    }
    if text.contains(char::is_whitespace) {
        return err(format!(
            "'{}' contains a space; a target has none: percent-encode it in a URL (%20) or give host:port, e.g. db:5432",
            redact_shown(text)
        ));
    }
    if text.contains("://") {
        return parse_url(text, opts, services);
    }
    parse_host_port(text, opts)
}
