//! Exponential backoff with full jitter: before attempt n the pause is drawn uniformly from
//! [0, min(cap, base·2ⁿ)]. Spreading retries at random keeps many waiters (every replica of
//! a service restarted together) from knocking on a starting server in lockstep.

use std::time::Duration;

/// The first pauses are short, so a service that comes up quickly is seen quickly.
pub const BASE: Duration = Duration::from_millis(50);
/// Never less than this: a refused connect answers in microseconds, and a pause drawn close
/// to zero several times running would spin.
const FLOOR: Duration = Duration::from_millis(10);

#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
    rng: SplitMix64,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration, seed: u64) -> Backoff {
        Backoff {
            base,
            cap: cap.max(FLOOR),
            attempt: 0,
            rng: SplitMix64(seed),
        }
    }

    /// The ceiling the next pause is drawn under.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32 << self.attempt.min(20);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The pause before the next attempt.
    pub fn next_pause(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.attempt = self.attempt.saturating_add(1);
        let fraction = (self.rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        ceiling.mul_f64(fraction).max(FLOOR)
    }
}

/// A seed that differs between processes started in the same instant.
pub fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// SplitMix64: a few lines of well-known arithmetic, good enough to spread retries (this
/// is not for anything secret), so no random-number crate is needed.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let mut b = Backoff::new(BASE, Duration::from_secs(1), 1);
        let mut ceilings = Vec::new();
        for _ in 0..8 {
            ceilings.push(b.ceiling().as_millis());
            b.next_pause();
        }
        assert_eq!(ceilings, [50, 100, 200, 400, 800, 1000, 1000, 1000]);
    }

    #[test]
    fn pauses_are_spread_below_the_ceiling() {
        let cap = Duration::from_millis(800);
        let mut b = Backoff::new(BASE, cap, 42);
        for _ in 0..5 {
            b.next_pause();
        }
        let pauses: Vec<Duration> = (0..2000).map(|_| b.next_pause()).collect();
        assert!(pauses.iter().all(|p| *p >= FLOOR && *p <= cap));
        let mean = pauses.iter().sum::<Duration>() / pauses.len() as u32;
        // Uniform on [0, 800 ms]: the mean is near 400 ms, and both halves are used.
        assert!((350..450).contains(&mean.as_millis()), "{mean:?}");
        assert!(pauses.iter().any(|p| p.as_millis() < 100));
        assert!(pauses.iter().any(|p| p.as_millis() > 700));
    }

    #[test]
    fn seeds_give_different_sequences() {
        let mut a = Backoff::new(BASE, Duration::from_secs(1), 1);
        let mut b = Backoff::new(BASE, Duration::from_secs(1), 2);
        let xs: Vec<_> = (0..10).map(|_| a.next_pause()).collect();
        let ys: Vec<_> = (0..10).map(|_| b.next_pause()).collect();
        assert_ne!(xs, ys);
    }
}
