//! Exit codes and the plainest behaviour of commands no other test runs, with the real binary:
//! `connfix explain` (0 recognised, 1 not, 2 bad input; `--check` passes on the check's code),
//! `connfix TARGET` with stdout piped (the check report, not the TUI), `connfix checklist
//! --list` and an unknown checklist, `connfix kb facts` and `kb values`, and what a
//! long-running command does when stopped by SIGINT or SIGHUP: `wait` is ended by the signal
//! (no handler), `watch --json` finishes its line and exits 128+n itself.
//!
//! Traffic goes only to loopback: closed ports from `cli::closed_port` and HTTP servers this
//! test starts. Every wait is bounded and synchronised on what the program prints, not on sleeps.

mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use support::cli;

/// How long a command that should end by itself may take before the test gives up on it: a
/// bound against hanging forever, not a speed requirement.
const HANG: Duration = Duration::from_secs(60);

/// How a process ended. A shell's `$?` shows 128+n for both `Exited(128 + n)` and
/// `Killed(n)`; the tests tell them apart, so a handler that appears or disappears is caught.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// exit(code): a handler (or the program) chose the code.
    Exited(i32),
    /// Ended by signal n (its default action).
    Killed(i32),
}

fn end(status: ExitStatus) -> End {
    match (status.code(), status.signal()) {
        (Some(code), _) => End::Exited(code),
        (None, Some(n)) => End::Killed(n),
        (None, None) => panic!("neither an exit code nor a signal: {status:?}"),
    }
}

/// Runs `cmd` with `stdin` as its standard input, to the end (bounded by [`HANG`]).
fn run_with_input(mut cmd: Command, stdin: &[u8]) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start connfix");
    let mut input = child.stdin.take().expect("a stdin pipe");
    let data = stdin.to_vec();
    // A writer thread: connfix may answer before reading everything (binary input).
    let writer = thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = finish(child);
    let _ = writer.join();
    out
}

/// Collects a child's output, failing the test if it is still running after [`HANG`].
fn finish(child: Child) -> Output {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(HANG) {
        Ok(out) => out.expect("wait for connfix"),
        Err(_) => {
            // SAFETY: kill(2) on the pid of our own child, which has not been reaped yet.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            panic!("connfix (pid {pid}) still running after {HANG:?}: killed");
        }
    }
}

fn run(args: &[&str]) -> Output {
    let mut cmd = cli::connfix();
    cmd.args(args).stdin(Stdio::null());
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    finish(cmd.spawn().expect("start connfix"))
}

fn explain_stdin(args: &[&str], text: &[u8]) -> Output {
    let mut cmd = cli::connfix();
    cmd.arg("explain").args(args);
    run_with_input(cmd, text)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {:?}\nstdout: {}\nstderr: {}",
            out.status,
            stdout(out),
            stderr(out)
        )
    })
}

#[track_caller]
fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        end(out.status),
        End::Exited(code),
        "wrong exit code\nstdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

/// Exit 2 with exactly one line on stderr (containing `needle`) and nothing on stdout.
#[track_caller]
fn assert_one_line_error(out: &Output, needle: &str) {
    assert_code(out, 2);
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "not one line on stderr: {err:?}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(
        out.stdout.is_empty(),
        "stdout on a usage error: {}",
        stdout(out)
    );
}

fn captured(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/captured")
        .join(name)
}

/// A capture of Python's requests refused on 127.0.0.1:8081 (the README's example).
const REQUESTS_REFUSED: &str = "python-requests-refused-v4.txt";

// ------------------------------------------------------------------------------------------
// connfix explain
// ------------------------------------------------------------------------------------------

#[test]
fn explain_exits_0_when_it_recognises_an_error() {
    let out = explain_stdin(
        &["-"],
        b"ConnectionRefusedError: [Errno 111] Connection refused\n",
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("✗ Connection refused · Python · ECONNREFUSED"),
        "{text}"
    );
    assert!(text.contains("nothing-listening"), "{text}");

    // Without `-`, piped standard input is read all the same.
    let out = explain_stdin(
        &["--json"],
        b"curl: (6) Could not resolve host: nothere.example\n",
    );
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(
        (v["kind"].as_str(), v["ecosystem"].as_str()),
        (Some("dns"), Some("curl"))
    );
    assert_eq!(v["target"]["host"], "nothere.example");
}

#[test]
fn explain_exits_1_when_it_recognises_none() {
    let out = explain_stdin(&["-"], b"GET /health 200 OK in 3 ms\nall good\n");
    assert_code(&out, 1);
    assert!(
        stdout(&out).starts_with("connfix explain: no connection error recognised in 2 lines"),
        "{}",
        stdout(&out)
    );
    // The JSON form: the same exit code, and an object with no kind and no causes.
    let out = explain_stdin(&["-", "--json"], b"all good\n");
    assert_code(&out, 1);
    let v = json(&out);
    assert!(v["kind"].is_null(), "{v}");
    assert_eq!(v["knowledge"], serde_json::json!([]));
    assert_eq!(v["input"]["lines"], 1);
}

#[test]
fn explain_exits_2_on_bad_input_with_one_line() {
    assert_one_line_error(&explain_stdin(&["-"], b""), "standard input is empty");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    assert_one_line_error(&run(&["explain", &dir_arg]), "is a directory");
    let missing = dir.path().join("no-such-file.log");
    assert_one_line_error(
        &run(&["explain", &missing.to_string_lossy()]),
        "no such file",
    );
    let binary: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    assert_one_line_error(&explain_stdin(&["-"], &binary), "binary data");
    // An empty file is an empty paste.
    let empty = dir.path().join("empty.log");
    std::fs::write(&empty, "").expect("write an empty file");
    assert_code(&run(&["explain", &empty.to_string_lossy()]), 2);
}

#[test]
fn explain_reads_a_file_as_it_reads_stdin() {
    let path = captured(REQUESTS_REFUSED);
    let from_file = run(&["explain", &path.to_string_lossy(), "--json"]);
    assert_code(&from_file, 0);
    let text = std::fs::read(&path).expect("read the capture");
    let from_stdin = explain_stdin(&["-", "--json"], &text);
    assert_code(&from_stdin, 0);
    let (a, b) = (json(&from_file), json(&from_stdin));
    assert_eq!(a, b, "the file and the same text on stdin differ");
    assert_eq!(a["kind"], "refused");
    assert_eq!(a["ecosystem"], "python");
    assert_eq!(a["knowledge"][0], "nothing-listening");
    assert_eq!(
        (a["target"]["host"].as_str(), a["target"]["port"].as_u64()),
        (Some("127.0.0.1"), Some(8081))
    );
    assert_eq!(a["check"], "connfix check http://127.0.0.1:8081");

    // The text form names the target and the next step, as the README shows.
    let out = run(&["explain", &path.to_string_lossy()]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("✗ Connection refused · Python · ECONNREFUSED"),
        "{text}"
    );
    assert!(text.contains("target   http://127.0.0.1:8081"), "{text}");
    assert!(
        text.contains("Next: connfix check http://127.0.0.1:8081"),
        "{text}"
    );
}

#[test]
fn explain_check_exits_with_the_checks_code() {
    // A refused loopback port: the check diagnoses it (exit 1), and explain passes that on.
    let port = cli::closed_port();
    let paste = format!(
        "curl: (7) Failed to connect to 127.0.0.1 port {port} after 0 ms: Couldn't connect to server\n"
    );
    let out = explain_stdin(&["-", "--check", "--json"], paste.as_bytes());
    assert_code(&out, 1);
    let v = json(&out);
    assert_eq!(v["diagnosis"]["verdict"]["id"], "nothing-listening", "{v}");
    assert_eq!(v["diagnosis"]["target"]["port"], port);
    let (check_code, check) = cli::check(&[&format!("127.0.0.1:{port}")]);
    assert_eq!(check_code, 1);
    assert_eq!(check["verdict"]["id"], v["diagnosis"]["verdict"]["id"]);

    // The same paste while a server answers there: the check finds it healthy (exit 0),
    // whatever the pasted error said.
    let listener = cli::loopback_listener();
    let up = listener.local_addr().expect("an address").port();
    let _server = cli::serve(listener, cli::http_200);
    let paste = format!("curl: (7) Failed to connect to 127.0.0.1 port {up} after 0 ms\n");
    let out = explain_stdin(&["-", "--check"], paste.as_bytes());
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains(&format!("connfix check 127.0.0.1:{up}")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn explain_check_needs_a_target_it_can_check() {
    // No target in the text at all.
    let out = explain_stdin(
        &["-", "--check"],
        b"ConnectionRefusedError: [Errno 111] Connection refused\n",
    );
    assert_one_line_error(&out, "does not say what it tried to reach");
    // A host but no port: exit 2 naming --port …
    let nx = b"curl: (6) Could not resolve host: nothere.invalid\n";
    let out = explain_stdin(&["-", "--check"], nx);
    assert_one_line_error(&out, "--port");
    // … which then makes it checkable: the name does not resolve, a problem (exit 1).
    let out = explain_stdin(&["-", "--check", "--port", "80", "--json"], nx);
    assert_code(&out, 1);
    assert_eq!(json(&out)["diagnosis"]["target"]["host"], "nothere.invalid");
    // Nothing recognised: there is no target to check either.
    assert_one_line_error(
        &explain_stdin(&["-", "--check"], b"all good\n"),
        "no connection error",
    );
}

// ------------------------------------------------------------------------------------------
// connfix TARGET with stdout piped
// ------------------------------------------------------------------------------------------

/// Not on a terminal, `connfix TARGET` prints the check report instead of opening the TUI,
/// and exits as `connfix check TARGET` does.
#[test]
fn target_with_stdout_piped_prints_the_check_report() {
    let port = cli::closed_port();
    let target = format!("127.0.0.1:{port}");
    let out = run(&[&target]);
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("connfix check {target}\n")),
        "{text}"
    );
    assert!(text.contains("refused (ECONNREFUSED"), "{text}");
    // Neither the alternate screen, nor mouse reporting, nor any other escape sequence.
    assert!(
        !text.contains('\x1b'),
        "escape sequences in a piped report: {text:?}"
    );
    let check = run(&["check", &target]);
    assert_code(&check, 1);
    let first = |s: &str| s.lines().next().map(str::to_string);
    assert_eq!(first(&text), first(&stdout(&check)));

    let listener = cli::loopback_listener();
    let up = listener.local_addr().expect("an address").port();
    let _server = cli::serve(listener, cli::http_200);
    let out = run(&[&format!("127.0.0.1:{up}")]);
    assert_code(&out, 0);
    assert!(!stdout(&out).contains('\x1b'), "{:?}", stdout(&out));
}

// ------------------------------------------------------------------------------------------
// connfix checklist
// ------------------------------------------------------------------------------------------

#[test]
fn checklist_list_and_an_unknown_name() {
    let out = run(&["checklist", "--list"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let names: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for known in [
        "database-unreachable",
        "container-to-host",
        "webhook-refused",
    ] {
        assert!(names.contains(&known), "{known} not listed:\n{text}");
    }
    assert!(
        names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')),
        "{names:?}"
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let out = run(&["checklist", "no-such-checklist"]);
    assert_one_line_error(&out, "no checklist 'no-such-checklist'");
    // The line says where to look, and names the real ones.
    let err = stderr(&out);
    assert!(err.contains("connfix checklist --list"), "{err}");
    assert!(names.iter().all(|n| err.contains(n)), "{err}");
}

// ------------------------------------------------------------------------------------------
// connfix kb facts / kb values
// ------------------------------------------------------------------------------------------

/// The first word of every line of a listing, and the rest of it.
fn listing(out: &Output) -> Vec<(String, String)> {
    stdout(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (name, about) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (name.to_string(), about.trim().to_string())
        })
        .collect()
}

#[test]
fn kb_facts_and_values_list_the_vocabulary() {
    let facts_out = run(&["kb", "facts"]);
    assert_code(&facts_out, 0);
    let facts = listing(&facts_out);
    let values_out = run(&["kb", "values"]);
    assert_code(&values_out, 0);
    let values = listing(&values_out);
    for (what, list) in [("facts", &facts), ("values", &values)] {
        assert!(list.len() > 10, "kb {what} lists only {}", list.len());
        let mut names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            list.iter().all(|(_, about)| !about.is_empty()),
            "kb {what}: an entry without a description"
        );
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "kb {what} lists a name twice");
    }
    let is_name = |s: &str| {
        s.contains('.')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_'))
    };
    assert!(facts.iter().all(|(n, _)| is_name(n)), "{facts:?}");
    assert!(
        values.iter().all(|(n, _)| n
            .strip_prefix("{{")
            .and_then(|n| n.strip_suffix("}}"))
            .is_some_and(is_name)),
        "{values:?}"
    );

    // What a real check reports is in the vocabulary: every fact it established, and every
    // value those facts carry.
    let port = cli::closed_port();
    let (code, report) = cli::check(&[&format!("127.0.0.1:{port}")]);
    assert_eq!(code, 1);
    let reported = report["facts"].as_array().expect("facts in the report");
    assert!(!reported.is_empty());
    for fact in reported {
        let name = fact["name"].as_str().expect("a fact name");
        assert!(
            facts.iter().any(|(n, _)| n == name),
            "fact {name} is not in `connfix kb facts`"
        );
        for key in fact["values"]
            .as_object()
            .into_iter()
            .flat_map(|o| o.keys())
        {
            let placeholder = format!("{{{{{key}}}}}");
            assert!(
                values.iter().any(|(n, _)| *n == placeholder),
                "value {placeholder} of fact {name} is not in `connfix kb values`"
            );
        }
    }
    assert!(facts.iter().any(|(n, _)| n == "tcp.refused"));
    assert!(values.iter().any(|(n, _)| n == "{{target.port}}"));
}

// ------------------------------------------------------------------------------------------
// Signals
// ------------------------------------------------------------------------------------------

/// What a run stopped by a signal left behind.
struct Stopped {
    /// The line that showed connfix in its loop, printed before the signal was sent.
    first: String,
    end: End,
    stdout: String,
    stderr: String,
}

/// Reads `r` to the end on a thread; the first complete line containing `needle` is also
/// sent on `tx`.
fn collect(
    r: impl std::io::Read + Send + 'static,
    ready: Option<(&'static str, mpsc::Sender<String>)>,
) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut r = BufReader::new(r);
        let mut all = String::new();
        let mut ready = ready;
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if let Some((needle, tx)) = &ready
                        && line.ends_with('\n')
                        && line.contains(needle)
                    {
                        let _ = tx.send(line.clone());
                        ready = None;
                    }
                    all.push_str(&line);
                }
            }
        }
        all
    })
}

/// The first line containing the text, on stdout or stderr, shows connfix in its loop (its
/// handlers, if any, in place).
#[derive(Clone, Copy, Debug)]
enum Ready {
    Stdout(&'static str),
    Stderr(&'static str),
}

/// Starts `connfix ARGS` (stdout and stderr piped, so no TUI), waits for the `ready` line
/// (connfix is then in its loop), sends it `signal` and collects how it ended. Every
/// wait is bounded by [`HANG`]; no sleeps.
fn stopped_by(args: &[&str], ready: Ready, signal: libc::c_int) -> Stopped {
    let mut command = cli::connfix();
    // An ignored signal stays ignored across exec: under `nohup` (SIGHUP) or as a
    // background job of a script (SIGINT) connfix would rightly never see it. The user
    // this test stands for runs connfix from a terminal, where the default is in place.
    // SAFETY: signal(2) between fork and exec touches only the child's dispositions.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(move || {
            libc::signal(signal, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start connfix");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    let (to_out, to_err) = match ready {
        Ready::Stdout(needle) => (Some((needle, tx)), None),
        Ready::Stderr(needle) => (None, Some((needle, tx))),
    };
    let out = collect(child.stdout.take().expect("a stdout pipe"), to_out);
    let err = collect(child.stderr.take().expect("a stderr pipe"), to_err);
    let first = match rx.recv_timeout(HANG) {
        Ok(line) => line,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "connfix {args:?} printed no line on {ready:?} within {HANG:?} ({e}); stderr: {}",
                err.join().unwrap_or_default()
            );
        }
    };
    // SAFETY: kill(2) on our own child, not yet reaped (nothing else waits for it).
    let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    let status = finish(child).status;
    Stopped {
        first,
        end: end(status),
        stdout: out.join().expect("the stdout reader"),
        stderr: err.join().expect("the stderr reader"),
    }
}

/// `connfix wait` on a closed loopback port with a long timeout, stopped by `signal` once it
/// has reported the first attempt (from inside its loop, after the "waiting for" line). wait installs no handler: the signal's default action
/// ends it at once (a shell shows 128+n, and a script running it stops too, which an
/// exit(128+n) would not do for SIGINT). A handler added without updating this test fails it.
fn wait_is_stopped_by(signal: libc::c_int) {
    let port = cli::closed_port();
    let target = format!("127.0.0.1:{port}");
    let run = stopped_by(
        &["wait", &target, "--timeout", "10m"],
        Ready::Stderr("is down"),
        signal,
    );
    assert!(
        run.stderr
            .starts_with(&format!("connfix wait: waiting for {target}")),
        "first progress line: {:?}",
        run.stderr
    );
    assert!(run.first.contains(&target), "{:?}", run.first);
    assert_eq!(
        run.end,
        End::Killed(signal),
        "after signal {signal}\nstderr: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("timed out"),
        "a signal is not a timeout: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

#[test]
fn wait_is_ended_by_sigint() {
    wait_is_stopped_by(libc::SIGINT);
}

#[test]
fn wait_is_ended_by_sighup() {
    wait_is_stopped_by(libc::SIGHUP);
}

/// `connfix watch --json` (stdout piped: NDJSON) on a closed loopback port, checking every
/// 100 ms, stopped by `signal` once its first record is out: it exits 128+n itself (as its TUI
/// does), and what it printed ends with a complete line, every line a whole JSON record.
fn watch_ndjson_is_stopped_by(signal: libc::c_int) {
    let port = cli::closed_port();
    let target = format!("127.0.0.1:{port}");
    let run = stopped_by(
        &["watch", &target, "--json", "--interval", "100ms"],
        // Every record has a target; the first one is printed from inside the loop.
        Ready::Stdout("\"target\""),
        signal,
    );
    let first: Value = serde_json::from_str(&run.first)
        .unwrap_or_else(|e| panic!("first record is not JSON ({e}): {:?}", run.first));
    assert_eq!(first["target"], target.as_str(), "{first}");
    assert_eq!(
        run.end,
        End::Exited(128 + signal),
        "after signal {signal}\nstderr: {}",
        run.stderr
    );
    assert!(
        run.stdout.ends_with('\n'),
        "the output ends inside a line: {:?}",
        run.stdout
    );
    for line in run.stdout.lines() {
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a whole JSON record ({e}): {line:?}"));
        assert_eq!(v["up"], false, "{line}");
    }
    assert!(!run.stderr.contains("panicked"), "stderr: {}", run.stderr);
}

#[test]
fn watch_ndjson_exits_130_on_sigint() {
    watch_ndjson_is_stopped_by(libc::SIGINT);
}

#[test]
fn watch_ndjson_exits_129_on_sighup() {
    watch_ndjson_is_stopped_by(libc::SIGHUP);
}

#[test]
fn watch_ndjson_exits_143_on_sigterm() {
    watch_ndjson_is_stopped_by(libc::SIGTERM);
}
