//! The v2 envelope: reading `meta` from any body, and [`Response`], a successful answer's
//! `data` together with what came with it.
//!
//! The rules that turn an envelope into a result are written down in [`crate::error`].

use std::ops::{Deref, DerefMut};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::borrow::Cow;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::MetaCode;
use crate::types;

/// The `meta` block as far as it can be read from an arbitrary body.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ProbedMeta {
    pub(crate) code: Option<i64>,
    pub(crate) kind: Option<String>,
    pub(crate) message: Option<String>,
}

#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow)]
    meta: Option<ProbeMeta<'a>>,
}

#[derive(Deserialize)]
struct ProbeMeta<'a> {
    code: Option<Value>,
    #[serde(rename = "type", borrow)]
    kind: Option<Text<'a>>,
    #[serde(borrow)]
    message: Option<Text<'a>>,
}

/// `meta.type` or `meta.message` as sent: a string borrowed from the body when it has no
/// escapes, any other JSON value as its JSON text, `null` as nothing.
struct Text<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor(PhantomData))
    }
}

struct TextVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Borrowed(text))))
    }

    fn visit_str<E>(self, text: &str) -> Result<Text<'a>, E> {
        Ok(Text(Some(Cow::Owned(text.to_owned()))))
    }

    fn visit_unit<E>(self) -> Result<Text<'a>, E> {
        Ok(Text(None))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Text<'a>, E> {
        Ok(Text::json(Value::from(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Text<'a>, E> {
        Ok(Text::json(Value::from(value)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Text<'a>, E> {
        Ok(Text::json(Value::from(value)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Text<'a>, E> {
        Ok(Text::json(Value::from(value)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text<'a>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Text::json)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text<'a>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Text::json)
    }
}

impl Text<'_> {
    fn json(value: Value) -> Text<'static> {
        Text(Some(Cow::Owned(value.to_string())))
    }
}

/// Reads `meta` from a body that may be an envelope, something else, or not JSON at all.
///
/// The code may arrive as a number or a numeric string; anything else counts as absent.
/// `type` and `message` are kept only when the code is not one of success (200, 201,
/// 202): errors are the only answers that show them, and a success then copies nothing.
///
/// The common shape is read cheaply: when the body starts with `{"meta":`, as every v2
/// answer does, only that object is parsed, and `data` is never scanned. Other bodies are
/// parsed whole.
pub(crate) fn probe_meta(body: &[u8]) -> Option<ProbedMeta> {
    let leading = body.trim_ascii_start().strip_prefix(br#"{"meta":"#);
    if let Some(code) = leading.and_then(leading_success) {
        return Some(ProbedMeta { code: Some(code), kind: None, message: None });
    }
    let first = leading.and_then(|rest| {
        let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<ProbeMeta>();
        stream.next()?.ok()
    });
    let meta = match first {
        Some(meta) => meta,
        None => serde_json::from_slice::<Probe>(body).ok()?.meta?,
    };
    let code = match meta.code {
        Some(Value::Number(number)) => number.as_i64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    };
    if matches!(code, Some(200..=202)) {
        return Some(ProbedMeta { code, kind: None, message: None });
    }
    let text = |text: Option<Text<'_>>| text.and_then(|text| text.0).map(Cow::into_owned);
    Some(ProbedMeta { code, kind: text(meta.kind), message: text(meta.message) })
}

/// The code of a `meta` object that starts `{"code":200,` (or 201, 202, or ends right
/// after the code), as every success of v2 does; `None` for anything else, which the full
/// reader then parses. The typed decoding that follows a success reads the whole body
/// again, so nothing malformed after the code goes unnoticed.
fn leading_success(meta: &[u8]) -> Option<i64> {
    let rest = meta.strip_prefix(br#"{"code":"#)?;
    let (digits, after) = rest.split_at_checked(3)?;
    let code = match digits {
        b"200" => 200,
        b"201" => 201,
        b"202" => 202,
        _ => return None,
    };
    matches!(after.first(), Some(b',' | b'}')).then_some(code)
}

/// A generated `{meta, data}` answer type.
pub(crate) trait Envelope: serde::de::DeserializeOwned {
    /// The type of `data`.
    type Data;

    /// `meta` and `data`, taken apart.
    fn split(self) -> (types::Meta, Option<Self::Data>);
}

macro_rules! envelopes {
    ($($name:ident => $data:ty,)+) => {
        $(impl Envelope for types::$name {
            type Data = $data;

            fn split(self) -> (types::Meta, Option<$data>) {
                (self.meta, self.data)
            }
        })+
    };
}

envelopes! {
    CreateTrackingResponse => types::CreatedTracking,
    GetTrackingResponse => types::Tracking,
    UpdateTrackingResponse => types::UpdatedTracking,
    DeleteTrackingResponse => Vec<Value>,
    BatchCreateTrackingsResponse => types::BatchCreateResult,
    ListTrackingsResponse => types::TrackingPage,
    UpdateTrackingsResponse => types::UpdateTrackingsResult,
    DeleteTrackingsResponse => types::DeleteTrackingsResult,
    RealtimeTrackingResponse => types::RealtimeResult,
    ChangeCarrierResponse => types::ChangeCarrierResult,
    GetUserInfoResponse => types::UserInfo,
    GetStatusCountsResponse => types::StatusCounts,
    StopUpdatingResponse => types::StopUpdatingResult,
    CheckRemoteAreasResponse => types::RemoteAreaResult,
    GetTransitTimesResponse => Vec<types::TransitTime>,
    TrackAirCargoResponse => Vec<types::AirCargo>,
    ListCarriersResponse => Vec<types::Carrier>,
    DetectCarrierResponse => Vec<types::DetectedCarrier>,
}

/// The envelope of [`crate::Client::raw`]: any `data`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawEnvelope {
    meta: types::Meta,
    #[serde(default)]
    data: Option<Value>,
}

impl Envelope for RawEnvelope {
    type Data = Value;

    fn split(self) -> (types::Meta, Option<Value>) {
        (self.meta, self.data)
    }
}

/// A successful answer: its `data`, and the envelope and HTTP details around it.
///
/// It dereferences to the data, so fields read directly:
///
/// ```no_run
/// # async fn demo(client: trackingmore::Client) -> trackingmore::Result<()> {
/// let tracking = client.trackings().get("dhl", "1234567890").await?;
/// println!("{:?} after {} attempt(s)", tracking.status, tracking.attempts());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Response<T> {
    data: T,
    meta: types::Meta,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
    replayed: bool,
}

impl<T> Response<T> {
    pub(crate) fn new(
        data: T,
        meta: types::Meta,
        status: StatusCode,
        headers: HeaderMap,
        attempts: u32,
        replayed: bool,
    ) -> Response<T> {
        Response { data, meta, status, headers, attempts, replayed }
    }

    /// The data, without the envelope.
    pub fn into_inner(self) -> T {
        self.data
    }

    /// The data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The `meta` block of the answer.
    pub fn meta(&self) -> &types::Meta {
        &self.meta
    }

    /// `meta.code` as a [`MetaCode`].
    pub fn meta_code(&self) -> MetaCode {
        MetaCode::from(self.meta.code)
    }

    /// Whether the API accepted the call only in part (meta 202, "exceeding the limit").
    pub fn is_partial(&self) -> bool {
        self.meta_code() == MetaCode::PartiallyAccepted
    }

    /// The HTTP status of the answer.
    pub fn http_status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// How many attempts the call took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether an earlier attempt of this call may have been processed by the server too.
    pub fn replayed(&self) -> bool {
        self.replayed
    }

    /// The same envelope around other data.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            meta: self.meta,
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            replayed: self.replayed,
        }
    }
}

impl<T> Response<Option<T>> {
    /// The response around the data, or `None` when there is no data.
    pub(crate) fn transpose(self) -> Option<Response<T>> {
        let Response { data, meta, status, headers, attempts, replayed } = self;
        data.map(|data| Response { data, meta, status, headers, attempts, replayed })
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_is_read_from_any_body() {
        let meta =
            probe_meta(br#"{"meta":{"code":4017,"type":"Bad Request","message":"x"},"data":[]}"#)
                .expect("an envelope");
        assert_eq!(meta.code, Some(4017));
        assert_eq!(meta.kind.as_deref(), Some("Bad Request"));
        assert_eq!(probe_meta(br#"{"meta":{"code":"429"}}"#).and_then(|m| m.code), Some(429));
        assert_eq!(probe_meta(b"<html>502 Bad Gateway</html>"), None);
        assert_eq!(probe_meta(br#"{"meta":{"code":200"#), None);
        assert_eq!(probe_meta(br#"{"data":[]}"#), None);
        // Meta first: read without scanning `data`; meta later: read from the whole body.
        let body = br#"{"meta":{"code":429,"message":"slow down"},"data":{"a":[1,2,"#;
        assert_eq!(probe_meta(body).and_then(|m| m.code), Some(429));
        let body = br#" {"data":[],"meta":{"code":"4017"}}"#;
        assert_eq!(probe_meta(body).and_then(|m| m.code), Some(4017));
        assert_eq!(probe_meta(br#"{"meta":null,"data":[]}"#), None);
    }

    #[test]
    fn type_and_message_are_kept_as_sent_for_errors_only() {
        let meta = |body: &[u8]| probe_meta(body).expect("an envelope");
        let error = meta(br#"{"meta":{"code":4021,"type":"Bad \"R\"","message":7.5}}"#);
        assert_eq!(error.kind.as_deref(), Some(r#"Bad "R""#));
        assert_eq!(error.message.as_deref(), Some("7.5"));
        let error = meta(br#"{"meta":{"code":4001,"type":["a",1],"message":{"k":null}}}"#);
        assert_eq!(error.kind.as_deref(), Some(r#"["a",1]"#));
        assert_eq!(error.message.as_deref(), Some(r#"{"k":null}"#));
        let error = meta(br#"{"meta":{"code":"4017","type":null,"message":true}}"#);
        assert_eq!((error.kind, error.message.as_deref()), (None, Some("true")));
        let success = meta(br#"{"meta":{"code":200,"type":"Success","message":"Success"}}"#);
        assert_eq!(success, ProbedMeta { code: Some(200), kind: None, message: None });
    }

    #[test]
    fn the_success_shortcut_takes_only_a_whole_leading_code() {
        let code = |body: &[u8]| probe_meta(body).and_then(|meta| meta.code);
        assert_eq!(code(br#"{"meta":{"code":201,"type":"x"},"data":{}}"#), Some(201));
        assert_eq!(code(br#"{"meta":{"code":202}}"#), Some(202));
        // Longer numbers, other codes and other key orders go through the full reader.
        assert_eq!(code(br#"{"meta":{"code":2001,"type":"x"}}"#), Some(2001));
        assert_eq!(code(br#"{"meta":{"code":200.5}}"#), None);
        assert_eq!(code(br#"{"meta":{"code":4290}}"#), Some(4290));
        assert_eq!(code(br#"{"meta":{"type":"x","code":200}}"#), Some(200));
        assert_eq!(code(br#"{"meta":{"code":200"#), None);
    }
}
