//! `cargo xtask codegen [--check]`: every file derived from the OpenAPI document.
//!
//! Today that is the insta snapshot of the generated client, the reviewable copy of code
//! that otherwise exists only in `target/`. The file is written here directly, in insta's
//! format, so that refreshing it needs no test run; the snapshot test then reads it.

use std::fs;
use std::path::PathBuf;

use similar::TextDiff;

use crate::root;

/// One derived file: where it lives and what it should contain.
struct Derived {
    path: PathBuf,
    contents: String,
}

pub fn run(check: bool) -> Result<(), String> {
    let derived = derive_all()?;
    let mut stale = Vec::new();

    for file in &derived {
        let current = fs::read_to_string(&file.path).unwrap_or_default().replace("\r\n", "\n");
        if current == file.contents {
            continue;
        }
        let shown = file.path.strip_prefix(root()).unwrap_or(&file.path).display().to_string();
        if check {
            let diff = TextDiff::from_lines(&current, &file.contents);
            eprint!("{}", diff.unified_diff().context_radius(3).header(&shown, "expected"));
            stale.push(shown);
        } else {
            if let Some(parent) = file.path.parent() {
                fs::create_dir_all(parent).map_err(|err| format!("cannot create {shown}: {err}"))?;
            }
            fs::write(&file.path, &file.contents)
                .map_err(|err| format!("cannot write {shown}: {err}"))?;
            eprintln!("wrote {shown}");
        }
    }

    if stale.is_empty() {
        if check {
            eprintln!("derived files are up to date ({} checked)", derived.len());
        }
        Ok(())
    } else {
        Err(format!("stale derived files: {}; run `cargo xtask codegen`", stale.join(", ")))
    }
}

fn derive_all() -> Result<Vec<Derived>, String> {
    let spec = trackingmore_codegen::spec_path();
    let source = trackingmore_codegen::generate_file(&spec).map_err(|err| render(&err))?;
    Ok(vec![Derived {
        path: root().join("crates/trackingmore-codegen/tests/snapshots/snapshot__generated_client.snap"),
        contents: trackingmore_codegen::snapshot_file(&source),
    }])
}

/// An error with its chain of causes, one per line.
fn render(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        text.push_str(&format!("\n  caused by: {inner}"));
        cause = inner.source();
    }
    text
}
