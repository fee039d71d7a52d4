//! `connfix report list | show | export`: reading saved sessions back.

use super::CliError;
use crate::session::store::{self, Store};
use crate::session::{SessionRecord, html, markdown};
use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// List saved sessions, newest first (unreadable files are listed with the reason).
    List,
    /// Print a session as a Markdown report (ID, `last`, the start of an ID, or a file path).
    Show { id: String },
    /// Write a session as Markdown, JSON or HTML, to stdout or to -o FILE.
    Export {
        id: String,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Write here instead of to stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Md,
    Json,
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
            Format::Html => "html",
        }
    }
}

/// One report of a session in `format`.
pub fn render(rec: &SessionRecord, format: Format) -> String {
    match format {
        Format::Md => markdown::render(rec),
        Format::Html => html::render(rec),
        Format::Json => {
            crate::sanitize::json(
                serde_json::to_string_pretty(rec)
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
            ) + "\n"
        }
    }
}

pub fn run(action: &ReportAction, json: bool) -> Result<i32, CliError> {
    let store = Store::open_default()?;
    match action {
        ReportAction::List => list(&store, json),
        ReportAction::Show { id } => {
            let rec = load(&store, Some(id))?;
            let format = if json { Format::Json } else { Format::Md };
            crate::out!("{}", render(&rec, format));
            Ok(0)
        }
        ReportAction::Export { id, format, output } => {
            let rec = load(&store, Some(id))?;
            let text = render(&rec, *format);
            match output {
                None => {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(text.as_bytes());
                }
                Some(path) => {
                    store::write_atomic(path, text.as_bytes()).map_err(|e| {
                        CliError::Usage(format!(
                            "cannot write {}: {e}; choose another -o FILE",
                            path.display()
                        ))
                    })?;
                    eprintln!("connfix: wrote {}", path.display());
                }
            }
            Ok(0)
        }
    }
}

/// Loads a session named on the command line, with a message that says what is wrong.
pub fn load(store: &Store, arg: Option<&str>) -> Result<SessionRecord, CliError> {
    let path = store.locate(arg)?;
    load_path(&path)
}

pub fn load_path(path: &Path) -> Result<SessionRecord, CliError> {
    store::read_record(path).map_err(|e| {
        CliError::Usage(format!(
            "cannot open session {}: {e}; connfix leaves the file as it is",
            path.display()
        ))
    })
}

fn list(store: &Store, json: bool) -> Result<i32, CliError> {
    let all = store.list()?;
    if json {
        let rows: Vec<_> = all
            .iter()
            .map(|l| match &l.record {
                Ok(r) => serde_json::json!({
                    "id": l.id, "path": l.path, "kind": r.kind, "started_at": r.started_at,
                    "updated_at": r.updated_at, "ended_at": r.ended_at,
                    "subject": r.subject(), "outcome": r.outcome(), "notes": r.notes.len(),
                }),
                Err(e) => serde_json::json!({"id": l.id, "path": l.path, "error": e.to_string()}),
            })
            .collect();
        crate::outln!("{}", serde_json::Value::Array(rows));
        return Ok(0);
    }
    if all.is_empty() {
        crate::outln!(
            "No saved sessions yet in {}.\nThe TUI saves each session as you go; `connfix check TARGET --save` saves a check.",
            store.sessions_dir().display()
        );
        return Ok(0);
    }
    crate::outln!(
        "{:<22}  {:<10}  {:<17}  {:<40}  OUTCOME",
        "ID",
        "KIND",
        "STARTED (UTC)",
        "TARGET / CHECKLIST"
    );
    for l in &all {
        match &l.record {
            Ok(r) => {
                let kind = match r.kind {
                    crate::session::SessionKind::Diagnosis => "diagnosis",
                    crate::session::SessionKind::Checklist => "checklist",
                };
                let open = if r.ended_at.is_none() {
                    " (open or interrupted)"
                } else {
                    ""
                };
                crate::outln!(
                    "{:<22}  {:<10}  {:<17}  {:<40}  {}{open}",
                    l.id,
                    kind,
                    short_time(&r.started_at),
                    crate::tui::view::text::ellipsis(&r.subject(), 40),
                    r.outcome()
                );
            }
            Err(e) => crate::outln!("{:<22}  unreadable: {e}", l.id),
        }
    }
    crate::outln!(
        "\n{} session(s) in {}. `connfix report show ID` prints one; `connfix resume ID` reopens it.",
        all.len(),
        store.sessions_dir().display()
    );
    Ok(0)
}

/// `2026-11-21T14:30:05.123Z` → `2026-11-21 14:30`.
fn short_time(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
}

/// Why `check --save` kept nothing.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    NoPlace(#[from] crate::session::store::NoHome),
    #[error(transparent)]
    File(#[from] crate::session::store::FileError),
}

/// `connfix check --save`: stores a finished check as a session and says where.
pub fn save_check(rec: &SessionRecord) -> Result<(), SaveError> {
    let store = Store::open_default()?;
    let path = store.save(rec)?;
    eprintln!(
        "connfix: saved as session {} ({}); `connfix report show {}` prints it",
        rec.id,
        path.display(),
        rec.id
    );
    Ok(())
}
