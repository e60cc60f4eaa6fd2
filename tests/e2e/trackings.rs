//! The tracking operations through the facade: success paths and their typical errors.

use futures::TryStreamExt;
use trackingmore::model::{Status, StatusChange};
use trackingmore::{Error, ListFilters, MetaCode, NewTracking, TrackingChanges, TrackingId};
use trackingmore_tests::{World, number};

/// The PUT example of the API's own "Manage your trackings" page, byte for byte.
const SEED_PUT_BODY: &str = r#"{
"title": "new title",
"logistics_channel": "4PX挂号小包",
"customer_name": "sandy",
"customer_email": "[email protected]",
"customer_phone":"+86123456789",
"order_id": "986574521568",
"destination_code": "CN",
"archived": "true",
"status": 7
}"#;

fn api_code(error: &Error) -> Option<MetaCode> {
    error.meta_code()
}

#[tokio::test]
async fn create_get_update_delete_round_trip() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    let new = NewTracking::new("dhl", "1234567890").title("Desk lamp").order_id("#1042");

    let created = trackings.create(&new).await.expect("created");
    assert_eq!(created.tracking_number.as_deref(), Some("1234567890"));
    assert_eq!(created.status, Some(Status::Pending));
    assert!(!created.replayed());

    let got = trackings.get("dhl", "1234567890").await.expect("stored");
    assert_eq!(got.title.as_deref(), Some("Desk lamp"));
    assert!(got.created_time().and_then(|time| time.when).is_some(), "created_at parses");

    let german = trackings.get_in_language("dhl", "1234567890", "de").await.expect("in german");
    assert_eq!(german.tracking_number.as_deref(), Some("1234567890"));

    let changes = TrackingChanges { title: Some("Floor lamp".into()), ..Default::default() };
    let updated = trackings.update("dhl", "1234567890", &changes).await.expect("updated");
    assert_eq!(updated.title.as_deref(), Some("Floor lamp"));

    trackings.delete("dhl", "1234567890").await.expect("deleted");
    let gone = trackings.get("dhl", "1234567890").await.expect_err("deleted before");
    assert_eq!(api_code(&gone), Some(MetaCode::EmptyResponse));
    let again = trackings.delete("dhl", "1234567890").await.expect_err("deleted before");
    assert_eq!(api_code(&again), Some(MetaCode::TrackingNotFound));
}

#[tokio::test]
async fn the_seed_put_example_works_as_written() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    trackings.create(&NewTracking::new("sto", "402934299065")).await.expect("created");

    let body: serde_json::Value = serde_json::from_str(SEED_PUT_BODY).expect("the seed is json");
    let changes = TrackingChanges::from_json(body).expect("the seed body is valid changes");
    assert_eq!(changes.status, Some(StatusChange::Exception));
    let updated = trackings.update("sto", "402934299065", &changes).await.expect("updated");
    assert_eq!(updated.title.as_deref(), Some("new title"));
    assert_eq!(updated.customer_phone.as_deref(), Some("+86123456789"));
    assert_eq!(updated.logistics_channel.as_deref(), Some("4PX挂号小包"));
    assert_eq!(updated.archived.as_ref().and_then(|flag| flag.as_bool()), Some(true));

    let stored = trackings.get("sto", "402934299065").await.expect("stored");
    assert_eq!(stored.status, Some(Status::Exception));
    assert_eq!(stored.is_archived(), Some(true));

    let missing = trackings.update("sto", "999999999999", &changes).await.expect_err("unknown");
    assert_eq!(api_code(&missing), Some(MetaCode::TrackingNotFound));
}

#[tokio::test]
async fn list_filters_and_list_all_cover_every_page() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    let items =
        (0..25).map(|n| NewTracking::new("ups", number("1Z999AA1", n)).order_id(format!("o-{n}")));
    let created = trackings.batch_create(items).await.expect("batch created");
    assert_eq!(created.done.len(), 25);

    let page = trackings.list(&ListFilters::new().limit(10).page(2)).await.expect("page 2");
    assert_eq!(page.items.as_ref().map(Vec::len), Some(10));
    assert_eq!(page.total.as_ref().and_then(|total| total.as_i64()), Some(25));

    let some = ListFilters::new().numbers([number("1Z999AA1", 3), number("1Z999AA1", 4)]);
    let picked = trackings.list(&some).await.expect("by numbers");
    assert_eq!(picked.items.as_ref().map(Vec::len), Some(2));
    let by_order = trackings.list(&ListFilters::new().orders(["o-7"])).await.expect("by order");
    assert_eq!(by_order.items.as_ref().map(Vec::len), Some(1));
    let pending = ListFilters::new().status(Status::Pending).archived(false);
    assert_eq!(trackings.list(&pending).await.expect("pending").count, Some(25));

    let all: Vec<_> =
        trackings.list_all(ListFilters::new().limit(7)).try_collect().await.expect("every page");
    assert_eq!(all.len(), 25);
    assert_eq!(world.calls_of("listTrackings").len(), 4 + 4, "4 single pages, then 4 pages of 7");

    let unknown = ListFilters::new().status(Status::Unknown("in_orbit".into()));
    let refused = trackings.list(&unknown).await.expect_err("unknown status filter");
    assert_eq!(api_code(&refused), Some(MetaCode::InvalidStatus));
}

#[tokio::test]
async fn realtime_and_change_carrier() {
    let world = World::start().await;
    let trackings = world.client.trackings();

    let live = trackings.realtime(("dhl", "2234567890")).await.expect("realtime");
    assert_eq!(live.tracking_number.as_deref(), Some("2234567890"));
    let bad = trackings.realtime(("nope", "2234567890")).await.expect_err("unknown carrier");
    assert_eq!(api_code(&bad), Some(MetaCode::InvalidCarrierCode));

    let moved =
        trackings.change_carrier(("dhl", "2234567890"), "dhl-germany").await.expect("moved");
    assert_eq!(*moved, TrackingId::new("dhl-germany", "2234567890"));
    trackings.get("dhl-germany", "2234567890").await.expect("found under the new carrier");
    let stale =
        trackings.change_carrier(("dhl", "2234567890"), "ups").await.expect_err("moved away");
    assert_eq!(api_code(&stale), Some(MetaCode::TrackingNotFound));
}

#[tokio::test]
async fn invalid_arguments_are_refused_before_sending() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    let before = world.admin().journal().len();

    let cases: Vec<Error> = vec![
        trackings.create(&NewTracking::new("dhl", "  ")).await.expect_err("empty number"),
        trackings.create(&NewTracking::new("", "1234567890")).await.expect_err("empty carrier"),
        trackings.get("dhl", "").await.expect_err("empty number"),
        trackings.batch_create(Vec::new()).await.expect_err("empty batch"),
        trackings.delete_many(Vec::<TrackingId>::new()).await.expect_err("empty batch"),
        trackings
            .list(&ListFilters::new().numbers((0..41).map(|n| number("RR", n))))
            .await
            .expect_err("41 numbers"),
        trackings.list(&ListFilters::new().limit(2001)).await.expect_err("limit over 2000"),
        TrackingChanges::from_json(serde_json::json!({"status": 5})).expect_err("status 5"),
        world.client.tools().air_cargo(Vec::<String>::new(), None).await.expect_err("no waybill"),
    ];
    for error in &cases {
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
        assert!(!error.is_retryable());
    }
    assert_eq!(
        cases[6].to_string(),
        "the page size must be between 1 and 2000: 2001",
        "messages end with the offending value"
    );
    assert_eq!(world.admin().journal().len(), before, "nothing was sent");
}
