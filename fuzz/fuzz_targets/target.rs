//! Any text as a target: parsing never panics, and a parsed target never keeps a password.
#![no_main]

use connfix::knowledge::services::Services;
use connfix::target::{self, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let services = Services::bundled();
    if let Ok(t) = target::parse(text, ParseOptions::default(), &services, &|_| None)
        && let Some((_, rest)) = text.split_once("://")
        && let Some((userinfo, _)) = rest.split_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
        && password.len() >= 4
        && !password.contains(['/', '?', '#', '@'])
    {
        assert!(!t.redacted.contains(password), "{text:?} -> {}", t.redacted);
    }
});
