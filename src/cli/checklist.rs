//! `connfix checklist [NAME] [--target TARGET] | --list`.

use super::{CheckFlags, CliError, interactive, parse_target, settings, usage};
use crate::check;
use crate::checklist::ChecklistRun;
use crate::diagnose::FactSet;
use crate::diagnose::live::Progress;
use crate::knowledge::Knowledge;
use crate::probe;
use crate::tui;
use std::ffi::OsString;
use std::sync::Arc;

pub async fn run(
    name: Option<&str>,
    list: bool,
    target: Option<&OsString>,
    flags: &CheckFlags,
    kb: Arc<Knowledge>,
) -> Result<i32, CliError> {
    let Some(name) = name.filter(|_| !list) else {
        print_list(&kb, flags.json);
        return Ok(0);
    };
    let Some(def) = kb.checklist(name) else {
        let ids: Vec<&str> = kb.checklists.iter().map(|c| c.id.as_str()).collect();
        return usage(format!(
            "no checklist '{name}'; the checklists are {} (`connfix checklist --list`)",
            ids.join(", ")
        ));
    };
    let (settings, ctx, opts) = settings(flags, &kb)?;
    let target = target.map(|t| parse_target(t, opts, &kb)).transpose()?;
    if interactive() && !flags.json {
        let def = def.clone();
        return super::run_tui(
            tui::Start::Checklist(Box::new(def), target),
            flags,
            kb,
            None,
        )
        .await;
    }
    // Headless: the checklist with its automatic checks done, as text or JSON.
    let target_values = target
        .as_ref()
        .map(|t| crate::diagnose::facts::target_values(t, &kb.services))
        .unwrap_or_default();
    let mut run = ChecklistRun::new(def, &target_values);
    if let Some(t) = target {
        let planned = probe::planned(&t);
        let report = check::run(t, settings, &ctx, &kb).await;
        let progress = |p| {
            if planned.contains(&p) {
                Progress::Done
            } else {
                Progress::NotPlanned
            }
        };
        let facts = FactSet(report.facts.clone());
        run.evaluate(&facts, progress, &check::now());
        run.fill(def, &facts.values());
    }
    if flags.json {
        crate::outln!(
            "{}",
            crate::sanitize::json(serde_json::to_string_pretty(&run).unwrap_or_default())
        );
    } else {
        crate::out!("{}", text(&run));
    }
    Ok(0)
}

fn print_list(kb: &Knowledge, json: bool) {
    if json {
        let rows: Vec<_> = (kb.checklists.iter())
            .map(|c| {
                serde_json::json!({"id": c.id, "title": c.title, "about": c.about,
                    "steps": c.steps.len(),
                    "automatic": c.steps.iter().filter(|s| s.automatic()).count(),
                    "source": c.source})
            })
            .collect();
        crate::outln!("{}", serde_json::Value::Array(rows));
        return;
    }
    for c in &kb.checklists {
        let auto = c.steps.iter().filter(|s| s.automatic()).count();
        crate::outln!(
            "{:<32} {} ({} steps, {auto} checked automatically)",
            c.id,
            c.title,
            c.steps.len()
        );
    }
    crate::outln!(
        "\nRun one with `connfix checklist NAME --target TARGET`; your own go in {}.",
        crate::knowledge::user_dir()
            .map(|d| d.join("checklists").display().to_string())
            .unwrap_or_else(|| "<config>/connfix/knowledge/checklists".into())
    );
}

/// The checklist as plain text, for a pipe or a file.
fn text(run: &ChecklistRun) -> String {
    let mut out = format!("{}\n{}\n\n", run.title, run.about);
    for (i, s) in run.steps.iter().enumerate() {
        out.push_str(&format!("{}. [{}] {}\n", i + 1, s.state.as_str(), s.title));
        out.push_str(&format!("   Do: {}\n   Good: {}\n", s.action, s.good));
        if let Some(a) = &s.auto {
            out.push_str(&format!("   Automatic check: {}\n", a.outcome.as_str()));
            for e in &a.evidence {
                out.push_str(&format!("     - {e}\n"));
            }
        } else if s.automatic() {
            out.push_str("   Automatic check: needs --target\n");
        }
        out.push('\n');
    }
    out
}
