//! The TUI's state and the one place it changes: [`App::update`]. No I/O happens here; what
//! needs doing outside (start probes, copy, log) comes back as [`Command`]s.

use super::event::{Command, Event};
use super::view::{self, layout};
use crate::check::{self, CheckReport};
use crate::diagnose::Context;
use crate::diagnose::live::{self, LiveNode, NodeState, Progress};
use crate::knowledge::Knowledge;
use crate::knowledge::causes::LANGUAGES;
use crate::probe::{self, ProbeEvent, ProbeId, ProbeReport, Settings};
use crate::target::{self, ParseOptions, Target};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use std::sync::Arc;
use std::time::Instant;

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
        let report = check::assemble((*target).clone(), Vec::new(), flags, kb, started_at.clone());
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
        self.report = check::assemble(
            (*self.target).clone(),
            self.reports(),
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
        let (evidence, detail) = view::scroll_limits(self);
        if let Some(s) = &mut self.session {
            s.evidence_scroll = s.evidence_scroll.min(evidence);
            s.detail_scroll = s.detail_scroll.min(detail);
        }
    }

    fn apply(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Tick => {
                self.tick = self.tick.wrapping_add(1);
                self.now = Instant::now();
                Vec::new()
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Event::Signal(sig) => {
                self.quit = true;
                self.exit_code = 128 + sig;
                vec![
                    Command::Log(format!("quitting on signal {sig}")),
                    Command::Quit,
                ]
            }
            Event::Probe { run, event } => self.on_probe(run, event),
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
                if let Some(p) = &mut self.prompt {
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
                slot.state = SlotState::Done(r);
                s.refresh(&self.kb);
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
        out
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
            return self.quit_now();
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(key);
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
            KeyCode::Tab => self.focus = self.focus.next(),
            KeyCode::BackTab => self.focus = self.focus.prev(),
            KeyCode::Char('R') => return self.rerun_all(),
            KeyCode::Char('r') => return self.rerun_selected(),
            KeyCode::Char('c') => return self.copy_snippet(),
            _ => match self.focus {
                Pane::Tree => return self.on_tree_key(key),
                Pane::Evidence => self.on_evidence_key(key),
                Pane::Causes => self.on_causes_key(key),
            },
        }
        Vec::new()
    }

    fn quit_now(&mut self) -> Vec<Command> {
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
            KeyCode::Char('u') if ctrl => {
                p.input.clear();
                p.cursor = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                p.insert(c);
                p.history_sel = None;
            }
            KeyCode::Backspace if p.cursor > 0 => {
                p.cursor -= 1;
                p.remove(p.cursor);
            }
            KeyCode::Delete if p.cursor < p.input.chars().count() => p.remove(p.cursor),
            KeyCode::Left => p.cursor = p.cursor.saturating_sub(1),
            KeyCode::Right => p.cursor = (p.cursor + 1).min(p.input.chars().count()),
            KeyCode::Home => p.cursor = 0,
            KeyCode::End => p.cursor = p.input.chars().count(),
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
        self.flash = Some("re-running every probe".into());
        vec![
            Command::Log("re-running every probe".into()),
            Command::StartAll { run },
        ]
    }

    fn rerun_selected(&mut self) -> Vec<Command> {
        let Some(probe) = self.session.as_ref().and_then(|s| s.selected_node()?.probe) else {
            self.flash =
                Some("this question is yours to answer (y/n/s); R re-runs every probe".into());
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

    fn copy_snippet(&mut self) -> Vec<Command> {
        let Some(s) = &self.session else {
            return Vec::new();
        };
        let Some(cause) = s
            .report
            .causes
            .get(s.cause_sel)
            .and_then(|c| self.kb.cause(&c.id))
        else {
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
            KeyCode::Char('n') => self.answer(Some(PersonAnswer::No)),
            KeyCode::Char('s') => self.answer(Some(PersonAnswer::Skip)),
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
        let said = match answer {
            Some(a) => {
                s.answers.push((key.clone(), a));
                format!("{a:?}").to_lowercase()
            }
            None => "answer taken back".into(),
        };
        s.tree_touched = true;
        s.refresh(&self.kb);
        // Move on to the next open question, if any.
        if answer.is_some()
            && let Some(i) = s.first_open_question()
        {
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
        let detail_width = layout::panes(self.area(), self.banner.is_some())
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
        if self.help || layout::too_small(self.area()) {
            return;
        }
        let rects = layout::panes(self.area(), self.banner.is_some());
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
                    if let Some(i) = view::tree::node_at(s, rects.tree, m.row) {
                        s.tree_sel = i;
                        s.tree_touched = true;
                    }
                } else if rects.causes.contains(at) && s.all_done() {
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
        self.session.as_ref().is_some_and(|s| !s.all_done())
    }
}

/// A chain stage is built on the one before it: re-running TCP while DNS is still running
/// would connect to no addresses. So a re-run starts at the earliest stage not yet done.
fn rerun_start(s: &Session, probe: ProbeId) -> ProbeId {
    const CHAIN: [ProbeId; 3] = [ProbeId::Dns, ProbeId::Tcp, ProbeId::Http];
    let Some(pos) = CHAIN.iter().position(|p| *p == probe) else {
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
