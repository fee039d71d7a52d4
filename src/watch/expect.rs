//! `--expect-status`: which HTTP status codes count as "up".

use std::fmt;

/// A set of status codes: single codes, ranges and classes. Empty means the default rule,
/// "any response below 500": a 404 still proves the server is up and answering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusSet {
    ranges: Vec<(u16, u16)>,
    text: String,
}

/// A `--expect-status` list with a part that is no status code, range or class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "--expect-status {text}: '{part}' is not a status code; write codes, ranges or classes separated by commas, e.g. 200, 200-299 or 2xx,301"
)]
pub struct StatusSetError {
    text: String,
    part: String,
}

impl StatusSet {
    /// Parses `200`, `200,204`, `200-299`, `2xx` and mixtures of them.
    pub fn parse(text: &str) -> Result<StatusSet, StatusSetError> {
        let bad = |part: &str| StatusSetError {
            text: text.to_string(),
            part: part.to_string(),
        };
        let code = |s: &str| match s.trim().parse::<u16>() {
            Ok(n) if (100..=599).contains(&n) => Some(n),
            _ => None,
        };
        let mut ranges = Vec::new();
        for part in text.split(',').map(str::trim) {
            let lower = part.to_ascii_lowercase();
            let range = if let Some(class) = lower.strip_suffix("xx") {
                match class.parse::<u16>() {
                    Ok(c @ 1..=5) if class.len() == 1 => (c * 100, c * 100 + 99),
                    _ => return Err(bad(part)),
                }
            } else if let Some((a, b)) = part.split_once('-') {
                match (code(a), code(b)) {
                    (Some(a), Some(b)) if a <= b => (a, b),
                    _ => return Err(bad(part)),
                }
            } else {
                let c = code(part).ok_or_else(|| bad(part))?;
                (c, c)
            };
            ranges.push(range);
        }
        Ok(StatusSet {
            ranges,
            text: text.split(',').map(str::trim).collect::<Vec<_>>().join(","),
        })
    }

    pub fn is_default(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn accepts(&self, status: u16) -> bool {
        if self.ranges.is_empty() {
            return status < 500;
        }
        self.ranges.iter().any(|(a, b)| (*a..=*b).contains(&status))
    }
}

impl fmt::Display for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ranges.is_empty() {
            f.write_str("below 500")
        } else {
            f.write_str(&self.text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let s = StatusSet::parse("2xx, 301,400-404").unwrap();
        assert!(s.accepts(200) && s.accepts(299) && s.accepts(301) && s.accepts(404));
        assert!(!s.accepts(300) && !s.accepts(405) && !s.accepts(503));
        assert_eq!(s.to_string(), "2xx,301,400-404");
        let d = StatusSet::default();
        assert!(d.accepts(404) && !d.accepts(500));
        assert_eq!(d.to_string(), "below 500");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "", "abc", "6xx", "20x", "99", "600", "300-200", "2xx,", "200;204",
        ] {
            let e = StatusSet::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("--expect-status"), "{bad}: {e}");
        }
    }
}
