use super::*;

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
fn iptables_rules_are_numbered_within_their_chain() {
    let save = "*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A OUTPUT -p tcp --dport 9 -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 8080 -j DROP\nCOMMIT\n";
    let (rules, _) = parse_iptables_save(save, "iptables");
    let numbered: Vec<(&str, Option<u32>)> =
        rules.iter().map(|r| (r.chain.as_str(), r.number)).collect();
    assert_eq!(numbered, vec![("OUTPUT", Some(1)), ("INPUT", Some(3))]);
}
