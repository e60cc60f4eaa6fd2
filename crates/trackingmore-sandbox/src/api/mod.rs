//! The `/v2` router and the layers every v2 request passes through.
//!
//! From the outside in: the journal records the request and its outcome; fault rules may
//! delay, replace or spoil the answer; API errors are mirrored as HTTP statuses when
//! configured; the guard (routes only) checks the API key and the rate limit; then the handler
//! runs. Unknown routes and wrong methods never reach the guard, so they answer 404/405 even
//! without a key, as a static router in front of the real service would.

mod tools;
mod trackings;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde_json::json;

use crate::envelope::{ApiError, MetaCode, Reply};
use crate::journal::JournalEntry;
use crate::routes;
use crate::state::AppState;

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "Trackingmore-Api-Key";

/// The authenticated account of a request, put there by the guard.
#[derive(Clone, Debug)]
pub struct Caller {
    pub key: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::new(MetaCode::INVALID_API_KEY, "no authenticated caller"))
    }
}

/// Registers a route with and without a trailing slash.
fn both(router: Router<AppState>, path: &str, method: MethodRouter<AppState>) -> Router<AppState> {
    router.route(path, method.clone()).route(&format!("{path}/"), method)
}

/// The v2 API under `/v2`, with its layers.
pub fn v2(state: &AppState) -> Router<AppState> {
    let tracking = get(trackings::get_one).put(trackings::update).delete(trackings::delete_one);
    let mut router = Router::new();
    for (path, method) in [
        ("/v2/trackings/post", post(trackings::create)),
        ("/v2/trackings/{carrier_code}/{tracking_number}", tracking),
        ("/v2/trackings/{carrier_code}/{tracking_number}/{lang}", get(trackings::get_one)),
        ("/v2/trackings/batch", post(trackings::batch)),
        ("/v2/trackings/get", get(trackings::list).post(trackings::list)),
        ("/v2/trackings/updatemore", post(trackings::update_many)),
        ("/v2/trackings/delete", post(trackings::delete_many)),
        ("/v2/trackings/realtime", post(trackings::realtime)),
        ("/v2/trackings/update", post(trackings::change_carrier)),
        ("/v2/trackings/getuserinfo", get(trackings::user_info)),
        ("/v2/trackings/getstatusnumber", get(trackings::status_counts)),
        ("/v2/trackings/notupdate", post(trackings::stop_updating)),
        ("/v2/trackings/remote", post(tools::remote)),
        ("/v2/trackings/costtime", post(tools::transit_times)),
        ("/v2/trackings/aircargo", post(tools::air_cargo)),
        ("/v2/carriers", get(tools::carriers)),
        ("/v2/carriers/detect", post(tools::detect)),
    ] {
        router = both(router, path, method);
    }

    router
        .route_layer(middleware::from_fn_with_state(state.clone(), guard))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), mirror))
        .layer(middleware::from_fn_with_state(state.clone(), faults))
        .layer(middleware::from_fn_with_state(state.clone(), journal))
}

async fn not_found() -> Response {
    ApiError::new(MetaCode::NOT_FOUND, "unknown route").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(MetaCode::METHOD_NOT_ALLOWED, "method not allowed").into_response()
}

/// The operation of a routed request, `None` for unknown routes and wrong methods.
fn operation(request: &Request) -> Option<&'static str> {
    let template = request.extensions().get::<MatchedPath>()?;
    routes::operation_of(request.method(), template.as_str())
}

/// The API key header, if present and readable.
fn api_key(headers: &HeaderMap) -> Option<&str> {
    headers.get(API_KEY_HEADER).and_then(|value| value.to_str().ok()).map(str::trim)
}

/// Authentication (4001) and rate limiting (429) for routed requests.
async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(operation) = operation(&request) else { return next.run(request).await };
    let key = api_key(request.headers()).unwrap_or_default().to_owned();
    let known = !key.is_empty() && state.world().accounts.contains_key(&key);
    if !known {
        return ApiError::new(MetaCode::INVALID_API_KEY, "missing or unknown api key")
            .into_response();
    }

    if let Err(wait) = state.shared.limiter.check(&key, operation) {
        let mut response =
            ApiError::new(MetaCode::RATE_LIMITED, format!("{operation} over its limit"))
                .into_response();
        let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }

    request.extensions_mut().insert(Caller { key });
    next.run(request).await
}

/// Turns API errors into HTTP statuses when `mirror_http_status` is on.
async fn mirror(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if state.config().mirror_http_status
        && let Some(code) = response.extensions().get::<MetaCode>().copied()
        && !code.is_success()
    {
        *response.status_mut() = code.mirrored_http_status();
    }
    response
}

/// Names of the faults applied to a request, shared between the fault layer and the journal:
/// the journal must know them even when the client leaves before the answer.
#[derive(Clone, Debug, Default)]
struct AppliedFaults(Arc<Mutex<Vec<&'static str>>>);

impl AppliedFaults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<&'static str>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Applies the fault rules that match this request.
async fn faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let kinds = state.shared.faults.take(operation(&request), request.uri().path());
    if kinds.is_empty() {
        return next.run(request).await;
    }
    let names: Vec<&'static str> = kinds.iter().map(|kind| kind.name()).collect();
    tracing::debug!(faults = ?names, path = %request.uri().path(), "injecting faults");
    if let Some(applied) = request.extensions().get::<AppliedFaults>() {
        *applied.lock() = names;
    }

    crate::faults::delay(&kinds).await;
    match crate::faults::before_handler(&kinds) {
        Some(response) => response,
        None => crate::faults::after_handler(&kinds, next.run(request).await).await,
    }
}

/// The journal entry of a request in progress. It is written when the answer is ready, or,
/// if the client leaves first (hyper then drops the request's future, during a latency
/// fault for instance), when it is dropped, with the status 499 that proxies use for
/// "client closed request".
struct Unfinished {
    state: AppState,
    method: String,
    path: String,
    route: Option<&'static str>,
    key: Option<String>,
    applied: AppliedFaults,
    written: bool,
}

impl Unfinished {
    fn write(&mut self, http_status: u16, meta_code: Option<u16>) {
        self.written = true;
        let (account, clock) = {
            let world = self.state.world();
            let key = self.key.as_ref();
            let account = key.and_then(|key| world.accounts.get(key)).map(|a| a.email.clone());
            (account, crate::clock::iso(world.now))
        };
        let faults = std::mem::take(&mut *self.applied.lock());
        // DEBUG, not INFO: a library keeps INFO for what its user asked for, and at INFO the
        // binary spent a twentieth of each request formatting this line. `RUST_LOG=debug`
        // shows it.
        let (method, path, route) = (&self.method, &self.path, self.route.unwrap_or("-"));
        if http_status == 499 {
            tracing::debug!(%method, %path, route, "request abandoned by the client");
        } else {
            let meta_code = meta_code.unwrap_or(0);
            tracing::debug!(%method, %path, route, meta_code, http_status, "request handled");
        }
        self.state.shared.journal.record(JournalEntry {
            seq: 0,
            method: std::mem::take(&mut self.method),
            path: std::mem::take(&mut self.path),
            route: self.route,
            meta_code,
            http_status,
            account,
            api_key: self.key.as_ref().map(|_| "<redacted>"),
            clock,
            faults,
        });
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if !self.written {
            self.write(499, None);
        }
    }
}

/// Records every v2 request in the journal.
async fn journal(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let applied = AppliedFaults::default();
    request.extensions_mut().insert(applied.clone());
    let mut entry = Unfinished {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        route: operation(&request),
        key: api_key(request.headers()).map(str::to_owned),
        state,
        applied,
        written: false,
    };
    let response = next.run(request).await;
    let meta_code = response.extensions().get::<MetaCode>().map(|code| code.0);
    entry.write(response.status().as_u16(), meta_code);
    response
}

/// `{"meta":…,"data":[]}` for a success that carries nothing.
pub(crate) fn empty_success() -> Reply {
    Reply::ok(json!([]))
}
