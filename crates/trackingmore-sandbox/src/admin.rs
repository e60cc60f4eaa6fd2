//! The admin API under `/__admin` and its in-process twin, [`Admin`].
//!
//! The admin API is how tests steer the sandbox: move the virtual clock, reset, inject faults,
//! register webhook receivers, set quotas and read the journal and a state snapshot. It needs
//! no API key, is never journalled or faulted, and answers plain JSON (no v2 envelope);
//! errors are `{"error": "..."}` with a 4xx status.

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use crate::envelope::ApiError;
use crate::faults::Fault;
use crate::input::JsonBody;
use crate::journal::JournalEntry;
use crate::state::AppState;
use crate::webhooks::Delivery;
use crate::{SandboxError, clock};

/// An admin call that could not be carried out.
#[derive(Debug)]
struct AdminError(StatusCode, String);

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({"error": self.1}))).into_response()
    }
}

impl From<ApiError> for AdminError {
    fn from(error: ApiError) -> AdminError {
        // Store failures are ours, anything else (4012 from a body, 4001 from a key) is the
        // caller's.
        let status = if error.code.0 == 500 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        AdminError(status, error.detail)
    }
}

type AdminResult = Result<axum::Json<Value>, AdminError>;

/// The admin routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/__admin/clock", get(clock_now))
        .route("/__admin/clock/advance", post(advance))
        .route("/__admin/reset", post(reset))
        .route("/__admin/state", get(state_snapshot))
        .route("/__admin/requests", get(requests).delete(clear_requests))
        .route("/__admin/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/__admin/webhooks", get(list_webhooks).post(add_webhook).delete(clear_webhooks))
        .route("/__admin/webhooks/deliveries", get(deliveries))
        .route("/__admin/accounts/{key}/quota", put(set_quota))
}

fn clock_json(now: i64) -> Value {
    json!({"now": now, "iso": clock::iso(now)})
}

async fn clock_now(State(state): State<AppState>) -> AdminResult {
    Ok(axum::Json(clock_json(state.now())))
}

async fn advance(State(state): State<AppState>, body: JsonBody) -> AdminResult {
    let body = body.object()?;
    let seconds =
        body.get("seconds").and_then(Value::as_i64).filter(|seconds| *seconds >= 0).ok_or_else(
            || AdminError(StatusCode::BAD_REQUEST, "seconds must be a non-negative integer".into()),
        )?;
    Ok(axum::Json(clock_json(state.advance_clock(seconds)?)))
}

async fn reset(State(state): State<AppState>) -> AdminResult {
    state.reset()?;
    Ok(axum::Json(json!({"reset": true})))
}

async fn state_snapshot(State(state): State<AppState>) -> AdminResult {
    Ok(axum::Json(state.snapshot()))
}

async fn requests(State(state): State<AppState>) -> AdminResult {
    Ok(axum::Json(json!(state.shared.journal.entries())))
}

async fn clear_requests(State(state): State<AppState>) -> AdminResult {
    state.shared.journal.clear();
    Ok(axum::Json(json!({"cleared": true})))
}

async fn list_faults(State(state): State<AppState>) -> AdminResult {
    Ok(axum::Json(json!(state.shared.faults.list())))
}

async fn add_fault(State(state): State<AppState>, body: JsonBody) -> AdminResult {
    let value = body.0.ok_or_else(|| AdminError(StatusCode::BAD_REQUEST, "empty body".into()))?;
    let fault: Fault = serde_json::from_value(value)
        .map_err(|error| AdminError(StatusCode::BAD_REQUEST, format!("invalid fault: {error}")))?;
    state.shared.faults.add(fault.clone());
    Ok(axum::Json(json!(fault)))
}

async fn clear_faults(State(state): State<AppState>) -> AdminResult {
    state.shared.faults.clear();
    Ok(axum::Json(json!({"cleared": true})))
}

async fn list_webhooks(State(state): State<AppState>) -> AdminResult {
    Ok(axum::Json(json!(state.world().webhooks.clone())))
}

async fn add_webhook(State(state): State<AppState>, body: JsonBody) -> AdminResult {
    let body = body.object()?;
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .filter(|url| url.starts_with("http://"))
        .ok_or_else(|| AdminError(StatusCode::BAD_REQUEST, "url must be an http:// url".into()))?;
    state.add_webhook(url)?;
    Ok(axum::Json(json!({"url": url})))
}

async fn clear_webhooks(State(state): State<AppState>) -> AdminResult {
    state.clear_webhooks()?;
    Ok(axum::Json(json!({"cleared": true})))
}

async fn deliveries(State(state): State<AppState>) -> AdminResult {
    Ok(axum::Json(json!(state.shared.webhooks.deliveries())))
}

async fn set_quota(
    State(state): State<AppState>,
    Path(key): Path<String>,
    body: JsonBody,
) -> AdminResult {
    let body = body.object()?;
    let quota = body.get("quota").and_then(Value::as_u64).ok_or_else(|| {
        AdminError(StatusCode::BAD_REQUEST, "quota must be a non-negative integer".into())
    })?;
    state
        .set_quota(&key, quota)
        .map_err(|_| AdminError(StatusCode::NOT_FOUND, "unknown account".into()))?;
    Ok(axum::Json(json!({"quota": quota})))
}

/// In-process control of a running sandbox, the same operations as the admin API.
#[derive(Clone, Debug)]
pub struct Admin {
    pub(crate) state: AppState,
}

fn failed(error: ApiError) -> SandboxError {
    SandboxError::Admin(error.detail)
}

impl Admin {
    /// An admin handle on a state (for users that serve [`crate::router`] themselves).
    pub fn new(state: AppState) -> Admin {
        Admin { state }
    }

    /// Moves the virtual clock forward (whole seconds) and fires the webhooks it causes.
    pub fn advance_clock(&self, by: Duration) -> Result<(), SandboxError> {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.state.advance_clock(seconds).map(|_| ()).map_err(failed)
    }

    /// The virtual now, unix seconds.
    pub fn now(&self) -> i64 {
        self.state.now()
    }

    /// Back to the configured start: no trackings, fresh quotas, the start instant, and no
    /// webhooks, faults, journal or delivery log.
    pub fn reset(&self) -> Result<(), SandboxError> {
        self.state.reset().map_err(failed)
    }

    /// Adds a fault rule (see [`Fault`]).
    pub fn inject_fault(&self, fault: Fault) {
        self.state.shared.faults.add(fault);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.shared.faults.clear();
    }

    /// Sets an account's total quota; the remaining quota becomes `quota - used`.
    pub fn set_quota(&self, key: &str, quota: u64) -> Result<(), SandboxError> {
        self.state.set_quota(key, quota).map_err(failed)
    }

    /// Every journalled v2 request, oldest first.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.shared.journal.entries()
    }

    /// Sends status changes of every account to `url` (plain `http://` only).
    pub fn register_webhook(&self, url: &str) -> Result<(), SandboxError> {
        self.state.add_webhook(url).map_err(failed)
    }

    /// Every webhook delivery attempt, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.state.shared.webhooks.deliveries()
    }

    /// Stores `count` trackings of `carrier_code`, numbered `{prefix}{n:010}` with `n` from
    /// 0, in the account of `api_key`, at the virtual now; returns how many were new.
    ///
    /// The records go straight into the store: no quota is charged, nothing is journalled,
    /// no webhook fires, and numbers the account already holds are left alone. This is for
    /// load tests and benchmarks that need a large store (a million trackings take a few
    /// seconds) and has no HTTP twin.
    pub fn seed_trackings(
        &self,
        api_key: &str,
        carrier_code: &str,
        prefix: &str,
        count: u64,
    ) -> Result<u64, SandboxError> {
        self.state.seed(api_key, carrier_code, prefix, count).map_err(failed)
    }

    /// The deterministic state snapshot of `GET /__admin/state`.
    pub fn snapshot(&self) -> Value {
        self.state.snapshot()
    }
}
