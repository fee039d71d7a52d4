//! Faults that need a network of their own: firewall rules, ICMP rejects, missing routes,
//! other hosts and DNS servers. Each test builds network namespaces (as root), runs the real
//! binary inside one, and removes everything afterwards. Traffic never leaves them.
//! Without root they say why they skip; under CI=true a missing requirement fails.

mod support;

use serde_json::Value;
use std::net::IpAddr;
use support::cli::*;
use support::{Dnsmasq, Netns};

fn netns_available() -> bool {
    support::require(
        support::can_netns(),
        "network namespace test",
        "needs root and iproute2",
    )
}

fn firewall_available() -> bool {
    support::require(
        support::have("iptables"),
        "firewall test",
        "needs iptables (Debian package iptables)",
    )
}

/// `connfix check ARGS --json` run inside `ns`.
fn check_in(ns: &Netns, args: &[&str]) -> (i32, Value) {
    let mut c = ns.command(BIN);
    isolate(&mut c);
    c.arg("check").args(args).arg("--json");
    json_of(c)
}

fn port_of(l: &std::net::TcpListener) -> u16 {
    l.local_addr().unwrap().port()
}

#[test]
fn a_local_reject_rule_refuses_a_running_service() {
    if !netns_available() || !firewall_available() {
        return;
    }
    let ns = Netns::new();
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = port_of(&service).to_string();
    ns.run(&[
        "iptables", "-A", "INPUT", "-p", "tcp", "--dport", &port, "-j", "REJECT",
    ]);
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}")]);
    assert_verdict(&v, "firewall-reject", "certain");
    assert_eq!(code, 1);
    assert!(has_fact(&v, "listener.exact"), "the service is running");
    assert!(v["causes"][0]["evidence"].to_string().contains(&port));
}

#[test]
fn a_reject_with_tcp_reset_is_also_refused() {
    if !netns_available() || !firewall_available() {
        return;
    }
    let ns = Netns::new();
    let port = "7443";
    ns.run(&[
        "iptables",
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--dport",
        port,
        "-j",
        "REJECT",
        "--reject-with",
        "tcp-reset",
    ]);
    let (_, v) = check_in(&ns, &[&format!("127.0.0.1:{port}")]);
    assert_verdict(&v, "firewall-reject", "certain");
}

#[test]
fn a_local_drop_rule_times_out() {
    if !netns_available() || !firewall_available() {
        return;
    }
    let ns = Netns::new();
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = port_of(&service).to_string();
    ns.run(&[
        "iptables", "-A", "INPUT", "-p", "tcp", "--dport", &port, "-j", "DROP",
    ]);
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "1s"]);
    assert_verdict(&v, "firewall-drop", "certain");
    assert_eq!(code, 1);
    assert!(has_fact(&v, "tcp.timeout"));
}

/// A client namespace and a server namespace on one link.
fn two_hosts() -> (Netns, Netns) {
    let client = Netns::new();
    let server = Netns::new();
    client.link(&server, "10.231.7.1/24", "10.231.7.2/24");
    (client, server)
}

#[test]
fn an_icmp_host_prohibited_reject_on_the_server() {
    if !netns_available() || !firewall_available() {
        return;
    }
    let (client, server) = two_hosts();
    server.run(&[
        "iptables",
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--dport",
        "8080",
        "-j",
        "REJECT",
        "--reject-with",
        "icmp-host-prohibited",
    ]);
    let (code, v) = check_in(&client, &["10.231.7.2:8080", "--timeout", "3s"]);
    // connect() says "no route to host" for both; the ICMP code says a firewall on a
    // machine that is up rejected (firewalld's default), not a machine that is down.
    assert_verdict(&v, "firewall-reject", "certain");
    assert!(has_fact(&v, "tcp.host_prohibited"));
    assert!(
        !cause_ids(&v).contains(&"host-unreachable".to_string()),
        "{:?}",
        cause_ids(&v)
    );
    let action = v["verdict"]["action"].as_str().unwrap();
    assert!(
        action.contains("10.231.7.2") && action.contains("8080"),
        "{action}"
    );
    assert!(action.contains("prohibited"), "{action}");
    assert_eq!(code, 1);
    assert_eq!(
        v["probes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "tcp")
            .unwrap()["data"]["attempts"][0]["errno"],
        113
    );
}

#[test]
fn a_reject_of_everything_with_admin_prohibited_names_the_far_firewall() {
    if !netns_available() || !firewall_available() {
        return;
    }
    let (client, server) = two_hosts();
    // firewalld's closing rule: everything not allowed gets admin-prohibited.
    server.run(&[
        "iptables",
        "-A",
        "INPUT",
        "-j",
        "REJECT",
        "--reject-with",
        "icmp-admin-prohibited",
    ]);
    let (code, v) = check_in(&client, &["10.231.7.2:8443", "--timeout", "3s"]);
    assert_verdict(&v, "firewall-reject", "certain");
    let action = v["verdict"]["action"].as_str().unwrap();
    assert!(action.contains("administratively prohibited"), "{action}");
    assert!(action.contains("sent by 10.231.7.2"), "{action}");
    assert_eq!(code, 1);
}

#[test]
fn a_machine_that_is_down_is_host_unreachable_by_its_icmp() {
    if !netns_available() {
        return;
    }
    let (client, _server) = two_hosts();
    // Nothing answers neighbour discovery for .3; keep the kernel's wait short.
    client.run(&[
        "sh",
        "-c",
        "for f in /proc/sys/net/ipv4/neigh/*/retrans_time_ms; do echo 200 > $f; done",
    ]);
    let (code, v) = check_in(&client, &["10.231.7.3:8080", "--timeout", "5s"]);
    assert_verdict(&v, "host-unreachable", "certain");
    assert!(has_fact(&v, "tcp.host_down"));
    assert!(!cause_ids(&v).contains(&"firewall-reject".to_string()));
    assert_eq!(code, 1);
}

#[test]
fn nothing_listening_on_another_host() {
    if !netns_available() {
        return;
    }
    let (client, _server) = two_hosts();
    let (code, v) = check_in(&client, &["10.231.7.2:5432", "--timeout", "3s"]);
    assert_verdict(&v, "remote-refused", "likely");
    assert_eq!(code, 1);
    assert!(has_fact(&v, "target.remote"));
    let keys = v["questions"].to_string();
    assert!(keys.contains("remote_running"), "{keys}");
}

#[test]
fn no_route_to_the_network() {
    if !netns_available() {
        return;
    }
    let ns = Netns::new(); // only lo: there is no route to anything else
    let (code, v) = check_in(&ns, &["10.231.200.1:80", "--timeout", "2s"]);
    assert_verdict(&v, "network-unreachable", "certain");
    assert_eq!(code, 1);
}

/// Not a firewall rule but a route that forbids the destination: the socket sees EACCES, the
/// same as from a REJECT of the local OUTPUT chain, and no rule is there to name. So the
/// cause is a rejection by policy, only "likely"; the rule-based cases are above.
#[test]
fn a_prohibit_route_forbids_the_connection() {
    if !netns_available() {
        return;
    }
    let (client, _server) = two_hosts();
    client.run(&["ip", "route", "add", "prohibit", "10.231.7.2/32"]);
    let (_, v) = check_in(&client, &["10.231.7.2:80", "--timeout", "2s"]);
    assert!(has_fact(&v, "tcp.denied"), "{v}");
    assert_verdict(&v, "firewall-reject", "likely");
}

#[test]
fn the_port_is_bound_to_loopback_only() {
    if !netns_available() {
        return;
    }
    let (client, _server) = two_hosts();
    let service = listen_in_netns(&client.name, "127.0.0.1:0".parse().unwrap());
    let port = port_of(&service);
    // 10.231.7.1 is the client namespace's own address on the link.
    let (_, v) = check_in(&client, &[&format!("10.231.7.1:{port}")]);
    assert_verdict(&v, "bind-address-mismatch", "certain");
}

/// A namespace whose resolver is a dnsmasq on 127.0.0.1:53 inside it.
fn with_dns(records: &[(&str, Option<IpAddr>)]) -> (Netns, Dnsmasq) {
    let ns = Netns::new();
    ns.set_resolv_conf("nameserver 127.0.0.1\n");
    let dns = Dnsmasq::start(Some(&ns), "127.0.0.1".parse().unwrap(), 53, records);
    (ns, dns)
}

fn dns_available() -> bool {
    netns_available()
        && support::require(
            support::find_program("dnsmasq").is_some(),
            "DNS test",
            "needs dnsmasq (Debian package dnsmasq-base)",
        )
}

#[test]
fn a_name_that_does_not_exist() {
    if !dns_available() {
        return;
    }
    let (ns, _dns) = with_dns(&[("nx.test", None)]);
    let (code, v) = check_in(&ns, &["https://api.nx.test/hook"]);
    assert_verdict(&v, "dns-no-such-host", "certain");
    assert_eq!(code, 1);
    let dns = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "dns")
        .unwrap();
    assert_eq!(dns["data"]["direct"]["outcome"], "nx_domain");
    assert_eq!(dns["data"]["system"]["error"]["kind"], "no_name");
}

#[test]
fn a_dead_dns_server() {
    if !netns_available() {
        return;
    }
    let ns = Netns::new();
    ns.set_resolv_conf("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    let (code, v) = check_in(&ns, &["db.internal.test:5432", "--timeout", "2s"]);
    assert_verdict(&v, "dns-server-unreachable", "certain");
    assert_eq!(code, 1);
}

#[test]
fn dns_server_flag_asks_another_server() {
    if !dns_available() {
        return;
    }
    let ns = Netns::new();
    // The system resolver points at a dead server; the flag names a live one.
    ns.set_resolv_conf("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    let _dns = Dnsmasq::start(
        Some(&ns),
        "127.0.0.1".parse().unwrap(),
        5300,
        &[("db.test", Some("127.0.0.1".parse().unwrap()))],
    );
    let (_, v) = check_in(
        &ns,
        &[
            "db.test:5432",
            "--dns-server",
            "127.0.0.1:5300",
            "--timeout",
            "2s",
        ],
    );
    let dns = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "dns")
        .unwrap();
    assert_eq!(dns["data"]["direct"]["servers"][0], "127.0.0.1:5300");
    assert_eq!(dns["data"]["direct"]["addresses"][0], "127.0.0.1");
    assert_verdict(&v, "dns-server-unreachable", "likely");
}

#[test]
fn the_hosts_file_disagrees_with_dns() {
    if !dns_available() {
        return;
    }
    let (ns, _dns) = with_dns(&[("app.test", Some("127.0.0.1".parse().unwrap()))]);
    ns.set_hosts("127.0.0.1 localhost\n127.0.0.2 app.test\n");
    let service = listen_in_netns(&ns.name, "127.0.0.2:0".parse().unwrap());
    let (code, v) = check_in(&ns, &[&format!("app.test:{}", port_of(&service))]);
    assert!(cause_ids(&v).contains(&"dns-mismatch".to_string()), "{v}");
    assert!(v.to_string().contains("/etc/hosts gives 127.0.0.2"), "{v}");
    // The connection itself works, so the mismatch is a warning, not the verdict.
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
}

#[test]
fn a_hosts_line_that_sends_the_client_elsewhere_is_the_verdict() {
    if !dns_available() {
        return;
    }
    // DNS says 127.0.0.1, where the server listens; the hosts file says 127.0.0.2.
    let (ns, _dns) = with_dns(&[("app.test", Some("127.0.0.1".parse().unwrap()))]);
    ns.set_hosts("127.0.0.1 localhost\n127.0.0.2 app.test\n");
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = port_of(&service);
    let (code, v) = check_in(&ns, &[&format!("app.test:{port}")]);
    assert_verdict(&v, "dns-mismatch", "certain");
    assert_eq!(code, 1);
    let action = v["verdict"]["action"].as_str().unwrap();
    assert!(
        action.starts_with("/etc/hosts maps app.test to 127.0.0.2 while DNS server"),
        "{action}"
    );
    assert!(action.contains("answers 127.0.0.1"), "{action}");
    // The bind address is still listed, below.
    assert!(cause_ids(&v).contains(&"bind-address-mismatch".to_string()));
}

#[test]
fn a_hosts_file_answer_does_not_wait_for_a_dead_dns_server() {
    if !netns_available() {
        return;
    }
    let ns = Netns::new();
    // A resolver that never answers: nothing listens at this address in the namespace.
    ns.set_resolv_conf("nameserver 127.0.0.77\n");
    ns.set_hosts("127.0.0.1 localhost\n127.0.0.1 app.test\n");
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let (code, v) = check_in(
        &ns,
        &[
            &format!("app.test:{}", port_of(&service)),
            "--timeout",
            "5s",
        ],
    );
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
    let dns = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "dns")
        .unwrap();
    // Either the dead server refused at once, or the comparison was given up after the
    // grace: never the whole timeout.
    let skipped = dns["data"]["direct_skipped"].as_str().unwrap_or("");
    let direct = &dns["data"]["direct"];
    assert!(
        skipped.contains("not compared") || direct["outcome"] != "timeout",
        "{dns}"
    );
}

#[test]
fn localhost_resolves_to_ipv6_first_but_the_server_is_ipv4_only() {
    if !netns_available() {
        return;
    }
    let ns = Netns::new();
    ns.set_hosts("::1 localhost\n127.0.0.1 localhost\n");
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let (code, v) = check_in(&ns, &[&format!("localhost:{}", port_of(&service))]);
    assert!(
        has_fact(&v, "dns.ipv6_first") && has_fact(&v, "tcp.partial"),
        "{v}"
    );
    assert_verdict(&v, "ipv6-ipv4-mismatch", "likely");
    assert_eq!(code, 1);
}

/// The connect fails inside the machine with EADDRNOTAVAIL: the namespace's local port range
/// is two ports wide and two open connections to the server hold both, so connfix's own
/// connect to the same server gets no local port. The answer names the server it measured.
#[test]
fn no_local_port_is_left_toward_the_server() {
    if !netns_available() {
        return;
    }
    let ns = Netns::new();
    // The server's own port comes from the range too, so it is bound before it narrows.
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = port_of(&service);
    ns.run(&["sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40001"]);
    let server: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let held = connect_in_netns(&ns.name, server, 2);
    assert_eq!(held.len(), 2, "both local ports should be in use");
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "3s"]);
    assert_verdict(&v, "local-ports-exhausted", "likely");
    assert_eq!(code, 1);
    let action = v["verdict"]["action"].as_str().unwrap_or_default();
    assert!(action.contains(&format!("127.0.0.1:{port}")), "{action}");
    assert!(action.contains("EADDRNOTAVAIL"), "{action}");
    let commands = v["causes"][0]["commands"].to_string();
    assert!(commands.contains("ss -tan dst 127.0.0.1"), "{commands}");
    assert!(commands.contains(&format!(":{port}")), "{commands}");
    drop(held);
}
