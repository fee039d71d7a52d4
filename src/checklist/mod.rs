//! A checklist run: the state of each step of an incident checklist, who set it and when,
//! and what its automatic check found. Pure: facts and times come in, states come out.

use crate::diagnose::FactSet;
use crate::diagnose::live::{Progress, fact_sources};
use crate::knowledge::checklists::ChecklistDef;
use crate::probe::ProbeId;
use crate::vocabulary::template::{self, Values};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepState {
    Pending,
    Done,
    Failed,
    Skipped,
    /// Does not apply to this incident.
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl StepState {
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::Done => "done",
            StepState::Failed => "failed",
            StepState::Skipped => "skipped",
            StepState::NotApplicable => "n/a",
        }
    }
}

/// Who set a step's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SetBy {
    Person,
    /// The step's automatic check.
    Check,
}

impl SetBy {
    pub fn as_str(self) -> &'static str {
        match self {
            SetBy::Person => "by you",
            SetBy::Check => "by the automatic check",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepChange {
    pub at: String,
    pub state: StepState,
    pub by: SetBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The probes ran but neither a pass nor a fail fact holds.
    Unknown,
    /// The probes it needs do not apply to this target.
    NotApplicable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "passed",
            Outcome::Fail => "failed",
            Outcome::Unknown => "could not tell",
            Outcome::NotApplicable => "does not apply to this target",
        }
    }
}

/// What a step's automatic check found, with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoResult {
    pub outcome: Outcome,
    pub evidence: Vec<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRun {
    pub id: String,
    pub title: String,
    /// What to do and what good looks like, copied in so a report stands on its own.
    #[serde(rename = "do")]
    pub action: String,
    pub good: String,
    pub pass_if: Vec<String>,
    pub fail_if: Vec<String>,
    pub state: StepState,
    /// Who set the current state (None while pending and untouched).
    pub by: Option<SetBy>,
    pub changed_at: Option<String>,
    pub auto: Option<AutoResult>,
    pub history: Vec<StepChange>,
}

impl StepRun {
    pub fn automatic(&self) -> bool {
        !self.pass_if.is_empty() || !self.fail_if.is_empty()
    }

    /// The probes the automatic check needs.
    pub fn probes(&self) -> Vec<ProbeId> {
        let mut out: Vec<ProbeId> = (self.pass_if.iter().chain(&self.fail_if))
            .flat_map(|f| fact_sources(f).iter().copied())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn set(&mut self, state: StepState, by: SetBy, at: &str) -> bool {
        // A check that cannot tell leaves an untouched step as it is, with no history entry.
        let untouched = state == StepState::Pending && self.by.is_none() && by == SetBy::Check;
        if self.state == state && (self.by == Some(by) || untouched) {
            return false;
        }
        self.state = state;
        self.by = (state != StepState::Pending || by == SetBy::Person).then_some(by);
        self.changed_at = Some(at.to_string());
        self.history.push(StepChange {
            at: at.to_string(),
            state,
            by,
        });
        true
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub pending: usize,
    pub done: usize,
    pub failed: usize,
    pub skipped: usize,
    pub not_applicable: usize,
}

impl Counts {
    pub fn settled(&self) -> usize {
        self.total - self.pending
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistRun {
    pub id: String,
    pub title: String,
    pub about: String,
    pub steps: Vec<StepRun>,
}

impl ChecklistRun {
    /// A fresh run of `def`, its texts written with `values` (the target's, at least), so
    /// every step names this target rather than an example.
    pub fn new(def: &ChecklistDef, values: &Values) -> ChecklistRun {
        let fill = |t: &str| template::render(t, values);
        ChecklistRun {
            id: def.id.clone(),
            title: fill(&def.title),
            about: fill(&def.about),
            steps: (def.steps.iter())
                .map(|s| StepRun {
                    id: s.id.clone(),
                    title: fill(&s.title),
                    action: fill(&s.action),
                    good: fill(&s.good),
                    pass_if: s.pass_if.clone(),
                    fail_if: s.fail_if.clone(),
                    state: StepState::Pending,
                    by: None,
                    changed_at: None,
                    auto: None,
                    history: Vec::new(),
                })
                .collect(),
        }
    }

    /// Writes the texts again with what is known now (after a diagnosis adds the listener,
    /// the rule, the unit ...). Steps are matched by id; states and history stay.
    pub fn fill(&mut self, def: &ChecklistDef, values: &Values) {
        let fill = |t: &str| template::render(t, values);
        self.title = fill(&def.title);
        self.about = fill(&def.about);
        for step in &mut self.steps {
            if let Some(d) = def.steps.iter().find(|d| d.id == step.id) {
                step.title = fill(&d.title);
                step.action = fill(&d.action);
                step.good = fill(&d.good);
            }
        }
    }

    /// The person sets a step; their choice stands over the automatic check's.
    /// Returns false when nothing changed.
    pub fn set(&mut self, step: usize, state: StepState, at: &str) -> bool {
        match self.steps.get_mut(step) {
            Some(s) => s.set(state, SetBy::Person, at),
            None => false,
        }
    }

    /// Hands a step back to its automatic check (or to pending when it has none).
    pub fn reset(&mut self, step: usize, at: &str) -> bool {
        let Some(s) = self.steps.get_mut(step) else {
            return false;
        };
        let state = match s.auto.as_ref().map(|a| a.outcome) {
            Some(o) => state_of(o),
            None => StepState::Pending,
        };
        // An automatic step goes back to its check even while the check is still running.
        let by = if s.automatic() {
            SetBy::Check
        } else {
            SetBy::Person
        };
        let changed = s.set(state, by, at);
        if by == SetBy::Check && state == StepState::Pending {
            s.by = None;
        }
        changed
    }

    /// Runs the automatic checks against what the probes found. A check is decided only
    /// when every probe it needs has finished. Steps the person set keep their state.
    /// Returns true when any step changed.
    pub fn evaluate(
        &mut self,
        facts: &FactSet,
        progress: impl Fn(ProbeId) -> Progress,
        at: &str,
    ) -> bool {
        let mut changed = false;
        for step in self.steps.iter_mut().filter(|s| s.automatic()) {
            let probes = step.probes();
            let result = if probes.iter().all(|p| progress(*p) == Progress::NotPlanned) {
                Some((Outcome::NotApplicable, Vec::new()))
            } else if probes
                .iter()
                .any(|p| matches!(progress(*p), Progress::Pending | Progress::Running))
            {
                None
            } else {
                Some(judge(step, facts))
            };
            let auto = result.map(|(outcome, evidence)| AutoResult {
                outcome,
                evidence,
                at: at.to_string(),
            });
            let same = match (&step.auto, &auto) {
                (Some(a), Some(b)) => a.outcome == b.outcome && a.evidence == b.evidence,
                (None, None) => true,
                _ => false,
            };
            if same {
                continue;
            }
            step.auto = auto;
            changed = true;
            // While a re-check runs, the step keeps what the last check found.
            if step.by != Some(SetBy::Person)
                && let Some(a) = &step.auto
            {
                let state = state_of(a.outcome);
                step.set(state, SetBy::Check, at);
            }
        }
        changed
    }

    /// Forgets the automatic results (a re-check is starting); person-set states stay.
    pub fn clear_checks(&mut self) {
        for s in &mut self.steps {
            s.auto = None;
        }
    }

    pub fn counts(&self) -> Counts {
        let mut n = Counts {
            total: self.steps.len(),
            ..Counts::default()
        };
        for s in &self.steps {
            match s.state {
                StepState::Pending => n.pending += 1,
                StepState::Done => n.done += 1,
                StepState::Failed => n.failed += 1,
                StepState::Skipped => n.skipped += 1,
                StepState::NotApplicable => n.not_applicable += 1,
            }
        }
        n
    }

    /// The first step still pending after `from`, wrapping around.
    pub fn next_pending(&self, from: usize) -> Option<usize> {
        let n = self.steps.len();
        (1..=n)
            .map(|d| (from + d) % n)
            .find(|&i| self.steps[i].state == StepState::Pending)
    }
}

fn state_of(o: Outcome) -> StepState {
    match o {
        Outcome::Pass => StepState::Done,
        Outcome::Fail => StepState::Failed,
        Outcome::Unknown => StepState::Pending,
        Outcome::NotApplicable => StepState::NotApplicable,
    }
}

fn judge(step: &StepRun, facts: &FactSet) -> (Outcome, Vec<String>) {
    let found = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .filter_map(|n| facts.get(n))
            .map(|f| format!("{}: {}", f.name, f.detail))
            .collect()
    };
    let pass = found(&step.pass_if);
    if !pass.is_empty() {
        return (Outcome::Pass, pass);
    }
    let fail = found(&step.fail_if);
    if !fail.is_empty() {
        return (Outcome::Fail, fail);
    }
    (Outcome::Unknown, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::checklists::StepDef;

    fn def() -> ChecklistDef {
        let step = |id: &str, pass: &[&str], fail: &[&str]| StepDef {
            id: id.into(),
            title: format!("step {id}"),
            action: "do it".into(),
            good: "it works".into(),
            pass_if: pass.iter().map(|s| s.to_string()).collect(),
            fail_if: fail.iter().map(|s| s.to_string()).collect(),
        };
        ChecklistDef {
            id: "t".into(),
            title: "T".into(),
            about: "a".into(),
            steps: vec![
                step("connects", &["tcp.connected"], &["tcp.all_failed"]),
                step("manual", &[], &[]),
                step("socket", &["unix.connected"], &["unix.missing"]),
            ],
            source: String::new(),
        }
    }

    fn facts(names: &[&str]) -> FactSet {
        let mut f = FactSet::default();
        for n in names {
            f.add(n, "tcp", "seen");
        }
        f
    }

    fn progress(p: ProbeId) -> Progress {
        if p == ProbeId::Unix {
            Progress::NotPlanned
        } else {
            Progress::Done
        }
    }

    #[test]
    fn checks_decide_only_when_their_probes_are_done() {
        let mut run = ChecklistRun::new(&def(), &Values::new());
        let running = |p: ProbeId| {
            if p == ProbeId::Tcp {
                Progress::Running
            } else {
                progress(p)
            }
        };
        run.evaluate(&facts(&["tcp.all_failed"]), running, "t1");
        assert_eq!(run.steps[0].state, StepState::Pending);
        assert_eq!(run.steps[2].state, StepState::NotApplicable);
        assert!(run.evaluate(&facts(&["tcp.all_failed"]), progress, "t2"));
        assert_eq!(run.steps[0].state, StepState::Failed);
        assert_eq!(run.steps[0].by, Some(SetBy::Check));
        assert_eq!(
            run.steps[0].auto.as_ref().unwrap().evidence,
            ["tcp.all_failed: seen"]
        );
        assert_eq!(
            run.steps[1].state,
            StepState::Pending,
            "manual steps wait for the person"
        );
    }

    #[test]
    fn the_person_overrides_and_can_hand_back() {
        let mut run = ChecklistRun::new(&def(), &Values::new());
        run.evaluate(&facts(&["tcp.all_failed"]), progress, "t1");
        assert!(run.set(0, StepState::Skipped, "t2"));
        // A later check does not undo the person's choice ...
        run.evaluate(&facts(&["tcp.connected"]), progress, "t3");
        assert_eq!(run.steps[0].state, StepState::Skipped);
        // ... until they hand it back.
        run.reset(0, "t4");
        assert_eq!(run.steps[0].state, StepState::Done);
        let states: Vec<_> = run.steps[0].history.iter().map(|h| h.state).collect();
        assert_eq!(
            states,
            [StepState::Failed, StepState::Skipped, StepState::Done]
        );
        assert_eq!(run.counts().settled(), 2);
        assert_eq!(run.next_pending(0), Some(1));
    }

    #[test]
    fn handing_back_while_the_check_runs_lets_it_decide() {
        let mut run = ChecklistRun::new(&def(), &Values::new());
        run.set(0, StepState::Skipped, "t1");
        run.clear_checks();
        run.reset(0, "t2");
        assert_eq!(run.steps[0].state, StepState::Pending);
        assert_eq!(run.steps[0].by, None);
        run.evaluate(&facts(&["tcp.connected"]), progress, "t3");
        assert_eq!(run.steps[0].state, StepState::Done);
        assert_eq!(run.steps[0].by, Some(SetBy::Check));
    }
}
