//! Checking that an answer names only values connfix observed.

use serde_json::Value;
use std::collections::BTreeSet;

/// Addresses and names with a meaning of their own, not examples of the user's values.
const GENERIC: &[&str] = &[
    "127.0.0.1",
    "127.0.0.53",
    "127.0.0.11",
    "0.0.0.0",
    "::1",
    "1.1.1.1",
    "host.docker.internal",
    "host.containers.internal",
];

/// Numbers of two or more digits in `text` that stand alone (not inside a word such as
/// `x86_64`, not after a dot as in a version `1.83`) and are not among `allowed`.
pub fn foreign_numbers(text: &str, allowed: &BTreeSet<String>) -> Vec<String> {
    let mut t = text.to_string();
    for g in GENERIC {
        t = t.replace(g, " ");
    }
    let chars: Vec<char> = t.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).and_then(|b| chars.get(b));
        let glued = word(before) || before == Some(&'.') || word(chars.get(i));
        let run: String = chars[start..i].iter().collect();
        if run.len() >= 2 && !glued && !allowed.contains(&run) {
            out.push(run);
        }
    }
    out
}

/// Every run of digits in what the probes observed and the target gave: what an answer
/// may name.
pub fn observed_numbers(v: &Value) -> BTreeSet<String> {
    let seen = format!("{} {} {}", v["target"], v["probes"], v["facts"]);
    seen.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The texts of a `check --json` result a person acts on: the verdict's action and the top
/// cause's action, fixes, commands, confirmation and code.
pub fn answer_texts(v: &Value) -> Vec<String> {
    let top = &v["causes"][0];
    let mut out = vec![
        v["verdict"]["action"].as_str().unwrap_or("").to_string(),
        top["action"].as_str().unwrap_or("").to_string(),
        top["confirm"].as_str().unwrap_or("").to_string(),
    ];
    for key in ["fixes"] {
        for f in top[key].as_array().into_iter().flatten() {
            out.push(f.as_str().unwrap_or("").to_string());
        }
    }
    for c in top["commands"].as_array().into_iter().flatten() {
        out.push(c["command"].as_str().unwrap_or("").to_string());
    }
    for s in top["snippets"].as_array().into_iter().flatten() {
        out.push(s["code"].as_str().unwrap_or("").to_string());
    }
    out
}

/// Panics when an answer names a number that connfix did not observe.
pub fn assert_only_observed(v: &Value) {
    let allowed = observed_numbers(v);
    for text in answer_texts(v) {
        let foreign = foreign_numbers(&text, &allowed);
        assert!(
            foreign.is_empty(),
            "{foreign:?} were not observed, in: {text}"
        );
        assert!(
            !text.contains("{{") || text.contains("{{."),
            "a placeholder is left: {text}"
        );
    }
}

/// The commands of the top cause, as pasted.
pub fn commands(v: &Value) -> Vec<String> {
    v["causes"][0]["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["command"].as_str().unwrap_or("").to_string())
        .collect()
}
