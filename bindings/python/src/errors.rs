//! From the facade's [`trackingmore::Error`] to the exceptions of `trackingmore_rs._errors`.
//!
//! The exception classes are written in Python rather than with `create_exception!`: Python
//! classes take keyword attributes (`meta_code`, `http_status`, `body`, `retry_after`),
//! inherit from two bases where Python code expects a built-in (`InvalidRequestError` is a
//! `ValueError`, `TimeoutError` the built-in `TimeoutError`), pickle, and need no stub
//! beyond their own source. Rust looks each class up once and keeps it in a `PyOnceLock`.
//!
//! Which meta codes land in which class:
//!
//! | class | meta codes | without a meta code |
//! | --- | --- | --- |
//! | `AuthenticationError` | 401, 403, 4001, 4002 | HTTP 401, 403 |
//! | `NotFoundError` | 404, 4017, 4031, 4032 | HTTP 404 |
//! | `AlreadyExistsError` | 409, 4016 | HTTP 409 |
//! | `InvalidRequestError` | 4012-4015, 4020, 4033 | arguments refused before sending |
//! | `QuotaExceededError` | 402, 4019, 4021 | |
//! | `RateLimitError` | 429 | HTTP 429, the client's own limiter |
//! | `ApiError` | every other code | any other HTTP error |

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyType};
use trackingmore::{ApiError, Error, MetaCode, TransportKind};

/// One lazily imported exception class.
struct Class {
    name: &'static str,
    cell: PyOnceLock<Py<PyType>>,
}

impl Class {
    const fn new(name: &'static str) -> Class {
        Class { name, cell: PyOnceLock::new() }
    }

    fn get<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyType>> {
        self.cell.import(py, "trackingmore_rs._errors", self.name)
    }

    /// An exception of this class, built from `message` and keyword attributes.
    fn raise(&self, py: Python<'_>, message: &str, details: &Bound<'_, PyDict>) -> PyErr {
        match self.get(py).and_then(|class| class.call((message,), Some(details))) {
            Ok(instance) => PyErr::from_value(instance),
            Err(error) => error,
        }
    }
}

static API: Class = Class::new("ApiError");
static AUTHENTICATION: Class = Class::new("AuthenticationError");
static NOT_FOUND: Class = Class::new("NotFoundError");
static ALREADY_EXISTS: Class = Class::new("AlreadyExistsError");
static INVALID_REQUEST: Class = Class::new("InvalidRequestError");
static QUOTA: Class = Class::new("QuotaExceededError");
static RATE_LIMIT: Class = Class::new("RateLimitError");
static TRANSPORT: Class = Class::new("TransportError");
static TIMEOUT: Class = Class::new("TimeoutError");
static DECODE: Class = Class::new("DecodeError");
static CONFIGURATION: Class = Class::new("ConfigurationError");
static WEBHOOK: Class = Class::new("WebhookVerificationError");
static CLOSED: Class = Class::new("ClientClosedError");

/// The Python exception for a facade error.
pub(crate) fn to_py(error: Error) -> PyErr {
    Python::attach(|py| convert(py, &error).unwrap_or_else(|failure| failure))
}

fn convert(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let message = error.to_string();
    let details = PyDict::new(py);
    let err = match error {
        Error::Transport { operation, kind, attempts, .. } => {
            details.set_item("operation", *operation)?;
            details.set_item("attempts", *attempts)?;
            let class = if *kind == TransportKind::Timeout { &TIMEOUT } else { &TRANSPORT };
            class.raise(py, &message, &details)
        }
        Error::DeadlineExceeded { operation, attempts, .. } => {
            details.set_item("operation", *operation)?;
            details.set_item("attempts", *attempts)?;
            TIMEOUT.raise(py, &message, &details)
        }
        Error::Api(api) => {
            api_details(py, &details, api)?;
            class_for(api).raise(py, &message, &details)
        }
        Error::RateLimited { retry_after, api } => {
            api_details(py, &details, api)?;
            details.set_item("retry_after", retry_after.as_secs_f64())?;
            RATE_LIMIT.raise(py, &message, &details)
        }
        Error::Throttled { operation, wait } => {
            details.set_item("operation", *operation)?;
            details.set_item("retry_after", wait.as_secs_f64())?;
            RATE_LIMIT.raise(py, &message, &details)
        }
        Error::QuotaExhausted { api } => {
            api_details(py, &details, api)?;
            QUOTA.raise(py, &message, &details)
        }
        Error::Decode { operation, status, body, .. } => {
            details.set_item("operation", *operation)?;
            details.set_item("http_status", status.as_u16())?;
            details.set_item("body", PyBytes::new(py, body))?;
            DECODE.raise(py, &message, &details)
        }
        Error::ResponseTooLarge { operation, status, .. } => {
            details.set_item("operation", *operation)?;
            details.set_item("http_status", status.as_u16())?;
            details.set_item("body", PyBytes::new(py, b""))?;
            DECODE.raise(py, &message, &details)
        }
        Error::InvalidArgument(_) => INVALID_REQUEST.raise(py, &message, &details),
        Error::Config { .. } => CONFIGURATION.raise(py, &message, &details),
        // The facade's error is non-exhaustive: a kind added later is still a
        // TrackingMoreError, with its message.
        _ => Class::new("TrackingMoreError").raise(py, &message, &details),
    };
    Ok(err)
}

fn api_details(py: Python<'_>, details: &Bound<'_, PyDict>, api: &ApiError) -> PyResult<()> {
    details.set_item("operation", api.operation)?;
    details.set_item("meta_code", api.meta_code.map(MetaCode::code))?;
    details.set_item("meta_type", api.meta_type.as_deref())?;
    details.set_item("http_status", api.status.as_u16())?;
    details.set_item("body", PyBytes::new(py, &api.body))?;
    details.set_item("attempts", api.attempts)?;
    Ok(())
}

fn class_for(api: &ApiError) -> &'static Class {
    match api.meta_code.map(MetaCode::code) {
        Some(401 | 403 | 4001 | 4002) => &AUTHENTICATION,
        Some(404 | 4017 | 4031 | 4032) => &NOT_FOUND,
        Some(409 | 4016) => &ALREADY_EXISTS,
        Some(4012..=4015 | 4020 | 4033) => &INVALID_REQUEST,
        Some(402 | 4019 | 4021) => &QUOTA,
        Some(429) => &RATE_LIMIT,
        Some(_) => &API,
        None => match api.status.as_u16() {
            401 | 403 => &AUTHENTICATION,
            404 => &NOT_FOUND,
            409 => &ALREADY_EXISTS,
            429 => &RATE_LIMIT,
            _ => &API,
        },
    }
}

/// An `InvalidRequestError` raised by the bindings themselves (a bad input shape).
pub(crate) fn invalid(message: impl AsRef<str>) -> PyErr {
    Python::attach(|py| INVALID_REQUEST.raise(py, message.as_ref(), &PyDict::new(py)))
}

/// A `ConfigurationError` raised by the bindings themselves.
pub(crate) fn configuration(message: impl AsRef<str>) -> PyErr {
    Python::attach(|py| CONFIGURATION.raise(py, message.as_ref(), &PyDict::new(py)))
}

/// A `WebhookVerificationError` for a refused push.
pub(crate) fn webhook(error: &trackingmore::webhook::WebhookError) -> PyErr {
    Python::attach(|py| WEBHOOK.raise(py, &error.to_string(), &PyDict::new(py)))
}

/// The error every call on a closed client raises.
pub(crate) fn closed() -> PyErr {
    Python::attach(|py| CLOSED.raise(py, "the client is closed", &PyDict::new(py)))
}

/// Seconds from Python as a duration; negative, infinite or NaN values are refused.
pub(crate) fn seconds(what: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        configuration(format!("{what} must be a non-negative number of seconds: {value}"))
    })
}
