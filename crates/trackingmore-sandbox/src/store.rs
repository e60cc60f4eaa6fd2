//! Storage: one [`Store`] trait, an in-memory implementation and (in [`crate::sqlite`]) a
//! durable one.
//!
//! A store holds tracking records per account plus a small table of settings (the clock,
//! quota counters, webhook targets). Writes arrive as one [`Batch`] that is applied entirely or
//! not at all, so a request either changes everything it means to or nothing. Reads never fail:
//! the SQLite store keeps the same in-memory index and writes through to disk.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use crate::model::TrackingRecord;

/// A failed write; the message is for the log, clients see a generic server error.
#[derive(Debug, thiserror::Error)]
#[error("store write failed: {0}")]
pub struct StoreError(pub String);

/// Everything one request changes, applied atomically by [`Store::commit`].
#[derive(Debug, Default)]
pub struct Batch {
    /// Records to insert or overwrite. `replaces` names the (carrier, number) key the record
    /// had before, when a carrier change moves it.
    pub puts: Vec<Put>,
    /// (account, carrier, number) of records to remove.
    pub deletes: Vec<(String, String, String)>,
    /// Settings to write (key, JSON text).
    pub settings: Vec<(String, String)>,
}

/// One record written by a [`Batch`].
#[derive(Debug)]
pub struct Put {
    pub account: String,
    pub replaces: Option<(String, String)>,
    pub record: TrackingRecord,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.puts.is_empty() && self.deletes.is_empty() && self.settings.is_empty()
    }

    pub fn put(&mut self, account: &str, record: TrackingRecord) {
        self.puts.push(Put { account: account.to_owned(), replaces: None, record });
    }

    pub fn setting(&mut self, key: impl Into<String>, value: &impl serde::Serialize) {
        let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
        self.settings.push((key.into(), text));
    }
}

/// Where trackings and settings live.
pub trait Store: Send + Sync + std::fmt::Debug {
    /// One record by account, carrier and number (carrier compared case-insensitively).
    fn get(&self, account: &str, carrier: &str, number: &str) -> Option<TrackingRecord>;

    /// Calls `visit` with every record of the account, in creation order.
    fn scan(&self, account: &str, visit: &mut dyn FnMut(&TrackingRecord));

    /// The accounts that hold at least one record.
    fn accounts(&self) -> Vec<String>;

    /// The next creation sequence number (one past the highest ever committed).
    fn next_seq(&self) -> u64;

    /// One setting's JSON text.
    fn setting(&self, key: &str) -> Option<String>;

    /// Applies a batch atomically.
    fn commit(&self, batch: Batch) -> Result<(), StoreError>;

    /// Removes every record and setting.
    fn clear(&self) -> Result<(), StoreError>;
}

/// The key of a record inside an account: lowercase carrier, NUL, number.
fn key(carrier: &str, number: &str) -> Box<str> {
    format!("{}\0{}", carrier.to_ascii_lowercase(), number).into_boxed_str()
}

#[derive(Debug, Default)]
struct Partition {
    by_seq: BTreeMap<u64, TrackingRecord>,
    index: HashMap<Box<str>, u64>,
}

#[derive(Debug, Default)]
struct Tables {
    partitions: HashMap<String, Partition>,
    settings: BTreeMap<String, String>,
    next_seq: u64,
}

impl Tables {
    fn apply(&mut self, batch: Batch) {
        for (account, carrier, number) in batch.deletes {
            if let Some(partition) = self.partitions.get_mut(&account)
                && let Some(seq) = partition.index.remove(&key(&carrier, &number))
            {
                partition.by_seq.remove(&seq);
            }
        }
        for put in batch.puts {
            self.insert(put);
        }
        self.settings.extend(batch.settings);
    }

    fn insert(&mut self, put: Put) {
        let partition = self.partitions.entry(put.account).or_default();
        if let Some((carrier, number)) = &put.replaces {
            partition.index.remove(&key(carrier, number));
        }
        let record = put.record;
        self.next_seq = self.next_seq.max(record.seq + 1);
        partition.index.insert(key(&record.carrier_code, &record.tracking_number), record.seq);
        partition.by_seq.insert(record.seq, record);
    }
}

/// The default store: everything in memory, gone when the process ends.
#[derive(Debug, Default)]
pub struct MemoryStore {
    tables: RwLock<Tables>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Loads rows read back from disk (used by the SQLite store at start-up).
    pub(crate) fn load(
        &self,
        records: Vec<(String, TrackingRecord)>,
        settings: Vec<(String, String)>,
    ) {
        let mut tables = self.write();
        for (account, record) in records {
            tables.insert(Put { account, replaces: None, record });
        }
        tables.settings.extend(settings);
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Tables> {
        // A panic while holding the lock cannot leave the tables half-written (apply does not
        // panic), so a poisoned lock is still safe to use.
        self.tables.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Tables> {
        self.tables.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Store for MemoryStore {
    fn get(&self, account: &str, carrier: &str, number: &str) -> Option<TrackingRecord> {
        let tables = self.read();
        let partition = tables.partitions.get(account)?;
        let seq = partition.index.get(&key(carrier, number))?;
        partition.by_seq.get(seq).cloned()
    }

    fn scan(&self, account: &str, visit: &mut dyn FnMut(&TrackingRecord)) {
        let tables = self.read();
        if let Some(partition) = tables.partitions.get(account) {
            partition.by_seq.values().for_each(visit);
        }
    }

    fn accounts(&self) -> Vec<String> {
        let tables = self.read();
        let mut accounts: Vec<String> = tables
            .partitions
            .iter()
            .filter(|(_, partition)| !partition.by_seq.is_empty())
            .map(|(account, _)| account.clone())
            .collect();
        accounts.sort();
        accounts
    }

    fn next_seq(&self) -> u64 {
        self.read().next_seq.max(1)
    }

    fn setting(&self, key: &str) -> Option<String> {
        self.read().settings.get(key).cloned()
    }

    fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        self.write().apply(batch);
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        *self.write() = Tables::default();
        Ok(())
    }
}
