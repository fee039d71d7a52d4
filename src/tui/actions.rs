//! What the app does when a component asks: start, resume and re-run diagnoses, answer
//! questions, keep the journal, copy, search, save. Each returns the commands for the
//! runner; none performs I/O.

use super::app::{App, Screen};
use super::components::Pane;
use super::components::causes::LANGUAGE_LABELS;
use super::components::checklist::ChecklistUi;
use super::components::input::{InputPurpose, LineInput};
use super::components::paste::PasteBox;
use super::components::prompt::{Field, Prompt};
use super::components::search::{self, Hit};
use super::components::tree::Request as TreeRequest;
use super::components::{Ctx, Outcome};
use super::diagnosis::{Diagnosis, PersonAnswer, SlotState};
use super::event::Command;
use super::journal::Journal;
use crate::check;
use crate::diagnose::FactSet;
use crate::diagnose::live::NodeState;
use crate::knowledge::causes::LANGUAGES;
use crate::knowledge::checklists::ChecklistDef;
use crate::probe::{self, ProbeEvent};
use crate::session::{
    AnswerRecord, DiagnosisRecord, Note, ProbeRun, Said, SavedSettings, SessionKind, SessionRecord,
    store,
};
use crate::target::{self, Target};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

impl App {
    /// Shows the target input (a bare `connfix`).
    pub fn ask_for_target(&mut self) {
        self.prompt = Some(Prompt::default());
        self.diagnosis = None;
    }

    pub(super) fn new_run(&mut self) -> u64 {
        self.next_run += 1;
        self.next_run
    }

    fn new_journal(&self, kind: SessionKind, started_at: &str) -> Journal {
        let mut j = Journal::new(
            store::new_id(),
            kind,
            started_at.to_string(),
            SavedSettings::from_settings(&self.settings, self.flags.public),
        );
        j.answers = crate::session::flag_answers(&self.flags, &self.kb, started_at);
        j
    }

    /// Puts a new diagnosis on screen, its panes reset.
    fn show(&mut self, d: Diagnosis) {
        self.tree = Default::default();
        self.tree.show_na = self.journal.as_ref().is_some_and(|j| j.view.show_na);
        self.evidence = Default::default();
        self.causes = Default::default();
        self.search = None;
        self.focus = Pane::Tree;
        self.tree.follow(&d);
        self.diagnosis = Some(d);
    }

    /// Keeps the panes in line with a changed diagnosis.
    fn follow(&mut self) {
        if let Some(d) = &self.diagnosis {
            self.tree.follow(d);
            self.causes.follow(d);
        }
    }

    /// Starts diagnosing `target`; returns the commands that start its probes.
    pub fn start(&mut self, target: Target) -> Vec<Command> {
        let run = self.new_run();
        let target = Arc::new(target);
        let d = Diagnosis::new(target.clone(), run, &self.flags, &self.kb);
        self.journal = Some(self.new_journal(SessionKind::Diagnosis, &d.started_at));
        self.show(d);
        self.prompt = None;
        vec![
            Command::Log(format!("diagnosing {}", target.redacted)),
            Command::StartAll { run },
        ]
    }

    /// Starts stepping through a checklist; with a target, its probes run the automatic
    /// checks.
    pub fn start_checklist(&mut self, def: &ChecklistDef, target: Option<Target>) -> Vec<Command> {
        let started_at = check::now();
        self.journal = Some(self.new_journal(SessionKind::Checklist, &started_at));
        let values = (target.as_ref())
            .map(|t| crate::diagnose::facts::target_values(t, &self.kb.services))
            .unwrap_or_default();
        self.checklist = Some(ChecklistUi::new(
            crate::checklist::ChecklistRun::new(def, &values),
            0,
        ));
        self.screen = Screen::Checklist;
        self.prompt = None;
        let mut out = vec![Command::Log(format!("checklist {}", def.id))];
        if let Some(t) = target {
            let run = self.new_run();
            let target = Arc::new(t);
            out.push(Command::Log(format!(
                "checking against {}",
                target.redacted
            )));
            self.show(Diagnosis::new(target, run, &self.flags, &self.kb));
            self.evaluate_checklist();
            out.push(Command::StartAll { run });
        }
        out
    }

    /// Reopens a saved session: its probe results, answers, notes and checklist state come
    /// back as they were; probes that had not finished run again.
    pub fn resume(&mut self, rec: &SessionRecord, file: PathBuf) -> Vec<Command> {
        self.settings = rec.settings.to_settings();
        self.flags.public = rec.settings.public;
        self.journal = Some(Journal::resume(rec, file));
        // New runs are numbered after the saved ones, so run numbers stay unique.
        self.next_run = (rec.probe_runs.iter()).map(|r| r.run).max().unwrap_or(0);
        self.prompt = None;
        self.checklist = rec.checklist.clone().map(|run| {
            let sel = run
                .next_pending(run.steps.len().saturating_sub(1))
                .unwrap_or(0);
            ChecklistUi::new(run, sel)
        });
        self.screen = if self.checklist.is_some() {
            Screen::Checklist
        } else {
            Screen::Diagnosis
        };
        let mut out = vec![Command::Log(format!("resumed session {}", rec.id))];
        if let Some(t) = &rec.target {
            let old_run = self.new_run();
            let mut flags = self.flags.clone();
            flags.answers.clear();
            let mut d = Diagnosis::new(Arc::new(t.clone()), old_run, &flags, &self.kb);
            d.started_at = rec.started_at.clone();
            d.answers = (rec.current_answers().into_iter())
                .map(|(k, said)| {
                    let a = match said {
                        Said::Yes => PersonAnswer::Yes,
                        Said::No => PersonAnswer::No,
                        _ => PersonAnswer::Skip,
                    };
                    (k, a)
                })
                .collect();
            for run in rec.latest_runs() {
                if let (Some(slot), Ok(report)) = (
                    d.slots.iter_mut().find(|sl| sl.id == run.probe),
                    run.report(),
                ) {
                    slot.state = SlotState::Done(Box::new(report));
                }
            }
            if !d.all_done() {
                let run = self.new_run();
                for slot in &mut d.slots {
                    if !matches!(slot.state, SlotState::Done(_)) {
                        slot.run = run;
                    }
                }
                out.push(Command::Log(
                    "re-running the probes that had not finished".into(),
                ));
                out.push(Command::StartAll { run });
            }
            d.refresh(&self.kb);
            self.show(d);
            self.evaluate_checklist();
        }
        let notes = rec.notes.len();
        self.flash = Some(format!(
            "resumed session {} (started {}): {} probe results, {notes} note{}",
            rec.id,
            rec.started_at
                .get(..16)
                .unwrap_or(&rec.started_at)
                .replace('T', " "),
            rec.latest_runs().len(),
            if notes == 1 { "" } else { "s" }
        ));
        out
    }

    /// The session as it should be saved now.
    pub fn record(&self) -> Option<SessionRecord> {
        let j = self.journal.as_ref()?;
        let mut r = j.record(check::now());
        if let Some(d) = &self.diagnosis {
            r.target = Some((*d.target).clone());
            if d.all_done() {
                r.diagnosis = Some(DiagnosisRecord::from_report(&d.report));
            }
        }
        r.checklist = self.checklist.as_ref().map(|c| c.run.clone());
        Some(r)
    }

    /// Keeps the last complete diagnosis, so a session saved during a re-run still has it.
    fn remember_diagnosis(&mut self) {
        if let (Some(d), Some(j)) = (&self.diagnosis, &mut self.journal)
            && d.all_done()
        {
            j.diagnosis = Some(DiagnosisRecord::from_report(&d.report));
        }
    }

    /// Re-judges the checklist's automatic steps from the diagnosis's facts.
    fn evaluate_checklist(&mut self) {
        let (Some(c), Some(d)) = (&mut self.checklist, &self.diagnosis) else {
            return;
        };
        let facts = FactSet(d.report.facts.clone());
        let changed = c.run.evaluate(&facts, |p| d.progress(p), &check::now());
        if let Some(def) = self.kb.checklist(&c.run.id) {
            c.run.fill(def, &facts.values());
        }
        if changed && let Some(j) = &mut self.journal {
            j.unsaved = true;
        }
    }

    /// Marks the session closed (it is saved once more on the way out).
    pub fn close(&mut self) {
        if let Some(j) = &mut self.journal {
            j.ended_at = Some(check::now());
            j.unsaved = true;
        }
    }

    /// What to print on the normal screen after quitting: how to reopen the session.
    pub fn parting(&self) -> Option<String> {
        let j = self.journal.as_ref()?;
        j.file.as_ref()?;
        Some(format!(
            "connfix: session {} saved; `connfix resume {}` reopens it, `connfix report export {}` writes its report.",
            j.id, j.id, j.id
        ))
    }

    /// The runner tells how saving a report went, as the message to show (the autosave's
    /// own failure, already in words, or the report's): a failure asks for another directory.
    pub fn report_saved(&mut self, result: Result<String, String>, cwd: &std::path::Path) {
        match result {
            Ok(msg) => self.flash = Some(msg),
            Err(e) => {
                let mut field = Field::default();
                field.type_str(&cwd.display().to_string());
                self.input = Some(LineInput {
                    purpose: InputPurpose::SaveDir,
                    field,
                    context: Some(format!("{e}. The session is kept in memory.")),
                });
            }
        }
    }

    pub(super) fn on_probe(&mut self, run: u64, event: ProbeEvent) -> Vec<Command> {
        let Some(d) = &mut self.diagnosis else {
            return Vec::new();
        };
        let id = match &event {
            ProbeEvent::Started(id) => *id,
            ProbeEvent::Finished(r) => r.id,
        };
        let Some(slot) = d.slots.iter_mut().find(|sl| sl.id == id && sl.run == run) else {
            return Vec::new(); // an older run, replaced since
        };
        let mut out = Vec::new();
        match event {
            ProbeEvent::Started(_) => {
                slot.state = SlotState::Running(Instant::now());
                d.refresh(&self.kb);
            }
            ProbeEvent::Finished(r) => {
                out.push(Command::Log(format!(
                    "probe {} {:?} in {} ms: {}",
                    id.as_str(),
                    r.status,
                    r.elapsed_ms,
                    r.summary
                )));
                let mut finished = ProbeRun::new(run, &r, Vec::new(), check::now());
                slot.state = SlotState::Done(r);
                d.refresh(&self.kb);
                if let Some(j) = &mut self.journal {
                    finished.facts = (d.report.facts.iter())
                        .filter(|f| f.source == id.as_str())
                        .cloned()
                        .collect();
                    j.probe_runs.push(finished);
                    j.unsaved = true;
                }
                if d.all_done() {
                    let v = &d.report.verdict;
                    out.push(Command::Log(format!(
                        "verdict: {} ({})",
                        v.id,
                        v.confidence.as_str()
                    )));
                }
            }
        }
        self.follow();
        self.remember_diagnosis();
        self.evaluate_checklist();
        out
    }

    pub(super) fn look_from(
        &mut self,
        result: Result<crate::probe::vantage::Vantage, crate::probe::vantage::VantageError>,
    ) -> Vec<Command> {
        match result {
            Ok(v) => {
                self.flash = Some(format!("now looking from {}", v.label));
                let line = format!("looking from {}", v.label);
                self.settings.vantage = Some(Arc::new(v));
                let mut out = self.rerun_all();
                out.insert(0, Command::Log(line));
                out
            }
            Err(why) => {
                self.flash = Some(why.to_string());
                Vec::new()
            }
        }
    }

    pub(super) fn choose_vantage(&mut self, choice: Option<String>) -> Vec<Command> {
        match choice {
            None => {
                if self.settings.vantage.take().is_none() {
                    return Vec::new();
                }
                let mut out = self.rerun_all();
                self.flash = Some("now looking from this host".into());
                out.insert(0, Command::Log("looking from this host".into()));
                out
            }
            Some(name) => {
                self.flash = Some(format!("entering container {name}…"));
                vec![Command::LookFrom(name)]
            }
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) {
        let kb = self.kb.clone();
        if let Some(pb) = &mut self.paste {
            pb.add(text);
            // A paste arrives whole: explain it now, not on the next tick.
            pb.refresh(&kb);
            return;
        }
        if let Some(pb) = self.box_for_paste(text) {
            self.paste = Some(pb);
            if let Some(p) = &mut self.prompt {
                p.error = None;
            }
            return;
        }
        let field = match (&mut self.input, &mut self.prompt, &mut self.search) {
            (Some(i), _, _) => Some(&mut i.field),
            (None, Some(p), _) => Some(&mut p.field),
            (None, None, Some(s)) if s.editing => Some(&mut s.field),
            _ => None,
        };
        if let Some(f) = field {
            // A target is one line: keep the first non-empty one.
            let line = text.lines().map(str::trim).find(|l| !l.is_empty());
            f.type_str(line.unwrap_or(""));
        }
    }

    /// The paste box a paste opens, explained already: when the paste is an error message
    /// rather than a target (at the prompt: it explains as an error and is not one line that
    /// is a target in its own right), or when nothing else takes text. None otherwise.
    fn box_for_paste(&self, text: &str) -> Option<PasteBox> {
        // A checklist session is not replaced by a paste.
        let typing = self.input.is_some() || self.search.as_ref().is_some_and(|s| s.editing);
        if typing || self.checklist.is_some() || (self.prompt.is_none() && self.help.is_some()) {
            return None;
        }
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let one_target = match (lines.next(), lines.next()) {
            (Some(one), None) => {
                target::parse(one, self.parse_opts, &self.kb.services, &self.env).is_ok()
            }
            _ => false,
        };
        if self.prompt.is_some() && one_target {
            return None;
        }
        let mut pb = PasteBox::default();
        pb.add(text);
        pb.refresh(&self.kb);
        (self.prompt.is_none() || pb.explanation.main().is_some()).then_some(pb)
    }

    /// Enter in the paste box: diagnose the target of the last error in the paste.
    pub(super) fn diagnose_paste(&mut self) -> Vec<Command> {
        let Some(pb) = &mut self.paste else {
            return Vec::new();
        };
        pb.refresh(&self.kb);
        let Some(f) = pb.explanation.main() else {
            pb.error = Some(if pb.text.trim().is_empty() {
                "paste the error first (your terminal's paste, or type it)".into()
            } else {
                "connfix recognises no connection error in this text; paste all of it, or press Esc and type the target".into()
            });
            return Vec::new();
        };
        let parsed = f
            .check_target(self.parse_opts.port)
            .map_err(|e| e.to_string())
            .and_then(|arg| {
                target::parse(&arg, self.parse_opts, &self.kb.services, &self.env)
                    .map_err(|e| e.to_string())
            });
        let t = match parsed {
            Ok(t) => t,
            Err(why) => {
                pb.error = Some(why);
                return Vec::new();
            }
        };
        let headline = f.headline(&self.kb);
        let evidence = f.evidence.first().map(|e| (e.line, e.text.clone()));
        self.paste = None;
        let mut out = vec![
            Command::Remember(t.redacted.clone()),
            Command::Log(format!("explained a paste: {headline}")),
        ];
        out.extend(self.start(t));
        self.banner = Some(format!(
            "From your paste: {headline}. Checking it live now."
        ));
        if let Some(j) = &mut self.journal {
            let seen = evidence.map_or(String::new(), |(l, text)| format!(" (line {l}: {text})"));
            j.notes.push(Note {
                at: check::now(),
                text: target::redact_text(&format!("Pasted error: {headline}{seen}")),
                about: None,
            });
            j.unsaved = true;
        }
        out
    }

    pub(super) fn open_note(&mut self) {
        if self.journal.is_some() {
            self.input = Some(LineInput::new(InputPurpose::Note));
        }
    }

    pub(super) fn save_report(&mut self) -> Vec<Command> {
        if self.journal.is_none() {
            return Vec::new();
        }
        vec![Command::SaveReport]
    }

    /// What a note is about: the selected checklist step or tree question.
    fn note_about(&self) -> Option<String> {
        match self.screen {
            Screen::Checklist => {
                let c = self.checklist.as_ref()?;
                c.run.steps.get(c.sel).map(|st| st.id.clone())
            }
            Screen::Diagnosis => {
                let d = self.diagnosis.as_ref()?;
                self.tree.selected(d).map(|n| n.id.clone())
            }
        }
    }

    pub(super) fn cancel_input(&mut self) {
        if let Some(input) = self.input.take() {
            self.flash = Some(match input.purpose {
                InputPurpose::Note => "note discarded".into(),
                InputPurpose::SaveDir => {
                    "not saved elsewhere; the session stays in memory until you quit".into()
                }
            });
        }
    }

    pub(super) fn submit_input(&mut self) -> Vec<Command> {
        let about = self.note_about();
        let Some(input) = self.input.take() else {
            return Vec::new();
        };
        let text = input.field.input.trim().to_string();
        match input.purpose {
            InputPurpose::Note if text.is_empty() => {
                self.flash = Some("empty note discarded".into());
                Vec::new()
            }
            InputPurpose::Note => {
                let Some(j) = &mut self.journal else {
                    return Vec::new();
                };
                j.notes.push(Note {
                    at: check::now(),
                    text: target::redact_text(&text),
                    about,
                });
                j.unsaved = true;
                let n = j.notes.len();
                self.flash = Some(format!("note {n} added; s saves a report with it"));
                vec![Command::Log(format!("note {n} added"))]
            }
            InputPurpose::SaveDir if text.is_empty() => {
                self.input = Some(input);
                Vec::new()
            }
            InputPurpose::SaveDir => {
                if let Some(j) = &mut self.journal {
                    j.alt_dir = Some(PathBuf::from(&text));
                    j.unsaved = true;
                }
                vec![Command::SaveReport]
            }
        }
    }

    pub(super) fn quit_now(&mut self) -> Vec<Command> {
        // Quitting while saving fails would lose the session: say so once first.
        if (self.journal.as_ref()).is_some_and(|j| j.save_error.is_some()) && !self.quit_armed {
            self.quit_armed = true;
            return Vec::new();
        }
        self.close();
        self.quit = true;
        vec![Command::Quit]
    }

    pub(super) fn submit_prompt(&mut self, text: String) -> Vec<Command> {
        let Some(p) = &mut self.prompt else {
            return Vec::new();
        };
        if text.is_empty() {
            p.error =
                Some("type a target first, e.g. localhost:5432 or https://api.example.com".into());
            return Vec::new();
        }
        match target::parse(&text, self.parse_opts, &self.kb.services, &self.env) {
            Err(e) => {
                p.error = Some(e.to_string());
                Vec::new()
            }
            Ok(t) => {
                // Remember the reference, not the secret: an env: form stays a reference,
                // anything else is stored redacted.
                let remembered = if t.from_env.is_some() {
                    text
                } else {
                    t.redacted.clone()
                };
                let mut out = vec![Command::Remember(remembered)];
                out.extend(self.start(t));
                out
            }
        }
    }

    pub(super) fn rerun_all(&mut self) -> Vec<Command> {
        let run = self.new_run();
        let Some(d) = &mut self.diagnosis else {
            return Vec::new();
        };
        d.restart(run, None, &self.kb);
        self.follow();
        self.evaluate_checklist();
        self.flash = Some("re-running every probe".into());
        vec![
            Command::Log("re-running every probe".into()),
            Command::StartAll { run },
        ]
    }

    pub(super) fn rerun_selected(&mut self) -> Vec<Command> {
        let selected = (self.diagnosis.as_ref()).and_then(|d| self.tree.selected(d)?.probe);
        let (Some(probe), Some(d)) = (selected, &self.diagnosis) else {
            self.flash =
                Some("this question is yours to answer (Enter); R re-runs every probe".into());
            return Vec::new();
        };
        let probe = d.rerun_start(probe);
        let ids = probe::rerun_set(&d.target, probe);
        if ids.is_empty() {
            self.flash = Some(format!(
                "the {} probe does not apply to this target",
                probe.as_str()
            ));
            return Vec::new();
        }
        let run = self.new_run();
        if let Some(d) = &mut self.diagnosis {
            d.restart(run, Some(&ids), &self.kb);
        }
        self.follow();
        let names: Vec<&str> = ids.iter().map(|p| p.as_str()).collect();
        self.flash = Some(format!("re-running {}", names.join(" → ")));
        vec![
            Command::Log(format!("re-running {}", names.join(", "))),
            Command::Rerun { run, probe },
        ]
    }

    /// Copies the selected cause's commands for this machine, each under a comment saying
    /// what it does, ready to paste into a shell. A cause with none copies its snippet.
    pub(super) fn copy_commands(&mut self) -> Vec<Command> {
        let Some(cause) =
            (self.diagnosis.as_ref()).and_then(|d| d.report.causes.get(self.causes.sel))
        else {
            self.flash = Some("no cause to copy commands from yet".into());
            return Vec::new();
        };
        if cause.commands.is_empty() {
            return self.copy_snippet();
        }
        let text: Vec<String> = (cause.commands.iter())
            .map(|c| format!("# {}\n{}", c.purpose, c.command))
            .collect();
        self.flash = Some(format!(
            "copied {} command(s) for {} to the clipboard",
            cause.commands.len(),
            cause.id
        ));
        vec![Command::Copy(text.join("\n") + "\n")]
    }

    pub(super) fn copy_snippet(&mut self) -> Vec<Command> {
        let Some(d) = &self.diagnosis else {
            return Vec::new();
        };
        let Some(cause) = d.report.causes.get(self.causes.sel) else {
            self.flash = Some("no cause to copy a snippet from yet".into());
            return Vec::new();
        };
        let lang = self.causes.lang;
        match cause.snippets.iter().find(|sn| sn.lang == LANGUAGES[lang]) {
            Some(sn) => {
                self.flash = Some(format!(
                    "copied the {} snippet ({} lines) to the clipboard",
                    LANGUAGE_LABELS[lang],
                    sn.code.lines().count()
                ));
                vec![Command::Copy(sn.code.clone())]
            }
            None => {
                self.flash = Some(format!(
                    "this cause has no {} snippet",
                    LANGUAGE_LABELS[lang]
                ));
                Vec::new()
            }
        }
    }

    pub(super) fn on_tree(&mut self, r: TreeRequest) -> Vec<Command> {
        match r {
            TreeRequest::Answer(a) => self.answer(a),
            TreeRequest::ShowNa(show) => {
                if let Some(j) = &mut self.journal {
                    j.view.show_na = show;
                    j.unsaved = true;
                }
                self.flash = Some(if show {
                    "showing the questions that do not apply (n/a); h hides them".into()
                } else {
                    "hiding the questions that do not apply; h shows them".into()
                });
                Vec::new()
            }
        }
    }

    /// Answers (or with None, takes back the answer to) the selected question.
    fn answer(&mut self, answer: Option<PersonAnswer>) -> Vec<Command> {
        let Some(d) = &mut self.diagnosis else {
            return Vec::new();
        };
        let Some(node) = self.tree.selected(d) else {
            return Vec::new();
        };
        let node_id = node.id.clone();
        let question = node.question.clone();
        let asked = self.tree.question_selected(d);
        let Some(key) = d.ask_key(&self.kb, &node_id).filter(|_| asked) else {
            self.flash = Some(match node.state {
                NodeState::Pending | NodeState::Running => {
                    "this question is answered by a probe; wait for it".into()
                }
                _ if node.probe.is_some() => "a probe answers this question; r re-runs it".into(),
                _ => "this question does not apply here".into(),
            });
            return Vec::new();
        };
        if answer.is_none() && d.answer_of(&key).is_none() {
            self.flash =
                Some("you have not answered this one; select a ◆ answer to take it back".into());
            return Vec::new();
        }
        d.answers.retain(|(k, _)| *k != key);
        if let Some(j) = &mut self.journal {
            j.answers.push(AnswerRecord {
                at: check::now(),
                key: key.clone(),
                question,
                said: match answer {
                    Some(PersonAnswer::Yes) => Said::Yes,
                    Some(PersonAnswer::No) => Said::No,
                    Some(PersonAnswer::Skip) => Said::Skip,
                    None => Said::Withdrawn,
                },
            });
            j.unsaved = true;
        }
        let said = match answer {
            Some(a) => {
                d.answers.push((key.clone(), a));
                format!("{a:?}").to_lowercase()
            }
            None => "answer taken back".into(),
        };
        d.refresh(&self.kb);
        if answer.is_some() {
            self.tree.after_answer(d);
        } else {
            self.tree.touched = true;
            self.tree.follow(d);
        }
        self.causes.follow(d);
        self.remember_diagnosis();
        vec![Command::Log(format!("person answered {key}: {said}"))]
    }

    /// The search bar asked for something.
    pub(super) fn on_search(&mut self, out: Outcome<search::Request>) {
        match out {
            Outcome::Action(search::Request::Clear) => self.search = None,
            Outcome::Action(search::Request::Find) => self.find(),
            Outcome::Action(search::Request::Show(i)) => {
                self.find();
                self.show_hit(i);
            }
            _ => {}
        }
    }

    /// Finds the query's matches in the evidence and in every cause's details, as they are
    /// drawn at the current width.
    fn find(&mut self) {
        let (Some(s), Some(d)) = (&self.search, &self.diagnosis) else {
            return;
        };
        let Some(q) = s.query().map(str::to_string) else {
            if let Some(s) = &mut self.search {
                s.hits.clear();
            }
            return;
        };
        let ctx = Ctx {
            theme: super::view::theme::Theme { color: false },
            tick: self.tick,
            now: self.now,
            kb: &self.kb,
        };
        let notes = self
            .journal
            .as_ref()
            .map(|j| j.notes.as_slice())
            .unwrap_or(&[]);
        let width = match self.evidence.text_width() {
            0 => self.area().width.saturating_sub(2) as usize,
            w => w,
        };
        let evidence = super::components::evidence::lines(d, notes, width, &ctx);
        let mut hits: Vec<Hit> = (search::matching(&evidence, &q).into_iter())
            .map(Hit::Evidence)
            .collect();
        for (i, lines) in self.causes.all_details(d, &self.kb).iter().enumerate() {
            hits.extend(
                search::matching(lines, &q)
                    .into_iter()
                    .map(|l| Hit::Cause(i, l)),
            );
        }
        if let Some(s) = &mut self.search {
            s.hits = hits;
            s.current = 0;
        }
    }

    /// Brings match `i` into view, in its pane.
    fn show_hit(&mut self, i: usize) {
        let Some(s) = &self.search else { return };
        let status = s.status();
        let query = s.query().unwrap_or("").to_string();
        match s.hits.get(i).copied() {
            Some(Hit::Evidence(line)) => {
                self.focus = Pane::Evidence;
                self.evidence.show_line(line);
            }
            Some(Hit::Cause(cause, line)) => {
                self.focus = Pane::Causes;
                self.causes.show(cause, line);
            }
            None => {}
        }
        self.flash = Some(format!(
            "/{query}: {status} · n next · N previous · Esc drops it"
        ));
    }

    /// n / N after a search.
    pub(super) fn step_search(&mut self, act: search::Act) {
        let Some(s) = &mut self.search else {
            self.flash = Some("no search yet: / searches the evidence and the causes".into());
            return;
        };
        match s.step(act) {
            Some(i) => self.show_hit(i),
            None => self.flash = Some("no match; / starts another search".into()),
        }
    }
}
