//! The watch screen's state and how each event changes it. Pure: what must happen outside
//! (a new pace for the checks, a bell, opening a diagnosis) comes back as commands.

use crate::probe::reach::Sample;
use crate::tui::components::help::Help;
use crate::tui::keys::{self, Binding, Group, Hint, Key};
use crate::watch::runner::Pace;
use crate::watch::{Change, Row, Transition};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

/// The transitions log keeps this many lines.
pub const LOG_MAX: usize = 500;
/// The intervals `+` and `-` step through.
pub const STEPS_MS: [u64; 12] = [
    100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 3_600_000,
];

/// What a key on the watch screen stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Up,
    Down,
    Top,
    Bottom,
    Diagnose,
    /// Pause and Resume share their keys; the footer shows the one that applies.
    Pause,
    Resume,
    Longer,
    Shorter,
    BellOn,
    BellOff,
    Help,
    Quit,
}

/// The watch screen's keys: dispatch, footer and help all read this table. `Esc` is not
/// here: it closes the help and never quits, as on the diagnosis screen.
pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Up), Key::Char('k')],
        label: "↑ k",
        footer: "",
        help: "select the target above",
        action: Act::Up,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Down), Key::Char('j')],
        label: "↓ j",
        footer: "target",
        help: "select the target below",
        action: Act::Down,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Home), Key::Char('g')],
        label: "g Home",
        footer: "",
        help: "the first target",
        action: Act::Top,
    },
    Binding {
        keys: &[Key::Code(KeyCode::End), Key::Char('G')],
        label: "G End",
        footer: "",
        help: "the last target",
        action: Act::Bottom,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Enter)],
        label: "Enter",
        footer: "diagnose",
        help: "open the guided diagnosis of the selected target (q comes back here)",
        action: Act::Diagnose,
    },
    Binding {
        keys: &[Key::Char(' '), Key::Char('p')],
        label: "Space p",
        footer: "pause",
        help: "pause the checks (a check under way is dropped, not counted)",
        action: Act::Pause,
    },
    Binding {
        keys: &[Key::Char(' '), Key::Char('p')],
        label: "Space p",
        footer: "resume",
        help: "check again",
        action: Act::Resume,
    },
    Binding {
        keys: &[Key::Char('+'), Key::Char('=')],
        label: "+",
        footer: "slower",
        help: "a longer interval between checks",
        action: Act::Longer,
    },
    Binding {
        keys: &[Key::Char('-'), Key::Char('_')],
        label: "-",
        footer: "faster",
        help: "a shorter interval between checks",
        action: Act::Shorter,
    },
    Binding {
        keys: &[Key::Char('b')],
        label: "b",
        footer: "bell on",
        help: "ring the terminal bell when a target goes up or down",
        action: Act::BellOn,
    },
    Binding {
        keys: &[Key::Char('b')],
        label: "b",
        footer: "bell off",
        help: "stop ringing the bell",
        action: Act::BellOff,
    },
    Binding {
        keys: &[Key::Char('?'), Key::Code(KeyCode::F(1))],
        label: "? F1",
        footer: "",
        help: "this help (j k PgDn PgUp scroll it; Esc, ? or q closes it)",
        action: Act::Help,
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c'), Key::Ctrl('q')],
        label: "q Ctrl-C Ctrl-Q",
        footer: "",
        help: "quit watch: the checks stop and the terminal is restored",
        action: Act::Quit,
    },
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchCommand {
    Pace(Pace),
    Bell,
    /// Open the guided diagnosis of target `.0`.
    Diagnose(usize),
    Quit,
}

pub struct WatchApp {
    pub rows: Vec<Row>,
    /// A check of the row is under way.
    pub checking: Vec<bool>,
    /// The check under way for the row began before the last pause: whatever it brings is
    /// dropped (the runner abandons it; a result already on its way is not counted either).
    stale: Vec<bool>,
    /// The row has had all its `--count` checks.
    pub finished: Vec<bool>,
    /// Newest last.
    pub log: VecDeque<Transition>,
    pub selected: usize,
    pub paused: bool,
    pub bell: bool,
    pub interval: Duration,
    pub count: Option<u64>,
    pub color: bool,
    /// Animation frame, moved by ticks.
    pub tick: u64,
    /// "Now" for the durations shown: the wall clock, like the checks' own times (set before
    /// every frame, fixed in tests).
    pub now: SystemTime,
    pub size: (u16, u16),
    pub flash: Option<String>,
    pub quit: bool,
    /// The help overlay, while it is open.
    pub help: Option<Help>,
}

impl WatchApp {
    pub fn new(labels: Vec<String>, interval: Duration, count: Option<u64>, bell: bool) -> Self {
        let n = labels.len();
        WatchApp {
            rows: labels.into_iter().map(Row::new).collect(),
            checking: vec![false; n],
            stale: vec![false; n],
            finished: vec![false; n],
            log: VecDeque::new(),
            selected: 0,
            paused: false,
            bell,
            interval,
            count,
            color: true,
            tick: 0,
            now: SystemTime::now(),
            size: (80, 24),
            flash: None,
            quit: false,
            help: None,
        }
    }

    /// Whether `act` applies now: of two toggles sharing a key, only the current one.
    fn applies(&self, act: Act) -> bool {
        match act {
            Act::Pause => !self.paused,
            Act::Resume => self.paused,
            Act::BellOn => !self.bell,
            Act::BellOff => self.bell,
            _ => true,
        }
    }

    /// The footer's keys, most useful first (the footer adds `? help` and `q quit`).
    pub fn hints(&self) -> Vec<Hint> {
        if self.help.is_some() {
            return keys::hints(crate::tui::components::help::KEYS, |_| true);
        }
        keys::hints(KEYS, |a| self.applies(a))
    }

    /// The help's one group: every key that applies now.
    pub fn help_groups(&self) -> Vec<Group> {
        vec![Group {
            title: "Watch",
            hints: keys::hints(KEYS, |a| self.applies(a)),
        }]
    }

    pub fn pace(&self) -> Pace {
        Pace {
            interval: self.interval,
            paused: self.paused,
        }
    }

    pub fn all_finished(&self) -> bool {
        self.finished.iter().all(|f| *f)
    }

    /// A check finished: the row and the log take it in. Returns whether a target went up
    /// or down (the bell's cue). A check that was under way when the checks were paused is
    /// not counted: the counts, the timeline and the log stand still while paused.
    pub fn checked(&mut self, i: usize, s: Sample) -> bool {
        let Some(row) = self.rows.get_mut(i) else {
            return false;
        };
        self.checking[i] = false;
        // Every check ends in one result or one `abandoned`: either way the mark is spent.
        let stale = std::mem::take(&mut self.stale[i]);
        if self.paused || stale {
            return false;
        }
        let (_, log) = row.apply(s);
        let flipped = log.iter().any(|t| matches!(t.what, Change::Went(_)));
        for t in log {
            if self.log.len() == LOG_MAX {
                self.log.pop_front();
            }
            self.log.push_back(t);
        }
        flipped
    }

    pub fn started(&mut self, i: usize) {
        if i >= self.checking.len() {
            return;
        }
        if self.paused {
            // It began before the runner saw the pause; it will be abandoned.
            self.stale[i] = true;
        } else {
            self.checking[i] = true;
        }
    }

    /// The runner dropped the check of row `i` unfinished (the checks were paused).
    pub fn abandoned(&mut self, i: usize) {
        if i < self.checking.len() {
            self.checking[i] = false;
            self.stale[i] = false;
        }
    }

    pub fn finished(&mut self, i: usize) {
        if let Some(f) = self.finished.get_mut(i) {
            *f = true;
        }
    }

    pub fn key(&mut self, k: KeyEvent) -> Vec<WatchCommand> {
        if k.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.flash = None;
        // Ctrl-C and Ctrl-Q quit from anywhere, the help included (q there closes the help).
        let ctrl = k
            .modifiers
            .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
        if ctrl && keys::lookup(KEYS, &k) == Some(Act::Quit) {
            return self.quit_now();
        }
        if let Some(help) = &mut self.help {
            if !help.on_key(&k) {
                self.help = None;
            }
            return Vec::new();
        }
        let last = self.rows.len().saturating_sub(1);
        match keys::lookup_if(KEYS, &k, |a| self.applies(a)) {
            Some(Act::Quit) => self.quit_now(),
            Some(Act::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Vec::new()
            }
            Some(Act::Down) => {
                self.selected = (self.selected + 1).min(last);
                Vec::new()
            }
            Some(Act::Top) => {
                self.selected = 0;
                Vec::new()
            }
            Some(Act::Bottom) => {
                self.selected = last;
                Vec::new()
            }
            Some(Act::Diagnose) => vec![WatchCommand::Diagnose(self.selected)],
            Some(Act::Pause | Act::Resume) => {
                self.paused = !self.paused;
                if self.paused {
                    // The checks under way are cut short, and none of them will count.
                    for (stale, checking) in self.stale.iter_mut().zip(&mut self.checking) {
                        *stale |= std::mem::take(checking);
                    }
                }
                self.flash = Some(if self.paused {
                    "paused: no checks until space is pressed again".into()
                } else {
                    "checking again".into()
                });
                vec![WatchCommand::Pace(self.pace())]
            }
            Some(Act::Longer) => self.step_interval(true),
            Some(Act::Shorter) => self.step_interval(false),
            Some(Act::BellOn | Act::BellOff) => {
                self.bell = !self.bell;
                self.flash = Some(format!(
                    "bell {}",
                    if self.bell {
                        "on: it rings when a target goes up or down"
                    } else {
                        "off"
                    }
                ));
                Vec::new()
            }
            Some(Act::Help) => {
                self.help = Some(Help::default());
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn quit_now(&mut self) -> Vec<WatchCommand> {
        self.quit = true;
        vec![WatchCommand::Quit]
    }

    fn step_interval(&mut self, longer: bool) -> Vec<WatchCommand> {
        let now = self.interval.as_millis() as u64;
        let next = if longer {
            STEPS_MS.iter().copied().find(|s| *s > now)
        } else {
            STEPS_MS.iter().rev().copied().find(|s| *s < now)
        };
        let Some(ms) = next else {
            self.flash = Some(format!(
                "the interval is already the {} allowed",
                if longer { "longest" } else { "shortest" }
            ));
            return Vec::new();
        };
        self.interval = Duration::from_millis(ms);
        self.flash = Some(format!(
            "a check every {}",
            humantime::format_duration(self.interval)
        ));
        vec![WatchCommand::Pace(self.pace())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(up: bool) -> Sample {
        Sample {
            time: "2026-11-21T10:00:00.000Z".into(),
            up,
            latency_ms: 0.5,
            address: Some("127.0.0.1:1".into()),
            addresses: vec!["127.0.0.1".parse().unwrap()],
            status: None,
            error: None,
        }
    }

    fn counts(app: &WatchApp) -> (u64, u64, usize) {
        (app.rows[0].ok, app.rows[0].failed, app.rows[0].recent.len())
    }

    #[test]
    fn a_check_under_way_when_paused_is_not_counted() {
        let mut app = WatchApp::new(vec!["a:1".into()], Duration::from_secs(1), None, true);
        app.started(0);
        app.checked(0, sample(true));
        assert_eq!(counts(&app), (1, 0, 1));

        // Its result was already on its way when space was pressed.
        app.started(0);
        app.key(key(KeyCode::Char(' ')));
        assert!(
            !app.checking[0],
            "no spinner for a check that will not count"
        );
        app.checked(0, sample(true));
        assert_eq!(counts(&app), (1, 0, 1), "counted while paused");

        // The runner noticed the pause first and dropped it.
        app.key(key(KeyCode::Char(' ')));
        app.started(0);
        app.key(key(KeyCode::Char(' ')));
        app.abandoned(0);
        assert_eq!(counts(&app), (1, 0, 1));

        // A check started just before the pause reached the runner.
        app.started(0);
        app.abandoned(0);
        assert_eq!(counts(&app), (1, 0, 1));

        // Paused and resumed while one check ran: it spanned the pause and does not count;
        // the next one does.
        app.key(key(KeyCode::Char(' ')));
        app.started(0);
        app.key(key(KeyCode::Char(' ')));
        app.key(key(KeyCode::Char(' ')));
        app.checked(0, sample(false));
        assert_eq!(
            counts(&app),
            (1, 0, 1),
            "a check that spanned the pause counted"
        );
        app.started(0);
        app.checked(0, sample(false));
        assert_eq!(
            counts(&app),
            (1, 1, 2),
            "the first check after resuming is lost"
        );
        assert!(!app.checking[0]);
    }

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, ratatui::crossterm::event::KeyModifiers::NONE)
    }

    #[test]
    fn esc_never_quits_and_the_help_takes_the_keys_while_open() {
        let mut app = WatchApp::new(
            vec!["a".into(), "b".into()],
            Duration::from_secs(1),
            None,
            true,
        );
        assert!(app.key(key(KeyCode::Esc)).is_empty());
        assert!(!app.quit);
        app.key(key(KeyCode::Char('?')));
        assert!(app.help.is_some());
        // q closes the help, not watch; j scrolls the help, not the rows.
        app.key(key(KeyCode::Char('j')));
        assert_eq!(app.selected, 0);
        assert!(app.key(key(KeyCode::Char('q'))).is_empty());
        assert!(app.help.is_none() && !app.quit);
        // Ctrl-C quits even with the help open.
        app.key(key(KeyCode::Char('?')));
        let ctrl_c = KeyEvent::new(
            KeyCode::Char('c'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        );
        assert_eq!(app.key(ctrl_c), vec![WatchCommand::Quit]);
    }

    #[test]
    fn the_footer_names_the_toggle_that_applies() {
        let mut app = WatchApp::new(vec!["a".into()], Duration::from_secs(1), None, true);
        let words = |app: &WatchApp| app.hints().iter().map(|h| h.footer).collect::<Vec<_>>();
        assert!(words(&app).contains(&"pause") && words(&app).contains(&"bell off"));
        app.key(key(KeyCode::Char(' ')));
        app.key(key(KeyCode::Char('b')));
        assert!(words(&app).contains(&"resume") && words(&app).contains(&"bell on"));
        assert!(!words(&app).contains(&"pause"));
    }

    #[test]
    fn keys_change_the_pace_and_the_selection() {
        let mut app = WatchApp::new(
            vec!["a:1".into(), "b:2".into()],
            Duration::from_secs(1),
            None,
            true,
        );
        assert_eq!(
            app.key(key(KeyCode::Char(' '))),
            vec![WatchCommand::Pace(Pace {
                interval: Duration::from_secs(1),
                paused: true
            })]
        );
        app.key(key(KeyCode::Char('+')));
        assert_eq!(app.interval, Duration::from_secs(2));
        app.interval = Duration::from_millis(300);
        app.key(key(KeyCode::Char('-')));
        assert_eq!(app.interval, Duration::from_millis(250));
        app.interval = Duration::from_millis(100);
        assert!(app.key(key(KeyCode::Char('-'))).is_empty());
        app.key(key(KeyCode::Down));
        app.key(key(KeyCode::Down));
        assert_eq!(app.selected, 1);
        assert_eq!(
            app.key(key(KeyCode::Enter)),
            vec![WatchCommand::Diagnose(1)]
        );
        app.key(key(KeyCode::Char('b')));
        assert!(!app.bell);
        assert_eq!(app.key(key(KeyCode::Char('q'))), vec![WatchCommand::Quit]);
    }
}
