//! `cargo xtask bench`: every benchmark of `crates/trackingmore-bench`, then
//! `docs/benchmarks.md` and `docs/benchmarks-throughput.svg`. Not part of CI, and `cargo
//! xtask test` never runs it.
//!
//! This module gets the machine ready and hands over to `trackingmore-bench run`, which
//! measures and writes the report:
//!
//! 1. wrk, from Debian's packages, when it is not installed (`apt-get install -y wrk`; the
//!    package lists are refreshed once if that fails).
//! 2. `cargo bench --no-run`, which builds the criterion benches and the bench binary
//!    together, in cargo's target dir (`CARGO_TARGET_DIR` when set); the paths are read from
//!    cargo's messages.
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
    // One build, in cargo's target dir (`CARGO_TARGET_DIR` when set): `cargo bench` also
    // builds the package's binary, and a separate release build of it made cargo compile
    // the library crates a second time and write the same file.
    let built = executables(&["bench", "-p", "trackingmore-bench", "--no-run"])?;
    let binary = built
        .iter()
        .find(|built| built.kind == "bin" && !built.harness && built.name == "trackingmore-bench")
        .ok_or("cargo built no trackingmore-bench binary")?;

    let python = if options.no_python {
        Err("skipped (cargo xtask bench --no-python)".to_owned())
    } else {
        python_package()
    };

    let mut suite = Command::new(&binary.path);
    suite.arg("run").arg("--root").arg(root()).env("CARGO", cargo());
    if options.quick {
        suite.arg("--quick");
    }
    for bench in built.iter().filter(|built| built.kind == "bench") {
        suite.arg("--bench-exe").arg(format!("{}={}", bench.name, bench.path));
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

/// An executable cargo built.
#[derive(Debug, PartialEq)]
struct Executable {
    /// The target's kind: `bin`, `bench`, …
    kind: String,
    name: String,
    path: String,
    /// Built as a test or bench harness (`cargo bench` makes one of each binary too).
    harness: bool,
}

/// Runs `cargo <args>` and returns the executables it built.
fn executables(args: &[&str]) -> Result<Vec<Executable>, String> {
    let mut command = Command::new(cargo());
    command.args(args).arg("--message-format=json").current_dir(root()).stderr(Stdio::inherit());
    eprintln!("$ {}", crate::describe(&command));
    let output = command.output().map_err(|error| format!("cannot start cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo {} failed: {}", args.join(" "), output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().filter_map(executable).collect())
}

/// The executable a line of cargo's JSON messages announces, if any.
fn executable(line: &str) -> Option<Executable> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    let path = message.get("executable")?.as_str()?.to_owned();
    let target = message.get("target")?;
    Some(Executable {
        kind: target.get("kind")?.get(0)?.as_str()?.to_owned(),
        name: target.get("name")?.as_str()?.to_owned(),
        path,
        harness: message.pointer("/profile/test")?.as_bool()?,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executables_are_read_from_cargo_messages() {
        let line = |kind: &str, name: &str, test: bool, executable: &str| {
            format!(
                r#"{{"reason":"compiler-artifact","target":{{"kind":["{kind}"],"name":"{name}","test":false}},"profile":{{"opt_level":"3","test":{test}}},"executable":{executable}}}"#
            )
        };
        let binary = line("bin", "trackingmore-bench", false, r#""/t/release/trackingmore-bench""#);
        assert_eq!(
            executable(&binary),
            Some(Executable {
                kind: "bin".to_owned(),
                name: "trackingmore-bench".to_owned(),
                path: "/t/release/trackingmore-bench".to_owned(),
                harness: false,
            })
        );
        let harness = line("bin", "trackingmore-bench", true, r#""/t/release/deps/tb-1""#);
        assert_eq!(executable(&harness).map(|built| built.harness), Some(true));
        assert_eq!(executable(&line("lib", "trackingmore", false, "null")), None);
        assert_eq!(executable(r#"{"reason":"build-finished","success":true}"#), None);
        assert_eq!(executable("Compiling trackingmore"), None);
    }
}
