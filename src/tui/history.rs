//! Recent targets for the prompt, one per line in the state directory. Only references and
//! redacted forms are stored (see `App::submit_prompt`), never a password.

use super::app::HISTORY_LEN;
use std::path::PathBuf;

pub fn path() -> Option<PathBuf> {
    Some(crate::log::state_dir()?.join("recent-targets"))
}

pub fn load() -> Vec<String> {
    let Some(text) = path().and_then(|p| std::fs::read_to_string(p).ok()) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HISTORY_LEN)
        .map(String::from)
        .collect()
}

/// Puts `target` first (once) and writes the list atomically.
pub fn remember(history: &mut Vec<String>, target: &str) -> Result<(), String> {
    history.retain(|h| h != target);
    history.insert(0, target.to_string());
    history.truncate(HISTORY_LEN);
    let Some(path) = path() else {
        return Err("no home directory to keep recent targets in".into());
    };
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, history.join("\n") + "\n")?;
        std::fs::rename(&tmp, &path)
    };
    write().map_err(|e| format!("could not save recent targets to {}: {e}", path.display()))
}
