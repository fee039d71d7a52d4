//! `connfix explain [FILE|-] [--json] [--check]`: reads pasted error text and says what it
//! shows; with --check, diagnoses the target it names.

use super::{CheckFlags, UsageError, parse_target, print_report, settings, style, usage};
use crate::explain::{self, Explanation, MAX_INPUT};
use crate::knowledge::Knowledge;
use serde_json::{Value, json};
use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// Exit code when the text holds no connection error connfix recognises.
pub const EXIT_NOT_RECOGNISED: i32 = 1;

pub async fn run(
    file: Option<&Path>,
    check: bool,
    flags: &CheckFlags,
    kb: &Knowledge,
) -> Result<i32, UsageError> {
    // Flags are checked before anything is read, so a typo does not cost a paste.
    let (check_settings, ctx, opts) = settings(flags, kb)?;
    let check_settings = super::with_vantage(check_settings, flags).await?;
    let (text, skipped) = read_input(file)?;
    let mut ex = explain::explain(&text, kb);
    ex.stats.bytes += skipped;
    let mut doc = to_json(&ex, skipped);
    if !check {
        if flags.json {
            crate::outln!(
                "{}",
                crate::sanitize::json(serde_json::to_string_pretty(&doc).unwrap_or_default())
            );
        } else {
            if skipped > 0 {
                eprintln!(
                    "connfix: the text is {} bytes; only its last {} MiB were read",
                    skipped + text.len(),
                    MAX_INPUT >> 20
                );
            }
            crate::out!("{}", crate::render::explain::render(&ex, kb, style()));
        }
        return Ok(if ex.main().is_some() {
            0
        } else {
            EXIT_NOT_RECOGNISED
        });
    }

    let Some(main) = ex.main() else {
        return usage(
            "--check: the text holds no connection error connfix recognises, so there is no target to check; run `connfix check TARGET` yourself",
        );
    };
    let arg = main
        .check_target(opts.port)
        .map_err(|why| UsageError(format!("--check: {why}")))?;
    let target = parse_target(&OsString::from(&arg), opts, kb)?;
    if !flags.json {
        crate::out!("{}", crate::render::explain::render(&ex, kb, style()));
        crate::outln!("\nRunning: connfix check {}\n", target.redacted);
    }
    let report = crate::check::run(target, check_settings, &ctx, kb).await;
    if flags.json {
        if let Value::Object(map) = &mut doc {
            map.insert(
                "diagnosis".into(),
                serde_json::to_value(&report).unwrap_or(Value::Null),
            );
        }
        crate::outln!(
            "{}",
            crate::sanitize::json(serde_json::to_string_pretty(&doc).unwrap_or_default())
        );
    } else {
        print_report(&report, false);
    }
    Ok(report.exit_code())
}

/// The JSON of an explanation: the last error's fields at the top, the earlier ones under
/// `others`, and what was read under `input`. Keys are null where the text does not say.
pub fn to_json(ex: &Explanation, skipped: usize) -> Value {
    let input = json!({
        "bytes": ex.stats.bytes,
        "lines": ex.stats.lines,
        "skipped_bytes": skipped,
        "matches": ex.stats.matches,
    });
    let mut doc = match ex.main() {
        Some(f) => serde_json::to_value(f).unwrap_or(Value::Null),
        None => json!({
            "kind": null,
            "title": null,
            "ecosystem": null,
            "errno": null,
            "errno_code": null,
            "platform": null,
            "target": {"host": null, "port": null, "scheme": null, "unix_path": null},
            "via_proxy": false,
            "knowledge": [],
            "summary": "No connection error recognised in this text.",
            "evidence": [],
            "lines": null,
            "check": null,
        }),
    };
    if let Value::Object(map) = &mut doc {
        let others: Vec<Value> = ex
            .findings
            .iter()
            .skip(1)
            .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
            .collect();
        map.insert("others".into(), Value::Array(others));
        map.insert("others_left_out".into(), json!(ex.stats.left_out));
        map.insert("input".into(), input);
    }
    doc
}

/// Reads the paste from FILE, or from standard input for `-` or no argument. Only the last
/// `MAX_INPUT` bytes are kept (the error at the end matters most); returns the text and how
/// many bytes were dropped before it.
fn read_input(file: Option<&Path>) -> Result<(String, usize), UsageError> {
    let from_stdin = file.is_none_or(|f| f == Path::new("-"));
    let (bytes, skipped) = if from_stdin {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!(
                "Paste the error text, then press Ctrl-D on a line of its own (Ctrl-C to give up):"
            );
        }
        read_tail(stdin.lock())
            .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?
    } else {
        let path = file.unwrap_or(Path::new("-"));
        let meta = std::fs::metadata(path).map_err(|e| {
            UsageError(format!(
                "cannot read {}: {}; give a file holding the error text, or - to paste it",
                path.display(),
                io_reason(&e)
            ))
        })?;
        if meta.is_dir() {
            return usage(format!(
                "{} is a directory; give a file holding the error text, or - to paste it",
                path.display()
            ));
        }
        let f = std::fs::File::open(path).map_err(|e| {
            UsageError(format!("cannot read {}: {}", path.display(), io_reason(&e)))
        })?;
        read_tail(f).map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?
    };
    let name = file.map_or("standard input".to_string(), |f| {
        if f == Path::new("-") {
            "standard input".into()
        } else {
            f.display().to_string()
        }
    });
    // PowerShell's `>` writes UTF-16 with a byte order mark.
    let bytes = match utf16(&bytes) {
        Some(text) => text.into_bytes(),
        None => bytes,
    };
    if looks_binary(&bytes) {
        return usage(format!(
            "{name} looks like binary data, not text; give the error message as text"
        ));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if text.trim().is_empty() {
        return usage(format!(
            "{name} is empty; paste the error message your program printed (e.g. `connfix explain error.log`, or pipe it in)"
        ));
    }
    Ok((text, skipped))
}

/// Reads everything, keeping only the last `MAX_INPUT` bytes in memory, cut at a line start.
fn read_tail(mut r: impl Read) -> std::io::Result<(Vec<u8>, usize)> {
    let mut buf = Vec::new();
    let mut dropped = 0;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > 2 * MAX_INPUT {
            let cut = buf.len() - MAX_INPUT;
            buf.drain(..cut);
            dropped += cut;
        }
    }
    if buf.len() > MAX_INPUT {
        let cut = buf.len() - MAX_INPUT;
        buf.drain(..cut);
        dropped += cut;
    }
    if dropped > 0
        && let Some(nl) = buf.iter().position(|&b| b == b'\n')
    {
        buf.drain(..=nl);
        dropped += nl + 1;
    }
    Ok((buf, dropped))
}

/// Text in UTF-16 (little or big endian, with its byte order mark), decoded.
fn utf16(bytes: &[u8]) -> Option<String> {
    let (le, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// NUL bytes, or mostly control characters, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x1b))
        .count();
    head.len() >= 16 && control * 10 > head.len()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tail_of_a_long_input_is_kept_from_a_line_start() {
        let mut text = Vec::new();
        let mut n = 0;
        while text.len() < 3 * MAX_INPUT {
            text.extend_from_slice(format!("line {n}\n").as_bytes());
            n += 1;
        }
        let (kept, dropped) = read_tail(&text[..]).unwrap();
        assert!(kept.len() <= MAX_INPUT);
        assert_eq!(kept.len() + dropped, text.len());
        assert!(kept.starts_with(b"line "));
        assert!(kept.ends_with(format!("line {}\n", n - 1).as_bytes()));
    }

    #[test]
    fn binary_is_told_apart_from_text() {
        assert!(looks_binary(b"\x00\x01\x02abc"));
        assert!(!looks_binary(
            "Error: connect ECONNREFUSED ::1:3000\n\tat x".as_bytes()
        ));
        assert!(!looks_binary(
            "\x1b[31mError\x1b[0m: read ECONNRESET".as_bytes()
        ));
    }
}
