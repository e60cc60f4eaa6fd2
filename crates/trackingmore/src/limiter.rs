//! The client-side rate limiter: one GCRA cell per limited operation (governor), shared by
//! every clone of a client.
//!
//! Each attempt of a limited operation, retries included, takes a cell before it is sent.
//! When none is free the attempt waits until one is; a wait that would pass the call's
//! deadline is refused instead, so that a call never sleeps past what the caller allowed.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::config::RateLimits;
use crate::operation::Operation;

/// The limiters of every limited operation.
#[derive(Clone)]
pub(crate) struct Limiter {
    cells: Arc<BTreeMap<Operation, DefaultDirectRateLimiter>>,
    clock: DefaultClock,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.cells.keys()).finish()
    }
}

impl Limiter {
    pub(crate) fn new(limits: &RateLimits) -> Limiter {
        let cells = limits
            .limits
            .iter()
            .filter_map(|(operation, limit)| {
                let burst = NonZeroU32::new(limit.burst).unwrap_or(NonZeroU32::MIN);
                let quota = Quota::with_period(limit.period)?.allow_burst(burst);
                Some((*operation, RateLimiter::direct(quota)))
            })
            .collect();
        Limiter { cells: Arc::new(cells), clock: DefaultClock::default() }
    }

    /// Takes a cell for `operation`, waiting at most `budget`; on refusal, the wait that
    /// would have been needed.
    pub(crate) async fn acquire(
        &self,
        operation: Operation,
        budget: Duration,
    ) -> Result<Duration, Duration> {
        let Some(cell) = self.cells.get(&operation) else { return Ok(Duration::ZERO) };
        let mut waited = Duration::ZERO;
        loop {
            match cell.check() {
                Ok(()) => return Ok(waited),
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.clock.now());
                    if waited + wait > budget {
                        return Err(wait);
                    }
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RateLimit;

    #[tokio::test]
    async fn a_wait_past_the_budget_is_refused_without_sleeping() {
        let limits = RateLimits::off().set(Operation::ListTrackings, RateLimit::per_second(1));
        let limiter = Limiter::new(&limits);
        assert_eq!(
            limiter.acquire(Operation::ListTrackings, Duration::ZERO).await,
            Ok(Duration::ZERO)
        );
        let refused = limiter.acquire(Operation::ListTrackings, Duration::from_millis(10)).await;
        assert!(refused.is_err(), "the second call within a second must wait: {refused:?}");
        assert_eq!(
            limiter.acquire(Operation::GetTracking, Duration::ZERO).await,
            Ok(Duration::ZERO)
        );
    }
}
