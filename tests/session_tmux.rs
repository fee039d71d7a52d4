//! Sessions in the real TUI (tmux): notes, saving, a checklist run to its end, resuming after
//! `kill -9`, a data directory that cannot be written, and a full disk under a session that
//! is being written over.

mod support;
// Not every helper of the harness is needed here.
#[allow(dead_code)]
#[path = "support/tmux.rs"]
mod tmux;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::cli::{closed_port, connfix, http_200, loopback_listener, serve};
use tmux::{Options, Tmux};

/// A verdict needs every probe; generous for a debug build on a busy two-core machine.
const VERDICT: Duration = Duration::from_secs(20);
const REACT: Duration = Duration::from_secs(10);
/// The verdict title of a refused port with nothing listening.
const NOTHING: &str = "Nothing is listening";
const INTERMITTENT: &str = "Does the failure come and go";

fn opts(data: &Path) -> Options {
    Options {
        env: vec![("XDG_DATA_HOME".into(), data.display().to_string())],
        ..Options::default()
    }
}

fn session_files(data: &Path) -> Vec<PathBuf> {
    let dir = data.join("connfix").join("sessions");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "json"));
    files
}

/// The only session saved under `data`, parsed.
fn only_session(data: &Path) -> Value {
    let files = session_files(data);
    assert_eq!(files.len(), 1, "{files:?}");
    serde_json::from_slice(&fs::read(&files[0]).unwrap()).expect("a readable session")
}

fn report_show(data: &Path, id: &str) -> String {
    let out = connfix()
        .env("XDG_DATA_HOME", data)
        .args(["report", "show", id])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn killed_with_sigkill_and_resumed_with_nothing_lost() {
    if !tmux::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let target = format!("127.0.0.1:{}", closed_port());
    let tui = Tmux::start(&opts(data.path()), &[&target, "--timeout", "2s"]);
    tui.wait_for(NOTHING, VERDICT);
    tui.keys(&["m"]);
    tui.wait_for("Add a note", REACT);
    tui.type_text("paged by checkout-api at 09:58; PGPASSWORD=hunter2 in its env");
    tui.keys(&["Enter"]);
    tui.wait_for("paged by checkout-api", REACT);
    // The selection rests on the first open question: answer it yes.
    tui.keys(&["Enter"]);
    tui.wait_for("y yes · n no", REACT);
    tui.keys(&["y"]);
    tui.wait_for("you:yes", REACT);

    // Everything so far is on disk before the process dies.
    let pid = tui.pid();
    let saved = only_session(data.path());
    assert_eq!(
        saved["notes"][0]["text"],
        "paged by checkout-api at 09:58; PGPASSWORD=*** in its env"
    );
    assert_eq!(saved["answers"].as_array().unwrap().len(), 1);
    let id = saved["id"].as_str().unwrap().to_string();
    kill_9(pid);
    tui.wait_exit(REACT);

    let after = only_session(data.path());
    assert!(
        after["ended_at"].is_null(),
        "a killed session is not marked closed"
    );
    let resumed = Tmux::start(&opts(data.path()), &["resume"]);
    let screen = resumed.wait_for_all(
        // Answering yes made the start-up race the verdict; it still is.
        &[
            "resumed session",
            "paged by checkout-api",
            "you:yes",
            "startup-race  ",
        ],
        VERDICT,
    );
    assert!(!screen.contains("hunter2"), "{screen}");
    resumed.keys(&["m"]);
    resumed.wait_for("Add a note", REACT);
    resumed.type_text("second note after the crash");
    resumed.keys(&["Enter"]);
    resumed.wait_for("second note after the crash", REACT);
    resumed.keys(&["q"]);
    assert_eq!(resumed.wait_exit(REACT), 0);

    let last = only_session(data.path());
    assert_eq!(last["id"], id.as_str());
    assert_eq!(last["notes"].as_array().unwrap().len(), 2);
    assert!(last["ended_at"].is_string());
    let md = report_show(data.path(), &id);
    for want in [
        "paged by checkout-api",
        "second note after the crash",
        INTERMITTENT,
    ] {
        assert!(md.contains(want), "{want} missing from:\n{md}");
    }
    assert!(!md.contains("hunter2"));
}

/// SIGKILL, with the `kill` command.
fn kill_9(pid: u32) {
    let ok = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -9 {pid} failed");
}

#[test]
fn a_session_open_in_one_connfix_cannot_be_resumed_in_another() {
    if !tmux::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let target = format!("127.0.0.1:{}", closed_port());
    let first = Tmux::start(&opts(data.path()), &[&target, "--timeout", "2s"]);
    first.wait_for(NOTHING, VERDICT);
    let id = only_session(data.path())["id"]
        .as_str()
        .unwrap()
        .to_string();
    let second = Tmux::start(&opts(data.path()), &["resume", &id]);
    assert_eq!(second.wait_exit(REACT), 2);
    second.wait_for("is open in another connfix", REACT);
    first.keys(&["q"]);
    assert_eq!(first.wait_exit(REACT), 0);
}

#[test]
fn a_checklist_is_stepped_through_to_the_end_and_saved() {
    if !tmux::available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = serve(loopback_listener(), http_200);
    let target = format!("http://{}/health", server.addr);
    let tui = Tmux::start(
        &opts(data.path()),
        &[
            "checklist",
            "service-refused-after-deploy",
            "--target",
            &target,
        ],
    );
    // Three steps are checked by probes: the connect, the listener and the health check.
    tui.wait_for_all(
        &[
            "Service refuses connections after a deploy",
            "⏱",
            "3/8 settled",
        ],
        VERDICT,
    );
    tui.keys(&["j"]);
    tui.wait_for("Step 2 of 8", REACT);
    tui.keys(&["d"]); // process-running: done; moves on to crash-loop
    tui.wait_for("Step 3 of 8", REACT);
    tui.keys(&["f"]); // crash-loop: failed; moves on to config-port
    tui.wait_for("1 failed", REACT);
    tui.keys(&["m"]);
    tui.wait_for("Add a note", REACT);
    tui.type_text("port moved to 8081 in values.yaml");
    tui.keys(&["Enter"]);
    tui.wait_for("port moved to 8081", REACT);
    tui.keys(&["x"]); // config-port: skipped
    tui.wait_for("6/8 settled", REACT);
    tui.keys(&["a"]); // load-balancer-targets: n/a
    tui.keys(&["d"]); // rollback-decision: done
    tui.wait_for_all(
        &["8/8 settled", "every step is settled (5 done, 1 failed)"],
        REACT,
    );
    tui.keys(&["s"]);
    tui.wait_for("report saved", REACT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);

    let rec = only_session(data.path());
    assert_eq!(rec["kind"], "checklist");
    let steps = rec["checklist"]["steps"].as_array().unwrap();
    let states: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
                s["by"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("reproduce", "done", "check"),
            ("process-running", "done", "person"),
            ("crash-loop", "failed", "person"),
            ("listening-port-address", "done", "check"),
            ("config-port", "skipped", "person"),
            ("health-endpoint", "done", "check"),
            ("load-balancer-targets", "n/a", "person"),
            ("rollback-decision", "done", "person"),
        ]
    );
    assert_eq!(rec["notes"][0]["about"], "config-port");
    let id = rec["id"].as_str().unwrap();
    let report = data
        .path()
        .join("connfix")
        .join("reports")
        .join(format!("{id}.md"));
    let md = fs::read_to_string(&report).expect("s wrote the Markdown report");
    for want in [
        "Service refuses connections after a deploy",
        "port moved to 8081",
        "Decide: fix forward or roll back",
    ] {
        assert!(md.contains(want), "{want} missing from:\n{md}");
    }
    assert!(report.with_extension("html").is_file());
}

#[test]
fn an_unwritable_data_directory_offers_another_place() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file-not-dir");
    fs::write(&blocker, "x").unwrap();
    let elsewhere = dir.path().join("saved here");
    let target = format!("127.0.0.1:{}", closed_port());
    let tui = Tmux::start(&opts(&blocker), &[&target, "--timeout", "2s"]);
    tui.wait_for_all(&[NOTHING, "not saved"], VERDICT);
    tui.keys(&["s"]);
    tui.wait_for_all(
        &[
            "Save somewhere else",
            "cannot save session",
            "kept in memory",
        ],
        REACT,
    );
    tui.keys(&["C-u"]);
    tui.type_text(&elsewhere.display().to_string());
    tui.keys(&["Enter"]);
    tui.wait_for("report saved", REACT);
    tui.keys(&["m"]);
    tui.type_text("written after the move");
    tui.keys(&["Enter"]);
    tui.wait_for("written after the move", REACT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
    let names: Vec<String> = fs::read_dir(&elsewhere)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    let stem = names
        .iter()
        .find(|n| n.ends_with(".json"))
        .expect("a session file")
        .trim_end_matches(".json")
        .to_string();
    for ext in ["json", "md", "html"] {
        assert!(names.contains(&format!("{stem}.{ext}")), "{names:?}");
    }
    // Autosave followed the session to its new place: the later note and the close are there.
    let rec: Value =
        serde_json::from_slice(&fs::read(elsewhere.join(format!("{stem}.json"))).unwrap()).unwrap();
    assert_eq!(rec["notes"][0]["text"], "written after the move");
    assert!(rec["ended_at"].is_string());
    // And it can be read back by path.
    let out = connfix()
        .args(["report", "show"])
        .arg(elsewhere.join(format!("{stem}.json")))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("written after the move"));
}

#[test]
fn quitting_while_nothing_can_be_saved_warns_then_keeps_a_copy_in_the_temp_directory() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file-not-dir");
    fs::write(&blocker, "x").unwrap();
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let mut o = opts(&blocker);
    o.env.push(("TMPDIR".into(), tmp.display().to_string()));
    let target = format!("127.0.0.1:{}", closed_port());
    let tui = Tmux::start(&o, &[&target, "--timeout", "2s"]);
    tui.wait_for_all(&[NOTHING, "not saved"], VERDICT);
    tui.keys(&["m"]);
    tui.type_text("only in memory so far");
    tui.keys(&["Enter"]);
    tui.keys(&["q"]);
    tui.wait_for("q again quits and keeps a copy", REACT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
    let screen = tui.wait_for("a copy is in", REACT);
    assert!(screen.contains("reopens it"), "{screen}");
    let copies: Vec<PathBuf> = fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let rec: Value = serde_json::from_slice(&fs::read(&copies[0]).unwrap()).unwrap();
    assert_eq!(rec["notes"][0]["text"], "only in memory so far");
    assert!(rec["ended_at"].is_string());
}

/// A 256 KiB tmpfs at `dir/small`, unmounted on Drop; None (after saying why, or failing
/// under CI=true) where it cannot be mounted. The same staging as session_cli's full disk.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path) -> Option<SmallDisk> {
        if !support::require(
            support::is_root(),
            "full-disk test",
            "needs root to mount a small tmpfs",
        ) {
            return None;
        }
        let mnt = dir.join("small");
        fs::create_dir(&mnt).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(&mnt)
            .status()
            .is_ok_and(|s| s.success());
        support::require(mounted, "full-disk test", "mount -t tmpfs failed here")
            .then_some(SmallDisk(mnt))
    }

    /// Writes a file until the disk has no byte left.
    fn fill(&self) {
        let mut f = fs::File::create(self.0.join("filler")).unwrap();
        let chunk = vec![0u8; 4096];
        while std::io::Write::write_all(&mut f, &chunk).is_ok() {}
        let mut byte = 1;
        while byte > 0 {
            byte = std::io::Write::write(&mut f, &[0]).unwrap_or(0);
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // A connfix that tmux has just hung up on may still hold a file there for a moment:
        // then the mount is detached now and goes when the last file is closed.
        let unmounted = Command::new("umount")
            .arg(&self.0)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

#[test]
fn a_full_disk_leaves_the_session_being_written_over_whole() {
    if !tmux::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(dir.path()) else {
        return;
    };
    let data = disk.0.clone();
    // A saved session, then the disk fills up.
    let port = closed_port();
    let saved = connfix()
        .env("XDG_DATA_HOME", &data)
        .args([
            "check",
            &format!("127.0.0.1:{port}"),
            "--save",
            "--timeout",
            "2s",
        ])
        .output()
        .unwrap();
    assert_eq!(
        saved.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let file = only_file(&data);
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    let before = fs::read(&file).unwrap();
    disk.fill();

    // Resumed, every change is written over that same file: a note, the close.
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let mut o = opts(&data);
    o.env.push(("TMPDIR".into(), tmp.display().to_string()));
    let tui = Tmux::start(&o, &["resume", &id]);
    tui.wait_for_all(
        &[NOTHING, &format!("127.0.0.1:{port}"), "not saved"],
        VERDICT,
    );
    tui.keys(&["m"]);
    tui.wait_for("Add a note", REACT);
    tui.type_text("written on a full disk");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for_all(&["written on a full disk", "not saved"], REACT);
    assert_eq!(
        fs::read(&file).unwrap(),
        before,
        "the session file changed while the disk was full:\n{screen}"
    );
    tui.keys(&["q"]);
    tui.wait_for("q again quits and keeps a copy", REACT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
    let screen = tui.wait_for("a copy is in", REACT);
    let flat: String = screen.lines().collect();
    assert!(flat.contains("No space left on device"), "{screen}");

    // The old session is byte for byte what it was, nothing half-written lies beside it,
    // and it still reads back.
    assert_eq!(
        fs::read(&file).unwrap(),
        before,
        "the old session was changed"
    );
    let mut names: Vec<String> = fs::read_dir(file.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [format!("{id}.json"), format!("{id}.json.lock")]);
    let md = report_show(&data, &id);
    assert!(md.contains("nothing-listening"), "{md}");
    assert!(!md.contains("written on a full disk"), "{md}");
    // The change itself is not lost: it is in the copy.
    let copies: Vec<PathBuf> = fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy: Value = serde_json::from_slice(&fs::read(&copies[0]).unwrap()).unwrap();
    assert_eq!(copy["id"], id.as_str());
    assert_eq!(copy["notes"][0]["text"], "written on a full disk");
    drop(tui);
}

/// The one session file under `data`.
fn only_file(data: &Path) -> PathBuf {
    let files = session_files(data);
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}
