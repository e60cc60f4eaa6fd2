//! The escape hatches: `Client::raw` and the generated client behind `Client::api`.

use serde_json::json;
use trackingmore::{Method, NewTracking};
use trackingmore_tests::World;

#[tokio::test]
async fn raw_calls_get_the_same_envelope_rules() {
    let world = World::start().await;
    let created = world
        .client
        .raw(
            Method::POST,
            "/trackings/post",
            Some(json!({"tracking_number": "1534567890", "carrier_code": "dhl"})),
        )
        .await
        .expect("created through raw");
    assert_eq!(created["tracking_number"], "1534567890");
    let page = world.client.raw(Method::GET, "trackings/get?limit=5", None).await.expect("listed");
    assert_eq!(page["total"], "1");
    assert_eq!(world.calls_of("listTrackings").len(), 1, "a raw list is still a list");
}

#[tokio::test]
async fn the_generated_client_runs_through_the_same_hooks() {
    let world = World::start().await;
    world.client.trackings().create(&NewTracking::new("dhl", "1634567890")).await.expect("created");
    let answer = world
        .client
        .api()
        .get_tracking()
        .carrier_code("dhl")
        .tracking_number("1634567890")
        .send()
        .await
        .expect("the key is sent by the hooks");
    let envelope = answer.into_inner();
    assert_eq!(envelope.meta.code, 200);
    assert_eq!(
        envelope.data.and_then(|tracking| tracking.tracking_number).as_deref(),
        Some("1634567890")
    );
    let journal = world.admin().journal();
    assert!(journal.iter().all(|entry| entry.api_key == Some("<redacted>")), "a key on every call");
}
