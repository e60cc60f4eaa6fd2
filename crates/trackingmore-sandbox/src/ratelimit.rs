//! Per-account, per-operation token buckets on the wall clock.
//!
//! Rate limits are the one place where the sandbox uses real time: a client's limiter runs on
//! real time too, and a virtual clock would make a burst of requests look instantaneous.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RateLimits;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets of every (account, operation) pair seen so far.
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<HashMap<(String, &'static str), Bucket>>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter { limits, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token, or says how long until one is available.
    pub fn check(&self, account: &str, operation: &'static str) -> Result<(), Duration> {
        let Some(per_second) = self.limits.limit(operation) else { return Ok(()) };
        let rate = f64::from(per_second);
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let bucket = buckets
            .entry((account.to_owned(), operation))
            .or_insert(Bucket { tokens: rate, last: now });

        // Refill for the time since the last request; a bucket holds one second's worth.
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }

    pub fn clear(&self) {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}
