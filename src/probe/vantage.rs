//! Where the client runs, when it is not this host's own network: a container, another
//! process's network namespace, or an `ip netns` namespace. Every probe then runs as seen
//! from there: the runner enters the namespace with setns(2) on a dedicated thread with a
//! current-thread runtime (setns moves only the calling thread, and the sockets, netlink
//! queries and child processes made from it stay in that namespace), and the files a
//! client there would read (resolv.conf, hosts, its environment) are read from the
//! namespace's own root or `ip netns` overlay.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What `--from` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    Container(String),
    Pid(i32),
    Netns(String),
}

/// A one-line error for a `--from` that cannot be used, saying what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct VantageError(pub String);

/// Parses `container:NAME`, `pid:PID` or `netns:NAME`.
pub fn parse(text: &str) -> Result<From, VantageError> {
    let bad = || {
        VantageError(format!(
            "--from '{text}' is not a vantage point; give container:NAME, pid:PID or netns:NAME"
        ))
    };
    let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
    if rest.is_empty() {
        return Err(bad());
    }
    match kind {
        "container" => Ok(From::Container(rest.to_string())),
        "pid" => rest
            .parse::<i32>()
            .ok()
            .filter(|p| *p > 0)
            .map(From::Pid)
            .ok_or_else(|| {
                VantageError(format!(
                    "--from pid:{rest}: a process id is a positive number"
                ))
            }),
        "netns" if !rest.contains('/') && rest != "." && rest != ".." => {
            Ok(From::Netns(rest.to_string()))
        }
        _ => Err(bad()),
    }
}

/// A resolved vantage point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vantage {
    /// container, pid or netns.
    pub kind: String,
    /// The container's or namespace's name, or the pid.
    pub name: String,
    /// A process whose view this is (the container's main process), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<i32>,
    /// How the UI says it: "container web (pid 4242)".
    pub label: String,
    /// The network namespace to enter.
    pub netns: PathBuf,
    /// Where the client's files are: /proc/PID/root, or / for an `ip netns`.
    pub root: PathBuf,
    /// `ip netns` bind-mounts /etc/netns/NAME/* over /etc for its commands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etc_overlay: Option<PathBuf>,
}

impl Vantage {
    /// A file as the client sees it: `/etc/resolv.conf` in its root, or in the overlay.
    pub fn file(&self, path: &str) -> PathBuf {
        if let (Some(overlay), Some(name)) = (&self.etc_overlay, path.strip_prefix("/etc/")) {
            let over = overlay.join(name);
            if over.exists() {
                return over;
            }
        }
        self.root.join(path.trim_start_matches('/'))
    }

    /// The container's name, when the client runs in one.
    pub fn container(&self) -> Option<&str> {
        (self.kind == "container").then_some(self.name.as_str())
    }

    /// The client's environment (for proxy variables), when it is a process's.
    pub fn environ(&self) -> Option<Vec<(String, String)>> {
        let pid = self.pid?;
        let raw = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
        Some(
            raw.split(|b| *b == 0)
                .filter_map(|kv| {
                    let s = String::from_utf8_lossy(kv);
                    let (k, v) = s.split_once('=')?;
                    Some((k.to_string(), v.to_string()))
                })
                .collect(),
        )
    }
}

/// Resolves `from`: a pid that is gone, a namespace that does not exist, or a container
/// the engine does not know is a one-line error.
pub async fn resolve(from: &From, within: std::time::Duration) -> Result<Vantage, VantageError> {
    match from {
        From::Pid(pid) => of_pid(*pid, "pid", &pid.to_string(), format!("process {pid}")),
        From::Netns(name) => {
            let netns = Path::new("/var/run/netns").join(name);
            if !netns.exists() {
                return Err(VantageError(format!(
                    "--from netns:{name}: there is no network namespace of that name (`ip netns list` shows them)"
                )));
            }
            check_enter(&netns)?;
            Ok(Vantage {
                kind: "netns".into(),
                name: name.clone(),
                pid: None,
                label: format!("network namespace {name}"),
                netns,
                root: PathBuf::from("/"),
                etc_overlay: Some(Path::new("/etc/netns").join(name)),
            })
        }
        From::Container(name) => {
            let (docker, socket) = super::container::connect(within)
                .await
                .map_err(|e| VantageError(format!("--from container:{name}: {e}")))?;
            let c = super::container::inspect(&docker, name)
                .await
                .map_err(|e| {
                    VantageError(format!(
                        "--from container:{name}: {e} (engine at {socket}; `docker ps` lists them)"
                    ))
                })?;
            let Some(pid) = c.pid.filter(|_| c.running()) else {
                return Err(VantageError(format!(
                    "--from container:{name}: the container is {}, so there is no network to look from; start it (`docker start {name}`)",
                    c.state
                )));
            };
            let mut v = of_pid(
                pid,
                "container",
                &c.name,
                format!("container {} (pid {pid})", c.name),
            )?;
            v.name = c.name;
            Ok(v)
        }
    }
}

fn of_pid(pid: i32, kind: &str, name: &str, label: String) -> Result<Vantage, VantageError> {
    let netns = PathBuf::from(format!("/proc/{pid}/ns/net"));
    if !Path::new(&format!("/proc/{pid}")).exists() {
        return Err(VantageError(format!(
            "--from {kind}:{name}: process {pid} does not exist (any more)"
        )));
    }
    check_enter(&netns)?;
    Ok(Vantage {
        kind: kind.into(),
        name: name.into(),
        pid: Some(pid),
        label,
        netns,
        root: PathBuf::from(format!("/proc/{pid}/root")),
        etc_overlay: None,
    })
}

/// Entering another namespace needs CAP_SYS_ADMIN; say so before any probe starts.
fn check_enter(netns: &Path) -> Result<(), VantageError> {
    if let Err(e) = std::fs::File::open(netns) {
        return Err(VantageError(format!(
            "cannot open {}: {e}; looking from another namespace needs root (run connfix with sudo)",
            netns.display()
        )));
    }
    if !super::is_root() {
        return Err(VantageError(
            "looking from another network namespace needs root (CAP_SYS_ADMIN): run connfix with sudo".into(),
        ));
    }
    Ok(())
}

thread_local! {
    /// The vantage point of the thread that entered one (see [`run_inside`]): the network
    /// namespace is per-thread state, and so is where the client's files are.
    static CURRENT: std::cell::RefCell<Option<std::sync::Arc<Vantage>>> =
        const { std::cell::RefCell::new(None) };
}

/// The vantage point this thread looks from, if it entered one with [`run_inside`].
pub fn current() -> Option<std::sync::Arc<Vantage>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `work` to completion on a thread inside `v`'s network namespace, with its own
/// current-thread runtime (every task it spawns stays on that thread, so in the namespace).
/// `work` may borrow from the caller: the thread is scoped.
pub fn run_inside<T, F>(
    v: std::sync::Arc<Vantage>,
    work: impl FnOnce() -> F + Send,
) -> Result<T, VantageError>
where
    F: std::future::Future<Output = T>,
    T: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(move || {
                enter(&v.netns).map_err(|e| {
                    VantageError(format!("cannot enter {}: {e}", v.netns.display()))
                })?;
                CURRENT.with(|c| *c.borrow_mut() = Some(v.clone()));
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| VantageError(format!("cannot start a runtime: {e}")))?;
                Ok(rt.block_on(work()))
            })
            .join()
            .unwrap_or_else(|_| {
                Err(VantageError(
                    "the work inside the namespace panicked".into(),
                ))
            })
    })
}

/// Moves the calling thread into the network namespace at `path`.
pub fn enter(path: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(path)?;
    // SAFETY: setns on this thread only, with a namespace fd we own.
    let rc = unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            parse("container:web").unwrap(),
            From::Container("web".into())
        );
        assert_eq!(parse("pid:42").unwrap(), From::Pid(42));
        assert_eq!(parse("netns:blue").unwrap(), From::Netns("blue".into()));
        for bad in ["web", "pid:x", "pid:-1", "netns:../x", "vm:x", "container:"] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("--from"), "{bad}: {e}");
        }
    }
}
