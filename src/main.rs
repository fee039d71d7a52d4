use clap::Parser;
use connfix::cli::{self, Cli, Command, EXIT_USAGE};
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
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(async {
        match (&cli.command, &cli.target) {
            (Some(Command::Check {
                target,
                flags,
                save,
            }),
            _) => cli::run_check(target, flags, *save, &kb).await,
            (Some(Command::Explain { file, check }), _) => {
                cli::explain::run(file.as_deref(), *check, &cli.check, &kb).await
            }
            (Some(Command::Watch {
                targets,
                interval,
                count,
                expect,
                no_bell,
            }),
            _) => {
                let args = cli::watch::WatchArgs {
                    targets,
                    interval: interval.as_deref(),
                    count: count.as_deref(),
                    expect,
                    no_bell: *no_bell,
                };
                cli::watch::run(args, &cli.check, kb.clone()).await
            }
            (Some(Command::Wait {
                targets,
                timeout,
                max_interval,
                quiet,
                expect,
                command,
            }),
            _) => {
                let args = cli::wait::WaitArgs {
                    targets,
                    timeout: timeout.as_deref(),
                    max_interval: max_interval.as_deref(),
                    quiet: *quiet,
                    expect,
                    command,
                };
                cli::wait::run(args, &cli.check, &kb).await
            }
            (Some(Command::Checklist { name, list, target }), _) => {
                cli::checklist::run(name.as_deref(), *list, target.as_ref(), &cli.check, kb.clone())
                    .await
            }
            (Some(Command::Report { action }), _) => {
                cli::report::run(action, cli.check.json)
            }
            (Some(Command::Resume { id }), _) => {
                cli::run_resume(id.as_deref(), &cli.check, kb.clone()).await
            }
            (Some(Command::Demo { json }), _) => {
                connfix::demo::run(*json || cli.check.json, &cli.check, kb.clone()).await
            }
            (Some(Command::Kb { action }), _) => Ok(cli::run_kb(action, &kb, cli.check.json)),
            (Some(Command::Completions { shell }), _) => Ok(cli::completions(*shell)),
            (Some(Command::Man), _) => Ok(cli::man_page()),
            (None, Some(target)) => cli::run_target(target, &cli.check, kb.clone()).await,
            (None, None) if cli::interactive() => {
                cli::run_tui(connfix::tui::Start::Prompt, &cli.check, kb.clone(), None).await
            }
            (None, None) => cli::usage(
                "no target given and not on a terminal; run e.g. `connfix check localhost:5432`, or `connfix demo` to see it at work (`connfix --help` for more)",
            ),
        }
    });
    // Probes blocked in the resolver must not hold the exit; the answer is already printed.
    runtime.shutdown_background();
    let code = match result {
        Ok(code) => code,
        Err(cli::UsageError(msg)) => {
            eprintln!("connfix: {msg}");
            EXIT_USAGE
        }
    };
    std::process::exit(code);
}
