"""The live stream (``GET /api/v1/events/subscribe``) as an async iterator that reconnects by itself."""

from __future__ import annotations

import asyncio
import json
import weakref
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._sse import FrameParser, LineSplitter
from ._transport import Settings, encode_query, error_of
from .errors import ApiConnectionError, ApiError
from .models import Event, parse_event

#: Wait before reconnecting when the server sent no ``retry:`` hint, in seconds.
DEFAULT_RETRY_SECONDS = 1.0
#: Ids of the latest events yielded, remembered so that none is yielded twice.
REMEMBERED_IDS = 10_000


class _RecentIds:
    """The last ``size`` ids seen, in a set for lookups and a queue for forgetting the oldest."""

    def __init__(self, size: int = REMEMBERED_IDS) -> None:
        self._order: deque[str] = deque()
        self._ids: set[str] = set()
        self._size = size

    def add(self, event_id: str) -> bool:
        """Remembers an id; False when it was already there."""
        if event_id in self._ids:
            return False
        self._ids.add(event_id)
        self._order.append(event_id)
        if len(self._order) > self._size:
            self._ids.discard(self._order.popleft())
        return True


class _Retry(Exception):
    """An answer worth another try (429, 5xx): the stream reconnects after a pause."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Stream:
    """What a subscription and its reading generator share. The generator never refers to the
    ``Subscription`` itself: once an ``async for`` that broke out drops the generator, asyncio
    closes it (and its connection) at once, with no reference cycle to wait for."""

    settings: Settings
    query: dict[str, str]
    max_delay_seconds: float
    max_initial_attempts: int | None
    idle_timeout_seconds: float
    http_client: httpx.AsyncClient | None
    parser: FrameParser = field(default_factory=FrameParser)
    #: The gateway drops a repeated id within one connection; across reconnections (an event
    #: published twice, the second copy after the cursor), this does.
    seen: _RecentIds = field(default_factory=_RecentIds)
    response: httpx.Response | None = None
    closed: bool = False
    #: Set by aclose(): wakes a reader that waits to reconnect.
    closing: asyncio.Event | None = None


class Subscription:
    """Live events, for ``async for event in subscription``.

    It reconnects by itself when the connection drops or the gateway restarts, sending
    ``Last-Event-ID`` so that the stream resumes with no gap and no duplicate (and it never yields
    one event id twice, among the last 10,000: an event published twice is one event); between failed
    attempts it waits the server's ``retry:`` hint, doubling up to ``max_reconnect_delay_seconds``.
    A refused subscription (a bad filter, key or cursor) raises its typed error; 429 and 5xx answers
    are retried. ``break``, ``await subscription.aclose()`` or leaving ``async with subscription``
    ends it and closes the connection; iterating it again resumes after ``last_event_id``.

    ``last_event_id`` is the cursor of the last frame received: pass it as ``last_event_id`` to
    ``subscribe`` to resume in a later process.
    """

    def __init__(
        self,
        settings: Settings,
        query: dict[str, Any],
        *,
        last_event_id: str | None,
        max_reconnect_delay_seconds: float,
        max_initial_attempts: int | None,
        idle_timeout_seconds: float,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._stream = _Stream(
            settings,
            encode_query(query),
            max_reconnect_delay_seconds,
            max_initial_attempts,
            idle_timeout_seconds,
            http_client,
        )
        self._stream.parser.last_event_id = last_event_id
        self._reader: weakref.ref[AsyncGenerator[Event[Any], None]] | None = None

    @property
    def last_event_id(self) -> str | None:
        """The cursor of the last frame received (the one given to ``subscribe`` before the first)."""
        return self._stream.parser.last_event_id

    def __aiter__(self) -> AsyncGenerator[Event[Any], None]:
        self._stream.closed = False
        reader = _read(self._stream)
        self._reader = weakref.ref(reader)
        return reader

    async def aclose(self) -> None:
        """Ends the subscription and closes its connection (also from another task than the one iterating)."""
        self._stream.closed = True
        reader = self._reader() if self._reader else None
        if reader is None:
            return
        if getattr(reader, "ag_running", False):
            # Another task is reading, or waiting to reconnect: wake it up, and it stops.
            if self._stream.closing is not None:
                self._stream.closing.set()
            if self._stream.response is not None:
                await self._stream.response.aclose()
        else:
            await reader.aclose()

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


async def _read(stream: _Stream) -> AsyncGenerator[Event[Any], None]:
    client = stream.http_client or httpx.AsyncClient()
    # Connecting and sending are bounded by the client's timeout; reading by the idle timeout,
    # well above the heartbeat interval, so that a connection that died silently is replaced.
    timeout = httpx.Timeout(stream.settings.timeout_seconds, read=stream.idle_timeout_seconds)
    url = f"{stream.settings.base_url}/api/v1/events/subscribe"
    parser = stream.parser
    stream.closing = asyncio.Event()
    failures = 0
    connected = False
    try:
        while not stream.closed:
            retry_after: float | None = None
            try:
                headers = {**stream.settings.headers(), "accept": "text/event-stream", "cache-control": "no-cache"}
                if parser.last_event_id:
                    headers["last-event-id"] = parser.last_event_id
                async with client.stream("GET", url, params=stream.query, headers=headers, timeout=timeout) as response:
                    stream.response = response
                    if response.status_code != 200:
                        await response.aread()
                        error = error_of(response)
                        if response.status_code != 429 and response.status_code < 500:
                            raise error
                        raise _Retry(error)
                    failures = 0
                    connected = True
                    lines = LineSplitter()
                    parser.reset()
                    async for chunk in response.aiter_bytes():
                        for line in lines.feed(chunk):
                            frame = parser.feed(line)
                            event = _event_of(frame.data) if frame else None
                            if event is not None and stream.seen.add(event.id):
                                yield event
            except (_Retry, httpx.RequestError) as problem:
                if stream.closed:
                    return
                failures += 1
                if isinstance(problem, _Retry):
                    retry_after = problem.error.retry_after_seconds
                limit = stream.max_initial_attempts
                if not connected and limit is not None and failures >= limit:
                    if isinstance(problem, _Retry):
                        raise problem.error from None
                    raise ApiConnectionError(f"GET /events/subscribe failed: {problem}") from problem
            except Exception:
                if stream.closed:
                    return  # aclose() from another task closed the response under the reader
                raise
            finally:
                stream.response = None
            if stream.closed:
                return
            # The server's hint (or its Retry-After), doubled while reconnecting keeps failing.
            hint = parser.retry_ms / 1000 if parser.retry_ms is not None else DEFAULT_RETRY_SECONDS
            delay = hint * 2 ** max(0, failures - 1)
            if retry_after is not None:
                delay = max(delay, retry_after)
            try:
                await asyncio.wait_for(stream.closing.wait(), min(stream.max_delay_seconds, delay))
            except asyncio.TimeoutError:
                pass
    finally:
        if stream.http_client is None:
            await client.aclose()


def _event_of(data: str) -> Event[Any] | None:
    """The event a frame carries; None for a frame this package cannot read as one."""
    try:
        value = json.loads(data)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not isinstance(value.get("type"), str):
        return None
    try:
        return parse_event(value)
    except ValueError:
        return None
