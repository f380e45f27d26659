"""Errors: one class per kind of refusal, chosen by the API's stable error ``code`` (docs/api.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class ResonantEventsError(Exception):
    """Base class of every error this package raises (besides ``TypeError``/``ValueError`` for bad arguments)."""


@dataclass(frozen=True)
class ErrorDetail:
    """One bad field of a refused request: ``events[3].data.session_id`` and why."""

    field: str
    message: str
    #: In a batch, the event's position.
    index: int | None = None


class ApiError(ResonantEventsError):
    """The API answered with an error: ``status``, ``code``, ``message``, ``details`` (one per bad field)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[ErrorDetail] | None = None,
        request_id: str | None = None,
        retry_after_seconds: float | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.request_id = request_id
        #: Seconds the API asked to wait before retrying (``Retry-After``), when it did.
        self.retry_after_seconds = retry_after_seconds
        fields = "; ".join(f"{detail.field}: {detail.message}" for detail in self.details)
        super().__init__(f"{status} {code}: {message}" + (f" ({fields})" if fields else ""))


class InvalidRequestError(ApiError):
    """A 4xx other than the ones below: ``invalid_request``, ``unknown_event_type``, ``invalid_cursor``, ..."""


class ConflictError(InvalidRequestError):
    """``conflict`` or ``limit_reached`` (409): e.g. cancelling a replay that has already finished."""


class AuthenticationError(ApiError):
    """``unauthorized`` (401): no API key, or an unknown one."""


class PermissionDeniedError(ApiError):
    """``forbidden`` (403): the key may not do this."""


class NotFoundError(ApiError):
    """``not_found`` (404): no such object in your organization (another organization's answers the same)."""


class RateLimitError(ApiError):
    """``rate_limited`` (429): retry after ``retry_after_seconds``."""


class ServiceUnavailableError(ApiError):
    """``service_unavailable`` (503): Kafka, the schema registry or ClickHouse is unreachable; retry later."""


class ApiConnectionError(ResonantEventsError):
    """The network failed before the API answered (refused connection, reset, DNS)."""


class ApiTimeoutError(ApiConnectionError):
    """The API did not answer within the client's ``timeout_seconds``."""


class WebhookVerificationError(ResonantEventsError):
    """A webhook delivery failed verification: no matching signature, a stale timestamp, a missing header."""


_BY_CODE: dict[str, type[ApiError]] = {
    "unauthorized": AuthenticationError,
    "forbidden": PermissionDeniedError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "limit_reached": ConflictError,
    "rate_limited": RateLimitError,
    "service_unavailable": ServiceUnavailableError,
}


def error_for(
    status: int,
    body: Any,
    request_id: str | None = None,
    retry_after_seconds: float | None = None,
) -> ApiError:
    """The error for an answer: its class from ``body["error"]["code"]``, else from the status."""
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        error = {}
    code = error.get("code")
    if not isinstance(code, str) or not code:
        code = "internal_error" if status >= 500 else "invalid_request"
    message = error.get("message")
    if not isinstance(message, str) or not message:
        message = f"HTTP {status}"
    details = [
        ErrorDetail(
            field=str(item.get("field", "")),
            message=str(item.get("message", "")),
            index=item.get("index") if isinstance(item.get("index"), int) else None,
        )
        for item in error.get("details") or []
        if isinstance(item, Mapping)
    ]
    kind = _BY_CODE.get(code)
    if kind is None:
        kind = InvalidRequestError if 400 <= status < 500 else ApiError
    return kind(status, code, message, details, request_id, retry_after_seconds)
