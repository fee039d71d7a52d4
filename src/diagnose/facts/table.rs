//! Table-driven checks shared by the tests of each probe's facts.

use super::{Context, FactSet, derive};
use crate::knowledge::services::Services;
use crate::probe::{ProbeData, ProbeId, ProbeReport, Status};
use crate::target::{ParseOptions, parse};

/// One case: a target, what one probe observed (as its saved JSON), the facts that must
/// follow and those that must not.
pub struct Row {
    pub case: &'static str,
    pub target: &'static str,
    pub probe: ProbeId,
    pub data: serde_json::Value,
    pub has: &'static [&'static str],
    pub lacks: &'static [&'static str],
}

/// The facts `derive` gives for `target` and the reports read back from JSON.
pub fn facts(target: &str, reports: &[(ProbeId, serde_json::Value)], ctx: &Context) -> FactSet {
    let services = Services::bundled();
    let target =
        parse(target, ParseOptions::default(), &services, &|_| None).expect("a valid target");
    let reports: Vec<ProbeReport> = reports
        .iter()
        .map(|(id, data)| ProbeReport {
            id: *id,
            status: Status::Ok,
            summary: String::new(),
            elapsed_ms: 0.0,
            data: ProbeData::from_json(*id, data.clone()).expect("probe data"),
        })
        .collect();
    derive(&target, &reports, ctx, &services)
}

pub fn check(rows: &[Row]) {
    for row in rows {
        let got = facts(
            row.target,
            &[(row.probe, row.data.clone())],
            &Context::default(),
        );
        let names: Vec<&str> = got.0.iter().map(|f| f.name.as_str()).collect();
        for want in row.has {
            assert!(names.contains(want), "{}: no {want} in {names:?}", row.case);
        }
        for not in row.lacks {
            assert!(
                !names.contains(not),
                "{}: unexpected {not} in {names:?}",
                row.case
            );
        }
    }
}
