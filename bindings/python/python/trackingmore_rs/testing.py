"""Test helpers: the TrackingMore v2 sandbox, running inside the Python process.

>>> from trackingmore_rs.testing import Sandbox
>>> with Sandbox() as sandbox:
...     client = sandbox.client()
...     client.user_info().email
'dev@example.org'

A pytest fixture is two lines::

    @pytest.fixture
    def sandbox() -> Iterator[Sandbox]:
        with Sandbox() as sandbox:
            yield sandbox
"""

from __future__ import annotations

from typing import Any

from trackingmore_rs._native import AsyncClient, Client
from trackingmore_rs._native import Sandbox as _NativeSandbox

__all__ = ["Sandbox"]


class Sandbox(_NativeSandbox):
    """The local v2 server on ``127.0.0.1`` with a port the system picks.

    It starts when created and stops on :meth:`close`, at the end of a ``with`` block, or
    when it is garbage-collected. Rate limits are off unless ``rate_limits=True``.
    """

    def client(self, **settings: Any) -> Client:
        """A :class:`~trackingmore_rs.Client` for this sandbox; ``settings`` as for
        ``Client``. Client-side rate limits are off unless given."""
        settings.setdefault("api_key", self.api_key)
        settings.setdefault("base_url", self.base_url)
        settings.setdefault("rate_limits", False)
        return Client(**settings)

    def async_client(self, **settings: Any) -> AsyncClient:
        """An :class:`~trackingmore_rs.AsyncClient` for this sandbox; ``settings`` as for
        ``AsyncClient``. Client-side rate limits are off unless given."""
        settings.setdefault("api_key", self.api_key)
        settings.setdefault("base_url", self.base_url)
        settings.setdefault("rate_limits", False)
        return AsyncClient(**settings)

    def __enter__(self) -> Sandbox:
        return self
