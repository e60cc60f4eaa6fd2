//! The runtimes behind the clients and the sandbox, and the ways of waiting for a Rust
//! future from Python.
//!
//! A synchronous `Client` owns a current-thread runtime, driven by the thread that makes the
//! call: the request, its I/O and its decoding all run there, with the GIL released, as
//! they would in a pure-Python client, so a call costs no hand-off between threads. Every
//! 50 ms of waiting the thread re-attaches to run Python's signal handlers: Ctrl-C raises
//! `KeyboardInterrupt` within that time and drops the call, which cancels the request.
//! Threads may share a `Client`; one of them drives its connections at a time.
//!
//! The shared runtime, with two worker threads, serves the asyncio client and the sandbox;
//! `completion` turns its futures into asyncio awaitables. Both runtimes are built on
//! first use, so `import trackingmore_rs` starts no thread.
//!
//! After `os.fork()` the child has the runtimes' memory but not their threads; a client
//! must not be used across a fork.

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

/// Runs `future` on the shared runtime to completion with the GIL released, interruptible
/// by Ctrl-C; for work that must outlive the call, such as the sandbox's server.
///
/// The future runs as a task on a worker thread, next to the I/O it waits for; the calling
/// thread sleeps until the task ends or the next signal check.
pub(crate) fn block_on<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: Send + 'static,
{
    let runtime = runtime();
    let mut task = AbortOnDrop(runtime.spawn(future));
    let joined = async move {
        (&mut task.0).await.unwrap_or_else(|error| {
            Err(PyRuntimeError::new_err(format!("the call's task failed: {error}")))
        })
    };
    py.detach(|| runtime.block_on(interruptible(joined)))
}

/// Awaits `future`, running Python's signal handlers every [`SIGNAL_CHECK`] meanwhile; a
/// handler's exception (`KeyboardInterrupt`) ends the wait and drops the future.
async fn interruptible<T>(future: impl Future<Output = PyResult<T>>) -> PyResult<T> {
    let mut future = std::pin::pin!(future);
    // The first check is one period away, so a short call never touches the GIL. (An
    // interval starting now would not do: its first tick waits for the timer's next
    // millisecond, up to a millisecond before the call even starts.)
    let first = tokio::time::Instant::now() + SIGNAL_CHECK;
    let mut ticks = tokio::time::interval_at(first, SIGNAL_CHECK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            outcome = &mut future => return outcome,
            _ = ticks.tick() => Python::attach(|py| py.check_signals())?,
        }
    }
}

/// The runtime of one synchronous client, driven by the threads that call it.
///
/// Its connections live in it, so every call of the client must run here, the pages of
/// `list_all` included.
pub(crate) struct CallerRuntime(
    /// `None` only while being dropped.
    Option<Runtime>,
);

impl CallerRuntime {
    pub(crate) fn new() -> PyResult<CallerRuntime> {
        let runtime = Builder::new_current_thread().enable_all().build().map_err(|error| {
            PyRuntimeError::new_err(format!("the client's tokio runtime did not start: {error}"))
        })?;
        Ok(CallerRuntime(Some(runtime)))
    }

    /// Runs `future` on the calling thread with the GIL released, interruptible by Ctrl-C.
    pub(crate) fn block_on<F, T>(&self, py: Python<'_>, future: F) -> PyResult<T>
    where
        F: Future<Output = PyResult<T>> + Send,
        T: Send,
    {
        let Some(runtime) = &self.0 else {
            return Err(PyRuntimeError::new_err("the client's runtime was shut down"));
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(PyRuntimeError::new_err(
                "a synchronous client cannot be called from a thread that runs async Rust code; \
                 use AsyncClient there",
            ));
        }
        py.detach(|| {
            runtime.block_on(async {
                // Nothing drives this runtime between calls, so a kept-alive connection the
                // server closed meanwhile still looks open, and a request written to it would
                // fail after the fact. Two yields let the runtime read its sockets and run
                // those connections' tasks before the call picks one.
                tokio::task::yield_now().await;
                tokio::task::yield_now().await;
                interruptible(future).await
            })
        })
    }
}

impl Drop for CallerRuntime {
    fn drop(&mut self) {
        // A Python object can be freed on any thread, a worker of another runtime included,
        // where a blocking shutdown would panic; this one waits for nothing.
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// A task that is cancelled when its handle is dropped, so that a call interrupted by
/// Ctrl-C stops its request.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A conversion to a Python object that runs on the event loop's thread when the call's
/// awaitable is resolved (`completion`), under the GIL the loop holds anyway. Converting
/// inside the future instead would take the GIL from a worker thread, where the event
/// loop's thread holds it most of the time.
pub(crate) struct Deferred(pub(crate) Convert);

/// Turns the value a call produced into a Python object, with the GIL held.
pub(crate) type Convert = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

impl<'py> IntoPyObject<'py> for Deferred {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (self.0)(py).map(|object| object.into_bound(py))
    }
}
