//! Text that would act on a terminal never reaches one: a user's knowledge file carrying
//! escape sequences (an OSC 52 clipboard write, a clear screen, C1 CSI) and bidi overrides,
//! and the same in a paste, are reported by `kb check` with file:line and shown visibly (as
//! `\u{1b}`) in the text, the JSON and the reports.

mod support;

use support::cli::*;

/// Characters that act: ESC, BEL, C1 CSI, right-to-left override.
const ACTING: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'];

fn assert_inert(what: &str, text: &str) {
    for c in ACTING {
        assert!(
            !text.contains(c),
            "{what} shows U+{:04X} raw:\n{text}",
            c as u32
        );
    }
}

/// A user knowledge directory whose nothing-listening cause is hostile.
fn hostile_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("connfix/knowledge/causes");
    std::fs::create_dir_all(&dir).unwrap();
    let bundled = run(&["kb", "show", "nothing-listening", "--json"]);
    let cause: serde_json::Value = serde_json::from_slice(&bundled.stdout).unwrap();
    assert_eq!(cause["id"], "nothing-listening");
    let evil = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}31m\u{202e}";
    let text = format!(
        "+++\nid = \"nothing-listening\"\ntitle = \"Nothing listens {evil}\"\nseverity = \"error\"\nsummary = \"S {evil}\"\nwhen = [\"tcp.refused\", \"listener.none\", \"tcp.all_failed\"]\nconfidence = \"certain\"\naction = [\"Start it on {{{{target.port}}}} {evil}\"]\n\n[[command]]\npurpose = \"p {evil}\"\ncommand = \"ss -ltn 'sport = :{{{{target.port}}}}' {evil}\"\n+++\n## What is happening\nW {evil}\n## How to confirm it by hand\nC\n## How to fix it\n1. Fix {evil}\n## Code\n## Don't\nD\n"
    );
    std::fs::write(dir.join("nothing-listening.md"), text).unwrap();
    home
}

#[test]
fn a_hostile_knowledge_file_is_reported_and_never_acts() {
    let home = hostile_home();
    let with_home = |args: &[&str]| {
        connfix()
            .env("XDG_CONFIG_HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(args)
            .output()
            .unwrap()
    };
    // kb check names the file and line of each acting character.
    let out = with_home(&["kb", "check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("nothing-listening.md:3: column"), "{text}");
    assert!(text.contains("U+001B"), "{text}");
    assert_inert("kb check", &text);
    // The diagnosis that uses it, in every channel.
    let port = closed_port().to_string();
    let target = format!("127.0.0.1:{port}");
    let out = with_home(&["check", &target]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("U+001B]52;c;"), "shown visibly: {shown}");
    assert_inert("check", &shown);
    let out = with_home(&["check", &target, "--json", "--save"]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert_inert("check --json", &json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"]["id"], "nothing-listening");
    for format in ["md", "html"] {
        let list = with_home(&["report", "list", "--json"]);
        let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
        let id = list[0]["id"].as_str().unwrap().to_string();
        let out = with_home(&["report", "export", &id, "--format", format]);
        assert_inert(format, &String::from_utf8_lossy(&out.stdout));
    }
    let out = with_home(&["kb", "show", "nothing-listening"]);
    assert_inert("kb show", &String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_paste_with_bidi_and_escapes_is_quoted_visibly() {
    use std::io::Write;
    let mut child = connfix()
        .args(["explain", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused \u{202e}exe.gnp \u{1b}[2J\u{9b}1m\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\\u{202e}"), "{text}");
    assert_inert("explain", &text);
    let out = connfix().args(["explain", "-", "--json"]).stdin(std::process::Stdio::piped()).spawn().and_then(|mut c| {
        c.stdin.take().unwrap().write_all("curl: (7) Failed to connect to 127.0.0.1 port 9: Connection refused \u{202e}\u{9b}\n".as_bytes()).unwrap();
        c.wait_with_output()
    }).unwrap();
    assert_inert("explain --json", &String::from_utf8_lossy(&out.stdout));
}
