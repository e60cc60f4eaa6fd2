//! Each failure the API can answer maps to the right error variant, keeping the status,
//! the meta code, the message, the headers and the raw body.

use serde_json::json;
use trackingmore::{Error, MetaCode, Method, NewTracking, RetryPolicy};
use trackingmore_sandbox::{Config, Fault, FaultKind, RateLimits};
use trackingmore_tests::World;

/// The meta code of an [`Error::Api`], failing the test for any other variant.
fn api_code(result: trackingmore::Result<impl std::fmt::Debug>) -> MetaCode {
    match result {
        Err(Error::Api(api)) => api.meta_code.expect("an envelope"),
        other => panic!("expected an api error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_request_error_code_is_an_api_error() {
    let world = World::start().await;
    let (client, trackings) = (&world.client, world.client.trackings());
    trackings.create(&NewTracking::new("dhl", "6234567890")).await.expect("created");

    let raw = |method: Method, path: &'static str, body: serde_json::Value| {
        let client = client.clone();
        async move { client.raw(method, path, Some(body)).await }
    };
    assert_eq!(
        api_code(raw(Method::POST, "/trackings/post", json!("text")).await),
        MetaCode::BadRequest
    );
    let no_number = json!({"carrier_code": "dhl"});
    assert_eq!(
        api_code(raw(Method::POST, "/trackings/post", no_number).await),
        MetaCode::TrackingNumberRequired
    );
    let short = NewTracking::new("dhl", "ab");
    assert_eq!(api_code(trackings.create(&short).await), MetaCode::InvalidTrackingNumber);
    let carrier = NewTracking::new("nope", "6234567890");
    assert_eq!(api_code(trackings.create(&carrier).await), MetaCode::InvalidCarrierCode);
    let twice = NewTracking::new("dhl", "6234567890");
    assert_eq!(api_code(trackings.create(&twice).await), MetaCode::TrackingAlreadyExists);
    assert_eq!(api_code(trackings.delete("dhl", "7234567890").await), MetaCode::TrackingNotFound);
    let items: Vec<_> = (0..41)
        .map(|n| json!({"tracking_number": format!("RR{n:09}DE"), "carrier_code": "dhl"}))
        .collect();
    assert_eq!(
        api_code(raw(Method::POST, "/trackings/batch", json!(items)).await),
        MetaCode::TooManyItems
    );
    assert_eq!(api_code(trackings.get("dhl", "7234567890").await), MetaCode::EmptyResponse);
    assert_eq!(api_code(client.carriers().detect("QQQQQQQQ").await), MetaCode::CannotDetectCarrier);
    let forced = json!({"status": 5});
    assert_eq!(
        api_code(raw(Method::PUT, "/trackings/dhl/6234567890", forced).await),
        MetaCode::InvalidStatus
    );

    let unknown_route = client.raw(Method::GET, "/nowhere", None).await;
    assert_eq!(api_code(unknown_route), MetaCode::NotFound);
    let wrong_method = client.raw(Method::PATCH, "/trackings/post", None).await;
    assert_eq!(api_code(wrong_method), MetaCode::MethodNotAllowed);
}

#[tokio::test]
async fn quota_errors_are_their_own_variant() {
    let world = World::start().await;
    world.admin().set_quota(&world.sandbox.api_key(), 0).expect("quota set");
    let error = world
        .client
        .trackings()
        .create(&NewTracking::new("dhl", "8234567890"))
        .await
        .expect_err("no quota left");
    let Error::QuotaExhausted { api } = &error else { panic!("expected quota: {error:?}") };
    assert_eq!(api.meta_code, Some(MetaCode::QuotaExhausted));
    assert!(
        error.to_string().starts_with("quota exhausted: Remaining quota is deficient"),
        "{error}"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_429_is_rate_limited_with_the_wait_the_api_named() {
    let world = World::with_config(Config::default().rate_limits(RateLimits::reference())).await;
    let eager =
        World::client_builder(&world.sandbox).retry(RetryPolicy::none()).build().expect("builds");
    let lists = futures::future::join_all(
        (0..3).map(|_| async { eager.trackings().list(&Default::default()).await }),
    )
    .await;
    let limited: Vec<_> = lists.into_iter().filter_map(Result::err).collect();
    assert!(!limited.is_empty(), "three lists at once exceed 1/s");
    for error in limited {
        let Error::RateLimited { retry_after, api } = &error else { panic!("{error:?}") };
        assert_eq!(api.meta_code, Some(MetaCode::TooManyRequests));
        assert_eq!(api.status.as_u16(), 200, "the sandbox, like the api, answers 429 in meta");
        assert!(api.headers.contains_key("retry-after"));
        assert!(retry_after.as_secs() >= 1);
        assert!(error.is_retryable());
    }
}

#[tokio::test]
async fn server_errors_keep_status_headers_and_body() {
    let world = World::start().await;
    let once =
        World::client_builder(&world.sandbox).retry(RetryPolicy::none()).build().expect("builds");

    world.admin().inject_fault(Fault::next(1, FaultKind::ServerError { status: 503, html: false }));
    let json = once.account().user_info().await.expect_err("503");
    let api = json.api().expect("an answer");
    assert_eq!((api.status.as_u16(), api.meta_code), (503, Some(MetaCode::ServiceUnavailable)));
    assert!(json.is_retryable());

    world.admin().inject_fault(Fault::next(1, FaultKind::ServerError { status: 502, html: true }));
    let html = once.account().user_info().await.expect_err("502");
    let Error::Api(api) = &html else { panic!("{html:?}") };
    assert_eq!((api.status.as_u16(), api.meta_code), (502, None));
    assert!(api.body_text().contains("<center>nginx</center>"), "the html body is kept");
    assert_eq!(
        api.headers.get("content-type").and_then(|value| value.to_str().ok()),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(html.to_string(), "getUserInfo failed with http status 502: bad gateway");

    world.admin().inject_fault(Fault::next(1, FaultKind::TruncatedJson));
    let cut = once.account().user_info().await.expect_err("truncated");
    let Error::Decode { status, body, .. } = &cut else { panic!("{cut:?}") };
    assert_eq!(status.as_u16(), 200);
    assert!(body.starts_with(b"{\"meta\""), "the raw body is kept");

    world.admin().inject_fault(Fault::next(1, FaultKind::ConnectionReset { after_handler: false }));
    let reset = once.account().user_info().await.expect_err("reset");
    assert!(matches!(reset, Error::Transport { .. }), "{reset:?}");
}

#[tokio::test]
async fn every_operation_refuses_an_unknown_key_with_4001() {
    use trackingmore::{CountFilters, Lane, ListFilters, Place, TrackingChanges, TrackingId};

    let world = World::start().await;
    let stranger =
        World::client_builder(&world.sandbox).api_key("stranger").build().expect("builds");
    let (t, id) = (stranger.trackings(), || TrackingId::new("dhl", "2134567890"));
    let changes = TrackingChanges::default();
    let new = NewTracking::new("dhl", "2134567890");

    let codes = vec![
        t.create(&new).await.map(drop),
        t.get("dhl", "2134567890").await.map(drop),
        t.get_in_language("dhl", "2134567890", "de").await.map(drop),
        t.update("dhl", "2134567890", &changes).await.map(drop),
        t.delete("dhl", "2134567890").await.map(drop),
        t.batch_create([new.clone()]).await.map(drop),
        t.list(&ListFilters::new()).await.map(drop),
        t.update_many([(id(), changes.clone())]).await.map(drop),
        t.delete_many([id()]).await.map(drop),
        t.realtime(id()).await.map(drop),
        t.change_carrier(id(), "ups").await.map(drop),
        stranger.account().user_info().await.map(drop),
        stranger.account().status_counts(&CountFilters::new()).await.map(drop),
        t.stop_updating([id()]).await.map(drop),
        stranger.tools().remote_areas([Place::new("NO", "9170")]).await.map(drop),
        stranger.tools().transit_times([Lane::new("ups", "DE", "JP")]).await.map(drop),
        stranger.tools().air_cargo(["618-40712385"], None).await.map(drop),
        stranger.carriers().list(None).await.map(drop),
        stranger.carriers().detect("2134567890").await.map(drop),
    ];
    assert_eq!(codes.len(), 19, "every operation");
    for (n, result) in codes.into_iter().enumerate() {
        assert_eq!(api_code(result), MetaCode::InvalidApiKey, "operation {n}");
    }
    assert_eq!(world.admin().journal().len(), 19, "one call each, no retries of a 4001");
}
