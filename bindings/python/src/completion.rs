//! asyncio awaitables for Rust futures, completed on the event loop's own thread.
//!
//! A call of the `AsyncClient` returns a [`Call`], a coroutine: `await` it, or hand it to
//! `asyncio.run`, `create_task`, `gather` or `wait_for` like any coroutine. Arguments are
//! checked when the call is made; the request starts when the coroutine first runs. It then
//! spawns the Rust future on the shared runtime and waits on an `asyncio.Future` of the
//! running loop. When the Rust future ends, the worker thread that ran it does not touch
//! Python: it puts the outcome on the loop's completion queue and, if the queue was idle,
//! writes one byte to a socket pair whose other end the loop watches (`loop.add_reader`).
//! The loop then drains the queue on its own thread, where it holds the GIL anyway: each
//! outcome becomes a Python object there and resolves its future.
//!
//! Why not the usual bridge, which resolves the future from the worker thread: that takes
//! the GIL on a tokio worker for every call, and under load the event loop's thread holds
//! the GIL most of the time, so the worker waits for it and every connection that worker
//! drives waits too. Here a worker never waits for Python, and one wake-up of the loop
//! serves every call that finished meanwhile.
//!
//! Cancelling the coroutine's task (or its future) aborts the Rust task, which drops the
//! Rust future and with it the request. A panic in a future becomes a `RuntimeError` of
//! that call.
//!
//! Each event loop gets its own queue and socket pair the first time it awaits a call. The
//! queue of a loop that was closed is dropped the next time another loop registers.

use std::collections::HashMap;
use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use futures::FutureExt;
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyBaseException, PyRuntimeError, PyStopIteration, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::{MutexExt as _, PyOnceLock};

/// What a finished call turns into, on the loop's thread: its result or its exception.
type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// A coroutine that runs `future` when it is first awaited; cancelling it drops `future`.
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let start: Start = Box::new(move |py| spawn(py, future));
    Ok(Bound::new(py, Call { state: Mutex::new(State::Ready(start)) })?.into_any())
}

/// Spawns `future` and returns the future of the running loop that its outcome resolves.
fn spawn<'py, F, T>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let hub = Hub::of_running_loop(py)?;
    let asyncio_future = hub.event_loop.bind(py).call_method0(intern!(py, "create_future"))?;
    let id = hub.next_id.fetch_add(1, Ordering::Relaxed);

    let queue = Arc::clone(&hub.queue);
    let task = crate::runtime::runtime().spawn(async move {
        let outcome: Outcome = match AssertUnwindSafe(future).catch_unwind().await {
            Ok(Ok(value)) => Box::new(move |py| value.into_py_any(py)),
            Ok(Err(error)) => Box::new(move |_| Err(error)),
            Err(panic) => {
                let message = panic_message(panic.as_ref());
                Box::new(move |_| {
                    Err(PyRuntimeError::new_err(format!("the call panicked: {message}")))
                })
            }
        };
        queue.push(id, outcome);
    });

    // The task cannot be drained before this returns: draining runs on this thread.
    let canceller =
        Py::new(py, Canceller { hub: Arc::downgrade(&hub), id, task: task.abort_handle() })?;
    asyncio_future.call_method1(intern!(py, "add_done_callback"), (canceller.clone_ref(py),))?;
    let waiting = Waiting { future: asyncio_future.clone().unbind(), canceller };
    lock(&hub.waiting).insert(id, waiting);
    Ok(asyncio_future)
}

/// What starts a call: spawns its future, returns the asyncio future it resolves.
type Start = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send>;

enum State {
    /// Made, not awaited yet.
    Ready(Start),
    /// Spawned; the loop's future that its outcome resolves.
    Waiting(Py<PyAny>),
    /// Returned, raised, thrown into or closed.
    Finished,
}

/// The coroutine an `AsyncClient` call returns.
///
/// It implements the coroutine protocol (`__await__`, `send`, `throw`, `close`), so asyncio
/// and `collections.abc.Coroutine` take it for one. Like a coroutine of `async def`, it
/// yields the asyncio future it waits on, with `_asyncio_future_blocking` set, which is
/// how a task learns what to wait for.
#[pyclass(frozen, module = "trackingmore_rs")]
pub struct Call {
    state: Mutex<State>,
}

#[pymethods]
impl Call {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.step(py)
    }

    /// Resumes the call; only `None` can be sent, as to an `asyncio.Future`.
    fn send(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !value.is_none() && matches!(*lock(&self.state), State::Ready(_)) {
            return Err(PyTypeError::new_err("can't send non-None value to a just-started call"));
        }
        self.step(py)
    }

    /// Cancels the call, then raises `exception` in the caller.
    #[pyo3(signature = (exception, value=None, _traceback=None))]
    fn throw(
        &self,
        py: Python<'_>,
        exception: &Bound<'_, PyAny>,
        value: Option<&Bound<'_, PyAny>>,
        _traceback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.cancel(py)?;
        let instance = if exception.is_instance_of::<PyBaseException>() {
            exception.clone()
        } else {
            match value {
                Some(value) if value.is_instance_of::<PyBaseException>() => value.clone(),
                Some(value) if !value.is_none() => exception.call1((value,))?,
                _ => exception.call0()?,
            }
        };
        Err(PyErr::from_value(instance))
    }

    /// Cancels the call if it is in flight; a later `await` raises `RuntimeError`.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.cancel(py)
    }
}

impl Call {
    /// One step of the coroutine: start the call, wait for its future, or return its
    /// result by raising `StopIteration`.
    fn step(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let state = std::mem::replace(&mut *lock(&self.state), State::Finished);
        let future = match state {
            State::Ready(start) => start(py)?.unbind(),
            State::Waiting(future) => future,
            State::Finished => {
                return Err(PyRuntimeError::new_err("cannot reuse an already awaited call"));
            }
        };

        let bound = future.bind(py);
        if bound.call_method0(intern!(py, "done"))?.is_truthy()? {
            let result = bound.call_method0(intern!(py, "result"))?;
            return Err(PyStopIteration::new_err((result.unbind(),)));
        }
        bound.setattr(intern!(py, "_asyncio_future_blocking"), true)?;
        let yielded = future.clone_ref(py);
        *lock(&self.state) = State::Waiting(future);
        Ok(yielded)
    }

    /// Cancels the future in flight, which aborts the Rust task; ends the coroutine.
    fn cancel(&self, py: Python<'_>) -> PyResult<()> {
        let state = std::mem::replace(&mut *lock(&self.state), State::Finished);
        if let State::Waiting(future) = state {
            future.bind(py).call_method0(intern!(py, "cancel"))?;
        }
        Ok(())
    }
}

/// The completion queue of one event loop and the futures waiting on it.
struct Hub {
    event_loop: Py<PyAny>,
    queue: Arc<Queue>,
    /// The end of the socket pair the loop reads; only its readiness matters.
    wakeups: UnixStream,
    /// The futures of calls in flight, by call id; used on the loop's thread only.
    waiting: Mutex<HashMap<u64, Waiting>>,
    next_id: AtomicU64,
}

struct Waiting {
    future: Py<PyAny>,
    canceller: Py<Canceller>,
}

/// Where worker threads leave finished calls.
struct Queue {
    done: Mutex<Vec<(u64, Outcome)>>,
    /// Set while a wake-up byte is on its way, so that a burst of completions writes one.
    armed: AtomicBool,
    wake: UnixStream,
}

impl Queue {
    fn push(&self, id: u64, outcome: Outcome) {
        lock(&self.done).push((id, outcome));
        if !self.armed.swap(true, Ordering::SeqCst) {
            // WouldBlock means unread bytes are waiting already, which wakes the loop just
            // the same; any other error means the loop is gone.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

/// The hubs of the loops that have awaited a call.
static HUBS: Mutex<Vec<Arc<Hub>>> = Mutex::new(Vec::new());

impl Hub {
    /// The hub of the running loop, registered with it on first use.
    fn of_running_loop(py: Python<'_>) -> PyResult<Arc<Hub>> {
        static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let event_loop = GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop")?.call0()?;
        // Python runs below with the lock held (`is_closed`, `add_reader`), and may hand the
        // GIL to a thread waiting for this lock; `lock_py_attached` waits detached instead.
        let mut hubs = HUBS.lock_py_attached(py).unwrap_or_else(PoisonError::into_inner);
        if let Some(hub) = hubs.iter().find(|hub| hub.event_loop.bind(py).is(&event_loop)) {
            return Ok(Arc::clone(hub));
        }

        // A new loop: forget the hubs of closed ones first.
        let mut open = Vec::with_capacity(hubs.len() + 1);
        for hub in hubs.drain(..) {
            let closed = hub.event_loop.bind(py).call_method0(intern!(py, "is_closed"))?;
            if !closed.is_truthy()? {
                open.push(hub);
            }
        }
        *hubs = open;

        let (wakeups, wake) = socket_pair().map_err(|error| {
            PyRuntimeError::new_err(format!("no socket pair for the event loop: {error}"))
        })?;
        let queue = Queue { done: Mutex::new(Vec::new()), armed: AtomicBool::new(false), wake };
        let hub = Arc::new(Hub {
            event_loop: event_loop.clone().unbind(),
            queue: Arc::new(queue),
            wakeups,
            waiting: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
        });
        let drain = Py::new(py, Drain(Arc::clone(&hub)))?;
        event_loop.call_method1(intern!(py, "add_reader"), (hub.wakeups.as_raw_fd(), drain))?;
        hubs.push(Arc::clone(&hub));
        Ok(hub)
    }

    /// Resolves the future of every call that finished; runs on the loop's thread.
    fn drain(&self, py: Python<'_>) {
        // Bytes first, then the flag, then the queue: a completion pushed after the queue is
        // taken finds the flag clear and writes a byte that is still unread.
        let mut sink = [0u8; 64];
        loop {
            match (&self.wakeups).read(&mut sink) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        self.queue.armed.store(false, Ordering::SeqCst);
        let done = std::mem::take(&mut *lock(&self.queue.done));

        for (id, outcome) in done {
            let Some(waiting) = lock(&self.waiting).remove(&id) else { continue };
            let future = waiting.future.bind(py);
            if let Err(error) = resolve(py, future, &waiting.canceller, outcome) {
                error.write_unraisable(py, Some(future));
            }
        }
    }
}

/// Sets the result or the exception of a call's future, unless it was cancelled.
fn resolve(
    py: Python<'_>,
    future: &Bound<'_, PyAny>,
    canceller: &Py<Canceller>,
    outcome: Outcome,
) -> PyResult<()> {
    future.call_method1(intern!(py, "remove_done_callback"), (canceller,))?;
    if future.call_method0(intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    match outcome(py) {
        Ok(value) => future.call_method1(intern!(py, "set_result"), (value,))?,
        Err(error) => future.call_method1(intern!(py, "set_exception"), (error.into_value(py),))?,
    };
    Ok(())
}

/// The loop's reader callback for a hub's socket.
#[pyclass(frozen)]
struct Drain(Arc<Hub>);

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        self.0.drain(py);
    }
}

/// The done callback of a call's future: when the future was cancelled, aborts the task.
#[pyclass(frozen)]
struct Canceller {
    hub: Weak<Hub>,
    id: u64,
    task: tokio::task::AbortHandle,
}

#[pymethods]
impl Canceller {
    fn __call__(&self, py: Python<'_>, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0(intern!(py, "cancelled"))?.is_truthy()? {
            self.task.abort();
            if let Some(hub) = self.hub.upgrade() {
                lock(&hub.waiting).remove(&self.id);
            }
        }
        Ok(())
    }
}

/// Two connected, non-blocking sockets: (the end the loop reads, the end workers write).
fn socket_pair() -> std::io::Result<(UnixStream, UnixStream)> {
    let (read, write) = UnixStream::pair()?;
    read.set_nonblocking(true)?;
    write.set_nonblocking(true)?;
    Ok((read, write))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "no message".to_owned()
    }
}
