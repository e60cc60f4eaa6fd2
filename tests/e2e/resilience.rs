//! Retries, waits, the deadline and the rate limiter, against sandbox faults and, where an
//! exact sequence of answers matters, a wiremock server. Timing checks read the times at
//! which the server received requests, never how long the test took.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use trackingmore::{
    Client, Error, ListFilters, NewTracking, Operation, RateLimit, RateLimits, RetryPolicy,
    TransportKind,
};
use trackingmore_sandbox::{Config, Fault, FaultKind};
use trackingmore_tests::{World, number, quick_retries};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers with `template` and notes when each request arrived.
#[derive(Clone)]
struct Stamped {
    template: ResponseTemplate,
    times: Arc<Mutex<Vec<Instant>>>,
}

impl Stamped {
    fn new(template: ResponseTemplate) -> Stamped {
        Stamped { template, times: Arc::default() }
    }

    fn gaps(&self) -> Vec<Duration> {
        let times = self.times.lock().expect("not poisoned");
        times.windows(2).map(|pair| pair[1] - pair[0]).collect()
    }
}

impl Respond for Stamped {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.times.lock().expect("not poisoned").push(Instant::now());
        self.template.clone()
    }
}

fn user_info_body() -> serde_json::Value {
    json!({"meta": {"code": 200, "type": "Success", "message": "Success"},
           "data": {"email": "dev@example.org", "track_number": 7}})
}

fn mock_client(server: &MockServer, retry: RetryPolicy, limits: RateLimits) -> Client {
    Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .api_key("mock-key")
        .retry(retry)
        .rate_limits(limits)
        .build()
        .expect("builds")
}

#[tokio::test]
async fn an_html_502_then_success_is_a_success() {
    let world = World::start().await;
    let fault = FaultKind::ServerError { status: 502, html: true };
    world.admin().inject_fault(Fault::new(fault).on_route("userinfo").times(1));

    let info = world.client.account().user_info().await.expect("the retry succeeds");
    assert_eq!(info.attempts(), 2);
    assert!(info.replayed(), "a 502 leaves open whether the server did the work");
    assert_eq!(world.calls_of("getUserInfo").len(), 2);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(json!({"meta": {"code": 429, "message": "slow down"}, "data": []}));
    let first = Stamped::new(limited);
    let times = Arc::clone(&first.times);
    Mock::given(method("GET"))
        .and(path("/v2/trackings/getuserinfo"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let ok = Stamped {
        template: ResponseTemplate::new(200).set_body_json(user_info_body()),
        times: Arc::clone(&times),
    };
    Mock::given(method("GET"))
        .and(path("/v2/trackings/getuserinfo"))
        .respond_with(ok.clone())
        .mount(&server)
        .await;

    let client = mock_client(&server, quick_retries(), RateLimits::off());
    let info = client.account().user_info().await.expect("the retry succeeds");
    assert_eq!((info.attempts(), info.track_number), (2, Some(7)));
    let gaps = ok.gaps();
    assert!(gaps[0] >= Duration::from_millis(950), "retry-after: 1 honoured, got {gaps:?}");
}

#[tokio::test]
async fn a_meta_429_without_retry_after_waits_the_configured_pause() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(200)
        .set_body_json(json!({"meta": {"code": 429, "type": "Too Many Requests"}, "data": []}));
    let first = Stamped::new(limited);
    let ok = Stamped {
        template: ResponseTemplate::new(200).set_body_json(user_info_body()),
        times: Arc::clone(&first.times),
    };
    Mock::given(path("/v2/trackings/getuserinfo"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/trackings/getuserinfo")).respond_with(ok.clone()).mount(&server).await;

    let retry = quick_retries().rate_limited_wait(Duration::from_millis(300));
    let client = mock_client(&server, retry, RateLimits::off());
    client.account().user_info().await.expect("the retry succeeds");
    let gaps = ok.gaps();
    assert!(gaps[0] >= Duration::from_millis(250), "the configured pause, got {gaps:?}");

    // With a pause longer than the deadline allows, the caller gets the wait instead.
    let impatient = mock_client(
        &server,
        quick_retries()
            .rate_limited_wait(Duration::from_secs(120))
            .deadline(Duration::from_secs(5)),
        RateLimits::off(),
    );
    server.reset().await;
    Mock::given(path("/v2/trackings/getuserinfo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"meta": {"code": 429}, "data": []})),
        )
        .mount(&server)
        .await;
    let error = impatient.account().user_info().await.expect_err("rate limited");
    let Error::RateLimited { retry_after, .. } = error else { panic!("{error:?}") };
    assert_eq!(retry_after, Duration::from_secs(120));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_returns_the_tracking_once() {
    let world = World::start().await;
    let reset = FaultKind::ConnectionReset { after_handler: true };
    world.admin().inject_fault(Fault::new(reset).on_route("create").times(1));

    let new = NewTracking::new("dhl", "9234567890").title("Kettle");
    let created = world.client.trackings().create(&new).await.expect("created once");
    assert!(created.replayed());
    assert_eq!(created.tracking_number.as_deref(), Some("9234567890"));
    assert_eq!(created.title.as_deref(), Some("Kettle"));

    let stored = world
        .client
        .trackings()
        .list(&ListFilters::new().numbers(["9234567890"]))
        .await
        .expect("listed");
    assert_eq!(stored.items.as_ref().map(Vec::len), Some(1), "exactly one tracking");
    let creates = world.calls_of("createTracking");
    assert_eq!(creates.len(), 2);
    assert_eq!(creates[1].meta_code, Some(4016), "the retry met the first attempt's tracking");
    assert_eq!(world.calls_of("getTracking").len(), 1);
}

#[tokio::test]
async fn deletes_and_batches_whose_answers_were_lost_count_as_done() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    trackings.create(&NewTracking::new("dhl", "1034567890")).await.expect("created");
    let reset = || FaultKind::ConnectionReset { after_handler: true };

    world.admin().inject_fault(Fault::new(reset()).on_route("delete").times(1));
    let deleted =
        trackings.delete("dhl", "1034567890").await.expect("deleted by the first attempt");
    assert!(deleted.replayed());

    world.admin().inject_fault(Fault::new(reset()).on_route("batch").times(1));
    let items = (0..10).map(|n| NewTracking::new("ups", number("1Z777BB2", n)));
    let batch = trackings.batch_create(items).await.expect("created by the first attempt");
    assert_eq!(batch.done.len(), 10);
    assert!(batch.done.iter().all(|done| done.recovered));
    assert_eq!(world.calls_of("batchCreateTrackings").len(), 2);
    let stored = trackings.list(&ListFilters::new()).await.expect("listed");
    assert_eq!(stored.count, Some(10), "nothing was created twice");
}

#[tokio::test]
async fn realtime_is_not_replayed_after_an_ambiguous_failure() {
    let world = World::start().await;
    let reset = FaultKind::ConnectionReset { after_handler: true };
    world.admin().inject_fault(Fault::new(reset).on_route("realtime").times(1));

    let error = world.client.trackings().realtime(("dhl", "1134567890")).await.expect_err("lost");
    assert!(matches!(error, Error::Transport { attempts: 1, .. }), "{error:?}");
    assert_eq!(world.calls_of("realtimeTracking").len(), 1, "quota is not spent twice");
}

#[tokio::test]
async fn the_deadline_stops_retries() {
    let server = MockServer::start().await;
    let unavailable = ResponseTemplate::new(503).set_body_string("<html>maintenance</html>");
    Mock::given(path("/v2/trackings/getuserinfo")).respond_with(unavailable).mount(&server).await;

    let retry = RetryPolicy::default()
        .max_retries(1000)
        .backoff(Duration::from_millis(20), Duration::from_millis(50))
        .deadline(Duration::from_millis(400));
    let client = mock_client(&server, retry, RateLimits::off());
    let error = client.account().user_info().await.expect_err("never succeeds");
    let Error::DeadlineExceeded { attempts, last, .. } = &error else { panic!("{error:?}") };
    let received = server.received_requests().await.map(|r| r.len()).unwrap_or_default();
    assert_eq!(*attempts as usize, received);
    assert!(received > 1 && received < 1000, "retries stopped early: {received}");
    // The last attempt either saw the 503 or was cut short by the deadline itself, which
    // happens when the machine is slow enough that an attempt starts just before it.
    let last = last.as_deref().expect("the last attempt's failure");
    let cut_short = matches!(last, Error::Transport { kind: TransportKind::Timeout, .. });
    let status = last.http_status().map(|status| status.as_u16());
    assert!(status == Some(503) || cut_short, "{last:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn the_limiter_spaces_calls_across_clones() {
    let server = MockServer::start().await;
    let page = json!({"meta": {"code": 200}, "data": {"page": 1, "limit": 100, "total": "0", "count": 0, "items": []}});
    let stamped = Stamped::new(ResponseTemplate::new(200).set_body_json(page));
    Mock::given(path("/v2/trackings/get")).respond_with(stamped.clone()).mount(&server).await;

    let limits = RateLimits::off()
        .set(Operation::ListTrackings, RateLimit::every(Duration::from_millis(200)));
    let client = mock_client(&server, RetryPolicy::none(), limits);
    let twin = client.clone();
    let calls = (0..4).map(|n| {
        let client = if n % 2 == 0 { client.clone() } else { twin.clone() };
        async move { client.trackings().list(&ListFilters::new()).await }
    });
    for result in futures::future::join_all(calls).await {
        result.expect("every call goes through, later");
    }
    let gaps = stamped.gaps();
    assert_eq!(gaps.len(), 3);
    assert!(gaps.iter().all(|gap| *gap >= Duration::from_millis(150)), "spaced: {gaps:?}");
}

#[tokio::test]
async fn the_default_limits_avoid_the_sandbox_429s() {
    let world = World::with_config(Config::default()).await;
    let client = World::client_builder(&world.sandbox)
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::default())
        .build()
        .expect("builds");
    // A first call opens the connection, so that the spaced calls all travel alike.
    client.account().user_info().await.expect("warm-up");
    let lists = (0..3).map(|_| async { client.trackings().list(&ListFilters::new()).await });
    let realtimes = (0..6).map(|n| client.trackings().realtime(("dhl", number("99", n))));
    let (lists, realtimes) =
        futures::join!(futures::future::join_all(lists), futures::future::join_all(realtimes));
    assert!(lists.iter().all(Result::is_ok), "{lists:?}");
    assert!(realtimes.iter().all(Result::is_ok), "{realtimes:?}");
    let limited =
        world.admin().journal().into_iter().filter(|entry| entry.meta_code == Some(429)).count();
    assert_eq!(limited, 0);
}

#[tokio::test]
async fn a_limiter_wait_past_the_deadline_is_refused_without_sending() {
    let server = MockServer::start().await;
    let page = json!({"meta": {"code": 200}, "data": {"items": []}});
    Mock::given(path("/v2/trackings/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;

    let limits =
        RateLimits::off().set(Operation::ListTrackings, RateLimit::every(Duration::from_secs(60)));
    let client = mock_client(&server, RetryPolicy::none().deadline(Duration::from_secs(1)), limits);
    client.trackings().list(&ListFilters::new()).await.expect("the first call passes");
    let error = client.trackings().list(&ListFilters::new()).await.expect_err("held back");
    assert!(matches!(error, Error::Throttled { .. }), "{error:?}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn timeouts_connect_failures_and_the_deadline_are_told_apart() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(user_info_body())
        .set_delay(Duration::from_secs(3));
    Mock::given(path("/v2/trackings/getuserinfo")).respond_with(slow).mount(&server).await;

    let timed = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .api_key("k")
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    let error = timed.account().user_info().await.expect_err("too slow");
    assert!(
        matches!(error, Error::Transport { kind: trackingmore::TransportKind::Timeout, .. }),
        "{error:?}"
    );

    let bounded = mock_client(
        &server,
        quick_retries().deadline(Duration::from_millis(300)),
        RateLimits::off(),
    );
    let error = bounded.account().user_info().await.expect_err("past the deadline");
    assert!(matches!(error, Error::DeadlineExceeded { .. }), "{error:?}");

    // Nothing listens on the discard port of loopback.
    let closed = Client::builder()
        .base_url("http://127.0.0.1:9/v2")
        .api_key("k")
        .retry(quick_retries().max_retries(2))
        .build()
        .expect("builds");
    let error = closed.account().user_info().await.expect_err("refused");
    assert!(
        matches!(
            error,
            Error::Transport { kind: trackingmore::TransportKind::Connect, attempts: 3, .. }
        ),
        "a refused connection is retried, then reported: {error:?}"
    );
}
