//! Webhooks: checking that a push comes from TrackingMore, and reading it.
//!
//! A v2 push is a POST whose JSON body holds the changed tracking (normally inside the
//! usual `{meta, data}` envelope) and `verifyInfo: {timeStr, signature}`. The signature is
//! the lowercase hex HMAC-SHA256 of `timeStr` (unix seconds, as a string) keyed with the
//! account's registered e-mail address. [`verify`] recomputes it and compares in constant
//! time, so the comparison leaks nothing about the expected value; it also refuses a
//! `timeStr` outside a freshness window, so that a captured push cannot be replayed later.
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use trackingmore::webhook;
//!
//! let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs().to_string();
//! let body = format!(
//!     r#"{{"meta":{{"code":200}},"data":{{"tracking_number":"RR1","carrier_code":"dhl","status":"delivered"}},
//!        "verifyInfo":{{"timeStr":"{now}","signature":"{}"}}}}"#,
//!     webhook::sign("dev@example.org", &now),
//! );
//! let event = webhook::verify(body.as_bytes(), "dev@example.org", Duration::from_secs(300)).unwrap();
//! assert_eq!(event.tracking.tracking_number.as_deref(), Some("RR1"));
//! assert!(webhook::verify(body.as_bytes(), "someone@else.org", Duration::from_secs(300)).is_err());
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::types;

/// Why a push was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is not the JSON of a push.
    #[error("the webhook body is not a tracking push")]
    Malformed(#[source] serde_json::Error),
    /// `verifyInfo.timeStr` or `verifyInfo.signature` is missing.
    #[error("the webhook carries no signature: {0}")]
    Unsigned(&'static str),
    /// The signature does not match the body's `timeStr` and the given e-mail.
    #[error("the webhook signature does not match")]
    BadSignature,
    /// `timeStr` is not unix seconds.
    #[error("the webhook time is not unix seconds: {0:?}")]
    BadTime(String),
    /// `timeStr` lies outside the freshness window.
    #[error("the webhook is outside the freshness window by {}s: {time_str}", off_by.as_secs())]
    Stale {
        /// The push's `timeStr`.
        time_str: String,
        /// How far outside the window it is.
        off_by: Duration,
    },
}

/// A verified (or merely parsed) push.
#[derive(Clone, Debug)]
pub struct WebhookEvent {
    /// The tracking as it is after the change.
    pub tracking: types::Tracking,
    /// The envelope's `meta`, when the push had one.
    pub meta: Option<types::Meta>,
    /// `verifyInfo.timeStr`, when present.
    pub time_str: Option<String>,
    /// `verifyInfo.signature`, when present.
    pub signature: Option<String>,
}

impl WebhookEvent {
    /// When the push was signed, from `timeStr`.
    pub fn sent_at(&self) -> Option<SystemTime> {
        let seconds: u64 = self.time_str.as_deref()?.trim().parse().ok()?;
        UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
    }
}

/// The signature TrackingMore puts on a push sent at `time_str` to the account `email`.
pub fn sign(email: &str, time_str: &str) -> String {
    hex::encode(mac(email, time_str).finalize().into_bytes())
}

fn mac(email: &str, time_str: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(email.as_bytes())
        .expect("hmac takes keys of any length");
    mac.update(time_str.as_bytes());
    mac
}

/// Reads a push without checking its signature.
///
/// Accepts the envelope form (`{meta, data, verifyInfo}`) and a bare tracking object.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let payload: types::WebhookPayload =
        serde_json::from_slice(body).map_err(WebhookError::Malformed)?;
    let verify = payload.verify_info;
    let (time_str, signature) = match verify {
        Some(info) => (info.time_str, info.signature),
        None => (None, None),
    };
    let tracking = match payload.data {
        Some(tracking) => tracking,
        // No envelope: the body itself is the tracking.
        None => serde_json::from_slice(body).map_err(WebhookError::Malformed)?,
    };
    Ok(WebhookEvent { tracking, meta: payload.meta, time_str, signature })
}

/// Checks a push's signature against the account `email` and its `timeStr` against now,
/// allowing `tolerance` either way; returns the push.
pub fn verify(body: &[u8], email: &str, tolerance: Duration) -> Result<WebhookEvent, WebhookError> {
    verify_at(body, email, tolerance, SystemTime::now())
}

/// [`verify`] against a given `now` (for a sandbox whose clock is virtual, or tests).
pub fn verify_at(
    body: &[u8],
    email: &str,
    tolerance: Duration,
    now: SystemTime,
) -> Result<WebhookEvent, WebhookError> {
    let event = parse(body)?;
    let time_str = event.time_str.as_deref().ok_or(WebhookError::Unsigned("timeStr"))?;
    let signature = event.signature.as_deref().ok_or(WebhookError::Unsigned("signature"))?;

    // Compare raw MAC bytes in constant time; a signature that is not hex cannot match.
    let expected = mac(email, time_str).finalize().into_bytes();
    let given = hex::decode(signature.trim().to_ascii_lowercase()).unwrap_or_default();
    if !bool::from(given.as_slice().ct_eq(expected.as_slice())) {
        return Err(WebhookError::BadSignature);
    }

    let sent = event.sent_at().ok_or_else(|| WebhookError::BadTime(time_str.to_owned()))?;
    let off = match now.duration_since(sent) {
        Ok(age) => age,
        Err(ahead) => ahead.duration(),
    };
    if off > tolerance {
        return Err(WebhookError::Stale { time_str: time_str.to_owned(), off_by: off - tolerance });
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(time_str: &str, signature: &str) -> String {
        format!(
            r#"{{"meta":{{"code":200,"type":"Success","message":"Success"}},
                "data":{{"tracking_number":"UJ004219561CN","carrier_code":"china-post",
                         "status":"in_orbit","x_new":1}},
                "verifyInfo":{{"timeStr":"{time_str}","signature":"{signature}"}}}}"#
        )
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn a_signed_fresh_push_verifies() {
        let signature = sign("dev@example.org", "1567405200");
        let push = body("1567405200", &signature);
        let event = verify_at(
            push.as_bytes(),
            "dev@example.org",
            Duration::from_secs(60),
            at(1_567_405_230),
        )
        .expect("valid push");
        assert_eq!(event.tracking.status, Some(crate::model::Status::Unknown("in_orbit".into())));
        assert!(event.tracking.extra.contains_key("x_new"));
        // Upper-case hex is the same signature.
        let upper = body("1567405200", &signature.to_ascii_uppercase());
        assert!(
            verify_at(
                upper.as_bytes(),
                "dev@example.org",
                Duration::from_secs(60),
                at(1_567_405_200)
            )
            .is_ok()
        );
    }

    #[test]
    fn forged_stale_and_unsigned_pushes_are_refused() {
        let signature = sign("dev@example.org", "1567405200");
        let push = body("1567405200", &signature);
        let tolerance = Duration::from_secs(60);
        assert!(matches!(
            verify_at(push.as_bytes(), "other@example.org", tolerance, at(1_567_405_200)),
            Err(WebhookError::BadSignature)
        ));
        assert!(matches!(
            verify_at(push.as_bytes(), "dev@example.org", tolerance, at(1_567_405_400)),
            Err(WebhookError::Stale { .. })
        ));
        let bare = br#"{"tracking_number":"X1","status":"transit"}"#;
        assert!(matches!(
            verify_at(bare, "dev@example.org", tolerance, at(0)),
            Err(WebhookError::Unsigned("timeStr"))
        ));
        let event = parse(bare).expect("a bare tracking parses");
        assert_eq!(event.tracking.tracking_number.as_deref(), Some("X1"));
        assert!(matches!(parse(b"<html>"), Err(WebhookError::Malformed(_))));
    }
}
