//! What every request goes through: the API key, the rate limiter, retries, the deadline and
//! tracing, all in progenitor's [`ClientHooks`].
//!
//! progenitor generates no authentication from `securitySchemes`, and sends an
//! `api-version` header the real API has no use for; `pre` fixes both on every request.
//!
//! `exec` runs the attempts of one call. It reads each answer's body once, and its `meta`
//! once, because the retry rules need `meta.code` (the API reports a 429 with HTTP 200).
//! What the final attempt looked like (status, headers, raw body, probed `meta`, attempts,
//! and why the loop stopped) is moved into a per-call record that the facade installs as a
//! task-local around the generated `send()`. The facade decides the outcome from that
//! record (see [`crate::error`]) and decodes the recorded body itself, so progenitor is
//! handed what is left of the response: no headers and a drained body, whose decoding
//! fails at once and is set aside. Calls made through [`crate::Client::api`] get the same
//! retries, limits and tracing, without the record; their responses are rebuilt from the
//! bytes read, with every header.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, ResponseBuilderExt, StatusCode, Url, Version};
use tracing::{Instrument, Span, field};

use crate::config::RetryPolicy;
use crate::envelope::{ProbedMeta, probe_meta};
use crate::error::TransportKind;
use crate::generated::Client;
use crate::keeper::TimerKeeper;
use crate::limiter::Limiter;
use crate::operation::{Operation, RetryClass};

/// The header v2 reads the API key from.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("trackingmore-api-key");

/// The header progenitor adds to every request, which v2 does not read.
const API_VERSION_HEADER: HeaderName = HeaderName::from_static("api-version");

/// How much of a body TRACE events show.
const BODY_PREVIEW: usize = 2048;

/// An API key. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct ApiKey(HeaderValue);

impl ApiKey {
    /// Checks that `key` can travel in an HTTP header; the message never repeats the key.
    pub fn new(key: &str) -> Result<Self, InvalidApiKey> {
        if key.trim().is_empty() {
            return Err(InvalidApiKey("it is empty"));
        }
        let mut value =
            HeaderValue::from_str(key).map_err(|_| InvalidApiKey("it is not visible ASCII"))?;
        // Marked sensitive, the value is also hidden from reqwest's and http's own Debug.
        value.set_sensitive(true);
        Ok(ApiKey(value))
    }

    pub(crate) fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The API key cannot be used; the reason never includes the key itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the api key cannot be used: {0}")]
pub struct InvalidApiKey(&'static str);

/// Settings and shared state of one client and all its clones.
#[derive(Debug)]
pub(crate) struct Runtime {
    pub(crate) retry: RetryPolicy,
    /// The longest one attempt may take; each attempt gets the smaller of this and the
    /// time left before the deadline.
    pub(crate) attempt_timeout: Duration,
    pub(crate) limiter: Limiter,
    pub(crate) batch_concurrency: usize,
    /// The largest answer body read, in bytes.
    pub(crate) max_response_size: usize,
    /// The timeout the reqwest client applies by itself, when it is one this crate built;
    /// an attempt whose own timeout equals it leaves the request without one.
    pub(crate) client_timeout: Option<Duration>,
    /// Spares each attempt's timer a wake-up of the runtime (see [`crate::keeper`]).
    pub(crate) timers: TimerKeeper,
}

/// State the generated client carries for the hooks.
#[derive(Clone, Debug)]
pub struct Inner {
    pub(crate) api_key: ApiKey,
    pub(crate) runtime: Arc<Runtime>,
}

impl Inner {
    pub(crate) fn new(api_key: ApiKey, runtime: Arc<Runtime>) -> Self {
        Inner { api_key, runtime }
    }
}

/// Why the attempt loop stopped before the answer could speak for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Halt {
    /// The next wait would have passed the deadline.
    DeadlineExceeded(Duration),
    /// The API asked for a pause longer than the time left.
    RateLimited(Duration),
    /// The client-side limiter would have waited past the deadline.
    Throttled(Duration),
}

/// The final answer of a call, as it came over the wire.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// `meta` as [`probe_meta`] read it from `body`.
    pub(crate) meta: Option<ProbedMeta>,
}

impl Answer {
    /// An answer whose `meta` is read here.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Answer {
        let meta = probe_meta(&body);
        Answer { status, headers, body, meta }
    }

    /// `meta.code`, when the body has one.
    pub(crate) fn meta_code(&self) -> Option<i64> {
        self.meta.as_ref().and_then(|meta| meta.code)
    }
}

/// What `exec` learnt about one call, for the facade.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub(crate) attempts: u32,
    /// An attempt before the final one may have been processed by the server.
    pub(crate) replayed: bool,
    pub(crate) answer: Option<Answer>,
    pub(crate) transport: Option<TransportKind>,
    pub(crate) halt: Option<Halt>,
    /// The final answer was not read: its body passed the size limit.
    pub(crate) too_large: Option<TooLarge>,
}

/// An answer whose body passed the client's size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub(crate) status: StatusCode,
    pub(crate) limit: usize,
}

/// The record of the call running in this task.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallContext(Arc<Mutex<CallRecord>>);

impl CallContext {
    fn lock(&self) -> MutexGuard<'_, CallRecord> {
        // A panic while holding this lock leaves a record that is still readable.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn take(&self) -> CallRecord {
        std::mem::take(&mut *self.lock())
    }
}

tokio::task_local! {
    pub(crate) static CALL: CallContext;
}

/// A URL fit for logs: no user name, password or query values that look secret.
pub(crate) fn redact_url(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw) else { return "<unparsable url>".to_owned() };
    if !url.username().is_empty() {
        let _ = url.set_username("redacted");
    }
    if url.password().is_some() {
        let _ = url.set_password(None);
    }
    let secret = |key: &str| {
        let key = key.to_ascii_lowercase();
        ["key", "token", "secret", "password", "signature"].iter().any(|word| key.contains(word))
    };
    if url.query_pairs().any(|(key, _)| secret(&key)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(key, value)| {
                let value = if secret(&key) { "redacted".to_owned() } else { value.into_owned() };
                (key.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// At most [`BODY_PREVIEW`] bytes of a body, as text.
pub(crate) fn preview(body: &[u8]) -> String {
    if body.len() <= BODY_PREVIEW {
        return String::from_utf8_lossy(body).into_owned();
    }
    let shown = String::from_utf8_lossy(&body[..BODY_PREVIEW]);
    format!("{shown}… ({} bytes in all)", body.len())
}

/// Seconds or an HTTP date in `Retry-After`, as a wait from now.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// What one attempt came back with.
enum Outcome {
    Transport(reqwest::Error),
    /// An answer read in full; `response` is what is left of it, its headers moved into
    /// `answer` and its body drained.
    Answer {
        answer: Answer,
        response: reqwest::Response,
    },
    /// An answer whose body was abandoned at the size limit.
    TooLarge {
        status: StatusCode,
        version: Version,
        url: Url,
        headers: HeaderMap,
        limit: usize,
    },
}

/// What the loop should do after an attempt.
enum Verdict {
    /// Return this outcome.
    Done,
    /// Try again after the wait; `ambiguous` when the server may have processed it.
    Retry { wait: Option<Duration>, ambiguous: bool, reason: &'static str },
    /// The API asked to wait (429); try again after that long.
    RateLimited { wait: Duration },
}

fn judge(outcome: &Outcome, class: RetryClass) -> Verdict {
    let held_back = class == RetryClass::NotProcessedOnly;
    match outcome {
        Outcome::Transport(error) => {
            let not_sent = error.is_connect();
            if held_back && !not_sent {
                return Verdict::Done;
            }
            let reason = if error.is_timeout() { "timeout" } else { "transport" };
            Verdict::Retry { wait: None, ambiguous: !not_sent, reason }
        }
        Outcome::Answer { answer: Answer { status, headers, .. }, .. } => {
            let meta = outcome_meta_code(outcome);
            if *status == StatusCode::TOO_MANY_REQUESTS || meta == Some(429) {
                // The API refuses before doing any work: safe to send again for every call.
                let wait = retry_after(headers).unwrap_or(Duration::MAX);
                return Verdict::RateLimited { wait };
            }
            let server_failed = status.is_server_error()
                || *status == StatusCode::REQUEST_TIMEOUT
                || matches!(meta, Some(500 | 503));
            if server_failed && !held_back {
                let reason = if meta.is_some() { "server error" } else { "http error" };
                return Verdict::Retry { wait: retry_after(headers), ambiguous: true, reason };
            }
            Verdict::Done
        }
        // The same request would get the same answer.
        Outcome::TooLarge { .. } => Verdict::Done,
    }
}

/// A 429 envelope for a call the limiter held back before any attempt was made.
fn throttled_response(wait: Duration) -> reqwest::Response {
    let body = serde_json::json!({
        "meta": {
            "code": 429,
            "type": "Too Many Requests",
            "message": "held back by the client-side rate limit",
        },
        "data": [],
    });
    let mut response = http::Response::new(Bytes::from(body.to_string()));
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    let seconds = wait.as_secs_f64().ceil() as u64;
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    reqwest::Response::from(response)
}

/// `meta.code` of an answer.
fn outcome_meta_code(outcome: &Outcome) -> Option<i64> {
    match outcome {
        Outcome::Answer { answer, .. } => answer.meta_code(),
        _ => None,
    }
}

/// A copy of `request` to send, or `None` when its body cannot be copied (a stream).
///
/// reqwest's own `try_clone` would do, but it gives every copy a map of extensions just to
/// store "no timeout" in it, then replaces that map. A request without a body is copied
/// here instead: the requests this module sees are built by the generated code or by
/// [`crate::Client::raw`], and the only extension either can carry is the timeout.
fn copy_of(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    Some(copy)
}

/// A response for progenitor, made of what the hooks read. It keeps the request's URL, so
/// that reqwest need not make one up.
fn rebuild(
    (status, version, url): (StatusCode, Version, Url),
    headers: HeaderMap,
    body: Bytes,
) -> reqwest::Response {
    // A builder given nothing but a URL cannot fail; the fallback only satisfies the types.
    let mut response = http::Response::builder()
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body));
    *response.status_mut() = status;
    *response.version_mut() = version;
    *response.headers_mut() = headers;
    reqwest::Response::from(response)
}

/// Fills the call's span and logs its one completion event (and, at TRACE, the body).
fn report(
    span: &Span,
    last: &Option<Outcome>,
    attempt: u32,
    elapsed: Duration,
    halt: Option<Halt>,
) {
    let (status, meta) = match last {
        Some(Outcome::Answer { answer, .. }) => (Some(answer.status.as_u16()), answer.meta_code()),
        Some(Outcome::TooLarge { status, .. }) => (Some(status.as_u16()), None),
        _ => (None, None),
    };
    let duration_ms = elapsed.as_millis() as u64;
    span.record("duration_ms", duration_ms);
    if let Some(status) = status {
        span.record("http.status", status);
    }
    if let Some(meta) = meta {
        span.record("meta.code", meta);
    }
    tracing::debug!(
        http.status = status,
        meta.code = meta,
        attempt,
        duration_ms,
        halted = ?halt,
        "call completed"
    );
    if let Some(Outcome::Answer { answer, .. }) = last {
        tracing::trace!(body = %preview(&answer.body), "response body");
    }
}

impl Client {
    /// The operation behind a hook call: by id for generated calls, by route for raw ones.
    fn operation_of(&self, request: &reqwest::Request, info: &OperationInfo) -> Option<Operation> {
        Operation::from_id(info.operation_id).or_else(|| {
            let path = request.url().path();
            let base = url::Url::parse(self.baseurl()).ok()?;
            let relative = path.strip_prefix(base.path().trim_end_matches('/'))?;
            Operation::match_route(request.method(), relative)
        })
    }

    async fn run_attempts(
        &self,
        request: reqwest::Request,
        operation: Option<Operation>,
        context: Option<CallContext>,
    ) -> reqwest::Result<reqwest::Response> {
        let runtime = Arc::clone(&self.inner().runtime);
        runtime.timers.touch();
        let policy = &runtime.retry;
        let class = match operation {
            Some(operation) => operation.retry_class(),
            None if matches!(*request.method(), Method::GET | Method::PUT | Method::DELETE) => {
                RetryClass::Always
            }
            None => RetryClass::NotProcessedOnly,
        };
        let started = Instant::now();
        let deadline = started + policy.deadline;
        let span = Span::current();
        if tracing::enabled!(tracing::Level::TRACE)
            && let Some(body) = request.body().and_then(|body| body.as_bytes())
        {
            tracing::trace!(body = %preview(body), "request body");
        }

        let mut attempt = 0u32;
        let mut replayed = false;
        let mut last: Option<Outcome> = None;
        let mut halt = None;
        let mut pending = Some(request);
        let mut now = started;
        loop {
            attempt += 1;
            span.record("attempt", attempt);

            // Wait for the limiter, but never past the deadline.
            if let Some(operation) = operation {
                let budget = deadline.saturating_duration_since(now);
                match runtime.limiter.acquire(operation, budget).await {
                    Ok(waited) if waited.is_zero() => {}
                    Ok(_) => now = Instant::now(),
                    Err(wait) => {
                        tracing::debug!(
                            wait_ms = wait.as_millis() as u64,
                            "held back by the limiter"
                        );
                        halt = Some(Halt::Throttled(wait));
                        attempt -= 1;
                        break;
                    }
                }
            }

            // Send a copy and keep the original for the next attempt; a body that cannot be
            // copied gets one try.
            let copy = pending.as_ref().and_then(copy_of);
            let Some(mut sent) = copy.or_else(|| pending.take()) else { break };
            // A timeout on the request replaces the reqwest client's, so it carries both;
            // when that comes to the client's own, the request needs none.
            let remaining = deadline.saturating_duration_since(now);
            let own = sent.timeout().copied();
            let timeout =
                own.unwrap_or(runtime.attempt_timeout).min(remaining).max(Duration::from_millis(1));
            if own.is_some() || runtime.client_timeout != Some(timeout) {
                *sent.timeout_mut() = Some(timeout);
            }

            tracing::trace!(attempt, "sending");
            let outcome = self.send_once(sent).await;

            let verdict = judge(&outcome, class);
            let (wait, ambiguous, reason) = match verdict {
                Verdict::Done => {
                    last = Some(outcome);
                    break;
                }
                Verdict::Retry { wait, ambiguous, reason } => (wait, ambiguous, reason),
                Verdict::RateLimited { wait } => {
                    let wait = if wait == Duration::MAX { policy.rate_limited_wait } else { wait };
                    (Some(wait), false, "rate limited")
                }
            };
            let rate_limited = reason == "rate limited";
            last = Some(outcome);
            if attempt > policy.max_retries || pending.is_none() {
                break;
            }

            // Backoff: a wait the server named, else full jitter under the doubling cap.
            let wait = wait.unwrap_or_else(|| {
                let cap = policy.backoff_cap(attempt - 1).as_millis() as u64;
                Duration::from_millis(rand::random_range(0..=cap))
            });
            let remaining = deadline.saturating_duration_since(Instant::now());
            if wait >= remaining {
                halt = Some(if rate_limited {
                    Halt::RateLimited(wait)
                } else {
                    Halt::DeadlineExceeded(policy.deadline)
                });
                break;
            }
            tracing::debug!(attempt, reason, wait_ms = wait.as_millis() as u64, "retrying");
            replayed |= ambiguous;
            tokio::time::sleep(wait).await;
            now = Instant::now();
        }

        // A transport failure at the deadline is the deadline's doing, not the network's.
        if halt.is_none()
            && matches!(&last, Some(Outcome::Transport(_)))
            && Instant::now() >= deadline
        {
            halt = Some(Halt::DeadlineExceeded(policy.deadline));
        }

        report(&span, &last, attempt, started.elapsed(), halt);
        // What the facade needs of the final attempt goes into the record; the answer is
        // moved there, and progenitor gets the body and status without the headers.
        let mut record = context.as_ref().map(CallContext::lock);
        if let Some(record) = record.as_deref_mut() {
            record.attempts = attempt;
            record.replayed = replayed;
            record.halt = halt;
        }
        match last {
            // The facade decodes the recorded body itself: progenitor gets the drained
            // response, fails to decode its empty body, and the facade sets that aside.
            Some(Outcome::Answer { answer, response }) => match record.as_deref_mut() {
                Some(record) => {
                    record.answer = Some(answer);
                    Ok(response)
                }
                None => {
                    let Answer { status, headers, body, .. } = answer;
                    let url = response.url().clone();
                    Ok(rebuild((status, response.version(), url), headers, body))
                }
            },
            // The facade reports the limit from the call record; a caller of the generated
            // builders sees an answer with no body, which does not decode.
            Some(Outcome::TooLarge { status, version, url, headers, limit }) => {
                if let Some(record) = record.as_deref_mut() {
                    record.too_large = Some(TooLarge { status, limit });
                }
                Ok(rebuild((status, version, url), headers, Bytes::new()))
            }
            Some(Outcome::Transport(error)) => {
                if let Some(record) = record.as_deref_mut() {
                    record.transport = Some(TransportKind::of(&error));
                }
                Err(error)
            }
            // Held back before the first attempt: progenitor still needs an answer.
            None => {
                let wait = match halt {
                    Some(Halt::Throttled(wait)) => wait,
                    _ => Duration::ZERO,
                };
                Ok(throttled_response(wait))
            }
        }
    }

    /// One attempt, with its body read in full up to the size limit.
    async fn send_once(&self, request: reqwest::Request) -> Outcome {
        let limit = self.inner().runtime.max_response_size;
        let mut response = match self.client().execute(request).await {
            Err(error) => return Outcome::Transport(error),
            Ok(response) => response,
        };
        let (status, version) = (response.status(), response.version());
        let headers = std::mem::take(response.headers_mut());
        let too_large = |response: reqwest::Response, headers| {
            let url = response.url().clone();
            Outcome::TooLarge { status, version, url, headers, limit }
        };
        let announced = response.content_length().unwrap_or(0);
        if announced > limit as u64 {
            return too_large(response, headers);
        }
        // Dropping the response mid-body closes its connection, so nothing more is read. A
        // body that arrives in one chunk, as small answers do, is kept without a copy.
        let (mut first, mut rest) = (None::<Bytes>, bytes::BytesMut::new());
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(error) => return Outcome::Transport(error),
            };
            let read = first.as_ref().map_or(0, Bytes::len) + rest.len();
            if read + chunk.len() > limit {
                return too_large(response, headers);
            }
            match first.take() {
                None if rest.is_empty() => first = Some(chunk),
                earlier => {
                    let whole = (announced as usize).max(read + chunk.len());
                    rest.reserve(whole.saturating_sub(rest.len()));
                    rest.extend_from_slice(&earlier.unwrap_or_default());
                    rest.extend_from_slice(&chunk);
                }
            }
        }
        let body = first.unwrap_or_else(|| rest.freeze());
        Outcome::Answer { answer: Answer::new(status, headers, body), response }
    }

    /// Runs `pre` and `exec` on a request built outside the generated code.
    pub(crate) async fn send_raw(
        &self,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> Result<reqwest::Response, Error<()>> {
        let info = OperationInfo { operation_id };
        self.pre::<()>(&mut request, &info).await?;
        self.exec(request, &info).await.map_err(Error::CommunicationError)
    }
}

impl ClientHooks<Inner> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        headers.remove(API_VERSION_HEADER);
        headers.insert(API_KEY_HEADER, self.inner().api_key.header_value());
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let operation = self.operation_of(&request, info);
        let context = CALL.try_with(CallContext::clone).ok();
        let span = tracing::debug_span!(
            "trackingmore",
            operation = operation.map_or("raw", Operation::id),
            http.method = %request.method(),
            url = %redact_url(request.url().as_str()),
            attempt = field::Empty,
            http.status = field::Empty,
            meta.code = field::Empty,
            duration_ms = field::Empty,
        );
        self.run_attempts(request, operation, context).instrument(span).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));

        let later = std::time::SystemTime::now() + Duration::from_secs(90);
        let date = httpdate::fmt_http_date(later);
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&date).expect("dates are ascii"));
        let wait = retry_after(&headers).expect("a date parses");
        assert!(wait <= Duration::from_secs(90) && wait >= Duration::from_secs(88), "{wait:?}");

        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn urls_lose_credentials_and_secret_query_values() {
        assert_eq!(
            redact_url("https://user:pw@api.example.org/v2/trackings/get?page=2&api_key=abc"),
            "https://redacted@api.example.org/v2/trackings/get?page=2&api_key=redacted"
        );
        assert_eq!(redact_url("http://127.0.0.1:1/v2"), "http://127.0.0.1:1/v2");
    }

    #[test]
    fn copies_keep_method_url_headers_timeout_and_body() {
        let http = reqwest::Client::new();
        let bare = http
            .delete("http://127.0.0.1:1/v2/trackings/dhl/123")
            .header(API_KEY_HEADER, "key")
            .timeout(Duration::from_secs(7))
            .build()
            .expect("a request");
        let copy = copy_of(&bare).expect("a request without a body copies");
        assert_eq!(copy.method(), Method::DELETE);
        assert_eq!(copy.url(), bare.url());
        assert_eq!(copy.headers(), bare.headers());
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(7)));
        assert!(copy.body().is_none());

        let untimed = http.get("http://127.0.0.1:1/v2").build().expect("a request");
        assert_eq!(copy_of(&untimed).expect("a copy").timeout(), None);

        let posted = http.post("http://127.0.0.1:1/v2").body("{}").build().expect("a request");
        let copy = copy_of(&posted).expect("a byte body copies");
        assert_eq!(copy.body().and_then(|body| body.as_bytes()), Some(&b"{}"[..]));
    }

    #[test]
    fn previews_are_bounded() {
        let body = vec![b'x'; 5000];
        let shown = preview(&body);
        assert!(shown.len() < 2100, "{}", shown.len());
        assert!(shown.ends_with("(5000 bytes in all)"));
    }
}
