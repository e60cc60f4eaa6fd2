"""Closed-loop load through trackingmore_rs.AsyncClient: N coroutines on one event loop.

Prints one JSON line with the answers that completed inside the measured window and the
rate, like ``trackingmore-bench load``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import trackingmore_rs


async def run(args: argparse.Namespace) -> dict[str, float]:
    client = trackingmore_rs.AsyncClient(args.key, base_url=args.url, rate_limits=False)
    loop = asyncio.get_running_loop()
    start = loop.time() + args.warm_up
    end = start + args.seconds
    done = 0
    failed = 0

    async def worker() -> None:
        nonlocal done, failed
        while True:
            try:
                await client.get(args.carrier, args.number)
                ok = True
            except trackingmore_rs.TrackingMoreError:
                ok = False
            now = loop.time()
            if now >= end:
                return
            if now >= start:
                if ok:
                    done += 1
                else:
                    failed += 1

    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    await client.close()
    return {"requests": done, "errors": failed, "seconds": args.seconds, "rps": done / args.seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--carrier", default="dhl")
    parser.add_argument("--number", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warm-up", type=float, default=0.3)
    args = parser.parse_args()
    started = time.perf_counter()
    report = asyncio.run(run(args))
    report["wall"] = time.perf_counter() - started
    print(json.dumps(report))


if __name__ == "__main__":
    main()
