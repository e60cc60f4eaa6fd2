//! The API key never shows: not in logs at TRACE, not in `Debug`, not in error messages.

use trackingmore::{Client, Method, NewTracking, RetryPolicy};
use trackingmore_sandbox::{Config, Fault, FaultKind, RateLimits, Sandbox};
use trackingmore_tests::{LogBuffer, quick_retries, trace_subscriber};

const CANARY: &str = "canary-7f3a9c2e5b1d4f60";

#[tokio::test]
async fn the_key_appears_in_no_log_line_debug_output_or_error() {
    let logs = LogBuffer::default();
    // A current-thread runtime: the sandbox's tasks log into the same subscriber.
    let _guard = tracing::subscriber::set_default(trace_subscriber(logs.clone()));

    let config = Config::with_api_key(CANARY).rate_limits(RateLimits::off());
    let sandbox = Sandbox::start(config).await.expect("starts");
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .api_key(CANARY)
        .retry(quick_retries())
        .build()
        .expect("builds");
    let mut shown = vec![format!("{client:?}"), format!("{:?}", Client::builder().api_key(CANARY))];

    let trackings = client.trackings();
    trackings.create(&NewTracking::new("dhl", "1434567890")).await.expect("created");
    trackings.get("dhl", "1434567890").await.expect("read");
    sandbox
        .admin()
        .inject_fault(Fault::next(1, FaultKind::ServerError { status: 502, html: true }));
    client.account().user_info().await.expect("retried after a 502");

    let once = Client::builder()
        .base_url(sandbox.base_url())
        .api_key(CANARY)
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    sandbox.admin().inject_fault(Fault::next(1, FaultKind::TruncatedJson).on_route("userinfo"));
    let errors = vec![
        trackings.get("dhl", "0000000000").await.expect_err("4031"),
        trackings.create(&NewTracking::new("dhl", "1434567890")).await.expect_err("4016"),
        once.account().user_info().await.expect_err("truncated"),
        client.raw(Method::GET, "/nowhere", None).await.expect_err("404"),
    ];
    for error in &errors {
        shown.push(error.to_string());
        shown.push(format!("{error:?}"));
    }
    let unreachable = Client::builder()
        .base_url("http://127.0.0.1:9/v2")
        .api_key(CANARY)
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    let refused = unreachable.account().user_info().await.expect_err("nothing listens on port 9");
    shown.push(format!("{refused} {refused:?}"));

    let logged = logs.contents();
    assert!(logged.contains("call completed"), "trace capture works");
    assert!(logged.contains("response body"), "bodies are captured at TRACE");
    assert!(!logged.contains(CANARY), "the key leaked into the logs");
    for text in shown {
        assert!(!text.contains(CANARY), "the key leaked: {text}");
    }
}
