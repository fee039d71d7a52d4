//! Views of a finished check: doctor-style text here, JSON straight from the same structs.

pub mod doctor;
pub mod explain;
