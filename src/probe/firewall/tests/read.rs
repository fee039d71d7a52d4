use super::*;

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
    assert!(matches!(command_failure(status, ""), Failure::Other(m) if m.starts_with("failed")));

    let data = Reading::default().finish();
    assert!(!data.readable && data.unreadable_reason.is_some());
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
    // `sleep 300` ends only when run_tool's 200 ms bound kills it. The outer 30 s is a hang
    // guard, not a speed requirement: it fails the test instead of waiting out the sleep.
    let result = tokio::time::timeout(
        Duration::from_secs(30),
        run_tool(&[], "sleep", &["300"], Duration::from_millis(200)),
    )
    .await
    .expect("run_tool did not stop `sleep 300` at its 200 ms bound");
    assert!(matches!(result, Err(Failure::Other(m)) if m.contains("no answer")));

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
        // Unit tests cannot use tests/support's `require`: the same rule, inline. CI runs
        // as root with these tools installed (.ci/run), so there a skip is a failure.
        let why = "skipped: read_rules_in_a_scratch_namespace needs root and ip, iptables, nft";
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "{why} (CI=true: .ci/run runs as root and installs them)"
        );
        eprintln!("{why}");
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
