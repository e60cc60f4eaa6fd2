//! Handlers of the tracking operations: create, read, edit, delete (one and many), list,
//! realtime, change carrier, stop updating, account info and status counts.
//!
//! Every handler validates the whole request before it takes the world lock, and writes
//! through one [`Batch`] at the end, so a rejected request leaves no trace in the state.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{Caller, empty_success};
use crate::clock;
use crate::envelope::{ApiError, ApiResult, MetaCode, Reply};
use crate::input::{self, JsonBody, NewTracking, PathParams};
use crate::model::{Extra, Status, TrackingRecord};
use crate::state::AppState;
use crate::store::{Batch, Put};
use crate::view::{self, Engine};
use crate::webhooks::WebhookEvent;

/// The most items one batch-style call accepts (documented for batch create, assumed for
/// the other batch endpoints).
const MAX_ITEMS: usize = 40;

/// A per-item error row of the batch answers.
fn error_row(number: &str, carrier: &str, code: MetaCode) -> Value {
    json!({
        "tracking_number": number,
        "carrier_code": carrier,
        "code": code.0,
        "message": code.message(),
    })
}

/// The `{tracking_number, carrier_code}` reference rows of the batch answers.
fn reference(record: &TrackingRecord) -> Value {
    json!({"tracking_number": &*record.tracking_number, "carrier_code": &*record.carrier_code})
}

fn new_record(new: NewTracking, seq: u64, now: i64) -> TrackingRecord {
    let mut record = TrackingRecord {
        seq,
        tracking_number: new.number.into_boxed_str(),
        carrier_code: new.carrier.code.into(),
        created_at: now,
        updated_at: now,
        archived: false,
        track_update: true,
        forced: None,
        frozen_at: None,
        extra: None,
    };
    record.edit_extra(|extra| *extra = new.extra);
    record
}

/// The tracking a path names, or `missing` when the account has none.
fn path_tracking(
    state: &AppState,
    caller: &Caller,
    path: &PathParams,
    missing: MetaCode,
) -> Result<TrackingRecord, ApiError> {
    let number = path.get("tracking_number");
    input::check_number(number)?;
    let carrier = input::carrier_code(path.get("carrier_code"))?;
    state
        .store()
        .get(&caller.key, carrier.code, number)
        .ok_or_else(|| ApiError::new(missing, format!("no tracking {}/{number}", carrier.code)))
}

/// `POST /trackings/post`.
pub async fn create(State(state): State<AppState>, caller: Caller, body: JsonBody) -> ApiResult {
    let new = input::new_tracking(&Value::Object(body.object()?))?;
    let mut world = state.world();
    if state.store().get(&caller.key, new.carrier.code, &new.number).is_some() {
        return Err(ApiError::new(MetaCode::ALREADY_EXISTS, format!("duplicate {}", new.number)));
    }

    let mut batch = Batch::default();
    world.charge(&caller.key, 1, &mut batch)?;
    let seq = state.next_seq();
    let record = new_record(new, seq, world.now);
    batch.setting("next_seq", &(seq + 1));
    batch.put(&caller.key, record.clone());
    state.commit(&mut world, batch, Vec::new())?;
    Ok(Reply::ok(view::created_echo(&caller.key, &record)))
}

/// `POST /trackings/batch`: per-item errors, meta 201 when at least one item was added.
pub async fn batch(State(state): State<AppState>, caller: Caller, body: JsonBody) -> ApiResult {
    let items = body.array(MAX_ITEMS)?;
    let mut world = state.world();
    if world.account(&caller.key)?.remaining() == 0 {
        return Err(ApiError::new(MetaCode::QUOTA_EXHAUSTED, "no quota left for a batch"));
    }

    let mut batch = Batch::default();
    let mut seq = state.next_seq();
    let (mut created, mut errors) = (Vec::new(), Vec::new());
    let mut seen = Vec::<(String, String)>::new();
    for item in &items {
        let (number, carrier) = input::item_names(item);
        let new = match input::new_tracking(item) {
            Ok(new) => new,
            Err(error) => {
                errors.push(error_row(&number, &carrier, error.code));
                continue;
            }
        };
        let key = (new.carrier.code.to_owned(), new.number.clone());
        if seen.contains(&key) || state.store().get(&caller.key, &key.0, &key.1).is_some() {
            errors.push(error_row(&number, &carrier, MetaCode::ALREADY_EXISTS));
            continue;
        }
        if let Err(error) = world.charge(&caller.key, 1, &mut batch) {
            errors.push(error_row(&number, &carrier, error.code));
            continue;
        }
        seen.push(key);
        let record = new_record(new, seq, world.now);
        seq += 1;
        created.push(view::created_echo(&caller.key, &record));
        batch.put(&caller.key, record);
    }

    batch.setting("next_seq", &seq);
    state.commit(&mut world, batch, Vec::new())?;
    let code = if created.is_empty() { MetaCode::SUCCESS } else { MetaCode::CREATED };
    let data = json!({
        "submitted": items.len(),
        "added": created.len(),
        "trackings": created,
        "errors": errors,
    });
    Ok(Reply::with(code, data))
}

/// `GET /trackings/{carrier_code}/{tracking_number}[/{lang}]`: 4031 for unknown numbers.
pub async fn get_one(State(state): State<AppState>, caller: Caller, path: PathParams) -> ApiResult {
    let record = path_tracking(&state, &caller, &path, MetaCode::EMPTY_RESPONSE)?;
    Ok(Reply::ok_encoded(state.engine().tracking_json(&caller.key, &record, state.now())))
}

/// The editable fields of PUT and updatemore, read and validated before any lookup.
#[derive(Debug, Default)]
struct Edit {
    text: Vec<(&'static str, Option<String>)>,
    archived: Option<bool>,
    status: Option<u8>,
}

impl Edit {
    fn read(map: &Map<String, Value>) -> Result<Edit, ApiError> {
        let mut edit = Edit {
            archived: input::archived(map)?,
            status: input::status_change(map)?,
            ..Edit::default()
        };
        for name in Extra::EDITABLE {
            if map.contains_key(name) {
                let value = match name {
                    "customer_email" => input::email(map)?,
                    "destination_code" => {
                        input::text(map, name)?.map(|code| code.to_ascii_uppercase())
                    }
                    _ => input::text(map, name)?,
                };
                edit.text.push((name, value));
            }
        }
        Ok(edit)
    }

    /// The record after the edit, and the webhook event when its visible status changed.
    fn apply(
        &self,
        engine: Engine,
        mut record: TrackingRecord,
        account: &str,
        now: i64,
    ) -> (TrackingRecord, Option<WebhookEvent>) {
        let before = engine.status(&record, now);
        record.edit_extra(|extra| {
            for (name, value) in &self.text {
                if let Some(slot) = extra.editable(name) {
                    *slot = value.clone().map(String::into_boxed_str);
                }
            }
        });
        if let Some(archived) = self.archived {
            record.archived = archived;
        }
        match self.status {
            Some(4) => record.forced = Some(Status::Delivered),
            Some(7) => record.forced = Some(Status::Exception),
            Some(_) => record.forced = None,
            None => {}
        }
        record.updated_at = now;
        let after = engine.status(&record, now);
        let event = (after != before).then(|| WebhookEvent {
            account: account.to_owned(),
            record: record.clone(),
            at: now,
            status: after,
        });
        (record, event)
    }
}

/// `PUT /trackings/{carrier_code}/{tracking_number}`: the echo returns `archived` and
/// `status` as strings, as the API's own example does.
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    path: PathParams,
    body: JsonBody,
) -> ApiResult {
    let fields = body.object()?;
    let edit = Edit::read(&fields)?;
    let mut world = state.world();
    let record = path_tracking(&state, &caller, &path, MetaCode::DOES_NOT_EXIST)?;
    let now = world.now;
    let (record, event) = edit.apply(state.engine(), record, &caller.key, now);

    let mut batch = Batch::default();
    batch.put(&caller.key, record.clone());
    state.commit(&mut world, batch, event.into_iter().collect())?;
    Ok(Reply::ok(view::put_echo(
        &caller.key,
        &record,
        edit.status,
        state.engine().status(&record, now),
    )))
}

/// `DELETE /trackings/{carrier_code}/{tracking_number}`.
pub async fn delete_one(
    State(state): State<AppState>,
    caller: Caller,
    path: PathParams,
) -> ApiResult {
    let mut world = state.world();
    let record = path_tracking(&state, &caller, &path, MetaCode::DOES_NOT_EXIST)?;
    let mut batch = Batch::default();
    batch.deletes.push((
        caller.key.clone(),
        record.carrier_code.to_string(),
        record.tracking_number.to_string(),
    ));
    state.commit(&mut world, batch, Vec::new())?;
    Ok(empty_success())
}

/// Reads the (number, carrier) of a batch item and finds the tracking, looking at the
/// changes this request already made first.
fn item_tracking(
    state: &AppState,
    caller: &Caller,
    item: &Value,
    pending: &BTreeMap<(String, String), Option<TrackingRecord>>,
) -> Result<TrackingRecord, ApiError> {
    let Value::Object(map) = item else {
        return Err(ApiError::bad_request("item is not an object"));
    };
    let number = input::tracking_number(map)?;
    let carrier = input::carrier(map, "carrier_code")?;
    let key = (carrier.code.to_owned(), number);
    let found = match pending.get(&key) {
        Some(record) => record.clone(),
        None => state.store().get(&caller.key, &key.0, &key.1),
    };
    found.ok_or_else(|| ApiError::new(MetaCode::DOES_NOT_EXIST, format!("no tracking {}", key.1)))
}

fn key_of(record: &TrackingRecord) -> (String, String) {
    (record.carrier_code.to_string(), record.tracking_number.to_string())
}

/// `POST /trackings/updatemore`: `{submitted, updated, trackings, errors}`.
pub async fn update_many(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let items = body.array(MAX_ITEMS)?;
    let mut world = state.world();
    let now = world.now;
    let mut pending = BTreeMap::new();
    let (mut updated, mut errors, mut events) = (Vec::new(), Vec::new(), Vec::new());
    for item in &items {
        let (number, carrier) = input::item_names(item);
        let edited = item
            .as_object()
            .ok_or_else(|| ApiError::bad_request("item is not an object"))
            .and_then(Edit::read)
            .and_then(|edit| Ok((edit, item_tracking(&state, &caller, item, &pending)?)));
        match edited {
            Ok((edit, record)) => {
                let (record, event) = edit.apply(state.engine(), record, &caller.key, now);
                updated.push(reference(&record));
                events.extend(event);
                pending.insert(key_of(&record), Some(record));
            }
            Err(error) => errors.push(error_row(&number, &carrier, error.code)),
        }
    }

    let mut batch = Batch::default();
    pending.into_values().flatten().for_each(|record| batch.put(&caller.key, record));
    state.commit(&mut world, batch, events)?;
    Ok(Reply::ok(json!({
        "submitted": items.len(),
        "updated": updated.len(),
        "trackings": updated,
        "errors": errors,
    })))
}

/// `POST /trackings/delete`: one nested meta per item.
pub async fn delete_many(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let items = body.array(MAX_ITEMS)?;
    let mut world = state.world();
    let mut pending = BTreeMap::new();
    let mut rows = Vec::new();
    let mut batch = Batch::default();
    for item in &items {
        let (number, carrier) = input::item_names(item);
        let code = match item_tracking(&state, &caller, item, &pending) {
            Ok(record) => {
                let key = key_of(&record);
                batch.deletes.push((caller.key.clone(), key.0.clone(), key.1.clone()));
                pending.insert(key, None);
                MetaCode::SUCCESS
            }
            Err(error) => error.code,
        };
        rows.push(json!({"meta": {
            "tracking_number": number,
            "carrier_code": carrier,
            "code": code.0,
            "type": code.kind(),
            "message": code.message(),
        }}));
    }

    let deleted = batch.deletes.len();
    state.commit(&mut world, batch, Vec::new())?;
    Ok(Reply::ok(json!({"submitted": items.len(), "delete": deleted, "trackings": rows})))
}

/// `POST /trackings/notupdate`: freezes the lifecycle and clears `track_update`.
pub async fn stop_updating(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let items = body.array(MAX_ITEMS)?;
    let mut world = state.world();
    let now = world.now;
    let mut pending = BTreeMap::new();
    let (mut changed, mut errors) = (Vec::new(), Vec::new());
    for item in &items {
        let (number, carrier) = input::item_names(item);
        match item_tracking(&state, &caller, item, &pending) {
            Ok(mut record) => {
                record.track_update = false;
                record.frozen_at = Some(record.frozen_at.unwrap_or(now));
                changed.push(reference(&record));
                pending.insert(key_of(&record), Some(record));
            }
            Err(error) => errors.push(error_row(&number, &carrier, error.code)),
        }
    }

    let mut batch = Batch::default();
    pending.into_values().flatten().for_each(|record| batch.put(&caller.key, record));
    state.commit(&mut world, batch, Vec::new())?;
    Ok(Reply::ok(json!({
        "submitted": items.len(),
        "change": changed.len(),
        "trackings": changed,
        "errors": errors,
    })))
}

/// `POST /trackings/realtime`: answers from the lifecycle engine, creating the tracking when
/// the account does not have it yet; costs one unit of quota either way.
pub async fn realtime(State(state): State<AppState>, caller: Caller, body: JsonBody) -> ApiResult {
    let new = input::new_tracking(&Value::Object(body.object()?))?;
    let mut world = state.world();
    let mut batch = Batch::default();
    world.charge(&caller.key, 1, &mut batch)?;

    let record = match state.store().get(&caller.key, new.carrier.code, &new.number) {
        Some(record) => record,
        None => {
            let seq = state.next_seq();
            let record = new_record(new, seq, world.now);
            batch.setting("next_seq", &(seq + 1));
            batch.put(&caller.key, record.clone());
            record
        }
    };
    state.commit(&mut world, batch, Vec::new())?;
    let item = state.engine().tracking(&caller.key, &record, world.now);
    Ok(Reply::ok(json!({"items": [item]})))
}

/// `POST /trackings/update`: moves a tracking to another carrier code.
pub async fn change_carrier(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonBody,
) -> ApiResult {
    let map = body.object()?;
    let number = input::tracking_number(&map)?;
    let from = input::carrier(&map, "carrier_code")?;
    let to = input::carrier(&map, "update_carrier_code")?;

    let mut world = state.world();
    let now = world.now;
    let record = state
        .store()
        .get(&caller.key, from.code, &number)
        .ok_or_else(|| ApiError::new(MetaCode::DOES_NOT_EXIST, format!("no tracking {number}")))?;
    if from.code == to.code {
        return Ok(Reply::ok(json!({"Usertag": ""})));
    }
    if state.store().get(&caller.key, to.code, &number).is_some() {
        return Err(ApiError::new(
            MetaCode::ALREADY_EXISTS,
            format!("{number} exists under {}", to.code),
        ));
    }

    let before = state.engine().status(&record, now);
    let mut moved = record.clone();
    moved.carrier_code = to.code.into();
    moved.updated_at = now;
    let after = state.engine().status(&moved, now);
    let event = (before != after).then(|| WebhookEvent {
        account: caller.key.clone(),
        record: moved.clone(),
        at: now,
        status: after,
    });
    let mut batch = Batch::default();
    batch.puts.push(Put {
        account: caller.key.clone(),
        replaces: Some((from.code.to_owned(), number)),
        record: moved,
    });
    state.commit(&mut world, batch, event.into_iter().collect())?;
    Ok(Reply::ok(json!({"Usertag": ""})))
}

/// `GET /trackings/getuserinfo`: `track_number` is the remaining quota.
pub async fn user_info(State(state): State<AppState>, caller: Caller) -> ApiResult {
    let world = state.world();
    let account = world.account(&caller.key)?;
    Ok(Reply::ok(json!({
        "email": account.email,
        "regtime": account.regtime.to_string(),
        "phone": "",
        "money": 0,
        "track_number": account.remaining(),
    })))
}

/// The time windows shared by list and status counts.
#[derive(Debug, Default)]
struct Windows {
    created: (Option<i64>, Option<i64>),
    updated: (Option<i64>, Option<i64>),
    ordered: (Option<i64>, Option<i64>),
}

fn within(value: i64, (min, max): (Option<i64>, Option<i64>)) -> bool {
    min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
}

impl Windows {
    fn read(params: &Map<String, Value>, with_update: bool) -> Result<Windows, ApiError> {
        let pair = |prefix: &str| -> Result<_, ApiError> {
            Ok((
                input::integer(params, &format!("{prefix}_min"))?,
                input::integer(params, &format!("{prefix}_max"))?,
            ))
        };
        Ok(Windows {
            created: pair("created_at")?,
            updated: if with_update { pair("update_time")? } else { (None, None) },
            ordered: pair("order_created_time")?,
        })
    }

    fn matches(&self, engine: Engine, record: &TrackingRecord, now: i64) -> bool {
        if !within(record.created_at, self.created) {
            return false;
        }
        if self.updated != (None, None) && !within(engine.updated_at(record, now), self.updated) {
            return false;
        }
        if self.ordered != (None, None) {
            let ordered =
                record.extra().order_create_time.as_deref().and_then(clock::parse_order_time);
            return ordered.is_some_and(|ordered| within(ordered, self.ordered));
        }
        true
    }
}

/// A comma list of at most 40 entries (a JSON array of strings is accepted too).
fn comma_list(params: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    let entries: Vec<String> = match params.get(name) {
        None => return Ok(None),
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
        }
        Some(_) => match input::text(params, name)? {
            Some(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            None => return Ok(None),
        },
    };
    if entries.len() > MAX_ITEMS {
        return Err(ApiError::bad_request(format!("{name} lists more than {MAX_ITEMS} entries")));
    }
    Ok(Some(entries))
}

#[derive(Debug, Serialize)]
struct Page {
    page: u64,
    limit: u64,
    /// A string, as in the captured real responses.
    total: String,
    count: usize,
    items: Vec<Value>,
}

/// `GET /trackings/get` (and `POST` with a JSON body): filtered pages in creation order.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
    body: JsonBody,
) -> ApiResult {
    let params = input::params(query.as_deref(), body)?;
    let page = input::integer(&params, "page")?.unwrap_or(1);
    let limit = input::integer(&params, "limit")?.unwrap_or(100);
    if page < 1 || !(1..=2000).contains(&limit) {
        return Err(ApiError::bad_request(format!("page {page} or limit {limit} out of range")));
    }
    let status = match params.get("status") {
        None => None,
        Some(value) => Some(value.as_str().and_then(Status::parse).ok_or_else(|| {
            ApiError::new(MetaCode::STATUS_INVALID, format!("unknown status filter: {value}"))
        })?),
    };
    let archived = match params.get("archived") {
        Some(Value::Bool(flag)) => Some(*flag),
        Some(Value::String(text)) if text == "true" => Some(true),
        Some(Value::String(text)) if text == "false" => Some(false),
        _ => None,
    };
    let numbers = comma_list(&params, "numbers")?;
    let orders = comma_list(&params, "orders")?;
    let windows = Windows::read(&params, true)?;

    let now = state.now();
    let engine = state.engine();
    let (page, limit) = (page as u64, limit as u64);
    let skip = (page - 1).saturating_mul(limit);
    let mut total = 0u64;
    let mut items = Vec::new();
    state.store().scan(&caller.key, &mut |record: &TrackingRecord| {
        let wanted = archived.is_none_or(|flag| record.archived == flag)
            && numbers
                .as_ref()
                .is_none_or(|list| list.iter().any(|n| **n == *record.tracking_number))
            && orders.as_ref().is_none_or(|list| {
                record
                    .extra()
                    .order_id
                    .as_deref()
                    .is_some_and(|order| list.iter().any(|o| o == order))
            })
            && windows.matches(engine, record, now)
            && status.is_none_or(|status| engine.status(record, now) == status);
        if wanted {
            if total >= skip && total < skip.saturating_add(limit) {
                items.push(engine.tracking(&caller.key, record, now));
            }
            total += 1;
        }
    });
    let data = Page { page, limit, total: total.to_string(), count: items.len(), items };
    Ok(Reply::ok(serde_json::to_value(data).unwrap_or(Value::Null)))
}

#[derive(Debug, Default, Serialize)]
struct StatusCounts {
    pending: u64,
    notfound: u64,
    transit: u64,
    pickup: u64,
    delivered: u64,
    undelivered: u64,
    exception: u64,
    expired: u64,
}

/// `GET /trackings/getstatusnumber`: all eight keys, filtered by creation and order time.
pub async fn status_counts(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult {
    let params = input::params(query.as_deref(), JsonBody(None))?;
    let windows = Windows::read(&params, false)?;
    let now = state.now();
    let engine = state.engine();
    let mut counts = StatusCounts::default();
    state.store().scan(&caller.key, &mut |record: &TrackingRecord| {
        if !windows.matches(engine, record, now) {
            return;
        }
        let slot = match engine.status(record, now) {
            Status::Pending => &mut counts.pending,
            Status::Notfound => &mut counts.notfound,
            Status::Transit => &mut counts.transit,
            Status::Pickup => &mut counts.pickup,
            Status::Delivered => &mut counts.delivered,
            Status::Undelivered => &mut counts.undelivered,
            Status::Exception => &mut counts.exception,
            Status::Expired => &mut counts.expired,
        };
        *slot += 1;
    });
    Ok(Reply::ok(serde_json::to_value(counts).unwrap_or(Value::Null)))
}
