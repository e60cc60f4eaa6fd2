//! Generates the client from `openapi/trackingmore-v2.yaml` into `OUT_DIR` on every build
//! where the document changed. All settings live in `trackingmore-codegen`, which the xtask
//! and the snapshot test share, so the three always produce the same bytes.

use std::path::PathBuf;
use std::{env, fs, process};

fn main() {
    let spec = trackingmore_codegen::spec_path();
    println!("cargo::rerun-if-changed={}", spec.display());

    let source = match trackingmore_codegen::generate_file(&spec) {
        Ok(source) => source,
        Err(err) => {
            // A build script that panics buries the message in a backtrace; print the
            // whole error chain and fail instead.
            let mut message = err.to_string();
            let mut cause = std::error::Error::source(&err);
            while let Some(inner) = cause {
                message.push_str(&format!("\n  caused by: {inner}"));
                cause = inner.source();
            }
            println!("cargo::error={}", message.replace('\n', " | "));
            process::exit(1);
        }
    };

    let out_dir =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts"));
    let target = out_dir.join("generated.rs");

    // Rewriting identical bytes would bump the file's mtime and recompile the crate for
    // nothing; compare first.
    if fs::read_to_string(&target).ok().as_deref() != Some(source.as_str()) {
        fs::write(&target, source).expect("OUT_DIR is writable");
    }
}
