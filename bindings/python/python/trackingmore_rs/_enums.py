# @generated from openapi/trackingmore-v2.yaml by `cargo xtask codegen`. Do not edit.
"""The status values of the v2 API, as `str`-based enums.

Both sets are open: the API may send values this version does not know, and the client keeps
those as plain ``str``. Compare with ``==`` (members are strings), and treat a value that is
not a member as a status this version has not heard of yet.
"""

from __future__ import annotations

import enum

__all__ = ["Status", "StatusChange", "Substatus"]


class Status(str, enum.Enum):
    """The package status of a tracking or of one checkpoint."""

    PENDING = "pending"
    """Just added, not tracked yet."""
    NOTFOUND = "notfound"
    """The carrier has no information yet."""
    TRANSIT = "transit"
    """On its way to the recipient."""
    PICKUP = "pickup"
    """Out for delivery, or waiting at a pick-up point."""
    DELIVERED = "delivered"
    """Delivered."""
    UNDELIVERED = "undelivered"
    """A delivery attempt failed."""
    EXCEPTION = "exception"
    """Returned, refused, damaged, lost, held by customs, ."""
    EXPIRED = "expired"
    """Not delivered after a long time (30 days express, 60 days postal)."""

    def __str__(self) -> str:
        return self.value


class Substatus(str, enum.Enum):
    """The finer status code of a tracking or checkpoint (``transit002``)."""

    NOTFOUND001 = "notfound001"
    NOTFOUND002 = "notfound002"
    TRANSIT001 = "transit001"
    TRANSIT002 = "transit002"
    TRANSIT003 = "transit003"
    TRANSIT004 = "transit004"
    TRANSIT005 = "transit005"
    DELIVERED001 = "delivered001"
    DELIVERED002 = "delivered002"
    DELIVERED003 = "delivered003"
    DELIVERED004 = "delivered004"
    EXCEPTION001 = "exception001"
    EXCEPTION002 = "exception002"
    EXCEPTION003 = "exception003"
    EXCEPTION004 = "exception004"
    EXCEPTION005 = "exception005"
    EXCEPTION006 = "exception006"
    EXCEPTION007 = "exception007"
    EXCEPTION008 = "exception008"
    EXCEPTION009 = "exception009"
    EXCEPTION010 = "exception010"
    EXCEPTION011 = "exception011"

    def __str__(self) -> str:
        return self.value


class StatusChange(str, enum.Enum):
    """A status to force with ``update(status=...)``; sent as the number in brackets."""

    DELIVERED = "delivered"
    """Mark the tracking delivered (4)."""
    EXCEPTION = "exception"
    """Mark the tracking as an exception (7)."""
    REVERT = "revert"
    """Drop a forced status; the one computed from checkpoints applies again (8)."""

    def __str__(self) -> str:
        return self.value
