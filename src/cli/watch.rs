//! `connfix watch`: the live TUI on a terminal; otherwise (or with --json) one JSON object
//! per check on stdout, for logs and scripts.

use super::{CheckFlags, CliError, ExpectFlag};
use crate::knowledge::Knowledge;
use crate::watch::Row;
use crate::watch::runner::{self, Pace, Plan, Update};
use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);
pub const MAX_INTERVAL: Duration = Duration::from_secs(3600);

pub struct WatchArgs<'a> {
    pub targets: &'a [OsString],
    pub interval: Option<&'a str>,
    pub count: Option<&'a str>,
    pub expect: &'a ExpectFlag,
    pub no_bell: bool,
}

pub use crate::watch::Watch;

pub fn prepare(
    args: &WatchArgs<'_>,
    settings: &crate::probe::Settings,
    opts: crate::target::ParseOptions,
    kb: &Knowledge,
) -> Result<Watch, CliError> {
    let targets = super::parse_targets(args.targets, opts, kb)?;
    let expect = Arc::new(super::parse_expect(args.expect, &targets)?);
    let interval = match args.interval {
        None => DEFAULT_INTERVAL,
        Some(t) => super::parse_duration("--interval", t, MIN_INTERVAL, MAX_INTERVAL)?,
    };
    let count = match args.count {
        None => None,
        Some(c) => match c.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                return super::usage(format!(
                    "--count {c} is not a number of checks; use a whole number from 1, e.g. --count 10"
                ));
            }
        },
    };
    Ok(Watch {
        targets,
        plan: Plan {
            timeout: settings.timeout,
            expect,
            count,
        },
        interval,
        bell: !args.no_bell,
    })
}

pub async fn run(
    args: WatchArgs<'_>,
    flags: &CheckFlags,
    kb: Arc<Knowledge>,
) -> Result<i32, CliError> {
    if flags.from.is_some() {
        return super::inside_vantage(flags, |here| {
            Box::pin(async move { run(args, &here, kb).await })
        })
        .await;
    }
    let (settings, ctx, parse_opts) = super::settings(flags, &kb)?;
    let w = prepare(&args, &settings, parse_opts, &kb)?;
    if flags.json || !super::interactive() {
        return Ok(ndjson(w).await);
    }
    let opts = crate::tui::Options {
        settings,
        parse_opts,
        flags: ctx,
        log_file: flags.log_file.clone(),
        banner: None,
    };
    crate::tui::watch::run(w, opts, kb).await.map_err(|e| {
        CliError::Failed(format!(
            "{e}; `connfix watch TARGET --json` prints the checks as lines instead"
        ))
    })
}

/// Prints one JSON line per check until `--count` (or until the reader goes away). Exit 0
/// when the last check of every target was up, 1 otherwise. SIGINT, SIGHUP and SIGTERM stop
/// it between two lines with exit 128+n, as the TUI does: a reader never gets half a record.
async fn ndjson(w: Watch) -> i32 {
    // Before the first check, so a signal can never find the default action in place.
    let mut stop = stop_signals();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (_pace_tx, pace) = watch::channel(Pace {
        interval: w.interval,
        paused: false,
    });
    let mut rows: Vec<Row> = w
        .targets
        .iter()
        .map(|t| Row::new(t.redacted.clone()))
        .collect();
    for (i, t) in w.targets.into_iter().enumerate() {
        runner::spawn_watch(i, Arc::new(t), w.plan.clone(), pace.clone(), tx.clone());
    }
    drop(tx);
    loop {
        let update = tokio::select! {
            // A line is written whole inside one turn of this loop; the signal is seen after.
            biased;
            Some(signal) = stop.recv() => return 128 + signal,
            update = rx.recv() => update,
        };
        let Some(update) = update else { break };
        if let Update::Checked(i, sample) = update {
            let (record, _) = rows[i].apply(sample);
            match serde_json::to_string(&record) {
                Ok(line) => crate::outln!("{}", crate::sanitize::json(line)),
                Err(e) => eprintln!("connfix: could not write JSON: {e}"),
            }
        }
    }
    let all_up = rows
        .iter()
        .all(|r| r.state == Some(crate::watch::State::Up));
    if all_up { 0 } else { 1 }
}

/// The number of the first of SIGINT, SIGHUP and SIGTERM to arrive. Once this returns, they
/// no longer end the process by their default action.
fn stop_signals() -> mpsc::UnboundedReceiver<i32> {
    use tokio::signal::unix::{SignalKind, signal};
    let (tx, rx) = mpsc::unbounded_channel();
    for (kind, number) in [
        (SignalKind::interrupt(), libc::SIGINT),
        (SignalKind::hangup(), libc::SIGHUP),
        (SignalKind::terminate(), libc::SIGTERM),
    ] {
        // Without a handler (never seen in practice) the default action still stops connfix.
        let Ok(mut stream) = signal(kind) else {
            continue;
        };
        let tx = tx.clone();
        tokio::spawn(async move {
            if stream.recv().await.is_some() {
                let _ = tx.send(number);
            }
        });
    }
    rx
}
