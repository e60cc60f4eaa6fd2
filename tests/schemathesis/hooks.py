"""schemathesis hooks for the v2 API: the envelope check that replaces the built-in
response-schema check.

v2 answers API errors with HTTP 200, `meta.code` 4xxx and `"data": []`. The document's 200
schemas describe the success `data` only, so for most operations an error body does not fit
the 200 schema, and the built-in `response_schema_conformance` would report every error as a
schema violation. `v2_envelope_conformance` reads `meta.code` first, as every client must:
success codes (200, 201) are validated against the operation's 200 schema, error codes
against `ErrorEnvelope` (with `data` exactly `[]`). The schemas are converted from OpenAPI
3.0 to JSON Schema with the same rules as `trackingmore_codegen::contract`.

Loaded through `SCHEMATHESIS_HOOKS=hooks` with this folder on `PYTHONPATH`; see
`xtask/src/reliability.rs`.
"""

from __future__ import annotations

import functools
import json
import pathlib
from typing import Any

import jsonschema_rs
import schemathesis
import yaml

DOCUMENT = pathlib.Path(__file__).resolve().parents[2] / "openapi" / "trackingmore-v2.yaml"


def to_json_schema(schema: Any) -> Any:
    """One schema from OpenAPI 3.0's dialect to JSON Schema (draft 7)."""
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        # Siblings of `$ref` have no effect in OpenAPI 3.0.
        return {"$ref": schema["$ref"]}
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("nullable", "example", "discriminator", "xml", "externalDocs"):
            continue
        if key in ("properties", "patternProperties"):
            value = {name: to_json_schema(item) for name, item in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            value = to_json_schema(value)
        elif key in ("oneOf", "anyOf", "allOf"):
            value = [to_json_schema(item) for item in value]
        converted[key] = value
    if schema.get("nullable") is True:
        kind = converted.get("type")
        if isinstance(kind, str):
            converted["type"] = [kind, "null"]
            if isinstance(converted.get("enum"), list):
                converted["enum"] = [*converted["enum"], None]
        elif kind is not None or "oneOf" in converted or "enum" in converted:
            return {"anyOf": [converted, {"type": "null"}]}
    return converted


@functools.cache
def document() -> dict[str, Any]:
    with DOCUMENT.open(encoding="utf-8") as file:
        loaded: dict[str, Any] = yaml.safe_load(file)
    return loaded


@functools.cache
def validator(reference: str) -> Any:
    """A validator for `#/components/schemas/<name>`, with every component beside it."""
    schemas = document()["components"]["schemas"]
    root = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "allOf": [{"$ref": reference}],
        "components": {"schemas": {name: to_json_schema(s) for name, s in schemas.items()}},
    }
    return jsonschema_rs.Draft7Validator(root)


def success_schema(method: str, path: str) -> str:
    operation = document()["paths"][path][method.lower()]
    content = operation["responses"]["200"]["content"]["application/json"]
    reference: str = content["schema"]["$ref"]
    return reference


def envelope(response: Any) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"the answer is not JSON: {error}: {response.content[:200]!r}")
    if not isinstance(body, dict) or not isinstance(body.get("meta"), dict):
        raise AssertionError(f"the answer is not a v2 envelope: {response.content[:200]!r}")
    return body


@schemathesis.check
def v2_envelope_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """Success codes against the operation's 200 schema, error codes against ErrorEnvelope."""
    body = envelope(response)
    code = body["meta"].get("code")
    if code in (200, 201):
        reference = success_schema(case.operation.method, case.operation.path)
    else:
        reference = "#/components/schemas/ErrorEnvelope"
        if body.get("data") != []:
            raise AssertionError(f"meta.code {code} with data other than []: {body.get('data')!r}")
    errors = [
        f"{'/'.join(map(str, error.instance_path)) or '<root>'}: {error.message}"
        for error in validator(reference).iter_errors(body)
    ]
    if errors:
        raise AssertionError(f"meta.code {code} answer does not match {reference}: {errors[:5]}")
    return None

