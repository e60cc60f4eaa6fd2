//! `trackingmore_rs._native`: the TrackingMore v2 client of the `trackingmore` crate, for
//! Python.
//!
//! The Python package `trackingmore_rs` re-exports what this module defines and adds what
//! is better written in Python: the exceptions (`_errors.py`) and the status enums
//! (`_enums.py`, generated from the OpenAPI document). The stub `_native.pyi` documents
//! every class and function here; stubtest checks that the two agree.
//!
//! Logging: the client's `tracing` events become `log` records (tracing's `log` feature),
//! which pyo3-log hands to Python's `logging` under the logger `trackingmore`. The facade
//! never logs the API key.
//!
//! Why each dependency is here: `pyo3` binds; `pyo3-async-runtimes` turns futures into
//! asyncio awaitables on the shared runtime; `pythonize` converts serde values to and from
//! Python data; `pyo3-log` bridges logging; `tokio` and `futures` run the facade;
//! `trackingmore-sandbox` is `trackingmore_rs.testing.Sandbox`.

mod client;
mod errors;
mod inputs;
mod models;
mod runtime;
mod sandbox;
mod webhook;

use pyo3::prelude::*;

#[pymodule(gil_used = false)]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Records below the level Python's `logging` would show are dropped on the Rust side,
    // from a cache that `logging` changes reach within a call or two.
    let _ = pyo3_log::try_init();

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
    Ok(())
}
