//! Facts from the firewall probe: the rules that could reject or drop the port.

use super::set::{FactSet, vals};
use crate::probe::firewall::{Action, Direction, FirewallData, FirewallRule};
use crate::vocabulary::template::Values;

/// The values of a firewall rule that blocks `port`: where it is, and the commands that
/// list it, remove it, or accept the port ahead of it. ufw and firewalld get their own
/// commands when their chains or tables hold the rule, since a raw edit under them is
/// undone at their next reload.
pub fn rule_values(r: &FirewallRule, port: u16) -> Values {
    let manager = if r.chain.starts_with("ufw-") || r.chain.starts_with("ufw6-") {
        "ufw"
    } else if r.table == "firewalld" {
        "firewalld"
    } else {
        ""
    };
    let nft = r.tool == "nft";
    let verb = match r.action {
        Action::Reject => "rejects",
        Action::Drop => "drops",
    };
    let position = if nft {
        r.handle
            .map(|h| format!(" (handle {h})"))
            .unwrap_or_default()
    } else {
        r.number.map(|n| format!(" {n}")).unwrap_or_default()
    };
    let place = if nft {
        format!("{} {}/{}", r.family, r.table, r.chain)
    } else {
        format!("{}/{}", r.table, r.chain)
    };
    let where_ = if r.default_policy {
        format!("the DROP policy of {} chain {place}", r.tool)
    } else {
        format!("{} rule{position} in {place}", r.tool)
    };
    // A rule matching only the source port hits the server's replies.
    let port_match = if !r.dports.is_empty() || r.sports.is_empty() {
        "dport"
    } else {
        "sport"
    };
    let list = match manager {
        "ufw" => "ufw status numbered".to_string(),
        "firewalld" => "firewall-cmd --list-all".to_string(),
        _ if nft => format!("nft -a list chain {} {} {}", r.family, r.table, r.chain),
        _ => format!(
            "{} -t {} -L {} -n -v --line-numbers",
            r.tool, r.table, r.chain
        ),
    };
    let delete = match (manager, r.default_policy) {
        ("", false) if nft => r
            .handle
            .map(|h| {
                format!(
                    "nft delete rule {} {} {} handle {h}",
                    r.family, r.table, r.chain
                )
            })
            .unwrap_or_default(),
        ("", false) => r
            .number
            .map(|n| format!("{} -t {} -D {} {n}", r.tool, r.table, r.chain))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let allow = match manager {
        "ufw" => format!("ufw allow {port}/tcp"),
        "firewalld" => format!("firewall-cmd --add-port={port}/tcp"),
        _ if nft => {
            let at = r
                .handle
                .filter(|_| !r.default_policy)
                .map(|h| format!(" position {h}"))
                .unwrap_or_default();
            format!(
                "nft insert rule {} {} {}{at} tcp {port_match} {port} accept",
                r.family, r.table, r.chain
            )
        }
        _ => {
            let at = r.number.filter(|_| !r.default_policy).unwrap_or(1);
            format!(
                "{} -t {} -I {} {at} -p tcp --{port_match} {port} -j ACCEPT",
                r.tool, r.table, r.chain
            )
        }
    };
    vals([
        ("rule.tool", r.tool.clone()),
        ("rule.table", r.table.clone()),
        ("rule.chain", r.chain.clone()),
        (
            "rule.number",
            r.number.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (
            "rule.handle",
            r.handle.map(|h| h.to_string()).unwrap_or_default(),
        ),
        ("rule.text", r.text.clone()),
        ("rule.where", where_),
        ("rule.verb", verb.to_string()),
        ("rule.manager", manager.to_string()),
        ("rule.list_command", list),
        ("rule.delete_command", delete),
        ("rule.allow_command", allow),
    ])
}

pub(super) fn firewall_facts(f: &mut FactSet, fw: &FirewallData, port: u16, local: bool) {
    if !fw.readable {
        let why = fw
            .unreadable_reason
            .clone()
            .unwrap_or_else(|| "the firewall rules could not be read".into());
        f.add("firewall.unreadable", "firewall", why);
        return;
    }
    let relevant = |d: Direction| match d {
        Direction::Output | Direction::Other => true,
        Direction::Input => local,
        Direction::Forward => false,
    };
    for r in fw
        .affecting(port)
        .into_iter()
        .filter(|r| relevant(r.direction))
    {
        let values = rule_values(r, port);
        let text = format!("{}: {}", values["rule.where"], r.text);
        if r.default_policy {
            f.add_with(
                "firewall.default_drop",
                "firewall",
                format!("chain {} drops what no rule accepts ({})", r.chain, r.tool),
                values,
            );
        } else if r.names_port(port) {
            match r.action {
                Action::Reject => f.add_with("firewall.reject_rule", "firewall", text, values),
                Action::Drop => f.add_with("firewall.drop_rule", "firewall", text, values),
            }
        } else {
            // A rule for every port usually closes a chain after its ACCEPT rules, which
            // connfix does not evaluate: weaker evidence than a rule naming the port.
            f.add_with(
                "firewall.default_drop",
                "firewall",
                format!("a catch-all rule blocks what earlier rules do not accept: {text}"),
                values,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::json;

    fn rule(
        tool: &str,
        chain: &str,
        table: &str,
        number: Option<u32>,
        handle: Option<u64>,
    ) -> FirewallRule {
        FirewallRule {
            tool: tool.into(),
            family: "inet".into(),
            table: table.into(),
            chain: chain.into(),
            direction: Direction::Input,
            action: Action::Drop,
            text: String::new(),
            protocol: Some("tcp".into()),
            dports: vec![(8080, 8080)],
            sports: Vec::new(),
            default_policy: false,
            reject_with: None,
            number,
            handle,
        }
    }

    #[test]
    fn rule_commands_per_tool_and_manager() {
        let v = rule_values(&rule("iptables", "INPUT", "filter", Some(3), None), 8080);
        assert_eq!(v["rule.where"], "iptables rule 3 in filter/INPUT");
        assert_eq!(v["rule.delete_command"], "iptables -t filter -D INPUT 3");
        assert_eq!(
            v["rule.allow_command"],
            "iptables -t filter -I INPUT 3 -p tcp --dport 8080 -j ACCEPT"
        );
        let v = rule_values(&rule("nft", "input", "filter", None, Some(7)), 8080);
        assert_eq!(
            v["rule.delete_command"],
            "nft delete rule inet filter input handle 7"
        );
        assert_eq!(
            v["rule.allow_command"],
            "nft insert rule inet filter input position 7 tcp dport 8080 accept"
        );
        // A raw edit under ufw or firewalld is undone by them: their own commands instead.
        let v = rule_values(
            &rule("iptables", "ufw-user-input", "filter", Some(2), None),
            8080,
        );
        assert_eq!(v["rule.allow_command"], "ufw allow 8080/tcp");
        assert!(!v.contains_key("rule.delete_command"));
        let v = rule_values(
            &rule("nft", "filter_IN_public", "firewalld", None, Some(9)),
            8080,
        );
        assert_eq!(v["rule.allow_command"], "firewall-cmd --add-port=8080/tcp");
    }

    /// A rule of `tool` in `chain` with `action` on TCP `dports` (empty = every port).
    fn rule_json(
        chain: &str,
        direction: &str,
        action: &str,
        dports: &[(u16, u16)],
        policy: bool,
    ) -> serde_json::Value {
        json!({
            "tool": "iptables", "family": "ip", "table": "filter", "chain": chain,
            "direction": direction, "action": action, "text": format!("-A {chain} -j {action}"),
            "protocol": if dports.is_empty() { None } else { Some("tcp") },
            "dports": dports, "sports": [], "default_policy": policy, "reject_with": null,
            "number": 1
        })
    }

    fn firewall(rules: Vec<serde_json::Value>) -> serde_json::Value {
        json!({
            "readable": true, "sources": ["iptables-save"], "unreadable_reason": null,
            "total_rules": rules.len(), "rules": rules
        })
    }

    #[test]
    fn facts_per_rule() {
        let row = |case, target, rules, has, lacks| Row {
            case,
            target,
            probe: ProbeId::Firewall,
            data: firewall(rules),
            has,
            lacks,
        };
        let (here, there) = ("127.0.0.1:8080", "192.0.2.7:8080");
        let reject_8080 = || rule_json("INPUT", "input", "reject", &[(8080, 8080)], false);
        check(&[
            row(
                "a reject rule naming the port, to this host",
                here,
                vec![reject_8080()],
                &["firewall.reject_rule"],
                &["firewall.drop_rule", "firewall.default_drop"],
            ),
            row(
                "a drop rule on the way out, to another host",
                there,
                vec![rule_json(
                    "OUTPUT",
                    "output",
                    "drop",
                    &[(8000, 9000)],
                    false,
                )],
                &["firewall.drop_rule"],
                &["firewall.reject_rule"],
            ),
            row(
                "input rules do not stop traffic to another host",
                there,
                vec![reject_8080()],
                &[],
                &["firewall.reject_rule", "firewall.default_drop"],
            ),
            row(
                "a drop policy and a catch-all rule are weaker evidence",
                here,
                vec![
                    rule_json("INPUT", "input", "drop", &[], true),
                    rule_json("INPUT", "input", "drop", &[], false),
                ],
                &["firewall.default_drop"],
                &["firewall.drop_rule"],
            ),
            row(
                "a rule for another port",
                here,
                vec![rule_json("INPUT", "input", "reject", &[(22, 22)], false)],
                &[],
                &["firewall.reject_rule", "firewall.default_drop"],
            ),
        ]);
        check(&[Row {
            case: "rules that could not be read",
            target: here,
            probe: ProbeId::Firewall,
            data: json!({
                "readable": false, "sources": [], "rules": [], "total_rules": 0,
                "unreadable_reason": "reading firewall rules needs root"
            }),
            has: &["firewall.unreadable"],
            lacks: &["firewall.reject_rule"],
        }]);
    }
}
