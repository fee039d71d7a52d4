//! Incident checklists (`checklists/*.toml`): ordered steps, each with what to do, what
//! good looks like, and optionally an automatic check made of named facts.

use super::{KbError, valid_id};
use crate::vocabulary::facts as vocabulary;
use crate::vocabulary::template;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDef {
    pub id: String,
    pub title: String,
    /// When to reach for this checklist, in a sentence or two.
    pub about: String,
    #[serde(rename = "step")]
    pub steps: Vec<StepDef>,
    /// Where it was loaded from (set by the loader).
    #[serde(skip_deserializing, default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub id: String,
    pub title: String,
    /// What to do.
    #[serde(rename = "do")]
    pub action: String,
    /// What good looks like.
    pub good: String,
    /// Automatic check: the step passes when any of these facts holds ...
    #[serde(default)]
    pub pass_if: Vec<String>,
    /// ... and fails when any of these does (checked after `pass_if`).
    #[serde(default)]
    pub fail_if: Vec<String>,
}

impl StepDef {
    pub fn automatic(&self) -> bool {
        !self.pass_if.is_empty() || !self.fail_if.is_empty()
    }
}

/// Parses and validates one checklist file; errors point at lines.
pub fn parse(source: &str, text: &str) -> Result<ChecklistDef, Vec<KbError>> {
    let at = |line: usize, message: String| KbError {
        file: source.to_string(),
        line,
        message,
    };
    let mut def: ChecklistDef = toml::from_str(text).map_err(|e| {
        vec![at(
            super::toml_error_line(text, &e, 1),
            e.message().to_string(),
        )]
    })?;
    def.source = source.to_string();
    // Lines are looked up only for errors, each in constant time: a checklist of many
    // thousand steps loads in time linear in its size.
    let quoted = super::Quoted::new(text);
    let mut errors = Vec::new();
    if !valid_id(&def.id) {
        errors.push(at(
            quoted.line(&def.id, super::line_of(text, "id")),
            format!(
                "id '{}' must be lowercase letters, digits and dashes, e.g. db-unreachable",
                def.id
            ),
        ));
    }
    if def.steps.is_empty() {
        errors.push(at(1, "a checklist needs at least one [[step]]".into()));
    }
    // How many steps so far had each id.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for step in &def.steps {
        let earlier = seen.entry(step.id.as_str()).or_insert(0);
        let nth = *earlier;
        *earlier += 1;
        let line = || quoted.nth_line(&step.id, nth, 1);
        if !valid_id(&step.id) {
            errors.push(at(
                line(),
                format!(
                    "step id '{}' must be lowercase letters, digits and dashes",
                    step.id
                ),
            ));
        }
        if nth > 0 {
            errors.push(at(line(), format!("step id '{}' is used twice", step.id)));
        }
        for (field, text) in [
            ("title", &step.title),
            ("do", &step.action),
            ("good", &step.good),
        ] {
            if text.trim().is_empty() {
                errors.push(at(
                    line(),
                    format!("step '{}' has an empty {field}", step.id),
                ));
            }
        }
        for fact in step.pass_if.iter().chain(&step.fail_if) {
            if !vocabulary::is_known(fact) {
                errors.push(at(
                    quoted.line(fact, 1),
                    format!(
                        "step '{}': unknown fact '{fact}'; `connfix kb facts` lists them",
                        step.id
                    ),
                ));
            }
        }
    }
    // Every placeholder must name a known value, wherever it is written.
    for (line, message) in template::unknown_names(text) {
        errors.push(at(line, message));
    }
    if errors.is_empty() {
        Ok(def)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let text = "id = \"x\"\ntitle = \"X\"\nabout = \"a\"\n\n[[step]]\nid = \"one\"\ntitle = \"t\"\ndo = \"d\"\ngood = \"g\"\npass_if = [\"tcp.conected\"]\n";
        let errs = parse("x.toml", text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 10);
        assert!(errs[0].message.contains("tcp.conected"));
    }

    #[test]
    fn duplicate_steps_and_bad_ids_are_refused() {
        let step = "[[step]]\nid = \"a\"\ntitle = \"t\"\ndo = \"d\"\ngood = \"g\"\n";
        let text = format!("id = \"Bad Id\"\ntitle = \"X\"\nabout = \"a\"\n{step}{step}");
        let errs = parse("x.toml", &text).unwrap_err();
        let all: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
        assert!(all.iter().any(|m| m.contains("lowercase")), "{all:?}");
        assert!(all.iter().any(|m| m.contains("used twice")), "{all:?}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = "id = \"x\"\ntitle = \"X\"\nabout = \"a\"\n[[step]]\nid = \"a\"\ntitle = \"t\"\ndo = \"d\"\ngood = \"g\"\ncheck = \"tcp\"\n";
        let errs = parse("x.toml", text).unwrap_err();
        assert!(errs[0].message.contains("check"), "{errs:?}");
    }
}
