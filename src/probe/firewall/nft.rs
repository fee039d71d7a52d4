//! `nft list ruleset`: tables, chains and the statements that open and close them.

use super::model::{Direction, FirewallRule};
use super::nft_rule::{Element, NftScanner, named_elements};
use super::parse::{Matches, Place, TableRules, flatten, resolve_directions};
use super::ports::hook_direction;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub(super) struct NftTable {
    pub(super) family: String,
    pub(super) name: String,
    /// `flags dormant`: the table is switched off and its rules do nothing.
    pub(super) dormant: bool,
    pub(super) chains: Vec<NftChain>,
    /// Named sets and maps, parsed once.
    pub(super) named: HashMap<String, Vec<Element>>,
}

#[derive(Debug, Default)]
pub(super) struct NftChain {
    pub(super) name: String,
    pub(super) hook: Option<String>,
    pub(super) policy: Option<String>,
    /// The `type ... hook ...; policy ...;` line, evidence for a policy entry.
    pub(super) header: String,
    /// Each rule's text and its handle (when listed with `nft -a`).
    pub(super) rules: Vec<(String, Option<u64>)>,
}

pub(super) enum Block {
    Table,
    Chain,
    Named(String),
    Other,
}

pub(super) enum Header<'a> {
    Table { family: &'a str, name: &'a str },
    Chain(&'a str),
    Named(&'a str),
    Other,
}

/// Objects besides tables, chains, sets and maps that open a block in a listing.
pub(super) const OTHER_BLOCKS: [&str; 7] = [
    "flowtable",
    "counter",
    "quota",
    "ct",
    "limit",
    "secmark",
    "synproxy",
];

/// Parses `nft list ruleset` output: every table's reject/drop rules and drop policies, and
/// how many rules there were in all.
pub fn parse_nft_ruleset(text: &str) -> (Vec<FirewallRule>, usize) {
    flatten(parse_nft_tables(text))
}

pub(super) fn parse_nft_tables(text: &str) -> Vec<TableRules> {
    parse_nft_structure(text)
        .iter()
        .filter(|t| !t.dormant)
        .map(NftTable::rules)
        .collect()
}

/// Reads the block structure line by line. A statement whose braces do not close on its
/// line (long set elements wrap) is joined with the following lines first; its balance is
/// kept as it grows, so a long one costs no more than its length.
pub(super) fn parse_nft_structure(text: &str) -> Vec<NftTable> {
    let mut tables = Vec::new();
    let mut stack = Vec::new();
    let mut pending = String::new();
    let mut balance = 0;
    for raw in text.lines() {
        let (line, handle) = split_handle(raw.trim());
        // Full-line comments: newer nft prints "# Warning: table ... is managed by iptables-nft".
        if line.is_empty() || (pending.is_empty() && line.starts_with('#')) {
            continue;
        }
        // A block header is always a line of its own.
        let header = pending.is_empty() && block_header(line).is_some();
        if !pending.is_empty() {
            pending.push(' ');
        }
        pending.push_str(line);
        balance += brace_balance(line);
        if balance > 0 && !header {
            continue;
        }
        let statement = std::mem::take(&mut pending);
        balance = 0;
        apply_statement(&statement, handle, &mut stack, &mut tables);
    }
    tables
}

/// `nft -a` appends "# handle N", which is not part of the rule: the rule, and the handle.
pub(super) fn split_handle(line: &str) -> (&str, Option<u64>) {
    match line.rfind("# handle ") {
        Some(i) if line[i + 9..].trim().bytes().all(|b| b.is_ascii_digit()) => {
            (line[..i].trim_end(), line[i + 9..].trim().parse().ok())
        }
        _ => (line, None),
    }
}

/// Opened minus closed braces, outside quoted strings.
pub(super) fn brace_balance(s: &str) -> i64 {
    let mut balance = 0;
    let mut quoted = false;
    let mut escaped = false;
    for c in s.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '{' if !quoted => balance += 1,
            '}' if !quoted => balance -= 1,
            _ => {}
        }
    }
    balance
}

pub(super) fn block_header(statement: &str) -> Option<Header<'_>> {
    let head = statement.strip_suffix('{')?;
    if brace_balance(statement) != 1 {
        return None;
    }
    let words: Vec<&str> = head.split_whitespace().collect();
    Some(match words.as_slice() {
        ["table", family, name] => Header::Table { family, name },
        ["table", name] => Header::Table { family: "ip", name },
        ["chain", name] => Header::Chain(name.trim_matches('"')),
        ["set" | "map", name] => Header::Named(name),
        [first, ..] if OTHER_BLOCKS.contains(first) => Header::Other,
        _ => return None,
    })
}

pub(super) fn apply_statement(
    statement: &str,
    handle: Option<u64>,
    stack: &mut Vec<Block>,
    tables: &mut Vec<NftTable>,
) {
    if statement == "}" {
        stack.pop();
        return;
    }
    if let Some(header) = block_header(statement) {
        stack.push(open_block(header, tables));
        return;
    }
    let Some(table) = tables.last_mut() else {
        return;
    };
    match stack.last() {
        Some(Block::Table) if statement.starts_with("flags") => {
            table.dormant |= statement.contains("dormant");
        }
        Some(Block::Chain) => {
            if let Some(chain) = table.chains.last_mut() {
                chain.add_statement(statement, handle);
            }
        }
        Some(Block::Named(name)) => {
            if let Some(elements) = statement.strip_prefix("elements =") {
                table.named.insert(name.clone(), named_elements(elements));
            }
        }
        _ => {}
    }
}

pub(super) fn open_block(header: Header<'_>, tables: &mut Vec<NftTable>) -> Block {
    match (header, tables.last_mut()) {
        (Header::Table { family, name }, _) => {
            tables.push(NftTable {
                family: family.to_string(),
                name: name.to_string(),
                ..NftTable::default()
            });
            Block::Table
        }
        (Header::Chain(name), Some(table)) => {
            table.chains.push(NftChain {
                name: name.to_string(),
                ..NftChain::default()
            });
            Block::Chain
        }
        (Header::Named(name), Some(_)) => Block::Named(name.to_string()),
        _ => Block::Other,
    }
}

impl NftChain {
    pub(super) fn add_statement(&mut self, statement: &str, handle: Option<u64>) {
        let words: Vec<&str> = statement.split_whitespace().collect();
        let after = |key: &str| {
            let at = words.iter().position(|w| *w == key)?;
            words
                .get(at + 1)
                .map(|w| w.trim_end_matches(';').to_string())
        };
        match words.first() {
            Some(&("type" | "policy")) => {
                self.hook = after("hook").or(self.hook.take());
                self.policy = after("policy").or(self.policy.take());
                self.header = statement.to_string();
            }
            Some(&("comment" | "devices")) => {}
            _ => self.rules.push((statement.to_string(), handle)),
        }
    }
}

impl NftTable {
    pub(super) fn rules(&self) -> TableRules {
        let default_reject = match self.family.as_str() {
            "ip" => "icmp-port-unreachable",
            "ip6" => "icmpv6-port-unreachable",
            _ => "icmpx-port-unreachable",
        };
        let base: HashMap<String, Direction> = self
            .chains
            .iter()
            .filter_map(|c| Some((c.name.clone(), hook_direction(c.hook.as_deref()?))))
            .collect();
        let mut scanner = NftScanner::new(&self.named, default_reject);
        let scanned: Vec<Vec<(&str, Option<u64>, Matches)>> = self
            .chains
            .iter()
            .map(|c| {
                c.rules
                    .iter()
                    .map(|(r, h)| (r.as_str(), *h, scanner.scan(r)))
                    .collect()
            })
            .collect();
        let jumps: Vec<(String, String)> = self
            .chains
            .iter()
            .zip(&scanned)
            .flat_map(|(c, rules)| {
                rules
                    .iter()
                    .flat_map(|(_, _, m)| m.jumps.iter().map(|to| (c.name.clone(), to.clone())))
            })
            .collect();
        let dirs = resolve_directions(&base, &jumps);

        let mut out = TableRules {
            family: self.family.clone(),
            name: self.name.clone(),
            ..TableRules::default()
        };
        for (chain, rules) in self.chains.iter().zip(scanned) {
            let place = Place::new("nft", &self.family, &self.name, &chain.name, &dirs);
            if chain.hook.is_some() && chain.policy.as_deref() == Some("drop") {
                out.rules.push(place.policy(&chain.header));
            }
            out.total += rules.len();
            out.rules
                .extend(rules.into_iter().filter_map(|(text, handle, m)| {
                    place.rule(m, text).map(|r| FirewallRule { handle, ..r })
                }));
        }
        out
    }
}
