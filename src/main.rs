use clap::Parser;
use connfix::cli::{self, Cli, EXIT_USAGE};
use connfix::knowledge::Knowledge;

fn main() {
    connfix::log::mark_start();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            eprintln!("connfix: {}", cli::one_line(&e));
            std::process::exit(EXIT_USAGE);
        }
    };
    let (kb, kb_errors) = Knowledge::load();
    let kb = std::sync::Arc::new(kb);
    for e in &kb_errors {
        eprintln!("connfix: ignoring a broken knowledge file: {e}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("connfix: cannot start the async runtime: {e}");
            std::process::exit(cli::EXIT_FAILED);
        }
    };
    let result = runtime.block_on(cli::dispatch(&cli, kb));
    // Probes blocked in the resolver must not hold the exit; the answer is already printed.
    runtime.shutdown_background();
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("connfix: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
