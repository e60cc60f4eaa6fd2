//! Forward compatibility: with the sandbox replacing every status by a value this version
//! does not know and adding a field to every object, every operation still decodes and
//! shows what it did not know.

use trackingmore::model::{Status, Substatus};
use trackingmore::{
    CountFilters, Lane, ListFilters, NewTracking, Place, TrackingChanges, TrackingId,
};
use trackingmore_sandbox::{Fault, FaultKind};
use trackingmore_tests::{World, number};

fn orbit() -> Status {
    Status::Unknown("in_orbit".into())
}

#[tokio::test]
async fn every_operation_decodes_unknown_values_and_fields() {
    let world = World::start().await;
    let admin = world.admin();
    admin.inject_fault(Fault::new(FaultKind::UnknownEnumValues { value: "in_orbit".into() }));
    admin.inject_fault(Fault::new(FaultKind::UnknownFields));
    let (client, trackings) = (&world.client, world.client.trackings());

    let created = trackings.create(&NewTracking::new("dhl", "1334567890")).await.expect("create");
    assert_eq!(created.status, Some(orbit()));
    assert!(created.extra.contains_key("x_future_field"));

    admin.advance_clock(std::time::Duration::from_secs(5 * 24 * 3600)).expect("time passes");
    let got = trackings.get("dhl", "1334567890").await.expect("get");
    assert_eq!(got.status, Some(orbit()));
    assert!(got.extra.contains_key("x_future_field"));
    let timeline = got.timeline();
    assert!(!timeline.is_empty(), "five days bring checkpoints");
    for entry in &timeline {
        assert_eq!(entry.checkpoint.checkpoint_status, Some(orbit()));
        assert_eq!(entry.checkpoint.substatus, Some(Substatus::Unknown("in_orbit".into())));
        assert!(entry.checkpoint.extra.contains_key("x_future_field"));
    }
    let origin = got.origin_info.as_ref().expect("an origin leg");
    assert!(origin.extra.contains_key("x_future_field"));

    let german =
        trackings.get_in_language("dhl", "1334567890", "de").await.expect("get in language");
    assert_eq!(german.status, Some(orbit()));
    let changes = TrackingChanges { title: Some("x".into()), ..Default::default() };
    let updated = trackings.update("dhl", "1334567890", &changes).await.expect("update");
    assert!(updated.extra.contains_key("x_future_field"));
    let page = trackings.list(&ListFilters::new()).await.expect("list");
    assert_eq!(
        page.items.as_ref().and_then(|items| items.first()).and_then(|t| t.status.clone()),
        Some(orbit())
    );
    let live = trackings.realtime(("ups", "1Z999AA10123456784")).await.expect("realtime");
    assert_eq!(live.status, Some(orbit()));

    let batch = trackings
        .batch_create((0..3).map(|n| NewTracking::new("ups", number("1Z555CC3", n))))
        .await
        .expect("batch");
    assert!(batch.done.iter().all(|done| done.value.status == Some(orbit())));
    let refs: Vec<TrackingId> =
        (0..3).map(|n| TrackingId::new("ups", number("1Z555CC3", n))).collect();
    let edits = refs.iter().cloned().map(|id| (id, changes.clone()));
    assert_eq!(trackings.update_many(edits).await.expect("update many").done.len(), 3);
    assert_eq!(trackings.stop_updating(refs.clone()).await.expect("stop").done.len(), 3);
    assert_eq!(trackings.delete_many(refs).await.expect("delete many").done.len(), 3);
    trackings.change_carrier(("dhl", "1334567890"), "dhl-germany").await.expect("change carrier");
    trackings.delete("dhl-germany", "1334567890").await.expect("delete");

    let account = client.account();
    account.user_info().await.expect("user info");
    account.status_counts(&CountFilters::new()).await.expect("status counts");
    let carriers = client.carriers().list(None).await.expect("carriers");
    assert!(carriers.iter().all(|carrier| carrier.code.is_some()));
    client.carriers().detect("RR123456785DE").await.expect("detect");
    let tools = client.tools();
    tools.remote_areas([Place::new("NO", "9170")]).await.expect("remote");
    let times = tools.transit_times([Lane::new("dhl", "DE", "US")]).await.expect("transit times");
    assert!(times.iter().all(|time| time.extra.contains_key("x_future_field")));
    let cargo = tools.air_cargo(["618-40712385"], None).await.expect("air cargo");
    assert!(cargo.iter().all(|awb| awb.extra.contains_key("x_future_field")));
}
