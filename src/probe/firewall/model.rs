//! What a firewall rule is, once read, and which rules could hit a port.

use serde::{Deserialize, Serialize};

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

    pub(super) fn unreadable(reason: impl Into<String>) -> FirewallData {
        FirewallData {
            unreadable_reason: Some(reason.into()),
            ..FirewallData::default()
        }
    }
}

/// An inclusive range of ports, `(lo, hi)`.
pub(super) type PortRange = (u16, u16);

pub(super) fn in_ranges(ranges: &[PortRange], port: u16) -> bool {
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&port))
}
