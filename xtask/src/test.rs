//! `cargo xtask test`: every test the project has, in the order CI runs them.
//!
//! First the generated-code freshness check (cheap, and a stale snapshot would fail the
//! snapshot test anyway, with a less helpful message), then every Rust test of the
//! workspace, then the Python package in its own virtual environment.
//!
//! The Python step needs only a `python3` (3.10 or later) on the PATH: it creates
//! `target/python-venv` when missing and reuses it otherwise, installs the pinned tools of
//! `bindings/python/requirements-test.txt`, builds the package into the venv with
//! `maturin develop` (dev profile, the workspace's target dir, so the crates `cargo test`
//! built are reused), then runs pytest, mypy --strict on the typing file, and stubtest.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{codegen, root, run};

pub fn run_all(no_python: bool) -> Result<(), String> {
    codegen::run(true)?;
    run(Command::new(cargo()).args(["test", "--workspace", "--all-targets"]))?;
    run(Command::new(cargo()).args(["test", "--workspace", "--doc"]))?;
    crate::reliability::short_runs()?;

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
    let venv = root().join("target/python-venv");
    let python = venv_python(&venv);
    let package = "bindings/python";

    if !python.exists() {
        let interpreter = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        step(
            "create the virtual environment",
            Command::new(interpreter).args(["-m", "venv"]).arg(&venv),
        )?;
    }
    step(
        "install the test tools",
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            "bindings/python/requirements-test.txt",
        ]),
    )?;
    step(
        "build the package (maturin develop)",
        in_venv(
            &venv,
            Command::new(&python).args([
                "-m",
                "maturin",
                "develop",
                "--manifest-path",
                "bindings/python/Cargo.toml",
            ]),
        ),
    )?;

    let config = format!("{package}/pyproject.toml");
    step(
        "pytest",
        in_venv(
            &venv,
            Command::new(&python).args(["-m", "pytest", "-c", &config, "--rootdir", package]),
        ),
    )?;
    step(
        "mypy --strict on the typing file",
        in_venv(
            &venv,
            Command::new(&python).args([
                "-m",
                "mypy",
                "--config-file",
                &config,
                "--strict",
                "bindings/python/tests/typing_check.py",
            ]),
        ),
    )?;
    step(
        "stubtest",
        in_venv(
            &venv,
            Command::new(&python).args([
                "-m",
                "mypy.stubtest",
                "trackingmore_rs._native",
                "--mypy-config-file",
                &config,
                "--allowlist",
                "bindings/python/stubtest-allowlist.txt",
            ]),
        ),
    )
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) { venv.join("Scripts/python.exe") } else { venv.join("bin/python") }
}

/// The command as if the venv were activated.
fn in_venv<'c>(venv: &Path, command: &'c mut Command) -> &'c mut Command {
    let bin = venv_python(venv).parent().map(Path::to_path_buf).unwrap_or_default();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&path));
    let joined = std::env::join_paths(paths).unwrap_or(path);
    command.env("VIRTUAL_ENV", venv).env("PATH", joined).env_remove("PYTHONHOME")
}

/// Runs one step of the Python tests, naming the step when it fails.
fn step(name: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("python: {name}");
    run(command).map_err(|error| format!("python step `{name}` failed: {error}"))
}
