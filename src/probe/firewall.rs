//! Firewall rules on this host that could reject or drop a TCP connection.
//!
//! Reads `nft list ruleset`, `iptables-save` and `ip6tables-save` (plus the `-legacy-save`
//! tools when iptables says legacy tables exist), keeps every reject/drop rule and drop
//! policy, and answers which of them can hit a given port. Parsing is pure; only
//! [`read_rules`] and [`run`] touch the system.
//!
//! # Merge strategy
//!
//! With iptables-nft (Debian's default) the rules made with `iptables` live in nftables
//! tables named like iptables' own (`ip filter`, `ip6 nat`, ...), so both `iptables-save`
//! and `nft list ruleset` list them. For every table that an nf_tables-backed
//! `iptables-save`/`ip6tables-save` printed, we keep that copy and skip nft's table of the
//! same family and name: the person wrote those rules in iptables syntax, and nft shows the
//! extensions it cannot translate only as `xt match ...` or `# xt_...`, losing their ports.
//! Every other nft table (native nft, firewalld, a table iptables calls "incompatible")
//! comes from nft. Legacy iptables tables are separate kernel tables, so nothing is skipped
//! for them. The cost: a native nft rule put into an iptables-nft table (nft warns "do not
//! touch") is shown as iptables-save renders it, which can be coarser
//! (`tcp dport @set drop` becomes `-p tcp -j DROP`).
//!
//! # What a rule's fields mean
//!
//! Addresses, interfaces and connection states are ignored, so a rule is reported when it
//! *could* hit the port. A negated port match (`! --dport 22`, `tcp dport != 22`) is stored
//! as the ranges it does match. Ports that cannot be known (a set that is not listed, a
//! match nft prints only as `xt match`) leave the rule as "any port". A plain `reject`
//! gets the reply its tool sends by default, e.g. `icmp-port-unreachable`.

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};
use std::ffi::OsStr;
use std::future::poll_fn;
use std::io;
use std::iter::Peekable;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{ExitStatus, Stdio};
use std::str::Chars;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::process::Command;

/// Enough for tens of thousands of rules; a larger ruleset is cut rather than held whole.
const MAX_OUTPUT: usize = 4 << 20;
/// Error messages and warnings are short; more than this is noise.
const MAX_STDERR: usize = 64 << 10;
const NEEDS_ROOT: &str = "reading firewall rules needs root: run connfix with sudo";
/// A port match with more ranges than this is taken as "any port": it is a catch-all in
/// all but name, and keeping it would let one big set multiply across many rules.
const MAX_PORT_RANGES: usize = 1024;
/// Bit of CAP_NET_ADMIN in /proc/self/status `CapEff`.
const CAP_NET_ADMIN: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Reject,
    Drop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Input,
    Output,
    Forward,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirewallRule {
    /// "nft", "iptables", "ip6tables", or "iptables-legacy"/"ip6tables-legacy".
    pub tool: String,
    /// nft table family ("ip", "ip6", "inet", ...), or ip/ip6 for iptables.
    pub family: String,
    pub table: String,
    pub chain: String,
    /// From the chain's hook (nft) or built-in name (iptables); a user chain gets the
    /// direction of the built-in chains that jump to it when they all agree, else Other.
    pub direction: Direction,
    pub action: Action,
    /// The rule as the tool printed it (trimmed), shown to the person as evidence.
    pub text: String,
    /// "tcp", "udp", ...; None = any protocol; "!tcp" = any protocol but TCP.
    pub protocol: Option<String>,
    /// Destination port ranges (inclusive); empty = any port.
    pub dports: Vec<(u16, u16)>,
    /// Source port ranges; empty = any.
    pub sports: Vec<(u16, u16)>,
    /// True when this entry is a chain policy (":INPUT DROP", "policy drop;").
    pub default_policy: bool,
    /// e.g. "icmp-port-unreachable", "tcp-reset", "icmp-host-prohibited".
    pub reject_with: Option<String>,
    /// iptables: the rule's position in its chain (1 = first), as `-D CHAIN N` takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// nft: the rule's handle (from `nft -a`), as `delete rule ... handle N` takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<u64>,
}

impl FirewallRule {
    /// Could this rule hit a TCP connection to `port` (as destination port on the way in/out,
    /// or as source port of the server's replies)? A rule with no protocol and no port
    /// (e.g. `-A INPUT -j DROP`, or a policy) matches every port. Ignores addresses.
    pub fn affects_tcp_port(&self, port: u16) -> bool {
        let tcp = self.protocol.as_deref().is_none_or(|p| p == "tcp");
        let any_port = self.dports.is_empty() && self.sports.is_empty();
        tcp && (any_port || in_ranges(&self.dports, port) || in_ranges(&self.sports, port))
    }

    /// True for a rule that names the port (or a range containing it) explicitly and can hit
    /// TCP, as opposed to a catch-all rule or a policy. A negated match (`!= 22`) names every
    /// port but 22.
    pub fn names_port(&self, port: u16) -> bool {
        !self.default_policy
            && self.affects_tcp_port(port)
            && (in_ranges(&self.dports, port) || in_ranges(&self.sports, port))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirewallData {
    pub readable: bool,
    /// Which commands were read successfully, e.g. ["nft list ruleset", "iptables-save"].
    pub sources: Vec<String>,
    /// When nothing could be read: why, and what to do.
    pub unreadable_reason: Option<String>,
    /// All reject/drop rules and drop policies found (not filtered by port).
    pub rules: Vec<FirewallRule>,
    /// How many rules were seen in all (for the summary).
    pub total_rules: usize,
}

impl FirewallData {
    /// The rules that affect a TCP connection to `port`.
    pub fn affecting(&self, port: u16) -> Vec<&FirewallRule> {
        self.rules
            .iter()
            .filter(|r| r.affects_tcp_port(port))
            .collect()
    }

    fn unreadable(reason: impl Into<String>) -> FirewallData {
        FirewallData {
            unreadable_reason: Some(reason.into()),
            ..FirewallData::default()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Ports and protocols
// ---------------------------------------------------------------------------------------

type PortRange = (u16, u16);

const ALL_PORTS: PortRange = (0, u16::MAX);

fn in_ranges(ranges: &[PortRange], port: u16) -> bool {
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&port))
}

/// "80", "ssh", "8000:8100" (iptables; either end may be left out) or "8000-8100" (nft).
fn parse_port_range(s: &str) -> Option<PortRange> {
    if let Some(p) = parse_port(s) {
        return Some((p, p));
    }
    let (lo, hi) = s.split_once([':', '-'])?;
    let lo = if lo.is_empty() { 0 } else { parse_port(lo)? };
    let hi = if hi.is_empty() {
        u16::MAX
    } else {
        parse_port(hi)?
    };
    (lo <= hi).then_some((lo, hi))
}

fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok().or_else(|| service_port(s))
}

/// Older nft versions print well-known ports by name.
fn service_port(name: &str) -> Option<u16> {
    Some(match name {
        "ftp" => 21,
        "ssh" => 22,
        "telnet" => 23,
        "smtp" => 25,
        "domain" => 53,
        "http" => 80,
        "pop3" => 110,
        "imap" | "imap2" => 143,
        "https" => 443,
        "submission" => 587,
        "imaps" => 993,
        "pop3s" => 995,
        "mysql" => 3306,
        "postgresql" => 5432,
        "http-alt" => 8080,
        _ => return None,
    })
}

/// The ports a negated match (`! --dport 22`) does match.
fn complement(ranges: &[PortRange]) -> Vec<PortRange> {
    let mut out = Vec::new();
    let mut next: u32 = 0;
    for (lo, hi) in merge_ranges(ranges.to_vec()) {
        if u32::from(lo) > next {
            out.push((clamp_port(next), lo - 1));
        }
        next = u32::from(hi) + 1;
    }
    if next <= u32::from(u16::MAX) {
        out.push((clamp_port(next), u16::MAX));
    }
    out
}

fn clamp_port(n: u32) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Sorted, with overlapping and adjacent ranges joined.
fn merge_ranges(mut ranges: Vec<PortRange>) -> Vec<PortRange> {
    ranges.sort_unstable();
    let mut out: Vec<PortRange> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// A protocol as iptables (`-p 6`) or nft (`meta l4proto 6`) may print it; None = any.
fn protocol_name(p: &str) -> Option<String> {
    let name = match p.to_ascii_lowercase().as_str() {
        "all" | "any" => return None,
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => "icmp".to_string(),
        "58" => "ipv6-icmp".to_string(),
        other => other.to_string(),
    };
    Some(name)
}

/// The protocol a match on `values` leaves: with negation, only `!= tcp` excludes TCP.
fn protocol_match(values: &[&str], negated: bool) -> Option<String> {
    let names: Vec<String> = values.iter().filter_map(|v| protocol_name(v)).collect();
    let has_tcp = names.iter().any(|n| n == "tcp");
    if negated {
        has_tcp.then(|| "!tcp".to_string())
    } else if has_tcp {
        Some("tcp".to_string())
    } else {
        names.into_iter().next()
    }
}

fn target_action(target: &str) -> Option<Action> {
    match target.to_ascii_uppercase().as_str() {
        "REJECT" => Some(Action::Reject),
        "DROP" => Some(Action::Drop),
        _ => None,
    }
}

fn hook_direction(hook: &str) -> Direction {
    match hook.to_ascii_lowercase().as_str() {
        "input" => Direction::Input,
        "output" => Direction::Output,
        "forward" => Direction::Forward,
        _ => Direction::Other,
    }
}

// ---------------------------------------------------------------------------------------
// Shared pieces of both parsers
// ---------------------------------------------------------------------------------------

/// One word of a rule; quoted strings (comments, log prefixes) are never keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    quoted: bool,
}

/// Splits on whitespace, keeps "quoted strings" whole, and makes each `punct` char a word.
fn split_words(line: &str, punct: &[char]) -> Vec<Word> {
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

fn read_quoted(chars: &mut Peekable<Chars<'_>>) -> String {
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
fn bare(words: &[Word], i: usize) -> Option<&str> {
    words.get(i).filter(|w| !w.quoted).map(|w| w.text.as_str())
}

fn is_bare(words: &[Word], i: usize, text: &str) -> bool {
    bare(words, i) == Some(text)
}

/// What one rule matches and does, before it is placed in its table and chain.
#[derive(Debug, Default)]
struct Matches {
    action: Option<Action>,
    reject_with: Option<String>,
    protocol: Option<String>,
    dports: Vec<PortRange>,
    sports: Vec<PortRange>,
    /// Chains this rule jumps or goes to (or any other non-verdict target).
    jumps: Vec<String>,
}

impl Matches {
    /// Protocol matches in one rule must all hold, so one that excludes TCP wins.
    fn add_protocol(&mut self, protocol: Option<String>) {
        let keep = self.protocol.as_deref().is_some_and(|p| p != "tcp");
        if protocol.is_some() && !keep {
            self.protocol = protocol;
        }
    }
}

/// Where a rule sits: fixes its tool, family, table, chain and direction.
struct Place<'a> {
    tool: &'a str,
    family: &'a str,
    table: &'a str,
    chain: &'a str,
    direction: Direction,
}

impl<'a> Place<'a> {
    /// A chain's place; its direction from `dirs`, Other when unknown.
    fn new(
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
    fn rule(&self, m: Matches, text: &str) -> Option<FirewallRule> {
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

    fn policy(&self, text: &str) -> FirewallRule {
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
fn resolve_directions(
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
struct TableRules {
    family: String,
    name: String,
    rules: Vec<FirewallRule>,
    total: usize,
}

fn flatten(tables: impl IntoIterator<Item = TableRules>) -> (Vec<FirewallRule>, usize) {
    let mut rules = Vec::new();
    let mut total = 0;
    for t in tables {
        rules.extend(t.rules);
        total += t.total;
    }
    (rules, total)
}

// ---------------------------------------------------------------------------------------
// iptables-save
// ---------------------------------------------------------------------------------------

/// An iptables-save output, parsed.
#[derive(Debug, Default)]
struct SaveOutput {
    /// iptables-nft: its tables are also in `nft list ruleset`.
    nft_backed: bool,
    tables: Vec<TableRules>,
}

/// One `*table` section as printed.
#[derive(Debug, Default)]
struct SaveTable {
    name: String,
    /// Chain name, policy ("-" for user chains) and the `:CHAIN POLICY [p:b]` line.
    chains: Vec<(String, String, String)>,
    /// Chain name and rule text.
    rules: Vec<(String, String)>,
}

/// Parses `iptables-save` or `ip6tables-save` output (`tool` names which; "ip6..." means
/// family ip6). Returns the reject/drop rules and DROP policies, and how many rules there
/// were in all.
pub fn parse_iptables_save(text: &str, tool: &str) -> (Vec<FirewallRule>, usize) {
    flatten(parse_save(text, tool).tables)
}

fn parse_save(text: &str, tool: &str) -> SaveOutput {
    let mut nft_backed = false;
    let mut incompatible = HashSet::new();
    let mut tables: Vec<SaveTable> = Vec::new();
    let mut in_table = false;
    for line in text.lines().map(str::trim) {
        if let Some(comment) = line.strip_prefix('#') {
            nft_backed |= is_nft_backed_header(comment);
            incompatible.extend(incompatible_table(comment));
        } else if let Some(name) = line.strip_prefix('*') {
            tables.push(SaveTable {
                name: name.trim().to_string(),
                ..SaveTable::default()
            });
            in_table = true;
        } else if line == "COMMIT" {
            in_table = false;
        } else if let Some(table) = tables.last_mut().filter(|_| in_table) {
            table.add_line(line);
        }
    }
    let family = if tool.starts_with("ip6") { "ip6" } else { "ip" };
    SaveOutput {
        nft_backed,
        // iptables-nft still prints a `*table` it called incompatible, but without the
        // chains it could not show: nft lists that table instead.
        tables: tables
            .into_iter()
            .filter(|t| !incompatible.contains(&t.name))
            .map(|t| t.into_rules(tool, family))
            .collect(),
    }
}

/// "Generated by iptables-save v1.8.9 (nf_tables)"; 1.8.0-1.8.2 said "xtables-save".
/// Legacy prints "(legacy)" or nothing.
fn is_nft_backed_header(comment: &str) -> bool {
    let comment = comment.trim();
    comment.starts_with("Generated by")
        && (comment.contains("(nf_tables)") || comment.contains("xtables"))
}

/// "# Table `security' contains incompatible base-chains, use 'nft' tool to list them."
fn incompatible_table(comment: &str) -> Option<String> {
    let rest = comment.trim().strip_prefix("Table `")?;
    let (name, tail) = rest.split_once('\'')?;
    tail.contains("incompatible").then(|| name.to_string())
}

impl SaveTable {
    fn add_line(&mut self, line: &str) {
        // `iptables-save -c` puts "[packets:bytes]" first.
        let line = match line.strip_prefix('[') {
            Some(rest) => rest.split_once(']').map_or(line, |(_, r)| r.trim_start()),
            None => line,
        };
        if let Some(decl) = line.strip_prefix(':') {
            let mut words = decl.split_whitespace();
            if let (Some(name), Some(policy)) = (words.next(), words.next()) {
                let chain = (name.to_string(), policy.to_string(), line.to_string());
                self.chains.push(chain);
            }
        } else if let Some(rest) = line.strip_prefix("-A ")
            && let Some(chain) = rest.split_whitespace().next()
        {
            self.rules.push((chain.to_string(), line.to_string()));
        }
    }

    fn into_rules(self, tool: &str, family: &str) -> TableRules {
        let default_reject = if family == "ip6" {
            "icmp6-port-unreachable"
        } else {
            "icmp-port-unreachable"
        };
        let user_chains: HashSet<&str> = self
            .chains
            .iter()
            .filter(|(_, policy, _)| policy == "-")
            .map(|(name, _, _)| name.as_str())
            .collect();
        let base: HashMap<String, Direction> = self
            .chains
            .iter()
            .filter(|(_, policy, _)| policy != "-")
            .map(|(name, _, _)| (name.clone(), hook_direction(name)))
            .collect();
        let scanned: Vec<(&str, &str, Matches)> = self
            .rules
            .iter()
            .map(|(chain, text)| (chain.as_str(), text.as_str(), scan_iptables_rule(text)))
            .collect();
        let jumps: Vec<(String, String)> = scanned
            .iter()
            .flat_map(|(chain, _, m)| m.jumps.iter().map(|to| (chain.to_string(), to.clone())))
            .filter(|(_, to)| user_chains.contains(to.as_str()))
            .collect();
        let dirs = resolve_directions(&base, &jumps);
        let place = |chain| Place::new(tool, family, &self.name, chain, &dirs);

        let policies = self
            .chains
            .iter()
            .filter(|(_, policy, _)| policy.eq_ignore_ascii_case("DROP"))
            .map(|(name, _, line)| place(name).policy(line));
        let total = scanned.len();
        // Every rule counts towards its chain's numbering, not only reject/drop ones.
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let rules = scanned.into_iter().filter_map(|(chain, text, mut m)| {
            let n = numbers.entry(chain).or_default();
            *n += 1;
            let number = *n;
            if m.action == Some(Action::Reject) && m.reject_with.is_none() {
                m.reject_with = Some(default_reject.to_string());
            }
            place(chain).rule(m, text).map(|r| FirewallRule {
                number: Some(number),
                ..r
            })
        });
        TableRules {
            family: family.to_string(),
            name: self.name.clone(),
            rules: policies.chain(rules).collect(),
            total,
        }
    }
}

/// Reads the options of one `-A CHAIN ...` line that matter here.
fn scan_iptables_rule(line: &str) -> Matches {
    let words = split_words(line, &[]);
    let mut m = Matches::default();
    let mut negate = false;
    let mut i = 0;
    while let Some(word) = words.get(i) {
        if word.quoted {
            i += 1;
            negate = false;
            continue;
        }
        let value = words.get(i + 1).map(|w| w.text.as_str());
        let mut used = 1;
        match (word.text.as_str(), value) {
            ("!", _) => {
                negate = true;
                i += 1;
                continue;
            }
            ("-p" | "--protocol", Some(v)) => {
                m.add_protocol(protocol_match(&[v], negate));
                used = 2;
            }
            ("--dport" | "--destination-port" | "--dports" | "--destination-ports", Some(v)) => {
                m.dports.extend(iptables_ports(v, negate));
                used = 2;
            }
            ("--sport" | "--source-port" | "--sports" | "--source-ports", Some(v)) => {
                m.sports.extend(iptables_ports(v, negate));
                used = 2;
            }
            // multiport --ports: either port may match.
            ("--ports", Some(v)) => {
                m.dports.extend(iptables_ports(v, negate));
                m.sports.extend(iptables_ports(v, negate));
                used = 2;
            }
            ("-j" | "--jump" | "-g" | "--goto", Some(v)) => {
                match target_action(v) {
                    Some(action) => m.action = Some(action),
                    None => m.jumps.push(v.to_string()),
                }
                used = 2;
            }
            ("--reject-with", Some(v)) => {
                m.reject_with = Some(v.to_string());
                used = 2;
            }
            _ => {}
        }
        negate = false;
        i += used;
    }
    m
}

/// "22", "5000:5010" or a multiport list "80,443,8000:8100".
fn iptables_ports(value: &str, negate: bool) -> Vec<PortRange> {
    let ranges: Vec<PortRange> = value.split(',').filter_map(parse_port_range).collect();
    if negate && !ranges.is_empty() {
        complement(&ranges)
    } else {
        ranges
    }
}

// ---------------------------------------------------------------------------------------
// nft list ruleset: structure
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct NftTable {
    family: String,
    name: String,
    /// `flags dormant`: the table is switched off and its rules do nothing.
    dormant: bool,
    chains: Vec<NftChain>,
    /// Named sets and maps, parsed once.
    named: HashMap<String, Vec<Element>>,
}

#[derive(Debug, Default)]
struct NftChain {
    name: String,
    hook: Option<String>,
    policy: Option<String>,
    /// The `type ... hook ...; policy ...;` line, evidence for a policy entry.
    header: String,
    /// Each rule's text and its handle (when listed with `nft -a`).
    rules: Vec<(String, Option<u64>)>,
}

enum Block {
    Table,
    Chain,
    Named(String),
    Other,
}

enum Header<'a> {
    Table { family: &'a str, name: &'a str },
    Chain(&'a str),
    Named(&'a str),
    Other,
}

/// Objects besides tables, chains, sets and maps that open a block in a listing.
const OTHER_BLOCKS: [&str; 7] = [
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

fn parse_nft_tables(text: &str) -> Vec<TableRules> {
    parse_nft_structure(text)
        .iter()
        .filter(|t| !t.dormant)
        .map(NftTable::rules)
        .collect()
}

/// Reads the block structure line by line. A statement whose braces do not close on its
/// line (long set elements wrap) is joined with the following lines first; its balance is
/// kept as it grows, so a long one costs no more than its length.
fn parse_nft_structure(text: &str) -> Vec<NftTable> {
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
fn split_handle(line: &str) -> (&str, Option<u64>) {
    match line.rfind("# handle ") {
        Some(i) if line[i + 9..].trim().bytes().all(|b| b.is_ascii_digit()) => {
            (line[..i].trim_end(), line[i + 9..].trim().parse().ok())
        }
        _ => (line, None),
    }
}

/// Opened minus closed braces, outside quoted strings.
fn brace_balance(s: &str) -> i64 {
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

fn block_header(statement: &str) -> Option<Header<'_>> {
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

fn apply_statement(
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

fn open_block(header: Header<'_>, tables: &mut Vec<NftTable>) -> Block {
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
    fn add_statement(&mut self, statement: &str, handle: Option<u64>) {
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
    fn rules(&self) -> TableRules {
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

// ---------------------------------------------------------------------------------------
// nft list ruleset: one rule
// ---------------------------------------------------------------------------------------

/// Selector prefixes whose `dport`/`sport` is a port; `th` is any transport protocol.
const PORT_PROTOCOLS: [&str; 6] = ["tcp", "udp", "sctp", "dccp", "udplite", "th"];
/// Prefixes that, followed by a header field, restrict the rule to their protocol.
const L4_KEYWORDS: [&str; 8] = [
    "tcp", "udp", "sctp", "dccp", "udplite", "icmp", "icmpv6", "igmp",
];
/// Meta shorthands of one word, so a concatenation (`iifname . tcp dport`) can be walked.
const ONE_WORD_SELECTORS: [&str; 16] = [
    "iifname", "oifname", "iif", "oif", "iiftype", "oiftype", "mark", "priority", "skuid", "skgid",
    "nfproto", "l4proto", "pkttype", "cpu", "iifgroup", "oifgroup",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PortField {
    Dst,
    Src,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A set element: its key's parts (one per concatenated field) and, in a verdict map, the
/// verdict words.
#[derive(Debug, Default)]
struct Element {
    parts: Vec<String>,
    verdict: Vec<String>,
}

/// Port ranges read from one field of a set or map.
#[derive(Debug, Clone, Default)]
struct SetPorts {
    ranges: Vec<PortRange>,
    /// For a verdict map: what its matching elements do, and the chains it jumps to.
    action: Option<Action>,
    jumps: Vec<String>,
}

/// Scans the rules of one table. What a named set gives for a field is read once and
/// remembered, so a big set used by many rules keeps the scan linear.
struct NftScanner<'a> {
    named: &'a HashMap<String, Vec<Element>>,
    default_reject: &'a str,
    /// (set, field, width, vmap) -> ports.
    memo: HashMap<(String, usize, usize, bool), SetPorts>,
}

impl<'a> NftScanner<'a> {
    fn new(named: &'a HashMap<String, Vec<Element>>, default_reject: &'a str) -> Self {
        NftScanner {
            named,
            default_reject,
            memo: HashMap::new(),
        }
    }

    /// Reads one rule left to right; each step returns where the next one starts.
    fn scan(&mut self, rule: &str) -> Matches {
        let words = split_words(rule, &['{', '}', ',']);
        let mut m = Matches::default();
        let mut i = 0;
        while let Some(word) = words.get(i) {
            i = if word.quoted {
                i + 1
            } else {
                self.step(&words, i, &mut m)
            };
        }
        m
    }

    fn step(&mut self, words: &[Word], i: usize, m: &mut Matches) -> usize {
        let word = bare(words, i).unwrap_or_default();
        let next = bare(words, i + 1);
        match (word, next) {
            ("{", _) => group_end(words, i) + 1,
            ("drop", _) => {
                m.action = Some(Action::Drop);
                i + 1
            }
            ("reject", _) => nft_reject(words, i + 1, self.default_reject, m),
            ("jump" | "goto", Some(target)) => {
                m.jumps.push(target.trim_matches('"').to_string());
                i + 2
            }
            // Untranslated iptables targets: `xt target "REJECT"`, or older nft's `# xt_REJECT`.
            ("xt", Some("target")) => {
                let name = words.get(i + 2).map_or("", |w| w.text.as_str());
                if let Some(action) = target_action(name) {
                    m.action = Some(action);
                }
                i + 3
            }
            (w, _) if w.starts_with("xt_") => {
                if let Some(action) = w.strip_prefix("xt_").and_then(target_action) {
                    m.action = Some(action);
                }
                i + 1
            }
            (p, Some("dport" | "sport")) if PORT_PROTOCOLS.contains(&p) => {
                self.port_match(words, i, m)
            }
            ("meta", Some("l4proto")) | ("ip", Some("protocol")) | ("ip6", Some("nexthdr")) => {
                l4proto_match(words, i + 2, m)
            }
            (p, Some(_)) if L4_KEYWORDS.contains(&p) => {
                m.add_protocol(Some(p.to_string()));
                i + 1
            }
            _ => i + 1,
        }
    }

    /// A port match starting at `start` (`tcp dport`), possibly part of a concatenation
    /// (`ip saddr . tcp dport`), compared with a value, a set, a named set or a verdict map.
    fn port_match(&mut self, words: &[Word], start: usize, m: &mut Matches) -> usize {
        let (fields, after) = concat_fields(words, start, m);
        // `tcp dport set 80` rewrites, `tcp dport map {...}` looks up: neither is a match.
        if matches!(bare(words, after), Some("set" | "map")) {
            return after + 1;
        }
        let (op, at) = operator(words, after);
        let vmap = is_bare(words, at, "vmap");
        let at = if vmap { at + 1 } else { at };
        let width = fields.len();
        let (value, end) = value_at(words, at, width);
        for (k, field) in fields.iter().enumerate() {
            let Some(field) = field else {
                continue;
            };
            let ports = match &value {
                Value::Named(name) => self.named_ports(name, k, width, vmap),
                Value::Elements(elements) => set_ports(elements, k, width, vmap),
            };
            if ports.action.is_some() {
                m.action = ports.action;
            }
            m.jumps.extend(ports.jumps);
            let ranges = apply_op(ports.ranges, op);
            match field {
                PortField::Dst => m.dports.extend(ranges),
                PortField::Src => m.sports.extend(ranges),
            }
        }
        end
    }

    fn named_ports(&mut self, name: &str, k: usize, width: usize, vmap: bool) -> SetPorts {
        let named = self.named;
        self.memo
            .entry((name.to_string(), k, width, vmap))
            .or_insert_with(|| {
                let elements = named.get(name).map_or(&[][..], Vec::as_slice);
                set_ports(elements, k, width, vmap)
            })
            .clone()
    }
}

/// `meta l4proto tcp`, `ip protocol != udp`, `meta l4proto { tcp, udp }`; `i` is the word
/// after the selector.
fn l4proto_match(words: &[Word], i: usize, m: &mut Matches) -> usize {
    // Part of a concatenation (`meta l4proto . th dport`): its values are in the set.
    if is_bare(words, i, ".") {
        return i;
    }
    let (op, at) = operator(words, i);
    let (values, end) = value_list(words, at);
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    m.add_protocol(protocol_match(&values, op == Op::Ne));
    end
}

/// `reject`, `reject with tcp reset`, `reject with icmp type host-prohibited`,
/// `reject with icmpx admin-prohibited`; `i` is the word after `reject`.
fn nft_reject(words: &[Word], i: usize, default_reject: &str, m: &mut Matches) -> usize {
    m.action = Some(Action::Reject);
    if !is_bare(words, i, "with") {
        m.reject_with = Some(default_reject.to_string());
        return i;
    }
    let Some(kind) = bare(words, i + 1) else {
        return i + 1;
    };
    let mut at = i + 2;
    if is_bare(words, at, "type") {
        at += 1;
    }
    let code = bare(words, at).unwrap_or("port-unreachable");
    m.reject_with = Some(format!("{kind}-{code}"));
    at + 1
}

/// The fields of the concatenation the selector at `start` belongs to (None for fields
/// that are not ports), and the index after the last one.
fn concat_fields(words: &[Word], start: usize, m: &mut Matches) -> (Vec<Option<PortField>>, usize) {
    let mut fields = vec![None; fields_before(words, start)];
    let mut i = start;
    loop {
        match port_selector(words, i) {
            Some((proto, field)) => {
                if proto != "th" {
                    m.add_protocol(Some(proto.to_string()));
                }
                fields.push(Some(field));
                i += 2;
            }
            None => {
                fields.push(None);
                i += selector_len(words, i);
            }
        }
        if !is_bare(words, i, ".") {
            return (fields, i);
        }
        i += 1;
    }
}

fn port_selector(words: &[Word], i: usize) -> Option<(&str, PortField)> {
    let proto = bare(words, i).filter(|p| PORT_PROTOCOLS.contains(p))?;
    match bare(words, i + 1)? {
        "dport" => Some((proto, PortField::Dst)),
        "sport" => Some((proto, PortField::Src)),
        _ => None,
    }
}

fn selector_len(words: &[Word], i: usize) -> usize {
    match bare(words, i) {
        Some(w) if ONE_WORD_SELECTORS.contains(&w) => 1,
        _ => 2,
    }
}

/// How many concatenated fields (`ip6 saddr . `) stand before the selector at `start`.
fn fields_before(words: &[Word], start: usize) -> usize {
    let mut count = 0;
    let mut i = start;
    while i > 0 && is_bare(words, i - 1, ".") {
        count += 1;
        let dot = i - 1;
        // `l4proto` alone is one word, `meta l4proto` two.
        let one_word = dot >= 1
            && bare(words, dot - 1).is_some_and(|w| ONE_WORD_SELECTORS.contains(&w))
            && (dot < 2 || !is_bare(words, dot - 2, "meta"));
        i = dot.saturating_sub(if one_word { 1 } else { 2 });
    }
    count
}

fn operator(words: &[Word], i: usize) -> (Op, usize) {
    let op = match bare(words, i) {
        Some("==" | "eq") => Op::Eq,
        Some("!=" | "ne") => Op::Ne,
        Some("<" | "lt") => Op::Lt,
        Some("<=" | "le") => Op::Le,
        Some(">" | "gt") => Op::Gt,
        Some(">=" | "ge") => Op::Ge,
        _ => return (Op::Eq, i),
    };
    (op, i + 1)
}

/// Index of the `}` closing the `{` at `open` (or the end, if it never closes).
fn group_end(words: &[Word], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, w) in words.iter().enumerate().skip(open) {
        match (w.quoted, w.text.as_str()) {
            (false, "{") => depth += 1,
            (false, "}") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    words.len()
}

/// `tcp`, `{ tcp, udp }` or `established,related`: the first word of each element.
fn value_list(words: &[Word], i: usize) -> (Vec<String>, usize) {
    if is_bare(words, i, "{") {
        let end = group_end(words, i);
        let inner = words.get(i + 1..end).unwrap_or_default();
        let values = parse_elements(inner)
            .into_iter()
            .filter_map(|e| e.parts.into_iter().next())
            .collect();
        return (values, end + 1);
    }
    let mut values = Vec::new();
    let mut at = i;
    while let Some(w) = words.get(at) {
        values.push(w.text.clone());
        if !is_bare(words, at + 1, ",") {
            break;
        }
        at += 2;
    }
    (values, at + 1)
}

/// What a port match compares with.
enum Value {
    /// `@name`: looked up in the table's named sets.
    Named(String),
    /// An anonymous set, or a literal as one element.
    Elements(Vec<Element>),
}

/// The value at `i`: an anonymous set `{ ... }`, a named set `@name`, or a literal of
/// `width` concatenated parts (`22`, `::1 . 22`).
fn value_at(words: &[Word], i: usize, width: usize) -> (Value, usize) {
    if is_bare(words, i, "{") {
        let end = group_end(words, i);
        let inner = words.get(i + 1..end).unwrap_or_default();
        return (Value::Elements(parse_elements(inner)), end + 1);
    }
    if let Some(name) = bare(words, i).and_then(|w| w.strip_prefix('@')) {
        return (Value::Named(name.to_string()), i + 1);
    }
    let mut parts = Vec::new();
    let mut at = i;
    while let Some(w) = words.get(at) {
        parts.push(w.text.clone());
        if parts.len() >= width || !is_bare(words, at + 1, ".") {
            break;
        }
        at += 2;
    }
    let element = Element {
        parts,
        verdict: Vec::new(),
    };
    (Value::Elements(vec![element]), at + 1)
}

/// The elements of a named set or map, from the text after `elements =`.
fn named_elements(text: &str) -> Vec<Element> {
    let words = split_words(text, &['{', '}', ',']);
    match words.iter().position(|w| !w.quoted && w.text == "{") {
        Some(open) => {
            let end = group_end(&words, open);
            parse_elements(words.get(open + 1..end).unwrap_or_default())
        }
        None => Vec::new(),
    }
}

/// Splits the inside of `{ ... }` into elements at top-level commas; each element into key
/// parts at ` . ` and, in a verdict map, the verdict after ` : `.
fn parse_elements(words: &[Word]) -> Vec<Element> {
    let mut elements = Vec::new();
    let mut current = Element::default();
    let mut in_verdict = false;
    let mut new_part = true;
    let mut depth = 0usize;
    for w in words {
        let text = if w.quoted { "" } else { w.text.as_str() };
        match text {
            "{" => depth += 1,
            "}" => depth = depth.saturating_sub(1),
            "," if depth == 0 => {
                elements.push(std::mem::take(&mut current));
                in_verdict = false;
                new_part = true;
            }
            ":" if depth == 0 => in_verdict = true,
            "." if depth == 0 && !in_verdict => new_part = true,
            _ if in_verdict => current.verdict.push(w.text.clone()),
            // Words after a part's first (`timeout 1h`, `counter packets 0`) describe it.
            _ if new_part && depth == 0 => {
                current.parts.push(w.text.clone());
                new_part = false;
            }
            _ => {}
        }
    }
    if !current.parts.is_empty() {
        elements.push(current);
    }
    elements
}

/// The ports field `k` of `width` concatenated fields takes in `elements`. In a verdict map
/// only elements that drop or reject count, and they give the action. In a concatenation a
/// full range means "any" for that field and is left out. More than [`MAX_PORT_RANGES`]
/// ranges count as "any port": as a catch-all the rule is still reported.
fn set_ports(elements: &[Element], k: usize, width: usize, vmap: bool) -> SetPorts {
    let mut out = SetPorts::default();
    let mut ranges = Vec::new();
    for e in elements {
        if vmap {
            let action = match e.verdict.first().map(String::as_str) {
                Some("drop") => Action::Drop,
                Some("reject") => Action::Reject,
                Some("jump" | "goto") => {
                    out.jumps.extend(e.verdict.get(1).cloned());
                    continue;
                }
                _ => continue,
            };
            out.action.get_or_insert(action);
        }
        let range = e.parts.get(k).and_then(|p| parse_port_range(p));
        ranges.extend(range.filter(|r| !(width > 1 && *r == ALL_PORTS)));
    }
    out.jumps.sort_unstable();
    out.jumps.dedup();
    let ranges = merge_ranges(ranges);
    if ranges.len() <= MAX_PORT_RANGES {
        out.ranges = ranges;
    }
    out
}

/// Applies a comparison to the ranges of a match; `<`, `>` and friends take one value.
fn apply_op(ranges: Vec<PortRange>, op: Op) -> Vec<PortRange> {
    let Some(&(lo, hi)) = ranges.first() else {
        return ranges;
    };
    match op {
        Op::Eq => ranges,
        Op::Ne => complement(&ranges),
        Op::Lt => lo.checked_sub(1).map(|p| vec![(0, p)]).unwrap_or_default(),
        Op::Le => vec![(0, hi)],
        Op::Gt => hi
            .checked_add(1)
            .map(|p| vec![(p, u16::MAX)])
            .unwrap_or_default(),
        Op::Ge => vec![(lo, u16::MAX)],
    }
}

// ---------------------------------------------------------------------------------------
// Merging the sources
// ---------------------------------------------------------------------------------------

/// Joins iptables-save outputs and nft's tables, skipping the nft tables an nf_tables-backed
/// iptables-save already printed (see the module docs).
fn merge(saves: Vec<SaveOutput>, nft: Option<Vec<TableRules>>) -> (Vec<FirewallRule>, usize) {
    let managed: HashSet<(String, String)> = saves
        .iter()
        .filter(|s| s.nft_backed)
        .flat_map(|s| s.tables.iter().map(|t| (t.family.clone(), t.name.clone())))
        .collect();
    let nft_only = nft
        .into_iter()
        .flatten()
        .filter(|t| !managed.contains(&(t.family.clone(), t.name.clone())));
    flatten(saves.into_iter().flat_map(|s| s.tables).chain(nft_only))
}

// ---------------------------------------------------------------------------------------
// Running the tools
// ---------------------------------------------------------------------------------------

/// What one command printed; `cut` when stdout passed [`MAX_OUTPUT`].
#[derive(Debug)]
struct Output {
    stdout: String,
    stderr: String,
    cut: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum Failure {
    Missing(String),
    Denied(String),
    Other(String),
}

/// Reads the firewall rules of this host: `nft list ruleset`, `iptables-save` and
/// `ip6tables-save` at once, each bounded by `timeout`, merged as the module docs describe.
/// Never fails: a missing tool or a refusal is fine while another source works; when none
/// does, or without root, `readable` is false and `unreadable_reason` says what to do.
pub async fn read_rules(timeout: Duration) -> FirewallData {
    read_rules_with(&[], timeout).await
}

/// [`read_rules`] with every command run as `prefix... command`, so a test can read a
/// network namespace's rules through `ip netns exec NS`.
async fn read_rules_with(prefix: &[&str], timeout: Duration) -> FirewallData {
    if !may_read_rules() {
        return FirewallData::unreadable(NEEDS_ROOT);
    }
    let deadline = Instant::now() + timeout;
    let (nft, v4, v6) = tokio::join!(
        run_tool(prefix, "nft", &["-a", "list", "ruleset"], timeout),
        run_tool(prefix, "iptables-save", &[], timeout),
        run_tool(prefix, "ip6tables-save", &[], timeout),
    );
    let (legacy4, legacy6) = tokio::join!(
        legacy_follow_up(prefix, &v4, "iptables-legacy-save", deadline),
        legacy_follow_up(prefix, &v6, "ip6tables-legacy-save", deadline),
    );

    let mut reading = Reading::default();
    reading.add_save("iptables-save", "iptables", v4);
    reading.add_save("ip6tables-save", "ip6tables", v6);
    if let Some(result) = legacy4 {
        reading.add_save("iptables-legacy-save", "iptables-legacy", result);
    }
    if let Some(result) = legacy6 {
        reading.add_save("ip6tables-legacy-save", "ip6tables-legacy", result);
    }
    reading.add_nft(nft);
    reading.finish()
}

/// iptables-nft warns when legacy tables exist too; those are only seen by the legacy tool.
/// It gets what is left until `deadline`, so the whole read stays within one timeout.
async fn legacy_follow_up(
    prefix: &[&str],
    save: &Result<Output, Failure>,
    tool: &str,
    deadline: Instant,
) -> Option<Result<Output, Failure>> {
    let warned = save
        .as_ref()
        .is_ok_and(|out| out.stderr.contains("legacy tables present"));
    if warned {
        let left = deadline.saturating_duration_since(Instant::now());
        Some(run_tool(prefix, tool, &[], left).await)
    } else {
        None
    }
}

/// Collects what each command gave.
#[derive(Default)]
struct Reading {
    sources: Vec<String>,
    failures: Vec<(String, Failure)>,
    saves: Vec<SaveOutput>,
    nft: Option<Vec<TableRules>>,
}

impl Reading {
    fn add_save(&mut self, command: &str, tool: &str, result: Result<Output, Failure>) {
        if let Some(out) = self.note(command, result) {
            self.saves.push(parse_save(&out.stdout, tool));
        }
    }

    fn add_nft(&mut self, result: Result<Output, Failure>) {
        if let Some(out) = self.note("nft list ruleset", result) {
            self.nft = Some(parse_nft_tables(&out.stdout));
        }
    }

    fn note(&mut self, command: &str, result: Result<Output, Failure>) -> Option<Output> {
        match result {
            Ok(out) => {
                let cut = if out.cut {
                    format!(" (only its first {} MiB)", MAX_OUTPUT >> 20)
                } else {
                    String::new()
                };
                self.sources.push(format!("{command}{cut}"));
                Some(out)
            }
            Err(failure) => {
                self.failures.push((command.to_string(), failure));
                None
            }
        }
    }

    fn finish(self) -> FirewallData {
        if self.sources.is_empty() {
            return FirewallData::unreadable(unreadable_reason(&self.failures));
        }
        let (rules, total_rules) = merge(self.saves, self.nft);
        FirewallData {
            readable: true,
            sources: self.sources,
            unreadable_reason: None,
            rules,
            total_rules,
        }
    }
}

fn unreadable_reason(failures: &[(String, Failure)]) -> String {
    if failures
        .iter()
        .any(|(_, f)| matches!(f, Failure::Denied(_)))
    {
        return NEEDS_ROOT.to_string();
    }
    if failures
        .iter()
        .all(|(_, f)| matches!(f, Failure::Missing(_)))
    {
        return "neither nft nor iptables-save is installed, so the firewall rules could not \
                be read: install nftables (or iptables) and run connfix again"
            .to_string();
    }
    let details: Vec<String> = failures
        .iter()
        .map(|(command, f)| match f {
            Failure::Missing(msg) | Failure::Denied(msg) | Failure::Other(msg) => {
                format!("{command}: {msg}")
            }
        })
        .collect();
    format!(
        "the firewall rules could not be read ({}); run `sudo nft list ruleset` to see why",
        details.join("; ")
    )
}

/// Root, or a process granted CAP_NET_ADMIN, may list the rules. Read from /proc so the
/// module needs no libc; if /proc cannot tell, the tools will.
fn may_read_rules() -> bool {
    let Some(uids) = super::self_status("Uid:") else {
        return true;
    };
    let net_admin = super::self_status("CapEff:")
        .and_then(|w| w.first().and_then(|hex| u64::from_str_radix(hex, 16).ok()))
        .is_some_and(|caps| caps & (1 << CAP_NET_ADMIN) != 0);
    uids.get(1).is_some_and(|id| id == "0") || net_admin
}

/// Runs `prefix... tool args...` bounded by `timeout`, keeping at most [`MAX_OUTPUT`] of
/// stdout. A cut output is still returned: what was read is real.
async fn run_tool(
    prefix: &[&str],
    tool: &str,
    args: &[&str],
    timeout: Duration,
) -> Result<Output, Failure> {
    let program =
        find_program(tool).ok_or_else(|| Failure::Missing(format!("{tool} is not installed")))?;
    let mut argv: Vec<&OsStr> = prefix.iter().map(OsStr::new).collect();
    argv.push(program.as_os_str());
    argv.extend(args.iter().map(OsStr::new));
    let (first, rest) = argv
        .split_first()
        .ok_or_else(|| Failure::Missing(tool.to_string()))?;
    let mut command = Command::new(first);
    command
        .args(rest)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    match tokio::time::timeout(timeout, capture(command)).await {
        Err(_) => Err(Failure::Other(format!(
            "no answer within {:.1} s",
            timeout.as_secs_f64()
        ))),
        Ok(Err(e)) if e.kind() == io::ErrorKind::PermissionDenied => {
            Err(Failure::Denied(e.to_string()))
        }
        Ok(Err(e)) => Err(Failure::Other(e.to_string())),
        Ok(Ok((status, out))) if status.success() || out.cut => Ok(out),
        Ok(Ok((status, out))) => Err(command_failure(status, &out.stderr)),
    }
}

async fn capture(mut command: Command) -> io::Result<(ExitStatus, Output)> {
    let mut child = command.spawn()?;
    let (stdout, stderr) = tokio::join!(
        read_capped(child.stdout.take(), MAX_OUTPUT),
        read_capped(child.stderr.take(), MAX_STDERR),
    );
    let cut = stdout.1;
    if cut {
        // It may still be writing; the rest is not wanted.
        let _ = child.start_kill();
    }
    let status = child.wait().await?;
    Ok((
        status,
        Output {
            stdout: String::from_utf8_lossy(&stdout.0).into_owned(),
            stderr: String::from_utf8_lossy(&stderr.0).into_owned(),
            cut,
        },
    ))
}

/// Reads until EOF or `cap` bytes, and tells whether there was more. Returning drops the
/// pipe, so a writer with more to say gets EPIPE instead of blocking.
async fn read_capped<R: AsyncRead + Unpin>(reader: Option<R>, cap: usize) -> (Vec<u8>, bool) {
    let Some(mut reader) = reader else {
        return (Vec::new(), false);
    };
    let mut data = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let mut buf = ReadBuf::new(&mut chunk);
        let read = poll_fn(|cx| Pin::new(&mut reader).poll_read(cx, &mut buf)).await;
        let got = buf.filled();
        match read {
            Ok(()) if got.is_empty() => return (data, false),
            Ok(()) => {
                let room = cap - data.len();
                data.extend_from_slice(&got[..got.len().min(room)]);
                if got.len() > room {
                    return (data, true);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return (data, false),
        }
    }
}

fn command_failure(status: ExitStatus, stderr: &str) -> Failure {
    let message = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("# Warning"))
        .map_or_else(|| format!("failed ({status})"), str::to_string);
    let lower = message.to_ascii_lowercase();
    if lower.contains("permission denied")
        || lower.contains("operation not permitted")
        || lower.contains("must be root")
    {
        Failure::Denied(message)
    } else {
        Failure::Other(message)
    }
}

/// The tools live in sbin, which an ordinary PATH (as under some sudo setups) lacks.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

// ---------------------------------------------------------------------------------------
// The probe
// ---------------------------------------------------------------------------------------

/// The firewall probe: reads the rules and reports those that could hit TCP `port`.
pub async fn run(port: u16, timeout: Duration) -> ProbeReport {
    let start = Instant::now();
    let data = read_rules(timeout).await;
    let (status, summary) = summarize(&data, port);
    ProbeReport {
        id: ProbeId::Firewall,
        status,
        summary,
        elapsed_ms: ms_since(start),
        data: ProbeData::Firewall(data),
    }
}

/// A problem when a rule names the port; catch-all rules and drop policies only count as
/// context, since an earlier accept rule may let the port through.
pub fn summarize(d: &FirewallData, port: u16) -> (Status, String) {
    if !d.readable {
        let reason = d.unreadable_reason.as_deref().unwrap_or("unknown reason");
        return (Status::Skipped, format!("skipped: {reason}"));
    }
    let read = format!("{} rules read from {}", d.total_rules, d.sources.join(", "));
    let hits = d.affecting(port);
    let (named, general): (Vec<&FirewallRule>, Vec<&FirewallRule>) =
        hits.iter().partition(|r| r.names_port(port));
    let policies = general.iter().filter(|r| r.default_policy).count();
    let catch_all = general.len() - policies;
    let others: Vec<String> = [
        (catch_all, "catch-all rule", "catch-all rules"),
        (policies, "drop policy", "drop policies"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    let context = if others.is_empty() {
        String::new()
    } else {
        format!("; {} could also apply", others.join(" and "))
    };
    match named.first() {
        Some(first) => (
            Status::Problem,
            format!(
                "{} {} TCP port {port}, e.g. {} {}/{}: {}{context}; {read}",
                named.len(),
                if named.len() == 1 {
                    "rule rejects or drops"
                } else {
                    "rules reject or drop"
                },
                first.tool,
                first.table,
                first.chain,
                first.text
            ),
        ),
        None => (
            Status::Ok,
            format!("no rule names TCP port {port}{context}; {read}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real outputs captured in a scratch network namespace on Debian 12 (iptables v1.8.9
    // nf_tables, nftables v1.0.6), trimmed to the parts each test needs.

    /// `iptables -A INPUT -p tcp --dport 8080 -j REJECT`, `--reject-with tcp-reset`,
    /// `icmp-host-prohibited`, `-j DROP`, multiport, a user chain, `-P INPUT DROP`, ...
    const IPTABLES_SAVE: &str = r#"# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:23:37 2026
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 4444 -j DROP
COMMIT
# Completed on Sat Nov 21 13:23:37 2026
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:23:37 2026
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:MYCHAIN - [0:0]
-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m tcp --dport 8081 -j REJECT --reject-with tcp-reset
-A INPUT -p tcp -m tcp --dport 8082 -j REJECT --reject-with icmp-host-prohibited
-A INPUT -p tcp -m tcp --dport 8083 -j DROP
-A INPUT -p tcp -m multiport --dports 80,443,8000:8100 -j DROP
-A INPUT -p udp -m udp --dport 53 -j DROP
-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j DROP
-A INPUT -p tcp -m tcp --dport 5000:5010 -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m tcp --sport 6000 -j DROP
-A INPUT -p tcp -m tcp ! --dport 22 -j LOG
-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -j MYCHAIN
-A INPUT -j DROP
-A FORWARD -j DROP
-A OUTPUT -p tcp -m tcp --dport 25 -j REJECT --reject-with tcp-reset
-A MYCHAIN -p tcp -m tcp --dport 3306 -j REJECT --reject-with icmp-port-unreachable
COMMIT
# Completed on Sat Nov 21 13:23:37 2026
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:23:37 2026
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 1234 -j DNAT --to-destination 127.0.0.1:80
COMMIT
# Completed on Sat Nov 21 13:23:37 2026
"#;

    const IP6TABLES_SAVE: &str = r#"# Generated by ip6tables-save v1.8.9 (nf_tables) on Sat Nov 21 13:23:37 2026
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 9090 -j REJECT --reject-with icmp6-port-unreachable
-A INPUT -p tcp -m tcp --dport 9091 -j REJECT --reject-with icmp6-adm-prohibited
COMMIT
# Completed on Sat Nov 21 13:23:37 2026
"#;

    /// `nft list ruleset` of the same namespace: the iptables-nft tables again, then the
    /// native `inet t`, `ip6 six` and `ip nat2` tables.
    const NFT_RULESET: &str = r#"table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy drop;
		tcp dport 8080 counter packets 0 bytes 0 reject
		tcp dport 8081 counter packets 0 bytes 0 reject with tcp reset
		tcp dport 8082 counter packets 0 bytes 0 reject with icmp type host-prohibited
		tcp dport 8083 counter packets 0 bytes 0 drop
		meta l4proto tcp tcp dport { 80, 443, 8000-8100 } counter packets 0 bytes 0 drop
		udp dport 53 counter packets 0 bytes 0 drop
		ip saddr 10.0.0.0/8 tcp dport 22 counter packets 0 bytes 0 drop
		tcp dport 5000-5010 counter packets 0 bytes 0 reject
		tcp sport 6000 counter packets 0 bytes 0 drop
		tcp dport != 22 counter packets 0 bytes 0 log
		tcp dport 443 counter packets 0 bytes 0 accept
		counter packets 0 bytes 0 jump MYCHAIN
		counter packets 0 bytes 0 drop
	}

	chain MYCHAIN {
		tcp dport 3306 counter packets 0 bytes 0 reject
	}

	chain OUTPUT {
		type filter hook output priority filter; policy accept;
		tcp dport 25 counter packets 0 bytes 0 reject with tcp reset
	}

	chain FORWARD {
		type filter hook forward priority filter; policy drop;
		counter packets 0 bytes 0 drop
	}
}
table ip nat {
	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 1234 counter packets 0 bytes 0 dnat to 127.0.0.1:80
	}
}
table ip raw {
	chain PREROUTING {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 4444 counter packets 0 bytes 0 drop
	}
}
table ip6 filter {
	chain INPUT {
		type filter hook input priority filter; policy drop;
		tcp dport 9090 counter packets 0 bytes 0 reject
		tcp dport 9091 counter packets 0 bytes 0 reject with icmpv6 type admin-prohibited
	}
}
table inet t {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 7000 reject
		tcp dport { 7001, 7005-7010 } drop
		tcp dport 7002 reject with tcp reset
		tcp dport 7003 reject with icmp host-prohibited
		tcp dport 7004 reject with icmpx admin-prohibited
		meta l4proto tcp drop
		ip saddr 10.0.0.0/8 tcp dport 22 drop
		udp dport 53 drop
		tcp sport 6001 drop
		tcp dport 7100-7200 counter packets 0 bytes 0 drop
		tcp dport != 7300 drop
		ip protocol tcp drop
		tcp dport { 7400, 7401 } ct state new drop comment "block it"
		jump mine
		drop
	}

	chain output {
		type filter hook output priority filter; policy accept;
		tcp dport 7600 reject
		tcp sport 7601 drop
	}

	chain mine {
		tcp dport 7500 reject
	}
}
table ip6 six {
	chain in {
		type filter hook input priority filter; policy drop;
		tcp dport 7700 reject
	}
}
table ip nat2 {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 7800 drop
	}
}
"#;

    /// `nft -a list ruleset`: the same rules with handles.
    const NFT_WITH_HANDLES: &str = r#"table inet t { # handle 5
	chain input { # handle 1
		type filter hook input priority filter; policy accept;
		tcp dport 7000 reject # handle 4
		tcp dport { 7001, 7005-7010 } drop # handle 6
		tcp dport 7002 reject with tcp reset # handle 7
		tcp dport 7003 reject with icmp host-prohibited # handle 8
		tcp dport 7004 reject with icmpx admin-prohibited # handle 9
		meta l4proto tcp drop # handle 10
		ip saddr 10.0.0.0/8 tcp dport 22 drop # handle 11
		udp dport 53 drop # handle 12
		tcp sport 6001 drop # handle 13
		tcp dport 7100-7200 counter packets 0 bytes 0 drop # handle 14
		tcp dport != 7300 drop # handle 15
		ip protocol tcp drop # handle 16
		tcp dport { 7400, 7401 } ct state new drop comment "block it" # handle 18
		jump mine # handle 19
		drop # handle 23
	}

	chain output { # handle 2
		type filter hook output priority filter; policy accept;
		tcp dport 7600 reject # handle 21
		tcp sport 7601 drop # handle 22
	}

	chain mine { # handle 3
		tcp dport 7500 reject # handle 20
	}
}
"#;

    /// iptables extensions (comment, conntrack, recent, multiport forms, `! -p`), user chains
    /// reached from two directions, and native nft rules added to the iptables-nft table.
    const IPTABLES_SAVE_EXTENSIONS: &str = r#"# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:24:23 2026
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 8099 -j DROP
COMMIT
# Completed on Sat Nov 21 13:24:23 2026
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:24:23 2026
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
:natchain - [0:0]
-A INPUT -p tcp -m tcp --dport 8090 -m comment --comment "no web" -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m tcp --dport 8091 -m conntrack --ctstate NEW -j DROP
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -m state --state INVALID -j DROP
-A INPUT -p tcp -m tcp --dport 8092 -m recent --rcheck --name x --mask 255.255.255.255 --rsource -j DROP
-A INPUT -p tcp -m tcp --dport 8093 -m hashlimit --hashlimit-above 10/sec --hashlimit-burst 5 --hashlimit-name hl -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p tcp -m tcp --dport 8094 -m string --string "foo" --algo bm -j DROP
-A INPUT -p tcp -m multiport ! --dports 22,80 -j DROP
-A INPUT -p tcp -m multiport --sports 1000:1010 -j DROP
-A INPUT -p tcp -m multiport --ports 1100 -j DROP
-A INPUT ! -p udp -j DROP
-A INPUT -p tcp -m tcp --dport 8095 -j DROP
-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -j DROP
-A INPUT -p tcp -m tcp --dport 8096 --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT --reject-with tcp-reset
-A INPUT -i eth0 -p tcp -m tcp --dport 22 -j DROP
-A INPUT -p tcp -m tcp --dport 8097 -m limit --limit 1/sec -j DROP
-A INPUT -p icmp -j DROP
-A INPUT -j A
-A OUTPUT -j B
-A A -g B
-A B -p tcp -m tcp --dport 8098 -j DROP
-A natchain -p tcp -j DROP
-A natchain -p tcp
COMMIT
# Completed on Sat Nov 21 13:24:23 2026
"#;

    /// nft's view of the table above: untranslated `xt match`, multiport as sets and
    /// concatenations, a named set and a verdict map.
    const NFT_TRANSLATED: &str = r#"table ip filter {
	set blk {
		type inet_service
		elements = { 9100, 9101 }
	}

	chain INPUT {
		type filter hook input priority filter; policy accept;
		tcp dport 8090  counter packets 0 bytes 0 reject
		tcp dport 8091 ct state new counter packets 0 bytes 0 drop
		ct state invalid counter packets 0 bytes 0 drop
		ct state invalid counter packets 0 bytes 0 drop
		tcp dport 8092 xt match recent counter packets 0 bytes 0 drop
		tcp dport 8093 xt match hashlimit counter packets 0 bytes 0 reject
		tcp dport 8094 xt match string counter packets 0 bytes 0 drop
		meta l4proto tcp tcp dport != { 22, 80 } counter packets 0 bytes 0 drop
		meta l4proto tcp tcp sport 1000-1010 counter packets 0 bytes 0 drop
		meta l4proto tcp tcp sport . tcp dport { 0-65535 . 1100, 1100 . 0-65535 } counter packets 0 bytes 0 drop
		meta l4proto != udp counter packets 0 bytes 0 drop
		tcp dport 8095 counter packets 0 bytes 0 drop
		tcp flags syn / syn,ack counter packets 0 bytes 0 drop
		tcp flags syn / fin,syn,rst,ack tcp dport 8096 counter packets 0 bytes 0 reject with tcp reset
		iifname "eth0" tcp dport 22 counter packets 0 bytes 0 drop
		tcp dport 8097 limit rate 1/second counter packets 0 bytes 0 drop
		meta l4proto icmp counter packets 0 bytes 0 drop
		counter packets 0 bytes 0 jump A
	}

	chain A {
		counter packets 0 bytes 0 goto B
	}

	chain B {
		tcp dport 8098 counter packets 0 bytes 0 drop
	}

	chain OUTPUT {
		type filter hook output priority filter; policy accept;
		counter packets 0 bytes 0 jump B
	}

	chain natchain {
		tcp dport @blk drop
		tcp dport vmap { 9200 : drop, 9201 : accept }
	}
}
"#;

    /// Native nft: interval set, `th dport`, `meta l4proto { tcp, udp }`, netdev ingress.
    const NFT_NATIVE_MORE: &str = r#"table inet t {
	set ports {
		type inet_service
		flags interval
		elements = { 9300-9310, 9400 }
	}

	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport @ports reject with tcp reset
		ct state invalid drop
		meta l4proto { tcp, udp } th dport 9500 drop
		th dport 9501 drop
		iifname "eth0" tcp dport 9502 counter packets 0 bytes 0 drop
		meta l4proto != tcp drop
		ip6 nexthdr tcp tcp dport 9503 drop
		tcp dport 9504 log prefix "x drop " drop
		tcp dport { 9600-9610, 9620 } reject
		tcp dport 9505 ct state { new, untracked } drop
		tcp dport 9506 reject
		tcp sport 9507 tcp dport 9508 drop
	}
}
table netdev nd {
	chain ing {
		type filter hook ingress device "lo" priority filter; policy accept;
		tcp dport 9800 drop
	}
}
"#;

    /// A named set wrapping over lines, a named verdict map, comparisons, a concatenation.
    const NFT_SETS: &str = r#"table ip6 filter {
	set s {
		type inet_service
		elements = { 1, 2, 3, 4, 5,
			     6, 7, 8, 9, 10,
			     11, 12, 13, 14, 15,
			     16, 17, 18, 19, 20,
			     21, 22, 23, 24, 25,
			     26, 27, 28, 29, 30,
			     31, 32, 33, 34, 35 }
	}

	map vm {
		type inet_service : verdict
		elements = { 9900 : drop, 9901 : accept }
	}

	chain INPUT {
		type filter hook input priority filter; policy accept;
		tcp dport 8105 counter packets 0 bytes 0 reject with icmpv6 type no-route
		tcp dport 8106 counter packets 0 bytes 0 reject with tcp reset
		tcp dport 8107 counter packets 0 bytes 0 reject with icmpv6 type addr-unreachable
		tcp dport @s drop
		tcp dport { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35 } drop
		tcp dport vmap @vm
		tcp dport 1024-65535 drop
		tcp dport < 1024 drop
		tcp dport >= 1024 drop
		tcp dport 22 drop
		tcp dport != 1000-2000 drop
		ip6 saddr . tcp dport { ::1 . 22 } drop
	}
}
"#;

    /// A kube-proxy-style verdict map keyed by address . protocol . port.
    const NFT_CONCAT_MAP: &str = r#"table ip kp {
	map no-endpoint-services {
		type ipv4_addr . inet_proto . inet_service : verdict
		elements = { 10.96.0.12 . udp . 53 : accept,
			     10.96.0.10 . tcp . 9153 : drop,
			     10.96.0.11 . tcp . 9154 : goto svc-a }
	}

	chain svc-a {
		tcp dport 9155 reject with tcp reset
	}

	chain filter-input {
		type filter hook input priority -110; policy accept;
		ct state new ip daddr . meta l4proto . th dport vmap @no-endpoint-services
	}
}
"#;

    /// iptables-save when nft made a base chain iptables cannot show.
    const IPTABLES_SAVE_INCOMPATIBLE: &str = r#"# Table `security' contains incompatible base-chains, use 'nft' tool to list them.
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:25:33 2026
*security
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
# Completed on Sat Nov 21 13:25:33 2026
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:25:33 2026
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 8100 -j REJECT --reject-with icmp-admin-prohibited
-A INPUT -p tcp -m tcp --dport 8101 -j REJECT --reject-with icmp-net-unreachable
-A INPUT -p tcp -m tcp --dport 8102 -j REJECT --reject-with icmp-proto-unreachable
-A INPUT -p tcp -m tcp --dport 8103 -j NFLOG
-A INPUT -p tcp -m tcp --dport 8104 -j TCPMSS --set-mss 1000
COMMIT
# Completed on Sat Nov 21 13:25:33 2026
"#;
    const NFT_SECURITY: &str = r#"table ip security {
	chain weird {
		type filter hook input priority 17; policy drop;
		tcp dport 8200 drop
	}
}
"#;

    /// With legacy tables too: iptables-legacy-save, and the nf_tables side.
    const IPTABLES_LEGACY_SAVE: &str = r#"# Generated by iptables-save v1.8.9 on Sat Nov 21 13:25:55 2026
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 8300 -j REJECT --reject-with icmp-port-unreachable
COMMIT
# Completed on Sat Nov 21 13:25:55 2026
"#;
    const IPTABLES_SAVE_BESIDE_LEGACY: &str = r#"# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 13:25:55 2026
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 8301 -j DROP
COMMIT
# Completed on Sat Nov 21 13:25:55 2026
"#;
    const NFT_BESIDE_LEGACY: &str = r#"table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy accept;
		tcp dport 8301 counter packets 0 bytes 0 drop
	}
}
"#;

    /// Forms this nft does not print but older ones did (not captured here): untranslated
    /// targets as `xt target "REJECT"` or `# xt_REJECT`, and the iptables-nft warning on
    /// stdout.
    const NFT_XT_FORMS: &str = "\
# Warning: table ip filter is managed by iptables-nft, do not touch!
table ip filter {
\tchain INPUT {
\t\ttype filter hook input priority filter; policy accept;
\t\ttcp dport 22 counter packets 0 bytes 0 xt target \"REJECT\"
\t\tmeta l4proto tcp xt match \"multiport\" counter packets 0 bytes 0 drop
\t\toifname \"eno1\" tcp dport 25 counter packets 0 bytes 0 # xt_REJECT
\t\ttcp dport 23 counter packets 0 bytes 0 xt target REJECT AAAAAA==
\t\tcounter packets 0 bytes 0 # xt_LOG
\t}
}
";

    /// The one rule whose text contains `needle`.
    fn find<'a>(rules: &'a [FirewallRule], needle: &str) -> &'a FirewallRule {
        let found: Vec<&FirewallRule> = rules.iter().filter(|r| r.text.contains(needle)).collect();
        assert_eq!(found.len(), 1, "rules containing {needle:?}: {found:#?}");
        found[0]
    }

    fn absent(rules: &[FirewallRule], needle: &str) {
        assert!(
            rules.iter().all(|r| !r.text.contains(needle)),
            "unexpected rule containing {needle:?}"
        );
    }

    fn tcp_rule(dports: &[(u16, u16)], sports: &[(u16, u16)]) -> FirewallRule {
        FirewallRule {
            tool: "iptables".into(),
            family: "ip".into(),
            table: "filter".into(),
            chain: "INPUT".into(),
            direction: Direction::Input,
            action: Action::Drop,
            text: String::new(),
            protocol: Some("tcp".into()),
            dports: dports.to_vec(),
            sports: sports.to_vec(),
            default_policy: false,
            reject_with: None,
            number: None,
            handle: None,
        }
    }

    #[test]
    fn iptables_save_rules() {
        let (rules, total) = parse_iptables_save(IPTABLES_SAVE, "iptables");
        assert_eq!(total, 18);
        assert_eq!(rules.len(), 16);

        let r = find(&rules, "--dport 8080 ");
        assert_eq!(r.tool, "iptables");
        assert_eq!(r.family, "ip");
        assert_eq!((r.table.as_str(), r.chain.as_str()), ("filter", "INPUT"));
        assert_eq!(r.direction, Direction::Input);
        assert_eq!(r.action, Action::Reject);
        assert_eq!(r.protocol.as_deref(), Some("tcp"));
        assert_eq!(r.dports, vec![(8080, 8080)]);
        assert!(r.sports.is_empty());
        assert!(!r.default_policy);
        assert_eq!(r.reject_with.as_deref(), Some("icmp-port-unreachable"));
        assert_eq!(
            r.text,
            "-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable"
        );

        let with = |needle| find(&rules, needle).reject_with.clone();
        assert_eq!(with("--dport 8081 ").as_deref(), Some("tcp-reset"));
        assert_eq!(
            with("--dport 8082 ").as_deref(),
            Some("icmp-host-prohibited")
        );

        let r = find(&rules, "--dport 8083 ");
        assert_eq!((r.action, r.reject_with.clone()), (Action::Drop, None));

        let r = find(&rules, "--dports 80,443,8000:8100");
        assert_eq!(r.dports, vec![(80, 80), (443, 443), (8000, 8100)]);
        assert_eq!(find(&rules, "--dport 5000:5010").dports, vec![(5000, 5010)]);
        assert_eq!(find(&rules, "--sport 6000").sports, vec![(6000, 6000)]);
        assert_eq!(find(&rules, "-p udp").protocol.as_deref(), Some("udp"));
        assert_eq!(find(&rules, "-s 10.0.0.0/8").dports, vec![(22, 22)]);

        let r = find(&rules, "-A INPUT -j DROP");
        assert_eq!((r.protocol.clone(), r.dports.len()), (None, 0));
        assert_eq!(
            find(&rules, "-A FORWARD -j DROP").direction,
            Direction::Forward
        );
        assert_eq!(find(&rules, "--dport 25 ").direction, Direction::Output);
        let raw = find(&rules, "--dport 4444 ");
        assert_eq!(
            (raw.table.as_str(), raw.direction),
            ("raw", Direction::Other)
        );

        // ACCEPT, LOG, jumps and DNAT are not listed.
        absent(&rules, "-j ACCEPT");
        absent(&rules, "-j LOG");
        absent(&rules, "-j MYCHAIN");
        absent(&rules, "DNAT");
    }

    #[test]
    fn iptables_policies() {
        let (rules, _) = parse_iptables_save(IPTABLES_SAVE, "iptables");
        let policies: Vec<(&str, Direction)> = rules
            .iter()
            .filter(|r| r.default_policy)
            .map(|r| (r.text.as_str(), r.direction))
            .collect();
        assert_eq!(
            policies,
            vec![
                (":INPUT DROP [0:0]", Direction::Input),
                (":FORWARD DROP [0:0]", Direction::Forward)
            ]
        );
        let p = find(&rules, ":INPUT DROP");
        assert_eq!((p.action, p.protocol.clone()), (Action::Drop, None));
        assert!(p.dports.is_empty() && p.sports.is_empty());
    }

    #[test]
    fn iptables_user_chain_takes_direction_of_its_caller() {
        let (rules, _) = parse_iptables_save(IPTABLES_SAVE, "iptables");
        let r = find(&rules, "-A MYCHAIN");
        assert_eq!(
            (r.chain.as_str(), r.direction),
            ("MYCHAIN", Direction::Input)
        );

        // INPUT -> A -> (goto) B, and OUTPUT -> B: B serves two directions.
        let (rules, _) = parse_iptables_save(IPTABLES_SAVE_EXTENSIONS, "iptables");
        assert_eq!(find(&rules, "-A B ").direction, Direction::Other);
        // natchain is jumped to from nowhere.
        assert_eq!(
            find(&rules, "-A natchain -p tcp -j DROP").direction,
            Direction::Other
        );
    }

    #[test]
    fn ip6tables_save_rules() {
        let (rules, total) = parse_iptables_save(IP6TABLES_SAVE, "ip6tables");
        assert_eq!(total, 2);
        let r = find(&rules, "--dport 9090 ");
        assert_eq!((r.tool.as_str(), r.family.as_str()), ("ip6tables", "ip6"));
        assert_eq!(r.reject_with.as_deref(), Some("icmp6-port-unreachable"));
        let r = find(&rules, "--dport 9091 ");
        assert_eq!(r.reject_with.as_deref(), Some("icmp6-adm-prohibited"));
        assert!(find(&rules, ":INPUT DROP").default_policy);
    }

    #[test]
    fn iptables_extensions() {
        let (rules, total) = parse_iptables_save(IPTABLES_SAVE_EXTENSIONS, "iptables");
        assert_eq!(total, 24);
        assert_eq!(find(&rules, "\"no web\"").dports, vec![(8090, 8090)]);
        assert_eq!(find(&rules, "--ctstate NEW").dports, vec![(8091, 8091)]);
        assert_eq!(find(&rules, "-m recent").dports, vec![(8092, 8092)]);
        assert_eq!(
            find(&rules, "! --dports 22,80").dports,
            vec![(0, 21), (23, 79), (81, 65535)]
        );
        assert_eq!(
            find(&rules, "--sports 1000:1010").sports,
            vec![(1000, 1010)]
        );
        let r = find(&rules, "--ports 1100");
        assert_eq!(
            (r.dports.clone(), r.sports.clone()),
            (vec![(1100, 1100)], vec![(1100, 1100)])
        );
        // Any protocol but UDP includes TCP; only `! -p tcp` would not.
        assert_eq!(find(&rules, "! -p udp").protocol, None);
        assert_eq!(find(&rules, "-p icmp").protocol.as_deref(), Some("icmp"));
        assert_eq!(find(&rules, "-i eth0").dports, vec![(22, 22)]);
        assert_eq!(find(&rules, "--dport 8099 ").table, "mangle");
        // A rule iptables-save shows without a target does nothing we can name.
        absent(&rules, "-A natchain -p tcp\n");
        assert!(!rules.iter().any(|r| r.text == "-A natchain -p tcp"));
    }

    #[test]
    fn iptables_odd_lines() {
        let text = "*filter\n:INPUT ACCEPT [0:0]\n\
                    [5:300] -A INPUT -p 6 --dport 7 -j REJECT\n\
                    -A INPUT -p tcp --dport 6000: -j DROP\n\
                    -A INPUT -m comment --comment \"-j DROP\" -j ACCEPT\n\
                    -A INPUT ! -p tcp -j DROP\n\
                    -A INPUT -p tcp --dport nonsense -j DROP\n\
                    -A\n\
                    COMMIT\n";
        let (rules, total) = parse_iptables_save(text, "iptables");
        assert_eq!(total, 5);
        let r = find(&rules, "-p 6");
        assert_eq!(r.protocol.as_deref(), Some("tcp"));
        assert_eq!(r.reject_with.as_deref(), Some("icmp-port-unreachable"));
        assert_eq!(find(&rules, "6000:").dports, vec![(6000, 65535)]);
        absent(&rules, "--comment");
        assert_eq!(find(&rules, "! -p tcp").protocol.as_deref(), Some("!tcp"));
        // An unparsable port leaves "any port" rather than none.
        assert!(find(&rules, "nonsense").dports.is_empty());
    }

    #[test]
    fn nft_native_rules() {
        let (rules, total) = parse_nft_ruleset(NFT_RULESET);
        assert_eq!(total, 40);
        let inet: Vec<FirewallRule> = rules
            .iter()
            .filter(|r| r.family == "inet")
            .cloned()
            .collect();
        assert_eq!(inet.len(), 17);

        let r = find(&inet, "tcp dport 7000 reject");
        assert_eq!(r.tool, "nft");
        assert_eq!((r.table.as_str(), r.chain.as_str()), ("t", "input"));
        assert_eq!(r.direction, Direction::Input);
        assert_eq!(r.action, Action::Reject);
        assert_eq!(r.reject_with.as_deref(), Some("icmpx-port-unreachable"));
        assert_eq!(r.protocol.as_deref(), Some("tcp"));
        assert_eq!(r.dports, vec![(7000, 7000)]);

        let r = find(&inet, "{ 7001, 7005-7010 }");
        assert_eq!(r.action, Action::Drop);
        assert_eq!(r.dports, vec![(7001, 7001), (7005, 7010)]);

        let r = find(&inet, "meta l4proto tcp drop");
        assert_eq!((r.protocol.as_deref(), r.dports.len()), (Some("tcp"), 0));
        assert_eq!(
            find(&inet, "ip protocol tcp drop").protocol.as_deref(),
            Some("tcp")
        );
        assert_eq!(find(&inet, "ip saddr 10.0.0.0/8").dports, vec![(22, 22)]);
        assert_eq!(find(&inet, "udp dport 53").protocol.as_deref(), Some("udp"));
        assert_eq!(find(&inet, "tcp sport 6001").sports, vec![(6001, 6001)]);
        assert_eq!(find(&inet, "7100-7200").dports, vec![(7100, 7200)]);
        assert_eq!(
            find(&inet, "!= 7300").dports,
            vec![(0, 7299), (7301, 65535)]
        );
        assert_eq!(
            find(&inet, "comment \"block it\"").dports,
            vec![(7400, 7401)]
        );

        // The user chain `mine` is jumped to from input only.
        let r = find(&inet, "tcp dport 7500");
        assert_eq!((r.chain.as_str(), r.direction), ("mine", Direction::Input));
        let r = find(&inet, "tcp dport 7600");
        assert_eq!(
            (r.chain.as_str(), r.direction),
            ("output", Direction::Output)
        );
        assert_eq!(find(&inet, "tcp sport 7601").direction, Direction::Output);

        let bare_drop: Vec<&FirewallRule> = inet.iter().filter(|r| r.text == "drop").collect();
        assert_eq!(bare_drop.len(), 1);
        assert_eq!(bare_drop[0].protocol, None);
        absent(&inet, "jump mine");

        let nat = find(&rules, "tcp dport 7800");
        assert_eq!(
            (nat.table.as_str(), nat.direction),
            ("nat2", Direction::Other)
        );
    }

    #[test]
    fn nft_reject_with() {
        let (rules, _) = parse_nft_ruleset(NFT_RULESET);
        let with = |needle| find(&rules, needle).reject_with.clone();
        assert_eq!(with("tcp dport 7002").as_deref(), Some("tcp-reset"));
        assert_eq!(
            with("tcp dport 7003").as_deref(),
            Some("icmp-host-prohibited")
        );
        assert_eq!(
            with("tcp dport 7004").as_deref(),
            Some("icmpx-admin-prohibited")
        );
        assert_eq!(
            with("tcp dport 8082 ").as_deref(),
            Some("icmp-host-prohibited")
        );
        assert_eq!(
            with("tcp dport 9091 ").as_deref(),
            Some("icmpv6-admin-prohibited")
        );
        // Plain `reject` in an ip / ip6 table: the family's port-unreachable.
        assert_eq!(
            with("tcp dport 8080 ").as_deref(),
            Some("icmp-port-unreachable")
        );
        assert_eq!(
            with("tcp dport 7700").as_deref(),
            Some("icmpv6-port-unreachable")
        );
    }

    #[test]
    fn nft_policies() {
        let (rules, _) = parse_nft_ruleset(NFT_RULESET);
        let policies: Vec<(String, String, Direction)> = rules
            .iter()
            .filter(|r| r.default_policy)
            .map(|r| {
                (
                    format!("{} {}", r.family, r.table),
                    r.chain.clone(),
                    r.direction,
                )
            })
            .collect();
        assert_eq!(
            policies,
            vec![
                ("ip filter".into(), "INPUT".into(), Direction::Input),
                ("ip filter".into(), "FORWARD".into(), Direction::Forward),
                ("ip6 filter".into(), "INPUT".into(), Direction::Input),
                ("ip6 six".into(), "in".into(), Direction::Input),
            ]
        );
        let p = rules.iter().find(|r| r.default_policy).expect("a policy");
        assert_eq!(
            p.text,
            "type filter hook input priority filter; policy drop;"
        );
        assert_eq!((p.action, p.protocol.clone()), (Action::Drop, None));
    }

    #[test]
    fn nft_handles_are_kept_apart_from_the_rule() {
        let (with_handles, total) = parse_nft_ruleset(NFT_WITH_HANDLES);
        let (plain, _) = parse_nft_ruleset(NFT_RULESET);
        let plain: Vec<FirewallRule> = plain.into_iter().filter(|r| r.family == "inet").collect();
        assert_eq!(total, 18);
        // The same rules, each with its handle, as `nft delete rule ... handle N` needs.
        let handles: Vec<Option<u64>> = with_handles.iter().map(|r| r.handle).collect();
        let without: Vec<FirewallRule> = with_handles
            .into_iter()
            .map(|r| FirewallRule { handle: None, ..r })
            .collect();
        assert_eq!(without, plain);
        assert_eq!(
            handles,
            [
                4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 23, 21, 22, 20
            ]
            .map(Some)
            .to_vec()
        );
    }

    #[test]
    fn iptables_rules_are_numbered_within_their_chain() {
        let save = "*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A OUTPUT -p tcp --dport 9 -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 8080 -j DROP\nCOMMIT\n";
        let (rules, _) = parse_iptables_save(save, "iptables");
        let numbered: Vec<(&str, Option<u32>)> =
            rules.iter().map(|r| (r.chain.as_str(), r.number)).collect();
        assert_eq!(numbered, vec![("OUTPUT", Some(1)), ("INPUT", Some(3))]);
    }

    #[test]
    fn nft_translated_iptables_rules() {
        let (rules, total) = parse_nft_ruleset(NFT_TRANSLATED);
        assert_eq!(total, 23);
        assert_eq!(find(&rules, "tcp dport 8090 ").dports, vec![(8090, 8090)]);
        assert_eq!(find(&rules, "xt match recent").dports, vec![(8092, 8092)]);
        assert_eq!(
            find(&rules, "tcp dport != { 22, 80 }").dports,
            vec![(0, 21), (23, 79), (81, 65535)]
        );
        // multiport --ports 1100: either port, as a concatenation of both.
        let r = find(&rules, "tcp sport . tcp dport");
        assert_eq!(
            (r.dports.clone(), r.sports.clone()),
            (vec![(1100, 1100)], vec![(1100, 1100)])
        );
        assert_eq!(find(&rules, "meta l4proto != udp").protocol, None);
        assert_eq!(
            find(&rules, "meta l4proto icmp").protocol.as_deref(),
            Some("icmp")
        );
        let r = find(&rules, "tcp flags syn / syn,ack");
        assert_eq!((r.protocol.as_deref(), r.dports.len()), (Some("tcp"), 0));
        let r = find(&rules, "tcp dport 8096");
        assert_eq!(r.reject_with.as_deref(), Some("tcp-reset"));
        // Named set and verdict map in the same table.
        assert_eq!(find(&rules, "@blk").dports, vec![(9100, 9101)]);
        let r = find(&rules, "vmap");
        assert_eq!(
            (r.action, r.dports.clone()),
            (Action::Drop, vec![(9200, 9200)])
        );
        assert_eq!(find(&rules, "tcp dport 8098").direction, Direction::Other);
    }

    #[test]
    fn nft_more_native_forms() {
        let (rules, total) = parse_nft_ruleset(NFT_NATIVE_MORE);
        assert_eq!(total, 13);
        let r = find(&rules, "@ports");
        assert_eq!(r.dports, vec![(9300, 9310), (9400, 9400)]);
        assert_eq!(r.reject_with.as_deref(), Some("tcp-reset"));
        let r = find(&rules, "th dport 9500");
        assert_eq!(
            (r.protocol.as_deref(), r.dports.clone()),
            (Some("tcp"), vec![(9500, 9500)])
        );
        let r = find(&rules, "th dport 9501");
        assert_eq!(
            (r.protocol.clone(), r.dports.clone()),
            (None, vec![(9501, 9501)])
        );
        assert_eq!(
            find(&rules, "meta l4proto != tcp").protocol.as_deref(),
            Some("!tcp")
        );
        assert_eq!(find(&rules, "ip6 nexthdr tcp").dports, vec![(9503, 9503)]);
        let r = find(&rules, "log prefix");
        assert_eq!(
            (r.action, r.dports.clone()),
            (Action::Drop, vec![(9504, 9504)])
        );
        assert_eq!(
            find(&rules, "9600-9610").dports,
            vec![(9600, 9610), (9620, 9620)]
        );
        assert_eq!(
            find(&rules, "ct state { new, untracked }").dports,
            vec![(9505, 9505)]
        );
        let r = find(&rules, "tcp sport 9507");
        assert_eq!(
            (r.dports.clone(), r.sports.clone()),
            (vec![(9508, 9508)], vec![(9507, 9507)])
        );
        let r = find(&rules, "tcp dport 9800");
        assert_eq!(
            (r.family.as_str(), r.direction),
            ("netdev", Direction::Other)
        );
    }

    #[test]
    fn nft_sets_maps_and_comparisons() {
        let (rules, total) = parse_nft_ruleset(NFT_SETS);
        assert_eq!(total, 12);
        assert_eq!(find(&rules, "@s drop").dports, vec![(1, 35)]);
        assert_eq!(find(&rules, "{ 1, 2, 3,").dports, vec![(1, 35)]);
        let r = find(&rules, "vmap @vm");
        assert_eq!(
            (r.action, r.dports.clone()),
            (Action::Drop, vec![(9900, 9900)])
        );
        assert_eq!(find(&rules, "< 1024").dports, vec![(0, 1023)]);
        assert_eq!(find(&rules, ">= 1024").dports, vec![(1024, 65535)]);
        assert_eq!(find(&rules, "1024-65535").dports, vec![(1024, 65535)]);
        assert_eq!(
            find(&rules, "!= 1000-2000").dports,
            vec![(0, 999), (2001, 65535)]
        );
        assert_eq!(find(&rules, "ip6 saddr . tcp dport").dports, vec![(22, 22)]);
        assert_eq!(
            find(&rules, "no-route").reject_with.as_deref(),
            Some("icmpv6-no-route")
        );
    }

    #[test]
    fn nft_concatenated_verdict_map() {
        let (rules, total) = parse_nft_ruleset(NFT_CONCAT_MAP);
        assert_eq!(total, 2);
        let r = find(&rules, "vmap @no-endpoint-services");
        assert_eq!(
            (r.action, r.dports.clone()),
            (Action::Drop, vec![(9153, 9153)])
        );
        // `meta l4proto` is a field of the key here, not a match on its own.
        assert_eq!(r.protocol, None);
        // The map's `goto svc-a` gives svc-a the input direction.
        let r = find(&rules, "tcp dport 9155");
        assert_eq!((r.chain.as_str(), r.direction), ("svc-a", Direction::Input));
    }

    #[test]
    fn big_sets_stay_cheap() {
        // A set of 30000 single ports written over many lines, used by 20000 rules.
        let elements: Vec<String> = (0..30000u32).map(|p| (p * 2).to_string()).collect();
        let mut text = String::from("table inet big {\n\tset odd {\n\t\ttype inet_service\n");
        text += &format!("\t\telements = {{ {} }}\n\t}}\n", elements.join(",\n"));
        text += "\tchain in {\n\t\ttype filter hook input priority 0; policy accept;\n";
        text += &"\t\ttcp dport @odd drop\n".repeat(20000);
        text += "\t\ttcp dport { 1, 3, 5 } drop\n\t}\n}\n";
        // No wall-clock bound (a debug build on a busy machine proves nothing about speed;
        // timing belongs in bench/). What keeps it cheap is checked instead: the set's
        // elements are parsed once, its ports worked out once for all 20000 rules that use
        // it, and no rule holds a copy of them.
        let tables = parse_nft_structure(&text);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].named["odd"].len(), 30000);
        let mut scanner = NftScanner::new(&tables[0].named, "icmpx-port-unreachable");
        for (rule, _) in &tables[0].chains[0].rules {
            scanner.scan(rule);
        }
        assert_eq!(
            scanner.memo.len(),
            1,
            "the set's ports were worked out more than once"
        );
        let (rules, total) = parse_nft_ruleset(&text);
        assert_eq!((rules.len(), total), (20001, 20001));
        // Too many ranges to be a port list: every rule using the set keeps a catch-all
        // instead of its 30000 ports.
        assert!(rules[..20000].iter().all(|r| r.dports.is_empty()));
        assert!(rules[0].affects_tcp_port(4));
        assert_eq!(rules[20000].dports, vec![(1, 1), (3, 3), (5, 5)]);
    }

    #[test]
    fn nft_xt_forms() {
        let (rules, total) = parse_nft_ruleset(NFT_XT_FORMS);
        assert_eq!(total, 5);
        assert_eq!(rules.len(), 4);
        let r = find(&rules, "tcp dport 22");
        assert_eq!((r.action, r.reject_with.clone()), (Action::Reject, None));
        assert_eq!(find(&rules, "tcp dport 23").action, Action::Reject);
        assert_eq!(find(&rules, "# xt_REJECT").dports, vec![(25, 25)]);
        // The ports hide in the untranslated match: any port, so it is not missed.
        let r = find(&rules, "xt match \"multiport\"");
        assert_eq!((r.action, r.dports.len()), (Action::Drop, 0));
        absent(&rules, "xt_LOG");
    }

    #[test]
    fn nft_odd_input() {
        let text = "table inet x {\n\tflags dormant\n\tchain c {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tdrop\n\t}\n}\n\
                    table ip y {\n\tchain c {\n\t\ttcp dport @missing drop\n\t\ttcp dport { 1, 2,";
        let (rules, total) = parse_nft_ruleset(text);
        // The dormant table does nothing; an unknown set means any port; a cut-off rule is
        // not a rule.
        assert_eq!(total, 1);
        assert_eq!(rules.len(), 1);
        assert!(rules[0].dports.is_empty());
        assert_eq!(parse_nft_ruleset(""), (Vec::new(), 0));
        assert_eq!(parse_nft_ruleset("}}}\n{{{\n\"\n"), (Vec::new(), 0));
        assert_eq!(
            parse_iptables_save("COMMIT\n-A INPUT -j DROP\n*", "iptables").1,
            0
        );
    }

    #[test]
    fn port_matching() {
        let exact = tcp_rule(&[(8080, 8080)], &[]);
        assert!(exact.affects_tcp_port(8080) && exact.names_port(8080));
        assert!(!exact.affects_tcp_port(8081) && !exact.names_port(8081));

        let range = tcp_rule(&[(8000, 8100)], &[]);
        assert!(range.affects_tcp_port(8000) && range.affects_tcp_port(8100));
        assert!(range.names_port(8050));
        assert!(!range.affects_tcp_port(7999) && !range.affects_tcp_port(8101));

        let set = tcp_rule(&[(80, 80), (443, 443), (8000, 8100)], &[]);
        assert!(set.names_port(443) && set.names_port(8042));
        assert!(!set.affects_tcp_port(444));

        // Replies from a server on 8080 leave with source port 8080.
        let replies = tcp_rule(&[], &[(8080, 8080)]);
        assert!(replies.affects_tcp_port(8080) && replies.names_port(8080));
        assert!(!replies.affects_tcp_port(22));

        let catch_all = tcp_rule(&[], &[]);
        assert!(catch_all.affects_tcp_port(1) && !catch_all.names_port(1));
        let any_protocol = FirewallRule {
            protocol: None,
            ..catch_all.clone()
        };
        assert!(any_protocol.affects_tcp_port(65535) && !any_protocol.names_port(65535));

        let udp = FirewallRule {
            protocol: Some("udp".into()),
            ..exact.clone()
        };
        assert!(!udp.affects_tcp_port(8080) && !udp.names_port(8080));
        let not_tcp = FirewallRule {
            protocol: Some("!tcp".into()),
            dports: Vec::new(),
            ..exact.clone()
        };
        assert!(!not_tcp.affects_tcp_port(8080));

        let policy = FirewallRule {
            default_policy: true,
            protocol: None,
            dports: Vec::new(),
            ..exact
        };
        assert!(policy.affects_tcp_port(8080) && !policy.names_port(8080));
    }

    #[test]
    fn affecting_on_parsed_rules() {
        let (rules, total_rules) = parse_iptables_save(IPTABLES_SAVE, "iptables");
        let data = FirewallData {
            readable: true,
            sources: vec!["iptables-save".into()],
            unreadable_reason: None,
            rules,
            total_rules,
        };
        let texts = |port| -> Vec<String> {
            data.affecting(port)
                .iter()
                .map(|r| r.text.clone())
                .collect()
        };
        let hits = texts(8080);
        assert!(hits.iter().any(|t| t.contains("--dport 8080 ")));
        assert!(hits.iter().any(|t| t.contains("8000:8100")));
        assert!(hits.iter().any(|t| t == ":INPUT DROP [0:0]"));
        assert!(hits.iter().any(|t| t == "-A INPUT -j DROP"));
        assert!(!hits.iter().any(|t| t.contains("--dport 8081 ")));
        assert!(!hits.iter().any(|t| t.contains("-p udp")));
        let named: Vec<&FirewallRule> = data
            .affecting(8080)
            .into_iter()
            .filter(|r| r.names_port(8080))
            .collect();
        assert_eq!(named.len(), 2);
        // UDP 53 is listed but does not affect TCP 53.
        assert!(!texts(53).iter().any(|t| t.contains("-p udp")));
    }

    #[test]
    fn merge_keeps_iptables_copy_of_iptables_nft_tables() {
        let saves = vec![
            parse_save(IPTABLES_SAVE, "iptables"),
            parse_save(IP6TABLES_SAVE, "ip6tables"),
        ];
        assert!(saves.iter().all(|s| s.nft_backed));
        let (rules, total) = merge(saves, Some(parse_nft_tables(NFT_RULESET)));
        // iptables: 18 + 2 rules; nft only for inet t (18), ip6 six (1), ip nat2 (1).
        assert_eq!(total, 40);
        assert_eq!(rules.len(), 16 + 3 + 17 + 2 + 1);

        let r = find(&rules, "8080");
        assert_eq!(r.tool, "iptables");
        let r = find(&rules, "9090");
        assert_eq!(r.tool, "ip6tables");
        find(&rules, "4444");
        find(&rules, "tcp dport 7000 reject");
        find(&rules, "tcp dport 7700");
        find(&rules, "tcp dport 7800");
        // One INPUT policy per family, from iptables.
        let policies: Vec<(&str, &str)> = rules
            .iter()
            .filter(|r| r.default_policy)
            .map(|r| (r.tool.as_str(), r.chain.as_str()))
            .collect();
        assert_eq!(
            policies,
            vec![
                ("iptables", "INPUT"),
                ("iptables", "FORWARD"),
                ("ip6tables", "INPUT"),
                ("nft", "in")
            ]
        );
        assert!(
            !rules
                .iter()
                .any(|r| r.tool == "nft" && r.family != "inet" && r.table == "filter")
        );
    }

    #[test]
    fn merge_without_iptables_takes_everything_from_nft() {
        let (rules, total) = merge(Vec::new(), Some(parse_nft_tables(NFT_RULESET)));
        assert_eq!((rules, total), parse_nft_ruleset(NFT_RULESET));
        let (rules, total) = merge(vec![parse_save(IPTABLES_SAVE, "iptables")], None);
        assert_eq!(
            (rules, total),
            parse_iptables_save(IPTABLES_SAVE, "iptables")
        );
    }

    #[test]
    fn merge_with_legacy_tables() {
        let legacy = parse_save(IPTABLES_LEGACY_SAVE, "iptables-legacy");
        assert!(!legacy.nft_backed);
        let saves = vec![parse_save(IPTABLES_SAVE_BESIDE_LEGACY, "iptables"), legacy];
        let (rules, total) = merge(saves, Some(parse_nft_tables(NFT_BESIDE_LEGACY)));
        assert_eq!(total, 2);
        assert_eq!(find(&rules, "8300").tool, "iptables-legacy");
        assert_eq!(find(&rules, "8301").tool, "iptables");
        assert_eq!(find(&rules, ":INPUT DROP").tool, "iptables-legacy");
    }

    #[test]
    fn incompatible_table_comes_from_nft() {
        let save = parse_save(IPTABLES_SAVE_INCOMPATIBLE, "iptables");
        let names: Vec<&str> = save.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["filter"]);
        let (rules, _) = merge(vec![save], Some(parse_nft_tables(NFT_SECURITY)));
        let r = find(&rules, "tcp dport 8200");
        assert_eq!((r.tool.as_str(), r.direction), ("nft", Direction::Input));
        let p = find(&rules, "priority 17; policy drop;");
        assert!(p.default_policy);
        assert_eq!(
            find(&rules, "8100").reject_with.as_deref(),
            Some("icmp-admin-prohibited")
        );
    }

    #[test]
    fn serialized_form() {
        let (rules, _) = parse_iptables_save(IPTABLES_SAVE, "iptables");
        let json = serde_json::to_value(find(&rules, "--dport 8081 ")).expect("serializes");
        assert_eq!(json["action"], "reject");
        assert_eq!(json["direction"], "input");
        assert_eq!(json["dports"], serde_json::json!([[8081, 8081]]));
        assert_eq!(json["reject_with"], "tcp-reset");
        let back: FirewallRule = serde_json::from_value(json).expect("deserializes");
        assert_eq!(&back, find(&rules, "--dport 8081 "));
    }

    #[test]
    fn port_helpers() {
        assert_eq!(parse_port_range("ssh"), Some((22, 22)));
        assert_eq!(parse_port_range("http-alt"), Some((8080, 8080)));
        assert_eq!(parse_port_range(":1023"), Some((0, 1023)));
        assert_eq!(parse_port_range("20-10"), None);
        assert_eq!(parse_port_range("70000"), None);
        assert_eq!(complement(&[(0, 65535)]), Vec::<PortRange>::new());
        assert_eq!(complement(&[(0, 0), (65535, 65535)]), vec![(1, 65534)]);
        assert_eq!(
            merge_ranges(vec![(5, 6), (1, 2), (3, 4), (10, 12)]),
            vec![(1, 6), (10, 12)]
        );
    }

    #[test]
    fn unreadable_reasons() {
        let missing = |c: &str| {
            (
                c.to_string(),
                Failure::Missing(format!("{c} is not installed")),
            )
        };
        let all_missing = [missing("nft list ruleset"), missing("iptables-save")];
        assert!(unreadable_reason(&all_missing).contains("install nftables"));
        let denied = [
            missing("nft list ruleset"),
            (
                "iptables-save".to_string(),
                Failure::Denied("Permission denied (you must be root)".into()),
            ),
        ];
        assert_eq!(unreadable_reason(&denied), NEEDS_ROOT);
        let other = [(
            "nft list ruleset".to_string(),
            Failure::Other("no answer within 1.0 s".into()),
        )];
        assert!(unreadable_reason(&other).contains("nft list ruleset: no answer within 1.0 s"));

        // The messages the tools print when not root.
        let status = std::process::Command::new("false")
            .status()
            .expect("false runs");
        let nft = "Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed: Operation not permitted\n";
        assert!(matches!(command_failure(status, nft), Failure::Denied(_)));
        let ipt = "iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n";
        assert!(matches!(command_failure(status, ipt), Failure::Denied(_)));
        assert!(
            matches!(command_failure(status, ""), Failure::Other(m) if m.starts_with("failed"))
        );

        let data = Reading::default().finish();
        assert!(!data.readable && data.unreadable_reason.is_some());
    }

    #[test]
    fn summaries() {
        let (rules, total_rules) = parse_iptables_save(IPTABLES_SAVE, "iptables");
        let data = FirewallData {
            readable: true,
            sources: vec!["iptables-save".into()],
            unreadable_reason: None,
            rules,
            total_rules,
        };
        let (status, text) = summarize(&data, 8080);
        assert_eq!(status, Status::Problem);
        assert!(text.contains("--dport 8080"), "{text}");
        let (status, text) = summarize(&data, 9999);
        assert_eq!(status, Status::Ok);
        assert!(text.contains("catch-all"), "{text}");
        let (status, text) = summarize(&FirewallData::unreadable(NEEDS_ROOT), 80);
        assert_eq!(status, Status::Skipped);
        assert!(text.contains("sudo"));
    }

    #[tokio::test]
    async fn output_is_capped() {
        let data = vec![b'x'; 100];
        assert_eq!(
            read_capped(Some(&data[..]), 10).await,
            (vec![b'x'; 10], true)
        );
        assert_eq!(
            read_capped(Some(&data[..]), 100).await,
            (data.clone(), false)
        );
        assert_eq!(read_capped(None::<&[u8]>, 100).await, (Vec::new(), false));

        let args = ["-c", "5000000", "/dev/zero"];
        let out = run_tool(&[], "head", &args, Duration::from_secs(10))
            .await
            .expect("head runs");
        assert!(out.cut);
        assert_eq!(out.stdout.len(), MAX_OUTPUT);
    }

    #[tokio::test]
    async fn commands_are_bounded() {
        let start = Instant::now();
        let result = run_tool(&[], "sleep", &["5"], Duration::from_millis(200)).await;
        assert!(matches!(result, Err(Failure::Other(m)) if m.contains("no answer")));
        assert!(start.elapsed() < Duration::from_secs(2));

        let result = run_tool(&[], "connfix-no-such-tool", &[], Duration::from_secs(1)).await;
        assert!(matches!(result, Err(Failure::Missing(_))));
        let result = run_tool(&[], "false", &[], Duration::from_secs(5)).await;
        assert!(matches!(result, Err(Failure::Other(_))));
    }

    /// A network namespace that is deleted when dropped, even if the test fails.
    struct Netns(String);

    impl Netns {
        fn create() -> Netns {
            let name = format!("cfxfw{}", std::process::id());
            let ok = std::process::Command::new("ip")
                .args(["netns", "add", &name])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "ip netns add {name} failed");
            Netns(name)
        }

        fn exec(&self, args: &[&str]) {
            let ok = std::process::Command::new("ip")
                .args(["netns", "exec", &self.0])
                .args(args)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "in {}: {args:?} failed", self.0);
        }
    }

    impl Drop for Netns {
        fn drop(&mut self) {
            let _ = std::process::Command::new("ip")
                .args(["netns", "del", &self.0])
                .status();
        }
    }

    #[tokio::test]
    async fn read_rules_in_a_scratch_namespace() {
        let tools = ["ip", "iptables", "nft"];
        if !may_read_rules() || !tools.iter().all(|t| find_program(t).is_some()) {
            eprintln!("skipped: needs root and ip, iptables, nft");
            return;
        }
        let ns = Netns::create();
        ns.exec(&[
            "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "8080", "-j", "REJECT",
        ]);
        ns.exec(&["iptables", "-P", "INPUT", "DROP"]);
        ns.exec(&["nft", "add", "table", "inet", "t"]);
        ns.exec(&[
            "nft",
            "add",
            "chain",
            "inet",
            "t",
            "out",
            "{ type filter hook output priority 0; }",
        ]);
        ns.exec(&[
            "nft", "add", "rule", "inet", "t", "out", "tcp", "dport", "7000", "drop",
        ]);

        let prefix = ["ip", "netns", "exec", ns.0.as_str()];
        let data = read_rules_with(&prefix, Duration::from_secs(10)).await;
        assert!(data.readable, "{data:?}");
        assert!(
            data.sources.contains(&"nft list ruleset".to_string()),
            "{:?}",
            data.sources
        );
        assert!(
            data.sources.contains(&"iptables-save".to_string()),
            "{:?}",
            data.sources
        );
        assert_eq!(data.total_rules, 2);

        let hits = data.affecting(8080);
        let named: Vec<&&FirewallRule> = hits.iter().filter(|r| r.names_port(8080)).collect();
        assert_eq!(named.len(), 1, "{hits:#?}");
        assert_eq!(named[0].tool, "iptables");
        assert_eq!(named[0].action, Action::Reject);
        assert_eq!(named[0].direction, Direction::Input);
        assert!(hits.iter().any(|r| r.default_policy));

        let out = data.affecting(7000);
        let r = out
            .iter()
            .find(|r| r.names_port(7000))
            .expect("the nft rule");
        assert_eq!(
            (r.tool.as_str(), r.direction, r.action),
            ("nft", Direction::Output, Action::Drop)
        );
        assert!(data.affecting(9999).iter().all(|r| !r.names_port(9999)));
    }
}
