//! `trackingmore-sandbox`: the sandbox as a standalone server.
//!
//! Prints the base URL (`http://HOST:PORT/v2`) as the first line on stdout, so a parent
//! process can start it on port 0 and read where it listens; logs go to stderr.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use trackingmore_sandbox::{Config, RateLimits, Sandbox};

/// A stateful local server of the TrackingMore v2 API.
#[derive(Debug, Parser)]
#[command(name = "trackingmore-sandbox", version)]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// API key of the account.
    #[arg(long, default_value = "sandbox-key")]
    api_key: String,
    /// E-mail of the account (the webhook signing key).
    #[arg(long, default_value = "dev@example.org")]
    email: String,
    /// Tracking quota of the account.
    #[arg(long, default_value_t = 10_000)]
    quota: u64,
    /// Keep state in this SQLite file instead of memory.
    #[arg(long = "data")]
    data: Option<PathBuf>,
    /// The documented rate limits (realtime 3/s, list 1/s), or none.
    #[arg(long, value_enum, default_value_t = Switch::On)]
    rate_limits: Switch,
    /// Answer API errors with a matching HTTP status instead of 200.
    #[arg(long)]
    mirror_http_status: bool,
    /// Vary the default journeys of non-scenario numbers (0 = the documented ones).
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Switch {
    On,
    Off,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let limits = match args.rate_limits {
        Switch::On => RateLimits::reference(),
        Switch::Off => RateLimits::off(),
    };
    let mut config = Config::with_api_key(args.api_key)
        .email(args.email)
        .quota(args.quota)
        .rate_limits(limits)
        .mirror_http_status(args.mirror_http_status)
        .seed(args.seed);
    if let Some(path) = args.data {
        config = config.data_path(path);
    }

    let stop = stop_signals();
    let sandbox = match Sandbox::start_on(config, SocketAddr::new(args.host, args.port)).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "cannot start");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{}", sandbox.base_url()).and_then(|()| stdout.flush()).is_err() {
        tracing::warn!("could not print the base url");
    }
    drop(stdout);

    stop.await;
    tracing::info!("shutting down");
    sandbox.shutdown().await;
    std::process::ExitCode::SUCCESS
}

/// SIGINT and SIGTERM, registered before the base URL is printed: a parent that signals the
/// process as soon as it has read the URL must find the handlers in place.
#[cfg(unix)]
fn stop_signals() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        match (interrupt, terminate) {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            }
            _ => {
                tracing::warn!("signal handlers unavailable; stop the process by killing it");
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(not(unix))]
fn stop_signals() -> impl std::future::Future<Output = ()> {
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
