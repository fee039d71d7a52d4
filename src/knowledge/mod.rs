//! Knowledge files: causes (Markdown + TOML front matter), the decision tree and the
//! services table (TOML). Bundled into the binary; files in the user's config directory
//! (`<config>/knowledge/`, same layout) add to them or replace them by id.

pub mod causes;
pub mod checklists;
pub mod literals;
pub mod services;
pub mod signatures;
pub mod tree;

use causes::Cause;
use checklists::ChecklistDef;
use serde::Serialize;
use services::Services;
use signatures::ErrorKnowledge;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use tree::Tree;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The largest knowledge file read. The biggest bundled one is under 100 KiB; a file
/// over this is a mistake or an attack, and would slow every command down, so it is
/// reported and left out (the other files still load).
pub const MAX_FILE_SIZE: u64 = 4 << 20;

/// A problem in a knowledge file, pointing at the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KbError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

#[derive(Debug, Clone)]
pub struct Knowledge {
    pub causes: Vec<Cause>,
    pub tree: Tree,
    pub services: Services,
    /// Incident checklists, in id order.
    pub checklists: Vec<ChecklistDef>,
    /// Error signatures, failure kinds and errno values, for `connfix explain`.
    pub errors: ErrorKnowledge,
}

pub(crate) fn bundled_file(path: &str) -> Option<&'static str> {
    bundled::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
}

/// The user's knowledge directory, e.g. `~/.config/connfix/knowledge`.
pub fn user_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "connfix").map(|d| d.config_dir().join("knowledge"))
}

/// The 1-based line a TOML parse error points at (`first` for the text's first line).
pub(crate) fn toml_error_line(text: &str, e: &toml::de::Error, first: usize) -> usize {
    e.span().map_or(first, |s| {
        first + text[..s.start.min(text.len())].matches('\n').count()
    })
}

/// The first line containing `needle`, 1-based (1 when none does): where a validation
/// error about a value points. It reads the whole text, so it is for one-off lookups
/// (the `id` key of a file); values looked up per item go through `Quoted`.
pub(crate) fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

/// Where the quoted strings of a TOML text (`"x"` or `'x'`) are written: for each, the
/// 1-based lines it appears on, in order. Built in one pass over the text the first time a
/// validation error needs a line, so that pointing at thousands of ids or facts costs one
/// read of the text, not one per lookup (which made loading quadratic); a file without
/// errors never builds it.
pub(crate) struct Quoted<'a> {
    text: &'a str,
    /// Added to every line (a cause's front matter starts on line 2).
    first_line: usize,
    lines: std::cell::OnceCell<HashMap<&'a str, Vec<usize>>>,
}

impl<'a> Quoted<'a> {
    pub(crate) fn new(text: &'a str) -> Quoted<'a> {
        Quoted::starting_at(text, 1)
    }

    pub(crate) fn starting_at(text: &'a str, first_line: usize) -> Quoted<'a> {
        Quoted {
            text,
            first_line,
            lines: std::cell::OnceCell::new(),
        }
    }

    /// The first line where `value` is written quoted, or `fallback`.
    pub(crate) fn line(&self, value: &str, fallback: usize) -> usize {
        self.nth_line(value, 0, fallback)
    }

    /// The line of the `n`th place (from 0) where `value` is written quoted, else of the
    /// first, else `fallback`: the second step with a duplicate id points at the second.
    pub(crate) fn nth_line(&self, value: &str, n: usize, fallback: usize) -> usize {
        let lines = self.lines.get_or_init(|| quoted_strings(self.text));
        lines
            .get(value)
            .and_then(|l| l.get(n).or(l.first()))
            .map_or(fallback, |l| l + self.first_line - 1)
    }
}

/// Every quoted string of a TOML text, with the lines it is on. Escapes are skipped (so a
/// `\"` does not end a string) but not decoded; comments are left out.
fn quoted_strings(text: &str) -> HashMap<&str, Vec<usize>> {
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            match bytes[j] {
                b'#' => break,
                quote @ (b'"' | b'\'') => {
                    let start = j + 1;
                    let mut k = start;
                    while k < bytes.len() && bytes[k] != quote {
                        k += if quote == b'"' && bytes[k] == b'\\' {
                            2
                        } else {
                            1
                        };
                    }
                    let end = k.min(bytes.len());
                    // Quotes are ASCII, so both ends are character boundaries.
                    out.entry(&line[start..end]).or_default().push(i + 1);
                    j = end + 1;
                }
                _ => j += 1,
            }
        }
    }
    out
}

/// Ids of causes, checklists, signatures and ecosystems: lowercase letters, digits, dashes.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// One knowledge file's text, from the bundle or from disk.
struct Source {
    /// Path relative to the knowledge root (`causes/x.md`, `tree.toml`).
    rel: String,
    /// What to call it in messages.
    shown: String,
    text: String,
    /// Bundled files are checked by the tests; only the user's are checked in full at load.
    bundled: bool,
}

impl Knowledge {
    /// The bundled knowledge merged with the user's files. Errors in user files are
    /// returned, not fatal: the bundled knowledge still works.
    pub fn load() -> (Knowledge, Vec<KbError>) {
        let mut sources = bundled_sources();
        let mut errors = Vec::new();
        if let Some(dir) = user_dir().filter(|d| d.is_dir()) {
            let (user, unread) = read_dir_sources(&dir);
            sources.extend(user);
            errors.extend(unread);
        }
        let (kb, more) = build(sources);
        errors.extend(more);
        (kb, errors)
    }

    /// Only what is bundled into the binary (for tests and `kb list --bundled`).
    pub fn bundled() -> Knowledge {
        build(bundled_sources()).0
    }

    pub fn cause(&self, id: &str) -> Option<&Cause> {
        self.causes.iter().find(|c| c.id == id)
    }

    pub fn checklist(&self, id: &str) -> Option<&ChecklistDef> {
        self.checklists.iter().find(|c| c.id == id)
    }
}

/// Validates a directory laid out like assets/knowledge. Returns every error found in its
/// files; they are read over the bundled knowledge, so they may name bundled causes.
pub fn check_dir(dir: &Path) -> Vec<KbError> {
    let (sources, mut errors) = read_dir_sources(dir);
    if sources.is_empty() {
        if errors.is_empty() {
            errors.push(KbError {
                file: dir.display().to_string(),
                line: 0,
                message: "no knowledge files here (expected causes/*.md, checklists/*.toml, errors/*.toml, tree.toml, services.toml or error-kinds.toml)"
                    .into(),
            });
        }
        return errors;
    }
    let mine: HashSet<String> = sources.iter().map(|s| s.shown.clone()).collect();
    let mut all = bundled_sources();
    all.extend(sources);
    errors.extend(build(all).1.into_iter().filter(|e| mine.contains(&e.file)));
    errors
}

/// Validates what connfix loads: the bundled files and the user's directory, all checked in
/// full. Returns what was read (for the person to see) and every error found.
pub fn check_loaded() -> (Vec<String>, Vec<KbError>) {
    let mut sources: Vec<Source> = bundled_sources()
        .into_iter()
        .map(|s| Source {
            bundled: false,
            ..s
        })
        .collect();
    let mut read = vec![format!(
        "{} bundled files (built into connfix)",
        sources.len()
    )];
    let mut errors = Vec::new();
    match user_dir() {
        Some(dir) if dir.is_dir() => {
            let (user, unread) = read_dir_sources(&dir);
            read.push(format!("{} file(s) in {}", user.len(), dir.display()));
            sources.extend(user);
            errors.extend(unread);
        }
        Some(dir) => read.push(format!(
            "no user knowledge ({} does not exist)",
            dir.display()
        )),
        None => read.push("no user knowledge directory (no home directory)".into()),
    }
    errors.extend(build(sources).1);
    (read, errors)
}

fn bundled_sources() -> Vec<Source> {
    bundled::FILES
        .iter()
        .map(|(rel, text)| Source {
            rel: rel.to_string(),
            shown: format!("assets/knowledge/{rel}"),
            text: text.to_string(),
            bundled: true,
        })
        .collect()
}

/// The knowledge files of a directory, and an error for each that could not be read (too
/// big, not a regular file, unreadable): those are left out, the others still load.
fn read_dir_sources(dir: &Path) -> (Vec<Source>, Vec<KbError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut add = |path: &Path, rel: &str| match read_source(path, rel) {
        Ok(s) => out.push(s),
        Err(e) => errors.push(e),
    };
    for name in ["tree.toml", "services.toml", "error-kinds.toml"] {
        let path = dir.join(name);
        if path.exists() {
            add(&path, name);
        }
    }
    let mut folder_errors = Vec::new();
    for (sub, ext) in [("causes", "md"), ("checklists", "toml"), ("errors", "toml")] {
        let folder = dir.join(sub);
        if !folder.is_dir() {
            continue;
        }
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) => {
                folder_errors.push(io_error(&folder, e));
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let rel = format!("{sub}/{name}");
            add(&path, &rel);
        }
    }
    errors.extend(folder_errors);
    (out, errors)
}

/// Reads one knowledge file: a regular file (a FIFO or a device would never end) of at
/// most `MAX_FILE_SIZE` bytes, checked before reading and enforced while reading.
fn read_source(path: &Path, rel: &str) -> Result<Source, KbError> {
    let fail = |message: String| KbError {
        file: path.display().to_string(),
        line: 0,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(fail(
            "not a regular file; a knowledge file is a plain text file".into(),
        ));
    }
    let too_big = |size: String| {
        fail(format!(
            "the file is {size}, over the limit of {} MiB for one knowledge file; it was not loaded: make it smaller or split it into several files",
            MAX_FILE_SIZE >> 20
        ))
    };
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_big(format!(
            "{:.1} MiB ({} bytes)",
            meta.len() as f64 / f64::from(1 << 20),
            meta.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_big("more than that (it grew while read)".into()));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text; save it as UTF-8".into()))?;
    Ok(Source {
        rel: rel.to_string(),
        shown: path.display().to_string(),
        text,
        bundled: false,
    })
}

fn io_error(path: &Path, e: std::io::Error) -> KbError {
    KbError {
        file: path.display().to_string(),
        line: 0,
        message: format!("cannot read: {e}"),
    }
}

/// Parses all sources in order; later ones replace earlier ones with the same id.
fn build(sources: Vec<Source>) -> (Knowledge, Vec<KbError>) {
    let mut kb = Knowledge {
        causes: Vec::new(),
        tree: Tree::default(),
        services: Services::default(),
        checklists: Vec::new(),
        errors: ErrorKnowledge::default(),
    };
    let mut errors = Vec::new();
    let mut texts = HashMap::new();
    // Where each id is, so that replacing by id stays linear in the number of files.
    let mut cause_at: HashMap<String, usize> = HashMap::new();
    let mut checklist_at: HashMap<String, usize> = HashMap::new();
    for mut src in sources {
        // Knowledge files are shared between teams: untrusted text, shown on terminals.
        // A character that would act there is an error pointing at it, and is made
        // visible before anything reads the file.
        for (line, col, c) in crate::sanitize::find_hidden(&src.text) {
            errors.push(KbError {
                file: src.shown.clone(),
                line,
                message: format!(
                    "column {col}: the control or invisible character U+{:04X} would act on a terminal instead of showing; remove it",
                    c as u32
                ),
            });
        }
        if let std::borrow::Cow::Owned(clean) = crate::sanitize::visible_plain(&src.text) {
            src.text = clean;
        }
        if src.rel == "error-kinds.toml" {
            errors.extend(signatures::parse_kinds(
                &mut kb.errors,
                &src.shown,
                &src.text,
            ));
        } else if src.rel.starts_with("errors/") {
            errors.extend(signatures::parse_file(
                &mut kb.errors,
                &src.shown,
                &src.text,
                !src.bundled,
            ));
            texts.insert(src.shown.clone(), src.text.clone());
        } else if src.rel == "tree.toml" {
            match tree::parse(&src.shown, &src.text) {
                Ok(t) => kb.tree = t,
                Err(e) => errors.extend(e),
            }
        } else if src.rel == "services.toml" {
            match toml::from_str::<Services>(&src.text) {
                Ok(s) => kb.services.merge(s),
                Err(e) => errors.push(KbError {
                    file: src.shown.clone(),
                    line: toml_error_line(&src.text, &e, 1),
                    message: e.message().to_string(),
                }),
            }
        } else if src.rel.starts_with("checklists/") {
            match checklists::parse(&src.shown, &src.text) {
                Ok(c) => match checklist_at.get(&c.id) {
                    Some(&i) => kb.checklists[i] = c,
                    None => {
                        checklist_at.insert(c.id.clone(), kb.checklists.len());
                        kb.checklists.push(c);
                    }
                },
                Err(e) => errors.extend(e),
            }
        } else if let Some(name) = src.rel.strip_prefix("causes/") {
            match causes::parse(name, &src.shown, &src.text) {
                Ok(c) => match cause_at.get(&c.id) {
                    Some(&i) => kb.causes[i] = c,
                    None => {
                        cause_at.insert(c.id.clone(), kb.causes.len());
                        kb.causes.push(c);
                    }
                },
                Err(e) => errors.extend(e),
            }
        }
    }
    kb.checklists.sort_by(|a, b| a.id.cmp(&b.id));
    let cause_ids: HashSet<&str> = kb.causes.iter().map(|c| c.id.as_str()).collect();
    errors.extend(signatures::cross_check(
        &kb.errors,
        &|id| cause_ids.contains(id),
        &|file| texts.get(file).map(String::as_str),
    ));
    (kb, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stable cause id of the public contract (listed in docs/check.md), which must
    /// each have a file.
    pub const CONTRACT_IDS: &[&str] = &[
        "reachable",
        "dns-no-such-host",
        "dns-server-unreachable",
        "dns-mismatch",
        "nothing-listening",
        "wrong-port",
        "bind-address-mismatch",
        "ipv6-ipv4-mismatch",
        "firewall-reject",
        "firewall-drop",
        "host-unreachable",
        "network-unreachable",
        "remote-refused",
        "proxy-unreachable",
        "container-localhost",
        "private-address-for-public-service",
        "tls-mismatch",
        "connection-reset",
        "http-error",
        "unix-socket-missing",
        "unix-socket-stale",
        "unix-socket-permission",
        "startup-race",
    ];

    #[track_caller]
    fn assert_no_errors(errors: &[KbError]) {
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}", shown.join("\n"));
    }

    #[test]
    fn bundled_knowledge_is_valid() {
        assert_no_errors(&build(bundled_sources()).1);
    }

    #[test]
    fn bundled_signatures_compile_and_match_their_examples() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/knowledge");
        assert_no_errors(&check_dir(&dir));
        let kb = Knowledge::bundled();
        assert!(kb.errors.signatures.len() >= 100);
        assert!(signatures::missing_kinds(&kb.errors).is_empty());
        assert!((0..kb.errors.signatures.len()).all(|i| kb.errors.regex(i).is_some()));
    }

    #[test]
    fn user_signatures_are_checked_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let errors_dir = dir.path().join("errors");
        std::fs::create_dir(&errors_dir).unwrap();
        let text = "ecosystem = \"acme\"\ntitle = \"Acme\"\n\n[[signature]]\nid = \"acme-refused\"\nkind = \"refused\"\npattern = 'ACME-(?P<port>\\d+) refused'\nexamples = [\"ACME-80 refused\"]\nknowledge = [\"nothing-listening\"]\n\n[[signature]]\nid = \"acme-bad\"\npattern = '(?P<where>x'\n\n[[signature]]\nid = \"acme-wrong\"\npattern = 'nope (?P<colour>\\w+)'\nexamples = [\"yes\"]\n\n[[signature]]\nid = \"acme-cause\"\npattern = 'ACME down'\nexamples = [\"ACME down\"]\nknowledge = [\"no-such-cause\"]\n";
        std::fs::write(errors_dir.join("acme.toml"), text).unwrap();
        let errors = check_dir(dir.path());
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let find = |needle: &str| {
            errors
                .iter()
                .find(|e| e.message.contains(needle))
                .unwrap_or_else(|| panic!("no error about {needle}: {shown:?}"))
        };
        assert_eq!(find("does not compile").line, 12, "{shown:?}");
        assert!(find("does not compile").file.ends_with("acme.toml"));
        assert_eq!(find("unknown group (?P<colour>").line, 16);
        assert_eq!(find("does not match its example").line, 16);
        assert_eq!(find("no cause 'no-such-cause'").line, 21);
        assert!(
            !shown.iter().any(|e| e.contains("acme-refused")),
            "{shown:?}"
        );
        // A good user signature is used by explain.
        std::fs::write(
            errors_dir.join("acme.toml"),
            text.split("\n\n[[signature]]\nid = \"acme-bad\"")
                .next()
                .unwrap(),
        )
        .unwrap();
        assert!(check_dir(dir.path()).is_empty());
        let mut sources = bundled_sources();
        sources.extend(read_dir_sources(dir.path()).0);
        let (kb, errors) = build(sources);
        assert!(errors.is_empty(), "{errors:?}");
        let ex = crate::explain::explain("boot: ACME-8080 refused", &kb);
        let f = ex.main().expect("found");
        assert_eq!(f.ecosystem.as_deref(), Some("acme"));
        assert_eq!(f.target.port, Some(8080));
        assert_eq!(f.knowledge[0], "nothing-listening");
    }

    #[test]
    fn user_checklists_are_checked_and_replace_bundled_ones_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let lists = dir.path().join("checklists");
        std::fs::create_dir(&lists).unwrap();
        let good = "id = \"database-unreachable\"\ntitle = \"Ours\"\nabout = \"a\"\n[[step]]\nid = \"a\"\ntitle = \"t\"\ndo = \"d\"\ngood = \"g\"\n";
        std::fs::write(lists.join("db.toml"), good).unwrap();
        std::fs::write(
            lists.join("bad.toml"),
            good.replace("id = \"a\"", "id = \"a\"\nfail_if = [\"tcp.nope\"]"),
        )
        .unwrap();
        let errors = check_dir(dir.path());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].file.ends_with("bad.toml") && errors[0].line == 6,
            "{errors:?}"
        );
        let mut sources = bundled_sources();
        sources.push(Source {
            rel: "checklists/db.toml".into(),
            shown: "db.toml".into(),
            text: good.into(),
            bundled: false,
        });
        let (kb, errors) = build(sources);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(kb.checklist("database-unreachable").unwrap().title, "Ours");
        assert!(kb.checklists.len() >= 6);
    }

    #[test]
    fn every_contract_cause_has_a_file_with_fixes_and_code() {
        let kb = Knowledge::bundled();
        for id in CONTRACT_IDS {
            let c = kb
                .cause(id)
                .unwrap_or_else(|| panic!("no knowledge file for {id}"));
            assert!(!c.fixes.is_empty(), "{id} has no fixes");
            assert!(!c.confirm.is_empty(), "{id} has no confirmation steps");
        }
        assert!(kb.cause("unexplained").is_some());
        assert!(!kb.tree.nodes.is_empty());
        assert!(kb.services.by_scheme("postgres").is_some());
    }

    /// A pattern with no word of three or more letters that every match holds is run over
    /// the whole paste, which a 1 MB log makes slow. These four do, and the 1 MB bench
    /// counts them; any other must have such a word.
    #[test]
    fn every_bundled_pattern_has_a_word_to_be_looked_for_by() {
        const WHOLE_TEXT: &[&str] = &[
            "winsock-hex-code",
            "redis-cli-prompt",
            "wget-url-line",
            "loose-reset",
        ];
        let kb = Knowledge::bundled();
        let e = &kb.errors;
        let mut wordless = Vec::new();
        for tier in [false, true] {
            let literals = e.literals(tier);
            for (sig, need) in e.signatures.iter().zip(&literals.needs) {
                if sig.last_resort == tier && *need == literals::Need::Nothing {
                    wordless.push(sig.id.as_str());
                }
            }
        }
        assert_eq!(wordless, WHOLE_TEXT);
    }
}
