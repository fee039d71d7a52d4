//! Error signatures (`errors/*.toml`, one file per ecosystem) and the table of failure kinds
//! and errno values (`error-kinds.toml`): what `connfix explain` recognises in pasted text.
//!
//! A signature is a regular expression with named groups that say where the target is:
//! `url` (a whole URL), `addr` (`host:port`, `[v6]:port`, `v6:port` or Java's
//! `name/ip:port`), `host`, `port`, `scheme`, `path` (a unix socket) and `errno` (a number or
//! a symbolic name, looked up in the errno table). The bundled patterns are compiled only
//! when text is explained (a test checks them all); the user's own are compiled when they
//! are loaded, so a broken one is reported at once.

use super::literals::Literals;
use super::{KbError, Quoted, line_of, toml_error_line, valid_id};
use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The capture groups that say where the target is; with `FILLS`, the names a pattern may
/// use (any other name is a mistake worth reporting).
pub const GROUPS: &[&str] = &["url", "addr", "host", "port", "scheme", "path", "errno"];

/// The groups that name what a server that refused this client said of it (its address as
/// the server saw it, the user and database it asked for): never the target, they fill a
/// fix's placeholders, each the one given here.
pub const FILLS: &[(&str, &str)] = &[
    ("client", "client.address"),
    ("user", "service.user"),
    ("database", "service.database"),
];

/// Compiled patterns are capped so that one bad user pattern cannot eat the memory.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// What went wrong, as far as the text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Refused,
    Reset,
    Timeout,
    Dns,
    Unreachable,
    Tls,
    /// A connection failure whose text does not say which.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Refused,
        Kind::Reset,
        Kind::Timeout,
        Kind::Dns,
        Kind::Unreachable,
        Kind::Tls,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Refused => "refused",
            Kind::Reset => "reset",
            Kind::Timeout => "timeout",
            Kind::Dns => "dns",
            Kind::Unreachable => "unreachable",
            Kind::Tls => "tls",
            Kind::Other => "other",
        }
    }

    /// True for every kind that says what happened (all but `other`).
    pub fn is_specific(self) -> bool {
        self != Kind::Other
    }
}

/// One signature, from a `[[signature]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub id: String,
    pub pattern: String,
    /// The kind, when the text matched says it; otherwise the errno decides, if any.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// A fixed symbolic errno this message stands for (e.g. ECONNREFUSED).
    #[serde(default)]
    pub errno: Option<String>,
    /// A fixed scheme implied by the program (libpq → postgres).
    #[serde(default)]
    pub scheme: Option<String>,
    /// The address matched is a proxy that failed, not the final destination.
    #[serde(default)]
    pub proxy: bool,
    /// The port the matched host is always reached on when the text names none (the DNS
    /// server a lookup tool asked: 53).
    #[serde(default)]
    pub port: Option<u16>,
    /// How specific the match is: 0 generic OS text, 1 a library's message, 2 a program's
    /// own wording, 3 a runtime wrapping another library's message. The highest rank names
    /// the ecosystem and the kind.
    #[serde(default = "default_rank")]
    pub rank: i32,
    /// The kind holds even when it is `other` and a generic match in the same words names
    /// a definite one: "Connection Refused: identifier rejected" is a protocol's refusal
    /// (MQTT's CONNACK), not the socket's.
    #[serde(default)]
    pub definite: bool,
    /// What the message means, when it says more than its kind's summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// How the verdict's sentence says what happened, when the kind's verb would be wrong:
    /// a server that answered and refused the login was reached, not failed to be.
    #[serde(default)]
    pub verb: Option<String>,
    /// The verdict's heading, when the kind's title would be wrong ("Turned away by the
    /// server" over "Could not connect").
    #[serde(default)]
    pub title: Option<String>,
    /// Cause ids to show, most likely first (else the errno's or the kind's).
    #[serde(default)]
    pub knowledge: Vec<String>,
    /// Texts this pattern must match; `kb check` tries each.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Set by the loader.
    #[serde(skip)]
    pub ecosystem: Option<String>,
    #[serde(skip)]
    pub source: String,
    /// Set by the loader from the file: read only when no other signature found an error
    /// in the paste (see `last_resort` in `SignatureFile`).
    #[serde(skip)]
    pub last_resort: bool,
}

fn default_rank() -> i32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureFile {
    /// Omitted for texts any program may print (the OS's own wording).
    #[serde(default)]
    ecosystem: Option<String>,
    /// How people call it ("Node.js").
    #[serde(default)]
    title: Option<String>,
    /// Loose wording read only when no other entry found an error in the paste: single
    /// failure words ("timedout", "terminated") that would be noise beside a real match
    /// but are the best there is when nothing else speaks.
    #[serde(default)]
    last_resort: bool,
    #[serde(rename = "signature", default)]
    signatures: Vec<Signature>,
}

/// An ecosystem: its id and how to call it in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ecosystem {
    pub id: String,
    pub title: String,
}

/// A failure kind's words and default knowledge.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KindInfo {
    pub id: Kind,
    /// A heading, e.g. "Connection refused".
    pub title: String,
    /// Completes "<who> <verb> <target>", e.g. "was refused by".
    pub verb: String,
    pub summary: String,
    /// Used instead of `summary` when the target is this machine (127.0.0.1, ::1,
    /// localhost), where a general sentence about hosts that are down would mislead.
    #[serde(default)]
    pub summary_loopback: Option<String>,
    pub knowledge: Vec<String>,
    /// Used instead of `knowledge` when the target is a unix socket.
    #[serde(default)]
    pub knowledge_unix: Vec<String>,
}

impl KindInfo {
    /// The sentence on what the kind means, for a target on this machine or elsewhere.
    pub fn summary_for(&self, loopback: bool) -> &str {
        match &self.summary_loopback {
            Some(s) if loopback => s,
            _ => &self.summary,
        }
    }
}

/// One errno: its symbolic name, its kind and its numbers on each platform.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrnoInfo {
    pub name: String,
    pub kind: Kind,
    #[serde(default)]
    pub linux: Vec<i64>,
    #[serde(default)]
    pub macos: Vec<i64>,
    #[serde(default)]
    pub windows: Vec<i64>,
    /// Other spellings (WSAECONNREFUSED, ConnectionRefused).
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub knowledge: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindsFile {
    #[serde(rename = "kind", default)]
    kinds: Vec<KindInfo>,
    #[serde(rename = "errno", default)]
    errnos: Vec<ErrnoInfo>,
}

/// Everything `explain` needs from the knowledge files.
#[derive(Debug, Clone, Default)]
pub struct ErrorKnowledge {
    pub signatures: Vec<Signature>,
    pub ecosystems: Vec<Ecosystem>,
    pub kinds: Vec<KindInfo>,
    pub errnos: Vec<ErrnoInfo>,
    /// Where the kinds table came from, for messages.
    pub kinds_source: String,
    /// Each pattern compiled when first needed (a paste rarely needs most of them).
    compiled: OnceLock<Vec<OnceLock<Option<Regex>>>>,
    /// For the main tier and for the last-resort tier: each reads only its own patterns'
    /// words, so the common words of the last resort ("server", "closed") cost the main
    /// pass nothing.
    literals: [OnceLock<Literals>; 2],
}

/// The platform an errno number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Linux,
    Macos,
    Windows,
}

impl ErrorKnowledge {
    pub fn kind(&self, kind: Kind) -> Option<&KindInfo> {
        self.kinds.iter().find(|k| k.id == kind)
    }

    pub fn ecosystem_title(&self, id: &str) -> Option<&str> {
        self.ecosystems
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.title.as_str())
    }

    /// Signature `i`'s pattern compiled (None where it does not compile; the loader has
    /// already reported it).
    pub fn regex(&self, i: usize) -> Option<&Regex> {
        let all = (self.compiled).get_or_init(|| {
            (0..self.signatures.len())
                .map(|_| OnceLock::new())
                .collect()
        });
        all.get(i)?
            .get_or_init(|| compile(&self.signatures[i].pattern).ok())
            .as_ref()
    }

    /// The words each pattern's matches must contain (see `literals`), for the patterns of
    /// one tier; the other tier's patterns need nothing and are never run with these.
    pub fn literals(&self, last_resort: bool) -> &Literals {
        self.literals[usize::from(last_resort)].get_or_init(|| {
            let patterns: Vec<String> = (self.signatures.iter())
                .map(|s| {
                    if s.last_resort == last_resort {
                        ascii_classes(&s.pattern)
                    } else {
                        String::new()
                    }
                })
                .collect();
            Literals::new(patterns.iter().map(String::as_str))
        })
    }

    /// Looks up an errno written as a name (ECONNREFUSED, WSAECONNREFUSED) or a number.
    /// A number can mean different things on different systems; `hint` (the signature's
    /// kind) picks among them, else the first listed wins. The platform is known only when
    /// a number decided.
    pub fn errno(
        &self,
        written: &str,
        hint: Option<Kind>,
    ) -> Option<(&ErrnoInfo, Option<Platform>)> {
        let written = written.trim();
        if let Some(n) = errno_number(written) {
            let mut found = Vec::new();
            for e in &self.errnos {
                for (platform, list) in [
                    (Platform::Linux, &e.linux),
                    (Platform::Macos, &e.macos),
                    (Platform::Windows, &e.windows),
                ] {
                    if list.contains(&n) {
                        found.push((e, Some(platform)));
                    }
                }
            }
            // getaddrinfo's small positive numbers (macOS EAI_*) are everyday errnos
            // elsewhere (4 is EINTR on Linux): they count only where a DNS failure is said.
            let eai_ok = hint == Some(Kind::Dns) || !(0..11000).contains(&n);
            found.retain(|(e, _)| e.kind != Kind::Dns || eai_ok);
            return found
                .iter()
                .find(|(e, _)| Some(e.kind) == hint)
                .or(found.first())
                .copied();
        }
        self.errnos
            .iter()
            .find(|e| {
                e.name.eq_ignore_ascii_case(written)
                    || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(written))
            })
            .map(|e| (e, None))
    }

    /// Adds a file's signatures, replacing any with the same id.
    fn add(&mut self, file: SignatureFile, source: &str) {
        if let Some(id) = &file.ecosystem {
            let title = file.title.clone().unwrap_or_else(|| id.clone());
            match self.ecosystems.iter_mut().find(|e| &e.id == id) {
                Some(e) => e.title = title,
                None => self.ecosystems.push(Ecosystem {
                    id: id.clone(),
                    title,
                }),
            }
        }
        // Where each id is, so that replacing by id stays linear in the signatures.
        let mut at: HashMap<String, usize> = self
            .signatures
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        for mut s in file.signatures {
            s.ecosystem = file.ecosystem.clone();
            s.source = source.to_string();
            s.last_resort = file.last_resort;
            match at.get(&s.id) {
                Some(&i) => self.signatures[i] = s,
                None => {
                    at.insert(s.id.clone(), self.signatures.len());
                    self.signatures.push(s);
                }
            }
        }
        self.compiled = OnceLock::new();
        self.literals = Default::default();
    }

    fn set_kinds(&mut self, file: KindsFile) {
        for k in file.kinds {
            match self.kinds.iter_mut().find(|x| x.id == k.id) {
                Some(x) => *x = k,
                None => self.kinds.push(k),
            }
        }
        let mut at: HashMap<String, usize> = self
            .errnos
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.clone(), i))
            .collect();
        for e in file.errnos {
            match at.get(&e.name) {
                Some(&i) => self.errnos[i] = e,
                None => {
                    at.insert(e.name.clone(), self.errnos.len());
                    self.errnos.push(e);
                }
            }
        }
    }
}

/// An errno written as a number: decimal (`10054`, `-3`) or hexadecimal (`0x2746`), where an
/// HRESULT wrapping a Win32 code (`0x80072746`) stands for the code it wraps.
fn errno_number(written: &str) -> Option<i64> {
    if let Ok(n) = written.parse::<i64>() {
        return Some(n);
    }
    let hex = written
        .strip_prefix("0x")
        .or_else(|| written.strip_prefix("0X"))?;
    let n = i64::from_str_radix(hex, 16).ok()?;
    Some(if n & 0xFFFF_0000 == 0x8007_0000 {
        n & 0xFFFF
    } else {
        n
    })
}

pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&ascii_classes(pattern))
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
}

/// Word boundaries, word characters and digits made ASCII ones. Messages are often glued
/// to text in other scripts ("Connection refused的", "localhost已拒绝"), where a Unicode
/// boundary finds no break; an ASCII boundary treats those letters as the break they are.
/// Host names, ports and error codes are ASCII, and the ASCII classes are far smaller:
/// with a few hundred patterns that is most of the time a start takes, and it lets the
/// fast matching engine run over non-ASCII text instead of giving up on it.
pub fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if !in_class => out.push_str("(?-u:\\b)"),
                Some('w') if in_class => out.push_str("[:word:]"),
                Some('w') => out.push_str("[[:word:]]"),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                let rest = chars.as_str();
                for lit in ["^]", "]", "^"] {
                    if let Some(after) = rest.strip_prefix(lit) {
                        out.push_str(lit);
                        chars = after.chars();
                        break;
                    }
                }
            }
            '[' if chars.as_str().starts_with(':') => {
                // A POSIX class inside a class: copied whole.
                out.push(c);
                let rest = chars.as_str();
                let end = rest.find(":]").map_or(rest.len(), |e| e + 2);
                out.push_str(&rest[..end]);
                chars = rest[end..].chars();
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Parses one `errors/*.toml` file into `into`. With `strict`, also compiles every pattern
/// and tries it on its examples (bundled files are checked that way by a unit test and
/// by `kb check`, not on every start).
pub fn parse_file(
    into: &mut ErrorKnowledge,
    source: &str,
    text: &str,
    strict: bool,
) -> Vec<KbError> {
    let at = |line: usize, message: String| KbError {
        file: source.to_string(),
        line,
        message,
    };
    let file: SignatureFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => return vec![at(toml_error_line(text, &e, 1), e.message().to_string())],
    };
    let mut errors = Vec::new();
    if let Some(eco) = &file.ecosystem
        && !valid_id(eco)
    {
        errors.push(at(
            line_of(text, "ecosystem"),
            format!("ecosystem '{eco}' must be lowercase letters, digits and dashes, e.g. python"),
        ));
    }
    // Lines are looked up only for errors, each in constant time (linear loading).
    let quoted = Quoted::new(text);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut broken = std::collections::HashSet::new();
    for s in &file.signatures {
        let earlier = seen.entry(s.id.as_str()).or_insert(0);
        let nth = *earlier;
        *earlier += 1;
        let line = || quoted.nth_line(&s.id, nth, 1);
        let before = errors.len();
        if !valid_id(&s.id) {
            errors.push(at(
                line(),
                format!(
                    "signature id '{}' must be lowercase letters, digits and dashes",
                    s.id
                ),
            ));
        }
        if nth > 0 {
            errors.push(at(
                line(),
                format!("signature id '{}' is used twice in this file", s.id),
            ));
        }
        if !(0..=3).contains(&s.rank) {
            errors.push(at(
                line(),
                format!("signature '{}': rank must be 0, 1, 2 or 3", s.id),
            ));
        }
        if strict {
            errors.extend(check_pattern(s).into_iter().map(|m| at(line(), m)));
        }
        if errors.len() > before {
            broken.insert(s.id.clone());
        }
    }
    // The good signatures of a file with a broken one still work.
    let mut file = file;
    file.signatures.retain(|s| !broken.contains(&s.id));
    if !file.signatures.is_empty() || broken.is_empty() {
        into.add(file, source);
    }
    errors
}

/// Compiles a signature's pattern, checks its group names and tries it on its examples.
fn check_pattern(s: &Signature) -> Vec<String> {
    let re = match compile(&s.pattern) {
        Ok(re) => re,
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().last().unwrap_or("").trim();
            return vec![format!(
                "signature '{}': the pattern does not compile: {first}",
                s.id
            )];
        }
    };
    let mut out = Vec::new();
    for name in re.capture_names().flatten() {
        // `host2`, `port3`: the same group in another branch of the pattern.
        let base = name.trim_end_matches(['2', '3']);
        let fill = FILLS.iter().any(|&(g, _)| g == base);
        if !GROUPS.contains(&base) && !fill {
            let known: Vec<&str> = GROUPS
                .iter()
                .chain(FILLS.iter().map(|(g, _)| g))
                .copied()
                .collect();
            out.push(format!(
                "signature '{}': unknown group (?P<{name}>...); use {}",
                s.id,
                known.join(", ")
            ));
        }
    }
    if s.examples.is_empty() {
        out.push(format!(
            "signature '{}' has no examples; add examples = [\"...\"] with a text it must match",
            s.id
        ));
    }
    for ex in &s.examples {
        if !re.is_match(ex) {
            out.push(format!(
                "signature '{}' does not match its example {ex:?}",
                s.id
            ));
        }
    }
    out
}

/// Parses `error-kinds.toml` into `into`.
pub fn parse_kinds(into: &mut ErrorKnowledge, source: &str, text: &str) -> Vec<KbError> {
    match toml::from_str::<KindsFile>(text) {
        Ok(f) => {
            into.set_kinds(f);
            into.kinds_source = source.to_string();
            Vec::new()
        }
        Err(e) => vec![KbError {
            file: source.to_string(),
            line: toml_error_line(text, &e, 1),
            message: e.message().to_string(),
        }],
    }
}

/// Checks what only the whole knowledge can tell: cause ids exist, errno names in
/// signatures are in the table, and every kind has its words. `text_of` gives a file's
/// text, for the line an error points at.
pub fn cross_check<'t>(
    errors_kb: &ErrorKnowledge,
    cause_exists: &dyn Fn(&str) -> bool,
    text_of: &dyn Fn(&str) -> Option<&'t str>,
) -> Vec<KbError> {
    let mut out = Vec::new();
    // One index of quoted values per file, built on its first error.
    let mut files: HashMap<String, Option<Quoted<'t>>> = HashMap::new();
    // A signature's id is written once in its file (`parse_file` leaves duplicates out),
    // so the first place it is quoted is its own.
    let mut at = |file: &str, value: &str, message: String| {
        let quoted = files
            .entry(file.to_string())
            .or_insert_with(|| text_of(file).map(Quoted::new));
        let line = quoted.as_ref().map_or(1, |q| q.line(value, 1));
        out.push(KbError {
            file: file.to_string(),
            line,
            message,
        });
    };
    for s in &errors_kb.signatures {
        for id in &s.knowledge {
            if !cause_exists(id) {
                at(
                    &s.source,
                    &s.id,
                    format!(
                        "signature '{}': no cause '{id}' (see `connfix kb list`)",
                        s.id
                    ),
                );
            }
        }
        if let Some(e) = &s.errno
            && errors_kb.errno(e, s.kind).is_none()
        {
            at(
                &s.source,
                &s.id,
                format!(
                    "signature '{}': errno '{e}' is not in error-kinds.toml; use a name such as ECONNREFUSED",
                    s.id
                ),
            );
        }
    }
    for k in &errors_kb.kinds {
        for id in k.knowledge.iter().chain(&k.knowledge_unix) {
            if !cause_exists(id) {
                at(
                    &errors_kb.kinds_source,
                    id,
                    format!("kind '{}': no cause '{id}'", k.id.as_str()),
                );
            }
        }
    }
    for e in &errors_kb.errnos {
        for id in &e.knowledge {
            if !cause_exists(id) {
                at(
                    &errors_kb.kinds_source,
                    id,
                    format!("errno {}: no cause '{id}'", e.name),
                );
            }
        }
    }
    out
}

/// The kinds the table must describe, when it describes any (a user directory with only
/// signatures leans on the bundled table).
pub fn missing_kinds(errors_kb: &ErrorKnowledge) -> Vec<Kind> {
    Kind::ALL
        .into_iter()
        .filter(|k| errors_kb.kind(*k).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::errno_number;

    #[test]
    fn errno_numbers_may_be_hex_and_hresults_stand_for_what_they_wrap() {
        assert_eq!(errno_number("10054"), Some(10054));
        assert_eq!(errno_number("-3"), Some(-3));
        assert_eq!(errno_number("0x2746"), Some(10054));
        assert_eq!(errno_number("0x0000274D"), Some(10061));
        assert_eq!(errno_number("0x8007274C"), Some(10060));
        assert_eq!(errno_number("0x80004005"), Some(0x8000_4005));
        assert_eq!(errno_number("ECONNRESET"), None);
    }
}
