//! The bodies of the fuzz targets; the libFuzzer binaries in `fuzz_targets/` call them.
//!
//! Each target reads its input in a small text format, so that the seed corpus is readable
//! and a crashing input can be pasted into a regression test as it is:
//!
//! - [`decode_answer`] reads `<operationId> <http status>\n<body>`.
//! - [`webhook`] reads `<e-mail>\n<timeStr>\n<body>`.
//! - [`sandbox_requests`] reads up to four requests separated by a line `%%`, each
//!   `<METHOD> <path>\n<Header: value>...\n\n<body>`.
//!
//! A part that does not parse falls back to a value derived from the bytes, so every input
//! reaches the code under test.

use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};
use trackingmore::{Client, Error, MetaCode, Operation, types, webhook};

/// The instant a fuzzed webhook is verified at: the sandbox's virtual start.
const NOW: u64 = 1_767_571_200;

/// Splits off the first line (without its `\n`).
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|byte| *byte == b'\n') {
        Some(end) => (&data[..end], &data[end + 1..]),
        None => (data, &[]),
    }
}

/// A client that never sends anything: only its decoding is used.
fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::new("http://127.0.0.1:9/v2", "fuzz-key").expect("a client for loopback builds")
    })
}

/// `<operationId> <status>`, or an operation picked by the bytes and status 200.
fn decode_header(header: &[u8]) -> (Operation, StatusCode) {
    let text = String::from_utf8_lossy(header);
    let mut words = text.split_whitespace();
    let named = words.next().and_then(Operation::from_id);
    let sum = header.iter().map(|byte| usize::from(*byte)).sum::<usize>();
    let fallback = Operation::ALL[sum % Operation::ALL.len()];
    let status = words
        .next()
        .and_then(|word| word.parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::OK);
    (named.unwrap_or(fallback), status)
}

/// One answer through the facade's envelope rules and typed decoding.
///
/// Whatever the bytes, the outcome is a typed result: no panic, an error keeps the body byte
/// for byte, a success has a success code, and the decoded data survives being encoded and
/// decoded again unchanged.
pub fn decode_answer(data: &[u8]) {
    let (header, body) = line(data);
    let (operation, status) = decode_header(header);
    let body = Bytes::copy_from_slice(body);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    if header.ends_with(b" retry") {
        headers.insert("retry-after", HeaderValue::from_static("3"));
    }

    match client().decode_answer(operation, status, headers.clone(), body.clone()) {
        Ok(response) => {
            let code = response.meta_code();
            assert!(code.is_success() || code == MetaCode::PartiallyAccepted, "{code:?} accepted");
            // Decoding what was decoded gives the same data: nothing is lost or changed.
            let again = json!({"meta": response.meta(), "data": response.data()});
            let again = Bytes::from(again.to_string());
            let second = client()
                .decode_answer(operation, status, headers, again)
                .unwrap_or_else(|error| panic!("re-decoding failed: {error}"));
            assert_eq!(second.data(), response.data(), "decode is stable");
        }
        Err(error) => {
            let _ = (error.to_string(), format!("{error:?}"), error.is_retryable());
            let _ = (error.meta_code(), error.http_status());
            if let Some(kept) = error.body() {
                assert_eq!(kept, &body, "an error keeps the body as it came");
            }
            assert!(
                !matches!(error, Error::InvalidArgument(_) | Error::Config { .. }),
                "a received answer is never an argument error: {error}"
            );
        }
    }

    // The helpers users call on decoded trackings must cope with any values too.
    if let Ok(envelope) = serde_json::from_slice::<types::GetTrackingResponse>(&body)
        && let Some(tracking) = envelope.data
    {
        look_at(&tracking);
    }
    if let Ok(envelope) = serde_json::from_slice::<types::ListTrackingsResponse>(&body) {
        envelope.data.and_then(|page| page.items).iter().flatten().for_each(look_at);
    }
}

/// Calls every lenient helper of a tracking.
fn look_at(tracking: &types::Tracking) {
    for entry in tracking.timeline() {
        let time = entry.time();
        let _ = (time.naive(), time.to_utc(), time.to_string());
    }
    let _ = (tracking.created_time(), tracking.updated_time());
    let _ = (tracking.customer_emails(), tracking.is_archived());
    let _ = tracking.status.as_ref().map(|status| (status.as_str().len(), status.is_known()));
}

/// A webhook push through `parse` and `verify_at`, and the round trip `sign` → `verify_at`
/// for the e-mail and `timeStr` of the input.
pub fn webhook(data: &[u8]) {
    let (email, rest) = line(data);
    let (time_str, body) = line(rest);
    let email = String::from_utf8_lossy(email);
    let time_str = String::from_utf8_lossy(time_str);
    let now = UNIX_EPOCH + Duration::from_secs(NOW);

    if let Ok(event) = webhook::parse(body) {
        look_at(&event.tracking);
        let _ = event.sent_at();
    }
    if let Err(error) = webhook::verify_at(body, &email, Duration::from_secs(300), now) {
        let _ = (error.to_string(), format!("{error:?}"));
    }

    // A push signed for this e-mail verifies at its own time, and for no other e-mail.
    let signed = json!({
        "meta": {"code": 200, "type": "Success", "message": "Success"},
        "data": {"tracking_number": "FUZZ00001", "carrier_code": "dhl", "status": "transit"},
        "verifyInfo": {"timeStr": &*time_str, "signature": webhook::sign(&email, &time_str)},
    })
    .to_string();
    let sent = time_str
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|seconds| UNIX_EPOCH.checked_add(Duration::from_secs(seconds)));
    let verified =
        webhook::verify_at(signed.as_bytes(), &email, Duration::ZERO, sent.unwrap_or(now));
    match (sent, verified) {
        (Some(_), Ok(event)) => assert_eq!(event.time_str.as_deref(), Some(&*time_str)),
        (None, Err(webhook::WebhookError::BadTime(_))) => {}
        (sent, outcome) => panic!("signed push for {sent:?}: {outcome:?}"),
    }
    let forged = webhook::verify_at(signed.as_bytes(), &format!("{email}x"), Duration::MAX, now);
    assert!(matches!(forged, Err(webhook::WebhookError::BadSignature)), "{forged:?}");
}

/// One request of a sandbox input: method, path and query, headers, body.
#[derive(Debug)]
struct RawRequest {
    method: Method,
    path: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

const METHODS: [Method; 6] =
    [Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::PATCH, Method::HEAD];

/// Reads one request; headers that `http` refuses are dropped, the rest is kept as given.
fn raw_request(data: &[u8]) -> RawRequest {
    let (start, mut rest) = line(data);
    let start = String::from_utf8_lossy(start);
    let (method, path) = start.split_once(' ').unwrap_or(("", &start));
    let method = Method::from_bytes(method.as_bytes())
        .unwrap_or_else(|_| METHODS[data.first().map_or(0, |b| usize::from(*b)) % 6].clone());

    let mut headers = Vec::new();
    loop {
        let (header, after) = line(rest);
        rest = after;
        if header.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(header);
        let Some((name, value)) = text.split_once(':') else { continue };
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name.trim().as_bytes()), HeaderValue::from_str(value.trim()))
        {
            headers.push((name, value));
        }
    }

    // Every request goes to the v2 API; the admin API is not part of the contract.
    let path = path.trim();
    let path = if path == "/v2" || path.starts_with("/v2/") || path.starts_with("/v2?") {
        path.to_owned()
    } else if path.starts_with('/') {
        format!("/v2{path}")
    } else {
        format!("/v2/{path}")
    };
    RawRequest { method, path, headers, body: Bytes::copy_from_slice(rest) }
}

/// The requests of an input, separated by lines that read `%%`.
fn raw_requests(data: &[u8]) -> Vec<RawRequest> {
    let mut requests = Vec::new();
    let mut rest = data;
    while requests.len() < 4 {
        match rest.windows(4).position(|window| window == b"\n%%\n") {
            Some(at) => {
                requests.push(raw_request(&rest[..at]));
                rest = &rest[at + 4..];
            }
            None => {
                requests.push(raw_request(rest));
                break;
            }
        }
    }
    requests
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds")
    })
}

/// One in-memory sandbox for the process: no rate limits, a quota that never runs out.
///
/// Building a router per input would cost more than the requests themselves; a reset puts
/// the state back where a fresh sandbox starts, so every input still runs alone.
fn sandbox() -> &'static (axum::Router, trackingmore_sandbox::Admin, String) {
    static SANDBOX: OnceLock<(axum::Router, trackingmore_sandbox::Admin, String)> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        let config = trackingmore_sandbox::Config::with_api_key("fuzz-key")
            .quota(u64::MAX / 2)
            .rate_limits(trackingmore_sandbox::RateLimits::off());
        let api_key = config.accounts()[0].api_key.clone();
        let state = trackingmore_sandbox::AppState::new(config).expect("a memory store opens");
        let admin = trackingmore_sandbox::Admin::new(state.clone());
        (trackingmore_sandbox::router(state), admin, api_key)
    })
}

/// Up to four requests through the sandbox's router, in-process, from the start state.
///
/// Every answer is HTTP 200 with a v2 envelope (JSON, `meta.code`, `meta.type`,
/// `meta.message`, `data`; `data: []` on errors); an error leaves the state as it was; and
/// a success of a documented operation decodes with the client.
pub fn sandbox_requests(data: &[u8]) {
    use tower::ServiceExt;

    let (router, admin, api_key) = sandbox();
    admin.reset().expect("a memory store resets");
    for raw in raw_requests(data) {
        let mut builder = http::Request::builder().method(raw.method.clone()).uri(&raw.path);
        let has_key = raw.headers.iter().any(|(name, _)| name == "trackingmore-api-key");
        for (name, value) in &raw.headers {
            builder = builder.header(name, value);
        }
        if !has_key {
            builder = builder.header("trackingmore-api-key", api_key);
        }
        // A request `http` cannot represent never reaches a server either.
        let Ok(request) = builder.body(axum::body::Body::from(raw.body.clone())) else { continue };

        let before = admin.snapshot();
        let (status, headers, body) = runtime().block_on(async {
            let response = router.clone().oneshot(request).await.expect("routers are infallible");
            let (parts, body) = response.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.expect("bodies are in memory");
            (parts.status, parts.headers, body)
        });

        // HEAD is answered by the GET handler without a body, as HTTP wants.
        if raw.method == Method::HEAD {
            assert!(status == StatusCode::OK && body.is_empty(), "{raw:?}: {status}");
            continue;
        }
        let code = check_envelope(&raw, status, &headers, &body);
        if !matches!(code, 200 | 201) {
            assert_eq!(admin.snapshot(), before, "{raw:?} answered {code} and changed the state");
        }
        cross_check(&raw, status, headers, body, code);
    }
}

/// Checks the envelope of one answer and returns its `meta.code`.
fn check_envelope(raw: &RawRequest, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> u64 {
    let shown = String::from_utf8_lossy(body);
    assert_eq!(status, StatusCode::OK, "{raw:?}: {shown}");
    let content_type = headers.get("content-type").and_then(|value| value.to_str().ok());
    assert_eq!(content_type, Some("application/json"), "{raw:?}");

    let envelope: Value =
        serde_json::from_slice(body).unwrap_or_else(|error| panic!("{raw:?}: {error}: {shown}"));
    let meta = &envelope["meta"];
    let code = meta["code"].as_u64().unwrap_or_else(|| panic!("{raw:?}: no meta.code: {shown}"));
    assert!(meta["type"].is_string() && meta["message"].is_string(), "{raw:?}: {shown}");
    let keys: Vec<&String> =
        envelope.as_object().map(|map| map.keys().collect()).unwrap_or_default();
    assert_eq!(keys.len(), 2, "{raw:?}: meta and data only: {shown}");
    assert!(body.starts_with(br#"{"meta":"#), "{raw:?}: meta comes first: {shown}");
    if !matches!(code, 200 | 201) {
        assert_eq!(envelope["data"], json!([]), "{raw:?}: errors carry no data: {shown}");
    }
    code
}

/// What the client makes of the sandbox's answer: a success decodes, an error keeps its code.
fn cross_check(raw: &RawRequest, status: StatusCode, headers: HeaderMap, body: Bytes, code: u64) {
    let relative = raw.path.strip_prefix("/v2").unwrap_or(&raw.path);
    let Some(operation) = Operation::match_route(&raw.method, relative) else { return };
    let shown = String::from_utf8_lossy(&body).into_owned();
    match client().decode_answer(operation, status, headers, body) {
        Ok(_) => assert!(matches!(code, 200 | 201), "{raw:?}: {code} decoded as a success"),
        Err(error) => {
            assert!(!matches!(code, 200 | 201), "{operation}: {raw:?}: {error}: {shown}");
            let expected = i64::try_from(code).ok().map(MetaCode::from);
            assert_eq!(error.meta_code(), expected, "{raw:?}: {error}");
        }
    }
}
