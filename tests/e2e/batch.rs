//! Batch calls of any size: chunking, bounded concurrency and the merged result.

use trackingmore::model::StatusChange;
use trackingmore::{MetaCode, NewTracking, TrackingChanges, TrackingId};
use trackingmore_tests::{World, number};

#[tokio::test]
async fn a_thousand_items_are_25_calls_and_one_merged_result_in_input_order() {
    let world = World::start().await;
    let items: Vec<NewTracking> = (0..1000)
        .map(|n| match n {
            // Every hundredth item names a carrier the API does not know.
            n if n % 100 == 99 => NewTracking::new("nope", number("RB", n)),
            // Items 500..505 repeat items 0..5, which an earlier chunk created.
            500..505 => NewTracking::new("ups", number("1Z000DD4", n - 500)),
            n => NewTracking::new("ups", number("1Z000DD4", n)),
        })
        .collect();

    let result = world.client.trackings().batch_create(items).await.expect("merged");
    assert_eq!(result.calls, 25);
    assert_eq!(world.calls_of("batchCreateTrackings").len(), 25);
    assert_eq!(result.submitted, 1000);
    assert_eq!(result.done.len() + result.errors.len(), 1000);

    let error_at: Vec<(usize, Option<MetaCode>)> =
        result.errors.iter().map(|error| (error.index, error.code)).collect();
    let mut expected: Vec<(usize, Option<MetaCode>)> = (0..10)
        .map(|k| (k * 100 + 99, Some(MetaCode::InvalidCarrierCode)))
        .chain((500..505).map(|n| (n, Some(MetaCode::TrackingAlreadyExists))))
        .collect();
    expected.sort();
    assert_eq!(error_at, expected);

    let indices: Vec<usize> = result.done.iter().map(|done| done.index).collect();
    assert!(indices.windows(2).all(|pair| pair[0] < pair[1]), "input order");
    for done in &result.done {
        let n = done.index;
        assert_eq!(done.value.tracking_number.as_deref(), Some(number("1Z000DD4", n).as_str()));
        assert!(!done.recovered);
    }
    assert_eq!(result.errors[0].id, TrackingId::new("nope", number("RB", 99)));
}

#[tokio::test]
async fn update_delete_and_stop_many_merge_per_item_errors() {
    let world = World::start().await;
    let trackings = world.client.trackings();
    let created = trackings
        .batch_create((0..45).map(|n| NewTracking::new("dhl", number("20", n))))
        .await
        .expect("created");
    assert_eq!((created.done.len(), created.calls), (45, 2));

    // Item 3 does not exist; the others do.
    let ids: Vec<TrackingId> = (0..45)
        .map(|n| {
            if n == 3 {
                TrackingId::new("dhl", "9999999999")
            } else {
                TrackingId::new("dhl", number("20", n))
            }
        })
        .collect();
    let delivered = TrackingChanges { status: Some(StatusChange::Delivered), ..Default::default() };
    let updated = trackings
        .update_many(ids.iter().cloned().map(|id| (id, delivered.clone())))
        .await
        .expect("updated");
    assert_eq!((updated.done.len(), updated.calls), (44, 2));
    assert_eq!(
        updated.errors.iter().map(|e| (e.index, e.code)).collect::<Vec<_>>(),
        [(3, Some(MetaCode::TrackingNotFound))]
    );

    let stopped = trackings.stop_updating(ids.clone()).await.expect("stopped");
    assert_eq!((stopped.done.len(), stopped.errors.len()), (44, 1));
    let page = trackings.list(&Default::default()).await.expect("listed");
    let frozen = page.items.iter().flatten().filter(|t| t.track_update == Some(false)).count();
    assert_eq!(frozen, 44);

    let deleted = trackings.delete_many(ids).await.expect("deleted");
    assert_eq!((deleted.done.len(), deleted.errors.len(), deleted.calls), (44, 1, 2));
    assert_eq!(deleted.errors[0].index, 3);
    assert!(!deleted.is_complete());
}
