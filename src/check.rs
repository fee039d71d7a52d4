//! `connfix check`: run the probes on a target, diagnose, and build the report that both the
//! doctor-style text and `--json` are rendered from.

use crate::diagnose::engine::{Question, RankedCause, Step, Verdict};
use crate::diagnose::{Context, Fact, FactSet, derive, diagnose};
use crate::knowledge::Knowledge;
use crate::probe::{self, ProbeData, ProbeEvent, ProbeId, ProbeReport, Settings, Status};
use crate::target::Target;
use serde::Serialize;
use std::sync::Arc;
use std::time::SystemTime;
use tokio_util::sync::CancellationToken;

/// The whole result of a check: the public JSON shape (see README, "JSON output").
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub target: Target,
    pub verdict: Verdict,
    pub causes: Vec<RankedCause>,
    /// Where the client was looked at from (`--from`), when not this host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<crate::probe::vantage::Vantage>,
    pub probes: Vec<ProbeView>,
    pub path: Vec<Step>,
    pub questions: Vec<Question>,
    /// Every fact established, including those about the target and the person's answers.
    pub facts: Vec<Fact>,
    /// True while probes still run: the verdict and causes are what the facts so far point
    /// to, and may still change.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
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
    run_live(target, settings, ctx, kb, |_| {}).await
}

/// [`run`], calling `progress` with the provisional report each time a probe answers
/// while others still run (for a live line on a terminal).
pub async fn run_live(
    target: Target,
    settings: Settings,
    ctx: &Context,
    kb: &Knowledge,
    mut progress: impl FnMut(&CheckReport),
) -> CheckReport {
    let started_at = now();
    let target = Arc::new(target);
    let from = settings.vantage.as_deref().cloned();
    let mut pending = probe::planned(&target);
    let mut rx = probe::spawn(target.clone(), settings, CancellationToken::new());
    let mut reports = Vec::new();
    while let Some(ev) = rx.recv().await {
        if let ProbeEvent::Finished(r) = ev {
            pending.retain(|p| *p != r.id);
            reports.push(*r);
            if !pending.is_empty() {
                reports.sort_by_key(|r| r.id);
                let partial = assemble_partial(
                    (*target).clone(),
                    reports.clone(),
                    &pending,
                    ctx,
                    kb,
                    started_at.clone(),
                );
                progress(&partial);
            }
        }
    }
    reports.sort_by_key(|r| r.id);
    let target = Arc::unwrap_or_clone(target);
    let mut report = assemble(target, reports, ctx, kb, started_at);
    report.from = from;
    report
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
        from: None,
        probes,
        path: d.path,
        questions: d.questions,
        facts: facts.0,
        provisional: false,
        started_at,
        finished_at: now(),
    }
}

/// [`assemble`] while the probes in `pending` have not answered yet: when the facts so far
/// already point at a problem, that is the verdict, marked provisional; otherwise there are
/// no causes yet.
pub fn assemble_partial(
    target: Target,
    reports: Vec<ProbeReport>,
    pending: &[ProbeId],
    ctx: &Context,
    kb: &Knowledge,
    started_at: String,
) -> CheckReport {
    let mut report = assemble(target, reports, ctx, kb, started_at);
    if pending.is_empty() {
        return report;
    }
    let facts = FactSet(report.facts.clone());
    let awaited = |f: &str| {
        crate::diagnose::live::fact_sources(f)
            .iter()
            .any(|p| pending.contains(p))
    };
    report.causes = crate::diagnose::engine::provisional(&facts, kb, awaited);
    report.provisional = true;
    if let Some(top) = report.causes.first() {
        report.verdict = Verdict {
            id: top.id.clone(),
            title: top.title.clone(),
            confidence: top.confidence,
            summary: top.summary.clone(),
            action: top.action.clone(),
        };
    }
    report
}

pub fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}
