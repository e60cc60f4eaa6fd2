//! The contract check: responses validated against `openapi/trackingmore-v2.yaml`.
//!
//! The document is OpenAPI 3.0, so its schemas are turned into JSON Schema first: component
//! `$ref`s point into a `definitions` table, and `nullable: true` becomes a union with
//! `null`. Successful answers (meta 200/201) are checked against the operation's 200 schema;
//! errors against `ErrorEnvelope`, because the document declares the 200 answer's `data` as
//! the success shape while errors carry `data: []`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde_json::{Map, Value, json};

/// Where the document lives, relative to this crate.
pub fn document_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/trackingmore-v2.yaml")
}

struct Contract {
    definitions: Map<String, Value>,
    /// (method, path template without `/v2`) → schema of the 200 answer.
    operations: Vec<(String, String, Value)>,
    validators: Mutex<HashMap<String, jsonschema::Validator>>,
}

static CONTRACT: OnceLock<Option<Contract>> = OnceLock::new();

/// How many answers were checked so far in this test binary.
pub static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn contract() -> Option<&'static Contract> {
    CONTRACT.get_or_init(load).as_ref()
}

/// Whether the document exists (the contract tests are skipped, loudly, when it does not).
pub fn available() -> bool {
    contract().is_some()
}

fn load() -> Option<Contract> {
    let text = std::fs::read_to_string(document_path()).ok()?;
    let document: Value = serde_yaml::from_str(&text).expect("the OpenAPI document is valid YAML");
    let components = document["components"]["schemas"].as_object().cloned().unwrap_or_default();
    let definitions =
        components.into_iter().map(|(name, schema)| (name, convert(schema))).collect();

    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(schema) =
                operation["responses"]["200"]["content"]["application/json"]["schema"].as_object()
            else {
                continue;
            };
            operations.push((
                method.to_uppercase(),
                path.clone(),
                convert(Value::Object(schema.clone())),
            ));
        }
    }
    Some(Contract { definitions, operations, validators: Mutex::new(HashMap::new()) })
}

/// OpenAPI 3.0 schema → JSON Schema.
fn convert(schema: Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut map: Map<String, Value> =
                map.into_iter().map(|(k, v)| (k, convert(v))).collect();
            if let Some(Value::String(reference)) = map.get("$ref") {
                let name = reference.trim_start_matches("#/components/schemas/").to_owned();
                map.insert("$ref".to_owned(), json!(format!("#/definitions/{name}")));
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                return nullable(map);
            }
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
        other => other,
    }
}

fn nullable(mut map: Map<String, Value>) -> Value {
    if let Some(Value::String(kind)) = map.get("type").cloned() {
        map.insert("type".to_owned(), json!([kind, "null"]));
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.push(Value::Null);
        }
        return Value::Object(map);
    }
    json!({"anyOf": [Value::Object(map), {"type": "null"}]})
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
            let mut root = schema.as_object().cloned().unwrap_or_default();
            root.insert("definitions".to_owned(), Value::Object(self.definitions.clone()));
            jsonschema::validator_for(&Value::Object(root))
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
    let Some(contract) = contract() else { return };
    let path = path.split('?').next().unwrap_or(path);
    let code = answer["meta"]["code"].as_i64().unwrap_or(0);
    let (name, schema) = if code == 200 || code == 201 {
        match contract.schema_for(method, path) {
            Some(found) => found,
            None => panic!("{method} {path} succeeded but the document has no such operation"),
        }
    } else {
        ("ErrorEnvelope".to_owned(), json!({"$ref": "#/definitions/ErrorEnvelope"}))
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
/// every violation. Does nothing when the document does not exist.
pub fn check_component(name: &str, value: &Value) {
    let Some(contract) = contract() else { return };
    assert!(contract.definitions.contains_key(name), "the document has no schema {name}");
    let schema = json!({"$ref": format!("#/definitions/{name}")});
    let errors = contract.validate(name, schema, value);
    assert!(errors.is_empty(), "does not match {name}:\n{}\n{value}", errors.join("\n"));
    CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}
