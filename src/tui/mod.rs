//! The guided TUI: `connfix`, `connfix TARGET` and `connfix demo`. State lives in
//! [`app::App`]; every input (keys, mouse, probe events, ticks, signals) arrives as one
//! [`event::Event`] in one loop here, which draws a frame from the state when it changed.

mod actions;
pub mod app;
pub mod bindings;
pub mod clipboard;
pub mod components;
pub mod diagnosis;
mod draw;
pub mod event;
pub mod history;
pub mod journal;
pub mod keys;
pub mod terminal;
pub mod view;
pub mod watch;

use crate::knowledge::Knowledge;
use crate::knowledge::checklists::ChecklistDef;
use crate::probe::{self, Settings};
use crate::session::SessionRecord;
use crate::session::store::{self, Lock, Store};
use crate::target::{ParseOptions, Target};
use app::App;
use event::{Command, Event};
use ratatui::crossterm::event::{self as ct, Event as CtEvent};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How long to wait before saving again after a save failed.
const SAVE_RETRY: Duration = Duration::from_secs(2);
/// How often spinners and clocks move while something runs.
const TICK: Duration = Duration::from_millis(100);
/// How long the input thread waits for a key before checking whether to stop.
const INPUT_POLL: Duration = Duration::from_millis(100);

pub enum Start {
    /// A bare `connfix`: ask for the target.
    Prompt,
    Target(Target),
    /// `connfix checklist NAME [--target TARGET]`.
    Checklist(Box<ChecklistDef>, Option<Target>),
    /// `connfix resume`: a saved session, the file it came from, and its lock (taken
    /// before the terminal is, so a refusal is a plain message).
    Resume(Box<SessionRecord>, PathBuf, Lock),
}

pub struct Options {
    pub settings: Settings,
    pub parse_opts: ParseOptions,
    /// `--public` and `--answer`.
    pub flags: crate::diagnose::Context,
    pub log_file: Option<PathBuf>,
    /// A line under the header (the demo explains what it staged).
    pub banner: Option<String>,
}

/// The terminal could not be taken over (or, after a diagnosis opened from `watch`, taken
/// back).
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("cannot take over the terminal: {0}")]
    Terminal(#[source] std::io::Error),
    /// After a diagnosis opened from `watch`, the terminal could not be set up again.
    #[error("cannot take the terminal back: {0}")]
    TakeBack(#[source] std::io::Error),
}

/// Runs the TUI until the person quits; returns the exit code.
pub async fn run(start: Start, opts: Options, kb: Arc<Knowledge>) -> Result<i32, TuiError> {
    let log_path = opts.log_file.clone().or_else(crate::log::default_path);
    let log_problem = match &log_path {
        Some(p) => crate::log::open(p).err().map(|e| e.to_string()),
        None => Some("no home directory for the log file; use --log-file PATH".into()),
    };
    crate::log::line(&format!(
        "connfix {} TUI started",
        env!("CARGO_PKG_VERSION")
    ));

    let mut terminal = terminal::enter().map_err(TuiError::Terminal)?;
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let mut app = App::new(kb, opts.settings, size);
    app.parse_opts = opts.parse_opts;
    app.flags = opts.flags;
    app.banner = opts.banner;
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    app.history = history::load();
    app.flash = log_problem;

    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let stop_input = Arc::new(AtomicBool::new(false));
    let _input = spawn_input(tx.clone(), stop_input.clone());
    spawn_ticks(tx.clone());
    spawn_signals(tx.clone());

    let mut runner = Runner {
        tx: tx.clone(),
        all: CancellationToken::new(),
        runs: HashMap::new(),
        store: Store::open_default(),
        lock: None,
        retry_at: None,
    };
    let first = match start {
        Start::Prompt => {
            app.ask_for_target();
            Vec::new()
        }
        Start::Target(t) => app.start(t),
        Start::Checklist(def, target) => app.start_checklist(&def, target),
        Start::Resume(rec, path, lock) => {
            runner.lock = Some((path.clone(), lock));
            app.resume(&rec, path)
        }
    };
    runner.execute(&mut app, first);
    runner.autosave(&mut app);

    let mut dirty = true;
    let mut frames = 0u64;
    let (mut draw_total, mut draw_max) = (Duration::ZERO, Duration::ZERO);
    while !app.quit {
        if dirty {
            let t0 = std::time::Instant::now();
            if let Err(e) = terminal.draw(|f| app.draw(f)) {
                crate::log::line(&format!("drawing failed: {e}"));
                break;
            }
            let took = t0.elapsed();
            draw_total += took;
            draw_max = draw_max.max(took);
            frames += 1;
            if frames == 1 {
                let ms = crate::log::ms_since_start();
                crate::log::line(&format!("first frame drawn {ms:.1} ms after start"));
                // Lets the tests check that a panic restores the terminal (debug builds only).
                #[cfg(debug_assertions)]
                if std::env::var_os("CONNFIX_TEST_PANIC").is_some() {
                    panic!("CONNFIX_TEST_PANIC is set: panicking on purpose");
                }
            }
        }
        let Some(mut ev) = rx.recv().await else { break };
        dirty = false;
        loop {
            // A tick only changes the screen while something animates.
            dirty |= !matches!(ev, Event::Tick) || app.animating();
            let cmds = app.update(ev);
            runner.execute(&mut app, cmds);
            // Take whatever else is already queued before drawing again.
            match rx.try_recv() {
                Ok(next) if !app.quit => ev = next,
                _ => break,
            }
        }
        // Saved at every change, so a crash, kill -9 or closed terminal loses nothing.
        let had_error = app.journal.as_ref().is_some_and(|j| j.save_error.is_some());
        runner.autosave(&mut app);
        dirty |= had_error != app.journal.as_ref().is_some_and(|j| j.save_error.is_some());
    }
    runner.retry_at = None;
    runner.autosave(&mut app);
    // The last chance not to lose the session: the temp directory, said on the way out.
    let mut parting = None;
    if let Some(j) = &mut app.journal {
        if let Some(e) = j.save_error.take() {
            j.alt_dir = Some(std::env::temp_dir());
            j.unsaved = true;
            runner.retry_at = None;
            runner.autosave(&mut app);
            parting = app.journal.as_ref().map(|j| match (&j.save_error, &j.file) {
                (None, Some(f)) => format!(
                    "connfix: the session could not be saved ({e}); a copy is in {} (`connfix resume {}` reopens it)",
                    f.display(),
                    f.display()
                ),
                _ => format!(
                    "connfix: the session could not be saved ({e}), nor in the temp directory"
                ),
            });
        } else if let Some(file) = &j.file {
            crate::log::line(&format!("session {} saved in {}", j.id, file.display()));
        }
    }
    // On a normal quit, say how to come back to the session.
    if parting.is_none() && app.exit_code == 0 {
        parting = app.parting();
    }
    runner.all.cancel();
    stop_input.store(true, Ordering::Relaxed);
    terminal::leave();
    if let Some(p) = parting {
        crate::log::line(&p);
        eprintln!("{p}");
    }
    let mean_us = draw_total.as_micros() / u128::from(frames.max(1));
    crate::log::line(&format!(
        "TUI closed after {frames} frames; drawing took {mean_us} µs on average, {} µs at most",
        draw_max.as_micros()
    ));
    Ok(app.exit_code)
}

/// Why the session (or its report) could not be written; shown in the TUI, which keeps the
/// session in memory and tries again.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("no session to save")]
    NoSession,
    #[error(transparent)]
    NoHome(#[from] store::NoHome),
    #[error(transparent)]
    Lock(#[from] store::LockError),
    #[error(transparent)]
    File(#[from] store::FileError),
}

/// Carries out the app's commands: starts and cancels probe runs, copies, remembers.
struct Runner {
    tx: mpsc::UnboundedSender<Event>,
    /// Parent of every run's token: cancelling it stops all probes.
    all: CancellationToken,
    runs: HashMap<u64, CancellationToken>,
    /// The data directory's session store (an error when there is no home directory).
    store: Result<Store, store::NoHome>,
    /// The lock of the session file being written, taken at its first save.
    lock: Option<(PathBuf, Lock)>,
    /// After a failed save, when to try again.
    retry_at: Option<std::time::Instant>,
}

impl Runner {
    fn execute(&mut self, app: &mut App, cmds: Vec<Command>) {
        for c in cmds {
            match c {
                Command::StartAll { run } => self.launch(app, run, None),
                Command::Rerun { run, probe } => self.launch(app, run, Some(probe)),
                Command::Copy(text) => {
                    let mut out = std::io::stdout();
                    let _ = out.write_all(clipboard::osc52(&text).as_bytes());
                    let _ = out.flush();
                }
                Command::Remember(target) => {
                    if let Err(e) = history::remember(&mut app.history, &target) {
                        crate::log::line(&e.to_string());
                    }
                }
                Command::Log(line) => crate::log::line(&line),
                Command::ListContainers => {
                    let (tx, within) = (self.tx.clone(), app.settings.timeout);
                    tokio::spawn(async move {
                        let r = crate::probe::container::list_running(within).await;
                        let _ = tx.send(Event::Containers(r));
                    });
                }
                Command::LookFrom(name) => {
                    let (tx, within) = (self.tx.clone(), app.settings.timeout);
                    tokio::spawn(async move {
                        let from = crate::probe::vantage::From::Container(name);
                        let r = crate::probe::vantage::resolve(&from, within).await;
                        let _ = tx.send(Event::Vantage(r));
                    });
                }
                Command::SaveReport => self.save_report(app),
                Command::Quit => self.all.cancel(),
            }
        }
        self.prune(app);
    }

    /// Where the session file goes: the directory the person chose after a failure, the
    /// file it was resumed from, or the data directory.
    fn session_path(&self, app: &App) -> Result<PathBuf, SaveError> {
        let j = app.journal.as_ref().ok_or(SaveError::NoSession)?;
        if let Some(dir) = &j.alt_dir {
            return Ok(dir.join(format!("connfix-{}.json", j.id)));
        }
        if let Some(f) = &j.file {
            return Ok(f.clone());
        }
        Ok(self.store.as_ref().map_err(|e| *e)?.path_of(&j.id))
    }

    /// Writes the session if it changed. A failure is shown and the session stays in
    /// memory; the next change tries again.
    fn autosave(&mut self, app: &mut App) {
        if !app.journal.as_ref().is_some_and(|j| j.unsaved) {
            return;
        }
        if self.retry_at.is_some_and(|t| std::time::Instant::now() < t) {
            return;
        }
        let Some(rec) = app.record() else {
            return;
        };
        let result = self.session_path(app).and_then(|path| {
            if self.lock.as_ref().is_none_or(|(p, _)| *p != path) {
                let lock = store::lock(&path)?;
                self.lock = Some((path.clone(), lock));
            }
            store::save_to(&path, &rec)?;
            Ok(path)
        });
        let Some(j) = app.journal.as_mut() else {
            return;
        };
        match result {
            Ok(path) => {
                j.unsaved = false;
                j.file = Some(path);
                j.save_error = None;
                self.retry_at = None;
            }
            Err(e) => {
                // Still unsaved: tried again a little later, and at the end.
                self.retry_at = Some(std::time::Instant::now() + SAVE_RETRY);
                if j.save_error.as_deref() != Some(e.to_string().as_str()) {
                    crate::log::line(&format!("session not saved: {e}"));
                }
                j.save_error = Some(e.to_string());
            }
        }
    }

    /// `s`: saves the session and writes its reports beside it.
    fn save_report(&mut self, app: &mut App) {
        let Some(j) = app.journal.as_mut() else {
            return;
        };
        j.unsaved = true;
        // The person asked: try now, whatever the retry delay says.
        self.retry_at = None;
        self.autosave(app);
        let Some(j) = app.journal.as_ref() else {
            return;
        };
        // The message shown: the autosave's own failure when it just failed.
        let result = match (&j.save_error, &j.alt_dir, &self.store) {
            (Some(e), _, _) => Err(e.clone()),
            (None, Some(dir), _) => self
                .write_reports(app, dir, &format!("connfix-{}", j.id))
                .map_err(|e| e.to_string()),
            (None, None, Ok(store)) => self
                .write_reports(app, &store.reports_dir(), &j.id)
                .map_err(|e| e.to_string()),
            (None, None, Err(e)) => Err(e.to_string()),
        };
        if let Err(e) = &result {
            crate::log::line(&format!("report not saved: {e}"));
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        app.report_saved(result, &cwd);
    }

    fn write_reports(
        &self,
        app: &App,
        dir: &std::path::Path,
        stem: &str,
    ) -> Result<String, SaveError> {
        let rec = app.record().ok_or(SaveError::NoSession)?;
        let md = dir.join(format!("{stem}.md"));
        let html = dir.join(format!("{stem}.html"));
        for (path, text) in [
            (&md, crate::session::markdown::render(&rec)),
            (&html, crate::session::html::render(&rec)),
        ] {
            store::write_atomic(path, text.as_bytes())?;
        }
        crate::log::line(&format!("report saved: {}", md.display()));
        Ok(format!(
            "report saved: {} (and .html); `connfix report export {}` gives other formats",
            md.display(),
            rec.id
        ))
    }

    /// Cancels the runs that no probe listens to any more (all their probes were re-run
    /// since), so repeated re-runs of a hanging probe do not pile up.
    fn prune(&mut self, app: &App) {
        let live: HashSet<u64> = (app.diagnosis.iter())
            .flat_map(|s| s.slots.iter().map(|slot| slot.run))
            .collect();
        self.runs.retain(|run, token| {
            let keep = live.contains(run);
            if !keep {
                token.cancel();
            }
            keep
        });
    }

    /// Starts run `run`: every probe, or `only` one again (with the chain after it). The runs
    /// it replaces are cancelled by [`Runner::prune`].
    fn launch(&mut self, app: &App, run: u64, only: Option<probe::ProbeId>) {
        let Some(s) = &app.diagnosis else {
            return;
        };
        let token = self.all.child_token();
        let (target, settings) = (s.target.clone(), app.settings.clone());
        let mut rx = match only {
            None => probe::spawn(target, settings, token.clone()),
            Some(id) => probe::spawn_rerun(target, settings, id, &s.reports(), token.clone()),
        };
        self.runs.insert(run, token);
        // Pass the run's probe events into the loop, tagged with the run.
        let tx = self.tx.clone();
        tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                if tx.send(Event::Probe { run, event }).is_err() {
                    break;
                }
            }
        });
    }
}

/// Terminal input is read on its own thread: crossterm's read blocks.
fn spawn_input(
    tx: mpsc::UnboundedSender<Event>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match ct::poll(INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(_) => {
                    // The terminal went away: leave as on a hang-up.
                    let _ = tx.send(Event::Signal(libc::SIGHUP));
                    return;
                }
            }
            let ev = match ct::read() {
                Ok(CtEvent::Key(k)) => Event::Key(k),
                Ok(CtEvent::Mouse(m)) => Event::Mouse(m),
                Ok(CtEvent::Paste(p)) => Event::Paste(p),
                Ok(CtEvent::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(_) => {
                    let _ = tx.send(Event::Signal(libc::SIGHUP));
                    return;
                }
            };
            if tx.send(ev).is_err() {
                return;
            }
        }
    })
}

pub(crate) fn spawn_ticks(tx: mpsc::UnboundedSender<Event>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(TICK);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            every.tick().await;
            if tx.send(Event::Tick).is_err() {
                break;
            }
        }
    });
}

pub(crate) fn spawn_signals(tx: mpsc::UnboundedSender<Event>) {
    use tokio::signal::unix::{SignalKind, signal};
    for (kind, num) in [
        (SignalKind::terminate(), libc::SIGTERM),
        (SignalKind::hangup(), libc::SIGHUP),
        (SignalKind::interrupt(), libc::SIGINT),
    ] {
        let Ok(mut stream) = signal(kind) else {
            continue;
        };
        let tx = tx.clone();
        tokio::spawn(async move {
            if stream.recv().await.is_some() {
                let _ = tx.send(Event::Signal(num));
            }
        });
    }
}
