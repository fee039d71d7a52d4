//! Unix domain sockets: is the path there, is it a socket, does anything listen on it, may
//! we connect.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use serde::{Deserialize, Serialize};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnixData {
    pub path: PathBuf,
    pub outcome: UnixOutcome,
    pub detail: String,
    /// Mode, owner and group of the socket file, as `ls -l` would show them.
    pub mode: Option<String>,
    pub owner: Option<(u32, u32)>,
    /// The nearest existing parent directory, when the path is missing.
    pub existing_parent: Option<PathBuf>,
    /// The socket file's owner and group by name (`postgres:postgres`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_names: Option<String>,
    /// The user connfix runs as, who was (or was not) allowed to connect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_user: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnixOutcome {
    Connected,
    Missing,
    Stale,
    Permission,
    NotSocket,
    Timeout,
    Other,
}

pub async fn run(path: &Path, timeout: Duration) -> ProbeReport {
    let start = Instant::now();
    let meta = tokio::fs::metadata(path).await;
    let mut data = UnixData {
        path: path.to_path_buf(),
        outcome: UnixOutcome::Other,
        detail: String::new(),
        mode: None,
        owner: None,
        existing_parent: None,
        owner_names: None,
        client_user: None,
    };
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let groups = std::fs::read_to_string("/etc/group").unwrap_or_default();
    let name_of = super::process::user_from_passwd;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    data.client_user = name_of(&passwd, me).or_else(|| Some(format!("uid {me}")));
    match meta {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            data.outcome = UnixOutcome::Missing;
            data.existing_parent = path
                .ancestors()
                .skip(1)
                .find(|p| p.is_dir())
                .map(Path::to_path_buf);
            data.detail = "no such file".into();
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            data.outcome = UnixOutcome::Permission;
            data.detail = "a directory on the way cannot be searched (permission denied)".into();
        }
        Err(e) => data.detail = e.to_string(),
        Ok(m) => {
            data.mode = Some(format!("{:o}", m.mode() & 0o7777));
            data.owner = Some((m.uid(), m.gid()));
            data.owner_names = Some(format!(
                "{}:{}",
                name_of(&passwd, m.uid()).unwrap_or_else(|| m.uid().to_string()),
                name_of(&groups, m.gid()).unwrap_or_else(|| m.gid().to_string()),
            ));
            if !m.file_type().is_socket() {
                data.outcome = UnixOutcome::NotSocket;
                data.detail = "the path exists but is not a socket".into();
            } else {
                let (outcome, detail) = connect(path, timeout).await;
                data.outcome = outcome;
                data.detail = detail;
            }
        }
    }
    let status = if data.outcome == UnixOutcome::Connected {
        Status::Ok
    } else {
        Status::Problem
    };
    let summary = format!("{}: {}", path.display(), data.detail);
    ProbeReport {
        id: ProbeId::Unix,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Unix(data),
    }
}

async fn connect(path: &Path, timeout: Duration) -> (UnixOutcome, String) {
    match tokio::time::timeout(timeout, tokio::net::UnixStream::connect(path)).await {
        Err(_) => (
            UnixOutcome::Timeout,
            "connect did not finish in time (the listener's queue may be full)".into(),
        ),
        Ok(Ok(_)) => (UnixOutcome::Connected, "connected".into()),
        Ok(Err(e)) => match e.raw_os_error() {
            Some(libc::ECONNREFUSED) => (
                UnixOutcome::Stale,
                "the socket file exists but nothing listens on it (ECONNREFUSED)".into(),
            ),
            Some(libc::EACCES | libc::EPERM) => (
                UnixOutcome::Permission,
                "permission denied (EACCES): you may not write to the socket".into(),
            ),
            Some(libc::ENOENT) => (UnixOutcome::Missing, "no such file".into()),
            // A unix listener whose queue is full fails a non-blocking connect at once.
            Some(libc::EAGAIN) => (
                UnixOutcome::Timeout,
                "the listener's queue is full (EAGAIN): it does not accept connections fast enough"
                    .into(),
            ),
            _ => (UnixOutcome::Other, format!("connect failed: {e}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn missing_stale_and_live_sockets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        let r = run(&path, Duration::from_secs(1)).await;
        let ProbeData::Unix(d) = r.data else { panic!() };
        assert_eq!(d.outcome, UnixOutcome::Missing);
        assert_eq!(d.existing_parent.as_deref(), Some(dir.path()));
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let ProbeData::Unix(d) = run(&path, Duration::from_secs(1)).await.data else {
            panic!()
        };
        assert_eq!(d.outcome, UnixOutcome::Connected);
        drop(listener);
        let ProbeData::Unix(d) = run(&path, Duration::from_secs(1)).await.data else {
            panic!()
        };
        assert_eq!(d.outcome, UnixOutcome::Stale);
    }
}
