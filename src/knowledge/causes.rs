//! Cause files: Markdown with TOML front matter between `+++` lines.

use super::KbError;
use crate::vocabulary::facts as vocabulary;
use crate::vocabulary::template;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Possible,
    Likely,
    Certain,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Possible => "possible",
            Confidence::Likely => "likely",
            Confidence::Certain => "certain",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Warning,
    Error,
}

/// One way a cause can be recognised: all `when` facts hold and no `unless` fact does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    pub when: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
    pub confidence: Confidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    severity: Severity,
    summary: String,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    confidence: Confidence,
    /// Breaks ties at equal confidence: higher first. For causes upstream of everything
    /// else (a dead proxy means the direct connection is never even tried by the client).
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    rule: Vec<Rule>,
    /// The one thing to do now, as templates: the first whose placeholders all have
    /// values in this diagnosis is used, so list the most specific first and end with one
    /// that needs only the target.
    #[serde(default)]
    action: Vec<String>,
    #[serde(default)]
    command: Vec<CommandTemplate>,
}

/// A command to paste, as a template. Shown only when every placeholder has a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandTemplate {
    /// What running it shows or changes, in a few words.
    pub purpose: String,
    pub command: String,
    /// Whether it needs root (shown with `sudo`).
    #[serde(default)]
    pub root: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub lang: String,
    /// The line of text before the block, saying what it shows.
    pub caption: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub summary: String,
    pub rules: Vec<Rule>,
    pub priority: i32,
    /// Templates for the one thing to do now, most specific first.
    pub action: Vec<String>,
    pub commands: Vec<CommandTemplate>,
    pub what: String,
    pub confirm: String,
    /// The numbered steps of "How to fix it", most likely first.
    pub fixes: Vec<String>,
    pub snippets: Vec<Snippet>,
    pub dont: String,
    /// Where it was loaded from, for `kb list` and error messages.
    pub source: String,
}

impl Cause {
    /// The fix step that fits a failure described by `clues` (the error's words, the
    /// program's name, what it means). A cause that covers several servers labels each
    /// step `**Server, situation**` (`**MySQL or MariaDB, host not allowed**`): the label
    /// sharing the most words with the clues wins, a situation's word counting twice a
    /// server's, so a MySQL refusal is not answered with a pg_hba.conf line and a full
    /// server gets the too-many-connections step. Ties keep the order; when no label fits,
    /// the first unlabelled step (a general one) leads.
    pub fn fix_for(&self, clues: &str) -> Option<&str> {
        const COMMON: &[&str] = &["not", "the", "and", "for", "with"];
        let words = |text: &str| -> Vec<String> {
            text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .map(|w| w.trim_matches('.').to_lowercase())
                .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
                .collect()
        };
        let clues = words(clues);
        let shared = |text: &str| words(text).iter().filter(|w| clues.contains(w)).count();
        let score = |step: &String| {
            let label = step
                .strip_prefix("**")
                .and_then(|r| r.split_once("**"))
                .map_or("", |(label, _)| label);
            match label.split_once(',') {
                Some((server, situation)) => shared(server) + 2 * shared(situation),
                None => 2 * shared(label),
            }
        };
        let mut best: Option<(&String, usize)> = None;
        for step in &self.fixes {
            let s = score(step);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((step, s));
            }
        }
        match best {
            Some((step, s)) if s > 0 => Some(step.as_str()),
            // No label fits this failure: the first step that names no server, when the
            // cause has one (a general step), else the first.
            _ => self
                .fixes
                .iter()
                .find(|step| !step.starts_with("**"))
                .or(self.fixes.first())
                .map(String::as_str),
        }
    }
}

pub const LANGUAGES: &[&str] = &["python", "js", "go", "java", "rust", "sh"];

const SECTIONS: &[&str] = &[
    "What is happening",
    "How to confirm it by hand",
    "How to fix it",
    "Code",
    "Don't",
];

/// Parses one cause file. `name` is the file name (its stem must equal the id).
pub fn parse(name: &str, source: &str, text: &str) -> Result<Cause, Vec<KbError>> {
    let at = |line: usize, msg: String| KbError {
        file: source.to_string(),
        line,
        message: msg,
    };
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim()) != Some("+++") {
        return Err(vec![at(
            1,
            "a cause file starts with a '+++' line opening its TOML front matter".into(),
        )]);
    }
    let Some(close) = lines.iter().skip(1).position(|l| l.trim() == "+++") else {
        return Err(vec![at(
            1,
            "the front matter is never closed: add a '+++' line after it".into(),
        )]);
    };
    let close = close + 1; // index of the closing line
    let front = lines[1..close].join("\n");
    let fm: FrontMatter = toml::from_str(&front).map_err(|e| {
        let line = super::toml_error_line(&front, &e, 2);
        vec![at(line, format!("front matter: {}", e.message()))]
    })?;

    let mut errors = Vec::new();
    let stem = name.trim_end_matches(".md");
    if fm.id != stem {
        errors.push(at(
            2,
            format!(
                "id '{}' does not match the file name '{name}'; name the file {}.md",
                fm.id, fm.id
            ),
        ));
    }
    let mut rules = vec![Rule {
        when: fm.when,
        unless: fm.unless,
        confidence: fm.confidence,
    }];
    rules.extend(fm.rule);
    // The front matter starts on line 2; lines are looked up only for errors, each in
    // constant time, however many facts a file names.
    let quoted = super::Quoted::starting_at(&front, 2);
    for fact in rules.iter().flat_map(|r| r.when.iter().chain(&r.unless)) {
        if !vocabulary::is_known(fact) {
            let line = quoted.line(fact, 2);
            errors.push(at(
                line,
                format!("unknown fact '{fact}'; `connfix kb facts` lists the known ones"),
            ));
        }
    }

    let body = &lines[close + 1..];
    let sections = split_sections(body, close + 2);
    let mut found = Vec::new();
    for (title, line, _) in &sections {
        if !SECTIONS.contains(&title.as_str()) {
            errors.push(at(
                *line,
                format!(
                    "unknown section '## {title}'; the sections are: {}",
                    SECTIONS.join(", ")
                ),
            ));
        }
        found.push(title.as_str());
    }
    for s in SECTIONS {
        if !found.contains(s) {
            errors.push(at(close + 1, format!("missing section '## {s}'")));
        }
    }
    let get = |t: &str| {
        sections
            .iter()
            .find(|(title, _, _)| title == t)
            .map(|(_, line, body)| (*line, body.join("\n").trim().to_string()))
    };
    let fixes = get("How to fix it")
        .map(|(_, b)| numbered_items(&b))
        .unwrap_or_default();
    if let Some((line, _)) = get("How to fix it")
        && fixes.is_empty()
    {
        errors.push(at(
            line,
            "'## How to fix it' needs a numbered list of steps (1. ..., 2. ...)".into(),
        ));
    }
    // Untrimmed, so line numbers in errors stay exact.
    let code = sections.iter().find(|(title, _, _)| title == "Code");
    let snippets = match code {
        Some((_, line, body)) => code_blocks(&body.join("\n"), *line, &at, &mut errors),
        None => Vec::new(),
    };
    // Every placeholder must name a known value, wherever it is written.
    for (line, message) in template::unknown_names(text) {
        errors.push(at(line, message));
    }
    if fm.action.is_empty() {
        errors.push(at(
            2,
            "the front matter needs `action = [\"...\"]`: the one thing to do now, with placeholders for this machine's values".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Cause {
        id: fm.id,
        title: fm.title,
        severity: fm.severity,
        summary: fm.summary.trim().to_string(),
        rules,
        priority: fm.priority,
        action: fm.action,
        commands: fm.command,
        what: get("What is happening").map(|x| x.1).unwrap_or_default(),
        confirm: get("How to confirm it by hand")
            .map(|x| x.1)
            .unwrap_or_default(),
        fixes,
        snippets,
        dont: get("Don't").map(|x| x.1).unwrap_or_default(),
        source: source.to_string(),
    })
}

/// Splits a body into `## ` sections: (title, 1-based line, lines). Headings inside code
/// fences do not count.
fn split_sections<'a>(body: &[&'a str], first_line: usize) -> Vec<(String, usize, Vec<&'a str>)> {
    let mut out: Vec<(String, usize, Vec<&str>)> = Vec::new();
    let mut in_fence = false;
    for (i, line) in body.iter().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(title) = line.strip_prefix("## ") {
            out.push((title.trim().to_string(), first_line + i, Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.2.push(line);
        }
    }
    out
}

/// The items of the first numbered list, with continuation lines folded in.
fn numbered_items(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let number_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        if number_end > 0 && t[number_end..].starts_with(". ") {
            items.push(t[number_end + 2..].trim().to_string());
        } else if !t.is_empty() && !items.is_empty() && line.starts_with(' ') {
            let last = items.last_mut().expect("non-empty");
            last.push(' ');
            last.push_str(t);
        } else if t.is_empty() {
            continue;
        } else if !items.is_empty() {
            break;
        }
    }
    items
}

fn code_blocks(
    text: &str,
    first_line: usize,
    at: &dyn Fn(usize, String) -> KbError,
    errors: &mut Vec<KbError>,
) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut caption = String::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(lang) = t.strip_prefix("```") {
            match current.take() {
                Some((lang, code)) => out.push(Snippet {
                    lang,
                    caption: std::mem::take(&mut caption),
                    code: code.join("\n"),
                }),
                None => {
                    let lang = lang.trim().to_string();
                    if !LANGUAGES.contains(&lang.as_str()) {
                        errors.push(at(
                            first_line + 1 + i,
                            format!(
                                "code block language '{lang}' is not one of {}",
                                LANGUAGES.join(", ")
                            ),
                        ));
                    }
                    current = Some((lang, Vec::new()));
                }
            }
        } else if let Some((_, code)) = current.as_mut() {
            code.push(line);
        } else if !t.is_empty() {
            caption = t.to_string();
        }
    }
    if current.is_some() {
        errors.push(at(
            first_line,
            "a code block in '## Code' is never closed".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nid = \"x\"\ntitle = \"T\"\nseverity = \"error\"\nsummary = \"S\"\nwhen = [\"tcp.refused\"]\nconfidence = \"likely\"\naction = [\"Do it on {{target.port}}.\"]\n\n[[rule]]\nwhen = [\"tcp.timeout\"]\nconfidence = \"possible\"\n+++\n## What is happening\nW\n## How to confirm it by hand\nC\n## How to fix it\n1. one\n   more\n2. two\n## Code\nShows it.\n```sh\necho hi\n```\n## Don't\nD\n";

    #[test]
    fn parses_a_good_file() {
        let c = parse("x.md", "x.md", GOOD).unwrap();
        assert_eq!(c.rules.len(), 2);
        assert_eq!(c.fixes, vec!["one more".to_string(), "two".to_string()]);
        assert_eq!(c.snippets[0].lang, "sh");
        assert_eq!(c.snippets[0].caption, "Shows it.");
    }

    #[test]
    fn errors_point_at_lines() {
        let bad = GOOD.replace("\"tcp.timeout\"", "\"tcp.timout\"");
        let e = parse("x.md", "x.md", &bad).unwrap_err();
        assert_eq!(e[0].line, 11, "{e:?}");
        assert!(e[0].message.contains("tcp.timout"));
        let bad = GOOD.replace("confidence = \"likely\"", "confidence = \"sure\"");
        let e = parse("x.md", "x.md", &bad).unwrap_err();
        assert_eq!(e[0].line, 7, "{e:?}");
        let bad = GOOD
            .replace("```sh", "```bash")
            .replace("## Code\n", "## Code\n\n");
        let e = parse("x.md", "x.md", &bad).unwrap_err();
        assert!(e[0].message.contains("bash"), "{e:?}");
        assert_eq!(e[0].line, 25, "{e:?}");
        let e = parse("y.md", "y.md", GOOD).unwrap_err();
        assert!(e[0].message.contains("does not match"));
        // Placeholders must name known values, wherever they are written.
        let bad = GOOD.replace("2. two", "2. two on {{listener.prot}}");
        let e = parse("x.md", "x.md", &bad).unwrap_err();
        assert!(e[0].message.contains("{{listener.prot}}"), "{e:?}");
        assert_eq!(e[0].line, 21, "{e:?}");
        let bad = GOOD.replace("action = [\"Do it on {{target.port}}.\"]\n", "");
        let e = parse("x.md", "x.md", &bad).unwrap_err();
        assert!(e[0].message.contains("action"), "{e:?}");
    }
}
