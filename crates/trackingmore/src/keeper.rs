//! A timer that keeps tokio's timer driver from waking a parked worker on every request.
//!
//! Every attempt has a timeout, so reqwest registers a timer for it. When the timer driver
//! has nothing due sooner, the new timer is the earliest, and tokio wakes the worker that is
//! parked on the driver so that it can shorten its sleep: on a multi-threaded runtime, a
//! write to an eventfd and a thread switch for every request. The facade benchmark measures
//! that cost on its `plain_timeout` side, a bare reqwest call with a timeout: about a tenth
//! of a GET of one tracking from a local sandbox.
//!
//! A timer that is always due sooner than any attempt's timeout removes the wake-up: the
//! driver already plans to wake before the new timer, so registering it disturbs nobody.
//! While a client is in use, its keeper is a task on the caller's runtime that sleeps
//! [`PERIOD`] at a time; it ends after a period without calls, when the last clone of the
//! client is dropped, or with the runtime. That is one wake-up a second while calls are
//! being made, instead of one per request.
//!
//! Current-thread runtimes get no keeper: the thread that registers a timer is the one that
//! drives it, and a load test through one showed no extra system calls per request.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};

/// How long the keeper sleeps at a time. An attempt with a shorter timeout (set under a
/// second, or cut short by the end of its call's deadline) still wakes the driver.
const PERIOD: Duration =
    if cfg!(test) { Duration::from_millis(20) } else { Duration::from_secs(1) };

/// The keeper of one client and its clones.
#[derive(Debug, Default)]
pub(crate) struct TimerKeeper {
    state: Arc<State>,
}

#[derive(Debug, Default)]
struct State {
    /// A keeper task is alive.
    running: AtomicBool,
    /// A call started since the keeper last looked.
    used: AtomicBool,
}

impl TimerKeeper {
    /// Notes a call, and starts a keeper on the caller's runtime when none is running and
    /// the runtime is multi-threaded.
    pub(crate) fn touch(&self) {
        let state = &self.state;
        // Loads first: a store on every call would bounce the cache line between workers.
        if !state.used.load(Ordering::Relaxed) {
            state.used.store(true, Ordering::Relaxed);
        }
        if state.running.load(Ordering::Relaxed) {
            return;
        }
        let Ok(handle) = Handle::try_current() else { return };
        if handle.runtime_flavor() != RuntimeFlavor::MultiThread {
            return;
        }
        if state.running.swap(true, Ordering::AcqRel) {
            return;
        }
        handle.spawn(keep(Arc::downgrade(state)));
    }

    #[cfg(test)]
    fn running(&self) -> bool {
        self.state.running.load(Ordering::Acquire)
    }
}

/// Sleeps a period at a time while the client lives and is used.
async fn keep(state: Weak<State>) {
    // Marks the keeper gone however the task ends, the runtime's shutdown included.
    struct Ended(Weak<State>);
    impl Drop for Ended {
        fn drop(&mut self) {
            if let Some(state) = self.0.upgrade() {
                state.running.store(false, Ordering::Release);
            }
        }
    }
    let _ended = Ended(state.clone());
    loop {
        tokio::time::sleep(PERIOD).await;
        let Some(state) = state.upgrade() else { return };
        if !state.used.swap(false, Ordering::Relaxed) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_keeper_runs_while_calls_come_and_ends_when_they_stop() {
        let keeper = TimerKeeper::default();
        keeper.touch();
        assert!(keeper.running(), "the first call starts it");
        // Calls while it runs take the fast path. Whether it is still alive after each one
        // is not asserted: a test thread stalled for two periods lets it end, rightly.
        for _ in 0..5 {
            tokio::time::sleep(PERIOD / 2).await;
            keeper.touch();
        }
        // Two periods without a call end it; the machine may be slow to say so.
        let waited = std::time::Instant::now();
        while keeper.running() && waited.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(PERIOD).await;
        }
        assert!(!keeper.running(), "a keeper without calls ends");
        keeper.touch();
        assert!(keeper.running(), "the next call starts a new one");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn current_thread_runtimes_get_none() {
        let keeper = TimerKeeper::default();
        keeper.touch();
        assert!(!keeper.running());
    }

    #[test]
    fn outside_a_runtime_nothing_starts() {
        let keeper = TimerKeeper::default();
        keeper.touch();
        assert!(!keeper.running());
    }
}
