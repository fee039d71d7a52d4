//! The TUI's router: it holds the components and the models they draw, sends each event to
//! the component that owns it, and performs what they ask for (see `actions.rs`). No I/O
//! happens here; what needs doing outside comes back as [`Command`]s.
//!
//! Keys go to the first of: an open overlay (input box, paste box, picker, help), the
//! search bar while typing, the question being answered, the screen's own keys, the focused
//! pane. Esc closes overlays and never quits; q and Ctrl-C quit.

use super::bindings::{Act, KEYS};
use super::components::causes::CausesPane;
use super::components::checklist::{self, ChecklistUi};
use super::components::evidence::EvidencePane;
use super::components::help::Help;
use super::components::input::LineInput;
use super::components::paste::{self, PasteBox};
use super::components::picker::{Picked, VantagePicker};
use super::components::prompt::Prompt;
use super::components::search::{self, Search};
use super::components::tree::TreePane;
use super::components::{Outcome, Pane};
use super::diagnosis::Diagnosis;
use super::event::{Command, Event};
use super::journal::Journal;
use super::keys;
use super::view::{layout, theme::Theme};
use crate::diagnose::Context;
use crate::knowledge::Knowledge;
use crate::probe::Settings;
use crate::target::ParseOptions;
use ratatui::crossterm::event::{
    KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// Which screen a session shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Diagnosis,
    Checklist,
}

pub struct App {
    pub kb: Arc<Knowledge>,
    pub settings: Settings,
    pub parse_opts: ParseOptions,
    /// `--public` and the `--answer`s given on the command line, for each new session.
    pub flags: Context,
    pub prompt: Option<Prompt>,
    pub diagnosis: Option<Diagnosis>,
    pub tree: TreePane,
    pub evidence: EvidencePane,
    pub causes: CausesPane,
    pub focus: Pane,
    pub help: Option<Help>,
    pub search: Option<Search>,
    pub tick: u64,
    pub now: Instant,
    /// The terminal size, in cells.
    pub size: (u16, u16),
    pub color: bool,
    /// A message above the footer until the next key.
    pub flash: Option<String>,
    /// A line under the header explaining what is being shown (the demo says what it staged).
    pub banner: Option<String>,
    pub history: Vec<String>,
    /// The session record being kept (and autosaved) as things happen.
    pub journal: Option<Journal>,
    pub checklist: Option<ChecklistUi>,
    /// Choosing where to look from (`v`).
    pub picker: Option<VantagePicker>,
    pub screen: Screen,
    pub input: Option<LineInput>,
    /// The paste box, while open.
    pub paste: Option<PasteBox>,
    /// q was pressed while the session cannot be saved: the next q quits anyway.
    pub quit_armed: bool,
    /// The wall clock at the last tick, for the elapsed-time display.
    pub wall: SystemTime,
    pub quit: bool,
    /// Set on a signal: the exit code to leave with.
    pub exit_code: i32,
    pub(super) next_run: u64,
    pub(super) env: fn(&str) -> Option<String>,
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
            diagnosis: None,
            tree: TreePane::default(),
            evidence: EvidencePane::default(),
            causes: CausesPane::default(),
            focus: Pane::Tree,
            help: None,
            search: None,
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
            quit_armed: false,
            wall: SystemTime::now(),
            quit: false,
            exit_code: 0,
            next_run: 0,
            env: real_env,
        }
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub(super) fn theme(&self) -> Theme {
        Theme { color: self.color }
    }

    /// True while something on screen moves by itself (a spinner, a clock).
    pub fn animating(&self) -> bool {
        let clock = self.screen == Screen::Checklist && self.checklist.is_some();
        // The checklist clock shows seconds: redraw once a second for it.
        self.diagnosis.as_ref().is_some_and(|s| !s.all_done())
            || (clock && self.tick.is_multiple_of(10))
    }

    /// Applies one event; returns what the runner must do.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
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
                self.picker = Some(VantagePicker::new(list));
                Vec::new()
            }
            Event::Containers(Err(why)) => {
                self.flash = Some(format!("cannot list containers: {why}"));
                Vec::new()
            }
            Event::Vantage(result) => self.look_from(result),
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
                self.on_paste(&text);
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let k = &key;
        // The Ctrl keys of Quit in the screen's table (Ctrl-C, Ctrl-Q) quit from anywhere,
        // even a text box: the table is the one place they are written.
        if k.modifiers.contains(KeyModifiers::CONTROL) && keys::lookup(KEYS, k) == Some(Act::Quit) {
            return self.quit_now();
        }
        if let Some(input) = &mut self.input {
            return match input.on_key(k) {
                Outcome::Action(true) => self.submit_input(),
                Outcome::Action(false) => {
                    self.cancel_input();
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        if let Some(pb) = &mut self.paste {
            return match pb.on_key(k) {
                Outcome::Action(paste::Request::Diagnose) => self.diagnose_paste(),
                Outcome::Action(paste::Request::Close) => {
                    self.paste = None;
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        if let Some(p) = &mut self.prompt {
            return match p.on_key(k, &self.history) {
                Outcome::Action(text) => self.submit_prompt(text),
                _ => Vec::new(),
            };
        }
        if let Some(p) = &mut self.picker {
            return match p.on_key(key) {
                Picked::Open => Vec::new(),
                Picked::Cancel => {
                    self.picker = None;
                    Vec::new()
                }
                Picked::Choose(choice) => {
                    self.picker = None;
                    self.choose_vantage(choice)
                }
            };
        }
        if let Some(h) = &mut self.help {
            if !h.on_key(k) {
                self.help = None;
            }
            return Vec::new();
        }
        if let Some(s) = &mut self.search
            && s.editing
        {
            let out = s.on_edit_key(k);
            self.on_search(out);
            return Vec::new();
        }
        if self.screen == Screen::Diagnosis
            && self.tree.answering
            && let Some(d) = &self.diagnosis
        {
            return match self.tree.on_key(k, d) {
                Outcome::Action(r) => self.on_tree(r),
                _ => Vec::new(),
            };
        }
        if let Some(act) = keys::lookup(KEYS, k).filter(|a| self.applies(*a)) {
            return self.on_act(act);
        }
        if self.screen == Screen::Checklist {
            return self.on_checklist_key(k);
        }
        if self.diagnosis.is_some() && keys::lookup(search::KEYS, k).is_some() {
            let act = keys::lookup(search::KEYS, k).unwrap_or(search::Act::Next);
            self.step_search(act);
            return Vec::new();
        }
        let Some(d) = &self.diagnosis else {
            return Vec::new();
        };
        match self.focus {
            Pane::Tree => {
                if let Outcome::Action(r) = self.tree.on_key(k, d) {
                    return self.on_tree(r);
                }
            }
            Pane::Evidence => {
                self.evidence.on_key(k);
            }
            Pane::Causes => {
                self.causes.on_key(k, d, &self.kb);
            }
        }
        Vec::new()
    }

    /// Whether a screen key means something on the screen shown.
    pub(super) fn applies(&self, act: Act) -> bool {
        let checklist = self.screen == Screen::Checklist;
        let diagnosis = self.diagnosis.is_some();
        match act {
            Act::Quit | Act::Help | Act::Escape | Act::Note | Act::Save => true,
            Act::Toggle => self.checklist.is_some() && diagnosis,
            Act::Paste => self.checklist.is_none(),
            Act::LookFrom => diagnosis,
            // The checklist has its own r / R; the rest are the diagnosis's.
            _ => !checklist && diagnosis,
        }
    }

    fn on_act(&mut self, act: Act) -> Vec<Command> {
        match act {
            Act::Quit => return self.quit_now(),
            Act::Help => self.help = Some(Help::default()),
            Act::Escape => {
                if self.search.take().is_some() {
                    self.flash = Some("search dropped".into());
                }
            }
            Act::NextPane => self.focus = self.focus.next(),
            Act::PrevPane => self.focus = self.focus.prev(),
            Act::Search => self.search = Some(Search::open()),
            Act::RerunAll => return self.rerun_all(),
            Act::Rerun => return self.rerun_selected(),
            Act::CopyCommands => return self.copy_commands(),
            Act::CopyCode => return self.copy_snippet(),
            Act::Note => self.open_note(),
            Act::Save => return self.save_report(),
            Act::Paste => self.paste = Some(PasteBox::default()),
            Act::LookFrom => {
                self.flash = Some("asking the container engine for its containers…".into());
                return vec![Command::ListContainers];
            }
            Act::Toggle => {
                self.screen = match self.screen {
                    Screen::Checklist => Screen::Diagnosis,
                    Screen::Diagnosis => Screen::Checklist,
                };
            }
        }
        Vec::new()
    }

    fn on_checklist_key(&mut self, k: &KeyEvent) -> Vec<Command> {
        let Some(c) = &mut self.checklist else {
            return Vec::new();
        };
        match c.on_key(k, &crate::check::now()) {
            Outcome::Action(checklist::Request::Changed { flash, log }) => {
                self.flash = Some(flash);
                if let Some(j) = &mut self.journal {
                    j.unsaved = true;
                }
                log.map(Command::Log).into_iter().collect()
            }
            Outcome::Action(checklist::Request::Recheck) => {
                if self.diagnosis.is_none() {
                    self.flash = Some(
                        "no target to check; start with `connfix checklist NAME --target TARGET`"
                            .into(),
                    );
                    return Vec::new();
                }
                c.run.clear_checks();
                self.rerun_all()
            }
            _ => Vec::new(),
        }
    }

    fn on_mouse(&mut self, m: ratatui::crossterm::event::MouseEvent) {
        // Clicks on an overlay or on the too-small message do not reach the panes behind.
        if self.help.is_some()
            || self.input.is_some()
            || self.paste.is_some()
            || self.picker.is_some()
            || layout::too_small(self.area())
        {
            return;
        }
        let at = Position::new(m.column, m.row);
        let down = match m.kind {
            MouseEventKind::ScrollDown => Some(true),
            MouseEventKind::ScrollUp => Some(false),
            _ => None,
        };
        let click = matches!(m.kind, MouseEventKind::Down(MouseButton::Left));
        if let (Screen::Checklist, Some(c)) = (self.screen, &mut self.checklist) {
            match down {
                Some(d) => c.wheel(at, d),
                None if click => c.click(at),
                None => {}
            }
            return;
        }
        let Some(d) = &self.diagnosis else {
            return;
        };
        self.tree.answering = false;
        if self.tree.contains(at) {
            match down {
                Some(dn) => self.tree.wheel(d, dn),
                None if click => {
                    self.focus = Pane::Tree;
                    self.tree.click(d, m.row);
                }
                None => {}
            }
        } else if self.evidence.contains(at) {
            match down {
                Some(dn) => self.evidence.scroll.wheel(dn),
                None if click => self.focus = Pane::Evidence,
                None => {}
            }
        } else if self.causes.contains(at) {
            match down {
                Some(dn) => self.causes.wheel(dn),
                None if click => {
                    self.focus = Pane::Causes;
                    self.causes.click(d, at);
                }
                None => {}
            }
        }
    }
}
