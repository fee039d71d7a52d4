//! The engine's tests: one hand-written case per rule, and the path and ranking.

use super::*;
use crate::diagnose::facts::Fact;

/// The named facts, plus `tcp.all_failed` when a connect failed and none worked, as
/// `derive` adds it.
fn facts(names: &[&str]) -> FactSet {
    let failed = names.iter().any(|n| {
        n.starts_with("tcp.")
            && !matches!(
                *n,
                "tcp.connected" | "tcp.partial" | "tcp.reset" | "tcp.closed_after_accept"
            )
    });
    let mut names = names.to_vec();
    if failed && !names.contains(&"tcp.connected") {
        names.push("tcp.all_failed");
    }
    FactSet(
        names
            .iter()
            .map(|n| Fact {
                name: n.to_string(),
                detail: format!("evidence for {n}"),
                source: "test".into(),
                values: Values::new(),
            })
            .collect(),
    )
}

fn verdict(names: &[&str]) -> (String, Confidence) {
    let kb = Knowledge::bundled();
    let d = diagnose(&facts(names), &[], &kb);
    (d.verdict.id, d.verdict.confidence)
}

use Confidence::*;

/// One minimal fact set per rule of every cause, as the probes would report it, and the
/// verdict it must give. Written by hand, not derived from the knowledge files, so that
/// breaking a rule there fails [`each_cause_from_its_facts`].
const CASES: &[(&[&str], &str, Confidence)] = &[
    (&["tcp.connected"], "reachable", Certain),
    (&["unix.connected"], "reachable", Certain),
    (&["dns.nxdomain"], "dns-no-such-host", Certain),
    (&["dns.no_records"], "dns-no-such-host", Likely),
    (
        &["dns.server_unreachable", "dns.temporary_failure"],
        "dns-server-unreachable",
        Certain,
    ),
    (
        &[
            "dns.mismatch",
            "tcp.all_failed",
            "tcp.timeout",
            "firewall.drop_rule",
        ],
        "firewall-drop",
        Certain,
    ),
    (
        &["tcp.refused", "target.own_address", "listener.none"],
        "nothing-listening",
        Certain,
    ),
    (
        &["tcp.refused", "listener.none", "listener.nearby_port"],
        "wrong-port",
        Likely,
    ),
    (
        &["tcp.refused", "listener.none", "listener.service_port"],
        "wrong-port",
        Likely,
    ),
    (
        &["tcp.refused", "listener.other_address"],
        "bind-address-mismatch",
        Certain,
    ),
    (
        &["tcp.refused", "listener.other_family"],
        "ipv6-ipv4-mismatch",
        Certain,
    ),
    (
        &[
            "tcp.connected",
            "tcp.partial",
            "tcp.refused",
            "dns.both_families",
            "listener.exact",
        ],
        "ipv6-ipv4-mismatch",
        Likely,
    ),
    (
        &["tcp.refused", "firewall.reject_rule", "listener.exact"],
        "firewall-reject",
        Certain,
    ),
    (
        &["tcp.refused", "listener.exact", "firewall.unreadable"],
        "firewall-reject",
        Likely,
    ),
    (&["tcp.denied"], "firewall-reject", Likely),
    (
        &["tcp.timeout", "firewall.drop_rule"],
        "firewall-drop",
        Certain,
    ),
    (
        &["tcp.timeout", "firewall.default_drop"],
        "firewall-drop",
        Likely,
    ),
    (
        &["tcp.host_unreachable", "target.remote", "tcp.host_down"],
        "host-unreachable",
        Certain,
    ),
    // Without the ICMP message, "unreachable" is only likely a machine that is down.
    (
        &["tcp.host_unreachable", "target.remote"],
        "host-unreachable",
        Likely,
    ),
    (
        &[
            "tcp.host_unreachable",
            "target.remote",
            "tcp.host_prohibited",
        ],
        "firewall-reject",
        Certain,
    ),
    (
        &["tcp.connected", "service.identified", "service.rejected"],
        "service-rejected",
        Certain,
    ),
    (
        &["tcp.connected", "service.identified", "service.starting"],
        "service-starting",
        Certain,
    ),
    (
        &[
            "tcp.connected",
            "service.identified",
            "service.other_protocol",
        ],
        "wrong-service",
        Certain,
    ),
    (
        &["tcp.connected", "tls.certificate_expired"],
        "tls-certificate-expired",
        Certain,
    ),
    (
        &["tcp.connected", "tls.certificate_name_mismatch"],
        "tls-certificate-name-mismatch",
        Certain,
    ),
    (
        &["tcp.connected", "tls.certificate_untrusted"],
        "tls-certificate-untrusted",
        Certain,
    ),
    (
        &["tcp.refused", "listener.none", "listener.service_process"],
        "wrong-port",
        Likely,
    ),
    (
        &[
            "tcp.refused",
            "target.own_address",
            "listener.none",
            "process.service_running",
        ],
        "startup-race",
        Likely,
    ),
    (
        &[
            "tcp.refused",
            "listener.other_address",
            "dns.mismatch",
            "dns.hosts_file",
        ],
        "dns-mismatch",
        Certain,
    ),
    (&["tcp.net_unreachable"], "network-unreachable", Certain),
    (&["tcp.refused", "target.remote"], "remote-refused", Likely),
    (
        &["tcp.refused", "target.remote", "answer.remote_running.no"],
        "remote-refused",
        Certain,
    ),
    (
        &["tcp.connected", "proxy.applies", "proxy.unreachable"],
        "proxy-unreachable",
        Certain,
    ),
    (
        &[
            "tcp.refused",
            "listener.none",
            "proxy.applies",
            "proxy.unreachable",
        ],
        "proxy-unreachable",
        Certain,
    ),
    (
        &[
            "env.container",
            "target.loopback",
            "tcp.refused",
            "listener.none",
        ],
        "container-localhost",
        Likely,
    ),
    (
        &[
            "target.public_required",
            "dns.private_address",
            "tcp.connected",
        ],
        "private-address-for-public-service",
        Certain,
    ),
    (
        &["tcp.connected", "tls.plain_port"],
        "tls-mismatch",
        Certain,
    ),
    (
        &["tcp.connected", "tls.on_tls_port"],
        "tls-mismatch",
        Certain,
    ),
    (&["tcp.connected", "tcp.reset"], "connection-reset", Certain),
    (
        &["tcp.connected", "http.server_error"],
        "http-error",
        Certain,
    ),
    (&["unix.missing"], "unix-socket-missing", Certain),
    (&["unix.stale"], "unix-socket-stale", Certain),
    (&["unix.permission"], "unix-socket-permission", Certain),
    (
        &["tcp.refused", "listener.none", "answer.intermittent.yes"],
        "startup-race",
        Likely,
    ),
    (
        &["tcp.timeout", "listener.exact", "listener.backlog_full"],
        "listen-backlog-full",
        Certain,
    ),
    (
        &["container.publishes_port", "container.bound_to_loopback"],
        "container-bound-to-loopback",
        Certain,
    ),
    (
        &[
            "env.container",
            "target.loopback",
            "tcp.refused",
            "container.target_elsewhere",
        ],
        "container-localhost",
        Certain,
    ),
    (
        &["container.name_from_host"],
        "container-name-from-host",
        Certain,
    ),
    (
        &["container.network_mismatch"],
        "container-network-mismatch",
        Certain,
    ),
    (&["container.not_running"], "container-not-running", Certain),
    (
        &["container.publishes_port", "container.port_not_listening"],
        "container-port-not-listening",
        Certain,
    ),
    (&["dns.mismatch", "tcp.all_failed"], "dns-mismatch", Likely),
    (&["dns.mismatch"], "dns-mismatch", Possible),
    (&["dns.temporary_failure"], "dns-server-unreachable", Likely),
    (
        &["dns.server_unreachable"],
        "dns-server-unreachable",
        Likely,
    ),
    // The system resolver answered all the same: the dead server is only a side note.
    (
        &["dns.server_unreachable", "dns.resolved"],
        "dns-server-unreachable",
        Possible,
    ),
    // A timeout with no rule seen: some firewall on the way, most likely.
    (&["tcp.timeout", "tcp.all_failed"], "firewall-drop", Likely),
    (
        &[
            "tcp.host_unreachable",
            "firewall.reject_rule",
            "tcp.all_failed",
        ],
        "firewall-reject",
        Certain,
    ),
    (
        &["tcp.denied", "tcp.host_prohibited", "tcp.all_failed"],
        "firewall-reject",
        Certain,
    ),
    (
        &[
            "tcp.refused",
            "listener.exact",
            "firewall.default_drop",
            "tcp.all_failed",
        ],
        "firewall-reject",
        Likely,
    ),
    (
        &["tcp.refused", "listener.exact", "tcp.all_failed"],
        "firewall-reject",
        Possible,
    ),
    (&["listener.backlog_full"], "listen-backlog-full", Likely),
    (
        &["tcp.addr_unavailable", "tcp.all_failed"],
        "local-ports-exhausted",
        Likely,
    ),
    (
        &["tcp.refused", "answer.recent_change.yes", "tcp.all_failed"],
        "startup-race",
        Likely,
    ),
    (
        &["container.publishes_port", "container.unhealthy"],
        "startup-race",
        Likely,
    ),
    (
        &["tcp.connected", "tls.no_handshake"],
        "tls-mismatch",
        Likely,
    ),
    (&["tls.handshake_failed"], "tls-mismatch", Likely),
    (
        &[
            "tcp.refused",
            "listener.none",
            "listener.unix_only",
            "tcp.all_failed",
        ],
        "unix-socket-only",
        Certain,
    ),
    (&["unix.not_socket"], "unix-socket-permission", Likely),
    (&["tcp.all_failed"], "unexplained", Possible),
];

/// Rules that rank a cause below the verdict: the facts, the verdict they give, and the
/// cause with the confidence it must be ranked at.
const RANKED: &[(&[&str], &str, &str, Confidence)] = &[
    // The probe reports a connection closed after accept only beside the connect itself.
    (
        &["tcp.connected", "tcp.closed_after_accept"],
        "reachable",
        "connection-reset",
        Possible,
    ),
    (
        &["tcp.connected", "tcp.partial", "dns.both_families"],
        "reachable",
        "ipv6-ipv4-mismatch",
        Possible,
    ),
    (
        &[
            "env.container",
            "target.loopback",
            "tcp.timeout",
            "tcp.all_failed",
        ],
        "firewall-drop",
        "container-localhost",
        Possible,
    ),
    (
        &["tcp.host_unreachable", "tcp.all_failed"],
        "host-unreachable",
        "firewall-reject",
        Possible,
    ),
    (
        &["tcp.timeout", "target.remote", "tcp.all_failed"],
        "firewall-drop",
        "host-unreachable",
        Possible,
    ),
    (
        &[
            "tcp.refused",
            "listener.none",
            "tcp.all_failed",
            "answer.intermittent.yes",
        ],
        "startup-race",
        "nothing-listening",
        Possible,
    ),
    (
        &["tcp.refused", "listener.none", "tcp.all_failed"],
        "nothing-listening",
        "startup-race",
        Possible,
    ),
    (
        &["unix.missing", "answer.recent_change.yes"],
        "unix-socket-missing",
        "startup-race",
        Likely,
    ),
];

#[test]
fn each_cause_from_its_facts() {
    for (names, id, conf) in CASES {
        assert_eq!(verdict(names), (id.to_string(), *conf), "facts {names:?}");
    }
    let kb = Knowledge::bundled();
    for (names, top, id, conf) in RANKED {
        let d = diagnose(&facts(names), &[], &kb);
        assert_eq!(d.verdict.id, *top, "facts {names:?}");
        let ranked = d.causes.iter().find(|c| c.id == *id).map(|c| c.confidence);
        assert_eq!(ranked, Some(*conf), "{id} for facts {names:?}");
    }
}

/// Every rule of every cause has a case above that it decides with its own confidence,
/// so no rule can be broken (a fact renamed, an `unless` added) without a failing test.
#[test]
fn every_rule_has_a_case_it_decides() {
    let kb = Knowledge::bundled();
    let mut uncovered = Vec::new();
    // `unexplained` has no rule that decides it: it is what is left when none does.
    for cause in kb.causes.iter().filter(|c| c.id != "unexplained") {
        for (n, rule) in cause.rules.iter().enumerate() {
            // The case must match this rule and no other rule of the cause at the same
            // confidence, so that breaking this rule changes the case's outcome.
            let decides = |names: &[&str], id: &str, conf: Confidence| {
                let f = facts(names);
                let alone = cause
                    .rules
                    .iter()
                    .filter(|r| r.confidence == rule.confidence && rule_matches(r, &f))
                    .count()
                    == 1;
                id == cause.id && conf == rule.confidence && rule_matches(rule, &f) && alone
            };
            let covered = CASES.iter().any(|(n, id, c)| decides(n, id, *c))
                || RANKED.iter().any(|(n, _, id, c)| decides(n, id, *c));
            if !covered {
                uncovered.push(format!(
                    "{} rule {} ({:?}, when {:?}, unless {:?})",
                    cause.id, n, rule.confidence, rule.when, rule.unless
                ));
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "rules no case decides:\n{}",
        uncovered.join("\n")
    );
}

#[test]
fn a_drop_rule_decides_before_the_connect_times_out() {
    let kb = Knowledge::bundled();
    let pending = |f: &str| f.starts_with("tcp.");
    let ids = |names: &[&str]| -> Vec<String> {
        provisional(&facts(names), &kb, pending)
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    let drop = ids(&[
        "target.own_address",
        "listener.none",
        "listener.nearby_port",
        "firewall.drop_rule",
    ]);
    assert_eq!(
        drop.first().map(String::as_str),
        Some("firewall-drop"),
        "{drop:?}"
    );
    let nothing = ids(&["target.own_address", "listener.none"]);
    assert_eq!(
        nothing.first().map(String::as_str),
        Some("nothing-listening"),
        "{nothing:?}"
    );
    // Facts about the target alone point nowhere, and the all-clear never comes early.
    assert!(ids(&["target.own_address"]).is_empty());
    assert!(!ids(&["listener.exact"]).contains(&"reachable".to_string()));
}

#[test]
fn possible_problems_do_not_override_a_working_connection() {
    assert_eq!(verdict(&["tcp.connected", "dns.mismatch"]).0, "reachable");
    assert_eq!(
        verdict(&["tcp.connected", "tcp.closed_after_accept"]).0,
        "reachable"
    );
    // An IPv6 address without a route beside a working IPv4 one: clients fall back.
    let v6_unroutable = [
        "tcp.connected",
        "tcp.partial",
        "tcp.net_unreachable",
        "dns.both_families",
    ];
    assert_eq!(verdict(&v6_unroutable).0, "reachable");
    // In a container, ::1 refused but 127.0.0.1 working is the ::1-first problem, not
    // "localhost is the container".
    let pod = [
        "env.container",
        "target.loopback",
        "tcp.connected",
        "tcp.partial",
        "tcp.refused",
        "dns.both_families",
    ];
    assert_eq!(
        verdict(&pod),
        ("ipv6-ipv4-mismatch".to_string(), Confidence::Likely)
    );
    let kb = Knowledge::bundled();
    let d = diagnose(&facts(&["tcp.connected", "dns.mismatch"]), &[], &kb);
    assert!(
        d.causes.iter().any(|c| c.id == "dns-mismatch"),
        "kept as a warning"
    );
}

#[test]
fn the_path_asks_the_person_only_what_probes_cannot_answer() {
    let kb = Knowledge::bundled();
    let d = diagnose(
        &facts(&["tcp.all_failed", "tcp.refused", "target.remote"]),
        &[],
        &kb,
    );
    let keys: Vec<&str> = d.questions.iter().map(|q| q.key.as_str()).collect();
    assert!(keys.contains(&"remote_running"), "{keys:?}");
    let d = diagnose(
        &facts(&[
            "tcp.all_failed",
            "tcp.refused",
            "target.remote",
            "answer.remote_running.no",
        ]),
        &[],
        &kb,
    );
    assert!(d.questions.iter().all(|q| q.key != "remote_running"));
    let step = d
        .path
        .iter()
        .find(|s| s.node == "remote-running")
        .expect("answered node in path");
    assert_eq!((step.answer, step.by), (Answer::No, AnsweredBy::Person));
    // A node whose probe did not run is unknown, not a confident "no".
    let step = d
        .path
        .iter()
        .find(|s| s.node == "firewall")
        .expect("firewall node");
    assert_eq!(step.answer, Answer::Unknown);
}
