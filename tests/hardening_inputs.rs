//! Hostile and odd inputs, through the real binary:
//! - secrets in odd places never reach `check --json` or the session file: a path-like
//!   target holding a URL, userinfo in a unix path, tokens in URL fragments, passwords of
//!   URLs nested in a path, query or fragment, and the password flags of a listening
//!   process's command line (`redis-server -a`, `mysql -p…`), while `-p` of other programs
//!   stays (it is a port);
//! - a paste whose error is followed by one 5 MiB line is still explained;
//! - knowledge files: a 16k-step checklist and 4k signatures load and validate (the timing
//!   is measured by bench/knowledge.sh, not asserted here), and a file over the size limit,
//!   or one that is not a regular file, is refused by name without stopping the rest.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::cli::*;

const SECRET: &str = "hunter2";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `connfix check TARGET --json --save` with its own data directory; returns the JSON, the
/// whole output (stdout and stderr) and the text of the session file it saved.
fn check_and_save(target: &str, env: &[(&str, &str)]) -> (Value, String, String) {
    let data = tempfile::tempdir().unwrap();
    let mut c = connfix();
    c.env("XDG_DATA_HOME", data.path()).args([
        "check",
        target,
        "--json",
        "--save",
        "--timeout",
        "2s",
    ]);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}) for {target}: {all}"));
    let dir = data.path().join("connfix/sessions");
    let sessions: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no sessions in {} ({e}): {all}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(sessions.len(), 1, "{sessions:?}: {all}");
    let session = std::fs::read_to_string(&sessions[0]).unwrap();
    (v, all, session)
}

/// The target is checked and saved, shown as `shown`, and the secret is nowhere: not in
/// the JSON, not on stderr, not in the session file.
#[track_caller]
fn assert_target_hidden(target: &str, shown: &str) {
    assert!(target.contains(SECRET));
    let (v, all, session) = check_and_save(target, &[]);
    assert_eq!(v["target"]["redacted"], shown, "{target}");
    assert!(
        !all.contains(SECRET),
        "{target}: the output shows it:\n{all}"
    );
    let saved: Value = serde_json::from_str(&session).unwrap();
    assert_eq!(saved["target"]["redacted"], shown, "{target}");
    assert!(
        !session.contains(SECRET),
        "{target}: the session file keeps it:\n{session}"
    );
}

#[test]
fn a_path_like_target_holding_a_url_keeps_no_password() {
    assert_target_hidden(
        "/postgres://app:hunter2@db.internal:5432/app",
        "unix:/postgres://app:***@db.internal:5432/app",
    );
}

#[test]
fn a_unix_target_with_userinfo_in_a_segment_keeps_no_password() {
    assert_target_hidden(
        "unix:/tmp/connfix-none/app:hunter2@db/s.sock",
        "unix:/tmp/connfix-none/app:***@db/s.sock",
    );
}

#[test]
fn a_token_in_a_url_fragment_is_hidden() {
    let port = closed_port();
    assert_target_hidden(
        &format!("http://127.0.0.1:{port}/cb#access_token=hunter2&expires_in=3600"),
        &format!("http://127.0.0.1:{port}/cb#access_token=***&expires_in=3600"),
    );
}

#[test]
fn a_token_in_a_fragment_route_is_hidden() {
    let port = closed_port();
    assert_target_hidden(
        &format!("http://127.0.0.1:{port}/#/login?token=hunter2&next=home"),
        &format!("http://127.0.0.1:{port}/#/login?token=***&next=home"),
    );
}

#[test]
fn a_url_password_nested_in_the_query_is_hidden() {
    let port = closed_port();
    assert_target_hidden(
        &format!("http://127.0.0.1:{port}/go?next=https://ops:hunter2@db.internal/x"),
        &format!("http://127.0.0.1:{port}/go?next=https://ops:***@db.internal/x"),
    );
}

#[test]
fn a_url_password_nested_in_the_path_is_hidden() {
    let port = closed_port();
    assert_target_hidden(
        &format!("http://127.0.0.1:{port}/proxy/https://ops:hunter2@db.internal/x"),
        &format!("http://127.0.0.1:{port}/proxy/https://ops:***@db.internal/x"),
    );
}

#[test]
fn a_url_password_nested_in_the_fragment_is_hidden() {
    let port = closed_port();
    assert_target_hidden(
        &format!("http://127.0.0.1:{port}/x#https://ops:hunter2@db.internal/x"),
        &format!("http://127.0.0.1:{port}/x#https://ops:***@db.internal/x"),
    );
}

#[test]
fn a_path_like_target_from_the_environment_keeps_no_password() {
    let (v, all, session) = check_and_save(
        "env:CONNFIX_TEST_TARGET",
        &[("CONNFIX_TEST_TARGET", "/redis://:hunter2@cache:6379")],
    );
    assert_eq!(v["target"]["input"], "env:CONNFIX_TEST_TARGET");
    assert_eq!(v["target"]["redacted"], "unix:/redis://:***@cache:6379");
    assert!(!all.contains(SECRET), "{all}");
    assert!(!session.contains(SECRET), "{session}");
}

/// A python3 listener on a loopback port run as `python3 DIR/NAME ARGS...`, so that its
/// command line names the program NAME; stopped on drop.
struct NamedListener {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl NamedListener {
    fn start(name: &str, args: &[&str]) -> NamedListener {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join(name);
        std::fs::write(
            &script,
            "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(16)\nprint(s.getsockname()[1], flush=True)\ntime.sleep(120)\n",
        )
        .unwrap();
        let mut child = Command::new("python3")
            .arg(&script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the listener printed no port: {line:?}")
        });
        NamedListener {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for NamedListener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn have_python() -> bool {
    support::require(
        support::have("python3"),
        "listener command line test",
        "needs python3 (Debian package python3)",
    )
}

/// The command line of the listener as `check --json` and the session file show it.
fn listener_cmdline(name: &str, args: &[&str]) -> (String, String, String) {
    let l = NamedListener::start(name, args);
    let (v, all, session) = check_and_save(&format!("127.0.0.1:{}", l.port), &[]);
    let shown = v.to_string();
    let at = shown
        .find(&format!("/{name} "))
        .unwrap_or_else(|| panic!("no command line of {name} in the report: {all}"));
    let cmdline = shown[at..].split('"').next().unwrap_or("").to_string();
    (cmdline, all, session)
}

#[test]
fn the_password_flag_of_a_redis_listener_is_hidden() {
    if !have_python() {
        return;
    }
    let (cmdline, all, session) = listener_cmdline(
        "redis-server",
        &["--port", "6380", "-a", SECRET, "--requirepass", SECRET],
    );
    assert_eq!(
        cmdline,
        "/redis-server --port 6380 -a *** --requirepass ***"
    );
    assert!(!all.contains(SECRET), "{all}");
    assert!(
        session.contains("/redis-server --port 6380 -a ***"),
        "{session}"
    );
    assert!(!session.contains(SECRET), "{session}");
}

#[test]
fn the_glued_password_of_a_mysql_process_is_hidden() {
    if !have_python() {
        return;
    }
    let (cmdline, all, session) =
        listener_cmdline("mysql", &["-uroot", "-phunter2", "-h", "db", "-P", "3306"]);
    assert_eq!(cmdline, "/mysql -uroot -p*** -h db -P 3306");
    assert!(!all.contains(SECRET), "{all}");
    assert!(!session.contains(SECRET), "{session}");
}

#[test]
fn p_stays_a_port_for_other_programs() {
    if !have_python() {
        return;
    }
    let (cmdline, _, session) = listener_cmdline("sshd-like", &["-p", "2222", "-a", "x"]);
    assert_eq!(cmdline, "/sshd-like -p 2222 -a x");
    assert!(session.contains("/sshd-like -p 2222 -a x"), "{session}");
}

#[test]
fn an_error_followed_by_a_5_mib_line_is_still_explained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paste.log");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "2024-05-01 12:00:01 app starting").unwrap();
    writeln!(f, "Error: connect ECONNREFUSED 127.0.0.1:5432").unwrap();
    // One line of 5 MiB: printable noise, no line break until the end.
    let alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/= ";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..5 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state % alphabet.len() as u64) as usize]
        })
        .collect();
    f.write_all(&noise).unwrap();
    f.write_all(b"\n").unwrap();
    drop(f);
    let total = std::fs::metadata(&path).unwrap().len();

    let out = run(&["explain", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "refused");
    assert_eq!(v["target"]["host"], "127.0.0.1");
    assert_eq!(v["target"]["port"], 5432);
    assert_eq!(v["input"]["bytes"], total);
    let skipped = v["input"]["skipped_bytes"].as_u64().unwrap();
    assert!(skipped > 0 && skipped < 5 << 20, "{skipped}");
    assert_eq!(v["evidence"][0]["line"], 2, "{}", v["evidence"]);

    // The same from standard input, as text: the diagnosis and a word on what was left out.
    let mut child = connfix()
        .args(["explain", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(shown.contains("127.0.0.1:5432"), "{shown}");
    assert!(
        text(&out.stderr).contains("were not read"),
        "{}",
        text(&out.stderr)
    );
}

/// A checklist of `steps` steps with automatic checks and placeholders.
fn checklist(id: &str, steps: usize) -> String {
    let mut t =
        format!("id = \"{id}\"\ntitle = \"Generated\"\nabout = \"A generated checklist.\"\n");
    for i in 0..steps {
        t.push_str(&format!(
            "\n[[step]]\nid = \"step-{i}\"\ntitle = \"Step {i}\"\ndo = \"Look at thing {i} on {{{{target.host}}}}\"\ngood = \"Thing {i} is fine\"\npass_if = [\"tcp.connected\"]\nfail_if = [\"tcp.refused\"]\n"
        ));
    }
    t
}

/// A knowledge directory holding `files` (relative path, text).
fn knowledge_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, body) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    dir
}

fn kb_check(dir: &Path) -> (i32, String) {
    let out = run(&["kb", "check", dir.to_str().unwrap()]);
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

#[test]
fn a_checklist_of_16k_steps_loads_and_validates() {
    let big = checklist("sixteen-k", 16_000);
    let dir = knowledge_dir(&[("checklists/sixteen-k.toml", &big)]);
    let (code, out) = kb_check(dir.path());
    assert_eq!((code, out.trim_end().ends_with(": ok")), (0, true), "{out}");

    // Loaded as the user's: listed with all its steps.
    let home = knowledge_dir(&[("connfix/knowledge/checklists/sixteen-k.toml", &big)]);
    let out = connfix()
        .env("XDG_CONFIG_HOME", home.path())
        .args(["checklist", "--list", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lists: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine = lists
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "sixteen-k")
        .expect("listed");
    assert_eq!(
        (mine["steps"].as_u64(), mine["automatic"].as_u64()),
        (Some(16_000), Some(16_000))
    );

    // Errors at the far end still point at their own lines: a duplicate id at the one
    // that repeats it, an unknown fact where it is written.
    let broken = format!(
        "{big}\n[[step]]\nid = \"step-7\"\ntitle = \"Again\"\ndo = \"d\"\ngood = \"g\"\npass_if = [\"tcp.conected\"]\n"
    );
    let lines = broken.lines().count();
    let dir = knowledge_dir(&[("checklists/sixteen-k.toml", &broken)]);
    let (code, out) = kb_check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "sixteen-k.toml:{}: step id 'step-7' is used twice",
            lines - 4
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "sixteen-k.toml:{lines}: step 'step-7': unknown fact 'tcp.conected'"
        )),
        "{out}"
    );
    assert!(out.contains("2 error(s)"), "{out}");
}

#[test]
fn four_thousand_signatures_load_validate_and_are_used() {
    let mut file = String::from("ecosystem = \"bench\"\ntitle = \"the bench client\"\n");
    for i in 0..4000 {
        file.push_str(&format!(
            "\n[[signature]]\nid = \"bench-{i}\"\nkind = \"refused\"\npattern = '''BENCH-E{i}: cannot reach (?P<addr>\\S+)'''\nrank = 2\nknowledge = [\"nothing-listening\"]\nexamples = [\"BENCH-E{i}: cannot reach db:5432\"]\n"
        ));
    }
    let dir = knowledge_dir(&[("errors/bench.toml", &file)]);
    let (code, out) = kb_check(dir.path());
    assert_eq!(code, 0, "{out}");

    let home = knowledge_dir(&[("connfix/knowledge/errors/bench.toml", &file)]);
    let mut c = connfix();
    c.env("XDG_CONFIG_HOME", home.path())
        .args(["explain", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"BENCH-E3999: cannot reach cache.internal:6379\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ecosystem"], "bench", "{v}");
    assert_eq!(v["evidence"][0]["signature"], "bench-3999", "{v}");
    assert_eq!(v["target"]["port"], 6379);
}

/// A valid checklist padded with comment lines to exactly `size` bytes.
fn checklist_of_size(size: usize) -> String {
    let mut t = checklist("padded", 3);
    let pad = format!("# {}\n", "x".repeat(1021));
    while t.len() + pad.len() <= size {
        t.push_str(&pad);
    }
    let rest = size - t.len();
    if rest > 0 {
        t.push_str(&format!("#{}", "x".repeat(rest - 1)));
    }
    assert_eq!(t.len(), size);
    t
}

#[test]
fn a_knowledge_file_over_the_size_limit_is_refused_by_name() {
    const LIMIT: usize = 4 << 20;
    // At the limit it loads; one byte over, it is refused with its name and the limit.
    let dir = knowledge_dir(&[("checklists/padded.toml", &checklist_of_size(LIMIT))]);
    let (code, out) = kb_check(dir.path());
    assert_eq!(code, 0, "{out}");

    let over = checklist_of_size(LIMIT + 1);
    let dir = knowledge_dir(&[
        ("checklists/padded.toml", &over),
        (
            "checklists/small.toml",
            &checklist("small", 2).replace("tcp.refused", "tcp.nope"),
        ),
    ]);
    let (code, out) = kb_check(dir.path());
    assert_eq!(code, 1, "{out}");
    let file = dir.path().join("checklists/padded.toml");
    let refusal = out
        .lines()
        .find(|l| l.starts_with(&format!("{}:", file.display())))
        .unwrap_or_else(|| panic!("no error naming {}: {out}", file.display()));
    assert!(refusal.contains("over the limit of 4 MiB"), "{refusal}");
    assert!(
        refusal.contains(&format!("{} bytes", LIMIT + 1)),
        "{refusal}"
    );
    // The other file of the directory is still read and checked.
    assert!(out.contains("small.toml:"), "{out}");
    assert!(out.contains("unknown fact 'tcp.nope'"), "{out}");

    // In the user's directory, every command says so and goes on without it.
    let home = knowledge_dir(&[("connfix/knowledge/checklists/padded.toml", &over)]);
    let out = connfix()
        .env("XDG_CONFIG_HOME", home.path())
        .args(["checklist", "--list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains("padded.toml") && err.contains("over the limit of 4 MiB"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("database-unreachable"));
    assert!(!text(&out.stdout).contains("padded"));
}

#[test]
fn a_knowledge_file_that_is_not_a_regular_file_is_refused_not_waited_on() {
    let dir = knowledge_dir(&[("checklists/small.toml", &checklist("small", 1))]);
    let fifo = dir.path().join("checklists/pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !support::require(
        made.is_ok_and(|s| s.success()),
        "FIFO knowledge file test",
        "needs mkfifo (coreutils)",
    ) {
        return;
    }
    let mut child = connfix()
        .args(["kb", "check", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("kb check waited on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out: Output = child.wait_with_output().unwrap();
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains(&format!("{}:0: not a regular file", fifo.display())),
        "{shown}"
    );
}
