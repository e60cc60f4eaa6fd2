//! `cargo xtask test`: every test the project has, in the order CI runs them.
//!
//! First the generated-code freshness check (cheap, and a stale snapshot would fail the
//! snapshot test anyway, with a less helpful message), then every Rust test of the
//! workspace, then the Python package in its own virtual environment.

use std::process::Command;

use crate::{codegen, run};

pub fn run_all(no_python: bool) -> Result<(), String> {
    codegen::run(true)?;
    run(Command::new(cargo()).args(["test", "--workspace", "--all-targets"]))?;
    run(Command::new(cargo()).args(["test", "--workspace", "--doc"]))?;

    if no_python {
        eprintln!("skipping the Python package (--no-python)");
    }
    Ok(())
}

/// The cargo that runs this xtask, so a toolchain chosen by rustup applies to the children.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
