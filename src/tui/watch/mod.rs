//! The `connfix watch` screen: one row per target with its state, a timeline of recent
//! checks, a latency sparkline and its last error, above a log of transitions. Checks run
//! in their own tasks ([`crate::watch::runner`]); this loop takes their results, the keys
//! and the ticks, and draws from [`state::WatchApp`]. Enter opens the guided diagnosis of a
//! target; quitting it comes back here, with the checks still running meanwhile.

pub mod state;
pub mod view;

use super::event::Event;
use super::{Options, Start, TuiError, terminal};
use crate::knowledge::Knowledge;
use crate::watch::Watch;
use crate::watch::runner::{self, Update};
use state::{WatchApp, WatchCommand};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{mpsc, watch};

pub async fn run(w: Watch, opts: Options, kb: Arc<Knowledge>) -> Result<i32, TuiError> {
    let log_path = opts.log_file.clone().or_else(crate::log::default_path);
    if let Some(p) = &log_path {
        let _ = crate::log::open(p);
    }
    crate::log::line(&format!(
        "connfix {} watch started on {} targets",
        env!("CARGO_PKG_VERSION"),
        w.targets.len()
    ));
    let mut terminal = terminal::enter().map_err(TuiError::Terminal)?;
    let labels = w.targets.iter().map(|t| t.redacted.clone()).collect();
    let mut app = WatchApp::new(labels, w.interval, w.plan.count, w.bell);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if let Ok(s) = terminal.size() {
        app.size = (s.width, s.height);
    }

    let (pace_tx, pace_rx) = watch::channel(app.pace());
    let (up_tx, mut updates) = mpsc::unbounded_channel();
    let tasks: Vec<_> = w
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            runner::spawn_watch(
                i,
                Arc::new(t.clone()),
                w.plan.clone(),
                pace_rx.clone(),
                up_tx.clone(),
            )
        })
        .collect();
    drop(up_tx);

    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let mut input = Input::start(tx.clone());
    super::spawn_ticks(tx.clone());
    super::spawn_signals(tx.clone());

    let mut dirty = true;
    let mut exit_code = 0;
    // The second of the wall clock last drawn: "for 2m 05s" moves on once a second, also
    // while nothing else changes (paused, or a long interval).
    let mut drawn_second = 0;
    while !app.quit {
        if dirty {
            app.now = std::time::SystemTime::now();
            drawn_second = unix_second(app.now);
            if let Err(e) = terminal.draw(|f| view::render(f, &mut app)) {
                crate::log::line(&format!("drawing failed: {e}"));
                break;
            }
        }
        let mut cmds = Vec::new();
        let mut ring = false;
        tokio::select! {
            ev = rx.recv() => {
                let Some(ev) = ev else { break };
                dirty = !matches!(ev, Event::Tick)
                    || app.checking.iter().any(|c| *c)
                    || unix_second(std::time::SystemTime::now()) != drawn_second;
                match ev {
                    Event::Key(k) => cmds = app.key(k),
                    Event::Resize(w, h) => app.size = (w, h),
                    Event::Tick => app.tick += 1,
                    Event::Signal(sig) => {
                        // As in the diagnosis TUI: an interruption leaves with 128+n.
                        exit_code = 128 + sig;
                        app.quit = true;
                    }
                    // The diagnosis's own events (probes, containers) do not reach here.
                    Event::Mouse(_)
                    | Event::Paste(_)
                    | Event::Probe { .. }
                    | Event::Containers(_)
                    | Event::Vantage(_) => {}
                }
            }
            up = updates.recv(), if !app.all_finished() => {
                dirty = true;
                match up {
                    Some(Update::Started(i)) => app.started(i),
                    Some(Update::Checked(i, s)) => ring |= app.checked(i, s),
                    Some(Update::Abandoned(i)) => app.abandoned(i),
                    Some(Update::Finished(i)) => app.finished(i),
                    None => app.finished.iter_mut().for_each(|f| *f = true),
                }
            }
        }
        if ring && app.bell {
            cmds.push(WatchCommand::Bell);
        }
        for c in cmds {
            match c {
                WatchCommand::Pace(p) => {
                    let _ = pace_tx.send(p);
                }
                WatchCommand::Bell => {
                    let mut out = std::io::stdout();
                    let _ = out.write_all(b"\x07");
                    let _ = out.flush();
                }
                WatchCommand::Diagnose(i) => {
                    // The diagnosis owns the terminal until it is quit; the checks go on.
                    input.stop();
                    terminal::leave();
                    let target = w.targets[i].clone();
                    let diag = Options {
                        settings: opts.settings.clone(),
                        parse_opts: opts.parse_opts,
                        flags: opts.flags.clone(),
                        log_file: opts.log_file.clone(),
                        banner: Some(format!(
                            "Opened from connfix watch: q goes back to watching {} target{}.",
                            w.targets.len(),
                            if w.targets.len() == 1 { "" } else { "s" }
                        )),
                    };
                    let result = super::run(Start::Target(target), diag, kb.clone()).await;
                    terminal = match terminal::enter() {
                        Ok(t) => t,
                        Err(e) => {
                            for t in &tasks {
                                t.abort();
                            }
                            return Err(TuiError::TakeBack(e));
                        }
                    };
                    let _ = terminal.clear();
                    input = Input::start(tx.clone());
                    if let Err(e) = result {
                        app.flash = Some(format!("the diagnosis could not open: {e}"));
                    }
                    dirty = true;
                }
                WatchCommand::Quit => app.quit = true,
            }
        }
    }
    for t in &tasks {
        t.abort();
    }
    input.stop();
    terminal::leave();
    crate::log::line("watch closed");
    Ok(exit_code)
}

fn unix_second(t: std::time::SystemTime) -> u64 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The thread reading the terminal's input, stopped before a diagnosis takes the terminal
/// (two readers would split the keys between them).
struct Input {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Input {
    fn start(tx: mpsc::UnboundedSender<Event>) -> Input {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = super::spawn_input(tx, stop.clone());
        Input {
            stop,
            thread: Some(thread),
        }
    }

    /// Asks the thread to stop and waits until it has, for at most half a second: it
    /// notices within one input poll (100 ms), unless the terminal is gone (a hang-up),
    /// where crossterm keeps reading the closed input and it is left behind as we exit.
    fn stop(&mut self) {
        const AT_MOST: std::time::Duration = std::time::Duration::from_millis(500);
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let deadline = std::time::Instant::now() + AT_MOST;
            while !t.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}
