//! `connfix check`: run the probes on a target, diagnose, and build the report that both the
//! doctor-style text and `--json` are rendered from.

use crate::diagnose::engine::{Question, RankedCause, Step, Verdict};
use crate::diagnose::{Context, Fact, derive, diagnose};
use crate::knowledge::Knowledge;
use crate::probe::{self, ProbeData, ProbeId, ProbeReport, Settings, Status};
use crate::target::Target;
use serde::Serialize;
use std::sync::Arc;
use std::time::SystemTime;

/// The whole result of a check: the public JSON shape (see README, "JSON output").
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub target: Target,
    pub verdict: Verdict,
    pub causes: Vec<RankedCause>,
    pub probes: Vec<ProbeView>,
    pub path: Vec<Step>,
    pub questions: Vec<Question>,
    /// Every fact established, including those about the target and the person's answers.
    pub facts: Vec<Fact>,
    pub started_at: String,
    pub finished_at: String,
}

/// A probe's report together with the named facts it established.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeView {
    pub id: ProbeId,
    pub status: Status,
    pub summary: String,
    pub elapsed_ms: f64,
    pub facts: Vec<Fact>,
    pub data: ProbeData,
}

impl CheckReport {
    /// 0 when the target is reachable and healthy, 1 when a problem was diagnosed.
    pub fn exit_code(&self) -> i32 {
        if self.verdict.id == "reachable" { 0 } else { 1 }
    }
}

pub async fn run(target: Target, settings: Settings, ctx: &Context, kb: &Knowledge) -> CheckReport {
    let started_at = now();
    let target = Arc::new(target);
    let reports = probe::run_all(target.clone(), settings).await;
    let target = Arc::unwrap_or_clone(target);
    assemble(target, reports, ctx, kb, started_at)
}

/// Pure: reports in, the finished report out.
pub fn assemble(
    target: Target,
    reports: Vec<ProbeReport>,
    ctx: &Context,
    kb: &Knowledge,
    started_at: String,
) -> CheckReport {
    let facts = derive(&target, &reports, ctx, &kb.services);
    let d = diagnose(&facts, &reports, kb);
    let probes = reports
        .into_iter()
        .map(|r| ProbeView {
            facts: facts.from_source(r.id.as_str()).cloned().collect(),
            id: r.id,
            status: r.status,
            summary: r.summary,
            elapsed_ms: r.elapsed_ms,
            data: r.data,
        })
        .collect();
    CheckReport {
        target,
        verdict: d.verdict,
        causes: d.causes,
        probes,
        path: d.path,
        questions: d.questions,
        facts: facts.0,
        started_at,
        finished_at: now(),
    }
}

pub fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}
