//! `connfix explain [FILE|-] [--json] [--check]`: reads pasted error text and says what it
//! shows; with --check, diagnoses the target it names.

use super::{CheckFlags, CliError, parse_target, print_report, settings, style, usage};
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
) -> Result<i32, CliError> {
    // Flags are checked before anything is read, so a typo does not cost a paste.
    let (check_settings, ctx, opts) = settings(flags, kb)?;
    let check_settings = super::with_vantage(check_settings, flags).await?;
    let (text, skipped, marks) = read_input(file)?;
    let mut ex = explain::explain(&text, kb);
    // The bytes of the input: what was read, less the ` … ` put into cut lines, plus what
    // was left out.
    ex.stats.bytes = ex.stats.bytes.saturating_sub(marks) + skipped;
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
                    "connfix: the text is {} bytes; {skipped} of them were not read (only the last {} MiB are, and of a line over {} KiB only its first and last {} KiB)",
                    ex.stats.bytes,
                    MAX_INPUT >> 20,
                    MAX_LINE >> 10,
                    MAX_LINE >> 11,
                );
            }
            crate::out!(
                "{}",
                crate::render::explain::render(&ex, kb, style(), super::columns())
            );
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
        .map_err(|why| CliError::Usage(format!("--check: {why}")))?;
    let target = parse_target(&OsString::from(&arg), opts, kb)?;
    if !flags.json {
        crate::out!(
            "{}",
            crate::render::explain::render(&ex, kb, style(), super::columns())
        );
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
/// `MAX_INPUT` bytes are kept (the error at the end matters most), and of a line over
/// `MAX_LINE` bytes only its start and end; returns the text, how many bytes of the input
/// were left out, and how many bytes of the text are cut marks put in.
fn read_input(file: Option<&Path>) -> Result<(String, usize, usize), CliError> {
    let from_stdin = file.is_none_or(|f| f == Path::new("-"));
    let (bytes, skipped, marks) = if from_stdin {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!(
                "Paste the error text, then press Ctrl-D on a line of its own (Ctrl-C to give up):"
            );
        }
        read_tail(stdin.lock())
            .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?
    } else {
        let path = file.unwrap_or(Path::new("-"));
        let meta = std::fs::metadata(path).map_err(|e| {
            CliError::Usage(format!(
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
            CliError::Usage(format!("cannot read {}: {}", path.display(), io_reason(&e)))
        })?;
        read_tail(f).map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?
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
    Ok((text, skipped, marks))
}

/// Of a line longer than this, only its first and last halves are read, with ` … ` between
/// them: one huge line (a minified bundle, a base64 blob, a progress bar) cannot push the
/// lines before it, where the error usually is, out of the `MAX_INPUT` bytes kept. It is
/// above the longest JSON log line that is opened (256 KiB), so those arrive whole.
pub const MAX_LINE: usize = 512 * 1024;

/// Put where the middle of an overlong line was left out.
const CUT_MARK: &[u8] = " … ".as_bytes();

/// Reads everything in bounded chunks, keeping only the last `MAX_INPUT` bytes, cut at a
/// line start, and of every line over `MAX_LINE` bytes only its start and its end. Memory
/// stays under about 2 × `MAX_INPUT` + `MAX_LINE` whatever the input. Returns the bytes kept,
/// how many bytes of the input were left out, and how many of those kept are cut marks
/// (not input).
fn read_tail(mut r: impl Read) -> std::io::Result<(Vec<u8>, usize, usize)> {
    let mut tail = Tail::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        tail.push(&chunk[..n]);
    }
    Ok(tail.finish())
}

/// What `read_tail` keeps while it reads.
#[derive(Default)]
struct Tail {
    /// The lines kept, with the start of the current one.
    buf: Vec<u8>,
    /// Bytes of the current line seen so far.
    line_len: usize,
    /// The latest bytes of the current line, once its first `MAX_LINE / 2` are in `buf`.
    line_end: Vec<u8>,
    /// Whether the middle of the current line was left out.
    line_cut: bool,
    /// Bytes left out before the kept lines.
    front: usize,
    /// Bytes left out from the middle of long lines.
    middles: usize,
    /// Where the cut marks are, counted from the first byte ever put in `buf`.
    marks: Vec<usize>,
}

impl Tail {
    fn push(&mut self, mut bytes: &[u8]) {
        // A lone CR ends a line for the parser too (old Mac files, progress bars).
        while let Some(i) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.push_in_line(&bytes[..=i]);
            self.end_line();
            bytes = &bytes[i + 1..];
        }
        self.push_in_line(bytes);
    }

    fn push_in_line(&mut self, bytes: &[u8]) {
        let half = MAX_LINE / 2;
        let head = half.saturating_sub(self.line_len).min(bytes.len());
        self.buf.extend_from_slice(&bytes[..head]);
        self.line_end.extend_from_slice(&bytes[head..]);
        self.line_len += bytes.len();
        // Amortised: the end is trimmed once it holds twice what is kept of it.
        if self.line_end.len() > 2 * half {
            self.trim_line_end();
        }
        self.keep_last();
    }

    fn trim_line_end(&mut self) {
        let half = MAX_LINE / 2;
        if self.line_end.len() > half {
            let cut = self.line_end.len() - half;
            self.line_end.drain(..cut);
            self.middles += cut;
            self.line_cut = true;
        }
    }

    fn end_line(&mut self) {
        self.trim_line_end();
        if self.line_cut {
            self.marks.push(self.front + self.buf.len());
            self.buf.extend_from_slice(CUT_MARK);
        }
        self.buf.append(&mut self.line_end);
        self.line_len = 0;
        self.line_cut = false;
        self.keep_last();
    }

    /// Drops the oldest bytes once twice `MAX_INPUT` are kept (amortised: each byte is
    /// moved a bounded number of times).
    fn keep_last(&mut self) {
        if self.buf.len() > 2 * MAX_INPUT {
            let cut = self.buf.len() - MAX_INPUT;
            self.buf.drain(..cut);
            self.front += cut;
        }
    }

    fn finish(mut self) -> (Vec<u8>, usize, usize) {
        if self.line_len > 0 {
            self.end_line();
        }
        let mut buf = std::mem::take(&mut self.buf);
        if buf.len() > MAX_INPUT {
            let cut = buf.len() - MAX_INPUT;
            buf.drain(..cut);
            self.front += cut;
        }
        // When the front was cut, the text starts at the next line start.
        if self.front > 0
            && let Some(nl) = buf.iter().position(|&b| b == b'\n' || b == b'\r')
        {
            buf.drain(..=nl);
            self.front += nl + 1;
        }
        // Marks in the part dropped from the front went with it (a mark is never the
        // last thing before a line break, so the cut at a line start takes a whole one);
        // they were not input, so they do not count as input left out.
        let kept = self.marks.iter().filter(|&&at| at >= self.front).count();
        let gone = (self.marks.len() - kept) * CUT_MARK.len();
        let skipped = (self.front + self.middles).saturating_sub(gone);
        (buf, skipped, kept * CUT_MARK.len())
    }
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
        let (kept, dropped, marks) = read_tail(&text[..]).unwrap();
        assert_eq!(marks, 0);
        assert!(kept.len() <= MAX_INPUT);
        assert_eq!(kept.len() + dropped, text.len());
        assert!(kept.starts_with(b"line "));
        assert!(kept.ends_with(format!("line {}\n", n - 1).as_bytes()));
    }

    /// A reader that hands out at most `n` bytes a call, as a pipe does.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_huge_line_keeps_its_ends_and_the_lines_before_it() {
        let error = "Error: connect ECONNREFUSED 127.0.0.1:5432\n";
        let noise: Vec<u8> = (0..5 << 20).map(|i| b'a' + (i % 26) as u8).collect();
        for ending in ["\n", ""] {
            let mut text = error.as_bytes().to_vec();
            text.extend_from_slice(&noise);
            text.extend_from_slice(b"END");
            text.extend_from_slice(ending.as_bytes());
            for step in [64 * 1024, 4093, text.len()] {
                let (kept, dropped, marks) = read_tail(Trickle(&text, step)).unwrap();
                assert_eq!(marks, CUT_MARK.len());
                assert!(kept.starts_with(error.as_bytes()), "step {step}");
                let line = &kept[error.len()..];
                assert_eq!(&line[..MAX_LINE / 2], &noise[..MAX_LINE / 2]);
                assert_eq!(&line[MAX_LINE / 2..MAX_LINE / 2 + CUT_MARK.len()], CUT_MARK);
                assert!(
                    line.ends_with(format!("END{ending}").as_bytes()),
                    "step {step}"
                );
                assert_eq!(line.len(), MAX_LINE + CUT_MARK.len());
                assert_eq!(
                    kept.len() - CUT_MARK.len() + dropped,
                    text.len(),
                    "step {step}"
                );
            }
        }
        // Many long lines: the front goes too, marks and all, and the count still adds up.
        let mut text = Vec::new();
        for i in 0..24u8 {
            text.extend(std::iter::repeat_n(
                b'a' + i,
                MAX_LINE + 1000 * usize::from(i),
            ));
            text.push(b'\n');
        }
        text.extend_from_slice(error.as_bytes());
        let (kept, dropped, marks) = read_tail(Trickle(&text, 10_000)).unwrap();
        assert!(kept.len() <= MAX_INPUT);
        assert!(kept.ends_with(error.as_bytes()));
        // It starts with a whole (cut) line: its start, the mark, its end (whose last
        // byte is the line break).
        let first = kept.iter().position(|&b| b == b'\n').unwrap();
        assert_eq!(first + 1, MAX_LINE + CUT_MARK.len());
        assert_eq!(&kept[MAX_LINE / 2..MAX_LINE / 2 + CUT_MARK.len()], CUT_MARK);
        assert_eq!(kept.len() - marks + dropped, text.len());
        assert_eq!(marks % CUT_MARK.len(), 0);
        // Lines up to the limit arrive whole.
        let line = vec![b'x'; MAX_LINE];
        let (kept, dropped, marks) = read_tail(&line[..]).unwrap();
        assert_eq!((kept.len(), dropped, marks), (MAX_LINE, 0, 0));
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
