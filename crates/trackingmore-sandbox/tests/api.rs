//! The v2 operations over real HTTP: every success path, every documented error code with the
//! state snapshot unchanged, the tolerance rules and the API's own PUT example.

// Test code: a failed expectation should stop the test with its reason.
#![allow(clippy::unwrap_used)]

mod common;

use common::Harness;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn create_get_update_delete_one() {
    let h = Harness::start().await;
    let created = h
        .post(
            "/trackings/post",
            json!({"tracking_number": "RB778200154SG", "carrier_code": "singapore-post",
                   "destination_code": "cl", "title": "USB cable", "order_id": "#5531",
                   "customer_email": ["a@example.org", "b@example.org"], "lang": "en"}),
        )
        .await;
    assert_eq!(created.code(), 200);
    let data = created.data();
    assert_eq!(data["status"], "pending");
    assert_eq!(data["order_create_time"], 0);
    assert_eq!(data["destination"], "CL");
    assert_eq!(data["created_at"], "2026-01-05T08:00:00+08:00");
    assert_eq!(data["id"].as_str().unwrap().len(), 32);

    let got = h.get("/trackings/singapore-post/RB778200154SG").await;
    assert_eq!(got.code(), 200);
    assert_eq!(got.data()["id"], data["id"]);
    assert_eq!(got.data()["title"], "USB cable");
    assert_eq!(got.data()["destination_country"], "Chile");
    let in_language = h.get("/trackings/singapore-post/RB778200154SG/en").await;
    assert_eq!(in_language.data()["id"], data["id"]);

    let updated = h
        .call(Method::PUT, "/trackings/singapore-post/RB778200154SG", Some(json!({"title": "Mug"})))
        .await;
    assert_eq!(updated.code(), 200);
    assert_eq!(updated.data()["title"], "Mug");
    assert_eq!(updated.data()["archived"], "false");
    assert_eq!(h.get("/trackings/singapore-post/RB778200154SG").await.data()["title"], "Mug");
    let emails = json!({"customer_email": ["c@example.org"], "comment": null});
    h.call(Method::PUT, "/trackings/singapore-post/RB778200154SG", Some(emails)).await;
    let got = h.get("/trackings/singapore-post/RB778200154SG").await;
    assert_eq!(got.data()["customer_email"], "c@example.org");
    assert_eq!(got.data()["comment"], Value::Null);

    let deleted = h.call(Method::DELETE, "/trackings/singapore-post/RB778200154SG", None).await;
    assert_eq!((deleted.code(), deleted.data().clone()), (200, json!([])));
    h.rejects(Method::GET, "/trackings/singapore-post/RB778200154SG", None, 4031).await;
    // A deleted number may be created again.
    h.create("RB778200154SG", "singapore-post").await;
}

/// The PUT example of the API's own page, sent exactly as written.
#[tokio::test]
async fn the_documented_put_example_works_as_written() {
    let h = Harness::start().await;
    h.create("402934299065", "sto").await;
    let body = r#"{
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
    let key = h.key.clone();
    let answer = h
        .send(Method::PUT, "/trackings/sto/402934299065", Some(body.to_owned()), Some(&key), true)
        .await;
    assert_eq!(answer.json["meta"], json!({"code": 200, "type": "Success", "message": "Success"}));
    let data = answer.data();
    for (field, value) in [
        ("tracking_number", "402934299065"),
        ("carrier_code", "sto"),
        ("customer_email", "[email protected]"),
        ("customer_name", "sandy"),
        ("order_id", "986574521568"),
        ("title", "new title"),
        ("destination_code", "CN"),
        ("customer_phone", "+86123456789"),
        ("archived", "true"),
        ("status", "7"),
        ("logistics_channel", "4PX挂号小包"),
    ] {
        assert_eq!(data[field], value, "{field}");
    }
    for field in ["id", "created_at", "updated_at"] {
        assert!(data[field].is_string(), "{field}");
    }

    // The forced status and the archive flag are visible on read.
    let got = h.get("/trackings/sto/402934299065").await;
    assert_eq!(got.data()["status"], "exception");
    assert_eq!(got.data()["archived"], true);
}

#[tokio::test]
async fn forced_statuses_can_be_reverted() {
    let h = Harness::start().await;
    h.create("SBXFORCEDELIVERED", "dhl").await;
    for (status, expected) in
        [(json!(4), "delivered"), (json!("7"), "exception"), (json!(8), "pending")]
    {
        let answer = h
            .call(Method::PUT, "/trackings/dhl/SBXFORCEDELIVERED", Some(json!({"status": status})))
            .await;
        assert_eq!(answer.code(), 200);
        assert_eq!(h.get("/trackings/dhl/SBXFORCEDELIVERED").await.data()["status"], expected);
    }
}

#[tokio::test]
async fn batch_create_reports_each_item() {
    let h = Harness::start().await;
    h.create("1Z92X1280365559001", "ups").await;
    let answer = h
        .post(
            "/trackings/batch",
            json!([
                {"tracking_number": "RB778200154SG", "carrier_code": "singapore-post", "order_id": "A-1"},
                {"tracking_number": "1Z92X1280365559001", "carrier_code": "ups"},
                {"tracking_number": "RB778200154SG", "carrier_code": "singapore-post"},
                {"carrier_code": "dhl"},
                {"tracking_number": "bad number!", "carrier_code": "dhl"},
                {"tracking_number": "1234567890", "carrier_code": "no-such-carrier"},
                "not an object"
            ]),
        )
        .await;
    assert_eq!(answer.code(), 201);
    assert_eq!(answer.message(), "The request was successful and a resource was created.");
    let data = answer.data();
    assert_eq!((data["submitted"].as_i64(), data["added"].as_i64()), (Some(7), Some(1)));
    assert_eq!(data["trackings"][0]["tracking_number"], "RB778200154SG");
    let codes: Vec<i64> =
        data["errors"].as_array().unwrap().iter().map(|e| e["code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [4016, 4016, 4013, 4014, 4015, 4012]);
    assert_eq!(data["errors"][0]["message"], "Tracking already exists.");
    assert_eq!(data["errors"][0]["carrier_code"], "ups");

    // Nothing added: meta 200 with added 0.
    let again = h
        .post(
            "/trackings/batch",
            json!([{"tracking_number": "RB778200154SG", "carrier_code": "singapore-post"}]),
        )
        .await;
    assert_eq!((again.code(), again.data()["added"].as_i64()), (200, Some(0)));
}

#[tokio::test]
async fn list_filters_and_pages_in_creation_order() {
    let h = Harness::start().await;
    for (number, carrier) in
        [("AAAAA1", "dhl"), ("BBBBB2", "ups"), ("CCCCC3", "fedex"), ("DDDDD4", "dhl")]
    {
        h.create(number, carrier).await;
        h.advance(60).await;
    }
    h.call(
        Method::PUT,
        "/trackings/ups/BBBBB2",
        Some(json!({"archived": true, "order_id": "O-2"})),
    )
    .await;
    h.call(Method::PUT, "/trackings/dhl/DDDDD4", Some(json!({"status": 4}))).await;

    let numbers = |answer: &common::Answer| -> Vec<String> {
        answer.data()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["tracking_number"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = h.get("/trackings/get").await;
    assert_eq!(all.data()["total"], "4");
    assert_eq!((all.data()["page"].as_i64(), all.data()["limit"].as_i64()), (Some(1), Some(100)));
    assert_eq!(numbers(&all), ["AAAAA1", "BBBBB2", "CCCCC3", "DDDDD4"]);

    let page = h.get("/trackings/get?page=2&limit=3").await;
    assert_eq!(
        (numbers(&page), page.data()["count"].as_i64()),
        (vec!["DDDDD4".to_owned()], Some(1))
    );
    assert_eq!(numbers(&h.get("/trackings/get?status=delivered").await), ["DDDDD4"]);
    assert_eq!(numbers(&h.get("/trackings/get?archived=true").await), ["BBBBB2"]);
    assert_eq!(
        numbers(&h.get("/trackings/get?archived=false&numbers=AAAAA1,%20BBBBB2,CCCCC3").await),
        ["AAAAA1", "CCCCC3"]
    );
    assert_eq!(numbers(&h.get("/trackings/get?orders=O-2").await), ["BBBBB2"]);
    let start = trackingmore_sandbox::CLOCK_START;
    let window =
        format!("/trackings/get?created_at_min={}&created_at_max={}", start + 60, start + 120);
    assert_eq!(numbers(&h.get(&window).await), ["BBBBB2", "CCCCC3"]);
    // Empty values are absent; POST with a JSON body works like GET.
    assert_eq!(h.get("/trackings/get?status=&numbers=&created_at_min=").await.data()["total"], "4");
    let posted =
        h.post("/trackings/get", json!({"page": "1", "limit": 2, "archived": false})).await;
    assert_eq!(numbers(&posted), ["AAAAA1", "CCCCC3"]);
}

#[tokio::test]
async fn update_many_delete_many_and_stop_updating() {
    let h = Harness::start().await;
    for number in ["SBXA1DELIVERED", "SBXB2DELIVERED", "SBXC3DELIVERED"] {
        h.create(number, "dhl").await;
    }
    let updated = h
        .post(
            "/trackings/updatemore",
            json!([
                {"tracking_number": "SBXA1DELIVERED", "carrier_code": "dhl", "title": "t", "status": "7"},
                {"tracking_number": "NOTHERE1", "carrier_code": "dhl"},
                {"tracking_number": "SBXB2DELIVERED", "carrier_code": "dhl", "status": 5}
            ]),
        )
        .await;
    assert_eq!(updated.code(), 200);
    assert_eq!(updated.data()["submitted"], 3);
    assert_eq!(updated.data()["updated"], 1);
    assert_eq!(
        updated.data()["trackings"],
        json!([{"tracking_number": "SBXA1DELIVERED", "carrier_code": "dhl"}])
    );
    let codes: Vec<&Value> =
        updated.data()["errors"].as_array().unwrap().iter().map(|e| &e["code"]).collect();
    assert_eq!(codes, [&json!(4017), &json!(4033)]);
    assert_eq!(h.get("/trackings/dhl/SBXA1DELIVERED").await.data()["status"], "exception");

    let stopped = h
        .post("/trackings/notupdate", json!([{"tracking_number": "SBXC3DELIVERED", "carrier_code": "dhl"}, {"tracking_number": "NOTHERE1", "carrier_code": "dhl"}]))
        .await;
    assert_eq!(
        (stopped.data()["submitted"].as_i64(), stopped.data()["change"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(stopped.data()["errors"][0]["code"], 4017);
    h.advance(5 * 86_400).await;
    let frozen = h.get("/trackings/dhl/SBXC3DELIVERED").await;
    assert_eq!(
        (frozen.data()["status"].as_str(), frozen.data()["track_update"].as_bool()),
        (Some("pending"), Some(false))
    );
    assert_eq!(h.get("/trackings/dhl/SBXB2DELIVERED").await.data()["status"], "delivered");

    let deleted = h
        .post("/trackings/delete", json!([{"tracking_number": "SBXA1DELIVERED", "carrier_code": "dhl"}, {"tracking_number": "SBXA1DELIVERED", "carrier_code": "dhl"}]))
        .await;
    assert_eq!(
        (deleted.data()["submitted"].as_i64(), deleted.data()["delete"].as_i64()),
        (Some(2), Some(1))
    );
    let metas: Vec<i64> = deleted.data()["trackings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["meta"]["code"].as_i64().unwrap())
        .collect();
    assert_eq!(metas, [200, 4017]);
    assert_eq!(deleted.data()["trackings"][0]["meta"]["tracking_number"], "SBXA1DELIVERED");
}

#[tokio::test]
async fn realtime_creates_and_answers_from_the_engine() {
    let h = Harness::start().await;
    let answer = h
        .post(
            "/trackings/realtime",
            json!({"tracking_number": "SBXRTDELIVERED", "carrier_code": "ups", "order": "R-1"}),
        )
        .await;
    assert_eq!(answer.code(), 200);
    let items = answer.data()["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["order_id"], "R-1");
    assert_eq!(h.get("/trackings/ups/SBXRTDELIVERED").await.data()["id"], items[0]["id"]);
    h.advance(4 * 86_400).await;
    let again = h
        .post(
            "/trackings/realtime",
            json!({"tracking_number": "SBXRTDELIVERED", "carrier_code": "ups"}),
        )
        .await;
    assert_eq!(again.data()["items"][0]["status"], "delivered");
    assert_eq!(h.get("/trackings/getuserinfo").await.data()["track_number"], 9_998);
}

#[tokio::test]
async fn change_carrier_moves_the_tracking() {
    let h = Harness::start().await;
    h.create("RR123456785DE", "dhl").await;
    let answer = h.post("/trackings/update", json!({"tracking_number": "RR123456785DE", "carrier_code": "dhl", "update_carrier_code": "deutsch-post"})).await;
    assert_eq!((answer.code(), answer.data().clone()), (200, json!({"Usertag": ""})));
    assert_eq!(h.get("/trackings/deutsch-post/RR123456785DE").await.code(), 200);
    h.rejects(Method::GET, "/trackings/dhl/RR123456785DE", None, 4031).await;
    h.create("RR123456785DE", "dhl").await;
    let body = json!({"tracking_number": "RR123456785DE", "carrier_code": "dhl", "update_carrier_code": "deutsch-post"});
    h.rejects(Method::POST, "/trackings/update", Some(body), 4016).await;
}

#[tokio::test]
async fn user_info_status_counts_and_quota() {
    let h = Harness::start().await;
    let info = h.get("/trackings/getuserinfo").await;
    assert_eq!(info.data()["email"], "dev@example.org");
    assert_eq!(info.data()["track_number"], 10_000);
    assert!(info.data()["regtime"].as_str().unwrap().parse::<i64>().is_ok());

    for number in ["SBXQ1DELIVERED", "SBXQ2EXCEPTION", "SBXQ3NOTFOUND"] {
        h.create(number, "dhl").await;
    }
    h.advance(3 * 86_400 + 3600).await;
    let counts = h.get("/trackings/getstatusnumber").await;
    assert_eq!(
        counts.data(),
        &json!({"pending": 0, "notfound": 1, "transit": 0, "pickup": 0, "delivered": 1,
                "undelivered": 0, "exception": 1, "expired": 0})
    );
    let none = h
        .get(&format!(
            "/trackings/getstatusnumber?created_at_min={}",
            trackingmore_sandbox::CLOCK_START + 1
        ))
        .await;
    assert_eq!(none.data()["delivered"], 0);
    assert_eq!(h.get("/trackings/getuserinfo").await.data()["track_number"], 9_997);
}

#[tokio::test]
async fn tools_answer_from_the_built_in_data() {
    let h = Harness::start().await;
    let carriers = h.get("/carriers").await;
    let list = carriers.data().as_array().unwrap();
    assert!(list.len() >= 40);
    let dhl = list.iter().find(|c| c["code"] == "dhl").unwrap();
    assert_eq!(dhl["homepage"], "//www.dhl.com/");
    assert_eq!(dhl["type"], "express");
    assert_eq!(h.get("/carriers/").await.data().as_array().unwrap().len(), list.len());

    for (number, best) in [
        ("RB778200154SG", "singapore-post"),
        ("EA123456789CN", "china-ems"),
        ("1Z92X1280365559001", "ups"),
        ("123456789012", "fedex"),
        ("1234567890", "dhl"),
    ] {
        let detected = h.post("/carriers/detect", json!({"tracking_number": number})).await;
        assert_eq!(detected.data()[0]["code"], best, "{number}");
    }

    let remote = h
        .post("/trackings/remote", json!([{"country": "NO", "postcode": "9170"}, {"country": "Spain", "postcode": "28001"}, {"country": "GB", "postcode": "HS1 2AA", "company": "UPS"}]))
        .await;
    assert_eq!(remote.message(), "The request was successful.");
    assert_eq!(remote.data()["submitted"], 3);
    assert_eq!(remote.data()["other"], json!([{"country": "Spain", "postcode": "28001"}]));
    let companies: Vec<&str> = remote.data()["remote"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["far_express_company"].as_str().unwrap())
        .collect();
    assert_eq!(companies, ["dhl", "fedex", "ups", "tnt", "ups"]);

    let times = h
        .post(
            "/trackings/costtime",
            json!([{"carrier_code": "dhl", "original": "cn", "destination": "US"}]),
        )
        .await;
    assert_eq!(times.data()[0]["original"], "CN");
    assert!(times.data()[0]["range1"].as_str().unwrap().ends_with('%'));
    assert_eq!(
        times.data(),
        h.post(
            "/trackings/costtime",
            json!([{"carrier_code": "dhl", "original": "CN", "destination": "US"}])
        )
        .await
        .data()
    );

    let cargo = h
        .post(
            "/trackings/aircargo",
            json!({"track_number": ["172-28891936", "618 12345675"], "lang": "en"}),
        )
        .await;
    assert_eq!(cargo.data()[0]["track_number"], "172-28891936");
    assert_eq!(cargo.data()[1]["track_number"], "618-12345675");
    assert!(cargo.data()[0]["track_info"][0]["flight_number"].as_str().unwrap().starts_with("CV"));
    // Detect and remote: 1 unit per 5 calls (5 + 1 here); air cargo: 20 per waybill.
    assert_eq!(h.get("/trackings/getuserinfo").await.data()["track_number"], 10_000 - 1 - 40);
}

#[tokio::test]
async fn every_documented_error_leaves_the_state_unchanged() {
    let h = Harness::start().await;
    h.create("SBXERRDELIVERED", "dhl").await;
    let key = h.key.clone();
    let send = |body: &str| Some(body.to_owned());

    // 4001: no key, unknown key.
    h.rejected(Method::GET, "/trackings/getuserinfo", None, None, 4001).await;
    h.rejected(
        Method::POST,
        "/trackings/post",
        send(r#"{"tracking_number":"ABCDEF1","carrier_code":"dhl"}"#),
        Some("wrong"),
        4001,
    )
    .await;
    // 4012: malformed JSON, empty body, wrong types, missing fields, bad list parameters.
    for body in [
        "{",
        "",
        "[]",
        "null",
        "42",
        r#"{"tracking_number": 12345, "carrier_code": "dhl"}"#,
        r#"{"tracking_number": "ABCDEF1"}"#,
        r#"{"tracking_number": "ABCDEF1", "carrier_code": "dhl", "title": {"a": 1}}"#,
        r#"{"tracking_number": "ABCDEF1", "carrier_code": ["dhl"]}"#,
    ] {
        h.rejected(Method::POST, "/trackings/post", send(body), Some(&key), 4012).await;
    }
    h.rejected(Method::PUT, "/trackings/dhl/SBXERRDELIVERED", None, Some(&key), 4012).await;
    h.rejected(
        Method::PUT,
        "/trackings/dhl/SBXERRDELIVERED",
        send(r#"{"archived": "maybe"}"#),
        Some(&key),
        4012,
    )
    .await;
    h.rejected(
        Method::POST,
        "/trackings/batch",
        send(r#"{"tracking_number": "x"}"#),
        Some(&key),
        4012,
    )
    .await;
    for query in [
        "limit=2001",
        "limit=0",
        "page=0",
        "page=abc",
        "limit=99999999999999999999999",
        "created_at_min=yesterday",
        &format!("numbers={}", vec!["ABCDEF1"; 41].join(",")),
    ] {
        h.rejected(Method::GET, &format!("/trackings/get?{query}"), None, Some(&key), 4012).await;
    }
    h.rejected(
        Method::POST,
        "/trackings/costtime",
        send(r#"[{"carrier_code": "dhl", "original": "CHINA", "destination": "US"}]"#),
        Some(&key),
        4012,
    )
    .await;
    h.rejected(
        Method::POST,
        "/trackings/aircargo",
        send(r#"{"track_number": ["12-34"]}"#),
        Some(&key),
        4012,
    )
    .await;
    h.rejected(Method::POST, "/trackings/remote", send(r#"[{"country": "NO"}]"#), Some(&key), 4012)
        .await;
    // 4013, 4014, 4015.
    h.rejected(
        Method::POST,
        "/trackings/post",
        send(r#"{"carrier_code": "dhl", "tracking_number": ""}"#),
        Some(&key),
        4013,
    )
    .await;
    h.rejected(Method::POST, "/carriers/detect", send("{}"), Some(&key), 4013).await;
    h.rejected(
        Method::POST,
        "/trackings/post",
        send(r#"{"tracking_number": "AB 12", "carrier_code": "dhl"}"#),
        Some(&key),
        4014,
    )
    .await;
    h.rejected(Method::GET, "/trackings/dhl/abc", None, Some(&key), 4014).await;
    h.rejected(
        Method::POST,
        "/trackings/post",
        send(r#"{"tracking_number": "ABCDEF1", "carrier_code": "nope"}"#),
        Some(&key),
        4015,
    )
    .await;
    h.rejected(Method::POST, "/trackings/update", send(r#"{"tracking_number": "SBXERRDELIVERED", "carrier_code": "dhl", "update_carrier_code": "nope"}"#), Some(&key), 4015).await;
    // 4016, 4017.
    h.rejected(
        Method::POST,
        "/trackings/post",
        send(r#"{"tracking_number": "SBXERRDELIVERED", "carrier_code": "DHL"}"#),
        Some(&key),
        4016,
    )
    .await;
    for (method, path) in
        [(Method::PUT, "/trackings/dhl/NOTHERE1"), (Method::DELETE, "/trackings/dhl/NOTHERE1")]
    {
        h.rejected(method, path, send(r#"{"title": "x"}"#), Some(&key), 4017).await;
    }
    h.rejected(Method::POST, "/trackings/update", send(r#"{"tracking_number": "NOTHERE1", "carrier_code": "dhl", "update_carrier_code": "ups"}"#), Some(&key), 4017).await;
    // 4020: more than 40 items.
    let many: Vec<Value> = (0..41)
        .map(|i| json!({"tracking_number": format!("BULK{i:04}"), "carrier_code": "dhl"}))
        .collect();
    for path in
        ["/trackings/batch", "/trackings/updatemore", "/trackings/delete", "/trackings/notupdate"]
    {
        h.rejected(Method::POST, path, Some(json!(many).to_string()), Some(&key), 4020).await;
    }
    // 4031, 4032, 4033.
    h.rejected(Method::GET, "/trackings/dhl/NEVERCREATED", None, Some(&key), 4031).await;
    h.rejected(
        Method::POST,
        "/carriers/detect",
        send(r#"{"tracking_number": "SBXNOTHING"}"#),
        Some(&key),
        4032,
    )
    .await;
    h.rejected(
        Method::PUT,
        "/trackings/dhl/SBXERRDELIVERED",
        send(r#"{"status": 5}"#),
        Some(&key),
        4033,
    )
    .await;
    h.rejected(
        Method::PUT,
        "/trackings/dhl/SBXERRDELIVERED",
        send(r#"{"status": "delivered"}"#),
        Some(&key),
        4033,
    )
    .await;
    h.rejected(Method::GET, "/trackings/get?status=in_orbit", None, Some(&key), 4033).await;
    // 404 and 405, with or without a key.
    for (method, path, code) in [
        (Method::GET, "/nowhere", 404),
        (Method::GET, "/trackings/a/b/c/d", 404),
        (Method::DELETE, "/trackings/get", 405),
        (Method::GET, "/trackings/post", 405),
        (Method::PATCH, "/trackings/dhl/SBXERRDELIVERED", 405),
    ] {
        h.rejected(method.clone(), path, None, Some(&key), code).await;
        h.rejected(method, path, None, None, code).await;
    }
}

#[tokio::test]
async fn quota_exhaustion_is_4021_and_changes_nothing() {
    let h = Harness::with(common::config().quota(2)).await;
    h.create("QUOTA0001", "dhl").await;
    let batch = h.post("/trackings/batch", json!([{"tracking_number": "QUOTA0002", "carrier_code": "dhl"}, {"tracking_number": "QUOTA0003", "carrier_code": "dhl"}])).await;
    assert_eq!((batch.code(), batch.data()["added"].as_i64()), (201, Some(1)));
    assert_eq!(batch.data()["errors"][0]["code"], 4021);
    let create = json!({"tracking_number": "QUOTA0004", "carrier_code": "dhl"});
    h.rejects(Method::POST, "/trackings/post", Some(create.clone()), 4021).await;
    h.rejects(Method::POST, "/trackings/batch", Some(json!([create])), 4021).await;
    h.rejects(
        Method::POST,
        "/trackings/realtime",
        Some(json!({"tracking_number": "QUOTA0001", "carrier_code": "dhl"})),
        4021,
    )
    .await;
    h.rejects(
        Method::POST,
        "/trackings/aircargo",
        Some(json!({"track_number": "172-28891936"})),
        4021,
    )
    .await;
    h.rejects(
        Method::POST,
        "/carriers/detect",
        Some(json!({"tracking_number": "1234567890"})),
        4021,
    )
    .await;

    // Raising the quota through the admin API lets creates through again.
    h.admin(Method::PUT, "/accounts/sandbox-key/quota", Some(json!({"quota": 3}))).await;
    h.post("/trackings/post", create).await;
    assert_eq!(h.get("/trackings/getuserinfo").await.data()["track_number"], 0);
}

#[tokio::test]
async fn accounts_are_separate() {
    let h = Harness::with(common::config().account("second-key", "ops@example.org", 5)).await;
    h.create("SHARED0001", "dhl").await;
    let other = Some("second-key");
    let info = h.send(Method::GET, "/trackings/getuserinfo", None, other, true).await;
    assert_eq!(
        (info.data()["email"].as_str(), info.data()["track_number"].as_i64()),
        (Some("ops@example.org"), Some(5))
    );
    let missing = h.send(Method::GET, "/trackings/dhl/SHARED0001", None, other, true).await;
    assert_eq!(missing.code(), 4031);
    let body = Some(json!({"tracking_number": "SHARED0001", "carrier_code": "dhl"}).to_string());
    assert_eq!(h.send(Method::POST, "/trackings/post", body, other, true).await.code(), 200);
}

#[tokio::test]
async fn real_clients_are_tolerated() {
    let h = Harness::start().await;
    let key = h.key.clone();
    // Trailing slashes, a text content type, unknown headers and fields.
    let answer = h
        .client
        .post(format!("{}/trackings/post/", h.sandbox.base_url()))
        .header("Trackingmore-Api-Key", &key)
        .header("Content-Type", "text/plain")
        .header("X-Requested-With", "XMLHttpRequest")
        .body(r#"{"tracking_number": "TOLERANT1", "carrier_code": "dhl", "future": {"x": 1}, "auto_correct": "1"}"#)
        .send()
        .await
        .unwrap();
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["meta"]["code"], 200);
    assert_eq!(h.get("/trackings/dhl/TOLERANT1/").await.code(), 200);
    assert_eq!(h.get("/trackings/getuserinfo/").await.code(), 200);
    // Status as a numeric string, archived as a JSON boolean.
    let put = h
        .call(
            Method::PUT,
            "/trackings/dhl/TOLERANT1/",
            Some(json!({"status": "4", "archived": false})),
        )
        .await;
    assert_eq!((put.code(), put.data()["archived"].as_str()), (200, Some("false")));
    // Huge and odd inputs are rejected, never a 500.
    let huge =
        format!(r#"{{"tracking_number": "{}", "carrier_code": "dhl"}}"#, "9".repeat(100_000));
    assert_eq!(
        h.send(Method::POST, "/trackings/post", Some(huge), Some(&key), true).await.code(),
        4014
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        h.send(Method::POST, "/trackings/batch", Some(deep), Some(&key), true).await.code(),
        4012
    );
    let number =
        r#"{"tracking_number": "TOLERANT2", "carrier_code": "dhl", "auto_correct": 1e999}"#;
    assert_eq!(
        h.send(Method::POST, "/trackings/post", Some(number.to_owned()), Some(&key), true)
            .await
            .code(),
        4012
    );
}

#[tokio::test]
async fn api_errors_can_be_mirrored_as_http_statuses() {
    let h = Harness::with(common::config().mirror_http_status(true)).await;
    let key = h.key.clone();
    for (method, path, key, status) in [
        (Method::GET, "/trackings/getuserinfo", None, 401),
        (Method::GET, "/trackings/dhl/NEVERCREATED", Some(key.as_str()), 404),
        (Method::GET, "/trackings/get?limit=0", Some(key.as_str()), 400),
        (Method::GET, "/nowhere", None, 404),
        (Method::DELETE, "/carriers", None, 405),
    ] {
        let answer = h.send(method, path, None, key, true).await;
        assert_eq!(answer.status, status, "{path}: {}", answer.text);
    }
    assert_eq!(h.get("/trackings/getuserinfo").await.status, 200);
}

#[tokio::test]
async fn the_journal_redacts_the_key() {
    let h = Harness::start().await;
    h.create("JOURNAL01", "dhl").await;
    h.send(Method::GET, "/nowhere", None, None, true).await;
    let journal = h.admin(Method::GET, "/requests", None).await;
    let entries = journal.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["route"], "createTracking");
    assert_eq!(entries[0]["meta_code"], 200);
    assert_eq!(entries[0]["account"], "dev@example.org");
    assert_eq!(entries[1]["meta_code"], 404);
    assert!(!journal.to_string().contains(&h.key), "the key never appears in the journal");
    assert_eq!(h.sandbox.admin().journal().len(), 2);
}

#[tokio::test]
async fn the_contract_document_covers_every_answer() {
    let h = Harness::start().await;
    h.create("CONTRACT1", "dhl").await;
    h.get("/trackings/dhl/CONTRACT1").await;
    let before = common::contract::CHECKED.load(std::sync::atomic::Ordering::Relaxed);
    assert!(before >= 2, "answers are checked as they arrive");
}

#[tokio::test]
async fn garbage_on_every_route_is_answered_and_changes_nothing() {
    let h = Harness::start().await;
    h.create("GARBAGE01", "dhl").await;
    let key = h.key.clone();
    let routes = [
        (Method::POST, "/trackings/post"),
        (Method::GET, "/trackings/dhl/GARBAGE01"),
        (Method::GET, "/trackings/dhl/GARBAGE01/en"),
        (Method::PUT, "/trackings/dhl/GARBAGE01"),
        (Method::DELETE, "/trackings/dhl/%FF%FE"),
        (Method::POST, "/trackings/batch"),
        (Method::POST, "/trackings/get"),
        (Method::POST, "/trackings/updatemore"),
        (Method::POST, "/trackings/delete"),
        (Method::POST, "/trackings/realtime"),
        (Method::POST, "/trackings/update"),
        (Method::POST, "/trackings/notupdate"),
        (Method::POST, "/trackings/remote"),
        (Method::POST, "/trackings/costtime"),
        (Method::POST, "/trackings/aircargo"),
        (Method::POST, "/carriers/detect"),
    ];
    let bodies = [
        "",
        "{",
        "[]",
        "null",
        "\"x\"",
        "1e999",
        "-1",
        "{\"tracking_number\": {}}",
        "[{}]",
        "[1, 2]",
        "[null]",
        "{\"status\": [7], \"archived\": 1}",
        "{\"track_number\": [1]}",
        "\u{0}",
        "{\"tracking_number\": \"GARBAGE01\", \"carrier_code\": 7}",
    ];
    for (method, path) in &routes {
        for body in bodies {
            let before = h.snapshot().await;
            let answer =
                h.send(method.clone(), path, Some(body.to_owned()), Some(&key), true).await;
            assert!(
                answer.json["meta"]["code"].is_i64(),
                "{method} {path} {body:?}: {}",
                answer.text
            );
            if !matches!(answer.code(), 200 | 201) {
                assert_eq!(
                    h.snapshot().await,
                    before,
                    "{method} {path} {body:?} changed the state"
                );
            }
        }
    }
    // Bytes that are not UTF-8 at all.
    let url = format!("{}/trackings/post", h.sandbox.base_url());
    let answer: Value = h
        .client
        .post(url)
        .header("Trackingmore-Api-Key", &key)
        .body(vec![0xff, 0xfe, 0x00, 0x7b])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["meta"]["code"], 4012);
}
