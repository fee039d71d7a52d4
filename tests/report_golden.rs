//! Golden tests of the session reports (`connfix report export --format md|html`).
//!
//! The fixtures under `fixtures/session-*.json` are session files written by hand in the
//! saved format; reading them through `parse_record` also proves that format reads back,
//! probe data included. The expected reports are insta snapshots in `snapshots/`.

use connfix::knowledge::causes::Snippet;
use connfix::session::store::parse_record;
use connfix::session::{Note, SessionKind, SessionRecord, html, markdown};

fn fixture(name: &str) -> SessionRecord {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_record(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn diagnosis() -> SessionRecord {
    fixture("session-diagnosis.json")
}

fn checklist() -> SessionRecord {
    fixture("session-checklist.json")
}

fn both(rec: &SessionRecord) -> (String, String) {
    (markdown::render(rec), html::render(rec))
}

/// Every heading has something under it: text before the next heading, or a deeper heading.
fn assert_no_empty_markdown_headings(md: &str) {
    let lines: Vec<&str> = md.lines().collect();
    let level = |l: &str| {
        let n = l.chars().take_while(|c| *c == '#').count();
        (n > 0 && l[n..].starts_with(' ')).then_some(n)
    };
    let mut in_fence = false;
    let mut open: Option<(usize, &str)> = None;
    for l in &lines {
        if l.starts_with("```") {
            in_fence = !in_fence;
        }
        match (in_fence, level(l)) {
            (false, Some(n)) => {
                if let Some((m, title)) = open {
                    assert!(n > m, "nothing under the heading {title:?}:\n{md}");
                }
                open = Some((n, l));
            }
            _ if l.trim().is_empty() => {}
            _ => open = None,
        }
    }
    assert!(open.is_none(), "the report ends with a heading:\n{md}");
}

fn assert_no_empty_html_sections(html: &str) {
    for n in 1..=4 {
        let close = format!("</h{n}>\n</section>");
        assert!(!html.contains(&close), "an empty h{n} section:\n{html}");
    }
}

/// The `##` titles of the Markdown and the `<h2>` titles of the HTML, in order.
fn section_titles(md: &str, html: &str) -> (Vec<String>, Vec<String>) {
    let md_titles = md
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(String::from)
        .collect();
    let html_titles = html
        .split("<h2>")
        .skip(1)
        .filter_map(|s| s.split("</h2>").next())
        .map(String::from)
        .collect();
    (md_titles, html_titles)
}

/// Readable as plain text: no trailing spaces, never two blank lines in a row, and no HTML
/// tags outside code spans and fenced blocks.
fn assert_plain_markdown(md: &str) {
    assert!(md.ends_with('\n') && !md.ends_with("\n\n"), "{md}");
    assert!(!md.contains("\n\n\n"), "two blank lines in a row:\n{md}");
    let mut in_fence = false;
    for l in md.lines() {
        assert_eq!(l, l.trim_end(), "trailing spaces: {l:?}");
        if l.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut in_code = false;
        let chars: Vec<char> = l.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            match c {
                '`' => in_code = !in_code,
                '<' if !in_code && (i == 0 || chars[i - 1] != '\\') => {
                    let next = chars.get(i + 1).copied().unwrap_or(' ');
                    assert!(
                        !(next.is_ascii_alphabetic() || next == '/' || next == '!'),
                        "HTML in the Markdown: {l:?}"
                    );
                }
                _ => {}
            }
        }
    }
}

fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!doctype html>"), "{html}");
    for needed in [
        "<meta charset=\"utf-8\">",
        "<meta name=\"viewport\"",
        "<title>",
        "<style>",
        "@media print",
        "</html>\n",
    ] {
        assert!(html.contains(needed), "missing {needed}");
    }
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
    ] {
        assert!(!html.contains(banned), "the HTML must not contain {banned}");
    }
}

#[test]
fn diagnosis_markdown() {
    let (md, _) = both(&diagnosis());
    insta::assert_snapshot!(md);
}

#[test]
fn diagnosis_html() {
    let (_, html) = both(&diagnosis());
    insta::assert_snapshot!(html);
}

#[test]
fn checklist_markdown() {
    let (md, _) = both(&checklist());
    insta::assert_snapshot!(md);
}

#[test]
fn checklist_html() {
    let (_, html) = both(&checklist());
    insta::assert_snapshot!(html);
}

#[test]
fn fixtures_read_back_as_written() {
    let d = diagnosis();
    assert_eq!(d.kind, SessionKind::Diagnosis);
    assert_eq!(d.probe_runs.len(), 6);
    assert_eq!(
        d.latest_runs().len(),
        5,
        "the re-run of tcp replaces the first"
    );
    assert_eq!(d.diagnosis.as_ref().unwrap().verdict.id, "wrong-port");
    for run in &d.probe_runs {
        run.report().unwrap();
    }
    let c = checklist();
    assert_eq!(c.kind, SessionKind::Checklist);
    assert!(c.ended_at.is_none());
    let n = c.checklist.as_ref().unwrap().counts();
    assert_eq!(
        (
            n.total,
            n.done,
            n.failed,
            n.skipped,
            n.not_applicable,
            n.pending
        ),
        (5, 1, 1, 1, 1, 1)
    );
}

#[test]
fn summary_comes_first() {
    let (md, _) = both(&diagnosis());
    let first_section = md.find("\n## ").unwrap();
    let head = &md[..first_section];
    assert!(head.starts_with("# connfix diagnosis: `postgres://app:***@db.internal:5432/app`\n"));
    for want in [
        "**Verdict:** Something listens on a nearby port, not the one you asked for (`wrong-port`, likely)",
        "**In short:** Nothing listens on the port you tried",
        "**When:** 2026-03-14, 09:41:07 to 09:52:40 UTC",
        "**Session:** closed normally at 09:52:40",
    ] {
        assert!(head.contains(want), "{want}\n---\n{head}");
    }
    let (md, _) = both(&checklist());
    let head = &md[..md.find("\n## ").unwrap()];
    for want in [
        "# connfix checklist: Service down after deploy",
        "**Steps:** 5 steps: 1 done, 1 failed, 1 skipped, 1 n/a, 1 pending",
        "(6 min 7 s from start to last update)",
        "still open or interrupted",
    ] {
        assert!(head.contains(want), "{want}\n---\n{head}");
    }
}

#[test]
fn both_formats_have_the_same_sections_in_the_same_order() {
    for rec in [diagnosis(), checklist()] {
        let (md, html) = both(&rec);
        let (a, b) = section_titles(&md, &html);
        assert!(a.len() >= 3, "{a:?}");
        assert_eq!(a, b);
    }
    let (md, _) = both(&diagnosis());
    let (titles, _) = section_titles(&md, "");
    assert_eq!(
        titles,
        // Ticket order: what to do first, then why, then the record of what happened.
        [
            "Fix",
            "Causes",
            "Evidence",
            "Decision path",
            "Open questions",
            "Notes",
            "Timeline"
        ]
    );
}

#[test]
fn reports_are_plain_and_self_contained() {
    for rec in [diagnosis(), checklist()] {
        let (md, html) = both(&rec);
        assert_plain_markdown(&md);
        assert_no_empty_markdown_headings(&md);
        assert_self_contained(&html);
        assert_no_empty_html_sections(&html);
    }
}

#[test]
fn one_shell_snippet_of_the_verdict_cause() {
    let mut rec = diagnosis();
    let d = rec.diagnosis.as_mut().unwrap();
    let verdict = d.verdict.id.clone();
    let top = d.causes.iter_mut().find(|c| c.id == verdict).unwrap();
    let code = "nc -vz 127.0.0.1 47123".to_string();
    top.snippets = vec![
        Snippet {
            lang: "python".into(),
            caption: "Python".into(),
            code: "print('no')".into(),
        },
        Snippet {
            lang: "sh".into(),
            caption: "Shell".into(),
            code: code.clone(),
        },
    ];
    let md = markdown::render(&rec);
    assert_eq!(md.matches("```sh\n").count(), 1, "{md}");
    assert!(md.contains(&code), "{md}");
    assert!(!md.contains("print('no')"), "{md}");
}

#[test]
fn a_round_trip_through_json_gives_the_same_report() {
    for rec in [diagnosis(), checklist()] {
        let json = serde_json::to_vec_pretty(&rec).unwrap();
        let back = parse_record(&json).unwrap();
        assert_eq!(markdown::render(&back), markdown::render(&rec));
        assert_eq!(html::render(&back), html::render(&rec));
    }
}

#[test]
fn record_text_is_escaped_in_html() {
    let mut rec = diagnosis();
    rec.notes.push(Note {
        at: "2026-03-14T09:50:00.000Z".into(),
        text: "<script>alert(1)</script> & \"quotes\" 'too'".into(),
        about: Some("<b>node</b>".into()),
    });
    let (md, html) = both(&rec);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;"
        )
    );
    assert!(html.contains("&lt;b&gt;node&lt;/b&gt;"));
    // In Markdown, the tag is defused with CommonMark's backslash escape.
    assert!(md.contains("\\<script>alert(1)\\</script>"), "{md}");
    assert_plain_markdown(&md);
    // The note is in the timeline table too, where a `|` must not split the row.
    let row = md
        .lines()
        .find(|l| l.starts_with('|') && l.contains("Asked #db-oncall"))
        .expect("the note is in the timeline");
    assert!(row.contains("5432 \\| waiting"), "{row}");
}

/// Every `scheme://user:password@` in the text shows `***` as the password.
fn assert_passwords_hidden(text: &str) {
    let mut seen = 0;
    for (i, _) in text.match_indices("://") {
        let rest = &text[i + 3..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "/`<>\"'()|".contains(c))
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            seen += 1;
            if let Some((_, password)) = userinfo.split_once(':') {
                assert_eq!(password, "***", "a password shows in {authority:?}");
            }
        }
    }
    assert!(seen > 0, "the target with its user is shown somewhere");
}

#[test]
fn the_password_never_shows() {
    let rec = diagnosis();
    assert_eq!(
        rec.target.as_ref().unwrap().redacted,
        "postgres://app:***@db.internal:5432/app"
    );
    let (md, html) = both(&rec);
    for text in [&md, &html] {
        assert_passwords_hidden(text);
        assert!(text.contains("postgres://app:***@db.internal:5432/app"));
        assert_eq!(
            text.matches("postgres://app:").count(),
            text.matches("postgres://app:***@").count()
        );
    }
}

#[test]
fn an_empty_session_renders_without_empty_sections() {
    for kind in [SessionKind::Diagnosis, SessionKind::Checklist] {
        let rec = SessionRecord::new(
            "20260314-120000-0000".into(),
            kind,
            "2026-03-14T12:00:00.000Z".into(),
        );
        let md = markdown::render(&rec);
        let html = html::render(&rec);
        assert_plain_markdown(&md);
        assert_no_empty_markdown_headings(&md);
        assert_self_contained(&html);
        assert_no_empty_html_sections(&html);
        assert!(md.contains("still open or interrupted"), "{md}");
        assert!(html.contains("still open or interrupted"), "{html}");
        let (titles, html_titles) = section_titles(&md, &html);
        assert_eq!(titles, ["Timeline"]);
        assert_eq!(html_titles, ["Timeline"]);
    }
    let mut rec = SessionRecord::new(
        "x".into(),
        SessionKind::Diagnosis,
        "2026-03-14T12:00:00.000Z".into(),
    );
    rec.connfix_version = "0.1.0".into(); // pinned, so a version bump leaves the snapshot alone
    insta::assert_snapshot!("empty_markdown", markdown::render(&rec));
}

#[test]
fn a_session_without_a_diagnosis_or_runs_still_reads_well() {
    // The checklist fixture with its probe runs and notes taken away.
    let mut rec = checklist();
    rec.probe_runs.clear();
    rec.notes.clear();
    rec.target = None;
    let (md, html) = both(&rec);
    assert_no_empty_markdown_headings(&md);
    assert_no_empty_html_sections(&html);
    let (titles, _) = section_titles(&md, &html);
    assert_eq!(titles, ["Checklist", "Timeline"]);
    assert!(!md.contains("**Target:**"));
}
