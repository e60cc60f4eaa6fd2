//! `cargo xtask codegen [--check]`: every file derived from the OpenAPI document.
//!
//! - the insta snapshot of the generated client, the reviewable copy of code that otherwise
//!   exists only in `target/`. The file is written here directly, in insta's format, so
//!   that refreshing it needs no test run; the snapshot test then reads it;
//! - the Python package's status enums, `trackingmore_rs/_enums.py`, from the
//!   `x-known-values` of the `Status` and `Substatus` schemas;
//! - the property blocks of the result classes in `trackingmore_rs/_native.pyi`, from the
//!   properties of their schemas. The rest of the stub is written by hand. stubtest (run by
//!   `cargo xtask test`) checks the stub against the compiled module, so a property added
//!   to the document makes this check fail first, and stubtest next until the binding
//!   reads it.

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
                fs::create_dir_all(parent)
                    .map_err(|err| format!("cannot create {shown}: {err}"))?;
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
    let document = trackingmore_codegen::load(&spec).map_err(|err| render(&err))?;
    let package = root().join(PYTHON_PACKAGE);
    let stub = package.join("_native.pyi");
    let current = fs::read_to_string(&stub)
        .map_err(|err| format!("cannot read {PYTHON_PACKAGE}/_native.pyi: {err}"))?;
    Ok(vec![
        Derived {
            path: root().join(
                "crates/trackingmore-codegen/tests/snapshots/snapshot__generated_client.snap",
            ),
            contents: trackingmore_codegen::snapshot_file(&source),
        },
        Derived { path: package.join("_enums.py"), contents: python_enums(&document)? },
        Derived { path: stub, contents: python_stub(&document, &current.replace("\r\n", "\n"))? },
    ])
}

/// Where the Python package's sources live.
const PYTHON_PACKAGE: &str = "bindings/python/python/trackingmore_rs";

/// The result classes of the Python stub and the schema each one mirrors.
const STUB_CLASSES: &[(&str, &str)] = &[
    ("Tracking", "Tracking"),
    ("CarrierInfo", "CarrierInfo"),
    ("Checkpoint", "Checkpoint"),
    ("CreatedTracking", "CreatedTracking"),
    ("UpdatedTracking", "UpdatedTracking"),
    ("Carrier", "Carrier"),
    ("DetectedCarrier", "DetectedCarrier"),
    ("UserInfo", "UserInfo"),
    ("StatusCounts", "StatusCounts"),
];

const ENUMS_HEAD: &str = r#"# @generated from openapi/trackingmore-v2.yaml by `cargo xtask codegen`. Do not edit.
"""The status values of the v2 API, as `str`-based enums.

Both sets are open: the API may send values this version does not know, and the client keeps
those as plain ``str``. Compare with ``==`` (members are strings), and treat a value that is
not a member as a status this version has not heard of yet.
"""

from __future__ import annotations

import enum

__all__ = ["Status", "StatusChange", "Substatus"]
"#;

const STATUS_CHANGE: &str = r#"

class StatusChange(str, enum.Enum):
    """A status to force with ``update(status=...)``; sent as the number in brackets."""

    DELIVERED = "delivered"
    """Mark the tracking delivered (4)."""
    EXCEPTION = "exception"
    """Mark the tracking as an exception (7)."""
    REVERT = "revert"
    """Drop a forced status; the one computed from checkpoints applies again (8)."""

    def __str__(self) -> str:
        return self.value
"#;

/// `trackingmore_rs/_enums.py`: one `str`-based enum per open status set of the document.
fn python_enums(document: &trackingmore_codegen::Document) -> Result<String, String> {
    let schemas = &document.raw["components"]["schemas"];
    let mut out = String::from(ENUMS_HEAD);
    for (class, summary) in [
        ("Status", "The package status of a tracking or of one checkpoint."),
        ("Substatus", "The finer status code of a tracking or checkpoint (``transit002``)."),
    ] {
        let schema = &schemas[class];
        let values = schema["x-known-values"]
            .as_array()
            .ok_or_else(|| format!("schema {class} has no x-known-values list"))?;
        // The "- `value`: meaning" lines of the description document single values.
        let description = schema["description"].as_str().unwrap_or_default();
        out.push_str(&format!("\n\nclass {class}(str, enum.Enum):\n    \"\"\"{summary}\"\"\"\n\n"));
        for value in values {
            let value =
                value.as_str().ok_or_else(|| format!("a value of {class} is not a string"))?;
            out.push_str(&format!("    {} = \"{value}\"\n", value.to_ascii_uppercase()));
            let prefix = format!("- `{value}`: ");
            let meaning =
                description.lines().find_map(|line| line.trim().strip_prefix(prefix.as_str()));
            if let Some(meaning) = meaning {
                let meaning = capitalise(meaning.trim().trim_end_matches('.'));
                out.push_str(&format!("    \"\"\"{meaning}.\"\"\"\n"));
            }
        }
        out.push_str("\n    def __str__(self) -> str:\n        return self.value\n");
    }

    // StatusChange is a closed set of numbers in the document; the names are ours.
    let codes: Option<Vec<i64>> = schemas["StatusChange"]["oneOf"][0]["enum"]
        .as_array()
        .map(|codes| codes.iter().filter_map(|code| code.as_i64()).collect());
    if codes != Some(vec![4, 7, 8]) {
        return Err("StatusChange is no longer 4, 7 and 8: update python_enums in xtask".into());
    }
    out.push_str(STATUS_CHANGE);
    Ok(out)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The stub with every `@generated begin <Class>` … `@generated end <Class>` block
/// rewritten from the class's schema.
fn python_stub(document: &trackingmore_codegen::Document, current: &str) -> Result<String, String> {
    let mut out = current.to_owned();
    for (class, schema) in STUB_CLASSES {
        let begin = format!("    # @generated begin {class} from {schema}\n");
        let end = format!("    # @generated end {class}\n");
        let start = out.find(&begin).ok_or_else(|| {
            format!("{PYTHON_PACKAGE}/_native.pyi has no `{}` line", begin.trim())
        })? + begin.len();
        let length = out[start..]
            .find(&end)
            .ok_or_else(|| format!("`{}` has no matching end line", begin.trim()))?;
        out.replace_range(start..start + length, &stub_attributes(document, schema)?);
    }
    Ok(out)
}

/// One read-only property per schema property, in the order of the Python names.
fn stub_attributes(
    document: &trackingmore_codegen::Document,
    schema: &str,
) -> Result<String, String> {
    let raw = &document.raw;
    let node = &raw["components"]["schemas"][schema];
    let properties = node["properties"]
        .as_object()
        .ok_or_else(|| format!("schema {schema} has no properties"))?;

    let mut attributes = Vec::new();
    for (wire, property) in properties {
        let last = |reference: Option<&str>| {
            reference.and_then(|r| r.rsplit('/').next()).unwrap_or_default().to_owned()
        };
        let reference = last(property["$ref"].as_str());
        let items = last(property["items"]["$ref"].as_str());

        // A `$ref` with a sibling description documents itself; otherwise the target does.
        let target =
            property["$ref"].as_str().and_then(|r| trackingmore_codegen::contract::resolve(raw, r));
        let description = property["description"]
            .as_str()
            .or_else(|| target.and_then(|target| target["description"].as_str()))
            .unwrap_or_default();

        let python = match (reference.as_str(), property["type"].as_str(), items.as_str()) {
            ("Status", ..) => "Status | str | None".to_owned(),
            ("Substatus", ..) => "Substatus | str | None".to_owned(),
            ("IntegerOrString", ..) => "int | str | None".to_owned(),
            ("StringOrStringArray", ..) => "str | list[str] | None".to_owned(),
            ("BooleanOrString", ..) => "bool | str | None".to_owned(),
            ("", Some("string"), _) => "str | None".to_owned(),
            ("", Some("integer"), _) => "int | None".to_owned(),
            ("", Some("number"), _) => "float | None".to_owned(),
            ("", Some("boolean"), _) => "bool | None".to_owned(),
            ("", Some("array"), "") => match property["items"]["type"].as_str() {
                Some("string") => "list[str] | None".to_owned(),
                _ => "list[Any] | None".to_owned(),
            },
            ("", Some("array"), class) => format!("list[{class}] | None"),
            ("", ..) => "Any".to_owned(),
            (class, ..) => format!("{class} | None"),
        };
        attributes.push((snake_case(wire), python, first_paragraph(description)));
    }
    if node.get("additionalProperties").is_some_and(|extra| extra != false) {
        let doc = "Properties this version does not know, as the API sent them.".to_owned();
        attributes.push(("extra".to_owned(), "dict[str, Any]".to_owned(), doc));
    }
    attributes.sort();

    let mut out = String::new();
    for (name, python, doc) in attributes {
        out.push_str(&format!("    @property\n    def {name}(self) -> {python}:\n"));
        let doc = if doc.is_empty() { format!("The ``{name}`` property.") } else { doc };
        out.push_str(&docstring(&doc));
    }
    Ok(out)
}

/// typify's field names: `lastEvent` is `last_event`, `ArrivalfromAbroad` is
/// `arrivalfrom_abroad`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let boundary = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if c.is_ascii_uppercase() && boundary {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        previous = Some(c);
    }
    out
}

/// The first paragraph of a description, on one line.
fn first_paragraph(text: &str) -> String {
    let paragraph = text.trim().split("\n\n").next().unwrap_or_default();
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ").replace("\"\"\"", "'''")
}

/// A docstring indented for a method body, wrapped to stay within 100 columns.
fn docstring(text: &str) -> String {
    const INDENT: &str = "        ";
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("there is always a line");
        if !line.is_empty() && INDENT.len() + 3 + line.len() + 1 + word.len() > 96 {
            lines.push(word.to_owned());
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if let [only] = lines.as_slice() {
        return format!("{INDENT}\"\"\"{only}\"\"\"\n");
    }
    let mut out = format!("{INDENT}\"\"\"{}\n", lines[0]);
    for line in &lines[1..] {
        out.push_str(&format!("{INDENT}{line}\n"));
    }
    out.push_str(&format!("{INDENT}\"\"\"\n"));
    out
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
