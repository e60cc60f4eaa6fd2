//! The client generated from `openapi/trackingmore-v2.yaml` at build time.
//!
//! `build.rs` writes the code into `OUT_DIR`; the reviewable copy is the insta snapshot in
//! `crates/trackingmore-codegen/tests/snapshots/`. Nobody edits generated code: change the
//! document, then run `cargo xtask codegen` to refresh the snapshot.

// The generated code is documented from the document's descriptions, but not every item
// can carry one (builder internals, serde helpers), and its style is progenitor's.
#![allow(
    missing_docs,
    missing_debug_implementations,
    unused_imports,
    clippy::all,
    clippy::pedantic
)]

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
