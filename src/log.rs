//! A small append-only log file. The TUI owns the screen, so what it has to say for later
//! (probe timings, answers, errors, panics in background tasks) goes here instead.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

static LOG: Mutex<Option<File>> = Mutex::new(None);
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Notes when the process started, for the start-up figures in the log.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// Milliseconds since [`mark_start`] (0 when it was never called).
pub fn ms_since_start() -> f64 {
    STARTED
        .get()
        .map(|t| t.elapsed().as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Past this size the old log is moved to `connfix.log.1` when a new one is opened.
const ROTATE_AT: u64 = 1024 * 1024;

/// connfix's state directory (`~/.local/state/connfix`), or the cache directory where the
/// platform has no state directory: the log and the recent targets live here.
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "connfix")?;
    Some(dirs.state_dir().unwrap_or(dirs.cache_dir()).to_path_buf())
}

/// Where logs go by default.
pub fn default_path() -> Option<PathBuf> {
    Some(state_dir()?.join("connfix.log"))
}

/// Opens (creating its directory) the log at `path`; afterwards [`line`] appends to it.
pub fn open(path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the log directory {}: {e}", dir.display()))?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > ROTATE_AT) {
        let _ = std::fs::rename(path, path.with_extension("log.1"));
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
    if let Ok(mut log) = LOG.lock() {
        *log = Some(file);
    }
    Ok(())
}

/// Appends one timestamped line; does nothing when no log is open.
pub fn line(text: &str) {
    if let Ok(mut log) = LOG.lock()
        && let Some(f) = log.as_mut()
    {
        let now = humantime::format_rfc3339_millis(std::time::SystemTime::now());
        let _ = writeln!(f, "{now} [{}] {text}", std::process::id());
    }
}
