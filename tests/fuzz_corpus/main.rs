//! The seed corpus of every fuzz target, replayed through the targets' own code as plain
//! tests, so that `cargo test` checks the fuzzers' properties on every seed without an
//! instrumented build; the fuzzer itself runs later in `cargo xtask test`, on that build
//! (see `fuzz/README.md`).
//!
//! The targets' code is `fuzz/src/lib.rs`, compiled here as a module: the fuzz workspace and
//! this test run the same functions.

use std::fs;
use std::path::Path;

#[path = "../../fuzz/src/lib.rs"]
mod targets;

fn replay(target: &str, run: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut inputs: Vec<_> = fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("a readable corpus entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{} holds no seeds", folder.display());
    for input in inputs {
        let data = fs::read(&input).expect("a readable seed");
        eprintln!("{target}: {}", input.display());
        run(&data);
    }
}

#[test]
fn decode_answer_seeds() {
    replay("decode_answer", targets::decode_answer);
}

#[test]
fn webhook_seeds() {
    replay("webhook", targets::webhook);
}

#[test]
fn sandbox_request_seeds() {
    replay("sandbox_request", targets::sandbox_requests);
}
