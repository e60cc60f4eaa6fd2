//! Disk kept in check during `cargo xtask test` on CI.
//!
//! A clean run builds the dependency tree three times: checked by clippy, compiled for the
//! tests, and compiled again with coverage instrumentation for the fuzzer. Left in place,
//! the three came to 4.1 GB in one clean run, and a CI machine may have less disk to spare.
//! On CI (`CI` set to anything but `false` or `0`) each step therefore removes what no
//! later step reads: the test executables once the Rust tests have passed (0.9 GB in that
//! run), and the instrumented build once the fuzzer has run (1.4 GB). The largest the
//! project then gets is the test build itself, about 2.3 GB. Elsewhere both stay, so that
//! the next run only rebuilds what changed.

use std::fs;
use std::path::Path;

use crate::root;

/// Whether this run is on CI, where disk is freed between steps.
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.trim(), "" | "false" | "0"))
}

/// Removes the test harnesses cargo left in `target/debug/deps`, on CI only.
///
/// A harness is an executable there with no other name: the binaries of the workspace
/// (the sandbox that schemathesis starts, for one) are also linked under `target/debug`,
/// so they have two names and stay.
pub fn drop_test_executables() -> Result<(), String> {
    if !on_ci() {
        return Ok(());
    }
    let deps = root().join("target/debug/deps");
    let mut freed = 0u64;
    let entries = fs::read_dir(&deps).map_err(|error| format!("{}: {error}", deps.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(metadata) = fs::symlink_metadata(&path) else { continue };
        if is_test_harness(&path, &metadata) {
            fs::remove_file(&path).map_err(|error| format!("{}: {error}", path.display()))?;
            freed += metadata.len();
        }
    }
    eprintln!("disk: removed the test executables ({} MB)", freed / 1_000_000);
    Ok(())
}

#[cfg(unix)]
fn is_test_harness(path: &Path, metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    metadata.is_file()
        && path.extension().is_none()
        && metadata.permissions().mode() & 0o111 != 0
        && metadata.nlink() == 1
}

#[cfg(not(unix))]
fn is_test_harness(_path: &Path, _metadata: &fs::Metadata) -> bool {
    false
}

/// Removes `fuzz/target` (the instrumented build and the inputs the run found), on CI
/// only; the checked-in seeds in `fuzz/corpus` stay.
pub fn drop_fuzz_build() -> Result<(), String> {
    if !on_ci() {
        return Ok(());
    }
    let build = root().join("fuzz/target");
    if build.exists() {
        fs::remove_dir_all(&build).map_err(|error| format!("{}: {error}", build.display()))?;
        eprintln!("disk: removed the fuzz build");
    }
    Ok(())
}
