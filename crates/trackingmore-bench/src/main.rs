//! `trackingmore-bench`: the processes `cargo xtask bench` starts (a seeded sandbox, a
//! fixed-body server, the load client, the bulk driver) and the suite that drives them and
//! writes `docs/benchmarks.md`.

mod build_share;
mod report;
mod suite;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use trackingmore_bench::{bulk, fixture, load};

#[derive(Debug, Parser)]
#[command(name = "trackingmore-bench", about = "Benchmarks of the TrackingMore v2 SDK")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a sandbox (rate limits off) holding seeded trackings; prints the base URL.
    Sandbox {
        /// How many trackings to seed straight into the store.
        #[arg(long, default_value_t = 0)]
        records: u64,
        /// The account's quota.
        #[arg(long, default_value_t = 10_000_000)]
        quota: u64,
    },
    /// Serve the bytes of one file for every request; prints the base URL.
    FixedServer {
        /// The body to answer with.
        #[arg(long)]
        body: PathBuf,
    },
    /// Load GET one tracking for a fixed time; prints a JSON report.
    Load {
        #[arg(long)]
        url: String,
        #[arg(long)]
        key: String,
        #[arg(long, default_value = fixture::CARRIER)]
        carrier: String,
        #[arg(long)]
        number: String,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
        /// Seconds measured.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Seconds run before the measurement starts.
        #[arg(long, default_value_t = 0.3)]
        warm_up: f64,
        #[arg(long, value_enum, default_value_t = LoadMode::Facade)]
        mode: LoadMode,
        /// Runtime threads: 1 is a current-thread runtime, like `wrk -t1`.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Create trackings through the batch helper; prints a JSON report.
    BulkCreate {
        #[arg(long)]
        url: String,
        #[arg(long)]
        key: String,
        #[arg(long, default_value_t = 100_000)]
        items: u64,
        /// Chunks in flight at once.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
    /// Run the whole suite and write the report.
    Run(suite::Options),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LoadMode {
    Facade,
    Plain,
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Sandbox { records, quota } => {
            multi_thread().and_then(|rt| rt.block_on(serve_sandbox(records, quota)))
        }
        Command::FixedServer { body } => {
            multi_thread().and_then(|rt| rt.block_on(serve_fixed(body)))
        }
        Command::Load {
            url,
            key,
            carrier,
            number,
            concurrency,
            seconds,
            warm_up,
            mode,
            threads,
        } => {
            let mode = match mode {
                LoadMode::Facade => load::Mode::Facade,
                LoadMode::Plain => load::Mode::Plain,
            };
            let target = load::Target { base_url: url, api_key: key, carrier, number };
            let run = load::run(
                mode,
                target,
                concurrency,
                Duration::from_secs_f64(warm_up),
                Duration::from_secs_f64(seconds),
            );
            runtime(threads).and_then(|rt| rt.block_on(run)).and_then(|report| print_json(&report))
        }
        Command::BulkCreate { url, key, items, concurrency } => multi_thread()
            .and_then(|rt| rt.block_on(bulk::run(&url, &key, items, concurrency)))
            .and_then(|report| print_json(&report)),
        Command::Run(options) => suite::run(options),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The runtime of the servers: tokio's default, one worker per core, as in the sandbox's
/// own binary.
fn multi_thread() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("no tokio runtime: {error}"))
}

fn runtime(threads: usize) -> Result<tokio::runtime::Runtime, String> {
    if threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build()
    }
    .map_err(|error| format!("no tokio runtime: {error}"))
}

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|error| error.to_string())?;
    println!("{text}");
    Ok(())
}

/// Prints the base URL as the first line, then serves until killed.
fn announce(base_url: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{base_url}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot print the base url: {error}"))
}

async fn serve_sandbox(records: u64, quota: u64) -> Result<(), String> {
    // The same logging as the `trackingmore-sandbox` binary, so the served process costs what
    // the shipped one does.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();

    let started = Instant::now();
    let sandbox = fixture::seeded_sandbox(records, quota)
        .await
        .map_err(|error| format!("the sandbox did not start: {error}"))?;
    eprintln!("seeded {records} trackings in {:.2} s", started.elapsed().as_secs_f64());
    announce(&sandbox.base_url())?;
    std::future::pending::<()>().await;
    Ok(())
}

async fn serve_fixed(body: PathBuf) -> Result<(), String> {
    let bytes =
        std::fs::read(&body).map_err(|error| format!("cannot read {}: {error}", body.display()))?;
    let bytes = bytes::Bytes::from(bytes);
    let app = axum::Router::new().fallback(move || {
        let bytes = bytes.clone();
        async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], bytes) }
    });
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|error| format!("cannot listen: {error}"))?;
    let addr = listener.local_addr().map_err(|error| format!("no local address: {error}"))?;
    announce(&format!("http://{addr}/v2"))?;
    axum::serve(listener, app).await.map_err(|error| format!("the server stopped: {error}"))
}
