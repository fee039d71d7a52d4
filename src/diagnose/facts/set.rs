//! A set of named facts, each with its evidence and the values it observed.

use crate::vocabulary::template::Values;
use serde::{Deserialize, Serialize};

/// Values from (name, value) pairs.
pub(super) fn vals<const N: usize>(pairs: [(&str, String); N]) -> Values {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// A named fact with the evidence behind it, in words a person can check, and the values
/// it observed (placeholder name → value) that fixes and commands are written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub name: String,
    pub detail: String,
    /// The probe that established it, `target` for facts about the input, `person` for answers.
    pub source: String,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub values: Values,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactSet(pub Vec<Fact>);

impl FactSet {
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|f| f.name == name)
    }

    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.0.iter().find(|f| f.name == name)
    }

    pub fn add(&mut self, name: &str, source: &str, detail: impl Into<String>) {
        self.add_with(name, source, detail, Values::new());
    }

    /// Adds a fact with the values it observed. The first fact of a name wins.
    pub fn add_with(
        &mut self,
        name: &str,
        source: &str,
        detail: impl Into<String>,
        values: Values,
    ) {
        debug_assert!(
            crate::vocabulary::facts::is_known(name),
            "fact '{name}' is not in the vocabulary"
        );
        debug_assert!(
            values
                .keys()
                .all(|k| crate::vocabulary::values::is_known(k)),
            "a value of '{name}' is not in the vocabulary: {values:?}"
        );
        if !self.has(name) {
            self.0.push(Fact {
                name: name.to_string(),
                detail: detail.into(),
                source: source.to_string(),
                values,
            });
        }
    }

    /// Every value the facts observed; where two facts bind the same name, the earlier
    /// one wins (facts are added from the most to the least specific).
    pub fn values(&self) -> Values {
        let mut out = Values::new();
        for f in &self.0 {
            for (k, v) in &f.values {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        out
    }

    pub fn from_source<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Fact> + 'a {
        self.0.iter().filter(move |f| f.source == source)
    }
}

/// Inputs beyond the probe reports.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `--public`: the target must be reachable from the internet.
    pub public: bool,
    /// The person's answers: (ask key, yes?).
    pub answers: Vec<(String, bool)>,
}

/// A fact set that gives every fact added through it the same values.
pub(super) struct Bound<'a> {
    pub(super) f: &'a mut FactSet,
    pub(super) values: Values,
}

impl Bound<'_> {
    pub(super) fn add(&mut self, name: &str, source: &str, detail: impl Into<String>) {
        self.f.add_with(name, source, detail, self.values.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vocabulary check is a debug_assert: release builds skip it.
    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not in the vocabulary")]
    fn an_unknown_fact_name_is_a_bug() {
        FactSet::default().add("tcp.refussed", "tcp", "typo");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not in the vocabulary")]
    fn an_unknown_value_name_is_a_bug() {
        FactSet::default().add_with("tcp.refused", "tcp", "x", vals([("tcp.prot", "1".into())]));
    }

    #[test]
    fn the_first_fact_binding_a_value_wins() {
        let mut f = FactSet::default();
        f.add_with(
            "listener.exact",
            "listeners",
            "a",
            vals([("listener.port", "1".into())]),
        );
        f.add_with(
            "listener.nearby_port",
            "listeners",
            "b",
            vals([("listener.port", "2".into())]),
        );
        assert_eq!(f.values()["listener.port"], "1");
    }
}
