//! Staged faults, checked the way a person acts on them: the action, the fixes and the
//! commands of `check --json` and of an exported report name the port, address, process
//! and firewall rule that connfix observed, and no number it did not observe. Where a
//! command removes the fault (a firewall rule), the test runs it and checks again.

mod support;

use serde_json::Value;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::answers::{assert_only_observed, commands};
use support::cli::*;
use support::{Netns, wait_listening};

/// A real python3 HTTP server on `addr`, stopped on drop.
struct PyServer(Child);

impl PyServer {
    fn start(prefix: Option<&Netns>, addr: SocketAddr) -> PyServer {
        let args = [
            "-m".to_string(),
            "http.server".to_string(),
            addr.port().to_string(),
            "--bind".to_string(),
            addr.ip().to_string(),
        ];
        let mut c = match prefix {
            Some(ns) => ns.command("python3"),
            None => Command::new("python3"),
        };
        let child = c
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server");
        PyServer(child)
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for PyServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have_python() -> bool {
    support::require(
        support::have("python3"),
        "staged answers test",
        "needs python3 (Debian package python3)",
    )
}

fn action(v: &Value) -> String {
    v["verdict"]["action"].as_str().unwrap_or("").to_string()
}

#[test]
fn a_nearby_listener_is_named_with_its_process_and_port() {
    if !have_python() {
        return;
    }
    let port = closed_port();
    let near: SocketAddr = format!("127.0.0.1:{}", port + 1).parse().unwrap();
    let server = PyServer::start(None, near);
    assert!(
        wait_listening(near, Duration::from_secs(10)),
        "python3 did not listen"
    );
    let (code, v) = check(&[&format!("localhost:{port}")]);
    assert_eq!(code, 1);
    assert_verdict(&v, "wrong-port", "likely");
    let a = action(&v);
    let pid = server.pid();
    assert!(a.contains(&format!("python3 (pid {pid})")), "{a}");
    assert!(a.contains(&near.to_string()), "{a}");
    assert!(a.contains(&format!("port {port}")), "{a}");
    let cmds = commands(&v);
    assert!(
        cmds.contains(&format!("sudo ss -ltnp 'sport = :{}'", port + 1)),
        "{cmds:?}"
    );
    assert!(
        cmds.contains(&format!("ps -o pid,user,args -p {pid}")),
        "{cmds:?}"
    );
    let fix = v["causes"][0]["fixes"][0].as_str().unwrap();
    assert!(fix.contains(&format!("port {}", port + 1)), "{fix}");
    assert_only_observed(&v);
}

#[test]
fn a_loopback_only_bind_names_the_bound_address_and_the_flag() {
    if !have_python() {
        return;
    }
    let port = closed_port();
    let bound: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let server = PyServer::start(None, bound);
    assert!(
        wait_listening(bound, Duration::from_secs(10)),
        "python3 did not listen"
    );
    let (code, v) = check(&[&format!("127.0.0.2:{port}")]);
    assert_eq!(code, 1);
    assert_verdict(&v, "bind-address-mismatch", "certain");
    let a = action(&v);
    assert!(
        a.starts_with(&format!(
            "python3 (pid {}) listens on {bound} only",
            server.pid()
        )),
        "{a}"
    );
    assert!(a.contains("--bind 0.0.0.0"), "{a}");
    assert!(a.ends_with("or connect to 127.0.0.1."), "{a}");
    assert_only_observed(&v);
}

#[test]
fn nothing_listening_names_the_port_and_no_example() {
    let port = closed_port();
    let (_, v) = check(&[&format!("127.0.0.1:{port}")]);
    assert_verdict(&v, "nothing-listening", "certain");
    assert!(
        action(&v).contains(&format!("port {port}")),
        "{}",
        action(&v)
    );
    assert!(
        commands(&v).contains(&format!("sudo ss -ltnp 'sport = :{port}'")),
        "{:?}",
        commands(&v)
    );
    assert_only_observed(&v);
}

/// `connfix check ARGS --json` inside `ns`.
fn check_in(ns: &Netns, args: &[&str]) -> (i32, Value) {
    let mut c = ns.command(BIN);
    isolate(&mut c);
    c.arg("check").args(args).arg("--json");
    json_of(c)
}

fn netns_with(tool: &str) -> bool {
    support::require(
        support::can_netns(),
        "firewall answers test",
        "needs root and iproute2",
    ) && support::require(
        support::have(tool),
        "firewall answers test",
        &format!(
            "needs {tool} (Debian package {})",
            if tool == "nft" {
                "nftables"
            } else {
                "iptables"
            }
        ),
    )
}

/// Runs a pasted command inside the namespace, without the `sudo` (the test is root).
fn paste(ns: &Netns, command: &str) {
    let command = command.strip_prefix("sudo ").unwrap_or(command);
    ns.run(&["sh", "-c", command]);
}

#[test]
fn an_iptables_drop_rule_is_named_by_number_and_its_delete_command_works() {
    if !netns_with("iptables") {
        return;
    }
    let ns = Netns::new();
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = service.local_addr().unwrap().port().to_string();
    // A rule before it, so the number is not simply 1.
    ns.run(&[
        "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "1", "-j", "ACCEPT",
    ]);
    ns.run(&[
        "iptables", "-A", "INPUT", "-p", "tcp", "--dport", &port, "-j", "DROP",
    ]);
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "1s"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "firewall-drop", "certain");
    let a = action(&v);
    assert!(
        a.starts_with(&format!(
            "iptables rule 2 in filter/INPUT drops TCP to port {port}"
        )),
        "{a}"
    );
    assert!(a.contains("sudo iptables -t filter -D INPUT 2"), "{a}");
    let cmds = commands(&v);
    let delete = "sudo iptables -t filter -D INPUT 2".to_string();
    assert!(cmds.contains(&delete), "{cmds:?}");
    assert!(
        cmds.contains(&format!(
            "sudo iptables -t filter -I INPUT 2 -p tcp --dport {port} -j ACCEPT"
        )),
        "{cmds:?}"
    );
    assert_only_observed(&v);
    // The command connfix gave removes the fault.
    paste(&ns, &delete);
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "1s"]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
}

#[test]
fn a_native_nft_reject_rule_is_named_by_handle_and_its_delete_command_works() {
    if !netns_with("nft") {
        return;
    }
    let ns = Netns::new();
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = service.local_addr().unwrap().port().to_string();
    ns.run(&["nft", "add", "table", "inet", "cfxtest"]);
    ns.run(&[
        "nft",
        "add chain inet cfxtest input { type filter hook input priority 0; policy accept; }",
    ]);
    ns.run(&[
        "nft",
        &format!("add rule inet cfxtest input tcp dport {port} reject"),
    ]);
    let listing = ns.run(&["nft", "-a", "list", "chain", "inet", "cfxtest", "input"]);
    let handle = listing
        .lines()
        .find(|l| l.contains(&format!("dport {port}")))
        .and_then(|l| l.rsplit("# handle ").next())
        .map(|h| h.trim().to_string())
        .expect("the rule's handle");
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "2s"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "firewall-reject", "certain");
    let a = action(&v);
    assert!(
        a.starts_with(&format!(
            "nft rule (handle {handle}) in inet cfxtest/input rejects TCP to port {port}"
        )),
        "{a}"
    );
    let delete = format!("sudo nft delete rule inet cfxtest input handle {handle}");
    assert!(a.contains(&delete), "{a}");
    assert!(commands(&v).contains(&delete), "{:?}", commands(&v));
    assert_only_observed(&v);
    paste(&ns, &delete);
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "2s"]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
}

/// The DROP twin of the reject test, in a native nft table with a set, as nft-only
/// distributions write it: the connect times out, and the rule is named by its handle.
#[test]
fn a_native_nft_drop_rule_in_a_set_times_out_and_is_named_by_handle() {
    if !netns_with("nft") {
        return;
    }
    let ns = Netns::new();
    let service = listen_in_netns(&ns.name, "127.0.0.1:0".parse().unwrap());
    let port = service.local_addr().unwrap().port().to_string();
    ns.run(&["nft", "add", "table", "inet", "cfxdrop"]);
    ns.run(&[
        "nft",
        "add chain inet cfxdrop input { type filter hook input priority 0; policy accept; }",
    ]);
    ns.run(&[
        "nft",
        &format!("add rule inet cfxdrop input tcp dport {{ 1, {port} }} drop"),
    ]);
    let listing = ns.run(&["nft", "-a", "list", "chain", "inet", "cfxdrop", "input"]);
    let handle = listing
        .lines()
        .find(|l| l.contains("dport") && l.contains(" drop"))
        .and_then(|l| l.rsplit("# handle ").next())
        .map(|h| h.trim().to_string())
        .expect("the rule's handle");
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "1s"]);
    assert_eq!(code, 1);
    assert_verdict(&v, "firewall-drop", "certain");
    assert!(has_fact(&v, "tcp.timeout"), "{}", v["facts"]);
    let a = action(&v);
    assert!(a.contains(&format!("handle {handle}")), "{a}");
    assert!(a.contains(&port), "{a}");
    let delete = format!("sudo nft delete rule inet cfxdrop input handle {handle}");
    assert!(commands(&v).contains(&delete), "{:?}", commands(&v));
    assert_only_observed(&v);
    paste(&ns, &delete);
    let (code, v) = check_in(&ns, &[&format!("127.0.0.1:{port}"), "--timeout", "2s"]);
    assert_verdict(&v, "reachable", "certain");
    assert_eq!(code, 0);
}

#[test]
fn an_exported_report_leads_with_the_action_and_the_commands() {
    if !have_python() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let port = closed_port();
    let near: SocketAddr = format!("127.0.0.1:{}", port + 2).parse().unwrap();
    let server = PyServer::start(None, near);
    assert!(
        wait_listening(near, Duration::from_secs(10)),
        "python3 did not listen"
    );
    let mut c = connfix();
    c.env("XDG_DATA_HOME", data.path()).args([
        "check",
        &format!("127.0.0.1:{port}"),
        "--save",
        "--json",
    ]);
    let (_, v) = json_of(c);
    assert_verdict(&v, "wrong-port", "likely");
    let list = connfix()
        .env("XDG_DATA_HOME", data.path())
        .args(["report", "list", "--json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&list.stdout).expect("report list --json");
    let id = list[0]["id"].as_str().expect("a saved session").to_string();
    let out = connfix()
        .env("XDG_DATA_HOME", data.path())
        .args(["report", "export", &id, "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout).into_owned();
    let action_at = md.find("**Action:**").expect("an Action line");
    let fix_at = md.find("## Fix").expect("a Fix section");
    let evidence_at = md.find("## Evidence").expect("an Evidence section");
    let timeline_at = md.find("## Timeline").expect("a Timeline section");
    assert!(
        action_at < fix_at && fix_at < evidence_at && evidence_at < timeline_at,
        "{md}"
    );
    let pid = server.pid();
    assert!(
        md.contains(&format!("python3 (pid {pid}) listens on {near}")),
        "{md}"
    );
    assert!(
        md.contains(&format!("`sudo ss -ltnp 'sport = :{}'`", port + 2)),
        "{md}"
    );
    // No internal fact ids in the text, and no number that was not observed.
    assert!(!md.contains("(`listener."), "{md}");
    let allowed = support::answers::observed_numbers(&v);
    let fix_section = &md[fix_at..evidence_at];
    let foreign = support::answers::foreign_numbers(fix_section, &allowed);
    assert!(foreign.is_empty(), "{foreign:?} in {fix_section}");
}
