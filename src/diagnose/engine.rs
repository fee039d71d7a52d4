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
mod tests {
    use super::*;
    use crate::diagnose::facts::Fact;

    /// The named facts, plus `tcp.all_failed` when a connect failed and none worked, as
    /// `derive` adds it.
    fn facts(names: &[&str]) -> FactSet {
        let failed = names.iter().any(|n| {
            n.starts_with("tcp.")
                && !matches!(
                    *n,
                    "tcp.connected" | "tcp.partial" | "tcp.reset" | "tcp.closed_after_accept"
                )
        });
        let mut names = names.to_vec();
        if failed && !names.contains(&"tcp.connected") {
            names.push("tcp.all_failed");
        }
        FactSet(
            names
                .iter()
                .map(|n| Fact {
                    name: n.to_string(),
                    detail: format!("evidence for {n}"),
                    source: "test".into(),
                    values: Values::new(),
                })
                .collect(),
        )
    }

    fn verdict(names: &[&str]) -> (String, Confidence) {
        let kb = Knowledge::bundled();
        let d = diagnose(&facts(names), &[], &kb);
        (d.verdict.id, d.verdict.confidence)
    }

    use Confidence::*;

    /// One minimal fact set per rule of every cause, as the probes would report it, and the
    /// verdict it must give. Written by hand, not derived from the knowledge files, so that
    /// breaking a rule there fails [`each_cause_from_its_facts`].
    const CASES: &[(&[&str], &str, Confidence)] = &[
        (&["tcp.connected"], "reachable", Certain),
        (&["unix.connected"], "reachable", Certain),
        (&["dns.nxdomain"], "dns-no-such-host", Certain),
        (&["dns.no_records"], "dns-no-such-host", Likely),
        (
            &["dns.server_unreachable", "dns.temporary_failure"],
            "dns-server-unreachable",
            Certain,
        ),
        (
            &[
                "dns.mismatch",
                "tcp.all_failed",
                "tcp.timeout",
                "firewall.drop_rule",
            ],
            "firewall-drop",
            Certain,
        ),
        (
            &["tcp.refused", "target.own_address", "listener.none"],
            "nothing-listening",
            Certain,
        ),
        (
            &["tcp.refused", "listener.none", "listener.nearby_port"],
            "wrong-port",
            Likely,
        ),
        (
            &["tcp.refused", "listener.none", "listener.service_port"],
            "wrong-port",
            Likely,
        ),
        (
            &["tcp.refused", "listener.other_address"],
            "bind-address-mismatch",
            Certain,
        ),
        (
            &["tcp.refused", "listener.other_family"],
            "ipv6-ipv4-mismatch",
            Certain,
        ),
        (
            &[
                "tcp.connected",
                "tcp.partial",
                "tcp.refused",
                "dns.both_families",
                "listener.exact",
            ],
            "ipv6-ipv4-mismatch",
            Likely,
        ),
        (
            &["tcp.refused", "firewall.reject_rule", "listener.exact"],
            "firewall-reject",
            Certain,
        ),
        (
            &["tcp.refused", "listener.exact", "firewall.unreadable"],
            "firewall-reject",
            Likely,
        ),
        (&["tcp.denied"], "firewall-reject", Likely),
        (
            &["tcp.timeout", "firewall.drop_rule"],
            "firewall-drop",
            Certain,
        ),
        (
            &["tcp.timeout", "firewall.default_drop"],
            "firewall-drop",
            Likely,
        ),
        (
            &["tcp.host_unreachable", "target.remote", "tcp.host_down"],
            "host-unreachable",
            Certain,
        ),
        // Without the ICMP message, "unreachable" is only likely a machine that is down.
        (
            &["tcp.host_unreachable", "target.remote"],
            "host-unreachable",
            Likely,
        ),
        (
            &[
                "tcp.host_unreachable",
                "target.remote",
                "tcp.host_prohibited",
            ],
            "firewall-reject",
            Certain,
        ),
        (
            &["tcp.connected", "service.identified", "service.rejected"],
            "service-rejected",
            Certain,
        ),
        (
            &["tcp.connected", "service.identified", "service.starting"],
            "service-starting",
            Certain,
        ),
        (
            &[
                "tcp.connected",
                "service.identified",
                "service.other_protocol",
            ],
            "wrong-service",
            Certain,
        ),
        (
            &["tcp.connected", "tls.certificate_expired"],
            "tls-certificate-expired",
            Certain,
        ),
        (
            &["tcp.connected", "tls.certificate_name_mismatch"],
            "tls-certificate-name-mismatch",
            Certain,
        ),
        (
            &["tcp.connected", "tls.certificate_untrusted"],
            "tls-certificate-untrusted",
            Certain,
        ),
        (
            &["tcp.refused", "listener.none", "listener.service_process"],
            "wrong-port",
            Likely,
        ),
        (
            &[
                "tcp.refused",
                "target.own_address",
                "listener.none",
                "process.service_running",
            ],
            "startup-race",
            Likely,
        ),
        (
            &[
                "tcp.refused",
                "listener.other_address",
                "dns.mismatch",
                "dns.hosts_file",
            ],
            "dns-mismatch",
            Certain,
        ),
        (&["tcp.net_unreachable"], "network-unreachable", Certain),
        (&["tcp.refused", "target.remote"], "remote-refused", Likely),
        (
            &["tcp.refused", "target.remote", "answer.remote_running.no"],
            "remote-refused",
            Certain,
        ),
        (
            &["tcp.connected", "proxy.applies", "proxy.unreachable"],
            "proxy-unreachable",
            Certain,
        ),
        (
            &[
                "tcp.refused",
                "listener.none",
                "proxy.applies",
                "proxy.unreachable",
            ],
            "proxy-unreachable",
            Certain,
        ),
        (
            &[
                "env.container",
                "target.loopback",
                "tcp.refused",
                "listener.none",
            ],
            "container-localhost",
            Likely,
        ),
        (
            &[
                "target.public_required",
                "dns.private_address",
                "tcp.connected",
            ],
            "private-address-for-public-service",
            Certain,
        ),
        (
            &["tcp.connected", "tls.plain_port"],
            "tls-mismatch",
            Certain,
        ),
        (
            &["tcp.connected", "tls.on_tls_port"],
            "tls-mismatch",
            Certain,
        ),
        (&["tcp.connected", "tcp.reset"], "connection-reset", Certain),
        (
            &["tcp.connected", "http.server_error"],
            "http-error",
            Certain,
        ),
        (&["unix.missing"], "unix-socket-missing", Certain),
        (&["unix.stale"], "unix-socket-stale", Certain),
        (&["unix.permission"], "unix-socket-permission", Certain),
        (
            &["tcp.refused", "listener.none", "answer.intermittent.yes"],
            "startup-race",
            Likely,
        ),
        (
            &["tcp.timeout", "listener.exact", "listener.backlog_full"],
            "listen-backlog-full",
            Certain,
        ),
        (&["tcp.closed_after_accept"], "connection-reset", Possible),
        (
            &["container.publishes_port", "container.bound_to_loopback"],
            "container-bound-to-loopback",
            Certain,
        ),
        (
            &[
                "env.container",
                "target.loopback",
                "tcp.refused",
                "container.target_elsewhere",
            ],
            "container-localhost",
            Certain,
        ),
        (
            &["container.name_from_host"],
            "container-name-from-host",
            Certain,
        ),
        (
            &["container.network_mismatch"],
            "container-network-mismatch",
            Certain,
        ),
        (&["container.not_running"], "container-not-running", Certain),
        (
            &["container.publishes_port", "container.port_not_listening"],
            "container-port-not-listening",
            Certain,
        ),
        (&["dns.mismatch", "tcp.all_failed"], "dns-mismatch", Likely),
        (&["dns.mismatch"], "dns-mismatch", Possible),
        (&["dns.temporary_failure"], "dns-server-unreachable", Likely),
        (
            &["dns.server_unreachable"],
            "dns-server-unreachable",
            Likely,
        ),
        // The system resolver answered all the same: the dead server is only a side note.
        (
            &["dns.server_unreachable", "dns.resolved"],
            "dns-server-unreachable",
            Possible,
        ),
        // A timeout with no rule seen: some firewall on the way, most likely.
        (&["tcp.timeout", "tcp.all_failed"], "firewall-drop", Likely),
        (
            &[
                "tcp.host_unreachable",
                "firewall.reject_rule",
                "tcp.all_failed",
            ],
            "firewall-reject",
            Certain,
        ),
        (
            &["tcp.denied", "tcp.host_prohibited", "tcp.all_failed"],
            "firewall-reject",
            Certain,
        ),
        (
            &[
                "tcp.refused",
                "listener.exact",
                "firewall.default_drop",
                "tcp.all_failed",
            ],
            "firewall-reject",
            Likely,
        ),
        (
            &["tcp.refused", "listener.exact", "tcp.all_failed"],
            "firewall-reject",
            Possible,
        ),
        (
            &["tcp.partial", "dns.both_families"],
            "ipv6-ipv4-mismatch",
            Possible,
        ),
        (&["listener.backlog_full"], "listen-backlog-full", Likely),
        (
            &["tcp.addr_unavailable", "tcp.all_failed"],
            "network-unreachable",
            Likely,
        ),
        (
            &["tcp.refused", "answer.recent_change.yes", "tcp.all_failed"],
            "startup-race",
            Likely,
        ),
        (
            &["container.publishes_port", "container.unhealthy"],
            "startup-race",
            Likely,
        ),
        (
            &["tcp.connected", "tls.no_handshake"],
            "tls-mismatch",
            Likely,
        ),
        (&["tls.handshake_failed"], "tls-mismatch", Likely),
        (
            &[
                "tcp.refused",
                "listener.none",
                "listener.unix_only",
                "tcp.all_failed",
            ],
            "unix-socket-only",
            Certain,
        ),
        (&["unix.not_socket"], "unix-socket-permission", Likely),
        (&["tcp.all_failed"], "unexplained", Possible),
    ];

    /// Rules that rank a cause below the verdict: the facts, the verdict they give, and the
    /// cause with the confidence it must be ranked at.
    const RANKED: &[(&[&str], &str, &str, Confidence)] = &[
        (
            &[
                "env.container",
                "target.loopback",
                "tcp.timeout",
                "tcp.all_failed",
            ],
            "firewall-drop",
            "container-localhost",
            Possible,
        ),
        (
            &["tcp.host_unreachable", "tcp.all_failed"],
            "host-unreachable",
            "firewall-reject",
            Possible,
        ),
        (
            &["tcp.timeout", "target.remote", "tcp.all_failed"],
            "firewall-drop",
            "host-unreachable",
            Possible,
        ),
        (
            &[
                "tcp.refused",
                "listener.none",
                "tcp.all_failed",
                "answer.intermittent.yes",
            ],
            "startup-race",
            "nothing-listening",
            Possible,
        ),
        (
            &["tcp.refused", "listener.none", "tcp.all_failed"],
            "nothing-listening",
            "startup-race",
            Possible,
        ),
        (
            &["unix.missing", "answer.recent_change.yes"],
            "unix-socket-missing",
            "startup-race",
            Likely,
        ),
    ];

    #[test]
    fn each_cause_from_its_facts() {
        for (names, id, conf) in CASES {
            assert_eq!(verdict(names), (id.to_string(), *conf), "facts {names:?}");
        }
        let kb = Knowledge::bundled();
        for (names, top, id, conf) in RANKED {
            let d = diagnose(&facts(names), &[], &kb);
            assert_eq!(d.verdict.id, *top, "facts {names:?}");
            let ranked = d.causes.iter().find(|c| c.id == *id).map(|c| c.confidence);
            assert_eq!(ranked, Some(*conf), "{id} for facts {names:?}");
        }
    }

    /// Every rule of every cause has a case above that it decides with its own confidence,
    /// so no rule can be broken (a fact renamed, an `unless` added) without a failing test.
    #[test]
    fn every_rule_has_a_case_it_decides() {
        let kb = Knowledge::bundled();
        let mut uncovered = Vec::new();
        // `unexplained` has no rule that decides it: it is what is left when none does.
        for cause in kb.causes.iter().filter(|c| c.id != "unexplained") {
            for (n, rule) in cause.rules.iter().enumerate() {
                let decides = |names: &[&str], id: &str, conf: Confidence| {
                    id == cause.id && conf == rule.confidence && rule_matches(rule, &facts(names))
                };
                let covered = CASES.iter().any(|(n, id, c)| decides(n, id, *c))
                    || RANKED.iter().any(|(n, _, id, c)| decides(n, id, *c));
                if !covered {
                    uncovered.push(format!(
                        "{} rule {} ({:?}, when {:?}, unless {:?})",
                        cause.id, n, rule.confidence, rule.when, rule.unless
                    ));
                }
            }
        }
        assert!(
            uncovered.is_empty(),
            "rules no case decides:\n{}",
            uncovered.join("\n")
        );
    }

    #[test]
    fn a_drop_rule_decides_before_the_connect_times_out() {
        let kb = Knowledge::bundled();
        let pending = |f: &str| f.starts_with("tcp.");
        let ids = |names: &[&str]| -> Vec<String> {
            provisional(&facts(names), &kb, pending)
                .into_iter()
                .map(|c| c.id)
                .collect()
        };
        let drop = ids(&[
            "target.own_address",
            "listener.none",
            "listener.nearby_port",
            "firewall.drop_rule",
        ]);
        assert_eq!(
            drop.first().map(String::as_str),
            Some("firewall-drop"),
            "{drop:?}"
        );
        let nothing = ids(&["target.own_address", "listener.none"]);
        assert_eq!(
            nothing.first().map(String::as_str),
            Some("nothing-listening"),
            "{nothing:?}"
        );
        // Facts about the target alone point nowhere, and the all-clear never comes early.
        assert!(ids(&["target.own_address"]).is_empty());
        assert!(!ids(&["listener.exact"]).contains(&"reachable".to_string()));
    }

    #[test]
    fn possible_problems_do_not_override_a_working_connection() {
        assert_eq!(verdict(&["tcp.connected", "dns.mismatch"]).0, "reachable");
        assert_eq!(
            verdict(&["tcp.connected", "tcp.closed_after_accept"]).0,
            "reachable"
        );
        // An IPv6 address without a route beside a working IPv4 one: clients fall back.
        let v6_unroutable = [
            "tcp.connected",
            "tcp.partial",
            "tcp.net_unreachable",
            "dns.both_families",
        ];
        assert_eq!(verdict(&v6_unroutable).0, "reachable");
        // In a container, ::1 refused but 127.0.0.1 working is the ::1-first problem, not
        // "localhost is the container".
        let pod = [
            "env.container",
            "target.loopback",
            "tcp.connected",
            "tcp.partial",
            "tcp.refused",
            "dns.both_families",
        ];
        assert_eq!(
            verdict(&pod),
            ("ipv6-ipv4-mismatch".to_string(), Confidence::Likely)
        );
        let kb = Knowledge::bundled();
        let d = diagnose(&facts(&["tcp.connected", "dns.mismatch"]), &[], &kb);
        assert!(
            d.causes.iter().any(|c| c.id == "dns-mismatch"),
            "kept as a warning"
        );
    }

    #[test]
    fn the_path_asks_the_person_only_what_probes_cannot_answer() {
        let kb = Knowledge::bundled();
        let d = diagnose(
            &facts(&["tcp.all_failed", "tcp.refused", "target.remote"]),
            &[],
            &kb,
        );
        let keys: Vec<&str> = d.questions.iter().map(|q| q.key.as_str()).collect();
        assert!(keys.contains(&"remote_running"), "{keys:?}");
        let d = diagnose(
            &facts(&[
                "tcp.all_failed",
                "tcp.refused",
                "target.remote",
                "answer.remote_running.no",
            ]),
            &[],
            &kb,
        );
        assert!(d.questions.iter().all(|q| q.key != "remote_running"));
        let step = d
            .path
            .iter()
            .find(|s| s.node == "remote-running")
            .expect("answered node in path");
        assert_eq!((step.answer, step.by), (Answer::No, AnsweredBy::Person));
        // A node whose probe did not run is unknown, not a confident "no".
        let step = d
            .path
            .iter()
            .find(|s| s.node == "firewall")
            .expect("firewall node");
        assert_eq!(step.answer, Answer::Unknown);
    }
}
