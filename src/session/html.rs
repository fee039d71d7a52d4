//! The HTML report of a session: one self-contained file, readable on screen and on paper.

use super::SessionRecord;
use crate::knowledge::Knowledge;

pub fn render(rec: &SessionRecord, kb: &Knowledge) -> String {
    let _ = kb;
    format!("<!doctype html><title>connfix session {}</title>\n", rec.id)
}
