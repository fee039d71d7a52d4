//! Where each part of a screen goes. Every size and split is decided here; the components
//! remember where they were drawn, so mouse clicks land where the person sees things.
//!
//! Small terminals first: the verdict band (title, action, deciding evidence) always comes
//! right under the header. Below [`GRID_WIDTH`]×[`GRID_HEIGHT`] the three panes become tabs,
//! one shown at a time at full width, instead of three cramped panes cutting their text.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen cannot show a useful line per part; a message says so instead.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this size on, the tree, the evidence and the causes are shown side by side.
pub const GRID_WIDTH: u16 = 110;
pub const GRID_HEIGHT: u16 = 34;
/// Share of the body height given to the tree and evidence panes in the grid.
const TOP_PERCENT: u16 = 55;
/// Share of the width given to the tree pane in the grid.
const TREE_PERCENT: u16 = 45;
/// Width of the list of causes beside their details in the grid.
const CAUSE_LIST_WIDTH: u16 = 34;
/// The list of causes above their details, in the tabbed layout: at most this many rows.
const CAUSE_LIST_ROWS: u16 = 6;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// True when the panes are tabs at this size.
pub fn tabbed(area: Rect) -> bool {
    area.width < GRID_WIDTH || area.height < GRID_HEIGHT
}

/// The diagnosis screen. Areas not shown (the panes of other tabs, an absent banner) are
/// empty rectangles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panes {
    pub header: Rect,
    /// The verdict, its action and the deciding evidence.
    pub summary: Rect,
    pub banner: Rect,
    /// The tab strip (tabbed layout only).
    pub tabs: Rect,
    pub tree: Rect,
    pub evidence: Rect,
    pub causes: Rect,
    pub detail: Rect,
    /// A message or the search bar, above the footer.
    pub message: Rect,
    pub footer: Rect,
}

/// What decides the rows: the band's and the message's heights, and which tab shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Want {
    pub banner: bool,
    pub summary: u16,
    pub message: u16,
    /// 0 tree, 1 evidence, 2 causes: the tab shown in the tabbed layout.
    pub tab: usize,
    /// How many causes the list has (sizes it in the tabbed layout).
    pub causes: usize,
}

/// How many rows the verdict band may take at this size: the title, the action, the
/// evidence. The body keeps at least 8 rows.
pub fn summary_budget(area: Rect) -> (usize, usize, usize) {
    if area.height >= GRID_HEIGHT {
        (2, 4, 4)
    } else {
        (2, 3, 3)
    }
}

pub fn panes(area: Rect, want: Want) -> Panes {
    let [header, summary, banner, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(want.summary),
        Constraint::Length(u16::from(want.banner)),
        Constraint::Min(0),
        Constraint::Length(want.message),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut p = Panes {
        header,
        summary,
        banner,
        message,
        footer,
        ..Panes::default()
    };
    if !tabbed(area) {
        let [top, bottom] = Layout::vertical([
            Constraint::Percentage(TOP_PERCENT),
            Constraint::Percentage(100 - TOP_PERCENT),
        ])
        .areas(body);
        [p.tree, p.evidence] = Layout::horizontal([
            Constraint::Percentage(TREE_PERCENT),
            Constraint::Percentage(100 - TREE_PERCENT),
        ])
        .areas(top);
        [p.causes, p.detail] =
            Layout::horizontal([Constraint::Length(CAUSE_LIST_WIDTH), Constraint::Min(0)])
                .areas(bottom);
        return p;
    }
    let [tabs, pane] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
    p.tabs = tabs;
    match want.tab {
        0 => p.tree = pane,
        1 => p.evidence = pane,
        _ => {
            let list = (want.causes.max(1) as u16 + 2).min(CAUSE_LIST_ROWS);
            [p.causes, p.detail] =
                Layout::vertical([Constraint::Length(list), Constraint::Min(0)]).areas(pane);
        }
    }
    p
}

/// The checklist screen: steps on the left, the selected step's details on the right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChecklistPanes {
    pub header: Rect,
    pub banner: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub message: Rect,
    pub footer: Rect,
}

/// Share of the width given to the list of steps.
const STEPS_PERCENT: u16 = 45;

pub fn checklist_panes(area: Rect, banner: bool, message: u16) -> ChecklistPanes {
    let [header, banner_area, body, message_area, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(banner)),
        Constraint::Min(0),
        Constraint::Length(message),
        Constraint::Length(1),
    ])
    .areas(area);
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
        message: message_area,
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
