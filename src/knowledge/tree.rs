//! The decision tree: the questions an expert asks, in order. Each node is answered by facts
//! (from probes, or from the person for `ask` nodes) and visited only when its `only_if`
//! facts hold, which is what makes the ordered list a tree: later questions depend on the
//! answers to earlier ones.

use super::KbError;
use crate::vocabulary::facts as vocabulary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    pub question: String,
    /// The probe that answers it; absent for questions only the person can answer.
    #[serde(default)]
    pub probe: Option<String>,
    /// For person nodes: the answer key; answers become facts `answer.<ask>.yes|no`.
    #[serde(default)]
    pub ask: Option<String>,
    /// Visit this node only when all of these facts hold.
    #[serde(default)]
    pub only_if: Vec<String>,
    /// ... and none of these.
    #[serde(default)]
    pub skip_if: Vec<String>,
    /// Facts that answer "yes" (any one suffices); checked before `no`.
    #[serde(default)]
    pub yes: Vec<String>,
    #[serde(default)]
    pub no: Vec<String>,
    /// The answer when the probe ran but no yes/no fact holds.
    #[serde(default)]
    pub otherwise: Option<String>,
    /// Why the person is asked, shown with the question.
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    #[serde(default, rename = "node")]
    pub nodes: Vec<Node>,
}

pub fn parse(source: &str, text: &str) -> Result<Tree, Vec<KbError>> {
    let at = |line: usize, message: String| KbError {
        file: source.to_string(),
        line,
        message,
    };
    let tree: Tree = toml::from_str(text).map_err(|e| {
        vec![at(
            super::toml_error_line(text, &e, 1),
            e.message().to_string(),
        )]
    })?;
    // Lines are looked up only for errors, each in constant time (linear loading).
    let quoted = super::Quoted::new(text);
    let line_of = |value: &str| quoted.line(value, 1);
    let mut errors = Vec::new();
    // How many nodes so far had each id.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for node in &tree.nodes {
        let earlier = seen.entry(node.id.as_str()).or_insert(0);
        let nth = *earlier;
        *earlier += 1;
        let here = || quoted.nth_line(&node.id, nth, 1);
        if nth > 0 {
            errors.push(at(here(), format!("node id '{}' is used twice", node.id)));
        }
        match (&node.probe, &node.ask) {
            (None, None) => errors.push(at(
                here(),
                format!(
                    "node '{}' needs either probe = \"...\" or ask = \"...\"",
                    node.id
                ),
            )),
            (Some(_), Some(_)) => errors.push(at(
                here(),
                format!(
                    "node '{}' has both probe and ask; a node is answered by one of them",
                    node.id
                ),
            )),
            (None, Some(key)) => {
                for fact in [format!("answer.{key}.yes"), format!("answer.{key}.no")] {
                    if !vocabulary::is_known(&fact) {
                        errors.push(at(
                            line_of(key),
                            format!("ask = \"{key}\" gives the unknown fact '{fact}'"),
                        ));
                    }
                }
            }
            (Some(_), None) => {}
        }
        if let Some(o) = node.otherwise.as_deref()
            && o != "yes"
            && o != "no"
        {
            errors.push(at(
                here(),
                format!(
                    "otherwise = \"{o}\" in node '{}': it must be \"yes\" or \"no\"",
                    node.id
                ),
            ));
        }
        for fact in node
            .only_if
            .iter()
            .chain(&node.skip_if)
            .chain(&node.yes)
            .chain(&node.no)
        {
            if !vocabulary::is_known(fact) {
                errors.push(at(
                    line_of(fact),
                    format!("unknown fact '{fact}'; `connfix kb facts` lists the known ones"),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(tree)
    } else {
        Err(errors)
    }
}
