//! How much of a clean `cargo build -p trackingmore` goes to generating the client: the
//! build script of `trackingmore` and every crate that only the build script needs.
//!
//! The build runs in a throwaway target dir with `--timings`; cargo embeds every unit's
//! start and duration in the HTML report as `const UNIT_DATA = [...]`. A crate counts as
//! build-side when it is in the tree of `trackingmore-codegen` (normal and build edges) but
//! not in the normal tree of `trackingmore`; crates in both (serde, serde_json, …) are
//! counted on the library side, since the library needs them anyway.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::suite::{Measured, cargo, output, run_logged};

/// The split of one clean build.
#[derive(Debug, Serialize)]
pub struct BuildShare {
    /// Seconds from start to finish.
    pub wall: f64,
    /// Seconds of every unit, added up.
    pub unit_total: f64,
    /// Seconds of the build-side units, added up.
    pub build_side: f64,
    /// Seconds during which at least one build-side unit was running.
    pub build_side_wall: f64,
    /// The five longest build-side units: name and seconds.
    pub largest: Vec<(String, f64)>,
    /// The longest unit of the whole build.
    pub longest: (String, f64),
}

#[derive(Debug, Deserialize)]
struct Unit {
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    target: String,
    start: f64,
    duration: f64,
}

pub fn measure(root: &Path, target_dir: &Path) -> Measured<BuildShare> {
    if target_dir.exists() {
        fs::remove_dir_all(target_dir)
            .map_err(|error| format!("cannot empty {}: {error}", target_dir.display()))?;
    }
    let started = Instant::now();
    run_logged(
        Command::new(cargo())
            .args(["build", "-p", "trackingmore", "--timings"])
            .env("CARGO_TARGET_DIR", target_dir)
            .current_dir(root),
        &root.join("target/bench/build.log"),
    )?;
    let measured_wall = started.elapsed().as_secs_f64();

    let html = fs::read_to_string(target_dir.join("cargo-timings/cargo-timing.html"))
        .map_err(|error| format!("no timings report: {error}"))?;
    let units = unit_data(&html)?;
    let build_only = &tree(root, "trackingmore-codegen", "normal,build")?
        - &tree(root, "trackingmore", "normal")?;
    Ok(split(&units, &build_only, measured_wall))
}

/// The `UNIT_DATA` array of a timings report.
fn unit_data(html: &str) -> Measured<Vec<Unit>> {
    let start = html.find("const UNIT_DATA = ").ok_or("no UNIT_DATA in the timings report")?;
    let rest = &html[start + "const UNIT_DATA = ".len()..];
    let end = rest.find(";\n").ok_or("UNIT_DATA does not end")?;
    serde_json::from_str(&rest[..end]).map_err(|error| format!("unreadable UNIT_DATA: {error}"))
}

/// Crate names in the tree of `package` along `edges`.
fn tree(root: &Path, package: &str, edges: &str) -> Measured<BTreeSet<String>> {
    let text = output(
        Command::new(cargo())
            .args(["tree", "-p", package, "-e", edges, "--prefix", "none"])
            .current_dir(root),
    )?;
    Ok(text
        .lines()
        .filter(|line| !line.starts_with('['))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect())
}

fn split(units: &[Unit], build_only: &BTreeSet<String>, measured_wall: f64) -> BuildShare {
    let build_side = |unit: &Unit| {
        build_only.contains(&unit.name)
            || (unit.name == "trackingmore"
                && (unit.mode == "run-custom-build" || unit.target.contains("build-script")))
    };
    // The report's own clock; the process's wall time only when the report has no units.
    let wall = units.iter().map(|unit| unit.start + unit.duration).fold(0.0, f64::max);
    let wall = if wall > 0.0 { wall } else { measured_wall };

    let mut side: Vec<&Unit> = units.iter().filter(|unit| build_side(unit)).collect();
    side.sort_by(|a, b| b.duration.total_cmp(&a.duration));
    let largest = side.iter().take(5).map(|unit| (label(unit), unit.duration)).collect();

    // The union of the build-side units' intervals.
    let mut intervals: Vec<(f64, f64)> =
        side.iter().map(|unit| (unit.start, unit.start + unit.duration)).collect();
    intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut covered = 0.0;
    let mut current: Option<(f64, f64)> = None;
    for (start, end) in intervals {
        current = match current {
            Some((from, to)) if start <= to => Some((from, to.max(end))),
            Some((from, to)) => {
                covered += to - from;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((from, to)) = current {
        covered += to - from;
    }

    let longest = units
        .iter()
        .max_by(|a, b| a.duration.total_cmp(&b.duration))
        .map(|unit| (label(unit), unit.duration))
        .unwrap_or_default();
    BuildShare {
        wall,
        unit_total: units.iter().map(|unit| unit.duration).sum(),
        build_side: side.iter().map(|unit| unit.duration).sum(),
        build_side_wall: covered,
        largest,
        longest,
    }
}

fn label(unit: &Unit) -> String {
    let target = unit.target.trim();
    if unit.mode == "run-custom-build" {
        format!("{} (build script run)", unit.name)
    } else if target.is_empty() {
        unit.name.clone()
    } else {
        format!("{} ({target})", unit.name)
    }
}
