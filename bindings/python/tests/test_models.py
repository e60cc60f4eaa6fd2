"""Results: attributes, repr, equality, to_dict; webhooks; the sandbox object."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox


def test_resources_compare_by_value_and_show_their_key(client: tm.Client) -> None:
    client.create("dhl", "1234567890", title="Lamp")
    first, second = client.get("dhl", "1234567890"), client.get("dhl", "1234567890")
    assert first == second and first is not second
    assert first != client.create("dhl", "2234567890")
    assert repr(first) == (
        "Tracking(carrier_code='dhl', tracking_number='1234567890', "
        "status=<Status.PENDING: 'pending'>)"
    )
    wire = first.to_dict()
    assert wire["title"] == "Lamp" and wire["tracking_number"] == "1234567890"
    assert json.loads(json.dumps(wire)) == wire


def test_attributes_are_read_only(client: tm.Client) -> None:
    client.create("dhl", "1234567890")
    tracking = client.get("dhl", "1234567890")
    with pytest.raises(AttributeError):
        tracking.title = "x"  # type: ignore[misc]


def test_wire_names_become_snake_case(client: tm.Client, sandbox: Sandbox) -> None:
    client.create("ups", "SBX1DELIVERED")
    sandbox.advance_clock(30 * 3600)
    tracking = client.get("ups", "SBX1DELIVERED")
    assert tracking.last_event == tracking.to_dict()["lastEvent"]
    assert tracking.origin_info is not None
    event = tracking.origin_info.trackinfo[0]  # type: ignore[index]
    assert event.status_description == event.to_dict()["StatusDescription"]


def test_tracking_refs_are_hashable_values() -> None:
    refs = {tm.TrackingRef("dhl", "1"), tm.TrackingRef("dhl", "1"), tm.TrackingRef("ups", "1")}
    assert len(refs) == 2
    assert tm.TrackingRef("dhl", "1").to_dict() == {"carrier_code": "dhl", "tracking_number": "1"}


def test_webhook_signatures() -> None:
    now = int(time.time())
    body = json.dumps(
        {
            "meta": {"code": 200},
            "data": {"tracking_number": "RR1", "carrier_code": "dhl", "status": "delivered"},
            "verifyInfo": {"timeStr": str(now), "signature": tm.sign_webhook("a@b.org", str(now))},
        }
    )
    event = tm.verify_webhook(body, "a@b.org")
    assert event.tracking.status is tm.Status.DELIVERED
    assert event.time_str == str(now)
    with pytest.raises(tm.WebhookVerificationError, match="signature"):
        tm.verify_webhook(body.encode(), "someone@else.org")
    with pytest.raises(tm.WebhookVerificationError, match="freshness"):
        tm.verify_webhook(body, "a@b.org", now=now + 3600)
    assert tm.parse_webhook(body).tracking.tracking_number == "RR1"


def test_sandbox_webhooks_verify(client: tm.Client, sandbox: Sandbox) -> None:
    bodies: list[bytes] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        sandbox.register_webhook(f"http://127.0.0.1:{server.server_port}/hook")
        client.create("ups", "SBX1DELIVERED")
        sandbox.advance_clock(2 * 3600)
        deadline = time.monotonic() + 10
        while not bodies and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()

    assert bodies, sandbox.webhook_deliveries()
    # The sandbox signs the virtual instant of each change, up to two hours ago here.
    event = tm.verify_webhook(bodies[0], sandbox.email, now=sandbox.now(), tolerance=3 * 3600)
    assert event.tracking.tracking_number == "SBX1DELIVERED"
    assert sandbox.webhook_deliveries()[0]["ok"] is True


def test_sandbox_is_a_context_manager() -> None:
    with Sandbox(api_key="another-key", quota=5) as sandbox:
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert sandbox.admin_url.endswith("/__admin")
        assert "another-key" not in repr(sandbox)
        assert sandbox.client().user_info().track_number == 5
    assert sandbox.closed
    with pytest.raises(tm.TransportError):
        tm.Client("another-key", base_url=sandbox.base_url, retries=0).user_info()
