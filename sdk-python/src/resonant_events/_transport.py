"""JSON over HTTP for the resources: errors typed by code, retries with backoff, timeouts.

A resource method describes its request as a ``Call``; ``SyncTransport`` and ``AsyncTransport``
send it the same way, one blocking and one awaitable.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
import pydantic_core

from ._retry import RETRY_STATUSES, is_idempotent, parse_retry_after, retry_delay_seconds
from .errors import ApiConnectionError, ApiError, ApiTimeoutError, error_for

T = TypeVar("T")

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_RETRIES = 2
USER_AGENT = "resonant-events-python/0.1.0"


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Call(Generic[T]):
    """One API request: ``path`` below ``/api/v1``, the query, the JSON body, and how to read the answer."""

    method: str
    path: str
    query: Mapping[str, Any] | None = None
    body: Any = None
    #: Safe to send twice? None: decided by the method (GET, PATCH, DELETE are; POST is not).
    idempotent: bool | None = None
    parse: Callable[[Any], T] = _identity

    @property
    def retriable(self) -> bool:
        return self.idempotent if self.idempotent is not None else is_idempotent(self.method)


@dataclass(frozen=True)
class Settings:
    """What every request of one client shares."""

    api_key: str
    base_url: str
    organization_id: str | None
    timeout_seconds: float
    max_retries: int

    def headers(self) -> dict[str, str]:
        headers = {"authorization": f"Bearer {self.api_key}", "user-agent": USER_AGENT}
        if self.organization_id:
            headers["rg-organization-id"] = self.organization_id
        return headers


def make_settings(
    api_key: Any,
    base_url: Any,
    organization_id: Any,
    timeout_seconds: Any,
    max_retries: Any,
) -> Settings:
    """Checks a client's options once, when it is built."""
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("api_key is required: the API key, sent as Authorization: Bearer ...")
    url = DEFAULT_BASE_URL if base_url is None else base_url
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL}, got {base_url!r}")
    if organization_id is not None and (not isinstance(organization_id, str) or not organization_id):
        raise ValueError("organization_id must be a non-empty string")
    if isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int | float) or timeout_seconds <= 0:
        raise ValueError(f"timeout_seconds must be a positive number, got {timeout_seconds!r}")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
    return Settings(api_key, url.rstrip("/"), organization_id, float(timeout_seconds), max_retries)


def encode_query(query: Mapping[str, Any] | None) -> dict[str, str]:
    """Query parameters as the API reads them: lists comma-separated, booleans lowercase, None left out."""
    params: dict[str, str] = {}
    for key, value in (query or {}).items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            if value:
                params[key] = ",".join(str(item) for item in value)
        elif isinstance(value, bool):
            params[key] = "true" if value else "false"
        else:
            params[key] = str(value)
    return params


def _build(settings: Settings, call: Call[Any]) -> dict[str, Any]:
    headers = settings.headers()
    headers["accept"] = "application/json"
    request: dict[str, Any] = {
        "method": call.method,
        "url": f"{settings.base_url}/api/v1{call.path}",
        "params": encode_query(call.query),
        "headers": headers,
    }
    if call.body is not None:
        headers["content-type"] = "application/json"
        request["content"] = pydantic_core.to_json(call.body)
    return request


def _read(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return {"error": {"code": "internal_error", "message": response.text[:500]}}


def error_of(response: httpx.Response) -> ApiError:
    """The typed error of a refused request."""
    return error_for(
        response.status_code,
        _read(response),
        response.headers.get("x-request-id"),
        parse_retry_after(response.headers.get("retry-after")),
    )


def _network_error(call: Call[Any], settings: Settings, cause: Exception) -> ApiConnectionError:
    if isinstance(cause, httpx.TimeoutException):
        return ApiTimeoutError(f"{call.method} {call.path}: no answer within {settings.timeout_seconds:g} s")
    return ApiConnectionError(f"{call.method} {call.path} failed: {cause or type(cause).__name__}")


def _wait_or_raise(
    settings: Settings,
    call: Call[Any],
    attempt: int,
    *,
    response: httpx.Response | None = None,
    cause: httpx.TransportError | None = None,
) -> float:
    """After a failed attempt (an error answer, or a network failure): the seconds to wait before
    the next one, or the typed error when the call is not retried (again)."""
    # A POST that may have landed is retried only when the caller made it safe (event ids).
    again = call.retriable and attempt < settings.max_retries
    if cause is not None:
        if again:
            return retry_delay_seconds(attempt, None)
        raise _network_error(call, settings, cause) from cause
    assert response is not None
    error = error_of(response)
    if again and response.status_code in RETRY_STATUSES:
        return retry_delay_seconds(attempt, error.retry_after_seconds)
    raise error


class SyncTransport:
    """Sends calls with a blocking ``httpx.Client``."""

    def __init__(self, settings: Settings, http_client: httpx.Client | None = None) -> None:
        self.settings = settings
        self._owns_client = http_client is None
        self._http = http_client or httpx.Client(timeout=settings.timeout_seconds)

    def send(self, call: Call[T]) -> T:
        for attempt in itertools.count():
            try:
                response = self._http.request(**_build(self.settings, call))
            except httpx.TransportError as cause:
                time.sleep(_wait_or_raise(self.settings, call, attempt, cause=cause))
                continue
            if response.is_success:
                return call.parse(_read(response))
            time.sleep(_wait_or_raise(self.settings, call, attempt, response=response))
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._owns_client:
            self._http.close()


class AsyncTransport:
    """Sends calls with an ``httpx.AsyncClient``."""

    def __init__(self, settings: Settings, http_client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._owns_client = http_client is None
        self.http = http_client or httpx.AsyncClient(timeout=settings.timeout_seconds)

    async def send(self, call: Call[T]) -> T:
        for attempt in itertools.count():
            try:
                response = await self.http.request(**_build(self.settings, call))
            except httpx.TransportError as cause:
                await asyncio.sleep(_wait_or_raise(self.settings, call, attempt, cause=cause))
                continue
            if response.is_success:
                return call.parse(_read(response))
            await asyncio.sleep(_wait_or_raise(self.settings, call, attempt, response=response))
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        if self._owns_client:
            await self.http.aclose()
