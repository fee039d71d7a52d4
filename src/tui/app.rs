//! The TUI's router: it holds the components and the models they draw, sends each event to
//! the component that owns it, and performs what they ask for (see `actions.rs`). No I/O
//! happens here; what needs doing outside comes back as [`Command`]s.
//!
//! Keys go to the first of: an open overlay (input box, paste box, picker, help), the
//! search bar while typing, the question being answered, the screen's own keys, the focused
//! pane. Esc closes overlays and never quits; q and Ctrl-C quit.

use super::components::causes::CausesPane;
use super::components::checklist::{self, ChecklistUi};
use super::components::evidence::EvidencePane;
use super::components::help::Help;
use super::components::input::LineInput;
use super::components::paste::{self, PasteBox};
use super::components::picker::{Picked, VantagePicker};
use super::components::prompt::Prompt;
use super::components::search::{self, Search};
use super::components::tree::{self, TreePane};
use super::components::{Ctx, Outcome, Pane, summary};
use super::diagnosis::Diagnosis;
use super::event::{Command, Event};
use super::journal::Journal;
use super::keys::{self, Binding, Group, Hint, Key};
use super::view::{chrome, layout, theme::Theme};
use crate::diagnose::Context;
use crate::knowledge::Knowledge;
use crate::probe::Settings;
use crate::target::ParseOptions;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// Which screen a session shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Diagnosis,
    Checklist,
}

/// The keys of the screen, whatever pane has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Quit,
    Help,
    Escape,
    NextPane,
    PrevPane,
    Search,
    RerunAll,
    Rerun,
    CopyCommands,
    CopyCode,
    Note,
    Save,
    Paste,
    LookFrom,
    Toggle,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Tab)],
        label: "Tab",
        footer: "pane",
        help: "next pane (or click a pane)",
        action: Act::NextPane,
    },
    Binding {
        keys: &[Key::Code(KeyCode::BackTab)],
        label: "Shift-Tab",
        footer: "",
        help: "previous pane",
        action: Act::PrevPane,
    },
    Binding {
        keys: &[Key::Char('c')],
        label: "c",
        footer: "copy fix",
        help: "copy the selected cause's commands for this machine to the clipboard (OSC 52, works over SSH); a cause without commands copies its code",
        action: Act::CopyCommands,
    },
    Binding {
        keys: &[Key::Char('C')],
        label: "C",
        footer: "",
        help: "copy the shown code snippet to the clipboard",
        action: Act::CopyCode,
    },
    Binding {
        keys: &[Key::Char('/')],
        label: "/",
        footer: "search",
        help: "search the evidence and the causes; n and N move between matches, Esc drops the search",
        action: Act::Search,
    },
    Binding {
        keys: &[Key::Char('r')],
        label: "r",
        footer: "",
        help: "re-run the probe of the selected question (and the steps after it)",
        action: Act::Rerun,
    },
    Binding {
        keys: &[Key::Char('R')],
        label: "R",
        footer: "re-run",
        help: "re-run every probe",
        action: Act::RerunAll,
    },
    Binding {
        keys: &[Key::Char('m')],
        label: "m",
        footer: "note",
        help: "add a timestamped note to the session",
        action: Act::Note,
    },
    Binding {
        keys: &[Key::Char('s')],
        label: "s",
        footer: "save",
        help: "save the session's report (Markdown and HTML); the session itself is autosaved",
        action: Act::Save,
    },
    Binding {
        keys: &[Key::Char('p')],
        label: "p",
        footer: "paste",
        help: "paste an error message: connfix explains it and Enter diagnoses its target (pasting anywhere opens it too)",
        action: Act::Paste,
    },
    Binding {
        keys: &[Key::Char('v')],
        label: "v",
        footer: "",
        help: "look from elsewhere: pick a running container (or this host) and diagnose again as seen from it (needs root and a Docker or Podman socket)",
        action: Act::LookFrom,
    },
    Binding {
        keys: &[Key::Char('t')],
        label: "t",
        footer: "checklist",
        help: "switch between the checklist and the target's diagnosis",
        action: Act::Toggle,
    },
    Binding {
        keys: &[Key::Char('?'), Key::Code(KeyCode::F(1))],
        label: "? F1",
        footer: "",
        help: "this help (j k PgDn PgUp scroll it; Esc, ? or q closes it)",
        action: Act::Help,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        label: "Esc",
        footer: "",
        help: "close what is open, drop the search; never quits",
        action: Act::Escape,
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c'), Key::Ctrl('q')],
        label: "q Ctrl-C",
        footer: "",
        help: "quit: probes stop, the terminal is restored and the session id is printed for `connfix resume`",
        action: Act::Quit,
    },
];

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

    fn theme(&self) -> Theme {
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
        // Ctrl-C and Ctrl-Q quit from anywhere, even a text box.
        if keys::Key::Ctrl('c').matches(k) || keys::Key::Ctrl('q').matches(k) {
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
    fn applies(&self, act: Act) -> bool {
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

    /// The keys the footer shows now, most useful first: moving between panes, copying
    /// the fix and searching, then the focused pane's keys, then the rest.
    fn footer_hints(&self) -> Vec<Hint> {
        const FIRST: [Act; 3] = [Act::NextPane, Act::CopyCommands, Act::Search];
        let first = keys::hints(KEYS, |a| FIRST.contains(&a) && self.applies(a));
        let screen = keys::hints(KEYS, |a| !FIRST.contains(&a) && self.applies(a));
        if self.screen == Screen::Checklist {
            let mut out = (self.checklist.as_ref())
                .map(|c| c.hints(self.diagnosis.is_some()))
                .unwrap_or_default();
            out.extend(screen);
            return out;
        }
        let Some(d) = &self.diagnosis else {
            return screen;
        };
        let mut out = first;
        if self.tree.answering {
            return self.tree.hints(d);
        }
        if self.search.as_ref().is_some_and(|s| !s.hits.is_empty()) {
            out.extend(keys::hints(search::KEYS, |_| true));
        }
        out.extend(match self.focus {
            Pane::Tree => self.tree.hints(d),
            Pane::Evidence => self.evidence.hints(),
            Pane::Causes => self.causes.hints(),
        });
        out.extend(screen);
        out
    }

    /// Every key of the screen shown, for the help.
    pub fn help_groups(&self) -> Vec<Group> {
        let mut out = vec![keys::group("Everywhere", KEYS)];
        if self.screen == Screen::Checklist {
            out.push(keys::group("Checklist", checklist::KEYS));
            return out;
        }
        out.push(keys::group("Decision tree", tree::KEYS));
        out.push(keys::group(
            "Answering a question (after Enter)",
            tree::ANSWER_KEYS,
        ));
        out.push(keys::group("Evidence", keys::SCROLL));
        out.push(keys::group("Causes & fix", super::components::causes::KEYS));
        out.push(keys::group("After a search", search::KEYS));
        out
    }

    /// The message row's text: why the session is not saved, else the latest message.
    fn message(&self) -> Option<String> {
        let unsaved = (self.journal.as_ref())
            .and_then(|j| j.save_error.as_ref())
            .map(|e| match self.quit_armed {
                true => "⚠ the session is not saved: q again quits and keeps a copy in the temp directory; s saves it elsewhere".to_string(),
                false => format!("⚠ not saved: {e}. s saves elsewhere"),
            });
        unsaved.or_else(|| self.flash.clone())
    }

    /// Draws a frame. Components remember where they were drawn and how far they scroll,
    /// so the keys and the mouse that follow act on what the person sees.
    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let t = self.theme();
        if layout::too_small(area) {
            chrome::too_small(frame, area, t);
            return;
        }
        let kb = self.kb.clone();
        let ctx = Ctx {
            theme: t,
            tick: self.tick,
            now: self.now,
            kb: &kb,
        };
        if let Some(p) = &self.prompt {
            super::components::prompt::render(frame, area, t, p, &self.history);
            if let Some(pb) = &self.paste {
                paste::render(frame, area, &ctx, pb);
            }
            return;
        }
        let message = self.message();
        let searching = self.search.as_ref().is_some_and(|s| s.editing);
        let message_rows = if searching {
            1
        } else {
            chrome::message_rows(message.as_deref(), area.width, 2)
        };
        let footer = self.footer_hints();
        let notes = self
            .journal
            .as_ref()
            .map(|j| j.notes.clone())
            .unwrap_or_default();
        let (message_area, footer_area) = match (self.screen, &mut self.checklist) {
            (Screen::Checklist, Some(c)) => {
                let p = layout::checklist_panes(area, self.banner.is_some(), message_rows);
                let elapsed = (self.journal.as_ref())
                    .map(|j| super::journal::clock(j.elapsed_secs(self.wall)))
                    .unwrap_or_default();
                c.header(frame, p.header, &elapsed, t);
                chrome::banner(frame, p.banner, t, self.banner.as_deref());
                c.render(
                    frame,
                    (p.list, p.detail),
                    self.diagnosis.as_ref(),
                    &notes,
                    &ctx,
                );
                (p.message, p.footer)
            }
            _ => match &self.diagnosis {
                Some(_) => self.draw_diagnosis(frame, area, message_rows, &notes, &ctx),
                None => return,
            },
        };
        match &self.search {
            Some(s) if s.editing => s.render(frame, message_area, t),
            _ => chrome::message(frame, message_area, t, message.as_deref()),
        }
        chrome::footer(frame, footer_area, t, &footer);
        let groups = self.help_groups();
        if let Some(h) = &mut self.help {
            h.render(frame, area, &groups, &ctx);
        }
        if let Some(p) = &self.picker {
            p.render(frame, area, self.color);
        }
        if let Some(pb) = &self.paste {
            paste::render(frame, area, &ctx, pb);
        }
        if let Some(input) = &self.input {
            super::components::input::render(frame, area, t, input);
        }
    }

    /// The diagnosis screen; returns the message and footer areas.
    fn draw_diagnosis(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        message_rows: u16,
        notes: &[crate::session::Note],
        ctx: &Ctx,
    ) -> (Rect, Rect) {
        let Some(d) = &self.diagnosis else {
            return (Rect::default(), Rect::default());
        };
        let t = ctx.theme;
        let (title, action, why) = layout::summary_budget(area);
        let band = summary::lines(
            d,
            area.width as usize,
            summary::Budget { title, action, why },
            ctx,
        );
        let tab = Pane::ALL.iter().position(|p| *p == self.focus).unwrap_or(0);
        let p = layout::panes(
            area,
            layout::Want {
                banner: self.banner.is_some(),
                summary: band.len() as u16,
                message: message_rows,
                tab,
                causes: d.report.causes.len(),
            },
        );
        // With --from, the header says where the client is looked at from.
        let shown = match &self.settings.vantage {
            Some(v) => format!("{} from {}", d.target.redacted, v.label),
            None => d.target.redacted.clone(),
        };
        let state = if d.all_done() {
            vec![Span::styled(
                format!("{} probes done ", d.slots.len()),
                t.dim(),
            )]
        } else {
            vec![Span::styled(
                format!(
                    "{} probing {}/{} ",
                    super::view::spinner(ctx.tick),
                    d.done_count(),
                    d.slots.len()
                ),
                t.accent(),
            )]
        };
        chrome::header(frame, p.header, t, &shown, state);
        summary::render(frame, p.summary, band);
        chrome::banner(frame, p.banner, t, self.banner.as_deref());
        let titles: Vec<&str> = Pane::ALL.iter().map(|p| p.title()).collect();
        chrome::tabs(frame, p.tabs, t, &titles, tab);
        let query = self.search.as_ref().and_then(|s| s.query());
        let focus = self.focus;
        self.tree.render(frame, p.tree, focus == Pane::Tree, d, ctx);
        self.evidence.render(
            frame,
            p.evidence,
            focus == Pane::Evidence,
            d,
            notes,
            query,
            ctx,
        );
        self.causes.render(
            frame,
            p.causes,
            p.detail,
            focus == Pane::Causes,
            d,
            query,
            ctx,
        );
        (p.message, p.footer)
    }
}
