//! connfix: finds out why a network connection fails, by running live probes and walking a
//! decision tree from what they observe to ranked causes and fixes.
//!
//! Data flows one way: input → [`target`] → [`probe`] (observations) →
//! [`diagnose`] (facts, path, causes) → [`render`] / JSON.

pub mod check;
pub mod checklist;
pub mod cli;
pub mod demo;
pub mod diagnose;
pub mod explain;
pub mod knowledge;
pub mod log;
pub mod probe;
pub mod render;
pub mod session;
pub mod target;
pub mod tui;
