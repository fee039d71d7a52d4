//! Pieces both parsers share: splitting a rule into words, the matches a rule makes,
//! and the chain a rule sits in.

use super::model::{Action, Direction, FirewallRule, PortRange};
use super::ports::merge_ranges;
use std::collections::{HashMap, VecDeque};
use std::iter::Peekable;
use std::str::Chars;

/// One word of a rule; quoted strings (comments, log prefixes) are never keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub(super) text: String,
    pub(super) quoted: bool,
}

/// Splits on whitespace, keeps "quoted strings" whole, and makes each `punct` char a word.
pub(super) fn split_words(line: &str, punct: &[char]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let text = read_quoted(&mut chars);
            words.push(Word { text, quoted: true });
        } else if punct.contains(&c) {
            chars.next();
            words.push(Word {
                text: c.to_string(),
                quoted: false,
            });
        } else {
            let mut text = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' || punct.contains(&c) {
                    break;
                }
                text.push(c);
                chars.next();
            }
            words.push(Word {
                text,
                quoted: false,
            });
        }
    }
    words
}

pub(super) fn read_quoted(chars: &mut Peekable<Chars<'_>>) -> String {
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => text.extend(chars.next()),
            _ => text.push(c),
        }
    }
    text
}

/// The unquoted word at `i`, if any.
pub(super) fn bare(words: &[Word], i: usize) -> Option<&str> {
    words.get(i).filter(|w| !w.quoted).map(|w| w.text.as_str())
}

pub(super) fn is_bare(words: &[Word], i: usize, text: &str) -> bool {
    bare(words, i) == Some(text)
}

/// What one rule matches and does, before it is placed in its table and chain.
#[derive(Debug, Default)]
pub(super) struct Matches {
    pub(super) action: Option<Action>,
    pub(super) reject_with: Option<String>,
    pub(super) protocol: Option<String>,
    pub(super) dports: Vec<PortRange>,
    pub(super) sports: Vec<PortRange>,
    /// Chains this rule jumps or goes to (or any other non-verdict target).
    pub(super) jumps: Vec<String>,
}

impl Matches {
    /// Protocol matches in one rule must all hold, so one that excludes TCP wins.
    pub(super) fn add_protocol(&mut self, protocol: Option<String>) {
        let keep = self.protocol.as_deref().is_some_and(|p| p != "tcp");
        if protocol.is_some() && !keep {
            self.protocol = protocol;
        }
    }
}

/// Where a rule sits: fixes its tool, family, table, chain and direction.
pub(super) struct Place<'a> {
    pub(super) tool: &'a str,
    pub(super) family: &'a str,
    pub(super) table: &'a str,
    pub(super) chain: &'a str,
    pub(super) direction: Direction,
}

impl<'a> Place<'a> {
    /// A chain's place; its direction from `dirs`, Other when unknown.
    pub(super) fn new(
        tool: &'a str,
        family: &'a str,
        table: &'a str,
        chain: &'a str,
        dirs: &HashMap<String, Direction>,
    ) -> Place<'a> {
        let direction = dirs.get(chain).copied().unwrap_or(Direction::Other);
        Place {
            tool,
            family,
            table,
            chain,
            direction,
        }
    }

    /// The rule as reported, or None when it neither rejects nor drops.
    pub(super) fn rule(&self, m: Matches, text: &str) -> Option<FirewallRule> {
        let action = m.action?;
        Some(FirewallRule {
            action,
            text: text.trim().to_string(),
            protocol: m.protocol,
            dports: merge_ranges(m.dports),
            sports: merge_ranges(m.sports),
            default_policy: false,
            reject_with: m.reject_with.filter(|_| action == Action::Reject),
            ..self.policy(text)
        })
    }

    pub(super) fn policy(&self, text: &str) -> FirewallRule {
        FirewallRule {
            tool: self.tool.to_string(),
            family: self.family.to_string(),
            table: self.table.to_string(),
            chain: self.chain.to_string(),
            direction: self.direction,
            action: Action::Drop,
            text: text.trim().to_string(),
            protocol: None,
            dports: Vec::new(),
            sports: Vec::new(),
            default_policy: true,
            reject_with: None,
            number: None,
            handle: None,
        }
    }
}

/// Every chain's direction: base chains by their hook; a chain reached by jumps only from
/// chains of one direction gets it; one reached from several, or from none, is Other.
/// Each chain changes at most twice (unset, a direction, Other), so this is linear.
pub(super) fn resolve_directions(
    base: &HashMap<String, Direction>,
    jumps: &[(String, String)],
) -> HashMap<String, Direction> {
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in jumps {
        edges.entry(from.as_str()).or_default().push(to.as_str());
    }
    let mut dirs = base.clone();
    let mut queue: VecDeque<&str> = base.keys().map(String::as_str).collect();
    while let Some(chain) = queue.pop_front() {
        let Some(&dir) = dirs.get(chain) else {
            continue;
        };
        for &to in edges.get(chain).into_iter().flatten() {
            if base.contains_key(to) {
                continue;
            }
            let new = match dirs.get(to) {
                None => dir,
                Some(&old) if old == dir || old == Direction::Other => continue,
                Some(_) => Direction::Other,
            };
            dirs.insert(to.to_string(), new);
            queue.push_back(to);
        }
    }
    dirs
}

/// One table's rules from either tool; kept per table so the merge can choose a source.
#[derive(Debug, Default)]
pub(super) struct TableRules {
    pub(super) family: String,
    pub(super) name: String,
    pub(super) rules: Vec<FirewallRule>,
    pub(super) total: usize,
}

pub(super) fn flatten(tables: impl IntoIterator<Item = TableRules>) -> (Vec<FirewallRule>, usize) {
    let mut rules = Vec::new();
    let mut total = 0;
    for t in tables {
        rules.extend(t.rules);
        total += t.total;
    }
    (rules, total)
}
