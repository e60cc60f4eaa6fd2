//! `Sandbox`: the local v2 server, started inside the Python process.
//!
//! It runs on the shared runtime, listens on `127.0.0.1` with a port the system picks, and
//! stops on `close()`, at the end of a `with` block, or when the object is collected. Tests
//! therefore need no subprocess, no fixed port and no cleanup beyond the fixture.

use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use trackingmore_sandbox::{Config, Fault, RateLimits};

use crate::models::to_python;
use crate::runtime;

/// A local TrackingMore v2 server for tests, started in-process on `127.0.0.1:0`.
#[pyclass(frozen, subclass, module = "trackingmore_rs.testing")]
pub struct Sandbox {
    server: Mutex<Option<trackingmore_sandbox::Sandbox>>,
    admin: trackingmore_sandbox::Admin,
    base_url: String,
    admin_url: String,
    api_key: String,
    email: String,
}

fn failed(error: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(format!("sandbox: {error}"))
}

#[pymethods]
impl Sandbox {
    #[new]
    #[pyo3(signature = (
        api_key="sandbox-key", *, email="dev@example.org", quota=10_000, rate_limits=false,
        mirror_http_status=false
    ))]
    fn new(
        py: Python<'_>,
        api_key: &str,
        email: &str,
        quota: u64,
        rate_limits: bool,
        mirror_http_status: bool,
    ) -> PyResult<Sandbox> {
        crate::bridge_logging();
        let limits = if rate_limits { RateLimits::reference() } else { RateLimits::off() };
        let config = Config::with_api_key(api_key)
            .email(email)
            .quota(quota)
            .rate_limits(limits)
            .mirror_http_status(mirror_http_status);
        let server = runtime::block_on(py, async move {
            trackingmore_sandbox::Sandbox::start(config).await.map_err(failed)
        })?;
        Ok(Sandbox {
            admin: server.admin(),
            base_url: server.base_url(),
            admin_url: server.admin_url(),
            api_key: server.api_key(),
            email: email.to_owned(),
            server: Mutex::new(Some(server)),
        })
    }

    /// `http://127.0.0.1:PORT/v2`: the base URL to give a client.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:PORT/__admin`: the admin API, for tools outside this process.
    #[getter]
    fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The API key of the sandbox's account.
    #[getter]
    fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The account's e-mail address, which is also the webhook signing key.
    #[getter]
    fn email(&self) -> &str {
        &self.email
    }

    /// The virtual clock, in unix seconds.
    fn now(&self) -> i64 {
        self.admin.now()
    }

    /// Moves the virtual clock forward by whole seconds; trackings move on their journeys
    /// and webhooks fire for every status change on the way.
    fn advance_clock(&self, seconds: u64) -> PyResult<()> {
        // Webhook deliveries are spawned onto the runtime the call is made from.
        let _entered = runtime::runtime().enter();
        self.admin.advance_clock(Duration::from_secs(seconds)).map_err(failed)
    }

    /// Back to the start: no trackings, fresh quota, the start instant, and no faults,
    /// webhooks, journal or deliveries.
    fn reset(&self) -> PyResult<()> {
        let _entered = runtime::runtime().enter();
        self.admin.reset().map_err(failed)
    }

    /// Adds a fault rule: `kind` is `latency` (with `ms`), `too_many_requests` (with
    /// `retry_after`), `server_error` (with `status`, `html`), `connection_reset` (with
    /// `after_handler`), `truncated_json`, `unknown_enum_values` (with `value`) or
    /// `unknown_fields`; `route` limits it to one operation, `times` to a number of requests.
    #[pyo3(signature = (kind, *, route=None, times=None, **options))]
    fn inject_fault(
        &self,
        py: Python<'_>,
        kind: &str,
        route: Option<String>,
        times: Option<u32>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let rule = match options {
            Some(options) => options.copy()?,
            None => PyDict::new(py),
        };
        rule.set_item("kind", kind)?;
        if let Some(route) = route {
            rule.set_item("route", route)?;
        }
        if let Some(times) = times {
            rule.set_item("times", times)?;
        }
        let fault: Fault = pythonize::depythonize(rule.as_any())
            .map_err(|error| PyTypeError::new_err(format!("inject_fault(): {error}")))?;
        self.admin.inject_fault(fault);
        Ok(())
    }

    /// Removes every fault rule.
    fn clear_faults(&self) {
        self.admin.clear_faults();
    }

    /// Sets the account's total quota; the remaining quota becomes `quota - used`.
    fn set_quota(&self, quota: u64) -> PyResult<()> {
        self.admin.set_quota(&self.api_key, quota).map_err(failed)
    }

    /// Sends every status change to `url` (plain `http://` only), signed with the e-mail.
    fn register_webhook(&self, url: &str) -> PyResult<()> {
        let _entered = runtime::runtime().enter();
        self.admin.register_webhook(url).map_err(failed)
    }

    /// Every webhook delivery attempt so far, oldest first, as dicts.
    fn webhook_deliveries(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.admin.webhook_deliveries())
    }

    /// Every request the sandbox served, oldest first, as dicts (the key is never kept).
    fn journal(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.admin.journal())
    }

    /// Stops the server; requests in flight get up to five seconds to finish.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let server = self.server.lock().map_err(failed)?.take();
        if let Some(server) = server {
            runtime::block_on(py, async move {
                server.shutdown().await;
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> PyResult<bool> {
        Ok(self.server.lock().map_err(failed)?.is_none())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!("Sandbox(base_url={:?})", self.base_url)
    }
}
