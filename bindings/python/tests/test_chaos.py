"""The chaos workload through the Python package: mixed operations while the sandbox injects
faults into about a fifth of all requests, checked against a model of what it must hold.

The same idea as the Rust workload in ``tests/chaos``, smaller and sequential: for every
number the model keeps the states the sandbox may be in. An acknowledged write leaves one, a
failed write two (it happened, or it did not); the next read must find one of them, and at
the end every number must hold one of its allowed states. ``CHAOS_PY_OPS`` sets the number of
operations (default 300), ``CHAOS_SEED`` the seed.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, replace
from typing import Callable, Optional

import pytest

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox

OPS = int(os.environ.get("CHAOS_PY_OPS", "300"))
SEED = int(os.environ.get("CHAOS_SEED", "20260105"))
NUMBERS = [f"PYCHAOS{n:03}" for n in range(24)]
CARRIERS = ["dhl", "ups", "fedex"]
TITLES = ["Desk lamp", "Mug", "Chair"]


@dataclass(frozen=True)
class Stored:
    """What a number holds; ``id`` is ``None`` when its creation was ambiguous."""

    id: Optional[str]
    carrier: str
    title: Optional[str]
    archived: bool
    forced: Optional[str]

    def admits(self, seen: Stored) -> bool:
        return (self.id is None or self.id == seen.id) and replace(self, id=None) == replace(
            seen, id=None
        )


State = Optional[Stored]


def admits(expected: State, seen: State) -> bool:
    if expected is None or seen is None:
        return expected is seen
    return expected.admits(seen)


def seen_state(tracking: tm.Tracking) -> Stored:
    status = str(tracking.status) if tracking.status is not None else None
    archived = tracking.archived
    return Stored(
        id=tracking.id,
        carrier=tracking.carrier_code or "",
        title=tracking.title,
        archived=archived is True or archived == "true",
        forced=status if status in ("delivered", "exception") else None,
    )


def fault_error(error: Exception) -> str:
    """The kind of an error the injected faults explain; anything else fails the test."""
    if isinstance(error, tm.TimeoutError):
        return "timeout"
    if isinstance(error, tm.TransportError):
        return "transport"
    if isinstance(error, tm.RateLimitError):
        return "rate limited"
    if isinstance(error, tm.DecodeError):
        return "decode"
    if isinstance(error, tm.ApiError) and error.meta_code is None:
        if (error.http_status or 0) >= 500:
            return f"http {error.http_status}"
    raise AssertionError(f"an error no fault explains: {error!r}") from error


class Model:
    def __init__(self) -> None:
        self.states: dict[str, list[State]] = {number: [None] for number in NUMBERS}
        self.errors: dict[str, int] = {}

    def known(self, number: str) -> tuple[bool, State]:
        states = self.states[number]
        return (len(states) == 1, states[0])

    def set(self, number: str, state: State) -> None:
        self.states[number] = [state]

    def failed(self, number: str, error: Exception, apply: Callable[[State], State]) -> None:
        kind = fault_error(error)
        self.errors[kind] = self.errors.get(kind, 0) + 1
        states: list[State] = []
        for state in self.states[number]:
            for candidate in (state, apply(state)):
                if candidate not in states:
                    states.append(candidate)
        self.states[number] = states

    def observe(self, number: str, seen: State, context: str) -> None:
        matches = [state for state in self.states[number] if admits(state, seen)]
        assert matches, f"{number}: {context} found {seen}, the model allows {self.states[number]}"
        self.set(number, seen)


def resolve(client: tm.Client, model: Model, numbers: list[str]) -> None:
    try:
        page = client.list_trackings(numbers=numbers, limit=100)
    except tm.TrackingMoreError as error:
        kind = fault_error(error)
        model.errors[kind] = model.errors.get(kind, 0) + 1
        return
    found: dict[str, list[tm.Tracking]] = {}
    for item in page.items:
        found.setdefault(item.tracking_number or "", []).append(item)
    for number in numbers:
        items = found.pop(number, [])
        assert len(items) <= 1, f"{number} is stored {len(items)} times"
        model.observe(number, seen_state(items[0]) if items else None, "list")
    assert not found, f"list returned numbers it was not asked for: {sorted(found)}"


def step(client: tm.Client, model: Model, rng: random.Random) -> None:
    number = rng.choice(NUMBERS)
    settled, before = model.known(number)
    if not settled:
        resolve(client, model, [number])
        return
    carrier = before.carrier if before is not None else rng.choice(CARRIERS)
    roll = rng.randrange(100)
    if roll < 25:
        title = rng.choice(TITLES)
        created = Stored(None, carrier, title, False, None)
        try:
            echo = client.create(carrier, number, title=title)
        except tm.AlreadyExistsError:
            assert before is not None, f"{number}: 4016 for an absent number"
        except tm.TrackingMoreError as error:
            model.failed(number, error, lambda state: state or created)
        else:
            if before is None:
                assert echo.id, "a create echo carries the id"
                model.set(number, replace(created, id=echo.id))
            else:
                # A retry met its own earlier attempt and read the tracking back.
                assert echo.id == before.id, f"{number}: created twice"
    elif roll < 45:
        try:
            tracking = client.get(carrier, number)
        except tm.NotFoundError:
            model.observe(number, None, "get")
        except tm.TrackingMoreError as error:
            fault_error(error)
        else:
            model.observe(number, seen_state(tracking), "get")
    elif roll < 70:
        title = rng.choice(TITLES)
        archived = rng.randrange(4) == 0
        status = rng.choice([None, None, None, 4, 7, 8])
        changes: dict[str, object] = {"title": title, "archived": archived}
        if status is not None:
            changes["status"] = status

        def apply(state: State) -> State:
            if state is None:
                return None
            forced = {4: "delivered", 7: "exception", 8: None}.get(status or 0, state.forced)
            return replace(state, title=title, archived=archived, forced=forced)

        try:
            client.update(carrier, number, **changes)  # type: ignore[arg-type]
        except tm.NotFoundError:
            assert before is None, f"{number}: 4017 on update of a stored tracking"
        except tm.TrackingMoreError as error:
            model.failed(number, error, apply)
        else:
            assert before is not None, f"{number}: updated an absent tracking"
            model.set(number, apply(before))
    elif roll < 82:
        try:
            client.delete(carrier, number)
        except tm.NotFoundError:
            assert before is None, f"{number}: 4017 on delete of a stored tracking"
        except tm.TrackingMoreError as error:
            model.failed(number, error, lambda state: None)
        else:
            model.set(number, None)
    else:
        resolve(client, model, sorted(set(rng.sample(NUMBERS, 6))))


FAULTS = [
    ("server_error", 5, {"status": 502, "html": True}),
    ("too_many_requests", 4, {"retry_after": 1}),
    ("connection_reset", 3, {}),
    ("connection_reset", 2, {"after_handler": True}),
    ("latency", 4, {"ms": 700}),
    ("truncated_json", 4, {}),
]


def test_mixed_operations_under_faults_keep_every_acknowledged_write() -> None:
    rng = random.Random(SEED)
    with Sandbox(quota=1_000_000) as sandbox:
        for n, (kind, percent, options) in enumerate(FAULTS):
            sandbox.inject_fault(kind, percent=percent, seed=SEED + n, **options)
        model = Model()
        with sandbox.client(retries=3, timeout=0.3, deadline=30) as client:
            for _ in range(OPS):
                step(client, model, rng)

            # Settle what is still open without faults, then compare everything.
            sandbox.clear_faults()
            resolve(client, model, [n for n in NUMBERS if not model.known(n)[0]] or NUMBERS[:1])
            stored = {t.tracking_number: seen_state(t) for t in client.list_all(limit=100)}
        for number in NUMBERS:
            seen = stored.pop(number, None)
            allowed = model.states[number]
            allowed_here = any(admits(state, seen) for state in allowed)
            assert allowed_here, f"{number}: {seen} not in {allowed}"
        assert not stored, f"trackings nobody created: {sorted(stored)}"
        faulted = [entry for entry in sandbox.journal() if entry["faults"]]
        assert faulted, "faults were injected"
        share = 100 * len(faulted) / len(sandbox.journal())
        errors = model.errors
        print(f"chaos (python): {OPS} operations, {share:.0f} % of requests faulted, {errors}")


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_every_fault_surfaces_as_a_typed_exception(kind: str) -> None:
    """Each fault alone, on a call that is not retried: the exception says what happened."""
    expected = {
        "server_error": tm.ApiError,
        "too_many_requests": tm.RateLimitError,
        "connection_reset": tm.TransportError,
        "latency": tm.TimeoutError,
        "truncated_json": tm.DecodeError,
    }
    options = {"latency": {"ms": 700}, "server_error": {"html": True, "status": 503}}
    with Sandbox() as sandbox:
        settings = {"retries": 0, "timeout": 0.3}
        for fault, error in expected.items():
            sandbox.inject_fault(fault, times=1, **options.get(fault, {}))
            with pytest.raises(error) as caught:
                if kind == "sync":
                    with sandbox.client(**settings) as client:
                        client.user_info()
                else:
                    import asyncio

                    async def call() -> None:
                        async with sandbox.async_client(**settings) as client:
                            await client.user_info()

                    asyncio.run(call())
            assert caught.value.operation == "getUserInfo", caught.value
            assert str(caught.value), "the message says something"
