//! The chaos workload: mixed operations through the client while the sandbox injects faults
//! into about a fifth of all requests, checked against a model of what the sandbox must hold.
//!
//! Each worker owns its own tracking numbers and keeps, for each of them, the set of states
//! the sandbox may be in. An acknowledged write leaves one state; a failed write leaves two
//! (it happened, or it did not), and the next read of that number must find one of them.
//! A read that contradicts the model is a lost or invented write. At the end the sandbox's
//! snapshot must match every worker's model, every tracking must carry the id its creation
//! was acknowledged with (so none was created twice), and every failure must have been one
//! of the typed errors the injected faults explain.
//!
//! `CHAOS_OPS` (default 1,000) sets the number of operations, `CHAOS_SEED` the seed of the
//! workload and of the fault draws, `CHAOS_WORKERS` (default 8) the concurrency. Each worker's
//! sequence of operations is fixed by the seed; which request meets which fault also depends
//! on how the workers interleave.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use trackingmore::model::{Status, StatusChange};
use trackingmore::{
    Client, Error, ListFilters, MetaCode, NewTracking, RateLimits, RetryPolicy, TrackingChanges,
    TrackingId, types,
};
use trackingmore_sandbox::{Admin, Config, Fault, FaultKind, Sandbox};

/// Numbers per worker: small enough that operations keep meeting the same trackings.
const KEYS: usize = 24;

/// Carriers the workload uses; all known to the sandbox.
const CARRIERS: [&str; 4] = ["dhl", "ups", "fedex", "tnt"];

const TITLES: [&str; 4] = ["Desk lamp", "Mug", "Chair", "Kettle"];

/// A seeded xorshift generator: the workload must not depend on anything but the seed.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|value| value.trim().parse().ok()).unwrap_or(default)
}

/// What the sandbox holds for one number, as far as the test can see it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stored {
    /// The id its creation was acknowledged with; `None` when the creation was ambiguous.
    id: Option<String>,
    carrier: String,
    title: Option<String>,
    archived: bool,
    /// `delivered` or `exception` when forced with PUT; the computed status stays `pending`
    /// because the virtual clock never moves in this test.
    forced: Option<String>,
}

impl Stored {
    /// Whether `seen` is this state (an unknown id matches any id).
    fn admits(&self, seen: &Stored) -> bool {
        self.id.as_ref().is_none_or(|id| Some(id) == seen.id.as_ref())
            && self.carrier == seen.carrier
            && self.title == seen.title
            && self.archived == seen.archived
            && self.forced == seen.forced
    }

    fn from_tracking(tracking: &types::Tracking) -> Stored {
        let forced = match &tracking.status {
            Some(Status::Delivered) => Some("delivered".to_owned()),
            Some(Status::Exception) => Some("exception".to_owned()),
            _ => None,
        };
        Stored {
            id: tracking.id.clone(),
            carrier: tracking.carrier_code.clone().unwrap_or_default(),
            title: tracking.title.clone(),
            archived: tracking.is_archived().unwrap_or(false),
            forced,
        }
    }
}

/// `None` is "absent".
type State = Option<Stored>;

fn admits(expected: &State, seen: &State) -> bool {
    match (expected, seen) {
        (None, None) => true,
        (Some(expected), Some(seen)) => expected.admits(seen),
        _ => false,
    }
}

/// The states one number may be in: one after an acknowledged write, more after failures.
#[derive(Clone, Debug)]
struct Entry {
    number: String,
    candidates: Vec<State>,
}

impl Entry {
    fn known(&self) -> Option<&State> {
        match self.candidates.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// After an acknowledged write.
    fn set(&mut self, state: State) {
        self.candidates = vec![state];
    }

    /// After a write that may or may not have happened.
    fn maybe(&mut self, apply: impl Fn(&State) -> State) {
        let mut next = Vec::new();
        for state in &self.candidates {
            for candidate in [state.clone(), apply(state)] {
                if !next.contains(&candidate) {
                    next.push(candidate);
                }
            }
        }
        self.candidates = next;
    }

    /// A read found `seen`: it must be one of the candidates, and becomes the only one.
    fn observe(&mut self, seen: State, context: &str) {
        let known = self.candidates.iter().find(|candidate| admits(candidate, &seen)).cloned();
        let Some(mut matched) = known else {
            panic!(
                "{}: {context} found {seen:?}, but the model allows only {:?}",
                self.number, self.candidates
            );
        };
        // Learn the id of a creation that was ambiguous.
        if let (Some(matched), Some(seen)) = (&mut matched, &seen) {
            matched.id = seen.id.clone();
        }
        self.set(matched);
    }
}

/// What the workload saw, for the report and the final checks.
#[derive(Debug, Default)]
struct Tally {
    ops: BTreeMap<&'static str, u64>,
    errors: BTreeMap<String, u64>,
    ambiguous: u64,
    resolved: u64,
    replayed_successes: u64,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (name, n) in other.ops {
            *self.ops.entry(name).or_default() += n;
        }
        for (name, n) in other.errors {
            *self.errors.entry(name).or_default() += n;
        }
        self.ambiguous += other.ambiguous;
        self.resolved += other.resolved;
        self.replayed_successes += other.replayed_successes;
    }
}

/// The kind of an error the injected faults explain, or a panic for any other error.
///
/// Meta codes of the API (4016, 4017, 4031) are not fault errors: the caller checks those
/// against the model.
fn fault_error(error: &Error, context: &str) -> String {
    match error {
        Error::Transport { kind, .. } => format!("transport: {kind}"),
        Error::Api(api) if api.meta_code.is_none() && api.status.is_server_error() => {
            format!("http {}", api.status.as_u16())
        }
        Error::RateLimited { .. } => "rate limited".to_owned(),
        Error::DeadlineExceeded { .. } => "deadline exceeded".to_owned(),
        Error::Decode { .. } => "decode".to_owned(),
        other => panic!("{context}: an error no fault explains: {other:?}"),
    }
}

fn meta(error: &Error) -> Option<MetaCode> {
    match error {
        Error::Api(api) => api.meta_code,
        _ => None,
    }
}

/// One worker: its numbers, its model and its generator.
struct Worker {
    client: Client,
    rng: Rng,
    entries: Vec<Entry>,
    tally: Tally,
}

impl Worker {
    fn new(id: usize, seed: u64, client: Client) -> Worker {
        let entries = (0..KEYS)
            .map(|k| Entry { number: format!("CX{id:02}N{k:03}A"), candidates: vec![None] })
            .collect();
        Worker {
            client,
            rng: Rng::new(seed ^ ((id as u64 + 1) << 32)),
            entries,
            tally: Tally::default(),
        }
    }

    fn count(&mut self, op: &'static str) {
        *self.tally.ops.entry(op).or_default() += 1;
    }

    /// Records a fault error and marks the write as possibly applied.
    fn failed(&mut self, k: usize, error: &Error, op: &str, apply: impl Fn(&State) -> State) {
        let kind = fault_error(error, &format!("{op} {}", self.entries[k].number));
        *self.tally.errors.entry(kind).or_default() += 1;
        self.tally.ambiguous += 1;
        self.entries[k].maybe(apply);
    }

    async fn step(&mut self) {
        let k = self.rng.below(KEYS);
        if self.entries[k].known().is_none() {
            self.resolve(&[k]).await;
            return;
        }
        match self.rng.below(100) {
            0..20 => self.create(k).await,
            20..40 => self.get(k).await,
            40..58 => self.update(k).await,
            58..66 => self.delete(k).await,
            66..76 => self.list().await,
            76..82 => self.batch_create().await,
            82..88 => self.update_many().await,
            88..93 => self.delete_many().await,
            93..97 => self.realtime(k).await,
            _ => self.change_carrier(k).await,
        }
    }

    /// Reads the numbers of `keys` with one list call and settles what the model knows.
    async fn resolve(&mut self, keys: &[usize]) {
        self.count("list");
        let numbers: Vec<String> = keys.iter().map(|k| self.entries[*k].number.clone()).collect();
        let filters = ListFilters::new().numbers(numbers.clone()).limit(100);
        let page = match self.client.trackings().list(&filters).await {
            Ok(page) => page.into_inner(),
            Err(error) => {
                let kind = fault_error(&error, "list");
                *self.tally.errors.entry(kind).or_default() += 1;
                return;
            }
        };
        let mut found: HashMap<String, Vec<types::Tracking>> = HashMap::new();
        for item in page.items.unwrap_or_default() {
            found.entry(item.tracking_number.clone().unwrap_or_default()).or_default().push(item);
        }
        for k in keys {
            let entry = &mut self.entries[*k];
            let seen = match found.remove(&entry.number).unwrap_or_default().as_slice() {
                [] => None,
                [one] => Some(Stored::from_tracking(one)),
                many => panic!("{} is stored {} times: {many:?}", entry.number, many.len()),
            };
            if entry.known().is_none() {
                self.tally.resolved += 1;
            }
            entry.observe(seen, "list");
        }
        assert!(found.is_empty(), "list returned numbers it was not asked for: {found:?}");
    }

    fn new_tracking(&mut self, k: usize, carrier: &str) -> NewTracking {
        let title = *self.rng.pick(&TITLES);
        NewTracking::new(carrier, self.entries[k].number.clone()).title(title)
    }

    fn carrier_of(&mut self, k: usize) -> String {
        match self.entries[k].known() {
            Some(Some(stored)) => stored.carrier.clone(),
            _ => self.rng.pick(&CARRIERS).to_string(),
        }
    }

    async fn create(&mut self, k: usize) {
        self.count("create");
        let carrier = self.carrier_of(k);
        let new = self.new_tracking(k, &carrier);
        let before = self.entries[k].known().cloned().flatten();
        let created = Stored {
            id: None,
            carrier: carrier.clone(),
            title: new.title.clone(),
            archived: false,
            forced: None,
        };
        match self.client.trackings().create(&new).await {
            Ok(echo) => match before {
                None => {
                    let id = echo.id.clone();
                    assert!(id.is_some(), "a create echo carries the id");
                    self.entries[k].set(Some(Stored { id, ..created }));
                }
                // Only a retry that met its own earlier attempt may answer success here.
                Some(existing) => {
                    assert!(echo.replayed(), "{}: created twice", new.tracking_number);
                    // The model may not know the id (a batch echo or a realtime call can
                    // store a tracking without telling it); when it does, they must agree.
                    if existing.id.is_some() {
                        assert_eq!(
                            echo.id, existing.id,
                            "{}: a recovered create",
                            new.tracking_number
                        );
                    }
                    let id = existing.id.clone().or_else(|| echo.id.clone());
                    self.entries[k].set(Some(Stored { id, ..existing }));
                    self.tally.replayed_successes += 1;
                }
            },
            Err(error) if meta(&error) == Some(MetaCode::TrackingAlreadyExists) => {
                assert!(before.is_some(), "{}: 4016 for an absent number", new.tracking_number);
            }
            Err(error) => self.failed(k, &error, "create", |state| {
                state.clone().or_else(|| Some(created.clone()))
            }),
        }
    }

    async fn get(&mut self, k: usize) {
        self.count("get");
        let carrier = self.carrier_of(k);
        let number = self.entries[k].number.clone();
        match self.client.trackings().get(&carrier, &number).await {
            Ok(tracking) => {
                self.entries[k].observe(Some(Stored::from_tracking(&tracking)), "get");
            }
            Err(error) if meta(&error) == Some(MetaCode::EmptyResponse) => {
                self.entries[k].observe(None, "get (4031)");
            }
            Err(error) => {
                let kind = fault_error(&error, "get");
                *self.tally.errors.entry(kind).or_default() += 1;
            }
        }
    }

    /// Random changes, and what they do to a stored tracking.
    fn changes(&mut self) -> (TrackingChanges, impl Fn(&State) -> State + use<>) {
        let title = self.rng.pick(&TITLES).to_string();
        let archived = self.rng.below(4) == 0;
        let status = match self.rng.below(6) {
            0 => Some(StatusChange::Delivered),
            1 => Some(StatusChange::Exception),
            2 => Some(StatusChange::Revert),
            _ => None,
        };
        let changes = TrackingChanges {
            title: Some(title.clone()),
            archived: Some(if archived {
                types::UpdateTrackingRequestArchived::True
            } else {
                types::UpdateTrackingRequestArchived::False
            }),
            status,
            ..TrackingChanges::default()
        };
        let apply = move |state: &State| {
            state.clone().map(|mut stored| {
                stored.title = Some(title.clone());
                stored.archived = archived;
                match status {
                    Some(StatusChange::Delivered) => stored.forced = Some("delivered".into()),
                    Some(StatusChange::Exception) => stored.forced = Some("exception".into()),
                    Some(_) => stored.forced = None,
                    None => {}
                }
                stored
            })
        };
        (changes, apply)
    }

    async fn update(&mut self, k: usize) {
        self.count("update");
        let carrier = self.carrier_of(k);
        let number = self.entries[k].number.clone();
        let (changes, apply) = self.changes();
        let before = self.entries[k].known().cloned().flatten();
        match self.client.trackings().update(&carrier, &number, &changes).await {
            Ok(_) => {
                assert!(before.is_some(), "{number}: updated an absent tracking");
                let after = apply(&before);
                self.entries[k].set(after);
            }
            Err(error) if meta(&error) == Some(MetaCode::TrackingNotFound) => {
                assert!(before.is_none(), "{number}: 4017 on update of a stored tracking");
            }
            Err(error) => self.failed(k, &error, "update", apply),
        }
    }

    async fn delete(&mut self, k: usize) {
        self.count("delete");
        let carrier = self.carrier_of(k);
        let number = self.entries[k].number.clone();
        let before = self.entries[k].known().cloned().flatten();
        match self.client.trackings().delete(&carrier, &number).await {
            Ok(response) => {
                if before.is_none() {
                    // The client reads 4017 after an ambiguous attempt as "deleted by it".
                    assert!(response.replayed(), "{number}: deleted an absent tracking");
                    self.tally.replayed_successes += 1;
                }
                self.entries[k].set(None);
            }
            Err(error) if meta(&error) == Some(MetaCode::TrackingNotFound) => {
                assert!(before.is_none(), "{number}: 4017 on delete of a stored tracking");
            }
            Err(error) => self.failed(k, &error, "delete", |_| None),
        }
    }

    async fn list(&mut self) {
        let count = 1 + self.rng.below(8);
        let mut keys: Vec<usize> = (0..count).map(|_| self.rng.below(KEYS)).collect();
        keys.sort_unstable();
        keys.dedup();
        self.resolve(&keys).await;
    }

    /// A few distinct keys the model knows exactly, for batch calls.
    fn known_keys(&mut self, n: usize) -> Vec<usize> {
        let mut keys: Vec<usize> = (0..n).map(|_| self.rng.below(KEYS)).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.retain(|k| self.entries[*k].known().is_some());
        keys
    }

    async fn batch_create(&mut self) {
        let keys = self.known_keys(5);
        if keys.is_empty() {
            return;
        }
        self.count("batch_create");
        let items: Vec<(NewTracking, Stored)> = keys
            .iter()
            .map(|k| {
                let carrier = self.carrier_of(*k);
                let new = self.new_tracking(*k, &carrier);
                let stored = Stored {
                    id: None,
                    carrier,
                    title: new.title.clone(),
                    archived: false,
                    forced: None,
                };
                (new, stored)
            })
            .collect();
        let news: Vec<NewTracking> = items.iter().map(|(new, _)| new.clone()).collect();
        match self.client.trackings().batch_create(news).await {
            Ok(result) => {
                for done in result.done {
                    let k = keys[done.index];
                    let before = self.entries[k].known().cloned().flatten();
                    if let Some(existing) = before {
                        // A recovered item's echo is rebuilt from the request, without an id:
                        // the client cannot tell its own lost attempt from an older tracking.
                        assert!(done.recovered, "{}: batch created twice", self.entries[k].number);
                        let id = done.value.id.as_ref();
                        assert!(id.is_none() || id == existing.id.as_ref(), "{existing:?}");
                        self.tally.replayed_successes += 1;
                        continue;
                    }
                    let id = done.value.id.clone();
                    self.entries[k].set(Some(Stored { id, ..items[done.index].1.clone() }));
                }
                for failed in result.errors {
                    let k = keys[failed.index];
                    if failed.code == Some(MetaCode::TrackingAlreadyExists) {
                        let before = self.entries[k].known().cloned().flatten();
                        assert!(before.is_some(), "{}: batch 4016 for an absent number", failed.id);
                        continue;
                    }
                    panic!(
                        "{}: batch item refused: {:?} {}",
                        failed.id, failed.code, failed.message
                    );
                }
            }
            Err(error) => {
                for (k, (_, stored)) in keys.iter().zip(&items) {
                    let stored = stored.clone();
                    self.failed(*k, &error, "batch_create", |state| {
                        state.clone().or_else(|| Some(stored.clone()))
                    });
                }
            }
        }
    }

    async fn update_many(&mut self) {
        let keys = self.known_keys(4);
        if keys.is_empty() {
            return;
        }
        self.count("update_many");
        let mut items = Vec::new();
        let mut applies = Vec::new();
        for k in &keys {
            let carrier = self.carrier_of(*k);
            let (changes, apply) = self.changes();
            items.push((TrackingId::new(carrier, self.entries[*k].number.clone()), changes));
            applies.push(apply);
        }
        match self.client.trackings().update_many(items).await {
            Ok(result) => {
                for done in result.done {
                    let k = keys[done.index];
                    let before = self.entries[k].known().cloned().flatten();
                    assert!(before.is_some(), "{}: updated an absent tracking", done.value);
                    self.entries[k].set(applies[done.index](&before));
                }
                for failed in result.errors {
                    let k = keys[failed.index];
                    if failed.code == Some(MetaCode::TrackingNotFound) {
                        let before = self.entries[k].known().cloned().flatten();
                        assert!(before.is_none(), "{}: 4017 in update_many", failed.id);
                        continue;
                    }
                    panic!("{}: update refused: {:?} {}", failed.id, failed.code, failed.message);
                }
            }
            Err(error) => {
                for (k, apply) in keys.iter().zip(&applies) {
                    self.failed(*k, &error, "update_many", apply);
                }
            }
        }
    }

    async fn delete_many(&mut self) {
        let keys = self.known_keys(4);
        if keys.is_empty() {
            return;
        }
        self.count("delete_many");
        let ids: Vec<TrackingId> = keys
            .iter()
            .map(|k| TrackingId::new(self.carrier_of(*k), self.entries[*k].number.clone()))
            .collect();
        match self.client.trackings().delete_many(ids).await {
            Ok(result) => {
                for done in result.done {
                    let k = keys[done.index];
                    let before = self.entries[k].known().cloned().flatten();
                    if before.is_none() {
                        assert!(done.recovered, "{}: deleted an absent tracking", done.value);
                        self.tally.replayed_successes += 1;
                    }
                    self.entries[k].set(None);
                }
                for failed in result.errors {
                    let k = keys[failed.index];
                    if failed.code == Some(MetaCode::TrackingNotFound) {
                        let before = self.entries[k].known().cloned().flatten();
                        assert!(before.is_none(), "{}: 4017 in delete_many", failed.id);
                        continue;
                    }
                    panic!("{}: delete refused: {:?} {}", failed.id, failed.code, failed.message);
                }
            }
            Err(error) => {
                for k in &keys {
                    self.failed(*k, &error, "delete_many", |_| None);
                }
            }
        }
    }

    async fn realtime(&mut self, k: usize) {
        self.count("realtime");
        let carrier = self.carrier_of(k);
        let number = self.entries[k].number.clone();
        let fresh = Stored {
            id: None,
            carrier: carrier.clone(),
            title: None,
            archived: false,
            forced: None,
        };
        match self.client.trackings().realtime((carrier.as_str(), number.as_str())).await {
            Ok(tracking) => {
                // Realtime creates what is missing, then answers like a read.
                let before = self.entries[k].known().cloned().flatten();
                self.entries[k].set(before.or(Some(fresh)));
                self.entries[k].observe(Some(Stored::from_tracking(&tracking)), "realtime");
            }
            Err(error) => self.failed(k, &error, "realtime", |state| {
                state.clone().or_else(|| Some(fresh.clone()))
            }),
        }
    }

    async fn change_carrier(&mut self, k: usize) {
        let Some(Some(stored)) = self.entries[k].known().cloned() else { return };
        self.count("change_carrier");
        let to = loop {
            let to = *self.rng.pick(&CARRIERS);
            if to != stored.carrier {
                break to;
            }
        };
        let id = TrackingId::new(stored.carrier.clone(), self.entries[k].number.clone());
        let moved = Stored { carrier: to.to_owned(), ..stored };
        match self.client.trackings().change_carrier(id, to).await {
            Ok(_) => self.entries[k].set(Some(moved)),
            Err(error) => self
                .failed(k, &error, "change_carrier", |state| state.as_ref().map(|_| moved.clone())),
        }
    }
}

/// The fault mix: about 20 % of requests meet at least one fault.
fn faults(seed: u64) -> Vec<Fault> {
    let kinds = [
        (FaultKind::ServerError { status: 502, html: true }, 5),
        (FaultKind::TooManyRequests { retry_after: 1 }, 4),
        (FaultKind::ConnectionReset { after_handler: false }, 3),
        (FaultKind::ConnectionReset { after_handler: true }, 2),
        (FaultKind::Latency { ms: 700 }, 4),
        (FaultKind::TruncatedJson, 4),
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(n, (kind, percent))| Fault::new(kind).percent(percent, seed.wrapping_add(n as u64)))
        .collect()
}

/// Counts journalled requests and those that met a fault, reading the journal as it rolls.
#[derive(Debug, Default)]
struct FaultCount {
    last_seq: u64,
    requests: u64,
    faulted: u64,
}

impl FaultCount {
    fn read(&mut self, admin: &Admin) {
        for entry in admin.journal() {
            if entry.seq > self.last_seq {
                self.last_seq = entry.seq;
                self.requests += 1;
                self.faulted += u64::from(!entry.faults.is_empty());
            }
        }
    }
}

/// The final check: the sandbox's snapshot against every worker's model.
fn compare(snapshot: &Value, workers: &[Worker]) {
    let mut stored: HashMap<String, Vec<Stored>> = HashMap::new();
    let trackings = snapshot["accounts"][0]["trackings"].as_array().cloned().unwrap_or_default();
    for tracking in &trackings {
        let record = &tracking["record"];
        let number = record["tracking_number"].as_str().unwrap_or_default().to_owned();
        let status = tracking["status"].as_str().unwrap_or_default();
        let seen = Stored {
            id: tracking["id"].as_str().map(str::to_owned),
            carrier: record["carrier_code"].as_str().unwrap_or_default().to_owned(),
            title: record["extra"]["title"].as_str().map(str::to_owned),
            archived: record["archived"].as_bool().unwrap_or(false),
            forced: matches!(status, "delivered" | "exception").then(|| status.to_owned()),
        };
        stored.entry(number).or_default().push(seen);
    }

    let mut checked = 0;
    for worker in workers {
        for entry in &worker.entries {
            let seen = match stored.remove(&entry.number).unwrap_or_default().as_slice() {
                [] => None,
                [one] => Some(one.clone()),
                many => panic!("{} is stored {} times: {many:?}", entry.number, many.len()),
            };
            let allowed = entry.candidates.iter().any(|candidate| admits(candidate, &seen));
            assert!(
                allowed,
                "{}: the sandbox holds {seen:?}, the model {:?}",
                entry.number, entry.candidates
            );
            checked += 1;
        }
    }
    assert!(stored.is_empty(), "trackings nobody created: {:?}", stored.keys().collect::<Vec<_>>());
    assert_eq!(checked, workers.len() * KEYS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_operations_under_faults_keep_every_acknowledged_write() {
    let ops: usize = env_or("CHAOS_OPS", 1_000);
    let seed: u64 = env_or("CHAOS_SEED", 0x0C4A_05EE_D5EE_D5EE);
    let worker_count: usize = env_or("CHAOS_WORKERS", 8).max(1);

    let config =
        Config::default().quota(10_000_000).rate_limits(trackingmore_sandbox::RateLimits::off());
    let sandbox = Sandbox::start(config).await.expect("the sandbox starts on loopback");
    let admin = sandbox.admin();
    for fault in faults(seed) {
        admin.inject_fault(fault);
    }

    // Requests time out well before the latency fault ends; retries are quick.
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .api_key(sandbox.api_key())
        .timeout(Duration::from_millis(300))
        .retry(
            RetryPolicy::default()
                .max_retries(3)
                .backoff(Duration::from_millis(5), Duration::from_millis(40))
                .rate_limited_wait(Duration::from_millis(50))
                .deadline(Duration::from_secs(30)),
        )
        .rate_limits(RateLimits::off())
        .build()
        .expect("the client builds");

    let faults_seen = Arc::new(Mutex::new(FaultCount::default()));
    let monitor = {
        let (admin, faults_seen) = (admin.clone(), Arc::clone(&faults_seen));
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                faults_seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).read(&admin);
            }
        })
    };

    let per_worker = ops.div_ceil(worker_count);
    let mut handles = Vec::new();
    for id in 0..worker_count {
        let mut worker = Worker::new(id, seed, client.clone());
        handles.push(tokio::spawn(async move {
            // A step that finds nothing to do (a batch with no settled numbers) issues no
            // call; the count is of calls made. The bound on steps keeps the loop finite.
            for _ in 0..per_worker * 10 {
                if worker.tally.ops.values().sum::<u64>() >= per_worker as u64 {
                    break;
                }
                worker.step().await;
            }
            worker
        }));
    }
    let mut workers = Vec::new();
    for handle in handles {
        workers.push(handle.await.expect("a worker panicked"));
    }
    monitor.abort();

    // Settle what is still open, without faults, then compare everything.
    admin.clear_faults();
    for worker in &mut workers {
        let open: Vec<usize> = (0..KEYS).filter(|k| worker.entries[*k].known().is_none()).collect();
        for chunk in open.chunks(40) {
            worker.resolve(chunk).await;
        }
    }
    compare(&admin.snapshot(), &workers);

    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.tally);
    }
    let faults_seen = {
        let mut counted = faults_seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        counted.read(&admin);
        std::mem::take(&mut *counted)
    };
    let share = faults_seen.faulted as f64 * 100.0 / faults_seen.requests.max(1) as f64;
    let done: u64 = tally.ops.values().sum();
    eprintln!(
        "chaos: {done} operations ({:?}), {} requests, {} with faults ({share:.1} %)",
        tally.ops, faults_seen.requests, faults_seen.faulted
    );
    eprintln!(
        "chaos: {} ambiguous writes, {} resolved by reading, {} successes recovered by retries",
        tally.ambiguous, tally.resolved, tally.replayed_successes
    );
    eprintln!("chaos: errors by kind {:?}; 0 lost, 0 duplicated", tally.errors);
    assert!(faults_seen.faulted > 0, "faults were injected");
    sandbox.shutdown().await;
}

/// A peer that answers with a body far larger than any real answer, announced with
/// `content-length` or streamed in chunks without one.
fn oversized_peer(size: usize, announced: bool) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("a bound address");
    let peer = std::thread::spawn(move || {
        let (socket, _) = listener.accept().expect("the client connects");
        let mut reader = BufReader::new(socket.try_clone().expect("a second handle"));
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let mut socket = socket;
        let length = if announced {
            format!("content-length: {size}")
        } else {
            "transfer-encoding: chunked".to_owned()
        };
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{length}\r\n\r\n");
        if socket.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = vec![b' '; 1 << 16];
        for _ in 0..size / chunk.len() {
            let sent = if announced {
                socket.write_all(&chunk)
            } else {
                write!(socket, "{:x}\r\n", chunk.len())
                    .and_then(|()| socket.write_all(&chunk))
                    .and_then(|()| socket.write_all(b"\r\n"))
            };
            // The client hangs up at its limit.
            if sent.is_err() {
                return;
            }
        }
        let _ = socket.write_all(if announced { b"" } else { b"0\r\n\r\n" });
    });
    (format!("http://{addr}/v2"), peer)
}

/// An answer past the client's size limit ends the call with a typed error, without
/// reading the rest, whether the peer announces its size or not.
#[tokio::test]
async fn an_oversized_answer_is_refused_at_the_limit() {
    const LIMIT: usize = 1 << 20;
    for announced in [true, false] {
        let (base_url, peer) = oversized_peer(8 * LIMIT, announced);
        let client = Client::builder()
            .base_url(base_url)
            .api_key("chaos-key")
            .retry(RetryPolicy::none())
            .rate_limits(RateLimits::off())
            .max_response_size(LIMIT)
            .build()
            .expect("the client builds");
        let error = client.trackings().get("dhl", "ABCDEFG").await.expect_err("too large");
        let Error::ResponseTooLarge { operation, status, limit } = &error else {
            panic!("announced {announced}: {error:?}");
        };
        assert_eq!((*operation, status.as_u16(), *limit), ("getTracking", 200, LIMIT));
        assert!(!error.is_retryable() && error.body().is_none(), "{error:?}");
        // The peer stops when the connection closes, which this runtime must be free to do.
        drop(client);
        let joined = tokio::task::spawn_blocking(move || peer.join()).await;
        joined.expect("the join ran").expect("the peer finishes");
    }
}

/// Under the limit, the same peer's answer is read whole and kept in the decode error.
#[tokio::test]
async fn an_answer_under_the_limit_is_read_whole() {
    const SIZE: usize = 8 << 20;
    let (base_url, peer) = oversized_peer(SIZE, false);
    let client = Client::builder()
        .base_url(base_url)
        .api_key("chaos-key")
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::off())
        .build()
        .expect("the client builds");
    let error = client.trackings().get("dhl", "ABCDEFG").await.expect_err("spaces are no envelope");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.body().map(|body| body.len()), Some(SIZE));
    peer.join().expect("the peer finishes");
}
