"""Shared fixtures: one in-process sandbox per session, reset before every test, and the
``api`` fixture that runs a test body against the sync and the asyncio client alike."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio

from trackingmore_rs import AsyncClient, Client
from trackingmore_rs.testing import Sandbox


@pytest.fixture(scope="session")
def session_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(session_sandbox: Sandbox) -> Sandbox:
    session_sandbox.reset()
    return session_sandbox


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    with sandbox.client(retries=0) as client:
        yield client


class Twin:
    """A client whose methods return results, whichever client is underneath: the sync one
    is called directly, the async one is awaited on a private event loop."""

    def __init__(self, client: Client | AsyncClient, loop: asyncio.AbstractEventLoop | None):
        self.client = client
        self.loop = loop
        self.kind = "sync" if loop is None else "async"

    def run(self, make: Callable[[], Any]) -> Any:
        if self.loop is None:
            return make()

        async def call() -> Any:
            result = make()
            return await result if inspect.isawaitable(result) else result

        return self.loop.run_until_complete(call())

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)
        return lambda *args, **kwargs: self.run(lambda: method(*args, **kwargs))

    def list_all(self, **filters: Any) -> list[Any]:
        if self.loop is None:
            assert isinstance(self.client, Client)
            return list(self.client.list_all(**filters))
        assert isinstance(self.client, AsyncClient)
        iterator = self.client.list_all(**filters)

        async def collect() -> list[Any]:
            return [tracking async for tracking in iterator]

        return self.loop.run_until_complete(collect())


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Twin]:
    """The same test body against `Client` and against `AsyncClient`."""
    yield from twin(request.param, sandbox)


def twin(kind: str, sandbox: Sandbox, **settings: Any) -> Iterator[Twin]:
    settings.setdefault("retries", 0)
    if kind == "sync":
        with sandbox.client(**settings) as client:
            yield Twin(client, None)
        return
    loop = asyncio.new_event_loop()
    try:
        yield Twin(sandbox.async_client(**settings), loop)
    finally:
        loop.close()


@pytest_asyncio.fixture
async def async_client(sandbox: Sandbox) -> AsyncIterator[AsyncClient]:
    async with sandbox.async_client(retries=0) as client:
        yield client
