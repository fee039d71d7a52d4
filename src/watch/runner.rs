//! Running checks over and over: at a steady pace for `watch` (changed live by the TUI), or
//! with backoff until the target is up for `wait`. Each target has its own task; their
//! results arrive on one channel, tagged with the target's index.

use super::backoff::{self, Backoff};
use super::expect::StatusSet;
use crate::probe::reach::{self, FailKind, Sample};
use crate::target::Target;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

#[derive(Debug)]
pub enum Update {
    /// A check of target `.0` has started.
    Started(usize),
    Checked(usize, Sample),
    /// The check of target `.0` that had started was dropped unfinished, because the checks
    /// were paused meanwhile: it counts for nothing.
    Abandoned(usize),
    /// Target `.0` has had all the checks `--count` allows.
    Finished(usize),
}

/// The watch loop's pace, which the TUI changes while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub interval: Duration,
    pub paused: bool,
}

/// What every check of a run shares.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The limit for one check.
    pub timeout: Duration,
    pub expect: Arc<StatusSet>,
    /// Stop after this many checks of each target.
    pub count: Option<u64>,
}

/// Checks `target` every `pace.interval` (from the start of one check to the start of the
/// next, so a slow answer does not slow the rhythm) until `count` checks or until the
/// receiver goes away. A pause stops a check under way too: it is dropped unfinished (its
/// connection closed) and reported as [`Update::Abandoned`], never as a result.
pub fn spawn_watch(
    idx: usize,
    target: Arc<Target>,
    plan: Plan,
    mut pace: watch::Receiver<Pace>,
    tx: mpsc::UnboundedSender<Update>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut done = 0u64;
        loop {
            while pace.borrow_and_update().paused {
                if pace.changed().await.is_err() {
                    return;
                }
            }
            let started = Instant::now();
            if tx.send(Update::Started(idx)).is_err() {
                return;
            }
            let check = reach::check(&target, plan.timeout, &plan.expect);
            tokio::pin!(check);
            let sample = loop {
                tokio::select! {
                    sample = &mut check => break Some(sample),
                    r = pace.changed() => {
                        if r.is_err() {
                            return;
                        }
                        if pace.borrow_and_update().paused {
                            break None;
                        }
                    }
                }
            };
            let Some(sample) = sample else {
                if tx.send(Update::Abandoned(idx)).is_err() {
                    return;
                }
                continue;
            };
            if tx.send(Update::Checked(idx, sample)).is_err() {
                return;
            }
            done += 1;
            if plan.count.is_some_and(|n| done >= n) {
                let _ = tx.send(Update::Finished(idx));
                return;
            }
            // Sleep until the next check is due; a new pace (pause, another interval) is
            // taken into account at once.
            loop {
                let Pace { interval, paused } = *pace.borrow_and_update();
                if paused {
                    break;
                }
                tokio::select! {
                    _ = tokio::time::sleep_until((started + interval).into()) => break,
                    r = pace.changed() => if r.is_err() { return },
                }
            }
        }
    })
}

/// How `wait` retries one target.
#[derive(Debug, Clone)]
pub struct Retry {
    /// The limit for one attempt (shortened to what is left before the deadline).
    pub attempt_timeout: Duration,
    pub max_interval: Duration,
    pub deadline: Option<Instant>,
    pub expect: Arc<StatusSet>,
}

/// Checks `target` until it is up, pausing with backoff and full jitter between attempts.
/// Stops by itself at the deadline; the caller aborts it sooner if it likes.
pub fn spawn_wait(
    idx: usize,
    target: Arc<Target>,
    retry: Retry,
    tx: mpsc::UnboundedSender<Update>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let seed = backoff::seed() ^ (idx as u64).wrapping_mul(0x9E37_79B9);
        let mut backoff = Backoff::new(backoff::BASE, retry.max_interval, seed);
        let left = || {
            retry
                .deadline
                .map(|d| d.saturating_duration_since(Instant::now()))
        };
        let mut attempts = 0u32;
        loop {
            let limit = match left() {
                Some(l) if l.is_zero() => return,
                Some(l) => retry.attempt_timeout.min(l),
                None => retry.attempt_timeout,
            };
            let sample = reach::check(&target, limit, &retry.expect).await;
            // An attempt cut short by the deadline says little about the target: the reason
            // given at the timeout stays the last full attempt's, when there was one.
            let cut_short = limit < retry.attempt_timeout
                && sample
                    .error
                    .as_ref()
                    .is_some_and(|f| f.kind == FailKind::Timeout);
            if cut_short && attempts > 0 {
                return;
            }
            attempts += 1;
            let up = sample.up;
            if tx.send(Update::Checked(idx, sample)).is_err() || up {
                return;
            }
            let pause = backoff.next_pause();
            tokio::time::sleep(left().map_or(pause, |l| pause.min(l))).await;
        }
    })
}
