//! What the client logs: one span and one completion event per call with dotted fields,
//! bodies only at TRACE, and never the API key, in logs, `Debug` output or error messages.
//!
//! One test in a binary of its own: it installs the process-wide subscriber, because
//! `tracing` caches which call sites are enabled, and other tests running in parallel
//! without a subscriber would switch the client's call sites off.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use trackingmore::{Client, Method, NewTracking, RateLimits, RetryPolicy};
use trackingmore_sandbox::{Config, Fault, FaultKind, Sandbox};

const CANARY: &str = "canary-7f3a9c2e5b1d4f60";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn calls_log_their_fields_and_never_the_key() {
    let logs = Buffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let config = Config::with_api_key(CANARY).rate_limits(trackingmore_sandbox::RateLimits::off());
    let sandbox = Sandbox::start(config).await.expect("starts");
    let retry = RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20));
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .api_key(CANARY)
        .retry(retry)
        .rate_limits(RateLimits::off())
        .build()
        .expect("builds");
    let mut shown = vec![format!("{client:?}"), format!("{:?}", Client::builder().api_key(CANARY))];

    // Successes, a retried 502, and failures of every kind.
    let trackings = client.trackings();
    trackings.create(&NewTracking::new("dhl", "1434567890")).await.expect("created");
    trackings.get("dhl", "1434567890").await.expect("read");
    let fault = Fault::new(FaultKind::ServerError { status: 502, html: true });
    sandbox.admin().inject_fault(fault.on_route("userinfo").times(1));
    client.account().user_info().await.expect("retried after a 502");
    let once = Client::builder()
        .base_url(sandbox.base_url())
        .api_key(CANARY)
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    sandbox
        .admin()
        .inject_fault(Fault::new(FaultKind::TruncatedJson).on_route("userinfo").times(1));
    let errors = vec![
        trackings.get("dhl", "0000000000").await.expect_err("4031"),
        trackings.create(&NewTracking::new("dhl", "1434567890")).await.expect_err("4016"),
        once.account().user_info().await.expect_err("truncated"),
        client.raw(Method::GET, "/nowhere", None).await.expect_err("404"),
    ];
    for error in &errors {
        shown.push(format!("{error} {error:?}"));
    }
    let closed = Client::builder()
        .base_url("http://127.0.0.1:9/v2")
        .api_key(CANARY)
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    let refused = closed.account().user_info().await.expect_err("nothing listens on port 9");
    shown.push(format!("{refused} {refused:?}"));

    // One completion event per call, with the dotted fields, at DEBUG.
    let logged = logs.contents();
    let completed: Vec<&str> = logged
        .lines()
        .filter(|line| line.contains("call completed") && line.contains("/0000000000"))
        .collect();
    assert_eq!(completed.len(), 1, "{logged}");
    let line = completed[0];
    for field in [
        "DEBUG",
        "operation=\"getTracking\"",
        "http.method=GET",
        "http.status=200",
        "meta.code=4031",
        "attempt=1",
        "duration_ms=",
    ] {
        assert!(line.contains(field), "{field} missing in {line}");
    }
    assert!(logged.contains("retrying"), "the 502 retry is logged");
    assert!(logged.contains("response body"), "bodies are captured at TRACE");

    // The key, nowhere.
    assert!(!logged.contains(CANARY), "the key leaked into the logs");
    for text in shown {
        assert!(!text.contains(CANARY), "the key leaked: {text}");
    }
}
