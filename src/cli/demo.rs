//! `connfix demo`: a realistic fault built on loopback, then diagnosed, so a new user sees
//! the whole flow without setting anything up. A small HTTP service listens on port P+1
//! while its client is configured for port P — the classic off-by-one deploy mistake.
//! Everything it starts stops when the demo ends.

use super::{self as cli, CheckFlags, CliError, print_report};
use crate::check;
use crate::diagnose::Context;
use crate::knowledge::Knowledge;
use crate::probe::Settings;
use crate::target::{self, ParseOptions};
use crate::tui;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A running demo service; dropping it stops the server task.
pub struct Scenario {
    pub service_port: u16,
    pub client_port: u16,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Scenario {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Scenario {
    /// Binds the service on 127.0.0.1:P+1 where P is free. Bounded: gives up after 50 tries.
    pub async fn start() -> std::io::Result<Scenario> {
        for _ in 0..50 {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let service_port = listener.local_addr()?.port();
            let client_port = service_port - 1;
            // The client's port must be closed for the demo to show the fault.
            if client_port < 1024
                || std::net::TcpListener::bind(("127.0.0.1", client_port)).is_err()
            {
                continue;
            }
            let server = tokio::spawn(serve(listener));
            return Ok(Scenario {
                service_port,
                client_port,
                server,
            });
        }
        Err(std::io::Error::other(
            "no free pair of adjacent loopback ports found",
        ))
    }
}

/// Answers every request with a short 200, like a healthy web app would.
async fn serve(listener: TcpListener) {
    while let Ok((mut sock, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut buf = [0u8; 2048];
            if let Ok(Ok(_)) =
                tokio::time::timeout(Duration::from_secs(5), sock.read(&mut buf)).await
            {
                let body = "demo service: ok\n";
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            }
        });
    }
}

/// `connfix demo`: the TUI on the staged fault, or (with --json or off a terminal) the
/// report, exiting 0 when the staged fault was diagnosed.
pub async fn run(json: bool, flags: &CheckFlags, kb: Arc<Knowledge>) -> Result<i32, CliError> {
    let scenario = Scenario::start()
        .await
        .map_err(|e| CliError::Usage(format!("could not set up the demo on loopback: {e}")))?;
    let url = format!("http://127.0.0.1:{}/health", scenario.client_port);
    let story = format!(
        "Demo: a web service listens on 127.0.0.1:{}, but its client is set to {url}.",
        scenario.service_port
    );
    let target = target::parse(&url, ParseOptions::default(), &kb.services, &|_| None)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let interactive = !json && cli::interactive();
    let result = if interactive {
        let mut flags = flags.clone();
        flags.timeout.get_or_insert_with(|| "2s".into());
        let banner = format!(
            "Demo: a web service listens on 127.0.0.1:{} but its client uses port {} (quitting stops the service)",
            scenario.service_port, scenario.client_port
        );
        cli::run_tui(tui::Start::Target(target), &flags, kb, Some(banner)).await
    } else {
        if !json {
            crate::outln!("{story}\n");
        }
        let settings = Settings {
            timeout: Duration::from_secs(2),
            ..Settings::default()
        };
        let report = check::run(target, settings, &Context::default(), &kb).await;
        print_report(&report, json);
        // The fault is staged on purpose: the demo succeeded if it was diagnosed as staged.
        Ok(if report.verdict.id == "wrong-port" {
            0
        } else {
            1
        })
    };
    drop(scenario);
    result
}
