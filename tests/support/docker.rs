//! A real Docker engine for the container tests: Debian's `dockerd`, started by the test on
//! a private socket, data root and exec root, inside a network namespace of its own (so its
//! bridge, its iptables chains, its FORWARD policy and ip_forward stay there), with an image
//! made locally by `docker import` of a busybox-static root filesystem (no registry is
//! reachable). Everything is removed on drop: containers, the daemon, its directories and
//! the namespace.

use super::Netns;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const IMAGE: &str = "cfx-busybox:test";
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Dockerd {
    pub ns: Netns,
    dir: tempfile::TempDir,
    child: Child,
}

/// Whether dockerd, the docker client and busybox-static are installed (fails under CI).
pub fn available() -> bool {
    super::require(
        super::can_netns(),
        "docker test",
        "needs root and permission to create network namespaces",
    ) && super::require(
        super::have("dockerd") && super::have("docker") && Path::new("/bin/busybox").exists(),
        "docker test",
        "needs dockerd and the docker client (Debian package docker.io) and /bin/busybox (busybox-static)",
    )
}

impl Dockerd {
    pub fn start() -> Dockerd {
        let ns = Netns::new();
        let dir = tempfile::Builder::new()
            .prefix("cfx-dockerd-")
            .tempdir()
            .expect("a directory for dockerd");
        let d = dir.path();
        // nsenter, not `ip netns exec`: the latter remounts /sys, hiding the cgroup
        // hierarchy dockerd needs.
        let child = Command::new("nsenter")
            .arg(format!("--net=/var/run/netns/{}", ns.name))
            .arg("dockerd")
            .arg(format!("--host=unix://{}", d.join("docker.sock").display()))
            .arg(format!("--data-root={}", d.join("data").display()))
            .arg(format!("--exec-root={}", d.join("exec").display()))
            .arg(format!("--pidfile={}", d.join("dockerd.pid").display()))
            .arg("--storage-driver=vfs")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("log")).expect("dockerd log"))
            .spawn()
            .expect("start dockerd");
        let dockerd = Dockerd { ns, dir, child };
        let deadline = Instant::now() + START_TIMEOUT;
        while !dockerd.docker(&["version"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "dockerd did not answer within {START_TIMEOUT:?}; its log:\n{}",
                dockerd.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        dockerd.import_busybox();
        dockerd
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("docker.sock")
    }

    pub fn host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// The docker client against this daemon.
    pub fn docker(&self, args: &[&str]) -> Output {
        Command::new("docker")
            .env("DOCKER_HOST", self.host())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run docker")
    }

    /// The docker client, which must succeed; its stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.docker(args);
        assert!(
            out.status.success(),
            "docker {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until `container` is in `state` (running, exited).
    pub fn wait_state(&self, container: &str, state: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let now = self.run(&["inspect", "--format", "{{.State.Status}}", container]);
            if now == state {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{container} stays {now}, not {state}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until something in `container`'s namespace listens on `port`.
    pub fn wait_listening(&self, container: &str, port: u16) {
        let pid = self.run(&["inspect", "--format", "{{.State.Pid}}", container]);
        let deadline = Instant::now() + Duration::from_secs(30);
        let hex = format!(":{port:04X} ");
        loop {
            let tcp = ["tcp", "tcp6"]
                .map(|t| {
                    std::fs::read_to_string(format!("/proc/{pid}/net/{t}")).unwrap_or_default()
                })
                .join("\n");
            if tcp
                .lines()
                .any(|l| l.contains(&hex) && l.split_whitespace().nth(3) == Some("0A"))
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "nothing listens on {port} in {container}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn import_busybox(&self) {
        let root = self.dir.path().join("rootfs");
        for d in ["bin", "etc", "tmp", "www"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::copy("/bin/busybox", root.join("bin/busybox")).expect("copy busybox");
        for applet in ["sh", "sleep", "httpd", "nc", "cat", "echo"] {
            std::os::unix::fs::symlink("busybox", root.join("bin").join(applet)).unwrap();
        }
        std::fs::write(root.join("www/index.html"), "ok\n").unwrap();
        let mut tar = Command::new("tar")
            .arg("-C")
            .arg(&root)
            .args(["-c", "."])
            .stdout(Stdio::piped())
            .spawn()
            .expect("tar");
        let out = Command::new("docker")
            .env("DOCKER_HOST", self.host())
            .args(["import", "-", IMAGE])
            .stdin(tar.stdout.take().expect("tar output"))
            .output()
            .expect("docker import");
        let _ = tar.wait();
        assert!(
            out.status.success(),
            "docker import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        let ids = self.docker(&["ps", "-aq"]);
        let ids = String::from_utf8_lossy(&ids.stdout).to_string();
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(ids);
            let _ = self.docker(&args);
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        // dockerd's own containerd, if it outlived it.
        let exec = self.dir.path().join("exec");
        let _ = Command::new("pkill")
            .args(["-f", &format!("containerd.*{}", exec.display())])
            .status();
        // Mounts dockerd may leave under its roots.
        let _ = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "grep -o ' {}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l",
                self.dir.path().display()
            ))
            .status();
    }
}
