//! Where each pane goes: every size and split of the screen is decided here, so the view
//! and the mouse handling agree on it.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the panes cannot show a useful line each; a message says so instead.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Share of the body height given to the tree and evidence panes (the rest: causes).
const TOP_PERCENT: u16 = 55;
/// Share of the width given to the tree pane (the rest: evidence).
const TREE_PERCENT: u16 = 45;
/// Width of the list of causes beside their details.
const CAUSE_LIST_WIDTH: u16 = 34;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panes {
    pub header: Rect,
    /// The verdict's action, under the header (empty until there is one).
    pub action: Rect,
    /// Empty when there is no banner.
    pub banner: Rect,
    pub tree: Rect,
    pub evidence: Rect,
    pub causes: Rect,
    pub detail: Rect,
    pub footer: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Header, banner (empty without one), body, footer: the same on every screen.
fn rows(area: Rect, banner: bool) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(banner)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// At most this many rows for the action line; longer text is cut with "…" and shown in
/// full in the cause's details.
pub const ACTION_ROWS: u16 = 2;

pub fn panes(area: Rect, banner: bool, action_rows: u16) -> Panes {
    let [header, banner_area, body, footer] = rows(area, banner);
    let [action, body] = Layout::vertical([
        Constraint::Length(action_rows.min(ACTION_ROWS)),
        Constraint::Min(0),
    ])
    .areas(body);
    let [top, bottom] = Layout::vertical([
        Constraint::Percentage(TOP_PERCENT),
        Constraint::Percentage(100 - TOP_PERCENT),
    ])
    .areas(body);
    let [tree, evidence] = Layout::horizontal([
        Constraint::Percentage(TREE_PERCENT),
        Constraint::Percentage(100 - TREE_PERCENT),
    ])
    .areas(top);
    let [causes, detail] =
        Layout::horizontal([Constraint::Length(CAUSE_LIST_WIDTH), Constraint::Min(0)])
            .areas(bottom);
    Panes {
        header,
        action,
        banner: banner_area,
        tree,
        evidence,
        causes,
        detail,
        footer,
    }
}

/// The checklist screen: steps on the left, the selected step's details on the right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChecklistPanes {
    pub header: Rect,
    pub banner: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub footer: Rect,
}

/// Share of the width given to the list of steps.
const STEPS_PERCENT: u16 = 45;

pub fn checklist_panes(area: Rect, banner: bool) -> ChecklistPanes {
    let [header, banner_area, body, footer] = rows(area, banner);
    let [list, detail] = Layout::horizontal([
        Constraint::Percentage(STEPS_PERCENT),
        Constraint::Percentage(100 - STEPS_PERCENT),
    ])
    .areas(body);
    ChecklistPanes {
        header,
        banner: banner_area,
        list,
        detail,
        footer,
    }
}

/// A box of at most `w`×`h` in the middle of `area` (for the help and the prompt).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
