//! connfix: finds out why a network connection fails, by running live probes and walking a
//! decision tree from what they observe to ranked causes and fixes.
//!
//! Data flows one way: input → [`target`] → [`probe`] (observations) →
//! [`diagnose`] (facts, path, causes) → views (text, JSON, reports, the [`tui`]).
//!
//! Public are only the modules the binary, the tests, the benchmarks and the fuzz targets use.

/// `print!` for headless output: when the reader has gone (`connfix check x | head -1`),
/// connfix stops quietly with the exit code a SIGPIPE would give, instead of panicking.
#[macro_export]
macro_rules! out {
    ($($t:tt)*) => {
        $crate::stdout_write(format_args!($($t)*))
    };
}

/// `println!` for headless output; see [`out!`].
#[macro_export]
macro_rules! outln {
    () => {
        $crate::stdout_write(format_args!("\n"))
    };
    ($($t:tt)*) => {
        $crate::stdout_write(format_args!("{}\n", format_args!($($t)*)))
    };
}

#[doc(hidden)]
pub fn stdout_write(args: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("connfix: cannot write the output: {e}");
        std::process::exit(1);
    }
}

pub mod check;
pub mod checklist;
pub mod cli;
pub mod diagnose;
pub mod explain;
pub mod knowledge;
pub mod log;
pub mod probe;
pub(crate) mod render;
pub(crate) mod sanitize;
pub mod session;
pub mod target;
pub mod tui;
pub mod vocabulary;
pub(crate) mod watch;
