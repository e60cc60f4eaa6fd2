//! The error model: one [`Error`] for everything a call can end with, and [`MetaCode`].
//!
//! # Envelope rules
//!
//! Every v2 answer is an envelope, `{"meta": {"code", "type", "message"}, "data": …}`, and
//! the outcome of a call is `meta.code`, not the HTTP status. The live API answers most
//! failures with HTTP 200, an error code such as 4017 in `meta` and `"data": []`; proxies in
//! front of it answer with 502 or 503 and an HTML page. The client therefore decides in
//! this order, reading the body exactly once:
//!
//! 1. A failure of the client itself comes first: an invalid argument (nothing was sent),
//!    the call's deadline (retries stopped), or a rate limit that would have to be waited
//!    out past the deadline.
//! 2. No answer at all is [`Error::Transport`]: a timeout, a refused connection, or a
//!    connection lost before the answer was complete.
//! 3. When the body parses as an envelope with a `meta.code`, that code decides whatever the
//!    HTTP status: 200 and 201 are success; 202 ("successful but exceeding the limit") is
//!    a success flagged as partial ([`crate::Response::is_partial`]); 429 is
//!    [`Error::RateLimited`]; 4019 and 4021 are [`Error::QuotaExhausted`]; anything else is
//!    [`Error::Api`].
//! 4. Without an envelope, an HTTP status outside 2xx is [`Error::Api`] with no meta code
//!    (429 again becomes [`Error::RateLimited`]); the body is kept as it came, HTML included.
//! 5. A success whose `data` does not fit the operation's schema is [`Error::Decode`], with
//!    the raw body, the HTTP status and serde's error.
//!
//! # What an error keeps
//!
//! Nothing the HTTP exchange carried is dropped: [`ApiError`] holds the HTTP status, the
//! headers, the raw body (whatever its content type), the meta code as an open
//! [`MetaCode`] (codes this version does not know arrive as [`MetaCode::Unknown`]), the meta
//! type and message, the operation and the number of attempts. The request, and so the
//! API key, is never kept: no error can print the key.
//!
//! Messages follow one phrasing: lowercase, no final period, the offending value last after
//! a colon. Causes are attached as [`std::error::Error::source`], not pasted into the text.
//!
//! [`Error::is_retryable`] says whether the same call may succeed if sent again later; the
//! client's own retries (see [`crate::operation`]) already acted on it within the deadline.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// What a call of this crate returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! meta_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )+) => {
        /// A v2 `meta.code`: the documented codes by name, any other as `Unknown`.
        ///
        /// ```
        /// use trackingmore::MetaCode;
        ///
        /// assert_eq!(MetaCode::from(4017), MetaCode::TrackingNotFound);
        /// assert_eq!(MetaCode::from(4999), MetaCode::Unknown(4999));
        /// assert_eq!(MetaCode::Unknown(4999).code(), 4999);
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum MetaCode {
            $( $(#[$doc])* $variant, )+
            /// A code this version of the client does not know, kept as received.
            Unknown(i64),
        }

        impl MetaCode {
            /// The number on the wire.
            pub fn code(self) -> i64 {
                match self {
                    $( MetaCode::$variant => $code, )+
                    MetaCode::Unknown(code) => code,
                }
            }
        }

        impl From<i64> for MetaCode {
            fn from(code: i64) -> MetaCode {
                match code {
                    $( $code => MetaCode::$variant, )+
                    other => MetaCode::Unknown(other),
                }
            }
        }
    };
}

meta_codes! {
    /// 200: the call worked.
    Success = 200,
    /// 201: the call worked and created something (batch creation).
    Created = 201,
    /// 202: the call was accepted only in part because it went over a limit.
    PartiallyAccepted = 202,
    /// 401: authentication failed.
    Unauthorized = 401,
    /// 402: payment required.
    PaymentRequired = 402,
    /// 403: access denied.
    Forbidden = 403,
    /// 404: unknown route.
    NotFound = 404,
    /// 405: the route does not take this method.
    MethodNotAllowed = 405,
    /// 409: a conflicting request.
    Conflict = 409,
    /// 429: over the rate limit; the API asks for a two-minute pause.
    TooManyRequests = 429,
    /// 500: an internal error of the API.
    ServerError = 500,
    /// 503: the API is temporarily unavailable.
    ServiceUnavailable = 503,
    /// 4001: the key header is missing or the key is unknown.
    InvalidApiKey = 4001,
    /// 4002: the key was deleted.
    ApiKeyDeleted = 4002,
    /// 4012: the request could not be read or misses parameters.
    BadRequest = 4012,
    /// 4013: no tracking number given.
    TrackingNumberRequired = 4013,
    /// 4014: the tracking number is malformed.
    InvalidTrackingNumber = 4014,
    /// 4015: the carrier code is unknown.
    InvalidCarrierCode = 4015,
    /// 4016: the tracking exists already.
    TrackingAlreadyExists = 4016,
    /// 4017: the tracking does not exist.
    TrackingNotFound = 4017,
    /// 4018: the feature needs to be activated for the account.
    FeatureNotActivated = 4018,
    /// 4019: the account balance is used up.
    InsufficientBalance = 4019,
    /// 4020: too many items in one batch call.
    TooManyItems = 4020,
    /// 4021: no tracking quota left.
    QuotaExhausted = 4021,
    /// 4031: nothing is stored for this number; create it first.
    EmptyResponse = 4031,
    /// 4032: carrier detection found nothing.
    CannotDetectCarrier = 4032,
    /// 4033: the package status is not a valid value.
    InvalidStatus = 4033,
}

impl MetaCode {
    /// 200 or 201, the two codes the API uses for complete success.
    pub fn is_success(self) -> bool {
        matches!(self, MetaCode::Success | MetaCode::Created)
    }

    /// Whether the code means the account ran out of balance or quota.
    pub fn is_quota(self) -> bool {
        matches!(self, MetaCode::InsufficientBalance | MetaCode::QuotaExhausted)
    }
}

impl fmt::Display for MetaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// Which kind of transport failure ended a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// The request or the connection attempt took longer than allowed.
    Timeout,
    /// No connection could be opened (refused, DNS, TLS).
    Connect,
    /// Anything else: the connection closed early, the body could not be read, …
    Other,
}

impl TransportKind {
    pub(crate) fn of(error: &reqwest::Error) -> TransportKind {
        if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Other
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Timeout => "request timed out",
            TransportKind::Connect => "cannot connect to the api",
            TransportKind::Other => "transport failed",
        })
    }
}

/// An answer that reports a failure: everything the HTTP exchange carried.
#[derive(Clone)]
pub struct ApiError {
    /// The `operationId` of the call that failed (`raw` for unknown raw routes).
    pub operation: &'static str,
    /// The HTTP status of the final attempt (200 for most v2 failures).
    pub status: StatusCode,
    /// `meta.code`, when the body was an envelope.
    pub meta_code: Option<MetaCode>,
    /// `meta.type` (`Bad Request`, `Unauthorized`, …).
    pub meta_type: Option<String>,
    /// `meta.message`, the API's explanation.
    pub message: Option<String>,
    /// The response headers of the final attempt.
    pub headers: HeaderMap,
    /// The raw body of the final attempt, whatever its content type.
    pub body: Bytes,
    /// How many attempts were made.
    pub attempts: u32,
    /// Whether an earlier attempt may have been processed by the server as well.
    pub replayed: bool,
}

impl ApiError {
    /// The body as text, lossily decoded.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A one-line description for messages: the API's message, or the HTTP reason.
    fn summary(&self) -> String {
        match (&self.message, self.meta_code) {
            (Some(message), _) if !message.is_empty() => message.trim_end_matches('.').to_owned(),
            _ => self.status.canonical_reason().unwrap_or("no message").to_lowercase(),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body can be a whole HTML page; the first 512 bytes say what it is.
        let shown = &self.body[..self.body.len().min(512)];
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("meta_code", &self.meta_code)
            .field("meta_type", &self.meta_type)
            .field("message", &self.message)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(shown))
            .field("body_len", &self.body.len())
            .field("attempts", &self.attempts)
            .field("replayed", &self.replayed)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (operation, summary) = (self.operation, self.summary());
        match self.meta_code {
            Some(code) => write!(f, "{operation} failed with meta code {code}: {summary}"),
            None => {
                let status = self.status.as_u16();
                write!(f, "{operation} failed with http status {status}: {summary}")
            }
        }
    }
}

/// Everything a call can end with instead of a result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No complete answer arrived.
    #[error("{kind}: {operation}")]
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// Timeout, connect or other.
        kind: TransportKind,
        /// How many attempts were made.
        attempts: u32,
        /// What reqwest reported for the final attempt, when it is still at hand.
        #[source]
        source: Option<reqwest::Error>,
    },

    /// The API answered with a failure code (see [`MetaCode`]) or an HTTP error status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The API asked to slow down (meta or HTTP 429), and waiting was not possible within
    /// the call's deadline or the retries ran out.
    #[error("rate limited, retry after {}s: {}", retry_after.as_secs(), api.operation)]
    RateLimited {
        /// How long the API (or, by default, its documentation) asks to wait.
        retry_after: Duration,
        /// The answer that said so.
        api: Box<ApiError>,
    },

    /// The client's own limiter would have had to wait past the call's deadline.
    #[error("the client-side rate limit would wait {}ms past the deadline: {operation}", wait.as_millis())]
    Throttled {
        /// The operation that was held back.
        operation: &'static str,
        /// How long the limiter asked to wait.
        wait: Duration,
    },

    /// The account's balance or tracking quota is used up (4019, 4021).
    #[error("quota exhausted: {}", api.summary())]
    QuotaExhausted {
        /// The answer that said so.
        api: Box<ApiError>,
    },

    /// A success answer whose body does not fit the operation's schema.
    #[error("cannot decode the answer of {operation} (http status {}): {}", status.as_u16(), preview(body))]
    Decode {
        /// The operation whose answer this is.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The raw body.
        body: Bytes,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },

    /// The answer's body was larger than the client reads
    /// ([`crate::ClientBuilder::max_response_size`]); it was abandoned at the limit.
    #[error("the answer of {operation} is larger than the {limit}-byte limit (http status {})", status.as_u16())]
    ResponseTooLarge {
        /// The operation whose answer this is.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
    },

    /// An argument was refused before anything was sent.
    #[error("{0}")]
    InvalidArgument(String),

    /// The call's total deadline passed; retries stopped.
    #[error("deadline of {}ms exceeded after {attempts} attempts: {operation}", deadline.as_millis())]
    DeadlineExceeded {
        /// The operation that ran out of time.
        operation: &'static str,
        /// The configured deadline.
        deadline: Duration,
        /// How many attempts were made.
        attempts: u32,
        /// The failure of the last attempt, when there was one.
        #[source]
        last: Option<Box<Error>>,
    },

    /// The client could not be configured.
    #[error("{message}")]
    Config {
        /// What is wrong, with the offending value last.
        message: String,
        /// The underlying failure, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

/// The start of a body for messages: at most 80 characters of its first line.
fn preview(body: &Bytes) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return "<empty body>".to_owned();
    }
    line.chars().take(80).collect()
}

impl Error {
    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::InvalidArgument(message.into())
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config { message: message.into(), source: None }
    }

    /// Whether sending the same call again later may succeed.
    ///
    /// True for transport failures, rate limits, deadlines, HTTP 408/5xx and meta
    /// 500/503; false for everything the caller has to change first (arguments, keys,
    /// quota, unknown trackings) and for undecodable answers.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. }
            | Error::RateLimited { .. }
            | Error::Throttled { .. }
            | Error::DeadlineExceeded { .. } => true,
            Error::Api(api) => match api.meta_code {
                Some(code) => matches!(code, MetaCode::ServerError | MetaCode::ServiceUnavailable),
                None => api.status.is_server_error() || api.status == StatusCode::REQUEST_TIMEOUT,
            },
            Error::QuotaExhausted { .. }
            | Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::InvalidArgument(_)
            | Error::Config { .. } => false,
        }
    }

    /// The meta code of the answer, when there was an envelope.
    pub fn meta_code(&self) -> Option<MetaCode> {
        self.api().and_then(|api| api.meta_code)
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::DeadlineExceeded { last: Some(last), .. } => last.http_status(),
            _ => self.api().map(|api| api.status),
        }
    }

    /// The raw body of the answer, when there was one.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::Decode { body, .. } => Some(body),
            _ => self.api().map(|api| &api.body),
        }
    }

    /// The failing answer in full, for API errors, rate limits and quota errors.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) | Error::RateLimited { api, .. } | Error::QuotaExhausted { api } => {
                Some(api)
            }
            Error::DeadlineExceeded { last: Some(last), .. } => last.api(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: Option<i64>, status: u16, message: Option<&str>) -> ApiError {
        ApiError {
            operation: "getTracking",
            status: StatusCode::from_u16(status).expect("valid status"),
            meta_code: code.map(MetaCode::from),
            meta_type: None,
            message: message.map(str::to_owned),
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"<html><title>502 Bad Gateway</title></html>"),
            attempts: 1,
            replayed: false,
        }
    }

    #[test]
    fn every_documented_code_round_trips() {
        for code in [
            200, 201, 202, 401, 402, 403, 404, 405, 409, 429, 500, 503, 4001, 4002, 4012, 4013,
            4014, 4015, 4016, 4017, 4018, 4019, 4020, 4021, 4031, 4032, 4033,
        ] {
            let meta = MetaCode::from(code);
            assert!(!matches!(meta, MetaCode::Unknown(_)), "{code} is documented");
            assert_eq!(meta.code(), code);
        }
        assert_eq!(MetaCode::from(7), MetaCode::Unknown(7));
    }

    #[test]
    fn messages_are_lowercase_and_end_with_the_offending_value() {
        let error = Error::Api(Box::new(api(Some(4017), 200, Some("Tracking does not exist."))));
        assert_eq!(
            error.to_string(),
            "getTracking failed with meta code 4017: Tracking does not exist"
        );
        let error = Error::Api(Box::new(api(None, 502, None)));
        assert_eq!(error.to_string(), "getTracking failed with http status 502: bad gateway");
        assert!(error.is_retryable());
        assert_eq!(error.body().map(|body| body.len()), Some(43));
    }

    #[test]
    fn retryable_follows_the_failure_not_the_variant_name() {
        assert!(!Error::Api(Box::new(api(Some(4017), 200, None))).is_retryable());
        assert!(Error::Api(Box::new(api(Some(503), 200, None))).is_retryable());
        assert!(!Error::invalid("batch is empty").is_retryable());
    }
}
