//! Real daemons from Debian's packages (PostgreSQL, Redis, MariaDB, nginx, OpenSSH), started as
//! plain child processes for the tests to point connfix at.
//!
//! Every daemon runs in the foreground as a child of the test process, optionally inside a
//! [`Netns`], with its data, config, pid, socket and log files in a private temporary directory
//! under the system temp dir. `start` waits (at most [`START_TIMEOUT`]) until the daemon accepts
//! TCP on its port, from inside its namespace, and panics with the daemon's log if it exits or is
//! not ready in time. Drop stops it (its own shutdown signal, then SIGKILL after
//! [`STOP_GRACE`]), reaps it, kills whatever it forked that is still alive (workers, backends,
//! per-connection children) and removes the directory, also when the test panics. Daemons stay
//! in the test's process group, so Ctrl-C on `cargo test` reaches them too (mariadbd ignores
//! SIGINT); daemons and directories left by a test process killed before its Drop ran are
//! removed by the next test process that starts a daemon. (A /run/sshd created by such a
//! process stays; it is what the openssh-server package would create anyway.)
//!
//! Daemons that refuse to run as root (PostgreSQL) or normally drop to a system user (MariaDB)
//! are run as their Debian system user (`postgres`, `mysql`) when the tests run as root; their
//! temporary directory is then owned by that user.

use super::{Netns, find_program};
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long `start` waits for a daemon to accept connections.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a setup step (initdb, mariadb-install-db, ssh-keygen) may take.
const SETUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long Drop waits after the daemon's shutdown signal before it uses SIGKILL.
pub const STOP_GRACE: Duration = Duration::from_secs(10);
/// Pause between two polls of a bounded wait.
const POLL: Duration = Duration::from_millis(20);
/// Upper bound of one connection attempt while polling.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(200);

/// The daemons this module can start: (name, alternative name, programs needed, Debian package).
const KNOWN: [(&str, &str, &[&str], &str); 5] = [
    (
        "postgres",
        "postgresql",
        &["initdb", "postgres"],
        "postgresql",
    ),
    ("redis", "redis-server", &["redis-server"], "redis-server"),
    (
        "mariadb",
        "mariadb-server",
        &["mariadb-install-db", "mariadbd"],
        "mariadb-server",
    ),
    ("nginx", "nginx-light", &["nginx"], "nginx-light (or nginx)"),
    (
        "sshd",
        "openssh-server",
        &["/usr/sbin/sshd", "ssh-keygen"],
        "openssh-server",
    ),
];

/// Skip helper for daemon tests: true when every named daemon can be started here. `names` are
/// "postgres", "redis", "mariadb", "nginx", "sshd" (or their Debian package names). Otherwise it
/// goes through [`super::require`], which prints "skipped: ..." naming the missing programs and
/// the packages to install (or panics under CI=true). Panics on an unknown name.
pub fn daemons_available(names: &[&str]) -> bool {
    let mut missing = Vec::new();
    for &name in names {
        let (canonical, _, programs, package) = KNOWN
            .iter()
            .find(|(short, long, _, _)| *short == name || *long == name)
            .unwrap_or_else(|| panic!("daemons_available: unknown daemon {name:?}"));
        let absent: Vec<&str> = programs
            .iter()
            .copied()
            .filter(|program| {
                if *canonical == "postgres" {
                    pg_program(program).is_none()
                } else {
                    find_program(program).is_none()
                }
            })
            .collect();
        if !absent.is_empty() {
            missing.push(format!(
                "{} not found (Debian package {package})",
                absent.join(", ")
            ));
        }
    }
    super::require(
        missing.is_empty(),
        &format!("daemon test with {}", names.join(", ")),
        &missing.join("; "),
    )
}

/// Full path of a PostgreSQL server program (initdb, postgres, pg_ctl, psql, ...): Debian keeps
/// them in /usr/lib/postgresql/VERSION/bin; the newest installed version wins.
pub fn pg_program(name: &str) -> Option<PathBuf> {
    static BIN: OnceLock<Option<PathBuf>> = OnceLock::new();
    let bin = BIN.get_or_init(|| {
        let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
                let bin = entry.path().join("bin");
                bin.join("postgres").is_file().then_some((version, bin))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    });
    let path = bin.as_ref()?.join(name);
    path.is_file().then_some(path)
}

/// Connects to `addr` from inside `ns` (from the host's namespace when None). The connection
/// keeps the namespace it was made in, so the returned stream talks to the daemon in `ns`.
pub fn tcp_connect(
    ns: Option<&Netns>,
    addr: SocketAddr,
    timeout: Duration,
) -> io::Result<TcpStream> {
    in_netns(ns, || TcpStream::connect_timeout(&addr, timeout))?
}

/// Runs `f` on a helper thread that has joined `ns` (or directly when `ns` is None). Only that
/// thread changes namespace, and it ends with `f`.
fn in_netns<T: Send>(ns: Option<&Netns>, f: impl FnOnce() -> T + Send) -> io::Result<T> {
    let Some(ns) = ns else {
        return Ok(f());
    };
    let path = Path::new("/var/run/netns").join(&ns.name);
    std::thread::scope(|scope| {
        let handle = scope.spawn(|| -> io::Result<T> {
            let file = File::open(&path)?;
            // SAFETY: setns on this helper thread only, with a valid namespace fd.
            if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(f())
        });
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
    .map_err(|e| io::Error::new(e.kind(), format!("entering {}: {e}", path.display())))
}

/// The address a client uses to reach a daemon bound to `bind`: the wildcard addresses ("*",
/// "0.0.0.0", "::", "") and "localhost" mean loopback. None for a host name.
fn reachable_ip(bind: &str) -> Option<IpAddr> {
    let bind = bind.trim().trim_start_matches('-').trim_matches(['[', ']']);
    match bind {
        "" | "*" | "0.0.0.0" | "localhost" => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        "::" => Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        _ => bind.parse().ok(),
    }
}

/// uid and gid of a system user, from /etc/passwd.
fn system_user(name: &str) -> (u32, u32) {
    let passwd = fs::read_to_string("/etc/passwd").expect("cannot read /etc/passwd");
    passwd
        .lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .find(|fields| fields.len() > 3 && fields[0] == name)
        .and_then(|fields| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
        .unwrap_or_else(|| {
            panic!("no system user {name:?} in /etc/passwd (is its package installed?)")
        })
}

/// A private directory for one daemon, owned by `owner` (a system user) when given.
///
/// Named "cfx-NAME-PID-RANDOM" after the owning test process, so that daemons and directories
/// left behind by a test process that was killed before its Drop ran can be recognised and
/// removed (see [`reap_stale_daemons`]).
fn daemon_dir(name: &str, owner: Option<&str>) -> tempfile::TempDir {
    reap_stale_daemons();
    let dir = tempfile::Builder::new()
        .prefix(&format!("{DIR_PREFIX}{name}-{}-", std::process::id()))
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temporary directory for {name}: {e}"));
    if let Some(user) = owner {
        let (uid, gid) = system_user(user);
        std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
            .unwrap_or_else(|e| panic!("cannot chown {} to {user}: {e}", dir.path().display()));
    }
    dir
}

fn program(name: &str) -> PathBuf {
    find_program(name).unwrap_or_else(|| panic!("{name} not found on PATH or in /usr/sbin"))
}

/// A command for `program args`, inside `ns` when given, as system user `user` when given (via
/// setpriv, which execs in place: the child's pid stays the daemon's pid), in its own process
/// group, with stdin closed and stdout+stderr appended to `log`.
fn command(
    ns: Option<&Netns>,
    user: Option<&str>,
    program: &Path,
    args: &[OsString],
    dir: &Path,
    log: &Path,
) -> Command {
    let mut argv: Vec<OsString> = Vec::new();
    if let Some(user) = user {
        argv.push(self::program("setpriv").into());
        argv.push(format!("--reuid={user}").into());
        argv.push(format!("--regid={user}").into());
        argv.push("--init-groups".into());
        argv.push("--".into());
    }
    argv.push(program.into());
    argv.extend(args.iter().cloned());
    let (first, rest) = argv.split_first().expect("non-empty argv");
    let mut cmd = match ns {
        Some(ns) => ns.command(&first.to_string_lossy()),
        None => Command::new(first),
    };
    let out = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", log.display()));
    cmd.args(rest)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("cannot duplicate the log handle"))
        .stderr(out);
    // The daemon stays in the test's process group: Ctrl-C on `cargo test` reaches it too.
    cmd
}

/// Runs a setup step to completion (bounded); panics with the log if it fails.
fn run_setup(what: &str, cmd: Command, log: &Path) {
    if let Err(failure) = try_setup(what, cmd, log) {
        panic!("{failure}");
    }
}

/// Runs a setup step to completion (bounded); the error carries the log.
fn try_setup(what: &str, mut cmd: Command, log: &Path) -> Result<(), String> {
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what} ({cmd:?}): {e}"));
    let deadline = Instant::now() + SETUP_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for a setup step") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{what} did not finish within {SETUP_TIMEOUT:?}:\n{}",
                read_log(log)
            ));
        }
        sleep(POLL);
    };
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status}):\n{}", read_log(log)))
    }
}

fn read_log(log: &Path) -> String {
    fs::read_to_string(log).unwrap_or_else(|e| format!("(cannot read {}: {e})", log.display()))
}

fn write_file(path: &Path, contents: &str) {
    fs::write(path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// A running daemon: stopped with `stop_signal`, then SIGKILL, on Drop.
#[derive(Debug)]
struct Process {
    name: &'static str,
    child: Child,
    log: PathBuf,
    stop_signal: libc::c_int,
    /// How long the start took, until the daemon accepted connections.
    started_in: Duration,
}

impl Process {
    fn spawn(
        name: &'static str,
        mut cmd: Command,
        log: &Path,
        stop_signal: libc::c_int,
    ) -> Process {
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        Process {
            name,
            child,
            log: log.to_owned(),
            stop_signal,
            started_in: Duration::ZERO,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until a TCP connection to `addr` (from inside `ns`) succeeds and then `ready()`
    /// holds, or panics with the log when the daemon exits or START_TIMEOUT passes. `since` is
    /// when the start began (setup included), for `started_in`.
    fn wait_ready(
        &mut self,
        ns: Option<&Netns>,
        addr: Option<SocketAddr>,
        mut ready: impl FnMut() -> bool + Send,
        since: Instant,
    ) {
        let deadline = Instant::now() + START_TIMEOUT;
        let name = self.name;
        let child = &mut self.child;
        let outcome = in_netns(ns, || -> Result<(), String> {
            let mut connected = addr.is_none();
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("exited ({status})"));
                }
                if !connected {
                    let left = deadline.saturating_duration_since(Instant::now());
                    let timeout = left.clamp(Duration::from_millis(1), CONNECT_TIMEOUT);
                    connected = TcpStream::connect_timeout(&addr.unwrap(), timeout).is_ok();
                }
                if connected && ready() {
                    return Ok(());
                }
                if Instant::now() >= deadline {
                    return Err(format!(
                        "not ready within {START_TIMEOUT:?} ({})",
                        if connected {
                            "accepts TCP"
                        } else {
                            "does not accept TCP"
                        }
                    ));
                }
                sleep(POLL);
            }
        });
        let where_ = match (ns, addr) {
            (Some(ns), Some(addr)) => format!(" on {addr} in namespace {}", ns.name),
            (None, Some(addr)) => format!(" on {addr}"),
            (Some(ns), None) => format!(" in namespace {}", ns.name),
            (None, None) => String::new(),
        };
        match outcome {
            Ok(Ok(())) => self.started_in = since.elapsed(),
            Ok(Err(e)) => panic!("{name}{where_} {e}; its log:\n{}", read_log(&self.log)),
            Err(e) => panic!("{name}: {e}"),
        }
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill(2) with a pid of our own unreaped child.
        unsafe { libc::kill(self.pid() as libc::pid_t, signal) };
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let pid = self.pid();
        // Snapshot what it forked: children that made their own session (sshd's per-connection
        // processes) leave the process group and are reparented once the daemon is gone.
        let forked = descendants(pid);
        if matches!(self.child.try_wait(), Ok(None)) {
            self.signal(self.stop_signal);
            let deadline = Instant::now() + STOP_GRACE;
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                sleep(POLL);
            }
            if matches!(self.child.try_wait(), Ok(None)) {
                eprintln!(
                    "warning: {} {pid} still running {STOP_GRACE:?} after signal {}, killing it",
                    self.name, self.stop_signal
                );
                let _ = self.child.kill();
            }
        }
        if let Err(e) = self.child.wait() {
            eprintln!("warning: cannot wait for {} {pid}: {e}", self.name);
        }
        // Whatever it forked and left behind (its shutdown normally stops its own children).
        for (child, start) in &forked {
            if start_time(*child) == Some(*start) {
                // SAFETY: kill(2) of a process we identified by pid and start time.
                unsafe { libc::kill(*child as libc::pid_t, libc::SIGKILL) };
            }
        }
        // They are not our children, so someone else reaps them; wait a little for that.
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline
            && forked
                .iter()
                .any(|(child, start)| start_time(*child) == Some(*start) && !is_zombie(*child))
        {
            sleep(POLL);
        }
    }
}

/// Prefix of every daemon directory: "cfx-NAME-PID-RANDOM" in the system temp dir.
const DIR_PREFIX: &str = "cfx-";
const DAEMON_NAMES: [&str; 5] = ["postgres", "redis", "mariadb", "nginx", "sshd"];
/// The process names (comm) of those daemons and their children.
const DAEMON_PROGRAMS: [&str; 5] = ["postgres", "redis-server", "mariadbd", "nginx", "sshd"];

/// The owner pid when `dir_name` is a daemon directory made by [`daemon_dir`].
fn dir_owner(dir_name: &str) -> Option<u32> {
    let rest = dir_name.strip_prefix(DIR_PREFIX)?;
    let (name, rest) = rest.split_once('-')?;
    let (pid, _) = rest.split_once('-')?;
    DAEMON_NAMES.contains(&name).then_some(())?;
    pid.parse().ok()
}

/// The daemon directory of a dead test process that `text` (a path or a command line) mentions.
fn stale_dir_in(text: &str, temp: &str) -> Option<PathBuf> {
    let at = text.find(temp)?;
    let rest = text[at + temp.len()..].trim_start_matches('/');
    let name = rest.split(['/', ' ', '\0']).next()?;
    let owner = dir_owner(name)?;
    (!Path::new(&format!("/proc/{owner}")).exists()).then(|| Path::new(temp).join(name))
}

/// Kills daemons, and removes directories, left behind by test processes that were killed
/// before their Drop could run (e.g. SIGKILL on a timeout). A daemon is recognised by its
/// working directory or command line naming a "cfx-NAME-PID-..." directory whose PID no longer
/// exists. Runs once per process.
fn reap_stale_daemons() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let temp = std::env::temp_dir();
        let temp = temp.to_string_lossy().trim_end_matches('/').to_owned();
        let pids: Vec<u32> = fs::read_dir("/proc")
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.file_name().to_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        for pid in pids {
            let comm = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if !DAEMON_PROGRAMS.contains(&comm.trim()) {
                continue;
            }
            let cwd = fs::read_link(format!("/proc/{pid}/cwd"))
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let cmdline = fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if stale_dir_in(&cwd, &temp)
                .or_else(|| stale_dir_in(&cmdline, &temp))
                .is_some()
            {
                eprintln!("note: killing daemon {pid} left behind by an earlier test run");
                // SAFETY: kill(2) of a process working in a dead test process's directory.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            }
        }
        let stale_dirs = fs::read_dir(&temp)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .and_then(dir_owner)
                    .is_some_and(|owner| !Path::new(&format!("/proc/{owner}")).exists())
            });
        for entry in stale_dirs {
            if let Err(e) = fs::remove_dir_all(entry.path()) {
                eprintln!("warning: cannot remove {}: {e}", entry.path().display());
            }
        }
    });
}

/// Fields of /proc/PID/stat after the command name (state is index 0, ppid 1, starttime 19).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().map(String::from).collect())
}

fn start_time(pid: u32) -> Option<u64> {
    stat_fields(pid)?.get(19)?.parse().ok()
}

fn is_zombie(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|f| f.first().is_some_and(|s| s == "Z" || s == "X"))
}

/// Every living descendant of `pid` (not `pid` itself), with its start time: (pid, starttime).
pub fn descendants(pid: u32) -> Vec<(u32, u64)> {
    let table: Vec<(u32, u32, u64)> = fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|p| {
                    let fields = stat_fields(p)?;
                    Some((
                        p,
                        fields.get(1)?.parse().ok()?,
                        fields.get(19)?.parse().ok()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut found: Vec<(u32, u64)> = Vec::new();
    let mut parents: HashSet<u32> = HashSet::from([pid]);
    loop {
        let more: Vec<(u32, u64)> = table
            .iter()
            .filter(|(p, ppid, _)| parents.contains(ppid) && !parents.contains(p))
            .map(|&(p, _, start)| (p, start))
            .collect();
        if more.is_empty() {
            return found;
        }
        parents.extend(more.iter().map(|(p, _)| *p));
        found.extend(more);
    }
}

/// True while `pid` exists and is not a zombie.
pub fn is_running(pid: u32) -> bool {
    stat_fields(pid).is_some() && !is_zombie(pid)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// A PostgreSQL server (the newest /usr/lib/postgresql/*/bin/postgres) with a fresh cluster.
///
/// Layout of its directory: `data/` (the cluster, made by initdb with superuser `postgres`),
/// `pg_hba.conf` (exactly `hba_lines`), the Unix socket `.s.PGSQL.PORT` and `log` (initdb's and
/// the server's output). Runs as user `postgres` when the tests run as root.
#[derive(Debug)]
pub struct Postgres {
    process: Process,
    port: u16,
    dir: tempfile::TempDir,
}

impl Postgres {
    /// initdb, then `postgres -c listen_addresses=LISTEN -c port=PORT
    /// -c unix_socket_directories=DIR -c hba_file=DIR/pg_hba.conf`. `listen_addresses` is
    /// PostgreSQL's list ("127.0.0.1", "*", "127.0.0.1,10.1.2.3", "" for Unix socket only);
    /// `hba_lines` is the whole pg_hba.conf, e.g. "local all all trust\nhost all all
    /// 127.0.0.1/32 trust\n". Returns once the first listen address accepts TCP and the server
    /// reports itself ready (no more "the database system is starting up").
    pub fn start(
        ns: Option<&Netns>,
        listen_addresses: &str,
        port: u16,
        hba_lines: &str,
    ) -> Postgres {
        Self::launch(ns, listen_addresses, port, hba_lines, false)
    }

    /// A server that stays in recovery: a standby (`standby.signal`) with no primary to
    /// follow and `hot_standby=off`, so it accepts TCP and answers every client with SQLSTATE
    /// 57P03 (the database system is not accepting connections yet), as a server still
    /// starting or recovering does. Returns once it listens and says "standby".
    pub fn start_recovering(ns: Option<&Netns>, listen_addresses: &str, port: u16) -> Postgres {
        Self::launch(
            ns,
            listen_addresses,
            port,
            "host all all 0.0.0.0/0 trust\n",
            true,
        )
    }

    fn launch(
        ns: Option<&Netns>,
        listen_addresses: &str,
        port: u16,
        hba_lines: &str,
        recovering: bool,
    ) -> Postgres {
        let since = Instant::now();
        let user = super::is_root().then_some("postgres");
        let dir = daemon_dir("postgres", user);
        let log = dir.path().join("log");
        let data = dir.path().join("data");
        let hba = dir.path().join("pg_hba.conf");
        write_file(&hba, hba_lines);
        let initdb = pg_program("initdb").expect("initdb not found (Debian package postgresql)");
        let args: Vec<OsString> = vec![
            "-D".into(),
            data.clone().into_os_string(),
            "--username=postgres".into(),
            "--auth=trust".into(),
            "--encoding=UTF8".into(),
            "--locale=C".into(),
            "--no-sync".into(),
        ];
        run_setup(
            "initdb",
            command(None, user, &initdb, &args, dir.path(), &log),
            &log,
        );

        let server = pg_program("postgres").expect("postgres not found");
        let settings = [
            format!("listen_addresses={listen_addresses}"),
            format!("port={port}"),
            format!("unix_socket_directories={}", dir.path().display()),
            format!("hba_file={}", hba.display()),
            // A throwaway cluster: durability is not needed and slow.
            "fsync=off".to_owned(),
            "synchronous_commit=off".to_owned(),
            "full_page_writes=off".to_owned(),
            "shared_buffers=16MB".to_owned(),
            "max_connections=20".to_owned(),
        ];
        let settings: Vec<String> = if recovering {
            write_file(&data.join("standby.signal"), "");
            if let Some(u) = user {
                let (uid, gid) = system_user(u);
                std::os::unix::fs::chown(data.join("standby.signal"), Some(uid), Some(gid))
                    .expect("chown standby.signal");
            }
            settings
                .into_iter()
                .chain(["hot_standby=off".to_owned()])
                .collect()
        } else {
            settings.to_vec()
        };
        let mut args: Vec<OsString> = vec!["-D".into(), data.clone().into_os_string()];
        for setting in settings {
            args.push("-c".into());
            args.push(setting.into());
        }
        let cmd = command(ns, user, &server, &args, dir.path(), &log);
        // SIGQUIT: immediate shutdown; the cluster is thrown away anyway.
        let process = Process::spawn("postgres", cmd, &log, libc::SIGQUIT);
        let mut pg = Postgres { process, port, dir };
        let first = listen_addresses.split(',').next().unwrap_or("");
        let addr = if listen_addresses.trim().is_empty() {
            None
        } else {
            reachable_ip(first).map(|ip| SocketAddr::new(ip, port))
        };
        let pid_file = data.join("postmaster.pid");
        let wanted = if recovering { "standby" } else { "ready" };
        pg.process
            .wait_ready(ns, addr, || postmaster_status(&pid_file, wanted), since);
        pg
    }

    /// The postmaster's process id.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's data directory (postgresql.conf, postmaster.pid, ...).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The pg_hba.conf in use; after changing it call [`Postgres::reload`].
    pub fn hba_file(&self) -> PathBuf {
        self.dir.path().join("pg_hba.conf")
    }

    /// The directory holding the Unix socket (`psql -h DIR -p PORT`).
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Asks the server to reread its configuration (SIGHUP), e.g. after editing pg_hba.conf.
    /// The reload happens asynchronously, a few milliseconds later.
    pub fn reload(&self) {
        self.process.signal(libc::SIGHUP);
    }

    /// initdb's and the server's output so far.
    pub fn log(&self) -> String {
        read_log(&self.process.log)
    }

    /// From the call of `start` until the server was ready.
    pub fn started_in(&self) -> Duration {
        self.process.started_in
    }
}

/// True once postmaster.pid's status line (the 8th) says `wanted` ("ready", "standby").
fn postmaster_status(pid_file: &Path, wanted: &str) -> bool {
    fs::read_to_string(pid_file)
        .is_ok_and(|text| text.lines().nth(7).is_some_and(|s| s.trim() == wanted))
}

// ---------------------------------------------------------------------------------------------
// Redis

/// A redis-server without a password, configured by `redis.conf` in its directory (with
/// `daemonize no`, no persistence, a Unix socket `redis.sock` and the log on stdout, kept in
/// `log`).
#[derive(Debug)]
pub struct Redis {
    process: Process,
    addr: Option<SocketAddr>,
    dir: tempfile::TempDir,
}

impl Redis {
    /// `bind` is Redis's bind list ("127.0.0.1", "0.0.0.0", "127.0.0.1 -::1"). With
    /// `protected_mode` and no password, Redis answers clients from non-loopback addresses with
    /// "-DENIED Redis is running in protected mode ...".
    pub fn start(ns: Option<&Netns>, bind: &str, port: u16, protected_mode: bool) -> Redis {
        let since = Instant::now();
        let dir = daemon_dir("redis", None);
        let path = dir.path();
        let log = path.join("log");
        let conf = path.join("redis.conf");
        let yes_no = if protected_mode { "yes" } else { "no" };
        write_file(
            &conf,
            &format!(
                "bind {bind}\n\
                 port {port}\n\
                 protected-mode {yes_no}\n\
                 daemonize no\n\
                 supervised no\n\
                 pidfile {pid}\n\
                 dir {dir}\n\
                 logfile \"\"\n\
                 save \"\"\n\
                 appendonly no\n\
                 unixsocket {sock}\n\
                 unixsocketperm 700\n",
                pid = path.join("redis.pid").display(),
                dir = path.display(),
                sock = path.join("redis.sock").display(),
            ),
        );
        let cmd = command(
            ns,
            None,
            &program("redis-server"),
            &[conf.into_os_string()],
            path,
            &log,
        );
        let process = Process::spawn("redis-server", cmd, &log, libc::SIGTERM);
        let first = bind.split_whitespace().next().unwrap_or("");
        let addr = reachable_ip(first).map(|ip| SocketAddr::new(ip, port));
        let mut redis = Redis { process, addr, dir };
        redis.process.wait_ready(ns, addr, || true, since);
        redis
    }

    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Where a client reaches it (loopback for a wildcard bind).
    pub fn addr(&self) -> Option<SocketAddr> {
        self.addr
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("redis.sock")
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("redis.conf")
    }

    pub fn log(&self) -> String {
        read_log(&self.process.log)
    }

    pub fn started_in(&self) -> Duration {
        self.process.started_in
    }
}

// ---------------------------------------------------------------------------------------------
// MariaDB

/// A mariadbd with a fresh data directory from `mariadb-install-db
/// --auth-root-authentication-method=normal`: the accounts are root@localhost (the Unix socket),
/// root@127.0.0.1, root@::1 and root@<hostname>, all without a password, so a client from any
/// other address gets "ERROR 1130 (HY000): Host '...' is not allowed to connect". Runs with
/// `--skip-name-resolve` (no DNS lookups of clients; errors name the client's IP) and as user
/// `mysql` when the tests run as root.
#[derive(Debug)]
pub struct Mariadb {
    process: Process,
    port: u16,
    dir: tempfile::TempDir,
    /// Stopped on purpose by `start_paused`.
    paused: bool,
}

impl Drop for Mariadb {
    fn drop(&mut self) {
        if self.paused {
            // A stopped process only acts on its shutdown signal once continued.
            // SAFETY: signalling our own child by its pid.
            unsafe { libc::kill(self.process.pid() as i32, libc::SIGCONT) };
        }
    }
}

impl Mariadb {
    /// `bind` is the --bind-address ("127.0.0.1", "0.0.0.0", "::", ...).
    pub fn start(ns: Option<&Netns>, bind: &str, port: u16) -> Mariadb {
        Self::launch(ns, bind, port, false)
    }

    /// A real mariadbd caught while it starts: stopped (SIGSTOP) the moment it is spawned,
    /// long before InnoDB is up and the port is open, so it runs without listening until
    /// dropped (it is continued, then stopped as usual).
    pub fn start_paused(ns: Option<&Netns>, bind: &str, port: u16) -> Mariadb {
        Self::launch(ns, bind, port, true)
    }

    fn launch(ns: Option<&Netns>, bind: &str, port: u16, paused: bool) -> Mariadb {
        let since = Instant::now();
        let root = super::is_root();
        let dir = daemon_dir("mariadb", root.then_some("mysql"));
        let path = dir.path();
        let log = path.join("log");
        let data = path.join("data");
        let mut user_arg: Vec<OsString> = Vec::new();
        if root {
            user_arg.push("--user=mysql".into());
        }
        let opt = |name: &str, value: &Path| -> OsString {
            format!("--{name}={}", value.display()).into()
        };
        // --no-defaults must come first: /etc/mysql's option files must not apply.
        let mut install: Vec<OsString> = vec![
            "--no-defaults".into(),
            "--auth-root-authentication-method=normal".into(),
            "--skip-test-db".into(),
            opt("datadir", &data),
            // Its own temporary directory, as for the daemon below: two bootstraps at once
            // sharing /tmp lost a temporary table ("Unknown table 'mysql.tmp_user_sys'").
            opt("tmpdir", path),
        ];
        install.extend(user_arg.iter().cloned());
        let bootstrap = || {
            let cmd = command(
                None,
                None,
                &program("mariadb-install-db"),
                &install,
                path,
                &log,
            );
            try_setup("mariadb-install-db", cmd, &log)
        };
        // One more try from an empty data directory: a bootstrap failed once in CI while
        // another ran beside it, and a test should not fail on the daemon's setup.
        if let Err(first) = bootstrap() {
            eprintln!("mariadb-install-db failed; trying once more. {first}");
            let _ = fs::remove_dir_all(&data);
            if let Err(second) = bootstrap() {
                panic!("{second}");
            }
        }

        let mut args: Vec<OsString> = vec![
            "--no-defaults".into(),
            opt("datadir", &data),
            opt("socket", &path.join("mariadb.sock")),
            format!("--port={port}").into(),
            format!("--bind-address={bind}").into(),
            "--skip-log-bin".into(),
            opt("pid-file", &path.join("mariadb.pid")),
            opt("tmpdir", path),
            "--skip-name-resolve".into(),
            "--innodb-buffer-pool-size=16M".into(),
        ];
        args.extend(user_arg);
        let cmd = command(ns, None, &program("mariadbd"), &args, path, &log);
        let process = Process::spawn("mariadbd", cmd, &log, libc::SIGTERM);
        if paused {
            // The child is a launcher (setpriv, ip netns exec) until it execs mariadbd;
            // stop it as soon as it is mariadbd, long before InnoDB lets it listen.
            let comm = format!("/proc/{}/comm", process.pid());
            let deadline = Instant::now() + START_TIMEOUT;
            while std::fs::read_to_string(&comm).map_or(true, |c| c.trim() != "mariadbd") {
                assert!(
                    Instant::now() < deadline,
                    "mariadbd never started: {}",
                    read_log(&log)
                );
                std::thread::yield_now();
            }
            // SAFETY: signalling our own child by its pid.
            unsafe { libc::kill(process.pid() as i32, libc::SIGSTOP) };
            return Mariadb {
                process,
                port,
                dir,
                paused: true,
            };
        }
        let mut db = Mariadb {
            process,
            port,
            dir,
            paused: false,
        };
        let addr = reachable_ip(bind).map(|ip| SocketAddr::new(ip, port));
        db.process.wait_ready(ns, addr, || true, since);
        db
    }

    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The Unix socket (`mariadb --no-defaults -S SOCKET -u root`).
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("mariadb.sock")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// mariadb-install-db's and the server's output so far.
    pub fn log(&self) -> String {
        read_log(&self.process.log)
    }

    pub fn started_in(&self) -> Duration {
        self.process.started_in
    }
}

// ---------------------------------------------------------------------------------------------
// nginx

/// nginx (master and one worker) answering every request with `200 ok\n` (text/plain).
#[derive(Debug)]
pub struct Nginx {
    process: Process,
    addr: SocketAddr,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// `listen` is an nginx listen address: "127.0.0.1:8080", "[::1]:8080", "*:8080" or "8080"
    /// (the last two listen on every IPv4 address).
    pub fn start(ns: Option<&Netns>, listen: &str) -> Nginx {
        let since = Instant::now();
        let addr = nginx_client_addr(listen)
            .unwrap_or_else(|| panic!("Nginx::start: cannot understand listen address {listen:?}"));
        let dir = daemon_dir("nginx", None);
        let path = dir.path();
        let log = path.join("log");
        let conf = path.join("nginx.conf");
        let temp_paths: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .iter()
            .filter(|module| nginx_has_module(module))
            .map(|module| format!("    {module}_temp_path {};\n", path.join(module).display()))
            .collect();
        write_file(
            &conf,
            &format!(
                "daemon off;\n\
                 master_process on;\n\
                 worker_processes 1;\n\
                 pid {pid};\n\
                 error_log stderr info;\n\
                 events {{ worker_connections 64; }}\n\
                 http {{\n    \
                     access_log off;\n    \
                     default_type text/plain;\n\
                 {temp_paths}    \
                     server {{ listen {listen}; return 200 \"ok\\n\"; }}\n\
                 }}\n",
                pid = path.join("nginx.pid").display(),
            ),
        );
        let args: Vec<OsString> = vec![
            "-c".into(),
            conf.into_os_string(),
            "-p".into(),
            path.into(),
            "-e".into(),
            "stderr".into(),
        ];
        let cmd = command(ns, None, &program("nginx"), &args, path, &log);
        // SIGTERM: fast shutdown, the master stops its workers.
        let process = Process::spawn("nginx", cmd, &log, libc::SIGTERM);
        let mut nginx = Nginx { process, addr, dir };
        nginx.process.wait_ready(ns, Some(addr), || true, since);
        nginx
    }

    /// The master's process id.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Where a client reaches it (loopback for a wildcard listen).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("nginx.conf")
    }

    /// nginx's error log (stderr) so far.
    pub fn log(&self) -> String {
        read_log(&self.process.log)
    }

    pub fn started_in(&self) -> Duration {
        self.process.started_in
    }
}

fn nginx_client_addr(listen: &str) -> Option<SocketAddr> {
    if let Ok(port) = listen.parse::<u16>() {
        return Some(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    if let Ok(addr) = listen.parse::<SocketAddr>() {
        return Some(SocketAddr::new(
            reachable_ip(&addr.ip().to_string())?,
            addr.port(),
        ));
    }
    let (host, port) = listen.rsplit_once(':')?;
    Some(SocketAddr::new(reachable_ip(host)?, port.parse().ok()?))
}

/// False when this nginx was built without the http module (then its temp path directive is
/// unknown).
fn nginx_has_module(module: &str) -> bool {
    static BUILD: OnceLock<String> = OnceLock::new();
    let build = BUILD.get_or_init(|| {
        Command::new(program("nginx"))
            .arg("-V")
            .stdin(Stdio::null())
            .output()
            .map(|out| String::from_utf8_lossy(&out.stderr).into_owned())
            .unwrap_or_default()
    });
    let name = if module == "client_body" { "" } else { module };
    name.is_empty() || !build.contains(&format!("--without-http_{name}_module"))
}

// ---------------------------------------------------------------------------------------------
// OpenSSH

/// /usr/sbin/sshd with a fresh ed25519 host key. Nobody can log in: no passwords, no PAM,
/// `AuthorizedKeysFile none`, `PermitRootLogin no`.
#[derive(Debug)]
pub struct Sshd {
    process: Process,
    addr: SocketAddr,
    _run_dir: RunSshd,
    dir: tempfile::TempDir,
}

impl Sshd {
    /// Listens on 0.0.0.0:PORT.
    pub fn start(ns: Option<&Netns>, port: u16) -> Sshd {
        Self::start_on(ns, "0.0.0.0", port)
    }

    /// Listens on `listen_address`:PORT (an IPv4 or IPv6 address, or "0.0.0.0").
    pub fn start_on(ns: Option<&Netns>, listen_address: &str, port: u16) -> Sshd {
        let since = Instant::now();
        let ip = reachable_ip(listen_address)
            .unwrap_or_else(|| panic!("Sshd::start: not an address: {listen_address:?}"));
        let addr = SocketAddr::new(ip, port);
        let run_dir = RunSshd::acquire();
        let dir = daemon_dir("sshd", None);
        let path = dir.path();
        let log = path.join("log");
        let key = path.join("ssh_host_ed25519_key");
        let keygen: Vec<OsString> = vec![
            "-q".into(),
            "-t".into(),
            "ed25519".into(),
            "-N".into(),
            "".into(),
            "-C".into(),
            "connfix-test".into(),
            "-f".into(),
            key.clone().into_os_string(),
        ];
        run_setup(
            "ssh-keygen",
            command(None, None, &program("ssh-keygen"), &keygen, path, &log),
            &log,
        );
        let listen = if listen_address.contains(':') && !listen_address.starts_with('[') {
            format!("[{listen_address}]")
        } else {
            listen_address.to_owned()
        };
        let conf = path.join("sshd_config");
        write_file(
            &conf,
            &format!(
                "Port {port}\n\
                 ListenAddress {listen}\n\
                 HostKey {key}\n\
                 PidFile {pid}\n\
                 UsePAM no\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 PermitRootLogin no\n\
                 AuthorizedKeysFile none\n\
                 LoginGraceTime 20\n",
                key = key.display(),
                pid = path.join("sshd.pid").display(),
            ),
        );
        let args: Vec<OsString> =
            vec!["-D".into(), "-e".into(), "-f".into(), conf.into_os_string()];
        // sshd re-executes itself, so it must be started by its absolute path.
        let cmd = command(ns, None, Path::new("/usr/sbin/sshd"), &args, path, &log);
        let process = Process::spawn("sshd", cmd, &log, libc::SIGTERM);
        let mut sshd = Sshd {
            process,
            addr,
            _run_dir: run_dir,
            dir,
        };
        sshd.process.wait_ready(ns, Some(addr), || true, since);
        sshd
    }

    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Where a client reaches it (loopback for 0.0.0.0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn host_key(&self) -> PathBuf {
        self.dir.path().join("ssh_host_ed25519_key")
    }

    /// sshd's log (-e: stderr) so far.
    pub fn log(&self) -> String {
        read_log(&self.process.log)
    }

    pub fn started_in(&self) -> Duration {
        self.process.started_in
    }
}

/// sshd's privilege separation directory /run/sshd: created if missing while some Sshd of this
/// process runs, and removed after the last one only if it was created here.
#[derive(Debug)]
struct RunSshd;

const RUN_SSHD: &str = "/run/sshd";
/// (Sshd values alive, whether /run/sshd was created by this process).
static RUN_SSHD_USERS: Mutex<(usize, bool)> = Mutex::new((0, false));

impl RunSshd {
    fn acquire() -> RunSshd {
        let mut users = RUN_SSHD_USERS.lock().unwrap_or_else(|e| e.into_inner());
        if users.0 == 0 && !Path::new(RUN_SSHD).exists() {
            use std::os::unix::fs::DirBuilderExt;
            fs::DirBuilder::new()
                .mode(0o755)
                .create(RUN_SSHD)
                .unwrap_or_else(|e| panic!("cannot create {RUN_SSHD} (sshd needs it): {e}"));
            users.1 = true;
        }
        users.0 += 1;
        RunSshd
    }
}

impl Drop for RunSshd {
    fn drop(&mut self) {
        let mut users = RUN_SSHD_USERS.lock().unwrap_or_else(|e| e.into_inner());
        users.0 -= 1;
        if users.0 == 0 && users.1 {
            users.1 = false;
            match fs::remove_dir(RUN_SSHD) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => eprintln!("warning: cannot remove {RUN_SSHD}: {e}"),
            }
        }
    }
}
