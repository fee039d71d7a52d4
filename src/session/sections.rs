//! The report's document built from a session record: the summary, then each section in
//! the order a ticket reader needs it.

use super::doc::*;
use super::times::*;
use super::{Said, SessionKind, SessionRecord, status_word};
use crate::checklist::{ChecklistRun, Outcome, SetBy, StepRun, StepState};
use crate::diagnose::engine::{Answer, AnsweredBy};
use crate::probe::Status;
use crate::render::ms;

pub(crate) fn document(rec: &SessionRecord) -> Doc {
    let day = split_time(&rec.started_at).map_or("", |(d, _)| d);
    let mut sections = Vec::new();
    if let Some(d) = &rec.diagnosis {
        sections.extend(fixes(d));
        sections.extend(causes(d));
    }
    sections.extend(evidence(rec, day));
    if let Some(d) = &rec.diagnosis {
        sections.extend(decision_path(rec, d, day));
        sections.extend(open_questions(d));
    }
    sections.extend(notes(rec, day));
    if let Some(c) = &rec.checklist {
        sections.push(checklist(rec, c, day));
    }
    sections.push(timeline(rec, day));
    Doc {
        title: title(rec),
        summary: vec![Block::List {
            ordered: false,
            items: summary(rec, day),
        }],
        sections,
    }
}

fn title(rec: &SessionRecord) -> Line {
    match (&rec.checklist, rec.kind, &rec.target) {
        (Some(c), _, _) => vec![text(format!("connfix checklist: {}", c.title))],
        (None, SessionKind::Checklist, _) => vec![text("connfix checklist")],
        (None, SessionKind::Diagnosis, Some(t)) => {
            vec![text("connfix diagnosis: "), code(&t.redacted)]
        }
        (None, SessionKind::Diagnosis, None) => vec![text("connfix diagnosis (no target given)")],
    }
}

fn summary(rec: &SessionRecord, day: &str) -> Vec<Item> {
    let mut items = Vec::new();
    if let Some(t) = &rec.target {
        items.push(labelled("Target", vec![code(&t.redacted)]));
    }
    if let Some(c) = &rec.checklist {
        let n = c.counts();
        let steps = if n.total == 1 { "step" } else { "steps" };
        items.push(labelled(
            "Steps",
            vec![text(format!(
                "{} {steps}: {} done, {} failed, {} skipped, {} n/a, {} pending",
                n.total, n.done, n.failed, n.skipped, n.not_applicable, n.pending
            ))],
        ));
    }
    if let Some(var) = rec.target.as_ref().and_then(|t| t.from_env.as_ref()) {
        items.push(labelled(
            "Read from",
            vec![text("the environment variable "), code(format!("${var}"))],
        ));
    }
    match &rec.diagnosis {
        Some(d) => {
            let v = &d.verdict;
            items.push(labelled(
                "Verdict",
                vec![
                    text(&v.title),
                    text(" ("),
                    code(&v.id),
                    text(format!(", {})", v.confidence.as_str())),
                ],
            ));
            if !v.action.is_empty() {
                items.push(labelled("Action", parse_inline(&v.action)));
            }
            items.push(labelled("In short", vec![text(&v.summary)]));
            if !d.questions.is_empty() {
                let n = d.questions.len();
                let what = if n == 1 { "question" } else { "questions" };
                items.push(labelled(
                    "Still open",
                    vec![text(format!(
                        "{n} {what} only a person can answer (listed under Open questions)"
                    ))],
                ));
            }
        }
        None if rec.kind == SessionKind::Diagnosis => items.push(labelled(
            "Verdict",
            vec![text("none yet: no diagnosis was recorded")],
        )),
        None => {}
    }
    let start = clock(&rec.started_at, day);
    let mut when = if day.is_empty() {
        String::new()
    } else {
        format!("{day}, ")
    };
    if rec.updated_at == rec.started_at {
        when.push_str(&format!("at {start} UTC"));
    } else {
        let last = clock(&rec.updated_at, day);
        when.push_str(&format!("{start} to {last} UTC"));
        if let Some(secs) = seconds_between(&rec.started_at, &rec.updated_at) {
            when.push_str(&format!(" ({} from start to last update)", span_of(secs)));
        }
    }
    items.push(labelled("When", vec![text(when)]));
    let state = match &rec.ended_at {
        Some(end) => format!("closed normally at {}", clock(end, day)),
        None => format!(
            "still open or interrupted (never closed; last saved at {})",
            clock(&rec.updated_at, day)
        ),
    };
    items.push(labelled("Session", vec![text(state)]));
    items.push(labelled(
        "Session id",
        vec![
            code(&rec.id),
            text(format!(", written by connfix {}", rec.connfix_version)),
        ],
    ));
    let s = &rec.settings;
    let mut settings = Vec::new();
    if s.timeout_ms > 0 {
        let t = if s.timeout_ms.is_multiple_of(1000) {
            format!("{} s", s.timeout_ms / 1000)
        } else {
            format!("{} ms", s.timeout_ms)
        };
        settings.push(format!("timeout {t}"));
    }
    if let Some(dns) = &s.dns_server {
        settings.push(format!("DNS server {dns}"));
    }
    if s.public {
        settings.push("--public (must be reachable from the internet)".to_string());
    }
    if !settings.is_empty() {
        items.push(labelled("Settings", vec![text(settings.join(", "))]));
    }
    items
}

fn timeline(rec: &SessionRecord, day: &str) -> Section {
    let rows = rec
        .timeline()
        .into_iter()
        .map(|e| vec![vec![text(clock(&e.at, day))], vec![text(e.what)]])
        .collect();
    Section {
        anchor: "timeline".into(),
        title: vec![text("Timeline")],
        blocks: vec![Block::Table {
            head: vec!["Time (UTC)", "Event"],
            rows,
        }],
        parts: Vec::new(),
    }
}

fn status_tone(s: Status) -> Tone {
    match s {
        Status::Ok => Tone::Good,
        Status::Problem => Tone::Bad,
        Status::Skipped => Tone::Muted,
        Status::Error => Tone::Warn,
    }
}

fn evidence(rec: &SessionRecord, day: &str) -> Option<Section> {
    let latest = rec.latest_runs();
    if latest.is_empty() {
        return None;
    }
    let items = latest
        .into_iter()
        .map(|r| {
            let runs = rec.probe_runs.iter().filter(|x| x.probe == r.probe).count();
            let mut about = Vec::new();
            if r.status != Status::Skipped {
                about.push(ms(r.elapsed_ms));
            }
            about.push(format!("at {}", clock(&r.finished_at, day)));
            if runs > 1 {
                about.push(format!("latest of {runs} runs"));
            }
            let mut line = vec![
                strong(r.probe.as_str()),
                text(" "),
                Span::Mark(status_tone(r.status), status_word(r.status).to_string()),
                text(format!(" ({})", about.join(", "))),
            ];
            if !r.summary.is_empty() {
                line.push(text(format!(": {}", r.summary)));
            }
            Item {
                line,
                sub: (r.facts.iter()).map(|f| vec![text(&f.detail)]).collect(),
            }
        })
        .collect();
    Some(Section {
        anchor: "evidence".into(),
        title: vec![text("Evidence")],
        blocks: vec![Block::List {
            ordered: false,
            items,
        }],
        parts: Vec::new(),
    })
}

fn decision_path(rec: &SessionRecord, d: &super::DiagnosisRecord, day: &str) -> Option<Section> {
    if d.path.is_empty() {
        return None;
    }
    let items = (d.path.iter())
        .map(|step| {
            let answer = match step.answer {
                Answer::Yes => strong("yes"),
                Answer::No => strong("no"),
                Answer::Unknown => Span::Mark(Tone::Muted, "unknown".into()),
            };
            let by = match (step.by, &step.probe) {
                (AnsweredBy::Probe, Some(p)) => format!(" (by the {p} probe)"),
                (AnsweredBy::Probe, None) => " (by a probe)".to_string(),
                (AnsweredBy::Person, _) => {
                    let when = (rec.answers.iter().rev())
                        .find(|a| a.question == step.question && a.said != Said::Withdrawn)
                        .map(|a| format!(" at {}", clock(&a.at, day)))
                        .unwrap_or_default();
                    format!(" (answered by a person{when})")
                }
            };
            Item {
                line: vec![text(format!("{} → ", step.question)), answer, text(by)],
                sub: step.evidence.iter().map(|e| vec![text(e)]).collect(),
            }
        })
        .collect();
    Some(Section {
        anchor: "path".into(),
        title: vec![text("Decision path")],
        blocks: vec![Block::List {
            ordered: true,
            items,
        }],
        parts: Vec::new(),
    })
}

fn open_questions(d: &super::DiagnosisRecord) -> Option<Section> {
    if d.questions.is_empty() {
        return None;
    }
    let items = (d.questions.iter())
        .map(|q| Item {
            line: vec![
                text(format!("{} (key ", q.question)),
                code(&q.key),
                text(")"),
            ],
            sub: q.why.iter().map(|w| vec![text(w)]).collect(),
        })
        .collect();
    Some(Section {
        anchor: "questions".into(),
        title: vec![text("Open questions")],
        blocks: vec![
            Block::Para(vec![text(
                "Only a person can answer these; connfix cannot observe them.",
            )]),
            Block::List {
                ordered: false,
                items,
            },
        ],
        parts: Vec::new(),
    })
}

fn causes(d: &super::DiagnosisRecord) -> Option<Section> {
    if d.causes.is_empty() {
        return None;
    }
    let items = (d.causes.iter())
        .map(|c| {
            let mut line = vec![
                strong(&c.title),
                text(" ("),
                code(&c.id),
                text(format!(", {})", c.confidence.as_str())),
            ];
            if !c.summary.is_empty() {
                line.push(text(format!(": {}", c.summary)));
            }
            Item {
                line,
                sub: c.evidence.iter().map(|e| vec![text(e)]).collect(),
            }
        })
        .collect();
    Some(Section {
        anchor: "causes".into(),
        title: vec![text("Causes")],
        blocks: vec![
            Block::Para(vec![text(
                "Most likely first, each with the evidence that points to it.",
            )]),
            Block::List {
                ordered: true,
                items,
            },
        ],
        parts: Vec::new(),
    })
}

fn fixes(d: &super::DiagnosisRecord) -> Option<Section> {
    let id = &d.verdict.id;
    let top = d.causes.iter().find(|c| &c.id == id)?;
    if id == "reachable" && top.commands.is_empty() {
        return None;
    }
    let steps = &top.fixes;
    let snippet = top.snippets.iter().find(|s| s.lang == "sh");
    if steps.is_empty() && snippet.is_none() && top.commands.is_empty() {
        return None;
    }
    let mut blocks = Vec::new();
    if !steps.is_empty() {
        blocks.push(Block::Para(vec![text("In the order to try them:")]));
        blocks.push(Block::List {
            ordered: true,
            items: steps.iter().map(|f| item(parse_inline(f))).collect(),
        });
    }
    if !top.commands.is_empty() {
        blocks.push(Block::Para(vec![text(
            "Commands for this machine, ready to paste:",
        )]));
        blocks.push(Block::List {
            ordered: false,
            items: (top.commands.iter())
                .map(|c| item(vec![code(&c.command), text(format!(" — {}", c.purpose))]))
                .collect(),
        });
    }
    if let Some(s) = snippet {
        blocks.push(Block::Code {
            caption: parse_inline(&s.caption),
            lang: s.lang.clone(),
            code: s.code.clone(),
        });
    }
    Some(Section {
        anchor: "fixes".into(),
        title: vec![text("Fix")],
        blocks,
        parts: Vec::new(),
    })
}

/// What a note's `about` names, in words: a question of the tree or a checklist step.
fn about_words(rec: &SessionRecord, about: &str) -> Line {
    let d = rec.diagnosis.as_ref();
    let question = d.and_then(|d| {
        (d.path.iter().find(|s| s.node == about).map(|s| &s.question)).or_else(|| {
            d.questions
                .iter()
                .find(|q| q.node == about)
                .map(|q| &q.question)
        })
    });
    if let Some(q) = question {
        return vec![text(format!("about: {q}"))];
    }
    let step = (rec.checklist.iter())
        .flat_map(|c| &c.steps)
        .find(|s| s.id == about);
    match step {
        Some(s) => vec![text(format!("about the step “{}”", s.title))],
        None => vec![text("about "), code(about)],
    }
}

fn is_step_note(rec: &SessionRecord, about: Option<&str>) -> bool {
    match (&rec.checklist, about) {
        (Some(c), Some(a)) => c.steps.iter().any(|s| s.id == a),
        _ => false,
    }
}

fn notes(rec: &SessionRecord, day: &str) -> Option<Section> {
    let general: Vec<&super::Note> = (rec.notes.iter())
        .filter(|n| !is_step_note(rec, n.about.as_deref()))
        .collect();
    if general.is_empty() {
        return None;
    }
    let items = general
        .into_iter()
        .map(|n| {
            let mut line = vec![
                strong(clock(&n.at, day)),
                text(format!(" {}", n.text.trim())),
            ];
            if let Some(a) = &n.about {
                line.push(text(" ("));
                line.extend(about_words(rec, a));
                line.push(text(")"));
            }
            item(line)
        })
        .collect();
    let mut blocks = vec![Block::List {
        ordered: false,
        items,
    }];
    if rec
        .notes
        .iter()
        .any(|n| is_step_note(rec, n.about.as_deref()))
    {
        blocks.push(Block::Para(vec![text(
            "Notes written on a checklist step are listed with that step.",
        )]));
    }
    Some(Section {
        anchor: "notes".into(),
        title: vec![text("Notes")],
        blocks,
        parts: Vec::new(),
    })
}

fn state_tone(s: StepState) -> Tone {
    match s {
        StepState::Done => Tone::Good,
        StepState::Failed => Tone::Bad,
        StepState::Skipped => Tone::Warn,
        StepState::Pending | StepState::NotApplicable => Tone::Muted,
    }
}

fn outcome_tone(o: Outcome) -> Tone {
    match o {
        Outcome::Pass => Tone::Good,
        Outcome::Fail => Tone::Bad,
        Outcome::Unknown | Outcome::NotApplicable => Tone::Muted,
    }
}

fn checklist(rec: &SessionRecord, c: &ChecklistRun, day: &str) -> Section {
    let parts = (c.steps.iter().enumerate())
        .map(|(i, s)| step_part(rec, i, s, day))
        .collect();
    let mut blocks = Vec::new();
    if !c.about.trim().is_empty() {
        blocks.push(Block::Para(parse_inline(c.about.trim())));
    }
    Section {
        anchor: "checklist".into(),
        title: vec![text("Checklist")],
        blocks,
        parts,
    }
}

fn step_part(rec: &SessionRecord, i: usize, s: &StepRun, day: &str) -> Section {
    let mut items = Vec::new();
    let who = match s.by {
        Some(SetBy::Person) => Some("set by a person"),
        Some(SetBy::Check) => Some("set by the automatic check"),
        None => None,
    };
    let mut state = vec![Span::Mark(
        state_tone(s.state),
        s.state.as_str().to_string(),
    )];
    match (who, &s.changed_at) {
        (Some(who), Some(at)) => state.push(text(format!(", {who} at {}", clock(at, day)))),
        (Some(who), None) => state.push(text(format!(", {who}"))),
        (None, Some(at)) => state.push(text(format!(", since {}", clock(at, day)))),
        (None, None) => state.push(text(", not set yet")),
    }
    items.push(labelled("State", state));
    if !s.action.trim().is_empty() {
        items.push(labelled("Do", parse_inline(s.action.trim())));
    }
    if !s.good.trim().is_empty() {
        items.push(labelled("Good looks like", parse_inline(s.good.trim())));
    }
    match &s.auto {
        Some(a) => {
            let mut entry = labelled(
                "Automatic check",
                vec![
                    Span::Mark(outcome_tone(a.outcome), a.outcome.as_str().to_string()),
                    text(format!(" (at {})", clock(&a.at, day))),
                ],
            );
            entry.sub = a.evidence.iter().map(|e| vec![text(e)]).collect();
            items.push(entry);
        }
        None if s.automatic() => items.push(labelled(
            "Automatic check",
            vec![Span::Mark(Tone::Muted, "not decided yet".into())],
        )),
        None => {}
    }
    for n in (rec.notes.iter()).filter(|n| n.about.as_deref() == Some(s.id.as_str())) {
        items.push(labelled(
            &format!("Note at {}", clock(&n.at, day)),
            vec![text(n.text.trim())],
        ));
    }
    Section {
        anchor: format!("step-{}", s.id),
        title: vec![text(format!(
            "{}. {} ({})",
            i + 1,
            s.title,
            s.state.as_str()
        ))],
        blocks: vec![Block::List {
            ordered: false,
            items,
        }],
        parts: Vec::new(),
    }
}
