//! `connfix watch` and `connfix wait`: repeated up/down checks of targets. This module holds
//! the pure parts (what a check means for a target's row, the NDJSON record, the pacing);
//! [`runner`] runs the checks, and the CLI and TUI show them.

pub mod backoff;
pub mod expect;
pub mod runner;

use crate::probe::reach::{Failure, Sample};
use crate::target::Target;
use serde::Serialize;
use std::collections::VecDeque;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

/// How many recent checks a row keeps for its timeline and sparkline.
pub const HISTORY: usize = 240;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Up,
    Down,
}

impl State {
    pub fn of(up: bool) -> State {
        if up { State::Up } else { State::Down }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            State::Up => "up",
            State::Down => "down",
        }
    }
}

/// Everything a watch needs, validated: the model both the TUI and the NDJSON output run.
pub struct Watch {
    pub targets: Vec<Target>,
    pub plan: runner::Plan,
    pub interval: Duration,
    pub bell: bool,
}

/// One check in a row's history: enough to draw the timeline and the sparkline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub up: bool,
    pub latency_ms: f64,
}

/// Everything known about one watched target.
#[derive(Debug, Clone)]
pub struct Row {
    /// The target as shown (secrets redacted).
    pub label: String,
    pub seq: u64,
    pub state: Option<State>,
    /// When the state last changed: the time of the check that saw the change (RFC 3339),
    /// and the same time parsed, for "up for 2m" measured against the screen's clock. Both
    /// come from the sample, never from the clock at the time it was taken in, so a row's
    /// "since" and its duration always agree with each other and with the other rows.
    pub since: Option<String>,
    pub since_at: Option<SystemTime>,
    pub ok: u64,
    pub failed: u64,
    pub recent: VecDeque<Mark>,
    pub last: Option<Sample>,
    /// The last failure, kept after the target comes back up.
    pub last_failure: Option<Failure>,
    pub addresses: Vec<IpAddr>,
}

/// What the NDJSON output prints for each check (see README, "connfix watch").
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub time: String,
    pub target: String,
    pub seq: u64,
    pub up: bool,
    pub state: State,
    pub changed: bool,
    pub previous: Option<State>,
    pub latency_ms: f64,
    pub address: Option<String>,
    pub addresses: Vec<IpAddr>,
    pub dns_changed: bool,
    pub status: Option<u16>,
    pub error: Option<Failure>,
}

/// A line of the transitions log: a state change, or the name resolving differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub time: String,
    pub target: String,
    pub what: Change,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The first check's answer.
    First(State),
    Went(State),
    Addresses,
}

impl Row {
    pub fn new(label: String) -> Row {
        Row {
            label,
            seq: 0,
            state: None,
            since: None,
            since_at: None,
            ok: 0,
            failed: 0,
            recent: VecDeque::with_capacity(HISTORY),
            last: None,
            last_failure: None,
            addresses: Vec::new(),
        }
    }

    /// Takes in a check: returns its record, and the log lines it causes.
    pub fn apply(&mut self, s: Sample) -> (Record, Vec<Transition>) {
        self.seq += 1;
        let state = State::of(s.up);
        let previous = self.state;
        let changed = previous.is_some_and(|p| p != state);
        // A failed lookup resolves to nothing: that is the DNS error, not an address change.
        let dns_changed = self.seq > 1
            && !s.addresses.is_empty()
            && !self.addresses.is_empty()
            && sorted(&s.addresses) != sorted(&self.addresses);
        let mut log = Vec::new();
        let note = |what, detail: String| Transition {
            time: s.time.clone(),
            target: self.label.clone(),
            what,
            detail,
        };
        if dns_changed {
            log.push(note(
                Change::Addresses,
                format!("{} → {}", join(&self.addresses), join(&s.addresses)),
            ));
        }
        if previous != Some(state) {
            let detail = match &s.error {
                Some(f) => reason(&self.label, f),
                None => match (s.status, &s.address) {
                    (Some(code), _) => format!("HTTP {code} in {:.1} ms", s.latency_ms),
                    (None, Some(a)) => format!("{a} answered in {:.1} ms", s.latency_ms),
                    (None, None) => format!("answered in {:.1} ms", s.latency_ms),
                },
            };
            let what = if previous.is_none() {
                Change::First(state)
            } else {
                Change::Went(state)
            };
            log.push(note(what, detail));
            self.since = Some(s.time.clone());
            self.since_at = humantime::parse_rfc3339(&s.time).ok();
        }
        self.state = Some(state);
        if s.up {
            self.ok += 1;
        } else {
            self.failed += 1;
        }
        if !s.addresses.is_empty() {
            self.addresses = s.addresses.clone();
        }
        if let Some(f) = &s.error {
            self.last_failure = Some(f.clone());
        }
        if self.recent.len() == HISTORY {
            self.recent.pop_front();
        }
        self.recent.push_back(Mark {
            up: s.up,
            latency_ms: s.latency_ms,
        });
        let record = Record {
            time: s.time.clone(),
            target: self.label.clone(),
            seq: self.seq,
            up: s.up,
            state,
            changed,
            previous,
            latency_ms: s.latency_ms,
            address: s.address.clone(),
            addresses: s.addresses.clone(),
            dns_changed,
            status: s.status,
            error: s.error.clone(),
        };
        self.last = Some(s);
        (record, log)
    }
}

/// Why `label` is down, in a few words: the kind, then what was seen, without repeating
/// the target itself ("refused (ECONNREFUSED, errno 111)", "dns: db: no such host").
pub fn reason(label: &str, f: &Failure) -> String {
    // The message starts with the address it is about; the label often says it already.
    let first = f.message.split(' ').next().unwrap_or_default();
    let text = match f.message.strip_prefix(label) {
        Some(rest) => rest.trim_start(),
        None if first.len() > 2 && label.contains(first.trim_end_matches(':')) => {
            f.message[first.len()..].trim_start()
        }
        None => &f.message,
    };
    let kind = f.kind.as_str();
    if text.starts_with(kind) || f.kind == crate::probe::reach::FailKind::HttpStatus {
        text.to_string()
    } else {
        format!("{kind}: {text}")
    }
}

/// How long a row has been in its state at `now` ("for 2m 05s"), from the time of the check
/// that saw the change; zero when `now` is earlier (a clock stepped back).
pub fn held_for(row: &Row, now: SystemTime) -> Option<Duration> {
    let at = row.since_at?;
    Some(now.duration_since(at).unwrap_or_default())
}

/// "45s", "2m 05s", "3h 07m".
pub fn compact(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

fn sorted(ips: &[IpAddr]) -> Vec<IpAddr> {
    let mut v = ips.to_vec();
    v.sort();
    v.dedup();
    v
}

fn join(ips: &[IpAddr]) -> String {
    crate::probe::dns::join_ips(ips)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::reach::FailKind;

    fn sample(up: bool, ips: &[&str]) -> Sample {
        Sample {
            time: "2026-11-21T10:00:00.000Z".into(),
            up,
            latency_ms: 1.5,
            address: Some("127.0.0.1:80".into()),
            addresses: ips.iter().map(|i| i.parse().unwrap()).collect(),
            status: None,
            error: (!up).then(|| Failure {
                kind: FailKind::Refused,
                message: "127.0.0.1:80 refused".into(),
                errno: Some(111),
            }),
        }
    }

    #[test]
    fn transitions_and_records() {
        let mut row = Row::new("db:80".into());
        let (r, log) = row.apply(sample(false, &["127.0.0.1"]));
        assert!(!r.changed && r.previous.is_none() && r.seq == 1);
        assert_eq!(log[0].what, Change::First(State::Down));
        let (r, log) = row.apply(sample(false, &["127.0.0.1"]));
        assert!(!r.changed && log.is_empty());
        let (r, log) = row.apply(sample(true, &["127.0.0.1"]));
        assert!(r.changed && r.previous == Some(State::Down) && r.error.is_none());
        assert_eq!(log[0].what, Change::Went(State::Up));
        assert_eq!(log[0].detail, "127.0.0.1:80 answered in 1.5 ms");
        assert_eq!((row.ok, row.failed), (1, 2));
        assert_eq!(row.last_failure.as_ref().unwrap().kind, FailKind::Refused);
    }

    #[test]
    fn address_changes_are_logged_but_not_lookup_failures() {
        let mut row = Row::new("db:80".into());
        row.apply(sample(true, &["127.0.0.1", "127.0.0.2"]));
        let (r, log) = row.apply(sample(true, &["127.0.0.2", "127.0.0.1"]));
        assert!(!r.dns_changed && log.is_empty(), "order alone is no change");
        let (r, log) = row.apply(sample(true, &["127.0.0.3"]));
        assert!(r.dns_changed);
        assert_eq!(log[0].what, Change::Addresses);
        assert_eq!(log[0].detail, "127.0.0.2, 127.0.0.1 → 127.0.0.3");
        let (r, _) = row.apply(sample(false, &[]));
        assert!(!r.dns_changed);
        let (r, _) = row.apply(sample(true, &["127.0.0.3"]));
        assert!(
            !r.dns_changed,
            "coming back to the same address is no change"
        );
    }

    #[test]
    fn reasons_name_the_kind_once() {
        let f = |kind, message: &str| Failure {
            kind,
            message: message.into(),
            errno: None,
        };
        let refused = f(
            FailKind::Refused,
            "127.0.0.1:80 refused (ECONNREFUSED, errno 111)",
        );
        assert_eq!(
            reason("127.0.0.1:80", &refused),
            "refused (ECONNREFUSED, errno 111)"
        );
        assert_eq!(
            reason("db:80", &refused),
            "refused: 127.0.0.1:80 refused (ECONNREFUSED, errno 111)"
        );
        assert_eq!(
            reason("http://127.0.0.1:80/health", &refused),
            "refused (ECONNREFUSED, errno 111)"
        );
        let dns = f(FailKind::Dns, "db: no such host");
        assert_eq!(reason("db:80", &dns), "dns: no such host");
        let http = f(
            FailKind::HttpStatus,
            "HTTP 503 Service Unavailable (expected below 500)",
        );
        assert_eq!(reason("http://x/", &http), http.message);
    }

    #[test]
    fn since_is_the_time_of_the_check_that_saw_the_change() {
        let at = |t: &str, up: bool| Sample {
            time: t.into(),
            ..sample(up, &["127.0.0.1"])
        };
        let mut row = Row::new("db:80".into());
        row.apply(at("2026-11-21T10:00:00.000Z", false));
        row.apply(at("2026-11-21T10:00:01.000Z", true));
        // No change: "since" stays on the check that saw the target come up.
        row.apply(at("2026-11-21T10:00:02.000Z", true));
        assert_eq!(row.since.as_deref(), Some("2026-11-21T10:00:01.000Z"));
        let now = humantime::parse_rfc3339("2026-11-21T10:02:06.900Z").unwrap();
        assert_eq!(held_for(&row, now), Some(Duration::from_millis(125_900)));
        assert_eq!(compact(held_for(&row, now).unwrap()), "2m 05s");
        // A clock that went back shows zero, not a panic or a wrapped number.
        let before = humantime::parse_rfc3339("2026-11-21T09:00:00Z").unwrap();
        assert_eq!(held_for(&row, before), Some(Duration::ZERO));
        assert_eq!(held_for(&Row::new("x:1".into()), now), None);
    }

    #[test]
    fn history_is_bounded() {
        let mut row = Row::new("x:1".into());
        for i in 0..HISTORY + 50 {
            row.apply(sample(i % 3 != 0, &["127.0.0.1"]));
        }
        assert_eq!(row.recent.len(), HISTORY);
        assert_eq!(row.seq, (HISTORY + 50) as u64);
    }
}
