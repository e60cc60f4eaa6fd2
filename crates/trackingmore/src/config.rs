//! Client configuration: [`ClientBuilder`], [`RetryPolicy`] and [`RateLimits`].
//!
//! Every setting has a default that works against the real API; `TRACKINGMORE_API_KEY` and
//! `TRACKINGMORE_BASE_URL` fill in the key and the base URL when the builder is not given
//! them. TLS is rustls, so no system OpenSSL is needed.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hooks::{ApiKey, Inner, Runtime};
use crate::keeper::TimerKeeper;
use crate::limiter::Limiter;
use crate::operation::Operation;

/// The production base URL of the v2 API.
pub const DEFAULT_BASE_URL: &str = "https://api.trackingmore.com/v2";

/// The time one attempt may take unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest answer a client reads unless [`ClientBuilder::max_response_size`] says
/// otherwise: 64 MiB, many times a full page of 2,000 trackings with their checkpoints.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 << 20;

/// The environment variable read for the API key.
pub const API_KEY_ENV: &str = "TRACKINGMORE_API_KEY";

/// The environment variable read for the base URL.
pub const BASE_URL_ENV: &str = "TRACKINGMORE_BASE_URL";

/// When and how often failed attempts are sent again.
///
/// The wait before retry `n` (from 0) is drawn uniformly from `0..=min(max_backoff,
/// initial_backoff · 2^n)` ("full jitter"), unless the answer named a wait (`Retry-After`,
/// or the API's documented pause after a 429), which is then honoured as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts after the first one; 0 turns retries off.
    pub max_retries: u32,
    /// The cap of the first backoff.
    pub initial_backoff: Duration,
    /// The cap of every backoff.
    pub max_backoff: Duration,
    /// How long to wait after a 429 that came without `Retry-After`: the API's
    /// documentation asks for two minutes.
    pub rate_limited_wait: Duration,
    /// The total time one call may take, retries and waits included.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            rate_limited_wait: Duration::from_secs(120),
            deadline: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every call makes exactly one attempt.
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// Sets the number of retries.
    pub fn max_retries(mut self, n: u32) -> RetryPolicy {
        self.max_retries = n;
        self
    }

    /// Sets the backoff bounds.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> RetryPolicy {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the wait after a 429 without `Retry-After`.
    pub fn rate_limited_wait(mut self, wait: Duration) -> RetryPolicy {
        self.rate_limited_wait = wait;
        self
    }

    /// Sets the total deadline of one call.
    pub fn deadline(mut self, deadline: Duration) -> RetryPolicy {
        self.deadline = deadline;
        self
    }

    /// The upper bound of the jittered wait before retry `retry` (0 for the first retry).
    pub(crate) fn backoff_cap(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(20));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// How fast one operation may be called: `burst` calls at once, then one per `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub(crate) period: Duration,
    pub(crate) burst: u32,
}

impl RateLimit {
    /// `n` calls per second, evenly spaced (no burst beyond one call).
    pub fn per_second(n: u32) -> RateLimit {
        RateLimit { period: Duration::from_secs(1) / n.max(1), burst: 1 }
    }

    /// One call per `period`.
    pub fn every(period: Duration) -> RateLimit {
        RateLimit { period: period.max(Duration::from_nanos(1)), burst: 1 }
    }

    /// Allows `burst` calls at once before the spacing applies.
    pub fn burst(mut self, burst: u32) -> RateLimit {
        self.burst = burst.max(1);
        self
    }
}

/// Client-side rate limits per operation.
///
/// The defaults are the API's published limits, each account-wide: `listTrackings` one
/// call per second and `realtimeTracking` three per second (both with a small margin). Staying under them avoids the
/// 429 answer, after which the API asks for a two-minute pause. The limiter lives in the
/// process; when several processes share one API key, divide the limits between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    pub(crate) limits: BTreeMap<Operation, RateLimit>,
}

impl Default for RateLimits {
    /// `listTrackings` once per 1.05 s and `realtimeTracking` once per 350 ms: the
    /// published 1/s and 3/s with a 5 % margin, because two calls spaced exactly one period
    /// apart at the client can arrive closer together at the server.
    fn default() -> RateLimits {
        RateLimits::off()
            .set(Operation::ListTrackings, RateLimit::every(Duration::from_millis(1050)))
            .set(Operation::RealtimeTracking, RateLimit::every(Duration::from_millis(350)))
    }
}

impl RateLimits {
    /// No client-side limits.
    pub fn off() -> RateLimits {
        RateLimits { limits: BTreeMap::new() }
    }

    /// Limits one operation.
    pub fn set(mut self, operation: Operation, limit: RateLimit) -> RateLimits {
        self.limits.insert(operation, limit);
        self
    }

    /// Removes the limit of one operation.
    pub fn unset(mut self, operation: Operation) -> RateLimits {
        self.limits.remove(&operation);
        self
    }

    /// The limit of one operation, if any.
    pub fn get(&self, operation: Operation) -> Option<RateLimit> {
        self.limits.get(&operation).copied()
    }
}

/// Builds a [`Client`]; see the crate docs for an example.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    proxy: Option<String>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    rate_limits: RateLimits,
    batch_concurrency: Option<usize>,
    max_response_size: Option<usize>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("proxy", &self.proxy.as_deref().map(crate::hooks::redact_url))
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("rate_limits", &self.rate_limits)
            .field("batch_concurrency", &self.batch_concurrency)
            .field("max_response_size", &self.max_response_size)
            .field("http", &self.http.as_ref().map(|_| "<custom reqwest client>"))
            .finish()
    }
}

impl ClientBuilder {
    /// A builder with every default; the key and base URL fall back to the environment.
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API key (otherwise `TRACKINGMORE_API_KEY`).
    pub fn api_key(mut self, key: impl Into<String>) -> ClientBuilder {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL including `/v2` (otherwise `TRACKINGMORE_BASE_URL`, then
    /// [`DEFAULT_BASE_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// The time one attempt may take, connection included (default 30 s); retries get
    /// their own, all within the [`RetryPolicy::deadline`].
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = Some(timeout);
        self
    }

    /// The time opening a connection may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sends every request through this proxy (`http://`, `https://` or `socks5://` URL
    /// as reqwest accepts it).
    pub fn proxy(mut self, url: impl Into<String>) -> ClientBuilder {
        self.proxy = Some(url.into());
        self
    }

    /// The `User-Agent` header (default `trackingmore-rs/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = Some(agent.into());
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// The client-side rate limits (default: the API's published limits).
    pub fn rate_limits(mut self, limits: RateLimits) -> ClientBuilder {
        self.rate_limits = limits;
        self
    }

    /// How many chunks of a batch call are in flight at once (default 4).
    pub fn batch_concurrency(mut self, n: usize) -> ClientBuilder {
        self.batch_concurrency = Some(n.max(1));
        self
    }

    /// The largest answer body the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]). A larger answer ends the call with
    /// [`Error::ResponseTooLarge`] as soon as the limit is passed, so a misbehaving peer
    /// cannot make the client buffer without end.
    pub fn max_response_size(mut self, bytes: usize) -> ClientBuilder {
        self.max_response_size = Some(bytes);
        self
    }

    /// Uses this reqwest client instead of building one; connect timeout, proxy and user
    /// agent are then that client's business. [`ClientBuilder::timeout`] still applies to
    /// each attempt, since the client sets it on every request to respect the deadline.
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http = Some(client);
        self
    }

    /// Builds the client; fails on a missing or unusable key, base URL or proxy.
    pub fn build(self) -> Result<Client> {
        let key = match self.api_key {
            Some(key) => key,
            None => std::env::var(API_KEY_ENV).map_err(|_| {
                Error::config(format!(
                    "no api key given and none in the environment: {API_KEY_ENV}"
                ))
            })?,
        };
        let api_key = ApiKey::new(&key).map_err(|error| Error::Config {
            message: "the api key cannot be used".to_owned(),
            source: Some(Box::new(error)),
        })?;

        let base_url = self
            .base_url
            .or_else(|| std::env::var(BASE_URL_ENV).ok().filter(|url| !url.trim().is_empty()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = base_url.trim().trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base_url).map_err(|error| Error::Config {
            message: format!("the base url is not a url: {}", crate::hooks::redact_url(&base_url)),
            source: Some(Box::new(error)),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "the base url must be http or https: {}",
                crate::hooks::redact_url(&base_url)
            )));
        }

        let attempt_timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let client_timeout = self.http.is_none().then_some(attempt_timeout);
        let http = match self.http {
            Some(http) => http,
            None => build_http(
                self.timeout,
                self.connect_timeout,
                self.proxy.as_deref(),
                self.user_agent.as_deref(),
            )?,
        };
        let runtime = Runtime {
            retry: self.retry,
            attempt_timeout,
            limiter: Limiter::new(&self.rate_limits),
            batch_concurrency: self.batch_concurrency.unwrap_or(4),
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            client_timeout,
            timers: TimerKeeper::default(),
        };
        let inner = Inner::new(api_key, Arc::new(runtime));
        Ok(Client::from_parts(crate::generated::Client::new_with_client(&base_url, http, inner)))
    }
}

fn build_http(
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    proxy: Option<&str>,
    user_agent: Option<&str>,
) -> Result<reqwest::Client> {
    let agent = user_agent
        .map(str::to_owned)
        .unwrap_or_else(|| format!("trackingmore-rs/{}", env!("CARGO_PKG_VERSION")));
    let mut builder = reqwest::Client::builder()
        .timeout(timeout.unwrap_or(DEFAULT_TIMEOUT))
        .connect_timeout(connect_timeout.unwrap_or(Duration::from_secs(10)))
        .user_agent(agent);
    if let Some(proxy) = proxy {
        let proxy = reqwest::Proxy::all(proxy).map_err(|error| Error::Config {
            message: format!("the proxy url cannot be used: {}", crate::hooks::redact_url(proxy)),
            source: Some(Box::new(error)),
        })?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|error| Error::Config {
        message: "the http client cannot be built".to_owned(),
        source: Some(Box::new(error)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(500));
        let caps: Vec<u128> = (0..5).map(|n| policy.backoff_cap(n).as_millis()).collect();
        assert_eq!(caps, [100, 200, 400, 500, 500]);
        assert_eq!(policy.backoff_cap(u32::MAX), Duration::from_millis(500));
    }

    #[test]
    fn the_published_limits_are_the_default() {
        let limits = RateLimits::default();
        let list = limits.get(Operation::ListTrackings).expect("list is limited");
        assert!(list.period >= Duration::from_secs(1) && list.burst == 1);
        let realtime = limits.get(Operation::RealtimeTracking).expect("realtime is limited");
        assert!(realtime.period >= Duration::from_secs(1) / 3 && realtime.burst == 1);
        assert_eq!(limits.get(Operation::CreateTracking), None);
    }

    #[test]
    fn debug_never_shows_the_key_or_proxy_credentials() {
        let builder = ClientBuilder::new()
            .api_key("canary-0123456789")
            .proxy("http://user:hunter2@proxy.example:3128");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("canary-0123456789"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn a_missing_key_names_the_variable() {
        // Only meaningful where the variable is unset, as in CI and the test suites.
        if std::env::var_os(API_KEY_ENV).is_some() {
            return;
        }
        let error = ClientBuilder::new().build().expect_err("no key anywhere");
        assert_eq!(
            error.to_string(),
            "no api key given and none in the environment: TRACKINGMORE_API_KEY"
        );
    }

    #[test]
    fn a_bad_base_url_is_a_config_error() {
        let error = ClientBuilder::new()
            .api_key("k")
            .base_url("ftp://example.org/v2")
            .build()
            .expect_err("ftp is not http");
        assert_eq!(error.to_string(), "the base url must be http or https: ftp://example.org/v2");
    }
}
