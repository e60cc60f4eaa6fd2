"""Measures the package against plain Python HTTP clients, on one sandbox route.

Run it with a release build installed (``pip install ./bindings/python``) and ``requests``
and ``httpx`` next to it::

    python bindings/python/benches/compare.py

The sandbox runs in a separate process (rate limits off), so the server's work does not
share the measured process's cores' GIL or runtime. Every number is the best of a few
runs; the ratios are what to look at, the absolute times depend on the machine.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import requests

import trackingmore_rs as tm

GETS = 2000
IN_FLIGHT = 32
PAGE = 2000
REPEAT = 3


def best(run: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def start_sandbox() -> tuple[subprocess.Popen[str], str, str]:
    code = (
        "from trackingmore_rs.testing import Sandbox\n"
        "s = Sandbox(quota=1_000_000)\n"
        "print(s.base_url, s.api_key, flush=True)\n"
        "import sys; sys.stdin.read()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    base_url, key = process.stdout.readline().split()
    return process, base_url, key


def main() -> None:
    process, base_url, key = start_sandbox()
    try:
        report(base_url, key)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def report(base_url: str, key: str) -> None:
    headers = {"Trackingmore-Api-Key": key, "Accept": "application/json"}
    client = tm.Client(key, base_url=base_url, rate_limits=False)
    client.create("dhl", "1234567890", title="Desk lamp")
    client.batch_create(
        {"carrier_code": "ups", "tracking_number": f"1Z{n:016}"} for n in range(PAGE - 1)
    )
    url = f"{base_url}/trackings/dhl/1234567890"

    # 1. Sequential GETs, each turned into a Python object.
    def ours() -> None:
        for _ in range(GETS):
            client.get("dhl", "1234567890")

    session = requests.Session()

    def with_requests() -> None:
        for _ in range(GETS):
            session.get(url, headers=headers).json()

    plain = httpx.Client(headers=headers)

    def with_httpx() -> None:
        for _ in range(GETS):
            plain.get(url).json()

    for warm in (ours, with_requests, with_httpx):
        best(warm, 1)
    t_ours, t_requests, t_httpx = best(ours), best(with_requests), best(with_httpx)
    print(f"{GETS} sequential GETs:")
    print(f"  trackingmore_rs.Client  {t_ours:6.3f} s  {GETS / t_ours:7.0f}/s")
    print(f"  requests.Session + json {t_requests:6.3f} s  {GETS / t_requests:7.0f}/s"
          f"  (ours is {t_requests / t_ours:.2f}x as fast)")
    print(f"  httpx.Client + json     {t_httpx:6.3f} s  {GETS / t_httpx:7.0f}/s"
          f"  (ours is {t_httpx / t_ours:.2f}x as fast)")

    # 2. The same GETs from asyncio, 32 in flight.
    async def async_ours() -> None:
        async with tm.AsyncClient(key, base_url=base_url, rate_limits=False) as aclient:
            gate = asyncio.Semaphore(IN_FLIGHT)

            async def one() -> None:
                async with gate:
                    await aclient.get("dhl", "1234567890")

            await asyncio.gather(*(one() for _ in range(GETS)))

    async def async_httpx() -> None:
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
        async with httpx.AsyncClient(headers=headers, limits=limits) as aclient:
            gate = asyncio.Semaphore(IN_FLIGHT)

            async def one() -> None:
                async with gate:
                    (await aclient.get(url)).json()

            await asyncio.gather(*(one() for _ in range(GETS)))

    for warm in (async_ours, async_httpx):
        asyncio.run(warm())
    a_ours = best(lambda: asyncio.run(async_ours()))
    a_httpx = best(lambda: asyncio.run(async_httpx()))
    print(f"{GETS} GETs from asyncio, {IN_FLIGHT} in flight:")
    print(f"  trackingmore_rs.AsyncClient {a_ours:6.3f} s  {GETS / a_ours:7.0f}/s")
    print(f"  httpx.AsyncClient + json    {a_httpx:6.3f} s  {GETS / a_httpx:7.0f}/s"
          f"  (ours is {a_httpx / a_ours:.2f}x as fast)")

    # 3. One page of 2,000 trackings, from the same bytes.
    body = session.get(f"{base_url}/trackings/get?limit={PAGE}", headers=headers).content
    assert len(tm._native._decode_page(body)) == PAGE

    def read(items: Any, get: Callable[[Any, str], Any]) -> None:
        for item in items:
            get(item, "tracking_number"), get(item, "status"), get(item, "carrier_code")

    t_loads = best(lambda: json.loads(body), 10)
    t_decode = best(lambda: tm._native._decode_page(body), 10)
    t_loads_read = best(lambda: read(json.loads(body)["data"]["items"], dict.get), 10)
    t_decode_read = best(lambda: read(tm._native._decode_page(body), getattr), 10)
    print(f"a page of {PAGE} trackings ({len(body) / 1e6:.1f} MB of JSON):")
    print(f"  json.loads                  {t_loads * 1e3:7.2f} ms")
    print(f"  Page with Tracking objects  {t_decode * 1e3:7.2f} ms"
          f"  (ours is {t_loads / t_decode:.2f}x as fast)")
    print(f"  ... and reading 3 fields of every item: json {t_loads_read * 1e3:.2f} ms, "
          f"ours {t_decode_read * 1e3:.2f} ms ({t_loads_read / t_decode_read:.2f}x)")

    # 4. Import time, in fresh interpreters.
    probe = "import time; t = time.perf_counter(); import trackingmore_rs; " \
            "print(time.perf_counter() - t)"
    imports = [
        float(subprocess.check_output([sys.executable, "-c", probe], text=True))
        for _ in range(7)
    ]
    print(f"import trackingmore_rs: median {statistics.median(imports) * 1e3:.1f} ms, "
          f"best {min(imports) * 1e3:.1f} ms")

    # 5. The wheel, when one was built into target/wheels.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    for wheel in sorted(glob.glob(os.path.join(root, "target", "wheels", "*.whl"))):
        print(f"wheel {os.path.basename(wheel)}: {os.path.getsize(wheel) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
