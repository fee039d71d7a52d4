//! The words every match of a signature must contain, read off the pattern's syntax tree.
//!
//! `explain` runs a few hundred patterns over pastes of up to 4 MB. Most patterns open with
//! a word boundary, a case-insensitive word or a host class, which leaves the regex engine
//! no literal to skip ahead with, so each pattern would read every byte. Instead, one
//! multi-word search finds where the required words occur, and each pattern runs only on the
//! lines around them; a pattern whose words occur nowhere is not even compiled.
//!
//! Words are compared case-folded (`fold`), so a case-insensitive word is one word and a
//! case-sensitive one is merely looked for more widely: the filter may let through lines the
//! pattern rejects, never the other way round.

use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Words shorter than this are too common to narrow anything down.
const MIN_WORD: usize = 3;

/// What a match needs to contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// No word is required: the pattern has to be run over the whole text.
    Nothing,
    /// This word (an index into `Literals::words`).
    Word(usize),
    /// At least one of these.
    AnyOf(Vec<Need>),
    /// All of these (so any one of them is a valid filter).
    AllOf(Vec<Need>),
}

/// The required words of every signature pattern.
#[derive(Debug, Clone, Default)]
pub struct Literals {
    /// Distinct words, case-folded.
    pub words: Vec<String>,
    /// Per pattern, in signature order.
    pub needs: Vec<Need>,
    /// Per pattern: it can run on over many lines (an explicit line break in a repetition, a
    /// negated class, `(?s).`), not just across the breaks between words that `\s+` allows.
    pub spans_lines: Vec<bool>,
    /// Finds every occurrence of every word (in folded text); None when there are no words.
    pub finder: Option<AhoCorasick>,
}

impl Literals {
    /// Reads the patterns (already in the form they are compiled in). A pattern that does not
    /// parse needs `Nothing`; it fails to compile anyway and is then skipped.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Literals {
        let mut out = Literals::default();
        for p in patterns {
            match regex_syntax::parse(p) {
                Ok(hir) => {
                    let need = need(&hir, &mut out.words);
                    out.needs.push(need);
                    out.spans_lines.push(spans_lines(&hir));
                }
                Err(_) => {
                    out.needs.push(Need::Nothing);
                    out.spans_lines.push(true);
                }
            }
        }
        // Standard semantics, so that overlapping occurrences ("connect" in "connection")
        // are all reported.
        out.finder = (!out.words.is_empty())
            .then(|| AhoCorasick::new(&out.words).expect("a few thousand short words build"));
        out
    }
}

/// Lower case, with the few characters Unicode case-insensitivity joins to an ASCII letter
/// but lower-casing does not (the long s) mapped onto it, so that a word folded here and the
/// text folded here agree whenever the pattern's case-insensitive class matched.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ſ' => out.push('s'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn need(hir: &Hir, words: &mut Vec<String>) -> Need {
    match hir.kind() {
        HirKind::Literal(lit) => word(&String::from_utf8_lossy(&lit.0), words),
        HirKind::Class(c) => match one_char(c) {
            Some(c) => word(&c.to_string(), words),
            None => Need::Nothing,
        },
        HirKind::Repetition(r) if r.min >= 1 => need(&r.sub, words),
        HirKind::Capture(c) => need(&c.sub, words),
        HirKind::Concat(items) => concat(items, words),
        HirKind::Alternation(branches) => {
            let mut any = Vec::with_capacity(branches.len());
            for b in branches {
                match need(b, words) {
                    Need::Nothing => return Need::Nothing,
                    n => any.push(n),
                }
            }
            Need::AnyOf(any)
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Repetition(_) => Need::Nothing,
    }
}

/// A concatenation: runs of single characters make words ("refused" after `(?i)` is seven
/// two-letter classes), and every other part adds what it needs.
fn concat(items: &[Hir], words: &mut Vec<String>) -> Need {
    let mut all = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, all: &mut Vec<Need>, words: &mut Vec<String>| {
        if !run.is_empty() {
            all.push(word(run, words));
            run.clear();
        }
    };
    for item in items {
        match chars_of(item) {
            Some(s) => run.push_str(&s),
            None => {
                flush(&mut run, &mut all, words);
                all.push(need(item, words));
            }
        }
    }
    flush(&mut run, &mut all, words);
    all.retain(|n| *n != Need::Nothing);
    match all.len() {
        0 => Need::Nothing,
        1 => all.pop().expect("one element"),
        _ => Need::AllOf(all),
    }
}

/// The text an item always matches exactly (up to case), when it is a literal or a class of
/// one letter's cases.
fn chars_of(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(fold(std::str::from_utf8(&lit.0).ok()?)),
        HirKind::Class(c) => one_char(c).map(String::from),
        _ => None,
    }
}

/// The single folded character a class stands for, when all its members fold to it
/// (`[Kk\u{212A}]` → `k`).
fn one_char(class: &Class) -> Option<char> {
    let members: Vec<char> = match class {
        Class::Unicode(u) => {
            let n: u32 = u.ranges().iter().map(|r| r.len() as u32).sum();
            if n > 4 {
                return None;
            }
            u.ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .collect()
        }
        Class::Bytes(b) => {
            let n: usize = b.ranges().iter().map(|r| r.len()).sum();
            if n > 4 || b.ranges().iter().any(|r| r.end() > 0x7f) {
                return None;
            }
            (b.ranges().iter())
                .flat_map(|r| r.start()..=r.end())
                .map(char::from)
                .collect()
        }
    };
    let mut folded = members.iter().map(|c| {
        let f = fold(&c.to_string());
        let mut chars = f.chars();
        match (chars.next(), chars.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    });
    let first = folded.next()??;
    folded.all(|f| f == Some(first)).then_some(first)
}

fn word(s: &str, words: &mut Vec<String>) -> Need {
    let s = fold(s);
    if s.len() < MIN_WORD {
        return Need::Nothing;
    }
    let at = match words.iter().position(|w| *w == s) {
        Some(i) => i,
        None => {
            words.push(s);
            words.len() - 1
        }
    };
    Need::Word(at)
}

fn spans_lines(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        // Whitespace classes hold a line break too, but only a broad class (a negation, a dot)
        // lets a pattern run on through whole lines of text.
        HirKind::Class(Class::Unicode(u)) => {
            let n: usize = u.ranges().iter().map(|r| r.len()).sum();
            n > 64
                && u.ranges()
                    .iter()
                    .any(|r| r.start() <= '\n' && '\n' <= r.end())
        }
        HirKind::Class(Class::Bytes(b)) => {
            let n: usize = b.ranges().iter().map(|r| r.len()).sum();
            n > 64
                && b.ranges()
                    .iter()
                    .any(|r| r.start() <= b'\n' && b'\n' <= r.end())
        }
        HirKind::Repetition(r) => spans_lines(&r.sub),
        HirKind::Capture(c) => spans_lines(&c.sub),
        HirKind::Concat(items) | HirKind::Alternation(items) => items.iter().any(spans_lines),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(pattern: &str) -> (Vec<String>, Need) {
        let l = Literals::new([pattern]);
        (l.words, l.needs[0].clone())
    }

    #[test]
    fn case_insensitive_words_are_one_word() {
        let (words, need) = words_of(r"(?i)\bconnection\s+refused\b");
        assert_eq!(words, ["connection", "refused"]);
        assert_eq!(need, Need::AllOf(vec![Need::Word(0), Need::Word(1)]));
    }

    #[test]
    fn alternatives_need_one_of_their_words_and_an_open_branch_needs_nothing() {
        let (words, need) = words_of(r"ERR_CONNECTION_REFUSED|(?i)actively\s+refused");
        assert_eq!(words, ["err_connection_refused", "actively", "refused"]);
        assert_eq!(
            need,
            Need::AnyOf(vec![
                Need::Word(0),
                Need::AllOf(vec![Need::Word(1), Need::Word(2)])
            ])
        );
        let (_, need) = words_of(r"refused|(?P<host>[a-z.]+):\d+");
        assert_eq!(need, Need::Nothing);
    }

    #[test]
    fn optional_parts_and_short_words_are_not_required() {
        let (words, need) = words_of(r"(?:timed\s+)?out\s+after\s+\d+\s*ms");
        assert_eq!(words, ["out", "after"]);
        assert_eq!(need, Need::AllOf(vec![Need::Word(0), Need::Word(1)]));
    }

    #[test]
    fn other_scripts_and_the_kelvin_sign_fold() {
        let (words, _) = words_of(r"(?i)Отказано|接続が拒否");
        // Unicode joins о and т to rarer letters (narrow o, tall te) that lower-casing keeps
        // apart, so those two are not taken for one letter; the rest of the word still is.
        assert_eq!(words, ["казан", "接続が拒否"]);
        assert_eq!(fold("ОТКАЗАНО \u{212A}ILL ſocket"), "отказано kill socket");
    }

    #[test]
    fn patterns_that_run_on_over_lines_are_told_apart() {
        let l = Literals::new([
            r"connection\s+refused",
            r"x[^\n]*y",
            r"refused '[^']+'",
            r"(?s)a.*b",
            r"Exception$(?:\n\s+at .*)*",
        ]);
        assert_eq!(l.spans_lines, [false, false, true, true, true]);
    }
}
