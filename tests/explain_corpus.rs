//! The documented corpus: error texts as real programs print them, written down from their
//! documentation and sources (`tests/corpus/documented/*.toml`), each with the kind,
//! ecosystem and target `connfix explain` must find. Every case must pass; the accuracy per
//! field is printed for the record (`cargo test --test explain_corpus -- --nocapture`).

use connfix::explain::{self, Finding};
use connfix::knowledge::Knowledge;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    text: String,
    kind: String,
    ecosystem: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    scheme: Option<String>,
    unix_path: Option<String>,
    errno: Option<String>,
    #[serde(default)]
    others: usize,
    /// Why the expected answer is what it is, where that is a judgement call.
    #[allow(dead_code)]
    note: Option<String>,
}

fn cases() -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/documented");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus/documented exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        out.extend(file.case.into_iter().map(|c| (stem.clone(), c)));
    }
    out
}

/// Field-by-field comparison; each entry is (field, expected, found).
fn compare(c: &Case, f: Option<&Finding>, others: usize) -> Vec<(&'static str, String, String)> {
    let show = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let found = |get: &dyn Fn(&Finding) -> Option<String>| show(f.and_then(get));
    let mut rows = vec![
        (
            "kind",
            c.kind.clone(),
            found(&|f| Some(f.kind.as_str().to_string())),
        ),
        (
            "ecosystem",
            show(c.ecosystem.clone()),
            found(&|f| f.ecosystem.clone()),
        ),
        (
            "host",
            show(c.host.clone()),
            found(&|f| f.target.host.clone()),
        ),
        (
            "port",
            show(c.port.map(|p| p.to_string())),
            found(&|f| f.target.port.map(|p| p.to_string())),
        ),
        (
            "scheme",
            show(c.scheme.clone()),
            found(&|f| f.target.scheme.clone()),
        ),
        (
            "unix_path",
            show(c.unix_path.clone()),
            found(&|f| f.target.unix_path.clone()),
        ),
        ("others", c.others.to_string(), others.to_string()),
    ];
    if let Some(e) = &c.errno {
        rows.push(("errno", e.clone(), found(&|f| f.errno.clone())));
    }
    rows
}

#[test]
fn the_documented_corpus_is_explained_correctly() {
    let kb = Knowledge::bundled();
    let cases = cases();
    assert!(
        cases.len() >= 100,
        "the corpus has only {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut right = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    for (file, c) in &cases {
        assert!(!c.source.trim().is_empty(), "{file}/{}: no source", c.name);
        let ex = explain::explain(&c.text, &kb);
        let rows = compare(c, ex.main(), ex.findings.len().saturating_sub(1));
        let mut bad = Vec::new();
        for (field, want, got) in rows {
            let e = right.entry(field).or_default();
            e.1 += 1;
            if want == got {
                e.0 += 1;
            } else {
                bad.push(format!("{field}: want {want}, got {got}"));
            }
        }
        if !bad.is_empty() {
            failures.push(format!(
                "{file}/{}: {}\n    summary: {}\n    text: {}",
                c.name,
                bad.join("; "),
                ex.main().map_or("-", |f| f.summary.as_str()),
                c.text
                    .trim()
                    .lines()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ⏎ ")
            ));
        }
    }
    eprintln!("documented corpus: {} cases", cases.len());
    for (field, (ok, all)) in &right {
        eprintln!(
            "  {field:<10} {ok:>4}/{all:<4} {:.1}%",
            100.0 * *ok as f64 / *all as f64
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
