//! The decision engine and its vocabulary. Pure: no I/O anywhere below this module.

pub mod engine;
pub mod facts;
pub mod live;
pub mod vocabulary;

pub use engine::{Diagnosis, diagnose};
pub use facts::{Context, Fact, FactSet, derive};
