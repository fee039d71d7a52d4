//! Where connfix runs: a container (where `localhost` is the container, not the host), a
//! Kubernetes pod, or WSL. Decided from files any process can read.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use serde::{Deserialize, Serialize};
use std::time::Instant;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvData {
    pub container: bool,
    /// docker, podman, kubernetes, lxc, ... when known.
    pub runtime: Option<String>,
    pub kubernetes: bool,
    pub wsl: bool,
    /// What was seen, one line each, including signals that were weighed and set aside.
    pub evidence: Vec<String>,
}

/// The inputs, gathered by `run` and judged by `judge` (pure).
#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub dockerenv: bool,
    pub containerenv: bool,
    pub cgroup: String,
    /// The filesystem type of `/`, from /proc/self/mountinfo.
    pub root_fs: Option<String>,
    pub container_var: Option<String>,
    pub kubernetes_host: bool,
    pub osrelease: String,
    pub wsl_var: bool,
}

pub async fn run(vantage: Option<std::sync::Arc<super::vantage::Vantage>>) -> ProbeReport {
    let start = Instant::now();
    if let Some(v) = vantage.filter(|v| v.pid.is_some()) {
        return from_process(&v, start).await;
    }
    let read =
        |p: &'static str| async move { tokio::fs::read_to_string(p).await.unwrap_or_default() };
    let (cgroup, mountinfo, osrelease) = tokio::join!(
        read("/proc/1/cgroup"),
        read("/proc/self/mountinfo"),
        read("/proc/sys/kernel/osrelease")
    );
    let signals = Signals {
        dockerenv: tokio::fs::try_exists("/.dockerenv").await.unwrap_or(false),
        containerenv: tokio::fs::try_exists("/run/.containerenv")
            .await
            .unwrap_or(false),
        cgroup,
        root_fs: root_fs_type(&mountinfo),
        container_var: std::env::var("container").ok(),
        kubernetes_host: std::env::var_os("KUBERNETES_SERVICE_HOST").is_some(),
        osrelease,
        wsl_var: std::env::var_os("WSL_DISTRO_NAME").is_some(),
    };
    let data = judge(&signals);
    let summary = match (&data.runtime, data.container, data.wsl) {
        (Some(r), true, _) => {
            format!("inside a container ({r}): localhost here is the container itself")
        }
        (None, true, _) => "inside a container: localhost here is the container itself".to_string(),
        (_, false, true) => {
            "inside WSL: Windows and Linux have separate localhosts in some setups".to_string()
        }
        _ => "not in a container".to_string(),
    };
    ProbeReport {
        id: ProbeId::Environment,
        status: Status::Ok,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Environment(data),
    }
}

/// Where the vantage point's process runs: the same files, read through /proc/PID.
async fn from_process(v: &super::vantage::Vantage, start: Instant) -> ProbeReport {
    let pid = v.pid.unwrap_or(1);
    let read = |p: String| async move { tokio::fs::read_to_string(p).await.unwrap_or_default() };
    let (cgroup, mountinfo, osrelease) = tokio::join!(
        read(format!("/proc/{pid}/cgroup")),
        read(format!("/proc/{pid}/mountinfo")),
        read("/proc/sys/kernel/osrelease".to_string())
    );
    let env = v.environ().unwrap_or_default();
    let var = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let signals = Signals {
        dockerenv: v.file("/.dockerenv").exists(),
        containerenv: v.file("/run/.containerenv").exists(),
        cgroup,
        root_fs: root_fs_type(&mountinfo),
        container_var: var("container"),
        kubernetes_host: var("KUBERNETES_SERVICE_HOST").is_some(),
        osrelease,
        wsl_var: var("WSL_DISTRO_NAME").is_some(),
    };
    let mut data = judge(&signals);
    if v.kind == "container" {
        // The engine said so: no need to guess from files.
        data.container = true;
        data.runtime.get_or_insert_with(|| "docker".to_string());
        data.evidence
            .insert(0, format!("connfix looks from {}", v.label));
    }
    let summary = if data.container {
        format!(
            "{} is a container: localhost there is the container itself",
            v.label
        )
    } else {
        format!("{} is not in a container", v.label)
    };
    ProbeReport {
        id: ProbeId::Environment,
        status: Status::Ok,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Environment(data),
    }
}

fn root_fs_type(mountinfo: &str) -> Option<String> {
    mountinfo.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        let mount_point = left.split_whitespace().nth(4)?;
        (mount_point == "/").then(|| right.split_whitespace().next().unwrap_or("").to_string())
    })
}

pub fn judge(s: &Signals) -> EnvData {
    let mut d = EnvData::default();
    let cg = s.cgroup.to_ascii_lowercase();
    let cgroup_runtime = ["kubepods", "docker", "libpod", "containerd", "lxc", "crio"]
        .into_iter()
        .find(|k| cg.contains(k));
    if let Some(k) = cgroup_runtime {
        d.container = true;
        d.runtime = Some(
            if k == "kubepods" {
                "kubernetes"
            } else if k == "libpod" {
                "podman"
            } else {
                k
            }
            .to_string(),
        );
        d.evidence.push(format!("/proc/1/cgroup names {k}"));
    }
    if s.containerenv {
        d.container = true;
        d.runtime.get_or_insert_with(|| "podman".into());
        d.evidence.push("/run/.containerenv exists (podman)".into());
    }
    if let Some(v) = &s.container_var {
        d.container = true;
        d.runtime.get_or_insert_with(|| v.clone());
        d.evidence
            .push(format!("the environment variable container={v}"));
    }
    if s.dockerenv {
        // Docker creates /.dockerenv, but images built from containers keep it, so it only
        // counts where the root filesystem is one a container engine would mount.
        let fs = s.root_fs.as_deref().unwrap_or("unknown");
        if matches!(
            fs,
            "overlay" | "aufs" | "fuse-overlayfs" | "btrfs" | "zfs" | "xfs" | "unknown"
        ) {
            d.container = true;
            d.runtime.get_or_insert_with(|| "docker".into());
            d.evidence.push(format!("/.dockerenv exists and / is {fs}"));
        } else {
            d.evidence.push(format!("/.dockerenv exists, but / is {fs} on a block device: a virtual machine built from a container image, not a container"));
        }
    }
    if s.kubernetes_host {
        d.kubernetes = true;
        d.container = true;
        d.runtime = Some("kubernetes".into());
        d.evidence
            .push("KUBERNETES_SERVICE_HOST is set (a Kubernetes pod)".into());
    }
    if s.osrelease.to_ascii_lowercase().contains("microsoft") || s.wsl_var {
        d.wsl = true;
        d.evidence.push("the kernel or environment says WSL".into());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_and_vm_images_are_told_apart() {
        let docker = Signals {
            dockerenv: true,
            root_fs: Some("overlay".into()),
            cgroup: "0::/".into(),
            ..Default::default()
        };
        assert!(judge(&docker).container);
        let vm = Signals {
            dockerenv: true,
            root_fs: Some("ext4".into()),
            cgroup: "0::/".into(),
            ..Default::default()
        };
        let d = judge(&vm);
        assert!(!d.container);
        assert!(d.evidence[0].contains("virtual machine"));
        let k8s = Signals {
            cgroup: "0::/kubepods/besteffort/pod1".into(),
            kubernetes_host: true,
            ..Default::default()
        };
        assert_eq!(judge(&k8s).runtime.as_deref(), Some("kubernetes"));
        let wsl = Signals {
            osrelease: "5.15.90.1-microsoft-standard-WSL2".into(),
            ..Default::default()
        };
        assert!(judge(&wsl).wsl);
    }

    #[test]
    fn root_fs_from_mountinfo() {
        let m = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n30 27 0:5 / /dev rw - devtmpfs dev rw\n";
        assert_eq!(root_fs_type(m).as_deref(), Some("ext4"));
    }
}
