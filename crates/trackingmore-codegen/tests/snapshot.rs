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

#[test]
fn a_changed_description_changes_the_generated_code_and_the_snapshot() {
    let text = std::fs::read_to_string(spec_path()).expect("the document is readable");
    let original = trackingmore_codegen::parse(&text).expect("parses");
    let mut changed = original.clone();
    changed.raw["components"]["schemas"]["Carrier"]["properties"]["name"]["description"] =
        "A description nobody has written before.".into();
    changed.openapi = serde_json::from_value(changed.raw.clone()).expect("still OpenAPI");

    let before = trackingmore_codegen::generate(&original).expect("generates");
    let after = trackingmore_codegen::generate(&changed).expect("generates");
    assert!(after.contains("A description nobody has written before."));
    assert_ne!(
        trackingmore_codegen::snapshot_file(&before),
        trackingmore_codegen::snapshot_file(&after),
        "a stale snapshot must be detectable"
    );
}
