//! What every request goes through: the API key header, and the hooks progenitor calls.
//!
//! progenitor generates no authentication from `securitySchemes`, and sends an
//! `api-version` header the real API has no use for; `pre` fixes both on every request.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};

use crate::generated::Client;

/// The header v2 reads the API key from.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("trackingmore-api-key");

/// An API key. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct ApiKey(HeaderValue);

impl ApiKey {
    /// Checks that `key` can travel in an HTTP header; the message never repeats the key.
    pub fn new(key: &str) -> Result<Self, InvalidApiKey> {
        if key.trim().is_empty() {
            return Err(InvalidApiKey("it is empty"));
        }
        let mut value =
            HeaderValue::from_str(key).map_err(|_| InvalidApiKey("it is not visible ASCII"))?;
        // Marked sensitive, the value is also hidden from reqwest's and http's own Debug.
        value.set_sensitive(true);
        Ok(ApiKey(value))
    }

    pub(crate) fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The API key cannot be used; the reason never includes the key itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the API key cannot be used: {0}")]
pub struct InvalidApiKey(&'static str);

/// State the generated client carries for the hooks.
#[derive(Clone, Debug)]
pub struct Inner {
    pub(crate) api_key: ApiKey,
}

impl Inner {
    pub(crate) fn new(api_key: ApiKey) -> Self {
        Inner { api_key }
    }
}

impl ClientHooks<Inner> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        headers.remove("api-version");
        headers.insert(API_KEY_HEADER, self.inner().api_key.header_value());
        Ok(())
    }
}
