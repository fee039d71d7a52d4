//! The decision tree while probes are still running: which questions are answered, which
//! wait on a probe, which are skipped. Pure; the TUI draws its tree pane from this.
//!
//! A node is only answered once every probe that could change its answer has finished, so
//! an early "no" never flips to "yes" a moment later.

use super::engine::{Question, Step};
use crate::knowledge::tree::Node;
use crate::probe::ProbeId;

/// Where a probe is in the current run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The probe does not apply to this target (e.g. HTTP for a database).
    NotPlanned,
    Pending,
    Running,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeState {
    /// A probe it needs has not started yet.
    Pending,
    /// A probe it needs is running.
    Running,
    Answered(Step),
    /// Only the person can answer it.
    Asking(Question),
    /// It does not apply, given what the probes found.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveNode {
    pub id: String,
    pub question: String,
    /// The probe that answers it, or None for a question to the person.
    pub probe: Option<ProbeId>,
    pub state: NodeState,
}

/// The probes whose results a fact is derived from (empty: known from the input alone, or
/// the person's answer).
pub fn fact_sources(name: &str) -> &'static [ProbeId] {
    use ProbeId::*;
    let (prefix, rest) = name.split_once('.').unwrap_or((name, ""));
    match prefix {
        "target" => match rest {
            "loopback" => &[Dns],
            "own_address" | "remote" => &[Dns, Listeners],
            _ => &[],
        },
        "dns" => &[Dns],
        "tcp" => &[Tcp],
        "listener" => &[Dns, Listeners],
        "firewall" => &[Firewall],
        "proxy" => &[Proxy],
        "env" => &[Environment],
        "http" => &[Http],
        "tls" if rest.starts_with("certificate") || rest == "no_handshake" => &[Service],
        "tls" => &[Http],
        "service" => &[Service],
        "process" => &[Listeners],
        "container" => &[Container],
        "unix" => &[Unix],
        _ => &[],
    }
}

pub fn probe_of(node: &Node) -> Option<ProbeId> {
    let name = node.probe.as_deref()?;
    ProbeId::ALL.into_iter().find(|p| p.as_str() == name)
}

/// Every node of the tree, in order, with its state now.
pub fn live_tree(
    nodes: &[Node],
    path: &[Step],
    questions: &[Question],
    progress: impl Fn(ProbeId) -> Progress,
) -> Vec<LiveNode> {
    nodes
        .iter()
        .map(|node| {
            let probe = probe_of(node);
            let deps = node
                .only_if
                .iter()
                .chain(&node.skip_if)
                .chain(&node.yes)
                .chain(&node.no)
                .flat_map(|f| fact_sources(f).iter().copied())
                .chain(probe);
            let mut running = false;
            let mut unsettled = false;
            for p in deps {
                match progress(p) {
                    Progress::Running => running = true,
                    Progress::Pending => unsettled = true,
                    Progress::Done | Progress::NotPlanned => {}
                }
            }
            let state = if running {
                NodeState::Running
            } else if unsettled {
                NodeState::Pending
            } else if let Some(step) = path.iter().find(|s| s.node == node.id) {
                NodeState::Answered(step.clone())
            } else if let Some(q) = questions.iter().find(|q| q.node == node.id) {
                NodeState::Asking(q.clone())
            } else {
                NodeState::Skipped
            };
            LiveNode {
                id: node.id.clone(),
                question: node.question.clone(),
                probe,
                state,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::engine::{Answer, AnsweredBy};

    fn node(id: &str, probe: Option<&str>, only_if: &[&str]) -> Node {
        Node {
            id: id.into(),
            question: format!("{id}?"),
            probe: probe.map(String::from),
            ask: probe.is_none().then(|| id.to_string()),
            only_if: only_if.iter().map(|s| s.to_string()).collect(),
            skip_if: Vec::new(),
            yes: Vec::new(),
            no: Vec::new(),
            otherwise: None,
            why: None,
        }
    }

    fn diagnosis(path: &[&str], questions: &[&str]) -> (Vec<Step>, Vec<Question>) {
        (
            path.iter()
                .map(|n| Step {
                    node: n.to_string(),
                    question: String::new(),
                    answer: Answer::Yes,
                    by: AnsweredBy::Probe,
                    probe: None,
                    evidence: Vec::new(),
                })
                .collect(),
            questions
                .iter()
                .map(|n| Question {
                    node: n.to_string(),
                    key: n.to_string(),
                    question: String::new(),
                    why: None,
                })
                .collect(),
        )
    }

    #[test]
    fn a_node_waits_for_every_probe_its_conditions_come_from() {
        let nodes = [
            node("connects", Some("tcp"), &[]),
            node("listening", Some("listeners"), &["target.own_address"]),
            node("intermittent", None, &["tcp.all_failed"]),
        ];
        let d = diagnosis(&["connects"], &[]);
        // Listeners done but DNS still running: "listening" depends on the addresses too.
        let live = live_tree(&nodes, &d.0, &d.1, |p| match p {
            ProbeId::Dns => Progress::Running,
            ProbeId::Tcp => Progress::Pending,
            _ => Progress::Done,
        });
        assert_eq!(live[0].state, NodeState::Pending);
        assert_eq!(live[1].state, NodeState::Running);
        assert_eq!(live[2].state, NodeState::Pending);
    }

    #[test]
    fn once_settled_nodes_are_answered_asked_or_skipped() {
        let nodes = [
            node("connects", Some("tcp"), &[]),
            node("intermittent", None, &["tcp.all_failed"]),
            node("socket", Some("unix"), &["target.unix"]),
        ];
        let d = diagnosis(&["connects"], &["intermittent"]);
        let live = live_tree(&nodes, &d.0, &d.1, |p| match p {
            ProbeId::Unix => Progress::NotPlanned,
            _ => Progress::Done,
        });
        assert!(matches!(live[0].state, NodeState::Answered(_)));
        assert!(matches!(live[1].state, NodeState::Asking(_)));
        assert_eq!(live[2].state, NodeState::Skipped);
    }

    #[test]
    fn every_fact_in_the_vocabulary_has_known_sources() {
        for (name, _) in crate::vocabulary::facts::FACTS {
            let prefix = name.split('.').next().unwrap_or("");
            let from_input = matches!(prefix, "target" | "answer");
            assert!(
                from_input || !fact_sources(name).is_empty(),
                "{name} has no probe behind it"
            );
        }
    }
}
