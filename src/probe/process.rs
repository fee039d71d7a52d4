//! What connfix can learn about a listening process beyond its name: the user it runs as,
//! the systemd unit it runs in, and the configuration file that sets its listen address.
//! Used by the listeners probe for the processes that own sockets.

use std::path::{Path, PathBuf};

/// Servers whose listen address is set in a configuration file: the process names, the
/// setting, that setting with a value meaning "every address", and where the file usually
/// is when the command line does not say (first existing wins). Debian's paths first.
pub struct ServerKind {
    pub processes: &'static [&'static str],
    pub bind_setting: &'static str,
    pub bind_all: &'static str,
    pub config_paths: &'static [&'static str],
}

pub const SERVERS: &[ServerKind] = &[
    ServerKind {
        processes: &["postgres", "postmaster"],
        bind_setting: "listen_addresses",
        bind_all: "listen_addresses = '*'",
        config_paths: &[],
    },
    ServerKind {
        processes: &["redis-server", "valkey-server"],
        bind_setting: "bind",
        bind_all: "bind 0.0.0.0 ::",
        config_paths: &[
            "/etc/redis/redis.conf",
            "/etc/redis.conf",
            "/etc/valkey/valkey.conf",
        ],
    },
    ServerKind {
        processes: &["mysqld", "mariadbd"],
        bind_setting: "bind-address",
        bind_all: "bind-address = 0.0.0.0",
        config_paths: &[
            "/etc/mysql/mariadb.conf.d/50-server.cnf",
            "/etc/mysql/mysql.conf.d/mysqld.cnf",
            "/etc/mysql/my.cnf",
            "/etc/my.cnf",
        ],
    },
    ServerKind {
        processes: &["nginx"],
        bind_setting: "listen",
        bind_all: "listen 0.0.0.0:PORT",
        config_paths: &["/etc/nginx/nginx.conf"],
    },
    ServerKind {
        processes: &["sshd"],
        bind_setting: "ListenAddress",
        bind_all: "ListenAddress 0.0.0.0",
        config_paths: &["/etc/ssh/sshd_config"],
    },
    ServerKind {
        processes: &["pgbouncer"],
        bind_setting: "listen_addr",
        bind_all: "listen_addr = *",
        config_paths: &["/etc/pgbouncer/pgbouncer.ini"],
    },
];

/// The server kind a process name belongs to.
pub fn server_kind(process: &str) -> Option<&'static ServerKind> {
    SERVERS.iter().find(|k| k.processes.contains(&process))
}

/// Development servers that take their listen address as a command-line flag: the flag,
/// and the flag with every address.
pub fn dev_server_flag(process: &str, cmdline: &str) -> Option<(&'static str, &'static str)> {
    let words: Vec<&str> = cmdline.split_whitespace().collect();
    let has = |w: &str| words.iter().any(|x| x.ends_with(w));
    match process {
        _ if has("manage.py") => Some(("the runserver address", "runserver 0.0.0.0:PORT")),
        _ if has("flask") || has("uvicorn") || has("gunicorn") || has("vite") => {
            Some(("--host", "--host 0.0.0.0"))
        }
        "python" | "python3" if words.contains(&"http.server") => {
            Some(("--bind", "--bind 0.0.0.0"))
        }
        "node" | "npm" | "npx" => Some(("--host", "--host 0.0.0.0")),
        _ => None,
    }
}

/// The config file a command line names: `-c config_file=X` (postgres), `--defaults-file=X`
/// (mysqld), `-c X` (nginx), `-f X` (sshd), or a first argument ending in `.conf` (redis).
pub fn config_from_cmdline(process: &str, cmdline: &str) -> Option<String> {
    let words: Vec<&str> = cmdline.split_whitespace().collect();
    let after = |flag: &str| {
        words
            .iter()
            .position(|w| *w == flag)
            .and_then(|i| words.get(i + 1))
            .map(|s| s.to_string())
    };
    for w in &words {
        if let Some(v) = w.strip_prefix("config_file=") {
            return Some(v.to_string());
        }
        if let Some(v) = w.strip_prefix("--defaults-file=") {
            return Some(v.to_string());
        }
    }
    match process {
        "nginx" => after("-c"),
        "sshd" => after("-f"),
        "redis-server" | "valkey-server" => words
            .get(1)
            .filter(|w| w.ends_with(".conf"))
            .map(|s| s.to_string()),
        "pgbouncer" => words
            .iter()
            .skip(1)
            .find(|w| w.ends_with(".ini"))
            .map(|s| s.to_string()),
        _ => None,
    }
}

/// The systemd unit from `/proc/PID/cgroup` text: the last path component ending in
/// `.service`, as `systemctl status` takes it (cgroup v2 `0::/system.slice/x.service`, or
/// v1's `name=systemd` line).
pub fn unit_from_cgroup(text: &str) -> Option<String> {
    for line in text.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        if !(controllers.is_empty() || controllers == "name=systemd") {
            continue;
        }
        let unit = path
            .split('/')
            .rev()
            .find(|c| c.ends_with(".service") && !c.starts_with("user@"));
        if let Some(u) = unit {
            return Some(u.to_string());
        }
    }
    None
}

/// The user name for `uid` from passwd-format text.
pub fn user_from_passwd(text: &str, uid: u32) -> Option<String> {
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        let id: u32 = f.nth(1)?.parse().ok()?;
        (id == uid).then(|| name.to_string())
    })
}

/// What the listeners probe records about one owning process.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub user: Option<String>,
    pub unit: Option<String>,
    pub config: Option<String>,
    /// PostgreSQL's pg_hba.conf: named on the command line, or beside postgresql.conf.
    pub hba: Option<String>,
}

/// Server processes worth noticing when they run without listening (a server still
/// starting): the names the services table knows, as `comm` shows them.
pub const SERVER_NAMES: &[&str] = &[
    "postgres",
    "postmaster",
    "pgbouncer",
    "mysqld",
    "mariadbd",
    "redis-server",
    "valkey-server",
    "mongod",
    "mongos",
    "nginx",
    "httpd",
    "apache2",
    "caddy",
    "lighttpd",
    "haproxy",
    "envoy",
    "traefik",
    "sshd",
    "memcached",
    "exim4",
];

/// A running server process: its name, pid and how long it has run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Running {
    pub pid: i32,
    pub name: String,
    /// Seconds since it started.
    pub age_s: u64,
}

/// A listening unix socket held by a known server.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnixListener {
    pub path: String,
    pub pid: i32,
    pub process: String,
    /// Its configuration file, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// Listening unix sockets with a path, from `/proc/net/unix` text: (inode, path). A
/// listening socket has the __SO_ACCEPTCON flag (0x10000); abstract names (`@...`) are
/// left out, since no client types them.
pub fn parse_unix_listeners(text: &str) -> Vec<(u64, String)> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let flags = u32::from_str_radix(f.get(3)?, 16).ok()?;
            let inode: u64 = f.get(6)?.parse().ok()?;
            let path = f.get(7)?;
            (flags & 0x10000 != 0 && path.starts_with('/')).then(|| (inode, path.to_string()))
        })
        .collect()
}

/// Every process whose name is in [`SERVER_NAMES`] and that shares the network namespace
/// this thread looks from, oldest first. A server in another namespace (a container, `ip
/// netns`) has its sockets there, so from here it would look "running but not listening"
/// when it is not; the containers probe speaks for those. The namespace is the calling
/// thread's (`/proc/thread-self`): with `--from`, the probe's thread has joined another one
/// while the process as a whole has not. Best effort: processes that vanish or cannot be
/// read are left out. When another user's namespace cannot be read (without root), a
/// process in a deeper PID namespace than ours (a container's) is left out too.
pub fn running_servers() -> Vec<Running> {
    let ours = std::fs::read_link("/proc/thread-self/ns/net").ok();
    let our_depth = pid_ns_depth("/proc/thread-self/status");
    let uptime = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    let ticks = procfs::ticks_per_second().max(1) as f64;
    let Ok(all) = procfs::process::all_processes() else {
        return Vec::new();
    };
    let mut out: Vec<Running> = all
        .flatten()
        .filter_map(|p| {
            let stat = p.stat().ok()?;
            if !SERVER_NAMES.contains(&stat.comm.as_str()) {
                return None;
            }
            match std::fs::read_link(format!("/proc/{}/ns/net", stat.pid)) {
                Ok(theirs) if ours.as_ref().is_some_and(|o| *o != theirs) => return None,
                Ok(_) => {}
                Err(_) => {
                    let depth = pid_ns_depth(&format!("/proc/{}/status", stat.pid));
                    if matches!((depth, our_depth), (Some(d), Some(o)) if d > o) {
                        return None;
                    }
                }
            }
            Some(Running {
                pid: stat.pid,
                name: stat.comm.clone(),
                age_s: (uptime - stat.starttime as f64 / ticks).max(0.0) as u64,
            })
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.age_s));
    out
}

/// How many PID namespaces deep a process is: the number of ids on the `NSpid:` line of
/// its `status` file (readable for every process, unlike `ns/net`).
fn pid_ns_depth(status_path: &str) -> Option<usize> {
    nspid_depth(&std::fs::read_to_string(status_path).ok()?)
}

/// The `NSpid:` line's id count from `/proc/PID/status` text.
pub fn nspid_depth(status: &str) -> Option<usize> {
    let line = status.lines().find(|l| l.starts_with("NSpid:"))?;
    Some(line.split_whitespace().count() - 1)
}

/// Reads the details of `pid` (name and redacted command line already known). Each part
/// is best effort: a file that cannot be read leaves its part unknown.
pub fn details(pid: i32, uid: u32, process: &str, cmdline: &str, passwd: &str) -> Details {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let unit = std::fs::read_to_string(proc_dir.join("cgroup"))
        .ok()
        .and_then(|t| unit_from_cgroup(&t));
    let config = find_config(&proc_dir, process, cmdline);
    let hba = cmdline
        .split_whitespace()
        .find_map(|w| w.strip_prefix("hba_file=").map(str::to_string))
        .or_else(|| {
            let conf = config
                .as_deref()
                .filter(|c| c.ends_with("postgresql.conf"))?;
            let hba = Path::new(conf).with_file_name("pg_hba.conf");
            hba.is_file().then(|| hba.display().to_string())
        });
    Details {
        user: user_from_passwd(passwd, uid),
        unit,
        config,
        hba,
    }
}

fn find_config(proc_dir: &Path, process: &str, cmdline: &str) -> Option<String> {
    if let Some(c) = config_from_cmdline(process, cmdline) {
        return Some(c);
    }
    let kind = server_kind(process)?;
    if kind.processes.contains(&"postgres") {
        // The postmaster works in its data directory, where postgresql.conf lives unless
        // the command line named another file (handled above).
        let cwd = std::fs::read_link(proc_dir.join("cwd")).ok()?;
        let conf = cwd.join("postgresql.conf");
        return conf.is_file().then(|| conf.display().to_string());
    }
    kind.config_paths
        .iter()
        .find(|p| Path::new(p).is_file())
        .map(|p| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_namespace_depth_from_status() {
        let host = "Name:\tpostgres\nNSpid:\t4242\nNSpgid:\t4242\n";
        let container = "Name:\tpostgres\nNSpid:\t4242\t1\n";
        assert_eq!(nspid_depth(host), Some(1));
        assert_eq!(nspid_depth(container), Some(2));
        assert_eq!(nspid_depth("Name:\tx\n"), None);
    }

    #[test]
    fn units_from_cgroup_files() {
        assert_eq!(
            unit_from_cgroup("0::/system.slice/postgresql@15-main.service\n").as_deref(),
            Some("postgresql@15-main.service")
        );
        assert_eq!(
            unit_from_cgroup("12:pids:/x\n1:name=systemd:/system.slice/nginx.service\n").as_deref(),
            Some("nginx.service")
        );
        assert_eq!(
            unit_from_cgroup(
                "0::/user.slice/user-1000.slice/user@1000.service/app.slice/vite.service"
            )
            .as_deref(),
            Some("vite.service")
        );
        assert_eq!(
            unit_from_cgroup("0::/user.slice/user-1000.slice/session-2.scope"),
            None
        );
        assert_eq!(unit_from_cgroup("0::/\n"), None);
    }

    #[test]
    fn config_files_named_on_command_lines() {
        let pg = "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf";
        assert_eq!(
            config_from_cmdline("postgres", pg).as_deref(),
            Some("/etc/postgresql/15/main/postgresql.conf")
        );
        assert_eq!(
            config_from_cmdline(
                "mariadbd",
                "/usr/sbin/mariadbd --defaults-file=/tmp/t/my.cnf"
            )
            .as_deref(),
            Some("/tmp/t/my.cnf")
        );
        assert_eq!(
            config_from_cmdline("nginx", "nginx: master process nginx -c /tmp/n.conf").as_deref(),
            Some("/tmp/n.conf")
        );
        assert_eq!(
            config_from_cmdline("redis-server", "redis-server /etc/redis/r.conf").as_deref(),
            Some("/etc/redis/r.conf")
        );
        assert_eq!(
            config_from_cmdline("python3", "python3 -m http.server"),
            None
        );
    }

    #[test]
    fn listening_unix_sockets() {
        let t = "Num       RefCount Protocol Flags    Type St Inode Path\n\
0000000024d8c5b9: 00000002 00000000 00010000 0001 01 31515 /run/postgresql/.s.PGSQL.5432\n\
0000000019fdc8ee: 00000003 00000000 00000000 0001 03  1061 /run/x.sock\n\
0000000019fdc8ef: 00000002 00000000 00010000 0001 01  1062 @abstract\n";
        assert_eq!(
            parse_unix_listeners(t),
            vec![(31515, "/run/postgresql/.s.PGSQL.5432".to_string())]
        );
    }

    #[test]
    fn users_from_passwd() {
        let p =
            "root:x:0:0:root:/root:/bin/bash\npostgres:x:106:112::/var/lib/postgresql:/bin/bash\n";
        assert_eq!(user_from_passwd(p, 106).as_deref(), Some("postgres"));
        assert_eq!(user_from_passwd(p, 7), None);
    }
}
