//! Frame render time: the whole screen at 120×40 with every probe's evidence shown, drawn
//! into ratatui's TestBackend (the cost of building the frame, without terminal output).
//! Run with `cargo bench --bench render`.

#[path = "../tests/fixtures/tui.rs"]
mod fixtures;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

/// Frames per sample, and samples taken: bounded in count.
const FRAMES: u32 = 200;
const SAMPLES: usize = 15;

fn main() {
    let mut app = fixtures::finished();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    // Warm up allocations and caches.
    for _ in 0..50 {
        terminal.draw(|f| app.draw(f)).expect("draw");
    }
    let mut per_frame: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for i in 0..FRAMES {
                app.tick = u64::from(i);
                terminal.draw(|f| app.draw(f)).expect("draw");
            }
            start.elapsed() / FRAMES
        })
        .collect();
    per_frame.sort();
    let median = per_frame[SAMPLES / 2];
    println!(
        "render 120x40, full evidence: median {:.1} µs per frame (min {:.1}, max {:.1}; {SAMPLES} samples of {FRAMES} frames)",
        median.as_secs_f64() * 1e6,
        per_frame[0].as_secs_f64() * 1e6,
        per_frame[SAMPLES - 1].as_secs_f64() * 1e6,
    );
}
