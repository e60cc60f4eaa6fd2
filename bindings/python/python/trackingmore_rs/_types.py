"""The shapes of the dicts the clients take, for type checkers.

They are plain ``TypedDict``s: at run time any dict with the right keys will do, and a
misspelt key is a ``TypeError`` naming the keys that exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias, TypedDict

from trackingmore_rs._enums import Status, StatusChange
from trackingmore_rs._native import TrackingRef

__all__ = [
    "CountFilters",
    "Lane",
    "ListFilters",
    "NewTracking",
    "Place",
    "RealtimeFields",
    "TrackingChanges",
    "TrackingFields",
    "TrackingKey",
    "TrackingName",
    "TrackingUpdate",
]


class TrackingKey(TypedDict):
    """A tracking named by its carrier code and number."""

    carrier_code: str
    tracking_number: str


class TrackingFields(TypedDict, total=False):
    """The optional keywords of ``create``."""

    title: str
    customer_name: str
    customer_email: str
    customer_phone: str
    order_id: str
    order_create_time: str
    destination_code: str
    logistics_channel: str
    comment: str
    lang: str
    tracking_ship_date: str
    tracking_postal_code: str
    tracking_account_number: str
    tracking_destination_country: str
    keep_carrier_code: bool


class NewTracking(TrackingKey, TrackingFields):
    """One shipment to start tracking (an item of ``batch_create``): the keywords of
    ``create`` as a dict."""


class TrackingChanges(TypedDict, total=False):
    """The keywords of ``update``: only the fields given are changed."""

    archived: bool
    customer_email: str
    customer_name: str
    customer_phone: str
    destination_code: str
    logistics_channel: str
    order_id: str
    status: StatusChange | Literal[4, 7, 8, "4", "7", "8"]
    title: str


class TrackingUpdate(TrackingKey, TrackingChanges):
    """One item of ``update_many``: a tracking and the fields to change."""


class ListFilters(TypedDict, total=False):
    """The keywords of ``list_trackings`` and ``list_all``; times are unix seconds."""

    page: int
    limit: int
    status: Status | str
    created_at_min: int
    created_at_max: int
    update_time_min: int
    update_time_max: int
    order_created_time_min: int
    order_created_time_max: int
    lang: str
    numbers: Sequence[str]
    orders: Sequence[str]
    archived: bool


class CountFilters(TypedDict, total=False):
    """The keywords of ``status_counts``; times are unix seconds."""

    created_at_min: int
    created_at_max: int
    order_created_time_min: int
    order_created_time_max: int


class RealtimeFields(TypedDict, total=False):
    """The optional keywords of ``realtime``."""

    destination_code: str
    lang: str
    order: str
    order_create_time: str
    special_number_destination: str
    tracking_account_number: str
    tracking_postal_code: str
    tracking_ship_date: str


class _PlaceRequired(TypedDict):
    country: str
    postcode: str


class Place(_PlaceRequired, total=False):
    """A place to check for remote-area surcharges; ``company`` limits it to one carrier."""

    company: str


Lane = TypedDict("Lane", {"carrier_code": str, "from": str, "to": str})
"""A lane for transit times: a carrier from one country to another (ISO 3166-1 alpha-2)."""

TrackingName: TypeAlias = "TrackingRef | tuple[str, str] | TrackingKey"
"""What names a tracking in ``delete_many`` and ``stop_updating``."""
