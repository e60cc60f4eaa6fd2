//! The reliability suite's long runs, and the short runs `cargo xtask test` makes of them.
//!
//! - `cargo xtask fuzz [--minutes N] [--target NAME]`: installs cargo-fuzz into
//!   `target/tools` (once), builds the targets of `fuzz/` with coverage instrumentation and
//!   runs each for N minutes, starting from the checked-in seeds in `fuzz/corpus/<target>/`.
//!   New inputs go to `fuzz/target/corpus/<target>/`, crashes to `fuzz/artifacts/<target>/`.
//! - `cargo xtask schemathesis [--max-examples N] [--per-operation]`: property-based tests of
//!   every operation of `openapi/trackingmore-v2.yaml` against the sandbox binary, with
//!   schemathesis from a virtual environment in `target/schemathesis-venv` (versions pinned
//!   in `tests/schemathesis/requirements.txt`, checks in `tests/schemathesis/hooks.py`).
//!   `--per-operation` runs each operation on its own against a fresh sandbox and reports
//!   the cases each one generated.
//! - `cargo xtask soak [--seconds N]`: 64 concurrent clients against the release build of the
//!   sandbox, with latency percentiles and memory every few seconds (`tests/soak`).
//!
//! `short_runs` is what `cargo xtask test` adds after the Rust tests: a bounded schemathesis
//! run, then every fuzz target for [`SHORT_FUZZ_SECONDS`] from its seed corpus. The
//! instrumented build of `fuzz/` is the one part of the suite that cannot share the
//! workspace's target dir (every crate is compiled with coverage instrumentation), so it
//! is the longest step of a clean run; the timings are in `fuzz/README.md`. The other short
//! runs are ordinary test targets of `tests/`, run with the other Rust tests: the chaos and
//! crash tests at their smaller default sizes, and `fuzz_corpus`, which replays every seed
//! through the targets' code in the debug build, so a seed that fails says so quickly.
//!
//! cargo-fuzz's default sanitizer needs a nightly compiler; with `--sanitizer none` every
//! flag it passes is stable, so the builds run on the one stable toolchain as it is.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::test::cargo;
use crate::venv::Venv;
use crate::{describe, root, run};

/// The fuzz targets of `fuzz/Cargo.toml`.
pub const FUZZ_TARGETS: [&str; 3] = ["decode_answer", "webhook", "sandbox_request"];

/// The cargo-fuzz release `cargo xtask fuzz` installs.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Seconds of fuzzing per target in `cargo xtask test`.
const SHORT_FUZZ_SECONDS: u64 = 10;

/// Examples per operation in `cargo xtask test`.
const SHORT_SCHEMATHESIS_EXAMPLES: u32 = 25;

/// The seed of every schemathesis run, so that a failure can be replayed.
const SCHEMATHESIS_SEED: &str = "20260105";

static SKIP_SHORT_RUNS: AtomicBool = AtomicBool::new(false);

/// Makes [`short_runs`] a no-op (`cargo xtask test --no-reliability`).
pub fn skip_short_runs() {
    SKIP_SHORT_RUNS.store(true, Ordering::Relaxed);
}

/// The short runs of `cargo xtask test` that are not Rust tests: schemathesis and the
/// fuzzer, bounded.
pub fn short_runs() -> Result<(), String> {
    if SKIP_SHORT_RUNS.load(Ordering::Relaxed) {
        eprintln!("skipping the schemathesis and fuzz runs (--no-reliability)");
        return Ok(());
    }
    let started = Instant::now();
    schemathesis(SHORT_SCHEMATHESIS_EXAMPLES)?;
    eprintln!("reliability: schemathesis took {}s", started.elapsed().as_secs());
    let started = Instant::now();
    fuzz(SHORT_FUZZ_SECONDS, None)?;
    eprintln!("reliability: the short fuzz runs took {}s", started.elapsed().as_secs());
    Ok(())
}

/// `target/tools/bin/cargo-fuzz`, installed from crates.io when missing.
fn cargo_fuzz() -> Result<PathBuf, String> {
    let tools = root().join("target/tools");
    let binary = tools.join("bin").join(format!("cargo-fuzz{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        run(Command::new(cargo())
            .args(["install", "cargo-fuzz", "--locked", "--version", CARGO_FUZZ_VERSION])
            .arg("--root")
            .arg(&tools))?;
    }
    Ok(binary)
}

/// `cargo fuzz <verb> --sanitizer none <args>`, from the workspace root.
fn cargo_fuzz_command(binary: &Path, verb: &str, args: &[&str]) -> Command {
    let mut command = Command::new(binary);
    command.args(["fuzz", verb, "--sanitizer", "none"]).args(args).current_dir(root());
    command
}

/// Builds every fuzz target once, then runs `target` (or each) for `seconds`.
pub fn fuzz(seconds: u64, target: Option<&str>) -> Result<(), String> {
    let targets: Vec<&str> = match target {
        Some(name) if FUZZ_TARGETS.contains(&name) => vec![name],
        Some(name) => {
            let known = FUZZ_TARGETS.join(", ");
            return Err(format!("no such fuzz target (the targets are {known}): {name}"));
        }
        None => FUZZ_TARGETS.to_vec(),
    };
    let binary = cargo_fuzz()?;
    let started = Instant::now();
    run(&mut cargo_fuzz_command(&binary, "build", &[]))?;
    eprintln!("fuzz: instrumented build took {}s", started.elapsed().as_secs());

    let mut report = Vec::new();
    for target in targets {
        let executions = fuzz_one(&binary, target, seconds)?;
        report.push(format!("{target}: {executions} executions in {seconds}s, 0 crashes"));
    }
    for line in report {
        eprintln!("fuzz: {line}");
    }
    Ok(())
}

/// One target for `seconds`; returns how many inputs libFuzzer executed.
fn fuzz_one(binary: &Path, target: &str, seconds: u64) -> Result<u64, String> {
    let fuzz = root().join("fuzz");
    let work = fuzz.join("target/corpus").join(target);
    let artifacts = fuzz.join("artifacts").join(target);
    for folder in [&work, &artifacts] {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    let seeds = fuzz.join("corpus").join(target);
    let (work, seeds) = (work.to_string_lossy(), seeds.to_string_lossy());
    let max_time = format!("-max_total_time={seconds}");
    let prefix = format!("-artifact_prefix={}/", artifacts.to_string_lossy());

    // New inputs go to the first folder only, so the checked-in seeds stay as they are.
    let mut command =
        cargo_fuzz_command(binary, "run", &[target, &work, &seeds, "--", &max_time, &prefix]);
    command.args(["-timeout=20", "-rss_limit_mb=4096", "-print_final_stats=1"]);
    eprintln!("$ {}", describe(&command));
    let mut child = command
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start cargo fuzz: {error}"))?;

    // libFuzzer reports on stderr; pass it on and keep the final count.
    let mut executions = 0;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(count) = line.strip_prefix("stat::number_of_executed_units:") {
                executions = count.trim().parse().unwrap_or(0);
            }
            // Progress lines (`#1234\tNEW cov: …`) would drown everything else.
            let event = line.split_whitespace().nth(1).unwrap_or_default();
            if !matches!(event, "NEW" | "REDUCE") {
                eprintln!("{line}");
            }
        }
    }
    let status = child.wait().map_err(|error| format!("cargo fuzz did not finish: {error}"))?;
    if !status.success() {
        let inputs = artifacts.display();
        return Err(format!("fuzzing failed ({status}), the input is in {inputs}: {target}"));
    }
    Ok(executions)
}

/// The sandbox binary of the given cargo profile, built if needed.
fn sandbox_binary(release: bool) -> Result<PathBuf, String> {
    let mut build = Command::new(cargo());
    build.args(["build", "--package", "trackingmore-sandbox", "--bin", "trackingmore-sandbox"]);
    if release {
        build.arg("--release");
    }
    run(&mut build)?;
    let profile = if release { "release" } else { "debug" };
    let name = format!("trackingmore-sandbox{}", std::env::consts::EXE_SUFFIX);
    Ok(root().join("target").join(profile).join(name))
}

/// A sandbox process started by the xtask; killed when dropped.
struct SandboxProcess {
    child: Child,
    base_url: String,
}

impl SandboxProcess {
    /// Starts the binary on a free port and reads the base URL from its first line.
    fn start(binary: &Path, args: &[&str]) -> Result<SandboxProcess, String> {
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", binary.display()))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let base_url = line.trim().to_owned();
        if !base_url.starts_with("http://") {
            let _ = child.kill();
            return Err(format!("the sandbox printed no base url: {line:?}"));
        }
        Ok(SandboxProcess { child, base_url })
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// schemathesis against the sandbox binary, `max_examples` per operation.
pub fn schemathesis(max_examples: u32) -> Result<(), String> {
    let venv = schemathesis_venv()?;
    let sandbox = schemathesis_sandbox()?;
    let outcome = run(&mut schemathesis_command(&venv, &sandbox, max_examples, None));
    drop(sandbox);
    outcome
}

/// `cargo xtask schemathesis --per-operation`: one run per operation of the document, each
/// against a fresh sandbox, then the number of cases each generated.
pub fn schemathesis_per_operation(max_examples: u32) -> Result<(), String> {
    let venv = schemathesis_venv()?;
    let document = trackingmore_codegen::load(&trackingmore_codegen::spec_path())
        .map_err(|error| format!("the OpenAPI document cannot be read: {error}"))?;
    let mut ids = Vec::new();
    for item in document.raw["paths"].as_object().into_iter().flat_map(|paths| paths.values()) {
        for operation in item.as_object().into_iter().flat_map(|methods| methods.values()) {
            if let Some(id) = operation["operationId"].as_str() {
                ids.push(id.to_owned());
            }
        }
    }

    let mut rows = Vec::new();
    for id in &ids {
        let sandbox = schemathesis_sandbox()?;
        let mut command = schemathesis_command(&venv, &sandbox, max_examples, Some(id));
        eprintln!("$ {}", describe(&command));
        let output = command
            .current_dir(root())
            .output()
            .map_err(|error| format!("cannot start schemathesis: {error}"))?;
        drop(sandbox);
        let text = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            eprint!("{text}{}", String::from_utf8_lossy(&output.stderr));
            return Err(format!("schemathesis failed for {id}: {}", output.status));
        }
        // schemathesis ends with `Test cases:` and a line `N generated, N passed`.
        let cases = text
            .lines()
            .find(|line| line.contains(" generated"))
            .and_then(|line| line.split_whitespace().next())
            .and_then(|count| count.parse::<u64>().ok())
            .ok_or_else(|| format!("schemathesis printed no case count for {id}:\n{text}"))?;
        rows.push((id, cases));
    }
    let total: u64 = rows.iter().map(|(_, cases)| cases).sum();
    for (id, cases) in &rows {
        eprintln!("schemathesis: {id:<24} {cases:>7}");
    }
    eprintln!("schemathesis: {} operations, {total} cases, 0 failures", rows.len());
    Ok(())
}

/// `target/schemathesis-venv` with the pinned schemathesis.
fn schemathesis_venv() -> Result<Venv, String> {
    Venv::prepare("schemathesis-venv", &["-r", "tests/schemathesis/requirements.txt"])
}

/// The sandbox binary with rate limits off and a quota that does not run out: every
/// answer is about the request.
fn schemathesis_sandbox() -> Result<SandboxProcess, String> {
    let binary = sandbox_binary(false)?;
    SandboxProcess::start(
        &binary,
        &["--rate-limits", "off", "--api-key", SCHEMATHESIS_KEY, "--quota", "1000000000000"],
    )
}

const SCHEMATHESIS_KEY: &str = "schemathesis-key";

/// A schemathesis run against `sandbox`: every operation, or the one named `operation`.
fn schemathesis_command(
    venv: &Venv,
    sandbox: &SandboxProcess,
    max_examples: u32,
    operation: Option<&str>,
) -> Command {
    let examples = max_examples.to_string();
    let header = format!("Trackingmore-Api-Key: {SCHEMATHESIS_KEY}");
    let mut command = venv.command();
    command
        .args(["-m", "schemathesis.cli", "run", "openapi/trackingmore-v2.yaml"])
        .args(["--url", &sandbox.base_url, "--header", &header])
        .args(["--max-examples", &examples, "--seed", SCHEMATHESIS_SEED])
        .args(["--generation-database", "none"])
        .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance"])
        .args(["--checks", "response_headers_conformance,v2_envelope_conformance"])
        .args(["--exclude-checks", "response_schema_conformance"])
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", root().join("tests/schemathesis"));
    if let Some(operation) = operation {
        command.args(["--include-operation-id", operation]);
    }
    command
}

/// The soak test against the release build of the sandbox.
pub fn soak(seconds: u64) -> Result<(), String> {
    sandbox_binary(true)?;
    run(Command::new(cargo())
        .args(["test", "--release", "--package", "trackingmore-tests", "--test", "soak"])
        .env("SOAK_SECONDS", seconds.to_string()))
}
