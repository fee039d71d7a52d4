//! The command line: parsing flags into settings, and the modes they select.

pub mod checklist;
mod demo;
pub mod explain;
pub mod kb;
pub mod report;
pub mod wait;
pub mod watch;

use crate::check::{self, CheckReport};
use crate::diagnose::Context;
use crate::knowledge::Knowledge;
use crate::probe::Settings;
use crate::render::doctor::{self, Style};
use crate::session::{SessionRecord, store};
use crate::target::{self, ParseOptions, Target};
use crate::tui;
use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Exit code for bad usage or input.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when connfix itself could not go on (as when the runtime cannot start).
pub const EXIT_FAILED: i32 = 1;

#[derive(Debug, Parser)]
#[command(
    name = "connfix",
    version,
    about = "Finds out why a network connection fails: live probes, a decision tree, causes and fixes",
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = "TARGET forms: host:port, [v6addr]:port, a bare host or IP with --port, \
scheme://[user[:password]@]host[:port][/path] (http, https, ws, wss, postgres, mysql, redis, \
rediss, mongodb, amqp, amqps, ssh, smtp, ftp, ldap, ... use their default ports), unix:/path or \
an absolute socket path, env:NAME or $NAME to read the target from an environment variable.\n\n\
Exit codes of check: 0 reachable and healthy, 1 a problem was diagnosed, 2 bad usage or input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Diagnose TARGET (same as `connfix check TARGET`).
    pub target: Option<OsString>,
    #[command(flatten)]
    pub flags: SessionFlags,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose why TARGET cannot be reached; exit 0 healthy, 1 problem found, 2 bad input.
    Check {
        /// What to connect to (see TARGET forms below).
        target: OsString,
        #[command(flatten)]
        json: JsonFlag,
        #[command(flatten)]
        diagnose: DiagnoseFlags,
        /// Also save the result as a session (`connfix report show ID` prints it later).
        #[arg(long)]
        save: bool,
    },
    /// Explain a pasted error: its kind, the program that printed it, the target it tried to
    /// reach, the likely causes and the check to run next. Exit 0 recognised, 1 not, 2 bad
    /// input (with --check: the check's exit code).
    Explain {
        /// A file holding the error text, or - (the default) to read standard input.
        file: Option<PathBuf>,
        /// Then diagnose the target the text names, as `connfix check` does.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        json: JsonFlag,
        // With --check: how the check runs.
        #[command(flatten)]
        diagnose: DiagnoseFlags,
    },
    /// Watch targets go up and down: a live timeline of checks, latencies and errors (TUI);
    /// one JSON object per check when the output is not a terminal, or with --json.
    #[command(
        after_help = "Keys: ↑↓ choose a target, Enter diagnoses it, space pauses, + and - change \
the interval, b turns the bell off and on, q quits.\n\nWith --count, exit 0 when the last check of \
every target was up, 1 when one was down."
    )]
    Watch {
        /// What to check (see TARGET forms below); several may be watched together.
        #[arg(required = true, value_name = "TARGET")]
        targets: Vec<OsString>,
        /// Time between the starts of two checks of a target, e.g. 500ms, 5s (default 1s).
        #[arg(long, value_name = "DUR")]
        interval: Option<String>,
        /// Stop after N checks of each target.
        #[arg(long, value_name = "N")]
        count: Option<String>,
        #[command(flatten)]
        expect: ExpectFlag,
        /// No terminal bell when a target goes up or down.
        #[arg(long)]
        no_bell: bool,
        // The diagnosis flags serve the diagnosis Enter starts.
        #[command(flatten)]
        flags: SessionFlags,
    },
    /// Wait until every TARGET is up, then run CMD (without a shell) and exit with its code,
    /// or exit 0 when there is no CMD; exit 124 when --timeout passes first.
    #[command(
        after_help = "Example, in a container's entrypoint:\n  connfix wait db:5432 redis:6379 --timeout 90s -- ./server --port 8080\n\n\
Up means: a TCP connect succeeds; for http(s), a response with a status below 500 (or in \
--expect-status); for unix sockets, a connect succeeds. A target seen up is not checked again. \
Exit codes: 0 all up (or CMD's code), 124 timed out, 2 bad input, 126/127 CMD cannot be run."
    )]
    Wait {
        /// What to wait for (see TARGET forms below).
        #[arg(required = true, value_name = "TARGET")]
        targets: Vec<OsString>,
        /// Give up after this long and exit 124, e.g. 30s, 2m (default 60s; 0 waits for ever).
        #[arg(long, value_name = "DUR")]
        timeout: Option<String>,
        /// The longest pause between two attempts, e.g. 500ms, 5s (default 1s). Pauses start
        /// near 50ms and double, each drawn at random below its ceiling.
        #[arg(long, value_name = "DUR")]
        max_interval: Option<String>,
        /// No progress on stderr (the reason for a timeout is still said).
        #[arg(short, long)]
        quiet: bool,
        #[command(flatten)]
        expect: ExpectFlag,
        #[command(flatten)]
        place: PlaceFlags,
        /// Not shown: wait has no JSON output, and says so instead of "unknown flag".
        #[arg(long, hide = true)]
        json: bool,
        /// The command to run once every target is up, after `--`.
        #[arg(last = true, value_name = "CMD")]
        command: Vec<OsString>,
    },
    /// Set up a broken service on loopback and diagnose it in the TUI, to see what connfix
    /// does; it stops what it started when you quit. Prints the report when not on a terminal.
    Demo {
        /// Print the report as JSON instead of opening the TUI.
        #[arg(long)]
        json: bool,
        /// How long the TUI waits for each network answer, e.g. 5s (default 2s).
        #[arg(long, value_name = "DUR")]
        timeout: Option<String>,
        #[command(flatten)]
        log: LogFlag,
    },
    /// Step through an incident checklist in the TUI (`--list` shows them); with --target,
    /// the steps a probe can check are checked live.
    Checklist {
        /// The checklist's id, e.g. database-unreachable.
        name: Option<String>,
        /// List the checklists (bundled and your own).
        #[arg(long)]
        list: bool,
        /// The service the incident is about; probes check the automatic steps against it.
        #[arg(long, value_name = "TARGET")]
        target: Option<OsString>,
        #[command(flatten)]
        flags: SessionFlags,
    },
    /// Saved sessions: list them, print one, export one as Markdown, JSON or HTML.
    Report {
        #[command(subcommand)]
        action: report::ReportAction,
        /// Print JSON instead of text.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Reopen a session in the TUI (the last one, or ID) after a crash, a kill or a closed
    /// terminal, with its probe results, answers, notes and checklist state.
    Resume {
        /// A session id (or `last`, or the start of an id), or the path of a session file.
        id: Option<String>,
        // For the probes run again in the resumed session.
        #[command(flatten)]
        diagnose: DiagnoseFlags,
        #[command(flatten)]
        log: LogFlag,
    },
    /// Inspect and validate the knowledge files (causes, decision tree, services, checklists,
    /// error signatures).
    Kb {
        #[command(subcommand)]
        action: kb::KbAction,
        /// Print JSON instead of text.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    #[command(after_help = "Install, for example:\n  \
connfix completions bash > ~/.local/share/bash-completion/completions/connfix\n  \
connfix completions zsh > ~/.zfunc/_connfix   (with fpath+=~/.zfunc before compinit)\n  \
connfix completions fish > ~/.config/fish/completions/connfix.fish")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `connfix man > connfix.1; man ./connfix.1`.
    Man,
}

/// Runs the command the command line names; returns its exit code.
pub async fn dispatch(cli: &Cli, kb: Arc<Knowledge>) -> Result<i32, CliError> {
    let top = || cli.flags.gathered();
    let Some(command) = &cli.command else {
        return match &cli.target {
            Some(target) => run_target(target, &top(), kb).await,
            None if interactive() => run_tui(tui::Start::Prompt, &top(), kb, None).await,
            None => usage(
                "no target given and not on a terminal; run e.g. `connfix check localhost:5432`, or `connfix demo` to see it at work (`connfix --help` for more)",
            ),
        };
    };
    match command {
        Command::Check {
            target,
            json,
            diagnose,
            save,
        } => {
            run_check(
                target,
                &CheckFlags::new(json.json, diagnose, None),
                *save,
                &kb,
            )
            .await
        }
        Command::Explain {
            file,
            check,
            json,
            diagnose,
        } => {
            let flags = CheckFlags::new(json.json, diagnose, None);
            explain::run(file.as_deref(), *check, &flags, &kb).await
        }
        Command::Watch {
            targets,
            interval,
            count,
            expect,
            no_bell,
            flags,
        } => {
            let args = watch::WatchArgs {
                targets,
                interval: interval.as_deref(),
                count: count.as_deref(),
                expect,
                no_bell: *no_bell,
            };
            watch::run(args, &flags.gathered(), kb).await
        }
        Command::Wait {
            targets,
            timeout,
            max_interval,
            quiet,
            expect,
            place,
            json,
            command,
        } => {
            let args = wait::WaitArgs {
                targets,
                timeout: timeout.as_deref(),
                max_interval: max_interval.as_deref(),
                quiet: *quiet,
                expect,
                command,
            };
            let flags = CheckFlags {
                json: *json,
                ..CheckFlags::placed(place)
            };
            wait::run(args, &flags, &kb).await
        }
        Command::Checklist {
            name,
            list,
            target,
            flags,
        } => {
            let flags = flags.gathered();
            checklist::run(name.as_deref(), *list, target.as_ref(), &flags, kb).await
        }
        Command::Report { action, json } => report::run(action, *json),
        Command::Resume { id, diagnose, log } => {
            let flags = CheckFlags::new(false, diagnose, Some(log));
            run_resume(id.as_deref(), &flags, kb).await
        }
        Command::Demo { json, timeout, log } => {
            let flags = CheckFlags {
                timeout: timeout.clone(),
                log_file: log.log_file.clone(),
                ..CheckFlags::default()
            };
            demo::run(*json, &flags, kb).await
        }
        Command::Kb { action, json } => kb::run(action, &kb, *json),
        Command::Completions { shell } => Ok(completions(*shell)),
        Command::Man => Ok(man_page()),
    }
}

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "connfix", &mut out);
    crate::out!("{}", String::from_utf8_lossy(&out));
    0
}

/// Writes the man page (roff) to stdout: synopsis, options and the list of subcommands
/// (each subcommand's own flags are in `connfix SUBCOMMAND --help`).
pub fn man_page() -> i32 {
    use clap::CommandFactory;
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut out) {
        eprintln!("connfix: cannot write the man page: {e}");
        return 1;
    }
    crate::out!("{}", String::from_utf8_lossy(&out));
    0
}

/// `--json`, for the commands that can print JSON.
#[derive(Debug, Args, Clone, Default)]
pub struct JsonFlag {
    /// Print one JSON object instead of the readable report.
    #[arg(long)]
    pub json: bool,
}

/// Where the target is and where it is seen from: the flags every command that reaches a
/// target honours.
#[derive(Debug, Args, Clone, Default)]
pub struct PlaceFlags {
    /// Port to use when TARGET has none.
    #[arg(long)]
    pub port: Option<String>,
    /// Diagnose as seen from where the client runs: container:NAME|ID, pid:PID or
    /// netns:NAME (an `ip netns` name). Needs root.
    #[arg(long, value_name = "WHERE")]
    pub from: Option<String>,
}

/// The flags that shape a diagnosis, for the commands that run one.
#[derive(Debug, Args, Clone, Default)]
pub struct DiagnoseFlags {
    /// How long to wait for each network answer, e.g. 2s, 500ms (default 5s).
    #[arg(long, value_name = "DUR")]
    pub timeout: Option<String>,
    /// Ask this DNS server directly (IP or IP:PORT) instead of the system's.
    #[arg(long, value_name = "IP[:PORT]")]
    pub dns_server: Option<String>,
    /// The target must be reachable from the internet (e.g. a webhook URL for a cloud service).
    #[arg(long)]
    pub public: bool,
    /// Answer a question only you can (e.g. --answer intermittent=yes); repeatable.
    #[arg(long, value_name = "KEY=yes|no")]
    pub answer: Vec<String>,
    #[command(flatten)]
    pub place: PlaceFlags,
}

/// `--log-file`, for the commands that open the TUI.
#[derive(Debug, Args, Clone, Default)]
pub struct LogFlag {
    /// Where the TUI writes its log (default: connfix.log in the state directory,
    /// e.g. ~/.local/state/connfix/).
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
}

/// The flags of a command that diagnoses and may open the TUI: `connfix TARGET`, `watch`,
/// `checklist`.
#[derive(Debug, Args, Clone, Default)]
pub struct SessionFlags {
    #[command(flatten)]
    pub json: JsonFlag,
    #[command(flatten)]
    pub diagnose: DiagnoseFlags,
    #[command(flatten)]
    pub log: LogFlag,
}

impl SessionFlags {
    fn gathered(&self) -> CheckFlags {
        CheckFlags::new(self.json.json, &self.diagnose, Some(&self.log))
    }
}

/// Every flag a mode may read, gathered from the command's own flags; the ones a command
/// does not take keep their defaults.
#[derive(Debug, Clone, Default)]
pub struct CheckFlags {
    pub json: bool,
    pub timeout: Option<String>,
    pub dns_server: Option<String>,
    pub public: bool,
    pub port: Option<String>,
    pub answer: Vec<String>,
    pub from: Option<String>,
    pub log_file: Option<PathBuf>,
}

impl CheckFlags {
    pub fn new(json: bool, d: &DiagnoseFlags, log: Option<&LogFlag>) -> CheckFlags {
        CheckFlags {
            json,
            timeout: d.timeout.clone(),
            dns_server: d.dns_server.clone(),
            public: d.public,
            answer: d.answer.clone(),
            log_file: log.and_then(|l| l.log_file.clone()),
            ..CheckFlags::placed(&d.place)
        }
    }

    /// Only the target's port and vantage point (`connfix wait`).
    pub fn placed(p: &PlaceFlags) -> CheckFlags {
        CheckFlags {
            port: p.port.clone(),
            from: p.from.clone(),
            ..CheckFlags::default()
        }
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct ExpectFlag {
    /// For http(s) targets, the statuses that mean up: codes, ranges and classes, e.g. 200,
    /// 200-299, 2xx,301 (default: any status below 500).
    #[arg(long, value_name = "LIST")]
    pub expect_status: Option<String>,
}

/// Why a command stopped before its own answer; printed as one line after `connfix: `.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad usage or input: the message says what and how to fix it.
    #[error("{0}")]
    Usage(String),
    /// The command was used well but could not go on (the terminal could not be taken
    /// over, the TUI failed).
    #[error("{0}")]
    Failed(String),
}

impl From<store::FindError> for CliError {
    fn from(e: store::FindError) -> CliError {
        CliError::Usage(e.to_string())
    }
}

impl From<store::NoHome> for CliError {
    fn from(e: store::NoHome) -> CliError {
        CliError::Usage(e.to_string())
    }
}

impl From<store::LockError> for CliError {
    fn from(e: store::LockError) -> CliError {
        CliError::Usage(e.to_string())
    }
}

impl CliError {
    /// The one place exit codes of failures are decided.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Failed(_) => EXIT_FAILED,
        }
    }
}

pub fn usage<T>(msg: impl Into<String>) -> Result<T, CliError> {
    Err(CliError::Usage(msg.into()))
}

/// clap's error as the one line every bad input gets: what is wrong, then the usage.
pub fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("For more information") {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        match parts.last_mut() {
            // A list under "...:" belongs to its line.
            Some(last) if last.ends_with(':') || !line.contains(' ') => {
                last.push(' ');
                last.push_str(line);
            }
            _ => parts.push(line.replacen("Usage:", "usage:", 1)),
        }
    }
    format!("{} (--help for more)", parts.join("; "))
}

/// Settings and context from the flags, validated.
pub fn settings(
    flags: &CheckFlags,
    kb: &Knowledge,
) -> Result<(Settings, Context, ParseOptions), CliError> {
    let mut s = Settings::default();
    if let Some(t) = &flags.timeout {
        s.timeout = parse_timeout(t)?;
    }
    if let Some(d) = &flags.dns_server {
        s.dns_server = Some(parse_dns_server(d)?);
    }
    let port = match &flags.port {
        None => None,
        Some(p) => match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) => Some(n as u16),
            _ => {
                return usage(format!(
                    "--port {p} is not a port; use a number from 1 to 65535, e.g. --port 5432"
                ));
            }
        },
    };
    let answers = flags
        .answer
        .iter()
        .map(|a| parse_answer(a, kb))
        .collect::<Result<Vec<_>, _>>()?;
    let ctx = Context {
        public: flags.public,
        answers,
    };
    Ok((s, ctx, ParseOptions { port }))
}

pub fn parse_timeout(text: &str) -> Result<Duration, CliError> {
    parse_duration(
        "--timeout",
        text,
        Duration::from_millis(10),
        Duration::from_secs(600),
    )
}

/// A duration flag: `2s`, `500ms`, `1m` or plain seconds (`1.5`), within `min..=max`.
pub fn parse_duration(
    flag: &str,
    text: &str,
    min: Duration,
    max: Duration,
) -> Result<Duration, CliError> {
    let d = match text.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => Duration::from_secs_f64(secs.min(1e7)),
        _ => humantime::parse_duration(text.trim()).map_err(|_| {
            CliError::Usage(format!(
                "{flag} {text} is not a duration; write e.g. 2s, 500ms or 1m"
            ))
        })?,
    };
    if d < min || d > max {
        return usage(format!(
            "{flag} {text} is out of range; use from {} to {}, e.g. 2s",
            humantime::format_duration(min),
            humantime::format_duration(max)
        ));
    }
    Ok(d)
}

/// Parses every target, naming the one that is wrong.
pub fn parse_targets(
    raws: &[OsString],
    opts: ParseOptions,
    kb: &Knowledge,
) -> Result<Vec<Target>, CliError> {
    const MAX_TARGETS: usize = 64;
    if raws.len() > MAX_TARGETS {
        return usage(format!(
            "{} targets given; at most {MAX_TARGETS} can be checked together",
            raws.len()
        ));
    }
    raws.iter().map(|r| parse_target(r, opts, kb)).collect()
}

/// `--expect-status`, which only makes sense when some target speaks HTTP.
pub fn parse_expect(
    flag: &ExpectFlag,
    targets: &[Target],
) -> Result<crate::watch::expect::StatusSet, CliError> {
    let Some(text) = &flag.expect_status else {
        return Ok(Default::default());
    };
    if !targets.iter().any(Target::is_http) {
        return usage(format!(
            "--expect-status {text} applies to http:// and https:// targets, and none is given; without it a TCP target is up when a connect succeeds"
        ));
    }
    crate::watch::expect::StatusSet::parse(text).map_err(|e| CliError::Usage(e.to_string()))
}

pub fn parse_dns_server(text: &str) -> Result<SocketAddr, CliError> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    text.parse::<SocketAddr>().map_err(|_| {
        CliError::Usage(format!(
            "--dns-server {text} is not an IP address with an optional port; write e.g. 1.1.1.1, 127.0.0.1:5353 or [::1]:53"
        ))
    })
}

fn parse_answer(text: &str, kb: &Knowledge) -> Result<(String, bool), CliError> {
    let keys: Vec<&str> = kb
        .tree
        .nodes
        .iter()
        .filter_map(|n| n.ask.as_deref())
        .collect();
    let Some((key, value)) = text.split_once('=') else {
        return usage(format!(
            "--answer {text} needs KEY=yes or KEY=no, e.g. --answer intermittent=yes"
        ));
    };
    if !keys.contains(&key) {
        return usage(format!(
            "--answer: unknown question '{key}'; the questions are {}",
            keys.join(", ")
        ));
    }
    let yes = match value.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => true,
        "no" | "n" | "false" => false,
        _ => return usage(format!("--answer {key}={value}: answer yes or no")),
    };
    Ok((key.to_string(), yes))
}

/// Parses a target given as an OS string (it may not be UTF-8).
pub fn parse_target(
    raw: &OsString,
    opts: ParseOptions,
    kb: &Knowledge,
) -> Result<Target, CliError> {
    let Some(text) = raw.to_str() else {
        return usage(
            "the target is not valid UTF-8; give it as text such as db.example.com:5432 or https://api.example.com",
        );
    };
    target::parse(text, opts, &kb.services, &|name| std::env::var(name).ok())
        .map_err(|e| CliError::Usage(e.to_string()))
}

/// The terminal's width when standard output is one; text for a file or a pipe is laid out
/// for a wide page (100 columns).
pub fn columns() -> usize {
    if std::io::stdout().is_terminal() {
        ratatui::crossterm::terminal::size().map_or(100, |(w, _)| usize::from(w))
    } else {
        100
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
pub fn style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: !no_color && std::io::stdout().is_terminal(),
    }
}

/// Prints a finished check as text or JSON.
pub fn print_report(report: &CheckReport, json: bool) {
    if json {
        match serde_json::to_string_pretty(report) {
            Ok(s) => crate::outln!("{}", crate::sanitize::json(s)),
            Err(e) => eprintln!("connfix: could not write JSON: {e}"),
        }
    } else {
        crate::out!("{}", doctor::render(report, style()));
    }
}

/// Resolves `--from` into the settings' vantage point: an unknown container, a pid that is
/// gone, a missing namespace or missing privileges are one-line usage errors.
pub async fn with_vantage(mut s: Settings, flags: &CheckFlags) -> Result<Settings, CliError> {
    let Some(text) = &flags.from else {
        return Ok(s);
    };
    let from = crate::probe::vantage::parse(text).map_err(|e| CliError::Usage(e.to_string()))?;
    let v = crate::probe::vantage::resolve(&from, s.timeout)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?;
    s.vantage = Some(Arc::new(v));
    Ok(s)
}

/// Runs a command (watch, wait) from the `--from` vantage point: the whole command runs on
/// a thread inside that network namespace, where its checks' sockets and name lookups are
/// the client's. `body` gets the flags without `--from`.
pub async fn inside_vantage<F>(
    flags: &CheckFlags,
    body: impl FnOnce(CheckFlags) -> F + Send,
) -> Result<i32, CliError>
where
    F: std::future::Future<Output = Result<i32, CliError>>,
{
    let v = with_vantage(Settings::default(), flags)
        .await?
        .vantage
        .expect("--from was given");
    let here = CheckFlags {
        from: None,
        ..flags.clone()
    };
    tokio::task::block_in_place(|| crate::probe::vantage::run_inside(v, || body(here)))
        .map_err(|e| CliError::Usage(e.to_string()))?
}

/// `connfix check`: returns the exit code.
pub async fn run_check(
    raw: &OsString,
    flags: &CheckFlags,
    save: bool,
    kb: &Knowledge,
) -> Result<i32, CliError> {
    let (settings, ctx, opts) = settings(flags, kb)?;
    let target = parse_target(raw, opts, kb)?;
    let settings = with_vantage(settings, flags).await?;
    // On a terminal, a live line on stderr shows the provisional verdict while the slower
    // probes (a connect that times out) still run; JSON and pipes get only the end result.
    let live = !flags.json && std::io::stderr().is_terminal() && std::io::stdout().is_terminal();
    let mut shown = false;
    let report = check::run_live(target, settings.clone(), &ctx, kb, |partial| {
        if live {
            shown = true;
            live_line(partial);
        }
    })
    .await;
    if shown {
        eprint!("\r\x1b[2K");
    }
    print_report(&report, flags.json);
    if save {
        let mut rec = SessionRecord::from_check(store::new_id(), &report, &settings, ctx.public);
        rec.answers = crate::session::flag_answers(&ctx, kb, &report.started_at);
        if let Err(e) = report::save_check(&rec) {
            // The report is printed already; the exit code says it was not kept.
            return usage(format!("the check was not saved: {e}"));
        }
    }
    Ok(report.exit_code())
}

/// One line on stderr, rewritten in place: how many probes answered and, once the facts
/// point somewhere, the provisional verdict and its action.
fn live_line(partial: &CheckReport) {
    let done = partial.probes.len();
    let width = ratatui::crossterm::terminal::size().map_or(80, |(w, _)| w as usize);
    let width = width.saturating_sub(1);
    let text = match partial.causes.first() {
        Some(c) => format!(
            "… {done} probe(s) answered · provisional: {} → {}",
            c.title,
            doctor::strip_markdown(&c.action)
        ),
        None => format!("… {done} probe(s) answered"),
    };
    eprint!(
        "\r\x1b[2K{}",
        crate::tui::view::text::ellipsis(&text, width)
    );
}

/// True when the TUI can run: output goes to a terminal and input comes from one.
pub fn interactive() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// The TUI on `start` (a target, or the prompt for one), with the flags' settings.
pub async fn run_tui(
    start: tui::Start,
    flags: &CheckFlags,
    kb: Arc<Knowledge>,
    banner: Option<String>,
) -> Result<i32, CliError> {
    let (settings, ctx, parse_opts) = settings(flags, &kb)?;
    let settings = with_vantage(settings, flags).await?;
    let opts = tui::Options {
        settings,
        parse_opts,
        flags: ctx,
        log_file: flags.log_file.clone(),
        banner,
    };
    tui::run(start, opts, kb).await.map_err(|e| {
        CliError::Failed(format!(
            "{e}; run `connfix check TARGET` for a text report instead"
        ))
    })
}

/// `connfix TARGET`: the TUI on a terminal, the check report otherwise (or with --json).
pub async fn run_target(
    raw: &OsString,
    flags: &CheckFlags,
    kb: Arc<Knowledge>,
) -> Result<i32, CliError> {
    if flags.json || !interactive() {
        return run_check(raw, flags, false, &kb).await;
    }
    let (_, _, opts) = settings(flags, &kb)?;
    let target = parse_target(raw, opts, &kb)?;
    run_tui(tui::Start::Target(target), flags, kb, None).await
}

/// `connfix resume [ID]`: the saved session back in the TUI.
pub async fn run_resume(
    id: Option<&str>,
    flags: &CheckFlags,
    kb: Arc<Knowledge>,
) -> Result<i32, CliError> {
    let store = store::Store::open_default()?;
    let path = store.locate(id)?;
    if !interactive() {
        let rec = report::load_path(&path)?;
        return usage(format!(
            "resume opens the TUI, and this is not a terminal; `connfix report show {}` prints the session instead",
            rec.id
        ));
    }
    // Locked before it is read, so a connfix closing meanwhile cannot save over our copy.
    let lock = store::lock(&path)?;
    let rec = report::load_path(&path)?;
    run_tui(
        tui::Start::Resume(Box::new(rec), path, lock),
        flags,
        kb,
        None,
    )
    .await
}
