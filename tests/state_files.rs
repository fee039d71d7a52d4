//! connfix's own files on disk, with real files and real mounts: everything it writes under
//! the data and state directories is private (files 0600, its directories 0700, also when
//! an older connfix left them looser); a symbolic link planted at a lock, the log or the
//! recent targets is refused or replaced, never written through; and a read-only mount, a
//! full disk or a directory it may not write is named for what it is, in one line.

mod support;
// Not every helper of the harness is needed here.
#[allow(dead_code)]
#[path = "support/tmux.rs"]
mod tmux;

use connfix::session::store::{self, Access, FileError};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};
use support::cli::{closed_port, connfix};
use tmux::{Options, Tmux};

/// A verdict needs every probe; generous for a debug build on a busy two-core machine.
const VERDICT: Duration = Duration::from_secs(20);
const REACT: Duration = Duration::from_secs(10);
const NOTHING: &str = "Nothing is listening";

/// A home for one test: `data`, `state` and `config` directories (the XDG ones, made 0755
/// like a real `~/.local/share`) and a `tmp` for copies, all in one temp dir.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let home = Home { dir };
        for d in ["data", "state", "config", "tmp"] {
            fs::create_dir(home.path(d)).unwrap();
            set_mode(&home.path(d), 0o755);
        }
        home
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    fn data(&self) -> PathBuf {
        self.path("data")
    }

    fn state(&self) -> PathBuf {
        self.path("state")
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("XDG_DATA_HOME".into(), self.data().display().to_string()),
            ("XDG_STATE_HOME".into(), self.state().display().to_string()),
            (
                "XDG_CONFIG_HOME".into(),
                self.path("config").display().to_string(),
            ),
            ("TMPDIR".into(), self.path("tmp").display().to_string()),
        ]
    }

    fn connfix(&self) -> Command {
        let mut c = connfix();
        c.envs(self.env());
        c
    }

    fn tmux_opts(&self) -> Options {
        Options {
            // Wide enough that a message with two temp paths stays on one screen line.
            width: 400,
            env: self.env(),
            ..Options::default()
        }
    }

    /// `connfix check 127.0.0.1:<closed> --save`; returns the session id.
    fn saved_check(&self) -> String {
        let out = self
            .connfix()
            .args(["check", &loopback_target(), "--save", "--timeout", "2s"])
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        err.split("saved as session ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("no session id in stderr: {err}"))
            .to_string()
    }

    fn session_file(&self, id: &str) -> PathBuf {
        self.data()
            .join("connfix/sessions")
            .join(format!("{id}.json"))
    }
}

fn loopback_target() -> String {
    format!("127.0.0.1:{}", closed_port())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn set_mode(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().mode() & 0o7777
}

/// Every entry under `root` (itself included), depth first.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if fs::symlink_metadata(&out[i]).is_ok_and(|m| m.is_dir()) {
            let mut children: Vec<PathBuf> = fs::read_dir(&out[i])
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            children.sort();
            out.extend(children);
        }
        i += 1;
    }
    out
}

/// Every directory under `root` is 0700 and every file 0600, and nothing else lives there.
#[track_caller]
fn assert_private(root: &Path) {
    let mut bad = Vec::new();
    for p in walk(root) {
        let m = fs::symlink_metadata(&p).unwrap();
        let want = if m.is_dir() {
            0o700
        } else if m.is_file() {
            0o600
        } else {
            0
        };
        if m.mode() & 0o7777 != want {
            bad.push(format!("{:o} {}", m.mode() & 0o7777, p.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "not private under {}:\n{}",
        root.display(),
        bad.join("\n")
    );
}

/// What a victim file is: its bytes, mode and modification time.
fn fingerprint(p: &Path) -> (Vec<u8>, u32, SystemTime) {
    let m = fs::metadata(p).unwrap();
    (
        fs::read(p).unwrap(),
        m.mode() & 0o7777,
        m.modified().unwrap(),
    )
}

/// A file that a planted link points at: something of the person's, 0644.
fn victim(home: &Home, name: &str) -> PathBuf {
    let p = home.path(name);
    fs::write(&p, "precious: not connfix's\n").unwrap();
    set_mode(&p, 0o644);
    p
}

#[track_caller]
fn assert_one_line(e: &str) {
    assert!(!e.trim_end().is_empty(), "an empty message");
    assert_eq!(e.trim_end().lines().count(), 1, "not one line: {e}");
}

/// stderr of a command that must fail with exit code 2 and one line.
#[track_caller]
fn one_line_failure(out: &Output) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_one_line(&err);
    err
}

/// Runs `connfix` in tmux: types `target` at the prompt, waits for the verdict, saves the
/// report with `s` and quits.
fn tui_diagnose_save_and_quit(opts: &Options, target: &str) {
    let tui = Tmux::start(opts, &["--timeout", "2s"]);
    tui.wait_for("what cannot be reached?", REACT);
    tui.type_text(target);
    tui.keys(&["Enter"]);
    tui.wait_for(NOTHING, VERDICT);
    tui.keys(&["s"]);
    tui.wait_for("report saved", REACT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
}

#[test]
fn a_saved_check_leaves_only_private_files_and_directories() {
    let home = Home::new();
    let id = home.saved_check();
    let root = home.data().join("connfix");
    assert_private(&root);
    assert_eq!(
        walk(&root),
        [root.clone(), root.join("sessions"), home.session_file(&id)]
    );
    // The XDG directory above is the person's: left as it was.
    assert_eq!(mode(&home.data()), 0o755);

    // Directories an older connfix made 0755 are tightened by the next save.
    set_mode(&root, 0o755);
    set_mode(&root.join("sessions"), 0o755);
    let second = home.saved_check();
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("sessions")), 0o700);
    assert_eq!(mode(&home.session_file(&second)), 0o600);
    // Whatever the umask says: a permissive one makes no difference.
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"umask 000; exec "$@""#)
        .arg("sh")
        .arg(support::cli::BIN)
        .args(["report", "export", &id, "--format", "html", "-o"])
        .arg(root.join("reports/copy.html"))
        .envs(home.env())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_private(&root);
}

#[test]
fn the_tui_keeps_its_log_recent_targets_sessions_and_reports_private() {
    if !tmux::available() {
        return;
    }
    let home = Home::new();
    // What an older connfix left: everything readable by all.
    let state = home.state().join("connfix");
    let data = home.data().join("connfix");
    fs::create_dir_all(&state).unwrap();
    fs::create_dir_all(data.join("sessions")).unwrap();
    fs::create_dir_all(data.join("reports")).unwrap();
    fs::write(state.join("connfix.log"), "an older line\n").unwrap();
    fs::write(state.join("recent-targets"), "db.internal:5432\n").unwrap();
    for p in walk(&state).into_iter().chain(walk(&data)) {
        let loose = if p.is_dir() { 0o755 } else { 0o644 };
        set_mode(&p, loose);
    }

    let target = loopback_target();
    tui_diagnose_save_and_quit(&home.tmux_opts(), &target);

    assert_private(&state);
    assert_private(&data);
    let names = |d: &Path| -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&state), ["connfix.log", "recent-targets"]);
    let sessions = names(&data.join("sessions"));
    assert_eq!(sessions.len(), 2, "a session and its lock: {sessions:?}");
    assert!(sessions[1].ends_with(".json.lock"), "{sessions:?}");
    let reports = names(&data.join("reports"));
    assert_eq!(reports.len(), 2, "{reports:?}");
    // Appended to, not replaced: the log keeps the older line; the target is remembered.
    let log = fs::read_to_string(state.join("connfix.log")).unwrap();
    assert!(
        log.starts_with("an older line\n") && log.contains("TUI started"),
        "{log}"
    );
    let recent = fs::read_to_string(state.join("recent-targets")).unwrap();
    assert_eq!(recent, format!("{target}\ndb.internal:5432\n"));
    // The person's own directories are not changed, and nothing is written to config.
    for d in ["data", "state", "config"] {
        assert_eq!(mode(&home.path(d)), 0o755, "{d}");
    }
    assert!(names(&home.path("config")).is_empty());
}

#[test]
fn a_symlink_at_a_session_lock_is_refused_and_its_target_untouched() {
    let home = Home::new();
    let id = home.saved_check();
    let session = home.session_file(&id);
    let lock = session.with_extension("json.lock");
    let precious = victim(&home, "precious.txt");
    let before = fingerprint(&precious);

    // A link to an existing file, and one to a file that does not exist yet.
    std::os::unix::fs::symlink(&precious, &lock).unwrap();
    let e = store::lock(&session).unwrap_err().to_string();
    assert_one_line(&e);
    assert!(
        e.starts_with(&format!("cannot save session {id}: {}", lock.display()))
            && e.contains(&format!("is a symbolic link (to {})", precious.display()))
            && e.contains(&format!("remove it (rm '{}')", lock.display())),
        "{e}"
    );
    assert_eq!(
        fingerprint(&precious),
        before,
        "the link's target was changed"
    );
    let nowhere = home.path("created-through-the-link");
    fs::remove_file(&lock).unwrap();
    std::os::unix::fs::symlink(&nowhere, &lock).unwrap();
    let e = store::lock(&session).unwrap_err().to_string();
    assert!(e.contains("is a symbolic link"), "{e}");
    assert!(
        !nowhere.exists(),
        "a file was created through a dangling link"
    );

    // The real thing: `connfix resume` says it in one line and stops.
    fs::remove_file(&lock).unwrap();
    std::os::unix::fs::symlink(&precious, &lock).unwrap();
    if tmux::available() {
        let tui = Tmux::start(&home.tmux_opts(), &["resume", &id]);
        assert_eq!(tui.wait_exit(REACT), 2);
        let screen = tui.screen();
        let said: Vec<&str> = screen.lines().filter(|l| l.contains("connfix:")).collect();
        assert_eq!(said.len(), 1, "{screen}");
        assert!(
            said[0].contains("is a symbolic link") && said[0].contains(&lock.display().to_string()),
            "{screen}"
        );
        assert_eq!(
            fingerprint(&precious),
            before,
            "the link's target was changed"
        );
        assert!(fs::symlink_metadata(&lock).unwrap().is_symlink());
    }

    // A hard link, a FIFO, a directory: refused too, and the FIFO does not hang the open.
    fs::remove_file(&lock).unwrap();
    fs::hard_link(&precious, &lock).unwrap();
    let e = store::lock(&session).unwrap_err().to_string();
    assert!(e.contains("hard links"), "{e}");
    assert_eq!(fs::read(&precious).unwrap(), before.0);
    fs::remove_file(&lock).unwrap();
    let made = Command::new("mkfifo").arg(&lock).status().unwrap();
    assert!(made.success());
    let e = store::lock(&session).unwrap_err().to_string();
    assert!(e.contains("is a FIFO, not a regular file"), "{e}");
    fs::remove_file(&lock).unwrap();
    fs::create_dir(&lock).unwrap();
    let e = store::lock(&session).unwrap_err().to_string();
    assert!(e.contains("is a directory, not a regular file"), "{e}");
    fs::remove_dir(&lock).unwrap();

    // A stale lock that is connfix's own (an older connfix, 0644, odd contents) is taken
    // over and made private, and the held one names its holder by number only.
    fs::write(&lock, "4242\x1b]0;owned\x07").unwrap();
    set_mode(&lock, 0o644);
    let held = store::lock(&session).unwrap();
    assert_eq!(mode(&lock), 0o600);
    assert_eq!(
        fs::read_to_string(&lock).unwrap(),
        std::process::id().to_string()
    );
    let e = store::lock(&session).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "session {id} is open in another connfix (pid {}); close that one first",
            std::process::id()
        )
    );
    drop(held);
}

#[test]
fn a_lock_of_another_user_is_refused() {
    if !support::require(
        support::is_root(),
        "another user's lock",
        "needs root to chown",
    ) {
        return;
    }
    let home = Home::new();
    let session = home.path("data/s.json");
    let lock = home.path("data/s.json.lock");
    fs::write(&lock, "1").unwrap();
    std::os::unix::fs::chown(&lock, Some(65534), Some(65534)).unwrap();
    let e = store::lock(&session).unwrap_err();
    assert!(
        matches!(
            &e,
            store::LockError::File {
                source: FileError::NotOwned { owner: 65534, .. },
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("belongs to uid 65534, not to you"),
        "{e}"
    );
    assert_eq!(fs::read_to_string(&lock).unwrap(), "1");
}

#[test]
fn a_symlink_at_the_log_is_refused_and_its_target_untouched() {
    let home = Home::new();
    let state = home.state().join("connfix");
    fs::create_dir_all(&state).unwrap();
    let log = state.join("connfix.log");
    let precious = victim(&home, "precious.txt");
    let before = fingerprint(&precious);
    std::os::unix::fs::symlink(&precious, &log).unwrap();

    let e = connfix::log::open(&log).unwrap_err().to_string();
    assert_one_line(&e);
    assert_eq!(
        e,
        format!(
            "cannot open the log file: {} is a symbolic link (to {}), and connfix does not follow links for its own files; remove it (rm '{}') and try again; connfix runs on without a log (--log-file PATH picks another)",
            log.display(),
            precious.display(),
            log.display()
        )
    );
    assert!(matches!(
        connfix::log::open_file(&log),
        Err(FileError::Symlink { .. })
    ));
    assert_eq!(
        fingerprint(&precious),
        before,
        "the log was written through the link"
    );
    // A link to nowhere does not create its target either.
    let nowhere = home.path("created-through-the-link");
    let dangling = state.join("other.log");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    assert!(connfix::log::open(&dangling).is_err());
    assert!(!nowhere.exists());
    fs::remove_file(&dangling).unwrap();

    // In the TUI: the log is refused, and the footer says so in one line.
    if !tmux::available() {
        return;
    }
    let target = loopback_target();
    let tui = Tmux::start(&home.tmux_opts(), &[&target, "--timeout", "2s"]);
    let screen = tui.wait_for_all(&[NOTHING, "cannot open the log file"], VERDICT);
    let said: Vec<&str> = screen.lines().filter(|l| l.contains("log file")).collect();
    assert_eq!(said.len(), 1, "{screen}");
    assert!(
        said[0].contains(&format!("{} is a symbolic link", log.display())),
        "{screen}"
    );
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
    drop(tui);
    assert_eq!(
        fingerprint(&precious),
        before,
        "the log was written through the link"
    );
    assert!(fs::symlink_metadata(&log).unwrap().is_symlink());

    // The recent targets are not read through a link, and a file of their own replaces
    // the link planted there; its target does not change.
    let other = victim(&home, "other.txt");
    let other_before = fingerprint(&other);
    let recent = state.join("recent-targets");
    std::os::unix::fs::symlink(&other, &recent).unwrap();
    let tui = Tmux::start(&home.tmux_opts(), &["--timeout", "2s"]);
    // Waits for the dialog's body too: a capture may land between its title and its lines.
    // Had the link been read, its target's text would stand there instead, and this fails.
    tui.wait_for_all(&["what cannot be reached?", "No recent targets yet"], REACT);
    tui.type_text(&target);
    tui.keys(&["Enter"]);
    tui.wait_for(NOTHING, VERDICT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
    assert_eq!(
        fingerprint(&precious),
        before,
        "the log was written through the link"
    );
    assert_eq!(
        fingerprint(&other),
        other_before,
        "recent targets went through the link"
    );
    assert_eq!(
        mode(&recent),
        0o600,
        "a regular private file in place of the link"
    );
    assert_eq!(fs::read_to_string(&recent).unwrap(), format!("{target}\n"));
}

/// A read-only bind mount of `dir` onto itself, undone on Drop.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn mount(dir: &Path) -> Option<ReadOnly> {
        if !support::require(support::is_root(), "read-only mount", "needs root to mount") {
            return None;
        }
        let bind = Command::new("mount")
            .arg("--bind")
            .arg(dir)
            .arg(dir)
            .status();
        if !support::require(
            bind.is_ok_and(|s| s.success()),
            "read-only mount",
            "mount --bind failed here",
        ) {
            return None;
        }
        let guard = ReadOnly(dir.to_path_buf());
        let ro = Command::new("mount")
            .args(["-o", "remount,ro,bind"])
            .arg(dir)
            .arg(dir)
            .status();
        support::require(
            ro.is_ok_and(|s| s.success()),
            "read-only mount",
            "remount,ro failed here",
        )
        .then_some(guard)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let done = Command::new("umount")
            .arg(&self.0)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            // A connfix tmux has just hung up on may still hold it: detach it now.
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

#[test]
fn a_read_only_mount_is_named_as_such() {
    let home = Home::new();
    // One empty (connfix's directories cannot even be made), one with a saved session.
    let fresh = home.path("fresh");
    fs::create_dir(&fresh).unwrap();
    let id = home.saved_check();
    let used = home.data();
    let Some(_fresh_ro) = ReadOnly::mount(&fresh) else {
        return;
    };
    let Some(_used_ro) = ReadOnly::mount(&used) else {
        return;
    };
    let ro_fs = "read-only file system; remount it read-write or use another directory";
    for data in [&fresh, &used] {
        let out = home
            .connfix()
            .env("XDG_DATA_HOME", data)
            .args(["check", &loopback_target(), "--save", "--timeout", "2s"])
            .output()
            .unwrap();
        let err = one_line_failure(&out);
        assert!(
            err.starts_with("connfix: the check was not saved: ") && err.contains(ro_fs),
            "{err}"
        );
        assert!(!err.contains("No such file"), "{err}");
    }
    // The log on a read-only state directory, and the lock of a saved session.
    let e = connfix::log::open(&fresh.join("connfix/connfix.log"))
        .unwrap_err()
        .to_string();
    assert!(e.contains(ro_fs), "{e}");
    let e = store::lock(&home.session_file(&id)).unwrap_err();
    assert!(
        matches!(
            &e,
            store::LockError::File {
                source: FileError::ReadOnly { .. },
                ..
            }
        ),
        "{e}"
    );

    // The TUI's footer says it too (it used to say "No such file or directory").
    if !tmux::available() {
        return;
    }
    let mut opts = home.tmux_opts();
    opts.env
        .push(("XDG_DATA_HOME".into(), fresh.display().to_string()));
    let tui = Tmux::start(&opts, &[&loopback_target(), "--timeout", "2s"]);
    let screen = tui.wait_for_all(&[NOTHING, "not saved"], VERDICT);
    let footer: Vec<&str> = screen.lines().filter(|l| l.contains("not saved")).collect();
    assert_eq!(footer.len(), 1, "{screen}");
    assert!(
        footer[0].contains("⚠ not saved: cannot save session 20")
            && footer[0].contains(&format!(
                "{}: {ro_fs}",
                fresh.join("connfix/sessions").display()
            )),
        "{screen}"
    );
    assert!(!screen.contains("No such file"), "{screen}");
    tui.keys(&["q"]);
    tui.wait_for("q again quits", REACT);
    tui.keys(&["q"]);
    assert_eq!(tui.wait_exit(REACT), 0);
}

/// A 64 KiB tmpfs at `dir`, unmounted on Drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path) -> Option<SmallDisk> {
        if !support::require(
            support::is_root(),
            "full disk",
            "needs root to mount a tmpfs",
        ) {
            return None;
        }
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        support::require(ok, "full disk", "mount -t tmpfs failed here")
            .then_some(SmallDisk(dir.to_path_buf()))
    }

    fn fill(&self) {
        let mut f = fs::File::create(self.0.join("filler")).unwrap();
        let chunk = vec![0u8; 4096];
        while std::io::Write::write_all(&mut f, &chunk).is_ok() {}
        while std::io::Write::write(&mut f, &[0]).unwrap_or(0) > 0 {}
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let done = Command::new("umount")
            .arg(&self.0)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

#[test]
fn a_full_disk_is_named_as_such() {
    let home = Home::new();
    let Some(disk) = SmallDisk::mount(&home.data()) else {
        return;
    };
    let first = home.saved_check();
    let before = fs::read(home.session_file(&first)).unwrap();
    disk.fill();
    let out = home
        .connfix()
        .args(["check", &loopback_target(), "--save", "--timeout", "2s"])
        .output()
        .unwrap();
    let err = one_line_failure(&out);
    assert!(
        err.starts_with("connfix: the check was not saved: ")
            && err.contains(
                "the disk is full (No space left on device); free some space and try again"
            ),
        "{err}"
    );
    assert_eq!(fs::read(home.session_file(&first)).unwrap(), before);
    let left: Vec<PathBuf> = walk(&home.data().join("connfix"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A lock can still be taken (its pid is a nicety) on the full disk.
    drop(store::lock(&home.session_file(&first)).unwrap());
    // The file error itself, typed.
    let e =
        store::write_atomic(&home.data().join("connfix/reports/r.md"), &[b'x'; 8192]).unwrap_err();
    assert!(matches!(e, FileError::DiskFull { .. }), "{e:?}");
}

#[test]
fn a_directory_that_may_not_be_written_is_named_as_such() {
    if !support::require(
        support::is_root(),
        "permission test",
        "needs root to switch user",
    ) || !support::require(
        support::have("setpriv"),
        "permission test",
        "needs setpriv (util-linux)",
    ) {
        return;
    }
    let home = Home::new();
    // The temp dir is root's and 0700: let nobody in, but not write.
    set_mode(home.dir.path(), 0o755);
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(support::cli::BIN)
        .args(["check", &loopback_target(), "--save", "--timeout", "2s"])
        .env("NO_COLOR", "1")
        .envs(home.env())
        .output()
        .unwrap();
    let err = one_line_failure(&out);
    assert!(
        err.contains(&format!(
            "{}: permission denied; make it writable for your user or use another directory",
            home.data().join("connfix/sessions").display()
        )),
        "{err}"
    );
    assert!(!home.data().join("connfix").exists());

    // Not found, for a file that is read.
    let e = store::open_own(&home.path("missing"), Access::Read).unwrap_err();
    assert!(matches!(e, FileError::NotFound { .. }), "{e:?}");
    assert!(e.to_string().contains("not found"), "{e}");
}
