#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod contract;
mod lint;

use std::fs;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};

pub use lint::{Finding, lint};

/// The first line of every generated file: what it is and the commands that rebuild it.
pub const BANNER: &str = "// @generated from openapi/trackingmore-v2.yaml by trackingmore-codegen: \
                          rebuilt on `cargo build`, reviewed copy refreshed by \
                          `cargo xtask codegen`. Do not edit.";

/// Hand-written types that replace the schemas of the same name in the generated code.
///
/// Status-like values are open sets in the real API (new statuses and substatuses appear
/// without notice), and typify only knows closed enums, so these three are written by hand
/// in the client crate with a variant that keeps any unknown string.
pub const REPLACEMENTS: &[(&str, &str)] = &[
    ("Status", "crate::model::Status"),
    ("Substatus", "crate::model::Substatus"),
    ("StatusChange", "crate::model::StatusChange"),
];

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document could not be read.
    #[error("cannot read the OpenAPI document: {path}")]
    Read {
        /// The path that was read.
        path: PathBuf,
        /// Why reading failed.
        #[source]
        source: std::io::Error,
    },
    /// The document is not valid YAML.
    #[error("the OpenAPI document is not valid YAML: {path}")]
    Yaml {
        /// The path that was read.
        path: PathBuf,
        /// Where the YAML is broken.
        #[source]
        source: serde_yaml::Error,
    },
    /// The YAML does not have the shape of an OpenAPI 3.0 document.
    #[error("the document does not have the shape of OpenAPI 3.0")]
    Shape(#[source] serde_json::Error),
    /// The document breaks one or more of the rules in [`lint`].
    #[error("the OpenAPI document breaks {} rule(s):\n{}", .0.len(), render_findings(.0))]
    Lint(Vec<Finding>),
    /// progenitor rejected the document.
    #[error("progenitor could not generate the client")]
    Generate(#[source] progenitor_impl::Error),
    /// progenitor produced tokens that are not a Rust file.
    #[error("the generated tokens do not parse as a Rust file")]
    Syntax(#[source] syn::Error),
}

fn render_findings(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  - {f}")).collect::<Vec<_>>().join("\n")
}

/// A loaded document: the typed model for the generator and the raw tree for the lints.
#[derive(Debug, Clone)]
pub struct Document {
    /// The typed model progenitor consumes.
    pub openapi: OpenAPI,
    /// The same document as an untyped tree, with every extension and example intact.
    pub raw: serde_json::Value,
}

/// Where the document lives in this repository.
pub fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/trackingmore-v2.yaml")
}

/// Reads and parses the document at `path`, without linting it.
pub fn load(path: &Path) -> Result<Document, Error> {
    let text =
        fs::read_to_string(path).map_err(|source| Error::Read { path: path.into(), source })?;
    parse(&text).map_err(|err| match err {
        Error::Yaml { source, .. } => Error::Yaml { path: path.into(), source },
        other => other,
    })
}

/// Parses a document from its YAML text, without linting it.
pub fn parse(text: &str) -> Result<Document, Error> {
    let raw: serde_json::Value = serde_yaml::from_str(text)
        .map_err(|source| Error::Yaml { path: PathBuf::from("<text>"), source })?;
    let openapi = serde_json::from_value(raw.clone()).map_err(Error::Shape)?;
    Ok(Document { openapi, raw })
}

/// The progenitor settings of this project, and why each one is chosen.
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        // Builders name every argument at the call site, and let the facade set only the
        // fields a caller gave.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The client crate must implement the hooks (API key, retries, limits, tracing);
        // forgetting to is a compile error rather than a silently unauthenticated client.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(crate::hooks::Inner))
        // Ordered maps keep the unknown fields of a response in a stable order.
        .with_map_type("::std::collections::BTreeMap");
    for (schema, rust_type) in REPLACEMENTS {
        settings.with_replacement(
            schema,
            rust_type,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Generates the formatted Rust source of the client, banner first.
pub fn generate(document: &Document) -> Result<String, Error> {
    let findings = lint(document);
    if !findings.is_empty() {
        return Err(Error::Lint(findings));
    }

    let tokens =
        Generator::new(&settings()).generate_tokens(&document.openapi).map_err(Error::Generate)?;
    let file = syn::parse2::<syn::File>(tokens).map_err(Error::Syntax)?;
    let body = prettyplease::unparse(&file);

    // progenitor's own spacing pass puts a blank line between items, which makes the
    // reviewed copy far easier to read in a diff.
    let body = progenitor_impl::space_out_items(body).map_err(Error::Generate)?;
    Ok(format!("{BANNER}\n\n{body}"))
}

/// Loads, lints and generates in one call: what the build script and the xtask use.
pub fn generate_file(path: &Path) -> Result<String, Error> {
    generate(&load(path)?)
}

/// The test file whose insta snapshot holds the reviewable copy of the generated client.
pub const SNAPSHOT_TEST: &str = "crates/trackingmore-codegen/tests/snapshot.rs";

/// The snapshot of `source` in insta's file format, exactly as insta would read it back.
///
/// `cargo xtask codegen` writes it directly, so refreshing the reviewable copy needs no test
/// run; the snapshot test compares the freshly generated source against it.
pub fn snapshot_file(source: &str) -> String {
    format!(
        "---\nsource: {SNAPSHOT_TEST}\ndescription: \"{SNAPSHOT_DESCRIPTION}\"\n\
         expression: source\n---\n{}\n",
        source.trim_end()
    )
}

/// The description insta shows beside the snapshot: how to refresh it.
pub const SNAPSHOT_DESCRIPTION: &str =
    "generated client; refresh with `cargo xtask codegen`, never by hand";
