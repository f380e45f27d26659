"""``client.events``: publish, history, the live stream, replays."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import httpx

from . import _calls as calls
from . import _params as p
from ._transport import AsyncTransport, Call, Settings, SyncTransport
from .models import Event, EventData, PublishedEvent, Replay
from .pagination import AsyncPage, Page
from .subscription import Subscription

_PageAnswer = tuple[list[Event[Any]], bool, str | None]


def _subscription(
    settings: Settings,
    http_client: httpx.AsyncClient | None,
    *,
    events: Any,
    agent_id: Any,
    session_id: Any,
    team_id: Any,
    user_id: Any,
    last_event_id: Any,
    max_reconnect_delay_seconds: Any,
    max_initial_attempts: Any,
    idle_timeout_seconds: Any,
) -> Subscription:
    query = {
        "events": p.patterns("events", events),
        **calls.resource_filters(agent_id=agent_id, session_id=session_id, team_id=team_id, user_id=user_id),
    }
    for name, value in (
        ("max_reconnect_delay_seconds", max_reconnect_delay_seconds),
        ("idle_timeout_seconds", idle_timeout_seconds),
    ):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    if max_initial_attempts is not None and (
        isinstance(max_initial_attempts, bool) or not isinstance(max_initial_attempts, int) or max_initial_attempts < 1
    ):
        raise ValueError(
            f"max_initial_attempts must be None (no limit) or a whole number >= 1, got {max_initial_attempts!r}"
        )
    return Subscription(
        settings,
        query,
        last_event_id=p.text("last_event_id", last_event_id),
        max_reconnect_delay_seconds=float(max_reconnect_delay_seconds),
        max_initial_attempts=max_initial_attempts,
        idle_timeout_seconds=float(idle_timeout_seconds),
        http_client=http_client,
    )


class Events:
    """The events API of a ``Client``: blocking calls, and ``subscribe`` for ``async for``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def list(
        self,
        *,
        types: Sequence[str] | None = None,
        since: p.Timestamp | None = None,
        until: p.Timestamp | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
        limit: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
    ) -> Page[Event[Any]]:
        """One page of history (``GET /events``), newest first unless ``order="asc"``.

        ``types``: patterns (``session.completed``, ``session.*``, ``*``); ``since`` inclusive and
        ``until`` exclusive (RFC 3339 strings or aware datetimes); ``limit`` 1-1000 (default 100).
        Iterate the page for its events; ``page.auto_paging_iter()`` goes on through every page.
        """
        call = calls.list_events(
            types=types,
            since=since,
            until=until,
            agent_id=agent_id,
            session_id=session_id,
            team_id=team_id,
            user_id=user_id,
            limit=limit,
            order=order,
            cursor=cursor,
        )
        return self._page(call)

    def list_all(
        self,
        *,
        types: Sequence[str] | None = None,
        since: p.Timestamp | None = None,
        until: p.Timestamp | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
        limit: int | None = None,
        order: str | None = None,
    ) -> Iterator[Event[Any]]:
        """Every matching event across all pages, each page fetched as the iteration reaches it."""
        call = calls.list_events(
            types=types,
            since=since,
            until=until,
            agent_id=agent_id,
            session_id=session_id,
            team_id=team_id,
            user_id=user_id,
            limit=limit,
            order=order,
            cursor=None,
        )
        return self._every(call)

    def _every(self, call: Call[_PageAnswer]) -> Iterator[Event[Any]]:
        yield from self._page(call).auto_paging_iter()

    def _page(self, call: Call[_PageAnswer]) -> Page[Event[Any]]:
        data, has_more, next_cursor = self._t.send(call)
        return Page(data, has_more, next_cursor, lambda cursor: self._page(calls.at_cursor(call, cursor)))

    def get(self, event_id: str) -> Event[Any]:
        """One event (``GET /events/{id}``). Raises ``NotFoundError`` when your organization has none."""
        return self._t.send(calls.get_event(event_id))

    def publish(
        self,
        type: str | None = None,
        data: Mapping[str, Any] | EventData | None = None,
        *,
        id: str | None = None,
        created_at: p.Timestamp | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> PublishedEvent:
        """Publishes one event (``POST /events``); returns once it is durable in Kafka.

        ``data`` is a dict or the type's model (``SessionCompletedData(...)``, which also gives the
        type). Give the event an ``id`` (``new_event_id()``) to make retries safe: the client then
        retries a failed request by itself, and the same id published twice is one event.
        """
        return self._t.send(calls.publish(calls.event_body("", type, data, id, created_at, metadata)))

    def publish_batch(self, events: Sequence[Mapping[str, Any]]) -> builtins.list[PublishedEvent]:
        """Publishes several events at once, all or none (``{"events": [...]}``), in the order given."""
        return self._t.send(calls.publish_batch(events))

    def subscribe(
        self,
        *,
        events: Sequence[str] | None = None,
        session_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
        last_event_id: str | None = None,
        max_reconnect_delay_seconds: float = 30.0,
        max_initial_attempts: int | None = None,
        idle_timeout_seconds: float = 60.0,
    ) -> Subscription:
        """The live stream, for ``async for event in client.events.subscribe(events=["session.*"])``.

        It reconnects by itself and resumes with ``Last-Event-ID``, with no gap and no duplicate
        (see ``Subscription``). ``max_initial_attempts`` bounds the tries before the first
        connection succeeds (default: no limit); ``idle_timeout_seconds`` replaces a connection
        that sent nothing, not even a heartbeat, for that long.
        """
        return _subscription(
            self._t.settings,
            None,
            events=events,
            session_id=session_id,
            agent_id=agent_id,
            team_id=team_id,
            user_id=user_id,
            last_event_id=last_event_id,
            max_reconnect_delay_seconds=max_reconnect_delay_seconds,
            max_initial_attempts=max_initial_attempts,
            idle_timeout_seconds=idle_timeout_seconds,
        )

    def replay(
        self,
        *,
        since: p.Timestamp,
        until: p.Timestamp,
        types: Sequence[str] | None = None,
        webhook_url: str | None = None,
        webhook_id: str | None = None,
        secret: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
    ) -> Replay:
        """Re-delivers a time range of past events, signed, to a webhook (``POST /events/replay``).

        ``webhook_url`` signs with the secrets of your webhook of that URL, else with ``secret``;
        or name the webhook with ``webhook_id``. Answers with ``event_count`` and the ``id`` for
        ``get_replay_status``.
        """
        return self._t.send(
            calls.replay(
                since=since,
                until=until,
                types=types,
                webhook_url=webhook_url,
                webhook_id=webhook_id,
                secret=secret,
                agent_id=agent_id,
                session_id=session_id,
                team_id=team_id,
                user_id=user_id,
            )
        )

    def get_replay_status(self, replay_id: str) -> Replay:
        """A replay's progress: ``status``, ``delivered`` and ``failed`` of ``total``."""
        return self._t.send(calls.get_replay(replay_id))

    def cancel_replay(self, replay_id: str) -> Replay:
        """Stops a running replay; it ends ``cancelled``. ``ConflictError`` once it has finished."""
        return self._t.send(calls.cancel_replay(replay_id))

    # Statistics (`GET /api/v1/events/stats`: counts and aggregates over history) will be `stats(...)`
    # here, in both clients, once the API serves them.


class AsyncEvents:
    """The events API of an ``AsyncClient``: the same calls as ``Events``, awaitable."""

    def __init__(self, transport: AsyncTransport, http_client: httpx.AsyncClient) -> None:
        self._t = transport
        self._http = http_client

    async def list(
        self,
        *,
        types: Sequence[str] | None = None,
        since: p.Timestamp | None = None,
        until: p.Timestamp | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
        limit: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
    ) -> AsyncPage[Event[Any]]:
        """One page of history; see ``Events.list``. ``async for`` over ``page.auto_paging_iter()`` for every page."""
        call = calls.list_events(
            types=types,
            since=since,
            until=until,
            agent_id=agent_id,
            session_id=session_id,
            team_id=team_id,
            user_id=user_id,
            limit=limit,
            order=order,
            cursor=cursor,
        )
        return await self._page(call)

    def list_all(
        self,
        *,
        types: Sequence[str] | None = None,
        since: p.Timestamp | None = None,
        until: p.Timestamp | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
        limit: int | None = None,
        order: str | None = None,
    ) -> AsyncIterator[Event[Any]]:
        """Every matching event across all pages: ``async for event in client.events.list_all(...)``."""
        call = calls.list_events(
            types=types,
            since=since,
            until=until,
            agent_id=agent_id,
            session_id=session_id,
            team_id=team_id,
            user_id=user_id,
            limit=limit,
            order=order,
            cursor=None,
        )
        return self._every(call)

    async def _every(self, call: Call[_PageAnswer]) -> AsyncIterator[Event[Any]]:
        async for event in (await self._page(call)).auto_paging_iter():
            yield event

    async def _page(self, call: Call[_PageAnswer]) -> AsyncPage[Event[Any]]:
        data, has_more, next_cursor = await self._t.send(call)
        return AsyncPage(data, has_more, next_cursor, lambda cursor: self._page(calls.at_cursor(call, cursor)))

    async def get(self, event_id: str) -> Event[Any]:
        """One event; see ``Events.get``."""
        return await self._t.send(calls.get_event(event_id))

    async def publish(
        self,
        type: str | None = None,
        data: Mapping[str, Any] | EventData | None = None,
        *,
        id: str | None = None,
        created_at: p.Timestamp | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> PublishedEvent:
        """Publishes one event; see ``Events.publish``."""
        return await self._t.send(calls.publish(calls.event_body("", type, data, id, created_at, metadata)))

    async def publish_batch(self, events: Sequence[Mapping[str, Any]]) -> builtins.list[PublishedEvent]:
        """Publishes several events at once, all or none."""
        return await self._t.send(calls.publish_batch(events))

    def subscribe(
        self,
        *,
        events: Sequence[str] | None = None,
        session_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
        last_event_id: str | None = None,
        max_reconnect_delay_seconds: float = 30.0,
        max_initial_attempts: int | None = None,
        idle_timeout_seconds: float = 60.0,
    ) -> Subscription:
        """The live stream; see ``Events.subscribe``."""
        return _subscription(
            self._t.settings,
            self._http,
            events=events,
            session_id=session_id,
            agent_id=agent_id,
            team_id=team_id,
            user_id=user_id,
            last_event_id=last_event_id,
            max_reconnect_delay_seconds=max_reconnect_delay_seconds,
            max_initial_attempts=max_initial_attempts,
            idle_timeout_seconds=idle_timeout_seconds,
        )

    async def replay(
        self,
        *,
        since: p.Timestamp,
        until: p.Timestamp,
        types: Sequence[str] | None = None,
        webhook_url: str | None = None,
        webhook_id: str | None = None,
        secret: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        team_id: str | None = None,
        user_id: str | None = None,
    ) -> Replay:
        """Starts a replay; see ``Events.replay``."""
        return await self._t.send(
            calls.replay(
                since=since,
                until=until,
                types=types,
                webhook_url=webhook_url,
                webhook_id=webhook_id,
                secret=secret,
                agent_id=agent_id,
                session_id=session_id,
                team_id=team_id,
                user_id=user_id,
            )
        )

    async def get_replay_status(self, replay_id: str) -> Replay:
        """A replay's progress."""
        return await self._t.send(calls.get_replay(replay_id))

    async def cancel_replay(self, replay_id: str) -> Replay:
        """Stops a running replay."""
        return await self._t.send(calls.cancel_replay(replay_id))
