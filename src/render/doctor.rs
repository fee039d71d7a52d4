//! The readable, doctor-style text of a check: one line per probe, the path through the
//! questions, the verdict with its evidence and fixes, and the questions left open.

use crate::check::CheckReport;
use crate::diagnose::engine::{Answer, AnsweredBy};
use crate::probe::Status;
use std::fmt::Write;

/// How many fixes of the verdict to print (the rest are in `connfix kb show`).
const TOP_FIXES: usize = 4;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub(crate) fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub(crate) fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    pub(crate) fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    pub(crate) fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    pub(crate) fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    pub(crate) fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
}

pub fn render(r: &CheckReport, style: Style) -> String {
    let s = style;
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", s.bold("connfix check"), r.target.redacted);
    if let Some(var) = &r.target.from_env {
        let _ = writeln!(out, "{}", s.dim(&format!("  (read from ${var})")));
    }
    if let Some(v) = &r.from {
        let _ = writeln!(out, "{}", s.bold(&format!("  as seen from {}", v.label)));
    }
    out.push('\n');

    for p in &r.probes {
        let mark = match p.status {
            Status::Ok => s.green("✓"),
            Status::Problem => s.red("✗"),
            Status::Skipped => s.dim("–"),
            Status::Error => s.yellow("!"),
        };
        let time = if p.status == Status::Skipped {
            String::new()
        } else {
            super::ms(p.elapsed_ms)
        };
        let _ = writeln!(
            out,
            "  {mark} {:<12}{} {}",
            p.id.as_str(),
            s.dim(&format!("{time:>9}")),
            p.summary
        );
    }

    out.push('\n');
    let _ = writeln!(out, "{}", s.bold("Path"));
    for step in &r.path {
        let (mark, word) = match step.answer {
            Answer::Yes => (s.green("●"), "yes"),
            Answer::No => (s.red("●"), "no"),
            Answer::Unknown => (s.dim("○"), "unknown"),
        };
        let who = if step.by == AnsweredBy::Person {
            " (your answer)"
        } else {
            ""
        };
        let ev = step
            .evidence
            .first()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {mark} {} {}{who}{}",
            step.question,
            s.bold(word),
            s.dim(&ev)
        );
    }

    out.push('\n');
    let v = &r.verdict;
    let (mark, head) = if v.id == "reachable" {
        (s.green("✓"), s.green("Reachable"))
    } else {
        (s.red("✗"), s.red("Verdict"))
    };
    let _ = writeln!(
        out,
        "{mark} {head}: {} {}",
        s.bold(&v.title),
        s.dim(&format!("[{} · {}]", v.id, v.confidence.as_str()))
    );
    if !v.action.is_empty() {
        let _ = writeln!(
            out,
            "  {} {}",
            s.bold("→"),
            s.bold(&strip_markdown(&v.action))
        );
    }
    let _ = writeln!(out, "  {}", v.summary);
    if let Some(top) = r.causes.iter().find(|c| c.id == v.id) {
        if !top.evidence.is_empty() {
            let _ = writeln!(out, "\n  {}", s.bold("Evidence"));
            for e in &top.evidence {
                let _ = writeln!(out, "    • {e}");
            }
        }
        if v.id != "reachable" && !top.fixes.is_empty() {
            let _ = writeln!(out, "\n  {}", s.bold("Fix"));
            for (i, f) in top.fixes.iter().take(TOP_FIXES).enumerate() {
                let _ = writeln!(out, "    {}. {}", i + 1, strip_markdown(f));
            }
        }
        if v.id != "reachable" && !top.commands.is_empty() {
            let _ = writeln!(out, "\n  {}", s.bold("Commands"));
            for c in &top.commands {
                let _ = writeln!(out, "    {}", s.dim(&format!("# {}", c.purpose)));
                let _ = writeln!(out, "    {}", c.command);
            }
        }
    }
    let others: Vec<String> = r
        .causes
        .iter()
        .filter(|c| c.id != v.id)
        .map(|c| format!("{} ({})", c.id, c.confidence.as_str()))
        .collect();
    if !others.is_empty() {
        let label = if v.id == "reachable" {
            "Warnings"
        } else {
            "Also possible"
        };
        let _ = writeln!(out, "\n  {}: {}", s.bold(label), others.join(", "));
    }
    if !r.questions.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            s.bold("Only you can answer (re-run with --answer KEY=yes|no):")
        );
        for q in &r.questions {
            let _ = writeln!(out, "  {:<16} {}", q.key, q.question);
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        s.dim(&format!(
            "More: connfix kb show {}   ·   JSON: add --json",
            v.id
        ))
    );
    out
}

/// Fix steps are Markdown; on a terminal the backticks and asterisks are noise.
pub(crate) fn strip_markdown(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

/// A whole cause, for `connfix kb show ID`. No diagnosis stands behind it, so every value
/// shows as its unknown marker (`<the server's port>`), never as an example.
pub fn render_cause(c: &crate::knowledge::causes::Cause) -> String {
    let values = crate::vocabulary::template::Values::new();
    let fill = |t: &str| crate::vocabulary::template::render(t, &values);
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}\n\n{}\n", c.id, c.title, c.summary);
    let _ = writeln!(
        out,
        "Action: {}\n",
        crate::diagnose::engine::action(&c.action, &values)
    );
    for (head, body) in [
        ("What is happening", &c.what),
        ("How to confirm it by hand", &c.confirm),
    ] {
        let _ = writeln!(out, "## {head}\n{}\n", fill(body));
    }
    let _ = writeln!(out, "## How to fix it");
    for (i, f) in c.fixes.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, fill(f));
    }
    if !c.commands.is_empty() {
        let _ = writeln!(out, "\n## Commands");
        for cmd in &c.commands {
            let sudo = if cmd.root { "sudo " } else { "" };
            let _ = writeln!(
                out,
                "# {}\n{sudo}{}",
                fill(&cmd.purpose),
                fill(&cmd.command)
            );
        }
    }
    if !c.snippets.is_empty() {
        let _ = writeln!(out, "\n## Code");
        for sn in &c.snippets {
            let _ = writeln!(
                out,
                "\n[{}] {}\n{}",
                sn.lang,
                fill(&sn.caption),
                fill(&sn.code)
            );
        }
    }
    let _ = writeln!(out, "\n## Don't\n{}", fill(&c.dont));
    let _ = writeln!(out, "\n(source: {})", c.source);
    out
}
