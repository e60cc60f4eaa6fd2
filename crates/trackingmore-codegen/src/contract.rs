//! The document's schemas as JSON Schema, for checking bodies against the contract.
//!
//! OpenAPI 3.0 writes schemas in a dialect of JSON Schema: `nullable: true` where JSON
//! Schema would say `type: [T, "null"]`, and keywords next to `$ref` are ignored. The
//! tests of the document's examples, the sandbox's contract tests and the decoding tests
//! all need plain JSON Schema, so the conversion lives here, once.
//!
//! A validator document is the converted schema with every component schema beside it
//! under the same pointer (`#/components/schemas/...`), so `$ref`s resolve without a
//! resolver and without any network.

use serde_json::{Map, Value, json};

/// Converts one schema from OpenAPI 3.0's dialect to JSON Schema (draft 7).
pub fn to_json_schema(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else { return schema.clone() };

    // Siblings of `$ref` have no effect in OpenAPI 3.0; dropping them keeps it that way.
    if let Some(reference) = object.get("$ref") {
        return json!({ "$ref": reference });
    }

    let mut converted = Map::new();
    for (key, value) in object {
        let value = match key.as_str() {
            "properties" | "patternProperties" => map_values(value),
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            "oneOf" | "anyOf" | "allOf" => {
                Value::Array(value.as_array().into_iter().flatten().map(to_json_schema).collect())
            }
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" => continue,
            _ => value.clone(),
        };
        converted.insert(key.clone(), value);
    }

    if object.get("nullable") == Some(&Value::Bool(true)) {
        return allow_null(converted);
    }
    Value::Object(converted)
}

fn map_values(value: &Value) -> Value {
    let entries = value.as_object().into_iter().flatten();
    Value::Object(entries.map(|(name, schema)| (name.clone(), to_json_schema(schema))).collect())
}

fn allow_null(mut schema: Map<String, Value>) -> Value {
    match schema.get("type").cloned() {
        Some(Value::String(single)) => {
            schema.insert("type".into(), json!([single, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(schema)
        }
        // No type at all accepts null already; anything else gets null as an alternative.
        None if !schema.contains_key("oneOf") && !schema.contains_key("enum") => {
            Value::Object(schema)
        }
        _ => json!({ "anyOf": [Value::Object(schema), { "type": "null" }] }),
    }
}

/// A self-contained JSON Schema document for `schema`, with every component beside it.
pub fn validator_document(document: &Value, schema: &Value) -> Value {
    let components = document["components"]["schemas"]
        .as_object()
        .map(|schemas| {
            schemas.iter().map(|(name, s)| (name.clone(), to_json_schema(s))).collect::<Map<_, _>>()
        })
        .unwrap_or_default();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "allOf": [to_json_schema(schema)],
        "components": { "schemas": components },
    })
}

/// The schema of a component, by name, as a validator document.
pub fn component(document: &Value, name: &str) -> Option<Value> {
    document["components"]["schemas"].get(name)?;
    Some(validator_document(document, &json!({ "$ref": format!("#/components/schemas/{name}") })))
}

/// Where an operation lives in the document: method, path and the operation itself.
pub fn operation<'a>(
    document: &'a Value,
    operation_id: &str,
) -> Option<(&'a str, &'a str, &'a Value)> {
    let paths = document["paths"].as_object()?;
    paths.iter().find_map(|(path, item)| {
        item.as_object()?.iter().find_map(|(method, operation)| {
            (operation["operationId"] == operation_id).then_some((
                method.as_str(),
                path.as_str(),
                operation,
            ))
        })
    })
}

/// The validator document for the JSON body of an operation's `200` response.
pub fn success_response(document: &Value, operation_id: &str) -> Option<Value> {
    let (_, _, operation) = operation(document, operation_id)?;
    let schema = &operation["responses"]["200"]["content"]["application/json"]["schema"];
    (!schema.is_null()).then(|| validator_document(document, schema))
}

/// The validator document for the JSON request body of an operation.
pub fn request_body(document: &Value, operation_id: &str) -> Option<Value> {
    let (_, _, operation) = operation(document, operation_id)?;
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    (!schema.is_null()).then(|| validator_document(document, schema))
}

/// Resolves a `#/...` reference inside the document.
pub fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    document.pointer(reference.strip_prefix('#')?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_becomes_a_null_alternative() {
        let string = to_json_schema(&json!({ "type": "string", "nullable": true }));
        assert_eq!(string, json!({ "type": ["string", "null"] }));

        let one_of = to_json_schema(&json!({ "oneOf": [{ "type": "integer" }], "nullable": true }));
        assert_eq!(
            one_of,
            json!({ "anyOf": [{ "oneOf": [{ "type": "integer" }] }, { "type": "null" }] })
        );

        let reference =
            to_json_schema(&json!({ "$ref": "#/x", "nullable": true, "description": "d" }));
        assert_eq!(reference, json!({ "$ref": "#/x" }));
    }
}
