//! A session record: everything one debugging session or checklist run saw and did, as it
//! is saved (autosave, `check --save`), resumed (`connfix resume`) and exported
//! (`connfix report export`). The JSON shape is public: see README, "Session files".

mod doc;
pub mod html;
pub mod markdown;
mod sections;
pub mod store;
mod times;

use crate::check::CheckReport;
use crate::checklist::{ChecklistRun, SetBy};
use crate::diagnose::Fact;
use crate::diagnose::engine::{Question, RankedCause, Step, Verdict};
use crate::probe::{ProbeData, ProbeId, ProbeReport, Settings, Status};
use crate::target::Target;
use serde::{Deserialize, Serialize};

/// The version of the session file format. Raised on any change an older connfix could
/// misread; files with another version are refused with a message, never rewritten.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A diagnosis of one target (`connfix TARGET`, `connfix check --save`).
    Diagnosis,
    /// An incident checklist run (`connfix checklist NAME`).
    Checklist,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    pub schema_version: u32,
    pub id: String,
    pub kind: SessionKind,
    /// The connfix that wrote it.
    pub connfix_version: String,
    pub started_at: String,
    pub updated_at: String,
    /// Set when the session was closed normally; absent after a crash or `kill -9`.
    pub ended_at: Option<String>,
    /// Redacted: a password never reaches this struct.
    pub target: Option<Target>,
    pub settings: SavedSettings,
    /// Every probe run that finished, oldest first (a re-run adds a new entry).
    pub probe_runs: Vec<ProbeRun>,
    /// Every answer the person gave or took back, oldest first.
    pub answers: Vec<AnswerRecord>,
    pub notes: Vec<Note>,
    /// The diagnosis as last shown.
    pub diagnosis: Option<DiagnosisRecord>,
    pub checklist: Option<ChecklistRun>,
    /// How the TUI showed it, so `connfix resume` shows it the same way.
    #[serde(default, skip_serializing_if = "ViewPrefs::is_default")]
    pub view: ViewPrefs,
}

/// The TUI's display choices kept with a session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewPrefs {
    /// The decision tree lists the questions that do not apply (hidden by default).
    #[serde(default)]
    pub show_na: bool,
}

impl ViewPrefs {
    fn is_default(&self) -> bool {
        *self == ViewPrefs::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSettings {
    pub timeout_ms: u64,
    pub dns_server: Option<String>,
    pub public: bool,
}

impl SavedSettings {
    pub fn from_settings(s: &Settings, public: bool) -> SavedSettings {
        SavedSettings {
            timeout_ms: s.timeout.as_millis() as u64,
            dns_server: s.dns_server.map(|a| a.to_string()),
            public,
        }
    }

    /// Back to probe settings; a value that no longer parses falls back to the default.
    pub fn to_settings(&self) -> Settings {
        let mut s = Settings::default();
        if (10..=600_000).contains(&self.timeout_ms) {
            s.timeout = std::time::Duration::from_millis(self.timeout_ms);
        }
        s.dns_server = self.dns_server.as_deref().and_then(|d| d.parse().ok());
        s
    }
}

/// One finished probe run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeRun {
    /// Runs started together share a number (R re-runs everything as a new run).
    pub run: u64,
    pub probe: ProbeId,
    pub finished_at: String,
    pub elapsed_ms: f64,
    pub status: Status,
    pub summary: String,
    pub facts: Vec<Fact>,
    /// What the probe observed, in the same shape as `check --json`'s `probes[].data`.
    pub data: serde_json::Value,
}

/// A saved probe result that no longer reads as its probe's data.
#[derive(Debug, thiserror::Error)]
#[error("the saved result of the {probe} probe is damaged ({source})")]
pub struct DamagedRun {
    probe: &'static str,
    source: serde_json::Error,
}

impl ProbeRun {
    pub fn new(run: u64, report: &ProbeReport, facts: Vec<Fact>, at: String) -> ProbeRun {
        ProbeRun {
            run,
            probe: report.id,
            finished_at: at,
            elapsed_ms: report.elapsed_ms,
            status: report.status,
            summary: report.summary.clone(),
            facts,
            data: serde_json::to_value(&report.data).unwrap_or(serde_json::Value::Null),
        }
    }

    pub fn report(&self) -> Result<ProbeReport, DamagedRun> {
        let data =
            ProbeData::from_json(self.probe, self.data.clone()).map_err(|source| DamagedRun {
                probe: self.probe.as_str(),
                source,
            })?;
        Ok(ProbeReport {
            id: self.probe,
            status: self.status,
            summary: self.summary.clone(),
            elapsed_ms: self.elapsed_ms,
            data,
        })
    }
}

/// What the person said to a question only they can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Said {
    Yes,
    No,
    /// "I don't know": set aside.
    Skip,
    /// An earlier answer taken back.
    Withdrawn,
}

impl Said {
    pub fn as_str(self) -> &'static str {
        match self {
            Said::Yes => "yes",
            Said::No => "no",
            Said::Skip => "skip",
            Said::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub at: String,
    /// The question's key (`--answer KEY=...`).
    pub key: String,
    pub question: String,
    pub said: Said,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at: String,
    pub text: String,
    /// The tree node or checklist step selected when it was written.
    pub about: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosisRecord {
    pub verdict: Verdict,
    pub causes: Vec<RankedCause>,
    pub path: Vec<Step>,
    pub questions: Vec<Question>,
}

impl DiagnosisRecord {
    pub fn from_report(r: &CheckReport) -> DiagnosisRecord {
        DiagnosisRecord {
            verdict: r.verdict.clone(),
            causes: r.causes.clone(),
            path: r.path.clone(),
            questions: r.questions.clone(),
        }
    }
}

impl SessionRecord {
    pub fn new(id: String, kind: SessionKind, started_at: String) -> SessionRecord {
        SessionRecord {
            schema_version: SCHEMA_VERSION,
            id,
            kind,
            connfix_version: env!("CARGO_PKG_VERSION").to_string(),
            updated_at: started_at.clone(),
            started_at,
            ended_at: None,
            target: None,
            settings: SavedSettings::default(),
            probe_runs: Vec::new(),
            answers: Vec::new(),
            notes: Vec::new(),
            diagnosis: None,
            checklist: None,
            view: ViewPrefs::default(),
        }
    }

    /// A finished `connfix check` as a session of its own (`check --save`).
    pub fn from_check(
        id: String,
        report: &CheckReport,
        settings: &Settings,
        public: bool,
    ) -> SessionRecord {
        let mut r = SessionRecord::new(id, SessionKind::Diagnosis, report.started_at.clone());
        r.target = Some(report.target.clone());
        r.settings = SavedSettings::from_settings(settings, public);
        r.probe_runs = (report.probes.iter())
            .map(|p| ProbeRun {
                run: 1,
                probe: p.id,
                finished_at: report.finished_at.clone(),
                elapsed_ms: p.elapsed_ms,
                status: p.status,
                summary: p.summary.clone(),
                facts: p.facts.clone(),
                data: serde_json::to_value(&p.data).unwrap_or(serde_json::Value::Null),
            })
            .collect();
        r.diagnosis = Some(DiagnosisRecord::from_report(report));
        r.updated_at = report.finished_at.clone();
        r.ended_at = Some(report.finished_at.clone());
        r
    }

    /// The latest finished run of each probe, in probe order: what the diagnosis is built on.
    pub fn latest_runs(&self) -> Vec<&ProbeRun> {
        let mut latest: Vec<&ProbeRun> = Vec::new();
        for run in &self.probe_runs {
            match latest.iter_mut().find(|r| r.probe == run.probe) {
                Some(r) => *r = run,
                None => latest.push(run),
            }
        }
        latest.sort_by_key(|r| r.probe);
        latest
    }

    /// The person's current answers: the last thing said about each key, skips and
    /// withdrawals dropped.
    pub fn current_answers(&self) -> Vec<(String, Said)> {
        let mut out: Vec<(String, Said)> = Vec::new();
        for a in &self.answers {
            out.retain(|(k, _)| *k != a.key);
            if a.said != Said::Withdrawn {
                out.push((a.key.clone(), a.said));
            }
        }
        out
    }

    /// What the session is about, in a few words: the target, or the checklist's title.
    pub fn subject(&self) -> String {
        match (&self.checklist, &self.target) {
            (Some(c), Some(t)) => format!("{} ({})", c.title, t.redacted),
            (Some(c), None) => c.title.clone(),
            (None, Some(t)) => t.redacted.clone(),
            (None, None) => "(no target)".into(),
        }
    }

    /// The outcome in a few words: the verdict, or how far the checklist got.
    pub fn outcome(&self) -> String {
        if let Some(c) = &self.checklist {
            let n = c.counts();
            return format!(
                "{}/{} steps settled, {} failed",
                n.settled(),
                n.total,
                n.failed
            );
        }
        match &self.diagnosis {
            Some(d) => format!("{} ({})", d.verdict.id, d.verdict.confidence.as_str()),
            None => "no verdict yet".into(),
        }
    }
}

/// The `--answer KEY=yes|no` flags as recorded answers, so a saved or resumed session
/// keeps them.
pub fn flag_answers(
    ctx: &crate::diagnose::Context,
    kb: &crate::knowledge::Knowledge,
    at: &str,
) -> Vec<AnswerRecord> {
    (ctx.answers.iter())
        .map(|(key, yes)| AnswerRecord {
            at: at.to_string(),
            key: key.clone(),
            question: (kb.tree.nodes.iter())
                .find(|n| n.ask.as_deref() == Some(key.as_str()))
                .map(|n| n.question.clone())
                .unwrap_or_else(|| key.clone()),
            said: if *yes { Said::Yes } else { Said::No },
        })
        .collect()
}

/// A timeline entry for the reports: what happened when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: String,
    pub what: String,
}

impl SessionRecord {
    /// Everything that happened, oldest first: probe results, answers, notes, checklist steps.
    pub fn timeline(&self) -> Vec<Event> {
        let mut out = vec![Event {
            at: self.started_at.clone(),
            what: match self.kind {
                SessionKind::Diagnosis => "session started".to_string(),
                SessionKind::Checklist => "checklist started".to_string(),
            },
        }];
        for r in &self.probe_runs {
            let what = match r.status {
                Status::Skipped => format!(
                    "probe {} skipped: {}",
                    r.probe.as_str(),
                    r.summary.trim_start_matches("skipped: ")
                ),
                status => format!(
                    "probe {} {} in {}: {}",
                    r.probe.as_str(),
                    status_word(status),
                    millis(r.elapsed_ms),
                    r.summary
                ),
            };
            out.push(Event {
                at: r.finished_at.clone(),
                what,
            });
        }
        for a in &self.answers {
            out.push(Event {
                at: a.at.clone(),
                what: match a.said {
                    Said::Withdrawn => format!("answer to \"{}\" taken back", a.question),
                    said => format!("answered \"{}\": {}", a.question, said.as_str()),
                },
            });
        }
        for n in &self.notes {
            out.push(Event {
                at: n.at.clone(),
                what: format!("note: {}", n.text),
            });
        }
        if let Some(c) = &self.checklist {
            for s in &c.steps {
                for h in &s.history {
                    out.push(Event {
                        at: h.at.clone(),
                        what: format!(
                            "step \"{}\" {} ({})",
                            s.title,
                            h.state.as_str(),
                            match h.by {
                                SetBy::Person => "set by a person",
                                SetBy::Check => "set by its automatic check",
                            }
                        ),
                    });
                }
            }
        }
        if let Some(end) = &self.ended_at {
            out.push(Event {
                at: end.clone(),
                what: "session closed".into(),
            });
        }
        // RFC 3339 times of one writer sort as text; the sort is stable for equal times.
        out.sort_by(|a, b| a.at.cmp(&b.at));
        out
    }
}

/// `0.4` → `0.4 ms`, `12.6` → `13 ms`: sub-millisecond runs keep a decimal.
fn millis(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Problem => "found a problem",
        Status::Skipped => "skipped",
        Status::Error => "could not run",
    }
}
