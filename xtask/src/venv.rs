//! The Python virtual environments the tasks run in, each a folder under `target/`, made
//! with `$PYTHON` (default `python3`) the first time and topped up with pip every time.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// A virtual environment under `target/`.
pub struct Venv {
    path: PathBuf,
}

impl Venv {
    /// `target/<name>`, created when missing, with `packages` (pip arguments) installed.
    pub fn prepare(name: &str, packages: &[&str]) -> Result<Venv, String> {
        let venv = Venv { path: root().join("target").join(name) };
        if !venv.python().exists() {
            let interpreter = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
            run(Command::new(interpreter).args(["-m", "venv"]).arg(&venv.path))?;
        }
        venv.pip_install(packages)?;
        Ok(venv)
    }

    /// The venv's interpreter.
    pub fn python(&self) -> PathBuf {
        let relative = if cfg!(windows) { "Scripts/python.exe" } else { "bin/python" };
        self.path.join(relative)
    }

    /// `pip install` of `args` into the venv, quietly.
    pub fn pip_install<A: AsRef<OsStr>>(&self, args: &[A]) -> Result<(), String> {
        run(self
            .command()
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .args(args))
    }

    /// The interpreter, run as if the venv were activated, so that tools it starts (maturin
    /// calling cargo, pytest calling the package) find the venv too.
    pub fn command(&self) -> Command {
        let python = self.python();
        let bin = python.parent().map(Path::to_path_buf).unwrap_or_default();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![bin];
        paths.extend(std::env::split_paths(&path));
        let joined = std::env::join_paths(paths).unwrap_or(path);
        let mut command = Command::new(python);
        command.env("VIRTUAL_ENV", &self.path).env("PATH", joined).env_remove("PYTHONHOME");
        command
    }
}
