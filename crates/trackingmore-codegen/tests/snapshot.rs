//! Pins the generated client: the snapshot is the reviewable copy of generated code in git.
//!
//! A change to the OpenAPI document shows up in review as a diff of the snapshot. When this
//! test fails, read the diff, then run `cargo xtask codegen` to accept it.

use trackingmore_codegen::{SNAPSHOT_DESCRIPTION, generate_file, spec_path};

#[test]
fn generated_client() {
    let source = generate_file(&spec_path()).expect("the document generates");
    insta::with_settings!({ description => SNAPSHOT_DESCRIPTION, omit_expression => false }, {
        insta::assert_snapshot!("generated_client", source);
    });
}

#[test]
fn generation_is_byte_for_byte_deterministic() {
    let first = generate_file(&spec_path()).expect("the document generates");
    let second = generate_file(&spec_path()).expect("the document generates");
    assert!(first == second, "two runs of the generator gave different bytes");
}

#[test]
fn first_line_names_the_commands_that_rebuild_it() {
    let source = generate_file(&spec_path()).expect("the document generates");
    let first = source.lines().next().expect("the source is not empty");
    assert!(first.contains("cargo xtask codegen") && first.contains("cargo build"), "{first}");
}
