//! Running nft and the iptables-save tools, bounded, and merging what they print.

use super::iptables::{SaveOutput, parse_save};
use super::model::{FirewallData, FirewallRule};
use super::nft::parse_nft_tables;
use super::parse::{TableRules, flatten};
use std::collections::HashSet;
use std::ffi::OsStr;
use std::future::poll_fn;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::process::Command;

/// Enough for tens of thousands of rules; a larger ruleset is cut rather than held whole.
pub(super) const MAX_OUTPUT: usize = 4 << 20;
/// Error messages and warnings are short; more than this is noise.
const MAX_STDERR: usize = 64 << 10;
pub(super) const NEEDS_ROOT: &str = "reading firewall rules needs root: run connfix with sudo";
/// Bit of CAP_NET_ADMIN in /proc/self/status `CapEff`.
const CAP_NET_ADMIN: u32 = 12;

/// Joins iptables-save outputs and nft's tables, skipping the nft tables an nf_tables-backed
/// iptables-save already printed (see the module docs).
pub(super) fn merge(
    saves: Vec<SaveOutput>,
    nft: Option<Vec<TableRules>>,
) -> (Vec<FirewallRule>, usize) {
    let managed: HashSet<(String, String)> = saves
        .iter()
        .filter(|s| s.nft_backed)
        .flat_map(|s| s.tables.iter().map(|t| (t.family.clone(), t.name.clone())))
        .collect();
    let nft_only = nft
        .into_iter()
        .flatten()
        .filter(|t| !managed.contains(&(t.family.clone(), t.name.clone())));
    flatten(saves.into_iter().flat_map(|s| s.tables).chain(nft_only))
}

/// What one command printed; `cut` when stdout passed [`MAX_OUTPUT`].
#[derive(Debug)]
pub(super) struct Output {
    pub(super) stdout: String,
    pub(super) stderr: String,
    pub(super) cut: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Failure {
    Missing(String),
    Denied(String),
    Other(String),
}

/// Reads the firewall rules of this host: `nft list ruleset`, `iptables-save` and
/// `ip6tables-save` at once, each bounded by `timeout`, merged as the module docs describe.
/// Never fails: a missing tool or a refusal is fine while another source works; when none
/// does, or without root, `readable` is false and `unreadable_reason` says what to do.
pub async fn read_rules(timeout: Duration) -> FirewallData {
    read_rules_with(&[], timeout).await
}

/// [`read_rules`] with every command run as `prefix... command`, so a test can read a
/// network namespace's rules through `ip netns exec NS`.
pub(super) async fn read_rules_with(prefix: &[&str], timeout: Duration) -> FirewallData {
    if !may_read_rules() {
        return FirewallData::unreadable(NEEDS_ROOT);
    }
    let deadline = Instant::now() + timeout;
    let (nft, v4, v6) = tokio::join!(
        run_tool(prefix, "nft", &["-a", "list", "ruleset"], timeout),
        run_tool(prefix, "iptables-save", &[], timeout),
        run_tool(prefix, "ip6tables-save", &[], timeout),
    );
    let (legacy4, legacy6) = tokio::join!(
        legacy_follow_up(prefix, &v4, "iptables-legacy-save", deadline),
        legacy_follow_up(prefix, &v6, "ip6tables-legacy-save", deadline),
    );

    let mut reading = Reading::default();
    reading.add_save("iptables-save", "iptables", v4);
    reading.add_save("ip6tables-save", "ip6tables", v6);
    if let Some(result) = legacy4 {
        reading.add_save("iptables-legacy-save", "iptables-legacy", result);
    }
    if let Some(result) = legacy6 {
        reading.add_save("ip6tables-legacy-save", "ip6tables-legacy", result);
    }
    reading.add_nft(nft);
    reading.finish()
}

/// iptables-nft warns when legacy tables exist too; those are only seen by the legacy tool.
/// It gets what is left until `deadline`, so the whole read stays within one timeout.
pub(super) async fn legacy_follow_up(
    prefix: &[&str],
    save: &Result<Output, Failure>,
    tool: &str,
    deadline: Instant,
) -> Option<Result<Output, Failure>> {
    let warned = save
        .as_ref()
        .is_ok_and(|out| out.stderr.contains("legacy tables present"));
    if warned {
        let left = deadline.saturating_duration_since(Instant::now());
        Some(run_tool(prefix, tool, &[], left).await)
    } else {
        None
    }
}

/// Collects what each command gave.
#[derive(Default)]
pub(super) struct Reading {
    pub(super) sources: Vec<String>,
    pub(super) failures: Vec<(String, Failure)>,
    pub(super) saves: Vec<SaveOutput>,
    pub(super) nft: Option<Vec<TableRules>>,
}

impl Reading {
    pub(super) fn add_save(&mut self, command: &str, tool: &str, result: Result<Output, Failure>) {
        if let Some(out) = self.note(command, result) {
            self.saves.push(parse_save(&out.stdout, tool));
        }
    }

    pub(super) fn add_nft(&mut self, result: Result<Output, Failure>) {
        if let Some(out) = self.note("nft list ruleset", result) {
            self.nft = Some(parse_nft_tables(&out.stdout));
        }
    }

    pub(super) fn note(
        &mut self,
        command: &str,
        result: Result<Output, Failure>,
    ) -> Option<Output> {
        match result {
            Ok(out) => {
                let cut = if out.cut {
                    format!(" (only its first {} MiB)", MAX_OUTPUT >> 20)
                } else {
                    String::new()
                };
                self.sources.push(format!("{command}{cut}"));
                Some(out)
            }
            Err(failure) => {
                self.failures.push((command.to_string(), failure));
                None
            }
        }
    }

    pub(super) fn finish(self) -> FirewallData {
        if self.sources.is_empty() {
            return FirewallData::unreadable(unreadable_reason(&self.failures));
        }
        let (rules, total_rules) = merge(self.saves, self.nft);
        FirewallData {
            readable: true,
            sources: self.sources,
            unreadable_reason: None,
            rules,
            total_rules,
        }
    }
}

pub(super) fn unreadable_reason(failures: &[(String, Failure)]) -> String {
    if failures
        .iter()
        .any(|(_, f)| matches!(f, Failure::Denied(_)))
    {
        return NEEDS_ROOT.to_string();
    }
    if failures
        .iter()
        .all(|(_, f)| matches!(f, Failure::Missing(_)))
    {
        return "neither nft nor iptables-save is installed, so the firewall rules could not \
                be read: install nftables (or iptables) and run connfix again"
            .to_string();
    }
    let details: Vec<String> = failures
        .iter()
        .map(|(command, f)| match f {
            Failure::Missing(msg) | Failure::Denied(msg) | Failure::Other(msg) => {
                format!("{command}: {msg}")
            }
        })
        .collect();
    format!(
        "the firewall rules could not be read ({}); run `sudo nft list ruleset` to see why",
        details.join("; ")
    )
}

/// Root, or a process granted CAP_NET_ADMIN, may list the rules. Read from /proc so the
/// module needs no libc; if /proc cannot tell, the tools will.
pub(super) fn may_read_rules() -> bool {
    let Some(uids) = crate::probe::self_status("Uid:") else {
        return true;
    };
    let net_admin = crate::probe::self_status("CapEff:")
        .and_then(|w| w.first().and_then(|hex| u64::from_str_radix(hex, 16).ok()))
        .is_some_and(|caps| caps & (1 << CAP_NET_ADMIN) != 0);
    uids.get(1).is_some_and(|id| id == "0") || net_admin
}

/// Runs `prefix... tool args...` bounded by `timeout`, keeping at most [`MAX_OUTPUT`] of
/// stdout. A cut output is still returned: what was read is real.
pub(super) async fn run_tool(
    prefix: &[&str],
    tool: &str,
    args: &[&str],
    timeout: Duration,
) -> Result<Output, Failure> {
    let program =
        find_program(tool).ok_or_else(|| Failure::Missing(format!("{tool} is not installed")))?;
    let mut argv: Vec<&OsStr> = prefix.iter().map(OsStr::new).collect();
    argv.push(program.as_os_str());
    argv.extend(args.iter().map(OsStr::new));
    let (first, rest) = argv
        .split_first()
        .ok_or_else(|| Failure::Missing(tool.to_string()))?;
    let mut command = Command::new(first);
    command
        .args(rest)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    match tokio::time::timeout(timeout, capture(command)).await {
        Err(_) => Err(Failure::Other(format!(
            "no answer within {:.1} s",
            timeout.as_secs_f64()
        ))),
        Ok(Err(e)) if e.kind() == io::ErrorKind::PermissionDenied => {
            Err(Failure::Denied(e.to_string()))
        }
        Ok(Err(e)) => Err(Failure::Other(e.to_string())),
        Ok(Ok((status, out))) if status.success() || out.cut => Ok(out),
        Ok(Ok((status, out))) => Err(command_failure(status, &out.stderr)),
    }
}

pub(super) async fn capture(mut command: Command) -> io::Result<(ExitStatus, Output)> {
    let mut child = command.spawn()?;
    let (stdout, stderr) = tokio::join!(
        read_capped(child.stdout.take(), MAX_OUTPUT),
        read_capped(child.stderr.take(), MAX_STDERR),
    );
    let cut = stdout.1;
    if cut {
        // It may still be writing; the rest is not wanted.
        let _ = child.start_kill();
    }
    let status = child.wait().await?;
    Ok((
        status,
        Output {
            stdout: String::from_utf8_lossy(&stdout.0).into_owned(),
            stderr: String::from_utf8_lossy(&stderr.0).into_owned(),
            cut,
        },
    ))
}

/// Reads until EOF or `cap` bytes, and tells whether there was more. Returning drops the
/// pipe, so a writer with more to say gets EPIPE instead of blocking.
pub(super) async fn read_capped<R: AsyncRead + Unpin>(
    reader: Option<R>,
    cap: usize,
) -> (Vec<u8>, bool) {
    let Some(mut reader) = reader else {
        return (Vec::new(), false);
    };
    let mut data = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let mut buf = ReadBuf::new(&mut chunk);
        let read = poll_fn(|cx| Pin::new(&mut reader).poll_read(cx, &mut buf)).await;
        let got = buf.filled();
        match read {
            Ok(()) if got.is_empty() => return (data, false),
            Ok(()) => {
                let room = cap - data.len();
                data.extend_from_slice(&got[..got.len().min(room)]);
                if got.len() > room {
                    return (data, true);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return (data, false),
        }
    }
}

pub(super) fn command_failure(status: ExitStatus, stderr: &str) -> Failure {
    let message = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("# Warning"))
        .map_or_else(|| format!("failed ({status})"), str::to_string);
    let lower = message.to_ascii_lowercase();
    if lower.contains("permission denied")
        || lower.contains("operation not permitted")
        || lower.contains("must be root")
    {
        Failure::Denied(message)
    } else {
        Failure::Other(message)
    }
}

/// The tools live in sbin, which an ordinary PATH (as under some sudo setups) lacks.
pub(super) fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

pub(super) fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
