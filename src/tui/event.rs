//! The one event type the TUI consumes: everything that can change its state arrives here.

use crate::probe::ProbeEvent;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Text pasted with bracketed paste (one event for the whole paste).
    Paste(String),
    Resize(u16, u16),
    /// Drives spinners and clocks; also the moment a due redraw happens.
    Tick,
    /// A probe event from run number `run`; the app drops it when a newer run replaced it.
    Probe {
        run: u64,
        event: ProbeEvent,
    },
    /// SIGTERM, SIGHUP or SIGINT: quit and restore the terminal.
    Signal(i32),
    /// The running containers (name, image), or why they could not be listed.
    Containers(Result<Vec<(String, String)>, crate::probe::container::EngineError>),
    /// A vantage point resolved for the chosen container, or why it could not be.
    Vantage(Result<crate::probe::vantage::Vantage, crate::probe::vantage::VantageError>),
}

/// What the app asks its runner to do; the app itself performs no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Start every probe for the current target as run `run`, cancelling all earlier runs.
    StartAll {
        run: u64,
    },
    /// Re-run one probe (and the chain stages after it) as run `run`.
    Rerun {
        run: u64,
        probe: crate::probe::ProbeId,
    },
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Remember a target in the recent-targets list.
    Remember(String),
    /// Save the session and write its Markdown and HTML reports (to the data directory, or
    /// to the directory the person chose after a failure).
    SaveReport,
    /// Write a line to the log file.
    Log(String),
    /// Ask the container engine for its running containers (answers with `Containers`).
    ListContainers,
    /// Resolve the container to look from (answers with `Vantage`).
    LookFrom(String),
    Quit,
}
