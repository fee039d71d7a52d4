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

mod iptables;
mod model;
mod nft;
mod nft_rule;
mod parse;
mod ports;
mod read;
#[cfg(test)]
mod tests;

pub use iptables::parse_iptables_save;
pub use model::{Action, Direction, FirewallData, FirewallRule};
pub use nft::parse_nft_ruleset;
pub use read::read_rules;

use super::{ProbeData, ProbeId, ProbeReport, Status, ms_since};
use std::time::{Duration, Instant};

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
