//! The keys of a screen, whatever pane has the focus: quitting, help, panes, search,
//! re-runs, copying, notes, saving. The panes' own keys are in their components.

use super::keys::{Binding, Key};
use ratatui::crossterm::event::KeyCode;

/// The keys of the screen, whatever pane has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Quit,
    Help,
    Escape,
    NextPane,
    PrevPane,
    Search,
    RerunAll,
    Rerun,
    CopyCommands,
    CopyCode,
    Note,
    Save,
    Paste,
    LookFrom,
    Toggle,
}

pub const KEYS: &[Binding<Act>] = &[
    Binding {
        keys: &[Key::Code(KeyCode::Tab)],
        label: "Tab",
        footer: "pane",
        help: "next pane (or click a pane)",
        action: Act::NextPane,
    },
    Binding {
        keys: &[Key::Code(KeyCode::BackTab)],
        label: "Shift-Tab",
        footer: "",
        help: "previous pane",
        action: Act::PrevPane,
    },
    Binding {
        keys: &[Key::Char('c')],
        label: "c",
        footer: "copy fix",
        help: "copy the selected cause's commands for this machine to the clipboard (OSC 52, works over SSH); a cause without commands copies its code",
        action: Act::CopyCommands,
    },
    Binding {
        keys: &[Key::Char('C')],
        label: "C",
        footer: "",
        help: "copy the shown code snippet to the clipboard",
        action: Act::CopyCode,
    },
    Binding {
        keys: &[Key::Char('/')],
        label: "/",
        footer: "search",
        help: "search the evidence and the causes; n and N move between matches, Esc drops the search",
        action: Act::Search,
    },
    Binding {
        keys: &[Key::Char('r')],
        label: "r",
        footer: "",
        help: "re-run the probe of the selected question (and the steps after it)",
        action: Act::Rerun,
    },
    Binding {
        keys: &[Key::Char('R')],
        label: "R",
        footer: "re-run",
        help: "re-run every probe",
        action: Act::RerunAll,
    },
    Binding {
        keys: &[Key::Char('m')],
        label: "m",
        footer: "note",
        help: "add a timestamped note to the session",
        action: Act::Note,
    },
    Binding {
        keys: &[Key::Char('s')],
        label: "s",
        footer: "save",
        help: "save the session's report (Markdown and HTML); the session itself is autosaved",
        action: Act::Save,
    },
    Binding {
        keys: &[Key::Char('p')],
        label: "p",
        footer: "paste",
        help: "paste an error message: connfix explains it and Enter diagnoses its target (pasting anywhere opens it too)",
        action: Act::Paste,
    },
    Binding {
        keys: &[Key::Char('v')],
        label: "v",
        footer: "",
        help: "look from elsewhere: pick a running container (or this host) and diagnose again as seen from it (needs root and a Docker or Podman socket)",
        action: Act::LookFrom,
    },
    Binding {
        keys: &[Key::Char('t')],
        label: "t",
        footer: "checklist",
        help: "switch between the checklist and the target's diagnosis",
        action: Act::Toggle,
    },
    Binding {
        keys: &[Key::Char('?'), Key::Code(KeyCode::F(1))],
        label: "? F1",
        footer: "",
        help: "this help (j k PgDn PgUp scroll it; Esc, ? or q closes it)",
        action: Act::Help,
    },
    Binding {
        keys: &[Key::Code(KeyCode::Esc)],
        label: "Esc",
        footer: "",
        help: "close what is open, drop the search; never quits",
        action: Act::Escape,
    },
    Binding {
        keys: &[Key::Char('q'), Key::Ctrl('c'), Key::Ctrl('q')],
        label: "q Ctrl-C Ctrl-Q",
        footer: "",
        help: "quit: probes stop, the terminal is restored and the session id is printed for `connfix resume`",
        action: Act::Quit,
    },
];
