//! Rules the OpenAPI document must follow, checked before anything is generated.
//!
//! Some rules come from progenitor (it panics on two success schemas for one operation, and
//! handles `anyOf`/`allOf` poorly); the others come from the real v2 API, which mixes date
//! formats and adds status values without notice, so a strict schema would break clients the
//! day the service changes. Each finding names the place in the document and the rule.

use std::fmt;

use serde_json::Value;

use crate::Document;

/// One broken rule at one place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A JSON-pointer-like location, e.g. `/paths/~1carriers/get`.
    pub at: String,
    /// What is wrong there.
    pub rule: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.rule)
    }
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/// Checks the document and returns every finding (empty when it is clean).
pub fn lint(document: &Document) -> Vec<Finding> {
    let mut findings = Vec::new();
    let raw = &document.raw;

    if !document.openapi.openapi.starts_with("3.0.") {
        findings.push(finding("/openapi", "progenitor accepts OpenAPI 3.0.x only"));
    }

    let declared_tags: Vec<&str> = raw["tags"]
        .as_array()
        .map(|tags| tags.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    let mut operation_ids = Vec::new();

    for (path, item) in raw["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = format!("/paths/{}/{method}", escape(path));
            lint_operation(&at, operation, &declared_tags, &mut operation_ids, &mut findings);
        }
    }

    if let Some(schemas) = raw["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            lint_schema(&format!("/components/schemas/{name}"), schema, &mut findings);
        }
    }
    findings
}

fn lint_operation(
    at: &str,
    operation: &Value,
    declared_tags: &[&str],
    operation_ids: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) {
    match operation["operationId"].as_str() {
        None => findings.push(finding(at, "operation has no operationId")),
        Some(id) if operation_ids.iter().any(|seen| seen == id) => {
            findings.push(finding(at, &format!("operationId is used twice: {id}")));
        }
        Some(id) => operation_ids.push(id.to_owned()),
    }
    for key in ["summary", "description"] {
        if operation[key].as_str().is_none_or(|text| text.trim().is_empty()) {
            findings.push(finding(at, &format!("operation has no {key}")));
        }
    }

    match operation["tags"].as_array().map(Vec::as_slice) {
        Some([tag]) if tag.as_str().is_some_and(|t| declared_tags.contains(&t)) => {}
        Some([tag]) => findings.push(finding(at, &format!("tag is not declared: {tag}"))),
        _ => findings.push(finding(at, "operation must have exactly one tag")),
    }

    // progenitor panics when one operation has two success schemas, and an HTML 502 from a
    // proxy must stay an untyped response (with its status) rather than fail to decode as a
    // declared 5XX body.
    let responses = operation["responses"].as_object();
    let codes: Vec<&str> = responses.into_iter().flatten().map(|(code, _)| code.as_str()).collect();
    let successes = codes.iter().filter(|code| code.starts_with('2')).count();
    if successes != 1 || !codes.contains(&"200") {
        findings.push(finding(at, "operation must declare exactly one success response: 200"));
    }
    for code in codes.iter().filter(|code| code.starts_with('5') || **code == "default") {
        findings.push(finding(at, &format!("server errors must stay undeclared: {code}")));
    }
}

fn lint_schema(at: &str, schema: &Value, findings: &mut Vec<Finding>) {
    let Some(object) = schema.as_object() else { return };

    for keyword in ["anyOf", "allOf"] {
        if object.contains_key(keyword) {
            findings.push(finding(at, &format!("typify models {keyword} poorly; use oneOf")));
        }
    }
    // The API sends `2019-08-20T14:56:55+08:00` and `2019-08-20 14:56` side by side; a
    // date-time format would make chrono reject one of them and fail the whole response.
    if object.get("format").and_then(Value::as_str) == Some("date-time") {
        findings.push(finding(at, "dates stay plain strings: the API mixes formats"));
    }
    if object.get("additionalProperties") == Some(&Value::Bool(false)) {
        findings.push(finding(at, "additionalProperties: false breaks on new fields"));
    }

    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let here = format!("{at}/properties/{name}");
            let described = property.get("description").and_then(Value::as_str);
            let is_ref = property.get("$ref").is_some();
            if !is_ref && described.is_none_or(|text| text.trim().is_empty()) {
                findings.push(finding(&here, "property has no description"));
            }
            lint_schema(&here, property, findings);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = object.get(key) {
            lint_schema(&format!("{at}/{key}"), inner, findings);
        }
    }
    if let Some(variants) = object.get("oneOf").and_then(Value::as_array) {
        for (index, variant) in variants.iter().enumerate() {
            lint_schema(&format!("{at}/oneOf/{index}"), variant, findings);
        }
    }
}

fn finding(at: &str, rule: &str) -> Finding {
    Finding { at: at.to_owned(), rule: rule.to_owned() }
}

/// Escapes a path key the way JSON pointers do, so `/carriers` reads as `~1carriers`.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
