//! Batch calls of any size: split into chunks of the API's limit, sent a few at a time,
//! merged back into one [`BatchResult`] in input order.
//!
//! The API takes at most [`CHUNK_SIZE`] items per batch call. A batch of any length is cut
//! into chunks of that size, the chunks are sent with at most `batch_concurrency` calls in
//! flight (4 by default, see [`crate::ClientBuilder::batch_concurrency`]), and the per-item
//! answers are matched back to the input by carrier code and tracking number, so every
//! entry of the result carries the index of its input item.
//!
//! Per-item rejections (4016 for an existing tracking, 4015 for an unknown carrier, …) are
//! [`ItemError`]s and do not fail the batch. A chunk whose call fails as a whole turns each
//! of its items into an [`ItemError`] carrying the call's error; only when *every* chunk
//! fails does the batch return that error instead.
//!
//! After an ambiguous attempt (see [`crate::operation`]) a chunk's retry may meet what its
//! first attempt did: a 4016 in batch creation, or a 4017 in batch deletion, then counts as
//! done, flagged [`Done::recovered`].

use std::collections::{HashMap, VecDeque};

use futures::StreamExt;

use crate::client::{Client, require};
use crate::envelope::Response;
use crate::error::{Error, MetaCode, Result};
use crate::operation::Operation;
use crate::trackings::{NewTracking, TrackingChanges, TrackingId, key_of};
use crate::types;

/// The most items the API takes in one batch call.
pub const CHUNK_SIZE: usize = 40;

/// The merged outcome of a batch call.
#[derive(Clone, Debug)]
pub struct BatchResult<T> {
    /// The items that were carried out, in input order.
    pub done: Vec<Done<T>>,
    /// The items that were rejected, in input order.
    pub errors: Vec<ItemError>,
    /// How many items were submitted.
    pub submitted: usize,
    /// How many API calls were made (one per chunk).
    pub calls: usize,
    /// Whether any chunk was accepted only in part (meta 202).
    pub partial: bool,
}

impl<T> BatchResult<T> {
    /// Whether every item was carried out.
    pub fn is_complete(&self) -> bool {
        self.errors.is_empty() && self.done.len() == self.submitted
    }
}

/// One item that was carried out.
#[derive(Clone, Debug)]
pub struct Done<T> {
    /// Position of the item in the input.
    pub index: usize,
    /// What the API answered for it.
    pub value: T,
    /// Counted as done because a retry met what an earlier, ambiguous attempt did.
    pub recovered: bool,
}

/// One item that was rejected.
#[derive(Clone, Debug)]
pub struct ItemError {
    /// Position of the item in the input.
    pub index: usize,
    /// The tracking the item named.
    pub id: TrackingId,
    /// The item's meta code (or the failed call's, when the whole chunk failed).
    pub code: Option<MetaCode>,
    /// The API's message, or the failed call's error.
    pub message: String,
}

/// Input indices by tracking key, so that answers naming a tracking find their item.
struct Slots(HashMap<(String, String), VecDeque<usize>>);

impl Slots {
    fn new<'i>(ids: impl Iterator<Item = (usize, &'i TrackingId)>) -> Slots {
        let mut slots: HashMap<_, VecDeque<usize>> = HashMap::new();
        for (index, id) in ids {
            slots.entry(id.key()).or_default().push_back(index);
        }
        Slots(slots)
    }

    fn take(&mut self, carrier: Option<&str>, number: Option<&str>) -> Option<usize> {
        let key = key_of(carrier.unwrap_or_default(), number.unwrap_or_default());
        if let Some(index) = self.0.get_mut(&key).and_then(VecDeque::pop_front) {
            return Some(index);
        }
        // Some answers name the carrier differently (or not at all): fall back to the number.
        let (_, number) = key;
        self.0
            .iter_mut()
            .filter(|((_, candidate), _)| *candidate == number)
            .find_map(|(_, indices)| indices.pop_front())
    }

    fn rest(self) -> Vec<usize> {
        let mut rest: Vec<usize> = self.0.into_values().flatten().collect();
        rest.sort_unstable();
        rest
    }
}

/// The items of one chunk, with their positions in the whole input.
type Indexed = Vec<(usize, TrackingId)>;

/// What one chunk produced, with indices already global.
struct ChunkResult<T> {
    done: Vec<Done<T>>,
    errors: Vec<ItemError>,
    partial: bool,
}

fn check_not_empty(len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::invalid("a batch needs at least one item: 0"));
    }
    Ok(())
}

/// Cuts `items` and their `ids` into chunks of [`CHUNK_SIZE`], moving every item into its
/// chunk: a batch holds one copy of its request bodies, whatever its size.
fn into_chunks<I>(items: Vec<I>, ids: Vec<TrackingId>) -> Vec<(Vec<I>, Indexed)> {
    let mut chunks = Vec::with_capacity(items.len().div_ceil(CHUNK_SIZE));
    let mut items = items.into_iter();
    let mut ids = ids.into_iter().enumerate();
    loop {
        let chunk: Vec<I> = items.by_ref().take(CHUNK_SIZE).collect();
        if chunk.is_empty() {
            return chunks;
        }
        let indexed: Indexed = ids.by_ref().take(chunk.len()).collect();
        chunks.push((chunk, indexed));
    }
}

/// Sends the chunk calls with bounded concurrency and merges what they return.
///
/// Each chunk's bodies are dropped once its call has answered, and each answer is merged
/// as it arrives, so a large batch holds its pending bodies and the merged result, never a
/// second copy of either.
async fn run<I, T, F, Fut>(
    client: &Client,
    ids: Vec<TrackingId>,
    items: Vec<I>,
    send: F,
) -> Result<BatchResult<T>>
where
    F: Fn(Vec<I>, Indexed) -> Fut,
    Fut: std::future::Future<Output = Result<ChunkResult<T>>>,
{
    let submitted = items.len();
    // The chunk futures are built up front: a stream over a borrowing iterator adapter
    // makes the compiler lose `Send` for the whole call (rust-lang/rust#102211), and
    // callers must be able to spawn it. A future that has not started holds its chunk,
    // which is moved there, not copied.
    let pending: Vec<_> = into_chunks(items, ids)
        .into_iter()
        .map(|(chunk, indexed)| {
            let ids = indexed.clone();
            let call = send(chunk, indexed);
            async move { (ids, call.await) }
        })
        .collect();
    let calls = pending.len();
    let mut outcomes = futures::stream::iter(pending).buffered(client.batch_concurrency());

    let mut merged = BatchResult {
        done: Vec::with_capacity(submitted),
        errors: Vec::new(),
        submitted,
        calls,
        partial: false,
    };
    let mut first_failure = None;
    let mut failures = 0;
    while let Some((indexed, outcome)) = outcomes.next().await {
        match outcome {
            Ok(chunk) => {
                merged.done.extend(chunk.done);
                merged.errors.extend(chunk.errors);
                merged.partial |= chunk.partial;
            }
            Err(error) => {
                failures += 1;
                for (index, id) in indexed {
                    merged.errors.push(ItemError {
                        index,
                        id,
                        code: error.meta_code(),
                        message: error.to_string(),
                    });
                }
                first_failure.get_or_insert(error);
            }
        }
    }
    if failures == calls
        && let Some(error) = first_failure
    {
        return Err(error);
    }
    merged.done.sort_by_key(|done| done.index);
    merged.errors.sort_by_key(|error| error.index);
    Ok(merged)
}

/// Items of a chunk that no answer row mentioned.
fn unreported(slots: Slots, indexed: &[(usize, TrackingId)]) -> Vec<ItemError> {
    slots
        .rest()
        .into_iter()
        .filter_map(|index| indexed.iter().find(|(i, _)| *i == index))
        .map(|(index, id)| ItemError {
            index: *index,
            id: id.clone(),
            code: None,
            message: format!("the api did not report on this item: {id}"),
        })
        .collect()
}

fn row_error(
    index: usize,
    id: &TrackingId,
    code: Option<i64>,
    message: Option<String>,
) -> ItemError {
    ItemError {
        index,
        id: id.clone(),
        code: code.map(MetaCode::from),
        message: message.unwrap_or_default(),
    }
}

fn id_at(indexed: &[(usize, TrackingId)], index: usize) -> TrackingId {
    indexed
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, id)| id.clone())
        .unwrap_or_else(|| TrackingId::new("", ""))
}

pub(crate) async fn create(
    client: &Client,
    items: Vec<NewTracking>,
) -> Result<BatchResult<types::CreatedTracking>> {
    check_not_empty(items.len())?;
    // Each item is dropped as soon as its request body is made, so the input and the
    // bodies are not both held in full.
    let mut ids = Vec::with_capacity(items.len());
    let mut requests = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        requests.push(item.to_request(&format!(" (item {index})"))?);
        ids.push(item.id());
    }

    run(client, ids, requests, |chunk, indexed| async move {
        let send = move || client.api().batch_create_trackings().body(chunk).send();
        let response = client.call(Operation::BatchCreateTrackings, send).await?;
        let response = require(Operation::BatchCreateTrackings, response)?;
        let (partial, replayed) = (response.is_partial(), response.replayed());
        let result = response.into_inner();

        let mut slots = Slots::new(indexed.iter().map(|(index, id)| (*index, id)));
        let mut chunk = ChunkResult { done: Vec::new(), errors: Vec::new(), partial };
        for created in result.trackings.unwrap_or_default() {
            let slot =
                slots.take(created.carrier_code.as_deref(), created.tracking_number.as_deref());
            if let Some(index) = slot {
                chunk.done.push(Done { index, value: created, recovered: false });
            }
        }
        for row in result.errors.unwrap_or_default() {
            let Some(index) =
                slots.take(row.carrier_code.as_deref(), row.tracking_number.as_deref())
            else {
                continue;
            };
            let id = id_at(&indexed, index);
            if replayed && row.code == Some(MetaCode::TrackingAlreadyExists.code()) {
                let value = echo_of(&id);
                chunk.done.push(Done { index, value, recovered: true });
            } else {
                chunk.errors.push(row_error(index, &id, row.code, row.message));
            }
        }
        chunk.errors.extend(unreported(slots, &indexed));
        Ok(chunk)
    })
    .await
}

/// The create echo of a tracking whose first creation answer was lost: what is known.
fn echo_of(id: &TrackingId) -> types::CreatedTracking {
    types::CreatedTracking {
        carrier_code: Some(id.carrier_code.trim().to_ascii_lowercase()),
        comment: None,
        created_at: None,
        customer_email: None,
        customer_name: None,
        customer_phone: None,
        destination: None,
        id: None,
        logistics_channel: None,
        order_create_time: None,
        order_id: None,
        status: None,
        title: None,
        tracking_number: Some(id.tracking_number.trim().to_owned()),
        extra: serde_json::Map::new(),
    }
}

pub(crate) async fn update(
    client: &Client,
    items: Vec<(TrackingId, TrackingChanges)>,
) -> Result<BatchResult<TrackingId>> {
    check_not_empty(items.len())?;
    let mut bodies = Vec::with_capacity(items.len());
    let mut ids = Vec::with_capacity(items.len());
    for (index, (id, changes)) in items.into_iter().enumerate() {
        id.validate(&format!(" (item {index})"))?;
        if changes.customer_phone.is_some() {
            return Err(Error::invalid(format!(
                "a batch update cannot change the customer phone (item {index}): {id}"
            )));
        }
        bodies.push(types::UpdateTrackingsItem {
            archived: changes.archived.map(|flag| match flag {
                types::UpdateTrackingRequestArchived::True => {
                    types::UpdateTrackingsItemArchived::True
                }
                types::UpdateTrackingRequestArchived::False => {
                    types::UpdateTrackingsItemArchived::False
                }
            }),
            carrier_code: parse(&id.carrier_code, index)?,
            tracking_number: parse(&id.tracking_number, index)?,
            customer_email: changes.customer_email,
            customer_name: changes.customer_name,
            destination_code: changes.destination_code,
            logistics_channel: changes.logistics_channel,
            order_id: changes.order_id,
            status: changes.status,
            title: changes.title,
        });
        ids.push(id);
    }

    run(client, ids, bodies, |chunk, indexed| async move {
        let send = move || client.api().update_trackings().body(chunk).send();
        let response = client.call(Operation::UpdateTrackings, send).await?;
        let response = require(Operation::UpdateTrackings, response)?;
        let partial = response.is_partial();
        let result = response.into_inner();
        Ok(refs_and_errors(&indexed, result.trackings, result.errors, partial))
    })
    .await
}

pub(crate) async fn stop(client: &Client, ids: Vec<TrackingId>) -> Result<BatchResult<TrackingId>> {
    check_not_empty(ids.len())?;
    let refs = refs(&ids)?;
    run(client, ids, refs, |chunk, indexed| async move {
        let send = move || client.api().stop_updating().body(chunk).send();
        let response = client.call(Operation::StopUpdating, send).await?;
        let response = require(Operation::StopUpdating, response)?;
        let partial = response.is_partial();
        let result = response.into_inner();
        Ok(refs_and_errors(&indexed, result.trackings, result.errors, partial))
    })
    .await
}

pub(crate) async fn delete(
    client: &Client,
    ids: Vec<TrackingId>,
) -> Result<BatchResult<TrackingId>> {
    check_not_empty(ids.len())?;
    let refs = refs(&ids)?;
    run(client, ids, refs, |chunk, indexed| async move {
        let send = move || client.api().delete_trackings().body(chunk).send();
        let response: Response<_> = client.call(Operation::DeleteTrackings, send).await?;
        let response = require(Operation::DeleteTrackings, response)?;
        let (partial, replayed) = (response.is_partial(), response.replayed());
        let result = response.into_inner();

        let mut slots = Slots::new(indexed.iter().map(|(index, id)| (*index, id)));
        let mut chunk = ChunkResult { done: Vec::new(), errors: Vec::new(), partial };
        for row in result.trackings.unwrap_or_default() {
            let Some(meta) = row.meta else { continue };
            let Some(index) =
                slots.take(meta.carrier_code.as_deref(), meta.tracking_number.as_deref())
            else {
                continue;
            };
            let id = id_at(&indexed, index);
            let code = meta.code.map(MetaCode::from);
            let gone_before = replayed && code == Some(MetaCode::TrackingNotFound);
            if code.is_none_or(MetaCode::is_success) || gone_before {
                chunk.done.push(Done { index, value: id, recovered: gone_before });
            } else {
                chunk.errors.push(row_error(index, &id, meta.code, meta.message));
            }
        }
        chunk.errors.extend(unreported(slots, &indexed));
        Ok(chunk)
    })
    .await
}

fn parse<T: std::str::FromStr>(text: &str, index: usize) -> Result<T> {
    text.trim()
        .parse()
        .map_err(|_| Error::invalid(format!("the value cannot be sent (item {index}): {text:?}")))
}

fn refs(ids: &[TrackingId]) -> Result<Vec<types::TrackingRef>> {
    ids.iter()
        .enumerate()
        .map(|(index, id)| {
            id.validate(&format!(" (item {index})"))?;
            Ok(types::TrackingRef {
                carrier_code: Some(id.carrier_code.trim().to_owned()),
                tracking_number: Some(id.tracking_number.trim().to_owned()),
            })
        })
        .collect()
}

/// The merge of answers that list done items as references and rejections as errors.
fn refs_and_errors(
    indexed: &[(usize, TrackingId)],
    done: Option<Vec<types::TrackingRef>>,
    errors: Option<Vec<types::BatchItemError>>,
    partial: bool,
) -> ChunkResult<TrackingId> {
    let mut slots = Slots::new(indexed.iter().map(|(index, id)| (*index, id)));
    let mut chunk = ChunkResult { done: Vec::new(), errors: Vec::new(), partial };
    for row in done.unwrap_or_default() {
        if let Some(index) = slots.take(row.carrier_code.as_deref(), row.tracking_number.as_deref())
        {
            chunk.done.push(Done { index, value: id_at(indexed, index), recovered: false });
        }
    }
    for row in errors.unwrap_or_default() {
        if let Some(index) = slots.take(row.carrier_code.as_deref(), row.tracking_number.as_deref())
        {
            chunk.errors.push(row_error(index, &id_at(indexed, index), row.code, row.message));
        }
    }
    chunk.errors.extend(unreported(slots, indexed));
    chunk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_match_by_key_then_by_number() {
        let ids = [
            TrackingId::new("DHL", " 123 "),
            TrackingId::new("dhl", "123"),
            TrackingId::new("ups", "9"),
        ];
        let mut slots = Slots::new(ids.iter().enumerate());
        assert_eq!(slots.take(Some("dhl"), Some("123")), Some(0));
        assert_eq!(slots.take(Some("dhl"), Some("123")), Some(1));
        assert_eq!(slots.take(None, Some("9")), Some(2));
        assert_eq!(slots.take(Some("dhl"), Some("123")), None);
        assert!(slots.rest().is_empty());
    }

    #[test]
    fn a_lost_echo_keeps_what_is_known() {
        let echo = echo_of(&TrackingId::new("DHL", "1234567890"));
        assert_eq!(echo.carrier_code.as_deref(), Some("dhl"));
        assert_eq!(echo.tracking_number.as_deref(), Some("1234567890"));
    }
}
