//! Webhooks from the sandbox, verified and parsed by `trackingmore::webhook`.

use std::time::{Duration, UNIX_EPOCH};

use trackingmore::model::{Status, StatusChange};
use trackingmore::webhook::{self, WebhookError};
use trackingmore::{NewTracking, TrackingChanges};
use trackingmore_tests::World;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_sandbox_push_verifies_and_parses() {
    let world = World::start().await;
    let receiver = MockServer::start().await;
    Mock::given(path("/hook")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    world.admin().register_webhook(&format!("{}/hook", receiver.uri())).expect("registered");

    let trackings = world.client.trackings();
    trackings.create(&NewTracking::new("dhl", "1734567890")).await.expect("created");
    let delivered = TrackingChanges { status: Some(StatusChange::Delivered), ..Default::default() };
    trackings.update("dhl", "1734567890", &delivered).await.expect("forced delivered");

    // Delivery is asynchronous: look for it a bounded number of times.
    let mut pushes = Vec::new();
    for _ in 0..100 {
        pushes = receiver.received_requests().await.unwrap_or_default();
        if !pushes.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let push = pushes.first().expect("the sandbox pushed the status change");

    // The sandbox signs with its virtual clock, so freshness is judged against it.
    let now =
        UNIX_EPOCH + Duration::from_secs(u64::try_from(world.admin().now()).expect("after 1970"));
    let event = webhook::verify_at(&push.body, "dev@example.org", Duration::from_secs(300), now)
        .expect("signed with the account e-mail");
    assert_eq!(event.tracking.tracking_number.as_deref(), Some("1734567890"));
    assert_eq!(event.tracking.status, Some(Status::Delivered));

    let forged =
        webhook::verify_at(&push.body, "someone@example.org", Duration::from_secs(300), now);
    assert!(matches!(forged, Err(WebhookError::BadSignature)));
    let replayed = webhook::verify_at(
        &push.body,
        "dev@example.org",
        Duration::from_secs(300),
        now + Duration::from_secs(3600),
    );
    assert!(matches!(replayed, Err(WebhookError::Stale { .. })));
}
