# Partly generated: the blocks between "@generated begin" and "@generated end" are rewritten from openapi/trackingmore-v2.yaml by `cargo xtask codegen`; the rest is written by hand.
"""The compiled part of trackingmore_rs: the clients, the result classes and the sandbox.

Import from ``trackingmore_rs`` (and ``trackingmore_rs.testing``), not from here.
"""

from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, final

from typing_extensions import Self, Unpack, disjoint_base

from trackingmore_rs._enums import Status, Substatus
from trackingmore_rs._types import (
    CountFilters,
    Lane,
    ListFilters,
    NewTracking,
    Place,
    RealtimeFields,
    TrackingChanges,
    TrackingFields,
    TrackingName,
    TrackingUpdate,
)

__all__ = [
    "_decode_page",
    "AsyncClient",
    "AsyncTrackingIterator",
    "BatchError",
    "BatchItem",
    "BatchResult",
    "Carrier",
    "CarrierInfo",
    "Checkpoint",
    "Client",
    "CreatedTracking",
    "DetectedCarrier",
    "Page",
    "Sandbox",
    "StatusCounts",
    "Tracking",
    "TrackingIterator",
    "TrackingRef",
    "UpdatedTracking",
    "UserInfo",
    "WebhookEvent",
    "__version__",
    "parse_webhook",
    "refresh_logging",
    "sign_webhook",
    "verify_webhook",
]

__version__: str

@final
class Client:
    """The synchronous client. Calls block the calling thread only: the GIL is released
    while a request is in flight, and Ctrl-C interrupts a call within 50 ms.

    Every argument is optional: the API key falls back to ``TRACKINGMORE_API_KEY`` and the
    base URL to ``TRACKINGMORE_BASE_URL``, then to the production API. ``timeout`` bounds one
    attempt and ``connect_timeout`` opening a connection (seconds); ``retries`` is the number
    of attempts after the first for failures worth retrying, ``deadline`` the total time of
    one call with its retries. ``rate_limits`` is ``True`` for the API's published limits
    (``listTrackings`` 1/s, ``realtimeTracking`` 3/s), ``False`` for none, or a dict from
    operation id to calls per second. ``batch_concurrency`` is how many chunks of a batch
    call are in flight at once. ``max_response_size`` is the largest answer read, in bytes
    (64 MiB unless given); a larger one raises ``DecodeError`` without being read.
    """

    def __new__(
        cls,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        proxy: str | None = None,
        user_agent: str | None = None,
        retries: int = 3,
        deadline: float | None = None,
        rate_limits: bool | Mapping[str, float] | None = None,
        batch_concurrency: int | None = None,
        max_response_size: int | None = None,
    ) -> Self: ...
    @property
    def base_url(self) -> str:
        """The base URL calls go to."""
    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
    def close(self) -> None:
        """Closes the client; later calls raise ``ClientClosedError``."""
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> bool: ...
    def create(
        self, carrier_code: str, tracking_number: str, **fields: Unpack[TrackingFields]
    ) -> CreatedTracking:
        """Starts tracking one shipment (``createTracking``)."""
    def get(self, carrier_code: str, tracking_number: str, *, lang: str | None = None) -> Tracking:
        """Reads one stored tracking, with checkpoint texts in ``lang`` when given."""
    def get_in_language(self, carrier_code: str, tracking_number: str, lang: str) -> Tracking:
        """Reads one stored tracking with checkpoint texts in ``lang``."""
    def update(
        self, carrier_code: str, tracking_number: str, **changes: Unpack[TrackingChanges]
    ) -> UpdatedTracking:
        """Changes fields of one stored tracking (``updateTracking``)."""
    def delete(self, carrier_code: str, tracking_number: str) -> None:
        """Deletes one stored tracking (``deleteTracking``)."""
    def list_trackings(self, **filters: Unpack[ListFilters]) -> Page:
        """One page of stored trackings (``listTrackings``; at most 2,000 per page)."""
    def list_all(self, **filters: Unpack[ListFilters]) -> TrackingIterator:
        """Every tracking that matches the filters, fetched page by page as it is read."""
    def batch_create(self, items: Iterable[NewTracking]) -> BatchResult:
        """Creates any number of trackings: 40 per call, several calls at a time, results
        merged in input order."""
    def update_many(self, items: Iterable[TrackingUpdate]) -> BatchResult:
        """Changes fields of any number of trackings, 40 per call."""
    def delete_many(self, items: Iterable[TrackingName]) -> BatchResult:
        """Deletes any number of trackings, 40 per call."""
    def stop_updating(self, items: Iterable[TrackingName]) -> BatchResult:
        """Stops the background refresh of any number of trackings, 40 per call."""
    def realtime(
        self, carrier_code: str, tracking_number: str, **fields: Unpack[RealtimeFields]
    ) -> Tracking:
        """Queries one shipment live at its carrier, creating it if needed. Costs quota on
        every call, so failures that leave open whether it was processed are not retried."""
    def change_carrier(
        self, carrier_code: str, tracking_number: str, new_carrier_code: str
    ) -> TrackingRef:
        """Moves a stored tracking to another carrier code; returns its new name."""
    def user_info(self) -> UserInfo:
        """The account's e-mail, balance and remaining quota."""
    def status_counts(self, **filters: Unpack[CountFilters]) -> StatusCounts:
        """How many trackings are in each status."""
    def carriers(self, lang: str | None = None) -> list[Carrier]:
        """Every supported carrier, names in ``lang`` when given."""
    def detect_carrier(self, tracking_number: str) -> list[DetectedCarrier]:
        """The carriers that may have issued ``tracking_number``, best guess first."""
    def remote_areas(self, places: Iterable[Place]) -> dict[str, Any]:
        """Which carriers list each place as a remote area (``checkRemoteAreas``)."""
    def transit_times(self, lanes: Iterable[Lane]) -> list[dict[str, Any]]:
        """Delivery-time statistics per lane (``getTransitTimes``)."""
    def air_cargo(self, waybills: Iterable[str], lang: str | None = None) -> list[dict[str, Any]]:
        """Tracks air waybills (``trackAirCargo``; 20 quota units each, never retried)."""
    def raw(self, method: str, path: str, body: Any | None = None) -> Any:
        """Sends any request through the same key, retries, limits and envelope rules, and
        returns ``data`` as plain Python data. ``path`` is relative to the base URL."""

@final
class AsyncClient:
    """The asyncio client: the same settings and methods as :class:`Client`, each returning
    a coroutine. Arguments are checked when the method is called; the request starts when
    the coroutine first runs. Cancelling it (``asyncio.wait_for``, task cancellation)
    drops the request."""

    def __new__(
        cls,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        proxy: str | None = None,
        user_agent: str | None = None,
        retries: int = 3,
        deadline: float | None = None,
        rate_limits: bool | Mapping[str, float] | None = None,
        batch_concurrency: int | None = None,
        max_response_size: int | None = None,
    ) -> Self: ...
    @property
    def base_url(self) -> str:
        """The base URL calls go to."""
    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
    async def close(self) -> None:
        """Closes the client; later calls raise ``ClientClosedError``."""
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> bool: ...
    async def create(
        self, carrier_code: str, tracking_number: str, **fields: Unpack[TrackingFields]
    ) -> CreatedTracking:
        """Starts tracking one shipment (``createTracking``)."""
    async def get(
        self, carrier_code: str, tracking_number: str, *, lang: str | None = None
    ) -> Tracking:
        """Reads one stored tracking, with checkpoint texts in ``lang`` when given."""
    async def get_in_language(
        self, carrier_code: str, tracking_number: str, lang: str
    ) -> Tracking:
        """Reads one stored tracking with checkpoint texts in ``lang``."""
    async def update(
        self, carrier_code: str, tracking_number: str, **changes: Unpack[TrackingChanges]
    ) -> UpdatedTracking:
        """Changes fields of one stored tracking (``updateTracking``)."""
    async def delete(self, carrier_code: str, tracking_number: str) -> None:
        """Deletes one stored tracking (``deleteTracking``)."""
    async def list_trackings(self, **filters: Unpack[ListFilters]) -> Page:
        """One page of stored trackings (``listTrackings``; at most 2,000 per page)."""
    def list_all(self, **filters: Unpack[ListFilters]) -> AsyncTrackingIterator:
        """Every tracking that matches the filters, fetched page by page as it is read."""
    async def batch_create(self, items: Iterable[NewTracking]) -> BatchResult:
        """Creates any number of trackings: 40 per call, several calls at a time, results
        merged in input order."""
    async def update_many(self, items: Iterable[TrackingUpdate]) -> BatchResult:
        """Changes fields of any number of trackings, 40 per call."""
    async def delete_many(self, items: Iterable[TrackingName]) -> BatchResult:
        """Deletes any number of trackings, 40 per call."""
    async def stop_updating(self, items: Iterable[TrackingName]) -> BatchResult:
        """Stops the background refresh of any number of trackings, 40 per call."""
    async def realtime(
        self, carrier_code: str, tracking_number: str, **fields: Unpack[RealtimeFields]
    ) -> Tracking:
        """Queries one shipment live at its carrier, creating it if needed. Costs quota on
        every call, so failures that leave open whether it was processed are not retried."""
    async def change_carrier(
        self, carrier_code: str, tracking_number: str, new_carrier_code: str
    ) -> TrackingRef:
        """Moves a stored tracking to another carrier code; returns its new name."""
    async def user_info(self) -> UserInfo:
        """The account's e-mail, balance and remaining quota."""
    async def status_counts(self, **filters: Unpack[CountFilters]) -> StatusCounts:
        """How many trackings are in each status."""
    async def carriers(self, lang: str | None = None) -> list[Carrier]:
        """Every supported carrier, names in ``lang`` when given."""
    async def detect_carrier(self, tracking_number: str) -> list[DetectedCarrier]:
        """The carriers that may have issued ``tracking_number``, best guess first."""
    async def remote_areas(self, places: Iterable[Place]) -> dict[str, Any]:
        """Which carriers list each place as a remote area (``checkRemoteAreas``)."""
    async def transit_times(self, lanes: Iterable[Lane]) -> list[dict[str, Any]]:
        """Delivery-time statistics per lane (``getTransitTimes``)."""
    async def air_cargo(
        self, waybills: Iterable[str], lang: str | None = None
    ) -> list[dict[str, Any]]:
        """Tracks air waybills (``trackAirCargo``; 20 quota units each, never retried)."""
    async def raw(self, method: str, path: str, body: Any | None = None) -> Any:
        """Sends any request through the same key, retries, limits and envelope rules, and
        returns ``data`` as plain Python data. ``path`` is relative to the base URL."""

@final
class TrackingIterator(Iterator[Tracking]):
    """What ``Client.list_all`` returns: trackings, one page fetched at a time."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> Tracking: ...

@final
class AsyncTrackingIterator:
    """What ``AsyncClient.list_all`` returns: trackings, one page fetched at a time."""

    def __aiter__(self) -> Self: ...
    async def __anext__(self) -> Tracking: ...

@final
class Tracking:
    """A tracked shipment, with the legs of the origin and the destination carrier.

    Attributes are read-only and named after the API's properties in snake case
    (``lastEvent`` is ``last_event``); ``to_dict()`` gives the API's own names back.
    """

    # @generated begin Tracking from Tracking
    @property
    def archived(self) -> bool | str | None:
        """Whether the shipment is archived: a JSON boolean, sometimes the string
        `"true"`/`"false"`.
        """
    @property
    def carrier_code(self) -> str | None:
        """Carrier code (`dhl`, `china-ems`, `4px`, ...)."""
    @property
    def comment(self) -> str | None:
        """Free-text note."""
    @property
    def created_at(self) -> str | None:
        """When the shipment was added: ISO 8601 with a UTC offset, usually `+08:00`
        (`2019-08-20T14:56:55+08:00`).
        """
    @property
    def customer_email(self) -> str | list[str] | None:
        """Recipient e-mail: one string (possibly `""`) or an array of addresses."""
    @property
    def customer_name(self) -> str | None:
        """Recipient's name."""
    @property
    def destination_country(self) -> str | None:
        """Destination country as an English name, possibly empty or absent."""
    @property
    def destination_info(self) -> CarrierInfo | None:
        """Leg handled by the carrier in the destination country; may be absent or empty."""
    @property
    def extra(self) -> dict[str, Any]:
        """Properties this version does not know, as the API sent them."""
    @property
    def id(self) -> str | None:
        """Record id, 32 lowercase hexadecimal characters."""
    @property
    def item_time_length(self) -> int | None:
        """Days in transit so far; `null` when unknown."""
    @property
    def last_event(self) -> str | None:
        """Newest checkpoint as one string: description, details and date joined by commas."""
    @property
    def last_update_time(self) -> str | None:
        """Date of the newest checkpoint, `YYYY-MM-DD HH:MM[:SS]` in carrier-local time."""
    @property
    def order_create_time(self) -> int | str | None:
        """When the order was placed, as sent at creation (`2019-04-01 10:08`). The API may send
        `null`, which clients treat as absent.
        """
    @property
    def order_id(self) -> str | None:
        """Order id given by the merchant."""
    @property
    def origin_info(self) -> CarrierInfo | None:
        """Leg handled by the carrier in the origin country."""
    @property
    def original_country(self) -> str | None:
        """Origin country as an English name (`China`, `Hong Kong [CN]`), possibly empty."""
    @property
    def service_code(self) -> str | None:
        """Carrier service code, rarely set."""
    @property
    def singed_by(self) -> str | None:
        """Name of the person who signed for the parcel, rarely present. The misspelling is the
        real property name.
        """
    @property
    def status(self) -> Status | str | None:
        """Package status of the shipment, one of the eight v2 statuses (open set)."""
    @property
    def status_info(self) -> Any:
        """Extra status information; only `null` has been seen."""
    @property
    def stay_time_length(self) -> int | None:
        """Days since the newest checkpoint."""
    @property
    def substatus(self) -> Substatus | str | None:
        """Finer status code of the shipment (`transit004`), or `null`."""
    @property
    def title(self) -> str | None:
        """Product title."""
    @property
    def track_update(self) -> bool | None:
        """Whether the shipment is still refreshed in the background; `false` after
        `stopUpdating` and possibly once delivered.
        """
    @property
    def tracking_number(self) -> str | None:
        """The shipment's tracking number."""
    @property
    def updated_at(self) -> str | None:
        """Last background refresh, ISO 8601 with a UTC offset; `null` before the first one."""
    # @generated end Tracking
    def to_dict(self) -> dict[str, Any]:
        """The tracking as the API sent it: wire names, unknown properties included."""
    def __eq__(self, other: object) -> bool: ...

@final
class CarrierInfo:
    """One carrier leg of a shipment, with its checkpoints (newest first)."""

    # @generated begin CarrierInfo from CarrierInfo
    @property
    def arrivalfrom_abroad(self) -> str | None:
        """When the parcel reached the destination country (carrier-local date)."""
    @property
    def carrier_code(self) -> str | None:
        """Code of the carrier of this leg, which can differ from the shipment's `carrier_code`
        (`correos-spain` for the destination leg of a `china-post` parcel).
        """
    @property
    def customs_clearance(self) -> str | None:
        """When the parcel was handed to customs (carrier-local date)."""
    @property
    def departfrom_airport(self) -> str | None:
        """When the parcel left the airport (carrier-local date)."""
    @property
    def destination_arrived(self) -> str | None:
        """When the parcel reached the delivery office (carrier-local date)."""
    @property
    def extra(self) -> dict[str, Any]:
        """Properties this version does not know, as the API sent them."""
    @property
    def item_dispatched(self) -> str | None:
        """When the parcel left the outward office of exchange (carrier-local date)."""
    @property
    def item_received(self) -> str | None:
        """When the first event appeared (carrier-local date)."""
    @property
    def phone(self) -> str | None:
        """Carrier's customer-service phone number."""
    @property
    def reference_number(self) -> str | None:
        """Carrier's own reference for the leg, if any."""
    @property
    def trackinfo(self) -> list[Checkpoint] | None:
        """Checkpoints of this leg, newest first; may be empty."""
    @property
    def weblink(self) -> str | None:
        """Carrier homepage; may be protocol-relative (`//www.example.com/`)."""
    # @generated end CarrierInfo
    def to_dict(self) -> dict[str, Any]:
        """The leg as the API sent it: wire names, unknown properties included."""
    def __eq__(self, other: object) -> bool: ...

@final
class Checkpoint:
    """One event of a carrier leg."""

    # @generated begin Checkpoint from Checkpoint
    @property
    def act_type(self) -> str | None:
        """One-letter event class (`D`, `I`, `M` and `X` have been seen); its meaning is not
        documented.
        """
    @property
    def checkpoint_status(self) -> Status | str | None:
        """Package status this event implies, one of the eight v2 statuses."""
    @property
    def date(self) -> str | None:
        """When the event happened, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD HH:MM`, carrier-local
        time with no zone.
        """
    @property
    def details(self) -> str | None:
        """Location of the event, possibly empty."""
    @property
    def extra(self) -> dict[str, Any]:
        """Properties this version does not know, as the API sent them."""
    @property
    def item_node(self) -> str | None:
        """Set only on milestone rows: the name of the `CarrierInfo` milestone this event stands
        for (`ItemReceived`, `DepartfromAirport`, ...).
        """
    @property
    def status_description(self) -> str | None:
        """Event text as published by the carrier."""
    @property
    def substatus(self) -> Substatus | str | None:
        """Finer status code of this event (`transit002`), in newer answers only."""
    @property
    def substatus_num(self) -> int | None:
        """Numeric form of the substatus, rarely present."""
    # @generated end Checkpoint
    def to_dict(self) -> dict[str, Any]:
        """The event as the API sent it: wire names, unknown properties included."""
    def __eq__(self, other: object) -> bool: ...

@final
class CreatedTracking:
    """What ``create`` and ``batch_create`` answer for a new tracking."""

    # @generated begin CreatedTracking from CreatedTracking
    @property
    def carrier_code(self) -> str | None:
        """Carrier code."""
    @property
    def comment(self) -> str | None:
        """Free-text note."""
    @property
    def created_at(self) -> str | None:
        """When the shipment was added, ISO 8601 with a UTC offset."""
    @property
    def customer_email(self) -> str | list[str] | None:
        """Recipient e-mail as sent. The API sends `null` when none was given, which clients
        treat as absent.
        """
    @property
    def customer_name(self) -> str | None:
        """Recipient's name."""
    @property
    def customer_phone(self) -> str | None:
        """Recipient's phone number."""
    @property
    def destination(self) -> str | None:
        """Destination country code as given in `destination_code`; `""` when none was given."""
    @property
    def extra(self) -> dict[str, Any]:
        """Properties this version does not know, as the API sent them."""
    @property
    def id(self) -> str | None:
        """Record id, 32 lowercase hexadecimal characters."""
    @property
    def logistics_channel(self) -> str | None:
        """Free-text shipping channel."""
    @property
    def order_create_time(self) -> int | str | None:
        """Order time as sent; the integer `0` when none was given."""
    @property
    def order_id(self) -> str | None:
        """Order id given by the merchant."""
    @property
    def status(self) -> Status | str | None:
        """Always `pending` right after creation."""
    @property
    def title(self) -> str | None:
        """Product title."""
    @property
    def tracking_number(self) -> str | None:
        """The shipment's tracking number."""
    # @generated end CreatedTracking
    def to_dict(self) -> dict[str, Any]:
        """The echo as the API sent it: wire names, unknown properties included."""
    def __eq__(self, other: object) -> bool: ...

@final
class UpdatedTracking:
    """What ``update`` answers: the tracking's stored fields after the change."""

    # @generated begin UpdatedTracking from UpdatedTracking
    @property
    def archived(self) -> bool | str | None:
        """Archive flag after the change: a JSON boolean or the string `"true"`/`"false"`."""
    @property
    def carrier_code(self) -> str | None:
        """Carrier code."""
    @property
    def comment(self) -> str | None:
        """Free-text note."""
    @property
    def created_at(self) -> str | None:
        """When the shipment was added, ISO 8601 with a UTC offset."""
    @property
    def customer_email(self) -> str | list[str] | None:
        """Recipient e-mail: one string or an array of addresses."""
    @property
    def customer_name(self) -> str | None:
        """Recipient's name."""
    @property
    def customer_phone(self) -> str | None:
        """Recipient's phone number."""
    @property
    def destination(self) -> str | None:
        """Destination country code, `""` when none is set."""
    @property
    def destination_code(self) -> str | None:
        """Destination country code (ISO 3166-1 alpha-2)."""
    @property
    def extra(self) -> dict[str, Any]:
        """Properties this version does not know, as the API sent them."""
    @property
    def id(self) -> str | None:
        """Record id, 32 lowercase hexadecimal characters."""
    @property
    def logistics_channel(self) -> str | None:
        """Free-text shipping channel."""
    @property
    def order_create_time(self) -> int | str | None:
        """Order time as stored. The API may send `null`, which clients treat as absent."""
    @property
    def order_id(self) -> str | None:
        """Order id given by the merchant."""
    @property
    def status(self) -> Status | str | None:
        """Status after the change: a status name, or the numeric code as a string (`"7"`)."""
    @property
    def title(self) -> str | None:
        """Product title."""
    @property
    def tracking_number(self) -> str | None:
        """The shipment's tracking number."""
    @property
    def updated_at(self) -> str | None:
        """When the record last changed, ISO 8601 with a UTC offset."""
    # @generated end UpdatedTracking
    def to_dict(self) -> dict[str, Any]:
        """The echo as the API sent it: wire names, unknown properties included."""
    def __eq__(self, other: object) -> bool: ...

@final
class Carrier:
    """A supported carrier."""

    # @generated begin Carrier from Carrier
    @property
    def code(self) -> str | None:
        """Carrier code to use in other calls."""
    @property
    def homepage(self) -> str | None:
        """Carrier homepage, usually protocol-relative (`//www.dhl.com/`)."""
    @property
    def name(self) -> str | None:
        """Display name, localised by the `Lang` header."""
    @property
    def phone(self) -> str | None:
        """Customer-service phone number."""
    @property
    def picture(self) -> str | None:
        """Logo URL, usually protocol-relative."""
    @property
    def type(self) -> str | None:
        """Kind of carrier, `express` or `globalpost` (other values possible)."""
    # @generated end Carrier
    def to_dict(self) -> dict[str, Any]:
        """The carrier as the API sent it."""
    def __eq__(self, other: object) -> bool: ...

@final
class DetectedCarrier:
    """A carrier that may have issued a tracking number."""

    # @generated begin DetectedCarrier from DetectedCarrier
    @property
    def code(self) -> str | None:
        """Carrier code to use in other calls."""
    @property
    def name(self) -> str | None:
        """Display name of the carrier."""
    # @generated end DetectedCarrier
    def to_dict(self) -> dict[str, Any]:
        """The carrier as the API sent it."""
    def __eq__(self, other: object) -> bool: ...

@final
class UserInfo:
    """The account's e-mail, balance and remaining quota."""

    # @generated begin UserInfo from UserInfo
    @property
    def email(self) -> str | None:
        """The account's e-mail address (also the key of webhook signatures)."""
    @property
    def money(self) -> float | None:
        """Account balance."""
    @property
    def phone(self) -> str | None:
        """The account's phone number."""
    @property
    def regtime(self) -> int | str | None:
        """Registration time in unix seconds, usually as a string (`"1533810214"`)."""
    @property
    def track_number(self) -> int | None:
        """Remaining tracking quota (shipments that can still be created)."""
    # @generated end UserInfo
    def to_dict(self) -> dict[str, Any]:
        """The account information as the API sent it."""
    def __eq__(self, other: object) -> bool: ...

@final
class StatusCounts:
    """How many stored trackings are in each status."""

    # @generated begin StatusCounts from StatusCounts
    @property
    def delivered(self) -> int | None:
        """Shipments in status `delivered`."""
    @property
    def exception(self) -> int | None:
        """Shipments in status `exception`."""
    @property
    def expired(self) -> int | None:
        """Shipments in status `expired`."""
    @property
    def notfound(self) -> int | None:
        """Shipments in status `notfound`."""
    @property
    def pending(self) -> int | None:
        """Shipments in status `pending`."""
    @property
    def pickup(self) -> int | None:
        """Shipments in status `pickup`."""
    @property
    def transit(self) -> int | None:
        """Shipments in status `transit`."""
    @property
    def undelivered(self) -> int | None:
        """Shipments in status `undelivered`."""
    # @generated end StatusCounts
    def to_dict(self) -> dict[str, Any]:
        """The counts as the API sent them."""
    def __eq__(self, other: object) -> bool: ...

@final
class Page:
    """One page of ``list_trackings``: iterable, with the paging numbers."""

    @property
    def items(self) -> list[Tracking]:
        """The trackings of this page (the same list every time)."""
    @property
    def page(self) -> int | None:
        """The page number, from 1."""
    @property
    def limit(self) -> int | None:
        """The page size asked for."""
    @property
    def count(self) -> int | None:
        """How many items this page holds."""
    @property
    def total(self) -> int | str | None:
        """How many trackings match the filters, over all pages."""
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Tracking]: ...
    def to_dict(self) -> dict[str, Any]:
        """The page as plain data; the items as their ``to_dict()``."""
    def __eq__(self, other: object) -> bool: ...

@final
class TrackingRef:
    """A carrier code and a tracking number: the name of one stored tracking. Hashable."""

    def __new__(cls, carrier_code: str, tracking_number: str) -> Self: ...
    @property
    def carrier_code(self) -> str:
        """The carrier code."""
    @property
    def tracking_number(self) -> str:
        """The tracking number."""
    def to_dict(self) -> dict[str, str]:
        """``{"carrier_code": ..., "tracking_number": ...}``."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

@final
class BatchItem:
    """One item of a batch call that was carried out."""

    @property
    def index(self) -> int:
        """Position of the item in the input."""
    @property
    def value(self) -> CreatedTracking | TrackingRef:
        """What the API answered for it: the created tracking, or the tracking's name."""
    @property
    def recovered(self) -> bool:
        """Counted as done because a retry met what an earlier, ambiguous attempt did."""
    def to_dict(self) -> dict[str, Any]:
        """The item as plain data."""
    def __eq__(self, other: object) -> bool: ...

@final
class BatchError:
    """One item of a batch call that was rejected."""

    @property
    def index(self) -> int:
        """Position of the item in the input."""
    @property
    def carrier_code(self) -> str:
        """The carrier code the item named."""
    @property
    def tracking_number(self) -> str:
        """The tracking number the item named."""
    @property
    def meta_code(self) -> int | None:
        """The item's meta code (4016 exists, 4015 unknown carrier, ...), or the failed
        call's."""
    @property
    def message(self) -> str:
        """The API's message, or the failed call's error."""
    def to_dict(self) -> dict[str, Any]:
        """The rejection as plain data."""
    def __eq__(self, other: object) -> bool: ...

@final
class BatchResult:
    """The merged outcome of a batch call of any size, in input order."""

    @property
    def done(self) -> list[BatchItem]:
        """The items that were carried out."""
    @property
    def errors(self) -> list[BatchError]:
        """The items that were rejected; a chunk whose call failed as a whole turns each of
        its items into one of these."""
    @property
    def submitted(self) -> int:
        """How many items were submitted."""
    @property
    def calls(self) -> int:
        """How many API calls were made (one per chunk of 40)."""
    @property
    def partial(self) -> bool:
        """Whether any chunk was accepted only in part (meta 202)."""
    def is_complete(self) -> bool:
        """Whether every item was carried out."""
    def to_dict(self) -> dict[str, Any]:
        """The outcome as plain data."""
    def __eq__(self, other: object) -> bool: ...

@final
class WebhookEvent:
    """A webhook push, verified by ``verify_webhook`` or read by ``parse_webhook``."""

    @property
    def tracking(self) -> Tracking:
        """The tracking as it is after the change."""
    @property
    def meta(self) -> dict[str, Any] | None:
        """The envelope's ``meta`` block, when the push had one."""
    @property
    def time_str(self) -> str | None:
        """``verifyInfo.timeStr``: when the push was signed, unix seconds as a string."""
    @property
    def signature(self) -> str | None:
        """``verifyInfo.signature``: hex HMAC-SHA256 of ``timeStr`` keyed by the e-mail."""

def verify_webhook(
    body: bytes | str, email: str, *, tolerance: float = 300.0, now: float | None = None
) -> WebhookEvent:
    """Checks a push's signature against the account ``email`` (in constant time) and its
    ``timeStr`` against ``now`` (default: the current time), allowing ``tolerance`` seconds
    either way. Raises ``WebhookVerificationError`` when the push is refused."""

def parse_webhook(body: bytes | str) -> WebhookEvent:
    """Reads a push without checking its signature; accepts the envelope form and a bare
    tracking object."""

def _decode_page(body: bytes) -> Page:
    """Decodes the body of a ``listTrackings`` answer into a ``Page``, without any I/O: for
    benchmarks that compare the conversion with ``json.loads`` of the same bytes."""

def refresh_logging() -> None:
    """Makes the client see changes to ``logging`` levels and handlers made after its first
    log record. Levels are cached on the Rust side, so that a record nobody would see costs
    no trip to Python; this empties the cache."""

def sign_webhook(email: str, time_str: str) -> str:
    """The signature TrackingMore puts on a push sent at ``time_str`` to ``email``."""

@disjoint_base
class Sandbox:
    """A local TrackingMore v2 server for tests, started in this process on ``127.0.0.1``
    with a port the system picks. It stops on ``close()``, at the end of a ``with`` block,
    or when collected. Use ``trackingmore_rs.testing.Sandbox``, which adds ``client()``."""

    def __new__(
        cls,
        api_key: str = "sandbox-key",
        *,
        email: str = "dev@example.org",
        quota: int = 10000,
        rate_limits: bool = False,
        mirror_http_status: bool = False,
    ) -> Self: ...
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v2``: the base URL to give a client."""
    @property
    def admin_url(self) -> str:
        """``http://127.0.0.1:PORT/__admin``: the admin API, for tools outside this process."""
    @property
    def api_key(self) -> str:
        """The API key of the sandbox's account."""
    @property
    def email(self) -> str:
        """The account's e-mail address, which is also the webhook signing key."""
    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
    def now(self) -> int:
        """The virtual clock, in unix seconds."""
    def advance_clock(self, seconds: int) -> None:
        """Moves the virtual clock forward; trackings move on along their journeys and
        webhooks fire for every status change on the way."""
    def reset(self) -> None:
        """Back to the start: no trackings, fresh quota, the start instant, and no faults,
        webhooks, journal or deliveries."""
    def inject_fault(
        self, kind: str, *, route: str | None = None, times: int | None = None, **options: Any
    ) -> None:
        """Adds a fault rule: ``latency`` (``ms``), ``too_many_requests`` (``retry_after``),
        ``server_error`` (``status``, ``html``), ``connection_reset`` (``after_handler``),
        ``truncated_json``, ``unknown_enum_values`` (``value``) or ``unknown_fields``.
        ``route`` limits it to one operation (``getTracking`` or an alias such as ``get``),
        ``times`` to that many requests."""
    def clear_faults(self) -> None:
        """Removes every fault rule."""
    def set_quota(self, quota: int) -> None:
        """Sets the account's total quota; the remaining quota becomes ``quota - used``."""
    def register_webhook(self, url: str) -> None:
        """Sends every status change to ``url`` (plain ``http://`` only)."""
    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Every webhook delivery attempt so far, oldest first."""
    def journal(self) -> list[dict[str, Any]]:
        """Every request the sandbox served, oldest first; the API key is never kept."""
    def close(self) -> None:
        """Stops the server; requests in flight get up to five seconds to finish."""
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> bool: ...
