//! The one tokio runtime behind both clients and the sandbox, and the two ways of waiting
//! for a Rust future from Python.
//!
//! The runtime is built on first use, so `import trackingmore_rs` starts no thread. It has
//! two worker threads: the work is I/O, and the Python side cannot use more. It is also the
//! runtime of pyo3-async-runtimes, so the asyncio client's futures run on it as well.
//!
//! A sync call spawns the future on the runtime, releases the GIL and waits for it, waking
//! every 50 ms to re-attach and run Python's signal handlers: Ctrl-C raises
//! `KeyboardInterrupt` within that time and aborts the task, which cancels the request. An async call hands the future to
//! `future_into_py`, which drops it when the awaitable is cancelled.
//!
//! After `os.fork()` the child has the runtime's memory but not its threads; a client must
//! not be used across a fork.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::{Builder, Runtime};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// How often a blocked sync call looks for pending signals.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// The shared runtime, built on first use.
pub(crate) fn runtime() -> &'static Runtime {
    RUNTIME.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("trackingmore-rs")
            .enable_all()
            .build()
            .expect("the operating system refused the threads of the tokio runtime")
    })
}

/// Makes the shared runtime the one pyo3-async-runtimes uses too.
fn share_with_asyncio() {
    static SHARED: OnceLock<()> = OnceLock::new();
    SHARED.get_or_init(|| {
        // Err means it was set already, which can only be by this function.
        let _ = pyo3_async_runtimes::tokio::init_with_runtime(runtime());
    });
}

/// Runs `future` to completion with the GIL released, interruptible by Ctrl-C.
///
/// The future runs as a task on a worker thread, next to the I/O it waits for; the calling
/// thread sleeps until the task ends or the next signal check. Polling it on the calling
/// thread instead would cost a thread hand-off for every I/O event (about 1.3 ms more per
/// call, measured on the sandbox).
pub(crate) fn block_on<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: Send + 'static,
{
    let runtime = runtime();
    let mut task = AbortOnDrop(runtime.spawn(future));
    py.detach(|| {
        runtime.block_on(async {
            let mut ticks = tokio::time::interval(SIGNAL_CHECK);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // The first tick is immediate; skip it so short calls never touch the GIL.
            ticks.tick().await;
            loop {
                tokio::select! {
                    biased;
                    outcome = &mut task.0 => return outcome.unwrap_or_else(|error| {
                        Err(PyRuntimeError::new_err(format!("the call's task failed: {error}")))
                    }),
                    _ = ticks.tick() => Python::attach(|py| py.check_signals())?,
                }
            }
        })
    })
}

/// A task that is cancelled when its handle is dropped, so that a call interrupted by
/// Ctrl-C stops its request.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// An asyncio awaitable for `future`; cancelling the awaitable drops the future.
pub(crate) fn awaitable<'py, F>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
{
    share_with_asyncio();
    pyo3_async_runtimes::tokio::future_into_py(py, future)
}
