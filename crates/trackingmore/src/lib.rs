#![doc = include_str!("../README.md")]
//!
//! # Why these dependencies
//!
//! - `progenitor-client`, `reqwest` (rustls), `serde`, `serde_json`: the generated client
//!   and its transport; rustls means no system OpenSSL.
//! - `tokio`: timers for backoff, the task-local that carries each call's record from
//!   the hooks to the facade, and the task that keeps request timeouts from waking the
//!   runtime (see `keeper.rs`).
//! - `governor`: the client-side rate limiter (GCRA), so that the API's 1/s and 3/s limits
//!   are kept rather than discovered through 429 and a two-minute pause.
//! - `rand`: full jitter in retry backoff, so that many clients do not retry in step.
//! - `httpdate`: `Retry-After` may be an HTTP date rather than seconds.
//! - `hmac`, `sha2`, `hex`: webhook signatures (hex HMAC-SHA256 of `timeStr`, keyed with
//!   the account e-mail); `subtle`: comparing them in constant time.
//! - `http`, `bytes`: rebuilding a response from the body the hooks already read, for
//!   calls made through the generated builders.
//! - `url`: redacting credentials from URLs before they are logged.
//! - `chrono`: the two date shapes of the API ([`Timestamp`]).
//! - `futures`: [`Trackings::list_all`] as a `Stream`, and bounded concurrency in batches.
//! - `thiserror`, `tracing`: the error type and the logs.
//! - `pin-project-lite`: keeping a call's future and its output in one allocation
//!   (`slot.rs`) without unsafe code.

#![warn(missing_docs)]

pub mod batch;
mod client;
pub mod config;
mod envelope;
pub mod error;
// The generated `Client::new` unwraps the reqwest builder; the facade never calls it (it
// builds its own reqwest client), and generated code is not edited by hand.
#[allow(clippy::unwrap_used)]
mod generated;
mod groups;
pub mod hooks;
mod keeper;
mod lenient;
mod limiter;
pub mod model;
pub mod operation;
mod slot;
mod trackings;
pub mod webhook;

pub use batch::{BatchResult, Done, ItemError};
pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, RateLimit,
    RateLimits, RetryPolicy,
};
pub use envelope::Response;
pub use error::{ApiError, Error, MetaCode, Result, TransportKind};
pub use generated::{builder, types};
pub use groups::{Account, Carriers, CountFilters, Lane, Place, Tools};
pub use hooks::{ApiKey, InvalidApiKey};
pub use lenient::{TimelineEntry, Timestamp, When};
pub use operation::Operation;
pub use trackings::{
    LIST_ALL_PAGE_SIZE, ListFilters, MAX_LIST_ENTRIES, MAX_PAGE_SIZE, NewTracking, TrackingChanges,
    TrackingId, Trackings,
};

/// The generated client, with one builder method per operation of the document.
pub use generated::Client as GeneratedClient;

/// Re-exported so that [`Client::raw`] can be called without naming reqwest.
pub use reqwest::Method;
