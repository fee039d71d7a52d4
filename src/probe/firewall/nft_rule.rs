//! `nft list ruleset`: what one rule matches (ports, protocols, sets, maps) and does.

use super::model::{Action, PortRange};
use super::parse::{Matches, Word, bare, is_bare, split_words};
use super::ports::{
    ALL_PORTS, complement, merge_ranges, parse_port_range, protocol_match, target_action,
};
use std::collections::HashMap;

/// A port match with more ranges than this is taken as "any port": it is a catch-all in
/// all but name, and keeping it would let one big set multiply across many rules.
const MAX_PORT_RANGES: usize = 1024;

/// Selector prefixes whose `dport`/`sport` is a port; `th` is any transport protocol.
pub(super) const PORT_PROTOCOLS: [&str; 6] = ["tcp", "udp", "sctp", "dccp", "udplite", "th"];
/// Prefixes that, followed by a header field, restrict the rule to their protocol.
pub(super) const L4_KEYWORDS: [&str; 8] = [
    "tcp", "udp", "sctp", "dccp", "udplite", "icmp", "icmpv6", "igmp",
];
/// Meta shorthands of one word, so a concatenation (`iifname . tcp dport`) can be walked.
pub(super) const ONE_WORD_SELECTORS: [&str; 16] = [
    "iifname", "oifname", "iif", "oif", "iiftype", "oiftype", "mark", "priority", "skuid", "skgid",
    "nfproto", "l4proto", "pkttype", "cpu", "iifgroup", "oifgroup",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PortField {
    Dst,
    Src,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
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
pub(super) struct Element {
    pub(super) parts: Vec<String>,
    pub(super) verdict: Vec<String>,
}

/// Port ranges read from one field of a set or map.
#[derive(Debug, Clone, Default)]
pub(super) struct SetPorts {
    pub(super) ranges: Vec<PortRange>,
    /// For a verdict map: what its matching elements do, and the chains it jumps to.
    pub(super) action: Option<Action>,
    pub(super) jumps: Vec<String>,
}

/// Scans the rules of one table. What a named set gives for a field is read once and
/// remembered, so a big set used by many rules keeps the scan linear.
pub(super) struct NftScanner<'a> {
    pub(super) named: &'a HashMap<String, Vec<Element>>,
    pub(super) default_reject: &'a str,
    /// (set, field, width, vmap) -> ports.
    pub(super) memo: HashMap<(String, usize, usize, bool), SetPorts>,
}

impl<'a> NftScanner<'a> {
    pub(super) fn new(named: &'a HashMap<String, Vec<Element>>, default_reject: &'a str) -> Self {
        NftScanner {
            named,
            default_reject,
            memo: HashMap::new(),
        }
    }

    /// Reads one rule left to right; each step returns where the next one starts.
    pub(super) fn scan(&mut self, rule: &str) -> Matches {
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

    pub(super) fn step(&mut self, words: &[Word], i: usize, m: &mut Matches) -> usize {
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
    pub(super) fn port_match(&mut self, words: &[Word], start: usize, m: &mut Matches) -> usize {
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

    pub(super) fn named_ports(
        &mut self,
        name: &str,
        k: usize,
        width: usize,
        vmap: bool,
    ) -> SetPorts {
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
pub(super) fn l4proto_match(words: &[Word], i: usize, m: &mut Matches) -> usize {
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
pub(super) fn nft_reject(words: &[Word], i: usize, default_reject: &str, m: &mut Matches) -> usize {
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
pub(super) fn concat_fields(
    words: &[Word],
    start: usize,
    m: &mut Matches,
) -> (Vec<Option<PortField>>, usize) {
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

pub(super) fn port_selector(words: &[Word], i: usize) -> Option<(&str, PortField)> {
    let proto = bare(words, i).filter(|p| PORT_PROTOCOLS.contains(p))?;
    match bare(words, i + 1)? {
        "dport" => Some((proto, PortField::Dst)),
        "sport" => Some((proto, PortField::Src)),
        _ => None,
    }
}

pub(super) fn selector_len(words: &[Word], i: usize) -> usize {
    match bare(words, i) {
        Some(w) if ONE_WORD_SELECTORS.contains(&w) => 1,
        _ => 2,
    }
}

/// How many concatenated fields (`ip6 saddr . `) stand before the selector at `start`.
pub(super) fn fields_before(words: &[Word], start: usize) -> usize {
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

pub(super) fn operator(words: &[Word], i: usize) -> (Op, usize) {
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
pub(super) fn group_end(words: &[Word], open: usize) -> usize {
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
pub(super) fn value_list(words: &[Word], i: usize) -> (Vec<String>, usize) {
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
pub(super) enum Value {
    /// `@name`: looked up in the table's named sets.
    Named(String),
    /// An anonymous set, or a literal as one element.
    Elements(Vec<Element>),
}

/// The value at `i`: an anonymous set `{ ... }`, a named set `@name`, or a literal of
/// `width` concatenated parts (`22`, `::1 . 22`).
pub(super) fn value_at(words: &[Word], i: usize, width: usize) -> (Value, usize) {
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
pub(super) fn named_elements(text: &str) -> Vec<Element> {
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
pub(super) fn parse_elements(words: &[Word]) -> Vec<Element> {
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
pub(super) fn set_ports(elements: &[Element], k: usize, width: usize, vmap: bool) -> SetPorts {
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
pub(super) fn apply_op(ranges: Vec<PortRange>, op: Op) -> Vec<PortRange> {
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
