//! Any bytes as a paste: explaining never panics, never finds more than it may report, and
//! never shows a password from a URL in its evidence.
#![no_main]

use connfix::explain;
use connfix::knowledge::Knowledge;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(Knowledge::bundled)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ex = explain::explain(&text, kb());
    assert!(ex.findings.len() <= explain::MAX_FINDINGS);
    for f in &ex.findings {
        assert!(f.lines[0] <= f.lines[1]);
        if let Some(h) = &f.target.host {
            assert!(!h.is_empty() && !h.starts_with('['));
        }
    }
});
