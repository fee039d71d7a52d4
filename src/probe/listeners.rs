//! Listening TCP sockets on this host (v4 and v6) with their owning processes, read from
//! /proc, and this host's own addresses. Matching them against the target is pure logic in
//! the decision engine; this probe only reports what is there.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use crate::target::is_secret_key;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ListenerData {
    pub sockets: Vec<Listener>,
    /// Addresses configured on this host's interfaces (loopback included).
    pub own_addresses: Vec<IpAddr>,
    /// False when some sockets' owners could not be read (another user's processes).
    pub owners_visible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_note: Option<String>,
    /// Set when the sockets could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Known server processes running here, listening or not (a server that runs but
    /// has not opened its port yet is still starting).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<super::process::Running>,
    /// Unix sockets that known servers listen on (a server may listen on nothing else).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unix: Vec<super::process::UnixListener>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    pub address: SocketAddr,
    pub pid: Option<i32>,
    pub process: Option<String>,
    /// The command line, with anything that looks like a secret replaced by `***`.
    pub cmdline: Option<String>,
    pub uid: u32,
    /// Connections waiting to be accepted.
    pub queued: u32,
    /// The most the accept queue holds; unknown when only /proc could be read.
    pub backlog: Option<u32>,
    /// For IPv6 sockets, whether they refuse IPv4 (IPV6_V6ONLY); unknown from /proc.
    pub v6only: Option<bool>,
    /// The user the owning process runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The systemd unit it runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Its configuration file, when connfix knows the server and found the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// PostgreSQL's client authentication file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hba: Option<String>,
}

impl Listener {
    pub fn owner(&self) -> String {
        match (&self.process, self.pid) {
            (Some(name), Some(pid)) => format!("{name} (pid {pid})"),
            _ => format!("an unknown process (uid {})", self.uid),
        }
    }
}

pub async fn run() -> ProbeReport {
    let start = Instant::now();
    let data = tokio::task::spawn_blocking(read)
        .await
        .unwrap_or_else(|e| ListenerData {
            error: Some(format!("the listener scan failed: {e}")),
            ..Default::default()
        });
    let (status, summary) = summarize(&data);
    ProbeReport {
        id: ProbeId::Listeners,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Listeners(data),
    }
}

pub fn summarize(d: &ListenerData) -> (Status, String) {
    if let Some(e) = &d.error {
        return (Status::Error, e.clone());
    }
    let mut s = format!(
        "{} listening TCP socket{} on this host",
        d.sockets.len(),
        if d.sockets.len() == 1 { "" } else { "s" }
    );
    if let Some(note) = d.owner_note.as_deref().filter(|_| !d.owners_visible) {
        s.push_str("; ");
        s.push_str(note);
    }
    (Status::Ok, s)
}

fn read() -> ListenerData {
    let sockets = match super::sockdiag::listeners() {
        Ok(found) => found
            .into_iter()
            .map(|l| {
                (
                    l.address,
                    l.inode,
                    l.uid,
                    l.queued,
                    Some(l.backlog),
                    l.v6only,
                )
            })
            .collect(),
        // Kernels without sock_diag (or sandboxes that hide it) still have /proc.
        Err(_) => match proc_listeners() {
            Ok(found) => found,
            Err(e) => {
                return ListenerData {
                    error: Some(e.to_string()),
                    ..Default::default()
                };
            }
        },
    };
    // thread-self: under `--from` this thread, not the process, is in the vantage namespace.
    let unix_sockets = std::fs::read_to_string("/proc/thread-self/net/unix")
        .map(|t| super::process::parse_unix_listeners(&t))
        .unwrap_or_default();
    let wanted: HashSet<u64> = (sockets.iter().map(|row| row.1))
        .chain(unix_sockets.iter().map(|(inode, _)| *inode))
        .collect();
    let (owners, hidden) = socket_owners(&wanted);
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    // One look per process, however many sockets it holds.
    let mut details: HashMap<i32, super::process::Details> = HashMap::new();
    let mut out: Vec<Listener> = sockets
        .into_iter()
        .map(|(address, inode, uid, queued, backlog, v6only)| {
            let owner = owners.get(&inode);
            let more = match owner {
                Some((pid, name, cmdline)) => details
                    .entry(*pid)
                    .or_insert_with(|| super::process::details(*pid, uid, name, cmdline, &passwd))
                    .clone(),
                None => super::process::Details {
                    user: super::process::user_from_passwd(&passwd, uid),
                    ..Default::default()
                },
            };
            Listener {
                user: more.user,
                unit: more.unit,
                config: more.config,
                hba: more.hba,
                address: normalize(address),
                pid: owner.map(|o| o.0),
                process: owner.map(|o| o.1.clone()),
                cmdline: owner.map(|o| o.2.clone()),
                uid,
                queued,
                backlog,
                v6only,
            }
        })
        .collect();
    out.sort_by_key(|l| (l.address.port(), l.address.is_ipv6(), l.address.ip()));
    out.dedup_by(|a, b| a.address == b.address && a.pid == b.pid);
    let unknown = out.iter().filter(|l| l.pid.is_none()).count();
    let owners_visible = unknown == 0;
    ListenerData {
        sockets: out,
        own_addresses: own_addresses(),
        owners_visible,
        owner_note: (!owners_visible).then(|| {
            if hidden && !super::is_root() {
                format!("the owners of {unknown} socket(s) could not be read without root; run connfix with sudo (or `sudo ss -ltnp`) to see them")
            } else {
                format!("{unknown} socket(s) belong to no process visible here (the kernel, or a process in another PID namespace such as a container)")
            }
        }),
        error: None,
        servers: super::process::running_servers(),
        unix: unix_sockets
            .into_iter()
            .filter_map(|(inode, path)| {
                let (pid, name, cmdline) = owners.get(&inode)?;
                super::process::SERVER_NAMES
                    .contains(&name.as_str())
                    .then(|| super::process::UnixListener {
                        path,
                        pid: *pid,
                        process: name.clone(),
                        config: super::process::details(*pid, 0, name, cmdline, "").config,
                    })
            })
            .collect(),
    }
}

type RawRow = (SocketAddr, u64, u32, u32, Option<u32>, Option<bool>);

/// Neither netlink nor /proc could list the sockets; holds /proc's reason.
#[derive(Debug, thiserror::Error)]
#[error(
    "could not read the listening sockets (netlink sock_diag and /proc/net/tcp both failed: {0}); is /proc mounted? Run `ss -ltnp` by hand instead"
)]
struct Unlisted(String);

/// The slow path: /proc/thread-self/net/tcp{,6} (this thread's namespace, which under
/// `--from` is the vantage point's), which has no backlog maximum.
fn proc_listeners() -> Result<Vec<RawRow>, Unlisted> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let me = procfs::process::Process::new_with_root("/proc/thread-self".into())
        .map_err(|e| Unlisted(e.to_string()))?;
    for table in [me.tcp(), me.tcp6()] {
        match table {
            Ok(entries) => rows.extend(
                entries
                    .into_iter()
                    .filter(|e| e.state == procfs::net::TcpState::Listen)
                    .map(|e| (e.local_address, e.inode, e.uid, e.rx_queue, None, None)),
            ),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if rows.is_empty() && errors.len() == 2 {
        return Err(Unlisted(errors.swap_remove(0)));
    }
    Ok(rows)
}

/// An IPv4 address mapped into IPv6 is shown as plain IPv4: that is what the socket accepts.
fn normalize(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(IpAddr::V4(v4), v6.port()),
            None => addr,
        },
        v4 => v4,
    }
}

/// Owners of the sockets in `wanted`: inode → (pid, process name, redacted command line).
/// Only processes holding one of them are named, and the scan stops once all are found.
/// The bool says whether some processes' descriptors could not be read.
fn socket_owners(wanted: &HashSet<u64>) -> (HashMap<u64, (i32, String, String)>, bool) {
    let mut map = HashMap::new();
    let mut hidden = false;
    let Ok(procs) = procfs::process::all_processes() else {
        return (map, true);
    };
    for p in procs.flatten() {
        if map.len() == wanted.len() {
            break;
        }
        let Ok(fds) = p.fd() else {
            hidden = true;
            continue;
        };
        let inodes: Vec<u64> = fds
            .flatten()
            .filter_map(|fd| match fd.target {
                procfs::process::FDTarget::Socket(inode) if wanted.contains(&inode) => Some(inode),
                _ => None,
            })
            .collect();
        if inodes.is_empty() {
            continue;
        }
        // Names and arguments are chosen by whoever started the process: no control
        // characters may reach a terminal through them.
        let name = p
            .stat()
            .map(|s| printable(&s.comm))
            .unwrap_or_else(|_| "?".into());
        let cmdline = p
            .cmdline()
            .map(|c| printable(&redact_args(&c)))
            .unwrap_or_default();
        for inode in inodes {
            map.entry(inode)
                .or_insert_with(|| (p.pid(), name.clone(), cmdline.clone()));
        }
    }
    (map, hidden)
}

/// Joins a command line, hiding values of arguments named like secrets
/// (`--password=x`, `--token x`, `--requirepass x`, `PGPASSWORD=x`, `MYSQL_PWD=x`), URL
/// passwords, and the short password flags of the clients that have one: `-p x` and
/// `-px` for the MySQL family, `-a x` for Redis. For every other program `-p` and `-a` are
/// left alone (`ssh -p 22` is a port). An argument holding a whole shell command
/// (`sh -c "mysql -px …"`) is redacted word by word.
pub fn redact_args(args: &[String]) -> String {
    let mut out = Vec::with_capacity(args.len());
    let mut hide_next = false;
    // The short password flag of the client this command line runs, once it is named.
    let mut password_flag: Option<&str> = None;
    for (i, arg) in args.iter().enumerate() {
        if hide_next {
            out.push("***".to_string());
            hide_next = false;
            continue;
        }
        // The client is the program (args[0]) or a word a wrapper runs (`sudo mysql`,
        // `docker exec db mysql`), not the value of a flag (`docker run --name mysql`).
        let is_value = i > 0 && args[i - 1].starts_with('-');
        if !is_value && let Some(flag) = short_password_flag(arg) {
            password_flag = Some(flag);
        }
        if let Some(flag) = password_flag
            && let Some(value) = arg.strip_prefix(flag)
        {
            // `-p secret`, or `-psecret` for the MySQL family.
            if value.is_empty() {
                hide_next = true;
                out.push(arg.clone());
                continue;
            }
            if flag == "-p" {
                out.push("-p***".to_string());
                continue;
            }
        }
        if arg.contains(char::is_whitespace) {
            out.push(crate::target::redact_text(arg));
        } else if let Some(r) = crate::target::redact_token(arg) {
            out.push(r);
        } else if arg.starts_with('-') && is_secret_key(arg) {
            out.push(arg.clone());
            hide_next = true;
        } else {
            out.push(arg.clone());
        }
    }
    let joined = out.join(" ");
    if joined.len() > 300 {
        format!("{}…", &joined[..joined.floor_char_boundary(300)])
    } else {
        joined
    }
}

/// The short flag that takes a password, for a program whose short flag does: `-p` for
/// the MySQL and MariaDB clients and tools, `-a` for the Redis (and Valkey) ones.
fn short_password_flag(program: &str) -> Option<&'static str> {
    let name = program.rsplit('/').next().unwrap_or(program);
    match name {
        "mysql" | "mysqladmin" | "mysqldump" | "mysqlimport" | "mysqlcheck" | "mysqlshow"
        | "mysqlslap" | "mysqlpump" | "mysqlbinlog" | "mysqlsh" | "mariadb" | "mariadb-admin"
        | "mariadb-dump" | "mariadb-import" | "mariadb-check" | "mariadb-show" | "mariadb-slap"
        | "mariadb-binlog" => Some("-p"),
        "redis-cli" | "redis-server" | "redis-benchmark" | "valkey-cli" | "valkey-server" => {
            Some("-a")
        }
        _ => None,
    }
}

fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn own_addresses() -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = if_addrs::get_if_addrs()
        .map(|ifs| ifs.iter().map(|i| i.ip()).collect())
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_command_lines_are_hidden() {
        let args: Vec<String> = [
            "app",
            "--password",
            "hunter2",
            "--db-token=abc",
            "--port",
            "5432",
            "postgres://u:pw@db/x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = redact_args(&args);
        assert!(
            !s.contains("hunter2") && !s.contains("abc") && !s.contains(":pw@"),
            "{s}"
        );
        assert!(s.contains("--port 5432"), "{s}");
    }

    fn redacted(line: &[&str]) -> String {
        redact_args(&line.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[track_caller]
    fn hides(line: &[&str], expected: &str) {
        let shown = redacted(line);
        assert_eq!(shown, expected, "{line:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn short_password_flags_of_mysql_clients_are_hidden() {
        hides(
            &["mysql", "-p", "hunter2", "-h", "db"],
            "mysql -p *** -h db",
        );
        hides(
            &["/usr/bin/mysql", "-uroot", "-phunter2", "-P", "3306"],
            "/usr/bin/mysql -uroot -p*** -P 3306",
        );
        hides(&["mariadb", "-phunter2"], "mariadb -p***");
        hides(
            &["mysqladmin", "-p", "hunter2", "ping"],
            "mysqladmin -p *** ping",
        );
        hides(&["mysqldump", "-phunter2", "app"], "mysqldump -p*** app");
        hides(&["mysql", "--password", "hunter2"], "mysql --password ***");
        hides(&["mysql", "--password=hunter2"], "mysql --password=***");
        // A wrapper running the client.
        hides(
            &["sudo", "-u", "mysql", "mysql", "-phunter2"],
            "sudo -u mysql mysql -p***",
        );
        hides(
            &["docker", "exec", "db", "mysql", "-p", "hunter2"],
            "docker exec db mysql -p ***",
        );
    }

    #[test]
    fn short_password_flags_of_redis_clients_are_hidden() {
        hides(
            &["redis-cli", "-a", "hunter2", "-h", "cache"],
            "redis-cli -a *** -h cache",
        );
        hides(
            &["/usr/local/bin/redis-server", "-a", "hunter2"],
            "/usr/local/bin/redis-server -a ***",
        );
        hides(
            &["redis-server", "--port", "6380", "--requirepass", "hunter2"],
            "redis-server --port 6380 --requirepass ***",
        );
        hides(
            &["redis-server", "--requirepass=hunter2"],
            "redis-server --requirepass=***",
        );
        hides(&["redis-cli", "--pass", "hunter2"], "redis-cli --pass ***");
    }

    #[test]
    fn password_variables_and_shell_commands_are_hidden() {
        hides(
            &["env", "PGPASSWORD=hunter2", "psql", "-h", "db"],
            "env PGPASSWORD=*** psql -h db",
        );
        hides(
            &["env", "MYSQL_PWD=hunter2", "mysql"],
            "env MYSQL_PWD=*** mysql",
        );
        hides(
            &["sh", "-c", "mysql -uroot -phunter2 -h db"],
            "sh -c mysql -uroot -p*** -h db",
        );
        hides(
            &["sh", "-c", "redis-cli -a hunter2 ping"],
            "sh -c redis-cli -a *** ping",
        );
    }

    #[test]
    fn p_and_a_stay_for_programs_where_they_are_no_password() {
        for line in [
            &["ssh", "-p", "2222", "-N", "-L", "5432:db:5432", "bastion"][..],
            &["python3", "-m", "http.server", "-b", "127.0.0.1", "8080"],
            &["iperf3", "-s", "-p", "5201"],
            &["socat", "-a", "x", "TCP-LISTEN:80"],
            &[
                "docker",
                "run",
                "--name",
                "mysql",
                "-p",
                "3306:3306",
                "mysql:8",
            ],
            &["memcached", "-p", "11211", "-a", "0766"],
        ] {
            assert_eq!(redacted(line), line.join(" "), "{line:?}");
        }
    }

    #[test]
    fn sees_its_own_listener() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let d = read();
        let me = d
            .sockets
            .iter()
            .find(|s| s.address == addr)
            .expect("own listener listed");
        assert_eq!(me.pid, Some(std::process::id() as i32));
        assert!(d.own_addresses.contains(&"127.0.0.1".parse().unwrap()));
    }
}
