//! The shared harness of the sandbox's integration tests: a sandbox on 127.0.0.1:0, a client
//! that sends the API key, snapshot helpers and the contract check.
//!
//! Every answer that comes back through [`Harness::call`] is checked against the schema that
//! `openapi/trackingmore-v2.yaml` declares for that operation: successes against the 200
//! response, errors against `ErrorEnvelope`. So every test that talks to the sandbox is also a
//! contract test, and a drift between the sandbox and the document fails the suite.

// Each test binary uses a different part of the harness.
#![allow(dead_code)]
// Test code: a failed expectation should stop the test with its reason.
#![allow(clippy::unwrap_used)]

pub mod contract;

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use trackingmore_sandbox::{Config, RateLimits, Sandbox};

/// One answer, read completely.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Answer {
    /// `meta.code`, or 0 when the body has none.
    pub fn code(&self) -> i64 {
        self.json["meta"]["code"].as_i64().unwrap_or(0)
    }

    pub fn message(&self) -> &str {
        self.json["meta"]["message"].as_str().unwrap_or("")
    }

    pub fn data(&self) -> &Value {
        &self.json["data"]
    }
}

/// A running sandbox and a client for it.
pub struct Harness {
    pub sandbox: Sandbox,
    pub client: reqwest::Client,
    pub key: String,
}

/// The default test configuration: rate limits off (tests that need them turn them on), and
/// a webhook retry schedule in milliseconds.
pub fn config() -> Config {
    Config::default()
        .rate_limits(RateLimits::off())
        .webhook_retry_schedule(vec![Duration::from_millis(20), Duration::from_millis(40)])
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::with(config()).await
    }

    pub async fn with(config: Config) -> Harness {
        let sandbox = Sandbox::start(config).await.expect("sandbox starts on 127.0.0.1:0");
        let key = sandbox.api_key();
        let client = reqwest::Client::builder().no_proxy().build().expect("client builds");
        Harness { sandbox, client, key }
    }

    /// Sends a v2 request with the account's key; checks the answer against the contract.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let body = body.map(|body| body.to_string());
        self.send(method, path, body, Some(&self.key.clone()), true).await
    }

    /// A GET with the key.
    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    /// A POST with a JSON body and the key.
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    /// Sends any body text with any key (or none); `check` turns on the contract check and the
    /// "never a 500" rule (fault tests turn both off).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        key: Option<&str>,
        check: bool,
    ) -> Answer {
        let url = format!("{}{}", self.sandbox.base_url(), path);
        let mut request = self.client.request(method.clone(), &url);
        if let Some(key) = key {
            request = request.header("Trackingmore-Api-Key", key);
        }
        if let Some(body) = body {
            request = request.header("Content-Type", "application/json").body(body);
        }
        let response =
            request.send().await.unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body reads");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        if check {
            assert_ne!(status, 500, "{method} {path} answered HTTP 500: {text}");
            contract::check(method.as_str(), path, &json);
        }
        Answer { status, headers, text, json }
    }

    /// The admin state snapshot as text.
    pub async fn snapshot(&self) -> String {
        self.admin_text(Method::GET, "/state", None).await
    }

    /// An admin call; the answer's text.
    pub async fn admin_text(&self, method: Method, path: &str, body: Option<Value>) -> String {
        let url = format!("{}{}", self.sandbox.admin_url(), path);
        let mut request = self.client.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("admin call");
        assert!(response.status().is_success(), "admin {path}: {}", response.status());
        response.text().await.expect("admin body")
    }

    /// An admin call; the answer as JSON.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        serde_json::from_str(&self.admin_text(method, path, body).await).expect("admin json")
    }

    /// Moves the virtual clock.
    pub async fn advance(&self, seconds: i64) {
        self.admin(Method::POST, "/clock/advance", Some(json!({"seconds": seconds}))).await;
    }

    /// Creates a tracking and asserts it worked.
    pub async fn create(&self, number: &str, carrier: &str) -> Answer {
        let answer = self
            .post("/trackings/post", json!({"tracking_number": number, "carrier_code": carrier}))
            .await;
        assert_eq!(answer.code(), 200, "create {number}: {}", answer.text);
        answer
    }

    /// Sends a request that must be rejected with `code`, and checks that the state snapshot
    /// is byte-identical before and after.
    pub async fn rejected(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        key: Option<&str>,
        code: i64,
    ) -> Answer {
        let before = self.snapshot().await;
        let answer = self.send(method.clone(), path, body.clone(), key, true).await;
        assert_eq!(answer.code(), code, "{method} {path} {body:?}: {}", answer.text);
        assert_eq!(answer.json["data"], json!([]), "errors carry data []: {}", answer.text);
        assert_eq!(self.snapshot().await, before, "{method} {path} {body:?} changed the state");
        answer
    }

    /// [`Harness::rejected`] with the account's key and a JSON body.
    pub async fn rejects(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        code: i64,
    ) -> Answer {
        let key = self.key.clone();
        self.rejected(method, path, body.map(|b| b.to_string()), Some(&key), code).await
    }
}
