//! Cleaning a paste before it is matched: colour codes out, line endings unified, JSON log
//! lines opened up into their fields, and lines a terminal broke at its width joined again.
//! Every line of the result remembers which line of the paste it came from.

/// JSON log lines longer than this are matched as they are, not parsed.
const MAX_JSON_LINE: usize = 256 * 1024;
/// How deep a JSON log line is opened up.
const MAX_JSON_DEPTH: usize = 8;
/// Lines shorter than this are never taken for a terminal's hard wrap.
const MIN_WRAP_WIDTH: usize = 40;

/// The text to match, and for each of its lines the 1-based line of the paste it came from.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub text: String,
    /// Byte offset where each line of `text` starts.
    pub line_starts: Vec<usize>,
    /// The paste's line number for each line of `text`.
    pub origin: Vec<usize>,
}

impl Prepared {
    /// The 0-based line of `text` holding byte `offset`.
    pub fn line_at(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The text of line `i` (0-based), without its newline.
    pub fn line(&self, i: usize) -> &str {
        let start = self.line_starts.get(i).copied().unwrap_or(self.text.len());
        // Every line, the last one included, ends with a newline.
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len())
            .saturating_sub(1);
        &self.text[start.min(end)..end]
    }
}

/// Prepares pasted text for matching, line for line.
pub fn prepare(raw: &str) -> Prepared {
    assemble(
        lines_of(raw)
            .into_iter()
            .map(|l| (l.text, l.origin))
            .collect(),
    )
}

/// Words a console may cut in two where it wraps a boxed message (Symfony's
/// `Connec` / `  tion refused`): the ones the failure is read from.
const CUT_WORDS: &[&str] = &[
    "connection",
    "connect",
    "refused",
    "reset",
    "timeout",
    "timed",
    "unreachable",
    "resolve",
    "resolved",
    "established",
    "certificate",
    "handshake",
    "unavailable",
    "exceeded",
];

/// Joins a line that ends in the first part of one of `CUT_WORDS` to the next line that
/// starts with the rest of it.
fn join_cut_words(lines: Vec<RawLine>) -> Vec<RawLine> {
    let mut out: Vec<RawLine> = Vec::with_capacity(lines.len());
    for l in lines {
        if let Some(prev) = out.last_mut()
            && !prev.json
            && !l.json
            && let Some(joined) = cut_word(&prev.text, &l.text)
                .or_else(|| cut_url(&prev.text, &l.text))
                .or_else(|| cut_name(&prev.text, &l.text))
        {
            prev.text = joined;
            continue;
        }
        out.push(l);
    }
    out
}

/// A URL cut after a hyphen of its name (`http://www2.nestle-` / `baby.com.tw/x`): no name
/// ends in a hyphen, so the next line goes on with it.
fn cut_url(prev: &str, next: &str) -> Option<String> {
    let prev = prev.trim_end();
    let last = prev.rsplit(char::is_whitespace).next()?;
    let rest = next.trim_start();
    let cut = last.contains("://")
        && last.ends_with('-')
        && !last.split("://").nth(1)?.contains('/')
        && rest.starts_with(|c: char| c.is_ascii_alphanumeric());
    cut.then(|| format!("{prev}{rest}"))
}

/// A host name cut before one of its dots (`lookup www` / `.googleapis.com on …`): a line
/// goes on with a name's labels, at least two, the last of letters.
fn cut_name(prev: &str, next: &str) -> Option<String> {
    let last = prev.rsplit(char::is_whitespace).next()?;
    let rest = next.strip_prefix('.')?;
    let token = rest.split([' ', ':', ',', ')']).next()?;
    let labels: Vec<&str> = token.split('.').collect();
    let name_like =
        |w: &str| !w.is_empty() && (w.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let cut = name_like(last)
        && labels.len() >= 2
        && labels.iter().all(|l| name_like(l))
        && labels
            .last()
            .is_some_and(|l| l.len() >= 2 && l.bytes().all(|b| b.is_ascii_alphabetic()));
    cut.then(|| format!("{prev}{next}"))
}

fn cut_word(prev: &str, next: &str) -> Option<String> {
    let tail_len = prev
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let rest = next.trim_start();
    let head_len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    if tail_len < 3
        || head_len < 2
        || tail_len + head_len > 12
        || rest[head_len..].starts_with(|c: char| c.is_alphanumeric())
    {
        return None;
    }
    let word =
        format!("{}{}", &prev[prev.len() - tail_len..], &rest[..head_len]).to_ascii_lowercase();
    CUT_WORDS
        .contains(&word.as_str())
        .then(|| format!("{prev}{rest}"))
}

/// The same text with the lines a terminal cut at its width joined again, when it looks
/// cut (see `join_hard_wraps`); None when it does not.
pub fn prepare_unwrapped(raw: &str) -> Option<Prepared> {
    let lines = lines_of(raw);
    let before = lines.len();
    let joined = join_hard_wraps(lines);
    (joined.len() < before).then(|| assemble(joined))
}

/// The same text with its one longest line joined to the next, when the break falls
/// inside a token (`…connect to loc` / `alhost:8080`): a single line a terminal cut at
/// its width, which `join_hard_wraps` cannot tell by equal lengths. A weaker guess than
/// that one, so its reading is used only when it says more.
pub fn prepare_one_cut(raw: &str) -> Option<Prepared> {
    let lines = lines_of(raw);
    let len = |s: &str| s.chars().count();
    let width = lines.iter().map(|l| len(&l.text)).max()?;
    let mut longest = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| len(&l.text) == width);
    let (at, _) = longest.next()?;
    let token = |c: char| c.is_alphanumeric() || matches!(c, '.' | ':' | '/' | '-' | '_');
    let next = lines.get(at + 1)?;
    let cut = width >= 60
        && longest.next().is_none()
        && !lines[at].json
        && !next.json
        && lines[at].text.ends_with(token)
        && next.text.starts_with(token)
        && !starts_record(&next.text)
        && !same_lead(&lines[at].text, &next.text)
        && !ends_sentence(&lines[at].text, &next.text)
        && !is_prompt(&lines[at].text)
        && !starts_with_a_word(&next.text);
    if !cut {
        return None;
    }
    let mut out: Vec<(String, usize)> = Vec::with_capacity(lines.len());
    for (i, l) in lines.into_iter().enumerate() {
        match out.last_mut() {
            Some((prev, _)) if i == at + 1 => prev.push_str(&l.text),
            _ => out.push((l.text, l.origin)),
        }
    }
    Some(assemble(out))
}

/// The line opens with a capitalised or upper-case word and a space (`Error Code : 0`,
/// ping's `PING 8.8.8.8 …`): a new field or sentence, not the rest of a token cut at the
/// line's end (`www.googleapis.com` stays whole above it).
fn starts_with_a_word(line: &str) -> bool {
    let end = line
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(line.len());
    let word = &line[..end];
    let rest = word.chars().skip(1);
    word.starts_with(char::is_uppercase)
        && end > 1
        && (rest.clone().all(char::is_lowercase) || rest.clone().all(char::is_uppercase))
        && line[end..].starts_with(' ')
}

/// A shell prompt and the command typed after it (`[root@db ~]# check_ntp -H 10.0.0.5`,
/// `$ telnet db 23`): the command ended where the line ends, the output is the next line.
pub(super) fn is_prompt(line: &str) -> bool {
    let t = line.trim_start();
    ["$ ", "# ", "% ", "> ", "❯ ", "➜ "]
        .iter()
        .any(|p| t.starts_with(p))
        || ["]# ", "]$ ", "~$ ", "~# ", ":~$ ", "~ $ "]
            .iter()
            .any(|p| t.find(p).is_some_and(|at| at < 60))
        || (t.starts_with("PS ") && t.find("> ").is_some_and(|at| at < 60))
        || shell_prompt(t)
}

/// An interactive client's prompt: one short word, then `> ` (`SQL> `, `mysql> `,
/// `sftp> `, `tarantool> `); or a shell's with a user, a host and a path before its sign
/// (`root@box:~/src# `).
fn shell_prompt(t: &str) -> bool {
    let word = |w: &str, more: &[u8]| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || more.contains(&b))
    };
    // `root@box:~/go/src/app# cmd`: a user, a host and a path before the sign.
    let user_host_path = t.split_once('@').is_some_and(|(user, rest)| {
        word(user, b"")
            && rest.split_once(':').is_some_and(|(host, path)| {
                word(host, b".")
                    && path.find(['#', '$']).is_some_and(|at| {
                        at < 80 && !path[..at].contains(' ') && path[at + 1..].starts_with(' ')
                    })
            })
    });
    user_host_path
        || t.split_once("> ")
            .is_some_and(|(w, _)| (1..=12).contains(&w.len()) && word(w, b""))
}

/// A line that ends a sentence with a dot (`… at https://pub.dev.`) before a line that
/// opens with a word (`pub get failed …`): two sentences, not a cut name.
fn ends_sentence(line: &str, next: &str) -> bool {
    line.ends_with('.')
        && next
            .split_whitespace()
            .next()
            .is_some_and(|w| w.chars().all(char::is_alphabetic))
        && next.contains(' ')
}

/// Two lines that open with the same eight characters (pytest's `E       `, a prompt, a
/// log prefix) are two records, not one line and its cut-off rest.
fn same_lead(line: &str, next: &str) -> bool {
    let lead = |s: &str| s.chars().take(8).collect::<String>();
    line.chars().count() >= 8 && lead(line) == lead(next)
}

struct RawLine {
    text: String,
    /// 1-based line of the paste.
    origin: usize,
    /// A field of a JSON log line: never a piece of a cut line.
    json: bool,
}

fn lines_of(raw: &str) -> Vec<RawLine> {
    // A shell's single-quoted string writes a quote as `'\''` (bash -x's trace of
    // `output='…host='\''api.lan'\''…'`): one quote, as the program printed it.
    let clean = strip_ansi(raw)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace("'\\''", "'");
    let mut lines = Vec::new();
    for (i, line) in clean.split('\n').enumerate() {
        let origin = i + 1;
        match open_json(line) {
            Some(fields) => lines.extend(fields.into_iter().map(|text| RawLine {
                text,
                origin,
                json: true,
            })),
            // Quotes escaped inside a logged string (klog's err="Get \"https://...\": ..."),
            // Markdown's escapes (`\[zabbix-server]:10051`), HTML entities of a page or an
            // e-mail notification, and the `> ` of a quoted reply: none of them are part of
            // the message.
            None => lines.push(RawLine {
                text: unquote_reply(&decode_entities(&unescape(line))).to_string(),
                origin,
                json: false,
            }),
        }
    }
    join_cut_words(join_boxed(lines))
}

/// Symfony's console (Composer, Laravel's artisan) prints an exception in a box: each line
/// indented by two spaces and padded with spaces to one width, its text cut at that width
/// even inside a word (`… port 44` / `3: Connection refused`). A box line whose text fills
/// the box goes on in the next box line of the same width; they are joined as written.
fn join_boxed(lines: Vec<RawLine>) -> Vec<RawLine> {
    let mut out: Vec<RawLine> = Vec::with_capacity(lines.len());
    // The box's width while its last line was full: nothing more fit on it.
    let mut open: Option<usize> = None;
    for l in lines {
        let width = l.text.chars().count();
        let in_box = !l.json && l.text.starts_with("  ") && !l.text.trim().is_empty();
        // The box's last line may have lost its padding on the way (a paste trims it).
        let goes_on =
            in_box && open.is_some_and(|o| width == o || (width < o && !l.text.ends_with(' ')));
        let padded = in_box && width >= MIN_WRAP_WIDTH && l.text.ends_with("  ");
        let full = padded && !(l.text.strip_suffix("  ")).is_some_and(|t| t.ends_with(' '));
        open = full.then_some(width);
        match out.last_mut() {
            Some(prev) if goes_on => {
                prev.text.truncate(prev.text.trim_end().len());
                prev.text.push_str(l.text.trim());
            }
            _ => out.push(l),
        }
    }
    out
}

/// A backslash before a quote, a bracket or an underscore, as a logged string or Markdown
/// escapes them, and JSON's `\u0027` for a printable ASCII character (PowerShell and .NET
/// serialisers escape quotes and `>` that way).
fn unescape(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('\\') {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c != '\\' {
            out.push(c);
            continue;
        }
        if rest.starts_with(['"', '[', ']', '_']) {
            continue;
        }
        // A logged string's escaped line end (`'getaddrinfo EAI_AGAIN api.lan\n' +`) ends
        // the word before it; inside a Windows path (`C:\node\x`) a letter follows instead.
        let mut after = rest.chars().skip(1);
        let ends = matches!(after.next(), None | Some('\'' | '"' | ' ' | '\\' | ','));
        if ends && rest.starts_with(['n', 'r', 't']) {
            out.push(' ');
            rest = &rest[1..];
            continue;
        }
        let ascii = rest
            .strip_prefix('u')
            .and_then(|r| r.get(..4))
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .filter(|b| (0x20..0x7f).contains(b));
        if let Some(b) = ascii {
            out.push(char::from(b));
            rest = &rest[5..];
            continue;
        }
        out.push(c);
    }
    out.into()
}

/// `&quot;` and its kin, as an issue tracker or a mail quotes a message.
fn decode_entities(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('&') {
        return line.into();
    }
    const ENTITIES: &[(&str, &str)] = &[
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ];
    let mut out = line.to_string();
    for (from, to) in ENTITIES {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out.into()
}

/// A line of a quoted reply (`> text`, `>> text`, `>\ttext`) without its quote marks. A
/// prompt (`> node`, `>>> code`) keeps its place: it is the command that ran.
fn unquote_reply(line: &str) -> &str {
    let mut rest = line;
    while let Some(r) = rest.strip_prefix('>') {
        if r.starts_with(">> ") {
            return line;
        }
        rest = r;
        if !rest.starts_with(['>', ' ', '\t']) {
            return line;
        }
        rest = rest.trim_start_matches([' ', '\t']);
    }
    if rest.len() == line.len() || rest.is_empty() {
        return line;
    }
    // `> await fetch(...)`, `> curl ...`: a REPL or a shell, not a quote.
    if line.starts_with("> ") && !line.starts_with("> >") && looks_like_code(rest) {
        return line;
    }
    rest
}

fn looks_like_code(s: &str) -> bool {
    let first = s.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "await" | "const" | "let" | "var" | "fetch" | "require" | "import"
    ) || first.contains('(')
}

fn assemble(lines: Vec<(String, usize)>) -> Prepared {
    let mut out = Prepared::default();
    for (line, origin) in lines {
        out.line_starts.push(out.text.len());
        out.origin.push(origin);
        out.text.push_str(&line);
        out.text.push('\n');
    }
    out
}

/// Removes terminal escape sequences (colours, cursor moves, titles).
fn strip_ansi(text: &str) -> String {
    if !text.contains('\x1b') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            // CSI: parameters, then one final byte from @ to ~.
            Some('[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC \.
            Some(']') => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\x07' {
                        break;
                    }
                    if c == '\x1b' {
                        chars.next();
                        break;
                    }
                }
            }
            // Character set designations: ESC ( B and the like take one more character.
            Some('(' | ')' | '*' | '+') => {
                chars.next();
                chars.next();
            }
            _ => {
                chars.next();
            }
        }
    }
    out
}

/// A JSON object on one line becomes its fields, one `key: value` per line, with string
/// values unescaped (so a stack trace inside a field becomes lines again).
fn open_json(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if t.len() < 2 || t.len() > MAX_JSON_LINE || !t.starts_with('{') || !t.ends_with('}') {
        return None;
    }
    let mut value: serde_json::Value = serde_json::from_str(t).ok()?;
    // A log record's own machine (pino's and bunyan's `"pid":…,"hostname":"web1"`) is
    // where the program ran, never the place it failed to reach.
    if let Some(map) = value.as_object_mut()
        && map.contains_key("pid")
    {
        map.remove("hostname");
    }
    let mut out = Vec::new();
    flatten("", &value, 0, &mut out);
    Some(out)
}

fn flatten(key: &str, v: &serde_json::Value, depth: usize, out: &mut Vec<String>) {
    use serde_json::Value;
    let prefix = if key.is_empty() {
        String::new()
    } else {
        format!("{key}: ")
    };
    match v {
        Value::Object(map) if depth < MAX_JSON_DEPTH => {
            for (k, v) in map {
                flatten(k, v, depth + 1, out);
            }
        }
        Value::Array(items) if depth < MAX_JSON_DEPTH => {
            for v in items {
                flatten(key, v, depth + 1, out);
            }
        }
        Value::String(s) => {
            let mut lines = s.lines();
            out.push(format!("{prefix}{}", lines.next().unwrap_or("")));
            out.extend(lines.map(str::to_string));
        }
        other => out.push(format!("{prefix}{other}")),
    }
}

/// A terminal that copies what it shows breaks long lines at its width. When two or more
/// lines are exactly as long as the longest one, those lines were most likely cut there,
/// and each is joined to the next unless the next one clearly starts a record of its own:
/// it looks like a log record's start, or begins with the same shape as the record it
/// would continue (repeated log lines of equal length are not a wrapped line).
fn join_hard_wraps(lines: Vec<RawLine>) -> Vec<(String, usize)> {
    let len = |s: &str| s.chars().count();
    let width = (lines.iter().filter(|l| !l.json))
        .map(|l| len(&l.text))
        .max()
        .unwrap_or(0);
    let at_width = (lines.iter().filter(|l| !l.json))
        .filter(|l| len(&l.text) == width)
        .count();
    if width < MIN_WRAP_WIDTH || at_width < 2 {
        return lines.into_iter().map(|l| (l.text, l.origin)).collect();
    }
    let mut out: Vec<(String, usize)> = Vec::with_capacity(lines.len());
    let mut open = false;
    let mut record_shape = String::new();
    for l in lines {
        let full = !l.json && len(&l.text) == width;
        let continues =
            open && !l.json && !starts_record(&l.text) && shape(&l.text) != record_shape;
        match out.last_mut() {
            Some((prev, _)) if continues => prev.push_str(&l.text),
            _ => {
                record_shape = shape(&l.text);
                out.push((l.text, l.origin));
            }
        }
        open = full;
    }
    out
}

/// The first characters of a line with digits and letters generalised: log records of one
/// program share it ("a0000 00:00:00" for klog, "aaa-0     | " for compose).
fn shape(line: &str) -> String {
    line.chars()
        .take(12)
        .map(|c| match c {
            '0'..='9' => '0',
            c if c.is_alphabetic() => 'a',
            c => c,
        })
        .collect()
}

/// Whether a line starts a new log record or traceback part rather than continuing a cut
/// line: a timestamp, a log level, a stack frame, an exception chain marker, a JSON object.
fn starts_record(line: &str) -> bool {
    // A reply's quote marks (`> at com.x.Y`) come before what the line starts with.
    let t = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    if t.len() != line.len() && (t.starts_with("at ") || t.starts_with("File \"")) {
        return true;
    }
    const STARTS: &[&str] = &[
        "Traceback",
        "Caused by",
        "During handling",
        "The above exception",
        "{",
        "ERROR",
        "WARN",
        "INFO",
        "DEBUG",
        "FATAL",
        "Exception in thread",
    ];
    if STARTS.iter().any(|s| t.starts_with(s)) {
        return true;
    }
    // klog: E0501 12:30:01.482113
    let b = t.as_bytes();
    if b.len() > 14
        && matches!(b[0], b'I' | b'W' | b'E' | b'F')
        && b[1..5].iter().all(u8::is_ascii_digit)
        && b[5] == b' '
    {
        return true;
    }
    // 2024-05-01, 2024/05/01, [2024-..., 12:00:01
    let digits: String = t.trim_start_matches('[').chars().take(10).collect();
    let b = digits.as_bytes();
    (b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'-' | b'/')
        && b[5..7].iter().all(u8::is_ascii_digit))
        || (b.len() >= 8
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2] == b':'
            && b[3..5].iter().all(u8::is_ascii_digit)
            && b[5] == b':')
}

/// A stack frame (`   at Npgsql.Connector.Connect(NpgsqlTimeout timeout)`): the names of
/// the code that ran, which say nothing of how the connection failed.
pub(super) fn is_stack_frame(line: &str) -> bool {
    let t = line.trim_start();
    // A paste that lost its indentation still ends a frame in a file's line number
    // (`at TLSSocket.emit (node:events:519:28)`) or a JVM's `(Native Method)`.
    let located = || {
        t.trim_end().strip_suffix(')').is_some_and(|rest| {
            let line_number = rest
                .rsplit_once(':')
                .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            line_number || rest.ends_with("Native Method") || rest.ends_with("Unknown Source")
        })
    };
    t.starts_with("at ") && t.contains('(') && (t.len() != line.len() || located())
}

/// A log record at a routine level (INFO, DEBUG, TRACE) in its first columns.
pub(super) fn is_routine(line: &str) -> bool {
    let head: String = line.chars().take(48).collect();
    // A word cut at the 48th character is not read (`…:5000/debug` of `/debugging`), nor
    // a part of a path or URL (`http://h/debug`).
    let cut = line[head.len()..].starts_with(|c: char| c.is_ascii_alphabetic());
    let words: Vec<(usize, &str)> = head
        .match_indices(|c: char| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || !head[..i].ends_with(|c: char| c.is_ascii_alphabetic()))
        .map(|i| {
            let end = head[i..]
                .find(|c: char| !c.is_ascii_alphabetic())
                .map_or(head.len(), |e| i + e);
            (i, &head[i..end])
        })
        .collect();
    words.iter().any(|&(i, w)| {
        let whole = !(cut && i + w.len() == head.len());
        // Nor a part of a path or a name (`http://h/debug`, `spacedock.info`).
        let in_path = head[..i].ends_with(['/', '.']);
        whole && !in_path && matches!(w, "INFO" | "DEBUG" | "TRACE" | "info" | "debug" | "trace")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_is_a_whole_word_outside_a_path() {
        assert!(is_routine("2024-01-01 10:00:00 DEBUG connecting to db.lan"));
        assert!(is_routine("[info] retrying"));
        assert!(!is_routine(
            "$ lein repl :connect http://localhost:5000/debugging/repl"
        ));
        assert!(!is_routine(
            "GET http://api.lan/debug failed: Connection refused"
        ));
        // A name's last part (`.info`, `.debug`) is no level either.
        assert!(!is_routine("$ curl https://spacedock.info"));
    }

    #[test]
    fn colour_codes_and_crlf_go() {
        let p = prepare("\x1b[31mError\x1b[0m: connect\x1b(B\r\nnext\rlast");
        assert_eq!(p.text, "Error: connect\nnext\nlast\n");
        assert_eq!(p.origin, vec![1, 2, 3]);
    }

    #[test]
    fn json_lines_open_into_fields_and_keep_their_origin() {
        let p = prepare(
            "start\n{\"level\":\"error\",\"err\":{\"code\":\"ECONNREFUSED\",\"port\":5432},\"stack\":\"Error: x\\n    at y\"}\n",
        );
        assert!(p.text.contains("code: ECONNREFUSED\n"), "{}", p.text);
        assert!(p.text.contains("port: 5432\n"));
        assert!(p.text.contains("stack: Error: x\n    at y\n"));
        assert!(p.origin[1..].iter().take(5).all(|&o| o == 2));
    }

    #[test]
    fn hard_wrapped_lines_are_joined_but_records_are_not() {
        let a = "x".repeat(50);
        let text = format!("{a}\nrest of it\n{a}\n2024-05-01 12:00:00 next record\n");
        assert_eq!(prepare(&text).line(0), a);
        let p = prepare_unwrapped(&text).expect("it looks cut");
        assert_eq!(p.line(0), format!("{a}rest of it"));
        assert_eq!(p.line(1), a);
        assert_eq!(p.line(2), "2024-05-01 12:00:00 next record");
    }

    #[test]
    fn quoted_replies_and_html_entities_read_as_the_message() {
        let p = prepare(
            "> could not connect to server: Connection refused\n>\tIs the server running on host &quot;db&quot;?\n> await fetch(url)\n",
        );
        assert_eq!(p.line(0), "could not connect to server: Connection refused");
        assert_eq!(p.line(1), "Is the server running on host \"db\"?");
        assert_eq!(p.line(2), "> await fetch(url)");
    }

    #[test]
    fn escapes_go() {
        let p = prepare(
            "Unable to connect to \\[zabbix-server]:10051 err=\"Get \\\"http://a\\\"\" C:\\app\\x",
        );
        assert_eq!(
            p.line(0),
            "Unable to connect to [zabbix-server]:10051 err=\"Get \"http://a\"\" C:\\app\\x"
        );
    }

    #[test]
    fn only_a_longest_line_cut_inside_a_token_is_joined_alone() {
        let long = "curl: (7) Failed to connect to the internal registry mirror at api.inter";
        let p = prepare_one_cut(&format!("{long}\nnal.lan port 8443: refused\n")).expect("cut");
        assert!(p.text.contains("api.internal.lan port 8443"));
        // A break between words, a short line, or a next line that starts a record: no.
        assert!(prepare_one_cut(&format!("{long} \nnal.lan port 8443")).is_none());
        assert!(prepare_one_cut("short line that ends in a wo\nrd").is_none());
        assert!(
            prepare_one_cut(&format!("{long}\n2024-05-01 12:00:00 ERROR next record")).is_none()
        );
        // pytest's `E` column opens both lines: the next one is a record of its own.
        let e = format!("E       {long}");
        assert!(prepare_one_cut(&format!("{e}\nE       ===== logs =====")).is_none());
        // Nor a next line that opens a field of its own (`Error Code : 0`).
        let host = "Error Message :cURL error 6: Could not resolve host: www.googleapis.com";
        assert!(prepare_one_cut(&format!("{host}\nError Code : 0")).is_none());
        // A prompt with a user, a host and a path ran the command; ping's upper-case
        // header under it is its output.
        let prompt =
            "root@box:~/go/src/github.com/acme/tool# tool run registry.lan/busybox ping 10.8.8.8";
        assert!(
            prepare_one_cut(&format!(
                "{prompt}\nPING 10.8.8.8 (10.8.8.8): 56 data bytes"
            ))
            .is_none()
        );
        assert!(is_prompt(prompt));
    }

    #[test]
    fn words_a_console_cut_in_two_are_joined() {
        let p = prepare(
            "  cURL error 7: Failed to connect to db port 443: Connec\n  tion refused (see x)\n",
        );
        assert_eq!(
            p.line(0),
            "  cURL error 7: Failed to connect to db port 443: Connection refused (see x)"
        );
        // Two whole words on two lines stay two lines.
        let p = prepare("Connection\n  refused by peer\nsee the log\n  at x\n");
        assert_eq!(p.line(0), "Connection");
        assert_eq!(p.line(2), "see the log");
    }

    #[test]
    fn a_boxed_exception_is_read_as_one_line() {
        // Symfony pads each box line to one width and cuts inside words; a paste may trim
        // the last line's padding.
        let row = |t: &str| format!("  {t:<40}  \n");
        let text = format!(
            "In CurlDownloader.php line 373:\n{}{}{}  3: Connection refused\n",
            row(""),
            row("curl error 7 while downloading https://r"),
            row("epo.lan/x.json: Failed to connect to 844"),
        );
        let p = prepare(&text);
        assert_eq!(
            p.line(2),
            "  curl error 7 while downloading https://repo.lan/x.json: Failed to connect to 8443: Connection refused"
        );
        assert_eq!(p.origin[2], 3);
        // A line with room left at its end was not cut: the next box line is its own.
        let text = format!("{}{}", row("Failed to connect."), row("Retrying now."));
        assert_eq!(prepare(&text).line(1).trim(), "Retrying now.");
    }

    #[test]
    fn line_lookup() {
        let p = prepare("ab\ncd\n");
        assert_eq!(p.line_at(0), 0);
        assert_eq!(p.line_at(3), 1);
        assert_eq!(p.line(1), "cd");
    }
}
