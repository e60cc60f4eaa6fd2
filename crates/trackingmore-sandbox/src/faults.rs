//! Fault injection: rules that delay, replace, cut or decorate answers, per operation or for
//! the next N requests.
//!
//! Faults fall in two groups. Those applied *before* the handler (`server_error`,
//! `too_many_requests`, `connection_reset` without `after_handler`) answer without running it,
//! so the request changes no state. Those applied *after* it (`truncated_json`,
//! `unknown_enum_values`, `unknown_fields`, `connection_reset` with `after_handler`) let the
//! handler run and commit, then spoil the answer: the write happened even though the client
//! cannot tell. `latency` only waits, then lets the request through.
//!
//! A rule with `percent` applies to that share of the requests it matches. Each rule draws
//! from its own generator, seeded by the rule's `seed`, so the same sequence of requests meets
//! the same faults on every run; only the order in which concurrent requests arrive varies.

use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::envelope::{MetaCode, Reply};

/// What a fault does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Waits this long, then handles the request normally.
    Latency {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// HTTP 429 with `Retry-After` and the documented 429 envelope; the handler does not run.
    TooManyRequests {
        /// Seconds sent in `Retry-After`.
        #[serde(default = "one")]
        retry_after: u64,
    },
    /// HTTP 500/502/503 with a JSON envelope or, with `html`, a proxy's HTML page.
    ServerError {
        /// 500, 502 or 503 (other values become 500).
        #[serde(default = "internal")]
        status: u16,
        /// An HTML page, as a proxy in front of the API would send, instead of JSON.
        #[serde(default)]
        html: bool,
    },
    /// Closes the connection without an answer; with `after_handler` the handler runs first.
    ConnectionReset {
        /// Run the handler (and commit its writes) before dropping the connection.
        #[serde(default)]
        after_handler: bool,
    },
    /// The real answer cut in half.
    TruncatedJson,
    /// Every `status`, `substatus` and `checkpoint_status` string replaced by `value`.
    UnknownEnumValues {
        /// The replacement value, `in_orbit` by default.
        #[serde(default = "in_orbit")]
        value: String,
    },
    /// `"x_future_field": {…}` added to every object of the answer.
    UnknownFields,
}

fn one() -> u64 {
    1
}

fn internal() -> u16 {
    500
}

fn in_orbit() -> String {
    "in_orbit".to_owned()
}

impl FaultKind {
    /// The `kind` tag of this fault, as the admin API and the journal spell it.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Latency { .. } => "latency",
            FaultKind::TooManyRequests { .. } => "too_many_requests",
            FaultKind::ServerError { .. } => "server_error",
            FaultKind::ConnectionReset { .. } => "connection_reset",
            FaultKind::TruncatedJson => "truncated_json",
            FaultKind::UnknownEnumValues { .. } => "unknown_enum_values",
            FaultKind::UnknownFields => "unknown_fields",
        }
    }
}

/// A fault rule: what to do, on which route, how many times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What the fault does.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// An operation name (`realtime`) or a path (`/trackings/realtime`); any route when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// How many matching requests it applies to; until cleared when absent.
    #[serde(default, alias = "next", skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// The share of matching requests it applies to, in percent; every one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    /// Seeds the draws of `percent`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seed: u64,
}

fn is_zero(seed: &u64) -> bool {
    *seed == 0
}

impl Fault {
    /// A fault on every request until cleared.
    pub fn new(kind: FaultKind) -> Fault {
        Fault { kind, route: None, times: None, percent: None, seed: 0 }
    }

    /// A fault on the next `n` requests, whatever their route.
    pub fn next(n: u32, kind: FaultKind) -> Fault {
        Fault { times: Some(n), ..Fault::new(kind) }
    }

    /// Restricts the fault to one route (operation name or path).
    pub fn on_route(mut self, route: impl Into<String>) -> Fault {
        self.route = Some(route.into());
        self
    }

    /// Limits the fault to `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// Applies the fault to `percent` of the matching requests (100 and above: all of them),
    /// drawn from a generator seeded with `seed`.
    pub fn percent(mut self, percent: u8, seed: u64) -> Fault {
        self.percent = Some(percent);
        self.seed = seed;
        self
    }

    fn matches(&self, operation: Option<&str>, path: &str) -> bool {
        let Some(route) = &self.route else { return true };
        if route.starts_with('/') {
            crate::routes::path_matches(route, path)
        } else {
            operation.is_some() && crate::routes::operation_for(route) == operation
        }
    }
}

/// One active rule and how many draws its `percent` has made.
#[derive(Debug)]
struct Rule {
    fault: Fault,
    draws: u64,
}

impl Rule {
    /// Whether the rule applies to the next request it matches.
    fn draw(&mut self) -> bool {
        let Some(percent) = self.fault.percent else { return true };
        self.draws += 1;
        splitmix64(self.fault.seed.wrapping_add(self.draws)) % 100 < u64::from(percent)
    }
}

/// SplitMix64's output for the state `x` times its increment: consecutive inputs give
/// unrelated, evenly spread values.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The active rules.
#[derive(Debug, Default)]
pub struct FaultRules {
    rules: Mutex<Vec<Rule>>,
}

impl FaultRules {
    pub fn add(&self, fault: Fault) {
        self.lock().push(Rule { fault, draws: 0 });
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn list(&self) -> Vec<Fault> {
        self.lock().iter().map(|rule| rule.fault.clone()).collect()
    }

    /// The faults that apply to one request, counting it against limited rules.
    pub fn take(&self, operation: Option<&str>, path: &str) -> Vec<FaultKind> {
        let mut rules = self.lock();
        let mut hits = Vec::new();
        for rule in rules.iter_mut().filter(|rule| rule.fault.matches(operation, path)) {
            if !rule.draw() {
                continue;
            }
            hits.push(rule.fault.kind.clone());
            if let Some(times) = &mut rule.fault.times {
                *times = times.saturating_sub(1);
            }
        }
        rules.retain(|rule| rule.fault.times != Some(0));
        hits
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        self.rules.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The answer that replaces the handler's, for faults applied before it.
pub fn before_handler(kinds: &[FaultKind]) -> Option<Response> {
    kinds.iter().find_map(|kind| match kind {
        FaultKind::TooManyRequests { retry_after } => {
            let mut response =
                error_envelope(StatusCode::TOO_MANY_REQUESTS, MetaCode::RATE_LIMITED);
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Some(response)
        }
        FaultKind::ServerError { status, html } => {
            let status = StatusCode::from_u16(*status)
                .ok()
                .filter(|status| status.is_server_error())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(if *html {
                html_page(status)
            } else {
                error_envelope(status, MetaCode(status.as_u16()))
            })
        }
        FaultKind::ConnectionReset { after_handler: false } => Some(reset()),
        _ => None,
    })
}

/// Spoils the handler's answer, for faults applied after it.
pub async fn after_handler(kinds: &[FaultKind], response: Response) -> Response {
    if kinds.iter().any(|kind| matches!(kind, FaultKind::ConnectionReset { after_handler: true })) {
        return reset();
    }
    let rewrites: Vec<&FaultKind> = kinds
        .iter()
        .filter(|kind| {
            matches!(
                kind,
                FaultKind::TruncatedJson
                    | FaultKind::UnknownEnumValues { .. }
                    | FaultKind::UnknownFields
            )
        })
        .collect();
    if rewrites.is_empty() {
        return response;
    }

    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else { return reset() };
    let mut bytes = bytes.to_vec();
    let rewrites_values = rewrites.iter().any(|kind| !matches!(kind, FaultKind::TruncatedJson));
    let parsed = if rewrites_values { serde_json::from_slice::<Value>(&bytes).ok() } else { None };
    if let Some(mut value) = parsed {
        for kind in &rewrites {
            match kind {
                FaultKind::UnknownEnumValues { value: replacement } => {
                    replace_enums(&mut value, replacement)
                }
                FaultKind::UnknownFields => add_fields(&mut value),
                _ => {}
            }
        }
        bytes = serde_json::to_vec(&value).unwrap_or(bytes);
    }
    if rewrites.iter().any(|kind| matches!(kind, FaultKind::TruncatedJson)) {
        bytes.truncate(bytes.len() / 2);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

fn replace_enums(value: &mut Value, replacement: &str) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let is_enum = matches!(key.as_str(), "status" | "substatus" | "checkpoint_status");
                if is_enum && field.is_string() {
                    *field = Value::String(replacement.to_owned());
                } else {
                    replace_enums(field, replacement);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| replace_enums(item, replacement)),
        _ => {}
    }
}

fn add_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(add_fields);
            map.insert(
                "x_future_field".to_owned(),
                json!({"added_by": "fault injection", "version": 3}),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(add_fields),
        _ => {}
    }
}

fn error_envelope(status: StatusCode, code: MetaCode) -> Response {
    let mut response = Reply::with(code, json!([])).into_response();
    *response.status_mut() = status;
    response
}

fn html_page(status: StatusCode) -> Response {
    let title = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("Error"));
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = (status, page).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// A response whose body fails before its first byte: hyper then drops the connection
/// without sending the head, which the client sees as a reset or an early close.
fn reset() -> Response {
    Response::new(Body::new(FailingBody))
}

#[derive(Debug)]
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by fault injection",
        ))))
    }
}

/// Sleeps for every latency fault.
pub async fn delay(kinds: &[FaultKind]) {
    for kind in kinds {
        if let FaultKind::Latency { ms } = kind {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(rules: &FaultRules, requests: usize) -> Vec<usize> {
        (0..requests)
            .filter(|_| !rules.take(Some("getTracking"), "/v2/trackings/a/b").is_empty())
            .collect()
    }

    #[test]
    fn a_percentage_applies_to_that_share_of_requests_reproducibly() {
        let rules = FaultRules::default();
        rules.add(Fault::new(FaultKind::TruncatedJson).percent(20, 7));
        let first = hits(&rules, 10_000);
        assert!((1_800..=2_200).contains(&first.len()), "{} of 10000", first.len());

        let again = FaultRules::default();
        again.add(Fault::new(FaultKind::TruncatedJson).percent(20, 7));
        assert_eq!(hits(&again, 10_000), first, "the same seed draws the same requests");

        let other = FaultRules::default();
        other.add(Fault::new(FaultKind::TruncatedJson).percent(20, 8));
        assert_ne!(hits(&other, 10_000), first);
    }

    #[test]
    fn counted_rules_count_only_the_requests_they_hit() {
        let rules = FaultRules::default();
        rules.add(Fault::new(FaultKind::TruncatedJson).percent(50, 1).times(3));
        assert_eq!(hits(&rules, 1_000).len(), 3);
        assert!(rules.list().is_empty());

        let wire: Fault = serde_json::from_value(json!({
            "kind": "server_error", "html": true, "percent": 4, "seed": 9,
        }))
        .expect("a rule with a percentage reads from json");
        assert_eq!(wire.percent, Some(4));
        assert_eq!(serde_json::to_value(&wire).expect("encodes")["seed"], 9);
    }
}
