//! A small append-only log file. The TUI owns the screen, so what it has to say for later
//! (probe timings, answers, errors, panics in background tasks) goes here instead.
//!
//! The log holds targets, hostnames and DNS answers, so it is private (0600, in a 0700
//! directory), and it is never appended to through a symbolic link.

use crate::session::store::{self, Access, FileError};
use std::fs::File;
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
    store::state_root()
}

/// Where logs go by default.
pub fn default_path() -> Option<PathBuf> {
    Some(state_dir()?.join("connfix.log"))
}

/// The log file could not be opened; connfix runs on without a log.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot open the log file: {0}; connfix runs on without a log (--log-file PATH picks another)"
)]
pub struct LogError(#[from] FileError);

/// Opens (creating its directory) the log at `path`; afterwards [`line`] appends to it.
pub fn open(path: &Path) -> Result<(), LogError> {
    let file = open_file(path)?;
    if let Ok(mut log) = LOG.lock() {
        *log = Some(file);
    }
    Ok(())
}

/// The log file at `path`, ready to append to: its directory made (0700 when it is
/// connfix's state directory), a log past [`ROTATE_AT`] moved to `connfix.log.1`, and the
/// file opened as connfix's own (see [`store::open_own`]: no symbolic link, mode 0600).
pub fn open_file(path: &Path) -> Result<File, FileError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        store::private_dir(dir)?;
    }
    let file = store::open_own(path, Access::Append)?;
    if file.metadata().is_ok_and(|m| m.len() > ROTATE_AT) {
        // The file just checked (and made 0600) becomes the old log; rename does not
        // follow a link planted at the new name, it replaces it.
        drop(file);
        let _ = std::fs::rename(path, path.with_extension("log.1"));
        return store::open_own(path, Access::Append);
    }
    Ok(file)
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
