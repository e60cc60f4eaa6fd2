"""One 2,000-item list page: ``json.loads`` of its bytes against ``list_trackings``.

``--url`` is a server that answers every request with the bytes of ``--body`` (the
fixed-body server of ``trackingmore-bench``), so ``Client.list_trackings(limit=2000)``
receives exactly the bytes ``json.loads`` is given. Prints medians in seconds: ``json_loads``;
``ours`` (transfer, typed decode in Rust, 2,000 ``Tracking`` objects); ``ours_touch`` (the
same, then ``status`` and ``origin_info`` of every item read); ``transfer`` (httpx fetching
the bytes without decoding them).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx

import trackingmore_rs


def median_time(call: Callable[[], object], rounds: int) -> float:
    call()
    samples = []
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--body", required=True)
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()

    body = Path(args.body).read_bytes()
    items = len(json.loads(body)["data"]["items"])
    client = trackingmore_rs.Client(args.key, base_url=args.url, rate_limits=False)
    http = httpx.Client(headers={"Trackingmore-Api-Key": args.key})

    def ours() -> object:
        page = client.list_trackings(limit=2000)
        assert len(page.items) == items
        return page

    def ours_touch() -> object:
        page = client.list_trackings(limit=2000)
        for tracking in page.items:
            tracking.status
            tracking.origin_info
        return page

    def transfer() -> object:
        return http.get(f"{args.url}/trackings/get?limit=2000").content

    report = {
        "items": items,
        "bytes": len(body),
        "json_loads": median_time(lambda: json.loads(body), args.rounds),
        "ours": median_time(ours, args.rounds),
        "ours_touch": median_time(ours_touch, args.rounds),
        "transfer": median_time(transfer, args.rounds),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
