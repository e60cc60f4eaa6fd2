//! The `trackingmore-sandbox` binary: the base URL on the first stdout line, durability of
//! acknowledged writes across SIGKILL with `--data`, and a clean exit on SIGTERM.

// Test code: a failed expectation should stop the test with its reason.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// A running sandbox process and the base URL it printed.
struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Server {
    fn spawn(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trackingmore-sandbox"))
            .args(["--port", "0", "--api-key", "process-key", "--email", "ops@example.org"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("a first line");
        let base = line.trim().to_owned();
        assert!(
            base.starts_with("http://127.0.0.1:") && base.ends_with("/v2"),
            "first line: {base}"
        );
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Server { child, base, client }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Trackingmore-Api-Key", "process-key");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        let code = answer["meta"]["code"].as_i64().unwrap();
        assert!(code == 200 || code == 201, "{path}: {answer}");
        answer
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> String {
        let url = format!("{}/__admin{path}", self.base.trim_end_matches("/v2"));
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success());
        response.text().await.unwrap()
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sandbox.sqlite");
    let data = data.to_str().unwrap();

    let mut server = Server::spawn(&["--data", data]);
    server.call(Method::POST, "/trackings/post", Some(json!({"tracking_number": "SBXKILLDELIVERED", "carrier_code": "dhl", "title": "kept"}))).await;
    server.call(Method::POST, "/trackings/batch", Some(json!([{"tracking_number": "KILLBATCH1", "carrier_code": "ups"}, {"tracking_number": "KILLBATCH2", "carrier_code": "ups"}, {"tracking_number": "KILLBATCH3", "carrier_code": "ups"}]))).await;
    server
        .call(
            Method::PUT,
            "/trackings/ups/KILLBATCH1",
            Some(json!({"status": 7, "archived": "true", "customer_name": "Ana"})),
        )
        .await;
    server.call(Method::DELETE, "/trackings/ups/KILLBATCH2", None).await;
    server
        .call(
            Method::POST,
            "/trackings/notupdate",
            Some(json!([{"tracking_number": "KILLBATCH3", "carrier_code": "ups"}])),
        )
        .await;
    server.call(Method::POST, "/trackings/update", Some(json!({"tracking_number": "KILLBATCH3", "carrier_code": "ups", "update_carrier_code": "fedex"}))).await;
    server
        .call(Method::POST, "/carriers/detect", Some(json!({"tracking_number": "1234567890"})))
        .await;
    server.admin(Method::POST, "/clock/advance", Some(json!({"seconds": 200_000}))).await;
    server.admin(Method::POST, "/webhooks", Some(json!({"url": "http://127.0.0.1:9/hook"}))).await;
    server.admin(Method::PUT, "/accounts/process-key/quota", Some(json!({"quota": 500}))).await;
    let before = server.admin(Method::GET, "/state", None).await;

    server.child.kill().unwrap(); // SIGKILL: no chance to flush anything
    server.child.wait().unwrap();

    let mut restarted = Server::spawn(&["--data", data]);
    let after = restarted.admin(Method::GET, "/state", None).await;
    assert_eq!(after, before, "every acknowledged write is back");
    let state: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(state["accounts"][0]["trackings"].as_array().unwrap().len(), 3);
    assert_eq!(state["accounts"][0]["remaining"], 500 - 4);
    let kept = restarted.call(Method::GET, "/trackings/dhl/SBXKILLDELIVERED", None).await;
    assert_eq!(kept["data"]["title"], "kept");
    // New records do not reuse the ids of deleted ones.
    let created = restarted
        .call(
            Method::POST,
            "/trackings/post",
            Some(json!({"tracking_number": "KILLBATCH2", "carrier_code": "ups"})),
        )
        .await;
    let ids: Vec<&Value> =
        state["accounts"][0]["trackings"].as_array().unwrap().iter().map(|t| &t["id"]).collect();
    assert!(!ids.contains(&&created["data"]["id"]));
    restarted.child.kill().unwrap();
    restarted.child.wait().unwrap();
}

#[tokio::test]
async fn sigterm_shuts_down_cleanly() {
    let mut server = Server::spawn(&["--rate-limits", "off", "--mirror-http-status"]);
    let answer =
        server.client.get(format!("{}/trackings/getuserinfo", server.base)).send().await.unwrap();
    assert_eq!(answer.status(), 401, "--mirror-http-status is on");
    let status =
        Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "exit status after SIGTERM: {exit:?}");
}
