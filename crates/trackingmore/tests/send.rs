//! Every call's future can be spawned on a multi-threaded runtime: it is `Send` and
//! `'static` once the client is moved in. A compile-time check; the calls never run.

use trackingmore::{
    Client, CountFilters, Lane, ListFilters, NewTracking, Place, TrackingChanges, TrackingId,
};

fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}

fn streamable<S: futures::Stream + Send + 'static>(_: S) {}

#[test]
fn every_call_can_be_spawned() {
    let client = Client::new("http://127.0.0.1:9/v2", "k").expect("builds");
    let c = || client.clone();
    let id = || TrackingId::new("dhl", "1234567890");
    let changes = TrackingChanges::default;

    let x = c();
    spawnable(async move { x.trackings().create(&NewTracking::new("dhl", "1")).await });
    let x = c();
    spawnable(async move { x.trackings().get("dhl", "1").await });
    let x = c();
    spawnable(async move { x.trackings().get_in_language("dhl", "1", "de").await });
    let (x, ch) = (c(), changes());
    spawnable(async move { x.trackings().update("dhl", "1", &ch).await });
    let x = c();
    spawnable(async move { x.trackings().delete("dhl", "1").await });
    let x = c();
    spawnable(async move { x.trackings().list(&ListFilters::new()).await });
    streamable(c().trackings().list_all(ListFilters::new()));
    let x = c();
    spawnable(async move { x.trackings().batch_create(vec![NewTracking::new("dhl", "1")]).await });
    let (x, i, ch) = (c(), id(), changes());
    spawnable(async move { x.trackings().update_many(vec![(i, ch)]).await });
    let (x, i) = (c(), id());
    spawnable(async move { x.trackings().delete_many(vec![i]).await });
    let (x, i) = (c(), id());
    spawnable(async move { x.trackings().stop_updating(vec![i]).await });
    let (x, i) = (c(), id());
    spawnable(async move { x.trackings().realtime(i).await });
    let (x, i) = (c(), id());
    spawnable(async move { x.trackings().change_carrier(i, "ups").await });
    let x = c();
    spawnable(async move { x.account().user_info().await });
    let x = c();
    spawnable(async move { x.account().status_counts(&CountFilters::new()).await });
    let x = c();
    spawnable(async move { x.carriers().list(None).await });
    let x = c();
    spawnable(async move { x.carriers().detect("1").await });
    let x = c();
    spawnable(async move { x.tools().remote_areas([Place::new("NO", "9170")]).await });
    let x = c();
    spawnable(async move { x.tools().transit_times([Lane::new("ups", "DE", "JP")]).await });
    let x = c();
    spawnable(async move { x.tools().air_cargo(["618-40712385"], None).await });
    let x = c();
    spawnable(async move { x.raw(trackingmore::Method::GET, "/carriers", None).await });
}
