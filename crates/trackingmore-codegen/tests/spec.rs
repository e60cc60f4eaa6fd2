//! Tests of the OpenAPI document itself: it parses, it is complete, its examples are true.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;
use trackingmore_codegen::{contract, lint, load, spec_path};

/// The method and path of every v2 operation, as the API's own page lists them, plus the
/// optional `/{lang}` form of the single GET and the two carrier calls.
const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/trackings/post"),
    ("get", "/trackings/{carrier_code}/{tracking_number}"),
    ("get", "/trackings/{carrier_code}/{tracking_number}/{lang}"),
    ("put", "/trackings/{carrier_code}/{tracking_number}"),
    ("delete", "/trackings/{carrier_code}/{tracking_number}"),
    ("post", "/trackings/batch"),
    ("get", "/trackings/get"),
    ("post", "/trackings/updatemore"),
    ("post", "/trackings/delete"),
    ("post", "/trackings/realtime"),
    ("post", "/trackings/update"),
    ("get", "/trackings/getuserinfo"),
    ("get", "/trackings/getstatusnumber"),
    ("post", "/trackings/notupdate"),
    ("post", "/trackings/remote"),
    ("post", "/trackings/costtime"),
    ("post", "/trackings/aircargo"),
    ("get", "/carriers"),
    ("post", "/carriers/detect"),
];

fn is_method(key: &str) -> bool {
    ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&key)
}

fn raw() -> Value {
    load(&spec_path()).expect("the document loads").raw
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name);
    let text = fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// Validates `instance` against a validator document; the message lists every violation.
fn check(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::draft7::new(schema).expect("the converted schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} does not match its schema:\n{}", errors.join("\n"));
}

#[test]
fn the_document_parses_as_openapi_3_0_and_passes_the_lints() {
    let text = fs::read_to_string(spec_path()).expect("the document is readable");
    let typed: OpenAPI = serde_yaml::from_str(&text).expect("openapiv3 parses the document");
    assert!(typed.openapi.starts_with("3.0."), "{}", typed.openapi);

    let findings = lint(&load(&spec_path()).expect("the document loads"));
    assert!(findings.is_empty(), "lint findings: {findings:#?}");
}

#[test]
fn every_operation_has_an_id_a_summary_and_a_tag() {
    let typed = load(&spec_path()).expect("the document loads").openapi;
    let mut ids = BTreeSet::new();
    for (path, item) in typed.paths.iter() {
        let ReferenceOr::Item(item) = item else { panic!("path item by reference: {path}") };
        for (method, operation) in item.iter() {
            let id = operation.operation_id.clone().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(ids.insert(id.clone()), "operationId used twice: {id}");
            assert!(operation.summary.as_deref().is_some_and(|s| !s.is_empty()), "{id}: summary");
            assert!(!operation.tags.is_empty(), "{id} has no tag");
        }
    }
    assert_eq!(ids.len(), OPERATIONS.len());
}

#[test]
fn all_v2_operations_are_present() {
    let raw = raw();
    let mut present = BTreeSet::new();
    for (path, item) in raw["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys().filter(|k| is_method(k)) {
            present.insert((method.clone(), path.clone()));
        }
    }
    for (method, path) in OPERATIONS {
        assert!(
            present.contains(&(method.to_string(), path.to_string())),
            "missing {method} {path}"
        );
    }
    assert_eq!(present.len(), OPERATIONS.len(), "operations beyond the known list: {present:?}");
}

#[test]
fn every_example_validates_against_its_schema() {
    let raw = raw();
    let mut checked = 0;
    let mut request_examples = 0;
    let mut response_examples = 0;

    for (path, item) in raw["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if !is_method(method) {
                continue;
            }
            let id = operation["operationId"].as_str().unwrap_or(method);

            if let Some(media) = operation["requestBody"]["content"]["application/json"].as_object()
            {
                let example =
                    media.get("example").unwrap_or_else(|| panic!("{id}: request example"));
                let schema = contract::validator_document(&raw, &media["schema"]);
                check(&schema, example, &format!("the request example of {id}"));
                request_examples += 1;
            }

            for (status, response) in operation["responses"].as_object().expect("responses") {
                let response = match response.get("$ref").and_then(Value::as_str) {
                    Some(reference) => contract::resolve(&raw, reference).expect("ref resolves"),
                    None => response,
                };
                let media = &response["content"]["application/json"];
                if status == "200" {
                    assert!(media.get("example").is_some(), "{id}: 200 example ({path})");
                    response_examples += 1;
                }
                if let Some(example) = media.get("example") {
                    let schema = contract::validator_document(&raw, &media["schema"]);
                    check(&schema, example, &format!("the {status} example of {id}"));
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(response_examples, OPERATIONS.len());
    assert!(request_examples >= 12, "only {request_examples} request examples");
    assert!(checked >= OPERATIONS.len() * 2, "only {checked} response examples checked");
}

#[test]
fn the_seed_put_example_is_valid_exactly_as_written() {
    let raw = raw();
    let request = contract::request_body(&raw, "updateTracking").expect("PUT has a body");
    check(&request, &fixture("seed-put-request.json"), "the seed's PUT body");

    let response = contract::success_response(&raw, "updateTracking").expect("PUT has a 200");
    check(&response, &fixture("seed-put-response.json"), "the seed's PUT response");
}

#[test]
fn the_lenient_fixtures_are_valid_too() {
    let raw = raw();
    let cases = [
        ("getTracking", "odd-tracking.json"),
        ("listTrackings", "list-total-string.json"),
        ("listTrackings", "list-total-number.json"),
        ("createTracking", "created-order-time-zero.json"),
    ];
    for (operation, file) in cases {
        let schema = contract::success_response(&raw, operation).expect("operation has a 200");
        check(&schema, &fixture(file), file);
    }
    let error = contract::component(&raw, "ErrorEnvelope").expect("ErrorEnvelope exists");
    check(&error, &fixture("error-empty-data.json"), "error-empty-data.json");
}

#[test]
fn status_like_values_are_open_in_the_document() {
    let raw = raw();
    for name in ["Status", "Substatus"] {
        let schema = &raw["components"]["schemas"][name];
        assert_eq!(schema["type"], "string", "{name} is a string");
        assert!(schema.get("enum").is_none(), "{name} must not be a closed enum");
    }
}

#[test]
fn the_lints_catch_what_they_promise_to() {
    let mut document = load(&spec_path()).expect("the document loads");
    let raw = &mut document.raw;
    raw["paths"]["/trackings/getuserinfo"]["get"]["operationId"] = "getTracking".into();
    raw["components"]["schemas"]["Tracking"]["properties"]["created_at"]["format"] =
        "date-time".into();
    raw["paths"]["/carriers"]["get"]["responses"]["502"] = serde_json::json!({});

    let rules: Vec<String> = lint(&document).into_iter().map(|f| f.rule).collect();
    assert!(rules.iter().any(|r| r.contains("used twice")), "{rules:?}");
    assert!(rules.iter().any(|r| r.contains("mixes formats")), "{rules:?}");
    assert!(rules.iter().any(|r| r.contains("must stay undeclared: 502")), "{rules:?}");
}
