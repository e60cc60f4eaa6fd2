"""The exceptions of trackingmore_rs.

Every error the client raises is a :class:`TrackingMoreError`. The Rust side imports these
classes once and builds them with keyword arguments, so each one carries real attributes
rather than a message to parse. Several also subclass a built-in exception where Python code
already expects one: :class:`InvalidRequestError` is a :class:`ValueError`,
:class:`TimeoutError` is the built-in :class:`TimeoutError`.
"""

from __future__ import annotations

# `typing` is not imported at run time: it would be most of the package's import time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "AlreadyExistsError",
    "ApiError",
    "AuthenticationError",
    "ClientClosedError",
    "ConfigurationError",
    "DecodeError",
    "InvalidRequestError",
    "NotFoundError",
    "QuotaExceededError",
    "RateLimitError",
    "TimeoutError",
    "TrackingMoreError",
    "TransportError",
    "WebhookVerificationError",
]

_BuiltinTimeoutError = TimeoutError


class TrackingMoreError(Exception):
    """Base class of every error raised by trackingmore_rs.

    Attributes:
        message: What went wrong, in one line. It never contains the API key.
        operation: The API operation that failed (``getTracking``), when there was one.
    """

    message: str
    operation: str | None

    def __init__(self, message: str, *, operation: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self._details = {"operation": operation, **details}

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only details do not survive the default pickling of exceptions.
        return (_rebuild, (type(self), self.message, self._details))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[TrackingMoreError], message: str, details: dict[str, Any]) -> Any:
    return cls(message, **details)


class ConfigurationError(TrackingMoreError, ValueError):
    """The client could not be configured: no API key, a bad base URL or proxy, ..."""


class ClientClosedError(TrackingMoreError, RuntimeError):
    """A call was made on a client after ``close()`` or the end of its ``with`` block."""


class WebhookVerificationError(TrackingMoreError, ValueError):
    """A webhook push was refused: malformed, unsigned, wrongly signed or outside the
    freshness window."""


class ApiError(TrackingMoreError):
    """The API answered with a failure: a ``meta.code`` other than success, or an HTTP error.

    Attributes:
        meta_code: ``meta.code`` of the answer (``4017``), or ``None`` when the body was not
            a v2 envelope (an HTML page from a proxy, say).
        meta_type: ``meta.type`` of the answer (``Bad Request``), when there was one.
        http_status: The HTTP status of the answer; the v2 API sends 200 for most failures.
        body: The raw body of the answer, whatever its content type.
        attempts: How many attempts the client made, retries included.
    """

    meta_code: int | None
    meta_type: str | None
    http_status: int | None
    body: bytes
    attempts: int

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        meta_code: int | None = None,
        meta_type: str | None = None,
        http_status: int | None = None,
        body: bytes = b"",
        attempts: int = 0,
        **details: Any,
    ) -> None:
        super().__init__(
            message,
            operation=operation,
            meta_code=meta_code,
            meta_type=meta_type,
            http_status=http_status,
            body=body,
            attempts=attempts,
            **details,
        )
        self.meta_code = meta_code
        self.meta_type = meta_type
        self.http_status = http_status
        self.body = body
        self.attempts = attempts


class AuthenticationError(ApiError):
    """The API key is missing, unknown or deleted (meta 401, 4001, 4002; HTTP 401/403)."""


class NotFoundError(ApiError):
    """The tracking does not exist, or nothing could be found (meta 4017, 4031, 4032)."""


class AlreadyExistsError(ApiError):
    """The tracking exists already (meta 4016)."""


class InvalidRequestError(ApiError, ValueError):
    """The request was refused as invalid, by the API (meta 4012-4015, 4020, 4033) or by the
    client before anything was sent (then ``meta_code`` is ``None``)."""


class QuotaExceededError(ApiError):
    """The account's balance or tracking quota is used up (meta 4019, 4021)."""


class RateLimitError(ApiError):
    """The API, or the client's own limiter, asked to slow down (meta or HTTP 429).

    Attributes:
        retry_after: Seconds to wait before calling again.
    """

    retry_after: float

    def __init__(self, message: str, *, retry_after: float = 0.0, **details: Any) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class TransportError(TrackingMoreError):
    """No complete answer arrived: the connection failed, was cut, or took too long.

    Attributes:
        attempts: How many attempts the client made, retries included.
    """

    attempts: int

    def __init__(
        self, message: str, *, operation: str | None = None, attempts: int = 0, **details: Any
    ) -> None:
        super().__init__(message, operation=operation, attempts=attempts, **details)
        self.attempts = attempts


class TimeoutError(TransportError, _BuiltinTimeoutError):  # noqa: A001
    """An attempt, or the whole call with its retries, took longer than allowed."""


class DecodeError(TrackingMoreError):
    """A success answer whose body does not fit the operation's schema, or an answer larger
    than the client reads (64 MiB), abandoned at that size.

    Attributes:
        http_status: The HTTP status of the answer.
        body: The raw body, kept so that nothing the API sent is lost; empty for an answer
            abandoned at the size limit.
    """

    http_status: int | None
    body: bytes

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        http_status: int | None = None,
        body: bytes = b"",
        **details: Any,
    ) -> None:
        super().__init__(
            message, operation=operation, http_status=http_status, body=body, **details
        )
        self.http_status = http_status
        self.body = body
