"""The runtime: cancellation, the GIL, Ctrl-C, shared runtime, logging without secrets."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time

import pytest
from conftest import Twin

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox

CANARY = "canary-5f0c1e2d9a7b"


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


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to the process")
def test_ctrl_c_interrupts_a_sync_call(client: tm.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault("latency", route="getUserInfo", ms=5000)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        client.user_info()
    assert time.monotonic() - started < 1.5
    timer.join()


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
