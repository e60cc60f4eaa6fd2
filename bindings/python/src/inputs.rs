//! Python arguments to the facade's inputs: keyword arguments and dicts, checked by serde.
//!
//! Every input shape is a serde struct with `deny_unknown_fields`, read from the keyword
//! arguments or the dict by pythonize, so a misspelt keyword is a `TypeError` naming the
//! keywords that exist, and the list of fields lives in one place. Values the facade refuses
//! (an empty number, a page size over 2,000) come back from it as `InvalidRequestError`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use trackingmore::model::Status;
use trackingmore::{
    CountFilters, Lane, ListFilters, NewTracking, Place, TrackingChanges, TrackingId, types,
};

use crate::errors;
use crate::models::TrackingRef;

/// Reads `value` as `T`; a shape error names `what` (the call or the item).
fn read<T: DeserializeOwned>(value: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    pythonize::depythonize(value).map_err(|error| PyTypeError::new_err(format!("{what}: {error}")))
}

/// The keyword arguments as a dict (empty when none were given).
fn kwargs<'py>(
    py: Python<'py>,
    given: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    match given {
        Some(dict) => dict.copy(),
        None => Ok(PyDict::new(py)),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTrackingInput {
    carrier_code: String,
    tracking_number: String,
    title: Option<String>,
    customer_name: Option<String>,
    customer_email: Option<String>,
    customer_phone: Option<String>,
    order_id: Option<String>,
    order_create_time: Option<String>,
    destination_code: Option<String>,
    logistics_channel: Option<String>,
    comment: Option<String>,
    lang: Option<String>,
    tracking_ship_date: Option<String>,
    tracking_postal_code: Option<String>,
    tracking_account_number: Option<String>,
    tracking_destination_country: Option<String>,
    #[serde(default)]
    keep_carrier_code: bool,
}

impl From<NewTrackingInput> for NewTracking {
    fn from(input: NewTrackingInput) -> NewTracking {
        let mut new = NewTracking::new(input.carrier_code, input.tracking_number);
        new.title = input.title;
        new.customer_name = input.customer_name;
        new.customer_email = input.customer_email;
        new.customer_phone = input.customer_phone;
        new.order_id = input.order_id;
        new.order_create_time = input.order_create_time;
        new.destination_code = input.destination_code;
        new.logistics_channel = input.logistics_channel;
        new.comment = input.comment;
        new.lang = input.lang;
        new.tracking_ship_date = input.tracking_ship_date;
        new.tracking_postal_code = input.tracking_postal_code;
        new.tracking_account_number = input.tracking_account_number;
        new.tracking_destination_country = input.tracking_destination_country;
        new.keep_carrier_code = input.keep_carrier_code;
        new
    }
}

/// `create(carrier_code, tracking_number, **fields)`.
pub(crate) fn new_tracking(
    py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<NewTracking> {
    let dict = kwargs(py, fields)?;
    dict.set_item("carrier_code", carrier_code)?;
    dict.set_item("tracking_number", tracking_number)?;
    Ok(read::<NewTrackingInput>(dict.as_any(), "create()")?.into())
}

/// One item of `batch_create`: a mapping with the keywords of `create`.
pub(crate) fn new_trackings(items: &Bound<'_, PyAny>) -> PyResult<Vec<NewTracking>> {
    each(items, |index, item| {
        Ok(read::<NewTrackingInput>(item, &format!("batch_create() item {index}"))?.into())
    })
}

/// Applies `read` to every element of an iterable.
fn each<T>(
    items: &Bound<'_, PyAny>,
    mut read: impl FnMut(usize, &Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    if items.is_instance_of::<PyString>() || items.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(
            "expected an iterable of items, not a single str or dict",
        ));
    }
    items.try_iter()?.enumerate().map(|(index, item)| read(index, &item?)).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangesInput {
    archived: Option<bool>,
    customer_email: Option<String>,
    customer_name: Option<String>,
    customer_phone: Option<String>,
    destination_code: Option<String>,
    logistics_channel: Option<String>,
    order_id: Option<String>,
    status: Option<Value>,
    title: Option<String>,
}

impl ChangesInput {
    fn into_changes(self) -> PyResult<TrackingChanges> {
        let mut body = Map::new();
        let mut put = |name: &str, value: Option<Value>| {
            if let Some(value) = value {
                body.insert(name.to_owned(), value);
            }
        };
        put("archived", self.archived.map(|flag| json!(if flag { "true" } else { "false" })));
        put("customer_email", self.customer_email.map(Value::String));
        put("customer_name", self.customer_name.map(Value::String));
        put("customer_phone", self.customer_phone.map(Value::String));
        put("destination_code", self.destination_code.map(Value::String));
        put("logistics_channel", self.logistics_channel.map(Value::String));
        put("order_id", self.order_id.map(Value::String));
        put("status", self.status);
        put("title", self.title.map(Value::String));
        serde_json::from_value(Value::Object(body))
            .map_err(|error| errors::invalid(error.to_string()))
    }
}

/// `update(carrier_code, tracking_number, **changes)`.
pub(crate) fn changes(
    py: Python<'_>,
    given: Option<&Bound<'_, PyDict>>,
) -> PyResult<TrackingChanges> {
    read::<ChangesInput>(kwargs(py, given)?.as_any(), "update()")?.into_changes()
}

/// Items of `update_many`: mappings with `carrier_code`, `tracking_number` and changes.
pub(crate) fn changes_many(
    items: &Bound<'_, PyAny>,
) -> PyResult<Vec<(TrackingId, TrackingChanges)>> {
    each(items, |index, item| {
        let what = format!("update_many() item {index}");
        let dict = item
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err(format!("{what}: expected a dict")))?
            .copy()?;
        let id = (dict.get_item("carrier_code")?, dict.get_item("tracking_number")?);
        let (Some(carrier), Some(number)) = id else {
            return Err(PyTypeError::new_err(format!(
                "{what}: carrier_code and tracking_number are required"
            )));
        };
        let id = TrackingId::new(carrier.extract::<String>()?, number.extract::<String>()?);
        dict.del_item("carrier_code")?;
        dict.del_item("tracking_number")?;
        Ok((id, read::<ChangesInput>(dict.as_any(), &what)?.into_changes()?))
    })
}

/// Items that name trackings: `TrackingRef`s, `(carrier_code, tracking_number)` pairs or
/// mappings with those two keys.
pub(crate) fn tracking_ids(items: &Bound<'_, PyAny>, call: &str) -> PyResult<Vec<TrackingId>> {
    each(items, |index, item| {
        if let Ok(reference) = item.cast::<TrackingRef>() {
            return Ok(reference.get().id());
        }
        if let Ok(pair) = item.cast::<PyTuple>() {
            let (carrier, number): (String, String) = pair.extract()?;
            return Ok(TrackingId::new(carrier, number));
        }
        read::<RefInput>(item, &format!("{call} item {index}"))
            .map(|input| TrackingId::new(input.carrier_code, input.tracking_number))
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefInput {
    carrier_code: String,
    tracking_number: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListInput {
    page: Option<u64>,
    limit: Option<u64>,
    status: Option<String>,
    created_at_min: Option<i64>,
    created_at_max: Option<i64>,
    update_time_min: Option<i64>,
    update_time_max: Option<i64>,
    order_created_time_min: Option<i64>,
    order_created_time_max: Option<i64>,
    lang: Option<String>,
    numbers: Option<Vec<String>>,
    orders: Option<Vec<String>>,
    archived: Option<bool>,
}

/// `list_trackings(**filters)` and `list_all(**filters)`.
pub(crate) fn list_filters(
    py: Python<'_>,
    given: Option<&Bound<'_, PyDict>>,
) -> PyResult<ListFilters> {
    let input: ListInput = read(kwargs(py, given)?.as_any(), "list_trackings()")?;
    let mut filters = ListFilters::new();
    filters.page = input.page;
    filters.limit = input.limit;
    filters.status = input.status.map(Status::from);
    filters.created_at_min = input.created_at_min;
    filters.created_at_max = input.created_at_max;
    filters.update_time_min = input.update_time_min;
    filters.update_time_max = input.update_time_max;
    filters.order_created_time_min = input.order_created_time_min;
    filters.order_created_time_max = input.order_created_time_max;
    filters.lang = input.lang;
    filters.numbers = input.numbers.unwrap_or_default();
    filters.orders = input.orders.unwrap_or_default();
    filters.archived = input.archived;
    Ok(filters)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountInput {
    created_at_min: Option<i64>,
    created_at_max: Option<i64>,
    order_created_time_min: Option<i64>,
    order_created_time_max: Option<i64>,
}

/// `status_counts(**filters)`.
pub(crate) fn count_filters(
    py: Python<'_>,
    given: Option<&Bound<'_, PyDict>>,
) -> PyResult<CountFilters> {
    let input: CountInput = read(kwargs(py, given)?.as_any(), "status_counts()")?;
    Ok(CountFilters::new()
        .created_between(input.created_at_min, input.created_at_max)
        .ordered_between(input.order_created_time_min, input.order_created_time_max))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceInput {
    country: String,
    postcode: String,
    company: Option<String>,
}

/// Items of `remote_areas`: mappings with `country`, `postcode` and optionally `company`.
pub(crate) fn places(items: &Bound<'_, PyAny>) -> PyResult<Vec<Place>> {
    each(items, |index, item| {
        let input: PlaceInput = read(item, &format!("remote_areas() item {index}"))?;
        let place = Place::new(input.country, input.postcode);
        Ok(match input.company {
            Some(company) => place.company(company),
            None => place,
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LaneInput {
    carrier_code: String,
    from: String,
    to: String,
}

/// Items of `transit_times`: mappings with `carrier_code`, `from` and `to`.
pub(crate) fn lanes(items: &Bound<'_, PyAny>) -> PyResult<Vec<Lane>> {
    each(items, |index, item| {
        let input: LaneInput = read(item, &format!("transit_times() item {index}"))?;
        Ok(Lane::new(input.carrier_code, input.from, input.to))
    })
}

/// Air waybill numbers: an iterable of strings.
pub(crate) fn waybills(items: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    each(items, |_, item| item.extract::<String>())
}

/// The keywords `realtime` takes; read only to refuse the others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "the fields are read as JSON into the generated request")]
struct RealtimeInput {
    carrier_code: String,
    tracking_number: String,
    destination_code: Option<String>,
    lang: Option<String>,
    order: Option<String>,
    order_create_time: Option<String>,
    special_number_destination: Option<String>,
    tracking_account_number: Option<String>,
    tracking_postal_code: Option<String>,
    tracking_ship_date: Option<String>,
}

/// `realtime(carrier_code, tracking_number, **fields)`.
pub(crate) fn realtime(
    py: Python<'_>,
    carrier_code: String,
    tracking_number: String,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<types::RealtimeRequest> {
    let dict = kwargs(py, fields)?;
    dict.set_item("carrier_code", carrier_code.trim())?;
    dict.set_item("tracking_number", tracking_number.trim())?;
    // Read once for the keyword check, then again as the generated request, whose
    // constrained strings refuse an empty carrier code or number.
    let _: RealtimeInput = read(dict.as_any(), "realtime()")?;
    let value: Value = read(dict.as_any(), "realtime()")?;
    serde_json::from_value(value).map_err(|error| errors::invalid(format!("realtime(): {error}")))
}

/// Any JSON-like Python value, for `raw` bodies.
pub(crate) fn json_value(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    read(value, "raw() body")
}
