//! Results as Python objects: frozen classes for the core resources, dicts for the rest.
//!
//! Each resource class holds the facade's value and converts a field only when Python reads
//! it, so turning a page of 2,000 trackings into Python objects allocates 2,000 small
//! wrappers and nothing else. The attribute names are the Rust field names, which follow
//! the OpenAPI property names in snake case (`lastEvent` is `last_event`); `to_dict()` gives
//! the wire names back, exactly as the API sent them, unknown properties included.
//!
//! Status-like values become members of the `str`-based enums of `trackingmore_rs._enums`
//! when this version knows them, and stay plain `str` when it does not.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyString, PyType};
use serde::Serialize;
use serde_json::Value;
use trackingmore::model::{Status, Substatus};
use trackingmore::{BatchResult as RustBatch, TrackingId, types};

/// A field value that Python can read.
pub(crate) trait Field {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;
}

impl<T: Field> Field for Option<T> {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(value) => value.field(py),
            None => Ok(py.None()),
        }
    }
}

impl<T: Field> Field for Vec<T> {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items = self.iter().map(|item| item.field(py)).collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any().unbind())
    }
}

macro_rules! plain_fields {
    ($($ty:ty),+) => {
        $(impl Field for $ty {
            fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Ok(self.into_pyobject(py)?.to_owned().into_any().unbind())
            }
        })+
    };
}

plain_fields!(String, i64, u64, u32, usize, f64, bool);

impl Field for Value {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, self)
    }
}

impl Field for serde_json::Map<String, Value> {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, self)
    }
}

impl Field for types::IntegerOrString {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            types::IntegerOrString::Integer(number) => number.field(py),
            types::IntegerOrString::String(text) => text.field(py),
        }
    }
}

impl Field for types::BooleanOrString {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            types::BooleanOrString::Boolean(flag) => flag.field(py),
            types::BooleanOrString::String(text) => text.field(py),
        }
    }
}

impl Field for types::StringOrStringArray {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            types::StringOrStringArray::String(text) => text.field(py),
            types::StringOrStringArray::Array(texts) => texts.field(py),
        }
    }
}

static STATUS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SUBSTATUS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A member of the Python enum `class_name` for a known value, the plain string otherwise.
fn open_value(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyType>>,
    class_name: &str,
    value: &str,
    known: bool,
) -> PyResult<Py<PyAny>> {
    if known {
        let class = cell.import(py, "trackingmore_rs._enums", class_name)?;
        // A value the Rust client knows but the Python enum does not (the two are generated
        // from the same document, so only a stale build can get here) stays a string.
        if let Ok(member) = class.call1((value,)) {
            return Ok(member.unbind());
        }
    }
    Ok(PyString::new(py, value).into_any().unbind())
}

impl Field for Status {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        open_value(py, &STATUS, "Status", self.as_str(), self.is_known())
    }
}

impl Field for Substatus {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        open_value(py, &SUBSTATUS, "Substatus", self.as_str(), self.is_known())
    }
}

/// Any serde value as plain Python data (dicts, lists, str, int, float, bool, None).
pub(crate) fn to_python<T: Serialize + ?Sized>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, value)?.unbind())
}

/// The `repr()` of one field, for `__repr__`.
fn field_repr(py: Python<'_>, value: &dyn Field) -> PyResult<String> {
    Ok(value.field(py)?.bind(py).repr()?.to_string())
}

/// Declares a frozen resource class around a facade type: one getter per field, plus
/// `to_dict`, `__repr__` (showing the `repr` fields) and `__eq__` (by value).
macro_rules! resource {
    (
        $(#[doc = $doc:literal])*
        $name:ident($inner:ty) {
            repr: [$($shown:ident),*],
            fields: [$($field:ident $(as $py_name:literal)?),* $(,)?],
        }
    ) => {
        $(#[doc = $doc])*
        #[pyclass(frozen, module = "trackingmore_rs")]
        #[derive(Debug)]
        pub struct $name {
            pub(crate) inner: $inner,
        }

        impl $name {
            pub(crate) fn wrap(py: Python<'_>, inner: $inner) -> PyResult<Py<PyAny>> {
                Ok(Py::new(py, $name { inner })?.into_any())
            }
        }

        impl Field for $inner {
            fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                $name::wrap(py, self.clone())
            }
        }

        #[pymethods]
        impl $name {
            $(
                #[getter]
                $(#[pyo3(name = $py_name)])?
                fn $field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                    self.inner.$field.field(py)
                }
            )*

            /// The resource as the API sent it: wire names, unknown properties included.
            fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                to_python(py, &self.inner)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let shown: Vec<String> = vec![
                    $(format!("{}={}", stringify!($shown), field_repr(py, &self.inner.$shown)?)),*
                ];
                Ok(format!("{}({})", stringify!($name), shown.join(", ")))
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                match other.cast::<$name>() {
                    Ok(other) => {
                        let same = serde_json::to_value(&self.inner).ok()
                            == serde_json::to_value(&other.get().inner).ok();
                        Ok(same.into_pyobject(py)?.to_owned().into_any().unbind())
                    }
                    Err(_) => Ok(py.NotImplemented()),
                }
            }
        }
    };
}

resource! {
    /// A tracked shipment.
    Tracking(types::Tracking) {
        repr: [carrier_code, tracking_number, status],
        fields: [
            archived, carrier_code, comment, created_at, customer_email, customer_name,
            destination_country, destination_info, id, item_time_length, last_event,
            last_update_time, order_create_time, order_id, origin_info, original_country,
            service_code, singed_by, status, status_info, stay_time_length, substatus, title,
            track_update, tracking_number, updated_at, extra,
        ],
    }
}

resource! {
    /// One carrier leg of a shipment, with its checkpoints.
    CarrierInfo(types::CarrierInfo) {
        repr: [carrier_code],
        fields: [
            arrivalfrom_abroad, carrier_code, customs_clearance, departfrom_airport,
            destination_arrived, item_dispatched, item_received, phone, reference_number,
            trackinfo, weblink, extra,
        ],
    }
}

resource! {
    /// One event of a carrier leg.
    Checkpoint(types::Checkpoint) {
        repr: [date, checkpoint_status, status_description],
        fields: [
            act_type, checkpoint_status, date, details, item_node, status_description,
            substatus, substatus_num, extra,
        ],
    }
}

resource! {
    /// The echo of a created tracking.
    CreatedTracking(types::CreatedTracking) {
        repr: [carrier_code, tracking_number, status],
        fields: [
            carrier_code, comment, created_at, customer_email, customer_name, customer_phone,
            destination, id, logistics_channel, order_create_time, order_id, status, title,
            tracking_number, extra,
        ],
    }
}

resource! {
    /// The echo of an updated tracking.
    UpdatedTracking(types::UpdatedTracking) {
        repr: [carrier_code, tracking_number, status],
        fields: [
            archived, carrier_code, comment, created_at, customer_email, customer_name,
            customer_phone, destination, destination_code, id, logistics_channel,
            order_create_time, order_id, status, title, tracking_number, updated_at, extra,
        ],
    }
}

resource! {
    /// A supported carrier.
    Carrier(types::Carrier) {
        repr: [code, name],
        fields: [code, homepage, name, phone, picture, type_ as "type"],
    }
}

resource! {
    /// A carrier that may have issued a tracking number.
    DetectedCarrier(types::DetectedCarrier) {
        repr: [code, name],
        fields: [code, name],
    }
}

resource! {
    /// The account's e-mail, balance and remaining quota.
    UserInfo(types::UserInfo) {
        repr: [email, track_number],
        fields: [email, money, phone, regtime, track_number],
    }
}

resource! {
    /// How many trackings are in each status.
    StatusCounts(types::StatusCounts) {
        repr: [pending, notfound, transit, pickup, delivered, undelivered, exception, expired],
        fields: [delivered, exception, expired, notfound, pending, pickup, transit, undelivered],
    }
}

/// One page of `list_trackings`: the trackings and the paging numbers.
///
/// The items are wrapped once, when the page is built, so `page.items` is the same list
/// every time it is read.
#[pyclass(frozen, module = "trackingmore_rs")]
#[derive(Debug)]
pub struct Page {
    items: Py<PyList>,
    page: Option<i64>,
    limit: Option<i64>,
    count: Option<i64>,
    total: Option<types::IntegerOrString>,
}

impl Page {
    pub(crate) fn wrap(py: Python<'_>, page: types::TrackingPage) -> PyResult<Py<PyAny>> {
        let items = page.items.unwrap_or_default();
        let wrapped = items
            .into_iter()
            .map(|inner| Py::new(py, Tracking { inner }))
            .collect::<PyResult<Vec<_>>>()?;
        let page = Page {
            items: PyList::new(py, wrapped)?.unbind(),
            page: page.page,
            limit: page.limit,
            count: page.count,
            total: page.total,
        };
        Ok(Py::new(py, page)?.into_any())
    }
}

#[pymethods]
impl Page {
    /// The trackings of this page.
    #[getter]
    fn items(&self, py: Python<'_>) -> Py<PyList> {
        self.items.clone_ref(py)
    }

    /// The page number, from 1.
    #[getter]
    fn page(&self) -> Option<i64> {
        self.page
    }

    /// The page size asked for.
    #[getter]
    fn limit(&self) -> Option<i64> {
        self.limit
    }

    /// How many items this page holds.
    #[getter]
    fn count(&self) -> Option<i64> {
        self.count
    }

    /// How many trackings match the filters, over all pages.
    #[getter]
    fn total(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.total.field(py)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.items.bind(py).len()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.items.bind(py).try_iter()?.into_any().unbind())
    }

    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dict = pyo3::types::PyDict::new(py);
        let items = self
            .items
            .bind(py)
            .iter()
            .map(|item| item.call_method0("to_dict"))
            .collect::<PyResult<Vec<_>>>()?;
        dict.set_item("items", PyList::new(py, items)?)?;
        dict.set_item("page", self.page)?;
        dict.set_item("limit", self.limit)?;
        dict.set_item("count", self.count)?;
        dict.set_item("total", self.total.field(py)?)?;
        Ok(dict.into_any().unbind())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Page(page={}, limit={}, count={}, items=<{} trackings>)",
            opt(self.page),
            opt(self.limit),
            opt(self.count),
            self.items.bind(py).len()
        )
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        match other.cast::<Page>() {
            Ok(other) => {
                let other = other.get();
                let same = self.page == other.page
                    && self.limit == other.limit
                    && self.count == other.count
                    && self.items.bind(py).eq(other.items.bind(py))?;
                Ok(same.into_pyobject(py)?.to_owned().into_any().unbind())
            }
            Err(_) => Ok(py.NotImplemented()),
        }
    }
}

/// Decodes the body of a `listTrackings` answer into a `Page`, without any I/O.
///
/// For benchmarks that compare the conversion with `json.loads` of the same bytes; the
/// clients do the same on their runtime threads.
#[pyfunction]
#[pyo3(name = "_decode_page")]
pub(crate) fn decode_page(py: Python<'_>, body: &[u8]) -> PyResult<Py<PyAny>> {
    let decoded = py.detach(|| serde_json::from_slice::<types::ListTrackingsResponse>(body));
    let envelope = decoded.map_err(|error| PyValueError::new_err(error.to_string()))?;
    Page::wrap(py, envelope.data.unwrap_or_default())
}

fn opt(value: Option<i64>) -> String {
    value.map_or_else(|| "None".to_owned(), |value| value.to_string())
}

/// A carrier code and a tracking number: the key of one stored tracking.
#[pyclass(frozen, eq, hash, module = "trackingmore_rs")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrackingRef {
    /// The carrier code.
    #[pyo3(get)]
    carrier_code: String,
    /// The tracking number.
    #[pyo3(get)]
    tracking_number: String,
}

impl TrackingRef {
    pub(crate) fn from_id(id: TrackingId) -> TrackingRef {
        TrackingRef { carrier_code: id.carrier_code, tracking_number: id.tracking_number }
    }

    pub(crate) fn id(&self) -> TrackingId {
        TrackingId::new(&self.carrier_code, &self.tracking_number)
    }
}

#[pymethods]
impl TrackingRef {
    #[new]
    fn new(carrier_code: String, tracking_number: String) -> TrackingRef {
        TrackingRef { carrier_code, tracking_number }
    }

    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("carrier_code", &self.carrier_code)?;
        dict.set_item("tracking_number", &self.tracking_number)?;
        Ok(dict.into_any().unbind())
    }

    fn __repr__(&self) -> String {
        format!(
            "TrackingRef(carrier_code={:?}, tracking_number={:?})",
            self.carrier_code, self.tracking_number
        )
    }
}

impl Field for TrackingId {
    fn field(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, TrackingRef::from_id(self.clone()))?.into_any())
    }
}

/// One item of a batch call that was carried out.
#[pyclass(frozen, module = "trackingmore_rs")]
#[derive(Debug)]
pub struct BatchItem {
    /// Position of the item in the input.
    #[pyo3(get)]
    index: usize,
    /// What the API answered for it: a `CreatedTracking` or a `TrackingRef`.
    #[pyo3(get)]
    value: Py<PyAny>,
    /// Counted as done because a retry met what an earlier, ambiguous attempt did.
    #[pyo3(get)]
    recovered: bool,
}

#[pymethods]
impl BatchItem {
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("index", self.index)?;
        dict.set_item("value", self.value.bind(py).call_method0("to_dict")?)?;
        dict.set_item("recovered", self.recovered)?;
        Ok(dict.into_any().unbind())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "BatchItem(index={}, value={}, recovered={})",
            self.index,
            self.value.bind(py).repr()?,
            if self.recovered { "True" } else { "False" }
        ))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        match other.cast::<BatchItem>() {
            Ok(other) => {
                let other = other.get();
                let same = self.index == other.index
                    && self.recovered == other.recovered
                    && self.value.bind(py).eq(other.value.bind(py))?;
                Ok(same.into_pyobject(py)?.to_owned().into_any().unbind())
            }
            Err(_) => Ok(py.NotImplemented()),
        }
    }
}

/// One item of a batch call that was rejected.
#[pyclass(frozen, eq, module = "trackingmore_rs")]
#[derive(Debug, PartialEq)]
pub struct BatchError {
    /// Position of the item in the input.
    #[pyo3(get)]
    index: usize,
    /// The carrier code the item named.
    #[pyo3(get)]
    carrier_code: String,
    /// The tracking number the item named.
    #[pyo3(get)]
    tracking_number: String,
    /// The item's meta code (4016, 4015, ...), or the failed call's.
    #[pyo3(get)]
    meta_code: Option<i64>,
    /// The API's message, or the failed call's error.
    #[pyo3(get)]
    message: String,
}

#[pymethods]
impl BatchError {
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("index", self.index)?;
        dict.set_item("carrier_code", &self.carrier_code)?;
        dict.set_item("tracking_number", &self.tracking_number)?;
        dict.set_item("meta_code", self.meta_code)?;
        dict.set_item("message", &self.message)?;
        Ok(dict.into_any().unbind())
    }

    fn __repr__(&self) -> String {
        format!(
            "BatchError(index={}, carrier_code={:?}, tracking_number={:?}, meta_code={}, \
             message={:?})",
            self.index,
            self.carrier_code,
            self.tracking_number,
            opt(self.meta_code),
            self.message
        )
    }
}

/// The merged outcome of a batch call of any size.
#[pyclass(frozen, module = "trackingmore_rs")]
#[derive(Debug)]
pub struct BatchResult {
    /// The items that were carried out, in input order.
    #[pyo3(get)]
    done: Py<PyList>,
    /// The items that were rejected, in input order.
    #[pyo3(get)]
    errors: Py<PyList>,
    /// How many items were submitted.
    #[pyo3(get)]
    submitted: usize,
    /// How many API calls were made (one per chunk of 40).
    #[pyo3(get)]
    calls: usize,
    /// Whether any chunk was accepted only in part (meta 202).
    #[pyo3(get)]
    partial: bool,
}

impl BatchResult {
    pub(crate) fn wrap<T: Field>(py: Python<'_>, batch: RustBatch<T>) -> PyResult<Py<PyAny>> {
        let done = batch
            .done
            .iter()
            .map(|done| {
                let item = BatchItem {
                    index: done.index,
                    value: done.value.field(py)?,
                    recovered: done.recovered,
                };
                Py::new(py, item)
            })
            .collect::<PyResult<Vec<_>>>()?;
        let errors = batch
            .errors
            .into_iter()
            .map(|error| {
                let item = BatchError {
                    index: error.index,
                    carrier_code: error.id.carrier_code,
                    tracking_number: error.id.tracking_number,
                    meta_code: error.code.map(|code| code.code()),
                    message: error.message,
                };
                Py::new(py, item)
            })
            .collect::<PyResult<Vec<_>>>()?;
        let result = BatchResult {
            done: PyList::new(py, done)?.unbind(),
            errors: PyList::new(py, errors)?.unbind(),
            submitted: batch.submitted,
            calls: batch.calls,
            partial: batch.partial,
        };
        Ok(Py::new(py, result)?.into_any())
    }
}

#[pymethods]
impl BatchResult {
    /// Whether every item was carried out.
    fn is_complete(&self, py: Python<'_>) -> bool {
        self.errors.bind(py).is_empty() && self.done.bind(py).len() == self.submitted
    }

    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dicts = |list: &Py<PyList>| -> PyResult<Bound<'_, PyList>> {
            let items = list
                .bind(py)
                .iter()
                .map(|item| item.call_method0("to_dict"))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)
        };
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("done", dicts(&self.done)?)?;
        dict.set_item("errors", dicts(&self.errors)?)?;
        dict.set_item("submitted", self.submitted)?;
        dict.set_item("calls", self.calls)?;
        dict.set_item("partial", self.partial)?;
        Ok(dict.into_any().unbind())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "BatchResult(submitted={}, done={}, errors={}, calls={}, partial={})",
            self.submitted,
            self.done.bind(py).len(),
            self.errors.bind(py).len(),
            self.calls,
            if self.partial { "True" } else { "False" }
        )
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        match other.cast::<BatchResult>() {
            Ok(other) => {
                let other = other.get();
                let same = self.submitted == other.submitted
                    && self.calls == other.calls
                    && self.partial == other.partial
                    && self.done.bind(py).eq(other.done.bind(py))?
                    && self.errors.bind(py).eq(other.errors.bind(py))?;
                Ok(same.into_pyobject(py)?.to_owned().into_any().unbind())
            }
            Err(_) => Ok(py.NotImplemented()),
        }
    }
}

/// A verified (or merely parsed) webhook push.
#[pyclass(frozen, module = "trackingmore_rs")]
#[derive(Debug)]
pub struct WebhookEvent {
    pub(crate) inner: trackingmore::webhook::WebhookEvent,
}

#[pymethods]
impl WebhookEvent {
    /// The tracking as it is after the change.
    #[getter]
    fn tracking(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.inner.tracking.field(py)
    }

    /// The envelope's `meta` block, when the push had one.
    #[getter]
    fn meta(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &self.inner.meta {
            Some(meta) => to_python(py, meta),
            None => Ok(py.None()),
        }
    }

    /// `verifyInfo.timeStr`: when the push was signed, unix seconds as a string.
    #[getter]
    fn time_str(&self) -> Option<String> {
        self.inner.time_str.clone()
    }

    /// `verifyInfo.signature`.
    #[getter]
    fn signature(&self) -> Option<String> {
        self.inner.signature.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "WebhookEvent(tracking={}, time_str={:?})",
            self.tracking(py)?.bind(py).repr()?,
            self.inner.time_str.as_deref().unwrap_or_default()
        ))
    }
}
