//! `connfix kb ...`: listing, showing and validating the knowledge files.

use super::{CliError, usage};
use crate::knowledge::{self, Knowledge};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum KbAction {
    /// List the causes connfix knows, with where each comes from.
    List,
    /// Validate a knowledge directory; without one, everything connfix loads (bundled and
    /// the user's files). Errors point at file:line.
    Check { dir: Option<PathBuf> },
    /// Show one cause in full: what happens, how to confirm, how to fix, code.
    Show { id: String },
    /// List the facts that knowledge files may use in when/unless.
    Facts,
    /// List the values knowledge files may write as {{placeholders}}, with what shows when
    /// a diagnosis did not observe one.
    Values,
}

/// `connfix kb ...`: returns the exit code.
pub fn run(action: &KbAction, kb: &Knowledge, json: bool) -> Result<i32, CliError> {
    match action {
        KbAction::List => {
            if json {
                let rows: Vec<_> = kb
                    .causes
                    .iter()
                    .map(|c| serde_json::json!({"id": c.id, "title": c.title, "severity": c.severity, "source": c.source}))
                    .collect();
                crate::outln!("{}", serde_json::Value::Array(rows));
            } else {
                for c in &kb.causes {
                    crate::outln!("{:<36} {}", c.id, c.title);
                }
                crate::outln!(
                    "\n{} causes, {} questions in the tree, {} services, {} checklists (`connfix checklist --list`),\n{} error signatures from {} ecosystems (`connfix explain`)",
                    kb.causes.len(),
                    kb.tree.nodes.len(),
                    kb.services.list.len(),
                    kb.checklists.len(),
                    kb.errors.signatures.len(),
                    kb.errors.ecosystems.len()
                );
                if let Some(d) = knowledge::user_dir() {
                    crate::outln!(
                        "Your own files go in {} (same layout as assets/knowledge).",
                        d.display()
                    );
                }
            }
            Ok(0)
        }
        KbAction::Check { dir: None } => {
            let (read, errors) = knowledge::check_loaded();
            if json {
                crate::outln!("{}", serde_json::json!({"read": read, "errors": errors}));
            } else {
                for r in &read {
                    crate::outln!("read: {r}");
                }
                for e in &errors {
                    crate::outln!("{e}");
                }
                if errors.is_empty() {
                    crate::outln!("ok");
                } else {
                    crate::outln!("{} error(s)", errors.len());
                }
            }
            Ok(if errors.is_empty() { 0 } else { 1 })
        }
        KbAction::Check { dir: Some(dir) } => {
            let dir = dir.clone();
            if !dir.is_dir() {
                return usage(format!(
                    "{} is not a directory; pass a knowledge directory, e.g. connfix kb check assets/knowledge",
                    dir.display()
                ));
            }
            let errors = knowledge::check_dir(&dir);
            if json {
                crate::outln!("{}", serde_json::json!({"dir": dir, "errors": errors}));
            } else if errors.is_empty() {
                crate::outln!("{}: ok", dir.display());
            } else {
                for e in &errors {
                    crate::outln!("{e}");
                }
                crate::outln!("{} error(s)", errors.len());
            }
            Ok(if errors.is_empty() { 0 } else { 1 })
        }
        KbAction::Show { id } => match kb.cause(id) {
            Some(c) if json => {
                crate::outln!(
                    "{}",
                    crate::sanitize::json(serde_json::to_string_pretty(c).unwrap_or_default())
                );
                Ok(0)
            }
            Some(c) => {
                crate::out!("{}", crate::render::doctor::render_cause(c));
                Ok(0)
            }
            None => usage(format!("no cause '{id}'; `connfix kb list` shows them all")),
        },
        KbAction::Facts => {
            for (name, meaning) in crate::vocabulary::facts::FACTS {
                crate::outln!("{name:<28} {meaning}");
            }
            Ok(0)
        }
        KbAction::Values => {
            if json {
                let rows: Vec<_> = (crate::vocabulary::values::VALUES.iter())
                    .map(|(n, m, u)| serde_json::json!({"name": n, "meaning": m, "unknown": u}))
                    .collect();
                crate::outln!("{}", serde_json::Value::Array(rows));
                return Ok(0);
            }
            for (name, meaning, unknown) in crate::vocabulary::values::VALUES {
                let name = format!("{{{{{name}}}}}");
                crate::outln!("{name:<28} {meaning} (unknown: {unknown})");
            }
            Ok(0)
        }
    }
}
