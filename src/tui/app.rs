//! The TUI's state and the one place it changes: [`App::update`]. No I/O happens here; what
//! needs doing outside (start probes, copy, log) comes back as [`Command`]s.

use super::event::{Command, Event};
use super::journal::Journal;
use super::view::{self, layout};
use crate::check::{self, CheckReport};
use crate::checklist::{ChecklistRun, StepState};
use crate::diagnose::Context;
use crate::diagnose::FactSet;
use crate::diagnose::live::{self, LiveNode, NodeState, Progress};
use crate::explain::Explanation;
use crate::knowledge::Knowledge;
use crate::knowledge::causes::LANGUAGES;
use crate::knowledge::checklists::ChecklistDef;
use crate::probe::{self, ProbeEvent, ProbeId, ProbeReport, Settings};
use crate::session::{
    AnswerRecord, DiagnosisRecord, Note, ProbeRun, Said, SavedSettings, SessionKind, SessionRecord,
    store,
};
use crate::target::{self, ParseOptions, Target};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use std::time::SystemTime;

/// The language names shown on the snippet tabs, in the order of [`LANGUAGES`].
pub const LANGUAGE_LABELS: [&str; 6] = ["Python", "Node.js", "Go", "Java", "Rust", "Shell"];

/// How many recent targets are kept, and how many the prompt shows.
pub const HISTORY_LEN: usize = 20;
pub const HISTORY_SHOWN: usize = 8;
/// Longer input than this is not a target (the parser refuses far less); typing stops here.
const MAX_INPUT: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Tree,
    Evidence,
    Causes,
}

impl Pane {
    fn next(self) -> Pane {
        match self {
            Pane::Tree => Pane::Evidence,
            Pane::Evidence => Pane::Causes,
            Pane::Causes => Pane::Tree,
        }
    }
    fn prev(self) -> Pane {
        self.next().next()
    }
}

/// The person's answer to a question only they can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonAnswer {
    Yes,
    No,
    /// "I don't know": the question is set aside and changes nothing.
    Skip,
}

#[derive(Debug)]
pub enum SlotState {
    Pending,
    Running(Instant),
    Done(Box<ProbeReport>),
}

/// One probe's latest run.
#[derive(Debug)]
pub struct Slot {
    pub id: ProbeId,
    /// The run whose events count; events of older runs are dropped.
    pub run: u64,
    pub state: SlotState,
}

/// The target input shown by a bare `connfix`.
#[derive(Debug, Default)]
pub struct Prompt {
    pub input: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// Which recent target the input shows, when browsing them.
    pub history_sel: Option<usize>,
    pub error: Option<String>,
}

/// What a one-line input box is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// A timestamped note about the session (n).
    Note,
    /// Another directory to save into, after the data directory failed.
    SaveDir,
}

/// A one-line input box over the screen.
#[derive(Debug)]
pub struct LineInput {
    pub purpose: InputPurpose,
    pub field: Prompt,
    /// Shown above the box (e.g. why the save failed).
    pub context: Option<String>,
}

/// The paste box (p): an error pasted or typed, explained as it arrives.
#[derive(Debug, Default)]
pub struct PasteBox {
    pub text: String,
    pub explanation: Explanation,
    /// The text changed since it was last explained (typing is explained on the next tick,
    /// not on every key).
    pub stale: bool,
    /// Why Enter could not diagnose; cleared when the text changes.
    pub error: Option<String>,
    /// Pasted text beyond `MAX_PASTE` was dropped.
    pub cut: bool,
}

/// The paste box keeps at most this much text (the end of a longer paste).
pub const MAX_PASTE: usize = 1 << 20;

impl PasteBox {
    fn add(&mut self, more: &str) {
        // Terminals paste line breaks as CR (tmux does so by default).
        self.text
            .push_str(&more.replace("\r\n", "\n").replace('\r', "\n"));
        if self.text.len() > MAX_PASTE {
            // Keep the end, from a line start: the last error matters most.
            let mut cut = self.text.len() - MAX_PASTE;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            if let Some(nl) = self.text[cut..].find('\n') {
                cut += nl + 1;
            }
            self.text.drain(..cut);
            self.cut = true;
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.stale = true;
        self.error = None;
    }

    /// Explains the text if it changed.
    fn refresh(&mut self, kb: &Knowledge) {
        if self.stale {
            self.explanation = crate::explain::explain(&self.text, kb);
            self.stale = false;
        }
    }
}

/// Which screen a session shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Diagnosis,
    Checklist,
}

/// An incident checklist being stepped through.
#[derive(Debug)]
pub struct ChecklistUi {
    pub run: ChecklistRun,
    pub sel: usize,
    pub detail_scroll: usize,
}

/// A diagnosis of one target, live.
#[derive(Debug)]
pub struct Session {
    pub target: Arc<Target>,
    pub slots: Vec<Slot>,
    pub answers: Vec<(String, PersonAnswer)>,
    /// `--public`: the target must be reachable from the internet.
    pub public: bool,
    /// Derived from the finished probes and the answers; rebuilt on every change.
    pub report: CheckReport,
    pub live: Vec<LiveNode>,
    pub started_at: String,
    pub tree_sel: usize,
    /// The person moved the selection; stop moving it for them.
    pub tree_touched: bool,
    pub hide_skipped: bool,
    pub evidence_scroll: usize,
    pub cause_sel: usize,
    pub detail_scroll: usize,
    pub lang: usize,
}

impl Session {
    pub fn progress(&self, id: ProbeId) -> Progress {
        match self.slots.iter().find(|s| s.id == id) {
            None => Progress::NotPlanned,
            Some(s) => match s.state {
                SlotState::Pending => Progress::Pending,
                SlotState::Running(_) => Progress::Running,
                SlotState::Done(_) => Progress::Done,
            },
        }
    }

    pub fn reports(&self) -> Vec<ProbeReport> {
        self.slots
            .iter()
            .filter_map(|s| match &s.state {
                SlotState::Done(r) => Some((**r).clone()),
                _ => None,
            })
            .collect()
    }

    pub fn all_done(&self) -> bool {
        self.slots
            .iter()
            .all(|s| matches!(s.state, SlotState::Done(_)))
    }

    pub fn done_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s.state, SlotState::Done(_)))
            .count()
    }

    pub fn answer_of(&self, key: &str) -> Option<PersonAnswer> {
        self.answers.iter().find(|(k, _)| k == key).map(|(_, a)| *a)
    }

    /// The nodes the tree pane lists, with their index in `live`.
    pub fn visible_nodes(&self) -> Vec<usize> {
        (0..self.live.len())
            .filter(|&i| !(self.hide_skipped && self.live[i].state == NodeState::Skipped))
            .collect()
    }

    pub fn selected_node(&self) -> Option<&LiveNode> {
        self.live.get(self.tree_sel)
    }

    /// The ask key of a node, when the person answers it.
    pub fn ask_key(&self, kb: &Knowledge, node: &str) -> Option<String> {
        kb.tree
            .nodes
            .iter()
            .find(|n| n.id == node)
            .and_then(|n| n.ask.clone())
    }

    /// A session whose probes are about to start.
    fn new(target: Arc<Target>, run: u64, flags: &Context, kb: &Knowledge) -> Session {
        let slots = probe::planned(&target)
            .into_iter()
            .map(|id| Slot {
                id,
                run,
                state: SlotState::Pending,
            })
            .collect();
        let answers = (flags.answers.iter())
            .map(|(k, yes)| {
                let a = if *yes {
                    PersonAnswer::Yes
                } else {
                    PersonAnswer::No
                };
                (k.clone(), a)
            })
            .collect();
        let started_at = check::now();
        let pending = probe::planned(&target);
        let report = check::assemble_partial(
            (*target).clone(),
            Vec::new(),
            &pending,
            flags,
            kb,
            started_at.clone(),
        );
        let mut s = Session {
            target,
            slots,
            answers,
            public: flags.public,
            report,
            live: Vec::new(),
            started_at,
            tree_sel: 0,
            tree_touched: false,
            hide_skipped: false,
            evidence_scroll: 0,
            cause_sel: 0,
            detail_scroll: 0,
            lang: 0,
        };
        s.follow_report(kb);
        s
    }

    /// The engine's context: `--public` and the person's yes/no answers.
    fn context(&self) -> Context {
        Context {
            public: self.public,
            answers: (self.answers.iter())
                .filter_map(|(k, a)| match a {
                    PersonAnswer::Yes => Some((k.clone(), true)),
                    PersonAnswer::No => Some((k.clone(), false)),
                    PersonAnswer::Skip => None,
                })
                .collect(),
        }
    }

    /// Rebuilds the report and the live tree from the slots and answers.
    fn refresh(&mut self, kb: &Knowledge) {
        // Slots are in plan order, which is probe id order, as the report lists them.
        let pending: Vec<ProbeId> = (self.slots.iter())
            .filter(|s| !matches!(s.state, SlotState::Done(_)))
            .map(|s| s.id)
            .collect();
        self.report = check::assemble_partial(
            (*self.target).clone(),
            self.reports(),
            &pending,
            &self.context(),
            kb,
            self.started_at.clone(),
        );
        self.follow_report(kb);
    }

    /// Brings the live tree and the selections in line with a new report.
    fn follow_report(&mut self, kb: &Knowledge) {
        self.live = live::live_tree(
            &kb.tree.nodes,
            &self.report.path,
            &self.report.questions,
            |p| self.progress(p),
        );
        if self.cause_sel >= self.report.causes.len() {
            self.cause_sel = 0;
        }
        // Until the person moves, keep the selection on the first open question, or on
        // the first answered one when nothing is left to ask.
        if self.all_done()
            && !self.tree_touched
            && let Some(i) = self.first_open_question().or_else(|| {
                (self.live.iter()).position(|n| matches!(n.state, NodeState::Answered(_)))
            })
        {
            self.tree_sel = i;
        }
        if self.hide_skipped && !self.visible_nodes().contains(&self.tree_sel) {
            self.tree_sel = self.visible_nodes().first().copied().unwrap_or(0);
        }
    }

    fn first_open_question(&self) -> Option<usize> {
        self.live.iter().position(|n| match &n.state {
            NodeState::Asking(q) => self.answer_of(&q.key).is_none(),
            _ => false,
        })
    }
}

pub struct App {
    pub kb: Arc<Knowledge>,
    pub settings: Settings,
    pub parse_opts: ParseOptions,
    /// `--public` and the `--answer`s given on the command line, for each new session.
    pub flags: Context,
    pub prompt: Option<Prompt>,
    pub session: Option<Session>,
    pub focus: Pane,
    pub help: bool,
    pub tick: u64,
    pub now: Instant,
    /// The terminal size, in cells.
    pub size: (u16, u16),
    pub color: bool,
    /// A one-line message in the footer until the next key.
    pub flash: Option<String>,
    /// A line under the header explaining what is being shown (the demo says what it staged).
    pub banner: Option<String>,
    pub history: Vec<String>,
    /// The session record being kept (and autosaved) as things happen.
    pub journal: Option<Journal>,
    pub checklist: Option<ChecklistUi>,
    /// Choosing where to look from (`v`).
    pub picker: Option<super::picker::VantagePicker>,
    pub screen: Screen,
    pub input: Option<LineInput>,
    /// The paste box, while open.
    pub paste: Option<PasteBox>,
    /// Enter was pressed on a question: the next y / n / s answers it.
    pub answering: bool,
    /// q was pressed while the session cannot be saved: the next q quits anyway.
    pub quit_armed: bool,
    /// The wall clock at the last tick, for the elapsed-time display.
    pub wall: SystemTime,
    pub quit: bool,
    /// Set on a signal: the exit code to leave with.
    pub exit_code: i32,
    next_run: u64,
    env: fn(&str) -> Option<String>,
}

fn real_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl App {
    pub fn new(kb: Arc<Knowledge>, settings: Settings, size: (u16, u16)) -> App {
        App {
            kb,
            settings,
            parse_opts: ParseOptions::default(),
            flags: Context::default(),
            prompt: None,
            session: None,
            focus: Pane::Tree,
            help: false,
            tick: 0,
            now: Instant::now(),
            size,
            color: true,
            flash: None,
            banner: None,
            history: Vec::new(),
            journal: None,
            checklist: None,
            picker: None,
            screen: Screen::Diagnosis,
            input: None,
            paste: None,
            answering: false,
            quit_armed: false,
            wall: SystemTime::now(),
            quit: false,
            exit_code: 0,
            next_run: 0,
            env: real_env,
        }
    }

    /// Shows the target input (a bare `connfix`).
    pub fn ask_for_target(&mut self) {
        self.prompt = Some(Prompt::default());
        self.session = None;
    }

    /// Starts diagnosing `target`; returns the commands that start its probes.
    pub fn start(&mut self, target: Target) -> Vec<Command> {
        let run = self.new_run();
        let target = Arc::new(target);
        let s = Session::new(target.clone(), run, &self.flags, &self.kb);
        let mut journal = Journal::new(
            store::new_id(),
            SessionKind::Diagnosis,
            s.started_at.clone(),
            SavedSettings::from_settings(&self.settings, self.flags.public),
        );
        journal.answers = crate::session::flag_answers(&self.flags, &self.kb, &s.started_at);
        self.journal = Some(journal);
        self.session = Some(s);
        self.prompt = None;
        self.focus = Pane::Tree;
        vec![
            Command::Log(format!("diagnosing {}", target.redacted)),
            Command::StartAll { run },
        ]
    }

    fn new_run(&mut self) -> u64 {
        self.next_run += 1;
        self.next_run
    }

    /// Starts stepping through a checklist; with a target, its probes run the automatic
    /// checks.
    pub fn start_checklist(&mut self, def: &ChecklistDef, target: Option<Target>) -> Vec<Command> {
        let started_at = check::now();
        let mut journal = Journal::new(
            store::new_id(),
            SessionKind::Checklist,
            started_at.clone(),
            SavedSettings::from_settings(&self.settings, self.flags.public),
        );
        journal.answers = crate::session::flag_answers(&self.flags, &self.kb, &started_at);
        self.journal = Some(journal);
        self.checklist = Some(ChecklistUi {
            run: ChecklistRun::new(
                def,
                &target
                    .as_ref()
                    .map(|t| crate::diagnose::facts::target_values(t, &self.kb.services))
                    .unwrap_or_default(),
            ),
            sel: 0,
            detail_scroll: 0,
        });
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
            self.session = Some(Session::new(target, run, &self.flags, &self.kb));
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
        self.checklist = rec.checklist.clone().map(|run| ChecklistUi {
            sel: run
                .next_pending(run.steps.len().saturating_sub(1))
                .unwrap_or(0),
            run,
            detail_scroll: 0,
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
            let mut s = Session::new(Arc::new(t.clone()), old_run, &flags, &self.kb);
            s.started_at = rec.started_at.clone();
            s.answers = (rec.current_answers().into_iter())
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
                    s.slots.iter_mut().find(|sl| sl.id == run.probe),
                    run.report(),
                ) {
                    slot.state = SlotState::Done(Box::new(report));
                }
            }
            let missing = !s.all_done();
            if missing {
                let run = self.new_run();
                for slot in &mut s.slots {
                    if !matches!(slot.state, SlotState::Done(_)) {
                        slot.run = run;
                    }
                }
                out.push(Command::Log(
                    "re-running the probes that had not finished".into(),
                ));
                out.push(Command::StartAll { run });
            }
            s.refresh(&self.kb);
            self.session = Some(s);
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
        if let Some(s) = &self.session {
            r.target = Some((*s.target).clone());
            if s.all_done() {
                r.diagnosis = Some(DiagnosisRecord::from_report(&s.report));
            }
        }
        r.checklist = self.checklist.as_ref().map(|c| c.run.clone());
        Some(r)
    }

    /// Keeps the last complete diagnosis, so a session saved during a re-run still has it.
    fn remember_diagnosis(&mut self) {
        if let (Some(s), Some(j)) = (&self.session, &mut self.journal)
            && s.all_done()
        {
            j.diagnosis = Some(DiagnosisRecord::from_report(&s.report));
        }
    }

    /// Re-judges the checklist's automatic steps from the session's facts.
    fn evaluate_checklist(&mut self) {
        let (Some(c), Some(s)) = (&mut self.checklist, &self.session) else {
            return;
        };
        let facts = FactSet(s.report.facts.clone());
        let changed = c.run.evaluate(&facts, |p| s.progress(p), &check::now());
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

    /// The runner tells how saving a report went: a failure asks for another directory.
    pub fn report_saved(&mut self, result: Result<String, String>, cwd: &std::path::Path) {
        match result {
            Ok(msg) => self.flash = Some(msg),
            Err(e) => {
                let mut field = Prompt::default();
                for c in cwd.display().to_string().chars() {
                    field.insert(c);
                }
                self.input = Some(LineInput {
                    purpose: InputPurpose::SaveDir,
                    field,
                    context: Some(format!("{e}. The session is kept in memory.")),
                });
            }
        }
    }

    /// Applies one event; returns what the runner must do.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        let tick = matches!(event, Event::Tick);
        let out = self.apply(event);
        // Below the minimum size the panes are not drawn, so there is nothing to clamp to.
        if !tick && !layout::too_small(self.area()) {
            self.clamp_scrolls();
        }
        out
    }

    /// Keeps scroll positions inside their content, so "End" then "Up" moves at once.
    fn clamp_scrolls(&mut self) {
        let (evidence, detail, step) = view::scroll_limits(self);
        if let Some(s) = &mut self.session {
            s.evidence_scroll = s.evidence_scroll.min(evidence);
            s.detail_scroll = s.detail_scroll.min(detail);
        }
        if let Some(c) = &mut self.checklist {
            c.detail_scroll = c.detail_scroll.min(step);
        }
    }

    fn apply(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Tick => {
                if let Some(pb) = &mut self.paste {
                    pb.refresh(&self.kb);
                }
                self.tick = self.tick.wrapping_add(1);
                self.now = Instant::now();
                self.wall = SystemTime::now();
                Vec::new()
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Event::Signal(sig) => {
                // Not `close()`: a signal (a closed terminal, a kill) is an interruption, and
                // the session stays open for `connfix resume`.
                self.quit = true;
                self.exit_code = 128 + sig;
                vec![
                    Command::Log(format!("quitting on signal {sig}")),
                    Command::Quit,
                ]
            }
            Event::Probe { run, event } => self.on_probe(run, event),
            Event::Containers(Ok(list)) => {
                self.picker = Some(super::picker::VantagePicker::new(list));
                Vec::new()
            }
            Event::Containers(Err(why)) => {
                self.flash = Some(format!("cannot list containers: {why}"));
                Vec::new()
            }
            Event::Vantage(Ok(v)) => {
                self.flash = Some(format!("now looking from {}", v.label));
                let line = format!("looking from {}", v.label);
                self.settings.vantage = Some(Arc::new(v));
                let mut out = self.rerun_all();
                out.insert(0, Command::Log(line));
                out
            }
            Event::Vantage(Err(why)) => {
                self.flash = Some(why);
                Vec::new()
            }
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                self.flash = None;
                self.on_key(key)
            }
            Event::Key(_) => Vec::new(),
            Event::Mouse(m) => {
                self.on_mouse(m);
                Vec::new()
            }
            Event::Paste(text) => {
                let kb = self.kb.clone();
                if let Some(pb) = &mut self.paste {
                    pb.add(&text);
                    // A paste arrives whole: explain it now, not on the next tick.
                    pb.refresh(&kb);
                    return Vec::new();
                }
                if let Some(pb) = self.box_for_paste(&text) {
                    self.paste = Some(pb);
                    self.prompt_error_clear();
                    return Vec::new();
                }
                let field = match (&mut self.input, &mut self.prompt) {
                    (Some(i), _) => Some(&mut i.field),
                    (None, Some(p)) => Some(p),
                    _ => None,
                };
                if let Some(p) = field {
                    // A target is one line: keep the first non-empty one.
                    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
                    for c in line.unwrap_or("").chars() {
                        p.insert(c);
                    }
                }
                Vec::new()
            }
        }
    }

    fn on_probe(&mut self, run: u64, event: ProbeEvent) -> Vec<Command> {
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        let id = match &event {
            ProbeEvent::Started(id) => *id,
            ProbeEvent::Finished(r) => r.id,
        };
        let Some(slot) = s.slots.iter_mut().find(|sl| sl.id == id && sl.run == run) else {
            return Vec::new(); // an older run, replaced since
        };
        let mut out = Vec::new();
        match event {
            ProbeEvent::Started(_) => {
                slot.state = SlotState::Running(Instant::now());
                s.refresh(&self.kb);
            }
            ProbeEvent::Finished(r) => {
                out.push(Command::Log(format!(
                    "probe {} {:?} in {} ms: {}",
                    id.as_str(),
                    r.status,
                    r.elapsed_ms,
                    r.summary
                )));
                let finished = ProbeRun::new(run, &r, Vec::new(), check::now());
                slot.state = SlotState::Done(r);
                s.refresh(&self.kb);
                if let Some(j) = &mut self.journal {
                    let mut finished = finished;
                    finished.facts = s
                        .report
                        .facts
                        .iter()
                        .filter(|f| f.source == id.as_str())
                        .cloned()
                        .collect();
                    j.probe_runs.push(finished);
                    j.unsaved = true;
                }
                if s.all_done() {
                    let v = &s.report.verdict;
                    out.push(Command::Log(format!(
                        "verdict: {} ({})",
                        v.id,
                        v.confidence.as_str()
                    )));
                }
            }
        }
        self.remember_diagnosis();
        self.evaluate_checklist();
        out
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
            return self.quit_now();
        }
        if self.input.is_some() {
            return self.on_input_key(key);
        }
        if self.paste.is_some() {
            return self.on_paste_key(key);
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(key);
        }
        if let Some(p) = &mut self.picker {
            use super::picker::Picked;
            return match p.on_key(key) {
                Picked::Open => Vec::new(),
                Picked::Cancel => {
                    self.picker = None;
                    Vec::new()
                }
                Picked::Choose(None) => {
                    self.picker = None;
                    if self.settings.vantage.take().is_none() {
                        return Vec::new();
                    }
                    let mut out = self.rerun_all();
                    self.flash = Some("now looking from this host".into());
                    out.insert(0, Command::Log("looking from this host".into()));
                    out
                }
                Picked::Choose(Some(name)) => {
                    self.picker = None;
                    self.flash = Some(format!("entering container {name}…"));
                    vec![Command::LookFrom(name)]
                }
            };
        }
        if self.help {
            match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
                    self.help = false
                }
                _ => {}
            }
            return Vec::new();
        }
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return self.quit_now(),
            KeyCode::Char('?') | KeyCode::F(1) => self.help = true,
            _ if self.answering => return self.on_answer_key(key),
            KeyCode::Char('n') => self.open_note(),
            KeyCode::Char('s') => return self.save_report(),
            KeyCode::Char('p') => self.open_paste(),
            KeyCode::Char('v') if self.session.is_some() => {
                self.flash = Some("asking the container engine for its containers…".into());
                return vec![Command::ListContainers];
            }
            KeyCode::Char('t') if self.checklist.is_some() && self.session.is_some() => {
                self.screen = match self.screen {
                    Screen::Checklist => Screen::Diagnosis,
                    Screen::Diagnosis => Screen::Checklist,
                };
            }
            _ if self.screen == Screen::Checklist => return self.on_checklist_key(key),
            KeyCode::Tab => self.focus = self.focus.next(),
            KeyCode::BackTab => self.focus = self.focus.prev(),
            KeyCode::Char('R') => return self.rerun_all(),
            KeyCode::Char('r') => return self.rerun_selected(),
            KeyCode::Char('c') => return self.copy_commands(),
            KeyCode::Char('C') => return self.copy_snippet(),
            _ => match self.focus {
                Pane::Tree => return self.on_tree_key(key),
                Pane::Evidence => self.on_evidence_key(key),
                Pane::Causes => self.on_causes_key(key),
            },
        }
        Vec::new()
    }

    /// The keys while the person answers the selected question (after Enter): y, n, s.
    fn on_answer_key(&mut self, key: KeyEvent) -> Vec<Command> {
        self.answering = false;
        match key.code {
            KeyCode::Char('y') => self.answer(Some(PersonAnswer::Yes)),
            KeyCode::Char('n') => self.answer(Some(PersonAnswer::No)),
            KeyCode::Char('s') => self.answer(Some(PersonAnswer::Skip)),
            KeyCode::Char('u') | KeyCode::Backspace | KeyCode::Delete => self.answer(None),
            KeyCode::Esc => Vec::new(),
            // Anything else leaves answering and does what it does.
            _ => self.on_key(key),
        }
    }

    /// True when the tree's selected row is a question for the person (Enter answers it).
    pub fn question_selected(&self) -> bool {
        if self.screen != Screen::Diagnosis || self.focus != Pane::Tree {
            return false;
        }
        let Some(n) = self.session.as_ref().and_then(|s| s.selected_node()) else {
            return false;
        };
        matches!(n.state, NodeState::Asking(_))
            || matches!(&n.state, NodeState::Answered(step) if step.by == crate::diagnose::engine::AnsweredBy::Person)
    }

    /// The paste box a paste opens, explained already: when the paste is an error message
    /// rather than a target (at the prompt: it explains as an error and is not one line that
    /// is a target in its own right), or when nothing else takes text. None otherwise.
    fn box_for_paste(&self, text: &str) -> Option<PasteBox> {
        // A checklist session is not replaced by a paste (see `open_paste`).
        if self.input.is_some() || self.checklist.is_some() || (self.prompt.is_none() && self.help)
        {
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

    fn prompt_error_clear(&mut self) {
        if let Some(p) = &mut self.prompt {
            p.error = None;
        }
    }

    fn open_paste(&mut self) {
        if self.checklist.is_some() {
            self.flash = Some(
                "the paste box starts a new diagnosis; use it from `connfix` or `connfix explain`, not during a checklist".into(),
            );
            return;
        }
        self.paste = Some(PasteBox::default());
    }

    fn on_paste_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let Some(pb) = &mut self.paste else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => self.paste = None,
            // Typed text needs line breaks too; Enter itself diagnoses.
            KeyCode::Enter if alt => pb.add("\n"),
            KeyCode::Enter => return self.diagnose_paste(),
            KeyCode::Char('u') if ctrl => *pb = PasteBox::default(),
            KeyCode::Char(c) if !ctrl => {
                let mut buf = [0u8; 4];
                pb.add(c.encode_utf8(&mut buf));
            }
            KeyCode::Backspace => {
                pb.text.pop();
                pb.changed();
            }
            _ => {}
        }
        Vec::new()
    }

    /// Enter in the paste box: diagnose the target of the last error in the paste.
    fn diagnose_paste(&mut self) -> Vec<Command> {
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
        let parsed = f.check_target(self.parse_opts.port).and_then(|arg| {
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
            j.notes.push(crate::session::Note {
                at: check::now(),
                text: target::redact_text(&format!("Pasted error: {headline}{seen}")),
                about: None,
            });
            j.unsaved = true;
        }
        out
    }

    fn open_note(&mut self) {
        if self.journal.is_none() {
            return;
        }
        self.input = Some(LineInput {
            purpose: InputPurpose::Note,
            field: Prompt::default(),
            context: None,
        });
    }

    fn save_report(&mut self) -> Vec<Command> {
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
            Screen::Diagnosis => self.session.as_ref()?.selected_node().map(|n| n.id.clone()),
        }
    }

    fn on_input_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(input) = &mut self.input else {
            return Vec::new();
        };
        let p = &mut input.field;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.flash = Some(match input.purpose {
                    InputPurpose::Note => "note discarded".into(),
                    InputPurpose::SaveDir => {
                        "not saved elsewhere; the session stays in memory until you quit".into()
                    }
                });
                self.input = None;
            }
            KeyCode::Enter => return self.submit_input(),
            _ => {
                p.edit(key.code, ctrl);
            }
        }
        Vec::new()
    }

    fn submit_input(&mut self) -> Vec<Command> {
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
                let text = crate::target::redact_text(&text);
                j.notes.push(Note {
                    at: check::now(),
                    text,
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

    fn on_checklist_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(c) = &mut self.checklist else {
            return Vec::new();
        };
        let last = c.run.steps.len().saturating_sub(1);
        let moved = match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(c.sel.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') => Some((c.sel + 1).min(last)),
            KeyCode::Home | KeyCode::Char('g') => Some(0),
            KeyCode::End | KeyCode::Char('G') => Some(last),
            _ => None,
        };
        if let Some(i) = moved {
            if i != c.sel {
                c.detail_scroll = 0;
            }
            c.sel = i;
            return Vec::new();
        }
        let state = match key.code {
            KeyCode::Char('d') | KeyCode::Enter => Some(StepState::Done),
            KeyCode::Char('f') => Some(StepState::Failed),
            KeyCode::Char('x') => Some(StepState::Skipped),
            KeyCode::Char('a') => Some(StepState::NotApplicable),
            _ => None,
        };
        let now = check::now();
        if let Some(state) = state {
            let sel = c.sel;
            if c.run.set(sel, state, &now) {
                let title = c.run.steps[sel].title.clone();
                if let Some(next) = c.run.next_pending(sel) {
                    c.sel = next;
                    c.detail_scroll = 0;
                }
                let n = c.run.counts();
                self.flash = Some(if n.pending == 0 {
                    format!(
                        "every step is settled ({} done, {} failed); s saves the report",
                        n.done, n.failed
                    )
                } else {
                    format!("\"{title}\": {}", state.as_str())
                });
                if let Some(j) = &mut self.journal {
                    j.unsaved = true;
                }
                return vec![Command::Log(format!("step {title}: {}", state.as_str()))];
            }
            return Vec::new();
        }
        match key.code {
            KeyCode::Char('u') | KeyCode::Backspace => {
                let sel = c.sel;
                if c.run.reset(sel, &now) {
                    self.flash = Some(if c.run.steps[sel].auto.is_some() {
                        "handed back to the automatic check".into()
                    } else {
                        "back to pending".into()
                    });
                    if let Some(j) = &mut self.journal {
                        j.unsaved = true;
                    }
                }
            }
            KeyCode::PageDown | KeyCode::Char(' ') | KeyCode::Char('J') => c.detail_scroll += 5,
            KeyCode::PageUp | KeyCode::Char('K') => {
                c.detail_scroll = c.detail_scroll.saturating_sub(5)
            }
            KeyCode::Char('r') | KeyCode::Char('R') => {
                if self.session.is_none() {
                    self.flash = Some(
                        "no target to check; start with `connfix checklist NAME --target TARGET`"
                            .into(),
                    );
                    return Vec::new();
                }
                c.run.clear_checks();
                return self.rerun_all();
            }
            _ => {}
        }
        Vec::new()
    }

    fn quit_now(&mut self) -> Vec<Command> {
        // Quitting while saving fails would lose the session: say so once first.
        if self
            .journal
            .as_ref()
            .is_some_and(|j| j.save_error.is_some())
            && !self.quit_armed
        {
            self.quit_armed = true;
            return Vec::new();
        }
        self.close();
        self.quit = true;
        vec![Command::Quit]
    }

    fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(p) = &mut self.prompt else {
            return Vec::new();
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return self.quit_now(),
            KeyCode::Enter => return self.submit_prompt(),
            KeyCode::Char(c) if !ctrl => {
                p.insert(c);
                p.history_sel = None;
            }
            code if p.edit(code, ctrl) => {}
            KeyCode::Up | KeyCode::Down if !self.history.is_empty() => {
                let last = self.history.len().min(HISTORY_SHOWN) - 1;
                let sel = match (p.history_sel, key.code) {
                    (None, KeyCode::Up) => Some(0),
                    (None, _) => None,
                    (Some(i), KeyCode::Up) => Some((i + 1).min(last)),
                    (Some(0), _) => None,
                    (Some(i), _) => Some(i - 1),
                };
                p.history_sel = sel;
                p.input = sel.map(|i| self.history[i].clone()).unwrap_or_default();
                p.cursor = p.input.chars().count();
            }
            _ => {}
        }
        p.error = None;
        Vec::new()
    }

    fn submit_prompt(&mut self) -> Vec<Command> {
        let Some(p) = &mut self.prompt else {
            return Vec::new();
        };
        let text = p.input.trim().to_string();
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

    fn rerun_all(&mut self) -> Vec<Command> {
        let run = self.new_run();
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        for slot in &mut s.slots {
            slot.run = run;
            slot.state = SlotState::Pending;
        }
        s.refresh(&self.kb);
        self.evaluate_checklist();
        self.flash = Some("re-running every probe".into());
        vec![
            Command::Log("re-running every probe".into()),
            Command::StartAll { run },
        ]
    }

    fn rerun_selected(&mut self) -> Vec<Command> {
        let Some(probe) = self.session.as_ref().and_then(|s| s.selected_node()?.probe) else {
            self.flash =
                Some("this question is yours to answer (Enter); R re-runs every probe".into());
            return Vec::new();
        };
        let probe = self
            .session
            .as_ref()
            .map(|s| rerun_start(s, probe))
            .unwrap_or(probe);
        let run = self.new_run();
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        let ids = probe::rerun_set(&s.target, probe);
        if ids.is_empty() {
            self.flash = Some(format!(
                "the {} probe does not apply to this target",
                probe.as_str()
            ));
            return Vec::new();
        }
        for slot in s.slots.iter_mut().filter(|sl| ids.contains(&sl.id)) {
            slot.run = run;
            slot.state = SlotState::Pending;
        }
        s.refresh(&self.kb);
        let names: Vec<&str> = ids.iter().map(|p| p.as_str()).collect();
        self.flash = Some(format!("re-running {}", names.join(" → ")));
        vec![
            Command::Log(format!("re-running {}", names.join(", "))),
            Command::Rerun { run, probe },
        ]
    }

    /// Copies the selected cause's commands for this machine, each under a comment saying
    /// what it does, ready to paste into a shell. A cause with none copies its snippet.
    fn copy_commands(&mut self) -> Vec<Command> {
        let Some(cause) = self
            .session
            .as_ref()
            .and_then(|s| s.report.causes.get(s.cause_sel))
        else {
            self.flash = Some("no cause to copy commands from yet".into());
            return Vec::new();
        };
        if cause.commands.is_empty() {
            return self.copy_snippet();
        }
        let text: Vec<String> = cause
            .commands
            .iter()
            .map(|c| format!("# {}\n{}", c.purpose, c.command))
            .collect();
        self.flash = Some(format!(
            "copied {} command(s) for {} to the clipboard",
            cause.commands.len(),
            cause.id
        ));
        vec![Command::Copy(text.join("\n") + "\n")]
    }

    /// Rows the verdict's action takes under the header at this width.
    pub fn action_rows(&self) -> u16 {
        let Some(s) = &self.session else { return 0 };
        if s.report.causes.is_empty() || s.report.verdict.action.is_empty() {
            return 0;
        }
        let width = self.area().width.saturating_sub(3) as usize;
        let n = view::text::wrap(&s.report.verdict.action, width).len();
        (n as u16).min(layout::ACTION_ROWS)
    }

    fn copy_snippet(&mut self) -> Vec<Command> {
        let Some(s) = &self.session else {
            return Vec::new();
        };
        let Some(cause) = s.report.causes.get(s.cause_sel) else {
            self.flash = Some("no cause to copy a snippet from yet".into());
            return Vec::new();
        };
        let lang = LANGUAGES[s.lang];
        match cause.snippets.iter().find(|sn| sn.lang == lang) {
            Some(sn) => {
                self.flash = Some(format!(
                    "copied the {} snippet ({} lines) to the clipboard",
                    LANGUAGE_LABELS[s.lang],
                    sn.code.lines().count()
                ));
                vec![Command::Copy(sn.code.clone())]
            }
            None => {
                self.flash = Some(format!(
                    "this cause has no {} snippet",
                    LANGUAGE_LABELS[s.lang]
                ));
                Vec::new()
            }
        }
    }

    fn on_tree_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        let visible = s.visible_nodes();
        let pos = visible.iter().position(|&i| i == s.tree_sel).unwrap_or(0);
        let last = visible.len().saturating_sub(1);
        let moved = match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(pos.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') => Some((pos + 1).min(last)),
            KeyCode::Home | KeyCode::Char('g') => Some(0),
            KeyCode::End | KeyCode::Char('G') => Some(last),
            KeyCode::PageUp => Some(pos.saturating_sub(10)),
            KeyCode::PageDown => Some((pos + 10).min(last)),
            _ => None,
        };
        if let Some(p) = moved {
            s.tree_sel = visible.get(p).copied().unwrap_or(0);
            s.tree_touched = true;
            return Vec::new();
        }
        match key.code {
            KeyCode::Char('y') => self.answer(Some(PersonAnswer::Yes)),
            KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('a') => {
                if self.question_selected() {
                    self.answering = true;
                } else {
                    // Says why this one is not the person's to answer.
                    return self.answer(Some(PersonAnswer::Yes));
                }
                Vec::new()
            }
            KeyCode::Backspace | KeyCode::Delete | KeyCode::Char('u') => self.answer(None),
            KeyCode::Char('h') => {
                s.hide_skipped = !s.hide_skipped;
                s.refresh(&self.kb);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Answers (or with None, takes back the answer to) the selected question.
    fn answer(&mut self, answer: Option<PersonAnswer>) -> Vec<Command> {
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        let Some(node) = s.selected_node() else {
            return Vec::new();
        };
        let node_id = node.id.clone();
        let question = node.question.clone();
        let asked = matches!(node.state, NodeState::Asking(_))
            || matches!(&node.state, NodeState::Answered(step) if step.by == crate::diagnose::engine::AnsweredBy::Person);
        let Some(key) = s.ask_key(&self.kb, &node_id).filter(|_| asked) else {
            self.flash = Some(match node.state {
                NodeState::Pending | NodeState::Running => {
                    "this question is answered by a probe; wait for it".into()
                }
                _ if node.probe.is_some() => "a probe answers this question; r re-runs it".into(),
                _ => "this question does not apply here".into(),
            });
            return Vec::new();
        };
        if answer.is_none() && s.answer_of(&key).is_none() {
            self.flash =
                Some("you have not answered this one; select a ◆ answer to take it back".into());
            return Vec::new();
        }
        s.answers.retain(|(k, _)| *k != key);
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
                s.answers.push((key.clone(), a));
                format!("{a:?}").to_lowercase()
            }
            None => "answer taken back".into(),
        };
        s.tree_touched = true;
        s.refresh(&self.kb);
        let next = if answer.is_some() {
            s.first_open_question()
        } else {
            None
        };
        self.remember_diagnosis();
        let Some(s) = &mut self.session else {
            return Vec::new();
        };
        // Move on to the next open question, if any.
        if let Some(i) = next {
            s.tree_sel = i;
        }
        vec![Command::Log(format!("person answered {key}: {said}"))]
    }

    fn on_evidence_key(&mut self, key: KeyEvent) {
        let Some(s) = &mut self.session else {
            return;
        };
        s.evidence_scroll = scrolled(s.evidence_scroll, key.code);
    }

    fn on_causes_key(&mut self, key: KeyEvent) {
        let detail_width = layout::panes(self.area(), self.banner.is_some(), self.action_rows())
            .detail
            .width
            .saturating_sub(2) as usize;
        let Some(s) = &mut self.session else {
            return;
        };
        // The list shows "waiting" until every probe is done: nothing to select yet.
        let n = if s.all_done() {
            s.report.causes.len()
        } else {
            0
        };
        let langs = LANGUAGES.len();
        let lang = match key.code {
            KeyCode::Left | KeyCode::Char('[') | KeyCode::Char('h') => {
                Some((s.lang + langs - 1) % langs)
            }
            KeyCode::Right | KeyCode::Char(']') | KeyCode::Char('l') => Some((s.lang + 1) % langs),
            KeyCode::Char(d @ '1'..='6') => Some((d as usize) - ('1' as usize)),
            _ => None,
        };
        if let Some(lang) = lang {
            s.lang = lang;
            // Bring the snippets into view: that is what the person is looking for.
            let line = (self.session.as_ref())
                .and_then(|s| view::causes::code_line(self, s, detail_width));
            if let (Some(line), Some(s)) = (line, self.session.as_mut()) {
                s.detail_scroll = line;
            }
            return;
        }
        match key.code {
            KeyCode::Up | KeyCode::Char('k') if s.cause_sel > 0 => {
                s.cause_sel -= 1;
                s.detail_scroll = 0;
            }
            KeyCode::Down | KeyCode::Char('j') if s.cause_sel + 1 < n => {
                s.cause_sel += 1;
                s.detail_scroll = 0;
            }
            KeyCode::Char('J') => s.detail_scroll += 1,
            KeyCode::Char('K') => s.detail_scroll = s.detail_scroll.saturating_sub(1),
            other => s.detail_scroll = scrolled(s.detail_scroll, other),
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) {
        // Clicks on the help or on the too-small message do not reach the panes behind.
        if self.help || self.input.is_some() || layout::too_small(self.area()) {
            return;
        }
        let p = layout::checklist_panes(self.area(), self.banner.is_some());
        if let (Screen::Checklist, Some(c)) = (self.screen, &mut self.checklist) {
            let at = Position::new(m.column, m.row);
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) if p.list.contains(at) => {
                    let rows = p.list.height.saturating_sub(2) as usize;
                    let offset = c.sel.saturating_sub(rows.saturating_sub(1));
                    let row = (m.row.saturating_sub(p.list.y + 1)) as usize + offset;
                    if row < c.run.steps.len() && m.row > p.list.y {
                        c.sel = row;
                        c.detail_scroll = 0;
                    }
                }
                MouseEventKind::ScrollDown if p.detail.contains(at) => c.detail_scroll += 3,
                MouseEventKind::ScrollUp if p.detail.contains(at) => {
                    c.detail_scroll = c.detail_scroll.saturating_sub(3)
                }
                _ => {}
            }
            return;
        }
        let rects = layout::panes(self.area(), self.banner.is_some(), self.action_rows());
        let answering = std::mem::take(&mut self.answering);
        let Some(s) = &mut self.session else {
            return;
        };
        let at = Position::new(m.column, m.row);
        let pane = if rects.tree.contains(at) {
            Pane::Tree
        } else if rects.evidence.contains(at) {
            Pane::Evidence
        } else if rects.causes.contains(at) || rects.detail.contains(at) {
            Pane::Causes
        } else {
            return;
        };
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                if pane == Pane::Tree {
                    if let Some(i) = view::tree::node_at(s, rects.tree, m.row, answering) {
                        s.tree_sel = i;
                        s.tree_touched = true;
                    }
                } else if rects.causes.contains(at) && !s.report.causes.is_empty() {
                    let rows = rects.causes.height.saturating_sub(2) as usize;
                    let row = m.row.saturating_sub(rects.causes.y + 1) as usize
                        + view::causes::list_offset(s.cause_sel, rows);
                    if row < rows + view::causes::list_offset(s.cause_sel, rows)
                        && row < s.report.causes.len()
                    {
                        s.cause_sel = row;
                        s.detail_scroll = 0;
                    }
                }
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = m.kind == MouseEventKind::ScrollDown;
                let step = |v: usize| if down { v + 3 } else { v.saturating_sub(3) };
                match pane {
                    Pane::Evidence => s.evidence_scroll = step(s.evidence_scroll),
                    Pane::Causes => s.detail_scroll = step(s.detail_scroll),
                    Pane::Tree => {
                        let visible = s.visible_nodes();
                        let pos = visible.iter().position(|&i| i == s.tree_sel).unwrap_or(0);
                        let p = if down {
                            (pos + 1).min(visible.len().saturating_sub(1))
                        } else {
                            pos.saturating_sub(1)
                        };
                        s.tree_sel = visible.get(p).copied().unwrap_or(0);
                        s.tree_touched = true;
                    }
                }
            }
            _ => {}
        }
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// True while something on screen moves by itself (a spinner, a clock).
    pub fn animating(&self) -> bool {
        let clock = self.screen == Screen::Checklist && self.checklist.is_some();
        // The checklist clock shows seconds: redraw once a second for it.
        self.session.as_ref().is_some_and(|s| !s.all_done())
            || (clock && self.tick.is_multiple_of(10))
    }
}

/// A chain stage is built on the one before it: re-running TCP while DNS is still running
/// would connect to no addresses. So a re-run starts at the earliest stage not yet done.
fn rerun_start(s: &Session, probe: ProbeId) -> ProbeId {
    // HTTP and the service probe both follow TCP; neither waits on the other.
    const CHAIN: [ProbeId; 3] = [ProbeId::Dns, ProbeId::Tcp, ProbeId::Http];
    let stage = if probe == ProbeId::Service {
        ProbeId::Http
    } else {
        probe
    };
    let Some(pos) = CHAIN.iter().position(|p| *p == stage) else {
        return probe;
    };
    CHAIN[..pos]
        .iter()
        .copied()
        .find(|p| matches!(s.progress(*p), Progress::Pending | Progress::Running))
        .unwrap_or(probe)
}

/// Line scrolling shared by the scrollable panes; the view clamps to the content.
fn scrolled(v: usize, code: KeyCode) -> usize {
    match code {
        KeyCode::Up | KeyCode::Char('k') => v.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => v + 1,
        KeyCode::PageUp => v.saturating_sub(10),
        KeyCode::PageDown | KeyCode::Char(' ') => v + 10,
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => usize::MAX / 2,
        _ => v,
    }
}

impl Prompt {
    /// The line-editing keys shared by every input box; false when `code` is not one.
    fn edit(&mut self, code: KeyCode, ctrl: bool) -> bool {
        let len = self.input.chars().count();
        match code {
            KeyCode::Char('u') if ctrl => {
                self.input.clear();
                self.cursor = 0;
            }
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.remove(self.cursor);
            }
            KeyCode::Delete if self.cursor < len => self.remove(self.cursor),
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            _ => return false,
        }
        true
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.input
            .char_indices()
            .nth(char_idx)
            .map(|(b, _)| b)
            .unwrap_or(self.input.len())
    }
    fn insert(&mut self, c: char) {
        if c.is_control() || self.input.len() >= MAX_INPUT {
            return;
        }
        let b = self.byte_at(self.cursor);
        self.input.insert(b, c);
        self.cursor += 1;
    }
    fn remove(&mut self, char_idx: usize) {
        let b = self.byte_at(char_idx);
        if b < self.input.len() {
            self.input.remove(b);
        }
    }
}
