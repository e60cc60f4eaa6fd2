//! The sandbox's behaviour over time and under stress: scenario lifecycles on the virtual
//! clock, signed webhooks with retries, fault injection, rate limits and the admin API.

// Test code: a failed expectation should stop the test with its reason.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use common::Harness;
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use trackingmore_sandbox::{Fault, FaultKind, RateLimits};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// The distinct statuses a tracking goes through while the clock moves an hour at a time.
async fn walk(h: &Harness, numbers: &[&str], days: i64) -> Vec<Vec<String>> {
    let mut seen: Vec<Vec<String>> = vec![Vec::new(); numbers.len()];
    for hour in 0..=days * 24 {
        if hour > 0 {
            h.advance(HOUR).await;
        }
        let list = h.get("/trackings/get?limit=100").await;
        for (index, number) in numbers.iter().enumerate() {
            let items = list.data()["items"].as_array().unwrap();
            let item = items.iter().find(|item| item["tracking_number"] == *number).unwrap();
            let status = item["status"].as_str().unwrap().to_owned();
            if seen[index].last() != Some(&status) {
                seen[index].push(status);
            }
        }
    }
    seen
}

#[tokio::test]
async fn scenario_numbers_follow_their_documented_lifecycles() {
    let h = Harness::start().await;
    let scenarios = [
        ("SBX1DELIVERED", "dhl", vec!["pending", "transit", "pickup", "delivered"]),
        ("SBX2EXCEPTION", "ups", vec!["pending", "transit", "exception"]),
        ("SBX3UNDELIVERED", "fedex", vec!["pending", "transit", "pickup", "undelivered"]),
        ("SBX4NOTFOUND", "usps", vec!["pending", "notfound"]),
        ("SBX5EXPIRED", "dhl", vec!["pending", "transit", "expired"]),
        ("LX6LONGHAUL", "china-post", vec!["pending", "transit", "pickup", "delivered"]),
        ("SBX7PICKUP", "dpd", vec!["pending", "transit", "pickup"]),
    ];
    for (number, carrier, _) in &scenarios {
        h.create(number, carrier).await;
    }
    let numbers: Vec<&str> = scenarios.iter().map(|(number, ..)| *number).collect();
    let seen = walk(&h, &numbers, 31).await;
    for ((number, _, expected), seen) in scenarios.iter().zip(&seen) {
        assert_eq!(seen, expected, "{number}");
    }
}

#[tokio::test]
async fn scenario_milestones_land_on_their_documented_days() {
    let h = Harness::start().await;
    for (number, carrier) in [
        ("SBXDELIVERED", "dhl"),
        ("SBXEXCEPTION", "dhl"),
        ("SBXEXPIRED", "dhl"),
        ("LX9LONGHAUL", "china-post"),
    ] {
        h.create(number, carrier).await;
    }
    let status = |answer: common::Answer| answer.data()["status"].as_str().unwrap().to_owned();

    h.advance(47 * HOUR).await;
    assert_eq!(status(h.get("/trackings/dhl/SBXEXCEPTION").await), "transit");
    h.advance(2 * HOUR).await;
    assert_eq!(status(h.get("/trackings/dhl/SBXEXCEPTION").await), "exception");
    h.advance(24 * HOUR).await; // 73 hours after creation
    let delivered = h.get("/trackings/dhl/SBXDELIVERED").await;
    let data = delivered.data();
    assert_eq!(
        (data["status"].as_str(), data["substatus"].as_str()),
        (Some("delivered"), Some("delivered001"))
    );
    let checkpoints = data["origin_info"]["trackinfo"].as_array().unwrap();
    assert_eq!(checkpoints.len(), 6);
    let dates: Vec<&str> = checkpoints.iter().map(|c| c["Date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|pair| pair[0] > pair[1]), "newest first: {dates:?}");
    assert!(
        dates.iter().all(|d| d.len() == 19 && &d[4..5] == "-" && &d[10..11] == " "),
        "{dates:?}"
    );
    let newest = &checkpoints[0];
    let last_event = format!(
        "{},{},{}",
        newest["StatusDescription"].as_str().unwrap(),
        newest["Details"].as_str().unwrap(),
        dates[0]
    );
    assert_eq!(data["lastEvent"], last_event);
    assert_eq!(data["lastUpdateTime"], dates[0]);
    assert_eq!(checkpoints.last().unwrap()["ItemNode"], "ItemReceived");
    assert_eq!(data["origin_info"]["ItemReceived"], checkpoints.last().unwrap()["Date"]);
    assert_eq!(data["itemTimeLength"], 2);
    assert_eq!(data["stayTimeLength"], 0);
    assert!(data["updated_at"].as_str().unwrap().ends_with("+08:00"));

    h.advance(10 * DAY).await;
    let long = h.get("/trackings/china-post/LX9LONGHAUL").await;
    let data = long.data();
    assert_eq!(
        (data["original_country"].as_str(), data["destination_country"].as_str()),
        (Some("China"), Some("Spain"))
    );
    assert_eq!(data["status"], "delivered");
    assert_eq!(data["destination_info"]["carrier_code"], "correos-spain");
    assert!(!data["origin_info"]["trackinfo"].as_array().unwrap().is_empty());
    assert!(!data["destination_info"]["trackinfo"].as_array().unwrap().is_empty());
    assert!(data["destination_info"]["CustomsClearance"].is_string());
    assert_eq!(data["itemTimeLength"], 11);

    assert_eq!(status(h.get("/trackings/dhl/SBXEXPIRED").await), "transit");
    h.advance(17 * DAY).await; // 30 days and a bit
    assert_eq!(status(h.get("/trackings/dhl/SBXEXPIRED").await), "expired");
}

#[tokio::test]
async fn other_numbers_follow_a_deterministic_default_path() {
    let numbers = [
        ("RB778200154SG", "singapore-post"),
        ("1Z92X1280365559001", "ups"),
        ("402934299065", "sto"),
        ("LX418823107CN", "china-post"),
    ];
    let mut renderings = Vec::new();
    for _ in 0..2 {
        let h = Harness::start().await;
        for (number, carrier) in numbers {
            h.create(number, carrier).await;
        }
        h.advance(3 * DAY + 5 * HOUR).await;
        renderings.push(h.get("/trackings/get").await.text);
        h.advance(20 * DAY).await;
        let list = h.get("/trackings/get").await;
        for item in list.data()["items"].as_array().unwrap() {
            assert_eq!(item["status"], "delivered", "{}", item["tracking_number"]);
        }
    }
    assert_eq!(renderings[0], renderings[1], "same numbers, same clock, same bytes");

    // Another seed reshuffles the default paths, reproducibly.
    let mut seeded = Vec::new();
    for _ in 0..2 {
        let h = Harness::with(common::config().seed(42)).await;
        for (number, carrier) in numbers {
            h.create(number, carrier).await;
        }
        h.advance(3 * DAY + 5 * HOUR).await;
        seeded.push(h.get("/trackings/get").await.text);
    }
    assert_eq!(seeded[0], seeded[1]);
    assert_ne!(seeded[0], renderings[0]);
}

/// A loopback receiver that records webhook bodies and answers with the given statuses in
/// turn (the last one repeats).
async fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Value>>>) {
    let received = Arc::new(Mutex::new(Vec::<Value>::new()));
    let answers = Arc::new(Mutex::new(statuses));
    let log = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let log = Arc::clone(&log);
            let answers = Arc::clone(&answers);
            async move {
                log.lock().unwrap().push(serde_json::from_str(&body).unwrap_or(Value::Null));
                let mut answers = answers.lock().unwrap();
                let status = if answers.len() > 1 { answers.remove(0) } else { answers[0] };
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

/// Waits (polling, bounded) until `ready` holds.
async fn eventually(mut ready: impl FnMut() -> bool) {
    for _ in 0..500 {
        if ready() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition not reached after 500 polls");
}

fn signature(email: &str, time: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(email.as_bytes()).unwrap();
    mac.update(time.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn webhooks_announce_every_status_change_signed() {
    let h = Harness::start().await;
    let (url, received) = receiver(vec![200]).await;
    h.admin(Method::POST, "/webhooks", Some(json!({"url": url}))).await;
    assert_eq!(h.admin(Method::GET, "/webhooks", None).await, json!([url]));

    h.create("SBXHOOKDELIVERED", "dhl").await;
    h.advance(4 * DAY).await;
    h.create("SBXHOOKFORCED", "dhl").await;
    h.call(Method::PUT, "/trackings/dhl/SBXHOOKFORCED", Some(json!({"status": 7}))).await;
    eventually(|| received.lock().unwrap().len() == 4).await;

    let bodies = received.lock().unwrap().clone();
    let seen: Vec<(&str, &str)> = bodies
        .iter()
        .map(|body| {
            (
                body["data"]["tracking_number"].as_str().unwrap(),
                body["data"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("SBXHOOKDELIVERED", "transit"),
            ("SBXHOOKDELIVERED", "pickup"),
            ("SBXHOOKDELIVERED", "delivered"),
            ("SBXHOOKFORCED", "exception")
        ]
    );
    for body in &bodies {
        assert_eq!(body["meta"]["code"], 200);
        let time = body["verifyInfo"]["timeStr"].as_str().unwrap();
        assert!(time.parse::<i64>().is_ok());
        assert_eq!(
            body["verifyInfo"]["signature"].as_str().unwrap(),
            signature("dev@example.org", time)
        );
        common::contract::check_component("WebhookPayload", body);
    }
    let log = h.sandbox.admin().webhook_deliveries();
    assert_eq!(log.len(), 4);
    assert!(
        log.iter().all(|entry| entry.ok && entry.attempt == 1 && entry.http_status == Some(200))
    );
}

#[tokio::test]
async fn failed_webhooks_are_retried_and_logged() {
    let h = Harness::start().await;
    let (failing, failures) = receiver(vec![500]).await;
    let (flaky, flaky_bodies) = receiver(vec![503, 200]).await;
    let admin = h.sandbox.admin();
    admin.register_webhook(&failing).unwrap();
    admin.register_webhook(&flaky).unwrap();

    h.create("SBXRETRYEXCEPTION", "ups").await;
    h.call(Method::PUT, "/trackings/ups/SBXRETRYEXCEPTION", Some(json!({"status": 4}))).await;
    eventually(|| failures.lock().unwrap().len() == 3 && flaky_bodies.lock().unwrap().len() == 2)
        .await;
    eventually(|| admin.webhook_deliveries().len() == 5).await;

    let log = h.admin(Method::GET, "/webhooks/deliveries", None).await;
    let attempts = |url: &str| -> Vec<(i64, Value, bool)> {
        log.as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["url"] == url)
            .map(|entry| {
                (
                    entry["attempt"].as_i64().unwrap(),
                    entry["http_status"].clone(),
                    entry["ok"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        attempts(&failing),
        [(1, json!(500), false), (2, json!(500), false), (3, json!(500), false)]
    );
    assert_eq!(attempts(&flaky), [(1, json!(503), false), (2, json!(200), true)]);
    assert!(log.as_array().unwrap().iter().all(|entry| entry["status"] == "delivered"));
}

#[tokio::test]
async fn an_unreachable_webhook_is_logged_as_an_error() {
    let h = Harness::start().await;
    // Bind and drop a listener to get a loopback port with nobody behind it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    h.sandbox.admin().register_webhook(&format!("http://127.0.0.1:{port}/gone")).unwrap();
    h.create("SBXGONEEXCEPTION", "ups").await;
    h.advance(3 * DAY).await;
    let admin = h.sandbox.admin();
    eventually(|| admin.webhook_deliveries().len() >= 3).await;
    let log = admin.webhook_deliveries();
    assert!(
        log.iter().all(|entry| !entry.ok && entry.http_status.is_none() && entry.error.is_some())
    );
}

#[tokio::test]
async fn faults_before_the_handler_change_nothing() {
    let h = Harness::start().await;
    let admin = h.sandbox.admin();
    let body = Some(json!({"tracking_number": "FAULTED01", "carrier_code": "dhl"}).to_string());
    let key = h.key.clone();

    admin.inject_fault(Fault::next(1, FaultKind::TooManyRequests { retry_after: 7 }));
    let before = h.snapshot().await;
    let answer = h.send(Method::POST, "/trackings/post", body.clone(), Some(&key), false).await;
    assert_eq!((answer.status, answer.code()), (429, 429));
    assert_eq!(answer.headers["retry-after"], "7");
    assert_eq!(
        answer.message(),
        "Exceeded API limits. Pause requests, wait two minute, and try again."
    );
    assert_eq!(h.snapshot().await, before);

    for (status, html) in [(500, false), (502, true), (503, false), (503, true)] {
        admin.inject_fault(
            Fault::next(1, FaultKind::ServerError { status, html }).on_route("createTracking"),
        );
        let answer =
            h.send(Method::POST, "/trackings/post", body.clone(), Some(&key), false).await.status;
        assert_eq!(answer, status);
        assert_eq!(h.snapshot().await, before);
    }
    h.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "server_error", "status": 502, "html": true, "next": 1})),
    )
    .await;
    let url = format!("{}/trackings/post", h.sandbox.base_url());
    let response = h
        .client
        .post(&url)
        .header("Trackingmore-Api-Key", &key)
        .body(body.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("502 Bad Gateway"));

    h.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "connection_reset", "route": "/trackings/post"})),
    )
    .await;
    let reset = h
        .client
        .post(&url)
        .header("Trackingmore-Api-Key", &key)
        .body(body.clone().unwrap())
        .send()
        .await;
    assert!(reset.is_err(), "the connection is dropped without an answer: {reset:?}");
    assert_eq!(h.snapshot().await, before);
    h.admin(Method::DELETE, "/faults", None).await;
    assert_eq!(h.send(Method::POST, "/trackings/post", body, Some(&key), true).await.code(), 200);
    let journal = admin.journal();
    assert!(journal.iter().any(|entry| entry.faults == ["connection_reset"]));
}

#[tokio::test]
async fn faults_after_the_handler_spoil_answers_of_committed_writes() {
    let h = Harness::start().await;
    let admin = h.sandbox.admin();
    let key = h.key.clone();
    let create =
        |number: &str| Some(json!({"tracking_number": number, "carrier_code": "dhl"}).to_string());

    admin.inject_fault(Fault::next(1, FaultKind::TruncatedJson));
    let cut =
        h.send(Method::POST, "/trackings/post", create("SBXCUTDELIVERED"), Some(&key), false).await;
    assert_eq!(cut.status, 200);
    assert!(serde_json::from_str::<Value>(&cut.text).is_err(), "not JSON any more: {}", cut.text);
    assert!(cut.text.starts_with("{\"meta\":{\"code\":200"));
    assert_eq!(h.get("/trackings/dhl/SBXCUTDELIVERED").await.code(), 200, "the write happened");

    admin.inject_fault(Fault::next(1, FaultKind::ConnectionReset { after_handler: true }));
    let url = format!("{}/trackings/post", h.sandbox.base_url());
    let reset = h
        .client
        .post(&url)
        .header("Trackingmore-Api-Key", &key)
        .body(create("SBXRESETDELIVERED").unwrap())
        .send()
        .await;
    assert!(reset.is_err());
    assert_eq!(h.get("/trackings/dhl/SBXRESETDELIVERED").await.code(), 200, "the write happened");

    h.advance(3 * DAY + HOUR).await;
    admin.inject_fault(
        Fault::new(FaultKind::UnknownEnumValues { value: "in_orbit".into() })
            .on_route("/trackings/{carrier_code}/{tracking_number}")
            .times(1),
    );
    let odd = h.send(Method::GET, "/trackings/dhl/SBXCUTDELIVERED", None, Some(&key), false).await;
    assert_eq!(
        (odd.data()["status"].as_str(), odd.data()["substatus"].as_str()),
        (Some("in_orbit"), Some("in_orbit"))
    );
    assert_eq!(odd.data()["origin_info"]["trackinfo"][0]["checkpoint_status"], "in_orbit");

    admin.inject_fault(Fault::next(1, FaultKind::UnknownFields));
    let extra =
        h.send(Method::GET, "/trackings/dhl/SBXCUTDELIVERED", None, Some(&key), false).await;
    assert!(extra.json["x_future_field"].is_object());
    assert!(extra.json["meta"]["x_future_field"].is_object());
    assert!(extra.data()["origin_info"]["trackinfo"][0]["x_future_field"].is_object());
    assert_eq!(extra.data()["status"], "delivered");
    // Forward-compatible answers still match the lenient document.
    common::contract::check("GET", "/trackings/dhl/SBXCUTDELIVERED", &extra.json);
}

#[tokio::test]
async fn latency_and_counted_faults() {
    let h = Harness::start().await;
    let admin = h.sandbox.admin();
    admin.inject_fault(Fault::new(FaultKind::Latency { ms: 30 }).on_route("getUserInfo"));
    assert_eq!(h.get("/trackings/getuserinfo").await.code(), 200);
    admin.clear_faults();

    admin.inject_fault(Fault::next(2, FaultKind::ServerError { status: 503, html: false }));
    let key = h.key.clone();
    for _ in 0..2 {
        let answer = h.send(Method::GET, "/carriers", None, Some(&key), false).await;
        assert_eq!((answer.status, answer.code()), (503, 503));
    }
    assert_eq!(h.get("/carriers").await.status, 200);
    assert_eq!(h.admin(Method::GET, "/faults", None).await, json!([]));
    let journal = admin.journal();
    assert_eq!(journal[0].faults, ["latency"]);
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let h = Harness::with(common::config().rate_limits(RateLimits::reference())).await;
    let key = h.key.clone();
    let mut limited = None;
    for _ in 0..100 {
        let answer = h.send(Method::GET, "/trackings/get", None, Some(&key), true).await;
        if answer.code() == 429 {
            limited = Some(answer);
            break;
        }
    }
    let limited = limited.expect("the list endpoint is limited to 1 request/s");
    assert_eq!(limited.status, 200);
    assert_eq!(
        limited.message(),
        "Exceeded API limits. Pause requests, wait two minute, and try again."
    );
    assert!(limited.headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);

    // Realtime: 3/s; every answered call costs quota, a limited one costs nothing.
    let body = json!({"tracking_number": "LIMITED01", "carrier_code": "dhl"}).to_string();
    let mut answered = 0;
    let mut saw_429 = false;
    for _ in 0..100 {
        match h
            .send(Method::POST, "/trackings/realtime", Some(body.clone()), Some(&key), true)
            .await
            .code()
        {
            200 => answered += 1,
            429 => {
                saw_429 = true;
                break;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(saw_429 && answered >= 1);
    let info = h.get("/trackings/getuserinfo").await;
    assert_eq!(info.data()["track_number"], 10_000 - answered);
    // Other accounts and other routes have their own buckets.
    assert_eq!(h.get("/carriers").await.code(), 200);
}

#[tokio::test]
async fn custom_limits_apply_to_any_route() {
    let limits = RateLimits::off().per_second("/trackings/getuserinfo", 1);
    let h = Harness::with(common::config().rate_limits(limits)).await;
    let mut codes = Vec::new();
    for _ in 0..50 {
        let code = h.get("/trackings/getuserinfo").await.code();
        codes.push(code);
        if code == 429 {
            break;
        }
    }
    assert_eq!(codes.last(), Some(&429));
    assert!(h.get("/trackings/get").await.code() == 200, "list is unlimited here");
}

#[tokio::test]
async fn the_admin_api_steers_the_sandbox() {
    let h = Harness::start().await;
    let clock = h.admin(Method::GET, "/clock", None).await;
    assert_eq!(clock["iso"], "2026-01-05T08:00:00+08:00");
    h.create("SBXADMINDELIVERED", "dhl").await;
    h.advance(DAY).await;
    assert_eq!(
        h.admin(Method::GET, "/clock", None).await["now"],
        trackingmore_sandbox::CLOCK_START + DAY
    );
    assert_eq!(h.snapshot().await, h.snapshot().await, "snapshots are deterministic");
    let state = h.admin(Method::GET, "/state", None).await;
    assert_eq!(state["accounts"][0]["trackings"][0]["status"], "transit");
    assert_eq!(state["accounts"][0]["used"], 1);
    assert!(!state.to_string().contains(&h.key), "the snapshot never shows the key");

    h.admin(Method::POST, "/reset", None).await;
    let fresh = h.admin(Method::GET, "/state", None).await;
    assert_eq!(fresh["clock"]["unix"], trackingmore_sandbox::CLOCK_START);
    assert_eq!(fresh["accounts"][0]["trackings"], json!([]));
    assert_eq!(fresh["accounts"][0]["remaining"], 10_000);
    assert_eq!(h.admin(Method::GET, "/requests", None).await, json!([]));

    // The clock stops at the end of year 9998, and trackings still render there.
    h.advance(i64::MAX).await;
    assert!(
        h.admin(Method::GET, "/clock", None).await["iso"]
            .as_str()
            .unwrap()
            .starts_with("9998-12-31")
    );
    h.create("SBXLATEDELIVERED", "dhl").await;
    assert_eq!(h.get("/trackings/dhl/SBXLATEDELIVERED").await.code(), 200);

    // Bad admin input is a 400 with a reason, not a crash.
    let response = h
        .client
        .post(format!("{}/clock/advance", h.sandbox.admin_url()))
        .body("{\"seconds\": -5}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = h
        .client
        .post(format!("{}/faults", h.sandbox.admin_url()))
        .body("{\"kind\": \"meteor\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = h
        .client
        .put(format!("{}/accounts/nobody/quota", h.sandbox.admin_url()))
        .body("{\"quota\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_sandbox_shuts_down_and_its_port_stops_answering() {
    let h = Harness::start().await;
    let url = format!("{}/carriers", h.sandbox.base_url());
    h.sandbox.shutdown().await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    assert!(client.get(&url).send().await.is_err());
}

#[tokio::test]
async fn the_router_serves_from_any_listener() {
    // Habit 9: the router is a plain function of its state, servable by anyone.
    let state = trackingmore_sandbox::AppState::new(common::config()).unwrap();
    let admin = trackingmore_sandbox::Admin::new(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, trackingmore_sandbox::router(state)).await });

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let answer: Value = client
        .get(format!("{base}/carriers"))
        .header("Trackingmore-Api-Key", "sandbox-key")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["meta"]["code"], 200);
    assert_eq!(admin.journal().len(), 1);
}

#[tokio::test]
async fn a_data_file_keeps_state_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite");
    let first = Harness::with(common::config().data_path(&path)).await;
    first.create("SBXFILEDELIVERED", "dhl").await;
    first.advance(DAY).await;
    first
        .call(Method::PUT, "/trackings/dhl/SBXFILEDELIVERED", Some(json!({"title": "kept"})))
        .await;
    let before = first.snapshot().await;
    first.sandbox.shutdown().await;

    let second = Harness::with(common::config().data_path(&path)).await;
    assert_eq!(second.snapshot().await, before);
    assert_eq!(second.get("/trackings/dhl/SBXFILEDELIVERED").await.data()["title"], "kept");
    second.admin(Method::POST, "/reset", None).await;
    second.sandbox.shutdown().await;
    let third = Harness::with(common::config().data_path(&path)).await;
    let state: Value = serde_json::from_str(&third.snapshot().await).unwrap();
    assert_eq!(state["accounts"][0]["trackings"], json!([]), "a reset is durable too");
}

#[tokio::test]
async fn seeded_trackings_are_served_like_created_ones() {
    let h = Harness::start().await;
    h.create("SEED0000000001", "dhl").await;
    let admin = h.sandbox.admin();
    let added = admin.seed_trackings(&h.key, "dhl", "SEED", 50).unwrap();
    assert_eq!(added, 49, "the number created over HTTP is left alone");

    let one = h.get("/trackings/dhl/SEED0000000042").await;
    assert_eq!(one.code(), 200);
    assert_eq!(one.data()["status"], "pending");
    let page = h.get("/trackings/get?limit=100").await;
    assert_eq!(page.data()["items"].as_array().unwrap().len(), 50);
    assert!(admin.journal().iter().all(|entry| entry.route != Some("batchCreateTrackings")));

    // Quota is not charged, and the next create continues the sequence.
    let info = h.get("/trackings/getuserinfo").await;
    assert_eq!(info.data()["track_number"], 9_999);
    assert_eq!(h.create("SBXAFTERSEED", "dhl").await.code(), 200);
    assert!(admin.seed_trackings(&h.key, "no-such-carrier", "SEED", 1).is_err());
}

#[tokio::test]
async fn a_request_the_client_abandons_is_journalled_with_its_faults() {
    let h = Harness::start().await;
    let admin = h.sandbox.admin();
    admin.inject_fault(Fault::next(1, FaultKind::Latency { ms: 3_000 }));
    let impatient =
        reqwest::Client::builder().no_proxy().timeout(Duration::from_millis(100)).build().unwrap();
    let url = format!("{}/trackings/getuserinfo", h.sandbox.base_url());
    let sent = impatient.get(url).header("Trackingmore-Api-Key", &h.key).send().await;
    assert!(sent.unwrap_err().is_timeout());

    // The server learns of the closed connection a moment later; wait for it, boundedly.
    let mut journal = admin.journal();
    for _ in 0..600 {
        if !journal.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        journal = admin.journal();
    }
    assert_eq!(journal.len(), 1, "{journal:?}");
    assert_eq!(journal[0].route, Some("getUserInfo"));
    assert_eq!(journal[0].faults, ["latency"]);
    assert_eq!((journal[0].http_status, journal[0].meta_code), (499, None));
}
