//! The words knowledge files and the engine share: the named facts probes establish, the
//! named values (placeholders) those facts carry, and the template syntax that binds them.
//! Both `knowledge` (validation) and `diagnose` (rendering) import this; it imports neither.

pub mod facts;
pub mod template;
pub mod values;
