//! `cargo xtask bench`: every benchmark of `crates/trackingmore-bench`, then
//! `docs/benchmarks.md` and `docs/benchmarks-throughput.svg`. Not part of CI, and `cargo
//! xtask test` never runs it.
//!
//! This module gets the machine ready and hands over to `trackingmore-bench run`, which
//! measures and writes the report:
//!
//! 1. wrk, from Debian's packages, when it is not installed (`apt-get install -y wrk`; the
//!    package lists are refreshed once if that fails).
//! 2. The release build of the bench binary, then of the criterion benches: one build at a
//!    time, in cargo's target dir (`CARGO_TARGET_DIR` when set), so other builds find the
//!    artefacts.
//! 3. A venv at `target/bench-venv` with requests, httpx and maturin; the Python package
//!    built in release by `maturin build` into `target/bench-wheels` and installed there.
//!    When any of that fails the suite still runs, and the Python rows say why they were
//!    not measured.

use std::ffi::OsStr;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::test::cargo;
use crate::venv::Venv;
use crate::{root, run};

/// Options of `cargo xtask bench`.
#[derive(Debug, Default)]
pub struct Options {
    /// Shorter points and smaller sizes.
    pub quick: bool,
    /// Only these parts of the suite (build, load, criterion, python, bulk, memory).
    pub only: Vec<String>,
    /// Skip the Python package, saying so in the report.
    pub no_python: bool,
}

pub fn run_all(options: Options) -> Result<(), String> {
    ensure_wrk()?;
    // Built one after the other; the paths come from cargo, so `CARGO_TARGET_DIR` is obeyed.
    let binary = built(&["build", "--release", "-p", "trackingmore-bench", "--bins"], "bin")?
        .into_iter()
        .find_map(|(name, exe)| (name == "trackingmore-bench").then_some(exe))
        .ok_or("cargo built no trackingmore-bench binary")?;
    let benches = built(&["bench", "-p", "trackingmore-bench", "--no-run"], "bench")?;

    let python = if options.no_python {
        Err("skipped (cargo xtask bench --no-python)".to_owned())
    } else {
        python_package()
    };

    let mut suite = Command::new(binary);
    suite.arg("run").arg("--root").arg(root()).env("CARGO", cargo());
    if options.quick {
        suite.arg("--quick");
    }
    for (name, exe) in &benches {
        suite.arg("--bench-exe").arg(format!("{name}={exe}"));
    }
    if !options.only.is_empty() {
        suite.arg("--only").arg(options.only.join(","));
    }
    match &python {
        Ok((python, wheel)) => {
            suite.arg("--python").arg(python).arg("--wheel").arg(wheel);
        }
        Err(reason) => {
            eprintln!("the Python rows will not be measured: {reason}");
            suite.arg("--no-python").arg(reason);
        }
    }
    run(&mut suite)
}

/// Runs `cargo <args>` and returns the name and executable of each target of `kind` it
/// built, read from cargo's JSON messages (`"target":{…"name":"facade"…},…"executable":"…"`).
fn built(args: &[&str], kind: &str) -> Result<Vec<(String, String)>, String> {
    let mut command = Command::new(cargo());
    command.args(args).arg("--message-format=json").current_dir(root()).stderr(Stdio::inherit());
    eprintln!("$ {}", crate::describe(&command));
    let output = command.output().map_err(|error| format!("cannot start cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo {} failed: {}", args.join(" "), output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |line: &str, after: &str, key: &str| -> Option<String> {
        let start = line.find(after)? + after.len();
        let rest = &line[start..];
        let value = &rest[rest.find(key)? + key.len()..];
        Some(value[..value.find('"')?].to_owned())
    };
    let kind = format!(r#""kind":["{kind}"]"#);
    Ok(text
        .lines()
        .filter(|line| line.contains(&kind))
        .filter_map(|line| {
            let name = field(line, r#""target":{"#, r#""name":""#)?;
            let exe = field(line, "", r#""executable":""#)?;
            Some((name, exe))
        })
        .collect())
}

/// Installs wrk from Debian's packages when it is missing.
fn ensure_wrk() -> Result<(), String> {
    let found = Command::new("wrk")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if found {
        return Ok(());
    }
    eprintln!("wrk is missing; installing it from Debian's packages");
    let install = || run(Command::new("apt-get").args(["install", "-y", "wrk"]));
    if install().is_err() {
        run(Command::new("apt-get").arg("update"))?;
        install()?;
    }
    Ok(())
}

/// The bench venv with the package built in release: its interpreter and the wheel.
fn python_package() -> Result<(PathBuf, PathBuf), String> {
    let root = root();
    let venv = Venv::prepare("bench-venv", &["requests", "httpx", "maturin>=1.16,<2"])?;
    let python = venv.python();

    let wheels = root.join("target/bench-wheels");
    if wheels.exists() {
        fs::remove_dir_all(&wheels)
            .map_err(|error| format!("cannot empty {}: {error}", wheels.display()))?;
    }
    run(venv
        .command()
        .args(["-m", "maturin", "build", "--release"])
        .args(["--manifest-path", "bindings/python/Cargo.toml", "--interpreter"])
        .arg(&python)
        .arg("--out")
        .arg(&wheels))
    .map_err(|error| format!("the package does not build: {error}"))?;
    let wheel = fs::read_dir(&wheels)
        .map_err(|error| format!("no wheel directory: {error}"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or("maturin wrote no wheel")?;
    venv.pip_install(&[
        OsStr::new("--force-reinstall"),
        OsStr::new("--no-deps"),
        wheel.as_os_str(),
    ])?;
    run(Command::new(&python).args(["-c", "import trackingmore_rs, requests, httpx"]))
        .map_err(|error| format!("the installed package does not import: {error}"))?;
    Ok((python, wheel))
}
