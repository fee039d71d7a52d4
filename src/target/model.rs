//! What a parsed target is, and the error a target that cannot be parsed gives.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

/// The longest target accepted. Real URLs with long tokens fit easily; anything longer is
/// almost certainly a paste of the wrong thing.
pub const MAX_TARGET_LEN: usize = 2048;

/// What the person asked connfix to reach. Secrets never live in any field: they are
/// replaced by `***` while parsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The input as given (an `env:` reference stays a reference), with secrets redacted.
    pub input: String,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub scheme: Option<String>,
    pub unix_path: Option<PathBuf>,
    /// The target written out in full with secrets redacted, e.g. `postgres://app:***@db:5432/app`.
    pub redacted: String,
    /// Where the target came from when it was read from the environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_env: Option<String>,
    /// The URL path (for HTTP targets), redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// True when the port was not written but taken from the scheme's default.
    pub default_port: bool,
}

impl Target {
    /// The host as an IP address, when it is written as one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.as_deref().and_then(|h| h.parse().ok())
    }

    /// `host:port` for display, with brackets around IPv6 addresses.
    pub fn host_port(&self) -> String {
        match (&self.host, self.port) {
            (Some(h), Some(p)) if h.contains(':') => format!("[{h}]:{p}"),
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.clone(),
            _ => self
                .unix_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        }
    }

    pub fn is_unix(&self) -> bool {
        self.unix_path.is_some()
    }

    pub fn is_http(&self) -> bool {
        matches!(
            self.scheme.as_deref(),
            Some("http" | "https" | "ws" | "wss")
        )
    }
}

/// A target that could not be parsed: the message names what was wrong and shows a correct
/// example, in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError(pub String);

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TargetError {}

pub(super) fn err<T>(msg: impl Into<String>) -> Result<T, TargetError> {
    Err(TargetError(msg.into()))
}

/// Options that come from flags rather than from the target text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// `--port`, used when the target itself has none.
    pub port: Option<u16>,
}
