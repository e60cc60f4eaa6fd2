//! Carriers and the tools: list, detect, remote areas, transit times, air cargo.

use trackingmore::{Lane, MetaCode, Place};
use trackingmore_tests::World;

#[tokio::test]
async fn carriers_are_listed_and_detected() {
    let world = World::start().await;
    let carriers = world.client.carriers().list(Some("en")).await.expect("carriers");
    assert!(carriers.iter().any(|carrier| carrier.code.as_deref() == Some("sto")));

    let guesses = world.client.carriers().detect("1Z999AA10123456784").await.expect("detected");
    assert_eq!(guesses.first().and_then(|carrier| carrier.code.as_deref()), Some("ups"));
    let none = world.client.carriers().detect("ZZZZZZZZ").await.expect_err("undetectable");
    assert_eq!(none.meta_code(), Some(MetaCode::CannotDetectCarrier));
}

#[tokio::test]
async fn remote_areas_transit_times_and_air_cargo() {
    let world = World::start().await;
    let tools = world.client.tools();

    let places = [
        Place::new("NO", "9170"),
        Place::new("DE", "10115"),
        Place::new("GB", "HS1 2AA").company("dhl"),
    ];
    let remote = tools.remote_areas(places).await.expect("remote areas");
    assert_eq!(remote.submitted, Some(3));
    let listed = remote.remote.clone().unwrap_or_default();
    assert!(listed.iter().any(|area| area.two_code.as_deref() == Some("NO")));
    assert!(
        listed
            .iter()
            .filter(|area| area.two_code.as_deref() == Some("GB"))
            .all(|area| { area.far_express_company.as_deref() == Some("dhl") })
    );
    assert_eq!(remote.other.as_ref().map(Vec::len), Some(1));
    assert_eq!(remote.meta().message.as_deref(), Some("The request was successful."));

    let times = tools.transit_times([Lane::new("ups", "DE", "JP")]).await.expect("transit times");
    assert_eq!(times.first().and_then(|time| time.carrier_code.as_deref()), Some("ups"));
    let bad = tools.transit_times([Lane::new("ups", "Germany", "JP")]).await.expect_err("not iso");
    assert_eq!(bad.meta_code(), Some(MetaCode::BadRequest));

    let cargo = tools.air_cargo(["618-40712385"], Some("en")).await.expect("air cargo");
    assert_eq!(cargo.first().and_then(|awb| awb.track_number.as_deref()), Some("618-40712385"));
}
