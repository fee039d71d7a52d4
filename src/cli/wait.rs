//! `connfix wait`: block until every target is up, then hand over to a command. Built for
//! container entrypoints and CI steps, like wait-for-it: exit 0 (or the command's code)
//! when all are up, 124 when the timeout passes first, as `timeout(1)` does.

use super::{CheckFlags, CliError, ExpectFlag};
use crate::knowledge::Knowledge;
use crate::probe::reach::Sample;
use crate::target::Target;
use crate::watch::reason;
use crate::watch::runner::{self, Retry, Update};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Exit code when the timeout passes first (the code `timeout(1)` uses).
pub const EXIT_TIMEOUT: i32 = 124;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(1);
/// The limit for one attempt: a dropped SYN is retried by the kernel after 1 s and 3 s, so
/// this covers those retries; a longer silence is reported as a timeout and tried again.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the progress line on a terminal moves.
const REDRAW: Duration = Duration::from_millis(200);

pub struct WaitArgs<'a> {
    pub targets: &'a [OsString],
    pub timeout: Option<&'a str>,
    pub max_interval: Option<&'a str>,
    pub quiet: bool,
    pub expect: &'a ExpectFlag,
    pub command: &'a [OsString],
}

pub async fn run(args: WaitArgs<'_>, flags: &CheckFlags, kb: &Knowledge) -> Result<i32, CliError> {
    let timeout_text = args.timeout;
    if flags.from.is_some() {
        return super::inside_vantage(flags, |here| {
            Box::pin(async move { run(args, &here, kb).await })
        })
        .await;
    }
    let (_, _, opts) = super::settings(flags, kb)?;
    let targets = super::parse_targets(args.targets, opts, kb)?;
    let expect = Arc::new(super::parse_expect(args.expect, &targets)?);
    let timeout = match timeout_text {
        None => Some(DEFAULT_TIMEOUT),
        Some(t) if t.trim().parse::<f64>() == Ok(0.0) => None,
        Some(t) => Some(super::parse_duration(
            "--timeout",
            t,
            Duration::from_millis(10),
            Duration::from_secs(7 * 24 * 3600),
        )?),
    };
    let max_interval = match args.max_interval {
        None => DEFAULT_MAX_INTERVAL,
        Some(t) => super::parse_duration(
            "--max-interval",
            t,
            Duration::from_millis(10),
            Duration::from_secs(3600),
        )?,
    };
    if flags.json {
        return super::usage(
            "wait has no JSON output: its exit code says the answer (0 up, 124 timed out); use `connfix watch --json` for a record of every check",
        );
    }
    if let Some(cmd) = args.command.first()
        && cmd.is_empty()
    {
        return super::usage("the command after -- is empty; write e.g. -- ./server --port 8080");
    }

    let started = Instant::now();
    let deadline = timeout.map(|t| started + t);
    let mut progress = Progress::new(&targets, args.quiet, std::io::stderr().is_terminal());
    progress.begin(timeout, max_interval);

    let (tx, mut rx) = mpsc::unbounded_channel();
    let tasks: Vec<_> = targets
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let retry = Retry {
                attempt_timeout: ATTEMPT_TIMEOUT,
                max_interval,
                deadline,
                expect: expect.clone(),
            };
            runner::spawn_wait(i, Arc::new(t), retry, tx.clone())
        })
        .collect();
    drop(tx);

    let expired = async {
        match deadline {
            Some(d) => tokio::time::sleep_until(d.into()).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(expired);
    let mut redraw = tokio::time::interval(REDRAW);
    let all_up = loop {
        tokio::select! {
            update = rx.recv() => match update {
                Some(Update::Checked(i, s)) => {
                    progress.checked(i, s);
                    if progress.all_up() {
                        break true;
                    }
                }
                Some(_) => {}
                // Every task has stopped: all up, or each reached the deadline.
                None => break progress.all_up(),
            },
            _ = &mut expired => break progress.all_up(),
            _ = redraw.tick(), if progress.live() => progress.draw(),
        }
    };
    for t in &tasks {
        t.abort();
    }
    progress.clear();
    if !all_up {
        eprintln!(
            "connfix wait: timed out after {}; still down: {}",
            took(started.elapsed()),
            progress.still_down()
        );
        return Ok(EXIT_TIMEOUT);
    }
    progress.done(started.elapsed(), args.command.first());
    match args.command.split_first() {
        None => Ok(0),
        Some((program, rest)) => Ok(exec(program, rest)),
    }
}

/// Replaces connfix with the command, so it gets connfix's process id and signals (as PID 1
/// in a container it then receives the stop signal itself), and its exit code is the one
/// the caller sees. Returns only when the command cannot be started.
fn exec(program: &OsString, args: &[OsString]) -> i32 {
    use std::os::unix::process::CommandExt;
    let _ = std::io::stdout().flush();
    let err = std::process::Command::new(program).args(args).exec();
    let name = program.to_string_lossy();
    let (code, what) = match err.kind() {
        std::io::ErrorKind::NotFound => (
            127,
            "not found; give a path, or a program on PATH".to_string(),
        ),
        std::io::ErrorKind::PermissionDenied => (
            126,
            "permission denied; is it executable (chmod +x)?".into(),
        ),
        _ => (126, err.to_string()),
    };
    eprintln!("connfix wait: every target is up, but the command {name} cannot be run: {what}");
    code
}

/// "0.4 ms", "350 ms", "1.16 s", "2m 05s": precise while it is short.
fn took(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    match d.as_secs() {
        _ if ms < 10.0 => format!("{ms:.1} ms"),
        _ if ms < 1000.0 => format!("{ms:.0} ms"),
        0..60 => format!("{:.2} s", d.as_secs_f64()),
        s => crate::watch::compact(Duration::from_secs(s)),
    }
}

/// What each target has done so far, and how it is told: one updating line on a
/// terminal, plain lines otherwise, nothing with --quiet.
struct Progress {
    labels: Vec<String>,
    attempts: Vec<u32>,
    up_after: Vec<Option<Duration>>,
    last: Vec<Option<Sample>>,
    /// The last reason printed for each target, so plain output says each change once.
    said: Vec<Option<String>>,
    started: Instant,
    timeout: Option<Duration>,
    quiet: bool,
    tty: bool,
    /// A progress line is on the screen and must be cleared before other output.
    drawn: bool,
    frame: u64,
}

impl Progress {
    fn new(targets: &[Target], quiet: bool, tty: bool) -> Progress {
        let n = targets.len();
        Progress {
            labels: targets.iter().map(|t| t.redacted.clone()).collect(),
            attempts: vec![0; n],
            up_after: vec![None; n],
            last: vec![None; n],
            said: vec![None; n],
            started: Instant::now(),
            timeout: None,
            quiet,
            tty,
            drawn: false,
            frame: 0,
        }
    }

    fn live(&self) -> bool {
        self.tty && !self.quiet
    }

    fn all_up(&self) -> bool {
        self.up_after.iter().all(Option::is_some)
    }

    fn say(&mut self, line: &str) {
        if self.quiet {
            return;
        }
        self.clear();
        eprintln!("connfix wait: {line}");
    }

    fn begin(&mut self, timeout: Option<Duration>, max_interval: Duration) {
        self.timeout = timeout;
        let limit = match timeout {
            Some(t) => format!("timeout {}", humantime::format_duration(t)),
            None => "no timeout".into(),
        };
        let line = format!(
            "waiting for {} ({limit}, at most {} between attempts)",
            self.labels.join(", "),
            humantime::format_duration(max_interval)
        );
        // On a terminal the updating line says this; plain output says it once.
        if !self.tty {
            self.say(&line);
        }
    }

    fn checked(&mut self, i: usize, s: Sample) {
        self.attempts[i] += 1;
        let label = self.labels[i].clone();
        if s.up {
            let after = self.started.elapsed();
            self.up_after[i] = Some(after);
            let attempts = self.attempts[i];
            self.say(&format!(
                "{label} is up after {} (attempt {attempts})",
                took(after)
            ));
        } else if let Some(f) = &s.error {
            let why = reason(&label, f);
            if !self.tty && self.said[i].as_ref() != Some(&why) {
                self.say(&format!("{label} is down: {why}"));
            }
            self.said[i] = Some(why);
        }
        self.last[i] = Some(s);
        if self.live() {
            self.draw();
        }
    }

    /// The updating line: a spinner, the time, and each target still awaited.
    fn draw(&mut self) {
        self.frame += 1;
        let elapsed = self.started.elapsed().as_secs_f64();
        let of = self
            .timeout
            .map(|t| format!(" of {}", humantime::format_duration(t)))
            .unwrap_or_default();
        let waiting: Vec<String> = (0..self.labels.len())
            .filter(|i| self.up_after[*i].is_none())
            .map(|i| {
                let state = match self.last[i].as_ref().and_then(|s| s.error.as_ref()) {
                    Some(f) => f.kind.as_str(),
                    None => "checking",
                };
                format!("{} {state}", self.labels[i])
            })
            .collect();
        let line = format!(
            "{} waiting {elapsed:.1}s{of} · {}",
            crate::tui::view::spinner(self.frame),
            waiting.join(" · ")
        );
        let width = ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w as usize);
        let line: String = line.chars().take(width.saturating_sub(1)).collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    fn clear(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }

    fn done(&mut self, after: Duration, command: Option<&OsString>) {
        let after = took(after);
        let all = match self.labels.len() {
            1 => "the target is up".to_string(),
            n => format!("all {n} targets are up after {after}"),
        };
        if let Some(cmd) = command {
            self.say(&format!("{all}; running {}", cmd.to_string_lossy()));
        } else if self.labels.len() > 1 {
            self.say(&all);
        }
    }

    /// Each target not yet up, with why its last attempt failed.
    fn still_down(&self) -> String {
        (0..self.labels.len())
            .filter(|i| self.up_after[*i].is_none())
            .map(|i| {
                let why = match self.last[i].as_ref().and_then(|s| s.error.as_ref()) {
                    Some(f) => reason(&self.labels[i], f),
                    None => "no answer yet: its first attempt was still running".into(),
                };
                format!("{} — {why}", self.labels[i])
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}
