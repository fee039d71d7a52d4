//! Properties of the paste parser: it never panics, whatever the text, and its work grows
//! linearly with the text. The work is counted by the parser itself (bytes scanned by the
//! patterns, bytes of the matches, comparisons while grouping), so the property holds or
//! fails the same way on any machine; wall-clock time is measured in `bench/explain.sh`.

use connfix::explain;
use connfix::knowledge::Knowledge;
use proptest::prelude::*;
use std::sync::OnceLock;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(Knowledge::bundled)
}

/// Pieces of real messages, so random texts reach deep into the matching and grouping.
const FRAGMENTS: &[&str] = &[
    "connect ECONNREFUSED ",
    "::1:3000",
    "127.0.0.1:5432",
    "[::1]:8080",
    "db.internal",
    "[Errno 111] Connection refused",
    "[Errno -2] Name or service not known",
    "dial tcp ",
    ": connect: connection refused",
    "lookup x on 10.0.0.2:53: no such host",
    "\n",
    "\n    at ",
    "HTTPConnectionPool(host='localhost', port=8000)",
    "curl: (7) Failed to connect to ",
    " port ",
    "Traceback (most recent call last):\n",
    "java.net.ConnectException: ",
    "Caused by: ",
    "upstream: \"http://127.0.0.1:8080/\"",
    "(os error 111)",
    "'",
    "\"",
    "{\"error\":\"dial tcp 10.0.0.7:5432: i/o timeout\",\"port\":5432}",
    "\x1b[31m",
    "\r\n",
    "unix:///var/run/docker.sock",
    "Could not resolve host: ",
    "ENOTFOUND",
    "é",
    "🙂",
    "\t",
    "postgres://app:s3cret@db:5432/app",
    "SocketException (10061)",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

fn fragment_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let ex = explain::explain(&text, kb());
        prop_assert!(ex.findings.len() <= explain::MAX_FINDINGS);
    }

    #[test]
    fn message_fragments_never_panic_and_findings_are_sane(text in fragment_text()) {
        let ex = explain::explain(&text, kb());
        for f in &ex.findings {
            prop_assert!(f.lines[0] <= f.lines[1]);
            prop_assert!(!f.summary.is_empty());
            if let Some(h) = &f.target.host {
                prop_assert!(!h.starts_with('['), "brackets kept on {h}");
                prop_assert!(!h.is_empty());
            }
            prop_assert!(!f.summary.contains("s3cret"));
            for e in &f.evidence {
                prop_assert!(!e.text.contains("s3cret"), "password in evidence: {}", e.text);
            }
        }
    }

    /// Doubling the text (twice as many copies) at most doubles the work of each reading,
    /// give or take the fixed cost of a paste and an edge effect: a pattern runs on the
    /// lines around its words, and those windows are cut short at the text's ends, which
    /// weighs most in a short text, so the comparison starts at two copies and allows a
    /// quarter more (a quadratic step would cost four times as much). Each copy ends its
    /// last line: copies glued mid-line would make new words at the seams, a different text
    /// rather than more of the same.
    #[test]
    fn work_grows_linearly(text in fragment_text(), copies in 1usize..6) {
        let text = format!("{text}\n");
        let one = text.repeat(2 * copies);
        let two = text.repeat(4 * copies);
        let a = explain::explain(&one, kb()).stats;
        let b = explain::explain(&two, kb()).stats;
        // Per reading: a text that looks cut at a terminal's width is read twice.
        let cost = |s: &explain::Stats| (s.scanned + s.work) / s.passes;
        prop_assert!(
            cost(&b) <= 2 * cost(&a) + cost(&a) / 4 + 4096,
            "work {} for {} bytes, then {} for {} bytes", cost(&a), one.len(), cost(&b), two.len()
        );
    }
}

#[test]
fn a_long_paste_of_one_repeated_error_stays_linear_and_is_reported_once() {
    let line = "2024-05-01 12:00:00 ERROR dial tcp 10.0.0.7:5432: connect: connection refused\n";
    let small = explain::explain(&line.repeat(1_000), kb());
    let big = explain::explain(&line.repeat(10_000), kb());
    assert_eq!(big.findings.len(), 1);
    assert_eq!(big.findings[0].target.host.as_deref(), Some("10.0.0.7"));
    let cost = |s: &explain::Stats| s.scanned + s.work;
    assert!(cost(&big.stats) <= 11 * cost(&small.stats));
}

#[test]
fn many_addresses_on_one_line_do_not_make_grouping_quadratic() {
    let line: String = (1..3000)
        .map(|p| format!("dial tcp 10.0.0.1:{p}: connect: connection refused "))
        .collect();
    let small: String = line[..line.len() / 10].to_string();
    let a = explain::explain(&small, kb()).stats;
    let b = explain::explain(&line, kb()).stats;
    assert!(b.work <= 12 * a.work, "work {} then {}", a.work, b.work);
}

/// The match caps keep the last matches: a long log of one error still ends with the
/// error that came last, and says that some matches were dropped.
#[test]
fn the_last_error_survives_a_log_full_of_another() {
    let mut text = String::new();
    for i in 0..2_500 {
        text.push_str(&format!(
            "2024-05-01 12:{:02}:{:02} ERROR redis: connect ECONNREFUSED 127.0.0.1:6379\n",
            i / 60 % 60,
            i % 60
        ));
    }
    text.push_str("Error: getaddrinfo ENOTFOUND db.internal\n");
    text.push_str("Error: connect ECONNREFUSED 10.0.0.5:5432\n");
    let ex = explain::explain(&text, kb());
    let main = ex.main().expect("found");
    assert_eq!(main.target.host.as_deref(), Some("10.0.0.5"));
    assert_eq!(main.lines[1], 2_502);
    assert!(ex.stats.capped);
    assert_eq!(ex.findings.len(), 3, "{:?}", ex.findings);
}
