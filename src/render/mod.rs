//! Views of a finished check: doctor-style text here, JSON straight from the same structs.

pub mod doctor;
pub mod explain;

/// A duration in milliseconds as people read it: `0.4 ms`, `87.2 ms`, `1.53 s`.
pub(crate) fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else {
        format!("{v:.1} ms")
    }
}
