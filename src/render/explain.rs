//! The readable text of `connfix explain`: the last error in the paste in full (kind,
//! program, target, what it means, the likely causes with their first fix, and the check
//! to run next), then a line for each earlier error.

use super::doctor::{Style, strip_markdown};
use crate::explain::{Explanation, Finding};
use crate::knowledge::Knowledge;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Causes shown in full for the main finding.
const TOP_CAUSES: usize = 3;
/// Long sentences are wrapped to at most this many columns after their label, fewer on a
/// narrower terminal (but never under `MIN_WIDTH`, where words would stand alone).
const WIDTH: usize = 88;
const MIN_WIDTH: usize = 30;
/// Columns before a summary line (`  means    `) and before a fix's text (`       fix: `).
const LABEL_COLUMNS: usize = 11;
const FIX_COLUMNS: usize = 12;
/// Earlier errors listed, at most.
const MAX_OTHERS: usize = 10;

/// `columns` is the terminal's width; text that is not shown on one is given `WIDTH`.
pub fn render(ex: &Explanation, kb: &Knowledge, style: Style, columns: usize) -> String {
    let s = style;
    let mut out = String::new();
    let Some(main) = ex.main() else {
        let _ = writeln!(
            out,
            "{} no connection error recognised in {} line{} of text.",
            s.bold("connfix explain:"),
            ex.stats.lines,
            if ex.stats.lines == 1 { "" } else { "s" }
        );
        let _ = writeln!(
            out,
            "  It knows {} error signatures from {} ecosystems. If this is a connection failure, run\n  `connfix check TARGET` on what it tried to reach, or teach connfix the message: add a\n  signature under {} (see README, \"Error signatures\").",
            kb.errors.signatures.len(),
            kb.errors.ecosystems.len(),
            crate::knowledge::user_dir()
                .map(|d| d.join("errors").display().to_string())
                .unwrap_or_else(|| "<config>/connfix/knowledge/errors".into())
        );
        return out;
    };
    finding(&mut out, main, kb, s, columns);
    let others = &ex.findings[1..];
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            s.bold(&format!(
                "Earlier in the paste ({} more error{}, last first)",
                others.len() + ex.stats.left_out,
                if others.len() + ex.stats.left_out == 1 {
                    ""
                } else {
                    "s"
                }
            ))
        );
        for f in others.iter().take(MAX_OTHERS) {
            let _ = writeln!(
                out,
                "  {} {}  {}",
                s.dim(&format!("line {:>4}", f.lines[1])),
                f.headline(kb),
                f.check.as_deref().map(|c| s.dim(c)).unwrap_or_default()
            );
        }
        if others.len() > MAX_OTHERS {
            let _ = writeln!(
                out,
                "  {}",
                s.dim(&format!(
                    "… and {} more (--json lists them all)",
                    others.len() - MAX_OTHERS
                ))
            );
        }
    }
    if ex.stats.capped {
        let _ =
            writeln!(
            out,
            "\n{}",
            s.dim("(the paste matched very often; only the last matches of each pattern were read)")
        );
    }
    out
}

/// A field's name padded to the values' column. Padded before it is painted: a colour
/// code counts toward `{:<9}`'s width but takes no room on the screen.
fn label(s: Style, name: &str) -> String {
    s.dim(&format!("{name:<9}"))
}

fn finding(out: &mut String, f: &Finding, kb: &Knowledge, s: Style, columns: usize) {
    let width = |used: usize| columns.saturating_sub(used).clamp(MIN_WIDTH, WIDTH);
    let mut head = vec![f.title.clone()];
    if let Some(e) = f.ecosystem.as_deref() {
        head.push(kb.errors.ecosystem_title(e).unwrap_or(e).to_string());
    }
    if let Some(e) = &f.errno {
        let mut errno = e.clone();
        if let (Some(code), Some(p)) = (f.errno_code, f.platform) {
            let _ = write!(errno, " ({code} on {})", p.name());
        }
        head.push(errno);
    }
    let _ = writeln!(out, "{} {}", s.red("✗"), s.bold(&head.join(" · ")));
    let target = if f.target.is_empty() && f.target.port.is_none() {
        s.dim(&f.target.shown())
    } else {
        let mut t = f.target.shown();
        if f.via_proxy {
            t.push_str(" (through a proxy)");
        }
        t
    };
    let _ = writeln!(out, "  {}{target}", label(s, "target"));
    for (i, line) in crate::tui::view::text::wrap(&f.summary, width(LABEL_COLUMNS))
        .iter()
        .enumerate()
    {
        let label = if i == 0 { "means" } else { "" };
        let _ = writeln!(out, "  {}{line}", self::label(s, label));
    }
    for (i, e) in f.evidence.iter().enumerate() {
        // The excerpt wraps after its line number, so a long quote stays inside the terminal.
        let at = format!("line {}:", e.line);
        let text = crate::sanitize::visible(&e.text);
        let lines = crate::tui::view::text::wrap(&text, width(LABEL_COLUMNS + at.len() + 1));
        for (j, line) in lines.iter().enumerate() {
            let label = if i == 0 && j == 0 { "seen" } else { "" };
            let at = if j == 0 {
                s.dim(&at)
            } else {
                " ".repeat(at.len())
            };
            let _ = writeln!(out, "  {}{at} {line}", self::label(s, label));
        }
    }
    let causes: Vec<_> = f.knowledge.iter().filter_map(|id| kb.cause(id)).collect();
    if !causes.is_empty() {
        // What the error says, who said it and what it means pick, among a cause's
        // fixes, the one for its server.
        let clues: String = (f.evidence.iter().map(|e| e.text.as_str()))
            .chain(f.ecosystem.as_deref())
            .chain([f.summary.as_str()])
            .collect::<Vec<_>>()
            .join("\n");
        let _ = writeln!(out, "\n  {}", s.bold("Likely causes, most likely first"));
        for (i, c) in causes.iter().take(TOP_CAUSES).enumerate() {
            // The id goes under a title that would otherwise run past the terminal's edge.
            let head = format!("    {}. {}", i + 1, c.title);
            if head.width() + 2 + c.id.width() <= columns.max(MIN_WIDTH) {
                let _ = writeln!(out, "{head}  {}", s.dim(&c.id));
            } else {
                let _ = writeln!(out, "{head}\n       {}", s.dim(&c.id));
            }
            if let Some(fix) = c.fix_for(&clues) {
                // Only the pasted text is known here: its host and port fill the fix, the
                // rest shows as unknown until a check observes it.
                let fix = crate::vocabulary::template::render(fix, &guess_values(f));
                let fix = strip_markdown(fix.lines().next().unwrap_or(""));
                for (i, line) in crate::tui::view::text::wrap(&fix, width(FIX_COLUMNS))
                    .iter()
                    .enumerate()
                {
                    let label = if i == 0 {
                        s.green("fix:")
                    } else {
                        "    ".into()
                    };
                    let _ = writeln!(out, "       {label} {line}");
                }
            }
        }
        if causes.len() > TOP_CAUSES {
            let rest: Vec<&str> = causes[TOP_CAUSES..].iter().map(|c| c.id.as_str()).collect();
            let _ = writeln!(out, "    {} {}", s.dim("also:"), rest.join(", "));
        }
        let _ = writeln!(
            out,
            "    {}",
            s.dim(&format!(
                "(connfix kb show {} for how to confirm and fix it)",
                causes[0].id
            ))
        );
    }
    let (cmd, note) = match &f.check {
        Some(cmd) => (cmd.clone(), "(or add --check to run it now)"),
        None if f.target.host.is_some() => (
            format!("connfix check {}:PORT", f.target.display()),
            "(the text names no port; give the one your program used)",
        ),
        None => (
            "connfix check TARGET".to_string(),
            "(the text does not say what it tried to reach)",
        ),
    };
    // The note goes under the command when both do not fit on the terminal's line.
    let one_line = format!("  Next: {cmd}   {note}");
    if one_line.width() <= columns.max(MIN_WIDTH) {
        let _ = writeln!(out, "\n  {} {cmd}   {}", s.bold("Next:"), s.dim(note));
    } else {
        let _ = writeln!(
            out,
            "\n  {} {cmd}\n        {}",
            s.bold("Next:"),
            s.dim(note)
        );
    }
}

/// The values a pasted error names: its target's host, port, scheme and socket path, and
/// what a server that refused the client said of it (its address, user and database).
fn guess_values(f: &crate::explain::Finding) -> crate::vocabulary::template::Values {
    let t = &f.target;
    let mut v = crate::vocabulary::template::Values::new();
    let mut put = |k: &str, val: Option<String>| {
        if let Some(val) = val.filter(|x| !x.is_empty()) {
            v.insert(k.to_string(), val);
        }
    };
    put("target.host", t.host.clone());
    // The host is the name the program looked up, or the address it was given as.
    match t.ip() {
        Some(ip) => put("target.ip", Some(ip.to_string())),
        None => put("dns.name", t.host.clone()),
    }
    put("target.port", t.port.map(|p| p.to_string()));
    put("target.scheme", t.scheme.clone());
    put("target.path", t.unix_path.clone());
    put("unix.path", t.unix_path.clone());
    for (key, value) in &f.fills {
        put(key, Some(value.clone()));
    }
    if let (Some(h), Some(p)) = (&t.host, t.port) {
        let address = if h.contains(':') {
            format!("[{h}]:{p}")
        } else {
            format!("{h}:{p}")
        };
        put("target.address", Some(address));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Colour changes only the colour: with the codes taken out, the coloured text is the
    /// plain text, labels padded to the same column.
    #[test]
    fn colour_keeps_the_columns() {
        let kb = Knowledge::bundled();
        let ex = crate::explain::explain(
            "curl: (7) Failed to connect to [::1]:8443 after 0 ms: Couldn't connect to server\n",
            &kb,
        );
        let plain = render(&ex, &kb, Style { color: false }, 100);
        let coloured = render(&ex, &kb, Style { color: true }, 100);
        let uncoloured = regex::Regex::new("\x1b\\[[0-9;]*m")
            .unwrap()
            .replace_all(&coloured, "")
            .into_owned();
        assert_ne!(coloured, plain);
        assert_eq!(uncoloured, plain);
        assert!(plain.contains("  target   [::1]:8443\n"), "{plain}");
    }

    /// A cause that covers several servers shows the fix for the server that refused.
    #[test]
    fn a_refusal_gets_its_own_servers_fix() {
        let kb = Knowledge::bundled();
        let fix = |text: &str| {
            let ex = crate::explain::explain(text, &kb);
            let out = render(&ex, &kb, Style { color: false }, 200);
            out.lines()
                .find(|l| l.trim_start().starts_with("fix:"))
                .unwrap_or_default()
                .to_string()
        };
        let mysql = fix("Host '192.168.1.111' is not allowed to connect to this MySQL server");
        assert!(mysql.contains("MySQL or MariaDB"), "{mysql}");
        assert!(!mysql.contains("pg_hba"), "{mysql}");
        // The client's address the server named fills the fix (not `<the client's address>`).
        let whole = |text: &str| {
            let ex = crate::explain::explain(text, &kb);
            render(&ex, &kb, Style { color: false }, 400)
        };
        let out = whole("Host '192.168.1.111' is not allowed to connect to this MySQL server");
        assert!(out.contains("'USER'@'192.168.1.111'"), "{out}");
        assert!(!out.contains("<the client's address>"), "{out}");
        let redis = fix(
            "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.",
        );
        assert!(redis.contains("Redis, protected mode"), "{redis}");
        let pg = fix(
            "psql: error: connection to server at \"10.0.0.5\", port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption",
        );
        assert!(pg.contains("pg_hba.conf"), "{pg}");
        let pg = whole(
            "FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption",
        );
        assert!(pg.contains("host app app 10.0.0.9/MASK"), "{pg}");
        // The server answered, so the verdict does not say the program could not reach it.
        let pg = whole(
            "psql: error: connection to server at \"10.0.0.5\", port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption",
        );
        assert!(pg.contains("was turned away by 10.0.0.5:5432"), "{pg}");
        assert!(!pg.contains("could not connect"), "{pg}");
        // A refusal no label names gets the general step, not PostgreSQL's.
        let mqtt = fix("Connection error: Connection Refused: not authorised.");
        assert!(mqtt.contains("Leave the server alone"), "{mqtt}");
        let full = fix("ERROR 1040 (HY000): Too many connections");
        assert!(full.contains("Too many connections:"), "{full}");
    }

    /// On an 80-column terminal the meaning and the fixes wrap inside it, under their labels.
    #[test]
    fn sentences_wrap_to_a_narrow_terminal() {
        let kb = Knowledge::bundled();
        let ex = crate::explain::explain("getaddrinfo ENOTFOUND db.lan", &kb);
        let out = render(&ex, &kb, Style { color: false }, 80);
        let wrapped: Vec<&str> = out
            .lines()
            .filter(|l| {
                l.starts_with("  means")
                    || l.starts_with("       fix:")
                    || l.starts_with("            ")
            })
            .collect();
        assert!(wrapped.len() > 3, "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
        assert!(
            out.contains("fix: Compare db.lan character by character"),
            "{out}"
        );
        // A long cause title puts its id on the next line.
        let reset = crate::explain::explain("Unable to connect to the server: EOF", &kb);
        let out = render(&reset, &kb, Style { color: false }, 80);
        assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
        assert!(out.contains("\n       connection-reset\n"), "{out}");
        // A page for a file or a pipe keeps the wide layout.
        let wide = render(&ex, &kb, Style { color: false }, 100);
        assert!(wide.lines().any(|l| l.chars().count() > 80), "{wide}");
    }

    #[test]
    fn a_port_without_its_host_is_shown() {
        let kb = Knowledge::bundled();
        let shown = |text: &str| {
            render(
                &crate::explain::explain(text, &kb),
                &kb,
                Style { color: false },
                100,
            )
        };
        let out = shown("cannot connect to [[XXX.XXX.X.XX]:10050]: [111] Connection refused.");
        assert!(
            out.contains("  target   port 10050 (the host is not named)\n"),
            "{out}"
        );
        let out = shown("read: Connection reset by peer");
        assert!(out.contains("  target   not named in the text\n"), "{out}");
    }
}
