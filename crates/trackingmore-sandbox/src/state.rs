//! The shared state behind every request: configuration, the store, the virtual clock,
//! account counters, rate limiters, fault rules, the journal and the webhook hub.
//!
//! Requests that change anything take the `world` lock for their whole read-check-write
//! sequence, so two requests never interleave their checks and writes (a duplicate create
//! racing another create sees 4016, never two records). The lock is a `std` mutex held only
//! across synchronous code; no request awaits while holding it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::config::Config;
use crate::envelope::{ApiError, MetaCode};
use crate::faults::FaultRules;
use crate::journal::Journal;
use crate::model::TrackingRecord;
use crate::ratelimit::RateLimiter;
use crate::sqlite::SqliteStore;
use crate::store::{Batch, MemoryStore, Store};
use crate::webhooks::{WebhookEvent, WebhookHub};
use crate::{SandboxError, view};

/// Per-account counters, persisted as the setting `account:<key>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub email: String,
    pub quota: u64,
    pub used: u64,
    /// Calls to the endpoints billed one unit per five calls (detect, remote).
    pub metered_calls: u64,
    /// Registration time, unix seconds.
    pub regtime: i64,
}

impl Account {
    pub fn remaining(&self) -> u64 {
        self.quota.saturating_sub(self.used)
    }
}

/// Everything that only changes under the world lock.
#[derive(Debug)]
pub struct World {
    /// The virtual clock, unix seconds.
    pub now: i64,
    pub accounts: BTreeMap<String, Account>,
    pub webhooks: Vec<String>,
    /// Account counters changed by the request in progress, applied after its commit.
    pending_accounts: Vec<(String, Account)>,
}

impl World {
    /// The account of a key (callers have authenticated it already).
    pub fn account(&self, key: &str) -> Result<&Account, ApiError> {
        self.accounts
            .get(key)
            .ok_or_else(|| ApiError::new(MetaCode::INVALID_API_KEY, "unknown key"))
    }

    /// Charges `units` of quota, or fails with 4021 without charging anything.
    pub fn charge(&mut self, key: &str, units: u64, batch: &mut Batch) -> Result<(), ApiError> {
        let mut account = self.pending(key)?;
        if account.remaining() < units {
            return Err(ApiError::new(MetaCode::QUOTA_EXHAUSTED, format!("{units} units needed")));
        }
        account.used += units;
        self.stage(key, account, batch);
        Ok(())
    }

    /// Counts a call to an endpoint billed one unit per five calls; the fifth call charges.
    pub fn charge_metered(&mut self, key: &str, batch: &mut Batch) -> Result<(), ApiError> {
        let mut account = self.pending(key)?;
        if account.remaining() == 0 {
            return Err(ApiError::new(MetaCode::QUOTA_EXHAUSTED, "no quota for a metered call"));
        }
        account.metered_calls += 1;
        if account.metered_calls.is_multiple_of(5) {
            account.used += 1;
        }
        self.stage(key, account, batch);
        Ok(())
    }

    /// The account as the request in progress left it.
    fn pending(&self, key: &str) -> Result<Account, ApiError> {
        let staged = self.pending_accounts.iter().rev().find(|(known, _)| known == key);
        match staged {
            Some((_, account)) => Ok(account.clone()),
            None => self.account(key).cloned(),
        }
    }

    fn stage(&mut self, key: &str, account: Account, batch: &mut Batch) {
        batch.setting(format!("account:{key}"), &account);
        self.pending_accounts.push((key.to_owned(), account));
    }
}

/// The state every handler shares; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub(crate) shared: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub store: Box<dyn Store>,
    pub world: Mutex<World>,
    pub limiter: RateLimiter,
    pub faults: FaultRules,
    pub journal: Journal,
    pub webhooks: WebhookHub,
}

impl AppState {
    /// Opens the store the configuration names and restores the clock, counters and webhook
    /// targets it holds.
    pub fn new(config: Config) -> Result<AppState, SandboxError> {
        let store: Box<dyn Store> = match &config.data_path {
            Some(path) => Box::new(SqliteStore::open(path).map_err(SandboxError::Store)?),
            None => Box::new(MemoryStore::new()),
        };
        let world = restore(&config, store.as_ref());
        let shared = Shared {
            limiter: RateLimiter::new(config.rate_limits.clone()),
            webhooks: WebhookHub::new(config.webhook_retries.clone(), config.webhook_timeout),
            faults: FaultRules::default(),
            journal: Journal::default(),
            world: Mutex::new(world),
            store,
            config,
        };
        Ok(AppState { shared: Arc::new(shared) })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.shared.config
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.shared.store.as_ref()
    }

    /// Locks the world for one request.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        // Handlers hold the lock only across code that does not panic on client input; if one
        // did, the counters it had staged were never applied, so the world is still whole.
        let mut world = self.shared.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        world.pending_accounts.clear();
        world
    }

    /// The lifecycle engine as configured.
    pub(crate) fn engine(&self) -> view::Engine {
        view::Engine { seed: self.shared.config.seed }
    }

    /// The virtual now.
    pub(crate) fn now(&self) -> i64 {
        self.world().now
    }

    /// Writes a request's batch and, once it is durable, applies its staged counters and
    /// queues its webhook events.
    pub(crate) fn commit(
        &self,
        world: &mut World,
        batch: Batch,
        events: Vec<WebhookEvent>,
    ) -> Result<(), ApiError> {
        if !batch.is_empty() {
            self.store().commit(batch).map_err(|error| {
                tracing::error!(%error, "store write failed");
                ApiError::new(MetaCode::SERVER_ERROR, error.to_string())
            })?;
        }
        for (key, account) in world.pending_accounts.drain(..) {
            world.accounts.insert(key, account);
        }
        self.send_webhooks(world, events);
        Ok(())
    }

    /// Hands events to the webhook hub, one delivery per registered URL.
    pub(crate) fn send_webhooks(&self, world: &World, events: Vec<WebhookEvent>) {
        if world.webhooks.is_empty() {
            return;
        }
        for event in events {
            let Some(account) = world.accounts.get(&event.account) else { continue };
            let rendered = self.engine().tracking(&event.account, &event.record, event.at);
            for url in &world.webhooks {
                self.shared.webhooks.deliver(url, &account.email, &event, &rendered);
            }
        }
    }

    /// The next creation sequence number.
    pub(crate) fn next_seq(&self) -> u64 {
        let persisted = self
            .store()
            .setting("next_seq")
            .and_then(|text| serde_json::from_str::<u64>(&text).ok())
            .unwrap_or(1);
        self.store().next_seq().max(persisted)
    }

    /// Moves the virtual clock and notifies webhooks of every status change it causes.
    pub(crate) fn advance_clock(&self, seconds: i64) -> Result<i64, ApiError> {
        let mut world = self.world();
        let from = world.now;
        let to = from.saturating_add(seconds.max(0)).min(crate::clock::END);
        let events =
            if world.webhooks.is_empty() { Vec::new() } else { self.transitions(from, to) };
        let mut batch = Batch::default();
        batch.setting("clock", &to);
        self.commit(&mut world, batch, Vec::new())?;
        world.now = to;
        self.send_webhooks(&world, events);
        Ok(to)
    }

    /// The status changes the lifecycle makes between two virtual instants.
    fn transitions(&self, from: i64, to: i64) -> Vec<WebhookEvent> {
        let mut events = Vec::new();
        for account in self.store().accounts() {
            self.store().scan(&account, &mut |record: &TrackingRecord| {
                if record.forced.is_some() {
                    return;
                }
                let until = record.frozen_at.map_or(to, |frozen| frozen.min(to));
                let journey = self.engine().journey(record);
                let changes =
                    journey.transitions(from - record.created_at, until - record.created_at);
                for (offset, status) in changes {
                    events.push(WebhookEvent {
                        account: account.clone(),
                        record: record.clone(),
                        at: record.created_at + offset,
                        status,
                    });
                }
            });
        }
        events.sort_by_key(|event| event.at);
        events
    }

    /// Stores `count` trackings numbered `{prefix}{n:010}` (n from 0) for `key`, straight
    /// into the store: no quota is charged, nothing is journalled, no webhook fires. Numbers
    /// the account already holds are left as they are. For load tests and benchmarks that
    /// need a large store without sending a million requests first.
    pub(crate) fn seed(
        &self,
        key: &str,
        carrier: &str,
        prefix: &str,
        count: u64,
    ) -> Result<u64, ApiError> {
        let carrier = crate::input::carrier_code(carrier)?;
        crate::input::check_number(&format!("{prefix}{:010}", 0))?;
        let mut world = self.world();
        world.account(key)?;
        let now = world.now;
        let mut seq = self.next_seq();
        let mut added = 0;

        // Chunks keep the transient batch small; the world lock is held throughout, so no
        // request sees a half-seeded store.
        let mut next = 0;
        while next < count {
            let end = count.min(next + 10_000);
            let mut batch = Batch::default();
            for n in next..end {
                let number = format!("{prefix}{n:010}");
                if self.store().get(key, carrier.code, &number).is_some() {
                    continue;
                }
                batch.put(
                    key,
                    TrackingRecord {
                        seq,
                        tracking_number: number.into_boxed_str(),
                        carrier_code: carrier.code.into(),
                        created_at: now,
                        updated_at: now,
                        archived: false,
                        track_update: true,
                        forced: None,
                        frozen_at: None,
                        extra: None,
                    },
                );
                seq += 1;
                added += 1;
            }
            batch.setting("next_seq", &seq);
            self.commit(&mut world, batch, Vec::new())?;
            next = end;
        }
        Ok(added)
    }

    /// Back to the configured start: no trackings, fresh counters, the start instant, no
    /// webhooks, faults or journal entries.
    pub(crate) fn reset(&self) -> Result<(), ApiError> {
        let mut world = self.world();
        self.store().clear().map_err(|error| {
            tracing::error!(%error, "store reset failed");
            ApiError::new(MetaCode::SERVER_ERROR, error.to_string())
        })?;
        *world = restore(&self.shared.config, self.store());
        self.shared.faults.clear();
        self.shared.journal.clear();
        self.shared.webhooks.clear_log();
        self.shared.limiter.clear();
        Ok(())
    }

    /// Sets an account's quota (the remaining quota becomes `quota - used`).
    pub(crate) fn set_quota(&self, key: &str, quota: u64) -> Result<(), ApiError> {
        let mut world = self.world();
        let mut account = world.account(key)?.clone();
        account.quota = quota;
        let mut batch = Batch::default();
        world.stage(key, account, &mut batch);
        self.commit(&mut world, batch, Vec::new())
    }

    /// Registers a webhook URL (once).
    pub(crate) fn add_webhook(&self, url: &str) -> Result<(), ApiError> {
        let mut world = self.world();
        if world.webhooks.iter().any(|known| known == url) {
            return Ok(());
        }
        let mut urls = world.webhooks.clone();
        urls.push(url.to_owned());
        let mut batch = Batch::default();
        batch.setting("webhooks", &urls);
        self.commit(&mut world, batch, Vec::new())?;
        world.webhooks = urls;
        Ok(())
    }

    /// Removes every webhook URL.
    pub(crate) fn clear_webhooks(&self) -> Result<(), ApiError> {
        let mut world = self.world();
        let mut batch = Batch::default();
        batch.setting("webhooks", &Vec::<String>::new());
        self.commit(&mut world, batch, Vec::new())?;
        world.webhooks.clear();
        Ok(())
    }

    /// A deterministic picture of everything a client can change: the clock, the accounts
    /// (named by e-mail, never by key), every tracking in creation order and the
    /// webhook targets. Two snapshots are byte-identical when nothing changed.
    pub(crate) fn snapshot(&self) -> Value {
        let world = self.world();
        let now = world.now;
        let mut accounts = Vec::new();
        for (key, account) in &world.accounts {
            let mut trackings = Vec::new();
            self.store().scan(key, &mut |record: &TrackingRecord| {
                trackings.push(json!({
                    "id": record.id(key),
                    "record": record,
                    "status": self.engine().status(record, now).as_str(),
                }));
            });
            accounts.push(json!({
                "email": account.email,
                "quota": account.quota,
                "used": account.used,
                "metered_calls": account.metered_calls,
                "remaining": account.remaining(),
                "trackings": trackings,
            }));
        }
        json!({
            "clock": {"unix": now, "iso": crate::clock::iso(now)},
            "accounts": accounts,
            "webhooks": world.webhooks,
        })
    }
}

/// The world as the configuration and the store's settings describe it.
fn restore(config: &Config, store: &dyn Store) -> World {
    let setting = |key: &str| store.setting(key);
    let now = setting("clock")
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(config.start_time);
    let webhooks =
        setting("webhooks").and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    let accounts = config
        .accounts
        .iter()
        .map(|configured| {
            let stored: Option<Account> = setting(&format!("account:{}", configured.api_key))
                .and_then(|text| serde_json::from_str(&text).ok());
            let mut account = stored.unwrap_or(Account {
                email: configured.email.clone(),
                quota: configured.quota,
                used: 0,
                metered_calls: 0,
                // Registered a year before the clock starts, so regtime looks lived-in.
                regtime: config.start_time - 365 * 86_400,
            });
            account.email = configured.email.clone();
            (configured.api_key.clone(), account)
        })
        .collect();
    World { now, accounts, webhooks, pending_accounts: Vec::new() }
}
