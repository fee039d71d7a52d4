//! The model of one target's live diagnosis: each probe's latest run, the person's answers
//! and the report derived from them. Panes draw from it; none of them owns it.

use crate::check::{self, CheckReport};
use crate::diagnose::Context;
use crate::diagnose::live::{self, LiveNode, NodeState, Progress};
use crate::knowledge::Knowledge;
use crate::probe::{self, ProbeId, ProbeReport};
use crate::target::Target;
use std::sync::Arc;
use std::time::Instant;

/// The person's answer to a question only they can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonAnswer {
    Yes,
    No,
    /// "I don't know": the question is set aside and changes nothing.
    Skip,
}

#[derive(Debug)]
pub enum SlotState {
    Pending,
    Running(Instant),
    Done(Box<ProbeReport>),
}

/// One probe's latest run.
#[derive(Debug)]
pub struct Slot {
    pub id: ProbeId,
    /// The run whose events count; events of older runs are dropped.
    pub run: u64,
    pub state: SlotState,
}

/// A diagnosis of one target, live.
#[derive(Debug)]
pub struct Diagnosis {
    pub target: Arc<Target>,
    pub slots: Vec<Slot>,
    pub answers: Vec<(String, PersonAnswer)>,
    /// `--public`: the target must be reachable from the internet.
    pub public: bool,
    /// Derived from the finished probes and the answers; rebuilt on every change.
    pub report: CheckReport,
    pub live: Vec<LiveNode>,
    pub started_at: String,
    /// Counts the rebuilds of the report: a pane whose lines were built for this
    /// generation can draw them again as they are.
    pub generation: u64,
}

impl Diagnosis {
    /// A diagnosis whose probes are about to start, as run `run`.
    pub fn new(target: Arc<Target>, run: u64, flags: &Context, kb: &Knowledge) -> Diagnosis {
        let slots = probe::planned(&target)
            .into_iter()
            .map(|id| Slot {
                id,
                run,
                state: SlotState::Pending,
            })
            .collect();
        let answers = (flags.answers.iter())
            .map(|(k, yes)| {
                let a = if *yes {
                    PersonAnswer::Yes
                } else {
                    PersonAnswer::No
                };
                (k.clone(), a)
            })
            .collect();
        let started_at = check::now();
        let report = check::assemble_partial(
            (*target).clone(),
            Vec::new(),
            &probe::planned(&target),
            flags,
            kb,
            started_at.clone(),
        );
        let mut d = Diagnosis {
            target,
            slots,
            answers,
            public: flags.public,
            report,
            live: Vec::new(),
            started_at,
            generation: 0,
        };
        d.rebuild_tree(kb);
        d
    }

    pub fn progress(&self, id: ProbeId) -> Progress {
        match self.slots.iter().find(|s| s.id == id) {
            None => Progress::NotPlanned,
            Some(s) => match s.state {
                SlotState::Pending => Progress::Pending,
                SlotState::Running(_) => Progress::Running,
                SlotState::Done(_) => Progress::Done,
            },
        }
    }

    pub fn reports(&self) -> Vec<ProbeReport> {
        self.slots
            .iter()
            .filter_map(|s| match &s.state {
                SlotState::Done(r) => Some((**r).clone()),
                _ => None,
            })
            .collect()
    }

    pub fn all_done(&self) -> bool {
        self.slots
            .iter()
            .all(|s| matches!(s.state, SlotState::Done(_)))
    }

    pub fn done_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s.state, SlotState::Done(_)))
            .count()
    }

    pub fn answer_of(&self, key: &str) -> Option<PersonAnswer> {
        self.answers.iter().find(|(k, _)| k == key).map(|(_, a)| *a)
    }

    /// The ask key of a node, when the person answers it.
    pub fn ask_key(&self, kb: &Knowledge, node: &str) -> Option<String> {
        kb.tree
            .nodes
            .iter()
            .find(|n| n.id == node)
            .and_then(|n| n.ask.clone())
    }

    /// The engine's context: `--public` and the person's yes/no answers.
    pub fn context(&self) -> Context {
        Context {
            public: self.public,
            answers: (self.answers.iter())
                .filter_map(|(k, a)| match a {
                    PersonAnswer::Yes => Some((k.clone(), true)),
                    PersonAnswer::No => Some((k.clone(), false)),
                    PersonAnswer::Skip => None,
                })
                .collect(),
        }
    }

    /// Rebuilds the report and the live tree from the slots and answers.
    pub fn refresh(&mut self, kb: &Knowledge) {
        self.generation += 1;
        // Slots are in plan order, which is probe id order, as the report lists them.
        let pending: Vec<ProbeId> = (self.slots.iter())
            .filter(|s| !matches!(s.state, SlotState::Done(_)))
            .map(|s| s.id)
            .collect();
        self.report = check::assemble_partial(
            (*self.target).clone(),
            self.reports(),
            &pending,
            &self.context(),
            kb,
            self.started_at.clone(),
        );
        self.rebuild_tree(kb);
    }

    fn rebuild_tree(&mut self, kb: &Knowledge) {
        self.live = live::live_tree(
            &kb.tree.nodes,
            &self.report.path,
            &self.report.questions,
            |p| self.progress(p),
        );
    }

    /// The first question still waiting for the person.
    pub fn first_open_question(&self) -> Option<usize> {
        self.live.iter().position(|n| match &n.state {
            NodeState::Asking(q) => self.answer_of(&q.key).is_none(),
            _ => false,
        })
    }

    /// The last node a probe or the person answered: where the path ends.
    pub fn path_end(&self) -> Option<usize> {
        (self.live.iter()).rposition(|n| matches!(n.state, NodeState::Answered(_)))
    }

    /// Marks the probes in `ids` (all of them with None) as waiting for run `run`.
    pub fn restart(&mut self, run: u64, ids: Option<&[ProbeId]>, kb: &Knowledge) {
        for slot in &mut self.slots {
            if ids.is_none_or(|ids| ids.contains(&slot.id)) {
                slot.run = run;
                slot.state = SlotState::Pending;
            }
        }
        self.refresh(kb);
    }

    /// A chain stage is built on the one before it: re-running TCP while DNS is still
    /// running would connect to no addresses. So a re-run starts at the earliest stage not
    /// yet done.
    pub fn rerun_start(&self, probe: ProbeId) -> ProbeId {
        // HTTP and the service probe both follow TCP; neither waits on the other.
        const CHAIN: [ProbeId; 3] = [ProbeId::Dns, ProbeId::Tcp, ProbeId::Http];
        let stage = if probe == ProbeId::Service {
            ProbeId::Http
        } else {
            probe
        };
        let Some(pos) = CHAIN.iter().position(|p| *p == stage) else {
            return probe;
        };
        CHAIN[..pos]
            .iter()
            .copied()
            .find(|p| matches!(self.progress(*p), Progress::Pending | Progress::Running))
            .unwrap_or(probe)
    }
}
