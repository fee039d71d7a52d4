//! Drawing a frame: the app lays the screen out, hands each component its area and model,
//! and builds the footer and the help from the components' key tables.

use super::app::{App, Screen};
use super::bindings::{Act, KEYS};
use super::components::{Ctx, Pane, checklist, paste, search, summary, tree};
use super::keys::{self, Group, Hint};
use super::view::{chrome, layout};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

impl App {
    /// The keys the footer shows now, most useful first: moving between panes, copying
    /// the fix and searching, then the focused pane's keys, then the rest.
    fn footer_hints(&self) -> Vec<Hint> {
        const FIRST: [Act; 3] = [Act::NextPane, Act::CopyCommands, Act::Search];
        // An open box has the keys: the footer says what they do there.
        if self.input.is_some() {
            return keys::hints(super::components::input::KEYS, |_| true);
        }
        if self.paste.is_some() {
            return keys::hints(paste::KEYS, |_| true);
        }
        if self.help.is_some() {
            return keys::hints(super::components::help::KEYS, |_| true);
        }
        let first = keys::hints(KEYS, |a| FIRST.contains(&a) && self.applies(a));
        let screen = keys::hints(KEYS, |a| !FIRST.contains(&a) && self.applies(a));
        if self.screen == Screen::Checklist {
            let mut out = (self.checklist.as_ref())
                .map(|c| c.hints(self.diagnosis.is_some()))
                .unwrap_or_default();
            out.extend(screen);
            return out;
        }
        let Some(d) = &self.diagnosis else {
            return screen;
        };
        let mut out = first;
        if self.tree.answering {
            return self.tree.hints(d);
        }
        if self.search.as_ref().is_some_and(|s| !s.hits.is_empty()) {
            out.extend(keys::hints(search::KEYS, |_| true));
        }
        out.extend(match self.focus {
            Pane::Tree => self.tree.hints(d),
            Pane::Evidence => self.evidence.hints(),
            Pane::Causes => self.causes.hints(),
        });
        out.extend(screen);
        out
    }

    /// Every key of the screen shown, for the help.
    pub fn help_groups(&self) -> Vec<Group> {
        let mut out = vec![keys::group("Everywhere", KEYS)];
        if self.screen == Screen::Checklist {
            out.push(keys::group("Checklist", checklist::KEYS));
            return out;
        }
        out.push(keys::group("Decision tree", tree::KEYS));
        out.push(keys::group(
            "Answering a question (after Enter)",
            tree::ANSWER_KEYS,
        ));
        out.push(keys::group("Evidence", keys::SCROLL));
        out.push(keys::group("Causes & fix", super::components::causes::KEYS));
        out.push(keys::group("After a search", search::KEYS));
        out
    }

    /// The message row's text: why the session is not saved, else the latest message.
    fn message(&self) -> Option<String> {
        let unsaved = (self.journal.as_ref())
            .and_then(|j| j.save_error.as_ref())
            .map(|e| match self.quit_armed {
                true => "⚠ the session is not saved: q again quits and keeps a copy in the temp directory; s saves it elsewhere".to_string(),
                false => format!("⚠ not saved: {e}. s saves elsewhere"),
            });
        unsaved.or_else(|| self.flash.clone())
    }

    /// Draws a frame. Components remember where they were drawn and how far they scroll,
    /// so the keys and the mouse that follow act on what the person sees.
    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        let t = self.theme();
        if layout::too_small(area) {
            chrome::too_small(frame, area, t);
            return;
        }
        let kb = self.kb.clone();
        let ctx = Ctx {
            theme: t,
            tick: self.tick,
            now: self.now,
            kb: &kb,
        };
        if let Some(p) = &self.prompt {
            super::components::prompt::render(frame, area, t, p, &self.history);
            if let Some(pb) = &self.paste {
                paste::render(frame, area, &ctx, pb);
            }
            return;
        }
        let message = self.message();
        let searching = self.search.as_ref().is_some_and(|s| s.editing);
        let message_rows = if searching {
            1
        } else {
            chrome::message_rows(message.as_deref(), area.width, 2)
        };
        let footer = self.footer_hints();
        let notes = self
            .journal
            .as_ref()
            .map(|j| j.notes.clone())
            .unwrap_or_default();
        let (message_area, footer_area) = match (self.screen, &mut self.checklist) {
            (Screen::Checklist, Some(c)) => {
                let p = layout::checklist_panes(area, self.banner.is_some(), message_rows);
                let elapsed = (self.journal.as_ref())
                    .map(|j| super::journal::clock(j.elapsed_secs(self.wall)))
                    .unwrap_or_default();
                c.header(frame, p.header, &elapsed, t);
                chrome::banner(frame, p.banner, t, self.banner.as_deref());
                c.render(
                    frame,
                    (p.list, p.detail),
                    self.diagnosis.as_ref(),
                    &notes,
                    &ctx,
                );
                (p.message, p.footer)
            }
            _ => match &self.diagnosis {
                Some(_) => self.draw_diagnosis(frame, area, message_rows, &notes, &ctx),
                None => return,
            },
        };
        match &self.search {
            Some(s) if s.editing => s.render(frame, message_area, t),
            _ => chrome::message(frame, message_area, t, message.as_deref()),
        }
        let in_a_box = self.input.is_some() || self.paste.is_some() || self.help.is_some();
        chrome::footer(frame, footer_area, t, &footer, in_a_box);
        if self.help.is_some() {
            let groups = self.help_groups();
            if let Some(h) = &mut self.help {
                h.render(frame, area, &groups, ctx.theme);
            }
        }
        if let Some(p) = &self.picker {
            p.render(frame, area, self.color);
        }
        if let Some(pb) = &self.paste {
            paste::render(frame, area, &ctx, pb);
        }
        if let Some(input) = &self.input {
            super::components::input::render(frame, area, t, input);
        }
    }

    /// The diagnosis screen; returns the message and footer areas.
    fn draw_diagnosis(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        message_rows: u16,
        notes: &[crate::session::Note],
        ctx: &Ctx,
    ) -> (Rect, Rect) {
        let Some(d) = &self.diagnosis else {
            return (Rect::default(), Rect::default());
        };
        let t = ctx.theme;
        let (title, action, why) = layout::summary_budget(area);
        let band = summary::lines(
            d,
            area.width as usize,
            summary::Budget { title, action, why },
            ctx,
        );
        let tab = Pane::ALL.iter().position(|p| *p == self.focus).unwrap_or(0);
        let p = layout::panes(
            area,
            layout::Want {
                banner: self.banner.is_some(),
                summary: band.len() as u16,
                message: message_rows,
                tab,
                causes: d.report.causes.len(),
            },
        );
        // With --from, the header says where the client is looked at from.
        let shown = match &self.settings.vantage {
            Some(v) => format!("{} from {}", d.target.redacted, v.label),
            None => d.target.redacted.clone(),
        };
        let state = if d.all_done() {
            vec![Span::styled(
                format!("{} probes done ", d.slots.len()),
                t.dim(),
            )]
        } else {
            vec![Span::styled(
                format!(
                    "{} probing {}/{} ",
                    super::view::spinner(ctx.tick),
                    d.done_count(),
                    d.slots.len()
                ),
                t.accent(),
            )]
        };
        chrome::header(frame, p.header, t, &shown, state);
        summary::render(frame, p.summary, band);
        chrome::banner(frame, p.banner, t, self.banner.as_deref());
        let titles: Vec<&str> = Pane::ALL.iter().map(|p| p.title()).collect();
        chrome::tabs(frame, p.tabs, t, &titles, tab);
        let query = self.search.as_ref().and_then(|s| s.query());
        let focus = self.focus;
        self.tree.render(frame, p.tree, focus == Pane::Tree, d, ctx);
        self.evidence.render(
            frame,
            p.evidence,
            focus == Pane::Evidence,
            d,
            notes,
            query,
            ctx,
        );
        self.causes.render(
            frame,
            p.causes,
            p.detail,
            focus == Pane::Causes,
            d,
            query,
            ctx,
        );
        (p.message, p.footer)
    }
}
