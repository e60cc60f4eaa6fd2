//! A typed client for the TrackingMore v2 shipment-tracking API.
//!
//! The client is generated at build time from `openapi/trackingmore-v2.yaml`; the modules
//! here are the hand-written parts around it.

#![warn(missing_docs)]

mod generated;
pub mod hooks;
pub mod model;

pub use generated::{builder, types};
pub use hooks::{ApiKey, InvalidApiKey};

/// The generated client, with one builder method per operation of the document.
pub use generated::Client as GeneratedClient;

/// The production base URL of the v2 API.
pub const DEFAULT_BASE_URL: &str = "https://api.trackingmore.com/v2";

/// A client for the v2 API.
#[derive(Clone, Debug)]
pub struct Client {
    api: generated::Client,
}

impl Client {
    /// A client for `base_url` (e.g. [`DEFAULT_BASE_URL`]) that sends `api_key` on every call.
    pub fn new(base_url: &str, api_key: &str) -> Result<Self, InvalidApiKey> {
        let api_key = ApiKey::new(api_key)?;
        let http = reqwest::Client::new();
        let inner = hooks::Inner::new(api_key);
        Ok(Client { api: generated::Client::new_with_client(base_url, http, inner) })
    }

    /// The generated client, for full control over every request.
    pub fn api(&self) -> &GeneratedClient {
        &self.api
    }
}
