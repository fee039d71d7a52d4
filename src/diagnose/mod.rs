//! The decision engine. Pure: no I/O anywhere below this module.

pub mod engine;
pub mod facts;
pub mod live;

pub use engine::{Diagnosis, diagnose};
pub use facts::{Context, Fact, FactSet, derive};
