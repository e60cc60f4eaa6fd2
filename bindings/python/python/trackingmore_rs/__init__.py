"""Sync and asyncio clients for the TrackingMore v2 shipment-tracking API.

The clients are the Rust ``trackingmore`` crate: retries with backoff, client-side rate
limits, batch chunking, pagination and forward-compatible decoding all happen there, with
the GIL released while requests are in flight.

>>> from trackingmore_rs import Client
>>> client = Client("YOUR-API-KEY")  # or TRACKINGMORE_API_KEY in the environment
"""

from trackingmore_rs._errors import (
    AlreadyExistsError,
    ApiError,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    DecodeError,
    InvalidRequestError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    TimeoutError,  # noqa: A004
    TrackingMoreError,
    TransportError,
    WebhookVerificationError,
)
from trackingmore_rs._native import (
    AsyncClient,
    AsyncTrackingIterator,
    BatchError,
    BatchItem,
    BatchResult,
    Carrier,
    CarrierInfo,
    Checkpoint,
    Client,
    CreatedTracking,
    DetectedCarrier,
    Page,
    StatusCounts,
    Tracking,
    TrackingIterator,
    TrackingRef,
    UpdatedTracking,
    UserInfo,
    WebhookEvent,
    __version__,
    parse_webhook,
    refresh_logging,
    sign_webhook,
    verify_webhook,
)

# The status enums and the input types need `enum` and `typing`, which take longer to import
# than the rest of the package; they are imported when first named. Type checkers see them
# as ordinary imports.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from trackingmore_rs._enums import Status, StatusChange, Substatus
    from trackingmore_rs._types import (
        CountFilters,
        Lane,
        ListFilters,
        NewTracking,
        Place,
        RealtimeFields,
        TrackingChanges,
        TrackingFields,
        TrackingKey,
        TrackingName,
        TrackingUpdate,
    )

_LAZY = {
    "Status": "trackingmore_rs._enums",
    "StatusChange": "trackingmore_rs._enums",
    "Substatus": "trackingmore_rs._enums",
    "CountFilters": "trackingmore_rs._types",
    "Lane": "trackingmore_rs._types",
    "ListFilters": "trackingmore_rs._types",
    "NewTracking": "trackingmore_rs._types",
    "Place": "trackingmore_rs._types",
    "RealtimeFields": "trackingmore_rs._types",
    "TrackingChanges": "trackingmore_rs._types",
    "TrackingFields": "trackingmore_rs._types",
    "TrackingKey": "trackingmore_rs._types",
    "TrackingName": "trackingmore_rs._types",
    "TrackingUpdate": "trackingmore_rs._types",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AlreadyExistsError",
    "ApiError",
    "AsyncClient",
    "AsyncTrackingIterator",
    "AuthenticationError",
    "BatchError",
    "BatchItem",
    "BatchResult",
    "Carrier",
    "CarrierInfo",
    "Checkpoint",
    "Client",
    "ClientClosedError",
    "ConfigurationError",
    "CountFilters",
    "CreatedTracking",
    "DecodeError",
    "DetectedCarrier",
    "InvalidRequestError",
    "Lane",
    "ListFilters",
    "NewTracking",
    "NotFoundError",
    "Page",
    "Place",
    "QuotaExceededError",
    "RateLimitError",
    "RealtimeFields",
    "Status",
    "StatusChange",
    "StatusCounts",
    "Substatus",
    "TimeoutError",
    "Tracking",
    "TrackingChanges",
    "TrackingFields",
    "TrackingIterator",
    "TrackingKey",
    "TrackingMoreError",
    "TrackingName",
    "TrackingRef",
    "TrackingUpdate",
    "TransportError",
    "UpdatedTracking",
    "UserInfo",
    "WebhookEvent",
    "WebhookVerificationError",
    "__version__",
    "parse_webhook",
    "refresh_logging",
    "sign_webhook",
    "verify_webhook",
]
