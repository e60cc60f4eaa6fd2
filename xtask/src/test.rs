//! `cargo xtask test`: every test the project has, in the order CI runs them.
//!
//! First the generated-code freshness check (cheap, and a stale snapshot would fail the
//! snapshot test anyway, with a less helpful message), then every Rust test of the
//! workspace and its doc tests, the API docs with rustdoc's warnings as errors (a broken
//! intra-doc link is a defect users meet on docs.rs), then the Python package in its own
//! virtual environment.
//!
//! The Python step needs only a `python3` (3.10 or later) on the PATH: it creates
//! `target/python-venv` when missing and reuses it otherwise, installs the pinned tools of
//! `bindings/python/requirements-test.txt`, builds the package into the venv with
//! `maturin develop` (dev profile, the workspace's target dir, so the crates `cargo test`
//! built are reused), then runs pytest, mypy --strict on the typing file, and stubtest.
//!
//! On CI, each step removes the builds no later step reads (see `disk.rs`).

use std::process::Command;

use crate::venv::Venv;
use crate::{codegen, disk, run};

pub fn run_all(no_python: bool) -> Result<(), String> {
    codegen::run(true)?;
    run(Command::new(cargo()).args(["test", "--workspace", "--all-targets"]))?;
    disk::drop_test_executables()?;
    run(Command::new(cargo()).args(["test", "--workspace", "--doc"]))?;
    run(Command::new(cargo())
        .args(["doc", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    crate::reliability::short_runs()?;
    disk::drop_fuzz_build()?;

    if no_python {
        eprintln!("skipping the Python package (--no-python)");
        return Ok(());
    }
    python()
}

/// The cargo that runs this xtask, so a toolchain chosen by rustup applies to the children.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The Python package: venv, tools, build, pytest, mypy, stubtest.
fn python() -> Result<(), String> {
    let package = "bindings/python";
    eprintln!("python: prepare the virtual environment");
    let venv = Venv::prepare("python-venv", &["-r", "bindings/python/requirements-test.txt"])
        .map_err(|error| {
            format!("python step `prepare the virtual environment` failed: {error}")
        })?;
    step(
        "build the package (maturin develop)",
        venv.command()
            .args(["-m", "maturin", "develop", "--manifest-path"])
            .arg("bindings/python/Cargo.toml"),
    )?;

    let config = format!("{package}/pyproject.toml");
    step("pytest", venv.command().args(["-m", "pytest", "-c", &config, "--rootdir", package]))?;
    step(
        "mypy --strict on the typing file",
        venv.command().args([
            "-m",
            "mypy",
            "--config-file",
            &config,
            "--strict",
            "bindings/python/tests/typing_check.py",
        ]),
    )?;
    step(
        "stubtest",
        venv.command().args([
            "-m",
            "mypy.stubtest",
            "trackingmore_rs._native",
            "--mypy-config-file",
            &config,
            "--allowlist",
            "bindings/python/stubtest-allowlist.txt",
        ]),
    )
}

/// Runs one step of the Python tests, naming the step when it fails.
fn step(name: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("python: {name}");
    run(command).map_err(|error| format!("python step `{name}` failed: {error}"))
}
