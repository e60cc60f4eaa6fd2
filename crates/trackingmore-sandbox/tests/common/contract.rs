//! The contract check: responses validated against `openapi/trackingmore-v2.yaml`.
//!
//! The conversion from OpenAPI 3.0's dialect to JSON Schema is the one the document's own
//! tests use (`trackingmore_codegen::contract`). Successful answers (meta 200/201) are
//! checked against the operation's 200 schema; errors against `ErrorEnvelope`, because the
//! document declares the 200 answer's `data` as the success shape while errors carry
//! `data: []`.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{Value, json};
use trackingmore_codegen::contract::validator_document;

struct Contract {
    document: Value,
    /// (method, path template without `/v2`) → schema of the 200 answer, as written.
    operations: Vec<(String, String, Value)>,
    validators: Mutex<HashMap<String, jsonschema::Validator>>,
}

static CONTRACT: OnceLock<Contract> = OnceLock::new();

/// How many answers were checked so far in this test binary.
pub static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn contract() -> &'static Contract {
    CONTRACT.get_or_init(load)
}

fn load() -> Contract {
    let spec = trackingmore_codegen::spec_path();
    let document = trackingmore_codegen::load(&spec).expect("the OpenAPI document loads").raw;

    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let schema = &operation["responses"]["200"]["content"]["application/json"]["schema"];
            if schema.is_object() {
                operations.push((method.to_uppercase(), path.clone(), schema.clone()));
            }
        }
    }
    Contract { document, operations, validators: Mutex::new(HashMap::new()) }
}

/// Whether a concrete path fits a template such as `/trackings/{carrier_code}/{tracking_number}`.
fn fits(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    template.len() == path.len()
        && template.iter().zip(&path).all(|(want, have)| want.starts_with('{') || want == have)
}

impl Contract {
    /// The schema for an answer, by method and concrete path (without `/v2`).
    fn schema_for(&self, method: &str, path: &str) -> Option<(String, Value)> {
        // Fixed paths win over templates (`/trackings/get` is not a carrier code).
        let fixed =
            self.operations.iter().find(|(m, t, _)| m == method && t.trim_end_matches('/') == path);
        let found =
            fixed.or_else(|| self.operations.iter().find(|(m, t, _)| m == method && fits(t, path)));
        // POST /trackings/get is the tolerated twin of GET /trackings/get.
        let found = found.or_else(|| {
            (method == "POST" && path == "/trackings/get")
                .then(|| {
                    self.operations.iter().find(|(m, t, _)| m == "GET" && t == "/trackings/get")
                })
                .flatten()
        });
        found.map(|(m, t, schema)| (format!("{m} {t}"), schema.clone()))
    }

    fn validate(&self, name: &str, schema: Value, instance: &Value) -> Vec<String> {
        let mut validators =
            self.validators.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let validator = validators.entry(name.to_owned()).or_insert_with(|| {
            jsonschema::validator_for(&validator_document(&self.document, &schema))
                .unwrap_or_else(|error| panic!("schema of {name} does not compile: {error}"))
        });
        validator
            .iter_errors(instance)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect()
    }
}

/// Checks one answer; panics with every violation when it does not match the document.
/// Answers of routes the document does not declare (404, 405) are checked as errors.
pub fn check(method: &str, path: &str, answer: &Value) {
    let contract = contract();
    let path = path.split('?').next().unwrap_or(path);
    let code = answer["meta"]["code"].as_i64().unwrap_or(0);
    let (name, schema) = if code == 200 || code == 201 {
        match contract.schema_for(method, path) {
            Some(found) => found,
            None => panic!("{method} {path} succeeded but the document has no such operation"),
        }
    } else {
        ("ErrorEnvelope".to_owned(), json!({"$ref": "#/components/schemas/ErrorEnvelope"}))
    };
    let errors = contract.validate(&name, schema, answer);
    assert!(
        errors.is_empty(),
        "{method} {path} does not match {name}:\n{}\n{answer}",
        errors.join("\n")
    );
    CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// Checks a value against one named component schema (`WebhookPayload`, ...); panics with
/// every violation.
pub fn check_component(name: &str, value: &Value) {
    let contract = contract();
    let exists = contract.document["components"]["schemas"].get(name).is_some();
    assert!(exists, "the document has no schema {name}");
    let schema = json!({"$ref": format!("#/components/schemas/{name}")});
    let errors = contract.validate(name, schema, value);
    assert!(errors.is_empty(), "does not match {name}:\n{}\n{value}", errors.join("\n"));
    CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}
