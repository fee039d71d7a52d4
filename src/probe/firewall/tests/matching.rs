use super::*;

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
