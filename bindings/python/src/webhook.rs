//! Webhook verification and parsing, as module functions.

use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::prelude::*;
use trackingmore::webhook;

use crate::errors;
use crate::models::WebhookEvent;

/// Accepts `bytes` or `str` bodies.
fn body_bytes(body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    match body.extract::<Vec<u8>>() {
        Ok(bytes) if !body.is_instance_of::<pyo3::types::PyString>() => Ok(bytes),
        _ => Ok(body.extract::<String>()?.into_bytes()),
    }
}

/// Checks a push's signature against the account `email` and its `timeStr` against `now`
/// (default: the current time), allowing `tolerance` seconds either way.
#[pyfunction]
#[pyo3(signature = (body, email, *, tolerance=300.0, now=None))]
pub(crate) fn verify_webhook(
    body: &Bound<'_, PyAny>,
    email: &str,
    tolerance: f64,
    now: Option<f64>,
) -> PyResult<WebhookEvent> {
    let body = body_bytes(body)?;
    let tolerance = errors::seconds("tolerance", tolerance)?;
    let now = match now {
        Some(seconds) => UNIX_EPOCH + errors::seconds("now", seconds)?,
        None => SystemTime::now(),
    };
    webhook::verify_at(&body, email, tolerance, now)
        .map(|inner| WebhookEvent { inner })
        .map_err(|error| errors::webhook(&error))
}

/// Reads a push without checking its signature.
#[pyfunction]
pub(crate) fn parse_webhook(body: &Bound<'_, PyAny>) -> PyResult<WebhookEvent> {
    let body = body_bytes(body)?;
    webhook::parse(&body)
        .map(|inner| WebhookEvent { inner })
        .map_err(|error| errors::webhook(&error))
}

/// The signature TrackingMore puts on a push sent at `time_str` to the account `email`.
#[pyfunction]
pub(crate) fn sign_webhook(email: &str, time_str: &str) -> String {
    webhook::sign(email, time_str)
}
