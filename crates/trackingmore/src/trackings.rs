//! The tracking operations: [`Trackings`], with the inputs they take ([`NewTracking`],
//! [`TrackingId`], [`TrackingChanges`], [`ListFilters`]).
//!
//! Every method validates its arguments before anything is sent, and answers
//! [`Error::InvalidArgument`] for an empty number or carrier code, a list filter with more
//! than 40 numbers or order ids, a page size over 2,000, or an empty batch.

use std::fmt;

use futures::{Stream, StreamExt, TryStreamExt, stream};
use serde::{Deserialize, Serialize};

use crate::client::{Client, require};
use crate::envelope::Response;
use crate::error::{Error, MetaCode, Result};
use crate::model::Status;
use crate::operation::Operation;
use crate::types;

/// The most entries the API takes in one `numbers` or `orders` list filter.
pub const MAX_LIST_ENTRIES: usize = 40;

/// The largest page `listTrackings` serves.
pub const MAX_PAGE_SIZE: u64 = 2000;

/// The page size [`Trackings::list_all`] uses unless the filters name one.
pub const LIST_ALL_PAGE_SIZE: u64 = 500;

/// Fields to change on a stored tracking; only the fields set are sent.
///
/// It is the generated `UpdateTrackingRequest`, so the API's own example body decodes into
/// it as it is written:
///
/// ```
/// use trackingmore::TrackingChanges;
/// use trackingmore::model::StatusChange;
///
/// let changes: TrackingChanges = serde_json::from_str(
///     r#"{"title": "new title", "archived": "true", "status": 7}"#,
/// ).unwrap();
/// assert_eq!(changes.status, Some(StatusChange::Exception));
/// ```
pub type TrackingChanges = types::UpdateTrackingRequest;

impl types::UpdateTrackingRequest {
    /// Changes from a JSON body as the API documents it (`"archived": "true"`,
    /// `"status": 7`); a status other than 4, 7 or 8, or a field of the wrong type, is an
    /// [`Error::InvalidArgument`].
    ///
    /// ```
    /// use trackingmore::{Error, TrackingChanges};
    ///
    /// let ok = TrackingChanges::from_json(serde_json::json!({"status": "7"})).unwrap();
    /// assert_eq!(ok.status.map(|s| s.code()), Some(7));
    /// let bad = TrackingChanges::from_json(serde_json::json!({"status": 5}));
    /// assert!(matches!(bad, Err(Error::InvalidArgument(_))));
    /// ```
    pub fn from_json(body: serde_json::Value) -> Result<TrackingChanges> {
        serde_json::from_value(body)
            .map_err(|error| Error::invalid(format!("the changes cannot be sent: {error}")))
    }
}

/// Names one stored tracking: its carrier code and its tracking number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TrackingId {
    /// The carrier code (`dhl`, `china-post`, …).
    pub carrier_code: String,
    /// The carrier's tracking number.
    pub tracking_number: String,
}

impl TrackingId {
    /// A tracking of `carrier_code` with `tracking_number`.
    pub fn new(carrier_code: impl Into<String>, tracking_number: impl Into<String>) -> TrackingId {
        TrackingId { carrier_code: carrier_code.into(), tracking_number: tracking_number.into() }
    }

    pub(crate) fn validate(&self, context: &str) -> Result<()> {
        check_pair(&self.carrier_code, &self.tracking_number, context)
    }

    /// The key under which answers name this tracking: trimmed, carrier lowercased.
    pub(crate) fn key(&self) -> (String, String) {
        key_of(&self.carrier_code, &self.tracking_number)
    }
}

pub(crate) fn key_of(carrier: &str, number: &str) -> (String, String) {
    (carrier.trim().to_ascii_lowercase(), number.trim().to_owned())
}

impl fmt::Display for TrackingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.carrier_code, self.tracking_number)
    }
}

impl<C: Into<String>, N: Into<String>> From<(C, N)> for TrackingId {
    fn from((carrier, number): (C, N)) -> TrackingId {
        TrackingId::new(carrier, number)
    }
}

/// [`TrackingId::validate`] for borrowed parts, with nothing copied.
fn check_pair(carrier: &str, number: &str, context: &str) -> Result<()> {
    check_carrier(carrier, context)?;
    check_number(number, context)
}

fn check_carrier(carrier: &str, context: &str) -> Result<()> {
    if carrier.trim().is_empty() {
        return Err(Error::invalid(format!("the carrier code must not be empty{context}")));
    }
    Ok(())
}

fn check_number(number: &str, context: &str) -> Result<()> {
    if number.trim().is_empty() {
        return Err(Error::invalid(format!("the tracking number must not be empty{context}")));
    }
    Ok(())
}

macro_rules! text_setters {
    ($($(#[$doc:meta])* $field:ident,)+) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )+
    };
}

/// A shipment to start tracking.
///
/// ```
/// use trackingmore::NewTracking;
///
/// let new = NewTracking::new("dhl", "1234567890").title("Desk lamp").order_id("#1042");
/// assert_eq!(new.title.as_deref(), Some("Desk lamp"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTracking {
    /// The carrier code.
    pub carrier_code: String,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// Product title.
    pub title: Option<String>,
    /// Recipient's name.
    pub customer_name: Option<String>,
    /// Recipient's e-mail address.
    pub customer_email: Option<String>,
    /// Recipient's phone number.
    pub customer_phone: Option<String>,
    /// Merchant's order id.
    pub order_id: Option<String>,
    /// When the order was placed, free text (`2019-08-20 14:56`).
    pub order_create_time: Option<String>,
    /// Destination country, ISO 3166-1 alpha-2.
    pub destination_code: Option<String>,
    /// Free-text shipping channel.
    pub logistics_channel: Option<String>,
    /// Free-text note.
    pub comment: Option<String>,
    /// Language of checkpoint texts, two letters.
    pub lang: Option<String>,
    /// Shipping date as `YYYYMMDD`, for carriers that need it.
    pub tracking_ship_date: Option<String>,
    /// Recipient's postal code, for carriers that need it.
    pub tracking_postal_code: Option<String>,
    /// Shipper account number, for carriers that need it.
    pub tracking_account_number: Option<String>,
    /// Destination country, for carriers that need it.
    pub tracking_destination_country: Option<String>,
    /// Keep this carrier code rather than letting the API correct it.
    pub keep_carrier_code: bool,
}

impl NewTracking {
    /// A tracking of `carrier_code` with `tracking_number` and nothing else.
    pub fn new(carrier_code: impl Into<String>, tracking_number: impl Into<String>) -> NewTracking {
        NewTracking {
            carrier_code: carrier_code.into(),
            tracking_number: tracking_number.into(),
            ..NewTracking::default()
        }
    }

    text_setters! {
        /// Sets the product title.
        title,
        /// Sets the recipient's name.
        customer_name,
        /// Sets the recipient's e-mail address.
        customer_email,
        /// Sets the recipient's phone number.
        customer_phone,
        /// Sets the merchant's order id.
        order_id,
        /// Sets when the order was placed.
        order_create_time,
        /// Sets the destination country (ISO 3166-1 alpha-2).
        destination_code,
        /// Sets the shipping channel.
        logistics_channel,
        /// Sets the note.
        comment,
        /// Sets the checkpoint language.
        lang,
        /// Sets the shipping date (`YYYYMMDD`).
        tracking_ship_date,
        /// Sets the recipient's postal code.
        tracking_postal_code,
        /// Sets the shipper account number.
        tracking_account_number,
        /// Sets the destination country for carriers that need it.
        tracking_destination_country,
    }

    /// Keeps the carrier code as given (`auto_correct: 1`).
    pub fn keep_carrier_code(mut self) -> Self {
        self.keep_carrier_code = true;
        self
    }

    /// The tracking this will create.
    pub fn id(&self) -> TrackingId {
        TrackingId::new(&self.carrier_code, &self.tracking_number)
    }

    /// The generated request body, after checking the number and the carrier code.
    pub(crate) fn to_request(&self, context: &str) -> Result<types::CreateTrackingRequest> {
        check_number(&self.tracking_number, context)?;
        check_carrier(&self.carrier_code, context)?;
        let invalid = |what: &str, value: &str| {
            Error::invalid(format!("the {what} cannot be sent{context}: {value:?}"))
        };
        Ok(types::CreateTrackingRequest {
            auto_correct: self.keep_carrier_code.then_some(1),
            carrier_code: self
                .carrier_code
                .trim()
                .parse()
                .map_err(|_| invalid("carrier code", &self.carrier_code))?,
            tracking_number: self
                .tracking_number
                .trim()
                .parse()
                .map_err(|_| invalid("tracking number", &self.tracking_number))?,
            comment: self.comment.clone(),
            customer_email: self.customer_email.clone(),
            customer_name: self.customer_name.clone(),
            customer_phone: self.customer_phone.clone(),
            destination_code: self.destination_code.clone(),
            lang: self.lang.clone(),
            logistics_channel: self.logistics_channel.clone(),
            order_create_time: self.order_create_time.clone(),
            order_id: self.order_id.clone(),
            special_number_destination: None,
            title: self.title.clone(),
            tracking_account_number: self.tracking_account_number.clone(),
            tracking_destination_country: self.tracking_destination_country.clone(),
            tracking_postal_code: self.tracking_postal_code.clone(),
            tracking_ship_date: self.tracking_ship_date.clone(),
        })
    }
}

/// Filters of [`Trackings::list`]; times are unix seconds.
///
/// ```
/// use trackingmore::ListFilters;
/// use trackingmore::model::Status;
///
/// let filters = ListFilters::new().status(Status::Transit).limit(200).archived(false);
/// assert_eq!(filters.limit, Some(200));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilters {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, at most 2,000 (the API's default is 100).
    pub limit: Option<u64>,
    /// Only trackings in this status.
    pub status: Option<Status>,
    /// Created at or after.
    pub created_at_min: Option<i64>,
    /// Created at or before.
    pub created_at_max: Option<i64>,
    /// Refreshed at or after.
    pub update_time_min: Option<i64>,
    /// Refreshed at or before.
    pub update_time_max: Option<i64>,
    /// Order placed at or after.
    pub order_created_time_min: Option<i64>,
    /// Order placed at or before.
    pub order_created_time_max: Option<i64>,
    /// Checkpoint language.
    pub lang: Option<String>,
    /// Only these tracking numbers (at most 40).
    pub numbers: Vec<String>,
    /// Only these order ids (at most 40).
    pub orders: Vec<String>,
    /// Only archived (`true`) or only active (`false`) trackings.
    pub archived: Option<bool>,
}

impl ListFilters {
    /// No filter: every tracking, first page.
    pub fn new() -> ListFilters {
        ListFilters::default()
    }

    /// Sets the page number.
    pub fn page(mut self, page: u64) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only trackings in `status`.
    pub fn status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    /// Only trackings created within `[min, max]` (unix seconds; either end optional).
    pub fn created_between(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        (self.created_at_min, self.created_at_max) = (min, max);
        self
    }

    /// Only trackings refreshed within `[min, max]` (unix seconds).
    pub fn updated_between(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        (self.update_time_min, self.update_time_max) = (min, max);
        self
    }

    /// Only trackings whose order was placed within `[min, max]` (unix seconds).
    pub fn ordered_between(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        (self.order_created_time_min, self.order_created_time_max) = (min, max);
        self
    }

    /// Checkpoint texts in this language.
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }

    /// Only these tracking numbers (at most 40).
    pub fn numbers<S: Into<String>>(mut self, numbers: impl IntoIterator<Item = S>) -> Self {
        self.numbers = numbers.into_iter().map(Into::into).collect();
        self
    }

    /// Only these order ids (at most 40).
    pub fn orders<S: Into<String>>(mut self, orders: impl IntoIterator<Item = S>) -> Self {
        self.orders = orders.into_iter().map(Into::into).collect();
        self
    }

    /// Only archived (`true`) or only active (`false`) trackings.
    pub fn archived(mut self, archived: bool) -> Self {
        self.archived = Some(archived);
        self
    }

    fn validate(&self) -> Result<()> {
        for (name, list) in [("tracking numbers", &self.numbers), ("order ids", &self.orders)] {
            if list.len() > MAX_LIST_ENTRIES {
                return Err(Error::invalid(format!(
                    "a list filter takes at most {MAX_LIST_ENTRIES} {name}: {}",
                    list.len()
                )));
            }
            if list.iter().any(|entry| entry.trim().is_empty() || entry.contains(',')) {
                return Err(Error::invalid(format!(
                    "a list filter entry must be non-empty and free of commas: {name}"
                )));
            }
        }
        if let Some(limit) = self.limit
            && !(1..=MAX_PAGE_SIZE).contains(&limit)
        {
            return Err(Error::invalid(format!(
                "the page size must be between 1 and {MAX_PAGE_SIZE}: {limit}"
            )));
        }
        if self.page == Some(0) {
            return Err(Error::invalid("pages are numbered from 1: 0"));
        }
        Ok(())
    }
}

/// The tracking operations; see [`Client::trackings`].
#[derive(Clone, Copy, Debug)]
pub struct Trackings<'a> {
    client: &'a Client,
}

impl<'a> Trackings<'a> {
    pub(crate) fn new(client: &'a Client) -> Trackings<'a> {
        Trackings { client }
    }

    /// Starts tracking one shipment (`createTracking`).
    ///
    /// When an attempt failed in a way that leaves open whether it was stored, and the
    /// retry then meets 4016 ("already exists"), the first attempt is what stored it: the
    /// stored tracking is read back and returned, flagged [`Response::replayed`].
    pub async fn create(self, new: &NewTracking) -> Result<Response<types::CreatedTracking>> {
        let body = new.to_request("")?;
        let api = self.client.api();
        let sent = self
            .client
            .call(Operation::CreateTracking, move || api.create_tracking().body(body).send())
            .await;
        match sent {
            Ok(response) => require(Operation::CreateTracking, response),
            Err(Error::Api(api))
                if api.replayed && api.meta_code == Some(MetaCode::TrackingAlreadyExists) =>
            {
                tracing::debug!("create met 4016 after an ambiguous attempt; reading it back");
                let stored = self.get(&new.carrier_code, new.tracking_number.trim()).await?;
                let attempts = api.attempts;
                let echo = created_from(stored.data()).ok_or_else(|| Error::Api(api))?;
                Ok(Response::new(
                    echo,
                    stored.meta().clone(),
                    stored.http_status(),
                    stored.headers().clone(),
                    attempts,
                    true,
                ))
            }
            Err(error) => Err(error),
        }
    }

    /// Reads one stored tracking (`getTracking`).
    pub async fn get(
        self,
        carrier_code: &str,
        tracking_number: &str,
    ) -> Result<Response<types::Tracking>> {
        check_pair(carrier_code, tracking_number, "")?;
        let send = move || {
            self.client
                .api()
                .get_tracking()
                .carrier_code(carrier_code.trim())
                .tracking_number(tracking_number.trim())
                .send()
        };
        let response = self.client.call(Operation::GetTracking, send).await?;
        require(Operation::GetTracking, response)
    }

    /// Reads one stored tracking with checkpoint texts in `lang` (`getTrackingInLanguage`).
    pub async fn get_in_language(
        self,
        carrier_code: &str,
        tracking_number: &str,
        lang: &str,
    ) -> Result<Response<types::Tracking>> {
        check_pair(carrier_code, tracking_number, "")?;
        if lang.trim().is_empty() {
            return Err(Error::invalid("the language must not be empty"));
        }
        let send = move || {
            self.client
                .api()
                .get_tracking_in_language()
                .carrier_code(carrier_code.trim())
                .tracking_number(tracking_number.trim())
                .lang(lang.trim())
                .send()
        };
        let response = self.client.call(Operation::GetTrackingInLanguage, send).await?;
        require(Operation::GetTrackingInLanguage, response)
    }

    /// Changes fields of one stored tracking (`updateTracking`).
    pub async fn update(
        self,
        carrier_code: &str,
        tracking_number: &str,
        changes: &TrackingChanges,
    ) -> Result<Response<types::UpdatedTracking>> {
        check_pair(carrier_code, tracking_number, "")?;
        let send = move || {
            self.client
                .api()
                .update_tracking()
                .carrier_code(carrier_code.trim())
                .tracking_number(tracking_number.trim())
                .body(changes.clone())
                .send()
        };
        let response = self.client.call(Operation::UpdateTracking, send).await?;
        require(Operation::UpdateTracking, response)
    }

    /// Deletes one stored tracking (`deleteTracking`).
    ///
    /// A retry that meets 4017 after an ambiguous attempt counts as deleted: the first
    /// attempt is what deleted it.
    pub async fn delete(self, carrier_code: &str, tracking_number: &str) -> Result<Response<()>> {
        check_pair(carrier_code, tracking_number, "")?;
        let send = move || {
            self.client
                .api()
                .delete_tracking()
                .carrier_code(carrier_code.trim())
                .tracking_number(tracking_number.trim())
                .send()
        };
        match self.client.call(Operation::DeleteTracking, send).await {
            Ok(response) => Ok(response.map(|_| ())),
            Err(Error::Api(api))
                if api.replayed && api.meta_code == Some(MetaCode::TrackingNotFound) =>
            {
                let meta = types::Meta { code: 200, message: None, type_: None };
                Ok(Response::new((), meta, api.status, api.headers, api.attempts, true))
            }
            Err(error) => Err(error),
        }
    }

    /// One page of stored trackings (`listTrackings`).
    pub async fn list(self, filters: &ListFilters) -> Result<Response<types::TrackingPage>> {
        filters.validate()?;
        let mut builder = self.client.api().list_trackings();
        if let Some(page) = filters.page {
            builder = builder.page(page);
        }
        if let Some(limit) = filters.limit {
            builder = builder.limit(limit);
        }
        if let Some(status) = &filters.status {
            builder = builder.status(status.clone());
        }
        let times = [
            (filters.created_at_min, filters.created_at_max),
            (filters.update_time_min, filters.update_time_max),
            (filters.order_created_time_min, filters.order_created_time_max),
        ];
        if let Some(v) = times[0].0 {
            builder = builder.created_at_min(v);
        }
        if let Some(v) = times[0].1 {
            builder = builder.created_at_max(v);
        }
        if let Some(v) = times[1].0 {
            builder = builder.update_time_min(v);
        }
        if let Some(v) = times[1].1 {
            builder = builder.update_time_max(v);
        }
        if let Some(v) = times[2].0 {
            builder = builder.order_created_time_min(v);
        }
        if let Some(v) = times[2].1 {
            builder = builder.order_created_time_max(v);
        }
        if let Some(lang) = &filters.lang {
            builder = builder.lang(lang.clone());
        }
        if !filters.numbers.is_empty() {
            builder = builder.numbers(join(&filters.numbers));
        }
        if !filters.orders.is_empty() {
            builder = builder.orders(join(&filters.orders));
        }
        if let Some(archived) = filters.archived {
            let flag = if archived {
                types::ListTrackingsArchived::True
            } else {
                types::ListTrackingsArchived::False
            };
            builder = builder.archived(flag);
        }

        let response = self.client.call(Operation::ListTrackings, move || builder.send()).await?;
        require(Operation::ListTrackings, response)
    }

    /// Every tracking that matches `filters`, page after page, as one stream.
    ///
    /// Pages are fetched one at a time, as the stream is read, under the client's rate
    /// limit for `listTrackings` (one call per second by default). The stream ends after
    /// an empty or short page; it starts at `filters.page` (default 1) and uses
    /// `filters.limit` (default [`LIST_ALL_PAGE_SIZE`]). The first error ends it.
    pub fn list_all(
        &self,
        filters: ListFilters,
    ) -> impl Stream<Item = Result<types::Tracking>> + Send + 'static {
        let client = self.client.clone();
        let limit = filters.limit.unwrap_or(LIST_ALL_PAGE_SIZE);
        let first = filters.page.unwrap_or(1);
        let pages = stream::try_unfold(Some(first), move |page| {
            let client = client.clone();
            let mut filters = filters.clone();
            async move {
                let Some(page) = page else { return Ok(None) };
                filters.page = Some(page);
                filters.limit = Some(limit);
                let response = client.trackings().list(&filters).await?;
                let items = response.into_inner().items.unwrap_or_default();
                if items.is_empty() {
                    return Ok(None);
                }
                let next = (items.len() as u64 >= limit).then_some(page + 1);
                Ok(Some((stream::iter(items.into_iter().map(Ok)), next)))
            }
        });
        pages.try_flatten().boxed()
    }

    /// Creates any number of trackings (`batchCreateTrackings`), 40 per call, several
    /// calls at a time; see [`crate::batch`] for how results are merged.
    pub async fn batch_create(
        self,
        items: impl IntoIterator<Item = NewTracking>,
    ) -> Result<crate::BatchResult<types::CreatedTracking>> {
        crate::batch::create(self.client, items.into_iter().collect()).await
    }

    /// Changes fields of any number of trackings (`updateTrackings`), 40 per call.
    pub async fn update_many(
        self,
        items: impl IntoIterator<Item = (TrackingId, TrackingChanges)>,
    ) -> Result<crate::BatchResult<TrackingId>> {
        crate::batch::update(self.client, items.into_iter().collect()).await
    }

    /// Deletes any number of trackings (`deleteTrackings`), 40 per call.
    pub async fn delete_many(
        self,
        ids: impl IntoIterator<Item = impl Into<TrackingId>>,
    ) -> Result<crate::BatchResult<TrackingId>> {
        crate::batch::delete(self.client, ids.into_iter().map(Into::into).collect()).await
    }

    /// Stops the background refresh of any number of trackings (`stopUpdating`), 40 per
    /// call.
    pub async fn stop_updating(
        self,
        ids: impl IntoIterator<Item = impl Into<TrackingId>>,
    ) -> Result<crate::BatchResult<TrackingId>> {
        crate::batch::stop(self.client, ids.into_iter().map(Into::into).collect()).await
    }

    /// Queries one shipment live at its carrier (`realtimeTracking`), creating it if
    /// needed. Costs quota on every call, so ambiguous failures are not retried.
    pub async fn realtime(self, id: impl Into<TrackingId>) -> Result<Response<types::Tracking>> {
        let id = id.into();
        id.validate("")?;
        let request = types::RealtimeRequest {
            carrier_code: id
                .carrier_code
                .trim()
                .parse()
                .map_err(|_| Error::invalid("the carrier code must not be empty"))?,
            tracking_number: id
                .tracking_number
                .trim()
                .parse()
                .map_err(|_| Error::invalid("the tracking number must not be empty"))?,
            destination_code: None,
            lang: None,
            order: None,
            order_create_time: None,
            special_number_destination: None,
            tracking_account_number: None,
            tracking_postal_code: None,
            tracking_ship_date: None,
        };
        self.realtime_with(request).await
    }

    /// [`Trackings::realtime`] with every field of the request.
    pub async fn realtime_with(
        self,
        request: types::RealtimeRequest,
    ) -> Result<Response<types::Tracking>> {
        let send = move || self.client.api().realtime_tracking().body(request).send();
        let response = self.client.call(Operation::RealtimeTracking, send).await?;
        let response = require(Operation::RealtimeTracking, response)?;
        let status = response.http_status();
        let response = response.map(|result| result.items.unwrap_or_default().into_iter().next());
        response.transpose().ok_or_else(|| Error::Decode {
            operation: Operation::RealtimeTracking.id(),
            status,
            body: bytes::Bytes::new(),
            source: serde::de::Error::custom("a realtime answer without items"),
        })
    }

    /// Moves a stored tracking to another carrier code (`changeCarrier`).
    pub async fn change_carrier(
        self,
        id: impl Into<TrackingId>,
        new_carrier_code: &str,
    ) -> Result<Response<TrackingId>> {
        let id = id.into();
        id.validate("")?;
        check_carrier(new_carrier_code, " to change to")?;
        let body = types::ChangeCarrierRequest {
            carrier_code: id
                .carrier_code
                .trim()
                .parse()
                .map_err(|_| Error::invalid("bad carrier"))?,
            tracking_number: id
                .tracking_number
                .trim()
                .parse()
                .map_err(|_| Error::invalid("bad tracking number"))?,
            update_carrier_code: new_carrier_code
                .trim()
                .parse()
                .map_err(|_| Error::invalid("bad carrier"))?,
        };
        let send = move || self.client.api().change_carrier().body(body).send();
        let response = self.client.call(Operation::ChangeCarrier, send).await?;
        let moved = TrackingId::new(new_carrier_code.trim(), id.tracking_number.trim());
        Ok(response.map(|_| moved))
    }
}

fn join(entries: &[String]) -> String {
    entries.iter().map(|entry| entry.trim()).collect::<Vec<_>>().join(",")
}

/// The create echo for a stored tracking: the fields both shapes share.
pub(crate) fn created_from(tracking: &types::Tracking) -> Option<types::CreatedTracking> {
    let value = serde_json::to_value(tracking).ok()?;
    serde_json::from_value(value).ok()
}
