"""Calls every public function and method with correct types, for `mypy --strict`.

It is never run: `cargo xtask test` type-checks it, so a stub that stops matching how the
package is meant to be used fails the build. The functions are only defined, not called.
"""

from __future__ import annotations

import asyncio

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox


def sync_calls(client: tm.Client) -> None:
    created: tm.CreatedTracking = client.create("dhl", "1", title="t", keep_carrier_code=True)
    tracking: tm.Tracking = client.get("dhl", "1", lang="de")
    tracking = client.get_in_language("dhl", "1", "de")
    updated: tm.UpdatedTracking = client.update(
        "dhl", "1", title="t", archived=False, status=tm.StatusChange.DELIVERED
    )
    client.update("dhl", "1", status=7)
    client.delete("dhl", "1")
    page: tm.Page = client.list_trackings(page=1, limit=10, status=tm.Status.TRANSIT)
    for item in client.list_all(numbers=["1", "2"], archived=False):
        tracking = item
    batch: tm.BatchResult = client.batch_create([{"carrier_code": "dhl", "tracking_number": "1"}])
    batch = client.update_many([{"carrier_code": "dhl", "tracking_number": "1", "title": "x"}])
    batch = client.delete_many([("dhl", "1"), tm.TrackingRef("dhl", "2")])
    batch = client.stop_updating([{"carrier_code": "dhl", "tracking_number": "1"}])
    tracking = client.realtime("dhl", "1", lang="en")
    moved: tm.TrackingRef = client.change_carrier("dhl", "1", "ups")
    info: tm.UserInfo = client.user_info()
    counts: tm.StatusCounts = client.status_counts(created_at_min=0)
    carriers: list[tm.Carrier] = client.carriers(lang="en")
    detected: list[tm.DetectedCarrier] = client.detect_carrier("1Z")
    remote = client.remote_areas([{"country": "CN", "postcode": "1", "company": "dhl"}])
    times = client.transit_times([{"carrier_code": "dhl", "from": "CN", "to": "US"}])
    cargo = client.air_cargo(["618-40712385"], lang="en")
    data = client.raw("GET", "/carriers", None)
    client.close()
    use(created, tracking, updated, page, batch, moved, info, counts, carriers, detected)
    use(remote, times, cargo, data, client.closed, client.base_url)


async def async_calls(client: tm.AsyncClient) -> None:
    async with client:
        created: tm.CreatedTracking = await client.create("dhl", "1", title="t")
        tracking: tm.Tracking = await client.get("dhl", "1")
        tracking = await client.get_in_language("dhl", "1", "de")
        updated: tm.UpdatedTracking = await client.update("dhl", "1", customer_name="n")
        await client.delete("dhl", "1")
        page: tm.Page = await client.list_trackings(limit=5)
        async for item in client.list_all(status="transit"):
            tracking = item
        batch: tm.BatchResult = await client.batch_create(
            [{"carrier_code": "dhl", "tracking_number": "1"}]
        )
        batch = await client.update_many([{"carrier_code": "dhl", "tracking_number": "1"}])
        batch = await client.delete_many([("dhl", "1")])
        batch = await client.stop_updating([tm.TrackingRef("dhl", "1")])
        tracking = await client.realtime("dhl", "1")
        moved: tm.TrackingRef = await client.change_carrier("dhl", "1", "ups")
        info: tm.UserInfo = await client.user_info()
        counts: tm.StatusCounts = await client.status_counts()
        carriers: list[tm.Carrier] = await client.carriers()
        detected: list[tm.DetectedCarrier] = await client.detect_carrier("1Z")
        remote = await client.remote_areas([{"country": "CN", "postcode": "1"}])
        times = await client.transit_times([{"carrier_code": "dhl", "from": "CN", "to": "US"}])
        cargo = await client.air_cargo(["618-40712385"])
        data = await client.raw("POST", "/carriers/detect", {"tracking_number": "1Z"})
        await asyncio.wait_for(client.user_info(), timeout=1.0)
        use(created, tracking, updated, page, batch, moved, info, counts, carriers, detected)
        use(remote, times, cargo, data)
    await client.close()


def results(tracking: tm.Tracking, page: tm.Page, batch: tm.BatchResult) -> None:
    status: tm.Status | str | None = tracking.status
    substatus: tm.Substatus | str | None = tracking.substatus
    number: str | None = tracking.tracking_number
    origin: tm.CarrierInfo | None = tracking.origin_info
    if origin is not None and origin.trackinfo:
        checkpoint: tm.Checkpoint = origin.trackinfo[0]
        use(checkpoint.date, checkpoint.checkpoint_status, checkpoint.to_dict())
    extra: dict[str, object] = tracking.extra
    items: list[tm.Tracking] = page.items
    total: int | str | None = page.total
    for done in batch.done:
        use(done.index, done.value, done.recovered)
    for error in batch.errors:
        use(error.index, error.meta_code, error.message, error.carrier_code)
    use(status, substatus, number, extra, items, total, batch.is_complete(), len(page))


def errors(error: tm.TrackingMoreError) -> None:
    if isinstance(error, tm.ApiError):
        use(error.meta_code, error.http_status, error.message, error.body, error.attempts)
    if isinstance(error, tm.RateLimitError):
        seconds: float = error.retry_after
        use(seconds)
    if isinstance(error, tm.DecodeError):
        use(error.body, error.http_status)
    if isinstance(error, tm.TransportError):
        use(error.attempts)


def configuration() -> None:
    tm.Client(
        "key",
        base_url="http://127.0.0.1:1/v2",
        timeout=5.0,
        connect_timeout=1,
        proxy=None,
        user_agent="me",
        retries=2,
        deadline=30.0,
        rate_limits={"listTrackings": 1, "realtimeTracking": 3.0},
        batch_concurrency=2,
        max_response_size=1 << 20,
    )
    tm.AsyncClient(rate_limits=False)


def webhooks(body: bytes) -> None:
    event: tm.WebhookEvent = tm.verify_webhook(body, "a@b.org", tolerance=60, now=0.0)
    event = tm.parse_webhook(body.decode())
    signature: str = tm.sign_webhook("a@b.org", "123")
    use(event.tracking, event.meta, event.time_str, event.signature, signature)


def sandbox() -> None:
    with Sandbox("key", email="e@x.org", quota=10, rate_limits=True) as box:
        client: tm.Client = box.client(retries=0)
        async_client: tm.AsyncClient = box.async_client()
        box.advance_clock(3600)
        box.inject_fault("latency", route="getTracking", times=1, ms=100)
        box.clear_faults()
        box.set_quota(5)
        box.register_webhook("http://127.0.0.1:1/")
        deliveries: list[dict[str, object]] = box.webhook_deliveries()
        journal: list[dict[str, object]] = box.journal()
        box.reset()
        now: int = box.now()
        use(client, async_client, deliveries, journal, now, box.base_url, box.admin_url)
        use(box.api_key, box.email, box.closed)


def use(*values: object) -> None:
    del values
