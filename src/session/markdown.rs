//! The Markdown report of a session, in the order a ticket reader needs it: the summary
//! (target, verdict, the action to take), the fix and its commands, then the causes,
//! evidence, decision path, open questions, notes, checklist and timeline.
//!
//! The report is first put together as a small document tree ([`Doc`]); this file writes
//! that tree as Markdown and `html.rs` writes the same tree as HTML, so the two formats
//! always carry the same content in the same order.

use super::{Said, SessionKind, SessionRecord, status_word};
use crate::checklist::{ChecklistRun, Outcome, SetBy, StepRun, StepState};
use crate::diagnose::engine::{Answer, AnsweredBy};
use crate::probe::Status;

pub fn render(rec: &SessionRecord) -> String {
    // Notes, pastes and probe text come from outside: nothing in them may act on the
    // terminal or the viewer the report is pasted into.
    crate::sanitize::visible(&write(&document(rec))).into_owned()
}

// ---------------------------------------------------------------------------------------
// The document tree shared by both formats.

/// How a status word is coloured in HTML (Markdown shows the word alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Bad,
    Warn,
    Muted,
}

impl Tone {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Warn => "warn",
            Tone::Muted => "muted",
        }
    }
}

/// A run of inline text. All text is kept raw here; each writer escapes it for its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Span {
    Text(String),
    Code(String),
    Strong(String),
    Mark(Tone, String),
}

pub(crate) type Line = Vec<Span>;

/// A list item: one line, and optionally bullets nested under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub line: Line,
    pub sub: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Para(Line),
    List {
        ordered: bool,
        items: Vec<Item>,
    },
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<Line>>,
    },
    Code {
        caption: Line,
        lang: String,
        code: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// A stable anchor for HTML (`timeline`, `step-<id>`).
    pub anchor: String,
    pub title: Line,
    pub blocks: Vec<Block>,
    /// Subsections one heading level down (the steps of a checklist).
    pub parts: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    pub title: Line,
    pub summary: Vec<Block>,
    pub sections: Vec<Section>,
}

/// The words of a line without any formatting (for the HTML `<title>`).
pub(crate) fn plain(line: &Line) -> String {
    line.iter()
        .map(|s| match s {
            Span::Text(t) | Span::Code(t) | Span::Strong(t) | Span::Mark(_, t) => t.as_str(),
        })
        .collect()
}

fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

fn code(s: impl Into<String>) -> Span {
    Span::Code(s.into())
}

fn strong(s: impl Into<String>) -> Span {
    Span::Strong(s.into())
}

fn item(line: Line) -> Item {
    Item {
        line,
        sub: Vec::new(),
    }
}

/// A summary entry: a bold label, then the rest.
fn labelled(label: &str, mut rest: Line) -> Item {
    rest.insert(0, strong(format!("{label}:")));
    rest.insert(1, text(" "));
    item(rest)
}

/// Reads the little Markdown that knowledge files use inline (`code` and **bold**) into
/// spans, so the HTML shows it formatted rather than as backticks and asterisks.
pub(crate) fn parse_inline(s: &str) -> Line {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut rest = s;
    let flush = |pending: &mut String, out: &mut Line| {
        if !pending.is_empty() {
            out.push(Span::Text(std::mem::take(pending)));
        }
    };
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let n = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..n];
            let after = &rest[n..];
            if let Some(end) = find_run(after, fence) {
                flush(&mut pending, &mut out);
                let inner = &after[..end];
                let inner = match inner.strip_prefix(' ').and_then(|x| x.strip_suffix(' ')) {
                    Some(x) if !x.trim().is_empty() => x,
                    _ => inner,
                };
                out.push(Span::Code(inner.to_string()));
                rest = &after[end + n..];
            } else {
                pending.push_str(fence);
                rest = after;
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**").filter(|&e| e > 0)
        {
            flush(&mut pending, &mut out);
            out.push(Span::Strong(after[..end].to_string()));
            rest = &after[end + 2..];
            continue;
        }
        pending.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut pending, &mut out);
    out
}

/// Where a run of exactly `fence` backticks starts in `s`.
fn find_run(s: &str, fence: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let n = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if n == fence.len() {
                return Some(i);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Times.

/// The date and the time of day of an RFC 3339 UTC time, when it is one.
fn split_time(at: &str) -> Option<(&str, &str)> {
    humantime::parse_rfc3339(at).ok()?;
    Some((at.get(..10)?, at.get(11..19)?))
}

/// `HH:MM:SS`, with the date in front only when it is not the session's first day.
fn clock(at: &str, day: &str) -> String {
    match split_time(at) {
        Some((date, time)) if date == day => time.to_string(),
        Some((date, time)) => format!("{date} {time}"),
        None => at.to_string(),
    }
}

fn seconds_between(from: &str, to: &str) -> Option<u64> {
    let a = humantime::parse_rfc3339(from).ok()?;
    let b = humantime::parse_rfc3339(to).ok()?;
    let d = b.duration_since(a).unwrap_or_default();
    Some(d.as_secs_f64().round() as u64)
}

fn span_of(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) => format!("{m} min {s} s"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{v:.1} ms")
    }
}

// ---------------------------------------------------------------------------------------
// Building the document from a record.

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

// ---------------------------------------------------------------------------------------
// Writing Markdown.

fn write(doc: &Doc) -> String {
    let mut blocks = vec![format!("# {}", md_line(&doc.title, false))];
    blocks.extend(doc.summary.iter().map(md_block));
    for s in &doc.sections {
        md_section(s, 2, &mut blocks);
    }
    let text = blocks.join("\n\n");
    let mut out: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

fn md_section(s: &Section, level: usize, out: &mut Vec<String>) {
    out.push(format!(
        "{} {}",
        "#".repeat(level),
        md_line(&s.title, false)
    ));
    out.extend(s.blocks.iter().map(md_block));
    for p in &s.parts {
        md_section(p, level + 1, out);
    }
}

fn md_block(b: &Block) -> String {
    match b {
        Block::Para(line) => md_line(line, false),
        Block::List { ordered, items } => {
            let mut out = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{}. ", i + 1)
                } else {
                    "- ".to_string()
                };
                out.push(format!("{marker}{}", md_line(&it.line, false)));
                let indent = " ".repeat(marker.len());
                for sub in &it.sub {
                    out.push(format!("{indent}- {}", md_line(sub, false)));
                }
            }
            out.join("\n")
        }
        Block::Table { head, rows } => {
            let mut out = vec![
                format!("| {} |", head.join(" | ")),
                format!("|{}", " --- |".repeat(head.len())),
            ];
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| md_line(c, true)).collect();
                out.push(format!("| {} |", cells.join(" | ")));
            }
            out.join("\n")
        }
        Block::Code {
            caption,
            lang,
            code,
        } => {
            let longest = longest_run(code, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            let body: Vec<&str> = code.lines().map(str::trim_end).collect();
            let block = format!("{fence}{lang}\n{}\n{fence}", body.join("\n"));
            if caption.is_empty() {
                block
            } else {
                format!("{}\n\n{block}", md_line(caption, false))
            }
        }
    }
}

fn md_line(line: &Line, in_table: bool) -> String {
    line.iter().map(|s| md_span(s, in_table)).collect()
}

fn md_span(s: &Span, in_table: bool) -> String {
    match s {
        Span::Text(t) | Span::Mark(_, t) => md_text(t, in_table),
        Span::Strong(t) if t.trim().is_empty() => md_text(t, in_table),
        Span::Strong(t) => format!("**{}**", md_text(t, in_table)),
        Span::Code(t) => {
            let t = one_line(t);
            let t = if in_table { t.replace('|', "\\|") } else { t };
            let fence = "`".repeat(longest_run(&t, '`') + 1);
            if t.starts_with('`') || t.ends_with('`') || t.is_empty() {
                format!("{fence} {t} {fence}")
            } else {
                format!("{fence}{t}{fence}")
            }
        }
    }
}

/// Newlines folded into spaces: every piece of record text sits on one Markdown line.
fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plain text made safe for Markdown without making it hard to read as plain text: a `<`
/// that could open an HTML tag gets a backslash (CommonMark's escape), and so does `|`
/// inside a table cell. Other characters are left as typed.
fn md_text(s: &str, in_table: bool) -> String {
    let s = one_line_keep_edges(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            '|' if in_table => out.push_str("\\|"),
            _ => out.push(c),
        }
    }
    out
}

/// Like [`one_line`], but keeps a leading or trailing space (spans are joined as written).
fn one_line_keep_edges(s: &str) -> String {
    if !s.contains(['\n', '\r']) {
        return s.to_string();
    }
    let lead = if s.starts_with(' ') { " " } else { "" };
    let trail = if s.ends_with(' ') { " " } else { "" };
    format!("{lead}{}{trail}", one_line(s))
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut n = 0;
    for x in s.chars() {
        if x == c {
            n += 1;
            best = best.max(n);
        } else {
            n = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_reads_code_and_bold() {
        assert_eq!(
            parse_inline("run `ss -ltnp` and **check** `a``b`"),
            vec![
                text("run "),
                code("ss -ltnp"),
                text(" and "),
                strong("check"),
                text(" "),
                code("a``b"),
            ]
        );
        assert_eq!(parse_inline("a ` lone"), vec![text("a ` lone")]);
    }

    #[test]
    fn markdown_text_is_escaped_only_where_it_matters() {
        assert_eq!(md_text("<script> x < 5 | y", false), "\\<script> x < 5 | y");
        assert_eq!(md_text("a | b", true), "a \\| b");
        assert_eq!(md_span(&code("a|b"), true), "`a\\|b`");
        assert_eq!(md_span(&code("x `y` z"), false), "``x `y` z``");
    }

    #[test]
    fn spans_of_time() {
        assert_eq!(span_of(0), "0 s");
        assert_eq!(span_of(693), "11 min 33 s");
        assert_eq!(span_of(3900), "1 h 5 min");
        assert_eq!(clock("2026-03-14T09:41:07.312Z", "2026-03-14"), "09:41:07");
        assert_eq!(
            clock("2026-03-15T00:01:00Z", "2026-03-14"),
            "2026-03-15 00:01:00"
        );
        assert_eq!(clock("yesterday", "2026-03-14"), "yesterday");
    }
}
