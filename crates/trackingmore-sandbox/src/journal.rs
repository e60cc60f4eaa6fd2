//! The request journal behind `GET /__admin/requests`: one entry per v2 request, newest last,
//! with the API key never recorded (the entry names the account by its e-mail instead).

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// How many entries the journal keeps before dropping the oldest.
const CAPACITY: usize = 10_000;

/// One journalled request.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct JournalEntry {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Request path, without the query.
    pub path: String,
    /// The operation name (`create`, `list`, …), `null` for unknown routes.
    pub route: Option<&'static str>,
    /// `meta.code` of the answer, `null` when the answer had no envelope (faults).
    pub meta_code: Option<u16>,
    /// HTTP status of the answer (for a dropped connection, the one that was never sent);
    /// 499 when the client left before the answer was ready.
    pub http_status: u16,
    /// The e-mail of the account whose key was sent, `null` when none or unknown.
    pub account: Option<String>,
    /// Whether a `Trackingmore-Api-Key` header was present (its value is never kept).
    pub api_key: Option<&'static str>,
    /// Virtual time of the request.
    pub clock: String,
    /// Names of the faults applied to this request.
    pub faults: Vec<&'static str>,
}

#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<(u64, VecDeque<JournalEntry>)>,
}

impl Journal {
    pub fn record(&self, mut entry: JournalEntry) {
        let mut guard = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (next, entries) = &mut *guard;
        *next += 1;
        entry.seq = *next;
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        let guard = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.1.iter().cloned().collect()
    }

    pub fn clear(&self) {
        let mut guard = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = (0, VecDeque::new());
    }
}
