//! What the TUI records as it goes, so it can be saved at every change and resumed: the
//! session's id, every probe run, every answer, the notes, and where saving goes.

use crate::session::{
    AnswerRecord, DiagnosisRecord, Note, ProbeRun, SavedSettings, SessionKind, SessionRecord,
    ViewPrefs,
};
use std::path::PathBuf;
use std::time::SystemTime;

#[derive(Debug)]
pub struct Journal {
    pub id: String,
    pub kind: SessionKind,
    pub started_at: String,
    /// The same moment as a clock reading, for the elapsed-time display.
    pub started: SystemTime,
    pub settings: SavedSettings,
    pub probe_runs: Vec<ProbeRun>,
    pub answers: Vec<AnswerRecord>,
    pub notes: Vec<Note>,
    /// Something changed since the last save.
    pub unsaved: bool,
    /// Set when the person closes the TUI normally.
    pub ended_at: Option<String>,
    /// Where the session is saved: the data directory's file, unless the person chose
    /// another directory after a failure (then `DIR/connfix-ID.json`).
    pub file: Option<PathBuf>,
    /// The person picked this directory for saving instead of the data directory.
    pub alt_dir: Option<PathBuf>,
    /// Why the last save failed; cleared by the next one that works.
    pub save_error: Option<String>,
    /// The last complete diagnosis, kept while a re-run is under way.
    pub diagnosis: Option<DiagnosisRecord>,
    /// How the TUI shows the session (kept for `connfix resume`).
    pub view: ViewPrefs,
}

impl Journal {
    pub fn new(
        id: String,
        kind: SessionKind,
        started_at: String,
        settings: SavedSettings,
    ) -> Journal {
        let started = humantime::parse_rfc3339(&started_at).unwrap_or_else(|_| SystemTime::now());
        Journal {
            id,
            kind,
            started_at,
            started,
            settings,
            probe_runs: Vec::new(),
            answers: Vec::new(),
            notes: Vec::new(),
            unsaved: true,
            ended_at: None,
            file: None,
            alt_dir: None,
            save_error: None,
            diagnosis: None,
            view: ViewPrefs::default(),
        }
    }

    /// Picks up a saved session where it stopped.
    pub fn resume(rec: &SessionRecord, file: PathBuf) -> Journal {
        let mut j = Journal::new(
            rec.id.clone(),
            rec.kind,
            rec.started_at.clone(),
            rec.settings.clone(),
        );
        j.probe_runs = rec.probe_runs.clone();
        j.answers = rec.answers.clone();
        j.notes = rec.notes.clone();
        j.diagnosis = rec.diagnosis.clone();
        j.view = rec.view;
        j.file = Some(file);
        // Saving again marks it as open, until it is closed normally.
        j.unsaved = true;
        j
    }

    /// The record as of now, without the parts the app fills in (target, diagnosis,
    /// checklist).
    pub fn record(&self, now: String) -> SessionRecord {
        let mut r = SessionRecord::new(self.id.clone(), self.kind, self.started_at.clone());
        r.updated_at = now;
        r.ended_at = self.ended_at.clone();
        r.settings = self.settings.clone();
        r.probe_runs = self.probe_runs.clone();
        r.answers = self.answers.clone();
        r.notes = self.notes.clone();
        r.diagnosis = self.diagnosis.clone();
        r.view = self.view;
        r
    }

    /// Whole seconds since the session started (0 when the clock went backwards).
    pub fn elapsed_secs(&self, now: SystemTime) -> u64 {
        now.duration_since(self.started)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// `3725` → `1:02:05`; under an hour `12:05`.
pub fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_reads_like_a_stopwatch() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(65), "01:05");
        assert_eq!(clock(3725), "1:02:05");
        assert_eq!(clock(36_000), "10:00:00");
    }
}
