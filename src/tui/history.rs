//! Recent targets for the prompt, one per line in the state directory. Only references and
//! redacted forms are stored (see `App::submit_prompt`), never a password. The file is
//! private (0600) and read or written only as connfix's own file, never through a link.

use super::components::prompt::HISTORY_LEN;
use crate::session::store::{self, Access};
use std::io::Read;
use std::path::PathBuf;

/// Far more than [`HISTORY_LEN`] targets take: a bigger file is not read past this.
const MAX_BYTES: u64 = 64 * 1024;

pub fn path() -> Option<PathBuf> {
    Some(crate::log::state_dir()?.join("recent-targets"))
}

pub fn load() -> Vec<String> {
    // A link or anything but connfix's own file there is not read (remember replaces it).
    let Some(file) = path().and_then(|p| store::open_own(&p, Access::Read).ok()) else {
        return Vec::new();
    };
    let mut bytes = Vec::new();
    if file.take(MAX_BYTES).read_to_end(&mut bytes).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HISTORY_LEN)
        .map(String::from)
        .collect()
}

/// Why the recent targets were not saved (they stay in memory; the log says why).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no home directory to keep recent targets in")]
    NoHome,
    #[error("could not save recent targets: {0}")]
    File(#[from] store::FileError),
}

/// Puts `target` first (once) and writes the list atomically.
pub fn remember(history: &mut Vec<String>, target: &str) -> Result<(), HistoryError> {
    history.retain(|h| h != target);
    history.insert(0, target.to_string());
    history.truncate(HISTORY_LEN);
    let path = path().ok_or(HistoryError::NoHome)?;
    // A temp file made with O_EXCL and renamed over: a link planted at either name is
    // never written through.
    Ok(store::write_atomic(
        &path,
        (history.join("\n") + "\n").as_bytes(),
    )?)
}
