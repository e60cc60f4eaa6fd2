//! Handlers that do not touch stored trackings: carriers, detection, remote areas, transit
//! times and air cargo, all answered from built-in deterministic data.

use axum::extract::State;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::Caller;
use crate::carriers::{self, CarrierKind};
use crate::envelope::{ApiError, ApiResult, MetaCode, Reply};
use crate::input::{self, JsonBody};
use crate::state::AppState;
use crate::store::Batch;

/// At most this many places, lanes or waybills per call (a guess, like the other batches).
const MAX_ITEMS: usize = 40;

/// Quota units one air waybill costs.
const AIR_CARGO_COST: u64 = 20;

fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(b"/");
    }
    hasher.finalize().into()
}

/// `GET /carriers`: the built-in list (English names whatever the `Lang` header says).
pub async fn carriers(_: Caller) -> ApiResult {
    Ok(Reply::ok(Value::Array(carriers::CARRIERS.iter().map(|c| c.to_json()).collect())))
}

/// `POST /carriers/detect`: candidates by number pattern; 4032 when none. Billed one unit
/// per five successful calls.
pub async fn detect(State(state): State<AppState>, caller: Caller, body: JsonBody) -> ApiResult {
    let map = body.object()?;
    let number = input::tracking_number(&map)?;
    let found = carriers::detect(&number);
    if found.is_empty() {
        return Err(ApiError::new(MetaCode::CANNOT_DETECT, format!("no carrier for {number}")));
    }

    let mut world = state.world();
    let mut batch = Batch::default();
    world.charge_metered(&caller.key, &mut batch)?;
    state.commit(&mut world, batch, Vec::new())?;
    let data = found.iter().map(|carrier| json!({"name": carrier.name, "code": carrier.code}));
    Ok(Reply::ok(Value::Array(data.collect())))
}

/// (country, postcode prefix, carriers that list the place as remote). Islands, the far
/// north and overseas territories, as the carriers' published lists mostly contain.
static REMOTE: &[(&str, &str, &[&str])] = &[
    ("NO", "9", &["dhl", "fedex", "ups", "tnt"]),
    ("NO", "8", &["dhl", "tnt"]),
    ("SE", "9", &["dhl", "ups"]),
    ("FI", "99", &["dhl", "fedex"]),
    ("GB", "HS", &["dhl", "ups", "fedex", "tnt"]),
    ("GB", "ZE", &["dhl", "ups", "fedex", "tnt"]),
    ("GB", "KW", &["dhl", "ups"]),
    ("US", "99", &["dhl", "fedex", "ups"]),
    ("US", "967", &["dhl", "ups"]),
    ("US", "968", &["dhl", "ups"]),
    ("CA", "X", &["dhl", "fedex", "ups"]),
    ("AU", "08", &["dhl", "tnt", "fedex"]),
    ("ES", "35", &["dhl", "ups", "fedex", "tnt"]),
    ("ES", "38", &["dhl", "ups", "fedex", "tnt"]),
    ("FR", "20", &["dhl", "ups", "tnt"]),
    ("IT", "07", &["ups", "tnt"]),
    ("DE", "27498", &["dhl", "ups", "fedex", "tnt"]),
    ("DE", "18565", &["dhl", "ups"]),
    ("BR", "69", &["dhl", "fedex", "ups"]),
    ("RU", "68", &["dhl", "ups", "tnt"]),
];

/// `POST /trackings/remote`: `{submitted, other, remote}`; places found in no list go to
/// `other` as they were sent. Billed one unit per five calls.
pub async fn remote(State(state): State<AppState>, caller: Caller, body: JsonBody) -> ApiResult {
    let items = body.array(MAX_ITEMS)?;
    let mut places = Vec::new();
    for item in &items {
        let map =
            item.as_object().ok_or_else(|| ApiError::bad_request("place is not an object"))?;
        let country =
            input::text(map, "country")?.ok_or_else(|| ApiError::bad_request("no country"))?;
        let postcode =
            input::text(map, "postcode")?.ok_or_else(|| ApiError::bad_request("no postcode"))?;
        let company = input::text(map, "company")?.map(|company| company.to_ascii_lowercase());
        places.push((item.clone(), country, postcode, company));
    }

    let (mut other, mut remote) = (Vec::new(), Vec::new());
    for (item, country, postcode, company) in places {
        let code = carriers::country(&country);
        let compact: String = postcode
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let listed: Vec<&str> = REMOTE
            .iter()
            .filter(|(country, prefix, _)| Some(*country) == code && compact.starts_with(prefix))
            .flat_map(|(.., carriers)| carriers.iter().copied())
            .filter(|carrier| company.as_deref().is_none_or(|company| company == *carrier))
            .collect();
        if listed.is_empty() {
            other.push(item);
        }
        for carrier in listed {
            let code = code.unwrap_or_default();
            remote.push(json!({
                "far_express_company": carrier,
                "two_code": code,
                "far_country": carriers::country_name(code).unwrap_or_default(),
                "far_city_postcode": postcode,
            }));
        }
    }

    let mut world = state.world();
    let mut batch = Batch::default();
    world.charge_metered(&caller.key, &mut batch)?;
    state.commit(&mut world, batch, Vec::new())?;
    let data = json!({"submitted": items.len(), "other": other, "remote": remote});
    Ok(Reply { message: "The request was successful.", ..Reply::ok(data) })
}

/// A two-letter country code field, upper-cased; 4012 otherwise.
fn lane_end(map: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    let code =
        input::text(map, name)?.ok_or_else(|| ApiError::bad_request(format!("no {name}")))?;
    if code.len() == 2 && code.bytes().all(|byte| byte.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(ApiError::bad_request(format!("{name} is not a two-letter country code: {code}")))
    }
}

/// `POST /trackings/costtime`: one statistic per lane, with shares per delivery-time range
/// (0–7, 7–15, 16–30, 31–60 and over 60 days) as percentage strings.
pub async fn transit_times(_: State<AppState>, _: Caller, body: JsonBody) -> ApiResult {
    let items = body.array(MAX_ITEMS)?;
    let mut lanes = Vec::new();
    for item in &items {
        let map = item.as_object().ok_or_else(|| ApiError::bad_request("lane is not an object"))?;
        let carrier = input::carrier(map, "carrier_code")?;
        lanes.push((carrier, lane_end(map, "original")?, lane_end(map, "destination")?));
    }

    let data = lanes.into_iter().map(|(carrier, original, destination)| {
        let seed = digest(&[carrier.code, &original, &destination]);
        let base: [u32; 5] = match carrier.kind {
            CarrierKind::Express => [82, 14, 3, 1, 0],
            CarrierKind::Globalpost => [10, 42, 34, 11, 3],
        };
        let weights: Vec<u32> =
            base.iter().zip(seed).map(|(weight, byte)| weight + u32::from(byte % 5)).collect();
        let sum: u32 = weights.iter().sum();
        let share =
            |index: usize| format!("{:.1}%", f64::from(weights[index]) * 100.0 / f64::from(sum));
        let total = 200 + u64::from(u16::from_le_bytes([seed[8], seed[9]])) % 5000;
        let delivered = total * (90 + u64::from(seed[10] % 10)) / 100;
        json!({
            "carrier_code": carrier.code,
            "original": original,
            "destination": destination,
            "total": total,
            "delivered": delivered,
            "range1": share(0),
            "range2": share(1),
            "range3": share(2),
            "range4": share(3),
            "range5": share(4),
        })
    });
    Ok(Reply::ok(Value::Array(data.collect())))
}

/// Airline designators by air waybill prefix, for flight numbers.
static AIRLINES: &[(&str, &str)] = &[
    ("001", "AA"),
    ("006", "DL"),
    ("016", "UA"),
    ("020", "LH"),
    ("057", "AF"),
    ("074", "KL"),
    ("125", "BA"),
    ("157", "QR"),
    ("160", "CX"),
    ("172", "CV"),
    ("176", "EK"),
    ("180", "KE"),
    ("235", "TK"),
    ("297", "CI"),
    ("618", "SQ"),
    ("784", "CZ"),
    ("999", "CA"),
];

static AIRPORTS: &[&str] = &[
    "HKG", "PVG", "FRA", "LUX", "AMS", "CDG", "LHR", "JFK", "ORD", "DXB", "SIN", "NRT", "ICN",
    "DOH", "IST", "LAX", "MAD",
];

/// An air waybill: three digits, an optional dash or space, seven or eight digits.
fn waybill(text: &str) -> Option<String> {
    let digits: String = text.trim().chars().filter(|c| *c != '-' && *c != ' ').collect();
    let separators = text.trim().chars().filter(|c| *c == '-' || *c == ' ').count();
    let shape =
        digits.bytes().all(|byte| byte.is_ascii_digit()) && (10..=11).contains(&digits.len());
    (shape && separators <= 1).then(|| format!("{}-{}", &digits[..3], &digits[3..]))
}

/// `POST /trackings/aircargo`: one result per waybill, flights placed around the virtual
/// now; 20 quota units per waybill.
pub async fn air_cargo(State(state): State<AppState>, caller: Caller, body: JsonBody) -> ApiResult {
    let map = body.object()?;
    let numbers: Vec<String> = match map.get("track_number") {
        Some(Value::Array(items)) => {
            items.iter().map(|item| item.as_str().map(str::to_owned)).collect::<Option<_>>()
        }
        Some(Value::String(text)) => Some(vec![text.clone()]),
        _ => None,
    }
    .ok_or_else(|| ApiError::bad_request("track_number must be a string or an array of strings"))?;
    if numbers.is_empty() {
        return Err(ApiError::bad_request("no air waybill"));
    }
    if numbers.len() > MAX_ITEMS {
        return Err(ApiError::new(MetaCode::TOO_MANY_ITEMS, "too many air waybills"));
    }
    let waybills = numbers
        .iter()
        .map(|number| {
            waybill(number)
                .ok_or_else(|| ApiError::bad_request(format!("invalid air waybill: {number}")))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut world = state.world();
    let mut batch = Batch::default();
    world.charge(&caller.key, AIR_CARGO_COST * waybills.len() as u64, &mut batch)?;
    state.commit(&mut world, batch, Vec::new())?;
    let now = world.now;
    Ok(Reply::ok(Value::Array(waybills.iter().map(|awb| air_cargo_result(awb, now)).collect())))
}

fn air_cargo_result(awb: &str, now: i64) -> Value {
    let seed = digest(&[awb]);
    let airline =
        AIRLINES.iter().find(|(prefix, _)| awb.starts_with(prefix)).map_or("XX", |(_, code)| code);
    let origin = AIRPORTS[usize::from(seed[0]) % AIRPORTS.len()];
    let mut destination = AIRPORTS[usize::from(seed[1]) % AIRPORTS.len()];
    if destination == origin {
        destination = AIRPORTS[(usize::from(seed[1]) + 1) % AIRPORTS.len()];
    }
    let flight = format!("{airline}{}", 100 + u16::from_le_bytes([seed[2], seed[3]]) % 900);

    // The flight departs up to three days before or after the virtual now.
    let departure = (now - 3 * 86_400 + i64::from(seed[4]) * 6 * 86_400 / 256) / 300 * 300;
    let arrival = departure + (8 + i64::from(seed[5] % 7)) * 3600;
    let plan = [
        ("Booked", origin, departure - 2 * 86_400),
        ("Received from shipper", origin, departure - 6 * 3600),
        ("Departed", origin, departure),
        ("Arrived", destination, arrival),
        ("Delivered", destination, arrival + 20 * 3600),
    ];
    let format = |at: i64| crate::clock::checkpoint(at)[..16].to_owned();
    let done = plan.iter().filter(|(.., at)| *at <= now).count();
    let events: Vec<Value> = plan
        .iter()
        .map(|(event, station, at)| {
            json!({
                "plan_date": format(*at),
                "actual_date": (*at <= now).then(|| format(*at + 600)),
                "event": event,
                "station": station,
                "flight_number": flight,
            })
        })
        .collect();
    json!({
        "track_number": awb,
        "weight": (50 + u32::from(u16::from_le_bytes([seed[6], seed[7]])) % 2000).to_string(),
        "piece": (1 + seed[8] % 40).to_string(),
        "origin": origin,
        "destination": destination,
        "status_number": done.to_string(),
        "track_info": events,
    })
}
