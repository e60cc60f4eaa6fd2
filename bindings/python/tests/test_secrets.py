"""The API key never leaves the client: a canary key through every path the package has.

Logs are captured at every level Python asks for (pyo3-log's default filter forwards DEBUG
and above, so the TRACE events with bodies stay in Rust), from the client and from the
in-process sandbox alike, while calls succeed, fail with API errors and meet every injected
fault. Then the canary must appear in no log record (message, arguments
or extra fields), no exception (``str``, ``repr``, formatted traceback with its chain,
pickled form, attributes), no ``repr`` of a client or result, and not in the sandbox's
journal.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox

CANARY = "canary-3d81e4b0c57a"

FAULTS: list[dict[str, Any]] = [
    {"kind": "server_error", "status": 502, "html": True},
    {"kind": "server_error", "status": 503},
    {"kind": "too_many_requests", "retry_after": 0},
    {"kind": "connection_reset"},
    {"kind": "connection_reset", "after_handler": True},
    {"kind": "latency", "ms": 700},
    {"kind": "truncated_json"},
    {"kind": "unknown_fields"},
]


@pytest.fixture
def canary_sandbox() -> Iterator[Sandbox]:
    with Sandbox(api_key=CANARY) as sandbox:
        yield sandbox


def everything_in(record: logging.LogRecord) -> str:
    """A log record as any handler could render it: message, arguments and extra fields."""
    return f"{record.getMessage()} {record.args!r} {vars(record)!r}"


def everything_about(error: BaseException) -> list[str]:
    shown = [str(error), repr(error), "".join(traceback.format_exception(error))]
    shown.append(repr(pickle.loads(pickle.dumps(error)).__dict__))
    shown.append(repr(pickle.dumps(error)))
    shown.append(repr(vars(error)))
    return shown


def exercise(client: tm.Client, sandbox: Sandbox, shown: list[str], number: str) -> None:
    """Successes, API errors and every fault, collecting everything the caller can see."""
    shown.append(repr(client.create("dhl", number, title="Lamp")))
    shown.append(repr(client.get("dhl", number)))
    shown.append(repr(client.list_trackings(numbers=[number])))
    shown.append(repr(client.user_info()))
    for call in (
        lambda: client.get("dhl", "CANARY00404"),
        lambda: client.create("dhl", number),
        lambda: client.create("no-such-carrier", "CANARY00003"),
        lambda: client.update("dhl", number, status=5),  # type: ignore[arg-type]
    ):
        with pytest.raises(tm.TrackingMoreError) as caught:
            call()
        shown.extend(everything_about(caught.value))
    for fault in FAULTS:
        options = dict(fault)
        sandbox.inject_fault(options.pop("kind"), times=1, **options)
        try:
            shown.append(repr(client.get("dhl", number)))
        except tm.TrackingMoreError as error:
            shown.extend(everything_about(error))


def test_the_canary_key_appears_nowhere(
    canary_sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(1)
    tm.refresh_logging()
    shown: list[str] = []

    with canary_sandbox.client(retries=0, timeout=0.3) as client:
        shown.append(repr(client))
        exercise(client, canary_sandbox, shown, "CANARY00001")
    with canary_sandbox.client(retries=2, timeout=0.3) as client:
        exercise(client, canary_sandbox, shown, "CANARY00002")

    async def asynchronous() -> None:
        async with canary_sandbox.async_client(retries=0, timeout=0.3) as client:
            shown.append(repr(client))
            with pytest.raises(tm.NotFoundError) as caught:
                await client.get("dhl", "CANARY00404")
            shown.extend(everything_about(caught.value))

    asyncio.run(asynchronous())

    # A wrong key is refused without being repeated.
    with tm.Client(CANARY + "-wrong", base_url=canary_sandbox.base_url, retries=0) as stranger:
        shown.append(repr(stranger))
        with pytest.raises(tm.AuthenticationError) as refused:
            stranger.user_info()
        shown.extend(everything_about(refused.value))

    # Keys that cannot be sent, and a bad base URL, fail without showing the key.
    for key, url in [(CANARY + "\n", canary_sandbox.base_url), (CANARY, "not a url")]:
        with pytest.raises(tm.ConfigurationError) as unusable:
            tm.Client(key, base_url=url)
        shown.extend(everything_about(unusable.value))

    shown += [everything_in(record) for record in caplog.records]
    shown += [repr(entry) for entry in canary_sandbox.journal()]
    assert any(record.levelno == logging.DEBUG for record in caplog.records), "DEBUG is captured"
    assert any(record.name.startswith("trackingmore") for record in caplog.records)
    leaks = [text for text in shown if CANARY in text]
    assert not leaks, f"the key leaked {len(leaks)} times, first: {leaks[0][:500]}"


def test_a_key_from_the_environment_stays_hidden(
    canary_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKINGMORE_API_KEY", CANARY)
    monkeypatch.setenv("TRACKINGMORE_BASE_URL", canary_sandbox.base_url)
    with tm.Client(rate_limits=False) as client:
        assert CANARY not in repr(client)
        assert client.user_info().email == "dev@example.org"
