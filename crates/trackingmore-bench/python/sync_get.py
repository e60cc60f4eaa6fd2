"""2,000 sequential GETs of one tracking with requests, httpx and trackingmore_rs.

Prints one JSON line: seconds per client for ``--count`` calls. Each client keeps one
connection alive and makes 50 warm-up calls first; the three run in turn, twice, and the
faster of each client's two runs is kept, so a passing hiccup of the machine does not decide
the ratio.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import httpx
import requests

import trackingmore_rs

WARM_UP = 50


def timed(call: Callable[[], object], count: int) -> float:
    for _ in range(WARM_UP):
        call()
    started = time.perf_counter()
    for _ in range(count):
        call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--carrier", default="dhl")
    parser.add_argument("--number", required=True)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()

    url = f"{args.url}/trackings/{args.carrier}/{args.number}"
    headers = {"Trackingmore-Api-Key": args.key}
    session = requests.Session()
    session.headers.update(headers)
    client = httpx.Client(headers=headers)
    ours = trackingmore_rs.Client(args.key, base_url=args.url, rate_limits=False)

    def with_requests() -> object:
        body = session.get(url).json()
        assert body["meta"]["code"] == 200
        return body["data"]

    def with_httpx() -> object:
        body = client.get(url).json()
        assert body["meta"]["code"] == 200
        return body["data"]

    def with_ours() -> object:
        return ours.get(args.carrier, args.number)

    best: dict[str, float] = {}
    for _ in range(2):
        for name, call in (("ours", with_ours), ("requests", with_requests), ("httpx", with_httpx)):
            seconds = timed(call, args.count)
            best[name] = min(seconds, best.get(name, seconds))

    print(json.dumps({"count": args.count, **best}))


if __name__ == "__main__":
    main()
