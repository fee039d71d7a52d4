//! The decision engine: facts in, the path through the tree and ranked causes out. Pure.

use super::facts::FactSet;
use crate::knowledge::Knowledge;
use crate::knowledge::causes::{Cause, Confidence, Rule, Severity, Snippet};
use crate::knowledge::tree::Node;
use crate::probe::{ProbeReport, Status};
use crate::vocabulary::template::{self, Values};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnosis {
    pub verdict: Verdict,
    pub causes: Vec<RankedCause>,
    pub path: Vec<Step>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub id: String,
    pub title: String,
    pub confidence: Confidence,
    pub summary: String,
    /// The one thing to do now, in one sentence with this machine's values.
    #[serde(default)]
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedCause {
    pub id: String,
    pub title: String,
    pub confidence: Confidence,
    pub summary: String,
    /// The facts that point here, in words.
    pub evidence: Vec<String>,
    /// The one thing to do now, with this machine's values.
    #[serde(default)]
    pub action: String,
    /// The steps of "How to fix it", most likely first, with this machine's values.
    pub fixes: Vec<String>,
    /// Commands ready to paste: only those whose every value was observed.
    #[serde(default)]
    pub commands: Vec<Command>,
    /// "How to confirm it by hand", with this machine's values (Markdown).
    #[serde(default)]
    pub confirm: String,
    /// "What is happening" (Markdown).
    #[serde(default)]
    pub what: String,
    /// "Don't" (Markdown).
    #[serde(default)]
    pub dont: String,
    /// Code per language, with this machine's values.
    #[serde(default)]
    pub snippets: Vec<Snippet>,
}

/// A command to paste, with what it is for and whether it needs root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub purpose: String,
    pub command: String,
    pub root: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    /// The probe that answers it could not (it failed, was skipped, or is still running).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnsweredBy {
    Probe,
    Person,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub node: String,
    pub question: String,
    pub answer: Answer,
    pub by: AnsweredBy,
    /// The probe that answered (for probe nodes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub node: String,
    /// The key to answer it with: `--answer KEY=yes|no`.
    pub key: String,
    pub question: String,
    pub why: Option<String>,
}

/// Walks the tree and ranks the causes. `reports` tells which probes finished, so a node
/// whose probe did not run is "unknown" rather than a confident "no".
pub fn diagnose(facts: &FactSet, reports: &[ProbeReport], kb: &Knowledge) -> Diagnosis {
    let (path, questions) = walk(facts, reports, kb);
    let values = facts.values();
    let causes = rank(facts, &values, kb);
    let verdict = pick_verdict(facts, &values, &causes, kb);
    Diagnosis {
        verdict,
        causes: causes.into_iter().map(|(c, _)| c).collect(),
        path,
        questions,
    }
}

fn walk(facts: &FactSet, reports: &[ProbeReport], kb: &Knowledge) -> (Vec<Step>, Vec<Question>) {
    let mut path = Vec::new();
    let mut questions = Vec::new();
    for node in &kb.tree.nodes {
        let applies =
            node.only_if.iter().all(|x| facts.has(x)) && !node.skip_if.iter().any(|x| facts.has(x));
        if !applies {
            continue;
        }
        if let Some(key) = &node.ask {
            let yes = format!("answer.{key}.yes");
            let no = format!("answer.{key}.no");
            let answer = if facts.has(&yes) {
                Some(Answer::Yes)
            } else if facts.has(&no) {
                Some(Answer::No)
            } else {
                None
            };
            match answer {
                Some(answer) => path.push(Step {
                    node: node.id.clone(),
                    question: node.question.clone(),
                    answer,
                    by: AnsweredBy::Person,
                    probe: None,
                    evidence: Vec::new(),
                }),
                None => questions.push(Question {
                    node: node.id.clone(),
                    key: key.clone(),
                    question: node.question.clone(),
                    why: node.why.clone(),
                }),
            }
            continue;
        }
        path.push(answer_by_probe(node, facts, reports));
    }
    (path, questions)
}

fn answer_by_probe(node: &Node, facts: &FactSet, reports: &[ProbeReport]) -> Step {
    let evidence_of = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .filter_map(|n| facts.get(n))
            .map(|f| f.detail.clone())
            .collect()
    };
    let yes = evidence_of(&node.yes);
    let no = evidence_of(&node.no);
    let probe_ran = node.probe.as_deref().is_some_and(|p| {
        reports
            .iter()
            .any(|r| r.id.as_str() == p && matches!(r.status, Status::Ok | Status::Problem))
    });
    let (answer, evidence) = if !yes.is_empty() {
        (Answer::Yes, yes)
    } else if !no.is_empty() {
        (Answer::No, no)
    } else if probe_ran {
        // No fact decided it: the answer stands on what the probe looked at, so that is
        // the evidence shown beside it (never a bare "no").
        let looked = node
            .probe
            .as_deref()
            .and_then(|p| reports.iter().find(|r| r.id.as_str() == p))
            .map(|r| r.summary.clone())
            .filter(|s| !s.is_empty());
        match (node.otherwise.as_deref(), looked) {
            (Some("yes"), Some(why)) => (Answer::Yes, vec![why]),
            (Some("no"), Some(why)) => (Answer::No, vec![why]),
            _ => (Answer::Unknown, Vec::new()),
        }
    } else {
        let why = node
            .probe
            .as_deref()
            .and_then(|p| reports.iter().find(|r| r.id.as_str() == p))
            .map(|r| r.summary.clone())
            .unwrap_or_else(|| "the probe that answers this did not run".into());
        (Answer::Unknown, vec![why])
    };
    Step {
        node: node.id.clone(),
        question: node.question.clone(),
        answer,
        by: AnsweredBy::Probe,
        probe: node.probe.clone(),
        evidence,
    }
}

fn rule_matches(rule: &Rule, facts: &FactSet) -> bool {
    !rule.when.is_empty()
        && rule.when.iter().all(|f| facts.has(f))
        && !rule.unless.iter().any(|f| facts.has(f))
}

/// Every cause with a matching rule, best first: by confidence, then problems before the
/// all-clear, then by the cause's priority, then by how specific the rule is (more facts
/// matched). Each cause also carries its severity for the verdict.
fn rank(facts: &FactSet, values: &Values, kb: &Knowledge) -> Vec<(RankedCause, Severity)> {
    let mut out: Vec<(RankedCause, Severity, (i32, usize))> = Vec::new();
    for cause in &kb.causes {
        let best = cause
            .rules
            .iter()
            .filter(|r| rule_matches(r, facts))
            .max_by_key(|r| (r.confidence, r.when.len()));
        if let Some(rule) = best {
            let order = (cause.priority, rule.when.len());
            out.push((
                ranked(cause, rule.confidence, &rule.when, facts, values),
                cause.severity,
                order,
            ));
        }
    }
    out.sort_by(|a, b| {
        b.0.confidence
            .cmp(&a.0.confidence)
            .then((a.1 == Severity::Ok).cmp(&(b.1 == Severity::Ok)))
            .then(b.2.cmp(&a.2))
    });
    out.into_iter().map(|(c, s, _)| (c, s)).collect()
}

fn ranked(
    cause: &Cause,
    confidence: Confidence,
    when: &[String],
    facts: &FactSet,
    values: &Values,
) -> RankedCause {
    let fill = |t: &str| template::render(t, values);
    RankedCause {
        id: cause.id.clone(),
        title: cause.title.clone(),
        confidence,
        summary: cause.summary.clone(),
        evidence: when
            .iter()
            .filter_map(|f| facts.get(f))
            .map(|f| f.detail.clone())
            .collect(),
        action: action(&cause.action, values),
        fixes: cause.fixes.iter().map(|f| fill(f)).collect(),
        commands: commands(cause, values),
        confirm: fill(&cause.confirm),
        what: fill(&cause.what),
        dont: fill(&cause.dont),
        snippets: cause
            .snippets
            .iter()
            .map(|s| Snippet {
                lang: s.lang.clone(),
                caption: fill(&s.caption),
                code: fill(&s.code),
            })
            .collect(),
    }
}

/// The causes the facts so far point to while some probes still run, best first. A rule
/// counts when each of its facts is either established or still awaited from a running
/// probe, no `unless` fact holds, and at least one fact it needs beyond the target itself
/// is already in: a DROP rule found in milliseconds points at `firewall-drop` long before
/// the connect times out. Ranked by the rule's confidence, then by the evidence already in
/// (direct evidence counts double), then priority, then fewest facts still awaited. The
/// all-clear is never given early.
/// Facts that show the fault itself rather than a circumstance around it: a rule that
/// names the port decides what the pending connect will do, whereas "nothing listens here"
/// fits several causes until the connect answers.
const DIRECT: &[&str] = &[
    "firewall.reject_rule",
    "firewall.drop_rule",
    "proxy.unreachable",
    "listener.backlog_full",
];

pub fn provisional(
    facts: &FactSet,
    kb: &Knowledge,
    awaited: impl Fn(&str) -> bool,
) -> Vec<RankedCause> {
    let values = facts.values();
    let mut out: Vec<(RankedCause, (Confidence, usize, i32, usize))> = Vec::new();
    for cause in kb.causes.iter().filter(|c| c.severity != Severity::Ok) {
        let best = cause
            .rules
            .iter()
            .filter(|r| {
                !r.when.is_empty()
                    && r.when.iter().all(|f| facts.has(f) || awaited(f))
                    && !r.unless.iter().any(|f| facts.has(f))
            })
            .map(|r| {
                let found: usize = (r.when.iter())
                    .filter(|f| facts.has(f) && !f.starts_with("target."))
                    .map(|f| if DIRECT.contains(&f.as_str()) { 2 } else { 1 })
                    .sum();
                let missing = r.when.iter().filter(|f| !facts.has(f)).count();
                let key = (r.confidence, found, cause.priority, usize::MAX - missing);
                (r, key)
            })
            .filter(|(_, key)| key.1 > 0)
            .max_by_key(|(_, key)| *key);
        if let Some((rule, key)) = best {
            out.push((
                ranked(cause, rule.confidence, &rule.when, facts, &values),
                key,
            ));
        }
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.1));
    out.into_iter().map(|(c, _)| c).collect()
}

/// The first action template whose values were all observed; failing that, the last
/// (the least specific) with the unknown values marked.
pub fn action(templates: &[String], values: &Values) -> String {
    templates
        .iter()
        .find_map(|t| template::render_complete(t, values))
        .or_else(|| templates.last().map(|t| template::render(t, values)))
        .unwrap_or_default()
}

/// The cause's commands whose values were all observed, `sudo` in front of those that need
/// root, each command once.
fn commands(cause: &Cause, values: &Values) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    for c in &cause.commands {
        let Some(command) = template::render_complete(&c.command, values) else {
            continue;
        };
        let command = if c.root {
            format!("sudo {command}")
        } else {
            command
        };
        if out.iter().any(|x| x.command == command) {
            continue;
        }
        out.push(Command {
            purpose: template::render(&c.purpose, values),
            command,
            root: c.root,
        });
    }
    out
}

/// The top problem, unless the connection works and every problem is only "possible":
/// then the verdict is the all-clear and the possibilities stay listed as warnings.
fn pick_verdict(
    facts: &FactSet,
    values: &Values,
    causes: &[(RankedCause, Severity)],
    kb: &Knowledge,
) -> Verdict {
    let verdict_of = |c: &RankedCause| Verdict {
        id: c.id.clone(),
        title: c.title.clone(),
        confidence: c.confidence,
        summary: c.summary.clone(),
        action: c.action.clone(),
    };
    let problem = causes
        .iter()
        .find(|(_, s)| *s != Severity::Ok)
        .map(|(c, _)| c);
    let all_clear = causes
        .iter()
        .find(|(_, s)| *s == Severity::Ok)
        .map(|(c, _)| c);
    match (problem, all_clear) {
        (Some(p), Some(ok)) if p.confidence == Confidence::Possible => verdict_of(ok),
        (Some(p), _) => verdict_of(p),
        (None, Some(ok)) => verdict_of(ok),
        (None, None) => {
            let reason = if facts.has("tcp.all_failed") || facts.has("dns.temporary_failure") {
                "the connection fails, but no known cause matches what the probes saw"
            } else {
                "the probes could not establish enough to decide"
            };
            match kb.cause("unexplained") {
                Some(c) => Verdict {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    confidence: Confidence::Possible,
                    summary: format!("{}: {reason}", c.summary),
                    action: action(&c.action, values),
                },
                None => Verdict {
                    id: "unexplained".into(),
                    title: "No known cause matches".into(),
                    confidence: Confidence::Possible,
                    summary: reason.into(),
                    action: "Run the failing client again with its most verbose logging and compare its target with what connfix checked.".into(),
                },
            }
        }
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
