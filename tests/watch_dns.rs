//! `connfix watch` looks the name up again for every check: inside a network namespace the
//! test makes, the namespace's hosts file is rewritten while watch runs, and the NDJSON must
//! show the new address and `dns_changed` at that check. Needs root for the namespace.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::Netns;

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn an_address_change_is_seen_at_the_next_check() {
    if !support::require(
        support::is_root(),
        "watch DNS test",
        "needs root for a network namespace",
    ) || !support::require(
        support::can_netns(),
        "watch DNS test",
        "cannot create namespaces",
    ) {
        return;
    }
    let ns = Netns::new();
    ns.set_hosts("127.0.0.1 svc.test\n");
    let mut cmd = ns.command(support::cli::BIN);
    support::cli::isolate(&mut cmd);
    cmd.args([
        "watch",
        "svc.test:7",
        "--interval",
        "200ms",
        "--count",
        "150",
        "--timeout",
        "1s",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut child = Kill(cmd.spawn().expect("run connfix in the namespace"));
    let stdout = child.0.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    let mut rewritten = false;
    // Bounded by --count (150 lines) and by the deadline.
    while let Some(Ok(line)) = lines.next() {
        let v: Value = serde_json::from_str(&line).expect("one JSON object per line");
        let addresses = v["addresses"].clone();
        seen.push(v);
        if !rewritten && addresses == serde_json::json!(["127.0.0.1"]) && seen.len() >= 2 {
            // Written in place: the namespace's /etc/hosts is a bind mount of this file.
            ns.set_hosts("127.0.0.2 svc.test\n");
            rewritten = true;
        }
        if addresses == serde_json::json!(["127.0.0.2"]) || Instant::now() > deadline {
            break;
        }
    }
    let last = seen.last().expect("some output");
    assert_eq!(
        last["addresses"],
        serde_json::json!(["127.0.0.2"]),
        "{seen:#?}"
    );
    assert_eq!(last["dns_changed"], true, "{last}");
    // Nothing listens on port 7: each check is refused, at the address of that moment.
    assert_eq!(last["error"]["kind"], "refused", "{last}");
    assert_eq!(last["address"], "127.0.0.2:7", "{last}");
    let changes = seen.iter().filter(|v| v["dns_changed"] == true).count();
    assert_eq!(changes, 1, "{seen:#?}");
}
