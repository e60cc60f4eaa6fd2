"""The runtime: cancellation, the GIL, Ctrl-C, shared runtime, logging without secrets."""

from __future__ import annotations

import asyncio
import collections.abc
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Iterator
from typing import TypeVar

import pytest
from conftest import Twin

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox

CANARY = "canary-5f0c1e2d9a7b"
T = TypeVar("T")


@pytest.mark.asyncio
async def test_cancelling_an_awaitable_stops_the_request(sandbox: Sandbox) -> None:
    sandbox.inject_fault("latency", route="getUserInfo", ms=1500)
    async with sandbox.async_client(retries=0) as client:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.user_info(), timeout=0.2)
        # An answered request is journalled with its status; one the client drops while the
        # server still waits is journalled as 499 with no meta code, and never as answered.
        await asyncio.sleep(2.0)
        calls = [e for e in sandbox.journal() if e["route"] == "getUserInfo"]
        assert [(e["http_status"], e["meta_code"]) for e in calls] == [(499, None)]
        assert calls[0]["faults"] == ["latency"]

        sandbox.clear_faults()
        assert (await client.user_info()).email == "dev@example.org"


@pytest.mark.asyncio
async def test_many_calls_in_flight(async_client: tm.AsyncClient) -> None:
    await async_client.create("dhl", "1234567890")
    results = await asyncio.gather(*(async_client.get("dhl", "1234567890") for _ in range(64)))
    assert {t.tracking_number for t in results} == {"1234567890"}


def run_in_new_loop(awaitable: Awaitable[T]) -> T:
    """Runs `awaitable` in an event loop of its own, as `asyncio.run` would, but leaves the
    thread's loop policy alone (pytest-asyncio keeps a loop there)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(awaitable)
    finally:
        loop.close()


def test_one_async_client_serves_loops_one_after_another(sandbox: Sandbox) -> None:
    # Each loop gets its own completion queue the first time it awaits a call; a closed
    # loop's queue must not catch the answers meant for the next one.
    client = sandbox.async_client(retries=0)

    async def email() -> str | None:
        return (await client.user_info()).email

    for _ in range(3):
        assert run_in_new_loop(email()) == "dev@example.org"


def test_loops_in_several_threads_at_once(sandbox: Sandbox) -> None:
    client = sandbox.async_client(retries=0)
    numbers: list[list[str]] = []
    failures: list[BaseException] = []

    async def create() -> None:
        await client.create("dhl", "1234567890")

    async def read() -> list[str]:
        tasks = [client.get("dhl", "1234567890") for _ in range(16)]
        return [tracking.tracking_number for tracking in await asyncio.gather(*tasks)]

    def thread() -> None:
        try:
            numbers.append(run_in_new_loop(read()))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    run_in_new_loop(create())
    threads = [threading.Thread(target=thread) for _ in range(4)]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    assert failures == []
    assert numbers == [["1234567890"] * 16] * 4


def test_an_async_call_is_a_coroutine(sandbox: Sandbox) -> None:
    client = sandbox.async_client(retries=0)
    call = client.user_info()
    assert asyncio.iscoroutine(call)
    assert isinstance(call, collections.abc.Coroutine)
    call.close()
    # Made and closed without being awaited: no request was sent.
    assert sandbox.journal() == []

    async def tasks() -> list[str | None]:
        task = asyncio.create_task(client.user_info())
        waited = await asyncio.wait_for(client.user_info(), timeout=5)
        return [(await task).email, waited.email]

    outcomes: list[object] = []
    # asyncio.run in a thread of its own: in the main thread it would replace the loop
    # pytest-asyncio keeps there.
    worker = threading.Thread(target=lambda: outcomes.append(asyncio.run(tasks())))
    worker.start()
    worker.join()
    assert outcomes == [["dev@example.org", "dev@example.org"]]


@pytest.mark.asyncio
async def test_a_call_is_awaited_once(async_client: tm.AsyncClient) -> None:
    call = async_client.user_info()
    assert (await call).email == "dev@example.org"
    with pytest.raises(RuntimeError, match="already awaited"):
        await call


def test_arguments_are_checked_when_the_call_is_made(sandbox: Sandbox) -> None:
    client = sandbox.async_client(retries=0)
    # Raised by the call itself, before there is anything to await.
    with pytest.raises(TypeError, match="titel"):
        client.create("dhl", "1234567890", titel="lamp")
    assert sandbox.journal() == []


def test_the_gil_is_released_during_a_call(client: tm.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault("latency", route="getUserInfo", ms=600)
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        before = ticks
        client.user_info()
        during = ticks - before
    finally:
        stop.set()
        counter.join()
    # A thread starved of the GIL would count a handful at most in 600 ms.
    assert during > 100


def test_threads_share_a_sync_client(client: tm.Client) -> None:
    client.create("dhl", "1234567890")
    seen: list[str] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                seen.append(client.get("dhl", "1234567890").tracking_number)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert seen == ["1234567890"] * 160


CREATED = (
    b'{"meta":{"code":200,"type":"Success","message":"Success"},'
    b'"data":{"carrier_code":"dhl","tracking_number":"1234567890"}}'
)


@pytest.fixture
def closes_idle_connections() -> Iterator[str]:
    """A server that answers one request per connection, keep-alive promised, and closes
    the connection 20 ms later, as servers with a short idle timeout do."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(5)
            with connection:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += connection.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    body += connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"connection: keep-alive\r\ncontent-length: "
                    + str(len(CREATED)).encode()
                    + b"\r\n\r\n"
                    + CREATED
                )
                time.sleep(0.02)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/v2"
    stop.set()
    thread.join(timeout=5)
    listener.close()


def test_a_connection_the_server_closed_between_calls_is_not_reused(
    closes_idle_connections: str,
) -> None:
    # Creation is never retried after the request went out, so a call sent on the closed
    # connection would fail: each call must see that its predecessor's connection is gone.
    with tm.Client("key", base_url=closes_idle_connections, retries=0, rate_limits=False) as c:
        for _ in range(3):
            assert c.create("dhl", "1234567890").tracking_number == "1234567890"
            time.sleep(0.1)


def test_importing_the_package_leaves_the_heavy_modules_alone() -> None:
    script = (
        "import sys, trackingmore_rs as tm\n"
        "print(sorted({'enum', 'logging', 'typing'} & set(sys.modules)))\n"
        "print(tm.Status.DELIVERED.value, tm.NewTracking.__name__, 'Status' in dir(tm))\n"
    )
    # `-I` keeps site-packages hooks of the test run (pytest's own imports) out of the count.
    shown = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert shown == ["[]", "delivered NewTracking True"]


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to the process")
def test_ctrl_c_interrupts_a_sync_call(client: tm.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault("latency", route="getUserInfo", ms=5000)
    # Python installs its Ctrl-C handler only when it starts with SIGINT at its default; a
    # process started in the background by a non-interactive shell (as CI jobs often are)
    # starts with SIGINT ignored, and then Ctrl-C rightly does nothing. The test is about
    # an interactive session, so it puts Python's handler in place itself.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    # Aimed at the main thread, where Python runs its signal handlers, as a terminal's
    # Ctrl-C would be; cancelled on the way out, so that it can never hit a later test.
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        answer = client.user_info()
    except KeyboardInterrupt:
        elapsed = time.monotonic() - started
        assert elapsed < 1.5, f"interrupted only after {elapsed:.2f}s"
    else:
        elapsed = time.monotonic() - started
        fired = timer.finished.is_set()
        pytest.fail(f"not interrupted: {answer!r} after {elapsed:.2f}s, signal sent: {fired}")
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGINT, previous)


def test_unknown_enum_values_stay_strings(api: Twin, sandbox: Sandbox) -> None:
    api.create("dhl", "1234567890")
    sandbox.inject_fault("unknown_enum_values", route="getTracking", value="in_orbit")
    sandbox.inject_fault("unknown_fields", route="getTracking")
    tracking = api.get("dhl", "1234567890")
    assert tracking.status == "in_orbit"
    assert type(tracking.status) is str
    assert not isinstance(tracking.status, tm.Status)
    assert tracking.extra["x_future_field"]["version"] == 3
    assert tracking.to_dict()["status"] == "in_orbit"


def test_known_values_are_enum_members(api: Twin) -> None:
    api.create("dhl", "1234567890")
    status = api.get("dhl", "1234567890").status
    assert status is tm.Status.PENDING
    assert status == "pending" and str(status) == "pending" and f"{status}" == "pending"


def test_no_secret_in_logs_reprs_or_errors(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tm.refresh_logging()
    for _ in range(2):
        client = tm.Client(CANARY, base_url=sandbox.base_url, retries=1, rate_limits=False)
        with pytest.raises(tm.AuthenticationError) as caught:
            client.user_info()
        sandbox.inject_fault("server_error", times=1)
        with pytest.raises(tm.AuthenticationError):
            client.user_info()

    shown = [repr(client), str(caught.value), repr(caught.value), repr(caught.value.body)]
    shown += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the client logs nothing at DEBUG"
    assert any(record.name.startswith("trackingmore") for record in caplog.records)
    assert not [text for text in shown if CANARY in text]


def test_environment_configures_the_client(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKINGMORE_API_KEY", sandbox.api_key)
    monkeypatch.setenv("TRACKINGMORE_BASE_URL", sandbox.base_url)
    with tm.Client(rate_limits=False) as client:
        assert client.base_url == sandbox.base_url
        assert client.user_info().email == "dev@example.org"


def test_rate_limits_take_operation_ids(sandbox: Sandbox) -> None:
    with sandbox.client(rate_limits={"getUserInfo": 20}) as client:
        started = time.monotonic()
        for _ in range(6):
            client.user_info()
        assert time.monotonic() - started >= 0.2
    with pytest.raises(tm.ConfigurationError, match="noSuchOperation"):
        sandbox.client(rate_limits={"noSuchOperation": 1})
