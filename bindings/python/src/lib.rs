//! `trackingmore_rs._native`: the TrackingMore v2 client of the `trackingmore` crate, for
//! Python.
//!
//! The Python package `trackingmore_rs` re-exports what this module defines and adds what
//! is better written in Python: the exceptions (`_errors.py`) and the status enums
//! (`_enums.py`, generated from the OpenAPI document). The stub `_native.pyi` documents
//! every class and function here; stubtest checks that the two agree.
//!
//! Logging: the client's `tracing` events become `log` records (tracing's `log` feature),
//! which pyo3-log hands to Python's `logging` under the logger `trackingmore`. The bridge is
//! installed when the first client is made, so that importing the package does not import
//! `logging`. The facade never logs the API key.
//!
//! Why each dependency is here: `pyo3` binds; `pythonize` converts serde values to and from
//! Python data; `pyo3-log` bridges logging; `tokio` and `futures` run the facade;
//! `trackingmore-sandbox` is `trackingmore_rs.testing.Sandbox`.

// `cargo test --all-targets` builds the library's test harness even with `test = false`. The
// harness is an executable, and an executable cannot have the unresolved Python symbols an
// extension module leaves to the interpreter, so the test build of this crate is empty; the
// tests of the package are in Python (tests/).
#![cfg(not(test))]

// The asyncio client wakes its event loop through a Unix socket pair (see `completion`).
#[cfg(not(unix))]
compile_error!("trackingmore-py supports POSIX systems only: the asyncio bridge uses Unix sockets");

mod client;
mod completion;
mod errors;
mod inputs;
mod models;
mod runtime;
mod sandbox;
mod webhook;

use std::sync::OnceLock;

use pyo3::prelude::*;

/// The handle that empties pyo3-log's cache of loggers and levels.
static LOGGING: OnceLock<Option<pyo3_log::ResetHandle>> = OnceLock::new();

/// Makes the client see changes to `logging` levels and handlers made after its first
/// log record.
///
/// Levels are cached on the Rust side, so that a record nobody would see costs no trip to
/// Python (and no GIL); this empties the cache.
#[pyfunction]
fn refresh_logging() {
    if let Some(Some(handle)) = LOGGING.get() {
        handle.reset();
    }
}

/// Hands the client's log records to Python's `logging`, from the first call on.
pub(crate) fn bridge_logging() {
    // `try_init` fails only when another logger was installed first, e.g. by a second copy
    // of the module; that one keeps working.
    LOGGING.get_or_init(|| pyo3_log::try_init().ok());
}

#[pymodule(gil_used = false)]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(refresh_logging, m)?)?;

    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<client::TrackingIterator>()?;
    m.add_class::<client::AsyncTrackingIterator>()?;
    m.add_class::<models::Tracking>()?;
    m.add_class::<models::CarrierInfo>()?;
    m.add_class::<models::Checkpoint>()?;
    m.add_class::<models::CreatedTracking>()?;
    m.add_class::<models::UpdatedTracking>()?;
    m.add_class::<models::Carrier>()?;
    m.add_class::<models::DetectedCarrier>()?;
    m.add_class::<models::UserInfo>()?;
    m.add_class::<models::StatusCounts>()?;
    m.add_class::<models::Page>()?;
    m.add_class::<models::TrackingRef>()?;
    m.add_class::<models::BatchItem>()?;
    m.add_class::<models::BatchError>()?;
    m.add_class::<models::BatchResult>()?;
    m.add_class::<models::WebhookEvent>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_function(wrap_pyfunction!(webhook::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::parse_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(models::decode_page, m)?)?;
    Ok(())
}
