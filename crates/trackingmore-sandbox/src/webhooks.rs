//! Outbound webhooks: signed v2 pushes to the URLs registered through the admin API, retried
//! with backoff, with a log of every attempt.
//!
//! The body is the v2 envelope around the Tracking object plus
//! `verifyInfo: {timeStr, signature}`, where `signature` is the lowercase hex HMAC-SHA256 of
//! `timeStr` keyed by the account's e-mail. `timeStr` is the virtual instant of the status
//! change, not the wall clock, so deliveries are reproducible; a receiver that checks
//! freshness must compare against the sandbox clock. Each URL has its own queue worked in
//! order, so a receiver sees a tracking's statuses in the order they happened, and a failing
//! receiver delays only itself. Only plain `http://` URLs are supported.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::model::{Status, TrackingRecord};

/// A status change to announce.
#[derive(Clone, Debug)]
pub struct WebhookEvent {
    pub account: String,
    pub record: TrackingRecord,
    /// Virtual instant of the change (unix seconds); the payload shows the tracking as of then.
    pub at: i64,
    pub status: Status,
}

/// One delivery attempt, as `GET /__admin/webhooks/deliveries` shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Delivery {
    /// The same for every attempt of one delivery.
    pub delivery: u64,
    /// 1 for the first try.
    pub attempt: u32,
    /// Where it was sent.
    pub url: String,
    /// The tracking whose status changed.
    pub tracking_number: String,
    /// Its carrier code.
    pub carrier_code: String,
    /// The new status.
    pub status: String,
    /// `timeStr` of the payload.
    pub time_str: String,
    /// The receiver's HTTP status, `None` when there was no answer.
    pub http_status: Option<u16>,
    /// Why there was no answer.
    pub error: Option<String>,
    /// Whether the receiver answered 2xx.
    pub ok: bool,
    /// Wall-clock time of the attempt, RFC 3339.
    pub attempted_at: String,
}

struct Job {
    delivery: u64,
    url: String,
    body: Bytes,
    tracking_number: String,
    carrier_code: String,
    status: String,
    time_str: String,
}

/// The per-URL queues and the shared delivery log.
#[derive(Debug)]
pub struct WebhookHub {
    retries: Vec<Duration>,
    timeout: Duration,
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<Job>>>,
    log: Arc<Mutex<Vec<Delivery>>>,
    next: Mutex<u64>,
}

/// The signature of a v2 webhook: hex HMAC-SHA256 of `time_str` keyed by `email`.
pub fn signature(email: &str, time_str: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(email.as_bytes())
        .unwrap_or_else(|_| unreachable!("hmac accepts keys of any length"));
    mac.update(time_str.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl WebhookHub {
    pub fn new(retries: Vec<Duration>, timeout: Duration) -> WebhookHub {
        WebhookHub {
            retries,
            timeout,
            queues: Mutex::new(HashMap::new()),
            log: Arc::new(Mutex::new(Vec::new())),
            next: Mutex::new(0),
        }
    }

    /// Queues one signed delivery of `tracking` to `url`.
    pub fn deliver(&self, url: &str, email: &str, event: &WebhookEvent, tracking: &Value) {
        let time_str = event.at.to_string();
        let body = json!({
            "meta": {"code": 200, "type": "Success", "message": "Success"},
            "data": tracking,
            "verifyInfo": {"timeStr": time_str, "signature": signature(email, &time_str)},
        });
        let delivery = {
            let mut next = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *next += 1;
            *next
        };
        let job = Job {
            delivery,
            url: url.to_owned(),
            body: Bytes::from(body.to_string()),
            tracking_number: event.record.tracking_number.to_string(),
            carrier_code: event.record.carrier_code.to_string(),
            status: event.status.as_str().to_owned(),
            time_str,
        };

        let mut queues = self.queues.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let sender = queues.entry(url.to_owned()).or_insert_with(|| self.spawn_worker());
        if let Err(error) = sender.send(job) {
            // The worker is gone (its runtime shut down): record the loss instead of hiding it.
            let job = error.0;
            self.record(&job, 1, None, Some("no delivery worker running".to_owned()));
        }
    }

    /// Starts the worker of one URL's queue on the current tokio runtime.
    fn spawn_worker(&self) -> mpsc::UnboundedSender<Job> {
        let (sender, mut receiver) = mpsc::unbounded_channel::<Job>();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("webhook queued outside a tokio runtime; it will not be delivered");
            return sender;
        };
        let retries = self.retries.clone();
        let timeout = self.timeout;
        let log = Arc::clone(&self.log);
        runtime.spawn(async move {
            while let Some(job) = receiver.recv().await {
                work(&job, &retries, timeout, &log).await;
            }
        });
        sender
    }

    fn record(&self, job: &Job, attempt: u32, http_status: Option<u16>, error: Option<String>) {
        push_log(&self.log, job, attempt, http_status, error);
    }

    /// Every attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn clear_log(&self) {
        self.log.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}

/// Tries one delivery until it succeeds or the retry schedule runs out.
async fn work(job: &Job, retries: &[Duration], timeout: Duration, log: &Mutex<Vec<Delivery>>) {
    let mut attempt = 1;
    loop {
        let outcome = tokio::time::timeout(timeout, post(&job.url, job.body.clone())).await;
        let (status, error) = match outcome {
            Ok(Ok(status)) => (Some(status), None),
            Ok(Err(error)) => (None, Some(error)),
            Err(_) => (None, Some(format!("timed out after {} ms", timeout.as_millis()))),
        };
        let ok = status.is_some_and(|status| (200..300).contains(&status));
        push_log(log, job, attempt, status, error);
        if ok {
            return;
        }
        let Some(delay) = retries.get(attempt as usize - 1) else {
            tracing::debug!(url = %job.url, attempts = attempt, "webhook delivery abandoned");
            return;
        };
        tokio::time::sleep(*delay).await;
        attempt += 1;
    }
}

fn push_log(
    log: &Mutex<Vec<Delivery>>,
    job: &Job,
    attempt: u32,
    http_status: Option<u16>,
    error: Option<String>,
) {
    let entry = Delivery {
        delivery: job.delivery,
        attempt,
        url: job.url.clone(),
        tracking_number: job.tracking_number.clone(),
        carrier_code: job.carrier_code.clone(),
        status: job.status.clone(),
        time_str: job.time_str.clone(),
        ok: http_status.is_some_and(|status| (200..300).contains(&status)),
        http_status,
        error,
        attempted_at: chrono::Utc::now().to_rfc3339(),
    };
    log.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(entry);
}

/// One HTTP/1.1 POST; the answer's status, or why there was none.
async fn post(url: &str, body: Bytes) -> Result<u16, String> {
    let uri: hyper::Uri = url.parse().map_err(|error| format!("invalid url: {error}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("unsupported scheme (only http): {url}"));
    }
    let host = uri.host().ok_or_else(|| format!("url without host: {url}"))?;
    let port = uri.port_u16().unwrap_or(80);
    let authority = uri.authority().map(|authority| authority.to_string()).unwrap_or_default();
    let path = uri.path_and_query().map_or("/", |path| path.as_str()).to_owned();

    let stream = tokio::net::TcpStream::connect((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|error| format!("connect failed: {error}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("handshake failed: {error}"))?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "webhook connection ended with an error");
        }
    });

    let request = Request::post(path)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, "trackingmore-sandbox")
        .body(Full::new(body))
        .map_err(|error| format!("invalid request: {error}"))?;
    let response =
        sender.send_request(request).await.map_err(|error| format!("send failed: {error}"))?;
    Ok(response.status().as_u16())
}
