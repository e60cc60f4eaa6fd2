//! `Client` and `AsyncClient`: one list of operations, bound twice.
//!
//! Each operation is a function that reads its Python arguments (with the GIL held) and
//! returns a [`Call`]: a `'static` future of the facade's result that ends in a converter
//! to a Python object. The `operations!` macro then gives `Client` a method that blocks on
//! the call with the GIL released, and `AsyncClient` a method of the same name and
//! signature that returns an asyncio awaitable. The two clients cannot drift apart.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::stream::BoxStream;
use futures::{StreamExt, TryFutureExt};
use pyo3::exceptions::{PyStopAsyncIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use trackingmore::{Operation, RateLimit, RateLimits, RetryPolicy};

use crate::models::{
    BatchResult, Carrier, CreatedTracking, DetectedCarrier, Page, StatusCounts, Tracking,
    TrackingRef, UpdatedTracking, UserInfo, to_python,
};
use crate::runtime::Convert;
use crate::{completion, errors, inputs, runtime};

/// A call in flight: the facade's future, then the conversion of its value.
type Call = Pin<Box<dyn Future<Output = PyResult<Convert>> + Send>>;

fn call<T, F>(future: F, convert: fn(Python<'_>, T) -> PyResult<Py<PyAny>>) -> PyResult<Call>
where
    F: Future<Output = trackingmore::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    Ok(Box::pin(async move {
        let value = future.map_err(errors::to_py).await?;
        Ok(Box::new(move |py: Python<'_>| convert(py, value)) as Convert)
    }))
}

/// What both clients share: the facade's client and whether it was closed.
#[derive(Clone)]
pub(crate) struct Core {
    client: trackingmore::Client,
    closed: Arc<AtomicBool>,
}

impl Core {
    fn client(&self) -> PyResult<trackingmore::Client> {
        if self.closed.load(Ordering::Acquire) {
            return Err(errors::closed());
        }
        Ok(self.client.clone())
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    fn repr(&self, class: &str) -> String {
        let state = if self.closed.load(Ordering::Acquire) { ", closed" } else { "" };
        format!("{class}(base_url={:?}{state})", self.client.base_url())
    }
}

/// The constructor arguments of both clients.
#[allow(clippy::too_many_arguments, reason = "one argument per setting, all keyword-only")]
fn build(
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    proxy: Option<String>,
    user_agent: Option<String>,
    retries: u32,
    deadline: Option<f64>,
    rate_limits: Option<&Bound<'_, PyAny>>,
    batch_concurrency: Option<usize>,
    max_response_size: Option<usize>,
) -> PyResult<Core> {
    crate::bridge_logging();
    let mut builder = trackingmore::Client::builder();
    if let Some(key) = api_key {
        builder = builder.api_key(key);
    }
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    if let Some(seconds) = timeout {
        builder = builder.timeout(errors::seconds("timeout", seconds)?);
    }
    if let Some(seconds) = connect_timeout {
        builder = builder.connect_timeout(errors::seconds("connect_timeout", seconds)?);
    }
    if let Some(proxy) = proxy {
        builder = builder.proxy(proxy);
    }
    if let Some(agent) = user_agent {
        builder = builder.user_agent(agent);
    }
    let mut retry = RetryPolicy::default().max_retries(retries);
    if let Some(seconds) = deadline {
        retry = retry.deadline(errors::seconds("deadline", seconds)?);
    }
    builder = builder.retry(retry).rate_limits(limits(rate_limits)?);
    if let Some(n) = batch_concurrency {
        builder = builder.batch_concurrency(n);
    }
    if let Some(bytes) = max_response_size {
        builder = builder.max_response_size(bytes);
    }
    let client = builder.build().map_err(errors::to_py)?;
    Ok(Core { client, closed: Arc::new(AtomicBool::new(false)) })
}

/// `rate_limits`: `None` or `True` for the API's published limits, `False` for none, or a
/// mapping from operation id (`listTrackings`) to calls per second, which replaces them.
fn limits(given: Option<&Bound<'_, PyAny>>) -> PyResult<RateLimits> {
    let Some(given) = given else { return Ok(RateLimits::default()) };
    if let Ok(on) = given.extract::<bool>() {
        return Ok(if on { RateLimits::default() } else { RateLimits::off() });
    }
    let Ok(mapping) = given.cast::<PyDict>() else {
        return Err(PyTypeError::new_err("rate_limits must be a bool or a dict"));
    };
    let mut limits = RateLimits::off();
    for (name, per_second) in mapping.iter() {
        let name: String = name.extract()?;
        let operation = Operation::from_id(&name)
            .ok_or_else(|| errors::configuration(format!("unknown operation: {name}")))?;
        let per_second: f64 = per_second.extract()?;
        if !(per_second.is_finite() && per_second > 0.0) {
            return Err(errors::configuration(format!(
                "a rate limit must be a positive number of calls per second: {per_second}"
            )));
        }
        let period = errors::seconds("a rate limit period", 1.0 / per_second)?;
        limits = limits.set(operation, RateLimit::every(period));
    }
    Ok(limits)
}

// The operations. Each reads its arguments and returns the call; `operations!` below binds
// them to both clients.

fn create(
    core: &Core,
    py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<Call> {
    let client = core.client()?;
    let new = inputs::new_tracking(py, carrier_code, tracking_number, fields)?;
    call(
        async move { client.trackings().create(&new).await.map(|r| r.into_inner()) },
        CreatedTracking::wrap,
    )
}

fn get(
    core: &Core,
    _py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    lang: Option<String>,
) -> PyResult<Call> {
    let client = core.client()?;
    call(
        async move {
            let trackings = client.trackings();
            let response = match lang {
                Some(lang) => {
                    trackings.get_in_language(&carrier_code, &tracking_number, &lang).await
                }
                None => trackings.get(&carrier_code, &tracking_number).await,
            };
            response.map(|r| r.into_inner())
        },
        Tracking::wrap,
    )
}

fn get_in_language(
    core: &Core,
    py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    lang: String,
) -> PyResult<Call> {
    get(core, py, carrier_code, tracking_number, Some(lang))
}

fn update(
    core: &Core,
    py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    changes: Option<&Bound<'_, PyDict>>,
) -> PyResult<Call> {
    let client = core.client()?;
    let changes = inputs::changes(py, changes)?;
    call(
        async move {
            let trackings = client.trackings();
            let response = trackings.update(&carrier_code, &tracking_number, &changes).await;
            response.map(|r| r.into_inner())
        },
        UpdatedTracking::wrap,
    )
}

fn delete(
    core: &Core,
    _py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
) -> PyResult<Call> {
    let client = core.client()?;
    call(
        async move { client.trackings().delete(&carrier_code, &tracking_number).await.map(|_| ()) },
        |py, ()| Ok(py.None()),
    )
}

fn list_trackings(
    core: &Core,
    py: Python<'_>,
    filters: Option<&Bound<'_, PyDict>>,
) -> PyResult<Call> {
    let client = core.client()?;
    let filters = inputs::list_filters(py, filters)?;
    call(async move { client.trackings().list(&filters).await.map(|r| r.into_inner()) }, Page::wrap)
}

fn batch_create(core: &Core, _py: Python<'_>, items: &Bound<'_, PyAny>) -> PyResult<Call> {
    let client = core.client()?;
    let items = inputs::new_trackings(items)?;
    call(async move { client.trackings().batch_create(items).await }, BatchResult::wrap)
}

fn update_many(core: &Core, _py: Python<'_>, items: &Bound<'_, PyAny>) -> PyResult<Call> {
    let client = core.client()?;
    let items = inputs::changes_many(items)?;
    call(async move { client.trackings().update_many(items).await }, BatchResult::wrap)
}

fn delete_many(core: &Core, _py: Python<'_>, items: &Bound<'_, PyAny>) -> PyResult<Call> {
    let client = core.client()?;
    let ids = inputs::tracking_ids(items, "delete_many()")?;
    call(async move { client.trackings().delete_many(ids).await }, BatchResult::wrap)
}

fn stop_updating(core: &Core, _py: Python<'_>, items: &Bound<'_, PyAny>) -> PyResult<Call> {
    let client = core.client()?;
    let ids = inputs::tracking_ids(items, "stop_updating()")?;
    call(async move { client.trackings().stop_updating(ids).await }, BatchResult::wrap)
}

fn realtime(
    core: &Core,
    py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<Call> {
    let client = core.client()?;
    let request = inputs::realtime(py, carrier_code, tracking_number, fields)?;
    call(
        async move { client.trackings().realtime_with(request).await.map(|r| r.into_inner()) },
        Tracking::wrap,
    )
}

fn change_carrier(
    core: &Core,
    _py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    new_carrier_code: String,
) -> PyResult<Call> {
    let client = core.client()?;
    call(
        async move {
            let id = (carrier_code, tracking_number);
            let moved = client.trackings().change_carrier(id, &new_carrier_code).await?;
            Ok(TrackingRef::from_id(moved.into_inner()))
        },
        |py, moved| Ok(Py::new(py, moved)?.into_any()),
    )
}

fn user_info(core: &Core, _py: Python<'_>) -> PyResult<Call> {
    let client = core.client()?;
    call(async move { client.account().user_info().await.map(|r| r.into_inner()) }, UserInfo::wrap)
}

fn status_counts(
    core: &Core,
    py: Python<'_>,
    filters: Option<&Bound<'_, PyDict>>,
) -> PyResult<Call> {
    let client = core.client()?;
    let filters = inputs::count_filters(py, filters)?;
    call(
        async move { client.account().status_counts(&filters).await.map(|r| r.into_inner()) },
        StatusCounts::wrap,
    )
}

fn carriers(core: &Core, _py: Python<'_>, lang: Option<String>) -> PyResult<Call> {
    let client = core.client()?;
    call(
        async move { client.carriers().list(lang.as_deref()).await.map(|r| r.into_inner()) },
        |py, carriers: Vec<trackingmore::types::Carrier>| {
            let items = carriers
                .into_iter()
                .map(|inner| Carrier::wrap(py, inner))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(pyo3::types::PyList::new(py, items)?.into_any().unbind())
        },
    )
}

fn detect_carrier(core: &Core, _py: Python<'_>, tracking_number: String) -> PyResult<Call> {
    let client = core.client()?;
    call(
        async move { client.carriers().detect(&tracking_number).await.map(|r| r.into_inner()) },
        |py, found: Vec<trackingmore::types::DetectedCarrier>| {
            let items = found
                .into_iter()
                .map(|inner| DetectedCarrier::wrap(py, inner))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(pyo3::types::PyList::new(py, items)?.into_any().unbind())
        },
    )
}

fn remote_areas(core: &Core, _py: Python<'_>, places: &Bound<'_, PyAny>) -> PyResult<Call> {
    let client = core.client()?;
    let places = inputs::places(places)?;
    call(
        async move { client.tools().remote_areas(places).await.map(|r| r.into_inner()) },
        |py, result| to_python(py, &result),
    )
}

fn transit_times(core: &Core, _py: Python<'_>, lanes: &Bound<'_, PyAny>) -> PyResult<Call> {
    let client = core.client()?;
    let lanes = inputs::lanes(lanes)?;
    call(
        async move { client.tools().transit_times(lanes).await.map(|r| r.into_inner()) },
        |py, result| to_python(py, &result),
    )
}

fn air_cargo(
    core: &Core,
    _py: Python<'_>,
    waybills: &Bound<'_, PyAny>,
    lang: Option<String>,
) -> PyResult<Call> {
    let client = core.client()?;
    let waybills = inputs::waybills(waybills)?;
    call(
        async move { client.tools().air_cargo(waybills, lang.as_deref()).await.map(|r| r.into_inner()) },
        |py, result| to_python(py, &result),
    )
}

fn raw(
    core: &Core,
    _py: Python<'_>,
    method: String,
    path: String,
    body: Option<&Bound<'_, PyAny>>,
) -> PyResult<Call> {
    let client = core.client()?;
    let method = trackingmore::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| errors::invalid(format!("not an HTTP method: {method}")))?;
    let body = body.map(inputs::json_value).transpose()?;
    call(
        async move { client.raw(method, &path, body).await.map(|r| r.into_inner()) },
        |py, data| to_python(py, &data),
    )
}

/// The synchronous client: every call blocks the calling thread, never the others.
#[pyclass(frozen, module = "trackingmore_rs")]
pub struct Client {
    core: Core,
    runtime: Arc<runtime::CallerRuntime>,
}

impl Client {
    fn from_core(core: Core) -> PyResult<Client> {
        Ok(Client { core, runtime: Arc::new(runtime::CallerRuntime::new()?) })
    }
}

impl AsyncClient {
    fn from_core(core: Core) -> PyResult<AsyncClient> {
        Ok(AsyncClient { core })
    }
}

/// The asyncio client: every call returns an awaitable; cancelling it cancels the request.
#[pyclass(frozen, module = "trackingmore_rs")]
pub struct AsyncClient {
    core: Core,
}

macro_rules! constructor {
    ($class:ident) => {
        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (
                api_key=None, *, base_url=None, timeout=None, connect_timeout=None, proxy=None,
                user_agent=None, retries=3, deadline=None, rate_limits=None,
                batch_concurrency=None, max_response_size=None
            ))]
            #[allow(clippy::too_many_arguments, reason = "one argument per setting")]
            fn new(
                api_key: Option<String>,
                base_url: Option<String>,
                timeout: Option<f64>,
                connect_timeout: Option<f64>,
                proxy: Option<String>,
                user_agent: Option<String>,
                retries: u32,
                deadline: Option<f64>,
                rate_limits: Option<&Bound<'_, PyAny>>,
                batch_concurrency: Option<usize>,
                max_response_size: Option<usize>,
            ) -> PyResult<Self> {
                let core = build(
                    api_key,
                    base_url,
                    timeout,
                    connect_timeout,
                    proxy,
                    user_agent,
                    retries,
                    deadline,
                    rate_limits,
                    batch_concurrency,
                    max_response_size,
                )?;
                $class::from_core(core)
            }

            /// The base URL calls go to.
            #[getter]
            fn base_url(&self) -> String {
                self.core.client.base_url().to_owned()
            }

            /// Whether `close()` was called.
            #[getter]
            fn closed(&self) -> bool {
                self.core.closed.load(Ordering::Acquire)
            }

            fn __repr__(&self) -> String {
                self.core.repr(stringify!($class))
            }
        }
    };
}

constructor!(Client);
constructor!(AsyncClient);

#[pymethods]
impl Client {
    /// Closes the client; later calls raise `ClientClosedError`.
    fn close(&self) {
        self.core.close();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.core.close();
        false
    }

    /// Every tracking that matches the filters, page after page.
    #[pyo3(signature = (**filters))]
    fn list_all(
        &self,
        py: Python<'_>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<TrackingIterator> {
        let client = self.core.client()?;
        let filters = inputs::list_filters(py, filters)?;
        let stream = client.trackings().list_all(filters).boxed();
        Ok(TrackingIterator {
            stream: Arc::new(tokio::sync::Mutex::new(stream)),
            runtime: Arc::clone(&self.runtime),
        })
    }
}

#[pymethods]
impl AsyncClient {
    /// Closes the client; later calls raise `ClientClosedError`.
    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.core.close();
        completion::awaitable(py, async { Ok(()) })
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        completion::awaitable(py, async move { Ok(slf.into_any()) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'py, pyo3::types::PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.core.close();
        completion::awaitable(py, async { Ok(false) })
    }

    /// Every tracking that matches the filters, page after page, as an async iterator.
    #[pyo3(signature = (**filters))]
    fn list_all(
        &self,
        py: Python<'_>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<AsyncTrackingIterator> {
        let client = self.core.client()?;
        let filters = inputs::list_filters(py, filters)?;
        let stream = client.trackings().list_all(filters).boxed();
        Ok(AsyncTrackingIterator { stream: Arc::new(tokio::sync::Mutex::new(stream)) })
    }
}

type Trackings = Arc<
    tokio::sync::Mutex<BoxStream<'static, trackingmore::Result<trackingmore::types::Tracking>>>,
>;

/// The iterator `Client.list_all` returns; pages are fetched as it is read.
#[pyclass(frozen, module = "trackingmore_rs")]
pub struct TrackingIterator {
    stream: Trackings,
    /// The runtime of the client it came from, which holds its connections.
    runtime: Arc<runtime::CallerRuntime>,
}

#[pymethods]
impl TrackingIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let stream = Arc::clone(&self.stream);
        let next =
            self.runtime.block_on(py, async move { Ok(stream.lock().await.next().await) })?;
        match next {
            Some(Ok(tracking)) => Tracking::wrap(py, tracking).map(Some),
            Some(Err(error)) => Err(errors::to_py(error)),
            None => Ok(None),
        }
    }
}

/// The async iterator `AsyncClient.list_all` returns; pages are fetched as it is read.
#[pyclass(frozen, module = "trackingmore_rs")]
pub struct AsyncTrackingIterator {
    stream: Trackings,
}

#[pymethods]
impl AsyncTrackingIterator {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stream = Arc::clone(&self.stream);
        completion::awaitable(py, async move {
            let next = stream.lock().await.next().await;
            match next {
                Some(Ok(tracking)) => {
                    Ok(runtime::Deferred(Box::new(move |py| Tracking::wrap(py, tracking))))
                }
                Some(Err(error)) => Err(errors::to_py(error)),
                None => Err(PyStopAsyncIteration::new_err(())),
            }
        })
    }
}

/// Binds each operation to `Client` (blocking, GIL released) and `AsyncClient` (awaitable),
/// with the same name, signature and documentation.
macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),* $(; **$kwargs:ident)?) $(signature $sig:tt)?;
    )*) => {
        #[pymethods]
        impl Client {
            $(
                $(#[doc = $doc])*
                $(#[pyo3(signature = $sig)])?
                fn $name(
                    &self,
                    py: Python<'_>,
                    $($arg: $ty,)*
                    $($kwargs: Option<&Bound<'_, PyDict>>)?
                ) -> PyResult<Py<PyAny>> {
                    let pending = $name(&self.core, py, $($arg,)* $($kwargs)?)?;
                    let convert = self.runtime.block_on(py, pending)?;
                    convert(py)
                }
            )*
        }

        #[pymethods]
        impl AsyncClient {
            $(
                $(#[doc = $doc])*
                $(#[pyo3(signature = $sig)])?
                fn $name<'py>(
                    &self,
                    py: Python<'py>,
                    $($arg: $ty,)*
                    $($kwargs: Option<&Bound<'py, PyDict>>)?
                ) -> PyResult<Bound<'py, PyAny>> {
                    let pending = $name(&self.core, py, $($arg,)* $($kwargs)?)?;
                    completion::awaitable(py, async move { pending.await.map(runtime::Deferred) })
                }
            )*
        }
    };
}

operations! {
    /// Starts tracking one shipment.
    fn create(carrier_code: String, tracking_number: String; **fields)
        signature (carrier_code, tracking_number, **fields);
    /// Reads one stored tracking, with checkpoint texts in `lang` when given.
    fn get(carrier_code: String, tracking_number: String, lang: Option<String>)
        signature (carrier_code, tracking_number, *, lang=None);
    /// Reads one stored tracking with checkpoint texts in `lang`.
    fn get_in_language(carrier_code: String, tracking_number: String, lang: String);
    /// Changes fields of one stored tracking.
    fn update(carrier_code: String, tracking_number: String; **changes)
        signature (carrier_code, tracking_number, **changes);
    /// Deletes one stored tracking.
    fn delete(carrier_code: String, tracking_number: String);
    /// One page of stored trackings.
    fn list_trackings(; **filters) signature (**filters);
    /// Creates any number of trackings, 40 per call, several calls at a time.
    fn batch_create(items: &Bound<'_, PyAny>);
    /// Changes fields of any number of trackings, 40 per call.
    fn update_many(items: &Bound<'_, PyAny>);
    /// Deletes any number of trackings, 40 per call.
    fn delete_many(items: &Bound<'_, PyAny>);
    /// Stops the background refresh of any number of trackings, 40 per call.
    fn stop_updating(items: &Bound<'_, PyAny>);
    /// Queries one shipment live at its carrier, creating it if needed.
    fn realtime(carrier_code: String, tracking_number: String; **fields)
        signature (carrier_code, tracking_number, **fields);
    /// Moves a stored tracking to another carrier code.
    fn change_carrier(carrier_code: String, tracking_number: String, new_carrier_code: String);
    /// The account's e-mail, balance and remaining quota.
    fn user_info();
    /// How many trackings are in each status.
    fn status_counts(; **filters) signature (**filters);
    /// Every supported carrier, names in `lang` when given.
    fn carriers(lang: Option<String>) signature (lang=None);
    /// The carriers that may have issued a tracking number, best guess first.
    fn detect_carrier(tracking_number: String);
    /// Which carriers list each place as a remote area.
    fn remote_areas(places: &Bound<'_, PyAny>);
    /// Delivery-time statistics per lane.
    fn transit_times(lanes: &Bound<'_, PyAny>);
    /// Tracks air waybills (20 quota units each).
    fn air_cargo(waybills: &Bound<'_, PyAny>, lang: Option<String>)
        signature (waybills, lang=None);
    /// Sends any request through the same hooks and envelope rules; returns `data`.
    fn raw(method: String, path: String, body: Option<&Bound<'_, PyAny>>)
        signature (method, path, body=None);
}
