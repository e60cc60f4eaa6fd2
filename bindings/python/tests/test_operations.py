"""Every operation of the client, each test run against `Client` and `AsyncClient`."""

from __future__ import annotations

import pytest
from conftest import Twin

from trackingmore_rs import (
    BatchResult,
    Carrier,
    CreatedTracking,
    DetectedCarrier,
    Page,
    Status,
    StatusChange,
    StatusCounts,
    Tracking,
    TrackingRef,
    UpdatedTracking,
    UserInfo,
)
from trackingmore_rs.testing import Sandbox

DAY = 24 * 3600


def test_create_get_delete(api: Twin) -> None:
    created = api.create("dhl", "1234567890", title="Desk lamp", order_id="#1042")
    assert isinstance(created, CreatedTracking)
    assert (created.carrier_code, created.tracking_number) == ("dhl", "1234567890")
    assert created.title == "Desk lamp"

    tracking = api.get("dhl", "1234567890")
    assert isinstance(tracking, Tracking)
    assert tracking.order_id == "#1042"
    assert tracking.status == Status.PENDING

    assert api.delete("dhl", "1234567890") is None
    assert api.list_trackings().count == 0


def test_get_in_language(api: Twin) -> None:
    api.create("dhl", "1234567890")
    assert api.get_in_language("dhl", "1234567890", "de").tracking_number == "1234567890"
    assert api.get("dhl", "1234567890", lang="de").tracking_number == "1234567890"


def test_update_changes_fields_and_forces_a_status(api: Twin) -> None:
    api.create("dhl", "1234567890")
    updated = api.update("dhl", "1234567890", title="Lamp", archived=True)
    assert isinstance(updated, UpdatedTracking)
    assert updated.title == "Lamp"

    api.update("dhl", "1234567890", status=StatusChange.DELIVERED)
    assert api.get("dhl", "1234567890").status == Status.DELIVERED
    api.update("dhl", "1234567890", status=8)
    assert api.get("dhl", "1234567890").status == Status.PENDING


def test_a_journey_moves_with_the_sandbox_clock(api: Twin, sandbox: Sandbox) -> None:
    api.create("ups", "SBX1DELIVERED")
    sandbox.advance_clock(3 * DAY + 3600)

    tracking = api.get("ups", "SBX1DELIVERED")
    assert tracking.status is Status.DELIVERED
    assert tracking.origin_info is not None
    checkpoints = tracking.origin_info.trackinfo
    assert checkpoints and checkpoints[0].checkpoint_status == Status.DELIVERED
    assert checkpoints[0].date


def test_list_trackings_pages(api: Twin) -> None:
    api.batch_create([{"carrier_code": "dhl", "tracking_number": f"RR{n:08}DE"} for n in range(45)])
    page = api.list_trackings(limit=20, page=3)
    assert isinstance(page, Page)
    assert (page.page, page.limit, page.count, len(page)) == (3, 20, 5, 5)
    assert int(page.total) == 45
    assert all(isinstance(tracking, Tracking) for tracking in page)
    assert page.items is page.items


def test_list_all_reads_every_page(api: Twin, sandbox: Sandbox) -> None:
    numbers = {f"RR{n:08}DE" for n in range(105)}
    api.batch_create([{"carrier_code": "dhl", "tracking_number": n} for n in sorted(numbers)])
    seen = api.list_all(limit=20)
    assert sorted(t.tracking_number for t in seen) == sorted(numbers)
    journal_lists = [e for e in sandbox.journal() if e["route"] == "listTrackings"]
    assert len(journal_lists) == 6


def test_list_filters_reach_the_api(api: Twin) -> None:
    api.create("dhl", "1234567890")
    api.create("dhl", "2234567890")
    page = api.list_trackings(numbers=["2234567890"], status=Status.PENDING)
    assert [t.tracking_number for t in page] == ["2234567890"]


def test_batch_create_merges_chunks_in_input_order(api: Twin) -> None:
    items = [{"carrier_code": "dhl", "tracking_number": f"RR{n:08}DE"} for n in range(85)]
    items[10] = {"carrier_code": "no-such-carrier", "tracking_number": "RR99999999DE"}
    items[50] = dict(items[49])  # a duplicate, in another chunk than its first
    result = api.batch_create(items)

    assert isinstance(result, BatchResult)
    assert (result.submitted, result.calls) == (85, 3)
    assert [e.index for e in result.errors] == [10, 50]
    assert [e.meta_code for e in result.errors] == [4015, 4016]
    assert [d.index for d in result.done] == [i for i in range(85) if i not in (10, 50)]
    assert isinstance(result.done[0].value, CreatedTracking)
    assert not result.is_complete()
    assert result.to_dict()["errors"][0]["index"] == 10


def test_update_many_delete_many_and_stop_updating(api: Twin) -> None:
    numbers = [f"RR{n:08}DE" for n in range(45)]
    api.batch_create([{"carrier_code": "dhl", "tracking_number": n} for n in numbers])

    updated = api.update_many(
        [{"carrier_code": "dhl", "tracking_number": n, "title": "bulk"} for n in numbers]
    )
    assert updated.is_complete() and updated.calls == 2
    assert api.get("dhl", numbers[44]).title == "bulk"

    stopped = api.stop_updating([("dhl", numbers[0]), TrackingRef("dhl", numbers[1])])
    assert [item.value for item in stopped.done] == [
        TrackingRef("dhl", numbers[0]),
        TrackingRef("dhl", numbers[1]),
    ]
    assert api.get("dhl", numbers[0]).track_update is False

    deleted = api.delete_many(
        [{"carrier_code": "dhl", "tracking_number": n} for n in numbers] + [("dhl", "0000000000")]
    )
    assert len(deleted.done) == 45
    assert [(e.index, e.meta_code) for e in deleted.errors] == [(45, 4017)]
    assert api.list_trackings().count == 0


def test_realtime_and_change_carrier(api: Twin) -> None:
    tracking = api.realtime("dhl", "1234567890")
    assert isinstance(tracking, Tracking)
    assert tracking.tracking_number == "1234567890"

    moved = api.change_carrier("dhl", "1234567890", "ups")
    assert moved == TrackingRef("ups", "1234567890")
    assert api.get("ups", "1234567890").carrier_code == "ups"


def test_account(api: Twin) -> None:
    api.create("dhl", "1234567890")
    info = api.user_info()
    assert isinstance(info, UserInfo)
    assert info.email == "dev@example.org"
    assert info.track_number == 10_000 - 1

    counts = api.status_counts(created_at_min=0)
    assert isinstance(counts, StatusCounts)
    assert counts.pending == 1
    assert counts.delivered == 0


def test_carriers(api: Twin) -> None:
    carriers = api.carriers()
    assert all(isinstance(carrier, Carrier) for carrier in carriers)
    assert "dhl" in {carrier.code for carrier in carriers}

    detected = api.detect_carrier("1Z999AA10123456784")
    assert [type(c) for c in detected] == [DetectedCarrier]
    assert detected[0].code == "ups"


def test_tools(api: Twin) -> None:
    remote = api.remote_areas([{"country": "CN", "postcode": "518000", "company": "dhl"}])
    assert isinstance(remote, dict) and remote["submitted"] == 1

    times = api.transit_times([{"carrier_code": "dhl", "from": "CN", "to": "US"}])
    assert isinstance(times, list) and times[0]["carrier_code"] == "dhl"

    cargo = api.air_cargo(["618-40712385"])
    assert isinstance(cargo, list) and cargo[0]["track_number"] == "618-40712385"


def test_raw_returns_data(api: Twin) -> None:
    api.create("dhl", "1234567890")
    page = api.raw("GET", "/trackings/get?limit=5")
    assert page["items"][0]["tracking_number"] == "1234567890"
    created = api.raw(
        "post", "trackings/post", {"carrier_code": "ups", "tracking_number": "1Z999AA10123456784"}
    )
    assert created["tracking_number"] == "1Z999AA10123456784"


def test_a_closed_client_refuses_calls(api: Twin) -> None:
    from trackingmore_rs import ClientClosedError

    api.close()
    assert api.client.closed
    with pytest.raises(ClientClosedError):
        api.user_info()
