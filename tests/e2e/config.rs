//! Configuration seen from the wire: proxy, user agent, partial successes, and statuses
//! that mirror the meta code. (Log tests live in `crates/trackingmore/tests/logs.rs`, a
//! binary of their own, because a test that captures logs needs the only subscriber.)

use serde_json::json;
use trackingmore::{Client, Error, MetaCode, NewTracking, RetryPolicy};
use trackingmore_sandbox::Config;
use trackingmore_tests::World;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn proxy_and_user_agent_are_used() {
    let proxy = MockServer::start().await;
    let info = json!({"meta": {"code": 200}, "data": {"email": "via@proxy.example"}});
    Mock::given(method("GET"))
        .and(path("/v2/trackings/getuserinfo"))
        .and(header("user-agent", "my-shop/1.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(info))
        .mount(&proxy)
        .await;

    // The host does not resolve: only the proxy can answer.
    let client = Client::builder()
        .base_url("http://api.trackingmore.invalid/v2")
        .api_key("k")
        .proxy(proxy.uri())
        .user_agent("my-shop/1.0")
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    let me = client.account().user_info().await.expect("answered by the proxy");
    assert_eq!(me.email.as_deref(), Some("via@proxy.example"));
    let seen = proxy.received_requests().await.unwrap_or_default();
    assert_eq!(seen[0].headers.get("trackingmore-api-key").map(|v| v.as_bytes()), Some(&b"k"[..]));
    assert!(seen[0].headers.get("api-version").is_none(), "progenitor's header is removed");
}

#[tokio::test]
async fn meta_202_is_a_partial_success_whatever_the_http_status() {
    let server = MockServer::start().await;
    let body = json!({
        "meta": {"code": 202, "type": "Bad Request", "message": "The request was successful but exceeding the limit."},
        "data": {"submitted": 1, "added": 1, "errors": [],
                 "trackings": [{"tracking_number": "1234567890", "carrier_code": "dhl"}]},
    });
    Mock::given(path("/v2/trackings/batch"))
        .respond_with(ResponseTemplate::new(202).set_body_json(body))
        .mount(&server)
        .await;
    let created =
        json!({"meta": {"code": 201, "type": "Created"}, "data": {"id": "x", "status": "pending"}});
    Mock::given(path("/v2/trackings/post"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .api_key("k")
        .retry(RetryPolicy::none())
        .build()
        .expect("builds");
    let batch = client
        .trackings()
        .batch_create([NewTracking::new("dhl", "1234567890")])
        .await
        .expect("partial");
    assert!(batch.partial);
    assert_eq!(batch.done.len(), 1);
    let one =
        client.trackings().create(&NewTracking::new("dhl", "1234567890")).await.expect("http 201");
    assert_eq!((one.http_status().as_u16(), one.meta_code()), (201, MetaCode::Created));
    assert!(!one.is_partial());
}

#[tokio::test]
async fn mirrored_http_statuses_keep_the_meta_code() {
    let world = World::with_config(
        Config::default()
            .mirror_http_status(true)
            .rate_limits(trackingmore_sandbox::RateLimits::off()),
    )
    .await;
    let error = world.client.trackings().delete("dhl", "1834567890").await.expect_err("unknown");
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status.as_u16(), api.meta_code), (404, Some(MetaCode::TrackingNotFound)));
    assert_eq!(api.message.as_deref(), Some("Tracking does not exist."));
}
