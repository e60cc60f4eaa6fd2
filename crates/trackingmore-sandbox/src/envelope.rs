//! The v2 response envelope, the documented meta codes and the error type handlers return.
//!
//! Every answer of the v2 API is `{"meta":{"code","type","message"},"data":…}` with HTTP 200,
//! whether the call worked or not; the outcome lives in `meta.code`. Errors carry
//! `"data": []`. The texts below are the documented English messages, verbatim, typos included
//! ("wait two minute"), because clients match on them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A v2 meta code; the type and message come from the documented table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MetaCode(pub u16);

impl MetaCode {
    pub const SUCCESS: MetaCode = MetaCode(200);
    pub const CREATED: MetaCode = MetaCode(201);
    pub const INVALID_API_KEY: MetaCode = MetaCode(4001);
    pub const BAD_REQUEST: MetaCode = MetaCode(4012);
    pub const NUMBER_REQUIRED: MetaCode = MetaCode(4013);
    pub const NUMBER_INVALID: MetaCode = MetaCode(4014);
    pub const CARRIER_INVALID: MetaCode = MetaCode(4015);
    pub const ALREADY_EXISTS: MetaCode = MetaCode(4016);
    pub const DOES_NOT_EXIST: MetaCode = MetaCode(4017);
    pub const TOO_MANY_ITEMS: MetaCode = MetaCode(4020);
    pub const QUOTA_EXHAUSTED: MetaCode = MetaCode(4021);
    pub const EMPTY_RESPONSE: MetaCode = MetaCode(4031);
    pub const CANNOT_DETECT: MetaCode = MetaCode(4032);
    pub const STATUS_INVALID: MetaCode = MetaCode(4033);
    pub const NOT_FOUND: MetaCode = MetaCode(404);
    pub const METHOD_NOT_ALLOWED: MetaCode = MetaCode(405);
    pub const RATE_LIMITED: MetaCode = MetaCode(429);
    pub const SERVER_ERROR: MetaCode = MetaCode(500);

    /// The documented `meta.type` for this code.
    pub fn kind(self) -> &'static str {
        match self.0 {
            200 => "Success",
            201 => "Created",
            202 | 4012..=4021 => "Bad Request",
            401 | 4001 | 4002 => "Unauthorized",
            4031..=4033 => "No Content",
            402 => "Payment Required",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            429 => "Too Many Requests",
            503 => "Service Unavailable",
            _ => "Server error",
        }
    }

    /// The documented `meta.message` for this code.
    pub fn message(self) -> &'static str {
        match self.0 {
            200 => "Success",
            201 => "The request was successful and a resource was created.",
            202 => "The request was successful but exceeding the limit.",
            401 => {
                "Authentication failed or user does not have permissions for the requested \
                 operation."
            }
            4001 => "Invalid API key.",
            4002 => "API key has been deleted.",
            4012 => "The request could not be understood or was missing required parameters.",
            4013 => "Tracking_number is required.",
            4014 => "The value of `tracking_number` is invalid.",
            4015 => "The value of `carrier_code` is invalid.",
            4016 => "Tracking already exists.",
            4017 => "Tracking does not exist.",
            4018 => {
                "Due to overload risks this feature requires custom activation. Contact \
                 service@trackingmore.com for more information."
            }
            4019 => "Your balance is insufficient, please recharge in time",
            4020 => "Up to 200 at a time",
            4021 => {
                "Remaining quota is deficient, or the 7-day free trial has expired. To continue \
                 using API, please recharge first."
            }
            4031 => {
                "The request was successful but the response is empty. Please try POST \
                 /trackings/post and then GET /trackings/get"
            }
            4032 => {
                "Cannot detect courier. Assign your shipment a courier instead of by auto \
                 detection."
            }
            4033 => "The value of `package status` is invalid.",
            402 => "Payment required.",
            403 => "Access denied.",
            404 => "Resource was not found.",
            405 => "Requested method is not supported for the specified resource.",
            409 => "The request could not be completed due to a conflict.",
            429 => "Exceeded API limits. Pause requests, wait two minute, and try again.",
            503 => {
                "The service is temporary unavailable (e.g. scheduled Platform Maintenance). \
                 Try again later."
            }
            _ => "",
        }
    }

    /// Whether this code reports success (the only two a client should treat as such).
    pub fn is_success(self) -> bool {
        matches!(self.0, 200 | 201)
    }

    /// The HTTP status used when `Config::mirror_http_status` is on; successes stay 200.
    pub fn mirrored_http_status(self) -> StatusCode {
        let status = match self.0 {
            200 | 201 => 200,
            202 => 202,
            401 | 4001 | 4002 => 401,
            402 | 4019 | 4021 => 402,
            403 | 4018 => 403,
            404 | 4017 | 4031 | 4032 => 404,
            405 => 405,
            409 | 4016 => 409,
            429 => 429,
            503 => 503,
            4000..=4099 => 400,
            _ => 500,
        };
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A successful or failed v2 answer, ready to be sent.
#[derive(Debug, Clone)]
pub struct Reply {
    pub code: MetaCode,
    pub message: &'static str,
    pub data: Data,
}

/// The `data` of a reply: a JSON value, or JSON text already written by a typed view.
#[derive(Debug, Clone)]
pub enum Data {
    Value(Value),
    Encoded(Vec<u8>),
}

impl Reply {
    /// `meta.code` 200 "Success" around `data`.
    pub fn ok(data: Value) -> Reply {
        Reply::with(MetaCode::SUCCESS, data)
    }

    /// `meta.code` 200 "Success" around `json`, the text of one JSON value. For hot paths
    /// that serialise a typed view straight to bytes: building a `Value` tree first and
    /// writing it out again cost half of a GET's time.
    pub fn ok_encoded(json: Vec<u8>) -> Reply {
        let code = MetaCode::SUCCESS;
        Reply { code, message: code.message(), data: Data::Encoded(json) }
    }

    /// Any code with its documented message around `data`.
    pub fn with(code: MetaCode, data: Value) -> Reply {
        Reply { code, message: code.message(), data: Data::Value(data) }
    }

    /// The whole envelope, serialised with `meta` first as the documentation shows it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let meta = MetaOut { code: self.code.0, kind: self.code.kind(), message: self.message };
        match &self.data {
            Data::Value(data) => serde_json::to_vec(&Envelope { meta, data }).unwrap_or_default(),
            Data::Encoded(data) => {
                let mut out = Vec::with_capacity(data.len() + 96);
                out.extend_from_slice(br#"{"meta":"#);
                // Three plain fields cannot fail to serialise.
                let _ = serde_json::to_writer(&mut out, &meta);
                out.extend_from_slice(br#","data":"#);
                out.extend_from_slice(data);
                out.push(b'}');
                out
            }
        }
    }
}

#[derive(serde::Serialize)]
struct MetaOut {
    code: u16,
    #[serde(rename = "type")]
    kind: &'static str,
    message: &'static str,
}

#[derive(serde::Serialize)]
struct Envelope<'a> {
    meta: MetaOut,
    data: &'a Value,
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let body = self.to_bytes();
        let mut response = (StatusCode::OK, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        // The journal and the status-mirroring layer read the code back from here.
        response.extensions_mut().insert(self.code);
        response
    }
}

/// A rejected request: the client sees the documented code and message, the detail goes to
/// the log only.
#[derive(Debug, Clone, thiserror::Error)]
#[error("api error {}: {detail}", code.0)]
pub struct ApiError {
    pub code: MetaCode,
    pub detail: String,
}

impl ApiError {
    pub fn new(code: MetaCode, detail: impl Into<String>) -> ApiError {
        ApiError { code, detail: detail.into() }
    }

    /// 4012, the answer to anything that could not be understood.
    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(MetaCode::BAD_REQUEST, detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::debug!(code = self.code.0, detail = %self.detail, "request rejected");
        Reply::with(self.code, json!([])).into_response()
    }
}

/// What every handler returns.
pub type ApiResult = Result<Reply, ApiError>;
