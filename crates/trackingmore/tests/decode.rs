//! Decoding tests: every example of the document, and the API's known oddities, decode into
//! the generated types without losing anything.

use std::fs;
use std::path::Path;

use serde_json::Value;
use trackingmore::model::{Status, Substatus};
use trackingmore::types;
use trackingmore_codegen::{load, spec_path};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name);
    fs::read_to_string(path).expect("fixture exists")
}

/// Decodes `body` as the generated type named `schema`, then encodes it again.
///
/// Every success envelope of the document is listed; a new one that is missing here fails
/// `every_response_example_decodes` instead of being skipped.
fn round_trip(schema: &str, body: &Value) -> Option<Result<Value, serde_json::Error>> {
    macro_rules! envelopes {
        ($($name:ident),+ $(,)?) => {
            match schema {
                $(stringify!($name) => Some(
                    serde_json::from_value::<types::$name>(body.clone())
                        .and_then(|decoded| serde_json::to_value(decoded)),
                ),)+
                _ => None,
            }
        };
    }
    envelopes!(
        CreateTrackingResponse,
        GetTrackingResponse,
        UpdateTrackingResponse,
        DeleteTrackingResponse,
        BatchCreateTrackingsResponse,
        ListTrackingsResponse,
        UpdateTrackingsResponse,
        DeleteTrackingsResponse,
        RealtimeTrackingResponse,
        ChangeCarrierResponse,
        GetUserInfoResponse,
        GetStatusCountsResponse,
        StopUpdatingResponse,
        CheckRemoteAreasResponse,
        GetTransitTimesResponse,
        TrackAirCargoResponse,
        ListCarriersResponse,
        DetectCarrierResponse,
        ErrorEnvelope,
        WebhookPayload,
    )
}

/// Drops `null` members, which a decode/encode round trip legitimately omits.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_response_example_decodes_without_loss() {
    let raw = load(&spec_path()).expect("the document loads").raw;
    let mut decoded = 0;

    for (_, item) in raw["paths"].as_object().expect("paths") {
        for (_, operation) in item.as_object().expect("path item") {
            let media = &operation["responses"]["200"]["content"]["application/json"];
            let Some(example) = media.get("example") else { continue };
            let reference = media["schema"]["$ref"].as_str().expect("200 schemas are refs");
            let name = reference.rsplit('/').next().expect("ref has a name");

            let encoded = round_trip(name, example)
                .unwrap_or_else(|| panic!("no decoding case for {name}"))
                .unwrap_or_else(|err| panic!("the {name} example does not decode: {err}"));
            assert_eq!(without_nulls(&encoded), without_nulls(example), "{name} lost data");
            decoded += 1;
        }
    }
    assert_eq!(decoded, 19);
}

#[test]
fn the_seed_put_response_decodes_and_keeps_its_strings() {
    let body: types::UpdateTrackingResponse =
        serde_json::from_str(&fixture("seed-put-response.json")).expect("decodes");
    let data = body.data.expect("data is present");
    assert_eq!(data.status, Some(Status::Unknown("7".into())));
    assert!(
        matches!(data.archived, Some(types::BooleanOrString::String(ref flag)) if flag == "true")
    );
    assert_eq!(data.tracking_number.as_deref(), Some("402934299065"));
}

#[test]
fn the_seed_put_request_is_a_valid_request_body() {
    let body: types::UpdateTrackingRequest =
        serde_json::from_str(&fixture("seed-put-request.json")).expect("decodes");
    assert_eq!(body.status, Some(trackingmore::model::StatusChange::Exception));
    let encoded = serde_json::to_value(&body).expect("encodes");
    let original: Value = serde_json::from_str(&fixture("seed-put-request.json")).expect("JSON");
    assert_eq!(encoded, original, "the seed's body must go out exactly as written");
}

#[test]
fn unknown_statuses_and_fields_are_kept() {
    let text = fixture("odd-tracking.json");
    let body: types::GetTrackingResponse = serde_json::from_str(&text).expect("decodes");
    let tracking = body.data.as_ref().expect("data is present");

    assert_eq!(tracking.status, Some(Status::Unknown("in_orbit".into())));
    assert_eq!(tracking.substatus, Some(Substatus::Unknown("transit042".into())));
    assert!(tracking.extra.contains_key("loyalty_tier"), "unknown top-level field kept");

    let origin = tracking.origin_info.as_ref().expect("origin leg");
    assert!(origin.extra.contains_key("drone_id"), "unknown leg field kept");
    let newest = &origin.trackinfo.as_ref().expect("checkpoints")[0];
    assert_eq!(newest.checkpoint_status, Some(Status::Unknown("in_orbit".into())));
    assert!(newest.extra.contains_key("ActType") || newest.act_type.is_some());

    // Both date formats stay as sent.
    assert_eq!(tracking.created_at.as_deref(), Some("2026-02-03T09:15:00+08:00"));
    assert_eq!(tracking.updated_at.as_deref(), Some("2026-02-05 17:40"));

    // Encoding again gives back every value, unknown ones included.
    let original: Value = serde_json::from_str(&text).expect("JSON");
    let encoded = serde_json::to_value(&body).expect("encodes");
    assert_eq!(without_nulls(&encoded), without_nulls(&original));
}

#[test]
fn customer_email_decodes_as_a_string_and_as_an_array() {
    let odd: types::GetTrackingResponse =
        serde_json::from_str(&fixture("odd-tracking.json")).expect("decodes");
    let emails = odd.data.expect("data").customer_email.expect("present");
    assert!(matches!(emails, types::StringOrStringArray::Array(ref list) if list.len() == 2));

    let page: types::ListTrackingsResponse =
        serde_json::from_str(&fixture("list-total-string.json")).expect("decodes");
    let item = &page.data.expect("data").items.expect("items")[0];
    assert!(
        matches!(&item.customer_email, Some(types::StringOrStringArray::String(email)) if email.is_empty())
    );
}

#[test]
fn total_decodes_as_a_string_and_as_a_number() {
    let as_string: types::ListTrackingsResponse =
        serde_json::from_str(&fixture("list-total-string.json")).expect("decodes");
    let total = as_string.data.expect("data").total;
    assert!(matches!(total, Some(types::IntegerOrString::String(ref text)) if text == "5"));

    let as_number: types::ListTrackingsResponse =
        serde_json::from_str(&fixture("list-total-number.json")).expect("decodes");
    let total = as_number.data.expect("data").total;
    assert!(matches!(total, Some(types::IntegerOrString::Integer(205))));
}

#[test]
fn order_create_time_zero_decodes() {
    let body: types::CreateTrackingResponse =
        serde_json::from_str(&fixture("created-order-time-zero.json")).expect("decodes");
    let created = body.data.expect("data");
    assert!(matches!(created.order_create_time, Some(types::IntegerOrString::Integer(0))));
    assert_eq!(created.status, Some(Status::Pending));
}

#[test]
fn an_error_envelope_with_empty_data_is_recognised_as_an_error() {
    let text = fixture("error-empty-data.json");

    // The success type cannot hold `data: []`, which is why the envelope is read first.
    assert!(serde_json::from_str::<types::GetTrackingResponse>(&text).is_err());

    let envelope: types::ErrorEnvelope = serde_json::from_str(&text).expect("decodes");
    assert_eq!(envelope.meta.code, 4017);
    assert_eq!(envelope.meta.message.as_deref(), Some("Tracking does not exist."));
    assert_eq!(envelope.data, Some(Value::Array(Vec::new())));
}

/// Found by the `decode_answer` fuzz target: serde_json's default number parser is not always
/// correctly rounded, so the shortest text of a decoded balance could decode to the double
/// next to it, and the balance changed on its way through JSON again.
#[test]
fn long_decimals_decode_to_the_nearest_double_and_stay_there() {
    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};
    use trackingmore::{Client, Operation};

    let money = "333333333300000000007463313367322241732.5";
    let body = format!(
        r#"{{"meta":{{"code":200,"type":"Success","message":"Success"}},
            "data":{{"email":"logistics@example.com","money":{money},"track_number":2316}}}}"#
    );
    let client = Client::new("http://127.0.0.1:1/v2", "key").expect("a client");
    let decode = |body: String| {
        let answer = client.decode_answer(
            Operation::GetUserInfo,
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from(body),
        );
        answer.expect("the answer decodes").into_inner()
    };
    let first = decode(body);
    let nearest: f64 = money.parse().expect("std parses to the nearest double");
    assert_eq!(first["money"].as_f64(), Some(nearest));

    let again = serde_json::json!({"meta": {"code": 200}, "data": first}).to_string();
    assert_eq!(decode(again), first);
}
