//! Self-test of the integration-test support library: namespaces, dnsmasq, veth links, require.

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use support::{Dnsmasq, Netns};

const V4_LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const V6_LOOPBACK: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

fn netns_available() -> bool {
    support::require(
        support::can_netns(),
        "network namespace test",
        "needs root, iproute2 and permission to create namespaces",
    )
}

fn getent_available() -> bool {
    support::require(
        support::have("getent"),
        "getent",
        "libc-bin is not installed",
    )
}

fn dnsmasq_available() -> bool {
    support::require(
        support::is_root() && support::have("dnsmasq"),
        "dnsmasq test",
        "needs root and dnsmasq (Debian package dnsmasq-base)",
    )
}

/// Whether `ip netns list` shows a namespace called exactly `name`.
fn netns_listed(name: &str) -> bool {
    let out = Command::new(support::find_program("ip").expect("ip"))
        .args(["netns", "list"])
        .output()
        .expect("ip netns list");
    // Lines look like "cfx-1-2" or "cfx-1-2 (id: 0)"; compare whole names (cfx-1-2 vs cfx-1-20).
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|line| line.split_whitespace().next() == Some(name))
}

fn assert_netns_gone(name: &str) {
    assert!(!netns_listed(name), "namespace {name} still listed");
    let etc = Path::new("/etc/netns").join(name);
    assert!(!etc.exists(), "{} still exists", etc.display());
}

#[test]
fn netns_has_lo_up_no_icmp_ratelimit_and_is_removed_on_drop() {
    if !netns_available() {
        return;
    }
    let ns = Netns::new();
    let name = ns.name.clone();
    assert!(netns_listed(&name));
    ns.set_hosts("10.9.9.9 only-in-ns.test\n");

    let lo = ns.run(&["ip", "addr", "show", "lo"]);
    assert!(lo.contains("LOOPBACK,UP"), "lo is not up:\n{lo}");
    let ratelimit = ns.run(&["cat", "/proc/sys/net/ipv4/icmp_ratelimit"]);
    assert_eq!(ratelimit.trim(), "0");
    let hosts = ns.run(&["cat", "/etc/hosts"]);
    assert_eq!(hosts, "10.9.9.9 only-in-ns.test\n");

    drop(ns);
    assert_netns_gone(&name);
}

#[test]
fn netns_is_removed_when_the_test_panics() {
    if !netns_available() {
        return;
    }
    let mut name = String::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let ns = Netns::new();
        ns.set_resolv_conf("nameserver 127.0.0.1\n");
        name.clone_from(&ns.name);
        panic!("deliberate panic with a live namespace");
    }));
    assert!(result.is_err());
    assert_netns_gone(&name);
}

#[test]
fn netns_names_are_unique() {
    if !netns_available() {
        return;
    }
    let namespaces: Vec<Netns> = (0..4).map(|_| Netns::new()).collect();
    let mut names: Vec<&str> = namespaces.iter().map(|ns| ns.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), namespaces.len());
}

#[test]
fn dnsmasq_in_netns_serves_getent() {
    if !netns_available() || !dnsmasq_available() || !getent_available() {
        return;
    }
    let ns = Netns::new();
    ns.set_resolv_conf("nameserver 127.0.0.1\n");
    let dns = Dnsmasq::start(
        Some(&ns),
        V4_LOOPBACK,
        53,
        &[
            ("ok.test", Some(V4_LOOPBACK)),
            ("v6.test", Some(V6_LOOPBACK)),
            ("nx.test", None),
        ],
    );

    let ok = ns.run(&["getent", "ahosts", "ok.test"]);
    assert!(ok.contains("127.0.0.1"), "ok.test: {ok}\n{}", dns.log());
    // Not ahostsv6: its AI_ADDRCONFIG ignores loopback addresses, so in a namespace with only lo
    // glibc answers "not found" without sending any query.
    let v6 = ns.run(&["getent", "ahosts", "v6.test"]);
    assert!(v6.contains("::1"), "v6.test: {v6}\n{}", dns.log());
    let nx = getent_status(&ns, "nx.test");
    assert_eq!(nx.status.code(), Some(2), "nx.test: {nx:?}\n{}", dns.log());
}

#[test]
fn dnsmasq_in_netns_listens_on_ipv6_loopback() {
    if !netns_available() || !dnsmasq_available() || !getent_available() {
        return;
    }
    let ns = Netns::new();
    ns.set_resolv_conf("nameserver ::1\n");
    let dns = Dnsmasq::start(
        Some(&ns),
        V6_LOOPBACK,
        53,
        &[("ok.test", Some(IpAddr::V4(Ipv4Addr::new(10, 9, 9, 9))))],
    );
    let ok = ns.run(&["getent", "ahosts", "ok.test"]);
    assert!(ok.contains("10.9.9.9"), "ok.test: {ok}\n{}", dns.log());
}

/// `getent ahosts NAME` inside `ns`, whatever its exit status.
fn getent_status(ns: &Netns, name: &str) -> Output {
    ns.command("getent")
        .args(["ahosts", name])
        .output()
        .expect("cannot run getent")
}

#[test]
fn dnsmasq_on_host_loopback_answers_like_a_zone() {
    if !dnsmasq_available() {
        return;
    }
    let (v4, v6) = (Ipv4Addr::new(127, 0, 0, 2), Ipv6Addr::LOCALHOST);
    let records = [
        ("host.test", Some(IpAddr::V4(v4))),
        ("both.test", Some(IpAddr::V4(v4))),
        ("both.test", Some(IpAddr::V6(v6))),
        ("nx.test", None),
    ];
    let (port, dns) =
        support::on_a_free_port(|port| Dnsmasq::start(None, V4_LOOPBACK, port, &records));
    assert_eq!(dns.addr, SocketAddr::new(V4_LOOPBACK, port));
    let log = dns.log();
    let ask = |name, qtype| query(dns.addr, name, qtype);

    assert_eq!(
        ask("host.test", TYPE_A),
        (RCODE_NOERROR, vec![v4.into()]),
        "{log}"
    );
    assert_eq!(
        ask("www.host.test", TYPE_A),
        (RCODE_NOERROR, vec![v4.into()]),
        "{log}"
    );
    // The family without a record is NODATA, not the REFUSED dnsmasq gives by default.
    assert_eq!(
        ask("host.test", TYPE_AAAA),
        (RCODE_NOERROR, vec![]),
        "{log}"
    );
    assert_eq!(
        ask("both.test", TYPE_AAAA),
        (RCODE_NOERROR, vec![v6.into()]),
        "{log}"
    );
    assert_eq!(
        ask("both.test", TYPE_A),
        (RCODE_NOERROR, vec![v4.into()]),
        "{log}"
    );
    assert_eq!(ask("nx.test", TYPE_A), (RCODE_NXDOMAIN, vec![]), "{log}");
    assert_eq!(
        ask("unlisted.test", TYPE_A),
        (RCODE_REFUSED, vec![]),
        "{log}"
    );
}

#[test]
fn dnsmasq_is_killed_on_drop() {
    if !dnsmasq_available() {
        return;
    }
    let (_, dns) = support::on_a_free_port(|port| Dnsmasq::start(None, V4_LOOPBACK, port, &[]));
    let proc_dir = format!("/proc/{}", dns.pid());
    assert!(Path::new(&proc_dir).exists());
    drop(dns);
    // Drop waited for the process, so it is reaped and gone, not a zombie.
    assert!(!Path::new(&proc_dir).exists(), "{proc_dir} still exists");
}

#[test]
fn dnsmasq_that_cannot_start_panics_with_its_log() {
    if !netns_available() || !dnsmasq_available() {
        return;
    }
    let ns = Netns::new();
    // No interface in the namespace has this address, so dnsmasq cannot bind it and exits.
    let absent = IpAddr::V4(Ipv4Addr::new(10, 231, 9, 9));
    let panic = catch_unwind(|| Dnsmasq::start(Some(&ns), absent, 53, &[])).expect_err("started");
    let message = panic.downcast_ref::<String>().expect("panic message");
    assert!(message.contains("exited"), "{message}");
    assert!(message.contains("10.231.9.9"), "{message}");
}

#[test]
fn linked_netns_carry_ipv4_traffic() {
    check_link("10.231.1.1/24", "10.231.1.2/24", "10.231.1.0/24");
}

#[test]
fn linked_netns_carry_ipv6_traffic() {
    check_link("fd31:231::1/64", "fd31:231::2/64", "fd31:231::/64");
}

/// Links two namespaces, checks the connected route, then resolves a name in `a` through a
/// dnsmasq in `b` listening on b's end of the link: real UDP traffic across the veth pair
/// without needing ping or nc.
fn check_link(a_cidr: &str, b_cidr: &str, prefix: &str) {
    if !netns_available() || !dnsmasq_available() || !getent_available() {
        return;
    }
    let (a, b) = (Netns::new(), Netns::new());
    let veth = a.link(&b, a_cidr, b_cidr);

    let routes = a.run(&["ip", "route", "show", "table", "main"]);
    let routes = routes + &a.run(&["ip", "-6", "route", "show", "table", "main"]);
    assert!(
        routes.contains(&format!("{prefix} dev {}", veth.mine)),
        "no connected route to {prefix}:\n{routes}"
    );

    let b_ip = host_part(b_cidr);
    if support::require(
        support::have("ping"),
        "ping across the veth link",
        "ping is not installed (Debian package iputils-ping)",
    ) {
        // -w: until the first reply, at most 5 s. Over a fresh IPv6 link the first echo
        // waits about a second for neighbour discovery, so one packet with -W1 can be lost.
        a.run(&["ping", "-c1", "-w5", &b_ip.to_string()]);
    }
    a.set_resolv_conf(&format!("nameserver {b_ip}\n"));
    let dns = Dnsmasq::start(
        Some(&b),
        b_ip,
        53,
        &[("far.test", Some(IpAddr::V4(Ipv4Addr::new(10, 8, 8, 8))))],
    );
    let far = a.run(&["getent", "ahosts", "far.test"]);
    assert!(far.contains("10.8.8.8"), "far.test: {far}\n{}", dns.log());
}

fn host_part(cidr: &str) -> IpAddr {
    let (ip, _) = cidr.split_once('/').expect("CIDR");
    ip.parse().expect("IP address")
}

const RCODE_NOERROR: u8 = 0;
const RCODE_NXDOMAIN: u8 = 3;
const RCODE_REFUSED: u8 = 5;
const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;

/// Sends one query (class IN) to `server`; returns the rcode and the A/AAAA addresses of the
/// answer. Hand-built, so the test needs no dig.
fn query(server: SocketAddr, name: &str, qtype: u16) -> (u8, Vec<IpAddr>) {
    const ID: u16 = 0x4346;
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind UDP");
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("set timeout");
    let message = encode_query(ID, name, qtype);
    socket.send_to(&message, server).expect("send query");
    let mut buf = [0u8; 512];
    let len = socket.recv(&mut buf).expect("no DNS answer");
    let reply = &buf[..len];
    assert_eq!(reply[..2], ID.to_be_bytes(), "reply to another query");
    assert!(reply[2] & 0x80 != 0, "not a response");
    (reply[3] & 0x0f, addresses(reply, message.len()))
}

/// A recursion-desired query with one question: NAME, QTYPE, class IN.
fn encode_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut message = id.to_be_bytes().to_vec();
    message.extend([0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]); // flags RD, QDCOUNT=1, no other records
    for label in name.split('.') {
        message.push(u8::try_from(label.len()).expect("label too long"));
        message.extend(label.as_bytes());
    }
    message.push(0); // root label
    message.extend(qtype.to_be_bytes());
    message.extend([0, 1]); // class IN
    message
}

/// The A and AAAA addresses in the answer section, which starts right after the echoed question.
fn addresses(reply: &[u8], question_end: usize) -> Vec<IpAddr> {
    let count = u16::from_be_bytes([reply[6], reply[7]]);
    let mut pos = question_end;
    let mut addrs = Vec::new();
    for _ in 0..count {
        pos = skip_name(reply, pos);
        let rtype = u16::from_be_bytes([reply[pos], reply[pos + 1]]);
        let rdlen = usize::from(u16::from_be_bytes([reply[pos + 8], reply[pos + 9]]));
        let rdata = &reply[pos + 10..pos + 10 + rdlen];
        match rtype {
            TYPE_A => addrs.push(IpAddr::from(<[u8; 4]>::try_from(rdata).expect("A rdata"))),
            TYPE_AAAA => addrs.push(IpAddr::from(
                <[u8; 16]>::try_from(rdata).expect("AAAA rdata"),
            )),
            _ => {}
        }
        pos += 10 + rdlen;
    }
    addrs
}

/// Position after the (possibly compressed) domain name starting at `pos`.
fn skip_name(msg: &[u8], mut pos: usize) -> usize {
    loop {
        let len = msg[pos];
        if len & 0xc0 == 0xc0 {
            return pos + 2; // compression pointer ends the name
        }
        pos += 1 + usize::from(len);
        if len == 0 {
            return pos;
        }
    }
}

/// Env var that makes `require_child` do its work; set only by `require_fails_only_under_ci`.
const REQUIRE_CHILD: &str = "CFX_SELFTEST_REQUIRE_CHILD";

/// Does nothing in a normal run. `require_fails_only_under_ci` runs it in a child process,
/// because CI must be set per process and tests share the environment of theirs.
#[test]
fn require_child() {
    if std::env::var_os(REQUIRE_CHILD).is_some() {
        assert!(!support::require(false, "thing", "reason"));
    }
}

#[test]
fn require_fails_only_under_ci() {
    let local = run_require_child(None);
    let stderr = String::from_utf8_lossy(&local.stderr);
    assert!(local.status.success(), "{stderr}");
    assert!(stderr.contains("skipped: thing (reason)"), "{stderr}");

    let ci = run_require_child(Some("true"));
    let stderr = String::from_utf8_lossy(&ci.stderr);
    assert!(!ci.status.success(), "{stderr}");
    assert!(stderr.contains("skipped: thing (reason)"), "{stderr}");
}

/// Runs only `require_child` of this test binary, with CI set to `ci` or unset.
fn run_require_child(ci: Option<&str>) -> Output {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary path"));
    cmd.args([
        "--exact",
        "require_child",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(REQUIRE_CHILD, "1");
    match ci {
        Some(value) => cmd.env("CI", value),
        None => cmd.env_remove("CI"),
    };
    cmd.output().expect("cannot run the test binary")
}
