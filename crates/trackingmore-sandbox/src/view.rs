//! Renders stored records into the v2 wire shapes: the full Tracking object, the echo that
//! create calls return and the echo of PUT.
//!
//! The Tracking object is a typed struct rather than a `json!` literal so that fields come
//! out in the order of the documentation, which makes responses easy to read side by side
//! with it.

use serde::Serialize;
use serde_json::{Value, json};

use crate::carriers::Carrier;
use crate::clock;
use crate::lifecycle::{Journey, Leg, Milestone, Step};
use crate::model::{Status, TrackingRecord};

/// One row of `trackinfo`, newest first on the wire.
#[derive(Debug, Serialize)]
struct Checkpoint {
    #[serde(rename = "Date")]
    date: String,
    #[serde(rename = "StatusDescription")]
    description: &'static str,
    #[serde(rename = "Details")]
    details: &'static str,
    checkpoint_status: &'static str,
    substatus: &'static str,
    #[serde(rename = "ItemNode", skip_serializing_if = "Option::is_none")]
    item_node: Option<&'static str>,
}

/// `origin_info` / `destination_info`.
#[derive(Debug, Serialize)]
#[allow(non_snake_case, reason = "field names are the wire names of the v2 API")]
struct CarrierInfo {
    ReferenceNumber: Option<String>,
    ItemReceived: Option<String>,
    ItemDispatched: Option<String>,
    DepartfromAirport: Option<String>,
    ArrivalfromAbroad: Option<String>,
    CustomsClearance: Option<String>,
    DestinationArrived: Option<String>,
    weblink: String,
    phone: &'static str,
    carrier_code: &'static str,
    trackinfo: Vec<Checkpoint>,
}

impl CarrierInfo {
    fn new(carrier: &'static Carrier) -> CarrierInfo {
        CarrierInfo {
            ReferenceNumber: None,
            ItemReceived: None,
            ItemDispatched: None,
            DepartfromAirport: None,
            ArrivalfromAbroad: None,
            CustomsClearance: None,
            DestinationArrived: None,
            weblink: format!("http:{}", carrier.homepage),
            phone: carrier.phone,
            carrier_code: carrier.code,
            trackinfo: Vec::new(),
        }
    }

    /// Adds a visible step (called oldest first) and fills its milestone field.
    fn push(&mut self, step: &Step, date: String) {
        let Some(event) = &step.event else { return };
        if let Some(milestone) = event.milestone {
            let slot = match milestone {
                Milestone::ItemReceived => &mut self.ItemReceived,
                Milestone::ItemDispatched => &mut self.ItemDispatched,
                Milestone::DepartfromAirport => &mut self.DepartfromAirport,
                Milestone::ArrivalfromAbroad => &mut self.ArrivalfromAbroad,
                Milestone::CustomsClearance => &mut self.CustomsClearance,
                Milestone::DestinationArrived => &mut self.DestinationArrived,
            };
            *slot = Some(date.clone());
        }
        self.trackinfo.push(Checkpoint {
            date,
            description: event.description,
            details: event.location,
            checkpoint_status: step.status.as_str(),
            substatus: step.substatus,
            item_node: event.milestone.map(|milestone| milestone.as_str()),
        });
    }
}

/// The Tracking object of GET one, list items, realtime items and webhooks.
#[derive(Debug, Serialize)]
#[allow(non_snake_case, reason = "field names are the wire names of the v2 API")]
struct TrackingView<'a> {
    id: String,
    tracking_number: &'a str,
    carrier_code: &'a str,
    status: &'static str,
    track_update: bool,
    created_at: String,
    updated_at: String,
    // The document types these two as unions without `null`, so an unset value is left out
    // rather than sent as `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    order_create_time: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_email: Option<&'a str>,
    customer_phone: Option<&'a str>,
    title: Option<&'a str>,
    order_id: Option<&'a str>,
    comment: Option<&'a str>,
    customer_name: Option<&'a str>,
    logistics_channel: Option<&'a str>,
    destination_code: Option<&'a str>,
    archived: bool,
    original_country: &'static str,
    destination_country: &'static str,
    itemTimeLength: Option<i64>,
    stayTimeLength: i64,
    service_code: Option<&'a str>,
    status_info: Option<&'a str>,
    substatus: Option<&'static str>,
    origin_info: CarrierInfo,
    destination_info: CarrierInfo,
    lastEvent: String,
    lastUpdateTime: String,
}

/// The instant the lifecycle is evaluated at: frozen trackings stop where `notupdate` left them.
fn effective(record: &TrackingRecord, now: i64) -> i64 {
    record.frozen_at.map_or(now, |frozen| frozen.min(now))
}

/// The lifecycle engine as configured: the seed that varies default paths and jitter.
#[derive(Clone, Copy, Debug)]
pub struct Engine {
    pub seed: u64,
}

impl Engine {
    /// The journey of a stored record.
    pub fn journey(self, record: &TrackingRecord) -> Journey {
        Journey::of(
            &record.tracking_number,
            &record.carrier_code,
            record.extra().destination_code.as_deref(),
            self.seed,
        )
    }

    /// The computed-or-forced status of a record at `now`, without rendering the rest.
    pub fn status(self, record: &TrackingRecord, now: i64) -> Status {
        let elapsed = effective(record, now) - record.created_at;
        record.forced.unwrap_or_else(|| self.journey(record).at(elapsed).0)
    }

    /// When a client last saw the record change: its last edit or the newest lifecycle step.
    pub fn updated_at(self, record: &TrackingRecord, now: i64) -> i64 {
        let journey = self.journey(record);
        let (_, _, visible) = journey.at(effective(record, now) - record.created_at);
        last_refresh(record, &journey.steps[..visible]).max(record.updated_at)
    }

    /// Renders the full Tracking object.
    pub fn tracking(self, account: &str, record: &TrackingRecord, now: i64) -> Value {
        let view = tracking(account, record, &self.journey(record), now);
        serde_json::to_value(&view).unwrap_or(Value::Null)
    }

    /// Renders the full Tracking object as JSON text, fields in the documentation's order,
    /// without building a `Value` first (see [`crate::envelope::Reply::ok_encoded`]).
    pub fn tracking_json(self, account: &str, record: &TrackingRecord, now: i64) -> Vec<u8> {
        let view = tracking(account, record, &self.journey(record), now);
        serde_json::to_vec(&view).unwrap_or_else(|_| b"null".to_vec())
    }
}

fn last_refresh(record: &TrackingRecord, visible: &[Step]) -> i64 {
    visible.last().map_or(record.created_at, |step| record.created_at + step.at)
}

fn tracking<'a>(
    account: &str,
    record: &'a TrackingRecord,
    journey: &Journey,
    now: i64,
) -> TrackingView<'a> {
    let elapsed = effective(record, now) - record.created_at;
    let (computed, substatus, visible) = journey.at(elapsed);
    let status = record.forced.unwrap_or(computed);
    let steps = &journey.steps[..visible];

    // Checkpoints go to their leg oldest first, then each leg is reversed: newest first.
    let mut origin = CarrierInfo::new(journey.origin_carrier);
    let mut destination =
        CarrierInfo::new(journey.destination_carrier.unwrap_or(journey.origin_carrier));
    for step in steps {
        let date = clock::checkpoint(record.created_at + step.at);
        match step.event.as_ref().map(|event| event.leg) {
            Some(Leg::Destination) => destination.push(step, date),
            _ => origin.push(step, date),
        }
    }
    origin.trackinfo.reverse();
    destination.trackinfo.reverse();

    // Dates of the first and newest checkpoint drive the two day counters.
    let events: Vec<&Step> = steps.iter().filter(|step| step.event.is_some()).collect();
    let first = events.first().map(|step| record.created_at + step.at);
    let last = events.last().map(|step| (step, record.created_at + step.at));
    let seen_until = effective(record, now);
    let finished = matches!(computed, Status::Delivered);
    let item_days = first.map(|first| {
        let end = if finished { last.map_or(seen_until, |(_, at)| at) } else { seen_until };
        (end - first).max(0) / 86_400
    });
    let stay_days = last.map_or(0, |(_, at)| (seen_until - at).max(0) / 86_400);
    let (last_event, last_time) = match last {
        Some((step, at)) => {
            let event = step.event.as_ref().map(|event| (event.description, event.location));
            let (description, location) = event.unwrap_or(("", ""));
            let date = clock::checkpoint(at);
            (format!("{description},{location},{date}"), date)
        }
        None => (String::new(), String::new()),
    };
    let updated_at = last_refresh(record, steps).max(record.updated_at);

    let extra = record.extra();
    TrackingView {
        id: record.id(account),
        tracking_number: &record.tracking_number,
        carrier_code: &record.carrier_code,
        status: status.as_str(),
        track_update: record.track_update,
        created_at: clock::iso(record.created_at),
        updated_at: clock::iso(updated_at),
        order_create_time: extra.order_create_time.as_deref(),
        customer_email: extra.customer_email.as_deref(),
        customer_phone: extra.customer_phone.as_deref(),
        title: extra.title.as_deref(),
        order_id: extra.order_id.as_deref(),
        comment: extra.comment.as_deref(),
        customer_name: extra.customer_name.as_deref(),
        logistics_channel: extra.logistics_channel.as_deref(),
        destination_code: extra.destination_code.as_deref(),
        archived: record.archived,
        original_country: crate::carriers::country_name(journey.origin_country).unwrap_or(""),
        destination_country: crate::carriers::country_name(journey.destination_country)
            .unwrap_or(""),
        itemTimeLength: item_days,
        stayTimeLength: stay_days,
        service_code: None,
        status_info: None,
        substatus: if record.forced.is_some() { None } else { substatus },
        origin_info: origin,
        destination_info: destination,
        lastEvent: last_event,
        lastUpdateTime: last_time,
    }
}

/// The echo that create and batch create return (§2.4 of the reference): `order_create_time`
/// is the integer 0 when absent, as in the captured batch response.
pub fn created_echo(account: &str, record: &TrackingRecord) -> Value {
    let extra = record.extra();
    let mut echo = json!({
        "id": record.id(account),
        "tracking_number": &*record.tracking_number,
        "carrier_code": &*record.carrier_code,
        "order_create_time": extra.order_create_time.as_deref().map_or(json!(0), |text| json!(text)),
        "status": "pending",
        "created_at": clock::iso(record.created_at),
        "customer_name": extra.customer_name.as_deref(),
        "customer_phone": extra.customer_phone.as_deref(),
        "order_id": extra.order_id.as_deref(),
        "comment": extra.comment.as_deref(),
        "title": extra.title.as_deref(),
        "logistics_channel": extra.logistics_channel.as_deref(),
        "destination": extra.destination_code.as_deref().unwrap_or(""),
    });
    keep_email(&mut echo, extra.customer_email.as_deref());
    echo
}

/// Sets `customer_email` when there is one: the document types it as a string-or-array
/// union without `null`, so an unset address is left out.
fn keep_email(echo: &mut Value, email: Option<&str>) {
    if let (Some(map), Some(email)) = (echo.as_object_mut(), email) {
        map.insert("customer_email".to_owned(), json!(email));
    }
}

/// The echo of PUT, shaped after the API's own example: `archived` and `status` come back as
/// strings (`"true"`, `"7"`). `status_input` is the status code the client sent, if any;
/// without one the `current` status name is echoed.
pub fn put_echo(
    account: &str,
    record: &TrackingRecord,
    status_input: Option<u8>,
    current: Status,
) -> Value {
    let extra = record.extra();
    let status = match status_input {
        Some(code) => code.to_string(),
        None => current.as_str().to_owned(),
    };
    let mut echo = json!({
        "id": record.id(account),
        "tracking_number": &*record.tracking_number,
        "carrier_code": &*record.carrier_code,
        "created_at": clock::iso(record.created_at),
        "updated_at": clock::iso(record.updated_at),
        "customer_name": extra.customer_name.as_deref(),
        "order_id": extra.order_id.as_deref(),
        "title": extra.title.as_deref(),
        "destination_code": extra.destination_code.as_deref(),
        "customer_phone": extra.customer_phone.as_deref(),
        "archived": if record.archived { "true" } else { "false" },
        "status": status,
        "logistics_channel": extra.logistics_channel.as_deref(),
    });
    keep_email(&mut echo, extra.customer_email.as_deref());
    echo
}
