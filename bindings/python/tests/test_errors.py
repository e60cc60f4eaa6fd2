"""Each failure family becomes its exception, with the answer's details as attributes."""

from __future__ import annotations

import builtins
import pickle
import socket
import threading
from collections.abc import Iterator

import pytest
from conftest import Twin, twin

import trackingmore_rs as tm
from trackingmore_rs.testing import Sandbox


@pytest.fixture(params=["sync", "async"])
def wrong_key(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Twin]:
    yield from twin(request.param, sandbox, api_key="not-the-key")


def test_authentication(wrong_key: Twin) -> None:
    with pytest.raises(tm.AuthenticationError) as caught:
        wrong_key.user_info()
    assert caught.value.meta_code == 4001
    assert caught.value.http_status == 200
    assert caught.value.operation == "getUserInfo"
    assert b"4001" in caught.value.body


def test_not_found(api: Twin) -> None:
    with pytest.raises(tm.NotFoundError) as caught:
        api.delete("dhl", "1234567890")
    assert caught.value.meta_code == 4017
    assert isinstance(caught.value, tm.ApiError)
    with pytest.raises(tm.NotFoundError) as caught:
        api.get("dhl", "1234567890")  # never created: "create it first"
    assert caught.value.meta_code == 4031


def test_already_exists(api: Twin) -> None:
    api.create("dhl", "1234567890")
    with pytest.raises(tm.AlreadyExistsError) as caught:
        api.create("dhl", "1234567890")
    assert caught.value.meta_code == 4016


def test_invalid_request_from_the_api(api: Twin) -> None:
    with pytest.raises(tm.InvalidRequestError) as caught:
        api.create("no-such-carrier", "1234567890")
    assert caught.value.meta_code == 4015
    assert isinstance(caught.value, ValueError)


def test_invalid_request_before_sending(api: Twin, sandbox: Sandbox) -> None:
    with pytest.raises(tm.InvalidRequestError) as caught:
        api.get("dhl", "   ")
    assert caught.value.meta_code is None
    with pytest.raises(tm.InvalidRequestError):
        api.list_trackings(limit=5000)
    with pytest.raises(tm.InvalidRequestError):
        api.batch_create([])
    assert sandbox.journal() == []


def test_misspelt_keywords_are_type_errors(api: Twin) -> None:
    with pytest.raises(TypeError, match="titel"):
        api.create("dhl", "1234567890", titel="lamp")
    with pytest.raises(TypeError, match="batch_create\\(\\) item 1"):
        api.batch_create([{"carrier_code": "dhl", "tracking_number": "1"}, {"carrier": "dhl"}])
    with pytest.raises(TypeError):
        api.list_trackings(pages=2)


def test_quota_exceeded(api: Twin, sandbox: Sandbox) -> None:
    sandbox.set_quota(0)
    with pytest.raises(tm.QuotaExceededError) as caught:
        api.create("dhl", "1234567890")
    assert caught.value.meta_code == 4021


def test_rate_limited(api: Twin, sandbox: Sandbox) -> None:
    sandbox.inject_fault("too_many_requests", route="getUserInfo", retry_after=7)
    with pytest.raises(tm.RateLimitError) as caught:
        api.user_info()
    assert caught.value.retry_after == 7.0
    assert caught.value.meta_code == 429
    assert caught.value.http_status == 429


def test_server_error_page_keeps_the_body(api: Twin, sandbox: Sandbox) -> None:
    sandbox.inject_fault("server_error", status=502, html=True)
    with pytest.raises(tm.ApiError) as caught:
        api.user_info()
    assert type(caught.value) is tm.ApiError
    assert caught.value.meta_code is None
    assert caught.value.http_status == 502
    assert caught.value.body.startswith(b"<html>")


def test_connection_reset_is_a_transport_error(api: Twin, sandbox: Sandbox) -> None:
    sandbox.inject_fault("connection_reset")
    with pytest.raises(tm.TransportError) as caught:
        api.user_info()
    assert caught.value.attempts == 1


def test_an_answer_past_the_size_limit_is_a_decode_error_without_a_body() -> None:
    # A peer announcing 128 MiB: the client (64 MiB limit) hangs up before reading any of it.
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            while b"\r\n\r\n" not in connection.recv(65536):
                pass
            connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 134217728\r\n\r\n{")

    peer = threading.Thread(target=serve, daemon=True)
    peer.start()
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}/v2"
    with tm.Client("key", base_url=base_url, retries=0) as client:
        with pytest.raises(tm.DecodeError, match="larger than the 67108864-byte limit") as caught:
            client.user_info()
    assert (caught.value.http_status, caught.value.body) == (200, b"")
    peer.join(timeout=5)
    listener.close()


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_the_size_limit_is_a_setting(kind: str, sandbox: Sandbox) -> None:
    # A page of one tracking is several hundred bytes; an error envelope under 120.
    for roomy in twin(kind, sandbox):
        roomy.create("dhl", "1234567890")
        assert roomy.list_trackings().items[0].tracking_number == "1234567890"
    for tight in twin(kind, sandbox, max_response_size=120):
        with pytest.raises(tm.DecodeError, match="larger than the 120-byte limit") as caught:
            tight.list_trackings()
        assert (caught.value.http_status, caught.value.body) == (200, b"")
        # A small answer is still read whole: its meta code comes through.
        with pytest.raises(tm.ApiError) as small:
            tight.delete("dhl", "0000000000")
        assert small.value.meta_code == 4017


def test_nothing_listening_is_a_transport_error(sandbox: Sandbox) -> None:
    client = tm.Client("key", base_url="http://127.0.0.1:9/v2", retries=0)
    with pytest.raises(tm.TransportError):
        client.user_info()


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_deadline_is_a_timeout_and_the_builtin(kind: str, sandbox: Sandbox) -> None:
    sandbox.inject_fault("latency", ms=2000)
    for slow in twin(kind, sandbox, deadline=0.3):
        with pytest.raises(tm.TimeoutError) as caught:
            slow.user_info()
        assert isinstance(caught.value, builtins.TimeoutError)
        assert isinstance(caught.value, tm.TransportError)
    sandbox.clear_faults()


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_attempt_timeout_is_a_timeout(kind: str, sandbox: Sandbox) -> None:
    sandbox.inject_fault("latency", ms=2000)
    for slow in twin(kind, sandbox, timeout=0.2):
        with pytest.raises(tm.TimeoutError) as caught:
            slow.user_info()
        assert isinstance(caught.value, builtins.TimeoutError)
        assert isinstance(caught.value, tm.TransportError)
    sandbox.clear_faults()


def test_truncated_answer_is_a_decode_error(api: Twin, sandbox: Sandbox) -> None:
    api.create("dhl", "1234567890")
    sandbox.inject_fault("truncated_json", route="getTracking")
    with pytest.raises(tm.DecodeError) as caught:
        api.get("dhl", "1234567890")
    assert caught.value.http_status == 200
    assert caught.value.body.startswith(b'{"meta"')


def test_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKINGMORE_API_KEY", raising=False)
    with pytest.raises(tm.ConfigurationError, match="TRACKINGMORE_API_KEY"):
        tm.Client()
    with pytest.raises(tm.ConfigurationError):
        tm.Client("key", base_url="ftp://example.org")


def test_exceptions_pickle_with_their_attributes(api: Twin) -> None:
    with pytest.raises(tm.NotFoundError) as caught:
        api.get("dhl", "1234567890")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is tm.NotFoundError
    assert (copy.meta_code, copy.body, str(copy)) == (
        caught.value.meta_code,
        caught.value.body,
        str(caught.value),
    )
