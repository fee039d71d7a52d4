//! What `connfix explain` costs on a 1 MB paste: a log of routine lines with real client
//! errors (the captured corpus) spread through it, as `bench/explain.sh` builds it.
//! "first" is one process's whole job (load the knowledge, compile what the paste needs,
//! explain it), "again" a second paste with the same knowledge (the TUI's paste box).
//! Run with `cargo bench --bench explain`.

use connfix::explain;
use connfix::knowledge::Knowledge;
use std::time::{Duration, Instant};

const SAMPLES: usize = 15;

fn paste(size: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/captured");
    let mut errors: Vec<String> = std::fs::read_dir(dir)
        .expect("captured corpus")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    errors.sort();
    // A fixed linear congruential sequence: the same paste on every run.
    let mut seed: u64 = 7;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut out = String::with_capacity(size + 4096);
    while out.len() < size {
        if next(1000) < 2 {
            out.push_str(&errors[next(errors.len() as u64) as usize]);
        } else {
            let info = next(2) == 0;
            let (sec, ms, worker, id, took) =
                (next(60), next(1000), next(8), next(100_000), next(500));
            let line = if info {
                format!(
                    "2024-05-01 12:00:{sec:02},{ms:03} INFO  [worker-{worker}] handled request GET /api/items/{id} in {took} ms\n"
                )
            } else {
                format!(
                    "2024-05-01 12:00:{sec:02},{ms:03} DEBUG [pool-{worker}] connection {id} returned to pool after {took} ms\n"
                )
            };
            out.push_str(&line);
        }
    }
    out
}

fn measure(mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    let mut samples: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[SAMPLES / 2], samples[0], samples[SAMPLES - 1])
}

fn show(what: &str, (median, min, max): (Duration, Duration, Duration)) {
    println!(
        "{what}: median {:.1} ms (min {:.1}, max {:.1}; {SAMPLES} samples)",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn main() {
    let text = paste(1 << 20);
    let one = "Error: connect ECONNREFUSED 127.0.0.1:5432\n";
    show(
        "1 MB paste, first (knowledge loaded, patterns compiled)",
        measure(|| {
            let kb = Knowledge::bundled();
            std::hint::black_box(explain::explain(&text, &kb));
        }),
    );
    show(
        "one line, first",
        measure(|| {
            let kb = Knowledge::bundled();
            std::hint::black_box(explain::explain(one, &kb));
        }),
    );
    let kb = Knowledge::bundled();
    explain::explain(&text, &kb);
    show(
        "1 MB paste, again",
        measure(|| {
            std::hint::black_box(explain::explain(&text, &kb));
        }),
    );
    let stats = explain::explain(&text, &kb).stats;
    println!(
        "1 MB paste: {} lines, {} matches, {} bytes read by patterns ({:.1} times the text)",
        stats.lines,
        stats.matches,
        stats.scanned,
        stats.scanned as f64 / stats.bytes as f64
    );
}
