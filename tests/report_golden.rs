// TEMPORARY generator, replaced later.
use connfix::diagnose::Context;
use connfix::knowledge::Knowledge;
use connfix::probe::dns::{DirectAnswer, DirectOutcome, DnsData, SystemAnswer};
use connfix::probe::listeners::{Listener, ListenerData};
use connfix::probe::tcp::{Attempt, Outcome, TcpData};
use connfix::probe::{ProbeData, ProbeId, ProbeReport, Status};
use connfix::session::*;
use std::time::Duration;

#[test]
fn generate() {
    let kb = Knowledge::bundled();
    let target = connfix::target::parse(
        "postgres://app:Tr0ub4dor@db.internal:5432/app",
        Default::default(),
        &kb.services,
        &|_| None,
    )
    .unwrap();
    let dns = DnsData {
        name: "db.internal".into(),
        system: SystemAnswer { addresses: vec!["10.20.0.14".parse().unwrap()], error: None, elapsed_ms: 2.37 },
        hosts_file: vec![],
        direct: Some(DirectAnswer {
            servers: vec!["10.20.0.2:53".into()],
            outcome: DirectOutcome::Answer,
            addresses: vec!["10.20.0.14".parse().unwrap()],
            detail: "answered 10.20.0.14".into(),
            elapsed_ms: 1.92,
        }),
        direct_skipped: None,
    };
    let (s, sum) = connfix::probe::dns::summarize(&dns);
    let dns = ProbeReport { id: ProbeId::Dns, status: s, summary: sum, elapsed_ms: 4.41, data: ProbeData::Dns(dns) };
    let tcp = TcpData { attempts: vec![Attempt {
        address: "10.20.0.14:5432".parse().unwrap(),
        outcome: Outcome::Refused,
        errno: Some(111),
        message: "refused (ECONNREFUSED, errno 111)".into(),
        elapsed_ms: 0.21,
        after_connect: None,
    }]};
    let (s, sum) = connfix::probe::tcp::summarize(&tcp, Duration::from_secs(5));
    let tcp = ProbeReport { id: ProbeId::Tcp, status: s, summary: sum, elapsed_ms: 0.64, data: ProbeData::Tcp(tcp) };
    let l = ListenerData {
        sockets: vec![
            Listener { address: "0.0.0.0:5433".parse().unwrap(), pid: Some(1187), process: Some("postgres".into()), cmdline: Some("/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main -c config_file=/etc/postgresql/16/main/postgresql.conf".into()), uid: 113, queued: 0, backlog: Some(244), v6only: None },
            Listener { address: "127.0.0.1:6379".parse().unwrap(), pid: Some(902), process: Some("redis-server".into()), cmdline: Some("/usr/bin/redis-server 127.0.0.1:6379".into()), uid: 114, queued: 0, backlog: Some(511), v6only: None },
            Listener { address: "0.0.0.0:22".parse().unwrap(), pid: Some(771), process: Some("sshd".into()), cmdline: Some("sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups".into()), uid: 0, queued: 0, backlog: Some(128), v6only: None },
        ],
        own_addresses: vec!["127.0.0.1".parse().unwrap(), "10.20.0.14".parse().unwrap(), "::1".parse().unwrap()],
        owners_visible: true,
        owner_note: None,
        error: None,
    };
    let (s, sum) = connfix::probe::listeners::summarize(&l);
    let lis = ProbeReport { id: ProbeId::Listeners, status: s, summary: sum, elapsed_ms: 3.08, data: ProbeData::Listeners(l) };
    let ctx = Context { public: false, answers: vec![("recent_change".into(), true)] };
    let rep = connfix::check::assemble(target, vec![dns, tcp, lis], &ctx, &kb, "2026-03-14T09:41:07.312Z".into());
    let mut rec = SessionRecord::from_check("20260314-094107-7c1e".into(), &rep, &Default::default(), false);
    println!("{}", serde_json::to_string_pretty(&rec).unwrap());
    let _ = &mut rec;
}
