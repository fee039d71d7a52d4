//! Port ranges, port and protocol names, and rule targets, as both parsers read them.

use super::model::{Action, Direction, PortRange};

pub(super) const ALL_PORTS: PortRange = (0, u16::MAX);

/// "80", "ssh", "8000:8100" (iptables; either end may be left out) or "8000-8100" (nft).
pub(super) fn parse_port_range(s: &str) -> Option<PortRange> {
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

pub(super) fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok().or_else(|| service_port(s))
}

/// Older nft versions print well-known ports by name.
pub(super) fn service_port(name: &str) -> Option<u16> {
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
pub(super) fn complement(ranges: &[PortRange]) -> Vec<PortRange> {
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

pub(super) fn clamp_port(n: u32) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Sorted, with overlapping and adjacent ranges joined.
pub(super) fn merge_ranges(mut ranges: Vec<PortRange>) -> Vec<PortRange> {
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
pub(super) fn protocol_name(p: &str) -> Option<String> {
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
pub(super) fn protocol_match(values: &[&str], negated: bool) -> Option<String> {
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

pub(super) fn target_action(target: &str) -> Option<Action> {
    match target.to_ascii_uppercase().as_str() {
        "REJECT" => Some(Action::Reject),
        "DROP" => Some(Action::Drop),
        _ => None,
    }
}

pub(super) fn hook_direction(hook: &str) -> Direction {
    match hook.to_ascii_lowercase().as_str() {
        "input" => Direction::Input,
        "output" => Direction::Output,
        "forward" => Direction::Forward,
        _ => Direction::Other,
    }
}
