//! Shared harness for the end-to-end tests: a sandbox on `127.0.0.1:0` with a client
//! pointed at it, quick retry settings, journal helpers and a log capture.
//!
//! Every sandbox and mock server binds a port chosen by the system; nothing here reaches
//! beyond loopback.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use trackingmore::{Client, ClientBuilder, RateLimits, RetryPolicy};
use trackingmore_sandbox::{Admin, Config, JournalEntry, Sandbox};

/// Retries that finish quickly: short backoff, a short wait after 429, a generous deadline.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
        .rate_limited_wait(Duration::from_millis(50))
        .deadline(Duration::from_secs(20))
}

/// A sandbox plus a client for its first account.
#[derive(Debug)]
pub struct World {
    /// The running sandbox.
    pub sandbox: Sandbox,
    /// A client with quick retries and no client-side rate limits.
    pub client: Client,
}

impl World {
    /// A sandbox without rate limits and a client with quick retries and no limiter.
    pub async fn start() -> World {
        World::with_config(Config::default().rate_limits(trackingmore_sandbox::RateLimits::off()))
            .await
    }

    /// A sandbox with `config` and the default test client.
    pub async fn with_config(config: Config) -> World {
        let sandbox = Sandbox::start(config).await.expect("the sandbox starts on loopback");
        let client = World::client_builder(&sandbox).build().expect("the test client builds");
        World { sandbox, client }
    }

    /// The builder of the default test client, to adjust before building.
    pub fn client_builder(sandbox: &Sandbox) -> ClientBuilder {
        Client::builder()
            .base_url(sandbox.base_url())
            .api_key(sandbox.api_key())
            .retry(quick_retries())
            .rate_limits(RateLimits::off())
    }

    /// The in-process admin handle.
    pub fn admin(&self) -> Admin {
        self.sandbox.admin()
    }

    /// Journal entries of one operation (`createTracking`, …).
    pub fn calls_of(&self, operation: &str) -> Vec<JournalEntry> {
        self.admin().journal().into_iter().filter(|entry| entry.route == Some(operation)).collect()
    }
}

/// A `tracing` writer that keeps everything written to it.
#[derive(Clone, Debug, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything logged so far.
    pub fn contents(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> LogBuffer {
        self.clone()
    }
}

/// A subscriber that writes every event and span of every target, at TRACE, to `buffer`.
///
/// Install it as the global default in a test binary of its own: `tracing` caches which
/// call sites are enabled, so tests running in parallel without it switch them off.
pub fn trace_subscriber(buffer: LogBuffer) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(buffer)
        .finish()
}

/// A valid tracking number for the sandbox, distinct per `n`.
pub fn number(prefix: &str, n: usize) -> String {
    format!("{prefix}{n:08}")
}
