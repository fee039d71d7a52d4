//! Every cause's answer is written with this machine's values: rendered with a fact set
//! that carries a value for every placeholder, no text keeps a placeholder, an unknown
//! marker, or a number that was not among the values (a knowledge file's example port
//! would be one); rendered with any subset of the values, nothing unresolved leaks and
//! still no foreign number appears.

mod support;

use connfix::diagnose::engine::RankedCause;
use connfix::diagnose::{Fact, FactSet, diagnose};
use connfix::knowledge::Knowledge;
use connfix::vocabulary::template::Values;
use connfix::vocabulary::values::VALUES;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use support::answers::foreign_numbers;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(Knowledge::bundled)
}

/// A distinctive value for every placeholder: numbers no knowledge file would use as an
/// example, so any other number in the output came from the file.
fn observed() -> Values {
    let mut v = Values::new();
    for (i, (name, _, _)) in VALUES.iter().enumerate() {
        let value = match *name {
            "target.port" => "47123".to_string(),
            "listener.port" => "47124".to_string(),
            "listener.pid" | "rule.number" | "rule.handle" => format!("3{}", 1000 + i),
            "target.ip" | "listener.ip" => "127.0.0.9".to_string(),
            "target.address" | "tcp.address" => "zz-target.test:47123".to_string(),
            "listener.address" => "127.0.0.9:47124".to_string(),
            "http.status" => "599".to_string(),
            "tcp.timeout_s" => "7".to_string(),
            _ => format!("zz-{}", name.replace('.', "-")),
        };
        v.insert(name.to_string(), value);
    }
    v
}

fn facts_with(names: &[String], values: &Values) -> FactSet {
    FactSet(
        names
            .iter()
            .map(|n| Fact {
                name: n.clone(),
                detail: format!("observed {n}"),
                source: "test".into(),
                values: values.clone(),
            })
            .collect(),
    )
}

/// Every text of a ranked cause that a person acts on or reads as a fix.
fn texts(c: &RankedCause) -> Vec<(String, String)> {
    let mut out = vec![("action".to_string(), c.action.clone())];
    out.extend(c.fixes.iter().map(|f| ("fix".to_string(), f.clone())));
    for cmd in &c.commands {
        out.push(("command".into(), cmd.command.clone()));
        out.push(("command purpose".into(), cmd.purpose.clone()));
    }
    out.push(("confirm".into(), c.confirm.clone()));
    out.push(("what".into(), c.what.clone()));
    out.push(("dont".into(), c.dont.clone()));
    for s in &c.snippets {
        out.push((format!("{} code", s.lang), s.code.clone()));
        out.push((format!("{} caption", s.lang), s.caption.clone()));
    }
    out
}

fn numbers_in(values: &Values) -> BTreeSet<String> {
    values
        .values()
        .flat_map(|v| {
            v.split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Example hosts that knowledge files once carried.
const EXAMPLE_HOSTS: &[&str] = &["db.internal", "example.com", "app.internal", "web.internal"];

#[test]
fn every_cause_renders_with_the_observed_values_only() {
    let values = observed();
    let allowed = numbers_in(&values);
    let mut checked = 0;
    for cause in &kb().causes {
        for rule in &cause.rules {
            let facts = facts_with(&rule.when, &values);
            let d = diagnose(&facts, &[], kb());
            let Some(c) = d.causes.iter().find(|c| c.id == cause.id) else {
                continue;
            };
            checked += 1;
            assert!(!c.action.is_empty(), "{}: no action", cause.id);
            assert!(
                c.action.contains("47123")
                    || c.action.contains("zz-")
                    || c.action.contains("127.0.0.9"),
                "{}: the action names no observed value: {}",
                cause.id,
                c.action
            );
            assert!(!c.commands.is_empty(), "{}: no commands", cause.id);
            for (field, text) in texts(c) {
                assert!(
                    !text.contains("{{") || text.contains("{{."),
                    "{} {field} keeps a placeholder: {text}",
                    cause.id
                );
                for (name, _, unknown) in VALUES {
                    assert!(
                        !text.contains(unknown) || unknown.is_empty() || !unknown.starts_with('<'),
                        "{} {field} shows '{unknown}' ({name}) although it was observed: {text}",
                        cause.id
                    );
                }
                let foreign = foreign_numbers(&text, &allowed);
                assert!(
                    foreign.is_empty(),
                    "{} {field} has numbers that were not observed {foreign:?}: {text}",
                    cause.id
                );
                for host in EXAMPLE_HOSTS {
                    assert!(!text.contains(host), "{} {field}: {host}", cause.id);
                }
            }
        }
    }
    assert!(
        checked >= kb().causes.len(),
        "only {checked} rules rendered"
    );
}

#[test]
fn the_placeholder_reference_lists_every_value() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/knowledge.md"))
        .expect("docs/knowledge.md");
    for (name, _, unknown) in VALUES {
        let row = format!("| `{{{{{name}}}}}` |");
        assert!(doc.contains(&row), "docs/knowledge.md lacks {name}");
        assert!(
            doc.contains(unknown),
            "docs/knowledge.md lacks the unknown text of {name}"
        );
    }
}

#[test]
fn the_foreign_number_check_can_fail() {
    let allowed: BTreeSet<String> = ["47123".to_string()].into();
    assert_eq!(
        foreign_numbers("port 47123 and 5432", &allowed),
        vec!["5432"]
    );
    assert!(foreign_numbers("127.0.0.1:47123, x86_64, 5 s", &allowed).is_empty());
}

fn subset() -> impl Strategy<Value = Vec<bool>> {
    proptest::collection::vec(any::<bool>(), VALUES.len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With any subset of the values observed, no placeholder stays in the text, a value
    /// that was not observed shows as its marker, and no number appears that was not
    /// among the values.
    #[test]
    fn any_subset_of_values_renders_cleanly(mask in subset(), which in 0usize..64) {
        let all = observed();
        let values: Values = all
            .iter()
            .zip(mask.iter())
            .filter(|(_, keep)| **keep)
            .map(|((k, v), _)| (k.clone(), v.clone()))
            .collect();
        let allowed = numbers_in(&values);
        let cause = &kb().causes[which % kb().causes.len()];
        let rule = &cause.rules[0];
        let d = diagnose(&facts_with(&rule.when, &values), &[], kb());
        if let Some(c) = d.causes.iter().find(|c| c.id == cause.id) {
            prop_assert!(!c.action.is_empty());
            for (field, text) in texts(c) {
                for name in connfix::vocabulary::template::names(&text) {
                    prop_assert!(false, "{} {field} keeps {{{{{name}}}}}", cause.id);
                }
                let foreign = foreign_numbers(&text, &allowed);
                prop_assert!(foreign.is_empty(), "{} {field}: {foreign:?} in {text}", cause.id);
            }
            // A command is only shown when it can be pasted as it is.
            for cmd in &c.commands {
                for (_, _, unknown) in VALUES.iter().filter(|v| v.2.starts_with('<')) {
                    prop_assert!(!cmd.command.contains(unknown), "{}: a command with an unknown: {}", cause.id, cmd.command);
                }
            }
        }
    }
}
