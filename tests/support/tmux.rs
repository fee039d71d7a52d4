//! Running the real connfix binary inside tmux, to test the TUI as a person sees it: the
//! screen text, the exit code and the terminal modes tmux tracks for the pane.
//!
//! Every session gets its own tmux server (a unique `-L` socket, kept with everything else in
//! the session's temporary directory through TMUX_TMPDIR), an empty tmux config, private
//! state, config and log directories for connfix, and no proxy variables.
//! The command runs as `sh -c '<connfix>; echo "EXITED $?"; sleep ...'`, so after connfix
//! exits the pane stays open with its exit code on the restored screen. Every wait is bounded
//! and panics with the last screen (and connfix's log); Drop kills the tmux server.

use crate::support;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_connfix");

/// Pause between two looks at the screen.
const POLL: Duration = Duration::from_millis(50);
/// The session (and so the pane) every command of this harness targets.
const SESSION: &str = "connfix";
/// What the shell prints when connfix has exited, followed by the exit code.
const EXITED: &str = "EXITED ";
/// How long the pane outlives connfix; Drop ends it long before, this bounds a leaked server.
const LINGER_SECS: u32 = 300;
/// How long `pid` waits for connfix to start.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The pane's shell: $1 is the pid file, the rest the command. The inner shell writes its
/// pid and then becomes the command, so the file holds connfix's pid.
const SCRIPT: &str = r#"pidfile=$1; shift
sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
echo "EXITED $?"
sleep "$LINGER""#;

/// Skip helper: false (after saying why) when tmux is not installed.
pub fn available() -> bool {
    support::require(
        support::have("tmux"),
        "tmux test",
        "needs tmux (Debian package tmux)",
    )
}

/// How to start a session.
#[derive(Debug, Clone)]
pub struct Options {
    pub width: u16,
    pub height: u16,
    /// `set -g set-clipboard on`, so an OSC 52 from connfix becomes a tmux paste buffer.
    pub clipboard: bool,
    /// Put before the connfix binary, e.g. `ip netns exec NAME`.
    pub prefix: Vec<String>,
    /// Extra environment for connfix (set after the isolating defaults, so they win), e.g.
    /// `XDG_DATA_HOME` to share a session store between two runs.
    pub env: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            width: 120,
            height: 40,
            clipboard: false,
            prefix: Vec::new(),
            env: Vec::new(),
        }
    }
}

/// A tmux server with one session running connfix; killed on Drop.
#[derive(Debug)]
pub struct Tmux {
    socket: String,
    /// Holds the tmux config, the pid file and connfix's state and config directories.
    dir: tempfile::TempDir,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Tmux {
    /// `connfix ARGS...` in a 120×40 session.
    pub fn connfix(args: &[&str]) -> Tmux {
        Tmux::start(&Options::default(), args)
    }

    /// `connfix ARGS...` in a session made as `opts` says.
    pub fn start(opts: &Options, args: &[&str]) -> Tmux {
        let dir = tempfile::Builder::new()
            .prefix("cfx-tmux-")
            .tempdir()
            .expect("cannot create a temporary directory for tmux");
        let socket = format!(
            "cfx-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let tmux = Tmux { socket, dir };
        let conf = tmux.dir.path().join("tmux.conf");
        let clipboard = if opts.clipboard { "on" } else { "off" };
        // No status line: the pane gets the whole window.
        let config = format!("set -g status off\nset -g set-clipboard {clipboard}\n");
        fs::write(&conf, config).expect("cannot write the tmux config");

        let mut cmd = tmux.command();
        tmux.isolate(&mut cmd);
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        // With more than one argument tmux runs the command itself, so nothing is re-quoted.
        cmd.arg("-f").arg(&conf).args([
            "-L",
            &tmux.socket,
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &opts.width.to_string(),
            "-y",
            &opts.height.to_string(),
            "sh",
            "-c",
            SCRIPT,
            "sh",
        ]);
        cmd.arg(tmux.pid_file())
            .args(&opts.prefix)
            .arg(BIN)
            .args(args);
        run(&mut cmd);
        tmux
    }

    /// A `tmux` command (UTF-8 forced, whatever the locale says) without a socket yet. The
    /// socket directory is inside the tempdir: tmux leaves its socket file behind on exit.
    fn command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-u")
            .env("TMUX_TMPDIR", self.dir.path())
            .stdin(Stdio::null());
        cmd
    }

    /// The environment the server, and so connfix, starts with: no proxies, no colour, no
    /// outer tmux, and every directory connfix writes to inside this session's tempdir.
    fn isolate(&self, cmd: &mut Command) {
        support::cli::isolate(cmd);
        cmd.env_remove("TMUX")
            .env("LINGER", LINGER_SECS.to_string());
        for (var, sub) in [
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
        ] {
            cmd.env(var, self.dir.path().join(sub));
        }
    }

    /// Runs `tmux ARGS...` on this server; its stdout. Panics when it fails.
    pub fn tmux(&self, args: &[&str]) -> String {
        let mut cmd = self.command();
        cmd.args(["-L", &self.socket]).args(args);
        run(&mut cmd)
    }

    /// What the pane shows now, one line per row.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", SESSION])
    }

    /// A tmux format for the pane, e.g. `#{alternate_on}`.
    pub fn display(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", SESSION, format])
            .trim_end()
            .to_string()
    }

    /// Sends keys by their tmux names: "q", "Tab", "Escape", "C-u", "Enter".
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Resizes the window, as a person enlarging their terminal would.
    pub fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        self.tmux(&["resize-window", "-t", SESSION, "-x", &w, "-y", &h]);
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Pastes `text` as a terminal does: wrapped in bracketed-paste markers when the program
    /// asked for them.
    #[allow(dead_code)] // only the paste-box tests paste
    pub fn paste(&self, text: &str) {
        let file = self.dir.path().join("paste-buffer.txt");
        fs::write(&file, text).expect("write the paste buffer");
        self.tmux(&["load-buffer", "-b", "paste", &file.display().to_string()]);
        self.tmux(&["paste-buffer", "-p", "-d", "-b", "paste", "-t", SESSION]);
    }

    /// What the pane shows now with its attributes, as tmux's `capture-pane -e` gives them
    /// (SGR escape sequences); see [`parse_styled`].
    #[allow(dead_code)] // only the tests of selections look at attributes
    pub fn styled_screen(&self) -> String {
        self.tmux(&["capture-pane", "-e", "-p", "-t", SESSION])
    }

    /// Polls the screen with its attributes until `ok(plain text, reverse-video runs)`
    /// holds; returns that screen's text and runs. Panics like [`Tmux::wait_until`].
    #[allow(dead_code)]
    #[track_caller]
    pub fn wait_until_styled(
        &self,
        what: &str,
        within: Duration,
        ok: impl Fn(&str, &[Reversed]) -> bool,
    ) -> (String, Vec<Reversed>) {
        let deadline = Instant::now() + within;
        loop {
            let (plain, reversed) = parse_styled(&self.styled_screen());
            if ok(&plain, &reversed) {
                return (plain, reversed);
            }
            if Instant::now() >= deadline {
                let runs: Vec<String> = reversed.iter().map(|r| format!("{r:?}")).collect();
                self.fail(
                    &format!(
                        "waited {within:?} for {what}; reverse video: {}",
                        runs.join(", ")
                    ),
                    &plain,
                );
            }
            sleep(POLL);
        }
    }

    /// Waits until the screen contains `text`; returns that screen.
    #[track_caller]
    pub fn wait_for(&self, text: &str, within: Duration) -> String {
        self.wait_until(&format!("{text:?} on the screen"), within, |s| {
            s.contains(text)
        })
    }

    /// Waits until the screen contains every one of `texts` (a frame can be caught half
    /// drawn, so what belongs together is waited for together); returns that screen.
    #[track_caller]
    pub fn wait_for_all(&self, texts: &[&str], within: Duration) -> String {
        self.wait_until(&format!("all of {texts:?} on the screen"), within, |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits until the screen no longer contains `text`; returns that screen.
    #[track_caller]
    pub fn wait_gone(&self, text: &str, within: Duration) -> String {
        self.wait_until(&format!("{text:?} gone from the screen"), within, |s| {
            !s.contains(text)
        })
    }

    /// Polls the screen every 50 ms until `ok` holds; panics after `within` with the last
    /// screen and connfix's log.
    #[track_caller]
    pub fn wait_until(&self, what: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                self.fail(&format!("waited {within:?} for {what}"), &screen);
            }
            sleep(POLL);
        }
    }

    /// Waits for connfix to exit; returns its exit code as the shell reported it.
    #[track_caller]
    pub fn wait_exit(&self, within: Duration) -> i32 {
        let screen = self.wait_until("connfix to exit", within, |s| exit_code(s).is_some());
        exit_code(&screen).expect("checked by the wait")
    }

    /// connfix's process id, once it runs (bounded wait).
    #[track_caller]
    pub fn pid(&self) -> u32 {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let pid = fs::read_to_string(self.pid_file())
                .ok()
                .and_then(|p| p.trim().parse::<u32>().ok());
            // The pid is written just before the exec: wait until it is connfix.
            if let Some(pid) = pid
                && fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|comm| comm.trim() == "connfix")
            {
                return pid;
            }
            if Instant::now() >= deadline {
                self.fail("connfix did not start", &self.screen());
            }
            sleep(POLL);
        }
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.path().join("connfix.pid")
    }

    /// connfix's log in this session's state directory (empty when it wrote none).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("state/connfix/connfix.log")).unwrap_or_default()
    }

    #[track_caller]
    fn fail(&self, what: &str, screen: &str) -> ! {
        let mut message = format!("{what}; the screen:\n{screen}");
        let log = self.log();
        if !log.is_empty() {
            let _ = write!(message, "\nconnfix's log:\n{log}");
        }
        panic!("{message}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Also ends the pane's processes (SIGHUP). Errors only go to stderr: a panic during
        // unwinding would abort the test binary.
        let mut cmd = self.command();
        cmd.args(["-L", &self.socket, "kill-server"]);
        match cmd.output() {
            Ok(out) if out.status.success() => {}
            Ok(out) => eprintln!(
                "warning: tmux kill-server: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(e) => eprintln!("warning: cannot run tmux kill-server: {e}"),
        }
    }
}

/// The code in the shell's "EXITED N" line, once it is there.
pub fn exit_code(screen: &str) -> Option<i32> {
    // After a kill the shell writes where the cursor was left, so the line can wrap at the
    // pane's edge ("…EX" / "ITED 137"): read the screen as one run of text.
    let flat: String = screen.lines().collect();
    let rest = &flat[flat.rfind(EXITED)? + EXITED.len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Runs a command; its stdout, or a panic with its stderr.
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A run of reverse-video text on the screen (how connfix marks a selection): its row and
/// first column (in cells, from 0) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(dead_code)]
pub struct Reversed {
    pub row: usize,
    pub col: usize,
    pub text: String,
}

/// The text of a `capture-pane -e` screen without its escape sequences, and its runs of
/// reverse video. Only SGR sequences (`ESC [ … m`) are expected; their colour arguments
/// (`38;5;n`, `38;2;r;g;b`) are skipped, so a colour number is never read as an attribute.
#[allow(dead_code)]
pub fn parse_styled(styled: &str) -> (String, Vec<Reversed>) {
    let mut plain = String::new();
    let mut runs: Vec<Reversed> = Vec::new();
    let mut reverse = false;
    for (row, line) in styled.lines().enumerate() {
        let mut col = 0;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                if chars.peek() != Some(&'[') {
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut end = None;
                for p in chars.by_ref() {
                    if p.is_ascii_digit() || p == ';' || p == ':' {
                        params.push(p);
                    } else {
                        end = Some(p);
                        break;
                    }
                }
                if end == Some('m') {
                    reverse = sgr_reverse(&params, reverse);
                }
                continue;
            }
            plain.push(c);
            if reverse {
                match runs.last_mut() {
                    Some(r) if r.row == row && r.col + r.text.chars().count() == col => {
                        r.text.push(c)
                    }
                    _ => runs.push(Reversed {
                        row,
                        col,
                        text: c.to_string(),
                    }),
                }
            }
            col += 1;
        }
        plain.push('\n');
    }
    (plain, runs)
}

/// Whether reverse video is on after the SGR parameters `params`, given it was `on`.
#[allow(dead_code)]
fn sgr_reverse(params: &str, mut on: bool) -> bool {
    let mut codes = params.split(';').map(|p| p.parse::<u32>().unwrap_or(0));
    while let Some(code) = codes.next() {
        match code {
            0 => on = false,
            7 => on = true,
            27 => on = false,
            38 | 48 | 58 => match codes.next() {
                Some(5) => {
                    codes.next();
                }
                Some(2) => {
                    codes.nth(2);
                }
                _ => {}
            },
            _ => {}
        }
    }
    on
}
