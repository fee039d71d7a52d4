//! Times as a report shows them: the clock time of an event, spans between two times.

/// The date and the time of day of an RFC 3339 UTC time, when it is one.
pub(super) fn split_time(at: &str) -> Option<(&str, &str)> {
    humantime::parse_rfc3339(at).ok()?;
    Some((at.get(..10)?, at.get(11..19)?))
}

/// `HH:MM:SS`, with the date in front only when it is not the session's first day.
pub(super) fn clock(at: &str, day: &str) -> String {
    match split_time(at) {
        Some((date, time)) if date == day => time.to_string(),
        Some((date, time)) => format!("{date} {time}"),
        None => at.to_string(),
    }
}

pub(super) fn seconds_between(from: &str, to: &str) -> Option<u64> {
    let a = humantime::parse_rfc3339(from).ok()?;
    let b = humantime::parse_rfc3339(to).ok()?;
    let d = b.duration_since(a).unwrap_or_default();
    Some(d.as_secs_f64().round() as u64)
}

pub(super) fn span_of(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) => format!("{m} min {s} s"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_time() {
        assert_eq!(span_of(0), "0 s");
        assert_eq!(span_of(693), "11 min 33 s");
        assert_eq!(span_of(3900), "1 h 5 min");
        assert_eq!(clock("2026-03-14T09:41:07.312Z", "2026-03-14"), "09:41:07");
        assert_eq!(
            clock("2026-03-15T00:01:00Z", "2026-03-14"),
            "2026-03-15 00:01:00"
        );
        assert_eq!(clock("yesterday", "2026-03-14"), "yesterday");
    }
}
