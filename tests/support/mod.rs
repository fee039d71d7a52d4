//! Shared helpers for connfix's integration tests: skip logic, network namespaces, a dnsmasq
//! server and small TCP utilities.
//!
//! Safety rules every helper keeps: traffic goes only to loopback or into namespaces the test
//! created itself, the host's firewall, routes and resolv.conf are never touched, every wait is
//! bounded, and everything created (namespaces, `/etc/netns/NAME`, child processes) is removed on
//! Drop, also when the test panics.

// Every test binary compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

pub mod answers;
pub mod cli;
pub mod daemons;
pub mod docker;

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Once, OnceLock};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Pause between two polls of a bounded wait.
const POLL: Duration = Duration::from_millis(20);
/// How long `Dnsmasq::start` waits for the server before giving up.
const DNSMASQ_START_TIMEOUT: Duration = Duration::from_secs(5);
/// Searched after PATH: `ip` and `dnsmasq` live in sbin, which a non-root PATH often lacks.
const SBIN_DIRS: [&str; 2] = ["/usr/sbin", "/sbin"];
/// Where `ip netns` keeps its namespaces and their per-namespace /etc overrides.
const NETNS_RUN_DIR: &str = "/var/run/netns";
const NETNS_ETC_DIR: &str = "/etc/netns";
/// Prefix of every namespace made here; the pid that follows it identifies the owner process.
const NETNS_PREFIX: &str = "cfx-";

/// Skip helper: returns false after printing "skipped: <what> (<why>)" to stderr, so a test can
/// `if !support::require(cond, "what", "why") { return; }`. When env CI=true, a missing
/// requirement is a test failure instead (panic with the same message), because CI installs
/// everything.
pub fn require(ok: bool, what: &str, why: &str) -> bool {
    if ok {
        return true;
    }
    let message = format!("skipped: {what} ({why})");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("{message}");
    false
}

/// True when the effective uid is 0 (read from /proc/self/status, so no libc call is needed).
pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| effective_uid(&status))
        == Some(0)
}

/// The second field of the "Uid:" line (real, effective, saved, filesystem).
fn effective_uid(status: &str) -> Option<u32> {
    let uids = status.lines().find_map(|line| line.strip_prefix("Uid:"))?;
    uids.split_whitespace().nth(1)?.parse().ok()
}

/// True when `cmd` is an executable on PATH (or in /usr/sbin, /sbin).
pub fn have(cmd: &str) -> bool {
    find_program(cmd).is_some()
}

/// Full path of the executable `cmd`, searched on PATH and then in /usr/sbin and /sbin.
pub fn find_program(cmd: &str) -> Option<PathBuf> {
    if cmd.contains('/') {
        return Some(PathBuf::from(cmd)).filter(|path| is_executable(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(SBIN_DIRS.iter().map(PathBuf::from))
        .map(|dir| dir.join(cmd))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// True when network namespaces can be used: root, iproute2 present, and a probe namespace can
/// actually be created (containers often forbid it even to root). Probed once per process.
pub fn can_netns() -> bool {
    static CAN: OnceLock<bool> = OnceLock::new();
    *CAN.get_or_init(|| {
        is_root()
            && have("ip")
            && Netns::try_new()
                .map_err(|e| eprintln!("network namespace probe failed: {e}"))
                .is_ok()
    })
}

/// A `Command` for iproute2's `ip`, found even when sbin is not on PATH.
fn ip_command() -> Command {
    Command::new(find_program("ip").unwrap_or_else(|| PathBuf::from("ip")))
}

/// Runs `cmd` with stdin closed; its stdout on success, otherwise a description with its output.
fn output_of(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{cmd:?}: cannot start: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    Err(format!(
        "{cmd:?} failed ({})\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// Removes `dir` and its contents; a missing dir is fine, other failures are only logged because
/// this runs from Drop, where a panic during unwinding would abort the whole test binary.
fn remove_dir_if_present(dir: &Path) {
    match fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => eprintln!("warning: cannot remove {}: {e}", dir.display()),
    }
}

/// Shared by namespace names and veth names, so both are unique within this process.
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

fn next_id() -> u32 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A network namespace named "cfx-<pid>-<counter>", with `lo` up and net.ipv4.icmp_ratelimit=0
/// (and net.ipv6.icmp.ratelimit=0) set inside, removed on Drop along with /etc/netns/<name>.
///
/// The pid plus a process-wide counter keeps names unique across parallel tests and across test
/// binaries running at the same time.
#[derive(Debug)]
pub struct Netns {
    pub name: String,
}

/// The veth interface names created by [`Netns::link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VethPair {
    /// The end inside the namespace `link` was called on.
    pub mine: String,
    /// The end inside the other namespace.
    pub theirs: String,
}

/// Turns off ICMP rate limiting, so a test that provokes many errors (port unreachable, ...) sees
/// every one instead of about one per second. The IPv6 knob is absent when IPv6 is disabled.
const NO_ICMP_RATELIMIT: &str = "echo 0 > /proc/sys/net/ipv4/icmp_ratelimit && \
    if [ -e /proc/sys/net/ipv6/icmp/ratelimit ]; then \
    echo 0 > /proc/sys/net/ipv6/icmp/ratelimit; fi";

impl Netns {
    /// Creates and configures a namespace; panics with a clear message if it cannot be made.
    pub fn new() -> Netns {
        Self::try_new().unwrap_or_else(|e| panic!("cannot create a network namespace: {e}"))
    }

    fn try_new() -> Result<Netns, String> {
        remove_stale_namespaces();
        let name = format!("{NETNS_PREFIX}{}-{}", std::process::id(), next_id());
        output_of(ip_command().args(["netns", "add", &name]))?;
        // From here on Drop removes the namespace, also when the setup below fails.
        let ns = Netns { name };
        output_of(ip_command().args(["-n", &ns.name, "link", "set", "lo", "up"]))?;
        // /proc/sys/net shows the namespace of the writer, hence a shell inside the namespace.
        ns.exec(&["sh", "-c", NO_ICMP_RATELIMIT])?;
        Ok(ns)
    }

    /// Run a command inside (ip netns exec NAME ...); panics with stdout/stderr if it fails.
    /// Returns its stdout.
    pub fn run(&self, args: &[&str]) -> String {
        self.exec(args)
            .unwrap_or_else(|e| panic!("in network namespace {}: {e}", self.name))
    }

    fn exec(&self, args: &[&str]) -> Result<String, String> {
        let (program, rest) = args.split_first().ok_or("empty command")?;
        output_of(self.command(program).args(rest))
    }

    /// std::process::Command for a program inside the namespace (caller adds args/env, spawns).
    ///
    /// `ip netns exec` execs the program in place, so the child's pid is the program's pid.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = ip_command();
        cmd.args(["netns", "exec", &self.name, program]);
        cmd
    }

    /// Writes /etc/netns/NAME/resolv.conf (so processes in the ns use this resolver) — must be
    /// called before commands that should see it are spawned: `ip netns exec` bind-mounts it over
    /// /etc/resolv.conf when it starts a command.
    pub fn set_resolv_conf(&self, contents: &str) {
        self.write_etc("resolv.conf", contents);
    }

    /// Writes /etc/netns/NAME/hosts (seen as /etc/hosts by commands spawned afterwards).
    pub fn set_hosts(&self, contents: &str) {
        self.write_etc("hosts", contents);
    }

    fn etc_dir(&self) -> PathBuf {
        Path::new(NETNS_ETC_DIR).join(&self.name)
    }

    fn write_etc(&self, file: &str, contents: &str) {
        let dir = self.etc_dir();
        let path = dir.join(file);
        fs::create_dir_all(&dir)
            .and_then(|()| fs::write(&path, contents))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// Creates a veth pair linking this namespace to `other`, with the given addresses (CIDR) on
    /// each end, links up. E.g. a.link(&b, "10.231.1.1/24", "10.231.1.2/24").
    ///
    /// Returns the interface names (for tc, nft, ... in the tests). IPv6 addresses skip duplicate
    /// address detection, so they can be bound at once instead of after a second or two.
    pub fn link(&self, other: &Netns, my_cidr: &str, other_cidr: &str) -> VethPair {
        let id = next_id();
        let pair = VethPair {
            mine: format!("cfx{id}a"),
            theirs: format!("cfx{id}b"),
        };
        // Made inside self with the peer put straight into other: no interface ever appears in
        // the host's namespace.
        self.ip(&[
            "link",
            "add",
            &pair.mine,
            "type",
            "veth",
            "peer",
            "name",
            &pair.theirs,
            "netns",
            &other.name,
        ]);
        self.configure(&pair.mine, my_cidr);
        other.configure(&pair.theirs, other_cidr);
        pair
    }

    /// Puts `cidr` on `dev` and brings `dev` up.
    fn configure(&self, dev: &str, cidr: &str) {
        let mut args = vec!["addr", "add", cidr, "dev", dev];
        if cidr.contains(':') {
            // A tentative (DAD) address cannot be bound yet: servers started right away would
            // fail with EADDRNOTAVAIL.
            args.push("nodad");
        }
        self.ip(&args);
        self.ip(&["link", "set", dev, "up"]);
    }

    /// `ip -n NAME args...`; panics with the output if it fails.
    fn ip(&self, args: &[&str]) -> String {
        output_of(ip_command().args(["-n", &self.name]).args(args))
            .unwrap_or_else(|e| panic!("in network namespace {}: {e}", self.name))
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if let Err(e) = output_of(ip_command().args(["netns", "del", &self.name])) {
            eprintln!(
                "warning: cannot delete network namespace {}: {e}",
                self.name
            );
        }
        remove_dir_if_present(&self.etc_dir());
    }
}

/// Removes namespaces (and /etc/netns dirs) left behind by earlier test processes that were
/// killed before their Drop could run, e.g. by SIGKILL on a timeout. They are recognised by the
/// "cfx-<pid>-" prefix naming a process that no longer exists. Runs once per process.
fn remove_stale_namespaces() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let names: HashSet<String> = [NETNS_RUN_DIR, NETNS_ETC_DIR]
            .iter()
            .filter_map(|dir| fs::read_dir(dir).ok())
            .flat_map(|entries| entries.flatten())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        for name in names.iter().filter(|name| is_stale(name)) {
            if Path::new(NETNS_RUN_DIR).join(name).exists() {
                let _ = output_of(ip_command().args(["netns", "del", name]));
            }
            remove_dir_if_present(&Path::new(NETNS_ETC_DIR).join(name));
        }
    });
}

/// True for a namespace name made by this module for a process that is gone.
fn is_stale(name: &str) -> bool {
    let owner = name
        .strip_prefix(NETNS_PREFIX)
        .and_then(|rest| rest.split_once('-'))
        .and_then(|(pid, _)| pid.parse::<u32>().ok());
    owner.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
}

/// dnsmasq serving test zones inside a namespace (or on host loopback with ns=None) on a port.
/// Killed (and waited for) on Drop.
#[derive(Debug)]
pub struct Dnsmasq {
    pub addr: SocketAddr,
    child: Child,
    /// Holds the log and pid file; dropped after Drop has stopped the process.
    dir: tempfile::TempDir,
}

impl Dnsmasq {
    /// `records`: (name, Some(ip)) -> answers that A/AAAA; (name, None) -> NXDOMAIN for the
    /// name. Several entries for one name give several records. Like a real zone, a listed name
    /// answers its other types (AAAA when it only has A, MX, HTTPS, ...) with NOERROR and no
    /// records. A name covers its subdomains too (dnsmasq's `--address` semantics). Names not
    /// listed get REFUSED, because the server has no upstream.
    ///
    /// Waits (at most 5 s) until dnsmasq owns its UDP socket, after which queries are answered.
    /// Panics with dnsmasq's log if it exits or is not ready in time (e.g. address not present).
    pub fn start(
        ns: Option<&Netns>,
        listen: IpAddr,
        port: u16,
        records: &[(&str, Option<IpAddr>)],
    ) -> Dnsmasq {
        let program = find_program("dnsmasq")
            .expect("dnsmasq not found on PATH or in /usr/sbin (Debian package dnsmasq-base)");
        let dir = tempfile::Builder::new()
            .prefix("cfx-dnsmasq-")
            .tempdir()
            .expect("cannot create a temporary directory for dnsmasq");
        let log = File::create(dir.path().join("log")).expect("cannot create the dnsmasq log");
        let mut cmd = match ns {
            Some(ns) => ns.command(&program.to_string_lossy()),
            None => Command::new(&program),
        };
        cmd.args(dnsmasq_args(listen, port, dir.path(), records))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("cannot duplicate the log handle"))
            .stderr(log);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        // Constructed before waiting so that a panic below still kills the process via Drop.
        let mut server = Dnsmasq {
            addr: SocketAddr::new(listen, port),
            child,
            dir,
        };
        server.wait_ready(DNSMASQ_START_TIMEOUT);
        server
    }

    /// The process id of dnsmasq.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What dnsmasq logged so far, including every query it received (handy in assertion
    /// messages).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    fn wait_ready(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "dnsmasq for {} exited ({status}):\n{}",
                    self.addr,
                    self.log()
                );
            }
            if owns_udp_port(self.pid(), self.addr.port()) {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "dnsmasq for {} not ready within {within:?}:\n{}",
                    self.addr,
                    self.log()
                );
            }
            sleep(POLL);
        }
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        // SIGKILL is enough: with --no-daemon dnsmasq is a single process with nothing to flush.
        if let Err(e) = self.child.kill() {
            eprintln!("warning: cannot kill dnsmasq {}: {e}", self.pid());
        }
        if let Err(e) = self.child.wait() {
            eprintln!("warning: cannot wait for dnsmasq {}: {e}", self.pid());
        }
    }
}

/// The command line: answer only the given records, from only the given address.
fn dnsmasq_args(
    listen: IpAddr,
    port: u16,
    dir: &Path,
    records: &[(&str, Option<IpAddr>)],
) -> Vec<String> {
    let fixed = [
        // The host's /etc/dnsmasq.conf (if any) must not change the test server.
        "--conf-file=/dev/null",
        // Never forward upstream and never answer from /etc/hosts: only the test zone exists.
        "--no-resolv",
        "--no-hosts",
        // Stay in the foreground as our child (so kill + wait works) and answer TCP in-process
        // instead of in forked helpers that could outlive the kill. Implies keep-in-foreground.
        "--no-daemon",
        // Bind only the listen address, so several servers (and the host's port 53) coexist.
        "--bind-interfaces",
        // Keep root rather than switching to the `dnsmasq` user a test machine may not have.
        "--user=root",
        "--log-facility=-",
        "--log-queries",
    ];
    let mut args: Vec<String> = fixed.into_iter().map(String::from).collect();
    args.push(format!("--listen-address={listen}"));
    args.push(format!("--port={port}"));
    // --no-daemon writes no pid file, but if one is ever written it must not be the system one.
    args.push(format!("--pid-file={}", dir.join("dnsmasq.pid").display()));
    args.extend(
        records
            .iter()
            .flat_map(|&(name, ip)| record_options(name, ip)),
    );
    args
}

/// The options for one record. `--address=/name/` is NXDOMAIN for every type.
/// `--address=/name/ip` answers only A or AAAA (by the ip's family): on its own dnsmasq would
/// try to forward the other types and, having no upstream, answer REFUSED, which a resolver
/// reports as a server failure. `--local=/name/` makes those NOERROR with no records instead.
fn record_options(name: &str, ip: Option<IpAddr>) -> Vec<String> {
    match ip {
        Some(ip) => vec![
            format!("--address=/{name}/{ip}"),
            format!("--local=/{name}/"),
        ],
        None => vec![format!("--address=/{name}/")],
    }
}

/// True once process `pid` owns a UDP socket bound to `port`. Read from /proc/PID/net, which
/// shows the process's own network namespace, so it also works for a server inside a namespace
/// that this process cannot send a query into. Once bound, queries queue until answered.
fn owns_udp_port(pid: u32, port: u16) -> bool {
    let inodes = socket_inodes(pid);
    let port_suffix = format!(":{port:04X}");
    ["udp", "udp6"].iter().any(|table| {
        let sockets = fs::read_to_string(format!("/proc/{pid}/net/{table}")).unwrap_or_default();
        // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
        sockets.lines().skip(1).any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() > 9 && fields[1].ends_with(&port_suffix) && inodes.contains(fields[9])
        })
    })
}

/// Inodes of the sockets among the open file descriptors of `pid` ("socket:[12345]").
fn socket_inodes(pid: u32) -> HashSet<String> {
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return HashSet::new();
    };
    fds.flatten()
        .filter_map(|fd| fs::read_link(fd.path()).ok())
        .filter_map(|target| {
            let inode = target
                .to_str()?
                .strip_prefix("socket:[")?
                .strip_suffix(']')?;
            Some(inode.to_owned())
        })
        .collect()
}

/// Starts a server that binds a port itself (dnsmasq, redis: they cannot be handed a
/// socket) on a port [`free_port`] found, and on another one when the start fails: between
/// the check and the server's own bind, another test may take the port. A server that
/// fails on every attempt fails the test with the last attempt's panic.
pub fn on_a_free_port<T>(start: impl Fn(u16) -> T) -> (u16, T) {
    const ATTEMPTS: usize = 3;
    let mut attempt = 1;
    loop {
        let port = free_port();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| start(port))) {
            Ok(server) => return (port, server),
            Err(panic) if attempt == ATTEMPTS => std::panic::resume_unwind(panic),
            Err(_) => attempt += 1,
        }
    }
}

/// A free port on 127.0.0.1 (bind port 0, read, drop). It is free for both TCP and UDP at the
/// time of the call, so it also suits a DNS server.
pub fn free_port() -> u16 {
    const ATTEMPTS: usize = 50;
    for _ in 0..ATTEMPTS {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("cannot bind a TCP socket on 127.0.0.1")
            .port();
        if UdpSocket::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
    panic!("no port free for both TCP and UDP on 127.0.0.1 after {ATTEMPTS} attempts");
}

/// Wait (bounded) until a TCP connect to addr succeeds. Connects from the host's namespace, so
/// `addr` must be reachable from there (loopback).
pub fn wait_listening(addr: SocketAddr, within: Duration) -> bool {
    const MAX_CONNECT_TIMEOUT: Duration = Duration::from_millis(200);
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        // connect_timeout rejects a zero timeout.
        let timeout = left.clamp(Duration::from_millis(1), MAX_CONNECT_TIMEOUT);
        if TcpStream::connect_timeout(&addr, timeout).is_ok() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        sleep(POLL);
    }
}
