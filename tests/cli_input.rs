//! Bad input gets one clear line on stderr and exit code 2, never a panic or a hang; the
//! knowledge commands validate and point at file:line.

mod support;

use std::os::unix::ffi::OsStrExt;
use support::cli::*;

#[track_caller]
fn assert_usage_error(args: &[&std::ffi::OsStr], needle: &str) {
    let out = connfix().args(args).output().expect("run connfix");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: stderr {err}");
    assert!(
        err.contains(needle),
        "args {args:?}: expected {needle:?} in {err:?}"
    );
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout for bad input");
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn bad_targets() {
    let long = "a".repeat(10_000);
    for (target, needle) in [
        ("db:0", "port 0"),
        ("db:70000", "out of range"),
        (":5432", "no host"),
        ("foo://db", "unknown scheme 'foo'"),
        ("http://exa mple.com/x", "contains a space"),
        ("db", "no port"),
        ("", "empty"),
        (long.as_str(), "10000 bytes"),
        (
            "$CONNFIX_TEST_SURELY_UNSET",
            "CONNFIX_TEST_SURELY_UNSET is not set",
        ),
    ] {
        assert_usage_error(&[os("check"), os(target)], needle);
    }
}

#[test]
fn non_utf8_target() {
    let bytes = std::ffi::OsStr::from_bytes(b"db\xff\xfe:5432");
    assert_usage_error(&[os("check"), bytes], "not valid UTF-8");
}

#[test]
fn bad_flags() {
    assert_usage_error(
        &[os("check"), os("db:1"), os("--timeout"), os("soon")],
        "--timeout soon",
    );
    assert_usage_error(
        &[os("check"), os("db:1"), os("--timeout"), os("0ms")],
        "out of range",
    );
    assert_usage_error(
        &[
            os("check"),
            os("db:1"),
            os("--dns-server"),
            os("dns.example"),
        ],
        "--dns-server",
    );
    assert_usage_error(
        &[os("check"), os("db"), os("--port"), os("99999")],
        "--port 99999",
    );
    assert_usage_error(
        &[os("check"), os("db:1"), os("--answer"), os("mood=yes")],
        "unknown question 'mood'",
    );
    assert_usage_error(
        &[
            os("check"),
            os("db:1"),
            os("--answer"),
            os("intermittent=maybe"),
        ],
        "yes or no",
    );
}

#[test]
fn passwords_never_reach_the_output() {
    let port = closed_port();
    let secret = "hunter2-very-secret";
    for args in [
        vec![
            "check".to_string(),
            format!("postgres://app:{secret}@127.0.0.1:{port}/db"),
        ],
        vec![
            "check".to_string(),
            format!("postgres://app:{secret}@127.0.0.1:{port}/db"),
            "--json".into(),
        ],
        vec![
            "check".to_string(),
            format!("postgres://app:{secret}@127.0.0.1 :{port}/db"),
        ],
    ] {
        let out = connfix().args(&args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(secret), "secret leaked for {args:?}");
    }
    let mut c = connfix();
    c.env(
        "CONNFIX_TEST_DB_URL",
        format!("postgres://app:{secret}@127.0.0.1:{port}/db"),
    );
    c.args(["check", "env:CONNFIX_TEST_DB_URL", "--json"]);
    let (_, v) = json_of(c);
    assert_eq!(v["target"]["input"], "env:CONNFIX_TEST_DB_URL");
    assert_eq!(
        v["target"]["redacted"],
        format!("postgres://app:***@127.0.0.1:{port}/db")
    );
    assert!(!v.to_string().contains(secret));
}

#[test]
fn no_target_says_what_to_do() {
    let out = connfix().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("connfix demo"));
}

#[test]
fn kb_check_accepts_the_bundled_knowledge() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/knowledge");
    let out = run(&["kb", "check", dir]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn kb_check_points_at_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("causes")).unwrap();
    let file = dir.path().join("causes/my-cause.md");
    std::fs::write(
        &file,
        "+++\nid = \"my-cause\"\ntitle = \"Mine\"\nseverity = \"error\"\nsummary = \"s\"\nwhen = [\"tcp.refused\", \"tcp.refussed\"]\nconfidence = \"likely\"\n+++\n## What is happening\nx\n## How to confirm it by hand\nx\n## How to fix it\n1. x\n## Code\n```cobol\nx\n```\n## Don't\nx\n",
    )
    .unwrap();
    let out = run(&["kb", "check", dir.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "{}:6: unknown fact 'tcp.refussed'",
            file.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:16: code block language 'cobol'",
            file.display()
        )),
        "{text}"
    );
}

#[test]
fn user_knowledge_overrides_bundled_by_id() {
    let cfg = tempfile::tempdir().unwrap();
    let causes = cfg.path().join("connfix/knowledge/causes");
    std::fs::create_dir_all(&causes).unwrap();
    let bundled = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/knowledge/causes/nothing-listening.md"
    ))
    .unwrap();
    let title_line = bundled.lines().find(|l| l.starts_with("title")).unwrap();
    std::fs::write(
        causes.join("nothing-listening.md"),
        bundled.replace(title_line, "title = \"Our runbook: the service is down\""),
    )
    .unwrap();
    let port = closed_port();
    let mut c = connfix();
    c.env("XDG_CONFIG_HOME", cfg.path());
    c.args(["check", &format!("127.0.0.1:{port}"), "--json"]);
    let (_, v) = json_of(c);
    assert_eq!(v["verdict"]["title"], "Our runbook: the service is down");
}

#[test]
fn kb_list_and_show() {
    let out = run(&["kb", "list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "nothing-listening",
        "firewall-drop",
        "unix-socket-stale",
        "startup-race",
    ] {
        assert!(text.contains(id), "{id} missing from kb list");
    }
    let out = run(&["kb", "show", "wrong-port"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("## How to fix it") && text.contains("[python]"),
        "{text}"
    );
    let out = run(&["kb", "show", "no-such-cause"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_diagnoses_its_staged_fault() {
    let mut c = connfix();
    c.args(["demo", "--json"]);
    let (code, v) = json_of(c);
    assert_verdict(&v, "wrong-port", "likely");
    assert_eq!(code, 0, "a demo that found its staged fault succeeded");
}

/// `connfix ... | head -1`: when the reader goes away, connfix stops quietly (exit 141, as
/// SIGPIPE would) instead of panicking.
#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = connfix()
        .args(["kb", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run connfix");
    drop(child.stdout.take());
    let status = child.wait().expect("wait");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(status.code(), Some(0 | 141)), "{status:?} {err}");
}
