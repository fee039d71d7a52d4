//! What answers written for this machine cost: the whole engine pass with its template
//! filling (as `check` runs it once at the end), the filling alone, and the time from a
//! deciding fact to the provisional verdict on the TUI (a firewall DROP rule arriving while
//! the connect still waits: update the app, then draw the frame, as the TUI loop does on
//! every probe event). Run with `cargo bench --bench answers`.

#[path = "../tests/fixtures/tui.rs"]
mod fixtures;

use connfix::check;
use connfix::diagnose::{Context, FactSet};
use connfix::knowledge::Knowledge;
use connfix::probe::firewall::{Action, Direction, FirewallData, FirewallRule};
use connfix::probe::{ProbeData, ProbeEvent, ProbeId};
use connfix::target::{self, ParseOptions};
use connfix::tui::event::Event;
use connfix::vocabulary::template;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

const ROUNDS: u32 = 200;
const SAMPLES: usize = 15;

/// Median, min and max of SAMPLES samples, each the mean of ROUNDS runs of `f`.
fn measure(mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    for _ in 0..20 {
        f();
    }
    let mut samples: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..ROUNDS {
                f();
            }
            start.elapsed() / ROUNDS
        })
        .collect();
    samples.sort();
    (samples[SAMPLES / 2], samples[0], samples[SAMPLES - 1])
}

fn show(what: &str, (median, min, max): (Duration, Duration, Duration)) {
    println!(
        "{what}: median {:.1} µs (min {:.1}, max {:.1}; {SAMPLES} samples of {ROUNDS})",
        median.as_secs_f64() * 1e6,
        min.as_secs_f64() * 1e6,
        max.as_secs_f64() * 1e6
    );
}

fn reports(events: Vec<ProbeEvent>) -> Vec<connfix::probe::ProbeReport> {
    events
        .into_iter()
        .filter_map(|e| match e {
            ProbeEvent::Finished(r) => Some(*r),
            ProbeEvent::Started(_) => None,
        })
        .collect()
}

fn drop_rule_for_5432() -> ProbeEvent {
    let rule = FirewallRule {
        tool: "iptables".into(),
        family: "ip".into(),
        table: "filter".into(),
        chain: "INPUT".into(),
        direction: Direction::Input,
        action: Action::Drop,
        text: "-A INPUT -p tcp -m tcp --dport 5432 -j DROP".into(),
        protocol: Some("tcp".into()),
        dports: vec![(5432, 5432)],
        sports: Vec::new(),
        default_policy: false,
        reject_with: None,
        number: Some(3),
        handle: None,
    };
    let d = FirewallData {
        readable: true,
        sources: vec!["iptables-save".into()],
        unreadable_reason: None,
        rules: vec![rule],
        total_rules: 5,
    };
    let s = connfix::probe::firewall::summarize(&d, 5432);
    fixtures::report(ProbeId::Firewall, ProbeData::Firewall(d), s)
}

fn main() {
    let kb = Knowledge::bundled();
    let t = target::parse(
        fixtures::TARGET,
        ParseOptions::default(),
        &kb.services,
        &|_| None,
    )
    .unwrap();
    let all = reports(fixtures::all_reports());
    let ctx = Context::default();

    // The engine pass `check` makes once: facts, tree, ranking, and every template filled.
    show(
        "check::assemble (facts + engine + filled answers)",
        measure(|| {
            std::hint::black_box(check::assemble(
                t.clone(),
                all.clone(),
                &ctx,
                &kb,
                String::new(),
            ));
        }),
    );
    // The filling alone: every template of the verdict's cause.
    let r = check::assemble(t.clone(), all.clone(), &ctx, &kb, String::new());
    let values = FactSet(r.facts.clone()).values();
    let cause = kb.cause(&r.verdict.id).expect("verdict cause");
    show(
        &format!(
            "filling every template of {} (action, fixes, commands, code, prose)",
            cause.id
        ),
        measure(|| {
            let mut n = 0;
            for a in &cause.action {
                n += template::render(a, &values).len();
            }
            for f in &cause.fixes {
                n += template::render(f, &values).len();
            }
            for c in &cause.commands {
                n += template::render_complete(&c.command, &values).map_or(0, |s| s.len());
            }
            for s in &cause.snippets {
                n += template::render(&s.code, &values).len();
            }
            for text in [&cause.confirm, &cause.what, &cause.dont] {
                n += template::render(text, &values).len();
            }
            std::hint::black_box(n);
        }),
    );

    // A DROP rule arrives while the connect is still pending: update + frame.
    let (mut app, run) = fixtures::app();
    fixtures::feed(
        &mut app,
        run,
        vec![
            fixtures::dns(),
            fixtures::listeners(),
            fixtures::proxy(),
            fixtures::environment(),
        ],
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let firewall = drop_rule_for_5432();
    let mut verdict = String::new();
    show(
        "deciding fact → provisional verdict on screen (update + draw, 120x40)",
        measure(|| {
            app.update(Event::Probe {
                run,
                event: firewall.clone(),
            });
            terminal.draw(|f| app.draw(f)).expect("draw");
        }),
    );
    if let Some(s) = &app.diagnosis {
        verdict = format!(
            "{} (provisional: {}) → {}",
            s.report.verdict.id, s.report.provisional, s.report.verdict.action
        );
    }
    println!("provisional verdict shown: {verdict}");
}
