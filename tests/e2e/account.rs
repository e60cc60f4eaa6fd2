//! Account information and counts per status.

use std::time::Duration;

use trackingmore::model::StatusChange;
use trackingmore::{CountFilters, Error, MetaCode, NewTracking, TrackingChanges};
use trackingmore_tests::World;

#[tokio::test]
async fn user_info_shows_the_remaining_quota() {
    let world = World::start().await;
    let before = world.client.account().user_info().await.expect("user info");
    assert_eq!(before.email.as_deref(), Some("dev@example.org"));
    let quota = before.track_number.expect("a quota");
    assert!(before.regtime.as_ref().and_then(|time| time.as_i64()).is_some());

    world.client.trackings().create(&NewTracking::new("dhl", "3234567890")).await.expect("created");
    let after = world.client.account().user_info().await.expect("user info");
    assert_eq!(after.track_number, Some(quota - 1));
}

#[tokio::test]
async fn status_counts_follow_the_clock_and_manual_changes() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    for number in ["4234567890", "5234567890"] {
        trackings.create(&NewTracking::new("dhl", number)).await.expect("created");
    }
    let counts = world.client.account().status_counts(&CountFilters::new()).await.expect("counts");
    assert_eq!(counts.pending, Some(2));

    let delivered = TrackingChanges { status: Some(StatusChange::Delivered), ..Default::default() };
    trackings.update("dhl", "4234567890", &delivered).await.expect("forced delivered");
    world.admin().advance_clock(Duration::from_secs(3600)).expect("the clock moves");
    let counts = world.client.account().status_counts(&CountFilters::new()).await.expect("counts");
    assert_eq!(counts.delivered, Some(1));

    let future = CountFilters::new().created_between(Some(i64::from(i32::MAX)), None);
    let none = world.client.account().status_counts(&future).await.expect("counts");
    assert_eq!(none.delivered, Some(0));
}

#[tokio::test]
async fn an_unknown_key_is_4001() {
    let world = World::start().await;
    let stranger =
        World::client_builder(&world.sandbox).api_key("not-a-key").build().expect("builds");
    let error = stranger.account().user_info().await.expect_err("unknown key");
    let Error::Api(api) = &error else { panic!("expected an api error: {error:?}") };
    assert_eq!(api.meta_code, Some(MetaCode::InvalidApiKey));
    assert_eq!(api.status.as_u16(), 200, "the api answers errors with http 200");
    assert_eq!(api.message.as_deref(), Some("Invalid API key."));
    assert!(!error.is_retryable());
}
