//! [`Client`]: configuration entry points, the operation groups, the raw escape hatch and
//! the one place where an answer becomes a [`Result`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::de::Error as _;
use serde_json::Value;

use crate::config::ClientBuilder;
use crate::envelope::{Envelope, RawEnvelope, Response};
use crate::error::{ApiError, Error, MetaCode, Result, TransportKind};
use crate::generated;
use crate::hooks::{Answer, CALL, CallContext, CallRecord, Halt, TooLarge, retry_after};
use crate::operation::Operation;
use crate::slot::Slot;
use crate::types;

/// A client for the v2 API. Cheap to clone; clones share the connection pool, the rate
/// limiter and the settings.
#[derive(Clone, Debug)]
pub struct Client {
    api: generated::Client,
}

/// What a generated `send()` returns.
type Sent<R> =
    std::result::Result<ResponseValue<R>, progenitor_client::Error<types::ErrorEnvelope>>;

impl Client {
    /// A builder with every setting at its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `TRACKINGMORE_API_KEY` and, if set,
    /// `TRACKINGMORE_BASE_URL`; every other setting at its default.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().build()
    }

    /// A client for `base_url` (e.g. [`crate::DEFAULT_BASE_URL`]) that sends `api_key` on every
    /// call; every other setting at its default.
    pub fn new(base_url: &str, api_key: &str) -> Result<Client> {
        ClientBuilder::new().base_url(base_url).api_key(api_key).build()
    }

    pub(crate) fn from_parts(api: generated::Client) -> Client {
        Client { api }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.api.baseurl()
    }

    /// The generated client, with the same hooks (key, limiter, retries, tracing), for full
    /// control over every request.
    pub fn api(&self) -> &generated::Client {
        &self.api
    }

    /// Creating, reading, editing and deleting trackings.
    pub fn trackings(&self) -> crate::Trackings<'_> {
        crate::Trackings::new(self)
    }

    /// Account information and counts per status.
    pub fn account(&self) -> crate::Account<'_> {
        crate::Account::new(self)
    }

    /// The carrier list and carrier detection.
    pub fn carriers(&self) -> crate::Carriers<'_> {
        crate::Carriers::new(self)
    }

    /// Remote areas, transit times and air cargo.
    pub fn tools(&self) -> crate::Tools<'_> {
        crate::Tools::new(self)
    }

    pub(crate) fn batch_concurrency(&self) -> usize {
        self.api.inner().runtime.batch_concurrency
    }

    fn rate_limited_wait(&self) -> Duration {
        self.api.inner().runtime.retry.rate_limited_wait
    }

    /// Sends any request through the same hooks and envelope rules, and returns `data` as
    /// JSON: for routes this version does not wrap, or to see exactly what the API sends.
    ///
    /// `path` is relative to the base URL (`/trackings/get?page=2`); a call to a known
    /// route is rate-limited and retried like the typed method.
    ///
    /// ```no_run
    /// # async fn demo(client: trackingmore::Client) -> trackingmore::Result<()> {
    /// use reqwest::Method;
    ///
    /// let page = client.raw(Method::GET, "/trackings/get?limit=5", None).await?;
    /// println!("{}", page["total"]);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Response<Value>> {
        let relative = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
        let operation = Operation::match_route(&method, &relative);
        let label = operation.map_or("raw", Operation::generated_id);
        let url = format!("{}{relative}", self.base_url());

        let mut builder = self
            .api
            .client()
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = &body {
            builder = builder.json(body);
        }
        let request = builder
            .build()
            .map_err(|error| Error::invalid(format!("the raw request cannot be built: {error}")))?;

        let sent = async {
            let response = self.api.send_raw(request, label).await;
            match response {
                Ok(response) => ResponseValue::<RawEnvelope>::from_response(response).await,
                Err(error) => Err(error),
            }
        };
        let outcome = self.run(operation, move || sent).await;
        let response =
            outcome.into_result(|record| self.decide(operation_label(operation), record))?;
        Ok(response.map(|data| data.unwrap_or(Value::Null)))
    }

    /// Applies the envelope rules and the typed decoding of `operation` to one answer, as if
    /// it had just arrived after a single attempt: what a typed call sees before its own
    /// checks (a missing `data`, for instance, is `Null` here). The data comes back as JSON,
    /// re-encoded from the operation's generated type.
    ///
    /// For replaying captured answers and for fuzzing; nothing is sent.
    ///
    /// ```
    /// use http::{HeaderMap, StatusCode};
    /// use trackingmore::{Client, Error, MetaCode, Operation};
    ///
    /// # fn main() -> trackingmore::Result<()> {
    /// let client = Client::new("http://127.0.0.1:1/v2", "key")?;
    /// let body = br#"{"meta":{"code":4017,"message":"Tracking does not exist."},"data":[]}"#;
    /// let answer = client.decode_answer(
    ///     Operation::GetTracking,
    ///     StatusCode::OK,
    ///     HeaderMap::new(),
    ///     bytes::Bytes::from_static(body),
    /// );
    /// let Err(Error::Api(api)) = answer else { panic!("an api error") };
    /// assert_eq!(api.meta_code, Some(MetaCode::TrackingNotFound));
    /// # Ok(())
    /// # }
    /// ```
    pub fn decode_answer(
        &self,
        operation: Operation,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<Response<Value>> {
        let answer = Answer::new(status, headers, body);
        let record =
            CallRecord { attempts: 1, answer: Some(answer.clone()), ..CallRecord::default() };
        if let Some(error) = self.decide(operation.id(), &record) {
            return Err(error);
        }

        use Operation as O;
        match operation {
            O::CreateTracking => decode_as::<types::CreateTrackingResponse>(operation, answer),
            O::GetTracking | O::GetTrackingInLanguage => {
                decode_as::<types::GetTrackingResponse>(operation, answer)
            }
            O::UpdateTracking => decode_as::<types::UpdateTrackingResponse>(operation, answer),
            O::DeleteTracking => decode_as::<types::DeleteTrackingResponse>(operation, answer),
            O::BatchCreateTrackings => {
                decode_as::<types::BatchCreateTrackingsResponse>(operation, answer)
            }
            O::ListTrackings => decode_as::<types::ListTrackingsResponse>(operation, answer),
            O::UpdateTrackings => decode_as::<types::UpdateTrackingsResponse>(operation, answer),
            O::DeleteTrackings => decode_as::<types::DeleteTrackingsResponse>(operation, answer),
            O::RealtimeTracking => decode_as::<types::RealtimeTrackingResponse>(operation, answer),
            O::ChangeCarrier => decode_as::<types::ChangeCarrierResponse>(operation, answer),
            O::GetUserInfo => decode_as::<types::GetUserInfoResponse>(operation, answer),
            O::GetStatusCounts => decode_as::<types::GetStatusCountsResponse>(operation, answer),
            O::StopUpdating => decode_as::<types::StopUpdatingResponse>(operation, answer),
            O::CheckRemoteAreas => decode_as::<types::CheckRemoteAreasResponse>(operation, answer),
            O::GetTransitTimes => decode_as::<types::GetTransitTimesResponse>(operation, answer),
            O::TrackAirCargo => decode_as::<types::TrackAirCargoResponse>(operation, answer),
            O::ListCarriers => decode_as::<types::ListCarriersResponse>(operation, answer),
            O::DetectCarrier => decode_as::<types::DetectCarrierResponse>(operation, answer),
        }
    }

    /// Runs a generated call inside a fresh call record, and returns both.
    ///
    /// The generated future is large (over four kilobytes for one tracking, the attempt loop
    /// included), and so is its output (the decoded data). Both live in one [`Slot`] on the
    /// heap: the futures around it neither carry the one nor copy the other as they pass it
    /// on. `send` makes the generated future here, where it is boxed, so that it is not
    /// moved through the caller's layers first.
    pub(crate) fn run<F: Future>(
        &self,
        operation: Option<Operation>,
        send: impl FnOnce() -> F,
    ) -> impl Future<Output = Outcome<F>> {
        let mut slot = Box::pin(Slot::new(send()));
        async move {
            let context = CallContext::default();
            CALL.scope(context.clone(), slot.as_mut()).await;
            Outcome { operation, slot, record: context.take() }
        }
    }

    /// Calls a generated operation and applies the envelope rules.
    pub(crate) fn call<R: Envelope, F: Future<Output = Sent<R>>>(
        &self,
        operation: Operation,
        send: impl FnOnce() -> F,
    ) -> impl Future<Output = Result<Response<Option<R::Data>>>> {
        let outcome = self.run(Some(operation), send);
        async move { outcome.await.into_result(|record| self.decide(operation.id(), record)) }
    }

    /// The error an answer or its absence means, or `None` when the envelope says success.
    fn decide(&self, operation: &'static str, record: &CallRecord) -> Option<Error> {
        if let Some(halt) = record.halt {
            return Some(self.halted(operation, record, halt));
        }
        if let Some(TooLarge { status, limit }) = record.too_large {
            return Some(Error::ResponseTooLarge { operation, status, limit });
        }
        let answer = record.answer.as_ref()?;
        let meta = answer.meta.as_ref();
        let api = |code: Option<MetaCode>| ApiError {
            operation,
            status: answer.status,
            meta_code: code,
            meta_type: meta.and_then(|meta| meta.kind.clone()),
            message: meta.and_then(|meta| meta.message.clone()),
            headers: answer.headers.clone(),
            body: answer.body.clone(),
            attempts: record.attempts,
            replayed: record.replayed,
        };

        match answer.meta_code().map(MetaCode::from) {
            Some(code) if code.is_success() || code == MetaCode::PartiallyAccepted => None,
            Some(MetaCode::TooManyRequests) => {
                Some(self.rate_limited(api(Some(MetaCode::TooManyRequests))))
            }
            Some(code) if code.is_quota() => {
                Some(Error::QuotaExhausted { api: Box::new(api(Some(code))) })
            }
            Some(code) => Some(Error::Api(Box::new(api(Some(code))))),
            None if answer.status == StatusCode::TOO_MANY_REQUESTS => {
                Some(self.rate_limited(api(None)))
            }
            None if !answer.status.is_success() => Some(Error::Api(Box::new(api(None)))),
            // A 2xx without an envelope: decoding will say what is wrong with it.
            None => None,
        }
    }

    fn rate_limited(&self, api: ApiError) -> Error {
        let retry_after = retry_after(&api.headers).unwrap_or_else(|| self.rate_limited_wait());
        Error::RateLimited { retry_after, api: Box::new(api) }
    }

    fn halted(&self, operation: &'static str, record: &CallRecord, halt: Halt) -> Error {
        match halt {
            Halt::Throttled(wait) => Error::Throttled { operation, wait },
            Halt::RateLimited(wait) => {
                let error = self.decide_answer_only(operation, record);
                match error {
                    Some(Error::RateLimited { api, .. }) => {
                        Error::RateLimited { retry_after: wait, api }
                    }
                    Some(other) => other,
                    None => Error::Throttled { operation, wait },
                }
            }
            Halt::DeadlineExceeded(deadline) => {
                let last = self.decide_answer_only(operation, record).or_else(|| {
                    record.transport.map(|kind| Error::Transport {
                        operation,
                        kind,
                        attempts: record.attempts,
                        source: None,
                    })
                });
                Error::DeadlineExceeded {
                    operation,
                    deadline,
                    attempts: record.attempts,
                    last: last.map(Box::new),
                }
            }
        }
    }

    fn decide_answer_only(&self, operation: &'static str, record: &CallRecord) -> Option<Error> {
        let plain = CallRecord {
            attempts: record.attempts,
            replayed: record.replayed,
            answer: record.answer.clone(),
            transport: record.transport,
            halt: None,
            too_large: record.too_large,
        };
        self.decide(operation, &plain)
    }
}

fn operation_label(operation: Option<Operation>) -> &'static str {
    operation.map_or("raw", Operation::id)
}

/// A finished generated call: what `send()` returned, still in its slot, and what the hooks
/// recorded.
pub(crate) struct Outcome<F: Future> {
    operation: Option<Operation>,
    slot: Pin<Box<Slot<F>>>,
    record: CallRecord,
}

impl<R: Envelope, E, F> Outcome<F>
where
    F: Future<Output = std::result::Result<ResponseValue<R>, progenitor_client::Error<E>>>,
{
    /// The success, or the error `decide` (which reads the record first) or the typed
    /// result says it is.
    ///
    /// An answer the hooks recorded is decoded here from its bytes: progenitor was handed
    /// its drained remains (see [`crate::hooks`]), and what it made of them is dropped with
    /// the slot, unread.
    pub(crate) fn into_result(
        self,
        decide: impl FnOnce(&CallRecord) -> Option<Error>,
    ) -> Result<Response<Option<R::Data>>> {
        if let Some(error) = decide(&self.record) {
            return Err(error);
        }
        let Outcome { operation, mut slot, record } = self;
        let operation = operation_label(operation);
        let CallRecord { attempts, replayed, answer, .. } = record;
        if let Some(answer) = answer {
            return decode::<R>(operation, (attempts, replayed), answer);
        }
        match slot.as_mut().take() {
            Some(Ok(value)) => {
                let (status, headers) = (value.status(), value.headers().clone());
                let (meta, data) = value.into_inner().split();
                Ok(Response::new(data, meta, status, headers, attempts, replayed))
            }
            Some(Err(error)) => Err(from_progenitor(operation, attempts, error)),
            // Not reached: `run` returns once the slot has completed.
            None => Err(Error::Transport {
                operation,
                kind: TransportKind::Other,
                attempts,
                source: None,
            }),
        }
    }
}

fn decode<R: Envelope>(
    operation: &'static str,
    (attempts, replayed): (u32, bool),
    answer: Answer,
) -> Result<Response<Option<R::Data>>> {
    let Answer { status, headers, body, .. } = answer;
    match serde_json::from_slice::<R>(&body) {
        Ok(envelope) => {
            let (meta, data) = envelope.split();
            Ok(Response::new(data, meta, status, headers, attempts, replayed))
        }
        Err(source) => Err(Error::Decode { operation, status, body, source }),
    }
}

/// [`decode`] for [`Client::decode_answer`], with the data encoded again as JSON.
fn decode_as<R>(operation: Operation, answer: Answer) -> Result<Response<Value>>
where
    R: Envelope,
    R::Data: serde::Serialize,
{
    let response = decode::<R>(operation.id(), (1, false), answer)?;
    // Typed values were read from JSON, so encoding them again cannot fail.
    Ok(response.map(|data| serde_json::to_value(data).unwrap_or(Value::Null)))
}

/// A progenitor error for a call whose hooks recorded no answer.
fn from_progenitor<E>(
    operation: &'static str,
    attempts: u32,
    error: progenitor_client::Error<E>,
) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::CommunicationError(source)
        | P::ResponseBodyError(source)
        | P::InvalidUpgrade(source) => Error::Transport {
            operation,
            kind: TransportKind::of(&source),
            attempts,
            source: Some(source),
        },
        P::InvalidRequest(message) => {
            Error::invalid(format!("the request cannot be built: {message}"))
        }
        P::Custom(message) => Error::invalid(message),
        P::InvalidResponsePayload(body, source) => {
            Error::Decode { operation, status: StatusCode::OK, body, source }
        }
        P::ErrorResponse(value) => Error::Decode {
            operation,
            status: value.status(),
            body: Bytes::new(),
            source: serde_json::Error::custom("an error answer that the hooks did not record"),
        },
        P::UnexpectedResponse(response) => Error::Decode {
            operation,
            status: response.status(),
            body: Bytes::new(),
            source: serde_json::Error::custom("an answer that the hooks did not record"),
        },
    }
}

/// `data` of a success, or a decode error when a success came without it.
pub(crate) fn require<T>(
    operation: Operation,
    response: Response<Option<T>>,
) -> Result<Response<T>> {
    let status = response.http_status();
    response.transpose().ok_or_else(|| Error::Decode {
        operation: operation.id(),
        status,
        body: Bytes::new(),
        source: serde_json::Error::custom("a success answer without data"),
    })
}
