//! The durable store: SQLite in WAL mode with `synchronous=FULL`, behind the same in-memory
//! index as [`MemoryStore`].
//!
//! Every [`Batch`] is one SQLite transaction, committed (and fsynced) before the request is
//! answered, so an acknowledged write survives SIGKILL and power loss alike. Reads come from
//! memory; the whole file is loaded once at start-up. Records are stored as their compact
//! JSON form, never as rendered checkpoints.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, params};

use crate::model::TrackingRecord;
use crate::store::{Batch, MemoryStore, Store, StoreError};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS trackings (
        account TEXT NOT NULL,
        carrier TEXT NOT NULL,
        number  TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        record  TEXT NOT NULL,
        PRIMARY KEY (account, carrier, number)
    );
    CREATE TABLE IF NOT EXISTS settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
";

/// A store that keeps every acknowledged write in a SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    memory: MemoryStore,
    connection: Mutex<Connection>,
}

fn failed(error: impl std::fmt::Display) -> StoreError {
    StoreError(error.to_string())
}

impl SqliteStore {
    /// Opens (or creates) the file and loads what it holds.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let connection = Connection::open(path).map_err(failed)?;
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(failed)?;
        connection.execute_batch(SCHEMA).map_err(failed)?;

        let records = {
            let mut statement = connection
                .prepare("SELECT account, record FROM trackings ORDER BY seq")
                .map_err(failed)?;
            let rows = statement
                .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
                .map_err(failed)?;
            let mut records = Vec::new();
            for row in rows {
                let (account, text) = row.map_err(failed)?;
                let record: TrackingRecord = serde_json::from_str(&text).map_err(failed)?;
                records.push((account, record));
            }
            records
        };
        let settings = {
            let mut statement =
                connection.prepare("SELECT key, value FROM settings").map_err(failed)?;
            let rows = statement
                .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
                .map_err(failed)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(failed)?
        };

        let memory = MemoryStore::new();
        memory.load(records, settings);
        Ok(SqliteStore { memory, connection: Mutex::new(connection) })
    }

    fn write_through(&self, batch: &Batch) -> Result<(), StoreError> {
        let mut connection =
            self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let transaction = connection.transaction().map_err(failed)?;
        for (account, carrier, number) in &batch.deletes {
            transaction
                .execute(
                    "DELETE FROM trackings WHERE account = ?1 AND carrier = ?2 AND number = ?3",
                    params![account, carrier.to_ascii_lowercase(), number],
                )
                .map_err(failed)?;
        }
        for put in &batch.puts {
            if let Some((carrier, number)) = &put.replaces {
                transaction
                    .execute(
                        "DELETE FROM trackings WHERE account = ?1 AND carrier = ?2 AND number = ?3",
                        params![put.account, carrier.to_ascii_lowercase(), number],
                    )
                    .map_err(failed)?;
            }
            let record = &put.record;
            let text = serde_json::to_string(record).map_err(failed)?;
            transaction
                .execute(
                    "INSERT OR REPLACE INTO trackings (account, carrier, number, seq, record)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        put.account,
                        record.carrier_code.to_ascii_lowercase(),
                        &*record.tracking_number,
                        i64::try_from(record.seq).unwrap_or(i64::MAX),
                        text
                    ],
                )
                .map_err(failed)?;
        }
        for (key, value) in &batch.settings {
            transaction
                .execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                    params![key, value],
                )
                .map_err(failed)?;
        }
        transaction.commit().map_err(failed)
    }
}

impl Store for SqliteStore {
    fn get(&self, account: &str, carrier: &str, number: &str) -> Option<TrackingRecord> {
        self.memory.get(account, carrier, number)
    }

    fn scan(&self, account: &str, visit: &mut dyn FnMut(&TrackingRecord)) {
        self.memory.scan(account, visit)
    }

    fn accounts(&self) -> Vec<String> {
        self.memory.accounts()
    }

    fn next_seq(&self) -> u64 {
        self.memory.next_seq()
    }

    fn setting(&self, key: &str) -> Option<String> {
        self.memory.setting(key)
    }

    fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        // Disk first: memory only changes once the write is durable.
        self.write_through(&batch)?;
        self.memory.commit(batch)
    }

    fn clear(&self) -> Result<(), StoreError> {
        {
            let connection =
                self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            connection
                .execute_batch("DELETE FROM trackings; DELETE FROM settings;")
                .map_err(failed)?;
        }
        self.memory.clear()
    }
}
