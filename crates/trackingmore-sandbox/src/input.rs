//! Reading requests the way real clients send them: extractors whose rejections become v2
//! envelopes, and lenient field readers.
//!
//! Leniency rules, all taken from what clients are seen to send: the body is parsed as JSON
//! whatever the `Content-Type`; unknown fields are ignored; empty strings and `null` count as
//! absent; `status` may be a number or a numeric string; `archived` may be `"true"`/`"false"`
//! or a JSON boolean; text fields accept numbers (an order id sent as `12345`). Everything
//! else of the wrong type is a 4012.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::carriers::{self, Carrier};
use crate::envelope::{ApiError, MetaCode};
use crate::model::Extra;

/// The longest text field the sandbox stores; longer values are a 4012 (a guess: the real
/// limits are not documented).
const MAX_TEXT: usize = 1024;

/// The longest tracking number accepted (a guess as well; real numbers stay under 40).
const MAX_NUMBER: usize = 64;

/// The JSON body, `None` when the body is empty.
#[derive(Debug)]
pub struct JsonBody(pub Option<Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody, ApiError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|error| ApiError::bad_request(format!("unreadable body: {error}")))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(None));
        }
        serde_json::from_slice(&bytes)
            .map(|value| JsonBody(Some(value)))
            .map_err(|error| ApiError::bad_request(format!("invalid json: {error}")))
    }
}

impl JsonBody {
    /// The body as a JSON object, or 4012.
    pub fn object(self) -> Result<Map<String, Value>, ApiError> {
        match self.0 {
            Some(Value::Object(map)) => Ok(map),
            Some(_) => Err(ApiError::bad_request("body is not a json object")),
            None => Err(ApiError::bad_request("body is empty")),
        }
    }

    /// The body as a JSON array of at most `max` items: 4012 when it is not an array or is
    /// empty, 4020 when it is longer.
    pub fn array(self, max: usize) -> Result<Vec<Value>, ApiError> {
        match self.0 {
            Some(Value::Array(items)) if items.is_empty() => {
                Err(ApiError::bad_request("body is an empty array"))
            }
            Some(Value::Array(items)) if items.len() > max => Err(ApiError::new(
                MetaCode::TOO_MANY_ITEMS,
                format!("{} items, at most {max} allowed", items.len()),
            )),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(ApiError::bad_request("body is not a json array")),
            None => Err(ApiError::bad_request("body is empty")),
        }
    }
}

/// Path parameters by name; rejections (bad percent-encoding) become 4012.
#[derive(Debug)]
pub struct PathParams(pub BTreeMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<PathParams, ApiError> {
        Path::<BTreeMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Path(params)| PathParams(params))
            .map_err(|error| ApiError::bad_request(format!("bad path: {error}")))
    }
}

impl PathParams {
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

/// Query parameters, or a JSON object body for clients that turn GET into POST; empty values
/// are dropped.
pub fn params(query: Option<&str>, body: JsonBody) -> Result<Map<String, Value>, ApiError> {
    let mut map = Map::new();
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if !value.is_empty() {
            map.insert(key.into_owned(), Value::String(value.into_owned()));
        }
    }
    match body.0 {
        None => {}
        Some(Value::Object(fields)) => {
            for (key, value) in fields {
                if !is_blank(&value) {
                    map.insert(key, value);
                }
            }
        }
        Some(_) => return Err(ApiError::bad_request("body is not a json object")),
    }
    Ok(map)
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

/// An optional text field: strings and numbers are accepted, blank means absent.
pub fn text(map: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    let text = match map.get(name) {
        None => return Ok(None),
        Some(value) if is_blank(value) => return Ok(None),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        Some(_) => return Err(ApiError::bad_request(format!("{name} has the wrong type"))),
    };
    if text.len() > MAX_TEXT {
        return Err(ApiError::bad_request(format!("{name} is too long")));
    }
    Ok(Some(text))
}

/// `customer_email`: one string, or an array of strings (stored comma-separated).
pub fn email(map: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    match map.get("customer_email") {
        Some(Value::Array(items)) => {
            let mut addresses = Vec::new();
            for item in items {
                match item {
                    Value::String(address) if !address.trim().is_empty() => {
                        addresses.push(address.trim())
                    }
                    Value::String(_) | Value::Null => {}
                    _ => return Err(ApiError::bad_request("customer_email has the wrong type")),
                }
            }
            Ok((!addresses.is_empty()).then(|| addresses.join(",")))
        }
        _ => text(map, "customer_email"),
    }
}

/// An optional integer parameter: a JSON integer or a string of digits.
pub fn integer(map: &Map<String, Value>, name: &str) -> Result<Option<i64>, ApiError> {
    let parsed = match map.get(name) {
        None => return Ok(None),
        Some(value) if is_blank(value) => return Ok(None),
        Some(Value::Number(number)) => number.as_i64(),
        Some(Value::String(text)) => text.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    parsed.map(Some).ok_or_else(|| ApiError::bad_request(format!("{name} is not an integer")))
}

/// The forced status of PUT and updatemore: 4, 7 or 8, as a number or numeric string. Any
/// other number or string is a 4033; other JSON types are a 4012.
pub fn status_change(map: &Map<String, Value>) -> Result<Option<u8>, ApiError> {
    let code = match map.get("status") {
        None => return Ok(None),
        Some(value) if is_blank(value) => return Ok(None),
        Some(Value::Number(number)) => number.as_i64(),
        Some(Value::String(text)) => text.trim().parse::<i64>().ok(),
        Some(_) => return Err(ApiError::bad_request("status has the wrong type")),
    };
    match code {
        Some(code @ (4 | 7 | 8)) => Ok(Some(code as u8)),
        _ => Err(ApiError::new(MetaCode::STATUS_INVALID, "status must be 4, 7 or 8")),
    }
}

/// `archived`: `"true"`/`"false"` or a JSON boolean; anything else is a 4012.
pub fn archived(map: &Map<String, Value>) -> Result<Option<bool>, ApiError> {
    match map.get("archived") {
        None => Ok(None),
        Some(value) if is_blank(value) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::bad_request("archived must be true or false")),
    }
}

/// `tracking_number`: 4012 for a wrong type, 4013 when missing, 4014 when it does not match
/// `^[0-9a-zA-Z_-]{5,}$`.
pub fn tracking_number(map: &Map<String, Value>) -> Result<String, ApiError> {
    let number = match map.get("tracking_number") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.trim().to_owned()).filter(|text| !text.is_empty()),
        Some(_) => return Err(ApiError::bad_request("tracking_number is not a string")),
    };
    let number =
        number.ok_or_else(|| ApiError::new(MetaCode::NUMBER_REQUIRED, "no tracking_number"))?;
    check_number(&number)?;
    Ok(number)
}

/// The documented number format, also applied to numbers in paths.
pub fn check_number(number: &str) -> Result<(), ApiError> {
    let valid = (5..=MAX_NUMBER).contains(&number.len())
        && number.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(MetaCode::NUMBER_INVALID, format!("malformed tracking number: {number}")))
    }
}

/// A carrier code field: 4012 for a wrong type or when missing, 4015 when unknown.
pub fn carrier(map: &Map<String, Value>, name: &str) -> Result<&'static Carrier, ApiError> {
    let code = match map.get(name) {
        None | Some(Value::Null) => return Err(ApiError::bad_request(format!("no {name}"))),
        Some(Value::String(code)) => code.trim(),
        Some(_) => return Err(ApiError::bad_request(format!("{name} is not a string"))),
    };
    carrier_code(code)
}

/// A carrier code from a path or a field: 4015 when unknown (or empty).
pub fn carrier_code(code: &str) -> Result<&'static Carrier, ApiError> {
    carriers::find(code)
        .ok_or_else(|| ApiError::new(MetaCode::CARRIER_INVALID, format!("unknown carrier: {code}")))
}

/// A new tracking as create, batch items and realtime describe it.
#[derive(Debug)]
pub struct NewTracking {
    pub number: String,
    pub carrier: &'static Carrier,
    pub extra: Extra,
}

/// Reads and validates one create item, in the order the codes are checked: 4012 (not an
/// object), 4013/4014 (number), 4012/4015 (carrier), 4012 (optional fields of a wrong type).
pub fn new_tracking(item: &Value) -> Result<NewTracking, ApiError> {
    let Value::Object(map) = item else {
        return Err(ApiError::bad_request("item is not a json object"));
    };
    let number = tracking_number(map)?;
    let carrier = carrier(map, "carrier_code")?;
    let boxed = |value: Option<String>| value.map(String::into_boxed_str);
    let destination = text(map, "destination_code")?.map(|code| code.to_ascii_uppercase());
    let special = match text(map, "tracking_destination_country")? {
        Some(country) => Some(country),
        None => text(map, "specialNumberDestination")?,
    };
    // Realtime names the order id `order`.
    let order_id = match text(map, "order_id")? {
        Some(order) => Some(order),
        None => text(map, "order")?,
    };
    let extra = Extra {
        title: boxed(text(map, "title")?),
        customer_name: boxed(text(map, "customer_name")?),
        customer_email: boxed(email(map)?),
        customer_phone: boxed(text(map, "customer_phone")?),
        order_id: boxed(order_id),
        order_create_time: boxed(text(map, "order_create_time")?),
        comment: boxed(text(map, "comment")?),
        logistics_channel: boxed(text(map, "logistics_channel")?),
        destination_code: boxed(destination),
        tracking_ship_date: boxed(text(map, "tracking_ship_date")?),
        tracking_postal_code: boxed(text(map, "tracking_postal_code")?),
        tracking_account_number: boxed(text(map, "tracking_account_number")?),
        tracking_destination_country: boxed(special),
        lang: boxed(text(map, "lang")?),
    };
    integer(map, "auto_correct")?;
    Ok(NewTracking { number, carrier, extra })
}

/// The (number, carrier) of an item that names a stored tracking, for per-item error rows
/// even when the item is invalid.
pub fn item_names(item: &Value) -> (String, String) {
    let field =
        |name: &str| item.get(name).and_then(Value::as_str).map(str::to_owned).unwrap_or_default();
    (field("tracking_number"), field("carrier_code"))
}
