//! `cargo xtask`: the project's chores, one command per check, the same locally and in CI.
//!
//! - `cargo xtask codegen` rewrites every file derived from the OpenAPI document;
//!   `cargo xtask codegen --check` fails, with a diff, when any of them is stale.
//! - `cargo xtask test` runs every test the project has, in the order CI runs them.
//! - `cargo xtask bench [--quick]` runs the benchmarks and writes `docs/benchmarks.md`
//!   (see `bench.rs`); it is not part of CI.
//! - `cargo xtask fuzz`, `cargo xtask schemathesis` and `cargo xtask soak` are the long runs
//!   of the reliability suite (see `reliability.rs`); `test` makes short ones.
//!
//! Why each dependency is here: `clap` parses the command line; `similar` prints the diff
//! of a stale file; `serde_json` reads cargo's JSON messages, which name the executables a
//! build made.

mod bench;
mod codegen;
mod disk;
mod reliability;
mod test;
mod venv;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Project chores for the TrackingMore v2 SDK")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Run every benchmark and write docs/benchmarks.md and its plot (not part of CI).
    Bench {
        /// Shorter points and smaller sizes: a fast look.
        #[arg(long)]
        quick: bool,
        /// Only these parts: build, load, criterion, python, bulk, memory.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Skip building the Python package; its rows say so.
        #[arg(long)]
        no_python: bool,
    },
    /// Rewrite every file derived from openapi/trackingmore-v2.yaml.
    Codegen {
        /// Change nothing; fail with a diff when a derived file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Run every test: Rust, the generated-code freshness check, then Python.
    Test {
        /// Skip the Python package's build and tests.
        #[arg(long)]
        no_python: bool,
        /// Skip the bounded schemathesis run (the chaos, crash and fuzz-corpus tests still run).
        #[arg(long)]
        no_reliability: bool,
    },
    /// Run the fuzz targets of fuzz/ from their seed corpus (cargo-fuzz, installed once).
    Fuzz {
        /// Minutes per target.
        #[arg(long, default_value_t = 10)]
        minutes: u64,
        /// One target instead of all: decode_answer, webhook or sandbox_request.
        #[arg(long)]
        target: Option<String>,
    },
    /// Property-based tests of every operation against the sandbox, with schemathesis.
    Schemathesis {
        /// Examples per operation.
        #[arg(long, default_value_t = 1000)]
        max_examples: u32,
        /// One run per operation, each against a fresh sandbox, with its case count.
        #[arg(long)]
        per_operation: bool,
    },
    /// 64 concurrent clients against the release build of the sandbox.
    Soak {
        /// How long to keep the load on.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Task::Bench { quick, only, no_python } => {
            bench::run_all(bench::Options { quick, only, no_python })
        }
        Task::Codegen { check } => codegen::run(check),
        Task::Test { no_python, no_reliability } => {
            if no_reliability {
                reliability::skip_short_runs();
            }
            test::run_all(no_python)
        }
        Task::Fuzz { minutes, target } => reliability::fuzz(minutes * 60, target.as_deref()),
        Task::Schemathesis { max_examples, per_operation } if per_operation => {
            reliability::schemathesis_per_operation(max_examples)
        }
        Task::Schemathesis { max_examples, .. } => reliability::schemathesis(max_examples),
        Task::Soak { seconds } => reliability::soak(seconds),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the xtask lives one level below it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").into()
}

/// Runs a command from the workspace root, echoing it first, and fails if it fails.
fn run(command: &mut Command) -> Result<(), String> {
    command.current_dir(root());
    eprintln!("$ {}", describe(command));
    let status =
        command.status().map_err(|err| format!("cannot start {}: {err}", describe(command)))?;
    if status.success() { Ok(()) } else { Err(format!("{} failed: {status}", describe(command))) }
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}
